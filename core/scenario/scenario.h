#pragma once
// Scenario files: a cluster, its ring, workload and network, and a schedule of console commands.
// The format is JSON with snake_case keys (comments allowed); every key but "name" is optional:
//
//   { "name": "demo", "description": "one line", "seed": 1,
//     "nodes": ["n1", "n2", "n3"]            or  "nodes": {"count": 5}   (n1..n5)
//     "ring": {"vnodes": 160, "hash": "xxh3", "replicas": 3, "sample_keys": 2000},
//     "workload": {"clients": 2, "keys": 200, "interval_ms": [40, 120], "write_ratio": 0.5},
//     "network": {"latency_ms": [2, 8], "drop": 0.0, "duplicate": 0.0, "reorder": 0.0},
//     "schedule": [{"at_ms": 3000, "do": "node add n6"}],
//     "lock": {"mode": "lease", "clients": 3, "ttl_ms": 1000, "hold_ms": 300, "fencing": true,
//              "persistence": true, "servers": 5, "watch": "predecessor", "session_timeout_ms": 1000},
//     "txn": {"participants": 3, "vote_timeout_ms": 300, "decision_timeout_ms": 500, "step_timeout_ms": 500},
//     "mq": {"mode": "amqp", "pattern": "push", "prefetch": 3, "process_ms": 50, "publish_interval_ms": 20,
//            "delivery_limit": 5, "heartbeat_ms": 1000, "ack_timeout_ms": 5000, "confirm_timeout_ms": 500,
//            "inbox": 8},
//     "run_ms": 10000 }
//
// A scenario with a "lock" section is a lock lab: its "nodes" default to none (no ring servers) and its
// workload to no clients; the lab adds the lock servers, the storage and the lock clients c1..cN. A "txn"
// section does the same for the transaction lab, whose nodes appear with the first `txn` / `saga` command,
// and an "mq" section for the queue lab, whose broker, producer and consumers appear with the first queue
// command (`queue declare`, `publish`, `consume`, ...).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"
#include "core/base/result.h"
#include "core/console/command.h"
#include "core/base/sim_time.h"

namespace distlab {

// Limits of a scenario file (units last). Ring, run and latency limits come from command.h.
constexpr std::size_t kScenarioFileBytesMax = 4 * 1024 * 1024;
constexpr std::size_t kScenarioNameBytesMax = 100;
constexpr std::size_t kScenarioDescriptionBytesMax = 1000;
constexpr int kScenarioDepthMax = 32;  // JSON nesting; real files need 3
constexpr std::int64_t kScenarioNodesMax = 64;  // the demo store's ring limit (kv::kRingMembersMax)
constexpr std::int64_t kWorkloadClientsMax = 64;
constexpr std::int64_t kWorkloadKeysMax = 100'000;
constexpr std::int64_t kWorkloadIntervalMsMax = 60'000;
constexpr std::int64_t kRingSampleKeysMax = 200'000;
constexpr std::size_t kScheduleEntriesMax = 10'000;
constexpr std::int64_t kLockClientsMax = 16;
constexpr std::int64_t kRedlockServersMax = 9;
constexpr std::int64_t kSessionTimeoutMsMax = 600'000;

struct ScheduledCommand {
    SimTime at = 0;
    Command command;

    bool operator==(const ScheduledCommand&) const = default;
};

struct WorkloadSpec {
    int clients = 2;
    int keys = 200;
    SimTime intervalMin = millis(40);  // between one client's operations
    SimTime intervalMax = millis(120);
    double writeRatio = 0.5;

    bool operator==(const WorkloadSpec&) const = default;
};

struct NetworkSpec {
    SimTime latencyMin = millis(2);
    SimTime latencyMax = millis(8);
    double drop = 0;
    double duplicate = 0;
    double reorder = 0;

    bool operator==(const NetworkSpec&) const = default;
};

struct RingSpec {
    int vnodes = 160;
    std::string hash = "xxh3";  // "xxh3" | "ketama"
    int replicas = 3;
    int sampleKeys = 2000;  // keys drawn on the ring to show ownership and movement

    bool operator==(const RingSpec&) const = default;
};

// The lock lab (issue 3): which lock, its parameters, and the storage it protects.
struct LockSpec {
    bool enabled = false;        // the scenario has a "lock" section
    std::string mode = "lease";  // the default for `lock acquire`: "lease" | "redlock" | "zk"
    int clients = 3;             // lock clients c1..cN created at the start (more appear on first use)
    SimTime ttl = millis(1000);  // lease length of the lease locks
    SimTime hold = millis(300);  // work inside the critical section
    bool fencing = true;         // the storage checks fencing tokens
    bool persistence = true;     // lease lock servers keep their locks on disk across a restart
    int servers = 5;             // Redlock's independent lock servers s1..sN
    std::string watch = "predecessor";  // the ZooKeeper lock's waiters: "predecessor" | "parent"
    SimTime sessionTimeout = millis(1000);  // ZooKeeper sessions

    bool operator==(const LockSpec&) const = default;
};

// The transaction lab (issue 4): two-phase commit, three-phase commit and sagas. The lab adds its nodes
// on the first command of each protocol (core/labs/txn/txn_lab.h names them).
constexpr std::int64_t kTxnTimeoutMsMax = 600'000;
struct TxnSpec {
    bool enabled = false;                        // the scenario has a "txn" section
    int participants = 3;                        // p1..pN (2PC), q1..qN (3PC), saga services s1..sN
    SimTime voteTimeout = millis(300);           // 2PC coordinator: missing votes count as no
    SimTime decisionTimeout = millis(500);       // 2PC participant in READY: ask around this often
    SimTime stepTimeout = millis(500);           // saga orchestrator: an unanswered step has failed

    bool operator==(const TxnSpec&) const = default;
};

// The queue lab (issue 5): an AMQP-style broker, the producer prod, consumers and the ledger; the lab adds
// its nodes on the first queue command.
constexpr std::int64_t kMqTimeoutMsMax = 600'000;
constexpr std::int64_t kMqDeliveryLimitMax = 1000;
constexpr std::int64_t kMqInboxMax = 10'000;
struct MqSpec {
    bool enabled = false;                  // the scenario has an "mq" section
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

struct Scenario {
    std::string name;
    std::string description;                                          // one line
    std::uint64_t seed = 1;                                           // 0 .. kSeedMax
    std::vector<std::string> nodes = {"n1", "n2", "n3", "n4", "n5"};  // server ids in order
    RingSpec ring;
    WorkloadSpec workload;
    NetworkSpec network;
    LockSpec lock;
    TxnSpec txn;
    MqSpec mq;
    std::vector<ScheduledCommand> schedule;  // sorted by time; equal times keep file order
    SimTime runFor = millis(10000);          // default run length for distlab-sim

    bool operator==(const Scenario&) const = default;
};

// Parses and validates a scenario. Errors read "<sourceName>: <json path>: <what was expected>".
// Never throws.
Result<Scenario> parseScenario(std::string_view jsonText, std::string_view sourceName);

// Reads a file (at most kScenarioFileBytesMax) and parses it, naming the file in messages.
Result<Scenario> loadScenarioFile(const std::string& path);

// The canonical JSON form; parseScenario(scenarioToJson(s).dump(), ...) gives back s. Times are
// written in whole milliseconds, as the format stores them.
Json scenarioToJson(const Scenario& scenario);

}  // namespace distlab
