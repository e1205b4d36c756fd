#pragma once
// A single ZooKeeper-like coordination server (Hunt et al., "ZooKeeper: Wait-free coordination for
// Internet-scale systems", USENIX ATC 2010), enough for the ZooKeeper recipes' "Locks": client sessions
// renewed by heartbeats, a tree of znodes (ephemeral, sequential), a zxid that orders every change, and
// one-shot exists- and child-watches. Replicating the server (Zab) is out of scope.
//
// A session:
//
//   session_open{timeout_ms} --> ALIVE (a timer of timeout_ms)
//   ALIVE --heartbeat / create / delete from the session--> ALIVE (timer restarted)
//   ALIVE --timer fires--> EXPIRED: its ephemeral nodes are deleted, in path order, and each deletion
//                          fires that node's exists-watches ("deleted") and its parent's child-watches
//                          ("children"); later requests of the session get error 14 (abort)
//
// Requests are safe to deliver twice (the network may duplicate them): a repeated session_open or create
// (same sender, same msg_id) gets the first one's answer again; a repeated delete finds the node gone
// (error 20), and a delete names its session, so it never removes a node another session owns.
//
// State is volatile: a crashed server forgets every session and znode, as a single ZooKeeper server
// without its snapshot and log would. Only its epoch is on disk: like ZooKeeper's zxid, whose high 32
// bits count leader epochs, zxids and session ids of a restarted server start at (epoch << 32), so
// fencing tokens (czxids) keep increasing across restarts and an old session id is never handed out
// again.
//
// Who really holds each lock is recorded as the server's own history: whenever the lowest child of a
// lock directory "/locks/RESOURCE" changes, an op "holder" (id: the node's czxid) is invoked for the
// new lowest {resource, client, fencing_token, lock_node} and completed (ok) for the previous one
// {resource, client, fencing_token, reason: "released" | "session expired" | "superseded"}, at the
// moment the server made the change. Checkers compare it with what the clients believed.
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/lock/zk/zk_messages.h"

namespace distlab::zk {

struct Znode {
    std::int64_t czxid = 0;           // the zxid of the create: the fencing token of a lock node
    std::int64_t ephemeralOwner = 0;  // the owning session, 0 for a persistent node
    std::int64_t childSequence = 0;   // the next sequence number handed to a sequential child
    NodeId client;                    // who opened the owning session; empty for a persistent node
};

// "/locks/r" -> "r"; empty when the path is not a lock directory (a direct child of "/locks").
std::string lockResourceOf(std::string_view dir);

class CoordinationServer : public CopyableNode<CoordinationServer> {
public:
    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "sessions", "znodes", "zxid", "watches", "expired sessions".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    // Report: {"znodes": {path: {"czxid", "children": [base names, sorted]}}} for every znode but "/".
    Json observe(SimTime now) const override;

    const std::map<std::string, Znode>& znodes() const { return m_znodes; }  // "/" is implicit
    std::vector<std::string> children(const std::string& path) const;        // base names, sorted
    bool sessionAlive(std::int64_t session) const { return m_sessions.count(session) != 0; }
    std::size_t sessionCount() const { return m_sessions.size(); }
    std::int64_t zxid() const { return m_zxid; }
    std::size_t watchCount() const;
    std::uint64_t expiredSessions() const { return m_expiredSessions; }

private:
    struct Session {
        NodeId client;
        SimTime timeout = 0;
        TimerId timer = 0;
        bool used = false;  // it has made a request since session_open (a heartbeat, create or delete)
        // The answers to its newest creates, by the request's msg_id (at most kCreatesRemembered).
        std::deque<std::pair<std::int64_t, Body>> recentCreates;
    };
    // A session_open already answered: a duplicate of it gets the same session while that session is
    // alive and unused. Unused, it owns nothing, so even a restarted client that numbers its messages
    // from 1 again (as a real process would) loses nothing by being handed it.
    struct OpenedSession {
        NodeId client;
        std::int64_t msgId = 0;
        std::int64_t session = 0;
    };

    void onSessionOpen(Context& ctx, const Envelope& message);
    void onHeartbeat(Context& ctx, const Envelope& message);
    void onCreate(Context& ctx, const Envelope& message);
    void onDelete(Context& ctx, const Envelope& message);
    void onGetChildren(Context& ctx, const Envelope& message);
    void onExists(Context& ctx, const Envelope& message);
    void expireSession(Context& ctx, std::int64_t session);
    // Answers a create and remembers the answer for the session, so a repeated create gets it again.
    void answerCreate(Context& ctx, const Envelope& message, std::int64_t session, Body answer);

    void renewSession(Context& ctx, std::int64_t session);
    // A request of the session other than session_open: marks it used and renews it.
    void touchSession(Context& ctx, std::int64_t session);
    // Creates path (the parent must exist); fires "created" and the parent's "children" watches.
    std::int64_t createZnode(Context& ctx, const std::string& path, std::int64_t ephemeralOwner);
    // reason: why, for the holder history ("released": a delete request; "session expired").
    void deleteZnode(Context& ctx, const std::string& path, std::string_view reason);
    // The lowest child of a lock directory (in lockOrderLess order); end() when none or not a lock dir.
    std::map<std::string, Znode>::const_iterator lockHolder(const std::string& dir) const;
    // Records the "holder" ops when the lowest child of dir changed from `before` (its path, empty
    // when there was none; its znode) to the current one.
    void noteHolderChange(Context& ctx, const std::string& dir, const std::string& beforePath,
                          const Znode& before, std::string_view reason);
    void fireWatches(Context& ctx, std::map<std::string, std::set<NodeId>>& watches, const std::string& path,
                     std::string_view event);
    bool exists(const std::string& path) const { return path == "/" || m_znodes.count(path) != 0; }

    std::map<std::int64_t, Session> m_sessions;
    std::map<TimerId, std::int64_t> m_sessionTimers;
    std::deque<OpenedSession> m_recentOpens;  // the newest kSessionOpensRemembered session_opens
    std::map<std::string, Znode> m_znodes;
    Znode m_root;  // "/": holds the sequence counter of top-level sequential nodes
    std::map<std::string, std::set<NodeId>> m_existsWatches;
    std::map<std::string, std::set<NodeId>> m_childWatches;
    std::int64_t m_nextSession = 1;
    std::int64_t m_zxid = 0;
    std::uint64_t m_expiredSessions = 0;
};

}  // namespace distlab::zk
