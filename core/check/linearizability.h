#pragma once
// Linearizability of a client history (op_history.h) against a sequential model: is there one order of the
// operations, each taking effect at a single moment between its invocation and its completion, in which every
// operation gets the result it really got?
//
// The search is Wing & Gong's, with Lowe's memoization (a cache of (linearized set, model state) already
// explored), run per key (P-compositionality: a history is linearizable if and only if every key's
// sub-history is, for models whose keys are independent). Operations that failed did not happen. Unknown
// operations (info, or never completed) may take effect at any moment after their invocation, or never: the
// search only has to place the operations that completed, and places an unknown one only when that explains
// a result. Unknown operations of the same kind and argument are interchangeable once both are invoked, so the
// search tries only the earliest of them; a configuration that placed at least as many unknown operations of
// every kind as one already explored is explored too (it has fewer left to choose from); and an unknown write
// that nothing completed could have seen is never placed. In the counter model, where increments commute, an
// unknown increment is placed only in a run right before a read that needs it.
//
// A violation is explained by a failing set of operations made small: the shortest failing prefix of the key's
// history, then delta debugging (ddmin) over its operations, so that removing any single operation of the
// result lets some order explain the rest (when the reduction finishes within its budget).
//
// The search is bounded by a number of steps and, optionally, a wall-clock deadline (for the command line);
// past either it answers Unknown rather than hanging. Inside a simulated run use steps only, so the verdict
// is the same on every machine.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/base/text.h"
#include "core/check/op_history.h"

namespace distlab::lin {

// counter: incr (or add) of an integer delta, read returns the sum (from 0). The sum is a 64-bit integer: an
// increment that would take it past either end cannot take effect.
// register: write of any value, read returns the last one written (null before any); values compare as JSON
// (1.0 is 1).
// cas-register: register plus cas [from, to], which writes `to` only if the value is `from` (Maelstrom's lin-kv).
// kv: get / put / append of strings; get returns the value (null when never put), append adds to its end.
enum class Model { Counter, Register, CasRegister, Kv };
std::optional<Model> parseModel(std::string_view name);
std::string_view modelName(Model model);

enum class Verdict { Linearizable, NotLinearizable, Unknown };
std::string_view verdictName(Verdict verdict);

struct CheckOptions {
    std::uint64_t stepsMax = 50'000'000;  // search steps over all keys (a step places or takes back one operation)
    std::optional<std::chrono::steady_clock::time_point> deadline;
    bool explain = true;                  // reduce a violation to a small failing set
    std::uint64_t explainChecksMax = 300;  // re-checks the reduction may spend
};

struct LinearizabilityResult {
    Verdict verdict = Verdict::Linearizable;
    std::size_t operations = 0;  // completed or unknown operations checked (fails are left out)
    std::size_t unknown = 0;     // of which unknown
    std::size_t keys = 0;
    std::uint64_t steps = 0;
    // A violation: its key, the failing set (ids into the operations list, in invocation order), whether the
    // reduction proved it 1-minimal, and why, in words (English, and translatable).
    std::string key;
    std::vector<Operation> failing;
    bool minimal = false;
    std::string explanation;
    Text text;
    // Unknown: the key whose search ran out of budget.
    std::string unknownKey;
};

// Checks the operations (opsOf's result). Operations the model does not know, or whose values have the wrong
// shape, are an error naming their line.
Result<LinearizabilityResult> checkLinearizability(const std::vector<Operation>& ops, Model model,
                                                    const CheckOptions& options = {});

// The result as distlab-sim check --json prints it.
Json resultToJson(const LinearizabilityResult& result, Model model);

}  // namespace distlab::lin
