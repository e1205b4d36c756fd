#include "core/console/command.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <exception>
#include <initializer_list>
#include <set>
#include <system_error>

namespace distlab {
namespace {

struct CommandSpec {
    CommandKind kind;
    std::string_view name;     // as typed, e.g. "node kill"
    std::string_view syntax;   // e.g. "node kill ID"
    std::string_view summary;  // what it does, for help
};

// One table drives parsing, help, completion and suggestions, so they cannot drift apart.
constexpr std::array kSpecs = {
    CommandSpec{CommandKind::Help, "help", "help [TOPIC]",
                "list the commands, or only those starting with TOPIC"},
    CommandSpec{CommandKind::NodeAdd, "node add", "node add [ID]",
                "add a server node and put it on the ring"},
    CommandSpec{CommandKind::NodeKill, "node kill", "node kill ID",
                "crash a node: its volatile state and timers are lost"},
    CommandSpec{CommandKind::NodeRestart, "node restart", "node restart ID",
                "restart a crashed node; its durable state survives"},
    CommandSpec{CommandKind::NodePause, "node pause", "node pause ID MS",
                "freeze a node for MS milliseconds, like a long GC pause"},
    CommandSpec{CommandKind::NodeRemove, "node remove", "node remove ID",
                "take a node off the ring and out of the cluster"},
    CommandSpec{CommandKind::Partition, "partition", "partition A,B | C,D",
                "split the network into groups that cannot reach each other"},
    CommandSpec{CommandKind::Cut, "cut", "cut A -> B", "drop every message from A to B (one way only)"},
    CommandSpec{CommandKind::Heal, "heal", "heal", "remove every partition and cut"},
    CommandSpec{CommandKind::Put, "put", "put KEY VALUE", "write VALUE (the rest of the line) under KEY"},
    CommandSpec{CommandKind::Get, "get", "get KEY", "read the value under KEY"},
    CommandSpec{CommandKind::RingVnodes, "ring vnodes", "ring vnodes N",
                "give every server N virtual nodes (1 to 4096)"},
    CommandSpec{CommandKind::RingHash, "ring hash", "ring hash xxh3|ketama",
                "choose the ring's hash function"},
    CommandSpec{CommandKind::RingReplicas, "ring replicas", "ring replicas N",
                "keep every key on N servers (1 to 7)"},
    CommandSpec{CommandKind::Step, "step", "step [N]", "process the next N events (default 1), then stop"},
    CommandSpec{CommandKind::StepBack, "step back", "step back [N]",
                "go back N events (default 1): the run is replayed from its start, deterministically"},
    CommandSpec{CommandKind::Seek, "seek", "seek MS",
                "go to simulated time MS, back or forwards; acting there forks a new future"},
    CommandSpec{CommandKind::Run, "run", "run [MS]", "run for MS simulated milliseconds, or until paused"},
    CommandSpec{CommandKind::Pause, "pause", "pause", "pause the simulation"},
    CommandSpec{CommandKind::Play, "play", "play", "resume the simulation"},
    CommandSpec{CommandKind::Speed, "speed", "speed X",
                "run at X times real time (0.1 to 1000; 10 and 10x both work)"},
    CommandSpec{CommandKind::Seed, "seed", "seed N", "set the random seed (0 to 2^63-1)"},
    CommandSpec{CommandKind::Status, "status", "status", "print the time, seed, nodes and network faults"},
    CommandSpec{CommandKind::NetLatency, "net latency", "net latency MIN MAX",
                "delay every message by MIN to MAX milliseconds (at most 60000)"},
    CommandSpec{CommandKind::NetDrop, "net drop", "net drop P",
                "lose each message with probability P (0 to 1)"},
    CommandSpec{CommandKind::NetDuplicate, "net duplicate", "net duplicate P",
                "deliver each message twice with probability P (0 to 1)"},
    CommandSpec{CommandKind::NetReorder, "net reorder", "net reorder P",
                "let each message overtake earlier ones with probability P (0 to 1)"},
    CommandSpec{CommandKind::Trace, "trace", "trace [FILE]",
                "export the trace as JSON lines (to FILE when given)"},
    CommandSpec{CommandKind::LockAcquire, "lock acquire",
                "lock acquire CLIENT RESOURCE [--mode lease|redlock|zk] [--ttl MS] [--hold MS]",
                "CLIENT takes the lock, reads the storage, works HOLD ms, writes and releases"},
    CommandSpec{CommandKind::LockRelease, "lock release", "lock release CLIENT RESOURCE",
                "CLIENT gives the lock back now (or stops waiting for it), without writing"},
    CommandSpec{CommandKind::ClientPause, "client pause", "client pause CLIENT MS",
                "stop a client for MS milliseconds (a GC pause): it does not notice"},
    CommandSpec{CommandKind::ClientSlow, "client slow", "client slow CLIENT MS",
                "delay every message to and from a client by MS milliseconds (0: back to normal)"},
    CommandSpec{CommandKind::ClockJump, "clock jump", "clock jump NODE +MS|-MS",
                "step a lock server's clock forwards or backwards"},
    CommandSpec{CommandKind::ClockDrift, "clock drift", "clock drift NODE PPM",
                "make a lock server's clock run fast (PPM > 0) or slow (PPM < 0)"},
    CommandSpec{CommandKind::Fencing, "fencing", "fencing on|off",
                "let the storage check fencing tokens, or not"},
    CommandSpec{CommandKind::ZkWatch, "zk watch", "zk watch predecessor|parent",
                "ZooKeeper lock waiters watch the next-lower node, or the parent (the herd)"},
    CommandSpec{CommandKind::Txn2pc, "txn 2pc", "txn 2pc PARTICIPANTS [--vote-no P[,P...]]",
                "start transaction t1, t2, ... at tx-co over tx-p1,tx-p2,...; the --vote-no ones vote no"},
    CommandSpec{CommandKind::Txn3pc, "txn 3pc", "txn 3pc PARTICIPANTS [--vote-no P[,P...]]",
                "start a three-phase commit at tx-co3 over tx-q1,tx-q2,...; the --vote-no ones vote no"},
    CommandSpec{CommandKind::SagaRun, "saga run", "saga run NAME --steps N [--fail-at K] [--timeout-at K]",
                "tx-orch runs N steps over tx-s1, tx-s2, ...; step K is refused or never answered"},
    CommandSpec{CommandKind::Crash, "crash", "crash NODE [--after recv:TYPE|send:TYPE|state:STATE[*N]]",
                "crash NODE now, or right after its N-th such event from now: recv:tpc_vote*3, state:WAIT"},
    CommandSpec{CommandKind::QueueDeclare, "queue declare", "queue declare NAME [--durable]",
                "declare a queue on the broker; --durable: it and its persistent messages survive a restart"},
    CommandSpec{CommandKind::QueueBind, "queue bind", "queue bind EXCHANGE QUEUE",
                "copy every message published to EXCHANGE into QUEUE (fanout)"},
    CommandSpec{CommandKind::Publish, "publish",
                "publish QUEUE [--count N] [--persistent] [--poison] [--interval MS]",
                "prod publishes N messages m1, m2, ... to QUEUE (or exchange), one every MS"},
    CommandSpec{
        CommandKind::Consume, "consume",
        "consume QUEUE CONSUMER [--prefetch P] [--idempotent] [--process MS] [--fail-rate F] [--manual]",
        "CONSUMER takes messages from QUEUE, at most P unacknowledged; --idempotent: effects deduplicated "
        "by message id"},
    CommandSpec{CommandKind::Ack, "ack", "ack CONSUMER [TAG]",
                "a --manual consumer processes and acknowledges a delivery it holds"},
    CommandSpec{CommandKind::Nack, "nack", "nack CONSUMER [TAG] [--no-requeue]",
                "a --manual consumer rejects a delivery: back to the queue, or to the dead-letter queue"},
    CommandSpec{CommandKind::MqMode, "mq mode", "mq mode amqp|brokerless [push|pubsub]",
                "switch producers and consumers between the broker and brokerless push / pub-sub (no "
                "acknowledgements)"},
};

// First words that take a subcommand.
constexpr std::array<std::string_view, 11> kGroupWords = {"node", "ring", "net",  "lock",  "client", "clock",
                                                          "zk",   "txn",  "saga", "queue", "mq"};

constexpr std::string_view kBlank = " \t\r\n\v\f";
constexpr std::string_view kSeparators = " \t";
constexpr std::string_view kNodeIdHint = "Node ids are 1 to 32 characters: letters, digits, '_' and '-'.";
// Names longer than this are not compared for "did you mean": nobody mistypes 'node' as 40 letters.
constexpr std::size_t kSuggestBytesMax = 32;

// Internal only: thrown by the helpers below and turned into an Error by parseCommand.
struct CommandFailure {
    Error error;
};

[[noreturn]] void fail(std::string message, std::string hint) {
    throw CommandFailure{makeError(std::move(message), std::move(hint))};
}

const CommandSpec& specFor(CommandKind kind) {
    for (const CommandSpec& spec : kSpecs)
        if (spec.kind == kind) return spec;
    return kSpecs.front();
}

const CommandSpec* specNamed(std::string_view name) {
    for (const CommandSpec& spec : kSpecs)
        if (spec.name == name) return &spec;
    return nullptr;
}

bool isGroupWord(std::string_view word) {
    return std::find(kGroupWords.begin(), kGroupWords.end(), word) != kGroupWords.end();
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

std::string quoted(std::string_view text) {
    return "'" + excerptForMessage(text) + "'";
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

std::vector<std::string> topLevelWords() {
    std::vector<std::string> words;
    for (const CommandSpec& spec : kSpecs) {
        const std::string word(firstWord(spec.name));
        if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
    }
    return words;
}

std::vector<std::string> subcommandWords(std::string_view group) {
    std::vector<std::string> words;
    for (const CommandSpec& spec : kSpecs)
        if (firstWord(spec.name) == group && spec.name.size() > group.size())
            words.emplace_back(spec.name.substr(group.size() + 1));
    return words;
}

std::string didYouMean(std::string_view suggestion, std::string_view listHint) {
    if (suggestion.empty()) return std::string(listHint);
    return "did you mean '" + std::string(suggestion) + "'? " + std::string(listHint);
}

// "kil" -> "node kill", "NODE" -> "node", "drop" -> "net drop".
std::string suggestCommand(std::string_view word) {
    std::string best = closest(word, topLevelWords());
    if (!best.empty()) return best;
    for (std::string_view group : kGroupWords) {
        best = closest(word, subcommandWords(group));
        if (!best.empty()) return std::string(group) + " " + best;
    }
    return {};
}

std::string groupUsage(std::string_view group) {
    std::string usage = "usage: ";
    bool first = true;
    for (const CommandSpec& spec : kSpecs) {
        if (firstWord(spec.name) != group) continue;
        if (!first) usage += " | ";
        usage += spec.syntax;
        first = false;
    }
    return usage;
}

bool topicMatches(std::string_view name, std::string_view topic) {
    return name == topic ||
           (name.size() > topic.size() && name.starts_with(topic) && name[topic.size()] == ' ');
}

// Shortest text that reads back as the same double ("0.5", "10", "0.05").
std::string formatReal(double x) {
    std::array<char, 64> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
    if (ec != std::errc{}) return "0";
    return std::string(buffer.data(), end);
}

struct Token {
    std::string_view text;
    std::size_t offset = 0;  // into the trimmed line
};

std::vector<Token> tokenize(std::string_view line) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        i = line.find_first_not_of(kSeparators, i);
        if (i == std::string_view::npos) break;
        std::size_t end = line.find_first_of(kSeparators, i);
        if (end == std::string_view::npos) end = line.size();
        tokens.push_back(Token{line.substr(i, end - i), i});
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
            fail("the line has a control character (" + hexByte(c) + ") at column " + std::to_string(i + 1),
                 "Type the command as plain text.");
        const std::size_t length = utf8SequenceBytes(line, i);
        if (length == 0)
            fail("the line is not valid UTF-8 (byte " + hexByte(c) + " at column " + std::to_string(i + 1) +
                     ")",
                 "Type the command as plain text.");
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

// Reads the arguments of one command and reports problems in that command's terms.
class ArgumentReader {
public:
    ArgumentReader(const CommandSpec& spec, std::string_view line, std::vector<Token> tokens,
                   std::size_t first)
        : m_spec(spec), m_line(line), m_tokens(std::move(tokens)), m_first(first) {}

    std::size_t size() const { return m_tokens.size() - m_first; }
    std::string_view at(std::size_t i) const { return m_tokens[m_first + i].text; }
    // Argument i and everything after it, as typed (inner spaces kept).
    std::string_view restFrom(std::size_t i) const {
        return i < size() ? m_line.substr(m_tokens[m_first + i].offset) : std::string_view{};
    }

    std::string_view need(std::size_t i, std::string_view what) const {
        if (i >= size()) fail(std::string(m_spec.name) + ": missing " + std::string(what), usage());
        return at(i);
    }
    void noMoreThan(std::size_t count) const {
        if (size() <= count) return;
        std::string hint = usage();
        if (m_spec.kind == CommandKind::Pause) hint += ". To freeze one node, use 'node pause ID MS'.";
        fail(std::string(m_spec.name) + ": unexpected extra argument " + quoted(at(count)), hint);
    }

    [[noreturn]] void invalid(const std::string& message, std::string hint = {}) const {
        fail(excerptForMessage(m_line, 60) + ": " + message, hint.empty() ? usage() : std::move(hint));
    }

    std::string nodeId(std::string_view id) const {
        if (!isValidNodeId(id)) {
            std::string hint(kNodeIdHint);
            if (id.find_first_of(kSeparators) != std::string_view::npos)
                hint += m_spec.kind == CommandKind::Partition ? " Separate the ids in a group with commas."
                                                              : " Write 'A -> B'.";
            invalid(quoted(id) + " is not a valid node id", hint);
        }
        return std::string(id);
    }

    std::int64_t integer(std::string_view token, std::int64_t lo, std::int64_t hi, std::string_view noun,
                         std::string_view unit = {}) const {
        std::int64_t value = 0;
        const NumberStatus status = parseInteger(token, value);
        if (status == NumberStatus::NotANumber) invalid(quoted(token) + " is not " + std::string(noun));
        if (status == NumberStatus::TooLarge || value < lo || value > hi)
            invalid(excerptForMessage(token) + " is out of range (" + std::to_string(lo) + " to " +
                    std::to_string(hi) + std::string(unit) + ")");
        return value;
    }

    double real(std::string_view token, double lo, double hi, std::string_view noun) const {
        double value = 0;
        const NumberStatus status = parseReal(token, value);
        if (status == NumberStatus::NotANumber) invalid(quoted(token) + " is not " + std::string(noun));
        if (status == NumberStatus::TooLarge || value < lo || value > hi)
            invalid(excerptForMessage(token) + " is out of range (" + formatReal(lo) + " to " +
                    formatReal(hi) + ")");
        return value;
    }

    // A lock resource: 1..kLockResourceBytesMax characters of [A-Za-z0-9_.-].
    std::string resource(std::string_view name) const {
        const bool valid = !name.empty() && name.size() <= kLockResourceBytesMax &&
                           std::all_of(name.begin(), name.end(), [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                      c == '_' || c == '-' || c == '.';
                           });
        if (!valid)
            invalid(quoted(name) + " is not a valid resource name",
                    "Resource names are 1 to " + std::to_string(kLockResourceBytesMax) +
                        " characters: letters, digits, '_', '-' and '.'.");
        return std::string(name);
    }

    // One of a fixed set of words: "expected on or off, got 'maybe'".
    std::string_view oneOf(std::string_view token, std::initializer_list<std::string_view> allowed) const {
        if (std::find(allowed.begin(), allowed.end(), token) != allowed.end()) return token;
        std::string expected;
        std::size_t i = 0;
        for (std::string_view word : allowed) {
            if (i > 0) expected += i + 1 == allowed.size() ? " or " : ", ";
            expected += word;
            ++i;
        }
        invalid("expected " + expected + ", got " + quoted(token));
    }

    double probability(std::string_view token) const {
        return real(token, 0.0, 1.0, "a probability (a number from 0 to 1)");
    }

    std::string usage() const { return "usage: " + std::string(m_spec.syntax); }

private:
    const CommandSpec& m_spec;
    std::string_view m_line;
    std::vector<Token> m_tokens;
    std::size_t m_first;
};

void parsePartition(const ArgumentReader& args, Command& command) {
    const std::string_view rest = args.restFrom(0);
    if (rest.empty()) args.need(0, "groups");
    std::vector<std::string_view> groupTexts;
    for (std::size_t start = 0;;) {
        const std::size_t bar = rest.find('|', start);
        groupTexts.push_back(trim(rest.substr(start, bar == std::string_view::npos ? bar : bar - start)));
        if (bar == std::string_view::npos) break;
        start = bar + 1;
    }
    if (groupTexts.size() < 2)
        args.invalid("a partition needs two or more groups separated by '|'",
                     "usage: partition A,B | C,D (every node in at most one group)");
    std::set<std::string, std::less<>> seen;
    for (std::size_t g = 0; g < groupTexts.size(); ++g) {
        const std::string groupName = "group " + std::to_string(g + 1);
        if (groupTexts[g].empty()) args.invalid(groupName + " is empty");
        std::vector<std::string> group;
        for (std::size_t start = 0;;) {
            const std::size_t comma = groupTexts[g].find(',', start);
            const std::string_view item =
                trim(groupTexts[g].substr(start, comma == std::string_view::npos ? comma : comma - start));
            if (item.empty()) args.invalid(groupName + " has an empty node id (a stray comma?)");
            std::string id = args.nodeId(item);
            if (!seen.insert(id).second) {
                const bool sameGroup = std::find(group.begin(), group.end(), id) != group.end();
                args.invalid(
                    "node " + quoted(id) +
                    (sameGroup ? " appears twice in " + groupName : " appears in more than one group"));
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
    if (rest.empty()) args.need(0, "node ids");
    const std::size_t arrow = rest.find("->");
    if (arrow == std::string_view::npos) args.invalid("expected 'A -> B' (messages from A to B are dropped)");
    const std::string_view from = trim(rest.substr(0, arrow));
    const std::string_view to = trim(rest.substr(arrow + 2));
    if (from.empty()) args.invalid("missing the sending node before '->'");
    if (to.empty()) args.invalid("missing the receiving node after '->'");
    command.nodes = {args.nodeId(from), args.nodeId(to)};
    if (command.nodes[0] == command.nodes[1]) args.invalid("a node cannot be cut from itself");
}

// lock acquire CLIENT RESOURCE [--mode lease|redlock|zk] [--ttl MS] [--hold MS], options in any order.
void parseLockAcquire(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, "client id"))};
    command.key = args.resource(args.need(1, "resource name"));
    command.count = -1;
    constexpr std::array<std::string_view, 3> kOptions = {"--mode", "--ttl", "--hold"};
    std::set<std::string_view> seen;
    for (std::size_t i = 2; i < args.size(); i += 2) {
        const std::string_view option = args.at(i);
        if (std::find(kOptions.begin(), kOptions.end(), option) == kOptions.end()) {
            std::vector<std::string> names(kOptions.begin(), kOptions.end());
            const std::string guess = option.starts_with("-") ? closest(option, names) : std::string();
            args.invalid("unknown option " + quoted(option),
                         didYouMean(guess, "usage: " + std::string(specFor(CommandKind::LockAcquire).syntax)));
        }
        if (!seen.insert(option).second) args.invalid(std::string(option) + " is given twice");
        if (i + 1 >= args.size()) args.invalid(std::string(option) + " needs a value");
        const std::string_view value = args.at(i + 1);
        if (option == "--mode") {
            command.value = args.oneOf(value, {"lease", "redlock", "zk"});
        } else if (option == "--ttl") {
            command.duration = millis(args.integer(value, 1, kLockTtlMsMax, "a number of milliseconds", " ms"));
        } else {
            command.count = args.integer(value, 0, kLockHoldMsMax, "a number of milliseconds", " ms");
        }
    }
}

// A comma list of distinct node ids: "p1,p2,p3".
std::vector<std::string> parseIdList(const ArgumentReader& args, std::string_view list, std::string_view what) {
    std::vector<std::string> ids;
    for (std::size_t start = 0;;) {
        const std::size_t comma = list.find(',', start);
        const std::string_view item = list.substr(start, comma == std::string_view::npos ? comma : comma - start);
        if (item.empty()) args.invalid(std::string(what) + " has an empty id (a stray comma?)");
        std::string id = args.nodeId(item);
        if (std::find(ids.begin(), ids.end(), id) != ids.end())
            args.invalid(std::string(what) + " names " + quoted(id) + " twice");
        ids.push_back(std::move(id));
        if (ids.size() > kTxnParticipantsMax)
            args.invalid(std::string(what) + " has more than " + std::to_string(kTxnParticipantsMax) + " ids");
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return ids;
}

// txn 2pc|3pc PARTICIPANTS [--vote-no P[,P...]]
void parseTxn(const ArgumentReader& args, Command& command) {
    command.nodes = parseIdList(args, args.need(0, "participants (a comma list like tx-p1,tx-p2,tx-p3)"), "the participant list");
    if (args.size() == 1) return;
    if (args.at(1) != "--vote-no") {
        const std::string guess = args.at(1).starts_with("-") ? closest(args.at(1), {"--vote-no"}) : std::string();
        args.invalid("unknown option " + quoted(args.at(1)), didYouMean(guess, args.usage()));
    }
    if (args.size() < 3) args.invalid("--vote-no needs the participants that vote no");
    std::vector<std::string> voteNo = parseIdList(args, args.at(2), "--vote-no");
    for (const std::string& id : voteNo)
        if (std::find(command.nodes.begin(), command.nodes.end(), id) == command.nodes.end())
            args.invalid(quoted(id) + " votes no but is not one of the participants");
    command.groups = {std::move(voteNo)};
    args.noMoreThan(3);
}

// saga run NAME --steps N [--fail-at K] [--timeout-at K], options in any order.
void parseSagaRun(const ArgumentReader& args, Command& command) {
    const std::string_view name = args.need(0, "saga name");
    const bool valid = !name.empty() && name.size() <= kSagaNameBytesMax &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                  c == '_' || c == '-' || c == '.';
                       });
    if (!valid)
        args.invalid(quoted(name) + " is not a valid saga name",
                     "Saga names are 1 to " + std::to_string(kSagaNameBytesMax) +
                         " characters: letters, digits, '_', '-' and '.'.");
    command.key = name;
    constexpr std::array<std::string_view, 3> kOptions = {"--steps", "--fail-at", "--timeout-at"};
    std::set<std::string_view> seen;
    for (std::size_t i = 1; i < args.size(); i += 2) {
        const std::string_view option = args.at(i);
        if (std::find(kOptions.begin(), kOptions.end(), option) == kOptions.end()) {
            std::vector<std::string> names(kOptions.begin(), kOptions.end());
            const std::string guess = option.starts_with("-") ? closest(option, names) : std::string();
            args.invalid("unknown option " + quoted(option), didYouMean(guess, args.usage()));
        }
        if (!seen.insert(option).second) args.invalid(std::string(option) + " is given twice");
        if (i + 1 >= args.size()) args.invalid(std::string(option) + " needs a value");
        const std::string_view value = args.at(i + 1);
        if (option == "--steps") {
            command.count = args.integer(value, 1, kSagaStepsMax, "a number of steps");
        } else if (option == "--fail-at") {
            command.failAt = args.integer(value, 1, kSagaStepsMax, "a step number");
        } else {
            command.timeoutAt = args.integer(value, 1, kSagaStepsMax, "a step number");
        }
    }
    if (!seen.count("--steps")) args.invalid("--steps N is missing: how many steps the saga has");
    if (command.failAt > command.count)
        args.invalid("--fail-at " + std::to_string(command.failAt) + " is past the last step (" +
                     std::to_string(command.count) + ")");
    if (command.timeoutAt > command.count)
        args.invalid("--timeout-at " + std::to_string(command.timeoutAt) + " is past the last step (" +
                     std::to_string(command.count) + ")");
    if (command.failAt != 0 && command.failAt == command.timeoutAt)
        args.invalid("step " + std::to_string(command.failAt) + " cannot both fail and time out");
}

// crash NODE [--after PATTERN]
void parseCrash(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, "node id"))};
    if (args.size() == 1) return;
    if (args.at(1) != "--after") {
        const std::string guess = args.at(1).starts_with("-") ? closest(args.at(1), {"--after"}) : std::string();
        args.invalid("unknown option " + quoted(args.at(1)), didYouMean(guess, args.usage()));
    }
    if (args.size() < 3) args.invalid("--after needs an event pattern, e.g. recv:tpc_vote*3");
    auto pattern = parseCrashPattern(args.at(2));
    if (!pattern) args.invalid(pattern.error().message, pattern.error().hint);
    command.key = formatCrashPattern(pattern.value());
    args.noMoreThan(3);
}

// The queue lab's commands.

// A switch ("--durable") or an option with a value ("--count N").
struct OptionSpec {
    std::string_view name;
    bool takesValue = false;
};

// Reads options from argument `first` on, in any order and each at most once; apply(name, value) takes one
// (value is empty for a switch). A bare word there is an extra argument.
template <std::size_t N, typename Apply>
void readOptions(const ArgumentReader& args, std::size_t first, const std::array<OptionSpec, N>& options,
                 Apply apply) {
    std::set<std::string_view> seen;
    for (std::size_t i = first; i < args.size(); ++i) {
        const std::string_view option = args.at(i);
        const auto spec = std::find_if(options.begin(), options.end(), [option](const OptionSpec& candidate) {
            return candidate.name == option;
        });
        if (spec == options.end()) {
            if (!option.starts_with("-")) args.invalid("unexpected extra argument " + quoted(option));
            std::vector<std::string> names;
            for (const OptionSpec& candidate : options) names.emplace_back(candidate.name);
            args.invalid("unknown option " + quoted(option),
                         didYouMean(closest(option, names), args.usage()));
        }
        if (!seen.insert(option).second) args.invalid(std::string(option) + " is given twice");
        std::string_view value;
        if (spec->takesValue) {
            if (i + 1 >= args.size()) args.invalid(std::string(option) + " needs a value");
            value = args.at(++i);
        }
        apply(option, value);
    }
}

// 1..kMqQueueNameBytesMax characters of [A-Za-z0-9._:-], as the broker's mq::validateMqName.
bool isValidMqName(std::string_view name) {
    return !name.empty() && name.size() <= kMqQueueNameBytesMax &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-' || c == ':';
           });
}

std::string mqName(const ArgumentReader& args, std::string_view name, std::string_view what) {
    if (!isValidMqName(name))
        args.invalid(quoted(name) + " is not a valid " + std::string(what) + " name",
                     "Queue and exchange names are 1 to " + std::to_string(kMqQueueNameBytesMax) +
                         " characters: letters, digits, '.', '_', '-' and ':'.");
    return std::string(name);
}

// "-1" is a (negative) number, "--no-requeue" and "-x" are options.
bool looksLikeOption(std::string_view token) {
    return token.starts_with("-") && (token.size() < 2 || token[1] < '0' || token[1] > '9');
}

std::int64_t deliveryTag(const ArgumentReader& args, std::string_view token) {
    return args.integer(token, 0, kMqDeliveryTagMax, "a delivery tag (a whole number; 0: the oldest)");
}

// queue declare NAME [--durable]
void parseQueueDeclare(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, "queue name"), "queue");
    constexpr std::array kOptions = {OptionSpec{"--durable"}};
    readOptions(args, 1, kOptions,
                [&](std::string_view, std::string_view) { command.flags |= kFlagDurable; });
}

// queue bind EXCHANGE QUEUE
void parseQueueBind(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, "exchange name"), "exchange");
    command.value = mqName(args, args.need(1, "queue name"), "queue");
    args.noMoreThan(2);
    if (command.key == command.value)
        args.invalid("the exchange and the queue are both " + quoted(command.key) +
                     "; bind a different queue");
}

// publish QUEUE [--count N] [--persistent] [--poison] [--interval MS], options in any order.
void parsePublish(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, "queue name"), "queue");
    command.count = 1;
    command.duration = -1;
    constexpr std::array kOptions = {OptionSpec{"--count", true}, OptionSpec{"--persistent"},
                                     OptionSpec{"--poison"}, OptionSpec{"--interval", true}};
    readOptions(args, 1, kOptions, [&](std::string_view option, std::string_view value) {
        if (option == "--count") {
            command.count = args.integer(value, 1, kMqPublishCountMax, "a number of messages");
        } else if (option == "--persistent") {
            command.flags |= kFlagPersistent;
        } else if (option == "--poison") {
            command.flags |= kFlagPoison;
        } else {
            command.duration =
                millis(args.integer(value, 0, kMqIntervalMsMax, "a number of milliseconds", " ms"));
        }
    });
}

// consume QUEUE CONSUMER [--prefetch P] [--idempotent] [--process MS] [--fail-rate F] [--manual]
void parseConsume(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, "queue name"), "queue");
    command.nodes = {args.nodeId(args.need(1, "consumer id"))};
    command.count = -1;
    command.duration = -1;
    constexpr std::array kOptions = {OptionSpec{"--prefetch", true}, OptionSpec{"--idempotent"},
                                     OptionSpec{"--process", true}, OptionSpec{"--fail-rate", true},
                                     OptionSpec{"--manual"}};
    readOptions(args, 2, kOptions, [&](std::string_view option, std::string_view value) {
        if (option == "--prefetch") {
            command.count =
                args.integer(value, 0, kMqPrefetchCountMax, "a number of messages (0: unlimited)");
        } else if (option == "--idempotent") {
            command.flags |= kFlagIdempotent;
        } else if (option == "--process") {
            command.duration =
                millis(args.integer(value, 0, kMqProcessMsMax, "a number of milliseconds", " ms"));
        } else if (option == "--fail-rate") {
            command.real = args.probability(value);
        } else {
            command.flags |= kFlagManual;
        }
    });
}

// ack CONSUMER [TAG] and nack CONSUMER [TAG] [--no-requeue]
void parseAckOrNack(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, "consumer id"))};
    std::size_t next = 1;
    if (args.size() > 1 && !looksLikeOption(args.at(1))) {
        command.count = deliveryTag(args, args.at(1));
        next = 2;
    }
    if (command.kind == CommandKind::Ack) {
        args.noMoreThan(next);
        return;
    }
    constexpr std::array kOptions = {OptionSpec{"--no-requeue"}};
    readOptions(args, next, kOptions,
                [&](std::string_view, std::string_view) { command.flags |= kFlagNoRequeue; });
}

// mq mode amqp|brokerless [push|pubsub]
void parseMqMode(const ArgumentReader& args, Command& command) {
    command.key = args.oneOf(args.need(0, "mode (amqp or brokerless)"), {"amqp", "brokerless"});
    command.value = args.size() > 1 ? args.oneOf(args.at(1), {"push", "pubsub"}) : "push";
    args.noMoreThan(2);
}

void parseArguments(const ArgumentReader& args, Command& command) {
    constexpr std::string_view kMillis = "a number of milliseconds";
    constexpr std::string_view kWhole = "a whole number";
    switch (command.kind) {
        case CommandKind::Help: {
            if (args.size() == 0) return;
            std::string topic(args.at(0));
            for (std::size_t i = 1; i < args.size(); ++i) topic += " " + std::string(args.at(i));
            const bool known = std::any_of(kSpecs.begin(), kSpecs.end(), [&](const CommandSpec& spec) {
                return topicMatches(spec.name, topic);
            });
            if (!known) {
                const std::string guess = suggestCommand(args.at(0));
                fail("help: no command matches " + quoted(topic),
                     didYouMean(guess.empty() ? guess : "help " + guess, "Type 'help' for the list."));
            }
            command.key = std::move(topic);
            return;
        }
        case CommandKind::NodeAdd:
            args.noMoreThan(1);
            if (args.size() == 1) command.nodes = {args.nodeId(args.at(0))};
            if (args.size() == 1 && isReservedNodeId(command.nodes.front()))
                args.invalid(quoted(command.nodes.front()) + " is reserved for " +
                                 reservedNodeIdOwner(command.nodes.front()),
                             "server ids look like n7; leave the id out to get the next free one");
            return;
        case CommandKind::NodeKill:
        case CommandKind::NodeRestart:
        case CommandKind::NodeRemove:
            command.nodes = {args.nodeId(args.need(0, "node id"))};
            args.noMoreThan(1);
            return;
        case CommandKind::NodePause:
            command.nodes = {args.nodeId(args.need(0, "node id"))};
            command.duration = millis(args.integer(args.need(1, "pause length in milliseconds"), 1,
                                                   kNodePauseMsMax, kMillis, " ms"));
            args.noMoreThan(2);
            return;
        case CommandKind::Partition:
            parsePartition(args, command);
            return;
        case CommandKind::Cut:
            parseCut(args, command);
            return;
        case CommandKind::Heal:
        case CommandKind::Pause:
        case CommandKind::Play:
        case CommandKind::Status:
            args.noMoreThan(0);
            return;
        case CommandKind::Put:
            command.key = args.need(0, "key");
            args.need(1, "value");
            command.value = args.restFrom(1);
            if (command.key.size() > kPutKeyBytesMax)
                args.invalid("a key has at most " + std::to_string(kPutKeyBytesMax) + " bytes");
            if (command.value.size() > kPutValueBytesMax)
                args.invalid("a value has at most " + std::to_string(kPutValueBytesMax) + " bytes");
            return;
        case CommandKind::Get:
            command.key = args.need(0, "key");
            args.noMoreThan(1);
            if (command.key.size() > kPutKeyBytesMax)
                args.invalid("a key has at most " + std::to_string(kPutKeyBytesMax) + " bytes");
            return;
        case CommandKind::RingVnodes:
            command.count = args.integer(args.need(0, "number of virtual nodes"), 1, kRingVnodesMax, kWhole);
            args.noMoreThan(1);
            return;
        case CommandKind::RingHash: {
            command.key = args.oneOf(args.need(0, "hash name (xxh3 or ketama)"), {"xxh3", "ketama"});
            args.noMoreThan(1);
            return;
        }
        case CommandKind::RingReplicas:
            command.count = args.integer(args.need(0, "number of replicas"), 1, kRingReplicasMax, kWhole);
            args.noMoreThan(1);
            return;
        case CommandKind::Step:
        case CommandKind::StepBack:
            command.count = args.size() == 0 ? 1 : args.integer(args.at(0), 1, kStepCountMax, kWhole);
            args.noMoreThan(1);
            return;
        case CommandKind::Seek:
            command.duration = millis(args.integer(args.need(0, "simulated time in milliseconds"), 0, kRunMsMax, kMillis, " ms"));
            args.noMoreThan(1);
            return;
        case CommandKind::Run:
            if (args.size() > 0)
                command.duration = millis(args.integer(args.at(0), 1, kRunMsMax, kMillis, " ms"));
            args.noMoreThan(1);
            return;
        case CommandKind::Speed: {
            std::string_view factor = args.need(0, "speed factor");
            if (factor.size() > 1 && (factor.back() == 'x' || factor.back() == 'X')) factor.remove_suffix(1);
            command.real = args.real(factor, kSpeedMin, kSpeedMax, "a speed factor (e.g. 10, 10x or 0.5)");
            args.noMoreThan(1);
            return;
        }
        case CommandKind::Seed:
            command.count = args.integer(args.need(0, "seed"), 0, kSeedMax, kWhole);
            args.noMoreThan(1);
            return;
        case CommandKind::NetLatency: {
            const std::int64_t lo = args.integer(args.need(0, "minimum latency in milliseconds"), 0,
                                                 kNetLatencyMsMax, kMillis, " ms");
            const std::int64_t hi = args.integer(args.need(1, "maximum latency in milliseconds"), 0,
                                                 kNetLatencyMsMax, kMillis, " ms");
            args.noMoreThan(2);
            if (lo > hi)
                args.invalid("the minimum (" + std::to_string(lo) + " ms) is above the maximum (" +
                             std::to_string(hi) + " ms)");
            command.duration = millis(lo);
            command.duration2 = millis(hi);
            return;
        }
        case CommandKind::NetDrop:
        case CommandKind::NetDuplicate:
        case CommandKind::NetReorder:
            command.real = args.probability(args.need(0, "probability"));
            args.noMoreThan(1);
            return;
        case CommandKind::Trace:
            if (args.size() > 0) command.key = args.restFrom(0);
            return;
        case CommandKind::LockAcquire:
            parseLockAcquire(args, command);
            return;
        case CommandKind::LockRelease:
            command.nodes = {args.nodeId(args.need(0, "client id"))};
            command.key = args.resource(args.need(1, "resource name"));
            args.noMoreThan(2);
            return;
        case CommandKind::ClientPause:
            command.nodes = {args.nodeId(args.need(0, "client id"))};
            command.duration = millis(args.integer(args.need(1, "pause length in milliseconds"), 1,
                                                   kNodePauseMsMax, kMillis, " ms"));
            args.noMoreThan(2);
            return;
        case CommandKind::ClientSlow:
            command.nodes = {args.nodeId(args.need(0, "client id"))};
            command.duration = millis(args.integer(args.need(1, "delay in milliseconds"), 0, kNetLatencyMsMax,
                                                   kMillis, " ms"));
            args.noMoreThan(2);
            return;
        case CommandKind::ClockJump: {
            command.nodes = {args.nodeId(args.need(0, "node id"))};
            const std::string_view jump = args.need(1, "jump in milliseconds, with its sign (+500 or -500)");
            if (jump.empty() || (jump.front() != '+' && jump.front() != '-'))
                args.invalid("write the jump with its sign: +" + excerptForMessage(jump) + " (forwards) or -" +
                             excerptForMessage(jump) + " (backwards)");
            const std::int64_t magnitude =
                args.integer(jump.substr(1), 1, kClockJumpMsMax, "a number of milliseconds", " ms");
            command.count = jump.front() == '-' ? -magnitude : magnitude;
            args.noMoreThan(2);
            return;
        }
        case CommandKind::ClockDrift: {
            command.nodes = {args.nodeId(args.need(0, "node id"))};
            std::string_view ppm = args.need(1, "drift in parts per million");
            if (ppm.size() > 1 && ppm.front() == '+') ppm.remove_prefix(1);
            command.count = args.integer(ppm, -kClockDriftPpmMax, kClockDriftPpmMax,
                                         "a whole number of parts per million", " ppm");
            args.noMoreThan(2);
            return;
        }
        case CommandKind::Fencing: {
            command.key = args.oneOf(args.need(0, "on or off"), {"on", "off"});
            args.noMoreThan(1);
            return;
        }
        case CommandKind::ZkWatch: {
            command.key = args.oneOf(args.need(0, "predecessor or parent"), {"predecessor", "parent"});
            args.noMoreThan(1);
            return;
        }
        case CommandKind::Txn2pc:
        case CommandKind::Txn3pc:
            parseTxn(args, command);
            return;
        case CommandKind::SagaRun:
            parseSagaRun(args, command);
            return;
        case CommandKind::Crash:
            parseCrash(args, command);
            return;
        case CommandKind::QueueDeclare:
            parseQueueDeclare(args, command);
            return;
        case CommandKind::QueueBind:
            parseQueueBind(args, command);
            return;
        case CommandKind::Publish:
            parsePublish(args, command);
            return;
        case CommandKind::Consume:
            parseConsume(args, command);
            return;
        case CommandKind::Ack:
        case CommandKind::Nack:
            parseAckOrNack(args, command);
            return;
        case CommandKind::MqMode:
            parseMqMode(args, command);
            return;
    }
}

Command parseTrimmedLine(std::string_view line) {
    std::vector<Token> tokens = tokenize(line);
    const std::string_view head = tokens.front().text;
    const CommandSpec* spec = nullptr;
    std::size_t first = 1;
    if (isGroupWord(head)) {
        if (tokens.size() < 2) fail(std::string(head) + ": missing subcommand", groupUsage(head));
        const std::string_view sub = tokens[1].text;
        spec = specNamed(std::string(head) + " " + std::string(sub));
        if (spec == nullptr) {
            const std::string guess = closest(sub, subcommandWords(head));
            fail(std::string(head) + ": unknown subcommand " + quoted(sub),
                 didYouMean(guess.empty() ? std::string() : std::string(head) + " " + guess,
                            "Type 'help " + std::string(head) + "' for the list."));
        }
        first = 2;
    } else {
        // A two-word command whose first word is also a command of its own ("step back" next to "step").
        if (tokens.size() >= 2) spec = specNamed(std::string(head) + " " + std::string(tokens[1].text));
        if (spec != nullptr) first = 2;
        if (spec == nullptr) spec = specNamed(head);
        if (spec == nullptr) {
            const std::string guess = suggestCommand(head);
            std::string hint = didYouMean(guess, "Type 'help' for the list.");
            if (!guess.empty() && asciiLower(head) == guess) hint += " Commands are lower-case.";
            fail("unknown command " + quoted(head), hint);
        }
    }
    Command command;
    command.kind = spec->kind;
    command.text = line;
    parseArguments(ArgumentReader(*spec, line, std::move(tokens), first), command);
    return command;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
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

}  // namespace

Result<Command> parseCommand(std::string_view line) {
    try {
        // Checked before anything else so that a pasted megabyte is neither scanned nor echoed.
        if (line.size() > kConsoleLineBytesMax)
            return makeError("the line is " + std::to_string(line.size()) + " bytes long; the limit is " +
                                 std::to_string(kConsoleLineBytesMax) + " bytes",
                             "Split it into shorter commands.");
        const std::string_view trimmed = trim(stripComment(line));
        if (trimmed.empty()) return makeError("empty command", "Type 'help' for the list of commands.");
        checkBytes(trimmed);
        return parseTrimmedLine(trimmed);
    } catch (const CommandFailure& failure) {
        return failure.error;
    } catch (const std::exception& e) {
        return makeError(std::string("could not parse the command: ") + e.what());
    } catch (...) {
        return makeError("could not parse the command");
    }
}

std::string formatCommand(const Command& command) {
    std::string text(commandName(command.kind));
    const auto argument = [&text](std::string_view arg) {
        if (!arg.empty()) text += " " + std::string(arg);
    };
    switch (command.kind) {
        case CommandKind::Help:
        case CommandKind::Trace:
        case CommandKind::RingHash:
            argument(command.key);
            break;
        case CommandKind::NodeAdd:
        case CommandKind::NodeKill:
        case CommandKind::NodeRestart:
        case CommandKind::NodeRemove:
            argument(nodeAt(command, 0));
            break;
        case CommandKind::NodePause:
            argument(nodeAt(command, 0));
            argument(std::to_string(command.duration / kMicrosPerMilli));
            break;
        case CommandKind::Partition: {
            std::vector<std::string> groups;
            for (const auto& group : command.groups) groups.push_back(joined(group, ","));
            argument(joined(groups, " | "));
            break;
        }
        case CommandKind::Cut:
            argument(nodeAt(command, 0) + " -> " + nodeAt(command, 1));
            break;
        case CommandKind::Put:
            argument(command.key);
            argument(command.value);
            break;
        case CommandKind::Get:
            argument(command.key);
            break;
        case CommandKind::RingVnodes:
        case CommandKind::RingReplicas:
        case CommandKind::Step:
        case CommandKind::StepBack:
        case CommandKind::Seed:
            argument(std::to_string(command.count));
            break;
        case CommandKind::Seek:
            argument(std::to_string(command.duration / kMicrosPerMilli));
            break;
        case CommandKind::Run:
            if (command.duration > 0) argument(std::to_string(command.duration / kMicrosPerMilli));
            break;
        case CommandKind::NetLatency:
            argument(std::to_string(command.duration / kMicrosPerMilli));
            argument(std::to_string(command.duration2 / kMicrosPerMilli));
            break;
        case CommandKind::Speed:
        case CommandKind::NetDrop:
        case CommandKind::NetDuplicate:
        case CommandKind::NetReorder:
            argument(formatReal(command.real));
            break;
        case CommandKind::LockAcquire:
            argument(nodeAt(command, 0));
            argument(command.key);
            if (!command.value.empty()) argument("--mode " + command.value);
            if (command.duration > 0) argument("--ttl " + std::to_string(command.duration / kMicrosPerMilli));
            if (command.count >= 0) argument("--hold " + std::to_string(command.count));
            break;
        case CommandKind::LockRelease:
            argument(nodeAt(command, 0));
            argument(command.key);
            break;
        case CommandKind::ClientPause:
        case CommandKind::ClientSlow:
            argument(nodeAt(command, 0));
            argument(std::to_string(command.duration / kMicrosPerMilli));
            break;
        case CommandKind::ClockJump:
            argument(nodeAt(command, 0));
            argument((command.count < 0 ? "-" : "+") + std::to_string(command.count < 0 ? -command.count : command.count));
            break;
        case CommandKind::ClockDrift:
            argument(nodeAt(command, 0));
            argument(std::to_string(command.count));
            break;
        case CommandKind::Fencing:
        case CommandKind::ZkWatch:
            argument(command.key);
            break;
        case CommandKind::Txn2pc:
        case CommandKind::Txn3pc:
            argument(joined(command.nodes, ","));
            if (!command.groups.empty()) argument("--vote-no " + joined(command.groups.front(), ","));
            break;
        case CommandKind::SagaRun:
            argument(command.key);
            argument("--steps " + std::to_string(command.count));
            if (command.failAt > 0) argument("--fail-at " + std::to_string(command.failAt));
            if (command.timeoutAt > 0) argument("--timeout-at " + std::to_string(command.timeoutAt));
            break;
        case CommandKind::Crash:
            argument(nodeAt(command, 0));
            if (!command.key.empty()) argument("--after " + command.key);
            break;
        case CommandKind::QueueDeclare:
            argument(command.key);
            if (command.flags & kFlagDurable) argument("--durable");
            break;
        case CommandKind::QueueBind:
            argument(command.key);
            argument(command.value);
            break;
        case CommandKind::Publish:
            argument(command.key);
            if (command.count != 1) argument("--count " + std::to_string(command.count));
            if (command.flags & kFlagPersistent) argument("--persistent");
            if (command.flags & kFlagPoison) argument("--poison");
            if (command.duration >= 0)
                argument("--interval " + std::to_string(command.duration / kMicrosPerMilli));
            break;
        case CommandKind::Consume:
            argument(command.key);
            argument(nodeAt(command, 0));
            if (command.count >= 0) argument("--prefetch " + std::to_string(command.count));
            if (command.flags & kFlagIdempotent) argument("--idempotent");
            if (command.duration >= 0)
                argument("--process " + std::to_string(command.duration / kMicrosPerMilli));
            if (command.real != 0) argument("--fail-rate " + formatReal(command.real));
            if (command.flags & kFlagManual) argument("--manual");
            break;
        case CommandKind::Ack:
        case CommandKind::Nack:
            argument(nodeAt(command, 0));
            if (command.count != 0) argument(std::to_string(command.count));
            if (command.kind == CommandKind::Nack && (command.flags & kFlagNoRequeue))
                argument("--no-requeue");
            break;
        case CommandKind::MqMode:
            argument(command.key);
            // "push" is the default pattern; brokerless commands name theirs all the same, for the reader.
            if (command.key == "brokerless" || command.value != "push") argument(command.value);
            break;
        case CommandKind::Heal:
        case CommandKind::Pause:
        case CommandKind::Play:
        case CommandKind::Status:
            break;
    }
    return text;
}

std::string_view commandName(CommandKind kind) {
    return specFor(kind).name;
}

std::vector<std::string> completionWords() {
    std::vector<std::string> words;
    for (const CommandSpec& spec : kSpecs) {
        if (spec.kind == CommandKind::RingHash) {
            words.push_back("ring hash xxh3");
            words.push_back("ring hash ketama");
        } else if (spec.kind == CommandKind::Fencing) {
            words.push_back("fencing on");
            words.push_back("fencing off");
        } else if (spec.kind == CommandKind::ZkWatch) {
            words.push_back("zk watch predecessor");
            words.push_back("zk watch parent");
        } else if (spec.kind == CommandKind::MqMode) {
            words.push_back("mq mode amqp");
            words.push_back("mq mode brokerless");
            words.push_back("mq mode brokerless pubsub");
        } else {
            words.emplace_back(spec.name);
        }
    }
    return words;
}

std::string helpText(std::string_view topic) {
    topic = trim(topic);
    // Syntaxes longer than this get their summary on a line of its own, so one long command does not push
    // every other summary off a narrow console.
    constexpr std::size_t kSyntaxColumnMax = 36;
    std::size_t width = 0;
    for (const CommandSpec& spec : kSpecs)
        if (spec.syntax.size() <= kSyntaxColumnMax) width = std::max(width, spec.syntax.size());
    std::string text;
    for (const CommandSpec& spec : kSpecs) {
        if (!topic.empty() && !topicMatches(spec.name, topic)) continue;
        if (!text.empty()) text += '\n';
        text += spec.syntax;
        if (spec.syntax.size() > width) {
            text += '\n';
            text.append(width + 2, ' ');
        } else {
            text.append(width + 2 - spec.syntax.size(), ' ');
        }
        text += spec.summary;
    }
    if (text.empty()) return "No command matches " + quoted(topic) + ". Type 'help' for the list.";
    return text;
}

Result<CrashPattern> parseCrashPattern(std::string_view text) {
    const std::string hint =
        "Write KIND:NAME[*N] with KIND recv, send or state: recv:tpc_vote*3, send:tpc_decision, state:WAIT.";
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos)
        return makeError(quoted(text) + " is not an event pattern (no ':')", hint);
    CrashPattern pattern;
    const std::string_view kind = text.substr(0, colon);
    if (kind == "recv") {
        pattern.kind = CrashPattern::Kind::Recv;
    } else if (kind == "send") {
        pattern.kind = CrashPattern::Kind::Send;
    } else if (kind == "state") {
        pattern.kind = CrashPattern::Kind::State;
    } else {
        return makeError("unknown event kind " + quoted(kind) + " (expected recv, send or state)", hint);
    }
    std::string_view name = text.substr(colon + 1);
    if (const std::size_t star = name.find('*'); star != std::string_view::npos) {
        const std::string_view count = name.substr(star + 1);
        name = name.substr(0, star);
        std::int64_t n = 0;
        const NumberStatus status = parseInteger(count, n);
        if (status != NumberStatus::Ok || n < 1 || n > kCrashPatternCountMax)
            return makeError("the count after '*' must be a whole number from 1 to " +
                                 std::to_string(kCrashPatternCountMax) + ", got " + quoted(count),
                             hint);
        pattern.count = n;
    }
    const bool valid = !name.empty() && name.size() <= kCrashPatternNameBytesMax &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                  c == '_' || c == '-' || c == '.';
                       });
    if (!valid)
        return makeError(quoted(name) + " is not a message type or state name (1 to " +
                             std::to_string(kCrashPatternNameBytesMax) + " letters, digits, '_', '-' or '.')",
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

std::string reservedNodeIdOwner(std::string_view id) {
    if (id == "ctl") return "the membership service";
    for (std::string_view prefix : kLabIdPrefixes)
        if (id.starts_with(prefix)) return "the nodes of a lab (" + std::string(prefix) + "...)";
    return "a client";
}

bool isReservedNodeId(std::string_view id) {
    if (id == "ctl") return true;
    for (std::string_view prefix : kLabIdPrefixes)
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
