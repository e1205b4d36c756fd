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
    const char* summary;       // what it does, for help: a template of the "Core" context
};

// One table drives parsing, help, completion and suggestions, so they cannot drift apart.
constexpr std::array kSpecs = {
    CommandSpec{CommandKind::Help, "help", "help [TOPIC]",
                QT_TRANSLATE_NOOP("Core", "list the commands, or only those starting with TOPIC")},
    CommandSpec{CommandKind::NodeAdd, "node add", "node add [ID]",
                QT_TRANSLATE_NOOP("Core", "add a server node and put it on the ring")},
    CommandSpec{CommandKind::NodeKill, "node kill", "node kill ID",
                QT_TRANSLATE_NOOP("Core", "crash a node: its volatile state and timers are lost")},
    CommandSpec{CommandKind::NodeRestart, "node restart", "node restart ID",
                QT_TRANSLATE_NOOP("Core", "restart a crashed node; its durable state survives")},
    CommandSpec{CommandKind::NodePause, "node pause", "node pause ID MS",
                QT_TRANSLATE_NOOP("Core", "freeze a node for MS milliseconds, like a long GC pause")},
    CommandSpec{CommandKind::NodeRemove, "node remove", "node remove ID",
                QT_TRANSLATE_NOOP("Core", "take a node off the ring and out of the cluster")},
    CommandSpec{CommandKind::Partition, "partition", "partition A,B | C,D",
                QT_TRANSLATE_NOOP("Core", "split the network into groups that cannot reach each other")},
    CommandSpec{CommandKind::Cut, "cut", "cut A -> B",
                QT_TRANSLATE_NOOP("Core", "drop every message from A to B (one way only)")},
    CommandSpec{CommandKind::Heal, "heal", "heal",
                QT_TRANSLATE_NOOP("Core", "remove every partition and cut")},
    CommandSpec{CommandKind::Put, "put", "put KEY VALUE",
                QT_TRANSLATE_NOOP("Core", "write VALUE (the rest of the line) under KEY")},
    CommandSpec{CommandKind::Get, "get", "get KEY", QT_TRANSLATE_NOOP("Core", "read the value under KEY")},
    CommandSpec{CommandKind::RingVnodes, "ring vnodes", "ring vnodes N",
                QT_TRANSLATE_NOOP("Core", "give every server N virtual nodes (1 to 4096)")},
    CommandSpec{CommandKind::RingHash, "ring hash", "ring hash xxh3|ketama",
                QT_TRANSLATE_NOOP("Core", "choose the ring's hash function")},
    CommandSpec{CommandKind::RingReplicas, "ring replicas", "ring replicas N",
                QT_TRANSLATE_NOOP("Core", "keep every key on N servers (1 to 7)")},
    CommandSpec{CommandKind::Step, "step", "step [N]",
                QT_TRANSLATE_NOOP("Core", "process the next N events (default 1), then stop")},
    CommandSpec{
        CommandKind::StepBack, "step back", "step back [N]",
        QT_TRANSLATE_NOOP(
            "Core", "go back N events (default 1): the run is replayed from its start, deterministically")},
    CommandSpec{CommandKind::Seek, "seek", "seek MS",
                QT_TRANSLATE_NOOP(
                    "Core", "go to simulated time MS, back or forwards; acting there forks a new future")},
    CommandSpec{CommandKind::Run, "run", "run [MS]",
                QT_TRANSLATE_NOOP("Core", "run for MS simulated milliseconds, or until paused")},
    CommandSpec{CommandKind::Pause, "pause", "pause", QT_TRANSLATE_NOOP("Core", "pause the simulation")},
    CommandSpec{CommandKind::Play, "play", "play", QT_TRANSLATE_NOOP("Core", "resume the simulation")},
    CommandSpec{CommandKind::Speed, "speed", "speed X",
                QT_TRANSLATE_NOOP("Core", "run at X times real time (0.1 to 1000; 10 and 10x both work)")},
    CommandSpec{CommandKind::Seed, "seed", "seed N",
                QT_TRANSLATE_NOOP("Core", "set the random seed (0 to 2^63-1)")},
    CommandSpec{CommandKind::Status, "status", "status",
                QT_TRANSLATE_NOOP("Core", "print the time, seed, nodes and network faults")},
    CommandSpec{CommandKind::NetLatency, "net latency", "net latency MIN MAX",
                QT_TRANSLATE_NOOP("Core", "delay every message by MIN to MAX milliseconds (at most 60000)")},
    CommandSpec{CommandKind::NetDrop, "net drop", "net drop P",
                QT_TRANSLATE_NOOP("Core", "lose each message with probability P (0 to 1)")},
    CommandSpec{CommandKind::NetDuplicate, "net duplicate", "net duplicate P",
                QT_TRANSLATE_NOOP("Core", "deliver each message twice with probability P (0 to 1)")},
    CommandSpec{
        CommandKind::NetReorder, "net reorder", "net reorder P",
        QT_TRANSLATE_NOOP("Core", "let each message overtake earlier ones with probability P (0 to 1)")},
    CommandSpec{CommandKind::Trace, "trace", "trace [FILE]",
                QT_TRANSLATE_NOOP("Core", "export the trace as JSON lines (to FILE when given)")},
    CommandSpec{CommandKind::LockAcquire, "lock acquire",
                "lock acquire CLIENT RESOURCE [--mode lease|redlock|zk] [--ttl MS] [--hold MS]",
                QT_TRANSLATE_NOOP(
                    "Core", "CLIENT takes the lock, reads the storage, works HOLD ms, writes and releases")},
    CommandSpec{CommandKind::LockRelease, "lock release", "lock release CLIENT RESOURCE",
                QT_TRANSLATE_NOOP(
                    "Core", "CLIENT gives the lock back now (or stops waiting for it), without writing")},
    CommandSpec{
        CommandKind::ClientPause, "client pause", "client pause CLIENT MS",
        QT_TRANSLATE_NOOP("Core", "stop a client for MS milliseconds (a GC pause): it does not notice")},
    CommandSpec{
        CommandKind::ClientSlow, "client slow", "client slow CLIENT MS",
        QT_TRANSLATE_NOOP("Core",
                          "delay every message to and from a client by MS milliseconds (0: back to normal)")},
    CommandSpec{CommandKind::ClockJump, "clock jump", "clock jump NODE +MS|-MS",
                QT_TRANSLATE_NOOP("Core", "step a lock server's clock forwards or backwards")},
    CommandSpec{CommandKind::ClockDrift, "clock drift", "clock drift NODE PPM",
                QT_TRANSLATE_NOOP("Core", "make a lock server's clock run fast (PPM > 0) or slow (PPM < 0)")},
    CommandSpec{CommandKind::Fencing, "fencing", "fencing on|off",
                QT_TRANSLATE_NOOP("Core", "let the storage check fencing tokens, or not")},
    CommandSpec{CommandKind::ZkWatch, "zk watch", "zk watch predecessor|parent",
                QT_TRANSLATE_NOOP(
                    "Core", "ZooKeeper lock waiters watch the next-lower node, or the parent (the herd)")},
    CommandSpec{
        CommandKind::Txn2pc, "txn 2pc", "txn 2pc PARTICIPANTS [--vote-no P[,P...]]",
        QT_TRANSLATE_NOOP(
            "Core",
            "start transaction t1, t2, ... at tx-co over tx-p1,tx-p2,...; the --vote-no ones vote no")},
    CommandSpec{
        CommandKind::Txn3pc, "txn 3pc", "txn 3pc PARTICIPANTS [--vote-no P[,P...]]",
        QT_TRANSLATE_NOOP(
            "Core", "start a three-phase commit at tx-co3 over tx-q1,tx-q2,...; the --vote-no ones vote no")},
    CommandSpec{
        CommandKind::SagaRun, "saga run", "saga run NAME --steps N [--fail-at K] [--timeout-at K]",
        QT_TRANSLATE_NOOP(
            "Core", "tx-orch runs N steps over tx-s1, tx-s2, ...; step K is refused or never answered")},
    CommandSpec{
        CommandKind::Crash, "crash", "crash NODE [--after recv:TYPE|send:TYPE|state:STATE[*N]]",
        QT_TRANSLATE_NOOP(
            "Core",
            "crash NODE now, or right after its N-th such event from now: recv:tpc_vote*3, state:WAIT")},
    CommandSpec{
        CommandKind::QueueDeclare, "queue declare", "queue declare NAME [--durable]",
        QT_TRANSLATE_NOOP(
            "Core",
            "declare a queue on the broker; --durable: it and its persistent messages survive a restart")},
    CommandSpec{CommandKind::QueueBind, "queue bind", "queue bind EXCHANGE QUEUE",
                QT_TRANSLATE_NOOP("Core", "copy every message published to EXCHANGE into QUEUE (fanout)")},
    CommandSpec{CommandKind::Publish, "publish",
                "publish QUEUE [--count N] [--persistent] [--poison] [--interval MS]",
                QT_TRANSLATE_NOOP(
                    "Core", "prod publishes N messages m1, m2, ... to QUEUE (or exchange), one every MS")},
    CommandSpec{
        CommandKind::Consume, "consume",
        "consume QUEUE CONSUMER [--prefetch P] [--idempotent] [--process MS] [--fail-rate F] [--manual]",
        QT_TRANSLATE_NOOP("Core",
                          "CONSUMER takes messages from QUEUE, at most P unacknowledged; --idempotent: "
                          "effects deduplicated "
                          "by message id")},
    CommandSpec{
        CommandKind::Ack, "ack", "ack CONSUMER [TAG]",
        QT_TRANSLATE_NOOP("Core", "a --manual consumer processes and acknowledges a delivery it holds")},
    CommandSpec{
        CommandKind::Nack, "nack", "nack CONSUMER [TAG] [--no-requeue]",
        QT_TRANSLATE_NOOP(
            "Core",
            "a --manual consumer rejects a delivery: back to the queue, or to the dead-letter queue")},
    CommandSpec{CommandKind::MqMode, "mq mode", "mq mode amqp|brokerless [push|pubsub]",
                QT_TRANSLATE_NOOP(
                    "Core",
                    "switch producers and consumers between the broker and brokerless push / pub-sub (no "
                    "acknowledgements)")},
};

// First words that take a subcommand.
constexpr std::array<std::string_view, 11> kGroupWords = {"node", "ring", "net",  "lock",  "client", "clock",
                                                          "zk",   "txn",  "saga", "queue", "mq"};

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

// What an argument is, in "missing ..." messages, and what a number should have been, in "... is not ...".
constexpr const char* kNodeId = QT_TRANSLATE_NOOP("Core", "node id");
constexpr const char* kClientId = QT_TRANSLATE_NOOP("Core", "client id");
constexpr const char* kConsumerId = QT_TRANSLATE_NOOP("Core", "consumer id");
constexpr const char* kResourceName = QT_TRANSLATE_NOOP("Core", "resource name");
constexpr const char* kQueueName = QT_TRANSLATE_NOOP("Core", "queue name");
constexpr const char* kKey = QT_TRANSLATE_NOOP("Core", "key");
constexpr const char* kPauseLength = QT_TRANSLATE_NOOP("Core", "pause length in milliseconds");
constexpr const char* kMillis = QT_TRANSLATE_NOOP("Core", "a number of milliseconds");
constexpr const char* kWhole = QT_TRANSLATE_NOOP("Core", "a whole number");

// Internal only: thrown by the helpers below and turned into an Error by parseCommand.
struct CommandFailure {
    Error error;
};

[[noreturn]] void fail(Text message, Text hint) {
    throw CommandFailure{makeError(std::move(message), std::move(hint))};
}

Text unknownOption(std::string_view option) {
    return makeText(QT_TRANSLATE_NOOP("Core", "unknown option '%1'"), excerptForMessage(option));
}

Text givenTwice(std::string_view option) {
    return makeText(QT_TRANSLATE_NOOP("Core", "%1 is given twice"), option);
}

Text needsAValue(std::string_view option) {
    return makeText(QT_TRANSLATE_NOOP("Core", "%1 needs a value"), option);
}

Text keyTooLong() {
    return makeText(QT_TRANSLATE_NOOP("Core", "a key has at most %1 bytes"), kPutKeyBytesMax);
}

Text reservedOwner(std::string_view id) {
    if (id == "ctl") return makeText(QT_TRANSLATE_NOOP("Core", "the membership service"));
    for (std::string_view prefix : kLabIdPrefixes)
        if (id.starts_with(prefix))
            return makeText(QT_TRANSLATE_NOOP("Core", "the nodes of a lab (%1...)"), prefix);
    return makeText(QT_TRANSLATE_NOOP("Core", "a client"));
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
Text alternatives(std::initializer_list<std::string_view> allowed) {
    const std::vector<std::string_view> words(allowed);
    if (words.empty()) return {};
    if (words.size() == 1) return makeText("%1", words.front());
    Text list = makeText(QT_TRANSLATE_NOOP("Core", "%1 or %2"), words[words.size() - 2], words.back());
    for (std::size_t i = words.size() - 2; i-- > 0;)
        list = makeText(QT_TRANSLATE_NOOP("Core", "%1, %2"), words[i], list);
    return list;
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

Text groupUsage(std::string_view group) {
    std::string syntaxes;
    for (const CommandSpec& spec : kSpecs) {
        if (firstWord(spec.name) != group) continue;
        if (!syntaxes.empty()) syntaxes += " | ";
        syntaxes += spec.syntax;
    }
    return usageOf(syntaxes);
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

    // `what` names the missing argument ("node id").
    std::string_view need(std::size_t i, const char* what) const {
        if (i >= size())
            fail(makeText(QT_TRANSLATE_NOOP("Core", "%1: missing %2"), m_spec.name, makeText(what)), usage());
        return at(i);
    }
    void noMoreThan(std::size_t count) const {
        if (size() <= count) return;
        const Text hint =
            m_spec.kind == CommandKind::Pause
                ? makeText(
                      QT_TRANSLATE_NOOP("Core", "usage: %1. To freeze one node, use 'node pause ID MS'."),
                      m_spec.syntax)
                : usage();
        fail(makeText(QT_TRANSLATE_NOOP("Core", "%1: unexpected extra argument '%2'"), m_spec.name,
                      excerptForMessage(at(count))),
             hint);
    }

    // The message follows the line it is about; without a hint of its own, the command's usage is the hint.
    [[noreturn]] void invalid(Text message, Text hint = {}) const {
        fail(makeText("%1: %2", excerptForMessage(m_line, 60), message),
             hint.empty() ? usage() : std::move(hint));
    }

    std::string nodeId(std::string_view id) const {
        if (!isValidNodeId(id)) {
            const char* hint = kNodeIdHint;
            if (id.find_first_of(kSeparators) != std::string_view::npos)
                hint = m_spec.kind == CommandKind::Partition ? kNodeIdHintGroups : kNodeIdHintCut;
            invalid(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid node id"), excerptForMessage(id)),
                    makeText(hint));
        }
        return std::string(id);
    }

    // `noun` says what the number should have been ("a number of milliseconds").
    std::int64_t integer(std::string_view token, std::int64_t lo, std::int64_t hi, const char* noun,
                         std::string_view unit = {}) const {
        std::int64_t value = 0;
        const NumberStatus status = parseInteger(token, value);
        if (status == NumberStatus::NotANumber)
            invalid(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not %2"), excerptForMessage(token),
                             makeText(noun)));
        if (status == NumberStatus::TooLarge || value < lo || value > hi)
            invalid(makeText(QT_TRANSLATE_NOOP("Core", "%1 is out of range (%2 to %3%4)"),
                             excerptForMessage(token), lo, hi, unit));
        return value;
    }

    double real(std::string_view token, double lo, double hi, const char* noun) const {
        double value = 0;
        const NumberStatus status = parseReal(token, value);
        if (status == NumberStatus::NotANumber)
            invalid(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not %2"), excerptForMessage(token),
                             makeText(noun)));
        if (status == NumberStatus::TooLarge || value < lo || value > hi)
            invalid(makeText(QT_TRANSLATE_NOOP("Core", "%1 is out of range (%2 to %3%4)"),
                             excerptForMessage(token), formatReal(lo), formatReal(hi), ""));
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
            invalid(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid resource name"),
                             excerptForMessage(name)),
                    makeText(QT_TRANSLATE_NOOP("Core",
                                               "Resource names are 1 to %1 characters: letters, digits, '_', "
                                               "'-' and '.'."),
                             kLockResourceBytesMax));
        return std::string(name);
    }

    // One of a fixed set of words: "expected on or off, got 'maybe'".
    std::string_view oneOf(std::string_view token, std::initializer_list<std::string_view> allowed) const {
        if (std::find(allowed.begin(), allowed.end(), token) != allowed.end()) return token;
        invalid(makeText(QT_TRANSLATE_NOOP("Core", "expected %1, got '%2'"), alternatives(allowed),
                         excerptForMessage(token)));
    }

    double probability(std::string_view token) const {
        return real(token, 0.0, 1.0, QT_TRANSLATE_NOOP("Core", "a probability (a number from 0 to 1)"));
    }

    Text usage() const { return usageOf(m_spec.syntax); }

private:
    const CommandSpec& m_spec;
    std::string_view m_line;
    std::vector<Token> m_tokens;
    std::size_t m_first;
};

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

// lock acquire CLIENT RESOURCE [--mode lease|redlock|zk] [--ttl MS] [--hold MS], options in any order.
void parseLockAcquire(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, kClientId))};
    command.key = args.resource(args.need(1, kResourceName));
    command.count = -1;
    constexpr std::array<std::string_view, 3> kOptions = {"--mode", "--ttl", "--hold"};
    std::set<std::string_view> seen;
    for (std::size_t i = 2; i < args.size(); i += 2) {
        const std::string_view option = args.at(i);
        if (std::find(kOptions.begin(), kOptions.end(), option) == kOptions.end()) {
            std::vector<std::string> names(kOptions.begin(), kOptions.end());
            const std::string guess = option.starts_with("-") ? closest(option, names) : std::string();
            args.invalid(unknownOption(option),
                         didYouMean(guess, usageOf(specFor(CommandKind::LockAcquire).syntax)));
        }
        if (!seen.insert(option).second) args.invalid(givenTwice(option));
        if (i + 1 >= args.size()) args.invalid(needsAValue(option));
        const std::string_view value = args.at(i + 1);
        if (option == "--mode") {
            command.value = args.oneOf(value, {"lease", "redlock", "zk"});
        } else if (option == "--ttl") {
            command.duration = millis(args.integer(value, 1, kLockTtlMsMax, kMillis, " ms"));
        } else {
            command.count = args.integer(value, 0, kLockHoldMsMax, kMillis, " ms");
        }
    }
}

// A comma list of distinct node ids: "p1,p2,p3". `what` names the list in messages.
std::vector<std::string> parseIdList(const ArgumentReader& args, std::string_view list, const Text& what) {
    std::vector<std::string> ids;
    for (std::size_t start = 0;;) {
        const std::size_t comma = list.find(',', start);
        const std::string_view item = list.substr(start, comma == std::string_view::npos ? comma : comma - start);
        if (item.empty())
            args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "%1 has an empty id (a stray comma?)"), what));
        std::string id = args.nodeId(item);
        if (std::find(ids.begin(), ids.end(), id) != ids.end())
            args.invalid(
                makeText(QT_TRANSLATE_NOOP("Core", "%1 names '%2' twice"), what, excerptForMessage(id)));
        ids.push_back(std::move(id));
        if (ids.size() > kTxnParticipantsMax)
            args.invalid(
                makeText(QT_TRANSLATE_NOOP("Core", "%1 has more than %2 ids"), what, kTxnParticipantsMax));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return ids;
}

// txn 2pc|3pc PARTICIPANTS [--vote-no P[,P...]]
void parseTxn(const ArgumentReader& args, Command& command) {
    command.nodes = parseIdList(
        args, args.need(0, QT_TRANSLATE_NOOP("Core", "participants (a comma list like tx-p1,tx-p2,tx-p3)")),
        makeText(QT_TRANSLATE_NOOP("Core", "the participant list")));
    if (args.size() == 1) return;
    if (args.at(1) != "--vote-no") {
        const std::string guess = args.at(1).starts_with("-") ? closest(args.at(1), {"--vote-no"}) : std::string();
        args.invalid(unknownOption(args.at(1)), didYouMean(guess, args.usage()));
    }
    if (args.size() < 3)
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "--vote-no needs the participants that vote no")));
    std::vector<std::string> voteNo = parseIdList(args, args.at(2), makeText("--vote-no"));
    for (const std::string& id : voteNo)
        if (std::find(command.nodes.begin(), command.nodes.end(), id) == command.nodes.end())
            args.invalid(
                makeText(QT_TRANSLATE_NOOP("Core", "'%1' votes no but is not one of the participants"),
                         excerptForMessage(id)));
    command.groups = {std::move(voteNo)};
    args.noMoreThan(3);
}

// saga run NAME --steps N [--fail-at K] [--timeout-at K], options in any order.
void parseSagaRun(const ArgumentReader& args, Command& command) {
    const std::string_view name = args.need(0, QT_TRANSLATE_NOOP("Core", "saga name"));
    const bool valid = !name.empty() && name.size() <= kSagaNameBytesMax &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                  c == '_' || c == '-' || c == '.';
                       });
    if (!valid)
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid saga name"), excerptForMessage(name)),
            makeText(QT_TRANSLATE_NOOP(
                         "Core", "Saga names are 1 to %1 characters: letters, digits, '_', '-' and '.'."),
                     kSagaNameBytesMax));
    command.key = name;
    constexpr std::array<std::string_view, 3> kOptions = {"--steps", "--fail-at", "--timeout-at"};
    std::set<std::string_view> seen;
    for (std::size_t i = 1; i < args.size(); i += 2) {
        const std::string_view option = args.at(i);
        if (std::find(kOptions.begin(), kOptions.end(), option) == kOptions.end()) {
            std::vector<std::string> names(kOptions.begin(), kOptions.end());
            const std::string guess = option.starts_with("-") ? closest(option, names) : std::string();
            args.invalid(unknownOption(option), didYouMean(guess, args.usage()));
        }
        if (!seen.insert(option).second) args.invalid(givenTwice(option));
        if (i + 1 >= args.size()) args.invalid(needsAValue(option));
        const std::string_view value = args.at(i + 1);
        if (option == "--steps") {
            command.count =
                args.integer(value, 1, kSagaStepsMax, QT_TRANSLATE_NOOP("Core", "a number of steps"));
        } else if (option == "--fail-at") {
            command.failAt =
                args.integer(value, 1, kSagaStepsMax, QT_TRANSLATE_NOOP("Core", "a step number"));
        } else {
            command.timeoutAt =
                args.integer(value, 1, kSagaStepsMax, QT_TRANSLATE_NOOP("Core", "a step number"));
        }
    }
    if (!seen.count("--steps"))
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "--steps N is missing: how many steps the saga has")));
    if (command.failAt > command.count)
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "--fail-at %1 is past the last step (%2)"),
                              command.failAt, command.count));
    if (command.timeoutAt > command.count)
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "--timeout-at %1 is past the last step (%2)"),
                              command.timeoutAt, command.count));
    if (command.failAt != 0 && command.failAt == command.timeoutAt)
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "step %1 cannot both fail and time out"), command.failAt));
}

// crash NODE [--after PATTERN]
void parseCrash(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, kNodeId))};
    if (args.size() == 1) return;
    if (args.at(1) != "--after") {
        const std::string guess = args.at(1).starts_with("-") ? closest(args.at(1), {"--after"}) : std::string();
        args.invalid(unknownOption(args.at(1)), didYouMean(guess, args.usage()));
    }
    if (args.size() < 3)
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "--after needs an event pattern, e.g. recv:tpc_vote*3")));
    auto pattern = parseCrashPattern(args.at(2));
    if (!pattern) args.invalid(pattern.error().text, pattern.error().hintText);
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
            if (!option.starts_with("-"))
                args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "unexpected extra argument '%1'"),
                                      excerptForMessage(option)));
            std::vector<std::string> names;
            for (const OptionSpec& candidate : options) names.emplace_back(candidate.name);
            args.invalid(unknownOption(option), didYouMean(closest(option, names), args.usage()));
        }
        if (!seen.insert(option).second) args.invalid(givenTwice(option));
        std::string_view value;
        if (spec->takesValue) {
            if (i + 1 >= args.size()) args.invalid(needsAValue(option));
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

enum class MqNameKind { Queue, Exchange };

std::string mqName(const ArgumentReader& args, std::string_view name, MqNameKind kind) {
    if (!isValidMqName(name))
        args.invalid(kind == MqNameKind::Queue
                         ? makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid queue name"),
                                    excerptForMessage(name))
                         : makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid exchange name"),
                                    excerptForMessage(name)),
                     makeText(QT_TRANSLATE_NOOP("Core",
                                                "Queue and exchange names are 1 to %1 characters: letters, "
                                                "digits, '.', '_', '-' and ':'."),
                              kMqQueueNameBytesMax));
    return std::string(name);
}

// "-1" is a (negative) number, "--no-requeue" and "-x" are options.
bool looksLikeOption(std::string_view token) {
    return token.starts_with("-") && (token.size() < 2 || token[1] < '0' || token[1] > '9');
}

std::int64_t deliveryTag(const ArgumentReader& args, std::string_view token) {
    return args.integer(token, 0, kMqDeliveryTagMax,
                        QT_TRANSLATE_NOOP("Core", "a delivery tag (a whole number; 0: the oldest)"));
}

// queue declare NAME [--durable]
void parseQueueDeclare(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, kQueueName), MqNameKind::Queue);
    constexpr std::array kOptions = {OptionSpec{"--durable"}};
    readOptions(args, 1, kOptions,
                [&](std::string_view, std::string_view) { command.flags |= kFlagDurable; });
}

// queue bind EXCHANGE QUEUE
void parseQueueBind(const ArgumentReader& args, Command& command) {
    command.key =
        mqName(args, args.need(0, QT_TRANSLATE_NOOP("Core", "exchange name")), MqNameKind::Exchange);
    command.value = mqName(args, args.need(1, kQueueName), MqNameKind::Queue);
    args.noMoreThan(2);
    if (command.key == command.value)
        args.invalid(makeText(
            QT_TRANSLATE_NOOP("Core", "the exchange and the queue are both '%1'; bind a different queue"),
            excerptForMessage(command.key)));
}

// publish QUEUE [--count N] [--persistent] [--poison] [--interval MS], options in any order.
void parsePublish(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, kQueueName), MqNameKind::Queue);
    command.count = 1;
    command.duration = -1;
    constexpr std::array kOptions = {OptionSpec{"--count", true}, OptionSpec{"--persistent"},
                                     OptionSpec{"--poison"}, OptionSpec{"--interval", true}};
    readOptions(args, 1, kOptions, [&](std::string_view option, std::string_view value) {
        if (option == "--count") {
            command.count =
                args.integer(value, 1, kMqPublishCountMax, QT_TRANSLATE_NOOP("Core", "a number of messages"));
        } else if (option == "--persistent") {
            command.flags |= kFlagPersistent;
        } else if (option == "--poison") {
            command.flags |= kFlagPoison;
        } else {
            command.duration = millis(args.integer(value, 0, kMqIntervalMsMax, kMillis, " ms"));
        }
    });
}

// consume QUEUE CONSUMER [--prefetch P] [--idempotent] [--process MS] [--fail-rate F] [--manual]
void parseConsume(const ArgumentReader& args, Command& command) {
    command.key = mqName(args, args.need(0, kQueueName), MqNameKind::Queue);
    command.nodes = {args.nodeId(args.need(1, kConsumerId))};
    command.count = -1;
    command.duration = -1;
    constexpr std::array kOptions = {OptionSpec{"--prefetch", true}, OptionSpec{"--idempotent"},
                                     OptionSpec{"--process", true}, OptionSpec{"--fail-rate", true},
                                     OptionSpec{"--manual"}};
    readOptions(args, 2, kOptions, [&](std::string_view option, std::string_view value) {
        if (option == "--prefetch") {
            command.count = args.integer(value, 0, kMqPrefetchCountMax,
                                         QT_TRANSLATE_NOOP("Core", "a number of messages (0: unlimited)"));
        } else if (option == "--idempotent") {
            command.flags |= kFlagIdempotent;
        } else if (option == "--process") {
            command.duration = millis(args.integer(value, 0, kMqProcessMsMax, kMillis, " ms"));
        } else if (option == "--fail-rate") {
            command.real = args.probability(value);
        } else {
            command.flags |= kFlagManual;
        }
    });
}

// ack CONSUMER [TAG] and nack CONSUMER [TAG] [--no-requeue]
void parseAckOrNack(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, kConsumerId))};
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
    command.key = args.oneOf(args.need(0, QT_TRANSLATE_NOOP("Core", "mode (amqp or brokerless)")),
                             {"amqp", "brokerless"});
    command.value = args.size() > 1 ? args.oneOf(args.at(1), {"push", "pubsub"}) : "push";
    args.noMoreThan(2);
}

void parseArguments(const ArgumentReader& args, Command& command) {
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
                fail(makeText(QT_TRANSLATE_NOOP("Core", "help: no command matches '%1'"),
                              excerptForMessage(topic)),
                     didYouMean(guess.empty() ? guess : "help " + guess, typeHelpForTheList()));
            }
            command.key = std::move(topic);
            return;
        }
        case CommandKind::NodeAdd:
            args.noMoreThan(1);
            if (args.size() == 1) command.nodes = {args.nodeId(args.at(0))};
            if (args.size() == 1 && isReservedNodeId(command.nodes.front()))
                args.invalid(
                    makeText(QT_TRANSLATE_NOOP("Core", "'%1' is reserved for %2"),
                             excerptForMessage(command.nodes.front()), reservedOwner(command.nodes.front())),
                    makeText(QT_TRANSLATE_NOOP(
                        "Core", "server ids look like n7; leave the id out to get the next free one")));
            return;
        case CommandKind::NodeKill:
        case CommandKind::NodeRestart:
        case CommandKind::NodeRemove:
            command.nodes = {args.nodeId(args.need(0, kNodeId))};
            args.noMoreThan(1);
            return;
        case CommandKind::NodePause:
            command.nodes = {args.nodeId(args.need(0, kNodeId))};
            command.duration =
                millis(args.integer(args.need(1, kPauseLength), 1, kNodePauseMsMax, kMillis, " ms"));
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
            command.key = args.need(0, kKey);
            args.need(1, QT_TRANSLATE_NOOP("Core", "value"));
            command.value = args.restFrom(1);
            if (command.key.size() > kPutKeyBytesMax) args.invalid(keyTooLong());
            if (command.value.size() > kPutValueBytesMax)
                args.invalid(
                    makeText(QT_TRANSLATE_NOOP("Core", "a value has at most %1 bytes"), kPutValueBytesMax));
            return;
        case CommandKind::Get:
            command.key = args.need(0, kKey);
            args.noMoreThan(1);
            if (command.key.size() > kPutKeyBytesMax) args.invalid(keyTooLong());
            return;
        case CommandKind::RingVnodes:
            command.count = args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "number of virtual nodes")),
                                         1, kRingVnodesMax, kWhole);
            args.noMoreThan(1);
            return;
        case CommandKind::RingHash: {
            command.key = args.oneOf(args.need(0, QT_TRANSLATE_NOOP("Core", "hash name (xxh3 or ketama)")),
                                     {"xxh3", "ketama"});
            args.noMoreThan(1);
            return;
        }
        case CommandKind::RingReplicas:
            command.count = args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "number of replicas")), 1,
                                         kRingReplicasMax, kWhole);
            args.noMoreThan(1);
            return;
        case CommandKind::Step:
        case CommandKind::StepBack:
            command.count = args.size() == 0 ? 1 : args.integer(args.at(0), 1, kStepCountMax, kWhole);
            args.noMoreThan(1);
            return;
        case CommandKind::Seek:
            command.duration =
                millis(args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "simulated time in milliseconds")),
                                    0, kRunMsMax, kMillis, " ms"));
            args.noMoreThan(1);
            return;
        case CommandKind::Run:
            if (args.size() > 0)
                command.duration = millis(args.integer(args.at(0), 1, kRunMsMax, kMillis, " ms"));
            args.noMoreThan(1);
            return;
        case CommandKind::Speed: {
            std::string_view factor = args.need(0, QT_TRANSLATE_NOOP("Core", "speed factor"));
            if (factor.size() > 1 && (factor.back() == 'x' || factor.back() == 'X')) factor.remove_suffix(1);
            command.real = args.real(factor, kSpeedMin, kSpeedMax,
                                     QT_TRANSLATE_NOOP("Core", "a speed factor (e.g. 10, 10x or 0.5)"));
            args.noMoreThan(1);
            return;
        }
        case CommandKind::Seed:
            command.count =
                args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "seed")), 0, kSeedMax, kWhole);
            args.noMoreThan(1);
            return;
        case CommandKind::NetLatency: {
            const std::int64_t lo =
                args.integer(args.need(0, QT_TRANSLATE_NOOP("Core", "minimum latency in milliseconds")), 0,
                             kNetLatencyMsMax, kMillis, " ms");
            const std::int64_t hi =
                args.integer(args.need(1, QT_TRANSLATE_NOOP("Core", "maximum latency in milliseconds")), 0,
                             kNetLatencyMsMax, kMillis, " ms");
            args.noMoreThan(2);
            if (lo > hi)
                args.invalid(makeText(
                    QT_TRANSLATE_NOOP("Core", "the minimum (%1 ms) is above the maximum (%2 ms)"), lo, hi));
            command.duration = millis(lo);
            command.duration2 = millis(hi);
            return;
        }
        case CommandKind::NetDrop:
        case CommandKind::NetDuplicate:
        case CommandKind::NetReorder:
            command.real = args.probability(args.need(0, QT_TRANSLATE_NOOP("Core", "probability")));
            args.noMoreThan(1);
            return;
        case CommandKind::Trace:
            if (args.size() > 0) command.key = args.restFrom(0);
            return;
        case CommandKind::LockAcquire:
            parseLockAcquire(args, command);
            return;
        case CommandKind::LockRelease:
            command.nodes = {args.nodeId(args.need(0, kClientId))};
            command.key = args.resource(args.need(1, kResourceName));
            args.noMoreThan(2);
            return;
        case CommandKind::ClientPause:
            command.nodes = {args.nodeId(args.need(0, kClientId))};
            command.duration =
                millis(args.integer(args.need(1, kPauseLength), 1, kNodePauseMsMax, kMillis, " ms"));
            args.noMoreThan(2);
            return;
        case CommandKind::ClientSlow:
            command.nodes = {args.nodeId(args.need(0, kClientId))};
            command.duration =
                millis(args.integer(args.need(1, QT_TRANSLATE_NOOP("Core", "delay in milliseconds")), 0,
                                    kNetLatencyMsMax, kMillis, " ms"));
            args.noMoreThan(2);
            return;
        case CommandKind::ClockJump: {
            command.nodes = {args.nodeId(args.need(0, kNodeId))};
            const std::string_view jump =
                args.need(1, QT_TRANSLATE_NOOP("Core", "jump in milliseconds, with its sign (+500 or -500)"));
            if (jump.empty() || (jump.front() != '+' && jump.front() != '-'))
                args.invalid(
                    makeText(QT_TRANSLATE_NOOP(
                                 "Core", "write the jump with its sign: +%1 (forwards) or -%1 (backwards)"),
                             excerptForMessage(jump)));
            const std::int64_t magnitude = args.integer(jump.substr(1), 1, kClockJumpMsMax, kMillis, " ms");
            command.count = jump.front() == '-' ? -magnitude : magnitude;
            args.noMoreThan(2);
            return;
        }
        case CommandKind::ClockDrift: {
            command.nodes = {args.nodeId(args.need(0, kNodeId))};
            std::string_view ppm = args.need(1, QT_TRANSLATE_NOOP("Core", "drift in parts per million"));
            if (ppm.size() > 1 && ppm.front() == '+') ppm.remove_prefix(1);
            command.count =
                args.integer(ppm, -kClockDriftPpmMax, kClockDriftPpmMax,
                             QT_TRANSLATE_NOOP("Core", "a whole number of parts per million"), " ppm");
            args.noMoreThan(2);
            return;
        }
        case CommandKind::Fencing: {
            command.key = args.oneOf(args.need(0, QT_TRANSLATE_NOOP("Core", "on or off")), {"on", "off"});
            args.noMoreThan(1);
            return;
        }
        case CommandKind::ZkWatch: {
            command.key = args.oneOf(args.need(0, QT_TRANSLATE_NOOP("Core", "predecessor or parent")),
                                     {"predecessor", "parent"});
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
        if (tokens.size() < 2)
            fail(makeText(QT_TRANSLATE_NOOP("Core", "%1: missing subcommand"), head), groupUsage(head));
        const std::string_view sub = tokens[1].text;
        spec = specNamed(std::string(head) + " " + std::string(sub));
        if (spec == nullptr) {
            const std::string guess = closest(sub, subcommandWords(head));
            fail(makeText(QT_TRANSLATE_NOOP("Core", "%1: unknown subcommand '%2'"), head,
                          excerptForMessage(sub)),
                 didYouMean(guess.empty() ? std::string() : std::string(head) + " " + guess,
                            makeText(QT_TRANSLATE_NOOP("Core", "Type 'help %1' for the list."), head)));
        }
        first = 2;
    } else {
        // A two-word command whose first word is also a command of its own ("step back" next to "step").
        if (tokens.size() >= 2) spec = specNamed(std::string(head) + " " + std::string(tokens[1].text));
        if (spec != nullptr) first = 2;
        if (spec == nullptr) spec = specNamed(head);
        if (spec == nullptr) {
            const std::string guess = suggestCommand(head);
            Text hint = didYouMean(guess, typeHelpForTheList());
            if (!guess.empty() && asciiLower(head) == guess)
                hint = makeText(QT_TRANSLATE_NOOP("Core", "%1 Commands are lower-case."), hint);
            fail(makeText(QT_TRANSLATE_NOOP("Core", "unknown command '%1'"), excerptForMessage(head)), hint);
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
            return makeError(
                makeText(QT_TRANSLATE_NOOP("Core", "the line is %1 bytes long; the limit is %2 bytes"),
                         line.size(), kConsoleLineBytesMax),
                makeText(QT_TRANSLATE_NOOP("Core", "Split it into shorter commands.")));
        const std::string_view trimmed = trim(stripComment(line));
        if (trimmed.empty())
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "empty command")),
                             makeText(QT_TRANSLATE_NOOP("Core", "Type 'help' for the list of commands.")));
        checkBytes(trimmed);
        return parseTrimmedLine(trimmed);
    } catch (const CommandFailure& failure) {
        return failure.error;
    } catch (const std::exception& e) {
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "could not parse the command: %1"), e.what()));
    } catch (...) {
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "could not parse the command")));
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

std::vector<Text> helpLines(std::string_view topic) {
    topic = trim(topic);
    // Syntaxes longer than this get their summary on a line of its own, so one long command does not push
    // every other summary off a narrow console.
    constexpr std::size_t kSyntaxColumnMax = 36;
    std::size_t width = 0;
    for (const CommandSpec& spec : kSpecs)
        if (spec.syntax.size() <= kSyntaxColumnMax) width = std::max(width, spec.syntax.size());
    // The syntax is what one types, so it stays as it is; only the summary is translated.
    std::vector<Text> lines;
    for (const CommandSpec& spec : kSpecs) {
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

std::string helpText(std::string_view topic) {
    return joinLines(helpLines(topic));
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
    const bool valid = !name.empty() && name.size() <= kCrashPatternNameBytesMax &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                  c == '_' || c == '-' || c == '.';
                       });
    if (!valid)
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

std::string reservedNodeIdOwner(std::string_view id) {
    return reservedOwner(id).str();
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
