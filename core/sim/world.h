#pragma once
// The deterministic kernel. One event queue ordered by (time, insertion sequence), one seeded RNG with a
// forked stream per node and for the network, and a trace of everything that happens. Nothing here reads
// the wall clock, starts a thread or iterates an unordered container, so a scenario and a seed always
// give the same trace.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/node/node.h"
#include "core/base/result.h"
#include "core/sim/network.h"
#include "core/node/node_status.h"
#include "core/base/rng.h"
#include "core/history/trace.h"

namespace distlab {

struct WorldLimits {
    std::size_t nodesMax = 1024;  // at most 65536: the event queue keeps node numbers in 16 bits
    std::size_t inFlightMax = 2'000'000;     // messages on the wire at once
    // Past this the trace stops recording (with a note saying so) while the run goes on: a long session
    // at high speed must not eat the machine's memory.
    std::size_t traceEventsMax = 5'000'000;
    std::size_t traceMessageBytesMax = std::size_t(128) << 20;  // encoded JSON of the recorded messages
    std::size_t pendingTimersMax = 2'000'000;
};

struct MessageStats {
    std::uint64_t sent = 0;
    std::uint64_t delivered = 0;
    std::uint64_t dropped = 0;
    std::uint64_t duplicated = 0;
};

// A message on the wire: one per delivery attempt (a duplicate is a second delivery of the same message).
struct Delivery {
    std::uint64_t id = 0;   // delivery id, unique per run
    std::uint64_t seq = 0;  // the message's sequence number (Trace::message while the trace records)
    std::shared_ptr<const Envelope> envelope;
    NodeIndex from = 0;
    NodeIndex to = 0;
    SimTime sentAt = 0;
    SimTime deliverAt = 0;
    bool duplicate = false;
};

struct RunStats {
    std::uint64_t events = 0;
    bool limitHit = false;  // stopped by the event limit rather than by time or an empty queue
};

class World {
public:
    explicit World(std::uint64_t seed, WorldLimits limits = {});
    ~World();
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    std::uint64_t seed() const { return m_seed; }
    SimTime now() const { return m_now; }
    const WorldLimits& limits() const { return m_limits; }

    // --- membership and faults (take effect now, and are traced) ---
    Result<NodeIndex> addNode(const NodeId& id, NodeFactory factory);
    Status crash(const NodeId& id);    // volatile state and timers are lost
    Status restart(const NodeId& id);  // a fresh process on the same durable store
    Status pause(const NodeId& id, SimTime duration);  // stop-the-world: no messages or timers handled
    Status remove(const NodeId& id);
    // What the node's next restart builds its process with (a setting that must survive crashes).
    Status setFactory(const NodeId& id, NodeFactory factory);
    Status partition(const std::vector<std::vector<NodeId>>& groups);
    Status cut(const NodeId& from, const NodeId& to);
    void heal();
    void note(std::string_view text);  // a free-form marker in the trace
    // Sends a message on behalf of an Up node, as if its code had called send (used by the control plane
    // and tests). Returns the msg_id.
    Result<std::int64_t> sendFrom(const NodeId& from, const NodeId& dest, Body body);

    // --- inspection ---
    std::optional<NodeIndex> indexOf(const NodeId& id) const;
    const NodeId& nameOf(NodeIndex index) const;
    std::size_t nodeCount() const { return m_nodes.size(); }  // includes removed nodes
    NodeStatus status(NodeIndex index) const;
    SimTime pausedUntil(NodeIndex index) const;
    Node* node(NodeIndex index);  // nullptr while crashed or removed
    const Node* node(NodeIndex index) const;
    // The node's report (Node::observe) at the current time; null while it is crashed or removed.
    Json observe(NodeIndex index) const;
    MemoryStore& store(NodeIndex index);
    const MemoryStore& store(NodeIndex index) const;
    Network& network() { return m_network; }
    const Network& network() const { return m_network; }
    Trace& trace() { return m_trace; }
    const Trace& trace() const { return m_trace; }
    const MessageStats& messageStats() const { return m_stats; }
    const std::map<std::uint64_t, Delivery>& inFlight() const { return m_inFlight; }
    std::size_t pendingEvents() const { return m_queue.size(); }
    std::optional<SimTime> nextEventTime() const;
    std::uint64_t eventsProcessed() const { return m_eventsProcessed; }

    // --- running ---
    bool step();  // handles the next event; false when there is none
    RunStats runUntil(SimTime until, std::uint64_t eventsMax);
    RunStats runEvents(std::uint64_t eventsMax);
    // Runs an action at a simulated time (scenario schedules, workload generators).
    void schedule(SimTime at, std::function<void(World&)> action);

    // --- checkpoints, for time travel ---
    // A copy of everything the run's future depends on: nodes (through Node::clone), disks, timers, the
    // queue, the messages on the wire, the network and every random stream. Of the trace it keeps only a
    // mark, since the trace up to that point never changes. Null when a live node cannot be copied.
    class Checkpoint;
    std::shared_ptr<const Checkpoint> checkpoint() const;
    // Puts the world back at a checkpoint of its own past, or forward at one of the future the trace
    // retains (see Trace::moveTo), and moves the trace there. Readers that follow the trace incrementally
    // compare restores() to know when to start over.
    bool canRestore(const Checkpoint& checkpoint) const;
    void restore(const Checkpoint& checkpoint);
    std::uint64_t restores() const { return m_restores; }

private:
    enum class EventKind : std::uint8_t { Deliver, Timer, Resume, Action };
    // 24 bytes, as the heap moves these around all the time. `key` packs the insertion sequence (high
    // 40 bits: simultaneous events keep FIFO order, and it makes every key unique), the node (16 bits)
    // and the kind (8 bits), so ordering by (time, key) is ordering by (time, insertion sequence).
    static constexpr std::uint64_t kOrderMax = std::uint64_t(1) << 40;
    struct Event {
        SimTime time;
        std::uint64_t key;
        std::uint64_t ref;
        NodeIndex node() const { return NodeIndex((key >> 8) & 0xffffu); }
        EventKind kind() const { return EventKind(key & 0xffu); }
    };
    struct EventLater {
        bool operator()(const Event& a, const Event& b) const {
            return a.time != b.time ? a.time > b.time : a.key > b.key;
        }
    };
    // Timer slots are reused once their event has left the queue; a TimerId is (generation << 32 | slot + 1),
    // so a stale id never cancels a newer timer in the same slot.
    struct TimerRecord {
        NodeIndex node;
        std::uint32_t incarnation;
        std::uint32_t tag;
        std::uint32_t generation;
        bool cancelled;
        bool free;
    };
    TimerRecord* timerFor(TimerId id);
    void releaseTimer(TimerId id);
    class NodeContext;
    struct NodeRecord;
    struct NodeSlot;

    void push(SimTime time, EventKind kind, NodeIndex node, std::uint64_t ref);
    void dispatch(const Event& event);
    void deliver(const Event& event);
    void fireTimer(const Event& event);
    bool deferIfPaused(const Event& event);
    std::int64_t send(NodeIndex from, const NodeId& dest, Body body);
    void scheduleDelivery(const std::shared_ptr<const Envelope>& envelope, std::uint64_t seq, NodeIndex from,
                          NodeIndex to, bool duplicate);
    void dropMessage(std::uint64_t seq, NodeIndex from, NodeIndex to, std::string_view reason);
    TimerId setTimer(NodeIndex node, SimTime delay, std::string_view tag);
    void cancelTimer(NodeIndex node, TimerId id);
    void startNode(NodeIndex index);
    // Runs a node's handler; a StoreFailure out of it stops the node (traced as "halted: ..." then a crash).
    template <class Handler>
    void runHandler(NodeIndex index, Handler&& handler);
    void stopProcess(NodeIndex index);  // the process dies: crash, or a halt
    Result<NodeIndex> lookup(const NodeId& id) const;
    void traceEvent(TraceKind kind, NodeIndex node, std::uint32_t peer = kNoName, std::uint32_t text = kNoName,
                    std::uint64_t ref = 0);

    std::uint64_t m_seed;
    WorldLimits m_limits;
    Rng m_root;
    Rng m_netRng;
    SimTime m_now = 0;
    std::uint64_t m_order = 0;
    std::uint64_t m_eventsProcessed = 0;
    std::uint64_t m_restores = 0;
    std::vector<Event> m_queue;  // a binary heap under EventLater
    std::vector<std::unique_ptr<NodeSlot>> m_nodes;
    std::map<NodeId, NodeIndex> m_index;
    std::vector<TimerRecord> m_timers;     // slots, live and free
    std::vector<std::uint32_t> m_freeTimers;  // free slots, reused last-in first-out
    std::size_t m_pendingTimers = 0;
    std::map<std::uint64_t, Delivery> m_inFlight;
    std::uint64_t m_nextDelivery = 1;
    std::uint64_t m_nextMessageSeq = 0;
    std::vector<std::function<void(World&)>> m_actions;
    Network m_network;
    MessageStats m_stats;
    Trace m_trace;
};

}  // namespace distlab
