// Three-phase commit, story by story: its messages survive the wire, a happy transaction commits through
// every phase, every timeout path ends where the textbook says, the coordinator crash that blocks 2PC does
// not block 3PC (participants terminate and agree), a coordinator that sent only some PreCommits before
// crashing still leads to commit, a restarted participant learns the outcome, duplicates and reordering
// change nothing, malformed messages get error 12, and a partition during PRECOMMIT splits the decision.
#include <QTest>

#include <sstream>

#include "core/check/txn_checks.h"
#include "core/protocols/txn/three_phase_commit_coordinator.h"
#include "core/protocols/txn/three_phase_commit_participant.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"
#include "tests/support/wire_checks.h"

using namespace distlab;
using namespace distlab::txn;

namespace {

constexpr std::uint64_t kEventsMax = 2'000'000;

template <class T>
bool roundTrips(const Body& body) {
    Envelope envelope{"co", "p1", body};
    envelope.body.msgId = 42;
    Result<Envelope> decoded = decodeEnvelope(encodeEnvelope(envelope));
    if (!decoded || decoded->body.type != T::kType || decoded->body.msgId != 42) return false;
    Result<T> original = bodyAs<T>(body);
    Result<T> typed = bodyAs<T>(decoded->body);
    return original && typed && Json(original.value()) == Json(typed.value()) && decoded->body.fields == body.fields;
}

bool roundTripsAny(const Body& body) {
    const std::string& t = body.type;
    if (t == Tpc3Begin::kType) return roundTrips<Tpc3Begin>(body);
    if (t == Tpc3CanCommit::kType) return roundTrips<Tpc3CanCommit>(body);
    if (t == Tpc3Vote::kType) return roundTrips<Tpc3Vote>(body);
    if (t == Tpc3PreCommit::kType) return roundTrips<Tpc3PreCommit>(body);
    if (t == Tpc3Ack::kType) return roundTrips<Tpc3Ack>(body);
    if (t == Tpc3DoCommit::kType) return roundTrips<Tpc3DoCommit>(body);
    if (t == Tpc3Abort::kType) return roundTrips<Tpc3Abort>(body);
    if (t == Tpc3HaveCommitted::kType) return roundTrips<Tpc3HaveCommitted>(body);
    if (t == Tpc3StateRequest::kType) return roundTrips<Tpc3StateRequest>(body);
    if (t == Tpc3StateReply::kType) return roundTrips<Tpc3StateReply>(body);
    return false;
}

// A coordinator "co", participants p1..pN and the lab "lab" on a quiet network.
class Cluster {
public:
    explicit Cluster(int participants = 3, std::uint64_t seed = 1, ThreePhaseCommitConfig config = {})
        : world(seed) {
        if (!world.addNode("co", [config] { return std::make_unique<ThreePcCoordinator>(config); }).ok())
            QFAIL("cannot add the coordinator");
        for (int i = 1; i <= participants; ++i) {
            ids.push_back("p" + std::to_string(i));
            if (!world.addNode(ids.back(), [config] { return std::make_unique<ThreePcParticipant>(config); }).ok())
                QFAIL("cannot add a participant");
        }
        if (!support::addProbe(world, "lab")) QFAIL("cannot add the lab");
        run(millis(1));
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    void begin(const std::string& txn, std::vector<std::string> voteNo = {}) {
        QVERIFY(world.sendFrom("lab", "co", makeBody(Tpc3Begin{txn, ids, std::move(voteNo)})).ok());
    }
    // Steps until pred holds (false if it never does within `within`).
    template <class Pred>
    bool runUntil(Pred pred, SimTime within = millis(5000)) {
        const SimTime until = world.now() + within;
        while (!pred()) {
            if (world.now() > until || !world.step()) return false;
        }
        return true;
    }

    ThreePcCoordinator* coordinator() { return dynamic_cast<ThreePcCoordinator*>(world.node(*world.indexOf("co"))); }
    ThreePcParticipant* participant(const std::string& id) {
        return dynamic_cast<ThreePcParticipant*>(world.node(*world.indexOf(id)));
    }
    support::Probe* lab() { return support::findProbe(world, "lab"); }
    std::optional<Tpc3State> stateOf(const std::string& node, const std::string& txn) {
        if (node == "co") return coordinator() ? coordinator()->stateOf(txn) : std::nullopt;
        ThreePcParticipant* p = participant(node);
        return p ? p->stateOf(txn) : std::nullopt;
    }
    bool inState(const std::string& node, const std::string& txn, Tpc3State state) {
        return stateOf(node, txn) == state;
    }
    bool allInState(const std::string& txn, Tpc3State state) {
        for (const std::string& id : ids)
            if (!inState(id, txn, state)) return false;
        return true;
    }

    // node -> "commit" / "abort", from the f "decide" ops of txn (a node deciding twice shows as "twice").
    std::map<std::string, std::string> decisions(const std::string& txn) const {
        std::map<std::string, std::string> out;
        for (const ClientOp& op : world.trace().clientOps()) {
            if (op.f != "decide" || op.value.value("txn", "") != txn) continue;
            auto [it, inserted] = out.emplace(op.process, op.value.value("decision", ""));
            if (!inserted) it->second = "twice";
        }
        return out;
    }
    std::map<std::string, std::string> votes(const std::string& txn) const {
        std::map<std::string, std::string> out;
        for (const ClientOp& op : world.trace().clientOps()) {
            if (op.f == "vote" && op.value.value("txn", "") == txn) out[op.process] += op.value.value("vote", "");
        }
        return out;
    }
    std::map<std::string, std::string> everybody(const std::string& decision, bool withCoordinator = true) const {
        std::map<std::string, std::string> out;
        if (withCoordinator) out["co"] = decision;
        for (const std::string& id : ids) out[id] = decision;
        return out;
    }
    // The txn states node traced, in order ("INIT", "WAIT", ...; a note after the state is kept).
    std::vector<std::string> states(const std::string& node, const std::string& txn) const {
        std::vector<std::string> out;
        const Trace& trace = world.trace();
        const std::uint32_t name = trace.find(node);
        for (const TraceEvent& event : trace.events()) {
            if (event.kind != TraceKind::State || event.node != name) continue;
            const std::string& text = trace.name(event.text);
            const std::string prefix = "txn " + txn + " ";
            if (text.starts_with(prefix)) out.push_back(text.substr(prefix.size()));
        }
        return out;
    }
    void cutFrom(const std::string& from, const std::vector<std::string>& to) {
        for (const std::string& id : to) QVERIFY(world.cut(from, id).ok());
    }
    void cutTo(const std::vector<std::string>& from, const std::string& to) {
        for (const std::string& id : from) QVERIFY(world.cut(id, to).ok());
    }
    std::string jsonLines() const {
        std::ostringstream out;
        world.trace().writeJsonLines(out);
        return out.str();
    }
    // The error code of the answer to body sent from `from` to `to`, or -1.
    int errorCode(const std::string& to, Body body) {
        Result<std::int64_t> msgId = world.sendFrom("lab", to, std::move(body));
        if (!msgId) return -2;
        run(millis(50));
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(lab()->answerTo(msgId.value()));
        return error ? error->code : -1;
    }

    World world;
    std::vector<std::string> ids;
};

}  // namespace

class TestThreePhaseCommit : public QObject {
    Q_OBJECT

private slots:
    // --- messages ---

    void messagesRoundTrip_data() {
        QTest::addColumn<int>("index");
        const std::vector<Body> samples = threePcSampleMessages();
        for (std::size_t i = 0; i < samples.size(); ++i) QTest::newRow(samples[i].type.c_str()) << int(i);
    }
    void messagesRoundTrip() {
        QFETCH(int, index);
        QVERIFY(roundTripsAny(threePcSampleMessages().at(std::size_t(index))));
    }

    void samplesCoverEveryTypeOnceWithThePrefix() {
        wire::checkSamplesCoverTypes(threePcSampleMessages(), threePcMessageTypes(), "tpc3_");
    }

    void wireNamesAreSnakeCase() {
        QVERIFY(makeBody(Tpc3Begin{"t1", {"p1"}, {}}).fields ==
                (Json{{"txn", "t1"}, {"participants", {"p1"}}, {"vote_no", Json::array()}}));
        QVERIFY(makeBody(Tpc3StateReply{"t1", "READY", true}).fields ==
                (Json{{"txn", "t1"}, {"state", "READY"}, {"recovering", true}}));
    }

    // --- the happy path ---

    void happyTransactionCommitsThroughEveryPhase() {
        // 3pc, N=3, all vote yes -> co INIT WAIT PRECOMMIT COMMIT END, each participant INIT READY
        // PRECOMMIT COMMIT; one yes vote and one commit decision per node
        Cluster cluster;
        cluster.begin("t1");
        cluster.run(millis(1000));
        QCOMPARE(cluster.decisions("t1"), cluster.everybody("commit"));
        QCOMPARE(cluster.votes("t1"), (std::map<std::string, std::string>{{"p1", "yes"}, {"p2", "yes"}, {"p3", "yes"}}));
        QCOMPARE(cluster.states("co", "t1"), (std::vector<std::string>{"INIT", "WAIT", "PRECOMMIT", "COMMIT", "END"}));
        for (const std::string& id : cluster.ids)
            QCOMPARE(cluster.states(id, "t1"), (std::vector<std::string>{"INIT", "READY", "PRECOMMIT", "COMMIT"}));
        QVERIFY(checkAtomicity(cluster.world.trace()).ok);
        QVERIFY(checkValidity(cluster.world.trace()).ok);
        QVERIFY(checkIrrevocability(cluster.world.trace()).ok);
        QVERIFY(cluster.coordinator()->transactions().at("t1").ended);
    }

    void concurrentTransactionsDecideIndependently() {
        Cluster cluster;
        cluster.begin("a");
        cluster.begin("b", {"p2"});
        cluster.begin("c");
        cluster.begin("d", {"p1", "p3"});
        cluster.run(millis(1500));
        QCOMPARE(cluster.decisions("a"), cluster.everybody("commit"));
        QCOMPARE(cluster.decisions("b"), cluster.everybody("abort"));
        QCOMPARE(cluster.decisions("c"), cluster.everybody("commit"));
        QCOMPARE(cluster.decisions("d"), cluster.everybody("abort"));
        QCOMPARE(cluster.votes("b").at("p2"), std::string("no"));
        QVERIFY(checkAtomicity(cluster.world.trace()).ok);
        QVERIFY(checkValidity(cluster.world.trace()).ok);
    }

    // --- every timeout path, for each role ---

    void timeoutPaths_data() {
        QTest::addColumn<int>("story");
        QTest::addColumn<QString>("decision");
        QTest::newRow("p2 votes no -> everybody aborts") << 0 << "abort";
        QTest::newRow("co WAIT timeout (p3's vote lost) -> abort") << 1 << "abort";
        QTest::newRow("co PRECOMMIT ack timeout (p3's ack lost) -> commit anyway") << 2 << "commit";
        QTest::newRow("participants READY timeout, nobody precommitted -> backup p1 aborts") << 3 << "abort";
        QTest::newRow("participants PRECOMMIT timeout -> backup p1 commits") << 4 << "commit";
    }
    void timeoutPaths() {
        QFETCH(int, story);
        QFETCH(QString, decision);
        Cluster cluster;
        const std::vector<std::string> all = cluster.ids;
        switch (story) {
        case 0:
            cluster.begin("t1", {"p2"});
            break;
        case 1:
            QVERIFY(cluster.world.cut("p3", "co").ok());
            cluster.begin("t1");
            break;
        case 2:
            cluster.begin("t1");
            QVERIFY(cluster.runUntil([&] { return cluster.inState("co", "t1", Tpc3State::PreCommit); }));
            QVERIFY(cluster.world.cut("p3", "co").ok());  // p3's ack (and have_committed) will be lost
            break;
        case 3:
            // The coordinator never sends PreCommit: it is cut off from the participants and crashes.
            cluster.begin("t1");
            QVERIFY(cluster.runUntil([&] { return cluster.allInState("t1", Tpc3State::Ready); }));
            cluster.cutFrom("co", all);
            QVERIFY(cluster.runUntil([&] { return cluster.inState("co", "t1", Tpc3State::PreCommit); }));
            QVERIFY(cluster.world.crash("co").ok());
            break;
        case 4:
            // Every participant is in PRECOMMIT, then the coordinator crashes before any ack reaches it.
            cluster.begin("t1");
            QVERIFY(cluster.runUntil([&] { return cluster.inState("co", "t1", Tpc3State::PreCommit); }));
            cluster.cutTo(all, "co");
            QVERIFY(cluster.runUntil([&] { return cluster.allInState("t1", Tpc3State::PreCommit); }));
            QVERIFY(cluster.world.crash("co").ok());
            break;
        }
        cluster.run(millis(3000));
        const std::string expected = decision.toStdString();
        std::map<std::string, std::string> decided = cluster.decisions("t1");
        if (story >= 3) {
            // The coordinator is down: the participants decided without it, all the same way.
            QCOMPARE(decided, cluster.everybody(expected, false));
            QVERIFY(cluster.participant("p1")->backupDecisions() >= 1);
            QVERIFY(cluster.world.restart("co").ok());
            cluster.world.heal();
            cluster.run(millis(1000));
            decided = cluster.decisions("t1");
        }
        QCOMPARE(decided, cluster.everybody(expected));
        QVERIFY(checkAtomicity(cluster.world.trace()).ok);
        QVERIFY(checkIrrevocability(cluster.world.trace()).ok);
    }

    void initTimeoutAbortsAndALateCanCommitGetsNo() {
        // 3pc: a peer asks p3 about t9 before p3 got any CanCommit -> p3 INIT (promises never to vote yes);
        // no CanCommit within the init timeout -> p3 ABORT; a late CanCommit then gets "no"
        Cluster cluster;
        QVERIFY(cluster.world.sendFrom("p1", "p3", makeBody(Tpc3StateRequest{"t9"})).ok());
        cluster.run(millis(20));
        QCOMPARE(cluster.stateOf("p3", "t9"), std::optional<Tpc3State>(Tpc3State::Init));
        cluster.run(millis(400));
        QCOMPARE(cluster.decisions("t9"), (std::map<std::string, std::string>{{"p3", "abort"}}));
        QCOMPARE(cluster.states("p3", "t9"), (std::vector<std::string>{"INIT", "ABORT"}));
        QVERIFY(cluster.world.sendFrom("lab", "p3", makeBody(Tpc3CanCommit{"t9", cluster.ids, false})).ok());
        cluster.run(millis(20));
        QCOMPARE(cluster.lab()->received.size(), std::size_t(1));
        Result<Tpc3Vote> vote = bodyAs<Tpc3Vote>(cluster.lab()->received[0].body);
        QVERIFY(vote.ok());
        QCOMPARE(vote->vote, std::string("no"));
        QCOMPARE(cluster.decisions("t9").size(), std::size_t(1));  // no second decision
    }

    void initPromiseSurvivesARestart() {
        // p3 answered INIT, crashed and restarted: the CanCommit that finally arrives gets a no
        Cluster cluster;
        QVERIFY(cluster.world.sendFrom("p1", "p3", makeBody(Tpc3StateRequest{"t9"})).ok());
        cluster.run(millis(20));
        QVERIFY(cluster.world.crash("p3").ok());
        QVERIFY(cluster.world.restart("p3").ok());
        QVERIFY(cluster.world.sendFrom("co", "p3", makeBody(Tpc3CanCommit{"t9", cluster.ids, false})).ok());
        cluster.run(millis(20));
        QCOMPARE(cluster.votes("t9"), (std::map<std::string, std::string>{{"p3", "no"}}));
        QCOMPARE(cluster.decisions("t9"), (std::map<std::string, std::string>{{"p3", "abort"}}));
    }

    // --- the crashes 3PC is made for ---

    void coordinatorCrashRightAfterAllYesVotesDoesNotBlock() {
        // 3pc: coordinator crashes after all votes are yes (N=3), its PreCommits never leave -> (unlike
        // 2PC) the participants do not stay READY: they terminate, p1 is the backup, all abort within a
        // second; the restarted coordinator (PRECOMMIT in its log) asks and adopts the abort
        Cluster cluster;
        cluster.begin("t1");
        QVERIFY(cluster.runUntil([&] { return cluster.allInState("t1", Tpc3State::Ready); }));
        cluster.cutFrom("co", cluster.ids);
        QVERIFY(cluster.runUntil([&] { return cluster.inState("co", "t1", Tpc3State::PreCommit); }));
        const SimTime crashedAt = cluster.world.now();
        QVERIFY(cluster.world.crash("co").ok());
        QVERIFY(cluster.runUntil([&] { return cluster.decisions("t1").size() == 3; }, millis(2000)));
        QVERIFY(cluster.world.now() - crashedAt < millis(1000));
        QCOMPARE(cluster.decisions("t1"), cluster.everybody("abort", false));
        const std::map<std::pair<std::string, std::string>, SimTime> ready = readyTimes(cluster.world.trace(), cluster.world.now());
        for (const std::string& id : cluster.ids) QVERIFY(ready.at({id, "t1"}) < millis(1000));
        cluster.world.heal();
        QVERIFY(cluster.world.restart("co").ok());
        cluster.run(millis(500));
        QCOMPARE(cluster.states("co", "t1").at(3), std::string("PRECOMMIT recovering"));
        QCOMPARE(cluster.decisions("t1"), cluster.everybody("abort"));
    }

    void coordinatorCrashAfterSomePreCommitsLeadsToCommit() {
        // 3pc: co sends PreCommit, p3's is lost (cut), co crashes -> p1 and p2 are in PRECOMMIT, p3 in READY;
        // the backup p1 brings p3 to PRECOMMIT and everybody commits; the restarted co adopts the commit
        Cluster cluster;
        cluster.begin("t1");
        QVERIFY(cluster.runUntil([&] { return cluster.allInState("t1", Tpc3State::Ready); }));
        QVERIFY(cluster.world.cut("co", "p3").ok());
        QVERIFY(cluster.runUntil([&] {
            return cluster.inState("p1", "t1", Tpc3State::PreCommit) && cluster.inState("p2", "t1", Tpc3State::PreCommit);
        }));
        QVERIFY(cluster.world.crash("co").ok());
        cluster.run(millis(2000));
        QCOMPARE(cluster.decisions("t1"), cluster.everybody("commit", false));
        const std::vector<std::string> p3 = cluster.states("p3", "t1");
        QCOMPARE(p3, (std::vector<std::string>{"INIT", "READY", "PRECOMMIT", "COMMIT"}));
        cluster.world.heal();
        QVERIFY(cluster.world.restart("co").ok());
        cluster.run(millis(500));
        QCOMPARE(cluster.decisions("t1"), cluster.everybody("commit"));
        QVERIFY(checkAtomicity(cluster.world.trace()).ok);
    }

    void restartedParticipantLearnsTheOutcome_data() {
        QTest::addColumn<int>("crashIn");  // Tpc3State the participant crashes in
        QTest::newRow("p2 crashes in READY -> co commits without its ack; p2 restarts and commits")
            << int(Tpc3State::Ready);
        QTest::newRow("p2 crashes in PRECOMMIT -> p2 restarts (recovering) and commits") << int(Tpc3State::PreCommit);
    }
    void restartedParticipantLearnsTheOutcome() {
        QFETCH(int, crashIn);
        Cluster cluster;
        cluster.begin("t1");
        QVERIFY(cluster.runUntil([&] { return cluster.inState("p2", "t1", Tpc3State(crashIn)); }));
        QVERIFY(cluster.world.crash("p2").ok());
        cluster.run(millis(1000));
        QCOMPARE(cluster.decisions("t1").count("p2"), std::size_t(0));
        QCOMPARE(cluster.stateOf("co", "t1"), std::optional<Tpc3State>(Tpc3State::Commit));
        QVERIFY(!cluster.coordinator()->transactions().at("t1").ended);  // still resending DoCommit to p2
        QVERIFY(cluster.world.restart("p2").ok());
        cluster.run(millis(500));
        QCOMPARE(cluster.decisions("t1"), cluster.everybody("commit"));
        QVERIFY(cluster.states("p2", "t1").back() == "COMMIT");
        QVERIFY(cluster.coordinator()->transactions().at("t1").ended);
        // Recovery records nothing new: one decision per node.
        QVERIFY(checkIrrevocability(cluster.world.trace()).ok);
    }

    void coordinatorRestartInWaitAborts() {
        Cluster cluster;
        QVERIFY(cluster.world.cut("p3", "co").ok());  // p3's vote never arrives
        cluster.begin("t1");
        cluster.run(millis(50));
        QVERIFY(cluster.world.crash("co").ok());
        QVERIFY(cluster.world.restart("co").ok());
        cluster.run(millis(2000));
        QCOMPARE(cluster.decisions("t1"), cluster.everybody("abort"));
    }

    // --- the network misbehaving without partitions ---

    void duplicatesAndReorderingAreHarmless() {
        Cluster cluster(3, 5);
        LinkConfig link;
        link.latencyMin = millis(1);
        link.latencyMax = millis(40);
        link.duplicateRate = 0.5;
        link.reorderRate = 0.5;
        cluster.world.network().setDefaults(link);
        for (int i = 0; i < 6; ++i) cluster.begin("t" + std::to_string(i), i % 3 == 2 ? std::vector<std::string>{"p3"} : std::vector<std::string>{});
        cluster.run(millis(3000));
        for (int i = 0; i < 6; ++i) {
            const std::string txn = "t" + std::to_string(i);
            QCOMPARE(cluster.decisions(txn), cluster.everybody(i % 3 == 2 ? "abort" : "commit"));
        }
        QVERIFY(cluster.world.messageStats().duplicated > 0);
        // An explicit stale DoCommit and Abort after the fact change nothing.
        QVERIFY(cluster.world.sendFrom("co", "p1", makeBody(Tpc3DoCommit{"t0"})).ok());
        QVERIFY(cluster.world.sendFrom("co", "p1", makeBody(Tpc3Abort{"t0"})).ok());
        QVERIFY(cluster.world.sendFrom("co", "p1", makeBody(Tpc3CanCommit{"t0", cluster.ids, false})).ok());
        cluster.run(millis(100));
        QCOMPARE(cluster.decisions("t0"), cluster.everybody("commit"));
        QVERIFY(checkIrrevocability(cluster.world.trace()).ok);
        QVERIFY(checkAtomicity(cluster.world.trace()).ok);
    }

    // --- malformed input ---

    void malformedMessagesGetError12_data() {
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("json");  // the body's type and fields
        QTest::addColumn<int>("code");
        QTest::newRow("begin: empty txn") << "co" << R"({"type":"tpc3_begin","txn":"","participants":["p1"],"vote_no":[]})" << 12;
        QTest::newRow("begin: no participants") << "co" << R"({"type":"tpc3_begin","txn":"t","participants":[],"vote_no":[]})" << 12;
        QTest::newRow("begin: participant twice") << "co" << R"({"type":"tpc3_begin","txn":"t","participants":["p1","p1"],"vote_no":[]})" << 12;
        QTest::newRow("begin: coordinator as participant") << "co" << R"({"type":"tpc3_begin","txn":"t","participants":["co"],"vote_no":[]})" << 12;
        QTest::newRow("begin: vote_no outsider") << "co" << R"({"type":"tpc3_begin","txn":"t","participants":["p1"],"vote_no":["p9"]})" << 12;
        QTest::newRow("begin: participants not a list") << "co" << R"({"type":"tpc3_begin","txn":"t","participants":"p1","vote_no":[]})" << 12;
        QTest::newRow("begin: txn missing") << "co" << R"({"type":"tpc3_begin","participants":["p1"],"vote_no":[]})" << 12;
        QTest::newRow("vote: maybe") << "co" << R"({"type":"tpc3_vote","txn":"t","vote":"maybe"})" << 12;
        QTest::newRow("ack: txn a number") << "co" << R"({"type":"tpc3_ack","txn":5})" << 12;
        QTest::newRow("state_reply: unknown state") << "co" << R"({"type":"tpc3_state_reply","txn":"t","state":"SLEEPY","recovering":false})" << 12;
        QTest::newRow("coordinator: unknown type") << "co" << R"({"type":"tpc3_bogus"})" << 10;
        QTest::newRow("can_commit: self not listed") << "p1" << R"({"type":"tpc3_can_commit","txn":"t","participants":["p2"],"vote_no":false})" << 12;
        QTest::newRow("can_commit: vote_no a string") << "p1" << R"({"type":"tpc3_can_commit","txn":"t","participants":["p1"],"vote_no":"yes"})" << 12;
        QTest::newRow("pre_commit: txn with a space") << "p1" << R"({"type":"tpc3_pre_commit","txn":"a b"})" << 12;
        QTest::newRow("do_commit: no txn") << "p1" << R"({"type":"tpc3_do_commit"})" << 12;
        QTest::newRow("abort: txn null") << "p1" << R"({"type":"tpc3_abort","txn":null})" << 12;
        QTest::newRow("state_request: empty txn") << "p1" << R"({"type":"tpc3_state_request","txn":""})" << 12;
        QTest::newRow("participant: unknown type") << "p1" << R"({"type":"tpc3_bogus"})" << 10;
    }
    void malformedMessagesGetError12() {
        QFETCH(QString, to);
        QFETCH(QString, json);
        QFETCH(int, code);
        Cluster cluster;
        Result<Body> body = bodyFromJson(Json::parse(json.toStdString()));
        QVERIFY(body.ok());
        QCOMPARE(cluster.errorCode(to.toStdString(), body.value()), code);
        // Nothing was created, and the node still works.
        QVERIFY(cluster.coordinator()->transactions().empty());
        cluster.begin("ok");
        cluster.run(millis(500));
        QCOMPARE(cluster.decisions("ok"), cluster.everybody("commit"));
    }

    void duplicateBeginGetsError21() {
        Cluster cluster;
        cluster.begin("t1");
        cluster.run(millis(500));
        QCOMPARE(cluster.errorCode("co", makeBody(Tpc3Begin{"t1", cluster.ids, {}})), int(ErrorCode::KeyAlreadyExists));
        QCOMPARE(cluster.decisions("t1"), cluster.everybody("commit"));
    }

    // --- the lesson: partitions ---

    void partitionDuringPreCommitSplitsTheDecision() {
        // 3pc, N=3: co's PreCommit reaches p1 only, then the network splits {co, p1} | {p2, p3} -> co's ack
        // timeout commits (p1 commits), while p2 and p3 terminate on their side with only READY states and
        // abort: the two sides decide differently, and the atomicity checker says so. Same seed, same trace.
        auto runOnce = [](std::string& trace) {
            Cluster cluster(3, 11);
            cluster.begin("t1");
            if (!cluster.runUntil([&] { return cluster.allInState("t1", Tpc3State::Ready); })) return CheckResult{};
            if (!cluster.world.cut("co", "p2").ok() || !cluster.world.cut("co", "p3").ok()) return CheckResult{};
            if (!cluster.runUntil([&] { return cluster.inState("p1", "t1", Tpc3State::PreCommit); })) return CheckResult{};
            if (!cluster.world.partition({{"co", "p1"}, {"p2", "p3"}}).ok()) return CheckResult{};
            cluster.run(millis(3000));
            const std::map<std::string, std::string> decided = cluster.decisions("t1");
            const std::map<std::string, std::string> expected = {
                {"co", "commit"}, {"p1", "commit"}, {"p2", "abort"}, {"p3", "abort"}};
            if (decided != expected) QTest::qFail("the sides did not split as expected", __FILE__, __LINE__);
            trace = cluster.jsonLines();
            return checkAtomicity(cluster.world.trace());
        };
        std::string first, second;
        const CheckResult verdict = runOnce(first);
        QVERIFY(!verdict.ok);
        QCOMPARE(verdict.name, std::string("atomicity"));
        QVERIFY(!verdict.events.empty());
        const CheckResult again = runOnce(second);
        QCOMPARE(again.ok, verdict.ok);
        QCOMPARE(again.events, verdict.events);
        QVERIFY(first == second);
    }

    // --- the inspector ---

    void describeShowsEachTransaction() {
        Cluster cluster;
        cluster.begin("t1");
        cluster.begin("t2", {"p1"});
        cluster.run(millis(500));
        std::vector<std::pair<std::string, std::string>> rows;
        cluster.coordinator()->describe(rows);
        QVERIFY(std::find(rows.begin(), rows.end(), std::make_pair(std::string("transaction"), std::string("t1: END"))) != rows.end());
        QVERIFY(std::find(rows.begin(), rows.end(), std::make_pair(std::string("committed"), std::string("1"))) != rows.end());
        rows.clear();
        cluster.participant("p1")->describe(rows);
        QVERIFY(std::find(rows.begin(), rows.end(),
                          std::make_pair(std::string("transaction"), std::string("t2: ABORT, coordinator co"))) != rows.end());
    }

    void sameSeedSameTrace() {
        auto runOnce = [] {
            Cluster cluster(3, 7);
            LinkConfig link;
            link.latencyMax = millis(30);
            link.dropRate = 0.1;
            cluster.world.network().setDefaults(link);
            cluster.begin("t1");
            cluster.begin("t2", {"p2"});
            cluster.run(millis(200));
            (void)cluster.world.crash("co");
            cluster.run(millis(1500));
            return cluster.jsonLines();
        };
        QCOMPARE(runOnce(), runOnce());
    }
};

QTEST_GUILESS_MAIN(TestThreePhaseCommit)
#include "tst_three_phase_commit.moc"
