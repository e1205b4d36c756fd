// distlab-node's observer and admin stream (core/net/node_host.h), on the counter's lease lock server as a
// real process: an observer receives the node's sends, deliveries, state changes and client operations as
// trace events; admin_status reports the node; admin_partition drops a peer's messages (seen as drops) until
// admin_heal; admin_crash ends the process at once; a non-observer's admin command is refused.
#include <QTemporaryDir>
#include <QtTest>

#include "node_process.h"

using namespace distlab;
using namespace nodeproc;

namespace {

Envelope acquire(const std::string& resource, std::int64_t msgId) {
    return Envelope{"good", "cn-lock",
                    Body{"lock_acquire", msgId, std::nullopt, Json{{"resource", resource}, {"token", resource}, {"ttl_ms", 60000}}}};
}

Envelope admin(const std::string& type, std::int64_t msgId, Json fields = Json::object()) {
    return Envelope{"gui", "cn-lock", Body{type, msgId, std::nullopt, std::move(fields)}};
}

// The observer's events until one of `kind` (about a message of `type`, when given) arrives; empty if none.
std::vector<Json> eventsUntil(RawClient& observer, const std::string& kind, const std::string& type = {}) {
    std::vector<Json> seen;
    for (int i = 0; i < 50; ++i) {
        auto frame = observer.receive();
        if (!frame) break;
        if (frame->body.type != "obs_event") continue;
        seen.push_back(frame->body.fields);
        const Json& event = seen.back();
        if (event.value("kind", "") == kind &&
            (type.empty() || event["message"]["body"].value("type", "") == type))
            return seen;
    }
    return {};
}

}  // namespace

class TestNodeObserver : public QObject {
    Q_OBJECT

private slots:
    void observerSeesTheTraceAndCommandsTheNode() {
        QTemporaryDir dir;
        NodeProcess node(dir.path().toStdString(), {"--id", "cn-lock"});
        QVERIFY2(node.running(), node.log().c_str());

        RawClient observer(node.port());
        QCOMPARE(observer.handshake("gui", nullptr, net::PeerRole::Observer), std::string());
        auto hello = eventsUntil(observer, "restart");
        QVERIFY(!hello.empty());
        QCOMPARE(hello.back().value("node", ""), std::string("cn-lock"));
        QVERIFY(hello.back()["time"].is_number_integer());

        RawClient good(node.port(), 700);
        QCOMPARE(good.handshake("good", nullptr), std::string());
        QVERIFY(good.send(acquire("r1", 1)));
        auto answer = good.receive();
        QVERIFY(answer && answer->body.type == "lock_acquire_ok");

        // deliver, then the lease's state and the holder's op, then the answer's send, in the node's order.
        auto events = eventsUntil(observer, "send", "lock_acquire_ok");
        QVERIFY2(!events.empty(), "no send event for the answer");
        std::vector<std::string> kinds;
        for (const Json& event : events) kinds.push_back(event.value("kind", ""));
        const auto at = [&](const std::string& kind) { return std::find(kinds.begin(), kinds.end(), kind) - kinds.begin(); };
        QVERIFY(at("deliver") < at("state"));
        QVERIFY(at("state") < at("send"));
        QCOMPARE(events[at("deliver")]["message"]["src"].get<std::string>(), std::string("good"));
        QVERIFY(events[at("state")].value("text", "").find("good holds r1") != std::string::npos);
        QCOMPARE(events.back()["message"]["dest"].get<std::string>(), std::string("good"));
        QVERIFY(events.back()["time"].get<std::int64_t>() >= events.front()["time"].get<std::int64_t>());

        // admin_status
        QVERIFY(observer.send(admin("admin_status", 10)));
        std::optional<Envelope> status;
        for (int i = 0; i < 20 && !(status && status->body.type == "admin_status_ok"); ++i) status = observer.receive();
        QVERIFY(status && status->body.type == "admin_status_ok");
        QCOMPARE(status->body.inReplyTo.value_or(0), std::int64_t(10));
        QVERIFY(status->body.fields["now"].is_number_integer());
        QVERIFY(status->body.fields["counters"]["delivered"].get<std::int64_t>() >= 1);

        // Partitioned from `good`: its request is dropped (and the observer sees the drop); healed: answered.
        QVERIFY(observer.send(admin("admin_partition", 11, Json{{"peers", {"good"}}})));
        QVERIFY(!eventsUntil(observer, "cut").empty());
        QVERIFY(good.send(acquire("r2", 2)));
        QVERIFY(!good.receive().has_value());
        QVERIFY(!good.closed());
        auto dropped = eventsUntil(observer, "drop", "lock_acquire");
        QVERIFY2(!dropped.empty(), "no drop event");
        QCOMPARE(dropped.back().value("reason", ""), std::string("partition"));
        QVERIFY(observer.send(admin("admin_heal", 12)));
        QVERIFY(!eventsUntil(observer, "heal").empty());
        QVERIFY(good.send(acquire("r3", 3)));
        answer = good.receive();
        QVERIFY(answer && answer->body.type == "lock_acquire_ok");

        // A client may not give admin commands.
        QVERIFY(good.send(Envelope{"good", "cn-lock", Body{"admin_crash", 4, std::nullopt, Json::object()}}));
        answer = good.receive();
        QVERIFY(answer && answer->body.type == "error");
        QCOMPARE(answer->body.fields.value("code", 0), 10);
        QVERIFY(node.running());

        // admin_crash: the process ends at once, with its exit code.
        QVERIFY(observer.send(admin("admin_crash", 13)));
        int status_ = -1;
        for (int i = 0; i < 200; ++i) {
            int raw = 0;
            if (::waitpid(node.pid(), &raw, WNOHANG) == node.pid()) {
                status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
                break;
            }
            sleepMs(10);
        }
        QCOMPARE(status_, 4);
    }

    // join, join_ok, leave, admin_peer and admin_send at the wire: what the window's membership rests on.
    void membershipMessages() {
        QTemporaryDir dir;
        NodeProcess node(dir.path().toStdString(), {"--id", "cn-lock"});
        QVERIFY2(node.running(), node.log().c_str());
        RawClient observer(node.port());
        QCOMPARE(observer.handshake("gui", nullptr, net::PeerRole::Observer), std::string());
        QVERIFY(!eventsUntil(observer, "restart").empty());
        const auto answerTo = [](RawClient& client, const std::string& type) -> std::optional<Envelope> {
            for (int i = 0; i < 50; ++i) {
                auto frame = client.receive();
                if (!frame) return std::nullopt;
                if (frame->body.type == type) return frame;
            }
            return std::nullopt;
        };

        // A node joins: it learns every address the member knows, the member's own included.
        RawClient joiner(node.port());
        QCOMPARE(joiner.handshake("n9", nullptr, net::PeerRole::Node), std::string());
        QVERIFY(joiner.send(Envelope{"n9", "cn-lock", Body{"join", 1, std::nullopt, Json{{"address", "127.0.0.1:7999"}}}}));
        auto ok = answerTo(joiner, "join_ok");
        QVERIFY(ok);
        QCOMPARE(ok->body.inReplyTo.value_or(-1), std::int64_t(1));
        QCOMPARE(ok->body.fields["peers"]["cn-lock"].get<std::string>(), "127.0.0.1:" + std::to_string(node.port()));
        QVERIFY(!ok->body.fields["peers"].contains("n9"));
        auto joined = eventsUntil(observer, "join");
        QVERIFY(!joined.empty());
        QCOMPARE(joined.back()["id"].get<std::string>(), std::string("n9"));
        QCOMPARE(joined.back()["address"].get<std::string>(), std::string("127.0.0.1:7999"));
        // It leaves.
        QVERIFY(joiner.send(Envelope{"n9", "cn-lock", Body{"leave", 2, std::nullopt, Json::object()}}));
        auto left = eventsUntil(observer, "leave");
        QVERIFY(!left.empty());
        QCOMPARE(left.back()["id"].get<std::string>(), std::string("n9"));

        // A join without an address, or from a client, is refused with a reason.
        RawClient badJoin(node.port());
        QCOMPARE(badJoin.handshake("n8", nullptr, net::PeerRole::Node), std::string());
        QVERIFY(badJoin.send(Envelope{"n8", "cn-lock", Body{"join", 1, std::nullopt, Json{{"address", 7}}}}));
        auto error = answerTo(badJoin, "error");
        QVERIFY(error);
        QVERIFY2(error->body.fields.value("text", "").find("join") != std::string::npos, error->body.fields.dump().c_str());
        RawClient client(node.port());
        QCOMPARE(client.handshake("c9", nullptr), std::string());
        QVERIFY(client.send(Envelope{"c9", "cn-lock", Body{"join", 1, std::nullopt, Json{{"address", "127.0.0.1:1"}}}}));
        error = answerTo(client, "error");
        QVERIFY(error);
        QVERIFY(error->body.fields.value("text", "").find("for nodes") != std::string::npos);

        // admin_peer: a good address is taken, a bad one is refused.
        QVERIFY(observer.send(admin("admin_peer", 20, Json{{"id", "n5"}, {"address", "127.0.0.1:7005"}})));
        QVERIFY(answerTo(observer, "admin_ok"));
        QVERIFY(observer.send(admin("admin_peer", 21, Json{{"id", "n5"}, {"address", "nowhere"}})));
        error = answerTo(observer, "error");
        QVERIFY(error);
        QVERIFY(error->body.fields.value("text", "").find("admin_peer") != std::string::npos);
        QVERIFY(observer.send(admin("admin_peer", 22, Json{{"id", "n5"}, {"address", nullptr}})));
        QVERIFY(answerTo(observer, "admin_ok"));

        // admin_send: the node sends the body as its own message (here to a client that is connected).
        QVERIFY(observer.send(admin("admin_send", 23, Json{{"dest", "c9"}, {"body", Json{{"type", "ping_test"}, {"x", 1}}}})));
        auto sent = answerTo(observer, "admin_ok");
        QVERIFY(sent);
        QVERIFY2(sent->body.fields["sent_msg_id"].get<std::int64_t>() > 0, envelopeToJson(*sent).dump().c_str());
        auto delivered = answerTo(client, "ping_test");
        QVERIFY(delivered);
        QCOMPARE(delivered->src, std::string("cn-lock"));
        QCOMPARE(delivered->body.fields["x"].get<int>(), 1);
        QVERIFY(observer.send(admin("admin_send", 24, Json{{"dest", "c9"}, {"body", Json{{"no_type", 1}}}})));
        QVERIFY(answerTo(observer, "error"));
        QVERIFY(node.running());
    }

private:
    static void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
};

QTEST_APPLESS_MAIN(TestNodeObserver)
#include "tst_node_observer.moc"
