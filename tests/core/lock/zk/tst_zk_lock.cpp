// The ZooKeeper-style coordination server (Hunt et al., USENIX ATC 2010) and the ZooKeeper recipes'
// "Locks", story by story: messages round-trip, sequential suffixes increase, watches fire once, sessions
// that stop heartbeating expire and take their ephemeral nodes with them.
#include <QTest>

#include <algorithm>
#include <limits>
#include <set>

#include "core/protocols/lock/zk/coordination_server.h"
#include "core/protocols/lock/zk/zk_lock_client.h"
#include "core/protocols/lock/zk/zk_messages.h"
#include "core/sim/world.h"
#include "tests/core/lock/zk/zk_lock_lab.h"
#include "tests/support/probe.h"

using namespace distlab;
using namespace distlab::zk;
using zktest::kEventsMax;
using zktest::ZkLabOptions;
using zktest::ZkLockLab;

namespace {

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
    if (t == WatchModeSet::kType) return roundTrips<WatchModeSet>(body);
    return false;
}

class Lab {
public:
    explicit Lab(std::uint64_t seed = 1, int clients = 2) : world(seed) {
        QVERIFY(world.addNode("zk", [] { return std::make_unique<CoordinationServer>(); }).ok());
        for (int i = 1; i <= clients; ++i)
            QVERIFY(support::addProbe(world, "c" + std::to_string(i), {.scribe = true}));
    }

    void send(const std::string& client, Body body) {
        QVERIFY(world.sendFrom(client, "zk", std::move(body)).ok());
    }
    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    support::Probe& probe(const std::string& client) { return *support::findProbe(world, client); }
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

// The lock-recipe stories use the shared lab: clients without storage that hold until client_unlock.
ZkLabOptions recipe(int clients, WatchMode mode, std::uint64_t seed = 1) {
    ZkLabOptions options;
    options.clients = clients;
    options.mode = mode;
    options.seed = seed;
    return options;
}

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
        QCOMPARE(
            bodyToJson(makeBody(Delete{4, "/locks/r/lock-0000000002"})).dump(),
            std::string(R"({"msg_id":0,"path":"/locks/r/lock-0000000002","session":4,"type":"delete"})"));
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
        lab.send("c1", makeBody(Delete{s, a.path}));
        lab.run(millis(50));
        QCOMPARE(lab.probe("c1").all<DeleteOk>().size(), std::size_t(1));
        const CreateOk b = lab.create("c1", s, "/locks/r/lock-", true, true);
        QCOMPARE(b.path, std::string("/locks/r/lock-0000000001"));
    }

    // As in ZooKeeper, a delete names its session: an unknown or expired session is refused with error 14
    // (abort), an ephemeral node of another session with error 22 (precondition failed); a persistent
    // node belongs to nobody, and the owner deletes its own.
    void aDeleteIsRefusedForAnUnknownSessionOrAnotherSessionsEphemeralNode() {
        Lab lab;
        const std::int64_t s1 = lab.openSession("c1", 1000);
        const std::int64_t s2 = lab.openSession("c2", 1000);
        const CreateOk mine = lab.create("c1", s1, "/locks/r/lock-", true, true);
        const CreateOk config = lab.create("c1", s1, "/config", false, false);

        lab.send("c2", makeBody(Delete{s2, mine.path}));
        lab.send("c2", makeBody(Delete{s1 + 1000, mine.path}));
        lab.run(millis(50));
        const std::vector<ErrorMsg> refused = lab.probe("c2").all<ErrorMsg>();
        QCOMPARE(refused.size(), std::size_t(2));
        QCOMPARE(refused[0].code, int(ErrorCode::PreconditionFailed));
        QVERIFY2(refused[0].text.find("owned by session " + std::to_string(s1)) != std::string::npos,
                 refused[0].text.c_str());
        QCOMPARE(refused[1].code, int(ErrorCode::Abort));
        QCOMPARE(lab.server().znodes().count(mine.path), std::size_t(1));
        QVERIFY(lab.probe("c2").all<DeleteOk>().empty());

        lab.send("c2", makeBody(Delete{s2, config.path}));  // persistent: any live session may
        lab.send("c1", makeBody(Delete{s1, mine.path}));    // its owner may
        lab.run(millis(50));
        QCOMPARE(lab.probe("c2").all<DeleteOk>().size(), std::size_t(1));
        QCOMPARE(lab.probe("c1").all<DeleteOk>().size(), std::size_t(1));
        QCOMPARE(lab.server().znodes().count(mine.path), std::size_t(0));
        QCOMPARE(lab.server().znodes().count(config.path), std::size_t(0));
    }

    // The network may deliver a request twice (same msg_id): a repeated create gets the first answer
    // again instead of a second node, a repeated session_open the same session; a repeated delete finds
    // the node gone and harms nobody.
    void duplicatedRequestsAreAnsweredAgainNotAppliedTwice() {
        Lab lab;
        LinkConfig twice = lab.world.network().defaults();
        twice.duplicateRate = 1.0;
        lab.world.network().setLink(*lab.world.indexOf("c1"), *lab.world.indexOf("zk"), twice);
        lab.send("c1", makeBody(SessionOpen{1000}));
        lab.run(millis(50));
        const std::vector<SessionOk> opened = lab.probe("c1").all<SessionOk>();
        QCOMPARE(opened.size(), std::size_t(2));
        QCOMPARE(opened[0].session, opened[1].session);
        QCOMPARE(lab.server().sessionCount(), std::size_t(1));
        const std::int64_t s = opened[0].session;

        lab.send("c1", makeBody(Create{s, "/locks/r/lock-", true, true}));
        lab.run(millis(50));
        const std::vector<CreateOk> created = lab.probe("c1").all<CreateOk>();
        QCOMPARE(created.size(), std::size_t(2));
        QCOMPARE(created[0].path, std::string("/locks/r/lock-0000000000"));
        QCOMPARE(created[1].path, created[0].path);
        QCOMPARE(created[1].czxid, created[0].czxid);
        QCOMPARE(lab.server().children("/locks/r"), std::vector<std::string>{"lock-0000000000"});

        // A later create is a new request: a new node.
        lab.send("c1", makeBody(Create{s, "/locks/r/lock-", true, true}));
        lab.run(millis(50));
        QCOMPARE(lab.server().children("/locks/r").size(), std::size_t(2));

        // A refused create is answered again with the same refusal (no second attempt that might succeed
        // behind the client's back).
        lab.send("c1", makeBody(Create{s, "/locks/r/lock-0000000000/x", true, false}));
        lab.run(millis(50));
        const std::vector<ErrorMsg> refused = lab.probe("c1").all<ErrorMsg>();
        QCOMPARE(refused.size(), std::size_t(2));
        QCOMPARE(refused[0].code, int(ErrorCode::PreconditionFailed));
        QCOMPARE(refused[1].code, int(ErrorCode::PreconditionFailed));

        lab.send("c1", makeBody(Delete{s, created[0].path}));
        lab.run(millis(50));
        QCOMPARE(lab.probe("c1").all<DeleteOk>().size(), std::size_t(1));
        const std::vector<ErrorMsg> errors = lab.probe("c1").all<ErrorMsg>();
        QCOMPARE(errors.size(), std::size_t(3));
        QCOMPARE(errors.back().code, int(ErrorCode::KeyDoesNotExist));
        QCOMPARE(lab.server().children("/locks/r").size(), std::size_t(1));
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

        lab.send("c1", makeBody(Delete{s1, a.path}));
        lab.run(millis(50));
        std::vector<WatchEvent> events = lab.watchEvents("c2");
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].path, a.path);
        QCOMPARE(events[0].event, std::string(kEventDeleted));
        QCOMPARE(lab.server().watchCount(), std::size_t(0));

        // The watch was one-shot: re-creating and deleting the same path again wakes nobody.
        lab.create("c1", s1, a.path, true, false);
        lab.send("c1", makeBody(Delete{s1, a.path}));
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
        ZkLockLab lab(recipe(4, WatchMode(mode)));
        // c3 asks first, then c1, c4, c2: grants must follow that order, one holder at a time.
        const std::vector<std::string> order = {"c3", "c1", "c4", "c2"};
        for (const std::string& id : order) lab.lock(id);
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
            lab.unlock(order[i]);
        }
        QVERIFY(lab.holders().empty());
        CoordinationServer& server =
            *static_cast<CoordinationServer*>(lab.world.node(*lab.world.indexOf("zk")));
        QVERIFY(server.children("/locks/r").empty());
    }

    void zkLockPredecessorWatchWakesExactlyOneWaiterPerRelease() {
        ZkLockLab lab(recipe(5, WatchMode::Predecessor));
        for (const std::string& id : lab.ids) lab.lock(id);
        QCOMPARE(lab.totalWakeups(), std::uint64_t(0));
        for (std::size_t i = 0; i + 1 < lab.ids.size(); ++i) {
            const std::uint64_t before = lab.totalWakeups();
            lab.unlock(lab.ids[i]);
            QCOMPARE(lab.totalWakeups() - before, std::uint64_t(1));
            QCOMPARE(lab.holders(), std::vector<std::string>{lab.ids[i + 1]});
        }
    }

    void zkLockParentWatchWakesEveryWaiterOnEachRelease() {
        ZkLockLab lab(recipe(5, WatchMode::Parent));
        for (const std::string& id : lab.ids) lab.lock(id);
        // Each waiter also woke when a later client joined the queue: the herd starts early.
        QVERIFY(lab.totalWakeups() > 0);
        for (std::size_t i = 0; i + 1 < lab.ids.size(); ++i) {
            const std::uint64_t waiters = lab.ids.size() - i - 1;
            const std::uint64_t before = lab.totalWakeups();
            lab.unlock(lab.ids[i]);
            QCOMPARE(lab.totalWakeups() - before, waiters);
            QCOMPARE(lab.holders(), std::vector<std::string>{lab.ids[i + 1]});
        }
    }

    // The holder-crash story: 4 clients queue up; the holder crashes (World::crash); nothing moves until
    // its session times out; then the server deletes its node, exactly one waiter (the next in line)
    // wakes and takes the lock, and the others keep sleeping.
    void zkLockHolderCrashExpiresItsSessionAndExactlyOneWaiterTakesOver() {
        ZkLockLab lab(recipe(4, WatchMode::Predecessor));
        for (const std::string& id : lab.ids) lab.lock(id);
        QCOMPARE(lab.holders(), std::vector<std::string>{"c1"});
        const std::int64_t crashedToken = lab.client("c1").token();
        QVERIFY(lab.world.crash("c1").ok());
        lab.run(millis(100));  // well inside the 300 ms session timeout: nobody moves yet
        QVERIFY(lab.holders().empty());
        QCOMPARE(lab.totalWakeups(), std::uint64_t(0));
        lab.run(millis(500));  // the session expires, its node goes, its successor's watch fires
        QCOMPARE(lab.holders(), std::vector<std::string>{"c2"});
        QCOMPARE(lab.totalWakeups(), std::uint64_t(1));
        QCOMPARE(lab.client("c2").wakeups(), std::uint64_t(1));
        QVERIFY(lab.client("c2").token() > crashedToken);
        QCOMPARE(lab.client("c3").watching(), lab.client("c2").lockNode());
        QCOMPARE(lab.client("c4").watching(), lab.client("c3").lockNode());
        QCOMPARE(lab.server().expiredSessions(), std::uint64_t(1));
        // The server's own history says why the lock moved.
        const std::vector<ClientOp> holder = lab.ops("zk", "holder");
        QCOMPARE(holder.size(), std::size_t(3));
        QCOMPARE(holder[1].phase, OpPhase::Ok);
        ZK_COMPARE_JSON(holder[1].value["client"], Json("c1"));
        ZK_COMPARE_JSON(holder[1].value["reason"], Json("session expired"));
        ZK_COMPARE_JSON(holder[2].value["client"], Json("c2"));
    }

    void zkLockReleaseBeforeGrantLeavesTheQueue() {
        ZkLockLab lab(recipe(3, WatchMode::Predecessor));
        for (const std::string& id : lab.ids) lab.lock(id);
        lab.unlock("c2");  // a waiter gives up: c3 now waits on c1 after one wakeup
        QCOMPARE(lab.client("c3").watching(), lab.client("c1").lockNode());
        lab.unlock("c1");
        QCOMPARE(lab.holders(), std::vector<std::string>{"c3"});
    }

    // 200 seeds: clients ask at random moments over links of 2-30 ms latency, holders release after a random
    // hold. At no checked moment are there two holders, every client is eventually granted once, and
    // grants follow the order of the lock nodes' sequence numbers. Links stay FIFO: a ZooKeeper session
    // runs over TCP and the recipe relies on a watch event never overtaking the reply that set the watch.
    void zkLockSeedSweepKeepsMutualExclusionAndFifo() {
        for (std::uint64_t seed = 1; seed <= 200; ++seed) {
            ZkLockLab lab(recipe(4, seed % 2 ? WatchMode::Predecessor : WatchMode::Parent, seed));
            LinkConfig link = lab.world.network().defaults();
            link.latencyMax = millis(30);
            lab.world.network().setDefaults(link);
            Rng rng(seed);
            for (const std::string& id : lab.ids)
                lab.world.schedule(lab.world.now() + millis(std::int64_t(rng.uniform(0, 40))),
                                   [id](World& w) {
                                       (void)w.sendFrom("ctl", id, makeBody(lock::ClientLock{"r", 0, -1}));
                                   });
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
                    lab.world.schedule(lab.world.now() + millis(std::int64_t(rng.uniform(1, 30))),
                                       [holder](World& w) {
                                           (void)w.sendFrom("ctl", holder, makeBody(lock::ClientUnlock{"r"}));
                                       });
                }
            }
            QVERIFY2(granted.size() == lab.ids.size(),
                     ("not everyone was granted, seed " + std::to_string(seed)).c_str());
            for (std::size_t i = 1; i < granted.size(); ++i)
                QVERIFY2(lab.client(granted[i - 1]).token() < lab.client(granted[i]).token(),
                         ("grants out of sequence order, seed " + std::to_string(seed)).c_str());
        }
    }

    // --- client_lock / client_unlock, storage, sessions ---

    // With a storage: READING (fenced by the czxid) -> work -> WRITING (read-modify-write) -> release.
    void zkLockReadsWorksWritesAndReleasesAgainstAFencedStorage() {
        ZkLabOptions options = recipe(3, WatchMode::Predecessor);
        options.storage = true;
        options.holdMs = 40;
        ZkLockLab lab(options);
        for (const std::string& id : lab.ids) lab.send(id, makeBody(lock::ClientLock{"acct", 5000, -1}));
        lab.run(millis(1000));
        for (const std::string& id : lab.ids) {
            QCOMPARE(lab.client(id).state(), ZkLockClient::State::Idle);
            QCOMPARE(lab.client(id).grants(), std::uint64_t(1));
            const std::vector<ClientOp> locks = lab.ops(id, "lock");
            QCOMPARE(locks.size(), std::size_t(2));
            ZK_COMPARE_JSON(locks[0].value, (Json{{"resource", "acct"}}));
            QCOMPARE(locks[1].phase, OpPhase::Ok);
            const std::int64_t token = locks[1].value["fencing_token"].get<std::int64_t>();
            QVERIFY(locks[1].value["lock_node"].get<std::string>().starts_with("/locks/acct/lock-"));
            const std::vector<ClientOp> reads = lab.ops(id, "read");
            QCOMPARE(reads.size(), std::size_t(2));
            ZK_COMPARE_JSON(reads[0].value, (Json{{"key", "acct"}, {"fencing_token", token}}));
            QCOMPARE(reads[1].phase, OpPhase::Ok);
            ZK_COMPARE_JSON(reads[1].value["fencing_token"], Json(token));
            const std::vector<ClientOp> writes = lab.ops(id, "write");
            QCOMPARE(writes.size(), std::size_t(2));
            QCOMPARE(writes[1].phase, OpPhase::Ok);
            QVERIFY(writes[1].time - reads[1].time >= millis(40));  // it worked hold_ms in between
            const std::vector<ClientOp> unlocks = lab.ops(id, "unlock");
            QCOMPARE(unlocks.size(), std::size_t(2));
            ZK_COMPARE_JSON(unlocks[0].value["lock_node"], locks[1].value["lock_node"]);
            ZK_COMPARE_JSON(unlocks[1].value, (Json{{"released", true}}));
        }
        // Each read the value the previous holder wrote: the value grew by one entry per grant.
        const std::string value = lab.storage().values().at("acct").value;
        QVERIFY2(value.find("c1#") != std::string::npos && value.find("c2#") != std::string::npos &&
                     value.find("c3#") != std::string::npos,
                 value.c_str());
        QCOMPARE(std::count(value.begin(), value.end(), '#'), std::ptrdiff_t(3));
        QVERIFY(lab.server().children("/locks/acct").empty());
    }

    void zkLockHoldMsOfTheRequestOverridesTheDefault() {
        ZkLabOptions options = recipe(1, WatchMode::Predecessor);
        options.holdMs = 0;  // the default holds until client_unlock...
        ZkLockLab lab(options);
        lab.lock("c1", "r", 100);  // ...but this acquisition works 100 ms and releases by itself
        QCOMPARE(lab.holders(), std::vector<std::string>{"c1"});
        lab.run(millis(150));
        QVERIFY(lab.holders().empty());
        QCOMPARE(lab.ops("c1", "unlock").size(), std::size_t(2));
    }

    // hold_ms beyond lock::kTtlMsMax (a day) would overflow the timer's microseconds: like the lease
    // client, the acquisition falls back to the default hold; kTtlMsMax itself is accepted.
    void zkLockHoldMsAboveTheLimitFallsBackToTheDefault_data() {
        QTest::addColumn<qint64>("holdMs");
        QTest::newRow("int64 max") << qint64(std::numeric_limits<std::int64_t>::max());
        QTest::newRow("a day and 1 ms") << qint64(lock::kTtlMsMax + 1);
        QTest::newRow("overflows millis()") << qint64(std::numeric_limits<std::int64_t>::max() / 1000 + 1);
    }
    void zkLockHoldMsAboveTheLimitFallsBackToTheDefault() {
        QFETCH(qint64, holdMs);
        ZkLabOptions options = recipe(2, WatchMode::Predecessor);
        options.holdMs = 100;
        ZkLockLab lab(options);
        lab.lock("c1", "r", holdMs);
        QCOMPARE(lab.holders(), std::vector<std::string>{"c1"});
        lab.run(millis(100));  // the default 100 ms, counted from the grant
        QVERIFY(lab.holders().empty());
        const std::vector<ClientOp> unlocks = lab.ops("c1", "unlock");
        QCOMPARE(unlocks.size(), std::size_t(2));
        ZK_COMPARE_JSON(unlocks[1].value, (Json{{"released", true}}));
        QCOMPARE(unlocks[0].time - lab.ops("c1", "lock").at(1).time, millis(100));

        // The limit itself is a valid (if long) hold.
        lab.lock("c2", "r", lock::kTtlMsMax);
        lab.run(millis(5000));
        QCOMPARE(lab.holders(), std::vector<std::string>{"c2"});
    }

    void zkLockClientUnlockWhileWaitingLeavesTheQueueWithoutAGrant() {
        ZkLockLab lab(recipe(3, WatchMode::Predecessor));
        for (const std::string& id : lab.ids) lab.lock(id);
        const std::string c2Node = lab.client("c2").lockNode();
        lab.unlock("c2");
        QCOMPARE(lab.client("c2").state(), ZkLockClient::State::Idle);
        QCOMPARE(lab.server().znodes().count(c2Node), std::size_t(0));
        QCOMPARE(lab.client("c3").watching(), lab.client("c1").lockNode());
        const std::vector<ClientOp> locks = lab.ops("c2", "lock");
        QCOMPARE(locks.size(), std::size_t(2));
        QCOMPARE(locks[1].phase, OpPhase::Fail);
        ZK_COMPARE_JSON(locks[1].value["error"], Json("client_unlock before the grant"));
        const std::vector<ClientOp> unlocks = lab.ops("c2", "unlock");
        QCOMPARE(unlocks.size(), std::size_t(2));
        ZK_COMPARE_JSON(unlocks[0].value["lock_node"], Json(c2Node));
        ZK_COMPARE_JSON(unlocks[1].value["released"], Json(true));
        // An unlock for another resource is not ours to act on.
        lab.unlock("c3", "other");
        QCOMPARE(lab.client("c3").state(), ZkLockClient::State::Waiting);
    }

    void zkLockClientUnlockWhileHoldingReleasesAtOnceAndSkipsTheWrite() {
        ZkLabOptions options = recipe(2, WatchMode::Predecessor);
        options.storage = true;
        options.holdMs = 5000;
        ZkLockLab lab(options);
        lab.lock("c1");
        lab.lock("c2");
        QCOMPARE(lab.holders(), std::vector<std::string>{"c1"});
        QVERIFY(lab.world.cut("c2", "disk").ok());  // c2's read will hang
        lab.unlock("c1");                           // during its 5 s of work
        QCOMPARE(lab.holders(), std::vector<std::string>{"c2"});
        QCOMPARE(lab.client("c1").state(), ZkLockClient::State::Idle);
        QVERIFY(lab.ops("c1", "write").empty());
        ZK_COMPARE_JSON(lab.ops("c1", "unlock").back().value, (Json{{"released", true}}));
        // An unlock while the read is in flight gives the lock back too; the read's fate is unknown.
        QCOMPARE(lab.client("c2").state(), ZkLockClient::State::Reading);
        lab.unlock("c2");
        QCOMPARE(lab.client("c2").state(), ZkLockClient::State::Idle);
        const std::vector<ClientOp> reads = lab.ops("c2", "read");
        QCOMPARE(reads.size(), std::size_t(2));
        QCOMPARE(reads[1].phase, OpPhase::Unknown);
        ZK_COMPARE_JSON(reads[1].value["error"], Json("client_unlock"));
        QVERIFY(lab.ops("c2", "write").empty());
        QVERIFY(lab.server().children("/locks/r").empty());
    }

    void zkLockClientLockWhileBusyIsIgnoredAndABadResourceFails() {
        ZkLockLab lab(recipe(1, WatchMode::Predecessor));
        lab.lock("c1");
        lab.lock("c1", "q");  // busy with r
        QCOMPARE(lab.ops("c1", "lock").size(), std::size_t(2));
        QCOMPARE(lab.client("c1").lockDir(), std::string("/locks/r"));
        lab.unlock("c1");
        lab.lock("c1", "a/b");
        const std::vector<ClientOp> locks = lab.ops("c1", "lock");
        QCOMPARE(locks.size(), std::size_t(4));
        QCOMPARE(locks[3].phase, OpPhase::Fail);
        QVERIFY(locks[3].value["error"].get<std::string>().find("'/'") != std::string::npos);
        QCOMPARE(lab.client("c1").state(), ZkLockClient::State::Idle);
        // An empty resource takes the configured default.
        lab.lock("c1", "");
        QCOMPARE(lab.holders(), std::vector<std::string>{"c1"});
        QCOMPARE(lab.client("c1").resource(), std::string("r"));
    }

    void zkLockWatchModeSetAppliesFromTheNextAcquisition() {
        ZkLockLab lab(recipe(2, WatchMode::Predecessor));
        lab.lock("c1");
        lab.lock("c2");
        QCOMPARE(lab.client("c2").watching(), lab.client("c1").lockNode());
        lab.send("c2", makeBody(WatchModeSet{"parent"}));
        lab.send("c2", makeBody(WatchModeSet{"sideways"}));  // ignored
        lab.run(millis(50));
        QCOMPARE(lab.client("c2").mode(), WatchMode::Predecessor);  // this acquisition keeps its watch
        QCOMPARE(lab.client("c2").nextMode(), WatchMode::Parent);
        QCOMPARE(lab.client("c2").watching(), lab.client("c1").lockNode());
        lab.unlock("c1");
        QCOMPARE(lab.holders(), std::vector<std::string>{"c2"});
        lab.lock("c1");
        lab.unlock("c2");
        lab.lock("c2");  // the next acquisition watches the parent
        QCOMPARE(lab.client("c2").mode(), WatchMode::Parent);
        QCOMPARE(lab.client("c2").watching(), std::string("/locks/r"));
        QCOMPARE(zkMessageTypes().back(), WatchModeSet::kType);
        QCOMPARE(bodyToJson(makeBody(WatchModeSet{"parent"})).dump(),
                 std::string(R"({"mode":"parent","msg_id":0,"type":"zk_watch_set"})"));
    }

    // A waiter paused longer than its session timeout: the server expires the session (and its node);
    // on resuming the client learns it, records the loss, and queues again on a new session, as a user
    // of the recipe would. It is granted once the holder lets go.
    void zkLockWaiterWhoseSessionExpiredAcquiresAgainOnANewSession() {
        ZkLockLab lab(recipe(2, WatchMode::Predecessor));
        lab.lock("c1");
        lab.lock("c2");
        const std::int64_t firstSession = lab.client("c2").session();
        const std::string firstNode = lab.client("c2").lockNode();
        QVERIFY(lab.world.pause("c2", millis(600)).ok());
        lab.run(millis(1000));
        QCOMPARE(lab.server().znodes().count(firstNode), std::size_t(0));
        QCOMPARE(lab.client("c2").sessionsLost(), std::uint64_t(1));
        QVERIFY(lab.client("c2").session() != firstSession && lab.client("c2").session() != 0);
        QCOMPARE(lab.client("c2").state(), ZkLockClient::State::Waiting);
        QVERIFY(lab.client("c2").lockNode() != firstNode && !lab.client("c2").lockNode().empty());
        const std::vector<ClientOp> unlocks = lab.ops("c2", "unlock");
        QCOMPARE(unlocks.size(), std::size_t(2));
        ZK_COMPARE_JSON(unlocks[1].value,
                        (Json{{"resource", "r"}, {"released", false}, {"reason", "session expired"}}));
        QCOMPARE(lab.ops("c2", "lock").size(), std::size_t(1));  // the same lock op, still pending
        lab.unlock("c1");
        QCOMPARE(lab.holders(), std::vector<std::string>{"c2"});
        QCOMPARE(lab.ops("c2", "lock").size(), std::size_t(2));
        ZK_COMPARE_JSON(lab.ops("c2", "lock")[1].value["lock_node"], Json(lab.client("c2").lockNode()));
    }

    // A holder paused past its session timeout resumes believing it holds the lock; its session is gone,
    // the next client holds it, and the storage's fencing check refuses the old holder's write.
    void zkLockHolderPausedPastItsSessionIsFencedOffByTheStorage() {
        ZkLabOptions options = recipe(2, WatchMode::Predecessor);
        options.storage = true;
        options.holdMs = 200;
        ZkLockLab lab(options);
        lab.lock("c1");
        lab.lock("c2");
        QCOMPARE(lab.client("c1").state(), ZkLockClient::State::Holding);  // working, after its read
        QVERIFY(lab.world.pause("c1", millis(800)).ok());
        lab.run(millis(2000));
        const std::vector<ClientOp> writes = lab.ops("c1", "write");
        // Its work timer ran out during the pause, so on resuming it writes at once, with its old
        // token: the storage has seen c2's newer one and refuses (error 22, a definite failure).
        QCOMPARE(writes.size(), std::size_t(2));
        QCOMPARE(writes[1].phase, OpPhase::Fail);
        QVERIFY(writes[1].value["error"].get<std::string>().find("fencing token") != std::string::npos);
        QCOMPARE(lab.ops("c2", "write").back().phase, OpPhase::Ok);
        const std::vector<ClientOp> unlocks = lab.ops("c1", "unlock");
        QVERIFY(!unlocks.empty());
        ZK_COMPARE_JSON(unlocks.back().value["released"], Json(false));
        QCOMPARE(lab.client("c1").state(), ZkLockClient::State::Idle);
    }

    // A create whose request is lost must not wedge the client: it times out, leaves that session to
    // expire, and acquires on a new one.
    void zkLockLostCreateDoesNotWedgeTheClient() {
        ZkLockLab lab(recipe(1, WatchMode::Predecessor));
        QVERIFY(lab.world.cut("c1", "zk").ok());
        lab.lock("c1");
        lab.run(millis(100));
        lab.world.heal();
        QVERIFY(lab.holders().empty());
        lab.run(millis(1000));
        QCOMPARE(lab.holders(), std::vector<std::string>{"c1"});
        QCOMPARE(lab.server().expiredSessions(), std::uint64_t(1));  // the abandoned one
    }

    // A create that was applied but whose answer is lost leaves a node of ours in the queue, ahead of
    // whatever we ask for next; abandoning its session removes it, so nobody waits on it for ever.
    void zkLockLostCreateAnswerLeavesNoOrphanForEver() {
        ZkLockLab lab(recipe(2, WatchMode::Predecessor));
        QVERIFY(lab.world.cut("zk", "c1").ok());
        lab.lock("c1");
        lab.world.heal();
        lab.lock("c2");
        QVERIFY(lab.holders().empty());  // c1's orphan is first in line, and nobody holds it
        QCOMPARE(lab.server().children("/locks/r").size(), std::size_t(2));
        lab.run(millis(1500));
        QCOMPARE(lab.server().expiredSessions(), std::uint64_t(1));
        QCOMPARE(lab.server().children("/locks/r").size(), std::size_t(2));  // c2's and c1's new node
        QCOMPARE(lab.holders(), std::vector<std::string>{"c2"});
        lab.unlock("c2");
        QCOMPARE(lab.holders(), std::vector<std::string>{"c1"});
    }

    // --- the server's holder history ---

    void serverRecordsWhoReallyHoldsEachLock() {
        ZkLockLab lab(recipe(3, WatchMode::Predecessor));
        lab.lock("c1");
        lab.lock("c2");
        lab.lock("c3", "other");
        const std::int64_t t1 = lab.client("c1").token();
        const std::int64_t t2 = lab.client("c2").token();
        const SimTime releasedAt = lab.world.now();
        lab.unlock("c1");
        QVERIFY(lab.world.crash("c2").ok());
        lab.run(millis(600));

        std::vector<ClientOp> holder = lab.ops("zk", "holder");
        std::vector<ClientOp> onR;
        for (const ClientOp& op : holder)
            if (op.value["resource"] == "r") onR.push_back(op);
        QCOMPARE(holder.size() - onR.size(), std::size_t(1));  // c3 holds "other"
        QCOMPARE(onR.size(), std::size_t(4));
        QCOMPARE(onR[0].phase, OpPhase::Invoke);
        QCOMPARE(onR[0].opId, t1);
        ZK_COMPARE_JSON(onR[0].value, (Json{{"resource", "r"},
                                            {"client", "c1"},
                                            {"fencing_token", t1},
                                            {"lock_node", "/locks/r/lock-0000000000"}}));
        QCOMPARE(onR[1].phase, OpPhase::Ok);
        QCOMPARE(onR[1].opId, t1);
        ZK_COMPARE_JSON(
            onR[1].value,
            (Json{{"resource", "r"}, {"client", "c1"}, {"fencing_token", t1}, {"reason", "released"}}));
        QVERIFY(onR[1].time > releasedAt && onR[1].time < releasedAt + millis(50));
        QCOMPARE(onR[2].phase, OpPhase::Invoke);
        QCOMPARE(onR[2].time, onR[1].time);  // the same change
        ZK_COMPARE_JSON(onR[2].value["client"], Json("c2"));
        QCOMPARE(onR[2].opId, t2);
        QCOMPARE(onR[3].phase, OpPhase::Ok);
        ZK_COMPARE_JSON(onR[3].value["reason"], Json("session expired"));
        QVERIFY(onR[3].time >= onR[2].time + millis(300));
    }

    // A restarted server starts a new epoch: zxids (fencing tokens) and session ids keep increasing.
    void aRestartedServerKeepsZxidsAndSessionIdsIncreasing() {
        ZkLockLab lab(recipe(1, WatchMode::Predecessor));
        lab.lock("c1");
        const std::int64_t before = lab.client("c1").token();
        const std::int64_t session = lab.client("c1").session();
        QVERIFY(lab.world.crash("zk").ok());
        QVERIFY(lab.world.restart("zk").ok());
        lab.run(millis(1000));  // the next heartbeat finds the session gone
        QCOMPARE(lab.client("c1").sessionsLost(), std::uint64_t(1));
        QVERIFY(lab.client("c1").session() > session);
        QVERIFY(lab.server().zxid() > before);
        lab.lock("c1");
        QVERIFY(lab.client("c1").holding());
        QVERIFY(lab.client("c1").token() > before);
    }

    // The reviewer's zk_reuse run: c1 holds the lock and is paused; the server restarts, forgetting every
    // node, so sequence numbers start again and c2's node gets c1's old name. When c1 resumes and
    // releases, its delete names its old session: the server refuses it (error 14), c2 keeps its node
    // and the lock, c3 keeps waiting, and c1 learns its session is gone.
    void zkLockStaleClientCannotDeleteTheNodeThatNowBearsItsOldName() {
        ZkLockLab lab(recipe(3, WatchMode::Predecessor));
        lab.lock("c1");
        const std::string oldNode = lab.client("c1").lockNode();
        QCOMPARE(oldNode, std::string("/locks/r/lock-0000000000"));
        QVERIFY(lab.world.pause("c1", millis(1500)).ok());
        QVERIFY(lab.world.crash("zk").ok());
        QVERIFY(lab.world.restart("zk").ok());
        lab.run(millis(100));
        lab.lock("c2");
        lab.lock("c3");
        QCOMPARE(lab.client("c2").lockNode(), oldNode);                   // the name is back in use
        QCOMPARE(lab.holders(), (std::vector<std::string>{"c1", "c2"}));  // c1 only believes it
        lab.send("c1", makeBody(lock::ClientUnlock{"r"}));
        lab.run(millis(2000));

        QCOMPARE(lab.holders(), std::vector<std::string>{"c2"});
        QVERIFY(!lab.client("c3").holding());  // still in line (waiting, or re-listing on its recheck)
        QCOMPARE(lab.client("c3").lockNode(), std::string("/locks/r/lock-0000000001"));
        QCOMPARE(lab.server().children("/locks/r"),
                 (std::vector<std::string>{"lock-0000000000", "lock-0000000001"}));
        const std::vector<ClientOp> unlocks = lab.ops("c1", "unlock");
        QCOMPARE(unlocks.size(), std::size_t(2));
        ZK_COMPARE_JSON(unlocks[1].value, (Json{{"released", false}, {"reason", "session expired"}}));
        QCOMPARE(lab.client("c1").state(), ZkLockClient::State::Idle);
        QVERIFY(lab.client("c1").sessionsLost() >= 1);

        // The grants stay in line: c3 gets the lock when c2 releases.
        lab.unlock("c2");
        QCOMPARE(lab.holders(), std::vector<std::string>{"c3"});
    }

    // Only the owning session may delete an ephemeral node: the holder keeps it whoever else asks.
    void zkLockDeleteFromAnotherSessionLeavesTheHoldersNode() {
        ZkLockLab lab(recipe(2, WatchMode::Predecessor));
        lab.lock("c1");
        lab.lock("c2");
        // c2's session deletes c1's node by name, as a confused client would: refused.
        QVERIFY(lab.world
                    .sendFrom("c2", "zk",
                              makeBody(Delete{lab.client("c2").session(), lab.client("c1").lockNode()}))
                    .ok());
        lab.run(millis(50));
        QCOMPARE(lab.holders(), std::vector<std::string>{"c1"});
        QCOMPARE(lab.server().children("/locks/r").size(), std::size_t(2));
    }

    void lockOrderIsBySequenceNumber() {
        QCOMPARE(sequenceOf("lock-0000000007"), std::int64_t(7));
        QCOMPARE(sequenceOf("lock-"), std::int64_t(-1));
        QVERIFY(lockOrderLess("lock-0000000002", "lock-0000000010"));
        QVERIFY(lockOrderLess("_c_z-lock-0000000002", "_c_a-lock-0000000003"));
        QVERIFY(!lockOrderLess("lock-0000000002", "lock-0000000002"));
    }

    void zkLockClientDescribesItsState() {
        ZkLockLab lab(recipe(2, WatchMode::Predecessor));
        lab.lock("c1");
        lab.lock("c2");
        std::vector<std::pair<std::string, std::string>> out;
        lab.client("c2").describe(out);
        QCOMPARE(out.size(), std::size_t(6));
        QCOMPARE(out[0], (std::pair<std::string, std::string>{"state", "WAITING"}));
        QCOMPARE(out[2].second, lab.client("c1").lockNode());
    }
};

QTEST_GUILESS_MAIN(TstZkLock)
#include "tst_zk_lock.moc"
