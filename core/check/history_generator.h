#pragma once
// Random client histories that are linearizable by construction, for the checker's property tests and its
// benchmark: clients run one operation at a time against one sequential object per key, each operation takes
// effect at a random moment between its invocation and its completion, and some end unknown (info) whether
// or not they took effect.
#include <cstdint>
#include <vector>

#include "core/check/linearizability.h"
#include "core/check/op_history.h"

namespace distlab::lin {

struct GeneratorOptions {
    Model model = Model::Counter;
    std::size_t operations = 1000;  // invocations
    int clients = 5;                // at most this many operations open at once
    int keys = 1;
    double unknownRate = 0.05;      // of the operations that complete
    int deltaMax = 1;               // counter: increments of 1..deltaMax
    std::uint64_t seed = 1;
};

std::vector<HistoryEvent> generateHistory(const GeneratorOptions& options);

}  // namespace distlab::lin
