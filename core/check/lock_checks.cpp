// Invariant checkers for the distributed-lock lab: Jepsen-style mutual exclusion of the writers that
// changed the storage, and Kleppmann's (2016) fencing-token order of the writes the storage accepted.
#include "core/check/lock_checks.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace distlab {

namespace {

constexpr std::size_t kExamplesMax = 3;  // problems spelled out in an explanation
constexpr std::size_t kEventsMax = 64;   // trace events attached to a verdict
constexpr std::uint64_t kNoEvent = kNoTraceEvent;
constexpr std::size_t kNoOp = std::numeric_limits<std::size_t>::max();


std::optional<std::int64_t> tokenField(const Json& value) {
    if (!value.is_object()) return std::nullopt;
    auto it = value.find("fencing_token");
    if (it == value.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

// "1250.0 ms": the lab's clock ticks in microseconds, and a tenth of a millisecond is enough to see
// which of two events came first in a story.
std::string msText(SimTime t) {
    char text[48];
    std::snprintf(text, sizeof text, "%.1f ms", toMillis(t));
    return text;
}

std::string tokenText(const std::optional<std::int64_t>& token) {
    return token ? "token " + std::to_string(*token) : std::string("no fencing token");
}

// A write the storage accepted, with the critical section its client was in when it made it.
struct AcceptedWrite {
    std::string process;
    std::size_t grant = kNoOp;  // index in clientOps() of the lock ok it wrote under; kNoOp: none
    std::size_t invoke = 0;
    std::size_t done = 0;
    SimTime start = 0;  // the grant, or the invoke when the client wrote without one
    SimTime end = 0;    // the storage's acceptance, as the client saw it
    std::optional<std::int64_t> token;
};

// The accepted writes in history order, each paired with its invoke and with the latest lock ok of its
// client before that invoke. A new lock invoke ends the previous grant: whatever the client writes
// afterwards is under the new acquisition or none.
std::vector<AcceptedWrite> acceptedWrites(const std::vector<ClientOp>& ops) {
    std::map<std::string, std::size_t> grants;                            // process -> its lock ok
    std::map<std::pair<std::string, std::int64_t>, std::size_t> invokes;  // (process, op id) -> write
    std::map<std::size_t, std::size_t> grantOfInvoke;                     // write invoke -> lock ok
    std::vector<AcceptedWrite> out;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const ClientOp& op = ops[i];
        if (op.f == "lock") {
            if (op.phase == OpPhase::Invoke) grants.erase(op.process);
            if (op.phase == OpPhase::Ok) grants[op.process] = i;
            continue;
        }
        if (op.f != "write") continue;
        if (op.phase == OpPhase::Invoke) {
            invokes[{op.process, op.opId}] = i;
            auto grant = grants.find(op.process);
            grantOfInvoke[i] = grant != grants.end() ? grant->second : kNoOp;
            continue;
        }
        auto invoke = invokes.find({op.process, op.opId});
        if (invoke == invokes.end()) continue;  // a completion without its invoke: nothing to pair
        const std::size_t invokeIndex = invoke->second;
        invokes.erase(invoke);
        if (op.phase != OpPhase::Ok) continue;
        AcceptedWrite write;
        write.process = op.process;
        write.grant = grantOfInvoke[invokeIndex];
        write.invoke = invokeIndex;
        write.done = i;
        write.start = write.grant != kNoOp ? ops[write.grant].time : ops[invokeIndex].time;
        write.end = op.time;
        // The storage judged the token the write carried; the grant's is only a fallback.
        write.token = tokenField(op.value);
        if (!write.token) write.token = tokenField(ops[invokeIndex].value);
        if (!write.token && write.grant != kNoOp) write.token = tokenField(ops[write.grant].value);
        out.push_back(std::move(write));
    }
    return out;
}

void addEvents(std::set<std::uint64_t>& events, const std::vector<std::uint64_t>& opEvents,
               const AcceptedWrite& write) {
    for (std::size_t op : {write.grant, write.invoke, write.done}) {
        if (op != kNoOp && opEvents[op] != kNoEvent) events.insert(opEvents[op]);
    }
}

void attachEvents(CheckResult& result, const std::set<std::uint64_t>& events) {
    for (std::uint64_t event : events) {
        if (result.events.size() >= kEventsMax) break;
        result.events.push_back(event);
    }
}

// Views and checkers must say when they see only the start of the run.
void noteTruncation(CheckResult& result, const Trace& trace) {
    if (trace.truncated())
        result.explanation += " The trace was truncated, so this judges only the start of the run.";
}

// "c1 was granted the lock with token 1 at 100.0 ms and its write was accepted at 1400.0 ms".
std::string firstHolderText(const AcceptedWrite& write) {
    if (write.grant == kNoOp)
        return write.process + " began a write with " + tokenText(write.token) + " at " +
               msText(write.start) + " without a lock grant and it was accepted at " + msText(write.end);
    return write.process + " was granted the lock with " + tokenText(write.token) + " at " +
           msText(write.start) + " and its write was accepted at " + msText(write.end);
}

// "c2 held it with token 2 from 1100.0 ms and its write was accepted at 1250.0 ms".
std::string secondHolderText(const AcceptedWrite& write) {
    if (write.grant == kNoOp)
        return write.process + " wrote with " + tokenText(write.token) + " without a lock grant from " +
               msText(write.start) + " and its write was accepted at " + msText(write.end);
    return write.process + " held it with " + tokenText(write.token) + " from " + msText(write.start) +
           " and its write was accepted at " + msText(write.end);
}

// One overlapping pair, `first` being the one whose critical section began first.
std::string overlapText(const AcceptedWrite& first, const AcceptedWrite& second) {
    std::string text = firstHolderText(first) + ", but " + secondHolderText(second) +
                       ": two holders both changed the storage (a lost update).";
    const bool ordered = first.token && second.token && *first.token < *second.token;
    if (first.end > second.end && ordered) {
        // The older holder wrote last: exactly the write a fencing check refuses.
        text += " A fencing token check on the storage would have rejected " + first.process + "'s write.";
    } else if (ordered) {
        text +=
            " The storage took them in token order, so a fencing check would not have stopped this: "
            "the lock alone failed to keep them apart.";
    } else {
        text += " Their fencing tokens do not order them, so the storage could not have told them apart.";
    }
    return text;
}

// "1 accepted write", "2 accepted writes".
std::string countText(std::size_t count, const std::string& noun) {
    return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string examplesText(const std::vector<std::string>& examples, std::size_t count) {
    std::string text;
    for (const std::string& example : examples) text += " " + example;
    if (count > examples.size()) text += " And " + std::to_string(count - examples.size()) + " more.";
    return text;
}

}  // namespace

CheckResult checkMutualExclusion(const World& world) {
    CheckResult result;
    result.name = "mutual-exclusion";

    const Trace& trace = world.trace();
    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();
    std::vector<AcceptedWrite> writes = acceptedWrites(trace.clientOps());
    // By the start of the critical section, so each pair is found once, the earlier holder first, and
    // the scan for a section's overlaps stops at the first section that begins after it ends.
    std::stable_sort(writes.begin(), writes.end(),
                     [](const AcceptedWrite& a, const AcceptedWrite& b) { return a.start < b.start; });

    std::size_t violations = 0;
    std::vector<std::string> examples;
    std::set<std::uint64_t> events;
    for (std::size_t i = 0; i < writes.size(); ++i) {
        for (std::size_t j = i + 1; j < writes.size() && writes[j].start < writes[i].end; ++j) {
            const AcceptedWrite& first = writes[i];
            const AcceptedWrite& second = writes[j];
            if (first.process == second.process || second.end <= first.start) continue;
            ++violations;
            if (examples.size() < kExamplesMax) examples.push_back(overlapText(first, second));
            addEvents(events, opEvents, first);
            addEvents(events, opEvents, second);
        }
    }
    attachEvents(result, events);

    if (violations == 0) {
        result.explanation = "The critical sections of the " + countText(writes.size(), "accepted write") +
                             " did not overlap: no two clients that changed the storage ever held the lock "
                             "at the same time.";
    } else {
        result.ok = false;
        result.explanation = std::to_string(violations) + (violations == 1 ? " pair" : " pairs") +
                             " of accepted writes came from clients whose critical sections overlap." +
                             examplesText(examples, violations);
    }
    noteTruncation(result, trace);
    return result;
}

CheckResult checkMonotonicFencing(const World& world) {
    CheckResult result;
    result.name = "monotonic-fencing";

    const Trace& trace = world.trace();
    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();
    std::vector<AcceptedWrite> writes = acceptedWrites(trace.clientOps());
    // In the order the storage accepted them; acceptances at the same instant keep history order.
    std::stable_sort(writes.begin(), writes.end(), [](const AcceptedWrite& a, const AcceptedWrite& b) {
        return a.end < b.end || (a.end == b.end && a.done < b.done);
    });

    std::size_t violations = 0;
    std::size_t judged = 0;
    std::vector<std::string> examples;
    std::set<std::uint64_t> events;
    const AcceptedWrite* highest = nullptr;  // the accepted write with the highest token so far
    for (const AcceptedWrite& write : writes) {
        if (!write.token) continue;  // nothing to order a write by
        ++judged;
        if (highest && *write.token < *highest->token) {
            ++violations;
            if (examples.size() < kExamplesMax) {
                examples.push_back(write.process + "'s write with fencing token " +
                                   std::to_string(*write.token) + " was accepted at " + msText(write.end) +
                                   ", after " + highest->process + "'s write with token " +
                                   std::to_string(*highest->token) + " had been accepted at " +
                                   msText(highest->end) + ".");
            }
            for (const AcceptedWrite* w : {highest, &write}) {
                for (std::size_t op : {w->invoke, w->done}) {
                    if (opEvents[op] != kNoEvent) events.insert(opEvents[op]);
                }
            }
            continue;
        }
        if (!highest || *write.token > *highest->token) highest = &write;
    }
    attachEvents(result, events);

    if (violations == 0) {
        result.explanation = "The " + countText(judged, "accepted write") + " with a fencing token " +
                             (judged == 1 ? "carries" : "carry") +
                             " non-decreasing tokens in the order the storage accepted them.";
    } else {
        result.ok = false;
        result.explanation =
            std::to_string(violations) +
            (violations == 1 ? " accepted write carries" : " accepted writes carry") +
            " an older fencing token than a write accepted before it." + examplesText(examples, violations) +
            " The storage went back to an older grant: a client whose lock had already passed to someone "
            "else overwrote the newer holder's data. A storage that checks fencing tokens rejects every "
            "write "
            "whose token is below the highest it has seen.";
    }
    noteTruncation(result, trace);
    return result;
}

}  // namespace distlab
