// Time travel: stepping back and seeking rebuild the run from its seed and replay the commands given at
// their places, so the state after seeking to event i is exactly the state of a fresh run stopped after i
// events; acting in the past forks a new future.
#include <QTest>

#include <sstream>

#include "core/scenario/session.h"
#include "core/sim/rng.h"

using namespace distlab;

namespace {

Scenario builtin(const std::string& name, std::uint64_t seed) {
    auto scenario = loadScenario(name);
    if (!scenario) qFatal("built-in scenario %s: %s", name.c_str(), scenario.error().message.c_str());
    scenario->seed = seed;
    return std::move(scenario).value();
}

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
    out << snap.locks.resources.size();
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
        auto done = session.execute(command);
        if (!done) qFatal("%s: %s", command.c_str(), done.error().message.c_str());
    }
    (void)session.runEvents(upTo - session.world().eventsProcessed());
}

Script scriptFor(const std::string& scenario) {
    if (scenario == "demo")
        return {{{400, "put k1 hello"}, {300, "net drop 0.1"}, {900, "ring vnodes 100"}, {500, "net drop 0"},
                 {400, "net latency 2 20"}, {200, "get k1"}}};
    return {{{40, "client pause c3 700"}, {80, "lock acquire c4 R2 --hold 50"}, {100, "fencing off"},
             {50, "node kill c2"}, {300, "zk watch parent"}, {200, "lock acquire c4 R3"}}};
}

}  // namespace

class TestTimeTravel : public QObject {
    Q_OBJECT
private slots:
    // After seeking to event i (backwards or forwards, several times over), the run equals a fresh run of
    // i events given the same commands at the same places: the same trace, byte for byte, and the same state.
    void seekEqualsAFreshRun_data() {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("demo") << "demo";
        QTest::newRow("lock lab") << "lock-zk-holder-crash";
    }
    void seekEqualsAFreshRun() {
        QFETCH(QString, scenario);
        const std::string name = scenario.toStdString();
        const Script script = scriptFor(name);
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            Session traveller(builtin(name, seed));
            play(traveller, script, 4000);
            const std::uint64_t last = traveller.world().eventsProcessed();  // a short run may end sooner
            QVERIFY(last > 200);
            Rng rng(seed * 7919);
            for (int jump = 0; jump < 6; ++jump) {
                const std::uint64_t target = std::uint64_t(rng.uniform(0, std::int64_t(last) + 1));
                traveller.seekToEvent(target);
                Session fresh(builtin(name, seed));
                play(fresh, script, target);
                const QString where = QStringLiteral("%1, seed %2, event %3").arg(scenario).arg(seed).arg(target);
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
