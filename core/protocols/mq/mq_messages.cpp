// Messages of the AMQP 0-9-1-style broker: strict readers that name the offending field, so a malformed
// request is answered with error 12 and a sentence a student can act on.
#include "core/protocols/mq/mq_messages.h"

#include <optional>

#include "core/protocols/mq/mq_field_reader.h"

namespace distlab::mq {

namespace {

using detail::expectType;
using detail::FieldReader;
using detail::finish;

}  // namespace

std::string validateMqName(std::string_view name) {
    if (name.empty() || name.size() > kMqNameBytesMax)
        return "expected a name of 1 to " + std::to_string(kMqNameBytesMax) + " bytes, got " +
               std::to_string(name.size());
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '.' || c == '_' || c == '-' || c == ':';
        if (!ok) return "a name may hold only letters, digits and . _ - :";
    }
    return {};
}

std::string mqDeadLetterQueue(std::string_view queue) {
    return std::string(queue) + std::string(kMqDeadLetterSuffix);
}

Result<MqDeclare> parseMqDeclare(const Body& body) {
    if (Status type = expectType(body, MqDeclare::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqDeclare declare;
    declare.queue = reader.name("queue");
    declare.durable = reader.flag("durable", false);
    return finish(reader, std::move(declare));
}

Result<MqBind> parseMqBind(const Body& body) {
    if (Status type = expectType(body, MqBind::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqBind bind;
    bind.exchange = reader.name("exchange");
    bind.queue = reader.name("queue");
    return finish(reader, std::move(bind));
}

Result<MqPublish> parseMqPublish(const Body& body) {
    if (Status type = expectType(body, MqPublish::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqPublish publish;
    publish.exchange_or_queue = reader.name("exchange_or_queue");
    publish.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    publish.body = reader.text("body", kFrameBytesMax, /*nonEmpty=*/false);
    publish.persistent = reader.flag("persistent", false);
    return finish(reader, std::move(publish));
}

Result<MqConsume> parseMqConsume(const Body& body) {
    if (Status type = expectType(body, MqConsume::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqConsume consume;
    consume.queue = reader.name("queue");
    consume.prefetch = reader.integer("prefetch", 0, kMqPrefetchMax, 0);
    return finish(reader, std::move(consume));
}

Result<MqAck> parseMqAck(const Body& body) {
    if (Status type = expectType(body, MqAck::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqAck ack;
    ack.queue = reader.name("queue");
    ack.delivery_tag = reader.integer("delivery_tag", 0, kMqDeliveryTagMax);
    ack.multiple = reader.flag("multiple", false);
    return finish(reader, std::move(ack));
}

Result<MqNack> parseMqNack(const Body& body) {
    if (Status type = expectType(body, MqNack::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqNack nack;
    nack.queue = reader.name("queue");
    nack.delivery_tag = reader.integer("delivery_tag", 0, kMqDeliveryTagMax);
    nack.multiple = reader.flag("multiple", false);
    nack.requeue = reader.flag("requeue", true);
    return finish(reader, std::move(nack));
}

Result<MqReject> parseMqReject(const Body& body) {
    if (Status type = expectType(body, MqReject::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqReject reject;
    reject.queue = reader.name("queue");
    reject.delivery_tag = reader.integer("delivery_tag", 0, kMqDeliveryTagMax);
    reject.requeue = reader.flag("requeue", true);
    return finish(reader, std::move(reject));
}

Result<MqCancel> parseMqCancel(const Body& body) {
    if (Status type = expectType(body, MqCancel::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqCancel cancel;
    cancel.queue = reader.name("queue");
    return finish(reader, std::move(cancel));
}

Result<MqDeliver> parseMqDeliver(const Body& body) {
    if (Status type = expectType(body, MqDeliver::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqDeliver deliver;
    deliver.queue = reader.name("queue");
    deliver.delivery_tag = reader.integer("delivery_tag", 1, kMqDeliveryTagMax);
    deliver.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    deliver.body = reader.text("body", kFrameBytesMax, /*nonEmpty=*/false);
    deliver.redelivered = reader.flag("redelivered", false);
    return finish(reader, std::move(deliver));
}

Result<MqConfirm> parseMqConfirm(const Body& body) {
    if (Status type = expectType(body, MqConfirm::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqConfirm confirm;
    confirm.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    return finish(reader, std::move(confirm));
}

Result<MqChannelClosed> parseMqChannelClosed(const Body& body) {
    if (Status type = expectType(body, MqChannelClosed::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqChannelClosed closed;
    closed.queue = reader.name("queue");
    closed.reason = reader.text("reason", kMqReasonBytesMax, /*nonEmpty=*/true);
    return finish(reader, std::move(closed));
}

std::vector<Body> mqSampleMessages() {
    return {
        makeBody(MqDeclare{"orders", true}),
        makeBody(MqDeclareOk{"orders", 3, 1}),
        makeBody(MqBind{"events", "orders"}),
        makeBody(MqBindOk{"events", "orders"}),
        makeBody(MqPublish{"orders", "m1", "{\"amount\":3}", true}),
        makeBody(MqConfirm{"m1"}),
        makeBody(MqConsume{"orders", 2}),
        makeBody(MqConsumeOk{"orders", 2}),
        makeBody(MqDeliver{"orders", 1, "m1", "{\"amount\":3}", false}),
        makeBody(MqAck{"orders", 1, false}),
        makeBody(MqNack{"orders", 2, true, true}),
        makeBody(MqReject{"orders", 3, false}),
        makeBody(MqChannelClosed{"orders", "PRECONDITION_FAILED - unknown delivery tag 9"}),
        makeBody(MqCancel{"orders"}),
        makeBody(MqCancelOk{"orders"}),
        makeBody(MqHeartbeat{}),
    };
}

std::vector<std::string_view> mqMessageTypes() {
    return {MqDeclare::kType,       MqDeclareOk::kType, MqBind::kType,     MqBindOk::kType,
            MqPublish::kType,       MqConfirm::kType,   MqConsume::kType,  MqConsumeOk::kType,
            MqDeliver::kType,       MqAck::kType,       MqNack::kType,     MqReject::kType,
            MqChannelClosed::kType, MqCancel::kType,    MqCancelOk::kType, MqHeartbeat::kType};
}

}  // namespace distlab::mq
