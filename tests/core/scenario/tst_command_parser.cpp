// The lab console's command language: what parses into which fields, what is refused and how the
// refusal reads, and that no byte sequence can crash the parser.
#include <QtTest>

#include <cstdint>
#include <random>
#include <string>

#include "core/scenario/command.h"

using namespace distlab;

namespace {

std::string toStd(const QByteArray& bytes) {
    return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

// A compact, readable picture of a command's fields; only fields that differ from the defaults.
QString describe(const Command& command) {
    QString out = q(std::string(commandName(command.kind)));
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
    void excerptsAreShortAndPrintable_data();
    void excerptsAreShortAndPrintable();
    void randomBytesNeverCrash();
    void randomTokenLinesNeverCrashAndRoundTrip();
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
    QTest::newRow("trace") << QByteArray("trace") << "trace";
    QTest::newRow("trace file") << QByteArray("trace /tmp/run 1.jsonl") << "trace key=/tmp/run 1.jsonl";
}

void TestCommandParser::parsesGoodCommands() {
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    const Result<Command> result = parseCommand(toStd(line));
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
    const Result<Command> result = parseCommand(toStd(line));
    QVERIFY2(!result.ok(), qPrintable("accepted as " + (result.ok() ? describe(result.value()) : QString())));
    const QString message = q(result.error().message);
    const QString hint = q(result.error().hint);
    QVERIFY2(message.contains(messagePart), qPrintable(message));
    QVERIFY2(hint.contains(hintPart), qPrintable(hint));
    // Messages go back to a console line: short, printable, and never the whole input.
    QVERIFY2(message.size() <= 200, qPrintable(message));
    QVERIFY(isPrintable(result.error().message));
    QVERIFY(isPrintable(result.error().hint));
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
    const Result<Command> result = parseCommand(toStd(line));
    QVERIFY(result.ok());
    QCOMPARE(q(result->text), text);
}

void TestCommandParser::longLineIsNotEchoed() {
    const std::string line = "node kill " + std::string(100 * 1024, 'x');
    const Result<Command> result = parseCommand(line);
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
    const Result<Command> result = parseCommand(line);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    QCOMPARE(result->value.size(), value.size());

    // A value longer than the store takes is refused with the limit.
    const Result<Command> tooLong = parseCommand("put k " + std::string(kPutValueBytesMax + 1, 'v'));
    QVERIFY(!tooLong.ok());
    QVERIFY2(tooLong.error().message.find("1024 bytes") != std::string::npos, tooLong.error().message.c_str());

    // A bad argument inside a maximal line is quoted in part only.
    const Result<Command> bad = parseCommand("node kill " + std::string(kConsoleLineBytesMax - 10, 'z'));
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().message.size() < 200, bad.error().message.c_str());
}

void TestCommandParser::formatCommandRoundTrips_data() {
    parsesGoodCommands_data();
}

void TestCommandParser::formatCommandRoundTrips() {
    QFETCH(QByteArray, line);
    const Result<Command> first = parseCommand(toStd(line));
    QVERIFY(first.ok());
    const std::string canonical = formatCommand(first.value());
    const Result<Command> second = parseCommand(canonical);
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
    const std::vector<std::string> words = completionWords();
    QCOMPARE(words.size(), std::size_t{43});  // 40 commands; "ring hash", "fencing" and "zk watch" twice
    for (const std::string& word : words) {
        const Result<Command> result = parseCommand(word);
        // Either the word is a whole command, or only its arguments are missing.
        if (!result.ok()) {
            QVERIFY2(result.error().message.find(": missing ") != std::string::npos,
                     (word + " -> " + result.error().message).c_str());
        } else {
            QVERIFY2(word.starts_with(commandName(result->kind)), word.c_str());
        }
    }
    QVERIFY(std::find(words.begin(), words.end(), "ring hash ketama") != words.end());
    QVERIFY(std::find(words.begin(), words.end(), "net drop") != words.end());
}

void TestCommandParser::helpHasOneLinePerCommand() {
    QStringList lines = q(helpText()).split('\n');
    // A long syntax puts its summary on an indented line of its own.
    for (int i = int(lines.size()) - 1; i > 0; --i) {
        if (!lines[i].startsWith(' ')) continue;
        lines[i - 1] += "  " + lines[i].trimmed();
        lines.removeAt(i);
    }
    QCOMPARE(lines.size(), 40);
    for (const QString& line : lines) {
        QVERIFY2(line.size() <= 160, qPrintable(line));
        QVERIFY2(!line.trimmed().isEmpty(), "blank help line");
    }
    QVERIFY(lines.first().startsWith("help [TOPIC]"));
    QVERIFY(q(helpText()).contains("partition A,B | C,D"));
    QVERIFY(q(helpText()).contains("cut A -> B"));
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
    QTest::newRow("unknown") << "nod" << 1 << "No command matches 'nod'";
}

void TestCommandParser::helpFiltersByTopic() {
    QFETCH(QString, topic);
    QFETCH(int, lines);
    QFETCH(QString, firstLineStart);
    const QStringList text = q(helpText(topic.toStdString())).split('\n');
    QCOMPARE(text.size(), lines);
    QVERIFY2(text.first().startsWith(firstLineStart), qPrintable(text.first()));
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
        const Result<Command> result = parseCommand(line);
        if (result.ok()) {
            ++accepted;
            continue;
        }
        const std::string& message = result.error().message;
        QVERIFY2(!message.empty() && isPrintable(message) && message.size() < 300,
                 qPrintable(QStringLiteral("seed %1, case %2: %3").arg(kSeed).arg(i).arg(q(message))));
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
        const Result<Command> result = parseCommand(line);
        const QString context = QStringLiteral("seed %1, case %2: '%3'").arg(kSeed).arg(i).arg(q(line));
        if (!result.ok()) {
            QVERIFY2(!result.error().message.empty(), qPrintable(context));
            continue;
        }
        ++accepted;
        const Result<Command> again = parseCommand(formatCommand(result.value()));
        QVERIFY2(again.ok(), qPrintable(context));
        QVERIFY2(describe(again.value()) == describe(result.value()), qPrintable(context));
    }
    QVERIFY(accepted > 100);  // the vocabulary does produce real commands
}

QTEST_APPLESS_MAIN(TestCommandParser)
#include "tst_command_parser.moc"
