#pragma once
// The lock lab's console commands: lock acquire|release, client slow, clock jump|drift, fencing, zk watch.
// The LockLab executes them.
#include <cstddef>
#include <cstdint>

#include "core/console/command.h"

namespace distlab {

// The lock lab's limits; the lock servers check the same bounds (lock::kTtlMsMax, kJumpMsMax, kDriftPpmMax).
// Scenario files share the ttl and hold limits.
constexpr std::size_t kLockResourceBytesMax = 128;
constexpr std::int64_t kLockTtlMsMax = 24 * 60 * 60 * 1000;
constexpr std::int64_t kLockHoldMsMax = 3'600'000;
constexpr std::int64_t kClockJumpMsMax = 24 * 60 * 60 * 1000;
constexpr std::int64_t kClockDriftPpmMax = 500'000;

namespace lock_commands {
// lock acquire CLIENT RESOURCE [--mode M] [--ttl MS] [--hold MS]: nodes = {the client}, key = the resource,
// value = the mode ("lease" | "redlock" | "zk", empty: the lab's default), duration = the ttl (0: the
// default), count = the hold in ms (-1: the default).
extern const CommandSpec kLockAcquire;
// lock release CLIENT RESOURCE: nodes = {the client}, key = the resource.
extern const CommandSpec kLockRelease;
// client slow CLIENT MS: nodes = {the client}, duration = the delay (0: back to normal).
extern const CommandSpec kClientSlow;
// clock jump NODE +MS|-MS: nodes = {the node}, count = the signed jump in ms.
extern const CommandSpec kClockJump;
// clock drift NODE PPM: nodes = {the node}, count = the drift in ppm.
extern const CommandSpec kClockDrift;
// fencing on|off: key = "on" | "off".
extern const CommandSpec kFencing;
// zk watch predecessor|parent: key = "predecessor" | "parent".
extern const CommandSpec kZkWatch;
}  // namespace lock_commands

// The lab's commands, in the order help lists them.
std::span<const CommandSpec* const> lockCommands();

}  // namespace distlab
