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
// - Message ids start at the monotonic clock in microseconds, so a restarted process never reuses one.
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
    std::uint16_t port() const { return m_port; }
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
    std::map<TimerId, std::unique_ptr<asio::steady_timer>> m_timers;
    TimerId m_nextTimer = 1;
    std::int64_t m_nextMsgId = 1;
    Counters m_counters;
    bool m_stopped = false;
    int m_exitCode = 0;
    Clock::time_point m_startedAt;
};

}  // namespace distlab::net
