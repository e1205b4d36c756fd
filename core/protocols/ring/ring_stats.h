#pragma once
// Measurements on a consistent-hash ring: key movement on a membership change against `hash mod N`
// (Karger et al. 1997 promise about 1/(N+1) moved keys), load spread, and consistent hashing with
// bounded loads (Mirrokni, Thorup and Zadimoghaddam, SODA 2018).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/protocols/ring/hash_ring.h"

namespace distlab::ring {

struct MovementStats {
    std::size_t keys = 0;
    std::size_t movedRing = 0;
    std::size_t movedModulo = 0;
    double fractionRing() const;    // movedRing / keys, 0 when there are no keys
    double fractionModulo() const;  // movedModulo / keys, 0 when there are no keys
};

// Owners of the same key hashes before and after a membership change, on the ring and with
// `hash mod N` over nodeIds() (N = nodeCount() before vs after). Owners are compared by id, since
// indices shift on removal. A key with no owner on both sides (empty rings) has not moved.
MovementStats compareMovement(const HashRing& before, const HashRing& after,
                              const std::vector<std::uint64_t>& keyHashes);

struct LoadStats {
    std::vector<std::size_t> perNode;  // keys owned, indexed like nodeIds()
    double mean = 0;                   // keys per node
    double stddev = 0;                 // population standard deviation of perNode
    double max = 0;
    double stddevOverMean() const;  // 0 when mean is 0
    double maxOverMean() const;     // 0 when mean is 0
};

LoadStats loadStats(const HashRing& ring, const std::vector<std::uint64_t>& keyHashes);

// Every node gets capacity ceil((1 + eps) * keys / nodes); the keys, in the given order, each walk
// clockwise from their point to the first node with spare capacity. Returns the owner index per key
// (all -1 on an empty ring). A negative or NaN eps counts as 0.
std::vector<int> assignBoundedLoads(const HashRing& ring, const std::vector<std::uint64_t>& keyHashes,
                                    double eps);
// The capacity assignBoundedLoads gives each node: ceil((1 + eps) * keys / nodes), at least
// ceil(keys / nodes) so that every key fits, at most keys; 0 when there are no nodes.
std::size_t boundedLoadCapacity(std::size_t keys, std::size_t nodes, double eps);

// Where each node's marker goes when the ring is drawn. A node has no single place on the ring, so its marker
// goes on whichever of its own virtual nodes is farthest from the markers already placed: the labels spread
// out and each sits on that node's range (beyond 64 nodes, the first point is good enough).
std::map<std::string, std::uint64_t> markerPoints(const HashRing& ring);

}  // namespace distlab::ring
