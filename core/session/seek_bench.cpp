#include "core/session/seek_bench.h"

#include <algorithm>
#include <chrono>

#include "core/session/session.h"
#include "core/base/rng.h"

namespace distlab {
namespace {

double millisSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Result<SeekBenchResult> benchSeek(const std::string& name, std::uint64_t events, std::uint64_t seeks, std::uint64_t seed) {
    auto scenario = loadScenario(name);
    if (!scenario) return scenario.error();
    scenario->seed = seed;
    SeekBenchResult r;
    r.scenario = name;
    r.seed = seed;
    r.seeks = seeks;

    Session session(std::move(scenario).value());
    auto start = std::chrono::steady_clock::now();
    r.events = session.runEvents(events).events;
    r.runMs = millisSince(start);
    if (r.events == 0) return makeError("the scenario '" + name + "' has no events to seek in");

    Rng targets(seed);
    double totalMs = 0;
    for (std::uint64_t i = 0; i < seeks; ++i) {
        const auto target = std::uint64_t(targets.uniform(0, std::int64_t(r.events) + 1));
        start = std::chrono::steady_clock::now();
        session.seekToEvent(target);
        const double ms = millisSince(start);
        if (session.world().eventsProcessed() != target) return makeError("a seek missed its target event");
        totalMs += ms;
        r.seekMaxMs = std::max(r.seekMaxMs, ms);
    }
    r.seekMeanMs = seeks ? totalMs / double(seeks) : 0;
    r.checkpoints = session.checkpointCount();
    r.interval = session.checkpointInterval();
    return r;
}

}  // namespace distlab
