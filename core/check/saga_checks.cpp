// Invariant checkers for orchestrated sagas (Garcia-Molina & Salem 1987): every saga executes T1..Tn, or
// T1..Tj followed by its compensations backwards, each action once and nothing after the end -- judged
// Jepsen-style over the orchestrator's recorded history.
#include "core/check/saga_checks.h"

#include <optional>
#include <vector>

#include "core/node/json_fields.h"

namespace distlab {

namespace {

constexpr std::size_t kExamplesMax = 3;  // sagas spelled out in an explanation
constexpr std::size_t kEventsMax = 64;   // trace events attached to a verdict

// One record of a saga: an action or its end.
struct SagaRecordOp {
    std::size_t op = 0;  // index in clientOps()
    bool end = false;
    std::string action;  // "T3" / "C2" (empty for the end)
    std::string result;  // "ok" / "failed"; the outcome for the end
    std::string reason;  // for a failed step
};

// The saga records of the history, by saga id, each list in history order.
std::map<std::string, std::vector<SagaRecordOp>> sagaRecords(const std::vector<ClientOp>& ops) {
    std::map<std::string, std::vector<SagaRecordOp>> out;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const ClientOp& op = ops[i];
        if (op.phase != OpPhase::Ok || (op.f != "saga" && op.f != "saga-end")) continue;
        const std::optional<std::string> saga = findString(op.value, "saga");
        if (!saga) continue;
        SagaRecordOp record;
        record.op = i;
        record.end = op.f == "saga-end";
        if (record.end) {
            record.result = stringField(op.value, "outcome");
        } else {
            record.action = stringField(op.value, "action");
            record.result = stringField(op.value, "result");
            record.reason = stringField(op.value, "reason");
        }
        out[*saga].push_back(std::move(record));
    }
    return out;
}

// "T3" -> (false, 3); nullopt for anything else.
std::optional<std::pair<bool, std::int64_t>> parseAction(const std::string& action) {
    if (action.size() < 2 || action.size() > 6 || (action[0] != 'T' && action[0] != 'C')) return std::nullopt;
    std::int64_t index = 0;
    for (std::size_t i = 1; i < action.size(); ++i) {
        if (action[i] < '0' || action[i] > '9') return std::nullopt;
        index = index * 10 + (action[i] - '0');
    }
    if (index < 1 || action[1] == '0') return std::nullopt;
    return std::pair{action[0] == 'C', index};
}

std::string recordText(const SagaRecordOp& record) {
    if (record.end) return "end \"" + record.result + "\"";
    std::string text = record.action.empty() ? std::string("(no action)") : record.action;
    if (record.result != "ok") {
        text += " " + (record.result.empty() ? std::string("(no result)") : record.result);
        if (!record.reason.empty()) text += " (" + record.reason + ")";
    }
    return text;
}

// Where one saga stands while its records are read in order.
struct ShapeState {
    std::int64_t nextStep = 1;    // the next T expected while running
    std::int64_t failed = 0;      // the step that failed; 0: none yet
    std::int64_t nextComp = -1;   // the next C expected; 0: all done, the end is next; -1: not compensating
    std::int64_t firstComp = -1;  // where compensation starts: failed, or failed - 1 after a refusal
    bool ended = false;

    std::string expected() const {
        if (ended) return "nothing (the saga had ended)";
        if (nextComp > 0) return "C" + std::to_string(nextComp) + " ok";
        if (nextComp == 0) return "the end \"compensated\"";
        return "T" + std::to_string(nextStep) + " or the end \"done\"";
    }
};

// Reads one record; an empty string when it fits, else why not.
std::string advance(ShapeState& state, const SagaRecordOp& record, const Json& endValue) {
    if (state.ended) return "it comes after the saga's end";
    if (record.end) {
        if (record.result == "done") {
            if (state.failed != 0 || state.nextComp >= 0)
                return "a saga that compensated cannot end \"done\"";
            if (state.nextStep == 1) return "no step ran before it";
            if (auto steps = endValue.find("steps"); steps != endValue.end() && steps->is_number_integer() &&
                                                     steps->get<std::int64_t>() != state.nextStep - 1)
                return "the saga has " + std::to_string(steps->get<std::int64_t>()) +
                       " steps but only T1..T" + std::to_string(state.nextStep - 1) + " ran";
        } else if (record.result == "compensated") {
            if (state.failed == 0) return "no step failed, so there was nothing to compensate";
            if (state.nextComp != 0) return "C" + std::to_string(state.nextComp) + " has not run yet";
        } else {
            return "its outcome is neither \"done\" nor \"compensated\"";
        }
        state.ended = true;
        return {};
    }
    const auto action = parseAction(record.action);
    if (!action) return "it is not an action of the form T<k> or C<k>";
    const auto [compensation, index] = *action;
    if (record.result != "ok" && record.result != "failed")
        return "its result is neither \"ok\" nor \"failed\"";
    if (!compensation) {
        if (state.failed != 0) return "no step may run after T" + std::to_string(state.failed) + " failed";
        if (index != state.nextStep)
            return index < state.nextStep
                       ? "T" + std::to_string(index) + " already ran (a step applied twice)"
                       : "T" + std::to_string(state.nextStep) + " is missing (a gap)";
        if (record.result == "ok") {
            ++state.nextStep;
        } else {
            state.failed = index;
            state.firstComp = record.reason == "refused" ? index - 1 : index;
            state.nextComp = state.firstComp;
        }
        return {};
    }
    if (record.result != "ok") return "a compensation must be retried until it succeeds, not fail";
    if (state.nextComp < 0)
        return state.nextStep == 1 ? std::string("nothing ran that could be compensated")
                                   : "no step failed, so nothing should be compensated";
    if (index == state.failed && state.firstComp == state.failed - 1)
        return "T" + std::to_string(state.failed) + " was refused, so it never ran and C" +
               std::to_string(index) + " must not run";
    if (index > state.firstComp)
        return "C" + std::to_string(index) + " undoes a step that never ran (compensation starts at C" +
               std::to_string(state.firstComp) + ")";
    if (state.nextComp == 0) return "every compensation has already run";
    if (index > state.nextComp) return "C" + std::to_string(index) + " already ran (a step undone twice)";
    if (index < state.nextComp)
        return "C" + std::to_string(state.nextComp) +
               " is missing (compensations run backwards, one at a time)";
    --state.nextComp;
    return {};
}

void noteTruncation(CheckResult& result, const Trace& trace) {
    if (trace.truncated())
        result.explanation += " The trace was truncated, so this judges only the start of the run.";
}

}  // namespace

CheckResult checkSagaLogShape(const Trace& trace) {
    CheckResult result;
    result.name = "saga-log-shape";
    const std::vector<ClientOp>& ops = trace.clientOps();
    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();
    const auto records = sagaRecords(ops);

    std::size_t done = 0, compensated = 0, running = 0, bad = 0;
    std::vector<std::string> examples;
    for (const auto& [saga, list] : records) {
        ShapeState state;
        std::optional<std::size_t> badAt;
        std::string why;
        for (std::size_t i = 0; i < list.size() && !badAt; ++i) {
            why = advance(state, list[i], ops[list[i].op].value);
            if (!why.empty()) badAt = i;
        }
        if (!badAt) {
            if (!state.ended)
                ++running;
            else if (state.failed == 0)
                ++done;
            else
                ++compensated;
            continue;
        }
        ++bad;
        // The sequence, up to and including the bad record, and the trace events behind it.
        std::string sequence;
        for (std::size_t i = 0; i <= *badAt; ++i) {
            if (i > 0) sequence += ", ";
            sequence += recordText(list[i]);
            const std::uint64_t event = opEvents[list[i].op];
            if (event != kNoTraceEvent && result.events.size() < kEventsMax) result.events.push_back(event);
        }
        if (*badAt + 1 < list.size())
            sequence += ", ... (" + std::to_string(list.size() - *badAt - 1) + " more)";
        if (examples.size() < kExamplesMax) {
            const std::uint64_t event = opEvents[list[*badAt].op];
            const std::string where = event != kNoTraceEvent ? " (event " + std::to_string(event) + ")" : "";
            // The state before the bad record says what should have come instead.
            ShapeState before;
            for (std::size_t i = 0; i < *badAt; ++i) (void)advance(before, list[i], ops[list[i].op].value);
            examples.push_back("saga " + saga + " recorded " + sequence + ": the first bad action is " +
                               recordText(list[*badAt]) + where + ", because " + why + " (expected " +
                               before.expected() + ").");
        }
    }
    if (bad == 0) {
        result.explanation = "All " + std::to_string(records.size()) +
                             " sagas ran in a legal order: " + std::to_string(done) + " done (T1..Tn), " +
                             std::to_string(compensated) +
                             " compensated (T1..Tj, then Cj..C1 backwards, from C(j-1) when the service "
                             "refused Tj), " +
                             std::to_string(running) +
                             " still running; no step or compensation ran twice and "
                             "nothing followed an end.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "All %1 sagas ran in a legal order: %2 done, %3 compensated, "
                                                         "%4 still running."),
                               records.size(), done, compensated, running);
    } else {
        result.ok = false;
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "Sagas out of shape: %1 of %2. A saga runs T1..Tn, or undoes "
                                                         "exactly the steps that may have run, backwards and once "
                                                         "each."),
                               bad, records.size());
        for (const std::string& example : examples) result.explanation += example + " ";
        if (bad > examples.size())
            result.explanation += std::to_string(bad - examples.size()) + " more sagas are out of shape. ";
        result.explanation +=
            "A saga must run T1..Tn, or T1..Tj and then undo exactly the steps that may have run, backwards "
            "and once each (Cj..C1, or C(j-1)..C1 when the service refused Tj), and stop at its end; "
            "otherwise some step's effect stays in place, or is undone twice or before it was applied.";
    }
    noteTruncation(result, trace);
    return result;
}

std::map<std::string, std::string> sagaOutcomes(const Trace& trace) {
    std::map<std::string, std::string> out;
    for (const auto& [saga, list] : sagaRecords(trace.clientOps())) {
        std::string& outcome = out[saga];
        for (const SagaRecordOp& record : list) {
            if (record.end) {
                outcome = record.result;
                break;
            }
        }
    }
    return out;
}

}  // namespace distlab
