// The transaction lab inside a Session: the built-in transaction and saga scenarios give their documented
// outcomes over several seeds, the console's txn / saga / crash commands work and fail clearly, an armed
// `crash --after` fires between the right two events, the summary shows how long participants were blocked,
// and stepping back across an armed crash replays it exactly.
#include <QTest>

#include <set>
#include <sstream>
#include <utility>

#include "core/labs/txn/txn_lab.h"
#include "core/session/session.h"
#include "tests/support/builtin_scenario.h"

using namespace distlab;
using support::builtin;

namespace {

constexpr std::uint64_t kSeeds = 5;

// A transaction lab with nothing scheduled, for console stories.
Scenario emptyLab(std::uint64_t seed = 1) {
    auto scenario = parseScenario(R"({"name": "txn-console", "txn": {"participants": 3}})", "test");
    if (!scenario) qFatal("%s", scenario.error().message.c_str());
    scenario->seed = seed;
    return std::move(scenario).value();
}

std::set<std::string> failedChecks(const std::vector<CheckResult>& checks) {
    std::set<std::string> failed;
    for (const auto& check : checks)
        if (!check.ok) failed.insert(check.name);
    return failed;
}

std::set<std::string> checkNames(const std::vector<CheckResult>& checks) {
    std::set<std::string> names;
    for (const auto& check : checks) names.insert(check.name);
    return names;
}

QString describe(const std::vector<CheckResult>& checks) {
    QString out;
    for (const auto& check : checks)
        out += QStringLiteral("\n  %1 %2: %3")
                   .arg(check.ok ? QStringLiteral("ok  ") : QStringLiteral("FAIL"),
                        QString::fromStdString(check.name), QString::fromStdString(check.explanation));
    return out;
}

std::string traceText(const Session& session) {
    std::ostringstream out;
    session.world().trace().writeJsonLines(out);
    return out.str();
}

std::string run(Session& session, const std::string& line) {
    auto done = session.execute(line);
    if (!done) qFatal("%s: %s", line.c_str(), done.error().message.c_str());
    return done->text;
}

std::string errorOf(Session& session, const std::string& line) {
    auto done = session.execute(line);
    return done ? std::string("(accepted: ") + done->text + ")"
                : done.error().message + " | " + done.error().hint;
}

// Index of the first Crash event of `node`, or kNoTraceEvent.
std::uint64_t firstCrash(const World& world, const std::string& node) {
    const Trace& trace = world.trace();
    const std::uint32_t id = trace.find(node);
    for (std::size_t i = 0; i < trace.size(); ++i)
        if (trace.events()[i].kind == TraceKind::Crash && trace.events()[i].node == id) return i;
    return kNoTraceEvent;
}

// Messages of `type` that `node` handled (recv) or sent before trace index `end`.
int countMessages(const World& world, const std::string& node, TraceKind kind, const std::string& type,
                  std::uint64_t end) {
    const Trace& trace = world.trace();
    const std::uint32_t id = trace.find(node);
    int n = 0;
    for (std::size_t i = 0; i < end && i < trace.size(); ++i) {
        const TraceEvent& e = trace.events()[i];
        if (e.kind == kind && e.node == id && trace.message(e.ref).envelope.body.type == type) ++n;
    }
    return n;
}

// Index of `node`'s count-th event of `kind`: a message of type `type`, or the state `type`.
std::uint64_t matchingEvent(const World& world, const std::string& node, TraceKind kind,
                            const std::string& type, int count) {
    const Trace& trace = world.trace();
    const std::uint32_t id = trace.find(node);
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const TraceEvent& e = trace.events()[i];
        if (e.kind != kind || e.node != id) continue;
        const bool same = kind == TraceKind::State ? trace.name(e.text) == type
                                                   : trace.message(e.ref).envelope.body.type == type;
        if (!same) continue;
        if (--count == 0) return i;
    }
    return kNoTraceEvent;
}

}  // namespace

class TestTxnLab : public QObject {
    Q_OBJECT
private slots:
    // Each built-in transaction scenario, over several seeds: exactly the documented checks fail, and the
    // transaction or saga ends as the description says.
    void scenariosGiveTheirDocumentedOutcome_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QStringList>("failing");
        QTest::addColumn<QString>("outcome");
        QTest::newRow("2pc: all vote yes -> commit") << "txn-2pc-commit" << QStringList{} << "commit";
        QTest::newRow("2pc: tx-p2 votes no -> abort") << "txn-2pc-vote-no" << QStringList{} << "abort";
        QTest::newRow("2pc: coordinator crashes after the votes -> blocked, then abort")
            << "txn-2pc-coordinator-crash" << QStringList{} << "abort";
        QTest::newRow("3pc: coordinator crashes after the votes -> the backup aborts")
            << "txn-3pc-coordinator-crash" << QStringList{} << "abort";
        QTest::newRow("3pc: partition during PRECOMMIT -> split decision")
            << "txn-3pc-partition" << QStringList{"atomicity"} << "split";
        QTest::newRow("saga: step 3 refused -> compensated")
            << "saga-compensate" << QStringList{} << "compensated";
        QTest::newRow("saga: orchestrator crashes and resumes -> done")
            << "saga-orchestrator-crash" << QStringList{} << "done";
    }
    void scenariosGiveTheirDocumentedOutcome() {
        QFETCH(QString, scenario);
        QFETCH(QStringList, failing);
        QFETCH(QString, outcome);
        std::set<std::string> expected;
        for (const QString& name : failing) expected.insert(name.toStdString());
        const bool saga = scenario.startsWith("saga-");
        const std::set<std::string> names =
            saga ? std::set<std::string>{"saga-log-shape"}
                 : std::set<std::string>{"atomicity", "validity", "irrevocability"};
        for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
            Scenario s = builtin(scenario.toStdString());
            s.seed = seed;
            Session session(std::move(s));
            const auto checks = session.runToEndAndCheck(session.scenario().runFor);
            const QString where = QStringLiteral("%1 seed %2:").arg(scenario).arg(seed) + describe(checks);
            QVERIFY2(checkNames(checks) == names, qPrintable(where));
            QVERIFY2(failedChecks(checks) == expected, qPrintable(where));
            const Json summary = session.summaryJson(checks)["txn"];
            const Json& first = saga ? summary["sagas"][0] : summary["transactions"][0];
            QVERIFY2(first["outcome"] == outcome.toStdString(),
                     qPrintable(where + "\n" + QString::fromStdString(summary.dump())));
            for (const auto& entry : session.scheduleLog())
                QVERIFY2(entry.ok, qPrintable(where + "\n" + QString::fromStdString(entry.line())));
        }
    }

    void sameSeedGivesTheSameTrace_data() {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("2pc crash") << "txn-2pc-coordinator-crash";
        QTest::newRow("3pc partition") << "txn-3pc-partition";
        QTest::newRow("saga crash") << "saga-orchestrator-crash";
    }
    void sameSeedGivesTheSameTrace() {
        QFETCH(QString, scenario);
        std::string traces[2];
        for (auto& trace : traces) {
            Session session(builtin(scenario.toStdString()));
            (void)session.runToEndAndCheck(session.scenario().runFor);
            trace = traceText(session);
        }
        QVERIFY(!traces[0].empty());
        QVERIFY(traces[0] == traces[1]);
    }

    // 2pc: coordinator crashes after all votes are yes (N=3) -> participants stay READY until it restarts.
    void blockedTimeIsInTheSummary() {
        for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
            Scenario s = builtin("txn-2pc-coordinator-crash");
            s.seed = seed;
            Session session(std::move(s));
            const auto checks = session.runToEndAndCheck(session.scenario().runFor);
            const Json blocked = session.summaryJson(checks)["txn"]["transactions"][0]["blocked_ms"];
            for (const char* p : {"tx-p1", "tx-p2", "tx-p3"}) {
                // READY from about 160 ms (the votes) until tx-co restarts at 2000 ms and aborts.
                const std::int64_t ms = blocked[p].get<std::int64_t>();
                QVERIFY2(ms >= 1700 && ms <= 1950,
                         qPrintable(QStringLiteral("seed %1 %2: %3 ms").arg(seed).arg(p).arg(ms)));
            }
        }
        // The same crash under 3PC blocks nobody for long: the participants elect a backup after their
        // timeout.
        Session three(builtin("txn-3pc-coordinator-crash"));
        const auto checks = three.runToEndAndCheck(three.scenario().runFor);
        const Json blocked = three.summaryJson(checks)["txn"]["transactions"][0]["blocked_ms"];
        for (const char* q : {"tx-q1", "tx-q2", "tx-q3"}) QVERIFY(blocked[q].get<std::int64_t>() < 1000);
        // And a happy 2PC is blocked only for a message round trip.
        Session happy(builtin("txn-2pc-commit"));
        const auto happyChecks = happy.runToEndAndCheck(happy.scenario().runFor);
        const Json quick = happy.summaryJson(happyChecks)["txn"]["transactions"][0]["blocked_ms"];
        for (const char* p : {"tx-p1", "tx-p2", "tx-p3"}) QVERIFY(quick[p].get<std::int64_t>() < 50);
    }

    void consoleStartsTransactionsWithFreshIds() {
        Session session(emptyLab());
        QVERIFY(session.lab("txn") != nullptr);
        QVERIFY(!session.world().indexOf("tx-co"));  // the nodes come with the first command
        QCOMPARE(run(session, "txn 2pc tx-p1,tx-p2,tx-p3"),
                 std::string("t1: two-phase commit started at tx-co over tx-p1, tx-p2, tx-p3"));
        QVERIFY(session.world().indexOf("tx-p3"));
        QVERIFY(!session.world().indexOf("tx-q1"));
        QCOMPARE(run(session, "txn 3pc tx-q1,tx-q2 --vote-no tx-q2"),
                 std::string("t2: three-phase commit started at tx-co3 over tx-q1, tx-q2; tx-q2 will vote no"));
        QVERIFY(
            run(session, "saga run trip --steps 4 --fail-at 3").find("saga trip: 4 steps over tx-s1, tx-s2, tx-s3") ==
            0);
        (void)session.runUntil(millis(3000), kEventsPerCommandMax);
        const auto checks = session.checks();
        QCOMPARE(checkNames(checks),
                 (std::set<std::string>{"atomicity", "validity", "irrevocability", "saga-log-shape"}));
        QVERIFY2(failedChecks(checks).empty(), qPrintable(describe(checks)));
        const Json summary = session.summaryJson(checks)["txn"];
        QCOMPARE(summary["transactions"][0]["outcome"].get<std::string>(), std::string("commit"));
        QCOMPARE(summary["transactions"][1]["outcome"].get<std::string>(), std::string("abort"));
        QCOMPARE(summary["sagas"][0]["outcome"].get<std::string>(), std::string("compensated"));
    }

    void consoleErrorsAreClearAndNothingIsHalfApplied() {
        Session session(emptyLab());
        const std::size_t nodes = session.world().nodeCount();
        QVERIFY(errorOf(session, "txn 2pc tx-p1,tx-p7").find("'tx-p7' is not a two-phase commit participant") == 0);
        QVERIFY(errorOf(session, "txn 2pc tx-p1,tx-p7").find("tx-p1, tx-p2, tx-p3") != std::string::npos);
        QVERIFY(errorOf(session, "txn 3pc tx-p1,tx-p2").find("tx-q1 to tx-q3") != std::string::npos);
        QVERIFY(errorOf(session, "txn 2pc tx-q1").find("tx-p1 to tx-p3") != std::string::npos);
        QCOMPARE(session.world().nodeCount(), nodes);  // no node was added by a refused command
        QVERIFY(errorOf(session, "crash tx-co").find("unknown node 'tx-co'") == 0);
        QVERIFY(errorOf(session, "crash tx-co --after recv:tpc_vote").find("unknown node 'tx-co'") == 0);
        QVERIFY(errorOf(session, "crash ctl").find("'ctl' is the membership service") == 0);
        QCOMPARE(run(session, "txn 2pc tx-p1"), std::string("t1: two-phase commit started at tx-co over tx-p1"));
        (void)session.runUntil(millis(500), kEventsPerCommandMax);
        (void)run(session, "node kill tx-co");
        QVERIFY(errorOf(session, "txn 2pc tx-p1,tx-p2").find("tx-co is down") == 0);
        QVERIFY(errorOf(session, "crash tx-co").find("already down") != std::string::npos);
        (void)run(session, "node restart tx-co");
        // The refused transaction took no id.
        QCOMPARE(run(session, "txn 2pc tx-p2"), std::string("t2: two-phase commit started at tx-co over tx-p2"));
        (void)run(session, "saga run trip --steps 2");
        QVERIFY(errorOf(session, "saga run trip --steps 3").find("saga 'trip' has already run") == 0);
        QCOMPARE(dynamic_cast<const TxnLab&>(*session.lab("txn")).sagas().size(), std::size_t(1));
        // The lab's ids are kept for it: no ring server can take one.
        Session clash(emptyLab());
        QVERIFY(errorOf(clash, "node add tx-co3").find("reserved") != std::string::npos);
        QVERIFY(!clash.world().indexOf("tx-co3"));
        QCOMPARE(run(clash, "txn 3pc tx-q1"), std::string("t1: three-phase commit started at tx-co3 over tx-q1"));
    }

    // crash --after recv:tpc_vote*2: the crash comes right after tx-co handled its second vote, before anything
    // else.
    void crashAfterFiresBetweenTheRightEvents_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<int>("kind");  // TraceKind of the event just before the crash
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("count");
        QTest::newRow("recv") << "recv:tpc_vote*2" << int(TraceKind::Deliver) << "tpc_vote" << 2;
        QTest::newRow("send") << "send:tpc_decision" << int(TraceKind::Send) << "tpc_decision" << 1;
        QTest::newRow("state") << "state:WAIT" << int(TraceKind::State) << "txn t1 WAIT" << 1;
    }
    void crashAfterFiresBetweenTheRightEvents() {
        QFETCH(QString, pattern);
        QFETCH(int, kind);
        QFETCH(QString, type);
        QFETCH(int, count);
        for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
            Session session(emptyLab(seed));
            (void)run(session, "txn 2pc tx-p1,tx-p2,tx-p3");
            const std::string armed = run(session, "crash tx-co --after " + pattern.toStdString());
            QVERIFY2(armed.find("tx-co will crash as soon as it has") == 0, armed.c_str());
            QCOMPARE(session.armedCrashes().size(), std::size_t(1));
            (void)session.runUntil(millis(1000), kEventsPerCommandMax);
            QVERIFY(session.armedCrashes().empty());
            const World& world = session.world();
            const std::uint64_t crash = firstCrash(world, "tx-co");
            QVERIFY2(crash != kNoTraceEvent, qPrintable(QStringLiteral("seed %1: no crash").arg(seed)));
            // The matching event is in the last handler that ran: no message or timer was handled between it
            // and the crash.
            const std::uint64_t match =
                matchingEvent(world, "tx-co", TraceKind(kind), type.toStdString(), count);
            QVERIFY2(
                match < crash,
                qPrintable(
                    QStringLiteral("seed %1: crash at %2, match at %3").arg(seed).arg(crash).arg(match)));
            for (std::uint64_t i = match + 1; i < crash; ++i) {
                const TraceKind k = world.trace().events()[i].kind;
                QVERIFY2(
                    k != TraceKind::Deliver && k != TraceKind::TimerFire,
                    qPrintable(QStringLiteral("seed %1: event %2 handled after the match").arg(seed).arg(i)));
            }
            // tx-co handled exactly `count` votes: the next one reached a crashed node.
            if (TraceKind(kind) == TraceKind::Deliver)
                QCOMPARE(countMessages(world, "tx-co", TraceKind::Deliver, type.toStdString(), crash), count);
            QVERIFY(!session.scheduleLog().empty());
            QVERIFY(session.scheduleLog().back().ok);
        }
    }

    // Stepping back across an armed crash and running forward again gives the same trace, byte for byte.
    void timeTravelAcrossAnArmedCrashReplaysIt() {
        Session session(emptyLab(3));
        (void)run(session, "run 20");
        (void)run(session, "txn 2pc tx-p1,tx-p2,tx-p3");
        (void)run(session, "crash tx-co --after recv:tpc_vote*2");
        (void)run(session, "run 1500");
        (void)run(session, "node restart tx-co");
        (void)run(session, "run 1000");
        const std::string original = traceText(session);
        const std::uint64_t crash = firstCrash(session.world(), "tx-co");
        QVERIFY(crash != kNoTraceEvent);
        const SimTime end = session.world().now();
        const std::uint64_t events = session.world().eventsProcessed();

        // Back to before the crash (the command is re-armed by the replay), then forwards to the end.
        session.seekToTime(millis(40));
        QCOMPARE(session.armedCrashes().size(), std::size_t(1));
        QVERIFY(firstCrash(session.world(), "tx-co") == kNoTraceEvent);
        session.seekToTime(end);
        QCOMPARE(session.world().eventsProcessed(), events);
        QVERIFY(traceText(session) == original);

        // Step back a few events at a time across the crash, and forwards again by events.
        auto back = session.execute("step back 400");
        QVERIFY(back.ok());
        (void)session.runEvents(400);
        QCOMPARE(session.world().eventsProcessed(), events);
        QVERIFY(traceText(session) == original);
    }

    // The scenario file's txn section: unknown keys are errors with their JSON path.
    void txnSectionIsValidated() {
        auto bad = parseScenario(R"({"name": "x", "txn": {"participant": 3}})", "x.json");
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.find("txn.participant") != std::string::npos,
                 bad.error().message.c_str());
        QVERIFY(bad.error().hint.find("participants") != std::string::npos);
        auto big = parseScenario(R"({"name": "x", "txn": {"participants": 17}})", "x.json");
        QVERIFY(!big);
        QVERIFY(big.error().message.find("txn.participants") != std::string::npos);
        auto good = parseScenario(R"({"name": "x", "txn": {"participants": 2, "decision_timeout_ms": 800}})",
                                  "x.json");
        QVERIFY(good.ok());
        QVERIFY(good->nodes.empty());
        QCOMPARE(good->workload.clients, 0);
        QCOMPARE(labSection(good.value(), "txn", readTxnSection).decisionTimeout, millis(800));
        auto again = parseScenario(scenarioToJson(good.value()).dump(), "again.json");
        QVERIFY(again.ok());
        QVERIFY(again.value() == good.value());
    }
};

QTEST_GUILESS_MAIN(TestTxnLab)
#include "tst_txn_lab.moc"
