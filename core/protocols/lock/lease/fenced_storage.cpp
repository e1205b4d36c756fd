// The storage a lock protects, with Kleppmann's fencing-token check ("How to do distributed locking",
// 2016) on every access, like Chubby's sequencer check: reads and writes under a token lower than the
// highest accepted are refused unless fencing is off, and every accepted access gets a durable sequence
// number. The rules are drawn in the header.
#include "core/protocols/lock/lease/fenced_storage.h"

#include <algorithm>
#include <optional>

namespace distlab::lock {

namespace {

const std::string kValuePrefix = "storage/value/";
const std::string kHighestStoreKey = "storage/highest-token";
const std::string kFencingStoreKey = "storage/fencing";
const std::string kSeqStoreKey = "storage/seq";

std::optional<Json> parseStored(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    Json json = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return std::nullopt;
    return json;
}

}  // namespace

FencedStorage::FencedStorage(FencedStorageConfig config) : m_config(config), m_fencing(config.fencing) {}

void FencedStorage::onStart(Context& ctx) {
    if (std::optional<Json> fencing = parseStored(ctx.store().get(kFencingStoreKey));
        fencing && fencing->is_boolean())
        m_fencing = fencing->get<bool>();
    if (std::optional<Json> highest = parseStored(ctx.store().get(kHighestStoreKey));
        highest && highest->is_number_integer())
        m_highestToken = highest->get<std::int64_t>();
    if (std::optional<Json> seq = parseStored(ctx.store().get(kSeqStoreKey)); seq && seq->is_number_integer())
        m_seq = seq->get<std::int64_t>();
    for (const auto& [storeKey, stored] : ctx.store().scan(kValuePrefix)) {
        std::optional<Json> json = parseStored(stored);
        if (!json || !json->is_object()) continue;
        const Json& value = (*json)["value"];
        const Json& token = (*json)["fencing_token"];
        if (!value.is_string() || !token.is_number_integer()) continue;
        m_values[storeKey.substr(kValuePrefix.size())] =
            StoredValue{value.get<std::string>(), token.get<std::int64_t>()};
    }
}

void FencedStorage::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == StorageWrite::kType) return onWrite(ctx, message);
    if (type == StorageRead::kType) return onRead(ctx, message);
    if (type == FencingSet::kType) return onFencingSet(ctx, message);
    ctx.replyNotSupported(message, "a fenced storage");
}

void FencedStorage::onTimer(Context&, TimerId, const std::string&) {}

void FencedStorage::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "fencing"),
                     m_fencing ? QT_TRANSLATE_NOOP("Details", "on") : QT_TRANSLATE_NOOP("Details", "off"));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "highest fencing token"), std::to_string(m_highestToken));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "last sequence number"), std::to_string(m_seq));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "reads accepted"), std::to_string(m_readsAccepted));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "reads rejected"), std::to_string(m_readsRejected));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "writes accepted"), std::to_string(m_writesAccepted));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "writes rejected"), std::to_string(m_writesRejected));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "keys"), std::to_string(m_values.size()));
}

Json FencedStorage::observe(SimTime now) const {
    (void)now;
    return Json{{"fencing", m_fencing},
                {"highest_token", m_highestToken},
                {"writes_accepted", m_writesAccepted},
                {"writes_rejected", m_writesRejected}};
}

void FencedStorage::onWrite(Context& ctx, const Envelope& message) {
    Result<StorageWrite> write = bodyAs<StorageWrite>(message.body);
    if (!write) return ctx.replyError(message, ErrorCode::MalformedRequest, write.error().message);
    if (std::string problem = validateStorageWrite(write.value()); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    if (std::string stale = staleTokenProblem(ctx, write->fencing_token); !stale.empty()) {
        ++m_writesRejected;
        ctx.traceState("rejected write of " + write->key + " from " + message.src + " (fencing token " +
                       std::to_string(write->fencing_token) + " < " + std::to_string(m_highestToken) + ")");
        return ctx.replyError(message, ErrorCode::PreconditionFailed, "write refused: " + stale);
    }
    if (!m_values.contains(write->key) && m_values.size() >= m_config.keysMax) {
        return ctx.replyError(message, ErrorCode::TemporarilyUnavailable,
                              ctx.self() + " already stores " + std::to_string(m_config.keysMax) + " keys");
    }
    const std::int64_t seq = accept(ctx, write->fencing_token);
    m_values[write->key] = StoredValue{write->value, write->fencing_token};
    ctx.store().put(kValuePrefix + write->key,
                    Json{{"value", write->value}, {"fencing_token", write->fencing_token}}.dump());
    ++m_writesAccepted;
    ctx.traceState("wrote " + write->key + " from " + message.src + " (fencing token " +
                   std::to_string(write->fencing_token) + ", seq " + std::to_string(seq) + ")");
    ctx.reply(message, makeBody(StorageWriteOk{write->key, write->fencing_token, seq}));
}

void FencedStorage::onRead(Context& ctx, const Envelope& message) {
    Result<StorageRead> read = bodyAs<StorageRead>(message.body);
    if (!read) return ctx.replyError(message, ErrorCode::MalformedRequest, read.error().message);
    if (std::string problem = validateStorageRead(read.value()); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    if (std::string stale = staleTokenProblem(ctx, read->fencing_token); !stale.empty()) {
        ++m_readsRejected;
        ctx.traceState("rejected read of " + read->key + " from " + message.src + " (fencing token " +
                       std::to_string(read->fencing_token) + " < " + std::to_string(m_highestToken) + ")");
        return ctx.replyError(message, ErrorCode::PreconditionFailed, "read refused: " + stale);
    }
    const std::int64_t seq = accept(ctx, read->fencing_token);
    ++m_readsAccepted;
    StorageReadOk ok{read->key, "", 0, false, seq};
    if (auto it = m_values.find(read->key); it != m_values.end()) {
        ok.value = it->second.value;
        ok.fencing_token = it->second.fencingToken;
        ok.exists = true;
    }
    ctx.traceState("read " + read->key + " for " + message.src + " (fencing token " +
                   std::to_string(read->fencing_token) + ", seq " + std::to_string(seq) + ")");
    ctx.reply(message, makeBody(std::move(ok)));
}

std::string FencedStorage::staleTokenProblem(Context& ctx, std::int64_t fencingToken) const {
    if (!m_fencing || fencingToken >= m_highestToken) return {};
    return "fencing token " + std::to_string(fencingToken) + " is older than " +
           std::to_string(m_highestToken) + ", already accepted by " + ctx.self() +
           ": the client's lock has passed to someone else";
}

std::int64_t FencedStorage::accept(Context& ctx, std::int64_t fencingToken) {
    ++m_seq;
    ctx.store().put(kSeqStoreKey, Json(m_seq).dump());
    if (fencingToken > m_highestToken) {
        m_highestToken = fencingToken;
        ctx.store().put(kHighestStoreKey, Json(m_highestToken).dump());
    }
    return m_seq;
}

void FencedStorage::onFencingSet(Context& ctx, const Envelope& message) {
    Result<FencingSet> set = bodyAs<FencingSet>(message.body);
    if (!set) return ctx.replyError(message, ErrorCode::MalformedRequest, set.error().message);
    m_fencing = set->enabled;
    ctx.store().put(kFencingStoreKey, Json(m_fencing).dump());
    ctx.traceState(m_fencing ? "fencing on" : "fencing off");
    ctx.reply(message, makeBody(FencingSetOk{m_fencing}));
}

}  // namespace distlab::lock
