#pragma once
// The distributed counter: clients publish increments and reads to a queue; workers take each one, route its
// key on a consistent-hash ring to the key's replicas, take the key's lease lock (with a fencing token),
// read the key's state from every replica, and commit the new state on all of them with two-phase commit,
// deduplicated by request id; then they answer the client and acknowledge the message. The protocol classes
// are the other labs': ring::HashRing, the lease lock server, txn::TwoPhaseCommitCoordinator /
// Participant and the mq broker. This header holds the counter's own messages and the key's state.
//
//   client  -> broker   mq_publish {queue "counter", body = a Job as JSON}   (mq_messages.h)
//   broker  -> worker   mq_deliver                                           -> mq_ack when done
//   worker  -> lock     lock_acquire {resource "counter-KEY", token, ttl}   -> lock_acquire_ok {fencing_token}
//   worker  -> replica  counter_fetch {key, fence}   -> counter_fetch_ok {key, state, in_doubt}
//                                                       or error 22 (a higher fencing token was seen)
//   worker  -> replicas tpc_begin {work: {key, state, fence}}, tpc_prepare, ... (tpc_messages.h)
//   worker  -> client   counter_done {rid, key, op, value}
//   replica -> worker   counter_heartbeat {}                 the workers' failure detector
//   lab     -> any      counter_switch {name, on}            a "break it" switch (counter_switches.h)
//   lab     -> worker   counter_members {epoch, replicas}    the ring's members after `node add|remove`
//   lab     -> client   counter_workload {on}
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/node/message.h"

namespace distlab::counter {

constexpr std::size_t kKeyBytesMax = 64;
constexpr std::size_t kRequestIdBytesMax = 64;
constexpr std::int64_t kDeltaMax = 1'000'000;
// The request ids a key's state remembers, newest last: a retry or redelivery of one of the last
// kAppliedMax increments of a key is recognised (each client has one operation open, so a few suffice).
constexpr std::size_t kAppliedMax = 256;

// What every replica keeps per key: the value, how many increments built it (the version, which orders
// states), the fencing token of the write that made it, and the request ids applied, newest last.
struct KeyState {
    std::int64_t value = 0;
    std::int64_t version = 0;
    std::int64_t fence = 0;
    std::vector<std::string> applied;
    bool operator==(const KeyState&) const = default;
};
Json keyStateToJson(const KeyState& state);
// nullopt for anything that is not a well-formed state.
std::optional<KeyState> keyStateFromJson(const Json& json);
// The fresher of two states: the higher version, then the higher fence.
bool fresher(const KeyState& a, const KeyState& b);

// A client's request, the body of its queue message.
struct Job {
    std::string op;  // "incr" | "read"
    std::string key;
    std::int64_t delta = 0;  // incr only
    std::string rid;         // request id: the same on every retry of one operation
    std::string client;      // who gets counter_done
};
std::string jobToBody(const Job& job);
// A job from a queue message's body, or an error naming the field.
Result<Job> parseJob(std::string_view body);
// Why a key is not valid, or empty: 1..kKeyBytesMax characters of [A-Za-z0-9_.:-].
std::string validateKey(std::string_view key);

// The work a worker's two-phase commit carries to the replicas: the key's new state, under fence.
struct CommitWork {
    std::string key;
    KeyState state;
    std::int64_t fence = 0;
};
Json commitWorkToJson(const CommitWork& work);
std::optional<CommitWork> commitWorkFromJson(const Json& json);

struct CounterFetch {
    static constexpr std::string_view kType = "counter_fetch";
    std::string key;
    std::int64_t fence = 0;  // the fetching worker's fencing token (0 without the lock)
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(CounterFetch, key, fence)
};

struct CounterFetchOk {
    static constexpr std::string_view kType = "counter_fetch_ok";
    std::string key;
    Json state;             // a KeyState, or null: the replica holds nothing for the key
    bool in_doubt = false;  // a transaction on the key is READY here: its outcome is not known yet
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(CounterFetchOk, key, state, in_doubt)
};

struct CounterDone {
    static constexpr std::string_view kType = "counter_done";
    std::string rid;
    std::string key;
    std::string op;
    Json value;  // read: the value; incr: null
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(CounterDone, rid, key, op, value)
};

struct CounterHeartbeat {
    static constexpr std::string_view kType = "counter_heartbeat";
    friend void to_json(Json& json, const CounterHeartbeat&) { json = Json::object(); }
    friend void from_json(const Json&, CounterHeartbeat&) {}
};

struct CounterSwitch {
    static constexpr std::string_view kType = "counter_switch";
    std::string name;
    bool on = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(CounterSwitch, name, on)
};

// The replicas the workers route keys on, newest epoch wins (the lab sends it on every membership change,
// and again to a worker that restarts). At most kMembersMax ids, each non-empty, at most kKeyBytesMax bytes,
// no repeats.
constexpr std::size_t kMembersMax = 64;
struct CounterMembers {
    static constexpr std::string_view kType = "counter_members";
    std::int64_t epoch = 0;
    std::vector<std::string> replicas;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(CounterMembers, epoch, replicas)
};
// Empty when members is well formed, else what is wrong with it.
std::string validateMembers(const CounterMembers& members);

struct CounterWorkload {
    static constexpr std::string_view kType = "counter_workload";
    bool on = true;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(CounterWorkload, on)
};

// The durable keys of the counter's nodes.
inline constexpr std::string_view kStatePrefix = "counter/state/";  // replica: KeyState per key
inline constexpr std::string_view kFencePrefix = "counter/fence/";  // replica: highest fencing token per key
inline constexpr std::string_view kSwitchesKey = "counter/switches";
inline constexpr std::string_view kMembersKey = "counter/members";  // worker: the newest CounterMembers
inline constexpr std::string_view kSequenceKey = "counter/sequence";  // ids unique across restarts
inline constexpr std::string_view kWorkloadKey = "counter/workload";

}  // namespace distlab::counter
