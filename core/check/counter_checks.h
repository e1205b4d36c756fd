#pragma once
// The distributed counter's checks, over the history of its clients and the states its replicas hold:
//   counter-linearizable  the clients' incr / read history is linearizable for a counter (lin::Model::Counter)
//   counter-exact         each key's freshest state lies between the sum of acknowledged deltas and that sum
//                         plus the unknown ones (no acknowledged increment lost, none counted twice)
//   applied-once          no replica lists a request id twice among a key's applied increments
//   replicas-agree        replicas that hold the same version of a key hold the same value
#include <functional>
#include <string>
#include <vector>

#include "core/check/check_result.h"
#include "core/history/trace.h"
#include "core/protocols/counter/counter_messages.h"

namespace distlab::check {

struct CounterReplicaState {
    std::string replica;
    std::string key;
    counter::KeyState state;
};

// isClient picks the counter's client nodes in the trace; states are what the replicas hold now (in any order).
std::vector<CheckResult> counterChecks(const Trace& trace, const std::function<bool(const std::string&)>& isClient,
                                       const std::vector<CounterReplicaState>& states);

// Per key: what the acknowledged increments require and what the unknown ones allow.
struct CounterExpectation {
    std::string key;
    std::int64_t acked = 0;    // sum of the deltas of acknowledged increments
    std::int64_t unknown = 0;  // sum of the deltas of increments whose outcome is unknown
    std::int64_t ackedCount = 0;
    std::int64_t unknownCount = 0;
};
std::vector<CounterExpectation> counterExpectations(const Trace& trace,
                                                    const std::function<bool(const std::string&)>& isClient);

}  // namespace distlab::check
