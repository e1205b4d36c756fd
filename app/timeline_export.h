#pragma once
// Writes the space-time diagram of a run to an SVG (vector, for slides and papers) or a PNG, with the
// same drawing code as the Timeline tab (widgets/timeline_view.h). Used by the window's
// File > Export timeline…, by `distlab --export-timeline` and so by `distlab-sim run --svg`.
#include <QSize>
#include <QString>

#include <optional>
#include <utility>

#include "core/base/sim_time.h"
#include "core/scenario/scenario.h"
#include "core/session/timeline.h"

namespace distlab {

constexpr int kTimelineExportWidthDefault = 1600;
constexpr int kTimelineExportWidthMin = 400;
constexpr int kTimelineExportWidthMax = 16000;
constexpr int kTimelineExportHeightMax = 16000;

struct TimelineExportOptions {
    int width = kTimelineExportWidthDefault;
    int height = 0;         // 0: room for every lane (timelineExportHeight)
    bool logical = false;   // event-order spacing
    // The window to draw on the view's axis (time in microseconds, or event index); none: the whole run.
    std::optional<std::pair<double, double>> range;
};

// A height that gives each lane room to read its bands and arrows.
int timelineExportHeight(const TimelineData& data);

// Writes `data` to `path`: SVG when the name ends in .svg, otherwise a PNG. On failure returns false
// and says why in `error`.
bool exportTimeline(const TimelineData& data, const QString& path, const TimelineExportOptions& options,
                    QString* error);

// Runs the scenario for `runFor` as distlab-sim does (to the end, checks included) and exports its timeline.
bool exportRunTimeline(Scenario scenario, SimTime runFor, const QString& path, const TimelineExportOptions& options,
                       QString* error);

}  // namespace distlab
