#pragma once
// The queue lab's console commands: queue declare|bind, publish, consume, ack, nack, mq mode. The MqLab
// executes them.
#include <cstddef>
#include <cstdint>

#include "core/console/command.h"

namespace distlab {

// The queue lab's limits. Queue and exchange names are 1..kMqQueueNameBytesMax characters of letters, digits,
// '.', '_', '-' and ':'; the broker checks the same (mq::validateMqName). Scenario files share the prefetch,
// process and interval limits.
constexpr std::size_t kMqQueueNameBytesMax = 64;
constexpr std::int64_t kMqPublishCountMax = 10'000;
constexpr std::int64_t kMqIntervalMsMax = 60'000;
constexpr std::int64_t kMqProcessMsMax = 60'000;
constexpr std::int64_t kMqPrefetchCountMax = 65'535;
// 2^53: delivery tags stay exact when a trace or a report carries them as JSON numbers.
constexpr std::int64_t kMqDeliveryTagMax = std::int64_t{1} << 53;

// Command::flags: the switches of the queue lab's commands.
constexpr std::uint32_t kFlagDurable = 1u << 0;     // queue declare --durable
constexpr std::uint32_t kFlagPersistent = 1u << 1;  // publish --persistent
constexpr std::uint32_t kFlagPoison = 1u << 2;      // publish --poison: processing these messages always fails
constexpr std::uint32_t kFlagIdempotent = 1u << 3;  // consume --idempotent
constexpr std::uint32_t kFlagManual = 1u << 4;      // consume --manual: deliveries wait for `ack` / `nack`
constexpr std::uint32_t kFlagNoRequeue = 1u << 5;   // nack --no-requeue: to the dead-letter queue

namespace mq_commands {
// queue declare NAME [--durable]: key = the queue; flags: kFlagDurable.
extern const CommandSpec kQueueDeclare;
// queue bind EXCHANGE QUEUE: key = the exchange, value = the queue.
extern const CommandSpec kQueueBind;
// publish QUEUE [--count N] [--persistent] [--poison] [--interval MS]: key = the queue (or exchange), count =
// messages (default 1), duration = the interval (-1: the lab's default); flags: kFlagPersistent, kFlagPoison.
extern const CommandSpec kPublish;
// consume QUEUE CONSUMER [...]: key = the queue, nodes = {the consumer}, count = the prefetch (-1: the lab's
// default, 0: unlimited), duration = --process (-1: the lab's default), real = --fail-rate; flags:
// kFlagIdempotent, kFlagManual.
extern const CommandSpec kConsume;
// ack CONSUMER [TAG] and nack CONSUMER [TAG] [--no-requeue]: nodes = {the consumer}, count = the delivery tag
// (0: the oldest delivery the consumer holds); flags: kFlagNoRequeue.
extern const CommandSpec kAck;
extern const CommandSpec kNack;
// mq mode amqp|brokerless [push|pubsub]: key = the mode, value = the brokerless pattern ("push" by default).
extern const CommandSpec kMqMode;
}  // namespace mq_commands

// The lab's commands, in the order help lists them.
std::span<const CommandSpec* const> mqCommands();

}  // namespace distlab
