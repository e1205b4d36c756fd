// The AMQP-style broker, story by story: delivery tags grow per channel and consumers are served round
// robin; prefetch is never exceeded whatever the ack order (a property over seeds); ack, multiple ack,
// nack and reject settle exactly the tags they name; acking an unknown or settled tag closes the channel
// and requeues what it held, redelivered; requeue keeps the original position; nack/reject without
// requeue and the delivery limit dead-letter; a cancelled, crashed or silent consumer gives its deliveries
// back; durable queues and persistent messages survive a broker restart and nothing else does; a confirm
// for a persistent message on a durable queue leaves only after the disk write; a fanout exchange copies
// to every bound queue; and malformed or oversized requests get errors and change nothing.
#include <QTest>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/protocols/mq/broker.h"
#include "core/base/rng.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"
#include "tests/support/wire_checks.h"

using namespace distlab;
using namespace distlab::mq;

namespace {

constexpr std::uint64_t kEventsMax = 1'000'000;

BrokerConfig quietConfig() {
    BrokerConfig config;
    config.heartbeatMs = 0;  // only the heartbeat stories use heartbeats
    return config;
}

// The broker "broker", a producer "p" and consumers c1..c3 on a quiet network.
class MqCluster {
public:
    explicit MqCluster(BrokerConfig config = quietConfig(), std::uint64_t seed = 1) : world(seed) {
        bool added = world.addNode("broker", [config] { return std::make_unique<Broker>(config); }).ok();
        for (const char* id : {"p", "c1", "c2", "c3"})
            added = added && support::addProbe(world, id);
        if (!added) QTest::qFail("cannot build the cluster", __FILE__, __LINE__);
        run(millis(1));
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    void send(const std::string& from, Body body) {
        if (!world.sendFrom(from, "broker", std::move(body)).ok())
            QTest::qFail("cannot send", __FILE__, __LINE__);
    }
    // Sends and returns the broker's answer (or "no-answer").
    Body ask(const std::string& from, Body request) {
        Result<std::int64_t> msgId = world.sendFrom(from, "broker", std::move(request));
        if (!msgId) return Body{"send-failed", 0, {}, {}};
        run(millis(40));
        return probe(from)->answerTo(msgId.value());
    }
    int errorCode(const std::string& from, Body request) {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(ask(from, std::move(request)));
        return error ? error->code : -1;
    }

    bool declare(const std::string& queue, bool durable = false) {
        return ask("p", makeBody(MqDeclare{queue, durable})).type == MqDeclareOk::kType;
    }
    bool publish(const std::string& to, const std::string& id, bool persistent = false) {
        return ask("p", makeBody(MqPublish{to, id, "body of " + id, persistent})).type == MqConfirm::kType;
    }
    bool consume(const std::string& consumer, const std::string& queue, std::int64_t prefetch) {
        return ask(consumer, makeBody(MqConsume{queue, prefetch})).type == MqConsumeOk::kType;
    }
    void ack(const std::string& consumer, const std::string& queue, std::int64_t tag, bool multiple = false) {
        send(consumer, makeBody(MqAck{queue, tag, multiple}));
        run(millis(40));
    }

    std::vector<MqDeliver> deliveries(const std::string& consumer) {
        std::vector<MqDeliver> out;
        for (const Envelope& message : probe(consumer)->received) {
            if (Result<MqDeliver> deliver = parseMqDeliver(message.body)) out.push_back(deliver.value());
        }
        return out;
    }
    // "m1 m3 m5*": the message ids delivered to the consumer, * marking redelivered.
    std::string delivered(const std::string& consumer, const std::string& queue = {}) {
        std::string out;
        for (const MqDeliver& d : deliveries(consumer)) {
            if (!queue.empty() && d.queue != queue) continue;
            out += (out.empty() ? "" : " ") + d.message_id + (d.redelivered ? "*" : "");
        }
        return out;
    }
    std::vector<MqChannelClosed> closed(const std::string& consumer) {
        std::vector<MqChannelClosed> out;
        for (const Envelope& message : probe(consumer)->received) {
            if (Result<MqChannelClosed> c = parseMqChannelClosed(message.body)) out.push_back(c.value());
        }
        return out;
    }
    // "m1 m2*": the queue's ready messages in order (empty when the queue does not exist).
    std::string ready(const std::string& queue) {
        std::string out;
        const MqQueue* q = broker() ? broker()->queue(queue) : nullptr;
        if (!q) return "<none>";
        for (const auto& [position, message] : q->ready)
            out += (out.empty() ? "" : " ") + message.messageId + (message.redelivered ? "*" : "");
        return out;
    }
    // Everything observable of the broker: queues, channels, bindings and its disk.
    std::string snapshot() {
        Json json = Json::object();
        for (const auto& [name, q] : broker()->queues())
            json["queues"][name] = {q.durable, ready(name), broker()->unackedCount(name), q.consumers};
        for (const auto& [key, channel] : broker()->channels())
            json["channels"][key.first + "/" + key.second] = {channel.prefetch, channel.nextTag,
                                                              channel.unacked.size()};
        for (const auto& [exchange, queues] : broker()->bindings()) json["bindings"][exchange] = queues;
        for (const StoreRecord& record : world.store(*world.indexOf("broker")).scan(""))
            json["store"][record.key] = record.value;
        return json.dump();
    }
    std::vector<std::string> states() const {
        std::vector<std::string> out;
        const Trace& trace = world.trace();
        const std::uint32_t name = trace.find("broker");
        for (const TraceEvent& event : trace.events()) {
            if (event.kind == TraceKind::State && event.node == name) out.push_back(trace.name(event.text));
        }
        return out;
    }

    Broker* broker() { return dynamic_cast<Broker*>(world.node(*world.indexOf("broker"))); }
    support::Probe* probe(const std::string& id) { return support::findProbe(world, id); }
    MemoryStore& store() { return world.store(*world.indexOf("broker")); }

    World world;
};

std::vector<std::string> ids(int count, const std::string& prefix = "m") {
    std::vector<std::string> out;
    for (int i = 1; i <= count; ++i) out.push_back(prefix + std::to_string(i));
    return out;
}

// How a consumer settles a tag in the tables below.
enum class Verb { Ack, AckMultiple, Nack, NackMultiple, Reject };

Body settleBody(Verb verb, std::int64_t tag, bool requeue) {
    switch (verb) {
        case Verb::Ack:
            return makeBody(MqAck{"q", tag, false});
        case Verb::AckMultiple:
            return makeBody(MqAck{"q", tag, true});
        case Verb::Nack:
            return makeBody(MqNack{"q", tag, false, requeue});
        case Verb::NackMultiple:
            return makeBody(MqNack{"q", tag, true, requeue});
        case Verb::Reject:
            return makeBody(MqReject{"q", tag, requeue});
    }
    return {};
}

struct Step {
    Verb verb;
    std::int64_t tag;
};
using Steps = std::vector<Step>;

}  // namespace

Q_DECLARE_METATYPE(Steps)
Q_DECLARE_METATYPE(distlab::Body)

class TestBroker : public QObject {
    Q_OBJECT

private slots:
    // --- messages ---

    void messagesRoundTrip_data() {
        QTest::addColumn<int>("index");
        const std::vector<Body> samples = mqSampleMessages();
        for (std::size_t i = 0; i < samples.size(); ++i) QTest::newRow(samples[i].type.c_str()) << int(i);
    }
    void messagesRoundTrip() {
        QFETCH(int, index);
        wire::checkEnvelopeRoundTrip(mqSampleMessages().at(std::size_t(index)));
    }

    void samplesCoverEveryTypeOnce() {
        wire::checkSamplesCoverTypes(mqSampleMessages(), mqMessageTypes(), "mq_");
    }

    void wireNamesAreSnakeCase() {
        const Json fields = makeBody(MqDeliver{"q", 3, "m1", "x", true}).fields;
        QVERIFY(fields == (Json{{"queue", "q"},
                                {"delivery_tag", 3},
                                {"message_id", "m1"},
                                {"body", "x"},
                                {"redelivered", true}}));
        QVERIFY(makeBody(MqPublish{"q", "m1", "x", true}).fields.contains("exchange_or_queue"));
        // Optional fields take AMQP's defaults: nack and reject requeue unless told otherwise.
        Body nack{"mq_nack", 0, {}, Json{{"queue", "q"}, {"delivery_tag", 1}}};
        QVERIFY(parseMqNack(nack).ok());
        QVERIFY(parseMqNack(nack)->requeue);
        QVERIFY(!parseMqNack(nack)->multiple);
    }

    // --- delivery tags and round robin ---

    void deliveryTagsIncreasePerChannelAndConsumersShareRoundRobin() {
        MqCluster cluster;
        QVERIFY(cluster.declare("q"));
        QVERIFY(cluster.declare("other"));
        QVERIFY(cluster.consume("c1", "q", 0));
        QVERIFY(cluster.consume("c2", "q", 0));
        for (const std::string& id : ids(6)) QVERIFY(cluster.publish("q", id));
        QCOMPARE(cluster.delivered("c1"), std::string("m1 m3 m5"));
        QCOMPARE(cluster.delivered("c2"), std::string("m2 m4 m6"));
        // c1 gives m1 back: the next delivery on that channel takes the next tag, never a used one.
        cluster.send("c1", makeBody(MqReject{"q", 1, true}));
        cluster.run(millis(40));
        // c1's second channel (on "other") numbers its deliveries from 1 again.
        QVERIFY(cluster.consume("c1", "other", 0));
        QVERIFY(cluster.publish("other", "o1"));
        QVERIFY(cluster.publish("other", "o2"));
        std::map<std::string, std::vector<std::int64_t>> tags;
        for (const char* consumer : {"c1", "c2"}) {
            for (const MqDeliver& d : cluster.deliveries(consumer))
                tags[consumer + std::string("/") + d.queue].push_back(d.delivery_tag);
        }
        QCOMPARE(tags["c1/q"], (std::vector<std::int64_t>{1, 2, 3, 4}));
        QCOMPARE(tags["c2/q"], (std::vector<std::int64_t>{1, 2, 3}));
        QCOMPARE(tags["c1/other"], (std::vector<std::int64_t>{1, 2}));
        QCOMPARE(cluster.delivered("c1", "q"), std::string("m1 m3 m5 m1*"));
    }

    // --- prefetch, as a property ---

    void prefetchNeverExceededUnderRandomSettlement_data() {
        QTest::addColumn<std::uint64_t>("seed");
        for (std::uint64_t seed = 1; seed <= 30; ++seed)
            QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void prefetchNeverExceededUnderRandomSettlement() {
        QFETCH(std::uint64_t, seed);
        BrokerConfig config = quietConfig();
        config.deliveryLimit = 4;
        MqCluster cluster(config, seed);
        Rng rng(seed * 7919 + 1);
        const std::vector<std::string> consumers = {"c1", "c2", "c3"};
        std::map<std::string, std::int64_t> prefetch;
        QVERIFY(cluster.declare("q", rng.chance(0.5)));
        for (const std::string& c : consumers) {
            prefetch[c] = rng.uniform(0, 5);  // 0: unlimited
            QVERIFY(cluster.consume(c, "q", prefetch[c]));
        }
        const int messages = 40;
        for (int i = 1; i <= messages; ++i)
            cluster.send("p", makeBody(MqPublish{"q", "m" + std::to_string(i), "x", rng.chance(0.5)}));

        std::map<std::string, std::set<std::int64_t>> outstanding;  // as each consumer sees it
        std::map<std::string, std::int64_t> lastTag;
        std::map<std::string, std::size_t> seen;  // deliveries read so far
        std::multiset<std::string> acked;
        const QString where = QStringLiteral("seed %1: ").arg(seed);
        for (int round = 0; round < 200'000; ++round) {
            const bool moved = cluster.world.step();
            for (const std::string& c : consumers) {
                const std::vector<MqDeliver> got = cluster.deliveries(c);
                for (; seen[c] < got.size(); ++seen[c]) {
                    const MqDeliver& d = got[seen[c]];
                    QVERIFY2(d.delivery_tag > lastTag[c], qPrintable(where + "tags must strictly increase"));
                    lastTag[c] = d.delivery_tag;
                    outstanding[c].insert(d.delivery_tag);
                }
                QVERIFY2(prefetch[c] == 0 || std::int64_t(outstanding[c].size()) <= prefetch[c],
                         qPrintable(where + QString::fromStdString(c) + " holds more than its prefetch"));
                const MqChannel* channel = cluster.broker()->channel(c, "q");
                QVERIFY2(channel, qPrintable(where + "a channel closed"));
                QVERIFY2(prefetch[c] == 0 || std::int64_t(channel->unacked.size()) <= prefetch[c],
                         qPrintable(where + "the broker exceeded the prefetch"));
                QVERIFY2(cluster.closed(c).empty(), qPrintable(where + "no channel error expected"));
            }
            // Now and then (and always when nothing else moves) a consumer settles something.
            std::vector<std::string> holding;
            for (const std::string& c : consumers) {
                if (!outstanding[c].empty()) holding.push_back(c);
            }
            if (holding.empty()) {
                if (!moved) break;
                continue;
            }
            if (moved && !rng.chance(0.3)) continue;
            const std::string& c = holding[std::size_t(rng.uniform(0, std::int64_t(holding.size())))];
            std::vector<std::int64_t> held(outstanding[c].begin(), outstanding[c].end());
            const std::int64_t tag = held[std::size_t(rng.uniform(0, std::int64_t(held.size())))];
            const std::int64_t kind = rng.uniform(0, 10);
            const bool multiple = kind == 1 || kind == 7;
            Body body;
            if (kind <= 5) {
                body = makeBody(MqAck{"q", tag, multiple});
            } else if (kind <= 7) {
                body = makeBody(MqNack{"q", tag, multiple, kind == 6});
            } else {
                body = makeBody(MqReject{"q", tag, kind == 8});
            }
            for (auto it = outstanding[c].begin(); it != outstanding[c].end();) {
                if (*it == tag || (multiple && *it < tag)) {
                    it = outstanding[c].erase(it);
                } else {
                    ++it;
                }
            }
            cluster.send(c, std::move(body));
        }
        cluster.run(millis(100));
        // Conservation: every message is acknowledged or dead-lettered, and nothing is left anywhere.
        QVERIFY2(cluster.ready("q").empty(), qPrintable(where + "messages left in q"));
        QCOMPARE(cluster.broker()->unackedCount("q"), std::size_t(0));
        const BrokerStats& stats = cluster.broker()->stats();
        const MqQueue* dlq = cluster.broker()->queue("q.dlq");
        const std::size_t dead = dlq ? dlq->ready.size() : 0;
        QVERIFY2(stats.acked + dead == std::uint64_t(messages),
                 qPrintable(where + QStringLiteral("%1 acked + %2 dead-lettered != %3")
                                        .arg(stats.acked)
                                        .arg(dead)
                                        .arg(messages)));
        QCOMPARE(stats.dropped, std::uint64_t(0));
    }

    // --- acknowledgements ---

    void acknowledgements_data() {
        QTest::addColumn<Steps>("steps");
        QTest::addColumn<std::vector<std::int64_t>>("stillUnacked");
        using V = std::vector<std::int64_t>;
        QTest::newRow("single ack 3") << Steps{{Verb::Ack, 3}} << V{1, 2, 4, 5};
        QTest::newRow("multiple ack 3 -> 1, 2, 3") << Steps{{Verb::AckMultiple, 3}} << V{4, 5};
        QTest::newRow("multiple ack 0 -> all") << Steps{{Verb::AckMultiple, 0}} << V{};
        QTest::newRow("ack 2, then multiple ack 4 skips the settled 2")
            << Steps{{Verb::Ack, 2}, {Verb::AckMultiple, 4}} << V{5};
        QTest::newRow("every tag singly, out of order")
            << Steps{{Verb::Ack, 5}, {Verb::Ack, 1}, {Verb::Ack, 3}, {Verb::Ack, 2}, {Verb::Ack, 4}} << V{};
    }
    void acknowledgements() {
        QFETCH(Steps, steps);
        QFETCH(std::vector<std::int64_t>, stillUnacked);
        MqCluster cluster;
        QVERIFY(cluster.declare("q", true));
        for (const std::string& id : ids(5)) QVERIFY(cluster.publish("q", id, true));
        QVERIFY(cluster.consume("c1", "q", 0));
        QCOMPARE(cluster.delivered("c1"), std::string("m1 m2 m3 m4 m5"));
        for (const Step& step : steps) {
            cluster.send("c1", settleBody(step.verb, step.tag, true));
            cluster.run(millis(40));
        }
        const MqChannel* channel = cluster.broker()->channel("c1", "q");
        QVERIFY(channel);
        std::vector<std::int64_t> held;
        for (const auto& [tag, message] : channel->unacked) held.push_back(tag);
        QCOMPARE(held, stillUnacked);
        QVERIFY(cluster.closed("c1").empty());
        QCOMPARE(cluster.broker()->stats().acked, std::uint64_t(5 - stillUnacked.size()));
        // An acknowledged persistent message leaves the disk at once; the others stay.
        const std::size_t onDisk = cluster.store().scan(kMqMessageStorePrefix).size();
        QCOMPARE(onDisk, stillUnacked.size());
        QCOMPARE(cluster.ready("q"), std::string());
    }

    // --- channel errors ---

    void settlingAnUnheldTagClosesTheChannel_data() {
        QTest::addColumn<Steps>("steps");
        QTest::addColumn<std::string>("reason");
        QTest::addColumn<std::string>("requeued");  // the queue afterwards, * = redelivered
        QTest::newRow("double ack") << Steps{{Verb::Ack, 2}, {Verb::Ack, 2}}
                                    << std::string("unknown delivery tag 2") << std::string("m1* m3*");
        QTest::newRow("unknown tag") << Steps{{Verb::Ack, 9}} << std::string("unknown delivery tag 9")
                                     << std::string("m1* m2* m3*");
        QTest::newRow("multiple ack up to a settled tag")
            << Steps{{Verb::Ack, 2}, {Verb::AckMultiple, 2}} << std::string("unknown delivery tag 2")
            << std::string("m1* m3*");
        QTest::newRow("tag 0 without multiple")
            << Steps{{Verb::Ack, 0}} << std::string("unknown delivery tag 0") << std::string("m1* m2* m3*");
        QTest::newRow("nack of an acked tag")
            << Steps{{Verb::Ack, 1}, {Verb::Nack, 1}} << std::string("unknown delivery tag 1")
            << std::string("m2* m3*");
        QTest::newRow("reject of an unknown tag")
            << Steps{{Verb::Reject, 4}} << std::string("unknown delivery tag 4")
            << std::string("m1* m2* m3*");
    }
    void settlingAnUnheldTagClosesTheChannel() {
        QFETCH(Steps, steps);
        QFETCH(std::string, reason);
        QFETCH(std::string, requeued);
        MqCluster cluster;
        QVERIFY(cluster.declare("q"));
        for (const std::string& id : ids(3)) QVERIFY(cluster.publish("q", id));
        QVERIFY(cluster.consume("c1", "q", 0));
        for (const Step& step : steps) {
            cluster.send("c1", settleBody(step.verb, step.tag, true));
            cluster.run(millis(40));
        }
        const std::vector<MqChannelClosed> closed = cluster.closed("c1");
        QCOMPARE(closed.size(), std::size_t(1));
        QCOMPARE(closed[0].queue, std::string("q"));
        QVERIFY2(closed[0].reason.find(reason) != std::string::npos, closed[0].reason.c_str());
        QVERIFY(closed[0].reason.starts_with("PRECONDITION_FAILED"));
        QVERIFY(!cluster.broker()->channel("c1", "q"));
        QCOMPARE(cluster.ready("q"), requeued);
        QCOMPARE(cluster.broker()->stats().channelErrors, std::uint64_t(1));
        // Another consumer gets them, flagged as redelivered, in their original order.
        QVERIFY(cluster.consume("c2", "q", 0));
        QCOMPARE(cluster.delivered("c2"), requeued);
        // The closed channel's next ack is refused (there is no channel to close).
        QCOMPARE(cluster.errorCode("c1", makeBody(MqAck{"q", 1, false})), int(ErrorCode::PreconditionFailed));
    }

    // --- nack and reject ---

    void requeueKeepsTheOriginalPosition_data() {
        QTest::addColumn<Steps>("steps");
        QTest::addColumn<std::string>("queueAfter");
        QTest::addColumn<std::string>("c1After");  // everything c1 was given
        QTest::newRow("reject 2") << Steps{{Verb::Reject, 2}} << std::string("m2* m4 m5")
                                  << std::string("m1 m2 m3");
        QTest::newRow("nack 1") << Steps{{Verb::Nack, 1}} << std::string("m1* m4 m5")
                                << std::string("m1 m2 m3");
        // All three go back; c1, now below its prefetch of 1, at once takes the head again: m1.
        QTest::newRow("nack multiple 3")
            << Steps{{Verb::NackMultiple, 3}} << std::string("m2* m3* m4 m5") << std::string("m1 m2 m3 m1*");
        QTest::newRow("reject 3, then reject 1") << Steps{{Verb::Reject, 3}, {Verb::Reject, 1}}
                                                 << std::string("m1* m3* m4 m5") << std::string("m1 m2 m3");
    }
    void requeueKeepsTheOriginalPosition() {
        QFETCH(Steps, steps);
        QFETCH(std::string, queueAfter);
        QFETCH(std::string, c1After);
        MqCluster cluster;
        QVERIFY(cluster.declare("q"));
        QVERIFY(cluster.consume("c1", "q", 3));
        for (const std::string& id : ids(5)) QVERIFY(cluster.publish("q", id));
        QCOMPARE(cluster.delivered("c1"), std::string("m1 m2 m3"));
        // Stop c1 from taking more (prefetch 1 while it holds at least one), so the queue can be read.
        QVERIFY(cluster.consume("c1", "q", 1));
        for (const Step& step : steps) {
            cluster.send("c1", settleBody(step.verb, step.tag, true));
            cluster.run(millis(40));
        }
        QCOMPARE(cluster.ready("q"), queueAfter);
        QCOMPARE(cluster.delivered("c1"), c1After);
        QVERIFY(cluster.closed("c1").empty());
        // The next consumer takes them from the head: the requeued ones first, flagged.
        QVERIFY(cluster.consume("c2", "q", 0));
        QCOMPARE(cluster.delivered("c2"), queueAfter);
    }

    void withoutRequeueMessagesAreDeadLettered_data() {
        QTest::addColumn<Steps>("steps");
        QTest::addColumn<std::string>("dead");
        QTest::addColumn<bool>("durable");
        QTest::newRow("reject 2, transient") << Steps{{Verb::Reject, 2}} << std::string("m2") << false;
        QTest::newRow("nack 1 and 3, durable")
            << Steps{{Verb::Nack, 3}, {Verb::Nack, 1}} << std::string("m3 m1") << true;
        QTest::newRow("nack multiple 3")
            << Steps{{Verb::NackMultiple, 3}} << std::string("m1 m2 m3") << false;
    }
    void withoutRequeueMessagesAreDeadLettered() {
        QFETCH(Steps, steps);
        QFETCH(std::string, dead);
        QFETCH(bool, durable);
        MqCluster cluster;
        QVERIFY(cluster.declare("q", durable));
        for (const std::string& id : ids(3)) QVERIFY(cluster.publish("q", id, true));
        QVERIFY(cluster.consume("c1", "q", 0));
        QCOMPARE(cluster.ready("q.dlq"), std::string("<none>"));  // created on demand
        for (const Step& step : steps) {
            cluster.send("c1", settleBody(step.verb, step.tag, /*requeue=*/false));
            cluster.run(millis(40));
        }
        QCOMPARE(cluster.ready("q.dlq"), dead);
        QCOMPARE(cluster.broker()->queue("q.dlq")->durable, durable);
        QVERIFY(cluster.closed("c1").empty());
        // A dead letter is a new message in its queue: delivered from there as never delivered before.
        QVERIFY(cluster.consume("c2", "q.dlq", 0));
        QCOMPARE(cluster.delivered("c2"), dead);
        const std::vector<std::string> states = cluster.states();
        QVERIFY(std::any_of(states.begin(), states.end(), [](const std::string& s) {
            return s.find("dead-lettered to q.dlq (rejected)") != std::string::npos;
        }));
    }

    void deliveryLimitDeadLetters_data() {
        QTest::addColumn<int>("how");  // 0: reject with requeue, 1: cancel, 2: channel error
        QTest::newRow("rejected with requeue, again and again") << 0;
        QTest::newRow("consumer cancels, again and again") << 1;
        QTest::newRow("channel errors, again and again") << 2;
    }
    void deliveryLimitDeadLetters() {
        QFETCH(int, how);
        BrokerConfig config = quietConfig();
        config.deliveryLimit = 3;
        MqCluster cluster(config);
        QVERIFY(cluster.declare("q"));
        QVERIFY(cluster.publish("q", "poison"));
        for (int round = 1; round <= 4; ++round) {  // a limit of 3 allows 4 deliveries
            // A rejected message comes straight back to the open channel; the others consume again.
            if (how != 0 || round == 1) QVERIFY(cluster.consume("c1", "q", 1));
            const std::vector<MqDeliver> got = cluster.deliveries("c1");
            QCOMPARE(int(got.size()), round);
            if (how == 0) {
                cluster.send("c1", makeBody(MqReject{"q", got.back().delivery_tag, true}));
            } else if (how == 1) {
                cluster.send("c1", makeBody(MqCancel{"q"}));
            } else {
                cluster.send("c1", makeBody(MqAck{"q", 99, false}));
            }
            cluster.run(millis(40));
        }
        QCOMPARE(cluster.delivered("c1"), std::string("poison poison* poison* poison*"));
        QCOMPARE(cluster.ready("q"), std::string());
        QCOMPARE(cluster.ready("q.dlq"), std::string("poison"));
        QCOMPARE(cluster.broker()->stats().deadLettered, std::uint64_t(1));
    }

    // --- channels that reopen, time out together, or are gone ---

    // A reopened channel goes on with the next tag: an ack delayed past the reopening cannot settle a new
    // delivery.
    void aReopenedChannelNeverReusesATag() {
        MqCluster cluster;
        QVERIFY(cluster.declare("q"));
        QVERIFY(cluster.consume("c1", "q", 1));
        for (const std::string& id : ids(3)) QVERIFY(cluster.publish("q", id));
        QCOMPARE(cluster.ask("c1", makeBody(MqCancel{"q"})).type, std::string(MqCancelOk::kType));
        QVERIFY(cluster.consume("c1", "q", 1));
        const std::vector<MqDeliver> got = cluster.deliveries("c1");
        QCOMPARE(int(got.size()), 2);
        QCOMPARE(got[0].delivery_tag, std::int64_t(1));
        QCOMPARE(got[1].delivery_tag, std::int64_t(2));  // m1 again, under a tag never used before
        QCOMPARE(cluster.errorCode("c1", makeBody(MqAck{"q", 1, false})), -1);  // -1: no error...
        QVERIFY(!cluster.closed("c1").empty());  // ...but tag 1 is not held: the channel closes
    }

    // Channels that time out together all close before anything is handed out again: none of them is
    // given a message just before it closes.
    void channelsTimingOutTogetherGetNothingBack() {
        BrokerConfig config;
        config.heartbeatMs = 100;
        config.deliveryLimit = 2;
        MqCluster cluster(config);
        QVERIFY(cluster.declare("q"));
        QVERIFY(cluster.consume("c1", "q", 1));
        QVERIFY(cluster.consume("c2", "q", 0));
        for (const std::string& id : ids(2)) QVERIFY(cluster.publish("q", id));
        QCOMPARE(cluster.delivered("c1"), std::string("m1"));
        QCOMPARE(cluster.delivered("c2"), std::string("m2"));
        cluster.run(millis(1000));  // both silent
        QVERIFY(!cluster.broker()->channel("c1", "q"));
        QVERIFY(!cluster.broker()->channel("c2", "q"));
        QCOMPARE(cluster.delivered("c1"), std::string("m1"));
        QCOMPARE(cluster.delivered("c2"), std::string("m2"));
        QCOMPARE(cluster.ready("q"), std::string("m1* m2*"));
        QCOMPARE(cluster.broker()->stats().deadLettered, std::uint64_t(0));  // each was delivered once
    }

    // A consumer whose channels are gone (the broker restarted) hears so at its next heartbeat.
    void aHeartbeatWithoutAChannelIsAnswered() {
        BrokerConfig config;
        config.heartbeatMs = 100;
        MqCluster cluster(config);
        QVERIFY(cluster.declare("q", true));
        QVERIFY(cluster.consume("c1", "q", 1));
        QCOMPARE(cluster.errorCode("c1", makeBody(MqHeartbeat{})), -1);  // open: no answer
        QVERIFY(cluster.world.crash("broker").ok());
        QVERIFY(cluster.world.restart("broker").ok());
        QCOMPARE(cluster.errorCode("c1", makeBody(MqHeartbeat{})), int(ErrorCode::PreconditionFailed));
    }

    // RabbitMQ's consumer_timeout: a delivery left unacknowledged too long (here: its ack was lost) closes
    // the channel with a channel error and comes back, redelivered; a channel that keeps acking in time is
    // left alone.
    void anAckTimeoutClosesTheChannelAndRequeues() {
        BrokerConfig config = quietConfig();
        config.ackTimeoutMs = 300;
        MqCluster cluster(config);
        QVERIFY(cluster.declare("q"));
        QVERIFY(cluster.consume("c1", "q", 2));
        QVERIFY(cluster.consume("c2", "q", 2));
        for (const std::string& id : ids(2)) QVERIFY(cluster.publish("q", id));
        QCOMPARE(cluster.delivered("c1"), std::string("m1"));
        QCOMPARE(cluster.delivered("c2"), std::string("m2"));
        cluster.ack("c2", "q", cluster.deliveries("c2").front().delivery_tag);  // c1's ack never comes
        cluster.run(millis(200));
        QVERIFY(cluster.broker()->channel("c1", "q"));  // 240 ms: not yet
        cluster.run(millis(400));
        QVERIFY(!cluster.broker()->channel("c1", "q"));
        QVERIFY(cluster.broker()->channel("c2", "q"));
        const std::vector<MqChannelClosed> closed = cluster.closed("c1");
        QCOMPARE(int(closed.size()), 1);
        QVERIFY2(
            closed.front().reason.starts_with("PRECONDITION_FAILED - delivery acknowledgement timed out"),
            closed.front().reason.c_str());
        QCOMPARE(cluster.delivered("c2"), std::string("m2 m1*"));  // back to the consumer still there
        QCOMPARE(cluster.broker()->stats().ackTimeouts, std::uint64_t(1));
        QVERIFY(cluster.closed("c2").empty());
    }

    // Tags never repeat across broker restarts: an ack sent to the old broker cannot settle a delivery of
    // the new one, which would lose a message nobody processed.
    void tagsNeverRepeatAcrossBrokerRestarts() {
        MqCluster cluster;
        QVERIFY(cluster.declare("q", true));
        QVERIFY(cluster.consume("c1", "q", 1));
        QVERIFY(cluster.publish("q", "m1", true));
        QVERIFY(cluster.publish("q", "m2", true));
        QCOMPARE(cluster.deliveries("c1").back().delivery_tag, std::int64_t(1));
        QVERIFY(cluster.world.crash("broker").ok());
        QVERIFY(cluster.world.restart("broker").ok());
        cluster.run(millis(1));
        QVERIFY(cluster.consume("c1", "q", 1));
        const MqDeliver again = cluster.deliveries("c1").back();
        QCOMPARE(again.message_id, std::string("m1"));
        QVERIFY(again.redelivered);
        QCOMPARE(again.delivery_tag, std::int64_t(2));  // the disk knew tag 1 was used
        cluster.ack("c1", "q", 1);  // the old incarnation's tag: a channel error, m1 stays
        QCOMPARE(cluster.ready("q"), std::string("m1* m2"));
        QCOMPARE(cluster.broker()->stats().acked, std::uint64_t(0));
        QCOMPARE(Disk(cluster.world.store(*cluster.world.indexOf("broker"))).get("mq/tag/q/c1").value_or(""),
                 std::string("3"));
    }

    // --- consumers that go away ---

    void departedConsumerGivesItsDeliveriesBack_data() {
        QTest::addColumn<QString>("how");
        QTest::addColumn<std::string>("c2Got");
        // Cancelled at once, m1 and m3 are back before c2 acks m2; a timeout takes 300-400 ms, by which
        // time c2 has acked m2 and taken m4.
        QTest::newRow("cancel") << "cancel" << std::string("m2 m1* m3* m4");
        QTest::newRow("crash, then heartbeat timeout") << "crash" << std::string("m2 m4 m1* m3*");
        QTest::newRow("silent, then heartbeat timeout") << "silent" << std::string("m2 m4 m1* m3*");
    }
    void departedConsumerGivesItsDeliveriesBack() {
        QFETCH(QString, how);
        QFETCH(std::string, c2Got);
        BrokerConfig config;
        config.heartbeatMs = 100;
        MqCluster cluster(config);
        QVERIFY(cluster.declare("q"));
        QVERIFY(cluster.consume("c1", "q", 2));
        QVERIFY(cluster.consume("c2", "q", 1));
        for (const std::string& id : ids(4)) QVERIFY(cluster.publish("q", id));
        QCOMPARE(cluster.delivered("c1"), std::string("m1 m3"));
        QCOMPARE(cluster.delivered("c2"), std::string("m2"));
        if (how == "cancel") {
            QCOMPARE(cluster.ask("c1", makeBody(MqCancel{"q"})).type, std::string(MqCancelOk::kType));
        } else if (how == "crash") {
            QVERIFY(cluster.world.crash("c1").ok());
        }
        // c2 keeps heartbeating and acks whatever it holds; c1 (unless it cancelled) is silent from here on.
        for (int i = 0; i < 8; ++i) {
            cluster.send("c2", makeBody(MqHeartbeat{}));
            cluster.send("c2", makeBody(MqAck{"q", 0, true}));
            cluster.run(millis(100));
        }
        QVERIFY(!cluster.broker()->channel("c1", "q"));
        QVERIFY(cluster.broker()->channel("c2", "q"));
        if (how == "silent") {
            QCOMPARE(cluster.closed("c1").size(), std::size_t(1));
            QVERIFY(cluster.closed("c1")[0].reason.starts_with("missed heartbeats"));
        }
        // c2 (prefetch 1) got c1's messages back, redelivered and in their original order.
        QCOMPARE(cluster.delivered("c2"), c2Got);
        QCOMPARE(cluster.ready("q"), std::string());
        QCOMPARE(cluster.broker()->stats().acked, std::uint64_t(4));
        QCOMPARE(cluster.broker()->stats().channelTimeouts, std::uint64_t(how == "cancel" ? 0 : 1));
    }

    // --- durability ---

    void brokerRestartKeepsOnlyDurableThings_data() {
        QTest::addColumn<bool>("durableQueue");
        QTest::addColumn<bool>("persistent");
        QTest::addColumn<std::string>("after");  // ready messages after the restart, <none>: no queue
        QTest::newRow("durable queue, persistent messages") << true << true << std::string("m2* m4*");
        QTest::newRow("durable queue, transient messages") << true << false << std::string();
        QTest::newRow("transient queue, persistent messages") << false << true << std::string("<none>");
        QTest::newRow("transient queue, transient messages") << false << false << std::string("<none>");
    }
    void brokerRestartKeepsOnlyDurableThings() {
        QFETCH(bool, durableQueue);
        QFETCH(bool, persistent);
        QFETCH(std::string, after);
        MqCluster cluster;
        QVERIFY(cluster.declare("q", durableQueue));
        QVERIFY(cluster.ask("p", makeBody(MqBind{"fan", "q"})).type == MqBindOk::kType);
        for (const std::string& id : ids(4)) QVERIFY(cluster.publish("q", id, persistent));
        QVERIFY(cluster.consume("c1", "q", 2));
        cluster.ack("c1", "q", 1);  // m1 acked; m2 delivered, unacked; m3 delivered after the ack
        cluster.ack("c1", "q", 3);  // m3 acked too; m4 delivered after it
        QCOMPARE(cluster.delivered("c1"), std::string("m1 m2 m3 m4"));
        QVERIFY(cluster.world.crash("broker").ok());
        QVERIFY(cluster.world.restart("broker").ok());
        cluster.run(millis(10));
        // m2 and m4 went out before the crash: they come back flagged; acked m1 and m3 never come back.
        QCOMPARE(cluster.ready("q"), after);
        QVERIFY(cluster.broker()->channels().empty());  // channels do not survive a restart
        QCOMPARE(cluster.broker()->bindings().contains("fan"), durableQueue);
        if (durableQueue) {
            QVERIFY(cluster.broker()->queue("q")->durable);
            // New messages go behind the recovered ones.
            QVERIFY(cluster.publish("fan", "m5", persistent));
            QVERIFY(cluster.consume("c2", "q", 0));
            QCOMPARE(cluster.delivered("c2"), std::string(persistent ? "m2* m4* m5" : "m5"));
        } else {
            QCOMPARE(cluster.errorCode("p", makeBody(MqPublish{"q", "m5", "x", true})),
                     int(ErrorCode::KeyDoesNotExist));
        }
    }

    void confirmLeavesOnlyAfterTheDurableWrite_data() {
        QTest::addColumn<bool>("durableQueue");
        QTest::addColumn<bool>("persistent");
        QTest::newRow("persistent on durable: on disk before the confirm") << true << true;
        QTest::newRow("transient on durable: confirmed from memory") << true << false;
        QTest::newRow("persistent on transient: confirmed from memory") << false << true;
    }
    void confirmLeavesOnlyAfterTheDurableWrite() {
        QFETCH(bool, durableQueue);
        QFETCH(bool, persistent);
        MqCluster cluster;
        QVERIFY(cluster.declare("q", durableQueue));
        QVERIFY(cluster.world.sendFrom("p", "broker", makeBody(MqPublish{"q", "m1", "x", persistent})).ok());
        // Step until the confirm is on the wire, and look at the broker's disk at that very moment.
        auto confirmInFlight = [&] {
            for (const auto& [id, delivery] : cluster.world.inFlight()) {
                if (delivery.envelope->body.type == MqConfirm::kType) return true;
            }
            return false;
        };
        bool sent = false;
        for (int i = 0; i < 1000 && !sent; ++i) {
            QVERIFY(cluster.world.step());
            sent = confirmInFlight();
        }
        QVERIFY(sent);
        const std::string key = Broker::messageStoreKey("q", 1);
        std::string stored;
        const bool onDisk = cluster.store().get(key, stored) == StoreStatus::Ok;
        QCOMPARE(onDisk, durableQueue && persistent);
        if (onDisk) QVERIFY(stored.find("\"m1\"") != std::string::npos);
        // The broker dies while the confirm travels: a confirmed persistent message on a durable queue is
        // still there after the restart.
        QVERIFY(cluster.world.crash("broker").ok());
        QVERIFY(cluster.world.restart("broker").ok());
        cluster.run(millis(40));
        QVERIFY(!cluster.probe("p")->received.empty());
        QCOMPARE(cluster.probe("p")->received.back().body.type, std::string(MqConfirm::kType));
        QCOMPARE(cluster.ready("q"), std::string(durableQueue ? (persistent ? "m1" : "") : "<none>"));
    }

    // --- exchanges ---

    void fanoutCopiesToEveryBoundQueue() {
        MqCluster cluster;
        for (const char* q : {"audit", "billing", "mail"}) QVERIFY(cluster.declare(q));
        for (const char* q : {"audit", "billing", "mail"})
            QVERIFY(cluster.ask("p", makeBody(MqBind{"orders", q})).type == MqBindOk::kType);
        QVERIFY(cluster.ask("p", makeBody(MqBind{"orders", "mail"})).type == MqBindOk::kType);  // idempotent
        QVERIFY(cluster.publish("orders", "o1"));
        QVERIFY(cluster.publish("orders", "o2"));
        QVERIFY(cluster.publish("billing", "b1"));  // the default exchange still routes by queue name
        QCOMPARE(cluster.ready("audit"), std::string("o1 o2"));
        QCOMPARE(cluster.ready("billing"), std::string("o1 o2 b1"));
        QCOMPARE(cluster.ready("mail"), std::string("o1 o2"));
        QCOMPARE(cluster.broker()->stats().published, std::uint64_t(3));
        int confirms = 0;
        for (const Envelope& e : cluster.probe("p")->received) confirms += e.body.type == MqConfirm::kType;
        QCOMPARE(confirms, 3);
        // Each copy is its own message: acking one queue's copy leaves the others.
        QVERIFY(cluster.consume("c1", "audit", 0));
        cluster.ack("c1", "audit", 0, true);
        QCOMPARE(cluster.ready("mail"), std::string("o1 o2"));
        QCOMPARE(cluster.broker()->unackedCount("audit"), std::size_t(0));
    }

    // --- bad input changes nothing ---

    void badRequestsGetErrorsAndChangeNothing_data() {
        QTest::addColumn<Body>("request");
        QTest::addColumn<int>("code");
        auto raw = [](const char* type, Json fields) { return Body{type, 0, {}, std::move(fields)}; };
        const int malformed = int(ErrorCode::MalformedRequest);
        QTest::newRow("declare without a queue") << raw("mq_declare", Json::object()) << malformed;
        QTest::newRow("declare with a numeric name") << raw("mq_declare", {{"queue", 7}}) << malformed;
        QTest::newRow("declare with a 65-byte name")
            << makeBody(MqDeclare{std::string(65, 'a'), false}) << malformed;
        QTest::newRow("declare with a slash") << makeBody(MqDeclare{"a/b", false}) << malformed;
        QTest::newRow("durable as a string")
            << raw("mq_declare", {{"queue", "q"}, {"durable", "yes"}}) << malformed;
        QTest::newRow("redeclare with other durability")
            << makeBody(MqDeclare{"q", false}) << int(ErrorCode::PreconditionFailed);
        QTest::newRow("declare a queue named like an exchange")
            << makeBody(MqDeclare{"fan", false}) << int(ErrorCode::PreconditionFailed);
        QTest::newRow("one queue too many")
            << makeBody(MqDeclare{"extra", false}) << int(ErrorCode::TemporarilyUnavailable);
        QTest::newRow("publish an oversized body")
            << makeBody(MqPublish{"q", "m9", std::string(65, 'x'), true}) << malformed;
        QTest::newRow("publish without message_id")
            << raw("mq_publish", {{"exchange_or_queue", "q"}, {"body", ""}}) << malformed;
        QTest::newRow("publish with an empty message_id")
            << makeBody(MqPublish{"q", "", "x", false}) << malformed;
        QTest::newRow("publish with a 65-byte message_id")
            << makeBody(MqPublish{"q", std::string(65, 'i'), "x", false}) << malformed;
        QTest::newRow("publish with a numeric body")
            << raw("mq_publish", {{"exchange_or_queue", "q"}, {"message_id", "m"}, {"body", 3}}) << malformed;
        QTest::newRow("publish to nowhere (unroutable)")
            << makeBody(MqPublish{"nowhere", "m9", "x", false}) << int(ErrorCode::KeyDoesNotExist);
        QTest::newRow("publish to a full queue")
            << makeBody(MqPublish{"small", "m9", "x", false}) << int(ErrorCode::TemporarilyUnavailable);
        QTest::newRow("fanout with one full queue")
            << makeBody(MqPublish{"fan", "m9", "x", true}) << int(ErrorCode::TemporarilyUnavailable);
        QTest::newRow("bind to a missing queue")
            << makeBody(MqBind{"fan", "missing"}) << int(ErrorCode::KeyDoesNotExist);
        QTest::newRow("bind an exchange named like a queue")
            << makeBody(MqBind{"small", "q"}) << int(ErrorCode::PreconditionFailed);
        QTest::newRow("consume a missing queue")
            << makeBody(MqConsume{"missing", 1}) << int(ErrorCode::KeyDoesNotExist);
        QTest::newRow("negative prefetch") << makeBody(MqConsume{"q", -1}) << malformed;
        QTest::newRow("prefetch above 65535") << makeBody(MqConsume{"q", 65536}) << malformed;
        QTest::newRow("prefetch as a float")
            << raw("mq_consume", {{"queue", "q"}, {"prefetch", 1.5}}) << malformed;
        QTest::newRow("one channel too many")
            << makeBody(MqConsume{"q", 1}) << int(ErrorCode::TemporarilyUnavailable);
        QTest::newRow("ack with a string tag")
            << raw("mq_ack", {{"queue", "q"}, {"delivery_tag", "1"}}) << malformed;
        QTest::newRow("ack with a negative tag") << makeBody(MqAck{"q", -1, false}) << malformed;
        QTest::newRow("ack with a huge tag")
            << raw("mq_ack", {{"queue", "q"}, {"delivery_tag", std::uint64_t(1) << 63}}) << malformed;
        QTest::newRow("nack with requeue as 1")
            << raw("mq_nack", {{"queue", "q"}, {"delivery_tag", 1}, {"requeue", 1}}) << malformed;
        QTest::newRow("reject without a tag") << raw("mq_reject", {{"queue", "q"}}) << malformed;
        QTest::newRow("ack on a queue without a channel")
            << makeBody(MqAck{"q", 1, false}) << int(ErrorCode::PreconditionFailed);
        QTest::newRow("cancel with an array body") << raw("mq_cancel", Json::array({1, 2})) << malformed;
        QTest::newRow("an unknown type") << raw("mq_purge", {{"queue", "q"}}) << int(ErrorCode::NotSupported);
    }
    void badRequestsGetErrorsAndChangeNothing() {
        QFETCH(Body, request);
        QFETCH(int, code);
        BrokerConfig config = quietConfig();
        config.queuesMax = 2;
        config.channelsMax = 1;
        config.messagesPerQueueMax = 1;
        config.bodyBytesMax = 64;
        MqCluster cluster(config);
        QVERIFY(cluster.declare("q", true));
        QVERIFY(cluster.declare("small"));
        QVERIFY(cluster.ask("p", makeBody(MqBind{"fan", "q"})).type == MqBindOk::kType);
        QVERIFY(cluster.ask("p", makeBody(MqBind{"fan", "small"})).type == MqBindOk::kType);
        QVERIFY(cluster.publish("small", "s1", false));  // "small" is now full
        QVERIFY(cluster.consume("c3", "small", 1));      // the only channel
        const std::string before = cluster.snapshot();
        const int got = cluster.errorCode("p", request);
        QCOMPARE(got, code);
        QCOMPARE(cluster.snapshot(), before);
    }

    // --- what a view and the inspector read ---

    void traceAndInspectorShowQueueState() {
        MqCluster cluster;
        QVERIFY(cluster.declare("orders", true));
        for (const std::string& id : ids(5)) QVERIFY(cluster.publish("orders", id, true));
        QVERIFY(cluster.consume("c1", "orders", 2));
        const std::vector<std::string> states = cluster.states();
        QVERIFY(std::find(states.begin(), states.end(), "queue orders: 5 ready, 0 unacked") != states.end());
        QCOMPARE(states.back(), std::string("queue orders: 3 ready, 2 unacked"));
        std::vector<std::pair<std::string, std::string>> rows;
        cluster.broker()->describe(rows);
        auto has = [&](const std::string& label, const std::string& value) {
            return std::find(rows.begin(), rows.end(), std::pair{label, value}) != rows.end();
        };
        QVERIFY(has("queues", "1"));
        QVERIFY(has("delivered", "2"));
        QVERIFY(has("queue", "orders (durable): 3 ready, 2 unacked, 1 consumers"));
        QVERIFY(has("channel", "c1 on orders: prefetch 2, 2 unacked, next tag 3"));
    }

    void brokerCopiesForCheckpoints() {
        MqCluster cluster;
        QVERIFY(cluster.declare("q"));
        for (const std::string& id : ids(3)) QVERIFY(cluster.publish("q", id));
        QVERIFY(cluster.consume("c1", "q", 1));
        std::unique_ptr<Node> copy = cluster.broker()->clone();
        QVERIFY(copy);
        auto* broker = dynamic_cast<Broker*>(copy.get());
        QVERIFY(broker);
        QCOMPARE(broker->queue("q")->ready.size(), std::size_t(2));
        QCOMPARE(broker->channel("c1", "q")->unacked.size(), std::size_t(1));
        QCOMPARE(broker->channel("c1", "q")->nextTag, std::int64_t(2));
    }
};

QTEST_GUILESS_MAIN(TestBroker)
#include "tst_broker.moc"
