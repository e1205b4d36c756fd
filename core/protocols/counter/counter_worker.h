#pragma once
// A worker of the distributed counter. It consumes the counter's queue one message at a time (prefetch 1,
// manual acks, heartbeats: the mq broker's consumer protocol), and for each job:
//
//   IDLE --mq_deliver--> LOCKING: lock_acquire {resource "counter-KEY", token, ttl leaseMs} on the lease
//        lock server; refused (held) or unanswered -> again after retryMs
//   LOCKING --lock_acquire_ok {fencing_token}--> FETCHING: the key's replicas are the first R members of the
//        ring clockwise from the key that the failure detector does not suspect; counter_fetch {key, fence}
//        to each of them. Fewer than R unsuspected members: wait (the key is unavailable, not wrong)
//   FETCHING --every replica answered, none in doubt--> the freshest state (highest version) is the key's:
//        read:  counter_done {value} to the client, release, ack
//        incr whose request id the state lists: counter_done (it was applied before), release, ack
//        incr:  COMMITTING: two-phase commit (txn::TwoPhaseCommitCoordinator, run inside this node) over the
//               replicas with work {key, state + delta, version + 1, request id appended, fence}
//   FETCHING --a replica in doubt, or a timeout--> FETCHING again after retryMs (the set is computed again)
//   FETCHING --error 22 (a higher token was seen: the lease is lost)--> LOCKING
//   COMMITTING --COMMIT logged--> counter_done to the client, lock_release, mq_ack, IDLE
//   COMMITTING --ABORT--> FETCHING (LOCKING when the lease has run out on the worker's clock)
//   any --mq_channel_closed (the broker requeued the delivery)--> the job is dropped, IDLE
//
// Before it fetches and before it commits the worker checks, on its own clock, that its lease has a quarter
// of its time left; a pause between that check and the replicas' vote is what fencing tokens are for.
// Reads are linearizable because they are served like increments: under the key's lock, from every replica
// of the key, after every transaction on the key there has been decided. A new replica of a key (after a
// failure or a node add) receives the key's state with the next commit, which carries the whole state.
//
// Failure detector: a replica not heard from (counter_heartbeat) for suspectMs is suspected; a heartbeat
// clears it. The ring's members are the configured replicas until a counter_members of a newer epoch names
// others (kept on disk, so a restart keeps them). A new member holds nothing until a commit on a key hands
// it the key's state; the lab's rules for `node add|remove` (counter_lab.h) keep the freshest state of every
// key within reach of any R members meanwhile. A crash loses the job
// (the broker redelivers its message); the coordinator's log brings its transactions back as two-phase
// commit's recovery prescribes (WAIT -> abort, COMMIT -> resend).
//
// Trace: states "job incr a +2 (cn-c1-7)", "owner a: cn-n3 (was cn-n1)" when the replica set of a key changes,
// "handoff a to cn-n6: version 12 (it holds none)" when a commit brings a replica of the set up to date,
// "members cn-n1, cn-n2, ... (epoch 2)" on a new view.
// observe(): {"role": "worker", "stage", "job": {op, key, rid} | null, "suspected": [...], "fence"}.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/counter/counter_messages.h"
#include "core/protocols/counter/counter_switches.h"
#include "core/protocols/ring/hash_ring.h"
#include "core/protocols/txn/three_phase_commit_coordinator.h"
#include "core/protocols/txn/two_phase_commit_coordinator.h"

namespace distlab::counter {

struct WorkerConfig {
    NodeId broker = "cn-broker";
    NodeId lockServer = "cn-lock";
    std::string queue = "counter";
    std::vector<NodeId> replicas;  // the ring's members
    int replication = 3;           // R
    std::int64_t leaseMs = 1000;
    std::int64_t heartbeatMs = 300;  // to the broker
    std::int64_t suspectMs = 600;
    std::int64_t fetchTimeoutMs = 250;
    std::int64_t retryMs = 150;
    txn::TwoPhaseCommitConfig tpc;
    txn::ThreePhaseCommitConfig tpc3;
    ring::RingConfig ring;
    Switches initial;  // the switches until a counter_switch changes them
};

enum class WorkerStage { Idle, Locking, Fetching, Committing };
std::string_view workerStageName(WorkerStage stage);  // "idle", "locking", "fetching", "committing"

class CounterWorker : public CopyableNode<CounterWorker> {
public:
    explicit CounterWorker(WorkerConfig config);

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    Json observe(SimTime now) const override;

    WorkerStage stage() const { return m_stage; }
    // The replicas of key as this worker sees them now (owner first).
    std::vector<NodeId> replicasOf(SimTime now, const std::string& key) const;

private:
    struct Delivery {
        std::int64_t tag = 0;
        Job job;
    };

    void onDeliver(Context& ctx, const Envelope& message);
    void onLockAnswer(Context& ctx, const Envelope& message);
    void onFetchAnswer(Context& ctx, const Envelope& message);
    void afterCoordinator(Context& ctx);

    void acquire(Context& ctx);
    void fetch(Context& ctx);
    void decide(Context& ctx);
    // The job is over: answer the client (unless already), release the lock, ack the message.
    void finish(Context& ctx, const Json& value);
    void answerClient(Context& ctx, const Json& value);
    void releaseLock(Context& ctx);
    void retryLater(Context& ctx, std::int64_t ms);
    bool leaseValid(Context& ctx) const;
    std::size_t replication() const;  // R, or 1 with the r1 switch
    bool suspected(SimTime now, const NodeId& replica) const;
    std::string nextId(Context& ctx, std::string_view what);
    void consume(Context& ctx);
    void onMembers(Context& ctx, const Envelope& message);
    void useMembers(CounterMembers members);

    WorkerConfig m_config;
    Switches m_switches;
    ring::HashRing m_ring;
    std::int64_t m_membersEpoch = 0;  // of the view m_ring holds; 0: the configured replicas
    std::map<NodeId, SimTime> m_lastHeard;
    std::map<std::string, std::vector<NodeId>> m_lastSet;  // the replicas each key was last fetched from

    WorkerStage m_stage = WorkerStage::Idle;
    std::optional<Delivery> m_delivery;
    std::string m_lockToken;  // empty: no lock held or asked for
    std::int64_t m_lockRequest = 0;
    std::int64_t m_fence = 0;
    SimTime m_leaseUntil = 0;
    std::vector<NodeId> m_set;                  // the replicas of the job's key for this round
    std::map<std::int64_t, NodeId> m_fetchSent;  // msg_id -> replica, this round
    std::map<NodeId, CounterFetchOk> m_fetched;
    std::vector<std::string> m_handoffs;  // the commit's handoffs, traced when it is decided
    std::string m_txn;
    bool m_txnThreePhase = false;  // m_txn runs on m_coordinator3 (the switch was on when it began)
    bool m_answered = false;  // the client has its counter_done (ack-early answers before the commit)

    txn::TwoPhaseCommitCoordinator m_coordinator;
    txn::ThreePcCoordinator m_coordinator3;
    TimerId m_retryTimer = 0;
    TimerId m_heartbeatTimer = 0;
};

}  // namespace distlab::counter
