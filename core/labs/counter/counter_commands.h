#pragma once
// The counter lab's console commands: `break SWITCH on|off` (core/protocols/counter/counter_switches.h says
// what each switch takes away). Kill, restart, pause and partitions are the console's own.
#include <span>

#include "core/console/command.h"

namespace distlab {

namespace counter_commands {
// break SWITCH on|off: key = the switch's name, value = "on" | "off".
extern const CommandSpec kBreak;
}  // namespace counter_commands

std::span<const CommandSpec* const> counterCommands();

}  // namespace distlab
