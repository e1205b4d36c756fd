#pragma once
// The lab console's command language, shared by the GUI console, scenario files and distlab-sim.
// This file only parses text into Command values; the Session executes them against a run.
//
// Grammar: lower-case keywords and whitespace-separated tokens; a '#' at the start of the line or
// after whitespace starts a comment. `helpText()` lists every command with its syntax.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/base/sim_time.h"

namespace distlab {

// Limits of the command language (units last). Scenario files share the ring and run limits.
constexpr std::size_t kConsoleLineBytesMax = 4096;
constexpr std::size_t kNodeIdBytesMax = 32;
constexpr std::size_t kPutKeyBytesMax = 128;     // the demo store's limits (kv::kKeyBytesMax,
constexpr std::size_t kPutValueBytesMax = 1024;  // kv::kValueBytesMax); session.cpp checks they agree
constexpr std::int64_t kRingVnodesMax = 4096;
constexpr std::int64_t kRingReplicasMax = 7;
constexpr std::int64_t kStepCountMax = 1'000'000;
constexpr std::int64_t kRunMsMax = 3'600'000;  // one simulated hour
constexpr std::int64_t kNodePauseMsMax = 3'600'000;
constexpr std::int64_t kNetLatencyMsMax = 60'000;
// The lock lab's limits; the lock servers check the same bounds (lock::kTtlMsMax, kJumpMsMax, kDriftPpmMax).
constexpr std::size_t kLockResourceBytesMax = 128;
constexpr std::int64_t kLockTtlMsMax = 24 * 60 * 60 * 1000;
constexpr std::int64_t kLockHoldMsMax = 3'600'000;
constexpr std::int64_t kClockJumpMsMax = 24 * 60 * 60 * 1000;
constexpr std::int64_t kClockDriftPpmMax = 500'000;
// The transaction lab's limits; the protocols check the same bounds (txn::kTpcParticipantsMax,
// txn::kSagaStepsMax, txn::kSagaIdBytesMax).
constexpr std::size_t kTxnParticipantsMax = 16;
constexpr std::int64_t kSagaStepsMax = 32;
constexpr std::size_t kSagaNameBytesMax = 64;
constexpr std::size_t kCrashPatternNameBytesMax = 64;
constexpr std::int64_t kCrashPatternCountMax = 1000;
// The queue lab's limits. Queue and exchange names are 1..kMqQueueNameBytesMax characters of letters, digits,
// '.', '_', '-' and ':'; the broker checks the same (mq::validateMqName).
constexpr std::size_t kMqQueueNameBytesMax = 64;
constexpr std::int64_t kMqPublishCountMax = 10'000;
constexpr std::int64_t kMqIntervalMsMax = 60'000;
constexpr std::int64_t kMqProcessMsMax = 60'000;
constexpr std::int64_t kMqPrefetchCountMax = 65'535;
// 2^53: delivery tags stay exact when a trace or a report carries them as JSON numbers.
constexpr std::int64_t kMqDeliveryTagMax = std::int64_t{1} << 53;
constexpr double kSpeedMin = 0.1;
constexpr double kSpeedMax = 1000.0;
// 2^63 - 1, so that every seed also fits Command::count.
constexpr std::int64_t kSeedMax = std::numeric_limits<std::int64_t>::max();

enum class CommandKind {
    Help,
    NodeAdd,
    NodeKill,
    NodeRestart,
    NodePause,
    NodeRemove,
    Partition,
    Cut,
    Heal,
    Put,
    Get,
    RingVnodes,
    RingHash,
    RingReplicas,
    Step,
    Run,
    Pause,
    Play,
    Speed,
    Seed,
    Status,
    NetLatency,
    NetDrop,
    NetDuplicate,
    NetReorder,
    Trace,
    LockAcquire,
    LockRelease,
    ClientPause,
    ClientSlow,
    ClockJump,
    ClockDrift,
    Fencing,
    ZkWatch,
    StepBack,
    Seek,
    Txn2pc,
    Txn3pc,
    SagaRun,
    Crash,
    QueueDeclare,
    QueueBind,
    Publish,
    Consume,
    Ack,
    Nack,
    MqMode,
};

// Command::flags: the switches of the queue lab's commands.
constexpr std::uint32_t kFlagDurable = 1u << 0;     // QueueDeclare --durable
constexpr std::uint32_t kFlagPersistent = 1u << 1;  // Publish --persistent
constexpr std::uint32_t kFlagPoison = 1u << 2;      // Publish --poison: processing these messages always fails
constexpr std::uint32_t kFlagIdempotent = 1u << 3;  // Consume --idempotent
constexpr std::uint32_t kFlagManual = 1u << 4;      // Consume --manual: deliveries wait for `ack` / `nack`
constexpr std::uint32_t kFlagNoRequeue = 1u << 5;   // Nack --no-requeue: to the dead-letter queue

struct Command {
    CommandKind kind = CommandKind::Help;
    std::string text;                              // the line as typed, trimmed, without its comment
    std::vector<std::string> nodes;                // NodeAdd: optional id; Kill/Restart/Pause/Remove/Crash: one
                                                   // id; Cut: {from, to}; Lock*, Client*, Clock*: one id;
                                                   // Txn2pc/Txn3pc: the participants, in the order given;
                                                   // Consume/Ack/Nack: {the consumer}
    std::vector<std::vector<std::string>> groups;  // Partition: two or more disjoint, non-empty groups;
                                                   // Txn2pc/Txn3pc: {the --vote-no participants}, or none
    std::string key;         // Put/Get: the key; Help: optional topic; RingHash: "xxh3" | "ketama";
                             // Trace: optional file path; LockAcquire/LockRelease: the resource;
                             // Fencing: "on" | "off"; ZkWatch: "predecessor" | "parent";
                             // SagaRun: the saga's name; Crash: the --after pattern in its canonical
                             // form ("recv:tpc_vote*2"; empty: crash now); QueueDeclare/Publish/Consume: the
                             // queue (Publish: or exchange); QueueBind: the exchange; MqMode: "amqp" |
                             // "brokerless"
    std::string value;       // Put: the rest of the line (may contain spaces); LockAcquire: the mode
                             // ("lease" | "redlock" | "zk", empty: the lab's default); QueueBind: the queue;
                             // MqMode: the brokerless pattern, "push" (the default) | "pubsub"
    std::int64_t count = 0;  // Step N and StepBack N (default 1), RingVnodes N, RingReplicas N, Seed N; LockAcquire:
                             // hold in ms (-1: the default); ClockJump: signed ms; ClockDrift: ppm;
                             // SagaRun: the number of steps; Publish: messages (default 1); Consume: the
                             // prefetch (-1: the lab's default, 0: unlimited); Ack/Nack: the delivery tag
                             // (0: the oldest delivery the consumer holds)
    std::int64_t failAt = 0;     // SagaRun: the step whose service refuses it (0: none)
    std::int64_t timeoutAt = 0;  // SagaRun: the step whose service never answers (0: none)
    SimTime duration = 0;    // NodePause MS, ClientPause MS, Run [MS] (0 = run until paused), Seek MS, NetLatency
                             // min, ClientSlow MS (0: back to normal); LockAcquire: ttl (0: the default);
                             // Publish: --interval, Consume: --process (both -1: the lab's default)
    SimTime duration2 = 0;   // NetLatency max
    double real = 0;         // Speed X; NetDrop / NetDuplicate / NetReorder probability; Consume: --fail-rate
    std::uint32_t flags = 0;  // kFlag* switches: QueueDeclare --durable; Publish --persistent, --poison;
                              // Consume --idempotent, --manual; Nack --no-requeue

    bool operator==(const Command&) const = default;
};

// Parses one console line. Never throws; any byte sequence yields a Command or a readable Error.
Result<Command> parseCommand(std::string_view line);

// The canonical text of a command ("node pause n1 500", "partition a,b | c"); parseCommand of the
// result gives back the same fields. Useful when a mouse action has to be recorded as a command.
std::string formatCommand(const Command& command);

// The command's name as typed: "node kill", "ring hash", "speed".
std::string_view commandName(CommandKind kind);

// Words for the console's completer: "help", "node add", ..., "ring hash xxh3", "ring hash ketama", ...
std::vector<std::string> completionWords();

// English help, one line per command: its syntax and what it does. A topic ("node", "ring hash")
// keeps only the commands whose name starts with it.
std::string helpText(std::string_view topic = {});
// The same lines as translatable texts: the syntax stays as typed, the description translates.
std::vector<Text> helpLines(std::string_view topic = {});

// 1..kNodeIdBytesMax characters of [A-Za-z0-9_-].
// Levenshtein distance, for "did you mean" hints on misspelt commands and keys.
std::size_t editDistance(std::string_view a, std::string_view b);
bool isValidNodeId(std::string_view id);
// What the nodes of the labs other than the ring begin with (each lab's LabEntry::idPrefix).
inline constexpr std::string_view kLabIdPrefixes[] = {"lk-", "tx-", "mq-"};
// "ctl" (the membership service), c1, c2, ... (the ring's clients) and the ids the labs keep for their own
// nodes (lk-..., tx-..., mq-...) cannot name a server or a consumer.
bool isReservedNodeId(std::string_view id);
// Whom a reserved id is kept for, in English: "the membership service", "a client", "the nodes of a lab (lk-...)".
std::string reservedNodeIdOwner(std::string_view id);

// The event a `crash NODE --after PATTERN` waits for: the node's count-th matching event from the moment
// the crash is armed. PATTERN is KIND:NAME[*COUNT]:
//   recv:TYPE     the node handled a delivered message of this type (tpc_vote, saga_step_ok, ...)
//   send:TYPE     the node sent a message of this type
//   state:STATE   the node entered this state: a transaction state word (WAIT, READY, PRECOMMIT, ...)
//                 or a whole state text as traced
struct CrashPattern {
    enum class Kind { Recv, Send, State };
    Kind kind = Kind::Recv;
    std::string name;        // 1..kCrashPatternNameBytesMax characters of [A-Za-z0-9_.-]
    std::int64_t count = 1;  // 1..kCrashPatternCountMax

    bool operator==(const CrashPattern&) const = default;
};
Result<CrashPattern> parseCrashPattern(std::string_view text);
// "recv:tpc_vote*3"; the count is left out when it is 1.
std::string formatCrashPattern(const CrashPattern& pattern);

// A short, printable, valid UTF-8 excerpt of untrusted text for an error message: control and
// ill-formed bytes become \xNN, and text longer than bytesMax is cut with "...".
std::string excerptForMessage(std::string_view text, std::size_t bytesMax = 40);

}  // namespace distlab
