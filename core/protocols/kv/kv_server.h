#pragma once
// A replica of the demo key-value store, after Dynamo (DeCandia et al., SOSP 2007): keys live on the
// first R usable nodes clockwise on a consistent-hash ring (Karger et al.), the owner (first of them)
// orders writes with last-writer-wins versions and acknowledges after W = min(2, R, ring size) copies,
// and replicas repair each other with a digest exchange (handoff after ring changes, periodic
// anti-entropy).
//
// A write, at the owner:
//
//   client --put--> owner: version v = (counter+1, owner), stored locally
//                    | --replicate v--> other R-1 replicas
//                    | <--replicate_ok{version v, held h}--
//                    |      h == v: the replica stored v; count it toward W
//                    |      h >  v: it did not store v, and h may even have been acknowledged before
//                    |              this put began. Re-version:
//                    |              v = (max(counter, h.counter)+1, owner), store, replicate again
//                    |              (at most kReversionsMax times, and only while still the
//                    |              key's owner; otherwise error 0: unknown)
//   client <-put_ok v- + once W copies hold v, v is above every version a replica reported, and no
//                        other node's newer version has reached the owner's own copy meanwhile;
//                        or error 0 (timeout) after requestTimeout: the write may or may not survive
//
// Membership and handoff, per node:
//
//   SERVING --ring_update / pull with a newer ring / restart--> HANDOFF (pull from every usable peer)
//   HANDOFF: put and get on keys this node owns fail with error 11 "handoff in progress on nX"
//   HANDOFF --every pull finished (answered, or timed out kHandoffPullAttemptsMax times in a row: the
//             peer is unreachable)--> SERVING
//
// A pull, between any two servers (handoff and anti-entropy use the same path):
//
//   node --pull{its ring, summary}--> peer  (peer adopts the ring first if its own is older)
//   node <--pull_digest{key: version}--     (entries whose preference list includes node, chunked;
//                                            with a summary, only the shared buckets that differ)
//   node --fetch{keys where peer is newer}--> peer
//   node <--pull_ok{entries}--
//
// Handoff pulls are full (no summary): the peer may hold keys of ranges it no longer replicates.
// Anti-entropy pulls carry a summary, unless the last exchange with that peer failed.
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

// How often an owner re-versions a write whose replicas report newer versions before giving up.
constexpr int kReversionsMax = 3;
// How often a handoff pull is sent before its peer counts as unreachable: a lost message is not a
// dead peer, and a new owner that gave up too early would serve stale values.
constexpr int kHandoffPullAttemptsMax = 3;

// --- the node's disk: "kv/<key>" -> {"value","version"} ---
constexpr std::string_view kStoreKeyPrefix = "kv/";
std::string storeKeyFor(std::string_view key);
std::string encodeStoredEntry(const Entry& entry);  // the stored value (the key is in the store key)
// nullopt when the store key lacks the prefix or the text is not a stored entry.
std::optional<Entry> decodeStoredEntry(std::string_view storeKey, std::string_view text);
std::optional<Entry> readEntry(const DiskReader& store, std::string_view key);
void writeEntry(Disk store, const Entry& entry);
std::vector<Entry> readEntries(const DiskReader& store);  // key order; unreadable entries skipped

class KvServer : public CopyableNode<KvServer> {
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
    bool handoffInProgress() const { return !m_handoffPending.empty(); }
    std::uint64_t readsServed() const { return m_readsServed; }
    std::uint64_t writesApplied() const { return m_writesApplied; }

private:
    // The store's kv/ entries, decoded: loaded from the disk at start, written through on every change.
    std::optional<Entry> cachedEntry(std::string_view key) const;
    std::vector<Entry> cachedEntries() const;
    std::map<std::string, Entry> m_entries;

    // A put this node coordinates, waiting for W copies. Keyed by its first version counter (unique on
    // this node, because the counter only grows); re-versions keep the key and add aliases.
    struct PendingWrite {
        NodeId client;
        std::int64_t clientMsgId = 0;
        std::string key;
        std::string value;
        Version version;          // the current version; only copies of this one count
        std::set<NodeId> stored;  // nodes known to hold the current version, this node included
        std::size_t needed = 1;   // W
        int reversions = 0;
        TimerId timer = 0;
    };
    // One exchange with a peer: the pull, its digest chunks, and the fetches they caused.
    struct PendingPull {
        std::int64_t msgId = 0;  // the pull
        bool full = true;        // asked for the whole digest, not only the buckets that differ
        bool digestDone = false;
        std::set<std::int64_t> fetches;  // fetch msg ids awaiting pull_ok
        TimerId timer = 0;
        int attempts = 0;  // handoff pulls: how often it was sent
    };
    using WriteIt = std::map<std::int64_t, PendingWrite>::iterator;

    void onRingUpdate(Context& ctx, const Envelope& message);
    void onPut(Context& ctx, const Envelope& message);
    void onGet(Context& ctx, const Envelope& message);
    void onReplicate(Context& ctx, const Envelope& message);
    void onReplicateOk(Context& ctx, const Envelope& message);
    void onPull(Context& ctx, const Envelope& message);
    void onPullDigest(Context& ctx, const Envelope& message);
    void onFetch(Context& ctx, const Envelope& message);
    void onPullOk(Context& ctx, const Envelope& message);
    void onPutTimeout(Context& ctx, TimerId id);
    void onPullTimeout(Context& ctx, TimerId id);
    void onAntiEntropy(Context& ctx);

    // The reason this node may not serve the key now, or empty when it may: it must be the key's owner,
    // and not in the middle of a handoff.
    std::string notServingReason(Context& ctx, const std::string& key) const;
    bool applyEntry(Context& ctx, const Entry& entry);  // stores it if newer; true if stored
    std::int64_t nextCounter(Context& ctx, std::int64_t above);
    // After a ring change or a restart: pull from every usable peer, and refuse owner operations until
    // all of those pulls have finished.
    void startHandoff(Context& ctx);
    // A full pull asks for every entry the peer holds for this node; otherwise the pull carries a
    // summary of `entries` (this node's store) and the peer answers only where it differs.
    void pullFrom(Context& ctx, const NodeId& peer, bool full, const std::vector<Entry>& entries);
    // Per-bucket sums of entryDigestHash() over the entries both nodes replicate; `buckets` == 0 picks
    // the count from the number of shared keys.
    std::vector<std::uint64_t> summarize(const std::vector<Entry>& entries, const NodeId& requester,
                                         const NodeId& responder, std::size_t buckets) const;
    bool shared(const std::string& key, const NodeId& requester, const NodeId& responder) const;
    void armPullTimer(Context& ctx, const NodeId& peer, PendingPull& pull);
    void finishPullIfDone(Context& ctx, const NodeId& peer);
    void finishPull(Context& ctx, const NodeId& peer, bool completed);
    void scheduleAntiEntropy(Context& ctx);
    void replicateWrite(Context& ctx, const PendingWrite& write);
    void reversionWrite(Context& ctx, WriteIt it, const Version& above);
    void tryFinishWrite(Context& ctx, WriteIt it);
    void failWrite(Context& ctx, WriteIt it, std::string text);
    void eraseWrite(Context& ctx, WriteIt it);

    KvServerConfig m_config;
    RingView m_ring;
    std::int64_t m_counter = 0;  // mirrors the durable version counter
    std::map<std::int64_t, PendingWrite> m_pendingWrites;
    std::map<std::int64_t, std::int64_t> m_writeAliases;  // every counter a pending write used -> its key
    std::map<TimerId, std::int64_t> m_putTimers;          // timer -> pending write
    std::map<NodeId, PendingPull> m_pendingPulls;
    std::map<TimerId, NodeId> m_pullTimers;
    std::set<NodeId> m_handoffPending;  // peers whose handoff pull has not finished
    std::set<NodeId> m_needsFullPull;   // peers whose last exchange failed: the next one is full
    std::uint64_t m_readsServed = 0;
    std::uint64_t m_writesApplied = 0;
    std::string m_lastWrite;
};

// "3.215 s": simulated time with millisecond precision, locale-independent.
std::string formatSeconds(SimTime t);

}  // namespace distlab::kv
