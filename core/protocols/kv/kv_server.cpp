// A Dynamo-style replica (DeCandia et al., SOSP 2007) on a consistent-hash ring: owner-ordered
// last-writer-wins writes acknowledged after W copies, and pull-based handoff and anti-entropy.
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

std::optional<Entry> readEntry(const DurableStore& store, std::string_view key) {
    const std::string storeKey = storeKeyFor(key);
    std::optional<std::string> text = store.get(storeKey);
    if (!text) return std::nullopt;
    return decodeStoredEntry(storeKey, *text);
}

void writeEntry(DurableStore& store, const Entry& entry) {
    store.put(storeKeyFor(entry.key), encodeStoredEntry(entry));
}

std::vector<Entry> readEntries(const DurableStore& store) {
    std::vector<Entry> out;
    const auto& entries = store.entries();
    for (auto it = entries.lower_bound(std::string(kStoreKeyPrefix));
         it != entries.end() && std::string_view(it->first).starts_with(kStoreKeyPrefix); ++it) {
        if (std::optional<Entry> entry = decodeStoredEntry(it->first, it->second)) out.push_back(*entry);
    }
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
    m_ring = RingView::load(ctx.store());
    if (m_ring.known()) {
        ctx.traceState(ringViewText(m_ring));
        // Catch up on what was written while this node was away without waiting a whole round.
        pullFromAll(ctx);
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
    if (type == PullOk::kType) return onPullOk(ctx, message);
    // Never answer a reply or an error with an error: two nodes could bounce errors forever.
    if (type != ErrorMsg::kType && !message.body.inReplyTo)
        replyError(ctx, message, ErrorCode::NotSupported, "a kv server does not handle \"" + type + "\"");
}

void KvServer::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag == kTagPutTimeout) return onPutTimeout(ctx, id);
    if (tag == kTagPullTimeout) return onPullTimeout(id);
    if (tag == kTagAntiEntropy) return onAntiEntropy(ctx);
}

void KvServer::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back("ring epoch", m_ring.known() ? std::to_string(m_ring.epoch()) : "none");
    out.emplace_back("pending writes", std::to_string(m_pendingWrites.size()));
    out.emplace_back("pending pulls", std::to_string(m_pendingPulls.size()));
    out.emplace_back("reads served", std::to_string(m_readsServed));
    out.emplace_back("writes applied", std::to_string(m_writesApplied));
    out.emplace_back("last write", m_lastWrite.empty() ? "none" : m_lastWrite);
}

void KvServer::replyError(Context& ctx, const Envelope& request, ErrorCode code, std::string text) {
    ctx.reply(request, makeBody(makeErrorMsg(code, std::move(text))));
}

std::string KvServer::notOwnerReason(Context& ctx, const std::string& key) const {
    if (!m_ring.known()) return "no ring yet: " + ctx.self() + " has not heard from the membership service";
    std::optional<std::string> owner = m_ring.owner(key);
    if (!owner) return "no usable replica for " + key + " in ring epoch " + std::to_string(m_ring.epoch());
    if (*owner != ctx.self()) return "not the owner of " + key + " (owner is " + *owner + ")";
    return {};
}

bool KvServer::applyEntry(Context& ctx, const Entry& entry) {
    std::optional<Entry> current = readEntry(ctx.store(), entry.key);
    if (current && current->version >= entry.version) return false;
    writeEntry(ctx.store(), entry);
    ++m_writesApplied;
    m_lastWrite = entry.key + "=" + entry.value + " @ " + formatSeconds(ctx.now());
    return true;
}

// --- membership and handoff ---

void KvServer::onRingUpdate(Context& ctx, const Envelope& message) {
    if (!adoptRingUpdate(ctx, message.body, m_ring)) return;
    // Handoff: the ranges this node is responsible for may have grown, so ask every peer for the
    // entries whose preference list now includes it. Pulling on every new epoch (not only when this
    // node's ranges grew) is simpler and also doubles as an immediate repair after a membership change.
    pullFromAll(ctx);
}

void KvServer::pullFrom(Context& ctx, const NodeId& peer) {
    PendingPull& pull = m_pendingPulls[peer];
    if (pull.timer != 0) {
        ctx.cancelTimer(pull.timer);
        m_pullTimers.erase(pull.timer);
    }
    pull.msgId = ctx.send(peer, makeBody(Pull{m_ring.epoch()}));
    pull.timer = ctx.setTimer(m_config.requestTimeout, kTagPullTimeout);
    m_pullTimers[pull.timer] = peer;
}

void KvServer::pullFromAll(Context& ctx) {
    if (!m_ring.isMember(ctx.self())) return;
    for (const std::string& peer : m_ring.usableMembers()) {
        if (peer != ctx.self()) pullFrom(ctx, peer);
    }
}

void KvServer::onPull(Context& ctx, const Envelope& message) {
    Result<Pull> pull = bodyAs<Pull>(message.body);
    if (!pull) return replyError(ctx, message, ErrorCode::MalformedRequest, pull.error().message);
    // The requester missed a ring change (a dropped ring_update): pass ours on, Dynamo-style gossip.
    if (pull->epoch < m_ring.epoch()) ctx.send(message.src, makeBody(m_ring.update()));

    // The requester counts as usable here even if this view marks it down: it is asking because it
    // is coming back, and it should get the ranges it will be responsible for.
    PullOk chunk;
    for (Entry& entry : readEntries(ctx.store())) {
        std::vector<std::string> list = m_ring.preferenceList(entry.key, message.src);
        if (std::find(list.begin(), list.end(), message.src) == list.end()) continue;
        chunk.entries.push_back(std::move(entry));
        if (chunk.entries.size() == kPullEntriesMax) {
            chunk.more = true;
            ctx.reply(message, makeBody(chunk));
            chunk.entries.clear();
        }
    }
    chunk.more = false;
    ctx.reply(message, makeBody(chunk));
}

void KvServer::onPullOk(Context& ctx, const Envelope& message) {
    Result<PullOk> pullOk = bodyAs<PullOk>(message.body);
    if (!pullOk) return;
    // Entries from a superseded pull are still applied: last writer wins makes that harmless.
    for (const Entry& entry : pullOk->entries) {
        if (validateKey(entry.key).empty() && validateValue(entry.value).empty() && !entry.version.empty())
            applyEntry(ctx, entry);
    }
    auto it = m_pendingPulls.find(message.src);
    if (pullOk->more || it == m_pendingPulls.end() || message.body.inReplyTo != it->second.msgId) return;
    ctx.cancelTimer(it->second.timer);
    m_pullTimers.erase(it->second.timer);
    m_pendingPulls.erase(it);
}

void KvServer::onPullTimeout(TimerId id) {
    auto timer = m_pullTimers.find(id);
    if (timer == m_pullTimers.end()) return;
    // A lost pull is not retried here: the next anti-entropy round asks again.
    m_pendingPulls.erase(timer->second);
    m_pullTimers.erase(timer);
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
    for (const std::string& peer : peers) pullFrom(ctx, peer);
}

// --- client requests ---

void KvServer::onPut(Context& ctx, const Envelope& message) {
    Result<Put> put = bodyAs<Put>(message.body);
    if (!put) return replyError(ctx, message, ErrorCode::MalformedRequest, put.error().message);
    std::string problem = validateKey(put->key);
    if (problem.empty()) problem = validateValue(put->value);
    if (!problem.empty()) return replyError(ctx, message, ErrorCode::MalformedRequest, problem);
    if (std::string reason = notOwnerReason(ctx, put->key); !reason.empty())
        return replyError(ctx, message, ErrorCode::TemporarilyUnavailable, reason);
    if (m_pendingWrites.size() >= m_config.pendingWritesMax)
        return replyError(ctx, message, ErrorCode::TemporarilyUnavailable,
                          ctx.self() + " has " + std::to_string(m_pendingWrites.size()) +
                              " writes waiting for replicas; try again later");

    // The owner orders the key's writes: its version is above every version of the key it has seen.
    std::optional<Entry> current = readEntry(ctx.store(), put->key);
    m_counter = std::max(m_counter, current ? current->version.counter : 0) + 1;
    ctx.store().put(kCounterStoreKey, std::to_string(m_counter));
    const Entry entry{put->key, put->value, Version{m_counter, ctx.self()}};
    const bool stored = applyEntry(ctx, entry);
    assert(stored && "a fresh owner version must be newer than the stored one");
    (void)stored;

    PendingWrite write;
    write.client = message.src;
    write.clientMsgId = message.body.msgId;
    write.version = entry.version;
    write.stored.insert(ctx.self());
    // W = min(2, R), with R no larger than the ring: a one-node ring acknowledges its own copy.
    const std::size_t replicas =
        std::min(static_cast<std::size_t>(m_ring.replicas()), m_ring.ring().nodeCount());
    write.needed = std::min<std::size_t>(2, std::max<std::size_t>(1, replicas));
    for (const std::string& peer : m_ring.preferenceList(put->key)) {
        if (peer != ctx.self()) ctx.send(peer, makeBody(Replicate{entry.key, entry.value, entry.version}));
    }
    auto [it, inserted] = m_pendingWrites.emplace(entry.version.counter, std::move(write));
    assert(inserted);
    if (it->second.stored.size() >= it->second.needed) return finishWrite(ctx, it);
    it->second.timer = ctx.setTimer(m_config.requestTimeout, kTagPutTimeout);
    m_putTimers[it->second.timer] = entry.version.counter;
}

void KvServer::finishWrite(Context& ctx, std::map<std::int64_t, PendingWrite>::iterator it) {
    PendingWrite& write = it->second;
    Body body = makeBody(PutOk{write.version});
    body.inReplyTo = write.clientMsgId;
    ctx.send(write.client, std::move(body));
    if (write.timer != 0) {
        ctx.cancelTimer(write.timer);
        m_putTimers.erase(write.timer);
    }
    m_pendingWrites.erase(it);
}

void KvServer::onReplicateOk(Context& ctx, const Envelope& message) {
    Result<ReplicateOk> ack = bodyAs<ReplicateOk>(message.body);
    if (!ack || ack->version.writer != ctx.self()) return;
    auto it = m_pendingWrites.find(ack->version.counter);
    // Late acknowledgements (after put_ok or the timeout) find nothing and are dropped.
    if (it == m_pendingWrites.end() || it->second.version != ack->version) return;
    it->second.stored.insert(message.src);
    if (it->second.stored.size() >= it->second.needed) finishWrite(ctx, it);
}

void KvServer::onPutTimeout(Context& ctx, TimerId id) {
    auto timer = m_putTimers.find(id);
    if (timer == m_putTimers.end()) return;
    auto it = m_pendingWrites.find(timer->second);
    m_putTimers.erase(timer);
    if (it == m_pendingWrites.end()) return;
    const PendingWrite& write = it->second;
    // Indefinite on purpose: this node and possibly some replicas hold the write, so it may yet win.
    Body body = makeBody(
        makeErrorMsg(ErrorCode::Timeout, "timeout: " + std::to_string(write.stored.size()) + " of " +
                                             std::to_string(write.needed) + " copies stored within " +
                                             std::to_string(m_config.requestTimeout / kMicrosPerMilli) +
                                             " ms; the write may or may not survive"));
    body.inReplyTo = write.clientMsgId;
    ctx.send(write.client, std::move(body));
    m_pendingWrites.erase(it);
}

void KvServer::onGet(Context& ctx, const Envelope& message) {
    Result<Get> get = bodyAs<Get>(message.body);
    if (!get) return replyError(ctx, message, ErrorCode::MalformedRequest, get.error().message);
    if (std::string problem = validateKey(get->key); !problem.empty())
        return replyError(ctx, message, ErrorCode::MalformedRequest, problem);
    if (std::string reason = notOwnerReason(ctx, get->key); !reason.empty())
        return replyError(ctx, message, ErrorCode::TemporarilyUnavailable, reason);
    ++m_readsServed;
    std::optional<Entry> entry = readEntry(ctx.store(), get->key);
    if (!entry) return replyError(ctx, message, ErrorCode::KeyDoesNotExist, "no value for " + get->key);
    ctx.reply(message, makeBody(GetOk{entry->value, entry->version}));
}

void KvServer::onReplicate(Context& ctx, const Envelope& message) {
    Result<Replicate> replicate = bodyAs<Replicate>(message.body);
    if (!replicate) return replyError(ctx, message, ErrorCode::MalformedRequest, replicate.error().message);
    std::string problem = validateKey(replicate->key);
    if (problem.empty()) problem = validateValue(replicate->value);
    if (problem.empty() && replicate->version.empty()) problem = "version: expected a counter above 0";
    if (!problem.empty()) return replyError(ctx, message, ErrorCode::MalformedRequest, problem);
    // An older version is acknowledged too: this node then holds something at least as new.
    applyEntry(ctx, Entry{replicate->key, replicate->value, replicate->version});
    ctx.reply(message, makeBody(ReplicateOk{replicate->key, replicate->version}));
}

}  // namespace distlab::kv
