#pragma once
// The only place where Qt and the core meet. The bridge owns a Session on a worker thread, turns console
// commands into core calls, advances simulated time at the chosen speed in short slices, and publishes
// read-only snapshots at most 60 times a second.
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <memory>

#include "core/scenario/session.h"
#include "core/scenario/snapshot.h"

class QTimer;

namespace distlab {

using SnapshotPtr = std::shared_ptr<const ClusterSnapshot>;

class SimBridge : public QObject {
    Q_OBJECT
public:
    static constexpr int kFrameMs = 16;            // at most ~60 snapshots a second
    static constexpr int kSliceBudgetMs = 12;      // work per frame on the worker thread (its own core)
    static constexpr int kEventsPerCheck = 100;    // events between two looks at the budget

    explicit SimBridge(Scenario scenario, QObject* parent = nullptr);
    ~SimBridge() override;

    // Synchronous use before the bridge moves to its thread (screenshots, tests).
    void runFor(SimTime duration);
    SnapshotPtr currentSnapshot() const;
    const Session& session() const { return *m_session; }

public slots:
    void start();  // starts the frame timer on the current thread
    void executeCommand(const QString& line);
    void setPlaying(bool playing);
    void setSpeed(double speed);
    void step();
    void stepBack();  // one event back: the run is rebuilt and replayed (deterministic time travel)
    void loadScenario(const QString& nameOrPath);
    void refresh();  // publishes a snapshot (and pending console lines) now

signals:
    void snapshotReady(distlab::SnapshotPtr snapshot);
    void commandEcho(const QString& line);
    void commandOutput(const QString& text);
    void commandError(const QString& message, const QString& hint);
    void scenarioLoaded(const QString& name, quint64 seed);
    void playingChanged(bool playing);
    void speedChangedTo(double speed);

private:
    void tick();
    void publish();
    void forwardScheduleLog();  // lines written by scheduled commands go to the console
    void forwardConsoleResults();  // what the clients did with the console's put/get

    std::unique_ptr<Session> m_session;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_clock;  // real time between frames, to pace simulated time; never enters the core
    qint64 m_lastTickNs = 0;
    bool m_dirty = true;
    std::size_t m_scheduleLogShown = 0;
    std::uint64_t m_resultsShown = 0;
};

}  // namespace distlab

Q_DECLARE_METATYPE(distlab::SnapshotPtr)
