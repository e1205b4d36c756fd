#include "core/protocols/ring/jump_hash.h"

namespace distlab::ring {

std::int32_t jumpConsistentHash(std::uint64_t key, std::int32_t buckets) {
    // Kept literally as published (a 64-bit LCG step, then a jump to the next bucket at which the key
    // would move), so that it reproduces the reference outputs bit for bit.
    std::int64_t b = -1;
    std::int64_t j = 0;
    while (j < buckets) {
        b = j;
        key = key * 2862933555777941757ULL + 1;
        j = static_cast<std::int64_t>(static_cast<double>(b + 1) * (static_cast<double>(1LL << 31) /
                                                                    static_cast<double>((key >> 33) + 1)));
    }
    return static_cast<std::int32_t>(b);
}

}  // namespace distlab::ring
