// The lock lab in the window, from the real simulation: the paused-client scenario is run by the bridge
// and the lock view draws what happened (holder, fencing token, and the red conflict marker when fencing
// is off); a lock scenario brings the Locks tab to the front, and lock commands typed in the console
// reach the lab.
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QLineEdit>
#include <QPainter>
#include <QTabWidget>
#include <QTest>

#include "app/main_window.h"
#include "app/sim_bridge.h"
#include "tests/widgets/fixtures.h"
#include "widgets/console_widget.h"
#include "widgets/lock_view.h"
#include "widgets/palette.h"
#include "widgets/ring_view.h"
#include "tests/support/builtin_scenario.h"

using namespace distlab;
using support::builtin;

namespace {

QImage render(LockView& view, QSize size) {
    return fixtures::renderView(view, size, Qt::white);
}

// Pixels close to the conflict red inside `rect`.
int redPixels(const QImage& image, const QRect& rect) {
    const QColor red = faultColor();
    int count = 0;
    const QRect r = rect.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - red.red()) < 40 && std::abs(c.green() - red.green()) < 40 &&
                std::abs(c.blue() - red.blue()) < 40)
                ++count;
        }
    return count;
}

QString textIn(const LockView& view, const QRect& rect) {
    QString out;
    for (const auto& [text, area] : view.drawnTextItems())
        if (QRectF(rect).adjusted(-2, -2, 2, 2).contains(area.center())) out += text + QLatin1Char(' ');
    return out;
}

}  // namespace

class TestLockLabWindow : public QObject {
    Q_OBJECT
private slots:
    // Kleppmann's story, run by the bridge and drawn by the lock view inside the main window.
    void pausedClientScenarioIsDrawn_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<bool>("fencing");
        QTest::newRow("no fencing") << "lock-lease-pause-nofencing" << false;
        QTest::newRow("fencing") << "lock-lease-pause-fencing" << true;
    }
    void pausedClientScenarioIsDrawn() {
        QFETCH(QString, scenario);
        QFETCH(bool, fencing);
        SimBridge bridge(builtin(scenario.toUtf8().constData()));
        MainWindow window(&bridge, QStringLiteral("en"));
        window.resize(1600, 1000);
        window.show();

        // 1.4 s: c1 is still paused, its lease has run out, c2 holds the lock with fencing token 2.
        bridge.runFor(millis(1400));
        bridge.refresh();
        QCoreApplication::processEvents();
        QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget*>(window.lockView()));
        LockView& view = *window.lockView();
        QImage image = render(view, QSize(1100, 760));
        fixtures::saveArtifact(
            image, QStringLiteral("lock_window_%1_1400ms").arg(fencing ? "fencing" : "nofencing"));
        LockViewLayout layout = LockView::layoutFor(*view.snapshot(), image.rect(), view.font());
        QCOMPARE(layout.cards.size(), std::size_t(1));
        QVERIFY2(textIn(view, layout.cards[0].holderText).contains(QStringLiteral("lk-c2")),
                 qPrintable(textIn(view, layout.cards[0].holderText)));
        QVERIFY2(textIn(view, layout.cards[0].tokenText).contains(QStringLiteral("2")),
                 qPrintable(textIn(view, layout.cards[0].tokenText)));
        QVERIFY(layout.cards[0].conflictMarker.isEmpty());  // nobody has written twice yet
        QVERIFY(!layout.cards[0].leaseText.isEmpty());      // c2's lease is counting down

        // 3 s: c1 has woken up and written. Without fencing that is a lost update, drawn in red.
        bridge.runFor(millis(1600));
        bridge.refresh();
        QCoreApplication::processEvents();
        image = render(view, QSize(1100, 760));
        fixtures::saveArtifact(
            image, QStringLiteral("lock_window_%1_3000ms").arg(fencing ? "fencing" : "nofencing"));
        layout = LockView::layoutFor(*view.snapshot(), image.rect(), view.font());
        const LockCardLayout& card = layout.cards[0];
        if (fencing) {
            QVERIFY(card.conflictMarker.isEmpty());
            QVERIFY(card.badge.isEmpty());
            QCOMPARE(redPixels(image, card.plot), 0);
            QVERIFY(view.drawnTexts().join(' ').contains(QStringLiteral("rejected")));
        } else {
            QVERIFY(!card.conflictMarker.isEmpty());
            QVERIFY(!card.badge.isEmpty());
            QVERIFY2(redPixels(image, card.conflictMarker) > 50, "the conflict marker is drawn in red");
            QVERIFY(redPixels(image, card.badge) > 50);
            // The marker spans the overlap of the two clients' critical sections: from c2's grant to c2's write.
            const auto& r = view.snapshot()->locks.resources.front();
            QCOMPARE(r.conflicts.size(), std::size_t(1));
            QVERIFY(std::abs(card.conflictMarker.left() - card.xForTime(r.conflicts[0].from)) <= 3);
            QVERIFY(std::abs(card.conflictMarker.right() - card.xForTime(r.conflicts[0].to)) <= 3);
            QVERIFY(view.drawnTexts().join(QLatin1Char(' ')).contains(QStringLiteral("updates was lost")));
        }
    }

    // Lock commands typed into the console reach the lab; the view follows.
    void consoleDrivesTheLockLab() {
        SimBridge bridge(builtin("demo"));
        MainWindow window(&bridge, QStringLiteral("en"));
        window.resize(1400, 900);
        window.show();
        bridge.refresh();
        QCoreApplication::processEvents();
        QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget*>(window.ringView()));
        bridge.executeCommand(QStringLiteral("lock acquire lk-c5 R --hold 5000"));
        bridge.runFor(millis(500));
        bridge.refresh();
        QCoreApplication::processEvents();
        QCOMPARE(window.centralTabs()->currentWidget(), static_cast<QWidget*>(window.lockView()));
        const auto snap = window.lockView()->snapshot();
        QVERIFY(snap->locks.active);
        QCOMPARE(snap->locks.resources.size(), std::size_t(1));
        QCOMPARE(snap->locks.resources[0].holder, std::string("lk-c5"));
        QImage image = render(*window.lockView(), QSize(1000, 700));
        const LockViewLayout layout = LockView::layoutFor(*snap, image.rect(), window.lockView()->font());
        QVERIFY(textIn(*window.lockView(), layout.cards[0].holderText).contains(QStringLiteral("lk-c5")));
    }
};

QTEST_MAIN(TestLockLabWindow)
#include "tst_lock_lab_window.moc"
