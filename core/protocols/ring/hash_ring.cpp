#include "core/protocols/ring/hash_ring.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include <openssl/evp.h>
#include <xxhash.h>

namespace distlab::ring {

namespace {

constexpr std::uint64_t kSentinelPosition = std::numeric_limits<std::uint64_t>::max();
// About one bucket per point, so a lookup scans about one point after the jump; kPointsMax keeps the
// table below this cap.
constexpr int kBucketBitsMax = 24;
constexpr std::size_t kPointsPerDigest = 4;  // libketama takes four 32-bit points from each MD5

using Md5Digest = std::array<unsigned char, 16>;

const EVP_MD* md5Method() {
    // Fetching once avoids OpenSSL 3's implicit fetch on every digest, which costs more than the MD5.
    static const EVP_MD* const method = [] {
        const EVP_MD* fetched = EVP_MD_fetch(nullptr, "MD5", nullptr);
        return fetched != nullptr ? fetched : EVP_md5();
    }();
    return method;
}

Md5Digest md5(std::string_view data) {
    Md5Digest digest{};
    unsigned int length = 0;
    const int ok = EVP_Digest(data.data(), data.size(), digest.data(), &length, md5Method(), nullptr);
    assert(ok == 1 && length == digest.size() && "MD5 must be available for Ketama hashing");
    (void)ok;
    return digest;
}

// libketama reads each group of four digest bytes little-endian, whatever the host byte order.
std::uint32_t littleEndian32(const unsigned char* bytes) {
    return static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8 |
           static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
}

// "id-index", the label libketama hashes for a server's index-th digest; Xxh3 uses the same form.
void setLabel(std::string& label, std::string_view id, std::size_t index) {
    label.assign(id);
    label.push_back('-');
    std::array<char, 24> digits{};
    const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), index);
    label.append(digits.data(), result.ptr);
}

void appendNodePoints(HashKind kind, std::string_view id, std::size_t count,
                      std::vector<std::uint64_t>& out) {
    std::string label;
    label.reserve(id.size() + 12);
    if (kind == HashKind::Xxh3) {
        for (std::size_t i = 0; i < count; ++i) {
            setLabel(label, id, i);
            out.push_back(XXH3_64bits(label.data(), label.size()));
        }
        return;
    }
    std::size_t produced = 0;
    for (std::size_t digestIndex = 0; produced < count; ++digestIndex) {
        setLabel(label, id, digestIndex);
        const Md5Digest digest = md5(label);
        for (std::size_t part = 0; part < kPointsPerDigest && produced < count; ++part, ++produced) {
            out.push_back(static_cast<std::uint64_t>(littleEndian32(digest.data() + 4 * part)) << 32);
        }
    }
}

char asciiLower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return asciiLower(x) == y; });
}

}  // namespace

std::string_view hashKindName(HashKind kind) {
    switch (kind) {
        case HashKind::Xxh3:
            return "xxh3";
        case HashKind::Ketama:
            return "ketama";
    }
    return "xxh3";
}

std::optional<HashKind> parseHashKind(std::string_view name) {
    if (equalsIgnoringCase(name, "xxh3")) return HashKind::Xxh3;
    if (equalsIgnoringCase(name, "ketama")) return HashKind::Ketama;
    return std::nullopt;
}

std::uint64_t keyHash(HashKind kind, std::string_view key) {
    if (kind == HashKind::Xxh3) return XXH3_64bits(key.data(), key.size());
    return static_cast<std::uint64_t>(littleEndian32(md5(key).data())) << 32;
}

std::vector<std::uint64_t> sampleKeyHashes(HashKind kind, std::size_t n) {
    n = std::min(n, kSampleKeysMax);
    std::vector<std::uint64_t> hashes;
    hashes.reserve(n);
    std::string key = "key-";
    std::array<char, 24> digits{};
    for (std::size_t i = 0; i < n; ++i) {
        const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), i);
        key.resize(4);
        key.append(digits.data(), result.ptr);
        hashes.push_back(keyHash(kind, key));
    }
    return hashes;
}

HashRing::HashRing(RingConfig config) : m_config(config) {
    m_config.vnodes = std::clamp(m_config.vnodes, 1, kVnodesMax);
    m_positions.assign(1, kSentinelPosition);
    m_owners.assign(1, -1);
    rebuildIndex();
}

int HashRing::indexOf(std::string_view id) const {
    const auto it = std::find(m_ids.begin(), m_ids.end(), id);
    return it == m_ids.end() ? -1 : static_cast<int>(it - m_ids.begin());
}

double HashRing::weight(std::string_view id) const {
    const int index = indexOf(id);
    return index < 0 ? 0.0 : m_weights[static_cast<std::size_t>(index)];
}

std::size_t HashRing::pointsFor(double weight) const {
    const long long points = std::llround(static_cast<double>(m_config.vnodes) * weight);
    return static_cast<std::size_t>(std::max(1LL, points));
}

bool HashRing::pointLess(std::uint64_t posA, int ownerA, std::uint64_t posB, int ownerB) const {
    // Ties (rare on 64 bits, a handful per ring with Ketama's 32-bit points) go to the smaller id, so
    // that owners do not depend on the order in which nodes joined.
    if (posA != posB) return posA < posB;
    return m_ids[static_cast<std::size_t>(ownerA)] < m_ids[static_cast<std::size_t>(ownerB)];
}

bool HashRing::canAdd(const std::string& id, double weight, std::size_t pointsBefore) const {
    if (id.empty() || id.size() > kNodeIdBytesMax || contains(id)) return false;
    if (m_ids.size() >= kNodesMax) return false;
    if (!(weight > 0.0 && weight <= kWeightMax)) return false;  // also rejects NaN
    return pointsBefore + pointsFor(weight) <= kPointsMax;
}

bool HashRing::addNode(const std::string& id, double weight) {
    if (!canAdd(id, weight, pointCount())) return false;
    const std::size_t count = pointsFor(weight);

    const int newIndex = static_cast<int>(m_ids.size());
    m_ids.push_back(id);
    m_weights.push_back(weight);

    std::vector<std::uint64_t> fresh;
    fresh.reserve(count);
    appendNodePoints(m_config.hash, id, count, fresh);
    std::sort(fresh.begin(), fresh.end());

    // Merge instead of re-sorting: adding N nodes one by one stays O(N * points).
    const std::size_t oldCount = pointCount();
    std::vector<std::uint64_t> positions;
    std::vector<int> owners;
    positions.reserve(oldCount + count + 1);
    owners.reserve(oldCount + count + 1);
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < oldCount || j < count) {
        const bool takeOld =
            j == count || (i < oldCount && pointLess(m_positions[i], m_owners[i], fresh[j], newIndex));
        if (takeOld) {
            positions.push_back(m_positions[i]);
            owners.push_back(m_owners[i]);
            ++i;
        } else {
            positions.push_back(fresh[j]);
            owners.push_back(newIndex);
            ++j;
        }
    }
    positions.push_back(kSentinelPosition);
    owners.push_back(-1);
    m_positions = std::move(positions);
    m_owners = std::move(owners);
    rebuildIndex();
    return true;
}

std::size_t HashRing::addNodes(const std::vector<std::string>& ids, double weight) {
    std::size_t added = 0;
    std::size_t points = pointCount();
    for (const std::string& id : ids) {
        if (!canAdd(id, weight, points)) continue;
        m_ids.push_back(id);
        m_weights.push_back(weight);
        points += pointsFor(weight);
        ++added;
    }
    if (added > 0) rebuildPoints();
    return added;
}

bool HashRing::removeNode(std::string_view id) {
    const int index = indexOf(id);
    if (index < 0) return false;
    m_ids.erase(m_ids.begin() + index);
    m_weights.erase(m_weights.begin() + index);

    const std::size_t oldCount = pointCount();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < oldCount; ++i) {
        const int owner = m_owners[i];
        if (owner == index) continue;
        m_positions[kept] = m_positions[i];
        m_owners[kept] = owner > index ? owner - 1 : owner;
        ++kept;
    }
    m_positions.resize(kept + 1);
    m_owners.resize(kept + 1);
    m_positions[kept] = kSentinelPosition;
    rebuildIndex();
    return true;
}

void HashRing::rebuildPoints() {
    std::vector<std::pair<std::uint64_t, int>> points;
    std::vector<std::uint64_t> nodePoints;
    for (std::size_t node = 0; node < m_ids.size(); ++node) {
        nodePoints.clear();
        appendNodePoints(m_config.hash, m_ids[node], pointsFor(m_weights[node]), nodePoints);
        for (const std::uint64_t p : nodePoints) points.emplace_back(p, static_cast<int>(node));
    }
    std::sort(points.begin(), points.end(), [this](const auto& a, const auto& b) {
        return pointLess(a.first, a.second, b.first, b.second);
    });
    m_positions.clear();
    m_owners.clear();
    m_positions.reserve(points.size() + 1);
    m_owners.reserve(points.size() + 1);
    for (const auto& [position, owner] : points) {
        m_positions.push_back(position);
        m_owners.push_back(owner);
    }
    m_positions.push_back(kSentinelPosition);
    m_owners.push_back(-1);
    rebuildIndex();
}

void HashRing::rebuildIndex() {
    const std::size_t n = pointCount();
    assert(m_positions.size() == n + 1 && m_owners.size() == n + 1);
    assert(n <= kPointsMax);
    m_positions[n] = kSentinelPosition;
    m_owners[n] = n == 0 ? -1 : m_owners[0];

    int bits = 1;
    while (bits < kBucketBitsMax && (std::size_t{1} << bits) < n) ++bits;
    m_bucketShift = 64 - bits;
    const std::size_t buckets = std::size_t{1} << bits;
    m_bucketStart.resize(buckets);
    // One pass over the points: every bucket up to and including a point's own bucket that has no
    // start yet begins at that point; buckets after the last point begin at the sentinel.
    std::size_t b = 0;
    for (std::size_t i = 0; i < n; ++i) {
        assert((i == 0 || m_positions[i - 1] <= m_positions[i]) && "ring points must stay sorted");
        const std::size_t pointBucket = static_cast<std::size_t>(m_positions[i] >> m_bucketShift);
        if (pointBucket < b) continue;
        std::fill(m_bucketStart.begin() + static_cast<std::ptrdiff_t>(b),
                  m_bucketStart.begin() + static_cast<std::ptrdiff_t>(pointBucket + 1),
                  static_cast<std::uint32_t>(i));
        b = pointBucket + 1;
    }
    std::fill(m_bucketStart.begin() + static_cast<std::ptrdiff_t>(b), m_bucketStart.end(),
              static_cast<std::uint32_t>(n));
}

std::size_t HashRing::firstPointAtOrAfter(std::uint64_t h) const {
    std::size_t i = m_bucketStart[h >> m_bucketShift];
    while (m_positions[i] < h) ++i;  // stops at the sentinel at the latest
    return i == pointCount() ? 0 : i;
}

int HashRing::ownerIndex(std::uint64_t h) const {
    if (m_ids.empty()) return -1;
    // Hot path for every key lookup: no wrap branch, because the sentinel's owner is the first point's.
    const std::uint64_t* positions = m_positions.data();
    std::size_t i = m_bucketStart[h >> m_bucketShift];
    while (positions[i] < h) ++i;
    return m_owners[i];
}

const std::string* HashRing::owner(std::uint64_t h) const {
    const int index = ownerIndex(h);
    return index < 0 ? nullptr : &m_ids[static_cast<std::size_t>(index)];
}

std::vector<int> HashRing::preferenceList(std::uint64_t h, std::size_t r) const {
    return preferenceList(h, r, std::function<bool(int)>{});
}

std::vector<int> HashRing::preferenceList(std::uint64_t h, std::size_t r,
                                          const std::function<bool(int)>& usable) const {
    std::vector<int> list;
    const std::size_t nodes = m_ids.size();
    if (nodes == 0 || r == 0) return list;
    r = std::min(r, nodes);
    list.reserve(r);
    // A node counts once even if unusable, so the walk ends after every node has been seen.
    std::vector<char> seen(nodes, 0);
    std::size_t seenCount = 0;
    const std::size_t n = pointCount();
    std::size_t i = firstPointAtOrAfter(h);
    for (std::size_t step = 0; step < n && list.size() < r && seenCount < nodes; ++step) {
        const int node = m_owners[i];
        if (!seen[static_cast<std::size_t>(node)]) {
            seen[static_cast<std::size_t>(node)] = 1;
            ++seenCount;
            if (!usable || usable(node)) list.push_back(node);
        }
        if (++i == n) i = 0;
    }
    return list;
}

std::vector<std::uint64_t> HashRing::pointsOf(std::string_view id) const {
    std::vector<std::uint64_t> points;
    const int index = indexOf(id);
    if (index < 0) return points;
    appendNodePoints(m_config.hash, id, pointsFor(m_weights[static_cast<std::size_t>(index)]), points);
    std::sort(points.begin(), points.end());
    return points;
}

void HashRing::setVnodes(int vnodes) {
    vnodes = std::clamp(vnodes, 1, kVnodesMax);
    const auto totalPoints = [this](int candidate) {
        const int saved = m_config.vnodes;
        m_config.vnodes = candidate;
        std::size_t total = 0;
        for (const double w : m_weights) total += pointsFor(w);
        m_config.vnodes = saved;
        return total;
    };
    if (totalPoints(vnodes) > kPointsMax) {
        // The total grows with vnodes, and at 1 vnode it is at most kNodesMax * kWeightMax points.
        int fits = 1;
        int tooMany = vnodes;
        while (tooMany - fits > 1) {
            const int middle = fits + (tooMany - fits) / 2;
            (totalPoints(middle) <= kPointsMax ? fits : tooMany) = middle;
        }
        vnodes = fits;
    }
    m_config.vnodes = vnodes;
    rebuildPoints();
}

void HashRing::setHash(HashKind kind) {
    m_config.hash = kind;
    rebuildPoints();
}

}  // namespace distlab::ring
