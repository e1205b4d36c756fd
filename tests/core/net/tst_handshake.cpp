// The wire's handshake (core/net/handshake.h), as the two state machines without sockets: both sides with
// the key get through; a wrong key, a missing key, a replayed wire_auth and a replayed wire_challenge fail;
// malformed hellos fail with a reason.
#include <QtTest>

#include "core/net/handshake.h"

using namespace distlab;
using namespace distlab::net;

namespace {

ClusterKey key(const char* text) { return ClusterKey::fromText(text).value(); }

struct Run {
    bool serverDone = false, clientDone = false;
    std::string failure;  // the first failure of either side
    std::vector<Envelope> clientFrames;  // what the client sent, for replay
    std::vector<Envelope> serverFrames;
};

// Runs a whole handshake between the two sides, frame by frame.
Run handshake(ServerHandshake& server, ClientHandshake& client) {
    Run run;
    std::vector<Envelope> toServer{client.hello()};
    std::vector<Envelope> toClient;
    for (int round = 0; round < 4 && run.failure.empty() && !(run.serverDone && run.clientDone); ++round) {
        for (const Envelope& frame : toServer) {
            run.clientFrames.push_back(frame);
            HandshakeStep step = server.onFrame(frame);
            if (step.failure) run.failure = "server: " + *step.failure;
            run.serverDone |= step.done;
            for (Envelope& out : step.send) toClient.push_back(std::move(out));
        }
        toServer.clear();
        for (const Envelope& frame : toClient) {
            run.serverFrames.push_back(frame);
            HandshakeStep step = client.onFrame(frame);
            if (step.failure && run.failure.empty()) run.failure = "client: " + *step.failure;
            run.clientDone |= step.done;
            for (Envelope& out : step.send) toServer.push_back(std::move(out));
        }
        toClient.clear();
    }
    return run;
}

std::string nonce() { return randomHex(kNonceBytes); }

}  // namespace

class TestHandshake : public QObject {
    Q_OBJECT

private slots:
    void sameKeyAuthenticatesBothSides() {
        const ClusterKey k = key("a classroom key of some length");
        ServerHandshake server("n1", &k, nonce());
        ClientHandshake client("n2", PeerRole::Observer, "n1", &k, nonce());
        const Run run = handshake(server, client);
        QVERIFY2(run.failure.empty(), run.failure.c_str());
        QVERIFY(run.serverDone && run.clientDone);
        QCOMPARE(server.peer(), NodeId("n2"));
        QCOMPARE(server.peerRole(), PeerRole::Observer);
        QCOMPARE(client.server(), NodeId("n1"));
    }

    void noKeyOnEitherSide() {
        ServerHandshake server("n1", nullptr, nonce());
        ClientHandshake client("c1", PeerRole::Client, "", nullptr, nonce());
        const Run run = handshake(server, client);
        QVERIFY2(run.failure.empty(), run.failure.c_str());
        QVERIFY(run.serverDone && run.clientDone);
        QCOMPARE(client.server(), NodeId("n1"));  // learnt from the challenge
    }

    void wrongKeyFails() {
        const ClusterKey right = key("the right key, 1234567890");
        const ClusterKey wrong = key("the wrong key, 1234567890");
        {
            // The client checks the server's proof first: a server with another key is refused by the client.
            ServerHandshake server("n1", &wrong, nonce());
            ClientHandshake client("n2", PeerRole::Node, "n1", &right, nonce());
            const Run run = handshake(server, client);
            QVERIFY(!run.serverDone && !run.clientDone);
            QVERIFY2(run.failure.find("another cluster key") != std::string::npos, run.failure.c_str());
        }
        {
            // A client that forges its wire_auth without the key is refused by the server.
            ServerHandshake server("n1", &right, nonce());
            const std::string clientNonce = nonce();
            ClientHandshake honest("n2", PeerRole::Node, "n1", &wrong, clientNonce);
            HandshakeStep challenge = server.onFrame(honest.hello());
            QCOMPARE(challenge.send.size(), std::size_t(1));
            const std::string serverNonce = challenge.send[0].body.fields["nonce"].get<std::string>();
            Envelope auth{"n2", "n1", Body{"wire_auth", 0, std::nullopt,
                                           Json{{"proof", clientProof(wrong, clientNonce, serverNonce, "n2", "n1")}}}};
            HandshakeStep step = server.onFrame(auth);
            QVERIFY(!step.done);
            QVERIFY(step.failure.has_value());
            QCOMPARE(*step.failure, std::string("authentication failed: wrong cluster key"));
        }
    }

    void replayedAuthFails() {
        const ClusterKey k = key("a classroom key of some length");
        const std::string clientNonce = nonce();
        ServerHandshake first("n1", &k, nonce());
        ClientHandshake client("n2", PeerRole::Node, "n1", &k, clientNonce);
        const Run recorded = handshake(first, client);
        QVERIFY(recorded.serverDone);
        QCOMPARE(recorded.clientFrames.size(), std::size_t(2));  // hello, auth
        // An eavesdropper replays both frames on a new connection: the new server's nonce is fresh.
        ServerHandshake second("n1", &k, nonce());
        HandshakeStep hello = second.onFrame(recorded.clientFrames[0]);
        QVERIFY(!hello.failure);
        HandshakeStep auth = second.onFrame(recorded.clientFrames[1]);
        QVERIFY(!auth.done);
        QVERIFY(auth.failure.has_value());
        QCOMPARE(*auth.failure, std::string("authentication failed: wrong cluster key"));
    }

    void replayedChallengeFails() {
        const ClusterKey k = key("a classroom key of some length");
        ServerHandshake server("n1", &k, nonce());
        ClientHandshake first("n2", PeerRole::Node, "n1", &k, nonce());
        const Run recorded = handshake(server, first);
        QVERIFY(recorded.clientDone);
        // A fake server answers a new hello with the recorded challenge: the client's nonce is fresh.
        ClientHandshake second("n2", PeerRole::Node, "n1", &k, nonce());
        HandshakeStep step = second.onFrame(recorded.serverFrames[0]);
        QVERIFY(step.failure.has_value());
        QVERIFY(step.failure->find("another cluster key") != std::string::npos);
        QVERIFY(step.send.empty());  // it never answers with a proof of its own
    }

    void keyedAndUnkeyedSidesRefuseEachOther() {
        const ClusterKey k = key("a classroom key of some length");
        {
            ServerHandshake server("n1", &k, nonce());
            ClientHandshake client("n2", PeerRole::Node, "n1", nullptr, nonce());
            const Run run = handshake(server, client);
            QVERIFY(!run.serverDone && !run.clientDone);
            QVERIFY2(run.failure.find("needs the cluster key") != std::string::npos, run.failure.c_str());
        }
        {
            ServerHandshake server("n1", nullptr, nonce());
            ClientHandshake client("n2", PeerRole::Node, "n1", &k, nonce());
            const Run run = handshake(server, client);
            QVERIFY(!run.serverDone && !run.clientDone);
            QVERIFY2(run.failure.find("has no cluster key") != std::string::npos, run.failure.c_str());
        }
    }

    void malformedHellosFail_data() {
        QTest::addColumn<QString>("mutation");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not a hello") << "type" << "expected wire_hello first";
        QTest::newRow("bad id") << "src" << "src must be";
        QTest::newRow("other node") << "dest" << "is for 'n9'";
        QTest::newRow("version") << "version" << "version must be 1";
        QTest::newRow("short nonce") << "nonce" << "nonce must be 64";
        QTest::newRow("role") << "role" << "role must be";
    }
    void malformedHellosFail() {
        QFETCH(QString, mutation);
        QFETCH(QString, reason);
        ClientHandshake client("n2", PeerRole::Node, "n1", nullptr, nonce());
        Envelope hello = client.hello();
        if (mutation == "type") hello.body.type = "put";
        if (mutation == "src") hello.src = "bad id with spaces";
        if (mutation == "dest") hello.dest = "n9";
        if (mutation == "version") hello.body.fields["version"] = 2;
        if (mutation == "nonce") hello.body.fields["nonce"] = "abcd";
        if (mutation == "role") hello.body.fields["role"] = "admin";
        ServerHandshake server("n1", nullptr, nonce());
        HandshakeStep step = server.onFrame(hello);
        QVERIFY(step.failure.has_value());
        QVERIFY2(step.failure->find(reason.toStdString()) != std::string::npos, step.failure->c_str());
        QVERIFY(step.send.empty());
        // The server is done with this connection: nothing more gets through.
        QVERIFY(server.onFrame(client.hello()).failure.has_value());
    }

    void keyRules() {
        QVERIFY(!ClusterKey::fromText("short").ok());
        QVERIFY(!ClusterKey::fromText("   \n").ok());
        QVERIFY(ClusterKey::fromText("  0123456789abcdef\n").ok());
        const std::string generated = ClusterKey::generateText();
        QCOMPARE(generated.size(), std::size_t(64));
        QVERIFY(generated != ClusterKey::generateText());
        // Surrounding whitespace is not part of the key.
        QCOMPARE(key("0123456789abcdef\n").sign("m"), key("0123456789abcdef").sign("m"));
        QVERIFY(key("0123456789abcdef").sign("m") != key("0123456789abcdeg").sign("m"));
        // HMAC-SHA256 as Python's hmac module computes it for the same key and message.
        QCOMPARE(key("JefeJefeJefeJefe").sign("what do ya want for nothing?"),
                 std::string("2ccd85dfc8d18cb5d84fef4b198554699fece6e8692c9147b0da983f5b7bd413"));
        QVERIFY(validWireId("cn-n1") && validWireId("a.b_c") && !validWireId("") && !validWireId("a b") &&
                !validWireId(std::string(65, 'a')));
    }
};

QTEST_APPLESS_MAIN(TestHandshake)
#include "tst_handshake.moc"
