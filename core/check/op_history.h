#pragma once
// Client operations as a Jepsen-style history: what each client asked for and what it was told, in real-time
// order, one JSON object per line:
//
//   {"process": 3, "type": "invoke", "f": "incr", "key": "k1", "value": 2}
//   {"process": 3, "type": "ok",     "f": "incr", "key": "k1", "value": 2}
//   {"process": 4, "type": "invoke", "f": "read", "key": "k1", "value": null}
//   {"process": 4, "type": "ok",     "f": "read", "key": "k1", "value": 2}
//
// `type` is invoke, ok (it happened, and `value` on a read's ok is what it returned), fail (it did not
// happen) or info (unknown: it may have happened at any moment after its invocation, or never). An invoke
// with no completion is unknown too. `key` is optional (one object); a cas's value is [from, to]; an optional
// "time" gives nanoseconds. A process has one operation open at a time, and one whose operation ended in info
// is retired (a client that lost track of an operation continues as a new process).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/history/trace.h"
#include "core/node/message.h"

namespace distlab::lin {

constexpr std::size_t kHistoryLineBytesMax = 64 * 1024;
constexpr std::size_t kHistoryEventsMax = 2'000'000;

enum class EventType { Invoke, Ok, Fail, Info };
std::string_view eventTypeName(EventType type);

struct HistoryEvent {
    std::int64_t process = 0;
    EventType type = EventType::Invoke;
    std::string f;                    // incr, read, write, cas, get, put, append
    std::optional<std::string> key;   // none: the history's one object
    Json value;                       // null when absent
    std::optional<std::int64_t> time; // nanoseconds, when given
    std::size_t line = 0;             // 1-based line in the file it came from (0: built in memory)

    bool operator==(const HistoryEvent&) const = default;
};

// Parses JSON lines (blank lines are skipped). Errors name the line: "history.jsonl: line 7: ...".
Result<std::vector<HistoryEvent>> parseHistory(std::string_view text, std::string_view source);
// Reads a file of at most kHistoryEventsMax lines and parses it.
Result<std::vector<HistoryEvent>> loadHistoryFile(const std::string& path);
// One line of the format (no newline); parseHistory(toJsonLine(e)) gives e back (line aside).
std::string toJsonLine(const HistoryEvent& event);

// The client operations a run's trace recorded, in this format and in the order they happened: f as the
// protocol names it, "value" the recorded value (the operation's argument on invoke, its result on
// completion) or, when that is an object with a string "key" (the key-value store's {"key", "value",
// "version"}), that key and its "value" (null when absent); "time" in nanoseconds.
// Each client node's operations are numbered as processes: one operation open per process, and a process whose
// operation ended unknown is retired (the node goes on as a new process).
// keep (when given) picks the operations to take; processNames (when given) gets each process's client node,
// indexed by process number.
std::vector<HistoryEvent> historyOfTrace(const Trace& trace, const std::function<bool(const ClientOp&)>& keep = {},
                                         std::vector<std::string>* processNames = nullptr);

// An operation: an invoke and its completion.
enum class Outcome { Ok, Fail, Unknown };
struct Operation {
    std::size_t id = 0;  // its index in the list opsOf returns
    std::int64_t process = 0;
    std::string f;
    std::string key;     // "" for a history without keys
    Json input;          // the invoke's value (a delta, a value to write, [from, to])
    Json output;         // the ok's value (what a read returned); null otherwise
    Outcome outcome = Outcome::Unknown;
    std::size_t call = 0;  // the invoke's position in the history
    std::size_t ret = 0;   // the completion's position; for an unknown operation, the history's length
    std::size_t line = 0;  // the invoke's line
    std::optional<std::int64_t> callTime;  // nanoseconds, when the history gives them
};

// Pairs invokes with completions. Errors (naming the line): a completion with no open invoke, a second invoke
// while one is open or after an info, a completion whose f or key differs from its invoke's.
Result<std::vector<Operation>> opsOf(const std::vector<HistoryEvent>& history, std::string_view source);

}  // namespace distlab::lin
