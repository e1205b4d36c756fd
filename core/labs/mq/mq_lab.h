#pragma once
// The queue lab inside a Session: an AMQP 0-9-1-style broker, the producer, the consumers and the ledger
// they apply effects to, the console commands that drive them, what the queue view draws, and the
// total-queue and effect checkers.
//
// Nodes, added to the cluster with the lab's first command:
//   broker        the broker (mq::Broker)
//   prod          the producer every `publish` goes through
//   ledger        the effect store: the database the consumers write each message's effect to, with the
//                 processed-id table idempotent consumers use
//   w1, ...       consumers, named by `consume QUEUE CONSUMER` and created by it
// The lab's control messages come from the Session's control node (ctl).
//
// Modes: "amqp" sends everything through the broker with acknowledgements; "brokerless" makes the
// producer push straight to the consumers that subscribed to a queue (ZeroMQ PUSH round robin, or pub-sub
// to all), at most once, with nothing to redeliver what a dead or slow subscriber missed.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/check/check_result.h"
#include "core/labs/lab.h"
#include "core/check/mq_checks.h"
#include "core/node/message.h"
#include "core/base/result.h"
#include "core/console/command.h"
#include "core/labs/mq/mq_snapshot.h"
#include "core/labs/mq/mq_section.h"
#include "core/scenario/scenario.h"

namespace distlab {

extern const char* const kMqBrokerId;    // "broker"
extern const char* const kMqProducerId;  // "prod"
extern const char* const kMqLedgerId;    // "ledger"

class MqLab : public Lab {
public:
    MqLab(LabHost& host, MqSpec spec);
    static LabEntry registryEntry();
    std::string_view name() const override { return "mq"; }
    std::unique_ptr<Lab> clone() const override { return std::make_unique<MqLab>(*this); }
    // The broker and the ledger serve; the producer and the consumers are their clients.
    NodeRole roleOf(const std::string& id) const override;

    const MqSpec& spec() const { return m_spec; }
    const std::string& mode() const { return m_mode; }
    bool ownsNode(const std::string& id) const override;
    bool isConsumer(const std::string& id) const { return m_consumers.contains(id); }
    // Queues the lab declared, with whether they are durable.
    const std::map<std::string, bool>& queues() const { return m_queues; }

    // The console's queue commands. Errors are values; nothing is half-applied.
    Result<Text> execute(const Command& command) override;

    QueueSnapshot view(const std::vector<std::string>& snapshotNodeIds) const;
    // total-queue and effect-once, once a message was published.
    std::vector<CheckResult> checks() const override;
    // {mode, pattern, published, confirmed, delivered, redelivered, acked, nacked, dropped, effects,
    //  duplicate_deliveries, lost: [ids], lost_in_restart: [ids], applied_twice: [{message_id, consumers}],
    //  queues: [{queue, durable, ready, unacked, dead_lettered: [ids]}] (null counts while the broker is
    //  down), consumers: [{consumer, queue, idempotent, received, acked, effects, skipped, dropped}]}
    Json summaryJson() const;
    void summarize(Json& summary) const override { summary["mq"] = summaryJson(); }
    void fillSnapshot(ClusterSnapshot& snap) const override;

private:
    struct ConsumerSpec {
        std::string queue;
        std::int64_t prefetch = 0;
        bool idempotent = false;
        bool manual = false;
    };

    Result<Text> declare(const Command& command);
    Result<Text> bind(const Command& command);
    Result<Text> publish(const Command& command);
    Result<Text> consume(const Command& command);
    Result<Text> settle(const Command& command);
    Result<Text> setMode(const Command& command);
    Status ensureNodes();
    Status send(const std::string& to, Body body);
    // The console's orders reach the lab's nodes over a link without loss, duplication or reordering: they
    // are the operator's, not part of the experiment (`net drop` must not drop a `publish`). Partitions and
    // cuts still apply.
    void controlLinkTo(const std::string& id);
    // The producer's routing for brokerless mode: queue -> the consumers subscribed to it.
    Body producerModeBody() const;
    bool isUp(const std::string& id) const;
    Status requireUp(const std::string& id) const;
    MqCheckOptions checkOptions() const;
    // Reads the history and the trace recorded since the last call into m_acc.
    void absorb() const;
    // The message ids the broker holds now: ready or unacknowledged in any queue, or, while it is down, on
    // its disk.
    std::set<std::string> brokerHeldIds() const;

    ControlPlane& m_cluster;
    MqSpec m_spec;
    std::string m_control;
    bool m_started = false;
    std::string m_mode;
    std::string m_pattern;
    std::map<std::string, bool> m_queues;                     // declared: name -> durable
    std::map<std::string, std::set<std::string>> m_bindings;  // exchange -> queues
    std::map<std::string, ConsumerSpec> m_consumers;          // by id

    // view() runs for every frame: the lab keeps running counts of what the history says, and the broker's
    // crash times, reading only what was recorded since the previous frame.
    // What the history says each consumer did: counted from the ops, so a crash (which takes the node's
    // own counters with it) loses nothing.
    struct ConsumerTally {
        std::uint64_t received = 0, acked = 0, nacked = 0, effects = 0, skipped = 0, dropped = 0;
    };
    struct Accumulated {
        std::vector<MqRateBucket> rates;  // the newest kMqRateBucketsMax buckets, oldest first
        std::vector<SimTime> brokerCrashes;
        std::map<std::string, ConsumerTally> consumers;
    };
    // The history's summary for the picture: read again when the broker crashed, or once the history grew
    // by a 64th since (the summary and the checks read it whole).
    const MqHistorySummary& viewSummary() const;
    mutable Accumulated m_acc;
    mutable MqHistorySummary m_history;
    mutable std::pair<std::size_t, std::size_t> m_historyAt{std::size_t(-1), 0};  // ops, broker crashes
    mutable std::map<std::string, std::string> m_queueOf;  // message id -> the queue it was published to
    mutable std::size_t m_opsAbsorbed = 0;
    mutable std::uint64_t m_eventsScanned = 0;
};

}  // namespace distlab
