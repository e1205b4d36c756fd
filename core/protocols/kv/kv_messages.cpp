// Messages of the Dynamo-style demo key-value store: samples for tests and the size / range checks that
// the JSON shape alone cannot express.
#include "core/protocols/kv/kv_messages.h"

#include <algorithm>
#include <bit>
#include <set>

#include "core/protocols/ring/hash_ring.h"

namespace distlab::kv {

std::string versionText(const Version& version) {
    if (version.empty()) return "none";
    return std::to_string(version.counter) + "@" + version.writer;
}

std::size_t digestBucketCount(std::size_t sharedKeys) {
    const std::size_t wanted = std::max<std::size_t>(1, sharedKeys / kDigestKeysPerBucket);
    return std::min(std::bit_ceil(wanted), kDigestBucketsMax);
}

std::size_t digestBucket(std::string_view key, std::size_t buckets) {
    return static_cast<std::size_t>(ring::keyHash(ring::HashKind::Xxh3, key) %
                                    std::max<std::size_t>(1, buckets));
}

std::uint64_t entryDigestHash(std::string_view key, const Version& version) {
    std::string text(key);
    text += '\0';
    text += std::to_string(version.counter);
    text += '\0';
    text += version.writer;
    return ring::keyHash(ring::HashKind::Xxh3, text);
}

void to_json(Json& json, const ClientResultMsg& msg) {
    json = Json{{"op", msg.op},
                {"key", msg.key},
                {"value", msg.value ? Json(*msg.value) : Json(nullptr)},
                {"version", msg.version ? Json(*msg.version) : Json(nullptr)},
                {"ok", msg.ok},
                {"error", msg.error}};
}

void from_json(const Json& json, ClientResultMsg& msg) {
    json.at("op").get_to(msg.op);
    json.at("key").get_to(msg.key);
    auto optionalString = [&](const char* name) -> std::optional<std::string> {
        const Json& field = json.at(name);
        if (field.is_null()) return std::nullopt;
        return field.get<std::string>();
    };
    msg.value = optionalString("value");
    msg.version = optionalString("version");
    json.at("ok").get_to(msg.ok);
    json.at("error").get_to(msg.error);
}

std::vector<std::string_view> kvMessageTypes() {
    return {RingUpdate::kType, Put::kType,       PutOk::kType,          Get::kType,
            GetOk::kType,      Replicate::kType, ReplicateOk::kType,    Pull::kType,
            PullDigest::kType, Fetch::kType,     PullOk::kType,         ClientPut::kType,
            ClientGet::kType,  Workload::kType,  ClientResultMsg::kType};
}

std::vector<Body> kvSampleMessages() {
    const Version version{7, "n2"};
    const RingUpdate ring{4, 64, "ketama", 3, {"n1", "n2", "n3", "n4", "n5"}, {"n4"}};
    std::vector<Body> out;
    out.push_back(makeBody(ring));
    out.push_back(makeBody(Put{"k3", "vc1-12"}));
    out.push_back(makeBody(PutOk{version}));
    out.push_back(makeBody(Get{"k3"}));
    out.push_back(makeBody(GetOk{"vc1-12", version}));
    out.push_back(makeBody(Replicate{"k3", "vc1-12", version}));
    out.push_back(makeBody(ReplicateOk{"k3", version, {9, "n1"}}));
    out.push_back(makeBody(Pull{ring, {12345678901234567890ull, 0, 42, 7}}));
    out.push_back(makeBody(PullDigest{{{"k3", version}, {"k9", {2, "n5"}}}, true}));
    out.push_back(makeBody(Fetch{{"k3", "k9"}}));
    out.push_back(makeBody(PullOk{{{"k3", "vc1-12", version}, {"k9", "vc2-1", {2, "n5"}}}}));
    out.push_back(makeBody(ClientPut{"k1", "hello"}));
    out.push_back(makeBody(ClientGet{"k1"}));
    out.push_back(makeBody(Workload{false}));
    out.push_back(makeBody(ClientResultMsg{"get", "k1", "hello", "3@n2", true, ""}));
    return out;
}

std::string validateKey(std::string_view key) {
    if (key.empty()) return "key: expected a non-empty string";
    if (key.size() > kKeyBytesMax) return "key: longer than " + std::to_string(kKeyBytesMax) + " bytes";
    return {};
}

std::string validateValue(std::string_view value) {
    if (value.size() > kValueBytesMax)
        return "value: longer than " + std::to_string(kValueBytesMax) + " bytes";
    return {};
}

std::string validateRingUpdate(const RingUpdate& update) {
    if (update.epoch <= 0) return "ring_update.epoch: expected a positive integer";
    if (update.vnodes < 1 || update.vnodes > ring::kVnodesMax)
        return "ring_update.vnodes: expected 1.." + std::to_string(ring::kVnodesMax);
    if (!ring::parseHashKind(update.hash)) return "ring_update.hash: expected \"xxh3\" or \"ketama\"";
    if (update.replicas < 1 || update.replicas > kReplicasMax)
        return "ring_update.replicas: expected 1.." + std::to_string(kReplicasMax);
    if (update.members.size() > kRingMembersMax)
        return "ring_update.members: more than " + std::to_string(kRingMembersMax) + " members";
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < update.members.size(); ++i) {
        const std::string& id = update.members[i];
        if (id.empty() || id.size() > ring::kNodeIdBytesMax)
            return "ring_update.members[" + std::to_string(i) + "]: expected a node id";
        if (!seen.insert(id).second)
            return "ring_update.members[" + std::to_string(i) + "]: \"" + id + "\" appears twice";
    }
    for (std::size_t i = 0; i < update.down.size(); ++i) {
        if (!seen.count(update.down[i]))
            return "ring_update.down[" + std::to_string(i) + "]: \"" + update.down[i] + "\" is not a member";
    }
    return {};
}

}  // namespace distlab::kv
