#include "core/protocols/ring/ring_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/protocols/ring/hash_ring.h"
#include "core/protocols/ring/jump_hash.h"

namespace distlab::ring {

namespace {

// Every lookup result is summed into this, so the compiler cannot drop the loops being timed.
volatile std::uint64_t g_benchSink = 0;

template <typename Lookup>
double nanosPerLookup(const std::vector<std::uint64_t>& keys, Lookup lookup) {
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t sum = 0;
    for (const std::uint64_t key : keys) sum += static_cast<std::uint64_t>(lookup(key));
    const auto stop = std::chrono::steady_clock::now();
    g_benchSink = g_benchSink + sum;
    const double nanos = std::chrono::duration<double, std::nano>(stop - start).count();
    return nanos / static_cast<double>(keys.size());
}

}  // namespace

RingBenchResult benchRing(int nodes, int vnodes, std::size_t lookups) {
    RingBenchResult result;
    result.nodes = std::clamp(nodes, 1, static_cast<int>(kNodesMax));
    result.vnodes = std::clamp(vnodes, 1, kVnodesMax);
    result.vnodes =
        std::min(result.vnodes, static_cast<int>(kPointsMax / static_cast<std::size_t>(result.nodes)));
    result.lookups = std::clamp<std::size_t>(lookups, 1, kBenchLookupsMax);

    HashRing ring(RingConfig{result.vnodes, HashKind::Xxh3});
    std::vector<std::string> ids;
    for (int i = 0; i < result.nodes; ++i) ids.push_back("node-" + std::to_string(i));
    ring.addNodes(ids);
    const std::vector<std::uint64_t> keys = sampleKeyHashes(HashKind::Xxh3, result.lookups);
    const std::int32_t buckets = result.nodes;

    result.ringNs = std::numeric_limits<double>::infinity();
    result.jumpNs = std::numeric_limits<double>::infinity();
    // Alternating the two methods within each round spreads frequency changes and noise over both.
    for (int round = 0; round < kBenchRounds; ++round) {
        result.ringNs = std::min(
            result.ringNs, nanosPerLookup(keys, [&ring](std::uint64_t h) { return ring.ownerIndex(h); }));
        result.jumpNs = std::min(result.jumpNs, nanosPerLookup(keys, [buckets](std::uint64_t h) {
                                     return jumpConsistentHash(h, buckets);
                                 }));
    }
    return result;
}

}  // namespace distlab::ring
