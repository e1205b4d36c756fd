#pragma once
// How a connection between Distlab processes starts: both sides prove they hold the cluster key
// (cluster_key.h) with a fresh nonce each, before any other message passes. Every frame is an envelope.
//
//   client                                              server
//     | wire_hello {version, role, nonce Nc}  ------------> |   src = the client's id, dest = the server's or "*"
//     | <------------ wire_challenge {nonce Ns, proof Ps}   |   Ps = HMAC(key, "server", Nc, Ns, client, server)
//     | wire_auth {proof Pc}  ----------------------------> |   Pc = HMAC(key, "client", Nc, Ns, client, server)
//     | <------------------------------------ wire_welcome  |   then envelopes both ways
//
// The server's proof binds the client's nonce, so a recorded challenge cannot answer another hello; the
// client's proof binds the server's nonce, so a recorded wire_auth fails on a new connection. Without a key
// (loopback only: node_host.h refuses any other address) both proofs are empty, and a keyed side refuses an
// unkeyed one. Only the start of a connection is authenticated: the frames after it carry no MAC and are not
// encrypted, so the key keeps out anyone who does not hold it, not someone who can change packets on the
// path (a classroom LAN, not the internet). Any unexpected frame fails the handshake with a reason the other side receives as an error
// (code 12, malformed-request) before the connection closes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/net/cluster_key.h"
#include "core/node/message.h"

namespace distlab::net {

constexpr int kWireVersion = 1;
constexpr std::size_t kNodeIdBytesMax = 64;
// The dest of a wire_hello sent to an address whose node's id is not known yet (joining by address), and of
// an error frame to a side that never said its id.
constexpr std::string_view kAnyServer = "*";

// What a connecting side says it is: another node of the cluster, an observer (the GUI, attached to watch and
// command), or a client (a tool that sends requests).
enum class PeerRole { Node, Observer, Client };
std::string_view peerRoleName(PeerRole role);

// Whether `id` may name a process on the wire: 1 to 64 of A-Z a-z 0-9 . _ -
bool validWireId(std::string_view id);

struct HandshakeStep {
    std::vector<Envelope> send;          // frames to write, in order
    bool done = false;                   // the connection is authenticated
    std::optional<std::string> failure;  // why the handshake failed: send an error, then close
};

class ServerHandshake {
public:
    // `key` may be null (no key: loopback only); it must outlive the handshake.
    ServerHandshake(NodeId self, const ClusterKey* key, std::string nonce);
    HandshakeStep onFrame(const Envelope& frame);
    bool done() const { return m_stage == Stage::Done; }
    const NodeId& peer() const { return m_peer; }
    PeerRole peerRole() const { return m_role; }

private:
    enum class Stage { Hello, Auth, Done, Failed };
    HandshakeStep fail(std::string why);

    NodeId m_self;
    const ClusterKey* m_key;
    std::string m_nonce;
    std::string m_peerNonce;
    NodeId m_peer;
    PeerRole m_role = PeerRole::Node;
    Stage m_stage = Stage::Hello;
};

class ClientHandshake {
public:
    // `expectedServer` empty: any server id is accepted (joining by address).
    ClientHandshake(NodeId self, PeerRole role, NodeId expectedServer, const ClusterKey* key, std::string nonce);
    Envelope hello() const;
    HandshakeStep onFrame(const Envelope& frame);
    bool done() const { return m_stage == Stage::Done; }
    const NodeId& server() const { return m_server; }

private:
    enum class Stage { Challenge, Welcome, Done, Failed };
    HandshakeStep fail(std::string why);

    NodeId m_self;
    PeerRole m_role;
    NodeId m_server;
    const ClusterKey* m_key;
    std::string m_nonce;
    std::string m_serverNonce;
    Stage m_stage = Stage::Challenge;
};

// The proofs, for tests that forge or replay them.
std::string serverProof(const ClusterKey& key, std::string_view clientNonce, std::string_view serverNonce,
                        std::string_view client, std::string_view server);
std::string clientProof(const ClusterKey& key, std::string_view clientNonce, std::string_view serverNonce,
                        std::string_view client, std::string_view server);

// The error frame a refused connection receives before it closes.
Envelope wireError(const NodeId& self, const NodeId& peer, std::string text);

}  // namespace distlab::net
