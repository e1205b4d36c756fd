// The queue lab in the window, from the real simulation: the consumer-crash scenario is run by the bridge
// and the queue view draws what happened. At 0.7 s the crashed w1 still holds its three unacknowledged
// deliveries; at 1.3 s the broker has given them back, flagged redelivered, to w2; at the end the ledger
// shows the message applied twice in red. The drawn counts are read back from what the view painted, and
// compared with the broker's own numbers. A queue scenario brings the Queues tab to the front, and queue
// commands typed in the console reach the lab.
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QTabWidget>
#include <QTest>

#include "app/main_window.h"
#include "app/sim_bridge.h"
#include "core/protocols/mq/broker.h"
#include "tests/widgets/fixtures.h"
#include "widgets/queue_lab_panel.h"
#include "widgets/queue_view.h"
#include "widgets/ring_view.h"
#include "tests/support/builtin_scenario.h"

using namespace distlab;
using support::builtin;

namespace {

QImage render(QueueView& view, QSize size) {
    return fixtures::renderView(view, size, Qt::white);
}

// The texts the view drew whose centre lies in `rect`, in drawing order.
QStringList textsIn(const QueueView& view, const QRect& rect) {
    QStringList out;
    for (const auto& [text, area] : view.drawnTextItems())
        if (QRectF(rect).adjusted(-2, -2, 2, 2).contains(area.center())) out << text;
    return out;
}

// The number drawn on one of a queue card's tiles (ready, unacked, redelivered, dead-lettered).
int tileNumber(const QueueView& view, const QRect& tile) {
    for (const QString& text : textsIn(view, tile)) {
        bool ok = false;
        const int n = text.toInt(&ok);
        if (ok) return n;
    }
    return -1;
}

// The message ids drawn in a consumer lane's window, in order.
QStringList boxIds(const QueueView& view, const MqLaneLayout& lane) {
    QStringList ids;
    for (const QRect& box : lane.boxes.boxes)
        for (const QString& text : textsIn(view, box))
            if (text.startsWith(QLatin1Char('m'))) ids << text;
    return ids;
}

// Pixels of the redelivered outline colour inside `rect`.
int redeliveredPixels(const QImage& image, const QRect& rect) {
    const QColor orange = mqRedeliveredColor();
    int count = 0;
    const QRect r = rect.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - orange.red()) < 30 && std::abs(c.green() - orange.green()) < 30 &&
                std::abs(c.blue() - orange.blue()) < 30)
                ++count;
        }
    return count;
}

const MqLaneLayout* laneOf(const QueueViewLayout& layout, const QString& id) {
    for (const auto& lane : layout.lanes)
        if (lane.id == id) return &lane;
    return nullptr;
}

}  // namespace

class TestQueueLabWindow : public QObject {
    Q_OBJECT
private slots:
    void consumerCrashIsDrawn() {
        SimBridge bridge(builtin("mq-consumer-crash-duplicate"));
        MainWindow window(&bridge, QStringLiteral("en"));
        window.resize(1600, 1000);
        window.show();
        QueueView& view = *window.queuePanel()->queueView();

        // 0.7 s: w1 crashed at 0.27 s holding three deliveries; the broker has not missed enough heartbeats
        // yet, so they are still unacknowledged on its channel.
        bridge.runFor(millis(700));
        bridge.refresh();
        QCoreApplication::processEvents();
        QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget*>(window.queuePanel()));
        QImage image = render(view, QSize(1100, 700));
        fixtures::saveArtifact(image, QStringLiteral("queue_window_700ms"));
        QueueViewLayout layout = QueueView::layoutFor(*view.snapshot(), image.rect(), view.font());
        QCOMPARE(layout.queues.size(), std::size_t(1));
        const MqQueueView& orders = view.snapshot()->mq.queues.front();
        const MqQueueCardLayout& card = layout.queues.front();
        QCOMPARE(tileNumber(view, card.tiles[0]), int(orders.readyTotal));
        QCOMPARE(tileNumber(view, card.tiles[1]), int(orders.unackedTotal));
        QCOMPARE(tileNumber(view, card.tiles[2]), 0);
        QCOMPARE(tileNumber(view, card.tiles[3]), 0);
        QCOMPARE(int(orders.unackedTotal), 6);  // three on each consumer's channel
        const MqLaneLayout* w1 = laneOf(layout, QStringLiteral("w1"));
        QVERIFY(w1);
        QVERIFY(!w1->badge.isEmpty());  // crashed
        const QStringList held = boxIds(view, *w1);
        QCOMPARE(held.size(), 3);
        QCOMPARE(redeliveredPixels(image, w1->window), 0);

        // The broker misses w1's heartbeats (three 200 ms intervals), closes its channel and gives the three
        // back, redelivered, to w2: step until w2's window holds all three (the moment the screenshots show).
        auto w2HoldsThemAll = [&] {
            for (const MqChannelView& channel : view.snapshot()->mq.queues.front().channels) {
                if (channel.consumer != "w2" || int(channel.unacked.size()) != held.size()) continue;
                bool all = true;
                for (int i = 0; i < held.size(); ++i)
                    all = all && channel.unacked[std::size_t(i)].messageId == held[i].toStdString();
                return all;
            }
            return false;
        };
        while (!w2HoldsThemAll() && view.snapshot()->now < millis(3000)) {
            bridge.runFor(millis(10));
            bridge.refresh();
            QCoreApplication::processEvents();
        }
        QVERIFY2(w2HoldsThemAll(), "w2 never held w1's three deliveries at once");
        qInfo("w2 holds w1's three deliveries at %.0f ms", double(view.snapshot()->now) / kMicrosPerMilli);
        image = render(view, QSize(1100, 700));
        fixtures::saveArtifact(image, QStringLiteral("queue_window_redelivered"));
        layout = QueueView::layoutFor(*view.snapshot(), image.rect(), view.font());
        const MqQueueView& later = view.snapshot()->mq.queues.front();
        QCOMPARE(tileNumber(view, layout.queues.front().tiles[2]), int(later.redeliveredTotal));
        QCOMPARE(int(later.redeliveredTotal), 3);
        const MqLaneLayout* w2 = laneOf(layout, QStringLiteral("w2"));
        QVERIFY(w2);
        QCOMPARE(boxIds(view, *w2), held);
        QVERIFY2(redeliveredPixels(image, w2->window) > 30, "redelivered boxes are outlined in orange");
        QVERIFY(boxIds(view, *laneOf(layout, QStringLiteral("w1"))).isEmpty());

        // The end: w2 applied the message w1 had applied already; the footer names it in red.
        bridge.runFor(millis(2700));
        bridge.refresh();
        QCoreApplication::processEvents();
        image = render(view, QSize(1100, 700));
        fixtures::saveArtifact(image, QStringLiteral("queue_window_end"));
        layout = QueueView::layoutFor(*view.snapshot(), image.rect(), view.font());
        QCOMPARE(view.snapshot()->mq.duplicates.size(), std::size_t(1));
        const QString twice = QString::fromStdString(view.snapshot()->mq.duplicates.front().messageId);
        QVERIFY(held.contains(twice));
        const QString footer = textsIn(view, layout.footer).join(QLatin1Char(' '));
        QVERIFY2(footer.contains(twice) && footer.contains(QStringLiteral("w1")) &&
                     footer.contains(QStringLiteral("w2")),
                 qPrintable(footer));
        QVERIFY2(footer.contains(QStringLiteral("21")),
                 qPrintable(footer));  // 20 messages, one applied twice
        QCOMPARE(tileNumber(view, layout.queues.front().tiles[0]), 0);
        QCOMPARE(tileNumber(view, layout.queues.front().tiles[1]), 0);

        // The charts saw every publish and the three redeliveries.
        std::uint32_t published = 0, redelivered = 0;
        for (const MqRateBucket& bucket : view.snapshot()->mq.rates) {
            published += bucket.published;
            redelivered += bucket.redelivered;
        }
        QCOMPARE(published, 20u);
        QCOMPARE(redelivered, 3u);
    }

    // Every queue scenario, run by the bridge, shows its documented outcome in the window: the counts and
    // the footer the class reads.
    void everyScenarioShowsItsOutcome_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("duplicates");     // messages applied twice (the effect check)
        QTest::addColumn<int>("lost");           // confirmed messages lost (the total-queue check)
        QTest::addColumn<int>("lostInRestart");  // transient messages a broker restart took
        QTest::addColumn<int>("deadLettered");
        QTest::addColumn<QString>("footerSays");
        QTest::newRow("consumer crash, idempotent")
            << "mq-consumer-crash-idempotent" << 0 << 0 << 0 << 0 << "no message applied twice";
        QTest::newRow("consumer crash, duplicate")
            << "mq-consumer-crash-duplicate" << 1 << 0 << 0 << 0 << "applied twice";
        QTest::newRow("broker restart")
            << "mq-broker-restart" << 0 << 0 << 10 << 0 << "no message applied twice";
        QTest::newRow("poison message")
            << "mq-poison-dead-letter" << 0 << 0 << 0 << 1 << "no message applied twice";
        QTest::newRow("brokerless loss") << "mq-brokerless-loss" << 0 << 4 << 0 << 0 << "lost: 4";
    }
    void everyScenarioShowsItsOutcome() {
        QFETCH(QString, scenario);
        QFETCH(int, duplicates);
        QFETCH(int, lost);
        QFETCH(int, lostInRestart);
        QFETCH(int, deadLettered);
        QFETCH(QString, footerSays);
        const Scenario s = builtin(scenario.toUtf8().constData());
        SimBridge bridge(s);
        MainWindow window(&bridge, QStringLiteral("en"));
        window.resize(1600, 1000);
        window.show();
        bridge.runFor(s.runFor);
        bridge.refresh();
        QCoreApplication::processEvents();
        QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget*>(window.queuePanel()));
        QueueView& view = *window.queuePanel()->queueView();
        const QImage image = render(view, QSize(1100, 700));
        fixtures::saveArtifact(image, QStringLiteral("queue_window_") + scenario);
        const QueueSnapshot& mq = view.snapshot()->mq;
        QCOMPARE(int(mq.duplicates.size()), duplicates);
        QCOMPARE(int(mq.lost), lost);
        int restart = 0, dead = 0;
        for (const MqQueueView& q : mq.queues) {
            restart += int(q.lostInRestart);
            dead += int(q.deadLettered);
        }
        QCOMPARE(restart, lostInRestart);
        QCOMPARE(dead, deadLettered);
        const QueueViewLayout layout = QueueView::layoutFor(*view.snapshot(), image.rect(), view.font());
        const QString footer = textsIn(view, layout.footer).join(QLatin1Char(' '));
        QVERIFY2(footer.contains(footerSays), qPrintable(footer));
    }

    // Queue commands typed into the console reach the lab, and the Queues tab comes to the front.
    void consoleDrivesTheQueueLab() {
        SimBridge bridge(builtin("demo"));
        MainWindow window(&bridge, QStringLiteral("en"));
        window.resize(1400, 900);
        window.show();
        bridge.refresh();
        QCoreApplication::processEvents();
        QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget*>(window.ringView()));
        bridge.executeCommand(QStringLiteral("queue declare jobs --durable"));
        bridge.executeCommand(QStringLiteral("publish jobs --count 5 --persistent --interval 0"));
        bridge.runFor(millis(300));
        bridge.refresh();
        QCoreApplication::processEvents();
        QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget*>(window.queuePanel()));
        QueueView& view = *window.queuePanel()->queueView();
        const QImage image = render(view, QSize(1000, 600));
        const QueueViewLayout layout = QueueView::layoutFor(*view.snapshot(), image.rect(), view.font());
        QCOMPARE(layout.queues.size(), std::size_t(1));
        QCOMPARE(tileNumber(view, layout.queues.front().tiles[0]), 5);  // nobody consumes yet
    }
};

QTEST_MAIN(TestQueueLabWindow)
#include "tst_queue_lab_window.moc"
