// The queue lab inside a Session: the built-in queue scenarios give their documented outcomes over several
// seeds and the same trace for the same seed, the console's queue commands work and fail clearly, manual
// acks and nacks step a consumer, the mode switch takes the broker out, time travel works with the lab, and
// three properties over 1,000 seeds each of random consumer crashes, broker restarts, message loss and
// delays:
//   - with idempotent consumers no confirmed message is lost and no effect is applied twice;
//   - without deduplication some seed applies an effect twice (and none loses a confirmed message);
//   - brokerless push with crashing subscribers loses messages.
// A failing seed is printed with the scenario that reproduces it (distlab-sim run FILE).
#include <QTest>

#include <set>
#include <sstream>
#include <utility>

#include "core/labs/registry.h"
#include "core/protocols/mq/broker.h"
#include "core/session/session.h"
#include "core/base/rng.h"
#include "tests/support/builtin_scenario.h"

using namespace distlab;
using support::builtin;

namespace {

constexpr std::uint64_t kSeeds = 5;
constexpr std::uint64_t kPropertySeeds = 1000;

Scenario parsed(const std::string& json) {
    auto scenario = parseScenario(json, "test");
    if (!scenario) qFatal("%s", scenario.error().message.c_str());
    return std::move(scenario).value();
}

std::set<std::string> failedChecks(const std::vector<CheckResult>& checks) {
    std::set<std::string> failed;
    for (const auto& check : checks)
        if (!check.ok) failed.insert(check.name);
    return failed;
}

QString describe(const std::vector<CheckResult>& checks) {
    QString out;
    for (const auto& check : checks)
        out += QStringLiteral("\n  %1 %2: %3")
                   .arg(check.ok ? QStringLiteral("ok  ") : QStringLiteral("FAIL"),
                        QString::fromStdString(check.name), QString::fromStdString(check.explanation));
    return out;
}

std::string traceText(const Session& session) {
    std::ostringstream out;
    session.world().trace().writeJsonLines(out);
    return out.str();
}

// Runs a console line and fails the test when it is refused.
void must(Session& session, const std::string& line) {
    auto done = session.execute(line);
    if (!done) QFAIL(qPrintable(QString::fromStdString(line + ": " + done.error().message)));
}

const MqQueueView* queueNamed(const QueueSnapshot& view, const std::string& name) {
    for (const auto& q : view.queues)
        if (q.name == name) return &q;
    return nullptr;
}

const MqConsumerView* consumerNamed(const QueueSnapshot& view, const std::string& id) {
    for (const auto& c : view.consumers)
        if (c.id == id) return &c;
    return nullptr;
}

// A random workload with faults, for the properties: three consumers, 20-40 messages, and up to five
// crashes of consumers or the broker, each node back within 0.8 s and everything back by 2.6 s.
Scenario randomWorkload(std::uint64_t seed, const std::string& mode, bool idempotent) {
    Rng rng(seed * 7919 + 17);
    Scenario s = parsed(R"({"name": "mq-property", "mq": {"heartbeat_ms": 200, "ack_timeout_ms": 1000}})");
    s.seed = seed;
    s.sections.at("mq")["mode"] = mode;
    s.network.latencyMin = millis(1);
    s.network.latencyMax = millis(1 + rng.uniform(0, 20));
    s.network.drop = mode == "amqp" ? double(rng.uniform(0, 6)) / 100.0 : 0.0;
    s.runFor = millis(3000);
    auto at = [](std::int64_t ms, std::string line) {
        auto command = parseCommand(line, commandTable());
        if (!command) qFatal("%s: %s", line.c_str(), command.error().message.c_str());
        return ScheduledCommand{millis(ms), std::move(command).value()};
    };
    const std::string flag = idempotent ? " --idempotent" : "";
    if (mode == "amqp") s.schedule.push_back(at(0, "queue declare orders --durable"));
    for (const char* id : {"w1", "w2", "w3"})
        s.schedule.push_back(at(10, "consume orders " + std::string(id) + flag + " --prefetch " +
                                        std::to_string(rng.uniform(1, 5)) + " --process " +
                                        std::to_string(rng.uniform(10, 80))));
    s.schedule.push_back(at(50, "publish orders --count " + std::to_string(rng.uniform(20, 41)) +
                                    " --persistent --interval " + std::to_string(rng.uniform(5, 40))));
    const std::int64_t faults = rng.uniform(1, 6);
    for (std::int64_t i = 0; i < faults; ++i) {
        const std::int64_t when = rng.uniform(100, 1800);
        const std::int64_t back = when + rng.uniform(50, 800);
        const std::int64_t which = rng.uniform(0, mode == "amqp" ? 4 : 3);
        const std::string node = which == 3 ? std::string("mq-broker") : "w" + std::to_string(which + 1);
        s.schedule.push_back(at(when, "node kill " + node));
        s.schedule.push_back(at(back, "node restart " + node));
    }
    std::stable_sort(s.schedule.begin(), s.schedule.end(),
                     [](const ScheduledCommand& a, const ScheduledCommand& b) { return a.at < b.at; });
    return s;
}

QString reproduce(const Scenario& s) {
    return QStringLiteral("seed %1; reproduce with distlab-sim run FILE, FILE holding:\n%2")
        .arg(s.seed)
        .arg(QString::fromStdString(scenarioToJson(s).dump()));
}

}  // namespace

class TestMqLab : public QObject {
    Q_OBJECT

private slots:
    // --- the built-in scenarios ---

    void scenariosGiveTheirDocumentedOutcome_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QStringList>("failing");
        QTest::newRow("consumer crash, idempotent") << "mq-consumer-crash-idempotent" << QStringList{};
        QTest::newRow("consumer crash, duplicate")
            << "mq-consumer-crash-duplicate" << QStringList{"effect-once"};
        QTest::newRow("broker restart") << "mq-broker-restart" << QStringList{};
        QTest::newRow("poison message") << "mq-poison-dead-letter" << QStringList{};
        QTest::newRow("brokerless loss") << "mq-brokerless-loss" << QStringList{"total-queue"};
    }
    void scenariosGiveTheirDocumentedOutcome() {
        QFETCH(QString, scenario);
        QFETCH(QStringList, failing);
        std::set<std::string> expected;
        for (const QString& name : failing) expected.insert(name.toStdString());
        for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
            Scenario s = builtin(scenario.toStdString());
            s.seed = seed;
            Session session(s);
            const auto checks = session.runToEndAndCheck(s.runFor);
            QVERIFY2(checks.size() == 2, qPrintable(describe(checks)));
            QVERIFY2(failedChecks(checks) == expected,
                     qPrintable(QStringLiteral("seed %1:%2").arg(seed).arg(describe(checks))));
        }
    }

    void sameSeedGivesTheSameTrace_data() {
        QTest::addColumn<QString>("scenario");
        for (const auto& s : builtinScenarios())
            if (s.name.rfind("mq-", 0) == 0) QTest::newRow(s.name.c_str()) << QString::fromStdString(s.name);
    }
    void sameSeedGivesTheSameTrace() {
        QFETCH(QString, scenario);
        Scenario s = builtin(scenario.toStdString());
        Session a(s), b(s);
        a.runToEndAndCheck(s.runFor);
        b.runToEndAndCheck(s.runFor);
        QCOMPARE(traceText(a), traceText(b));
        QVERIFY(traceText(a).size() > 1000);
    }

    // The story the issue tells: w1 holds three unacknowledged deliveries when it dies; they come back
    // flagged redelivered and go to w2; without deduplication one effect is applied twice, and the checker
    // names that message.
    void consumerCrashRedeliversToTheOtherConsumer() {
        for (const bool idempotent : {true, false}) {
            Session session(
                builtin(idempotent ? "mq-consumer-crash-idempotent" : "mq-consumer-crash-duplicate"));
            // Run until w1 is down, then look at what the broker still thinks w1 holds.
            auto w1Down = [&] {
                auto w1 = session.world().indexOf("w1");
                return w1 && session.world().status(*w1) == NodeStatus::Crashed;
            };
            while (!w1Down() && session.world().now() < millis(3000))
                session.runUntil(session.world().now() + millis(1), 1'000'000);
            const QueueSnapshot atCrash = session.snapshot().mq;
            const MqQueueView* orders = queueNamed(atCrash, "orders");
            QVERIFY(orders);
            std::vector<std::string> held;
            for (const auto& channel : orders->channels)
                if (channel.consumer == "w1")
                    for (const auto& box : channel.unacked) held.push_back(box.messageId);
            QCOMPARE(int(held.size()), 3);

            const auto checks = session.runToEndAndCheck(session.scenario().runFor);
            const Json summary = session.summaryJson(checks);
            const Json& mq = summary.at("mq");
            QVERIFY2(mq.at("redelivered").get<std::uint64_t>() >= 3, mq.dump().c_str());
            QCOMPARE(mq.at("lost").size(), std::size_t(0));
            // Every one of the three went to w2, flagged redelivered.
            std::set<std::string> redeliveredToW2;
            for (const ClientOp& op : session.world().trace().clientOps())
                if (op.process == "w2" && op.f == "deliver" && op.value.value("redelivered", false))
                    redeliveredToW2.insert(op.value.at("message_id").get<std::string>());
            for (const std::string& id : held) QVERIFY2(redeliveredToW2.contains(id), id.c_str());
            const auto twice = mq.at("applied_twice");
            if (idempotent) {
                QCOMPARE(twice.size(), std::size_t(0));
                QVERIFY(failedChecks(checks).empty());
            } else {
                QCOMPARE(twice.size(), std::size_t(1));
                const std::string id = twice[0].at("message_id").get<std::string>();
                QVERIFY2(std::find(held.begin(), held.end(), id) != held.end(), id.c_str());
                for (const auto& check : checks)
                    if (check.name == "effect-once") {
                        QVERIFY(!check.ok);
                        QVERIFY2(check.explanation.find(id) != std::string::npos, check.explanation.c_str());
                        QVERIFY(!check.events.empty());
                    }
            }
        }
    }

    void brokerRestartKeepsTheDurableQueueOnly() {
        Session session(builtin("mq-broker-restart"));
        const auto checks = session.runToEndAndCheck(session.scenario().runFor);
        QVERIFY2(failedChecks(checks).empty(), qPrintable(describe(checks)));
        const Json mq = session.summaryJson(checks).at("mq");
        QCOMPARE(mq.at("lost_in_restart").size(), std::size_t(10));  // events' ten transient messages
        for (const auto& id : mq.at("lost_in_restart")) {
            const std::string text = id.get<std::string>();
            QVERIFY2(text >= "m11" || text.size() == 3, text.c_str());
        }
        // The ten persistent messages of orders were all delivered and acknowledged.
        std::set<std::string> ackedOrders;
        for (const ClientOp& op : session.world().trace().clientOps())
            if (op.f == "ack" && op.value.value("queue", "") == "orders")
                ackedOrders.insert(op.value.at("message_id").get<std::string>());
        QCOMPARE(int(ackedOrders.size()), 10);
        for (const auto& check : checks)
            if (check.name == "total-queue")
                QVERIFY2(check.explanation.find("restart") != std::string::npos, check.explanation.c_str());
    }

    void poisonMessageIsDeadLetteredAfterTheLimit() {
        Session session(builtin("mq-poison-dead-letter"));
        const auto checks = session.runToEndAndCheck(session.scenario().runFor);
        QVERIFY2(failedChecks(checks).empty(), qPrintable(describe(checks)));
        const Json mq = session.summaryJson(checks).at("mq");
        const Json& orders = mq.at("queues").at(0);
        QCOMPARE(orders.at("queue").get<std::string>(), std::string("orders"));
        QCOMPARE(orders.at("dead_lettered").dump(), std::string(R"(["m4"])"));
        QCOMPARE(orders.at("ready").get<int>(), 0);
        int deliveries = 0;
        for (const ClientOp& op : session.world().trace().clientOps())
            if (op.f == "deliver" && op.value.value("message_id", "") == "m4") ++deliveries;
        QCOMPARE(deliveries, 4);  // delivery limit 3: four deliveries, then the dead-letter queue
        const QueueSnapshot view = session.snapshot().mq;
        const MqQueueView* dlq = queueNamed(view, "orders.dlq");
        QVERIFY(dlq && dlq->deadLetter);
        QCOMPARE(int(dlq->readyTotal), 1);
        QCOMPARE(int(queueNamed(view, "orders")->deadLettered), 1);
    }

    void brokerlessLosesWhatTheDeadSubscriberWasSent() {
        Session session(builtin("mq-brokerless-loss"));
        const auto checks = session.runToEndAndCheck(session.scenario().runFor);
        QCOMPARE(failedChecks(checks), std::set<std::string>{"total-queue"});
        const Json mq = session.summaryJson(checks).at("mq");
        QVERIFY2(mq.at("lost").size() >= 3, mq.dump().c_str());
        // Lost means never delivered anywhere: pushed to w1 while it was down.
        std::set<std::string> delivered;
        for (const ClientOp& op : session.world().trace().clientOps())
            if (op.f == "deliver") delivered.insert(op.value.at("message_id").get<std::string>());
        for (const auto& id : mq.at("lost")) QVERIFY(!delivered.contains(id.get<std::string>()));
        QCOMPARE(mq.at("redelivered").get<int>(), 0);
        for (const auto& check : checks)
            if (check.name == "total-queue") {
                const std::string first = mq.at("lost").at(0).get<std::string>();
                QVERIFY2(check.explanation.find(first) != std::string::npos, check.explanation.c_str());
            }
    }

    // --- the console ---

    void manualAckAndNackStepAConsumer() {
        Session session(parsed(R"({"name": "mq-console", "mq": {"delivery_limit": 1}})"));
        must(session, "queue declare q");
        must(session, "consume q w1 --manual --prefetch 2");
        must(session, "publish q --count 3 --interval 0");
        session.runUntil(millis(200), 1'000'000);
        QueueSnapshot view = session.snapshot().mq;
        QCOMPARE(int(queueNamed(view, "q")->readyTotal), 1);
        QCOMPARE(int(queueNamed(view, "q")->unackedTotal), 2);
        QCOMPARE(int(consumerNamed(view, "w1")->inbox.size()), 2);
        must(session, "ack w1");  // m1: processed, acknowledged
        session.runUntil(millis(400), 1'000'000);
        view = session.snapshot().mq;
        QCOMPARE(int(consumerNamed(view, "w1")->acked), 1);
        QCOMPARE(int(view.effectsApplied), 1);
        // m2 and now m3 held; nack m2 with requeue: back, flagged, and (prefetch 2) delivered again.
        must(session, "nack w1");
        session.runUntil(millis(600), 1'000'000);
        view = session.snapshot().mq;
        bool redelivered = false;
        for (const auto& box : consumerNamed(view, "w1")->inbox)
            redelivered |= box.messageId == "m2" && box.redelivered;
        QVERIFY(redelivered);
        must(session, "nack w1 --no-requeue");  // m3 goes to the dead-letter queue
        session.runUntil(millis(800), 1'000'000);
        view = session.snapshot().mq;
        QVERIFY(queueNamed(view, "q.dlq"));
        QCOMPARE(int(queueNamed(view, "q.dlq")->readyTotal), 1);
    }

    void consoleErrorsAreClearAndChangeNothing_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("says");
        QTest::newRow("publish to an undeclared queue") << "publish nowhere"
                                                        << "no queue or exchange named 'nowhere'";
        QTest::newRow("consume an undeclared queue") << "consume nowhere w1"
                                                     << "no queue named 'nowhere'";
        QTest::newRow("ack without a consumer") << "ack w9"
                                                << "'w9' is not a consumer";
        QTest::newRow("ack an automatic consumer") << "ack w1"
                                                   << "w1 acknowledges on its own";
        QTest::newRow("consumer named like a lab node") << "consume q mq-broker"
                                                        << "already exists";
        QTest::newRow("a reserved consumer id") << "consume q c1"
                                                << "reserved";
        QTest::newRow("redeclared with another durability") << "queue declare q --durable"
                                                            << "already declared transient";
        QTest::newRow("a dead-letter name") << "queue declare q.dlq"
                                            << ".dlq";
        QTest::newRow("bind to an unknown queue") << "queue bind fan nowhere"
                                                  << "no queue named 'nowhere'";
    }
    void consoleErrorsAreClearAndChangeNothing() {
        QFETCH(QString, line);
        QFETCH(QString, says);
        Session session(parsed(R"({"name": "mq-console", "mq": {}})"));
        must(session, "queue declare q");
        must(session, "consume q w1");
        session.runUntil(millis(100), 1'000'000);
        const std::string before = traceText(session);
        const std::size_t nodes = session.world().nodeCount();
        auto done = session.execute(line.toStdString());
        QVERIFY(!done);
        QVERIFY2(done.error().message.find(says.toStdString()) != std::string::npos,
                 done.error().message.c_str());
        QCOMPARE(session.world().nodeCount(), nodes);
        QCOMPARE(traceText(session), before);
    }

    // A backlog at the end of a run is not a loss: the broker still holds those messages.
    void messagesStillQueuedAreNotLost() {
        Session session(parsed(R"({"name": "mq-backlog", "mq": {"process_ms": 500, "prefetch": 1}})"));
        must(session, "queue declare q --durable");
        must(session, "consume q w1 --idempotent");
        must(session, "publish q --count 30 --persistent --interval 5");
        const auto checks = session.runToEndAndCheck(millis(1000));
        QVERIFY2(failedChecks(checks).empty(), qPrintable(describe(checks)));
        const Json mq = session.summaryJson(checks).at("mq");
        QCOMPARE(mq.at("lost").size(), std::size_t(0));
        QVERIFY2(mq.at("queues").at(0).at("ready").get<int>() > 10, mq.dump().c_str());
        for (const auto& check : checks)
            if (check.name == "total-queue")
                QVERIFY2(check.explanation.find("still waiting in their queue") != std::string::npos,
                         check.explanation.c_str());
        QCOMPARE(int(session.snapshot().mq.lost), 0);
    }

    // The console's orders are the operator's, not part of the experiment: a lossy, duplicating network
    // neither drops a publish nor doubles it.
    void consoleOrdersSurviveAFaultyNetwork() {
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            Scenario s = parsed(R"({"name": "mq-lossy", "mq": {"process_ms": 5, "ack_timeout_ms": 1000},
                                     "network": {"drop": 0.3, "duplicate": 0.3}})");
            s.seed = seed;
            Session session(s);
            must(session, "queue declare q --durable");
            must(session, "consume q w1 --idempotent");
            must(session, "publish q --count 10 --persistent --interval 5");
            const auto checks = session.runToEndAndCheck(millis(2000));
            int invoked = 0;
            for (const ClientOp& op : session.world().trace().clientOps())
                invoked += op.f == "publish" && op.phase == OpPhase::Invoke;
            QVERIFY2(invoked == 10,
                     qPrintable(QStringLiteral("seed %1: %2 publishes").arg(seed).arg(invoked)));
            QVERIFY2(failedChecks(checks).empty(),
                     qPrintable(QStringLiteral("seed %1:").arg(seed) + describe(checks)));
            QCOMPARE(session.summaryJson(checks).at("mq").at("effects").get<int>(), 10);
        }
    }

    // Copies are other work: a fanout exchange's copy in each bound queue, and a pub-sub push's copy for
    // each subscriber, are each applied once by their own consumer, and none of that is a double effect;
    // a pub-sub subscriber that is down loses its copies, and the total-queue check names it.
    void fanoutAndPubSubCopiesAreJudgedPerCopy() {
        for (const bool idempotent : {true, false}) {
            Session session(parsed(R"({"name": "mq-fanout", "mq": {"process_ms": 5}})"));
            must(session, "queue declare billing --durable");
            must(session, "queue declare shipping --durable");
            must(session, "queue bind orders billing");
            must(session, "queue bind orders shipping");
            must(session, std::string("consume billing w1") + (idempotent ? " --idempotent" : ""));
            must(session, std::string("consume shipping w2") + (idempotent ? " --idempotent" : ""));
            must(session, "publish orders --count 5 --persistent --interval 10");
            const auto checks = session.runToEndAndCheck(millis(1000));
            QVERIFY2(failedChecks(checks).empty(), qPrintable(describe(checks)));
            const Json mq = session.summaryJson(checks).at("mq");
            for (const auto& consumer : mq.at("consumers")) {
                QCOMPARE(consumer.at("effects").get<int>(), 5);
                QCOMPARE(consumer.at("skipped").get<int>(), 0);
            }
        }
        Session session(parsed(R"({"name": "mq-pubsub", "mq": {"mode": "brokerless", "pattern": "pubsub",
                                   "process_ms": 5}})"));
        must(session, "consume orders w1 --idempotent");
        must(session, "consume orders w2 --idempotent");
        session.runUntil(millis(20), 1'000'000);
        must(session, "publish orders --count 3 --interval 10");
        session.runUntil(millis(200), 1'000'000);
        must(session, "node kill w2");
        must(session, "publish orders --count 2 --interval 10");
        const auto checks = session.runToEndAndCheck(millis(1000));
        QCOMPARE(failedChecks(checks), std::set<std::string>{"total-queue"});
        for (const auto& check : checks)
            if (check.name == "total-queue") {
                QVERIFY2(check.explanation.find("m4, pushed to orders") != std::string::npos &&
                             check.explanation.find("never delivered to w2") != std::string::npos,
                         check.explanation.c_str());
                QVERIFY2(check.explanation.find("m1,") == std::string::npos, check.explanation.c_str());
            }
        QCOMPARE(session.summaryJson(checks).at("mq").at("effects").get<int>(), 8);  // w1 5, w2 3
    }

    void modeSwitchTakesTheBrokerOut() {
        Session session(parsed(R"({"name": "mq-console", "mq": {"process_ms": 10}})"));
        must(session, "queue declare q");
        must(session, "consume q w1 --idempotent");
        must(session, "consume q w2 --idempotent");
        must(session, "publish q --count 4 --interval 10");
        session.runUntil(millis(500), 1'000'000);
        const auto viaBroker = session.world().messageStats().sent;
        must(session, "mq mode brokerless push");
        must(session, "publish q --count 4 --interval 10");
        session.runUntil(millis(1000), 1'000'000);
        int pushes = 0, publishes = 0;
        for (const ClientOp& op : session.world().trace().clientOps())
            if (op.f == "publish" && op.phase == OpPhase::Invoke)
                (op.value.value("mode", "") == "brokerless" ? pushes : publishes)++;
        QCOMPARE(publishes, 4);
        QCOMPARE(pushes, 4);
        QVERIFY(session.world().messageStats().sent > viaBroker);
        const auto checks = session.quiesceAndCheck();
        QVERIFY2(failedChecks(checks).empty(), qPrintable(describe(checks)));
        QCOMPARE(session.summaryJson(checks).at("mq").at("effects").get<int>(), 8);
    }

    // Seeking back and forth in a queue run gives the same picture as a fresh run to the same point.
    void timeTravelRestoresTheLab() {
        Scenario s = builtin("mq-consumer-crash-duplicate");
        Session session(s);
        session.setCheckpointInterval(500);
        session.runUntil(millis(2500), 10'000'000);
        const std::uint64_t target = session.world().eventsProcessed() / 2;
        session.seekToEvent(target);
        Session fresh(s);
        fresh.runEvents(target);
        QCOMPARE(traceText(session), traceText(fresh));
        QCOMPARE(session.summaryJson(session.checks()).dump(), fresh.summaryJson(fresh.checks()).dump());
        const QueueSnapshot a = session.snapshot().mq, b = fresh.snapshot().mq;
        QCOMPARE(a.rates.size(), b.rates.size());
        QCOMPARE(a.queues.size(), b.queues.size());
        for (std::size_t i = 0; i < a.queues.size(); ++i) {
            QCOMPARE(a.queues[i].readyTotal, b.queues[i].readyTotal);
            QCOMPARE(a.queues[i].unackedTotal, b.queues[i].unackedTotal);
        }
    }

    // --- properties over 1,000 seeds ---

    void idempotentConsumersLoseNothingAndApplyOnce() {
        std::uint64_t crashes = 0, redelivered = 0, skipped = 0;
        for (std::uint64_t seed = 1; seed <= kPropertySeeds; ++seed) {
            const Scenario s = randomWorkload(seed, "amqp", true);
            Session session(s);
            const auto checks = session.runToEndAndCheck(s.runFor);
            if (!failedChecks(checks).empty()) {
                Session again(s);
                again.runToEndAndCheck(s.runFor);
                QFAIL(qPrintable(reproduce(s) + describe(checks) +
                                 (traceText(again) == traceText(session) ? "\n(reproduces byte for byte)"
                                                                         : "\n(DOES NOT reproduce)")));
            }
            const Json mq = session.summaryJson(checks).at("mq");
            redelivered += mq.at("redelivered").get<std::uint64_t>();
            for (const auto& c : mq.at("consumers")) skipped += c.value("skipped", std::uint64_t(0));
            for (const auto& entry : s.schedule) crashes += entry.command.is(commands::kNodeKill);
        }
        qInfo("%llu seeds: %llu crashes, %llu redeliveries, %llu effects skipped as already applied",
              (unsigned long long)kPropertySeeds, (unsigned long long)crashes,
              (unsigned long long)redelivered, (unsigned long long)skipped);
        QVERIFY(redelivered > 0);
        QVERIFY(skipped > 0);  // the deduplication was needed, not idle
    }

    void withoutDeduplicationADoubleEffectIsFound() {
        std::uint64_t firstSeed = 0, seedsWithDoubles = 0;
        for (std::uint64_t seed = 1; seed <= kPropertySeeds; ++seed) {
            const Scenario s = randomWorkload(seed, "amqp", false);
            Session session(s);
            const auto checks = session.runToEndAndCheck(s.runFor);
            const auto failed = failedChecks(checks);
            QVERIFY2(!failed.contains("total-queue"), qPrintable(reproduce(s) + describe(checks)));
            if (failed.contains("effect-once")) {
                ++seedsWithDoubles;
                if (!firstSeed) firstSeed = seed;
            }
        }
        qInfo("a double effect first at seed %llu; %llu of %llu seeds apply some effect twice",
              (unsigned long long)firstSeed, (unsigned long long)seedsWithDoubles,
              (unsigned long long)kPropertySeeds);
        QVERIFY(firstSeed != 0);
    }

    void brokerlessWithCrashesLosesMessages() {
        std::uint64_t firstSeed = 0, seedsWithLoss = 0, lost = 0;
        for (std::uint64_t seed = 1; seed <= kPropertySeeds; ++seed) {
            const Scenario s = randomWorkload(seed, "brokerless", true);
            Session session(s);
            const auto checks = session.runToEndAndCheck(s.runFor);
            const auto failed = failedChecks(checks);
            QVERIFY2(!failed.contains("effect-once"), qPrintable(reproduce(s) + describe(checks)));
            if (failed.contains("total-queue")) {
                ++seedsWithLoss;
                if (!firstSeed) firstSeed = seed;
                lost += session.summaryJson(checks).at("mq").at("lost").size();
            }
        }
        qInfo("brokerless: loss first at seed %llu; %llu of %llu seeds lose %llu messages in all",
              (unsigned long long)firstSeed, (unsigned long long)seedsWithLoss,
              (unsigned long long)kPropertySeeds, (unsigned long long)lost);
        QVERIFY(firstSeed != 0);
        QVERIFY(seedsWithLoss > kPropertySeeds / 2);
    }
};

QTEST_GUILESS_MAIN(TestMqLab)
#include "tst_mq_lab.moc"
