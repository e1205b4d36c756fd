// The main window end to end, on the offscreen platform: console commands and buttons change the running
// cluster, the keyboard drives the simulation, errors are shown in the console, and the interface speaks
// Chinese when asked.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QThread>
#include <QTimer>
#include <QSlider>
#include <QTest>
#include <QTextBlock>
#include <QTextEdit>

#include "app/language.h"
#include "app/main_window.h"
#include "app/sim_bridge.h"
#include "widgets/console_widget.h"
#include "widgets/control_bar.h"
#include "widgets/lock_view.h"
#include "widgets/queue_lab_panel.h"
#include "widgets/ring_view.h"

using namespace distlab;

namespace {

Scenario demo() {
    auto scenario = loadScenario("demo");
    if (!scenario) qFatal("demo: %s", scenario.error().message.c_str());
    return std::move(scenario).value();
}

const NodeView* findNode(const SnapshotPtr& snap, const std::string& id) {
    for (const auto& n : snap->nodes)
        if (n.id == id) return &n;
    return nullptr;
}

QString consoleText(ConsoleWidget* console) {
    // The output pane is the console's only read-only text widget.
    for (auto* edit : console->findChildren<QPlainTextEdit*>()) return edit->toPlainText();
    for (auto* edit : console->findChildren<QTextEdit*>()) return edit->toPlainText();
    return {};
}

void typeCommand(ConsoleWidget* console, const QString& line) {
    QLineEdit* input = console->findChild<QLineEdit*>();
    QVERIFY(input);
    input->setFocus();
    input->setText(line);
    QTest::keyClick(input, Qt::Key_Return);
}

void saveArtifact(QWidget* widget, const QString& name) {
    QDir().mkpath(QStringLiteral(DISTLAB_ARTIFACTS_DIR));
    widget->grab().save(QStringLiteral(DISTLAB_ARTIFACTS_DIR "/") + name);
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void init() {
        installLanguage(QStringLiteral("en"));
        m_bridge = std::make_unique<SimBridge>(demo());
        m_window = std::make_unique<MainWindow>(m_bridge.get(), QStringLiteral("en"));
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_bridge->runFor(millis(1000));
        m_bridge->refresh();
    }
    void cleanup() {
        m_window.reset();
        m_bridge.reset();
    }

    // A classroom laptop's 1024x700: the window takes the size it is given (its docks and views do not
    // insist on more), whichever lab's view is in front, and the views keep most of the width.
    void fitsA1024x700Screen() {
        for (const char* name : {"demo", "mq-consumer-crash-duplicate", "lock-zk-herd", "txn-3pc-partition"}) {
            auto scenario = loadScenario(name);
            QVERIFY(scenario.ok());
            SimBridge bridge(std::move(scenario).value());
            MainWindow window(&bridge, QStringLiteral("en"));
            window.resize(1024, 700);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            bridge.runFor(millis(2000));
            bridge.refresh();
            for (QWidget* page : {static_cast<QWidget*>(window.ringView()), static_cast<QWidget*>(window.lockView()),
                                  static_cast<QWidget*>(window.queuePanel()), window.timelinePage()}) {
                window.centralTabs()->setCurrentWidget(page);
                QCoreApplication::processEvents();
                QVERIFY2(window.size() == QSize(1024, 700),
                         qPrintable(QStringLiteral("%1: %2x%3").arg(name).arg(window.width()).arg(window.height())));
                QVERIFY2(window.centralTabs()->width() >= 1024 * 6 / 10,
                         qPrintable(QStringLiteral("%1: the views get %2 px").arg(name).arg(window.centralTabs()->width())));
            }
        }
    }

    void consoleCommandKillsANodeAndTheRingShowsIt() {
        typeCommand(m_window->console(), QStringLiteral("node kill n2"));
        const SnapshotPtr snap = m_window->ringView()->snapshot();
        QVERIFY(snap);
        QCOMPARE(findNode(snap, "n2")->status, NodeStatus::Crashed);
        QCOMPARE(findNode(snap, "n2")->keysOwned, std::size_t(0));
        const QString text = consoleText(m_window->console());
        QVERIFY2(text.contains(QStringLiteral("node kill n2")), qPrintable(text));  // the echo
        QVERIFY2(text.contains(QStringLiteral("modulo hashing would move")), qPrintable(text));
        saveArtifact(m_window.get(), QStringLiteral("tst_main_window_kill.png"));
    }

    void putAndGetReportWhatTheClientsGot() {
        typeCommand(m_window->console(), QStringLiteral("put color blue"));
        m_bridge->runFor(millis(800));  // the demo adds a node at 4 s; finish before its handoff
        m_bridge->refresh();
        typeCommand(m_window->console(), QStringLiteral("get color"));
        m_bridge->runFor(millis(800));  // the demo adds a node at 4 s; finish before its handoff
        m_bridge->refresh();
        typeCommand(m_window->console(), QStringLiteral("get no-such-key"));
        m_bridge->runFor(millis(800));  // the demo adds a node at 4 s; finish before its handoff
        m_bridge->refresh();
        const QString text = consoleText(m_window->console());
        QVERIFY2(text.contains(QRegularExpression(QStringLiteral("c\\d: put color = blue, acknowledged as version \\d+@n\\d"))),
                 qPrintable(text));
        QVERIFY2(text.contains(QRegularExpression(QStringLiteral("c\\d: get color → blue \\(version \\d+@n\\d\\)"))),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("get no-such-key → no such key")), qPrintable(text));
    }

    void badCommandIsShownAsAnErrorAndChangesNothing() {
        const auto before = m_window->ringView()->snapshot()->events;
        typeCommand(m_window->console(), QStringLiteral("node kill n42"));
        const QString text = consoleText(m_window->console());
        QVERIFY2(text.contains(QStringLiteral("unknown node 'n42'")), qPrintable(text));
        QCOMPARE(m_window->ringView()->snapshot()->events, before);
    }

    void spaceTogglesPlayAndRightStepsOneEvent() {
        auto* controls = m_window->findChild<ControlBar*>();
        QVERIFY(controls);
        m_window->ringView()->setFocus();
        QVERIFY(!m_bridge->session().playing());
        QTest::keyClick(m_window->ringView(), Qt::Key_Space);
        QVERIFY(m_bridge->session().playing());
        QVERIFY(controls->isRunning());
        QTest::keyClick(m_window->ringView(), Qt::Key_Space);
        QVERIFY(!m_bridge->session().playing());

        const auto before = m_bridge->session().world().eventsProcessed();
        QTest::keyClick(m_window->ringView(), Qt::Key_Right);
        QCOMPARE(m_bridge->session().world().eventsProcessed(), before + 1);
        QCOMPARE(m_window->ringView()->snapshot()->events, before + 1);
        // Left goes back one event: the same run, replayed to the event before.
        QTest::keyClick(m_window->ringView(), Qt::Key_Left);
        QCOMPARE(m_bridge->session().world().eventsProcessed(), before);
        QCOMPARE(m_window->ringView()->snapshot()->events, before);
        QTest::keyClick(m_window->ringView(), Qt::Key_Right);
        QCOMPARE(m_bridge->session().world().eventsProcessed(), before + 1);

        // A focused slider keeps its arrow keys; a focused button keeps Space.
        controls->speedSlider()->setFocus();
        const int position = controls->speedSlider()->value();
        const auto eventsBefore = m_bridge->session().world().eventsProcessed();
        QTest::keyClick(controls->speedSlider(), Qt::Key_Right);
        QCOMPARE(m_bridge->session().world().eventsProcessed(), eventsBefore);
        QVERIFY(controls->speedSlider()->value() > position);

        // While typing in the console, Space is a space, not play.
        QLineEdit* input = m_window->console()->findChild<QLineEdit*>();
        input->setFocus();
        QTest::keyClicks(input, QStringLiteral("node kill"));
        QCOMPARE(input->text(), QStringLiteral("node kill"));
        QVERIFY(!m_bridge->session().playing());
    }

    // Going back in time does not print the schedule's earlier lines a second time.
    void goingBackDoesNotRepeatTheConsole() {
        m_bridge->runFor(millis(9000));  // past the schedule's node add (4 s) and node kill (8 s)
        m_bridge->refresh();
        QCoreApplication::processEvents();
        const QString before = consoleText(m_window->console());
        QCOMPARE(before.count(QStringLiteral("node add n6")), 1);
        m_bridge->executeCommand(QStringLiteral("seek 5000"));
        m_bridge->refresh();
        QCoreApplication::processEvents();
        const QString after = consoleText(m_window->console());
        QCOMPARE(after.count(QStringLiteral("node add n6")), 1);
        QVERIFY(after.contains(QStringLiteral("at 5000.0 ms")));
        QCOMPARE(m_bridge->session().world().now(), millis(5000));
    }

    void buttonsActOnTheSelectedNode() {
        auto* controls = m_window->findChild<ControlBar*>();
        QVERIFY(!controls->killAction()->isEnabled());
        emit m_window->ringView()->nodeSelected(QStringLiteral("n3"));
        QVERIFY(controls->killAction()->isEnabled());
        controls->killAction()->trigger();
        QCOMPARE(findNode(m_window->ringView()->snapshot(), "n3")->status, NodeStatus::Crashed);
        controls->restartAction()->trigger();
        QCOMPARE(findNode(m_window->ringView()->snapshot(), "n3")->status, NodeStatus::Up);
        controls->pauseNodeAction()->trigger();
        QCOMPARE(findNode(m_window->ringView()->snapshot(), "n3")->status, NodeStatus::Paused);

        controls->partitionAction()->trigger();
        QCOMPARE(m_window->ringView()->snapshot()->partitions.groups.size(), std::size_t(2));
        controls->healAction()->trigger();
        QVERIFY(m_window->ringView()->snapshot()->partitions.groups.empty());

        const auto servers = [this] {
            int n = 0;
            for (const auto& node : m_window->ringView()->snapshot()->nodes) n += node.role == NodeRole::Server;
            return n;
        };
        const int before = servers();
        controls->addNodeAction()->trigger();
        QCOMPARE(servers(), before + 1);
        QVERIFY(!m_window->ringView()->snapshot()->movements.empty());
        saveArtifact(m_window.get(), QStringLiteral("tst_main_window_buttons.png"));
    }

    void staysResponsiveAtTopSpeed() {
        // The simulation runs on its own thread at x1000 while the window keeps drawing and answering.
        QThread worker;
        auto* bridge = new SimBridge(demo());
        bridge->moveToThread(&worker);
        worker.start();
        MainWindow window(bridge, QStringLiteral("en"));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        int snapshots = 0;
        SimTime lastSimTime = 0;
        connect(bridge, &SimBridge::snapshotReady, this, [&](SnapshotPtr snap) {
            ++snapshots;
            lastSimTime = snap->now;
        });
        QMetaObject::invokeMethod(bridge, &SimBridge::start, Qt::QueuedConnection);
        QMetaObject::invokeMethod(bridge, [bridge] { bridge->setSpeed(1000); bridge->setPlaying(true); }, Qt::QueuedConnection);

        // The UI thread ticks every 5 ms; the largest gap between ticks is how long the window was deaf.
        QElapsedTimer clock;
        clock.start();
        qint64 lastTick = 0, maxGap = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            maxGap = std::max(maxGap, now - lastTick);
            lastTick = now;
        });
        ticker.start(5);
        QTest::qWait(2000);
        const qint64 elapsedMs = clock.elapsed();
        ticker.stop();
        QMetaObject::invokeMethod(bridge, [bridge] { bridge->setPlaying(false); }, Qt::BlockingQueuedConnection);
        worker.quit();
        worker.wait();
        delete bridge;

        qInfo("x1000 for %lld ms: %d snapshots, %.1f s simulated, longest UI stall %lld ms", elapsedMs, snapshots,
              toMillis(lastSimTime) / 1000.0, maxGap);
        QVERIFY2(snapshots >= 10, "the window received almost no frames");
        // At most 60 frames a second (the bridge's frame timer), with slack for the first and last frame.
        QVERIFY2(snapshots <= elapsedMs * 62 / 1000 + 5, qPrintable(QString::number(snapshots)));
        QVERIFY2(lastSimTime > millis(1000), "simulated time hardly moved at x1000");
    }

    void interfaceSwitchesToChinese() {
        QVERIFY(installLanguage(QStringLiteral("zh_CN")));
        MainWindow chinese(m_bridge.get(), QStringLiteral("zh_CN"));
        chinese.resize(1400, 900);
        chinese.show();
        m_bridge->refresh();
        QStringList menus;
        for (QAction* action : chinese.menuBar()->actions()) menus << action->text();
        QVERIFY2(menus.first().contains(QStringLiteral("文件")), qPrintable(menus.join(QLatin1Char(' '))));
        // No menu title is left in English.
        for (const QString& title : menus) {
            bool hasHan = false;
            for (QChar c : title) hasHan |= c.script() == QChar::Script_Han;
            QVERIFY2(hasHan, qPrintable(title));
        }
        // The core's replies are translated too.
        typeCommand(chinese.console(), QStringLiteral("heal"));
        typeCommand(chinese.console(), QStringLiteral("node kill n42"));
        const QString text = consoleText(chinese.console());
        QVERIFY2(text.contains(QStringLiteral("网络已恢复")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("未知节点“n42”")), qPrintable(text));
        saveArtifact(&chinese, QStringLiteral("tst_main_window_zh_CN.png"));
        installLanguage(QStringLiteral("en"));
    }

private:
    std::unique_ptr<SimBridge> m_bridge;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
