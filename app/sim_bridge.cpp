#include "app/sim_bridge.h"

#include <QTimer>

#include "app/localize.h"

namespace distlab {

SimBridge::SimBridge(Scenario scenario, QObject* parent)
    : QObject(parent), m_session(std::make_unique<Session>(std::move(scenario))) {
    qRegisterMetaType<distlab::SnapshotPtr>("distlab::SnapshotPtr");
}

SimBridge::~SimBridge() = default;

void SimBridge::runFor(SimTime duration) {
    m_session->advance(duration, kEventsPerCommandMax);
    m_dirty = true;
}

SnapshotPtr SimBridge::currentSnapshot() const { return std::make_shared<const ClusterSnapshot>(m_session->snapshot()); }

void SimBridge::start() {
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        connect(m_timer, &QTimer::timeout, this, &SimBridge::tick);
    }
    m_clock.start();
    m_lastTickNs = m_clock.nsecsElapsed();
    m_timer->start(kFrameMs);
    emit scenarioLoaded(QString::fromStdString(m_session->scenario().name), m_session->seed());
    emit playingChanged(m_session->playing());
    emit speedChangedTo(m_session->speed());
    publish();
}

void SimBridge::tick() {
    const qint64 nowNs = m_clock.nsecsElapsed();
    const qint64 realNs = std::min<qint64>(nowNs - m_lastTickNs, 100'000'000);  // after a stall, do not leap
    m_lastTickNs = nowNs;
    if (m_session->playing()) {
        // Simulated time advances at `speed` times real time, in small runs, until the frame budget is used.
        const SimTime target = m_session->world().now() + SimTime(double(realNs) / 1000.0 * m_session->speed());
        QElapsedTimer budget;
        budget.start();
        while (m_session->world().now() < target && budget.elapsed() < kSliceBudgetMs) {
            const RunStats stats = m_session->runUntil(target, kEventsPerCheck);
            if (!stats.limitHit) break;
        }
        m_dirty = true;
    }
    if (m_dirty) publish();
}

void SimBridge::forwardScheduleLog() {
    const auto& log = m_session->scheduleLog();
    if (log.size() < m_scheduleLogShown) m_scheduleLogShown = 0;  // the run was rebuilt
    for (; m_scheduleLogShown < log.size(); ++m_scheduleLogShown) {
        const ScheduleLogEntry& entry = log[m_scheduleLogShown];
        const QString at = tr("%1 ms").arg(toMillis(entry.at), 0, 'f', 1);
        const QString command = QString::fromStdString(entry.command);
        if (entry.ok)
            emit commandOutput(tr("%1  %2  →  %3").arg(at, command, localize(entry.result)));
        else
            emit commandError(tr("%1  %2  →  %3").arg(at, command, localize(entry.result)), QString());
    }
}

void SimBridge::forwardConsoleResults() {
    const auto& results = m_session->consoleResults();
    const std::uint64_t total = m_session->consoleResultsTotal();
    if (total < m_resultsShown) m_resultsShown = 0;  // the run was rebuilt
    const std::uint64_t first = total - results.size();
    for (std::uint64_t n = std::max(m_resultsShown, first); n < total; ++n) {
        const kv::ClientResult& r = results[std::size_t(n - first)];
        const QString client = QString::fromStdString(r.client);
        const QString key = QString::fromStdString(r.key);
        const QString version = r.version ? QString::fromStdString(*r.version) : QStringLiteral("-");
        if (!r.ok) {
            emit commandError(tr("%1: %2 %3 failed: %4").arg(client, QString::fromStdString(r.op), key,
                                                            QString::fromStdString(r.error)),
                              QString());
        } else if (r.op == "put") {
            emit commandOutput(tr("%1: put %2 = %3, acknowledged as version %4")
                                   .arg(client, key, QString::fromStdString(r.value.value_or("")), version));
        } else if (r.value) {
            emit commandOutput(tr("%1: get %2 → %3 (version %4)").arg(client, key, QString::fromStdString(*r.value), version));
        } else {
            emit commandOutput(tr("%1: get %2 → no such key").arg(client, key));
        }
    }
    m_resultsShown = total;
}

void SimBridge::publish() {
    m_dirty = false;
    forwardScheduleLog();
    forwardConsoleResults();
    emit snapshotReady(currentSnapshot());
}

void SimBridge::refresh() { publish(); }

void SimBridge::executeCommand(const QString& line) {
    emit commandEcho(line);
    auto result = m_session->execute(line.toStdString());
    if (!result) {
        emit commandError(localizedMessage(result.error()), localizedHint(result.error()));
    } else {
        emit commandOutput(result->localized.empty() ? QString::fromStdString(result->text) : localize(result->localized));
        if (result->resetRun) {
            // A new run: its schedule log and client results start from zero.
            m_scheduleLogShown = 0;
            m_resultsShown = 0;
        }
        if (result->resetRun)
            emit scenarioLoaded(QString::fromStdString(m_session->scenario().name), m_session->seed());
    }
    emit playingChanged(m_session->playing());
    emit speedChangedTo(m_session->speed());
    m_dirty = true;
    publish();
}

void SimBridge::setPlaying(bool playing) {
    if (m_session->playing() == playing) return;
    m_session->setPlaying(playing);
    m_lastTickNs = m_clock.isValid() ? m_clock.nsecsElapsed() : 0;
    emit playingChanged(playing);
    m_dirty = true;
}

void SimBridge::setSpeed(double speed) {
    m_session->setSpeed(speed);
    emit speedChangedTo(m_session->speed());
}

void SimBridge::step() {
    m_session->setPlaying(false);
    emit playingChanged(false);
    (void)m_session->runEvents(1);
    publish();
}

void SimBridge::stepBack() {
    m_session->setPlaying(false);
    emit playingChanged(false);
    (void)m_session->execute("step back");
    publish();
}

void SimBridge::loadScenario(const QString& nameOrPath) {
    auto scenario = distlab::loadScenario(nameOrPath.toStdString());
    if (!scenario) {
        emit commandError(localizedMessage(scenario.error()), localizedHint(scenario.error()));
        return;
    }
    const bool playing = m_session->playing();
    const double speed = m_session->speed();
    m_session = std::make_unique<Session>(std::move(scenario).value());
    m_scheduleLogShown = 0;
    m_resultsShown = 0;
    m_session->setPlaying(playing);
    m_session->setSpeed(speed);
    emit scenarioLoaded(QString::fromStdString(m_session->scenario().name), m_session->seed());
    publish();
}

}  // namespace distlab
