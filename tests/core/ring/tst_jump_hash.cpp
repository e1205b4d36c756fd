// Jump consistent hash (Lamping and Veach 2014): published outputs of the reference algorithm, agreement
// with a second, step-by-step formulation written here, monotonicity and balance.
#include <QTest>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/protocols/ring/hash_ring.h"
#include "core/protocols/ring/jump_hash.h"

using namespace distlab::ring;

namespace {

// The paper's algorithm restated as "list every bucket count at which the key jumps, keep the last one
// below n": the key's LCG stream draws, for a key now in bucket b, the next bucket it would move to,
// floor((b + 1) * 2^31 / (r + 1)) with r the top 31 bits of the state.
std::int32_t jumpByListingMoves(std::uint64_t key, std::int32_t n) {
    if (n <= 0) return -1;
    std::vector<std::int64_t> moves = {0};
    std::uint64_t state = key;
    while (moves.back() < n) {
        state = state * 2862933555777941757ULL + 1;
        const double r = double(state >> 33) + 1.0;
        const double scale = 2147483648.0 / r;
        moves.push_back(std::int64_t(double(moves.back() + 1) * scale));
    }
    return std::int32_t(moves[moves.size() - 2]);
}

}  // namespace

class TestJumpHash : public QObject {
    Q_OBJECT

private slots:
    void publishedValues_data();
    void publishedValues();
    void agreesWithSecondFormulation();
    void growingMovesKeysOnlyToTheNewBucket();
    void bucketsAreBalanced();
    void noBuckets();
};

void TestJumpHash::publishedValues_data() {
    QTest::addColumn<quint64>("key");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<int>("expected");
    // ClickHouse tests/queries/0_stateless/00580_consistent_hashing_functions (reference algorithm).
    QTest::newRow("ch 1/1") << quint64(1) << 1 << 0;
    QTest::newRow("ch 42/57") << quint64(42) << 57 << 43;
    QTest::newRow("ch 256/1024") << quint64(256) << 1024 << 520;
    QTest::newRow("ch 3735883980/1") << quint64(3735883980ULL) << 1 << 0;
    QTest::newRow("ch 3735883980/666") << quint64(3735883980ULL) << 666 << 361;
    QTest::newRow("ch 16045690984833335023/255") << quint64(16045690984833335023ULL) << 255 << 237;
    // Guava HashingTest, "compatible with the C++ implementation".
    QTest::newRow("guava 1/100") << quint64(1) << 100 << 55;
    QTest::newRow("guava 2/100") << quint64(2) << 100 << 62;
    QTest::newRow("guava 3/100") << quint64(3) << 100 << 8;
    QTest::newRow("guava 4/100") << quint64(4) << 100 << 45;
    QTest::newRow("guava 5/100") << quint64(5) << 100 << 59;
}

void TestJumpHash::publishedValues() {
    QFETCH(quint64, key);
    QFETCH(int, buckets);
    QFETCH(int, expected);
    QCOMPARE(jumpConsistentHash(key, buckets), expected);
}

void TestJumpHash::agreesWithSecondFormulation() {
    const auto keys = sampleKeyHashes(HashKind::Xxh3, 20'000);
    std::size_t checked = 0;
    for (const std::int32_t n : {1, 2, 3, 10, 100, 1000, 65'536, 1'000'000}) {
        for (const std::uint64_t key : keys) {
            const std::int32_t a = jumpConsistentHash(key, n);
            const std::int32_t b = jumpByListingMoves(key, n);
            if (a != b) {
                QFAIL(qPrintable(QStringLiteral("key %1, %2 buckets: library %3, listing %4")
                                     .arg(key)
                                     .arg(n)
                                     .arg(a)
                                     .arg(b)));
            }
            ++checked;
        }
    }
    QCOMPARE(checked, keys.size() * 8);
}

void TestJumpHash::growingMovesKeysOnlyToTheNewBucket() {
    const auto keys = sampleKeyHashes(HashKind::Xxh3, 10'000);
    std::vector<std::int32_t> before(keys.size(), 0);
    for (std::int32_t n = 2; n <= 300; ++n) {
        std::size_t moved = 0;
        for (std::size_t k = 0; k < keys.size(); ++k) {
            const std::int32_t after = jumpConsistentHash(keys[k], n);
            QVERIFY(after >= 0 && after < n);
            if (after != before[k]) {
                if (after != n - 1) {
                    QFAIL(qPrintable(QStringLiteral("key %1 moved from %2 to %3 when growing to %4 buckets")
                                         .arg(keys[k])
                                         .arg(before[k])
                                         .arg(after)
                                         .arg(n)));
                }
                ++moved;
            }
            before[k] = after;
        }
        // About 1/n of the keys move; a loose band, checked over a whole sweep of n.
        const double expected = double(keys.size()) / n;
        QVERIFY2(
            std::abs(double(moved) - expected) <= 5 * std::sqrt(expected) + 1,
            qPrintable(
                QStringLiteral("n=%1: %2 keys moved, expected about %3").arg(n).arg(moved).arg(expected)));
    }
}

void TestJumpHash::bucketsAreBalanced() {
    const auto keys = sampleKeyHashes(HashKind::Xxh3, 100'000);
    std::vector<int> count(10, 0);
    for (const std::uint64_t key : keys) ++count[std::size_t(jumpConsistentHash(key, 10))];
    for (int b = 0; b < 10; ++b) {
        QVERIFY2(
            std::abs(count[std::size_t(b)] - 10'000) < 500,
            qPrintable(QStringLiteral("bucket %1 has %2 of 100000 keys").arg(b).arg(count[std::size_t(b)])));
    }
}

void TestJumpHash::noBuckets() {
    QCOMPARE(jumpConsistentHash(123, 0), -1);
    QCOMPARE(jumpConsistentHash(123, -4), -1);
    for (std::uint64_t key = 0; key < 100; ++key) QCOMPARE(jumpConsistentHash(key, 1), 0);
}

QTEST_APPLESS_MAIN(TestJumpHash)
#include "tst_jump_hash.moc"
