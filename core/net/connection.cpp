#include "core/net/connection.h"

#include <atomic>

namespace distlab::net {

namespace {

std::atomic<std::uint64_t> g_nextSerial{1};  // names connections in logs; outside any simulated world

constexpr std::string_view kPing = "wire_ping";

}  // namespace

Connection::Connection(asio::io_context& io, tcp::socket socket, NodeId self, const ClusterKey* key,
                       ConnectionLimits limits, ConnectionOwner& owner, bool outbound)
    : m_io(io),
      m_socket(std::move(socket)),
      m_resolver(io),
      m_deadline(io),
      m_ping(io),
      m_self(std::move(self)),
      m_key(key),
      m_limits(limits),
      m_owner(owner),
      m_outbound(outbound),
      m_serial(g_nextSerial++),
      m_createdAt(Clock::now()) {}

Connection::~Connection() = default;

std::shared_ptr<Connection> Connection::accepted(tcp::socket socket, NodeId self, const ClusterKey* key,
                                                 ConnectionLimits limits, ConnectionOwner& owner) {
    auto& io = static_cast<asio::io_context&>(socket.get_executor().context());
    std::shared_ptr<Connection> connection(
        new Connection(io, std::move(socket), std::move(self), key, limits, owner, false));
    boost::system::error_code ec;
    auto endpoint = connection->m_socket.remote_endpoint(ec);
    connection->m_remote = ec ? std::string("?") : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    connection->m_socket.set_option(tcp::no_delay(true), ec);
    connection->m_state = State::Handshake;
    connection->m_server = std::make_unique<ServerHandshake>(connection->m_self, key, randomHex(kNonceBytes));
    return connection;
}

std::shared_ptr<Connection> Connection::connect(asio::io_context& io, std::string host, std::string port, NodeId self,
                                                PeerRole role, NodeId expectedServer, const ClusterKey* key,
                                                ConnectionLimits limits, ConnectionOwner& owner) {
    std::shared_ptr<Connection> connection(new Connection(io, tcp::socket(io), self, key, limits, owner, true));
    connection->m_host = std::move(host);
    connection->m_port = std::move(port);
    connection->m_remote = connection->m_host + ":" + connection->m_port;
    connection->m_role = role;
    connection->m_peer = expectedServer;
    connection->m_client =
        std::make_unique<ClientHandshake>(std::move(self), role, std::move(expectedServer), key, randomHex(kNonceBytes));
    return connection;
}

void Connection::start() {
    m_readBy = Clock::now() + m_limits.handshakeTimeout;
    watchDeadline();
    if (m_outbound) {
        resolveAndConnect();
    } else {
        readSome();
    }
}

void Connection::resolveAndConnect() {
    auto self = shared_from_this();
    m_resolver.async_resolve(m_host, m_port, [this, self](boost::system::error_code ec, tcp::resolver::results_type results) {
        if (m_state == State::Closed) return;
        if (ec) return close("cannot resolve " + m_remote + ": " + ec.message());
        asio::async_connect(m_socket, results, [this, self](boost::system::error_code ec, const tcp::endpoint&) {
            if (m_state == State::Closed) return;
            if (ec) return close("cannot connect to " + m_remote + ": " + ec.message());
            boost::system::error_code ignored;
            m_socket.set_option(tcp::no_delay(true), ignored);
            m_state = State::Handshake;
            enqueue(encodeFrame(m_client->hello()));
            readSome();
        });
    });
}

void Connection::readSome() {
    auto self = shared_from_this();
    m_socket.async_read_some(asio::buffer(m_readBuffer), [this, self](boost::system::error_code ec, std::size_t n) {
        if (m_state == State::Closed || m_closing) return;
        if (ec) return close(ec == asio::error::eof ? std::string("closed by the other side") : ec.message());
        m_decoder.feed(std::string_view(m_readBuffer.data(), n));
        try {
            while (auto payload = m_decoder.next()) {
                if (!onPayload(*payload)) return;
            }
        } catch (const std::exception& e) {
            // Nothing a peer sends may stop the node: the frame's connection goes, the node stays.
            return close(std::string("a frame could not be handled: ") + e.what());
        }
        if (!m_decoder.broken().empty()) return refuse(m_decoder.broken());
        readSome();
    });
}

bool Connection::onPayload(const std::string& payload) {
    auto envelope = decodeEnvelope(payload);
    if (!envelope) {
        refuse("malformed frame: " + utf8Prefix(envelope.error().message, 200));
        return false;
    }
    if (m_state == State::Handshake) {
        applyStep(m_server ? m_server->onFrame(envelope.value()) : m_client->onFrame(envelope.value()));
        return !m_closing && (m_state == State::Open || m_state == State::Handshake);
    }
    m_readBy = Clock::now() + m_limits.idleTimeout;
    if (envelope->src != m_peer) {
        refuse("src must be '" + m_peer + "', the id this connection authenticated");
        return false;
    }
    if (envelope->body.type == kPing) return true;
    m_owner.onEnvelope(*this, std::move(envelope).value());
    return m_state == State::Open && !m_closing;
}

void Connection::applyStep(HandshakeStep step) {
    for (const Envelope& out : step.send) enqueue(encodeFrame(out));
    if (step.failure) {
        if (m_client) return close("handshake with " + m_remote + " failed: " + *step.failure);
        return refuse(*step.failure);
    }
    if (!step.done) return;
    m_state = State::Open;
    if (m_server) {
        m_peer = m_server->peer();
        m_peerRole = m_server->peerRole();
    } else {
        m_peer = m_client->server();
    }
    m_readBy = Clock::now() + m_limits.idleTimeout;
    m_lastWrite = Clock::now();
    watchPing();
    while (!m_waiting.empty()) {
        enqueue(std::move(m_waiting.front()));  // both queues have the same limits: it fits
        m_waiting.pop_front();
    }
    m_waitingBytes = 0;
    m_owner.onOpen(*this);
}

bool Connection::send(const Envelope& envelope) {
    if (m_state == State::Closed || m_closing) return false;
    std::string payload = encodeEnvelope(envelope);
    if (payload.size() > kFrameBytesMax) return false;
    if (m_state != State::Open) {
        const std::size_t bytes = payload.size() + kFrameHeaderBytes;
        if (m_waiting.size() >= m_limits.queueFramesMax || m_waitingBytes + bytes > m_limits.queueBytesMax) return false;
        m_waitingBytes += bytes;
        m_waiting.push_back(encodeFrame(payload));
        return true;
    }
    return enqueue(encodeFrame(payload));
}

bool Connection::enqueue(std::string frame) {
    if (m_queue.size() >= m_limits.queueFramesMax || m_queuedBytes + frame.size() > m_limits.queueBytesMax) return false;
    m_queuedBytes += frame.size();
    m_queue.push_back(std::move(frame));
    if (!m_writing) writeNext();
    return true;
}

void Connection::writeNext() {
    if (m_queue.empty() || m_state == State::Closed) return;
    m_writing = true;
    auto self = shared_from_this();
    asio::async_write(m_socket, asio::buffer(m_queue.front()), [this, self](boost::system::error_code ec, std::size_t) {
        m_writing = false;
        if (m_state == State::Closed) return;
        if (ec) return close("write failed: " + ec.message());
        m_queuedBytes -= m_queue.front().size();
        m_queue.pop_front();
        m_lastWrite = Clock::now();
        if (!m_queue.empty()) return writeNext();
        if (m_closing) close("refused");
    });
}

void Connection::refuse(std::string why) {
    if (m_state == State::Closed || m_closing) return;
    m_waiting.clear();
    m_waitingBytes = 0;
    const NodeId peer = m_server ? m_server->peer() : m_peer;
    std::string payload = encodeEnvelope(wireError(m_self, peer, utf8Prefix(why, 500)));
    m_closing = true;
    m_refusal = why;
    // The error goes out after what is queued; the deadline closes the connection if it is never read.
    m_queuedBytes += payload.size() + kFrameHeaderBytes;
    m_queue.push_back(encodeFrame(payload));
    m_readBy = Clock::now() + std::chrono::milliseconds(1000);
    m_deadline.expires_at(m_readBy);  // a wait in progress ends early and waits again for the new deadline
    if (!m_writing) writeNext();
}

void Connection::close(std::string why) {
    if (m_state == State::Closed) return;
    if (m_closing && !m_refusal.empty()) why = "refused: " + m_refusal;
    m_state = State::Closed;
    boost::system::error_code ignored;
    m_resolver.cancel();
    m_deadline.cancel();
    m_ping.cancel();
    m_socket.shutdown(tcp::socket::shutdown_both, ignored);
    m_socket.close(ignored);
    // The frame being written stays until its handler has run: Asio reads from it until then.
    while (m_queue.size() > (m_writing ? 1u : 0u)) m_queue.pop_back();
    m_waiting.clear();
    m_waitingBytes = 0;
    m_owner.onClosed(*this, why);
}

void Connection::watchDeadline() {
    m_deadline.expires_at(m_readBy);
    auto self = shared_from_this();
    m_deadline.async_wait([this, self](boost::system::error_code) {
        if (m_state == State::Closed) return;
        if (Clock::now() < m_readBy) return watchDeadline();
        if (m_closing) return close("refused");
        if (m_state == State::Open) return close("nothing received for " + std::to_string(m_limits.idleTimeout.count()) + " ms");
        if (m_state == State::Connecting) return close("cannot connect to " + m_remote + ": timed out");
        refuse("the handshake took longer than " + std::to_string(m_limits.handshakeTimeout.count()) + " ms");
        watchDeadline();
    });
}

void Connection::watchPing() {
    // From now at the earliest: a write stuck for longer than the interval must not make the timer spin.
    m_ping.expires_at(std::max(m_lastWrite, Clock::now()) + m_limits.pingInterval);
    auto self = shared_from_this();
    m_ping.async_wait([this, self](boost::system::error_code ec) {
        if (ec || m_state != State::Open || m_closing) return;
        if (Clock::now() >= m_lastWrite + m_limits.pingInterval && m_queue.empty()) {
            Envelope ping;
            ping.src = m_self;
            ping.dest = m_peer;
            ping.body.type = std::string(kPing);
            enqueue(encodeFrame(ping));
            m_lastWrite = Clock::now();
        }
        watchPing();
    });
}

}  // namespace distlab::net
