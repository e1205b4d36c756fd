#include "app/net_bridge.h"

#include <algorithm>
#include <chrono>
#include <deque>

#include <signal.h>
#include <sys/prctl.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include "core/net/cluster_key.h"
#include "widgets/localize.h"

namespace distlab {

namespace {

const char* const kObserverId = "gui";

// A port nobody listens on now. The node binds it a moment later; on the rare clash its start fails and
// the launch says so.
quint16 freeLoopbackPort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
    return probe.serverPort();
}

QString lastLogLine(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last()).trimmed();
}

}  // namespace

struct NetBridge::Member {
    NodeId id;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    bool joins = false;   // started by `node add`: joins through ctl instead of being given every peer
    bool remote = false;  // a process elsewhere: observed, never started or signalled from here
    QString dataDir;
    QString logPath;
    QProcess* process = nullptr;
    QTcpSocket* socket = nullptr;
    std::unique_ptr<net::ClientHandshake> handshake;
    net::FrameDecoder decoder;
    bool open = false;          // authenticated: frames go straight out
    bool killed = false;        // ended by a kill command: no reattaching until it is started again
    bool stopping = false;      // the whole cluster is stopping
    std::deque<Envelope> waiting;  // admin commands until the connection is open
    QElapsedTimer startedAt;    // since the process was started
    int starts = 0;
    bool refusalShown = false;  // a failed handshake is reported once, not at every retry
};

NetBridge::NetBridge(QObject* parent) : QObject(parent) {
    m_timer = new QTimer(this);
    m_timer->setInterval(kFrameMs);
    connect(m_timer, &QTimer::timeout, this, &NetBridge::tick);
}

NetBridge::~NetBridge() { stop(); }

QString NetBridge::nodeProgram() {
    const QString configured = qEnvironmentVariable("DISTLAB_NODE");
    if (!configured.isEmpty()) return configured;
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("distlab-node"));
}

SimTime NetBridge::clockMicros() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

NetBridge::Member* NetBridge::member(const NodeId& id) {
    for (auto& m : m_members)
        if (m->id == id) return m.get();
    return nullptr;
}

const NetBridge::Member* NetBridge::member(const NodeId& id) const {
    for (const auto& m : m_members)
        if (m->id == id) return m.get();
    return nullptr;
}

Status NetBridge::launchLocal(const Scenario& scenario) {
    stop();
    const QString program = nodeProgram();
    if (!QFileInfo(program).isExecutable())
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot find the node program %1"), program.toStdString()),
                         makeText(QT_TRANSLATE_NOOP("Core", "build distlab-node beside distlab, or set DISTLAB_NODE to its path")));
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    m_directory = QDir(base).filePath(QStringLiteral("cluster"));
    // A launch starts from empty disks; a restart keeps its node's directory.
    QDir(m_directory).removeRecursively();
    if (!QDir().mkpath(m_directory))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot create %1"), m_directory.toStdString()));
    // The processes read the very scenario the window shows, from a file of its canonical form.
    m_scenarioFile = QDir(m_directory).filePath(QStringLiteral("scenario.json"));
    {
        QFile file(m_scenarioFile);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(QByteArray::fromStdString(scenarioToJson(scenario).dump(2))) < 0)
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot write %1"), m_scenarioFile.toStdString()));
    }

    m_beforeLaunch.clear();
    m_session = std::make_unique<NetSession>(scenario, static_cast<NetDriver&>(*this));
    m_timeline = TimelineBuilder();
    m_timelineSince.invalidate();
    if (Status started = m_session->start(); !started) {
        m_session.reset();
        return started;
    }
    for (const NodeId& id : m_session->nodes()) {
        auto m = std::make_unique<Member>();
        m->id = id;
        m->port = freeLoopbackPort();
        m->dataDir = QDir(m_directory).filePath(QString::fromStdString(id));
        m->logPath = QDir(m_directory).filePath(QString::fromStdString(id) + QStringLiteral(".log"));
        if (m->port == 0) {
            m_members.clear();
            m_session.reset();
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "no free port on 127.0.0.1")));
        }
        m_members.push_back(std::move(m));
    }
    for (Envelope& envelope : m_beforeLaunch)
        if (Member* m = member(envelope.dest)) m->waiting.push_back(std::move(envelope));
    m_beforeLaunch.clear();
    m_gated = true;
    m_sinceLaunch.start();
    for (auto& m : m_members) startMember(*m);
    m_sinceStatus.start();
    m_timer->start();
    emit launched(QString::fromStdString(scenario.name), int(m_members.size()));
    refresh();
    return Ok{};
}

void NetBridge::startMember(Member& m) {
    QStringList args{QStringLiteral("--id"), QString::fromStdString(m.id),
                     QStringLiteral("--scenario"), m_scenarioFile,
                     QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m.port),
                     QStringLiteral("--data-dir"), m.dataDir,
                     QStringLiteral("--log-level"), QStringLiteral("info")};
    const Member* control = m_session ? member(NodeId(kControlNodeId)) : nullptr;
    if (m.joins && control) {
        args << QStringLiteral("--join") << QStringLiteral("%1:%2").arg(control->host).arg(control->port);
    } else {
        for (const auto& other : m_members)
            if (other->id != m.id)
                args << QStringLiteral("--peer")
                     << QStringLiteral("%1=%2:%3").arg(QString::fromStdString(other->id), other->host).arg(other->port);
    }
    if (!m.process) {
        m.process = new QProcess(this);
        m.process->setProcessChannelMode(QProcess::SeparateChannels);
        m.process->setStandardOutputFile(QProcess::nullDevice());
        // The processes end with the window, even when it is killed and cannot stop them itself.
        m.process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        connect(m.process, &QProcess::finished, this, [this, id = m.id](int exitCode, QProcess::ExitStatus status) {
            if (Member* found = member(id)) onProcessFinished(*found, exitCode, status == QProcess::CrashExit);
        });
        connect(m.process, &QProcess::errorOccurred, this, [this, id = m.id](QProcess::ProcessError error) {
            Member* found = member(id);
            if (!found || error != QProcess::FailedToStart) return;
            emit commandError(tr("%1 did not start: %2").arg(QString::fromStdString(id), found->process->errorString()),
                              tr("the node program is %1").arg(nodeProgram()));
            if (m_session) m_session->onDetached(id, found->process->errorString().toStdString());
            publishNotices();
        });
    }
    m.process->setStandardErrorFile(m.logPath, QIODevice::Append);
    m.killed = false;
    m.starts++;
    m.startedAt.start();
    m.process->start(nodeProgram(), args);
    QTimer::singleShot(kAttachRetryMs, this, [this, id = m.id] {
        if (Member* found = member(id)) attach(*found);
    });
}

void NetBridge::attach(Member& m) {
    if (m.killed || m.stopping || m.socket) return;
    m.socket = new QTcpSocket(this);
    m.decoder = net::FrameDecoder();
    m.open = false;
    m.handshake = std::make_unique<net::ClientHandshake>(kObserverId, net::PeerRole::Observer, m.id, nullptr, net::randomHex(32));
    const NodeId id = m.id;
    connect(m.socket, &QTcpSocket::connected, this, [this, id] {
        if (Member* found = member(id)) onConnected(*found);
    });
    connect(m.socket, &QTcpSocket::readyRead, this, [this, id] {
        if (Member* found = member(id)) onReadyRead(*found);
    });
    connect(m.socket, &QTcpSocket::disconnected, this, [this, id] {
        if (Member* found = member(id)) onSocketGone(*found, tr("the connection closed"));
    });
    connect(m.socket, &QTcpSocket::errorOccurred, this, [this, id](QAbstractSocket::SocketError) {
        if (Member* found = member(id); found && found->socket) onSocketGone(*found, found->socket->errorString());
    });
    m.socket->connectToHost(m.host, m.port);
}

void NetBridge::onConnected(Member& m) {
    const std::string frame = net::encodeFrame(m.handshake->hello());
    m.socket->write(frame.data(), qint64(frame.size()));
}

void NetBridge::writeEnvelope(Member& m, const Envelope& envelope) {
    const std::string frame = net::encodeFrame(envelope);
    m.socket->write(frame.data(), qint64(frame.size()));
}

void NetBridge::onReadyRead(Member& m) {
    if (!m.socket) return;
    const QByteArray bytes = m.socket->readAll();
    m.decoder.feed(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    while (m.socket) {
        auto payload = m.decoder.next();
        if (!payload) break;
        Json json = Json::parse(*payload, nullptr, false);
        auto envelope = json.is_discarded() ? Result<Envelope>(makeError("not JSON")) : envelopeFromJson(json);
        if (!envelope) {
            onSocketGone(m, tr("it sent a frame that is not an envelope"));
            return;
        }
        if (!m.open) {
            net::HandshakeStep step = m.handshake->onFrame(envelope.value());
            for (const Envelope& out : step.send) writeEnvelope(m, out);
            if (step.failure) {
                const QString why = tr("the handshake failed: %1").arg(QString::fromStdString(*step.failure));
                if (!m.refusalShown) {
                    emit commandError(tr("%1 refused the observer").arg(QString::fromStdString(m.id)), why);
                    m.refusalShown = true;
                }
                onSocketGone(m, why);
                return;
            }
            if (step.done) {
                m.open = true;
                if (m_session) m_session->onAttached(m.id, !m.remote);
                flushWaiting();
            }
            continue;
        }
        if (m_session) m_session->onFrame(m.id, envelope.value());
    }
    if (!m.decoder.broken().empty()) onSocketGone(m, QString::fromStdString(m.decoder.broken()));
}

void NetBridge::closeSocket(Member& m) {
    if (!m.socket) return;
    QTcpSocket* socket = m.socket;
    m.socket = nullptr;
    m.open = false;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();  // it may be inside one of its own signals
}

void NetBridge::onSocketGone(Member& m, const QString& why) {
    if (!m.socket) return;
    const bool wasOpen = m.open;
    closeSocket(m);
    if (m.killed || m.stopping) return;
    if (wasOpen) {
        if (m_session) m_session->onDetached(m.id, why.toStdString());
        publishNotices();
    }
    if (m.process && m.process->state() == QProcess::NotRunning) return;  // gone: onProcessFinished says why
    // Not listening yet, or gone for now: try again (a node that comes back is shown up again).
    QTimer::singleShot(wasOpen ? 5 * kAttachRetryMs : kAttachRetryMs, this, [this, id = m.id] {
        if (Member* found = member(id)) attach(*found);
    });
}

void NetBridge::onProcessFinished(Member& m, int exitCode, bool crashed) {
    if (m.killed || m.stopping) return;
    QString line = lastLogLine(m.logPath);
    const QString text = crashed ? tr("%1 ended unexpectedly").arg(QString::fromStdString(m.id))
                                 : tr("%1 exited with code %2").arg(QString::fromStdString(m.id)).arg(exitCode);
    emit commandError(text, line.isEmpty() ? tr("its log is %1").arg(m.logPath) : line);
    if (m.socket) onSocketGone(m, text);
    else if (m_session) m_session->onDetached(m.id, text.toStdString());
    publishNotices();
}

void NetBridge::flushWaiting() {
    // At launch nothing goes out before every process is observed: the first messages' deliveries would
    // otherwise happen where no observer sees them.
    if (m_gated) {
        const bool allOpen = std::all_of(m_members.begin(), m_members.end(), [](const auto& m) { return m->open; });
        if (!allOpen && m_sinceLaunch.elapsed() < kStartTimeoutMs) return;
        m_gated = false;
    }
    for (auto& m : m_members) {
        if (!m->open || !m->socket) continue;
        while (!m->waiting.empty()) {
            writeEnvelope(*m, m->waiting.front());
            m->waiting.pop_front();
        }
    }
}

void NetBridge::sendToNode(const NodeId& id, Body body) {
    body.msgId = m_nextMsgId++;
    Envelope envelope{kObserverId, id, std::move(body)};
    Member* m = member(id);
    if (!m) {
        // The labs speak while the session starts, before the processes exist: held for their launch.
        if (m_beforeLaunch.size() < kWaitingFramesMax) m_beforeLaunch.push_back(std::move(envelope));
        return;
    }
    // The status poll is the failure detector: it is never held back by the launch.
    if (m->open && m->socket && (!m_gated || envelope.body.type == "admin_status")) {
        writeEnvelope(*m, envelope);
    } else if (m->waiting.size() < kWaitingFramesMax) {
        m->waiting.push_back(std::move(envelope));
    }
}

Status NetBridge::startJoiningProcess(const NodeId& id) {
    if (member(id)) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "there is a node '%1' already"), id));
    auto m = std::make_unique<Member>();
    m->id = id;
    m->joins = true;
    m->port = freeLoopbackPort();
    if (m->port == 0) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "no free port on 127.0.0.1")));
    m->dataDir = QDir(m_directory).filePath(QString::fromStdString(id));
    m->logPath = QDir(m_directory).filePath(QString::fromStdString(id) + QStringLiteral(".log"));
    m_members.push_back(std::move(m));
    startMember(*m_members.back());
    return Ok{};
}

Status NetBridge::attachRemote(const NodeId& id, const std::string& address) {
    if (Member* known = member(id)) {
        // Killed here, started again there: observed again.
        if (known->remote && known->killed) {
            known->killed = false;
            known->stopping = false;
            attach(*known);
        }
        return Ok{};
    }
    const auto colon = address.rfind(':');
    bool ok = false;
    const quint16 port = colon == std::string::npos ? 0 : QString::fromStdString(address.substr(colon + 1)).toUShort(&ok);
    if (!ok || port == 0) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not HOST:PORT"), address));
    QString host = QString::fromStdString(address.substr(0, colon));
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'))) host = host.mid(1, host.size() - 2);
    auto m = std::make_unique<Member>();
    m->id = id;
    m->host = host;
    m->port = port;
    m->remote = true;
    m->startedAt.start();
    m_members.push_back(std::move(m));
    attach(*m_members.back());
    return Ok{};
}

Status NetBridge::stopProcess(const NodeId& id) {
    Member* m = member(id);
    if (!m) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id));
    m->stopping = true;
    m->waiting.clear();
    if (m->remote) {
        // Elsewhere: it is off the ring; its owner stops it.
        forget(id);
        return Ok{};
    }
    if (m->process && m->process->state() != QProcess::NotRunning) m->process->terminate();
    return Ok{};
}

void NetBridge::forget(const NodeId& id) {
    Member* m = member(id);
    if (!m) return;
    m->stopping = true;
    m->waiting.clear();
    closeSocket(*m);
}

Status NetBridge::killProcess(const NodeId& id) {
    Member* m = member(id);
    if (m && m->remote) {
        // Not ours to signal: it is asked to end as SIGKILL would end it.
        sendToNode(id, Body{"admin_crash", 0, std::nullopt, Json::object()});
        m->killed = true;
        return Ok{};
    }
    if (!m || !m->process) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id));
    m->killed = true;
    m->waiting.clear();
    m->process->kill();  // SIGKILL: no chance to flush or say goodbye
    m->process->waitForFinished(kStopWaitMs);
    closeSocket(*m);
    return Ok{};
}

Status NetBridge::startProcess(const NodeId& id) {
    Member* m = member(id);
    if (!m) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id));
    if (m->remote)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 runs on another machine"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "start it there again with the same command")));
    if (m->process && m->process->state() != QProcess::NotRunning) {
        // Unreachable but alive: end it, so that the restart is a clean one on the same disk.
        m->killed = true;
        m->process->kill();
        if (!m->process->waitForFinished(kStopWaitMs))
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 did not end after SIGKILL; try again"), id));
    }
    if (m->socket) onSocketGone(*m, tr("restarting"));
    startMember(*m);
    return Ok{};
}

void NetBridge::describeProcess(const NodeId& id, std::vector<std::pair<std::string, std::string>>& out) const {
    const Member* m = member(id);
    if (!m) return;
    out.emplace_back("address", m->host.toStdString() + ":" + std::to_string(m->port));
    if (m->process && m->process->processId() > 0) out.emplace_back("pid", std::to_string(m->process->processId()));
}

void NetBridge::stop() {
    if (!m_session && m_members.empty()) return;
    m_timer->stop();
    for (auto& m : m_members) {
        m->stopping = true;
        closeSocket(*m);
        if (m->process && m->process->state() != QProcess::NotRunning) m->process->terminate();
    }
    for (auto& m : m_members) {
        if (!m->process) continue;
        if (m->process->state() != QProcess::NotRunning && !m->process->waitForFinished(kStopWaitMs)) {
            m->process->kill();
            m->process->waitForFinished(kStopWaitMs);
        }
        m->process->disconnect(this);
        m->process->deleteLater();
    }
    m_members.clear();
    m_session.reset();
    emit stopped();
}

SnapshotPtr NetBridge::currentSnapshot() const {
    if (!m_session) return std::make_shared<const ClusterSnapshot>();
    return std::make_shared<const ClusterSnapshot>(m_session->snapshot());
}

void NetBridge::publishNotices() {
    if (!m_session) return;
    for (const Text& notice : m_session->takeNotices()) emit commandOutput(localize(notice));
}

void NetBridge::setTimelineWanted(bool wanted) {
    m_timelineWanted = wanted;
    if (wanted) refresh();
}

void NetBridge::refresh() {
    if (!m_session) return;
    // Reading the new events is cheap; copying the whole timeline for the view is not, so that is done only
    // while the Timeline tab shows, and at most every kTimelinePublishMs (as the simulator's bridge does).
    m_timeline.update(m_session->trace());
    if (m_timelineWanted && (!m_timelineSince.isValid() || m_timelineSince.elapsed() >= kTimelinePublishMs)) {
        emit timelineReady(m_timeline.snapshot());
        m_timelineSince.start();
    }
    emit snapshotReady(currentSnapshot());
    publishNotices();
}

void NetBridge::tick() {
    if (!m_session) return;
    if (m_sinceStatus.elapsed() >= kStatusEveryMs) {
        m_session->pollStatus();
        m_sinceStatus.restart();
    }
    if (m_gated) flushWaiting();
    // A process that never came up is reported once.
    for (auto& m : m_members) {
        if (!m->open && !m->killed && !m->stopping && m->starts > 0 && m->startedAt.isValid() &&
            m->startedAt.elapsed() > kStartTimeoutMs && m->process && m->process->state() == QProcess::Running) {
            emit commandError(tr("%1 does not answer on 127.0.0.1:%2").arg(QString::fromStdString(m->id)).arg(m->port),
                              tr("its log is %1").arg(m->logPath));
            m->startedAt.invalidate();
        }
    }
    refresh();
}

void NetBridge::executeCommand(const QString& line) {
    emit commandEcho(line);
    if (!m_session) return;
    auto result = m_session->execute(line.toStdString());
    if (!result) {
        emit commandError(localizedMessage(result.error()), localizedHint(result.error()));
    } else if (!result->lines.empty()) {
        emit commandOutput(localizeLines(result->lines));
    } else {
        emit commandOutput(result->localized.empty() ? QString::fromStdString(result->text) : localize(result->localized));
    }
    refresh();
}

}  // namespace distlab
