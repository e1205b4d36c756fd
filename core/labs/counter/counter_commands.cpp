#include "core/labs/counter/counter_commands.h"

#include <array>
#include <string_view>

#include "core/protocols/counter/counter_switches.h"

namespace distlab {
namespace {

void parseBreak(const ArgumentReader& args, Command& command) {
    command.key = args.oneOf(args.need(0, QT_TRANSLATE_NOOP("Core", "switch (fencing, dedup, r1, ack-early, skip-lock, 3pc)")),
                             counter::kSwitchNames);
    command.value = args.oneOf(args.need(1, QT_TRANSLATE_NOOP("Core", "on or off")), {"on", "off"});
    args.noMoreThan(2);
}

void formatBreak(const Command& command, CommandWriter& out) {
    out.argument(command.key);
    out.argument(command.value);
}

}  // namespace

namespace counter_commands {

constinit const CommandSpec kBreak{
    .name = "break",
    .syntax = "break fencing|dedup|r1|ack-early|skip-lock|3pc on|off",
    .summary = QT_TRANSLATE_NOOP("Core", "take one of the counter's safety measures away (on) or give it back (off)"),
    .parse = parseBreak,
    .format = formatBreak,
    .lab = "counter",
    .completions = counter::kSwitchNames,
};

}  // namespace counter_commands

std::span<const CommandSpec* const> counterCommands() {
    static constexpr std::array<const CommandSpec*, 1> kSpecs = {&counter_commands::kBreak};
    return kSpecs;
}

}  // namespace distlab
