#pragma once
// Invariant checkers for the Dynamo-style demo store: the key's replicas (its preference list on the
// consistent-hash ring, Karger et al.) agree once the system is quiet, no write a client saw
// acknowledged is missing from its key's owner, and acknowledged operations respect real-time order
// (Jepsen-style, over the recorded history; the real-time half of linearizability, Herlihy & Wing).
#include <string>
#include <vector>

#include "core/check/check_result.h"
#include "core/protocols/ring/hash_ring.h"
#include "core/node/node.h"
#include "core/history/trace.h"

namespace distlab {

// What the checkers read of one node that is not removed, at the moment they run: whether they can ask it
// (up or paused: a stop-the-world pause looks like a slow node, not a dead one) and its disk.
struct KvNodeState {
    std::string id;
    bool usable = false;
    const DurableStore* store = nullptr;
};

// "replicas-agree": for every key stored on any node that is not removed, the key's usable
// preference-list nodes (the first `replicas` nodes clockwise in `ring`, skipping `downNodes` and nodes
// that are crashed or removed; a paused node still counts, it is only slow) all hold the same version.
// Meaningful after quiescence.
CheckResult checkReplicasAgree(const Trace& trace, const std::vector<KvNodeState>& nodes, const ring::HashRing& ring,
                               const std::vector<std::string>& downNodes, int replicas);

// "no-lost-acknowledged-write": for every put that completed ok in trace.clientOps(), the
// key's owner (first usable preference-list node) stores a version at least as new as the
// acknowledged one. events holds the invoke and ok trace events of the lost writes.
CheckResult checkNoLostWrites(const Trace& trace, const std::vector<KvNodeState>& nodes, const ring::HashRing& ring,
                              const std::vector<std::string>& downNodes, int replicas);

// "acknowledged-order": per key, over the history in trace.clientOps() (an invoke and its
// completion are paired by (process, op id)), for every put A that completed ok:
//   - a put B that completed ok and was invoked after A's ok has a version greater than A's;
//   - a get G that completed ok and was invoked after A's ok returned a version at least A's (returning
//     no value is a violation).
// Versions compare as (counter, writer). Operations that overlap in time are not constrained: either
// order is allowed. events holds the trace indices of the client events of the violating operations.
// Needs only the history, so it holds at any moment of a run, not only after quiescence.
CheckResult checkAcknowledgedOrder(const Trace& trace);

}  // namespace distlab
