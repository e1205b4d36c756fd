#include "core/session/net_session.h"

#include <algorithm>

#include "core/console/command.h"
#include "core/labs/registry.h"
#include "core/net/handshake.h"
#include "core/net/op_log.h"
#include "core/protocols/kv/control_node.h"
#include "core/session/node_roles.h"

namespace distlab {

namespace {

constexpr std::size_t kMessagesKeptMax = 100'000;  // sends whose delivery may still be reported
constexpr std::size_t kObserveDetailsMax = 10;     // report fields shown in the inspector
constexpr std::size_t kTraceEventsMax = 5'000'000;
constexpr std::size_t kTraceMessageBytesMax = std::size_t(128) << 20;

Error unknownNode(const std::string& id) {
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id),
                     makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
}

// A monotonic clock in microseconds: far from the ends of the range, so sums with offsets cannot overflow.
bool plausibleClock(const Json& value) {
    if (value.is_number_unsigned()) return value.get<std::uint64_t>() < (std::uint64_t(1) << 60);
    const std::int64_t v = value.get<std::int64_t>();
    return v > -(std::int64_t(1) << 60) && v < (std::int64_t(1) << 60);
}

Error simulatorOnly(const std::string& what) {
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' works in the simulator only: these processes run in real time"), what),
                     makeText(QT_TRANSLATE_NOOP("Core", "Cluster > Stop cluster goes back to the simulator")));
}

std::string shortValue(const Json& value) {
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (text.size() > 60) text = utf8Prefix(text, 57) + "...";
    return text;
}

}  // namespace

NetSession::NetSession(Scenario scenario, NetDriver& driver)
    : m_scenario(std::move(scenario)), m_driver(driver), m_startedAt(driver.clockMicros()), m_controlId(kControlNodeId) {
    // The simulator's limits: a lesson-long live session fits, and past them the views say they show the start.
    m_trace.setEventsMax(kTraceEventsMax);
    m_trace.setMessageBytesMax(kTraceMessageBytesMax);
}

NetSession::~NetSession() = default;

Status NetSession::start() {
    if (Status added = addNode(m_controlId, [] { return std::make_unique<kv::ControlNode>(); }); !added) return added;
    if (Status started = startScenarioLabs(m_scenario, *this, m_labs); !started) return started;
    m_started = true;
    return Ok{};
}

SimTime NetSession::now() const { return std::max(m_driver.clockMicros() - m_startedAt, m_lastEventTime); }

NetSession::NodeState* NetSession::find(const NodeId& id) {
    for (NodeState& node : m_nodes)
        if (node.id == id) return &node;
    return nullptr;
}

const NetSession::NodeState* NetSession::find(const NodeId& id) const {
    for (const NodeState& node : m_nodes)
        if (node.id == id) return &node;
    return nullptr;
}

bool NetSession::reachable(const NodeId& id) const {
    const NodeState* node = find(id);
    return node && node->status == NodeStatus::Up;
}

// --- the control plane ---

Status NetSession::addNode(const NodeId& id, NodeFactory factory) {
    (void)factory;  // the process builds its own, from the same scenario (core/session/node_roles.h)
    if (m_started && id == m_admitting) {
        NodeState* node = find(id);
        if (!node) return unknownNode(id);
        node->pendingJoin = false;
        const SimTime at = now();
        m_trace.append(at, TraceKind::NodeAdd, m_trace.intern(id));
        m_lastEventTime = at;
        return Ok{};
    }
    if (m_started)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot add '%1': a cluster of processes keeps the nodes it was launched with"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "add the node to the scenario and launch the cluster again")));
    if (find(id)) return makeError("node '" + id + "' is added twice");
    NodeState node;
    node.id = id;
    m_nodes.push_back(std::move(node));
    const SimTime at = now();
    m_trace.append(at, TraceKind::NodeAdd, m_trace.intern(id));
    m_lastEventTime = at;
    return Ok{};
}

Status NetSession::setFactory(const NodeId& id, NodeFactory factory) {
    (void)factory;
    if (!find(id)) return unknownNode(id);
    return Ok{};  // the process reads its configuration from the scenario when it starts
}

Status NetSession::crash(const NodeId& id) {
    auto killed = killNode(id);
    if (!killed) return killed.error();
    return Ok{};
}

Status NetSession::restart(const NodeId& id) {
    auto started = restartNode(id);
    if (!started) return started.error();
    return Ok{};
}

Status NetSession::pause(const NodeId& id, SimTime duration) {
    (void)id;
    (void)duration;
    return simulatorOnly("node pause");
}

Status NetSession::remove(const NodeId& id) {
    NodeState* node = find(id);
    if (!node) return unknownNode(id);
    if (id != m_removing) return simulatorOnly("node remove");
    node->status = NodeStatus::Removed;
    node->statusAskedAt.reset();
    const SimTime at = now();
    m_trace.append(at, TraceKind::NodeRemove, m_trace.intern(id));
    m_lastEventTime = at;
    if (m_leaving) {
        m_driver.forget(id);
    } else if (Status stopped = m_driver.stopProcess(id); !stopped) {
        m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "%1 is off the ring, but its process did not stop: %2"), id,
                                     stopped.error().message));
    }
    // Nobody sends to it any more.
    for (const NodeState& other : m_nodes)
        if (other.status != NodeStatus::Removed)
            m_driver.sendToNode(other.id, Body{"admin_peer", 0, std::nullopt, Json{{"id", id}, {"address", nullptr}}});
    return Ok{};
}

Result<Text> NetSession::runMembershipCommand(const std::string& line, const NodeId& id) {
    auto command = parseCommand(line, commandTable());
    if (!command) return command.error();
    Lab* lab = labFor(command.value());
    if (!lab) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "no lab of this scenario adds or removes nodes")));
    const bool adding = command.value().is(commands::kNodeAdd);
    (adding ? m_admitting : m_removing) = id;
    auto done = lab->execute(command.value());
    m_admitting.clear();
    m_removing.clear();
    return done;
}

void NetSession::onJoin(const NodeId& via, const NodeId& id, const std::string& address) {
    if (!net::validWireId(id) || id == m_controlId) return;
    // Only a member that is up speaks for joins (the stream of a node the session does not count is not).
    const NodeState* member = find(via);
    if (!member || member->pendingJoin || member->status != NodeStatus::Up) return;
    NodeState* node = find(id);
    if (node && node->status == NodeStatus::Removed) return;  // an id that left stays gone in this session
    if (node && !node->pendingJoin && node->status == NodeStatus::Up && node->joinedAddress != address) {
        // Another process claims a running node's id: the running one keeps its address.
        m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "refused a join as %1 from %2: %1 is up"), id, address));
        return;
    }
    std::size_t remotes = 0;
    for (const NodeState& other : m_nodes) remotes += !other.sameClock;
    if (!node && remotes >= kRemoteNodesMax) {
        m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "refused a join as %1: %2 nodes of other machines already"), id,
                                     kRemoteNodesMax));
        return;
    }
    // Everyone learns where it is before the labs speak to it (ctl's ring announcement).
    for (const NodeState& other : m_nodes)
        if (other.id != id && other.id != via && other.status != NodeStatus::Removed)
            m_driver.sendToNode(other.id, Body{"admin_peer", 0, std::nullopt, Json{{"id", id}, {"address", address}}});
    if (node && !node->pendingJoin) {
        // A member that restarted and joined again; one elsewhere that was killed is observed again.
        node->joinedAddress = address;
        if (node->killedByUs && !node->sameClock) (void)m_driver.attachRemote(id, address);
        return;
    }
    if (!node) {
        // A node started elsewhere (a student's laptop): observed where it says it listens.
        NodeState added;
        added.id = id;
        added.pendingJoin = true;
        added.sameClock = false;
        m_nodes.push_back(std::move(added));
        node = &m_nodes.back();
        if (Status attached = m_driver.attachRemote(id, address); !attached) {
            m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "%1 joined at %2, but cannot be observed: %3"), id, address,
                                         attached.error().message));
        }
    }
    node->joinedAddress = address;
    // The labs add it once it is observed too, so that what they send it (the ring) is seen arriving.
    if (node->status == NodeStatus::Up) admit(id);
}

void NetSession::admit(const NodeId& id) {
    NodeState* node = find(id);
    if (!node || !node->pendingJoin || node->joinedAddress.empty()) return;
    const std::string address = node->joinedAddress;
    auto added = runMembershipCommand("node add " + id, id);
    if (!added) {
        m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "%1 joined, but the labs cannot add it: %2"), id, added.error().message));
        return;
    }
    m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "%1 joined at %2"), id, address));
    m_notices.push_back(std::move(added).value());
}

void NetSession::onLeave(const NodeId& via, const NodeId& id) {
    const NodeState* member = find(via);
    if (!member || member->pendingJoin || member->status != NodeStatus::Up || id == m_controlId) return;
    NodeState* node = find(id);
    if (!node || node->status == NodeStatus::Removed) return;
    if (node->pendingJoin) {
        node->status = NodeStatus::Removed;
        m_driver.forget(id);
        return;
    }
    m_leaving = true;
    auto removed = runMembershipCommand("node remove " + id, id);
    m_leaving = false;
    if (!removed) {
        m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "%1 left, but the labs cannot remove it: %2"), id, removed.error().message));
        return;
    }
    m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "%1 left the cluster"), id));
    m_notices.push_back(std::move(removed).value());
}

Status NetSession::partition(const std::vector<std::vector<NodeId>>& groups) {
    for (const auto& group : groups)
        for (const NodeId& id : group)
            if (!find(id)) return unknownNode(id);
    // Each node drops what it exchanges with the nodes of the other groups: the partition is the nodes'
    // own filters, as in the simulator's network. A node in no group keeps talking to everyone.
    heal();
    std::string text;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        std::vector<NodeId> others;
        for (std::size_t h = 0; h < groups.size(); ++h)
            if (h != g) others.insert(others.end(), groups[h].begin(), groups[h].end());
        for (const NodeId& id : groups[g]) m_driver.sendToNode(id, Body{"admin_partition", 0, std::nullopt, Json{{"peers", others}}});
        if (!text.empty()) text += " | ";
        for (std::size_t i = 0; i < groups[g].size(); ++i) text += (i ? "," : "") + groups[g][i];
    }
    m_partition = groups;
    const SimTime at = now();
    m_trace.append(at, TraceKind::Partition, kNoName, kNoName, m_trace.intern(text));
    m_lastEventTime = at;
    return Ok{};
}

void NetSession::heal() {
    for (const NodeState& node : m_nodes)
        if (node.status != NodeStatus::Removed) m_driver.sendToNode(node.id, Body{"admin_heal", 0, std::nullopt, Json::object()});
    if (m_partition.empty()) return;
    m_partition.clear();
    const SimTime at = now();
    m_trace.append(at, TraceKind::Heal, kNoName);
    m_lastEventTime = at;
}

Status NetSession::setLink(const NodeId& from, const NodeId& to, SimTime latency, bool lossless) {
    (void)latency;
    (void)lossless;
    if (!find(from)) return unknownNode(from);
    if (!find(to)) return unknownNode(to);
    // A lab that sets up its own links at time 0 (the queue lab's control link) gets TCP on loopback, which
    // is faster and lossless anyway; asked for later, it is the simulator's knob.
    if (m_started) return simulatorOnly("net latency");
    return Ok{};
}

Status NetSession::linkDefaults(const NodeId& from, const NodeId& to) { return setLink(from, to, 0, false); }

Result<std::int64_t> NetSession::sendFrom(const NodeId& from, const NodeId& dest, Body body) {
    NodeState* node = find(from);
    if (!node) return unknownNode(from);
    if (node->killedByUs) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is down"), from));
    // The node sends it as its own message (admin_send); its msg_id comes back in the answer, so 0 here.
    m_driver.sendToNode(from, Body{"admin_send", 0, std::nullopt, Json{{"dest", dest}, {"body", bodyToJson(body)}}});
    return std::int64_t{0};
}

// A node that is joining is not the labs' yet: they add it when its join arrives.
std::vector<NodeId> NetSession::nodeIds() const {
    std::vector<NodeId> ids;
    for (const NodeState& node : m_nodes)
        if (!node.pendingJoin) ids.push_back(node.id);
    return ids;
}

bool NetSession::has(const NodeId& id) const {
    const NodeState* node = find(id);
    return node && !node->pendingJoin;
}

NodeStatus NetSession::status(const NodeId& id) const {
    const NodeState* node = find(id);
    return node && !node->pendingJoin ? node->status : NodeStatus::Removed;
}

Json NetSession::observe(const NodeId& id) const {
    const NodeState* node = find(id);
    return node && node->status == NodeStatus::Up ? node->observe : Json();
}

const Lab* NetSession::ownerOf(const std::string& id) const {
    for (const auto& lab : m_labs)
        if (lab->ownsNode(id)) return lab.get();
    return nullptr;
}

// --- what the driver reports ---

void NetSession::onAttached(const NodeId& id, bool sameClock) {
    NodeState* node = find(id);
    if (!node) return;
    if (node->status == NodeStatus::Removed) return;
    const bool again = (node->everAttached && node->status != NodeStatus::Up) || node->labsDown;
    const bool restarted = node->killedByUs;
    node->status = NodeStatus::Up;
    node->everAttached = true;
    node->killedByUs = false;
    node->unreachable = false;
    node->sameClock = sameClock;
    node->offset = 0;
    node->statusAskedAt.reset();
    // A restarted process has an empty filter: it gets its side of the partition shown.
    for (std::size_t g = 0; g < m_partition.size(); ++g) {
        if (std::find(m_partition[g].begin(), m_partition[g].end(), id) == m_partition[g].end()) continue;
        std::vector<NodeId> others;
        for (std::size_t h = 0; h < m_partition.size(); ++h)
            if (h != g) others.insert(others.end(), m_partition[h].begin(), m_partition[h].end());
        m_driver.sendToNode(id, Body{"admin_partition", 0, std::nullopt, Json{{"peers", others}}});
    }
    if (node->pendingJoin) return admit(id);
    if (!again) return;
    const SimTime at = now();
    m_trace.append(at, TraceKind::Restart, m_trace.intern(id));
    m_lastEventTime = at;
    // The labs follow a restart once the process listens again, so that what they send on it (a ring
    // announcement) finds it.
    std::optional<Text> said = tellLabsUp(id);
    m_notices.push_back(said ? *said
                             : restarted ? makeText(QT_TRANSLATE_NOOP("Core", "%1 is up again"), id)
                                         : makeText(QT_TRANSLATE_NOOP("Core", "%1 is reachable again"), id));
}

std::optional<Text> NetSession::tellLabsDown(const NodeId& id) {
    NodeState* node = find(id);
    if (!node || node->labsDown) return std::nullopt;
    node->labsDown = true;
    std::optional<Text> said;
    for (const auto& lab : m_labs)
        if (auto text = lab->onCrash(id); text && !said) said = std::move(text);
    return said;
}

std::optional<Text> NetSession::tellLabsUp(const NodeId& id) {
    NodeState* node = find(id);
    if (!node || !node->labsDown) return std::nullopt;
    node->labsDown = false;
    std::optional<Text> said;
    for (const auto& lab : m_labs)
        if (auto text = lab->onRestart(id); text && !said) said = std::move(text);
    return said;
}

void NetSession::onDetached(const NodeId& id, const std::string& why) {
    NodeState* node = find(id);
    if (!node || node->status == NodeStatus::Removed) return;
    // A process that ended before it was ever observed (its port was taken, say) is failed too.
    if (!node->everAttached && !node->killedByUs && !node->unreachable) return markUnreachable(*node, why);
    if (node->status != NodeStatus::Up) return;
    node->statusAskedAt.reset();
    if (node->killedByUs) {
        node->status = NodeStatus::Crashed;
        return;
    }
    markUnreachable(*node, why);
}

void NetSession::markUnreachable(NodeState& node, const std::string& why) {
    node.status = NodeStatus::Crashed;
    node.unreachable = true;
    node.why = why;
    const SimTime at = now();
    m_trace.append(at, TraceKind::Note, m_trace.intern(node.id), kNoName, m_trace.intern("unreachable: " + why));
    m_lastEventTime = at;
    m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "%1 is unreachable: %2"), node.id, why));
    // Taken for failed: the labs follow as after a crash (the ring hands its ranges on).
    const NodeId id = node.id;  // the labs may add nodes: `node` may move
    if (auto text = tellLabsDown(id)) m_notices.push_back(std::move(*text));
}

void NetSession::pollStatus() {
    const SimTime clock = m_driver.clockMicros();
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        NodeState& node = m_nodes[i];
        if (node.status == NodeStatus::Removed || node.killedByUs || !node.everAttached) continue;
        if (node.statusAskedAt) {
            // Unanswered: a stopped or overloaded process keeps its connection, but not its answers.
            if (node.status == NodeStatus::Up && clock - *node.statusAskedAt > kSuspectAfter)
                markUnreachable(m_nodes[i], "no answer for " + formatMillis(kSuspectAfter));
            continue;
        }
        if (node.status != NodeStatus::Up) continue;
        node.statusAskedAt = clock;
        m_driver.sendToNode(node.id, Body{"admin_status", 0, std::nullopt, Json::object()});
    }
}

SimTime NetSession::sessionTime(const NodeState& node, const Json& fields) const {
    const auto time = fields.find("time");
    SimTime at = now();
    if (time != fields.end() && time->is_number_integer() && plausibleClock(*time))
        at = time->get<SimTime>() + node.offset - m_startedAt;
    return std::clamp(at, m_lastEventTime, std::max(now(), m_lastEventTime));
}

std::uint32_t NetSession::nameOf(const Json& fields, const char* key) {
    const auto value = fields.find(key);
    if (value == fields.end() || !value->is_string()) return kNoName;
    return m_trace.intern(utf8Prefix(value->get<std::string>(), 200));
}

std::uint64_t NetSession::messageSeq(const Envelope& envelope, SimTime at) {
    const auto key = std::make_pair(envelope.src, envelope.body.msgId);
    if (auto found = m_messageSeqs.find(key); found != m_messageSeqs.end()) return found->second;
    const std::uint64_t seq = m_trace.addMessage(envelope, at);
    m_messageSeqs.emplace(key, seq);
    m_seqKeys.emplace(seq, std::make_pair(key, false));
    while (m_seqKeys.size() > kMessagesKeptMax) {
        m_messageSeqs.erase(m_seqKeys.begin()->second.first);
        m_open.erase(m_seqKeys.begin()->first);
        m_seqKeys.erase(m_seqKeys.begin());
    }
    return seq;
}

void NetSession::onFrame(const NodeId& id, const Envelope& envelope) {
    NodeState* node = find(id);
    if (!node) return;
    const Body& body = envelope.body;
    if (body.type == "obs_event") {
        onEvent(*node, body.fields);
        return;
    }
    if (body.type == "admin_status_ok") {
        const SimTime received = m_driver.clockMicros();
        if (node->unreachable && node->status == NodeStatus::Crashed && node->statusAskedAt) {
            // It answers again (a stopped process resumed): back, and the labs take it back.
            node->status = NodeStatus::Up;
            node->unreachable = false;
            const SimTime at = now();
            m_trace.append(at, TraceKind::Note, m_trace.intern(id), kNoName, m_trace.intern("answers again"));
            m_lastEventTime = at;
            m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "%1 answers again"), id));
            if (auto text = tellLabsUp(id)) m_notices.push_back(std::move(*text));
            node = find(id);
        }
        if (auto observe = body.fields.find("observe"); observe != body.fields.end()) node->observe = *observe;
        if (auto store = body.fields.find("store"); store != body.fields.end() && store->is_object()) {
            // The node's disk as it was when it answered: what the labs' views and checks read of it.
            MemoryStore& copy = m_stores[id];
            copy.clear();
            for (const auto& [key, value] : store->items())
                if (value.is_string()) (void)copy.put(key, value.get<std::string>());
        }
        const auto remoteNow = body.fields.find("now");
        if (!node->sameClock && node->statusAskedAt && remoteNow != body.fields.end() && remoteNow->is_number_integer() &&
            plausibleClock(*remoteNow))
            node->offset = (*node->statusAskedAt + received) / 2 - remoteNow->get<SimTime>();
        node->statusAskedAt.reset();
        return;
    }
    if (body.type == "error") {
        const auto text = body.fields.find("text");
        m_notices.push_back(makeText(QT_TRANSLATE_NOOP("Core", "%1 refused a command: %2"), id,
                                     text != body.fields.end() && text->is_string() ? utf8Prefix(text->get<std::string>(), 200) : std::string("?")));
    }
}

void NetSession::onEvent(NodeState& node, const Json& fields) {
    if (auto lost = fields.find("lost"); lost != fields.end() && lost->is_number_unsigned()) m_eventsLost += lost->get<std::uint64_t>();
    const auto kindField = fields.find("kind");
    if (kindField == fields.end() || !kindField->is_string()) return;
    const std::string& kind = kindField->get_ref<const std::string&>();
    const SimTime at = sessionTime(node, fields);
    const std::uint32_t self = m_trace.intern(node.id);
    const auto append = [&](TraceKind traceKind, std::uint32_t peer, std::uint32_t text, std::uint64_t ref) {
        m_trace.append(at, traceKind, self, peer, text, ref);
        m_lastEventTime = at;
    };
    if (kind == "join" || kind == "leave") {
        const auto id = fields.find("id");
        if (id == fields.end() || !id->is_string()) return;
        const std::string joiner = id->get<std::string>();
        if (kind == "leave") return onLeave(node.id, joiner);
        const auto address = fields.find("address");
        if (address == fields.end() || !address->is_string()) return;
        return onJoin(node.id, joiner, utf8Prefix(address->get<std::string>(), 300));
    }
    if (kind != "restart" && !m_trace.recording()) return;  // past the limit: nothing more is kept
    if (kind == "restart") {
        if (auto observe = fields.find("observe"); observe != fields.end()) node.observe = *observe;
        return;  // the attach itself: onAttached traced it when it was a restart
    }
    if (kind == "send" || kind == "deliver" || kind == "drop") {
        const auto message = fields.find("message");
        if (message == fields.end()) return;
        auto envelope = envelopeFromJson(*message);
        if (!envelope) return;
        const Envelope& e = envelope.value();
        const std::uint64_t seq = messageSeq(e, at);
        // The receiver's stream may come in before the sender's: a delivery is never traced before its send,
        // so the send is traced first, where the delivery is, and the sender's own report of it later is not.
        bool& sendTraced = m_seqKeys[seq].second;
        if (kind == "send") {
            if (!sendTraced) {
                append(TraceKind::Send, m_trace.intern(e.dest), kNoName, seq);
                m_open.emplace(seq, e.dest);
            }
            sendTraced = true;
            return;
        }
        if (!sendTraced) {
            m_trace.append(at, TraceKind::Send, m_trace.intern(e.src), m_trace.intern(e.dest), kNoName, seq);
            sendTraced = true;
        }
        m_open.erase(seq);
        if (kind == "deliver") {
            append(TraceKind::Deliver, m_trace.intern(e.src), kNoName, seq);
        } else {
            append(TraceKind::Drop, m_trace.intern(e.dest), nameOf(fields, "reason"), seq);
        }
        return;
    }
    if (kind == "state") {
        append(TraceKind::State, kNoName, nameOf(fields, "text"), 0);
        return;
    }
    if (kind == "client") {
        const auto op = fields.find("op");
        if (op == fields.end()) return;
        auto parsed = net::parseOpLogLine(op->dump());
        if (!parsed) return;
        ClientOp clientOp = std::move(parsed).value();
        clientOp.time = at;
        clientOp.process = node.id;
        append(TraceKind::Client, kNoName, kNoName, m_trace.addClientOp(std::move(clientOp)));
        return;
    }
    // cut and heal: the session traced the partition it commanded.
}

// --- the console ---

Result<Text> NetSession::killNode(const NodeId& id) {
    NodeState* node = find(id);
    if (!node) return unknownNode(id);
    if (id == m_controlId)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'ctl' is the membership service and stays up in this lab")));
    if (node->killedByUs) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is down already"), id));
    if (node->status == NodeStatus::Removed) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' was removed"), id));
    if (Status killed = m_driver.killProcess(id); !killed) return killed.error();
    node->status = NodeStatus::Crashed;
    node->killedByUs = true;
    node->unreachable = false;
    node->statusAskedAt.reset();
    const SimTime at = now();
    m_trace.append(at, TraceKind::Crash, m_trace.intern(id));
    // What was on its way to the process is lost with it, as the simulator drops it at a crash.
    const std::uint32_t reason = m_trace.intern("receiver crashed");
    for (auto it = m_open.begin(); it != m_open.end();) {
        if (it->second != id) {
            ++it;
            continue;
        }
        const std::string& src = m_trace.message(it->first).envelope.src;
        m_trace.append(at, TraceKind::Drop, m_trace.intern(src), m_trace.intern(id), reason, it->first);
        it = m_open.erase(it);
    }
    m_lastEventTime = at;
    std::optional<Text> said = tellLabsDown(id);
    return said ? std::move(*said) : makeText(QT_TRANSLATE_NOOP("Core", "killed %1"), id);
}

Result<Text> NetSession::restartNode(const NodeId& id) {
    NodeState* node = find(id);
    if (!node) return unknownNode(id);
    if (node->status == NodeStatus::Up)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is running"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "kill it first: node kill %1"), id));
    if (!node->killedByUs && !node->unreachable)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is still starting"), id));
    if (Status started = m_driver.startProcess(id); !started) return started.error();
    node->killedByUs = true;  // it counts as restarted when it attaches (onAttached)
    return makeText(QT_TRANSLATE_NOOP("Core", "starting %1 again on its data directory"), id);
}

Lab* NetSession::labFor(const Command& command) {
    // As the simulator's Session: of the labs that take it, one that runs and has nodes, else one that runs.
    const std::vector<const LabEntry*> entries = labsTaking(command);
    Lab* running = nullptr;
    for (const LabEntry* entry : entries)
        for (const auto& lab : m_labs) {
            if (lab->name() != entry->name) continue;
            for (const NodeState& node : m_nodes)
                if (lab->ownsNode(node.id)) return lab.get();
            if (!running) running = lab.get();
        }
    return running;
}

Result<CommandOutput> NetSession::execute(std::string_view line) {
    auto parsed = parseCommand(line, commandTable());
    if (!parsed) return parsed.error();
    const Command& command = parsed.value();
    const auto say = [](Text text) { return CommandOutput{text.str(), std::move(text), false, {}}; };
    if (command.is(commands::kHelp)) {
        std::vector<Text> lines = helpLines(commandTable(), command.key);
        return CommandOutput{joinLines(lines), {}, false, std::move(lines)};
    }
    if (command.is(commands::kStatus)) {
        std::vector<Text> lines;
        lines.push_back(makeText(QT_TRANSLATE_NOOP("Core", "networked: %1 processes of scenario %2, %3 trace events"),
                                 m_nodes.size(), m_scenario.name, m_trace.size()));
        for (const NodeState& node : m_nodes) {
            if (node.status == NodeStatus::Up)
                lines.push_back(makeText(QT_TRANSLATE_NOOP("Core", "  %1 up"), node.id));
            else if (node.unreachable)
                lines.push_back(makeText(QT_TRANSLATE_NOOP("Core", "  %1 unreachable (%2)"), node.id, node.why));
            else if (node.killedByUs)
                lines.push_back(makeText(QT_TRANSLATE_NOOP("Core", "  %1 down"), node.id));
            else
                lines.push_back(makeText(QT_TRANSLATE_NOOP("Core", "  %1 starting"), node.id));
        }
        return CommandOutput{joinLines(lines), {}, false, std::move(lines)};
    }
    if (command.is(commands::kNodeKill) || (command.is(commands::kCrash) && command.key.empty())) {
        auto done = killNode(command.nodes.front());
        if (!done) return done.error();
        return say(std::move(done).value());
    }
    if (command.is(commands::kNodeRestart)) {
        auto done = restartNode(command.nodes.front());
        if (!done) return done.error();
        return say(std::move(done).value());
    }
    if (command.is(commands::kPartition)) {
        if (Status cut = partition(command.groups); !cut) return cut.error();
        return say(makeText(QT_TRANSLATE_NOOP("Core", "partitioned: %1"), command.text.substr(command.text.find(' ') + 1)));
    }
    if (command.is(commands::kHeal)) {
        heal();
        return say(makeText(QT_TRANSLATE_NOOP("Core", "network healed")));
    }
    if (command.is(commands::kNodeAdd)) {
        if (command.nodes.empty())
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "name the new node: node add ID")),
                             makeText(QT_TRANSLATE_NOOP("Core", "for example: node add n9")));
        const NodeId& id = command.nodes.front();
        if (find(id)) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "there is a node '%1' already"), id));
        if (!labFor(command)) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "no lab of this scenario adds or removes nodes")));
        NodeState node;
        node.id = id;
        node.pendingJoin = true;
        m_nodes.push_back(std::move(node));
        if (Status started = m_driver.startJoiningProcess(id); !started) {
            m_nodes.pop_back();
            return started.error();
        }
        return say(makeText(QT_TRANSLATE_NOOP("Core", "starting %1: the labs add it once it has joined through ctl"), id));
    }
    if (command.is(commands::kNodeRemove)) {
        const NodeId& id = command.nodes.front();
        const NodeState* node = find(id);
        if (!node) return unknownNode(id);
        if (node->status == NodeStatus::Removed) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' was removed"), id));
        if (id == m_controlId)
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'ctl' is the membership service and stays up in this lab")));
        if (node->pendingJoin) {
            // Never joined: its process goes, and the labs never knew it.
            find(id)->status = NodeStatus::Removed;
            (void)m_driver.stopProcess(id);
            return say(makeText(QT_TRANSLATE_NOOP("Core", "stopped %1 before it joined"), id));
        }
        auto removed = runMembershipCommand(command.text.empty() ? "node remove " + id : command.text, id);
        if (!removed) return removed.error();
        return say(std::move(removed).value());
    }
    if (Lab* lab = labFor(command)) {
        auto done = lab->execute(command);
        if (!done) return done.error();
        return say(std::move(done).value());
    }
    return simulatorOnly(std::string(command.spec->name));
}

std::vector<Text> NetSession::takeNotices() { return std::exchange(m_notices, {}); }

ClusterSnapshot NetSession::snapshot() const {
    ClusterSnapshot snap;
    snap.now = now();
    snap.events = m_trace.size();
    snap.traceEvents = m_trace.size();
    snap.running = true;
    snap.networked = true;
    snap.speed = 1.0;
    snap.scenarioName = m_scenario.name;
    std::size_t clientNo = 0;
    for (const NodeState& node : m_nodes) {
        if (node.pendingJoin) continue;
        NodeView view;
        view.id = node.id;
        view.status = node.status;
        if (node.id == m_controlId) {
            view.role = NodeRole::Control;
        } else {
            const Lab* owner = ownerOf(node.id);
            view.role = owner ? owner->roleOf(node.id) : NodeRole::Client;
            if (view.role != NodeRole::Server) view.colorIndex = int(clientNo++);
        }
        m_driver.describeProcess(node.id, view.details);
        view.unreachable = node.unreachable;
        if (node.unreachable) view.details.emplace_back("unreachable", node.why);
        if (node.status == NodeStatus::Up && node.observe.is_object()) {
            for (const auto& [key, value] : node.observe.items()) {
                if (view.details.size() >= kObserveDetailsMax) break;
                view.details.emplace_back(key, shortValue(value));
            }
        }
        snap.nodes.push_back(std::move(view));
    }
    for (const auto& lab : m_labs) lab->fillSnapshot(snap);
    const auto indexOf = [&](const NodeId& id) {
        for (std::size_t i = 0; i < snap.nodes.size(); ++i)
            if (snap.nodes[i].id == id) return int(i);
        return -1;
    };
    for (const auto& group : m_partition) {
        auto& out = snap.partitions.groups.emplace_back();
        for (const NodeId& id : group) out.push_back(indexOf(id));
    }
    return snap;
}

}  // namespace distlab
