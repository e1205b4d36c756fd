// A Dynamo-style replica (DeCandia et al., SOSP 2007) on a consistent-hash ring: owner-ordered
// last-writer-wins writes acknowledged after W copies of the same version, owners that serve only after
// their handoff, and digest-based handoff and anti-entropy. The state machines are drawn in the header.
#include "core/protocols/kv/kv_server.h"

#include <algorithm>
#include <cassert>

namespace distlab::kv {

namespace {

const std::string kCounterStoreKey = "meta/version-counter";
const std::string kTagPutTimeout = "put-timeout";
const std::string kTagPullTimeout = "pull-timeout";
const std::string kTagAntiEntropy = "anti-entropy";

}  // namespace

std::string formatSeconds(SimTime t) {
    const bool negative = t < 0;
    const std::int64_t ms = (negative ? -t : t) / kMicrosPerMilli;
    std::string fraction = std::to_string(ms % 1000);
    fraction.insert(0, 3 - fraction.size(), '0');
    return (negative ? "-" : "") + std::to_string(ms / 1000) + "." + fraction + " s";
}

// --- the node's disk ---

std::string storeKeyFor(std::string_view key) {
    return std::string(kStoreKeyPrefix) + std::string(key);
}

std::string encodeStoredEntry(const Entry& entry) {
    return Json{{"value", entry.value}, {"version", entry.version}}.dump();
}

std::optional<Entry> decodeStoredEntry(std::string_view storeKey, std::string_view text) {
    if (!storeKey.starts_with(kStoreKeyPrefix)) return std::nullopt;
    Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    Entry entry;
    entry.key = std::string(storeKey.substr(kStoreKeyPrefix.size()));
    try {
        entry.value = json.at("value").get<std::string>();
        entry.version = json.at("version").get<Version>();
    } catch (const Json::exception&) {
        return std::nullopt;
    }
    return entry;
}

std::optional<Entry> readEntry(const DiskReader& store, std::string_view key) {
    const std::string storeKey = storeKeyFor(key);
    std::optional<std::string> text = store.get(storeKey);
    if (!text) return std::nullopt;
    return decodeStoredEntry(storeKey, *text);
}

void writeEntry(Disk store, const Entry& entry) {
    store.put(storeKeyFor(entry.key), encodeStoredEntry(entry));
}

std::vector<Entry> readEntries(const DiskReader& store) {
    std::vector<Entry> out;
    for (const auto& [key, stored] : store.scan(kStoreKeyPrefix)) {
        if (std::optional<Entry> entry = decodeStoredEntry(key, stored)) out.push_back(*entry);
    }
    return out;
}

std::optional<Entry> KvServer::cachedEntry(std::string_view key) const {
    auto it = m_entries.find(std::string(key));
    if (it == m_entries.end()) return std::nullopt;
    return it->second;
}

std::vector<Entry> KvServer::cachedEntries() const {
    std::vector<Entry> out;
    out.reserve(m_entries.size());
    for (const auto& [key, entry] : m_entries) out.push_back(entry);
    return out;
}

// --- the replica ---

KvServer::KvServer(KvServerConfig config) : m_config(config) {}

void KvServer::onStart(Context& ctx) {
    // A restart is a fresh process on the same disk: the version counter and the last ring seen survive.
    if (std::optional<std::string> counter = ctx.store().get(kCounterStoreKey)) {
        Json json = Json::parse(*counter, nullptr, false);
        if (json.is_number_integer()) m_counter = json.get<std::int64_t>();
    }
    // Decoding the disk once here keeps every later read of this process in memory.
    for (Entry& entry : readEntries(ctx.store())) {
        std::string key = entry.key;
        m_entries.emplace(std::move(key), std::move(entry));
    }
    m_ring = RingView::load(ctx.store());
    if (m_ring.known()) {
        ctx.traceState(ringViewText(m_ring));
        // What was written while this node was away must be here before it serves as an owner again.
        startHandoff(ctx);
    }
    scheduleAntiEntropy(ctx);
}

void KvServer::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == RingUpdate::kType) return onRingUpdate(ctx, message);
    if (type == Put::kType) return onPut(ctx, message);
    if (type == Get::kType) return onGet(ctx, message);
    if (type == Replicate::kType) return onReplicate(ctx, message);
    if (type == ReplicateOk::kType) return onReplicateOk(ctx, message);
    if (type == Pull::kType) return onPull(ctx, message);
    if (type == PullDigest::kType) return onPullDigest(ctx, message);
    if (type == Fetch::kType) return onFetch(ctx, message);
    if (type == PullOk::kType) return onPullOk(ctx, message);
    ctx.replyNotSupported(message, "a kv server");
}

void KvServer::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag == kTagPutTimeout) return onPutTimeout(ctx, id);
    if (tag == kTagPullTimeout) return onPullTimeout(ctx, id);
    if (tag == kTagAntiEntropy) return onAntiEntropy(ctx);
}

void KvServer::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "ring epoch"), m_ring.known() ? std::to_string(m_ring.epoch()) : QT_TRANSLATE_NOOP("Details", "none"));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "pending writes"), std::to_string(m_pendingWrites.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "pending pulls"), std::to_string(m_pendingPulls.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "reads served"), std::to_string(m_readsServed));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "writes applied"), std::to_string(m_writesApplied));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "last write"), m_lastWrite.empty() ? QT_TRANSLATE_NOOP("Details", "none") : m_lastWrite);
}

std::string KvServer::notServingReason(Context& ctx, const std::string& key) const {
    if (!m_ring.known()) return "no ring yet: " + ctx.self() + " has not heard from the membership service";
    std::optional<std::string> owner = m_ring.owner(key);
    if (!owner) return "no usable replica for " + key + " in ring epoch " + std::to_string(m_ring.epoch());
    if (*owner != ctx.self()) return "not the owner of " + key + " (owner is " + *owner + ")";
    // A new owner may not yet hold the newest acknowledged version: serving now could return a stale
    // value or order a write below one already acknowledged. Its handoff pulls end that window.
    if (!m_handoffPending.empty()) return "handoff in progress on " + ctx.self();
    return {};
}

bool KvServer::applyEntry(Context& ctx, const Entry& entry) {
    std::optional<Entry> current = cachedEntry(entry.key);
    if (current && current->version >= entry.version) return false;
    writeEntry(ctx.store(), entry);
    m_entries[entry.key] = entry;
    ++m_writesApplied;
    m_lastWrite = entry.key + "=" + entry.value + " @ " + formatSeconds(ctx.now());
    return true;
}

std::int64_t KvServer::nextCounter(Context& ctx, std::int64_t above) {
    m_counter = std::max(m_counter, above) + 1;
    ctx.store().put(kCounterStoreKey, std::to_string(m_counter));
    return m_counter;
}

// --- membership, handoff and anti-entropy ---

void KvServer::onRingUpdate(Context& ctx, const Envelope& message) {
    if (adoptRingUpdate(ctx, message.body, m_ring)) startHandoff(ctx);
}

void KvServer::startHandoff(Context& ctx) {
    // Pulling from every peer on every new epoch (not only when this node's ranges grew) is simpler, and
    // doubles as an immediate repair after a membership change.
    m_handoffPending.clear();
    m_needsFullPull.clear();  // every handoff pull is full anyway
    if (!m_ring.isMember(ctx.self())) return;
    for (const std::string& peer : m_ring.usableMembers()) {
        if (peer == ctx.self()) continue;
        m_handoffPending.insert(peer);
        pullFrom(ctx, peer, /*full=*/true, {});
        m_pendingPulls[peer].attempts = 1;
    }
    if (!m_handoffPending.empty())
        ctx.traceState("handoff: pulling from " + std::to_string(m_handoffPending.size()) + " peers");
}

bool KvServer::shared(const std::string& key, const NodeId& requester, const NodeId& responder) const {
    const std::vector<std::string> list = m_ring.preferenceList(key, requester);
    return std::find(list.begin(), list.end(), requester) != list.end() &&
           std::find(list.begin(), list.end(), responder) != list.end();
}

std::vector<std::uint64_t> KvServer::summarize(const std::vector<Entry>& entries, const NodeId& requester,
                                               const NodeId& responder, std::size_t buckets) const {
    std::vector<const Entry*> sharedEntries;
    for (const Entry& entry : entries) {
        if (shared(entry.key, requester, responder)) sharedEntries.push_back(&entry);
    }
    if (buckets == 0) buckets = digestBucketCount(sharedEntries.size());
    // A sum, so that the order of the entries does not matter (unsigned overflow wraps, by design).
    std::vector<std::uint64_t> sums(buckets, 0);
    for (const Entry* entry : sharedEntries)
        sums[digestBucket(entry->key, buckets)] += entryDigestHash(entry->key, entry->version);
    return sums;
}

void KvServer::pullFrom(Context& ctx, const NodeId& peer, bool full, const std::vector<Entry>& entries) {
    PendingPull& pull = m_pendingPulls[peer];
    pull.full = full;
    pull.attempts = 0;
    pull.digestDone = false;
    pull.fetches.clear();  // replies to a superseded exchange are still applied, just not waited for
    Pull request{m_ring.update(), {}};
    if (!full) request.summary = summarize(entries, ctx.self(), peer, 0);
    pull.msgId = ctx.send(peer, makeBody(request));
    armPullTimer(ctx, peer, pull);
}

void KvServer::armPullTimer(Context& ctx, const NodeId& peer, PendingPull& pull) {
    // The timeout counts from the last sign of progress, so a long handoff in many chunks is not cut off.
    if (pull.timer != 0) {
        ctx.cancelTimer(pull.timer);
        m_pullTimers.erase(pull.timer);
    }
    pull.timer = ctx.setTimer(m_config.requestTimeout, kTagPullTimeout);
    m_pullTimers[pull.timer] = peer;
}

void KvServer::finishPullIfDone(Context& ctx, const NodeId& peer) {
    auto it = m_pendingPulls.find(peer);
    if (it != m_pendingPulls.end() && it->second.digestDone && it->second.fetches.empty())
        finishPull(ctx, peer, /*completed=*/true);
}

void KvServer::finishPull(Context& ctx, const NodeId& peer, bool completed) {
    auto it = m_pendingPulls.find(peer);
    if (it != m_pendingPulls.end()) {
        if (it->second.timer != 0) {
            ctx.cancelTimer(it->second.timer);
            m_pullTimers.erase(it->second.timer);
        }
        // A failed exchange may have missed keys the peer alone holds for ranges it no longer
        // replicates, which a summary does not cover: the next exchange with it is full.
        if (!completed) {
            m_needsFullPull.insert(peer);
        } else if (it->second.full) {
            m_needsFullPull.erase(peer);
        }
        m_pendingPulls.erase(it);
    }
    if (m_handoffPending.erase(peer) > 0 && m_handoffPending.empty()) ctx.traceState("handoff done");
}

void KvServer::onPullTimeout(Context& ctx, TimerId id) {
    auto timer = m_pullTimers.find(id);
    if (timer == m_pullTimers.end()) return;
    const NodeId peer = timer->second;
    m_pullTimers.erase(timer);
    auto it = m_pendingPulls.find(peer);
    if (it == m_pendingPulls.end()) return;
    it->second.timer = 0;  // it has fired; nothing to cancel
    if (m_handoffPending.count(peer) && it->second.attempts < kHandoffPullAttemptsMax) {
        // Perhaps only a message was lost: ask again before serving without this peer's data.
        const int attempts = it->second.attempts;
        pullFrom(ctx, peer, /*full=*/true, {});
        m_pendingPulls[peer].attempts = attempts + 1;
        return;
    }
    // The peer is unreachable: what it alone holds cannot be had now, and waiting longer would keep this
    // node's keys unavailable. The next anti-entropy round asks again.
    finishPull(ctx, peer, /*completed=*/false);
}

void KvServer::onPull(Context& ctx, const Envelope& message) {
    Result<Pull> pull = bodyAs<Pull>(message.body);
    if (!pull) return ctx.replyError(message, ErrorCode::MalformedRequest, pull.error().message);
    if (pull->summary.size() > kDigestBucketsMax) {
        return ctx.replyError(message, ErrorCode::MalformedRequest,
                              "pull.summary: more than " + std::to_string(kDigestBucketsMax) + " buckets");
    }
    if (pull->ring.epoch > m_ring.epoch()) {
        // The requester is ahead (this node missed a ring_update): adopt its ring before filtering, or
        // this node would answer with the old ring's preference lists and hand off nothing that moved.
        if (adoptRingUpdate(ctx, makeBody(pull->ring), m_ring)) startHandoff(ctx);
    } else if (pull->ring.epoch < m_ring.epoch()) {
        // The requester missed a ring change: pass ours on, Dynamo-style gossip.
        ctx.send(message.src, makeBody(m_ring.update()));
    }

    // A summary is only comparable when both sides computed it on the same ring.
    const std::vector<Entry> entries = cachedEntries();
    const bool bySummary = !pull->summary.empty() && pull->ring.epoch == m_ring.epoch();
    std::vector<char> differs;
    if (bySummary) {
        const std::vector<std::uint64_t> mine =
            summarize(entries, message.src, ctx.self(), pull->summary.size());
        for (std::size_t b = 0; b < mine.size(); ++b) differs.push_back(mine[b] != pull->summary[b]);
    }

    // The requester counts as usable here even if this view marks it down: it is asking because it
    // is coming back, and it should get the ranges it will be responsible for.
    PullDigest chunk;
    for (const Entry& entry : entries) {
        if (bySummary) {
            if (!differs[digestBucket(entry.key, differs.size())] ||
                !shared(entry.key, message.src, ctx.self()))
                continue;
        } else {
            std::vector<std::string> list = m_ring.preferenceList(entry.key, message.src);
            if (std::find(list.begin(), list.end(), message.src) == list.end()) continue;
        }
        chunk.entries.push_back(DigestEntry{entry.key, entry.version});
        if (chunk.entries.size() == kPullEntriesMax) {
            chunk.more = true;
            ctx.reply(message, makeBody(chunk));
            chunk.entries.clear();
        }
    }
    chunk.more = false;
    ctx.reply(message, makeBody(chunk));
}

void KvServer::onPullDigest(Context& ctx, const Envelope& message) {
    Result<PullDigest> digest = bodyAs<PullDigest>(message.body);
    if (!digest) return;
    auto it = m_pendingPulls.find(message.src);
    if (it == m_pendingPulls.end() || message.body.inReplyTo != it->second.msgId) return;  // superseded
    Fetch fetch;
    for (const DigestEntry& theirs : digest->entries) {
        if (fetch.keys.size() == kPullEntriesMax) break;  // an oversized digest; the next round catches up
        if (!validateKey(theirs.key).empty() || theirs.version.empty()) continue;
        std::optional<Entry> mine = cachedEntry(theirs.key);
        if (!mine || mine->version < theirs.version) fetch.keys.push_back(theirs.key);
    }
    PendingPull& pull = it->second;
    if (!fetch.keys.empty()) pull.fetches.insert(ctx.send(message.src, makeBody(fetch)));
    if (!digest->more) pull.digestDone = true;
    armPullTimer(ctx, message.src, pull);
    finishPullIfDone(ctx, message.src);
}

void KvServer::onFetch(Context& ctx, const Envelope& message) {
    Result<Fetch> fetch = bodyAs<Fetch>(message.body);
    if (!fetch) return ctx.replyError(message, ErrorCode::MalformedRequest, fetch.error().message);
    if (fetch->keys.size() > kPullEntriesMax)
        return ctx.replyError(message, ErrorCode::MalformedRequest,
                              "fetch.keys: more than " + std::to_string(kPullEntriesMax) + " keys");
    PullOk reply;
    for (const std::string& key : fetch->keys) {
        if (!validateKey(key).empty()) continue;
        if (std::optional<Entry> entry = cachedEntry(key))
            reply.entries.push_back(std::move(*entry));
    }
    ctx.reply(message, makeBody(reply));
}

void KvServer::onPullOk(Context& ctx, const Envelope& message) {
    Result<PullOk> pullOk = bodyAs<PullOk>(message.body);
    if (!pullOk) return;
    // Entries from a superseded exchange are still applied: last writer wins makes that harmless.
    for (const Entry& entry : pullOk->entries) {
        if (validateKey(entry.key).empty() && validateValue(entry.value).empty() && !entry.version.empty())
            applyEntry(ctx, entry);
    }
    auto it = m_pendingPulls.find(message.src);
    if (it == m_pendingPulls.end() || !message.body.inReplyTo ||
        it->second.fetches.erase(*message.body.inReplyTo) == 0)
        return;
    armPullTimer(ctx, message.src, it->second);
    finishPullIfDone(ctx, message.src);
}

void KvServer::scheduleAntiEntropy(Context& ctx) {
    const SimTime jitter = m_config.antiEntropyInterval / 10;
    ctx.setTimer(m_config.antiEntropyInterval + ctx.rng().uniform(-jitter, jitter + 1), kTagAntiEntropy);
}

void KvServer::onAntiEntropy(Context& ctx) {
    scheduleAntiEntropy(ctx);
    if (!m_ring.isMember(ctx.self())) return;
    std::vector<std::string> peers;
    for (const std::string& id : m_ring.usableMembers()) {
        if (id != ctx.self()) peers.push_back(id);
    }
    if (peers.size() > m_config.antiEntropyAllMax) {
        // A partial Fisher-Yates shuffle with the node's own stream keeps the choice deterministic.
        const std::size_t fanout = std::min(m_config.antiEntropyFanout, peers.size());
        for (std::size_t i = 0; i < fanout; ++i) {
            const auto j = static_cast<std::size_t>(
                ctx.rng().uniform(static_cast<std::int64_t>(i), static_cast<std::int64_t>(peers.size())));
            std::swap(peers[i], peers[j]);
        }
        peers.resize(fanout);
    }
    // An exchange still in flight (a handoff, or a slow round) is not restarted.
    const std::vector<Entry> entries = cachedEntries();
    for (const std::string& peer : peers) {
        if (!m_pendingPulls.count(peer)) pullFrom(ctx, peer, m_needsFullPull.count(peer) > 0, entries);
    }
}

// --- client requests ---

void KvServer::onPut(Context& ctx, const Envelope& message) {
    Result<Put> put = bodyAs<Put>(message.body);
    if (!put) return ctx.replyError(message, ErrorCode::MalformedRequest, put.error().message);
    std::string problem = validateKey(put->key);
    if (problem.empty()) problem = validateValue(put->value);
    if (!problem.empty()) return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    if (std::string reason = notServingReason(ctx, put->key); !reason.empty())
        return ctx.replyError(message, ErrorCode::TemporarilyUnavailable, reason);
    if (m_pendingWrites.size() >= m_config.pendingWritesMax)
        return ctx.replyError(message, ErrorCode::TemporarilyUnavailable,
                              ctx.self() + " has " + std::to_string(m_pendingWrites.size()) +
                                  " writes waiting for replicas; try again later");

    // The owner orders the key's writes: its version is above every version of the key it has seen.
    std::optional<Entry> current = cachedEntry(put->key);
    const std::int64_t counter = nextCounter(ctx, current ? current->version.counter : 0);
    PendingWrite write;
    write.client = message.src;
    write.clientMsgId = message.body.msgId;
    write.key = put->key;
    write.value = put->value;
    write.version = Version{counter, ctx.self()};
    write.stored.insert(ctx.self());
    // W = min(2, R), with R no larger than the ring: a one-node ring acknowledges its own copy.
    const std::size_t replicas =
        std::min(static_cast<std::size_t>(m_ring.replicas()), m_ring.ring().nodeCount());
    write.needed = std::min<std::size_t>(2, std::max<std::size_t>(1, replicas));
    const bool stored = applyEntry(ctx, Entry{write.key, write.value, write.version});
    assert(stored && "a fresh owner version must be newer than the stored one");
    (void)stored;

    auto [it, inserted] = m_pendingWrites.emplace(counter, std::move(write));
    assert(inserted);
    m_writeAliases[counter] = counter;
    replicateWrite(ctx, it->second);
    if (it->second.stored.size() < it->second.needed) {
        it->second.timer = ctx.setTimer(m_config.requestTimeout, kTagPutTimeout);
        m_putTimers[it->second.timer] = counter;
    }
    tryFinishWrite(ctx, it);
}

void KvServer::replicateWrite(Context& ctx, const PendingWrite& write) {
    for (const std::string& peer : m_ring.preferenceList(write.key)) {
        if (peer != ctx.self()) ctx.send(peer, makeBody(Replicate{write.key, write.value, write.version}));
    }
}

void KvServer::onReplicateOk(Context& ctx, const Envelope& message) {
    Result<ReplicateOk> ack = bodyAs<ReplicateOk>(message.body);
    if (!ack || ack->version.writer != ctx.self()) return;
    auto alias = m_writeAliases.find(ack->version.counter);
    // Late acknowledgements (after put_ok or the timeout) find nothing and are dropped.
    if (alias == m_writeAliases.end()) return;
    auto it = m_pendingWrites.find(alias->second);
    assert(it != m_pendingWrites.end() && "an alias outlived its write");
    PendingWrite& write = it->second;
    if (write.key != ack->key) return;
    // The replica holds a newer version and did not store ours: acknowledging ours would promise a write
    // that anti-entropy is about to overwrite, and that version may even have been acknowledged before
    // this put began. Order ours above it.
    if (ack->held > write.version) return reversionWrite(ctx, it, ack->held);
    if (ack->held != write.version) return;  // a copy of an earlier attempt: it does not count
    write.stored.insert(message.src);
    tryFinishWrite(ctx, it);
}

void KvServer::reversionWrite(Context& ctx, WriteIt it, const Version& above) {
    PendingWrite& write = it->second;
    if (write.reversions >= kReversionsMax) {
        return failWrite(ctx, it,
                         "gave up after " + std::to_string(kReversionsMax) + " re-versions of " + write.key +
                             ": replicas keep holding newer versions (" + versionText(above) +
                             "); the write may or may not survive");
    }
    if (std::optional<std::string> owner = m_ring.owner(write.key); owner != ctx.self()) {
        // Another node orders this key's writes now; a version chosen here could overtake theirs.
        return failWrite(ctx, it,
                         ctx.self() + " is no longer the owner of " + write.key + " (ring epoch " +
                             std::to_string(m_ring.epoch()) + "); the write may or may not survive");
    }
    std::optional<Entry> current = cachedEntry(write.key);
    const std::int64_t floor = std::max(above.counter, current ? current->version.counter : 0);
    write.version = Version{nextCounter(ctx, floor), ctx.self()};
    ++write.reversions;
    m_writeAliases[write.version.counter] = it->first;
    write.stored = {ctx.self()};
    const bool stored = applyEntry(ctx, Entry{write.key, write.value, write.version});
    assert(stored && "a re-versioned write must be newer than the stored one");
    (void)stored;
    replicateWrite(ctx, write);
    tryFinishWrite(ctx, it);
}

void KvServer::tryFinishWrite(Context& ctx, WriteIt it) {
    PendingWrite& write = it->second;
    if (write.stored.size() < write.needed) return;
    // This node's own copy may have been overtaken meanwhile, by a pull or a replicate from a node that
    // thought it owned the key: do not acknowledge below a version another node wrote. A newer version
    // this node wrote itself is a later put it ordered after this one (its counter only grows), which
    // changes nothing for this put; re-versioning above it would only make the two chase each other.
    std::optional<Entry> current = cachedEntry(write.key);
    if (current && current->version > write.version && current->version.writer != ctx.self())
        return reversionWrite(ctx, it, current->version);
    Body body = makeBody(PutOk{write.version});
    body.inReplyTo = write.clientMsgId;
    ctx.send(write.client, std::move(body));
    eraseWrite(ctx, it);
}

void KvServer::failWrite(Context& ctx, WriteIt it, std::string text) {
    // Indefinite on purpose (error 0): this node and possibly some replicas hold the write, so it may
    // yet win.
    Body body = makeBody(makeErrorMsg(ErrorCode::Timeout, std::move(text)));
    body.inReplyTo = it->second.clientMsgId;
    ctx.send(it->second.client, std::move(body));
    eraseWrite(ctx, it);
}

void KvServer::eraseWrite(Context& ctx, WriteIt it) {
    PendingWrite& write = it->second;
    if (write.timer != 0) {
        ctx.cancelTimer(write.timer);
        m_putTimers.erase(write.timer);
    }
    // The aliases of one write are its first counter and the later ones, all above it.
    for (auto alias = m_writeAliases.lower_bound(it->first);
         alias != m_writeAliases.end() && alias->first <= write.version.counter;) {
        alias = alias->second == it->first ? m_writeAliases.erase(alias) : std::next(alias);
    }
    m_pendingWrites.erase(it);
}

void KvServer::onPutTimeout(Context& ctx, TimerId id) {
    auto timer = m_putTimers.find(id);
    if (timer == m_putTimers.end()) return;
    auto it = m_pendingWrites.find(timer->second);
    m_putTimers.erase(timer);
    if (it == m_pendingWrites.end()) return;
    PendingWrite& write = it->second;
    write.timer = 0;  // it has fired; nothing to cancel
    failWrite(ctx, it,
              "timeout: " + std::to_string(write.stored.size()) + " of " + std::to_string(write.needed) +
                  " copies stored within " + std::to_string(m_config.requestTimeout / kMicrosPerMilli) +
                  " ms; the write may or may not survive");
}

void KvServer::onGet(Context& ctx, const Envelope& message) {
    Result<Get> get = bodyAs<Get>(message.body);
    if (!get) return ctx.replyError(message, ErrorCode::MalformedRequest, get.error().message);
    if (std::string problem = validateKey(get->key); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    if (std::string reason = notServingReason(ctx, get->key); !reason.empty())
        return ctx.replyError(message, ErrorCode::TemporarilyUnavailable, reason);
    ++m_readsServed;
    std::optional<Entry> entry = cachedEntry(get->key);
    if (!entry) return ctx.replyError(message, ErrorCode::KeyDoesNotExist, "no value for " + get->key);
    ctx.reply(message, makeBody(GetOk{entry->value, entry->version}));
}

void KvServer::onReplicate(Context& ctx, const Envelope& message) {
    Result<Replicate> replicate = bodyAs<Replicate>(message.body);
    if (!replicate) return ctx.replyError(message, ErrorCode::MalformedRequest, replicate.error().message);
    std::string problem = validateKey(replicate->key);
    if (problem.empty()) problem = validateValue(replicate->value);
    if (problem.empty() && replicate->version.empty()) problem = "version: expected a counter above 0";
    if (!problem.empty()) return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    // A replica holding something newer keeps it and says so: the owner must not count this copy.
    std::optional<Entry> current = cachedEntry(replicate->key);
    if (current && current->version > replicate->version)
        return (void)ctx.reply(message,
                               makeBody(ReplicateOk{replicate->key, replicate->version, current->version}));
    applyEntry(ctx, Entry{replicate->key, replicate->value, replicate->version});
    ctx.reply(message, makeBody(ReplicateOk{replicate->key, replicate->version, replicate->version}));
}

}  // namespace distlab::kv
