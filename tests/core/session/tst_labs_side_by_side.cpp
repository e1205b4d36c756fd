// Labs side by side: the lock, transaction and queue labs in one scenario, on one world and one network.
// Their node ids do not collide (each lab prefixes its own), every lab's checks are reported, and each
// node belongs to exactly one lab.
#include <QTest>

#include <set>
#include <sstream>
#include <string>

#include "core/console/command.h"
#include "core/labs/registry.h"
#include "core/session/session.h"
#include "tests/support/builtin_scenario.h"

using namespace distlab;
using support::builtin;

class TestLabsSideBySide : public QObject {
    Q_OBJECT

private slots:
    void everyLabRunsAndIsChecked_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed = 1; seed <= 5; ++seed) QTest::newRow(qPrintable(QString("seed %1").arg(seed))) << seed;
    }
    void everyLabRunsAndIsChecked() {
        QFETCH(quint64, seed);
        Session session(builtin("labs-side-by-side", seed));
        const auto checks = session.runToEndAndCheck(session.scenario().runFor);

        for (const char* name : {"lock", "txn", "mq"}) {
            const Lab* lab = session.lab(name);
            QVERIFY2(lab != nullptr, name);
        }
        std::set<std::string> names;
        for (const CheckResult& check : checks) {
            names.insert(check.name);
            QVERIFY2(check.ok, qPrintable(QString("seed %1: %2 fails: %3")
                                              .arg(seed)
                                              .arg(QString::fromStdString(check.name),
                                                   QString::fromStdString(check.explanation))));
        }
        // The checks of all three labs, each once.
        for (const char* name : {"mutual-exclusion", "monotonic-fencing", "atomicity", "validity", "irrevocability",
                                 "saga-log-shape", "total-queue", "effect-once"})
            QVERIFY2(names.count(name), name);
        QCOMPARE(names.size(), checks.size());

        // Every node belongs to one lab, and the lab's nodes carry its prefix (a named consumer keeps its name).
        const World& world = session.world();
        for (NodeIndex i = 0; i < world.nodeCount(); ++i) {
            const std::string id = world.nameOf(i);
            if (id == "ctl") continue;  // the session's control node
            const Lab* owner = nullptr;
            int owners = 0;
            for (const auto& lab : session.labs())
                if (lab->ownsNode(id)) {
                    owner = lab.get();
                    ++owners;
                }
            QVERIFY2(owners == 1, id.c_str());
            for (const LabEntry& entry : labRegistry())
                if (entry.name == owner->name() && !entry.idPrefix.empty() && id != "w1" && id != "w2")
                    QVERIFY2(id.starts_with(entry.idPrefix), id.c_str());
        }
        for (const char* id : {"lk-s1", "lk-c1", "tx-s1", "tx-p1", "tx-co", "tx-orch", "mq-broker", "w1"})
            QVERIFY2(world.indexOf(id).has_value(), id);
    }

    void prefixesAreDistinctAndReserved() {
        std::set<std::string_view> prefixes;
        for (const LabEntry& entry : labRegistry()) {
            if (entry.idPrefix.empty()) continue;
            QVERIFY2(prefixes.insert(entry.idPrefix).second, entry.name.data());
            // No ring server, consumer or scenario node can take an id a lab keeps for itself.
            QVERIFY(isReservedNodeId(std::string(entry.idPrefix) + "x1", commandTable()));
        }
        QCOMPARE(prefixes.size(), commandTable().reservedIdPrefixes().size());  // the table takes them from the registry
        QVERIFY(!isReservedNodeId("w1", commandTable()));
        QVERIFY(!isReservedNodeId("n7", commandTable()));
    }

    void sameSeedSameTrace() {
        auto traceOf = [](std::uint64_t seed) {
            Session session(builtin("labs-side-by-side", seed));
            (void)session.runToEndAndCheck(session.scenario().runFor);
            std::ostringstream out;
            session.world().trace().writeJsonLines(out);
            return out.str();
        };
        QCOMPARE(traceOf(3), traceOf(3));
        QVERIFY(traceOf(3) != traceOf(4));
    }
};

QTEST_GUILESS_MAIN(TestLabsSideBySide)
#include "tst_labs_side_by_side.moc"
