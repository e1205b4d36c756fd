#pragma once
// The labs a Session can run, in the order it builds them, checks them and lists them. Adding a lab is one
// folder under core/labs/ and one line in registry.cpp; the lab's commands come with its entry.
#include <memory>
#include <string_view>
#include <vector>

#include "core/labs/lab.h"

namespace distlab {


const std::vector<LabEntry>& labRegistry();
// The entry of the lab that executes a command, or nullptr (a command the session executes itself).
const LabEntry* labTaking(const CommandSpec& spec);
// Every command a session understands: the console's own, then each lab's in registry order. Built on first
// use, from constant specs, so it does not depend on the order static objects are initialised in.
const CommandTable& commandTable();

}  // namespace distlab
