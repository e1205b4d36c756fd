// Invariant checkers for the distributed-lock lab: Jepsen-style mutual exclusion of the read-modify-writes
// that changed the storage, judged in the storage's own order of accesses, and Kleppmann's (2016)
// fencing-token order of the writes the storage accepted.
#include "core/check/lock_checks.h"

#include "core/check/check_support.h"

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

using check::attachEvents;
using check::countText;
using check::examplesText;
using check::intField;
using check::kExamplesMax;
using check::noteTruncation;
constexpr std::uint64_t kNoEvent = kNoTraceEvent;
constexpr std::size_t kNoOp = std::numeric_limits<std::size_t>::max();

std::optional<std::int64_t> tokenField(const Json& value) {
    return intField(value, "fencing_token");
}

std::optional<std::string> keyField(const Json& value) {
    if (!value.is_object()) return std::nullopt;
    auto it = value.find("key");
    if (it == value.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::string tokenText(const std::optional<std::int64_t>& token) {
    return token ? "token " + std::to_string(*token) : std::string("no fencing token");
}

// A write the storage accepted, with the critical section its client was in when it made it.
struct AcceptedWrite {
    std::string process;
    std::optional<std::string> key;
    std::size_t grant = kNoOp;  // index in clientOps() of the lock ok it wrote under; kNoOp: none
    std::size_t read = kNoOp;   // index of the read ok that opened its read-modify-write; kNoOp: none
    std::size_t invoke = 0;
    std::size_t done = 0;
    SimTime start = 0;  // the grant, or the invoke when the client wrote without one
    SimTime end = 0;    // the storage's acceptance, as the client saw it
    std::optional<std::int64_t> token;
    std::optional<std::int64_t> readSeq;   // the storage's seq of the read, when there was one
    std::optional<std::int64_t> writeSeq;  // the storage's seq of the write; none in older histories

    std::int64_t startSeq() const { return readSeq ? *readSeq : *writeSeq; }
};

// A client's completed read, paired with its invoke (whose key it read).
struct ReadOk {
    std::size_t index = kNoOp;
    std::optional<std::string> key;
};

// The accepted writes in history order, each paired with its invoke, with the latest lock ok of its
// client before that invoke and with the latest read ok of the same key under that grant. A new lock
// invoke ends the previous grant: whatever the client writes afterwards is under the new acquisition or
// none.
std::vector<AcceptedWrite> acceptedWrites(const std::vector<ClientOp>& ops) {
    std::map<std::string, std::size_t> grants;                                   // process -> its lock ok
    std::map<std::string, std::vector<ReadOk>> reads;                            // process -> reads since it
    std::map<std::pair<std::string, std::int64_t>, std::size_t> readInvokes;     // (process, op id) -> read
    std::map<std::pair<std::string, std::int64_t>, std::size_t> invokes;         // (process, op id) -> write
    std::map<std::size_t, std::pair<std::size_t, std::size_t>> sectionOfInvoke;  // write -> (lock, read)
    std::vector<AcceptedWrite> out;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const ClientOp& op = ops[i];
        if (op.f == "lock") {
            if (op.phase == OpPhase::Invoke) grants.erase(op.process);
            if (op.phase == OpPhase::Ok) grants[op.process] = i;
            reads.erase(op.process);
            continue;
        }
        if (op.f == "read") {
            if (op.phase == OpPhase::Invoke) {
                readInvokes[{op.process, op.opId}] = i;
                continue;
            }
            auto invoke = readInvokes.find({op.process, op.opId});
            if (invoke == readInvokes.end()) continue;
            const std::size_t invokeIndex = invoke->second;
            readInvokes.erase(invoke);
            if (op.phase == OpPhase::Ok) reads[op.process].push_back({i, keyField(ops[invokeIndex].value)});
            continue;
        }
        if (op.f != "write") continue;
        if (op.phase == OpPhase::Invoke) {
            invokes[{op.process, op.opId}] = i;
            auto grant = grants.find(op.process);
            const std::optional<std::string> key = keyField(op.value);
            std::size_t read = kNoOp;
            if (auto clientReads = reads.find(op.process); clientReads != reads.end()) {
                for (auto r = clientReads->second.rbegin(); r != clientReads->second.rend(); ++r) {
                    if (!key || !r->key || *r->key == *key) {
                        read = r->index;
                        break;
                    }
                }
            }
            sectionOfInvoke[i] = {grant != grants.end() ? grant->second : kNoOp, read};
            continue;
        }
        auto invoke = invokes.find({op.process, op.opId});
        if (invoke == invokes.end()) continue;  // a completion without its invoke: nothing to pair
        const std::size_t invokeIndex = invoke->second;
        invokes.erase(invoke);
        if (op.phase != OpPhase::Ok) continue;
        AcceptedWrite write;
        write.process = op.process;
        write.key = keyField(ops[invokeIndex].value);
        write.grant = sectionOfInvoke[invokeIndex].first;
        write.read = sectionOfInvoke[invokeIndex].second;
        write.invoke = invokeIndex;
        write.done = i;
        write.start = write.grant != kNoOp ? ops[write.grant].time : ops[invokeIndex].time;
        write.end = op.time;
        // The storage judged the token the write carried; the grant's is only a fallback.
        write.token = tokenField(op.value);
        if (!write.token) write.token = tokenField(ops[invokeIndex].value);
        if (!write.token && write.grant != kNoOp) write.token = tokenField(ops[write.grant].value);
        write.writeSeq = intField(op.value, "seq");
        if (write.read != kNoOp) write.readSeq = intField(ops[write.read].value, "seq");
        // A read the storage served after the write cannot have opened it (a corrupt history): ignore it.
        if (write.readSeq && write.writeSeq && *write.readSeq > *write.writeSeq) write.readSeq.reset();
        out.push_back(std::move(write));
    }
    return out;
}

void addEvents(std::set<std::uint64_t>& events, const std::vector<std::uint64_t>& opEvents,
               const AcceptedWrite& write) {
    for (std::size_t op : {write.grant, write.read, write.invoke, write.done}) {
        if (op != kNoOp && opEvents[op] != kNoEvent) events.insert(opEvents[op]);
    }
}

// --- the time fallback, for histories without storage sequence numbers ---

// "lk-c1 was granted the lock with token 1 at 100.0 ms and its write was accepted at 1400.0 ms".
std::string firstHolderText(const AcceptedWrite& write) {
    if (write.grant == kNoOp)
        return write.process + " began a write with " + tokenText(write.token) + " at " +
               formatMillis(write.start) + " without a lock grant and it was accepted at " +
               formatMillis(write.end);
    return write.process + " was granted the lock with " + tokenText(write.token) + " at " +
           formatMillis(write.start) + " and its write was accepted at " + formatMillis(write.end);
}

// "lk-c2 held it with token 2 from 1100.0 ms and its write was accepted at 1250.0 ms".
std::string secondHolderText(const AcceptedWrite& write) {
    if (write.grant == kNoOp)
        return write.process + " wrote with " + tokenText(write.token) + " without a lock grant from " +
               formatMillis(write.start) + " and its write was accepted at " + formatMillis(write.end);
    return write.process + " held it with " + tokenText(write.token) + " from " + formatMillis(write.start) +
           " and its write was accepted at " + formatMillis(write.end);
}

// One pair overlapping in time, `first` being the one whose critical section began first.
std::string timeOverlapText(const AcceptedWrite& first, const AcceptedWrite& second) {
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

// --- the storage's order ---

// "seq 4 (1620.0 ms)": where an access stands in the storage's order, and when its client heard of it.
std::string seqText(std::int64_t seq, SimTime at) {
    return "seq " + std::to_string(seq) + " (" + formatMillis(at) + ")";
}

// "lk-c1 was granted the lock with token 1 at 100.0 ms, read R at storage seq 1 (105.0 ms) and its write
// was accepted at seq 4 (1620.0 ms)".
std::string sectionText(const AcceptedWrite& write, const std::vector<ClientOp>& ops, bool first) {
    std::string text = write.process;
    if (write.grant == kNoOp)
        text += ", holding no lock grant (" + tokenText(write.token) + "),";
    else if (first)
        text +=
            " was granted the lock with " + tokenText(write.token) + " at " + formatMillis(write.start) + ",";
    else
        text += ", granted " + tokenText(write.token) + " at " + formatMillis(write.start) + ",";
    const std::string key = write.key ? *write.key : std::string("the key");
    if (write.readSeq) {
        text += " read " + key + " at storage " + seqText(*write.readSeq, ops[write.read].time) +
                " and its write was accepted at " + seqText(*write.writeSeq, write.end);
    } else {
        text += " wrote " + key + " without reading it first, accepted at storage " +
                seqText(*write.writeSeq, write.end);
    }
    return text;
}

// One pair whose critical sections intersect in the storage's order, `first` being the one whose section
// began first there (so the second's first access lies inside the first's section).
std::string seqOverlapText(const AcceptedWrite& first, const AcceptedWrite& second,
                           const std::vector<ClientOp>& ops) {
    std::string text = sectionText(first, ops, true) + ", but " + sectionText(second, ops, false) + ": ";
    const std::string accesses = second.readSeq ? "read and write" : "write";
    if (*second.writeSeq < *first.writeSeq) {
        text += "the storage served " + second.process + "'s " + accesses + " in between " + first.process +
                "'s read and write, so " + first.process + "'s write overwrote " + second.process +
                "'s update (a lost update).";
    } else {
        text += "the storage served " + second.process + "'s read in between " + first.process +
                "'s read and write, so " + second.process +
                "'s write, built on a value that no longer held, "
                "overwrote " +
                first.process + "'s update (a lost update).";
    }
    if (first.token && second.token && *first.token < *second.token) {
        // The first's write came after the second's first access, which raised the highest token.
        text += " A fencing check on every access would have stopped it: once token " +
                std::to_string(*second.token) + " had been seen at seq " + std::to_string(second.startSeq()) +
                ", the storage would have refused " + first.process + "'s write with token " +
                std::to_string(*first.token) + ".";
    } else if (first.token && second.token && *first.token > *second.token) {
        // The second's first access came after the first's, which had raised the highest token.
        text += " A fencing check on every access would have stopped it: once token " +
                std::to_string(*first.token) + " had been seen at seq " + std::to_string(first.startSeq()) +
                ", the storage would have refused " + second.process + "'s " +
                (second.readSeq ? "read" : "write") + " with token " + std::to_string(*second.token) + ".";
    } else if (first.token && second.token) {
        text += " Both carry fencing token " + std::to_string(*first.token) +
                ", so no fencing check could have told them apart: the lock alone failed to keep them apart.";
    } else {
        text += " Their fencing tokens do not order them, so the storage could not have told them apart.";
    }
    return text;
}

bool sameKey(const AcceptedWrite& a, const AcceptedWrite& b) {
    return !a.key || !b.key || *a.key == *b.key;
}

}  // namespace

std::vector<ExclusionViolation> findExclusionViolations(const Trace& trace) {
    const std::vector<ClientOp>& ops = trace.clientOps();
    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();
    const std::vector<AcceptedWrite> writes = acceptedWrites(ops);

    std::vector<ExclusionViolation> out;
    // `a` and `b` overlap; the one whose write came last overwrote the other.
    auto report = [&](const AcceptedWrite& a, const AcceptedWrite& b, std::string text) {
        const bool aLast = a.writeSeq && b.writeSeq ? *a.writeSeq > *b.writeSeq : a.end >= b.end;
        const AcceptedWrite& first = aLast ? a : b;
        const AcceptedWrite& second = aLast ? b : a;
        ExclusionViolation v;
        v.key = first.key ? *first.key : second.key ? *second.key : std::string();
        v.first = first.process;
        v.second = second.process;
        v.firstToken = first.token;
        v.secondToken = second.token;
        v.firstStart = first.start;
        v.secondStart = second.start;
        v.firstReadAt = first.read != kNoOp ? ops[first.read].time : ops[first.invoke].time;
        v.secondReadAt = second.read != kNoOp ? ops[second.read].time : ops[second.invoke].time;
        v.firstWriteAt = first.end;
        v.secondWriteAt = second.end;
        v.firstReadSeq = first.readSeq;
        v.secondReadSeq = second.readSeq;
        v.firstWriteSeq = first.writeSeq;
        v.secondWriteSeq = second.writeSeq;
        v.explanation = std::move(text);
        std::set<std::uint64_t> events;
        addEvents(events, opEvents, a);
        addEvents(events, opEvents, b);
        v.events.assign(events.begin(), events.end());
        out.push_back(std::move(v));
    };

    // In the storage's order: by the seq that opens each section, so each pair is found once, the earlier
    // section first, and the scan for a section's overlaps stops at the first section that opens after it
    // closes.
    std::vector<const AcceptedWrite*> bySeq;
    for (const AcceptedWrite& write : writes) {
        if (write.writeSeq) bySeq.push_back(&write);
    }
    std::stable_sort(bySeq.begin(), bySeq.end(), [](const AcceptedWrite* a, const AcceptedWrite* b) {
        return a->startSeq() < b->startSeq();
    });
    for (std::size_t i = 0; i < bySeq.size(); ++i) {
        for (std::size_t j = i + 1; j < bySeq.size() && bySeq[j]->startSeq() <= *bySeq[i]->writeSeq; ++j) {
            const AcceptedWrite& first = *bySeq[i];
            const AcceptedWrite& second = *bySeq[j];
            if (first.process == second.process || !sameKey(first, second)) continue;
            report(first, second, seqOverlapText(first, second, ops));
        }
    }

    // The time fallback, for every pair in which a write has no seq: by the start of the critical section.
    if (bySeq.size() == writes.size()) return out;
    std::vector<const AcceptedWrite*> byTime;
    for (const AcceptedWrite& write : writes) byTime.push_back(&write);
    std::stable_sort(byTime.begin(), byTime.end(),
                     [](const AcceptedWrite* a, const AcceptedWrite* b) { return a->start < b->start; });
    for (std::size_t i = 0; i < byTime.size(); ++i) {
        for (std::size_t j = i + 1; j < byTime.size() && byTime[j]->start < byTime[i]->end; ++j) {
            const AcceptedWrite& first = *byTime[i];
            const AcceptedWrite& second = *byTime[j];
            if (first.writeSeq && second.writeSeq) continue;  // judged in the storage's order above
            if (first.process == second.process || second.end <= first.start) continue;
            report(first, second, timeOverlapText(first, second));
        }
    }
    return out;
}

CheckResult checkMutualExclusion(const Trace& trace) {
    CheckResult result;
    result.name = "mutual-exclusion";

    const std::vector<AcceptedWrite> writes = acceptedWrites(trace.clientOps());
    const std::vector<ExclusionViolation> violations = findExclusionViolations(trace);
    const bool allSeq = std::all_of(writes.begin(), writes.end(),
                                    [](const AcceptedWrite& write) { return write.writeSeq.has_value(); });

    std::vector<std::string> examples;
    std::set<std::uint64_t> events;
    for (const ExclusionViolation& violation : violations) {
        if (examples.size() < kExamplesMax) examples.push_back(violation.explanation);
        events.insert(violation.events.begin(), violation.events.end());
    }
    attachEvents(result, events);

    if (violations.empty() && allSeq && !writes.empty()) {
        result.explanation =
            "The critical sections of the " + countText(writes.size(), "accepted write") +
            " did not overlap in the storage's order: it never served another client between "
            "a client's read and its write under the lock, so no update was lost.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "The critical sections of the accepted writes (%1 in all) did "
                                                          "not overlap in the storage's order: it never served another "
                                                          "client between a client's read and its write under the lock, "
                                                          "so no update was lost."),
                               writes.size());
    } else if (violations.empty()) {
        result.explanation = "The critical sections of the " + countText(writes.size(), "accepted write") +
                             " did not overlap: no two clients that changed the storage ever held the lock "
                             "at the same time.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "The critical sections of the accepted writes (%1 in all) did "
                                                          "not overlap: no two clients that changed the storage ever "
                                                          "held the lock at the same time."),
                               writes.size());
    } else {
        result.ok = false;
        const std::size_t count = violations.size();
        result.explanation = std::to_string(count) + (count == 1 ? " pair" : " pairs") +
                             " of accepted writes came from clients whose critical sections overlap." +
                             examplesText(examples, count);
    }
    noteTruncation(result, trace);
    return result;
}

CheckResult checkMonotonicFencing(const Trace& trace) {
    CheckResult result;
    result.name = "monotonic-fencing";

    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();
    std::vector<AcceptedWrite> writes = acceptedWrites(trace.clientOps());
    // In the order the storage accepted them: its own sequence numbers when every write has one, else the
    // time the client heard of it, acceptances at the same instant keeping history order.
    const bool allSeq = std::all_of(writes.begin(), writes.end(),
                                    [](const AcceptedWrite& write) { return write.writeSeq.has_value(); });
    std::stable_sort(writes.begin(), writes.end(), [allSeq](const AcceptedWrite& a, const AcceptedWrite& b) {
        if (allSeq) return *a.writeSeq < *b.writeSeq;
        return a.end < b.end || (a.end == b.end && a.done < b.done);
    });
    auto acceptedText = [](const AcceptedWrite& write) {
        return formatMillis(write.end) +
               (write.writeSeq ? " (storage seq " + std::to_string(*write.writeSeq) + ")" : "");
    };

    std::size_t violations = 0;
    std::size_t counterWentBack = 0;  // violations whose lower token was granted after the higher one
    std::size_t judged = 0;
    std::vector<std::string> examples;
    std::set<std::uint64_t> events;
    const AcceptedWrite* highest = nullptr;  // the accepted write with the highest token so far
    for (const AcceptedWrite& write : writes) {
        if (!write.token) continue;  // nothing to order a write by
        ++judged;
        if (highest && *write.token < *highest->token) {
            ++violations;
            // Who is to blame depends on the order of the grants. The lower token granted first: its
            // holder is the stale one. Granted after the higher one: the lock service's counter went back
            // and the later writer was the legitimate holder.
            const bool wentBack =
                write.grant != kNoOp && highest->grant != kNoOp && write.start > highest->start;
            if (wentBack) ++counterWentBack;
            if (examples.size() < kExamplesMax) {
                std::string example = write.process + "'s write with fencing token " +
                                      std::to_string(*write.token) + " was accepted at " +
                                      acceptedText(write) + ", after " + highest->process +
                                      "'s write with token " + std::to_string(*highest->token) +
                                      " had been accepted at " + acceptedText(*highest);
                if (wentBack) {
                    example += ", yet " + write.process + " was granted token " +
                               std::to_string(*write.token) + " at " + formatMillis(write.start) +
                               ", after " + highest->process + " had been granted token " +
                               std::to_string(*highest->token) + " at " + formatMillis(highest->start);
                }
                examples.push_back(example + ".");
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
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "The accepted writes with a fencing token (%1 in all) carry "
                                                          "non-decreasing tokens in the order the storage accepted them."),
                               judged);
    } else {
        result.ok = false;
        result.explanation = std::to_string(violations) +
                             (violations == 1 ? " accepted write carries" : " accepted writes carry") +
                             " an older fencing token than a write accepted before it." +
                             examplesText(examples, violations);
        // "The lock service ..." when every violation has the same cause, "In 2 cases the lock service ..."
        // when they differ.
        auto lead = [violations](std::size_t count, const std::string& subject) {
            return count == violations ? " T" + subject.substr(1)
                                       : " In " + countText(count, "case") + " " + subject;
        };
        if (counterWentBack > 0) {
            result.explanation +=
                lead(counterWentBack, "the lock service") +
                " handed out a lower token after a higher one: its counter went back (for example a restart "
                "without persistence), so fencing tokens no longer order the holders. The later writer was "
                "the legitimate holder, and a storage that checks fencing tokens would have refused it; the "
                "counter must survive restarts for fencing to work.";
        }
        if (counterWentBack < violations) {
            result.explanation +=
                lead(violations - counterWentBack, "the storage") +
                " went back to an older grant: a client whose lock had already passed to someone else "
                "overwrote the newer holder's data. A storage that checks fencing tokens rejects every write "
                "whose token is below the highest it has seen.";
        }
    }
    noteTruncation(result, trace);
    return result;
}

}  // namespace distlab
