#pragma once
// One TCP connection between Distlab processes, on a Boost.Asio event loop: frames in (frame.h), the
// handshake (handshake.h), then envelopes both ways. As in Asio's chat server, one write is in flight at a
// time and the rest wait in a bounded queue; as in its timeouts example, one timer per deadline is checked
// when it fires.
//
//   CONNECTING --connected--> HANDSHAKE --wire_welcome / wire_auth ok--> OPEN --close--> CLOSED
//        \--failed--> CLOSED     \--bad frame, bad proof, timeout--> error frame (code 12) --> CLOSED
//
// A frame that breaks the stream (an announced length of 0 or above 1 MiB), one that is not a JSON envelope,
// or one whose src is not the authenticated peer gets an error frame and closes this connection only. An
// open connection that receives nothing for idleTimeout closes; one that sends nothing for pingInterval sends
// a wire_ping, which the other side reads and drops.
#include <utility>  // before Asio (Boost 1.74 under C++20)

#include <boost/asio.hpp>
#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "core/net/frame.h"
#include "core/net/handshake.h"

namespace distlab::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct ConnectionLimits {
    std::size_t queueFramesMax = 4096;           // frames waiting to be written
    std::size_t queueBytesMax = 16u << 20;       // their bytes
    std::chrono::milliseconds handshakeTimeout{5000};
    std::chrono::milliseconds idleTimeout{30000};  // nothing received for this long: closed
    std::chrono::milliseconds pingInterval{10000};  // nothing written for this long: a wire_ping
};

class Connection;

// What a connection tells the process that owns it. onClosed comes exactly once, last.
class ConnectionOwner {
public:
    virtual ~ConnectionOwner() = default;
    virtual void onOpen(Connection& connection) = 0;
    virtual void onEnvelope(Connection& connection, Envelope envelope) = 0;
    virtual void onClosed(Connection& connection, const std::string& why) = 0;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
    enum class State { Connecting, Handshake, Open, Closed };

    // An accepted socket: this side answers the handshake. `key` (may be null) and `owner` outlive it.
    static std::shared_ptr<Connection> accepted(tcp::socket socket, NodeId self, const ClusterKey* key,
                                                ConnectionLimits limits, ConnectionOwner& owner);
    // Connects to host:port and starts the handshake as `role`; `expectedServer` empty accepts any id.
    static std::shared_ptr<Connection> connect(asio::io_context& io, std::string host, std::string port, NodeId self,
                                               PeerRole role, NodeId expectedServer, const ClusterKey* key,
                                               ConnectionLimits limits, ConnectionOwner& owner);
    ~Connection();

    void start();
    // Queues an envelope: sent once the connection is open. False when it is dropped: the queue is full,
    // the frame is above the limit, or the connection is closing.
    bool send(const Envelope& envelope);
    // Sends an error frame (code 12) saying why, then closes.
    void refuse(std::string why);
    void close(std::string why);

    State state() const { return m_state; }
    bool open() const { return m_state == State::Open && !m_closing; }  // a refused one is on its way out
    bool outbound() const { return m_outbound; }
    const NodeId& peer() const { return m_peer; }  // known once open (outbound: the expected id at first)
    PeerRole peerRole() const { return m_peerRole; }
    std::uint64_t serial() const { return m_serial; }
    std::string remote() const { return m_remote; }
    Clock::time_point createdAt() const { return m_createdAt; }

private:
    Connection(asio::io_context& io, tcp::socket socket, NodeId self, const ClusterKey* key, ConnectionLimits limits,
               ConnectionOwner& owner, bool outbound);
    void resolveAndConnect();
    void beginHandshake();
    void readSome();
    bool onPayload(const std::string& payload);
    void applyStep(HandshakeStep step);
    bool enqueue(std::string frame);
    void writeNext();
    void watchDeadline();
    void watchPing();

    asio::io_context& m_io;
    tcp::socket m_socket;
    tcp::resolver m_resolver;
    asio::steady_timer m_deadline;
    asio::steady_timer m_ping;
    Clock::time_point m_readBy;  // the deadline: handshake, then idle
    Clock::time_point m_lastWrite;
    NodeId m_self;
    const ClusterKey* m_key;
    ConnectionLimits m_limits;
    ConnectionOwner& m_owner;
    bool m_outbound;
    std::string m_host, m_port, m_remote;
    std::unique_ptr<ServerHandshake> m_server;
    std::unique_ptr<ClientHandshake> m_client;
    PeerRole m_role = PeerRole::Node;  // what this side says it is when it connects
    NodeId m_peer;
    PeerRole m_peerRole = PeerRole::Node;
    State m_state = State::Connecting;
    bool m_closing = false;  // an error frame is on its way; nothing more is read or queued
    std::string m_refusal;   // what it says
    FrameDecoder m_decoder;
    std::array<char, 64 * 1024> m_readBuffer{};
    std::deque<std::string> m_queue;    // frames to write; the front one is being written
    std::deque<std::string> m_waiting;  // frames sent before the connection opened
    std::size_t m_queuedBytes = 0;
    std::size_t m_waitingBytes = 0;
    bool m_writing = false;
    std::uint64_t m_serial;
    Clock::time_point m_createdAt;
};

}  // namespace distlab::net
