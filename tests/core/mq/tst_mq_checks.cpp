// The queue lab's checkers on hand-written histories, written the way the producer, the consumers and the
// ledger record them: total-queue blames only confirmed messages that never came out of the queue (and
// excuses the transient ones a broker crash after their publish was allowed to take, and the ones the
// broker still holds), effect-once blames an effect applied twice and an ack without an effect, and the
// summary counts what the views show.
#include <QTest>

#include <map>
#include <string>

#include "core/check/mq_checks.h"
#include "core/sim/world.h"

using namespace distlab;

namespace {

// A history written by hand into a world's trace: each op is a client op and a Client trace event whose
// ref is the op's index, as the World records them.
class History {
public:
    History() : m_world(1) {}

    // The producer: a publish invoke, then its completion.
    History& publish(int ms, const std::string& id, bool persistent = true, const std::string& queue = "q1",
                     const std::string& mode = "amqp") {
        m_publishOps[id] = ++m_opIds["prod"];
        return op(ms, "prod", m_publishOps[id], OpPhase::Invoke, "publish",
                  Json{{"queue", queue}, {"message_id", id}, {"persistent", persistent}, {"mode", mode}});
    }
    History& confirm(int ms, const std::string& id, const std::string& queue = "q1") {
        return confirmAt(millis(ms), id, queue);
    }
    // A confirm at a time finer than a millisecond.
    History& confirmAt(SimTime at, const std::string& id, const std::string& queue = "q1") {
        return opAt(at, "prod", m_publishOps.at(id), OpPhase::Ok, "publish",
                    Json{{"queue", queue}, {"message_id", id}});
    }
    History& refuse(int ms, const std::string& id) {
        return op(ms, "prod", m_publishOps.at(id), OpPhase::Fail, "publish",
                  Json{{"message_id", id}, {"error", "no such exchange"}});
    }
    History& noConfirm(int ms, const std::string& id) {
        return op(ms, "prod", m_publishOps.at(id), OpPhase::Unknown, "publish",
                  Json{{"message_id", id}, {"error", "no confirm"}});
    }
    // Brokerless: the push is all the producer gets, recorded right after the invoke.
    History& push(int ms, const std::string& id, int subscribers = 1) {
        publish(ms, id, false, "q1", "brokerless");
        Json ok{{"queue", "q1"}, {"message_id", id}};
        if (subscribers == 0) ok["subscribers"] = 0;
        return op(ms, "prod", m_publishOps.at(id), OpPhase::Ok, "publish", std::move(ok));
    }

    // The consumers and the ledger: single ok records.
    History& deliver(int ms, const std::string& consumer, const std::string& id, bool redelivered = false) {
        return single(ms, consumer, "deliver",
                      Json{{"queue", "q1"},
                           {"message_id", id},
                           {"delivery_tag", ++m_tags[consumer]},
                           {"redelivered", redelivered}});
    }
    History& ack(int ms, const std::string& consumer, const std::string& id) {
        return single(ms, consumer, "ack",
                      Json{{"queue", "q1"}, {"message_id", id}, {"delivery_tag", m_tags[consumer]}});
    }
    History& nack(int ms, const std::string& consumer, const std::string& id) {
        return single(
            ms, consumer, "nack",
            Json{{"queue", "q1"}, {"message_id", id}, {"delivery_tag", m_tags[consumer]}, {"requeue", true}});
    }
    History& drop(int ms, const std::string& consumer, const std::string& id) {
        return single(ms, consumer, "drop",
                      Json{{"queue", "q1"}, {"message_id", id}, {"reason", "inbox full"}});
    }
    History& effect(int ms, const std::string& consumer, const std::string& id, bool applied = true) {
        if (applied) ++m_effects[id];
        return single(
            ms, "ledger", "effect",
            Json{{"message_id", id}, {"consumer", consumer}, {"applied", applied}, {"count", m_effects[id]}});
    }
    // A message taken all the way: delivered to `consumer`, applied, acked.
    History& consume(int ms, const std::string& consumer, const std::string& id) {
        return deliver(ms, consumer, id).effect(ms + 5, consumer, id).ack(ms + 10, consumer, id);
    }

    const World& world() const { return m_world; }

private:
    History& single(int ms, const std::string& process, const std::string& f, Json value) {
        return op(ms, process, ++m_opIds[process], OpPhase::Ok, f, std::move(value));
    }
    History& op(int ms, const std::string& process, std::int64_t opId, OpPhase phase, const std::string& f,
                Json value) {
        return opAt(millis(ms), process, opId, phase, f, std::move(value));
    }
    History& opAt(SimTime at, const std::string& process, std::int64_t opId, OpPhase phase,
                  const std::string& f, Json value) {
        Trace& trace = m_world.trace();
        const std::size_t index = trace.addClientOp(ClientOp{at, process, opId, phase, f, std::move(value)});
        // A note first, so that trace event indices differ from op indices and a mix-up shows.
        trace.append(at, TraceKind::Note, trace.intern(process), kNoName, trace.intern(f));
        trace.append(at, TraceKind::Client, trace.intern(process), kNoName, kNoName, index);
        return *this;
    }

    World m_world;
    std::map<std::string, std::int64_t> m_opIds;       // process -> its last op id
    std::map<std::string, std::int64_t> m_publishOps;  // message id -> its publish op id
    std::map<std::string, std::int64_t> m_tags;        // consumer -> its last delivery tag
    std::map<std::string, std::int64_t> m_effects;     // message id -> effects applied so far
};

// The stories the data-driven tests name. Every one starts with the same clean part: m1 published,
// confirmed and consumed by w1.
void buildStory(History& h, const QString& name) {
    h.publish(10, "m1").confirm(20, "m1").consume(30, "w1", "m1");
    if (name == "clean") {
        h.publish(50, "m2").confirm(60, "m2").consume(70, "w2", "m2");
    } else if (name == "delivered before its confirm") {
        h.publish(50, "m2").consume(55, "w2", "m2").confirm(80, "m2");
    } else if (name == "clean brokerless") {
        h.push(50, "m2").deliver(52, "w1", "m2").effect(55, "w1", "m2");
    } else if (name == "confirmed message lost") {
        h.publish(50, "m2").confirm(60, "m2");
    } else if (name == "five confirmed messages lost") {
        for (int i = 2; i <= 6; ++i) {
            const std::string id = "m" + std::to_string(i);
            h.publish(50 + i, id).confirm(60 + i, id);
        }
    } else if (name == "invoke only") {
        h.publish(50, "m2");
    } else if (name == "no confirm (unknown)") {
        h.publish(50, "m2").noConfirm(600, "m2");
    } else if (name == "refused (fail)") {
        h.publish(50, "m2").refuse(60, "m2");
    } else if (name == "still queued") {
        // A slow consumer: the broker confirmed m2..m4, and they wait in q1 when the check runs.
        for (int i = 2; i <= 4; ++i) {
            const std::string id = "m" + std::to_string(i);
            h.publish(50 + i, id).confirm(60 + i, id);
        }
    } else if (name == "one lost, one still queued") {
        h.publish(50, "m2").confirm(60, "m2").publish(70, "m3").confirm(80, "m3");
    } else if (name == "transient message, confirm arrives after the crash") {
        // The broker confirmed m2 and crashed at 200 ms; the confirm reached the producer at 203.4 ms.
        h.publish(150, "m2", false).confirmAt(millis(203) + 400, "m2");
    } else if (name.startsWith("transient message")) {
        h.publish(50, "m2", false).confirm(60, "m2");
    } else if (name.startsWith("persistent message")) {
        h.publish(50, "m2", true).confirm(60, "m2");
    } else if (name.startsWith("non-durable queue")) {
        h.publish(50, "m2", true, "scratch").confirm(60, "m2", "scratch");
    } else if (name == "unexpected delivery") {
        h.deliver(200, "w1", "m9");
    } else if (name == "duplicates") {
        h.deliver(100, "w2", "m1", true).deliver(150, "w1", "m1", true);
        h.publish(50, "m2").confirm(60, "m2").consume(70, "w2", "m2").deliver(160, "w1", "m2", true);
    } else if (name == "brokerless push to no subscriber") {
        h.push(50, "m2", 0);
    } else if (name == "brokerless push dropped") {
        h.push(50, "m2").drop(52, "w1", "m2");
    } else if (name == "brokerless push lost on the way") {
        h.push(50, "m2");
    } else if (name == "brokerless push, broker crash") {
        h.push(50, "m2");
    } else {
        qFatal("unknown story %s", qPrintable(name));
    }
}

// What a verdict's events point at, in trace order: "prod publish ok m2", "w1 deliver ok m9".
QStringList describeEvents(const World& world, const CheckResult& result) {
    const Trace& trace = world.trace();
    QStringList out;
    for (std::uint64_t index : result.events) {
        const TraceEvent& event = trace.events()[index];
        if (event.kind != TraceKind::Client) {
            out << QStringLiteral("event %1 is not a client event").arg(index);
            continue;
        }
        const ClientOp& op = trace.clientOps().at(event.ref);
        const std::string id = op.value.is_object() && op.value.contains("message_id")
                                   ? op.value["message_id"].get<std::string>()
                                   : std::string("?");
        out << QString::fromStdString(op.process + " " + op.f + " " + std::string(opPhaseName(op.phase)) +
                                      " " + id);
    }
    return out;
}

QByteArray context(const CheckResult& result, const QStringList& events) {
    return QByteArray("verdict ") + (result.ok ? "ok" : "failed") + ": " +
           QByteArray::fromStdString(result.explanation) + "\nevents: " + events.join(", ").toUtf8();
}

}  // namespace

class TestMqChecks : public QObject {
    Q_OBJECT

private slots:
    void totalQueue_data() {
        QTest::addColumn<QString>("story");
        QTest::addColumn<bool>("durableQ1");           // q1 durable in the options, else absent from them
        QTest::addColumn<QList<int>>("crashesMs");     // broker crashes
        QTest::addColumn<QStringList>("stillQueued");  // ids the broker holds when the check runs
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QStringList>("mentions");  // parts the explanation must contain
        QTest::addColumn<QStringList>("absent");    // parts it must not contain
        QTest::addColumn<QStringList>("events");    // what the verdict's events point at, in trace order
        QTest::addColumn<QStringList>("queued");    // the summary's still-queued ids, in confirm order

        const QList<int> none;
        const QStringList noQueue;
        QTest::newRow("clean: every confirmed message delivered -> pass")
            << "clean" << true << none << noQueue << true
            << QStringList{"All 2 confirmed messages were delivered at least once, and every delivered message "
                           "had been published."}
            << QStringList{"duplicate", "not judged", "crash"} << QStringList{} << QStringList{};
        QTest::newRow("delivered before the producer saw its confirm -> pass")
            << "delivered before its confirm" << true << none << noQueue << true
            << QStringList{"All 2 confirmed messages were delivered"} << QStringList{} << QStringList{}
            << QStringList{};
        QTest::newRow("brokerless: push, deliver -> pass")
            << "clean brokerless" << false << none << noQueue << true
            << QStringList{"All 2 confirmed messages"} << QStringList{} << QStringList{} << QStringList{};
        QTest::newRow("confirmed m2 never delivered -> fail naming m2, its publish ok attached")
            << "confirmed message lost" << true << none << noQueue << false
            << QStringList{"1 of the 2 confirmed messages was never delivered",
                           "m2, published to q1 by prod and confirmed at 60.0 ms, was never delivered.",
                           "A publisher confirm means the broker has taken responsibility"}
            << QStringList{"m1,", "Brokerless", "And "} << QStringList{"prod publish ok m2"} << QStringList{};
        QTest::newRow("five lost -> three spelled out, and 2 more")
            << "five confirmed messages lost" << true << none << noQueue << false
            << QStringList{"5 of the 6 confirmed messages were never delivered", "m2, published",
                           "m4, published", "And 2 more."}
            << QStringList{"m5, published"}
            << QStringList{"prod publish ok m2", "prod publish ok m3", "prod publish ok m4",
                           "prod publish ok m5", "prod publish ok m6"}
            << QStringList{};
        QTest::newRow("m2 invoked, never completed -> not judged, pass")
            << "invoke only" << true << none << noQueue << true
            << QStringList{"The 1 confirmed message was delivered at least once",
                           "1 published message was not judged because its publish never completed ok"}
            << QStringList{"m2"} << QStringList{} << QStringList{};
        QTest::newRow("m2 unknown (no confirm) -> not judged, pass")
            << "no confirm (unknown)" << true << none << noQueue << true
            << QStringList{"1 published message was not judged"} << QStringList{} << QStringList{}
            << QStringList{};
        QTest::newRow("m2 refused (fail) -> not judged, pass")
            << "refused (fail)" << true << none << noQueue << true
            << QStringList{"1 published message was not judged"} << QStringList{} << QStringList{}
            << QStringList{};
        QTest::newRow("transient m2 on durable q1, broker crash after its confirm -> excused, pass")
            << "transient message, crash after confirm" << true << QList<int>{100} << noQueue << true
            << QStringList{"1 of the 2 confirmed messages was delivered at least once, and every delivered "
                           "message had been published. The other 1 was lost in a broker crash, which is allowed: "
                           "a broker keeps only persistent messages on durable queues over a restart.",
                           "m2 was transient (published with persistent false) and the broker crashed at "
                           "100.0 ms, "
                           "after its confirm at 60.0 ms and before any delivery of it."}
            << QStringList{} << QStringList{} << QStringList{};
        QTest::newRow("transient m2, broker crash at the instant of its confirm -> excused, pass")
            << "transient message, crash at confirm" << true << QList<int>{60} << noQueue << true
            << QStringList{"the broker crashed at 60.0 ms, after its confirm at 60.0 ms"} << QStringList{}
            << QStringList{} << QStringList{};
        QTest::newRow("persistent m2 on non-durable queue, crash after its confirm -> excused, pass")
            << "non-durable queue, crash after confirm" << true << QList<int>{5, 100} << noQueue << true
            << QStringList{"m2 was on scratch, which is not durable, and the broker crashed at 100.0 ms"}
            << QStringList{} << QStringList{} << QStringList{};
        QTest::newRow("persistent m2 on durable q1, crash after its confirm -> not excused, fail")
            << "persistent message, crash after confirm" << true << QList<int>{100} << noQueue << false
            << QStringList{"m2, published to q1 by prod and confirmed at 60.0 ms, was never delivered. The broker "
                           "crashed at 100.0 ms, but the message was persistent on a durable queue, so the broker "
                           "had to keep it."}
            << QStringList{"allowed"} << QStringList{"prod publish ok m2"} << QStringList{};
        QTest::newRow("persistent m2, q1 absent from the options, crash after confirm -> excused, pass")
            << "persistent message, queue not in options" << false << QList<int>{100} << noQueue << true
            << QStringList{"m2 was on q1, which is not durable"} << QStringList{} << QStringList{}
            << QStringList{};
        QTest::newRow("transient m2, broker crash after its publish, before its confirm arrived -> excused, pass")
            << "transient message, crash before confirm" << true << QList<int>{55} << noQueue << true
            << QStringList{"m2 was transient (published with persistent false) and the broker crashed at 55.0 ms, "
                           "after its publish at 50.0 ms (the broker had sent its confirm, which arrived at "
                           "60.0 ms) and before any delivery of it."}
            << QStringList{"never delivered"} << QStringList{} << QStringList{};
        QTest::newRow("transient m2, crash at 200 ms, its confirm arrived at 203.4 ms -> excused, pass")
            << "transient message, confirm arrives after the crash" << true << QList<int>{200} << noQueue
            << true
            << QStringList{"The other 1 was lost in a broker crash, which is allowed",
                           "the broker crashed at 200.0 ms, after its publish at 150.0 ms (the broker had "
                           "sent "
                           "its confirm, which arrived at 203.4 ms) and before any delivery of it."}
            << QStringList{"never delivered", "broker failure"} << QStringList{} << QStringList{};
        QTest::newRow("transient m2, broker crash only before its publish -> not excused, fail")
            << "transient message, crash before publish" << true << QList<int>{40} << noQueue << false
            << QStringList{"m2, published to q1 by prod and confirmed at 60.0 ms, was never delivered.",
                           "The broker lost a transient message without restarting after its publish, which "
                           "it "
                           "may not do either"}
            << QStringList{"allowed", "crashed", "as long as the message is persistent"}
            << QStringList{"prod publish ok m2"} << QStringList{};
        QTest::newRow("persistent m2 on durable q1, crash after its publish, before its confirm arrived -> fail")
            << "persistent message, crash before confirm" << true << QList<int>{55} << noQueue << false
            << QStringList{"The broker crashed at 55.0 ms, but the message was persistent on a durable queue, so "
                           "the broker had to keep it.",
                           "as long as the message is persistent and its queue durable."}
            << QStringList{"allowed", "transient"} << QStringList{"prod publish ok m2"} << QStringList{};
        QTest::newRow("transient m2, no broker crash -> fail")
            << "transient message, no crash" << true << none << noQueue << false
            << QStringList{"m2, published to q1 by prod and confirmed at 60.0 ms, was never delivered."}
            << QStringList{"allowed"} << QStringList{"prod publish ok m2"} << QStringList{};
        QTest::newRow("transient m2, no crash -> fail, the broker may not lose it either, no persistence lecture")
            << "transient message, no crash" << true << none << noQueue << false
            << QStringList{"The broker lost a transient message without restarting after its publish, which it "
                           "may not do either: only a broker crash may take a message that is not persistent "
                           "or whose queue is not durable."}
            << QStringList{"as long as the message is persistent", "publisher confirm", "allowed"}
            << QStringList{"prod publish ok m2"} << QStringList{};
        QTest::newRow("persistent m2 on non-durable scratch, no crash -> fail, no persistence lecture")
            << "non-durable queue, no crash" << true << none << noQueue << false
            << QStringList{"m2, published to scratch by prod and confirmed at 60.0 ms, was never delivered.",
                           "The broker lost a transient message without restarting"}
            << QStringList{"as long as the message is persistent"} << QStringList{"prod publish ok m2"}
            << QStringList{};
        QTest::newRow("five lost on q1, not durable, no crash -> fail, transient sentence in the plural")
            << "five confirmed messages lost" << false << none << noQueue << false
            << QStringList{"5 of the 6 confirmed messages were never delivered",
                           "The broker lost transient messages without restarting after their publish, which "
                           "it "
                           "may not do either: only a broker crash may take messages that are not persistent "
                           "or "
                           "whose queue is not durable."}
            << QStringList{"as long as the message is persistent"}
            << QStringList{"prod publish ok m2", "prod publish ok m3", "prod publish ok m4",
                           "prod publish ok m5", "prod publish ok m6"}
            << QStringList{};
        QTest::newRow("slow consumer: m2..m4 still in q1 (m1 delivered, unacked) -> not lost, pass")
            << "still queued" << true << none << QStringList{"m1", "m2", "m3", "m4"} << true
            << QStringList{"1 of the 4 confirmed messages was delivered at least once, and every delivered message "
                           "had been published. 3 confirmed messages are still waiting in their queue and were not "
                           "delivered yet (no consumer took them before the check), so they are not lost. m2, "
                           "published to q1 by prod and confirmed at 62.0 ms, is still held by the broker. m3, "
                           "published to q1 by prod and confirmed at 63.0 ms, is still held by the broker. m4,"}
            << QStringList{"never delivered", "lost messages", "publisher confirm", "allowed", "m1,"}
            << QStringList{} << QStringList{"m2", "m3", "m4"};
        QTest::newRow("m2 lost, m3 still in q1 -> fail naming only m2 as lost")
            << "one lost, one still queued" << true << none << QStringList{"m3"} << false
            << QStringList{"1 of the 3 confirmed messages was never delivered: the queue lost a message",
                           "m2, published to q1 by prod and confirmed at 60.0 ms, was never delivered.",
                           "1 confirmed message is still waiting in its queue and was not delivered yet (no "
                           "consumer took it before the check), so it is not lost. m3, published to q1 by "
                           "prod "
                           "and confirmed at 80.0 ms, is still held by the broker."}
            << QStringList{"m3, published to q1 by prod and confirmed at 80.0 ms, was never delivered",
                           "And "}
            << QStringList{"prod publish ok m2"} << QStringList{"m3"};
        QTest::newRow("transient m2 still in q1 after a crash -> still queued, not excused, pass")
            << "transient message, crash after confirm" << true << QList<int>{100} << QStringList{"m2"}
            << true
            << QStringList{"1 of the 2 confirmed messages was delivered at least once",
                           "1 confirmed message is still waiting in its queue"}
            << QStringList{"broker crash", "never delivered"} << QStringList{} << QStringList{"m2"};
        QTest::newRow("m9 delivered, never published -> fail naming m9, its delivery attached")
            << "unexpected delivery" << true << none << noQueue << false
            << QStringList{"1 delivered message was never published",
                           "m9 was delivered to w1 at 200.0 ms, but no producer ever published it."}
            << QStringList{"never delivered"} << QStringList{"w1 deliver ok m9"} << QStringList{};
        QTest::newRow("m1 delivered 3 times, m2 twice -> duplicates counted, pass")
            << "duplicates" << true << none << noQueue << true
            << QStringList{"All 2 confirmed messages were delivered at least once",
                           "3 deliveries were duplicates, which at-least-once delivery allows",
                           "m1 was delivered 3 times. m2 was delivered 2 times."}
            << QStringList{} << QStringList{} << QStringList{};
        QTest::newRow("brokerless push to no subscriber -> fail")
            << "brokerless push to no subscriber" << true << none << noQueue << false
            << QStringList{"m2, pushed to q1 by prod at 50.0 ms without a broker, was never delivered: no consumer "
                           "subscribed to q1, so the push went nowhere.",
                           "Brokerless mode delivers at most once"}
            << QStringList{"publisher confirm"} << QStringList{"prod publish ok m2"} << QStringList{};
        QTest::newRow("brokerless push dropped by a full inbox -> fail")
            << "brokerless push dropped" << true << none << noQueue << false
            << QStringList{"w1 dropped it at 52.0 ms because its inbox was full."} << QStringList{}
            << QStringList{"prod publish ok m2"} << QStringList{};
        QTest::newRow("brokerless push lost on the way -> fail")
            << "brokerless push lost on the way" << true << none << noQueue << false
            << QStringList{"the push never reached a consumer's inbox"} << QStringList{}
            << QStringList{"prod publish ok m2"} << QStringList{};
        QTest::newRow("brokerless push, a broker crash excuses nothing -> fail")
            << "brokerless push, broker crash" << false << QList<int>{100} << noQueue << false
            << QStringList{"m2, pushed to q1"} << QStringList{"allowed"} << QStringList{"prod publish ok m2"}
            << QStringList{};
        QTest::newRow("brokerless push named in stillQueued -> no broker holds it, still lost, fail")
            << "brokerless push lost on the way" << true << none << QStringList{"m2"} << false
            << QStringList{"the push never reached a consumer's inbox"} << QStringList{"still waiting"}
            << QStringList{"prod publish ok m2"} << QStringList{};
    }
    void totalQueue() {
        QFETCH(QString, story);
        QFETCH(bool, durableQ1);
        QFETCH(QList<int>, crashesMs);
        QFETCH(QStringList, stillQueued);
        QFETCH(bool, ok);
        QFETCH(QStringList, mentions);
        QFETCH(QStringList, absent);
        QFETCH(QStringList, events);
        QFETCH(QStringList, queued);

        History h;
        buildStory(h, story);
        MqCheckOptions options;
        if (durableQ1) options.durableQueues["q1"] = true;  // else absent: not durable
        options.durableQueues["scratch"] = false;
        for (int ms : crashesMs) options.brokerCrashes.push_back(millis(ms));
        for (const QString& id : stillQueued) options.stillQueued.insert(id.toStdString());
        const CheckResult r = checkTotalQueue(h.world().trace(), options);
        const QStringList seen = describeEvents(h.world(), r);
        const QByteArray why = context(r, seen);

        QCOMPARE(r.name, std::string("total-queue"));
        QVERIFY2(r.ok == ok, why.constData());
        const QString text = QString::fromStdString(r.explanation);
        for (const QString& part : mentions)
            QVERIFY2(text.contains(part), ("missing \"" + part.toUtf8() + "\"\n" + why).constData());
        for (const QString& part : absent)
            QVERIFY2(!text.contains(part), ("unexpected \"" + part.toUtf8() + "\"\n" + why).constData());
        QVERIFY2(seen == events, ("expected events: " + events.join(", ").toUtf8() + "\n" + why).constData());
        // The same history gives the same verdict, word for word.
        const CheckResult again = checkTotalQueue(h.world().trace(), options);
        QCOMPARE(again.explanation, r.explanation);
        QCOMPARE(again.events, r.events);
        // The summary names the same still-queued messages.
        QStringList summaryQueued;
        for (const std::string& id : summarizeMqHistory(h.world().trace(), options).queued)
            summaryQueued << QString::fromStdString(id);
        QCOMPARE(summaryQueued, queued);
    }

    void effectOnce_data() {
        QTest::addColumn<QString>("story");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QStringList>("mentions");
        QTest::addColumn<QStringList>("events");

        QTest::newRow("each effect applied once, each ack after it -> pass")
            << "once" << true
            << QStringList{"The effect of each of the 2 messages the ledger saw was applied once, and each of the "
                           "2 acks followed an applied effect of its message."}
            << QStringList{};
        QTest::newRow("m1 applied by w1 and again by w2 -> fail naming m1, w1, w2, their events attached")
            << "applied twice" << false
            << QStringList{"1 message had its effect applied more than once.",
                           "m1's effect was applied 2 times: by w1 at 35.0 ms and by w2 at 340.0 ms.",
                           "deduplicates by message id"}
            << QStringList{"w1 deliver ok m1", "ledger effect ok m1", "w2 deliver ok m1",
                           "ledger effect ok m1"};
        QTest::newRow("m1 applied three times -> all three named")
            << "applied three times" << false
            << QStringList{"m1's effect was applied 3 times: by w1 at 35.0 ms, by w2 at 340.0 ms and by w1 at "
                           "500.0 ms."}
            << QStringList{"w1 deliver ok m1", "ledger effect ok m1", "w2 deliver ok m1", "ledger effect ok m1",
                           "ledger effect ok m1"};
        QTest::newRow("m1 redelivered to w2, skipped as processed (applied false) -> pass")
            << "skipped" << true
            << QStringList{"The effect of the 1 message the ledger saw was applied once (1 repeated apply skipped as "
                           "already processed)",
                           "each of the 2 acks followed an applied effect"}
            << QStringList{};
        QTest::newRow("w1 acks m2 without any effect -> fail naming w1 and m2")
            << "ack without effect" << false
            << QStringList{"1 ack was sent for a message whose effect had never been applied.",
                           "w1 acked m2 at 80.0 ms, but the ledger had not applied its effect."}
            << QStringList{"w1 deliver ok m2", "w1 ack ok m2"};
        QTest::newRow("w1 acks m2 before its effect -> fail")
            << "ack before effect" << false << QStringList{"w1 acked m2 at 80.0 ms"}
            << QStringList{"w1 deliver ok m2", "w1 ack ok m2"};
        QTest::newRow("an ack after only a skipped effect -> fail")
            << "ack after only a skip" << false << QStringList{"w2 acked m2 at 90.0 ms"}
            << QStringList{"w2 deliver ok m2", "w2 ack ok m2"};
        QTest::newRow("brokerless: effects, no acks -> pass")
            << "brokerless" << true << QStringList{"applied once, and the 1 ack followed"} << QStringList{};
    }
    void effectOnce() {
        QFETCH(QString, story);
        QFETCH(bool, ok);
        QFETCH(QStringList, mentions);
        QFETCH(QStringList, events);

        History h;
        h.publish(10, "m1").confirm(20, "m1").consume(30, "w1", "m1");
        if (story == "once") {
            h.publish(50, "m2").confirm(60, "m2").consume(70, "w2", "m2");
        } else if (story == "applied twice") {
            // w1's ack was lost with its channel: the broker redelivered m1 to w2, which applied it again.
            h.deliver(330, "w2", "m1", true).effect(340, "w2", "m1").ack(345, "w2", "m1");
        } else if (story == "applied three times") {
            h.deliver(330, "w2", "m1", true).effect(340, "w2", "m1").effect(500, "w1", "m1");
        } else if (story == "skipped") {
            h.deliver(330, "w2", "m1", true).effect(340, "w2", "m1", false).ack(345, "w2", "m1");
        } else if (story == "ack without effect") {
            h.publish(50, "m2").confirm(60, "m2").deliver(70, "w1", "m2").ack(80, "w1", "m2");
        } else if (story == "ack before effect") {
            h.publish(50, "m2")
                .confirm(60, "m2")
                .deliver(70, "w1", "m2")
                .ack(80, "w1", "m2")
                .effect(85, "w1", "m2");
        } else if (story == "ack after only a skip") {
            h.publish(50, "m2").confirm(60, "m2").deliver(70, "w2", "m2").effect(85, "w2", "m2", false);
            h.ack(90, "w2", "m2");
        } else if (story == "brokerless") {
            h.push(50, "m2").deliver(52, "w2", "m2").effect(55, "w2", "m2");
        } else {
            QFAIL("unknown story");
        }

        const CheckResult r = checkEffectOnce(h.world().trace());
        const QStringList seen = describeEvents(h.world(), r);
        const QByteArray why = context(r, seen);
        QCOMPARE(r.name, std::string("effect-once"));
        QVERIFY2(r.ok == ok, why.constData());
        const QString text = QString::fromStdString(r.explanation);
        for (const QString& part : mentions)
            QVERIFY2(text.contains(part), ("missing \"" + part.toUtf8() + "\"\n" + why).constData());
        QVERIFY2(seen == events, ("expected events: " + events.join(", ").toUtf8() + "\n" + why).constData());
    }

    void summaryCountsTheHistory() {
        // m1 consumed by w1 then redelivered to w2 and applied again; m2 consumed after a nack; m3 transient,
        // lost in a crash (excused); m4 persistent on durable q1, lost (not excused); m5 never confirmed;
        // m6 pushed brokerless and dropped; m9 delivered from nowhere; w2 acks m9 without an effect.
        History h;
        h.publish(10, "m1").confirm(20, "m1").consume(30, "w1", "m1");
        h.deliver(100, "w2", "m1", true).effect(105, "w2", "m1").ack(110, "w2", "m1");
        h.publish(120, "m2").confirm(130, "m2").deliver(140, "w1", "m2").nack(150, "w1", "m2");
        h.deliver(160, "w2", "m2", true).effect(165, "w2", "m2").ack(170, "w2", "m2");
        h.publish(200, "m3", false).confirm(210, "m3");
        h.publish(220, "m4", true).confirm(230, "m4");
        h.publish(240, "m5");
        h.push(400, "m6").drop(401, "w1", "m6");
        h.deliver(500, "w2", "m9").ack(510, "w2", "m9");
        h.deliver(520, "w1", "m2", true).effect(525, "w1", "m2", false);

        MqCheckOptions options;
        options.durableQueues["q1"] = true;
        options.brokerCrashes = {millis(300)};
        const MqHistorySummary s = summarizeMqHistory(h.world().trace(), options);
        QCOMPARE(s.published, std::uint64_t(6));  // m1..m6
        QCOMPARE(s.confirmed, std::uint64_t(5));  // all but m5
        QCOMPARE(s.delivered, std::uint64_t(6));  // m1 x2, m2 x3, m9
        QCOMPARE(s.redelivered, std::uint64_t(3));
        QCOMPARE(s.acked, std::uint64_t(4));
        QCOMPARE(s.nacked, std::uint64_t(1));
        QCOMPARE(s.dropped, std::uint64_t(1));
        QCOMPARE(s.effects, std::uint64_t(3));  // m1 twice, m2 once; the skip does not count
        QCOMPARE(s.duplicateDeliveries, std::uint64_t(3));
        QCOMPARE(s.lost, (std::vector<std::string>{"m4", "m6"}));
        QCOMPARE(s.lostExcused, (std::vector<std::string>{"m3"}));
        QCOMPARE(s.appliedTwice.size(), std::size_t(1));
        const std::vector<std::pair<std::string, SimTime>> m1{{"w1", millis(35)}, {"w2", millis(105)}};
        QVERIFY(s.appliedTwice.at("m1") == m1);
        QCOMPARE(s.unexpected, (std::vector<std::string>{"m9"}));
        QVERIFY(s.ackedWithoutEffect == (std::vector<std::pair<std::string, std::string>>{{"w2", "m9"}}));

        // The checks agree with the summary.
        const CheckResult total = checkTotalQueue(h.world().trace(), options);
        QVERIFY2(!total.ok, total.explanation.c_str());
        QVERIFY2(QString::fromStdString(total.explanation)
                     .startsWith("2 of the 5 confirmed messages were never "
                                 "delivered"),
                 total.explanation.c_str());
        QVERIFY2(QString::fromStdString(total.explanation)
                     .contains(
                         "1 delivered message was never published: a queue must not make up messages. m9 was "
                         "delivered to w2 at 500.0 ms"),
                 total.explanation.c_str());
        QVERIFY2(QString::fromStdString(total.explanation)
                     .contains(" 1 confirmed message was lost in a broker crash, which is allowed"),
                 total.explanation.c_str());
        const CheckResult effect = checkEffectOnce(h.world().trace());
        QVERIFY2(!effect.ok, effect.explanation.c_str());
        QVERIFY2(QString::fromStdString(effect.explanation)
                     .startsWith("1 message had its effect applied more than once. m1's effect was applied 2 "
                                 "times: by w1 at 35.0 ms and by w2 at 105.0 ms."),
                 effect.explanation.c_str());
        QVERIFY2(QString::fromStdString(effect.explanation).contains("w2 acked m9 at 510.0 ms"),
                 effect.explanation.c_str());
    }

    void onlyExcusedMessagesLost() {
        // transient m1 and m2 confirmed, the broker crashes, nothing delivered -> pass, both excused
        History h;
        h.publish(10, "m1", false).confirm(20, "m1").publish(30, "m2", false).confirm(40, "m2");
        MqCheckOptions options;
        options.brokerCrashes = {millis(100)};
        const CheckResult r = checkTotalQueue(h.world().trace(), options);
        QVERIFY2(r.ok, r.explanation.c_str());
        QCOMPARE(
            r.explanation,
            std::string("No confirmed message was delivered, though none had to be, and every delivered "
                        "message had been published. 2 confirmed messages were lost in a broker crash, "
                        "which is allowed: a broker keeps only persistent messages on durable queues over "
                        "a restart. m1 was transient (published with persistent false) and the broker "
                        "crashed at 100.0 ms, after its confirm at 20.0 ms and before any delivery of it. m2 "
                        "was transient (published with persistent false) and the broker crashed at 100.0 "
                        "ms, after its confirm at 40.0 ms and before any delivery of it."));
        QVERIFY(r.events.empty());
        const MqHistorySummary s = summarizeMqHistory(h.world().trace(), options);
        QCOMPARE(s.lostExcused, (std::vector<std::string>{"m1", "m2"}));
        QVERIFY(s.lost.empty());
    }

    void onlyStillQueuedMessages() {
        // m1 and m2 confirmed, nobody consumed them yet, the broker holds both -> pass, nothing lost
        History h;
        h.publish(10, "m1").confirm(20, "m1").publish(30, "m2").confirm(40, "m2");
        MqCheckOptions options;
        options.durableQueues["q1"] = true;
        options.stillQueued = {"m1", "m2"};
        const CheckResult r = checkTotalQueue(h.world().trace(), options);
        QVERIFY2(r.ok, r.explanation.c_str());
        QCOMPARE(
            r.explanation,
            std::string("No confirmed message was delivered yet, and every delivered message had been "
                        "published. 2 confirmed messages are still waiting in their queue and were not "
                        "delivered yet (no consumer took them before the check), so they are not lost. m1, "
                        "published to q1 by prod and confirmed at 20.0 ms, is still held by the broker. m2, "
                        "published to q1 by prod and confirmed at 40.0 ms, is still held by the broker."));
        QVERIFY(r.events.empty());
        const MqHistorySummary s = summarizeMqHistory(h.world().trace(), options);
        QCOMPARE(s.queued, (std::vector<std::string>{"m1", "m2"}));
        QVERIFY(s.lost.empty() && s.lostExcused.empty());
    }

    void emptyHistory() {
        // nothing recorded -> both checks pass, the summary is all zeros
        const World world(1);
        const CheckResult total = checkTotalQueue(world.trace(), {});
        QVERIFY2(total.ok, total.explanation.c_str());
        QCOMPARE(total.explanation,
                 std::string("No message was confirmed, so none can have been lost, and every "
                             "delivered message had been published."));
        const CheckResult effect = checkEffectOnce(world.trace());
        QVERIFY2(effect.ok, effect.explanation.c_str());
        QCOMPARE(effect.explanation,
                 std::string("The ledger applied no effect yet, and no consumer acked a message."));
        const MqHistorySummary s = summarizeMqHistory(world.trace(), {});
        QCOMPARE(s.published + s.confirmed + s.delivered + s.effects, std::uint64_t(0));
        QVERIFY(s.lost.empty() && s.appliedTwice.empty());
    }
};

QTEST_APPLESS_MAIN(TestMqChecks)
#include "tst_mq_checks.moc"
