// The queue lab's producer: publisher confirms with republishing (RabbitMQ's at-least-once publishing) or
// brokerless pushes (ZeroMQ PUSH / PUB: at most once). The life of a message is drawn in the header.
#include "core/protocols/mq/producer.h"

#include <algorithm>
#include <cassert>

namespace distlab::mq {

namespace {

const std::string kLastNumberKey = "mq-producer/last-number";
const std::string kSettingsKey = "mq-producer/settings";
const std::string kOpCounterKey = "mq-producer/op-counter";
const std::string kTagSend = "mq-producer-send";
const std::string kTagConfirm = "mq-producer-confirm";

}  // namespace

std::string_view deliveryModeName(DeliveryMode mode) {
    return mode == DeliveryMode::Amqp ? kMqModeAmqp : kMqModeBrokerless;
}

std::string_view pushPatternName(PushPattern pattern) {
    return pattern == PushPattern::Push ? kMqPatternPush : kMqPatternPubSub;
}

Producer::Producer(ProducerConfig config) : m_config(std::move(config)) {}

std::vector<std::string> Producer::unconfirmed() const {
    std::vector<std::string> ids;
    ids.reserve(m_unconfirmed.size());
    for (const auto& [number, message] : m_unconfirmed) ids.push_back(message.messageId);
    return ids;
}

void Producer::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    std::string mode(deliveryModeName(m_mode));
    if (m_mode == DeliveryMode::Brokerless) mode += " (" + std::string(pushPatternName(m_pattern)) + ")";
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "mode"), mode);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "published"), std::to_string(m_published));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "confirmed"), std::to_string(m_confirmed));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "unconfirmed"), std::to_string(m_unconfirmed.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "to publish"), std::to_string(m_toPublish.size()));
}

Json Producer::observe(SimTime now) const {
    (void)now;
    return Json{{"published", m_published},
                {"confirmed", m_confirmed},
                {"to_publish", m_toPublish.size()},
                {"unconfirmed", unconfirmed()}};
}

// --- start, and the settings on disk ---

void Producer::onStart(Context& ctx) {
    loadSettings(ctx);
}

void Producer::loadSettings(Context& ctx) {
    Disk store = ctx.store();
    if (std::optional<std::string> last = store.get(kLastNumberKey)) {
        // Written by this class only; anything unreadable counts as 0 rather than stopping the node.
        Json json = Json::parse(*last, nullptr, /*allow_exceptions=*/false);
        if (json.is_number_integer() && json.get<std::int64_t>() >= 0)
            m_lastNumber = json.get<std::int64_t>();
    }
    if (std::optional<std::string> text = store.get(kSettingsKey)) {
        Body body{std::string(MqMode::kType), 0, {}, Json::parse(*text, nullptr, false)};
        if (Result<MqMode> mode = parseMqMode(body)) {
            m_mode = mode->mode == kMqModeBrokerless ? DeliveryMode::Brokerless : DeliveryMode::Amqp;
            m_pattern = mode->pattern == kMqPatternPubSub ? PushPattern::PubSub : PushPattern::Push;
            m_subscribers = mode->subscribers;
        }
    }
}

void Producer::saveSettings(Context& ctx) const {
    const MqMode settings{std::string(deliveryModeName(m_mode)), std::string(pushPatternName(m_pattern)),
                          m_subscribers};
    ctx.store().put(kSettingsKey, Json(settings).dump());
}

// --- requests ---

void Producer::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == MqProduce::kType) return onProduce(ctx, message);
    if (type == MqMode::kType) return onMode(ctx, message);
    // Confirms and publish errors count only from the broker: another node cannot confirm a message.
    const bool fromBroker = message.src == m_config.broker;
    if (type == MqConfirm::kType) {
        if (fromBroker) onConfirm(ctx, message);
        return;
    }
    if (type == ErrorMsg::kType && fromBroker && message.body.inReplyTo &&
        m_publishes.contains(*message.body.inReplyTo))
        return onPublishError(ctx, message);
    ctx.replyNotSupported(message, "a producer");
}

void Producer::onProduce(Context& ctx, const Envelope& message) {
    Result<MqProduce> produce = parseMqProduce(message.body);
    if (!produce) return ctx.replyError(message, ErrorCode::MalformedRequest, produce.error().message);
    const std::size_t backlog = m_toPublish.size() + m_unconfirmed.size();
    if (backlog + std::size_t(produce->count) > kMqProducerBacklogMax)
        return ctx.replyError(message, ErrorCode::TemporarilyUnavailable,
                              ctx.self() + " already has " + std::to_string(backlog) +
                                  " messages to publish or to confirm (at most " +
                                  std::to_string(kMqProducerBacklogMax) + "); try later");
    const std::int64_t first = m_lastNumber + 1;
    const std::int64_t last = m_lastNumber + produce->count;
    // On disk before anything is sent: a restarted producer never hands out these numbers again.
    m_lastNumber = last;
    ctx.store().put(kLastNumberKey, std::to_string(last));
    for (std::int64_t number = first; number <= last; ++number)
        m_toPublish.push_back(ProducerMessage{produce->queue, number, produce->persistent, produce->poison,
                                              produce->interval_ms});
    ctx.reply(message, makeBody(MqProduceOk{produce->queue, first, last}));
    ctx.traceState("produces " + mqMessageId(first) + ".." + mqMessageId(last) + " to " + produce->queue);
    pump(ctx);
}

void Producer::onMode(Context& ctx, const Envelope& message) {
    Result<MqMode> mode = parseMqMode(message.body);
    if (!mode) return ctx.replyError(message, ErrorCode::MalformedRequest, mode.error().message);
    m_mode = mode->mode == kMqModeBrokerless ? DeliveryMode::Brokerless : DeliveryMode::Amqp;
    m_pattern = mode->pattern == kMqPatternPubSub ? PushPattern::PubSub : PushPattern::Push;
    m_subscribers = mode->subscribers;
    m_nextSubscriber.clear();
    saveSettings(ctx);
    ctx.reply(message, makeBody(MqModeOk{mode->mode}));
    ctx.traceState("mode " + mode->mode + (m_mode == DeliveryMode::Brokerless ? " " + mode->pattern : ""));
}

void Producer::onConfirm(Context& ctx, const Envelope& message) {
    Result<MqConfirm> confirm = parseMqConfirm(message.body);
    if (!confirm) return;
    auto id = m_unconfirmedById.find(confirm->message_id);
    // A second confirm (a republished copy was confirmed too) or one for a message given up on.
    if (id == m_unconfirmedById.end()) return;
    const std::int64_t number = id->second;
    const UnconfirmedMessage& confirmed = m_unconfirmed.at(number);
    ++m_confirmed;
    ctx.recordOp(OpPhase::Ok, confirmed.opId, "publish",
                 Json{{"queue", confirmed.queue}, {"message_id", confirmed.messageId}});
    forget(number);
}

void Producer::onPublishError(Context& ctx, const Envelope& message) {
    const std::int64_t number = m_publishes.at(*message.body.inReplyTo);
    auto it = m_unconfirmed.find(number);
    if (it == m_unconfirmed.end()) return;
    Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
    const std::string why = error ? error->text : "error";
    // The refusal is definite only for a message sent once: an earlier copy may have landed and its
    // confirm been lost, so after a republish all the producer can say is that it does not know.
    const bool definite = it->second.republishes == 0 && error && errorIsDefinite(ErrorCode(error->code));
    ctx.recordOp(definite ? OpPhase::Fail : OpPhase::Unknown, it->second.opId, "publish",
                 Json{{"message_id", it->second.messageId}, {"error", why}});
    ctx.traceState(it->second.messageId + " refused by " + message.src + ": " + why);
    forget(number);
}

// --- sending ---

void Producer::pump(Context& ctx) {
    while (!m_toPublish.empty() && m_sendTimer == 0) {
        const ProducerMessage next = m_toPublish.front();
        m_toPublish.pop_front();
        sendFirst(ctx, next);
        if (!m_toPublish.empty() && m_toPublish.front().intervalMs > 0)
            m_sendTimer = ctx.setTimer(millis(m_toPublish.front().intervalMs), kTagSend);
    }
}

void Producer::sendFirst(Context& ctx, const ProducerMessage& message) {
    const std::string id = mqMessageId(message.number);
    const std::string body = message.poison ? std::string(kMqPoisonBody) : id;
    const std::int64_t opId = ctx.store().increment(kOpCounterKey);
    ++m_published;
    ctx.recordOp(OpPhase::Invoke, opId, "publish",
                 Json{{"queue", message.queue},
                      {"message_id", id},
                      {"persistent", message.persistent},
                      {"mode", deliveryModeName(m_mode)}});
    if (m_mode == DeliveryMode::Brokerless) return push(ctx, message, body, opId);
    UnconfirmedMessage& unconfirmed = m_unconfirmed[message.number];
    unconfirmed = UnconfirmedMessage{message.queue, id, body, message.persistent, opId, 0, 0, {}};
    m_unconfirmedById[id] = message.number;
    publish(ctx, message.number);
}

void Producer::publish(Context& ctx, std::int64_t number) {
    UnconfirmedMessage& message = m_unconfirmed.at(number);
    const std::int64_t msgId =
        ctx.send(m_config.broker,
                 makeBody(MqPublish{message.queue, message.messageId, message.body, message.persistent}));
    message.publishMsgIds.push_back(msgId);
    m_publishes[msgId] = number;
    m_deadlines.erase({message.deadline, number});
    message.deadline = ctx.now() + millis(std::max<std::int64_t>(1, m_config.confirmTimeoutMs));
    m_deadlines.insert({message.deadline, number});
    armConfirmCheck(ctx);
}

void Producer::push(Context& ctx, const ProducerMessage& message, const std::string& body,
                    std::int64_t opId) {
    const std::string id = mqMessageId(message.number);
    auto subscribers = m_subscribers.find(message.queue);
    if (subscribers == m_subscribers.end() || subscribers->second.empty()) {
        // A PUSH socket with no peer connected: the message goes nowhere, and the sender cannot tell.
        ctx.recordOp(OpPhase::Ok, opId, "publish",
                     Json{{"queue", message.queue}, {"message_id", id}, {"subscribers", 0}});
        ctx.traceState(id + " pushed to nobody: no subscriber for " + message.queue);
        return;
    }
    const std::vector<NodeId>& peers = subscribers->second;
    const MqPush push{message.queue, id, body};
    if (m_pattern == PushPattern::PubSub) {
        for (const NodeId& peer : peers) ctx.send(peer, makeBody(push));
    } else {
        std::size_t& cursor = m_nextSubscriber[message.queue];
        ctx.send(peers[cursor % peers.size()], makeBody(push));
        cursor = (cursor + 1) % peers.size();
    }
    Json ok{{"queue", message.queue}, {"message_id", id}};
    if (m_pattern == PushPattern::PubSub) ok["sent_to"] = peers;  // each of them is owed its own copy
    ctx.recordOp(OpPhase::Ok, opId, "publish", std::move(ok));
}

// --- confirms ---

void Producer::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag == kTagSend && id == m_sendTimer) {
        m_sendTimer = 0;
        return pump(ctx);
    }
    if (tag == kTagConfirm && id == m_confirmTimer) {
        m_confirmTimer = 0;
        checkConfirms(ctx);
    }
}

void Producer::checkConfirms(Context& ctx) {
    while (!m_deadlines.empty() && m_deadlines.begin()->first <= ctx.now()) {
        const std::int64_t number = m_deadlines.begin()->second;
        UnconfirmedMessage& message = m_unconfirmed.at(number);
        if (message.republishes >= m_config.republishMax) {
            ctx.recordOp(OpPhase::Unknown, message.opId, "publish",
                         Json{{"message_id", message.messageId}, {"error", "no confirm"}});
            ctx.traceState("gives up on " + message.messageId + " after " +
                           std::to_string(message.republishes) + " republishes");
            forget(number);
            continue;
        }
        ++message.republishes;
        publish(ctx, number);  // moves its deadline forward
    }
    armConfirmCheck(ctx);
}

void Producer::armConfirmCheck(Context& ctx) {
    if (m_deadlines.empty()) {
        if (m_confirmTimer != 0) ctx.cancelTimer(m_confirmTimer);
        m_confirmTimer = 0;
        return;
    }
    const SimTime due = m_deadlines.begin()->first;
    if (m_confirmTimer != 0 && m_confirmTimerAt <= due) return;  // fires in time; it re-arms itself
    if (m_confirmTimer != 0) ctx.cancelTimer(m_confirmTimer);
    m_confirmTimerAt = due;
    m_confirmTimer = ctx.setTimer(std::max<SimTime>(0, due - ctx.now()), kTagConfirm);
}

void Producer::forget(std::int64_t number) {
    auto it = m_unconfirmed.find(number);
    assert(it != m_unconfirmed.end() && "only unconfirmed messages are forgotten");
    for (std::int64_t msgId : it->second.publishMsgIds) m_publishes.erase(msgId);
    m_deadlines.erase({it->second.deadline, number});
    m_unconfirmedById.erase(it->second.messageId);
    m_unconfirmed.erase(it);
}

}  // namespace distlab::mq
