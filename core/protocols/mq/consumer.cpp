// The queue lab's consumer: prefetch-limited consuming with process-then-apply-then-ack (RabbitMQ's manual
// acknowledgements), or a ZeroMQ-style bounded inbox in brokerless mode. The channel's and a message's
// state machines are drawn in the header.
#include "core/protocols/mq/consumer.h"

#include <algorithm>
#include <cassert>

namespace distlab::mq {

namespace {

const std::string kSubscriptionKey = "mq-consumer/subscription";
const std::string kModeKey = "mq-consumer/mode";
const std::string kPatternKey = "mq-consumer/pattern";
const std::string kOpCounterKey = "mq-consumer/op-counter";
const std::string kTagProcess = "mq-consumer-process";
const std::string kTagApplyRetry = "mq-consumer-apply-retry";
const std::string kTagConsumeRetry = "mq-consumer-consume-retry";
const std::string kTagHeartbeat = "mq-consumer-heartbeat";
const std::string kInboxFull = "inbox full";

}  // namespace

std::string_view channelStateName(ChannelState state) {
    switch (state) {
        case ChannelState::Closed:
            return "closed";
        case ChannelState::Opening:
            return "opening";
        case ChannelState::Open:
            return "open";
    }
    return "?";
}

Consumer::Consumer(ConsumerConfig config)
    : m_config(std::move(config)), m_retryWaitMs(std::max<std::int64_t>(1, m_config.retryMs)) {}

void Consumer::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    std::string mode(deliveryModeName(m_mode));
    if (m_mode == DeliveryMode::Amqp && m_subscribed)
        mode += " (channel " + std::string(channelStateName(m_channel)) + ")";
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "mode"), mode);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "queue"),
                     m_subscribed ? m_subscription.queue + (manual() ? " (manual)" : "") : "-");
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "prefetch"), std::to_string(prefetch()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "idempotent"), idempotent() ? "yes" : "no");
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "processing"), m_current ? m_current->messageId : "-");
    std::string inbox = std::to_string(m_inbox.size());
    for (std::size_t i = 0; i < m_inbox.size() && i < 8; ++i)
        inbox += (i == 0 ? ": " : " ") + m_inbox[i].messageId + (m_inbox[i].redelivered ? "*" : "");
    if (m_inbox.size() > 8) inbox += " ...";
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "inbox"), inbox);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "received"), std::to_string(m_received));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "acked"), std::to_string(m_acked));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "nacked"), std::to_string(m_nacked));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "effects"), std::to_string(m_effects));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "skipped"), std::to_string(m_skipped));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "dropped"), std::to_string(m_dropped));
}

Json Consumer::observe(SimTime now) const {
    (void)now;
    Json inbox = Json::array();
    for (const ConsumerDelivery& held : m_inbox)
        inbox.push_back(Json{{"id", held.messageId},
                             {"tag", held.deliveryTag},
                             {"redelivered", held.redelivered},
                             {"poison", held.poison}});
    return Json{{"processing", processing()}, {"inbox", std::move(inbox)}};
}

// --- start, and what is on disk ---

void Consumer::onStart(Context& ctx) {
    load(ctx);
    if (m_mode == DeliveryMode::Amqp && m_subscribed) {
        ctx.traceState("resumes its subscription to " + m_subscription.queue);
        openChannel(ctx);
        armHeartbeat(ctx);
    }
}

void Consumer::load(Context& ctx) {
    const Disk store = ctx.store();
    if (std::optional<std::string> mode = store.get(kModeKey))
        m_mode = *mode == kMqModeBrokerless ? DeliveryMode::Brokerless : DeliveryMode::Amqp;
    m_pubsub = store.get(kPatternKey).value_or("") == kMqPatternPubSub;
    if (std::optional<std::string> text = store.get(kSubscriptionKey)) {
        // Written by save() only; an unreadable record is no subscription rather than a stopped node.
        Body body{std::string(MqSubscribe::kType), 0, {}, Json::parse(*text, nullptr, false)};
        if (Result<MqSubscribe> subscription = parseMqSubscribe(body)) {
            m_subscription = subscription.value();
            m_subscribed = true;
        }
    }
}

void Consumer::save(Context& ctx) const {
    ctx.store().put(kModeKey, std::string(deliveryModeName(m_mode)));
    ctx.store().put(kPatternKey, std::string(m_pubsub ? kMqPatternPubSub : kMqPatternPush));
    if (m_subscribed) ctx.store().put(kSubscriptionKey, Json(m_subscription).dump());
}

// --- messages ---

void Consumer::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == MqSubscribe::kType) return onSubscribe(ctx, message);
    if (type == MqMode::kType) return onMode(ctx, message);
    if (type == MqSettle::kType) return onSettle(ctx, message);
    if (type == MqPush::kType) return onPush(ctx, message);  // any producer may push (ZeroMQ PULL)
    // The channel's messages count only from the broker, the apply's answer only from the ledger: a
    // delivery forged by another node must not be processed, nor its effect applied.
    const bool fromBroker = message.src == m_config.broker;
    if (type == MqDeliver::kType || type == MqConsumeOk::kType || type == MqChannelClosed::kType ||
        type == MqCancelOk::kType) {
        if (!fromBroker) return;
        if (type == MqDeliver::kType) return onDeliver(ctx, message);
        if (type == MqConsumeOk::kType) return onConsumeOk(ctx, message);
        if (type == MqChannelClosed::kType) return onChannelClosed(ctx, message);
        return onCancelOk(ctx, message);
    }
    if (type == MqApplyOk::kType) {
        if (message.src == m_config.ledger) onApplyOk(ctx, message);
        return;
    }
    if (type == ErrorMsg::kType && message.src == m_config.broker) return onBrokerError(ctx, message);
    // An error from the ledger (it is full, or restarting) is answered by the apply's resend.
    ctx.replyNotSupported(message, "a queue consumer");
}

void Consumer::onSubscribe(Context& ctx, const Envelope& message) {
    Result<MqSubscribe> subscribe = parseMqSubscribe(message.body);
    if (!subscribe) return ctx.replyError(message, ErrorCode::MalformedRequest, subscribe.error().message);
    // One subscription per consumer: the old queue's channel goes, and with it whatever it held.
    if (m_subscribed && m_channel != ChannelState::Closed && m_subscription.queue != subscribe->queue)
        closeChannel(ctx);
    if (!m_subscribed || m_subscription.queue != subscribe->queue) m_lastTag = 0;  // another queue's tags
    forgetHeld(ctx);
    m_subscription = subscribe.value();
    m_subscribed = true;
    save(ctx);
    ctx.reply(message, makeBody(MqSubscribeOk{m_subscription.queue}));
    ctx.traceState(
        "subscribed to " + m_subscription.queue + " (prefetch " + std::to_string(m_subscription.prefetch) +
        (m_subscription.idempotent ? ", idempotent" : "") + (m_subscription.manual ? ", manual" : "") + ")");
    if (m_mode == DeliveryMode::Amqp) {
        openChannel(ctx);
        armHeartbeat(ctx);
    }
}

void Consumer::onMode(Context& ctx, const Envelope& message) {
    Result<MqMode> mode = parseMqMode(message.body);
    if (!mode) return ctx.replyError(message, ErrorCode::MalformedRequest, mode.error().message);
    const DeliveryMode next = mode->mode == kMqModeBrokerless ? DeliveryMode::Brokerless : DeliveryMode::Amqp;
    ctx.reply(message, makeBody(MqModeOk{mode->mode}));
    if (m_pubsub != (mode->pattern == kMqPatternPubSub)) {
        m_pubsub = mode->pattern == kMqPatternPubSub;
        save(ctx);
    }
    if (next == m_mode) return;
    m_mode = next;
    save(ctx);
    ctx.traceState("mode " + mode->mode);
    // What is held belongs to the old mode: broker deliveries are requeued by the cancel, pushes are lost
    // (at most once was the deal).
    forgetHeld(ctx);
    if (m_mode == DeliveryMode::Brokerless) {
        closeChannel(ctx);
        if (m_heartbeatTimer != 0) ctx.cancelTimer(m_heartbeatTimer);
        m_heartbeatTimer = 0;
    } else {
        openChannel(ctx);
        armHeartbeat(ctx);
    }
}

void Consumer::onSettle(Context& ctx, const Envelope& message) {
    Result<MqSettle> settle = parseMqSettle(message.body);
    if (!settle) return ctx.replyError(message, ErrorCode::MalformedRequest, settle.error().message);
    if (!m_subscribed || !m_subscription.manual)
        return ctx.replyError(
            message, ErrorCode::PreconditionFailed,
            ctx.self() + " settles its deliveries itself; subscribe with manual: true first");
    // The oldest held delivery not already acked, or the one with the tag.
    auto it = std::find_if(m_inbox.begin(), m_inbox.end(), [&](const ConsumerDelivery& d) {
        return !d.approved && (settle->delivery_tag == 0 || d.deliveryTag == settle->delivery_tag);
    });
    if (it == m_inbox.end())
        return ctx.replyError(message, ErrorCode::KeyDoesNotExist,
                              settle->delivery_tag == 0 ? ctx.self() + " holds no delivery to settle"
                                                        : ctx.self() + " holds no delivery with tag " +
                                                              std::to_string(settle->delivery_tag));
    ctx.reply(message, makeBody(MqSettleOk{it->messageId, settle->action}));
    if (settle->action == kMqSettleAck) {
        it->approved = true;
        return startNext(ctx);
    }
    const ConsumerDelivery delivery = *it;
    m_inbox.erase(it);
    failed(ctx, delivery, settle->requeue, settle->action == kMqSettleReject);
}

void Consumer::onDeliver(Context& ctx, const Envelope& message) {
    Result<MqDeliver> deliver = parseMqDeliver(message.body);
    if (!deliver) return;
    // Only the channel's new deliveries count: one that arrives while no channel is open or asked for, or
    // that does not move the tag forward (a duplicate, a late one), is not this channel's to ack. Once the
    // consume is out, a delivery may overtake its consume_ok on a reordering network: it counts.
    const bool channel =
        m_channel == ChannelState::Open || (m_channel == ChannelState::Opening && m_consumeMsgId != 0);
    if (m_mode != DeliveryMode::Amqp || !channel || !m_subscribed || deliver->queue != m_subscription.queue ||
        deliver->delivery_tag <= m_lastTag) {
        ctx.traceState("ignores " + deliver->message_id + " (tag " + std::to_string(deliver->delivery_tag) +
                       "): not for its open channel");
        return;
    }
    m_lastTag = deliver->delivery_tag;
    ++m_received;
    m_inbox.push_back(ConsumerDelivery{deliver->message_id, deliver->delivery_tag, deliver->redelivered,
                                       deliver->body == kMqPoisonBody, deliver->queue, false});
    recordOk(ctx, "deliver",
             Json{{"queue", deliver->queue},
                  {"message_id", deliver->message_id},
                  {"delivery_tag", deliver->delivery_tag},
                  {"redelivered", deliver->redelivered}});
    startNext(ctx);
}

void Consumer::onPush(Context& ctx, const Envelope& message) {
    Result<MqPush> push = parseMqPush(message.body);
    if (!push || m_mode != DeliveryMode::Brokerless) return;  // no socket is listening
    if (m_inbox.size() >= m_config.inboxMax) {
        // ZeroMQ's high-water mark: a PUSH to a full peer is dropped, and nobody is told.
        ++m_dropped;
        recordOk(ctx, "drop",
                 Json{{"queue", push->queue}, {"message_id", push->message_id}, {"reason", kInboxFull}});
        return;
    }
    ++m_received;
    m_inbox.push_back(
        ConsumerDelivery{push->message_id, 0, false, push->body == kMqPoisonBody, push->queue, false});
    recordOk(ctx, "deliver", Json{{"queue", push->queue}, {"message_id", push->message_id}});
    startNext(ctx);
}

void Consumer::onCancelOk(Context& ctx, const Envelope& message) {
    // Only the answer to the latest opening cancel sends the consume; others (a closed channel's, a late
    // or duplicated one) change nothing.
    if (m_channel != ChannelState::Opening || m_consumeMsgId != 0 || message.body.inReplyTo != m_cancelMsgId)
        return;
    m_consumeMsgId =
        ctx.send(m_config.broker, makeBody(MqConsume{m_subscription.queue, m_subscription.prefetch}));
    armConsumeRetry(ctx);  // the consume gets a whole wait of its own
}

void Consumer::onConsumeOk(Context& ctx, const Envelope& message) {
    // Only the latest consume opens the channel: an earlier one was cancelled right after it.
    if (m_channel != ChannelState::Opening || message.body.inReplyTo != m_consumeMsgId) return;
    m_channel = ChannelState::Open;
    m_retryWaitMs = std::max<std::int64_t>(1, m_config.retryMs);
    // m_lastTag stays: the broker never reuses a tag on this consumer's channel, across reopens and its own
    // restarts, so a delivery of the old channel arriving late is still recognised as stale.
    if (m_retryTimer != 0) ctx.cancelTimer(m_retryTimer);
    m_retryTimer = 0;
    ctx.traceState("consuming " + m_subscription.queue);
}

void Consumer::onChannelClosed(Context& ctx, const Envelope& message) {
    Result<MqChannelClosed> closed = parseMqChannelClosed(message.body);
    if (!closed || m_channel != ChannelState::Open || closed->queue != m_subscription.queue) return;
    channelLost(ctx, "channel closed by " + message.src + ": " + closed->reason);
}

void Consumer::onBrokerError(Context& ctx, const Envelope& message) {
    if (!message.body.inReplyTo) return;
    const std::int64_t answered = *message.body.inReplyTo;
    Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
    const std::string why = error ? error->text : "error";
    if (answered == m_consumeMsgId && m_channel == ChannelState::Opening) {
        // No such queue yet, or too many channels: the retry timer tries again, at the first pace (the broker
        // did answer, so the link is not what is slow).
        m_retryWaitMs = std::max<std::int64_t>(1, m_config.retryMs);
        armConsumeRetry(ctx);
        ctx.traceState("consume refused: " + why);
        return;
    }
    // Everything sent on the open channel (heartbeats, acks, nacks) went after its consume: an error
    // answering one of them means the broker has no channel for us any more.
    if (m_channel == ChannelState::Open && answered > m_consumeMsgId)
        channelLost(ctx, "broker lost the channel: " + why);
}

void Consumer::onApplyOk(Context& ctx, const Envelope& message) {
    Result<MqApplyOk> ok = parseMqApplyOk(message.body);
    if (!ok || m_stage != Stage::Applying || !m_current || ok->message_id != m_current->messageId ||
        !message.body.inReplyTo || *message.body.inReplyTo < m_applyFirstMsgId)
        return;
    if (ok->applied) {
        ++m_effects;
    } else {
        ++m_skipped;
        ctx.traceState(ok->message_id + " already applied: skipped");
    }
    if (m_current->deliveryTag > 0) {
        ctx.send(m_config.broker, makeBody(MqAck{m_current->queue, m_current->deliveryTag, false}));
        ++m_acked;
        recordOk(ctx, "ack",
                 Json{{"queue", m_current->queue},
                      {"message_id", m_current->messageId},
                      {"delivery_tag", m_current->deliveryTag}});
    }
    finishCurrent(ctx);
    startNext(ctx);
}

// --- the channel ---

void Consumer::openChannel(Context& ctx) {
    if (!m_subscribed || m_mode != DeliveryMode::Amqp) return;
    const std::string& queue = m_subscription.queue;
    // Cancel first: whatever an earlier consume (of this process or the one before a crash) left open goes
    // back to the queue instead of waiting for an ack that will never come. The consume waits for the
    // cancel's answer: on a network that reorders, a cancel overtaken by its consume would close the
    // channel just opened.
    m_cancelMsgId = ctx.send(m_config.broker, makeBody(MqCancel{queue}));
    m_consumeMsgId = 0;
    m_channel = ChannelState::Opening;
    armConsumeRetry(ctx);
}

void Consumer::armConsumeRetry(Context& ctx) {
    if (m_retryTimer != 0) ctx.cancelTimer(m_retryTimer);
    m_retryTimer = ctx.setTimer(millis(std::max<std::int64_t>(1, m_retryWaitMs)), kTagConsumeRetry);
}

void Consumer::closeChannel(Context& ctx) {
    if (m_channel != ChannelState::Closed)
        ctx.send(m_config.broker, makeBody(MqCancel{m_subscription.queue}));
    m_channel = ChannelState::Closed;
    if (m_retryTimer != 0) ctx.cancelTimer(m_retryTimer);
    m_retryTimer = 0;
}

void Consumer::channelLost(Context& ctx, const std::string& why) {
    ctx.traceState(why + "; forgets " + std::to_string(m_inbox.size() + (m_current ? 1 : 0)) +
                   " held deliveries and consumes again");
    forgetHeld(ctx);
    m_channel = ChannelState::Closed;
    openChannel(ctx);
}

void Consumer::forgetHeld(Context& ctx) {
    m_inbox.clear();
    finishCurrent(ctx);
}

void Consumer::armHeartbeat(Context& ctx) {
    if (m_heartbeatTimer != 0 || m_config.heartbeatMs <= 0) return;
    m_heartbeatTimer = ctx.setTimer(millis(m_config.heartbeatMs), kTagHeartbeat);
}

void Consumer::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag == kTagHeartbeat && id == m_heartbeatTimer) {
        m_heartbeatTimer = 0;
        if (m_mode != DeliveryMode::Amqp || !m_subscribed) return;
        ctx.send(m_config.broker, makeBody(MqHeartbeat{}));
        return armHeartbeat(ctx);
    }
    if (tag == kTagConsumeRetry && id == m_retryTimer) {
        m_retryTimer = 0;
        if (m_channel != ChannelState::Opening) return;
        // No answer in time: the broker is slow, far or away. Wait twice as long next time (up to 16 times
        // the first wait), so that a slow link still gets its channel instead of cancelling it each time.
        m_retryWaitMs = std::min(m_retryWaitMs * 2, std::max<std::int64_t>(1, m_config.retryMs) * 16);
        openChannel(ctx);
        return;
    }
    if (id != m_workTimer) return;
    m_workTimer = 0;
    if (tag == kTagProcess && m_stage == Stage::Processing) return processed(ctx);
    if (tag == kTagApplyRetry && m_stage == Stage::Applying) return sendApply(ctx);
}

// --- processing ---

void Consumer::startNext(Context& ctx) {
    if (m_stage != Stage::Idle) return;
    // Automatic consumers take the head; manual ones the oldest delivery acked by mq_settle.
    auto next = m_subscription.manual ? std::find_if(m_inbox.begin(), m_inbox.end(),
                                                     [](const ConsumerDelivery& d) { return d.approved; })
                                      : m_inbox.begin();
    if (next == m_inbox.end()) return;
    m_current = *next;
    m_inbox.erase(next);
    if (m_current->approved) {
        // The student decided: apply it now, without processing time or failures of its own.
        ctx.traceState("applies " + m_current->messageId + " (settled by hand)");
        m_applyFirstMsgId = 0;
        return sendApply(ctx);
    }
    m_stage = Stage::Processing;
    ctx.traceState("processing " + m_current->messageId);
    m_workTimer = ctx.setTimer(millis(m_subscription.process_ms), kTagProcess);
}

void Consumer::processed(Context& ctx) {
    assert(m_current && "processing always has a message in hand");
    if (m_current->poison || ctx.rng().chance(m_subscription.fail_rate)) {
        const ConsumerDelivery delivery = *m_current;
        ctx.traceState("processing " + delivery.messageId + " failed" + (delivery.poison ? " (poison)" : ""));
        finishCurrent(ctx);
        failed(ctx, delivery, /*requeue=*/true, /*reject=*/false);
        return;
    }
    m_applyFirstMsgId = 0;
    sendApply(ctx);
}

void Consumer::sendApply(Context& ctx) {
    m_stage = Stage::Applying;
    // The same request every time: the ledger's answer to any of them will do.
    // The copy this delivery is: its queue's (a fanout exchange copies into several queues), or under
    // brokerless pub-sub, this subscriber's own.
    const std::string scope = m_mode == DeliveryMode::Brokerless && m_pubsub
                                  ? m_current->queue + "@" + ctx.self()
                                  : m_current->queue;
    const std::int64_t msgId =
        ctx.send(m_config.ledger, makeBody(MqApply{m_current->messageId, m_subscription.idempotent, scope}));
    if (m_applyFirstMsgId == 0) m_applyFirstMsgId = msgId;
    m_workTimer = ctx.setTimer(millis(std::max<std::int64_t>(1, m_config.retryMs)), kTagApplyRetry);
}

void Consumer::failed(Context& ctx, const ConsumerDelivery& delivery, bool requeue, bool reject) {
    ++m_nacked;
    if (delivery.deliveryTag == 0) {
        // Pushed: there is nobody to give it back to. It is gone.
        recordOk(ctx, "nack",
                 Json{{"queue", delivery.queue}, {"message_id", delivery.messageId}, {"requeue", false}});
    } else {
        if (reject) {
            ctx.send(m_config.broker, makeBody(MqReject{delivery.queue, delivery.deliveryTag, requeue}));
        } else {
            ctx.send(m_config.broker, makeBody(MqNack{delivery.queue, delivery.deliveryTag, false, requeue}));
        }
        recordOk(ctx, "nack",
                 Json{{"queue", delivery.queue},
                      {"message_id", delivery.messageId},
                      {"delivery_tag", delivery.deliveryTag},
                      {"requeue", requeue}});
    }
    startNext(ctx);
}

void Consumer::finishCurrent(Context& ctx) {
    if (m_workTimer != 0) ctx.cancelTimer(m_workTimer);
    m_workTimer = 0;
    m_current.reset();
    m_stage = Stage::Idle;
    m_applyFirstMsgId = 0;
}

void Consumer::recordOk(Context& ctx, std::string_view f, Json value) {
    ctx.recordOp(OpPhase::Ok, ctx.store().increment(kOpCounterKey), f, std::move(value));
}

}  // namespace distlab::mq
