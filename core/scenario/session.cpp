#include "core/scenario/session.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "core/check/kv_checks.h"
#include "core/protocols/kv/control_node.h"
#include "core/protocols/kv/kv_client.h"
#include "core/protocols/kv/kv_messages.h"
#include "core/protocols/kv/kv_ring_view.h"
#include "core/protocols/kv/kv_server.h"
#include "core/protocols/ring/ring_stats.h"
#include "core/protocols/txn/txn_record.h"

namespace distlab {

const char* const kControlNodeId = "ctl";

static_assert(std::size_t(kScenarioNodesMax) <= kv::kRingMembersMax, "a scenario's ring must fit the store's ring updates");
static_assert(kPutKeyBytesMax == kv::kKeyBytesMax && kPutValueBytesMax == kv::kValueBytesMax,
              "the console must accept exactly what the store accepts");

namespace {

std::string statusName(NodeStatus status) {
    switch (status) {
        case NodeStatus::Up: return "up";
        case NodeStatus::Crashed: return "crashed";
        case NodeStatus::Paused: return "paused";
        case NodeStatus::Removed: return "removed";
    }
    return "up";
}

std::string formatPercent(double fraction) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    out << 100.0 * fraction;
    return out.str();
}

bool isServerId(const std::vector<std::string>& order, const std::string& id) {
    return std::find(order.begin(), order.end(), id) != order.end();
}

}  // namespace

std::string ScheduleLogEntry::line() const {
    return formatMillis(at) + "  " + command + "  ->  " + (ok ? "" : "error: ") + result.str();
}

// Everything a run's future depends on, at one moment: the world's checkpoint, the session's own state and
// copies of the labs (which refer to the world, restored in place).
struct Session::Checkpoint {
    std::uint64_t events = 0;
    SimTime at = 0;
    std::size_t logApplied = 0;
    std::shared_ptr<const World::Checkpoint> world;
    std::optional<LockLab> lockLab;
    std::optional<TxnLab> txnLab;
    std::optional<MqLab> mqLab;
    RunState run;
};

Session::Session(Scenario scenario) : m_loaded(scenario) {
    m_run.scenario = std::move(scenario);
    start(m_run.scenario.seed);
}

Session::~Session() = default;

void Session::start(std::uint64_t seed) {
    build(seed);
    m_checkpoints.clear();
    m_checkpointEvery = kCheckpointEvery;
    m_quiesced = false;
    takeCheckpoint();
}

void Session::takeCheckpoint() {
    if (m_quiesced) return;  // a future no replay reaches
    auto world = m_world->checkpoint();
    if (!world) return;  // a node that cannot be copied: seeks rebuild the run instead
    auto cp = std::make_shared<Checkpoint>();
    cp->events = m_world->eventsProcessed();
    cp->at = m_world->now();
    cp->logApplied = m_logApplied;
    cp->world = std::move(world);
    if (m_lockLab) cp->lockLab.emplace(*m_lockLab);
    if (m_txnLab) cp->txnLab.emplace(*m_txnLab);
    if (m_mqLab) cp->mqLab.emplace(*m_mqLab);
    cp->run = m_run;
    const auto after = std::upper_bound(m_checkpoints.begin(), m_checkpoints.end(), cp->events,
                                        [](std::uint64_t events, const auto& c) { return events < c->events; });
    m_checkpoints.insert(after, std::move(cp));
    if (m_checkpoints.size() <= kCheckpointsMax) return;
    m_checkpointEvery *= 2;
    std::erase_if(m_checkpoints, [this](const auto& c) { return c->events % m_checkpointEvery != 0; });
}

std::uint64_t Session::eventsToNextCheckpoint() const {
    return m_checkpointEvery - m_world->eventsProcessed() % m_checkpointEvery;
}

void Session::checkpointIfDue() {
    const std::uint64_t events = m_world->eventsProcessed();
    if (events % m_checkpointEvery != 0) return;
    const bool saved = std::any_of(m_checkpoints.rbegin(), m_checkpoints.rend(),
                                   [events](const auto& c) { return c->events == events; });
    if (!saved) takeCheckpoint();
}

void Session::restore(const Checkpoint& cp) {
    m_world->restore(*cp.world);
    m_lockLab = cp.lockLab ? std::make_unique<LockLab>(*cp.lockLab) : nullptr;
    m_txnLab = cp.txnLab ? std::make_unique<TxnLab>(*cp.txnLab) : nullptr;
    m_mqLab = cp.mqLab ? std::make_unique<MqLab>(*cp.mqLab) : nullptr;
    m_logApplied = cp.logApplied;
    m_run = cp.run;
}

void Session::rewindFor(std::uint64_t events, SimTime at) {
    // The latest checkpoint at or before the target; those ahead of the run lie in its retained future.
    const Checkpoint* best = nullptr;
    for (auto it = m_checkpoints.rbegin(); it != m_checkpoints.rend(); ++it) {
        const Checkpoint& cp = **it;
        if (cp.events <= events && cp.at <= at && m_world->canRestore(*cp.world)) {
            best = &cp;
            break;
        }
    }
    const bool behind = events < m_world->eventsProcessed() || at < m_world->now();
    if (best && (behind || best->events > m_world->eventsProcessed())) {
        restore(*best);
    } else if (behind) {
        const std::uint64_t seed = m_world->seed();
        m_run.scenario = m_loaded;
        build(seed);
        m_logApplied = 0;
        m_checkpoints.clear();  // their labs refer to the old world
    } else {
        return;
    }
    if (m_quiesced) {
        // The quiet period is in no command log: the run from here on replays without it.
        m_quiesced = false;
        m_world->trace().dropFuture();
    }
}

void Session::forkHere() {
    const std::uint64_t events = m_world->eventsProcessed();
    const SimTime now = m_world->now();
    std::erase_if(m_checkpoints, [&](const auto& c) {
        return c->events > events || c->at > now || c->logApplied > m_logApplied;
    });
    m_world->trace().dropFuture();
    m_furthestTime = m_world->now();  // the time slider ends here now
}

void Session::build(std::uint64_t seed) {
    m_lockLab.reset();  // it refers to the old world
    m_txnLab.reset();
    m_mqLab.reset();
    m_world = std::make_unique<World>(seed);
    Scenario scenario = std::move(m_run.scenario);
    m_run = RunState{};
    m_run.scenario = std::move(scenario);

    LinkConfig link;
    link.latencyMin = m_run.scenario.network.latencyMin;
    link.latencyMax = m_run.scenario.network.latencyMax;
    link.dropRate = m_run.scenario.network.drop;
    link.duplicateRate = m_run.scenario.network.duplicate;
    link.reorderRate = m_run.scenario.network.reorder;
    m_world->network().setDefaults(link);

    ring::RingConfig config;
    config.vnodes = m_run.scenario.ring.vnodes;
    config.hash = ring::parseHashKind(m_run.scenario.ring.hash).value_or(ring::HashKind::Xxh3);
    m_run.ring = ring::HashRing(config);
    // A lock lab without ring servers draws no keys: there is no ring to place them on.
    const bool ringless =
        (m_run.scenario.lock.enabled || m_run.scenario.txn.enabled || m_run.scenario.mq.enabled) &&
        m_run.scenario.nodes.empty();
    m_run.sampleKeys = ring::sampleKeyHashes(config.hash, ringless ? 0 : std::size_t(m_run.scenario.ring.sampleKeys));

    auto ctl = m_world->addNode(kControlNodeId, [] { return std::make_unique<kv::ControlNode>(); });
    if (!ctl) m_run.scheduleLog.push_back(ScheduleLogEntry{0, "start", false, ctl.error().text});
    if (m_run.scenario.lock.enabled) {
        m_lockLab = std::make_unique<LockLab>(*m_world, m_run.scenario.lock, kControlNodeId);
        for (const Error& error : m_lockLab->start())
            m_run.scheduleLog.push_back(ScheduleLogEntry{0, "lock lab", false,
                                                     error.text.empty() ? makeText("%1", error.message) : error.text});
    }
    if (m_run.scenario.txn.enabled) m_txnLab = std::make_unique<TxnLab>(*m_world, m_run.scenario.txn, kControlNodeId);
    if (m_run.scenario.mq.enabled)
        m_mqLab = std::make_unique<MqLab>(*m_world, m_run.scenario.mq, kControlNodeId);
    for (const auto& id : m_run.scenario.nodes) {
        auto added = addServer(id);
        if (!added) m_run.scheduleLog.push_back(ScheduleLogEntry{0, "node add " + id, false, added.error().text});
    }
    kv::KvClientConfig clientConfig;
    clientConfig.keys = m_run.scenario.workload.keys;
    clientConfig.intervalMin = m_run.scenario.workload.intervalMin;
    clientConfig.intervalMax = m_run.scenario.workload.intervalMax;
    clientConfig.writeRatio = m_run.scenario.workload.writeRatio;
    for (int i = 1; i <= m_run.scenario.workload.clients; ++i) {
        const std::string id = "c" + std::to_string(i);
        auto added = m_world->addNode(id, [clientConfig] { return std::make_unique<kv::KvClient>(clientConfig); });
        if (added) m_run.clients.push_back(id);
    }
    announceRing();
    refreshOwnership();

    for (const auto& scheduled : m_run.scenario.schedule) {
        const bool arms = scheduled.command.kind == CommandKind::Crash && !scheduled.command.key.empty();
        m_run.scheduledArmsPending += arms;
        m_world->schedule(scheduled.at, [this, arms, command = scheduled.command](World& world) {
            m_run.scheduledArmsPending -= arms;
            if (m_run.scheduleStopped) return;
            world.note("schedule: " + command.text);
            auto result = executeScheduled(command);
            ScheduleLogEntry entry{world.now(), command.text, result.ok(), {}};
            if (result) {
                entry.result = result->localized.empty() ? makeText("%1", result->text) : result->localized;
            } else {
                entry.result = result.error().text.empty() ? makeText("%1", result.error().message) : result.error().text;
            }
            m_run.scheduleLog.push_back(std::move(entry));
        });
    }
}

Status Session::addServer(const std::string& id) {
    kv::KvServerConfig config;
    auto added = m_world->addNode(id, [config] { return std::make_unique<kv::KvServer>(config); });
    if (!added) return added.error();
    if (!m_run.ring.addNode(id)) {
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' cannot join the ring"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "the ring allows at most %1 nodes"), ring::kNodesMax));
    }
    if (!isServerId(m_run.colorOrder, id)) m_run.colorOrder.push_back(id);
    return Ok{};
}

std::vector<std::string> Session::serverIds() const { return m_run.ring.nodeIds(); }

ring::HashRing Session::effectiveRing() const {
    ring::HashRing effective = m_run.ring;
    for (const auto& id : m_run.down) effective.removeNode(id);
    return effective;
}

void Session::announceRing() {
    ++m_run.epoch;
    const kv::RingUpdate update = kv::makeRingUpdate(m_run.epoch, m_run.ring, m_run.scenario.ring.replicas, m_run.down);
    for (NodeIndex i = 0; i < m_world->nodeCount(); ++i) {
        const std::string& id = m_world->nameOf(i);
        if (id == kControlNodeId || m_world->status(i) == NodeStatus::Removed) continue;
        if (m_lockLab && m_lockLab->ownsNode(id)) continue;  // the lock lab has no use for the ring
        if (m_txnLab && m_txnLab->ownsNode(id)) continue;    // nor has the transaction lab
        if (m_mqLab && m_mqLab->ownsNode(id)) continue;      // nor has the queue lab
        (void)m_world->sendFrom(kControlNodeId, id, makeBody(update));
    }
}

void Session::placeMarkers() {
    // A node has no single place on the ring, so its marker goes on whichever of its own virtual nodes is
    // farthest from the markers already placed: the labels spread out and each sits on that node's range.
    constexpr std::size_t kSpreadNodesMax = 64;  // beyond this, the first point is good enough
    m_run.homePoints.clear();
    std::vector<std::uint64_t> placed;
    for (const auto& id : m_run.ring.nodeIds()) {
        const std::vector<std::uint64_t> points = m_run.ring.pointsOf(id);
        if (points.empty()) continue;
        std::uint64_t best = points.front();
        if (!placed.empty() && m_run.ring.nodeCount() <= kSpreadNodesMax) {
            std::uint64_t bestGap = 0;
            for (std::uint64_t p : points) {
                std::uint64_t gap = ~std::uint64_t(0);
                for (std::uint64_t q : placed) gap = std::min(gap, std::min(p - q, q - p));  // circular distance
                if (gap > bestGap) {
                    bestGap = gap;
                    best = p;
                }
            }
        }
        placed.push_back(best);
        m_run.homePoints[id] = best;
    }
}

void Session::refreshOwnership() {
    placeMarkers();
    const ring::HashRing effective = effectiveRing();
    m_run.sampleOwners.assign(m_run.sampleKeys.size(), -1);
    // Map ring indices to world indices once, so the per-key loop is a lookup.
    std::vector<int> toWorld;
    for (const auto& id : effective.nodeIds()) toWorld.push_back(int(m_world->indexOf(id).value_or(NodeIndex(-1))));
    for (std::size_t k = 0; k < m_run.sampleKeys.size(); ++k) {
        const int owner = effective.ownerIndex(m_run.sampleKeys[k]);
        m_run.sampleOwners[k] = owner < 0 ? -1 : toWorld[std::size_t(owner)];
    }
}

Text Session::applyMembershipChange(const std::string& change, const ring::HashRing& before,
                                    const std::vector<std::string>& downBefore) {
    ring::HashRing effectiveBefore = before;
    for (const auto& id : downBefore) effectiveBefore.removeNode(id);
    const ring::MovementStats stats = ring::compareMovement(effectiveBefore, effectiveRing(), m_run.sampleKeys);
    MovementRecord record{m_world->now(), change, stats.keys, stats.movedRing, stats.movedModulo};
    m_run.movements.push_back(record);
    announceRing();
    refreshOwnership();
    return makeText(QT_TRANSLATE_NOOP("Core", "%1: %2 of %3 sample keys moved (%4%); modulo hashing would move %5 (%6%)"),
                    change, stats.movedRing, stats.keys, formatPercent(stats.fractionRing()), stats.movedModulo,
                    formatPercent(stats.fractionModulo()));
}

std::string Session::nextServerId() const {
    for (int n = 1;; ++n) {
        const std::string id = "n" + std::to_string(n);
        if (!m_world->indexOf(id)) return id;
    }
}

void Session::setSpeed(double speed) { m_speed = std::clamp(speed, kSpeedMin, kSpeedMax); }

LockLab& Session::lockLab() {
    if (!m_lockLab) {
        LockSpec spec;
        spec.enabled = true;
        spec.clients = 0;
        m_lockLab = std::make_unique<LockLab>(*m_world, spec, kControlNodeId);
        for (const Error& error : m_lockLab->start())
            m_run.scheduleLog.push_back(ScheduleLogEntry{m_world->now(), "lock lab", false,
                                                     error.text.empty() ? makeText("%1", error.message) : error.text});
    }
    return *m_lockLab;
}

TxnLab& Session::txnLab() {
    if (!m_txnLab) {
        TxnSpec spec;
        spec.enabled = true;
        m_txnLab = std::make_unique<TxnLab>(*m_world, spec, kControlNodeId);
    }
    return *m_txnLab;
}

MqLab& Session::mqLab() {
    if (!m_mqLab) {
        MqSpec spec;
        spec.enabled = true;
        m_mqLab = std::make_unique<MqLab>(*m_world, spec, kControlNodeId);
    }
    return *m_mqLab;
}

Result<Text> Session::killNode(const std::string& id) {
    if (!m_world->indexOf(id))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
    const ring::HashRing before = m_run.ring;
    const auto downBefore = m_run.down;
    if (auto crashed = m_world->crash(id); !crashed) return crashed.error();
    if (m_lockLab) m_lockLab->noteCrash(id, m_world->now());
    if (!m_run.ring.contains(id)) return makeText(QT_TRANSLATE_NOOP("Core", "killed %1"), id);
    m_run.down.push_back(id);
    return applyMembershipChange("kill " + id, before, downBefore);
}

Result<Text> Session::armCrash(const Command& command) {
    const std::string& id = command.nodes.front();
    auto index = m_world->indexOf(id);
    if (!index)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes; the transaction lab's nodes appear with its first txn or saga command")));
    if (m_world->status(*index) == NodeStatus::Removed)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' was removed"), id));
    auto pattern = parseCrashPattern(command.key);
    if (!pattern) return pattern.error();
    ArmedCrash armed{id, pattern.value(), command.text.empty() ? formatCommand(command) : command.text,
                     m_world->trace().size(), 0};
    m_run.armedCrashes.push_back(armed);
    const CrashPattern& p = armed.pattern;
    switch (p.kind) {
        case CrashPattern::Kind::Recv:
            return makeText(QT_TRANSLATE_NOOP("Core", "%1 will crash as soon as it has handled %2 more %3 message(s)"),
                            id, p.count, p.name);
        case CrashPattern::Kind::Send:
            return makeText(QT_TRANSLATE_NOOP("Core", "%1 will crash as soon as it has sent %2 more %3 message(s)"),
                            id, p.count, p.name);
        case CrashPattern::Kind::State:
            break;
    }
    return makeText(QT_TRANSLATE_NOOP("Core", "%1 will crash as soon as it has entered %2 %3 more time(s)"), id,
                    p.name, p.count);
}

void Session::fireArmedCrashes() {
    if (m_run.armedCrashes.empty()) return;
    const Trace& trace = m_world->trace();
    std::vector<ArmedCrash> due;
    for (auto it = m_run.armedCrashes.begin(); it != m_run.armedCrashes.end();) {
        const std::uint32_t node = trace.find(it->node);
        bool fire = false;
        for (; !fire && it->scannedTo < trace.size(); ++it->scannedTo) {
            const TraceEvent& event = trace.events()[it->scannedTo];
            if (node == kNoName || event.node != node) continue;
            bool match = false;
            switch (it->pattern.kind) {
                case CrashPattern::Kind::Recv:
                case CrashPattern::Kind::Send:
                    match = event.kind == (it->pattern.kind == CrashPattern::Kind::Recv ? TraceKind::Deliver : TraceKind::Send) &&
                            event.ref < trace.messageCount() &&
                            trace.message(event.ref).envelope.body.type == it->pattern.name;
                    break;
                case CrashPattern::Kind::State:
                    if (event.kind == TraceKind::State && event.text != kNoName) {
                        const std::string& text = trace.name(event.text);
                        const auto parsed = txn::parseTxnState(text);
                        match = text == it->pattern.name || (parsed && parsed->state == it->pattern.name);
                    }
                    break;
            }
            if (match) fire = ++it->seen >= it->pattern.count;
        }
        if (fire) {
            due.push_back(std::move(*it));
            it = m_run.armedCrashes.erase(it);
        } else {
            ++it;
        }
    }
    for (const ArmedCrash& armed : due) {
        m_world->note("armed crash fires: " + armed.command);
        auto index = m_world->indexOf(armed.node);
        ScheduleLogEntry entry{m_world->now(), armed.command, true, {}};
        if (index && m_world->status(*index) == NodeStatus::Crashed) {
            entry.ok = false;
            entry.result = makeText(QT_TRANSLATE_NOOP("Core", "node '%1' is already down"), armed.node);
        } else if (auto killed = killNode(armed.node); killed) {
            entry.result = std::move(killed).value();
        } else {
            entry.ok = false;
            entry.result = killed.error().text.empty() ? makeText("%1", killed.error().message) : killed.error().text;
        }
        m_run.scheduleLog.push_back(std::move(entry));
    }
}

bool Session::needsSessionLoop() const {
    return m_logApplied < m_commandLog.size() || !m_run.armedCrashes.empty() || m_run.scheduledArmsPending > 0;
}

Result<CommandOutput> Session::execute(std::string_view line) {
    auto command = parseCommand(line);
    if (!command) return command.error();
    return execute(command.value());
}

Result<CommandOutput> Session::executeScheduled(const Command& command) {
    switch (command.kind) {
        case CommandKind::Step:
        case CommandKind::StepBack:
        case CommandKind::Seek:
        case CommandKind::Run:
        case CommandKind::Seed:
        case CommandKind::Play:
        case CommandKind::Pause:
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' cannot run from a schedule"), command.text));
        // Part of the scenario, so a rebuilt run schedules it again: not part of the command log.
        default: return executeNow(command);
    }
}

namespace {

// Commands that change the run and so must be replayed when the run is rebuilt for time travel. The others
// only look at it, drive the clock, or (seed) start another run.
bool changesTheRun(CommandKind kind) {
    switch (kind) {
        case CommandKind::Help:
        case CommandKind::Status:
        case CommandKind::Step:
        case CommandKind::StepBack:
        case CommandKind::Seek:
        case CommandKind::Run:
        case CommandKind::Pause:
        case CommandKind::Play:
        case CommandKind::Speed:
        case CommandKind::Seed:
        case CommandKind::Trace:
            return false;
        default:
            return true;
    }
}

}  // namespace

Result<CommandOutput> Session::execute(const Command& command) {
    if (m_replaying || !changesTheRun(command.kind)) return executeNow(command);
    // Acting in the past forks a new future: the commands logged after this point no longer happen, and
    // the checkpoints and trace kept of the old future go. A command that fails changes nothing, so the
    // future stays.
    LoggedCommand entry{m_world->eventsProcessed(), m_world->now(), command};
    const std::size_t traced = m_world->trace().size();
    auto result = executeNow(command);
    if (result || m_world->trace().size() != traced) {
        m_commandLog.resize(m_logApplied);
        forkHere();
    }
    if (result) {
        m_commandLog.push_back(std::move(entry));
        m_logApplied = m_commandLog.size();
    }
    return result;
}

void Session::applyDueCommands(SimTime until) {
    while (m_logApplied < m_commandLog.size()) {
        const LoggedCommand& next = m_commandLog[m_logApplied];
        if (next.events != m_world->eventsProcessed() || next.at > until) return;
        // The command was given after time had moved on without events: move it there (no event is due
        // before that moment, or the original run would have processed it first).
        if (m_world->now() < next.at) (void)m_world->runUntil(next.at, 0);
        ++m_logApplied;
        m_replaying = true;
        (void)executeNow(next.command);
        m_replaying = false;
    }
}

RunStats Session::runUntil(SimTime until, std::uint64_t eventsMax) {
    RunStats stats;
    if (!needsSessionLoop()) {
        // Nothing to replay or watch between events: the kernel's own loop, stopping at each checkpoint.
        for (;;) {
            const RunStats part = m_world->runUntil(until, std::min(eventsMax - stats.events, eventsToNextCheckpoint()));
            stats.events += part.events;
            // Only a run stopped by its budget stands at its last event; otherwise the clock has moved on
            // to `until`, where a fresh run of as many events would not be (that boundary goes unsaved).
            if (!part.limitHit) break;
            checkpointIfDue();
            if (stats.events >= eventsMax) {
                stats.limitHit = true;
                break;
            }
        }
    } else {
        for (;;) {
            applyDueCommands(until);
            const std::optional<SimTime> next = m_world->nextEventTime();
            if (!next || *next > until) {
                (void)m_world->runUntil(until, 0);
                break;
            }
            if (stats.events >= eventsMax) {
                stats.limitHit = true;
                break;
            }
            m_world->step();
            ++stats.events;
            fireArmedCrashes();
            checkpointIfDue();
        }
    }
    noteProgress();
    return stats;
}

RunStats Session::runEvents(std::uint64_t count) {
    RunStats stats;
    for (;;) {
        applyDueCommands(std::numeric_limits<SimTime>::max());
        if (stats.events >= count || !m_world->step()) break;
        ++stats.events;
        fireArmedCrashes();
        checkpointIfDue();
    }
    stats.limitHit = stats.events == count && m_world->nextEventTime().has_value();
    noteProgress();
    return stats;
}

void Session::seekToEvent(std::uint64_t events) {
    rewindFor(events, std::numeric_limits<SimTime>::max());
    (void)runEvents(events - m_world->eventsProcessed());
}

void Session::seekToTime(SimTime at) {
    rewindFor(std::numeric_limits<std::uint64_t>::max(), at);
    (void)runUntil(at, kEventsPerCommandMax);
}

Result<CommandOutput> Session::executeNow(const Command& command) {
    auto text = [](std::string s) { return CommandOutput{std::move(s), {}, false}; };
    auto say = [](Text t) {
        std::string english = t.str();
        return CommandOutput{std::move(english), std::move(t), false};
    };
    auto requireServer = [this](const std::string& id) -> Status {
        if (!m_world->indexOf(id)) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id), makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
        if (!m_run.ring.contains(id) && !isServerId(m_run.colorOrder, id))
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a ring node"), id), makeText(QT_TRANSLATE_NOOP("Core", "only servers (n1, n2, ...) can be changed this way")));
        return Ok{};
    };

    const bool stopsANode = command.kind == CommandKind::NodeKill || command.kind == CommandKind::NodePause ||
                            command.kind == CommandKind::NodeRemove || command.kind == CommandKind::Crash;
    if (stopsANode && !command.nodes.empty() && command.nodes.front() == kControlNodeId) {
        // Without the membership service no node would hear of later changes, and the checks could not
        // quiesce the cluster; its own failure is a lesson for another lab.
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'ctl' is the membership service and stays up in this lab")),
                         makeText(QT_TRANSLATE_NOOP("Core", "cut it off with 'partition' or 'cut' to see what missing ring updates do")));
    }

    switch (command.kind) {
        case CommandKind::Help: return text(helpText(command.key));
        case CommandKind::Status: return text(statusText());

        case CommandKind::NodeAdd: {
            const std::string id = command.nodes.empty() ? nextServerId() : command.nodes.front();
            if (auto index = m_world->indexOf(id); index && m_world->status(*index) != NodeStatus::Removed)
                return makeError(makeText(QT_TRANSLATE_NOOP("Core", "node '%1' already exists"), id),
                                 makeText(QT_TRANSLATE_NOOP("Core", "pick another id, or leave it out")));
            if (m_run.ring.nodeCount() >= kv::kRingMembersMax)
                return makeError(makeText(QT_TRANSLATE_NOOP("Core", "the ring already has %1 nodes, the most the demo store supports"), kv::kRingMembersMax),
                                 makeText(QT_TRANSLATE_NOOP("Core", "remove a node first")));
            if (isReservedNodeId(id))
                return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is reserved for the lab's own processes"), id),
                                 makeText(QT_TRANSLATE_NOOP("Core", "server ids look like n7; leave the id out to get the next free one")));
            const ring::HashRing before = m_run.ring;
            const auto downBefore = m_run.down;
            if (auto added = addServer(id); !added) return added.error();
            return say(applyMembershipChange("add " + id, before, downBefore));
        }
        case CommandKind::NodeKill:
        case CommandKind::Crash: {
            const std::string& id = command.nodes.front();
            auto done = command.kind == CommandKind::Crash && !command.key.empty() ? armCrash(command) : killNode(id);
            if (!done) return done.error();
            return say(std::move(done).value());
        }
        case CommandKind::QueueDeclare:
        case CommandKind::QueueBind:
        case CommandKind::Publish:
        case CommandKind::Consume:
        case CommandKind::Ack:
        case CommandKind::Nack:
        case CommandKind::MqMode: {
            auto done = mqLab().execute(command);
            if (!done) return done.error();
            return say(std::move(done).value());
        }
        case CommandKind::Txn2pc:
        case CommandKind::Txn3pc:
        case CommandKind::SagaRun: {
            auto done = txnLab().execute(command);
            if (!done) return done.error();
            return say(std::move(done).value());
        }
        case CommandKind::NodeRestart: {
            const std::string& id = command.nodes.front();
            if (!m_world->indexOf(id)) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id), makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
            const ring::HashRing before = m_run.ring;
            const auto downBefore = m_run.down;
            if (auto restarted = m_world->restart(id); !restarted) return restarted.error();
            auto it = std::find(m_run.down.begin(), m_run.down.end(), id);
            if (it == m_run.down.end()) return say(makeText(QT_TRANSLATE_NOOP("Core", "restarted %1"), id));
            m_run.down.erase(it);
            return say(applyMembershipChange("restart " + id, before, downBefore));
        }
        case CommandKind::NodePause: {
            const std::string& id = command.nodes.front();
            if (auto paused = m_world->pause(id, command.duration); !paused) return paused.error();
            return say(makeText(QT_TRANSLATE_NOOP("Core", "paused %1 for %2 (stop-the-world)"), id, formatMillis(command.duration)));
        }
        case CommandKind::NodeRemove: {
            const std::string& id = command.nodes.front();
            if (auto ok = requireServer(id); !ok) return ok.error();
            const ring::HashRing before = m_run.ring;
            const auto downBefore = m_run.down;
            if (auto removed = m_world->remove(id); !removed) return removed.error();
            m_run.ring.removeNode(id);
            std::erase(m_run.down, id);
            return say(applyMembershipChange("remove " + id, before, downBefore));
        }
        case CommandKind::Partition: {
            if (auto cut = m_world->partition(command.groups); !cut) return cut.error();
            return say(makeText(QT_TRANSLATE_NOOP("Core", "partitioned: %1"), command.text.substr(command.text.find(' ') + 1)));
        }
        case CommandKind::Cut: {
            if (auto cut = m_world->cut(command.nodes[0], command.nodes[1]); !cut) return cut.error();
            return say(makeText(QT_TRANSLATE_NOOP("Core", "cut %1 -> %2 (one way)"), command.nodes[0], command.nodes[1]));
        }
        case CommandKind::Heal:
            m_world->heal();
            return say(makeText(QT_TRANSLATE_NOOP("Core", "network healed")));

        case CommandKind::ClientPause: {
            const std::string& id = command.nodes.front();
            const bool client = std::find(m_run.clients.begin(), m_run.clients.end(), id) != m_run.clients.end() ||
                                (m_lockLab && m_lockLab->isClient(id));
            if (!client) {
                if (!m_world->indexOf(id)) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id), makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
                return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a client"), id),
                                 makeText(QT_TRANSLATE_NOOP("Core", "to freeze a server, use 'node pause %1 MS'"), id));
            }
            if (auto paused = m_world->pause(id, command.duration); !paused) return paused.error();
            return say(makeText(QT_TRANSLATE_NOOP("Core", "paused %1 for %2 (stop-the-world): it will not notice the time it lost"), id, formatMillis(command.duration)));
        }
        case CommandKind::LockAcquire:
        case CommandKind::LockRelease:
        case CommandKind::ClientSlow:
        case CommandKind::ClockJump:
        case CommandKind::ClockDrift:
        case CommandKind::Fencing:
        case CommandKind::ZkWatch: {
            auto done = lockLab().execute(command);
            if (!done) return done.error();
            return say(std::move(done).value());
        }

        case CommandKind::Put:
        case CommandKind::Get: {
            if (m_run.clients.empty()) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "this scenario has no clients")), makeText(QT_TRANSLATE_NOOP("Core", "add \"clients\" to the workload")));
            // Round-robin over the clients that are up.
            for (std::size_t tries = 0; tries < m_run.clients.size(); ++tries) {
                const std::string& client = m_run.clients[m_run.nextClient++ % m_run.clients.size()];
                if (m_world->status(*m_world->indexOf(client)) != NodeStatus::Up) continue;
                Body body = command.kind == CommandKind::Put ? makeBody(kv::ClientPut{command.key, command.value})
                                                             : makeBody(kv::ClientGet{command.key});
                if (auto sent = m_world->sendFrom(kControlNodeId, client, std::move(body)); !sent) return sent.error();
                const ring::HashRing effective = effectiveRing();  // owner() points into it
                const std::string* owner = effective.owner(ring::keyHash(m_run.ring.config().hash, command.key));
                const std::string ownerId = owner ? *owner : std::string("-");
                return say(command.kind == CommandKind::Put
                               ? makeText(QT_TRANSLATE_NOOP("Core", "%1 will put %2 (owner: %3)"), client, command.key, ownerId)
                               : makeText(QT_TRANSLATE_NOOP("Core", "%1 will get %2 (owner: %3)"), client, command.key, ownerId));
            }
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "every client is down")), makeText(QT_TRANSLATE_NOOP("Core", "restart one with 'node restart c1'")));
        }

        case CommandKind::RingVnodes:
        case CommandKind::RingHash: {
            const ring::HashRing before = m_run.ring;
            std::string change;
            if (command.kind == CommandKind::RingVnodes) {
                m_run.ring.setVnodes(int(command.count));
                m_run.scenario.ring.vnodes = int(command.count);
                change = "vnodes " + std::to_string(command.count);
            } else {
                const auto kind = ring::parseHashKind(command.key);
                if (!kind) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown hash '%1'"), command.key), makeText(QT_TRANSLATE_NOOP("Core", "use xxh3 or ketama")));
                m_run.ring.setHash(*kind);
                m_run.scenario.ring.hash = command.key;
                m_run.sampleKeys = ring::sampleKeyHashes(*kind, m_run.sampleKeys.size());
                change = "hash " + command.key;
            }
            return say(applyMembershipChange(change, before, m_run.down));
        }
        case CommandKind::RingReplicas:
            m_run.scenario.ring.replicas = int(command.count);
            announceRing();
            return say(makeText(QT_TRANSLATE_NOOP("Core", "replicas per key: %1"), command.count));

        case CommandKind::StepBack: {
            const std::uint64_t now = m_world->eventsProcessed();
            const std::uint64_t back = std::min<std::uint64_t>(now, std::uint64_t(command.count));
            seekToEvent(now - back);
            return say(makeText(QT_TRANSLATE_NOOP("Core", "back %1 event(s), to event %2 at %3"), back,
                                m_world->eventsProcessed(), formatMillis(m_world->now())));
        }
        case CommandKind::Seek: {
            seekToTime(command.duration);
            return say(makeText(QT_TRANSLATE_NOOP("Core", "at %1, event %2"), formatMillis(m_world->now()),
                                m_world->eventsProcessed()));
        }
        case CommandKind::Step: {
            const RunStats stats = runEvents(std::uint64_t(command.count));
            return say(makeText(QT_TRANSLATE_NOOP("Core", "stepped %1 event(s); now %2"), stats.events, formatMillis(m_world->now())));
        }
        case CommandKind::Run: {
            if (command.duration == 0) {
                m_playing = true;
                return say(makeText(QT_TRANSLATE_NOOP("Core", "running")));
            }
            const RunStats stats = runUntil(m_world->now() + command.duration, kEventsPerCommandMax);
            if (stats.limitHit)
                return say(makeText(QT_TRANSLATE_NOOP("Core", "ran %1 events; now %2 (stopped at the limit of %3 events)"),
                                    stats.events, formatMillis(m_world->now()), kEventsPerCommandMax));
            return say(makeText(QT_TRANSLATE_NOOP("Core", "ran %1 events; now %2"), stats.events, formatMillis(m_world->now())));
        }
        case CommandKind::Pause:
            m_playing = false;
            return say(makeText(QT_TRANSLATE_NOOP("Core", "paused at %1"), formatMillis(m_world->now())));
        case CommandKind::Play:
            m_playing = true;
            return say(makeText(QT_TRANSLATE_NOOP("Core", "running")));
        case CommandKind::Speed: {
            setSpeed(command.real);
            std::ostringstream out;
            out << m_speed;
            return say(makeText(QT_TRANSLATE_NOOP("Core", "speed x%1"), out.str()));
        }
        case CommandKind::Seed: {
            // The scenario as loaded, so that the run can be reproduced from the file and this seed.
            m_run.scenario = m_loaded;
            m_commandLog.clear();
            m_logApplied = 0;
            m_furthestTime = 0;
            start(std::uint64_t(command.count));
            CommandOutput out = say(makeText(QT_TRANSLATE_NOOP("Core", "restarted the scenario as loaded, with seed %1"), command.count));
            out.resetRun = true;
            return out;
        }
        case CommandKind::NetLatency:
        case CommandKind::NetDrop:
        case CommandKind::NetDuplicate:
        case CommandKind::NetReorder: {
            LinkConfig link = m_world->network().defaults();
            std::ostringstream rate;
            rate << command.real;
            Text out;
            switch (command.kind) {
                case CommandKind::NetLatency:
                    link.latencyMin = command.duration;
                    link.latencyMax = command.duration2;
                    out = makeText(QT_TRANSLATE_NOOP("Core", "latency %1 to %2"), formatMillis(link.latencyMin),
                                   formatMillis(link.latencyMax));
                    break;
                case CommandKind::NetDrop:
                    link.dropRate = command.real;
                    out = makeText(QT_TRANSLATE_NOOP("Core", "drop rate %1"), rate.str());
                    break;
                case CommandKind::NetDuplicate:
                    link.duplicateRate = command.real;
                    out = makeText(QT_TRANSLATE_NOOP("Core", "duplicate rate %1"), rate.str());
                    break;
                default:
                    link.reorderRate = command.real;
                    out = makeText(QT_TRANSLATE_NOOP("Core", "reorder rate %1"), rate.str());
                    break;
            }
            m_world->network().setDefaults(link);
            return say(std::move(out));
        }
        case CommandKind::Trace: {
            if (command.key.empty())
                return say(makeText(QT_TRANSLATE_NOOP("Core", "%1 trace events; give a file name to export them"), m_world->trace().size()));
            std::ofstream file(command.key, std::ios::binary);
            if (!file) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot write '%1'"), command.key), makeText(QT_TRANSLATE_NOOP("Core", "check the folder exists and is writable")));
            m_world->trace().writeJsonLines(file);
            if (!file) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "writing '%1' failed"), command.key));
            return say(makeText(QT_TRANSLATE_NOOP("Core", "wrote %1 events to %2"), m_world->trace().size(), command.key));
        }
    }
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "command not supported here: %1"), command.text));
}

std::string Session::statusText() const {
    std::ostringstream out;
    out << "seed " << seed() << ", t = " << formatMillis(m_world->now()) << ", " << m_world->eventsProcessed()
        << " events, ring epoch " << m_run.epoch << "\n";
    for (NodeIndex i = 0; i < m_world->nodeCount(); ++i) {
        const std::string& id = m_world->nameOf(i);
        out << "  " << id << "  " << statusName(m_world->status(i));
        if (m_run.ring.contains(id)) out << "  (ring)";
        out << "\n";
    }
    const auto& stats = m_world->messageStats();
    out << "messages: " << stats.sent << " sent, " << stats.delivered << " delivered, " << stats.dropped
        << " dropped, " << stats.duplicated << " duplicated";
    return out.str();
}

RunStats Session::advance(SimTime duration, std::uint64_t eventsMax) {
    return runUntil(m_world->now() + duration, eventsMax);
}

std::vector<CheckResult> Session::checks() const {
    std::vector<CheckResult> results;
    if (m_world->trace().truncated()) {
        CheckResult incomplete;
        incomplete.name = "trace-complete";
        incomplete.ok = false;
        incomplete.explanation = "The run outgrew the trace's limits (" + std::to_string(m_world->limits().traceEventsMax) +
                                 " events or " + std::to_string(m_world->limits().traceMessageBytesMax >> 20) +
                                 " MiB of messages), so the history the checks read stops early; their verdicts cover "
                                 "only the start of the run. Run for a shorter time, or with fewer nodes, to check all of it.";
        results.push_back(std::move(incomplete));
    }
    if (hasKvLab() || (!m_lockLab && !m_txnLab && !m_mqLab)) {
        results.push_back(checkReplicasAgree(*m_world, m_run.ring, m_run.down, m_run.scenario.ring.replicas));
        results.push_back(checkNoLostWrites(*m_world, m_run.ring, m_run.down, m_run.scenario.ring.replicas));
        results.push_back(checkAcknowledgedOrder(*m_world));
    }
    if (m_lockLab)
        for (CheckResult& result : m_lockLab->checks()) results.push_back(std::move(result));
    if (m_txnLab)
        for (CheckResult& result : m_txnLab->checks()) results.push_back(std::move(result));
    if (m_mqLab)
        for (CheckResult& result : m_mqLab->checks()) results.push_back(std::move(result));
    return results;
}

std::vector<CheckResult> Session::quiesceAndCheck() {
    forkHere();  // the workload stops here, which no command log records
    m_quiesced = true;
    m_world->note("quiesce: stop the workload and the network faults, let the replicas settle");
    m_run.scheduleStopped = true;
    // A quiet network: no partitions, no loss, no duplicates, so the control messages below arrive and
    // anti-entropy can finish. Latency stays as it was.
    LinkConfig quiet = m_world->network().defaults();
    quiet.dropRate = 0;
    quiet.duplicateRate = 0;
    m_world->network().setDefaults(quiet);
    m_world->heal();  // first, so that the messages below get through
    for (const auto& client : m_run.clients) {
        const NodeStatus status = m_world->status(*m_world->indexOf(client));
        if (status == NodeStatus::Up || status == NodeStatus::Paused)
            (void)m_world->sendFrom(kControlNodeId, client, makeBody(kv::Workload{false}));
    }
    announceRing();
    // Let every stop-the-world pause end (bounded), then give the cluster its quiet period.
    SimTime pausesEnd = m_world->now();
    for (NodeIndex i = 0; i < m_world->nodeCount(); ++i)
        if (m_world->status(i) == NodeStatus::Paused) pausesEnd = std::max(pausesEnd, m_world->pausedUntil(i));
    pausesEnd = std::min(pausesEnd, m_world->now() + kQuiescePausesMax);
    // The session's loop, so that a crash armed with `crash --after` still fires in the quiet period.
    m_run.eventLimitHit |= runUntil(pausesEnd + kQuietPeriod, kEventsPerCommandMax).limitHit;
    m_world->note("quiet period over: checking");
    return checks();
}

std::vector<CheckResult> Session::runToEndAndCheck(SimTime runFor) {
    m_run.eventLimitHit |= runUntil(runFor, kEventsPerCommandMax).limitHit;
    return quiesceAndCheck();
}

const std::vector<kv::ClientResult>& Session::consoleResults() const {
    static const std::vector<kv::ClientResult> kNone;
    const auto ctl = m_world->indexOf(kControlNodeId);
    const auto* node = ctl ? dynamic_cast<const kv::ControlNode*>(m_world->node(*ctl)) : nullptr;
    return node ? node->results() : kNone;
}

std::uint64_t Session::consoleResultsTotal() const {
    const auto ctl = m_world->indexOf(kControlNodeId);
    const auto* node = ctl ? dynamic_cast<const kv::ControlNode*>(m_world->node(*ctl)) : nullptr;
    return node ? node->resultsTotal() : 0;
}

int Session::colorIndexOf(const std::string& id) const {
    auto it = std::find(m_run.colorOrder.begin(), m_run.colorOrder.end(), id);
    return it == m_run.colorOrder.end() ? -1 : int(it - m_run.colorOrder.begin());
}

ClusterSnapshot Session::snapshot() const {
    ClusterSnapshot snap;
    snap.now = m_world->now();
    snap.seed = seed();
    snap.events = m_world->eventsProcessed();
    snap.traceEvents = m_world->trace().size();
    snap.running = m_playing;
    snap.speed = m_speed;
    snap.scenarioName = m_run.scenario.name;
    snap.hashName = std::string(ring::hashKindName(m_run.ring.config().hash));
    snap.vnodesPerNode = m_run.ring.config().vnodes;
    snap.movements = m_run.movements;

    std::size_t clientNo = 0;
    for (NodeIndex i = 0; i < m_world->nodeCount(); ++i) {
        NodeView view;
        view.id = m_world->nameOf(i);
        view.status = m_world->status(i);
        view.pausedUntil = m_world->pausedUntil(i);
        if (view.id == kControlNodeId) {
            view.role = NodeRole::Control;
        } else if (m_lockLab && m_lockLab->ownsNode(view.id) && !m_lockLab->isClient(view.id)) {
            view.role = NodeRole::Service;
            view.colorIndex = int(clientNo++);
        } else if (m_mqLab && m_mqLab->ownsNode(view.id)) {
            // The broker and the ledger serve; the producer and the consumers are its clients.
            view.role =
                view.id == kMqBrokerId || view.id == kMqLedgerId ? NodeRole::Service : NodeRole::Client;
            view.colorIndex = int(clientNo++);
        } else if (m_txnLab && m_txnLab->ownsNode(view.id)) {
            // Coordinators, participants, the orchestrator and its services all serve the transaction.
            view.role = NodeRole::Service;
            view.colorIndex = int(clientNo++);
        } else if (m_run.ring.contains(view.id) || isServerId(m_run.colorOrder, view.id)) {
            view.role = NodeRole::Server;
            view.colorIndex = colorIndexOf(view.id);
            view.onRing = m_run.ring.contains(view.id) && std::find(m_run.down.begin(), m_run.down.end(), view.id) == m_run.down.end();
            view.vnodePoints = m_run.ring.pointsOf(view.id);
            if (auto home = m_run.homePoints.find(view.id); home != m_run.homePoints.end()) view.homePoint = home->second;
        } else {
            view.role = NodeRole::Client;
            view.colorIndex = int(clientNo++);
        }
        for (const auto& [key, value] : m_world->store(i).entries()) {
            (void)value;
            view.keysStored += key.rfind("kv/", 0) == 0;
        }
        if (const Node* node = m_world->node(i)) node->describe(view.details);
        snap.nodes.push_back(std::move(view));
    }
    snap.keys.reserve(m_run.sampleKeys.size());
    for (std::size_t k = 0; k < m_run.sampleKeys.size(); ++k) {
        snap.keys.push_back(KeyView{m_run.sampleKeys[k], m_run.sampleOwners[k]});
        if (m_run.sampleOwners[k] >= 0) snap.nodes[std::size_t(m_run.sampleOwners[k])].keysOwned++;
    }
    for (auto& node : snap.nodes)
        node.loadShare = m_run.sampleKeys.empty() ? 0.0 : double(node.keysOwned) / double(m_run.sampleKeys.size());

    for (const auto& [id, delivery] : m_world->inFlight()) {
        snap.nodes[delivery.to].pendingMessages++;
        if (snap.inFlight.size() >= kSnapshotMessagesMax) continue;
        MessageView message;
        message.id = delivery.id;
        message.src = int(delivery.from);
        message.dest = int(delivery.to);
        message.type = delivery.envelope->body.type;
        message.sentAt = delivery.sentAt;
        message.deliverAt = delivery.deliverAt;
        snap.inFlight.push_back(std::move(message));
    }
    snap.txnActive = m_txnLab != nullptr;
    if (m_lockLab || m_mqLab) {
        std::vector<std::string> ids;
        for (const auto& node : snap.nodes) ids.push_back(node.id);
        if (m_lockLab) snap.locks = m_lockLab->view(ids);
        if (m_mqLab) snap.mq = m_mqLab->view(ids);
    }
    for (const auto& group : m_world->network().groups()) {
        auto& out = snap.partitions.groups.emplace_back();
        for (NodeIndex n : group) out.push_back(int(n));
    }
    if (snap.partitions.groups.empty()) {
        for (const auto& [from, to] : m_world->network().blockedLinks())
            snap.partitions.oneWayCuts.emplace_back(int(from), int(to));
    }
    return snap;
}

Json Session::summaryJson(const std::vector<CheckResult>& checks) const {
    const auto& stats = m_world->messageStats();
    Json nodes = Json::array();
    for (NodeIndex i = 0; i < m_world->nodeCount(); ++i)
        nodes.push_back(Json{{"id", m_world->nameOf(i)}, {"status", statusName(m_world->status(i))}});
    Json checkList = Json::array();
    for (const auto& check : checks)
        checkList.push_back(Json{{"name", check.name}, {"ok", check.ok}, {"explanation", check.explanation}});
    Json movements = Json::array();
    for (const auto& m : m_run.movements)
        movements.push_back(Json{{"at_ms", toMillis(m.at)}, {"change", m.change}, {"keys", m.keys},
                                 {"moved_ring", m.movedRing}, {"moved_modulo", m.movedModulo}});
    Json summary{{"scenario", m_run.scenario.name},
                {"seed", seed()},
                {"sim_ms", toMillis(m_world->now())},
                {"event_limit_hit", m_run.eventLimitHit},
                {"trace_complete", !m_world->trace().truncated()},
                {"events", m_world->eventsProcessed()},
                {"messages",
                 {{"sent", stats.sent}, {"delivered", stats.delivered}, {"dropped", stats.dropped},
                  {"duplicated", stats.duplicated}}},
                {"nodes", nodes},
                {"movements", movements},
                {"checks", checkList}};
    if (m_lockLab) summary["lock"] = m_lockLab->summaryJson();
    if (m_txnLab) summary["txn"] = m_txnLab->summaryJson();
    if (m_mqLab) summary["mq"] = m_mqLab->summaryJson();
    return summary;
}

}  // namespace distlab
