// The queue lab's effect store, with the processed-id table of the idempotent-consumer pattern: effect and
// id are written together, so deduplication holds across consumers and across the ledger's restarts.
#include "core/protocols/mq/ledger.h"

namespace distlab::mq {

namespace {

const std::string kOpCounterKey = "mq-ledger/op-counter";

}  // namespace

std::string Ledger::storeKey(const std::string& messageId) {
    return std::string(kMqLedgerStorePrefix) + messageId;
}

std::string Ledger::effectKey(const std::string& scope, const std::string& messageId) {
    return scope.empty() ? messageId : scope + "|" + messageId;
}

std::int64_t Ledger::effectCount(const std::string& messageId) const {
    std::int64_t count = 0;
    for (const auto& [key, times] : m_effects)
        if (key == messageId || (key.ends_with(messageId) && key.size() > messageId.size() &&
                                 key[key.size() - messageId.size() - 1] == '|'))
            count += times;
    return count;
}

std::vector<std::string> Ledger::appliedTwice() const {
    std::vector<std::string> ids;
    for (const auto& [id, count] : m_effects) {
        if (count > 1) ids.push_back(id);
    }
    return ids;
}

void Ledger::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "effects applied"), std::to_string(m_appliedTotal));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "messages"), std::to_string(m_effects.size()));
    const std::vector<std::string> twice = appliedTwice();
    std::string text = std::to_string(twice.size());
    for (std::size_t i = 0; i < twice.size() && i < 8; ++i) text += (i == 0 ? ": " : " ") + twice[i];
    if (twice.size() > 8) text += " ...";
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "applied twice"), text);
}

void Ledger::onStart(Context& ctx) {
    // Reload the table; a record this class did not write (or cannot read) is dropped, not trusted.
    m_effects.clear();
    m_appliedTotal = 0;
    std::vector<std::string> unreadable;
    for (const auto& [key, stored] : ctx.store().scan(kMqLedgerStorePrefix)) {
        const std::string id = key.substr(kMqLedgerStorePrefix.size());
        Json count = Json::parse(stored, nullptr, /*allow_exceptions=*/false);
        if (id.empty() || id.size() > kMqScopeBytesMax + 1 + kMqMessageIdBytesMax ||
            !count.is_number_integer() || count.get<std::int64_t>() < 1 ||
            m_effects.size() >= kMqLedgerIdsMax) {
            unreadable.push_back(key);
            continue;
        }
        m_effects[id] = count.get<std::int64_t>();
        m_appliedTotal += count.get<std::int64_t>();
    }
    for (const std::string& key : unreadable) ctx.store().erase(key);
    if (!m_effects.empty())
        ctx.traceState("recovered " + std::to_string(m_appliedTotal) + " effects of " +
                       std::to_string(m_effects.size()) + " messages");
}

void Ledger::onMessage(Context& ctx, const Envelope& message) {
    if (message.body.type == MqApply::kType) return onApply(ctx, message);
    ctx.replyNotSupported(message, "the ledger");
}

void Ledger::onTimer(Context&, TimerId, const std::string&) {}

void Ledger::onApply(Context& ctx, const Envelope& message) {
    Result<MqApply> apply = parseMqApply(message.body);
    if (!apply) return ctx.replyError(message, ErrorCode::MalformedRequest, apply.error().message);
    const std::string& id = apply->message_id;
    // Copies of one message for different queues (fanout) or subscribers (pub-sub) are different work.
    const std::string key = effectKey(apply->scope, id);
    auto it = m_effects.find(key);
    const bool seen = it != m_effects.end();
    if (!seen && m_effects.size() >= kMqLedgerIdsMax)
        return ctx.replyError(
            message, ErrorCode::TemporarilyUnavailable,
            ctx.self() + " already holds " + std::to_string(kMqLedgerIdsMax) + " message ids");
    bool applied = false;
    if (!(apply->dedupe && seen)) {
        // Effect and processed id in one write: a crash cannot separate them.
        const std::int64_t count = ++m_effects[key];
        ++m_appliedTotal;
        ctx.store().put(storeKey(key), std::to_string(count));
        applied = true;
        if (count == 2) ctx.traceState(key + " applied twice (by " + message.src + ")");
    }
    const std::int64_t count = m_effects.count(key) ? m_effects.at(key) : 0;
    ctx.recordOp(OpPhase::Ok, ctx.store().increment(kOpCounterKey), "effect",
                 Json{{"message_id", id},
                      {"consumer", message.src},
                      {"applied", applied},
                      {"count", count},
                      {"scope", apply->scope}});
    ctx.reply(message, makeBody(MqApplyOk{id, applied}));
}

}  // namespace distlab::mq
