#pragma once
// What one console command is: its name as typed, its syntax, its help summary, how its arguments are read
// and written back, and whether a schedule may hold it and time travel must replay it. The console's own
// commands (core/console/command.h) and every lab's (core/labs/<lab>/<lab>_commands.h) are CommandSpecs;
// a CommandTable assembled from them drives parsing, formatting, help, completion and "did you mean".
//
// A lab's command needs no edit here: the lab defines its spec, parse and format functions with the
// ArgumentReader below, and lists the spec in its registry entry.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/base/text.h"

namespace distlab {

struct Command;
class ArgumentReader;
class CommandTable;

// Builds a command's canonical text: its name, then each non-empty argument after one space.
class CommandWriter {
public:
    explicit CommandWriter(std::string_view name) : m_text(name) {}
    void argument(std::string_view arg) {
        if (!arg.empty()) m_text += " " + std::string(arg);
    }
    const std::string& text() const { return m_text; }

private:
    std::string m_text;
};

struct CommandSpec {
    std::string_view name;    // as typed, e.g. "node kill"
    std::string_view syntax;  // e.g. "node kill ID"
    const char* summary;      // what it does, for help: a template of the "Core" context
    // Reads the arguments into the command; problems go through the reader's helpers, which stop the parse.
    void (*parse)(const ArgumentReader& args, Command& command) = nullptr;
    // Writes the arguments back so that parsing the text gives the same fields (nullptr: it has none).
    void (*format)(const Command& command, CommandWriter& out) = nullptr;
    // Most commands act on the run: only the viewer's controls (step, seek, speed, help, ...) say otherwise.
    // Left on by default, a forgotten flag replays a harmless command rather than losing a real one.
    bool schedulable = true;    // a scenario's schedule may hold it
    bool changesTheRun = true;  // it changes the run, so time travel replays it
    // The registry name of the lab that executes it ("kv", "lock", ...); empty: the session's own command.
    std::string_view lab = {};
    // The argument words completion offers after the name ("xxh3", "ketama"); none: the name alone.
    std::span<const std::string_view> completions = {};
};

// A switch ("--durable") or an option with a value ("--count N").
struct OptionSpec {
    std::string_view name;
    bool takesValue = false;
};

// One whitespace-separated word of a line.
struct CommandToken {
    std::string_view text;
    std::size_t offset = 0;  // into the trimmed line
};

// What an argument is, in "missing ..." messages, and what a number should have been, in "... is not ...".
namespace arg {
inline constexpr const char* kNodeId = QT_TRANSLATE_NOOP("Core", "node id");
inline constexpr const char* kClientId = QT_TRANSLATE_NOOP("Core", "client id");
inline constexpr const char* kPauseLength = QT_TRANSLATE_NOOP("Core", "pause length in milliseconds");
inline constexpr const char* kMillis = QT_TRANSLATE_NOOP("Core", "a number of milliseconds");
inline constexpr const char* kWhole = QT_TRANSLATE_NOOP("Core", "a whole number");
}  // namespace arg

// Reads the arguments of one command and reports problems in that command's terms. Every reporting helper
// stops the parse; parseCommand turns the problem into an Error.
class ArgumentReader {
public:
    ArgumentReader(const CommandSpec& spec, const CommandTable& table, std::string_view line,
                   std::vector<CommandToken> tokens, std::size_t first);

    const CommandSpec& spec() const { return m_spec; }
    // The table the line is parsed against (`help TOPIC` checks the topic in it).
    const CommandTable& table() const { return m_table; }
    std::size_t size() const { return m_tokens.size() - m_first; }
    std::string_view at(std::size_t i) const { return m_tokens[m_first + i].text; }
    // Argument i and everything after it, as typed (inner spaces kept).
    std::string_view restFrom(std::size_t i) const;

    // `what` names the missing argument ("node id").
    std::string_view need(std::size_t i, const char* what) const;
    void noMoreThan(std::size_t count) const;
    // The message follows the line it is about; without a hint of its own, the command's usage is the hint.
    [[noreturn]] void invalid(Text message, Text hint = {}) const;
    // "unknown option '--ttt'", with "did you mean '--ttl'?" when the word starts with '-' and is close.
    [[noreturn]] void unknownOption(std::string_view option, std::initializer_list<std::string_view> known) const;
    [[noreturn]] void givenTwice(std::string_view option) const;
    [[noreturn]] void needsAValue(std::string_view option) const;

    std::string nodeId(std::string_view id) const;
    // `noun` says what the number should have been ("a number of milliseconds").
    std::int64_t integer(std::string_view token, std::int64_t lo, std::int64_t hi, const char* noun,
                         std::string_view unit = {}) const;
    double real(std::string_view token, double lo, double hi, const char* noun) const;
    // One of a fixed set of words: "expected on or off, got 'maybe'".
    std::string_view oneOf(std::string_view token, std::initializer_list<std::string_view> allowed) const;
    std::string_view oneOf(std::string_view token, std::span<const std::string_view> allowed) const;
    double probability(std::string_view token) const;
    // Reads options from argument `first` on, in any order and each at most once; apply(name, value) takes
    // one (value is empty for a switch). A bare word there is an extra argument.
    void options(std::size_t first, std::span<const OptionSpec> known,
                 const std::function<void(std::string_view option, std::string_view value)>& apply) const;
    // The same for options that all take a value, read in pairs: a bare word there is an unknown option.
    void valueOptions(std::size_t first, std::initializer_list<std::string_view> known,
                      const std::function<void(std::string_view option, std::string_view value)>& apply) const;

    Text usage() const;

private:
    const CommandSpec& m_spec;
    const CommandTable& m_table;
    std::string_view m_line;
    std::vector<CommandToken> m_tokens;
    std::size_t m_first;
};

// 1..bytesMax characters of [A-Za-z0-9_.-]: a lock resource, a saga, a message type in a crash pattern.
bool isPlainName(std::string_view name, std::size_t bytesMax);
// Shortest text that reads back as the same double ("0.5", "10", "0.05").
std::string formatReal(double x);
// "a,b,c".
std::string joinedWords(const std::vector<std::string>& items, std::string_view separator);
// command.nodes[i], or empty.
std::string nodeAt(const Command& command, std::size_t i);

// Format functions many commands share: the key ("ring hash xxh3"), the count ("step 5"), the first node
// ("node kill n1"), the first node and the duration in milliseconds ("node pause n1 500").
void formatKeyArgument(const Command& command, CommandWriter& out);
void formatCountArgument(const Command& command, CommandWriter& out);
void formatFirstNode(const Command& command, CommandWriter& out);
void formatFirstNodeAndMillis(const Command& command, CommandWriter& out);

}  // namespace distlab
