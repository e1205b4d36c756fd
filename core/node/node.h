#pragma once
// The one interface protocol code is written against. A node reacts to start, to a message and to a
// timer, and acts only through its Context: no sockets, threads or wall clock, so the same class runs in
// the deterministic simulator and, later, inside a real process over TCP.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/node/durable_store.h"
#include "core/node/message.h"
#include "core/base/rng.h"
#include "core/base/sim_time.h"

namespace distlab {

using TimerId = std::uint64_t;

// Client operations, recorded as a Jepsen-style history: invoke, then ok / fail (definitely did not
// happen) / unknown (may or may not have happened, e.g. a timeout).
enum class OpPhase { Invoke, Ok, Fail, Unknown };
std::string_view opPhaseName(OpPhase phase);

struct ClientOp {
    SimTime time = 0;
    std::string process;  // the client node
    std::int64_t opId = 0;
    OpPhase phase = OpPhase::Invoke;
    std::string f;  // "put", "get", ...
    Json value;     // arguments on invoke, result on completion
};

class Context {
public:
    virtual ~Context() = default;
    virtual SimTime now() const = 0;
    virtual const NodeId& self() const = 0;
    // Sends a message; assigns and returns its msg_id.
    virtual std::int64_t send(const NodeId& dest, Body body) = 0;
    // Sends a reply: sets in_reply_to to the request's msg_id.
    std::int64_t reply(const Envelope& request, Body body) {
        body.inReplyTo = request.body.msgId;
        return send(request.src, std::move(body));
    }
    // Replies with an error body.
    void replyError(const Envelope& request, ErrorCode code, std::string text) {
        reply(request, makeBody(makeErrorMsg(code, std::move(text))));
    }
    // What an onMessage ends with: a type the node does not handle gets a not-supported error naming its
    // role ("a kv server"), except a reply or an error, never answered with an error (two nodes could
    // bounce errors forever).
    void replyNotSupported(const Envelope& message, std::string_view role) {
        const std::string& type = message.body.type;
        if (type == ErrorMsg::kType || message.body.inReplyTo) return;
        replyError(message, ErrorCode::NotSupported,
                   std::string(role) + " does not handle \"" + utf8Prefix(type, 64) + "\"");
    }
    // Timers are volatile: a crash cancels them all.
    virtual TimerId setTimer(SimTime delay, std::string_view tag) = 0;
    virtual void cancelTimer(TimerId id) = 0;
    virtual Rng& rng() = 0;
    // The node's disk (see durable_store.h). A read or write it cannot do throws StoreFailure, and the host
    // stops the node with its message: the handler goes no further.
    virtual DurableStore& durable() = 0;
    Disk store() { return Disk(durable()); }
    // A protocol state change worth showing (e.g. "READY", "owner of 312 keys").
    virtual void traceState(std::string_view state) = 0;
    virtual void recordOp(OpPhase phase, std::int64_t opId, std::string_view f, Json value) = 0;
};

class Node {
public:
    virtual ~Node() = default;
    virtual void onStart(Context& ctx) = 0;
    virtual void onMessage(Context& ctx, const Envelope& message) = 0;
    virtual void onTimer(Context& ctx, TimerId id, const std::string& tag) = 0;
    // Label/value pairs for the inspector, in display order.
    virtual void describe(std::vector<std::pair<std::string, std::string>>& out) const { (void)out; }
    // What an observer may know of the process at `now` (a lease's remaining time depends on it), as plain
    // JSON whose fields the node's header documents. Labs build their views from this and the trace, never
    // from the node's type, so the same views can draw a node that runs in another process. Null when the
    // node has nothing to report.
    virtual Json observe(SimTime now) const { (void)now; return nullptr; }
    // A copy of the process with all its volatile state, for the checkpoints time travel restores; null
    // when the node cannot be copied (the run then replays from its start instead).
    virtual std::unique_ptr<Node> clone() const { return nullptr; }
};

// Builds a node's process: at its start and at every restart.
using NodeFactory = std::function<std::unique_ptr<Node>()>;

// Protocol nodes derive from this to be copyable by value: state lives in plain members, and a node never
// keeps its Context (it is handed one on every call), so a memberwise copy is the whole process.
template <class Derived>
class CopyableNode : public Node {
public:
    std::unique_ptr<Node> clone() const override {
        return std::make_unique<Derived>(static_cast<const Derived&>(*this));
    }
};

}  // namespace distlab
