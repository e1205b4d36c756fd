#pragma once
// Simulated time: an integer count of microseconds since the start of a run.
#include <cstdint>

namespace distlab {

using SimTime = std::int64_t;

constexpr SimTime kMicrosPerMilli = 1000;
constexpr SimTime kMicrosPerSecond = 1000 * kMicrosPerMilli;

constexpr SimTime millis(std::int64_t ms) { return ms * kMicrosPerMilli; }
constexpr double toMillis(SimTime t) { return static_cast<double>(t) / kMicrosPerMilli; }

}  // namespace distlab
