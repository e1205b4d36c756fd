#pragma once
// What the lock view draws: for each resource, who holds the lock now, the lease countdown, the fencing
// token of the grant, the queue of waiters (for the ZooKeeper-style lock, the sequential nodes in order
// and which node each waiter watches), the history of grants, and per client the intervals in which it
// believed it held the lock against those in which the lock service really had it as the holder.
// Built by the Session from the lock lab's nodes and its trace; the view holds no protocol logic.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/text.h"
#include "core/node/node_status.h"
#include "core/base/sim_time.h"

namespace distlab {

constexpr SimTime kOpenInterval = -1;        // an interval that has not ended yet
constexpr std::size_t kLockHistoryMax = 64;  // grants kept per resource in a snapshot (the newest)
constexpr std::size_t kLockLaneIntervalsMax = 64;  // intervals kept per lane (the newest)
constexpr std::size_t kStorageLogMax = 16;         // storage accesses kept in a snapshot (the newest)

struct LockInterval {
    SimTime start = 0;
    SimTime end = kOpenInterval;
    std::int64_t token = 0;  // the fencing token of the grant, 0 when there is none
};

// One client's view of one resource.
struct LockLane {
    std::string client;
    int node = -1;  // index into ClusterSnapshot::nodes
    NodeStatus status = NodeStatus::Up;
    std::vector<LockInterval> believes;  // the client thought it held the lock (grant .. release or crash)
    std::vector<LockInterval> really;    // the lock service had it as the holder (for Redlock: a majority)
};

// One entry in the wait queue. For the ZooKeeper-style lock: one sequential node, in sequence order, the
// first being the holder's; for the lease locks: clients retrying, in the order they first asked.
struct LockWaiter {
    std::string client;
    std::string lockNode;  // "/locks/R/lock-0000000003"; empty for the lease locks
    std::int64_t token = 0;  // the node's czxid (its fencing token), 0 for the lease locks
    int watches = -1;        // index in the queue of the node this waiter watches; -1 none
    bool watchesParent = false;  // the naive variant: it watches /locks/R and wakes on every change
};

struct LockGrant {
    std::string client;
    std::int64_t token = 0;  // fencing token, 0 when the mode has none (Redlock)
    SimTime at = 0;          // when the client learnt it holds the lock
    SimTime end = kOpenInterval;  // when it released it, crashed, or lost the session
    enum class Write { None, Accepted, Rejected, Unknown } write = Write::None;  // its write to the storage
};

// Two clients whose accepted writes overlapped: the mutual-exclusion checker's finding.
struct LockConflict {
    std::string first;   // the client whose critical section started first
    std::string second;
    std::int64_t firstToken = 0;
    std::int64_t secondToken = 0;
    SimTime from = 0;  // the overlap
    SimTime to = 0;
    Text explanation;  // one paragraph, translatable
};

// One lease lock server's view of a resource: the lease server of the lease lock, or one of Redlock's N.
// Its clock is its own: a jump or drift shows as an offset from simulated time.
struct LockServerView {
    std::string id;
    NodeStatus status = NodeStatus::Up;
    std::string holder;        // whose lease this server holds now (by its own clock); empty when none
    SimTime leaseEndsAt = 0;   // simulated time at which that lease runs out on this server's clock
    std::int64_t clockOffsetMs = 0;  // the server's clock minus simulated time
    std::int64_t driftPpm = 0;
};

// One access the storage answered, as its client saw the answer.
struct StorageAccess {
    SimTime at = 0;  // when the client got the answer
    std::string client;
    bool write = false;      // a write, else the read that opened a read-modify-write
    std::int64_t token = 0;  // the fencing token the access carried
    bool accepted = true;    // false: refused (a stale token with fencing on)
    std::int64_t seq = 0;    // the storage's sequence number of an accepted access
};

struct LockResourceView {
    std::string resource;
    std::string mode;  // "lease" | "redlock" | "zk"
    std::string holder;  // who the lock service has as the holder now; empty when free
    std::int64_t fencingToken = 0;  // of the current grant
    SimTime leaseEndsAt = 0;  // simulated time at which the holder's lease runs out (lease modes); 0: none
    std::vector<LockWaiter> queue;
    std::vector<LockGrant> history;  // oldest first, at most kLockHistoryMax
    std::vector<LockLane> lanes;     // one per client that ever asked for this resource, by first request
    std::vector<LockConflict> conflicts;
    std::vector<LockServerView> servers;  // lease modes: the server(s) and whom each has as holder
    bool conflict() const { return !conflicts.empty(); }
};

struct LockSnapshot {
    bool active = false;  // false outside the lock lab: the view shows a hint instead
    std::string mode;     // the lab's default mode: "lease" | "redlock" | "zk"
    bool fencing = true;  // the storage checks fencing tokens
    std::string watch = "predecessor";  // the ZooKeeper lock's watch mode: "predecessor" | "parent"
    std::int64_t storageHighestToken = 0;
    std::uint64_t writesAccepted = 0;
    std::uint64_t writesRejected = 0;
    std::uint64_t wakeups = 0;  // watch events that woke a ZooKeeper-lock waiter
    std::vector<StorageAccess> storageLog;  // the newest accesses to the storage, oldest first
    std::vector<LockResourceView> resources;  // by name
};

}  // namespace distlab
