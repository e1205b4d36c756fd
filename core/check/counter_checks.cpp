// The distributed counter's checks. What each one judges is in the header.
#include "core/check/counter_checks.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/check/check_support.h"
#include "core/check/linearizability.h"
#include "core/check/op_history.h"

namespace distlab::check {

namespace {

constexpr const char* kLab = "counter";

CheckResult linearizable(const Trace& trace, const std::function<bool(const std::string&)>& isClient) {
    CheckResult result;
    result.name = "counter-linearizable";
    result.lab = kLab;
    std::vector<std::string> names;
    const std::vector<lin::HistoryEvent> history = lin::historyOfTrace(
        trace, [&](const ClientOp& op) { return isClient(op.process) && (op.f == "incr" || op.f == "read"); }, &names);
    Result<std::vector<lin::Operation>> ops = lin::opsOf(history, "the counter's history");
    if (!ops) {
        result.ok = false;
        result.explanation = ops.error().message;
        return result;
    }
    lin::CheckOptions options;
    options.stepsMax = 20'000'000;
    Result<lin::LinearizabilityResult> verdict = lin::checkLinearizability(ops.value(), lin::Model::Counter, options);
    if (!verdict) {
        result.ok = false;
        result.explanation = verdict.error().message;
        return result;
    }
    const lin::LinearizabilityResult& r = verdict.value();
    if (r.verdict == lin::Verdict::Linearizable) {
        result.explanation = "Every read returned a value some order of the " + countText(r.operations, "operation") +
                             " explains (" + countText(r.unknown, "unknown one") + " may or may not have happened).";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "Linearizable so far: some order of the %1 operations explains every read (%2 of unknown outcome)."),
                               std::uint64_t(r.operations), std::uint64_t(r.unknown));
    } else if (r.verdict == lin::Verdict::Unknown) {
        result.explanation = "The search ran out of budget on key " + r.unknownKey + ": not decided.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "Not decided: the search ran out of budget on key %1."), r.unknownKey);
    } else {
        result.ok = false;
        result.explanation = r.explanation;
        result.text = r.text;
        SimTime at = -1;
        for (const lin::Operation& op : r.failing) {
            if (op.process >= 0 && std::size_t(op.process) < names.size()) addNode(result, names[std::size_t(op.process)]);
            const std::size_t end = std::min(op.ret, history.size() - 1);
            if (history[end].time) at = std::max<SimTime>(at, *history[end].time / 1000);
        }
        result.at = at;
    }
    return result;
}

}  // namespace

std::vector<CounterExpectation> counterExpectations(const Trace& trace,
                                                    const std::function<bool(const std::string&)>& isClient) {
    struct Incr {
        std::string key;
        std::int64_t delta = 0;
        OpPhase phase = OpPhase::Unknown;  // Unknown while open
    };
    std::map<std::pair<std::string, std::int64_t>, Incr> incrs;
    for (const ClientOp& op : trace.clientOps()) {
        if (op.f != "incr" || !isClient(op.process)) continue;
        const auto id = std::make_pair(op.process, op.opId);
        if (op.phase == OpPhase::Invoke) {
            const std::optional<std::int64_t> delta = intField(op.value, "value");
            incrs[id] = Incr{stringField(op.value, "key"), delta.value_or(0), OpPhase::Unknown};
        } else if (auto it = incrs.find(id); it != incrs.end()) {
            it->second.phase = op.phase;
        }
    }
    std::map<std::string, CounterExpectation> byKey;
    for (const auto& [id, incr] : incrs) {
        CounterExpectation& e = byKey[incr.key];
        e.key = incr.key;
        if (incr.phase == OpPhase::Ok) {
            e.acked += incr.delta;
            ++e.ackedCount;
        } else if (incr.phase == OpPhase::Unknown) {
            e.unknown += incr.delta;
            ++e.unknownCount;
        }
    }
    std::vector<CounterExpectation> out;
    for (auto& [key, e] : byKey) out.push_back(e);
    return out;
}

std::vector<CheckResult> counterChecks(const Trace& trace, const std::function<bool(const std::string&)>& isClient,
                                       const std::vector<CounterReplicaState>& states) {
    std::vector<CheckResult> results;
    results.push_back(linearizable(trace, isClient));

    // The freshest state of each key, over every replica.
    std::map<std::string, const CounterReplicaState*> freshest;
    for (const CounterReplicaState& s : states) {
        auto& best = freshest[s.key];
        if (!best || counter::fresher(s.state, best->state)) best = &s;
    }

    CheckResult exact;
    exact.name = "counter-exact";
    exact.lab = kLab;
    std::vector<std::string> problems;
    std::size_t bad = 0;
    const std::vector<CounterExpectation> expectations = counterExpectations(trace, isClient);
    for (const CounterExpectation& e : expectations) {
        auto it = freshest.find(e.key);
        const std::int64_t value = it == freshest.end() ? 0 : it->second->state.value;
        if (value >= e.acked && value <= e.acked + e.unknown) continue;
        ++bad;
        if (it != freshest.end()) addNode(exact, it->second->replica);
        if (problems.size() < kExamplesMax)
            problems.push_back("Key " + e.key + " holds " + std::to_string(value) + ", but " +
                               countText(std::uint64_t(e.ackedCount), "acknowledged increment") + " add up to " +
                               std::to_string(e.acked) + " and the unknown ones allow at most " +
                               std::to_string(e.acked + e.unknown) + ".");
        if (!exact.ok) continue;
        exact.ok = false;
        exact.text = makeText(QT_TRANSLATE_NOOP("Core", "Key %1 holds %2, but the acknowledged increments add up to %3 and the unknown ones allow at most %4."),
                              e.key, value, e.acked, e.acked + e.unknown);
    }
    if (exact.ok) {
        exact.explanation = "Every key holds the sum of its acknowledged increments, plus some of the unknown ones (" +
                            countText(expectations.size(), "key") + ").";
        exact.text = makeText(QT_TRANSLATE_NOOP("Core", "Every key holds the sum of its acknowledged increments, plus some of the unknown ones (%1 keys)."),
                              std::uint64_t(expectations.size()));
    } else {
        exact.explanation = countText(bad, "key") + " off:" + examplesText(problems, bad);
    }
    results.push_back(std::move(exact));

    CheckResult once;
    once.name = "applied-once";
    once.lab = kLab;
    problems.clear();
    bad = 0;
    for (const CounterReplicaState& s : states) {
        std::set<std::string> seen;
        for (const std::string& rid : s.state.applied) {
            if (seen.insert(rid).second) continue;
            ++bad;
            addNode(once, s.replica);
            if (problems.size() < kExamplesMax)
                problems.push_back("Request " + rid + " was applied twice to key " + s.key + " on " + s.replica + ".");
            if (once.ok) {
                once.ok = false;
                once.text = makeText(QT_TRANSLATE_NOOP("Core", "Request %1 was applied twice to key %2 on %3."), rid, s.key,
                                     s.replica);
            }
        }
    }
    if (once.ok) {
        once.explanation = "No replica applied a request id twice.";
        once.text = makeText(QT_TRANSLATE_NOOP("Core", "No replica applied a request id twice."));
    } else {
        once.explanation = countText(bad, "request applied twice", "requests applied twice") + ":" + examplesText(problems, bad);
    }
    results.push_back(std::move(once));

    CheckResult agree;
    agree.name = "replicas-agree";
    agree.lab = kLab;
    problems.clear();
    bad = 0;
    std::map<std::pair<std::string, std::int64_t>, const CounterReplicaState*> byVersion;
    for (const CounterReplicaState& s : states) {
        auto [it, fresh] = byVersion.emplace(std::make_pair(s.key, s.state.version), &s);
        if (fresh || it->second->state.value == s.state.value) continue;
        ++bad;
        addNode(agree, it->second->replica);
        addNode(agree, s.replica);
        if (problems.size() < kExamplesMax)
            problems.push_back("Version " + std::to_string(s.state.version) + " of key " + s.key + " is " +
                               std::to_string(it->second->state.value) + " on " + it->second->replica + " but " +
                               std::to_string(s.state.value) + " on " + s.replica + ".");
        if (agree.ok) {
            agree.ok = false;
            agree.text = makeText(QT_TRANSLATE_NOOP("Core", "Version %1 of key %2 is %3 on %4 but %5 on %6."),
                                  s.state.version, s.key, it->second->state.value, it->second->replica, s.state.value,
                                  s.replica);
        }
    }
    if (agree.ok) {
        agree.explanation = "Replicas holding the same version of a key hold the same value.";
        agree.text = makeText(QT_TRANSLATE_NOOP("Core", "Replicas holding the same version of a key hold the same value."));
    } else {
        agree.explanation = countText(bad, "disagreement") + ":" + examplesText(problems, bad);
    }
    results.push_back(std::move(agree));
    for (CheckResult& r : results) noteTruncation(r, trace);
    return results;
}

}  // namespace distlab::check
