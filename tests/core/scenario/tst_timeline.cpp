// The space-time diagram's data, read from a hand-run world: a coordinator and two participants go
// through a two-phase commit while the coordinator crashes, a participant pauses, the network splits and
// duplicates, and a client's operations succeed, time out and stay open.
#include <QTest>

#include <cmath>
#include <random>

#include "core/session/timeline.h"
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

// Hand-made data through the timelineAdd...() functions: `lanes` lanes with two band rows each (random
// phases, some bands of no length, the last one open), messages delivered, dropped or in flight and
// arriving out of send order, and client operations that overlap, with every outcome and some open. Event
// indices are the times, so both axes order the items alike, as the builder's do.
TimelineData randomData(std::uint32_t seed, std::uint32_t lanes) {
    std::mt19937 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    TimelineData d;
    for (std::uint32_t i = 0; i < lanes; ++i) {
        d.lanes.push_back({"n" + std::to_string(i), 0});
        d.laneIndex.emplace_back();
    }
    SimTime now = 0;
    for (std::uint32_t lane = 0; lane < lanes; ++lane) {
        for (int slot = 0; slot < 2; ++slot) {
            SimTime t = uniform(0, 50);
            const int count = uniform(20, 200);
            for (int i = 0; i < count; ++i) {
                TimelineBand b;
                b.lane = lane;
                b.slot = std::uint8_t(slot);
                b.phase = TxnPhase(uniform(0, 6));
                b.start = t;
                b.startIndex = std::uint32_t(t);
                if (i + 1 < count || slot == 1) {
                    b.end = t + uniform(0, 3) * uniform(0, 100);  // a quarter have no length
                    b.endIndex = std::uint32_t(b.end);
                }
                timelineAddBand(d, b);
                now = std::max(now, b.open() ? t : b.end);
                t = (b.open() ? t : b.end) + uniform(0, 2) * uniform(0, 40);
            }
        }
    }
    SimTime sent = 0;
    for (int i = 0; i < 600; ++i) {
        sent += uniform(0, 30);
        TimelineMessage m;
        m.seq = std::uint64_t(i);
        m.from = std::uint32_t(uniform(0, int(lanes) - 1));
        m.to = std::uint32_t(uniform(0, int(lanes) - 1));
        m.sent = sent;
        m.sendIndex = std::uint32_t(sent);
        m.fate = MessageFate(uniform(0, 9) == 0 ? 0 : uniform(1, 2));
        if (m.fate != MessageFate::InFlight) {
            m.end = sent + uniform(0, 500);
            m.endIndex = std::uint32_t(m.end);
            now = std::max(now, m.end);
        }
        m.duplicate = uniform(0, 20) == 0;
        timelineAddMessage(d, m);
    }
    for (std::uint32_t lane = 0; lane < lanes; ++lane) {
        SimTime t = 0;
        for (int i = 0; i < 80; ++i) {
            t += uniform(0, 60);
            TimelineClientOp op;
            op.opId = i;
            op.lane = lane;
            op.start = t;
            op.startIndex = std::uint32_t(t);
            op.outcome = ClientOutcome(uniform(0, 3));
            if (op.outcome != ClientOutcome::Open) {
                op.end = t + uniform(0, 150);
                op.endIndex = std::uint32_t(op.end);
                now = std::max(now, op.end);
            }
            timelineAddClientOp(d, op);
        }
    }
    d.now = now + 10;
    d.eventCount = std::uint32_t(d.now);
    return d;
}

double keyOf(bool logical, SimTime time, std::uint32_t index) { return logical ? double(index) : double(time); }

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

    // The per-column summaries read from the lanes' sorted moments and running totals give what a count
    // over every item gives, for windows that cut items anywhere, start before the run or end after it.
    void columnSummariesEqualBruteForce_data() {
        QTest::addColumn<std::uint32_t>("seed");
        QTest::addColumn<double>("origin");
        QTest::addColumn<double>("unitsPerColumn");
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("logical");
        for (std::uint32_t seed : {1u, 2u, 3u}) {
            const QByteArray s = QByteArray::number(seed);
            QTest::newRow("whole run, " + s) << seed << -100.0 << 97.3 << 220 << false;
            QTest::newRow("zoomed, fractional columns, " + s) << seed << 1234.5 << 0.7 << 400 << false;
            QTest::newRow("boundaries on the items' times, " + s) << seed << 0.0 << 10.0 << 300 << false;
            QTest::newRow("few wide columns, " + s) << seed << 50.0 << 4000.0 << 5 << false;
            QTest::newRow("past the end, " + s) << seed << 15000.0 << 50.0 << 200 << false;
            QTest::newRow("logical, whole run, " + s) << seed << -3.0 << 61.1 << 300 << true;
            QTest::newRow("logical, zoomed, " + s) << seed << 4000.0 << 1.0 << 500 << true;
        }
    }
    void columnSummariesEqualBruteForce() {
        QFETCH(std::uint32_t, seed);
        QFETCH(double, origin);
        QFETCH(double, unitsPerColumn);
        QFETCH(int, count);
        QFETCH(bool, logical);
        const TimelineData d = randomData(seed, 4);
        const TimelineColumns columns{origin, unitsPerColumn, std::size_t(count), logical};
        auto columnOf = [&](double key) -> int {
            for (int c = 0; c < count; ++c)
                if (key >= columns.boundary(std::size_t(c)) && key < columns.boundary(std::size_t(c) + 1)) return c;
            return -1;
        };
        for (std::uint32_t lane = 0; lane < d.lanes.size(); ++lane) {
            const QByteArray where = "seed " + QByteArray::number(seed) + ", lane " + QByteArray::number(lane);
            // Sends and receipts.
            std::vector<int> sends(std::size_t(count), 0), receipts(std::size_t(count), 0);
            std::vector<int> expectSends(std::size_t(count), 0), expectReceipts(std::size_t(count), 0);
            timelineCountColumns(d.laneIndex[lane].sends, columns, sends.data());
            timelineCountColumns(d.laneIndex[lane].receipts, columns, receipts.data());
            for (const TimelineMessage& m : d.messages) {
                if (m.from == lane)
                    if (int c = columnOf(keyOf(logical, m.sent, m.sendIndex)); c >= 0) expectSends[std::size_t(c)]++;
                if (m.to == lane && m.fate == MessageFate::Delivered)
                    if (int c = columnOf(keyOf(logical, m.end, m.endIndex)); c >= 0) expectReceipts[std::size_t(c)]++;
            }
            QVERIFY2(sends == expectSends, where.constData());
            QVERIFY2(receipts == expectReceipts, where.constData());
            // Dominant phases: the phase shown covers as much of the column as any other.
            std::vector<std::uint8_t> phases;
            std::vector<double> scratch;
            for (std::size_t slot = 0; slot < 2; ++slot) {
                timelineDominantPhases(d, lane, slot, columns, phases, scratch);
                QCOMPARE(phases.size(), std::size_t(count));
                for (int c = 0; c < count; ++c) {
                    const double t0 = columns.boundary(std::size_t(c)), t1 = columns.boundary(std::size_t(c) + 1);
                    double cover[kTxnPhaseCount] = {};
                    for (const TimelineBand& b : d.bands) {
                        if (b.lane != lane || b.slot != slot) continue;
                        const double s = keyOf(logical, b.start, b.startIndex);
                        const double e = logical ? double(d.endIndexOf(b.endIndex)) : double(d.endOf(b.end));
                        cover[int(b.phase)] += std::max(0.0, std::min(e, t1) - std::max(s, t0));
                    }
                    const double best = *std::max_element(std::begin(cover), std::end(cover));
                    const QByteArray at = where + ", slot " + QByteArray::number(qulonglong(slot)) + ", column " +
                                          QByteArray::number(c);
                    if (best <= 0) {
                        QVERIFY2(phases[std::size_t(c)] == kTimelineNoPhase, at.constData());
                        continue;
                    }
                    QVERIFY2(phases[std::size_t(c)] != kTimelineNoPhase, at.constData());
                    QVERIFY2(std::abs(cover[phases[std::size_t(c)]] - best) < 1e-6 * std::max(1.0, best), at.constData());
                }
            }
            // Client operations: the most telling outcome of those under way.
            std::vector<std::uint8_t> outcomes;
            std::vector<std::size_t> ranks[2];
            timelineClientOpColumns(d, lane, columns, outcomes, ranks);
            const int rank[] = {2, 1, 4, 3};
            const double now = logical ? double(d.eventCount) : double(d.now);
            for (int c = 0; c < count; ++c) {
                const double t0 = columns.boundary(std::size_t(c)), t1 = columns.boundary(std::size_t(c) + 1);
                int expect = kTimelineNoOutcome;
                for (const TimelineClientOp& op : d.clientOps) {
                    if (op.lane != lane) continue;
                    const double s = keyOf(logical, op.start, op.startIndex);
                    const double e = op.outcome == ClientOutcome::Open ? now : keyOf(logical, op.end, op.endIndex);
                    if (s < t1 && e >= t0 && (expect == kTimelineNoOutcome || rank[int(op.outcome)] > rank[expect]))
                        expect = int(op.outcome);
                }
                const QByteArray at = where + ", ops, column " + QByteArray::number(c);
                QVERIFY2(int(outcomes[std::size_t(c)]) == expect, at.constData());
            }
        }
    }

    // Summaries kept as items are appended: the running totals of a row hold the lengths of the bands
    // before each band, and the lanes' moments are sorted and complete, however the data was appended.
    void summariesFollowTheItems_data() {
        QTest::addColumn<std::uint32_t>("seed");
        QTest::addColumn<std::uint32_t>("lanes");
        QTest::newRow("1 lane") << 1u << 1u;
        QTest::newRow("3 lanes") << 7u << 3u;
        QTest::newRow("8 lanes") << 11u << 8u;
    }
    void summariesFollowTheItems() {
        QFETCH(std::uint32_t, seed);
        QFETCH(std::uint32_t, lanes);
        const TimelineData d = randomData(seed, lanes);
        std::uint32_t phasesSeen = 0;
        for (const TimelineBand& b : d.bands) phasesSeen |= 1u << unsigned(b.phase);
        QCOMPARE(d.phasesSeen, phasesSeen);
        for (std::uint32_t lane = 0; lane < lanes; ++lane) {
            const TimelineLaneIndex& index = d.laneIndex[lane];
            for (std::size_t slot = 0; slot < kTimelineBandSlotsMax; ++slot) {
                for (const TimelinePhaseTotals& totals : index.bandPhases[slot]) {
                    SimTime time = 0;
                    std::uint32_t events = 0;
                    std::size_t i = 0;
                    for (std::uint32_t id : index.bandSlots[slot].items) {
                        const TimelineBand& b = d.bands[id];
                        if (b.phase != totals.phase) continue;
                        QVERIFY(i < totals.size());
                        QCOMPARE(totals.starts[i], b.start);
                        QCOMPARE(totals.startIndices[i], b.startIndex);
                        QCOMPARE(totals.timeBefore[i], time);
                        QCOMPARE(totals.eventsBefore[i], events);
                        if (!b.open()) {
                            time += b.end - b.start;
                            events += b.endIndex - b.startIndex;
                        }
                        ++i;
                    }
                    QCOMPARE(i, totals.size());
                }
            }
            std::vector<std::pair<SimTime, std::uint32_t>> sends, receipts;
            for (const TimelineMessage& m : d.messages) {
                if (m.from == lane) sends.emplace_back(m.sent, m.sendIndex);
                if (m.to == lane && m.fate == MessageFate::Delivered) receipts.emplace_back(m.end, m.endIndex);
            }
            std::sort(sends.begin(), sends.end());
            std::sort(receipts.begin(), receipts.end());
            auto pairs = [](const TimelineMoments& m) {
                std::vector<std::pair<SimTime, std::uint32_t>> out;
                for (std::size_t i = 0; i < m.size(); ++i) out.emplace_back(m.times[i], m.indices[i]);
                return out;
            };
            QVERIFY(pairs(index.sends) == sends);
            QVERIFY(pairs(index.receipts) == receipts);
            std::size_t open = 0, completed = 0;
            for (const TimelineClientOp& op : d.clientOps)
                if (op.lane == lane) (op.outcome == ClientOutcome::Open ? open : completed)++;
            QCOMPARE(index.openOps.size(), open);
            QCOMPARE(index.opStarts[0].size() + index.opStarts[1].size() + index.opStarts[2].size(), completed);
            QCOMPARE(index.opEnds[0].size() + index.opEnds[1].size() + index.opEnds[2].size(), completed);
        }
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
        // ... and the same summaries.
        QCOMPARE(a->phasesSeen, b->phasesSeen);
        QCOMPARE(a->anyDropped, b->anyDropped);
        QCOMPARE(a->anyDuplicate, b->anyDuplicate);
        QVERIFY(a->anyDropped && a->anyDuplicate);
        for (std::size_t lane = 0; lane < a->laneIndex.size(); ++lane) {
            const TimelineLaneIndex& x = a->laneIndex[lane];
            const TimelineLaneIndex& y = b->laneIndex[lane];
            QCOMPARE(x.sends.times, y.sends.times);
            QCOMPARE(x.sends.indices, y.sends.indices);
            QCOMPARE(x.receipts.times, y.receipts.times);
            QCOMPARE(x.receipts.indices, y.receipts.indices);
            QCOMPARE(x.openOps, y.openOps);
            for (int k = 0; k < 3; ++k) {
                QCOMPARE(x.opStarts[k].times, y.opStarts[k].times);
                QCOMPARE(x.opEnds[k].indices, y.opEnds[k].indices);
            }
            for (std::size_t slot = 0; slot < kTimelineBandSlotsMax; ++slot) {
                QCOMPARE(x.bandPhases[slot].size(), y.bandPhases[slot].size());
                for (std::size_t p = 0; p < x.bandPhases[slot].size(); ++p) {
                    QCOMPARE(x.bandPhases[slot][p].phase, y.bandPhases[slot][p].phase);
                    QCOMPARE(x.bandPhases[slot][p].starts, y.bandPhases[slot][p].starts);
                    QCOMPARE(x.bandPhases[slot][p].timeBefore, y.bandPhases[slot][p].timeBefore);
                    QCOMPARE(x.bandPhases[slot][p].eventsBefore, y.bandPhases[slot][p].eventsBefore);
                }
            }
        }
        // The story's sends and receipts, counted from the messages.
        for (std::uint32_t lane = 0; lane < b->lanes.size(); ++lane) {
            std::size_t sent = 0, received = 0;
            for (const TimelineMessage& m : b->messages) {
                sent += m.from == lane;
                received += m.to == lane && m.fate == MessageFate::Delivered;
            }
            QCOMPARE(b->laneIndex[lane].sends.size(), sent);
            QCOMPARE(b->laneIndex[lane].receipts.size(), received);
        }
        // Calling again without new events changes nothing.
        const auto before = a->messages.size();
        builder.update(incremental.trace());
        QCOMPARE(builder.data()->messages.size(), before);
    }
};

QTEST_APPLESS_MAIN(TestTimeline)
#include "tst_timeline.moc"
