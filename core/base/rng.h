#pragma once
// Deterministic randomness. Standard-library distributions differ between implementations, so we draw
// with our own uniform()/chance() on top of xoshiro256** (Blackman & Vigna), seeded by SplitMix64.
#include <array>
#include <cstdint>
#include <string_view>

namespace distlab {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 0);

    std::uint64_t next();
    // Uniform integer in [lo, hiExclusive); returns lo when the range is empty. Unbiased (Lemire).
    std::int64_t uniform(std::int64_t lo, std::int64_t hiExclusive);
    // Uniform real in [0, 1) with 53 bits of precision.
    double unit();
    // True with probability p (p <= 0 never, p >= 1 always).
    bool chance(double p);
    // An independent stream derived from this generator's seed and a stream id; the parent is untouched,
    // so adding a stream never shifts the numbers another stream sees.
    Rng fork(std::uint64_t streamId) const;
    Rng fork(std::string_view streamName) const;

    std::uint64_t seed() const { return m_seed; }

private:
    std::uint64_t m_seed;
    std::array<std::uint64_t, 4> m_s{};
};

// FNV-1a, used to turn stream names into stream ids (stable across runs and platforms).
std::uint64_t stableHash(std::string_view text);

}  // namespace distlab
