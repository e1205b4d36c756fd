// The space-time view draws what the timeline data says: the 2PC blocking story (the coordinator crashes
// at 200 ms and restarts at 1200 ms while both participants sit READY from 150 ms to 1300 ms) shows READY
// across the downtime on each participant's lane, a red cross on the coordinator's lane at 200 ms and an
// arrow per message; time maps to pixels and back under zoom and pan; logical spacing moves items; the
// tooltip names a message; a click selects; a million-event run switches to density ticks.
#include <QPainter>
#include <QPicture>
#include <QSignalSpy>
#include <QWheelEvent>
#include <QtTest>

#include <cmath>
#include <string>

#include "fixtures.h"
#include "widgets/timeline_view.h"

using namespace distlab;
using fixtures::colorDistance;

namespace {

const QSize kFrame(1600, 600);

struct TimelineMaker {
    distlab::TimelineData d;

    static std::uint32_t idx(distlab::SimTime t) { return std::uint32_t(std::sqrt(double(t)) * 4.0); }

    std::uint32_t text(const std::string& s) {
        for (std::size_t i = 0; i < d.texts.size(); ++i)
            if (d.texts[i] == s) return std::uint32_t(i);
        d.texts.push_back(s);
        return std::uint32_t(d.texts.size() - 1);
    }
    std::uint32_t lane(const std::string& name) {
        d.lanes.push_back({name, 0});
        d.laneIndex.emplace_back();
        return std::uint32_t(d.lanes.size() - 1);
    }
    void band(std::uint32_t lane, const std::string& txn, distlab::TxnPhase phase, distlab::SimTime s,
              distlab::SimTime e, int slot = 0, std::uint32_t (*indexOf)(distlab::SimTime) = &idx) {
        distlab::TimelineBand b;
        b.start = s;
        b.end = e;
        b.startIndex = indexOf(s);
        b.endIndex = e == distlab::kTimelineOpen ? distlab::kTimelineOpenIndex : indexOf(e);
        b.lane = lane;
        b.txn = text(txn);
        b.phase = phase;
        b.slot = std::uint8_t(slot);
        distlab::timelineAddBand(d, b);
    }
    // Event indices default to idx() of the times.
    void message(std::uint32_t from, std::uint32_t to, const std::string& type, distlab::SimTime s, distlab::SimTime e,
                 distlab::MessageFate fate = distlab::MessageFate::Delivered, bool duplicate = false,
                 std::uint32_t (*indexOf)(distlab::SimTime) = &idx) {
        distlab::TimelineMessage m;
        m.seq = d.messages.size();
        m.sent = s;
        m.end = fate == distlab::MessageFate::InFlight ? distlab::kTimelineOpen : e;
        m.sendIndex = indexOf(s);
        m.endIndex = fate == distlab::MessageFate::InFlight ? distlab::kTimelineOpenIndex : indexOf(e);
        m.from = from;
        m.to = to;
        m.type = text(type);
        m.fate = fate;
        m.duplicate = duplicate;
        distlab::timelineAddMessage(d, m);
    }
    void marker(std::uint32_t lane, distlab::TimelineMarkerKind kind, distlab::SimTime t, distlab::SimTime end = -1) {
        d.markers.push_back({t, end < 0 ? t : end, idx(t), end < 0 ? idx(t) : idx(end), lane, kind});
    }
    void op(std::uint32_t lane, const std::string& f, std::int64_t opId, distlab::SimTime s, distlab::SimTime e,
            distlab::ClientOutcome outcome) {
        distlab::TimelineClientOp c;
        c.opId = opId;
        c.start = s;
        c.end = outcome == distlab::ClientOutcome::Open ? distlab::kTimelineOpen : e;
        c.startIndex = idx(s);
        c.endIndex = outcome == distlab::ClientOutcome::Open ? distlab::kTimelineOpenIndex : idx(e);
        c.lane = lane;
        c.f = text(f);
        c.outcome = outcome;
        distlab::timelineAddClientOp(d, c);
    }
    void finish(distlab::SimTime now) {
        d.now = now;
        d.eventCount = idx(now) + 1;
    }
};


// The 2PC blocking story, in milliseconds.
std::shared_ptr<const TimelineData> blockingStory() {
    TimelineMaker m;
    const auto co = m.lane("co"), p1 = m.lane("p1"), p2 = m.lane("p2"), c1 = m.lane("c1");
    m.op(c1, "transfer", 1, millis(20), millis(1450), ClientOutcome::Ok);
    m.band(co, "t1", TxnPhase::Init, millis(50), millis(100));
    m.band(co, "t1", TxnPhase::Wait, millis(100), millis(200));
    m.message(c1, co, "transfer", millis(30), millis(50));
    m.message(co, p1, "prepare", millis(100), millis(150));
    m.message(co, p2, "prepare", millis(100), millis(150));
    m.band(p1, "t1", TxnPhase::Ready, millis(150), millis(1300));
    m.band(p2, "t1", TxnPhase::Ready, millis(150), millis(1300));
    m.message(p1, co, "vote", millis(150), millis(190));
    m.message(p2, co, "vote", millis(155), millis(198));
    m.marker(co, TimelineMarkerKind::Crash, millis(200));
    m.message(p1, co, "status", millis(600), millis(650), MessageFate::Dropped);
    m.marker(p2, TimelineMarkerKind::Pause, millis(700), millis(850));
    m.marker(p2, TimelineMarkerKind::Resume, millis(850));
    m.marker(co, TimelineMarkerKind::Restart, millis(1200));
    m.band(co, "t1", TxnPhase::Commit, millis(1210), millis(1400));
    m.message(co, p1, "commit", millis(1250), millis(1300));
    m.message(co, p2, "commit", millis(1250), millis(1300));
    m.message(co, p2, "commit", millis(1250), millis(1330), MessageFate::Delivered, true);
    m.band(p1, "t1", TxnPhase::Commit, millis(1300), millis(1400));
    m.band(p2, "t1", TxnPhase::Commit, millis(1300), millis(1400));
    m.message(p1, co, "ack", millis(1300), millis(1340));
    m.message(p2, co, "ack", millis(1300), millis(1345));
    m.band(co, "t1", TxnPhase::End, millis(1400), kTimelineOpen);
    m.band(p1, "t1", TxnPhase::End, millis(1400), kTimelineOpen);
    m.band(p2, "t1", TxnPhase::End, millis(1400), kTimelineOpen);
    m.message(co, c1, "transfer_ok", millis(1410), millis(1450));
    m.finish(millis(1500));
    return std::make_shared<TimelineData>(std::move(m.d));
}

// A long run: `lanes` nodes exchanging messages, each node in a transaction phase that changes often.
std::shared_ptr<const TimelineData> bigRun(std::size_t events, std::uint32_t lanes) {
    TimelineMaker m;
    for (std::uint32_t i = 0; i < lanes; ++i) m.lane("n" + std::to_string(i + 1));
    std::uint64_t rng = 42;
    const TxnPhase phases[] = {TxnPhase::Init, TxnPhase::Wait, TxnPhase::Ready, TxnPhase::Commit, TxnPhase::End};
    std::vector<SimTime> bandStart(lanes, 0);
    std::vector<int> phase(lanes, 0);
    for (std::size_t i = 0; i < events / 2; ++i) {
        const SimTime t = SimTime(i) * 20;
        const auto from = std::uint32_t(fixtures::splitmix64(rng) % lanes);
        const auto to = std::uint32_t((from + 1 + fixtures::splitmix64(rng) % (lanes - 1)) % lanes);
        // Logical positions: two events per message.
        m.message(from, to, i % 2 ? "prepare" : "vote", t, t + 1000 + SimTime(fixtures::splitmix64(rng) % 4000),
                  i % 97 == 0 ? MessageFate::Dropped : MessageFate::Delivered, i % 211 == 0,
                  [](SimTime at) { return std::uint32_t(at / 10); });
        if (i % 8 == 0) {
            const std::uint32_t lane = std::uint32_t(i / 8) % lanes;
            m.band(lane, "t", phases[phase[lane]], bandStart[lane], t, 0, [](SimTime at) { return std::uint32_t(at / 10); });
            phase[lane] = (phase[lane] + 1) % 5;
            bandStart[lane] = t;
        }
    }
    const SimTime now = SimTime(events / 2) * 20 + 6000;
    m.d.now = now;
    m.d.eventCount = std::uint32_t(events);
    return std::make_shared<TimelineData>(std::move(m.d));
}

QImage render(TimelineView& view, QSize size = kFrame) {
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::black);
    QPainter painter(&image);
    view.paintTo(painter, image.rect());
    return image;
}

int countNear(const QImage& image, const QRectF& area, QColor color, int tolerance) {
    int n = 0;
    const QRect r = area.toAlignedRect().intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) n += colorDistance(image.pixelColor(x, y), color) <= tolerance;
    return n;
}

}  // namespace

class TestTimelineView : public QObject {
    Q_OBJECT

private slots:
    void timeToPixel_data() {
        QTest::addColumn<double>("origin");
        QTest::addColumn<double>("unitsPerPx");
        QTest::addColumn<double>("time");
        QTest::addColumn<double>("x");
        // The plot starts at x = 100 and is 1000 px wide.
        QTest::newRow("fit 0..1 s") << 0.0 << 1000.0 << 500000.0 << 600.0;
        QTest::newRow("origin") << 0.0 << 1000.0 << 0.0 << 100.0;
        QTest::newRow("zoomed in 10x") << 0.0 << 100.0 << 50000.0 << 600.0;
        QTest::newRow("panned to 2 s") << 2e6 << 1000.0 << 2.25e6 << 350.0;
        QTest::newRow("before the window") << 2e6 << 1000.0 << 1.9e6 << 0.0;
        QTest::newRow("logical, 0.5 event/px") << 10.0 << 0.5 << 20.0 << 120.0;
    }
    void timeToPixel() {
        QFETCH(double, origin);
        QFETCH(double, unitsPerPx);
        QFETCH(double, time);
        QFETCH(double, x);
        TimelineScale s{100, 1000, origin, unitsPerPx};
        QCOMPARE(s.xForTime(time), x);
        QCOMPARE(s.timeForX(x), time);
        QCOMPARE(s.timeForX(s.xForTime(time + 123.0)), time + 123.0);
    }

    void wheelZoomKeepsTheTimeUnderTheMouse_data() {
        QTest::addColumn<double>("x");
        QTest::addColumn<double>("factor");
        QTest::newRow("in at the middle") << 600.0 << 1.5;
        QTest::newRow("in at the left edge") << 100.0 << 1.5;
        QTest::newRow("out near the right") << 1050.0 << 1 / 1.5;
        QTest::newRow("in a lot") << 333.0 << 1000.0;
    }
    void wheelZoomKeepsTheTimeUnderTheMouse() {
        QFETCH(double, x);
        QFETCH(double, factor);
        TimelineScale s{100, 1000, 5000, 1000};
        const double before = s.timeForX(x);
        s.zoomAt(x, factor);
        QVERIFY(std::abs(s.timeForX(x) - before) < 1e-6);
        QVERIFY(std::abs(s.unitsPerPx - 1000 / factor) < 1e-9);
        s.panBy(50);
        QVERIFY(std::abs(s.timeForX(x + 50) - before) < 1e-6);
    }

    void fitShowsTheWholeRunAndTicksAreRound() {
        TimelineScale s{100, 1000, 0, 1};
        s.fit(0, 1.5e6);
        QVERIFY(s.visibleStart() < 0 && s.visibleStart() > -1e5);
        QVERIFY(s.visibleEnd() > 1.5e6 && s.visibleEnd() < 1.6e6);
        const auto ticks = s.ticks(80);
        QVERIFY(ticks.size() >= 5 && ticks.size() <= 13);
        for (double t : ticks) QCOMPARE(std::fmod(t, 100000.0), 0.0);  // 100 ms steps
    }

    void blockingStoryShowsReadyAcrossTheCoordinatorsDowntime() {
        TimelineView view;
        view.setData(blockingStory());
        const QImage image = render(view);
        fixtures::saveArtifact(image, QStringLiteral("timeline_2pc_blocking"));
        const TimelineLayout& layout = view.layout();
        QCOMPARE(layout.lanes.size(), std::size_t(4));
        const QColor ready = txnPhaseColor(TxnPhase::Ready);
        const TimelineScale& s = view.scale();
        for (std::size_t lane : {std::size_t(1), std::size_t(2)}) {
            const QRectF strip = layout.lanes[lane].bandStrip;
            // Every 50 ms of the coordinator's downtime, READY is on screen.
            for (SimTime t = millis(210); t <= millis(1190); t += millis(50)) {
                const QPointF p(s.xForTime(double(t)), strip.top() + strip.height() * 0.25);
                QVERIFY2(colorDistance(image.pixelColor(p.toPoint()), ready) < 30,
                         qPrintable(QStringLiteral("lane %1 at %2 ms").arg(lane).arg(toMillis(t))));
            }
            // ... and it spans 150 .. 1300 ms.
            const int readyPixels = countNear(image, QRectF(s.xForTime(millis(150)), strip.top(),
                                                            s.xForTime(millis(1300)) - s.xForTime(millis(150)), 3), ready, 30);
            QVERIFY(readyPixels > int((s.xForTime(millis(1300)) - s.xForTime(millis(150))) * 3 * 0.9));
        }
        // The coordinator shows no band while it is down, and a red cross at 200 ms.
        const QRectF coStrip = layout.lanes[0].bandStrip;
        QVERIFY(colorDistance(image.pixelColor(QPointF(s.xForTime(millis(700)), coStrip.top() + 3).toPoint()),
                              txnPhaseColor(TxnPhase::Wait)) > 60);
        const double crashX = s.xForTime(millis(200));
        const double y = layout.lanes[0].centerY;
        int red = 0;
        for (int yy = int(y) - 12; yy <= int(y) + 12; ++yy)
            for (int xx = int(crashX) - 12; xx <= int(crashX) + 12; ++xx)
                red += fixtures::isFaultRed(image.pixelColor(xx, yy));
        QVERIFY2(red > 20, qPrintable(QString::number(red)));
        int redElsewhere = 0;
        for (int yy = int(y) - 12; yy <= int(y) + 12; ++yy)
            for (int xx = int(s.xForTime(millis(900))) - 12; xx <= int(s.xForTime(millis(900))) + 12; ++xx)
                redElsewhere += fixtures::isFaultRed(image.pixelColor(xx, yy));
        QCOMPARE(redElsewhere, 0);
        // One arrow per message, names and the legend in the picture.
        QVERIFY(view.drewArrows());
        QCOMPARE(view.drawnArrowCount(), view.data()->messages.size());
        const QStringList texts = view.drawnTexts();
        for (const char* t : {"co", "p1", "p2", "c1", "READY", "crash"}) QVERIFY2(texts.contains(QString::fromLatin1(t)), t);
        // The arrow of the first prepare leaves co's line at 100 ms and ends on p1's at 150 ms.
        const auto [a, b] = view.arrowOf(1);
        QCOMPARE(a, QPointF(s.xForTime(millis(100)), layout.lanes[0].centerY));
        QCOMPARE(b, QPointF(s.xForTime(millis(150)), layout.lanes[1].centerY));
    }

    void logicalSpacingMovesItems() {
        TimelineView view;
        view.setData(blockingStory());
        render(view);
        const auto timeArrow = view.arrowOf(4);  // p1's vote
        view.setLogicalSpacing(true);
        QVERIFY(view.logicalSpacing());
        const QImage image = render(view);
        fixtures::saveArtifact(image, QStringLiteral("timeline_2pc_logical"));
        const auto logicalArrow = view.arrowOf(4);
        QVERIFY(std::abs(timeArrow.first.x() - logicalArrow.first.x()) > 20);
        const TimelineMessage& vote = view.data()->messages[4];
        QCOMPARE(logicalArrow.first.x(), view.scale().xForTime(vote.sendIndex));
        QVERIFY(view.drawnTexts().contains(view.tr("event order")));
        view.setLogicalSpacing(false);
        render(view);
        QCOMPARE(view.arrowOf(4).first.x(), timeArrow.first.x());
    }

    void tooltipNamesTheMessage() {
        TimelineView view;
        view.setData(blockingStory());
        render(view);
        const auto [a, b] = view.arrowOf(1);
        const TimelineHit hit = view.hitTest((a + b) / 2);
        QCOMPARE(hit.kind, TimelineHit::Kind::Message);
        QCOMPARE(hit.id, 1u);
        const QString tip = view.toolTipFor(hit);
        QVERIFY2(tip.contains(QStringLiteral("prepare: co \u2192 p1")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("sent at 100.0 ms")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("delivered at 150.0 ms")), qPrintable(tip));
        // A band's tooltip gives its state and span.
        const QRectF strip = view.layout().lanes[1].bandStrip;
        const TimelineHit band = view.hitTest(QPointF(view.scale().xForTime(millis(900)), strip.top() + 2));
        QCOMPARE(band.kind, TimelineHit::Kind::Band);
        const QString bandTip = view.toolTipFor(band);
        QVERIFY2(bandTip.contains(QStringLiteral("transaction t1 on p1: READY")), qPrintable(bandTip));
        QVERIFY2(bandTip.contains(QStringLiteral("1150.0 ms")), qPrintable(bandTip));
        // The crash marker's.
        const TimelineHit crash = view.hitTest(QPointF(view.scale().xForTime(millis(200)), view.layout().lanes[0].centerY));
        QCOMPARE(crash.kind, TimelineHit::Kind::Marker);
        QVERIFY(view.toolTipFor(crash).startsWith(QStringLiteral("co crashed at 200.0 ms")));
    }

    void clickSelects() {
        TimelineView view;
        view.resize(kFrame);
        view.setData(blockingStory());
        view.grab();  // lays it out
        QSignalSpy messages(&view, &TimelineView::messageSelected);
        QSignalSpy nodes(&view, &TimelineView::nodeSelected);
        QSignalSpy events(&view, &TimelineView::eventSelected);
        const auto [a, b] = view.arrowOf(2);
        QTest::mouseClick(&view, Qt::LeftButton, {}, ((a + b) / 2).toPoint());
        QCOMPARE(messages.count(), 1);
        QCOMPARE(messages.at(0).at(0).toULongLong(), view.data()->messages[2].seq);
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.layout().lanes[2].label.center().toPoint());
        QCOMPARE(nodes.count(), 1);
        QCOMPARE(nodes.at(0).at(0).toString(), QStringLiteral("p2"));
        const QRectF strip = view.layout().lanes[1].bandStrip;
        QTest::mouseClick(&view, Qt::LeftButton, {},
                          QPointF(view.scale().xForTime(millis(900)), strip.top() + 2).toPoint());
        QCOMPARE(events.count(), 1);
        QCOMPARE(events.at(0).at(0).toULongLong(), quint64(TimelineMaker::idx(millis(150))));
        const QImage selected = view.grab().toImage();
        fixtures::saveArtifact(selected, QStringLiteral("timeline_2pc_selected"));
    }

    void wheelAndDragMoveTheWindow() {
        TimelineView view;
        view.resize(kFrame);
        view.setData(blockingStory());
        view.grab();
        QVERIFY(view.followsRun());
        const QPointF at(view.scale().xForTime(millis(600)), view.layout().lanes[1].centerY);
        QWheelEvent wheel(at, view.mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QVERIFY(!view.followsRun());
        QVERIFY(std::abs(view.scale().timeForX(at.x()) - double(millis(600))) < 1);
        view.grab();
        QVERIFY(std::abs(view.scale().timeForX(at.x()) - double(millis(600))) < 1);
        const double perPx = view.scale().unitsPerPx;
        QTest::mousePress(&view, Qt::LeftButton, {}, at.toPoint());
        QMouseEvent move(QEvent::MouseMove, at + QPointF(100, 0), view.mapToGlobal(at + QPointF(100, 0)), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&view, &move);
        QTest::mouseRelease(&view, Qt::LeftButton, {}, (at + QPointF(100, 0)).toPoint());
        QVERIFY(std::abs(view.scale().timeForX(at.x() + 100) - double(millis(600))) < perPx);
        QTest::keyClick(&view, Qt::Key_Home);
        QVERIFY(view.followsRun());
    }

    void aMillionEventsBecomeDensityTicks() {
        TimelineView view;
        view.setData(bigRun(1'000'000, 12));
        const QImage image = render(view, QSize(1920, 1080));
        fixtures::saveArtifact(image, QStringLiteral("timeline_1m_fit"));
        QVERIFY(!view.drewArrows());
        QCOMPARE(view.drawnArrowCount(), std::size_t(0));
        // Zoomed into 20 ms, individual arrows come back.
        view.setVisibleRange(double(millis(3000)), double(millis(3020)));
        const QImage zoomed = render(view, QSize(1920, 1080));
        fixtures::saveArtifact(zoomed, QStringLiteral("timeline_1m_zoomed"));
        QVERIFY(view.drewArrows());
        QVERIFY(view.drawnArrowCount() > 500 && view.drawnArrowCount() < 3000);
        QCOMPARE(view.summarizedBandRows(), std::size_t(0));  // bands wide enough to draw one by one
    }

    // Fitted to a million events, each band row shows per pixel column the phase that covers most of it,
    // and the message counts stay outside the band strip, so the phases remain in sight; a vector device
    // (here a QPicture, as for SVG) gets the same picture.
    void aMillionEventsKeepTheirPhaseBandsInSight_data() {
        QTest::addColumn<bool>("logical");
        QTest::newRow("time") << false;
        QTest::newRow("event order") << true;
    }
    void aMillionEventsKeepTheirPhaseBandsInSight() {
        QFETCH(bool, logical);
        TimelineView view;
        view.setData(bigRun(1'000'000, 12));
        view.setLogicalSpacing(logical);
        const QImage image = render(view, QSize(1920, 1080));
        fixtures::saveArtifact(image, logical ? QStringLiteral("timeline_1m_fit_logical") : QStringLiteral("timeline_1m_fit_bands"));
        QVERIFY(!view.drewArrows());
        QCOMPARE(view.summarizedBandRows(), view.data()->lanes.size());
        const TimelineData& d = *view.data();
        const TimelineColumns columns = view.plotColumns();
        std::vector<std::uint8_t> phases;
        std::vector<double> scratch;
        QPicture picture;
        {
            QPainter painter(&picture);
            view.paintTo(painter, QRect(0, 0, 1920, 1080));
        }
        QImage played(QSize(1920, 1080), QImage::Format_ARGB32_Premultiplied);
        played.fill(Qt::black);
        {
            QPainter painter(&played);
            picture.play(&painter);
        }
        for (std::uint32_t lane = 0; lane < d.lanes.size(); ++lane) {
            timelineDominantPhases(d, lane, 0, columns, phases, scratch);
            const TimelineLaneLayout& l = view.layout().lanes[lane];
            const int y = int(l.bandStrip.center().y());
            int matching = 0, shown = 0, countsAbove = 0;
            for (std::size_t c = 0; c + 1 < columns.count; c += 7) {
                if (phases[c] == kTimelineNoPhase) continue;
                ++shown;
                const int x = int(view.layout().plot.left() + double(c) + 0.5);
                const QColor expected = txnPhaseColor(TxnPhase(phases[c]));
                matching += colorDistance(image.pixelColor(x, y), expected) < 30 &&
                            colorDistance(played.pixelColor(x, y), expected) < 30;
                countsAbove += qGray(image.pixel(x, int(std::floor(l.bandStrip.top())) - 1)) < 200;  // not the lane's tint
            }
            QVERIFY2(shown > 200, qPrintable(QString::number(shown)));
            QVERIFY2(matching > shown * 95 / 100, qPrintable(QStringLiteral("lane %1: %2 of %3").arg(lane).arg(matching).arg(shown)));
            QVERIFY2(countsAbove > shown / 2, qPrintable(QStringLiteral("lane %1: %2 of %3").arg(lane).arg(countsAbove).arg(shown)));
        }
    }
};

QTEST_MAIN(TestTimelineView)
#include "tst_timeline_view.moc"
