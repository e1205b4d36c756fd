// Untrusted bodies at the queue lab's nodes: for 100 seeds, tens of thousands of mutated messages of every
// queue-lab type (fields dropped, retyped, negative, huge, overlong, nested) and random types are sent by a
// stranger to the broker, the producer, a consumer and the ledger while a real workload runs through them.
// (The operator's control messages, mq_produce, mq_mode, mq_subscribe and mq_settle, go to the producer and
// the consumer only in their mutated, malformed form: a well-formed one is an order they follow; and x never
// sends the broker a well-formed consume, which would make it a consumer entitled to take messages.) Nothing
// crashes or trips an assertion, every malformed request to the broker is answered with an error, and once
// the noise stops the workload has still confirmed every message, and its consumer processed each, applying
// it at most once. A failure prints the seed.
#include <QTest>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/protocols/mq/broker.h"
#include "core/protocols/mq/consumer.h"
#include "core/protocols/mq/ledger.h"
#include "core/protocols/mq/mq_client_messages.h"
#include "core/protocols/mq/mq_messages.h"
#include "core/protocols/mq/producer.h"
#include "core/base/rng.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"

using namespace distlab;
using namespace distlab::mq;

namespace {

constexpr std::uint64_t kSeeds = 100;
constexpr int kNoisePerSeed = 600;

// A value of a random JSON shape, sometimes plausible, sometimes hostile.
Json randomValue(Rng& rng) {
    switch (rng.uniform(0, 12)) {
        case 0:
            return nullptr;
        case 1:
            return rng.chance(0.5);
        case 2:
            return rng.uniform(-5, 6);
        case 3:
            return std::int64_t(1) << 62;
        case 4:
            return -(std::int64_t(1) << 62);
        case 5:
            return 3.75;
        case 6:
            return std::string("orders");
        case 7:
            return std::string(rng.uniform(60, 5000), 'x');
        case 8:
            return std::string("a/b\x01\xc3\xa9\n");  // a slash, a control character, an accent
        case 9:
            return Json::array({1, "two", nullptr});
        case 10:
            return Json{{"nested", Json{{"deeper", 1}}}};
        default:
            return std::string("m") + std::to_string(rng.uniform(1, 50));
    }
}

// A sample of a queue-lab type with one to three of its fields dropped, retyped or added; or, now and
// then, a made-up type.
Body mutated(Rng& rng, const std::vector<Body>& samples) {
    if (rng.chance(0.05)) return Body{"mq_" + std::to_string(rng.uniform(0, 1000)), 0, {}, Json::object()};
    Body body = samples[std::size_t(rng.uniform(0, std::int64_t(samples.size())))];
    const std::int64_t changes = rng.uniform(1, 4);
    for (std::int64_t i = 0; i < changes; ++i) {
        std::vector<std::string> keys;
        for (const auto& [key, value] : body.fields.items()) keys.push_back(key);
        const std::int64_t what = rng.uniform(0, 3);
        if (what == 0 && !keys.empty()) {
            body.fields.erase(keys[std::size_t(rng.uniform(0, std::int64_t(keys.size())))]);
        } else if (what == 1 && !keys.empty()) {
            body.fields[keys[std::size_t(rng.uniform(0, std::int64_t(keys.size())))]] = randomValue(rng);
        } else {
            body.fields["extra" + std::to_string(rng.uniform(0, 3))] = randomValue(rng);
        }
    }
    return body;
}

bool isBrokerRequest(std::string_view type) {
    return type == MqDeclare::kType || type == MqBind::kType || type == MqPublish::kType ||
           type == MqConsume::kType || type == MqCancel::kType;
}

bool isControl(std::string_view type) {
    return type == MqProduce::kType || type == MqMode::kType || type == MqSubscribe::kType ||
           type == MqSettle::kType;
}

// True when the strict reader of a control message refuses it.
bool malformed(const Body& body) {
    if (body.type == MqProduce::kType) return !parseMqProduce(body);
    if (body.type == MqMode::kType) return !parseMqMode(body);
    if (body.type == MqSubscribe::kType) return !parseMqSubscribe(body);
    if (body.type == MqSettle::kType) return !parseMqSettle(body);
    return true;
}

}  // namespace

class TestMqFuzz : public QObject {
    Q_OBJECT
private slots:
    void mutatedMessagesChangeNothingThatMatters() {
        std::vector<Body> samples = mqSampleMessages();
        for (Body& body : mqClientSampleMessages()) samples.push_back(std::move(body));
        QVERIFY(samples.size() > 20);
        std::uint64_t refused = 0, sent = 0;
        for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
            const QByteArray where = "seed " + QByteArray::number(qulonglong(seed));
            World world(seed);
            BrokerConfig broker;
            broker.heartbeatMs = 200;
            broker.ackTimeoutMs = 1000;
            ConsumerConfig consumer;
            consumer.heartbeatMs = 200;
            bool added =
                world.addNode("broker", [broker] { return std::make_unique<Broker>(broker); }).ok() &&
                world.addNode("prod", [] { return std::make_unique<Producer>(); }).ok() &&
                world.addNode("ledger", [] { return std::make_unique<Ledger>(); }).ok() &&
                world.addNode("w1", [consumer] { return std::make_unique<Consumer>(consumer); }).ok() &&
                support::addProbe(world, "ctl") && support::addProbe(world, "x");
            QVERIFY2(added, where.constData());
            world.runUntil(millis(1), 1'000'000);
            QVERIFY(world.sendFrom("ctl", "broker", makeBody(MqDeclare{"orders", true})).ok());
            world.runUntil(millis(50), 1'000'000);  // declared before anything is published to it
            MqSubscribe subscribe;
            subscribe.queue = "orders";
            subscribe.prefetch = 3;
            subscribe.idempotent = true;
            subscribe.process_ms = 5;
            QVERIFY(world.sendFrom("ctl", "w1", makeBody(subscribe)).ok());
            MqProduce produce;
            produce.queue = "orders";
            produce.count = 30;
            produce.persistent = true;
            produce.interval_ms = 20;
            QVERIFY(world.sendFrom("ctl", "prod", makeBody(produce)).ok());

            // Noise from a stranger "x" while the workload runs.
            Rng rng(seed * 104729 + 3);
            std::vector<std::int64_t> brokerRequests;  // msg ids of malformed-looking requests to the broker
            const std::vector<std::string> targets = {"broker", "prod", "w1", "ledger"};
            for (int i = 0; i < kNoisePerSeed; ++i) {
                const std::string& to = targets[std::size_t(rng.uniform(0, 4))];
                Body body = mutated(rng, samples);
                if ((to == "prod" || to == "w1") && isControl(body.type) && !malformed(body)) continue;
                // A well-formed consume would make x a consumer, free to take and reject w1's work.
                if (to == "broker" && body.type == MqConsume::kType && parseMqConsume(body)) continue;
                const bool request = to == "broker" && isBrokerRequest(body.type);
                Result<std::int64_t> id = world.sendFrom("x", to, std::move(body));
                QVERIFY2(id.ok(), where.constData());
                if (request) brokerRequests.push_back(id.value());
                ++sent;
                world.runUntil(world.now() + millis(1), 1'000'000);
            }
            // Every request the broker got from x is answered: an error or its ok.
            world.runUntil(world.now() + millis(100), 1'000'000);
            const auto* probe = support::findProbe(world, "x");
            std::set<std::int64_t> answered;
            for (const Envelope& message : probe->received) {
                if (message.src != "broker" || !message.body.inReplyTo) continue;
                answered.insert(*message.body.inReplyTo);
                refused += message.body.type == "error";
            }
            for (std::int64_t id : brokerRequests)
                QVERIFY2(answered.contains(id),
                         (where + " request " + QByteArray::number(qlonglong(id))).constData());

            // The noise may have cancelled w1's channel or acked for it (x is not w1, so it cannot),
            // published junk into orders, or declared queues; none of it may cost a confirmed message of the
            // workload.
            world.runUntil(world.now() + millis(6000), 5'000'000);
            const auto* producer = dynamic_cast<const Producer*>(world.node(*world.indexOf("prod")));
            const auto* ledger = dynamic_cast<const Ledger*>(world.node(*world.indexOf("ledger")));
            QVERIFY2(producer && ledger, where.constData());
            QCOMPARE(producer->confirmed(), std::uint64_t(30));
            // The ledger is a database anyone may write to, so x's own applies count there; what w1 applied
            // is in the history under its name.
            // (x's apply may even come first, and w1's idempotent apply then finds the id processed.)
            std::map<std::string, int> appliedByW1, seenByW1;
            for (const ClientOp& op : world.trace().clientOps()) {
                if (op.f != "effect" || op.value.value("consumer", "") != "w1") continue;
                const std::string id = op.value.value("message_id", "");
                ++seenByW1[id];
                appliedByW1[id] += op.value.value("applied", false);
            }
            for (int n = 1; n <= 30; ++n) {
                const std::string id = "m" + std::to_string(n);
                const QByteArray what = where + " " + QByteArray::fromStdString(id) + ": w1 applied it " +
                                        QByteArray::number(appliedByW1[id]) + " times, asked " +
                                        QByteArray::number(seenByW1[id]);
                QVERIFY2(seenByW1[id] >= 1 && appliedByW1[id] <= 1, what.constData());
            }
            QVERIFY(ledger->appliedTotal() >= 30);
        }
        qInfo("%llu mutated messages over %llu seeds; the broker refused %llu requests",
              (unsigned long long)sent, (unsigned long long)kSeeds, (unsigned long long)refused);
        QVERIFY(refused > 0);
    }
};

QTEST_GUILESS_MAIN(TestMqFuzz)
#include "tst_mq_fuzz.moc"
