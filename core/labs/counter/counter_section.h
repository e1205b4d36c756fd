#pragma once
// The counter lab's section of a scenario file (issue 12):
//
//   "counter": {"replicas": 5, "workers": 3, "clients": 3, "keys": ["a", "b"], "replication": 3,
//               "lease_ms": 1000, "read_percent": 30, "think_ms": 150, "break": ["fencing"]}
//
// Every key is optional; replicas may be at most 2 x replication - 1 (any two replica sets of a key then
// share a member, which is what lets a worker find the freshest state). The lab's nodes (counter_lab.h names them) start at time 0; "break" lists the
// switches that are on from the start.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/sim_time.h"
#include "core/node/message.h"
#include "core/protocols/counter/counter_switches.h"
#include "core/scenario/section_reader.h"

namespace distlab {

constexpr int kCounterReplicasMax = 16;
constexpr int kCounterWorkersMax = 8;
constexpr int kCounterClientsMax = 8;
constexpr std::size_t kCounterKeysMax = 8;

struct CounterSpec {
    int replicas = 5;     // cn-n1..N, the ring's members
    int workers = 3;      // cn-w1..N
    int clients = 3;      // cn-c1..N
    std::vector<std::string> keys = {"a", "b"};
    int replication = 3;  // R: replicas per key
    SimTime lease = millis(1000);
    int readPercent = 30;
    SimTime think = millis(150);
    counter::Switches broken;

    bool operator==(const CounterSpec&) const = default;
};

CounterSpec readCounterSection(const Json& value, const SectionReader& reader, const std::string& path);
// Every field, in the file's units; readCounterSection gives back the same spec.
Json counterSectionToJson(const CounterSpec& spec);

}  // namespace distlab
