// Redlock over five lease lock servers, story by story: it gets the lock with 5/5 and with 3/5 servers
// up, fails with 2/5 and then releases on every server, never reports success once the round took longer
// than the TTL (slow network), and -- the unsafe case from Kleppmann 2016 -- a clock jump on 2 of the 5
// servers lets a second client take a majority while the first still believes it holds the lock.
#include <QTest>

#include "core/protocols/lock/lease/lease_lock_server.h"
#include "core/protocols/lock/lease/redlock_client.h"
#include "core/sim/world.h"

using namespace distlab;
using namespace distlab::lock;

namespace {

constexpr std::uint64_t kEventsMax = 1'000'000;
const std::vector<NodeId> kServers = {"s1", "s2", "s3", "s4", "s5"};

class Probe : public Node {
public:
    void onStart(Context&) override {}
    void onMessage(Context&, const Envelope&) override {}
    void onTimer(Context&, TimerId, const std::string&) override {}
};

// Lock servers s1..s5, the lab's control node "ctl" and Redlock clients r1, r2.
class RedlockCluster {
public:
    explicit RedlockCluster(RedlockClientConfig config = {}, std::uint64_t seed = 1) : world(seed) {
        for (const NodeId& id : kServers) {
            if (!world.addNode(id, [] { return std::make_unique<LeaseLockServer>(); }).ok())
                QFAIL("cannot add a lock server");
        }
        if (!world.addNode("ctl", [] { return std::make_unique<Probe>(); }).ok()) QFAIL("cannot add ctl");
        for (const char* id : {"r1", "r2"}) {
            if (!world.addNode(id, [config] { return std::make_unique<RedlockClient>(config); }).ok())
                QFAIL("cannot add a client");
        }
        run(millis(1));
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    bool lock(const std::string& client) {
        return world.sendFrom("ctl", client, makeBody(ClientLock{"R"})).ok();
    }
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

    void describeShowsGrantsAndValidity() {
        RedlockCluster cluster;
        QVERIFY(cluster.lock("r1"));
        cluster.run(millis(200));
        std::vector<std::pair<std::string, std::string>> rows;
        cluster.client("r1")->describe(rows);
        QCOMPARE(rows.at(0), (std::pair<std::string, std::string>("state", "holding")));
        QCOMPARE(rows.at(3), (std::pair<std::string, std::string>("grants", "5/5")));
        QCOMPARE(rows.at(4).first, std::string("validity"));
    }
};

QTEST_GUILESS_MAIN(TestRedlock)
#include "tst_redlock.moc"
