#pragma once
// Invariant checkers for the Dynamo-style demo store: the key's replicas (its preference list on the
// consistent-hash ring, Karger et al.) agree once the system is quiet, and no write a client saw
// acknowledged is missing from its key's owner (Jepsen-style, over the recorded history).
#include <string>
#include <vector>

#include "core/check/check_result.h"
#include "core/protocols/ring/hash_ring.h"
#include "core/sim/world.h"

namespace distlab {

// "replicas-agree": for every key stored on any node that is not removed, the key's usable
// preference-list nodes (the first `replicas` nodes clockwise in `ring`, skipping `downNodes` and nodes
// whose world status is not Up) all hold the same version. Meaningful after quiescence.
CheckResult checkReplicasAgree(const World& world, const ring::HashRing& ring,
                               const std::vector<std::string>& downNodes, int replicas);

// "no-lost-acknowledged-write": for every put that completed ok in world.trace().clientOps(), the
// key's owner (first usable preference-list node) stores a version at least as new as the
// acknowledged one. events holds the invoke and ok trace events of the lost writes.
CheckResult checkNoLostWrites(const World& world, const ring::HashRing& ring,
                              const std::vector<std::string>& downNodes, int replicas);

}  // namespace distlab
