#pragma once
// The labs a Session can run, in the order it builds them, checks them and lists them. Adding a lab is one
// folder under core/labs/ and one line in registry.cpp.
#include <memory>
#include <string_view>
#include <vector>

#include "core/labs/lab.h"

namespace distlab {


const std::vector<LabEntry>& labRegistry();
// The entry of the lab that takes a command kind, or nullptr (a command of the session itself).
const LabEntry* labTaking(CommandKind kind);

}  // namespace distlab
