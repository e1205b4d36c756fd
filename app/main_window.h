#pragma once
// The main window: the ring in the centre, the inspector and load chart docked on the right, the lab
// console at the bottom and the control bar on top. It draws snapshots from the bridge and sends every
// user action to the bridge as a console command, so the mouse and the console do the same things.
#include <QMainWindow>
#include <QPointer>

#include "app/net_bridge.h"
#include "app/sim_bridge.h"

class QAction;
class QActionGroup;
class QDockWidget;
class QTabWidget;
class QLabel;
class QMenu;

namespace distlab {

class ChecksPanel;
class ConsoleWidget;
class ControlBar;
class CounterPanel;
class Inspector;
class LoadChart;
class LockView;
class QueueLabPanel;
class RingView;
class TimelineView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `net` carries networked mode across window rebuilds; without one the window makes its own.
    explicit MainWindow(SimBridge* bridge, const QString& language, NetBridge* net = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    RingView* ringView() const { return m_ring; }
    LockView* lockView() const { return m_locks; }
    // The Queues tab: the queue view above the rates chart.
    QueueLabPanel* queuePanel() const { return m_queues; }
    CounterPanel* counterPanel() const { return m_counter; }
    TimelineView* timelineView() const { return m_timeline; }
    // The Timeline tab: the view with its strip of buttons.
    QWidget* timelinePage() const { return m_timelinePage; }
    ControlBar* controlBar() const { return m_controls; }
    Inspector* inspector() const { return m_inspector; }
    ChecksPanel* checksPanel() const { return m_checks; }
    QDockWidget* checksDock() const { return m_checksDock; }
    // The centre shows the ring, the locks, the timeline or the queues; a lab's scenario brings its own view
    // to the front.
    QTabWidget* centralTabs() const { return m_tabs; }
    QString selectedNode() const { return m_selected; }
    // Writes the timeline shown in the Timeline tab to `path` (.svg or .png): the whole run, or only the
    // window in view. Returns false (with a message) on failure.
    bool exportTimelineTo(const QString& path, bool visibleWindowOnly, QString* error = nullptr);
    ConsoleWidget* console() const { return m_console; }
    NetBridge* netBridge() const { return m_net; }
    // Networked mode: the views show real processes (Cluster > Launch local cluster) instead of the simulator.
    bool networked() const { return m_net && m_net->active(); }
    // Launches the scenario the window shows as local processes; false (with the reason in the console) on failure.
    bool launchLocalCluster();
    void stopCluster();
    // Shows a snapshot at once (the bridge's signal does the same, through the event loop).
    void showSnapshot(SnapshotPtr snapshot);

signals:
    void languageRequested(const QString& language);  // "en" or "zh_CN"
    // Requests for the bridge (queued across threads).
    void commandRequested(const QString& line);
    void playRequested(bool playing);
    void speedRequested(double speed);
    void stepRequested();
    void stepBackRequested();
    void scenarioRequested(const QString& nameOrPath);
    void seekRequested(qint64 micros);       // to the microsecond (jump to the selected event)
    void timelineWanted(bool visible);       // the Timeline tab is shown or hidden

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildActions(const QString& language);
    void buildDocks();
    void connectBridge();
    void runOnSelected(const QString& verb, const QString& suffix = QString());
    void partitionInTwo();
    void openScenario();
    void exportTrace();
    void exportTimeline();
    void jumpToSelectedEvent();
    void showTimelineSelection();  // a message or event picked on the timeline, in the status bar
    QWidget* buildTimelinePage();
    void saveScreenshot();
    void showAbout();
    void onScenarioLoaded(const QString& name, quint64 seed);
    void setSelectedNode(const QString& id);
    // A verdict of the checks panel was activated: select its first node, mark its moment on the timeline.
    void showEvidence(const CheckResult& check);

    void connectNet();
    void updateClusterActions();

    QPointer<SimBridge> m_bridge;
    QPointer<NetBridge> m_net;
    QAction* m_launchCluster = nullptr;
    QAction* m_stopCluster = nullptr;
    QList<QAction*> m_simulatorActions;  // play, steps, add node: off while real processes are shown
    RingView* m_ring = nullptr;
    LockView* m_locks = nullptr;
    QueueLabPanel* m_queues = nullptr;
    CounterPanel* m_counter = nullptr;
    TimelineView* m_timeline = nullptr;
    QWidget* m_timelinePage = nullptr;
    QAction* m_jumpToEvent = nullptr;
    QTabWidget* m_tabs = nullptr;
    QDockWidget* m_chartDock = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    bool m_fitDocksOnShow = false;  // no saved layout: share the width out once the window has its size
    bool m_locksActive = false;  // the last snapshot had a lock lab
    bool m_txnActive = false;    // ... the transaction lab
    bool m_mqActive = false;     // ... the queue lab
    bool m_counterActive = false;  // ... the counter lab
    bool m_ringServers = true;   // ... servers on the ring
    Inspector* m_inspector = nullptr;
    ChecksPanel* m_checks = nullptr;
    QDockWidget* m_checksDock = nullptr;
    LoadChart* m_chart = nullptr;
    ConsoleWidget* m_console = nullptr;
    ControlBar* m_controls = nullptr;
    QLabel* m_statusLabel = nullptr;
    QString m_selected;
    SnapshotPtr m_snapshot;
};

}  // namespace distlab
