#pragma once
// distlab-sim's door to the timeline drawing (app/timeline_export.h): no Qt type in sight, so the
// headless tool's own code stays plain C++ on core/.
#include <memory>
#include <string>

#include "core/session/timeline.h"

namespace distlab {

// Writes the whole run, fitted to `width` pixels, as an SVG. Creates an offscreen Qt application
// (QT_QPA_PLATFORM=offscreen unless set) if there is none. On failure returns false with a message.
bool writeTimelineSvg(const std::shared_ptr<const TimelineData>& data, const std::string& path, int width,
                      std::string& error);

}  // namespace distlab
