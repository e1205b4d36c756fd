#pragma once
// One node of a cluster as a real process: the same protocol class the simulator runs (core/node/node.h),
// given a Context whose time is the machine's monotonic clock, whose timers are Asio timers, whose disk is a
// FileStore and whose messages travel over TCP connections (connection.h).
//
// - Listening: on the configured address. Without a cluster key only a loopback address is allowed.
// - Sending: a message to a peer goes on an open connection to it (the one this node opened, else one the
//   peer opened), else opens one to the peer's configured address and waits in its queue. A message nobody
//   can carry (no address, a full queue, the peer in its reconnect backoff) is dropped, as a network drops
//   it: protocols already retry. A failed connection waits 50 ms, doubling to at most 5 s, before the next.
// - Durability: FileStore writes are synced before put returns, so a handler's writes are on the disk before
//   any message it sent leaves (messages are written after the handler returns). SIGKILL loses nothing
//   acknowledged. A store failure stops the process (exit 3), as it stops a simulated node.
// - Limits: at most connectionsMax connections; at most handshakesMax of them still authenticating (a new
//   one then closes the oldest, so idle sockets cannot lock a good client out).
// - Message ids start at the monotonic clock in microseconds, so a restarted process never reuses one (until
//   the machine reboots and its clock starts again: replies to messages from before are long gone by then).
//
// Observer and admin stream. A connection that authenticates as an observer (the GUI) receives, as
// obs_event bodies, the node's part of the trace with the simulator's event kinds (core/history/trace.h):
//   {"kind": "restart", "time", "node", "observe": ...}         once, when the observer attaches
//   {"kind": "send" | "deliver" | "drop", "time", "node", "message": ENVELOPE, "reason" (drop only)}
//   {"kind": "state", "time", "node", "text"}                   Context::traceState
//   {"kind": "client", "time", "node", "op": OP}                 Context::recordOp, as op_log.h writes it
//   {"kind": "cut" | "heal", "time", "node", "peers": [...]}     the node's partition filter changed
//   {"kind": "join", "time", "node", "id", "address"}            a node joined through this one
//   {"kind": "leave", "time", "node", "id"}                      a node left through this one
// `time` is the node's monotonic clock in microseconds: one clock for every process of a machine. An observer
// on another machine maps it to its own clock with the offset admin_status reports (its "now", taken when
// the answer leaves, against the observer's receive time less half the round trip). Events an observer's
// full queue cannot take are counted, and the next event it receives says how many in "lost".
// An observer may also send (other roles get error 10, not-supported):
//   admin_status                  -> admin_status_ok {now, observe, store: {key: value}, store_complete,
//                                    peers: {id: "open" | "connecting"}, counters}; store is the node's disk
//                                    up to 512 records / 256 KiB of UTF-8 text (store_complete says all of it)
//   admin_partition {peers: [..]} -> admin_ok; from now on messages to and from these peers are dropped
//   admin_heal                    -> admin_ok; the filter is empty again
//   admin_send {dest, body}       -> admin_ok {sent_msg_id}; the node sends body to dest as its own message
//   admin_peer {id, address}      -> admin_ok; the address of a node (null: forget it), as a join teaches it
//   admin_crash                   -> the process ends at once (exit 4), as SIGKILL would end it
// and any other message, which the node handles as it would from another node.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "core/net/connection.h"
#include "core/net/op_log.h"
#include "core/node/node.h"

namespace distlab::net {

enum class LogLevel { Error, Warn, Info, Debug };
std::optional<LogLevel> logLevelNamed(std::string_view name);

struct Endpoint {
    std::string host;
    std::string port;
};
// "HOST:PORT" (HOST may be a name, an IPv4 address or [IPv6]).
Result<Endpoint> parseEndpoint(std::string_view text);

struct NodeHostConfig {
    NodeId id;
    Endpoint listen{"127.0.0.1", "0"};
    std::map<NodeId, Endpoint> peers;
    // A node that joins a running cluster: the address of any member (ctl, usually). The node sends it
    // `join {address}`; the member learns the address, answers `join_ok {peers}` with every address it knows,
    // and tells its observers, whose labs then add the node. At a stop the node sends `leave` first.
    std::optional<Endpoint> join;
    // The address the others reach this node at (default: the listen address, unless that is 0.0.0.0 or ::).
    std::optional<Endpoint> advertise;
    std::optional<ClusterKey> key;
    std::string dataDir;  // empty: the state lives in memory and a restart loses it
    std::string historyPath;  // where client operations are appended (op_log.h); empty: only logged
    ConnectionLimits limits;
    std::size_t connectionsMax = 4096;
    std::size_t handshakesMax = 256;
    LogLevel logLevel = LogLevel::Info;
};

class NodeHost final : public ConnectionOwner {
public:
    NodeHost(asio::io_context& io, NodeHostConfig config, NodeFactory factory);
    ~NodeHost() override;

    // Opens the store, binds and starts the node. An error says what and what to do.
    Status start();
    // Stops accepting, closes every connection and ends the event loop.
    void stop();
    // A node that joined says `leave` to the member it joined through, then stops (at most kLeaveWait later).
    void leaveAndStop();
    static constexpr auto kLeaveWait = std::chrono::milliseconds(300);
    std::uint16_t port() const { return m_port; }
    static constexpr int kExitCrashedOnCommand = 4;
    // 0 while running; the process's exit code once the node has halted.
    int exitCode() const { return m_exitCode; }

    struct Counters {
        std::uint64_t delivered = 0, sent = 0, dropped = 0, refused = 0, accepted = 0;
    };
    const Counters& counters() const { return m_counters; }

    void onOpen(Connection& connection) override;
    void onEnvelope(Connection& connection, Envelope envelope) override;
    void onClosed(Connection& connection, const std::string& why) override;

private:
    class HostContext;
    struct PeerLink {
        std::shared_ptr<Connection> outbound;
        Connection* inbound = nullptr;  // the newest open connection the peer made to us
        int failures = 0;
        Clock::time_point retryAt{};
    };

    void accept();
    std::int64_t send(const NodeId& dest, Body body);
    void deliverLocal(Envelope envelope);
    template <class Handler>
    void runHandler(Handler&& handler);
    void halt(const std::string& why);
    void log(LogLevel level, const std::string& text) const;
    std::size_t handshaking() const;
    void emit(std::string_view kind, Json fields);
    void emitMessage(std::string_view kind, const Envelope& envelope, std::string_view reason = {});
    bool onAdmin(Connection& connection, const Envelope& envelope);
    // join, join_ok and leave: the membership messages the host handles itself.
    bool onMembership(Connection& connection, const Envelope& envelope);
    void connectToJoin();
    void sendJoin();  // to the member reached, again every second until join_ok
    bool filtered(const NodeId& peer) const { return m_blocked.count(peer) > 0; }

    asio::io_context& m_io;
    NodeHostConfig m_config;
    NodeFactory m_factory;
    tcp::acceptor m_acceptor;
    std::uint16_t m_port = 0;
    std::unique_ptr<DurableStore> m_store;
    OpLog m_history;
    std::unique_ptr<Node> m_node;
    std::unique_ptr<HostContext> m_context;
    std::map<std::uint64_t, std::shared_ptr<Connection>> m_connections;  // by serial: every connection
    std::map<NodeId, PeerLink> m_links;
    std::map<Connection*, std::uint64_t> m_observers;  // open observer connections, and the events each lost
    std::set<NodeId> m_blocked;                        // the partition filter
    std::map<TimerId, std::unique_ptr<asio::steady_timer>> m_timers;
    TimerId m_nextTimer = 1;
    std::int64_t m_nextMsgId = 1;
    Counters m_counters;
    bool m_stopped = false;
    int m_exitCode = 0;
    Clock::time_point m_startedAt;
    std::string m_advertise;                 // HOST:PORT, or empty when the listen address says none
    std::shared_ptr<Connection> m_joinLink;  // to the --join address, until it knows whom it reached
    NodeId m_joinTarget;                     // the member the join link reached
    NodeId m_joinedVia;                      // the member that answered join_ok
    std::unique_ptr<asio::steady_timer> m_joinRetry;
};

}  // namespace distlab::net
