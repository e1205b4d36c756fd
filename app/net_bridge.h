#pragma once
// Networked mode: the scenario's nodes as distlab-node processes on this machine, and the GUI attached to
// each as an authenticated observer. The bridge starts the processes (QProcess, free loopback ports, data
// directories under the user's data location), carries a NetSession's admin commands over one observer
// connection per node and hands it the obs_events that come back; the views draw the session's snapshot and
// timeline as they draw the simulator's. It lives on the GUI thread: it only moves bytes and the session's
// work per event is small.
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

#include "app/sim_bridge.h"
#include "core/net/frame.h"
#include "core/net/handshake.h"
#include "core/session/net_session.h"
#include "core/session/timeline.h"

class QProcess;
class QTcpSocket;
class QTimer;

namespace distlab {

class NetBridge : public QObject, private NetDriver {
    Q_OBJECT
public:
    static constexpr int kFrameMs = 100;           // snapshots and the timeline, ten times a second
    static constexpr int kTimelinePublishMs = SimBridge::kTimelinePublishMs;
    static constexpr int kStatusEveryMs = 500;     // admin_status to every node (reports, clocks)
    static constexpr int kAttachRetryMs = 100;     // a process that does not listen yet is tried again
    static constexpr int kStartTimeoutMs = 10'000; // a process not listening by then is reported
    static constexpr int kStopWaitMs = 2'000;      // SIGTERM, then SIGKILL
    static constexpr std::size_t kWaitingFramesMax = 10'000;  // admin commands held for a node not attached

    explicit NetBridge(QObject* parent = nullptr);
    ~NetBridge() override;

    bool active() const { return m_session != nullptr; }
    // Starts every node of the scenario as a process and attaches to each. Errors (no distlab-node, a
    // scenario whose labs cannot start) are returned and nothing is left running.
    Status launchLocal(const Scenario& scenario);
    // Stops every process (SIGTERM, then SIGKILL) and forgets the session.
    void stop();

    const NetSession* session() const { return m_session.get(); }
    SnapshotPtr currentSnapshot() const;
    // Where the processes keep their data and logs.
    QString clusterDirectory() const { return m_directory; }
    // The program started for each node: $DISTLAB_NODE, else distlab-node beside this program.
    static QString nodeProgram();
    // Publishes a snapshot and the timeline now (tests).
    void refresh();

public slots:
    void executeCommand(const QString& line);
    // Whether a timeline view is showing: only then is the timeline copied and published.
    void setTimelineWanted(bool wanted);

signals:
    void launched(const QString& scenario, int processes);
    void stopped();
    void snapshotReady(distlab::SnapshotPtr snapshot);
    void timelineReady(distlab::TimelinePtr timeline);
    void commandEcho(const QString& line);
    void commandOutput(const QString& text);
    void commandError(const QString& message, const QString& hint);

private:
    struct Member;
    // NetDriver
    void sendToNode(const NodeId& id, Body body) override;
    Status killProcess(const NodeId& id) override;
    Status startProcess(const NodeId& id) override;
    Status startJoiningProcess(const NodeId& id) override;
    Status attachRemote(const NodeId& id, const std::string& address) override;
    Status stopProcess(const NodeId& id) override;
    void forget(const NodeId& id) override;
    SimTime clockMicros() const override;
    void describeProcess(const NodeId& id, std::vector<std::pair<std::string, std::string>>& out) const override;

    Member* member(const NodeId& id);
    const Member* member(const NodeId& id) const;
    void startMember(Member& m);
    void attach(Member& m);
    void onConnected(Member& m);
    void onReadyRead(Member& m);
    void onSocketGone(Member& m, const QString& why);
    void onProcessFinished(Member& m, int exitCode, bool crashed);
    void writeEnvelope(Member& m, const Envelope& envelope);
    void closeSocket(Member& m);
    void flushWaiting();
    void tick();
    void publishNotices();

    std::unique_ptr<NetSession> m_session;
    std::vector<std::unique_ptr<Member>> m_members;
    std::vector<Envelope> m_beforeLaunch;  // what the session sent while it started
    QString m_directory;
    QString m_scenarioFile;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_sinceStatus;
    QElapsedTimer m_sinceLaunch;
    bool m_gated = false;  // launching: admin commands wait until every process is observed
    TimelineBuilder m_timeline;
    bool m_timelineWanted = false;
    QElapsedTimer m_timelineSince;  // since the last timeline publication
    std::int64_t m_nextMsgId = 1;
};

}  // namespace distlab
