// The load chart: one bar per server in its ring colour, movement per membership change, and no
// rebuild for snapshots that only differ in time and messages.
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLabel>
#include <QStackedBarSeries>
#include <QtTest>

#include <cmath>

#include "fixtures.h"
#include "widgets/load_chart.h"
#include "widgets/palette.h"

using namespace distlab;

namespace {

std::shared_ptr<ClusterSnapshot> cluster(int servers) {
    fixtures::ClusterSpec spec;
    spec.servers = servers;
    spec.keys = 1000;
    return std::make_shared<ClusterSnapshot>(fixtures::makeCluster(spec));
}

QAbstractBarSeries* onlySeries(QChart* chart) {
    const auto series = chart->series();
    return series.size() == 1 ? qobject_cast<QAbstractBarSeries*>(series.first()) : nullptr;
}

QStringList categories(QChart* chart) {
    for (QAbstractAxis* axis : chart->axes(Qt::Horizontal)) {
        if (auto* category = qobject_cast<QBarCategoryAxis*>(axis)) return category->categories();
    }
    return {};
}

}  // namespace

class TestLoadChart : public QObject {
    Q_OBJECT

private slots:
    void oneBarPerServerInItsColour();
    void crashedServerIsGrey();
    void manyServersShareOneSet();
    void sameContentDoesNotRebuild();
    void changedCountsRebuild();
    void movementIsAPercentagePerChange_data();
    void movementIsAPercentagePerChange();
    void repeatedChangesGetDistinctCategories();
    void idealTextNamesOneOverNPlusOne();
    void countAxisHasWholeSteps();
    void screenshot();
};

void TestLoadChart::countAxisHasWholeSteps() {
    // Two keys on five servers: ticks 0, 1, 2 (never 0.25 apart, which %d printed as "0, 0, 1, 1").
    QCOMPARE(LoadChart::countAxis(1).step, 1.0);
    QCOMPARE(LoadChart::countAxis(1).top, 2.0);
    QCOMPARE(LoadChart::countAxis(0).top, 1.0);
    for (std::size_t n : {1u, 2u, 5u, 7u, 40u, 333u, 2000u, 123456u}) {
        const LoadChart::CountAxis axis = LoadChart::countAxis(n);
        QVERIFY2(axis.step >= 1 && axis.step == std::floor(axis.step), qPrintable(QString::number(n)));
        QVERIFY2(axis.top > double(n) && axis.top / axis.step <= 6.0 + 1e-9, qPrintable(QString::number(n)));
        QCOMPARE(std::fmod(axis.top, axis.step), 0.0);
    }
}

void TestLoadChart::oneBarPerServerInItsColour() {
    LoadChart chart;
    auto s = cluster(5);
    chart.setSnapshot(s);
    auto* series = qobject_cast<QStackedBarSeries*>(onlySeries(chart.keysChart()));
    QVERIFY(series);
    QCOMPARE(series->count(), 5);
    QCOMPARE(categories(chart.keysChart()),
             (QStringList{QStringLiteral("n1"), QStringLiteral("n2"), QStringLiteral("n3"),
                          QStringLiteral("n4"), QStringLiteral("n5")}));
    for (int i = 0; i < 5; ++i) {
        QBarSet* set = series->barSets().at(i);
        QCOMPARE(set->color(), nodeColor(i));
        for (int k = 0; k < 5; ++k) {
            const double expected =
                k == i ? static_cast<double>(s->nodes[static_cast<std::size_t>(i)].keysOwned) : 0;
            QCOMPARE(set->at(k), expected);
        }
    }
}

void TestLoadChart::crashedServerIsGrey() {
    LoadChart chart;
    auto s = cluster(4);
    s->nodes[1].status = NodeStatus::Crashed;
    chart.setSnapshot(s);
    auto* series = onlySeries(chart.keysChart());
    QVERIFY(series);
    QCOMPARE(series->barSets().at(1)->color(), crashedColor());
    QCOMPARE(series->barSets().at(2)->color(), nodeColor(2));
}

void TestLoadChart::manyServersShareOneSet() {
    LoadChart chart;
    auto s = cluster(100);
    s->nodes[7].status = NodeStatus::Crashed;
    chart.setSnapshot(s);
    auto* series = qobject_cast<QBarSeries*>(onlySeries(chart.keysChart()));
    QVERIFY(series);
    QCOMPARE(series->count(), 1);
    QBarSet* set = series->barSets().first();
    QCOMPARE(set->count(), 100);
    QCOMPARE(set->selectedBars(), QList<int>{7});
    QCOMPARE(set->selectedColor(), crashedColor());
}

void TestLoadChart::sameContentDoesNotRebuild() {
    LoadChart chart;
    auto s = cluster(5);
    s->movements.push_back({millis(10), "add n5", 1000, 190, 800});
    chart.setSnapshot(s);
    QCOMPARE(chart.keysRebuildCount(), 1);
    QCOMPARE(chart.movementRebuildCount(), 1);
    QAbstractSeries* keysSeries = chart.keysChart()->series().first();
    for (int frame = 1; frame <= 60; ++frame) {
        auto next = std::make_shared<ClusterSnapshot>(*s);
        next->now += millis(frame);
        next->events += static_cast<std::uint64_t>(frame);
        next->inFlight.push_back({static_cast<std::uint64_t>(frame), 0, 1, "put", next->now, next->now + 5});
        chart.setSnapshot(next);
    }
    QCOMPARE(chart.keysRebuildCount(), 1);
    QCOMPARE(chart.movementRebuildCount(), 1);
    QCOMPARE(chart.keysChart()->series().first(), keysSeries);
}

void TestLoadChart::changedCountsRebuild() {
    LoadChart chart;
    auto s = cluster(5);
    chart.setSnapshot(s);
    auto moved = std::make_shared<ClusterSnapshot>(*s);
    moved->nodes[0].keysOwned += 1;
    chart.setSnapshot(moved);
    QCOMPARE(chart.keysRebuildCount(), 2);
    QCOMPARE(chart.movementRebuildCount(), 1);
    auto added = cluster(6);
    added->movements.push_back({millis(10), "add n6", 1000, 170, 830});
    chart.setSnapshot(added);
    QCOMPARE(chart.keysRebuildCount(), 3);
    QCOMPARE(chart.movementRebuildCount(), 2);
    QCOMPARE(onlySeries(chart.keysChart())->count(), 6);
}

void TestLoadChart::movementIsAPercentagePerChange_data() {
    QTest::addColumn<int>("keys");
    QTest::addColumn<int>("movedRing");
    QTest::addColumn<int>("movedModulo");
    QTest::addColumn<double>("ringPercent");
    QTest::addColumn<double>("moduloPercent");
    QTest::newRow("add to 5") << 1000 << 167 << 833 << 16.7 << 83.3;
    QTest::newRow("kill one of 4") << 400 << 100 << 300 << 25.0 << 75.0;
    QTest::newRow("nothing moved") << 10 << 0 << 0 << 0.0 << 0.0;
}

void TestLoadChart::movementIsAPercentagePerChange() {
    QFETCH(int, keys);
    QFETCH(int, movedRing);
    QFETCH(int, movedModulo);
    QFETCH(double, ringPercent);
    QFETCH(double, moduloPercent);
    LoadChart chart;
    auto s = cluster(5);
    s->movements.push_back({millis(5), "add n6", static_cast<std::size_t>(keys),
                            static_cast<std::size_t>(movedRing), static_cast<std::size_t>(movedModulo)});
    chart.setSnapshot(s);
    auto* series = qobject_cast<QBarSeries*>(onlySeries(chart.movementChart()));
    QVERIFY(series);
    QCOMPARE(series->count(), 2);
    QCOMPARE(categories(chart.movementChart()), QStringList{QStringLiteral("add n6")});
    QVERIFY(std::abs(series->barSets().at(0)->at(0) - ringPercent) < 1e-9);
    QVERIFY(std::abs(series->barSets().at(1)->at(0) - moduloPercent) < 1e-9);
}

void TestLoadChart::repeatedChangesGetDistinctCategories() {
    LoadChart chart;
    auto s = cluster(5);
    s->movements.push_back({millis(1), "kill n2", 100, 20, 80});
    s->movements.push_back({millis(2), "restart n2", 100, 20, 80});
    s->movements.push_back({millis(3), "kill n2", 100, 20, 80});
    chart.setSnapshot(s);
    QCOMPARE(categories(chart.movementChart()),
             (QStringList{QStringLiteral("kill n2"), QStringLiteral("restart n2"),
                          QStringLiteral("kill n2 (2)")}));
}

void TestLoadChart::idealTextNamesOneOverNPlusOne() {
    LoadChart chart;
    chart.setSnapshot(cluster(5));
    QVERIFY2(chart.idealText().contains(QStringLiteral("1/(N+1) = 16.7 %")), qPrintable(chart.idealText()));
    QVERIFY(chart.idealText().contains(QStringLiteral("N/(N+1) = 83.3 %")));
}

void TestLoadChart::screenshot() {
    LoadChart chart;
    chart.resize(720, 640);
    auto s = cluster(6);
    s->nodes[4].status = NodeStatus::Crashed;
    s->movements.push_back({millis(10), "add n6", 1000, 163, 838});
    s->movements.push_back({millis(20), "kill n5", 1000, 171, 812});
    chart.setSnapshot(s);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QImage image = chart.grab().toImage();
    fixtures::saveArtifact(image, QStringLiteral("tst_load_chart"));
    // Each live server's colour shows up as a bar.
    for (int i : {0, 1, 2, 3, 5}) {
        bool found = false;
        for (int y = 0; y < image.height() && !found; y += 2) {
            for (int x = 0; x < image.width() && !found; x += 2) {
                found = fixtures::colorDistance(image.pixelColor(x, y), nodeColor(i)) <= 6;
            }
        }
        QVERIFY2(found, qPrintable(QStringLiteral("no bar in the colour of n%1").arg(i + 1)));
    }
}

QTEST_MAIN(TestLoadChart)
#include "tst_load_chart.moc"
