// Two-phase commit under crashes, as acceptance properties.
//
// Crash sweep: a clean 3-participant commit has a fixed list of coordinator message events (deliveries to
// it and sends from it). For every k, the coordinator crashes right after its k-th event -- a delivery is
// lost with the process before it is handled; after a send, the rest of that handler's sends never leave
// -- and restarts 1.5 s later. Atomicity always holds, and the participants are blocked (READY past their
// decision timeout, holding the lock, no decision) exactly when the crash falls after every participant
// voted yes and before any decision left the coordinator.
//
// Seeds: for seeds 1..1000, random crashes and restarts of the coordinator and the participants, message
// loss, duplication, reordering and latency (sometimes one slow link), random timeouts, four transactions;
// atomicity never fails, and once the faults stop every transaction finishes. A failure prints the seed and
// whether it reproduces byte for byte.
#include <QTest>

#include <functional>
#include <memory>
#include <sstream>

#include "core/check/txn_checks.h"
#include "core/protocols/txn/tpc_messages.h"
#include "core/protocols/txn/two_phase_commit_coordinator.h"
#include "core/protocols/txn/two_phase_commit_participant.h"
#include "core/base/rng.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"

using namespace distlab;
using namespace distlab::txn;

namespace {

constexpr std::uint64_t kEventsMax = 500'000;
constexpr std::uint64_t kSeedsMax = 1000;
const std::vector<NodeId> kParticipants = {"p1", "p2", "p3"};

// The coordinator, with a fuse: it counts its message events and, once the k-th has happened, does
// nothing more (the test then crashes it). Its log lines ("send tpc_prepare p1") describe the run.
class FusedCoordinator : public Node {
public:
    FusedCoordinator(std::uint64_t fuse, std::vector<std::string>* log) : m_fuse(fuse), m_log(log) {}

    void onStart(Context& ctx) override {
        Fuse fused(*this, ctx);
        m_inner.onStart(fused);
    }
    void onMessage(Context& ctx, const Envelope& message) override {
        if (m_blown) return;
        count("deliver " + message.body.type + " " + message.src);
        if (m_blown) return;  // the process dies as the message arrives
        Fuse fused(*this, ctx);
        m_inner.onMessage(fused, message);
    }
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override {
        if (m_blown) return;
        Fuse fused(*this, ctx);
        m_inner.onTimer(fused, id, tag);
    }
    bool blown() const { return m_blown; }

private:
    // The context the coordinator sees: the node's own, except that sends stop at the fuse.
    class Fuse : public Context {
    public:
        Fuse(FusedCoordinator& owner, Context& inner) : m_owner(owner), m_inner(inner) {}
        SimTime now() const override { return m_inner.now(); }
        const NodeId& self() const override { return m_inner.self(); }
        std::int64_t send(const NodeId& dest, Body body) override {
            if (m_owner.m_blown) return 0;
            m_owner.count("send " + body.type + " " + dest);
            return m_inner.send(dest, std::move(body));
        }
        TimerId setTimer(SimTime delay, std::string_view tag) override {
            return m_inner.setTimer(delay, tag);
        }
        void cancelTimer(TimerId id) override { m_inner.cancelTimer(id); }
        Rng& rng() override { return m_inner.rng(); }
        DurableStore& durable() override { return m_inner.durable(); }
        void traceState(std::string_view state) override { m_inner.traceState(state); }
        void recordOp(OpPhase phase, std::int64_t opId, std::string_view f, Json value) override {
            m_inner.recordOp(phase, opId, f, std::move(value));
        }

    private:
        FusedCoordinator& m_owner;
        Context& m_inner;
    };

    void count(std::string event) {
        if (m_log) m_log->push_back(std::move(event));
        if (++m_events >= m_fuse) m_blown = true;
    }

    TwoPhaseCommitCoordinator m_inner;
    std::uint64_t m_fuse;
    std::vector<std::string>* m_log;
    std::uint64_t m_events = 0;
    bool m_blown = false;
};

// Atomicity straight from the decide ops: (txn -> decisions seen); a txn with two is a violation.
std::map<std::string, std::set<std::string>> decisionsByTxn(const World& world) {
    std::map<std::string, std::set<std::string>> out;
    for (const ClientOp& op : world.trace().clientOps()) {
        if (op.f == "decide") out[op.value.value("txn", "")].insert(op.value.value("decision", ""));
    }
    return out;
}

std::string atomicityViolation(const World& world) {
    for (const auto& [txn, decisions] : decisionsByTxn(world)) {
        if (decisions.size() > 1) return "txn " + txn + " both committed and aborted";
    }
    if (CheckResult check = checkAtomicity(world.trace()); !check.ok) return check.explanation;
    if (CheckResult check = checkValidity(world.trace()); !check.ok) return check.explanation;
    if (CheckResult check = checkIrrevocability(world.trace()); !check.ok) return check.explanation;
    return {};
}

TwoPhaseCommitParticipant* participantOf(World& world, const NodeId& id) {
    return dynamic_cast<TwoPhaseCommitParticipant*>(world.node(*world.indexOf(id)));
}

// --- the crash sweep ---

struct SweepRun {
    std::vector<std::string> events;  // the coordinator's message events up to the crash
    SimTime crashAt = -1;             // -1: the fuse never blew
    std::vector<NodeId> blocked;      // READY, holding the lock, 1.4 s after the crash
    std::string violation;
    std::vector<NodeId> undecided;  // participants with a record but no decision at the end
    std::string decision;           // the participants' common decision ("" when none decided)
};

SweepRun runSweep(std::uint64_t fuse, const std::vector<NodeId>& voteNo) {
    SweepRun run;
    World world(1);
    LinkConfig link;
    link.latencyMin = millis(5);
    link.latencyMax = millis(5);
    world.network().setDefaults(link);
    auto starts = std::make_shared<int>(0);
    std::vector<std::string>* log = &run.events;
    (void)world.addNode("c", [fuse, log, starts]() -> std::unique_ptr<Node> {
        // The first process carries the fuse; the restarted one is an ordinary coordinator.
        if ((*starts)++ == 0) return std::make_unique<FusedCoordinator>(fuse, log);
        return std::make_unique<TwoPhaseCommitCoordinator>();
    });
    for (const NodeId& id : kParticipants)
        (void)world.addNode(id, [] { return std::make_unique<TwoPhaseCommitParticipant>(); });
    (void)support::addProbe(world, "lab");
    (void)world.sendFrom("lab", "c", makeBody(TpcBegin{"t1", kParticipants, voteNo}));

    const NodeIndex c = *world.indexOf("c");
    while (world.now() < millis(1000) && world.step()) {
        auto* fused = dynamic_cast<FusedCoordinator*>(world.node(c));
        if (fused && fused->blown()) {
            run.crashAt = world.now();
            (void)world.crash("c");
            break;
        }
    }
    if (run.crashAt >= 0) {
        world.runUntil(run.crashAt + millis(1400), kEventsMax);
        for (const NodeId& p : kParticipants) {
            if (!participantOf(world, p)->locksHeld().empty()) run.blocked.push_back(p);
        }
        world.runUntil(run.crashAt + millis(1500), kEventsMax);
        (void)world.restart("c");
    }
    world.runUntil(world.now() + millis(3000), kEventsMax);
    run.violation = atomicityViolation(world);
    for (const NodeId& p : kParticipants) {
        std::optional<TpcParticipantState> state = participantOf(world, p)->stateOf("t1");
        if (state == TpcParticipantState::Init || state == TpcParticipantState::Ready)
            run.undecided.push_back(p);
    }
    const auto decisions = decisionsByTxn(world);
    if (auto it = decisions.find("t1"); it != decisions.end() && it->second.size() == 1)
        run.decision = *it->second.begin();
    return run;
}

// --- the seed sweep ---

struct SeedFigures {
    std::uint64_t commits = 0;
    std::uint64_t aborts = 0;
    std::uint64_t crashes = 0;
    std::uint64_t terminationAnswers = 0;  // tpc_state_reply messages: cooperative termination at work
    std::string violation;
    std::string unfinished;  // a transaction still open after the faults stopped
};

const std::vector<NodeId> kAllNodes = {"c", "p1", "p2", "p3"};

SeedFigures runSeed(World& world) {
    SeedFigures figures;
    Rng rng = Rng(world.seed()).fork("tpc-properties");
    LinkConfig link;
    link.latencyMin = millis(rng.uniform(1, 6));
    link.latencyMax = link.latencyMin + millis(rng.uniform(0, 31));
    link.dropRate = double(rng.uniform(0, 11)) / 100.0;
    link.duplicateRate = double(rng.uniform(0, 6)) / 100.0;
    link.reorderRate = double(rng.uniform(0, 21)) / 100.0;
    world.network().setDefaults(link);
    // Sometimes one link from the coordinator is slow: a vote request may then reach its participant
    // after a READY peer has already asked it (and been told INIT).
    std::optional<NodeId> slowTo;
    LinkConfig slow = link;
    if (rng.chance(0.3)) {
        slowTo = kParticipants[std::size_t(rng.uniform(0, std::int64_t(kParticipants.size())))];
        slow.latencyMin = millis(rng.uniform(50, 300));
        slow.latencyMax = slow.latencyMin + millis(rng.uniform(0, 200));
    }

    // Timeouts drawn too: with a vote timeout longer than the decision timeout, READY participants ask
    // their peers while the coordinator is still collecting votes.
    TwoPhaseCommitConfig config;
    config.workMs = rng.uniform(10, 101);
    config.voteTimeoutMs = rng.uniform(100, 1201);
    config.resendMs = rng.uniform(50, 401);
    config.initTimeoutMs = rng.uniform(200, 1201);
    config.decisionTimeoutMs = rng.uniform(100, 801);
    bool added =
        world.addNode("c", [config] { return std::make_unique<TwoPhaseCommitCoordinator>(config); }).ok();
    for (const NodeId& id : kParticipants)
        added =
            added &&
            world.addNode(id, [config] { return std::make_unique<TwoPhaseCommitParticipant>(config); }).ok();
    added = added && support::addProbe(world, "lab");
    if (!added) {
        figures.violation = "cannot build the cluster";
        return figures;
    }
    if (slowTo) world.network().setLink(*world.indexOf("c"), *world.indexOf(*slowTo), slow);

    // Four transactions over two or three participants, some with a participant that votes no.
    for (int i = 1; i <= 4; ++i) {
        std::vector<NodeId> participants;
        for (const NodeId& p : kParticipants) {
            if (participants.size() < 2 || rng.chance(0.7)) participants.push_back(p);
        }
        std::vector<NodeId> voteNo;
        if (rng.chance(0.2))
            voteNo.push_back(participants[std::size_t(rng.uniform(0, std::int64_t(participants.size())))]);
        const TpcBegin begin{"t" + std::to_string(i), participants, voteNo};
        world.schedule(millis(rng.uniform(0, 1500)),
                       [begin](World& w) { (void)w.sendFrom("lab", "c", makeBody(begin)); });
    }
    // Up to four crashes, each followed by a restart.
    const std::int64_t crashesMax = rng.uniform(0, 5);
    for (std::int64_t i = 0; i < crashesMax; ++i) {
        const NodeId node = kAllNodes[std::size_t(rng.uniform(0, std::int64_t(kAllNodes.size())))];
        const SimTime at = millis(rng.uniform(0, 2500));
        const SimTime down = millis(rng.uniform(20, 1500));
        world.schedule(at, [node, down, &figures](World& w) {
            if (w.status(*w.indexOf(node)) != NodeStatus::Up) return;
            (void)w.crash(node);
            ++figures.crashes;
            w.schedule(w.now() + down, [node](World& w2) {
                if (w2.status(*w2.indexOf(node)) == NodeStatus::Crashed) (void)w2.restart(node);
            });
        });
    }
    world.runUntil(millis(3000), kEventsMax);
    // The faults stop: a quiet network and every node up. Every transaction must now finish.
    LinkConfig quiet = link;
    quiet.dropRate = 0;
    world.network().setDefaults(quiet);
    if (slowTo) {
        slow.dropRate = 0;
        world.network().setLink(*world.indexOf("c"), *world.indexOf(*slowTo), slow);
    }
    world.heal();
    for (const NodeId& node : kAllNodes) {
        if (world.status(*world.indexOf(node)) == NodeStatus::Crashed) (void)world.restart(node);
    }
    world.runUntil(millis(8000), kEventsMax);

    figures.violation = atomicityViolation(world);
    for (const auto& [txn, decisions] : decisionsByTxn(world)) {
        if (decisions.contains("commit"))
            ++figures.commits;
        else
            ++figures.aborts;
    }
    auto* coordinator = dynamic_cast<TwoPhaseCommitCoordinator*>(world.node(*world.indexOf("c")));
    for (const auto& [txn, entry] : coordinator->txns()) {
        // A transaction forgotten in INIT (the coordinator crashed before logging it) stays INIT in no
        // process; any other must have ended.
        if (entry.state != TpcCoordinatorState::End && entry.state != TpcCoordinatorState::Init)
            figures.unfinished = txn + " is " + std::string(tpcCoordinatorStateName(entry.state)) + " at c";
    }
    for (const NodeId& p : kParticipants) {
        for (const auto& [txn, entry] : participantOf(world, p)->txns()) {
            if (entry.state == TpcParticipantState::Ready || entry.state == TpcParticipantState::Init)
                figures.unfinished =
                    txn + " is " + std::string(tpcParticipantStateName(entry.state)) + " at " + p;
        }
    }
    const Trace& trace = world.trace();
    for (std::size_t i = 0; i < trace.messageCount(); ++i) {
        if (trace.message(i).envelope.body.type == TpcStateReply::kType) ++figures.terminationAnswers;
    }
    return figures;
}

std::string traceOf(std::uint64_t seed) {
    World world(seed);
    (void)runSeed(world);
    std::ostringstream out;
    world.trace().writeJsonLines(out);
    return out.str();
}

}  // namespace

class TestTwoPhaseCommitProperties : public QObject {
    Q_OBJECT

private slots:
    void coordinatorCrashSweep_data() {
        QTest::addColumn<bool>("p2VotesNo");
        QTest::newRow("2pc: all vote yes (N=3)") << false;
        QTest::newRow("2pc: p2 votes no (N=3)") << true;
    }
    void coordinatorCrashSweep() {
        QFETCH(bool, p2VotesNo);
        const std::vector<NodeId> voteNo = p2VotesNo ? std::vector<NodeId>{"p2"} : std::vector<NodeId>{};
        const SweepRun clean = runSweep(std::uint64_t(-1), voteNo);
        QCOMPARE(clean.crashAt, SimTime(-1));
        QCOMPARE(clean.decision, std::string(p2VotesNo ? "abort" : "commit"));
        // deliver begin; send begin_ok; 3 x send begin; 3 x send prepare; 3 x deliver vote (p2's no
        // decides at once, p3's yes arrives after it); 3 x send decision; 3 x deliver ack.
        QCOMPARE(clean.events.size(), std::size_t(17));
        std::size_t blockedRuns = 0;
        for (std::uint64_t k = 1; k <= clean.events.size(); ++k) {
            const SweepRun run = runSweep(k, voteNo);
            const std::string where =
                "crash after event " + std::to_string(k) + " (" + clean.events[k - 1] + ")";
            QVERIFY2(run.crashAt >= 0, where.c_str());
            QVERIFY2(run.violation.empty(), (where + ": " + run.violation).c_str());
            // The same run up to the crash as the clean one: determinism.
            QVERIFY2(std::equal(run.events.begin(), run.events.end(), clean.events.begin()), where.c_str());
            std::size_t prepares = 0, decisions = 0;
            for (std::size_t i = 0; i < k; ++i) {
                prepares += clean.events[i].starts_with("send tpc_prepare");
                decisions += clean.events[i].starts_with("send tpc_decision");
            }
            const bool allYes = !p2VotesNo && prepares == kParticipants.size();
            const bool expectBlocked = allYes && decisions == 0;
            QVERIFY2(run.blocked == (expectBlocked ? kParticipants : std::vector<NodeId>{}),
                     (where + ": " + std::to_string(run.blocked.size()) + " participants blocked").c_str());
            blockedRuns += expectBlocked;
            // After the restart everyone who took part knows the outcome.
            const std::string undecided = run.undecided.empty() ? std::string() : run.undecided.front();
            QVERIFY2(run.undecided.empty(), (where + ": " + undecided + " undecided").c_str());
            qInfo("%s -> %s%s", where.c_str(),
                  run.decision.empty() ? "nothing started" : run.decision.c_str(),
                  expectBlocked ? ", participants blocked until the restart" : "");
        }
        // Blocked: after the last vote request left (k = 8) and after each of the three vote deliveries
        // (k = 9..11, the last one lost with the process before it could decide).
        QCOMPARE(blockedRuns, std::size_t(p2VotesNo ? 0 : 4));
    }

    void neverViolatesAtomicityOverSeeds() {
        SeedFigures total;
        std::uint64_t seedsWithCrashes = 0;
        for (std::uint64_t seed = 1; seed <= kSeedsMax; ++seed) {
            World world(seed);
            const SeedFigures figures = runSeed(world);
            if (!figures.violation.empty() || !figures.unfinished.empty()) {
                std::ostringstream first;
                world.trace().writeJsonLines(first);
                const bool reproduces = traceOf(seed) == first.str();
                const std::string message =
                    "seed " + std::to_string(seed) + ": " +
                    (figures.violation.empty() ? figures.unfinished : figures.violation) +
                    (reproduces ? " (reproduces: same trace)" : " (does NOT reproduce)");
                QFAIL(message.c_str());
            }
            total.commits += figures.commits;
            total.aborts += figures.aborts;
            total.crashes += figures.crashes;
            total.terminationAnswers += figures.terminationAnswers;
            seedsWithCrashes += figures.crashes > 0;
        }
        qInfo(
            "%llu seeds: %llu transactions committed, %llu aborted, %llu crashes in %llu seeds, %llu peer "
            "answers "
            "in cooperative termination",
            static_cast<unsigned long long>(kSeedsMax), static_cast<unsigned long long>(total.commits),
            static_cast<unsigned long long>(total.aborts), static_cast<unsigned long long>(total.crashes),
            static_cast<unsigned long long>(seedsWithCrashes),
            static_cast<unsigned long long>(total.terminationAnswers));
        // A property that holds because nothing happened would prove nothing.
        QVERIFY(total.commits > 1000);
        QVERIFY(total.aborts > 500);
        QVERIFY(total.terminationAnswers > 0);
    }

    void aSeedReproducesItsTrace() {
        const std::string first = traceOf(42);
        QVERIFY(!first.empty());
        QCOMPARE(traceOf(42), first);
        QVERIFY(traceOf(43) != first);
    }
};

QTEST_GUILESS_MAIN(TestTwoPhaseCommitProperties)
#include "tst_two_phase_commit_properties.moc"
