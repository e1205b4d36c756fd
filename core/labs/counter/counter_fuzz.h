#pragma once
// `distlab-sim fuzz`: the counter scenario under random faults, seed after seed. Each seed gives one scenario
// (fuzzScenario), a plain scenario file with the faults in its schedule, so a failing seed is reproduced by
// `distlab-sim run FILE` and opened by `distlab --scenario FILE`. The faults are drawn from the seed alone.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/scenario/scenario.h"

namespace distlab {

// kill, restart, partition, drop, duplicate, pause; and members (node add / node remove of replicas), which
// is not among the defaults.
enum class FuzzFault { Kill, Restart, Partition, Drop, Duplicate, Pause, Members };
std::string_view fuzzFaultName(FuzzFault fault);
// "kill,restart,..." -> the faults; an error names the word it does not know.
Result<std::set<FuzzFault>> parseFuzzFaults(std::string_view list);
std::set<FuzzFault> allFuzzFaults();  // the six defaults

struct FuzzOptions {
    std::set<FuzzFault> faults = allFuzzFaults();
    std::vector<std::string> breaks;  // switches to turn on (counter_switches.h)
    SimTime runFor = millis(10'000);
};

// The base scenario (it must have a counter section) with this seed, the switches and a schedule of faults:
// every 0.3 to 1.5 s one of the chosen faults on a random node of the counter (at most 2 nodes down at once;
// with restart, a killed node comes back 0.5 to 3 s later), partitions healed after 0.5 to 3 s, pauses of
// one and a half leases, and 2% loss or duplication on the network; with members, a replica removed or a new
// one added (the lab refuses what its membership rules do not allow, counter_lab.h).
Result<Scenario> fuzzScenario(const Scenario& base, std::uint64_t seed, const FuzzOptions& options);


}  // namespace distlab
