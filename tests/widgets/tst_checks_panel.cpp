// The checks panel over real runs: txn-3pc-partition (3PC splits under a partition: atomicity fails) and
// lock-zk-herd (watching the directory wakes every waiter: wakeups-per-release fails). The panel shows
// the failing verdict in red, in words and with its explanation; Enter on it selects the node it names in
// every view and marks its moment on the timeline; in Chinese the titles, verdicts and texts are Chinese.
// It drives the whole window through the bridge, so it links the app library (which carries the
// translations) rather than the views alone.
#include <QApplication>
#include <QDockWidget>
#include <QHeaderView>
#include <QImage>
#include <QTest>
#include <QScrollBar>
#include <QTreeWidget>

#include <cmath>
#include <memory>

#include "app/language.h"
#include "app/main_window.h"
#include "app/sim_bridge.h"
#include "widgets/checks_panel.h"
#include "widgets/inspector.h"
#include "widgets/lock_view.h"
#include "widgets/palette.h"
#include "widgets/timeline_view.h"

using namespace distlab;

namespace {

bool hasHan(const QString& text) {
    for (QChar c : text)
        if (c.script() == QChar::Script_Han) return true;
    return false;
}

// How many pixels of `image` inside `rect` are close to `color`.
int pixelsNear(const QImage& image, const QRect& rect, const QColor& color) {
    int count = 0;
    const QRect clipped = rect.intersected(image.rect());
    for (int y = clipped.top(); y <= clipped.bottom(); ++y)
        for (int x = clipped.left(); x <= clipped.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - color.red()) < 40 && std::abs(c.green() - color.green()) < 40 &&
                std::abs(c.blue() - color.blue()) < 40)
                ++count;
        }
    return count;
}

struct Run {
    std::unique_ptr<SimBridge> bridge;
    std::unique_ptr<MainWindow> window;
};

Run openRun(const char* scenario, SimTime runFor, const QString& language) {
    Run run;
    auto loaded = loadScenario(scenario);
    if (!loaded) qFatal("cannot load %s", scenario);
    run.bridge = std::make_unique<SimBridge>(std::move(loaded).value());
    run.bridge->runFor(runFor);
    run.window = std::make_unique<MainWindow>(run.bridge.get(), language);
    run.window->resize(1600, 1000);
    run.window->show();
    run.bridge->refresh();
    QCoreApplication::processEvents();
    return run;
}

const CheckResult* findCheck(const ChecksPanel& panel, const std::string& name) {
    for (const CheckResult& check : panel.checks())
        if (check.name == name) return &check;
    return nullptr;
}

}  // namespace

class TestChecksPanel : public QObject {
    Q_OBJECT
private slots:
    void init() { QVERIFY(installLanguage(QStringLiteral("en"))); }

    void failingCheckIsRedWithItsEvidence_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("runMs");
        QTest::addColumn<QString>("lab");
        QTest::addColumn<QString>("check");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("phrase");  // in the explanation
        QTest::addColumn<QString>("node");    // the evidence's first node
        QTest::newRow("3pc: a partition splits the decision -> atomicity fails, tx-q2 aborted")
            << "txn-3pc-partition" << 8000 << "txn"
            << "atomicity"
            << "Atomicity"
            << "but tx-q2 decided abort at 710.0 ms"
            << "tx-q2";
        QTest::newRow("zk: watching the directory -> a herd wakes on lk-c1's release")
            << "lock-zk-herd" << 10000 << "lock"
            << "wakeups-per-release"
            << "One wakeup per release"
            << "the herd effect"
            << "lk-c1";
    }
    void failingCheckIsRedWithItsEvidence() {
        QFETCH(QString, scenario);
        QFETCH(int, runMs);
        QFETCH(QString, lab);
        QFETCH(QString, check);
        QFETCH(QString, title);
        QFETCH(QString, phrase);
        QFETCH(QString, node);
        Run run = openRun(scenario.toUtf8().constData(), millis(runMs), QStringLiteral("en"));
        ChecksPanel* panel = run.window->checksPanel();
        QVERIFY(run.window->checksDock()->isVisible());
        QTreeWidget* list = panel->list();
        QTreeWidgetItem* item = panel->itemFor(lab.toStdString(), check.toStdString());
        QVERIFY2(item, qPrintable(panel->summaryText()));
        const CheckResult* verdict = findCheck(*panel, check.toStdString());
        QVERIFY(verdict && !verdict->ok);
        QCOMPARE(verdict->nodes.front(), node.toStdString());
        QVERIFY(verdict->at > 0);

        // Colour and words: a red "fails" with a mark, the title, and the explanation in full.
        QCOMPARE(item->text(0), QStringLiteral("✗ fails"));
        QCOMPARE(item->foreground(0).color(), faultColor());
        QCOMPARE(item->text(1), title);
        QVERIFY2(item->text(2).contains(phrase), qPrintable(item->text(2)));
        QVERIFY2(panel->summaryText().contains(QStringLiteral("fail")), qPrintable(panel->summaryText()));
        // The passing verdicts say so in green.
        int holds = 0;
        for (const CheckResult& other : panel->checks()) {
            if (!other.ok) continue;
            QTreeWidgetItem* passing = panel->itemFor(other.lab, other.name);
            QVERIFY(passing);
            QCOMPARE(passing->text(0), QStringLiteral("✓ holds"));
            QVERIFY(passing->foreground(0).color() != faultColor());
            ++holds;
        }
        QVERIFY(holds >= 2);

        // What is drawn: red ink in the verdict cell, and a row tall enough for the wrapped explanation.
        list->scrollToItem(item);
        QCoreApplication::processEvents();
        const QImage image = list->viewport()->grab().toImage();
        const QRect verdictCell = list->visualItemRect(item).intersected(
            QRect(list->header()->sectionPosition(0), 0, list->header()->sectionSize(0), image.height()));
        QVERIFY2(pixelsNear(image, verdictCell, faultColor()) > 20, "no red ink in the verdict cell");
        QVERIFY2(list->visualItemRect(item).height() > 3 * list->fontMetrics().height(),
                 "the explanation is not word-wrapped");
        run.window->grab().save(QStringLiteral(DISTLAB_ARTIFACTS_DIR "/tst_checks_panel_") + scenario +
                                QStringLiteral(".png"));

        // Enter on the verdict selects its node everywhere and marks its moment on the timeline.
        QVERIFY(run.window->selectedNode().isEmpty());
        list->setFocus();
        list->setCurrentItem(item);
        QTest::keyClick(list, Qt::Key_Return);
        QCOMPARE(run.window->selectedNode(), node);
        QCOMPARE(run.window->inspector()->selectedNode(), node);
        QCOMPARE(run.window->lockView()->selectedNode(), node);
        QCOMPARE(run.window->timelineView()->markedTime(), verdict->at);
    }

    void viewMenuShortcutTogglesTheDock() {
        Run run = openRun("txn-3pc-partition", millis(8000), QStringLiteral("en"));
        QDockWidget* dock = run.window->checksDock();
        QVERIFY(dock->isVisible());
        QCOMPARE(dock->toggleViewAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+K")));
        dock->toggleViewAction()->trigger();
        QVERIFY(!dock->isVisible());
        dock->toggleViewAction()->trigger();
        QVERIFY(dock->isVisible());
        QTRY_VERIFY(run.window->checksPanel()->list()->hasFocus());
    }

    void aFailingVerdictComesIntoViewOnASmallScreen() {
        // lock-zk-herd's failing check is the last of four; at 1024x700 in Chinese (the tallest rows) it sits
        // below the dock's fold unless the panel brings it into view and makes it current.
        QVERIFY(installLanguage(QStringLiteral("zh_CN")));
        auto loaded = loadScenario("lock-zk-herd");
        QVERIFY(loaded.ok());
        SimBridge bridge(std::move(loaded).value());
        bridge.runFor(millis(10000));
        MainWindow window(&bridge, QStringLiteral("zh_CN"));
        window.resize(1024, 700);
        window.show();
        bridge.refresh();
        QCoreApplication::processEvents();
        QTreeWidget* list = window.checksPanel()->list();
        QTreeWidgetItem* item = window.checksPanel()->itemFor("lock", "wakeups-per-release");
        QVERIFY(item);
        QCOMPARE(list->currentItem(), item);
        const QRect rect = list->visualItemRect(item);
        QVERIFY2(rect.height() <= list->viewport()->height(), "the dock is too small for one verdict");
        QVERIFY2(list->viewport()->rect().contains(rect),
                 qPrintable(QStringLiteral("the failing verdict at y %1..%2 is outside the list's %3 px")
                                .arg(rect.top())
                                .arg(rect.bottom())
                                .arg(list->viewport()->height())));
        // The holding verdicts above it are still there, a scroll away.
        QVERIFY(list->verticalScrollBar()->maximum() > 0);
    }

    void liveChecksSkipAnUnchangedHistory() {
        Run run = openRun("txn-3pc-partition", millis(1000), QStringLiteral("en"));
        const std::uint64_t before = run.bridge->checkEvaluations();
        QVERIFY(before >= 1);
        run.bridge->refresh();
        run.bridge->refresh();
        QCOMPARE(run.bridge->checkEvaluations(), before);  // the trace did not change: nothing to re-check
        run.bridge->step();                                // paused: a step re-checks at once
        QCOMPARE(run.bridge->checkEvaluations(), before + 1);
        QCOMPARE(run.window->checksPanel()->checks().size(), std::size_t(3));
    }

    void chineseTexts() {
        QVERIFY(installLanguage(QStringLiteral("zh_CN")));
        for (const auto& [scenario, runMs, check] :
             {std::tuple{"txn-3pc-partition", 8000, "atomicity"},
              std::tuple{"lock-zk-herd", 10000, "wakeups-per-release"}}) {
            Run run = openRun(scenario, millis(runMs), QStringLiteral("zh_CN"));
            ChecksPanel* panel = run.window->checksPanel();
            QVERIFY(!panel->checks().empty());
            for (const CheckResult& verdict : panel->checks()) {
                QTreeWidgetItem* item = panel->itemFor(verdict.lab, verdict.name);
                QVERIFY(item);
                QCOMPARE(item->text(0), verdict.ok ? QStringLiteral("✓ 成立") : QStringLiteral("✗ 失败"));
                QVERIFY2(hasHan(item->text(1)), qPrintable(item->text(1)));
                QVERIFY2(hasHan(item->text(2)), qPrintable(item->text(2)));
            }
            QCOMPARE(panel->itemFor(findCheck(*panel, check)->lab, check)->text(1),
                     std::string(check) == "atomicity" ? QStringLiteral("原子性")
                                                       : QStringLiteral("每次释放只唤醒一个"));
            QVERIFY2(hasHan(panel->summaryText()), qPrintable(panel->summaryText()));
            run.window->grab().save(QStringLiteral(DISTLAB_ARTIFACTS_DIR "/tst_checks_panel_zh_CN_") +
                                    scenario + QStringLiteral(".png"));
        }
        installLanguage(QStringLiteral("en"));
    }
};

QTEST_MAIN(TestChecksPanel)
#include "tst_checks_panel.moc"
