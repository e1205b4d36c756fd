#include "core/labs/lock/lock_section.h"

#include "core/labs/lock/lock_commands.h"

namespace distlab {

LockSpec readLockSection(const Json& value, const SectionReader& reader, const std::string& path) {
    reader.object(value, path,
                  "an object with mode, clients, ttl_ms, hold_ms, fencing, persistence, servers, watch, "
                  "session_timeout_ms");
    reader.checkKeys(value, path, {"mode", "clients", "ttl_ms", "hold_ms", "fencing", "persistence", "servers",
                                   "watch", "session_timeout_ms"});
    LockSpec spec;
    if (value.contains("mode")) spec.mode = reader.choice(value, path, "mode", {"lease", "redlock", "zk"});
    if (value.contains("clients")) spec.clients = int(reader.number(value, path, "clients", 0, kLockClientsMax));
    if (value.contains("ttl_ms")) spec.ttl = reader.milliseconds(value, path, "ttl_ms", 1, kLockTtlMsMax);
    if (value.contains("hold_ms")) spec.hold = reader.milliseconds(value, path, "hold_ms", 0, kLockHoldMsMax);
    if (value.contains("fencing")) spec.fencing = reader.flag(value, path, "fencing");
    if (value.contains("persistence")) spec.persistence = reader.flag(value, path, "persistence");
    if (value.contains("servers")) spec.servers = int(reader.number(value, path, "servers", 1, kRedlockServersMax));
    if (value.contains("watch")) spec.watch = reader.choice(value, path, "watch", {"predecessor", "parent"});
    if (value.contains("session_timeout_ms"))
        spec.sessionTimeout = reader.milliseconds(value, path, "session_timeout_ms", 10, kSessionTimeoutMsMax);
    return spec;
}

Json lockSectionToJson(const LockSpec& spec) {
    return Json{{"mode", spec.mode},
                {"clients", spec.clients},
                {"ttl_ms", wholeMillis(spec.ttl)},
                {"hold_ms", wholeMillis(spec.hold)},
                {"fencing", spec.fencing},
                {"persistence", spec.persistence},
                {"servers", spec.servers},
                {"watch", spec.watch},
                {"session_timeout_ms", wholeMillis(spec.sessionTimeout)}};
}

}  // namespace distlab
