#pragma once
// Jump consistent hash, after Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm"
// (2014). It needs no ring at all but only maps keys to numbered buckets 0..n-1, so it can only add or
// remove the last bucket; the lab uses it as the speed yardstick for ring lookups.
#include <cstdint>

namespace distlab::ring {

// The bucket in [0, buckets) for key, exactly the paper's algorithm; -1 when buckets <= 0.
std::int32_t jumpConsistentHash(std::uint64_t key, std::int32_t buckets);

}  // namespace distlab::ring
