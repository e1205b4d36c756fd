#pragma once
// The verdict of one invariant checker over a finished (or paused) run, in the form the GUI and
// distlab-sim show: a name, pass / fail, a sentence a student can read, and the trace events behind it.
#include <cstdint>
#include <string>
#include <vector>

namespace distlab {

struct CheckResult {
    std::string name;  // stable, e.g. "replicas-agree"
    bool ok = true;
    std::string explanation;            // what holds, or what is broken and why it matters
    std::vector<std::uint64_t> events;  // trace event indices the verdict is built from
};

}  // namespace distlab
