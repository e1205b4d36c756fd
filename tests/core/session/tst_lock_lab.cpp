// The lock lab inside a Session: the built-in lock scenarios give their documented outcomes, the console's
// lock commands work and fail clearly, and the lock view's snapshot tells the paused-client story.
#include <QTest>

#include <algorithm>
#include <set>
#include <sstream>

#include "core/session/session.h"
#include "tests/support/builtin_scenario.h"

using namespace distlab;
using support::builtin;

namespace {

std::set<std::string> failedChecks(const std::vector<CheckResult>& checks) {
    std::set<std::string> failed;
    for (const auto& check : checks)
        if (!check.ok) failed.insert(check.name);
    return failed;
}

QString describe(const std::vector<CheckResult>& checks) {
    QString out;
    for (const auto& check : checks)
        out += QStringLiteral("\n  %1 %2: %3")
                   .arg(check.ok ? QStringLiteral("ok  ") : QStringLiteral("FAIL"), QString::fromStdString(check.name),
                        QString::fromStdString(check.explanation));
    return out;
}

const LockResourceView* resourceNamed(const ClusterSnapshot& snap, const std::string& name) {
    for (const auto& r : snap.locks.resources)
        if (r.resource == name) return &r;
    return nullptr;
}

const LockLane* laneOf(const LockResourceView& r, const std::string& client) {
    for (const auto& lane : r.lanes)
        if (lane.client == client) return &lane;
    return nullptr;
}

}  // namespace

class TestLockLab : public QObject {
    Q_OBJECT
private slots:
    // Each built-in lock scenario, over several seeds: exactly the documented checks fail.
    void scenariosGiveTheirDocumentedOutcome_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QStringList>("failing");
        QTest::newRow("lease, pause, no fencing") << "lock-lease-pause-nofencing"
                                                  << QStringList{"mutual-exclusion", "monotonic-fencing"};
        QTest::newRow("lease, pause, fencing") << "lock-lease-pause-fencing" << QStringList{};
        QTest::newRow("lease, restart without persistence")
            << "lock-lease-restart-nopersistence" << QStringList{"mutual-exclusion"};
        QTest::newRow("redlock, clock jump") << "lock-redlock-clock-jump" << QStringList{"mutual-exclusion"};
        QTest::newRow("zk, holder crash") << "lock-zk-holder-crash" << QStringList{};
        QTest::newRow("zk, herd") << "lock-zk-herd" << QStringList{"wakeups-per-release"};
    }
    void scenariosGiveTheirDocumentedOutcome() {
        QFETCH(QString, scenario);
        QFETCH(QStringList, failing);
        std::set<std::string> expected;
        for (const auto& name : failing) expected.insert(name.toStdString());
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            Scenario s = builtin(scenario.toStdString());
            s.seed = seed;
            Session session(std::move(s));
            const auto checks = session.runToEndAndCheck(session.scenario().runFor);
            QVERIFY2(failedChecks(checks) == expected,
                     qPrintable(QStringLiteral("%1, seed %2:%3").arg(scenario).arg(seed).arg(describe(checks))));
            // The checks list names the lock checkers, and nothing of the key-value lab.
            QVERIFY(std::any_of(checks.begin(), checks.end(), [](const CheckResult& c) { return c.name == "mutual-exclusion"; }));
            QVERIFY(std::none_of(checks.begin(), checks.end(), [](const CheckResult& c) { return c.name == "replicas-agree"; }));
            for (const auto& check : checks) {
                QVERIFY2(!check.explanation.empty(), check.name.c_str());
                if (!check.ok) QVERIFY2(!check.events.empty(), check.name.c_str());
            }
        }
    }

    void sameSeedGivesByteIdenticalTrace_data() {
        QTest::addColumn<QString>("scenario");
        for (const auto& s : builtinScenarios())
            if (s.name.rfind("lock-", 0) == 0) QTest::newRow(s.name.c_str()) << QString::fromStdString(s.name);
    }
    void sameSeedGivesByteIdenticalTrace() {
        QFETCH(QString, scenario);
        const auto traceOf = [&](std::uint64_t seed) {
            Scenario s = builtin(scenario.toStdString());
            s.seed = seed;
            Session session(std::move(s));
            session.runToEndAndCheck(session.scenario().runFor);
            std::ostringstream out;
            session.world().trace().writeJsonLines(out);
            return out.str();
        };
        const std::string a = traceOf(3);
        QVERIFY(a == traceOf(3));
        QVERIFY(a != traceOf(4));
    }

    // The story of Kleppmann's figure, read back from the snapshot the lock view draws.
    void pausedClientStoryInTheSnapshot() {
        for (const bool fencing : {false, true}) {
            Session session(builtin(fencing ? "lock-lease-pause-fencing" : "lock-lease-pause-nofencing"));
            session.advance(millis(3000), kEventsPerCommandMax);
            const ClusterSnapshot snap = session.snapshot();
            QVERIFY(snap.locks.active);
            QCOMPARE(snap.locks.fencing, fencing);
            const LockResourceView* r = resourceNamed(snap, "R");
            QVERIFY(r != nullptr);
            QCOMPARE(r->mode, std::string("lease"));
            QCOMPARE(r->history.size(), std::size_t(2));
            QCOMPARE(r->history[0].client, std::string("lk-c1"));
            QCOMPARE(r->history[0].token, std::int64_t(1));
            QCOMPARE(r->history[1].client, std::string("lk-c2"));
            QCOMPARE(r->history[1].token, std::int64_t(2));
            QCOMPARE(r->history[1].write, LockGrant::Write::Accepted);
            QCOMPARE(r->history[0].write, fencing ? LockGrant::Write::Rejected : LockGrant::Write::Accepted);
            QCOMPARE(r->conflict(), !fencing);
            if (!fencing) {
                QCOMPARE(r->conflicts.front().first, std::string("lk-c1"));
                QCOMPARE(r->conflicts.front().second, std::string("lk-c2"));
                QVERIFY(!r->conflicts.front().explanation.empty());
                QVERIFY(r->conflicts.front().explanation.str().find("lk-c1") != std::string::npos);
            }
            // c1 believed it held the lock through its pause (100 ms .. after 1700 ms); the lock server had it
            // as the holder only until its 1 s lease ran out.
            const LockLane* c1 = laneOf(*r, "lk-c1");
            QVERIFY(c1 != nullptr);
            QCOMPARE(c1->believes.size(), std::size_t(1));
            QCOMPARE(c1->really.size(), std::size_t(1));
            QVERIFY(c1->believes[0].end > millis(1700));
            QVERIFY(c1->really[0].end > millis(1050) && c1->really[0].end < millis(1200));
            QVERIFY2(c1->really[0].end < c1->believes[0].end, "the lease ran out before lk-c1 stopped believing");
            const LockLane* c2 = laneOf(*r, "lk-c2");
            QVERIFY(c2 != nullptr);
            QCOMPARE(c2->believes.size(), std::size_t(1));
            QVERIFY(c2->believes[0].start >= c1->really[0].end);
            QVERIFY(r->holder.empty());  // both released by 3 s
        }
    }

    // The storage's side of the fencing story: c1's stale write is the one access refused.
    void storageLogShowsTheRefusedWrite() {
        Session session(builtin("lock-lease-pause-fencing"));
        session.advance(millis(3000), kEventsPerCommandMax);
        const auto& log = session.snapshot().locks.storageLog;
        QCOMPARE(log.size(), std::size_t(4));
        const auto is = [](const StorageAccess& a, const char* client, bool write, std::int64_t token, bool accepted) {
            return a.client == client && a.write == write && a.token == token && a.accepted == accepted;
        };
        QVERIFY(is(log[0], "lk-c1", false, 1, true));
        QVERIFY(is(log[1], "lk-c2", false, 2, true));
        QVERIFY(is(log[2], "lk-c2", true, 2, true));
        QVERIFY(is(log[3], "lk-c1", true, 1, false));
        QCOMPARE(log[0].seq, std::int64_t(1));
        QCOMPARE(log[2].seq, std::int64_t(3));
        QCOMPARE(log[3].seq, std::int64_t(0));
    }

    // Redlock after the clock jumps: s1 still has c1's lease, s2..s5 have c2's, and s2, s3 run 5 s ahead.
    void redlockServersInTheSnapshot() {
        Session session(builtin("lock-redlock-clock-jump"));
        session.advance(millis(1200), kEventsPerCommandMax);
        const ClusterSnapshot snap = session.snapshot();
        const LockResourceView* r = resourceNamed(snap, "R");
        QVERIFY(r != nullptr);
        QCOMPARE(r->servers.size(), std::size_t(5));
        QCOMPARE(r->servers[0].id, std::string("lk-s1"));
        QCOMPARE(r->servers[0].holder, std::string("lk-c1"));
        QCOMPARE(r->servers[0].clockOffsetMs, std::int64_t(0));
        for (std::size_t i = 1; i < 5; ++i) {
            QCOMPARE(r->servers[i].holder, std::string("lk-c2"));
            QVERIFY(r->servers[i].leaseEndsAt > snap.now);
            QCOMPARE(r->servers[i].clockOffsetMs, std::int64_t(i <= 2 ? 5000 : 0));
        }
        QCOMPARE(r->holder, std::string("lk-c2"));  // c2 has a majority; c1 still believes it holds the lock
        const LockLane* c1 = laneOf(*r, "lk-c1");
        QVERIFY(c1 && !c1->believes.empty() && c1->believes.back().end == kOpenInterval);
    }

    void zkQueueAndWatchesInTheSnapshot() {
        Session session(builtin("lock-zk-holder-crash"));
        session.advance(millis(350), kEventsPerCommandMax);  // all four queued, c1 holding
        const ClusterSnapshot snap = session.snapshot();
        const LockResourceView* r = resourceNamed(snap, "R");
        QVERIFY(r != nullptr);
        QCOMPARE(r->queue.size(), std::size_t(4));
        QCOMPARE(r->holder, std::string("lk-c1"));
        for (std::size_t i = 0; i < r->queue.size(); ++i) {
            QCOMPARE(r->queue[i].client, "lk-c" + std::to_string(i + 1));
            QCOMPARE(r->queue[i].watches, int(i) - 1);  // each waiter watches the node just before its own
            QVERIFY(!r->queue[i].watchesParent);
            if (i > 0) QVERIFY(r->queue[i].token > r->queue[i - 1].token);
        }
        QCOMPARE(r->fencingToken, r->queue[0].token);
    }

    void consoleLockCommands() {
        Session session(builtin("lock-lease-pause-fencing"));
        const auto errorOf = [&](const char* line) {
            auto result = session.execute(line);
            return result ? std::string() : result.error().message;
        };
        QVERIFY(session.execute("lock acquire lk-c1 R --ttl 500 --hold 100"));
        QVERIFY(session.execute("lock release lk-c1 R"));
        QVERIFY(session.execute("client pause lk-c2 100"));
        QVERIFY(session.execute("client slow lk-c2 50"));
        QVERIFY(session.execute("client slow lk-c2 0"));
        QVERIFY(session.execute("clock drift lk-lease 20000"));
        QVERIFY(session.execute("clock jump lk-lease -300"));
        QVERIFY(session.execute("fencing off"));
        QVERIFY(session.execute("lock acquire lk-c7 R2 --mode zk"));  // a new client, and the zk lock appears
        QVERIFY(session.execute("zk watch parent"));
        session.advance(millis(2000), kEventsPerCommandMax);
        const ClusterSnapshot snap = session.snapshot();
        QVERIFY(!snap.locks.fencing);
        QCOMPARE(snap.locks.watch, std::string("parent"));
        QVERIFY(resourceNamed(snap, "R2") != nullptr);
        QCOMPARE(resourceNamed(snap, "R2")->mode, std::string("zk"));

        QVERIFY(errorOf("lock acquire lk-c1 R --mode zk").find("lease client") != std::string::npos);
        QVERIFY(errorOf("lock acquire lk-disk R").find("not a lock client") != std::string::npos);
        QVERIFY(errorOf("lock acquire lk-c8 R --mode zk --ttl 100").find("--ttl") != std::string::npos);
        QVERIFY(errorOf("clock jump lk-disk +100").find("not a lease lock server") != std::string::npos);
        QVERIFY(errorOf("clock jump lk-zk +100").find("not a lease lock server") != std::string::npos);
        QVERIFY(errorOf("client pause lk-lease 100").find("not a client") != std::string::npos);
        QVERIFY(errorOf("lock release nobody R").find("not a lock client") != std::string::npos);
        QVERIFY(!errorOf("lock acquire lk-c1 R --mode paxos").empty());
        QVERIFY(!errorOf("clock jump lk-lease 100").empty());  // the sign is required
        QVERIFY(session.execute("node kill lk-c2"));
        QVERIFY(errorOf("lock acquire lk-c2 R").find("down") != std::string::npos);
        // One resource, one kind of lock; and a refused command leaves nothing behind.
        QVERIFY(errorOf("lock acquire lk-c8 R --mode zk").find("locked with the lease lock") != std::string::npos);
        QVERIFY(errorOf("lock acquire lk-c9 R3 --mode redlock --hold 10 --ttl 5 --mode zk").size() > 0);
        QVERIFY(errorOf("lock acquire lk-c9 R3 --mode zk --ttl 5").find("--ttl") != std::string::npos);
        QVERIFY(!session.world().indexOf("lk-c8"));
        QVERIFY(!session.world().indexOf("lk-c9"));
        QVERIFY(!session.world().indexOf("lk-s1"));
    }

    // A jump sent while a drift change is still on its way keeps that drift.
    void clockJumpKeepsAPendingDrift() {
        Session session(builtin("lock-lease-pause-fencing"));
        QVERIFY(session.execute("clock drift lk-lease 200000"));
        QVERIFY(session.execute("clock jump lk-lease +1000"));
        session.advance(millis(60), kEventsPerCommandMax);
        QVERIFY(session.execute("lock acquire lk-c2 D --hold 0"));  // a resource, so that the view lists the server
        session.advance(millis(50), kEventsPerCommandMax);
        const ClusterSnapshot later = session.snapshot();
        const LockResourceView* r = resourceNamed(later, "D");
        QVERIFY(r != nullptr);
        QCOMPARE(r->servers.size(), std::size_t(1));
        QCOMPARE(r->servers[0].driftPpm, std::int64_t(200000));
        QVERIFY(r->servers[0].clockOffsetMs >= 1000);
    }

    // `zk watch parent` also holds for a client that was down when it was given.
    void zkWatchModeSurvivesARestart() {
        Session session(builtin("lock-zk-holder-crash"));
        QVERIFY(session.execute("node kill lk-c3"));
        QVERIFY(session.execute("zk watch parent"));
        QVERIFY(session.execute("node restart lk-c3"));
        session.advance(millis(50), kEventsPerCommandMax);
        for (const char* line : {"lock acquire lk-c2 Q --hold 500", "lock acquire lk-c3 Q", "lock acquire lk-c4 Q"}) QVERIFY(session.execute(line));
        session.advance(millis(300), kEventsPerCommandMax);
        const ClusterSnapshot snap = session.snapshot();
        const LockResourceView* q = resourceNamed(snap, "Q");
        QVERIFY(q != nullptr);
        QCOMPARE(q->queue.size(), std::size_t(3));
        QVERIFY(q->queue[1].watchesParent);
        QVERIFY(q->queue[2].watchesParent);
    }

    // A lock command in a scenario without a lock lab starts one, next to the ring.
    void lockCommandStartsALabInTheDemo() {
        Session session(builtin("demo"));
        QVERIFY(!session.snapshot().locks.active);
        QVERIFY(session.execute("lock acquire lk-c5 R"));
        session.advance(millis(1000), kEventsPerCommandMax);
        const ClusterSnapshot snap = session.snapshot();
        QVERIFY(snap.locks.active);
        const LockResourceView* r = resourceNamed(snap, "R");
        QVERIFY(r != nullptr);
        QCOMPARE(r->history.size(), std::size_t(1));
        QCOMPARE(r->history[0].client, std::string("lk-c5"));
        const auto checks = session.quiesceAndCheck();
        QVERIFY(std::any_of(checks.begin(), checks.end(), [](const CheckResult& c) { return c.name == "replicas-agree"; }));
        QVERIFY(std::any_of(checks.begin(), checks.end(), [](const CheckResult& c) { return c.name == "mutual-exclusion"; }));
    }

    void summaryCarriesTheLockFigures() {
        Session session(builtin("lock-zk-herd"));
        const auto checks = session.runToEndAndCheck(session.scenario().runFor);
        const Json summary = session.summaryJson(checks);
        QVERIFY(summary.contains("lock"));
        const Json& lock = summary["lock"];
        QCOMPARE(lock["mode"].get<std::string>(), std::string("zk"));
        QCOMPARE(lock["watch"].get<std::string>(), std::string("parent"));
        QVERIFY(lock["wakeups"].get<std::uint64_t>() > lock["releases"].get<std::uint64_t>());
        QVERIFY(lock["wakeups_per_release_max"].get<std::uint64_t>() >= 3);
        QCOMPARE(lock["grants"].get<std::uint64_t>(), std::uint64_t(5));

        Session calm(builtin("lock-zk-holder-crash"));
        const Json calmSummary = calm.summaryJson(calm.runToEndAndCheck(calm.scenario().runFor));
        QCOMPARE(calmSummary["lock"]["wakeups_per_release_max"].get<std::uint64_t>(), std::uint64_t(1));
        QCOMPARE(calmSummary["lock"]["grants"].get<std::uint64_t>(), std::uint64_t(4));  // c1, then c2, c3, c4
    }
};

QTEST_GUILESS_MAIN(TestLockLab)
#include "tst_lock_lab.moc"
