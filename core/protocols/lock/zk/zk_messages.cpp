// Messages of the ZooKeeper-style coordination service (Hunt et al., USENIX ATC 2010) and path helpers.
#include "core/protocols/lock/zk/zk_messages.h"

namespace distlab::zk {

std::string sequentialName(std::string_view prefix, std::int64_t sequence) {
    std::string digits = std::to_string(sequence);
    if (digits.size() < std::size_t(kSequenceDigits)) digits.insert(0, kSequenceDigits - digits.size(), '0');
    return std::string(prefix) + digits;
}

std::string parentPath(std::string_view path) {
    if (path.empty() || path == "/") return {};
    const std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos || slash == 0) return "/";
    return std::string(path.substr(0, slash));
}

std::string baseName(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string validatePath(std::string_view path) {
    if (path.empty() || path.front() != '/') return "path must start with '/'";
    if (path.size() > kPathBytesMax) return "path longer than " + std::to_string(kPathBytesMax) + " bytes";
    if (path == "/") return {};
    if (path.back() == '/') return "path must not end with '/'";
    if (path.find("//") != std::string_view::npos) return "path has an empty component";
    return {};
}

std::int64_t sequenceOf(std::string_view name) {
    std::size_t digits = 0;
    while (digits < name.size() && digits < 18 && name[name.size() - 1 - digits] >= '0' &&
           name[name.size() - 1 - digits] <= '9')
        ++digits;
    if (digits == 0) return -1;
    std::int64_t value = 0;
    for (char c : name.substr(name.size() - digits)) value = value * 10 + (c - '0');
    return value;
}

bool lockOrderLess(std::string_view a, std::string_view b) {
    const std::int64_t sa = sequenceOf(a);
    const std::int64_t sb = sequenceOf(b);
    return sa != sb ? sa < sb : a < b;
}

void to_json(Json& json, const SessionOpen& msg) {
    json = Json{{"timeout_ms", msg.timeoutMs}};
}
void from_json(const Json& json, SessionOpen& msg) {
    json.at("timeout_ms").get_to(msg.timeoutMs);
}

std::vector<Body> zkSampleMessages() {
    return {
        makeBody(SessionOpen{3000}),
        makeBody(SessionOk{4}),
        makeBody(Heartbeat{4}),
        makeBody(HeartbeatOk{4}),
        makeBody(Create{4, "/locks/r/lock-", true, true}),
        makeBody(CreateOk{"/locks/r/lock-0000000002", 17}),
        makeBody(Delete{4, "/locks/r/lock-0000000002"}),
        makeBody(DeleteOk{"/locks/r/lock-0000000002"}),
        makeBody(GetChildren{"/locks/r", true}),
        makeBody(ChildrenOk{"/locks/r", {"lock-0000000001", "lock-0000000002"}}),
        makeBody(Exists{"/locks/r/lock-0000000001", true}),
        makeBody(ExistsOk{"/locks/r/lock-0000000001", true}),
        makeBody(WatchEvent{"/locks/r/lock-0000000001", std::string(kEventDeleted)}),
        makeBody(WatchModeSet{"parent"}),
    };
}

std::vector<std::string_view> zkMessageTypes() {
    return {SessionOpen::kType, SessionOk::kType, Heartbeat::kType,  HeartbeatOk::kType, Create::kType,
            CreateOk::kType,    Delete::kType,    DeleteOk::kType,   GetChildren::kType, ChildrenOk::kType,
            Exists::kType,      ExistsOk::kType,  WatchEvent::kType, WatchModeSet::kType};
}

}  // namespace distlab::zk
