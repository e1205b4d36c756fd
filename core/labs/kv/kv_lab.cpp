#include "core/labs/kv/kv_lab.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "core/check/kv_checks.h"
#include "core/labs/kv/kv_commands.h"
#include "core/labs/registry.h"
#include "core/protocols/kv/kv_client.h"
#include "core/protocols/kv/kv_messages.h"
#include "core/protocols/kv/kv_server.h"
#include "core/protocols/ring/ring_stats.h"

namespace distlab {

static_assert(std::size_t(kScenarioNodesMax) <= kv::kRingMembersMax, "a scenario's ring must fit the store's ring updates");
static_assert(kPutKeyBytesMax == kv::kKeyBytesMax && kPutValueBytesMax == kv::kValueBytesMax,
              "the console must accept exactly what the store accepts");

namespace {

// The console's membership commands change the ring's servers, so this lab executes them.
constexpr std::array<const CommandSpec*, 2> kConsoleCommandsTaken = {&commands::kNodeAdd, &commands::kNodeRemove};

std::string formatPercent(double fraction) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << 100.0 * fraction;
    return out.str();
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

Error unknownNode(const std::string& id) {
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id),
                     makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
}

}  // namespace

KvLab::KvLab(LabHost& host, const Scenario& scenario)
    : Lab(host), m_cluster(host.cluster()), m_initialNodes(scenario.nodes), m_workload(scenario.workload),
      m_spec(scenario.ring) {
    ring::RingConfig config;
    config.vnodes = m_spec.vnodes;
    config.hash = ring::parseHashKind(m_spec.hash).value_or(ring::HashKind::Xxh3);
    m_ring = ring::HashRing(config);
    // A lock, transaction or queue lab without ring servers draws no keys: there is no ring to place them on.
    const bool ringless = !scenario.sections.empty() && scenario.nodes.empty();
    m_sampleKeys = ring::sampleKeyHashes(config.hash, ringless ? 0 : std::size_t(m_spec.sampleKeys));
}

LabEntry KvLab::registryEntry() {
    return LabEntry{
        "kv",
        "",
        nullptr,
        [](const Scenario&) { return true; },
        kvCommands(),
        kConsoleCommandsTaken,
        [](LabHost& host, const Scenario* scenario) -> std::unique_ptr<Lab> {
            if (scenario) return std::make_unique<KvLab>(host, *scenario);
            Scenario empty;  // no servers, no clients: `node add` grows the ring
            empty.nodes.clear();
            empty.workload.clients = 0;
            return std::make_unique<KvLab>(host, empty);
        },
    };
}

std::vector<Lab::StartError> KvLab::start() {
    std::vector<StartError> errors;
    for (const auto& id : m_initialNodes) {
        auto added = addServer(id);
        if (!added) errors.push_back(StartError{"node add " + id, added.error()});
    }
    kv::KvClientConfig clientConfig;
    clientConfig.keys = m_workload.keys;
    clientConfig.intervalMin = m_workload.intervalMin;
    clientConfig.intervalMax = m_workload.intervalMax;
    clientConfig.writeRatio = m_workload.writeRatio;
    for (int i = 1; i <= m_workload.clients; ++i) {
        const std::string id = "c" + std::to_string(i);
        auto added = m_cluster.addNode(id, [clientConfig] { return std::make_unique<kv::KvClient>(clientConfig); });
        if (added) m_clients.push_back(id);
    }
    announceRing();
    refreshOwnership();
    return errors;
}

bool KvLab::isServer(const std::string& id) const { return m_ring.contains(id) || contains(m_colorOrder, id); }
bool KvLab::ownsNode(const std::string& id) const { return isServer(id) || contains(m_clients, id); }
bool KvLab::isClient(const std::string& id) const { return contains(m_clients, id); }
NodeRole KvLab::roleOf(const std::string& id) const { return isServer(id) ? NodeRole::Server : NodeRole::Client; }

bool KvLab::active() const { return m_ring.nodeCount() > 0 || !m_clients.empty() || host().labCount() == 1; }

Status KvLab::addServer(const std::string& id) {
    kv::KvServerConfig config;
    auto added = m_cluster.addNode(id, [config] { return std::make_unique<kv::KvServer>(config); });
    if (!added) return added.error();
    if (!m_ring.addNode(id)) {
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' cannot join the ring"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "the ring allows at most %1 nodes"), ring::kNodesMax));
    }
    if (!contains(m_colorOrder, id)) m_colorOrder.push_back(id);
    return Ok{};
}

ring::HashRing KvLab::effectiveRing() const {
    ring::HashRing effective = m_ring;
    for (const auto& id : m_down) effective.removeNode(id);
    return effective;
}

void KvLab::announceRing() {
    ++m_epoch;
    const kv::RingUpdate update = kv::makeRingUpdate(m_epoch, m_ring, m_spec.replicas, m_down);
    const std::string& control = host().controlId();
    for (const NodeId& id : m_cluster.nodeIds()) {
        if (id == control || m_cluster.status(id) == NodeStatus::Removed) continue;
        // The other labs' nodes have no use for the ring (ownerOf names a composed lab, not its part).
        if (!ownsNode(id) && host().ownerOf(id)) continue;
        (void)m_cluster.sendFrom(control, id, makeBody(update));
    }
}

void KvLab::placeMarkers() { m_homePoints = ring::markerPoints(m_ring); }

void KvLab::refreshOwnership() {
    placeMarkers();
    const ring::HashRing effective = effectiveRing();
    m_sampleOwners.assign(m_sampleKeys.size(), -1);
    // Map ring indices to the run's node numbers (the snapshot's order) once, so the per-key loop is a lookup.
    const std::vector<NodeId> ids = m_cluster.nodeIds();
    std::vector<int> toWorld;
    for (const auto& id : effective.nodeIds()) {
        auto it = std::find(ids.begin(), ids.end(), id);
        toWorld.push_back(it == ids.end() ? -1 : int(it - ids.begin()));
    }
    for (std::size_t k = 0; k < m_sampleKeys.size(); ++k) {
        const int owner = effective.ownerIndex(m_sampleKeys[k]);
        m_sampleOwners[k] = owner < 0 ? -1 : toWorld[std::size_t(owner)];
    }
}

Text KvLab::applyMembershipChange(const std::string& change, const ring::HashRing& before,
                                  const std::vector<std::string>& downBefore) {
    ring::HashRing effectiveBefore = before;
    for (const auto& id : downBefore) effectiveBefore.removeNode(id);
    const ring::MovementStats stats = ring::compareMovement(effectiveBefore, effectiveRing(), m_sampleKeys);
    m_movements.push_back(MovementRecord{m_cluster.now(), change, stats.keys, stats.movedRing, stats.movedModulo});
    announceRing();
    refreshOwnership();
    return makeText(QT_TRANSLATE_NOOP("Core", "%1: %2 of %3 sample keys moved (%4%); modulo hashing would move %5 (%6%)"),
                    change, stats.movedRing, stats.keys, formatPercent(stats.fractionRing()), stats.movedModulo,
                    formatPercent(stats.fractionModulo()));
}

std::string KvLab::nextServerId() const {
    for (int n = 1;; ++n) {
        const std::string id = "n" + std::to_string(n);
        if (!m_cluster.has(id)) return id;
    }
}

std::optional<Text> KvLab::onCrash(const std::string& id) {
    if (!m_ring.contains(id)) return std::nullopt;
    const ring::HashRing before = m_ring;
    const auto downBefore = m_down;
    m_down.push_back(id);
    return applyMembershipChange("kill " + id, before, downBefore);
}

std::optional<Text> KvLab::onRestart(const std::string& id) {
    auto it = std::find(m_down.begin(), m_down.end(), id);
    if (it == m_down.end()) return std::nullopt;
    const ring::HashRing before = m_ring;
    const auto downBefore = m_down;
    m_down.erase(it);
    return applyMembershipChange("restart " + id, before, downBefore);
}

void KvLab::quiesce() {
    for (const auto& client : m_clients) {
        const NodeStatus status = m_cluster.status(client);
        if (status == NodeStatus::Up || status == NodeStatus::Paused)
            (void)m_cluster.sendFrom(host().controlId(), client, makeBody(kv::Workload{false}));
    }
    announceRing();
}

Result<Text> KvLab::execute(const Command& command) {
    if (command.is(commands::kNodeAdd)) return addNode(command);
    if (command.is(commands::kNodeRemove)) return removeNode(command.nodes.front());
    if (command.is(kv_commands::kPut) || command.is(kv_commands::kGet)) return clientOp(command);
    if (command.is(kv_commands::kRingVnodes) || command.is(kv_commands::kRingHash)) return changeRing(command);
    if (command.is(kv_commands::kRingReplicas)) {
        m_spec.replicas = int(command.count);
        announceRing();
        return makeText(QT_TRANSLATE_NOOP("Core", "replicas per key: %1"), command.count);
    }
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "command not supported here: %1"), command.text));
}

Result<Text> KvLab::addNode(const Command& command) {
    const std::string id = command.nodes.empty() ? nextServerId() : command.nodes.front();
    if (m_cluster.status(id) != NodeStatus::Removed)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' already exists"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "pick another id, or leave it out")));
    if (m_ring.nodeCount() >= kv::kRingMembersMax)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "the ring already has %1 nodes, the most the demo store supports"), kv::kRingMembersMax),
                         makeText(QT_TRANSLATE_NOOP("Core", "remove a node first")));
    if (isReservedNodeId(id, commandTable()))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is reserved for the lab's own processes"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "server ids look like n7; leave the id out to get the next free one")));
    const ring::HashRing before = m_ring;
    const auto downBefore = m_down;
    if (auto added = addServer(id); !added) return added.error();
    return applyMembershipChange("add " + id, before, downBefore);
}

Result<Text> KvLab::removeNode(const std::string& id) {
    if (!m_cluster.has(id)) return unknownNode(id);
    if (!isServer(id))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a ring node"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "only servers (n1, n2, ...) can be changed this way")));
    const ring::HashRing before = m_ring;
    const auto downBefore = m_down;
    if (auto removed = m_cluster.remove(id); !removed) return removed.error();
    m_ring.removeNode(id);
    std::erase(m_down, id);
    return applyMembershipChange("remove " + id, before, downBefore);
}

Result<Text> KvLab::clientOp(const Command& command) {
    if (m_clients.empty())
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "this scenario has no clients")),
                         makeText(QT_TRANSLATE_NOOP("Core", "add \"clients\" to the workload")));
    // Round-robin over the clients that are up.
    for (std::size_t tries = 0; tries < m_clients.size(); ++tries) {
        const std::string& client = m_clients[m_nextClient++ % m_clients.size()];
        if (m_cluster.status(client) != NodeStatus::Up) continue;
        Body body = command.is(kv_commands::kPut) ? makeBody(kv::ClientPut{command.key, command.value})
                                                     : makeBody(kv::ClientGet{command.key});
        if (auto sent = m_cluster.sendFrom(host().controlId(), client, std::move(body)); !sent) return sent.error();
        const ring::HashRing effective = effectiveRing();  // owner() points into it
        const std::string* owner = effective.owner(ring::keyHash(m_ring.config().hash, command.key));
        const std::string ownerId = owner ? *owner : std::string("-");
        return command.is(kv_commands::kPut)
                   ? makeText(QT_TRANSLATE_NOOP("Core", "%1 will put %2 (owner: %3)"), client, command.key, ownerId)
                   : makeText(QT_TRANSLATE_NOOP("Core", "%1 will get %2 (owner: %3)"), client, command.key, ownerId);
    }
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "every client is down")),
                     makeText(QT_TRANSLATE_NOOP("Core", "restart one with 'node restart c1'")));
}

Result<Text> KvLab::changeRing(const Command& command) {
    const ring::HashRing before = m_ring;
    std::string change;
    if (command.is(kv_commands::kRingVnodes)) {
        m_ring.setVnodes(int(command.count));
        m_spec.vnodes = int(command.count);
        change = "vnodes " + std::to_string(command.count);
    } else {
        const auto kind = ring::parseHashKind(command.key);
        if (!kind)
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown hash '%1'"), command.key),
                             makeText(QT_TRANSLATE_NOOP("Core", "use xxh3 or ketama")));
        m_ring.setHash(*kind);
        m_spec.hash = command.key;
        m_sampleKeys = ring::sampleKeyHashes(*kind, m_sampleKeys.size());
        change = "hash " + command.key;
    }
    return applyMembershipChange(change, before, m_down);
}

std::vector<CheckResult> KvLab::checks() const {
    if (!active()) return {};
    std::vector<KvNodeState> nodes;
    for (const NodeId& id : m_cluster.nodeIds()) {
        const NodeStatus status = m_cluster.status(id);
        if (status == NodeStatus::Removed) continue;
        nodes.push_back(KvNodeState{id, status == NodeStatus::Up || status == NodeStatus::Paused, m_cluster.store(id)});
    }
    const Trace& trace = m_cluster.trace();
    return {checkReplicasAgree(trace, nodes, m_ring, m_down, m_spec.replicas),
            checkNoLostWrites(trace, nodes, m_ring, m_down, m_spec.replicas), checkAcknowledgedOrder(trace)};
}

void KvLab::summarize(Json& summary) const {
    Json movements = Json::array();
    for (const auto& m : m_movements)
        movements.push_back(Json{{"at_ms", toMillis(m.at)}, {"change", m.change}, {"keys", m.keys},
                                 {"moved_ring", m.movedRing}, {"moved_modulo", m.movedModulo}});
    summary["movements"] = std::move(movements);
}

int KvLab::colorIndexOf(const std::string& id) const {
    auto it = std::find(m_colorOrder.begin(), m_colorOrder.end(), id);
    return it == m_colorOrder.end() ? -1 : int(it - m_colorOrder.begin());
}

void KvLab::fillSnapshot(ClusterSnapshot& snap) const {
    snap.hashName = std::string(ring::hashKindName(m_ring.config().hash));
    snap.vnodesPerNode = m_ring.config().vnodes;
    snap.movements = m_movements;
    for (std::size_t i = 0; i < snap.nodes.size(); ++i) {
        NodeView& view = snap.nodes[i];
        if (const DurableStore* store = m_cluster.store(view.id)) {
            view.keysStored += store->scan(kv::kStoreKeyPrefix).size();
        }
        if (view.role != NodeRole::Server || !isServer(view.id)) continue;
        view.colorIndex = colorIndexOf(view.id);
        view.onRing = m_ring.contains(view.id) && !contains(m_down, view.id);
        view.vnodePoints = m_ring.pointsOf(view.id);
        if (auto home = m_homePoints.find(view.id); home != m_homePoints.end()) view.homePoint = home->second;
    }
    snap.keys.reserve(m_sampleKeys.size());
    for (std::size_t k = 0; k < m_sampleKeys.size(); ++k) {
        snap.keys.push_back(KeyView{m_sampleKeys[k], m_sampleOwners[k]});
        if (m_sampleOwners[k] >= 0) snap.nodes[std::size_t(m_sampleOwners[k])].keysOwned++;
    }
    for (auto& node : snap.nodes)
        node.loadShare = m_sampleKeys.empty() ? 0.0 : double(node.keysOwned) / double(m_sampleKeys.size());
}

Text KvLab::statusHeader() const {
    return makeText(QT_TRANSLATE_NOOP("Core", ", ring epoch %1"), m_epoch);
}

Text KvLab::statusNote(const std::string& id) const {
    return m_ring.contains(id) ? makeText(QT_TRANSLATE_NOOP("Core", "  (ring)")) : Text{};
}

}  // namespace distlab
