#pragma once
// Lookup speed of the ring (Karger et al. 1997, with a bucketed index over the sorted points) against
// jump consistent hash (Lamping and Veach 2014) on the same key hashes, for `distlab-sim bench ring`.
#include <cstddef>

namespace distlab::ring {

constexpr std::size_t kBenchLookupsMax = std::size_t{1} << 24;
constexpr int kBenchRounds = 5;

struct RingBenchResult {
    int nodes = 0;
    int vnodes = 0;
    std::size_t lookups = 0;
    double ringNs = 0;  // best round, nanoseconds per HashRing::ownerIndex
    double jumpNs = 0;  // best round, nanoseconds per jumpConsistentHash over `nodes` buckets
    double ratio() const { return ringNs / jumpNs; }
};

// Builds an Xxh3 ring of `nodes` x `vnodes` ("node-0".."node-(nodes-1)") and looks up the sample keys
// "key-0".. with both methods, kBenchRounds times, keeping each method's best round. The arguments are
// clamped to the ring's limits ([1, kNodesMax], [1, kVnodesMax], kPointsMax) and to
// [1, kBenchLookupsMax]; the result states the values used.
RingBenchResult benchRing(int nodes, int vnodes, std::size_t lookups = 2'000'000);

}  // namespace distlab::ring
