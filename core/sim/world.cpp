#include "core/sim/world.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace distlab {

// A broken kernel invariant stops the run with enough to reproduce it; it stays on in release builds.
#define DISTLAB_ASSERT(cond, world, what)                                                           \
    do {                                                                                            \
        if (!(cond)) {                                                                              \
            std::fprintf(stderr, "distlab: invariant failed: %s (%s) seed=%llu t=%lldus\n", what, #cond, \
                         static_cast<unsigned long long>((world).m_seed),                           \
                         static_cast<long long>((world).m_now));                                    \
            std::abort();                                                                           \
        }                                                                                           \
    } while (0)

// What the world knows of a node besides its process: copied as it is into checkpoints.
struct World::NodeRecord {
    NodeId id;
    std::uint32_t nameId = kNoName;
    NodeFactory factory;
    MemoryStore store;
    Rng rng;
    NodeStatus status = NodeStatus::Up;
    SimTime pausedUntil = 0;
    std::uint32_t incarnation = 0;
    std::int64_t nextMsgId = 1;
};

struct World::NodeSlot : NodeRecord {
    std::unique_ptr<Node> node;  // the process: null while crashed or removed
    std::unique_ptr<NodeContext> context;
};

class World::NodeContext final : public Context {
public:
    NodeContext(World& world, NodeIndex index) : m_world(world), m_index(index) {}
    SimTime now() const override { return m_world.m_now; }
    const NodeId& self() const override { return m_world.m_nodes[m_index]->id; }
    std::int64_t send(const NodeId& dest, Body body) override { return m_world.send(m_index, dest, std::move(body)); }
    TimerId setTimer(SimTime delay, std::string_view tag) override { return m_world.setTimer(m_index, delay, tag); }
    void cancelTimer(TimerId id) override { m_world.cancelTimer(m_index, id); }
    Rng& rng() override { return m_world.m_nodes[m_index]->rng; }
    DurableStore& durable() override { return m_world.m_nodes[m_index]->store; }
    void traceState(std::string_view state) override {
        m_world.traceEvent(TraceKind::State, m_index, kNoName, m_world.m_trace.intern(state));
    }
    void recordOp(OpPhase phase, std::int64_t opId, std::string_view f, Json value) override {
        if (!m_world.m_trace.recording()) return;  // the history is part of the trace, and stops with it
        ClientOp op{m_world.m_now, self(), opId, phase, std::string(f), std::move(value)};
        const std::size_t opIndex = m_world.m_trace.addClientOp(std::move(op));
        m_world.traceEvent(TraceKind::Client, m_index, kNoName, kNoName, opIndex);
    }

private:
    World& m_world;
    NodeIndex m_index;
};

World::World(std::uint64_t seed, WorldLimits limits)
    : m_seed(seed), m_limits(limits), m_root(seed), m_netRng(m_root.fork("network")) {
    m_limits.nodesMax = std::min<std::size_t>(m_limits.nodesMax, 0x10000);  // node numbers are 16-bit in the queue
    m_trace.setSeed(seed);
    m_trace.setEventsMax(limits.traceEventsMax);
    m_trace.setMessageBytesMax(limits.traceMessageBytesMax);
}

World::~World() = default;

void World::traceEvent(TraceKind kind, NodeIndex node, std::uint32_t peer, std::uint32_t text, std::uint64_t ref) {
    if (!m_trace.recording()) return;
    const std::uint32_t nodeName = node < m_nodes.size() ? m_nodes[node]->nameId : kNoName;
    m_trace.append(m_now, kind, nodeName, peer, text, ref);
}

void World::push(SimTime time, EventKind kind, NodeIndex node, std::uint64_t ref) {
    DISTLAB_ASSERT(m_order < kOrderMax && node <= 0xffffu, *this, "event queue key overflow");
    m_queue.push_back(Event{time, (m_order++ << 24) | (std::uint64_t(node) << 8) | std::uint64_t(kind), ref});
    std::push_heap(m_queue.begin(), m_queue.end(), EventLater{});
}

std::optional<SimTime> World::nextEventTime() const {
    if (m_queue.empty()) return std::nullopt;
    return m_queue.front().time;
}

Result<NodeIndex> World::lookup(const NodeId& id) const {
    auto it = m_index.find(id);
    if (it == m_index.end()) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id), makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
    return it->second;
}

std::optional<NodeIndex> World::indexOf(const NodeId& id) const {
    auto it = m_index.find(id);
    if (it == m_index.end()) return std::nullopt;
    return it->second;
}

const NodeId& World::nameOf(NodeIndex index) const { return m_nodes.at(index)->id; }
NodeStatus World::status(NodeIndex index) const { return m_nodes.at(index)->status; }
SimTime World::pausedUntil(NodeIndex index) const { return m_nodes.at(index)->pausedUntil; }
Node* World::node(NodeIndex index) { return m_nodes.at(index)->node.get(); }
const Node* World::node(NodeIndex index) const { return m_nodes.at(index)->node.get(); }
Json World::observe(NodeIndex index) const {
    const Node* process = node(index);
    return process ? process->observe(m_now) : Json();
}
MemoryStore& World::store(NodeIndex index) { return m_nodes.at(index)->store; }
const MemoryStore& World::store(NodeIndex index) const { return m_nodes.at(index)->store; }

Result<NodeIndex> World::addNode(const NodeId& id, NodeFactory factory) {
    if (id.empty()) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "a node needs a non-empty id")));
    if (auto existing = m_index.find(id); existing != m_index.end()) {
        NodeSlot& slot = *m_nodes[existing->second];
        if (slot.status != NodeStatus::Removed)
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' already exists"), id),
                             makeText(QT_TRANSLATE_NOOP("Core", "pick another id")));
        // A removed name may come back: as a new machine, with an empty disk.
        slot.factory = std::move(factory);
        slot.store.clear();
        traceEvent(TraceKind::NodeAdd, existing->second);
        startNode(existing->second);
        return existing->second;
    }
    if (m_nodes.size() >= m_limits.nodesMax)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot add '%1': the limit of %2 nodes is reached"), id, m_limits.nodesMax));
    if (!factory) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' has no factory"), id));
    const auto index = static_cast<NodeIndex>(m_nodes.size());
    auto slot = std::make_unique<NodeSlot>();
    slot->id = id;
    slot->nameId = m_trace.intern(id);
    slot->factory = std::move(factory);
    slot->rng = m_root.fork("node:" + id);
    m_nodes.push_back(std::move(slot));
    m_nodes.back()->context = std::make_unique<NodeContext>(*this, index);
    m_index.emplace(id, index);
    traceEvent(TraceKind::NodeAdd, index);
    startNode(index);
    return index;
}

void World::startNode(NodeIndex index) {
    NodeSlot& slot = *m_nodes[index];
    slot.node = slot.factory();
    DISTLAB_ASSERT(slot.node != nullptr, *this, "node factory returned null");
    slot.status = NodeStatus::Up;
    slot.pausedUntil = 0;  // a new process was never paused
    runHandler(index, [&] { slot.node->onStart(*slot.context); });
}

template <class Handler>
void World::runHandler(NodeIndex index, Handler&& handler) {
    try {
        handler();
    } catch (const StoreFailure& failure) {
        // The disk cannot keep the node's promises: it stops, saying why, as a real process would exit.
        // Its restart reads the same disk and stops again until the record is repaired or removed.
        traceEvent(TraceKind::State, index, kNoName, m_trace.intern(std::string("halted: ") + failure.what()));
        stopProcess(index);
    }
}

void World::stopProcess(NodeIndex index) {
    NodeSlot& slot = *m_nodes[index];
    // Volatile state goes with the process object; timers die with its incarnation.
    slot.node.reset();
    slot.incarnation++;
    slot.status = NodeStatus::Crashed;
    slot.pausedUntil = 0;
    traceEvent(TraceKind::Crash, index);
}

Status World::crash(const NodeId& id) {
    auto index = lookup(id);
    if (!index) return index.error();
    NodeSlot& slot = *m_nodes[index.value()];
    if (slot.status == NodeStatus::Crashed) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' is already down"), id),
                                                            makeText(QT_TRANSLATE_NOOP("Core", "restart it with 'node restart %1'"), id));
    if (slot.status == NodeStatus::Removed) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' was removed"), id));
    stopProcess(index.value());
    return Ok{};
}

Status World::restart(const NodeId& id) {
    auto index = lookup(id);
    if (!index) return index.error();
    NodeSlot& slot = *m_nodes[index.value()];
    if (slot.status != NodeStatus::Crashed)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' is not down"), id), makeText(QT_TRANSLATE_NOOP("Core", "only a crashed node can be restarted")));
    traceEvent(TraceKind::Restart, index.value());
    startNode(index.value());
    return Ok{};
}

Status World::pause(const NodeId& id, SimTime duration) {
    auto index = lookup(id);
    if (!index) return index.error();
    NodeSlot& slot = *m_nodes[index.value()];
    if (duration <= 0) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "a pause needs a positive duration")));
    if (slot.status != NodeStatus::Up && slot.status != NodeStatus::Paused)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' is not running"), id), makeText(QT_TRANSLATE_NOOP("Core", "restart it first")));
    const SimTime until = std::max(slot.pausedUntil, m_now + duration);
    slot.status = NodeStatus::Paused;
    slot.pausedUntil = until;
    traceEvent(TraceKind::Pause, index.value(), kNoName, kNoName, static_cast<std::uint64_t>(duration));
    push(until, EventKind::Resume, index.value(), slot.incarnation);
    return Ok{};
}

Status World::remove(const NodeId& id) {
    auto index = lookup(id);
    if (!index) return index.error();
    NodeSlot& slot = *m_nodes[index.value()];
    if (slot.status == NodeStatus::Removed) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' was already removed"), id));
    slot.node.reset();
    slot.incarnation++;
    slot.status = NodeStatus::Removed;
    slot.pausedUntil = 0;
    traceEvent(TraceKind::NodeRemove, index.value());
    return Ok{};
}

Status World::setFactory(const NodeId& id, NodeFactory factory) {
    auto index = lookup(id);
    if (!index) return index.error();
    if (!factory) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' has no factory"), id));
    m_nodes[index.value()]->factory = std::move(factory);
    return Ok{};
}

Status World::partition(const std::vector<std::vector<NodeId>>& groups) {
    if (groups.size() < 2) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "a partition needs at least two groups")));
    std::vector<std::vector<NodeIndex>> indexGroups;
    std::string text;
    for (const auto& group : groups) {
        auto& out = indexGroups.emplace_back();
        if (!text.empty()) text += " | ";
        for (std::size_t i = 0; i < group.size(); ++i) {
            auto index = lookup(group[i]);
            if (!index) return index.error();
            out.push_back(index.value());
            text += (i ? "," : "") + group[i];
        }
    }
    m_network.heal();
    m_network.partition(indexGroups);
    m_trace.append(m_now, TraceKind::Partition, kNoName, kNoName, m_trace.intern(text));
    return Ok{};
}

Status World::cut(const NodeId& from, const NodeId& to) {
    auto a = lookup(from);
    if (!a) return a.error();
    auto b = lookup(to);
    if (!b) return b.error();
    if (a.value() == b.value()) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot cut a node from itself")));
    m_network.cut(a.value(), b.value());
    traceEvent(TraceKind::Cut, a.value(), m_nodes[b.value()]->nameId);
    return Ok{};
}

void World::heal() {
    m_network.heal();
    m_trace.append(m_now, TraceKind::Heal, kNoName);
}

void World::note(std::string_view text) { m_trace.append(m_now, TraceKind::Note, kNoName, kNoName, m_trace.intern(text)); }

Result<std::int64_t> World::sendFrom(const NodeId& from, const NodeId& dest, Body body) {
    auto index = lookup(from);
    if (!index) return index.error();
    if (m_nodes[index.value()]->status != NodeStatus::Up) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' is not up"), from));
    return send(index.value(), dest, std::move(body));
}

std::int64_t World::send(NodeIndex from, const NodeId& dest, Body body) {
    NodeSlot& sender = *m_nodes[from];
    body.msgId = sender.nextMsgId++;
    const std::int64_t msgId = body.msgId;
    const std::uint64_t seq = m_nextMessageSeq++;
    auto envelope = std::make_shared<const Envelope>(Envelope{sender.id, dest, std::move(body)});
    if (m_trace.recording()) m_trace.addMessage(*envelope, m_now);  // bounded by events and by bytes
    m_stats.sent++;
    traceEvent(TraceKind::Send, from, m_trace.intern(dest), kNoName, seq);

    auto to = indexOf(dest);
    if (!to) {
        m_stats.dropped++;
        traceEvent(TraceKind::Drop, from, m_trace.intern(dest), m_trace.intern("unknown destination"), seq);
        return msgId;
    }
    if (m_network.blocked(from, *to)) {
        dropMessage(seq, from, *to, "partition");
        return msgId;
    }
    const LinkConfig& link = m_network.link(from, *to);
    if (m_netRng.chance(link.dropRate)) {
        dropMessage(seq, from, *to, "loss");
        return msgId;
    }
    scheduleDelivery(envelope, seq, from, *to, false);
    if (m_netRng.chance(link.duplicateRate)) {
        m_stats.duplicated++;
        traceEvent(TraceKind::Duplicate, from, m_nodes[*to]->nameId, kNoName, seq);
        scheduleDelivery(envelope, seq, from, *to, true);
    }
    return msgId;
}

void World::scheduleDelivery(const std::shared_ptr<const Envelope>& envelope, std::uint64_t seq, NodeIndex from,
                             NodeIndex to, bool duplicate) {
    if (m_inFlight.size() >= m_limits.inFlightMax) {
        dropMessage(seq, from, to, "network queue full");
        return;
    }
    const LinkConfig& link = m_network.link(from, to);
    SimTime at = m_now + m_netRng.uniform(link.latencyMin, link.latencyMax + 1);
    SimTime& last = m_network.lastDelivery(from, to);
    if (m_netRng.chance(link.reorderRate)) {
        // This one is held back by an extra delay, and the messages after it do not wait for it: they
        // may overtake it. It does not move the link's FIFO mark.
        at += m_netRng.uniform(0, link.latencyMax + 1);
    } else {
        at = std::max(at, last);  // FIFO on the link, as over one TCP connection
        last = at;
    }
    const std::uint64_t id = m_nextDelivery++;
    m_inFlight.emplace(id, Delivery{id, seq, envelope, from, to, m_now, at, duplicate});
    push(at, EventKind::Deliver, to, id);
}

void World::dropMessage(std::uint64_t seq, NodeIndex from, NodeIndex to, std::string_view reason) {
    m_stats.dropped++;
    traceEvent(TraceKind::Drop, from, m_nodes[to]->nameId, m_trace.intern(reason), seq);
}

TimerId World::setTimer(NodeIndex node, SimTime delay, std::string_view tag) {
    NodeSlot& slot = *m_nodes[node];
    DISTLAB_ASSERT(m_pendingTimers < m_limits.pendingTimersMax, *this, "too many pending timers");
    const std::uint32_t tagId = m_trace.intern(tag);
    std::uint32_t index;
    if (!m_freeTimers.empty()) {
        index = m_freeTimers.back();
        m_freeTimers.pop_back();
    } else {
        index = static_cast<std::uint32_t>(m_timers.size());
        m_timers.push_back(TimerRecord{0, 0, 0, 0, false, true});
    }
    TimerRecord& timer = m_timers[index];
    timer = TimerRecord{node, slot.incarnation, tagId, timer.generation + 1, false, false};
    const TimerId id = (TimerId(std::uint32_t(timer.generation - 1)) << 32) | (index + 1);
    m_pendingTimers++;
    traceEvent(TraceKind::TimerSet, node, kNoName, tagId, id);
    push(m_now + std::max<SimTime>(delay, 0), EventKind::Timer, node, id);
    return id;
}

void World::cancelTimer(NodeIndex node, TimerId id) {
    TimerRecord* found = timerFor(id);
    if (!found) return;
    TimerRecord& timer = *found;
    if (timer.node != node || timer.cancelled || timer.incarnation != m_nodes[node]->incarnation) return;
    timer.cancelled = true;
    traceEvent(TraceKind::TimerCancel, node, kNoName, timer.tag, id);
}

World::TimerRecord* World::timerFor(TimerId id) {
    const std::uint64_t index = (id & 0xffffffffu);
    if (index == 0 || index > m_timers.size()) return nullptr;
    TimerRecord& timer = m_timers[index - 1];
    // Generations are 32-bit and wrap; compare them as such.
    if (timer.free || timer.generation != std::uint32_t((id >> 32) + 1)) return nullptr;
    return &timer;
}

void World::releaseTimer(TimerId id) {
    TimerRecord* timer = timerFor(id);
    if (!timer) return;
    timer->free = true;
    m_freeTimers.push_back(static_cast<std::uint32_t>((id & 0xffffffffu) - 1));
    m_pendingTimers--;
}

void World::schedule(SimTime at, std::function<void(World&)> action) {
    m_actions.push_back(std::move(action));
    push(std::max(at, m_now), EventKind::Action, 0, m_actions.size() - 1);
}

class World::Checkpoint {
public:
    struct Slot {
        NodeRecord record;
        std::unique_ptr<Node> node;  // null while crashed or removed
    };
    Rng root;
    Rng netRng;
    SimTime now = 0;
    std::uint64_t order = 0;
    std::uint64_t eventsProcessed = 0;
    std::vector<Event> queue;
    std::vector<Slot> nodes;
    std::map<NodeId, NodeIndex> index;
    std::vector<TimerRecord> timers;
    std::vector<std::uint32_t> freeTimers;
    std::size_t pendingTimers = 0;
    std::map<std::uint64_t, Delivery> inFlight;  // envelopes are immutable and shared
    std::uint64_t nextDelivery = 1;
    std::uint64_t nextMessageSeq = 0;
    std::vector<std::function<void(World&)>> actions;
    Network network;
    MessageStats stats;
    Trace::Mark trace;
};

std::shared_ptr<const World::Checkpoint> World::checkpoint() const {
    auto cp = std::make_shared<Checkpoint>();
    cp->nodes.reserve(m_nodes.size());
    for (const auto& slot : m_nodes) {
        Checkpoint::Slot copy{static_cast<const NodeRecord&>(*slot), nullptr};
        if (slot->node) {
            copy.node = slot->node->clone();
            if (!copy.node) return nullptr;
        }
        cp->nodes.push_back(std::move(copy));
    }
    cp->root = m_root;
    cp->netRng = m_netRng;
    cp->now = m_now;
    cp->order = m_order;
    cp->eventsProcessed = m_eventsProcessed;
    cp->queue = m_queue;
    cp->index = m_index;
    cp->timers = m_timers;
    cp->freeTimers = m_freeTimers;
    cp->pendingTimers = m_pendingTimers;
    cp->inFlight = m_inFlight;
    cp->nextDelivery = m_nextDelivery;
    cp->nextMessageSeq = m_nextMessageSeq;
    cp->actions = m_actions;
    cp->network = m_network;
    cp->stats = m_stats;
    cp->trace = m_trace.mark();
    return cp;
}

bool World::canRestore(const Checkpoint& cp) const { return m_trace.reaches(cp.trace); }

void World::restore(const Checkpoint& cp) {
    DISTLAB_ASSERT(canRestore(cp), *this, "a checkpoint from outside this run's past and retained future");
    m_nodes.resize(std::min(m_nodes.size(), cp.nodes.size()));
    for (std::size_t i = 0; i < cp.nodes.size(); ++i) {
        if (i == m_nodes.size()) {
            m_nodes.push_back(std::make_unique<NodeSlot>());
            m_nodes.back()->context = std::make_unique<NodeContext>(*this, static_cast<NodeIndex>(i));
        }
        NodeSlot& slot = *m_nodes[i];
        const Checkpoint::Slot& saved = cp.nodes[i];
        static_cast<NodeRecord&>(slot) = saved.record;
        slot.node = saved.node ? saved.node->clone() : nullptr;
    }
    m_root = cp.root;
    m_netRng = cp.netRng;
    m_now = cp.now;
    m_order = cp.order;
    m_eventsProcessed = cp.eventsProcessed;
    m_queue = cp.queue;
    m_index = cp.index;
    m_timers = cp.timers;
    m_freeTimers = cp.freeTimers;
    m_pendingTimers = cp.pendingTimers;
    m_inFlight = cp.inFlight;
    m_nextDelivery = cp.nextDelivery;
    m_nextMessageSeq = cp.nextMessageSeq;
    m_actions = cp.actions;
    m_network = cp.network;
    m_stats = cp.stats;
    m_trace.moveTo(cp.trace);
    ++m_restores;
}

bool World::deferIfPaused(const Event& event) {
    NodeSlot& slot = *m_nodes[event.node()];
    if (slot.status != NodeStatus::Paused) return false;
    // A stopped process handles nothing; the work waits until it resumes, in its original order.
    push(slot.pausedUntil, event.kind(), event.node(), event.ref);
    return true;
}

void World::deliver(const Event& event) {
    auto it = m_inFlight.find(event.ref);
    DISTLAB_ASSERT(it != m_inFlight.end(), *this, "delivery of an unknown message");
    NodeSlot& slot = *m_nodes[event.node()];
    if (slot.status == NodeStatus::Paused) {
        deferIfPaused(event);
        return;
    }
    const Delivery delivery = it->second;
    m_inFlight.erase(it);
    if (slot.status != NodeStatus::Up) {
        dropMessage(delivery.seq, delivery.from, delivery.to, "node down");
        return;
    }
    if (m_network.blocked(delivery.from, delivery.to)) {
        dropMessage(delivery.seq, delivery.from, delivery.to, "partition");
        return;
    }
    m_stats.delivered++;
    traceEvent(TraceKind::Deliver, delivery.to, m_nodes[delivery.from]->nameId, kNoName, delivery.seq);
    // Our copy of the envelope keeps it alive during the handler.
    runHandler(delivery.to, [&] { slot.node->onMessage(*slot.context, *delivery.envelope); });
}

void World::fireTimer(const Event& event) {
    TimerRecord* found = timerFor(event.ref);
    DISTLAB_ASSERT(found != nullptr, *this, "a queued timer lost its record");
    const TimerRecord timer = *found;
    NodeSlot& slot = *m_nodes[event.node()];
    if (timer.cancelled || timer.incarnation != slot.incarnation || slot.status == NodeStatus::Crashed ||
        slot.status == NodeStatus::Removed) {
        releaseTimer(event.ref);  // cancelled, or died with its process
        return;
    }
    if (deferIfPaused(event)) return;
    releaseTimer(event.ref);  // fired: a later cancel with this id is a no-op
    traceEvent(TraceKind::TimerFire, event.node(), kNoName, timer.tag, event.ref);
    runHandler(event.node(), [&] { slot.node->onTimer(*slot.context, event.ref, m_trace.name(timer.tag)); });
}

void World::dispatch(const Event& event) {
    switch (event.kind()) {
        case EventKind::Deliver: deliver(event); break;
        case EventKind::Timer: fireTimer(event); break;
        case EventKind::Resume: {
            NodeSlot& slot = *m_nodes[event.node()];
            if (slot.status == NodeStatus::Paused && slot.incarnation == event.ref && slot.pausedUntil <= m_now) {
                slot.status = NodeStatus::Up;
                slot.pausedUntil = 0;
                traceEvent(TraceKind::Resume, event.node());
            }
            break;
        }
        case EventKind::Action: {
            auto action = std::move(m_actions[event.ref]);
            m_actions[event.ref] = nullptr;
            if (action) action(*this);
            break;
        }
    }
}

bool World::step() {
    if (m_queue.empty()) return false;
    std::pop_heap(m_queue.begin(), m_queue.end(), EventLater{});
    const Event event = m_queue.back();
    m_queue.pop_back();
    DISTLAB_ASSERT(event.time >= m_now, *this, "time went backwards");
    m_now = event.time;
    m_eventsProcessed++;
    dispatch(event);
    return true;
}

RunStats World::runUntil(SimTime until, std::uint64_t eventsMax) {
    RunStats stats;
    while (!m_queue.empty() && m_queue.front().time <= until) {
        if (stats.events >= eventsMax) {
            stats.limitHit = true;
            return stats;
        }
        step();
        stats.events++;
    }
    m_now = std::max(m_now, until);
    return stats;
}

RunStats World::runEvents(std::uint64_t eventsMax) {
    RunStats stats;
    while (stats.events < eventsMax && step()) stats.events++;
    stats.limitHit = stats.events == eventsMax && !m_queue.empty();
    return stats;
}

}  // namespace distlab
