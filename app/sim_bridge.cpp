#include "app/sim_bridge.h"

#include <QTimer>

#include "core/history/trace.h"
#include "core/sim/world.h"

#include "widgets/localize.h"

namespace distlab {

SimBridge::SimBridge(Scenario scenario, QObject* parent)
    : QObject(parent), m_session(std::make_unique<Session>(std::move(scenario))) {
    qRegisterMetaType<distlab::SnapshotPtr>("distlab::SnapshotPtr");
    qRegisterMetaType<distlab::TimelinePtr>("distlab::TimelinePtr");
    m_timelineSince.start();
    m_checksSince.start();
}

SimBridge::~SimBridge() = default;

void SimBridge::runFor(SimTime duration) {
    m_session->advance(duration, kEventsPerCommandMax);
    m_dirty = true;
    updateChecks(true);
}

SnapshotPtr SimBridge::currentSnapshot() const {
    auto snap = std::make_shared<ClusterSnapshot>(m_session->snapshot());
    snap->checks = m_checks;
    snap->checksEvaluated = m_checksEvaluated;
    snap->checksAt = m_checksAt;
    snap->checksEvents = m_checksEvents;
    return snap;
}

void SimBridge::updateChecks(bool force) {
    const World& world = m_session->world();
    const Trace& trace = world.trace();
    const bool changed = !m_checksEvaluated || &world != m_checksWorld || trace.size() != m_checksEvents ||
                         trace.futuresDropped() != m_checksDrops || world.now() != m_checksAt;
    if (!changed) return;
    if (!force) {
        // Evaluating must not take more than its share of the worker's time.
        const double intervalMs = std::max<double>(kChecksEveryMs, m_checksMs / kChecksShareMax);
        if (double(m_checksSince.elapsed()) < intervalMs) return;
    }
    QElapsedTimer cost;
    cost.start();
    m_checks = m_session->checks();
    m_checksMs = double(cost.nsecsElapsed()) / 1e6;
    m_checksSince.restart();
    ++m_checkEvaluations;
    m_checksEvaluated = true;
    m_checksWorld = &world;
    m_checksEvents = trace.size();
    m_checksDrops = trace.futuresDropped();
    m_checksAt = world.now();
}

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
        // A frame that also copies the timeline for the UI leaves that much less time to the simulation.
        const double sliceMs = std::max(2.0, kSliceBudgetMs - (timelineDue() ? m_timelineCopyMs : 0.0));
        QElapsedTimer budget;
        budget.start();
        while (m_session->world().now() < target && double(budget.nsecsElapsed()) / 1e6 < sliceMs) {
            const RunStats stats = m_session->runUntil(target, kEventsPerCheck);
            if (!stats.limitHit) break;
        }
        m_dirty = true;
    }
    if (m_dirty) publish();
    else publishTimeline(false);  // a view that just became visible gets the timeline at once
}

bool SimBridge::updateTimeline() {
    const World& world = m_session->world();
    const Trace& trace = world.trace();
    const std::size_t size = trace.events().size();
    const std::size_t cursor = m_timeline.cursor();
    // A step back or a seek moves the trace back and keeps its future, which the timeline keeps drawing
    // (a replay repeats it exactly). It starts over for a new world (a new seed), when that future was
    // dropped (a command given in the past), or when what it read is no longer the trace's.
    const bool replaced = &world != m_timelineWorld || trace.futuresDropped() != m_timelineDrops ||
                          cursor > trace.retainedEvents() ||
                          (cursor > 0 && cursor <= size && trace.events()[cursor - 1].time != m_timelineLastTime);
    if (replaced) {
        m_timeline = TimelineBuilder();
        m_timelineWorld = &world;
        m_timelineDrops = trace.futuresDropped();
    }
    const TimelineData& data = *m_timeline.data();
    const std::uint32_t before = data.eventCount;
    const SimTime nowBefore = data.now;
    m_timeline.update(world);
    if (m_timeline.cursor() > 0 && m_timeline.cursor() <= trace.size())
        m_timelineLastTime = trace.events()[m_timeline.cursor() - 1].time;
    if (replaced || data.eventCount != before || data.now != nowBefore)
        m_timelineStale = true;
    return replaced;
}

bool SimBridge::timelineDue() const {
    if (!m_timelineWanted) return false;
    // Copying must not take more than its share of the worker's time.
    const double intervalMs = std::max<double>(kTimelinePublishMs, m_timelineCopyMs / kTimelineCopyShareMax);
    return double(m_timelineSince.elapsed()) >= intervalMs;
}

void SimBridge::publishTimeline(bool force) {
    if (!force && (!m_timelineStale || !timelineDue())) return;
    QElapsedTimer copy;
    copy.start();
    TimelinePtr timeline = m_timeline.snapshot();
    m_timelineCopyMs = double(copy.nsecsElapsed()) / 1e6;
    m_timelineSince.restart();
    m_timelineStale = false;
    emit timelineReady(std::move(timeline));
}

void SimBridge::setTimelineWanted(bool wanted) {
    m_timelineWanted = wanted;
    if (wanted) {
        updateTimeline();
        publishTimeline(true);  // the view may be new (a language change rebuilds the window)
    }
}

void SimBridge::seekToTime(qint64 micros) {
    m_session->setPlaying(false);
    emit playingChanged(false);
    const SimTime at = std::clamp<SimTime>(SimTime(micros), 0, millis(kRunMsMax));
    m_session->seekToTime(at);
    emit commandOutput(tr("Moved to %1 ms.").arg(toMillis(m_session->world().now()), 0, 'f', 3));
    m_dirty = true;
    publish();
}

void SimBridge::forwardScheduleLog() {
    const auto& log = m_session->scheduleLog();
    // Gone back in time: the lines up to here were shown already; those of a replayed future show again.
    if (log.size() < m_scheduleLogShown) m_scheduleLogShown = log.size();
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
    if (total < m_resultsShown) m_resultsShown = total;  // gone back in time, as above
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
    // While the run plays, the verdicts follow at their own pace; a paused run's are always current.
    updateChecks(!m_session->playing());
    forwardScheduleLog();
    forwardConsoleResults();
    emit snapshotReady(currentSnapshot());
    const qint64 furthest = std::max(m_session->furthestTime(), m_session->world().now());
    if (furthest != m_furthestShown) {
        m_furthestShown = furthest;
        emit furthestTimeChanged(furthest);
    }
    // A rebuilt run is shown at once; growth waits for the publishing interval.
    const bool replaced = updateTimeline();
    publishTimeline(m_timelineWanted && replaced);
}

void SimBridge::refresh() {
    publish();
    publishTimeline(true);
}

void SimBridge::executeCommand(const QString& line) {
    emit commandEcho(line);
    auto result = m_session->execute(line.toStdString());
    if (!result) {
        emit commandError(localizedMessage(result.error()), localizedHint(result.error()));
    } else {
        if (!result->lines.empty())
            emit commandOutput(localizeLines(result->lines));
        else
            emit commandOutput(result->localized.empty() ? QString::fromStdString(result->text)
                                                         : localize(result->localized));
        if (result->resetRun) {
            // A new run: its schedule log and client results start from zero.
            m_scheduleLogShown = 0;
            m_resultsShown = 0;
            m_timelineWorld = nullptr;  // the new world may sit at the old one's address
            m_checksEvaluated = false;  // the same for the checks
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
    m_timelineWorld = nullptr;  // the new world may sit at the old one's address
    m_checksEvaluated = false;
    m_session->setPlaying(playing);
    m_session->setSpeed(speed);
    emit scenarioLoaded(QString::fromStdString(m_session->scenario().name), m_session->seed());
    publish();
}

}  // namespace distlab
