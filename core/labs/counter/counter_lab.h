#pragma once
// The distributed counter lab (DESIGN.md, "The four mechanisms, and the counter that combines them"): every
// increment goes through the queue, is routed on the ring, done under the key's lease lock with a fencing
// token, and committed on the key's replicas with two-phase commit, deduplicated by request id. The nodes
// run the other labs' protocol classes (core/protocols/counter/ composes them):
//   cn-broker        the queue (mq::Broker; durable queue "counter", persistent messages)
//   cn-lock          the lease lock server (lock::LeaseLockServer, persistent)
//   cn-n1 .. cn-nN   replicas: the ring's members, two-phase commit participants (counter::CounterReplica)
//   cn-w1 .. cn-wN   workers: consumers, lock clients and two-phase commit coordinators (counter::CounterWorker)
//   cn-c1 .. cn-cN   clients with a random workload of incr and read (counter::CounterClient)
// All of them start at time 0. Kill, restart, pause and partitions are the console's own commands; `break`
// flips a switch on every node of the lab (a node that was down hears of it when it restarts).
//
// Membership: `node add [cn-nK]` adds a replica to the ring and `node remove cn-nK` takes one out of it and
// out of the run; the workers hear the new members in a counter_members of the next epoch (and again when
// they restart). A worker finds a key's freshest state as long as any R members it may pick include a
// replica that holds it: at most R - 1 members may lack it. A commit writes R replicas, so that holds with
// at most 2R - 1 members; a removal takes away a member and maybe a holder (still at most R - 1 lacking),
// an add brings one that lacks everything. Hence:
//   add     refused beyond 2R - 1 members, and until every key has had two commits since the last removal
//           (the second one was surely fetched and written on members of the new ring: R holders again)
//   remove  refused below R members
// A stale worker still routing to a removed replica gets no answer from it and commits nothing there.
#include <map>
#include <string>
#include <vector>

#include "core/labs/counter/counter_section.h"
#include "core/labs/counter/counter_snapshot.h"
#include "core/labs/lab.h"
#include "core/protocols/ring/hash_ring.h"

namespace distlab {

class CounterLab : public Lab {
public:
    CounterLab(LabHost& host, CounterSpec spec);
    static LabEntry registryEntry();
    std::string_view name() const override { return "counter"; }
    std::unique_ptr<Lab> clone() const override { return std::make_unique<CounterLab>(*this); }

    const CounterSpec& spec() const { return m_spec; }
    const counter::Switches& switches() const { return m_switches; }
    std::vector<StartError> start() override;
    Result<Text> execute(const Command& command) override;
    bool ownsNode(const std::string& id) const override;
    bool isClient(const std::string& id) const override;
    NodeRole roleOf(const std::string& id) const override;
    std::optional<Text> onRestart(const std::string& id) override;
    // The replicas on the ring now, in the order they joined.
    const std::vector<std::string>& members() const { return m_members; }
    void quiesce() override;

    std::vector<CheckResult> checks() const override;
    // {replicas, workers, clients, replication, break: [...], keys: [{key, acked, unknown, acked_ops,
    //  unknown_ops, value, version, replicas: {id: value}}]}
    Json summaryJson() const;
    void summarize(Json& summary) const override { summary["counter"] = summaryJson(); }
    void fillSnapshot(ClusterSnapshot& snap) const override;
    // The Counter tab's picture (node indices are into `nodes`, the snapshot's node ids).
    CounterSnapshot view(const std::vector<std::string>& nodes) const;

    // Every replica the run has had, removed ones included, in the order they were added.
    const std::vector<std::string>& replicaIds() const { return m_replicas; }
    std::vector<std::string> workerIds() const { return workerIds(m_spec); }
    std::vector<std::string> clientIds() const { return clientIds(m_spec); }
    // The node ids a spec gives: cn-n1.., cn-w1.., cn-c1.. (the broker is cn-broker, the lock server cn-lock).
    static std::vector<std::string> replicaIds(const CounterSpec& spec);
    static std::vector<std::string> workerIds(const CounterSpec& spec);
    static std::vector<std::string> clientIds(const CounterSpec& spec);

private:
    void sendSwitches(const std::string& id);
    Result<Text> addReplica(const Command& command);
    Result<Text> removeReplica(const std::string& id);
    // Tells every worker the members (a new epoch), or one worker the current ones.
    void announceMembers();
    void sendMembers(const std::string& worker);
    NodeFactory replicaFactory() const;
    bool isReplica(const std::string& id) const;
    // Reads the history recorded since the last call into m_tally (from the start when the run went back).
    void absorbHistory() const;

    struct KeyTally {
        std::int64_t acked = 0, unknown = 0, ackedOps = 0, unknownOps = 0;
        std::int64_t committed = 0, version = 0;
        SimTime width = 100 * kMicrosPerMilli;  // a sample's interval; doubles when samples are merged
        std::vector<CounterSample> samples;
        void sample(SimTime at);
    };
    struct OpenIncr {
        std::string key;
        std::int64_t delta = 0;
        bool info = false;  // timed out: stays unknown
    };
    mutable std::map<std::string, KeyTally> m_tally;
    mutable std::map<std::pair<std::string, std::int64_t>, OpenIncr> m_openIncrs;
    mutable std::size_t m_opsAbsorbed = 0;
    mutable std::uint64_t m_eventsScanned = 0;

    ControlPlane& m_cluster;
    CounterSpec m_spec;
    counter::Switches m_switches;
    ring::HashRing m_ring;  // the members, as the workers route keys on them (for the views)
    std::vector<std::string> m_replicas;  // every replica added, removed ones too
    std::vector<std::string> m_members;   // the ring's members
    std::int64_t m_membersEpoch = 0;      // 0: the workers route on their configured replicas
    // Each key's freshest committed version when a replica was last removed: an add waits for two more.
    std::map<std::string, std::int64_t> m_versionsAtRemoval;
    bool m_started = false;
};

}  // namespace distlab
