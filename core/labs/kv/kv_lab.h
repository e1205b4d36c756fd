#pragma once
// The ring lab: the consistent-hash ring kept by the membership service (the control node), the demo
// key-value store on it, its workload clients, and the replicas-agree, no-lost-acknowledged-write and
// acknowledged-order checks.
//
// Nodes:
//   n1, n2, ...   key-value servers, ring members (`node add` picks the next free n<N>)
//   c1, c2, ...   workload clients, created at the start from the scenario's workload
// Ring updates go from the control node to every node no other lab claims.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/labs/lab.h"
#include "core/protocols/kv/control_node.h"
#include "core/protocols/ring/hash_ring.h"

namespace distlab {

class KvLab : public Lab {
public:
    KvLab(LabHost& host, const Scenario& scenario);
    // Always there: the ring's commands work next to any other lab.
    static LabEntry registryEntry();

    std::string_view name() const override { return "kv"; }
    std::unique_ptr<Lab> clone() const override { return std::make_unique<KvLab>(*this); }
    std::vector<StartError> start() override;
    Result<Text> execute(const Command& command) override;

    bool ownsNode(const std::string& id) const override;
    bool isClient(const std::string& id) const override;
    NodeRole roleOf(const std::string& id) const override;
    std::optional<Text> onCrash(const std::string& id) override;
    std::optional<Text> onRestart(const std::string& id) override;
    void quiesce() override;

    std::vector<CheckResult> checks() const override;
    void summarize(Json& summary) const override;
    void fillSnapshot(ClusterSnapshot& snap) const override;
    Text statusHeader() const override;
    Text statusNote(const std::string& id) const override;

    const ring::HashRing& ring() const { return m_ring; }
    const std::vector<std::string>& downNodes() const { return m_down; }
    const std::vector<std::string>& clients() const { return m_clients; }

private:
    Status addServer(const std::string& id);
    Result<Text> addNode(const Command& command);
    Result<Text> removeNode(const std::string& id);
    Result<Text> clientOp(const Command& command);
    Result<Text> changeRing(const Command& command);
    Text applyMembershipChange(const std::string& change, const ring::HashRing& before,
                               const std::vector<std::string>& downBefore);
    void announceRing();
    void refreshOwnership();
    void placeMarkers();
    ring::HashRing effectiveRing() const;
    std::string nextServerId() const;
    bool isServer(const std::string& id) const;  // a ring member, or a former one
    int colorIndexOf(const std::string& id) const;
    // Whether the lab's checks apply: it has servers or clients, or it is the run's only lab.
    bool active() const;

    ControlPlane& m_cluster;
    std::vector<std::string> m_initialNodes;
    WorkloadSpec m_workload;
    RingSpec m_spec;  // as changed by ring commands
    ring::HashRing m_ring{ring::RingConfig{}};
    std::vector<std::string> m_down;  // ring members that are crashed (skipped by preference lists)
    std::int64_t m_epoch = 0;
    std::vector<std::string> m_clients;
    std::vector<std::uint64_t> m_sampleKeys;
    std::vector<int> m_sampleOwners;  // world node index per sample key, -1 if none
    std::vector<MovementRecord> m_movements;
    std::map<std::string, std::uint64_t> m_homePoints;  // where each server's marker sits on the ring
    std::vector<std::string> m_colorOrder;             // servers in order of first appearance
    std::size_t m_nextClient = 0;
};

}  // namespace distlab
