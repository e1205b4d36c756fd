// distlab-node's wire as a real process (the counter's lease lock server, cn-lock): every kind of bad input
// on its own connection gets an error frame (code 12) or is closed while a good client keeps being served;
// 1,000 idle connections neither lock a good client out nor grow the node's memory without bound; a wrong
// key, a replayed handshake and a non-loopback address without a key are refused; SIGTERM stops it cleanly.
#include <QTemporaryDir>
#include <QtTest>

#include <sys/resource.h>
#include <sys/stat.h>

#include "node_process.h"

using namespace distlab;
using namespace nodeproc;

namespace {

Envelope acquire(const NodeId& src, const std::string& resource, std::int64_t msgId) {
    return Envelope{src, "cn-lock",
                    Body{"lock_acquire", msgId, std::nullopt, Json{{"resource", resource}, {"token", resource + "-t"}, {"ttl_ms", 60000}}}};
}

// A frame of `payload` bytes exactly as given, valid or not.
std::string rawFrame(std::string_view payload) { return net::encodeFrame(payload); }

// Reads what the node sends until it closes the connection; the error frames' texts.
std::vector<std::string> errorsUntilClosed(RawClient& client) {
    std::vector<std::string> errors;
    for (int i = 0; i < 10 && !client.closed(); ++i) {
        auto frame = client.receive();
        if (!frame) continue;
        if (frame->body.type == "error") {
            errors.push_back(std::to_string(frame->body.fields.value("code", -1)) + " " + frame->body.fields.value("text", ""));
        }
    }
    return errors;
}

}  // namespace

class TestNodeWire : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string keyFile() const { return m_dir.filePath("cluster.key").toStdString(); }

    // The good client: one connection that stays open and is answered each time.
    static void checkServed(RawClient& good, int& msgId) {
        const std::string resource = "r" + std::to_string(msgId);
        QVERIFY(good.send(acquire("good", resource, ++msgId)));
        auto answer = good.receive();
        QVERIFY2(answer.has_value(), "the good client got no answer");
        QCOMPARE(answer->body.type, std::string("lock_acquire_ok"));
        QCOMPARE(answer->body.inReplyTo.value_or(0), std::int64_t(msgId));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        std::ofstream(keyFile()) << net::ClusterKey::generateText() << "\n";
        // 1,000 idle sockets and the node's own: make sure this process may open them.
        rlimit limit{};
        getrlimit(RLIMIT_NOFILE, &limit);
        if (limit.rlim_cur < 4096) {
            limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 4096);
            setrlimit(RLIMIT_NOFILE, &limit);
        }
    }

    void badConnectionsAreRefusedOneByOne() {
        NodeProcess node(m_dir.path().toStdString(), {"--id", "cn-lock", "--scenario", "counter"});
        QVERIFY2(node.running(), node.log().c_str());
        RawClient good(node.port());
        QVERIFY(good.connected());
        QCOMPARE(good.handshake("good", nullptr), std::string());
        int msgId = 0;
        checkServed(good, msgId);

        struct Case {
            const char* name;
            std::string bytes;
            const char* expected;  // a part of the error's text; nullptr: closed without one
            bool handshakeFirst = false;
        };
        Envelope unsolicited = acquire("bad", "x", 1);
        std::string accents = "x";  // then 40 two-byte characters: byte 64 falls inside one
        for (int i = 0; i < 40; ++i) accents += "\xc3\xa9";
        const std::vector<Case> cases = {
            {"garbage (an HTTP request)", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "above the limit of 1048576"},
            {"a frame announcing 2 GiB", std::string("\x80\x00\x00\x00", 4) + "xxxx", "announced 2147483648 bytes"},
            {"a zero-length frame", std::string("\0\0\0\0", 4), "announced 0 bytes"},
            {"invalid JSON", rawFrame("{\"src\": \"a\", "), "malformed frame"},
            {"JSON of the wrong shape (an array)", rawFrame("[1, 2, 3]"), "malformed frame"},
            {"an envelope without a body", rawFrame("{\"src\":\"a\",\"dest\":\"cn-lock\"}"), "malformed frame"},
            {"a request before the handshake", net::encodeFrame(unsolicited), "expected wire_hello first"},
            {"another id after the handshake", net::encodeFrame(acquire("someone-else", "y", 2)), "src must be 'bad'", true},
            // Quoted in the error, cut at 64 bytes: never inside a character (the node once died of it).
            {"a long non-ASCII type before the handshake",
             rawFrame(R"({"src":"x","dest":"*","body":{"type":")" + accents + R"("}})"), "expected wire_hello first"},
            {"a truncated frame, then the end", std::string("\0\0\0\x64", 4) + "{\"src\"", nullptr},
        };
        for (const Case& c : cases) {
            RawClient bad(node.port());
            QVERIFY(bad.connected());
            if (c.handshakeFirst) QCOMPARE(bad.handshake("bad", nullptr), std::string());
            QVERIFY(bad.sendBytes(c.bytes));
            if (!c.expected) bad.shutdownWrite();
            const std::vector<std::string> errors = errorsUntilClosed(bad);
            QVERIFY2(bad.closed(), c.name);
            if (c.expected) {
                QVERIFY2(errors.size() == 1, c.name);
                QVERIFY2(errors[0].rfind("12 ", 0) == 0, errors[0].c_str());
                QVERIFY2(errors[0].find(c.expected) != std::string::npos, (std::string(c.name) + ": " + errors[0]).c_str());
            } else {
                QVERIFY2(errors.empty(), c.name);
            }
            checkServed(good, msgId);
        }
        QVERIFY(node.running());
        QCOMPARE(node.stop(SIGTERM), 0);
        QVERIFY(node.log().find("closed a connection from 127.0.0.1") != std::string::npos);
    }

    void idleConnectionsNeitherLockOutNorGrow() {
        NodeProcess node(m_dir.path().toStdString(), {"--id", "cn-lock", "--handshake-timeout-ms", "1500"});
        QVERIFY2(node.running(), node.log().c_str());
        RawClient good(node.port());
        QCOMPARE(good.handshake("good", nullptr), std::string());
        int msgId = 0;
        checkServed(good, msgId);
        const long before = node.residentKib();

        std::vector<RawClient> idle;
        idle.reserve(1000);
        for (int i = 0; i < 1000; ++i) {
            idle.emplace_back(node.port(), 100);
            QVERIFY(idle.back().connected());
        }
        checkServed(good, msgId);
        // A new client authenticates while the 1,000 sit there.
        RawClient late(node.port());
        QCOMPARE(late.handshake("late", nullptr), std::string());
        checkServed(good, msgId);
        const long during = node.residentKib();

        // Every idle connection is closed: the oldest to make room, the rest when the handshake times out.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        std::size_t closed = 0;
        while (std::chrono::steady_clock::now() < deadline) {
            closed = 0;
            for (RawClient& client : idle) {
                if (!client.closed()) client.receive();
                closed += client.closed();
            }
            if (closed == idle.size()) break;
        }
        QCOMPARE(closed, idle.size());
        checkServed(good, msgId);
        const long after = node.residentKib();
        qInfo("node resident memory: %ld KiB before, %ld KiB with 1000 idle connections, %ld KiB after", before,
              during, after);
        QVERIFY(before > 0 && during > 0);
        QVERIFY2(during - before < 64 * 1024, "1,000 idle connections took more than 64 MiB");
        QVERIFY(node.running());
        QCOMPARE(node.stop(SIGTERM), 0);
    }

    void keyIsRequiredAndChecked() {
        auto key = net::ClusterKey::fromFile(keyFile());
        QVERIFY(key.ok());
        auto wrong = net::ClusterKey::fromText(net::ClusterKey::generateText());
        NodeProcess node(m_dir.path().toStdString(), {"--id", "cn-lock", "--cluster-key-file", keyFile()});
        QVERIFY2(node.running(), node.log().c_str());

        RawClient good(node.port());
        QCOMPARE(good.handshake("good", &key.value()), std::string());
        int msgId = 0;
        checkServed(good, msgId);

        // Without a key, and with another key, the handshake fails.
        RawClient unkeyed(node.port());
        QVERIFY(unkeyed.handshake("nokey", nullptr).find("needs the cluster key") != std::string::npos);
        RawClient other(node.port());
        QVERIFY(other.handshake("other", &wrong.value()).find("another cluster key") != std::string::npos);

        // A client that does not hold the key cannot forge wire_auth: the node refuses it with an error.
        RawClient forger(node.port());
        net::ClientHandshake honest("forger", net::PeerRole::Client, "", &wrong.value(), net::randomHex(net::kNonceBytes));
        QVERIFY(forger.send(honest.hello()));
        auto challenge = forger.receive();
        QVERIFY(challenge.has_value());
        QCOMPARE(challenge->body.type, std::string("wire_challenge"));
        Envelope auth{"forger", "cn-lock", Body{"wire_auth", 0, std::nullopt, Json{{"proof", std::string(64, 'a')}}}};
        QVERIFY(forger.send(auth));
        std::vector<std::string> errors = errorsUntilClosed(forger);
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0], std::string("12 authentication failed: wrong cluster key"));

        // A recorded handshake replayed byte for byte on a new connection fails: the node's nonce is new.
        const std::string clientNonce = net::randomHex(net::kNonceBytes);
        net::ClientHandshake recorded("replayer", net::PeerRole::Client, "", &key.value(), clientNonce);
        RawClient first(node.port());
        std::string tape = net::encodeFrame(recorded.hello());
        QVERIFY(first.send(recorded.hello()));
        auto firstChallenge = first.receive();
        QVERIFY(firstChallenge.has_value());
        net::HandshakeStep step = recorded.onFrame(*firstChallenge);
        QVERIFY(!step.failure);
        QCOMPARE(step.send.size(), std::size_t(1));
        tape += net::encodeFrame(step.send[0]);
        QVERIFY(first.send(step.send[0]));
        auto welcome = first.receive();
        QVERIFY(welcome.has_value());
        QCOMPARE(welcome->body.type, std::string("wire_welcome"));
        RawClient replay(node.port());
        QVERIFY(replay.sendBytes(tape));
        errors = errorsUntilClosed(replay);
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0], std::string("12 authentication failed: wrong cluster key"));

        checkServed(good, msgId);
        QCOMPARE(node.stop(SIGTERM), 0);
    }

    void nonLoopbackNeedsAKey() {
        NodeProcess open(m_dir.path().toStdString(), {"--id", "cn-lock", "--listen", "0.0.0.0:0"});
        QVERIFY(!open.running());
        QCOMPARE(open.exitCode().value_or(-1), 1);
        QVERIFY2(open.log().find("refusing to listen on 0.0.0.0 without a cluster key") != std::string::npos,
                 open.log().c_str());
        NodeProcess keyed(m_dir.path().toStdString(),
                          {"--id", "cn-lock", "--listen", "0.0.0.0:0", "--cluster-key-file", keyFile()});
        QVERIFY2(keyed.running(), keyed.log().c_str());
        QCOMPARE(keyed.stop(SIGTERM), 0);
    }

    void configFileAndGeneratedKey() {
        // --generate-key writes a key only its owner can read, and never overwrites one.
        const std::string generated = m_dir.filePath("generated.key").toStdString();
        NodeProcess generate(m_dir.path().toStdString(), {"--generate-key", generated});
        QCOMPARE(generate.exitCode().value_or(-1), 0);
        struct stat info {};
        QCOMPARE(::stat(generated.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
        QVERIFY(net::ClusterKey::fromFile(generated).ok());
        NodeProcess again(m_dir.path().toStdString(), {"--generate-key", generated});
        QCOMPARE(again.exitCode().value_or(-1), 2);
        QVERIFY(again.log().find("a key is never overwritten") != std::string::npos);

        // The same settings from a JSON file: the node asks for the key the file names.
        const std::string config = m_dir.filePath("node.json").toStdString();
        std::ofstream(config) << Json{{"id", "cn-lock"}, {"cluster_key_file", generated}, {"log_level", "warn"},
                                      {"peers", {{"cn-n1", "127.0.0.1:1"}}}}.dump();
        NodeProcess node(m_dir.path().toStdString(), {"--config", config});
        QVERIFY2(node.running(), node.log().c_str());
        RawClient unkeyed(node.port());
        QVERIFY(unkeyed.handshake("nokey", nullptr).find("needs the cluster key") != std::string::npos);
        auto key = net::ClusterKey::fromFile(generated);
        RawClient keyed(node.port());
        QCOMPARE(keyed.handshake("good", &key.value()), std::string());
        QCOMPARE(node.stop(SIGTERM), 0);

        // A setting the file does not know, or of the wrong type, is named.
        std::ofstream(config) << R"({"id": "cn-lock", "listen_on": "127.0.0.1:0"})";
        NodeProcess unknown(m_dir.path().toStdString(), {"--config", config});
        QCOMPARE(unknown.exitCode().value_or(-1), 2);
        QVERIFY2(unknown.log().find("unknown setting \"listen_on\"") != std::string::npos, unknown.log().c_str());
        std::ofstream(config) << R"({"id": 7})";
        NodeProcess wrongType(m_dir.path().toStdString(), {"--config", config});
        QCOMPARE(wrongType.exitCode().value_or(-1), 2);
        QVERIFY2(wrongType.log().find("\"id\" must be a string") != std::string::npos, wrongType.log().c_str());
        std::ofstream(config) << "{not json";
        NodeProcess broken(m_dir.path().toStdString(), {"--config", config});
        QCOMPARE(broken.exitCode().value_or(-1), 2);
        QVERIFY2(broken.log().find("not a JSON object") != std::string::npos, broken.log().c_str());
    }

    void badFlagsAreExplained_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no id") << QStringList{} << "--id is required";
        QTest::newRow("unknown id") << QStringList{"--id", "n42"} << "has no node 'n42'";
        QTest::newRow("listen") << QStringList{"--id", "cn-lock", "--listen", "localhost"} << "is not HOST:PORT";
        QTest::newRow("port") << QStringList{"--id", "cn-lock", "--listen", "127.0.0.1:99999"} << "port must be a number";
        QTest::newRow("peer") << QStringList{"--id", "cn-lock", "--peer", "cn-n1"} << "expected ID=HOST:PORT";
        QTest::newRow("key file") << QStringList{"--id", "cn-lock", "--cluster-key-file", "/nonexistent/key"}
                                  << "cannot read the cluster key file";
        QTest::newRow("log level") << QStringList{"--id", "cn-lock", "--log-level", "loud"} << "--log-level 'loud'";
        QTest::newRow("timeout") << QStringList{"--id", "cn-lock", "--idle-timeout-ms", "0"} << "--idle-timeout-ms 0";
        QTest::newRow("unknown flag") << QStringList{"--id", "cn-lock", "--colour"} << "unrecognised option";
    }
    void badFlagsAreExplained() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> argv;
        for (const QString& arg : args) argv.push_back(arg.toStdString());
        NodeProcess node(m_dir.path().toStdString(), argv);
        QVERIFY(!node.running());
        QCOMPARE(node.exitCode().value_or(-1), 2);
        QVERIFY2(node.log().find(message.toStdString()) != std::string::npos, node.log().c_str());
    }
};

QTEST_APPLESS_MAIN(TestNodeWire)
#include "tst_node_wire.moc"
