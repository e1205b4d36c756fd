// The lock lab's checkers, story by story: Kleppmann's paused client (a GC pause past its lease) breaks
// mutual exclusion and fencing order when the storage does not check fencing tokens, and breaks neither
// when it does; two clients taking turns break nothing; and hand-written histories pin the verdicts and
// the sentences a student reads -- judged in the storage's order of accesses when the history carries
// sequence numbers, and in time for older histories without them.
#include <QTest>

#include <algorithm>

#include "core/check/lock_checks.h"
#include "core/protocols/lock/lease/fenced_storage.h"
#include "core/protocols/lock/lease/lease_lock_client.h"
#include "core/protocols/lock/lease/lease_lock_server.h"
#include "core/sim/world.h"
#include "tests/core/lock/lease/lease_client_cluster.h"
#include "tests/support/probe.h"

using namespace distlab;
using namespace distlab::lock;
using namespace distlab::lock::testing;

namespace {

// Kleppmann's figure: c1 takes the lock, is frozen mid-work well past its 500 ms lease, c2 takes the
// lock, writes and releases, then c1 wakes up and writes with its old token.
void pausedClientStory(ClientCluster& cluster) {
    QVERIFY(cluster.lock("c1"));
    cluster.run(millis(50));
    QVERIFY(cluster.world.pause("c1", millis(1500)).ok());
    QVERIFY(cluster.lock("c2"));
    cluster.run(millis(2300));
}

LeaseLockClientConfig pauseConfig() {
    LeaseLockClientConfig config;
    config.ttlMs = 500;
    config.holdMs = 300;
    return config;
}

// A hand-written history, recorded the way the World records one: a client op and a Client trace event
// whose ref is the op's index.
struct History {
    World world{1};
    std::vector<std::uint64_t> events;  // trace index of each op, in the order written

    void op(std::int64_t ms, const std::string& process, std::int64_t opId, OpPhase phase,
            const std::string& f, Json value) {
        Trace& trace = world.trace();
        const std::size_t index =
            trace.addClientOp(ClientOp{millis(ms), process, opId, phase, f, std::move(value)});
        events.push_back(trace.size());  // the index the event is about to get
        trace.append(millis(ms), TraceKind::Client, trace.intern(process), kNoName, kNoName, index);
    }
    // A whole lock, read, write cycle judged in the storage's order: granted at grantedAt, read ok (at
    // readSeq) at readAt, write from writeAt to doneAt (accepted at writeSeq when `end` is ok). readSeq 0:
    // no read.
    void rmw(const std::string& process, std::int64_t token, std::int64_t grantedAt, std::int64_t readAt,
             std::int64_t readSeq, std::int64_t writeAt, std::int64_t doneAt, std::int64_t writeSeq,
             const std::string& key = "R", OpPhase end = OpPhase::Ok) {
        const std::int64_t base = token * 10 + 100;
        op(grantedAt - 1, process, base, OpPhase::Invoke, "lock", Json{{"resource", "R"}});
        op(grantedAt, process, base, OpPhase::Ok, "lock", Json{{"resource", "R"}, {"fencing_token", token}});
        if (readSeq > 0) {
            op(readAt - 1, process, base + 1, OpPhase::Invoke, "read",
               Json{{"key", key}, {"fencing_token", token}});
            op(readAt, process, base + 1, OpPhase::Ok, "read",
               Json{{"fencing_token", token}, {"seq", readSeq}, {"exists", true}});
        }
        op(writeAt, process, base + 2, OpPhase::Invoke, "write",
           Json{{"key", key}, {"value", process}, {"fencing_token", token}});
        op(doneAt, process, base + 2, end, "write",
           end == OpPhase::Ok ? Json{{"fencing_token", token}, {"seq", writeSeq}}
                              : Json{{"fencing_token", token}, {"error", "refused"}});
    }
    // A whole lock-then-write cycle: lock invoke at lockAt, granted at grantedAt, write from writeAt
    // to doneAt ending in `end`.
    void cycle(const std::string& process, std::int64_t token, std::int64_t lockAt, std::int64_t grantedAt,
               std::int64_t writeAt, std::int64_t doneAt, OpPhase end = OpPhase::Ok) {
        const std::int64_t base = token * 10;
        op(lockAt, process, base, OpPhase::Invoke, "lock", Json{{"resource", "R"}});
        op(grantedAt, process, base, OpPhase::Ok, "lock",
           Json{{"resource", "R"}, {"token", process + "-1"}, {"fencing_token", token}});
        op(writeAt, process, base + 1, OpPhase::Invoke, "write",
           Json{{"key", "R"}, {"value", process}, {"fencing_token", token}});
        op(doneAt, process, base + 1, end, "write", Json{{"fencing_token", token}});
    }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Every event a verdict points at is a client event of one of `processes`.
bool eventsAreClientEventsOf(const World& world, const CheckResult& result,
                             const std::set<std::string>& processes) {
    const Trace& trace = world.trace();
    std::set<std::string> seen;
    for (std::uint64_t index : result.events) {
        const TraceEvent& event = trace.events()[index];
        if (event.kind != TraceKind::Client) return false;
        seen.insert(trace.clientOps().at(event.ref).process);
    }
    return seen == processes;
}

}  // namespace

class TestLockChecks : public QObject {
    Q_OBJECT

private slots:
    void pausedClientWithoutFencingBreaksMutualExclusion() {
        // lease lock, fencing off: c1 paused past its lease -> its stale write is accepted after c2's, both
        // checkers fail and name c1 and c2 with their tokens
        ClientCluster cluster(pauseConfig(), false);
        pausedClientStory(cluster);

        const CheckResult exclusion = checkMutualExclusion(cluster.world.trace());
        QCOMPARE(exclusion.name, std::string("mutual-exclusion"));
        QVERIFY(!exclusion.ok);
        QVERIFY2(contains(exclusion.explanation, "c1 was granted the lock with token 1"),
                 exclusion.explanation.c_str());
        QVERIFY2(contains(exclusion.explanation, "read R at storage seq 1"), exclusion.explanation.c_str());
        QVERIFY2(contains(exclusion.explanation, "its write was accepted at seq 4"),
                 exclusion.explanation.c_str());
        QVERIFY2(contains(exclusion.explanation, "but c2, granted token 2 at"),
                 exclusion.explanation.c_str());
        QVERIFY2(contains(exclusion.explanation,
                          "the storage served c2's read and write in between c1's read and "
                          "write, so c1's write overwrote c2's update"),
                 exclusion.explanation.c_str());
        QVERIFY2(contains(exclusion.explanation, "the storage would have refused c1's write with token 1"),
                 exclusion.explanation.c_str());
        // c1's lock ok, read ok, write invoke and write ok, and the same four of c2.
        QCOMPARE(exclusion.events.size(), std::size_t(8));
        QVERIFY(eventsAreClientEventsOf(cluster.world, exclusion, {"c1", "c2"}));

        const CheckResult fencing = checkMonotonicFencing(cluster.world.trace());
        QCOMPARE(fencing.name, std::string("monotonic-fencing"));
        QVERIFY(!fencing.ok);
        QVERIFY2(contains(fencing.explanation, "c1's write with fencing token 1 was accepted"),
                 fencing.explanation.c_str());
        QVERIFY2(contains(fencing.explanation, "(storage seq 4), after c2's write with token 2"),
                 fencing.explanation.c_str());
        QCOMPARE(fencing.events.size(), std::size_t(4));
        QVERIFY(eventsAreClientEventsOf(cluster.world, fencing, {"c1", "c2"}));
    }

    void pausedClientWithFencingKeepsBoth() {
        // lease lock, fencing on: the same pause -> the storage rejects c1's stale write, only c2's is
        // accepted, both checkers pass
        ClientCluster cluster(pauseConfig(), true);
        pausedClientStory(cluster);
        const CheckResult exclusion = checkMutualExclusion(cluster.world.trace());
        QVERIFY2(exclusion.ok, exclusion.explanation.c_str());
        QVERIFY(exclusion.events.empty());
        QCOMPARE(exclusion.explanation,
                 std::string("The critical sections of the 1 accepted write did not overlap in the storage's "
                             "order: it never served another client between a client's read and its write "
                             "under the lock, so no update was lost."));
        const CheckResult fencing = checkMonotonicFencing(cluster.world.trace());
        QVERIFY2(fencing.ok, fencing.explanation.c_str());
    }

    void twoClientsTakingTurnsPass() {
        // lease lock: c1 and c2 asked at once -> they take turns, two accepted writes, both checkers pass
        ClientCluster cluster({}, true);
        QVERIFY(cluster.lock("c1"));
        QVERIFY(cluster.lock("c2"));
        cluster.run(millis(5000));
        const CheckResult exclusion = checkMutualExclusion(cluster.world.trace());
        QVERIFY2(exclusion.ok, exclusion.explanation.c_str());
        QVERIFY(contains(exclusion.explanation,
                         "of the 2 accepted writes did not overlap in the storage's order"));
        const CheckResult fencing = checkMonotonicFencing(cluster.world.trace());
        QVERIFY2(fencing.ok, fencing.explanation.c_str());
        QVERIFY(contains(fencing.explanation, "The 2 accepted writes with a fencing token"));
    }

    void handWrittenOverlapFails() {
        // history: c1 granted token 1 at 100 ms, c2 granted token 2 at 1100 ms and accepted at 1250 ms,
        // c1's write accepted at 1400 ms -> both checkers fail, with the sentence spelled out
        History h;
        h.op(50, "c1", 10, OpPhase::Invoke, "lock", Json{{"resource", "R"}});
        h.op(100, "c1", 10, OpPhase::Ok, "lock",
             Json{{"resource", "R"}, {"token", "c1-1"}, {"fencing_token", 1}});
        h.cycle("c2", 2, 150, 1100, 1200, 1250);
        h.op(1390, "c1", 11, OpPhase::Invoke, "write",
             Json{{"key", "R"}, {"value", "c1"}, {"fencing_token", 1}});
        h.op(1400, "c1", 11, OpPhase::Ok, "write", Json{{"fencing_token", 1}});

        const CheckResult exclusion = checkMutualExclusion(h.world.trace());
        QVERIFY(!exclusion.ok);
        QCOMPARE(
            exclusion.explanation,
            std::string("1 pair of accepted writes came from clients whose critical sections overlap. c1 "
                        "was granted the lock with token 1 at 100.0 ms and its write was accepted at 1400.0 "
                        "ms, but c2 held it with token 2 from 1100.0 ms and its write was accepted at "
                        "1250.0 ms: two holders both changed the storage (a lost update). A fencing token "
                        "check on the storage would have rejected c1's write."));
        // Lock ok and both write events of each client; the lock invokes are not part of a critical section.
        std::vector<std::uint64_t> expected = {h.events[1], h.events[3], h.events[4],
                                               h.events[5], h.events[6], h.events[7]};
        std::sort(expected.begin(), expected.end());
        QCOMPARE(exclusion.events, expected);

        const CheckResult fencing = checkMonotonicFencing(h.world.trace());
        QVERIFY(!fencing.ok);
        QVERIFY2(contains(fencing.explanation,
                          "c1's write with fencing token 1 was accepted at 1400.0 ms, after c2's write with "
                          "token 2 had been accepted at 1250.0 ms."),
                 fencing.explanation.c_str());
    }

    void overlapInTokenOrderFailsExclusionOnly() {
        // history: c1 (token 1) is accepted at 600 ms inside c2's section (token 2, from 510 ms) -> the
        // lock failed, but the storage saw the tokens in order: mutual exclusion fails, fencing order holds
        History h;
        h.cycle("c1", 1, 0, 1, 590, 600);
        h.cycle("c2", 2, 5, 510, 810, 811);
        const CheckResult exclusion = checkMutualExclusion(h.world.trace());
        QVERIFY(!exclusion.ok);
        QVERIFY2(contains(exclusion.explanation, "a fencing check would not have stopped this"),
                 exclusion.explanation.c_str());
        QVERIFY2(checkMonotonicFencing(h.world.trace()).ok, checkMonotonicFencing(h.world.trace()).explanation.c_str());
    }

    void failedAndUnknownWritesAreNotAccepted() {
        // history: c1's stale write fails and c2's overlapping one times out -> nothing was accepted twice
        History h;
        h.cycle("c2", 2, 0, 500, 700, 710);
        h.cycle("c1", 1, 0, 100, 1400, 1410, OpPhase::Fail);
        h.cycle("c3", 3, 0, 600, 650, 1200, OpPhase::Unknown);
        QVERIFY(checkMutualExclusion(h.world.trace()).ok);
        QVERIFY(checkMonotonicFencing(h.world.trace()).ok);
    }

    void sameClientTwiceIsNotAViolation() {
        // history: c1 locks and writes twice in a row, sections back to back -> passes
        History h;
        h.cycle("c1", 1, 0, 10, 300, 310);
        h.cycle("c1", 2, 310, 320, 600, 610);
        QVERIFY(checkMutualExclusion(h.world.trace()).ok);
        QVERIFY(checkMonotonicFencing(h.world.trace()).ok);
    }

    // --- in the storage's order ---

    void resumedClientThatWritesFirstIsNotBlamed() {
        // history with seqs: c1 (token 1) reads at seq 1, is paused past its lease; c2 is granted token 2
        // at 700 ms but its read is slow; c1 resumes and its write is accepted at seq 2 (1605 ms), before
        // c2's read (seq 3) and write (seq 4) -> in time the sections overlap, but the storage served them
        // one after the other: no violation, and the fencing order holds
        History h;
        h.rmw("c1", 1, 100, 105, 1, 1600, 1605, 2);
        h.rmw("c2", 2, 700, 1610, 3, 1620, 1625, 4);
        const CheckResult exclusion = checkMutualExclusion(h.world.trace());
        QVERIFY2(exclusion.ok, exclusion.explanation.c_str());
        QVERIFY(contains(exclusion.explanation,
                         "of the 2 accepted writes did not overlap in the storage's order"));
        QVERIFY(checkMonotonicFencing(h.world.trace()).ok);
    }

    void storageServedAnotherBetweenReadAndWrite() {
        // history with seqs: c1 (token 1) reads at seq 1; c2 (token 2) reads at seq 2 and writes at seq 3;
        // c1 writes at seq 4 -> a lost update, spelled out with clients, tokens, times and seqs
        History h;
        h.rmw("c1", 1, 100, 105, 1, 1600, 1605, 4);
        h.rmw("c2", 2, 700, 710, 2, 1000, 1010, 3);
        const CheckResult exclusion = checkMutualExclusion(h.world.trace());
        QVERIFY(!exclusion.ok);
        QCOMPARE(
            exclusion.explanation,
            std::string("1 pair of accepted writes came from clients whose critical sections overlap. c1 "
                        "was granted the lock with token 1 at 100.0 ms, read R at storage seq 1 (105.0 "
                        "ms) and its write was accepted at seq 4 (1605.0 ms), but c2, granted token 2 at "
                        "700.0 ms, read R at storage seq 2 (710.0 ms) and its write was accepted at seq 3 "
                        "(1010.0 ms): the storage served c2's read and write in between c1's read and "
                        "write, so c1's write overwrote c2's update (a lost update). A fencing check on "
                        "every access would have stopped it: once token 2 had been seen at seq 2, the "
                        "storage would have refused c1's write with token 1."));
        // Lock ok, read ok, write invoke, write ok of each: 4 of the 6 ops per client (not the invokes of
        // the lock and the read).
        std::vector<std::uint64_t> expected = {h.events[1], h.events[3], h.events[4],  h.events[5],
                                               h.events[7], h.events[9], h.events[10], h.events[11]};
        std::sort(expected.begin(), expected.end());
        QCOMPARE(exclusion.events, expected);
        const CheckResult fencing = checkMonotonicFencing(h.world.trace());
        QVERIFY(!fencing.ok);
        QVERIFY2(contains(fencing.explanation,
                          "c1's write with fencing token 1 was accepted at 1605.0 ms (storage "
                          "seq 4), after c2's write with token 2 had been accepted at 1010.0 "
                          "ms (storage seq 3)."),
                 fencing.explanation.c_str());
    }

    void interleavedReadModifyWrites() {
        // history with seqs: c1 reads (seq 1), c2 reads (seq 2), c1 writes (seq 3), c2 writes (seq 4) -> c2
        // wrote on a value that no longer held; a fencing check would have refused c1's write
        History h;
        h.rmw("c1", 1, 100, 105, 1, 300, 305, 3);
        h.rmw("c2", 2, 200, 205, 2, 400, 405, 4);
        const CheckResult exclusion = checkMutualExclusion(h.world.trace());
        QVERIFY(!exclusion.ok);
        QVERIFY2(contains(exclusion.explanation,
                          "the storage served c2's read in between c1's read and write, so "
                          "c2's write, built on a value that no longer held, overwrote "
                          "c1's update (a lost update)."),
                 exclusion.explanation.c_str());
        QVERIFY2(contains(exclusion.explanation, "would have refused c1's write with token 1."),
                 exclusion.explanation.c_str());
        QVERIFY(checkMonotonicFencing(h.world.trace()).ok);  // tokens 1 then 2 in seq order
    }

    void higherTokenFirstWouldHaveBeenStoppedAtTheRead() {
        // history with seqs: c2 (token 2) reads at seq 1, c1 (token 1, a stale holder) reads at seq 2 and
        // writes at seq 3, c2 writes at seq 4 -> the fencing check would have refused c1's read
        History h;
        h.rmw("c2", 2, 100, 105, 1, 400, 405, 4);
        h.rmw("c1", 1, 10, 205, 2, 300, 305, 3);
        const CheckResult exclusion = checkMutualExclusion(h.world.trace());
        QVERIFY(!exclusion.ok);
        QVERIFY2(contains(exclusion.explanation,
                          "once token 2 had been seen at seq 1, the storage would have "
                          "refused c1's read with token 1."),
                 exclusion.explanation.c_str());
    }

    void tokenZeroCannotBeFenced() {
        // history with seqs, Redlock-style (token 0 for everyone) -> a violation no fencing check could stop
        History h;
        h.rmw("r1", 0, 100, 105, 1, 1600, 1605, 4);
        h.rmw("r2", 0, 700, 710, 2, 1000, 1010, 3);
        const CheckResult exclusion = checkMutualExclusion(h.world.trace());
        QVERIFY(!exclusion.ok);
        QVERIFY2(contains(exclusion.explanation,
                          "Both carry fencing token 0, so no fencing check could have told "
                          "them apart"),
                 exclusion.explanation.c_str());
    }

    void writeWithoutReadIsASingleAccess() {
        // history with seqs: c2 writes without reading (seq 2) between c1's read (seq 1) and write (seq 3)
        // -> a violation; c3 writes without reading at seq 5, outside everyone's section -> no more
        History h;
        h.rmw("c1", 1, 100, 105, 1, 300, 305, 3);
        h.rmw("c2", 2, 150, 0, 0, 200, 205, 2);
        h.rmw("c3", 3, 400, 0, 0, 500, 505, 5);
        const CheckResult exclusion = checkMutualExclusion(h.world.trace());
        QVERIFY(!exclusion.ok);
        QVERIFY2(contains(exclusion.explanation, "1 pair of accepted writes"), exclusion.explanation.c_str());
        QVERIFY2(contains(exclusion.explanation,
                          "c2, granted token 2 at 150.0 ms, wrote R without reading it "
                          "first, accepted at storage seq 2 (205.0 ms): the storage served "
                          "c2's write in between c1's read and write"),
                 exclusion.explanation.c_str());
    }

    void differentKeysDoNotConflict() {
        History h;
        h.rmw("c1", 1, 100, 105, 1, 300, 305, 3, "A");
        h.rmw("c2", 2, 150, 155, 2, 200, 205, 4, "B");
        QVERIFY(checkMutualExclusion(h.world.trace()).ok);
    }

    void refusedWriteOpensNoSection() {
        // history with seqs: c1's write is refused (fail) -> only c2's accepted write counts
        History h;
        h.rmw("c1", 1, 100, 105, 1, 300, 305, 0, "R", OpPhase::Fail);
        h.rmw("c2", 2, 150, 155, 2, 200, 205, 3);
        QVERIFY(checkMutualExclusion(h.world.trace()).ok);
        QVERIFY(checkMonotonicFencing(h.world.trace()).ok);
    }

    void violationsNameTheClientThatOverwrote() {
        // findExclusionViolations: nested sections (c1 read 1, c2 read 2 / write 3, c1 write 4) -> first is
        // c1, which overwrote; interleaved (c3 read 5, c4 read 6, c3 write 7, c4 write 8) -> first is c4
        History h;
        h.rmw("c1", 1, 100, 105, 1, 1600, 1605, 4);
        h.rmw("c2", 2, 700, 710, 2, 1000, 1010, 3);
        h.rmw("c3", 3, 2000, 2005, 5, 2300, 2305, 7, "S");
        h.rmw("c4", 4, 2100, 2105, 6, 2400, 2405, 8, "S");
        const std::vector<ExclusionViolation> violations = findExclusionViolations(h.world.trace());
        QCOMPARE(violations.size(), std::size_t(2));
        const ExclusionViolation& nested = violations[0];
        QCOMPARE(nested.key, std::string("R"));
        QCOMPARE(nested.first, std::string("c1"));
        QCOMPARE(nested.second, std::string("c2"));
        QCOMPARE(nested.firstToken, std::optional<std::int64_t>(1));
        QCOMPARE(nested.firstStart, millis(100));
        QCOMPARE(nested.firstReadAt, millis(105));
        QCOMPARE(nested.firstWriteAt, millis(1605));
        QCOMPARE(nested.secondWriteAt, millis(1010));
        QCOMPARE(nested.firstReadSeq, std::optional<std::int64_t>(1));
        QCOMPARE(nested.secondWriteSeq, std::optional<std::int64_t>(3));
        QCOMPARE(nested.events.size(), std::size_t(8));
        const ExclusionViolation& interleaved = violations[1];
        QCOMPARE(interleaved.key, std::string("S"));
        QCOMPARE(interleaved.first, std::string("c4"));
        QCOMPARE(interleaved.second, std::string("c3"));
        QVERIFY(contains(interleaved.explanation, "c4's write, built on a value that no longer held"));
        const CheckResult exclusion = checkMutualExclusion(h.world.trace());
        QVERIFY(contains(exclusion.explanation, "2 pairs of accepted writes"));
        QCOMPARE(exclusion.events.size(), std::size_t(16));
    }

    // --- who monotonic-fencing blames ---

    void lowerTokenGrantedFirstBlamesTheStaleHolder() {
        // c1 granted token 1 at 100 ms, c2 token 2 at 500 ms; c2 writes first, c1 (its lock long passed
        // on) writes last -> the stale holder overwrote the newer holder's data
        History h;
        h.rmw("c1", 1, 100, 110, 1, 900, 910, 4);
        h.rmw("c2", 2, 500, 510, 2, 600, 610, 3);
        const CheckResult fencing = checkMonotonicFencing(h.world.trace());
        QVERIFY(!fencing.ok);
        QVERIFY2(
            contains(fencing.explanation,
                     "c1's write with fencing token 1 was accepted at 910.0 ms (storage seq 4), after c2's "
                     "write with token 2 had been accepted at 610.0 ms (storage seq 3)."),
            fencing.explanation.c_str());
        QVERIFY2(
            contains(fencing.explanation,
                     " The storage went back to an older grant: a client whose lock had already passed to "
                     "someone else overwrote the newer holder's data."),
            fencing.explanation.c_str());
        QVERIFY2(!contains(fencing.explanation, "counter went back"), fencing.explanation.c_str());
    }

    void lowerTokenGrantedAfterAHigherOneBlamesTheLockService() {
        // persist_off: c1 granted token 3 at 100 ms writes; the lock service restarts without its counter
        // and grants c2 token 1 at 500 ms, who writes -> the later, lower-token writer was the legitimate
        // holder: the text blames the counter that went back, not c2
        History h;
        h.rmw("c1", 3, 100, 110, 1, 200, 210, 2);
        h.rmw("c2", 1, 500, 510, 3, 600, 610, 4);
        const CheckResult fencing = checkMonotonicFencing(h.world.trace());
        QVERIFY(!fencing.ok);
        QVERIFY2(
            contains(fencing.explanation,
                     "c2's write with fencing token 1 was accepted at 610.0 ms (storage seq 4), after c1's "
                     "write with token 3 had been accepted at 210.0 ms (storage seq 2), yet c2 was granted "
                     "token 1 at 500.0 ms, after c1 had been granted token 3 at 100.0 ms."),
            fencing.explanation.c_str());
        QVERIFY2(contains(fencing.explanation,
                          " The lock service handed out a lower token after a higher one: its counter went "
                          "back (for example a restart without persistence), so fencing tokens no longer "
                          "order the holders."),
                 fencing.explanation.c_str());
        QVERIFY2(!contains(fencing.explanation, "a client whose lock had already passed"),
                 fencing.explanation.c_str());
        QCOMPARE(fencing.events.size(), std::size_t(4));
    }

    void bothCausesAreToldApartCaseByCase() {
        // a stale holder (c1's token 1 written after c2's 2) and, later, a counter that went back (c4
        // granted token 4 after c3 was granted 5) -> two violations, each cause told for its own case
        History h;
        h.rmw("c1", 1, 100, 110, 1, 900, 910, 4);
        h.rmw("c2", 2, 500, 510, 2, 600, 610, 3);
        h.rmw("c3", 5, 1000, 1010, 5, 1100, 1110, 6);
        h.rmw("c4", 4, 1200, 1210, 7, 1300, 1310, 8);
        const CheckResult fencing = checkMonotonicFencing(h.world.trace());
        QVERIFY(!fencing.ok);
        QVERIFY2(contains(fencing.explanation, "2 accepted writes carry an older fencing token"),
                 fencing.explanation.c_str());
        QVERIFY2(contains(fencing.explanation,
                          "yet c4 was granted token 4 at 1200.0 ms, after c3 had been "
                          "granted token 5 at 1000.0 ms."),
                 fencing.explanation.c_str());
        QVERIFY2(!contains(fencing.explanation, "yet c1 was granted"), fencing.explanation.c_str());
        QVERIFY2(contains(fencing.explanation,
                          " In 1 case the lock service handed out a lower token after a "
                          "higher one: its counter went back"),
                 fencing.explanation.c_str());
        QVERIFY2(contains(fencing.explanation,
                          " In 1 case the storage went back to an older grant: a client "
                          "whose lock had already passed to someone else"),
                 fencing.explanation.c_str());
    }

    void aLeaseServerRestartedWithoutPersistenceIsBlamedNotTheNewHolder() {
        // the reviewer's persist_off run: a lease server without persistence grants c1 tokens 1..3,
        // restarts, and grants c2 token 1; the storage (fencing off) accepts c2's write after c1's with
        // token 3 -> monotonic-fencing fails and says the counter went back
        World world(1);
        LeaseLockConfig serverConfig;
        serverConfig.persistence = false;
        FencedStorageConfig storageConfig;
        storageConfig.fencing = false;
        QVERIFY(
            world.addNode("lock", [serverConfig] { return std::make_unique<LeaseLockServer>(serverConfig); })
                .ok());
        QVERIFY(
            world.addNode("disk", [storageConfig] { return std::make_unique<FencedStorage>(storageConfig); })
                .ok());
        QVERIFY(support::addProbe(world, "ctl"));
        LeaseLockClientConfig clientConfig;
        clientConfig.ttlMs = 1000;
        clientConfig.holdMs = 300;
        for (const char* id : {"c1", "c2"})
            QVERIFY(
                world.addNode(id, [clientConfig] { return std::make_unique<LeaseLockClient>(clientConfig); })
                    .ok());
        auto run = [&world](std::int64_t ms) { world.runUntil(world.now() + millis(ms), kEventsMax); };
        for (int i = 0; i < 3; ++i) {
            QVERIFY(world.sendFrom("ctl", "c1", makeBody(ClientLock{"R", 0, -1})).ok());
            run(400);
        }
        QVERIFY(world.crash("lock").ok());
        run(50);
        QVERIFY(world.restart("lock").ok());
        run(50);
        QVERIFY(world.sendFrom("ctl", "c2", makeBody(ClientLock{"R", 0, -1})).ok());
        run(1000);
        const CheckResult fencing = checkMonotonicFencing(world.trace());
        QVERIFY(!fencing.ok);
        QVERIFY2(contains(fencing.explanation, "c2's write with fencing token 1 was accepted"),
                 fencing.explanation.c_str());
        QVERIFY2(contains(fencing.explanation, "yet c2 was granted token 1 at"), fencing.explanation.c_str());
        QVERIFY2(contains(fencing.explanation, "its counter went back"), fencing.explanation.c_str());
        QVERIFY2(!contains(fencing.explanation, "a client whose lock had already passed"),
                 fencing.explanation.c_str());
    }

    void emptyHistoryPasses() {
        History h;
        QVERIFY(checkMutualExclusion(h.world.trace()).ok);
        QVERIFY(checkMonotonicFencing(h.world.trace()).ok);
    }
};

QTEST_GUILESS_MAIN(TestLockChecks)
#include "tst_lock_checks.moc"
