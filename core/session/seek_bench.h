#pragma once
// Seek time of time travel: a scenario run for N events, then seeks to random events of the run, each
// against running those N events from the start in the same process (what a seek costs without
// checkpoints), so the ratio says something on any machine.
#include <cstdint>
#include <string>

#include "core/base/result.h"

namespace distlab {

struct SeekBenchResult {
    std::string scenario;
    std::uint64_t seed = 0;       // of the scenario and of the seek targets
    std::uint64_t events = 0;     // events in the run
    std::uint64_t seeks = 0;
    double runMs = 0;             // running all the events from the start (the baseline)
    double seekMeanMs = 0;
    double seekMaxMs = 0;
    std::uint64_t checkpoints = 0;
    std::uint64_t interval = 0;   // events between checkpoints at the end
    double ratio() const { return runMs > 0 ? seekMeanMs / runMs : 0; }
};

Result<SeekBenchResult> benchSeek(const std::string& scenario, std::uint64_t events, std::uint64_t seeks,
                                  std::uint64_t seed);

}  // namespace distlab
