#pragma once
// A running lab: one World, the control node, the labs of the registry (core/labs/registry.h) that the
// scenario or a first command started, and the console language executed against them, with checkpoints
// and time travel. The GUI bridge and distlab-sim both drive a Session; neither touches the World directly.
#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/check/check_result.h"
#include "core/base/result.h"
#include "core/labs/lab.h"
#include "core/protocols/kv/control_node.h"
#include "core/console/command.h"
#include "core/scenario/scenario.h"
#include "core/session/sim_control_plane.h"
#include "core/session/snapshot.h"
#include "core/sim/world.h"

namespace distlab {

constexpr std::uint64_t kEventsPerCommandMax = 20'000'000;  // a single step/run never exceeds this
constexpr std::size_t kSnapshotMessagesMax = 4000;          // messages drawn in one frame
constexpr SimTime kQuietPeriod = millis(5000);              // how long the checks let the cluster settle
constexpr SimTime kQuiescePausesMax = millis(kNodePauseMsMax);  // the checks wait out any allowed pause
extern const char* const kControlNodeId;                    // "ctl": the membership service
// Time travel keeps a checkpoint every kCheckpointEvery events; past kCheckpointsMax it keeps every other
// one and doubles the interval, so a run of any length keeps a bounded number.
constexpr std::uint64_t kCheckpointEvery = 5'000;
constexpr std::size_t kCheckpointsMax = 256;

// What a console command produced: text for the output pane, and what the GUI should do.
struct CommandOutput {
    std::string text;        // English
    Text localized;          // the same, translatable (empty for help and status, see lines)
    bool resetRun = false;   // the run was rebuilt (seed change): views must forget history
    std::vector<Text> lines;  // help and status: the text, one translatable line each
};

// What a scheduled command did, for the console.
struct ScheduleLogEntry {
    SimTime at = 0;
    std::string command;
    bool ok = true;
    Text result;      // the output, or the error
    std::string line() const;  // English, one line
};

class Session : private LabHost {
public:
    explicit Session(Scenario scenario);
    ~Session();

    const Scenario& scenario() const { return m_loaded; }
    std::uint64_t seed() const { return m_world->seed(); }
    World& world() { return *m_world; }
    const World& world() const { return *m_world; }

    // Executes one console command now. Errors are values; nothing is half-applied.
    Result<CommandOutput> execute(const Command& command);
    Result<CommandOutput> execute(std::string_view line);

    // Advances simulated time, bounded by an event budget (for time-sliced drivers).
    RunStats advance(SimTime duration, std::uint64_t eventsMax);
    // Runs until simulated time `until` or eventsMax events. Both replay, at their places, the commands
    // of the run's log that lie ahead after a step back or a seek.
    RunStats runUntil(SimTime until, std::uint64_t eventsMax);
    RunStats runEvents(std::uint64_t count);

    // Time travel. The run is a function of the scenario, its seed and the commands given at known
    // points (event count and simulated time), so any earlier moment is reached by building the run
    // afresh and replaying it; moving forwards again replays the logged commands at their places.
    // Giving a command in the past forks a new future: the logged commands after that point are dropped.
    void seekToEvent(std::uint64_t events);
    void seekToTime(SimTime at);
    // The furthest point of the current future: the last logged command's place or the furthest point
    // reached, whichever is later (for a time slider).
    SimTime furthestTime() const { return m_furthestTime; }
    // Seeks restore the nearest checkpoint at or before the target, in the past or in the future already
    // run, and replay from there.
    std::size_t checkpointCount() const { return m_checkpoints.size(); }
    std::uint64_t checkpointInterval() const { return m_checkpointEvery; }
    // From the next boundary on (tests and benchmarks use other intervals than kCheckpointEvery).
    void setCheckpointInterval(std::uint64_t events) { m_checkpointEvery = std::max<std::uint64_t>(events, 1); }
    // Runs the whole scenario: until scenario.runFor, then quiesces and runs the checks.
    std::vector<CheckResult> runToEndAndCheck(SimTime runFor);
    // Stops the workload and the network faults (partitions, loss, duplicates), re-announces the ring, lets
    // the cluster settle for kQuietPeriod, then checks.
    std::vector<CheckResult> quiesceAndCheck();
    std::vector<CheckResult> checks() const;

    // Play state for interactive drivers (the console's play / pause / speed commands set these).
    bool playing() const { return m_playing; }
    void setPlaying(bool playing) { m_playing = playing; }
    double speed() const { return m_speed; }
    void setSpeed(double speed);

    ClusterSnapshot snapshot() const;
    std::string statusText() const;  // what the console's `status` prints
    std::vector<Text> statusLines() const;  // the same, one translatable line each
    Json summaryJson(const std::vector<CheckResult>& checks) const;

    // The labs running, in the registry's order; lab(name) is the lab of that registry name once started, else null.
    const std::vector<std::unique_ptr<Lab>>& labs() const { return m_labs; }
    const Lab* lab(std::string_view name) const;
    // Outcomes of the console's put/get, as the clients reported them to ctl (the last
    // kv::kClientResultsMax, oldest first).
    const std::vector<kv::ClientResult>& consoleResults() const;
    std::uint64_t consoleResultsTotal() const;
    // Messages the scheduled commands produced (errors included), oldest first.
    const std::vector<ScheduleLogEntry>& scheduleLog() const { return m_run.scheduleLog; }
    // A `crash NODE --after PATTERN` waiting for its event.
    struct ArmedCrash {
        std::string node;
        CrashPattern pattern;
        std::string command;       // as given, for the console and the schedule log
        std::size_t scannedTo = 0;  // trace events already looked at
        std::int64_t seen = 0;      // matching events so far
    };
    const std::vector<ArmedCrash>& armedCrashes() const { return m_run.armedCrashes; }

private:
    struct Checkpoint;
    void start(std::uint64_t seed);  // builds the run, forgets the old one's checkpoints, takes the first
    void build(std::uint64_t seed);
    void takeCheckpoint();
    void checkpointIfDue();  // at every interval boundary not yet saved
    std::uint64_t eventsToNextCheckpoint() const;
    void restore(const Checkpoint& checkpoint);
    // Moves to the nearest checkpoint not after the target when that gets closer to it than where the run
    // is, or when the target lies behind; a run without checkpoints is rebuilt. Then the caller replays.
    void rewindFor(std::uint64_t events, SimTime at);
    // The run takes a new course from here: later checkpoints and the trace's retained future go.
    void forkHere();
    // LabHost
    ControlPlane& cluster() override { return m_cluster; }
    const std::string& controlId() const override;
    const Lab* ownerOf(const std::string& id) const override;
    std::size_t labCount() const override { return m_labs.size(); }
    // The lab that takes a command, started with its defaults on first use (nullptr: the session's own).
    Lab* labFor(const Command& command);
    void startLab(std::unique_ptr<Lab> lab);
    Result<CommandOutput> executeScheduled(const Command& command);
    Result<CommandOutput> executeNow(const Command& command);  // execute() without the command log
    // Executes the logged commands given at the current event count, whose moment is not after `until`.
    void applyDueCommands(SimTime until);
    void noteProgress() { m_furthestTime = std::max(m_furthestTime, m_world->now()); }
    Result<Text> killNode(const std::string& id);  // `node kill` and `crash`
    Result<Text> restartNode(const std::string& id);
    Result<Text> armCrash(const Command& command);
    // Runs between two events: crashes the nodes whose armed pattern the last event completed.
    void fireArmedCrashes();
    // The kernel's own loop may run only when nothing has to happen between two events.
    bool needsSessionLoop() const;

    Scenario m_loaded;  // as given, for `seed N` and rebuilt runs
    std::unique_ptr<World> m_world;
    SimControlPlane m_cluster{m_world};  // what the labs command: the world above
    std::vector<std::unique_ptr<Lab>> m_labs;  // in the registry's order
    // The session's own part of the run, besides the world and the labs: what a checkpoint copies.
    struct RunState {
        std::vector<ArmedCrash> armedCrashes;
        std::size_t scheduledArmsPending = 0;  // scheduled `crash --after` commands still to come
        std::vector<ScheduleLogEntry> scheduleLog;
        bool scheduleStopped = false;  // set by quiesce: the checks need a quiet cluster
        bool eventLimitHit = false;    // a run stopped at kEventsPerCommandMax; reported in the summary
    };
    RunState m_run;
    // Commands that changed the run, with where they were given: what a replay needs besides the seed.
    struct LoggedCommand {
        std::uint64_t events = 0;  // events processed when it was given
        SimTime at = 0;            // simulated time when it was given
        Command command;
    };
    std::vector<LoggedCommand> m_commandLog;
    std::size_t m_logApplied = 0;  // entries of m_commandLog that the current world has seen
    bool m_replaying = false;      // executing a logged command: do not log it again
    SimTime m_furthestTime = 0;
    std::vector<std::shared_ptr<const Checkpoint>> m_checkpoints;  // by event count
    std::uint64_t m_checkpointEvery = kCheckpointEvery;
    bool m_quiesced = false;  // quiesceAndCheck ran: what follows is in no command log
    bool m_playing = false;
    double m_speed = 1.0;
    // consoleResults() as last read from ctl's report, and the moment of the run it was read at.
    struct ConsoleResultsCache {
        const World* world = nullptr;
        std::uint64_t restores = 0;
        std::uint64_t events = 0;
        std::vector<kv::ClientResult> results;
        std::uint64_t total = 0;
    };
    mutable std::optional<ConsoleResultsCache> m_consoleResults;
    const ConsoleResultsCache& readConsoleResults() const;
};

// Loads a built-in scenario by name or a scenario file by path.
Result<Scenario> loadScenario(std::string_view nameOrPath);
// The built-in scenarios: name and one-line description, in a stable order.
struct BuiltinScenario {
    std::string name;
    std::string description;
    std::string json;
};
const std::vector<BuiltinScenario>& builtinScenarios();

}  // namespace distlab
