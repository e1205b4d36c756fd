// The lease lock client, story by story: two clients asked at once take turns (the second retries until
// the first releases, and gets the next fencing token), and a client paused past its lease (Kleppmann's
// GC pause) wakes up still believing it holds the lock and writes with its old token, which the storage
// rejects with fencing on and accepts, losing the other client's update, with fencing off.
#include <QTest>

#include "core/protocols/lock/lease/fenced_storage.h"
#include "core/protocols/lock/lease/lease_lock_client.h"
#include "core/protocols/lock/lease/lease_lock_server.h"
#include "core/sim/world.h"
#include "tests/core/lock/lease/lease_client_cluster.h"

using namespace distlab;
using namespace distlab::lock;
using namespace distlab::lock::testing;

namespace {


LeaseLockClientConfig pauseConfig() {
    LeaseLockClientConfig config;
    config.ttlMs = 500;
    config.holdMs = 300;
    return config;
}

}  // namespace

class TestLeaseLockClient : public QObject {
    Q_OBJECT

private slots:
    void twoClientsTakeTurns() {
        ClientCluster cluster({}, true);
        QVERIFY(cluster.lock("c1"));
        QVERIFY(cluster.lock("c2"));
        cluster.run(millis(5000));
        std::vector<ClientOp> locks1 = cluster.ops("c1", "lock", OpPhase::Ok);
        std::vector<ClientOp> locks2 = cluster.ops("c2", "lock", OpPhase::Ok);
        QCOMPARE(locks1.size(), std::size_t(1));
        QCOMPARE(locks2.size(), std::size_t(1));
        // Whoever came second waited for the first's release and got the next fencing token.
        const bool c1First = locks1[0].time < locks2[0].time;
        const ClientOp& first = c1First ? locks1[0] : locks2[0];
        const ClientOp& second = c1First ? locks2[0] : locks1[0];
        QCOMPARE(first.value["fencing_token"].get<std::int64_t>(), std::int64_t(1));
        QCOMPARE(second.value["fencing_token"].get<std::int64_t>(), std::int64_t(2));
        const std::string firstId = c1First ? "c1" : "c2";
        const std::string secondId = c1First ? "c2" : "c1";
        QVERIFY(cluster.client(secondId)->refusedAcquires() > 0);
        const std::vector<ClientOp> unlocks = cluster.ops(firstId, "unlock", OpPhase::Ok);
        QCOMPARE(unlocks.size(), std::size_t(1));
        QVERIFY(unlocks[0].value["released"].get<bool>());
        QVERIFY(unlocks[0].time <= second.time);  // the critical sections do not overlap
        QCOMPARE(cluster.ops("c1", "write", OpPhase::Ok).size(), std::size_t(1));
        QCOMPARE(cluster.ops("c2", "write", OpPhase::Ok).size(), std::size_t(1));
        QCOMPARE(cluster.storage()->writesAccepted(), std::uint64_t(2));
        QCOMPARE(cluster.client("c1")->state(), LeaseClientState::Idle);
        QCOMPARE(cluster.client("c2")->state(), LeaseClientState::Idle);
    }

    void tokensAreUniquePerAcquisition() {
        ClientCluster cluster({}, true);
        QVERIFY(cluster.lock("c1"));
        cluster.run(millis(1000));
        const std::string first = cluster.client("c1")->token();
        QVERIFY(cluster.lock("c1"));
        cluster.run(millis(1000));
        QVERIFY(cluster.client("c1")->token() != first);
        QCOMPARE(cluster.ops("c1", "lock", OpPhase::Ok).size(), std::size_t(2));
    }

    void pausedPastItsLeaseWritesWithAStaleToken_data() {
        QTest::addColumn<bool>("fencing");
        QTest::newRow("fencing on -> stale write rejected") << true;
        QTest::newRow("fencing off -> stale write accepted, c2's update lost") << false;
    }
    void pausedPastItsLeaseWritesWithAStaleToken() {
        QFETCH(bool, fencing);
        ClientCluster cluster(pauseConfig(), fencing);
        QVERIFY(cluster.lock("c1"));
        cluster.run(millis(50));
        QVERIFY(cluster.client("c1")->believesItHolds());
        // The GC pause: c1 is frozen in the middle of its work, well past its 500 ms lease.
        QVERIFY(cluster.world.pause("c1", millis(1500)).ok());
        QVERIFY(cluster.lock("c2"));
        cluster.run(millis(1300));
        // c2 got the lock once the lease expired on the server, wrote and released; c1 still sleeps.
        std::vector<ClientOp> locks2 = cluster.ops("c2", "lock", OpPhase::Ok);
        QCOMPARE(locks2.size(), std::size_t(1));
        QCOMPARE(locks2[0].value["fencing_token"].get<std::int64_t>(), std::int64_t(2));
        QCOMPARE(cluster.ops("c2", "write", OpPhase::Ok).size(), std::size_t(1));
        QVERIFY(cluster.client("c1")->believesItHolds());
        cluster.run(millis(1000));
        // c1 resumed: its hold timer fired as if nothing happened, and it wrote with token 1.
        std::vector<ClientOp> invokes = cluster.ops("c1", "write", OpPhase::Invoke);
        QCOMPARE(invokes.size(), std::size_t(1));
        QCOMPARE(invokes[0].value["fencing_token"].get<std::int64_t>(), std::int64_t(1));
        QVERIFY(invokes[0].time > locks2[0].time);
        if (fencing) {
            QCOMPARE(cluster.ops("c1", "write", OpPhase::Fail).size(), std::size_t(1));
            QCOMPARE(cluster.storage()->writesRejected(), std::uint64_t(1));
            QCOMPARE(cluster.storage()->values().at("R").fencingToken, std::int64_t(2));
        } else {
            QCOMPARE(cluster.ops("c1", "write", OpPhase::Ok).size(), std::size_t(1));
            QCOMPARE(cluster.storage()->values().at("R").fencingToken, std::int64_t(1));
            QCOMPARE(cluster.storage()->values().at("R").value, cluster.client("c1")->token());
        }
        // Its release finds c2's lease gone and someone else's token: a no-op.
        std::vector<ClientOp> unlocks = cluster.ops("c1", "unlock", OpPhase::Ok);
        QCOMPARE(unlocks.size(), std::size_t(1));
        QVERIFY(!unlocks[0].value["released"].get<bool>());
    }

    void describeShowsTheGrant() {
        ClientCluster cluster({}, true);
        QVERIFY(cluster.lock("c1"));
        cluster.run(millis(50));
        std::vector<std::pair<std::string, std::string>> rows;
        cluster.client("c1")->describe(rows);
        QCOMPARE(rows.at(0), (std::pair<std::string, std::string>("state", "holding")));
        QCOMPARE(rows.at(3), (std::pair<std::string, std::string>("fencing token", "1")));
    }
};

QTEST_GUILESS_MAIN(TestLeaseLockClient)
#include "tst_lease_lock_client.moc"
