#pragma once
// Messages of the demo key-value store: a Dynamo-style store (DeCandia et al., SOSP 2007) whose keys
// are placed on a consistent-hash ring and kept on the next R distinct nodes (the preference list),
// with owner-ordered last-writer-wins versions and digest-based handoff / anti-entropy between replicas
// (a digest of versions first, then only the entries that are missing, as in Dynamo's Merkle-tree
// exchange without the tree).
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"

namespace distlab::kv {

// Limits. A pull_digest, a fetch and a pull_ok carry at most kPullEntriesMax keys or entries each, and
// keys and values are small enough that such a message stays well below kFrameBytesMax.
constexpr std::size_t kKeyBytesMax = 128;
constexpr std::size_t kValueBytesMax = 1024;
constexpr std::size_t kPullEntriesMax = 500;
constexpr std::size_t kRingMembersMax = 64;  // a handoff is N x (N-1) pulls that each carry the ring
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

// replica -> owner: version is the replicate's version, held the version the replica holds now. A
// replica stores the write only if it is newer than what it holds, so held == version means "stored",
// and held > version means "I hold something newer, not stored": the owner must not count that copy.
struct ReplicateOk {
    static constexpr std::string_view kType = "replicate_ok";
    std::string key;
    Version version;
    Version held;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ReplicateOk, key, version, held)
};

// server -> server: "tell me the versions you hold of keys whose preference list includes me". Used
// for handoff after a ring change and for periodic anti-entropy. ring is the requester's ring: a
// responder on an older ring adopts it before answering (so it filters with the requester's preference
// lists), and a responder on a newer ring sends back its ring_update, Dynamo-style gossip.
//
// summary makes anti-entropy cheap when the two replicas already agree (a one-level Merkle tree): for
// the keys both of them replicate, the sum of entryDigestHash() per digestBucket(). Empty means "send
// the whole digest" (handoff, or after an exchange that failed); otherwise, on the same ring, the
// responder sends only the shared keys of the buckets whose sums differ from its own.
struct Pull {
    static constexpr std::string_view kType = "pull";
    RingUpdate ring;
    std::vector<std::uint64_t> summary;  // at most kDigestBucketsMax buckets
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Pull, ring, summary)
};

// The summary's buckets: about kDigestKeysPerBucket shared keys each, a power of two, at most
// kDigestBucketsMax (so a pull stays small however many keys there are).
constexpr std::size_t kDigestBucketsMax = 64;
constexpr std::size_t kDigestKeysPerBucket = 8;
std::size_t digestBucketCount(std::size_t sharedKeys);
std::size_t digestBucket(std::string_view key, std::size_t buckets);
std::uint64_t entryDigestHash(std::string_view key, const Version& version);

struct DigestEntry {
    std::string key;
    Version version;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(DigestEntry, key, version)
};

// responder -> requester, in reply to a pull: at most kPullEntriesMax versions per message; more == true
// means another pull_digest follows.
struct PullDigest {
    static constexpr std::string_view kType = "pull_digest";
    std::vector<DigestEntry> entries;
    bool more = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(PullDigest, entries, more)
};

// requester -> responder: "send me these entries" (the keys of a digest where the responder is newer),
// at most kPullEntriesMax keys.
struct Fetch {
    static constexpr std::string_view kType = "fetch";
    std::vector<std::string> keys;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Fetch, keys)
};

// responder -> requester, in reply to a fetch: the entries it holds for the fetched keys.
struct PullOk {
    static constexpr std::string_view kType = "pull_ok";
    std::vector<Entry> entries;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(PullOk, entries)
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

// client -> ctl: how a console operation (client_put / client_get) ended, for the console to print.
// value is the value written (put) or read (get; null when the key does not exist or the get failed);
// version is the acknowledged or read version ("3@n2"), null when there is none; error is empty when
// ok, otherwise what went wrong (an unknown outcome says so).
struct ClientResultMsg {
    static constexpr std::string_view kType = "client_result";
    std::string op;  // "put" | "get"
    std::string key;
    std::optional<std::string> value;
    std::optional<std::string> version;
    bool ok = false;
    std::string error;
};
void to_json(Json& json, const ClientResultMsg& msg);
void from_json(const Json& json, ClientResultMsg& msg);

// One filled example of every message type above, in kvMessageTypes() order (for round-trip tests).
std::vector<Body> kvSampleMessages();
std::vector<std::string_view> kvMessageTypes();

// Checks what the JSON shape cannot: sizes and ranges. Empty string when valid, otherwise what is wrong.
std::string validateKey(std::string_view key);
std::string validateValue(std::string_view value);
std::string validateRingUpdate(const RingUpdate& update);

}  // namespace distlab::kv
