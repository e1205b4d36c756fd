// Orchestrated sagas, story by story: every step succeeds; step 3 of 5 is refused and C2, C1 run
// backwards; a step times out (it ran, silently) and is compensated too; a compensation meets a service
// that is down and is retried until it succeeds; the orchestrator crashes after step 2 is logged and
// resumes from its log with no step applied twice; duplicated messages and a resent saga_run change
// nothing; a reader sees the intermediate state (no isolation); a compensation that overtakes its step
// leaves a tombstone; and malformed requests get error 12 naming the field.
#include <QTest>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/check/saga_checks.h"
#include "core/protocols/txn/saga_orchestrator.h"
#include "core/protocols/txn/saga_service.h"
#include "core/protocols/txn/txn_record.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"
#include "tests/support/wire_checks.h"

using namespace distlab;
using namespace distlab::txn;

namespace {

constexpr std::uint64_t kEventsMax = 1'000'000;
const std::vector<NodeId> kServices = {"a", "b", "c", "d", "e"};

// The orchestrator "orch", services a..e, the lab "lab" and a reader "reader" on a quiet network.
class SagaCluster {
public:
    explicit SagaCluster(std::uint64_t seed = 1) : world(seed) {
        bool added = world.addNode("orch", [] { return std::make_unique<SagaOrchestrator>(); }).ok();
        for (const NodeId& id : kServices)
            added = added && world.addNode(id, [] { return std::make_unique<SagaService>(); }).ok();
        for (const char* id : {"lab", "reader"})
            added = added && support::addProbe(world, id);
        if (!added) QTest::qFail("cannot build the cluster", __FILE__, __LINE__);
        run(millis(1));
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    // Runs event by event until `done` holds (or `limit` of simulated time passes); true if it held.
    template <class Predicate>
    bool runUntil(Predicate done, SimTime limit = millis(10'000)) {
        const SimTime end = world.now() + limit;
        while (!done()) {
            if (world.now() > end || !world.step()) return false;
        }
        return true;
    }

    // A saga of `count` steps, step k on service kServices[k-1] adding 10 * k.
    static SagaRun saga(const std::string& id, int count, std::int64_t failAt = 0,
                        std::int64_t timeoutAt = 0) {
        SagaRun run{id, {}, failAt, timeoutAt};
        for (int k = 1; k <= count; ++k)
            run.steps.push_back({kServices.at(std::size_t(k - 1)), "book-" + std::to_string(k), 10 * k});
        return run;
    }

    Body ask(const std::string& from, const std::string& to, Body request) {
        Result<std::int64_t> msgId = world.sendFrom(from, to, std::move(request));
        if (!msgId) return Body{"send-failed", 0, {}, {}};
        run(millis(40));
        return probe(from)->answerTo(msgId.value());
    }
    int errorCode(const std::string& to, Body request) {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(ask("lab", to, std::move(request)));
        return error ? error->code : -1;
    }
    std::string errorText(const std::string& to, Body request) {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(ask("lab", to, std::move(request)));
        return error ? error->text : std::string();
    }

    // The saga's recorded history in a compact form: "T1 T2 T3!refused C2 C1 =compensated".
    std::string history(const std::string& id) const {
        std::string out;
        for (const ClientOp& op : world.trace().clientOps()) {
            if (op.value.value("saga", std::string()) != id) continue;
            std::string word;
            if (op.f == "saga") {
                word = op.value.value("action", std::string("?"));
                if (op.value.value("result", std::string()) != "ok")
                    word += "!" + op.value.value("reason", std::string("?"));
            } else if (op.f == "saga-end") {
                word = "=" + op.value.value("outcome", std::string("?"));
            } else {
                continue;
            }
            out += (out.empty() ? "" : " ") + word;
        }
        return out;
    }
    bool ended(const std::string& id) const { return history(id).find('=') != std::string::npos; }

    // How many times `service` traced applying Ti of the saga.
    int applications(const std::string& service, const std::string& id, int index) const {
        const std::string state = sagaStateText(id, "RUNNING") + " T" + std::to_string(index) + " applied";
        int count = 0;
        const Trace& trace = world.trace();
        const std::uint32_t name = trace.find(service);
        for (const TraceEvent& event : trace.events()) {
            if (event.kind == TraceKind::State && event.node == name &&
                trace.name(event.text).starts_with(state))
                ++count;
        }
        return count;
    }
    std::vector<std::string> states(const std::string& node) const {
        std::vector<std::string> out;
        const Trace& trace = world.trace();
        const std::uint32_t name = trace.find(node);
        for (const TraceEvent& event : trace.events()) {
            if (event.kind == TraceKind::State && event.node == name) out.push_back(trace.name(event.text));
        }
        return out;
    }

    SagaOrchestrator* orchestrator() {
        return dynamic_cast<SagaOrchestrator*>(world.node(*world.indexOf("orch")));
    }
    SagaService* service(const std::string& id) {
        return dynamic_cast<SagaService*>(world.node(*world.indexOf(id)));
    }
    // The balance on the service's disk (readable while it is down).
    std::int64_t storedBalance(const std::string& id) const {
        auto text = DiskReader(world.store(*world.indexOf(id))).get(std::string(kSagaBalanceKey));
        return text ? std::stoll(*text) : 0;
    }
    support::Probe* probe(const std::string& id) { return support::findProbe(world, id); }
    std::optional<Json> orchestratorLog(const std::string& saga) const {
        auto text = DiskReader(world.store(*world.indexOf("orch"))).get(std::string(kSagaLogPrefix) + saga);
        if (!text) return std::nullopt;
        return Json::parse(*text);
    }

    World world;
};

enum class Fault { None, ServiceDownDuringCompensation, OrchestratorCrashAfterStep2Logged, Duplicates };

}  // namespace

Q_DECLARE_METATYPE(Fault)

class TestSaga : public QObject {
    Q_OBJECT

private slots:
    // --- messages ---

    void messagesRoundTrip_data() {
        QTest::addColumn<int>("index");
        const std::vector<Body> samples = sagaSampleMessages();
        for (std::size_t i = 0; i < samples.size(); ++i) QTest::newRow(samples[i].type.c_str()) << int(i);
    }
    void messagesRoundTrip() {
        QFETCH(int, index);
        wire::checkEnvelopeRoundTrip(sagaSampleMessages().at(std::size_t(index)));
    }

    void samplesCoverEveryTypeOnce() {
        wire::checkSamplesCoverTypes(sagaSampleMessages(), sagaMessageTypes(), "saga_");
    }

    void wireNamesAreSnakeCase() {
        const Json fields = makeBody(SagaCluster::saga("s1", 1, 1, 0)).fields;
        QVERIFY(fields.contains("fail_at"));
        QVERIFY(fields.contains("timeout_at"));
        QVERIFY(fields["steps"][0] == (Json{{"service", "a"}, {"action", "book-1"}, {"amount", 10}}));
        QVERIFY(parseSagaRun(makeBody(SagaCluster::saga("s1", 2, 1, 2))).ok());
    }

    // --- the stories ---

    void stories_data() {
        QTest::addColumn<int>("steps");
        QTest::addColumn<int>("failAt");
        QTest::addColumn<int>("timeoutAt");
        QTest::addColumn<Fault>("fault");
        QTest::addColumn<QString>("expected");

        QTest::newRow("saga: all 5 steps succeed -> T1..T5, done")
            << 5 << 0 << 0 << Fault::None << "T1 T2 T3 T4 T5 =done";
        QTest::newRow("saga: step 3 of 5 is refused -> C2, C1 run backwards, compensated")
            << 5 << 3 << 0 << Fault::None << "T1 T2 T3!refused C2 C1 =compensated";
        QTest::newRow("saga: step 1 is refused -> nothing to compensate")
            << 3 << 1 << 0 << Fault::None << "T1!refused =compensated";
        QTest::newRow("saga: step 3 of 4 times out (it ran) -> C3, C2, C1")
            << 4 << 0 << 3 << Fault::None << "T1 T2 T3!timeout C3 C2 C1 =compensated";
        QTest::newRow("saga: C2 meets service b down -> retried with backoff until b is back")
            << 4 << 3 << 0 << Fault::ServiceDownDuringCompensation << "T1 T2 T3!refused C2 C1 =compensated";
        QTest::newRow("saga: orchestrator crashes after T2 is logged -> resumes from its log, done")
            << 5 << 0 << 0 << Fault::OrchestratorCrashAfterStep2Logged << "T1 T2 T3 T4 T5 =done";
        QTest::newRow("saga: orchestrator crashes after T2 is logged, T4 refused -> resumes, compensated")
            << 5 << 4 << 0 << Fault::OrchestratorCrashAfterStep2Logged
            << "T1 T2 T3 T4!refused C3 C2 C1 =compensated";
        QTest::newRow("saga: every message delivered twice and saga_run resent -> nothing applied twice")
            << 5 << 0 << 0 << Fault::Duplicates << "T1 T2 T3 T4 T5 =done";
        QTest::newRow("saga: duplicates while compensating a timeout -> each undone once")
            << 4 << 0 << 2 << Fault::Duplicates << "T1 T2!timeout C2 C1 =compensated";
    }

    void stories() {
        QFETCH(int, steps);
        QFETCH(int, failAt);
        QFETCH(int, timeoutAt);
        QFETCH(Fault, fault);
        QFETCH(QString, expected);

        SagaCluster cluster;
        if (fault == Fault::Duplicates) {
            LinkConfig link;
            link.duplicateRate = 1.0;
            cluster.world.network().setDefaults(link);
        }
        const SagaRun run = SagaCluster::saga("s1", steps, failAt, timeoutAt);
        QVERIFY(cluster.world.sendFrom("lab", "orch", makeBody(run)).ok());
        if (fault == Fault::Duplicates) QVERIFY(cluster.world.sendFrom("lab", "orch", makeBody(run)).ok());

        if (fault == Fault::ServiceDownDuringCompensation) {
            // b goes down as soon as T2 is recorded, before T3 is refused and C2 is sent to it.
            QVERIFY(cluster.runUntil([&] { return cluster.history("s1").find("T2") != std::string::npos; }));
            QVERIFY(cluster.world.crash("b").ok());
            cluster.run(millis(2000));
            QCOMPARE(cluster.history("s1"), std::string("T1 T2 T3!refused"));  // C2 keeps failing
            QVERIFY2(cluster.orchestrator()->resends() >= 3, "C2 is resent while b is down");
            QCOMPARE(cluster.storedBalance("b"), std::int64_t(20));  // T2 is still in place
            QVERIFY(cluster.world.restart("b").ok());
        }
        if (fault == Fault::OrchestratorCrashAfterStep2Logged) {
            // The log says T2 is in flight, T2 is on its way to b: crash before its answer comes back.
            QVERIFY(cluster.runUntil([&] {
                auto log = cluster.orchestratorLog("s1");
                return log && (*log)["phase"] == "running" && (*log)["index"] == 2;
            }));
            QVERIFY(cluster.world.crash("orch").ok());
            cluster.run(millis(300));  // b applies T2 and answers a dead orchestrator
            QCOMPARE(cluster.applications("b", "s1", 2), 1);
            QCOMPARE(cluster.history("s1"), std::string("T1"));
            QVERIFY(cluster.world.restart("orch").ok());
            cluster.run(millis(1));
            const std::vector<std::string> states = cluster.states("orch");
            QVERIFY(std::find(states.begin(), states.end(),
                              "saga s1 RUNNING T2 at b, resumed from the log") != states.end());
        }
        cluster.run(millis(5000));

        QCOMPARE(QString::fromStdString(cluster.history("s1")), expected);
        const CheckResult shape = checkSagaLogShape(cluster.world.trace());
        QVERIFY2(shape.ok, shape.explanation.c_str());
        const bool done = expected.endsWith("=done");
        for (int k = 1; k <= steps; ++k) {
            const std::string& id = kServices.at(std::size_t(k - 1));
            // All or nothing, and never twice.
            QCOMPARE(cluster.service(id)->balance(), done ? std::int64_t(10 * k) : std::int64_t(0));
            QVERIFY(cluster.applications(id, "s1", k) <= 1);
            if (done) QCOMPARE(cluster.applications(id, "s1", k), 1);
        }
        const std::vector<std::string> orch = cluster.states("orch");
        QVERIFY(!orch.empty());
        QCOMPARE(orch.back(), std::string(done ? "saga s1 DONE" : "saga s1 ABORTED"));
        if (timeoutAt != 0) {
            // The step that timed out had in fact run; its compensation undid it.
            const SagaRecord* record =
                cluster.service(kServices.at(std::size_t(timeoutAt - 1)))->record("s1", timeoutAt);
            QVERIFY(record);
            QCOMPARE(record->state, SagaRecordState::Compensated);
        }
        if (failAt != 0) {
            const SagaRecord* record =
                cluster.service(kServices.at(std::size_t(failAt - 1)))->record("s1", failAt);
            QVERIFY(record);
            QCOMPARE(record->state, SagaRecordState::Refused);
        }
        // Ops ids are unique (one counter on the orchestrator's disk, across restarts).
        std::set<std::int64_t> ids;
        for (const ClientOp& op : cluster.world.trace().clientOps()) QVERIFY(ids.insert(op.opId).second);
    }

    void resentRunIsAnsweredWithTheSagaStatus() {
        // saga_run s1 twice, the second after s1 has finished -> saga_run_ok "done", the saga does not rerun
        SagaCluster cluster;
        const SagaRun run = SagaCluster::saga("s1", 2);
        Result<SagaRunOk> first = bodyAs<SagaRunOk>(cluster.ask("lab", "orch", makeBody(run)));
        QVERIFY(first.ok());
        QCOMPARE(first->status, std::string("running"));
        cluster.run(millis(500));
        Result<SagaRunOk> again = bodyAs<SagaRunOk>(cluster.ask("lab", "orch", makeBody(run)));
        QVERIFY(again.ok());
        QCOMPARE(again->status, std::string("done"));
        cluster.run(millis(500));
        QCOMPARE(cluster.history("s1"), std::string("T1 T2 =done"));
        // The same id with other steps is refused: 21 key-already-exists.
        QCOMPARE(cluster.errorCode("orch", makeBody(SagaCluster::saga("s1", 3))), 21);
    }

    void readerSeesIntermediateState() {
        // saga s1: T1 on a (+10), T2 on b (+20), T3 times out -> while s1 is still RUNNING a reader already
        // sees a's balance 10 and b's 20 (no isolation); after the compensations it reads 0 again
        SagaCluster cluster;
        QVERIFY(cluster.world.sendFrom("lab", "orch", makeBody(SagaCluster::saga("s1", 3, 0, 3))).ok());
        QVERIFY(cluster.runUntil([&] { return cluster.history("s1") == "T1 T2"; }));
        Result<SagaReadOk> during = bodyAs<SagaReadOk>(cluster.ask("reader", "a", makeBody(SagaRead{})));
        QVERIFY(during.ok());
        QCOMPARE(during->balance, std::int64_t(10));
        QCOMPARE(during->applied.size(), std::size_t(1));
        QCOMPARE(during->applied[0].saga, std::string("s1"));
        QCOMPARE(during->applied[0].index, std::int64_t(1));
        QVERIFY(!cluster.ended("s1"));  // the saga has not decided anything yet
        cluster.run(millis(3000));
        QCOMPARE(cluster.history("s1"), std::string("T1 T2 T3!timeout C3 C2 C1 =compensated"));
        Result<SagaReadOk> after = bodyAs<SagaReadOk>(cluster.ask("reader", "a", makeBody(SagaRead{})));
        QVERIFY(after.ok());
        QCOMPARE(after->balance, std::int64_t(0));
        QVERIFY(after->applied.empty());
    }

    void compensationBeforeItsStepLeavesATombstone() {
        // C1 of s9 reaches a before T1 (reordered) -> a records a tombstone; the late T1 does not apply
        // and is answered saga_step_failed "compensated"; a resent C1 is still ok
        SagaCluster cluster;
        QVERIFY(bodyAs<SagaCompensateOk>(cluster.ask("lab", "a", makeBody(SagaCompensate{"s9", 1}))).ok());
        QCOMPARE(cluster.service("a")->record("s9", 1)->state, SagaRecordState::Tombstone);
        Result<SagaStepFailed> late = bodyAs<SagaStepFailed>(
            cluster.ask("lab", "a", makeBody(SagaStep{"s9", 1, "book", 5, false, false})));
        QVERIFY(late.ok());
        QCOMPARE(late->reason, std::string("compensated"));
        QCOMPARE(cluster.service("a")->balance(), std::int64_t(0));
        QVERIFY(bodyAs<SagaCompensateOk>(cluster.ask("lab", "a", makeBody(SagaCompensate{"s9", 1}))).ok());
        QCOMPARE(cluster.service("a")->balance(), std::int64_t(0));
    }

    void serviceStepsAndCompensationsAreIdempotentAcrossRestarts() {
        // T1 twice, a restart, T1 again, C1 twice -> applied once, undone once
        SagaCluster cluster;
        const Body step = makeBody(SagaStep{"s1", 1, "book", 7, false, false});
        QVERIFY(bodyAs<SagaStepOk>(cluster.ask("lab", "a", step)).ok());
        QVERIFY(bodyAs<SagaStepOk>(cluster.ask("lab", "a", step)).ok());
        QVERIFY(cluster.world.crash("a").ok());
        QVERIFY(cluster.world.restart("a").ok());
        QVERIFY(bodyAs<SagaStepOk>(cluster.ask("lab", "a", step)).ok());
        QCOMPARE(cluster.service("a")->balance(), std::int64_t(7));
        for (int i = 0; i < 2; ++i)
            QVERIFY(
                bodyAs<SagaCompensateOk>(cluster.ask("lab", "a", makeBody(SagaCompensate{"s1", 1}))).ok());
        QCOMPARE(cluster.service("a")->balance(), std::int64_t(0));
        QCOMPARE(cluster.applications("a", "s1", 1), 1);
    }

    // --- malformed requests ---

    void malformedRequests_data() {
        QTest::addColumn<QString>("dest");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("fields");
        QTest::addColumn<QString>("names");  // what the error text must mention

        QTest::newRow("saga_run without saga") << "orch"
                                               << "saga_run"
                                               << R"({"steps":[{"service":"a","action":"x"}]})"
                                               << "saga";
        QTest::newRow("saga_run with an empty saga")
            << "orch"
            << "saga_run"
            << R"({"saga":"","steps":[{"service":"a","action":"x"}]})"
            << "saga";
        QTest::newRow("saga_run without steps") << "orch"
                                                << "saga_run"
                                                << R"({"saga":"s"})"
                                                << "steps";
        QTest::newRow("saga_run with no step") << "orch"
                                               << "saga_run"
                                               << R"({"saga":"s","steps":[]})"
                                               << "steps";
        QTest::newRow("saga_run with steps not an array") << "orch"
                                                          << "saga_run"
                                                          << R"({"saga":"s","steps":{}})"
                                                          << "steps";
        QTest::newRow("saga_run step without service")
            << "orch"
            << "saga_run"
            << R"({"saga":"s","steps":[{"service":"a","action":"x"},{"action":"y"}]})"
            << "steps[1].service";
        QTest::newRow("saga_run step with a string amount")
            << "orch"
            << "saga_run"
            << R"({"saga":"s","steps":[{"service":"a","action":"x","amount":"3"}]})"
            << "steps[0].amount";
        QTest::newRow("saga_run fail_at past the last step")
            << "orch"
            << "saga_run"
            << R"({"saga":"s","steps":[{"service":"a","action":"x"}],"fail_at":2})"
            << "fail_at";
        QTest::newRow("saga_run negative timeout_at")
            << "orch"
            << "saga_run"
            << R"({"saga":"s","steps":[{"service":"a","action":"x"}],"timeout_at":-1})"
            << "timeout_at";
        QTest::newRow("saga_run fail_at and timeout_at on one step")
            << "orch"
            << "saga_run"
            << R"({"saga":"s","steps":[{"service":"a","action":"x"}],"fail_at":1,"timeout_at":1})"
            << "timeout_at";
        QTest::newRow("saga_step with index 0") << "a"
                                                << "saga_step"
                                                << R"({"saga":"s","index":0,"action":"x","amount":1})"
                                                << "index";
        QTest::newRow("saga_step without action") << "a"
                                                  << "saga_step"
                                                  << R"({"saga":"s","index":1})"
                                                  << "action";
        QTest::newRow("saga_step with a string fail") << "a"
                                                      << "saga_step"
                                                      << R"({"saga":"s","index":1,"action":"x","fail":"yes"})"
                                                      << "fail";
        QTest::newRow("saga_compensate with a string index") << "a"
                                                             << "saga_compensate"
                                                             << R"({"saga":"s","index":"1"})"
                                                             << "index";
        QTest::newRow("saga_compensate without saga") << "a"
                                                      << "saga_compensate"
                                                      << R"({"index":1})"
                                                      << "saga";
    }
    void malformedRequests() {
        // malformed request -> error 12 naming the field, and nothing changes
        QFETCH(QString, dest);
        QFETCH(QString, type);
        QFETCH(QString, fields);
        QFETCH(QString, names);
        SagaCluster cluster;
        Body body{type.toStdString(), 0, {}, Json::parse(fields.toStdString())};
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(cluster.ask("lab", dest.toStdString(), body));
        QVERIFY(error.ok());
        QCOMPARE(error->code, 12);
        QVERIFY2(error->text.starts_with(names.toStdString() + ":"), error->text.c_str());
        QVERIFY(cluster.orchestrator()->sagas().empty());
        QCOMPARE(cluster.service("a")->balance(), std::int64_t(0));
        QVERIFY(cluster.service("a")->records().empty());
    }

    void unknownRequestsAreNotSupported() {
        SagaCluster cluster;
        QCOMPARE(cluster.errorCode("orch", Body{"saga_dance", 0, {}, Json::object()}), 10);
        QCOMPARE(cluster.errorCode("a", Body{"saga_dance", 0, {}, Json::object()}), 10);
    }

    void inspectorRows() {
        SagaCluster cluster;
        QVERIFY(cluster.world.sendFrom("lab", "orch", makeBody(SagaCluster::saga("s1", 2, 0, 2))).ok());
        QVERIFY(cluster.runUntil([&] { return cluster.history("s1") == "T1"; }));
        cluster.run(millis(20));
        std::vector<std::pair<std::string, std::string>> rows;
        cluster.orchestrator()->describe(rows);
        QVERIFY(std::find(rows.begin(), rows.end(), std::pair<std::string, std::string>{"running", "1"}) !=
                rows.end());
        QVERIFY(std::find(rows.begin(), rows.end(),
                          std::pair<std::string, std::string>{"saga", "s1: RUNNING T2 at b (2 steps)"}) !=
                rows.end());
        rows.clear();
        cluster.service("a")->describe(rows);
        QCOMPARE(rows.front(), (std::pair<std::string, std::string>{"balance", "10"}));
        QVERIFY(std::find(rows.begin(), rows.end(),
                          std::pair<std::string, std::string>{"step", "s1 T1 book-1 10"}) != rows.end());
    }
};

QTEST_GUILESS_MAIN(TestSaga)
#include "tst_saga.moc"
