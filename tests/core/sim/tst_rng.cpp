// The seeded generator: reproducible, within bounds, fair enough, and with independent forked streams.
#include <QTest>

#include <set>

#include "core/base/rng.h"

using distlab::Rng;

class TestRng : public QObject {
    Q_OBJECT
private slots:
    void sameSeedSameSequence() {
        Rng a(42), b(42), c(43);
        bool differs = false;
        for (int i = 0; i < 1000; ++i) {
            const auto x = a.next();
            QCOMPARE(x, b.next());
            differs |= x != c.next();
        }
        QVERIFY(differs);
    }
    void uniformStaysInRange_data() {
        QTest::addColumn<qint64>("lo");
        QTest::addColumn<qint64>("hi");
        QTest::newRow("dice") << qint64(1) << qint64(7);
        QTest::newRow("negative") << qint64(-50) << qint64(-10);
        QTest::newRow("one value") << qint64(5) << qint64(6);
        QTest::newRow("empty range gives lo") << qint64(9) << qint64(9);
        QTest::newRow("wide") << qint64(-1000000000000LL) << qint64(1000000000000LL);
    }
    void uniformStaysInRange() {
        QFETCH(qint64, lo);
        QFETCH(qint64, hi);
        Rng rng(7);
        std::set<qint64> seen;
        for (int i = 0; i < 5000; ++i) {
            const auto v = rng.uniform(lo, hi);
            if (hi > lo) {
                QVERIFY2(v >= lo && v < hi, qPrintable(QString::number(v)));
            } else {
                QCOMPARE(v, lo);
            }
            seen.insert(v);
        }
        if (hi > lo && hi - lo <= 100) QCOMPARE(qint64(seen.size()), hi - lo);
    }
    void chanceMatchesProbability() {
        Rng rng(1234);
        int hits = 0;
        const int n = 100000;
        for (int i = 0; i < n; ++i) hits += rng.chance(0.3);
        QVERIFY2(std::abs(hits / double(n) - 0.3) < 0.01, qPrintable(QString::number(hits)));
        QVERIFY(!rng.chance(0.0));
        QVERIFY(rng.chance(1.0));
    }
    void forksAreIndependentOfEachOther() {
        Rng root(99);
        Rng a = root.fork("node:n1");
        Rng b = root.fork("node:n2");
        Rng a2 = root.fork("node:n1");
        QCOMPARE(a.next(), a2.next());
        QVERIFY(a.next() != b.next());
        // Forking does not advance the parent.
        Rng fresh(99);
        QCOMPARE(root.next(), fresh.next());
    }
};

QTEST_APPLESS_MAIN(TestRng)
#include "tst_rng.moc"
