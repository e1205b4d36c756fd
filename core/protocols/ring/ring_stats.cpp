#include "core/protocols/ring/ring_stats.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

namespace distlab::ring {

namespace {

double fraction(std::size_t part, std::size_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

const std::string* moduloOwner(const HashRing& ring, std::uint64_t h) {
    const std::size_t n = ring.nodeCount();
    return n == 0 ? nullptr : &ring.nodeIds()[h % n];
}

bool sameOwner(const std::string* a, const std::string* b) {
    if (a == nullptr || b == nullptr) return a == b;
    return *a == *b;
}

}  // namespace

double MovementStats::fractionRing() const {
    return fraction(movedRing, keys);
}
double MovementStats::fractionModulo() const {
    return fraction(movedModulo, keys);
}

MovementStats compareMovement(const HashRing& before, const HashRing& after,
                              const std::vector<std::uint64_t>& keyHashes) {
    MovementStats stats;
    stats.keys = keyHashes.size();
    for (const std::uint64_t h : keyHashes) {
        if (!sameOwner(before.owner(h), after.owner(h))) ++stats.movedRing;
        if (!sameOwner(moduloOwner(before, h), moduloOwner(after, h))) ++stats.movedModulo;
    }
    return stats;
}

double LoadStats::stddevOverMean() const {
    return mean == 0 ? 0.0 : stddev / mean;
}
double LoadStats::maxOverMean() const {
    return mean == 0 ? 0.0 : max / mean;
}

LoadStats loadStats(const HashRing& ring, const std::vector<std::uint64_t>& keyHashes) {
    LoadStats stats;
    const std::size_t nodes = ring.nodeCount();
    stats.perNode.assign(nodes, 0);
    if (nodes == 0) return stats;
    for (const std::uint64_t h : keyHashes) ++stats.perNode[static_cast<std::size_t>(ring.ownerIndex(h))];
    stats.mean = static_cast<double>(keyHashes.size()) / static_cast<double>(nodes);
    double squares = 0;
    for (const std::size_t count : stats.perNode) {
        const double d = static_cast<double>(count) - stats.mean;
        squares += d * d;
        stats.max = std::max(stats.max, static_cast<double>(count));
    }
    stats.stddev = std::sqrt(squares / static_cast<double>(nodes));
    return stats;
}

std::size_t boundedLoadCapacity(std::size_t keys, std::size_t nodes, double eps) {
    if (nodes == 0) return 0;
    if (!(eps >= 0.0)) eps = 0.0;
    const std::size_t fair = (keys + nodes - 1) / nodes;  // exact ceil(keys / nodes)
    const double exact = (1.0 + eps) * static_cast<double>(keys) / static_cast<double>(nodes);
    // eps = 0.1 is stored a hair above 0.1, which would turn ceil(1.1 * 100000 / 10) into 11001; a
    // relative tolerance far below one key absorbs that representation error.
    const double bound = std::ceil(exact - exact * 1e-9);
    // No node can need more than all keys; the clamp also keeps a huge eps from overflowing.
    if (!(bound < static_cast<double>(keys))) return std::max<std::size_t>(keys, 1);
    return std::max(fair, static_cast<std::size_t>(bound));
}

std::vector<int> assignBoundedLoads(const HashRing& ring, const std::vector<std::uint64_t>& keyHashes,
                                    double eps) {
    std::vector<int> owners(keyHashes.size(), -1);
    const std::size_t nodes = ring.nodeCount();
    if (nodes == 0) return owners;
    const std::size_t capacity = boundedLoadCapacity(keyHashes.size(), nodes, eps);
    std::vector<std::size_t> load(nodes, 0);

    const auto positions = ring.positions();
    const auto pointOwners = ring.pointOwners();
    const std::size_t points = positions.size();
    for (std::size_t k = 0; k < keyHashes.size(); ++k) {
        std::size_t i = static_cast<std::size_t>(
            std::lower_bound(positions.begin(), positions.end(), keyHashes[k]) - positions.begin());
        // capacity * nodes >= keys, so some node still has room and a full turn of the ring finds it.
        for (std::size_t step = 0; step < points; ++step, ++i) {
            if (i == points) i = 0;
            const int node = pointOwners[i];
            if (load[static_cast<std::size_t>(node)] < capacity) {
                ++load[static_cast<std::size_t>(node)];
                owners[k] = node;
                break;
            }
        }
        assert(owners[k] >= 0 && "bounded loads: total capacity must cover every key");
    }
    return owners;
}

std::map<std::string, std::uint64_t> markerPoints(const HashRing& ring) {
    constexpr std::size_t kSpreadNodesMax = 64;
    std::map<std::string, std::uint64_t> out;
    std::vector<std::uint64_t> placed;
    for (const auto& id : ring.nodeIds()) {
        const std::vector<std::uint64_t> points = ring.pointsOf(id);
        if (points.empty()) continue;
        std::uint64_t best = points.front();
        if (!placed.empty() && ring.nodeCount() <= kSpreadNodesMax) {
            std::uint64_t bestGap = 0;
            for (std::uint64_t p : points) {
                std::uint64_t gap = ~std::uint64_t(0);
                for (std::uint64_t q : placed) gap = std::min(gap, std::min(p - q, q - p));  // circular distance
                if (gap > bestGap) {
                    bestGap = gap;
                    best = p;
                }
            }
        }
        placed.push_back(best);
        out[id] = best;
    }
    return out;
}

}  // namespace distlab::ring
