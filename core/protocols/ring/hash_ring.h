#pragma once
// Consistent hashing on a 64-bit ring with virtual nodes, after Karger et al., "Consistent Hashing and
// Random Trees" (STOC 1997). The Ketama mode reproduces libketama's point layout (last.fm, 2007): 40 MD5
// digests of "host-i" per server, four 32-bit points per digest.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace distlab::ring {

enum class HashKind { Xxh3, Ketama };

std::string_view hashKindName(HashKind kind);  // "xxh3" / "ketama"
// Accepts "xxh3" and "ketama" (ASCII case-insensitive); nullopt for anything else.
std::optional<HashKind> parseHashKind(std::string_view name);

// Position of a key on the 64-bit ring. Xxh3: XXH3_64bits of the key. Ketama: libketama's
// ketama_hashi (first four bytes of MD5(key), little-endian) shifted left by 32, so that both hashes
// share one 64-bit ring.
std::uint64_t keyHash(HashKind kind, std::string_view key);

// Hashes of the deterministic sample keys "key-0" .. "key-(n-1)" (n is capped at kSampleKeysMax).
std::vector<std::uint64_t> sampleKeyHashes(HashKind kind, std::size_t n);

struct RingConfig {
    // Virtual nodes per unit of weight: a node of weight w gets round(vnodes * w) points (at least 1).
    // Ketama draws them four per MD5 digest, so the default of 160 at weight 1 is exactly libketama's
    // 40 digests x 4 points per server.
    int vnodes = 160;
    HashKind hash = HashKind::Xxh3;
};

constexpr int kVnodesMax = 4096;
constexpr std::size_t kNodesMax = 4096;
constexpr double kWeightMax = 64.0;
constexpr std::size_t kPointsMax = std::size_t{1} << 22;  // all virtual nodes of one ring
constexpr std::size_t kNodeIdBytesMax = 256;
constexpr std::size_t kSampleKeysMax = std::size_t{1} << 24;

class HashRing {
public:
    explicit HashRing(RingConfig config = {});

    const RingConfig& config() const { return m_config; }

    // False if the id is empty or longer than kNodeIdBytesMax, already present, the weight is not in
    // (0, kWeightMax], or kNodesMax / kPointsMax would be exceeded.
    bool addNode(const std::string& id, double weight = 1.0);
    // Adds each id that addNode would accept, all with one weight, and rebuilds the points once: a
    // thousand-node ring builds in one sort instead of a thousand merges. Returns how many were added.
    std::size_t addNodes(const std::vector<std::string>& ids, double weight = 1.0);
    // False if absent. The remaining ids keep their order; later nodes' indices shift down by one.
    bool removeNode(std::string_view id);
    bool contains(std::string_view id) const { return indexOf(id) >= 0; }
    int indexOf(std::string_view id) const;  // index into nodeIds(), -1 if absent
    std::size_t nodeCount() const { return m_ids.size(); }
    const std::vector<std::string>& nodeIds() const { return m_ids; }  // insertion order
    double weight(std::string_view id) const;                          // 0 if absent

    // Node index (into nodeIds()) owning a hash: the first point clockwise at or after h, wrapping
    // past the top of the ring to the first point; -1 if the ring is empty.
    int ownerIndex(std::uint64_t h) const;
    const std::string* owner(std::uint64_t h) const;  // nullptr if empty

    // The next r distinct nodes clockwise from h, owner first; fewer if the ring has fewer nodes.
    std::vector<int> preferenceList(std::uint64_t h, std::size_t r) const;
    // Same, skipping nodes for which usable(index) is false (e.g. crashed nodes).
    std::vector<int> preferenceList(std::uint64_t h, std::size_t r,
                                    const std::function<bool(int)>& usable) const;

    std::vector<std::uint64_t> pointsOf(std::string_view id) const;  // sorted; empty if absent
    std::size_t pointCount() const { return m_positions.size() - 1; }
    // Every point in clockwise order, and the node index owning each (same length), for drawing.
    std::span<const std::uint64_t> positions() const { return {m_positions.data(), pointCount()}; }
    std::span<const int> pointOwners() const { return {m_owners.data(), pointCount()}; }

    // Both rebuild every point. setVnodes clamps to [1, kVnodesMax], and further down to the largest
    // value that keeps the ring within kPointsMax; config() shows the value used.
    void setVnodes(int vnodes);
    void setHash(HashKind kind);

private:
    std::size_t pointsFor(double weight) const;
    bool canAdd(const std::string& id, double weight, std::size_t pointsBefore) const;
    std::size_t firstPointAtOrAfter(std::uint64_t h) const;
    bool pointLess(std::uint64_t posA, int ownerA, std::uint64_t posB, int ownerB) const;
    void rebuildPoints();
    void rebuildIndex();

    RingConfig m_config;
    std::vector<std::string> m_ids;
    std::vector<double> m_weights;
    // Points as a struct of arrays sorted by (position, node id), each followed by one sentinel:
    // position UINT64_MAX owned by the first point's node, so that a lookup scan always stops and the
    // wrap-around needs no branch.
    std::vector<std::uint64_t> m_positions;
    std::vector<int> m_owners;
    // m_bucketStart[b] is the index of the first point at or after b << m_bucketShift: a lookup jumps
    // there on the top bits of the hash and scans about one point, instead of a binary search over
    // the whole ring.
    std::vector<std::uint32_t> m_bucketStart;
    int m_bucketShift = 63;
};

}  // namespace distlab::ring
