#pragma once
// A replica of the demo key-value store, after Dynamo (DeCandia et al., SOSP 2007): keys live on the
// first R usable nodes clockwise on a consistent-hash ring (Karger et al.), the owner (first of them)
// orders writes with last-writer-wins versions and acknowledges after W = min(2, R) copies, and
// replicas repair each other by pulling (handoff after ring changes, periodic anti-entropy).
//
//   client --put--> owner --replicate--> other R-1 replicas
//                    | <--replicate_ok--  (count to W)
//   client <-put_ok- +    or error 0 timeout after requestTimeout
//
//   any ring change, and every ~antiEntropyInterval:
//   node --pull--> peers;  peer --pull_ok{entries whose preference list includes node}--> node
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/kv/kv_messages.h"
#include "core/protocols/kv/kv_ring_view.h"

namespace distlab::kv {

struct KvServerConfig {
    SimTime requestTimeout = millis(400);  // a put not acknowledged by W copies by then fails with timeout
    SimTime antiEntropyInterval = millis(1000);  // jittered by +/-10% with the node's rng
    std::size_t antiEntropyAllMax = 8;           // up to this many members, pull from all of them each round
    std::size_t antiEntropyFanout = 3;           // otherwise from this many, chosen at random
    std::size_t pendingWritesMax = 1000;
};

// --- the node's disk: "kv/<key>" -> {"value","version"} ---
constexpr std::string_view kStoreKeyPrefix = "kv/";
std::string storeKeyFor(std::string_view key);
std::string encodeStoredEntry(const Entry& entry);  // the stored value (the key is in the store key)
// nullopt when the store key lacks the prefix or the text is not a stored entry.
std::optional<Entry> decodeStoredEntry(std::string_view storeKey, std::string_view text);
std::optional<Entry> readEntry(const DurableStore& store, std::string_view key);
void writeEntry(DurableStore& store, const Entry& entry);
std::vector<Entry> readEntries(const DurableStore& store);  // key order; unreadable entries skipped

class KvServer : public Node {
public:
    explicit KvServer(KvServerConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "ring epoch", "pending writes", "pending pulls", "reads served", "writes applied",
    // "last write".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    const KvServerConfig& config() const { return m_config; }
    const RingView& ringView() const { return m_ring; }
    std::size_t pendingWrites() const { return m_pendingWrites.size(); }
    std::size_t pendingPulls() const { return m_pendingPulls.size(); }
    std::uint64_t readsServed() const { return m_readsServed; }
    std::uint64_t writesApplied() const { return m_writesApplied; }

private:
    // A put this node coordinates, waiting for W copies. Keyed by its version counter, which is unique
    // on this node because the counter only grows.
    struct PendingWrite {
        NodeId client;
        std::int64_t clientMsgId = 0;
        Version version;
        std::set<NodeId> stored;  // nodes known to hold the version, this node included
        std::size_t needed = 1;   // W
        TimerId timer = 0;
    };
    struct PendingPull {
        std::int64_t msgId = 0;
        TimerId timer = 0;
    };

    void onRingUpdate(Context& ctx, const Envelope& message);
    void onPut(Context& ctx, const Envelope& message);
    void onGet(Context& ctx, const Envelope& message);
    void onReplicate(Context& ctx, const Envelope& message);
    void onReplicateOk(Context& ctx, const Envelope& message);
    void onPull(Context& ctx, const Envelope& message);
    void onPullOk(Context& ctx, const Envelope& message);
    void onPutTimeout(Context& ctx, TimerId id);
    void onPullTimeout(TimerId id);
    void onAntiEntropy(Context& ctx);

    // The reason this node may not serve the key, or empty when it is the key's owner.
    std::string notOwnerReason(Context& ctx, const std::string& key) const;
    bool applyEntry(Context& ctx, const Entry& entry);  // stores it if newer; true if stored
    void pullFrom(Context& ctx, const NodeId& peer);
    void pullFromAll(Context& ctx);
    void scheduleAntiEntropy(Context& ctx);
    void finishWrite(Context& ctx, std::map<std::int64_t, PendingWrite>::iterator it);
    static void replyError(Context& ctx, const Envelope& request, ErrorCode code, std::string text);

    KvServerConfig m_config;
    RingView m_ring;
    std::int64_t m_counter = 0;  // mirrors the durable version counter
    std::map<std::int64_t, PendingWrite> m_pendingWrites;
    std::map<TimerId, std::int64_t> m_putTimers;  // timer -> pending write
    std::map<NodeId, PendingPull> m_pendingPulls;
    std::map<TimerId, NodeId> m_pullTimers;
    std::uint64_t m_readsServed = 0;
    std::uint64_t m_writesApplied = 0;
    std::string m_lastWrite;
};

// "3.215 s": simulated time with millisecond precision, locale-independent.
std::string formatSeconds(SimTime t);

}  // namespace distlab::kv
