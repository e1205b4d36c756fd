#include "core/session/session.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "core/check/check_support.h"
#include "core/labs/registry.h"
#include "core/protocols/kv/control_node.h"
#include "core/protocols/txn/txn_record.h"

namespace distlab {

const char* const kControlNodeId = "ctl";

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

// The status word as `status` shows it; statusName stays the JSON summary's English.
Text statusWord(NodeStatus status) {
    switch (status) {
        case NodeStatus::Up: return makeText(QT_TRANSLATE_NOOP("Core", "up"));
        case NodeStatus::Crashed: return makeText(QT_TRANSLATE_NOOP("Core", "crashed"));
        case NodeStatus::Paused: return makeText(QT_TRANSLATE_NOOP("Core", "paused"));
        case NodeStatus::Removed: return makeText(QT_TRANSLATE_NOOP("Core", "removed"));
    }
    return makeText(QT_TRANSLATE_NOOP("Core", "up"));
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
    std::vector<std::unique_ptr<Lab>> labs;
    RunState run;
};

Session::Session(Scenario scenario) : m_loaded(std::move(scenario)) { start(m_loaded.seed); }

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
    for (const auto& lab : m_labs) cp->labs.push_back(lab->clone());
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
    m_labs.clear();
    for (const auto& lab : cp.labs) m_labs.push_back(lab->clone());
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
    m_labs.clear();  // they refer to the old world
    m_world = std::make_unique<World>(seed);
    m_run = RunState{};

    LinkConfig link;
    link.latencyMin = m_loaded.network.latencyMin;
    link.latencyMax = m_loaded.network.latencyMax;
    link.dropRate = m_loaded.network.drop;
    link.duplicateRate = m_loaded.network.duplicate;
    link.reorderRate = m_loaded.network.reorder;
    m_world->network().setDefaults(link);

    auto ctl = m_world->addNode(kControlNodeId, [] { return std::make_unique<kv::ControlNode>(); });
    if (!ctl) m_run.scheduleLog.push_back(ScheduleLogEntry{0, "start", false, ctl.error().text});
    for (const LabEntry& entry : labRegistry())
        if (entry.inScenario ? entry.inScenario(m_loaded) : m_loaded.hasSection(entry.name))
            startLab(entry.create(*this, &m_loaded));

    for (const auto& scheduled : m_loaded.schedule) {
        const bool arms = scheduled.command.is(commands::kCrash) && !scheduled.command.key.empty();
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

void Session::setSpeed(double speed) { m_speed = std::clamp(speed, kSpeedMin, kSpeedMax); }

namespace {

Text errorText(const Error& error) { return error.text.empty() ? makeText("%1", error.message) : error.text; }

Error unknownNode(const std::string& id) {
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id),
                     makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
}

}  // namespace

const std::string& Session::controlId() const {
    static const std::string kControl = kControlNodeId;
    return kControl;
}

const Lab* Session::ownerOf(const std::string& id) const {
    for (const auto& lab : m_labs)
        if (lab->ownsNode(id)) return lab.get();
    return nullptr;
}

const Lab* Session::lab(std::string_view name) const {
    for (const auto& lab : m_labs)
        if (lab->name() == name) return lab.get();
    return nullptr;
}

void Session::startLab(std::unique_ptr<Lab> lab) {
    // In the registry's order, whenever it starts: checks and summaries list the labs in that order.
    std::size_t rank = 0;
    while (labRegistry()[rank].name != lab->name()) ++rank;
    auto before = std::find_if(m_labs.begin(), m_labs.end(), [rank](const auto& other) {
        std::size_t r = 0;
        while (labRegistry()[r].name != other->name()) ++r;
        return r > rank;
    });
    Lab& started = **m_labs.insert(before, std::move(lab));
    for (const Lab::StartError& failed : started.start())
        m_run.scheduleLog.push_back(ScheduleLogEntry{m_world->now(), failed.what, false, errorText(failed.error)});
}

Lab* Session::labFor(const Command& command) {
    const std::vector<const LabEntry*> entries = labsTaking(command);
    if (entries.empty()) return nullptr;
    // Of the labs that may take it, one that runs and has nodes (`node add` in a counter scenario, whose ring
    // lab has none, adds a counter replica), else one that runs, else the first, started now.
    auto running = [&](const LabEntry* candidate) -> Lab* {
        for (const auto& lab : m_labs)
            if (lab->name() == candidate->name) return lab.get();
        return nullptr;
    };
    const std::vector<NodeId> ids = m_cluster.nodeIds();
    for (const LabEntry* candidate : entries)
        if (Lab* lab = running(candidate);
            lab && std::any_of(ids.begin(), ids.end(), [&](const NodeId& id) { return lab->ownsNode(id); }))
            return lab;
    for (const LabEntry* candidate : entries)
        if (Lab* lab = running(candidate)) return lab;
    const LabEntry* entry = entries.front();
    startLab(entry->create(*this, nullptr));
    for (const auto& lab : m_labs)
        if (lab->name() == entry->name) return lab.get();
    return nullptr;
}

Result<Text> Session::killNode(const std::string& id) {
    if (!m_world->indexOf(id)) return unknownNode(id);
    if (auto crashed = m_world->crash(id); !crashed) return crashed.error();
    std::optional<Text> said;
    for (const auto& lab : m_labs)
        if (auto text = lab->onCrash(id); text && !said) said = std::move(text);
    return said ? std::move(*said) : makeText(QT_TRANSLATE_NOOP("Core", "killed %1"), id);
}

Result<Text> Session::restartNode(const std::string& id) {
    if (!m_world->indexOf(id)) return unknownNode(id);
    if (auto restarted = m_world->restart(id); !restarted) return restarted.error();
    std::optional<Text> said;
    for (const auto& lab : m_labs)
        if (auto text = lab->onRestart(id); text && !said) said = std::move(text);
    return said ? std::move(*said) : makeText(QT_TRANSLATE_NOOP("Core", "restarted %1"), id);
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
    auto command = parseCommand(line, commandTable());
    if (!command) return command.error();
    return execute(command.value());
}

Result<CommandOutput> Session::executeScheduled(const Command& command) {
    // The controls that move the clock or start another run make no sense at a point of simulated time.
    for (const CommandSpec* control : {&commands::kStep, &commands::kStepBack, &commands::kSeek, &commands::kRun,
                                       &commands::kSeed, &commands::kPlay, &commands::kPause})
        if (command.is(*control))
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' cannot run from a schedule"), command.text));
    // Part of the scenario, so a rebuilt run schedules it again: not part of the command log.
    return executeNow(command);
}

Result<CommandOutput> Session::execute(const Command& command) {
    // Commands that change the run must be replayed when the run is rebuilt for time travel (their spec says
    // so). The others only look at it, drive the clock, or (seed) start another run.
    if (m_replaying || !command.spec->changesTheRun) return executeNow(command);
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
    auto lines = [](std::vector<Text> lines) {
        std::string english = joinLines(lines);
        return CommandOutput{std::move(english), {}, false, std::move(lines)};
    };
    auto say = [](Text t) {
        std::string english = t.str();
        return CommandOutput{std::move(english), std::move(t), false, {}};
    };
    const bool stopsANode = command.is(commands::kNodeKill) || command.is(commands::kNodePause) ||
                            command.is(commands::kNodeRemove) || command.is(commands::kCrash);
    if (stopsANode && !command.nodes.empty() && command.nodes.front() == kControlNodeId) {
        // Without the membership service no node would hear of later changes, and the checks could not
        // quiesce the cluster; its own failure is a lesson for another lab.
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'ctl' is the membership service and stays up in this lab")),
                         makeText(QT_TRANSLATE_NOOP("Core", "cut it off with 'partition' or 'cut' to see what missing ring updates do")));
    }

    if (command.spec->lab.empty() && !command.nodes.empty()) {
        // `node add cn-n6` in a run without the counter: a console command does not start a lab of its own.
        const std::vector<const LabEntry*> entries = labsTaking(command);
        if (!entries.empty() && !entries.front()->idPrefix.empty() &&
            std::none_of(m_labs.begin(), m_labs.end(), [&](const auto& lab) { return lab->name() == entries.front()->name; }))
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' would be a node of the %2 lab, which this run does not have"),
                                      command.nodes.front(), std::string(entries.front()->name)),
                             makeText(QT_TRANSLATE_NOOP("Core", "open a scenario with that lab, e.g. --scenario counter")));
    }
    if (Lab* lab = labFor(command)) {
        auto done = lab->execute(command);
        if (!done) return done.error();
        return say(std::move(done).value());
    }

    if (command.is(commands::kHelp)) return lines(helpLines(commandTable(), command.key));
    if (command.is(commands::kStatus)) return lines(statusLines());

    if (command.is(commands::kNodeKill) || command.is(commands::kCrash)) {
        const std::string& id = command.nodes.front();
        auto done = command.is(commands::kCrash) && !command.key.empty() ? armCrash(command) : killNode(id);
        if (!done) return done.error();
        return say(std::move(done).value());
    }
    if (command.is(commands::kNodeRestart)) {
        auto done = restartNode(command.nodes.front());
        if (!done) return done.error();
        return say(std::move(done).value());
    }
    if (command.is(commands::kNodePause)) {
        const std::string& id = command.nodes.front();
        if (auto paused = m_world->pause(id, command.duration); !paused) return paused.error();
        return say(makeText(QT_TRANSLATE_NOOP("Core", "paused %1 for %2 (stop-the-world)"), id, formatMillis(command.duration)));
    }
    if (command.is(commands::kPartition)) {
        if (auto cut = m_world->partition(command.groups); !cut) return cut.error();
        return say(makeText(QT_TRANSLATE_NOOP("Core", "partitioned: %1"), command.text.substr(command.text.find(' ') + 1)));
    }
    if (command.is(commands::kCut)) {
        if (auto cut = m_world->cut(command.nodes[0], command.nodes[1]); !cut) return cut.error();
        return say(makeText(QT_TRANSLATE_NOOP("Core", "cut %1 -> %2 (one way)"), command.nodes[0], command.nodes[1]));
    }
    if (command.is(commands::kHeal)) {
        m_world->heal();
        return say(makeText(QT_TRANSLATE_NOOP("Core", "network healed")));
    }

    if (command.is(commands::kClientPause)) {
        const std::string& id = command.nodes.front();
        const bool client = std::any_of(m_labs.begin(), m_labs.end(), [&id](const auto& lab) { return lab->isClient(id); });
        if (!client) {
            if (!m_world->indexOf(id)) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id), makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a client"), id),
                             makeText(QT_TRANSLATE_NOOP("Core", "to freeze a server, use 'node pause %1 MS'"), id));
        }
        if (auto paused = m_world->pause(id, command.duration); !paused) return paused.error();
        return say(makeText(QT_TRANSLATE_NOOP("Core", "paused %1 for %2 (stop-the-world): it will not notice the time it lost"), id, formatMillis(command.duration)));
    }
    if (command.is(commands::kStepBack)) {
        const std::uint64_t now = m_world->eventsProcessed();
        const std::uint64_t back = std::min<std::uint64_t>(now, std::uint64_t(command.count));
        seekToEvent(now - back);
        return say(makeText(QT_TRANSLATE_NOOP("Core", "back %1 event(s), to event %2 at %3"), back,
                            m_world->eventsProcessed(), formatMillis(m_world->now())));
    }
    if (command.is(commands::kSeek)) {
        seekToTime(command.duration);
        return say(makeText(QT_TRANSLATE_NOOP("Core", "at %1, event %2"), formatMillis(m_world->now()),
                            m_world->eventsProcessed()));
    }
    if (command.is(commands::kStep)) {
        const RunStats stats = runEvents(std::uint64_t(command.count));
        return say(makeText(QT_TRANSLATE_NOOP("Core", "stepped %1 event(s); now %2"), stats.events, formatMillis(m_world->now())));
    }
    if (command.is(commands::kRun)) {
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
    if (command.is(commands::kPause)) {
        m_playing = false;
        return say(makeText(QT_TRANSLATE_NOOP("Core", "paused at %1"), formatMillis(m_world->now())));
    }
    if (command.is(commands::kPlay)) {
        m_playing = true;
        return say(makeText(QT_TRANSLATE_NOOP("Core", "running")));
    }
    if (command.is(commands::kSpeed)) {
        setSpeed(command.real);
        std::ostringstream out;
        out << m_speed;
        return say(makeText(QT_TRANSLATE_NOOP("Core", "speed x%1"), out.str()));
    }
    if (command.is(commands::kSeed)) {
        // The scenario as loaded, so that the run can be reproduced from the file and this seed.
        m_commandLog.clear();
        m_logApplied = 0;
        m_furthestTime = 0;
        start(std::uint64_t(command.count));
        CommandOutput out = say(makeText(QT_TRANSLATE_NOOP("Core", "restarted the scenario as loaded, with seed %1"), command.count));
        out.resetRun = true;
        return out;
    }
    if (command.is(commands::kNetLatency) || command.is(commands::kNetDrop) || command.is(commands::kNetDuplicate) ||
        command.is(commands::kNetReorder)) {
        LinkConfig link = m_world->network().defaults();
        std::ostringstream rate;
        rate << command.real;
        Text out;
        if (command.is(commands::kNetLatency)) {
            link.latencyMin = command.duration;
            link.latencyMax = command.duration2;
            out = makeText(QT_TRANSLATE_NOOP("Core", "latency %1 to %2"), formatMillis(link.latencyMin),
                           formatMillis(link.latencyMax));
        } else if (command.is(commands::kNetDrop)) {
            link.dropRate = command.real;
            out = makeText(QT_TRANSLATE_NOOP("Core", "drop rate %1"), rate.str());
        } else if (command.is(commands::kNetDuplicate)) {
            link.duplicateRate = command.real;
            out = makeText(QT_TRANSLATE_NOOP("Core", "duplicate rate %1"), rate.str());
        } else {
            link.reorderRate = command.real;
            out = makeText(QT_TRANSLATE_NOOP("Core", "reorder rate %1"), rate.str());
        }
        m_world->network().setDefaults(link);
        return say(std::move(out));
    }
    if (command.is(commands::kTrace)) {
        if (command.key.empty())
            return say(makeText(QT_TRANSLATE_NOOP("Core", "%1 trace events; give a file name to export them"), m_world->trace().size()));
        std::ofstream file(command.key, std::ios::binary);
        if (!file) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot write '%1'"), command.key), makeText(QT_TRANSLATE_NOOP("Core", "check the folder exists and is writable")));
        m_world->trace().writeJsonLines(file);
        if (!file) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "writing '%1' failed"), command.key));
        return say(makeText(QT_TRANSLATE_NOOP("Core", "wrote %1 events to %2"), m_world->trace().size(), command.key));
    }
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "command not supported here: %1"), command.text));
}

std::string Session::statusText() const { return joinLines(statusLines()); }

std::vector<Text> Session::statusLines() const {
    std::vector<Text> lines;
    Text head = makeText(QT_TRANSLATE_NOOP("Core", "seed %1, t = %2, %3 events"), seed(),
                         formatMillis(m_world->now()), m_world->eventsProcessed());
    for (const auto& lab : m_labs)
        if (Text words = lab->statusHeader(); !words.empty()) head = makeText("%1%2", head, words);
    lines.push_back(std::move(head));
    for (NodeIndex i = 0; i < m_world->nodeCount(); ++i) {
        const std::string& id = m_world->nameOf(i);
        Text line = makeText("  %1  %2", id, statusWord(m_world->status(i)));
        for (const auto& lab : m_labs)
            if (Text note = lab->statusNote(id); !note.empty()) line = makeText("%1%2", line, note);
        lines.push_back(std::move(line));
    }
    const auto& stats = m_world->messageStats();
    lines.push_back(
        makeText(QT_TRANSLATE_NOOP("Core", "messages: %1 sent, %2 delivered, %3 dropped, %4 duplicated"),
                 stats.sent, stats.delivered, stats.dropped, stats.duplicated));
    return lines;
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
        incomplete.text = makeText(QT_TRANSLATE_NOOP("Core", "The run outgrew the trace's limits (%1 events or %2 MiB of "
                                                             "messages), so the history the checks read stops early; their "
                                                             "verdicts cover only the start of the run. Run for a shorter "
                                                             "time, or with fewer nodes, to check all of it."),
                                   m_world->limits().traceEventsMax, m_world->limits().traceMessageBytesMax >> 20);
        results.push_back(std::move(incomplete));
    }
    for (const auto& lab : m_labs) {
        for (CheckResult& result : lab->checks()) {
            if (result.lab.empty()) result.lab = std::string(lab->name());
            check::deriveEvidence(result, m_world->trace());
            results.push_back(std::move(result));
        }
    }
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
    for (const auto& lab : m_labs) lab->quiesce();
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

const Session::ConsoleResultsCache& Session::readConsoleResults() const {
    if (m_consoleResults && m_consoleResults->world == m_world.get() && m_consoleResults->restores == m_world->restores() &&
        m_consoleResults->events == m_world->eventsProcessed())
        return *m_consoleResults;
    ConsoleResultsCache cache{m_world.get(), m_world->restores(), m_world->eventsProcessed(), {}, 0};
    const auto ctl = m_world->indexOf(kControlNodeId);
    const Json report = ctl ? m_world->observe(*ctl) : Json();  // see kv::ControlNode::observe
    if (report.is_object()) {
        cache.total = report.value("results_total", std::uint64_t(0));
        for (const Json& r : report.value("results", Json::array())) {
            kv::ClientResult result;
            result.client = r.value("client", std::string());
            result.time = r.value("time", SimTime(0));
            result.op = r.value("op", std::string());
            result.key = r.value("key", std::string());
            if (r.contains("value") && r["value"].is_string()) result.value = r["value"].get<std::string>();
            if (r.contains("version") && r["version"].is_string()) result.version = r["version"].get<std::string>();
            result.ok = r.value("ok", false);
            result.error = r.value("error", std::string());
            cache.results.push_back(std::move(result));
        }
    }
    m_consoleResults = std::move(cache);
    return *m_consoleResults;
}

const std::vector<kv::ClientResult>& Session::consoleResults() const { return readConsoleResults().results; }

std::uint64_t Session::consoleResultsTotal() const { return readConsoleResults().total; }

ClusterSnapshot Session::snapshot() const {
    ClusterSnapshot snap;
    snap.now = m_world->now();
    snap.seed = seed();
    snap.events = m_world->eventsProcessed();
    snap.traceEvents = m_world->trace().size();
    snap.running = m_playing;
    snap.speed = m_speed;
    snap.scenarioName = m_loaded.name;

    std::size_t clientNo = 0;
    for (NodeIndex i = 0; i < m_world->nodeCount(); ++i) {
        NodeView view;
        view.id = m_world->nameOf(i);
        view.status = m_world->status(i);
        view.pausedUntil = m_world->pausedUntil(i);
        if (view.id == kControlNodeId) {
            view.role = NodeRole::Control;
        } else {
            const Lab* owner = ownerOf(view.id);
            view.role = owner ? owner->roleOf(view.id) : NodeRole::Client;
            // Servers take their colour from the ring lab, in order of first appearance.
            if (view.role != NodeRole::Server) view.colorIndex = int(clientNo++);
        }
        if (const Node* node = m_world->node(i)) node->describe(view.details);
        snap.nodes.push_back(std::move(view));
    }
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
    for (const auto& lab : m_labs) lab->fillSnapshot(snap);
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
    {
        Json entry{{"name", check.name}, {"lab", check.lab}, {"ok", check.ok}, {"explanation", check.explanation},
                   {"nodes", check.nodes}};
        if (check.at >= 0) entry["at_ms"] = toMillis(check.at);
        checkList.push_back(std::move(entry));
    }
    Json summary{{"scenario", m_loaded.name},
                {"seed", seed()},
                {"sim_ms", toMillis(m_world->now())},
                {"event_limit_hit", m_run.eventLimitHit},
                {"trace_complete", !m_world->trace().truncated()},
                {"events", m_world->eventsProcessed()},
                {"messages",
                 {{"sent", stats.sent}, {"delivered", stats.delivered}, {"dropped", stats.dropped},
                  {"duplicated", stats.duplicated}}},
                {"nodes", nodes},
                {"checks", checkList}};
    for (const auto& lab : m_labs) lab->summarize(summary);
    return summary;
}

}  // namespace distlab
