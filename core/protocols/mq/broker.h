#pragma once
// An AMQP 0-9-1-style message broker (the AMQP 0-9-1 model: queues, the default exchange, fanout
// exchanges; RabbitMQ's documented semantics for publisher confirms, consumer prefetch, delivery tags,
// ack / nack / reject, requeueing, the redelivered flag, dead-lettering and durability).
//
// One message, in one queue:
//
//   publish --> READY --deliver (channel below its prefetch)--> UNACKED(channel, tag)
//   UNACKED --ack--> gone (and off the disk)
//   UNACKED --nack/reject requeue, cancel, channel error, missed heartbeats--> READY at its original
//            position, redelivered = true; or DEAD-LETTERED once delivered more than deliveryLimit times
//   UNACKED --nack/reject without requeue--> DEAD-LETTERED: a new message in "<queue>.dlq"
//
// A channel is (consumer node, queue). Its delivery tags start at 1 and only grow; an ack for a tag the
// channel does not hold (unknown, or already settled) is a channel error: the broker answers
// mq_channel_closed, closes the channel and requeues everything it held, as RabbitMQ does.
//
// A channel also closes, with everything it held requeued, when it holds a delivery unacknowledged for
// longer than the ack timeout (RabbitMQ's consumer_timeout), and tags never repeat across restarts.
//
// Durability: a durable queue's definition, its bindings and its persistent messages are on the node's
// disk ("mq/queue/<q>", "mq/bind/<exchange>/<q>", "mq/msg/<q>/<position>") before the publisher is
// confirmed, and an acknowledged message leaves the disk at once. A restart rebuilds exactly that:
// transient queues, transient messages and channels are gone. A recovered message that had been
// delivered comes back with redelivered = true.
//
// Where it differs from RabbitMQ, and why:
// - Channels are named by (consumer, queue), not numbered per connection, so a channel's tags go on
//   across reopens and restarts where a new AMQP channel would start again at 1 (see kMqTagStorePrefix).
// - mq_cancel ends the channel (basic.cancel plus channel.close): its unacknowledged deliveries go back.
// - Every queue dead-letters into "<queue>.dlq", as if declared with a dead-letter exchange routing there,
//   and every queue has the delivery limit RabbitMQ gives quorum queues.
// - A publish that routes nowhere gets an error, as a mandatory publish gets basic.return; RabbitMQ
//   confirms and drops a non-mandatory one.
// - A channel times out after three silent heartbeat intervals, one more than AMQP's two, so that one
//   late heartbeat over a jittery simulated link does not close it.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/mq/mq_messages.h"

namespace distlab::mq {

struct BrokerConfig {
    std::size_t queuesMax = 256;               // dead-letter queues included
    std::size_t messagesPerQueueMax = 10'000;  // ready + unacknowledged
    std::size_t channelsMax = 256;
    std::size_t bindingsMax = 1024;
    std::size_t bodyBytesMax = 4096;
    // A message returned to its queue after more than this many deliveries is dead-lettered instead
    // (RabbitMQ's quorum-queue delivery-limit: a limit of N allows N + 1 deliveries); 0: no limit.
    std::int64_t deliveryLimit = 5;
    // Consumers send mq_heartbeat every heartbeatMs; a channel not heard from for more than 3 heartbeats
    // is closed and its deliveries requeued. 0: channels never time out.
    std::int64_t heartbeatMs = 1000;
    // RabbitMQ's consumer_timeout: a channel holding a delivery unacknowledged for longer than this is
    // closed with a channel error and everything it held is requeued. It also recovers a delivery or an
    // ack lost in transit, which over AMQP's TCP connection would have been a broken connection.
    // 0: never (RabbitMQ's default is 30 minutes; the queue lab sets its own).
    std::int64_t ackTimeoutMs = 0;
};

// Delivery tags never repeat on a (consumer, queue) channel, across reopens and broker restarts: the next
// tag is kept in memory when a channel closes and on the disk at every delivery ("mq/tag/<q>/<consumer>").
// Over AMQP a restart breaks the connection and a new channel starts at 1, so an ack sent to the old broker
// can never settle a delivery of the new one; here channels are named by consumer and queue, so the tags
// themselves must not repeat.
constexpr std::string_view kMqTagStorePrefix = "mq/tag/";

struct QueuedMessage {
    std::uint64_t position = 0;  // in its queue; a requeued message goes back to this place
    std::string messageId;
    std::string body;
    bool persistent = false;
    bool redelivered = false;
    std::int64_t deliveries = 0;  // how often this queue has delivered it
    SimTime deliveredAt = 0;      // its latest delivery, while it is unacknowledged
};

struct MqQueue {
    bool durable = false;
    std::map<std::uint64_t, QueuedMessage> ready;  // by position: the head is begin()
    std::vector<NodeId> consumers;                 // the channels on this queue, in the order they opened
    std::size_t nextConsumer = 0;                  // round-robin cursor into consumers
    std::uint64_t nextPosition = 1;
};

struct MqChannel {
    std::int64_t prefetch = 0;  // 0: unlimited
    std::int64_t nextTag = 1;   // set when the channel opens
    std::map<std::int64_t, QueuedMessage> unacked;  // by delivery tag
    SimTime lastHeard = 0;
};

using ChannelKey = std::pair<NodeId, std::string>;  // (consumer node, queue)

struct BrokerStats {
    std::uint64_t published = 0;  // messages confirmed (one per publish, whatever the fanout)
    std::uint64_t delivered = 0;
    std::uint64_t redelivered = 0;  // deliveries with the redelivered flag
    std::uint64_t acked = 0;
    std::uint64_t requeued = 0;
    std::uint64_t deadLettered = 0;
    std::uint64_t dropped = 0;  // dead letters with nowhere to go (limits)
    std::uint64_t channelErrors = 0;
    std::uint64_t channelTimeouts = 0;  // missed heartbeats
    std::uint64_t ackTimeouts = 0;      // deliveries unacknowledged for longer than ackTimeoutMs
};

constexpr std::string_view kMqQueueStorePrefix = "mq/queue/";
constexpr std::string_view kMqMessageStorePrefix = "mq/msg/";
constexpr std::string_view kMqBindingStorePrefix = "mq/bind/";

class Broker : public CopyableNode<Broker> {
public:
    explicit Broker(BrokerConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "queues", "channels", "published", "delivered", "redelivered", "acked", "requeued",
    // "dead-lettered", "channel errors", then one "queue" row per queue and one "channel" row per channel.
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    // Report: {"queues": {name: {"durable", "ready": [message], "consumers": [node]}},
    // "channels": [{"consumer", "queue", "prefetch", "unacked": [message with "tag"]}]}, where a message is
    // {"id", "body", "redelivered", "deliveries"}; queues, channels and messages in the broker's order.
    Json observe(SimTime now) const override;

    const BrokerConfig& config() const { return m_config; }
    const std::map<std::string, MqQueue>& queues() const { return m_queues; }
    const std::map<ChannelKey, MqChannel>& channels() const { return m_channels; }
    const std::map<std::string, std::set<std::string>>& bindings() const { return m_bindings; }
    const BrokerStats& stats() const { return m_stats; }
    // nullptr when there is none.
    const MqQueue* queue(const std::string& name) const;
    const MqChannel* channel(const NodeId& consumer, const std::string& queue) const;
    // Unacknowledged deliveries of the queue, over all its channels.
    std::size_t unackedCount(const std::string& queue) const;
    // "queue orders: 3 ready, 2 unacked": the state word traced for a queue.
    std::string queueStateText(const std::string& queue) const;

    static std::string queueStoreKey(const std::string& queue);
    static std::string messageStoreKey(const std::string& queue, std::uint64_t position);
    static std::string bindingStoreKey(const std::string& exchange, const std::string& queue);

private:
    enum class Settle { Ack, Requeue, DeadLetter };

    void onDeclare(Context& ctx, const Envelope& message);
    void onBind(Context& ctx, const Envelope& message);
    void onPublish(Context& ctx, const Envelope& message);
    void onConsume(Context& ctx, const Envelope& message);
    void onCancel(Context& ctx, const Envelope& message);
    // Ack, nack and reject: settles `tag` (or every tag up to it) on the sender's channel.
    void settle(Context& ctx, const Envelope& message, const std::string& queue, std::int64_t tag,
                bool multiple, Settle how);

    void recover(Context& ctx);
    MqQueue& createQueue(Context& ctx, const std::string& name, bool durable);
    void enqueue(Context& ctx, const std::string& queue, QueuedMessage message);
    void dispatch(Context& ctx, const std::string& queue);
    void deliver(Context& ctx, const std::string& queue, const NodeId& consumer);
    // A delivered message comes back: to its place in the queue, or to the dead-letter queue when it has
    // used up its deliveries.
    void returnToQueue(Context& ctx, const std::string& queue, QueuedMessage message);
    void deadLetter(Context& ctx, const std::string& queue, QueuedMessage message, std::string_view why);
    void forget(Context& ctx, const std::string& queue, const QueuedMessage& message);
    void closeChannel(Context& ctx, const ChannelKey& key, const std::string& reason, bool notify,
                      bool redispatch = true);
    void heard(Context& ctx, const NodeId& consumer);
    void armHeartbeatCheck(Context& ctx);
    // Closes the channels that missed their heartbeats or sat on a delivery past the ack timeout.
    void checkChannels(Context& ctx);
    static std::string tagStoreKey(const ChannelKey& key);
    void saveMessage(Context& ctx, const std::string& queue, const QueuedMessage& message);
    bool stored(const std::string& queue, const QueuedMessage& message) const;
    void touch(const std::string& queue) { m_touched.insert(queue); }
    void traceTouched(Context& ctx);

    BrokerConfig m_config;
    std::map<std::string, MqQueue> m_queues;
    std::map<ChannelKey, MqChannel> m_channels;
    // The next delivery tag of each channel that was closed or is on the disk: one per (consumer, queue).
    std::map<ChannelKey, std::int64_t> m_nextTags;
    std::map<std::string, std::set<std::string>> m_bindings;  // fanout exchange -> bound queues
    std::size_t m_bindingCount = 0;
    TimerId m_heartbeatTimer = 0;    // 0: not armed
    BrokerStats m_stats;
    std::set<std::string> m_touched;  // queues whose state word is due at the end of this event
};

}  // namespace distlab::mq
