#pragma once
// The main window: the ring in the centre, the inspector and load chart docked on the right, the lab
// console at the bottom and the control bar on top. It draws snapshots from the bridge and sends every
// user action to the bridge as a console command, so the mouse and the console do the same things.
#include <QMainWindow>
#include <QPointer>

#include "app/sim_bridge.h"

class QActionGroup;
class QDockWidget;
class QTabWidget;
class QLabel;
class QMenu;

namespace distlab {

class ConsoleWidget;
class ControlBar;
class Inspector;
class LoadChart;
class LockView;
class RingView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(SimBridge* bridge, const QString& language, QWidget* parent = nullptr);
    ~MainWindow() override;

    RingView* ringView() const { return m_ring; }
    LockView* lockView() const { return m_locks; }
    // The centre shows the ring or the locks; a lock scenario brings the locks to the front.
    QTabWidget* centralTabs() const { return m_tabs; }
    ConsoleWidget* console() const { return m_console; }
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

protected:
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void buildActions(const QString& language);
    void buildDocks();
    void connectBridge();
    void runOnSelected(const QString& verb, const QString& suffix = QString());
    void partitionInTwo();
    void openScenario();
    void exportTrace();
    void saveScreenshot();
    void showAbout();
    void onScenarioLoaded(const QString& name, quint64 seed);
    void setSelectedNode(const QString& id);

    QPointer<SimBridge> m_bridge;
    RingView* m_ring = nullptr;
    LockView* m_locks = nullptr;
    QTabWidget* m_tabs = nullptr;
    QDockWidget* m_chartDock = nullptr;
    bool m_locksActive = false;  // the last snapshot had a lock lab
    Inspector* m_inspector = nullptr;
    LoadChart* m_chart = nullptr;
    ConsoleWidget* m_console = nullptr;
    ControlBar* m_controls = nullptr;
    QLabel* m_statusLabel = nullptr;
    QString m_selected;
    SnapshotPtr m_snapshot;
};

}  // namespace distlab
