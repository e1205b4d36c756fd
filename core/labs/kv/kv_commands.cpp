#include "core/labs/kv/kv_commands.h"

#include <array>
#include <string_view>

namespace distlab {
namespace {

constexpr const char* kKey = QT_TRANSLATE_NOOP("Core", "key");

Text keyTooLong() {
    return makeText(QT_TRANSLATE_NOOP("Core", "a key has at most %1 bytes"), kPutKeyBytesMax);
}

void parsePut(const ArgumentReader& args, Command& command) {
    command.key = args.need(0, kKey);
    args.need(1, QT_TRANSLATE_NOOP("Core", "value"));
    command.value = args.restFrom(1);
    if (command.key.size() > kPutKeyBytesMax) args.invalid(keyTooLong());
    if (command.value.size() > kPutValueBytesMax)
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "a value has at most %1 bytes"), kPutValueBytesMax));
}

void formatPut(const Command& command, CommandWriter& out) {
    out.argument(command.key);
    out.argument(command.value);
}

void parseGet(const ArgumentReader& args, Command& command) {
    command.key = args.need(0, kKey);
    args.noMoreThan(1);
    if (command.key.size() > kPutKeyBytesMax) args.invalid(keyTooLong());
}

void parseRingVnodes(const ArgumentReader& args, Command& command) {
    command.count = args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "number of virtual nodes")), 1,
                                 kRingVnodesMax, arg::kWhole);
    args.noMoreThan(1);
}

void parseRingHash(const ArgumentReader& args, Command& command) {
    command.key =
        args.oneOf(args.need(0, QT_TRANSLATE_NOOP("Core", "hash name (xxh3 or ketama)")), {"xxh3", "ketama"});
    args.noMoreThan(1);
}

void parseRingReplicas(const ArgumentReader& args, Command& command) {
    command.count = args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "number of replicas")), 1,
                                 kRingReplicasMax, arg::kWhole);
    args.noMoreThan(1);
}

constexpr std::array<std::string_view, 2> kHashNames = {"xxh3", "ketama"};

}  // namespace

namespace kv_commands {

constinit const CommandSpec kPut{
    .name = "put",
    .syntax = "put KEY VALUE",
    .summary = QT_TRANSLATE_NOOP("Core", "write VALUE (the rest of the line) under KEY"),
    .parse = parsePut,
    .format = formatPut,
    .lab = "kv",
};

constinit const CommandSpec kGet{
    .name = "get",
    .syntax = "get KEY",
    .summary = QT_TRANSLATE_NOOP("Core", "read the value under KEY"),
    .parse = parseGet,
    .format = formatKeyArgument,
    .lab = "kv",
};

constinit const CommandSpec kRingVnodes{
    .name = "ring vnodes",
    .syntax = "ring vnodes N",
    .summary = QT_TRANSLATE_NOOP("Core", "give every server N virtual nodes (1 to 4096)"),
    .parse = parseRingVnodes,
    .format = formatCountArgument,
    .lab = "kv",
};

constinit const CommandSpec kRingHash{
    .name = "ring hash",
    .syntax = "ring hash xxh3|ketama",
    .summary = QT_TRANSLATE_NOOP("Core", "choose the ring's hash function"),
    .parse = parseRingHash,
    .format = formatKeyArgument,
    .lab = "kv",
    .completions = kHashNames,
};

constinit const CommandSpec kRingReplicas{
    .name = "ring replicas",
    .syntax = "ring replicas N",
    .summary = QT_TRANSLATE_NOOP("Core", "keep every key on N servers (1 to 7)"),
    .parse = parseRingReplicas,
    .format = formatCountArgument,
    .lab = "kv",
};

}  // namespace kv_commands

std::span<const CommandSpec* const> kvCommands() {
    static constexpr std::array<const CommandSpec*, 5> kSpecs = {
        &kv_commands::kPut, &kv_commands::kGet, &kv_commands::kRingVnodes, &kv_commands::kRingHash,
        &kv_commands::kRingReplicas};
    return kSpecs;
}

}  // namespace distlab
