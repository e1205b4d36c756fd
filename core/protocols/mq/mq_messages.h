#pragma once
// Messages of the AMQP 0-9-1-style broker (the AMQP 0-9-1 specification, and RabbitMQ's "Consumer
// Acknowledgements and Publisher Confirms" guide for what acks, nacks, rejects and confirms mean):
//
//   client   -> broker    mq_declare {queue, durable}                ->  mq_declare_ok {queue, messages,
//                                                                                       consumers}
//   client   -> broker    mq_bind {exchange, queue}                  ->  mq_bind_ok {exchange, queue}
//   producer -> broker    mq_publish {exchange_or_queue, message_id, body, persistent}
//                                                                    ->  mq_confirm {message_id}
//   consumer -> broker    mq_consume {queue, prefetch}               ->  mq_consume_ok {queue, prefetch}
//   broker   -> consumer  mq_deliver {queue, delivery_tag, message_id, body, redelivered}
//   consumer -> broker    mq_ack {queue, delivery_tag, multiple}                     (no reply, as AMQP)
//   consumer -> broker    mq_nack {queue, delivery_tag, multiple, requeue}           (no reply)
//   consumer -> broker    mq_reject {queue, delivery_tag, requeue}                   (no reply)
//   broker   -> consumer  mq_channel_closed {queue, reason}    a channel error, or missed heartbeats
//   consumer -> broker    mq_cancel {queue}                          ->  mq_cancel_ok {queue}
//   consumer -> broker    mq_heartbeat {}                                            (no reply)
//
// The producer's id for a message is `message_id` (AMQP's message-id property): `msg_id` is the envelope's
// own field (Maelstrom), so it cannot be a body field. Field names are the wire names (snake_case), hence
// the snake_case members. A bad request gets error 12 (malformed-request) naming the field.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"
#include "core/base/result.h"

namespace distlab::mq {

// Limits, checked on every request (the broker's configurable capacities are in broker.h).
constexpr std::size_t kMqNameBytesMax = 64;       // a queue or exchange name
constexpr std::size_t kMqMessageIdBytesMax = 64;  // a producer's message id
constexpr std::size_t kMqReasonBytesMax = 256;
constexpr std::int64_t kMqPrefetchMax = 65535;         // AMQP's prefetch-count is a short
constexpr std::int64_t kMqDeliveryTagMax = 1LL << 53;  // exact in a JSON double
constexpr std::string_view kMqDeadLetterSuffix = ".dlq";

struct MqDeclare {
    static constexpr std::string_view kType = "mq_declare";
    std::string queue;
    bool durable = false;  // the definition (and its persistent messages) survive a broker restart
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqDeclare, queue, durable)
};

struct MqDeclareOk {
    static constexpr std::string_view kType = "mq_declare_ok";
    std::string queue;
    std::int64_t messages = 0;   // ready messages
    std::int64_t consumers = 0;  // open channels on the queue
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqDeclareOk, queue, messages, consumers)
};

// A fanout exchange: a message published to `exchange` is copied to every bound queue.
struct MqBind {
    static constexpr std::string_view kType = "mq_bind";
    std::string exchange;
    std::string queue;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqBind, exchange, queue)
};

struct MqBindOk {
    static constexpr std::string_view kType = "mq_bind_ok";
    std::string exchange;
    std::string queue;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqBindOk, exchange, queue)
};

struct MqPublish {
    static constexpr std::string_view kType = "mq_publish";
    std::string exchange_or_queue;  // an exchange with bindings, or a queue (the default exchange)
    std::string message_id;         // chosen by the producer; the broker does not deduplicate
    std::string body;
    bool persistent = false;  // written to disk when the queue is durable (delivery mode 2)
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqPublish, exchange_or_queue, message_id, body, persistent)
};

// Publisher confirm: the message is in every queue it routes to, and on disk where it is persistent and
// the queue durable.
struct MqConfirm {
    static constexpr std::string_view kType = "mq_confirm";
    std::string message_id;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqConfirm, message_id)
};

// Opens (or, again, re-sizes) the sender's channel on the queue.
struct MqConsume {
    static constexpr std::string_view kType = "mq_consume";
    std::string queue;
    std::int64_t prefetch = 0;  // most unacknowledged deliveries at once; 0: unlimited
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqConsume, queue, prefetch)
};

struct MqConsumeOk {
    static constexpr std::string_view kType = "mq_consume_ok";
    std::string queue;
    std::int64_t prefetch = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqConsumeOk, queue, prefetch)
};

struct MqDeliver {
    static constexpr std::string_view kType = "mq_deliver";
    std::string queue;
    std::int64_t delivery_tag = 0;  // per channel, from 1, strictly increasing
    std::string message_id;
    std::string body;
    bool redelivered = false;  // the message may have been delivered before
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqDeliver, queue, delivery_tag, message_id, body, redelivered)
};

// multiple: every unacknowledged tag up to delivery_tag; delivery_tag 0 with multiple: all of them.
struct MqAck {
    static constexpr std::string_view kType = "mq_ack";
    std::string queue;
    std::int64_t delivery_tag = 0;
    bool multiple = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqAck, queue, delivery_tag, multiple)
};

// requeue: back into the queue at its original position, redelivered; otherwise to the dead-letter queue.
struct MqNack {
    static constexpr std::string_view kType = "mq_nack";
    std::string queue;
    std::int64_t delivery_tag = 0;
    bool multiple = false;
    bool requeue = true;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqNack, queue, delivery_tag, multiple, requeue)
};

struct MqReject {
    static constexpr std::string_view kType = "mq_reject";
    std::string queue;
    std::int64_t delivery_tag = 0;
    bool requeue = true;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqReject, queue, delivery_tag, requeue)
};

// The broker closed the channel; its unacknowledged deliveries went back to the queue.
struct MqChannelClosed {
    static constexpr std::string_view kType = "mq_channel_closed";
    std::string queue;
    std::string reason;  // "PRECONDITION_FAILED - unknown delivery tag 7", "missed heartbeats"
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqChannelClosed, queue, reason)
};

struct MqCancel {
    static constexpr std::string_view kType = "mq_cancel";
    std::string queue;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqCancel, queue)
};

struct MqCancelOk {
    static constexpr std::string_view kType = "mq_cancel_ok";
    std::string queue;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqCancelOk, queue)
};

// Keeps every channel of the sending consumer alive (AMQP heartbeats are per connection).
struct MqHeartbeat {
    static constexpr std::string_view kType = "mq_heartbeat";
    friend void to_json(Json& json, const MqHeartbeat&) { json = Json::object(); }
    friend void from_json(const Json&, MqHeartbeat&) {}
};

// Strict readers: the body's fields with their exact JSON types, or an error naming the field
// ("delivery_tag: expected an integer"). Optional fields: durable, persistent, prefetch (0), multiple
// (false), requeue (true). Extra fields are ignored. The body's size is the broker's to check.
Result<MqDeclare> parseMqDeclare(const Body& body);
Result<MqBind> parseMqBind(const Body& body);
Result<MqPublish> parseMqPublish(const Body& body);
Result<MqConsume> parseMqConsume(const Body& body);
Result<MqAck> parseMqAck(const Body& body);
Result<MqNack> parseMqNack(const Body& body);
Result<MqReject> parseMqReject(const Body& body);
Result<MqCancel> parseMqCancel(const Body& body);
// Replies and broker pushes, for clients.
Result<MqDeliver> parseMqDeliver(const Body& body);
Result<MqConfirm> parseMqConfirm(const Body& body);
Result<MqChannelClosed> parseMqChannelClosed(const Body& body);

// An empty string when `name` can name a queue or an exchange: 1 to 64 bytes of letters, digits and
// . _ - : (no '/', so store keys stay unambiguous); otherwise what is wrong with it.
std::string validateMqName(std::string_view name);
// The queue's dead-letter queue: "orders" -> "orders.dlq".
std::string mqDeadLetterQueue(std::string_view queue);

// One sample of every message type, in a fixed order, for round-trip tests.
std::vector<Body> mqSampleMessages();
std::vector<std::string_view> mqMessageTypes();

}  // namespace distlab::mq
