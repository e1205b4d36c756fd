// The ZooKeeper recipes' "Locks" (Hunt et al., USENIX ATC 2010) as a client node: ephemeral sequential
// nodes, a watch on the predecessor only (or, in the naive variant, on the parent), and a fenced
// read-modify-write of the protected storage under the lock. The state machine is drawn in the header.
#include "core/protocols/lock/zk/zk_lock_client.h"

#include "core/protocols/lock/lease/lease_lock_client.h"

#include <algorithm>
#include <optional>

#include "core/base/text.h"
#include "core/protocols/lock/lease/lease_messages.h"

namespace distlab::zk {

namespace {

const std::string kTagHeartbeat = "zk-heartbeat";
const std::string kTagTimeout = "zk-request-timeout";
const std::string kTagHold = "zk-hold";
const std::string kTagRecheck = "zk-recheck";
const std::string kOpCounterKey = "zk-client/op-counter";
constexpr std::size_t kRequestsRemembered = 64;  // requests whose session we remember (for error 14)

// Why a resource name cannot name a lock directory, or empty.
std::string validateLockResource(std::string_view resource) {
    if (std::string problem = lock::validateResource(resource); !problem.empty()) return problem;
    if (resource.find('/') != std::string_view::npos) return "resource: must not contain '/'";
    if (std::string problem = validatePath("/locks/" + std::string(resource)); !problem.empty())
        return "resource: " + problem;
    return {};
}

std::string errorText(const Envelope& message) {
    Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
    return error ? error->text : "unexpected " + message.body.type;
}

}  // namespace

std::string_view watchModeName(WatchMode mode) {
    return mode == WatchMode::Predecessor ? "predecessor" : "parent";
}

bool parseWatchMode(std::string_view name, WatchMode& mode) {
    if (name == "predecessor") {
        mode = WatchMode::Predecessor;
        return true;
    }
    if (name == "parent") {
        mode = WatchMode::Parent;
        return true;
    }
    return false;
}

std::string_view zkLockStateName(ZkLockClient::State state) {
    return kZkLockClientMachine.name(state);
}

ZkLockClient::ZkLockClient(ZkLockClientConfig config)
    : m_config(std::move(config)),
      m_mode(m_config.mode),
      m_nextMode(m_config.mode),
      m_resource(m_config.resource) {
    m_config.holdMs = std::clamp<std::int64_t>(m_config.holdMs, 0, lock::kTtlMsMax);
}

void ZkLockClient::onStart(Context& ctx) {
    openSession(ctx);
}

void ZkLockClient::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == lock::ClientLock::kType) return onClientLock(ctx, message);
    if (type == lock::ClientUnlock::kType) return onClientUnlock(ctx, message);
    if (type == WatchModeSet::kType) return onWatchModeSet(ctx, message);
    if (type == WatchEvent::kType) return onWatchEvent(ctx, message);
    if (!message.body.inReplyTo) return;
    const std::int64_t inReplyTo = *message.body.inReplyTo;
    if (inReplyTo == m_pendingMsgId && m_pendingMsgId != 0)
        onReply(ctx, message);
    else if (Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
             error && error->code == int(ErrorCode::Abort)) {
        // A heartbeat (or a request we gave up on) found the session gone: so is our node.
        auto asked = m_sessionOfRequest.find(inReplyTo);
        if (asked != m_sessionOfRequest.end() && asked->second == m_session && m_session != 0)
            sessionExpired(ctx);
    }
    // heartbeat_ok, and late answers to requests we gave up on: the timeline has moved on.
    m_sessionOfRequest.erase(inReplyTo);
}

void ZkLockClient::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag == kTagHeartbeat) {
        if (id != m_heartbeatTimer || m_session == 0) return;
        sendToServer(ctx, makeBody(Heartbeat{m_session}));
        m_heartbeatTimer =
            ctx.setTimer(millis(std::max<std::int64_t>(1, m_config.sessionTimeoutMs / 3)), kTagHeartbeat);
        return;
    }
    if (id != m_timer) return;
    m_timer = 0;
    if (tag == kTagTimeout) return onRequestTimeout(ctx);
    if (tag == kTagRecheck && m_state == State::Waiting) return listChildren(ctx);
    if (tag == kTagHold && m_state == State::Holding) {
        if (m_config.storage.empty()) return startRelease(ctx);
        return startWrite(ctx);
    }
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

Json ZkLockClient::observe(SimTime now) const {
    (void)now;
    return Json{{"lock_node", m_lockNode}, {"token", m_token}, {"watching", m_watching}};
}

// --- control messages ---

void ZkLockClient::onClientLock(Context& ctx, const Envelope& message) {
    Result<lock::ClientLock> request = bodyAs<lock::ClientLock>(message.body);
    std::string resource = request && !request->resource.empty() ? request->resource : m_config.resource;
    if (m_acquiring || holding() || m_state == State::Releasing) {
        ctx.traceState("busy with " + m_resource + ", ignoring client_lock " + resource);
        return;
    }
    // ttl_ms does not apply: a ZooKeeper lock lasts as long as its holder's session.
    m_resource = std::move(resource);
    // As the lease client: a hold_ms beyond lock::kTtlMsMax (a day) would overflow the timer's
    // microseconds, so it falls back to the default like any other out-of-range override.
    const bool holdInRange = request && request->hold_ms >= 0 && request->hold_ms <= lock::kTtlMsMax;
    if (request && request->hold_ms > lock::kTtlMsMax)
        ctx.traceState("hold_ms " + std::to_string(request->hold_ms) + " is above " +
                       std::to_string(lock::kTtlMsMax) + " ms: holding the default " +
                       std::to_string(m_config.holdMs) + " ms");
    m_holdMs = holdInRange ? request->hold_ms : m_config.holdMs;
    m_mode = m_nextMode;
    m_lockNode.clear();
    m_watching.clear();
    m_token = 0;
    m_lockOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, m_lockOpId, "lock", Json{{"resource", m_resource}});
    if (std::string problem = validateLockResource(m_resource); !problem.empty()) {
        ctx.recordOp(OpPhase::Fail, m_lockOpId, "lock", Json{{"resource", m_resource}, {"error", problem}});
        ctx.traceState("refused client_lock: " + problem);
        return;
    }
    m_acquiring = true;
    if (m_session != 0) sendCreate(ctx);  // otherwise once the session is open
}

void ZkLockClient::onClientUnlock(Context& ctx, const Envelope& message) {
    Result<lock::ClientUnlock> request = bodyAs<lock::ClientUnlock>(message.body);
    if (request && !request->resource.empty() && request->resource != m_resource) return;
    if (m_acquiring) {
        ctx.recordOp(OpPhase::Fail, m_lockOpId, "lock",
                     Json{{"resource", m_resource}, {"error", "client_unlock before the grant"}});
        m_acquiring = false;
        if (m_state == State::Connecting) return;  // no node yet, and none will be made
        if (m_state != State::Creating) disarm(ctx);
        return startRelease(ctx);  // a create in flight stays pending: its node is deleted on arrival
    }
    if (!holding()) return;
    abandonStorageOp(ctx, "client_unlock");
    disarm(ctx);
    startRelease(ctx);
}

void ZkLockClient::onWatchModeSet(Context& ctx, const Envelope& message) {
    Result<WatchModeSet> request = bodyAs<WatchModeSet>(message.body);
    WatchMode mode = m_nextMode;
    if (!request || !parseWatchMode(request->mode, mode)) {
        ctx.traceState("ignoring zk_watch_set: mode must be \"predecessor\" or \"parent\"");
        return;
    }
    m_nextMode = mode;
    ctx.traceState("watch mode " + std::string(watchModeName(mode)) + " from the next acquisition");
}

// --- answers ---

void ZkLockClient::onReply(Context& ctx, const Envelope& message) {
    m_pendingMsgId = 0;
    disarm(ctx);
    if (Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
        error && error->code == int(ErrorCode::Abort)) {
        auto asked = m_sessionOfRequest.find(*message.body.inReplyTo);
        if (asked != m_sessionOfRequest.end() && asked->second == m_session && m_session != 0)
            return sessionExpired(ctx);
    }
    switch (m_state) {
        case State::Connecting:
            return onSessionOk(ctx, message);
        case State::Creating:
            return onCreateReply(ctx, message);
        case State::Listing:
            return onChildrenOk(ctx, message);
        case State::Waiting:
            return onExistsOk(ctx, message);
        case State::Reading:
            return onReadReply(ctx, message);
        case State::Writing:
            return onWriteReply(ctx, message);
        case State::Releasing:
            return m_lockNode.empty() ? onCreateReply(ctx, message) : onDeleteReply(ctx, message);
        case State::Idle:
        case State::Holding:
            return;
    }
}

void ZkLockClient::onSessionOk(Context& ctx, const Envelope& message) {
    Result<SessionOk> ok = bodyAs<SessionOk>(message.body);
    if (!ok) {
        ctx.traceState("session_open refused: " + errorText(message));
        return arm(ctx, m_config.requestTimeoutMs, kTagTimeout);  // ask again after a while
    }
    m_session = ok->session;
    m_heartbeatTimer =
        ctx.setTimer(millis(std::max<std::int64_t>(1, m_config.sessionTimeoutMs / 3)), kTagHeartbeat);
    setState(ctx, State::Idle, "session " + std::to_string(m_session));
    if (m_acquiring) sendCreate(ctx);
}

void ZkLockClient::onCreateReply(Context& ctx, const Envelope& message) {
    Result<CreateOk> ok = bodyAs<CreateOk>(message.body);
    if (m_state == State::Releasing) {
        // Unlocked while the create was in flight: do not leave an orphan node in the queue.
        if (!ok) return finishRelease(ctx, Json{{"released", false}, {"reason", "no lock node was created"}});
        m_lockNode = ok->path;
        return sendDelete(ctx);
    }
    if (!ok) {
        ctx.recordOp(OpPhase::Fail, m_lockOpId, "lock",
                     Json{{"resource", m_resource}, {"error", errorText(message)}});
        m_acquiring = false;
        return setState(ctx, State::Idle, errorText(message));
    }
    m_lockNode = ok->path;
    m_token = ok->czxid;
    listChildren(ctx);
}

void ZkLockClient::onChildrenOk(Context& ctx, const Envelope& message) {
    Result<ChildrenOk> ok = bodyAs<ChildrenOk>(message.body);
    if (!ok) {
        ctx.recordOp(OpPhase::Fail, m_lockOpId, "lock",
                     Json{{"resource", m_resource}, {"error", errorText(message)}});
        m_acquiring = false;
        return startRelease(ctx);
    }
    std::vector<std::string> children = ok->children;
    std::sort(children.begin(), children.end(),
              [](const std::string& a, const std::string& b) { return lockOrderLess(a, b); });
    const std::string mine = baseName(m_lockNode);
    auto it = std::find(children.begin(), children.end(), mine);
    if (it == children.end()) {
        // Only the end of our session deletes our node without our asking: the server has expired it
        // (or restarted) and our heartbeats have not told us yet.
        return sessionExpired(ctx);
    }
    if (it == children.begin()) return granted(ctx);
    if (m_mode == WatchMode::Parent) {
        m_watching = lockDir();
        setState(ctx, State::Waiting, "watching " + m_watching);
        if (m_config.waitRecheckMs > 0) arm(ctx, m_config.waitRecheckMs, kTagRecheck);
        return;
    }
    m_watching = lockDir() + "/" + *std::prev(it);
    watchPredecessor(ctx);
}

void ZkLockClient::onExistsOk(Context& ctx, const Envelope& message) {
    Result<ExistsOk> ok = bodyAs<ExistsOk>(message.body);
    // The predecessor went away between the listing and the watch: look again (no wakeup counted).
    if (!ok || !ok->exists) return listChildren(ctx);
    if (m_config.waitRecheckMs > 0) arm(ctx, m_config.waitRecheckMs, kTagRecheck);
}

void ZkLockClient::onDeleteReply(Context& ctx, const Envelope& message) {
    if (bodyAs<DeleteOk>(message.body)) return finishRelease(ctx, Json{{"released", true}});
    Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
    if (error && error->code == int(ErrorCode::KeyDoesNotExist))
        return finishRelease(ctx, Json{{"released", false}, {"reason", "lock node already gone"}});
    // The server refused: the session that made our node is over (an older one than the current, whose
    // end onReply handles), or the node of that name now belongs to another session (the server
    // restarted and reused the name). Either way we no longer hold that node, and it is not ours to delete.
    if (error && error->code == int(ErrorCode::Abort))
        return finishRelease(ctx, Json{{"released", false}, {"reason", "session expired"}});
    if (error && error->code == int(ErrorCode::PreconditionFailed)) {
        ctx.traceState(m_lockNode + " is no longer ours: " + error->text);
        return finishRelease(ctx,
                             Json{{"released", false}, {"reason", "lock node owned by another session"}});
    }
    finishRelease(ctx, Json{{"released", false}, {"reason", errorText(message)}});
}

void ZkLockClient::onReadReply(Context& ctx, const Envelope& message) {
    if (Result<lock::StorageReadOk> ok = bodyAs<lock::StorageReadOk>(message.body)) {
        ctx.recordOp(OpPhase::Ok, m_readOpId, "read",
                     Json{{"fencing_token", m_token}, {"seq", ok->seq}, {"exists", ok->exists}});
        m_readValue = ok->exists ? ok->value : std::string();
        return startWork(ctx);
    }
    Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
    if (error && error->code == int(ErrorCode::KeyDoesNotExist)) {
        // A storage that answers a missing key with error 20 rather than exists = false.
        ctx.recordOp(OpPhase::Ok, m_readOpId, "read", Json{{"fencing_token", m_token}, {"exists", false}});
        m_readValue.clear();
        return startWork(ctx);
    }
    ctx.recordOp(OpPhase::Fail, m_readOpId, "read",
                 Json{{"fencing_token", m_token}, {"error", errorText(message)}});
    if (error && error->code == int(ErrorCode::PreconditionFailed))
        ctx.traceState("lost the lock: the storage has seen a newer fencing token than " +
                       std::to_string(m_token));
    startRelease(ctx);
}

void ZkLockClient::onWriteReply(Context& ctx, const Envelope& message) {
    if (Result<lock::StorageWriteOk> ok = bodyAs<lock::StorageWriteOk>(message.body)) {
        ctx.recordOp(OpPhase::Ok, m_writeOpId, "write", Json{{"fencing_token", m_token}, {"seq", ok->seq}});
        return startRelease(ctx);
    }
    Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
    const bool definite = error && errorIsDefinite(ErrorCode(error->code));
    ctx.recordOp(definite ? OpPhase::Fail : OpPhase::Unknown, m_writeOpId, "write",
                 Json{{"fencing_token", m_token}, {"error", errorText(message)}});
    if (error && error->code == int(ErrorCode::PreconditionFailed))
        ctx.traceState("lost the lock: the storage has seen a newer fencing token than " +
                       std::to_string(m_token));
    startRelease(ctx);
}

void ZkLockClient::onWatchEvent(Context& ctx, const Envelope& message) {
    Result<WatchEvent> event = bodyAs<WatchEvent>(message.body);
    if (!event || m_state != State::Waiting || event->path != m_watching) return;
    ++m_wakeups;
    listChildren(ctx);
}

void ZkLockClient::onRequestTimeout(Context& ctx) {
    m_pendingMsgId = 0;
    switch (m_state) {
        case State::Connecting:
            return openSession(ctx);
        case State::Creating:
            return abandonSession(ctx, "create unanswered");
        case State::Listing:
            return listChildren(ctx);
        case State::Waiting:
            return watchPredecessor(ctx);
        case State::Reading:
            ctx.recordOp(OpPhase::Unknown, m_readOpId, "read",
                         Json{{"fencing_token", m_token}, {"error", "timeout"}});
            return startRelease(ctx);
        case State::Writing:
            ctx.recordOp(OpPhase::Unknown, m_writeOpId, "write",
                         Json{{"fencing_token", m_token}, {"error", "timeout"}});
            return startRelease(ctx);
        case State::Releasing:
            if (!m_lockNode.empty()) return sendDelete(ctx);
            finishRelease(ctx, Json{{"released", false},
                                    {"reason", "create unanswered; its session is left to expire"}});
            return abandonSession(ctx, "create unanswered");
        case State::Idle:
        case State::Holding:
            return;
    }
}

// --- steps ---

void ZkLockClient::openSession(Context& ctx) {
    m_session = 0;
    if (m_heartbeatTimer != 0) ctx.cancelTimer(m_heartbeatTimer);
    m_heartbeatTimer = 0;
    setState(ctx, State::Connecting);
    expect(ctx, ctx.send(m_config.server, makeBody(SessionOpen{m_config.sessionTimeoutMs})),
           m_config.requestTimeoutMs);
}

void ZkLockClient::sessionExpired(Context& ctx) {
    ++m_sessionsLost;
    ctx.traceState("session " + std::to_string(m_session) + " expired");
    if (m_state == State::Releasing) {
        // The server deleted our node with the session: the unlock in progress ends here.
        finishRelease(ctx, Json{{"released", false}, {"reason", "session expired"}});
    } else if (holding() || (m_acquiring && m_state != State::Connecting && m_state != State::Idle)) {
        abandonStorageOp(ctx, "session expired");
        recordSessionLoss(ctx);
    }
    disarm(ctx);
    m_pendingMsgId = 0;
    m_lockNode.clear();
    m_watching.clear();
    // A waiter asks again on its new session, as a user of the recipe would; a holder has lost the lock
    // and its work with it.
    openSession(ctx);
}

void ZkLockClient::abandonSession(Context& ctx, const std::string& why) {
    ctx.traceState(why + ": leaving session " + std::to_string(m_session) +
                   " to expire with any node it made, and starting a new one");
    m_lockNode.clear();
    m_watching.clear();
    openSession(ctx);
}

void ZkLockClient::recordSessionLoss(Context& ctx) {
    m_unlockOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, m_unlockOpId, "unlock",
                 Json{{"resource", m_resource}, {"lock_node", m_lockNode}});
    ctx.recordOp(OpPhase::Ok, m_unlockOpId, "unlock",
                 Json{{"resource", m_resource}, {"released", false}, {"reason", "session expired"}});
}

void ZkLockClient::sendCreate(Context& ctx) {
    setState(ctx, State::Creating, lockDir());
    expect(ctx, sendToServer(ctx, makeBody(Create{m_session, lockDir() + "/lock-", true, true})),
           m_config.requestTimeoutMs);
}

void ZkLockClient::listChildren(Context& ctx) {
    disarm(ctx);
    setState(ctx, State::Listing);
    // The recipe lists without a watch; the naive variant leaves a child watch on the parent.
    expect(ctx, sendToServer(ctx, makeBody(GetChildren{lockDir(), m_mode == WatchMode::Parent})),
           m_config.requestTimeoutMs);
}

void ZkLockClient::watchPredecessor(Context& ctx) {
    setState(ctx, State::Waiting, "watching " + m_watching);
    if (m_mode == WatchMode::Parent) {
        // The child watch was set by the listing; only re-check later.
        if (m_config.waitRecheckMs > 0) arm(ctx, m_config.waitRecheckMs, kTagRecheck);
        return;
    }
    expect(ctx, sendToServer(ctx, makeBody(Exists{m_watching, true})), m_config.requestTimeoutMs);
}

void ZkLockClient::granted(Context& ctx) {
    m_acquiring = false;
    m_watching.clear();
    ++m_grants;
    ctx.recordOp(OpPhase::Ok, m_lockOpId, "lock",
                 Json{{"resource", m_resource}, {"fencing_token", m_token}, {"lock_node", m_lockNode}});
    setState(ctx, State::Holding, m_lockNode + " token " + std::to_string(m_token));
    if (!m_config.storage.empty()) return startRead(ctx);
    if (m_holdMs > 0) arm(ctx, m_holdMs, kTagHold);  // 0: hold until client_unlock
}

void ZkLockClient::startRead(Context& ctx) {
    setState(ctx, State::Reading);
    m_readOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, m_readOpId, "read", Json{{"key", m_resource}, {"fencing_token", m_token}});
    expect(ctx, ctx.send(m_config.storage, makeBody(lock::StorageRead{m_resource, m_token})),
           m_config.requestTimeoutMs);
}

void ZkLockClient::startWork(Context& ctx) {
    setState(ctx, State::Holding, "working " + std::to_string(m_holdMs) + " ms");
    arm(ctx, m_holdMs, kTagHold);
}

void ZkLockClient::startWrite(Context& ctx) {
    setState(ctx, State::Writing);
    m_writeOpId = ctx.store().increment(kOpCounterKey);
    // A read-modify-write: append who wrote, under which op; keep the newest entries within the limit.
    const std::string value =
        lock::appendStorageEntry(m_readValue, ctx.self() + "#" + std::to_string(m_writeOpId));
    ctx.recordOp(OpPhase::Invoke, m_writeOpId, "write",
                 Json{{"key", m_resource}, {"value", value}, {"fencing_token", m_token}});
    expect(ctx, ctx.send(m_config.storage, makeBody(lock::StorageWrite{m_resource, value, m_token})),
           m_config.requestTimeoutMs);
}

void ZkLockClient::startRelease(Context& ctx) {
    setState(ctx, State::Releasing, m_lockNode);
    m_unlockOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, m_unlockOpId, "unlock",
                 Json{{"resource", m_resource}, {"lock_node", m_lockNode}});
    m_watching.clear();
    if (!m_lockNode.empty()) sendDelete(ctx);
    // Otherwise the create is still in flight: its answer (or its timeout) finishes the release.
}

void ZkLockClient::sendDelete(Context& ctx) {
    expect(ctx, sendToServer(ctx, makeBody(Delete{m_session, m_lockNode})), m_config.requestTimeoutMs);
}

void ZkLockClient::finishRelease(Context& ctx, Json result) {
    ctx.recordOp(OpPhase::Ok, m_unlockOpId, "unlock", std::move(result));
    m_lockNode.clear();
    m_watching.clear();
    setState(ctx, State::Idle, "released " + m_resource);
}

void ZkLockClient::abandonStorageOp(Context& ctx, const std::string& why) {
    // The storage may still apply what is in flight: the outcome is unknown, not failed.
    if (m_state == State::Reading)
        ctx.recordOp(OpPhase::Unknown, m_readOpId, "read", Json{{"fencing_token", m_token}, {"error", why}});
    if (m_state == State::Writing)
        ctx.recordOp(OpPhase::Unknown, m_writeOpId, "write",
                     Json{{"fencing_token", m_token}, {"error", why}});
    if (m_state == State::Reading || m_state == State::Writing) {
        m_pendingMsgId = 0;
        disarm(ctx);
    }
}

std::int64_t ZkLockClient::sendToServer(Context& ctx, Body body) {
    const std::int64_t msgId = ctx.send(m_config.server, std::move(body));
    m_sessionOfRequest[msgId] = m_session;
    while (m_sessionOfRequest.size() > kRequestsRemembered)
        m_sessionOfRequest.erase(m_sessionOfRequest.begin());
    return msgId;
}

void ZkLockClient::expect(Context& ctx, std::int64_t msgId, std::int64_t timeoutMs) {
    m_pendingMsgId = msgId;
    arm(ctx, timeoutMs, kTagTimeout);
}

void ZkLockClient::arm(Context& ctx, std::int64_t delayMs, std::string_view tag) {
    disarm(ctx);
    m_timer = ctx.setTimer(millis(std::max<std::int64_t>(0, delayMs)), tag);
}

void ZkLockClient::disarm(Context& ctx) {
    if (m_timer != 0) ctx.cancelTimer(m_timer);
    m_timer = 0;
}

void ZkLockClient::setState(Context& ctx, State state, const std::string& detail) {
    kZkLockClientMachine.check(m_state, state, ctx.self(), ctx.now(), m_resource);
    m_state = state;
    std::string text(zkLockStateName(state));
    if (!detail.empty()) text += " " + detail;
    ctx.traceState(text);
}

}  // namespace distlab::zk
