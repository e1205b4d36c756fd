// Redlock over five lease lock servers, story by story: it gets the lock with 5/5 and with 3/5 servers
// up, fails with 2/5 and then releases on every server, never reports success once the round took longer
// than the TTL (slow network), runs its read-modify-write on the storage under fencing token 0 (it has no
// other), and -- the unsafe case from Kleppmann 2016 -- a clock jump on 2 of the 5 servers lets a second
// client take a majority while the first still believes it holds the lock, so both write: a lost update
// the mutual-exclusion checker finds and no fencing check could have stopped.
#include <QTest>

#include "core/check/lock_checks.h"
#include "core/protocols/lock/lease/fenced_storage.h"
#include "core/protocols/lock/lease/lease_lock_server.h"
#include "core/protocols/lock/lease/redlock_client.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"

using namespace distlab;
using namespace distlab::lock;

namespace {

constexpr std::uint64_t kEventsMax = 1'000'000;
const std::vector<NodeId> kServers = {"s1", "s2", "s3", "s4", "s5"};

// Lock servers s1..s5, the storage "disk", the lab's control node "ctl" and Redlock clients r1, r2.
class RedlockCluster {
public:
    explicit RedlockCluster(RedlockClientConfig config = {}, std::uint64_t seed = 1) : world(seed) {
        for (const NodeId& id : kServers) {
            if (!world.addNode(id, [] { return std::make_unique<LeaseLockServer>(); }).ok())
                QFAIL("cannot add a lock server");
        }
        if (!world.addNode("disk", [] { return std::make_unique<FencedStorage>(); }).ok())
            QFAIL("cannot add the storage");
        if (!support::addProbe(world, "ctl")) QFAIL("cannot add ctl");
        for (const char* id : {"r1", "r2"}) {
            if (!world.addNode(id, [config] { return std::make_unique<RedlockClient>(config); }).ok())
                QFAIL("cannot add a client");
        }
        run(millis(1));
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    // client_lock on R; ttlMs 0 and holdMs -1 keep the client's defaults.
    bool lock(const std::string& client, std::int64_t ttlMs = 0, std::int64_t holdMs = -1) {
        return world.sendFrom("ctl", client, makeBody(ClientLock{"R", ttlMs, holdMs})).ok();
    }
    bool unlock(const std::string& client) {
        return world.sendFrom("ctl", client, makeBody(ClientUnlock{"R"})).ok();
    }
    FencedStorage* storage() { return dynamic_cast<FencedStorage*>(world.node(*world.indexOf("disk"))); }
    RedlockClient* client(const std::string& id) {
        return dynamic_cast<RedlockClient*>(world.node(*world.indexOf(id)));
    }
    LeaseLockServer* server(const std::string& id) {
        return dynamic_cast<LeaseLockServer*>(world.node(*world.indexOf(id)));
    }
    std::vector<ClientOp> ops(const std::string& process, const std::string& f, OpPhase phase) const {
        std::vector<ClientOp> out;
        for (const ClientOp& op : world.trace().clientOps()) {
            if (op.process == process && op.f == f && op.phase == phase) out.push_back(op);
        }
        return out;
    }

    World world;
};

RedlockClientConfig oneAttempt() {
    RedlockClientConfig config;
    config.attemptsMax = 1;
    return config;
}

}  // namespace

class TestRedlock : public QObject {
    Q_OBJECT

private slots:
    void validityFollowsTheDocs() {
        QCOMPARE(redlockDrift(10'000), millis(102));  // 0.01 x 10 s + 2 ms
        QCOMPARE(redlockValidity(10'000, millis(100)), millis(10'000 - 100 - 102));
        QVERIFY(redlockValidity(1000, millis(990)) <= 0);
        QCOMPARE(redlockQuorum(5), std::size_t(3));
        QCOMPARE(redlockQuorum(4), std::size_t(3));
        QCOMPARE(redlockQuorum(1), std::size_t(1));
    }

    void acquiresWithAllFiveServersUp() {
        RedlockCluster cluster(oneAttempt());
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(200));
        std::vector<ClientOp> ok = cluster.ops("r1", "lock", OpPhase::Ok);
        QCOMPARE(ok.size(), std::size_t(1));
        QCOMPARE(ok[0].value["grants"].get<std::size_t>(), std::size_t(5));
        QVERIFY(cluster.client("r1")->believesItHolds(cluster.world.now()));
        QVERIFY(cluster.client("r1")->lastValidity() > 0);
        QVERIFY(cluster.client("r1")->lastValidity() < millis(10'000) - redlockDrift(10'000));
        for (const NodeId& id : kServers) QCOMPARE(cluster.server(id)->leases().size(), std::size_t(1));
        // After the work, the release reaches every server.
        cluster.run(millis(1500));
        QCOMPARE(cluster.client("r1")->state(), RedlockState::Idle);
        for (const NodeId& id : kServers) QVERIFY(cluster.server(id)->leases().empty());
    }

    void acquiresWithThreeOfFiveUp() {
        RedlockCluster cluster(oneAttempt());
        QVERIFY(cluster.world.crash("s4").ok());
        QVERIFY(cluster.world.crash("s5").ok());
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(300));
        std::vector<ClientOp> ok = cluster.ops("r1", "lock", OpPhase::Ok);
        QCOMPARE(ok.size(), std::size_t(1));
        QCOMPARE(ok[0].value["grants"].get<std::size_t>(), std::size_t(3));
        // Two servers cost their 50 ms timeouts, which come off the validity.
        QVERIFY(ok[0].value["elapsed_ms"].get<double>() >= 100.0);
        QVERIFY(cluster.client("r1")->believesItHolds(cluster.world.now()));
    }

    void failsWithTwoOfFiveAndReleasesEverywhere() {
        RedlockCluster cluster(oneAttempt());
        for (const char* id : {"s3", "s4", "s5"}) QVERIFY(cluster.world.crash(id).ok());
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(500));
        QVERIFY(cluster.ops("r1", "lock", OpPhase::Ok).empty());
        std::vector<ClientOp> fail = cluster.ops("r1", "lock", OpPhase::Fail);
        QCOMPARE(fail.size(), std::size_t(1));
        QCOMPARE(fail[0].value["grants"].get<std::size_t>(), std::size_t(2));
        QVERIFY(!cluster.client("r1")->believesItHolds(cluster.world.now()));
        for (const NodeId& id : kServers)
            QCOMPARE(cluster.client("r1")->releasesSent().at(id), std::uint64_t(1));
        // The two grants it did get are given back at once, not left to expire.
        QVERIFY(cluster.server("s1")->leases().empty());
        QVERIFY(cluster.server("s2")->leases().empty());
    }

    void retriesAfterAFailedRoundAndSucceedsWhenServersReturn() {
        RedlockClientConfig config;
        config.attemptsMax = 50;
        RedlockCluster cluster(config);
        for (const char* id : {"s3", "s4", "s5"}) QVERIFY(cluster.world.crash(id).ok());
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(400));
        QVERIFY(cluster.client("r1")->failedAttempts() >= 1);
        QVERIFY(cluster.world.restart("s3").ok());
        cluster.run(millis(1000));
        QCOMPARE(cluster.ops("r1", "lock", OpPhase::Ok).size(), std::size_t(1));
    }

    void neverSucceedsWithValidityAtOrBelowZero() {
        RedlockClientConfig config = oneAttempt();
        config.ttlMs = 1000;
        config.perServerTimeoutMs = 1000;  // every server answers in time, just slowly
        RedlockCluster cluster(config);
        LinkConfig slow;
        slow.latencyMin = millis(200);
        slow.latencyMax = millis(200);
        cluster.world.network().setDefaults(slow);
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(5000));
        QVERIFY(cluster.ops("r1", "lock", OpPhase::Ok).empty());
        std::vector<ClientOp> fail = cluster.ops("r1", "lock", OpPhase::Fail);
        QCOMPARE(fail.size(), std::size_t(1));
        QCOMPARE(fail[0].value["grants"].get<std::size_t>(), std::size_t(5));  // a majority, but too late
        QVERIFY(fail[0].value["validity_ms"].get<double>() <= 0.0);
        QVERIFY(cluster.client("r1")->lastValidity() <= 0);
        for (const NodeId& id : kServers)
            QCOMPARE(cluster.client("r1")->releasesSent().at(id), std::uint64_t(1));
    }

    // The documented unsafe case: r1 holds s1, s2, s3 (it cannot reach s4, s5); s2 and s3 jump their
    // clocks forward, ending r1's leases there; r2 then gets s2..s5, a majority of its own.
    void clockJumpOnTwoServersGivesTwoHolders() {
        RedlockClientConfig config;
        config.holdMs = 10'000;
        RedlockCluster cluster(config);
        QVERIFY(cluster.world.cut("r1", "s4").ok());
        QVERIFY(cluster.world.cut("r1", "s5").ok());
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(300));
        QCOMPARE(cluster.client("r1")->grantedBy(), (std::set<NodeId>{"s1", "s2", "s3"}));
        for (const char* id : {"s2", "s3"})
            QVERIFY(cluster.world.sendFrom("ctl", id, makeBody(ClockSet{0, 15'000})).ok());
        cluster.run(millis(50));
        QVERIFY(cluster.server("s2")->leases().empty());
        QVERIFY(cluster.server("s3")->leases().empty());
        QVERIFY(cluster.lock("r2"));
        cluster.run(millis(300));
        QCOMPARE(cluster.client("r2")->grantedBy(), (std::set<NodeId>{"s2", "s3", "s4", "s5"}));
        const SimTime now = cluster.world.now();
        QVERIFY(cluster.client("r1")->believesItHolds(now));
        QVERIFY(cluster.client("r2")->believesItHolds(now));
        QCOMPARE(cluster.ops("r1", "lock", OpPhase::Ok).size(), std::size_t(1));
        QCOMPARE(cluster.ops("r2", "lock", OpPhase::Ok).size(), std::size_t(1));
    }

    void clockJumpLetsBothHoldersWriteALostUpdate() {
        // redlock, fenced storage: r1 holds s1..s3 and works 10 s; s2, s3 jump forward; r2 takes s2..s5
        // and does a short read-modify-write inside r1's; r1 then writes what it read before -> r2's
        // update is lost, the mutual-exclusion checker names both, and both carry fencing token 0, so
        // the storage (fencing on) accepted everything: no fencing check could have told them apart
        RedlockClientConfig config;
        config.holdMs = 10'000;
        RedlockCluster cluster(config);
        QVERIFY(cluster.world.cut("r1", "s4").ok());
        QVERIFY(cluster.world.cut("r1", "s5").ok());
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(300));
        for (const char* id : {"s2", "s3"})
            QVERIFY(cluster.world.sendFrom("ctl", id, makeBody(ClockSet{0, 15'000})).ok());
        cluster.run(millis(50));
        QVERIFY(cluster.lock("r2", 0, 500));
        cluster.run(millis(12'000));
        const std::vector<ClientOp> writes1 = cluster.ops("r1", "write", OpPhase::Ok);
        const std::vector<ClientOp> writes2 = cluster.ops("r2", "write", OpPhase::Ok);
        QCOMPARE(writes1.size(), std::size_t(1));
        QCOMPARE(writes2.size(), std::size_t(1));
        QVERIFY(writes2[0].value["seq"].get<std::int64_t>() < writes1[0].value["seq"].get<std::int64_t>());
        QCOMPARE(writes1[0].value["fencing_token"].get<std::int64_t>(), std::int64_t(0));
        QVERIFY(cluster.storage()->fencing());
        QCOMPARE(cluster.storage()->writesRejected(), std::uint64_t(0));
        // r1 wrote on top of what it read before r2's write: r2's entry is gone.
        const std::string stored = cluster.storage()->values().at("R").value;
        QCOMPARE(stored, std::string("r1-1"));
        const CheckResult exclusion = checkMutualExclusion(cluster.world.trace());
        QVERIFY(!exclusion.ok);
        QVERIFY2(exclusion.explanation.find("r1 was granted the lock with token 0") != std::string::npos,
                 exclusion.explanation.c_str());
        QVERIFY2(exclusion.explanation.find("so r1's write overwrote r2's update") != std::string::npos,
                 exclusion.explanation.c_str());
        QVERIFY2(exclusion.explanation.find("Both carry fencing token 0, so no fencing check") !=
                     std::string::npos,
                 exclusion.explanation.c_str());
        QCOMPARE(exclusion.events.size(), std::size_t(8));  // lock ok, read ok, write invoke, write ok x 2
        QVERIFY(checkMonotonicFencing(cluster.world.trace()).ok);   // 0, 0: non-decreasing, and meaningless
    }

    void readModifyWriteUnderTokenZero() {
        // redlock: lock ok carries the round's fields and fencing token 0; the read and the write carry
        // token 0 too, the write comes min(hold, validity) after the read, then the release reaches all N
        RedlockClientConfig config = oneAttempt();
        config.holdMs = 200;
        RedlockCluster cluster(config);
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(1000));
        const std::vector<ClientOp> locks = cluster.ops("r1", "lock", OpPhase::Ok);
        QCOMPARE(locks.size(), std::size_t(1));
        QCOMPARE(locks[0].value["fencing_token"].get<std::int64_t>(), std::int64_t(0));
        QCOMPARE(locks[0].value["grants"].get<std::size_t>(), std::size_t(5));
        QVERIFY(locks[0].value.contains("validity_ms"));
        const std::vector<ClientOp> readInvokes = cluster.ops("r1", "read", OpPhase::Invoke);
        QCOMPARE(readInvokes.size(), std::size_t(1));
        QVERIFY(readInvokes[0].value == (Json{{"key", "R"}, {"fencing_token", 0}}));
        const std::vector<ClientOp> reads = cluster.ops("r1", "read", OpPhase::Ok);
        QCOMPARE(reads.size(), std::size_t(1));
        QVERIFY(reads[0].value == (Json{{"fencing_token", 0}, {"seq", 1}, {"exists", false}}));
        const std::vector<ClientOp> writeInvokes = cluster.ops("r1", "write", OpPhase::Invoke);
        QCOMPARE(writeInvokes.size(), std::size_t(1));
        QVERIFY(writeInvokes[0].value == (Json{{"key", "R"}, {"value", "r1-1"}, {"fencing_token", 0}}));
        QCOMPARE(writeInvokes[0].time - reads[0].time, millis(200));
        const std::vector<ClientOp> writes = cluster.ops("r1", "write", OpPhase::Ok);
        QVERIFY(writes.at(0).value == (Json{{"fencing_token", 0}, {"seq", 2}}));
        QCOMPARE(cluster.client("r1")->state(), RedlockState::Idle);
        for (const NodeId& id : kServers) QVERIFY(cluster.server(id)->leases().empty());
        QCOMPARE(cluster.ops("r1", "unlock", OpPhase::Ok).size(), std::size_t(1));
    }

    // The reviewer's redlock_late run: the storage answers the read 400 ms late, after the 300 ms TTL's
    // validity has run out. The client has lost the lock: it skips its work and its write, and releases
    // on every server; its unlock op says why.
    void aReadAnsweredAfterTheValidityLosesTheLockAndSkipsTheWrite() {
        RedlockClientConfig config = oneAttempt();
        config.ttlMs = 300;
        config.holdMs = 100;
        config.storageTimeoutMs = 1000;
        RedlockCluster cluster(config);
        LinkConfig slow;
        slow.latencyMin = millis(200);
        slow.latencyMax = millis(200);
        cluster.world.network().setLink(*cluster.world.indexOf("r1"), *cluster.world.indexOf("disk"), slow);
        cluster.world.network().setLink(*cluster.world.indexOf("disk"), *cluster.world.indexOf("r1"), slow);
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(2000));
        QCOMPARE(cluster.ops("r1", "lock", OpPhase::Ok).size(), std::size_t(1));
        const std::vector<ClientOp> reads = cluster.ops("r1", "read", OpPhase::Ok);
        QCOMPARE(reads.size(), std::size_t(1));
        QVERIFY(reads[0].time >= cluster.client("r1")->leaseEnd());
        QVERIFY(cluster.ops("r1", "write", OpPhase::Invoke).empty());
        QCOMPARE(cluster.client("r1")->locksLost(), std::uint64_t(1));
        QCOMPARE(cluster.client("r1")->state(), RedlockState::Idle);
        const std::vector<ClientOp> unlocks = cluster.ops("r1", "unlock", OpPhase::Ok);
        QCOMPARE(unlocks.size(), std::size_t(1));
        QVERIFY(unlocks[0].value == (Json{{"servers", 5}, {"lost", true}, {"reason", "validity ran out"}}));
        QCOMPARE(unlocks[0].time, reads[0].time);  // at once
        for (const NodeId& id : kServers)
            QCOMPARE(cluster.client("r1")->releasesSent().at(id), std::uint64_t(1));
        QCOMPARE(cluster.storage()->lastSeq(), std::int64_t(1));  // the read only
    }

    // A pause while holding (Kleppmann's GC pause) that outlasts the validity: on resuming, the client
    // sees the validity is over before sending its write, skips it and releases.
    void aPausePastTheValidityLosesTheLockBeforeTheWrite() {
        RedlockClientConfig config = oneAttempt();
        config.ttlMs = 1000;
        config.holdMs = 200;
        RedlockCluster cluster(config);
        QVERIFY(cluster.lock("r1"));
        for (int i = 0; i < 500 && cluster.client("r1")->state() != RedlockState::Holding; ++i)
            cluster.run(millis(1));
        QCOMPARE(cluster.client("r1")->state(), RedlockState::Holding);
        QVERIFY(cluster.world.pause("r1", millis(1500)).ok());
        cluster.run(millis(2500));
        QVERIFY(cluster.ops("r1", "write", OpPhase::Invoke).empty());
        QCOMPARE(cluster.client("r1")->locksLost(), std::uint64_t(1));
        const std::vector<ClientOp> unlocks = cluster.ops("r1", "unlock", OpPhase::Ok);
        QCOMPARE(unlocks.size(), std::size_t(1));
        QCOMPARE(unlocks[0].value.value("reason", std::string()), std::string("validity ran out"));
        QVERIFY(unlocks[0].time >= cluster.client("r1")->leaseEnd());
    }

    // Work longer than the validity is cut short so that the write leaves while the lock still counts
    // (1 ms before the validity ends): the lock is not lost.
    void workLongerThanTheValidityEndsInTimeForTheWrite() {
        RedlockClientConfig config = oneAttempt();
        config.ttlMs = 300;
        config.holdMs = 10'000;
        RedlockCluster cluster(config);
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(1000));
        const std::vector<ClientOp> writes = cluster.ops("r1", "write", OpPhase::Invoke);
        QCOMPARE(writes.size(), std::size_t(1));
        QCOMPARE(writes[0].time, cluster.client("r1")->leaseEnd() - millis(1));
        QCOMPARE(cluster.ops("r1", "write", OpPhase::Ok).size(), std::size_t(1));
        QCOMPARE(cluster.client("r1")->locksLost(), std::uint64_t(0));
        QVERIFY(!cluster.ops("r1", "unlock", OpPhase::Ok).at(0).value.contains("lost"));
    }

    void withoutStorageItOnlyHolds() {
        RedlockClientConfig config = oneAttempt();
        config.storage.clear();
        config.holdMs = 200;
        RedlockCluster cluster(config);
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(1000));
        QCOMPARE(cluster.ops("r1", "lock", OpPhase::Ok).size(), std::size_t(1));
        QVERIFY(cluster.ops("r1", "read", OpPhase::Invoke).empty());
        QVERIFY(cluster.ops("r1", "write", OpPhase::Invoke).empty());
        QCOMPARE(cluster.ops("r1", "unlock", OpPhase::Ok).size(), std::size_t(1));
        QCOMPARE(cluster.storage()->lastSeq(), std::int64_t(0));
    }

    void clientLockOverridesTtlAndHold() {
        // redlock with ttl 10 s, hold 1 s: client_lock{ttl 2000, hold 100} -> every server's lease runs
        // 2 s, the validity is under 2 s, and the write follows the read 100 ms later
        RedlockCluster cluster(oneAttempt());
        QVERIFY(cluster.lock("r1", 2000, 100));
        for (int i = 0; i < 200 && cluster.client("r1")->state() != RedlockState::Holding; ++i)
            cluster.run(millis(1));
        QCOMPARE(cluster.client("r1")->state(), RedlockState::Holding);
        QCOMPARE(cluster.client("r1")->ttlMs(), std::int64_t(2000));
        QCOMPARE(cluster.client("r1")->holdMs(), std::int64_t(100));
        for (const NodeId& id : kServers) {
            const std::vector<ClientOp>& ops = cluster.world.trace().clientOps();
            SimTime granted = -1;
            for (const ClientOp& op : ops) {
                if (op.process == id && op.f == "holder" && op.phase == OpPhase::Invoke) granted = op.time;
            }
            QVERIFY(granted >= 0);
            QCOMPARE(cluster.server(id)->leases().at("R").expiresAt - granted, millis(2000));
        }
        QVERIFY(cluster.client("r1")->lastValidity() < millis(2000));
        cluster.run(millis(500));
        const SimTime readOk = cluster.ops("r1", "read", OpPhase::Ok).at(0).time;
        QCOMPARE(cluster.ops("r1", "write", OpPhase::Invoke).at(0).time - readOk, millis(100));
    }

    void clientUnlockWhileHoldingReleasesEverywhereWithoutWriting() {
        RedlockCluster cluster(oneAttempt());
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(200));
        QCOMPARE(cluster.client("r1")->state(), RedlockState::Holding);
        QVERIFY(cluster.unlock("r1"));
        cluster.run(millis(50));
        QCOMPARE(cluster.client("r1")->state(), RedlockState::Idle);
        QVERIFY(cluster.ops("r1", "write", OpPhase::Invoke).empty());
        QCOMPARE(cluster.ops("r1", "unlock", OpPhase::Ok).size(), std::size_t(1));
        for (const NodeId& id : kServers) {
            QVERIFY(cluster.server(id)->leases().empty());
            QCOMPARE(cluster.client("r1")->releasesSent().at(id), std::uint64_t(1));
        }
    }

    void clientUnlockWhileAcquiringFailsTheLockAndReleasesEverywhere() {
        RedlockCluster cluster(oneAttempt());
        LinkConfig slow;
        slow.latencyMin = millis(20);
        slow.latencyMax = millis(20);
        cluster.world.network().setDefaults(slow);
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(60));  // the round is at s2 or s3
        QCOMPARE(cluster.client("r1")->state(), RedlockState::Acquiring);
        QVERIFY(cluster.unlock("r1"));
        cluster.run(millis(500));
        QCOMPARE(cluster.client("r1")->state(), RedlockState::Idle);
        std::vector<ClientOp> fails = cluster.ops("r1", "lock", OpPhase::Fail);
        QCOMPARE(fails.size(), std::size_t(1));
        QCOMPARE(fails[0].value["error"].get<std::string>(), std::string("released by the user"));
        QVERIFY(cluster.ops("r1", "lock", OpPhase::Ok).empty());
        for (const NodeId& id : kServers) {
            QVERIFY(cluster.server(id)->leases().empty());
            QCOMPARE(cluster.client("r1")->releasesSent().at(id), std::uint64_t(1));
        }
    }

    void describeShowsGrantsAndValidity() {
        RedlockCluster cluster;
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(200));
        std::vector<std::pair<std::string, std::string>> rows;
        cluster.client("r1")->describe(rows);
        QCOMPARE(rows.at(0), (std::pair<std::string, std::string>("state", "holding")));
        QCOMPARE(rows.at(3), (std::pair<std::string, std::string>("grants", "5/5")));
        QCOMPARE(rows.at(4).first, std::string("validity"));
        QCOMPARE(rows.back(), (std::pair<std::string, std::string>("locks lost", "0")));
    }
};

QTEST_GUILESS_MAIN(TestRedlock)
#include "tst_redlock.moc"
