#pragma once
// A client of the ZooKeeper recipes' "Locks" (Hunt et al., USENIX ATC 2010, section 2.4): create an
// ephemeral sequential node under /locks/RESOURCE, list the children without a watch, hold the lock if
// its node is the lowest, otherwise watch only the next-lower node and re-check when that watch fires,
// so a release wakes exactly one waiter. The "naive" variant watches the parent instead, so every
// waiter wakes on every change (the herd effect); wakeups are counted to show the difference.
//
//   IDLE --lock_acquire--> CREATING --create_ok--> LISTING --children_ok: lowest--> HOLDING
//                                                  LISTING --children_ok: not lowest--> WAITING
//   WAITING (predecessor) --exists_ok{false}: the predecessor is already gone--> LISTING
//   WAITING --watch_event (a wakeup)--> LISTING
//   HOLDING / WAITING --lock_release--> delete own node --> IDLE
//
// The session is opened at start and kept alive by heartbeats every sessionTimeoutMs / 3; if the
// server reports it expired, the client forgets its node (the server deleted it) and becomes IDLE.
// The fencing token of a grant is the czxid of the client's lock node.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/lock/zk/zk_messages.h"

namespace distlab::zk {

enum class WatchMode { Predecessor, Parent };
std::string_view watchModeName(WatchMode mode);  // "predecessor" | "parent"

struct ZkLockClientConfig {
    NodeId server = "zk";
    std::string resource = "r";
    WatchMode mode = WatchMode::Predecessor;
    std::int64_t sessionTimeoutMs = 1000;
};

class ZkLockClient : public Node {
public:
    enum class State { Connecting, Idle, Creating, Listing, Waiting, Holding };

    explicit ZkLockClient(ZkLockClientConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "state", "lock node", "watching", "fencing token", "wakeups", "grants".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    State state() const { return m_state; }
    bool holding() const { return m_state == State::Holding; }
    std::int64_t session() const { return m_session; }
    const std::string& lockNode() const { return m_lockNode; }  // empty when it has none
    const std::string& watching() const { return m_watching; }  // the watched path, empty when none
    std::int64_t token() const { return m_token; }              // czxid of the lock node
    std::uint64_t wakeups() const { return m_wakeups; }         // watch events received while waiting
    std::uint64_t grants() const { return m_grants; }
    std::string lockDir() const { return "/locks/" + m_config.resource; }

private:
    void onSessionOk(Context& ctx, const Envelope& message);
    void onCreateOk(Context& ctx, const Envelope& message);
    void onChildrenOk(Context& ctx, const Envelope& message);
    void onExistsOk(Context& ctx, const Envelope& message);
    void onWatchEvent(Context& ctx, const Envelope& message);
    void onError(Context& ctx, const Envelope& message);
    void acquire(Context& ctx);
    void release(Context& ctx);
    void listChildren(Context& ctx);
    void setState(Context& ctx, State state, const std::string& detail = {});

    ZkLockClientConfig m_config;
    State m_state = State::Connecting;
    bool m_acquirePending = false;  // lock_acquire arrived before the session was open
    std::int64_t m_session = 0;
    std::string m_lockNode;
    std::string m_watching;
    std::int64_t m_token = 0;
    std::uint64_t m_wakeups = 0;
    std::uint64_t m_grants = 0;
};

std::string_view zkLockStateName(ZkLockClient::State state);

}  // namespace distlab::zk
