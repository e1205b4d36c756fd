#include "core/base/rng.h"

namespace distlab {
namespace {

std::uint64_t splitMix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Rng::Rng(std::uint64_t seed) : m_seed(seed) {
    std::uint64_t state = seed;
    for (auto& word : m_s) word = splitMix64(state);
}

std::uint64_t Rng::next() {
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

std::int64_t Rng::uniform(std::int64_t lo, std::int64_t hiExclusive) {
    if (hiExclusive <= lo) return lo;
    const std::uint64_t range = static_cast<std::uint64_t>(hiExclusive) - static_cast<std::uint64_t>(lo);
    // Lemire's nearly divisionless method: multiply, and reject the few values that would bias the result.
    unsigned __int128 m = static_cast<unsigned __int128>(next()) * range;
    std::uint64_t low = static_cast<std::uint64_t>(m);
    if (low < range) {
        const std::uint64_t threshold = (0 - range) % range;
        while (low < threshold) {
            m = static_cast<unsigned __int128>(next()) * range;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return lo + static_cast<std::int64_t>(m >> 64);
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

bool Rng::chance(double p) {
    if (p <= 0.0) return false;
    if (p >= 1.0) return true;
    return unit() < p;
}

Rng Rng::fork(std::uint64_t streamId) const {
    std::uint64_t state = m_seed ^ (streamId * 0xd1342543de82ef95ULL);
    return Rng(splitMix64(state));
}

Rng Rng::fork(std::string_view streamName) const { return fork(stableHash(streamName)); }

std::uint64_t stableHash(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

}  // namespace distlab
