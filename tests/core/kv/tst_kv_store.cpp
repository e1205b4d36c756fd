// The Dynamo-style demo store on the deterministic kernel, story by story: routing to the owner, R
// replicas, failover after a ring change, handoff to a new node (and owners that wait for it), catch-up
// and digest-based anti-entropy, re-versioning above newer replicas, loss, console results, the
// checkers' verdicts, and seed sweeps of kills and restarts and of a rehashed ring under contention.
#include <QTest>

#include <set>
#include <sstream>

#include "core/check/kv_checks.h"
#include "core/node/json_fields.h"
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
        return readEntry(Disk(world.store(*world.indexOf(node))), key);
    }
    std::set<std::string> storedKeys(const std::string& node) {
        std::set<std::string> keys;
        for (const Entry& entry : readEntries(Disk(world.store(*world.indexOf(node))))) keys.insert(entry.key);
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

    // What the checkers read of the nodes, as the ring lab gathers it.
    std::vector<KvNodeState> nodeStates() const {
        std::vector<KvNodeState> nodes;
        for (NodeIndex i = 0; i < world.nodeCount(); ++i) {
            const NodeStatus status = world.status(i);
            if (status != NodeStatus::Removed)
                nodes.push_back({world.nameOf(i), status == NodeStatus::Up || status == NodeStatus::Paused, &world.store(i)});
        }
        return nodes;
    }
    CheckResult replicasAgree() const { return checkReplicasAgree(world.trace(), nodeStates(), ring, down, replicas); }
    CheckResult noLostWrites() const { return checkNoLostWrites(world.trace(), nodeStates(), ring, down, replicas); }
    CheckResult acknowledgedOrder() const { return checkAcknowledgedOrder(world.trace()); }

    // Rebuilds the ring with another hash function (most keys move) and announces it.
    void rehash(ring::HashKind hash) {
        ring::HashRing rehashed(ring::RingConfig{ring.config().vnodes, hash});
        for (const std::string& id : ring.nodeIds()) QVERIFY(rehashed.addNode(id));
        ring = std::move(rehashed);
        announce();
    }

    ControlNode* control() { return dynamic_cast<ControlNode*>(world.node(*world.indexOf("ctl"))); }

    // The errors servers sent at or after trace position `from`.
    std::vector<ErrorMsg> errors(std::size_t from = 0) const {
        std::vector<ErrorMsg> out;
        for (const Envelope& e : sent(ErrorMsg::kType, from)) out.push_back(bodyAs<ErrorMsg>(e.body).value());
        return out;
    }

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

std::string field(const ClientOp& op, const char* name) { return stringField(op.value, name); }

// A hand-written history, recorded the way the World records one: a client op and a Client trace event
// whose ref is the op's index.
struct History {
    World world{1};
    std::vector<std::uint64_t> events;  // trace index of each op, in the order written

    void op(SimTime time, const std::string& process, std::int64_t opId, OpPhase phase, const std::string& f,
            Json value) {
        Trace& trace = world.trace();
        const std::size_t index =
            trace.addClientOp(ClientOp{time, process, opId, phase, f, std::move(value)});
        events.push_back(trace.size());  // the index the event is about to get
        trace.append(time, TraceKind::Client, trace.intern(process), kNoName, kNoName, index);
    }
};

// Writes k0..k39 with values v0..v39, lets them settle, adds `joiner` and returns a key it now owns
// (empty if none).
std::string writeKeysThenJoin(Cluster& c, const std::string& joiner) {
    c.announce();
    c.run(millis(50));
    for (int k = 0; k < 40; ++k) c.clientPut("k" + std::to_string(k), "v" + std::to_string(k));
    c.run(millis(3000));
    c.addServer(joiner);
    for (int k = 0; k < 40; ++k) {
        if (c.preferenceList("k" + std::to_string(k))[0] == joiner) return "k" + std::to_string(k);
    }
    return {};
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
        for (const Envelope& e : c.sent(PullDigest::kType, mark)) {
            if (e.dest == "n6") answeredBy.insert(e.src);
        }
        // A handoff pull asks for the whole digest: the peer may hold ranges it no longer replicates.
        for (const Envelope& e : c.sent(Pull::kType, mark)) {
            if (e.src == "n6") QVERIFY(bodyAs<Pull>(e.body).value().summary.empty());
        }
        const std::set<std::string> oldServers{"n1", "n2", "n3", "n4", "n5"};
        QCOMPARE(pulledFrom, oldServers);
        QCOMPARE(answeredBy, oldServers);
        QCOMPARE(c.server("n6")->pendingPulls(), std::size_t{0});
        QVERIFY2(c.replicasAgree().ok, c.replicasAgree().explanation.c_str());
    }

    void aNewOwnerRefusesUntilItsHandoffIsDone() {
        // kv: n6 joins and becomes the owner of a key -> until its handoff pulls return it refuses get
        // and put with error 11 "handoff in progress on n6" (not a stale "no value"), then serves the
        // acknowledged value
        Cluster c(14);
        const std::string key = writeKeysThenJoin(c, "n6");
        QVERIFY(!key.empty());
        QVERIFY(!c.stored("n6", key).has_value());

        const std::size_t mark = c.world.trace().size();
        c.announce();
        // The ctl -> n6 link is FIFO: these arrive right after the ring_update, while n6's pulls are out.
        QVERIFY(c.world.sendFrom("ctl", "n6", makeBody(Get{key})).ok());
        QVERIFY(c.world.sendFrom("ctl", "n6", makeBody(Put{key, "early"})).ok());
        c.run(millis(300));
        std::vector<ErrorMsg> refusals;
        for (const Envelope& e : c.sent(ErrorMsg::kType, mark)) {
            if (e.src == "n6") refusals.push_back(bodyAs<ErrorMsg>(e.body).value());
        }
        QCOMPARE(refusals.size(), std::size_t{2});
        for (const ErrorMsg& error : refusals) {
            QCOMPARE(error.code, static_cast<int>(ErrorCode::TemporarilyUnavailable));
            QCOMPARE(error.text, std::string("handoff in progress on n6"));
        }
        QVERIFY(c.sent(GetOk::kType, mark).empty());
        QVERIFY(!c.server("n6")->handoffInProgress());
        QCOMPARE(c.stored("n6", key)->value, "v" + key.substr(1));

        c.clientGet(key);
        c.run(millis(300));
        const ClientOp read = c.completions().back();
        QCOMPARE(read.phase, OpPhase::Ok);
        QCOMPARE(field(read, "value"), "v" + key.substr(1));
        QVERIFY2(c.acknowledgedOrder().ok, c.acknowledgedOrder().explanation.c_str());
    }

    void aLostHandoffPullIsSentAgain() {
        // kv: n6 joins while everything it sends is lost -> its handoff pulls time out and are sent again
        // after the links heal, so it serves the acknowledged value instead of a stale "no value"
        Cluster c(21);
        const std::string key = writeKeysThenJoin(c, "n6");
        QVERIFY(!key.empty());
        for (const char* id : {"n1", "n2", "n3", "n4", "n5"}) QVERIFY(c.world.cut("n6", id).ok());

        const std::size_t mark = c.world.trace().size();
        c.announce();
        c.run(millis(100));
        c.world.heal();
        c.clientGet(key);
        c.run(millis(100));
        QCOMPARE(c.completions().back().phase, OpPhase::Fail);  // still waiting for the handoff
        QCOMPARE(field(c.completions().back(), "text"), std::string("handoff in progress on n6"));
        c.run(millis(400));  // the pulls time out after 400 ms and go out again
        QVERIFY(!c.server("n6")->handoffInProgress());
        std::size_t pullsToN1 = 0;
        for (const Envelope& e : c.sent(Pull::kType, mark)) pullsToN1 += e.src == "n6" && e.dest == "n1";
        QCOMPARE(pullsToN1, std::size_t{2});

        c.clientGet(key);  // before n6's first anti-entropy round: only the retried handoff can explain it
        c.run(millis(100));
        const ClientOp read = c.completions().back();
        QCOMPARE(read.phase, OpPhase::Ok);
        QCOMPARE(field(read, "value"), "v" + key.substr(1));
        QVERIFY2(c.acknowledgedOrder().ok, c.acknowledgedOrder().explanation.c_str());
    }

    void aPullCarriesTheNewRingToNodesThatMissedIt() {
        // kv: the ring_update adding n6 reaches only n6 -> its pulls carry the new ring, the old nodes
        // adopt it before answering, and n6 still receives exactly the keys it now replicates
        Cluster c(17);
        c.announce();
        c.run(millis(50));
        for (int k = 0; k < 40; ++k) c.clientPut("k" + std::to_string(k), "v" + std::to_string(k));
        c.run(millis(3000));
        c.addServer("n6");
        ++c.epoch;
        QVERIFY(c.world.sendFrom("ctl", "n6", makeBody(makeRingUpdate(c.epoch, c.ring, c.replicas, c.down)))
                    .ok());
        c.run(millis(300));

        std::set<std::string> expected;
        for (int k = 0; k < 40; ++k) {
            const std::string key = "k" + std::to_string(k);
            std::vector<std::string> list = c.preferenceList(key);
            if (std::find(list.begin(), list.end(), "n6") != list.end()) expected.insert(key);
        }
        QVERIFY(!expected.empty());
        QCOMPARE(c.storedKeys("n6"), expected);
        for (const std::string& id : c.servers) QCOMPARE(c.server(id)->ringView().epoch(), c.epoch);
        QVERIFY2(c.replicasAgree().ok, c.replicasAgree().explanation.c_str());
    }

    void aLargeHandoffIsSplitIntoBoundedMessages() {
        // kv: a large handoff is split into digests, fetches and pull_oks of at most 500 entries each
        Cluster c(12, 2);
        c.replicas = 2;  // every key lives on both nodes
        for (int k = 0; k < 1200; ++k) {
            writeEntry(Disk(c.world.store(*c.world.indexOf("n1"))),
                       Entry{"bulk" + std::to_string(k), "x", Version{1, "n1"}});
        }
        // A process reads its disk when it starts: restart n1 on the disk that now holds the keys.
        QVERIFY(c.world.crash("n1").ok());
        QVERIFY(c.world.restart("n1").ok());
        c.announce();
        c.run(millis(200));
        std::vector<std::size_t> digestSizes, fetchSizes, pullOkSizes;
        std::vector<bool> more;
        for (const Envelope& e : c.sent(PullDigest::kType)) {
            if (e.src != "n1") continue;
            PullDigest chunk = bodyAs<PullDigest>(e.body).value();
            digestSizes.push_back(chunk.entries.size());
            more.push_back(chunk.more);
        }
        for (const Envelope& e : c.sent(Fetch::kType)) {
            if (e.src == "n2") fetchSizes.push_back(bodyAs<Fetch>(e.body).value().keys.size());
        }
        for (const Envelope& e : c.sent(PullOk::kType)) {
            if (e.src == "n1") pullOkSizes.push_back(bodyAs<PullOk>(e.body).value().entries.size());
        }
        const std::vector<std::size_t> chunks{500, 500, 200};
        QCOMPARE(digestSizes, chunks);
        QCOMPARE(more, (std::vector<bool>{true, true, false}));
        QCOMPARE(fetchSizes, chunks);
        QCOMPARE(pullOkSizes, chunks);
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
        // Only the missing entry travelled, and only to the replica that missed it.
        std::vector<Envelope> pullOks = c.sent(PullOk::kType, mark);
        QVERIFY(!pullOks.empty());
        for (const Envelope& e : pullOks) {
            QCOMPARE(e.dest, list[2]);
            const PullOk pullOk = bodyAs<PullOk>(e.body).value();
            for (const Entry& entry : pullOk.entries) QCOMPARE(entry.key, std::string("k2"));
        }
    }

    void antiEntropyBetweenAgreeingReplicasSendsNoEntries() {
        // kv: replicas that agree exchange bucket summaries only: empty digests, no fetch, no pull_ok
        Cluster c(13);
        c.announce();
        c.run(millis(50));
        for (int k = 0; k < 60; ++k) c.clientPut("k" + std::to_string(k), "v" + std::to_string(k));
        c.run(millis(3000));
        QVERIFY2(c.replicasAgree().ok, c.replicasAgree().explanation.c_str());

        const std::size_t mark = c.world.trace().size();
        c.run(millis(2500));  // two anti-entropy rounds
        std::vector<Envelope> pulls = c.sent(Pull::kType, mark);
        QVERIFY(pulls.size() >= 2 * 5 * 4);
        for (const Envelope& e : pulls) QVERIFY(!bodyAs<Pull>(e.body).value().summary.empty());
        std::vector<Envelope> digests = c.sent(PullDigest::kType, mark);
        QVERIFY(digests.size() >= pulls.size() - 5 * 4);  // a round may straddle either end
        for (const Envelope& e : digests) QVERIFY(bodyAs<PullDigest>(e.body).value().entries.empty());
        QVERIFY(c.sent(Fetch::kType, mark).empty());
        QVERIFY(c.sent(PullOk::kType, mark).empty());
    }

    void aReplicaHoldingANewerVersionMakesTheOwnerReversion() {
        // kv: both replicas hold a newer version written elsewhere -> they do not store the put's older
        // version, the owner re-versions above theirs and acknowledges only that, and the acknowledged
        // value survives anti-entropy
        Cluster c(15);
        c.announce();
        c.run(millis(200));  // the ring-change pulls are over before the replicas are tampered with
        const std::vector<std::string> list = c.preferenceList("k7");
        const Version elsewhere{50, "zz"};
        for (std::size_t r = 1; r < list.size(); ++r) {
            writeEntry(Disk(c.world.store(*c.world.indexOf(list[r]))), Entry{"k7", "from-elsewhere", elsewhere});
            // A process reads its disk when it starts: restart the replica on the edited disk.
            QVERIFY(c.world.crash(list[r]).ok());
            QVERIFY(c.world.restart(list[r]).ok());
        }
        c.run(millis(200));  // their handoff after the restart

        const std::size_t mark = c.world.trace().size();
        c.clientPut("k7", "mine");
        c.run(millis(300));
        const ClientOp done = c.completions().back();
        QCOMPARE(done.phase, OpPhase::Ok);
        const Version acked = done.value["version"].get<Version>();
        QCOMPARE(acked, (Version{51, list[0]}));
        bool reported = false;
        for (const Envelope& e : c.sent(ReplicateOk::kType, mark)) {
            const ReplicateOk ack = bodyAs<ReplicateOk>(e.body).value();
            if (ack.version == Version{1, list[0]}) {
                QCOMPARE(ack.held, elsewhere);  // "not stored: I hold 50@zz"
                reported = true;
            }
        }
        QVERIFY(reported);

        c.run(millis(1500));  // anti-entropy rounds: nothing may overwrite the acknowledged version
        for (const std::string& id : list) {
            QCOMPARE(c.stored(id, "k7")->version, acked);
            QCOMPARE(c.stored(id, "k7")->value, std::string("mine"));
        }
        QVERIFY2(c.noLostWrites().ok, c.noLostWrites().explanation.c_str());
    }

    void replicasThatKeepReportingNewerVersionsMakeTheOwnerGiveUp() {
        // kv: a replica reports a newer version four times in a row -> the owner re-versions three times,
        // then gives up with error 0 and the client records unknown
        Cluster c(16);
        c.announce();
        c.run(millis(200));
        const std::vector<std::string> list = c.preferenceList("k8");
        const std::string owner = list[0];
        // The real replicas never hear of the write, so the only answers are the forged ones below.
        QVERIFY(c.world.cut(owner, list[1]).ok());
        QVERIFY(c.world.cut(owner, list[2]).ok());
        c.clientPut("k8", "contested");
        c.run(millis(30));
        const Version first{1, owner};
        QCOMPARE(c.stored(owner, "k8")->version, first);
        for (std::int64_t i = 1; i <= 4; ++i) {
            QVERIFY(
                c.world.sendFrom(list[1], owner, makeBody(ReplicateOk{"k8", first, Version{1000 * i, "zz"}}))
                    .ok());
        }
        c.run(millis(100));
        const ClientOp done = c.completions().back();
        QCOMPARE(done.phase, OpPhase::Unknown);
        QCOMPARE(done.value["error"].get<int>(), 0);
        QVERIFY2(field(done, "text").starts_with("gave up after 3 re-versions of k8"),
                 field(done, "text").c_str());
        QCOMPARE(c.stored(owner, "k8")->version, (Version{3001, owner}));  // 1001, 2001, 3001
        QCOMPARE(c.server(owner)->pendingWrites(), std::size_t{0});
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
        writeEntry(Disk(c.world.store(*c.world.indexOf(list[2]))), Entry{"k1", "garbage", Version{1, "zz"}});
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
        writeEntry(Disk(c.world.store(*c.world.indexOf(owner))), Entry{"k3", "stale", Version{1, "a"}});
        QVERIFY((Version{1, "a"} < acked));
        CheckResult after = c.noLostWrites();
        QVERIFY(!after.ok);
        for (const std::string& part : {std::string("put k3=\"precious\" by c1"), versionText(acked),
                                        "its owner " + owner + " holds 1@a (\"stale\")"}) {
            QVERIFY2(after.explanation.find(part) != std::string::npos, after.explanation.c_str());
        }
        QCOMPARE(after.events.size(), std::size_t{2});  // the invoke and the ok
    }

    void consoleOperationsAreReportedToTheControlNode() {
        // kv: console put and get (and a get of a missing key, and a put that times out) come back to
        // ctl as client_result, which keeps them for the console
        Cluster c(18);
        c.announce();
        c.run(millis(50));
        c.clientPut("k1", "hello");
        c.clientGet("k1");
        c.clientGet("nope");
        c.run(millis(500));
        const std::string owner = c.preferenceList("k1")[0];
        const std::vector<ClientResult>& results = c.control()->results();
        QCOMPARE(results.size(), std::size_t{3});
        const std::string version = versionText(c.stored(owner, "k1")->version);
        QCOMPARE(results[0].client, std::string("c1"));
        QCOMPARE(results[0].op, std::string("put"));
        QCOMPARE(results[0].key, std::string("k1"));
        QCOMPARE(results[0].value, std::optional<std::string>("hello"));
        QCOMPARE(results[0].version, std::optional<std::string>(version));
        QVERIFY(results[0].ok);
        QCOMPARE(results[0].error, std::string());
        QCOMPARE(results[1].op, std::string("get"));
        QCOMPARE(results[1].value, std::optional<std::string>("hello"));
        QCOMPARE(results[1].version, std::optional<std::string>(version));
        QVERIFY(results[1].ok);
        QCOMPARE(results[2].key, std::string("nope"));
        QVERIFY(results[2].ok);  // "no such key" is an answer, not a failure
        QVERIFY(!results[2].value.has_value());
        QVERIFY(!results[2].version.has_value());
        QVERIFY(results[0].time > 0 && results[0].time <= results[1].time &&
                results[1].time <= results[2].time);
        QVERIFY(results[2].time <= c.world.now());

        QVERIFY(c.world.cut("c1", owner).ok());
        c.clientPut("k1", "lost?");
        c.run(millis(700));
        QCOMPARE(results.size(), std::size_t{4});
        QVERIFY(!results[3].ok);
        QVERIFY(!results[3].version.has_value());
        QVERIFY2(results[3].error.starts_with("no reply from " + owner), results[3].error.c_str());
        QVERIFY2(results[3].error.find("outcome unknown") != std::string::npos, results[3].error.c_str());
    }

    void generatedOperationsAreNotReportedAndResultsAreBounded() {
        // kv: the random workload is not reported to ctl, and ctl keeps only the last 1000 results
        Cluster c(20, 5, 1, busyClient());
        c.announce();
        c.run(millis(1000));
        QVERIFY(c.client("c1")->okCount() > 5);
        QVERIFY(c.control()->results().empty());
        for (int i = 0; i < 1100; ++i) {
            QVERIFY(c.world
                        .sendFrom("c1", "ctl",
                                  makeBody(ClientResultMsg{"get", "k" + std::to_string(i), std::nullopt,
                                                           std::nullopt, true, ""}))
                        .ok());
        }
        c.run(millis(100));
        const std::vector<ClientResult>& results = c.control()->results();
        QCOMPARE(results.size(), kClientResultsMax);
        QCOMPARE(results.front().key, std::string("k100"));
        QCOMPARE(results.back().key, std::string("k1099"));
    }

    void aPausedReplicaStillCountsForReplicasAgree() {
        // checker: a long stop-the-world pause is not a crash -> the paused replica stays in the
        // preference list that replicas-agree checks, as it does in the protocol
        Cluster c(19);
        c.announce();
        c.run(millis(50));
        c.clientPut("k1", "hello");
        c.run(millis(300));
        const std::vector<std::string> list = c.preferenceList("k1");
        QVERIFY(c.world.pause(list[0], millis(60000)).ok());
        c.run(millis(100));
        QCOMPARE(c.world.status(*c.world.indexOf(list[0])), NodeStatus::Paused);
        CheckResult agree = c.replicasAgree();
        QVERIFY2(agree.ok, agree.explanation.c_str());
        QCOMPARE(agree.explanation, std::string("All 1 keys have identical versions on their 3 replicas."));
        CheckResult lost = c.noLostWrites();
        QVERIFY2(lost.ok, lost.explanation.c_str());
    }

    void acknowledgedOrderCatchesAWriteAndAReadGoingBackInTime() {
        // checker: put A is acknowledged with 113@n1 at 1917 ms; a later put gets 63@n2 and a later get
        // returns nothing -> acknowledged-order fails, naming key, clients, times and versions
        History h;
        h.op(1900'000, "c2", 7, OpPhase::Invoke, "put", {{"key", "k2"}, {"value", "a"}});
        h.op(1917'000, "c2", 7, OpPhase::Ok, "put",
             {{"key", "k2"}, {"value", "a"}, {"version", Version{113, "n1"}}});
        h.op(2008'000, "c3", 4, OpPhase::Invoke, "get", {{"key", "k2"}});
        h.op(2014'000, "c3", 4, OpPhase::Ok, "get",
             {{"key", "k2"}, {"value", nullptr}, {"version", nullptr}});
        h.op(2020'000, "c4", 9, OpPhase::Invoke, "put", {{"key", "k2"}, {"value", "b"}});
        h.op(2029'000, "c4", 9, OpPhase::Ok, "put",
             {{"key", "k2"}, {"value", "b"}, {"version", Version{63, "n2"}}});
        // Another key, in order: not part of the verdict.
        h.op(2030'000, "c1", 1, OpPhase::Invoke, "put", {{"key", "k5"}, {"value", "x"}});
        h.op(2035'000, "c1", 1, OpPhase::Ok, "put",
             {{"key", "k5"}, {"value", "x"}, {"version", Version{2, "n3"}}});

        CheckResult result = checkAcknowledgedOrder(h.world.trace());
        QCOMPARE(result.name, std::string("acknowledged-order"));
        QVERIFY(!result.ok);
        QVERIFY2(result.explanation.starts_with("2 operations see an older state"),
                 result.explanation.c_str());
        for (const char* part : {"k2: put by c2 was acknowledged at 1917 ms with version 113@n1",
                                 "the later get by c3 (invoked at 2008 ms) returned no value",
                                 "the later put by c4 (invoked at 2020 ms) was acknowledged with version "
                                 "63@n2, which is older"}) {
            QVERIFY2(result.explanation.find(part) != std::string::npos, result.explanation.c_str());
        }
        QVERIFY(result.explanation.find("k5") == std::string::npos);
        // The client events of the three operations involved (invoke and completion each), in order.
        QCOMPARE(result.events, (std::vector<std::uint64_t>{h.events[0], h.events[1], h.events[2],
                                                            h.events[3], h.events[4], h.events[5]}));
    }

    void acknowledgedOrderAllowsConcurrentOperations() {
        // checker: overlapping operations may be ordered either way, failures and unknowns constrain
        // nothing, and later operations that see the acknowledged write or a newer one are fine
        History h;
        h.op(1000, "c1", 1, OpPhase::Invoke, "put", {{"key", "k"}, {"value", "a"}});
        h.op(2000, "c2", 1, OpPhase::Invoke, "put", {{"key", "k"}, {"value", "b"}});
        h.op(3000, "c2", 1, OpPhase::Ok, "put",
             {{"key", "k"}, {"value", "b"}, {"version", Version{5, "n1"}}});
        // c1's put overlaps c2's, so a lower version is allowed.
        h.op(4000, "c1", 1, OpPhase::Ok, "put",
             {{"key", "k"}, {"value", "a"}, {"version", Version{4, "n1"}}});
        // A get invoked before the newest acknowledgement may return the older value...
        h.op(3500, "c3", 1, OpPhase::Invoke, "get", {{"key", "k"}});
        h.op(5000, "c3", 1, OpPhase::Ok, "get",
             {{"key", "k"}, {"value", "b"}, {"version", Version{5, "n1"}}});
        // ...and one invoked at the very moment of an acknowledgement is concurrent with it.
        h.op(3000, "c4", 1, OpPhase::Invoke, "get", {{"key", "k"}});
        h.op(3100, "c4", 1, OpPhase::Ok, "get", {{"key", "k"}, {"value", nullptr}, {"version", nullptr}});
        // A failed get and an unknown put afterwards constrain nothing.
        h.op(6000, "c5", 1, OpPhase::Invoke, "get", {{"key", "k"}});
        h.op(6100, "c5", 1, OpPhase::Fail, "get",
             {{"key", "k"}, {"error", 11}, {"text", "handoff in progress on n1"}});
        h.op(6200, "c5", 2, OpPhase::Invoke, "put", {{"key", "k"}, {"value", "c"}});
        h.op(6900, "c5", 2, OpPhase::Unknown, "put", {{"key", "k"}, {"value", "c"}, {"error", 0}});
        // Later operations that see the newest acknowledged version (5@n1) or above.
        h.op(7000, "c1", 2, OpPhase::Invoke, "get", {{"key", "k"}});
        h.op(7100, "c1", 2, OpPhase::Ok, "get",
             {{"key", "k"}, {"value", "b"}, {"version", Version{5, "n1"}}});
        h.op(7200, "c2", 2, OpPhase::Invoke, "put", {{"key", "k"}, {"value", "d"}});
        h.op(7300, "c2", 2, OpPhase::Ok, "put",
             {{"key", "k"}, {"value", "d"}, {"version", Version{6, "n2"}}});

        CheckResult result = checkAcknowledgedOrder(h.world.trace());
        QVERIFY2(result.ok, result.explanation.c_str());
        QCOMPARE(
            result.explanation,
            std::string("All 3 acknowledged writes and 3 successful reads respect real-time order: every "
                        "write or read that began after a write was acknowledged saw that write or a "
                        "newer one."));
        QVERIFY(result.events.empty());

        // The same history with a stale read at the end fails.
        h.op(8000, "c3", 2, OpPhase::Invoke, "get", {{"key", "k"}});
        h.op(8100, "c3", 2, OpPhase::Ok, "get",
             {{"key", "k"}, {"value", "a"}, {"version", Version{4, "n1"}}});
        result = checkAcknowledgedOrder(h.world.trace());
        QVERIFY(!result.ok);
        QVERIFY2(result.explanation.find(
                     "put by c2 was acknowledged at 7.300 ms with version 6@n2, but the later "
                     "get by c3 (invoked at 8 ms) returned the older version 4@n1") != std::string::npos,
                 result.explanation.c_str());
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
        // leaves a copy of every acknowledged write up) -> after quiesce all three checkers pass
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
        CheckResult order = c.acknowledgedOrder();
        QVERIFY2(agree.ok, (context + agree.explanation).c_str());
        QVERIFY2(lost.ok, (context + lost.explanation).c_str());
        QVERIFY2(order.ok, (context + order.explanation).c_str());
        std::size_t acked = 0;
        for (const ClientOp& op : c.world.trace().clientOps())
            acked += op.phase == OpPhase::Ok && op.f == "put";
        QVERIFY2(acked > 20, context.c_str());
    }

    void rehashingTheRingUnderContentionKeepsAcknowledgedOrder_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed = 1; seed <= 20; ++seed)
            QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void rehashingTheRingUnderContentionKeepsAcknowledgedOrder() {
        // property: six clients hammer five keys and the ring switches to ketama hashing at 2 s (most
        // keys change owner) -> no acknowledged write is lost or reordered, and after quiesce the
        // replicas agree
        QFETCH(quint64, seed);
        KvClientConfig contention;
        contention.keys = 5;
        contention.intervalMin = millis(5);
        contention.intervalMax = millis(20);
        Cluster c(seed, 5, 6, contention);
        c.announce();
        c.run(millis(2000));
        c.rehash(ring::HashKind::Ketama);
        c.run(millis(2000));
        c.quiesce();

        const std::string context = "seed " + std::to_string(seed) + ": ";
        CheckResult order = c.acknowledgedOrder();
        CheckResult lost = c.noLostWrites();
        CheckResult agree = c.replicasAgree();
        QVERIFY2(order.ok, (context + order.explanation).c_str());
        QVERIFY2(lost.ok, (context + lost.explanation).c_str());
        QVERIFY2(agree.ok, (context + agree.explanation).c_str());
        std::size_t acked = 0;
        for (const ClientOp& op : c.world.trace().clientOps())
            acked += op.phase == OpPhase::Ok && op.f == "put";
        QVERIFY2(acked > 200, context.c_str());
    }
};

QTEST_GUILESS_MAIN(TestKvStore)
#include "tst_kv_store.moc"
