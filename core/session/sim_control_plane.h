#pragma once
// The simulator's control plane: what labs command (core/labs/control_plane.h), done on the Session's World.
#include <memory>

#include "core/labs/control_plane.h"
#include "core/sim/world.h"

namespace distlab {

class SimControlPlane final : public ControlPlane {
public:
    // `world` is the Session's: a rebuilt run replaces the World behind it, never the pointer's owner.
    explicit SimControlPlane(const std::unique_ptr<World>& world) : m_world(world) {}

    SimTime now() const override { return m_world->now(); }
    const Trace& trace() const override { return m_world->trace(); }

    Status addNode(const NodeId& id, NodeFactory factory) override;
    Status setFactory(const NodeId& id, NodeFactory factory) override { return m_world->setFactory(id, std::move(factory)); }
    Status crash(const NodeId& id) override { return m_world->crash(id); }
    Status restart(const NodeId& id) override { return m_world->restart(id); }
    Status pause(const NodeId& id, SimTime duration) override { return m_world->pause(id, duration); }
    Status remove(const NodeId& id) override { return m_world->remove(id); }
    Status partition(const std::vector<std::vector<NodeId>>& groups) override { return m_world->partition(groups); }
    void heal() override { m_world->heal(); }
    Status setLink(const NodeId& from, const NodeId& to, SimTime latency, bool lossless) override;
    Status linkDefaults(const NodeId& from, const NodeId& to) override;
    Result<std::int64_t> sendFrom(const NodeId& from, const NodeId& dest, Body body) override {
        return m_world->sendFrom(from, dest, std::move(body));
    }

    std::vector<NodeId> nodeIds() const override;
    bool has(const NodeId& id) const override { return m_world->indexOf(id).has_value(); }
    NodeStatus status(const NodeId& id) const override;
    Json observe(const NodeId& id) const override;
    const DurableStore* store(const NodeId& id) const override;

private:
    Result<std::pair<NodeIndex, NodeIndex>> link(const NodeId& from, const NodeId& to) const;

    const std::unique_ptr<World>& m_world;
};

}  // namespace distlab
