// The storage a lock protects, with Kleppmann's fencing-token check ("How to do distributed locking",
// 2016): writes under a token lower than the highest accepted are rejected unless fencing is off.
#include "core/protocols/lock/lease/fenced_storage.h"

#include <algorithm>
#include <optional>

namespace distlab::lock {

namespace {

const std::string kValuePrefix = "storage/value/";
const std::string kHighestStoreKey = "storage/highest-token";
const std::string kFencingStoreKey = "storage/fencing";

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
    const auto& entries = ctx.store().entries();
    for (auto it = entries.lower_bound(kValuePrefix);
         it != entries.end() && std::string_view(it->first).starts_with(kValuePrefix); ++it) {
        std::optional<Json> json = parseStored(it->second);
        if (!json || !json->is_object()) continue;
        const Json& value = (*json)["value"];
        const Json& token = (*json)["fencing_token"];
        if (!value.is_string() || !token.is_number_integer()) continue;
        m_values[it->first.substr(kValuePrefix.size())] =
            StoredValue{value.get<std::string>(), token.get<std::int64_t>()};
    }
}

void FencedStorage::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == StorageWrite::kType) return onWrite(ctx, message);
    if (type == StorageRead::kType) return onRead(ctx, message);
    if (type == FencingSet::kType) return onFencingSet(ctx, message);
    // Never answer a reply or an error with an error: two nodes could bounce errors forever.
    if (type != ErrorMsg::kType && !message.body.inReplyTo)
        replyError(ctx, message, ErrorCode::NotSupported,
                   "a fenced storage does not handle \"" + type + "\"");
}

void FencedStorage::onTimer(Context&, TimerId, const std::string&) {}

void FencedStorage::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "fencing"),
                     m_fencing ? QT_TRANSLATE_NOOP("Details", "on") : QT_TRANSLATE_NOOP("Details", "off"));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "highest fencing token"), std::to_string(m_highestToken));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "writes accepted"), std::to_string(m_writesAccepted));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "writes rejected"), std::to_string(m_writesRejected));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "keys"), std::to_string(m_values.size()));
}

void FencedStorage::onWrite(Context& ctx, const Envelope& message) {
    Result<StorageWrite> write = bodyAs<StorageWrite>(message.body);
    if (!write) return replyError(ctx, message, ErrorCode::MalformedRequest, write.error().message);
    if (std::string problem = validateStorageWrite(write.value()); !problem.empty())
        return replyError(ctx, message, ErrorCode::MalformedRequest, problem);
    if (m_fencing && write->fencing_token < m_highestToken) {
        ++m_writesRejected;
        ctx.traceState("rejected " + write->key + " from " + message.src + " (fencing token " +
                       std::to_string(write->fencing_token) + " < " + std::to_string(m_highestToken) + ")");
        return replyError(ctx, message, ErrorCode::PreconditionFailed,
                          "fencing token " + std::to_string(write->fencing_token) + " is older than " +
                              std::to_string(m_highestToken) + ", already accepted by " + ctx.self() +
                              ": the writer's lock has passed to someone else");
    }
    if (!m_values.contains(write->key) && m_values.size() >= m_config.keysMax) {
        return replyError(ctx, message, ErrorCode::TemporarilyUnavailable,
                          ctx.self() + " already stores " + std::to_string(m_config.keysMax) + " keys");
    }
    m_highestToken = std::max(m_highestToken, write->fencing_token);
    m_values[write->key] = StoredValue{write->value, write->fencing_token};
    ctx.store().put(kValuePrefix + write->key,
                    Json{{"value", write->value}, {"fencing_token", write->fencing_token}}.dump());
    ctx.store().put(kHighestStoreKey, Json(m_highestToken).dump());
    ++m_writesAccepted;
    ctx.traceState("wrote " + write->key + " from " + message.src + " (fencing token " +
                   std::to_string(write->fencing_token) + ")");
    ctx.reply(message, makeBody(StorageWriteOk{write->key, write->fencing_token}));
}

void FencedStorage::onRead(Context& ctx, const Envelope& message) {
    Result<StorageRead> read = bodyAs<StorageRead>(message.body);
    if (!read) return replyError(ctx, message, ErrorCode::MalformedRequest, read.error().message);
    auto it = m_values.find(read->key);
    if (it == m_values.end())
        return replyError(ctx, message, ErrorCode::KeyDoesNotExist, "no value for " + read->key);
    ctx.reply(message, makeBody(StorageReadOk{read->key, it->second.value, it->second.fencingToken}));
}

void FencedStorage::onFencingSet(Context& ctx, const Envelope& message) {
    Result<FencingSet> set = bodyAs<FencingSet>(message.body);
    if (!set) return replyError(ctx, message, ErrorCode::MalformedRequest, set.error().message);
    m_fencing = set->enabled;
    ctx.store().put(kFencingStoreKey, Json(m_fencing).dump());
    ctx.traceState(m_fencing ? "fencing on" : "fencing off");
    ctx.reply(message, makeBody(FencingSetOk{m_fencing}));
}

void FencedStorage::replyError(Context& ctx, const Envelope& request, ErrorCode code, std::string text) {
    ctx.reply(request, makeBody(makeErrorMsg(code, std::move(text))));
}

}  // namespace distlab::lock
