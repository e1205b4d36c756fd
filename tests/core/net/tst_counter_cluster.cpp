// The distributed counter as 13 real processes on loopback (the built-in `counter` scenario's broker, lock
// server, 5 replicas, 3 workers and 3 clients, each a distlab-node with its own data directory): while the 3
// clients run their workload, random nodes are SIGKILLed and restarted on the same data directory 20 times.
// Afterwards every acknowledged increment is in its key's freshest state exactly once (counter-exact,
// applied-once), the replicas agree, and the clients' merged history is linearizable, both by the checks the
// simulator runs and by `distlab-sim check --model counter` on the written history.
// The same run with the workers' deduplication broken (`break dedup`, sent to every worker and replica as
// the lab sends it) is caught: a redelivered job is applied twice. DISTLAB_SEED=N picks the faults; the seed
// is printed.
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "core/check/counter_checks.h"
#include "core/check/op_history.h"
#include "core/net/op_log.h"
#include "core/node/file_store.h"
#include "core/protocols/counter/counter_messages.h"
#include "node_process.h"

using namespace distlab;
using namespace nodeproc;

namespace {

const std::vector<std::string> kIds = {"cn-broker", "cn-lock", "cn-n1", "cn-n2", "cn-n3", "cn-n4", "cn-n5",
                                       "cn-w1",     "cn-w2",   "cn-w3", "cn-c1", "cn-c2", "cn-c3"};
constexpr int kKillsAndRestarts = 20;

bool isClient(const std::string& id) { return id.rfind("cn-c", 0) == 0; }
bool isReplica(const std::string& id) { return id.rfind("cn-n", 0) == 0; }

// Free loopback ports, held until all are chosen so that none is chosen twice.
std::vector<int> freePorts(std::size_t n) {
    std::vector<int> fds, ports;
    for (std::size_t i = 0; i < n; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t length = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
        ports.push_back(ntohs(addr.sin_port));
        fds.push_back(fd);
    }
    for (int fd : fds) ::close(fd);
    return ports;
}

void sleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

class TestCounterCluster : public QObject {
    Q_OBJECT

    struct Outcome {
        std::vector<CheckResult> checks;
        std::string cliSaid;
        int cliExit = -1;
    };

    // Runs the cluster with `kills` random SIGKILLs and restarts among `victims` (all nodes when empty), the
    // given switches broken from the start, and returns the checks' verdicts.
    static void runCluster(std::uint64_t seed, int kills, const std::vector<std::string>& victims,
                           const std::vector<std::string>& broken, Outcome& outcome) {
        qInfo("seed %llu (DISTLAB_SEED=%llu reproduces the faults)", static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
        std::mt19937_64 rng(seed);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string root = dir.path().toStdString();

        const std::vector<int> ports = freePorts(kIds.size());
        std::vector<std::string> peers;
        for (std::size_t i = 0; i < kIds.size(); ++i)
            peers.push_back("--peer=" + kIds[i] + "=127.0.0.1:" + std::to_string(ports[i]));
        const auto argsOf = [&](std::size_t i) {
            std::vector<std::string> args = {"--id", kIds[i], "--scenario", "counter", "--listen",
                                             "127.0.0.1:" + std::to_string(ports[i]), "--data-dir", root + "/" + kIds[i],
                                             "--history", root + "/" + kIds[i] + ".ops"};
            args.insert(args.end(), peers.begin(), peers.end());
            return args;
        };
        std::vector<std::unique_ptr<NodeProcess>> nodes(kIds.size());
        for (std::size_t i = 0; i < kIds.size(); ++i) {
            std::filesystem::create_directories(root + "/run-" + kIds[i]);
            nodes[i] = std::make_unique<NodeProcess>(root + "/run-" + kIds[i], argsOf(i));
            QVERIFY2(nodes[i]->running(), nodes[i]->log().c_str());
        }
        for (const std::string& name : broken)
            for (std::size_t i = 0; i < kIds.size(); ++i) {
                if (kIds[i].rfind("cn-w", 0) != 0 && !isReplica(kIds[i])) continue;
                RawClient lab(nodes[i]->port());
                QCOMPARE(lab.handshake("tester", nullptr), std::string());
                QVERIFY(lab.send(Envelope{"tester", kIds[i], makeBody(counter::CounterSwitch{name, true})}));
                sleepMs(20);
            }
        sleepMs(2000);

        std::map<std::string, int> killCount;
        for (int round = 0; round < kills; ++round) {
            sleepMs(300 + int(rng() % 400));
            std::size_t victim = rng() % kIds.size();
            if (!victims.empty())
                victim = std::find(kIds.begin(), kIds.end(), victims[rng() % victims.size()]) - kIds.begin();
            QCOMPARE(nodes[victim]->stop(SIGKILL), 128 + SIGKILL);
            killCount[kIds[victim]]++;
            sleepMs(200 + int(rng() % 500));
            nodes[victim] = std::make_unique<NodeProcess>(root + "/run-" + kIds[victim], argsOf(victim));
            QVERIFY2(nodes[victim]->running(), nodes[victim]->log().c_str());
        }
        std::string killed;
        for (const auto& [id, n] : killCount) killed += id + " x" + std::to_string(n) + " ";
        qInfo("killed and restarted: %s", killed.c_str());
        sleepMs(1500);

        // The clients stop their workload, and every open operation gets time to end (4 attempts of 1.5 s).
        for (std::size_t i = 0; i < kIds.size(); ++i) {
            if (!isClient(kIds[i])) continue;
            RawClient tester(nodes[i]->port());
            QCOMPARE(tester.handshake("tester", nullptr), std::string());
            QVERIFY(tester.send(Envelope{"tester", kIds[i], makeBody(counter::CounterWorkload{false})}));
            sleepMs(50);
        }
        sleepMs(7000);
        for (auto& node : nodes) {
            QVERIFY2(node->running(), node->log().c_str());
            QCOMPARE(node->stop(SIGTERM), 0);
        }

        // The clients' histories, merged on the machine's monotonic clock.
        std::vector<std::string> logs;
        for (const std::string& id : kIds)
            if (isClient(id)) logs.push_back(root + "/" + id + ".ops");
        auto ops = net::readOpLogs(logs);
        QVERIFY2(ops.ok(), ops.ok() ? "" : ops.error().message.c_str());
        Trace trace;
        for (ClientOp& op : ops.value()) trace.addClientOp(std::move(op));

        // What the replicas hold on their disks.
        std::vector<check::CounterReplicaState> states;
        for (const std::string& id : kIds) {
            if (!isReplica(id)) continue;
            auto store = FileStore::open(root + "/" + id);
            QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
            for (const StoreRecord& record : store.value()->scan(counter::kStatePrefix))
                if (auto state = counter::keyStateFromJson(Json::parse(record.value, nullptr, false)))
                    states.push_back({id, record.key.substr(counter::kStatePrefix.size()), *state});
        }
        QVERIFY(!states.empty());

        std::int64_t acked = 0, unknown = 0;
        for (const check::CounterExpectation& e : check::counterExpectations(trace, isClient)) {
            acked += e.ackedCount;
            unknown += e.unknownCount;
            std::int64_t freshest = 0, version = -1;
            for (const auto& s : states)
                if (s.key == e.key && s.state.version > version) {
                    version = s.state.version;
                    freshest = s.state.value;
                }
            qInfo("key %s: holds %lld; acknowledged increments sum to %lld (%lld of them), unknown ones to %lld (%lld)",
                  e.key.c_str(), static_cast<long long>(freshest), static_cast<long long>(e.acked),
                  static_cast<long long>(e.ackedCount), static_cast<long long>(e.unknown),
                  static_cast<long long>(e.unknownCount));
        }
        QVERIFY2(acked >= 30, "too few acknowledged increments to judge the run");
        outcome.checks = check::counterChecks(trace, isClient, states);
        for (const CheckResult& check : outcome.checks)
            qInfo("%s %s: %s", check.ok ? "PASS" : "FAIL", check.name.c_str(), check.explanation.c_str());

        // The same history through the command-line checker.
        const std::string historyPath = root + "/history.jsonl";
        {
            std::ofstream out(historyPath);
            const auto counterOp = [](const ClientOp& op) { return op.f == "incr" || op.f == "read"; };
            for (const lin::HistoryEvent& event : lin::historyOfTrace(trace, counterOp)) out << lin::toJsonLine(event) << "\n";
        }
        const std::string command = std::string(DISTLAB_SIM_PATH) + " check " + historyPath + " --model counter > " +
                                    root + "/check.out 2>&1";
        const int status = std::system(command.c_str());
        std::ifstream checkOut(root + "/check.out");
        outcome.cliSaid.assign(std::istreambuf_iterator<char>(checkOut), {});
        outcome.cliExit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        qInfo("distlab-sim check: %s", outcome.cliSaid.c_str());
    }

    static std::uint64_t seedOr(std::uint64_t fallback) {
        return qEnvironmentVariableIsSet("DISTLAB_SEED") ? qEnvironmentVariable("DISTLAB_SEED").toULongLong() : fallback;
    }

private slots:
    void killsAndRestartsLoseNothing() {
        Outcome outcome;
        runCluster(seedOr(20261208), kKillsAndRestarts, {}, {}, outcome);
        if (QTest::currentTestFailed()) return;
        QCOMPARE(outcome.checks.size(), std::size_t(4));
        for (const CheckResult& check : outcome.checks) QVERIFY2(check.ok, (check.name + ": " + check.explanation).c_str());
        QVERIFY2(outcome.cliExit == 0, outcome.cliSaid.c_str());
    }

    void brokenDedupIsCaught() {
        // Workers killed between a commit and its ack leave the job to be redelivered and applied again.
        Outcome outcome;
        runCluster(seedOr(7), 12, {"cn-w1", "cn-w2", "cn-w3"}, {"dedup"}, outcome);
        if (QTest::currentTestFailed()) return;
        bool caught = false;
        for (const CheckResult& check : outcome.checks)
            if ((check.name == "applied-once" || check.name == "counter-exact") && !check.ok) caught = true;
        QVERIFY2(caught, "with dedup broken and workers killed, no check failed");
    }
};

QTEST_APPLESS_MAIN(TestCounterCluster)
#include "tst_counter_cluster.moc"
