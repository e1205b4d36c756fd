#pragma once
// One node's view of the membership: the consistent-hash ring (Karger et al.) announced by the
// membership service in a ring_update, and Dynamo-style preference lists over it that skip members
// marked down.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/node.h"
#include "core/base/result.h"
#include "core/protocols/kv/kv_messages.h"
#include "core/protocols/ring/hash_ring.h"

namespace distlab::kv {

class RingView {
public:
    // An empty view (epoch 0): no members, every preference list is empty.
    RingView() = default;
    // Fails with the reason when validateRingUpdate() does.
    static Result<RingView> fromUpdate(const RingUpdate& update);

    bool known() const { return m_update.epoch > 0; }
    std::int64_t epoch() const { return m_update.epoch; }
    int replicas() const { return m_update.replicas; }
    const RingUpdate& update() const { return m_update; }
    const ring::HashRing& ring() const { return m_ring; }

    bool isMember(std::string_view id) const { return m_ring.contains(id); }
    bool isDown(std::string_view id) const;
    bool usable(std::string_view id) const { return isMember(id) && !isDown(id); }
    std::vector<std::string> usableMembers() const;  // ring insertion order

    // The first R usable members clockwise from the key's hash, owner first.
    std::vector<std::string> preferenceList(std::string_view key) const;
    // Same, but treating `alsoUsable` as usable even if it is marked down: the list that member would
    // be responsible for once it is back.
    std::vector<std::string> preferenceList(std::string_view key, std::string_view alsoUsable) const;
    std::optional<std::string> owner(std::string_view key) const;

    // The view is part of a node's disk, so that a restarted node knows the ring it last saw.
    void save(Disk store) const;
    static RingView load(const DiskReader& store);  // empty view if none saved or unreadable

private:
    RingUpdate m_update{0, 160, "xxh3", 1, {}, {}};
    ring::HashRing m_ring;
    std::vector<char> m_down;  // by ring node index
};

// Adopts a ring_update body if it is newer than `view`: saves it to the node's disk and traces the new
// view. An older or equal epoch is ignored silently; a malformed or invalid one is ignored with a trace
// state saying why, so a misconfigured membership service is visible. True if adopted.
bool adoptRingUpdate(Context& ctx, const Body& body, RingView& view);

// "epoch 3: 5 members, 1 down"
std::string ringViewText(const RingView& view);

// A ring_update describing the membership service's ring (the Session's authoritative one).
RingUpdate makeRingUpdate(std::int64_t epoch, const ring::HashRing& ring, int replicas,
                          const std::vector<std::string>& down);

}  // namespace distlab::kv
