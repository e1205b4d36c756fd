#pragma once
// The control bar: play / pause, step, speed, simulated time, seed, and the fault tools. It emits
// requests and shows state it is told; the main window owns the keyboard shortcuts and the bridge
// carries the requests out.
#include <QToolBar>

class QAction;
class QLabel;
class QSlider;

namespace distlab {

class ControlBar : public QToolBar {
    Q_OBJECT

public:
    static constexpr double kSpeedMin = 0.1;
    static constexpr double kSpeedMax = 1000.0;
    static constexpr int kSliderStepsPerDecade = 100;

    explicit ControlBar(QWidget* parent = nullptr);
    ~ControlBar() override;

    // The speed slider is logarithmic: position p stands for 10^(p / 100 - 1), rounded to two
    // significant digits so that emitted speeds are numbers a person would pick (0.5, 1, 12, 250).
    static double speedForSliderPosition(int position);
    static int sliderPositionForSpeed(double speed);
    static QString speedText(double speed);  // "×10"

    bool isRunning() const;
    double speed() const { return m_speed; }

    QAction* playAction() const { return m_play; }
    QAction* stepAction() const { return m_step; }
    QAction* stepBackAction() const { return m_stepBack; }
    QAction* addNodeAction() const { return m_addNode; }
    QAction* killAction() const { return m_kill; }
    QAction* restartAction() const { return m_restart; }
    QAction* pauseNodeAction() const { return m_pauseNode; }
    QAction* partitionAction() const { return m_partition; }
    QAction* healAction() const { return m_heal; }
    QSlider* speedSlider() const { return m_speedSlider; }
    QLabel* speedLabel() const { return m_speedLabel; }
    QLabel* timeLabel() const { return m_timeLabel; }
    // The time slider, in simulated milliseconds over 0..the furthest point of the run.
    QSlider* timeSlider() const { return m_timeSlider; }
    QLabel* seedLabel() const { return m_seedLabel; }

public slots:
    // The slots show state; none of them emits a signal back.
    void setRunning(bool running);
    void setSpeed(double speed);
    void setTime(qint64 micros);
    // The end of the time slider (Session::furthestTime()).
    void setTimeRange(qint64 furthestMicros);
    void setSeed(quint64 seed);
    // Kill, Restart, Remove and Pause node act on the selected node, so they need one.
    void setNodeActionsEnabled(bool enabled);
    // Real processes run in real time: play, steps, speed, the time slider, the seed and the simulator's
    // own faults (add, remove, pause a node) do not apply, and are disabled until the simulator is back.
    void setNetworked(bool networked);
    bool isNetworked() const { return m_networked; }

signals:
    void playToggled(bool running);
    void stepRequested();
    void stepBackRequested();
    void speedChanged(double speed);
    // The time slider was let go (or clicked beside its handle): go to this simulated time.
    void seekRequested(qint64 micros);
    void addNodeRequested();
    void killRequested();
    void restartRequested();
    void removeRequested();
    void pauseNodeRequested();
    void partitionRequested();
    void healRequested();

private:
    void updatePlayAction();
    void onSliderMoved(int position);
    void showTimeText(qint64 micros, bool preview);

    bool m_networked = false;
    bool m_nodeActions = false;
    QAction* m_play = nullptr;
    QAction* m_step = nullptr;
    QAction* m_stepBack = nullptr;
    QAction* m_addNode = nullptr;
    QAction* m_kill = nullptr;
    QAction* m_restart = nullptr;
    QAction* m_removeNode = nullptr;
    QAction* m_pauseNode = nullptr;
    QAction* m_partition = nullptr;
    QAction* m_heal = nullptr;
    QSlider* m_speedSlider = nullptr;
    QLabel* m_speedLabel = nullptr;
    QLabel* m_timeLabel = nullptr;
    QSlider* m_timeSlider = nullptr;
    qint64 m_time = 0;
    QLabel* m_seedLabel = nullptr;
    double m_speed = 1.0;
};

}  // namespace distlab
