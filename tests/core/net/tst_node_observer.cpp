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

private:
    static void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
};

QTEST_APPLESS_MAIN(TestNodeObserver)
#include "tst_node_observer.moc"
