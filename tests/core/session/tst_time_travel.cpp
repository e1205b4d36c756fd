// Time travel: stepping back and seeking restore the nearest checkpoint (behind, or ahead in the future
// already run) and replay the commands given at their places, so the state after seeking to event i is
// exactly the state of a fresh run stopped after i events; acting in the past forks a new future.
#include <QTest>

#include <sstream>

#include "core/session/session.h"
#include "core/session/timeline.h"
#include "core/base/rng.h"
#include "tests/support/builtin_scenario.h"

using namespace distlab;
using support::builtin;

namespace {

std::string traceOf(const Session& session) {
    std::ostringstream out;
    session.world().trace().writeJsonLines(out);
    return out.str();
}

// What a view would see, in a comparable form: time, events, every node's status and details, and the
// messages in flight.
std::string stateOf(const Session& session) {
    const ClusterSnapshot snap = session.snapshot();
    std::ostringstream out;
    out << snap.now << ' ' << snap.events << '\n';
    for (const auto& node : snap.nodes) {
        out << node.id << ' ' << int(node.status) << ' ' << node.keysStored << ' ' << node.pendingMessages;
        for (const auto& [label, value] : node.details) out << ' ' << label << '=' << value;
        out << '\n';
    }
    for (const auto& m : snap.inFlight) out << m.id << ' ' << m.type << ' ' << m.deliverAt << '\n';
    out << snap.locks.resources.size() << '\n';
    // And what the labs and checkers make of the run so far.
    out << session.summaryJson(session.checks()).dump();
    return out.str();
}

// A run driven by hand: some events, a command, more events, ...
struct Script {
    std::vector<std::pair<std::uint64_t, std::string>> steps;  // (events to run first, command)
};

void play(Session& session, const Script& script, std::uint64_t upTo) {
    for (const auto& [events, command] : script.steps) {
        const std::uint64_t now = session.world().eventsProcessed();
        if (now + events > upTo) break;
        (void)session.runEvents(events);
        // A command may fail (a node already down, say): then it fails in the fresh run too, and changes nothing.
        (void)session.execute(command);
    }
    (void)session.runEvents(upTo - session.world().eventsProcessed());
}

Script scriptFor(const std::string& scenario) {
    if (scenario == "demo")
        return {{{400, "put k1 hello"}, {300, "net drop 0.1"}, {900, "ring vnodes 100"}, {500, "net drop 0"},
                 {400, "net latency 2 20"}, {200, "get k1"}}};
    if (scenario.rfind("txn", 0) == 0)
        return {{{10, "txn 3pc tx-q1,tx-q2,tx-q3"}, {10, "crash tx-co3 --after recv:tpc3_ack*2"}, {20, "saga run trip --steps 4 --fail-at 3"},
                 {30, "node kill tx-q3"}, {20, "txn 2pc tx-p1,tx-p2,tx-p3 --vote-no tx-p2"}, {20, "node restart tx-q3"},
                 {20, "node restart tx-co3"}, {20, "txn 3pc tx-q1,tx-q2"}, {20, "node kill tx-s2"}, {20, "saga run hotel --steps 3"}, {20, "node restart tx-s2"},
                 {20, "txn 2pc tx-p1,tx-p2"}}};
    return {{{40, "client pause lk-c3 700"}, {80, "lock acquire lk-c4 R2 --hold 50"}, {100, "fencing off"},
             {50, "node kill lk-c2"}, {300, "zk watch parent"}, {100, "node restart lk-c2"}, {200, "lock acquire lk-c2 R3"}}};
}

}  // namespace

class TestTimeTravel : public QObject {
    Q_OBJECT
private slots:
    // After seeking to event i (backwards or forwards, several times over), the run equals a fresh run of
    // i events given the same commands at the same places: the same trace, byte for byte, and the same state.
    void seekEqualsAFreshRun_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<quint64>("interval");  // events between checkpoints
        QTest::newRow("demo") << "demo" << quint64(kCheckpointEvery);
        QTest::newRow("demo, checkpoint every 100 events") << "demo" << quint64(100);
        QTest::newRow("demo, checkpoint every event") << "demo" << quint64(1);
        QTest::newRow("lock lab") << "lock-zk-holder-crash" << quint64(kCheckpointEvery);
        QTest::newRow("lock lab, checkpoint every 100 events") << "lock-zk-holder-crash" << quint64(100);
        QTest::newRow("transaction lab, checkpoint every 10 events") << "txn-2pc-commit" << quint64(10);
    }
    void seekEqualsAFreshRun() {
        QFETCH(QString, scenario);
        QFETCH(quint64, interval);
        const std::string name = scenario.toStdString();
        const Script script = scriptFor(name);
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            Session traveller(builtin(name, seed));
            traveller.setCheckpointInterval(interval);
            play(traveller, script, 4000);
            if (interval < kCheckpointEvery)
                QVERIFY2(traveller.checkpointCount() > 10, qPrintable(QString::number(traveller.world().eventsProcessed())));
            const std::uint64_t last = traveller.world().eventsProcessed();  // a short run may end sooner
            QVERIFY(last > 150);
            Rng rng(seed * 7919);
            for (int jump = 0; jump < 6; ++jump) {
                const std::uint64_t target = std::uint64_t(rng.uniform(0, std::int64_t(last) + 1));
                traveller.seekToEvent(target);
                Session fresh(builtin(name, seed));
                play(fresh, script, target);
                const QString where =
                    QStringLiteral("%1, checkpoints every %2, seed %3, event %4").arg(scenario).arg(interval).arg(seed).arg(target);
                QCOMPARE(traveller.world().eventsProcessed(), target);
                QVERIFY2(traceOf(traveller) == traceOf(fresh), qPrintable(where + ": traces differ"));
                QVERIFY2(stateOf(traveller) == stateOf(fresh), qPrintable(where + ": states differ"));
            }
        }
    }

    // Moving forwards after a step back replays the logged commands at their places: the old future comes back.
    void forwardAfterBackReplaysTheFuture() {
        Session session(builtin("demo", 5));
        play(session, scriptFor("demo"), 3500);
        const std::string original = traceOf(session);
        QVERIFY(session.execute("step back 2000"));
        QCOMPARE(session.world().eventsProcessed(), std::uint64_t(1500));
        QVERIFY(session.execute("step 2000"));
        QCOMPARE(session.world().eventsProcessed(), std::uint64_t(3500));
        QVERIFY(traceOf(session) == original);
    }

    // A command given in the past forks a new future: the commands that followed it are dropped.
    void actingInThePastForksANewFuture() {
        Session session(builtin("demo", 5));
        QVERIFY(session.runEvents(500).events == 500);
        QVERIFY(session.execute("put fork one"));
        (void)session.runEvents(1500);
        QVERIFY(session.execute("step back 1800"));  // before the put
        QVERIFY(session.execute("put fork two"));    // a different action: the first put never happens
        (void)session.runEvents(2000);
        const std::string trace = traceOf(session);
        QVERIFY(trace.find("\"two\"") != std::string::npos);
        QVERIFY(trace.find("\"one\"") == std::string::npos);
        // And stepping back again does not bring the first put back either.
        QVERIFY(session.execute("step back 100"));
        QVERIFY(session.execute("step 100"));
        QVERIFY(traceOf(session).find("\"one\"") == std::string::npos);
    }

    // Seeking forwards within the future already run restores the checkpoint nearest the target instead of
    // replaying everything from where the run stands.
    void seekForwardRestoresACheckpointAhead() {
        Session session(builtin("demo", 4));
        session.setCheckpointInterval(500);
        play(session, scriptFor("demo"), 6000);
        const std::string original = traceOf(session);
        const std::size_t kept = session.checkpointCount();
        QCOMPARE(kept, std::size_t(13));  // events 0, 500, ..., 6000
        session.seekToEvent(100);
        const std::uint64_t restores = session.world().restores();
        session.seekToEvent(5800);  // the checkpoint at 5500, then 300 events
        QCOMPARE(session.world().restores(), restores + 1);
        QCOMPARE(session.world().eventsProcessed(), std::uint64_t(5800));
        session.seekToEvent(6000);
        QVERIFY(traceOf(session) == original);
        QCOMPARE(session.checkpointCount(), kept);  // the same future: nothing taken twice, nothing lost
    }

    // A command given in the past drops the checkpoints and the trace of the old future.
    void forkingDropsTheOldFuture() {
        Session session(builtin("demo", 6));
        session.setCheckpointInterval(500);
        (void)session.runEvents(5000);
        QCOMPARE(session.checkpointCount(), std::size_t(11));
        session.seekToEvent(1700);
        QCOMPARE(session.world().trace().retainedEvents() > session.world().trace().size(), true);
        const SimTime forkedAt = session.world().now();
        QVERIFY(session.furthestTime() > forkedAt);
        QVERIFY(session.execute("put fork here"));
        QCOMPARE(session.furthestTime(), forkedAt);  // the old future is no longer there to seek to
        QCOMPARE(session.checkpointCount(), std::size_t(4));  // 0, 500, 1000, 1500
        QCOMPARE(session.world().trace().retainedEvents(), session.world().trace().size());
        (void)session.runEvents(3300);
        const std::string forked = traceOf(session);
        QVERIFY(forked.find("\"here\"") != std::string::npos);
        // The new future is what a fresh run given the same command at the same place does.
        Session fresh(builtin("demo", 6));
        (void)fresh.runEvents(1700);
        QVERIFY(fresh.execute("put fork here"));
        (void)fresh.runEvents(3300);
        QVERIFY(traceOf(fresh) == forked);
        session.seekToEvent(4900);
        session.seekToEvent(2000);
        fresh.seekToEvent(2000);
        QVERIFY(traceOf(session) == traceOf(fresh));
    }

    // Past kCheckpointsMax the session keeps every other checkpoint and doubles the interval.
    void checkpointsStayBounded() {
        Session session(builtin("demo", 3));
        session.setCheckpointInterval(10);
        (void)session.runEvents(3 * kCheckpointsMax * 10);
        QVERIFY(session.checkpointCount() <= kCheckpointsMax);
        QCOMPARE(session.checkpointInterval(), std::uint64_t(40));
        QVERIFY(session.checkpointCount() >= kCheckpointsMax / 2);
        session.seekToEvent(1234);
        Session fresh(builtin("demo", 3));
        (void)fresh.runEvents(1234);
        QVERIFY(traceOf(session) == traceOf(fresh));
    }

    // A timeline that read the run before a step back keeps it (the future the replay repeats), reads on
    // from where it stopped once the run gets past it, and ends up as if built at once.
    void aTimelineKeepsTheFutureAcrossAStepBack() {
        Session session(builtin("txn-2pc-coordinator-crash", 3));
        (void)session.runUntil(millis(1500), kEventsPerCommandMax);
        TimelineBuilder builder;
        builder.update(session.world());
        const std::uint32_t read = builder.data()->eventCount;
        QVERIFY(read > 50);
        session.seekToTime(millis(300));
        builder.update(session.world());
        QCOMPARE(builder.data()->eventCount, read);  // nothing forgotten
        QVERIFY(session.world().trace().size() < read);
        (void)session.runUntil(millis(4000), kEventsPerCommandMax);
        builder.update(session.world());
        const auto once = TimelineBuilder::build(session.world().trace());
        const TimelineData& a = *builder.data();
        const TimelineData& b = *once;
        QCOMPARE(a.eventCount, b.eventCount);
        QCOMPARE(a.lanes.size(), b.lanes.size());
        QCOMPARE(a.bands.size(), b.bands.size());
        for (std::size_t i = 0; i < a.bands.size(); ++i) {
            QCOMPARE(a.bands[i].start, b.bands[i].start);
            QCOMPARE(a.bands[i].endIndex, b.bands[i].endIndex);
            QCOMPARE(a.bands[i].phase, b.bands[i].phase);
        }
        QCOMPARE(a.messages.size(), b.messages.size());
        for (std::size_t i = 0; i < a.messages.size(); ++i) {
            QCOMPARE(a.messages[i].seq, b.messages[i].seq);
            QCOMPARE(a.messages[i].end, b.messages[i].end);
            QCOMPARE(a.messages[i].fate, b.messages[i].fate);
        }
        QCOMPARE(a.markers.size(), b.markers.size());
    }

    // A run that stops between two events moves the clock on; a checkpoint at that boundary would keep the
    // later time, which a fresh run of as many events never shows. Commands given there must replay there.
    void aCheckpointKeepsTheTimeOfItsLastEvent() {
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            Session probe(builtin("demo", seed));
            (void)probe.runEvents(kCheckpointEvery);
            const SimTime at = probe.world().now();
            (void)probe.runEvents(1);
            QVERIFY(probe.world().now() > at + 1);
            const SimTime between = (at + probe.world().now()) / 2;

            Session session(builtin("demo", seed));
            (void)session.runEvents(kCheckpointEvery - 1);
            (void)session.runUntil(between, kEventsPerCommandMax);  // the boundary's event, then the clock moves on
            QCOMPARE(session.world().eventsProcessed(), kCheckpointEvery);
            (void)session.runEvents(300);
            session.seekToEvent(kCheckpointEvery);
            QCOMPARE(session.world().now(), at);
            QVERIFY(session.execute("put k9 x"));
            (void)session.runEvents(500);
            const std::string given = traceOf(session);
            Session fresh(builtin("demo", seed));
            (void)fresh.runEvents(kCheckpointEvery);
            QVERIFY(fresh.execute("put k9 x"));
            (void)fresh.runEvents(500);
            QVERIFY2(given == traceOf(fresh), qPrintable(QStringLiteral("seed %1").arg(seed)));
            // And the command stays where it was given, however the run is travelled.
            session.seekToEvent(100);
            session.seekToEvent(kCheckpointEvery + 500);
            QVERIFY2(given == traceOf(session), qPrintable(QStringLiteral("seed %1, travelled").arg(seed)));
        }
    }

    // The quiet period of quiesceAndCheck is in no command log: after going back before it, the run goes
    // on without it, whichever way it is travelled, and never mixes the two.
    void goingBackBeforeAQuiescedEndReplaysWithoutIt() {
        Session session(builtin("demo", 7));
        session.setCheckpointInterval(200);
        (void)session.runEvents(3000);
        (void)session.quiesceAndCheck();
        const std::uint64_t end = session.world().eventsProcessed();
        QVERIFY(end > 3100);
        session.seekToEvent(500);
        session.seekToEvent(3003);
        session.seekToEvent(end);
        Session fresh(builtin("demo", 7));
        (void)fresh.runEvents(end);
        QVERIFY(traceOf(session) == traceOf(fresh));
        QVERIFY(traceOf(session).find("quiesce") == std::string::npos);
    }

    // A command that fails in the past changes nothing: the future already run stays.
    void aFailedCommandKeepsTheFuture() {
        Session session(builtin("demo", 8));
        (void)session.runEvents(3000);
        const SimTime furthest = session.furthestTime();
        session.seekToEvent(1000);
        const std::size_t retained = session.world().trace().retainedEvents();
        QVERIFY(!session.execute("node kill nosuchnode"));
        QCOMPARE(session.world().trace().retainedEvents(), retained);
        QCOMPARE(session.furthestTime(), furthest);
    }

    void seekByTimeAndConsoleReplies() {
        Session session(builtin("demo", 2));
        (void)session.runUntil(millis(3000), kEventsPerCommandMax);
        auto back = session.execute("seek 1000");
        QVERIFY(back);
        QCOMPARE(session.world().now(), millis(1000));
        QVERIFY2(back->text.find("at 1000.0 ms") != std::string::npos, back->text.c_str());
        auto forward = session.execute("seek 2500");
        QVERIFY(forward);
        QCOMPARE(session.world().now(), millis(2500));
        QCOMPARE(session.furthestTime(), millis(3000));
        auto step = session.execute("step back");
        QVERIFY(step);
        QVERIFY2(step->text.find("back 1 event(s)") != std::string::npos, step->text.c_str());
        // Going back past the start stops at the start.
        auto start = session.execute("step back 1000000");
        QVERIFY(start);
        QCOMPARE(session.world().eventsProcessed(), std::uint64_t(0));
        // Not from a schedule: a scenario cannot travel in time.
        const auto scheduled = parseScenario(R"({"name": "x", "schedule": [{"at_ms": 5, "do": "seek 1"}]})", "x.json");
        QVERIFY(!scheduled.ok());
    }
};

QTEST_GUILESS_MAIN(TestTimeTravel)
#include "tst_time_travel.moc"
