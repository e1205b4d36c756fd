#pragma once
// The lock lab's section of a scenario file (issue 3): which lock, its parameters, and the storage it protects.
//
//   "lock": {"mode": "lease", "clients": 3, "ttl_ms": 1000, "hold_ms": 300, "fencing": true,
//            "persistence": true, "servers": 5, "watch": "predecessor", "session_timeout_ms": 1000}
//
// Every key is optional. A scenario with this section starts the lock lab at time 0: the lab adds the lock
// servers, the storage and the lock clients lk-c1..lk-cN.
#include <cstdint>
#include <string>

#include "core/base/sim_time.h"
#include "core/node/message.h"
#include "core/scenario/section_reader.h"

namespace distlab {

constexpr std::int64_t kLockClientsMax = 16;
constexpr std::int64_t kRedlockServersMax = 9;
constexpr std::int64_t kSessionTimeoutMsMax = 600'000;

struct LockSpec {
    std::string mode = "lease";  // the default for `lock acquire`: "lease" | "redlock" | "zk"
    int clients = 3;             // lock clients created at the start (more appear on first use)
    SimTime ttl = millis(1000);  // lease length of the lease locks
    SimTime hold = millis(300);  // work inside the critical section
    bool fencing = true;         // the storage checks fencing tokens
    bool persistence = true;     // lease lock servers keep their locks on disk across a restart
    int servers = 5;             // Redlock's independent lock servers
    std::string watch = "predecessor";      // the ZooKeeper lock's waiters: "predecessor" | "parent"
    SimTime sessionTimeout = millis(1000);  // ZooKeeper sessions

    bool operator==(const LockSpec&) const = default;
};

LockSpec readLockSection(const Json& value, const SectionReader& reader, const std::string& path);
// Every field, in the file's units; readLockSection gives back the same spec.
Json lockSectionToJson(const LockSpec& spec);

}  // namespace distlab
