#pragma once
// The ring and key-value lab's console commands: put, get, ring vnodes|hash|replicas. The KvLab executes
// them, and the console's `node add` / `node remove`, which change the ring's servers.
#include <cstddef>
#include <cstdint>

#include "core/console/command.h"

namespace distlab {

// The demo store's limits (kv::kKeyBytesMax, kv::kValueBytesMax); kv_lab.cpp checks they agree. Scenario
// files share the ring's.
constexpr std::size_t kPutKeyBytesMax = 128;
constexpr std::size_t kPutValueBytesMax = 1024;
constexpr std::int64_t kRingVnodesMax = 4096;
constexpr std::int64_t kRingReplicasMax = 7;

namespace kv_commands {
// put KEY VALUE: key = the key, value = the rest of the line (may contain spaces).
extern const CommandSpec kPut;
// get KEY: key = the key.
extern const CommandSpec kGet;
// ring vnodes N and ring replicas N: count = N.
extern const CommandSpec kRingVnodes;
extern const CommandSpec kRingReplicas;
// ring hash xxh3|ketama: key = the hash's name.
extern const CommandSpec kRingHash;
}  // namespace kv_commands

// The lab's commands, in the order help lists them.
std::span<const CommandSpec* const> kvCommands();

}  // namespace distlab
