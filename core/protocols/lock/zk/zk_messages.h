#pragma once
// Messages of the ZooKeeper-style coordination service (Hunt et al., "ZooKeeper: Wait-free coordination
// for Internet-scale systems", USENIX ATC 2010) and of the lock recipe built on it (ZooKeeper recipes,
// "Locks"): sessions kept alive by heartbeats, znodes (ephemeral, sequential), and one-shot watches.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"

namespace distlab::zk {

// Limits.
constexpr std::size_t kPathBytesMax = 256;
constexpr std::size_t kZnodesMax = 100'000;
constexpr std::size_t kSessionsMax = 10'000;
constexpr std::int64_t kSessionTimeoutMsMin = 10;
constexpr std::int64_t kSessionTimeoutMsMax = 600'000;
constexpr int kSequenceDigits = 10;                  // ZooKeeper's "%010d" suffix of sequential nodes
constexpr std::size_t kCreatesRemembered = 16;       // per session, answered again when repeated
constexpr std::size_t kSessionOpensRemembered = 64;  // over all clients, answered again when repeated

// "/locks/r/lock-" + 7 -> "/locks/r/lock-0000000007".
std::string sequentialName(std::string_view prefix, std::int64_t sequence);
// The parent of "/a/b" is "/a"; of "/a" it is "/". Empty for "/" itself.
std::string parentPath(std::string_view path);
// The last component: "/locks/r/lock-0000000007" -> "lock-0000000007".
std::string baseName(std::string_view path);
// Empty when the path is absolute, has no empty component, no trailing slash and fits kPathBytesMax;
// otherwise what is wrong.
std::string validatePath(std::string_view path);
// The sequence number of a sequential node's name (its trailing digits: "lock-0000000007" -> 7), or -1
// when the name has none.
std::int64_t sequenceOf(std::string_view name);
// The order of a lock directory's children: by sequence number, then by name. With the recipe's
// "lock-" prefix it is plain name order; it also holds for prefixed names ("_c_x-lock-0000000003").
bool lockOrderLess(std::string_view a, std::string_view b);

// client -> server: open a session that expires timeout_ms after the last heartbeat (or request). A
// repeated session_open (the same sender and msg_id, a duplicate delivery) is answered with the session
// the first one opened, as long as that session is alive and has made no request yet, not a second one.
struct SessionOpen {
    static constexpr std::string_view kType = "session_open";
    std::int64_t timeoutMs = 0;
};
void to_json(Json& json, const SessionOpen& msg);
void from_json(const Json& json, SessionOpen& msg);

struct SessionOk {
    static constexpr std::string_view kType = "session_ok";
    std::int64_t session = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SessionOk, session)
};

// client -> server: keeps the session alive. Answered by heartbeat_ok, or by error 14 (abort) once the
// session has expired.
struct Heartbeat {
    static constexpr std::string_view kType = "heartbeat";
    std::int64_t session = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Heartbeat, session)
};

struct HeartbeatOk {
    static constexpr std::string_view kType = "heartbeat_ok";
    std::int64_t session = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(HeartbeatOk, session)
};

// client -> server. A sequential node gets the parent's next sequence number as a 10-digit suffix; an
// ephemeral node is deleted when its session ends. Missing parents are created as persistent nodes
// (as Curator's creatingParentsIfNeeded does), so a lock needs no setup step. The server remembers the
// answers to a session's last kCreatesRemembered creates by msg_id and answers a repeated one (a
// duplicate delivery) with the same answer instead of making a second node nobody knows about.
struct Create {
    static constexpr std::string_view kType = "create";
    std::int64_t session = 0;
    std::string path;
    bool ephemeral = false;
    bool sequential = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Create, session, path, ephemeral, sequential)
};

// path is the created path (with its suffix); czxid the transaction id that created it, strictly
// increasing over the server's life, so it serves as a fencing token.
struct CreateOk {
    static constexpr std::string_view kType = "create_ok";
    std::string path;
    std::int64_t czxid = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(CreateOk, path, czxid)
};

// client -> server: delete path on behalf of session. As in ZooKeeper, the session must be alive (else
// error 14, abort) and an ephemeral node may only be deleted by the session that owns it (else error 22,
// precondition failed): after a server restart sequence numbers start again, so a client that slept
// through the restart would otherwise delete whichever node now bears its old node's name.
struct Delete {
    static constexpr std::string_view kType = "delete";
    std::int64_t session = 0;
    std::string path;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Delete, session, path)
};

struct DeleteOk {
    static constexpr std::string_view kType = "delete_ok";
    std::string path;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(DeleteOk, path)
};

// watch == true leaves a one-shot child watch on path: a watch_event "children" when a child is
// created or deleted.
struct GetChildren {
    static constexpr std::string_view kType = "get_children";
    std::string path;
    bool watch = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(GetChildren, path, watch)
};

// children: base names, sorted. A missing path has no children (not an error).
struct ChildrenOk {
    static constexpr std::string_view kType = "children_ok";
    std::string path;
    std::vector<std::string> children;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ChildrenOk, path, children)
};

// watch == true leaves a one-shot exists-watch on path: a watch_event "deleted" when it is deleted (or
// "created" when it did not exist and is created).
struct Exists {
    static constexpr std::string_view kType = "exists";
    std::string path;
    bool watch = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Exists, path, watch)
};

struct ExistsOk {
    static constexpr std::string_view kType = "exists_ok";
    std::string path;
    bool exists = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ExistsOk, path, exists)
};

// server -> watcher, once per watch. The kind is in `event` ("deleted" | "children" | "created"):
// "type" is the envelope's reserved message type.
struct WatchEvent {
    static constexpr std::string_view kType = "watch_event";
    std::string path;
    std::string event;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(WatchEvent, path, event)
};

// ctl -> lock client: which watch the ZooKeeper lock client leaves while it waits, from its next
// acquisition on: "predecessor" (the recipe: only the next-lower node, one wakeup per release) or
// "parent" (the naive variant: a child watch on the lock directory, so every change wakes every
// waiter, the herd effect). Not answered; an unknown mode is ignored (and traced). The lock itself is
// driven by lock::ClientLock / lock::ClientUnlock (lease_messages.h), as for the other lock clients.
struct WatchModeSet {
    static constexpr std::string_view kType = "zk_watch_set";
    std::string mode;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(WatchModeSet, mode)
};

constexpr std::string_view kEventDeleted = "deleted";
constexpr std::string_view kEventChildren = "children";
constexpr std::string_view kEventCreated = "created";

// One filled example of every message type above, in zkMessageTypes() order (for round-trip tests).
std::vector<Body> zkSampleMessages();
std::vector<std::string_view> zkMessageTypes();

}  // namespace distlab::zk
