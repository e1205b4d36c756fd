// The control bar: logarithmic speed, play / pause, node actions and the requests it emits.
#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

#include "fixtures.h"
#include "widgets/control_bar.h"

using distlab::ControlBar;

class TestControlBar : public QObject {
    Q_OBJECT

private slots:
    void speedScaleIsLogarithmic_data();
    void speedScaleIsLogarithmic();
    void movingTheSliderEmitsTheSpeed();
    void setSpeedDoesNotEmit();
    void playToggles();
    void setRunningDoesNotEmit();
    void nodeActionsNeedASelectedNode();
    void actionsEmitTheirRequests_data();
    void actionsEmitTheirRequests();
    void showsTimeAndSeed();
    void timeSliderSeeksOnRelease();
    void tooltipsNameTheShortcuts();
    void screenshot();
};

void TestControlBar::speedScaleIsLogarithmic_data() {
    QTest::addColumn<int>("position");
    QTest::addColumn<double>("speed");
    QTest::addColumn<QString>("text");
    QTest::newRow("left end") << 0 << 0.1 << QStringLiteral("×0.1");
    QTest::newRow("real time") << 100 << 1.0 << QStringLiteral("×1");
    QTest::newRow("half a decade") << 150 << 3.2 << QStringLiteral("×3.2");
    QTest::newRow("ten") << 200 << 10.0 << QStringLiteral("×10");
    QTest::newRow("hundred") << 300 << 100.0 << QStringLiteral("×100");
    QTest::newRow("right end") << 400 << 1000.0 << QStringLiteral("×1000");
}

void TestControlBar::speedScaleIsLogarithmic() {
    QFETCH(int, position);
    QFETCH(double, speed);
    QFETCH(QString, text);
    QVERIFY(std::abs(ControlBar::speedForSliderPosition(position) - speed) < 1e-9);
    QCOMPARE(ControlBar::sliderPositionForSpeed(speed), position == 150 ? 151 : position);
    QCOMPARE(ControlBar::speedText(speed), text);
}

void TestControlBar::movingTheSliderEmitsTheSpeed() {
    ControlBar bar;
    QSignalSpy spy(&bar, &ControlBar::speedChanged);
    bar.speedSlider()->setValue(200);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toDouble(), 10.0);
    QCOMPARE(bar.speedLabel()->text(), QStringLiteral("×10"));
    QCOMPARE(bar.speed(), 10.0);
}

void TestControlBar::setSpeedDoesNotEmit() {
    ControlBar bar;
    QSignalSpy spy(&bar, &ControlBar::speedChanged);
    bar.setSpeed(100);
    QCOMPARE(spy.count(), 0);
    QCOMPARE(bar.speedSlider()->value(), 300);
    QCOMPARE(bar.speedLabel()->text(), QStringLiteral("×100"));
    bar.setSpeed(5000);  // clamped to the scale
    QCOMPARE(bar.speed(), 1000.0);
}

void TestControlBar::playToggles() {
    ControlBar bar;
    QSignalSpy spy(&bar, &ControlBar::playToggled);
    QVERIFY(!bar.isRunning());
    QCOMPARE(bar.playAction()->text(), QStringLiteral("Play"));
    bar.playAction()->trigger();
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toBool(), true);
    QCOMPARE(bar.playAction()->text(), QStringLiteral("Pause"));
    bar.playAction()->trigger();
    QCOMPARE(spy.at(1).at(0).toBool(), false);
}

void TestControlBar::setRunningDoesNotEmit() {
    ControlBar bar;
    QSignalSpy spy(&bar, &ControlBar::playToggled);
    bar.setRunning(true);
    QVERIFY(bar.isRunning());
    QCOMPARE(bar.playAction()->text(), QStringLiteral("Pause"));
    QCOMPARE(spy.count(), 0);
}

void TestControlBar::nodeActionsNeedASelectedNode() {
    ControlBar bar;
    for (QAction* action : {bar.killAction(), bar.restartAction(), bar.pauseNodeAction()}) {
        QVERIFY(!action->isEnabled());
    }
    QVERIFY(bar.addNodeAction()->isEnabled() && bar.partitionAction()->isEnabled() &&
            bar.healAction()->isEnabled());
    bar.setNodeActionsEnabled(true);
    for (QAction* action : {bar.killAction(), bar.restartAction(), bar.pauseNodeAction()}) {
        QVERIFY(action->isEnabled());
    }
}

void TestControlBar::actionsEmitTheirRequests_data() {
    QTest::addColumn<QString>("action");
    QTest::addColumn<QByteArray>("signal");
    QTest::newRow("step") << QStringLiteral("step") << QByteArray(SIGNAL(stepRequested()));
    QTest::newRow("step back") << QStringLiteral("back") << QByteArray(SIGNAL(stepBackRequested()));
    QTest::newRow("add node") << QStringLiteral("add") << QByteArray(SIGNAL(addNodeRequested()));
    QTest::newRow("kill") << QStringLiteral("kill") << QByteArray(SIGNAL(killRequested()));
    QTest::newRow("restart") << QStringLiteral("restart") << QByteArray(SIGNAL(restartRequested()));
    QTest::newRow("pause node") << QStringLiteral("pause") << QByteArray(SIGNAL(pauseNodeRequested()));
    QTest::newRow("partition") << QStringLiteral("partition") << QByteArray(SIGNAL(partitionRequested()));
    QTest::newRow("heal") << QStringLiteral("heal") << QByteArray(SIGNAL(healRequested()));
}

void TestControlBar::actionsEmitTheirRequests() {
    QFETCH(QString, action);
    QFETCH(QByteArray, signal);
    ControlBar bar;
    bar.setNodeActionsEnabled(true);
    const QMap<QString, QAction*> actions = {
        {QStringLiteral("step"), bar.stepAction()},
        {QStringLiteral("back"), bar.stepBackAction()},
        {QStringLiteral("add"), bar.addNodeAction()},
        {QStringLiteral("kill"), bar.killAction()},
        {QStringLiteral("restart"), bar.restartAction()},
        {QStringLiteral("pause"), bar.pauseNodeAction()},
        {QStringLiteral("partition"), bar.partitionAction()},
        {QStringLiteral("heal"), bar.healAction()},
    };
    QSignalSpy spy(&bar, signal.constData());
    actions.value(action)->trigger();
    QCOMPARE(spy.count(), 1);
}

void TestControlBar::showsTimeAndSeed() {
    ControlBar bar;
    bar.setTime(12345);
    bar.setSeed(42);
    QCOMPARE(bar.timeLabel()->text(), QStringLiteral("t = 12.3 ms"));
    QCOMPARE(bar.seedLabel()->text(), QStringLiteral("seed 42"));
    bar.setTime(2500000);
    QCOMPARE(bar.timeLabel()->text(), QStringLiteral("t = 2.500 s"));
}

// The slider spans 0..the furthest point of the run; it follows the time it is shown, previews the time
// under the handle while dragged, and asks for a seek only when let go.
void TestControlBar::timeSliderSeeksOnRelease() {
    ControlBar bar;
    QSignalSpy seeks(&bar, &ControlBar::seekRequested);
    bar.setTimeRange(3'000'000);
    bar.setTime(2'500'000);
    QSlider* slider = bar.timeSlider();
    QCOMPARE(slider->maximum(), 3000);
    QCOMPARE(slider->value(), 2500);
    QCOMPARE(slider->focusPolicy(), Qt::NoFocus);  // Left and Right stay with the window's stepping
    QCOMPARE(seeks.count(), 0);
    slider->setSliderDown(true);
    slider->setSliderPosition(800);
    emit slider->sliderMoved(800);
    QCOMPARE(bar.timeLabel()->text(), QStringLiteral("→ 800.0 ms"));
    bar.setTime(2'600'000);  // the run goes on while the handle is held: the handle stays put
    QCOMPARE(slider->value(), 800);
    QCOMPARE(seeks.count(), 0);
    slider->setSliderDown(false);
    QCOMPARE(seeks.count(), 1);
    QCOMPARE(seeks.first().first().toLongLong(), 800'000);
    QCOMPARE(bar.timeLabel()->text(), QStringLiteral("t = 2.600 s"));
}

void TestControlBar::tooltipsNameTheShortcuts() {
    ControlBar bar;
    QVERIFY(bar.playAction()->toolTip().contains(QStringLiteral("(Space)")));
    QVERIFY(bar.stepAction()->toolTip().contains(QStringLiteral("(Right)")));
    QVERIFY(bar.stepBackAction()->toolTip().contains(QStringLiteral("(Left)")));
    QVERIFY(bar.playAction()->shortcut().isEmpty());  // shortcuts belong to the main window
}

void TestControlBar::screenshot() {
    ControlBar bar;
    bar.setSpeed(10);
    bar.setTime(1234567);
    bar.setSeed(20240917);
    bar.setRunning(true);
    bar.setNodeActionsEnabled(true);
    bar.resize(bar.sizeHint());
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    fixtures::saveArtifact(bar.grab().toImage(), QStringLiteral("tst_control_bar"));
}

QTEST_MAIN(TestControlBar)
#include "tst_control_bar.moc"
