// The space-time diagram's data, read from a hand-run world: a coordinator and two participants go
// through a two-phase commit while the coordinator crashes, a participant pauses, the network splits and
// duplicates, and a client's operations succeed, time out and stay open.
#include <QTest>

#include "core/scenario/timeline.h"
#include "core/sim/world.h"

using namespace distlab;

namespace {

// Does what the test tells it to through its context; on "prepare" it votes READY, on "commit" commits.
class Actor : public Node {
public:
    void onStart(Context& ctx) override { m_ctx = &ctx; }
    void onMessage(Context& ctx, const Envelope& m) override {
        if (m.body.type == "prepare") {
            ctx.traceState("txn t1 READY");
            Body vote;
            vote.type = "vote";
            ctx.reply(m, vote);
        } else if (m.body.type == "commit") {
            ctx.traceState("txn t1 COMMIT");
        }
    }
    void onTimer(Context&, TimerId, const std::string&) override {}
    Context* m_ctx = nullptr;
};

Context& ctxOf(World& w, const std::string& id) { return *static_cast<Actor*>(w.node(*w.indexOf(id)))->m_ctx; }

Body body(const std::string& type) {
    Body b;
    b.type = type;
    return b;
}

// The story, in simulated milliseconds. Every link takes exactly 10 ms.
void runStory(World& w, const std::function<void()>& afterEachEvent = {}) {
    w.network().setDefaults(LinkConfig{millis(10), millis(10), 0.0, 0.0, 0.0});
    for (const char* id : {"co", "p1", "p2", "c1"}) (void)w.addNode(id, [] { return std::make_unique<Actor>(); });
    w.schedule(0, [](World& w) { ctxOf(w, "co").traceState("txn t1 INIT"); });
    w.schedule(millis(10), [](World& w) {
        ctxOf(w, "co").traceState("txn t1 WAIT");
        (void)w.sendFrom("co", "p1", body("prepare"));
        (void)w.sendFrom("co", "p2", body("prepare"));
    });
    w.schedule(millis(50), [](World& w) { ctxOf(w, "c1").recordOp(OpPhase::Invoke, 1, "put", Json::object()); });
    w.schedule(millis(100), [](World& w) { (void)w.crash("co"); });
    w.schedule(millis(120), [](World& w) { ctxOf(w, "c1").recordOp(OpPhase::Ok, 1, "put", Json::object()); });
    w.schedule(millis(130), [](World& w) { ctxOf(w, "c1").recordOp(OpPhase::Invoke, 2, "get", Json::object()); });
    w.schedule(millis(150), [](World& w) { (void)w.sendFrom("p2", "co", body("status")); });  // co is down at 160
    w.schedule(millis(200), [](World& w) { (void)w.restart("co"); });
    w.schedule(millis(300), [](World& w) { (void)w.pause("p2", millis(50)); });
    w.schedule(millis(400), [](World& w) {
        (void)w.partition({{"co"}, {"p1", "p2"}});
        (void)w.sendFrom("co", "p1", body("decide"));  // dropped at once
    });
    w.schedule(millis(500), [](World& w) { w.heal(); });
    w.schedule(millis(600), [](World& w) { (void)w.cut("p1", "co"); });
    w.schedule(millis(700), [](World& w) { w.heal(); });
    w.schedule(millis(800), [](World& w) {
        w.network().setLink(*w.indexOf("co"), *w.indexOf("p2"), LinkConfig{millis(10), millis(10), 0.0, 1.0, 0.0});
        (void)w.sendFrom("co", "p2", body("commit"));
    });
    w.schedule(millis(900), [](World& w) { ctxOf(w, "c1").recordOp(OpPhase::Unknown, 2, "get", Json::object()); });
    w.schedule(millis(950), [](World& w) { ctxOf(w, "c1").recordOp(OpPhase::Invoke, 3, "put", Json::object()); });
    if (!afterEachEvent) {
        w.runUntil(millis(1000), 100000);
        return;
    }
    while (w.nextEventTime() && *w.nextEventTime() <= millis(1000)) {
        w.step();
        afterEachEvent();
    }
}

std::vector<const TimelineBand*> bandsOf(const TimelineData& d, std::uint32_t lane) {
    std::vector<const TimelineBand*> out;
    for (const auto& b : d.bands)
        if (b.lane == lane) out.push_back(&b);
    return out;
}

}  // namespace

class TestTimeline : public QObject {
    Q_OBJECT
private slots:
    void lanesFollowTheWorldsNodeOrder() {
        World w(1);
        runStory(w);
        auto d = TimelineBuilder::build(w.trace());
        QCOMPARE(d->lanes.size(), std::size_t(4));
        QCOMPARE(QString::fromStdString(d->lanes[0].name), QStringLiteral("co"));
        QCOMPARE(QString::fromStdString(d->lanes[3].name), QStringLiteral("c1"));
        QCOMPARE(d->laneIndex.size(), d->lanes.size());
    }

    void bandsSpanFromStateToStateAndACrashClosesThem() {
        World w(1);
        runStory(w);
        auto d = TimelineBuilder::build(w.trace());
        // co: INIT 0..10, WAIT 10..100 (its crash ends it), and nothing after the restart.
        auto co = bandsOf(*d, 0);
        QCOMPARE(co.size(), std::size_t(2));
        QCOMPARE(co[0]->phase, TxnPhase::Init);
        QCOMPARE(co[0]->start, SimTime(0));
        QCOMPARE(co[0]->end, millis(10));
        QCOMPARE(co[1]->phase, TxnPhase::Wait);
        QCOMPARE(co[1]->end, millis(100));
        QCOMPARE(QString::fromStdString(d->text(co[1]->txn)), QStringLiteral("t1"));
        QVERIFY(co[1]->endIndex != kTimelineOpenIndex);
        // p1 is READY from the prepare's delivery on, still open: it is blocked.
        auto p1 = bandsOf(*d, 1);
        QCOMPARE(p1.size(), std::size_t(1));
        QCOMPARE(p1[0]->phase, TxnPhase::Ready);
        QCOMPARE(p1[0]->start, millis(20));
        QVERIFY(p1[0]->open());
        // p2 is READY until the commit arrives at 810 ms, then COMMIT (the duplicate says it again).
        auto p2 = bandsOf(*d, 2);
        QCOMPARE(p2.size(), std::size_t(2));
        QCOMPARE(p2[0]->end, millis(810));
        QCOMPARE(p2[1]->phase, TxnPhase::Commit);
        QVERIFY(p2[1]->open());
        QCOMPARE(d->lanes[0].bandSlots, std::uint8_t(1));
    }

    void messagesAreDeliveredDroppedOrDuplicated() {
        World w(1);
        runStory(w);
        auto d = TimelineBuilder::build(w.trace());
        auto find = [&](const std::string& type) {
            std::vector<const TimelineMessage*> out;
            for (const auto& m : d->messages)
                if (d->text(m.type) == type) out.push_back(&m);
            return out;
        };
        auto prepares = find("prepare");
        QCOMPARE(prepares.size(), std::size_t(2));
        QCOMPARE(prepares[0]->fate, MessageFate::Delivered);
        QCOMPARE(prepares[0]->from, 0u);
        QCOMPARE(prepares[0]->to, 1u);
        QCOMPARE(prepares[0]->sent, millis(10));
        QCOMPARE(prepares[0]->end, millis(20));
        QVERIFY(prepares[0]->endIndex > prepares[0]->sendIndex);
        // The votes reach co before its crash.
        for (const auto* vote : find("vote")) {
            QCOMPARE(vote->fate, MessageFate::Delivered);
            QCOMPARE(vote->end, millis(30));
        }
        auto status = find("status");
        QCOMPARE(status.size(), std::size_t(1));
        QCOMPARE(status[0]->fate, MessageFate::Dropped);
        QCOMPARE(status[0]->end, millis(160));
        auto decide = find("decide");
        QCOMPARE(decide.size(), std::size_t(1));
        QCOMPARE(decide[0]->fate, MessageFate::Dropped);
        QCOMPARE(decide[0]->end, millis(400));  // the partition drops it on the spot
        auto commits = find("commit");
        QCOMPARE(commits.size(), std::size_t(2));
        QVERIFY(!commits[0]->duplicate);
        QVERIFY(commits[1]->duplicate);
        QCOMPARE(commits[0]->seq, commits[1]->seq);
        QCOMPARE(commits[1]->fate, MessageFate::Delivered);
    }

    void markersAndPartitions() {
        World w(1);
        runStory(w);
        auto d = TimelineBuilder::build(w.trace());
        QCOMPARE(d->markers.size(), std::size_t(4));
        QCOMPARE(d->markers[0].kind, TimelineMarkerKind::Crash);
        QCOMPARE(d->markers[0].time, millis(100));
        QCOMPARE(d->markers[1].kind, TimelineMarkerKind::Restart);
        QCOMPARE(d->markers[1].time, millis(200));
        QCOMPARE(d->markers[2].kind, TimelineMarkerKind::Pause);
        QCOMPARE(d->markers[2].lane, 2u);
        QCOMPARE(d->markers[2].end, millis(350));
        QVERIFY(d->markers[2].endIndex != kTimelineOpenIndex);
        QCOMPARE(d->markers[3].kind, TimelineMarkerKind::Resume);

        QCOMPARE(d->partitions.size(), std::size_t(2));
        const TimelinePartition& split = d->partitions[0];
        QVERIFY(!split.oneWay);
        QCOMPARE(split.start, millis(400));
        QCOMPARE(split.end, millis(500));
        QCOMPARE(split.groups.size(), std::size_t(2));
        QCOMPARE(split.groups[0], std::vector<std::uint32_t>({0}));
        QCOMPARE(split.groups[1], std::vector<std::uint32_t>({1, 2}));
        const TimelinePartition& cut = d->partitions[1];
        QVERIFY(cut.oneWay);
        QCOMPARE(cut.from, 1u);
        QCOMPARE(cut.to, 0u);
        QCOMPARE(cut.end, millis(700));
    }

    void clientOpsAreIntervals() {
        World w(1);
        runStory(w);
        auto d = TimelineBuilder::build(w.trace());
        QCOMPARE(d->clientOps.size(), std::size_t(3));
        QCOMPARE(d->clientOps[0].outcome, ClientOutcome::Ok);
        QCOMPARE(d->clientOps[0].start, millis(50));
        QCOMPARE(d->clientOps[0].end, millis(120));
        QCOMPARE(d->clientOps[1].outcome, ClientOutcome::Unknown);
        QCOMPARE(QString::fromStdString(d->text(d->clientOps[1].f)), QStringLiteral("get"));
        QCOMPARE(d->clientOps[2].outcome, ClientOutcome::Open);
        QVERIFY(d->clientOps[2].end == kTimelineOpen);
        QCOMPARE(d->clientOps[0].lane, 3u);
        const TimelineSeries& series = d->laneIndex[3].clientOps;
        QCOMPARE(series.items.size(), std::size_t(3));
        QCOMPARE(series.blocks.size(), std::size_t(1));
        QCOMPARE(series.blocks[0].open, 1u);
        QCOMPARE(series.blocks[0].maxEnd, millis(900));
    }

    void concurrentTransactionsTakeSeparateRows() {
        World w(2);
        (void)w.addNode("n1", [] { return std::make_unique<Actor>(); });
        w.schedule(millis(1), [](World& w) { ctxOf(w, "n1").traceState("txn a READY"); });
        w.schedule(millis(2), [](World& w) { ctxOf(w, "n1").traceState("saga b RUNNING"); });
        w.schedule(millis(3), [](World& w) { ctxOf(w, "n1").traceState("txn a COMMIT"); });
        w.schedule(millis(4), [](World& w) { ctxOf(w, "n1").traceState("owner of 3 keys"); });  // not a txn
        w.schedule(millis(5), [](World& w) { ctxOf(w, "n1").traceState("txn c INIT"); });  // a's row: a is done
        w.runUntil(millis(10), 1000);
        auto d = TimelineBuilder::build(w.trace());
        QCOMPARE(d->bands.size(), std::size_t(4));
        QCOMPARE(int(d->bands[0].slot), 0);
        QCOMPARE(int(d->bands[1].slot), 1);
        QVERIFY(d->bands[1].saga);
        QCOMPARE(d->bands[1].phase, TxnPhase::SagaRunning);
        QCOMPARE(int(d->bands[2].slot), 0);
        QCOMPARE(d->bands[2].end, millis(5));  // COMMIT gives way to c
        QCOMPARE(int(d->bands[3].slot), 0);
        QCOMPARE(d->lanes[0].bandSlots, std::uint8_t(2));
    }

    // Building as the world runs, one event at a time, reads each event once and ends with the same data.
    void incrementalBuildMatchesBuildingAtOnce() {
        World incremental(1);
        TimelineBuilder builder;
        std::size_t calls = 0;
        runStory(incremental, [&] {
            builder.update(incremental);
            QCOMPARE(builder.cursor(), incremental.trace().size());
            ++calls;
        });
        QVERIFY(calls > 20);
        World once(1);
        runStory(once);
        auto a = builder.data();
        auto b = TimelineBuilder::build(once.trace());
        QCOMPARE(a->eventCount, b->eventCount);
        QCOMPARE(a->lanes.size(), b->lanes.size());
        QCOMPARE(a->texts, b->texts);
        QCOMPARE(a->bands.size(), b->bands.size());
        for (std::size_t i = 0; i < a->bands.size(); ++i) {
            QCOMPARE(a->bands[i].start, b->bands[i].start);
            QCOMPARE(a->bands[i].end, b->bands[i].end);
            QCOMPARE(a->bands[i].endIndex, b->bands[i].endIndex);
            QCOMPARE(a->bands[i].phase, b->bands[i].phase);
        }
        QCOMPARE(a->messages.size(), b->messages.size());
        for (std::size_t i = 0; i < a->messages.size(); ++i) {
            QCOMPARE(a->messages[i].seq, b->messages[i].seq);
            QCOMPARE(a->messages[i].end, b->messages[i].end);
            QCOMPARE(a->messages[i].endIndex, b->messages[i].endIndex);
            QCOMPARE(a->messages[i].fate, b->messages[i].fate);
            QCOMPARE(a->messages[i].duplicate, b->messages[i].duplicate);
        }
        QCOMPARE(a->messageBlocks.size(), b->messageBlocks.size());
        QCOMPARE(a->messageBlocks[0].maxEnd, b->messageBlocks[0].maxEnd);
        QCOMPARE(a->messageBlocks[0].open, b->messageBlocks[0].open);
        QCOMPARE(a->markers.size(), b->markers.size());
        for (std::size_t i = 0; i < a->markers.size(); ++i) QCOMPARE(a->markers[i].end, b->markers[i].end);
        QCOMPARE(a->partitions.size(), b->partitions.size());
        QCOMPARE(a->clientOps.size(), b->clientOps.size());
        for (std::size_t i = 0; i < a->clientOps.size(); ++i)
            QCOMPARE(a->clientOps[i].outcome, b->clientOps[i].outcome);
        // Calling again without new events changes nothing.
        const auto before = a->messages.size();
        builder.update(incremental.trace());
        QCOMPARE(builder.data()->messages.size(), before);
    }
};

QTEST_APPLESS_MAIN(TestTimeline)
#include "tst_timeline.moc"
