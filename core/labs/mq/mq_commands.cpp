#include "core/labs/mq/mq_commands.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace distlab {
namespace {

constexpr const char* kConsumerId = QT_TRANSLATE_NOOP("Core", "consumer id");
constexpr const char* kQueueName = QT_TRANSLATE_NOOP("Core", "queue name");

// 1..kMqQueueNameBytesMax characters of [A-Za-z0-9._:-], as the broker's mq::validateMqName.
bool isValidMqName(std::string_view name) {
    return !name.empty() && name.size() <= kMqQueueNameBytesMax &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-' || c == ':';
           });
}

enum class MqNameKind { Queue, Exchange };

std::string mqName(const ArgumentReader& args, std::string_view name, MqNameKind kind) {
    if (!isValidMqName(name))
        args.invalid(kind == MqNameKind::Queue
                         ? makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid queue name"),
                                    excerptForMessage(name))
                         : makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid exchange name"),
                                    excerptForMessage(name)),
                     makeText(QT_TRANSLATE_NOOP("Core",
                                                "Queue and exchange names are 1 to %1 characters: letters, "
                                                "digits, '.', '_', '-' and ':'."),
                              kMqQueueNameBytesMax));
    return std::string(name);
}

// "-1" is a (negative) number, "--no-requeue" and "-x" are options.
bool looksLikeOption(std::string_view token) {
    return token.starts_with("-") && (token.size() < 2 || token[1] < '0' || token[1] > '9');
}

std::int64_t deliveryTag(const ArgumentReader& args, std::string_view token) {
    return args.integer(token, 0, kMqDeliveryTagMax,
                        QT_TRANSLATE_NOOP("Core", "a delivery tag (a whole number; 0: the oldest)"));
}

// queue declare NAME [--durable]
void parseQueueDeclare(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, kQueueName), MqNameKind::Queue);
    constexpr std::array kOptions = {OptionSpec{"--durable"}};
    args.options(1, kOptions,
                [&](std::string_view, std::string_view) { command.flags |= kFlagDurable; });
}

// queue bind EXCHANGE QUEUE
void parseQueueBind(const ArgumentReader& args, Command& command) {
    command.key =
        mqName(args, args.need(0, QT_TRANSLATE_NOOP("Core", "exchange name")), MqNameKind::Exchange);
    command.value = mqName(args, args.need(1, kQueueName), MqNameKind::Queue);
    args.noMoreThan(2);
    if (command.key == command.value)
        args.invalid(makeText(
            QT_TRANSLATE_NOOP("Core", "the exchange and the queue are both '%1'; bind a different queue"),
            excerptForMessage(command.key)));
}

// publish QUEUE [--count N] [--persistent] [--poison] [--interval MS], options in any order.
void parsePublish(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, kQueueName), MqNameKind::Queue);
    command.count = 1;
    command.duration = -1;
    constexpr std::array kOptions = {OptionSpec{"--count", true}, OptionSpec{"--persistent"},
                                     OptionSpec{"--poison"}, OptionSpec{"--interval", true}};
    args.options(1, kOptions, [&](std::string_view option, std::string_view value) {
        if (option == "--count") {
            command.count =
                args.integer(value, 1, kMqPublishCountMax, QT_TRANSLATE_NOOP("Core", "a number of messages"));
        } else if (option == "--persistent") {
            command.flags |= kFlagPersistent;
        } else if (option == "--poison") {
            command.flags |= kFlagPoison;
        } else {
            command.duration = millis(args.integer(value, 0, kMqIntervalMsMax, arg::kMillis, " ms"));
        }
    });
}

// consume QUEUE CONSUMER [--prefetch P] [--idempotent] [--process MS] [--fail-rate F] [--manual]
void parseConsume(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, kQueueName), MqNameKind::Queue);
    command.nodes = {args.nodeId(args.need(1, kConsumerId))};
    command.count = -1;
    command.duration = -1;
    constexpr std::array kOptions = {OptionSpec{"--prefetch", true}, OptionSpec{"--idempotent"},
                                     OptionSpec{"--process", true}, OptionSpec{"--fail-rate", true},
                                     OptionSpec{"--manual"}};
    args.options(2, kOptions, [&](std::string_view option, std::string_view value) {
        if (option == "--prefetch") {
            command.count = args.integer(value, 0, kMqPrefetchCountMax,
                                         QT_TRANSLATE_NOOP("Core", "a number of messages (0: unlimited)"));
        } else if (option == "--idempotent") {
            command.flags |= kFlagIdempotent;
        } else if (option == "--process") {
            command.duration = millis(args.integer(value, 0, kMqProcessMsMax, arg::kMillis, " ms"));
        } else if (option == "--fail-rate") {
            command.real = args.probability(value);
        } else {
            command.flags |= kFlagManual;
        }
    });
}

// ack CONSUMER [TAG] and nack CONSUMER [TAG] ...: reads the consumer and the tag, returns the next argument.
std::size_t parseConsumerAndTag(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, kConsumerId))};
    if (args.size() > 1 && !looksLikeOption(args.at(1))) {
        command.count = deliveryTag(args, args.at(1));
        return 2;
    }
    return 1;
}

void parseAck(const ArgumentReader& args, Command& command) {
    args.noMoreThan(parseConsumerAndTag(args, command));
}

// nack CONSUMER [TAG] [--no-requeue]
void parseNack(const ArgumentReader& args, Command& command) {
    const std::size_t next = parseConsumerAndTag(args, command);
    constexpr std::array kOptions = {OptionSpec{"--no-requeue"}};
    args.options(next, kOptions, [&](std::string_view, std::string_view) { command.flags |= kFlagNoRequeue; });
}

// mq mode amqp|brokerless [push|pubsub]
void parseMqMode(const ArgumentReader& args, Command& command) {
    command.key = args.oneOf(args.need(0, QT_TRANSLATE_NOOP("Core", "mode (amqp or brokerless)")),
                             {"amqp", "brokerless"});
    command.value = args.size() > 1 ? args.oneOf(args.at(1), {"push", "pubsub"}) : "push";
    args.noMoreThan(2);
}

void formatQueueDeclare(const Command& command, CommandWriter& out) {
    out.argument(command.key);
    if (command.flags & kFlagDurable) out.argument("--durable");
}

void formatQueueBind(const Command& command, CommandWriter& out) {
    out.argument(command.key);
    out.argument(command.value);
}

void formatPublish(const Command& command, CommandWriter& out) {
    out.argument(command.key);
    if (command.count != 1) out.argument("--count " + std::to_string(command.count));
    if (command.flags & kFlagPersistent) out.argument("--persistent");
    if (command.flags & kFlagPoison) out.argument("--poison");
    if (command.duration >= 0) out.argument("--interval " + std::to_string(command.duration / kMicrosPerMilli));
}

void formatConsume(const Command& command, CommandWriter& out) {
    out.argument(command.key);
    out.argument(nodeAt(command, 0));
    if (command.count >= 0) out.argument("--prefetch " + std::to_string(command.count));
    if (command.flags & kFlagIdempotent) out.argument("--idempotent");
    if (command.duration >= 0) out.argument("--process " + std::to_string(command.duration / kMicrosPerMilli));
    if (command.real != 0) out.argument("--fail-rate " + formatReal(command.real));
    if (command.flags & kFlagManual) out.argument("--manual");
}

void formatAck(const Command& command, CommandWriter& out) {
    out.argument(nodeAt(command, 0));
    if (command.count != 0) out.argument(std::to_string(command.count));
}

void formatNack(const Command& command, CommandWriter& out) {
    formatAck(command, out);
    if (command.flags & kFlagNoRequeue) out.argument("--no-requeue");
}

void formatMqMode(const Command& command, CommandWriter& out) {
    out.argument(command.key);
    // "push" is the default pattern; brokerless commands name theirs all the same, for the reader.
    if (command.key == "brokerless" || command.value != "push") out.argument(command.value);
}

constexpr std::array<std::string_view, 3> kModeWords = {"amqp", "brokerless", "brokerless pubsub"};

}  // namespace

namespace mq_commands {

constinit const CommandSpec kQueueDeclare{
    .name = "queue declare",
    .syntax = "queue declare NAME [--durable]",
    .summary = QT_TRANSLATE_NOOP(
            "Core",
            "declare a queue on the broker; --durable: it and its persistent messages survive a restart"),
    .parse = parseQueueDeclare,
    .format = formatQueueDeclare,
    .lab = "mq",
};

constinit const CommandSpec kQueueBind{
    .name = "queue bind",
    .syntax = "queue bind EXCHANGE QUEUE",
    .summary = QT_TRANSLATE_NOOP("Core", "copy every message published to EXCHANGE into QUEUE (fanout)"),
    .parse = parseQueueBind,
    .format = formatQueueBind,
    .lab = "mq",
};

constinit const CommandSpec kPublish{
    .name = "publish",
    .syntax = "publish QUEUE [--count N] [--persistent] [--poison] [--interval MS]",
    .summary = QT_TRANSLATE_NOOP(
                    "Core", "prod publishes N messages m1, m2, ... to QUEUE (or exchange), one every MS"),
    .parse = parsePublish,
    .format = formatPublish,
    .lab = "mq",
};

constinit const CommandSpec kConsume{
    .name = "consume",
    .syntax = "consume QUEUE CONSUMER [--prefetch P] [--idempotent] [--process MS] [--fail-rate F] [--manual]",
    .summary = QT_TRANSLATE_NOOP("Core",
                          "CONSUMER takes messages from QUEUE, at most P unacknowledged; --idempotent: "
                          "effects deduplicated "
                          "by message id"),
    .parse = parseConsume,
    .format = formatConsume,
    .lab = "mq",
};

constinit const CommandSpec kAck{
    .name = "ack",
    .syntax = "ack CONSUMER [TAG]",
    .summary = QT_TRANSLATE_NOOP("Core", "a --manual consumer processes and acknowledges a delivery it holds"),
    .parse = parseAck,
    .format = formatAck,
    .lab = "mq",
};

constinit const CommandSpec kNack{
    .name = "nack",
    .syntax = "nack CONSUMER [TAG] [--no-requeue]",
    .summary = QT_TRANSLATE_NOOP(
            "Core",
            "a --manual consumer rejects a delivery: back to the queue, or to the dead-letter queue"),
    .parse = parseNack,
    .format = formatNack,
    .lab = "mq",
};

constinit const CommandSpec kMqMode{
    .name = "mq mode",
    .syntax = "mq mode amqp|brokerless [push|pubsub]",
    .summary = QT_TRANSLATE_NOOP(
                    "Core",
                    "switch producers and consumers between the broker and brokerless push / pub-sub (no "
                    "acknowledgements)"),
    .parse = parseMqMode,
    .format = formatMqMode,
    .lab = "mq",
    .completions = kModeWords,
};

}  // namespace mq_commands

std::span<const CommandSpec* const> mqCommands() {
    static constexpr std::array<const CommandSpec*, 7> kSpecs = {
        &mq_commands::kQueueDeclare, &mq_commands::kQueueBind, &mq_commands::kPublish, &mq_commands::kConsume,
        &mq_commands::kAck,          &mq_commands::kNack,      &mq_commands::kMqMode};
    return kSpecs;
}

}  // namespace distlab
