#pragma once
// What the queue view draws: per queue its ready messages (in queue order, the redelivered ones marked),
// the unacknowledged deliveries of each consumer within its prefetch window, and the dead-lettered
// messages; the producer with its messages not yet confirmed; each consumer with the message it is
// working on and the effects it applied; the brokerless mode's subscribers with their inboxes and what
// they lost; and the publish / deliver / ack / redeliver rates over simulated time.
// Built by the Session from the queue lab's nodes and its recorded history; the view holds no protocol
// logic.
#include <cstdint>
#include <string>
#include <vector>

#include "core/node/node_status.h"
#include "core/base/sim_time.h"

namespace distlab {

constexpr std::size_t kMqBoxesMax = 64;         // message boxes kept per row in a snapshot (the first)
constexpr std::size_t kMqRateBucketsMax = 240;  // rate samples kept in a snapshot (the newest)

// One message drawn as a small box.
struct MqMessageBox {
    std::string messageId;  // "m7"
    bool redelivered = false;
    bool poison = false;           // its processing always fails
    std::int64_t deliveries = 0;   // how often the broker delivered it so far
    std::int64_t deliveryTag = 0;  // an unacknowledged delivery's tag; 0 otherwise
};

// A consumer's channel on a queue: what the broker has delivered to it and not yet had acknowledged.
struct MqChannelView {
    std::string consumer;
    int node = -1;  // index into ClusterSnapshot::nodes
    NodeStatus status = NodeStatus::Up;
    std::int64_t prefetch = 0;          // 0: unlimited
    std::vector<MqMessageBox> unacked;  // by delivery tag
    std::size_t unackedTotal = 0;       // unacked.size() may be cut at kMqBoxesMax
};

struct MqQueueView {
    std::string name;
    bool durable = false;
    bool deadLetter = false;          // "<queue>.dlq"
    std::vector<MqMessageBox> ready;  // in queue order (head first), at most kMqBoxesMax
    std::size_t readyTotal = 0;
    std::size_t unackedTotal = 0;         // over all channels
    std::size_t redeliveredTotal = 0;     // ready or unacked messages flagged redelivered
    std::size_t deadLettered = 0;         // messages in this queue's dead-letter queue
    std::vector<MqChannelView> channels;  // in the order they opened
    std::uint64_t lostInRestart = 0;      // confirmed messages a broker restart lost (transient ones)
};

struct MqProducerView {
    std::string id;
    int node = -1;
    NodeStatus status = NodeStatus::Up;
    std::uint64_t published = 0;            // publishes sent (brokerless: pushes)
    std::uint64_t confirmed = 0;            // confirms received (brokerless: pushes sent, none are confirmed)
    std::vector<MqMessageBox> unconfirmed;  // published, confirm not yet received (amqp), at most kMqBoxesMax
    std::uint64_t toPublish = 0;            // messages of the current `publish` still to send
};

struct MqConsumerView {
    std::string id;
    int node = -1;
    NodeStatus status = NodeStatus::Up;
    std::string queue;  // the queue it consumes (brokerless: subscribes to)
    std::int64_t prefetch = 0;
    bool idempotent = false;
    std::string processing;           // message id it is working on; empty when idle
    std::vector<MqMessageBox> inbox;  // delivered, waiting to be processed (brokerless: its buffer)
    std::uint64_t received = 0;       // deliveries (pushes) it got
    std::uint64_t acked = 0;
    std::uint64_t nacked = 0;   // processing failed: nack with requeue
    std::uint64_t effects = 0;  // effects it applied at the ledger
    std::uint64_t skipped = 0;  // idempotent: redeliveries whose effect was already applied
    std::uint64_t lost = 0;     // brokerless: pushes it dropped (inbox full) or never saw
};

// One bucket of the rates chart: events in [start, start + width).
struct MqRateBucket {
    SimTime start = 0;
    std::uint32_t published = 0;    // confirmed publishes (brokerless: pushes)
    std::uint32_t delivered = 0;    // first deliveries
    std::uint32_t redelivered = 0;  // deliveries flagged redelivered
    std::uint32_t acked = 0;
};

// A message whose effect was applied more than once: the effect checker's finding.
struct MqDuplicateEffect {
    std::string messageId;
    std::vector<std::string> consumers;  // who applied it, in order
    std::vector<SimTime> at;             // when
};

struct QueueSnapshot {
    bool active = false;        // false outside the queue lab: the view shows a hint instead
    std::string mode = "amqp";  // "amqp" | "brokerless"
    std::string broker;         // the broker's id ("broker"); empty in brokerless mode before one ran
    NodeStatus brokerStatus = NodeStatus::Up;
    int brokerNode = -1;
    std::vector<MqProducerView> producers;
    std::vector<MqQueueView> queues;  // by name, dead-letter queues after the queue they belong to
    std::vector<MqConsumerView> consumers;
    std::uint64_t effectsApplied = 0;           // at the ledger
    std::vector<MqDuplicateEffect> duplicates;  // at most kMqBoxesMax, oldest first
    std::uint64_t lost = 0;                     // confirmed messages never delivered (so far)
    SimTime rateWidth = millis(100);            // the width of every rate bucket
    std::vector<MqRateBucket> rates;            // oldest first, at most kMqRateBucketsMax
};

}  // namespace distlab
