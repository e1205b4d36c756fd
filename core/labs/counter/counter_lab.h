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
    void quiesce() override;

    std::vector<CheckResult> checks() const override;
    // {replicas, workers, clients, replication, break: [...], keys: [{key, acked, unknown, acked_ops,
    //  unknown_ops, value, version, replicas: {id: value}}]}
    Json summaryJson() const;
    void summarize(Json& summary) const override { summary["counter"] = summaryJson(); }
    void fillSnapshot(ClusterSnapshot& snap) const override;
    // The Counter tab's picture (node indices are into `nodes`, the snapshot's node ids).
    CounterSnapshot view(const std::vector<std::string>& nodes) const;

    std::vector<std::string> replicaIds() const { return replicaIds(m_spec); }
    std::vector<std::string> workerIds() const { return workerIds(m_spec); }
    std::vector<std::string> clientIds() const { return clientIds(m_spec); }
    // The node ids a spec gives: cn-n1.., cn-w1.., cn-c1.. (the broker is cn-broker, the lock server cn-lock).
    static std::vector<std::string> replicaIds(const CounterSpec& spec);
    static std::vector<std::string> workerIds(const CounterSpec& spec);
    static std::vector<std::string> clientIds(const CounterSpec& spec);

private:
    void sendSwitches(const std::string& id);
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
    ring::HashRing m_ring;  // the replicas, as the workers route keys on them (for the views)
    bool m_started = false;
};

}  // namespace distlab
