#include "core/protocols/counter/counter_messages.h"

#include "core/node/json_fields.h"

namespace distlab::counter {

namespace {

bool plainChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':';
}

std::optional<std::int64_t> integerField(const Json& json, const char* key) {
    if (!json.is_object()) return std::nullopt;
    auto it = json.find(key);
    if (it == json.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

}  // namespace

std::string validateKey(std::string_view key) {
    if (key.empty()) return "key: expected a non-empty key";
    if (key.size() > kKeyBytesMax) return "key: longer than " + std::to_string(kKeyBytesMax) + " bytes";
    for (char c : key)
        if (!plainChar(c)) return "key: only letters, digits and _ - . : are allowed";
    return {};
}

std::string validateMembers(const CounterMembers& members) {
    if (members.epoch < 1) return "epoch: expected a positive integer";
    if (members.replicas.empty() || members.replicas.size() > kMembersMax)
        return "replicas: expected 1 to " + std::to_string(kMembersMax) + " ids";
    for (std::size_t i = 0; i < members.replicas.size(); ++i) {
        const std::string& id = members.replicas[i];
        if (id.empty() || id.size() > kKeyBytesMax)
            return "replicas[" + std::to_string(i) + "]: expected an id of 1 to " + std::to_string(kKeyBytesMax) + " bytes";
        for (std::size_t j = 0; j < i; ++j)
            if (members.replicas[j] == id) return "replicas[" + std::to_string(i) + "]: '" + id + "' is listed twice";
    }
    return {};
}

Json keyStateToJson(const KeyState& state) {
    return Json{{"value", state.value}, {"version", state.version}, {"fence", state.fence}, {"applied", state.applied}};
}

std::optional<KeyState> keyStateFromJson(const Json& json) {
    KeyState state;
    const auto value = integerField(json, "value");
    const auto version = integerField(json, "version");
    const auto fence = integerField(json, "fence");
    if (!value || !version || !fence || *version < 0 || *fence < 0) return std::nullopt;
    auto applied = json.find("applied");
    if (applied == json.end() || !applied->is_array() || applied->size() > kAppliedMax) return std::nullopt;
    for (const Json& rid : *applied) {
        if (!rid.is_string() || rid.get_ref<const std::string&>().size() > kRequestIdBytesMax) return std::nullopt;
        state.applied.push_back(rid.get<std::string>());
    }
    state.value = *value;
    state.version = *version;
    state.fence = *fence;
    return state;
}

bool fresher(const KeyState& a, const KeyState& b) {
    if (a.version != b.version) return a.version > b.version;
    return a.fence > b.fence;
}

std::string jobToBody(const Job& job) {
    Json json{{"op", job.op}, {"key", job.key}, {"rid", job.rid}, {"client", job.client}};
    if (job.op == "incr") json["delta"] = job.delta;
    return json.dump();
}

Result<Job> parseJob(std::string_view body) {
    const Json json = Json::parse(body, nullptr, false);
    if (!json.is_object()) return makeError("job: expected a JSON object");
    Job job;
    job.op = stringField(json, "op");
    if (job.op != "incr" && job.op != "read") return makeError("op: expected \"incr\" or \"read\"");
    job.key = stringField(json, "key");
    if (std::string problem = validateKey(job.key); !problem.empty()) return makeError(problem);
    job.rid = stringField(json, "rid");
    if (job.rid.empty() || job.rid.size() > kRequestIdBytesMax) return makeError("rid: expected 1 to 64 bytes");
    job.client = stringField(json, "client");
    if (job.client.empty() || job.client.size() > kRequestIdBytesMax) return makeError("client: expected a node id");
    if (job.op == "incr") {
        const auto delta = integerField(json, "delta");
        if (!delta || *delta < -kDeltaMax || *delta > kDeltaMax)
            return makeError("delta: expected an integer from -1000000 to 1000000");
        job.delta = *delta;
    }
    return job;
}

Json commitWorkToJson(const CommitWork& work) {
    return Json{{"key", work.key}, {"state", keyStateToJson(work.state)}, {"fence", work.fence}};
}

std::optional<CommitWork> commitWorkFromJson(const Json& json) {
    CommitWork work;
    work.key = stringField(json, "key");
    if (!validateKey(work.key).empty()) return std::nullopt;
    const auto fence = integerField(json, "fence");
    if (!fence || !json.contains("state")) return std::nullopt;
    auto state = keyStateFromJson(json.at("state"));
    if (!state) return std::nullopt;
    work.fence = *fence;
    work.state = std::move(*state);
    return work;
}

}  // namespace distlab::counter
