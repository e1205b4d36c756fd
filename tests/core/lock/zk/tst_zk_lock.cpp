// The ZooKeeper-style coordination server (Hunt et al., USENIX ATC 2010) and the ZooKeeper recipes'
// "Locks", story by story: messages round-trip, sequential suffixes increase, watches fire once, sessions
// that stop heartbeating expire and take their ephemeral nodes with them.
#include <QTest>

#include <set>

#include "core/protocols/lock/zk/coordination_server.h"
#include "core/protocols/lock/zk/zk_lock_client.h"
#include "core/protocols/lock/zk/zk_messages.h"
#include "core/sim/world.h"

using namespace distlab;
using namespace distlab::zk;

namespace {

constexpr std::uint64_t kEventsMax = 1'000'000;

template <class T>
bool roundTrips(const Body& body) {
    Result<Envelope> decoded = decodeEnvelope(encodeEnvelope(Envelope{"c1", "zk", body}));
    if (!decoded.ok()) return false;
    Result<T> typed = bodyAs<T>(decoded.value().body);
    if (!typed.ok()) return false;
    return bodyToJson(makeBody(typed.value())) == bodyToJson(body);
}

bool roundTripsAny(const Body& body) {
    const std::string& t = body.type;
    if (t == SessionOpen::kType) return roundTrips<SessionOpen>(body);
    if (t == SessionOk::kType) return roundTrips<SessionOk>(body);
    if (t == Heartbeat::kType) return roundTrips<Heartbeat>(body);
    if (t == HeartbeatOk::kType) return roundTrips<HeartbeatOk>(body);
    if (t == Create::kType) return roundTrips<Create>(body);
    if (t == CreateOk::kType) return roundTrips<CreateOk>(body);
    if (t == Delete::kType) return roundTrips<Delete>(body);
    if (t == DeleteOk::kType) return roundTrips<DeleteOk>(body);
    if (t == GetChildren::kType) return roundTrips<GetChildren>(body);
    if (t == ChildrenOk::kType) return roundTrips<ChildrenOk>(body);
    if (t == Exists::kType) return roundTrips<Exists>(body);
    if (t == ExistsOk::kType) return roundTrips<ExistsOk>(body);
    if (t == WatchEvent::kType) return roundTrips<WatchEvent>(body);
    if (t == LockAcquire::kType) return roundTrips<LockAcquire>(body);
    if (t == LockRelease::kType) return roundTrips<LockRelease>(body);
    return false;
}

// A client stand-in: it only records what it receives; the test speaks for it with World::sendFrom.
class Probe : public Node {
public:
    void onStart(Context&) override {}
    void onMessage(Context&, const Envelope& message) override { received.push_back(message.body); }
    void onTimer(Context&, TimerId, const std::string&) override {}

    template <class T>
    std::vector<T> all() const {
        std::vector<T> out;
        for (const Body& body : received)
            if (Result<T> typed = bodyAs<T>(body); typed.ok()) out.push_back(typed.value());
        return out;
    }
    std::vector<Body> received;
};

class Lab {
public:
    explicit Lab(std::uint64_t seed = 1, int clients = 2) : world(seed) {
        QVERIFY(world.addNode("zk", [] { return std::make_unique<CoordinationServer>(); }).ok());
        for (int i = 1; i <= clients; ++i)
            QVERIFY(world.addNode("c" + std::to_string(i), [] { return std::make_unique<Probe>(); }).ok());
    }

    void send(const std::string& client, Body body) {
        QVERIFY(world.sendFrom(client, "zk", std::move(body)).ok());
    }
    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    Probe& probe(const std::string& client) {
        return *static_cast<Probe*>(world.node(*world.indexOf(client)));
    }
    CoordinationServer& server() {
        return *static_cast<CoordinationServer*>(world.node(*world.indexOf("zk")));
    }

    std::int64_t openSession(const std::string& client, std::int64_t timeoutMs) {
        const std::size_t before = probe(client).all<SessionOk>().size();
        send(client, makeBody(SessionOpen{timeoutMs}));
        run(millis(50));
        const std::vector<SessionOk> oks = probe(client).all<SessionOk>();
        if (oks.size() != before + 1) return 0;
        return oks.back().session;
    }
    CreateOk create(const std::string& client, std::int64_t session, const std::string& path, bool ephemeral,
                    bool sequential) {
        const std::size_t before = probe(client).all<CreateOk>().size();
        send(client, makeBody(Create{session, path, ephemeral, sequential}));
        run(millis(50));
        const std::vector<CreateOk> oks = probe(client).all<CreateOk>();
        return oks.size() == before + 1 ? oks.back() : CreateOk{};
    }
    std::vector<WatchEvent> watchEvents(const std::string& client) { return probe(client).all<WatchEvent>(); }

    World world;
};

// A lock server "zk", clients c1..cN running the recipe, and "ctl" (a Probe) that speaks the console's
// lock_acquire / lock_release.
class LockLab {
public:
    LockLab(int clients, WatchMode mode, std::uint64_t seed = 1) : world(seed) {
        QVERIFY(world.addNode("zk", [] { return std::make_unique<CoordinationServer>(); }).ok());
        QVERIFY(world.addNode("ctl", [] { return std::make_unique<Probe>(); }).ok());
        for (int i = 1; i <= clients; ++i) {
            const std::string id = "c" + std::to_string(i);
            ZkLockClientConfig config;
            config.mode = mode;
            config.sessionTimeoutMs = 300;
            QVERIFY(world.addNode(id, [config] { return std::make_unique<ZkLockClient>(config); }).ok());
            ids.push_back(id);
        }
        run(millis(50));  // sessions open
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    ZkLockClient& client(const std::string& id) {
        return *static_cast<ZkLockClient*>(world.node(*world.indexOf(id)));
    }
    void acquire(const std::string& id) {
        QVERIFY(world.sendFrom("ctl", id, makeBody(LockAcquire{"r"})).ok());
        run(millis(50));
    }
    void release(const std::string& id) {
        QVERIFY(world.sendFrom("ctl", id, makeBody(LockRelease{"r"})).ok());
        run(millis(100));
    }
    std::vector<std::string> holders() {
        std::vector<std::string> out;
        for (const std::string& id : ids)
            if (world.node(*world.indexOf(id)) != nullptr && client(id).holding()) out.push_back(id);
        return out;
    }
    std::uint64_t totalWakeups() {
        std::uint64_t total = 0;
        for (const std::string& id : ids)
            if (world.node(*world.indexOf(id)) != nullptr) total += client(id).wakeups();
        return total;
    }

    World world;
    std::vector<std::string> ids;
};

}  // namespace

class TstZkLock : public QObject {
    Q_OBJECT

private slots:
    // --- messages ---

    void everyMessageTypeHasASample() {
        const std::vector<Body> samples = zkSampleMessages();
        const std::vector<std::string_view> types = zkMessageTypes();
        QCOMPARE(samples.size(), types.size());
        QCOMPARE(std::set<std::string_view>(types.begin(), types.end()).size(), types.size());
        for (std::size_t i = 0; i < samples.size(); ++i) QCOMPARE(samples[i].type, std::string(types[i]));
    }

    void everySampleRoundTrips_data() {
        QTest::addColumn<int>("index");
        const std::vector<Body> samples = zkSampleMessages();
        for (std::size_t i = 0; i < samples.size(); ++i) QTest::newRow(samples[i].type.c_str()) << int(i);
    }
    void everySampleRoundTrips() {
        QFETCH(int, index);
        const Body body = zkSampleMessages().at(std::size_t(index));
        QVERIFY2(roundTripsAny(body), encodeEnvelope(Envelope{"c1", "zk", body}).c_str());
    }

    void fieldsUseTheDocumentedNames() {
        QCOMPARE(bodyToJson(makeBody(SessionOpen{3000})).dump(),
                 std::string(R"({"msg_id":0,"timeout_ms":3000,"type":"session_open"})"));
        QCOMPARE(bodyToJson(makeBody(Create{4, "/locks/r/lock-", true, true})).dump(),
                 std::string(R"({"ephemeral":true,"msg_id":0,"path":"/locks/r/lock-","sequential":true,)"
                             R"("session":4,"type":"create"})"));
        QCOMPARE(bodyToJson(makeBody(WatchEvent{"/a", "deleted"})).dump(),
                 std::string(R"({"event":"deleted","msg_id":0,"path":"/a","type":"watch_event"})"));
    }

    void malformedBodiesAreErrorsNotCrashes() {
        Body body;
        body.type = "session_open";
        body.fields = Json{{"timeout_ms", "soon"}};
        QVERIFY(!bodyAs<SessionOpen>(body).ok());
        body.fields = Json::object();
        QVERIFY(!bodyAs<SessionOpen>(body).ok());
    }

    void pathHelpers() {
        QCOMPARE(sequentialName("/locks/r/lock-", 7), std::string("/locks/r/lock-0000000007"));
        QCOMPARE(sequentialName("x", 12345678901), std::string("x12345678901"));
        QCOMPARE(parentPath("/locks/r/lock-1"), std::string("/locks/r"));
        QCOMPARE(parentPath("/locks"), std::string("/"));
        QCOMPARE(parentPath("/"), std::string());
        QCOMPARE(baseName("/locks/r/lock-0000000001"), std::string("lock-0000000001"));
        QVERIFY(validatePath("/locks/r").empty());
        QVERIFY(validatePath("/").empty());
        QVERIFY(!validatePath("locks").empty());
        QVERIFY(!validatePath("/locks/").empty());
        QVERIFY(!validatePath("/a//b").empty());
        QVERIFY(!validatePath("/" + std::string(kPathBytesMax, 'a')).empty());
    }

    // --- the coordination server ---

    void sequentialSuffixesIncreasePerParentAndCzxidsIncrease() {
        Lab lab;
        const std::int64_t s1 = lab.openSession("c1", 1000);
        const std::int64_t s2 = lab.openSession("c2", 1000);
        QVERIFY(s1 > 0 && s2 > 0 && s1 != s2);
        const CreateOk a = lab.create("c1", s1, "/locks/r/lock-", true, true);
        const CreateOk b = lab.create("c2", s2, "/locks/r/lock-", true, true);
        const CreateOk c = lab.create("c1", s1, "/locks/q/lock-", true, true);
        QCOMPARE(a.path, std::string("/locks/r/lock-0000000000"));
        QCOMPARE(b.path, std::string("/locks/r/lock-0000000001"));
        QCOMPARE(c.path, std::string("/locks/q/lock-0000000000"));  // the counter is per parent
        QVERIFY(a.czxid > 0 && a.czxid < b.czxid && b.czxid < c.czxid);
        // Missing parents were created as persistent nodes.
        QVERIFY(lab.server().znodes().count("/locks/r") == 1);
        QCOMPARE(lab.server().znodes().at("/locks/r").ephemeralOwner, std::int64_t(0));
        QCOMPARE(lab.server().children("/locks/r"),
                 (std::vector<std::string>{"lock-0000000000", "lock-0000000001"}));
        QCOMPARE(lab.server().children("/locks"), (std::vector<std::string>{"q", "r"}));

        lab.send("c1", makeBody(GetChildren{"/locks/r", false}));
        lab.run(millis(50));
        const std::vector<ChildrenOk> listed = lab.probe("c1").all<ChildrenOk>();
        QCOMPARE(listed.size(), std::size_t(1));
        QCOMPARE(listed[0].children, (std::vector<std::string>{"lock-0000000000", "lock-0000000001"}));
    }

    void aDeletedSequenceNumberIsNotReused() {
        Lab lab;
        const std::int64_t s = lab.openSession("c1", 1000);
        const CreateOk a = lab.create("c1", s, "/locks/r/lock-", true, true);
        lab.send("c1", makeBody(Delete{a.path}));
        lab.run(millis(50));
        QCOMPARE(lab.probe("c1").all<DeleteOk>().size(), std::size_t(1));
        const CreateOk b = lab.create("c1", s, "/locks/r/lock-", true, true);
        QCOMPARE(b.path, std::string("/locks/r/lock-0000000001"));
    }

    void creatingAnExistingPathFailsWithKeyAlreadyExists() {
        Lab lab;
        const std::int64_t s = lab.openSession("c1", 1000);
        QCOMPARE(lab.create("c1", s, "/config", false, false).path, std::string("/config"));
        lab.send("c1", makeBody(Create{s, "/config", false, false}));
        lab.run(millis(50));
        const std::vector<ErrorMsg> errors = lab.probe("c1").all<ErrorMsg>();
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0].code, int(ErrorCode::KeyAlreadyExists));
    }

    void anExistsWatchFiresExactlyOnce() {
        Lab lab;
        const std::int64_t s1 = lab.openSession("c1", 1000);
        const CreateOk a = lab.create("c1", s1, "/locks/r/lock-", true, true);
        lab.send("c2", makeBody(Exists{a.path, true}));
        lab.run(millis(50));
        QCOMPARE(lab.probe("c2").all<ExistsOk>().size(), std::size_t(1));
        QVERIFY(lab.probe("c2").all<ExistsOk>()[0].exists);
        QCOMPARE(lab.server().watchCount(), std::size_t(1));

        lab.send("c1", makeBody(Delete{a.path}));
        lab.run(millis(50));
        std::vector<WatchEvent> events = lab.watchEvents("c2");
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].path, a.path);
        QCOMPARE(events[0].event, std::string(kEventDeleted));
        QCOMPARE(lab.server().watchCount(), std::size_t(0));

        // The watch was one-shot: re-creating and deleting the same path again wakes nobody.
        lab.create("c1", s1, a.path, true, false);
        lab.send("c1", makeBody(Delete{a.path}));
        lab.run(millis(50));
        QCOMPARE(lab.watchEvents("c2").size(), std::size_t(1));
    }

    void aChildWatchFiresOnceOnTheNextChange() {
        Lab lab;
        const std::int64_t s1 = lab.openSession("c1", 1000);
        lab.create("c1", s1, "/locks/r/lock-", true, true);
        lab.send("c2", makeBody(GetChildren{"/locks/r", true}));
        lab.run(millis(50));
        lab.create("c1", s1, "/locks/r/lock-", true, true);
        lab.create("c1", s1, "/locks/r/lock-", true, true);
        const std::vector<WatchEvent> events = lab.watchEvents("c2");
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].path, std::string("/locks/r"));
        QCOMPARE(events[0].event, std::string(kEventChildren));
    }

    void aSessionThatStopsHeartbeatingExpiresAndItsEphemeralNodesVanish() {
        Lab lab;
        const std::int64_t s1 = lab.openSession("c1", 300);
        const std::int64_t s2 = lab.openSession("c2", 300);
        // c2 heartbeats every 100 ms from now on; c1 never does.
        for (int i = 1; i <= 20; ++i)
            lab.world.schedule(lab.world.now() + millis(100) * i,
                               [s2](World& w) { (void)w.sendFrom("c2", "zk", makeBody(Heartbeat{s2})); });
        const CreateOk lock = lab.create("c1", s1, "/locks/r/lock-", true, true);
        const CreateOk config = lab.create("c1", s1, "/config", false, false);
        lab.send("c2", makeBody(Exists{lock.path, true}));
        lab.send("c2", makeBody(GetChildren{"/locks/r", true}));
        lab.run(millis(50));
        QVERIFY(lab.server().sessionAlive(s1));

        lab.run(millis(1200));

        QVERIFY(!lab.server().sessionAlive(s1));
        QVERIFY(lab.server().sessionAlive(s2));
        QCOMPARE(lab.server().expiredSessions(), std::uint64_t(1));
        QCOMPARE(lab.server().znodes().count(lock.path), std::size_t(0));
        QCOMPARE(lab.server().znodes().count(config.path), std::size_t(1));  // persistent: survives
        const std::vector<WatchEvent> events = lab.watchEvents("c2");
        QCOMPARE(events.size(), std::size_t(2));
        std::set<std::pair<std::string, std::string>> seen;
        for (const WatchEvent& e : events) seen.insert({e.path, e.event});
        QVERIFY(seen.count({lock.path, std::string(kEventDeleted)}) == 1);
        QVERIFY(seen.count({"/locks/r", std::string(kEventChildren)}) == 1);
        QVERIFY(lab.probe("c2").all<HeartbeatOk>().size() >= 9);

        // The expired session can no longer create nodes.
        lab.send("c1", makeBody(Create{s1, "/locks/r/lock-", true, true}));
        lab.run(millis(50));
        const std::vector<ErrorMsg> errors = lab.probe("c1").all<ErrorMsg>();
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0].code, int(ErrorCode::Abort));
    }

    void aHeartbeatingSessionStaysAlivePastManyTimeouts() {
        Lab lab;
        const std::int64_t s = lab.openSession("c1", 200);
        const CreateOk lock = lab.create("c1", s, "/locks/r/lock-", true, true);
        for (int i = 1; i <= 50; ++i)
            lab.world.schedule(lab.world.now() + millis(80) * i,
                               [s](World& w) { (void)w.sendFrom("c1", "zk", makeBody(Heartbeat{s})); });
        lab.run(millis(4000));  // 20 session timeouts
        QVERIFY(lab.server().sessionAlive(s));
        QCOMPARE(lab.server().znodes().count(lock.path), std::size_t(1));
        QCOMPARE(lab.server().expiredSessions(), std::uint64_t(0));
        // ...and once the heartbeats stop, it expires.
        lab.run(millis(1000));
        QVERIFY(!lab.server().sessionAlive(s));
        QCOMPARE(lab.server().znodes().count(lock.path), std::size_t(0));
    }

    void describeListsTheServersState() {
        Lab lab;
        const std::int64_t s = lab.openSession("c1", 1000);
        lab.create("c1", s, "/locks/r/lock-", true, true);
        std::vector<std::pair<std::string, std::string>> out;
        lab.server().describe(out);
        QCOMPARE(out.size(), std::size_t(5));
        QCOMPARE(out[0], (std::pair<std::string, std::string>{"sessions", "1"}));
        QCOMPARE(out[1], (std::pair<std::string, std::string>{"znodes", "3"}));
        QCOMPARE(out[2], (std::pair<std::string, std::string>{"zxid", "3"}));
    }

    // --- the lock recipe ---

    void zkLockGrantsFollowSequenceOrderAndTokensIncrease_data() {
        QTest::addColumn<int>("mode");
        QTest::newRow("predecessor") << int(WatchMode::Predecessor);
        QTest::newRow("parent") << int(WatchMode::Parent);
    }
    void zkLockGrantsFollowSequenceOrderAndTokensIncrease() {
        QFETCH(int, mode);
        LockLab lab(4, WatchMode(mode));
        // c3 asks first, then c1, c4, c2: grants must follow that order, one holder at a time.
        const std::vector<std::string> order = {"c3", "c1", "c4", "c2"};
        for (const std::string& id : order) lab.acquire(id);
        QCOMPARE(lab.holders(), std::vector<std::string>{"c3"});
        QCOMPARE(lab.client("c1").watching(),
                 mode == int(WatchMode::Predecessor) ? lab.client("c3").lockNode() : std::string("/locks/r"));
        std::int64_t lastToken = 0;
        for (std::size_t i = 0; i < order.size(); ++i) {
            QCOMPARE(lab.holders(), std::vector<std::string>{order[i]});
            const ZkLockClient& holder = lab.client(order[i]);
            QCOMPARE(holder.grants(), std::uint64_t(1));
            QVERIFY2(holder.token() > lastToken, "fencing tokens (czxids) must increase with each grant");
            lastToken = holder.token();
            lab.release(order[i]);
        }
        QVERIFY(lab.holders().empty());
        CoordinationServer& server =
            *static_cast<CoordinationServer*>(lab.world.node(*lab.world.indexOf("zk")));
        QVERIFY(server.children("/locks/r").empty());
    }

    void zkLockPredecessorWatchWakesExactlyOneWaiterPerRelease() {
        LockLab lab(5, WatchMode::Predecessor);
        for (const std::string& id : lab.ids) lab.acquire(id);
        QCOMPARE(lab.totalWakeups(), std::uint64_t(0));
        for (std::size_t i = 0; i + 1 < lab.ids.size(); ++i) {
            const std::uint64_t before = lab.totalWakeups();
            lab.release(lab.ids[i]);
            QCOMPARE(lab.totalWakeups() - before, std::uint64_t(1));
            QCOMPARE(lab.holders(), std::vector<std::string>{lab.ids[i + 1]});
        }
    }

    void zkLockParentWatchWakesEveryWaiterOnEachRelease() {
        LockLab lab(5, WatchMode::Parent);
        for (const std::string& id : lab.ids) lab.acquire(id);
        // Each waiter also woke when a later client joined the queue: the herd starts early.
        QVERIFY(lab.totalWakeups() > 0);
        for (std::size_t i = 0; i + 1 < lab.ids.size(); ++i) {
            const std::uint64_t waiters = lab.ids.size() - i - 1;
            const std::uint64_t before = lab.totalWakeups();
            lab.release(lab.ids[i]);
            QCOMPARE(lab.totalWakeups() - before, waiters);
            QCOMPARE(lab.holders(), std::vector<std::string>{lab.ids[i + 1]});
        }
    }

    void zkLockHolderCrashExpiresItsSessionAndExactlyOneWaiterTakesOver() {
        LockLab lab(3, WatchMode::Predecessor);
        for (const std::string& id : lab.ids) lab.acquire(id);
        QCOMPARE(lab.holders(), std::vector<std::string>{"c1"});
        const std::int64_t crashedToken = lab.client("c1").token();
        QVERIFY(lab.world.crash("c1").ok());
        lab.run(millis(100));  // well inside the 300 ms session timeout: nobody moves yet
        QVERIFY(lab.holders().empty());
        QCOMPARE(lab.totalWakeups(), std::uint64_t(0));
        lab.run(millis(500));  // the session expires, its node goes, its successor's watch fires
        QCOMPARE(lab.holders(), std::vector<std::string>{"c2"});
        QCOMPARE(lab.totalWakeups(), std::uint64_t(1));
        QVERIFY(lab.client("c2").token() > crashedToken);
        QCOMPARE(lab.client("c3").watching(), lab.client("c2").lockNode());
    }

    void zkLockReleaseBeforeGrantLeavesTheQueue() {
        LockLab lab(3, WatchMode::Predecessor);
        for (const std::string& id : lab.ids) lab.acquire(id);
        lab.release("c2");  // a waiter gives up: c3 now waits on c1 after one wakeup
        QCOMPARE(lab.client("c3").watching(), lab.client("c1").lockNode());
        lab.release("c1");
        QCOMPARE(lab.holders(), std::vector<std::string>{"c3"});
    }

    // 200 seeds: clients ask at random moments over links of 2-30 ms latency, holders release after a random
    // hold. At no checked moment are there two holders, every client is eventually granted once, and
    // grants follow the order of the lock nodes' sequence numbers. Links stay FIFO: a ZooKeeper session
    // runs over TCP and the recipe relies on a watch event never overtaking the reply that set the watch.
    void zkLockSeedSweepKeepsMutualExclusionAndFifo() {
        for (std::uint64_t seed = 1; seed <= 200; ++seed) {
            LockLab lab(4, seed % 2 ? WatchMode::Predecessor : WatchMode::Parent, seed);
            LinkConfig link = lab.world.network().defaults();
            link.latencyMax = millis(30);
            lab.world.network().setDefaults(link);
            Rng rng(seed);
            for (const std::string& id : lab.ids)
                lab.world.schedule(
                    lab.world.now() + millis(std::int64_t(rng.uniform(0, 40))),
                    [id](World& w) { (void)w.sendFrom("ctl", id, makeBody(LockAcquire{"r"})); });
            std::vector<std::string> granted;
            for (int step = 0; step < 400 && granted.size() < lab.ids.size(); ++step) {
                lab.run(millis(5));
                const std::vector<std::string> holders = lab.holders();
                const std::string where =
                    "seed " + std::to_string(seed) + " at " + std::to_string(lab.world.now());
                QVERIFY2(holders.size() <= 1, ("two holders, " + where).c_str());
                if (holders.size() == 1 && (granted.empty() || granted.back() != holders[0])) {
                    granted.push_back(holders[0]);
                    const std::string holder = holders[0];
                    lab.world.schedule(
                        lab.world.now() + millis(std::int64_t(rng.uniform(1, 30))),
                        [holder](World& w) { (void)w.sendFrom("ctl", holder, makeBody(LockRelease{"r"})); });
                }
            }
            QVERIFY2(granted.size() == lab.ids.size(),
                     ("not everyone was granted, seed " + std::to_string(seed)).c_str());
            for (std::size_t i = 1; i < granted.size(); ++i)
                QVERIFY2(lab.client(granted[i - 1]).token() < lab.client(granted[i]).token(),
                         ("grants out of sequence order, seed " + std::to_string(seed)).c_str());
        }
    }

    void zkLockClientDescribesItsState() {
        LockLab lab(2, WatchMode::Predecessor);
        lab.acquire("c1");
        lab.acquire("c2");
        std::vector<std::pair<std::string, std::string>> out;
        lab.client("c2").describe(out);
        QCOMPARE(out.size(), std::size_t(6));
        QCOMPARE(out[0], (std::pair<std::string, std::string>{"state", "WAITING"}));
        QCOMPARE(out[2].second, lab.client("c1").lockNode());
    }
};

QTEST_GUILESS_MAIN(TstZkLock)
#include "tst_zk_lock.moc"
