#include "core/session/node_roles.h"

#include "core/labs/lab.h"
#include "core/console/command.h"
#include "core/labs/registry.h"
#include "core/protocols/kv/control_node.h"
#include "core/session/session.h"

namespace distlab {

namespace {

// A cluster that records what the labs add and does nothing else: no time passes and no message goes out.
class CollectingCluster final : public ControlPlane, public LabHost {
public:
    std::vector<ScenarioNode> nodes;
    std::vector<std::unique_ptr<Lab>> labs;

    SimTime now() const override { return 0; }
    const Trace& trace() const override { return m_trace; }
    Status addNode(const NodeId& id, NodeFactory factory) override {
        if (has(id)) return makeError("node '" + id + "' is added twice");
        nodes.push_back(ScenarioNode{id, std::move(factory)});
        return Ok{};
    }
    Status setFactory(const NodeId& id, NodeFactory factory) override {
        for (ScenarioNode& node : nodes)
            if (node.id == id) {
                node.factory = std::move(factory);
                return Ok{};
            }
        return unknown(id);
    }
    Status crash(const NodeId& id) override { return unknown(id); }
    Status restart(const NodeId& id) override { return unknown(id); }
    Status pause(const NodeId& id, SimTime) override { return unknown(id); }
    Status remove(const NodeId& id) override { return unknown(id); }
    Status partition(const std::vector<std::vector<NodeId>>&) override { return Ok{}; }
    void heal() override {}
    Status setLink(const NodeId&, const NodeId&, SimTime, bool) override { return Ok{}; }
    Status linkDefaults(const NodeId&, const NodeId&) override { return Ok{}; }
    Result<std::int64_t> sendFrom(const NodeId&, const NodeId&, Body) override { return std::int64_t{0}; }
    std::vector<NodeId> nodeIds() const override {
        std::vector<NodeId> ids;
        for (const ScenarioNode& node : nodes) ids.push_back(node.id);
        return ids;
    }
    bool has(const NodeId& id) const override {
        for (const ScenarioNode& node : nodes)
            if (node.id == id) return true;
        return false;
    }
    NodeStatus status(const NodeId& id) const override { return has(id) ? NodeStatus::Up : NodeStatus::Removed; }
    Json observe(const NodeId&) const override { return nullptr; }
    const DurableStore* store(const NodeId&) const override { return nullptr; }

    ControlPlane& cluster() override { return *this; }
    const std::string& controlId() const override { return m_control; }
    const Lab* ownerOf(const std::string& id) const override {
        for (const auto& lab : labs)
            if (lab->ownsNode(id)) return lab.get();
        return nullptr;
    }
    std::size_t labCount() const override { return labs.size(); }

private:
    static Error unknown(const NodeId& id) { return makeError("node '" + id + "' is not running"); }
    Trace m_trace;
    std::string m_control = kControlNodeId;
};

// The control node and the scenario's labs, started on the collecting cluster: what the run has at time 0.
Status collectStart(const Scenario& scenario, CollectingCluster& cluster) {
    cluster.nodes.push_back(ScenarioNode{kControlNodeId, [] { return std::make_unique<kv::ControlNode>(); }});
    return startScenarioLabs(scenario, cluster, cluster.labs);
}

}  // namespace

Status startScenarioLabs(const Scenario& scenario, LabHost& host, std::vector<std::unique_ptr<Lab>>& labs) {
    try {
        for (const LabEntry& entry : labRegistry()) {
            if (!(entry.inScenario ? entry.inScenario(scenario) : scenario.hasSection(entry.name))) continue;
            labs.push_back(entry.create(host, &scenario));
            for (const Lab::StartError& failed : labs.back()->start())
                return makeError("scenario '" + scenario.name + "': " + failed.what + ": " + failed.error.message);
        }
    } catch (const std::exception& e) {
        return makeError("scenario '" + scenario.name + "': " + e.what());
    }
    return Ok{};
}

Result<std::vector<ScenarioNode>> scenarioNodes(const Scenario& scenario) {
    CollectingCluster cluster;
    if (Status started = collectStart(scenario, cluster); !started) return started.error();
    return std::move(cluster.nodes);
}

Result<NodeFactory> scenarioNodeFactory(const Scenario& scenario, const NodeId& id) {
    auto nodes = scenarioNodes(scenario);
    if (!nodes) return nodes.error();
    std::string ids;
    for (ScenarioNode& node : nodes.value()) {
        if (node.id == id) return std::move(node.factory);
        ids += (ids.empty() ? "" : ", ") + node.id;
    }
    return makeError("scenario '" + scenario.name + "' has no node '" + id + "'",
                     "its nodes are: " + ids + "; a new node joins a running cluster with --join HOST:PORT");
}

Result<NodeFactory> addedNodeFactory(const Scenario& scenario, const NodeId& id) {
    CollectingCluster cluster;
    if (Status started = collectStart(scenario, cluster); !started) return started.error();
    try {
        const std::size_t before = cluster.nodes.size();
        auto command = parseCommand("node add " + id, commandTable());
        if (!command) return command.error();
        for (const LabEntry* entry : labsTaking(command.value()))
            for (const auto& lab : cluster.labs) {
                if (lab->name() != entry->name) continue;
                if (auto added = lab->execute(command.value()); !added) return added.error();
                for (std::size_t i = before; i < cluster.nodes.size(); ++i)
                    if (cluster.nodes[i].id == id) return std::move(cluster.nodes[i].factory);
            }
    } catch (const std::exception& e) {
        return makeError("scenario '" + scenario.name + "': " + e.what());
    }
    return makeError("no lab of the scenario adds nodes");
}

}  // namespace distlab
