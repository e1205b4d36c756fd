#pragma once
// The verdict of one invariant checker over a finished (or paused) run, in the form the GUI and
// distlab-sim show: a name, pass / fail, a sentence a student can read, and the trace events behind it,
// with the evidence a view can point at (the nodes it names and the moment that proves it).
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/sim_time.h"
#include "core/base/text.h"

namespace distlab {

struct CheckResult {
    std::string name;  // stable, e.g. "replicas-agree"
    std::string lab;   // the lab whose check it is ("txn", "lock", ...); empty: the session's own
    bool ok = true;
    std::string explanation;            // what holds, or what is broken and why it matters (English)
    Text text;                          // the same in short, translatable; empty: show `explanation`
    std::vector<std::uint64_t> events;  // trace event indices the verdict is built from
    std::vector<std::string> nodes;     // the nodes the verdict names, the most telling first
    SimTime at = -1;                    // the moment that proves it (the first violation); -1: none
};

}  // namespace distlab
