#include "core/net/node_host.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "core/node/file_store.h"

namespace distlab::net {

namespace {

constexpr auto kBackoffFirst = std::chrono::milliseconds(50);
constexpr auto kBackoffMax = std::chrono::milliseconds(5000);
constexpr std::uint64_t kRefusalsLoggedInFull = 20;
constexpr std::size_t kStatusStoreRecordsMax = 512;         // admin_status sends a small disk whole
constexpr std::size_t kStatusStoreBytesMax = 256 * 1024;  // then every 100th, so a flood cannot fill the log

SimTime monotonicMicros() {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}

std::uint64_t randomSeed() {
    const std::string hex = randomHex(8);
    std::uint64_t seed = 0;
    std::from_chars(hex.data(), hex.data() + hex.size(), seed, 16);
    return seed;
}

}  // namespace

std::optional<LogLevel> logLevelNamed(std::string_view name) {
    if (name == "error") return LogLevel::Error;
    if (name == "warn") return LogLevel::Warn;
    if (name == "info") return LogLevel::Info;
    if (name == "debug") return LogLevel::Debug;
    return std::nullopt;
}

Result<Endpoint> parseEndpoint(std::string_view text) {
    const auto bad = [&](std::string why) {
        return makeError("'" + utf8Prefix(text, 100) + "' is not HOST:PORT: " + why,
                         "for example 127.0.0.1:7001 or [::1]:7001");
    };
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("there is no ':'");
    std::string_view host = text.substr(0, colon);
    const std::string_view port = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) return bad("the host is empty");
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535)
        return bad("the port must be a number from 0 to 65535");
    return Endpoint{std::string(host), std::string(port)};
}

class NodeHost::HostContext final : public Context {
public:
    explicit HostContext(NodeHost& host) : m_host(host), m_rng(randomSeed()) {}
    SimTime now() const override { return monotonicMicros(); }
    const NodeId& self() const override { return m_host.m_config.id; }
    std::int64_t send(const NodeId& dest, Body body) override { return m_host.send(dest, std::move(body)); }
    TimerId setTimer(SimTime delay, std::string_view tag) override {
        const TimerId id = m_host.m_nextTimer++;
        auto timer = std::make_unique<asio::steady_timer>(m_host.m_io);
        timer->expires_after(std::chrono::microseconds(std::max<SimTime>(0, delay)));
        timer->async_wait([&host = m_host, id, tag = std::string(tag)](boost::system::error_code ec) {
            if (ec) return;
            auto it = host.m_timers.find(id);
            if (it == host.m_timers.end()) return;
            host.m_timers.erase(it);
            if (host.m_node) host.runHandler([&] { host.m_node->onTimer(*host.m_context, id, tag); });
        });
        m_host.m_timers.emplace(id, std::move(timer));
        return id;
    }
    void cancelTimer(TimerId id) override {
        auto it = m_host.m_timers.find(id);
        if (it == m_host.m_timers.end()) return;
        it->second->cancel();
        m_host.m_timers.erase(it);
    }
    Rng& rng() override { return m_rng; }
    DurableStore& durable() override { return *m_host.m_store; }
    void traceState(std::string_view state) override {
        m_host.log(LogLevel::Info, "state: " + std::string(state));
        m_host.emit("state", Json{{"text", std::string(state)}});
    }
    void recordOp(OpPhase phase, std::int64_t opId, std::string_view f, Json value) override {
        const ClientOp op{now(), self(), opId, phase, std::string(f), std::move(value)};
        m_host.log(LogLevel::Debug, "op " + opLogLine(op));
        if (m_host.m_history.isOpen() && !m_host.m_history.append(op))
            m_host.log(LogLevel::Error, "cannot append to the history file: an operation is missing from it");
        if (!m_host.m_observers.empty()) m_host.emit("client", Json{{"op", Json::parse(opLogLine(op))}});
    }

private:
    NodeHost& m_host;
    Rng m_rng;
};

NodeHost::NodeHost(asio::io_context& io, NodeHostConfig config, NodeFactory factory)
    : m_io(io), m_config(std::move(config)), m_factory(std::move(factory)), m_acceptor(io), m_startedAt(Clock::now()) {}

NodeHost::~NodeHost() = default;

void NodeHost::log(LogLevel level, const std::string& text) const {
    if (level > m_config.logLevel) return;
    static constexpr const char* kNames[] = {"error", "warn", "info", "debug"};
    const double seconds = std::chrono::duration<double>(Clock::now() - m_startedAt).count();
    std::fprintf(stderr, "[%9.3f] %s %s: %s\n", seconds, m_config.id.c_str(), kNames[static_cast<int>(level)], text.c_str());
}

Status NodeHost::start() {
    if (!validWireId(m_config.id)) return makeError("--id must be 1 to 64 of A-Z a-z 0-9 . _ -");
    if (m_config.dataDir.empty()) {
        m_store = std::make_unique<MemoryStore>();
        log(LogLevel::Warn, "no --data-dir: the node keeps its state in memory, and a restart loses it");
    } else {
        auto store = FileStore::open(m_config.dataDir);
        if (!store) return makeError("cannot open the data directory: " + store.error().message, store.error().hint);
        if (store.value()->tornBytes() > 0)
            log(LogLevel::Warn, "dropped an incomplete last record (" + std::to_string(store.value()->tornBytes()) +
                                    " bytes) left by a crash");
        m_store = std::move(store).value();
    }

    if (!m_config.historyPath.empty())
        if (Status opened = m_history.open(m_config.historyPath); !opened) return opened;

    boost::system::error_code ec;
    tcp::resolver resolver(m_io);
    auto results = resolver.resolve(m_config.listen.host, m_config.listen.port, tcp::resolver::passive, ec);
    if (ec || results.empty())
        return makeError("cannot resolve the listen address " + m_config.listen.host + ": " + ec.message());
    const tcp::endpoint endpoint = *results.begin();
    if (!m_config.key && !endpoint.address().is_loopback())
        return makeError("refusing to listen on " + endpoint.address().to_string() +
                             " without a cluster key: anyone on the network could command this node",
                         "give --cluster-key-file FILE (make one with --generate-key FILE), or listen on 127.0.0.1");
    m_acceptor.open(endpoint.protocol(), ec);
    if (!ec) m_acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) m_acceptor.bind(endpoint, ec);
    if (!ec) m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return makeError("cannot listen on " + endpoint.address().to_string() + ":" + m_config.listen.port + ": " + ec.message(),
                         "pick another port, or stop the process that has it");
    m_port = m_acceptor.local_endpoint().port();
    m_nextMsgId = std::max<std::int64_t>(1, monotonicMicros());
    log(LogLevel::Info, "listening on " + endpoint.address().to_string() + ":" + std::to_string(m_port) +
                            (m_config.key ? " (cluster key required)" : " (loopback, no key)"));
    accept();

    const bool anyAddress = endpoint.address().is_unspecified();
    if (m_config.advertise) {
        m_advertise = m_config.advertise->host + ":" + m_config.advertise->port;
    } else if (!anyAddress) {
        const std::string host = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]" : endpoint.address().to_string();
        m_advertise = host + ":" + std::to_string(m_port);
    }
    if (m_config.join && m_advertise.empty())
        return makeError("--join needs the address the others reach this node at, and --listen " +
                             endpoint.address().to_string() + " names none",
                         "give --advertise HOST:PORT (this machine's address on the network, and the port listened on)");

    m_context = std::make_unique<HostContext>(*this);
    m_node = m_factory();
    if (!m_node) return makeError("the role has no process for '" + m_config.id + "'");
    runHandler([&] { m_node->onStart(*m_context); });
    if (m_config.join) connectToJoin();
    return Ok{};
}

void NodeHost::connectToJoin() {
    if (m_stopped || !m_joinedVia.empty()) return;
    m_joinLink = Connection::connect(m_io, m_config.join->host, m_config.join->port, m_config.id, PeerRole::Node, "",
                                     m_config.key ? &*m_config.key : nullptr, m_config.limits, *this);
    m_connections.emplace(m_joinLink->serial(), m_joinLink);
    m_joinLink->start();
}

void NodeHost::sendJoin() {
    if (m_stopped || !m_joinedVia.empty() || m_joinTarget.empty()) return;
    send(m_joinTarget, Body{"join", 0, std::nullopt, Json{{"address", m_advertise}}});
    // Until join_ok comes: the link may drop, or the member restart, before it answers.
    m_joinRetry = std::make_unique<asio::steady_timer>(m_io, std::chrono::seconds(1));
    m_joinRetry->async_wait([this](boost::system::error_code ec) {
        if (!ec) sendJoin();
    });
}

void NodeHost::leaveAndStop() {
    if (m_stopped) return;
    if (m_joinedVia.empty()) return stop();
    send(m_joinedVia, Body{"leave", 0, std::nullopt, Json::object()});
    log(LogLevel::Info, "leaving the cluster through " + m_joinedVia);
    auto wait = std::make_shared<asio::steady_timer>(m_io, kLeaveWait);
    wait->async_wait([this, wait](boost::system::error_code) { stop(); });
}

void NodeHost::stop() {
    if (m_stopped) return;
    m_stopped = true;
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    for (auto& [id, timer] : m_timers) timer->cancel();
    m_timers.clear();
    if (m_joinRetry) m_joinRetry->cancel();
    const auto connections = m_connections;  // closing one removes it from the map
    for (const auto& [serial, connection] : connections) connection->close("the node is stopping");
    m_io.stop();
}

std::size_t NodeHost::handshaking() const {
    return static_cast<std::size_t>(std::count_if(m_connections.begin(), m_connections.end(), [](const auto& entry) {
        return !entry.second->outbound() && entry.second->state() == Connection::State::Handshake;
    }));
}

void NodeHost::accept() {
    m_acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (m_stopped) return;
        if (ec) {
            // Out of descriptors, usually: wait a little rather than spin.
            log(LogLevel::Warn, "accept failed: " + ec.message());
            auto pause = std::make_shared<asio::steady_timer>(m_io, std::chrono::milliseconds(100));
            pause->async_wait([this, pause](boost::system::error_code) {
                if (!m_stopped) accept();
            });
            return;
        }
        m_counters.accepted++;
        if (m_connections.size() >= m_config.connectionsMax) {
            m_counters.refused++;
            boost::system::error_code ignored;
            socket.close(ignored);
        } else {
            if (handshaking() >= m_config.handshakesMax) {
                for (const auto& [serial, connection] : m_connections)
                    if (!connection->outbound() && connection->state() == Connection::State::Handshake) {
                        connection->close("too many connections are authenticating: the oldest is closed");
                        break;
                    }
            }
            auto connection = Connection::accepted(std::move(socket), m_config.id,
                                                   m_config.key ? &*m_config.key : nullptr, m_config.limits, *this);
            m_connections.emplace(connection->serial(), connection);
            connection->start();
        }
        accept();
    });
}

void NodeHost::onOpen(Connection& connection) {
    const NodeId& peer = connection.peer();
    if (!connection.outbound() && peer == m_config.id) return connection.refuse("'" + peer + "' is this node's own id");
    if (connection.outbound() && &connection == m_joinLink.get()) {
        // The member at the --join address: from now on an ordinary peer, reached at that address.
        m_config.peers[peer] = *m_config.join;
        PeerLink& joined = m_links[peer];
        if (joined.outbound && joined.outbound != m_joinLink) joined.outbound->close("replaced by the join link");
        joined.outbound = m_joinLink;
        joined.failures = 0;
        m_joinLink.reset();
        m_joinTarget = peer;
        log(LogLevel::Info, "joining the cluster through " + peer + " at " + connection.remote() + " as " + m_advertise);
        sendJoin();
        return;
    }
    PeerLink& link = m_links[peer];
    if (connection.outbound()) {
        link.failures = 0;
        log(LogLevel::Info, "connected to " + peer + " at " + connection.remote());
        return;
    }
    Connection* previous = link.inbound;
    // A node's id is not for an observer or a client to take over: the node's own link stays.
    if (previous && previous != &connection && previous->open() && previous->peerRole() == PeerRole::Node &&
        connection.peerRole() != PeerRole::Node)
        return connection.refuse("'" + peer + "' is connected as a node; connect as " +
                                 std::string(peerRoleName(connection.peerRole())) + " with another id");
    link.inbound = &connection;
    if (previous && previous != &connection) previous->close("replaced by a newer connection from " + peer);
    if (connection.peerRole() == PeerRole::Observer) {
        m_observers.emplace(&connection, 0);
        Envelope hello{m_config.id, peer, Body{"obs_event", 0, std::nullopt,
                                               Json{{"kind", "restart"}, {"time", monotonicMicros()}, {"node", m_config.id},
                                                    {"observe", m_node ? m_node->observe(monotonicMicros()) : Json()}}}};
        connection.send(hello);
    }
    log(LogLevel::Info, peer + " connected from " + connection.remote() + " as " + std::string(peerRoleName(connection.peerRole())));
}

void NodeHost::onEnvelope(Connection& connection, Envelope envelope) {
    if (envelope.body.type.rfind("admin_", 0) == 0 && onAdmin(connection, envelope)) return;
    if (filtered(envelope.src)) {
        m_counters.dropped++;
        return emitMessage("drop", envelope, "partition");
    }
    if (envelope.dest == m_config.id && onMembership(connection, envelope)) return;
    if (envelope.dest != m_config.id) {
        if (envelope.body.type != ErrorMsg::kType && !envelope.body.inReplyTo) {
            Envelope error = wireError(m_config.id, envelope.src, "this is '" + m_config.id + "'; it does not forward to '" +
                                                                      utf8Prefix(envelope.dest, 64) + "'");
            error.body = makeBody(makeErrorMsg(ErrorCode::NodeNotFound, error.body.fields.value("text", "")));
            error.body.inReplyTo = envelope.body.msgId;
            connection.send(error);
        }
        return;
    }
    deliverLocal(std::move(envelope));
}

void NodeHost::deliverLocal(Envelope envelope) {
    if (!m_node || m_stopped) return;
    m_counters.delivered++;
    emitMessage("deliver", envelope);
    runHandler([&] { m_node->onMessage(*m_context, envelope); });
}

bool NodeHost::onMembership(Connection& connection, const Envelope& envelope) {
    const std::string& type = envelope.body.type;
    if (type != "join" && type != "join_ok" && type != "leave") return false;
    if (connection.peerRole() != PeerRole::Node) {
        connection.send(wireError(m_config.id, envelope.src, type + " is for nodes"));
        return true;
    }
    m_counters.delivered++;
    emitMessage("deliver", envelope);
    if (type == "join") {
        const auto address = envelope.body.fields.find("address");
        auto endpoint = address != envelope.body.fields.end() && address->is_string()
                            ? parseEndpoint(address->get<std::string>())
                            : Result<Endpoint>(makeError("join needs address: \"HOST:PORT\""));
        if (!endpoint) {
            connection.send(wireError(m_config.id, envelope.src, "join: " + utf8Prefix(endpoint.error().message, 200)));
            return true;
        }
        m_config.peers[envelope.src] = endpoint.value();
        Json peers = Json::object();
        for (const auto& [id, peer] : m_config.peers)
            if (id != envelope.src) peers[id] = peer.host + ":" + peer.port;
        if (!m_advertise.empty()) peers[m_config.id] = m_advertise;
        log(LogLevel::Info, envelope.src + " joined at " + address->get<std::string>());
        emit("join", Json{{"id", envelope.src}, {"address", address->get<std::string>()}});
        send(envelope.src, Body{"join_ok", 0, envelope.body.msgId, Json{{"peers", std::move(peers)}}});
        return true;
    }
    if (type == "join_ok") {
        // Only the answer to this node's own join, once: nobody else rewrites its addresses.
        if (!m_config.join || !m_joinedVia.empty() || envelope.src != m_joinTarget) return true;
        if (m_joinRetry) m_joinRetry->cancel();
        const auto peers = envelope.body.fields.find("peers");
        std::size_t learned = 0;
        if (peers != envelope.body.fields.end() && peers->is_object())
            for (const auto& [id, address] : peers->items()) {
                if (id == m_config.id || !validWireId(id) || !address.is_string()) continue;
                auto endpoint = parseEndpoint(address.get<std::string>());
                if (!endpoint) continue;
                m_config.peers[id] = endpoint.value();
                ++learned;
            }
        m_joinedVia = envelope.src;
        log(LogLevel::Info, "joined the cluster through " + envelope.src + ": " + std::to_string(learned) + " addresses known");
        return true;
    }
    // leave
    m_config.peers.erase(envelope.src);
    log(LogLevel::Info, envelope.src + " left the cluster");
    emit("leave", Json{{"id", envelope.src}});
    return true;
}

void NodeHost::onClosed(Connection& connection, const std::string& why) {
    m_observers.erase(&connection);
    if (&connection == m_joinLink.get()) {
        // The --join address did not answer (yet): try again, as a reconnect would.
        log(LogLevel::Warn, "cannot join through " + connection.remote() + " (" + why + "); trying again in 1 s");
        m_joinLink.reset();
        if (!m_stopped) {
            m_joinRetry = std::make_unique<asio::steady_timer>(m_io, std::chrono::seconds(1));
            m_joinRetry->async_wait([this](boost::system::error_code ec) {
                if (!ec) connectToJoin();
            });
        }
    }
    auto it = m_connections.find(connection.serial());
    std::shared_ptr<Connection> keep;
    if (it != m_connections.end()) {
        keep = std::move(it->second);
        m_connections.erase(it);
    }
    // The connection is inside its own close(): it must outlive this call.
    if (keep) asio::post(m_io, [keep] {});
    auto link = m_links.find(connection.peer());
    if (link != m_links.end()) {
        PeerLink& peer = link->second;
        if (peer.outbound.get() == &connection) {
            peer.outbound.reset();
            if (!m_stopped) {
                const auto backoff = std::min<Clock::duration>(kBackoffMax, kBackoffFirst * (1 << std::min(peer.failures, 7)));
                peer.failures++;
                peer.retryAt = Clock::now() + backoff;
                log(peer.failures <= 1 ? LogLevel::Info : LogLevel::Debug,
                    "link to " + connection.peer() + " closed (" + why + "); next try in " +
                        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(backoff).count()) + " ms");
            }
            return;
        }
        if (peer.inbound == &connection) {
            peer.inbound = nullptr;
            log(LogLevel::Info, connection.peer() + " disconnected (" + why + ")");
            // A client's or an observer's link goes with its connection, so that ids never seen again do not
            // pile up; a configured peer keeps its backoff state.
            if (!peer.outbound && !m_config.peers.count(connection.peer())) m_links.erase(link);
            return;
        }
    }
    if (why.rfind("refused", 0) == 0 || why.rfind("too many", 0) == 0) {
        const std::uint64_t n = ++m_counters.refused;
        if (n <= kRefusalsLoggedInFull || n % 100 == 0)
            log(LogLevel::Warn, "closed a connection from " + connection.remote() + ": " + why +
                                    (n > kRefusalsLoggedInFull ? " (" + std::to_string(n) + " so far)" : ""));
    }
}

std::int64_t NodeHost::send(const NodeId& dest, Body body) {
    body.msgId = m_nextMsgId++;
    const std::int64_t msgId = body.msgId;
    Envelope envelope{m_config.id, dest, std::move(body)};
    if (filtered(dest)) {
        m_counters.dropped++;
        emitMessage("drop", envelope, "partition");
        return msgId;
    }
    emitMessage("send", envelope);
    if (dest == m_config.id) {
        asio::post(m_io, [this, envelope = std::move(envelope)]() mutable { deliverLocal(std::move(envelope)); });
        return msgId;
    }
    const auto carry = [&](Connection* connection) {
        if (connection->send(envelope)) {
            m_counters.sent++;
        } else {
            m_counters.dropped++;
            emitMessage("drop", envelope, "queue full");
            log(LogLevel::Debug, "dropped a message to " + dest + ": its queue is full");
        }
        return msgId;
    };
    auto found = m_links.find(dest);
    if (found != m_links.end()) {
        PeerLink& link = found->second;
        if (link.outbound && link.outbound->open()) return carry(link.outbound.get());
        if (link.inbound && link.inbound->open()) return carry(link.inbound);
        if (link.outbound) return carry(link.outbound.get());  // connecting: waits in its queue
    }
    auto address = m_config.peers.find(dest);
    if (address == m_config.peers.end() || m_stopped) {
        m_counters.dropped++;
        emitMessage("drop", envelope, "no address");
        log(LogLevel::Debug, "dropped a message to " + dest + ": no connection and no address");
        return msgId;
    }
    PeerLink& link = m_links[dest];
    if (Clock::now() < link.retryAt) {
        m_counters.dropped++;
        emitMessage("drop", envelope, "reconnecting");
        return msgId;
    }
    link.outbound = Connection::connect(m_io, address->second.host, address->second.port, m_config.id, PeerRole::Node, dest,
                                        m_config.key ? &*m_config.key : nullptr, m_config.limits, *this);
    m_connections.emplace(link.outbound->serial(), link.outbound);
    link.outbound->start();
    return carry(link.outbound.get());
}

void NodeHost::emit(std::string_view kind, Json fields) {
    if (m_observers.empty()) return;
    fields["kind"] = std::string(kind);
    fields["time"] = monotonicMicros();
    fields["node"] = m_config.id;
    for (auto& [observer, lost] : m_observers) {
        Json event = fields;
        if (lost > 0) event["lost"] = lost;
        Envelope envelope{m_config.id, observer->peer(), Body{"obs_event", 0, std::nullopt, std::move(event)}};
        if (observer->send(envelope)) {
            lost = 0;
        } else {
            lost++;
        }
    }
}

void NodeHost::emitMessage(std::string_view kind, const Envelope& envelope, std::string_view reason) {
    if (m_observers.empty()) return;
    // Messages to and from observers are the stream itself and its commands: not part of the trace.
    for (const auto& [observer, lost] : m_observers)
        if (observer->peer() == envelope.src || observer->peer() == envelope.dest) return;
    Json fields{{"message", envelopeToJson(envelope)}};
    if (!reason.empty()) fields["reason"] = std::string(reason);
    emit(kind, std::move(fields));
}

bool NodeHost::onAdmin(Connection& connection, const Envelope& envelope) {
    const std::string& type = envelope.body.type;
    const auto answer = [&](std::string_view answerType, Json fields) {
        connection.send(Envelope{m_config.id, envelope.src, Body{std::string(answerType), 0, envelope.body.msgId, std::move(fields)}});
    };
    if (connection.peerRole() != PeerRole::Observer) {
        Envelope error = wireError(m_config.id, envelope.src, "");
        error.body = makeBody(makeErrorMsg(ErrorCode::NotSupported, utf8Prefix(type, 64) + " needs a connection that authenticated as an observer"));
        error.body.inReplyTo = envelope.body.msgId;
        connection.send(error);
        return true;
    }
    if (type == "admin_status") {
        Json peers = Json::object();
        for (const auto& [id, link] : m_links) {
            const bool open = (link.outbound && link.outbound->open()) || (link.inbound && link.inbound->open());
            if (open || link.outbound) peers[id] = open ? "open" : "connecting";
        }
        // The disk, when it is small (a replica's few keys), so that an observer can show and check what
        // the replicas hold; records that are not UTF-8 text are counted, not sent.
        Json store = Json::object();
        std::size_t storeBytes = 0, skipped = 0;
        bool truncated = false;
        if (m_store)
            for (const StoreRecord& record : m_store->scan("")) {
                if (store.size() >= kStatusStoreRecordsMax || storeBytes + record.key.size() + record.value.size() > kStatusStoreBytesMax) {
                    truncated = true;
                    break;
                }
                if (record.status != StoreStatus::Ok || utf8Prefix(record.key, record.key.size()) != record.key ||
                    utf8Prefix(record.value, record.value.size()) != record.value) {
                    ++skipped;
                    continue;
                }
                storeBytes += record.key.size() + record.value.size();
                store[record.key] = record.value;
            }
        answer("admin_status_ok", Json{{"now", monotonicMicros()},
                                       {"observe", m_node ? m_node->observe(monotonicMicros()) : Json()},
                                       {"store", std::move(store)},
                                       {"store_complete", !truncated && skipped == 0},
                                       {"peers", std::move(peers)},
                                       {"blocked", std::vector<NodeId>(m_blocked.begin(), m_blocked.end())},
                                       {"counters", Json{{"delivered", m_counters.delivered}, {"sent", m_counters.sent},
                                                         {"dropped", m_counters.dropped}, {"refused", m_counters.refused},
                                                         {"accepted", m_counters.accepted}}}});
        return true;
    }
    if (type == "admin_partition") {
        auto peers = envelope.body.fields.find("peers");
        if (peers == envelope.body.fields.end() || !peers->is_array()) {
            connection.send(wireError(m_config.id, envelope.src, "admin_partition needs peers: [id, ...]"));
            return true;
        }
        std::vector<NodeId> cut;
        for (const Json& peer : *peers)
            if (peer.is_string() && validWireId(peer.get<std::string>())) cut.push_back(peer.get<std::string>());
        m_blocked.insert(cut.begin(), cut.end());
        log(LogLevel::Info, "partition filter: " + Json(std::vector<NodeId>(m_blocked.begin(), m_blocked.end())).dump());
        emit("cut", Json{{"peers", cut}});
        answer("admin_ok", Json::object());
        return true;
    }
    if (type == "admin_heal") {
        const std::vector<NodeId> healed(m_blocked.begin(), m_blocked.end());
        m_blocked.clear();
        log(LogLevel::Info, "partition filter cleared");
        emit("heal", Json{{"peers", healed}});
        answer("admin_ok", Json::object());
        return true;
    }
    if (type == "admin_send") {
        // The node sends `body` to `dest` as if its own handler had: the GUI's labs speak through the
        // control node this way, exactly as they do through the simulator's control plane.
        const auto dest = envelope.body.fields.find("dest");
        const auto body = envelope.body.fields.find("body");
        if (dest == envelope.body.fields.end() || !dest->is_string() || !validWireId(dest->get<std::string>()) ||
            body == envelope.body.fields.end()) {
            connection.send(wireError(m_config.id, envelope.src, "admin_send needs dest: ID and body: {type, ...}"));
            return true;
        }
        auto parsed = bodyFromJson(*body);
        if (!parsed) {
            connection.send(wireError(m_config.id, envelope.src, "admin_send body: " + utf8Prefix(parsed.error().message, 200)));
            return true;
        }
        const std::int64_t msgId = send(dest->get<std::string>(), std::move(parsed).value());
        answer("admin_ok", Json{{"sent_msg_id", msgId}});
        return true;
    }
    if (type == "admin_peer") {
        const auto id = envelope.body.fields.find("id");
        const auto address = envelope.body.fields.find("address");
        if (id == envelope.body.fields.end() || !id->is_string() || !validWireId(id->get<std::string>()) ||
            address == envelope.body.fields.end() || !(address->is_string() || address->is_null())) {
            connection.send(wireError(m_config.id, envelope.src, "admin_peer needs id: ID and address: \"HOST:PORT\" or null"));
            return true;
        }
        const NodeId peer = id->get<std::string>();
        if (address->is_null()) {
            m_config.peers.erase(peer);
        } else {
            auto endpoint = parseEndpoint(address->get<std::string>());
            if (!endpoint) {
                connection.send(wireError(m_config.id, envelope.src, "admin_peer: " + utf8Prefix(endpoint.error().message, 200)));
                return true;
            }
            if (peer != m_config.id) m_config.peers[peer] = endpoint.value();
        }
        answer("admin_ok", Json::object());
        return true;
    }
    if (type == "admin_crash") {
        log(LogLevel::Warn, "crashing on " + envelope.src + "'s command");
        std::_Exit(kExitCrashedOnCommand);
    }
    return false;  // not an admin command after all: an ordinary message
}

template <class Handler>
void NodeHost::runHandler(Handler&& handler) {
    try {
        handler();
    } catch (const StoreFailure& failure) {
        halt(std::string("halted: ") + failure.what());
    } catch (const std::exception& e) {
        // A protocol class that throws on what a peer sent is a defect to fix, not a reason for every other
        // connection to go: the handler's message is lost, and the node goes on.
        log(LogLevel::Error, std::string("a handler failed and its message is lost: ") + e.what());
    }
}

void NodeHost::halt(const std::string& why) {
    log(LogLevel::Error, why);
    m_node.reset();
    m_exitCode = 3;
    stop();
}

}  // namespace distlab::net
