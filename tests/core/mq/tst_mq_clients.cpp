// The queue lab's producer, consumers and ledger, story by story, inside a World with the real broker:
// confirms for every persistent message; a dropped confirm makes a republish (the broker then holds the
// message twice); message numbers survive produces and restarts; brokerless push round robin and pubsub,
// and a full inbox drops; consumers process and ack in order without exceeding their prefetch; a poison
// message is nacked until the broker dead-letters it; a consumer that dies after the ledger applied the
// effect but before its ack makes a duplicate effect unless it is idempotent; a restarted consumer resumes
// its subscription (cancel, then consume); a manual consumer holds deliveries until mq_settle; after a
// broker restart a consumer forgets what it held and consumes again; and the recorded history is exactly
// what the specification lists.
#include <QTest>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/protocols/mq/broker.h"
#include "core/protocols/mq/consumer.h"
#include "core/protocols/mq/ledger.h"
#include "core/protocols/mq/mq_client_messages.h"
#include "core/protocols/mq/producer.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"

using namespace distlab;
using namespace distlab::mq;

namespace {

constexpr std::uint64_t kEventsMax = 5'000'000;

struct LabConfig {
    BrokerConfig broker;
    ProducerConfig producer;
    ConsumerConfig consumer;
    std::vector<std::string> consumers = {"w1", "w2"};
    std::uint64_t seed = 1;
};

// broker, prod, ledger, the consumers and ctl, on a quiet network.
class MqLab {
public:
    explicit MqLab(const LabConfig& config = {}) : world(config.seed) {
        bool added =
            world.addNode("broker", [c = config.broker] { return std::make_unique<Broker>(c); }).ok();
        added = added &&
                world.addNode("prod", [c = config.producer] { return std::make_unique<Producer>(c); }).ok();
        added = added && world.addNode("ledger", [] { return std::make_unique<Ledger>(); }).ok();
        for (const std::string& id : config.consumers)
            added = added &&
                    world.addNode(id, [c = config.consumer] { return std::make_unique<Consumer>(c); }).ok();
        added = added && support::addProbe(world, "ctl");
        if (!added) QTest::qFail("cannot build the lab", __FILE__, __LINE__);
        run(1);
    }

    void run(std::int64_t ms) { world.runUntil(world.now() + millis(ms), kEventsMax); }
    // Sends from ctl and returns the answer (or "no-answer").
    Body ask(const std::string& to, Body request, std::int64_t waitMs = 40) {
        Result<std::int64_t> msgId = world.sendFrom("ctl", to, std::move(request));
        if (!msgId) return Body{"send-failed", 0, {}, {}};
        run(waitMs);
        return ctl()->answerTo(msgId.value());
    }
    int errorCode(const std::string& to, Body request) {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(ask(to, std::move(request)));
        return error ? error->code : -1;
    }
    bool declare(const std::string& queue, bool durable) {
        return ask("broker", makeBody(MqDeclare{queue, durable})).type == MqDeclareOk::kType;
    }
    // The produce's first and last numbers, or {0, 0}.
    std::pair<std::int64_t, std::int64_t> produce(const std::string& queue, std::int64_t count,
                                                  bool persistent, bool poison = false,
                                                  std::int64_t intervalMs = 0) {
        Result<MqProduceOk> ok = parseMqProduceOk(
            ask("prod", makeBody(MqProduce{queue, count, persistent, poison, intervalMs}), 20));
        return ok ? std::pair{ok->first, ok->last} : std::pair<std::int64_t, std::int64_t>{0, 0};
    }
    bool subscribe(const std::string& consumer, MqSubscribe subscription) {
        return ask(consumer, makeBody(subscription), 20).type == MqSubscribeOk::kType;
    }
    bool mode(const std::string& node, MqMode mode) {
        return ask(node, makeBody(mode), 20).type == MqModeOk::kType;
    }

    // The recorded operations, optionally of one process and one function.
    std::vector<ClientOp> ops(const std::string& process = {}, const std::string& f = {}) const {
        std::vector<ClientOp> out;
        for (const ClientOp& op : world.trace().clientOps()) {
            if ((process.empty() || op.process == process) && (f.empty() || op.f == f)) out.push_back(op);
        }
        return out;
    }
    // "m1 m2*": the message ids of a process's ops of one kind, * marking redelivered.
    std::string opIds(const std::string& process, const std::string& f) const {
        std::string out;
        for (const ClientOp& op : ops(process, f))
            out += (out.empty() ? "" : " ") + op.value.value("message_id", std::string("?")) +
                   (op.value.value("redelivered", false) ? "*" : "");
        return out;
    }
    std::string ready(const std::string& queue) {
        const MqQueue* q = broker() ? broker()->queue(queue) : nullptr;
        if (!q) return "<none>";
        std::string out;
        for (const auto& [position, message] : q->ready)
            out += (out.empty() ? "" : " ") + message.messageId + (message.redelivered ? "*" : "");
        return out;
    }
    std::string inbox(const std::string& consumer) {
        std::string out;
        for (const ConsumerDelivery& d : this->consumer(consumer)->inbox())
            out += (out.empty() ? "" : " ") + d.messageId + (d.redelivered ? "*" : "");
        return out;
    }
    // The types of the messages `from` sent to `to` at or after `since`, in send order.
    std::vector<std::string> sent(const std::string& from, const std::string& to, SimTime since) const {
        std::vector<std::string> out;
        const Trace& trace = world.trace();
        for (std::uint64_t seq = 0; seq < trace.messageCount(); ++seq) {
            const MessageRecord& record = trace.message(seq);
            if (record.sentAt >= since && record.envelope.src == from && record.envelope.dest == to)
                out.push_back(record.envelope.body.type);
        }
        return out;
    }
    // Steps until pred() holds (true) or nothing is left to do / the step budget is spent (false).
    template <class Pred>
    bool stepUntil(Pred pred, int stepsMax = 200'000) {
        for (int i = 0; i < stepsMax; ++i) {
            if (pred()) return true;
            if (!world.step()) return pred();
        }
        return pred();
    }

    Broker* broker() { return dynamic_cast<Broker*>(world.node(*world.indexOf("broker"))); }
    Producer* producer() { return dynamic_cast<Producer*>(world.node(*world.indexOf("prod"))); }
    Ledger* ledger() { return dynamic_cast<Ledger*>(world.node(*world.indexOf("ledger"))); }
    Consumer* consumer(const std::string& id) {
        return dynamic_cast<Consumer*>(world.node(*world.indexOf(id)));
    }
    support::Probe* ctl() { return support::findProbe(world, "ctl"); }

    World world;
};

MqSubscribe subscription(const std::string& queue, std::int64_t prefetch = 1, std::int64_t processMs = 20,
                         bool idempotent = false, bool manual = false) {
    return MqSubscribe{queue, prefetch, idempotent, processMs, 0.0, manual};
}

std::set<std::string> keysOf(const Json& object) {
    std::set<std::string> keys;
    for (const auto& [key, value] : object.items()) keys.insert(key);
    return keys;
}

std::string ids(std::int64_t first, std::int64_t last) {
    std::string out;
    for (std::int64_t i = first; i <= last; ++i) out += (out.empty() ? "" : " ") + mqMessageId(i);
    return out;
}

}  // namespace

Q_DECLARE_METATYPE(distlab::Body)

class TestMqClients : public QObject {
    Q_OBJECT

private slots:
    // --- the producer, amqp ---

    void producerGetsAConfirmForEveryMessage_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("durable");
        QTest::addColumn<bool>("persistent");
        QTest::newRow("5 persistent to a durable queue") << 5 << true << true;
        QTest::newRow("20 transient to a durable queue") << 20 << true << false;
        QTest::newRow("3 persistent to a transient queue") << 3 << false << true;
    }
    void producerGetsAConfirmForEveryMessage() {
        QFETCH(int, count);
        QFETCH(bool, durable);
        QFETCH(bool, persistent);
        MqLab lab;
        QVERIFY(lab.declare("q", durable));
        QCOMPARE(lab.produce("q", count, persistent), (std::pair<std::int64_t, std::int64_t>{1, count}));
        lab.run(100);
        QCOMPARE(lab.producer()->published(), std::uint64_t(count));
        QCOMPARE(lab.producer()->confirmed(), std::uint64_t(count));
        QVERIFY(lab.producer()->unconfirmed().empty());
        QVERIFY(lab.producer()->toPublish().empty());
        QCOMPARE(lab.ready("q"), ids(1, count));
        QCOMPARE(lab.opIds("prod", "publish"), ids(1, count) + " " + ids(1, count));  // invoke, then ok
        const std::size_t onDisk = lab.world.store(*lab.world.indexOf("broker")).scan(kMqMessageStorePrefix).size();
        QCOMPARE(onDisk, std::size_t(durable && persistent ? count : 0));
        // Each confirm completes its own op: ok follows the invoke with the same op id.
        std::map<std::int64_t, std::vector<OpPhase>> phases;
        for (const ClientOp& op : lab.ops("prod", "publish")) phases[op.opId].push_back(op.phase);
        QCOMPARE(phases.size(), std::size_t(count));
        for (const auto& [opId, list] : phases)
            QCOMPARE(list, (std::vector<OpPhase>{OpPhase::Invoke, OpPhase::Ok}));
    }

    void messageNumbersContinueOverProducesAndRestarts() {
        MqLab lab;
        QVERIFY(lab.declare("q", true));
        QCOMPARE(lab.produce("q", 3, true), (std::pair<std::int64_t, std::int64_t>{1, 3}));
        QCOMPARE(lab.produce("q", 2, true), (std::pair<std::int64_t, std::int64_t>{4, 5}));
        lab.run(50);
        QVERIFY(lab.world.crash("prod").ok());
        QVERIFY(lab.world.restart("prod").ok());
        lab.run(1);
        QCOMPARE(lab.producer()->nextNumber(), std::int64_t(6));
        QCOMPARE(lab.produce("q", 2, true), (std::pair<std::int64_t, std::int64_t>{6, 7}));
        lab.run(50);
        QCOMPARE(lab.ready("q"), ids(1, 7));
        // Op ids stay unique per node across the restart too.
        std::set<std::int64_t> opIds;
        for (const ClientOp& op : lab.ops("prod", "publish")) {
            if (op.phase == OpPhase::Invoke) QVERIFY(opIds.insert(op.opId).second);
        }
        QCOMPARE(opIds, (std::set<std::int64_t>{1, 2, 3, 4, 5, 6, 7}));
    }

    void aDroppedConfirmMakesARepublish() {
        MqLab lab;
        QVERIFY(lab.declare("q", true));
        QVERIFY(lab.world.cut("broker", "prod").ok());  // confirms are lost, publishes arrive
        QCOMPARE(lab.produce("q", 1, true), (std::pair<std::int64_t, std::int64_t>{1, 1}));
        lab.run(100);
        QCOMPARE(lab.ready("q"), std::string("m1"));
        QCOMPARE(lab.producer()->unconfirmed(), std::vector<std::string>{"m1"});
        lab.world.heal();
        lab.run(600);  // the confirm timeout (500 ms) passes: m1 is published again and confirmed
        QCOMPARE(lab.producer()->confirmed(), std::uint64_t(1));
        QVERIFY(lab.producer()->unconfirmed().empty());
        QCOMPARE(lab.ready("q"), std::string("m1 m1"));  // at least once: the broker holds it twice
        QCOMPARE(lab.broker()->stats().published, std::uint64_t(2));
        // A republish records nothing new: one invoke, one ok.
        QCOMPARE(lab.ops("prod", "publish").size(), std::size_t(2));
        QCOMPARE(lab.producer()->published(), std::uint64_t(1));
    }

    void publishOutcomes_data() {
        QTest::addColumn<QString>("story");
        QTest::addColumn<int>("phase");
        QTest::addColumn<QString>("error");
        QTest::addColumn<int>("publishes");  // mq_publish messages sent
        QTest::newRow("no confirm ever: unknown after republishMax")
            << "cut" << int(OpPhase::Unknown) << "no confirm" << 3;
        QTest::newRow("unroutable: the error reply fails the op")
            << "unroutable" << int(OpPhase::Fail) << "unroutable: no queue or exchange named nowhere" << 1;
        QTest::newRow("refused after a republish: unknown, an earlier copy may have landed")
            << "refused after republish" << int(OpPhase::Unknown) << "queue q is full" << 2;
    }
    void publishOutcomes() {
        QFETCH(QString, story);
        QFETCH(int, phase);
        QFETCH(QString, error);
        QFETCH(int, publishes);
        LabConfig config;
        config.producer.confirmTimeoutMs = 100;
        config.producer.republishMax = 2;
        config.broker.messagesPerQueueMax = 1;
        MqLab lab(config);
        QVERIFY(lab.declare("q", false));
        const SimTime start = lab.world.now();
        std::string queue = "q";
        if (story == "cut") {
            QVERIFY(lab.world.cut("prod", "broker").ok());
        } else if (story == "unroutable") {
            queue = "nowhere";
        } else {
            QVERIFY(lab.world.cut("broker", "prod").ok());  // the first confirm is lost; the copy fills q
        }
        QVERIFY(lab.produce(queue, 1, false).first == 1);
        if (story == "refused after republish") {
            lab.run(50);
            lab.world.heal();
        }
        lab.run(1000);
        const std::vector<ClientOp> ops = lab.ops("prod", "publish");
        QCOMPARE(ops.size(), std::size_t(2));
        QCOMPARE(int(ops[1].phase), phase);
        QCOMPARE(ops[1].opId, ops[0].opId);
        QCOMPARE(keysOf(ops[1].value), (std::set<std::string>{"message_id", "error"}));
        QVERIFY(ops[1].value["message_id"] == Json("m1"));
        QVERIFY2(ops[1].value["error"].get<std::string>().find(error.toStdString()) != std::string::npos,
                 ops[1].value.dump().c_str());
        QVERIFY(lab.producer()->unconfirmed().empty());
        QCOMPARE(lab.producer()->confirmed(), std::uint64_t(0));
        const std::vector<std::string> sent = lab.sent("prod", "broker", start);
        QCOMPARE(int(std::count(sent.begin(), sent.end(), std::string(MqPublish::kType))), publishes);
    }

    void intervalSpacesThePublishesAndAProduceAppends() {
        MqLab lab;
        QVERIFY(lab.declare("q", false));
        QCOMPARE(lab.produce("q", 3, false, false, 100), (std::pair<std::int64_t, std::int64_t>{1, 3}));
        QCOMPARE(lab.producer()->toPublish().size(), std::size_t(2));  // m1 went at once
        // A produce while the first is still sending goes behind it, at its own pace.
        QCOMPARE(lab.produce("q", 2, false, false, 0), (std::pair<std::int64_t, std::int64_t>{4, 5}));
        QCOMPARE(lab.producer()->toPublish().size(), std::size_t(4));
        lab.run(500);
        std::vector<SimTime> sentAt;
        const SimTime start = lab.ops("prod", "publish").at(0).time;
        for (const ClientOp& op : lab.ops("prod", "publish")) {
            if (op.phase == OpPhase::Invoke) sentAt.push_back(op.time - start);
        }
        QCOMPARE(sentAt, (std::vector<SimTime>{0, millis(100), millis(200), millis(200), millis(200)}));
        QCOMPARE(lab.ready("q"), ids(1, 5));
        QCOMPARE(lab.producer()->confirmed(), std::uint64_t(5));
    }

    // --- brokerless ---

    void brokerlessPushAndPubSub_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<std::string>("w1Got");
        QTest::addColumn<std::string>("w2Got");
        QTest::addColumn<std::int64_t>("effectsEach");
        QTest::newRow("push: round robin")
            << "push" << std::string("m1 m3 m5") << std::string("m2 m4 m6") << std::int64_t(1);
        QTest::newRow("pubsub: everyone gets everything")
            << "pubsub" << ids(1, 6) << ids(1, 6) << std::int64_t(2);
    }
    void brokerlessPushAndPubSub() {
        QFETCH(QString, pattern);
        QFETCH(std::string, w1Got);
        QFETCH(std::string, w2Got);
        QFETCH(std::int64_t, effectsEach);
        MqLab lab;
        for (const char* w : {"w1", "w2"}) {
            QVERIFY(lab.mode(w, MqMode{"brokerless", "push", {}}));
            QVERIFY(lab.subscribe(w, subscription("q", 1, 5)));
        }
        QVERIFY(lab.mode("prod", MqMode{"brokerless", pattern.toStdString(), {{"q", {"w1", "w2"}}}}));
        QCOMPARE(lab.producer()->mode(), DeliveryMode::Brokerless);
        lab.produce("q", 6, true);
        lab.run(500);
        QCOMPARE(lab.opIds("w1", "deliver"), w1Got);
        QCOMPARE(lab.opIds("w2", "deliver"), w2Got);
        for (std::int64_t i = 1; i <= 6; ++i)
            QCOMPARE(lab.ledger()->effectCount(mqMessageId(i)), effectsEach);
        // No broker anywhere: nothing was published to it, nothing acked, no channel opened.
        QCOMPARE(lab.broker()->stats().published, std::uint64_t(0));
        QVERIFY(lab.broker()->channels().empty());
        QCOMPARE(lab.consumer("w1")->acked(), std::uint64_t(0));
        QCOMPARE(lab.producer()->confirmed(), std::uint64_t(0));
        QCOMPARE(lab.producer()->published(), std::uint64_t(6));
        // Every publish completes right after its push.
        for (const ClientOp& op : lab.ops("prod", "publish")) {
            if (op.phase == OpPhase::Invoke) QVERIFY(op.value["mode"] == Json("brokerless"));
            if (op.phase != OpPhase::Ok) continue;
            if (pattern == QLatin1String("pubsub")) {  // and says whom each copy went to
                QCOMPARE(keysOf(op.value), (std::set<std::string>{"queue", "message_id", "sent_to"}));
                QCOMPARE(op.value["sent_to"].dump(), std::string(R"(["w1","w2"])"));
            } else {
                QCOMPARE(keysOf(op.value), (std::set<std::string>{"queue", "message_id"}));
            }
        }
        QCOMPARE(lab.ops("prod", "publish").size(), std::size_t(12));
        // A queue without subscribers: the message goes nowhere, and the ok says so.
        lab.produce("nobody", 1, false);
        lab.run(10);
        const ClientOp last = lab.ops("prod", "publish").back();
        QCOMPARE(last.phase, OpPhase::Ok);
        QVERIFY(last.value == (Json{{"queue", "nobody"}, {"message_id", "m7"}, {"subscribers", 0}}));
    }

    void aFullBrokerlessInboxDrops() {
        MqLab lab;
        QVERIFY(lab.mode("w1", MqMode{"brokerless", "push", {}}));
        QVERIFY(lab.subscribe("w1", subscription("q", 1, 1000)));
        QVERIFY(lab.mode("prod", MqMode{"brokerless", "push", {{"q", {"w1"}}}}));
        lab.produce("q", 20, false);
        lab.run(50);
        // One in hand, eight waiting (inboxMax), eleven dropped at the high-water mark.
        QCOMPARE(lab.consumer("w1")->processing(), std::string("m1"));
        QCOMPARE(lab.inbox("w1"), ids(2, 9));
        QCOMPARE(lab.consumer("w1")->received(), std::uint64_t(9));
        QCOMPARE(lab.consumer("w1")->dropped(), std::uint64_t(11));
        QCOMPARE(lab.opIds("w1", "drop"), ids(10, 20));
        for (const ClientOp& op : lab.ops("w1", "drop")) {
            QCOMPARE(op.phase, OpPhase::Ok);
            QVERIFY(op.value["reason"] == Json("inbox full"));
            QVERIFY(op.value["queue"] == Json("q"));
        }
        lab.run(10'000);
        QCOMPARE(lab.ledger()->appliedTotal(), std::int64_t(9));
        QCOMPARE(lab.consumer("w1")->effects(), std::uint64_t(9));
        QVERIFY(lab.consumer("w1")->inbox().empty());
        // The dropped ones were never applied: at most once.
        QCOMPARE(lab.ledger()->effectCount("m10"), std::int64_t(0));
    }

    void brokerlessFailureIsAPlainDrop() {
        MqLab lab;
        QVERIFY(lab.mode("w1", MqMode{"brokerless", "push", {}}));
        QVERIFY(lab.subscribe("w1", subscription("q", 1, 5)));
        QVERIFY(lab.mode("prod", MqMode{"brokerless", "push", {{"q", {"w1"}}}}));
        lab.produce("q", 1, false, /*poison=*/true);
        lab.run(200);
        const std::vector<ClientOp> nacks = lab.ops("w1", "nack");
        QCOMPARE(nacks.size(), std::size_t(1));
        QVERIFY(nacks[0].value == (Json{{"queue", "q"}, {"message_id", "m1"}, {"requeue", false}}));
        QCOMPARE(lab.ledger()->appliedTotal(), std::int64_t(0));
        QCOMPARE(lab.consumer("w1")->nacked(), std::uint64_t(1));
    }

    // --- consumers, amqp ---

    void consumerProcessesAndAcksInOrderWithinItsPrefetch_data() {
        QTest::addColumn<std::int64_t>("prefetch");
        QTest::newRow("prefetch 1") << std::int64_t(1);
        QTest::newRow("prefetch 2") << std::int64_t(2);
        QTest::newRow("prefetch 5") << std::int64_t(5);
    }
    void consumerProcessesAndAcksInOrderWithinItsPrefetch() {
        QFETCH(std::int64_t, prefetch);
        MqLab lab;
        QVERIFY(lab.declare("q", true));
        QVERIFY(lab.subscribe("w1", subscription("q", prefetch, 50)));
        lab.run(50);
        QCOMPARE(lab.consumer("w1")->channel(), ChannelState::Open);
        lab.produce("q", 8, true);
        std::size_t heldMax = 0;
        const bool done = lab.stepUntil([&] {
            Consumer* w1 = lab.consumer("w1");
            const std::size_t held = w1->inbox().size() + (w1->processing().empty() ? 0 : 1);
            heldMax = std::max(heldMax, held);
            const MqChannel* channel = lab.broker()->channel("w1", "q");
            if (!channel || std::int64_t(channel->unacked.size()) > prefetch || std::int64_t(held) > prefetch)
                return true;  // stop and fail below
            return w1->acked() == 8;
        });
        QVERIFY(done);
        QCOMPARE(lab.consumer("w1")->acked(), std::uint64_t(8));
        QCOMPARE(std::int64_t(heldMax), prefetch);  // it was used, and never exceeded
        QCOMPARE(lab.opIds("w1", "ack"), ids(1, 8));
        QCOMPARE(lab.opIds("w1", "deliver"), ids(1, 8));
        lab.run(50);
        QCOMPARE(lab.ready("q"), std::string());
        QCOMPARE(lab.broker()->unackedCount("q"), std::size_t(0));
        QCOMPARE(lab.broker()->stats().acked, std::uint64_t(8));
        QCOMPARE(lab.broker()->stats().channelErrors, std::uint64_t(0));
        // Each ack comes after the effect of its message was applied.
        std::map<std::string, SimTime> appliedAt;
        for (const ClientOp& op : lab.ops("ledger", "effect")) appliedAt[op.value["message_id"]] = op.time;
        for (const ClientOp& op : lab.ops("w1", "ack")) {
            const std::string id = op.value["message_id"];
            QVERIFY2(appliedAt.contains(id) && appliedAt[id] < op.time, id.c_str());
            QCOMPARE(lab.ledger()->effectCount(id), std::int64_t(1));
        }
    }

    void twoConsumersShareTheQueue() {
        MqLab lab;
        QVERIFY(lab.declare("q", false));
        QVERIFY(lab.subscribe("w1", subscription("q", 1, 30)));
        QVERIFY(lab.subscribe("w2", subscription("q", 1, 30)));
        lab.run(50);
        lab.produce("q", 10, false);
        lab.run(2000);
        QCOMPARE(lab.consumer("w1")->acked() + lab.consumer("w2")->acked(), std::uint64_t(10));
        QVERIFY(lab.consumer("w1")->acked() > 0 && lab.consumer("w2")->acked() > 0);
        QCOMPARE(lab.ledger()->appliedTotal(), std::int64_t(10));
        QVERIFY(lab.ledger()->appliedTwice().empty());
    }

    void aPoisonMessageIsNackedUntilDeadLettered() {
        LabConfig config;
        config.broker.deliveryLimit = 3;
        MqLab lab(config);
        QVERIFY(lab.declare("q", true));
        QVERIFY(lab.subscribe("w1", subscription("q", 1, 10)));
        lab.run(50);
        lab.produce("q", 1, true, /*poison=*/true);
        lab.run(1000);
        // A limit of 3 allows 4 deliveries; every one fails and is nacked with requeue.
        QCOMPARE(lab.opIds("w1", "deliver"), std::string("m1 m1* m1* m1*"));
        const std::vector<ClientOp> nacks = lab.ops("w1", "nack");
        QCOMPARE(nacks.size(), std::size_t(4));
        for (const ClientOp& op : nacks) QVERIFY(op.value["requeue"] == Json(true));
        QCOMPARE(lab.consumer("w1")->nacked(), std::uint64_t(4));
        QCOMPARE(lab.consumer("w1")->acked(), std::uint64_t(0));
        QCOMPARE(lab.ready("q"), std::string());
        QCOMPARE(lab.ready("q.dlq"), std::string("m1"));
        QCOMPARE(lab.broker()->stats().deadLettered, std::uint64_t(1));
        QCOMPARE(lab.ledger()->appliedTotal(), std::int64_t(0));
    }

    void failRateNacksSomeAndEveryMessageIsStillAppliedOnce() {
        LabConfig config;
        config.broker.deliveryLimit = 0;  // no limit: a failing message is retried until it succeeds
        config.seed = 7;
        MqLab lab(config);
        QVERIFY(lab.declare("q", false));
        MqSubscribe sub = subscription("q", 2, 10);
        sub.fail_rate = 0.4;
        QVERIFY(lab.subscribe("w1", sub));
        lab.run(50);
        lab.produce("q", 20, false);
        lab.run(10'000);
        QCOMPARE(lab.consumer("w1")->acked(), std::uint64_t(20));
        QVERIFY(lab.consumer("w1")->nacked() > 0);
        QCOMPARE(lab.ledger()->appliedTotal(), std::int64_t(20));
        QCOMPARE(lab.ledger()->effects().size(), std::size_t(20));
    }

    // The story the idempotent consumer exists for: the effect is applied, the consumer dies before its
    // ack, and the broker redelivers the message to another consumer.
    void crashAfterTheEffectBeforeTheAck_data() {
        QTest::addColumn<bool>("idempotent");
        QTest::addColumn<std::int64_t>("count");
        QTest::newRow("idempotent: the redelivery is skipped at the ledger") << true << std::int64_t(1);
        QTest::newRow("not idempotent: the effect happens twice") << false << std::int64_t(2);
    }
    void crashAfterTheEffectBeforeTheAck() {
        QFETCH(bool, idempotent);
        QFETCH(std::int64_t, count);
        MqLab lab;
        QVERIFY(lab.declare("q", true));
        QVERIFY(lab.subscribe("w1", subscription("q", 1, 20, idempotent)));
        lab.run(50);
        QVERIFY(lab.subscribe("w2", subscription("q", 1, 20, idempotent)));
        lab.run(50);
        lab.produce("q", 1, true);
        // Step until the ledger has applied m1 for w1, and kill w1 before the answer reaches it.
        QVERIFY(lab.stepUntil([&] { return !lab.ops("ledger", "effect").empty(); }));
        QCOMPARE(lab.opIds("w1", "deliver"), std::string("m1"));
        QVERIFY(lab.ops("ledger", "effect")[0].value["consumer"] == Json("w1"));
        QVERIFY(lab.world.crash("w1").ok());
        // The broker hears nothing from w1 for three heartbeats, closes its channel and requeues m1.
        lab.run(6000);
        QCOMPARE(lab.opIds("w2", "deliver"), std::string("m1*"));
        QCOMPARE(lab.opIds("w2", "ack"), std::string("m1"));
        QCOMPARE(lab.ledger()->effectCount("m1"), count);
        const std::vector<ClientOp> effects = lab.ops("ledger", "effect");
        QCOMPARE(effects.size(), std::size_t(2));
        QVERIFY(effects[1].value == (Json{{"message_id", "m1"},
                                          {"consumer", "w2"},
                                          {"applied", !idempotent},
                                          {"count", count},
                                          {"scope", "q"}}));
        QCOMPARE(lab.consumer("w2")->skipped(), std::uint64_t(idempotent ? 1 : 0));
        QCOMPARE(lab.consumer("w2")->effects(), std::uint64_t(idempotent ? 0 : 1));
        QCOMPARE(lab.broker()->stats().channelTimeouts, std::uint64_t(1));
        QCOMPARE(lab.ops("w1", "ack").size(), std::size_t(0));
        QCOMPARE(lab.ready("q"), std::string());
    }

    void aRestartedConsumerResumesItsSubscription() {
        MqLab lab;
        QVERIFY(lab.declare("q", true));
        QVERIFY(lab.subscribe("w1", subscription("q", 2, 1000)));
        lab.run(50);
        lab.produce("q", 4, true);
        lab.run(100);
        QCOMPARE(lab.consumer("w1")->processing(), std::string("m1"));
        QCOMPARE(lab.inbox("w1"), std::string("m2"));
        QVERIFY(lab.world.crash("w1").ok());
        QVERIFY(lab.world.restart("w1").ok());
        const SimTime restartedAt = lab.world.now();
        lab.run(100);
        // From its disk: the same subscription; and it cancels before it consumes.
        Consumer* w1 = lab.consumer("w1");
        QVERIFY(w1->subscribed());
        QCOMPARE(w1->queue(), std::string("q"));
        QCOMPARE(w1->prefetch(), std::int64_t(2));
        QCOMPARE(w1->channel(), ChannelState::Open);
        const std::vector<std::string> sent = lab.sent("w1", "broker", restartedAt);
        QVERIFY(sent.size() >= 2);
        QCOMPARE(sent[0], std::string(MqCancel::kType));
        QCOMPARE(sent[1], std::string(MqConsume::kType));
        // The cancel gave m1 and m2 back at once (no heartbeat timeout): they come again, flagged.
        QCOMPARE(lab.opIds("w1", "deliver"), std::string("m1 m2 m1* m2*"));
        QCOMPARE(lab.broker()->stats().channelTimeouts, std::uint64_t(0));
        lab.run(5000);
        QCOMPARE(lab.opIds("w1", "ack"), std::string("m1 m2 m3 m4"));
        for (std::int64_t i = 1; i <= 4; ++i)
            QCOMPARE(lab.ledger()->effectCount(mqMessageId(i)), std::int64_t(1));
    }

    void aNewSubscriptionReplacesTheOld() {
        MqLab lab;
        QVERIFY(lab.declare("a", false));
        QVERIFY(lab.declare("b", false));
        QVERIFY(lab.subscribe("w1", subscription("a", 1, 1000)));
        lab.run(50);
        lab.produce("a", 2, false);
        lab.run(50);
        QCOMPARE(lab.consumer("w1")->processing(), std::string("m1"));
        QVERIFY(lab.subscribe("w1", subscription("b", 3, 10)));
        lab.run(50);
        QVERIFY(!lab.broker()->channel("w1", "a"));
        QVERIFY(lab.broker()->channel("w1", "b"));
        QCOMPARE(lab.broker()->channel("w1", "b")->prefetch, std::int64_t(3));
        QCOMPARE(lab.ready("a"), std::string("m1* m2"));  // given back by the cancel
        QVERIFY(lab.consumer("w1")->processing().empty());
        lab.produce("b", 1, false);
        lab.run(200);
        QCOMPARE(lab.opIds("w1", "ack"), std::string("m3"));
        QCOMPARE(lab.ledger()->effectCount("m1"), std::int64_t(0));
    }

    void modeSwitchCancelsAndConsumesAgain() {
        MqLab lab;
        QVERIFY(lab.declare("q", false));
        QVERIFY(lab.subscribe("w1", subscription("q", 2, 1000)));
        lab.run(50);
        lab.produce("q", 3, false);
        lab.run(50);
        QCOMPARE(lab.inbox("w1"), std::string("m2"));
        QVERIFY(lab.mode("w1", MqMode{"brokerless", "push", {}}));
        lab.run(50);
        QCOMPARE(lab.consumer("w1")->mode(), DeliveryMode::Brokerless);
        QVERIFY(!lab.broker()->channel("w1", "q"));
        QVERIFY(lab.consumer("w1")->inbox().empty());
        QVERIFY(lab.consumer("w1")->processing().empty());
        QCOMPARE(lab.ready("q"), std::string("m1* m2* m3"));
        QVERIFY(lab.mode("w1", MqMode{"amqp", "push", {}}));
        lab.run(6000);
        QCOMPARE(lab.opIds("w1", "ack"), std::string("m1 m2 m3"));
        QCOMPARE(lab.ledger()->appliedTotal(), std::int64_t(3));
        // The mode is on disk too.
        QVERIFY(lab.mode("w1", MqMode{"brokerless", "push", {}}));
        QVERIFY(lab.world.crash("w1").ok());
        QVERIFY(lab.world.restart("w1").ok());
        lab.run(10);
        QCOMPARE(lab.consumer("w1")->mode(), DeliveryMode::Brokerless);
        QCOMPARE(lab.consumer("w1")->channel(), ChannelState::Closed);
    }

    void aManualConsumerHoldsDeliveriesUntilSettled() {
        MqLab lab;
        QVERIFY(lab.declare("q", false));
        QVERIFY(lab.subscribe("w1", subscription("q", 3, 10, false, /*manual=*/true)));
        QVERIFY(lab.subscribe("w2", subscription("q.other", 1, 10)));
        lab.run(50);
        lab.produce("q", 3, false);
        lab.run(1000);
        QCOMPARE(lab.inbox("w1"), std::string("m1 m2 m3"));
        QVERIFY(lab.consumer("w1")->processing().empty());
        QCOMPARE(lab.ledger()->appliedTotal(), std::int64_t(0));
        // ack the oldest: applied at the ledger, then acked.
        Result<MqSettleOk> ok = parseMqSettleOk(lab.ask("w1", makeBody(MqSettle{"ack", 0, true})));
        QVERIFY(ok.ok());
        QCOMPARE(ok->message_id, std::string("m1"));
        QCOMPARE(ok->action, std::string("ack"));
        lab.run(100);
        QCOMPARE(lab.ledger()->effectCount("m1"), std::int64_t(1));
        QCOMPARE(lab.opIds("w1", "ack"), std::string("m1"));
        QCOMPARE(lab.inbox("w1"), std::string("m2 m3"));
        // nack m2 by its tag, with requeue: it comes back to w1 (the only consumer), flagged.
        const std::int64_t m2Tag = lab.consumer("w1")->inbox()[0].deliveryTag;
        ok = parseMqSettleOk(lab.ask("w1", makeBody(MqSettle{"nack", m2Tag, true})));
        QVERIFY(ok.ok());
        QCOMPARE(ok->message_id, std::string("m2"));
        lab.run(100);
        QCOMPARE(lab.inbox("w1"), std::string("m3 m2*"));
        // reject m3 without requeue: dead-lettered.
        ok = parseMqSettleOk(lab.ask("w1", makeBody(MqSettle{"reject", 0, false})));
        QVERIFY(ok.ok());
        QCOMPARE(ok->message_id, std::string("m3"));
        lab.run(100);
        QCOMPARE(lab.ready("q.dlq"), std::string("m3"));
        QCOMPARE(lab.inbox("w1"), std::string("m2*"));
        const std::vector<ClientOp> nacks = lab.ops("w1", "nack");
        QCOMPARE(nacks.size(), std::size_t(2));
        QVERIFY(nacks[0].value["requeue"] == Json(true));
        QVERIFY(nacks[1].value["requeue"] == Json(false));
        // Nothing held under that tag, and nothing to settle at a consumer that is not manual.
        QCOMPARE(lab.errorCode("w1", makeBody(MqSettle{"ack", 999, true})), int(ErrorCode::KeyDoesNotExist));
        QCOMPARE(lab.errorCode("w2", makeBody(MqSettle{"ack", 0, true})), int(ErrorCode::PreconditionFailed));
        QCOMPARE(lab.errorCode("w1", Body{"mq_settle", 0, {}, {{"action", "drop"}}}),
                 int(ErrorCode::MalformedRequest));
        QCOMPARE(lab.broker()->stats().channelErrors, std::uint64_t(0));
    }

    void afterABrokerRestartTheConsumerForgetsAndConsumesAgain_data() {
        QTest::addColumn<bool>("manual");
        QTest::newRow("manual consumer holding two") << true;
        QTest::newRow("automatic consumer in the middle of its work") << false;
    }
    void afterABrokerRestartTheConsumerForgetsAndConsumesAgain() {
        QFETCH(bool, manual);
        MqLab lab;
        QVERIFY(lab.declare("q", true));
        QVERIFY(lab.subscribe("w1", subscription("q", 2, manual ? 10 : 3000, false, manual)));
        lab.run(50);
        lab.produce("q", 3, true);
        lab.run(100);
        QCOMPARE(lab.opIds("w1", "deliver"), std::string("m1 m2"));
        QVERIFY(lab.world.crash("broker").ok());
        QVERIFY(lab.world.restart("broker").ok());
        const SimTime restartedAt = lab.world.now();
        // The next heartbeat (within heartbeatMs) is answered with an error: the consumer forgets m1 and
        // m2 and consumes again (cancel, consume), and the recovered messages come back, flagged.
        lab.run(1500);
        const std::vector<std::string> sent = lab.sent("w1", "broker", restartedAt);
        const auto heartbeat = std::find(sent.begin(), sent.end(), std::string(MqHeartbeat::kType));
        QVERIFY(heartbeat != sent.end());
        const std::vector<std::string> reopen = {std::string(MqCancel::kType), std::string(MqConsume::kType)};
        QVERIFY(std::search(heartbeat, sent.end(), reopen.begin(), reopen.end()) != sent.end());
        QCOMPARE(lab.opIds("w1", "deliver"), std::string("m1 m2 m1* m2*"));
        QCOMPARE(lab.consumer("w1")->channel(), ChannelState::Open);
        if (manual) {
            QCOMPARE(lab.inbox("w1"), std::string("m1* m2*"));
            for (int i = 0; i < 3; ++i) {
                QVERIFY(parseMqSettleOk(lab.ask("w1", makeBody(MqSettle{"ack", 0, true}), 100)).ok());
            }
        }
        lab.run(12'000);
        QCOMPARE(lab.opIds("w1", "ack"), std::string("m1 m2 m3"));
        for (std::int64_t i = 1; i <= 3; ++i)
            QCOMPARE(lab.ledger()->effectCount(mqMessageId(i)), std::int64_t(1));
        // No stale ack reached the new broker: no channel error, nothing left.
        QCOMPARE(lab.broker()->stats().channelErrors, std::uint64_t(0));
        QCOMPARE(lab.ready("q"), std::string());
        QCOMPARE(lab.broker()->unackedCount("q"), std::size_t(0));
    }

    void aClosedChannelIsReopened() {
        LabConfig config;
        config.consumer.heartbeatMs = 100;
        config.broker.heartbeatMs = 100;
        MqLab lab(config);
        QVERIFY(lab.declare("q", false));
        QVERIFY(lab.subscribe("w1", subscription("q", 1, 2000)));
        lab.run(50);
        lab.produce("q", 1, false);
        lab.run(20);
        QCOMPARE(lab.consumer("w1")->processing(), std::string("m1"));
        // A stop-the-world pause longer than three heartbeats: the broker closes the channel, requeues m1.
        QVERIFY(lab.world.pause("w1", millis(600)).ok());
        lab.run(5000);
        QCOMPARE(lab.broker()->stats().channelTimeouts, std::uint64_t(1));
        QCOMPARE(lab.opIds("w1", "deliver"), std::string("m1 m1*"));
        QCOMPARE(lab.opIds("w1", "ack"), std::string("m1"));
        QCOMPARE(lab.broker()->stats().channelErrors, std::uint64_t(0));  // the old tag was never acked
        QCOMPARE(lab.ledger()->effectCount("m1"), std::int64_t(1));
    }

    // A delivery of the old channel that arrives after the channel reopened (a slow link) is stale: its tag
    // is below the new channel's, since the broker never reuses a tag, so the consumer ignores it instead
    // of acking an old tag on the new channel.
    void aLateDeliveryOfTheOldChannelIsIgnored() {
        LabConfig config;
        config.consumer.heartbeatMs = 100;
        config.broker.heartbeatMs = 100;
        MqLab lab(config);
        QVERIFY(lab.declare("q", false));
        QVERIFY(lab.subscribe("w1", subscription("q", 1, 10)));
        lab.run(50);
        lab.produce("q", 1, false);
        lab.run(200);
        QCOMPARE(lab.opIds("w1", "ack"), std::string("m1"));
        QVERIFY(lab.world.pause("w1", millis(600)).ok());
        lab.run(2000);  // the channel timed out, empty, and reopened
        QCOMPARE(lab.broker()->stats().channelTimeouts, std::uint64_t(1));
        QCOMPARE(lab.consumer("w1")->channel(), ChannelState::Open);
        // The old channel's delivery of m1, tag 1, arrives only now (a very slow link).
        QVERIFY(lab.world.sendFrom("broker", "w1", makeBody(MqDeliver{"q", 1, "m1", "m1", false})).ok());
        lab.run(2000);
        QCOMPARE(lab.opIds("w1", "deliver"), std::string("m1"));
        QCOMPARE(lab.broker()->stats().channelErrors, std::uint64_t(0));
        QCOMPARE(lab.ledger()->effectCount("m1"), std::int64_t(1));
    }

    // On a network where any message may overtake the one sent before it, the opening cancel must not
    // arrive after the consume and close the channel just opened: the consume waits for the cancel's
    // answer. Heartbeats are off, so nothing would repair a channel closed by mistake.
    void aReorderingNetworkDoesNotCloseTheNewChannel() {
        for (std::uint64_t seed = 1; seed <= 30; ++seed) {
            LabConfig config;
            config.seed = seed;
            config.consumer.heartbeatMs = 0;
            config.broker.heartbeatMs = 0;
            MqLab lab(config);
            LinkConfig reordering;
            reordering.latencyMin = millis(1);
            reordering.latencyMax = millis(30);
            reordering.reorderRate = 1.0;
            const NodeIndex w1 = *lab.world.indexOf("w1"), broker = *lab.world.indexOf("broker");
            lab.world.network().setLink(w1, broker, reordering);  // the consumer's link both ways
            lab.world.network().setLink(broker, w1, reordering);
            QVERIFY(lab.declare("q", false));
            QVERIFY(lab.subscribe("w1", subscription("q", 1, 10)));
            lab.run(500);
            const QByteArray where = "seed " + QByteArray::number(qulonglong(seed));
            QVERIFY2(lab.consumer("w1")->channel() == ChannelState::Open, where.constData());
            QVERIFY2(lab.broker()->channel("w1", "q") != nullptr, where.constData());
            lab.produce("q", 3, false);
            lab.run(1000);
            QVERIFY2(lab.opIds("w1", "ack") == "m1 m2 m3",
                     (where + ": " + QByteArray::fromStdString(lab.opIds("w1", "ack"))).constData());
        }
    }

    // A link slower than the consume's first wait (two round trips of 300 ms and more before consume_ok):
    // the consumer waits longer each time instead of cancelling every channel the broker opens for it, and
    // gets its messages processed.
    void aSlowLinkStillGetsItsChannel() {
        LabConfig config;
        config.consumer.heartbeatMs = 0;
        config.broker.heartbeatMs = 0;
        MqLab lab(config);
        LinkConfig slow;
        slow.latencyMin = millis(150);
        slow.latencyMax = millis(200);
        const NodeIndex w1 = *lab.world.indexOf("w1"), broker = *lab.world.indexOf("broker");
        lab.world.network().setLink(w1, broker, slow);
        lab.world.network().setLink(broker, w1, slow);
        QVERIFY(lab.declare("q", false));
        QVERIFY(lab.subscribe("w1", subscription("q", 3, 10)));
        lab.produce("q", 5, false);
        lab.run(10000);
        QCOMPARE(lab.consumer("w1")->channel(), ChannelState::Open);
        QCOMPARE(lab.opIds("w1", "ack"), std::string("m1 m2 m3 m4 m5"));
        QCOMPARE(lab.broker()->stats().deadLettered, std::uint64_t(0));
    }

    void consumeIsRetriedUntilTheQueueExists() {
        MqLab lab;
        QVERIFY(lab.subscribe("w1", subscription("late", 1, 10)));
        lab.run(1000);
        QCOMPARE(lab.consumer("w1")->channel(), ChannelState::Opening);
        QVERIFY(lab.declare("late", false));
        lab.run(400);
        QCOMPARE(lab.consumer("w1")->channel(), ChannelState::Open);
        lab.produce("late", 1, false);
        lab.run(200);
        QCOMPARE(lab.opIds("w1", "ack"), std::string("m1"));
    }

    // --- a property over seeds ---

    // Idempotent consumers on a durable queue with persistent messages, while consumers crash and restart
    // and the broker restarts once: every confirmed message has its effect exactly once, and the queue
    // drains. (No message loss on the network: a lost delivery waits for the broker's ack timeout.)
    void idempotentConsumersApplyEveryConfirmedMessageOnce_data() {
        QTest::addColumn<std::uint64_t>("seed");
        for (std::uint64_t seed = 1; seed <= 12; ++seed)
            QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void idempotentConsumersApplyEveryConfirmedMessageOnce() {
        QFETCH(std::uint64_t, seed);
        LabConfig config;
        config.seed = seed;
        config.broker.deliveryLimit = 0;
        config.consumers = {"w1", "w2", "w3"};
        MqLab lab(config);
        const QString where = QStringLiteral("seed %1: ").arg(seed);
        QVERIFY(lab.declare("q", true));
        Rng rng(seed * 7919 + 3);
        for (const std::string w : {"w1", "w2", "w3"}) {
            MqSubscribe sub = subscription("q", rng.uniform(1, 4), rng.uniform(5, 40), /*idempotent=*/true);
            sub.fail_rate = 0.1;
            QVERIFY(lab.subscribe(w, sub));
        }
        lab.run(50);
        lab.produce("q", 40, true, false, 10);
        const std::int64_t brokerCrashAt = rng.uniform(50, 400);
        for (std::int64_t t = 0; t < 1500; t += 50) {
            if (t == brokerCrashAt / 50 * 50) {
                QVERIFY(lab.world.crash("broker").ok());
                QVERIFY(lab.world.restart("broker").ok());
            }
            const std::string victim = "w" + std::to_string(rng.uniform(1, 4));
            if (rng.chance(0.3)) {
                QVERIFY(lab.world.crash(victim).ok());
                lab.run(rng.uniform(1, 30));
                QVERIFY(lab.world.restart(victim).ok());
            }
            lab.run(50);
        }
        lab.run(20'000);
        std::set<std::string> confirmed;
        for (const ClientOp& op : lab.ops("prod", "publish")) {
            if (op.phase == OpPhase::Ok) confirmed.insert(op.value["message_id"].get<std::string>());
        }
        QVERIFY2(confirmed.size() >= 30, qPrintable(where + "too few confirms to mean anything"));
        for (const std::string& id : confirmed)
            QVERIFY2(lab.ledger()->effectCount(id) == 1,
                     qPrintable(where + QString::fromStdString(id) + " applied " +
                                QString::number(lab.ledger()->effectCount(id)) + " times"));
        QVERIFY2(lab.ledger()->appliedTwice().empty(), qPrintable(where + "an effect applied twice"));
        QVERIFY2(lab.ready("q").empty(),
                 qPrintable(where + "left in q: " + QString::fromStdString(lab.ready("q"))));
        QCOMPARE(lab.broker()->unackedCount("q"), std::size_t(0));
        // The faults did bite: something was delivered again.
        std::size_t redelivered = 0;
        for (const ClientOp& op : lab.ops({}, "deliver"))
            redelivered += op.value.value("redelivered", false) ? 1 : 0;
        QVERIFY2(redelivered > 0, qPrintable(where + "no redelivery at all"));
    }

    // --- the history, field by field ---

    void historyRecordsExactlyTheSpecifiedOps() {
        LabConfig config;
        config.broker.deliveryLimit = 1;
        MqLab lab(config);
        QVERIFY(lab.declare("q", true));
        QVERIFY(lab.subscribe("w1", subscription("q", 1, 10)));
        lab.run(50);
        lab.produce("q", 1, true);
        lab.run(200);
        lab.produce("q", 1, false, /*poison=*/true);
        lab.run(500);

        std::map<std::string, std::set<std::string>> fields;  // "process f phase" -> keys
        for (const ClientOp& op : lab.ops())
            fields[op.process + " " + op.f + " " + std::string(opPhaseName(op.phase))] = keysOf(op.value);
        using Keys = std::set<std::string>;
        QCOMPARE(fields["prod publish invoke"], (Keys{"queue", "message_id", "persistent", "mode"}));
        QCOMPARE(fields["prod publish ok"], (Keys{"queue", "message_id"}));
        QCOMPARE(fields["w1 deliver ok"], (Keys{"queue", "message_id", "delivery_tag", "redelivered"}));
        QCOMPARE(fields["w1 ack ok"], (Keys{"queue", "message_id", "delivery_tag"}));
        QCOMPARE(fields["w1 nack ok"], (Keys{"queue", "message_id", "delivery_tag", "requeue"}));
        QCOMPARE(fields["ledger effect ok"], (Keys{"message_id", "consumer", "applied", "count", "scope"}));
        QCOMPARE(fields.size(), std::size_t(6));

        const std::vector<ClientOp> prod = lab.ops("prod");
        QCOMPARE(prod.size(), std::size_t(4));
        QVERIFY(prod[0].value ==
                (Json{{"queue", "q"}, {"message_id", "m1"}, {"persistent", true}, {"mode", "amqp"}}));
        QVERIFY(prod[1].value == (Json{{"queue", "q"}, {"message_id", "m1"}}));
        QCOMPARE(prod[1].opId, prod[0].opId);
        QVERIFY(prod[2].value ==
                (Json{{"queue", "q"}, {"message_id", "m2"}, {"persistent", false}, {"mode", "amqp"}}));
        const std::vector<ClientOp> w1 = lab.ops("w1");
        QCOMPARE(w1.size(), std::size_t(6));  // m1: deliver, ack; m2: (deliver, nack) twice
        const std::int64_t t1 = w1[0].value["delivery_tag"];
        QVERIFY(w1[0].value ==
                (Json{{"queue", "q"}, {"message_id", "m1"}, {"delivery_tag", t1}, {"redelivered", false}}));
        QCOMPARE(w1[1].f, std::string("ack"));
        QVERIFY(w1[1].value == (Json{{"queue", "q"}, {"message_id", "m1"}, {"delivery_tag", t1}}));
        QVERIFY(w1[4].value["redelivered"] == Json(true));
        QVERIFY(w1[5].value == (Json{{"queue", "q"},
                                     {"message_id", "m2"},
                                     {"delivery_tag", w1[4].value["delivery_tag"]},
                                     {"requeue", true}}));
        const std::vector<ClientOp> ledger = lab.ops("ledger");
        QCOMPARE(ledger.size(), std::size_t(1));
        QVERIFY(
            ledger[0].value ==
            (Json{
                {"message_id", "m1"}, {"consumer", "w1"}, {"applied", true}, {"count", 1}, {"scope", "q"}}));
        // Op ids: per node, from 1, increasing; consumer and ledger ops are single oks.
        for (const std::string process : {"w1", "ledger"}) {
            std::int64_t expected = 1;
            for (const ClientOp& op : lab.ops(process)) {
                QCOMPARE(op.phase, OpPhase::Ok);
                QCOMPARE(op.opId, expected++);
            }
        }
        QCOMPARE(prod[0].opId, std::int64_t(1));
        QCOMPARE(prod[2].opId, std::int64_t(2));
    }

    // --- the rest of the contract ---

    void malformedControlMessagesAreRefused_data() {
        QTest::addColumn<QString>("node");
        QTest::addColumn<Body>("request");
        QTest::addColumn<int>("code");
        const int malformed = int(ErrorCode::MalformedRequest);
        QTest::newRow("produce 0 messages")
            << "prod" << makeBody(MqProduce{"q", 0, false, false, 0}) << malformed;
        QTest::newRow("produce without a queue")
            << "prod" << Body{"mq_produce", 0, {}, {{"count", 1}}} << malformed;
        QTest::newRow("producer mode zmq") << "prod" << makeBody(MqMode{"zmq", "push", {}}) << malformed;
        QTest::newRow("subscribe with fail_rate 2")
            << "w1" << makeBody(MqSubscribe{"q", 1, false, 10, 2.0, false}) << malformed;
        QTest::newRow("apply without a message id")
            << "ledger" << Body{"mq_apply", 0, {}, {{"dedupe", true}}} << malformed;
        QTest::newRow("a consumer does not produce")
            << "w1" << makeBody(MqProduce{"q", 1, false, false, 0}) << int(ErrorCode::NotSupported);
        QTest::newRow("the ledger does not subscribe")
            << "ledger" << makeBody(MqSubscribe{"q", 1, false, 10, 0.0, false})
            << int(ErrorCode::NotSupported);
    }
    void malformedControlMessagesAreRefused() {
        QFETCH(QString, node);
        QFETCH(Body, request);
        QFETCH(int, code);
        MqLab lab;
        QCOMPARE(lab.errorCode(node.toStdString(), request), code);
        QCOMPARE(lab.producer()->published(), std::uint64_t(0));
        QVERIFY(!lab.consumer("w1")->subscribed());
        QVERIFY(lab.ledger()->effects().empty());
    }

    void ledgerDeduplicatesAndSurvivesRestarts() {
        MqLab lab;
        auto apply = [&](const std::string& id, bool dedupe) {
            return parseMqApplyOk(lab.ask("ledger", makeBody(MqApply{id, dedupe, ""})));
        };
        QCOMPARE(apply("m1", true)->applied, true);
        QCOMPARE(apply("m1", true)->applied, false);
        QCOMPARE(apply("m1", false)->applied, true);  // without dedupe the id table is not consulted
        QCOMPARE(apply("m2", false)->applied, true);
        QVERIFY(lab.world.crash("ledger").ok());
        QVERIFY(lab.world.restart("ledger").ok());
        lab.run(1);
        QCOMPARE(lab.ledger()->effectCount("m1"), std::int64_t(2));
        QCOMPARE(lab.ledger()->appliedTotal(), std::int64_t(3));
        QCOMPARE(apply("m2", true)->applied, false);  // the processed table came back from disk
        QCOMPARE(lab.ledger()->appliedTwice(), std::vector<std::string>{"m1"});
        std::vector<std::pair<std::string, std::string>> rows;
        lab.ledger()->describe(rows);
        QCOMPARE(rows, (std::vector<std::pair<std::string, std::string>>{
                           {"effects applied", "3"}, {"messages", "2"}, {"applied twice", "1: m1"}}));
    }

    void inspectorLabelsAndCheckpointCopies() {
        MqLab lab;
        QVERIFY(lab.declare("q", false));
        QVERIFY(lab.subscribe("w1", subscription("q", 2, 1000, true)));
        lab.run(50);
        lab.produce("q", 3, false);
        lab.run(50);
        auto labels = [](const Node& node) {
            std::vector<std::pair<std::string, std::string>> rows;
            node.describe(rows);
            std::vector<std::string> out;
            for (const auto& [label, value] : rows) out.push_back(label);
            return out;
        };
        QCOMPARE(labels(*lab.producer()),
                 (std::vector<std::string>{"mode", "published", "confirmed", "unconfirmed", "to publish"}));
        QCOMPARE(labels(*lab.consumer("w1")),
                 (std::vector<std::string>{"mode", "queue", "prefetch", "idempotent", "processing", "inbox",
                                           "received", "acked", "nacked", "effects", "skipped", "dropped"}));
        QCOMPARE(labels(*lab.ledger()),
                 (std::vector<std::string>{"effects applied", "messages", "applied twice"}));
        // Copies carry every piece of volatile state.
        std::unique_ptr<Node> copy = lab.consumer("w1")->clone();
        auto* w1 = dynamic_cast<Consumer*>(copy.get());
        QVERIFY(w1);
        QCOMPARE(w1->processing(), std::string("m1"));
        QCOMPARE(w1->inbox().size(), std::size_t(1));
        QCOMPARE(w1->idempotent(), true);
        std::unique_ptr<Node> prodCopy = lab.producer()->clone();
        QVERIFY(dynamic_cast<Producer*>(prodCopy.get()));
        QCOMPARE(dynamic_cast<Producer*>(prodCopy.get())->confirmed(), std::uint64_t(3));
        std::unique_ptr<Node> ledgerCopy = lab.ledger()->clone();
        QVERIFY(dynamic_cast<Ledger*>(ledgerCopy.get()));
    }

    // Same seed, same story: the same history, op for op.
    void historyIsDeterministic() {
        auto story = [] {
            LabConfig config;
            config.seed = 42;
            MqLab lab(config);
            lab.declare("q", true);
            MqSubscribe sub = subscription("q", 2, 15);
            sub.fail_rate = 0.3;
            lab.subscribe("w1", sub);
            lab.subscribe("w2", sub);
            lab.run(50);
            lab.produce("q", 30, true, false, 5);
            lab.run(300);
            if (!lab.world.crash("w2").ok()) return std::string("crash failed");
            lab.run(5000);
            Json ops = Json::array();
            for (const ClientOp& op : lab.world.trace().clientOps())
                ops.push_back({op.time, op.process, op.opId, opPhaseName(op.phase), op.f, op.value});
            return ops.dump();
        };
        const std::string first = story();
        QVERIFY(first.size() > 1000);
        QCOMPARE(story(), first);
    }
};

QTEST_GUILESS_MAIN(TestMqClients)
#include "tst_mq_clients.moc"
