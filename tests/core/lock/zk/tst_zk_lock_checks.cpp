// The ZooKeeper-lock checkers, on real runs and on hand-made histories: "fifo-grants" (grants follow the
// order of the sequential nodes, and none passes over an older waiter) and "wakeups-per-release" (the
// predecessor watch wakes one waiter per release, the parent watch wakes the herd).
#include <QTest>

#include "core/check/zk_lock_checks.h"
#include "tests/core/lock/zk/zk_lock_lab.h"

using namespace distlab;
using namespace distlab::zk;
using zktest::scribe;
using zktest::ZkLabOptions;
using zktest::ZkLockLab;

namespace {

ZkLabOptions recipe(int clients, WatchMode mode) {
    ZkLabOptions options;
    options.clients = clients;
    options.mode = mode;
    return options;
}

// Every client queues, then each releases in turn.
void queueAndReleaseInTurn(ZkLockLab& lab) {
    for (const std::string& id : lab.ids) lab.lock(id);
    for (const std::string& id : lab.ids) lab.unlock(id);
}

// A world of probes: "zk" stands for the server, c1..c3 for the clients, "lock" for a lease lock server
// on the same resource; the test writes their history through "ctl", one op at a time, 10 ms apart.
class HandMade {
public:
    HandMade() : world(1) {
        for (const char* id : {"zk", "c1", "c2", "c3", "lock", "ctl"})
            QVERIFY(support::addProbe(world, id, {.scribe = true}));
    }
    void record(const std::string& process, const std::string& phase, std::int64_t opId, const std::string& f,
                Json value) {
        QVERIFY(world.sendFrom("ctl", process, scribe(phase, opId, f, std::move(value))).ok());
        world.runUntil(world.now() + millis(10), 10'000);
    }
    void holderInvoke(const std::string& client, std::int64_t token) {
        record(
            "zk", "invoke", token, "holder",
            Json{
                {"resource", "r"}, {"client", client}, {"fencing_token", token}, {"lock_node", node(token)}});
    }
    void holderOk(const std::string& client, std::int64_t token, const std::string& reason = "released") {
        record("zk", "ok", token, "holder",
               Json{{"resource", "r"}, {"client", client}, {"fencing_token", token}, {"reason", reason}});
    }
    void grant(const std::string& client, std::int64_t token) {
        record(client, "ok", ++m_opId, "lock",
               Json{{"resource", "r"}, {"fencing_token", token}, {"lock_node", node(token)}});
    }
    // What a lease lock server and its clients record: holder ops and grants that name no lock node.
    void leaseHolderInvoke(const std::string& client, std::int64_t token) {
        record("lock", "invoke", token, "holder",
               Json{{"resource", "r"}, {"client", client}, {"fencing_token", token}});
    }
    void leaseHolderOk(const std::string& client, std::int64_t token) {
        record("lock", "ok", token, "holder",
               Json{{"resource", "r"}, {"client", client}, {"reason", "released"}});
    }
    void leaseGrant(const std::string& client, std::int64_t token) {
        record(client, "ok", ++m_opId, "lock",
               Json{{"resource", "r"}, {"token", client + "-1"}, {"fencing_token", token}});
    }
    static std::string node(std::int64_t token) { return "/locks/r/lock-" + std::to_string(1000 + token); }

    World world;

private:
    std::int64_t m_opId = 0;
};

bool mentions(const CheckResult& result, const std::string& text) {
    return result.explanation.find(text) != std::string::npos;
}

}  // namespace

class TstZkLockChecks : public QObject {
    Q_OBJECT

private slots:
    void bothPassVacuouslyWithoutZooKeeperLocks() {
        World world(1);
        const CheckResult fifo = checkFifoGrants(world.trace());
        QCOMPARE(fifo.name, std::string("fifo-grants"));
        QVERIFY(fifo.ok);
        QVERIFY2(mentions(fifo, "vacuously"), fifo.explanation.c_str());
        const CheckResult wakeups = checkWakeupsPerRelease(world.trace());
        QCOMPARE(wakeups.name, std::string("wakeups-per-release"));
        QVERIFY(wakeups.ok);
        QVERIFY2(mentions(wakeups, "vacuously"), wakeups.explanation.c_str());
        const ZkWakeupStats stats = zkWakeupStats(world.trace());
        QCOMPARE(stats.releases, std::uint64_t(0));
        QCOMPARE(stats.wakeups, std::uint64_t(0));
    }

    // Acceptance: "ZooKeeper lock grants follow sequence order and each release wakes exactly one waiter
    // (watch-predecessor variant)".
    void predecessorWatchGrantsInSequenceOrderAndEachReleaseWakesOneWaiter() {
        ZkLockLab lab(recipe(5, WatchMode::Predecessor));
        queueAndReleaseInTurn(lab);
        const CheckResult fifo = checkFifoGrants(lab.world.trace());
        QVERIFY2(fifo.ok, fifo.explanation.c_str());
        QVERIFY2(mentions(fifo, "5 ZooKeeper-lock grants"), fifo.explanation.c_str());
        const CheckResult wakeups = checkWakeupsPerRelease(lab.world.trace());
        QVERIFY2(wakeups.ok, wakeups.explanation.c_str());
        QVERIFY(wakeups.events.empty());
        const ZkWakeupStats stats = zkWakeupStats(lab.world.trace());
        QCOMPARE(stats.releases, std::uint64_t(5));  // the last release had nobody to wake
        QCOMPARE(stats.wakeups, std::uint64_t(4));
        QCOMPARE(stats.maxPerRelease, std::uint64_t(1));
        QVERIFY2(mentions(wakeups, "5 releases woke 4 waiters"), wakeups.explanation.c_str());
    }

    // Acceptance: "parent variant wakes every waiter".
    void parentWatchWakesEveryWaiterAndFailsTheWakeupCheck() {
        ZkLockLab lab(recipe(5, WatchMode::Parent));
        queueAndReleaseInTurn(lab);
        const CheckResult fifo = checkFifoGrants(lab.world.trace());
        QVERIFY2(fifo.ok, fifo.explanation.c_str());  // still fair, only wasteful
        const CheckResult wakeups = checkWakeupsPerRelease(lab.world.trace());
        QVERIFY(!wakeups.ok);
        const ZkWakeupStats stats = zkWakeupStats(lab.world.trace());
        QCOMPARE(stats.releases, std::uint64_t(5));
        QCOMPARE(stats.maxPerRelease, std::uint64_t(4));  // c1's release woke c2, c3, c4 and c5
        QVERIFY(stats.wakeups > 4 + 3 + 2 + 1);           // and joining the queue woke them too
        QVERIFY2(mentions(wakeups, "c1's hold on r") && mentions(wakeups, "woke c2, c3, c4 and c5") &&
                     mentions(wakeups, "herd"),
                 wakeups.explanation.c_str());
        QVERIFY(!wakeups.events.empty());
        for (std::uint64_t event : wakeups.events) QVERIFY(event < lab.world.trace().size());
    }

    // The holder-crash story: the expiry of the holder's session is a release that wakes exactly one.
    void holderCrashWakesExactlyOneWaiter() {
        ZkLockLab lab(recipe(4, WatchMode::Predecessor));
        for (const std::string& id : lab.ids) lab.lock(id);
        QVERIFY(lab.world.crash("c1").ok());
        lab.run(millis(600));
        QCOMPARE(lab.holders(), std::vector<std::string>{"c2"});
        const CheckResult wakeups = checkWakeupsPerRelease(lab.world.trace());
        QVERIFY2(wakeups.ok, wakeups.explanation.c_str());
        QVERIFY2(mentions(wakeups, "session expired") && mentions(wakeups, "woke c2"),
                 wakeups.explanation.c_str());
        const ZkWakeupStats stats = zkWakeupStats(lab.world.trace());
        QCOMPARE(stats.releases, std::uint64_t(1));
        QCOMPARE(stats.wakeups, std::uint64_t(1));
        QCOMPARE(stats.maxPerRelease, std::uint64_t(1));
        QVERIFY(checkFifoGrants(lab.world.trace()).ok);
    }

    // A waiter leaving the queue wakes its successor, but that is no release.
    void aWaiterLeavingWakesItsSuccessorWithoutCountingAsARelease() {
        ZkLockLab lab(recipe(3, WatchMode::Predecessor));
        for (const std::string& id : lab.ids) lab.lock(id);
        lab.unlock("c2");
        lab.unlock("c1");
        const ZkWakeupStats stats = zkWakeupStats(lab.world.trace());
        QCOMPARE(stats.releases, std::uint64_t(1));
        QCOMPARE(stats.wakeups, std::uint64_t(2));
        QCOMPARE(stats.maxPerRelease, std::uint64_t(1));
        QVERIFY(checkWakeupsPerRelease(lab.world.trace()).ok);
    }

    void aGrantPastAnOlderLiveWaiterFails() {
        HandMade h;
        h.holderInvoke("c1", 5);
        h.grant("c1", 5);
        h.grant("c2", 7);  // c1's node is still the lowest
        const CheckResult fifo = checkFifoGrants(h.world.trace());
        QVERIFY(!fifo.ok);
        QVERIFY2(mentions(fifo, "c2 was granted the lock with token 7") && mentions(fifo, "skipped it") &&
                     mentions(fifo, "node " + HandMade::node(5) + " of c1"),
                 fifo.explanation.c_str());
        QCOMPARE(fifo.events.size(), std::size_t(2));
    }

    void grantsWithFallingTokensFail() {
        HandMade h;
        h.holderInvoke("c2", 7);
        h.grant("c2", 7);
        h.holderOk("c2", 7);
        h.holderInvoke("c1", 6);  // impossible for a real server: its node would have been lower
        h.grant("c1", 6);
        const CheckResult fifo = checkFifoGrants(h.world.trace());
        QVERIFY(!fifo.ok);
        QVERIFY2(mentions(fifo, "strictly increasing"), fifo.explanation.c_str());
    }

    void aGrantLearntAfterItsNodeWasGoneIsStaleNotAViolation() {
        HandMade h;
        h.holderInvoke("c1", 5);
        h.holderOk("c1", 5, "session expired");
        h.holderInvoke("c2", 8);
        h.grant("c2", 8);
        h.grant("c1", 5);  // c1 was paused with the answer in its inbox
        const CheckResult fifo = checkFifoGrants(h.world.trace());
        QVERIFY2(fifo.ok, fifo.explanation.c_str());
        QVERIFY2(mentions(fifo, "1 grant was learnt by clients after their node was already gone"),
                 fifo.explanation.c_str());
    }

    void aServerCrashEndsItsHolders() {
        HandMade h;
        h.holderInvoke("c1", 5);
        QVERIFY(h.world.crash("zk").ok());
        h.grant("c2", 9);  // c1's node died with the server: not a skip
        QVERIFY(checkFifoGrants(h.world.trace()).ok);

        HandMade noCrash;
        noCrash.holderInvoke("c1", 5);
        noCrash.grant("c2", 9);
        QVERIFY(!checkFifoGrants(noCrash.world.trace()).ok);
    }

    // The reviewer's mixed run: lease clients and ZooKeeper clients lock the same resource. The lease
    // server's holders are another lock's, not the ZooKeeper queue's: neither checker reads them.
    void aLeaseServersHoldersOnTheSameResourceAreNotTheZooKeeperQueue() {
        HandMade h;
        h.holderInvoke("c1", 5);
        h.leaseHolderInvoke("c3", 2);  // a lower token at another server: no skip
        h.leaseGrant("c3", 2);
        h.grant("c1", 5);
        h.leaseHolderOk("c3", 2);
        h.holderOk("c1", 5);
        h.holderInvoke("c2", 7);
        h.leaseHolderInvoke("c3", 9);  // a higher one: c2's grant is live, not stale
        h.leaseGrant("c3", 9);
        h.grant("c2", 7);
        h.leaseHolderOk("c3", 9);
        const CheckResult fifo = checkFifoGrants(h.world.trace());
        QVERIFY2(fifo.ok, fifo.explanation.c_str());
        QVERIFY2(mentions(fifo, "The 2 ZooKeeper-lock grants on 1 resource followed the queue"),
                 fifo.explanation.c_str());
        QVERIFY2(!mentions(fifo, "already gone"), fifo.explanation.c_str());
        const ZkWakeupStats stats = zkWakeupStats(h.world.trace());
        QCOMPARE(stats.releases, std::uint64_t(1));  // c1's, not the lease server's two
        const CheckResult wakeups = checkWakeupsPerRelease(h.world.trace());
        QVERIFY2(mentions(wakeups, "1 release woke 0 waiters") && mentions(wakeups, "c1's hold on r"),
                 wakeups.explanation.c_str());

        // Lease holders alone: nothing for either checker.
        HandMade lease;
        lease.leaseHolderInvoke("c3", 1);
        lease.leaseGrant("c3", 1);
        lease.leaseHolderOk("c3", 1);
        QVERIFY(mentions(checkFifoGrants(lease.world.trace()), "vacuously"));
        QVERIFY(mentions(checkWakeupsPerRelease(lease.world.trace()), "vacuously"));
    }

    void withoutTheServersHistoryTokenOrderAloneIsJudged() {
        HandMade rising;
        rising.grant("c1", 2);
        rising.grant("c2", 3);
        QVERIFY(checkFifoGrants(rising.world.trace()).ok);
        HandMade falling;
        falling.grant("c1", 3);
        falling.grant("c2", 2);
        QVERIFY(!checkFifoGrants(falling.world.trace()).ok);
    }

    void aTruncatedTraceIsSaidToBeTruncated() {
        ZkLabOptions options = recipe(3, WatchMode::Predecessor);
        options.limits.traceEventsMax = 120;
        ZkLockLab lab(options);
        queueAndReleaseInTurn(lab);
        QVERIFY(lab.world.trace().truncated());
        QVERIFY(mentions(checkFifoGrants(lab.world.trace()), "truncated"));
        QVERIFY(mentions(checkWakeupsPerRelease(lab.world.trace()), "truncated"));
    }
};

QTEST_GUILESS_MAIN(TstZkLockChecks)
#include "tst_zk_lock_checks.moc"
