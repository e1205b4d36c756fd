#include "app/timeline_export.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QPicture>
#include <QSvgGenerator>

#include <algorithm>

#include "core/session/session.h"
#include "widgets/timeline_view.h"

namespace distlab {

namespace {

constexpr int kExportLaneHeightPx = 80;
constexpr int kExportChromeHeightPx = 100;  // ruler and legend
constexpr int kExportHeightMin = 360;

// The view draws into any paint device; it is never shown.
void paintTimeline(const TimelineData& data, QPaintDevice& device, const QSize& size,
                   const TimelineExportOptions& options) {
    TimelineView view;
    view.resize(size);
    // The data outlives the view; an aliasing pointer shares it without owning it.
    view.setData(std::shared_ptr<const TimelineData>(std::shared_ptr<const TimelineData>(), &data));
    view.setLogicalSpacing(options.logical);
    const QRect rect(QPoint(0, 0), size);
    if (options.range) {
        // The window is set on the plot's width, which the first layout gives.
        QPicture scratch;
        QPainter layoutPainter(&scratch);
        view.paintTo(layoutPainter, rect);
        layoutPainter.end();
        view.setVisibleRange(options.range->first, options.range->second);
    }
    QPainter painter(&device);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    view.paintTo(painter, rect);
}

}  // namespace

int timelineExportHeight(const TimelineData& data) {
    const int lanes = int(std::max<std::size_t>(1, data.lanes.size()));
    return std::clamp(kExportChromeHeightPx + kExportLaneHeightPx * lanes, kExportHeightMin, kTimelineExportHeightMax);
}

bool exportTimeline(const TimelineData& data, const QString& path, const TimelineExportOptions& options,
                    QString* error) {
    auto failWith = [error](const QString& message) {
        if (error) *error = message;
        return false;
    };
    const int width = std::clamp(options.width, kTimelineExportWidthMin, kTimelineExportWidthMax);
    const int height = options.height > 0 ? std::clamp(options.height, 200, kTimelineExportHeightMax)
                                          : timelineExportHeight(data);
    const QSize size(width, height);
    {
        QFile probe(path);  // say so plainly, before a painter complains on stderr
        if (!probe.open(QIODevice::WriteOnly))
            return failWith(QCoreApplication::translate("TimelineExport", "Could not write %1: %2.")
                                .arg(path, probe.errorString()));
    }
    if (QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setResolution(96);  // so that a browser shows it at its size in pixels
        svg.setTitle(QCoreApplication::translate("TimelineExport", "Space-time diagram"));
        svg.setDescription(QCoreApplication::translate("TimelineExport", "Drawn by Distlab from the run's trace."));
        paintTimeline(data, svg, size, options);
        // QSvgGenerator does not report write errors; an empty or missing file is one.
        if (QFileInfo(path).size() <= 0)
            return failWith(QCoreApplication::translate("TimelineExport", "Could not write %1.").arg(path));
        return true;
    }
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    paintTimeline(data, image, size, options);
    if (!image.save(path, "PNG"))
        return failWith(QCoreApplication::translate("TimelineExport", "Could not write %1.").arg(path));
    return true;
}

bool exportRunTimeline(Scenario scenario, SimTime runFor, const QString& path, const TimelineExportOptions& options,
                       QString* error) {
    // As distlab-sim runs it: to the end, with the checks' quiet period, so both draw the same trace.
    Session session(std::move(scenario));
    session.runToEndAndCheck(runFor);
    TimelineBuilder timeline;
    timeline.update(session.world());
    return exportTimeline(*timeline.data(), path, options, error);
}

}  // namespace distlab
