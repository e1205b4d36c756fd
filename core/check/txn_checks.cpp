// Invariant checkers for atomic commitment (Gray 1978; Skeen 1981), over the votes and decisions the
// nodes recorded and the READY spans in the trace.
#include "core/check/txn_checks.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/check/check_support.h"
#include "core/protocols/txn/txn_record.h"

namespace distlab {

namespace {

using check::addNode;
using check::attachEvents;
using check::countText;
using check::examplesText;
using check::kExamplesMax;
using check::noteTruncation;

// One vote or decision, as recorded.
struct Record {
    std::string node;
    std::string txn;
    std::string value;  // "yes" / "no", or "commit" / "abort"
    std::string role;   // decisions: "coordinator" / "participant"
    SimTime at = 0;
    std::uint64_t event = kNoTraceEvent;
};

struct History {
    std::vector<Record> votes;
    std::vector<Record> decisions;
};

History readHistory(const Trace& trace) {
    const std::vector<ClientOp>& ops = trace.clientOps();
    const std::vector<std::uint64_t> events = trace.clientOpEventIndices();
    History history;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const ClientOp& op = ops[i];
        if (op.phase != OpPhase::Ok || (op.f != "vote" && op.f != "decide")) continue;
        Record record;
        record.node = op.process;
        record.txn = stringField(op.value, "txn");
        record.value = stringField(op.value, op.f == "vote" ? "vote" : "decision");
        record.role = stringField(op.value, "role");
        record.at = op.time;
        record.event = events[i];
        if (record.txn.empty() || record.value.empty()) continue;
        (op.f == "vote" ? history.votes : history.decisions).push_back(std::move(record));
    }
    return history;
}

std::string recordText(const Record& r) {
    return r.node + (r.role.empty() ? "" : " (" + r.role + ")") + " decided " + r.value + " at " + formatMillis(r.at);
}

void addEvent(std::set<std::uint64_t>& events, const Record& r) {
    if (r.event != kNoTraceEvent) events.insert(r.event);
}

}  // namespace

CheckResult checkAtomicity(const Trace& trace) {
    CheckResult result;
    result.name = "atomicity";
    const History history = readHistory(trace);
    // The first decision of each transaction, and every later one that disagrees with it.
    std::map<std::string, const Record*> first;
    std::set<std::string> split;
    std::vector<std::string> examples;
    std::set<std::uint64_t> events;
    const Record* firstSplit = nullptr;  // the first decision that contradicted an earlier one
    const Record* contradicted = nullptr;
    for (const Record& r : history.decisions) {
        auto [it, fresh] = first.emplace(r.txn, &r);
        if (fresh || it->second->value == r.value) continue;
        if (split.insert(r.txn).second && examples.size() < kExamplesMax)
            examples.push_back("Transaction " + r.txn + ": " + recordText(*it->second) + ", but " + recordText(r) + ".");
        if (!firstSplit) {
            firstSplit = &r;
            contradicted = it->second;
        }
        addEvent(events, *it->second);
        addEvent(events, r);
    }
    result.ok = split.empty();
    if (result.ok) {
        result.explanation = "All nodes agreed on every transaction: " + countText(history.decisions.size(), "decision") +
                             " on " + countText(first.size(), "transaction") + ", none contradicting another.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "All nodes agreed on every transaction (decisions: %1, "
                                                          "transactions: %2); none contradicted another."),
                               history.decisions.size(), first.size());
    } else {
        // The evidence: the node that broke ranks, at the moment it did, then the one it contradicted.
        addNode(result, firstSplit->node);
        addNode(result, contradicted->node);
        result.at = firstSplit->at;
        result.text = makeText(
            QT_TRANSLATE_NOOP("Core", "Split transactions (committed at some nodes, aborted at others): %1. Transaction %2: %3 "
                                      "decided %4 at %5, but %6 decided %7 at %8. Atomic commitment means all or "
                                      "nothing, yet some nodes applied the transaction and others threw it away. "
                                      "Three-phase commit does this when a partition separates participants that "
                                      "reached PRECOMMIT from ones that did not: each side's termination protocol "
                                      "decides on its own."),
            split.size(), firstSplit->txn, contradicted->node, contradicted->value, formatMillis(contradicted->at),
            firstSplit->node, firstSplit->value, formatMillis(firstSplit->at));
        result.explanation = countText(split.size(), "transaction") + " ended both committed and aborted." +
                             examplesText(examples, split.size()) +
                             " Atomic commitment means all or nothing: some nodes applied the transaction and others "
                             "threw it away. Three-phase commit does this when a partition separates participants "
                             "that reached PRECOMMIT from ones that did not: each side's termination protocol decides "
                             "on its own.";
    }
    attachEvents(result, events);
    noteTruncation(result, trace);
    return result;
}

CheckResult checkValidity(const Trace& trace) {
    CheckResult result;
    result.name = "validity";
    const History history = readHistory(trace);
    std::map<std::string, std::vector<const Record*>> votesByTxn;
    for (const Record& v : history.votes) votesByTxn[v.txn].push_back(&v);
    std::set<std::string> committed;
    std::map<std::string, const Record*> commitOf;
    for (const Record& d : history.decisions) {
        if (d.value != "commit") continue;
        committed.insert(d.txn);
        commitOf.emplace(d.txn, &d);
    }
    std::vector<std::string> examples;
    std::set<std::uint64_t> events;
    std::size_t bad = 0;
    for (const std::string& txn : committed) {
        for (const Record* vote : votesByTxn[txn]) {
            if (vote->value == "yes") continue;
            ++bad;
            if (examples.size() < kExamplesMax)
                examples.push_back("Transaction " + txn + " was committed (" + recordText(*commitOf[txn]) + ") although " +
                                   vote->node + " voted no at " + formatMillis(vote->at) + ".");
            addEvent(events, *commitOf[txn]);
            addEvent(events, *vote);
            break;
        }
    }
    result.ok = bad == 0;
    if (result.ok) {
        result.explanation = "Every committed transaction (" + countText(committed.size(), "transaction") +
                             ") had only yes votes: nothing was committed against a participant's will.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "Every committed transaction (%1 in all) had only yes votes: "
                                                          "nothing was committed against a participant's will."),
                               committed.size());
    } else {
        result.explanation = countText(bad, "transaction") + " committed despite a no vote." +
                             examplesText(examples, bad) +
                             " A participant votes no when it cannot do its part; committing anyway breaks the "
                             "transaction's effects.";
    }
    attachEvents(result, events);
    noteTruncation(result, trace);
    return result;
}

CheckResult checkIrrevocability(const Trace& trace) {
    CheckResult result;
    result.name = "irrevocability";
    const History history = readHistory(trace);
    std::map<std::pair<std::string, std::string>, const Record*> firstOf;  // (node, txn)
    std::vector<std::string> examples;
    std::set<std::uint64_t> events;
    std::size_t bad = 0;
    for (const Record& d : history.decisions) {
        auto [it, fresh] = firstOf.emplace(std::make_pair(d.node, d.txn), &d);
        if (fresh || it->second->value == d.value) continue;
        ++bad;
        if (examples.size() < kExamplesMax)
            examples.push_back(d.node + " first decided " + it->second->value + " on " + d.txn + " at " +
                               formatMillis(it->second->at) + ", then " + d.value + " at " + formatMillis(d.at) + ".");
        addEvent(events, *it->second);
        addEvent(events, d);
    }
    result.ok = bad == 0;
    if (result.ok) {
        result.explanation = "No node changed its mind: each of the " + countText(firstOf.size(), "decision") +
                             " stayed as first logged, through crashes and recoveries.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "No node changed its mind: every decision (%1 in all) stayed "
                                                          "as first logged, through crashes and recoveries."),
                               firstOf.size());
    } else {
        result.explanation = countText(bad, "decision") + " changed after being made." + examplesText(examples, bad) +
                             " A decision is forced to the log before it is acted on, so a recovery must find and "
                             "keep it.";
    }
    attachEvents(result, events);
    noteTruncation(result, trace);
    return result;
}

std::map<std::pair<std::string, std::string>, SimTime> readyTimes(const Trace& trace, SimTime now) {
    std::map<std::pair<std::string, std::string>, SimTime> total;
    std::map<std::pair<std::string, std::string>, SimTime> openSince;  // (node, txn) in READY since
    const auto close = [&](const std::pair<std::string, std::string>& key, SimTime at) {
        auto it = openSince.find(key);
        if (it == openSince.end()) return;
        total[key] += at - it->second;
        openSince.erase(it);
    };
    for (const TraceEvent& event : trace.events()) {
        if (event.kind == TraceKind::Crash || event.kind == TraceKind::NodeRemove) {
            const std::string& node = trace.name(event.node);
            // A crashed node holds nothing in memory: every READY span of it ends here.
            std::vector<std::pair<std::string, std::string>> ending;
            for (const auto& [key, since] : openSince)
                if (key.first == node) ending.push_back(key);
            for (const auto& key : ending) close(key, event.time);
            continue;
        }
        if (event.kind != TraceKind::State || event.text == kNoName) continue;
        const auto parsed = txn::parseTxnState(trace.name(event.text));
        if (!parsed || parsed->saga) continue;
        const auto key = std::make_pair(trace.name(event.node), parsed->id);
        if (parsed->state == "READY") {
            openSince.emplace(key, event.time);
            total.emplace(key, 0);
        } else {
            close(key, event.time);
        }
    }
    for (const auto& [key, since] : openSince) total[key] += std::max<SimTime>(0, now - since);
    return total;
}

}  // namespace distlab
