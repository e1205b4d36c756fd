// Messages of the queue lab's producers, consumers and ledger: strict readers that name the offending
// field, so a malformed control command is answered with error 12 and a sentence a student can act on.
#include "core/protocols/mq/mq_client_messages.h"

#include <cmath>
#include <optional>
#include <set>

#include "core/protocols/mq/mq_field_reader.h"

namespace distlab::mq {

namespace {

using detail::expectType;
using detail::FieldReader;
using detail::finish;

const std::vector<std::string_view> kModes = {kMqModeAmqp, kMqModeBrokerless};
const std::vector<std::string_view> kPatterns = {kMqPatternPush, kMqPatternPubSub};
const std::vector<std::string_view> kActions = {kMqSettleAck, kMqSettleNack, kMqSettleReject};

}  // namespace

std::string mqMessageId(std::int64_t number) {
    return "m" + std::to_string(number);
}

Result<MqProduce> parseMqProduce(const Body& body) {
    if (Status type = expectType(body, MqProduce::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqProduce produce;
    produce.queue = reader.name("queue");
    produce.count = reader.integer("count", 1, kMqProduceCountMax);
    produce.persistent = reader.flag("persistent", false);
    produce.poison = reader.flag("poison", false);
    produce.interval_ms = reader.integer("interval_ms", 0, kMqIntervalMsMax, 0);
    return finish(reader, std::move(produce));
}

Result<MqProduceOk> parseMqProduceOk(const Body& body) {
    if (Status type = expectType(body, MqProduceOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqProduceOk ok;
    ok.queue = reader.name("queue");
    ok.first = reader.integer("first", 1, kMqDeliveryTagMax);
    ok.last = reader.integer("last", 1, kMqDeliveryTagMax);
    if (!reader.problem() && ok.last < ok.first) return makeError("last: expected at least first");
    return finish(reader, std::move(ok));
}

Result<MqMode> parseMqMode(const Body& body) {
    if (Status type = expectType(body, MqMode::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqMode mode;
    mode.mode = reader.word("mode", kModes);
    mode.pattern = reader.word("pattern", kPatterns, kMqPatternPush);
    mode.subscribers = reader.subscribers("subscribers", kMqSubscribedQueuesMax, kMqSubscribersPerQueueMax,
                                          kMqConsumerIdBytesMax);
    return finish(reader, std::move(mode));
}

Result<MqModeOk> parseMqModeOk(const Body& body) {
    if (Status type = expectType(body, MqModeOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqModeOk ok;
    ok.mode = reader.word("mode", kModes);
    return finish(reader, std::move(ok));
}

Result<MqSubscribe> parseMqSubscribe(const Body& body) {
    if (Status type = expectType(body, MqSubscribe::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqSubscribe subscribe;
    subscribe.queue = reader.name("queue");
    subscribe.prefetch = reader.integer("prefetch", 0, kMqPrefetchMax, 1);
    subscribe.idempotent = reader.flag("idempotent", false);
    subscribe.process_ms = reader.integer("process_ms", 0, kMqProcessMsMax, 100);
    subscribe.fail_rate = reader.probability("fail_rate", 0.0);
    subscribe.manual = reader.flag("manual", false);
    return finish(reader, std::move(subscribe));
}

Result<MqSubscribeOk> parseMqSubscribeOk(const Body& body) {
    if (Status type = expectType(body, MqSubscribeOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqSubscribeOk ok;
    ok.queue = reader.name("queue");
    return finish(reader, std::move(ok));
}

Result<MqSettle> parseMqSettle(const Body& body) {
    if (Status type = expectType(body, MqSettle::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqSettle settle;
    settle.action = reader.word("action", kActions);
    settle.delivery_tag = reader.integer("delivery_tag", 0, kMqDeliveryTagMax, 0);
    settle.requeue = reader.flag("requeue", true);
    return finish(reader, std::move(settle));
}

Result<MqSettleOk> parseMqSettleOk(const Body& body) {
    if (Status type = expectType(body, MqSettleOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqSettleOk ok;
    ok.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    ok.action = reader.word("action", kActions);
    return finish(reader, std::move(ok));
}

Result<MqApply> parseMqApply(const Body& body) {
    if (Status type = expectType(body, MqApply::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqApply apply;
    apply.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    apply.dedupe = reader.flag("dedupe", false);
    if (body.fields.contains("scope"))
        apply.scope = reader.text("scope", kMqScopeBytesMax, /*nonEmpty=*/false);
    return finish(reader, std::move(apply));
}

Result<MqApplyOk> parseMqApplyOk(const Body& body) {
    if (Status type = expectType(body, MqApplyOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqApplyOk ok;
    ok.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    // Required: a reply that does not say whether the effect happened is no answer.
    ok.applied = reader.flag("applied", std::nullopt);
    return finish(reader, std::move(ok));
}

Result<MqPush> parseMqPush(const Body& body) {
    if (Status type = expectType(body, MqPush::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqPush push;
    push.queue = reader.name("queue");
    push.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    push.body = reader.text("body", kFrameBytesMax, /*nonEmpty=*/false);
    return finish(reader, std::move(push));
}

std::vector<Body> mqClientSampleMessages() {
    return {
        makeBody(MqProduce{"orders", 5, true, false, 20}),
        makeBody(MqProduceOk{"orders", 1, 5}),
        makeBody(MqMode{"brokerless", "pubsub", {{"orders", {"w1", "w2"}}}}),
        makeBody(MqModeOk{"brokerless"}),
        makeBody(MqSubscribe{"orders", 2, true, 50, 0.25, false}),
        makeBody(MqSubscribeOk{"orders"}),
        makeBody(MqSettle{"nack", 3, false}),
        makeBody(MqSettleOk{"m3", "nack"}),
        makeBody(MqApply{"m3", true, "orders"}),
        makeBody(MqApplyOk{"m3", true}),
        makeBody(MqPush{"orders", "m4", "m4"}),
    };
}

std::vector<std::string_view> mqClientMessageTypes() {
    return {MqProduce::kType,   MqProduceOk::kType,   MqMode::kType,   MqModeOk::kType,
            MqSubscribe::kType, MqSubscribeOk::kType, MqSettle::kType, MqSettleOk::kType,
            MqApply::kType,     MqApplyOk::kType,     MqPush::kType};
}

}  // namespace distlab::mq
