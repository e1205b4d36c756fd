// The ZooKeeper recipes' "Locks" (Hunt et al., USENIX ATC 2010) as a client node: ephemeral sequential
// nodes, a watch on the predecessor only (or, in the naive variant, on the parent). The state machine is
// drawn in the header.
#include "core/protocols/lock/zk/zk_lock_client.h"

#include <algorithm>

#include "core/node/text.h"

namespace distlab::zk {

namespace {

const std::string kTagHeartbeat = "heartbeat";

}  // namespace

std::string_view watchModeName(WatchMode mode) {
    return mode == WatchMode::Predecessor ? "predecessor" : "parent";
}

std::string_view zkLockStateName(ZkLockClient::State state) {
    switch (state) {
        case ZkLockClient::State::Connecting:
            return "CONNECTING";
        case ZkLockClient::State::Idle:
            return "IDLE";
        case ZkLockClient::State::Creating:
            return "CREATING";
        case ZkLockClient::State::Listing:
            return "LISTING";
        case ZkLockClient::State::Waiting:
            return "WAITING";
        case ZkLockClient::State::Holding:
            return "HOLDING";
    }
    return "?";
}

ZkLockClient::ZkLockClient(ZkLockClientConfig config) : m_config(std::move(config)) {}

void ZkLockClient::onStart(Context& ctx) {
    setState(ctx, State::Connecting);
    ctx.send(m_config.server, makeBody(SessionOpen{m_config.sessionTimeoutMs}));
}

void ZkLockClient::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == SessionOk::kType) return onSessionOk(ctx, message);
    if (type == CreateOk::kType) return onCreateOk(ctx, message);
    if (type == ChildrenOk::kType) return onChildrenOk(ctx, message);
    if (type == ExistsOk::kType) return onExistsOk(ctx, message);
    if (type == WatchEvent::kType) return onWatchEvent(ctx, message);
    if (type == ErrorMsg::kType) return onError(ctx, message);
    if (type == LockAcquire::kType) return acquire(ctx);
    if (type == LockRelease::kType) return release(ctx);
    // heartbeat_ok, delete_ok: nothing to do.
}

void ZkLockClient::onTimer(Context& ctx, TimerId, const std::string& tag) {
    if (tag != kTagHeartbeat || m_session == 0) return;
    ctx.send(m_config.server, makeBody(Heartbeat{m_session}));
    ctx.setTimer(millis(std::max<std::int64_t>(1, m_config.sessionTimeoutMs / 3)), kTagHeartbeat);
}

void ZkLockClient::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    const std::string none = QT_TRANSLATE_NOOP("Details", "none");
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "state"), std::string(zkLockStateName(m_state)));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "lock node"), m_lockNode.empty() ? none : m_lockNode);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "watching"), m_watching.empty() ? none : m_watching);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "fencing token"),
                     m_token == 0 ? none : std::to_string(m_token));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "wakeups"), std::to_string(m_wakeups));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "grants"), std::to_string(m_grants));
}

void ZkLockClient::onSessionOk(Context& ctx, const Envelope& message) {
    Result<SessionOk> ok = bodyAs<SessionOk>(message.body);
    if (!ok.ok() || m_state != State::Connecting) return;
    m_session = ok.value().session;
    ctx.setTimer(millis(std::max<std::int64_t>(1, m_config.sessionTimeoutMs / 3)), kTagHeartbeat);
    setState(ctx, State::Idle);
    if (m_acquirePending) acquire(ctx);
}

void ZkLockClient::acquire(Context& ctx) {
    if (m_state == State::Connecting) {
        m_acquirePending = true;
        return;
    }
    if (m_state != State::Idle) return;  // already acquiring or holding
    m_acquirePending = false;
    setState(ctx, State::Creating);
    ctx.send(m_config.server, makeBody(Create{m_session, lockDir() + "/lock-", true, true}));
}

void ZkLockClient::release(Context& ctx) {
    m_acquirePending = false;
    if (m_state == State::Creating) setState(ctx, State::Idle, "released before create_ok");
    if (m_lockNode.empty()) return;
    ctx.send(m_config.server, makeBody(Delete{m_lockNode}));
    m_lockNode.clear();
    m_watching.clear();
    setState(ctx, State::Idle);
}

void ZkLockClient::onCreateOk(Context& ctx, const Envelope& message) {
    Result<CreateOk> ok = bodyAs<CreateOk>(message.body);
    if (!ok.ok()) return;
    if (m_state != State::Creating) {
        // Released while the create was in flight: do not leave an orphan node in the queue.
        ctx.send(m_config.server, makeBody(Delete{ok.value().path}));
        return;
    }
    m_lockNode = ok.value().path;
    m_token = ok.value().czxid;
    listChildren(ctx);
}

void ZkLockClient::listChildren(Context& ctx) {
    setState(ctx, State::Listing);
    // The recipe lists without a watch; the naive variant leaves a child watch on the parent.
    ctx.send(m_config.server, makeBody(GetChildren{lockDir(), m_config.mode == WatchMode::Parent}));
}

void ZkLockClient::onChildrenOk(Context& ctx, const Envelope& message) {
    Result<ChildrenOk> ok = bodyAs<ChildrenOk>(message.body);
    if (!ok.ok() || m_state != State::Listing || m_lockNode.empty()) return;
    std::vector<std::string> children = ok.value().children;
    std::sort(children.begin(), children.end());  // equal-width suffixes: name order is sequence order
    const std::string mine = baseName(m_lockNode);
    auto it = std::lower_bound(children.begin(), children.end(), mine);
    if (it == children.end() || *it != mine) {
        // Our node is gone: the session expired under us. The server has released the lock for us.
        m_lockNode.clear();
        m_watching.clear();
        setState(ctx, State::Idle, "lock node lost");
        return;
    }
    if (it == children.begin()) {
        m_watching.clear();
        ++m_grants;
        setState(ctx, State::Holding, m_lockNode + " token " + std::to_string(m_token));
        return;
    }
    if (m_config.mode == WatchMode::Parent) {
        m_watching = lockDir();
        setState(ctx, State::Waiting, "watching " + m_watching);
        return;
    }
    m_watching = lockDir() + "/" + *std::prev(it);
    setState(ctx, State::Waiting, "watching " + m_watching);
    ctx.send(m_config.server, makeBody(Exists{m_watching, true}));
}

void ZkLockClient::onExistsOk(Context& ctx, const Envelope& message) {
    Result<ExistsOk> ok = bodyAs<ExistsOk>(message.body);
    if (!ok.ok() || m_state != State::Waiting || ok.value().path != m_watching) return;
    // The predecessor went away between the listing and the watch: look again (no wakeup counted).
    if (!ok.value().exists) listChildren(ctx);
}

void ZkLockClient::onWatchEvent(Context& ctx, const Envelope& message) {
    Result<WatchEvent> event = bodyAs<WatchEvent>(message.body);
    if (!event.ok() || m_state != State::Waiting || event.value().path != m_watching) return;
    ++m_wakeups;
    listChildren(ctx);
}

void ZkLockClient::onError(Context& ctx, const Envelope& message) {
    Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
    if (!error.ok()) return;
    if (error.value().code == int(ErrorCode::Abort)) {
        // The session expired: its ephemeral node is gone, and so is any lock this client held.
        m_session = 0;
        m_lockNode.clear();
        m_watching.clear();
        setState(ctx, State::Connecting, "session expired");
        ctx.send(m_config.server, makeBody(SessionOpen{m_config.sessionTimeoutMs}));
        return;
    }
    if (m_state == State::Creating) setState(ctx, State::Idle, error.value().text);
}

void ZkLockClient::setState(Context& ctx, State state, const std::string& detail) {
    m_state = state;
    std::string text(zkLockStateName(state));
    if (!detail.empty()) text += " " + detail;
    ctx.traceState(text);
}

}  // namespace distlab::zk
