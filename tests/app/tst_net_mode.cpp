// Networked mode end to end: the window launches a scenario as real distlab-node processes on loopback, draws
// them from their observer streams, kills one with SIGKILL (shown down), restarts it on its data directory
// (shown up, and it takes part again), shows a process that dies behind the GUI's back as unreachable, and
// stops every process when asked.
#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QTabWidget>
#include <QTextEdit>

#include <csignal>
#include <functional>

#include <sys/types.h>

#include "app/main_window.h"
#include "app/net_bridge.h"
#include "app/sim_bridge.h"
#include "widgets/console_widget.h"
#include "widgets/ring_view.h"
#include "widgets/timeline_view.h"

using namespace distlab;

namespace {

constexpr int kWaitMs = 15'000;

Scenario scenarioNamed(const char* name) {
    auto scenario = loadScenario(name);
    if (!scenario) qFatal("%s: %s", name, scenario.error().message.c_str());
    return std::move(scenario).value();
}

// Runs the event loop until `done` holds or kWaitMs pass.
bool waitFor(const std::function<bool()>& done) {
    QElapsedTimer waited;
    waited.start();
    while (!done()) {
        if (waited.elapsed() > kWaitMs) return false;
        QTest::qWait(20);
    }
    return true;
}

const NodeView* findNode(const ClusterSnapshot& snap, const std::string& id) {
    for (const auto& n : snap.nodes)
        if (n.id == id) return &n;
    return nullptr;
}

// A copy of the node's view; a node that is not there comes back with no id and status Paused (which
// networked mode never shows), so that checks on it fail instead of crashing.
NodeView nodeOf(const NetSession& session, const std::string& id) {
    const ClusterSnapshot snap = session.snapshot();
    if (const NodeView* node = findNode(snap, id)) return *node;
    NodeView missing;
    missing.status = NodeStatus::Paused;
    return missing;
}

std::string detailOf(const NodeView& node, const std::string& label) {
    for (const auto& [key, value] : node.details)
        if (key == label) return value;
    return {};
}

QString consoleText(ConsoleWidget* console) {
    for (auto* edit : console->findChildren<QPlainTextEdit*>()) return edit->toPlainText();
    for (auto* edit : console->findChildren<QTextEdit*>()) return edit->toPlainText();
    return {};
}

// Events of a kind on a node, after event index `from`.
std::size_t countEvents(const Trace& trace, TraceKind kind, const std::string& node, std::size_t from = 0,
                        std::string_view textPrefix = {}) {
    const std::uint32_t name = trace.find(node);
    std::size_t count = 0;
    for (std::size_t i = from; i < trace.size(); ++i) {
        const TraceEvent& e = trace.events()[i];
        if (e.kind != kind || e.node != name) continue;
        if (!textPrefix.empty() && (e.text == kNoName || trace.name(e.text).rfind(textPrefix, 0) != 0)) continue;
        ++count;
    }
    return count;
}

}  // namespace

class TestNetMode : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);  // data directories under the test's own location
        QVERIFY2(QFileInfo(NetBridge::nodeProgram()).isExecutable(), qPrintable(NetBridge::nodeProgram()));
    }

    void launchKillRestart() {
        // ring-growth starts with three ring servers (n1..n3), two clients and ctl.
        SimBridge bridge(scenarioNamed("ring-growth"));
        NetBridge net;
        MainWindow window(&bridge, QStringLiteral("en"), &net);
        window.resize(1024, 700);
        window.show();
        bridge.refresh();
        QVERIFY(!window.networked());

        // From the menu, as a teacher would.
        QAction* launch = nullptr;
        for (QAction* action : window.findChildren<QAction*>())
            if (action->text().remove(QLatin1Char('&')) == QLatin1String("Launch local cluster")) launch = action;
        QVERIFY(launch);
        launch->trigger();
        QVERIFY(window.networked());
        QVERIFY(!launch->isEnabled());
        const NetSession* session = net.session();
        QVERIFY(session);
        QCOMPARE(session->nodes().size(), std::size_t(6));

        // Three live servers on the ring, drawn by the ring view from real processes.
        const auto liveServers = [&] {
            const ClusterSnapshot snap = session->snapshot();
            int live = 0;
            for (const NodeView& node : snap.nodes)
                if (node.role == NodeRole::Server && node.status == NodeStatus::Up && node.onRing) ++live;
            return live;
        };
        QVERIFY2(waitFor([&] { return liveServers() == 3; }), "three servers did not come up");
        QVERIFY(waitFor([&] { return window.ringView()->snapshot() && window.ringView()->snapshot()->nodes.size() == 6; }));
        // Every process is reachable and the workload runs: deliveries and client operations come in.
        for (const NodeId& id : session->nodes()) QVERIFY2(waitFor([&] { return session->reachable(id); }), id.c_str());
        QVERIFY(waitFor([&] { return countEvents(session->trace(), TraceKind::Deliver, "n2") >= 5; }));
        QVERIFY(waitFor([&] { return session->trace().clientOps().size() >= 4; }));
        {
            const ClusterSnapshot snap = session->snapshot();
            const NodeView* n2 = findNode(snap, "n2");
            QVERIFY(n2);
            QVERIFY(detailOf(*n2, "address").rfind("127.0.0.1:", 0) == 0);
            QVERIFY(!detailOf(*n2, "pid").empty());
        }
        // The timeline follows live, while its tab shows.
        window.centralTabs()->setCurrentWidget(window.timelinePage());
        QVERIFY(waitFor([&] { return window.timelineView()->data() && !window.timelineView()->data()->messages.empty(); }));

        // Kill n2 from the console: SIGKILL, shown down, off the effective ring.
        const qint64 pid = QString::fromStdString(detailOf(nodeOf(*session, "n2"), "pid")).toLongLong();
        QVERIFY(pid > 0);
        emit window.commandRequested(QStringLiteral("node kill n2"));
        QCOMPARE(session->snapshot().nodes.size(), std::size_t(6));
        QCOMPARE(nodeOf(*session, "n2").status, NodeStatus::Crashed);
        QVERIFY(!nodeOf(*session, "n2").onRing);
        QCOMPARE(::kill(pid_t(pid), 0), -1);  // the process is gone
        QCOMPARE(countEvents(session->trace(), TraceKind::Crash, "n2"), std::size_t(1));
        QVERIFY(waitFor([&] {
            return window.ringView()->snapshot() && findNode(*window.ringView()->snapshot(), "n2")->status == NodeStatus::Crashed;
        }));
        QVERIFY(consoleText(window.console()).contains(QStringLiteral("kill n2")));

        // Restart: a new process on the same data directory, shown up once it listens, and back on the ring:
        // it receives the ring announcement the lab sends after it attached.
        const std::size_t before = session->trace().size();
        emit window.commandRequested(QStringLiteral("node restart n2"));
        QVERIFY(consoleText(window.console()).contains(QStringLiteral("starting n2 again")));
        QVERIFY(waitFor([&] { return session->reachable("n2"); }));
        QVERIFY(waitFor([&] { return nodeOf(*session, "n2").onRing; }));
        QCOMPARE(countEvents(session->trace(), TraceKind::Restart, "n2", before), std::size_t(1));
        QVERIFY2(waitFor([&] { return countEvents(session->trace(), TraceKind::State, "n2", before, "epoch") >= 1; }),
                 "the restarted n2 never received the ring");
        QVERIFY(waitFor([&] { return countEvents(session->trace(), TraceKind::Deliver, "n2", before) >= 5; }));
        const qint64 newPid = QString::fromStdString(detailOf(nodeOf(*session, "n2"), "pid")).toLongLong();
        QVERIFY(newPid > 0 && newPid != pid);
        QVERIFY(waitFor([&] {
            return window.ringView()->snapshot() && findNode(*window.ringView()->snapshot(), "n2")->status == NodeStatus::Up;
        }));

        // A process that dies behind the GUI's back is shown unreachable, and the window goes on.
        const qint64 n3 = QString::fromStdString(detailOf(nodeOf(*session, "n3"), "pid")).toLongLong();
        QVERIFY(n3 > 0);
        QCOMPARE(::kill(pid_t(n3), SIGKILL), 0);
        QVERIFY(waitFor([&] { return !session->reachable("n3"); }));
        QVERIFY(!detailOf(nodeOf(*session, "n3"), "unreachable").empty());
        QVERIFY(waitFor([&] { return consoleText(window.console()).contains(QStringLiteral("n3 is unreachable")); }));
        // It can be restarted from there.
        emit window.commandRequested(QStringLiteral("node restart n3"));
        QVERIFY(waitFor([&] { return session->reachable("n3"); }));

        // Commands of the simulator only are refused with a reason.
        emit window.commandRequested(QStringLiteral("seed 5"));
        QVERIFY(consoleText(window.console()).contains(QStringLiteral("works in the simulator only")));

        // Partition and heal are the nodes' own filters: n1 stops hearing from n3.
        emit window.commandRequested(QStringLiteral("partition n1,c1,c2,ctl | n2,n3"));
        QVERIFY(!session->snapshot().partitions.groups.empty());
        QVERIFY(waitFor([&] {
            const Trace& trace = session->trace();
            for (std::size_t i = 0; i < trace.size(); ++i) {
                const TraceEvent& e = trace.events()[i];
                if (e.kind == TraceKind::Drop && e.text != kNoName && trace.name(e.text) == "partition") return true;
            }
            return false;
        }));
        emit window.commandRequested(QStringLiteral("heal"));
        QVERIFY(session->snapshot().partitions.groups.empty());

        // Stop: every process ends, the simulator is back.
        std::vector<qint64> pids;
        for (const NodeView& node : session->snapshot().nodes) pids.push_back(QString::fromStdString(detailOf(node, "pid")).toLongLong());
        window.stopCluster();
        QVERIFY(!window.networked());
        QVERIFY(launch->isEnabled());
        for (qint64 p : pids)
            if (p > 0) QVERIFY2(::kill(pid_t(p), 0) == -1, qPrintable(QString::number(p)));
    }

    void membershipOverTheNetwork() {
        SimBridge bridge(scenarioNamed("ring-growth"));
        NetBridge net;
        MainWindow window(&bridge, QStringLiteral("en"), &net);
        window.show();
        bridge.refresh();
        QVERIFY(window.launchLocalCluster());
        const NetSession* session = net.session();
        for (const NodeId& id : session->nodes()) QVERIFY2(waitFor([&] { return session->reachable(id); }), id.c_str());
        const auto onRing = [&](const std::string& id) {
            const ClusterSnapshot snap = session->snapshot();
            const NodeView* node = findNode(snap, id);
            return node && node->onRing && node->status == NodeStatus::Up;
        };
        QVERIFY(waitFor([&] { return onRing("n1") && onRing("n2") && onRing("n3"); }));

        // node add: a new process joins through ctl, and the ring takes it once it has joined.
        emit window.commandRequested(QStringLiteral("node add n4"));
        QVERIFY(consoleText(window.console()).contains(QStringLiteral("starting n4")));
        QVERIFY2(waitFor([&] { return onRing("n4"); }), qPrintable(consoleText(window.console())));
        QVERIFY(waitFor([&] { return consoleText(window.console()).contains(QStringLiteral("n4 joined at 127.0.0.1:")); }));
        const std::size_t joinedAt = session->trace().size();
        // It serves: the ring announcement and the clients' requests reach it, and it learned the others'
        // addresses from join_ok (it replicates to them).
        QVERIFY(waitFor([&] { return countEvents(session->trace(), TraceKind::State, "n4", 0, "epoch") >= 1; }));
        QVERIFY(waitFor([&] { return countEvents(session->trace(), TraceKind::Deliver, "n4", joinedAt) >= 3; }));
        QVERIFY(waitFor([&] {
            const Trace& trace = session->trace();
            const std::uint32_t n4 = trace.find("n4");
            for (std::size_t i = joinedAt; i < trace.size(); ++i) {
                const TraceEvent& e = trace.events()[i];
                if (e.kind == TraceKind::Deliver && e.peer == n4 && trace.name(e.node).rfind("n", 0) == 0) return true;
            }
            return false;
        }));

        // A node started elsewhere (as a student would) joins by address and is observed where it listens.
        const std::string ctlAddress = detailOf(nodeOf(*session, "ctl"), "address");
        QVERIFY(!ctlAddress.empty());
        QProcess student;
        student.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        student.start(NetBridge::nodeProgram(), {QStringLiteral("--id"), QStringLiteral("n7"), QStringLiteral("--scenario"),
                                                 QStringLiteral("ring-growth"), QStringLiteral("--join"),
                                                 QString::fromStdString(ctlAddress), QStringLiteral("--log-level"), QStringLiteral("warn")});
        QVERIFY(student.waitForStarted());
        QVERIFY2(waitFor([&] { return onRing("n7"); }), qPrintable(consoleText(window.console())));
        QVERIFY(waitFor([&] { return countEvents(session->trace(), TraceKind::State, "n7", 0, "epoch") >= 1; }));
        // It leaves when it stops: off the ring, removed.
        student.terminate();
        QVERIFY(student.waitForFinished(5000));
        QCOMPARE(student.exitCode(), 0);
        QVERIFY(waitFor([&] { return nodeOf(*session, "n7").status == NodeStatus::Removed; }));
        QVERIFY(!nodeOf(*session, "n7").onRing);
        QVERIFY(waitFor([&] { return consoleText(window.console()).contains(QStringLiteral("n7 left the cluster")); }));

        // Heartbeats: a stopped process keeps its connection but stops answering; after kSuspectAfter it is
        // taken for failed and the ring hands its ranges on; when it resumes it is back.
        const qint64 pid = QString::fromStdString(detailOf(nodeOf(*session, "n1"), "pid")).toLongLong();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
        QVERIFY(waitFor([&] { return !session->reachable("n1"); }));
        QVERIFY(!nodeOf(*session, "n1").onRing);
        QVERIFY(nodeOf(*session, "n1").unreachable);
        QVERIFY(detailOf(nodeOf(*session, "n1"), "unreachable").find("no answer") != std::string::npos);
        QCOMPARE(::kill(pid_t(pid), SIGCONT), 0);
        QVERIFY(waitFor([&] { return onRing("n1"); }));
        QVERIFY(waitFor([&] { return consoleText(window.console()).contains(QStringLiteral("n1 answers again")); }));

        // node remove: off the ring, and its process ends.
        const qint64 n4 = QString::fromStdString(detailOf(nodeOf(*session, "n4"), "pid")).toLongLong();
        emit window.commandRequested(QStringLiteral("node remove n4"));
        QCOMPARE(nodeOf(*session, "n4").status, NodeStatus::Removed);
        QVERIFY(!nodeOf(*session, "n4").onRing);
        QVERIFY(waitFor([&] { return ::kill(pid_t(n4), 0) == -1; }));
        window.stopCluster();
    }
};

QTEST_MAIN(TestNetMode)
#include "tst_net_mode.moc"
