#pragma once
// What the Counter tab draws: per key the value each replica holds on its disk, the value the freshest
// commit wrote, the range the clients' increments allow (the acknowledged ones must all be in it, the
// unknown ones may or may not be), and the same three over simulated time for the chart. Built by the
// counter lab from the replicas' disks and the recorded history; the view holds no protocol logic.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/sim_time.h"
#include "core/node/node_status.h"

namespace distlab {

constexpr std::size_t kCounterSamplesMax = 400;  // chart samples per key; older ones are merged in pairs

struct CounterReplicaValue {
    std::string replica;
    int node = -1;  // index into ClusterSnapshot::nodes
    NodeStatus status = NodeStatus::Up;
    bool holds = false;  // the key is on its disk
    std::int64_t value = 0;
    std::int64_t version = 0;
};

// The key at the end of a sample's interval.
struct CounterSample {
    SimTime at = 0;
    std::int64_t acked = 0;      // sum of the acknowledged increments so far
    std::int64_t possible = 0;   // acked plus every increment not known to have failed or succeeded
    std::int64_t committed = 0;  // the value of the freshest commit so far
};

struct CounterKeyView {
    std::string key;
    std::vector<CounterReplicaValue> replicas;  // every replica, in id order
    std::int64_t committed = 0;  // the freshest replica's value
    std::int64_t version = 0;
    std::int64_t acked = 0;      // sum of acknowledged deltas
    std::int64_t unknown = 0;    // sum of deltas whose outcome is unknown (open or timed out)
    std::int64_t ackedOps = 0;
    std::int64_t unknownOps = 0;
    std::vector<CounterSample> samples;  // oldest first, at most kCounterSamplesMax
    // committed lies in [acked, acked + unknown]: what the acknowledged increments require.
    bool exact() const { return committed >= acked && committed <= acked + unknown; }
};

struct CounterSnapshot {
    bool active = false;
    int replication = 0;
    std::vector<std::string> broken;  // the "break it" switches that are on
    std::vector<CounterKeyView> keys;
};

}  // namespace distlab
