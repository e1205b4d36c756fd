// The deterministic kernel, story by story: ordering, timers, crashes, the network's faults, pauses and
// reproducibility.
#include <QTest>

#include <sstream>

#include "core/sim/world.h"

using namespace distlab;

namespace {

struct Note {
    static constexpr std::string_view kType = "note";
    int n = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Note, n)
};

// A node that records what it sees and can be told to send or to set timers by the test.
class Recorder : public Node {
public:
    explicit Recorder(std::vector<std::string>* log) : m_log(log) {}
    void onStart(Context& ctx) override {
        m_log->push_back(ctx.self() + " start");
        // Durable state survives crashes: count starts there.
        int starts = std::stoi(ctx.store().get("starts").value_or("0"));
        ctx.store().put("starts", std::to_string(starts + 1));
    }
    void onMessage(Context& ctx, const Envelope& m) override {
        received.push_back(bodyAs<Note>(m.body).value().n);
        m_log->push_back(ctx.self() + " got " + std::to_string(received.back()) + " from " + m.src);
    }
    void onTimer(Context& ctx, TimerId, const std::string& tag) override {
        m_log->push_back(ctx.self() + " timer " + tag + " at " + std::to_string(ctx.now()));
    }
    std::vector<int> received;  // volatile state

private:
    std::vector<std::string>* m_log;
};

// Sets timers and sends on request through World::schedule actions, using its own context.
class Driver : public Node {
public:
    void onStart(Context& ctx) override { m_ctx = &ctx; }
    void onMessage(Context&, const Envelope&) override {}
    void onTimer(Context&, TimerId, const std::string& tag) override { fired.push_back(tag); }
    Context* m_ctx = nullptr;
    std::vector<std::string> fired;
};

// A copyable node for checkpoints: pings a peer on a random timer, counts what it gets back and records
// each ping as a client op.
class Pinger : public CopyableNode<Pinger> {
public:
    explicit Pinger(std::string peer) : m_peer(std::move(peer)) {}
    void onStart(Context& ctx) override { ctx.setTimer(ctx.rng().uniform(1, 5000), "ping"); }
    void onMessage(Context& ctx, const Envelope& m) override {
        received += bodyAs<Note>(m.body).value().n;
        ctx.traceState("got " + std::to_string(received));
    }
    void onTimer(Context& ctx, TimerId, const std::string&) override {
        ++sent;
        ctx.recordOp(OpPhase::Invoke, sent, "ping", Json{{"n", sent}});
        ctx.send(m_peer, makeBody(Note{int(sent)}));
        ctx.setTimer(ctx.rng().uniform(1, 5000), "ping");
    }
    std::int64_t sent = 0;
    std::int64_t received = 0;

private:
    std::string m_peer;
};

// Handles nothing: every message ends in Context::replyNotSupported.
class Refuser : public CopyableNode<Refuser> {
public:
    void onStart(Context&) override {}
    void onMessage(Context& ctx, const Envelope& m) override { ctx.replyNotSupported(m, "a refuser"); }
    void onTimer(Context&, TimerId, const std::string&) override {}
};

// Loses, duplicates and reorders some messages, so a run exercises every path of the network.
void makeLossy(World& w) {
    LinkConfig link;
    link.dropRate = 0.1;
    link.duplicateRate = 0.1;
    link.reorderRate = 0.2;
    w.network().setDefaults(link);
}

void addPingers(World& w) {
    makeLossy(w);
    for (const char* id : {"a", "b", "c"})
        QVERIFY(w.addNode(id, [peer = std::string(id) == "a" ? "b" : "a"] { return std::make_unique<Pinger>(peer); }).ok());
}

Recorder* recorder(World& w, const std::string& id) { return static_cast<Recorder*>(w.node(*w.indexOf(id))); }
Driver* driver(World& w, const std::string& id) { return static_cast<Driver*>(w.node(*w.indexOf(id))); }

std::string traceText(const World& w) {
    std::ostringstream out;
    w.trace().writeJsonLines(out);
    return out.str();
}

}  // namespace

class TestWorld : public QObject {
    Q_OBJECT
private slots:
    void simultaneousEventsKeepFifoOrder() {
        World w(1);
        std::vector<int> order;
        for (int i = 0; i < 50; ++i) w.schedule(millis(10), [&order, i](World&) { order.push_back(i); });
        w.runUntil(millis(100), 1000);
        QCOMPARE(int(order.size()), 50);
        for (int i = 0; i < 50; ++i) QCOMPARE(order[i], i);

        // Timers due at the same instant fire in the order they were set.
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        Driver* d = driver(w, "d");
        for (const char* tag : {"a", "b", "c", "d"}) d->m_ctx->setTimer(millis(5), tag);
        w.runUntil(w.now() + millis(10), 1000);
        QCOMPARE(d->fired, (std::vector<std::string>{"a", "b", "c", "d"}));
    }

    void cancelledTimersNeverFire() {
        World w(2);
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        Driver* d = driver(w, "d");
        TimerId keep = d->m_ctx->setTimer(millis(5), "keep");
        TimerId drop = d->m_ctx->setTimer(millis(5), "drop");
        TimerId later = d->m_ctx->setTimer(millis(50), "later");
        d->m_ctx->cancelTimer(drop);
        d->m_ctx->cancelTimer(later);
        d->m_ctx->cancelTimer(later);  // twice is harmless
        QVERIFY(keep != drop);
        w.runUntil(millis(100), 1000);
        QCOMPARE(d->fired, std::vector<std::string>{"keep"});
        int cancels = 0;
        for (const auto& e : w.trace().events()) cancels += e.kind == TraceKind::TimerCancel;
        QCOMPARE(cancels, 2);
    }

    void crashLosesVolatileStateAndTimersRestartKeepsDurable() {
        std::vector<std::string> log;
        World w(3);
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        QVERIFY(w.sendFrom("d", "a", makeBody(Note{1})).ok());
        w.runUntil(millis(50), 1000);
        QCOMPARE(recorder(w, "a")->received, std::vector<int>{1});

        const auto a = *w.indexOf("a");
        QVERIFY(w.crash("a").ok());
        QCOMPARE(w.status(a), NodeStatus::Crashed);
        QVERIFY(w.node(a) == nullptr);
        QVERIFY(!w.crash("a").ok());  // killing a dead node is an error
        QVERIFY(w.restart("a").ok());
        QCOMPARE(w.status(a), NodeStatus::Up);
        QVERIFY(recorder(w, "a")->received.empty());       // volatile state is gone
        QCOMPARE(*Disk(w.store(a)).get("starts"), std::string("2"));  // durable state is kept
        QVERIFY(!w.restart("a").ok());  // restarting a running node is an error
    }

    void aStaleTimerIdNeverCancelsANewerTimer() {
        World w(14);
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        Driver* d = driver(w, "d");
        const TimerId first = d->m_ctx->setTimer(millis(1), "first");
        w.runUntil(millis(5), 100);  // fires; its slot is free again
        const TimerId second = d->m_ctx->setTimer(millis(1), "second");
        QVERIFY(first != second);
        d->m_ctx->cancelTimer(first);  // stale: must not touch "second", which may reuse the slot
        w.runUntil(millis(10), 100);
        QCOMPARE(d->fired, (std::vector<std::string>{"first", "second"}));
    }

    void theTraceStopsAtItsLimitAndTheRunGoesOn() {
        WorldLimits limits;
        limits.traceEventsMax = 50;
        World w(15, limits);
        std::vector<std::string> log;
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        for (int i = 0; i < 100; ++i) QVERIFY(w.sendFrom("d", "a", makeBody(Note{i})).ok());
        w.runUntil(millis(100), 10000);
        QCOMPARE(int(recorder(w, "a")->received.size()), 100);  // every message still arrives
        QVERIFY(w.trace().truncated());
        QCOMPARE(w.trace().size(), std::size_t(50));
        const TraceEvent& last = w.trace().events().back();
        QCOMPARE(last.kind, TraceKind::Note);
        QVERIFY(QString::fromStdString(w.trace().name(last.text)).contains("trace limit"));
        w.heal();
        w.note("after the limit");
        QCOMPARE(w.trace().size(), std::size_t(50));
    }

    void theTraceAlsoStopsWhenMessagesAddUp() {
        WorldLimits limits;
        limits.traceMessageBytesMax = 4000;  // about 50 small messages
        World w(16, limits);
        std::vector<std::string> log;
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        for (int i = 0; i < 200; ++i) QVERIFY(w.sendFrom("d", "a", makeBody(Note{i})).ok());
        w.runUntil(millis(100), 10000);
        QCOMPARE(int(recorder(w, "a")->received.size()), 200);
        QVERIFY(w.trace().truncated());
        QVERIFY(w.trace().messageCount() < 100);
    }

    void aRemovedNodeForgetsItsPause() {
        std::vector<std::string> log;
        World w(17);
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.pause("a", millis(600000)).ok());
        QVERIFY(w.remove("a").ok());
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.pause("a", millis(1)).ok());
        QCOMPARE(w.pausedUntil(*w.indexOf("a")), w.now() + millis(1));
    }

    void timersDieWithTheirProcess() {
        World w(4);
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        driver(w, "d")->m_ctx->setTimer(millis(20), "before-crash");
        QVERIFY(w.crash("d").ok());
        QVERIFY(w.restart("d").ok());
        driver(w, "d")->m_ctx->setTimer(millis(30), "after-restart");
        w.runUntil(millis(100), 1000);
        QCOMPARE(driver(w, "d")->fired, std::vector<std::string>{"after-restart"});
    }

    void messagesToADownNodeAreDropped() {
        std::vector<std::string> log;
        World w(5);
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        QVERIFY(w.sendFrom("d", "a", makeBody(Note{1})).ok());
        QVERIFY(w.crash("a").ok());
        w.runUntil(millis(50), 1000);
        QCOMPARE(w.messageStats().dropped, 1u);
        QCOMPARE(w.messageStats().delivered, 0u);
        QVERIFY(!w.sendFrom("a", "d", makeBody(Note{2})).ok());  // a crashed node cannot send
    }

    void dropRateDropsThatFraction() {
        const std::uint64_t seed = 6;
        World w(seed);
        std::vector<std::string> log;
        LinkConfig link;
        link.dropRate = 0.2;
        w.network().setDefaults(link);
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        const int n = 10000;
        for (int i = 0; i < n; ++i) QVERIFY(w.sendFrom("d", "a", makeBody(Note{i})).ok());
        w.runUntil(millis(1000), 100000);
        const double dropped = double(w.messageStats().dropped) / n;
        QVERIFY2(std::abs(dropped - 0.2) <= 0.02, qPrintable(QStringLiteral("seed %1: dropped %2").arg(seed).arg(dropped)));
        QCOMPARE(w.messageStats().dropped + w.messageStats().delivered, std::uint64_t(n));
        // Without reordering, a link delivers in send order.
        const auto& got = recorder(w, "a")->received;
        QVERIFY(std::is_sorted(got.begin(), got.end()));
    }

    void reorderingLetsOnlySomeMessagesFallBehind() {
        const std::uint64_t seed = 12;
        std::vector<std::string> log;
        World w(seed);
        LinkConfig link;
        link.reorderRate = 0.1;
        w.network().setDefaults(link);
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        const int n = 2000;
        for (int i = 0; i < n; ++i) {
            QVERIFY(w.sendFrom("d", "a", makeBody(Note{i})).ok());
            w.runUntil(w.now() + millis(1), 100);
        }
        w.runUntil(w.now() + millis(100), 100000);
        const auto& got = recorder(w, "a")->received;
        QCOMPARE(int(got.size()), n);
        // A message arrives "late" if some message sent after it arrived before it.
        int late = 0;
        int highest = -1;
        for (int v : got) {
            if (v < highest) ++late;
            highest = std::max(highest, v);
        }
        QVERIFY2(late > 0 && late < n / 5,
                 qPrintable(QStringLiteral("seed %1: %2 of %3 messages arrived late").arg(seed).arg(late).arg(n)));
    }

    void aRemovedNameCanJoinAgainWithAnEmptyDisk() {
        std::vector<std::string> log;
        World w(13);
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.remove("a").ok());
        QVERIFY(w.sendFrom("a", "a", makeBody(Note{1})).ok() == false);
        auto again = w.addNode("a", [&] { return std::make_unique<Recorder>(&log); });
        QVERIFY(again.ok());
        QCOMPARE(w.status(again.value()), NodeStatus::Up);
        QCOMPARE(*Disk(w.store(again.value())).get("starts"), std::string("1"));  // a new disk
    }

    void partitionBlocksExactlyTheCutLinks() {
        std::vector<std::string> log;
        World w(7);
        const std::vector<std::string> ids{"a", "b", "c", "d", "e"};
        for (const auto& id : ids) QVERIFY(w.addNode(id, [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.partition({{"a", "b"}, {"c", "d", "e"}}).ok());
        auto sameSide = [](const std::string& x, const std::string& y) { return (x < "c") == (y < "c"); };
        int n = 0;
        for (const auto& from : ids)
            for (const auto& to : ids)
                if (from != to) QVERIFY(w.sendFrom(from, to, makeBody(Note{n++})).ok());
        w.runUntil(millis(100), 10000);
        for (const auto& to : ids) {
            const std::size_t expected = sameSide(to, "a") ? 1 : 2;  // peers on its own side
            QCOMPARE(recorder(w, to)->received.size(), expected);
        }
        QCOMPARE(w.messageStats().dropped, std::uint64_t(2 * 2 * 3));

        // A one-way cut blocks only its direction.
        w.heal();
        QVERIFY(w.cut("a", "b").ok());
        QVERIFY(w.sendFrom("a", "b", makeBody(Note{100})).ok());
        QVERIFY(w.sendFrom("b", "a", makeBody(Note{101})).ok());
        w.runUntil(millis(200), 10000);
        QCOMPARE(recorder(w, "a")->received.back(), 101);
        QVERIFY(recorder(w, "b")->received.back() != 100);

        // Heal restores every link.
        w.heal();
        QVERIFY(w.sendFrom("a", "b", makeBody(Note{102})).ok());
        QVERIFY(w.sendFrom("a", "e", makeBody(Note{103})).ok());
        w.runUntil(millis(300), 10000);
        QCOMPARE(recorder(w, "b")->received.back(), 102);
        QCOMPARE(recorder(w, "e")->received.back(), 103);
        QVERIFY(!w.partition({{"a"}, {"zz"}}).ok());  // unknown node
        QVERIFY(!w.cut("a", "a").ok());
    }

    void aPartitionStartingMidFlightDropsAtDelivery() {
        std::vector<std::string> log;
        World w(8);
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.addNode("b", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.sendFrom("a", "b", makeBody(Note{1})).ok());
        QVERIFY(w.partition({{"a"}, {"b"}}).ok());
        w.runUntil(millis(100), 100);
        QVERIFY(recorder(w, "b")->received.empty());
    }

    void pauseDefersMessagesAndTimers() {
        std::vector<std::string> log;
        World w(9);
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        QVERIFY(w.pause("a", millis(500)).ok());
        QCOMPARE(w.status(*w.indexOf("a")), NodeStatus::Paused);
        QVERIFY(w.sendFrom("d", "a", makeBody(Note{1})).ok());
        w.runUntil(millis(400), 1000);
        QVERIFY(recorder(w, "a")->received.empty());
        w.runUntil(millis(600), 1000);
        QCOMPARE(recorder(w, "a")->received, std::vector<int>{1});
        QCOMPARE(w.status(*w.indexOf("a")), NodeStatus::Up);
        // The delivery happened exactly when the pause ended.
        for (const auto& e : w.trace().events())
            if (e.kind == TraceKind::Deliver) QCOMPARE(e.time, millis(500));
    }

    void runsAreBoundedByExplicitLimits() {
        World w(10);
        for (int i = 0; i < 100; ++i) w.schedule(millis(i), [](World&) {});
        RunStats stats = w.runUntil(millis(1000), 10);
        QCOMPARE(stats.events, 10u);
        QVERIFY(stats.limitHit);
        stats = w.runEvents(5);
        QCOMPARE(stats.events, 5u);
        stats = w.runUntil(millis(1000), 1000);
        QCOMPARE(stats.events, 85u);
        QVERIFY(!stats.limitHit);
        QCOMPARE(w.now(), millis(1000));
        QVERIFY(!w.step());
    }

    // Checkpoints: restoring one puts the run back exactly, the trace included; what followed stays as the
    // retained future, so a later checkpoint can be restored too, until the run takes another course.
    void checkpointsRestoreTheRunBackAndForth() {
        World w(21);
        addPingers(w);
        w.runEvents(100);
        const auto early = w.checkpoint();
        QVERIFY(early != nullptr);
        QVERIFY(w.crash("c").ok());  // a crashed node is restored crashed, and restarts from its disk
        w.runEvents(200);
        const auto late = w.checkpoint();
        QVERIFY(w.restart("c").ok());
        w.runEvents(300);
        const std::string whole = traceText(w);
        const std::size_t events = w.trace().size();
        const std::size_t ops = w.trace().clientOps().size();
        const std::size_t messages = w.trace().messageCount();

        w.restore(*early);
        QCOMPARE(w.eventsProcessed(), std::uint64_t(100));
        QVERIFY(w.trace().size() < events);
        QCOMPARE(w.trace().retainedEvents(), events);
        QCOMPARE(w.status(*w.indexOf("c")), NodeStatus::Up);
        QVERIFY(w.trace().clientOps().size() < ops);
        QVERIFY(w.canRestore(*late));  // ahead, in the retained future
        w.restore(*late);
        QCOMPARE(w.eventsProcessed(), std::uint64_t(300));
        QCOMPARE(w.status(*w.indexOf("c")), NodeStatus::Crashed);
        QVERIFY(w.restart("c").ok());
        w.runEvents(300);
        QCOMPARE(w.trace().size(), events);
        QCOMPARE(w.trace().clientOps().size(), ops);
        QCOMPARE(w.trace().messageCount(), messages);
        QVERIFY(traceText(w) == whole);
        QCOMPARE(w.restores(), std::uint64_t(2));

        // Another course from the early checkpoint: the old future cannot be restored any more.
        w.restore(*early);
        w.trace().dropFuture();
        QCOMPARE(w.trace().retainedEvents(), w.trace().size());
        QVERIFY(!w.canRestore(*late));
        QVERIFY(w.canRestore(*early));
        QVERIFY(w.crash("a").ok());
        w.runEvents(200);
        QVERIFY(traceText(w) != whole.substr(0, traceText(w).size()));
    }

    // An unknown request gets a not-supported error; an error or a reply never gets one, or two nodes
    // could bounce errors forever.
    void unknownRequestsGetOneErrorAndErrorsNone() {
        World w(24);
        for (const char* id : {"a", "b"}) QVERIFY(w.addNode(id, [] { return std::make_unique<Refuser>(); }).ok());
        const auto sends = [&w] {
            int n = 0;
            for (const auto& e : w.trace().events()) n += e.kind == TraceKind::Send;
            return n;
        };
        QVERIFY(w.sendFrom("a", "b", Body{"what", 0, {}, Json::object()}).ok());
        w.runUntil(millis(100), 1000);
        QCOMPARE(sends(), 2);  // the request and b's error; a does not answer the error
        const MessageRecord& error = w.trace().message(1);
        QCOMPARE(error.envelope.body.type, std::string(ErrorMsg::kType));
        QCOMPARE(error.envelope.body.fields.at("code").get<int>(), int(ErrorCode::NotSupported));
        QCOMPARE(error.envelope.body.fields.at("text").get<std::string>(), std::string("a refuser does not handle \"what\""));
        QVERIFY(w.sendFrom("a", "b", makeBody(makeErrorMsg(ErrorCode::Crash, "unasked"))).ok());
        QVERIFY(w.sendFrom("a", "b", Body{"what", 0, std::int64_t(7), Json::object()}).ok());  // a reply
        w.runUntil(millis(200), 1000);
        QCOMPARE(sends(), 4);
    }

    void aNodeThatCannotBeCopiedMeansNoCheckpoint() {
        std::vector<std::string> log;
        World w(22);
        addPingers(w);
        QVERIFY(w.checkpoint() != nullptr);
        QVERIFY(w.addNode("r", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.checkpoint() == nullptr);
        QVERIFY(w.crash("r").ok());  // no process, nothing to copy
        QVERIFY(w.checkpoint() != nullptr);
    }

    // The trace's limit is part of what a checkpoint restores: the replayed run stops recording at the
    // same event.
    void aRestoredTraceStopsAtTheSameLimit() {
        WorldLimits limits;
        limits.traceEventsMax = 300;
        World w(23, limits);
        addPingers(w);
        w.runEvents(40);
        QVERIFY(!w.trace().truncated());
        const auto before = w.checkpoint();
        w.runEvents(400);
        QVERIFY(w.trace().truncated());
        const std::string whole = traceText(w);
        w.restore(*before);
        QVERIFY(!w.trace().truncated());
        w.runEvents(400);
        QVERIFY(w.trace().truncated());
        QVERIFY(traceText(w) == whole);
    }

    void sameSeedSameTraceDifferentSeedDifferentTrace() {
        auto run = [](std::uint64_t seed) {
            std::vector<std::string> log;
            World w(seed);
            makeLossy(w);
            for (const char* id : {"a", "b", "c"})
                (void)w.addNode(id, [&] { return std::make_unique<Recorder>(&log); });
            for (int i = 0; i < 200; ++i) (void)w.sendFrom(i % 2 ? "a" : "b", i % 3 ? "c" : "a", makeBody(Note{i}));
            w.runUntil(millis(500), 100000);
            return traceText(w);
        };
        for (std::uint64_t seed = 1; seed <= 5; ++seed) {
            const std::string first = run(seed);
            QVERIFY2(first == run(seed), qPrintable(QStringLiteral("seed %1 is not reproducible").arg(seed)));
            QVERIFY2(first != run(seed + 100), qPrintable(QStringLiteral("seeds %1 and %2 agree").arg(seed).arg(seed + 100)));
        }
    }

    void traceRecordsEveryKindOfEvent() {
        std::vector<std::string> log;
        World w(11);
        QVERIFY(w.addNode("a", [&] { return std::make_unique<Recorder>(&log); }).ok());
        QVERIFY(w.addNode("d", [] { return std::make_unique<Driver>(); }).ok());
        driver(w, "d")->m_ctx->setTimer(millis(1), "t");
        driver(w, "d")->m_ctx->traceState("READY");
        driver(w, "d")->m_ctx->recordOp(OpPhase::Invoke, 1, "put", Json{{"key", "k"}});
        QVERIFY(w.sendFrom("d", "a", makeBody(Note{1})).ok());
        QVERIFY(w.pause("a", millis(5)).ok());
        w.runUntil(millis(50), 100);
        QVERIFY(w.crash("a").ok());
        QVERIFY(w.restart("a").ok());
        QVERIFY(w.partition({{"a"}, {"d"}}).ok());
        w.heal();
        std::set<std::string> kinds;
        for (const auto& e : w.trace().events()) kinds.insert(std::string(traceKindName(e.kind)));
        for (const char* k : {"node_add", "send", "deliver", "timer_set", "timer_fire", "crash", "restart", "pause",
                              "resume", "partition", "heal", "state", "client"})
            QVERIFY2(kinds.count(k), k);
        const std::string text = traceText(w);
        QVERIFY(text.rfind(R"({"kind":"run","seed":11})", 0) == 0);  // the seed comes first
        QVERIFY(text.find(R"("op":{"f":"put","id":1,"phase":"invoke")") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestWorld)
#include "tst_world.moc"
