#include "core/labs/lock/lock_commands.h"

#include <array>
#include <string_view>

namespace distlab {
namespace {

constexpr const char* kResourceName = QT_TRANSLATE_NOOP("Core", "resource name");

// A lock resource: 1..kLockResourceBytesMax characters of [A-Za-z0-9_.-].
std::string resource(const ArgumentReader& args, std::string_view name) {
    if (!isPlainName(name, kLockResourceBytesMax))
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid resource name"), excerptForMessage(name)),
            makeText(QT_TRANSLATE_NOOP("Core",
                                       "Resource names are 1 to %1 characters: letters, digits, '_', "
                                       "'-' and '.'."),
                     kLockResourceBytesMax));
    return std::string(name);
}

// lock acquire CLIENT RESOURCE [--mode lease|redlock|zk] [--ttl MS] [--hold MS], options in any order.
void parseLockAcquire(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kClientId))};
    command.key = resource(args, args.need(1, kResourceName));
    command.count = -1;
    args.valueOptions(2, {"--mode", "--ttl", "--hold"}, [&](std::string_view option, std::string_view value) {
        if (option == "--mode") {
            command.value = args.oneOf(value, {"lease", "redlock", "zk"});
        } else if (option == "--ttl") {
            command.duration = millis(args.integer(value, 1, kLockTtlMsMax, arg::kMillis, " ms"));
        } else {
            command.count = args.integer(value, 0, kLockHoldMsMax, arg::kMillis, " ms");
        }
    });
}

void formatLockAcquire(const Command& command, CommandWriter& out) {
    out.argument(nodeAt(command, 0));
    out.argument(command.key);
    if (!command.value.empty()) out.argument("--mode " + command.value);
    if (command.duration > 0) out.argument("--ttl " + std::to_string(command.duration / kMicrosPerMilli));
    if (command.count >= 0) out.argument("--hold " + std::to_string(command.count));
}

void parseLockRelease(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kClientId))};
    command.key = resource(args, args.need(1, kResourceName));
    args.noMoreThan(2);
}

void formatLockRelease(const Command& command, CommandWriter& out) {
    out.argument(nodeAt(command, 0));
    out.argument(command.key);
}

void parseClientSlow(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kClientId))};
    command.duration = millis(args.integer(args.need(1, QT_TRANSLATE_NOOP("Core", "delay in milliseconds")), 0,
                                           kNetLatencyMsMax, arg::kMillis, " ms"));
    args.noMoreThan(2);
}

void parseClockJump(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kNodeId))};
    const std::string_view jump =
        args.need(1, QT_TRANSLATE_NOOP("Core", "jump in milliseconds, with its sign (+500 or -500)"));
    if (jump.empty() || (jump.front() != '+' && jump.front() != '-'))
        args.invalid(makeText(
            QT_TRANSLATE_NOOP("Core", "write the jump with its sign: +%1 (forwards) or -%1 (backwards)"),
            excerptForMessage(jump)));
    const std::int64_t magnitude = args.integer(jump.substr(1), 1, kClockJumpMsMax, arg::kMillis, " ms");
    command.count = jump.front() == '-' ? -magnitude : magnitude;
    args.noMoreThan(2);
}

void formatClockJump(const Command& command, CommandWriter& out) {
    out.argument(nodeAt(command, 0));
    out.argument((command.count < 0 ? "-" : "+") +
                 std::to_string(command.count < 0 ? -command.count : command.count));
}

void parseClockDrift(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kNodeId))};
    std::string_view ppm = args.need(1, QT_TRANSLATE_NOOP("Core", "drift in parts per million"));
    if (ppm.size() > 1 && ppm.front() == '+') ppm.remove_prefix(1);
    command.count = args.integer(ppm, -kClockDriftPpmMax, kClockDriftPpmMax,
                                 QT_TRANSLATE_NOOP("Core", "a whole number of parts per million"), " ppm");
    args.noMoreThan(2);
}

void formatClockDrift(const Command& command, CommandWriter& out) {
    out.argument(nodeAt(command, 0));
    out.argument(std::to_string(command.count));
}

void parseFencing(const ArgumentReader& args, Command& command) {
    command.key = args.oneOf(args.need(0, QT_TRANSLATE_NOOP("Core", "on or off")), {"on", "off"});
    args.noMoreThan(1);
}

void parseZkWatch(const ArgumentReader& args, Command& command) {
    command.key = args.oneOf(args.need(0, QT_TRANSLATE_NOOP("Core", "predecessor or parent")),
                             {"predecessor", "parent"});
    args.noMoreThan(1);
}

constexpr std::array<std::string_view, 2> kFencingWords = {"on", "off"};
constexpr std::array<std::string_view, 2> kWatchWords = {"predecessor", "parent"};

}  // namespace

namespace lock_commands {

constinit const CommandSpec kLockAcquire{
    .name = "lock acquire",
    .syntax = "lock acquire CLIENT RESOURCE [--mode lease|redlock|zk] [--ttl MS] [--hold MS]",
    .summary = QT_TRANSLATE_NOOP(
                    "Core", "CLIENT takes the lock, reads the storage, works HOLD ms, writes and releases"),
    .parse = parseLockAcquire,
    .format = formatLockAcquire,
    .lab = "lock",
};

constinit const CommandSpec kLockRelease{
    .name = "lock release",
    .syntax = "lock release CLIENT RESOURCE",
    .summary = QT_TRANSLATE_NOOP(
                    "Core", "CLIENT gives the lock back now (or stops waiting for it), without writing"),
    .parse = parseLockRelease,
    .format = formatLockRelease,
    .lab = "lock",
};

constinit const CommandSpec kClientSlow{
    .name = "client slow",
    .syntax = "client slow CLIENT MS",
    .summary = QT_TRANSLATE_NOOP("Core",
                          "delay every message to and from a client by MS milliseconds (0: back to normal)"),
    .parse = parseClientSlow,
    .format = formatFirstNodeAndMillis,
    .lab = "lock",
};

constinit const CommandSpec kClockJump{
    .name = "clock jump",
    .syntax = "clock jump NODE +MS|-MS",
    .summary = QT_TRANSLATE_NOOP("Core", "step a lock server's clock forwards or backwards"),
    .parse = parseClockJump,
    .format = formatClockJump,
    .lab = "lock",
};

constinit const CommandSpec kClockDrift{
    .name = "clock drift",
    .syntax = "clock drift NODE PPM",
    .summary = QT_TRANSLATE_NOOP("Core", "make a lock server's clock run fast (PPM > 0) or slow (PPM < 0)"),
    .parse = parseClockDrift,
    .format = formatClockDrift,
    .lab = "lock",
};

constinit const CommandSpec kFencing{
    .name = "fencing",
    .syntax = "fencing on|off",
    .summary = QT_TRANSLATE_NOOP("Core", "let the storage check fencing tokens, or not"),
    .parse = parseFencing,
    .format = formatKeyArgument,
    .lab = "lock",
    .completions = kFencingWords,
};

constinit const CommandSpec kZkWatch{
    .name = "zk watch",
    .syntax = "zk watch predecessor|parent",
    .summary = QT_TRANSLATE_NOOP(
                    "Core", "ZooKeeper lock waiters watch the next-lower node, or the parent (the herd)"),
    .parse = parseZkWatch,
    .format = formatKeyArgument,
    .lab = "lock",
    .completions = kWatchWords,
};

}  // namespace lock_commands

std::span<const CommandSpec* const> lockCommands() {
    static constexpr std::array<const CommandSpec*, 7> kSpecs = {
        &lock_commands::kLockAcquire, &lock_commands::kLockRelease, &lock_commands::kClientSlow,
        &lock_commands::kClockJump,   &lock_commands::kClockDrift,  &lock_commands::kFencing,
        &lock_commands::kZkWatch};
    return kSpecs;
}

}  // namespace distlab
