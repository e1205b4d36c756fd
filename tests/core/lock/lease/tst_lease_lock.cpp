// The Redis-style lease lock, story by story: its messages survive the wire, the first client gets the
// lock, a second is refused while the lease runs, a stranger's release and extend change nothing, an
// expired lease passes to another client with a higher fencing token, a restart keeps or loses the
// lock table as persistence says, a clock jump on the server ends a lease early, the server records who
// really held each lease and when it ended, and the fenced storage numbers every access, turns away the
// paused client's stale read or write unless fencing is off, and answers a read of a missing key.
#include <QTest>

#include <sstream>

#include "core/protocols/lock/lease/fenced_storage.h"
#include "core/protocols/lock/lease/lease_lock_server.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"
#include "tests/support/wire_checks.h"

using namespace distlab;
using namespace distlab::lock;

namespace {

constexpr std::uint64_t kEventsMax = 1'000'000;

template <class T>
bool roundTrips(const Body& body) {
    Envelope envelope{"c1", "lock", body};
    envelope.body.msgId = 42;
    envelope.body.inReplyTo = 7;
    Result<Envelope> decoded = decodeEnvelope(encodeEnvelope(envelope));
    if (!decoded) return false;
    if (decoded->body.type != T::kType || decoded->body.msgId != 42 || decoded->body.inReplyTo != 7)
        return false;
    Result<T> original = bodyAs<T>(body);
    Result<T> typed = bodyAs<T>(decoded->body);
    return original && typed && Json(original.value()) == Json(typed.value()) &&
           decoded->body.fields == body.fields;
}

bool roundTripsAny(const Body& body) {
    const std::string& t = body.type;
    if (t == LockAcquire::kType) return roundTrips<LockAcquire>(body);
    if (t == LockAcquireOk::kType) return roundTrips<LockAcquireOk>(body);
    if (t == LockRelease::kType) return roundTrips<LockRelease>(body);
    if (t == LockReleaseOk::kType) return roundTrips<LockReleaseOk>(body);
    if (t == LockExtend::kType) return roundTrips<LockExtend>(body);
    if (t == LockExtendOk::kType) return roundTrips<LockExtendOk>(body);
    if (t == ClockSet::kType) return roundTrips<ClockSet>(body);
    if (t == ClockSetOk::kType) return roundTrips<ClockSetOk>(body);
    if (t == StorageWrite::kType) return roundTrips<StorageWrite>(body);
    if (t == StorageWriteOk::kType) return roundTrips<StorageWriteOk>(body);
    if (t == StorageRead::kType) return roundTrips<StorageRead>(body);
    if (t == StorageReadOk::kType) return roundTrips<StorageReadOk>(body);
    if (t == FencingSet::kType) return roundTrips<FencingSet>(body);
    if (t == FencingSetOk::kType) return roundTrips<FencingSetOk>(body);
    if (t == ClientLock::kType) return roundTrips<ClientLock>(body);
    if (t == ClientUnlock::kType) return roundTrips<ClientUnlock>(body);
    return false;
}

// One lock server "lock", the storage it protects "disk", and clients c1, c2 on a quiet network.
class LockCluster {
public:
    explicit LockCluster(LeaseLockConfig config = {}, std::uint64_t seed = 1,
                         FencedStorageConfig storageConfig = {})
        : world(seed) {
        if (!world.addNode("lock", [config] { return std::make_unique<LeaseLockServer>(config); }).ok())
            QFAIL("cannot add the lock server");
        if (!world.addNode("disk", [storageConfig] { return std::make_unique<FencedStorage>(storageConfig); })
                 .ok())
            QFAIL("cannot add the storage");
        for (const char* id : {"c1", "c2"}) {
            if (!support::addProbe(world, id)) QFAIL("cannot add a client");
        }
        run(millis(1));
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }

    // Sends a request from a client to the server and returns the answer, after letting the network
    // deliver both ways.
    Body ask(const std::string& client, Body request, const std::string& server = "lock") {
        Result<std::int64_t> msgId = world.sendFrom(client, server, std::move(request));
        if (!msgId) return Body{"send-failed", 0, {}, {}};
        run(millis(100));
        return probe(client)->answerTo(msgId.value());
    }

    std::optional<std::int64_t> acquire(const std::string& client, const std::string& token,
                                        std::int64_t ttlMs, const std::string& resource = "R") {
        Body answer = ask(client, makeBody(LockAcquire{resource, token, ttlMs}));
        Result<LockAcquireOk> ok = bodyAs<LockAcquireOk>(answer);
        if (!ok) return std::nullopt;
        return ok->fencing_token;
    }
    // The error code of a refused acquire, or -1 when it was not refused with an error.
    int acquireError(const std::string& client, const std::string& token, std::int64_t ttlMs) {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(ask(client, makeBody(LockAcquire{"R", token, ttlMs})));
        return error ? error->code : -1;
    }
    bool release(const std::string& client, const std::string& token) {
        Result<LockReleaseOk> ok = bodyAs<LockReleaseOk>(ask(client, makeBody(LockRelease{"R", token})));
        if (!ok) QTest::qFail("lock_release got no lock_release_ok", __FILE__, __LINE__);
        return ok && ok->released;
    }
    bool extend(const std::string& client, const std::string& token, std::int64_t ttlMs) {
        Result<LockExtendOk> ok = bodyAs<LockExtendOk>(ask(client, makeBody(LockExtend{"R", token, ttlMs})));
        if (!ok) QTest::qFail("lock_extend got no lock_extend_ok", __FILE__, __LINE__);
        return ok && ok->extended;
    }

    // The error code of a refused write, or -1 when the storage accepted it (or did not answer).
    int writeError(const std::string& client, const std::string& value, std::int64_t fencingToken) {
        Body answer = ask(client, makeBody(StorageWrite{"x", value, fencingToken}), "disk");
        if (Result<ErrorMsg> error = bodyAs<ErrorMsg>(answer)) return error->code;
        if (!bodyAs<StorageWriteOk>(answer)) QTest::qFail("storage_write got no answer", __FILE__, __LINE__);
        return -1;
    }
    // What the storage holds for x (from the node, not a read: a read is an access the fencing check judges).
    std::string storedValue() {
        auto it = storage()->values().find("x");
        return it != storage()->values().end() ? it->second.value : std::string("<none>");
    }
    // The storage's answer to a read of key under fencingToken.
    Body read(const std::string& client, const std::string& key, std::int64_t fencingToken) {
        return ask(client, makeBody(StorageRead{key, fencingToken}), "disk");
    }
    // The seq of an accepted write of x, or -1 when it was refused.
    std::int64_t writeSeq(const std::string& client, const std::string& value, std::int64_t fencingToken) {
        Result<StorageWriteOk> ok =
            bodyAs<StorageWriteOk>(ask(client, makeBody(StorageWrite{"x", value, fencingToken}), "disk"));
        return ok ? ok->seq : -1;
    }
    // The lock server's "holder" ops in the given phase.
    std::vector<ClientOp> holderOps(OpPhase phase) const {
        std::vector<ClientOp> out;
        for (const ClientOp& op : world.trace().clientOps()) {
            if (op.process == "lock" && op.f == "holder" && op.phase == phase) out.push_back(op);
        }
        return out;
    }
    FencedStorage* storage() { return dynamic_cast<FencedStorage*>(world.node(*world.indexOf("disk"))); }

    LeaseLockServer* server(const std::string& id = "lock") {
        return dynamic_cast<LeaseLockServer*>(world.node(*world.indexOf(id)));
    }
    support::Probe* probe(const std::string& id) { return support::findProbe(world, id); }

    std::vector<std::string> states(const std::string& node = "lock") const {
        std::vector<std::string> out;
        const Trace& trace = world.trace();
        const std::uint32_t name = trace.find(node);
        for (const TraceEvent& event : trace.events()) {
            if (event.kind == TraceKind::State && event.node == name) out.push_back(trace.name(event.text));
        }
        return out;
    }

    World world;
};

}  // namespace

class TestLeaseLock : public QObject {
    Q_OBJECT

private slots:
    // --- messages ---

    void messagesRoundTrip_data() {
        QTest::addColumn<int>("index");
        const std::vector<Body> samples = leaseSampleMessages();
        for (std::size_t i = 0; i < samples.size(); ++i) QTest::newRow(samples[i].type.c_str()) << int(i);
    }
    void messagesRoundTrip() {
        QFETCH(int, index);
        QVERIFY(roundTripsAny(leaseSampleMessages().at(std::size_t(index))));
    }

    void samplesCoverEveryTypeOnce() {
        wire::checkSamplesCoverTypes(leaseSampleMessages(), leaseMessageTypes(), "");
    }

    void wireNamesAreSnakeCase() {
        const Json fields = makeBody(LockAcquire{"R", "t", 30}).fields;
        QVERIFY(fields == (Json{{"resource", "R"}, {"token", "t"}, {"ttl_ms", 30}}));
        QVERIFY(makeBody(LockAcquireOk{"R", 4}).fields == (Json{{"resource", "R"}, {"fencing_token", 4}}));
    }

    void malformedBodiesAreErrorsNotExceptions() {
        Body body = makeBody(LockAcquire{"R", "t", 30});
        body.fields["ttl_ms"] = "soon";
        Result<LockAcquire> typed = bodyAs<LockAcquire>(body);
        QVERIFY(!typed.ok());
        QVERIFY(typed.error().message.find("lock_acquire") != std::string::npos);
        QVERIFY(!bodyAs<LockRelease>(makeBody(LockAcquire{"R", "t", 30})).ok());
    }

    // --- the clock ---

    void clockDriftsAndJumps() {
        LeaseClock clock;
        QCOMPARE(clock.at(millis(500)), millis(500));
        clock.set(millis(1000), 100'000, 0);  // 10% fast from t = 1 s
        QCOMPARE(clock.at(millis(2000)), millis(2100));
        QCOMPARE(clock.delayUntil(millis(2000), millis(2210)), millis(100));
        clock.set(millis(2000), 0, millis(5000));  // continuous, then a 5 s step forward
        QCOMPARE(clock.at(millis(2000)), millis(7100));
        QCOMPARE(clock.delayUntil(millis(2000), millis(1000)), SimTime(0));
    }

    // --- the server, story by story ---

    void firstClientGetsTheLock() {
        LockCluster cluster;
        std::optional<std::int64_t> fencing = cluster.acquire("c1", "c1-a", 1000);
        QVERIFY(fencing.has_value());
        QCOMPARE(*fencing, std::int64_t(1));
        QCOMPARE(cluster.server()->leases().at("R").holder, std::string("c1"));
        QVERIFY(cluster.states().back().starts_with("c1 holds R until "));
    }

    void secondAcquireIsRefusedWhileTheLeaseRuns() {
        LockCluster cluster;
        QVERIFY(cluster.acquire("c1", "c1-a", 1000));
        QCOMPARE(cluster.acquireError("c2", "c2-a", 1000), int(ErrorCode::PreconditionFailed));
        // NX: not even the holder's own token is granted twice.
        QCOMPARE(cluster.acquireError("c1", "c1-a", 1000), int(ErrorCode::PreconditionFailed));
        QCOMPARE(cluster.server()->refusedAcquires(), std::uint64_t(2));
        QCOMPARE(cluster.server()->leases().at("R").token, std::string("c1-a"));
    }

    void releaseByNonOwnerIsANoOp() {
        LockCluster cluster;
        QVERIFY(cluster.acquire("c1", "c1-a", 1000));
        QVERIFY(!cluster.release("c2", "c2-a"));
        QCOMPARE(cluster.server()->leases().at("R").token, std::string("c1-a"));
        QCOMPARE(cluster.acquireError("c2", "c2-b", 1000), int(ErrorCode::PreconditionFailed));
        // The owner's release frees it, once; a second release is again a no-op.
        QVERIFY(cluster.release("c1", "c1-a"));
        QCOMPARE(cluster.states().back(), std::string("R free"));
        QVERIFY(!cluster.release("c1", "c1-a"));
        QVERIFY(cluster.acquire("c2", "c2-c", 1000));
    }

    void expiredLeaseGoesToAnotherClientWithAHigherFencingToken() {
        LockCluster cluster;
        std::optional<std::int64_t> first = cluster.acquire("c1", "c1-a", 500);
        QVERIFY(first);
        cluster.run(millis(600));                     // c1 never releases: think of a long GC pause
        QVERIFY(cluster.server()->leases().empty());  // the expiry timer freed it
        QVERIFY(cluster.states().back() == "R free");
        std::optional<std::int64_t> second = cluster.acquire("c2", "c2-a", 500);
        QVERIFY(second);
        QVERIFY(*second > *first);
        // c1 wakes up: its release must not free c2's lock, and its extend must not revive its own.
        QVERIFY(!cluster.release("c1", "c1-a"));
        QVERIFY(!cluster.extend("c1", "c1-a", 5000));
        QCOMPARE(cluster.server()->leases().at("R").holder, std::string("c2"));
    }

    void extendByHolderRenewsByAnotherDoesNot() {
        LockCluster cluster;
        QVERIFY(cluster.acquire("c1", "c1-a", 500));
        cluster.run(millis(300));
        QVERIFY(!cluster.extend("c2", "c2-a", 5000));
        QVERIFY(cluster.extend("c1", "c1-a", 1000));
        cluster.run(millis(600));  // past the original 500 ms, inside the renewed lease
        QCOMPARE(cluster.acquireError("c2", "c2-b", 1000), int(ErrorCode::PreconditionFailed));
        cluster.run(millis(500));  // past the renewed lease
        QVERIFY(cluster.acquire("c2", "c2-c", 1000));
    }

    void restartWithoutPersistenceLosesTheLock() {
        LeaseLockConfig config;
        config.persistence = false;
        LockCluster cluster(config);
        std::optional<std::int64_t> first = cluster.acquire("c1", "c1-a", 10'000);
        QVERIFY(first);
        QVERIFY(cluster.world.crash("lock").ok());
        QVERIFY(cluster.world.restart("lock").ok());
        cluster.run(millis(10));
        // Well inside c1's lease, c2 gets the same lock: two clients now believe they hold R. The
        // fencing counter was lost too, so the token does not even tell them apart.
        std::optional<std::int64_t> second = cluster.acquire("c2", "c2-a", 10'000);
        QVERIFY(second);
        QCOMPARE(*second, *first);
    }

    void restartWithPersistenceKeepsTheLock() {
        LockCluster cluster;
        std::optional<std::int64_t> first = cluster.acquire("c1", "c1-a", 2000);
        QVERIFY(first);
        QVERIFY(cluster.world.crash("lock").ok());
        QVERIFY(cluster.world.restart("lock").ok());
        cluster.run(millis(10));
        QCOMPARE(cluster.server()->leases().at("R").token, std::string("c1-a"));
        QCOMPARE(cluster.acquireError("c2", "c2-a", 1000), int(ErrorCode::PreconditionFailed));
        // The restarted process still ends the lease on time, and the counter carries on.
        cluster.run(millis(2000));
        QVERIFY(cluster.server()->leases().empty());
        std::optional<std::int64_t> second = cluster.acquire("c2", "c2-b", 1000);
        QVERIFY(second);
        QCOMPARE(*second, *first + 1);
    }

    void clockJumpForwardOnTheServerExpiresALeaseEarly() {
        LockCluster cluster;
        std::optional<std::int64_t> first = cluster.acquire("c1", "c1-a", 10'000);
        QVERIFY(first);
        Result<ClockSetOk> set = bodyAs<ClockSetOk>(cluster.ask("c2", makeBody(ClockSet{0, 15'000})));
        QVERIFY(set);
        // c1 asked for 10 s about 0.1 s ago, but on the server's clock the lease is over.
        QVERIFY(cluster.server()->leases().empty());
        std::optional<std::int64_t> second = cluster.acquire("c2", "c2-a", 10'000);
        QVERIFY(second);
        QVERIFY(*second > *first);
    }

    void fastClockExpiresEarlyAndSlowClockLate() {
        LockCluster fast;
        QVERIFY(bodyAs<ClockSetOk>(fast.ask("c2", makeBody(ClockSet{500'000, 0}))));  // 1.5x
        QVERIFY(fast.acquire("c1", "c1-a", 900));
        fast.run(millis(700));  // ~0.8 s of simulated time since the grant: 1.2 s on the server
        QVERIFY(fast.server()->leases().empty());

        LockCluster slow;
        QVERIFY(bodyAs<ClockSetOk>(slow.ask("c2", makeBody(ClockSet{-500'000, 0}))));  // 0.5x
        QVERIFY(slow.acquire("c1", "c1-a", 900));
        slow.run(millis(1500));  // ~1.6 s simulated since the grant: 0.8 s on the server
        QCOMPARE(slow.acquireError("c2", "c2-a", 1000), int(ErrorCode::PreconditionFailed));
        slow.run(millis(300));
        QVERIFY(slow.server()->leases().empty());
    }

    void clockJumpBackKeepsTheLeaseLonger() {
        LockCluster cluster;
        QVERIFY(cluster.acquire("c1", "c1-a", 500));
        QVERIFY(bodyAs<ClockSetOk>(cluster.ask("c2", makeBody(ClockSet{0, -1000}))));
        cluster.run(millis(600));  // past the lease in simulated time, not on the server's clock
        QCOMPARE(cluster.server()->leases().size(), std::size_t(1));
        cluster.run(millis(1000));
        QVERIFY(cluster.server()->leases().empty());
    }

    void badRequestsGetError12() {
        LockCluster cluster;
        auto code = [&](Body body) {
            Result<ErrorMsg> error = bodyAs<ErrorMsg>(cluster.ask("c1", std::move(body)));
            return error ? error->code : -1;
        };
        QCOMPARE(code(makeBody(LockAcquire{"", "t", 100})), int(ErrorCode::MalformedRequest));
        QCOMPARE(code(makeBody(LockAcquire{"R", "", 100})), int(ErrorCode::MalformedRequest));
        QCOMPARE(code(makeBody(LockAcquire{"R", "t", 0})), int(ErrorCode::MalformedRequest));
        QCOMPARE(code(makeBody(LockExtend{"R", "t", -5})), int(ErrorCode::MalformedRequest));
        QCOMPARE(code(makeBody(ClockSet{kDriftPpmMax + 1, 0})), int(ErrorCode::MalformedRequest));
        QCOMPARE(code(Body{"what", 0, {}, {}}), int(ErrorCode::NotSupported));
        QVERIFY(cluster.server()->leases().empty());
    }

    void describeListsTheHeldLocks() {
        LockCluster cluster;
        QVERIFY(cluster.acquire("c1", "c1-a", 1000));
        std::vector<std::pair<std::string, std::string>> rows;
        cluster.server()->describe(rows);
        bool found = false;
        for (const auto& [label, value] : rows) {
            if (label == "lock" && value.starts_with("R: c1 (c1-a), fencing 1")) found = true;
        }
        QVERIFY(found);
    }

    // --- the fenced storage ---

    // Kleppmann's figure: c1 gets the lock, pauses past its lease, c2 gets it and writes; c1 wakes up
    // and writes with its old token.
    void pausedClientsStaleWriteIsRejectedWithFencing() {
        LockCluster cluster;
        std::optional<std::int64_t> first = cluster.acquire("c1", "c1-a", 500);
        QVERIFY(first);
        QVERIFY(cluster.world.pause("c1", millis(1000)).ok());
        cluster.run(millis(1000));
        std::optional<std::int64_t> second = cluster.acquire("c2", "c2-a", 500);
        QVERIFY(second && *second > *first);
        QCOMPARE(cluster.writeError("c2", "from c2", *second), -1);
        QCOMPARE(cluster.writeError("c1", "from c1", *first), int(ErrorCode::PreconditionFailed));
        QCOMPARE(cluster.storedValue(), std::string("from c2"));
        QCOMPARE(cluster.storage()->writesRejected(), std::uint64_t(1));
        QCOMPARE(cluster.storage()->highestToken(), *second);
        // The holder may write again under the same grant.
        QCOMPARE(cluster.writeError("c2", "again from c2", *second), -1);
    }

    void withoutFencingTheStaleWriteWins() {
        FencedStorageConfig storageConfig;
        storageConfig.fencing = false;
        LockCluster cluster({}, 1, storageConfig);
        std::optional<std::int64_t> first = cluster.acquire("c1", "c1-a", 500);
        QVERIFY(first);
        cluster.run(millis(1000));
        std::optional<std::int64_t> second = cluster.acquire("c2", "c2-a", 500);
        QVERIFY(second);
        QCOMPARE(cluster.writeError("c2", "from c2", *second), -1);
        QCOMPARE(cluster.writeError("c1", "from c1", *first), -1);
        QCOMPARE(cluster.storedValue(), std::string("from c1"));  // c2's update is lost
        QCOMPARE(cluster.storage()->highestToken(), *second);
    }

    void fencingSwitchesAtRunTimeAndSurvivesARestart() {
        LockCluster cluster;
        QCOMPARE(cluster.writeError("c1", "v5", 5), -1);
        QVERIFY(bodyAs<FencingSetOk>(cluster.ask("c1", makeBody(FencingSet{false}), "disk")));
        QCOMPARE(cluster.writeError("c2", "v3", 3), -1);
        QVERIFY(cluster.world.crash("disk").ok());
        QVERIFY(cluster.world.restart("disk").ok());
        cluster.run(millis(10));
        QVERIFY(!cluster.storage()->fencing());
        QCOMPARE(cluster.storage()->highestToken(), std::int64_t(5));
        QCOMPARE(cluster.storedValue(), std::string("v3"));
        QVERIFY(bodyAs<FencingSetOk>(cluster.ask("c1", makeBody(FencingSet{true}), "disk")));
        QCOMPARE(cluster.writeError("c2", "v4", 4), int(ErrorCode::PreconditionFailed));
        QCOMPARE(cluster.writeError("c2", "", 0), int(ErrorCode::PreconditionFailed));
        Body bad = makeBody(StorageWrite{"", "v", 9});
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(cluster.ask("c1", bad, "disk"));
        QVERIFY(error && error->code == int(ErrorCode::MalformedRequest));
    }

    void storageNumbersEveryAcceptedAccessDurably() {
        // fenced storage: write, read, write -> seq 1, 2, 3; a refused access takes no number; after a
        // restart the numbering carries on at 4
        LockCluster cluster;
        QCOMPARE(cluster.writeSeq("c1", "a", 1), std::int64_t(1));
        Result<StorageReadOk> read = bodyAs<StorageReadOk>(cluster.read("c2", "x", 1));
        QVERIFY(read);
        QCOMPARE(read->seq, std::int64_t(2));
        QVERIFY(read->exists);
        QCOMPARE(read->value, std::string("a"));
        QCOMPARE(read->fencing_token, std::int64_t(1));
        QCOMPARE(cluster.writeSeq("c2", "b", 2), std::int64_t(3));
        QCOMPARE(cluster.writeSeq("c1", "stale", 1), std::int64_t(-1));
        QVERIFY(bodyAs<ErrorMsg>(cluster.read("c1", "x", 1)));
        QCOMPARE(cluster.storage()->lastSeq(), std::int64_t(3));
        QVERIFY(cluster.world.crash("disk").ok());
        QVERIFY(cluster.world.restart("disk").ok());
        cluster.run(millis(10));
        QCOMPARE(cluster.storage()->lastSeq(), std::int64_t(3));
        QCOMPARE(cluster.storage()->highestToken(), std::int64_t(2));
        Result<StorageReadOk> again = bodyAs<StorageReadOk>(cluster.read("c2", "x", 2));
        QVERIFY(again);
        QCOMPARE(again->seq, std::int64_t(4));
        QCOMPARE(again->value, std::string("b"));
        QCOMPARE(cluster.writeSeq("c2", "c", 2), std::int64_t(5));
    }

    void staleReadIsRefusedWithFencingAndServedWithout_data() {
        QTest::addColumn<bool>("fencing");
        QTest::newRow("fencing on -> read with token 1 after token 2 refused (22)") << true;
        QTest::newRow("fencing off -> the same read served") << false;
    }
    void staleReadIsRefusedWithFencingAndServedWithout() {
        QFETCH(bool, fencing);
        FencedStorageConfig storageConfig;
        storageConfig.fencing = fencing;
        LockCluster cluster({}, 1, storageConfig);
        QVERIFY(bodyAs<StorageReadOk>(cluster.read("c2", "x", 2)));  // an accepted read raises the highest
        QCOMPARE(cluster.storage()->highestToken(), std::int64_t(2));
        const Body answer = cluster.read("c1", "x", 1);
        if (fencing) {
            Result<ErrorMsg> error = bodyAs<ErrorMsg>(answer);
            QVERIFY(error);
            QCOMPARE(error->code, int(ErrorCode::PreconditionFailed));
            QVERIFY2(error->text.find("fencing token 1 is older than 2") != std::string::npos,
                     error->text.c_str());
            QCOMPARE(cluster.storage()->readsRejected(), std::uint64_t(1));
            // Token 0 ("no token") is judged like any other number.
            QVERIFY(bodyAs<ErrorMsg>(cluster.read("c1", "x", 0)));
            QCOMPARE(cluster.storage()->readsRejected(), std::uint64_t(2));
            QCOMPARE(cluster.storage()->lastSeq(), std::int64_t(1));
        } else {
            Result<StorageReadOk> ok = bodyAs<StorageReadOk>(answer);
            QVERIFY(ok);
            QCOMPARE(ok->seq, std::int64_t(2));
            QVERIFY(bodyAs<StorageReadOk>(cluster.read("c1", "x", 0)));
            QCOMPARE(cluster.storage()->readsRejected(), std::uint64_t(0));
            QCOMPARE(cluster.storage()->readsAccepted(), std::uint64_t(3));
        }
    }

    void readOfAMissingKeySaysItDoesNotExist() {
        // fenced storage: a read of a key never written -> storage_read_ok{exists false, value "", token 0}
        LockCluster cluster;
        Result<StorageReadOk> missing = bodyAs<StorageReadOk>(cluster.read("c1", "nope", 0));
        QVERIFY(missing);
        QVERIFY(!missing->exists);
        QCOMPARE(missing->value, std::string());
        QCOMPARE(missing->fencing_token, std::int64_t(0));
        QCOMPARE(missing->seq, std::int64_t(1));
        Result<ErrorMsg> bad = bodyAs<ErrorMsg>(cluster.read("c1", "", 0));
        QVERIFY(bad && bad->code == int(ErrorCode::MalformedRequest));
    }

    void describeCountsReadsAndWrites() {
        LockCluster cluster;
        QCOMPARE(cluster.writeSeq("c1", "a", 2), std::int64_t(1));
        QVERIFY(bodyAs<ErrorMsg>(cluster.read("c1", "x", 1)));
        std::vector<std::pair<std::string, std::string>> rows;
        cluster.storage()->describe(rows);
        const std::vector<std::pair<std::string, std::string>> expected = {{"fencing", "on"},
                                                                           {"highest fencing token", "2"},
                                                                           {"last sequence number", "1"},
                                                                           {"reads accepted", "0"},
                                                                           {"reads rejected", "1"},
                                                                           {"writes accepted", "1"},
                                                                           {"writes rejected", "0"},
                                                                           {"keys", "1"}};
        QCOMPARE(rows, expected);
    }

    // --- who really holds the lease ---

    void holderOpsAtGrantAndRelease() {
        // lease server: c1 granted (token 1) at t, released by its owner at t' -> holder invoke {R, c1, 1}
        // at t and holder ok {R, c1, released} at t', both as ops of the server process "lock"
        LockCluster cluster;
        QVERIFY(cluster.acquire("c1", "c1-a", 5000));
        std::vector<ClientOp> granted = cluster.holderOps(OpPhase::Invoke);
        QCOMPARE(granted.size(), std::size_t(1));
        QCOMPARE(granted[0].opId, std::int64_t(1));
        QVERIFY(granted[0].value == (Json{{"resource", "R"}, {"client", "c1"}, {"fencing_token", 1}}));
        QCOMPARE(cluster.server()->leases().at("R").expiresAt, granted[0].time + millis(5000));
        QVERIFY(!cluster.release("c2", "c2-a"));  // a stranger's release ends nothing
        QVERIFY(cluster.holderOps(OpPhase::Ok).empty());
        QVERIFY(cluster.release("c1", "c1-a"));
        std::vector<ClientOp> ended = cluster.holderOps(OpPhase::Ok);
        QCOMPARE(ended.size(), std::size_t(1));
        QCOMPARE(ended[0].opId, std::int64_t(1));
        QVERIFY(ended[0].value == (Json{{"resource", "R"}, {"client", "c1"}, {"reason", "released"}}));
        QVERIFY(ended[0].time > granted[0].time);
        // The release landed at the server: the state trace says so at the same moment.
        QCOMPARE(cluster.states().back(), std::string("R free"));
    }

    void holderOpEndsExactlyWhenTheLeaseRunsOut() {
        // lease server: c1 granted a 500 ms lease and never heard from again -> holder ok {reason expired}
        // exactly 500 ms after the grant, fired by the expiry timer, not by a later request
        LockCluster cluster;
        QVERIFY(cluster.acquire("c1", "c1-a", 500));
        cluster.run(millis(1000));
        const std::vector<ClientOp> granted = cluster.holderOps(OpPhase::Invoke);
        const std::vector<ClientOp> ended = cluster.holderOps(OpPhase::Ok);
        QCOMPARE(granted.size(), std::size_t(1));
        QCOMPARE(ended.size(), std::size_t(1));
        QCOMPARE(ended[0].time - granted[0].time, millis(500));
        QCOMPARE(ended[0].value["reason"].get<std::string>(), std::string("expired"));
        QCOMPARE(ended[0].value["client"].get<std::string>(), std::string("c1"));
        // The next grant opens a new interval under the next token.
        QVERIFY(cluster.acquire("c2", "c2-a", 500));
        QCOMPARE(cluster.holderOps(OpPhase::Invoke).back().opId, std::int64_t(2));
    }

    void holderOpEndsOnAClockJumpAndAfterARestart() {
        // lease server: a clock jump forward ends c1's lease at the jump; with persistence, a restarted
        // server closes c2's interval itself when the lease runs out (at the restart if it ran out while
        // the server was down)
        LockCluster cluster;
        QVERIFY(cluster.acquire("c1", "c1-a", 10'000));
        QVERIFY(bodyAs<ClockSetOk>(cluster.ask("c2", makeBody(ClockSet{0, 15'000}))));
        std::vector<ClientOp> ended = cluster.holderOps(OpPhase::Ok);
        QCOMPARE(ended.size(), std::size_t(1));
        QCOMPARE(ended[0].value["reason"].get<std::string>(), std::string("expired"));
        QVERIFY(cluster.acquire("c2", "c2-a", 300));
        const SimTime granted = cluster.holderOps(OpPhase::Invoke).back().time;
        QVERIFY(cluster.world.crash("lock").ok());
        cluster.run(millis(100));
        QVERIFY(cluster.world.restart("lock").ok());
        cluster.run(millis(400));
        ended = cluster.holderOps(OpPhase::Ok);
        QCOMPARE(ended.size(), std::size_t(2));
        QCOMPARE(ended[1].opId, std::int64_t(2));
        QCOMPARE(ended[1].time - granted, millis(300));
        QCOMPARE(ended[1].value["reason"].get<std::string>(), std::string("expired"));
    }

    void holderOpsDoNotCloseOnACrashWithoutPersistence() {
        // lease server without persistence: a crash forgets the lease without a word (the session closes
        // such intervals at the crash); the restarted server grants token 1 again
        LeaseLockConfig config;
        config.persistence = false;
        LockCluster cluster(config);
        QVERIFY(cluster.acquire("c1", "c1-a", 500));
        QVERIFY(cluster.world.crash("lock").ok());
        QVERIFY(cluster.world.restart("lock").ok());
        cluster.run(millis(1000));
        QVERIFY(cluster.holderOps(OpPhase::Ok).empty());
    }

    void sameSeedSameTrace() {
        auto runOnce = [] {
            LockCluster cluster({}, 7);
            (void)cluster.acquire("c1", "c1-a", 300);
            cluster.run(millis(400));
            (void)cluster.acquire("c2", "c2-a", 300);
            std::ostringstream out;
            cluster.world.trace().writeJsonLines(out);
            return out.str();
        };
        QCOMPARE(runOnce(), runOnce());
    }
};

QTEST_GUILESS_MAIN(TestLeaseLock)
#include "tst_lease_lock.moc"
