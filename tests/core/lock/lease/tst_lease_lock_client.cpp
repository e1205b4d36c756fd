// The lease lock client, story by story: two clients asked at once take turns (the second retries until
// the first releases, and gets the next fencing token), each running a read-modify-write under its
// token; a client paused past its lease (Kleppmann's GC pause) wakes up still believing it holds the lock
// and writes with its old token, which the storage rejects with fencing on and accepts, losing the other
// client's update, with fencing off; a client whose read is refused knows it lost the lock and writes
// nothing; client_lock's ttl and hold override the defaults; client_unlock works in every state.
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
        QCOMPARE(cluster.storage()->readsAccepted(), std::uint64_t(2));
        QCOMPARE(cluster.storage()->lastSeq(), std::int64_t(4));
        // Read-modify-write: the second read the first's value and appended its own token.
        const std::string firstToken = cluster.client(firstId)->token();
        const std::string secondToken = cluster.client(secondId)->token();
        QCOMPARE(cluster.storage()->values().at("R").value, firstToken + " " + secondToken);
        const std::vector<ClientOp> reads = cluster.ops(secondId, "read", OpPhase::Ok);
        QCOMPARE(reads.size(), std::size_t(1));
        QVERIFY(reads[0].value["exists"].get<bool>());
        QCOMPARE(reads[0].value["seq"].get<std::int64_t>(), std::int64_t(3));
        QCOMPARE(reads[0].value["fencing_token"].get<std::int64_t>(), std::int64_t(2));
        const std::vector<ClientOp> writes = cluster.ops(secondId, "write", OpPhase::Ok);
        QCOMPARE(writes[0].value["seq"].get<std::int64_t>(), std::int64_t(4));
        QCOMPARE(writes[0].value["fencing_token"].get<std::int64_t>(), std::int64_t(2));
        QCOMPARE(cluster.ops(firstId, "read", OpPhase::Ok).at(0).value["exists"].get<bool>(), false);
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
        // c1 had read before its pause (seq 1); c2 read (seq 2) and wrote (seq 3) meanwhile.
        QCOMPARE(cluster.ops("c1", "read", OpPhase::Ok).at(0).value["seq"].get<std::int64_t>(),
                 std::int64_t(1));
        QCOMPARE(cluster.ops("c2", "write", OpPhase::Ok).at(0).value["seq"].get<std::int64_t>(),
                 std::int64_t(3));
        const std::string c2Entry = cluster.client("c2")->token();
        if (fencing) {
            QCOMPARE(cluster.ops("c1", "write", OpPhase::Fail).size(), std::size_t(1));
            QCOMPARE(cluster.storage()->writesRejected(), std::uint64_t(1));
            QCOMPARE(cluster.storage()->values().at("R").fencingToken, std::int64_t(2));
            QCOMPARE(cluster.storage()->values().at("R").value, c2Entry);
        } else {
            std::vector<ClientOp> writes = cluster.ops("c1", "write", OpPhase::Ok);
            QCOMPARE(writes.size(), std::size_t(1));
            QCOMPARE(writes[0].value["seq"].get<std::int64_t>(), std::int64_t(4));
            QCOMPARE(cluster.storage()->values().at("R").fencingToken, std::int64_t(1));
            // c1 modified what it had read before c2's write: c2's entry is gone, a lost update.
            QCOMPARE(cluster.storage()->values().at("R").value, cluster.client("c1")->token());
        }
        // Its release finds c2's lease gone and someone else's token: a no-op.
        std::vector<ClientOp> unlocks = cluster.ops("c1", "unlock", OpPhase::Ok);
        QCOMPARE(unlocks.size(), std::size_t(1));
        QVERIFY(!unlocks[0].value["released"].get<bool>());
    }

    void readDelayedPastItsLeaseIsRefused() {
        // lease client, fencing on: c1's read crawls to the storage (400 ms) and its 200 ms lease runs out
        // meanwhile; c2 takes the lock and reads with token 2 first -> c1's read with token 1 is refused,
        // c1 knows it lost the lock, writes nothing and its release is a no-op; c2's write is the only one
        ClientCluster cluster(pauseConfig(), true);
        cluster.slowLink("c1", "disk", millis(400));
        QVERIFY(cluster.lock("c1", 200));
        cluster.run(millis(250));
        QVERIFY(cluster.client("c1")->believesItHolds());
        QVERIFY(cluster.lock("c2"));
        cluster.run(millis(1500));
        QCOMPARE(cluster.ops("c2", "write", OpPhase::Ok).size(), std::size_t(1));
        QCOMPARE(cluster.ops("c1", "read", OpPhase::Fail).size(), std::size_t(1));
        QCOMPARE(cluster.client("c1")->locksLost(), std::uint64_t(1));
        QVERIFY(cluster.ops("c1", "write", OpPhase::Invoke).empty());
        std::vector<ClientOp> unlocks = cluster.ops("c1", "unlock", OpPhase::Ok);
        QCOMPARE(unlocks.size(), std::size_t(1));
        QVERIFY(!unlocks[0].value["released"].get<bool>());
        QCOMPARE(cluster.storage()->values().at("R").value, cluster.client("c2")->token());
    }

    void refusedReadMeansTheLockIsLost() {
        // lease client, fencing on: the storage has already seen token 5 (another lock's holder) -> c1's
        // read under token 1 is refused with error 22: c1 records the read as failed, counts the lock as
        // lost, writes nothing and releases its lease
        ClientCluster cluster({}, true);
        QVERIFY(cluster.world.sendFrom("ctl", "disk", makeBody(StorageWrite{"other", "x", 5})).ok());
        cluster.run(millis(50));
        QVERIFY(cluster.lock("c1"));
        cluster.run(millis(1000));
        const std::vector<ClientOp> fails = cluster.ops("c1", "read", OpPhase::Fail);
        QCOMPARE(fails.size(), std::size_t(1));
        QCOMPARE(fails[0].value["fencing_token"].get<std::int64_t>(), std::int64_t(1));
        const std::string error = fails[0].value["error"].get<std::string>();
        QVERIFY2(error.find("fencing token 1 is older than 5") != std::string::npos, error.c_str());
        QCOMPARE(cluster.client("c1")->locksLost(), std::uint64_t(1));
        QVERIFY(cluster.ops("c1", "write", OpPhase::Invoke).empty());
        QCOMPARE(cluster.storage()->readsRejected(), std::uint64_t(1));
        std::vector<ClientOp> unlocks = cluster.ops("c1", "unlock", OpPhase::Ok);
        QCOMPARE(unlocks.size(), std::size_t(1));
        QVERIFY(unlocks[0].value["released"].get<bool>());
        QVERIFY(cluster.server()->leases().empty());
        QCOMPARE(cluster.client("c1")->state(), LeaseClientState::Idle);
    }

    void clientLockOverridesTtlAndHold() {
        // lease client with defaults ttl 1000 ms, hold 300 ms: client_lock{ttl 200, hold 50} -> the lease on
        // the server runs 200 ms and the write follows the read 50 ms later; the next client_lock without
        // overrides is back to the defaults
        ClientCluster cluster({}, true);
        QVERIFY(cluster.lock("c1", 200, 50));
        QVERIFY(cluster.runUntilState("c1", LeaseClientState::Holding));
        QCOMPARE(cluster.client("c1")->ttlMs(), std::int64_t(200));
        QCOMPARE(cluster.client("c1")->holdMs(), std::int64_t(50));
        const Lease& lease = cluster.server()->leases().at("R");
        const SimTime granted = cluster.ops("lock", "holder", OpPhase::Invoke).at(0).time;
        QCOMPARE(lease.expiresAt - granted, millis(200));
        cluster.run(millis(500));
        const SimTime readOk = cluster.ops("c1", "read", OpPhase::Ok).at(0).time;
        const SimTime writeInvoke = cluster.ops("c1", "write", OpPhase::Invoke).at(0).time;
        QCOMPARE(writeInvoke - readOk, millis(50));
        QVERIFY(cluster.lock("c1"));
        cluster.run(millis(20));
        QCOMPARE(cluster.client("c1")->ttlMs(), std::int64_t(1000));
        QCOMPARE(cluster.client("c1")->holdMs(), std::int64_t(300));
        // hold 0 is a valid override: write right after the read.
        cluster.run(millis(1000));
        QVERIFY(cluster.lock("c1", 0, 0));
        cluster.run(millis(300));
        const std::vector<ClientOp> reads = cluster.ops("c1", "read", OpPhase::Ok);
        const std::vector<ClientOp> writes = cluster.ops("c1", "write", OpPhase::Invoke);
        QCOMPARE(writes.back().time, reads.back().time);
    }

    void clientUnlockWhileWaitingFailsTheLockOp() {
        // lease client: c1 holds R, c2 is refused and waits to retry; client_unlock to c2 -> c2 stops, its
        // lock op fails "released by the user", and it never gets the lock
        ClientCluster cluster({}, true);
        QVERIFY(cluster.lock("c1", 0, 2000));
        cluster.run(millis(50));
        QVERIFY(cluster.lock("c2"));
        QVERIFY(cluster.runUntilState("c2", LeaseClientState::Waiting));
        QVERIFY(cluster.unlock("c2"));
        cluster.run(millis(20));
        QCOMPARE(cluster.client("c2")->state(), LeaseClientState::Idle);
        std::vector<ClientOp> fails = cluster.ops("c2", "lock", OpPhase::Fail);
        QCOMPARE(fails.size(), std::size_t(1));
        QCOMPARE(fails[0].value["error"].get<std::string>(), std::string("released by the user"));
        cluster.run(millis(3000));
        QVERIFY(cluster.ops("c2", "lock", OpPhase::Ok).empty());
    }

    void clientUnlockWhileAcquiringFreesALateGrant() {
        // lease client: c1's acquire is on a slow link when client_unlock arrives -> the lock op fails, and
        // the release sent behind the acquire frees the grant at once, so c2 can take the lock
        ClientCluster cluster({}, true);
        cluster.slowLink("c1", "lock", millis(100));
        QVERIFY(cluster.lock("c1"));
        cluster.run(millis(20));
        QCOMPARE(cluster.client("c1")->state(), LeaseClientState::Acquiring);
        QVERIFY(cluster.unlock("c1"));
        cluster.run(millis(20));
        QCOMPARE(cluster.client("c1")->state(), LeaseClientState::Idle);
        QCOMPARE(cluster.ops("c1", "lock", OpPhase::Fail).size(), std::size_t(1));
        cluster.run(millis(200));
        QVERIFY(cluster.server()->leases().empty());
        const std::vector<ClientOp> ended = cluster.ops("lock", "holder", OpPhase::Ok);
        QCOMPARE(ended.size(), std::size_t(1));
        QCOMPARE(ended[0].value["reason"].get<std::string>(), std::string("released"));
        QVERIFY(cluster.lock("c2"));
        cluster.run(millis(50));
        QCOMPARE(cluster.ops("c2", "lock", OpPhase::Ok).size(), std::size_t(1));
    }

    void clientUnlockWhileReadingOrHoldingReleasesWithoutWriting_data() {
        QTest::addColumn<int>("state");
        QTest::newRow("reading") << int(LeaseClientState::Reading);
        QTest::newRow("holding") << int(LeaseClientState::Holding);
    }
    void clientUnlockWhileReadingOrHoldingReleasesWithoutWriting() {
        // lease client: client_unlock while the read is in flight, or during the work -> no write, the
        // lease is released at once (released = true), the lock op itself stays ok
        QFETCH(int, state);
        ClientCluster cluster({}, true);
        cluster.slowLink("disk", "c1", millis(100));  // hold the read's answer back
        QVERIFY(cluster.lock("c1"));
        QVERIFY(cluster.runUntilState("c1", LeaseClientState(state)));
        QVERIFY(cluster.unlock("c1"));
        cluster.run(millis(1000));
        QCOMPARE(cluster.client("c1")->state(), LeaseClientState::Idle);
        QVERIFY(cluster.ops("c1", "write", OpPhase::Invoke).empty());
        QCOMPARE(cluster.storage()->writesAccepted(), std::uint64_t(0));
        QCOMPARE(cluster.ops("c1", "lock", OpPhase::Ok).size(), std::size_t(1));
        std::vector<ClientOp> unlocks = cluster.ops("c1", "unlock", OpPhase::Ok);
        QCOMPARE(unlocks.size(), std::size_t(1));
        QVERIFY(unlocks[0].value["released"].get<bool>());
        // Released well before the 300 ms of work would have ended.
        const SimTime granted = cluster.ops("c1", "lock", OpPhase::Ok).at(0).time;
        QVERIFY(unlocks[0].time - granted < millis(300));
        if (LeaseClientState(state) == LeaseClientState::Reading) {
            std::vector<ClientOp> reads = cluster.ops("c1", "read", OpPhase::Unknown);
            QCOMPARE(reads.size(), std::size_t(1));
            QCOMPARE(reads[0].value["error"].get<std::string>(), std::string("released by the user"));
        }
    }

    void clientUnlockWhileWritingReleasesAfterTheWrite() {
        // lease client: client_unlock while the write is in flight -> the write completes (ok), then the
        // release follows its answer
        ClientCluster cluster({}, true);
        cluster.slowLink("disk", "c1", millis(100));
        QVERIFY(cluster.lock("c1"));
        QVERIFY(cluster.runUntilState("c1", LeaseClientState::Writing));
        QVERIFY(cluster.unlock("c1"));
        cluster.run(millis(30));
        QCOMPARE(cluster.client("c1")->state(), LeaseClientState::Writing);
        cluster.run(millis(1000));
        const std::vector<ClientOp> writes = cluster.ops("c1", "write", OpPhase::Ok);
        QCOMPARE(writes.size(), std::size_t(1));
        std::vector<ClientOp> unlocks = cluster.ops("c1", "unlock", OpPhase::Invoke);
        QCOMPARE(unlocks.size(), std::size_t(1));
        QVERIFY(unlocks[0].time >= writes[0].time);
        QCOMPARE(cluster.client("c1")->state(), LeaseClientState::Idle);
    }

    void clientUnlockWhenIdleIsIgnored() {
        ClientCluster cluster({}, true);
        QVERIFY(cluster.unlock("c1"));
        cluster.run(millis(50));
        QCOMPARE(cluster.client("c1")->state(), LeaseClientState::Idle);
        QVERIFY(cluster.world.trace().clientOps().empty());
    }

    void storageEntryKeepsTheTail() {
        QCOMPARE(appendStorageEntry("", "c1-1"), std::string("c1-1"));
        QCOMPARE(appendStorageEntry("c1-1", "c2-1"), std::string("c1-1 c2-1"));
        std::string log;
        for (int i = 0; i < 400; ++i)
            log = appendStorageEntry(log, "c" + std::to_string(i % 3) + "-" + std::to_string(i));
        QVERIFY(log.size() <= kStorageValueBytesMax);
        QVERIFY(log.ends_with(" c0-399"));
        // Whole entries only: the oldest kept is one that was appended, not a cut-off tail of one.
        const std::string oldest = log.substr(0, log.find(' '));
        const int k = std::stoi(oldest.substr(oldest.find('-') + 1));
        QCOMPARE(oldest, "c" + std::to_string(k % 3) + "-" + std::to_string(k));
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
