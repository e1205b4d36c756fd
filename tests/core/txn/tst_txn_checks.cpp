// The atomic-commitment checkers on hand-written histories: what passes, what fails, what the verdict
// names, and the READY time each participant spent blocked.
#include <QTest>

#include "core/check/txn_checks.h"
#include "core/protocols/txn/txn_record.h"

using namespace distlab;

namespace {

// A history written by hand into a trace, as the protocol nodes would record it.
class History {
public:
    History& vote(int ms, const std::string& node, const std::string& txn, const std::string& vote) {
        return op(ms, node, "vote", Json{{"txn", txn}, {"vote", vote}});
    }
    History& decide(int ms, const std::string& node, const std::string& txn, const std::string& decision,
                    const std::string& role = "participant") {
        return op(ms, node, "decide", Json{{"txn", txn}, {"decision", decision}, {"role", role}});
    }
    History& state(int ms, const std::string& node, const std::string& txn, const std::string& state) {
        Trace& trace = m_trace;
        trace.append(millis(ms), TraceKind::State, trace.intern(node), kNoName,
                     trace.intern(txn::txnStateText(txn, state)));
        return *this;
    }
    History& crash(int ms, const std::string& node) {
        Trace& trace = m_trace;
        trace.append(millis(ms), TraceKind::Crash, trace.intern(node));
        return *this;
    }
    const Trace& trace() const { return m_trace; }

private:
    History& op(int ms, const std::string& node, const std::string& f, Json value) {
        Trace& trace = m_trace;
        const std::size_t index = trace.addClientOp(ClientOp{millis(ms), node, ++m_opId, OpPhase::Ok, f, std::move(value)});
        trace.append(millis(ms), TraceKind::Client, trace.intern(node), kNoName, kNoName, index);
        return *this;
    }

    Trace m_trace;
    std::int64_t m_opId = 0;
};

}  // namespace

class TestTxnChecks : public QObject {
    Q_OBJECT
private slots:
    void atomicity_data() {
        QTest::addColumn<bool>("split");
        QTest::newRow("all commit") << false;
        QTest::newRow("one participant aborts") << true;
    }
    void atomicity() {
        QFETCH(bool, split);
        History h;
        h.vote(10, "p1", "t1", "yes").vote(11, "p2", "t1", "yes");
        h.decide(20, "co", "t1", "commit", "coordinator").decide(30, "p1", "t1", "commit");
        h.decide(31, "p2", "t1", split ? "abort" : "commit");
        h.decide(40, "p1", "t2", "abort").decide(41, "p2", "t2", "abort");  // another transaction, all abort
        const CheckResult r = checkAtomicity(h.trace());
        QCOMPARE(r.name, std::string("atomicity"));
        QCOMPARE(r.ok, !split);
        if (split) {
            QVERIFY2(r.explanation.find("Transaction t1") != std::string::npos, r.explanation.c_str());
            QVERIFY(r.explanation.find("p2 (participant) decided abort at 31.0 ms") != std::string::npos);
            QCOMPARE(r.events.size(), std::size_t(2));
        } else {
            QVERIFY2(r.explanation.find("5 decisions on 2 transactions") != std::string::npos, r.explanation.c_str());
        }
    }

    void validity() {
        History ok;
        ok.vote(10, "p1", "t1", "yes").vote(11, "p2", "t1", "yes").decide(20, "co", "t1", "commit", "coordinator");
        ok.vote(30, "p1", "t2", "no").decide(40, "co", "t2", "abort", "coordinator");
        QVERIFY(checkValidity(ok.trace()).ok);

        History bad;
        bad.vote(10, "p1", "t1", "yes").vote(11, "p2", "t1", "no").decide(20, "co", "t1", "commit", "coordinator");
        const CheckResult r = checkValidity(bad.trace());
        QVERIFY(!r.ok);
        QVERIFY2(r.explanation.find("p2 voted no at 11.0 ms") != std::string::npos, r.explanation.c_str());
        QCOMPARE(r.events.size(), std::size_t(2));
    }

    void irrevocability() {
        History ok;
        ok.decide(10, "p1", "t1", "commit").decide(50, "p1", "t1", "commit");  // recorded again after recovery
        QVERIFY(checkIrrevocability(ok.trace()).ok);

        History bad;
        bad.decide(10, "p1", "t1", "commit").decide(50, "p1", "t1", "abort");
        const CheckResult r = checkIrrevocability(bad.trace());
        QVERIFY(!r.ok);
        QVERIFY2(r.explanation.find("p1 first decided commit on t1 at 10.0 ms, then abort at 50.0 ms") !=
                     std::string::npos,
                 r.explanation.c_str());
    }

    void readyTimeSumsSpansAndEndsThemAtACrash() {
        History h;
        h.state(0, "p1", "t1", "INIT").state(10, "p1", "t1", "READY").state(110, "p1", "t1", "COMMIT");
        h.state(10, "p2", "t1", "READY").crash(60, "p2").state(80, "p2", "t1", "READY").state(200, "p2", "t1", "COMMIT");
        h.state(10, "p3", "t1", "READY");  // still blocked when the run stops
        h.state(5, "p1", "t2", "ABORT");   // never READY: not listed
        const auto times = readyTimes(h.trace(), millis(300));
        QCOMPARE(times.at({"p1", "t1"}), millis(100));
        QCOMPARE(times.at({"p2", "t1"}), millis(50) + millis(120));
        QCOMPARE(times.at({"p3", "t1"}), millis(290));
        QVERIFY(!times.count({"p1", "t2"}));
    }

    void parseTxnState_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<bool>("saga");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("state");
        QTest::newRow("txn") << "txn t1 READY" << true << false << "t1" << "READY";
        QTest::newRow("with detail") << "txn t1 READY waiting for co" << true << false << "t1" << "READY";
        QTest::newRow("saga") << "saga s7 COMPENSATING" << true << true << "s7" << "COMPENSATING";
        QTest::newRow("other state") << "HOLDING" << false << false << "" << "";
        QTest::newRow("no state") << "txn t1" << false << false << "" << "";
        QTest::newRow("empty id") << "txn  READY" << false << false << "" << "";
    }
    void parseTxnState() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(bool, saga);
        QFETCH(QString, id);
        QFETCH(QString, state);
        const auto parsed = txn::parseTxnState(text.toStdString());
        QCOMPARE(parsed.has_value(), valid);
        if (!valid) return;
        QCOMPARE(parsed->saga, saga);
        QCOMPARE(QString::fromStdString(parsed->id), id);
        QCOMPARE(QString::fromStdString(parsed->state), state);
    }
};

QTEST_GUILESS_MAIN(TestTxnChecks)
#include "tst_txn_checks.moc"
