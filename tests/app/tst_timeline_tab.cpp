// The Timeline tab of the main window, from the real simulation: the ZooKeeper-lock scenario in which
// the holder lk-c1 crashes is run by the bridge, and the tab draws one lane per node with the messages as
// arrows and c1's crash. Selection is shared with the other views, the time slider and "jump to
// selected event" travel in time, and the diagram exports to SVG and PNG.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QSlider>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include "app/language.h"
#include "app/main_window.h"
#include "app/sim_bridge.h"
#include "widgets/control_bar.h"
#include "widgets/inspector.h"
#include "widgets/lock_view.h"
#include "widgets/timeline_view.h"
#include "tests/support/builtin_scenario.h"

using namespace distlab;
using support::builtin;

namespace {

void saveArtifact(const QImage& image, const QString& name) {
    QDir().mkpath(QStringLiteral(DISTLAB_ARTIFACTS_DIR));
    image.save(QStringLiteral(DISTLAB_ARTIFACTS_DIR "/") + name);
}

int laneOf(const TimelineData& data, const char* name) {
    for (std::size_t i = 0; i < data.lanes.size(); ++i)
        if (data.lanes[i].name == name) return int(i);
    return -1;
}

struct SvgSummary {
    QString root;
    QStringList texts;
    int strokes = 0;  // path, line and polyline elements
    bool wellFormed = false;
};

SvgSummary readSvg(const QString& path) {
    SvgSummary out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return out;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        if (!xml.readNext() || !xml.isStartElement()) continue;
        const QString name = xml.name().toString();
        if (out.root.isEmpty()) out.root = name;
        if (name == QLatin1String("path") || name == QLatin1String("line") || name == QLatin1String("polyline"))
            ++out.strokes;
        if (name == QLatin1String("text")) out.texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    out.wellFormed = !xml.hasError();
    return out;
}

}  // namespace

class TestTimelineTab : public QObject {
    Q_OBJECT
private slots:
    void init() {
        installLanguage(QStringLiteral("en"));
        m_bridge = std::make_unique<SimBridge>(builtin("lock-zk-holder-crash"));
        m_window = std::make_unique<MainWindow>(m_bridge.get(), QStringLiteral("en"));
        m_window->resize(1500, 950);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_bridge->runFor(millis(3000));
        m_bridge->refresh();
        m_window->centralTabs()->setCurrentWidget(m_window->timelinePage());
        QCoreApplication::processEvents();
    }
    void cleanup() {
        m_window.reset();
        m_bridge.reset();
    }

    // The two-phase commit blocking scenario, run for real: the coordinator crashes after the yes votes and
    // restarts at 2 s; every participant's lane is READY across the whole of the coordinator's downtime.
    void twoPhaseCommitBlockingShowsReadyAcrossTheDowntime() {
        SimBridge bridge(builtin("txn-2pc-coordinator-crash"));
        MainWindow window(&bridge, QStringLiteral("en"));
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        bridge.runFor(millis(2600));
        bridge.refresh();
        QCoreApplication::processEvents();
        // A transaction scenario opens on the timeline.
        QCOMPARE(window.centralTabs()->currentWidget(), window.timelinePage());
        TimelineView* view = window.timelineView();
        QVERIFY(view->data());
        const TimelineData& data = *view->data();
        const int co = laneOf(data, "tx-co");
        QVERIFY(co >= 0);
        SimTime crashAt = -1;
        SimTime restartAt = -1;
        for (const TimelineMarker& m : data.markers) {
            if (int(m.lane) != co) continue;
            if (m.kind == TimelineMarkerKind::Crash && crashAt < 0) crashAt = m.time;
            if (m.kind == TimelineMarkerKind::Restart && restartAt < 0) restartAt = m.time;
        }
        QVERIFY2(crashAt > 0 && restartAt > crashAt, "the coordinator crashes and comes back");
        QCOMPARE(restartAt, millis(2000));

        const QImage image = view->grab().toImage();
        saveArtifact(image, QStringLiteral("tst_timeline_tab_2pc_blocking.png"));
        const qreal dpr = image.devicePixelRatio();
        const QColor ready = txnPhaseColor(TxnPhase::Ready);
        const TimelineLayout& layout = view->layout();
        const TimelineScale& scale = view->scale();
        for (const char* participant : {"tx-p1", "tx-p2", "tx-p3"}) {
            const int lane = laneOf(data, participant);
            QVERIFY2(lane >= 0, participant);
            const QRectF strip = layout.lanes[std::size_t(lane)].bandStrip;
            // Every 50 ms from just after the crash to just before the restart, the lane shows READY.
            for (SimTime t = crashAt + millis(20); t < restartAt - millis(20); t += millis(50)) {
                const QPoint at = (QPointF(scale.xForTime(double(t)), strip.center().y()) * dpr).toPoint();
                const QColor c = image.pixelColor(at);
                const int distance = std::abs(c.red() - ready.red()) + std::abs(c.green() - ready.green()) +
                                     std::abs(c.blue() - ready.blue());
                QVERIFY2(distance < 60, qPrintable(QStringLiteral("%1 at %2 ms is %3, not READY")
                                                       .arg(QString::fromLatin1(participant))
                                                       .arg(toMillis(t))
                                                       .arg(c.name())));
            }
        }
    }

    // "zk lock, the holder lk-c1 crashes (3 s)" -> one lane per node, arrows for the requests and watches,
    // c1's crash drawn as a marker.
    void timelineTabShowsTheRunningSession() {
        m_window->centralTabs()->setCurrentIndex(0);
        QTest::keyClick(m_window.get(), Qt::Key_3, Qt::ControlModifier);  // View > Timeline
        QCOMPARE(m_window->centralTabs()->currentWidget(), m_window->timelinePage());
        TimelineView* view = m_window->timelineView();
        QVERIFY(view->data());
        const TimelineData& data = *view->data();
        QCOMPARE(data.eventCount, std::uint32_t(m_bridge->session().world().trace().size()));
        QCOMPARE(data.now, m_bridge->session().world().now());
        for (const char* node : {"lk-zk", "lk-c1", "lk-c2", "lk-c3", "lk-c4"}) QVERIFY2(laneOf(data, node) >= 0, node);
        const bool c1Crashed = std::any_of(data.markers.begin(), data.markers.end(), [&](const TimelineMarker& m) {
            return m.kind == TimelineMarkerKind::Crash && int(m.lane) == laneOf(data, "lk-c1");
        });
        QVERIFY(c1Crashed);

        const QImage image = view->grab().toImage();
        saveArtifact(image, QStringLiteral("tst_timeline_tab.png"));
        QVERIFY(view->drewArrows());
        QVERIFY2(view->drawnArrowCount() > 50, qPrintable(QString::number(view->drawnArrowCount())));
        const QStringList texts = view->drawnTexts();
        for (const char* node : {"lk-zk", "lk-c1", "lk-c4"}) QVERIFY2(texts.contains(QString::fromLatin1(node)), node);
        // An arrow is drawn where arrowOf() says: its midpoint is not background.
        const auto [from, to] = view->arrowOf(std::uint32_t(data.messages.size() / 2));
        const QPoint mid = ((from + to) / 2).toPoint() * image.devicePixelRatio();
        QVERIFY(image.pixelColor(mid) != QColor(Qt::white));
    }

    // The run grows: the tab shows the new events after the bridge's next publication.
    void timelineFollowsTheRun() {
        const auto before = m_window->timelineView()->data()->eventCount;
        m_bridge->runFor(millis(1500));
        m_bridge->refresh();
        QVERIFY(m_window->timelineView()->data()->eventCount > before);
        QCOMPARE(m_window->timelineView()->data()->now, m_bridge->session().world().now());
    }

    // Click c2's lane -> c2 is selected in the window, the inspector and the lock view; selecting c3 in
    // the lock view highlights c3's lane.
    void selectionIsShared() {
        TimelineView* view = m_window->timelineView();
        const int c2 = laneOf(*view->data(), "lk-c2");
        QVERIFY(c2 >= 0);
        const QPointF label = view->layout().lanes.at(std::size_t(c2)).label.center();
        QTest::mouseClick(view, Qt::LeftButton, {}, label.toPoint());
        QCOMPARE(m_window->selectedNode(), QStringLiteral("lk-c2"));
        QCOMPARE(m_window->inspector()->fieldText(QStringLiteral("id")), QStringLiteral("lk-c2"));

        emit m_window->lockView()->nodeSelected(QStringLiteral("lk-c3"));
        QCOMPARE(m_window->selectedNode(), QStringLiteral("lk-c3"));
        const TimelineHit lane{TimelineHit::Kind::Lane, std::uint32_t(laneOf(*view->data(), "lk-c3"))};
        QCOMPARE(view->selection(), lane);
        // The highlight survives new data from the bridge.
        m_bridge->runFor(millis(200));
        m_bridge->refresh();
        QCOMPARE(view->selection(), lane);
    }

    // Click a message -> its summary in the status bar; "Jump to selected event" moves the run to its send.
    void clickingAMessageSummarisesItAndJumpSeeksToIt() {
        TimelineView* view = m_window->timelineView();
        view->grab();  // lays the view out at its size
        const TimelineData& data = *view->data();
        QVERIFY(!data.messages.empty());
        // A message that takes long enough to be clicked in the middle of its arrow.
        std::uint32_t id = kTimelineNoLane;
        for (std::uint32_t i = 0; i < data.messages.size(); ++i) {
            const auto [from, to] = view->arrowOf(i);
            if (data.messages[i].fate == MessageFate::Delivered && data.messages[i].sent > millis(500) &&
                QLineF(from, to).length() > 80) {
                id = i;
                break;
            }
        }
        QVERIFY(id != kTimelineNoLane);
        const auto [from, to] = view->arrowOf(id);
        QTest::mouseClick(view, Qt::LeftButton, {}, ((from + to) / 2).toPoint());
        QCOMPARE(view->selection().kind, TimelineHit::Kind::Message);
        const QString status = m_window->statusBar()->currentMessage();
        QVERIFY2(status.contains(QStringLiteral("message #")) && status.contains(QStringLiteral("sent at")), qPrintable(status));

        const SimTime sent = view->selectedEventTime();
        QVERIFY2(sent > millis(400) && sent < m_bridge->session().world().now(), qPrintable(QString::number(sent)));
        auto* jump = m_window->timelinePage()->findChild<QAction*>(QStringLiteral("JumpToEvent"));
        QVERIFY(jump && jump->isEnabled());
        jump->trigger();
        QCOMPARE(m_bridge->session().world().now(), sent);
        QCOMPARE(view->presentTime(), sent);  // the run stands there; the future already run stays drawn
        QCOMPARE(view->data()->now, millis(3000));
        QVERIFY(view->showsFuture());
    }

    // Drag the time slider to 1000 ms and let go -> the run is at 1000 ms, the timeline keeps the future
    // already run behind a line at the present, and Left still steps one event back.
    void timeSliderSeeksOnRelease() {
        QSlider* slider = m_window->controlBar()->timeSlider();
        QCOMPARE(slider->maximum(), 3000);
        QCOMPARE(slider->value(), 3000);
        slider->setSliderDown(true);
        slider->setSliderPosition(1000);
        QCOMPARE(m_bridge->session().world().now(), millis(3000));  // nothing happens while dragging
        slider->setSliderDown(false);
        QCOMPARE(m_bridge->session().world().now(), millis(1000));
        QCOMPARE(m_window->controlBar()->timeLabel()->text(), QStringLiteral("t = 1.000 s"));
        QCOMPARE(slider->maximum(), 3000);  // the future is still there to go back to
        const auto& data = *m_window->timelineView()->data();
        QCOMPARE(m_window->timelineView()->presentTime(), millis(1000));
        QVERIFY(m_window->timelineView()->showsFuture());
        QCOMPARE(data.now, millis(3000));
        QCOMPARE(data.eventCount, std::uint32_t(m_bridge->session().world().trace().retainedEvents()));
        // The future is veiled: against the same picture without a present, the plot left of the present
        // is unchanged, and right of it every pixel is at least as light and many are lighter.
        TimelineView* view = m_window->timelineView();
        auto render = [&] {
            QImage image(view->size(), QImage::Format_ARGB32);
            image.fill(Qt::white);
            QPainter painter(&image);
            view->paintTo(painter, image.rect());
            return image;
        };
        const QImage veiled = render();
        const SimTime present = view->presentTime();
        const std::uint64_t presentEvents = m_bridge->session().world().trace().size();
        view->setPresent(std::numeric_limits<SimTime>::max(), std::numeric_limits<std::uint64_t>::max());
        const QImage clear = render();
        view->setPresent(present, presentEvents);
        saveArtifact(veiled, QStringLiteral("tst_timeline_tab_future_veiled.png"));
        const QRectF plot = view->layout().plot;
        const double presentX = view->scale().xForTime(double(millis(1000)));
        QVERIFY(presentX > plot.left() + 20 && presentX < plot.right() - 20);
        int lighter = 0;
        for (int y = int(plot.top()) + 40; y < int(plot.bottom()) - 2; y += 3) {  // below the "now" label
            for (int x = int(plot.left()) + 2; x < int(presentX) - 3; x += 3)
                QCOMPARE(veiled.pixel(x, y), clear.pixel(x, y));
            for (int x = int(presentX) + 3; x < int(plot.right()) - 2; x += 3) {
                const QColor a = veiled.pixelColor(x, y), b = clear.pixelColor(x, y);
                QVERIFY(a.red() >= b.red() && a.green() >= b.green() && a.blue() >= b.blue());
                lighter += a != b;
            }
        }
        QVERIFY2(lighter > 100, qPrintable(QString::number(lighter)));
        bool line = false;  // the present's line, within a pixel or two of where its time maps
        for (int x = int(presentX) - 2; x <= int(presentX) + 2; ++x)
            line |= veiled.pixelColor(x, int(plot.center().y())) == QColor(0x1f, 0x5f, 0xd0);
        QVERIFY(line);

        m_window->timelineView()->setFocus();
        const auto events = m_bridge->session().world().eventsProcessed();
        QTest::keyClick(m_window->timelineView(), Qt::Key_Left);
        QCOMPARE(m_bridge->session().world().eventsProcessed(), events - 1);
        QTest::keyClick(m_window->timelineView(), Qt::Key_Right);
        QCOMPARE(m_bridge->session().world().eventsProcessed(), events);
    }

    void exportWritesValidSvgAndPng() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString svgPath = dir.filePath(QStringLiteral("run.svg"));
        QString error;
        QVERIFY2(m_window->exportTimelineTo(svgPath, false, &error), qPrintable(error));
        const SvgSummary svg = readSvg(svgPath);
        QVERIFY(svg.wellFormed);
        QCOMPARE(svg.root, QStringLiteral("svg"));
        for (const char* node : {"lk-zk", "lk-disk", "lk-c1", "lk-c2", "lk-c3", "lk-c4"})
            QVERIFY2(svg.texts.contains(QString::fromLatin1(node)), qPrintable(svg.texts.join(QLatin1Char(' '))));
        QVERIFY2(svg.strokes > 100, qPrintable(QString::number(svg.strokes)));

        const QString pngPath = dir.filePath(QStringLiteral("run.png"));
        QVERIFY2(m_window->exportTimelineTo(pngPath, false, &error), qPrintable(error));
        const QImage png(pngPath);
        QCOMPARE(png.width(), 1600);
        QVERIFY(png.height() >= 360);
        saveArtifact(png, QStringLiteral("tst_timeline_tab_export.png"));

        // The visible window only: zoomed to 1.0..1.5 s, the ruler of the export says so.
        TimelineView* view = m_window->timelineView();
        view->grab();
        view->setVisibleRange(1'000'000, 1'500'000);
        const QString windowPath = dir.filePath(QStringLiteral("window.svg"));
        QVERIFY2(m_window->exportTimelineTo(windowPath, true, &error), qPrintable(error));
        const SvgSummary zoomed = readSvg(windowPath);
        QVERIFY(zoomed.texts.contains(QStringLiteral("1200 ms")) || zoomed.texts.contains(QStringLiteral("1250 ms")));
        QVERIFY(!zoomed.texts.contains(QStringLiteral("2500 ms")));

        QVERIFY(!m_window->exportTimelineTo(dir.filePath(QStringLiteral("no/such/dir/x.svg")), false, &error));
        QVERIFY2(error.contains(QStringLiteral("Could not write")), qPrintable(error));
    }

private:
    std::unique_ptr<SimBridge> m_bridge;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestTimelineTab)
#include "tst_timeline_tab.moc"
