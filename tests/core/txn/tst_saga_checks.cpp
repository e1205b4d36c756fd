// The saga-log-shape checker: hand-written histories pin which shapes are legal (T1..Tn done; T1..Tj
// then Cj..C1, or C(j-1)..C1 when Tj was refused; any prefix while the saga runs) and which are not (a
// gap, a step or compensation twice, compensations forwards, Cj after a refused Tj, an action after the
// end, a second end, done with steps missing), with the sentence a student reads and the trace events
// behind it; and real runs of the orchestrator pass it.
#include <QTest>

#include <sstream>
#include <string>
#include <vector>

#include "core/check/saga_checks.h"
#include "core/protocols/txn/saga_orchestrator.h"
#include "core/protocols/txn/saga_service.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"

using namespace distlab;
using namespace distlab::txn;

namespace {

// A hand-written history, recorded the way the World records one: a client op and a Client trace event
// whose ref is the op's index. Actions are written compactly: "T1", "T3!refused", "T2!timeout",
// "T2!" (failed without a reason), "C2", "C1!" (a failed compensation), "=done", "=compensated".
struct History {
    World world{1};
    std::vector<std::uint64_t> events;  // trace index of each op, in the order written
    std::int64_t nextId = 1;

    void op(const std::string& saga, const std::string& word, const std::string& process = "orch") {
        Json value{{"saga", saga}};
        std::string f = "saga";
        if (word.starts_with("=")) {
            f = "saga-end";
            value["outcome"] = word.substr(1);
        } else {
            const auto bang = word.find('!');
            value["action"] = word.substr(0, bang);
            value["result"] = bang == std::string::npos ? "ok" : "failed";
            if (bang != std::string::npos && bang + 1 < word.size()) value["reason"] = word.substr(bang + 1);
        }
        Trace& trace = world.trace();
        trace.append(millis(nextId), TraceKind::Note, trace.intern(process));  // unrelated events in between
        const std::size_t index =
            trace.addClientOp(ClientOp{millis(nextId), process, nextId, OpPhase::Ok, f, std::move(value)});
        ++nextId;
        events.push_back(trace.size());
        trace.append(millis(nextId), TraceKind::Client, trace.intern(process), kNoName, kNoName, index);
    }
    void saga(const std::string& id, const std::string& words) {
        std::istringstream in(words);
        for (std::string word; in >> word;) op(id, word);
    }
};

}  // namespace

class TestSagaChecks : public QObject {
    Q_OBJECT

private slots:
    void legalShapes_data() {
        QTest::addColumn<QString>("words");
        QTest::newRow("done: T1..T5") << "T1 T2 T3 T4 T5 =done";
        QTest::newRow("done: one step") << "T1 =done";
        QTest::newRow("refused T3 -> C2, C1") << "T1 T2 T3!refused C2 C1 =compensated";
        QTest::newRow("refused T1 -> no compensation") << "T1!refused =compensated";
        QTest::newRow("timed-out T3 -> C3, C2, C1") << "T1 T2 T3!timeout C3 C2 C1 =compensated";
        QTest::newRow("timed-out T1 -> C1") << "T1!timeout C1 =compensated";
        QTest::newRow("failed without a reason counts as may-have-run") << "T1 T2! C2 C1 =compensated";
        QTest::newRow("still running") << "T1 T2";
        QTest::newRow("still compensating") << "T1 T2 T3!timeout C3";
        QTest::newRow("refused, compensations pending") << "T1 T2!refused";
    }
    void legalShapes() {
        // a legal shape (or a prefix of one) -> the checker passes and attaches no events
        QFETCH(QString, words);
        History history;
        history.saga("s1", words.toStdString());
        history.saga("s2", "T1 T2 =done");  // another saga, interleaved records do not matter
        const CheckResult result = checkSagaLogShape(history.world.trace());
        QCOMPARE(result.name, std::string("saga-log-shape"));
        QVERIFY2(result.ok, result.explanation.c_str());
        QVERIFY(result.events.empty());
        QVERIFY(result.explanation.starts_with("All 2 sagas ran in a legal order"));
    }

    void illegalShapes_data() {
        QTest::addColumn<QString>("words");
        QTest::addColumn<int>("bad");  // position of the first bad action in words
        QTest::addColumn<QString>("why");
        QTest::newRow("a gap: T1, T3") << "T1 T3 =done" << 1 << "T2 is missing (a gap)";
        QTest::newRow("a step twice") << "T1 T2 T2 =done" << 2 << "T2 already ran (a step applied twice)";
        QTest::newRow("a step after the failure")
            << "T1 T2!timeout T3" << 2 << "no step may run after T2 failed";
        QTest::newRow("compensations forwards")
            << "T1 T2 T3!timeout C1 C2 C3 =compensated" << 3
            << "C3 is missing (compensations run backwards, one at a time)";
        QTest::newRow("Cj after a refused Tj") << "T1 T2 T3!refused C3 C2 C1 =compensated" << 3
                                               << "T3 was refused, so it never ran and C3 must not run";
        QTest::newRow("Cj missing after a timeout")
            << "T1 T2!timeout C1 =compensated" << 2
            << "C2 is missing (compensations run backwards, one at a time)";
        QTest::newRow("a compensation twice")
            << "T1 T2 T3!timeout C3 C3 C2 C1 =compensated" << 4 << "C3 already ran (a step undone twice)";
        QTest::newRow("a compensation that failed")
            << "T1 T2!refused C1! =compensated" << 2
            << "a compensation must be retried until it succeeds, not fail";
        QTest::newRow("compensated with C1 missing")
            << "T1 T2 T3!refused C2 =compensated" << 4 << "C1 has not run yet";
        QTest::newRow("compensation without a failure")
            << "T1 T2 C2 C1 =compensated" << 2 << "no step failed, so nothing should be compensated";
        QTest::newRow("done after a failure")
            << "T1 T2!refused C1 =done" << 3 << "a saga that compensated cannot end \"done\"";
        QTest::newRow("an action after the end") << "T1 T2 =done T3" << 3 << "it comes after the saga's end";
        QTest::newRow("two ends") << "T1 =done =done" << 2 << "it comes after the saga's end";
        QTest::newRow("an end before any step") << "=done" << 0 << "no step ran before it";
        QTest::newRow("an unreadable action")
            << "T1 X2" << 1 << "it is not an action of the form T<k> or C<k>";
        QTest::newRow("starts at T2") << "T2 =done" << 0 << "T1 is missing (a gap)";
    }
    void illegalShapes() {
        // an illegal shape -> the checker fails, names the saga, the sequence, the first bad action and
        // why, and attaches the trace events of the saga's records up to the bad one
        QFETCH(QString, words);
        QFETCH(int, bad);
        QFETCH(QString, why);
        History history;
        history.saga("ok", "T1 =done");
        const std::size_t before = history.events.size();
        history.saga("s7", words.toStdString());
        const CheckResult result = checkSagaLogShape(history.world.trace());
        QVERIFY(!result.ok);
        QVERIFY2(result.explanation.starts_with("saga s7 recorded "), result.explanation.c_str());
        QVERIFY2(result.explanation.find("because " + why.toStdString()) != std::string::npos,
                 result.explanation.c_str());
        const std::uint64_t badEvent = history.events.at(before + std::size_t(bad));
        QVERIFY2(result.explanation.find("(event " + std::to_string(badEvent) + ")") != std::string::npos,
                 result.explanation.c_str());
        const std::vector<std::uint64_t> expected(
            history.events.begin() + std::ptrdiff_t(before),
            history.events.begin() + std::ptrdiff_t(before + std::size_t(bad) + 1));
        QCOMPARE(result.events, expected);
        for (std::uint64_t event : result.events)
            QCOMPARE(history.world.trace().events()[event].kind, TraceKind::Client);
    }

    void explanationReadsAsOneParagraph() {
        // a refused T3 followed by C3 -> one paragraph with the whole sequence and the rule
        History history;
        history.saga("s1", "T1 T2 T3!refused C3 C2 C1 =compensated");
        const CheckResult result = checkSagaLogShape(history.world.trace());
        QVERIFY(!result.ok);
        QCOMPARE(result.explanation.find('\n'), std::string::npos);
        const std::string expected =
            "saga s1 recorded T1, T2, T3 failed (refused), C3, ... (3 more): the first bad action is C3 "
            "(event " +
            std::to_string(history.events[3]) +
            "), because T3 was refused, so it never ran and C3 must not run (expected C2 ok).";
        QVERIFY2(result.explanation.starts_with(expected), result.explanation.c_str());
        QVERIFY(result.explanation.find("backwards") != std::string::npos);
    }

    void manyBadSagasAreSummed() {
        History history;
        for (int i = 0; i < 5; ++i) history.saga("s" + std::to_string(i), "T2");
        const CheckResult result = checkSagaLogShape(history.world.trace());
        QVERIFY(!result.ok);
        QVERIFY(result.explanation.find("2 more sagas are out of shape") != std::string::npos);
        QCOMPARE(result.events.size(), std::size_t(5));
    }

    void stepsOnTheEndAreChecked() {
        // saga-end carries steps: 3 but only T1, T2 ran -> not done
        History history;
        history.saga("s1", "T1 T2");
        Trace& trace = history.world.trace();
        const std::size_t index =
            trace.addClientOp(ClientOp{millis(99), "orch", 99, OpPhase::Ok, "saga-end",
                                       Json{{"saga", "s1"}, {"outcome", "done"}, {"steps", 3}}});
        trace.append(millis(99), TraceKind::Client, trace.intern("orch"), kNoName, kNoName, index);
        const CheckResult result = checkSagaLogShape(history.world.trace());
        QVERIFY(!result.ok);
        QVERIFY2(result.explanation.find("the saga has 3 steps but only T1..T2 ran") != std::string::npos,
                 result.explanation.c_str());
    }

    void ignoresOtherOpsAndPhases() {
        // 2PC votes, an invoke phase and a record without a saga id are not the checker's business
        History history;
        Trace& trace = history.world.trace();
        trace.addClientOp(ClientOp{0, "p1", 1, OpPhase::Ok, "vote", Json{{"txn", "t1"}, {"vote", "yes"}}});
        trace.addClientOp(
            ClientOp{0, "orch", 2, OpPhase::Invoke, "saga", Json{{"saga", "s1"}, {"action", "T5"}}});
        trace.addClientOp(ClientOp{0, "orch", 3, OpPhase::Ok, "saga", Json{{"action", "T5"}}});
        history.saga("s1", "T1 =done");
        const CheckResult result = checkSagaLogShape(history.world.trace());
        QVERIFY2(result.ok, result.explanation.c_str());
        QCOMPARE(sagaOutcomes(history.world.trace()).at("s1"), std::string("done"));
    }

    void emptyHistoryPasses() {
        World world(1);
        const CheckResult result = checkSagaLogShape(world.trace());
        QVERIFY(result.ok);
        QVERIFY(sagaOutcomes(world.trace()).empty());
    }

    void realRunsPass_data() {
        QTest::addColumn<int>("failAt");
        QTest::addColumn<int>("timeoutAt");
        QTest::addColumn<QString>("outcome");
        QTest::newRow("real run: done") << 0 << 0 << "done";
        QTest::newRow("real run: T2 refused") << 2 << 0 << "compensated";
        QTest::newRow("real run: T3 times out") << 0 << 3 << "compensated";
    }
    void realRunsPass() {
        // the orchestrator and three services on a lossy, duplicating network, two sagas at once -> both
        // end, and the checker passes on what they recorded
        QFETCH(int, failAt);
        QFETCH(int, timeoutAt);
        QFETCH(QString, outcome);
        World world(7);
        LinkConfig link;
        link.dropRate = 0.05;
        link.duplicateRate = 0.1;
        world.network().setDefaults(link);
        QVERIFY(world.addNode("orch", [] { return std::make_unique<SagaOrchestrator>(); }).ok());
        for (const char* id : {"a", "b", "c"})
            QVERIFY(world.addNode(id, [] { return std::make_unique<SagaService>(); }).ok());
        QVERIFY(support::addProbe(world, "lab"));
        world.runUntil(millis(1), 100'000);
        for (const char* saga : {"s1", "s2"}) {
            SagaRun run{saga, {{"a", "x", 1}, {"b", "y", 2}, {"c", "z", 3}}, failAt, timeoutAt};
            // resent twice, in case the first is lost: a resend is harmless
            for (int i = 0; i < 3; ++i)
                world.schedule(millis(1 + 50 * i),
                               [run](World& w) { (void)w.sendFrom("lab", "orch", makeBody(run)); });
        }
        world.runUntil(millis(8000), 1'000'000);
        const CheckResult result = checkSagaLogShape(world.trace());
        QVERIFY2(result.ok, result.explanation.c_str());
        const auto outcomes = sagaOutcomes(world.trace());
        QCOMPARE(outcomes.size(), std::size_t(2));
        for (const auto& [saga, end] : outcomes) QCOMPARE(QString::fromStdString(end), outcome);
    }

    void realRunWithATamperedHistoryFails() {
        // a real, legal run plus one forged duplicate C1 at the end -> the checker names it
        World world(3);
        QVERIFY(world.addNode("orch", [] { return std::make_unique<SagaOrchestrator>(); }).ok());
        for (const char* id : {"a", "b"})
            QVERIFY(world.addNode(id, [] { return std::make_unique<SagaService>(); }).ok());
        QVERIFY(support::addProbe(world, "lab"));
        world.runUntil(millis(1), 100'000);
        QVERIFY(world.sendFrom("lab", "orch", makeBody(SagaRun{"s1", {{"a", "x", 1}, {"b", "y", 1}}, 2, 0}))
                    .ok());
        world.runUntil(millis(2000), 100'000);
        QVERIFY(checkSagaLogShape(world.trace()).ok);
        Trace& trace = world.trace();
        const std::size_t index =
            trace.addClientOp(ClientOp{world.now(), "orch", 999, OpPhase::Ok, "saga",
                                       Json{{"saga", "s1"}, {"action", "C1"}, {"result", "ok"}}});
        trace.append(world.now(), TraceKind::Client, trace.intern("orch"), kNoName, kNoName, index);
        const CheckResult result = checkSagaLogShape(world.trace());
        QVERIFY(!result.ok);
        QVERIFY2(result.explanation.starts_with(
                     "saga s1 recorded T1, T2 failed (refused), C1, end \"compensated\", C1: "
                     "the first bad action is C1"),
                 result.explanation.c_str());
        QCOMPARE(result.events.back(), std::uint64_t(trace.size() - 1));
    }
};

QTEST_GUILESS_MAIN(TestSagaChecks)
#include "tst_saga_checks.moc"
