#pragma once
// The lab console's command language, shared by the GUI console, scenario files and distlab-sim.
// This file only parses text into Command values; the Session and the labs execute them against a run.
//
// Grammar: lower-case keywords and whitespace-separated tokens; a '#' at the start of the line or
// after whitespace starts a comment. `helpText()` lists every command with its syntax.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/base/sim_time.h"
#include "core/console/command_spec.h"

namespace distlab {

// Limits of the command language (units last). Scenario files share the run limits. Each lab's commands
// keep their own limits next to them (core/labs/<lab>/<lab>_commands.h).
constexpr std::size_t kConsoleLineBytesMax = 4096;
constexpr std::size_t kNodeIdBytesMax = 32;
constexpr std::int64_t kStepCountMax = 1'000'000;
constexpr std::int64_t kRunMsMax = 3'600'000;  // one simulated hour
constexpr std::int64_t kNodePauseMsMax = 3'600'000;
constexpr std::int64_t kNetLatencyMsMax = 60'000;
constexpr std::size_t kCrashPatternNameBytesMax = 64;
constexpr std::int64_t kCrashPatternCountMax = 1000;
constexpr double kSpeedMin = 0.1;
constexpr double kSpeedMax = 1000.0;
// 2^63 - 1, so that every seed also fits Command::count.
constexpr std::int64_t kSeedMax = std::numeric_limits<std::int64_t>::max();

// The console's own commands: the ones the Session executes (and `node add` / `node remove`, which the lab
// that keeps the ring's servers executes on its behalf). Each lab's commands are in its own folder.
namespace commands {
extern const CommandSpec kHelp;
extern const CommandSpec kNodeAdd;
extern const CommandSpec kNodeKill;
extern const CommandSpec kNodeRestart;
extern const CommandSpec kNodePause;
extern const CommandSpec kNodeRemove;
extern const CommandSpec kPartition;
extern const CommandSpec kCut;
extern const CommandSpec kHeal;
extern const CommandSpec kStep;
extern const CommandSpec kStepBack;
extern const CommandSpec kSeek;
extern const CommandSpec kRun;
extern const CommandSpec kPause;
extern const CommandSpec kPlay;
extern const CommandSpec kSpeed;
extern const CommandSpec kSeed;
extern const CommandSpec kStatus;
extern const CommandSpec kNetLatency;
extern const CommandSpec kNetDrop;
extern const CommandSpec kNetDuplicate;
extern const CommandSpec kNetReorder;
extern const CommandSpec kTrace;
extern const CommandSpec kClientPause;
extern const CommandSpec kCrash;
}  // namespace commands

// The console's own commands, in the order help lists them.
std::span<const CommandSpec* const> consoleCommands();

struct Command {
    const CommandSpec* spec = &commands::kHelp;    // which command this is; never null
    std::string text;                              // the line as typed, trimmed, without its comment
    // The fields below are the arguments; each spec's header says which of them it uses and how.
    std::vector<std::string> nodes;                // NodeAdd: optional id; Kill/Restart/Pause/Remove/Crash: one
                                                   // id; Cut: {from, to}; a lab command's nodes
    std::vector<std::vector<std::string>> groups;  // Partition: two or more disjoint, non-empty groups
    std::string key;         // Help: optional topic; Trace: optional file path; Crash: the --after pattern in
                             // its canonical form ("recv:tpc_vote*2"; empty: crash now)
    std::string value;
    std::int64_t count = 0;  // Step N and StepBack N (default 1), Seed N
    std::int64_t failAt = 0;
    std::int64_t timeoutAt = 0;
    SimTime duration = 0;    // NodePause MS, ClientPause MS, Run [MS] (0 = run until paused), Seek MS, NetLatency
                             // min
    SimTime duration2 = 0;   // NetLatency max
    double real = 0;         // Speed X; NetDrop / NetDuplicate / NetReorder probability
    std::uint32_t flags = 0;  // a lab's switches (its header names the bits)

    bool is(const CommandSpec& other) const { return spec == &other; }
    bool operator==(const Command&) const = default;
};

// The commands a console understands, in help order: the console's own and every lab's. Names are unique.
// Group words (node, ring, net, ...) are the first words of two-word names that are not commands
// themselves, in the order they first appear.
class CommandTable {
public:
    // `reservedIdPrefixes`: what the labs' own node ids begin with (each lab's LabEntry::idPrefix), which no
    // command may give a server or a consumer.
    // `nodeAddPrefixes`: the reserved prefixes of labs that add their own nodes with `node add` (the counter's
    // "cn-": node add cn-n6).
    explicit CommandTable(std::vector<const CommandSpec*> specs, std::vector<std::string> reservedIdPrefixes = {},
                          std::vector<std::string> nodeAddPrefixes = {});

    const std::vector<const CommandSpec*>& specs() const { return m_specs; }
    const CommandSpec* named(std::string_view name) const;
    const std::vector<std::string>& groupWords() const { return m_groupWords; }
    bool isGroupWord(std::string_view word) const;
    const std::vector<std::string>& reservedIdPrefixes() const { return m_reservedIdPrefixes; }
    const std::vector<std::string>& nodeAddPrefixes() const { return m_nodeAddPrefixes; }

private:
    std::vector<const CommandSpec*> m_specs;
    std::vector<std::string> m_reservedIdPrefixes;
    std::vector<std::string> m_nodeAddPrefixes;
    std::vector<std::string> m_groupWords;
};

// Parses one console line. Never throws; any byte sequence yields a Command or a readable Error.
Result<Command> parseCommand(std::string_view line, const CommandTable& table);

// The canonical text of a command ("node pause n1 500", "partition a,b | c"); parseCommand of the
// result gives back the same fields. Useful when a mouse action has to be recorded as a command.
std::string formatCommand(const Command& command);

// Words for the console's completer: "help", "node add", ..., "ring hash xxh3", "ring hash ketama", ...
std::vector<std::string> completionWords(const CommandTable& table);

// English help, one line per command: its syntax and what it does. A topic ("node", "ring hash")
// keeps only the commands whose name starts with it.
std::string helpText(const CommandTable& table, std::string_view topic = {});
// The same lines as translatable texts: the syntax stays as typed, the description translates.
std::vector<Text> helpLines(const CommandTable& table, std::string_view topic = {});

// 1..kNodeIdBytesMax characters of [A-Za-z0-9_-].
// Levenshtein distance, for "did you mean" hints on misspelt commands and keys.
std::size_t editDistance(std::string_view a, std::string_view b);
bool isValidNodeId(std::string_view id);
// "ctl" (the membership service), c1, c2, ... (the ring's clients) and the ids the labs keep for their own
// nodes (the table's reservedIdPrefixes: lk-..., tx-..., mq-...) cannot name a server or a consumer.
bool isReservedNodeId(std::string_view id, const CommandTable& table);
// Whom a reserved id is kept for, in English: "the membership service", "a client", "the nodes of a lab (lk-...)".
std::string reservedNodeIdOwner(std::string_view id, const CommandTable& table);

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
