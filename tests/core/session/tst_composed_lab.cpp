// A lab made of other labs (ComposedLab): here one made of the lock and transaction labs, run on its own
// host over the simulator's control plane. It must behave exactly as the two labs do side by side in a
// Session (the same verdicts, explanations and evidence), route each command to its part, own its parts'
// nodes, and copy its parts with itself.
#include <QTest>

#include <memory>
#include <string>
#include <vector>

#include "core/console/command.h"
#include "core/labs/composed_lab.h"
#include "core/labs/registry.h"
#include "core/protocols/kv/control_node.h"
#include "core/session/session.h"
#include "core/session/sim_control_plane.h"
#include "core/sim/world.h"

using namespace distlab;

namespace {

constexpr const char* kScenario = R"({"name": "composed",
    "lock": {"mode": "redlock", "servers": 3, "clients": 2, "ttl_ms": 2000, "hold_ms": 300},
    "txn": {"participants": 3},
    "network": {"latency_ms": [2, 8]},
    "schedule": [{"at_ms": 100, "do": "lock acquire lk-c1 R"},
                 {"at_ms": 200, "do": "txn 2pc tx-p1,tx-p2,tx-p3"},
                 {"at_ms": 260, "do": "lock acquire lk-c2 R"},
                 {"at_ms": 250, "do": "saga run trip --steps 3 --fail-at 2"}]})";
constexpr SimTime kRunFor = millis(3000);

Scenario scenario(std::uint64_t seed) {
    auto parsed = parseScenario(kScenario, "composed.json");
    if (!parsed) qFatal("%s", parsed.error().message.c_str());
    parsed->seed = seed;
    return std::move(parsed).value();
}

const LabEntry& entryNamed(std::string_view name) {
    for (const LabEntry& entry : labRegistry())
        if (entry.name == name) return entry;
    qFatal("no lab named %s", std::string(name).c_str());
}

// The lock and transaction labs as one.
class LockAndTxnLab final : public ComposedLab {
public:
    LockAndTxnLab(LabHost& host, const Scenario& scenario) : ComposedLab(host) {
        addPart(entryNamed("lock").create(host, &scenario));
        addPart(entryNamed("txn").create(host, &scenario));
    }
    std::string_view name() const override { return "lock+txn"; }
    std::unique_ptr<Lab> clone() const override { return std::unique_ptr<Lab>(new LockAndTxnLab(*this)); }

private:
    LockAndTxnLab(const LockAndTxnLab&) = default;
};

// What a Session is to its labs, for one lab on a bare World.
class Host final : public LabHost {
public:
    explicit Host(const Scenario& s) : m_world(std::make_unique<World>(s.seed)), m_plane(m_world) {
        LinkConfig link;
        link.latencyMin = s.network.latencyMin;
        link.latencyMax = s.network.latencyMax;
        m_world->network().setDefaults(link);
        if (!m_world->addNode("ctl", [] { return std::make_unique<kv::ControlNode>(); })) qFatal("no ctl");
    }
    ControlPlane& cluster() override { return m_plane; }
    const std::string& controlId() const override { return m_control; }
    const Lab* ownerOf(const std::string& id) const override { return lab && lab->ownsNode(id) ? lab : nullptr; }
    std::size_t labCount() const override { return 1; }
    World& world() { return *m_world; }

    Lab* lab = nullptr;

private:
    std::unique_ptr<World> m_world;
    SimControlPlane m_plane;
    std::string m_control = "ctl";
};

QString describe(const CheckResult& c) {
    return QString::fromStdString(c.lab + "/" + c.name + (c.ok ? " holds: " : " fails: ") + c.explanation);
}

}  // namespace

class TestComposedLab : public QObject {
    Q_OBJECT

private slots:
    void behavesAsItsPartsSideBySide_data() {
        QTest::addColumn<quint64>("seed");
        for (quint64 seed = 1; seed <= 3; ++seed) QTest::newRow(qPrintable(QString("seed %1").arg(seed))) << seed;
    }
    void behavesAsItsPartsSideBySide() {
        QFETCH(quint64, seed);
        const Scenario s = scenario(seed);

        Session session(s);
        session.runUntil(kRunFor, 10'000'000);
        const std::vector<CheckResult> expected = session.checks();

        Host host(s);
        LockAndTxnLab lab(host, s);
        host.lab = &lab;
        QVERIFY(lab.start().empty());
        for (const ScheduledCommand& scheduled : s.schedule)
            host.world().schedule(scheduled.at, [&lab, command = scheduled.command](World&) {
                auto done = lab.execute(command);
                if (!done) qFatal("%s: %s", command.text.c_str(), done.error().message.c_str());
            });
        host.world().runUntil(kRunFor, 10'000'000);
        const std::vector<CheckResult> got = lab.checks();

        // Both parts' checks, labelled with their part, each as the Session's separate labs give it.
        QVERIFY(got.size() >= 5);
        QCOMPARE(got.size(), expected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            QVERIFY2(got[i].lab == "lock" || got[i].lab == "txn", qPrintable(describe(got[i])));
            QCOMPARE(describe(got[i]), describe(expected[i]));
            QCOMPARE(got[i].nodes, expected[i].nodes);
            QCOMPARE(got[i].at, expected[i].at);
        }
        // The saga failed at its second step and compensated: its checks hold, like everything else here.
        for (const CheckResult& c : got) QVERIFY2(c.ok, qPrintable(describe(c)));

        // The parts' nodes are the composed lab's, with their parts' roles.
        for (const char* id : {"lk-s1", "lk-c1", "lk-c2", "tx-co", "tx-p1", "tx-orch", "tx-s1"}) {
            QVERIFY2(host.world().indexOf(id).has_value(), id);
            QVERIFY2(lab.ownsNode(id), id);
        }
        QVERIFY(!lab.ownsNode("ctl"));
        QCOMPARE(lab.roleOf("lk-s1"), lab.part("lock")->roleOf("lk-s1"));
        QCOMPARE(lab.roleOf("tx-co"), lab.part("txn")->roleOf("tx-co"));
        QVERIFY(lab.isClient("lk-c1"));

        // The summary and the snapshot are the parts' together.
        Json summary = Json::object();
        lab.summarize(summary);
        QVERIFY2(summary.contains("lock") && summary.contains("txn"), summary.dump().c_str());
        ClusterSnapshot snap;
        lab.fillSnapshot(snap);
        QVERIFY(snap.locks.active);
    }

    void routesCommandsToItsParts() {
        const Scenario s = scenario(1);
        Host host(s);
        LockAndTxnLab lab(host, s);
        host.lab = &lab;
        QVERIFY(lab.start().empty());
        const auto run = [&lab](const char* line) {
            auto command = parseCommand(line, commandTable());
            if (!command) qFatal("%s: %s", line, command.error().message.c_str());
            return lab.execute(command.value());
        };
        const auto locked = run("lock acquire lk-c1 R");
        QVERIFY2(locked.ok(), locked.ok() ? "" : locked.error().message.c_str());
        const auto txn = run("txn 2pc tx-p1,tx-p2");
        QVERIFY2(txn.ok(), txn.ok() ? "" : txn.error().message.c_str());
        QVERIFY(host.world().indexOf("tx-p2").has_value());
        // A command of no part's lab is refused, and says whose it is not.
        const auto other = run("publish orders");
        QVERIFY(!other.ok());
        QVERIFY2(other.error().message.find("lock+txn") != std::string::npos, other.error().message.c_str());
        QVERIFY(!host.world().indexOf("mq-broker").has_value());
    }

    void copiesItsPartsForACheckpoint() {
        const Scenario s = scenario(1);
        Host host(s);
        LockAndTxnLab lab(host, s);
        host.lab = &lab;
        QVERIFY(lab.start().empty());
        Json before = Json::object();
        lab.summarize(before);
        const std::unique_ptr<Lab> copy = lab.clone();
        const auto* composed = dynamic_cast<const ComposedLab*>(copy.get());
        QVERIFY(composed);
        QCOMPARE(composed->parts().size(), std::size_t(2));
        QVERIFY(composed->part("lock") != lab.part("lock"));  // copies, not shared parts
        QVERIFY(composed->part("txn") != lab.part("txn"));

        // The original goes on; the copy keeps the moment it was taken.
        auto command = parseCommand("txn 2pc tx-p1,tx-p2", commandTable());
        QVERIFY(command.ok());
        QVERIFY(lab.execute(command.value()).ok());
        host.world().runUntil(millis(2000), 1'000'000);
        Json after = Json::object();
        lab.summarize(after);
        Json copied = Json::object();
        copy->summarize(copied);
        QCOMPARE(QString::fromStdString(copied.dump()), QString::fromStdString(before.dump()));
        QVERIFY(after.dump() != before.dump());
    }
};

QTEST_GUILESS_MAIN(TestComposedLab)
#include "tst_composed_lab.moc"
