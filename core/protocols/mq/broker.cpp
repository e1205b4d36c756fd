// An AMQP 0-9-1-style broker following RabbitMQ's documented acknowledgement semantics: publisher
// confirms after the durable write, prefetch-limited channels with per-channel delivery tags, ack / nack /
// reject with requeue to the original position, dead-lettering, a delivery limit, and channel errors that
// requeue everything the channel held. The life of a message is drawn in the header.
#include "core/protocols/mq/broker.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <optional>

namespace distlab::mq {

namespace {

const std::string kTagHeartbeatCheck = "mq-heartbeat-check";

std::optional<Json> parseStored(const std::string& text) {
    Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) return std::nullopt;
    return json;
}

// Store keys sort like positions, so the disk lists a queue's messages in queue order.
std::string paddedPosition(std::uint64_t position) {
    char text[32];
    std::snprintf(text, sizeof text, "%020llu", static_cast<unsigned long long>(position));
    return text;
}

std::vector<std::string> keysWithPrefix(const DiskReader& store, std::string_view prefix) {
    std::vector<std::string> keys;
    for (auto& [key, stored] : store.scan(prefix)) keys.push_back(std::move(key));
    return keys;
}

}  // namespace

Broker::Broker(BrokerConfig config) : m_config(config) {}

std::string Broker::queueStoreKey(const std::string& queue) {
    return std::string(kMqQueueStorePrefix) + queue;
}
std::string Broker::messageStoreKey(const std::string& queue, std::uint64_t position) {
    return std::string(kMqMessageStorePrefix) + queue + "/" + paddedPosition(position);
}
std::string Broker::tagStoreKey(const ChannelKey& key) {
    return std::string(kMqTagStorePrefix) + key.second + "/" + key.first;
}
std::string Broker::bindingStoreKey(const std::string& exchange, const std::string& queue) {
    return std::string(kMqBindingStorePrefix) + exchange + "/" + queue;
}

// --- inspection ---

const MqQueue* Broker::queue(const std::string& name) const {
    auto it = m_queues.find(name);
    return it == m_queues.end() ? nullptr : &it->second;
}

const MqChannel* Broker::channel(const NodeId& consumer, const std::string& queue) const {
    auto it = m_channels.find({consumer, queue});
    return it == m_channels.end() ? nullptr : &it->second;
}

std::size_t Broker::unackedCount(const std::string& queue) const {
    std::size_t count = 0;
    for (const auto& [key, channel] : m_channels) {
        if (key.second == queue) count += channel.unacked.size();
    }
    return count;
}

std::string Broker::queueStateText(const std::string& queue) const {
    const MqQueue* q = this->queue(queue);
    if (!q) return "queue " + queue + ": gone";
    return "queue " + queue + ": " + std::to_string(q->ready.size()) + " ready, " +
           std::to_string(unackedCount(queue)) + " unacked";
}

void Broker::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "queues"), std::to_string(m_queues.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "channels"), std::to_string(m_channels.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "published"), std::to_string(m_stats.published));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "delivered"), std::to_string(m_stats.delivered));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "redelivered"), std::to_string(m_stats.redelivered));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "acked"), std::to_string(m_stats.acked));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "requeued"), std::to_string(m_stats.requeued));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "dead-lettered"), std::to_string(m_stats.deadLettered));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "channel errors"), std::to_string(m_stats.channelErrors));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "channel timeouts"),
                     std::to_string(m_stats.channelTimeouts + m_stats.ackTimeouts));
    for (const auto& [name, q] : m_queues) {
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "queue"),
                         name + (q.durable ? " (durable): " : ": ") + std::to_string(q.ready.size()) +
                             " ready, " + std::to_string(unackedCount(name)) + " unacked, " +
                             std::to_string(q.consumers.size()) + " consumers");
    }
    for (const auto& [key, channel] : m_channels) {
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "channel"),
                         key.first + " on " + key.second + ": prefetch " + std::to_string(channel.prefetch) +
                             ", " + std::to_string(channel.unacked.size()) + " unacked, next tag " +
                             std::to_string(channel.nextTag));
    }
}

namespace {

Json reportMessage(const QueuedMessage& message) {
    return Json{{"id", message.messageId},
                {"body", message.body},
                {"redelivered", message.redelivered},
                {"deliveries", message.deliveries}};
}

}  // namespace

Json Broker::observe(SimTime now) const {
    (void)now;
    Json queues = Json::object();
    for (const auto& [name, q] : m_queues) {
        Json ready = Json::array();
        for (const auto& [position, message] : q.ready) ready.push_back(reportMessage(message));
        queues[name] = Json{{"durable", q.durable}, {"ready", std::move(ready)}, {"consumers", q.consumers}};
    }
    Json channels = Json::array();
    for (const auto& [key, channel] : m_channels) {
        Json unacked = Json::array();
        for (const auto& [tag, message] : channel.unacked) {
            Json held = reportMessage(message);
            held["tag"] = tag;
            unacked.push_back(std::move(held));
        }
        channels.push_back(Json{{"consumer", key.first},
                                {"queue", key.second},
                                {"prefetch", channel.prefetch},
                                {"unacked", std::move(unacked)}});
    }
    return Json{{"queues", std::move(queues)}, {"channels", std::move(channels)}};
}

// --- start and recovery ---

void Broker::onStart(Context& ctx) {
    recover(ctx);
    traceTouched(ctx);
}

void Broker::recover(Context& ctx) {
    Disk store = ctx.store();
    for (const std::string& key : keysWithPrefix(store, kMqQueueStorePrefix)) {
        const std::string name = key.substr(kMqQueueStorePrefix.size());
        if (!validateMqName(name).empty() || m_queues.size() >= m_config.queuesMax) {
            store.erase(key);
            continue;
        }
        m_queues[name].durable = true;
        touch(name);
    }
    for (const std::string& key : keysWithPrefix(store, kMqMessageStorePrefix)) {
        std::optional<Json> json = parseStored(*store.get(key));
        std::string queue;
        QueuedMessage message;
        try {
            if (!json) json = Json();  // at() on null throws, so this lands in the catch below
            queue = json->at("queue").get<std::string>();
            message.position = json->at("position").get<std::uint64_t>();
            message.messageId = json->at("message_id").get<std::string>();
            message.body = json->at("body").get<std::string>();
            message.deliveries = json->at("deliveries").get<std::int64_t>();
        } catch (const Json::exception&) {
            store.erase(key);  // an unreadable record holds nothing
            continue;
        }
        auto q = m_queues.find(queue);
        if (q == m_queues.end() || key != messageStoreKey(queue, message.position) ||
            q->second.ready.size() >= m_config.messagesPerQueueMax) {
            store.erase(key);
            continue;
        }
        message.persistent = true;
        // It may have reached a consumer before the crash: say so, as RabbitMQ does on recovery.
        message.redelivered = message.deliveries > 0;
        q->second.nextPosition = std::max(q->second.nextPosition, message.position + 1);
        q->second.ready.emplace(message.position, std::move(message));
    }
    for (const std::string& key : keysWithPrefix(store, kMqBindingStorePrefix)) {
        const std::string rest = key.substr(kMqBindingStorePrefix.size());
        const std::size_t slash = rest.find('/');
        const std::string exchange = slash == std::string::npos ? "" : rest.substr(0, slash);
        const std::string queue = slash == std::string::npos ? "" : rest.substr(slash + 1);
        if (!m_queues.contains(queue) || !validateMqName(exchange).empty() || m_queues.contains(exchange) ||
            m_bindingCount >= m_config.bindingsMax) {
            store.erase(key);
            continue;
        }
        if (m_bindings[exchange].insert(queue).second) ++m_bindingCount;
    }
    for (const std::string& key : keysWithPrefix(store, kMqTagStorePrefix)) {
        const std::string rest = key.substr(kMqTagStorePrefix.size());
        const std::size_t slash = rest.find('/');
        const std::optional<Json> next = parseStored("{\"next\":" + *store.get(key) + "}");
        if (slash == std::string::npos || !validateMqName(rest.substr(0, slash)).empty() ||
            slash + 1 == rest.size() || !next || !next->at("next").is_number_integer() ||
            next->at("next").get<std::int64_t>() < 1 ||
            next->at("next").get<std::int64_t>() > kMqDeliveryTagMax) {
            store.erase(key);
            continue;
        }
        m_nextTags[{rest.substr(slash + 1), rest.substr(0, slash)}] = next->at("next").get<std::int64_t>();
    }
}

// --- requests ---

void Broker::onMessage(Context& ctx, const Envelope& message) {
    heard(ctx, message.src);
    const std::string& type = message.body.type;
    if (type == MqDeclare::kType) {
        onDeclare(ctx, message);
    } else if (type == MqBind::kType) {
        onBind(ctx, message);
    } else if (type == MqPublish::kType) {
        onPublish(ctx, message);
    } else if (type == MqConsume::kType) {
        onConsume(ctx, message);
    } else if (type == MqCancel::kType) {
        onCancel(ctx, message);
    } else if (type == MqAck::kType) {
        Result<MqAck> ack = parseMqAck(message.body);
        if (!ack) return ctx.replyError(message, ErrorCode::MalformedRequest, ack.error().message);
        settle(ctx, message, ack->queue, ack->delivery_tag, ack->multiple, Settle::Ack);
    } else if (type == MqNack::kType) {
        Result<MqNack> nack = parseMqNack(message.body);
        if (!nack) return ctx.replyError(message, ErrorCode::MalformedRequest, nack.error().message);
        settle(ctx, message, nack->queue, nack->delivery_tag, nack->multiple,
               nack->requeue ? Settle::Requeue : Settle::DeadLetter);
    } else if (type == MqReject::kType) {
        Result<MqReject> reject = parseMqReject(message.body);
        if (!reject) return ctx.replyError(message, ErrorCode::MalformedRequest, reject.error().message);
        settle(ctx, message, reject->queue, reject->delivery_tag, false,
               reject->requeue ? Settle::Requeue : Settle::DeadLetter);
    } else if (type == MqHeartbeat::kType) {
        // heard() above is all a heartbeat does, unless nothing is open (the broker restarted, or timed the
        // channels out): say so, or an idle consumer would wait for ever.
        const auto open = m_channels.lower_bound({message.src, ""});
        if (open == m_channels.end() || open->first.first != message.src)
            ctx.replyError(message, ErrorCode::PreconditionFailed,
                           ctx.self() + " has no open channel from " + message.src + "; consume again");
    } else {
        ctx.replyNotSupported(message, "a message broker");
    }
    traceTouched(ctx);
}

void Broker::onDeclare(Context& ctx, const Envelope& message) {
    Result<MqDeclare> declare = parseMqDeclare(message.body);
    if (!declare) return ctx.replyError(message, ErrorCode::MalformedRequest, declare.error().message);
    if (m_bindings.contains(declare->queue))
        return ctx.replyError(message, ErrorCode::PreconditionFailed,
                              declare->queue + " is already an exchange; pick another queue name");
    auto it = m_queues.find(declare->queue);
    if (it != m_queues.end() && it->second.durable != declare->durable) {
        // RabbitMQ: PRECONDITION_FAILED - inequivalent arg 'durable'.
        return ctx.replyError(message, ErrorCode::PreconditionFailed,
                              "inequivalent arg 'durable' for queue " + declare->queue + ": it is " +
                                  (it->second.durable ? "durable" : "transient") +
                                  "; declare it the same way or use another name");
    }
    if (it == m_queues.end()) {
        if (m_queues.size() >= m_config.queuesMax)
            return ctx.replyError(
                message, ErrorCode::TemporarilyUnavailable,
                ctx.self() + " already has " + std::to_string(m_config.queuesMax) + " queues");
        createQueue(ctx, declare->queue, declare->durable);
    }
    std::int64_t consumers = 0;
    for (const auto& [key, channel] : m_channels) consumers += key.second == declare->queue ? 1 : 0;
    ctx.reply(message,
              makeBody(MqDeclareOk{declare->queue, std::int64_t(m_queues.at(declare->queue).ready.size()),
                                   consumers}));
}

void Broker::onBind(Context& ctx, const Envelope& message) {
    Result<MqBind> bind = parseMqBind(message.body);
    if (!bind) return ctx.replyError(message, ErrorCode::MalformedRequest, bind.error().message);
    auto q = m_queues.find(bind->queue);
    if (q == m_queues.end())
        return ctx.replyError(message, ErrorCode::KeyDoesNotExist,
                              "no queue named " + bind->queue + "; declare it first");
    if (m_queues.contains(bind->exchange))
        return ctx.replyError(message, ErrorCode::PreconditionFailed,
                              bind->exchange + " is a queue; an exchange needs a name of its own");
    std::set<std::string>& bound = m_bindings[bind->exchange];
    if (!bound.contains(bind->queue)) {
        if (m_bindingCount >= m_config.bindingsMax) {
            if (bound.empty()) m_bindings.erase(bind->exchange);
            return ctx.replyError(
                message, ErrorCode::TemporarilyUnavailable,
                ctx.self() + " already has " + std::to_string(m_config.bindingsMax) + " bindings");
        }
        bound.insert(bind->queue);
        ++m_bindingCount;
        // A binding to a durable queue is as durable as the queue.
        if (q->second.durable) ctx.store().put(bindingStoreKey(bind->exchange, bind->queue), "{}");
        ctx.traceState("exchange " + bind->exchange + " -> " + bind->queue);
    }
    ctx.reply(message, makeBody(MqBindOk{bind->exchange, bind->queue}));
}

void Broker::onPublish(Context& ctx, const Envelope& message) {
    Result<MqPublish> publish = parseMqPublish(message.body);
    if (!publish) return ctx.replyError(message, ErrorCode::MalformedRequest, publish.error().message);
    if (publish->body.size() > m_config.bodyBytesMax)
        return ctx.replyError(message, ErrorCode::MalformedRequest,
                              "body: " + std::to_string(publish->body.size()) + " bytes; at most " +
                                  std::to_string(m_config.bodyBytesMax) + " are accepted");
    std::vector<std::string> targets;
    if (auto exchange = m_bindings.find(publish->exchange_or_queue); exchange != m_bindings.end()) {
        targets.assign(exchange->second.begin(), exchange->second.end());
    } else if (m_queues.contains(publish->exchange_or_queue)) {
        targets.push_back(publish->exchange_or_queue);
    } else {
        return ctx.replyError(message, ErrorCode::KeyDoesNotExist,
                              "unroutable: no queue or exchange named " + publish->exchange_or_queue);
    }
    // All or nothing: a fanout either reaches every bound queue or none (RabbitMQ's reject-publish).
    for (const std::string& target : targets) {
        if (m_queues.at(target).ready.size() + unackedCount(target) >= m_config.messagesPerQueueMax)
            return ctx.replyError(message, ErrorCode::TemporarilyUnavailable,
                                  "queue " + target + " is full (" +
                                      std::to_string(m_config.messagesPerQueueMax) + " messages); try later");
    }
    for (const std::string& target : targets) {
        QueuedMessage queued;
        queued.messageId = publish->message_id;
        queued.body = publish->body;
        queued.persistent = publish->persistent;
        enqueue(ctx, target, std::move(queued));  // on disk here, when it has to be
    }
    ++m_stats.published;
    ctx.reply(message, makeBody(MqConfirm{publish->message_id}));
    for (const std::string& target : targets) dispatch(ctx, target);
}

void Broker::onConsume(Context& ctx, const Envelope& message) {
    Result<MqConsume> consume = parseMqConsume(message.body);
    if (!consume) return ctx.replyError(message, ErrorCode::MalformedRequest, consume.error().message);
    auto q = m_queues.find(consume->queue);
    if (q == m_queues.end())
        return ctx.replyError(message, ErrorCode::KeyDoesNotExist,
                              "no queue named " + consume->queue + "; declare it first");
    const ChannelKey key{message.src, consume->queue};
    auto it = m_channels.find(key);
    if (it == m_channels.end()) {
        if (m_channels.size() >= m_config.channelsMax)
            return ctx.replyError(
                message, ErrorCode::TemporarilyUnavailable,
                ctx.self() + " already has " + std::to_string(m_config.channelsMax) + " channels");
        it = m_channels.emplace(key, MqChannel{}).first;
        it->second.lastHeard = ctx.now();
        auto next = m_nextTags.find(key);
        it->second.nextTag = next != m_nextTags.end() ? next->second : 1;
        q->second.consumers.push_back(message.src);
        armHeartbeatCheck(ctx);
    }
    // A consume on an open channel changes its prefetch, like basic.qos. The broker cannot tell it from a
    // consumer that restarted and lost its deliveries, so a consumer process cancels before its first
    // consume: whatever an earlier incarnation left open then goes back to the queue.
    it->second.prefetch = consume->prefetch;
    touch(consume->queue);
    ctx.reply(message, makeBody(MqConsumeOk{consume->queue, consume->prefetch}));
    dispatch(ctx, consume->queue);
}

void Broker::onCancel(Context& ctx, const Envelope& message) {
    Result<MqCancel> cancel = parseMqCancel(message.body);
    if (!cancel) return ctx.replyError(message, ErrorCode::MalformedRequest, cancel.error().message);
    // Cancelling a channel that is not open is harmless, as basic.cancel of an unknown consumer is.
    if (m_channels.contains({message.src, cancel->queue}))
        closeChannel(ctx, {message.src, cancel->queue}, "cancelled", /*notify=*/false);
    ctx.reply(message, makeBody(MqCancelOk{cancel->queue}));
}

void Broker::settle(Context& ctx, const Envelope& message, const std::string& queue, std::int64_t tag,
                    bool multiple, Settle how) {
    const ChannelKey key{message.src, queue};
    auto it = m_channels.find(key);
    if (it == m_channels.end())
        return ctx.replyError(message, ErrorCode::PreconditionFailed,
                              message.src + " has no open channel on " + queue + " (delivery tag " +
                                  std::to_string(tag) + "); consume first");
    MqChannel& channel = it->second;
    // Which tags: exactly `tag`; with multiple every held tag up to it; tag 0 with multiple, all of them.
    // A tag the channel does not hold is a channel error (RabbitMQ: PRECONDITION_FAILED - unknown
    // delivery tag), even with multiple.
    std::vector<std::int64_t> tags;
    if (multiple && tag == 0) {
        for (const auto& [held, m] : channel.unacked) tags.push_back(held);
    } else if (channel.unacked.contains(tag)) {
        if (multiple) {
            for (auto held = channel.unacked.begin(); held != channel.unacked.end() && held->first <= tag;
                 ++held)
                tags.push_back(held->first);
        } else {
            tags.push_back(tag);
        }
    } else {
        ++m_stats.channelErrors;
        return closeChannel(ctx, key, "PRECONDITION_FAILED - unknown delivery tag " + std::to_string(tag),
                            /*notify=*/true);
    }
    for (std::int64_t held : tags) {
        QueuedMessage settled = std::move(channel.unacked.at(held));
        channel.unacked.erase(held);
        switch (how) {
            case Settle::Ack:
                ++m_stats.acked;
                forget(ctx, queue, settled);
                break;
            case Settle::Requeue:
                returnToQueue(ctx, queue, std::move(settled));
                break;
            case Settle::DeadLetter:
                deadLetter(ctx, queue, std::move(settled), "rejected");
                break;
        }
    }
    touch(queue);
    dispatch(ctx, queue);
}

// --- queues and deliveries ---

MqQueue& Broker::createQueue(Context& ctx, const std::string& name, bool durable) {
    MqQueue& q = m_queues[name];
    q.durable = durable;
    if (durable) ctx.store().put(queueStoreKey(name), "{}");
    touch(name);
    return q;
}

void Broker::enqueue(Context& ctx, const std::string& queue, QueuedMessage message) {
    MqQueue& q = m_queues.at(queue);
    message.position = q.nextPosition++;
    if (stored(queue, message)) saveMessage(ctx, queue, message);
    q.ready.emplace(message.position, std::move(message));
    touch(queue);
}

void Broker::dispatch(Context& ctx, const std::string& queue) {
    MqQueue& q = m_queues.at(queue);
    while (!q.ready.empty() && !q.consumers.empty()) {
        // Round robin: the next consumer after the last one served that has room under its prefetch.
        const std::size_t count = q.consumers.size();
        std::optional<std::size_t> chosen;
        for (std::size_t i = 0; i < count && !chosen; ++i) {
            const std::size_t index = (q.nextConsumer + i) % count;
            const MqChannel& channel = m_channels.at({q.consumers[index], queue});
            if (channel.prefetch == 0 || std::int64_t(channel.unacked.size()) < channel.prefetch)
                chosen = index;
        }
        if (!chosen) return;
        q.nextConsumer = (*chosen + 1) % count;
        deliver(ctx, queue, q.consumers[*chosen]);
    }
}

void Broker::deliver(Context& ctx, const std::string& queue, const NodeId& consumer) {
    MqQueue& q = m_queues.at(queue);
    MqChannel& channel = m_channels.at({consumer, queue});
    QueuedMessage message = std::move(q.ready.begin()->second);
    q.ready.erase(q.ready.begin());
    ++message.deliveries;
    message.deliveredAt = ctx.now();
    if (stored(queue, message)) saveMessage(ctx, queue, message);  // so a restart knows it went out
    const std::int64_t tag = channel.nextTag++;
    ctx.store().put(tagStoreKey({consumer, queue}), std::to_string(channel.nextTag));
    ++m_stats.delivered;
    if (message.redelivered) ++m_stats.redelivered;
    ctx.send(consumer, makeBody(MqDeliver{queue, tag, message.messageId, message.body, message.redelivered}));
    channel.unacked.emplace(tag, std::move(message));
    assert((channel.prefetch == 0 || std::int64_t(channel.unacked.size()) <= channel.prefetch) &&
           "a channel never holds more than its prefetch");
    touch(queue);
}

void Broker::returnToQueue(Context& ctx, const std::string& queue, QueuedMessage message) {
    if (m_config.deliveryLimit > 0 && message.deliveries > m_config.deliveryLimit) {
        const std::string why = "delivered " + std::to_string(message.deliveries) + " times";
        return deadLetter(ctx, queue, std::move(message), why);
    }
    message.redelivered = true;
    ++m_stats.requeued;
    MqQueue& q = m_queues.at(queue);
    q.ready.emplace(message.position, std::move(message));
    touch(queue);
}

void Broker::deadLetter(Context& ctx, const std::string& queue, QueuedMessage message, std::string_view why) {
    forget(ctx, queue, message);
    const std::string target = mqDeadLetterQueue(queue);
    const bool durable = m_queues.at(queue).durable;
    std::string problem;
    if (!validateMqName(target).empty()) {
        problem = "its name would be too long";
    } else if (m_bindings.contains(target)) {
        problem = "that name is an exchange";
    } else if (!m_queues.contains(target) && m_queues.size() >= m_config.queuesMax) {
        problem = "the broker has " + std::to_string(m_config.queuesMax) + " queues";
    } else if (auto q = m_queues.find(target);
               q != m_queues.end() &&
               q->second.ready.size() + unackedCount(target) >= m_config.messagesPerQueueMax) {
        problem = "it is full";
    }
    if (!problem.empty()) {
        ++m_stats.dropped;
        ctx.traceState(queue + ": " + message.messageId + " dropped (" + std::string(why) +
                       "), no dead-letter queue: " + problem);
        return;
    }
    if (!m_queues.contains(target)) createQueue(ctx, target, durable);
    ++m_stats.deadLettered;
    ctx.traceState(queue + ": " + message.messageId + " dead-lettered to " + target + " (" +
                   std::string(why) + ")");
    // A new message in the dead-letter queue, never delivered from there yet.
    message.redelivered = false;
    message.deliveries = 0;
    enqueue(ctx, target, std::move(message));
    dispatch(ctx, target);
}

void Broker::forget(Context& ctx, const std::string& queue, const QueuedMessage& message) {
    if (stored(queue, message)) ctx.store().erase(messageStoreKey(queue, message.position));
}

bool Broker::stored(const std::string& queue, const QueuedMessage& message) const {
    return message.persistent && m_queues.at(queue).durable;
}

void Broker::saveMessage(Context& ctx, const std::string& queue, const QueuedMessage& message) {
    ctx.store().put(messageStoreKey(queue, message.position), Json{{"queue", queue},
                                                                   {"position", message.position},
                                                                   {"message_id", message.messageId},
                                                                   {"body", message.body},
                                                                   {"deliveries", message.deliveries}}
                                                                  .dump());
}

// --- channels ---

void Broker::closeChannel(Context& ctx, const ChannelKey& key, const std::string& reason, bool notify,
                          bool redispatch) {
    auto it = m_channels.find(key);
    if (it == m_channels.end()) return;
    MqChannel channel = std::move(it->second);
    m_channels.erase(it);
    // A reopened channel goes on from here: a late ack for an old tag must not settle a new delivery.
    m_nextTags[key] = channel.nextTag;
    const auto& [consumer, queue] = key;
    MqQueue& q = m_queues.at(queue);
    auto position = std::find(q.consumers.begin(), q.consumers.end(), consumer);
    assert(position != q.consumers.end() && "every channel is listed by its queue");
    const auto index = std::size_t(position - q.consumers.begin());
    q.consumers.erase(position);
    if (index < q.nextConsumer) --q.nextConsumer;
    if (q.nextConsumer >= q.consumers.size()) q.nextConsumer = 0;
    if (notify) ctx.send(consumer, makeBody(MqChannelClosed{queue, reason}));
    ctx.traceState("channel " + consumer + "/" + queue + " closed: " + reason + ", " +
                   std::to_string(channel.unacked.size()) + " requeued");
    // Everything the channel held goes back, in tag order, which is the order it was delivered in.
    for (auto& [tag, message] : channel.unacked) returnToQueue(ctx, queue, std::move(message));
    touch(queue);
    if (redispatch) dispatch(ctx, queue);
}

void Broker::heard(Context& ctx, const NodeId& consumer) {
    for (auto it = m_channels.lower_bound({consumer, ""});
         it != m_channels.end() && it->first.first == consumer; ++it)
        it->second.lastHeard = ctx.now();
}

void Broker::armHeartbeatCheck(Context& ctx) {
    if (m_heartbeatTimer != 0 || m_channels.empty()) return;
    const std::int64_t every = m_config.heartbeatMs > 0 ? m_config.heartbeatMs : m_config.ackTimeoutMs;
    if (every <= 0) return;
    m_heartbeatTimer = ctx.setTimer(millis(every), kTagHeartbeatCheck);
}

void Broker::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag != kTagHeartbeatCheck || id != m_heartbeatTimer) return;
    m_heartbeatTimer = 0;
    checkChannels(ctx);
    armHeartbeatCheck(ctx);
    traceTouched(ctx);
}

void Broker::checkChannels(Context& ctx) {
    const SimTime silenceMax = 3 * millis(m_config.heartbeatMs);
    const SimTime ackMax = millis(m_config.ackTimeoutMs);
    std::vector<std::pair<ChannelKey, std::string>> closing;
    for (const auto& [key, channel] : m_channels) {
        if (m_config.heartbeatMs > 0 && ctx.now() - channel.lastHeard > silenceMax) {
            ++m_stats.channelTimeouts;
            closing.emplace_back(key, "missed heartbeats (silent for more than " +
                                          std::to_string(3 * m_config.heartbeatMs) + " ms)");
            continue;
        }
        if (m_config.ackTimeoutMs <= 0) continue;
        for (const auto& [tag, message] : channel.unacked) {
            if (ctx.now() - message.deliveredAt <= ackMax) continue;
            ++m_stats.ackTimeouts;
            closing.emplace_back(key, "PRECONDITION_FAILED - delivery acknowledgement timed out (tag " +
                                          std::to_string(tag) + ", timeout " +
                                          std::to_string(m_config.ackTimeoutMs) + " ms)");
            break;
        }
    }
    // All of them first: a message one of them gave back must not go to another about to be closed.
    std::set<std::string> queues;
    for (const auto& [key, reason] : closing) {
        closeChannel(ctx, key, reason, /*notify=*/true, /*redispatch=*/false);
        queues.insert(key.second);
    }
    for (const std::string& queue : queues) dispatch(ctx, queue);
}

void Broker::traceTouched(Context& ctx) {
    for (const std::string& queue : m_touched) ctx.traceState(queueStateText(queue));
    m_touched.clear();
}

}  // namespace distlab::mq
