#include "core/labs/mq/mq_section.h"

#include "core/labs/mq/mq_commands.h"

namespace distlab {

MqSpec readMqSection(const Json& value, const SectionReader& reader, const std::string& path) {
    reader.object(value, path,
                  "an object with mode, pattern, prefetch, process_ms, publish_interval_ms, "
                  "delivery_limit, heartbeat_ms, ack_timeout_ms, confirm_timeout_ms, inbox");
    reader.checkKeys(value, path,
                     {"mode", "pattern", "prefetch", "process_ms", "publish_interval_ms", "delivery_limit",
                      "heartbeat_ms", "ack_timeout_ms", "confirm_timeout_ms", "inbox"});
    MqSpec spec;
    if (value.contains("mode")) spec.mode = reader.choice(value, path, "mode", {"amqp", "brokerless"});
    if (value.contains("pattern")) spec.pattern = reader.choice(value, path, "pattern", {"push", "pubsub"});
    if (value.contains("prefetch")) spec.prefetch = int(reader.number(value, path, "prefetch", 0, kMqPrefetchCountMax));
    if (value.contains("process_ms"))
        spec.processTime = reader.milliseconds(value, path, "process_ms", 0, kMqProcessMsMax);
    if (value.contains("publish_interval_ms"))
        spec.publishInterval = reader.milliseconds(value, path, "publish_interval_ms", 0, kMqIntervalMsMax);
    if (value.contains("delivery_limit"))
        spec.deliveryLimit = int(reader.number(value, path, "delivery_limit", 0, kMqDeliveryLimitMax));
    if (value.contains("heartbeat_ms"))
        spec.heartbeat = reader.milliseconds(value, path, "heartbeat_ms", 0, kMqTimeoutMsMax);
    if (value.contains("ack_timeout_ms"))
        spec.ackTimeout = reader.milliseconds(value, path, "ack_timeout_ms", 0, kMqTimeoutMsMax);
    if (value.contains("confirm_timeout_ms"))
        spec.confirmTimeout = reader.milliseconds(value, path, "confirm_timeout_ms", 1, kMqTimeoutMsMax);
    if (value.contains("inbox")) spec.inbox = int(reader.number(value, path, "inbox", 1, kMqInboxMax));
    return spec;
}

Json mqSectionToJson(const MqSpec& spec) {
    return Json{{"mode", spec.mode},
                {"pattern", spec.pattern},
                {"prefetch", spec.prefetch},
                {"process_ms", wholeMillis(spec.processTime)},
                {"publish_interval_ms", wholeMillis(spec.publishInterval)},
                {"delivery_limit", spec.deliveryLimit},
                {"heartbeat_ms", wholeMillis(spec.heartbeat)},
                {"ack_timeout_ms", wholeMillis(spec.ackTimeout)},
                {"confirm_timeout_ms", wholeMillis(spec.confirmTimeout)},
                {"inbox", spec.inbox}};
}

}  // namespace distlab
