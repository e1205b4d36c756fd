#pragma once
// A session over real processes: the scenario's labs, built exactly as the simulator's Session builds them,
// command a cluster of distlab-node processes instead of a World. What the labs do to the cluster becomes
// admin commands on each node's observer connection (admin_send from the control node, admin_partition,
// admin_heal) or process control (kill, start); what the nodes do comes back as obs_events, which become
// this session's Trace, so the views, the timeline and the labs' snapshots read the same events as in the
// simulator.
//
// Time. The session's clock is the driver's monotonic clock less the moment the session started. An event's
// time is the node's own clock (core/net/node_host.h) mapped to the session's: unchanged for processes of this
// machine (one monotonic clock for all of them), and for a remote node shifted by the offset its admin_status
// answer gives, as in Cristian's algorithm (its "now" against the middle of the request's round trip). The
// streams of several nodes arrive on several connections, so an event is never placed before one already in
// the trace: a late event keeps its order of arrival and takes the time of the last one.
//
// The session owns no socket, process or thread: a driver (the GUI's, or a test's) carries its requests and
// hands it what arrives. Nothing in it reads a clock of its own.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/history/trace.h"
#include "core/labs/control_plane.h"
#include "core/labs/lab.h"
#include "core/node/durable_store.h"
#include "core/node/message.h"
#include "core/scenario/scenario.h"
#include "core/session/session.h"
#include "core/session/snapshot.h"

namespace distlab {

// What a networked session needs from outside.
class NetDriver {
public:
    virtual ~NetDriver() = default;
    // Sends an admin command (or any body) to the node over its observer connection; the driver queues it
    // while the connection is not open.
    virtual void sendToNode(const NodeId& id, Body body) = 0;
    // Ends the node's process (SIGKILL for a local one, admin_crash for a remote one).
    virtual Status killProcess(const NodeId& id) = 0;
    // Starts the node's process again, on the same data directory.
    virtual Status startProcess(const NodeId& id) = 0;
    // The machine's monotonic clock, in microseconds.
    virtual SimTime clockMicros() const = 0;
    // A new node of this machine that joins through ctl (`node add ID`).
    virtual Status startJoiningProcess(const NodeId& id) = 0;
    // A node elsewhere joined at `address` (HOST:PORT): observe it there.
    virtual Status attachRemote(const NodeId& id, const std::string& address) = 0;
    // Asks the node's process to stop (SIGTERM): a node that joined says leave first.
    virtual Status stopProcess(const NodeId& id) = 0;
    // The node left the cluster: stop observing it.
    virtual void forget(const NodeId& id) = 0;
    // Lines about the process for the inspector (its address, its pid), in display order.
    virtual void describeProcess(const NodeId& id, std::vector<std::pair<std::string, std::string>>& out) const {
        (void)id;
        (void)out;
    }
};

class NetSession final : private ControlPlane, private LabHost {
public:
    // Builds the scenario's labs; start() runs their start, which adds the nodes (ctl first) and queues what
    // they send at time 0.
    NetSession(Scenario scenario, NetDriver& driver);
    ~NetSession() override;
    NetSession(const NetSession&) = delete;
    NetSession& operator=(const NetSession&) = delete;

    Status start();
    const Scenario& scenario() const { return m_scenario; }
    // Every node the labs added, ctl first, in the order they were added.
    std::vector<NodeId> nodes() const { return nodeIds(); }

    // --- what the driver reports ---
    // The node's observer connection is open; `sameClock` when the process runs on this machine.
    void onAttached(const NodeId& id, bool sameClock);
    // The connection is gone without a kill of ours: the node is shown unreachable until it attaches again.
    void onDetached(const NodeId& id, const std::string& why);
    // A frame from the node's observer connection (obs_event, admin_status_ok, admin_ok, error).
    void onFrame(const NodeId& id, const Envelope& envelope);
    // Asks every attached node for its status (its report, its clock); call it a few times a second. It is
    // also the failure detector: a node that has not answered for kSuspectAfter is taken for failed (the labs
    // follow, as after a crash) until it answers again.
    void pollStatus();
    static constexpr SimTime kSuspectAfter = 3'000'000;
    static constexpr std::size_t kRemoteNodesMax = 64;  // nodes of other machines that may join

    // The console, with the commands that make sense on real processes in real time.
    Result<CommandOutput> execute(std::string_view line);
    // Lines for the console that the nodes' answers produced (errors to admin commands, unreachable nodes).
    std::vector<Text> takeNotices();

    SimTime now() const override;
    const Trace& trace() const override { return m_trace; }
    ClusterSnapshot snapshot() const;
    bool reachable(const NodeId& id) const;
    // obs_events the nodes could not send to us (their queue to the observer was full).
    std::uint64_t eventsLost() const { return m_eventsLost; }

private:
    struct NodeState {
        NodeId id;
        NodeStatus status = NodeStatus::Crashed;  // Up once its observer connection is open
        bool everAttached = false;
        bool killedByUs = false;   // down because of a kill command, not a lost connection
        bool unreachable = false;  // the connection was lost without a kill, or it stopped answering
        bool pendingJoin = false;  // `node add` started it: the labs add it when its join arrives
        bool labsDown = false;     // the labs were told it crashed (onCrash), and not yet that it is back
        std::string joinedAddress; // where it said it listens, when its join arrived
        std::string why;           // what the driver said when it was lost
        bool sameClock = true;
        SimTime offset = 0;        // added to the node's clock to get the driver's
        Json observe;              // the last report
        std::optional<SimTime> statusAskedAt;  // driver clock when the pending admin_status left
    };

    // ControlPlane
    Status addNode(const NodeId& id, NodeFactory factory) override;
    Status setFactory(const NodeId& id, NodeFactory factory) override;
    Status crash(const NodeId& id) override;
    Status restart(const NodeId& id) override;
    Status pause(const NodeId& id, SimTime duration) override;
    Status remove(const NodeId& id) override;
    Status partition(const std::vector<std::vector<NodeId>>& groups) override;
    void heal() override;
    Status setLink(const NodeId& from, const NodeId& to, SimTime latency, bool lossless) override;
    Status linkDefaults(const NodeId& from, const NodeId& to) override;
    Result<std::int64_t> sendFrom(const NodeId& from, const NodeId& dest, Body body) override;
    std::vector<NodeId> nodeIds() const override;
    bool has(const NodeId& id) const override;
    NodeStatus status(const NodeId& id) const override;
    Json observe(const NodeId& id) const override;
    // The node's disk as its last admin_status answer showed it (null before one came).
    const DurableStore* store(const NodeId& id) const override {
        auto found = m_stores.find(id);
        return found == m_stores.end() ? nullptr : &found->second;
    }
    // LabHost
    ControlPlane& cluster() override { return *this; }
    const std::string& controlId() const override { return m_controlId; }
    const Lab* ownerOf(const std::string& id) const override;
    std::size_t labCount() const override { return m_labs.size(); }

    NodeState* find(const NodeId& id);
    const NodeState* find(const NodeId& id) const;
    SimTime sessionTime(const NodeState& node, const Json& fields) const;  // an event's time, mapped
    std::uint32_t nameOf(const Json& fields, const char* key);
    void onEvent(NodeState& node, const Json& fields);
    std::uint64_t messageSeq(const Envelope& envelope, SimTime at);
    Result<Text> killNode(const NodeId& id);
    Result<Text> restartNode(const NodeId& id);
    Lab* labFor(const Command& command);
    void markUnreachable(NodeState& node, const std::string& why);
    void onJoin(const NodeId& via, const NodeId& id, const std::string& address);
    void onLeave(const NodeId& via, const NodeId& id);
    // The labs hear of a failure once, and of the way back once (their answer, if any).
    std::optional<Text> tellLabsDown(const NodeId& id);
    std::optional<Text> tellLabsUp(const NodeId& id);
    void admit(const NodeId& id);  // a node that joined and is observed: the labs add it
    // Runs `node add ID` / `node remove ID` on the lab that takes it, as the membership service.
    Result<Text> runMembershipCommand(const std::string& line, const NodeId& id);

    Scenario m_scenario;
    NetDriver& m_driver;
    SimTime m_startedAt = 0;  // driver clock
    std::string m_controlId;
    bool m_started = false;  // start() is done: the labs' nodes are all added
    NodeId m_admitting;      // a node whose join the labs are adding now (addNode takes it)
    NodeId m_removing;       // a node the labs are removing now (remove takes it)
    bool m_leaving = false;  // ... because it left by itself (its process is stopping already)
    std::vector<NodeState> m_nodes;  // in the order added
    std::vector<std::unique_ptr<Lab>> m_labs;
    Trace m_trace;
    SimTime m_lastEventTime = 0;
    // (sender, msg_id) -> the trace's message sequence number: the sender's send and the receiver's
    // deliver name the same message. Entries older than kMessagesKeptMax go.
    std::map<std::pair<std::string, std::int64_t>, std::uint64_t> m_messageSeqs;
    // seq -> its key and whether its send is in the trace; oldest first, for forgetting.
    std::map<std::uint64_t, std::pair<std::pair<std::string, std::int64_t>, bool>> m_seqKeys;
    std::map<std::uint64_t, NodeId> m_open;  // sends not yet delivered or dropped, and their destination
    std::vector<std::vector<NodeId>> m_partition;
    std::vector<Text> m_notices;
    std::map<NodeId, MemoryStore> m_stores;
    std::uint64_t m_eventsLost = 0;
};

}  // namespace distlab
