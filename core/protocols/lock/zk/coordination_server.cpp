// A single ZooKeeper-like server (Hunt et al., USENIX ATC 2010): sessions, znodes, zxids and one-shot
// watches, as the ZooKeeper recipes' "Locks" needs them. The session state machine is in the header.
#include "core/protocols/lock/zk/coordination_server.h"

#include <cassert>
#include <optional>

#include "core/base/text.h"

namespace distlab::zk {

namespace {

const std::string kTagSession = "session-timeout";
const std::string kEpochStoreKey = "zk/epoch";
const std::string kLocksDir = "/locks";

}  // namespace

std::string lockResourceOf(std::string_view dir) {
    if (parentPath(dir) != kLocksDir) return {};
    return baseName(dir);
}

void CoordinationServer::onStart(Context& ctx) {
    // A new epoch per process life: zxids and session ids stay unique across restarts.
    std::int64_t epoch = 0;
    if (std::optional<std::string> stored = ctx.store().get(kEpochStoreKey)) {
        Json json = Json::parse(*stored, nullptr, /*allow_exceptions=*/false);
        if (json.is_number_integer()) epoch = json.get<std::int64_t>() + 1;
    }
    ctx.store().put(kEpochStoreKey, Json(epoch).dump());
    m_zxid = epoch << 32;
    m_nextSession = (epoch << 32) + 1;
    ctx.traceState(epoch == 0 ? std::string("SERVING") : "SERVING epoch " + std::to_string(epoch));
}

void CoordinationServer::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == SessionOpen::kType) return onSessionOpen(ctx, message);
    if (type == Heartbeat::kType) return onHeartbeat(ctx, message);
    if (type == Create::kType) return onCreate(ctx, message);
    if (type == Delete::kType) return onDelete(ctx, message);
    if (type == GetChildren::kType) return onGetChildren(ctx, message);
    if (type == Exists::kType) return onExists(ctx, message);
    // Replies and errors addressed to the server are not requests: ignore them rather than answer.
    if (message.body.inReplyTo) return;
    ctx.replyError(message, ErrorCode::NotSupported, "unknown message type \"" + type + "\"");
}

void CoordinationServer::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag != kTagSession) return;
    auto it = m_sessionTimers.find(id);
    if (it == m_sessionTimers.end()) return;
    const std::int64_t session = it->second;
    m_sessionTimers.erase(it);
    auto sit = m_sessions.find(session);
    if (sit != m_sessions.end()) sit->second.timer = 0;
    expireSession(ctx, session);
}

void CoordinationServer::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "sessions"), std::to_string(m_sessions.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "znodes"), std::to_string(m_znodes.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "zxid"), std::to_string(m_zxid));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "watches"), std::to_string(watchCount()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "expired sessions"), std::to_string(m_expiredSessions));
}

Json CoordinationServer::observe(SimTime now) const {
    (void)now;
    Json znodes = Json::object();
    for (const auto& [path, znode] : m_znodes) znodes[path] = Json{{"czxid", znode.czxid}, {"children", children(path)}};
    return Json{{"znodes", std::move(znodes)}};
}

std::vector<std::string> CoordinationServer::children(const std::string& path) const {
    // Children of "/a" are the keys "/a/x" without a further '/'; std::map keeps them contiguous and
    // sorted, except that deeper descendants sit between them, so skip those.
    const std::string prefix = path == "/" ? "/" : path + "/";
    std::vector<std::string> out;
    for (auto it = m_znodes.lower_bound(prefix); it != m_znodes.end(); ++it) {
        if (it->first.compare(0, prefix.size(), prefix) != 0) break;
        const std::string rest = it->first.substr(prefix.size());
        if (!rest.empty() && rest.find('/') == std::string::npos) out.push_back(rest);
    }
    return out;
}

std::size_t CoordinationServer::watchCount() const {
    std::size_t count = 0;
    for (const auto& [path, watchers] : m_existsWatches) count += watchers.size();
    for (const auto& [path, watchers] : m_childWatches) count += watchers.size();
    return count;
}

void CoordinationServer::onSessionOpen(Context& ctx, const Envelope& message) {
    Result<SessionOpen> request = bodyAs<SessionOpen>(message.body);
    if (!request.ok()) return ctx.replyError(message, ErrorCode::MalformedRequest, request.error().message);
    const SessionOpen& open = request.value();
    if (open.timeoutMs < kSessionTimeoutMsMin || open.timeoutMs > kSessionTimeoutMsMax)
        return ctx.replyError(message, ErrorCode::MalformedRequest,
                              "timeout_ms must be in [" + std::to_string(kSessionTimeoutMsMin) + ", " +
                                  std::to_string(kSessionTimeoutMsMax) + "]");
    // A duplicate delivery of a session_open already answered: the same session, not a second one that
    // nobody would heartbeat (see OpenedSession for why only an unused one).
    for (const OpenedSession& opened : m_recentOpens) {
        if (opened.client != message.src || opened.msgId != message.body.msgId) continue;
        auto it = m_sessions.find(opened.session);
        if (it == m_sessions.end() || it->second.used) break;
        renewSession(ctx, opened.session);
        ctx.traceState("repeated session_open from " + message.src + ": session " +
                       std::to_string(opened.session) + " again");
        ctx.reply(message, makeBody(SessionOk{opened.session}));
        return;
    }
    if (m_sessions.size() >= kSessionsMax)
        return ctx.replyError(message, ErrorCode::TemporarilyUnavailable, "too many sessions");
    const std::int64_t session = m_nextSession++;
    m_sessions[session] = Session{message.src, millis(open.timeoutMs), 0, false, {}};
    m_recentOpens.push_back(OpenedSession{message.src, message.body.msgId, session});
    while (m_recentOpens.size() > kSessionOpensRemembered) m_recentOpens.pop_front();
    renewSession(ctx, session);
    ctx.traceState("session " + std::to_string(session) + " opened by " + message.src);
    ctx.reply(message, makeBody(SessionOk{session}));
}

void CoordinationServer::onHeartbeat(Context& ctx, const Envelope& message) {
    Result<Heartbeat> request = bodyAs<Heartbeat>(message.body);
    if (!request.ok()) return ctx.replyError(message, ErrorCode::MalformedRequest, request.error().message);
    const std::int64_t session = request.value().session;
    if (!sessionAlive(session))
        return ctx.replyError(message, ErrorCode::Abort, "session " + std::to_string(session) + " expired");
    touchSession(ctx, session);
    ctx.reply(message, makeBody(HeartbeatOk{session}));
}

void CoordinationServer::onCreate(Context& ctx, const Envelope& message) {
    Result<Create> request = bodyAs<Create>(message.body);
    if (!request.ok()) return ctx.replyError(message, ErrorCode::MalformedRequest, request.error().message);
    const Create& create = request.value();
    if (std::string problem = validatePath(create.path); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, create.path + ": " + problem);
    if (create.path == "/") return ctx.replyError(message, ErrorCode::KeyAlreadyExists, "/ exists");
    if (!sessionAlive(create.session))
        return ctx.replyError(message, ErrorCode::Abort,
                              "session " + std::to_string(create.session) + " expired");
    touchSession(ctx, create.session);
    // A duplicate delivery of a create already answered (a retry, in ZooKeeper's terms): the same answer.
    // Creating again would leave a second node of the session in the queue that its client does not
    // know, so never deletes, and that blocks the lock until the session ends.
    for (const auto& [msgId, answer] : m_sessions.at(create.session).recentCreates) {
        if (msgId != message.body.msgId) continue;
        ctx.traceState("repeated create " + std::to_string(msgId) + " from session " +
                       std::to_string(create.session) + ": answered again");
        ctx.reply(message, answer);
        return;
    }
    if (m_znodes.size() + 16 > kZnodesMax)
        return answerCreate(ctx, message, create.session,
                            makeBody(makeErrorMsg(ErrorCode::TemporarilyUnavailable, "too many znodes")));

    // Missing ancestors become persistent nodes (ZooKeeper itself would answer NoNode). An ephemeral
    // node cannot have children, in ZooKeeper as here.
    std::vector<std::string> missing;
    std::string existing = parentPath(create.path);
    for (; !exists(existing); existing = parentPath(existing)) missing.push_back(existing);
    if (existing != "/" && m_znodes.at(existing).ephemeralOwner != 0)
        return answerCreate(ctx, message, create.session,
                            makeBody(makeErrorMsg(ErrorCode::PreconditionFailed,
                                                  existing + " is ephemeral and cannot have children")));
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) createZnode(ctx, *it, 0);

    const std::string parent = parentPath(create.path);
    std::string path = create.path;
    if (create.sequential) {
        Znode& parentNode = parent == "/" ? m_root : m_znodes.at(parent);
        path = sequentialName(create.path, parentNode.childSequence++);
    }
    if (exists(path))
        return answerCreate(ctx, message, create.session,
                            makeBody(makeErrorMsg(ErrorCode::KeyAlreadyExists, path + " exists")));
    const std::int64_t czxid = createZnode(ctx, path, create.ephemeral ? create.session : 0);
    answerCreate(ctx, message, create.session, makeBody(CreateOk{path, czxid}));
}

void CoordinationServer::answerCreate(Context& ctx, const Envelope& message, std::int64_t session,
                                      Body answer) {
    auto& recent = m_sessions.at(session).recentCreates;
    recent.emplace_back(message.body.msgId, answer);
    while (recent.size() > kCreatesRemembered) recent.pop_front();
    ctx.reply(message, std::move(answer));
}

void CoordinationServer::onDelete(Context& ctx, const Envelope& message) {
    Result<Delete> request = bodyAs<Delete>(message.body);
    if (!request.ok()) return ctx.replyError(message, ErrorCode::MalformedRequest, request.error().message);
    const Delete& del = request.value();
    const std::string& path = del.path;
    if (std::string problem = validatePath(path); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, path + ": " + problem);
    // As in ZooKeeper, a request of an unknown or expired session is refused outright: its ephemeral
    // nodes are gone, and any node now bearing one's name is someone else's.
    if (!sessionAlive(del.session))
        return ctx.replyError(message, ErrorCode::Abort,
                              "session " + std::to_string(del.session) + " expired");
    touchSession(ctx, del.session);
    if (path == "/" || !exists(path))
        return ctx.replyError(message, ErrorCode::KeyDoesNotExist, path + " does not exist");
    if (const std::int64_t owner = m_znodes.at(path).ephemeralOwner; owner != 0 && owner != del.session)
        return ctx.replyError(message, ErrorCode::PreconditionFailed,
                              path + " is ephemeral and owned by session " + std::to_string(owner) +
                                  ", not " + std::to_string(del.session));
    if (!children(path).empty())
        return ctx.replyError(message, ErrorCode::PreconditionFailed, path + " has children");
    deleteZnode(ctx, path, "released");
    ctx.reply(message, makeBody(DeleteOk{path}));
}

void CoordinationServer::onGetChildren(Context& ctx, const Envelope& message) {
    Result<GetChildren> request = bodyAs<GetChildren>(message.body);
    if (!request.ok()) return ctx.replyError(message, ErrorCode::MalformedRequest, request.error().message);
    const GetChildren& get = request.value();
    if (std::string problem = validatePath(get.path); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, get.path + ": " + problem);
    if (get.watch) m_childWatches[get.path].insert(message.src);
    ctx.reply(message, makeBody(ChildrenOk{get.path, children(get.path)}));
}

void CoordinationServer::onExists(Context& ctx, const Envelope& message) {
    Result<Exists> request = bodyAs<Exists>(message.body);
    if (!request.ok()) return ctx.replyError(message, ErrorCode::MalformedRequest, request.error().message);
    const Exists& query = request.value();
    if (std::string problem = validatePath(query.path); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, query.path + ": " + problem);
    if (query.watch) m_existsWatches[query.path].insert(message.src);
    ctx.reply(message, makeBody(ExistsOk{query.path, exists(query.path)}));
}

void CoordinationServer::expireSession(Context& ctx, std::int64_t session) {
    auto it = m_sessions.find(session);
    if (it == m_sessions.end()) return;
    if (it->second.timer != 0) {
        ctx.cancelTimer(it->second.timer);
        m_sessionTimers.erase(it->second.timer);
    }
    m_sessions.erase(it);
    ++m_expiredSessions;
    ctx.traceState("session " + std::to_string(session) + " expired");
    std::vector<std::string> owned;
    for (const auto& [path, znode] : m_znodes)
        if (znode.ephemeralOwner == session) owned.push_back(path);
    for (const std::string& path : owned) deleteZnode(ctx, path, "session expired");
}

void CoordinationServer::touchSession(Context& ctx, std::int64_t session) {
    m_sessions.at(session).used = true;
    renewSession(ctx, session);
}

void CoordinationServer::renewSession(Context& ctx, std::int64_t session) {
    Session& s = m_sessions.at(session);
    if (s.timer != 0) {
        ctx.cancelTimer(s.timer);
        m_sessionTimers.erase(s.timer);
    }
    s.timer = ctx.setTimer(s.timeout, kTagSession);
    m_sessionTimers[s.timer] = session;
}

std::int64_t CoordinationServer::createZnode(Context& ctx, const std::string& path,
                                             std::int64_t ephemeralOwner) {
    assert(!exists(path) && exists(parentPath(path)));
    const std::string parent = parentPath(path);
    auto before = lockHolder(parent);
    const std::string beforePath = before != m_znodes.end() ? before->first : std::string();
    const Znode beforeNode = before != m_znodes.end() ? before->second : Znode{};
    const std::int64_t czxid = ++m_zxid;
    auto session = m_sessions.find(ephemeralOwner);
    m_znodes[path] =
        Znode{czxid, ephemeralOwner, 0, session != m_sessions.end() ? session->second.client : ""};
    ctx.traceState("created " + path + " (czxid " + std::to_string(czxid) + ")");
    noteHolderChange(ctx, parent, beforePath, beforeNode, "superseded");
    fireWatches(ctx, m_existsWatches, path, kEventCreated);
    fireWatches(ctx, m_childWatches, parent, kEventChildren);
    return czxid;
}

void CoordinationServer::deleteZnode(Context& ctx, const std::string& path, std::string_view reason) {
    assert(exists(path) && path != "/");
    const std::string parent = parentPath(path);
    auto before = lockHolder(parent);
    const std::string beforePath = before != m_znodes.end() ? before->first : std::string();
    const Znode beforeNode = before != m_znodes.end() ? before->second : Znode{};
    m_znodes.erase(path);
    ++m_zxid;
    ctx.traceState("deleted " + path);
    // The holder record comes before the watch events it causes, so a checker finds a release's
    // wakeups right after it in the trace.
    noteHolderChange(ctx, parent, beforePath, beforeNode, reason);
    fireWatches(ctx, m_existsWatches, path, kEventDeleted);
    fireWatches(ctx, m_childWatches, parent, kEventChildren);
}

std::map<std::string, Znode>::const_iterator CoordinationServer::lockHolder(const std::string& dir) const {
    if (lockResourceOf(dir).empty()) return m_znodes.end();
    const std::string prefix = dir + "/";
    auto lowest = m_znodes.end();
    for (auto it = m_znodes.lower_bound(prefix); it != m_znodes.end(); ++it) {
        if (it->first.compare(0, prefix.size(), prefix) != 0) break;
        const std::string_view rest = std::string_view(it->first).substr(prefix.size());
        if (rest.empty() || rest.find('/') != std::string_view::npos) continue;
        if (lowest == m_znodes.end() || lockOrderLess(rest, baseName(lowest->first))) lowest = it;
    }
    return lowest;
}

void CoordinationServer::noteHolderChange(Context& ctx, const std::string& dir, const std::string& beforePath,
                                          const Znode& before, std::string_view reason) {
    const std::string resource = lockResourceOf(dir);
    if (resource.empty()) return;
    auto after = lockHolder(dir);
    const std::string afterPath = after != m_znodes.end() ? after->first : std::string();
    if (afterPath == beforePath) return;
    if (!beforePath.empty())
        ctx.recordOp(OpPhase::Ok, before.czxid, "holder",
                     Json{{"resource", resource},
                          {"client", before.client},
                          {"fencing_token", before.czxid},
                          {"reason", std::string(reason)}});
    if (after != m_znodes.end())
        ctx.recordOp(OpPhase::Invoke, after->second.czxid, "holder",
                     Json{{"resource", resource},
                          {"client", after->second.client},
                          {"fencing_token", after->second.czxid},
                          {"lock_node", afterPath}});
}

void CoordinationServer::fireWatches(Context& ctx, std::map<std::string, std::set<NodeId>>& watches,
                                     const std::string& path, std::string_view event) {
    auto it = watches.find(path);
    if (it == watches.end()) return;
    // One-shot: the watch is gone before its event is sent.
    const std::set<NodeId> watchers = std::move(it->second);
    watches.erase(it);
    for (const NodeId& watcher : watchers) ctx.send(watcher, makeBody(WatchEvent{path, std::string(event)}));
}

}  // namespace distlab::zk
