#pragma once
// Simulated time: an integer count of microseconds since the start of a run.
#include <cstdint>
#include <string>

namespace distlab {

using SimTime = std::int64_t;

constexpr SimTime kMicrosPerMilli = 1000;
constexpr SimTime kMicrosPerSecond = 1000 * kMicrosPerMilli;

constexpr SimTime millis(std::int64_t ms) { return ms * kMicrosPerMilli; }
constexpr double toMillis(SimTime t) { return static_cast<double>(t) / kMicrosPerMilli; }

// "1250.5 ms": a time with a tenth of a millisecond, whatever the process's C locale says about decimal
// points (explanations and console replies must read the same in every language and process).
std::string formatMillis(SimTime t);

}  // namespace distlab
