#pragma once
// The labs a Session can run, in the order it builds them, checks them and lists them. Adding a lab is one
// folder under core/labs/ and one line in registry.cpp; the lab's commands come with its entry.
#include <memory>
#include <string_view>
#include <vector>

#include "core/labs/lab.h"

namespace distlab {


const std::vector<LabEntry>& labRegistry();
// The labs that may execute a command, best first; empty for a command the session executes itself. A lab's
// own command goes to that lab. A console command that several labs take (`node add`, `node remove`) goes to
// the lab whose id prefix the named node has (`node add cn-n6`: the counter), else to the lab without a
// prefix (`node add n7`: the ring); without a node, every lab that takes it is listed, in registry order,
// for the session to prefer one that runs.
std::vector<const LabEntry*> labsTaking(const Command& command);
// Every command a session understands: the console's own, then each lab's in registry order. Built on first
// use, from constant specs, so it does not depend on the order static objects are initialised in.
const CommandTable& commandTable();

}  // namespace distlab
