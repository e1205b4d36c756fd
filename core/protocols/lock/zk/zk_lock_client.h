#pragma once
// A client of the ZooKeeper recipes' "Locks" (Hunt et al., USENIX ATC 2010, section 2.4): create an
// ephemeral sequential node under /locks/RESOURCE, list the children without a watch, hold the lock if
// its node is the lowest, otherwise watch only the next-lower node and re-check when that watch fires,
// so a release wakes exactly one waiter. The "naive" variant watches the parent instead, so every
// waiter wakes on every change (the herd effect); wakeups are counted to show the difference. Under the
// lock it does a read-modify-write of the storage the lock protects, fenced by the czxid of its lock
// node (Kleppmann, "How to do distributed locking", 2016), like the lab's lease-lock clients.
//
//   CONNECTING --session_ok--> IDLE --client_lock--> CREATING --create_ok--> LISTING
//   LISTING --children_ok: lowest--> HOLDING (a grant)
//   LISTING --children_ok: not lowest--> WAITING (exists-watch on the predecessor, or child watch on
//                                                  the lock directory)
//   WAITING --watch_event (a wakeup) / exists_ok{false} / recheck timer--> LISTING
//   HOLDING --storage set--> READING --storage_read_ok--> HOLDING (works hold_ms) --> WRITING
//   WRITING --storage_write_ok / error / timeout--> RELEASING (delete own node) --delete_ok--> IDLE
//   RELEASING --error 14 / 22 (the node's session is over, or the node of that name is another
//              session's)--> IDLE, released: false (the node was not ours any more)
//   HOLDING, no storage: holds hold_ms, then RELEASING; hold_ms 0: until client_unlock
//   READING / WRITING --error 22 (fencing: the lock has passed on)--> RELEASING
//   any lock state --client_unlock--> RELEASING (no write)
//   any state --error 14 (session expired)--> CONNECTING; a client that was waiting re-acquires on
//                                            its new session, one that held the lock has lost it
//
// The session is opened at start and kept alive by heartbeats every sessionTimeoutMs / 3. The client
// assumes FIFO links to the server (a ZooKeeper session runs over one TCP connection, and the recipe
// relies on a watch event never overtaking a later reply), but it survives lost messages: every request
// has a timeout, and idempotent ones (session_open, get_children, exists, delete) are re-sent. A create
// is not: its outcome is unknown, and a blind retry could leave a second node of ours in the queue,
// ahead of the one we know, that nobody would ever delete. Instead the client walks away from that
// session (stops heartbeating it), so the server deletes any node it made when the session times out,
// and asks again on a new session. (A create the network delivers twice is harmless: it is the same
// request, msg_id and all, and the server answers the copy with the first one's answer.) A lost watch
// event is covered by re-listing every waitRecheckMs. A delete names the session, so a client that
// resumes after its session ended cannot delete a node that now bears its old node's name.
//
// A paused client may resume believing it still holds a lock whose session has expired meanwhile:
// nothing in its own timeline told it otherwise. Only the fencing check of the storage stops its
// write (the lesson of Kleppmann's GC-pause figure), so the client does not guess on its own.
//
// History (ctx.recordOp), as the lease-lock clients record it:
//   lock    invoke {resource}
//           ok {resource, fencing_token, lock_node}, fail {resource, error}
//   read    invoke {key, fencing_token}
//           ok {fencing_token, seq, exists}, fail / unknown {fencing_token, error}
//   write   invoke {key, value, fencing_token}
//           ok {fencing_token, seq}, fail / unknown {fencing_token, error}
//   unlock  invoke {resource, lock_node}
//           ok {released: true} (or false, with a reason)
//   when the client learns that its session expired while it held or waited:
//   unlock  invoke {resource, lock_node}, ok {resource, released: false, reason: "session expired"}
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/node/state_machine.h"
#include "core/protocols/lock/zk/zk_messages.h"

namespace distlab::zk {

enum class WatchMode { Predecessor, Parent };
std::string_view watchModeName(WatchMode mode);  // "predecessor" | "parent"
// "predecessor" | "parent"; false for anything else.
bool parseWatchMode(std::string_view name, WatchMode& mode);

struct ZkLockClientConfig {
    NodeId server = "zk";
    NodeId storage = "disk";     // the fenced storage it writes to under the lock; empty: none
    std::string resource = "r";  // used when a client_lock names none
    WatchMode mode = WatchMode::Predecessor;
    std::int64_t sessionTimeoutMs = 1000;
    // Work inside the critical section; 0 without storage: until unlocked. Clamped to [0, lock::kTtlMsMax],
    // and a client_lock's hold_ms outside that range falls back to it.
    std::int64_t holdMs = 300;
    std::int64_t requestTimeoutMs = 500;  // per request to the server or the storage
    std::int64_t waitRecheckMs = 1000;    // re-list while waiting, in case a watch event was lost; 0: never
};

class ZkLockClient : public CopyableNode<ZkLockClient> {
public:
    enum class State { Connecting, Idle, Creating, Listing, Waiting, Holding, Reading, Writing, Releasing };

    explicit ZkLockClient(ZkLockClientConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "state", "lock node", "watching", "fencing token", "wakeups", "grants".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    // Report: {"lock_node" (empty when none), "token" (its czxid), "watching" (the watched path, or empty)}.
    Json observe(SimTime now) const override;

    State state() const { return m_state; }
    // True from the grant until the release is sent, whatever the server thinks meanwhile.
    bool holding() const {
        return m_state == State::Holding || m_state == State::Reading || m_state == State::Writing;
    }
    std::int64_t session() const { return m_session; }
    const std::string& resource() const { return m_resource; }  // of the current or last acquisition
    WatchMode mode() const { return m_mode; }                   // of the current acquisition
    WatchMode nextMode() const { return m_nextMode; }           // for the next acquisition
    const std::string& lockNode() const { return m_lockNode; }  // empty when it has none
    const std::string& watching() const { return m_watching; }  // the watched path, empty when none
    std::int64_t token() const { return m_token; }              // czxid of the lock node
    std::uint64_t wakeups() const { return m_wakeups; }         // watch events received while waiting
    std::uint64_t grants() const { return m_grants; }
    std::uint64_t sessionsLost() const { return m_sessionsLost; }
    std::string lockDir() const { return "/locks/" + m_resource; }

private:
    void onClientLock(Context& ctx, const Envelope& message);
    void onClientUnlock(Context& ctx, const Envelope& message);
    void onWatchModeSet(Context& ctx, const Envelope& message);
    void onReply(Context& ctx, const Envelope& message);
    void onSessionOk(Context& ctx, const Envelope& message);
    void onCreateReply(Context& ctx, const Envelope& message);
    void onChildrenOk(Context& ctx, const Envelope& message);
    void onExistsOk(Context& ctx, const Envelope& message);
    void onDeleteReply(Context& ctx, const Envelope& message);
    void onReadReply(Context& ctx, const Envelope& message);
    void onWriteReply(Context& ctx, const Envelope& message);
    void onWatchEvent(Context& ctx, const Envelope& message);
    void onRequestTimeout(Context& ctx);

    void openSession(Context& ctx);
    void sessionExpired(Context& ctx);
    void abandonSession(Context& ctx, const std::string& why);
    void startAcquire(Context& ctx);
    void sendCreate(Context& ctx);
    void listChildren(Context& ctx);
    void watchPredecessor(Context& ctx);
    void granted(Context& ctx);
    void startRead(Context& ctx);
    void startWork(Context& ctx);
    void startWrite(Context& ctx);
    void startRelease(Context& ctx);
    void sendDelete(Context& ctx);
    void finishRelease(Context& ctx, Json result);
    void abandonStorageOp(Context& ctx, const std::string& why);
    void recordSessionLoss(Context& ctx);

    std::int64_t sendToServer(Context& ctx, Body body);  // remembers which session asked
    void expect(Context& ctx, std::int64_t msgId, std::int64_t timeoutMs);
    void arm(Context& ctx, std::int64_t delayMs, std::string_view tag);
    void disarm(Context& ctx);
    // The one place the state changes (and is traced): the move must be one of kZkLockClientMachine's.
    void setState(Context& ctx, State state, const std::string& detail = {});

    ZkLockClientConfig m_config;
    State m_state = State::Connecting;
    WatchMode m_mode;
    WatchMode m_nextMode;
    std::int64_t m_session = 0;
    TimerId m_heartbeatTimer = 0;
    std::map<std::int64_t, std::int64_t> m_sessionOfRequest;  // msg_id -> session, the newest few

    // The current acquisition.
    bool m_acquiring = false;  // a lock op is invoked and not completed (it waits for a session if none)
    std::string m_resource;
    std::int64_t m_holdMs = 0;
    std::string m_lockNode;
    std::string m_watching;
    std::int64_t m_token = 0;
    std::string m_readValue;
    std::int64_t m_lockOpId = 0;
    std::int64_t m_readOpId = 0;
    std::int64_t m_writeOpId = 0;
    std::int64_t m_unlockOpId = 0;

    std::int64_t m_pendingMsgId = 0;  // the request whose answer we wait for; 0: none
    TimerId m_timer = 0;              // the one timer running (timeout, hold or recheck); 0: none

    std::uint64_t m_wakeups = 0;
    std::uint64_t m_grants = 0;
    std::uint64_t m_sessionsLost = 0;
};

// The words of the trace states and of describe(), and the moves drawn above. Every state may go to
// CONNECTING (a session that expired or was walked away from); CONNECTING -> CONNECTING, LISTING ->
// LISTING and WAITING -> WAITING are requests sent again after a timeout.
inline constexpr auto kZkLockClientMachine = makeStateMachine<ZkLockClient::State>(
    "ZooKeeper lock client",
    {{ZkLockClient::State::Connecting, "CONNECTING"},
     {ZkLockClient::State::Idle, "IDLE"},
     {ZkLockClient::State::Creating, "CREATING"},
     {ZkLockClient::State::Listing, "LISTING"},
     {ZkLockClient::State::Waiting, "WAITING"},
     {ZkLockClient::State::Holding, "HOLDING"},
     {ZkLockClient::State::Reading, "READING"},
     {ZkLockClient::State::Writing, "WRITING"},
     {ZkLockClient::State::Releasing, "RELEASING"}},
    {{ZkLockClient::State::Connecting, ZkLockClient::State::Connecting},
     {ZkLockClient::State::Connecting, ZkLockClient::State::Idle},
     {ZkLockClient::State::Idle, ZkLockClient::State::Creating},
     {ZkLockClient::State::Idle, ZkLockClient::State::Connecting},
     {ZkLockClient::State::Creating, ZkLockClient::State::Listing},
     {ZkLockClient::State::Creating, ZkLockClient::State::Idle},
     {ZkLockClient::State::Creating, ZkLockClient::State::Releasing},
     {ZkLockClient::State::Creating, ZkLockClient::State::Connecting},
     {ZkLockClient::State::Listing, ZkLockClient::State::Listing},
     {ZkLockClient::State::Listing, ZkLockClient::State::Holding},
     {ZkLockClient::State::Listing, ZkLockClient::State::Waiting},
     {ZkLockClient::State::Listing, ZkLockClient::State::Releasing},
     {ZkLockClient::State::Listing, ZkLockClient::State::Connecting},
     {ZkLockClient::State::Waiting, ZkLockClient::State::Waiting},
     {ZkLockClient::State::Waiting, ZkLockClient::State::Listing},
     {ZkLockClient::State::Waiting, ZkLockClient::State::Releasing},
     {ZkLockClient::State::Waiting, ZkLockClient::State::Connecting},
     {ZkLockClient::State::Holding, ZkLockClient::State::Reading},
     {ZkLockClient::State::Holding, ZkLockClient::State::Writing},
     {ZkLockClient::State::Holding, ZkLockClient::State::Releasing},
     {ZkLockClient::State::Holding, ZkLockClient::State::Connecting},
     {ZkLockClient::State::Reading, ZkLockClient::State::Holding},
     {ZkLockClient::State::Reading, ZkLockClient::State::Releasing},
     {ZkLockClient::State::Reading, ZkLockClient::State::Connecting},
     {ZkLockClient::State::Writing, ZkLockClient::State::Releasing},
     {ZkLockClient::State::Writing, ZkLockClient::State::Connecting},
     {ZkLockClient::State::Releasing, ZkLockClient::State::Idle},
     {ZkLockClient::State::Releasing, ZkLockClient::State::Connecting}});
static_assert(kZkLockClientMachine.wellFormed());

std::string_view zkLockStateName(ZkLockClient::State state);

}  // namespace distlab::zk
