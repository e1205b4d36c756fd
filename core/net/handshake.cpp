#include "core/net/handshake.h"

#include <algorithm>

namespace distlab::net {

namespace {

constexpr std::string_view kHello = "wire_hello";
constexpr std::string_view kChallenge = "wire_challenge";
constexpr std::string_view kAuth = "wire_auth";
constexpr std::string_view kWelcome = "wire_welcome";

// Each field with its length first, so that no two different field lists sign the same text.
std::string proofText(std::string_view side, std::string_view clientNonce, std::string_view serverNonce,
                      std::string_view client, std::string_view server) {
    std::string text = "distlab-wire-" + std::to_string(kWireVersion);
    for (std::string_view field : {side, clientNonce, serverNonce, client, server}) {
        text += '|';
        text += std::to_string(field.size());
        text += ':';
        text += field;
    }
    return text;
}

bool validNonce(std::string_view nonce) {
    return nonce.size() == 2 * kNonceBytes &&
           std::all_of(nonce.begin(), nonce.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// A string field of the body, or nullopt when it is missing or not a string.
std::optional<std::string> stringField(const Body& body, const char* name) {
    auto it = body.fields.find(name);
    if (it == body.fields.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

Envelope frame(const NodeId& src, const NodeId& dest, std::string_view type, Json fields) {
    Envelope envelope;
    envelope.src = src;
    envelope.dest = dest;
    envelope.body.type = std::string(type);
    envelope.body.fields = std::move(fields);
    return envelope;
}

std::optional<PeerRole> roleNamed(std::string_view name) {
    for (PeerRole role : {PeerRole::Node, PeerRole::Observer, PeerRole::Client})
        if (peerRoleName(role) == name) return role;
    return std::nullopt;
}

}  // namespace

std::string_view peerRoleName(PeerRole role) {
    switch (role) {
    case PeerRole::Node: return "node";
    case PeerRole::Observer: return "observer";
    case PeerRole::Client: return "client";
    }
    return "node";
}

bool validWireId(std::string_view id) {
    return !id.empty() && id.size() <= kNodeIdBytesMax && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

std::string serverProof(const ClusterKey& key, std::string_view clientNonce, std::string_view serverNonce,
                        std::string_view client, std::string_view server) {
    return key.sign(proofText("server", clientNonce, serverNonce, client, server));
}

std::string clientProof(const ClusterKey& key, std::string_view clientNonce, std::string_view serverNonce,
                        std::string_view client, std::string_view server) {
    return key.sign(proofText("client", clientNonce, serverNonce, client, server));
}

Envelope wireError(const NodeId& self, const NodeId& peer, std::string text) {
    Envelope envelope;
    envelope.src = validWireId(self) ? self : std::string(kAnyServer);
    envelope.dest = validWireId(peer) ? peer : std::string(kAnyServer);
    envelope.body = makeBody(makeErrorMsg(ErrorCode::MalformedRequest, std::move(text)));
    return envelope;
}

// --- server ---

ServerHandshake::ServerHandshake(NodeId self, const ClusterKey* key, std::string nonce)
    : m_self(std::move(self)), m_key(key), m_nonce(std::move(nonce)) {}

HandshakeStep ServerHandshake::fail(std::string why) {
    m_stage = Stage::Failed;
    HandshakeStep step;
    step.failure = std::move(why);
    return step;
}

HandshakeStep ServerHandshake::onFrame(const Envelope& in) {
    switch (m_stage) {
    case Stage::Hello: {
        if (in.body.type != kHello) return fail("expected wire_hello first, got \"" + utf8Prefix(in.body.type, 64) + "\"");
        if (!validWireId(in.src)) return fail("wire_hello: src must be 1 to 64 of A-Z a-z 0-9 . _ -");
        if (in.dest != kAnyServer && in.dest != m_self) return fail("wire_hello is for '" + utf8Prefix(in.dest, 64) + "', this is '" + m_self + "'");
        auto version = in.body.fields.find("version");
        if (version == in.body.fields.end() || !version->is_number_integer() || version->get<std::int64_t>() != kWireVersion)
            return fail("wire_hello: version must be " + std::to_string(kWireVersion));
        auto nonce = stringField(in.body, "nonce");
        if (!nonce || !validNonce(*nonce)) return fail("wire_hello: nonce must be 64 lowercase hex digits");
        auto roleName = stringField(in.body, "role");
        auto role = roleName ? roleNamed(*roleName) : std::nullopt;
        if (!role) return fail("wire_hello: role must be node, observer or client");
        m_peer = in.src;
        m_peerNonce = *nonce;
        m_role = *role;
        m_stage = Stage::Auth;
        Json fields = {{"nonce", m_nonce},
                       {"proof", m_key ? serverProof(*m_key, m_peerNonce, m_nonce, m_peer, m_self) : std::string()}};
        HandshakeStep step;
        step.send.push_back(frame(m_self, m_peer, kChallenge, std::move(fields)));
        return step;
    }
    case Stage::Auth: {
        if (in.body.type != kAuth) return fail("expected wire_auth, got \"" + utf8Prefix(in.body.type, 64) + "\"");
        if (in.src != m_peer) return fail("wire_auth comes from another id than wire_hello");
        auto proof = stringField(in.body, "proof");
        if (!proof) return fail("wire_auth: proof must be a string");
        if (m_key) {
            if (proof->empty()) return fail("authentication failed: this node needs the cluster key (--cluster-key-file)");
            if (!equalInConstantTime(*proof, clientProof(*m_key, m_peerNonce, m_nonce, m_peer, m_self)))
                return fail("authentication failed: wrong cluster key");
        } else if (!proof->empty()) {
            return fail("authentication failed: this node has no cluster key, the connecting side has one");
        }
        m_stage = Stage::Done;
        HandshakeStep step;
        step.send.push_back(frame(m_self, m_peer, kWelcome, Json::object()));
        step.done = true;
        return step;
    }
    case Stage::Done:
    case Stage::Failed: break;
    }
    return fail("the handshake is over");
}

// --- client ---

ClientHandshake::ClientHandshake(NodeId self, PeerRole role, NodeId expectedServer, const ClusterKey* key, std::string nonce)
    : m_self(std::move(self)), m_role(role), m_server(std::move(expectedServer)), m_key(key), m_nonce(std::move(nonce)) {}

Envelope ClientHandshake::hello() const {
    return frame(m_self, m_server.empty() ? std::string(kAnyServer) : m_server, kHello,
                 Json{{"version", kWireVersion}, {"role", std::string(peerRoleName(m_role))}, {"nonce", m_nonce}});
}

HandshakeStep ClientHandshake::fail(std::string why) {
    m_stage = Stage::Failed;
    HandshakeStep step;
    step.failure = std::move(why);
    return step;
}

HandshakeStep ClientHandshake::onFrame(const Envelope& in) {
    if (in.body.type == ErrorMsg::kType) {
        auto text = stringField(in.body, "text");
        return fail("refused by the node: " + (text ? utf8Prefix(*text, 200) : std::string("no reason given")));
    }
    switch (m_stage) {
    case Stage::Challenge: {
        if (in.body.type != kChallenge) return fail("expected wire_challenge, got \"" + utf8Prefix(in.body.type, 64) + "\"");
        if (!validWireId(in.src)) return fail("wire_challenge: src is not a valid id");
        if (!m_server.empty() && in.src != m_server)
            return fail("connected to '" + in.src + "', expected '" + m_server + "'");
        if (in.dest != m_self) return fail("wire_challenge is for another id");
        auto nonce = stringField(in.body, "nonce");
        if (!nonce || !validNonce(*nonce)) return fail("wire_challenge: nonce must be 64 lowercase hex digits");
        auto proof = stringField(in.body, "proof");
        if (!proof) return fail("wire_challenge: proof must be a string");
        m_server = in.src;
        m_serverNonce = *nonce;
        if (m_key) {
            if (proof->empty()) return fail("authentication failed: the node has no cluster key");
            if (!equalInConstantTime(*proof, serverProof(*m_key, m_nonce, m_serverNonce, m_self, m_server)))
                return fail("authentication failed: the node proved another cluster key");
        } else if (!proof->empty()) {
            return fail("authentication failed: the node needs the cluster key (--cluster-key-file)");
        }
        m_stage = Stage::Welcome;
        HandshakeStep step;
        step.send.push_back(frame(m_self, m_server, kAuth,
                                  Json{{"proof", m_key ? clientProof(*m_key, m_nonce, m_serverNonce, m_self, m_server)
                                                       : std::string()}}));
        return step;
    }
    case Stage::Welcome: {
        if (in.body.type != kWelcome) return fail("expected wire_welcome, got \"" + utf8Prefix(in.body.type, 64) + "\"");
        if (in.src != m_server) return fail("wire_welcome comes from another id");
        m_stage = Stage::Done;
        HandshakeStep step;
        step.done = true;
        return step;
    }
    case Stage::Done:
    case Stage::Failed: break;
    }
    return fail("the handshake is over");
}

}  // namespace distlab::net
