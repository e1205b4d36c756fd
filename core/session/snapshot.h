#pragma once
// A read-only picture of a running cluster, copied out of the simulation so that views can draw
// it on another thread. Views never reach into protocol objects; they only see this.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/check/check_result.h"
#include "core/labs/counter/counter_snapshot.h"
#include "core/labs/lock/lock_snapshot.h"
#include "core/labs/mq/mq_snapshot.h"
#include "core/node/node_status.h"
#include "core/base/sim_time.h"

namespace distlab {

// Server: a ring member (or a former one); Client: a workload or lock client; Control: the membership
// service; Service: a lab service off the ring (a lock server, the coordination service, the storage).
enum class NodeRole { Server, Client, Control, Service };

struct NodeView {
    std::string id;
    NodeRole role = NodeRole::Server;
    NodeStatus status = NodeStatus::Up;
    int colorIndex = 0;                 // stable per node id for the whole run
    bool onRing = false;                // servers that currently own ranges
    std::vector<std::uint64_t> vnodePoints;  // ring positions of this node's virtual nodes
    std::uint64_t homePoint = 0;        // where the node's marker sits on the ring
    std::size_t keysOwned = 0;          // sample keys whose owner is this node
    std::size_t keysStored = 0;         // keys held in the node's store
    double loadShare = 0.0;             // keysOwned / all sample keys
    std::size_t pendingMessages = 0;    // messages in flight towards this node
    SimTime pausedUntil = 0;            // valid when status == Paused
    bool unreachable = false;           // a real process whose connection was lost (it may still run)
    // Free-form protocol state for the inspector, in display order (label, value).
    std::vector<std::pair<std::string, std::string>> details;
};

struct KeyView {
    std::uint64_t hash = 0;  // position on the ring
    int owner = -1;          // index into ClusterSnapshot::nodes, -1 when the ring is empty
};

struct MessageView {
    std::uint64_t id = 0;  // network sequence number, unique per run
    int src = -1;          // indices into ClusterSnapshot::nodes
    int dest = -1;
    std::string type;      // body.type, e.g. "put", "replicate", "pull"
    SimTime sentAt = 0;
    SimTime deliverAt = 0;
};

struct PartitionView {
    // Each group is a set of node indices; nodes in different groups cannot talk.
    // Empty when the network is whole.
    std::vector<std::vector<int>> groups;
    // One-way cuts: messages from .first to .second are dropped.
    std::vector<std::pair<int, int>> oneWayCuts;
};

// Key movement caused by one membership change, measured on the sample keys.
struct MovementRecord {
    SimTime at = 0;
    std::string change;       // e.g. "add n6", "kill n2"
    std::size_t keys = 0;
    std::size_t movedRing = 0;
    std::size_t movedModulo = 0;
};

struct ClusterSnapshot {
    SimTime now = 0;
    std::uint64_t seed = 0;
    std::uint64_t events = 0;
    std::uint64_t traceEvents = 0;  // the trace's length: where the timeline's present is
    bool running = false;
    // Real processes (core/session/net_session.h): `now` is real time since the launch, and no seed applies.
    bool networked = false;
    double speed = 1.0;
    std::string scenarioName;
    std::string hashName;  // "xxh3" or "ketama"
    int vnodesPerNode = 0;
    std::vector<NodeView> nodes;
    std::vector<KeyView> keys;
    std::vector<MessageView> inFlight;
    PartitionView partitions;
    std::vector<MovementRecord> movements;  // oldest first
    LockSnapshot locks;                     // the lock lab, when the scenario has one
    bool txnActive = false;                 // the transaction lab runs (its story is on the timeline)
    QueueSnapshot mq;                       // the queue lab, when the scenario has one
    CounterSnapshot counter;                // the counter lab, when the scenario has one
    // The checks' verdicts on the history so far, as the driver last evaluated them (Session::snapshot()
    // leaves them empty: evaluating reads the whole trace, so a live driver does it at its own pace).
    std::vector<CheckResult> checks;
    bool checksEvaluated = false;    // false: not evaluated yet (distinct from "no checks")
    SimTime checksAt = 0;            // the simulated time they were evaluated at
    std::uint64_t checksEvents = 0;  // the trace's length then
};

}  // namespace distlab
