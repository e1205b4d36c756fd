#pragma once
// Messages of the demo key-value store: a Dynamo-style store (DeCandia et al., SOSP 2007) whose keys
// are placed on a consistent-hash ring and kept on the next R distinct nodes (the preference list),
// with last-writer-wins versions and pull-based handoff / anti-entropy between replicas.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"

namespace distlab::kv {

// Limits. A pull_ok carries at most kPullEntriesMax entries, and keys and values are small enough that
// such a message stays well below kFrameBytesMax.
constexpr std::size_t kKeyBytesMax = 128;
constexpr std::size_t kValueBytesMax = 1024;
constexpr std::size_t kPullEntriesMax = 500;
constexpr std::size_t kRingMembersMax = 256;
constexpr int kReplicasMax = 7;

// A write's version: (counter, writer id), ordered lexicographically. The last writer by this order wins.
// counter == 0 means "no version".
struct Version {
    std::int64_t counter = 0;
    std::string writer;

    auto operator<=>(const Version&) const = default;
    bool empty() const { return counter == 0; }
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Version, counter, writer)
};
std::string versionText(const Version& version);  // "3@n1", or "none"

struct Entry {
    std::string key;
    std::string value;
    Version version;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Entry, key, value, version)
};

// ctl -> every server and client: the membership service's current ring.
struct RingUpdate {
    static constexpr std::string_view kType = "ring_update";
    std::int64_t epoch = 0;  // increases with every change; older or equal epochs are ignored
    int vnodes = 160;
    std::string hash = "xxh3";         // "xxh3" | "ketama"
    int replicas = 3;                  // R
    std::vector<std::string> members;  // in ring order of insertion
    std::vector<std::string> down;     // members that preference lists skip
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(RingUpdate, epoch, vnodes, hash, replicas, members, down)
};

// client -> owner
struct Put {
    static constexpr std::string_view kType = "put";
    std::string key;
    std::string value;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Put, key, value)
};

struct PutOk {
    static constexpr std::string_view kType = "put_ok";
    Version version;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(PutOk, version)
};

struct Get {
    static constexpr std::string_view kType = "get";
    std::string key;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Get, key)
};

struct GetOk {
    static constexpr std::string_view kType = "get_ok";
    std::string value;
    Version version;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(GetOk, value, version)
};

// owner -> the other replicas of the key
struct Replicate {
    static constexpr std::string_view kType = "replicate";
    std::string key;
    std::string value;
    Version version;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Replicate, key, value, version)
};

// "I now hold this version of the key or a newer one."
struct ReplicateOk {
    static constexpr std::string_view kType = "replicate_ok";
    std::string key;
    Version version;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReplicateOk, key, version)
};

// server -> server: "send me every entry whose preference list includes me". Used for handoff after a
// ring change and for periodic anti-entropy. epoch is the requester's ring epoch: a responder with a
// newer ring also sends it its ring_update, so a node that missed an update catches up.
struct Pull {
    static constexpr std::string_view kType = "pull";
    std::int64_t epoch = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Pull, epoch)
};

// At most kPullEntriesMax entries per message; more == true means another pull_ok follows.
struct PullOk {
    static constexpr std::string_view kType = "pull_ok";
    std::vector<Entry> entries;
    bool more = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(PullOk, entries, more)
};

// ctl -> client: the console's put/get commands.
struct ClientPut {
    static constexpr std::string_view kType = "client_put";
    std::string key;
    std::string value;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClientPut, key, value)
};

struct ClientGet {
    static constexpr std::string_view kType = "client_get";
    std::string key;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClientGet, key)
};

// ctl -> client: start or stop the random workload generator.
struct Workload {
    static constexpr std::string_view kType = "workload";
    bool enabled = true;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Workload, enabled)
};

// One filled example of every message type above, in kvMessageTypes() order (for round-trip tests).
std::vector<Body> kvSampleMessages();
std::vector<std::string_view> kvMessageTypes();

// Checks what the JSON shape cannot: sizes and ranges. Empty string when valid, otherwise what is wrong.
std::string validateKey(std::string_view key);
std::string validateValue(std::string_view value);
std::string validateRingUpdate(const RingUpdate& update);

}  // namespace distlab::kv
