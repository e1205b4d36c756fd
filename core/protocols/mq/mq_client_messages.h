#pragma once
// Messages of the queue lab around the broker: the session's control node drives producers and consumers,
// consumers apply effects at the ledger, and in brokerless mode a producer pushes straight to consumers
// (ZeroMQ's PUSH and PUB sockets: at most once, no acknowledgements).
//
//   ctl      -> producer  mq_produce {queue, count, persistent, poison, interval_ms}
//                                                          ->  mq_produce_ok {queue, first, last}
//   ctl      -> producer  mq_mode {mode, pattern, subscribers}  ->  mq_mode_ok {mode}
//   ctl      -> consumer  mq_mode {mode}                        ->  mq_mode_ok {mode}
//   ctl      -> consumer  mq_subscribe {queue, prefetch, idempotent, process_ms, fail_rate, manual}
//                                                          ->  mq_subscribe_ok {queue}
//   ctl      -> consumer  mq_settle {action, delivery_tag, requeue}
//                                                          ->  mq_settle_ok {message_id, action} or an error
//   consumer -> ledger    mq_apply {message_id, dedupe}        ->  mq_apply_ok {message_id, applied}
//   producer -> consumer  mq_push {queue, message_id, body}                              (no reply)
//
// Field names are the wire names (snake_case), as in mq_messages.h. A bad request gets error 12
// (malformed-request) naming the field.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"
#include "core/base/result.h"
#include "core/protocols/mq/mq_messages.h"

namespace distlab::mq {

constexpr std::int64_t kMqProduceCountMax = 10'000;  // messages per mq_produce
constexpr std::int64_t kMqIntervalMsMax = 60'000;    // between two messages of one produce
constexpr std::int64_t kMqProcessMsMax = 60'000;     // a consumer's work per message
constexpr std::size_t kMqConsumerIdBytesMax = 64;
constexpr std::size_t kMqSubscribedQueuesMax = 64;     // queues in one mq_mode's subscribers
constexpr std::size_t kMqSubscribersPerQueueMax = 64;  // consumers listed for one queue

// The word values of the control messages.
constexpr std::string_view kMqModeAmqp = "amqp";
constexpr std::string_view kMqModeBrokerless = "brokerless";
constexpr std::string_view kMqPatternPush = "push";
constexpr std::string_view kMqPatternPubSub = "pubsub";
constexpr std::string_view kMqSettleAck = "ack";
constexpr std::string_view kMqSettleNack = "nack";
constexpr std::string_view kMqSettleReject = "reject";

struct MqProduce {
    static constexpr std::string_view kType = "mq_produce";
    std::string queue;  // an exchange or a queue (amqp), or a name with subscribers (brokerless)
    std::int64_t count = 1;
    bool persistent = false;
    bool poison = false;           // bodies "poison": every consumer's processing fails on them
    std::int64_t interval_ms = 0;  // 0: all at once
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqProduce, queue, count, persistent, poison, interval_ms)
};

// The message ids of the produce are m<first> .. m<last>.
struct MqProduceOk {
    static constexpr std::string_view kType = "mq_produce_ok";
    std::string queue;
    std::int64_t first = 0;
    std::int64_t last = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqProduceOk, queue, first, last)
};

// For producers all fields count; a consumer reads only `mode`.
struct MqMode {
    static constexpr std::string_view kType = "mq_mode";
    std::string mode = std::string(kMqModeAmqp);        // "amqp" | "brokerless"
    std::string pattern = std::string(kMqPatternPush);  // "push" (round robin) | "pubsub" (everyone)
    std::map<std::string, std::vector<std::string>> subscribers;  // queue -> consumer ids (brokerless)
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqMode, mode, pattern, subscribers)
};

struct MqModeOk {
    static constexpr std::string_view kType = "mq_mode_ok";
    std::string mode;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqModeOk, mode)
};

struct MqSubscribe {
    static constexpr std::string_view kType = "mq_subscribe";
    std::string queue;
    std::int64_t prefetch = 1;  // 0: unlimited, as in mq_consume
    bool idempotent = false;    // asks the ledger to deduplicate by message id
    std::int64_t process_ms = 100;
    double fail_rate = 0.0;  // chance that processing a message fails (it is then nacked)
    bool manual = false;     // hold deliveries until mq_settle
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqSubscribe, queue, prefetch, idempotent, process_ms, fail_rate, manual)
};

struct MqSubscribeOk {
    static constexpr std::string_view kType = "mq_subscribe_ok";
    std::string queue;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqSubscribeOk, queue)
};

// A manual consumer's decision about one held delivery; delivery_tag 0: the oldest one.
struct MqSettle {
    static constexpr std::string_view kType = "mq_settle";
    std::string action = std::string(kMqSettleAck);  // "ack" | "nack" | "reject"
    std::int64_t delivery_tag = 0;
    bool requeue = true;  // nack and reject only
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqSettle, action, delivery_tag, requeue)
};

struct MqSettleOk {
    static constexpr std::string_view kType = "mq_settle_ok";
    std::string message_id;
    std::string action;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqSettleOk, message_id, action)
};

// dedupe: skip the effect when the ledger has already processed this id (the inbox pattern).
// scope: what one delivery of the message is a copy for, so that copies are told apart: the queue it came
// from (a fanout exchange copies a message into several queues), or for brokerless pub-sub the topic and
// the subscriber ("orders@w2"). The ledger deduplicates and counts per (scope, message_id). Optional.
constexpr std::size_t kMqScopeBytesMax = 160;
struct MqApply {
    static constexpr std::string_view kType = "mq_apply";
    std::string message_id;
    bool dedupe = false;
    std::string scope;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqApply, message_id, dedupe, scope)
};

// applied false: skipped, the id had been processed before.
struct MqApplyOk {
    static constexpr std::string_view kType = "mq_apply_ok";
    std::string message_id;
    bool applied = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqApplyOk, message_id, applied)
};

struct MqPush {
    static constexpr std::string_view kType = "mq_push";
    std::string queue;
    std::string message_id;
    std::string body;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MqPush, queue, message_id, body)
};

// Strict readers: the body's fields with their exact JSON types and bounds, or an error naming the field
// ("count: expected an integer from 1 to 10000", "subscribers.orders[1]: ..."). Optional fields and their
// defaults: mq_produce persistent (false), poison (false), interval_ms (0); mq_mode pattern ("push"),
// subscribers ({}); mq_subscribe prefetch (1), idempotent (false), process_ms (100), fail_rate (0),
// manual (false); mq_settle delivery_tag (0), requeue (true); mq_apply dedupe (false). Extra fields are
// ignored.
Result<MqProduce> parseMqProduce(const Body& body);
Result<MqProduceOk> parseMqProduceOk(const Body& body);
Result<MqMode> parseMqMode(const Body& body);
Result<MqModeOk> parseMqModeOk(const Body& body);
Result<MqSubscribe> parseMqSubscribe(const Body& body);
Result<MqSubscribeOk> parseMqSubscribeOk(const Body& body);
Result<MqSettle> parseMqSettle(const Body& body);
Result<MqSettleOk> parseMqSettleOk(const Body& body);
Result<MqApply> parseMqApply(const Body& body);
Result<MqApplyOk> parseMqApplyOk(const Body& body);
Result<MqPush> parseMqPush(const Body& body);

// "m17": the id of a producer's message number 17.
std::string mqMessageId(std::int64_t number);
// The body a consumer's processing always fails on.
constexpr std::string_view kMqPoisonBody = "poison";

// One sample of every message type, in a fixed order, for round-trip tests.
std::vector<Body> mqClientSampleMessages();
std::vector<std::string_view> mqClientMessageTypes();

}  // namespace distlab::mq
