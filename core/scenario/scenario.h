#pragma once
// Scenario files: a cluster, its ring, workload and network, and a schedule of console commands.
// The format is JSON with snake_case keys (comments allowed); every key but "name" is optional:
//
//   { "name": "demo", "description": "one line", "seed": 1,
//     "nodes": ["n1", "n2", "n3"]            or  "nodes": {"count": 5}   (n1..n5)
//     "ring": {"vnodes": 160, "hash": "xxh3", "replicas": 3, "sample_keys": 2000},
//     "workload": {"clients": 2, "keys": 200, "interval_ms": [40, 120], "write_ratio": 0.5},
//     "network": {"latency_ms": [2, 8], "drop": 0.0, "duplicate": 0.0, "reorder": 0.0},
//     "schedule": [{"at_ms": 3000, "do": "node add n6"}],
//     LAB: {...},            one section per lab, named after it (core/labs/<lab>/<lab>_section.h)
//     "run_ms": 10000,
//     "open_at_ms": 5440 }     where the app opens the run, paused (a fuzz-written failing run: its violation)
//
// A scenario with a lab's section starts that lab at time 0, and its "nodes" default to none (no ring
// servers) and its workload to no clients. Labs without a section start with the first command they take.
// Each lab reads its own section (LabEntry::readSection), so the keys of a section are the lab's business.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"
#include "core/base/result.h"
#include "core/console/command.h"
#include "core/base/sim_time.h"

namespace distlab {

// Limits of a scenario file (units last). Ring, run and latency limits come from command.h.
constexpr std::size_t kScenarioFileBytesMax = 4 * 1024 * 1024;
constexpr std::size_t kScenarioNameBytesMax = 100;
constexpr std::size_t kScenarioDescriptionBytesMax = 1000;
constexpr int kScenarioDepthMax = 32;  // JSON nesting; real files need 3
constexpr std::int64_t kScenarioNodesMax = 64;  // the demo store's ring limit (kv::kRingMembersMax)
constexpr std::int64_t kWorkloadClientsMax = 64;
constexpr std::int64_t kWorkloadKeysMax = 100'000;
constexpr std::int64_t kWorkloadIntervalMsMax = 60'000;
constexpr std::int64_t kRingSampleKeysMax = 200'000;
constexpr std::size_t kScheduleEntriesMax = 10'000;

struct ScheduledCommand {
    SimTime at = 0;
    Command command;

    bool operator==(const ScheduledCommand&) const = default;
};

struct WorkloadSpec {
    int clients = 2;
    int keys = 200;
    SimTime intervalMin = millis(40);  // between one client's operations
    SimTime intervalMax = millis(120);
    double writeRatio = 0.5;

    bool operator==(const WorkloadSpec&) const = default;
};

struct NetworkSpec {
    SimTime latencyMin = millis(2);
    SimTime latencyMax = millis(8);
    double drop = 0;
    double duplicate = 0;
    double reorder = 0;

    bool operator==(const NetworkSpec&) const = default;
};

struct RingSpec {
    int vnodes = 160;
    std::string hash = "xxh3";  // "xxh3" | "ketama"
    int replicas = 3;
    int sampleKeys = 2000;  // keys drawn on the ring to show ownership and movement

    bool operator==(const RingSpec&) const = default;
};

struct Scenario {
    std::string name;
    std::string description;                                          // one line
    std::uint64_t seed = 1;                                           // 0 .. kSeedMax
    std::vector<std::string> nodes = {"n1", "n2", "n3", "n4", "n5"};  // server ids in order
    RingSpec ring;
    WorkloadSpec workload;
    NetworkSpec network;
    // The labs' sections, by lab name (the registry's): what each lab's LabEntry::readSection returned,
    // every field written out. A lab reads its own back when the scenario starts it.
    std::map<std::string, Json, std::less<>> sections;
    std::vector<ScheduledCommand> schedule;  // sorted by time; equal times keep file order
    SimTime runFor = millis(10000);          // default run length for distlab-sim
    SimTime openAt = -1;                     // where the app opens the run, paused; -1: at 0, playing

    bool hasSection(std::string_view lab) const { return sections.find(lab) != sections.end(); }
    bool operator==(const Scenario&) const = default;
};

// Parses and validates a scenario. Errors read "<sourceName>: <json path>: <what was expected>".
// Never throws.
Result<Scenario> parseScenario(std::string_view jsonText, std::string_view sourceName);

// Reads a file (at most kScenarioFileBytesMax) and parses it, naming the file in messages.
Result<Scenario> loadScenarioFile(const std::string& path);

// The canonical JSON form; parseScenario(scenarioToJson(s).dump(), ...) gives back s. Times are
// written in whole milliseconds, as the format stores them.
Json scenarioToJson(const Scenario& scenario);

}  // namespace distlab
