#pragma once
// The only place where Qt and the core meet. The bridge owns a Session on a worker thread, turns console
// commands into core calls, advances simulated time at the chosen speed in short slices, and publishes
// read-only snapshots at most 60 times a second.
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <memory>

#include "core/session/session.h"
#include "core/session/snapshot.h"
#include "core/session/timeline.h"

class QTimer;

namespace distlab {

using SnapshotPtr = std::shared_ptr<const ClusterSnapshot>;
using TimelinePtr = std::shared_ptr<const TimelineData>;

class SimBridge : public QObject {
    Q_OBJECT
public:
    static constexpr int kFrameMs = 16;            // at most ~60 snapshots a second
    static constexpr int kSliceBudgetMs = 12;      // work per frame on the worker thread (its own core)
    static constexpr int kEventsPerCheck = 100;    // events between two looks at the budget
    // The timeline is built incrementally on this thread, but handing it to the UI copies it (tens of MB
    // for a million events). So it is published only while a view shows it, at most every
    // kTimelinePublishMs, and never more often than kTimelineCopyShareMax of the time goes to copying.
    // Measured (flaky-network, 1.1 million events, 280k messages): the copy takes 7-11 ms, the
    // incremental update 0.2 ms per frame; so a copying frame shortens its simulation slice by the
    // last copy's duration to stay within kFrameMs.
    static constexpr int kTimelinePublishMs = 250;
    static constexpr double kTimelineCopyShareMax = 0.1;
    // The checks read the whole history, so the worker evaluates them live at most every kChecksEveryMs of
    // real time (about four times a second), never for more than kChecksShareMax of its time (a long run's
    // checks back off), and only when the trace changed since the last verdicts. A seek, a step or a
    // command evaluates them at once, so the panel agrees with the moment shown.
    static constexpr int kChecksEveryMs = 250;
    static constexpr double kChecksShareMax = 0.1;

    explicit SimBridge(Scenario scenario, QObject* parent = nullptr);
    ~SimBridge() override;

    // Synchronous use before the bridge moves to its thread (screenshots, tests).
    void runFor(SimTime duration);
    SnapshotPtr currentSnapshot() const;
    const Session& session() const { return *m_session; }
    // The worker's live timeline (read it on the bridge's thread only).
    TimelinePtr liveTimeline() const { return m_timeline.data(); }
    // How long the last timeline copy took, in milliseconds (for the publishing rate).
    double lastTimelineCopyMs() const { return m_timelineCopyMs; }
    // How many times the checks were evaluated, and how long the last evaluation took (milliseconds).
    std::uint64_t checkEvaluations() const { return m_checkEvaluations; }
    double lastChecksMs() const { return m_checksMs; }

public slots:
    void start();  // starts the frame timer on the current thread
    void executeCommand(const QString& line);
    void setPlaying(bool playing);
    void setSpeed(double speed);
    void step();
    void stepBack();  // one event back: the run is rebuilt and replayed (deterministic time travel)
    void loadScenario(const QString& nameOrPath);
    void refresh();  // publishes a snapshot, the timeline (and pending console lines) now
    // Moves the run to simulated time `micros` (earlier: rebuilt and replayed), as `seek` does but
    // to the microsecond.
    void seekToTime(qint64 micros);
    // Whether a timeline view is showing: only then is the timeline copied and published.
    void setTimelineWanted(bool wanted);

signals:
    void snapshotReady(distlab::SnapshotPtr snapshot);
    void commandEcho(const QString& line);
    void commandOutput(const QString& text);
    void commandError(const QString& message, const QString& hint);
    void scenarioLoaded(const QString& name, quint64 seed);
    void playingChanged(bool playing);
    void speedChangedTo(double speed);
    void timelineReady(distlab::TimelinePtr timeline);
    // The end of the time slider: the furthest point of the current future (Session::furthestTime()).
    void furthestTimeChanged(qint64 micros);

private:
    void tick();
    void publish();
    void forwardScheduleLog();  // lines written by scheduled commands go to the console
    void forwardConsoleResults();  // what the clients did with the console's put/get
    bool updateTimeline();         // reads the new trace events; starts over when the run was rebuilt
    bool timelineDue() const;  // a view wants the timeline and its publishing interval has passed
    void publishTimeline(bool force);
    // Re-evaluates the checks when the trace changed and (unless forced) their interval has passed.
    void updateChecks(bool force);

    std::unique_ptr<Session> m_session;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_clock;  // real time between frames, to pace simulated time; never enters the core
    qint64 m_lastTickNs = 0;
    bool m_dirty = true;
    std::size_t m_scheduleLogShown = 0;
    std::uint64_t m_resultsShown = 0;
    TimelineBuilder m_timeline;
    const World* m_timelineWorld = nullptr;  // the world the builder reads (a new seed builds a new one)
    std::uint64_t m_timelineDrops = 0;       // the trace's futuresDropped() when the builder started
    SimTime m_timelineLastTime = 0;          // time of the last event read, to notice a replaced run
    bool m_timelineWanted = false;
    bool m_timelineStale = true;             // the builder has read events the UI has not seen
    QElapsedTimer m_timelineSince;           // since the last timeline publication
    double m_timelineCopyMs = 0;
    qint64 m_furthestShown = -1;
    // The last verdicts and the history they judged (world, trace length, dropped futures, time).
    std::vector<CheckResult> m_checks;
    bool m_checksEvaluated = false;
    SimTime m_checksAt = 0;
    std::uint64_t m_checksEvents = 0;
    const World* m_checksWorld = nullptr;
    std::uint64_t m_checksDrops = 0;
    QElapsedTimer m_checksSince;
    double m_checksMs = 0;
    std::uint64_t m_checkEvaluations = 0;
};

}  // namespace distlab

Q_DECLARE_METATYPE(distlab::SnapshotPtr)
Q_DECLARE_METATYPE(distlab::TimelinePtr)
