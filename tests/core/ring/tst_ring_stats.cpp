// Ring measurements on 100,000 sample keys: keys move only to a new node or from a removed one, about
// 1/(N+1) of them against more than 80% for `hash mod N` (Karger et al. 1997), load spread near
// 1/sqrt(vnodes), bounded loads (Mirrokni, Thorup, Zadimoghaddam 2018), and the benchmark's contract.
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/protocols/ring/hash_ring.h"
#include "core/protocols/ring/ring_bench.h"
#include "core/protocols/ring/ring_stats.h"

using namespace distlab::ring;

Q_DECLARE_METATYPE(distlab::ring::HashKind)

namespace {

constexpr std::size_t kSampleKeys = 100'000;

HashRing makeRing(int nodes, int vnodes = 160, HashKind hash = HashKind::Xxh3) {
    HashRing ring(RingConfig{vnodes, hash});
    for (int i = 0; i < nodes; ++i) ring.addNode("node-" + std::to_string(i));
    return ring;
}

QString ownerName(const std::string* id) {
    return id ? QString::fromStdString(*id) : QStringLiteral("none");
}

}  // namespace

class TestRingStats : public QObject {
    Q_OBJECT

private slots:
    void addingANodeMovesKeysOnlyToIt_data();
    void addingANodeMovesKeysOnlyToIt();
    void removingANodeMovesOnlyItsKeys_data();
    void removingANodeMovesOnlyItsKeys();
    void movementOnEmptyRings();
    void loadSpreadFollowsVnodes_data();
    void loadSpreadFollowsVnodes();
    void loadStatsArithmetic();
    void boundedLoads_data();
    void boundedLoads();
    void boundedLoadsWithRoomToSpareIsThePlainRing();
    void boundedLoadsOnEmptyRing();
    void benchReportsWhatItMeasured();
};

void TestRingStats::addingANodeMovesKeysOnlyToIt_data() {
    QTest::addColumn<int>("nodes");
    QTest::addColumn<HashKind>("hash");
    QTest::newRow("N=10 -> 11, xxh3") << 10 << HashKind::Xxh3;
    QTest::newRow("N=100 -> 101, xxh3") << 100 << HashKind::Xxh3;
    QTest::newRow("N=10 -> 11, ketama") << 10 << HashKind::Ketama;
    QTest::newRow("N=100 -> 101, ketama") << 100 << HashKind::Ketama;
}

void TestRingStats::addingANodeMovesKeysOnlyToIt() {
    QFETCH(int, nodes);
    QFETCH(HashKind, hash);
    const HashRing before = makeRing(nodes, 160, hash);
    HashRing after = before;
    QVERIFY(after.addNode("newcomer"));
    const auto keys = sampleKeyHashes(hash, kSampleKeys);

    std::size_t moved = 0;
    for (const std::uint64_t h : keys) {
        const std::string* was = before.owner(h);
        const std::string* now = after.owner(h);
        if (*was == *now) continue;
        ++moved;
        if (*now != "newcomer") {
            QFAIL(qPrintable(QStringLiteral("key hash %1 moved from %2 to %3, not to the new node")
                                 .arg(h)
                                 .arg(ownerName(was), ownerName(now))));
        }
    }
    const MovementStats stats = compareMovement(before, after, keys);
    QCOMPARE(stats.keys, keys.size());
    QCOMPARE(stats.movedRing, moved);

    const double expected = 1.0 / (nodes + 1);
    const double fraction = stats.fractionRing();
    QVERIFY2(
        std::abs(fraction - expected) <= 0.2 * expected,
        qPrintable(QStringLiteral("N=%1: ring moved %2 of %3 keys = %4, expected 1/(N+1) = %5 within 20%")
                       .arg(nodes)
                       .arg(stats.movedRing)
                       .arg(stats.keys)
                       .arg(fraction)
                       .arg(expected)));
    QVERIFY2(stats.fractionModulo() > 0.8,
             qPrintable(QStringLiteral("N=%1: mod-N hashing moved only %2 of %3 keys = %4, expected > 0.8")
                            .arg(nodes)
                            .arg(stats.movedModulo)
                            .arg(stats.keys)
                            .arg(stats.fractionModulo())));
    qInfo("N=%d: ring moved %.4f (1/(N+1) = %.4f), modulo moved %.4f", nodes, fraction, expected,
          stats.fractionModulo());
}

void TestRingStats::removingANodeMovesOnlyItsKeys_data() {
    QTest::addColumn<int>("nodes");
    QTest::addColumn<QString>("removed");
    QTest::newRow("N=10, remove node-3") << 10 << "node-3";
    QTest::newRow("N=100, remove node-0") << 100 << "node-0";
    QTest::newRow("N=100, remove node-99") << 100 << "node-99";
}

void TestRingStats::removingANodeMovesOnlyItsKeys() {
    QFETCH(int, nodes);
    QFETCH(QString, removed);
    const std::string gone = removed.toStdString();
    const HashRing before = makeRing(nodes);
    HashRing after = before;
    QVERIFY(after.removeNode(gone));
    const auto keys = sampleKeyHashes(HashKind::Xxh3, kSampleKeys);

    std::size_t owned = 0;
    for (const std::uint64_t h : keys) {
        const bool wasGone = *before.owner(h) == gone;
        owned += wasGone ? 1 : 0;
        const bool moved = *before.owner(h) != *after.owner(h);
        if (moved != wasGone) {
            QFAIL(qPrintable(QStringLiteral("key hash %1: owner %2 -> %3 after removing %4")
                                 .arg(h)
                                 .arg(ownerName(before.owner(h)), ownerName(after.owner(h)), removed)));
        }
    }
    const MovementStats stats = compareMovement(before, after, keys);
    QCOMPARE(stats.movedRing, owned);
    QVERIFY2(stats.fractionModulo() > 0.8,
             qPrintable(QStringLiteral("modulo moved %1").arg(stats.fractionModulo())));
}

void TestRingStats::movementOnEmptyRings() {
    const HashRing empty;
    const HashRing one = makeRing(1);
    const auto keys = sampleKeyHashes(HashKind::Xxh3, 1000);
    const MovementStats none = compareMovement(empty, empty, keys);
    QCOMPARE(none.movedRing, std::size_t{0});
    QCOMPARE(none.movedModulo, std::size_t{0});
    const MovementStats all = compareMovement(empty, one, keys);
    QCOMPARE(all.movedRing, keys.size());
    QCOMPARE(all.movedModulo, keys.size());
    QCOMPARE(all.fractionRing(), 1.0);
    QCOMPARE(MovementStats{}.fractionRing(), 0.0);
    QCOMPARE(MovementStats{}.fractionModulo(), 0.0);
}

void TestRingStats::loadSpreadFollowsVnodes_data() {
    QTest::addColumn<int>("vnodes");
    QTest::newRow("100 nodes, 160 vnodes") << 160;
    QTest::newRow("100 nodes, 40 vnodes") << 40;
}

void TestRingStats::loadSpreadFollowsVnodes() {
    QFETCH(int, vnodes);
    const HashRing ring = makeRing(100, vnodes);
    const LoadStats load = loadStats(ring, sampleKeyHashes(HashKind::Xxh3, kSampleKeys));
    const double expected = 1.0 / std::sqrt(double(vnodes));
    const double spread = load.stddevOverMean();
    QVERIFY2(std::abs(spread - expected) <= 0.25 * expected,
             qPrintable(QStringLiteral(
                            "%1 vnodes: stddev/mean %2 (stddev %3, mean %4), expected 1/sqrt(vnodes) = %5 "
                            "within 25%")
                            .arg(vnodes)
                            .arg(spread)
                            .arg(load.stddev)
                            .arg(load.mean)
                            .arg(expected)));
    qInfo("vnodes=%d: stddev/mean %.4f, 1/sqrt(vnodes) %.4f, max/mean %.3f", vnodes, spread, expected,
          load.maxOverMean());
}

void TestRingStats::loadStatsArithmetic() {
    const HashRing ring = makeRing(4, 8);
    const auto keys = sampleKeyHashes(HashKind::Xxh3, 1000);
    const LoadStats load = loadStats(ring, keys);
    QCOMPARE(load.perNode.size(), std::size_t{4});
    std::size_t total = 0;
    double squares = 0;
    std::size_t top = 0;
    for (const std::size_t c : load.perNode) {
        total += c;
        squares += (double(c) - 250.0) * (double(c) - 250.0);
        top = std::max(top, c);
    }
    QCOMPARE(total, keys.size());
    QCOMPARE(load.mean, 250.0);
    QVERIFY(std::abs(load.stddev - std::sqrt(squares / 4)) < 1e-9);
    QCOMPARE(load.max, double(top));
    QVERIFY(std::abs(load.maxOverMean() - double(top) / 250.0) < 1e-12);

    const LoadStats empty = loadStats(HashRing{}, keys);
    QVERIFY(empty.perNode.empty());
    QCOMPARE(empty.stddevOverMean(), 0.0);
    QCOMPARE(empty.maxOverMean(), 0.0);
}

void TestRingStats::boundedLoads_data() {
    QTest::addColumn<int>("nodes");
    QTest::addColumn<double>("eps");
    QTest::addColumn<int>("capacity");  // ceil((1 + eps) * 100000 / nodes), worked out by hand
    QTest::newRow("10 nodes, eps 0") << 10 << 0.0 << 10'000;
    QTest::newRow("10 nodes, eps 0.1") << 10 << 0.1 << 11'000;
    QTest::newRow("7 nodes, eps 0.5") << 7 << 0.5 << 21'429;
    QTest::newRow("100 nodes, eps 0.25") << 100 << 0.25 << 1'250;
    QTest::newRow("100 nodes, eps 1") << 100 << 1.0 << 2'000;
    QTest::newRow("3 nodes, eps 0: ceil(m/n)") << 3 << 0.0 << 33'334;
}

void TestRingStats::boundedLoads() {
    QFETCH(int, nodes);
    QFETCH(double, eps);
    QFETCH(int, capacity);
    const HashRing ring = makeRing(nodes);
    const auto keys = sampleKeyHashes(HashKind::Xxh3, kSampleKeys);
    const auto owners = assignBoundedLoads(ring, keys, eps);
    QCOMPARE(owners.size(), keys.size());

    QCOMPARE(boundedLoadCapacity(keys.size(), std::size_t(nodes), eps), std::size_t(capacity));
    std::vector<std::size_t> load(std::size_t(nodes), 0);
    for (std::size_t k = 0; k < owners.size(); ++k) {
        if (owners[k] < 0 || owners[k] >= nodes) {
            QFAIL(qPrintable(QStringLiteral("key %1 has no owner (%2)").arg(k).arg(owners[k])));
        }
        ++load[std::size_t(owners[k])];
    }
    const std::size_t top = *std::max_element(load.begin(), load.end());
    QVERIFY2(top <= std::size_t(capacity),
             qPrintable(QStringLiteral("a node holds %1 keys, capacity ceil((1+%2)*%3/%4) = %5")
                            .arg(top)
                            .arg(eps)
                            .arg(keys.size())
                            .arg(nodes)
                            .arg(capacity)));
    // A node that ends below capacity had room all along, so every key whose ring owner it is stayed.
    std::size_t displaced = 0;
    for (std::size_t k = 0; k < keys.size(); ++k) {
        const int home = ring.ownerIndex(keys[k]);
        if (owners[k] != home) {
            ++displaced;
            if (load[std::size_t(home)] < std::size_t(capacity)) {
                QFAIL(qPrintable(QStringLiteral("key %1 left node %2, which ends with %3 < capacity %4")
                                     .arg(k)
                                     .arg(home)
                                     .arg(load[std::size_t(home)])
                                     .arg(capacity)));
            }
        }
    }
    qInfo("%d nodes, eps %.2f: capacity %d, max load %zu, %zu keys displaced from their ring owner", nodes,
          eps, capacity, top, displaced);
}

void TestRingStats::boundedLoadsWithRoomToSpareIsThePlainRing() {
    const HashRing ring = makeRing(10);
    const auto keys = sampleKeyHashes(HashKind::Xxh3, 10'000);
    const auto owners = assignBoundedLoads(ring, keys, 100.0);
    for (std::size_t k = 0; k < keys.size(); ++k) QCOMPARE(owners[k], ring.ownerIndex(keys[k]));
    // A negative or NaN eps is treated as 0: still a complete assignment.
    for (const double eps : {-1.0, std::nan("")}) {
        const auto strict = assignBoundedLoads(ring, keys, eps);
        QCOMPARE(std::count(strict.begin(), strict.end(), -1), 0);
    }
}

void TestRingStats::boundedLoadsOnEmptyRing() {
    const auto owners = assignBoundedLoads(HashRing{}, sampleKeyHashes(HashKind::Xxh3, 10), 0.1);
    QCOMPARE(owners, std::vector<int>(10, -1));
    QVERIFY(assignBoundedLoads(makeRing(3), {}, 0.1).empty());
}

void TestRingStats::benchReportsWhatItMeasured() {
    // Only the contract; speed is measured by `distlab-sim bench ring`, not asserted in a test.
    const RingBenchResult small = benchRing(10, 16, 10'000);
    QCOMPARE(small.nodes, 10);
    QCOMPARE(small.vnodes, 16);
    QCOMPARE(small.lookups, std::size_t{10'000});
    QVERIFY(small.ringNs > 0 && small.jumpNs > 0);
    QVERIFY(std::isfinite(small.ratio()));
    const RingBenchResult clamped = benchRing(0, 0, 0);
    QCOMPARE(clamped.nodes, 1);
    QCOMPARE(clamped.vnodes, 1);
    QCOMPARE(clamped.lookups, std::size_t{1});
}

QTEST_APPLESS_MAIN(TestRingStats)
#include "tst_ring_stats.moc"
