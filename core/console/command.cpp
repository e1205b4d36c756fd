#include "core/console/command.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <exception>
#include <initializer_list>
#include <set>
#include <system_error>
#include <utility>

namespace distlab {
namespace {

constexpr std::string_view kBlank = " \t\r\n\v\f";
constexpr std::string_view kSeparators = " \t";
constexpr const char* kNodeIdHint =
    QT_TRANSLATE_NOOP("Core", "Node ids are 1 to 32 characters: letters, digits, '_' and '-'.");
constexpr const char* kNodeIdHintGroups =
    QT_TRANSLATE_NOOP("Core",
                      "Node ids are 1 to 32 characters: letters, digits, '_' and '-'. Separate the ids in a "
                      "group with commas.");
constexpr const char* kNodeIdHintCut = QT_TRANSLATE_NOOP(
    "Core", "Node ids are 1 to 32 characters: letters, digits, '_' and '-'. Write 'A -> B'.");
// Names longer than this are not compared for "did you mean": nobody mistypes 'node' as 40 letters.
constexpr std::size_t kSuggestBytesMax = 32;

// Internal only: thrown by the helpers below and turned into an Error by parseCommand.
struct CommandFailure {
    Error error;
};

[[noreturn]] void fail(Text message, Text hint) {
    throw CommandFailure{makeError(std::move(message), std::move(hint))};
}

Text reservedOwner(std::string_view id, const CommandTable& table) {
    if (id == "ctl") return makeText(QT_TRANSLATE_NOOP("Core", "the membership service"));
    for (std::string_view prefix : table.reservedIdPrefixes())
        if (id.starts_with(prefix))
            return makeText(QT_TRANSLATE_NOOP("Core", "the nodes of a lab (%1...)"), prefix);
    return makeText(QT_TRANSLATE_NOOP("Core", "a client"));
}

std::string_view firstWord(std::string_view name) {
    return name.substr(0, name.find(' '));
}

std::string_view trim(std::string_view s, std::string_view chars = kBlank) {
    const auto first = s.find_first_not_of(chars);
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(chars);
    return s.substr(first, last - first + 1);
}

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when it is ill-formed
// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8SequenceBytes(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return 1;
    std::size_t length = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
    } else if (b0 == 0xE0) {
        length = 3;
        lo = 0xA0;
    } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
        length = 3;
    } else if (b0 == 0xED) {
        length = 3;
        hi = 0x9F;
    } else if (b0 == 0xF0) {
        length = 4;
        lo = 0x90;
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
        length = 4;
    } else if (b0 == 0xF4) {
        length = 4;
        hi = 0x8F;
    } else {
        return 0;
    }
    if (i + length > s.size()) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b1 < lo || b1 > hi) return 0;
    for (std::size_t k = 2; k < length; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (b < 0x80 || b > 0xBF) return 0;
    }
    return length;
}

bool isControl(unsigned char c) {
    return c < 0x20 || c == 0x7F;
}

std::string hexByte(unsigned char c) {
    constexpr std::string_view kDigits = "0123456789abcdef";
    return std::string("\\x") + kDigits[c >> 4] + kDigits[c & 0xF];
}

std::string asciiLower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}


// The closest candidate within a typo's reach, or empty.
std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.empty() || word.size() > kSuggestBytesMax) return {};
    const std::string lower = asciiLower(word);
    const std::size_t reach = lower.size() < 3 ? 1 : 2;
    std::string best;
    std::size_t bestDistance = reach + 1;
    for (const std::string& candidate : candidates) {
        const std::size_t distance = editDistance(lower, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

std::vector<std::string> topLevelWords(const CommandTable& table) {
    std::vector<std::string> words;
    for (const CommandSpec* spec : table.specs()) {
        const std::string word(firstWord(spec->name));
        if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
    }
    return words;
}

std::vector<std::string> subcommandWords(const CommandTable& table, std::string_view group) {
    std::vector<std::string> words;
    for (const CommandSpec* spec : table.specs())
        if (firstWord(spec->name) == group && spec->name.size() > group.size())
            words.emplace_back(spec->name.substr(group.size() + 1));
    return words;
}

Text didYouMean(std::string_view suggestion, Text listHint) {
    if (suggestion.empty()) return listHint;
    return makeText(QT_TRANSLATE_NOOP("Core", "did you mean '%1'? %2"), suggestion, listHint);
}

Text typeHelpForTheList() {
    return makeText(QT_TRANSLATE_NOOP("Core", "Type 'help' for the list."));
}

Text usageOf(std::string_view syntax) {
    return makeText(QT_TRANSLATE_NOOP("Core", "usage: %1"), syntax);
}

// "on or off", "lease, redlock or zk".
Text alternatives(std::span<const std::string_view> allowed) {
    const std::vector<std::string_view> words(allowed.begin(), allowed.end());
    if (words.empty()) return {};
    if (words.size() == 1) return makeText("%1", words.front());
    Text list = makeText(QT_TRANSLATE_NOOP("Core", "%1 or %2"), words[words.size() - 2], words.back());
    for (std::size_t i = words.size() - 2; i-- > 0;)
        list = makeText(QT_TRANSLATE_NOOP("Core", "%1, %2"), words[i], list);
    return list;
}


// "kil" -> "node kill", "NODE" -> "node", "drop" -> "net drop".
std::string suggestCommand(const CommandTable& table, std::string_view word) {
    std::string best = closest(word, topLevelWords(table));
    if (!best.empty()) return best;
    for (const std::string& group : table.groupWords()) {
        best = closest(word, subcommandWords(table, group));
        if (!best.empty()) return group + " " + best;
    }
    return {};
}

Text groupUsage(const CommandTable& table, std::string_view group) {
    std::string syntaxes;
    for (const CommandSpec* spec : table.specs()) {
        if (firstWord(spec->name) != group) continue;
        if (!syntaxes.empty()) syntaxes += " | ";
        syntaxes += spec->syntax;
    }
    return usageOf(syntaxes);
}

bool topicMatches(std::string_view name, std::string_view topic) {
    return name == topic ||
           (name.size() > topic.size() && name.starts_with(topic) && name[topic.size()] == ' ');
}


std::vector<CommandToken> tokenize(std::string_view line) {
    std::vector<CommandToken> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        i = line.find_first_not_of(kSeparators, i);
        if (i == std::string_view::npos) break;
        std::size_t end = line.find_first_of(kSeparators, i);
        if (end == std::string_view::npos) end = line.size();
        tokens.push_back(CommandToken{line.substr(i, end - i), i});
        i = end;
    }
    return tokens;
}

// A '#' that starts the line or follows whitespace starts a comment; "a#b" stays a value.
std::string_view stripComment(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '#') continue;
        if (i == 0 || kBlank.find(line[i - 1]) != std::string_view::npos) return line.substr(0, i);
    }
    return line;
}

void checkBytes(std::string_view line) {
    for (std::size_t i = 0; i < line.size();) {
        const auto c = static_cast<unsigned char>(line[i]);
        if (c == '\t') {
            ++i;
            continue;
        }
        if (isControl(c))
            fail(makeText(QT_TRANSLATE_NOOP("Core", "the line has a control character (%1) at column %2"),
                          hexByte(c), i + 1),
                 makeText(QT_TRANSLATE_NOOP("Core", "Type the command as plain text.")));
        const std::size_t length = utf8SequenceBytes(line, i);
        if (length == 0)
            fail(makeText(QT_TRANSLATE_NOOP("Core", "the line is not valid UTF-8 (byte %1 at column %2)"),
                          hexByte(c), i + 1),
                 makeText(QT_TRANSLATE_NOOP("Core", "Type the command as plain text.")));
        i += length;
    }
}

enum class NumberStatus { Ok, NotANumber, TooLarge };

NumberStatus parseInteger(std::string_view s, std::int64_t& out) {
    if (s.empty()) return NumberStatus::NotANumber;
    const char* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, out);
    if (ptr != end) return NumberStatus::NotANumber;
    if (ec == std::errc::result_out_of_range) return NumberStatus::TooLarge;
    if (ec != std::errc{}) return NumberStatus::NotANumber;
    return NumberStatus::Ok;
}

NumberStatus parseReal(std::string_view s, double& out) {
    if (s.empty()) return NumberStatus::NotANumber;
    const char* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, out, std::chars_format::general);
    if (ptr != end) return NumberStatus::NotANumber;
    if (ec == std::errc::result_out_of_range) return NumberStatus::TooLarge;
    if (ec != std::errc{} || !std::isfinite(out)) return NumberStatus::NotANumber;  // "nan", "inf"
    return NumberStatus::Ok;
}



// The console's own commands: reading their arguments.

void parseHelp(const ArgumentReader& args, Command& command) {
    if (args.size() == 0) return;
    std::string topic(args.at(0));
    for (std::size_t i = 1; i < args.size(); ++i) topic += " " + std::string(args.at(i));
    const auto& specs = args.table().specs();
    const bool known = std::any_of(specs.begin(), specs.end(),
                                   [&](const CommandSpec* spec) { return topicMatches(spec->name, topic); });
    if (!known) {
        const std::string guess = suggestCommand(args.table(), args.at(0));
        fail(makeText(QT_TRANSLATE_NOOP("Core", "help: no command matches '%1'"), excerptForMessage(topic)),
             didYouMean(guess.empty() ? guess : "help " + guess, typeHelpForTheList()));
    }
    command.key = std::move(topic);
}

void parseNodeAdd(const ArgumentReader& args, Command& command) {
    args.noMoreThan(1);
    if (args.size() == 1) command.nodes = {args.nodeId(args.at(0))};
    const auto& addable = args.table().nodeAddPrefixes();
    const bool labsOwn = args.size() == 1 && std::any_of(addable.begin(), addable.end(), [&](const std::string& prefix) {
                             return command.nodes.front().starts_with(prefix);
                         });
    if (args.size() == 1 && !labsOwn && isReservedNodeId(command.nodes.front(), args.table()))
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is reserved for %2"),
                              excerptForMessage(command.nodes.front()),
                              reservedOwner(command.nodes.front(), args.table())),
                     makeText(QT_TRANSLATE_NOOP(
                         "Core", "server ids look like n7; leave the id out to get the next free one")));
}

// node kill|restart|remove ID
void parseOneNode(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kNodeId))};
    args.noMoreThan(1);
}

void parseNodePause(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kNodeId))};
    command.duration =
        millis(args.integer(args.need(1, arg::kPauseLength), 1, kNodePauseMsMax, arg::kMillis, " ms"));
    args.noMoreThan(2);
}

void parsePartition(const ArgumentReader& args, Command& command) {
    const std::string_view rest = args.restFrom(0);
    if (rest.empty()) args.need(0, QT_TRANSLATE_NOOP("Core", "groups"));
    std::vector<std::string_view> groupTexts;
    for (std::size_t start = 0;;) {
        const std::size_t bar = rest.find('|', start);
        groupTexts.push_back(trim(rest.substr(start, bar == std::string_view::npos ? bar : bar - start)));
        if (bar == std::string_view::npos) break;
        start = bar + 1;
    }
    if (groupTexts.size() < 2)
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "a partition needs two or more groups separated by '|'")),
            makeText(
                QT_TRANSLATE_NOOP("Core", "usage: partition A,B | C,D (every node in at most one group)")));
    std::set<std::string, std::less<>> seen;
    for (std::size_t g = 0; g < groupTexts.size(); ++g) {
        const std::size_t groupNumber = g + 1;
        if (groupTexts[g].empty())
            args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "group %1 is empty"), groupNumber));
        std::vector<std::string> group;
        for (std::size_t start = 0;;) {
            const std::size_t comma = groupTexts[g].find(',', start);
            const std::string_view item =
                trim(groupTexts[g].substr(start, comma == std::string_view::npos ? comma : comma - start));
            if (item.empty())
                args.invalid(
                    makeText(QT_TRANSLATE_NOOP("Core", "group %1 has an empty node id (a stray comma?)"),
                             groupNumber));
            std::string id = args.nodeId(item);
            if (!seen.insert(id).second) {
                const bool sameGroup = std::find(group.begin(), group.end(), id) != group.end();
                args.invalid(
                    sameGroup
                        ? makeText(QT_TRANSLATE_NOOP("Core", "node '%1' appears twice in group %2"),
                                   excerptForMessage(id), groupNumber)
                        : makeText(QT_TRANSLATE_NOOP("Core", "node '%1' appears in more than one group"),
                                   excerptForMessage(id)));
            }
            group.push_back(std::move(id));
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
        command.groups.push_back(std::move(group));
    }
}

void parseCut(const ArgumentReader& args, Command& command) {
    const std::string_view rest = args.restFrom(0);
    if (rest.empty()) args.need(0, QT_TRANSLATE_NOOP("Core", "node ids"));
    const std::size_t arrow = rest.find("->");
    if (arrow == std::string_view::npos)
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "expected 'A -> B' (messages from A to B are dropped)")));
    const std::string_view from = trim(rest.substr(0, arrow));
    const std::string_view to = trim(rest.substr(arrow + 2));
    if (from.empty())
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "missing the sending node before '->'")));
    if (to.empty())
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "missing the receiving node after '->'")));
    command.nodes = {args.nodeId(from), args.nodeId(to)};
    if (command.nodes[0] == command.nodes[1])
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "a node cannot be cut from itself")));
}


void parseNoArguments(const ArgumentReader& args, Command&) {
    args.noMoreThan(0);
}

// step [N] and step back [N]
void parseStepCount(const ArgumentReader& args, Command& command) {
    command.count = args.size() == 0 ? 1 : args.integer(args.at(0), 1, kStepCountMax, arg::kWhole);
    args.noMoreThan(1);
}

void parseSeek(const ArgumentReader& args, Command& command) {
    command.duration =
        millis(args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "simulated time in milliseconds")), 0,
                            kRunMsMax, arg::kMillis, " ms"));
    args.noMoreThan(1);
}

void parseRun(const ArgumentReader& args, Command& command) {
    if (args.size() > 0) command.duration = millis(args.integer(args.at(0), 1, kRunMsMax, arg::kMillis, " ms"));
    args.noMoreThan(1);
}

void parseSpeed(const ArgumentReader& args, Command& command) {
    std::string_view factor = args.need(0, QT_TRANSLATE_NOOP("Core", "speed factor"));
    if (factor.size() > 1 && (factor.back() == 'x' || factor.back() == 'X')) factor.remove_suffix(1);
    command.real = args.real(factor, kSpeedMin, kSpeedMax,
                             QT_TRANSLATE_NOOP("Core", "a speed factor (e.g. 10, 10x or 0.5)"));
    args.noMoreThan(1);
}

void parseSeed(const ArgumentReader& args, Command& command) {
    command.count = args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "seed")), 0, kSeedMax, arg::kWhole);
    args.noMoreThan(1);
}

void parseNetLatency(const ArgumentReader& args, Command& command) {
    const std::int64_t lo =
        args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "minimum latency in milliseconds")), 0,
                     kNetLatencyMsMax, arg::kMillis, " ms");
    const std::int64_t hi =
        args.integer(args.need(1, QT_TRANSLATE_NOOP("Core", "maximum latency in milliseconds")), 0,
                     kNetLatencyMsMax, arg::kMillis, " ms");
    args.noMoreThan(2);
    if (lo > hi)
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "the minimum (%1 ms) is above the maximum (%2 ms)"), lo, hi));
    command.duration = millis(lo);
    command.duration2 = millis(hi);
}

// net drop|duplicate|reorder P
void parseNetProbability(const ArgumentReader& args, Command& command) {
    command.real = args.probability(args.need(0, QT_TRANSLATE_NOOP("Core", "probability")));
    args.noMoreThan(1);
}

void parseTrace(const ArgumentReader& args, Command& command) {
    if (args.size() > 0) command.key = args.restFrom(0);
}

void parseClientPause(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kClientId))};
    command.duration =
        millis(args.integer(args.need(1, arg::kPauseLength), 1, kNodePauseMsMax, arg::kMillis, " ms"));
    args.noMoreThan(2);
}

// crash NODE [--after PATTERN]
void parseCrash(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kNodeId))};
    if (args.size() == 1) return;
    if (args.at(1) != "--after") args.unknownOption(args.at(1), {"--after"});
    if (args.size() < 3)
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "--after needs an event pattern, e.g. recv:tpc_vote*3")));
    auto pattern = parseCrashPattern(args.at(2));
    if (!pattern) args.invalid(pattern.error().text, pattern.error().hintText);
    command.key = formatCrashPattern(pattern.value());
    args.noMoreThan(3);
}

// The queue lab's commands.

// The console's own commands: writing their arguments back.

void formatPartition(const Command& command, CommandWriter& out) {
    std::vector<std::string> groups;
    for (const auto& group : command.groups) groups.push_back(joinedWords(group, ","));
    out.argument(joinedWords(groups, " | "));
}

void formatCut(const Command& command, CommandWriter& out) {
    out.argument(nodeAt(command, 0) + " -> " + nodeAt(command, 1));
}

void formatMillis(const Command& command, CommandWriter& out) {
    out.argument(std::to_string(command.duration / kMicrosPerMilli));
}

void formatRun(const Command& command, CommandWriter& out) {
    if (command.duration > 0) formatMillis(command, out);
}

void formatNetLatency(const Command& command, CommandWriter& out) {
    out.argument(std::to_string(command.duration / kMicrosPerMilli));
    out.argument(std::to_string(command.duration2 / kMicrosPerMilli));
}

void formatRealArgument(const Command& command, CommandWriter& out) {
    out.argument(formatReal(command.real));
}

void formatCrash(const Command& command, CommandWriter& out) {
    out.argument(nodeAt(command, 0));
    if (!command.key.empty()) out.argument("--after " + command.key);
}

}  // namespace


ArgumentReader::ArgumentReader(const CommandSpec& spec, const CommandTable& table, std::string_view line,
                               std::vector<CommandToken> tokens, std::size_t first)
    : m_spec(spec), m_table(table), m_line(line), m_tokens(std::move(tokens)), m_first(first) {}

std::string_view ArgumentReader::restFrom(std::size_t i) const {
    return i < size() ? m_line.substr(m_tokens[m_first + i].offset) : std::string_view{};
}

std::string_view ArgumentReader::need(std::size_t i, const char* what) const {
    if (i >= size())
        fail(makeText(QT_TRANSLATE_NOOP("Core", "%1: missing %2"), m_spec.name, makeText(what)), usage());
    return at(i);
}

void ArgumentReader::noMoreThan(std::size_t count) const {
    if (size() <= count) return;
    const Text hint =
        &m_spec == &commands::kPause
            ? makeText(QT_TRANSLATE_NOOP("Core", "usage: %1. To freeze one node, use 'node pause ID MS'."),
                       m_spec.syntax)
            : usage();
    fail(makeText(QT_TRANSLATE_NOOP("Core", "%1: unexpected extra argument '%2'"), m_spec.name,
                  excerptForMessage(at(count))),
         hint);
}

void ArgumentReader::invalid(Text message, Text hint) const {
    fail(makeText("%1: %2", excerptForMessage(m_line, 60), message), hint.empty() ? usage() : std::move(hint));
}

void ArgumentReader::unknownOption(std::string_view option, std::initializer_list<std::string_view> known) const {
    const std::vector<std::string> names(known.begin(), known.end());
    const std::string guess = option.starts_with("-") ? closest(option, names) : std::string();
    invalid(makeText(QT_TRANSLATE_NOOP("Core", "unknown option '%1'"), excerptForMessage(option)),
            didYouMean(guess, usage()));
}

void ArgumentReader::givenTwice(std::string_view option) const {
    invalid(makeText(QT_TRANSLATE_NOOP("Core", "%1 is given twice"), option));
}

void ArgumentReader::needsAValue(std::string_view option) const {
    invalid(makeText(QT_TRANSLATE_NOOP("Core", "%1 needs a value"), option));
}

std::string ArgumentReader::nodeId(std::string_view id) const {
    if (!isValidNodeId(id)) {
        const char* hint = kNodeIdHint;
        if (id.find_first_of(kSeparators) != std::string_view::npos)
            hint = &m_spec == &commands::kPartition ? kNodeIdHintGroups : kNodeIdHintCut;
        invalid(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid node id"), excerptForMessage(id)),
                makeText(hint));
    }
    return std::string(id);
}

std::int64_t ArgumentReader::integer(std::string_view token, std::int64_t lo, std::int64_t hi, const char* noun,
                                     std::string_view unit) const {
    std::int64_t value = 0;
    const NumberStatus status = parseInteger(token, value);
    if (status == NumberStatus::NotANumber)
        invalid(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not %2"), excerptForMessage(token), makeText(noun)));
    if (status == NumberStatus::TooLarge || value < lo || value > hi)
        invalid(makeText(QT_TRANSLATE_NOOP("Core", "%1 is out of range (%2 to %3%4)"), excerptForMessage(token), lo,
                         hi, unit));
    return value;
}

double ArgumentReader::real(std::string_view token, double lo, double hi, const char* noun) const {
    double value = 0;
    const NumberStatus status = parseReal(token, value);
    if (status == NumberStatus::NotANumber)
        invalid(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not %2"), excerptForMessage(token), makeText(noun)));
    if (status == NumberStatus::TooLarge || value < lo || value > hi)
        invalid(makeText(QT_TRANSLATE_NOOP("Core", "%1 is out of range (%2 to %3%4)"), excerptForMessage(token),
                         formatReal(lo), formatReal(hi), ""));
    return value;
}

std::string_view ArgumentReader::oneOf(std::string_view token, std::initializer_list<std::string_view> allowed) const {
    return oneOf(token, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

std::string_view ArgumentReader::oneOf(std::string_view token, std::span<const std::string_view> allowed) const {
    if (std::find(allowed.begin(), allowed.end(), token) != allowed.end()) return token;
    invalid(makeText(QT_TRANSLATE_NOOP("Core", "expected %1, got '%2'"), alternatives(allowed),
                     excerptForMessage(token)));
}

double ArgumentReader::probability(std::string_view token) const {
    return real(token, 0.0, 1.0, QT_TRANSLATE_NOOP("Core", "a probability (a number from 0 to 1)"));
}

void ArgumentReader::options(std::size_t first, std::span<const OptionSpec> known,
                             const std::function<void(std::string_view, std::string_view)>& apply) const {
    std::set<std::string_view> seen;
    for (std::size_t i = first; i < size(); ++i) {
        const std::string_view option = at(i);
        const auto spec = std::find_if(known.begin(), known.end(),
                                       [option](const OptionSpec& candidate) { return candidate.name == option; });
        if (spec == known.end()) {
            if (!option.starts_with("-"))
                invalid(makeText(QT_TRANSLATE_NOOP("Core", "unexpected extra argument '%1'"),
                                 excerptForMessage(option)));
            std::vector<std::string> names;
            for (const OptionSpec& candidate : known) names.emplace_back(candidate.name);
            invalid(makeText(QT_TRANSLATE_NOOP("Core", "unknown option '%1'"), excerptForMessage(option)),
                    didYouMean(closest(option, names), usage()));
        }
        if (!seen.insert(option).second) givenTwice(option);
        std::string_view value;
        if (spec->takesValue) {
            if (i + 1 >= size()) needsAValue(option);
            value = at(++i);
        }
        apply(option, value);
    }
}

void ArgumentReader::valueOptions(std::size_t first, std::initializer_list<std::string_view> known,
                                  const std::function<void(std::string_view, std::string_view)>& apply) const {
    std::set<std::string_view> seen;
    for (std::size_t i = first; i < size(); i += 2) {
        const std::string_view option = at(i);
        if (std::find(known.begin(), known.end(), option) == known.end()) unknownOption(option, known);
        if (!seen.insert(option).second) givenTwice(option);
        if (i + 1 >= size()) needsAValue(option);
        apply(option, at(i + 1));
    }
}

Text ArgumentReader::usage() const {
    return usageOf(m_spec.syntax);
}


// Shortest text that reads back as the same double ("0.5", "10", "0.05").
std::string formatReal(double x) {
    std::array<char, 64> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
    if (ec != std::errc{}) return "0";
    return std::string(buffer.data(), end);
}

bool isPlainName(std::string_view name, std::size_t bytesMax) {
    return !name.empty() && name.size() <= bytesMax && std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                      c == '-' || c == '.';
           });
}

std::string joinedWords(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += separator;
        out += items[i];
    }
    return out;
}

std::string nodeAt(const Command& command, std::size_t i) {
    return i < command.nodes.size() ? command.nodes[i] : std::string();
}

void formatKeyArgument(const Command& command, CommandWriter& out) {
    out.argument(command.key);
}

void formatCountArgument(const Command& command, CommandWriter& out) {
    out.argument(std::to_string(command.count));
}

void formatFirstNode(const Command& command, CommandWriter& out) {
    out.argument(nodeAt(command, 0));
}

void formatFirstNodeAndMillis(const Command& command, CommandWriter& out) {
    out.argument(nodeAt(command, 0));
    out.argument(std::to_string(command.duration / kMicrosPerMilli));
}

// One table of the console's own commands drives their parsing, help, completion and suggestions; the labs'
// tables join it in the CommandTable a console uses.
namespace commands {

constinit const CommandSpec kHelp{
    .name = "help",
    .syntax = "help [TOPIC]",
    .summary = QT_TRANSLATE_NOOP("Core", "list the commands, or only those starting with TOPIC"),
    .parse = parseHelp,
    .format = formatKeyArgument,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kNodeAdd{
    .name = "node add",
    .syntax = "node add [ID]",
    .summary = QT_TRANSLATE_NOOP("Core", "add a server node and put it on the ring"),
    .parse = parseNodeAdd,
    .format = formatFirstNode,
};

constinit const CommandSpec kNodeKill{
    .name = "node kill",
    .syntax = "node kill ID",
    .summary = QT_TRANSLATE_NOOP("Core", "crash a node: its volatile state and timers are lost"),
    .parse = parseOneNode,
    .format = formatFirstNode,
};

constinit const CommandSpec kNodeRestart{
    .name = "node restart",
    .syntax = "node restart ID",
    .summary = QT_TRANSLATE_NOOP("Core", "restart a crashed node; its durable state survives"),
    .parse = parseOneNode,
    .format = formatFirstNode,
};

constinit const CommandSpec kNodePause{
    .name = "node pause",
    .syntax = "node pause ID MS",
    .summary = QT_TRANSLATE_NOOP("Core", "freeze a node for MS milliseconds, like a long GC pause"),
    .parse = parseNodePause,
    .format = formatFirstNodeAndMillis,
};

constinit const CommandSpec kNodeRemove{
    .name = "node remove",
    .syntax = "node remove ID",
    .summary = QT_TRANSLATE_NOOP("Core", "take a node off the ring and out of the cluster"),
    .parse = parseOneNode,
    .format = formatFirstNode,
};

constinit const CommandSpec kPartition{
    .name = "partition",
    .syntax = "partition A,B | C,D",
    .summary = QT_TRANSLATE_NOOP("Core", "split the network into groups that cannot reach each other"),
    .parse = parsePartition,
    .format = formatPartition,
};

constinit const CommandSpec kCut{
    .name = "cut",
    .syntax = "cut A -> B",
    .summary = QT_TRANSLATE_NOOP("Core", "drop every message from A to B (one way only)"),
    .parse = parseCut,
    .format = formatCut,
};

constinit const CommandSpec kHeal{
    .name = "heal",
    .syntax = "heal",
    .summary = QT_TRANSLATE_NOOP("Core", "remove every partition and cut"),
    .parse = parseNoArguments,
};

constinit const CommandSpec kStep{
    .name = "step",
    .syntax = "step [N]",
    .summary = QT_TRANSLATE_NOOP("Core", "process the next N events (default 1), then stop"),
    .parse = parseStepCount,
    .format = formatCountArgument,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kStepBack{
    .name = "step back",
    .syntax = "step back [N]",
    .summary = QT_TRANSLATE_NOOP(
            "Core", "go back N events (default 1): the run is replayed from its start, deterministically"),
    .parse = parseStepCount,
    .format = formatCountArgument,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kSeek{
    .name = "seek",
    .syntax = "seek MS",
    .summary = QT_TRANSLATE_NOOP(
                    "Core", "go to simulated time MS, back or forwards; acting there forks a new future"),
    .parse = parseSeek,
    .format = formatMillis,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kRun{
    .name = "run",
    .syntax = "run [MS]",
    .summary = QT_TRANSLATE_NOOP("Core", "run for MS simulated milliseconds, or until paused"),
    .parse = parseRun,
    .format = formatRun,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kPause{
    .name = "pause",
    .syntax = "pause",
    .summary = QT_TRANSLATE_NOOP("Core", "pause the simulation"),
    .parse = parseNoArguments,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kPlay{
    .name = "play",
    .syntax = "play",
    .summary = QT_TRANSLATE_NOOP("Core", "resume the simulation"),
    .parse = parseNoArguments,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kSpeed{
    .name = "speed",
    .syntax = "speed X",
    .summary = QT_TRANSLATE_NOOP("Core", "run at X times real time (0.1 to 1000; 10 and 10x both work)"),
    .parse = parseSpeed,
    .format = formatRealArgument,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kSeed{
    .name = "seed",
    .syntax = "seed N",
    .summary = QT_TRANSLATE_NOOP("Core", "set the random seed (0 to 2^63-1)"),
    .parse = parseSeed,
    .format = formatCountArgument,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kStatus{
    .name = "status",
    .syntax = "status",
    .summary = QT_TRANSLATE_NOOP("Core", "print the time, seed, nodes and network faults"),
    .parse = parseNoArguments,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kNetLatency{
    .name = "net latency",
    .syntax = "net latency MIN MAX",
    .summary = QT_TRANSLATE_NOOP("Core", "delay every message by MIN to MAX milliseconds (at most 60000)"),
    .parse = parseNetLatency,
    .format = formatNetLatency,
};

constinit const CommandSpec kNetDrop{
    .name = "net drop",
    .syntax = "net drop P",
    .summary = QT_TRANSLATE_NOOP("Core", "lose each message with probability P (0 to 1)"),
    .parse = parseNetProbability,
    .format = formatRealArgument,
};

constinit const CommandSpec kNetDuplicate{
    .name = "net duplicate",
    .syntax = "net duplicate P",
    .summary = QT_TRANSLATE_NOOP("Core", "deliver each message twice with probability P (0 to 1)"),
    .parse = parseNetProbability,
    .format = formatRealArgument,
};

constinit const CommandSpec kNetReorder{
    .name = "net reorder",
    .syntax = "net reorder P",
    .summary = QT_TRANSLATE_NOOP("Core", "let each message overtake earlier ones with probability P (0 to 1)"),
    .parse = parseNetProbability,
    .format = formatRealArgument,
};

constinit const CommandSpec kTrace{
    .name = "trace",
    .syntax = "trace [FILE]",
    .summary = QT_TRANSLATE_NOOP("Core", "export the trace as JSON lines (to FILE when given)"),
    .parse = parseTrace,
    .format = formatKeyArgument,
    .schedulable = false,
    .changesTheRun = false,
};

constinit const CommandSpec kClientPause{
    .name = "client pause",
    .syntax = "client pause CLIENT MS",
    .summary = QT_TRANSLATE_NOOP("Core", "stop a client for MS milliseconds (a GC pause): it does not notice"),
    .parse = parseClientPause,
    .format = formatFirstNodeAndMillis,
};

constinit const CommandSpec kCrash{
    .name = "crash",
    .syntax = "crash NODE [--after recv:TYPE|send:TYPE|state:STATE[*N]]",
    .summary = QT_TRANSLATE_NOOP(
            "Core",
            "crash NODE now, or right after its N-th such event from now: recv:tpc_vote*3, state:WAIT"),
    .parse = parseCrash,
    .format = formatCrash,
};

}  // namespace commands

std::span<const CommandSpec* const> consoleCommands() {
    static constexpr std::array<const CommandSpec*, 25> kSpecs = {
        &commands::kHelp,
        &commands::kNodeAdd,
        &commands::kNodeKill,
        &commands::kNodeRestart,
        &commands::kNodePause,
        &commands::kNodeRemove,
        &commands::kPartition,
        &commands::kCut,
        &commands::kHeal,
        &commands::kStep,
        &commands::kStepBack,
        &commands::kSeek,
        &commands::kRun,
        &commands::kPause,
        &commands::kPlay,
        &commands::kSpeed,
        &commands::kSeed,
        &commands::kStatus,
        &commands::kNetLatency,
        &commands::kNetDrop,
        &commands::kNetDuplicate,
        &commands::kNetReorder,
        &commands::kTrace,
        &commands::kClientPause,
        &commands::kCrash,
    };
    return kSpecs;
}


CommandTable::CommandTable(std::vector<const CommandSpec*> specs, std::vector<std::string> reservedIdPrefixes,
                           std::vector<std::string> nodeAddPrefixes)
    : m_reservedIdPrefixes(std::move(reservedIdPrefixes)), m_nodeAddPrefixes(std::move(nodeAddPrefixes)) {
    for (const CommandSpec* spec : specs) {
        const std::string_view first = firstWord(spec->name);
        if (first.size() == spec->name.size()) continue;
        const bool isCommand = std::any_of(specs.begin(), specs.end(),
                                           [first](const CommandSpec* other) { return other->name == first; });
        if (!isCommand && !isGroupWord(first)) m_groupWords.emplace_back(first);
    }
    // A group's commands stay together where the group first appears, so that a lab's `client slow` is
    // listed next to the console's `client pause`; otherwise the order is as given.
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (specs[i] == nullptr) continue;
        const std::string_view group = firstWord(specs[i]->name);
        m_specs.push_back(std::exchange(specs[i], nullptr));
        if (!isGroupWord(group)) continue;
        for (std::size_t j = i + 1; j < specs.size(); ++j)
            if (specs[j] != nullptr && firstWord(specs[j]->name) == group)
                m_specs.push_back(std::exchange(specs[j], nullptr));
    }
}

const CommandSpec* CommandTable::named(std::string_view name) const {
    for (const CommandSpec* spec : m_specs)
        if (spec->name == name) return spec;
    return nullptr;
}

bool CommandTable::isGroupWord(std::string_view word) const {
    return std::find(m_groupWords.begin(), m_groupWords.end(), word) != m_groupWords.end();
}

namespace {

Command parseTrimmedLine(std::string_view line, const CommandTable& table) {
    std::vector<CommandToken> tokens = tokenize(line);
    const std::string_view head = tokens.front().text;
    const CommandSpec* spec = nullptr;
    std::size_t first = 1;
    if (table.isGroupWord(head)) {
        if (tokens.size() < 2)
            fail(makeText(QT_TRANSLATE_NOOP("Core", "%1: missing subcommand"), head), groupUsage(table, head));
        const std::string_view sub = tokens[1].text;
        spec = table.named(std::string(head) + " " + std::string(sub));
        if (spec == nullptr) {
            const std::string guess = closest(sub, subcommandWords(table, head));
            fail(makeText(QT_TRANSLATE_NOOP("Core", "%1: unknown subcommand '%2'"), head,
                          excerptForMessage(sub)),
                 didYouMean(guess.empty() ? std::string() : std::string(head) + " " + guess,
                            makeText(QT_TRANSLATE_NOOP("Core", "Type 'help %1' for the list."), head)));
        }
        first = 2;
    } else {
        // A two-word command whose first word is also a command of its own ("step back" next to "step").
        if (tokens.size() >= 2) spec = table.named(std::string(head) + " " + std::string(tokens[1].text));
        if (spec != nullptr) first = 2;
        if (spec == nullptr) spec = table.named(head);
        if (spec == nullptr) {
            const std::string guess = suggestCommand(table, head);
            Text hint = didYouMean(guess, typeHelpForTheList());
            if (!guess.empty() && asciiLower(head) == guess)
                hint = makeText(QT_TRANSLATE_NOOP("Core", "%1 Commands are lower-case."), hint);
            fail(makeText(QT_TRANSLATE_NOOP("Core", "unknown command '%1'"), excerptForMessage(head)), hint);
        }
    }
    Command command;
    command.spec = spec;
    command.text = line;
    spec->parse(ArgumentReader(*spec, table, line, std::move(tokens), first), command);
    return command;
}

}  // namespace

Result<Command> parseCommand(std::string_view line, const CommandTable& table) {
    try {
        // Checked before anything else so that a pasted megabyte is neither scanned nor echoed.
        if (line.size() > kConsoleLineBytesMax)
            return makeError(
                makeText(QT_TRANSLATE_NOOP("Core", "the line is %1 bytes long; the limit is %2 bytes"),
                         line.size(), kConsoleLineBytesMax),
                makeText(QT_TRANSLATE_NOOP("Core", "Split it into shorter commands.")));
        const std::string_view trimmed = trim(stripComment(line));
        if (trimmed.empty())
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "empty command")),
                             makeText(QT_TRANSLATE_NOOP("Core", "Type 'help' for the list of commands.")));
        checkBytes(trimmed);
        return parseTrimmedLine(trimmed, table);
    } catch (const CommandFailure& failure) {
        return failure.error;
    } catch (const std::exception& e) {
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "could not parse the command: %1"), e.what()));
    } catch (...) {
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "could not parse the command")));
    }
}

std::string formatCommand(const Command& command) {
    CommandWriter out(command.spec->name);
    if (command.spec->format != nullptr) command.spec->format(command, out);
    return out.text();
}

std::vector<std::string> completionWords(const CommandTable& table) {
    std::vector<std::string> words;
    for (const CommandSpec* spec : table.specs()) {
        if (spec->completions.empty()) words.emplace_back(spec->name);
        for (std::string_view argument : spec->completions)
            words.push_back(std::string(spec->name) + " " + std::string(argument));
    }
    return words;
}

std::vector<Text> helpLines(const CommandTable& table, std::string_view topic) {
    topic = trim(topic);
    // Syntaxes longer than this get their summary on a line of its own, so one long command does not push
    // every other summary off a narrow console.
    constexpr std::size_t kSyntaxColumnMax = 36;
    std::size_t width = 0;
    for (const CommandSpec* spec : table.specs())
        if (spec->syntax.size() <= kSyntaxColumnMax) width = std::max(width, spec->syntax.size());
    // The syntax is what one types, so it stays as it is; only the summary is translated.
    std::vector<Text> lines;
    for (const CommandSpec* specPointer : table.specs()) {
        const CommandSpec& spec = *specPointer;
        if (!topic.empty() && !topicMatches(spec.name, topic)) continue;
        const Text summary = makeText(spec.summary);
        if (spec.syntax.size() > width) {
            lines.push_back(makeText("%1", spec.syntax));
            lines.push_back(makeText("%1%2", std::string(width + 2, ' '), summary));
        } else {
            lines.push_back(
                makeText("%1%2", std::string(spec.syntax) + std::string(width + 2 - spec.syntax.size(), ' '),
                         summary));
        }
    }
    if (lines.empty())
        lines.push_back(
            makeText(QT_TRANSLATE_NOOP("Core", "No command matches '%1'. Type 'help' for the list."),
                     excerptForMessage(topic)));
    return lines;
}

std::string helpText(const CommandTable& table, std::string_view topic) {
    return joinLines(helpLines(table, topic));
}

Result<CrashPattern> parseCrashPattern(std::string_view text) {
    const Text hint = makeText(QT_TRANSLATE_NOOP("Core",
                                                 "Write KIND:NAME[*N] with KIND recv, send or state: "
                                                 "recv:tpc_vote*3, send:tpc_decision, state:WAIT."));
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not an event pattern (no ':')"),
                                  excerptForMessage(text)),
                         hint);
    CrashPattern pattern;
    const std::string_view kind = text.substr(0, colon);
    if (kind == "recv") {
        pattern.kind = CrashPattern::Kind::Recv;
    } else if (kind == "send") {
        pattern.kind = CrashPattern::Kind::Send;
    } else if (kind == "state") {
        pattern.kind = CrashPattern::Kind::State;
    } else {
        return makeError(
            makeText(QT_TRANSLATE_NOOP("Core", "unknown event kind '%1' (expected recv, send or state)"),
                     excerptForMessage(kind)),
            hint);
    }
    std::string_view name = text.substr(colon + 1);
    if (const std::size_t star = name.find('*'); star != std::string_view::npos) {
        const std::string_view count = name.substr(star + 1);
        name = name.substr(0, star);
        std::int64_t n = 0;
        const NumberStatus status = parseInteger(count, n);
        if (status != NumberStatus::Ok || n < 1 || n > kCrashPatternCountMax)
            return makeError(
                makeText(QT_TRANSLATE_NOOP(
                             "Core", "the count after '*' must be a whole number from 1 to %1, got '%2'"),
                         kCrashPatternCountMax, excerptForMessage(count)),
                hint);
        pattern.count = n;
    }
    if (!isPlainName(name, kCrashPatternNameBytesMax))
        return makeError(
            makeText(QT_TRANSLATE_NOOP("Core",
                                       "'%1' is not a message type or state name (1 to %2 letters, "
                                       "digits, '_', '-' or '.')"),
                     excerptForMessage(name), kCrashPatternNameBytesMax),
            hint);
    pattern.name = name;
    return pattern;
}

std::string formatCrashPattern(const CrashPattern& pattern) {
    std::string text = pattern.kind == CrashPattern::Kind::Recv   ? "recv:"
                       : pattern.kind == CrashPattern::Kind::Send ? "send:"
                                                                  : "state:";
    text += pattern.name;
    if (pattern.count != 1) text += "*" + std::to_string(pattern.count);
    return text;
}

std::string reservedNodeIdOwner(std::string_view id, const CommandTable& table) {
    return reservedOwner(id, table).str();
}

bool isReservedNodeId(std::string_view id, const CommandTable& table) {
    if (id == "ctl") return true;
    for (std::string_view prefix : table.reservedIdPrefixes())
        if (id.starts_with(prefix)) return true;
    if (id.size() < 2 || id[0] != 'c') return false;
    return std::all_of(id.begin() + 1, id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isValidNodeId(std::string_view id) {
    if (id.empty() || id.size() > kNodeIdBytesMax) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '-';
    });
}

std::string excerptForMessage(std::string_view text, std::size_t bytesMax) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = isControl(c) ? 0 : utf8SequenceBytes(text, i);
        const std::string piece = length == 0 ? hexByte(c) : std::string(text.substr(i, length));
        if (out.size() + piece.size() > bytesMax) {
            out += "...";
            break;
        }
        out += piece;
        i += length == 0 ? 1 : length;
    }
    return out;
}

std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace distlab
