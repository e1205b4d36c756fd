// Canonical two-phase commit, story by story: its messages survive the wire and bad ones get error 12;
// a commit runs INIT -> WAIT -> COMMIT -> END; a no vote, a missing vote and a silent coordinator each
// abort it; participants left READY with the coordinator down stay blocked, holding their locks, until
// a peer or the restarted coordinator knows the outcome; a coordinator restarted in WAIT presumes abort,
// one restarted after deciding sends its decision again; a participant restarted in READY is READY again;
// repeated, duplicated and reordered messages change nothing.
//
// Unless a test says otherwise the network is quiet with a fixed 5 ms latency, so the clean timeline is:
// begin reaches c at 5 ms, the participants at 10 ms; the prepare goes out at 55 ms and arrives at 60;
// the votes arrive at 65, the decision at 70, the acks at 75.
#include <QTest>

#include <functional>

#include "core/check/txn_checks.h"
#include "core/protocols/txn/tpc_messages.h"
#include "core/protocols/txn/two_phase_commit_coordinator.h"
#include "core/protocols/txn/two_phase_commit_participant.h"
#include "core/protocols/txn/txn_record.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"
#include "tests/support/wire_checks.h"

using namespace distlab;
using namespace distlab::txn;

namespace {

constexpr std::uint64_t kEventsMax = 1'000'000;
const std::vector<NodeId> kParticipants = {"p1", "p2", "p3"};
const std::vector<NodeId> kAllNodes = {"c", "p1", "p2", "p3"};

LinkConfig fixedLatency(std::int64_t ms = 5) {
    LinkConfig link;
    link.latencyMin = millis(ms);
    link.latencyMax = millis(ms);
    return link;
}

// A coordinator "c", participants p1..p3 and the lab's console "lab".
class TpcLab {
public:
    explicit TpcLab(TwoPhaseCommitConfig config = {}, LinkConfig link = fixedLatency(),
                    std::uint64_t seed = 1)
        : world(seed) {
        world.network().setDefaults(link);
        if (!world.addNode("c", [config] { return std::make_unique<TwoPhaseCommitCoordinator>(config); })
                 .ok())
            QFAIL("cannot add the coordinator");
        for (const NodeId& id : kParticipants) {
            if (!world.addNode(id, [config] { return std::make_unique<TwoPhaseCommitParticipant>(config); })
                     .ok())
                QFAIL("cannot add a participant");
        }
        if (!support::addProbe(world, "lab")) QFAIL("cannot add the lab");
    }

    void runTo(std::int64_t ms) { world.runUntil(millis(ms), kEventsMax); }
    void run(std::int64_t ms) { world.runUntil(world.now() + millis(ms), kEventsMax); }
    void at(std::int64_t ms, std::function<void(World&)> action) {
        world.schedule(millis(ms), std::move(action));
    }

    std::int64_t begin(const std::string& txn, std::vector<NodeId> voteNo = {},
                       std::vector<NodeId> participants = kParticipants) {
        Result<std::int64_t> msgId =
            world.sendFrom("lab", "c", makeBody(TpcBegin{txn, std::move(participants), std::move(voteNo)}));
        return msgId ? msgId.value() : -1;
    }

    // Sends a request from the lab and returns the answer after the network has carried both ways.
    Body ask(const NodeId& to, Body request) {
        Result<std::int64_t> msgId = world.sendFrom("lab", to, std::move(request));
        if (!msgId) return Body{"send-failed", 0, {}, {}};
        run(30);
        return answerTo(msgId.value());
    }
    Body answerTo(std::int64_t msgId) {
        return probe()->answerTo(msgId);
    }
    int errorCode(const NodeId& to, Body request) {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(ask(to, std::move(request)));
        return error ? error->code : -1;
    }

    TwoPhaseCommitCoordinator* coordinator() {
        return dynamic_cast<TwoPhaseCommitCoordinator*>(world.node(*world.indexOf("c")));
    }
    TwoPhaseCommitParticipant* participant(const NodeId& id) {
        return dynamic_cast<TwoPhaseCommitParticipant*>(world.node(*world.indexOf(id)));
    }
    support::Probe* probe() { return support::findProbe(world, "lab"); }

    // The states one node went through for txn, as the trace tells them ("INIT WAIT COMMIT END").
    std::string states(const NodeId& node, const std::string& txn, SimTime until = -1) const {
        std::string out;
        const Trace& trace = world.trace();
        const std::uint32_t name = trace.find(node);
        for (const TraceEvent& event : trace.events()) {
            if (event.kind != TraceKind::State || event.node != name) continue;
            if (until >= 0 && event.time > until) break;
            std::optional<ParsedTxnState> parsed = parseTxnState(trace.name(event.text));
            if (parsed && !parsed->saga && parsed->id == txn) out += (out.empty() ? "" : " ") + parsed->state;
        }
        return out;
    }
    // The ops with function f (of one node, and one transaction, when given).
    std::vector<ClientOp> ops(const std::string& f, const NodeId& node = {},
                              const std::string& txn = {}) const {
        std::vector<ClientOp> out;
        for (const ClientOp& op : world.trace().clientOps()) {
            if (op.f != f || (!node.empty() && op.process != node)) continue;
            if (!txn.empty() && op.value.value("txn", "") != txn) continue;
            out.push_back(op);
        }
        return out;
    }
    // The decision each node recorded for txn ("commit" / "abort"), or "" when it recorded none.
    std::string decisionOf(const NodeId& node, const std::string& txn) const {
        std::vector<ClientOp> decided = ops("decide", node, txn);
        return decided.empty() ? std::string() : decided.front().value.value("decision", "");
    }
    // When node recorded its decision on txn, or -1 when it has not.
    SimTime decideTime(const NodeId& node, const std::string& txn) const {
        std::vector<ClientOp> decided = ops("decide", node, txn);
        return decided.empty() ? SimTime(-1) : decided.front().time;
    }
    // The vote node recorded on txn, or "" when it has not voted.
    std::string voteOf(const NodeId& node, const std::string& txn) const {
        std::vector<ClientOp> votes = ops("vote", node, txn);
        return votes.empty() ? std::string() : votes.front().value.value("vote", "");
    }
    // Atomicity, read straight from the decide ops: every node that decided txn decided the same.
    bool atomic() const {
        std::map<std::string, std::string> first;
        for (const ClientOp& op : ops("decide")) {
            const std::string txn = op.value.value("txn", "");
            auto [it, inserted] = first.emplace(txn, op.value.value("decision", ""));
            if (!inserted && it->second != op.value.value("decision", "")) return false;
        }
        return true;
    }
    bool checkersPass() const {
        return checkAtomicity(world.trace()).ok && checkValidity(world.trace()).ok && checkIrrevocability(world.trace()).ok;
    }
    // Messages of type sent by node so far.
    std::size_t sent(const NodeId& node, std::string_view type) const {
        std::size_t count = 0;
        const Trace& trace = world.trace();
        for (std::size_t i = 0; i < trace.messageCount(); ++i) {
            const Envelope& envelope = trace.message(i).envelope;
            if (envelope.src == node && envelope.body.type == type) ++count;
        }
        return count;
    }

    World world;
};

// --- the state-machine table ---

struct Scenario {
    const char* name;
    std::int64_t initTimeoutMs;  // the participants' INIT timeout
    std::vector<NodeId> voteNo;
    std::function<void(TpcLab&)> faults;  // scheduled before the run
    std::int64_t runMs;
    const char* coordinatorStates;
    const char* p1States;
    const char* p3States;
    const char* decision;
};

std::vector<Scenario> scenarios() {
    const std::int64_t patientInit = 2000;
    const std::int64_t usualInit = TwoPhaseCommitConfig{}.initTimeoutMs;
    return {
        {"happy commit",
         usualInit,
         {},
         [](TpcLab&) {},
         1000,
         "INIT WAIT COMMIT END",
         "INIT READY COMMIT",
         "INIT READY COMMIT",
         "commit"},
        {"a no vote aborts",
         usualInit,
         {"p2"},
         [](TpcLab&) {},
         1000,
         "INIT WAIT ABORT END",
         "INIT READY ABORT",
         "INIT READY ABORT",
         "abort"},
        {"coordinator vote timeout aborts (p3 paused past it)",
         usualInit,
         {},
         [](TpcLab& lab) { lab.at(0, [](World& w) { (void)w.pause("p3", millis(500)); }); },
         1500,
         "INIT WAIT ABORT END",
         "INIT READY ABORT",
         "INIT READY ABORT",
         "abort"},
        {"participant INIT timeout aborts (p3 never gets the prepare)",
         usualInit,
         {},
         [](TpcLab& lab) {
             lab.at(20, [](World& w) { (void)w.cut("c", "p3"); });
             lab.at(1000, [](World& w) { w.heal(); });
         },
         2000,
         "INIT WAIT ABORT END",
         "INIT READY ABORT",
         "INIT ABORT",
         "abort"},
        {"coordinator crashes in WAIT: participants block, restart presumes abort",
         usualInit,
         {},
         [](TpcLab& lab) {
             lab.at(58, [](World& w) { (void)w.crash("c"); });
             lab.at(1500, [](World& w) { (void)w.restart("c"); });
         },
         2500,
         "INIT WAIT ABORT END",
         "INIT READY ABORT",
         "INIT READY ABORT",
         "abort"},
        {"coordinator crashes after COMMIT before anyone hears: restart resends it",
         usualInit,
         {},
         [](TpcLab& lab) {
             lab.at(62, [](World& w) {
                 for (const NodeId& p : kParticipants) (void)w.cut("c", p);
             });
             lab.at(100, [](World& w) { (void)w.crash("c"); });
             lab.at(200, [](World& w) { w.heal(); });
             lab.at(1500, [](World& w) { (void)w.restart("c"); });
         },
         2500,
         "INIT WAIT COMMIT COMMIT END",
         "INIT READY COMMIT",
         "INIT READY COMMIT",
         "commit"},
        {"participant crashes in READY, recovers READY and finishes",
         usualInit,
         {},
         [](TpcLab& lab) {
             lab.at(62, [](World& w) { (void)w.crash("p2"); });
             lab.at(400, [](World& w) { (void)w.restart("p2"); });
         },
         1500,
         "INIT WAIT COMMIT END",
         "INIT READY COMMIT",
         "INIT READY COMMIT",
         "commit"},
        {"cooperative termination: p1 got the commit, p2 and p3 follow it",
         usualInit,
         {},
         [](TpcLab& lab) {
             lab.at(62, [](World& w) {
                 (void)w.cut("c", "p2");
                 (void)w.cut("c", "p3");
             });
             lab.at(100, [](World& w) { (void)w.crash("c"); });
             lab.at(1400, [](World& w) { w.heal(); });
             lab.at(1500, [](World& w) { (void)w.restart("c"); });
         },
         2500,
         "INIT WAIT COMMIT COMMIT END",
         "INIT READY COMMIT",
         "INIT READY COMMIT",
         "commit"},
        {"cooperative termination: p3 still in INIT, so all abort",
         patientInit,
         {},
         [](TpcLab& lab) {
             lab.at(20, [](World& w) { (void)w.cut("c", "p3"); });
             lab.at(58, [](World& w) { (void)w.crash("c"); });
             lab.at(1400, [](World& w) { w.heal(); });
             lab.at(1500, [](World& w) { (void)w.restart("c"); });
         },
         2500,
         "INIT WAIT ABORT END",
         "INIT READY ABORT",
         "INIT ABORT",
         "abort"},
    };
}

// Sets up scenario i and runs it to its end.
void runScenario(TpcLab& lab, const Scenario& scenario) {
    scenario.faults(lab);
    lab.begin("t1", scenario.voteNo);
    lab.runTo(scenario.runMs);
}

}  // namespace

class TestTwoPhaseCommit : public QObject {
    Q_OBJECT

private slots:
    // --- messages ---

    void messagesRoundTrip_data() {
        QTest::addColumn<int>("index");
        const std::vector<Body> samples = tpcSampleMessages();
        for (std::size_t i = 0; i < samples.size(); ++i) QTest::newRow(samples[i].type.c_str()) << int(i);
    }
    void messagesRoundTrip() {
        QFETCH(int, index);
        wire::checkEnvelopeRoundTrip(tpcSampleMessages().at(std::size_t(index)));
    }

    void samplesCoverEveryTypeOnceWithThePrefix() {
        wire::checkSamplesCoverTypes(tpcSampleMessages(), tpcMessageTypes(), "tpc_");
    }

    void wireNamesAreSnakeCase() {
        QVERIFY(makeBody(TpcBegin{"t1", {"p1"}, {}}).fields ==
                (Json{{"txn", "t1"}, {"participants", {"p1"}}, {"vote_no", Json::array()}}));
        QVERIFY(makeBody(TpcStateReply{"t1", "READY"}).fields == (Json{{"txn", "t1"}, {"state", "READY"}}));
    }

    void malformedMessagesGetError12_data() {
        QTest::addColumn<QString>("node");
        QTest::addColumn<QString>("message");  // the body as JSON
        auto row = [](const char* name, const char* node, Json body) {
            QTest::newRow(name) << QString(node) << QString::fromStdString(body.dump());
        };
        const Json p3 = Json::array({"p1", "p2", "p3"});
        row("begin: empty txn", "c",
            {{"type", "tpc_begin"}, {"txn", ""}, {"participants", p3}, {"vote_no", {}}});
        row("begin: txn with a space", "c",
            {{"type", "tpc_begin"}, {"txn", "t 1"}, {"participants", p3}, {"vote_no", Json::array()}});
        row("begin: txn too long", "c",
            {{"type", "tpc_begin"},
             {"txn", std::string(65, 't')},
             {"participants", p3},
             {"vote_no", Json::array()}});
        row("begin: txn is a number", "c",
            {{"type", "tpc_begin"}, {"txn", 7}, {"participants", p3}, {"vote_no", Json::array()}});
        row("begin: no participants", "c",
            {{"type", "tpc_begin"},
             {"txn", "t1"},
             {"participants", Json::array()},
             {"vote_no", Json::array()}});
        row("begin: a participant twice", "c",
            {{"type", "tpc_begin"},
             {"txn", "t1"},
             {"participants", {"p1", "p1"}},
             {"vote_no", Json::array()}});
        row("begin: 17 participants", "c",
            {{"type", "tpc_begin"},
             {"txn", "t1"},
             {"participants", std::vector<std::string>(17, "p")},
             {"vote_no", Json::array()}});
        row("begin: vote_no names a stranger", "c",
            {{"type", "tpc_begin"}, {"txn", "t1"}, {"participants", p3}, {"vote_no", {"p9"}}});
        row("begin: the coordinator as participant", "c",
            {{"type", "tpc_begin"},
             {"txn", "t1"},
             {"participants", {"p1", "c"}},
             {"vote_no", Json::array()}});
        row("begin: vote_no missing", "c", {{"type", "tpc_begin"}, {"txn", "t1"}, {"participants", p3}});
        row("vote: maybe", "c", {{"type", "tpc_vote"}, {"txn", "t1"}, {"vote", "maybe"}});
        row("ack: no txn", "c", {{"type", "tpc_ack"}});
        row("decision request to c: bad txn", "c", {{"type", "tpc_decision_request"}, {"txn", "a/b"}});
        row("begin at a participant not listed", "p1",
            {{"type", "tpc_begin"}, {"txn", "t1"}, {"participants", {"p2"}}, {"vote_no", Json::array()}});
        row("prepare: participants not a list", "p1",
            {{"type", "tpc_prepare"}, {"txn", "t1"}, {"participants", "p1"}});
        row("prepare: p1 not listed", "p1",
            {{"type", "tpc_prepare"}, {"txn", "t1"}, {"participants", {"p2"}}});
        row("decision: perhaps", "p1", {{"type", "tpc_decision"}, {"txn", "t1"}, {"decision", "perhaps"}});
        row("decision request: empty txn", "p1", {{"type", "tpc_decision_request"}, {"txn", ""}});
        row("state reply: SLEEPING", "p1",
            {{"type", "tpc_state_reply"}, {"txn", "t1"}, {"state", "SLEEPING"}});
    }
    void malformedMessagesGetError12() {
        QFETCH(QString, node);
        QFETCH(QString, message);
        TpcLab lab;
        Result<Body> body = bodyFromJson(Json::parse(message.toStdString()));
        QVERIFY(body.ok());
        QCOMPARE(lab.errorCode(node.toStdString(), body.value()), int(ErrorCode::MalformedRequest));
        // Nothing was started, logged or recorded.
        QVERIFY(lab.world.trace().clientOps().empty());
        QCOMPARE(lab.world.store(*lab.world.indexOf(node.toStdString())).size(), std::size_t(0));
    }

    void unknownTypesAreNotSupported() {
        TpcLab lab;
        Body body{"tpc3_can_commit", 0, {}, Json::object()};
        QCOMPARE(lab.errorCode("c", body), int(ErrorCode::NotSupported));
        QCOMPARE(lab.errorCode("p1", body), int(ErrorCode::NotSupported));
    }

    // --- every role, every timeout path ---

    void stateMachine_data() {
        QTest::addColumn<int>("index");
        const std::vector<Scenario> all = scenarios();
        for (std::size_t i = 0; i < all.size(); ++i) QTest::newRow(all[i].name) << int(i);
    }
    void stateMachine() {
        QFETCH(int, index);
        const Scenario scenario = scenarios().at(std::size_t(index));
        TwoPhaseCommitConfig config;
        config.initTimeoutMs = scenario.initTimeoutMs;
        TpcLab lab(config);
        runScenario(lab, scenario);
        QCOMPARE(lab.states("c", "t1"), std::string(scenario.coordinatorStates));
        QCOMPARE(lab.states("p1", "t1"), std::string(scenario.p1States));
        QCOMPARE(lab.states("p3", "t1"), std::string(scenario.p3States));
        // Everyone decided, the same, once; nobody holds a lock any more.
        for (const NodeId& node : kAllNodes) {
            QCOMPARE(lab.ops("decide", node, "t1").size(), std::size_t(1));
            QCOMPARE(lab.decisionOf(node, "t1"), std::string(scenario.decision));
        }
        for (const NodeId& p : kParticipants) QVERIFY(lab.participant(p)->locksHeld().empty());
        QVERIFY(lab.atomic());
        QVERIFY(lab.checkersPass());
    }

    void happyCommitRecordsVotesAndDecisions() {
        TpcLab lab;
        const std::int64_t msgId = lab.begin("t1");
        lab.runTo(1000);
        QCOMPARE(lab.answerTo(msgId).type, std::string("tpc_begin_ok"));
        QCOMPARE(lab.ops("vote").size(), std::size_t(3));
        for (const ClientOp& vote : lab.ops("vote"))
            QCOMPARE(vote.value.value("vote", ""), std::string("yes"));
        QCOMPARE(lab.ops("decide").size(), std::size_t(4));
        QCOMPARE(lab.ops("decide", "c").front().value.value("role", ""), std::string("coordinator"));
        QCOMPARE(lab.ops("decide", "p1").front().value.value("role", ""), std::string("participant"));
        // Op ids come from each node's durable counter: 1 (vote) and 2 (decide) on a participant.
        QCOMPARE(lab.ops("vote", "p2").front().opId, std::int64_t(1));
        QCOMPARE(lab.ops("decide", "p2").front().opId, std::int64_t(2));
        // The clean run's timeline: decided at 65 ms, END at 75 ms; no resend, no termination round.
        QCOMPARE(lab.decideTime("c", "t1"), millis(65));
        QCOMPARE(lab.sent("c", "tpc_decision"), std::size_t(3));
        QCOMPARE(lab.sent("p1", "tpc_decision_request"), std::size_t(0));
        QCOMPARE(Disk(lab.world.store(*lab.world.indexOf("c"))).get("tpc/coordinator/t1").value_or(""),
                 std::string(R"({"decision":"commit","participants":["p1","p2","p3"],"state":"END"})"));
    }

    void participantVotesNoWhenItsConfigSaysSo() {
        TwoPhaseCommitConfig config;
        config.voteNo = {"t2"};
        TpcLab lab(config);
        lab.begin("t1");
        lab.begin("t2");
        lab.runTo(1000);
        QCOMPARE(lab.decisionOf("c", "t1"), std::string("commit"));
        QCOMPARE(lab.decisionOf("c", "t2"), std::string("abort"));
        QCOMPARE(lab.voteOf("p1", "t2"), std::string("no"));
    }

    void initTimeoutAbortsOnItsOwnBeforeAnyDecisionArrives() {
        TpcLab lab;
        lab.at(20, [](World& w) { (void)w.cut("c", "p3"); });
        lab.at(1000, [](World& w) { w.heal(); });
        lab.begin("t1");
        lab.runTo(900);
        // p3 began at 10 ms and heard nothing more: it aborted at 610 ms, without a vote.
        QCOMPARE(lab.states("p3", "t1"), std::string("INIT ABORT"));
        QCOMPARE(lab.decideTime("p3", "t1"), millis(610));
        QVERIFY(lab.ops("vote", "p3").empty());
        // The coordinator's vote timeout: WAIT at 55 ms, ABORT at 355 ms; it keeps resending to p3.
        QCOMPARE(lab.decideTime("c", "t1"), millis(355));
        QCOMPARE(lab.states("c", "t1"), std::string("INIT WAIT ABORT"));
        lab.runTo(2000);
        QCOMPARE(lab.states("c", "t1"), std::string("INIT WAIT ABORT END"));
    }

    void blockedParticipantsHoldLocksUntilTheCoordinatorReturns() {
        TpcLab lab;
        lab.at(58, [](World& w) { (void)w.crash("c"); });
        lab.begin("t1");
        lab.runTo(1400);
        // Every participant voted yes and no one knows the outcome: all READY, all asking, all waiting.
        for (const NodeId& p : kParticipants) {
            QCOMPARE(lab.participant(p)->stateOf("t1"), std::optional(TpcParticipantState::Ready));
            QCOMPARE(lab.participant(p)->locksHeld(), std::vector<std::string>{"t1"});
            QVERIFY(lab.participant(p)->txns().at("t1").terminationRounds >= 2);
            QVERIFY(lab.ops("decide", p).empty());
        }
        QVERIFY(lab.sent("p1", "tpc_decision_request") >= 6);  // c, p2, p3 per round
        QVERIFY(lab.sent("p2", "tpc_state_reply") >= 2);
        std::vector<std::pair<std::string, std::string>> details;
        lab.participant("p1")->describe(details);
        QVERIFY(std::find(details.begin(), details.end(),
                          std::pair<std::string, std::string>("locks held", "t1")) != details.end());
        QVERIFY(std::find(details.begin(), details.end(),
                          std::pair<std::string, std::string>("blocked", "1")) != details.end());
        // The restarted coordinator finds WAIT in its log and presumes abort.
        QVERIFY(lab.world.restart("c").ok());
        lab.run(100);
        for (const NodeId& p : kParticipants) {
            QCOMPARE(lab.decisionOf(p, "t1"), std::string("abort"));
            QVERIFY(lab.participant(p)->locksHeld().empty());
        }
        QCOMPARE(lab.coordinator()->stateOf("t1"), std::optional(TpcCoordinatorState::End));
        QVERIFY(lab.checkersPass());
    }

    void followingADecidedPeerDoesNotWaitForTheCoordinator() {
        TpcLab lab;
        lab.at(62, [](World& w) {
            (void)w.cut("c", "p2");
            (void)w.cut("c", "p3");
        });
        lab.at(100, [](World& w) { (void)w.crash("c"); });
        lab.begin("t1");
        lab.runTo(1000);
        // p2 and p3 voted at 60 ms; at 560 ms they asked around and p1 said COMMIT.
        for (const NodeId& p : std::vector<NodeId>{"p2", "p3"}) {
            QCOMPARE(lab.decisionOf(p, "t1"), std::string("commit"));
            QCOMPARE(lab.decideTime(p, "t1"), millis(570));
        }
        QVERIFY(lab.world.status(*lab.world.indexOf("c")) == NodeStatus::Crashed);
    }

    void aPeerInInitAbortsAndSoDoTheAskers() {
        TwoPhaseCommitConfig config;
        config.initTimeoutMs = 2000;
        TpcLab lab(config);
        lab.at(20, [](World& w) { (void)w.cut("c", "p3"); });
        lab.at(58, [](World& w) { (void)w.crash("c"); });
        lab.begin("t1");
        lab.runTo(1000);
        // p3 aborted when asked (565 ms), long before its own INIT timeout; its answer was "INIT".
        QCOMPARE(lab.decideTime("p3", "t1"), millis(565));
        QCOMPARE(lab.decisionOf("p1", "t1"), std::string("abort"));
        QCOMPARE(lab.decisionOf("p2", "t1"), std::string("abort"));
        // Its vote request never came; when the coordinator sends one again it would get a no.
        QVERIFY(lab.ops("vote", "p3").empty());
        Result<std::int64_t> sent =
            lab.world.sendFrom("lab", "p3", makeBody(TpcPrepare{"t1", kParticipants}));
        QVERIFY(sent.ok());
        lab.run(30);
        QCOMPARE(lab.voteOf("p3", "t1"), std::string("no"));
        QVERIFY(lab.checkersPass());
    }

    void recoveredParticipantIsReadyAgainWithItsLock() {
        TpcLab lab;
        lab.at(62, [](World& w) { (void)w.crash("p2"); });
        lab.begin("t1");
        lab.runTo(399);
        QVERIFY(lab.world.restart("p2").ok());
        // Straight after the restart, before any message: READY from the log, the lock taken again.
        QCOMPARE(lab.participant("p2")->stateOf("t1"), std::optional(TpcParticipantState::Ready));
        QCOMPARE(lab.participant("p2")->locksHeld(), std::vector<std::string>{"t1"});
        QCOMPARE(lab.states("p2", "t1"), std::string("INIT READY READY"));
        lab.runTo(1000);
        QCOMPARE(lab.decisionOf("p2", "t1"), std::string("commit"));
        // One vote op and one decide op: the recovery recorded nothing new.
        QCOMPARE(lab.ops("vote", "p2").size(), std::size_t(1));
        QCOMPARE(lab.ops("decide", "p2").size(), std::size_t(1));
    }

    // The yes vote is a promise kept on disk. When that record fails its checksum the participant must not
    // guess: it stops with the reason, restart after restart, and the damaged record is never overwritten
    // (an INIT written over it would turn the promise into an abort).
    void damagedReadyRecordStopsTheParticipant() {
        TpcLab lab;
        const std::string record = std::string(kTpcParticipantLogPrefix) + "t1";
        lab.at(62, [&](World& w) {
            (void)w.crash("p2");
            QVERIFY(w.store(*w.indexOf("p2")).damage(record));
        });
        lab.begin("t1");
        lab.runTo(399);
        QCOMPARE(lab.states("p2", "t1"), std::string("INIT READY"));
        QVERIFY(lab.world.restart("p2").ok());
        const NodeIndex p2 = *lab.world.indexOf("p2");
        QCOMPARE(lab.world.status(p2), NodeStatus::Crashed);
        QVERIFY(lab.world.node(p2) == nullptr);
        const Trace& trace = lab.world.trace();
        const TraceEvent& halted = trace.events()[trace.events().size() - 2];
        QCOMPARE(halted.kind, TraceKind::State);
        QCOMPARE(trace.name(halted.text),
                 std::string("halted: record 'tpc/participant/t1' on disk fails its checksum"));
        QCOMPARE(trace.events().back().kind, TraceKind::Crash);
        lab.runTo(1000);
        QCOMPARE(lab.world.restart("p2").ok(), true);  // and again: the disk has not changed
        QCOMPARE(lab.world.status(p2), NodeStatus::Crashed);
        std::string value;
        QCOMPARE(lab.world.store(p2).get(record, value), StoreStatus::Corrupt);
        QCOMPARE(lab.decisionOf("p2", "t1"), std::string());  // it promised and stopped; it decided nothing
        for (const NodeId& node : std::vector<NodeId>{"c", "p1", "p3"})
            QCOMPARE(lab.decisionOf(node, "t1"), std::string("commit"));
        QVERIFY(lab.atomic());
    }

    void participantRestartedInInitAborts() {
        TpcLab lab;
        lab.at(30, [](World& w) { (void)w.crash("p1"); });
        lab.at(40, [](World& w) { (void)w.restart("p1"); });
        lab.begin("t1");
        lab.runTo(1000);
        QCOMPARE(lab.states("p1", "t1"), std::string("INIT ABORT"));
        QCOMPARE(lab.decideTime("p1", "t1"), millis(40));
        for (const NodeId& node : std::vector<NodeId>{"c", "p2", "p3"})
            QCOMPARE(lab.decisionOf(node, "t1"), std::string("abort"));
    }

    void presumedAbortForATransactionNobodyLogged() {
        TpcLab lab;
        Result<TpcDecision> answer = bodyAs<TpcDecision>(lab.ask("c", makeBody(TpcDecisionRequest{"t9"})));
        QVERIFY(answer.ok());
        QCOMPARE(answer->decision, std::string("abort"));
        // A coordinator that crashed in INIT logged nothing: it too answers abort after its restart.
        lab.at(50, [](World& w) { (void)w.crash("c"); });  // begun at 35 ms, prepare due at 85 ms
        lab.at(60, [](World& w) { (void)w.restart("c"); });
        lab.begin("t1");
        lab.runTo(1000);
        QCOMPARE(lab.states("c", "t1"), std::string("INIT"));
        for (const NodeId& p : kParticipants) QCOMPARE(lab.decisionOf(p, "t1"), std::string("abort"));
        answer = bodyAs<TpcDecision>(lab.ask("c", makeBody(TpcDecisionRequest{"t1"})));
        QVERIFY(answer.ok());
        QCOMPARE(answer->decision, std::string("abort"));
    }

    // --- repetition, duplication, reordering ---

    void repeatedMessagesChangeNothing() {
        TpcLab lab;
        lab.begin("t1");
        lab.runTo(500);
        const std::size_t opsBefore = lab.world.trace().clientOps().size();
        // The same begin again: refused, the transaction untouched.
        QCOMPARE(lab.errorCode("c", makeBody(TpcBegin{"t1", kParticipants, {}})),
                 int(ErrorCode::KeyAlreadyExists));
        // A repeated vote request gets the same vote; a repeated decision another ack; a contrary
        // decision nothing at all.
        QVERIFY(lab.world.sendFrom("lab", "p1", makeBody(TpcPrepare{"t1", kParticipants})).ok());
        QVERIFY(lab.world.sendFrom("lab", "p1", makeBody(TpcDecision{"t1", "commit"})).ok());
        QVERIFY(lab.world.sendFrom("lab", "p2", makeBody(TpcDecision{"t1", "abort"})).ok());
        QVERIFY(lab.world.sendFrom("lab", "c", makeBody(TpcVote{"t1", "no"})).ok());
        QVERIFY(lab.world.sendFrom("lab", "c", makeBody(TpcAck{"t1"})).ok());
        lab.run(100);
        std::vector<std::string> got;
        for (const Envelope& message : lab.probe()->received) got.push_back(message.body.type);
        QCOMPARE(got, (std::vector<std::string>{"tpc_begin_ok", "error", "tpc_vote", "tpc_ack"}));
        QCOMPARE(lab.world.trace().clientOps().size(), opsBefore);
        QCOMPARE(lab.participant("p2")->stateOf("t1"), std::optional(TpcParticipantState::Commit));
        QCOMPARE(lab.coordinator()->stateOf("t1"), std::optional(TpcCoordinatorState::End));
    }

    void duplicatedAndReorderedMessagesAreHarmless_data() {
        QTest::addColumn<int>("seed");
        for (int seed = 1; seed <= 20; ++seed)
            QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void duplicatedAndReorderedMessagesAreHarmless() {
        QFETCH(int, seed);
        LinkConfig link;
        link.latencyMin = millis(1);
        link.latencyMax = millis(40);
        link.duplicateRate = 1.0;
        link.reorderRate = 0.5;
        TpcLab lab({}, link, std::uint64_t(seed));
        lab.begin("t1");
        lab.begin("t2", {"p3"});
        lab.begin("t3");
        lab.runTo(3000);
        QVERIFY(lab.world.messageStats().duplicated > 0);
        for (const char* txn : {"t1", "t2", "t3"}) {
            const std::string expected = std::string(txn) == "t2" ? "abort" : "commit";
            for (const NodeId& node : kAllNodes) {
                QCOMPARE(lab.ops("decide", node, txn).size(), std::size_t(1));
                QCOMPARE(lab.decisionOf(node, txn), expected);
            }
            QCOMPARE(lab.coordinator()->stateOf(txn), std::optional(TpcCoordinatorState::End));
        }
        QVERIFY(lab.atomic());
        QVERIFY(lab.checkersPass());
    }

    // --- several transactions at once ---

    void concurrentTransactionsAreIndependent() {
        TpcLab lab;
        lab.begin("t1");
        lab.begin("t2", {"p1"});
        lab.begin("t3", {}, {"p2", "p3"});
        lab.at(58, [](World& w) { (void)w.cut("p3", "c"); });  // t1's and t3's votes from p3 are lost
        lab.at(200, [](World& w) { w.heal(); });
        lab.runTo(2000);
        QCOMPARE(lab.decisionOf("c", "t1"), std::string("abort"));  // vote timeout
        QCOMPARE(lab.decisionOf("c", "t2"), std::string("abort"));  // p1 voted no
        QCOMPARE(lab.decisionOf("c", "t3"), std::string("abort"));  // vote timeout
        QCOMPARE(lab.decisionOf("p1", "t3"), std::string());        // p1 is not in t3
        lab.begin("t4");
        lab.run(500);
        QCOMPARE(lab.decisionOf("c", "t4"), std::string("commit"));
        std::vector<std::pair<std::string, std::string>> details;
        lab.coordinator()->describe(details);
        QCOMPARE(details.at(1), (std::pair<std::string, std::string>("transactions", "4")));
        QCOMPARE(details.at(2), (std::pair<std::string, std::string>("txn", "t1: END")));
        QVERIFY(lab.checkersPass());
    }

    void tooManyTransactionsIsTemporarilyUnavailable() {
        TwoPhaseCommitConfig config;
        config.txnsMax = 2;
        TpcLab lab(config);
        lab.begin("t1");
        lab.begin("t2");
        lab.run(10);
        QCOMPARE(lab.errorCode("c", makeBody(TpcBegin{"t3", kParticipants, {}})),
                 int(ErrorCode::TemporarilyUnavailable));
    }
};

QTEST_GUILESS_MAIN(TestTwoPhaseCommit)
#include "tst_two_phase_commit.moc"
