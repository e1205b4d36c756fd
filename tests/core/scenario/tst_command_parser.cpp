// The lab console's command language: what parses into which fields, what is refused and how the
// refusal reads, and that no byte sequence can crash the parser.
#include <QtTest>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>

#include "core/console/command.h"
#include "core/labs/kv/kv_commands.h"
#include "core/labs/mq/mq_commands.h"
#include "core/labs/registry.h"

using namespace distlab;

namespace {

std::string toStd(const QByteArray& bytes) {
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

// A command made here, as a new lab would make one, to show that the console needs no edit for it:
// "bell ring NODE [--times N]" rings NODE's bell N times (default 1).
void parseBellRing(const ArgumentReader& args, Command& command) {
    command.nodes = {args.nodeId(args.need(0, arg::kNodeId))};
    command.count = 1;
    args.valueOptions(1, {"--times"}, [&](std::string_view, std::string_view value) {
        command.count = args.integer(value, 1, 9, arg::kWhole);
    });
}

void formatBellRing(const Command& command, CommandWriter& out) {
    formatFirstNode(command, out);
    if (command.count != 1) out.argument("--times " + std::to_string(command.count));
}

constexpr std::array<std::string_view, 1> kBellWords = {"n1"};

constinit const CommandSpec kBellRing{
    .name = "bell ring",
    .syntax = "bell ring NODE [--times N]",
    .summary = "ring NODE's bell N times",
    .parse = parseBellRing,
    .format = formatBellRing,
    .lab = "bell",
    .completions = kBellWords,
};

// A compact, readable picture of a command's fields; only fields that differ from the defaults.
QString describe(const Command& command) {
    QString out = q(std::string(command.spec->name));
    if (!command.nodes.empty()) {
        QStringList ids;
        for (const auto& id : command.nodes) ids << q(id);
        out += " nodes=" + ids.join(',');
    }
    if (!command.groups.empty()) {
        QStringList groups;
        for (const auto& group : command.groups) {
            QStringList ids;
            for (const auto& id : group) ids << q(id);
            groups << ids.join(',');
        }
        out += " groups=" + groups.join('|');
    }
    if (!command.key.empty()) out += " key=" + q(command.key);
    if (!command.value.empty()) out += " value=" + q(command.value);
    if (command.count != 0) out += " count=" + QString::number(command.count);
    if (command.duration != 0) out += " duration=" + QString::number(command.duration);
    if (command.duration2 != 0) out += " duration2=" + QString::number(command.duration2);
    if (command.real != 0) out += " real=" + QString::number(command.real, 'g', 17);
    if (command.failAt != 0) out += " failAt=" + QString::number(command.failAt);
    if (command.timeoutAt != 0) out += " timeoutAt=" + QString::number(command.timeoutAt);
    if (command.flags != 0) {
        QStringList flags;
        const std::pair<std::uint32_t, const char*> names[] = {
            {kFlagDurable, "durable"},       {kFlagPersistent, "persistent"}, {kFlagPoison, "poison"},
            {kFlagIdempotent, "idempotent"}, {kFlagManual, "manual"},         {kFlagNoRequeue, "no-requeue"}};
        std::uint32_t rest = command.flags;
        for (const auto& [flag, name] : names) {
            if ((command.flags & flag) == 0) continue;
            flags << name;
            rest &= ~flag;
        }
        if (rest != 0) flags << QString::number(rest);
        out += " flags=" + flags.join(',');
    }
    return out;
}

// Every byte below 0x20 (and DEL) would garble a console line or a JSON report.
bool isPrintable(const std::string& text) {
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) return false;
    }
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())).toStdString() == text;
}

// Whether a text has words of its own somewhere, not only placeholders (the "%1: %2" that puts a message
// after its line): then there is something for the translation to say.
bool hasWords(const Text& text) {
    if (text.empty()) return false;
    const std::string_view templ(text.templ);
    for (std::size_t i = 0; i < templ.size(); ++i) {
        if (templ[i] == '%' && i + 1 < templ.size() && templ[i + 1] >= '1' && templ[i + 1] <= '9') {
            ++i;
            continue;
        }
        if ((templ[i] >= 'a' && templ[i] <= 'z') || (templ[i] >= 'A' && templ[i] <= 'Z')) return true;
    }
    for (const Text& part : text.parts)
        if (hasWords(part)) return true;
    return false;
}

// A console error the GUI can show in the user's language: its message and hint are translatable texts,
// and their English is exactly what distlab-sim prints.
QString untranslatableReason(const Error& error) {
    if (error.text.empty()) return "no text for: " + q(error.message);
    if (!hasWords(error.text)) return "a text without words: " + q(error.message);
    if (error.text.str() != error.message)
        return "text '" + q(error.text.str()) + "' differs from: " + q(error.message);
    if (error.hint.empty() != error.hintText.empty()) return "hint and hint text disagree: " + q(error.hint);
    if (!error.hint.empty() && (!hasWords(error.hintText) || error.hintText.str() != error.hint))
        return "hint text '" + q(error.hintText.str()) + "' differs from: " + q(error.hint);
    return {};
}

}  // namespace

class TestCommandParser : public QObject {
    Q_OBJECT

private slots:
    void parsesGoodCommands_data();
    void parsesGoodCommands();
    void rejectsBadCommands_data();
    void rejectsBadCommands();
    void keepsTheLineAsTypedWithoutItsComment_data();
    void keepsTheLineAsTypedWithoutItsComment();
    void longLineIsNotEchoed();
    void acceptsALineAtTheLimit();
    void formatCommandRoundTrips_data();
    void formatCommandRoundTrips();
    void validNodeIds_data();
    void validNodeIds();
    void completionWordsAreKnownCommands();
    void helpHasOneLinePerCommand();
    void helpFiltersByTopic_data();
    void helpFiltersByTopic();
    void helpTranslatesDescriptionsNotSyntax();
    void excerptsAreShortAndPrintable_data();
    void excerptsAreShortAndPrintable();
    void randomBytesNeverCrash();
    void randomTokenLinesNeverCrashAndRoundTrip();
    void queueCommandsFormatCanonically_data();
    void queueCommandsFormatCanonically();
    void queueCommandsBuiltInCodeRoundTrip();
    void flagsAreDistinctBits();
    void aCommandDefinedOutsideTheConsoleJoinsItsTable();
};

void TestCommandParser::parsesGoodCommands_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected");

    QTest::newRow("help") << QByteArray("help") << "help";
    QTest::newRow("help topic") << QByteArray("help node") << "help key=node";
    QTest::newRow("help two-word topic") << QByteArray("help  ring   hash") << "help key=ring hash";
    QTest::newRow("node add") << QByteArray("node add") << "node add";
    QTest::newRow("node add id") << QByteArray("node add n6") << "node add nodes=n6";
    QTest::newRow("node add id with - and _") << QByteArray("node add db-1_A") << "node add nodes=db-1_A";
    QTest::newRow("node kill") << QByteArray("node kill n2") << "node kill nodes=n2";
    QTest::newRow("node restart") << QByteArray("node restart n2") << "node restart nodes=n2";
    QTest::newRow("node pause") << QByteArray("node pause n1 500") << "node pause nodes=n1 duration=500000";
    QTest::newRow("node remove") << QByteArray("node remove n3") << "node remove nodes=n3";
    QTest::newRow("tabs and padding") << QByteArray("\t node \t kill\tn2  \r\n") << "node kill nodes=n2";
    QTest::newRow("32-char id") << QByteArray("node kill " + QByteArray(32, 'x'))
                                << "node kill nodes=" + QString(32, 'x');
    QTest::newRow("partition two groups")
        << QByteArray("partition n1,n2 | n3,n4,n5") << "partition groups=n1,n2|n3,n4,n5";
    QTest::newRow("partition no spaces") << QByteArray("partition n1,n2|n3") << "partition groups=n1,n2|n3";
    QTest::newRow("partition loose spaces")
        << QByteArray("partition n1 , n2 |n3 ,n4") << "partition groups=n1,n2|n3,n4";
    QTest::newRow("partition three groups")
        << QByteArray("partition a | b | c,d") << "partition groups=a|b|c,d";
    QTest::newRow("cut spaced") << QByteArray("cut n1 -> n2") << "cut nodes=n1,n2";
    QTest::newRow("cut tight") << QByteArray("cut n1->n2") << "cut nodes=n1,n2";
    QTest::newRow("cut ids with dashes") << QByteArray("cut a-1->b-2") << "cut nodes=a-1,b-2";
    QTest::newRow("heal") << QByteArray("heal") << "heal";
    QTest::newRow("put") << QByteArray("put k1 v1") << "put key=k1 value=v1";
    QTest::newRow("put value with spaces")
        << QByteArray("put greeting hello,  big world") << "put key=greeting value=hello,  big world";
    QTest::newRow("put value with inner #") << QByteArray("put k a#b") << "put key=k value=a#b";
    QTest::newRow("put value then comment") << QByteArray("put k v # note") << "put key=k value=v";
    QTest::newRow("put unicode value") << QByteArray("put k \xe4\xbd\xa0\xe5\xa5\xbd")
                                       << QString::fromUtf8("put key=k value=\xe4\xbd\xa0\xe5\xa5\xbd");
    QTest::newRow("get") << QByteArray("get k1") << "get key=k1";
    QTest::newRow("ring vnodes") << QByteArray("ring vnodes 160") << "ring vnodes count=160";
    QTest::newRow("ring vnodes min") << QByteArray("ring vnodes 1") << "ring vnodes count=1";
    QTest::newRow("ring vnodes max") << QByteArray("ring vnodes 4096") << "ring vnodes count=4096";
    QTest::newRow("ring hash xxh3") << QByteArray("ring hash xxh3") << "ring hash key=xxh3";
    QTest::newRow("ring hash ketama") << QByteArray("ring hash ketama") << "ring hash key=ketama";
    QTest::newRow("ring replicas") << QByteArray("ring replicas 7") << "ring replicas count=7";
    QTest::newRow("step default") << QByteArray("step") << "step count=1";
    QTest::newRow("step n") << QByteArray("step 25") << "step count=25";
    QTest::newRow("step max") << QByteArray("step 1000000") << "step count=1000000";
    QTest::newRow("run continuously") << QByteArray("run") << "run";
    QTest::newRow("run ms") << QByteArray("run 2500") << "run duration=2500000";
    QTest::newRow("run max") << QByteArray("run 3600000") << "run duration=3600000000";
    QTest::newRow("pause") << QByteArray("pause") << "pause";
    QTest::newRow("play") << QByteArray("play") << "play";
    QTest::newRow("speed plain") << QByteArray("speed 10") << "speed real=10";
    QTest::newRow("speed with x") << QByteArray("speed 10x") << "speed real=10";
    QTest::newRow("speed fraction") << QByteArray("speed 0.5") << "speed real=0.5";
    QTest::newRow("speed min") << QByteArray("speed 0.1x") << "speed real=0.10000000000000001";
    QTest::newRow("speed max") << QByteArray("speed 1000") << "speed real=1000";
    QTest::newRow("seed zero") << QByteArray("seed 0") << "seed";
    QTest::newRow("seed") << QByteArray("seed 42") << "seed count=42";
    QTest::newRow("seed max") << QByteArray("seed 9223372036854775807") << "seed count=9223372036854775807";
    QTest::newRow("status") << QByteArray("status") << "status";
    QTest::newRow("net latency") << QByteArray("net latency 2 8")
                                 << "net latency duration=2000 duration2=8000";
    QTest::newRow("net latency zero") << QByteArray("net latency 0 0") << "net latency";
    QTest::newRow("net latency max") << QByteArray("net latency 60000 60000")
                                     << "net latency duration=60000000 duration2=60000000";
    QTest::newRow("net drop") << QByteArray("net drop 0.05") << "net drop real=0.050000000000000003";
    QTest::newRow("net drop one") << QByteArray("net drop 1") << "net drop real=1";
    QTest::newRow("net duplicate") << QByteArray("net duplicate 0.25") << "net duplicate real=0.25";
    QTest::newRow("net reorder") << QByteArray("net reorder 0.1") << "net reorder real=0.10000000000000001";
    // The lock lab.
    QTest::newRow("lock acquire") << QByteArray("lock acquire c1 R") << "lock acquire nodes=c1 key=R count=-1";
    QTest::newRow("lock acquire all options")
        << QByteArray("lock acquire c2 orders.db --mode redlock --ttl 2000 --hold 0")
        << "lock acquire nodes=c2 key=orders.db value=redlock duration=2000000";
    QTest::newRow("lock acquire options any order")
        << QByteArray("lock acquire c3 R --hold 50 --mode zk") << "lock acquire nodes=c3 key=R value=zk count=50";
    QTest::newRow("lock release") << QByteArray("lock release c1 R") << "lock release nodes=c1 key=R";
    QTest::newRow("client pause") << QByteArray("client pause c1 1500") << "client pause nodes=c1 duration=1500000";
    QTest::newRow("client slow") << QByteArray("client slow c2 200") << "client slow nodes=c2 duration=200000";
    QTest::newRow("client slow off") << QByteArray("client slow c2 0") << "client slow nodes=c2";
    QTest::newRow("clock jump forward") << QByteArray("clock jump s2 +5000") << "clock jump nodes=s2 count=5000";
    QTest::newRow("clock jump back") << QByteArray("clock jump lock -250") << "clock jump nodes=lock count=-250";
    QTest::newRow("clock drift") << QByteArray("clock drift s1 200") << "clock drift nodes=s1 count=200";
    QTest::newRow("clock drift slow") << QByteArray("clock drift s1 -500000") << "clock drift nodes=s1 count=-500000";
    QTest::newRow("clock drift zero") << QByteArray("clock drift s1 0") << "clock drift nodes=s1";
    QTest::newRow("fencing on") << QByteArray("fencing on") << "fencing key=on";
    QTest::newRow("fencing off") << QByteArray("fencing off") << "fencing key=off";
    QTest::newRow("zk watch predecessor") << QByteArray("zk watch predecessor") << "zk watch key=predecessor";
    QTest::newRow("zk watch parent") << QByteArray("zk watch parent") << "zk watch key=parent";
    // The transaction lab.
    QTest::newRow("txn 2pc") << QByteArray("txn 2pc p1,p2,p3") << "txn 2pc nodes=p1,p2,p3";
    QTest::newRow("txn 2pc one participant") << QByteArray("txn 2pc p2") << "txn 2pc nodes=p2";
    QTest::newRow("txn 2pc vote no") << QByteArray("txn 2pc p1,p2,p3 --vote-no p2")
                                     << "txn 2pc nodes=p1,p2,p3 groups=p2";
    QTest::newRow("txn 2pc two vote no") << QByteArray("txn 2pc p3,p1 --vote-no p1,p3")
                                         << "txn 2pc nodes=p3,p1 groups=p1,p3";
    QTest::newRow("txn 3pc") << QByteArray("txn 3pc q1,q2,q3") << "txn 3pc nodes=q1,q2,q3";
    QTest::newRow("txn 3pc vote no") << QByteArray("txn 3pc q1,q2 --vote-no q2") << "txn 3pc nodes=q1,q2 groups=q2";
    QTest::newRow("saga run") << QByteArray("saga run trip --steps 4") << "saga run key=trip count=4";
    QTest::newRow("saga run fail at") << QByteArray("saga run trip --steps 4 --fail-at 3")
                                      << "saga run key=trip count=4 failAt=3";
    QTest::newRow("saga run options any order") << QByteArray("saga run order.7 --timeout-at 2 --steps 5 --fail-at 5")
                                                << "saga run key=order.7 count=5 failAt=5 timeoutAt=2";
    QTest::newRow("saga run max steps") << QByteArray("saga run s --steps 32") << "saga run key=s count=32";
    QTest::newRow("crash now") << QByteArray("crash co") << "crash nodes=co";
    QTest::newRow("crash after recv") << QByteArray("crash co --after recv:tpc_vote*3")
                                      << "crash nodes=co key=recv:tpc_vote*3";
    QTest::newRow("crash after send, count 1 left out") << QByteArray("crash co --after send:tpc_decision*1")
                                                        << "crash nodes=co key=send:tpc_decision";
    QTest::newRow("crash after state") << QByteArray("crash co3 --after state:PRECOMMIT")
                                       << "crash nodes=co3 key=state:PRECOMMIT";
    // The queue lab.
    QTest::newRow("queue declare") << QByteArray("queue declare orders") << "queue declare key=orders";
    QTest::newRow("queue declare durable") << QByteArray("queue declare orders.v2:eu-1_a --durable")
                                           << "queue declare key=orders.v2:eu-1_a flags=durable";
    QTest::newRow("queue declare 64-char name") << QByteArray("queue declare " + QByteArray(64, 'q'))
                                                << "queue declare key=" + QString(64, 'q');
    QTest::newRow("queue bind") << QByteArray("queue bind events audit") << "queue bind key=events value=audit";
    QTest::newRow("publish") << QByteArray("publish q1") << "publish key=q1 count=1 duration=-1";
    QTest::newRow("publish all options")
        << QByteArray("publish q1 --count 10 --persistent --poison --interval 5")
        << "publish key=q1 count=10 duration=5000 flags=persistent,poison";
    QTest::newRow("publish options any order") << QByteArray("publish ex --interval 0 --poison --count 10000")
                                               << "publish key=ex count=10000 flags=poison";
    QTest::newRow("publish persistent only") << QByteArray("publish q1 --persistent")
                                             << "publish key=q1 count=1 duration=-1 flags=persistent";
    QTest::newRow("publish max interval") << QByteArray("publish q1 --interval 60000 --count 1")
                                          << "publish key=q1 count=1 duration=60000000";
    QTest::newRow("consume") << QByteArray("consume q1 w1") << "consume nodes=w1 key=q1 count=-1 duration=-1";
    QTest::newRow("consume all options")
        << QByteArray("consume q1 w1 --prefetch 10 --idempotent --process 200 --fail-rate 0.25 --manual")
        << "consume nodes=w1 key=q1 count=10 duration=200000 real=0.25 flags=idempotent,manual";
    QTest::newRow("consume options any order")
        << QByteArray("consume q1 w2 --manual --fail-rate 1 --prefetch 0 --process 0")
        << "consume nodes=w2 key=q1 real=1 flags=manual";
    QTest::newRow("consume idempotent only") << QByteArray("consume jobs w3 --idempotent")
                                             << "consume nodes=w3 key=jobs count=-1 duration=-1 flags=idempotent";
    QTest::newRow("consume max prefetch and process")
        << QByteArray("consume q w --process 60000 --prefetch 65535")
        << "consume nodes=w key=q count=65535 duration=60000000";
    QTest::newRow("ack oldest") << QByteArray("ack w1") << "ack nodes=w1";
    QTest::newRow("ack tag") << QByteArray("ack w1 7") << "ack nodes=w1 count=7";
    QTest::newRow("ack tag zero") << QByteArray("ack w1 0") << "ack nodes=w1";
    QTest::newRow("ack tag max") << QByteArray("ack w1 9007199254740992") << "ack nodes=w1 count=9007199254740992";
    QTest::newRow("nack oldest") << QByteArray("nack w1") << "nack nodes=w1";
    QTest::newRow("nack tag") << QByteArray("nack w1 3") << "nack nodes=w1 count=3";
    QTest::newRow("nack tag no requeue") << QByteArray("nack w1 3 --no-requeue")
                                         << "nack nodes=w1 count=3 flags=no-requeue";
    QTest::newRow("nack no requeue without tag") << QByteArray("nack w2 --no-requeue")
                                                 << "nack nodes=w2 flags=no-requeue";
    QTest::newRow("mq mode amqp") << QByteArray("mq mode amqp") << "mq mode key=amqp value=push";
    QTest::newRow("mq mode brokerless") << QByteArray("mq mode brokerless") << "mq mode key=brokerless value=push";
    QTest::newRow("mq mode brokerless push") << QByteArray("mq mode brokerless push")
                                             << "mq mode key=brokerless value=push";
    QTest::newRow("mq mode brokerless pubsub") << QByteArray("mq mode brokerless pubsub")
                                               << "mq mode key=brokerless value=pubsub";
    QTest::newRow("mq mode amqp pubsub") << QByteArray("mq mode amqp pubsub") << "mq mode key=amqp value=pubsub";
    QTest::newRow("trace") << QByteArray("trace") << "trace";
    QTest::newRow("trace file") << QByteArray("trace /tmp/run 1.jsonl") << "trace key=/tmp/run 1.jsonl";
}

void TestCommandParser::parsesGoodCommands() {
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    const Result<Command> result = parseCommand(toStd(line), commandTable());
    QVERIFY2(result.ok(), qPrintable(q(result.ok() ? std::string() : result.error().message)));
    QCOMPARE(describe(result.value()), expected);
}

void TestCommandParser::rejectsBadCommands_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("messagePart");
    QTest::addColumn<QString>("hintPart");

    // Blank lines.
    QTest::newRow("empty") << QByteArray("") << "empty command"
                           << "help";
    QTest::newRow("blank") << QByteArray(" \t \r\n") << "empty command"
                           << "";
    QTest::newRow("only a comment") << QByteArray("# later") << "empty command"
                                    << "";

    // Unknown commands, with a suggestion when one is close.
    QTest::newRow("typo") << QByteArray("nod kill n1") << "unknown command 'nod'"
                          << "did you mean 'node'? Type 'help' for the list.";
    QTest::newRow("far from anything") << QByteArray("xyzzy") << "unknown command 'xyzzy'"
                                       << "Type 'help' for the list.";
    QTest::newRow("upper case") << QByteArray("NODE add") << "unknown command 'NODE'"
                                << "lower-case";
    QTest::newRow("subcommand alone") << QByteArray("kill n1") << "unknown command 'kill'"
                                      << "did you mean 'node kill'?";
    QTest::newRow("statsu") << QByteArray("statsu") << "unknown command 'statsu'"
                            << "did you mean 'status'?";
    QTest::newRow("group alone") << QByteArray("node") << "node: missing subcommand"
                                 << "node kill ID";
    QTest::newRow("unknown subcommand") << QByteArray("node kil n1") << "node: unknown subcommand 'kil'"
                                        << "did you mean 'node kill'?";
    QTest::newRow("ring alone") << QByteArray("ring") << "ring: missing subcommand"
                                << "ring vnodes N";
    QTest::newRow("net typo") << QByteArray("net dorp 0.1") << "net: unknown subcommand 'dorp'"
                              << "did you mean 'net drop'?";
    QTest::newRow("help unknown topic") << QByteArray("help nod") << "help: no command matches 'nod'"
                                        << "did you mean 'help node'?";

    // Missing and extra arguments.
    QTest::newRow("kill without id") << QByteArray("node kill") << "node kill: missing node id"
                                     << "usage: node kill ID";
    QTest::newRow("restart without id") << QByteArray("node restart") << "node restart: missing node id"
                                        << "";
    QTest::newRow("pause without ms") << QByteArray("node pause n1") << "node pause: missing pause length"
                                      << "usage: node pause ID MS";
    QTest::newRow("kill two ids") << QByteArray("node kill n1 n2")
                                  << "node kill: unexpected extra argument 'n2'"
                                  << "usage: node kill ID";
    QTest::newRow("add two ids") << QByteArray("node add n6 n7") << "unexpected extra argument 'n7'"
                                 << "";
    QTest::newRow("heal junk") << QByteArray("heal now") << "heal: unexpected extra argument 'now'"
                               << "";
    QTest::newRow("status junk") << QByteArray("status please") << "status: unexpected extra argument"
                                 << "";
    QTest::newRow("pause with node") << QByteArray("pause n1") << "pause: unexpected extra argument 'n1'"
                                     << "node pause ID MS";
    QTest::newRow("put without key") << QByteArray("put") << "put: missing key"
                                     << "usage: put KEY VALUE";
    QTest::newRow("put without value") << QByteArray("put k") << "put: missing value"
                                       << "";
    QTest::newRow("get without key") << QByteArray("get") << "get: missing key"
                                     << "";
    QTest::newRow("get junk") << QByteArray("get a b") << "get: unexpected extra argument 'b'"
                              << "";
    QTest::newRow("vnodes junk") << QByteArray("ring vnodes 10 20") << "unexpected extra argument '20'"
                                 << "";
    QTest::newRow("step junk") << QByteArray("step 1 2") << "step: unexpected extra argument '2'"
                               << "";
    QTest::newRow("speed missing") << QByteArray("speed") << "speed: missing speed factor"
                                   << "";
    QTest::newRow("latency missing max") << QByteArray("net latency 10") << "net latency: missing maximum"
                                         << "";
    QTest::newRow("drop missing") << QByteArray("net drop") << "net drop: missing probability"
                                  << "";

    // Bad numbers.
    QTest::newRow("pause ms not a number")
        << QByteArray("node pause n1 abc") << "node pause n1 abc: 'abc' is not a number of milliseconds"
        << "usage: node pause ID MS";
    QTest::newRow("pause ms zero") << QByteArray("node pause n1 0") << "0 is out of range (1 to 3600000 ms)"
                                   << "";
    QTest::newRow("pause ms negative") << QByteArray("node pause n1 -5") << "-5 is out of range"
                                       << "";
    QTest::newRow("pause ms with unit") << QByteArray("node pause n1 5s") << "'5s' is not a number"
                                        << "";
    QTest::newRow("vnodes zero") << QByteArray("ring vnodes 0") << "0 is out of range (1 to 4096)"
                                 << "";
    QTest::newRow("vnodes too many") << QByteArray("ring vnodes 4097") << "4097 is out of range"
                                     << "";
    QTest::newRow("vnodes words") << QByteArray("ring vnodes many") << "'many' is not a whole number"
                                  << "";
    QTest::newRow("vnodes fraction") << QByteArray("ring vnodes 1.5") << "'1.5' is not a whole number"
                                     << "";
    QTest::newRow("replicas too many") << QByteArray("ring replicas 8") << "8 is out of range (1 to 7)"
                                       << "";
    QTest::newRow("bad hash") << QByteArray("ring hash md6") << "expected xxh3 or ketama, got 'md6'"
                              << "ring hash xxh3|ketama";
    QTest::newRow("hash wrong case") << QByteArray("ring hash XXH3") << "got 'XXH3'"
                                     << "";
    QTest::newRow("step zero") << QByteArray("step 0") << "0 is out of range (1 to 1000000)"
                               << "";
    QTest::newRow("step too many") << QByteArray("step 1000001") << "out of range"
                                   << "";
    QTest::newRow("step plus sign") << QByteArray("step +3") << "'+3' is not a whole number"
                                    << "";
    QTest::newRow("run zero") << QByteArray("run 0") << "0 is out of range (1 to 3600000 ms)"
                              << "";
    QTest::newRow("run too long") << QByteArray("run 3600001") << "out of range"
                                  << "";
    QTest::newRow("run seconds") << QByteArray("run 1.5s") << "'1.5s' is not a number of milliseconds"
                                 << "";
    QTest::newRow("speed too slow") << QByteArray("speed 0.05") << "0.05 is out of range (0.1 to 1000)"
                                    << "";
    QTest::newRow("speed too fast") << QByteArray("speed 1001x") << "out of range"
                                    << "";
    QTest::newRow("speed words") << QByteArray("speed fast") << "'fast' is not a speed factor"
                                 << "";
    QTest::newRow("speed x alone") << QByteArray("speed x") << "'x' is not a speed factor"
                                   << "";
    QTest::newRow("speed nan") << QByteArray("speed nan") << "'nan' is not a speed factor"
                               << "";
    QTest::newRow("speed inf") << QByteArray("speed inf") << "'inf' is not a speed factor"
                               << "";
    QTest::newRow("speed huge exponent") << QByteArray("speed 1e999") << "out of range"
                                         << "";
    QTest::newRow("seed negative") << QByteArray("seed -1") << "-1 is out of range (0 to 9223372036854775807)"
                                   << "";
    QTest::newRow("seed 2^63") << QByteArray("seed 9223372036854775808") << "out of range"
                               << "";
    QTest::newRow("seed hex") << QByteArray("seed 0x10") << "'0x10' is not a whole number"
                              << "";
    QTest::newRow("latency min above max")
        << QByteArray("net latency 50 10") << "the minimum (50 ms) is above the maximum (10 ms)"
        << "";
    QTest::newRow("latency too long")
        << QByteArray("net latency 0 60001") << "60001 is out of range (0 to 60000 ms)"
        << "";
    QTest::newRow("drop above one") << QByteArray("net drop 1.5") << "1.5 is out of range (0 to 1)"
                                    << "";
    QTest::newRow("drop negative") << QByteArray("net drop -0.1") << "out of range"
                                   << "";
    QTest::newRow("drop percent") << QByteArray("net drop 5%") << "'5%' is not a probability"
                                  << "";
    QTest::newRow("reorder words") << QByteArray("net reorder often") << "'often' is not a probability"
                                   << "";
    // The lock lab.
    QTest::newRow("lock alone") << QByteArray("lock") << "lock: missing subcommand" << "lock acquire CLIENT";
    QTest::newRow("lock typo") << QByteArray("lock aquire c1 R") << "unknown subcommand 'aquire'" << "lock acquire";
    QTest::newRow("lock no resource") << QByteArray("lock acquire c1") << "missing resource name" << "usage";
    QTest::newRow("lock bad resource") << QByteArray("lock acquire c1 a/b") << "not a valid resource name" << "letters";
    QTest::newRow("lock bad mode") << QByteArray("lock acquire c1 R --mode paxos") << "expected lease, redlock or zk" << "usage";
    QTest::newRow("lock option typo") << QByteArray("lock acquire c1 R --mdoe zk") << "unknown option '--mdoe'" << "--mode";
    QTest::newRow("lock option twice") << QByteArray("lock acquire c1 R --ttl 5 --ttl 6") << "--ttl is given twice" << "usage";
    QTest::newRow("lock option no value") << QByteArray("lock acquire c1 R --ttl") << "--ttl needs a value" << "usage";
    QTest::newRow("lock ttl zero") << QByteArray("lock acquire c1 R --ttl 0") << "out of range" << "usage";
    QTest::newRow("lock release extra") << QByteArray("lock release c1 R now") << "unexpected extra argument" << "usage";
    QTest::newRow("client pause no ms") << QByteArray("client pause c1") << "missing pause length" << "usage";
    QTest::newRow("client slow negative") << QByteArray("client slow c1 -5") << "out of range" << "usage";
    QTest::newRow("clock jump unsigned") << QByteArray("clock jump s1 500") << "with its sign" << "usage";
    QTest::newRow("clock jump zero") << QByteArray("clock jump s1 +0") << "out of range" << "usage";
    QTest::newRow("clock jump words") << QByteArray("clock jump s1 +soon") << "is not a number" << "usage";
    QTest::newRow("clock drift huge") << QByteArray("clock drift s1 9000000") << "out of range" << "usage";
    QTest::newRow("fencing maybe") << QByteArray("fencing maybe") << "expected on or off" << "usage";
    QTest::newRow("zk watch sibling") << QByteArray("zk watch sibling") << "expected predecessor or parent" << "usage";
    // The transaction lab.
    QTest::newRow("txn alone") << QByteArray("txn") << "txn: missing subcommand" << "txn 2pc PARTICIPANTS";
    QTest::newRow("txn 4pc") << QByteArray("txn 4pc p1") << "unknown subcommand '4pc'" << "";
    QTest::newRow("txn no participants") << QByteArray("txn 2pc") << "missing participants" << "usage";
    QTest::newRow("txn duplicate participant") << QByteArray("txn 2pc p1,p2,p1") << "names 'p1' twice" << "usage";
    QTest::newRow("txn stray comma") << QByteArray("txn 2pc p1,,p2") << "empty id" << "usage";
    QTest::newRow("txn bad id") << QByteArray("txn 2pc p1,p$") << "'p$' is not a valid node id" << "";
    QTest::newRow("txn too many") << QByteArray("txn 2pc p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11,p12,p13,p14,p15,p16,p17")
                                  << "more than 16 ids" << "usage";
    QTest::newRow("txn vote no outsider") << QByteArray("txn 2pc p1,p2 --vote-no p3")
                                          << "'p3' votes no but is not one of the participants" << "usage";
    QTest::newRow("txn vote no missing") << QByteArray("txn 3pc q1 --vote-no") << "--vote-no needs" << "usage";
    QTest::newRow("txn option typo") << QByteArray("txn 2pc p1 --vote-on p1") << "unknown option '--vote-on'"
                                     << "--vote-no";
    QTest::newRow("txn extra") << QByteArray("txn 2pc p1 --vote-no p1 now") << "unexpected extra argument 'now'"
                               << "usage";
    QTest::newRow("saga no steps") << QByteArray("saga run trip") << "--steps N is missing" << "usage";
    QTest::newRow("saga zero steps") << QByteArray("saga run trip --steps 0") << "out of range (1 to 32)" << "usage";
    QTest::newRow("saga too many steps") << QByteArray("saga run trip --steps 33") << "out of range" << "usage";
    QTest::newRow("saga fail past end") << QByteArray("saga run trip --steps 3 --fail-at 4")
                                        << "--fail-at 4 is past the last step (3)" << "usage";
    QTest::newRow("saga fail and time out") << QByteArray("saga run trip --steps 3 --fail-at 2 --timeout-at 2")
                                            << "cannot both fail and time out" << "usage";
    QTest::newRow("saga bad name") << QByteArray("saga run a/b --steps 2") << "not a valid saga name" << "letters";
    QTest::newRow("saga option twice") << QByteArray("saga run t --steps 2 --steps 3") << "--steps is given twice"
                                       << "usage";
    QTest::newRow("crash no node") << QByteArray("crash") << "crash: missing node id" << "usage";
    QTest::newRow("crash bad option") << QByteArray("crash co --afterr recv:x") << "unknown option '--afterr'"
                                      << "--after";
    QTest::newRow("crash no pattern") << QByteArray("crash co --after") << "needs an event pattern" << "usage";
    QTest::newRow("crash pattern without colon") << QByteArray("crash co --after tpc_vote")
                                                 << "is not an event pattern" << "KIND:NAME";
    QTest::newRow("crash pattern kind") << QByteArray("crash co --after deliver:tpc_vote")
                                        << "unknown event kind 'deliver'" << "recv, send or state";
    QTest::newRow("crash pattern count zero") << QByteArray("crash co --after recv:tpc_vote*0")
                                              << "from 1 to 1000" << "";
    QTest::newRow("crash pattern count words") << QByteArray("crash co --after recv:tpc_vote*many")
                                               << "from 1 to 1000" << "";
    QTest::newRow("crash pattern empty name") << QByteArray("crash co --after state:") << "not a message type or state"
                                              << "";

    // The queue lab.
    QTest::newRow("queue alone") << QByteArray("queue") << "queue: missing subcommand"
                                 << "queue declare NAME [--durable] | queue bind EXCHANGE QUEUE";
    QTest::newRow("queue typo") << QByteArray("queue declar q1") << "queue: unknown subcommand 'declar'"
                                << "did you mean 'queue declare'?";
    QTest::newRow("publish typo") << QByteArray("publsh q1") << "unknown command 'publsh'"
                                  << "did you mean 'publish'?";
    QTest::newRow("declare alone") << QByteArray("declare q1") << "unknown command 'declare'"
                                   << "did you mean 'queue declare'?";
    QTest::newRow("queue declare no name") << QByteArray("queue declare") << "queue declare: missing queue name"
                                           << "usage: queue declare NAME [--durable]";
    QTest::newRow("queue declare bad name") << QByteArray("queue declare a/b") << "'a/b' is not a valid queue name"
                                            << "1 to 64 characters: letters, digits, '.', '_', '-' and ':'";
    QTest::newRow("queue declare 65-char name") << QByteArray("queue declare " + QByteArray(65, 'q'))
                                                << "is not a valid queue name" << "1 to 64 characters";
    QTest::newRow("queue declare unicode name") << QByteArray("queue declare \xc3\xa9")
                                                << "is not a valid queue name" << "";
    QTest::newRow("queue declare option typo") << QByteArray("queue declare q1 --durabel")
                                               << "unknown option '--durabel'" << "did you mean '--durable'?";
    QTest::newRow("queue declare option twice") << QByteArray("queue declare q1 --durable --durable")
                                                << "--durable is given twice" << "usage";
    QTest::newRow("queue declare two names") << QByteArray("queue declare q1 q2")
                                             << "unexpected extra argument 'q2'" << "usage";
    QTest::newRow("queue bind no queue") << QByteArray("queue bind ex") << "queue bind: missing queue name"
                                         << "usage: queue bind EXCHANGE QUEUE";
    QTest::newRow("queue bind no exchange") << QByteArray("queue bind") << "queue bind: missing exchange name"
                                            << "usage";
    QTest::newRow("queue bind to itself") << QByteArray("queue bind q1 q1")
                                          << "the exchange and the queue are both 'q1'" << "usage";
    QTest::newRow("queue bind bad exchange") << QByteArray("queue bind e$x q1") << "'e$x' is not a valid exchange name"
                                             << "1 to 64 characters";
    QTest::newRow("queue bind bad queue") << QByteArray("queue bind ex q,1") << "'q,1' is not a valid queue name"
                                          << "";
    QTest::newRow("queue bind extra") << QByteArray("queue bind ex q1 q2")
                                      << "queue bind: unexpected extra argument 'q2'" << "usage";
    QTest::newRow("publish no queue") << QByteArray("publish") << "publish: missing queue name"
                                      << "usage: publish QUEUE [--count N]";
    QTest::newRow("publish bad queue") << QByteArray("publish q/1") << "'q/1' is not a valid queue name" << "";
    QTest::newRow("publish count zero") << QByteArray("publish q1 --count 0") << "0 is out of range (1 to 10000)"
                                        << "usage";
    QTest::newRow("publish count too many") << QByteArray("publish q1 --count 10001")
                                            << "10001 is out of range (1 to 10000)" << "";
    QTest::newRow("publish count words") << QByteArray("publish q1 --count many")
                                         << "'many' is not a number of messages" << "";
    QTest::newRow("publish count no value") << QByteArray("publish q1 --count") << "--count needs a value" << "usage";
    QTest::newRow("publish count twice") << QByteArray("publish q1 --count 2 --poison --count 3")
                                         << "--count is given twice" << "usage";
    QTest::newRow("publish option typo") << QByteArray("publish q1 --persistant") << "unknown option '--persistant'"
                                         << "did you mean '--persistent'?";
    QTest::newRow("publish unknown option") << QByteArray("publish q1 --fast") << "unknown option '--fast'"
                                            << "usage: publish QUEUE";
    QTest::newRow("publish interval negative") << QByteArray("publish q1 --interval -5")
                                               << "-5 is out of range (0 to 60000 ms)" << "";
    QTest::newRow("publish interval too long") << QByteArray("publish q1 --interval 60001")
                                               << "60001 is out of range (0 to 60000 ms)" << "";
    QTest::newRow("publish count without --count") << QByteArray("publish q1 5") << "unexpected extra argument '5'"
                                                   << "usage: publish QUEUE [--count N]";
    QTest::newRow("consume no consumer") << QByteArray("consume q1") << "consume: missing consumer id"
                                         << "usage: consume QUEUE CONSUMER";
    QTest::newRow("consume bad consumer") << QByteArray("consume q1 w.1") << "'w.1' is not a valid node id"
                                          << "1 to 32 characters";
    QTest::newRow("consume prefetch too big") << QByteArray("consume q1 w1 --prefetch 65536")
                                              << "65536 is out of range (0 to 65535)" << "";
    QTest::newRow("consume prefetch negative") << QByteArray("consume q1 w1 --prefetch -1")
                                               << "-1 is out of range (0 to 65535)" << "";
    QTest::newRow("consume fail rate above one") << QByteArray("consume q1 w1 --fail-rate 1.5")
                                                 << "1.5 is out of range (0 to 1)" << "";
    QTest::newRow("consume fail rate percent") << QByteArray("consume q1 w1 --fail-rate 10%")
                                               << "'10%' is not a probability" << "";
    QTest::newRow("consume process too long") << QByteArray("consume q1 w1 --process 60001")
                                              << "60001 is out of range (0 to 60000 ms)" << "";
    QTest::newRow("consume option typo") << QByteArray("consume q1 w1 --prefetc 3") << "unknown option '--prefetc'"
                                         << "did you mean '--prefetch'?";
    QTest::newRow("consume switch twice") << QByteArray("consume q1 w1 --manual --idempotent --manual")
                                          << "--manual is given twice" << "usage";
    QTest::newRow("consume switch with a value") << QByteArray("consume q1 w1 --idempotent yes")
                                                 << "unexpected extra argument 'yes'" << "usage";
    QTest::newRow("consume process no value") << QByteArray("consume q1 w1 --process") << "--process needs a value"
                                              << "";
    QTest::newRow("ack no consumer") << QByteArray("ack") << "ack: missing consumer id"
                                     << "usage: ack CONSUMER [TAG]";
    QTest::newRow("ack tag negative") << QByteArray("ack w1 -1") << "-1 is out of range (0 to 9007199254740992)"
                                      << "usage";
    QTest::newRow("ack tag above 2^53") << QByteArray("ack w1 9007199254740993") << "out of range" << "";
    QTest::newRow("ack tag huge") << QByteArray("ack w1 99999999999999999999") << "out of range" << "";
    QTest::newRow("ack tag words") << QByteArray("ack w1 first") << "'first' is not a delivery tag" << "";
    QTest::newRow("ack two tags") << QByteArray("ack w1 1 2") << "ack: unexpected extra argument '2'" << "usage";
    QTest::newRow("ack no requeue") << QByteArray("ack w1 --no-requeue")
                                    << "ack: unexpected extra argument '--no-requeue'" << "usage";
    QTest::newRow("nack no consumer") << QByteArray("nack") << "nack: missing consumer id"
                                      << "usage: nack CONSUMER [TAG] [--no-requeue]";
    QTest::newRow("nack tag negative") << QByteArray("nack w1 -3 --no-requeue") << "-3 is out of range" << "";
    QTest::newRow("nack option typo") << QByteArray("nack w1 2 --no-reque") << "unknown option '--no-reque'"
                                      << "did you mean '--no-requeue'?";
    QTest::newRow("nack two tags") << QByteArray("nack w1 1 2") << "unexpected extra argument '2'" << "usage";
    QTest::newRow("nack option twice") << QByteArray("nack w1 --no-requeue --no-requeue")
                                       << "--no-requeue is given twice" << "";
    QTest::newRow("nack tag after option") << QByteArray("nack w1 --no-requeue 4")
                                           << "unexpected extra argument '4'" << "usage";
    QTest::newRow("mq alone") << QByteArray("mq") << "mq: missing subcommand" << "mq mode amqp|brokerless";
    QTest::newRow("mq typo") << QByteArray("mq mdoe amqp") << "mq: unknown subcommand 'mdoe'"
                             << "did you mean 'mq mode'?";
    QTest::newRow("mq mode missing") << QByteArray("mq mode") << "mq mode: missing mode" << "usage";
    QTest::newRow("mq mode kafka") << QByteArray("mq mode kafka") << "expected amqp or brokerless, got 'kafka'"
                                   << "usage: mq mode amqp|brokerless [push|pubsub]";
    QTest::newRow("mq mode bad pattern") << QByteArray("mq mode brokerless fanout")
                                         << "expected push or pubsub, got 'fanout'" << "usage";
    QTest::newRow("mq mode extra") << QByteArray("mq mode brokerless push now")
                                   << "mq mode: unexpected extra argument 'now'" << "usage";

    // Node ids.
    QTest::newRow("id with dollar") << QByteArray("node kill a$b") << "'a$b' is not a valid node id"
                                    << "1 to 32 characters";
    QTest::newRow("id too long") << QByteArray("node add " + QByteArray(33, 'n')) << "is not a valid node id"
                                 << "";
    QTest::newRow("id with dot") << QByteArray("node restart n.1") << "'n.1' is not a valid node id"
                                 << "";
    QTest::newRow("unicode id") << QByteArray("node kill \xc3\xa9") << "is not a valid node id"
                                << "";

    // Partitions.
    QTest::newRow("partition no groups") << QByteArray("partition") << "partition: missing groups"
                                         << "";
    QTest::newRow("partition one group")
        << QByteArray("partition n1,n2,n3") << "a partition needs two or more groups separated by '|'"
        << "";
    QTest::newRow("partition empty second group") << QByteArray("partition n1 |") << "group 2 is empty"
                                                  << "";
    QTest::newRow("partition empty first group") << QByteArray("partition | n1") << "group 1 is empty"
                                                 << "";
    QTest::newRow("partition empty middle group") << QByteArray("partition n1 || n2") << "group 2 is empty"
                                                  << "";
    QTest::newRow("partition stray comma")
        << QByteArray("partition n1,,n2 | n3") << "group 1 has an empty node id"
        << "";
    QTest::newRow("partition trailing comma")
        << QByteArray("partition n1 | n2,") << "group 2 has an empty node id"
        << "";
    QTest::newRow("partition duplicate node")
        << QByteArray("partition n1,n2 | n3,n1") << "node 'n1' appears in more than one group"
        << "";
    QTest::newRow("partition node twice in a group")
        << QByteArray("partition n1,n1 | n2") << "node 'n1' appears twice in group 1"
        << "";
    QTest::newRow("partition spaces for commas")
        << QByteArray("partition n1 n2 | n3") << "'n1 n2' is not a valid node id"
        << "commas";
    QTest::newRow("partition bad id") << QByteArray("partition n1 | n#2") << "'n#2' is not a valid node id"
                                      << "";

    // Cuts.
    QTest::newRow("cut nothing") << QByteArray("cut") << "cut: missing node ids"
                                 << "usage: cut A -> B";
    QTest::newRow("cut without arrow") << QByteArray("cut n1 n2") << "expected 'A -> B'"
                                       << "";
    QTest::newRow("cut without source") << QByteArray("cut -> n2") << "missing the sending node"
                                        << "";
    QTest::newRow("cut without target") << QByteArray("cut n1 ->") << "missing the receiving node"
                                        << "";
    QTest::newRow("cut to itself") << QByteArray("cut n1 -> n1") << "a node cannot be cut from itself"
                                   << "";
    QTest::newRow("cut two arrows") << QByteArray("cut a -> b -> c") << "'b -> c' is not a valid node id"
                                    << "";
    QTest::newRow("cut trailing junk") << QByteArray("cut a -> b now") << "'b now' is not a valid node id"
                                       << "";

    // Lines that are too long or not text.
    QTest::newRow("100 KB line") << QByteArray(100 * 1000, 'a')
                                 << "100000 bytes long; the limit is 4096 bytes"
                                 << "shorter";
    QTest::newRow("one byte over") << QByteArray("put k " + QByteArray(4091, 'v'))
                                   << "4097 bytes long; the limit is 4096 bytes"
                                   << "";
    QTest::newRow("control character")
        << QByteArray("node kill n1\x01") << "control character (\\x01) at column 13"
        << "";
    QTest::newRow("NUL byte") << QByteArray("heal\0x", 6) << "control character (\\x00) at column 5"
                              << "";
    QTest::newRow("newline inside") << QByteArray("put k a\nb") << "control character (\\x0a)"
                                    << "";
    QTest::newRow("invalid UTF-8") << QByteArray("put k \xff") << "not valid UTF-8 (byte \\xff at column 7)"
                                   << "";
    QTest::newRow("overlong UTF-8") << QByteArray("put k \xc0\xaf") << "not valid UTF-8"
                                    << "";
    QTest::newRow("truncated UTF-8") << QByteArray("put k \xe4\xbd") << "not valid UTF-8"
                                     << "";
    QTest::newRow("surrogate in UTF-8") << QByteArray("put k \xed\xa0\x80") << "not valid UTF-8"
                                        << "";
}

void TestCommandParser::rejectsBadCommands() {
    QFETCH(QByteArray, line);
    QFETCH(QString, messagePart);
    QFETCH(QString, hintPart);
    const Result<Command> result = parseCommand(toStd(line), commandTable());
    QVERIFY2(!result.ok(), qPrintable("accepted as " + (result.ok() ? describe(result.value()) : QString())));
    const QString message = q(result.error().message);
    const QString hint = q(result.error().hint);
    QVERIFY2(message.contains(messagePart), qPrintable(message));
    QVERIFY2(hint.contains(hintPart), qPrintable(hint));
    // Messages go back to a console line: short, printable, and never the whole input.
    QVERIFY2(message.size() <= 200, qPrintable(message));
    QVERIFY(isPrintable(result.error().message));
    QVERIFY(isPrintable(result.error().hint));
    const QString reason = untranslatableReason(result.error());
    QVERIFY2(reason.isEmpty(), qPrintable(reason));
}

void TestCommandParser::keepsTheLineAsTypedWithoutItsComment_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("text");
    QTest::newRow("padded") << QByteArray("   node  kill   n1   ") << "node  kill   n1";
    QTest::newRow("comment") << QByteArray("heal # the end of the split") << "heal";
    QTest::newRow("comment glued to a token stays") << QByteArray("put k v#1") << "put k v#1";
    QTest::newRow("crlf") << QByteArray("status\r\n") << "status";
}

void TestCommandParser::keepsTheLineAsTypedWithoutItsComment() {
    QFETCH(QByteArray, line);
    QFETCH(QString, text);
    const Result<Command> result = parseCommand(toStd(line), commandTable());
    QVERIFY(result.ok());
    QCOMPARE(q(result->text), text);
}

void TestCommandParser::longLineIsNotEchoed() {
    const std::string line = "node kill " + std::string(100 * 1024, 'x');
    const Result<Command> result = parseCommand(line, commandTable());
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.size() < 120, result.error().message.c_str());
    QVERIFY(result.error().message.find("102410 bytes") != std::string::npos);
    QVERIFY(result.error().message.find("xxxxxxxxxx") == std::string::npos);
}

void TestCommandParser::acceptsALineAtTheLimit() {
    // A maximal line: a value as long as the store takes, padded by a comment to the line limit.
    const std::string value(kPutValueBytesMax, 'v');
    std::string line = "put k " + value + " #";
    line += std::string(kConsoleLineBytesMax - line.size(), 'c');
    QCOMPARE(line.size(), kConsoleLineBytesMax);
    const Result<Command> result = parseCommand(line, commandTable());
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    QCOMPARE(result->value.size(), value.size());

    // A value longer than the store takes is refused with the limit.
    const Result<Command> tooLong = parseCommand("put k " + std::string(kPutValueBytesMax + 1, 'v'), commandTable());
    QVERIFY(!tooLong.ok());
    QVERIFY2(tooLong.error().message.find("1024 bytes") != std::string::npos, tooLong.error().message.c_str());

    // A bad argument inside a maximal line is quoted in part only.
    const Result<Command> bad = parseCommand("node kill " + std::string(kConsoleLineBytesMax - 10, 'z'), commandTable());
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().message.size() < 200, bad.error().message.c_str());
}

void TestCommandParser::formatCommandRoundTrips_data() {
    parsesGoodCommands_data();
}

void TestCommandParser::formatCommandRoundTrips() {
    QFETCH(QByteArray, line);
    const Result<Command> first = parseCommand(toStd(line), commandTable());
    QVERIFY(first.ok());
    const std::string canonical = formatCommand(first.value());
    const Result<Command> second = parseCommand(canonical, commandTable());
    QVERIFY2(second.ok(), canonical.c_str());
    QCOMPARE(describe(second.value()), describe(first.value()));
    QCOMPARE(formatCommand(second.value()), canonical);  // canonical text is a fixed point
}

void TestCommandParser::validNodeIds_data() {
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<bool>("valid");
    QTest::newRow("n1") << QByteArray("n1") << true;
    QTest::newRow("one char") << QByteArray("a") << true;
    QTest::newRow("all classes") << QByteArray("Az09_-") << true;
    QTest::newRow("32 chars") << QByteArray(32, 'k') << true;
    QTest::newRow("33 chars") << QByteArray(33, 'k') << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("space") << QByteArray("n 1") << false;
    QTest::newRow("comma") << QByteArray("n1,n2") << false;
    QTest::newRow("pipe") << QByteArray("n|") << false;
    QTest::newRow("arrow") << QByteArray("a->b") << false;
    QTest::newRow("non-ascii") << QByteArray("\xc3\xa9") << false;
}

void TestCommandParser::validNodeIds() {
    QFETCH(QByteArray, id);
    QFETCH(bool, valid);
    QCOMPARE(isValidNodeId(toStd(id)), valid);
}

void TestCommandParser::completionWordsAreKnownCommands() {
    const std::vector<std::string> words = completionWords(commandTable());
    // 48 commands; "ring hash", "fencing" and "zk watch" twice, "mq mode" three times, "break" six times (a switch each).
    QCOMPARE(words.size(), std::size_t{58});
    for (const std::string& word : words) {
        const Result<Command> result = parseCommand(word, commandTable());
        // Either the word is a whole command, or only its arguments are missing.
        if (!result.ok()) {
            QVERIFY2(result.error().message.find(": missing ") != std::string::npos,
                     (word + " -> " + result.error().message).c_str());
        } else {
            QVERIFY2(word.starts_with(result->spec->name), word.c_str());
        }
    }
    QVERIFY(std::find(words.begin(), words.end(), "ring hash ketama") != words.end());
    QVERIFY(std::find(words.begin(), words.end(), "net drop") != words.end());
    for (const char* word : {"queue declare", "queue bind", "publish", "consume", "ack", "nack", "mq mode amqp",
                             "mq mode brokerless", "mq mode brokerless pubsub"})
        QVERIFY2(std::find(words.begin(), words.end(), word) != words.end(), word);
}

void TestCommandParser::helpHasOneLinePerCommand() {
    QStringList lines = q(helpText(commandTable())).split('\n');
    // Every line as printed fits a console.
    for (const QString& line : lines) QVERIFY2(line.size() <= 160, qPrintable(line));
    // A long syntax puts its summary on an indented line of its own.
    for (int i = int(lines.size()) - 1; i > 0; --i) {
        if (!lines[i].startsWith(' ')) continue;
        lines[i - 1] += "  " + lines[i].trimmed();
        lines.removeAt(i);
    }
    QCOMPARE(lines.size(), 48);
    for (const QString& line : lines) QVERIFY2(!line.trimmed().isEmpty(), "blank help line");
    QVERIFY(lines.first().startsWith("help [TOPIC]"));
    QVERIFY(q(helpText(commandTable())).contains("partition A,B | C,D"));
    QVERIFY(q(helpText(commandTable())).contains("cut A -> B"));
    for (const char* syntax :
         {"queue declare NAME [--durable]", "queue bind EXCHANGE QUEUE",
          "publish QUEUE [--count N] [--persistent] [--poison] [--interval MS]",
          "consume QUEUE CONSUMER [--prefetch P] [--idempotent] [--process MS] [--fail-rate F] [--manual]",
          "ack CONSUMER [TAG]", "nack CONSUMER [TAG] [--no-requeue]", "mq mode amqp|brokerless [push|pubsub]"})
        QVERIFY2(q(helpText(commandTable())).contains(syntax), syntax);
}

void TestCommandParser::helpFiltersByTopic_data() {
    QTest::addColumn<QString>("topic");
    QTest::addColumn<int>("lines");
    QTest::addColumn<QString>("firstLineStart");
    QTest::newRow("node") << "node" << 5 << "node add [ID]";
    QTest::newRow("ring") << "ring" << 3 << "ring vnodes N";
    QTest::newRow("net") << "net" << 4 << "net latency MIN MAX";
    QTest::newRow("ring hash") << "ring hash" << 1 << "ring hash xxh3|ketama";
    QTest::newRow("pause is not node pause") << "pause" << 1 << "pause";
    QTest::newRow("padded") << "  heal " << 1 << "heal";
    QTest::newRow("queue") << "queue" << 2 << "queue declare NAME [--durable]";
    QTest::newRow("mq") << "mq" << 2 << "mq mode amqp|brokerless [push|pubsub]";
    QTest::newRow("publish: syntax, then its summary") << "publish" << 2 << "publish QUEUE [--count N]";
    QTest::newRow("ack is not nack") << "ack" << 1 << "ack CONSUMER [TAG]";
    QTest::newRow("unknown") << "nod" << 1 << "No command matches 'nod'";
}

void TestCommandParser::helpFiltersByTopic() {
    QFETCH(QString, topic);
    QFETCH(int, lines);
    QFETCH(QString, firstLineStart);
    const QStringList text = q(helpText(commandTable(), topic.toStdString())).split('\n');
    QCOMPARE(text.size(), lines);
    QVERIFY2(text.first().startsWith(firstLineStart), qPrintable(text.first()));
}

void TestCommandParser::helpTranslatesDescriptionsNotSyntax() {
    for (const std::string topic : {"", "node", "publish", "nod"}) {
        const std::vector<Text> lines = helpLines(commandTable(), topic);
        QCOMPARE(q(joinLines(lines)), q(helpText(commandTable(), topic)));
        for (const Text& line : lines) {
            const QString english = q(line.str());
            QVERIFY2(!line.empty(), qPrintable(english));
            if (english.startsWith("No command")) {
                QVERIFY2(hasWords(line), qPrintable(english));
                continue;
            }
            // A description is a translatable part of its line; the syntax before it is a plain argument.
            const bool described = !line.parts.empty();
            const bool syntaxOnly = !english.contains("  ");
            QVERIFY2(described != syntaxOnly, qPrintable(english));
            if (!described) continue;
            QCOMPARE(line.parts.size(), line.args.size());
            QVERIFY2(line.parts.front().empty() && hasWords(line.parts.back()), qPrintable(english));
            QVERIFY2(english.endsWith(q(line.parts.back().str())), qPrintable(english));
        }
    }
}

void TestCommandParser::excerptsAreShortAndPrintable_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("bytesMax");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QByteArray("node") << 40 << QByteArray("node");
    QTest::newRow("cut") << QByteArray("abcdefghij") << 4 << QByteArray("abcd...");
    QTest::newRow("control") << QByteArray("a\tb\x01") << 40 << QByteArray("a\\x09b\\x01");
    QTest::newRow("invalid byte") << QByteArray("a\xff") << 40 << QByteArray("a\\xff");
    QTest::newRow("keeps utf-8") << QByteArray("\xe4\xbd\xa0") << 40 << QByteArray("\xe4\xbd\xa0");
    QTest::newRow("never splits a character") << QByteArray("a\xe4\xbd\xa0") << 3 << QByteArray("a...");
}

void TestCommandParser::excerptsAreShortAndPrintable() {
    QFETCH(QByteArray, input);
    QFETCH(int, bytesMax);
    QFETCH(QByteArray, expected);
    QCOMPARE(QByteArray::fromStdString(excerptForMessage(toStd(input), static_cast<std::size_t>(bytesMax))),
             expected);
}

void TestCommandParser::randomBytesNeverCrash() {
    // std::mt19937_64's output is fixed by the standard, so this sequence is the same everywhere.
    constexpr std::uint64_t kSeed = 20240601;
    std::mt19937_64 random(kSeed);
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        const std::size_t length = random() % 96;
        std::string line(length, '\0');
        // Half the lines are printable ASCII, which reaches deeper into the grammar than noise.
        const bool printable = (i % 2) == 0;
        for (char& c : line) c = static_cast<char>(printable ? 0x20 + random() % 0x5F : random() % 256);
        if (printable && i % 4 == 0 && length > 5) line.replace(0, 5, i % 8 == 0 ? "node " : "part ");
        const Result<Command> result = parseCommand(line, commandTable());
        if (result.ok()) {
            ++accepted;
            continue;
        }
        const std::string& message = result.error().message;
        QVERIFY2(!message.empty() && isPrintable(message) && message.size() < 300,
                 qPrintable(QStringLiteral("seed %1, case %2: %3").arg(kSeed).arg(i).arg(q(message))));
        const QString reason = untranslatableReason(result.error());
        QVERIFY2(reason.isEmpty(),
                 qPrintable(QStringLiteral("seed %1, case %2: %3").arg(kSeed).arg(i).arg(reason)));
    }
    QVERIFY(accepted < 20000);
}

void TestCommandParser::randomTokenLinesNeverCrashAndRoundTrip() {
    // Lines built from the grammar's own words reach every branch of the parser.
    const std::vector<std::string> vocabulary = {
        "node",  "add",    "kill",     "restart", "pause", "remove",    "partition",
        "cut",   "heal",   "put",      "get",     "ring",  "vnodes",    "hash",
        "xxh3",  "ketama", "replicas", "step",    "run",   "play",      "speed",
        "seed",  "status", "net",      "latency", "drop",  "duplicate", "reorder",
        "trace", "help",   "n1",       "n2",      "n-3",   "|",         ",",
        "->",    "n1,n2",  "n1->n2",   "#",       "0",     "1",         "7",
        "0.5",   "10x",    "-1",       "4097",    "1e309", "abc",       "9223372036854775808",
        "txn",   "2pc",    "3pc",      "p1,p2",   "--vote-no", "saga", "--steps", "--fail-at",
        "--timeout-at", "crash", "--after", "recv:tpc_vote*3", "state:WAIT",
        "queue", "declare", "bind", "publish", "consume", "ack", "nack", "mq", "mode", "amqp", "brokerless",
        "push", "pubsub", "--durable", "--count", "--persistent", "--poison", "--interval", "--prefetch",
        "--idempotent", "--process", "--fail-rate", "--manual", "--no-requeue", "q1", "orders.v2:eu", "w1",
        "9007199254740992", "65535",
        "",
    };
    constexpr std::uint64_t kSeed = 7;
    std::mt19937_64 random(kSeed);
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string line;
        const std::size_t tokens = 1 + random() % 6;
        for (std::size_t t = 0; t < tokens; ++t) {
            if (t > 0 && random() % 4 != 0) line += ' ';
            line += vocabulary[random() % vocabulary.size()];
        }
        const Result<Command> result = parseCommand(line, commandTable());
        const QString context = QStringLiteral("seed %1, case %2: '%3'").arg(kSeed).arg(i).arg(q(line));
        if (!result.ok()) {
            QVERIFY2(!result.error().message.empty(), qPrintable(context));
            const QString reason = untranslatableReason(result.error());
            QVERIFY2(reason.isEmpty(), qPrintable(context + ": " + reason));
            continue;
        }
        ++accepted;
        const Result<Command> again = parseCommand(formatCommand(result.value()), commandTable());
        QVERIFY2(again.ok(), qPrintable(context));
        QVERIFY2(describe(again.value()) == describe(result.value()), qPrintable(context));
    }
    QVERIFY(accepted > 100);  // the vocabulary does produce real commands
}

void TestCommandParser::queueCommandsFormatCanonically_data() {
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("declare") << QByteArray("queue  declare q1") << "queue declare q1";
    QTest::newRow("declare durable") << QByteArray("queue declare q1 --durable") << "queue declare q1 --durable";
    QTest::newRow("bind") << QByteArray("queue bind  ex q1") << "queue bind ex q1";
    QTest::newRow("publish defaults") << QByteArray("publish q1 --count 1") << "publish q1";
    QTest::newRow("publish options sorted")
        << QByteArray("publish q1 --interval 0 --poison --persistent --count 3")
        << "publish q1 --count 3 --persistent --poison --interval 0";
    QTest::newRow("consume defaults") << QByteArray("consume q1 w1") << "consume q1 w1";
    QTest::newRow("consume options sorted")
        << QByteArray("consume q1 w1 --manual --fail-rate 0.5 --process 10 --idempotent --prefetch 0")
        << "consume q1 w1 --prefetch 0 --idempotent --process 10 --fail-rate 0.5 --manual";
    QTest::newRow("consume fail rate zero is the default") << QByteArray("consume q1 w1 --fail-rate 0")
                                                           << "consume q1 w1";
    QTest::newRow("ack oldest") << QByteArray("ack w1 0") << "ack w1";
    QTest::newRow("ack tag") << QByteArray("ack w1 12") << "ack w1 12";
    QTest::newRow("nack") << QByteArray("nack w1 --no-requeue") << "nack w1 --no-requeue";
    QTest::newRow("nack tag") << QByteArray("nack w1 5 --no-requeue") << "nack w1 5 --no-requeue";
    QTest::newRow("mq mode amqp") << QByteArray("mq mode amqp push") << "mq mode amqp";
    QTest::newRow("mq mode brokerless names its pattern") << QByteArray("mq mode brokerless")
                                                          << "mq mode brokerless push";
    QTest::newRow("mq mode pubsub") << QByteArray("mq mode brokerless pubsub") << "mq mode brokerless pubsub";
}

void TestCommandParser::queueCommandsFormatCanonically() {
    QFETCH(QByteArray, line);
    QFETCH(QString, canonical);
    const Result<Command> result = parseCommand(toStd(line), commandTable());
    QVERIFY2(result.ok(), qPrintable(q(result.ok() ? std::string() : result.error().message)));
    QCOMPARE(q(formatCommand(result.value())), canonical);
}

void TestCommandParser::queueCommandsBuiltInCodeRoundTrip() {
    // A GUI action builds its Command directly (no text), then records it through formatCommand.
    Command publish;
    publish.spec = &mq_commands::kPublish;
    publish.key = "orders";
    publish.count = 25;
    publish.duration = millis(15);
    publish.flags = kFlagPersistent | kFlagPoison;
    Command consume;
    consume.spec = &mq_commands::kConsume;
    consume.key = "orders";
    consume.nodes = {"w2"};
    consume.count = 1;
    consume.duration = millis(80);
    consume.real = 0.125;
    consume.flags = kFlagIdempotent | kFlagManual;
    Command nack;
    nack.spec = &mq_commands::kNack;
    nack.nodes = {"w2"};
    nack.count = 4;
    nack.flags = kFlagNoRequeue;
    Command declare;
    declare.spec = &mq_commands::kQueueDeclare;
    declare.key = "orders";
    declare.flags = kFlagDurable;
    Command mode;
    mode.spec = &mq_commands::kMqMode;
    mode.key = "brokerless";
    mode.value = "pubsub";
    for (const Command& command : {publish, consume, nack, declare, mode}) {
        const std::string text = formatCommand(command);
        const Result<Command> parsed = parseCommand(text, commandTable());
        QVERIFY2(parsed.ok(), text.c_str());
        Command withoutText = parsed.value();
        QCOMPARE(withoutText.text, text);
        withoutText.text.clear();
        QVERIFY2(withoutText == command, qPrintable(q(text) + " -> " + describe(withoutText)));
    }
}

void TestCommandParser::flagsAreDistinctBits() {
    const std::uint32_t flags[] = {kFlagDurable, kFlagPersistent, kFlagPoison, kFlagIdempotent, kFlagManual,
                                   kFlagNoRequeue};
    std::uint32_t all = 0;
    for (std::uint32_t flag : flags) {
        QCOMPARE(flag & (flag - 1), 0u);  // one bit
        QCOMPARE(all & flag, 0u);         // not shared
        all |= flag;
    }
    QCOMPARE(Command{}.flags, 0u);
}

void TestCommandParser::aCommandDefinedOutsideTheConsoleJoinsItsTable() {
    const auto console = consoleCommands();
    std::vector<const CommandSpec*> specs(console.begin(), console.end());
    specs.push_back(&kBellRing);
    const CommandTable table(specs);
    // Parsed, with its own errors in the console's terms.
    const Result<Command> rung = parseCommand("bell ring n3 --times 4", table);
    QVERIFY(rung.ok());
    QVERIFY(rung->is(kBellRing));
    QCOMPARE(describe(rung.value()), QString("bell ring nodes=n3 count=4"));
    const Result<Command> tooMany = parseCommand("bell ring n3 --times 12", table);
    QVERIFY(!tooMany.ok());
    QCOMPARE(q(tooMany.error().message), QString("bell ring n3 --times 12: 12 is out of range (1 to 9)"));
    QCOMPARE(q(tooMany.error().hint), QString("usage: bell ring NODE [--times N]"));
    // Formatted back to the same fields.
    QCOMPARE(q(formatCommand(rung.value())), QString("bell ring n3 --times 4"));
    Command again = parseCommand(formatCommand(rung.value()), table).value();
    again.text = rung->text;
    QVERIFY(again == rung.value());
    // Its first word is a group word, with "did you mean" and the group's usage.
    QVERIFY(table.isGroupWord("bell"));
    const Result<Command> misspelt = parseCommand("bell rnig n1", table);
    QVERIFY(!misspelt.ok());
    QVERIFY2(q(misspelt.error().hint).startsWith("did you mean 'bell ring'?"), misspelt.error().hint.c_str());
    QCOMPARE(q(parseCommand("bell", table).error().hint), QString("usage: bell ring NODE [--times N]"));
    QCOMPARE(q(parseCommand("bel ring n1", table).error().hint), QString("did you mean 'bell'? Type 'help' for the list."));
    // Listed by help (also under its topic) and offered by completion.
    QVERIFY(q(helpText(table)).contains("bell ring NODE [--times N]"));
    const QStringList topic = q(helpText(table, "bell")).split('\n');
    QCOMPARE(topic.size(), 1);
    QVERIFY(topic.first().startsWith("bell ring NODE [--times N]"));
    QVERIFY(topic.first().endsWith("ring NODE's bell N times"));
    QVERIFY(parseCommand("help bell", table).ok());
    const std::vector<std::string> words = completionWords(table);
    QVERIFY(std::find(words.begin(), words.end(), "bell ring n1") != words.end());
    // A table without it does not know it.
    QVERIFY(!parseCommand("bell ring n3", commandTable()).ok());
}

QTEST_APPLESS_MAIN(TestCommandParser)
#include "tst_command_parser.moc"
