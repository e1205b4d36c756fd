// The Dynamo-style demo store on the deterministic kernel, story by story: routing to the owner, R
// replicas, failover after a ring change, handoff to a new node, catch-up and anti-entropy, loss, the
// checkers' verdicts, and a seed sweep of kills and restarts.
#include <QTest>

#include <set>
#include <sstream>

#include "core/check/kv_checks.h"
#include "core/protocols/kv/control_node.h"
#include "core/protocols/kv/kv_client.h"
#include "core/protocols/kv/kv_server.h"
#include "core/sim/world.h"

using namespace distlab;
using namespace distlab::kv;

namespace {

constexpr std::uint64_t kEventsMax = 50'000'000;

KvClientConfig quietClient() {
    KvClientConfig config;
    config.enabled = false;  // only console operations
    return config;
}

KvClientConfig busyClient() {
    KvClientConfig config;
    config.keys = 30;
    config.intervalMin = millis(20);
    config.intervalMax = millis(80);
    config.writeRatio = 0.6;
    return config;
}

// A cluster as the Session drives it: servers n1.., clients c1.., and "ctl", the membership service,
// which owns the authoritative ring and announces it.
class Cluster {
public:
    explicit Cluster(std::uint64_t seed, int servers = 5, int clients = 1,
                     KvClientConfig clientConfig = quietClient())
        : world(seed), ring(ring::RingConfig{64, ring::HashKind::Xxh3}), m_clientConfig(clientConfig) {
        QVERIFY(world.addNode("ctl", [] { return std::make_unique<ControlNode>(); }).ok());
        for (int i = 1; i <= servers; ++i) addServer("n" + std::to_string(i));
        for (int i = 1; i <= clients; ++i) {
            const std::string id = "c" + std::to_string(i);
            QVERIFY(
                world.addNode(id, [config = m_clientConfig] { return std::make_unique<KvClient>(config); })
                    .ok());
            clients_.push_back(id);
        }
    }

    void addServer(const std::string& id) {
        QVERIFY(world.addNode(id, [] { return std::make_unique<KvServer>(); }).ok());
        QVERIFY(ring.addNode(id));
        servers.push_back(id);
    }

    // Sends the membership service's current ring to everyone, under a new epoch.
    void announce() {
        ++epoch;
        const Body body = makeBody(makeRingUpdate(epoch, ring, replicas, down));
        for (const std::vector<std::string>* group : {&servers, &clients_}) {
            for (const std::string& id : *group) (void)world.sendFrom("ctl", id, body);
        }
    }

    void crash(const std::string& id, bool tellMembership = true) {
        QVERIFY(world.crash(id).ok());
        if (tellMembership) {
            down.push_back(id);
            announce();
        }
    }

    void restart(const std::string& id) {
        QVERIFY(world.restart(id).ok());
        std::erase(down, id);
        announce();
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }

    void clientPut(const std::string& key, const std::string& value, const std::string& client = "c1") {
        QVERIFY(world.sendFrom("ctl", client, makeBody(ClientPut{key, value})).ok());
    }
    void clientGet(const std::string& key, const std::string& client = "c1") {
        QVERIFY(world.sendFrom("ctl", client, makeBody(ClientGet{key})).ok());
    }
    void setWorkload(bool enabled) {
        for (const std::string& id : clients_) (void)world.sendFrom("ctl", id, makeBody(Workload{enabled}));
    }

    // What "heal, stop the workload, re-send the ring, wait" looks like from the console.
    void quiesce(SimTime wait = millis(5000)) {
        world.heal();
        LinkConfig quiet = world.network().defaults();
        quiet.dropRate = 0.0;
        quiet.duplicateRate = 0.0;
        world.network().setDefaults(quiet);
        setWorkload(false);
        announce();
        run(wait);
    }

    std::vector<std::string> preferenceList(const std::string& key) const {
        return RingView::fromUpdate(makeRingUpdate(std::max<std::int64_t>(epoch, 1), ring, replicas, down))
            .value()
            .preferenceList(key);
    }

    std::optional<Entry> stored(const std::string& node, const std::string& key) {
        return readEntry(world.store(*world.indexOf(node)), key);
    }
    std::set<std::string> storedKeys(const std::string& node) {
        std::set<std::string> keys;
        for (const Entry& entry : readEntries(world.store(*world.indexOf(node)))) keys.insert(entry.key);
        return keys;
    }

    KvServer* server(const std::string& id) {
        return dynamic_cast<KvServer*>(world.node(*world.indexOf(id)));
    }
    KvClient* client(const std::string& id) {
        return dynamic_cast<KvClient*>(world.node(*world.indexOf(id)));
    }

    // Completions (ok / fail / unknown) of one client's operations, in order.
    std::vector<ClientOp> completions(const std::string& process = "c1") const {
        std::vector<ClientOp> out;
        for (const ClientOp& op : world.trace().clientOps()) {
            if (op.process == process && op.phase != OpPhase::Invoke) out.push_back(op);
        }
        return out;
    }

    // Messages of a type sent at or after trace position `from`.
    std::vector<Envelope> sent(std::string_view type, std::size_t from = 0) const {
        std::vector<Envelope> out;
        const auto& events = world.trace().events();
        for (std::size_t i = from; i < events.size(); ++i) {
            if (events[i].kind != TraceKind::Send) continue;
            const Envelope& envelope = world.trace().message(events[i].ref).envelope;
            if (envelope.body.type == type) out.push_back(envelope);
        }
        return out;
    }

    CheckResult replicasAgree() const { return checkReplicasAgree(world, ring, down, replicas); }
    CheckResult noLostWrites() const { return checkNoLostWrites(world, ring, down, replicas); }

    std::string traceText() const {
        std::ostringstream out;
        world.trace().writeJsonLines(out);
        return out.str();
    }

    World world;
    ring::HashRing ring;
    std::vector<std::string> servers;
    std::vector<std::string> down;
    std::int64_t epoch = 0;
    int replicas = 3;

private:
    KvClientConfig m_clientConfig;
    std::vector<std::string> clients_;
};

std::string field(const ClientOp& op, const char* name) {
    auto it = op.value.find(name);
    return it != op.value.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

class TestKvStore : public QObject {
    Q_OBJECT

private slots:
    void putIsRoutedToTheOwnerAndStoredOnThreeReplicas() {
        // kv: a put is routed to the owner and stored on R=3 replicas
        Cluster c(1);
        c.announce();
        c.run(millis(50));
        c.clientPut("k1", "hello");
        c.run(millis(300));

        const std::vector<std::string> list = c.preferenceList("k1");
        QCOMPARE(list.size(), std::size_t{3});
        std::vector<ClientOp> done = c.completions();
        QCOMPARE(done.size(), std::size_t{1});
        QCOMPARE(done[0].phase, OpPhase::Ok);
        QCOMPARE(done[0].value["version"]["writer"].get<std::string>(), list[0]);

        std::vector<Envelope> puts = c.sent(Put::kType);
        QCOMPARE(puts.size(), std::size_t{1});
        QCOMPARE(puts[0].src, std::string("c1"));
        QCOMPARE(puts[0].dest, list[0]);
        std::vector<Envelope> replicates = c.sent(Replicate::kType);
        QCOMPARE(replicates.size(), std::size_t{2});
        for (const Envelope& r : replicates) QCOMPARE(r.src, list[0]);

        for (const std::string& id : c.servers) {
            const bool replica = std::find(list.begin(), list.end(), id) != list.end();
            std::optional<Entry> entry = c.stored(id, "k1");
            QCOMPARE(entry.has_value(), replica);
            if (replica) QCOMPARE(entry->value, std::string("hello"));
        }
        std::vector<std::pair<std::string, std::string>> details;
        c.server(list[0])->describe(details);
        QCOMPARE(details.size(), std::size_t{6});
        QCOMPARE(details[0], (std::pair<std::string, std::string>{"ring epoch", "1"}));
        QCOMPARE(details[4], (std::pair<std::string, std::string>{"writes applied", "1"}));
        QVERIFY2(details[5].second.starts_with("k1=hello @ 0.0"), details[5].second.c_str());
        QVERIFY(c.replicasAgree().ok);
        QVERIFY(c.noLostWrites().ok);
    }

    void aNonOwnerRefusesAndNamesTheOwner() {
        // kv: a put sent to a node that is not the owner is refused with temporarily-unavailable
        Cluster c(2);
        c.announce();
        c.run(millis(50));
        const std::vector<std::string> list = c.preferenceList("k5");
        QVERIFY(c.world.sendFrom("ctl", list[1], makeBody(Put{"k5", "x"})).ok());
        c.run(millis(50));
        std::vector<Envelope> errors = c.sent(ErrorMsg::kType);
        QCOMPARE(errors.size(), std::size_t{1});
        ErrorMsg error = bodyAs<ErrorMsg>(errors[0].body).value();
        QCOMPARE(error.code, static_cast<int>(ErrorCode::TemporarilyUnavailable));
        QCOMPARE(error.text, "not the owner of k5 (owner is " + list[0] + ")");
        QVERIFY(!c.stored(list[1], "k5").has_value());
    }

    void anInvalidRingUpdateIsIgnoredAndSaysWhy() {
        // kv: a ring_update with R = 0 is ignored, and the trace says why
        Cluster c(11);
        RingUpdate bad = makeRingUpdate(1, c.ring, 0, {});
        QVERIFY(c.world.sendFrom("ctl", "n1", makeBody(bad)).ok());
        c.run(millis(50));
        QVERIFY(!c.server("n1")->ringView().known());
        bool explained = false;
        for (const TraceEvent& event : c.world.trace().events()) {
            if (event.kind == TraceKind::State && event.text != kNoName)
                explained |=
                    c.world.trace().name(event.text).starts_with("ring_update ignored: ring_update.replicas");
        }
        QVERIFY(explained);
        c.announce();  // a valid one is still adopted afterwards
        c.run(millis(50));
        QCOMPARE(c.server("n1")->ringView().epoch(), std::int64_t{1});
    }

    void ownerCrashThenNextNodeServesTheAckedValue() {
        // kv: the owner crashes -> after a ring_update the next node serves the key with the acked value
        Cluster c(3);
        c.announce();
        c.run(millis(50));
        c.clientPut("k1", "hello");
        c.run(millis(300));
        const std::vector<std::string> before = c.preferenceList("k1");
        QCOMPARE(c.completions().back().phase, OpPhase::Ok);

        c.crash(before[0]);
        c.run(millis(200));
        QCOMPARE(c.preferenceList("k1")[0], before[1]);
        QCOMPARE(c.server(before[1])->ringView().epoch(), std::int64_t{2});

        const std::size_t mark = c.world.trace().size();
        c.clientGet("k1");
        c.run(millis(300));
        const ClientOp read = c.completions().back();
        QCOMPARE(read.f, std::string("get"));
        QCOMPARE(read.phase, OpPhase::Ok);
        QCOMPARE(field(read, "value"), std::string("hello"));
        std::vector<Envelope> gets = c.sent(Get::kType, mark);
        QCOMPARE(gets.size(), std::size_t{1});
        QCOMPARE(gets[0].dest, before[1]);
        QVERIFY(c.noLostWrites().ok);
    }

    void aNewNodePullsExactlyTheKeysItNowOwns() {
        // kv: a new node pulls exactly the keys it now owns (handoff messages in the trace)
        Cluster c(4);
        c.announce();
        c.run(millis(50));
        for (int k = 0; k < 40; ++k) c.clientPut("k" + std::to_string(k), "v" + std::to_string(k));
        c.run(millis(3000));
        std::vector<ClientOp> done = c.completions();
        QCOMPARE(done.size(), std::size_t{40});
        for (const ClientOp& op : done) QCOMPARE(op.phase, OpPhase::Ok);

        const std::size_t mark = c.world.trace().size();
        c.addServer("n6");
        c.announce();
        c.run(millis(300));  // less than an anti-entropy round: this is the handoff alone

        std::set<std::string> expected;
        for (int k = 0; k < 40; ++k) {
            const std::string key = "k" + std::to_string(k);
            std::vector<std::string> list = c.preferenceList(key);
            if (std::find(list.begin(), list.end(), "n6") != list.end()) expected.insert(key);
        }
        QVERIFY(!expected.empty());
        QVERIFY(expected.size() < 40);
        QCOMPARE(c.storedKeys("n6"), expected);

        std::set<std::string> pulledFrom, answeredBy;
        for (const Envelope& e : c.sent(Pull::kType, mark)) {
            if (e.src == "n6") pulledFrom.insert(e.dest);
        }
        for (const Envelope& e : c.sent(PullOk::kType, mark)) {
            if (e.dest == "n6") answeredBy.insert(e.src);
        }
        const std::set<std::string> oldServers{"n1", "n2", "n3", "n4", "n5"};
        QCOMPARE(pulledFrom, oldServers);
        QCOMPARE(answeredBy, oldServers);
        QCOMPARE(c.server("n6")->pendingPulls(), std::size_t{0});
        QVERIFY2(c.replicasAgree().ok, c.replicasAgree().explanation.c_str());
    }

    void aLargeHandoffIsSplitIntoBoundedMessages() {
        // kv: a large handoff is split into pull_ok messages of at most 500 entries
        Cluster c(12, 2);
        c.replicas = 2;  // every key lives on both nodes
        for (int k = 0; k < 1200; ++k) {
            writeEntry(c.world.store(*c.world.indexOf("n1")),
                       Entry{"bulk" + std::to_string(k), "x", Version{1, "n1"}});
        }
        c.announce();
        c.run(millis(200));
        std::vector<std::size_t> sizes;
        std::vector<bool> more;
        for (const Envelope& e : c.sent(PullOk::kType)) {
            if (e.src != "n1") continue;
            PullOk chunk = bodyAs<PullOk>(e.body).value();
            sizes.push_back(chunk.entries.size());
            more.push_back(chunk.more);
        }
        QCOMPARE(sizes, (std::vector<std::size_t>{500, 500, 200}));
        QCOMPARE(more, (std::vector<bool>{true, true, false}));
        QCOMPARE(c.storedKeys("n2").size(), std::size_t{1200});
        QCOMPARE(c.server("n2")->pendingPulls(), std::size_t{0});
    }

    void aRestartedNodeCatchesUp() {
        // kv: a restarted node catches up through anti-entropy (it pulls as soon as it is back)
        Cluster c(5);
        c.announce();
        c.run(millis(50));
        // The membership service has not noticed the crash: n3 stays in every preference list, so
        // replicas send to it in vain and its own keys time out.
        c.crash("n3", /*tellMembership=*/false);
        for (int k = 0; k < 20; ++k) c.clientPut("k" + std::to_string(k), "v" + std::to_string(k));
        c.run(millis(6000));
        std::size_t ok = 0, unknown = 0;
        for (const ClientOp& op : c.completions()) {
            ok += op.phase == OpPhase::Ok;
            unknown += op.phase == OpPhase::Unknown;
        }
        QCOMPARE(ok + unknown, std::size_t{20});
        QVERIFY(unknown > 0);  // the puts whose owner is n3

        std::set<std::string> missing;
        for (int k = 0; k < 20; ++k) {
            const std::string key = "k" + std::to_string(k);
            std::vector<std::string> list = c.preferenceList(key);
            if (std::find(list.begin(), list.end(), "n3") != list.end() && c.stored(list[0], key))
                missing.insert(key);
        }
        QVERIFY(!missing.empty());
        for (const std::string& key : missing) QVERIFY(!c.stored("n3", key).has_value());

        const std::size_t mark = c.world.trace().size();
        QVERIFY(c.world.restart("n3").ok());
        c.run(millis(1500));
        QVERIFY(!c.sent(Pull::kType, mark).empty());
        for (const std::string& key : missing) {
            std::optional<Entry> entry = c.stored("n3", key);
            QVERIFY2(entry.has_value(), key.c_str());
            QCOMPARE(entry->version, c.stored(c.preferenceList(key)[0], key)->version);
        }
        QVERIFY2(c.replicasAgree().ok, c.replicasAgree().explanation.c_str());
        QVERIFY2(c.noLostWrites().ok, c.noLostWrites().explanation.c_str());
    }

    void antiEntropyRepairsAReplicaThatMissedAWrite() {
        // kv: a replica cut off from the owner misses a write -> periodic anti-entropy repairs it
        Cluster c(6);
        c.announce();
        c.run(millis(200));  // the ring-change pulls are over before the write
        const std::vector<std::string> list = c.preferenceList("k2");
        QVERIFY(c.world.cut(list[0], list[2]).ok());
        c.clientPut("k2", "fresh");
        c.run(millis(200));
        QCOMPARE(c.completions().back().phase, OpPhase::Ok);  // W = 2: the owner and list[1]
        QVERIFY(!c.stored(list[2], "k2").has_value());
        QVERIFY(!c.replicasAgree().ok);

        c.world.heal();
        const std::size_t mark = c.world.trace().size();
        c.run(millis(1200));  // at least one anti-entropy round, with no ring change in between
        QVERIFY(!c.sent(Pull::kType, mark).empty());
        QCOMPARE(c.stored(list[2], "k2")->value, std::string("fresh"));
        QVERIFY2(c.replicasAgree().ok, c.replicasAgree().explanation.c_str());
    }

    void aPutThatCannotReachWCopiesIsUnknown() {
        // kv: the owner cannot reach either replica -> error 0 timeout -> the client records unknown
        Cluster c(7);
        c.announce();
        c.run(millis(50));
        const std::vector<std::string> list = c.preferenceList("k4");
        QVERIFY(c.world.cut(list[0], list[1]).ok());
        QVERIFY(c.world.cut(list[0], list[2]).ok());
        c.clientPut("k4", "maybe");
        c.run(millis(600));
        const ClientOp done = c.completions().back();
        QCOMPARE(done.phase, OpPhase::Unknown);
        QCOMPARE(done.value["error"].get<int>(), 0);
        QCOMPARE(c.stored(list[0], "k4")->value, std::string("maybe"));  // it did happen on the owner
        QCOMPARE(c.server(list[0])->pendingWrites(), std::size_t{0});
    }

    void underFivePercentDropReplicasAgreeAfterQuiesce() {
        // kv: under 5% drop the replicas agree after the workload stops and the network is quiet
        Cluster c(8, 5, 2, busyClient());
        c.announce();
        c.run(millis(50));
        LinkConfig lossy = c.world.network().defaults();
        lossy.dropRate = 0.05;
        c.world.network().setDefaults(lossy);
        c.run(millis(5000));
        QVERIFY(c.world.messageStats().dropped > 0);

        c.quiesce(millis(3000));
        const std::size_t opsAfterQuiesce = c.world.trace().clientOps().size();
        c.run(millis(1000));
        QCOMPARE(c.world.trace().clientOps().size(), opsAfterQuiesce);  // the generators stopped
        QVERIFY(!c.client("c1")->workloadEnabled());
        QVERIFY(c.client("c1")->okCount() > 10);
        QVERIFY(c.client("c2")->okCount() > 10);
        CheckResult agree = c.replicasAgree();
        CheckResult lost = c.noLostWrites();
        QVERIFY2(agree.ok, agree.explanation.c_str());
        QVERIFY2(lost.ok, lost.explanation.c_str());
        QVERIFY(agree.explanation.ends_with("keys have identical versions on their 3 replicas."));
    }

    void corruptedReplicaFailsReplicasAgree() {
        // checker: a deliberately corrupted replica (edit a store) makes replicas-agree fail with an
        // explanation naming the key
        Cluster c(9);
        c.announce();
        c.run(millis(50));
        c.clientPut("k1", "hello");
        c.clientPut("k2", "world");
        c.run(millis(500));
        CheckResult before = c.replicasAgree();
        QVERIFY(before.ok);
        QCOMPARE(before.name, std::string("replicas-agree"));
        QCOMPARE(before.explanation, std::string("All 2 keys have identical versions on their 3 replicas."));

        const std::vector<std::string> list = c.preferenceList("k1");
        writeEntry(c.world.store(*c.world.indexOf(list[2])), Entry{"k1", "garbage", Version{1, "zz"}});
        CheckResult after = c.replicasAgree();
        QVERIFY(!after.ok);
        QVERIFY2(after.explanation.find("k1: ") != std::string::npos, after.explanation.c_str());
        QVERIFY(after.explanation.find(list[2] + " has 1@zz (\"garbage\")") != std::string::npos);
        QVERIFY(after.explanation.find("k2") == std::string::npos);
        QVERIFY(after.explanation.starts_with("1 of 2 keys"));
        // It points at the put of "hello": its invoke and its ok.
        QCOMPARE(after.events.size(), std::size_t{2});
        for (std::uint64_t index : after.events) {
            const TraceEvent& event = c.world.trace().events().at(index);
            QCOMPARE(event.kind, TraceKind::Client);
            QCOMPARE(field(c.world.trace().clientOps().at(event.ref), "value"), std::string("hello"));
        }
    }

    void ownerMissingAnAckedWriteFailsNoLostWrites() {
        // checker: an owner whose copy of an acknowledged write was rolled back fails
        // no-lost-acknowledged-write, naming the key, the client and both versions
        Cluster c(10);
        c.announce();
        c.run(millis(50));
        c.clientPut("k3", "precious");
        c.run(millis(300));
        CheckResult before = c.noLostWrites();
        QVERIFY(before.ok);
        QCOMPARE(before.name, std::string("no-lost-acknowledged-write"));
        QCOMPARE(before.explanation,
                 std::string("All 1 acknowledged writes are held by their key's owner, at "
                             "the acknowledged version or a newer one."));

        const std::string owner = c.preferenceList("k3")[0];
        const Version acked = c.stored(owner, "k3")->version;
        writeEntry(c.world.store(*c.world.indexOf(owner)), Entry{"k3", "stale", Version{1, "a"}});
        QVERIFY((Version{1, "a"} < acked));
        CheckResult after = c.noLostWrites();
        QVERIFY(!after.ok);
        for (const std::string& part : {std::string("put k3=\"precious\" by c1"), versionText(acked),
                                        "its owner " + owner + " holds 1@a (\"stale\")"}) {
            QVERIFY2(after.explanation.find(part) != std::string::npos, after.explanation.c_str());
        }
        QCOMPARE(after.events.size(), std::size_t{2});  // the invoke and the ok
    }

    void sameSeedSameTrace() {
        // kv: the same seed gives a byte-identical trace
        auto runOnce = [] {
            Cluster c(42, 5, 2, busyClient());
            c.announce();
            c.run(millis(1000));
            c.crash("n2");
            c.run(millis(1000));
            return c.traceText();
        };
        const std::string first = runOnce();
        QVERIFY(first.size() > 1000);
        QCOMPARE(runOnce(), first);
    }

    void killsAndRestartsKeepTheStoreCorrect_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed = 1; seed <= 20; ++seed)
            QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void killsAndRestartsKeepTheStoreCorrect() {
        // property: random kills and restarts (one server down at a time, so W = 2 of R = 3 always
        // leaves a copy of every acknowledged write up) -> after quiesce both checkers pass
        QFETCH(quint64, seed);
        Cluster c(seed, 5, 2, busyClient());
        Rng chaos = Rng(seed).fork("chaos");
        c.announce();
        c.run(millis(100));
        std::string crashed;
        std::string story;
        for (int step = 0; step < 12; ++step) {
            c.run(chaos.uniform(millis(200), millis(700)));
            if (crashed.empty() && chaos.chance(0.7)) {
                crashed = c.servers[static_cast<std::size_t>(chaos.uniform(0, 5))];
                c.crash(crashed);
                story += " kill " + crashed + " @" + formatSeconds(c.world.now());
            } else if (!crashed.empty() && chaos.chance(0.7)) {
                c.restart(crashed);
                story += " restart " + crashed + " @" + formatSeconds(c.world.now());
                crashed.clear();
            }
        }
        // Even seeds bring everyone back; odd seeds leave the last victim down (and announced so).
        if (seed % 2 == 0 && !crashed.empty()) {
            QVERIFY(c.world.restart(crashed).ok());
            std::erase(c.down, crashed);
            story += " restart " + crashed;
        }
        c.quiesce();

        const std::string context = "seed " + std::to_string(seed) + ":" + story + "\n";
        CheckResult agree = c.replicasAgree();
        CheckResult lost = c.noLostWrites();
        QVERIFY2(agree.ok, (context + agree.explanation).c_str());
        QVERIFY2(lost.ok, (context + lost.explanation).c_str());
        std::size_t acked = 0;
        for (const ClientOp& op : c.world.trace().clientOps())
            acked += op.phase == OpPhase::Ok && op.f == "put";
        QVERIFY2(acked > 20, context.c_str());
    }
};

QTEST_GUILESS_MAIN(TestKvStore)
#include "tst_kv_store.moc"
