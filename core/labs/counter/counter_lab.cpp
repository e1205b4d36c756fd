// The counter lab: builds the broker, the lock server, the replicas, the workers and the clients, flips the
// "break it" switches, and judges the run from the clients' history and the replicas' disks.
#include "core/labs/counter/counter_lab.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "core/check/check_support.h"
#include "core/check/counter_checks.h"
#include "core/labs/counter/counter_commands.h"
#include "core/node/json_fields.h"
#include "core/protocols/counter/counter_client.h"
#include "core/protocols/counter/counter_replica.h"
#include "core/protocols/counter/counter_worker.h"
#include "core/protocols/lock/lease/lease_lock_server.h"
#include "core/protocols/mq/broker.h"
#include "core/protocols/ring/hash_ring.h"
#include "core/protocols/ring/ring_stats.h"

namespace distlab {

namespace {

constexpr const char* kPrefix = "cn-";
const std::string kBroker = "cn-broker";
const std::string kLock = "cn-lock";

std::vector<std::string> numbered(const std::string& stem, int count) {
    std::vector<std::string> ids;
    for (int i = 1; i <= count; ++i) ids.push_back(kPrefix + stem + std::to_string(i));
    return ids;
}

bool starts(const std::string& id, const std::string& stem) { return id.rfind(kPrefix + stem, 0) == 0; }

// `node add cn-n6` and `node remove cn-n3` (the registry routes them here by the id's prefix).
constexpr std::array<const CommandSpec*, 2> kConsoleCommandsTaken = {&commands::kNodeAdd, &commands::kNodeRemove};

bool running(NodeStatus status) { return status == NodeStatus::Up || status == NodeStatus::Paused; }

// The two-phase and three-phase commit settings the replicas and the workers share.
txn::TwoPhaseCommitConfig tpcConfig() {
    txn::TwoPhaseCommitConfig tpc;
    tpc.workMs = 50;  // between the lease check and the vote request: where a pause hurts without fencing
    tpc.voteTimeoutMs = 300;
    tpc.resendMs = 200;
    tpc.initTimeoutMs = 3000;  // longer than a pause, so that only fencing stops a stale vote request
    tpc.decisionTimeoutMs = 400;
    tpc.txnsMax = 100'000;
    return tpc;
}

txn::ThreePhaseCommitConfig tpc3Config() {
    txn::ThreePhaseCommitConfig tpc3;  // the textbook timeouts (three_phase_commit.h), and room for a long run
    tpc3.txnsMax = 100'000;
    return tpc3;
}

}  // namespace

CounterLab::CounterLab(LabHost& host, CounterSpec spec)
    : Lab(host),
      m_cluster(host.cluster()),
      m_spec(std::move(spec)),
      m_switches(m_spec.broken),
      m_replicas(replicaIds(m_spec)),
      m_members(m_replicas) {
    m_ring.addNodes(m_members);
}

LabEntry CounterLab::registryEntry() {
    return LabEntry{
        "counter",
        kPrefix,
        [](const Json& value, const SectionReader& reader, const std::string& path) {
            return counterSectionToJson(readCounterSection(value, reader, path));
        },
        nullptr,  // it starts with a scenario that has its section
        counterCommands(),
        kConsoleCommandsTaken,
        [](LabHost& host, const Scenario* scenario) -> std::unique_ptr<Lab> {
            return std::make_unique<CounterLab>(
                host, scenario ? labSection(*scenario, "counter", readCounterSection) : CounterSpec{});
        },
    };
}

std::vector<std::string> CounterLab::replicaIds(const CounterSpec& spec) { return numbered("n", spec.replicas); }
std::vector<std::string> CounterLab::workerIds(const CounterSpec& spec) { return numbered("w", spec.workers); }
std::vector<std::string> CounterLab::clientIds(const CounterSpec& spec) { return numbered("c", spec.clients); }

bool CounterLab::isReplica(const std::string& id) const {
    return std::find(m_replicas.begin(), m_replicas.end(), id) != m_replicas.end();
}

bool CounterLab::ownsNode(const std::string& id) const {
    if (!m_started) return false;
    if (id == kBroker || id == kLock || isReplica(id)) return true;
    for (const auto& ids : {workerIds(), clientIds()})
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) return true;
    return false;
}

bool CounterLab::isClient(const std::string& id) const { return ownsNode(id) && starts(id, "c"); }

NodeRole CounterLab::roleOf(const std::string& id) const {
    if (starts(id, "n")) return NodeRole::Server;
    if (starts(id, "c")) return NodeRole::Client;
    return NodeRole::Service;
}

std::vector<Lab::StartError> CounterLab::start() {
    std::vector<StartError> errors;
    if (m_started) return errors;
    m_started = true;
    const std::vector<std::string> workers = workerIds();
    auto add = [&](const std::string& id, NodeFactory factory) {
        if (Status added = m_cluster.addNode(id, std::move(factory)); !added)
            errors.push_back(StartError{"node add " + id, added.error()});
    };
    mq::BrokerConfig broker;
    broker.deliveryLimit = 0;       // a job is retried until it is done, never dead-lettered for its retries
    broker.heartbeatMs = 300;       // a dead worker's delivery goes back to the queue within a second
    broker.ackTimeoutMs = 2000;     // and so does a delivery or an ack lost on the way
    add(kBroker, [broker] { return std::make_unique<mq::Broker>(broker); });
    add(kLock, [] { return std::make_unique<lock::LeaseLockServer>(lock::LeaseLockConfig{}); });

    for (const std::string& id : m_members) add(id, replicaFactory());
    counter::WorkerConfig worker;
    worker.broker = kBroker;
    worker.lockServer = kLock;
    worker.replicas = m_members;
    worker.replication = m_spec.replication;
    worker.leaseMs = wholeMillis(m_spec.lease);
    worker.tpc = tpcConfig();
    worker.tpc3 = tpc3Config();
    worker.initial = m_switches;
    for (const std::string& id : workers) add(id, [worker] { return std::make_unique<counter::CounterWorker>(worker); });
    counter::ClientConfig client;
    client.broker = kBroker;
    client.keys = m_spec.keys;
    client.readPercent = m_spec.readPercent;
    client.thinkMs = wholeMillis(m_spec.think);
    for (const std::string& id : clientIds()) add(id, [client] { return std::make_unique<counter::CounterClient>(client); });
    return errors;
}

NodeFactory CounterLab::replicaFactory() const {
    counter::ReplicaConfig replica;
    replica.workers = workerIds();
    replica.tpc = tpcConfig();
    replica.tpc3 = tpc3Config();
    replica.initial = m_switches;  // a replica added later starts with the switches as they are
    return [replica] { return std::make_unique<counter::CounterReplica>(replica); };
}

void CounterLab::sendSwitches(const std::string& id) {
    for (counter::Switch which : counter::kSwitches)
        (void)m_cluster.sendFrom(host().controlId(), id,
                                 makeBody(counter::CounterSwitch{std::string(counter::switchName(which)), m_switches[which]}));
}

Result<Text> CounterLab::execute(const Command& command) {
    if (command.is(counter_commands::kBreak)) {
        if (!m_started) start();
        const std::optional<counter::Switch> which = counter::parseSwitch(command.key);
        if (!which) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a switch"), command.key));
        const bool on = command.value == "on";
        m_switches.set(*which, on);
        std::vector<std::string> targets = m_members;
        for (const std::string& id : workerIds()) targets.push_back(id);
        for (const std::string& id : targets)
            if (running(m_cluster.status(id)))
                (void)m_cluster.sendFrom(host().controlId(), id, makeBody(counter::CounterSwitch{command.key, on}));
        if (on) return makeText(QT_TRANSLATE_NOOP("Core", "broken: %1 (the checks will say what it costs)"), command.key);
        return makeText(QT_TRANSLATE_NOOP("Core", "repaired: %1"), command.key);
    }
    if (command.is(commands::kNodeAdd)) {
        if (!m_started) start();
        return addReplica(command);
    }
    if (command.is(commands::kNodeRemove)) {
        if (!m_started) start();
        return removeReplica(command.nodes.front());
    }
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "command not supported here: %1"), command.text));
}

Result<Text> CounterLab::addReplica(const Command& command) {
    std::string id = command.nodes.empty() ? std::string() : command.nodes.front();
    for (int n = 1; id.empty(); ++n)
        if (const std::string next = kPrefix + std::string("n") + std::to_string(n); !m_cluster.has(next)) id = next;
    const std::size_t stem = std::string(kPrefix).size() + 1;  // "cn-n"
    if (!starts(id, "n") || id.size() == stem ||
        !std::all_of(id.begin() + std::ptrdiff_t(stem), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "the counter adds replicas only, and their ids are cn-n and a number")),
                         makeText(QT_TRANSLATE_NOOP("Core", "for example: node add cn-n6 (or leave the id out)")));
    if (m_cluster.status(id) == NodeStatus::Removed && m_cluster.has(id))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' was removed, and ids are not used twice"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "pick another id, or leave it out")));
    if (m_cluster.has(id))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' already exists"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "pick another id, or leave it out")));
    const std::size_t most = std::size_t(2 * m_spec.replication - 1);
    if (m_members.size() + 1 > most)
        return makeError(
            makeText(QT_TRANSLATE_NOOP("Core", "the counter keeps at most %1 replicas with R = %2: any two sets of R of them must share one"),
                     int(most), m_spec.replication),
            makeText(QT_TRANSLATE_NOOP("Core", "remove a replica first (node remove cn-nK)")));
    absorbHistory();
    for (const auto& [key, version] : m_versionsAtRemoval) {
        const auto tally = m_tally.find(key);
        const std::int64_t now = tally == m_tally.end() ? 0 : tally->second.version;
        if (now < version + 2)
            return makeError(
                makeText(QT_TRANSLATE_NOOP("Core", "key %1 has had %2 of the 2 commits it needs since the last removal: its state may be on too few replicas for a new one"),
                         key, int(now - version)),
                makeText(QT_TRANSLATE_NOOP("Core", "let the clients run a moment, then add again")));
    }
    if (Status added = m_cluster.addNode(id, replicaFactory()); !added) return added.error();
    m_replicas.push_back(id);
    m_members.push_back(id);
    m_ring.addNode(id);
    announceMembers();
    return makeText(QT_TRANSLATE_NOOP("Core", "%1 joins the counter's ring (%2 replicas): it gets a key's state with the key's next commit"),
                    id, int(m_members.size()));
}

Result<Text> CounterLab::removeReplica(const std::string& id) {
    if (std::find(m_members.begin(), m_members.end(), id) == m_members.end())
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a replica on the counter's ring"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "its replicas are cn-n1, cn-n2, ...; 'status' lists them")));
    if (m_members.size() <= std::size_t(m_spec.replication))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "the counter needs at least R = %1 replicas"), m_spec.replication),
                         makeText(QT_TRANSLATE_NOOP("Core", "add one first (node add)")));
    if (Status removed = m_cluster.remove(id); !removed) return removed.error();
    std::erase(m_members, id);
    m_ring.removeNode(id);
    absorbHistory();
    for (const std::string& key : m_spec.keys) {
        const auto tally = m_tally.find(key);
        m_versionsAtRemoval[key] = tally == m_tally.end() ? 0 : tally->second.version;
    }
    announceMembers();
    return makeText(QT_TRANSLATE_NOOP("Core", "%1 leaves the counter's ring (%2 replicas): each of its keys is still on another replica"),
                    id, int(m_members.size()));
}

void CounterLab::announceMembers() {
    ++m_membersEpoch;
    for (const std::string& worker : workerIds()) sendMembers(worker);
}

void CounterLab::sendMembers(const std::string& worker) {
    if (m_membersEpoch == 0 || !running(m_cluster.status(worker))) return;
    (void)m_cluster.sendFrom(host().controlId(), worker, makeBody(counter::CounterMembers{m_membersEpoch, m_members}));
}

std::optional<Text> CounterLab::onRestart(const std::string& id) {
    // It may have missed a `break` while it was down: tell it every switch again, and a worker the members.
    if (ownsNode(id) && (starts(id, "n") || starts(id, "w"))) sendSwitches(id);
    if (ownsNode(id) && starts(id, "w")) sendMembers(id);
    return std::nullopt;
}

void CounterLab::quiesce() {
    for (const std::string& id : clientIds()) {
        const NodeStatus status = m_cluster.status(id);
        if (status == NodeStatus::Up || status == NodeStatus::Paused)
            (void)m_cluster.sendFrom(host().controlId(), id, makeBody(counter::CounterWorkload{false}));
    }
}

namespace {

std::vector<check::CounterReplicaState> replicaStates(const ControlPlane& cluster, const std::vector<std::string>& ids) {
    std::vector<check::CounterReplicaState> out;
    for (const std::string& id : ids) {
        // A removed replica's disk is gone with it: a key only it held is lost, and the checks must say so.
        if (cluster.status(id) == NodeStatus::Removed) continue;
        const DurableStore* store = cluster.store(id);
        if (!store) continue;
        try {
            for (const auto& [key, value] : DiskReader(*store).scan(counter::kStatePrefix)) {
                if (auto state = counter::keyStateFromJson(Json::parse(value, nullptr, false)))
                    out.push_back({id, key.substr(counter::kStatePrefix.size()), std::move(*state)});
            }
        } catch (const StoreFailure&) {
            // A damaged disk holds nothing the checks can count on.
        }
    }
    return out;
}

}  // namespace

std::vector<CheckResult> CounterLab::checks() const {
    if (!m_started) return {};
    const std::vector<std::string> clients = clientIds();
    return check::counterChecks(
        m_cluster.trace(),
        [&](const std::string& id) { return std::find(clients.begin(), clients.end(), id) != clients.end(); },
        replicaStates(m_cluster, replicaIds()));
}

Json CounterLab::summaryJson() const {
    Json broken = Json::array();
    for (counter::Switch which : counter::kSwitches)
        if (m_switches[which]) broken.push_back(std::string(counter::switchName(which)));
    const std::vector<std::string> clients = clientIds();
    const auto expectations = check::counterExpectations(
        m_cluster.trace(),
        [&](const std::string& id) { return std::find(clients.begin(), clients.end(), id) != clients.end(); });
    const auto states = replicaStates(m_cluster, replicaIds());
    Json keys = Json::array();
    for (const std::string& key : m_spec.keys) {
        Json entry{{"key", key}, {"acked", 0}, {"unknown", 0}, {"acked_ops", 0}, {"unknown_ops", 0}};
        for (const auto& e : expectations)
            if (e.key == key)
                entry.update(Json{{"acked", e.acked}, {"unknown", e.unknown}, {"acked_ops", e.ackedCount},
                                  {"unknown_ops", e.unknownCount}});
        Json held = Json::object();
        const check::CounterReplicaState* best = nullptr;
        for (const auto& s : states) {
            if (s.key != key) continue;
            held[s.replica] = s.state.value;
            if (!best || counter::fresher(s.state, best->state)) best = &s;
        }
        entry["value"] = best ? best->state.value : 0;
        entry["version"] = best ? best->state.version : 0;
        entry["replicas"] = held;
        keys.push_back(entry);
    }
    return Json{{"replicas", int(m_members.size())}, {"workers", m_spec.workers}, {"clients", m_spec.clients},
                {"replication", m_spec.replication}, {"break", broken}, {"keys", keys}};
}

void CounterLab::fillSnapshot(ClusterSnapshot& snap) const {
    // The replicas on the ring, as the workers route keys to them.
    const ring::HashRing& ring = m_ring;
    const auto markers = ring::markerPoints(ring);
    for (NodeView& node : snap.nodes) {
        if (!ownsNode(node.id) || !starts(node.id, "n")) continue;
        node.onRing = node.status != NodeStatus::Crashed && node.status != NodeStatus::Removed;
        node.vnodePoints = ring.pointsOf(node.id);
        if (auto it = markers.find(node.id); it != markers.end()) node.homePoint = it->second;
    }
    for (const std::string& key : m_spec.keys) {
        KeyView view;
        view.hash = ring::keyHash(ring.config().hash, key);
        if (const std::string* owner = ring.owner(view.hash))
            for (std::size_t i = 0; i < snap.nodes.size(); ++i)
                if (snap.nodes[i].id == *owner) {
                    view.owner = int(i);
                    ++snap.nodes[i].keysOwned;
                }
        snap.keys.push_back(view);
    }
    std::vector<std::string> ids;
    for (const NodeView& node : snap.nodes) ids.push_back(node.id);
    snap.counter = view(ids);
}

void CounterLab::KeyTally::sample(SimTime at) {
    const CounterSample now{at, acked, acked + unknown, committed};
    if (!samples.empty() && samples.back().at / width == at / width) {
        samples.back() = now;  // a sample holds its interval's last values
        return;
    }
    samples.push_back(now);
    if (samples.size() <= kCounterSamplesMax) return;
    // Twice the interval: of the samples sharing one, the last stays, so the whole run stays in view.
    width *= 2;
    std::vector<CounterSample> merged;
    for (std::size_t i = 0; i < samples.size(); ++i)
        if (i + 1 == samples.size() || samples[i].at / width != samples[i + 1].at / width) merged.push_back(samples[i]);
    samples = std::move(merged);
}

void CounterLab::absorbHistory() const {
    const Trace& trace = m_cluster.trace();
    const auto& ops = trace.clientOps();
    const auto& events = trace.events();
    if (m_opsAbsorbed > ops.size() || m_eventsScanned > events.size()) {
        m_tally.clear();  // the run went back without this lab: read it again
        m_openIncrs.clear();
        m_opsAbsorbed = 0;
        m_eventsScanned = 0;
    }
    const std::vector<std::string> clients = clientIds();
    auto absorbOp = [&](const ClientOp& op) {
        if (op.f != "incr" || std::find(clients.begin(), clients.end(), op.process) == clients.end()) return;
        const auto id = std::make_pair(op.process, op.opId);
        if (op.phase == OpPhase::Invoke) {
            OpenIncr incr{stringField(op.value, "key"), check::intField(op.value, "value").value_or(0), false};
            KeyTally& tally = m_tally[incr.key];
            tally.unknown += incr.delta;
            ++tally.unknownOps;
            tally.sample(op.time);
            m_openIncrs[id] = std::move(incr);
            return;
        }
        auto it = m_openIncrs.find(id);
        if (it == m_openIncrs.end() || it->second.info) return;
        if (op.phase == OpPhase::Unknown) {
            it->second.info = true;  // it may still have happened: it stays unknown
            return;
        }
        KeyTally& tally = m_tally[it->second.key];
        tally.unknown -= it->second.delta;
        --tally.unknownOps;
        if (op.phase == OpPhase::Ok) {
            tally.acked += it->second.delta;
            ++tally.ackedOps;
        }
        tally.sample(op.time);
        m_openIncrs.erase(it);
    };
    auto absorbEvent = [&](const TraceEvent& event) {
        // A replica's commit, traced as "KEY = VALUE (version V)".
        if (event.kind != TraceKind::State || event.node == kNoName || event.text == kNoName ||
            !starts(trace.name(event.node), "n"))
            return;
        const std::string& text = trace.name(event.text);
        const std::size_t eq = text.rfind(" = "), open = text.rfind(" (version ");
        if (eq == std::string::npos || open == std::string::npos || open < eq) return;
        KeyTally& tally = m_tally[text.substr(0, eq)];
        const long long version = std::strtoll(text.c_str() + open + 10, nullptr, 10);
        if (version < tally.version) return;
        tally.committed = std::strtoll(text.c_str() + eq + 3, nullptr, 10);
        tally.version = version;
        tally.sample(event.time);
    };
    // Both logs are in time order; merged by time, so that the samples see them as they happened.
    while (m_opsAbsorbed < ops.size() || m_eventsScanned < events.size()) {
        const bool opFirst = m_eventsScanned == events.size() ||
                             (m_opsAbsorbed < ops.size() && ops[m_opsAbsorbed].time <= events[m_eventsScanned].time);
        if (opFirst)
            absorbOp(ops[m_opsAbsorbed++]);
        else
            absorbEvent(events[m_eventsScanned++]);
    }
}

CounterSnapshot CounterLab::view(const std::vector<std::string>& nodes) const {
    CounterSnapshot out;
    if (!m_started) return out;
    absorbHistory();
    out.active = true;
    out.replication = m_spec.replication;
    for (counter::Switch which : counter::kSwitches)
        if (m_switches[which]) out.broken.emplace_back(counter::switchName(which));
    const auto states = replicaStates(m_cluster, replicaIds());
    auto indexOf = [&](const std::string& id) {
        const auto it = std::find(nodes.begin(), nodes.end(), id);
        return it == nodes.end() ? -1 : int(it - nodes.begin());
    };
    for (const std::string& key : m_spec.keys) {
        CounterKeyView view;
        view.key = key;
        const check::CounterReplicaState* best = nullptr;
        for (const std::string& id : replicaIds()) {
            if (m_cluster.status(id) == NodeStatus::Removed) continue;
            CounterReplicaValue replica;
            replica.replica = id;
            replica.node = indexOf(id);
            replica.status = m_cluster.status(id);
            for (const auto& s : states) {
                if (s.replica != id || s.key != key) continue;
                replica.holds = true;
                replica.value = s.state.value;
                replica.version = s.state.version;
                if (!best || counter::fresher(s.state, best->state)) best = &s;
            }
            view.replicas.push_back(std::move(replica));
        }
        view.committed = best ? best->state.value : 0;
        view.version = best ? best->state.version : 0;
        if (auto it = m_tally.find(key); it != m_tally.end()) {
            view.acked = it->second.acked;
            view.unknown = it->second.unknown;
            view.ackedOps = it->second.ackedOps;
            view.unknownOps = it->second.unknownOps;
            view.samples = it->second.samples;
        }
        out.keys.push_back(std::move(view));
    }
    return out;
}

}  // namespace distlab
