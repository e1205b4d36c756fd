#pragma once
// The queue lab's section of a scenario file (issue 5): an AMQP-style broker, the producer, consumers and the
// ledger, or a brokerless queue.
//
//   "mq": {"mode": "amqp", "pattern": "push", "prefetch": 3, "process_ms": 50, "publish_interval_ms": 20,
//          "delivery_limit": 5, "heartbeat_ms": 1000, "ack_timeout_ms": 5000, "confirm_timeout_ms": 500,
//          "inbox": 8}
//
// Every key is optional. The lab adds its nodes on the first queue command (`queue declare`, `publish`,
// `consume`, ...).
#include <cstdint>
#include <string>

#include "core/base/sim_time.h"
#include "core/node/message.h"
#include "core/scenario/section_reader.h"

namespace distlab {

constexpr std::int64_t kMqTimeoutMsMax = 600'000;
constexpr std::int64_t kMqDeliveryLimitMax = 1000;
constexpr std::int64_t kMqInboxMax = 10'000;

struct MqSpec {
    std::string mode = "amqp";             // "amqp" | "brokerless"
    std::string pattern = "push";          // brokerless: "push" | "pubsub"
    int prefetch = 3;                      // consume's default (0: unlimited), 0..65535
    SimTime processTime = millis(50);      // consume's default processing time per message, 0..60000 ms
    SimTime publishInterval = millis(20);  // publish's default spacing, 0..60000 ms
    int deliveryLimit = 5;                 // broker: deliveries before a returned message is dead-lettered (0: none), 0..1000
    SimTime heartbeat = millis(1000);      // consumers' heartbeats (0: none), 0..kMqTimeoutMsMax
    // broker's consumer_timeout (0: none), 0..kMqTimeoutMsMax: short enough that a delivery or an ack the
    // network lost is recovered while the class watches, long enough to think over a --manual consumer's
    // delivery (simulated time stands still while paused)
    SimTime ackTimeout = millis(5000);
    SimTime confirmTimeout = millis(500);  // producer republishes an unconfirmed message after this, 1..kMqTimeoutMsMax
    int inbox = 8;                         // brokerless subscribers' buffer (ZeroMQ's high-water mark), 1..10000

    bool operator==(const MqSpec&) const = default;
};

MqSpec readMqSection(const Json& value, const SectionReader& reader, const std::string& path);
// Every field, in the file's units; readMqSection gives back the same spec.
Json mqSectionToJson(const MqSpec& spec);

}  // namespace distlab
