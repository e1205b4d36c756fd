#include "core/session/sim_control_plane.h"

namespace distlab {

Status SimControlPlane::addNode(const NodeId& id, NodeFactory factory) {
    auto added = m_world->addNode(id, std::move(factory));
    if (!added) return added.error();
    return Ok{};
}

Result<std::pair<NodeIndex, NodeIndex>> SimControlPlane::link(const NodeId& from, const NodeId& to) const {
    auto a = m_world->indexOf(from);
    if (!a) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), from));
    auto b = m_world->indexOf(to);
    if (!b) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), to));
    return std::pair{*a, *b};
}

Status SimControlPlane::setLink(const NodeId& from, const NodeId& to, SimTime latency, bool lossless) {
    auto ends = link(from, to);
    if (!ends) return ends.error();
    LinkConfig config = lossless ? LinkConfig{} : m_world->network().defaults();
    config.latencyMin = latency;
    config.latencyMax = latency;
    m_world->network().setLink(ends->first, ends->second, config);
    return Ok{};
}

Status SimControlPlane::linkDefaults(const NodeId& from, const NodeId& to) {
    auto ends = link(from, to);
    if (!ends) return ends.error();
    m_world->network().clearLink(ends->first, ends->second);
    return Ok{};
}

std::vector<NodeId> SimControlPlane::nodeIds() const {
    std::vector<NodeId> ids;
    ids.reserve(m_world->nodeCount());
    for (NodeIndex i = 0; i < m_world->nodeCount(); ++i) ids.push_back(m_world->nameOf(i));
    return ids;
}

NodeStatus SimControlPlane::status(const NodeId& id) const {
    auto index = m_world->indexOf(id);
    return index ? m_world->status(*index) : NodeStatus::Removed;
}

Json SimControlPlane::observe(const NodeId& id) const {
    auto index = m_world->indexOf(id);
    return index ? m_world->observe(*index) : Json();
}

const DurableStore* SimControlPlane::store(const NodeId& id) const {
    auto index = m_world->indexOf(id);
    return index ? &m_world->store(*index) : nullptr;
}

}  // namespace distlab
