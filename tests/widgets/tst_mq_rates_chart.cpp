// The rates chart: one line per rate with one point per bucket, in messages per second of simulated
// time, titled axes, and no rebuild for snapshots whose buckets did not change.
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>
#include <QtTest>

#include "fixtures.h"
#include "widgets/mq_rates_chart.h"
#include "widgets/queue_view.h"

using namespace distlab;
using Rate = MqRatesChart::Rate;

namespace {

MqRateBucket bucket(SimTime start, std::uint32_t published, std::uint32_t delivered, std::uint32_t redelivered,
                    std::uint32_t acked) {
    MqRateBucket b;
    b.start = start;
    b.published = published;
    b.delivered = delivered;
    b.redelivered = redelivered;
    b.acked = acked;
    return b;
}

// A run of `n` buckets of `widthMs`: publishing for the first half, a redelivery burst after a crash.
std::shared_ptr<ClusterSnapshot> ratesSnapshot(int n, std::int64_t widthMs) {
    auto s = std::make_shared<ClusterSnapshot>();
    s->mq.active = true;
    s->mq.rateWidth = millis(widthMs);
    for (int i = 0; i < n; ++i) {
        const auto u = static_cast<std::uint32_t>(i);
        s->mq.rates.push_back(bucket(millis(widthMs) * i, i < n / 2 ? 4 + u % 3 : 0, i > 1 && i < n - 3 ? 3 : 0,
                                     i >= n / 2 && i < n / 2 + 4 ? 2 + u % 2 : 0, i > 2 ? 3 + u % 2 : 0));
    }
    s->now = millis(widthMs) * n;
    return s;
}

std::uint32_t countOf(const MqRateBucket& b, Rate rate) {
    switch (rate) {
        case Rate::Publish:
            return b.published;
        case Rate::Deliver:
            return b.delivered;
        case Rate::Ack:
            return b.acked;
        case Rate::Redeliver:
            return b.redelivered;
    }
    return 0;
}

}  // namespace

class TestMqRatesChart : public QObject {
    Q_OBJECT

private slots:
    void seriesEqualTheBuckets_data();
    void seriesEqualTheBuckets();
    void axesAreTitled();
    void unchangedSnapshotDoesNotRebuild();
    void changedBucketsRebuild();
    void inactiveLabIsEmpty();
    void screenshot();
};

void TestMqRatesChart::seriesEqualTheBuckets_data() {
    QTest::addColumn<int>("buckets");
    QTest::addColumn<qint64>("widthMs");
    QTest::newRow("40 x 100 ms") << 40 << qint64(100);
    QTest::newRow("240 x 250 ms") << 240 << qint64(250);
    QTest::newRow("3 x 1 s") << 3 << qint64(1000);
    QTest::newRow("none") << 0 << qint64(100);
}

void TestMqRatesChart::seriesEqualTheBuckets() {
    QFETCH(int, buckets);
    QFETCH(qint64, widthMs);
    MqRatesChart chart;
    auto s = ratesSnapshot(buckets, widthMs);
    chart.setSnapshot(s);
    const double perSecond = 1000.0 / static_cast<double>(widthMs);
    for (const Rate rate : {Rate::Publish, Rate::Deliver, Rate::Ack, Rate::Redeliver}) {
        QLineSeries* series = chart.series(rate);
        QVERIFY(series);
        QCOMPARE(series->count(), buckets);
        for (int i = 0; i < buckets; ++i) {
            const MqRateBucket& b = s->mq.rates[static_cast<std::size_t>(i)];
            const QPointF p = series->at(i);
            QVERIFY(std::abs(p.x() - static_cast<double>(b.start) / kMicrosPerSecond) < 1e-9);
            const double expected = countOf(b, rate) * perSecond;
            QVERIFY2(std::abs(p.y() - expected) < 1e-9,
                     qPrintable(QStringLiteral("bucket %1: %2 != %3").arg(i).arg(p.y()).arg(expected)));
        }
    }
    QCOMPARE(chart.chart()->series().size(), 4);
    // Every point is inside the axes' ranges.
    for (const Rate rate : {Rate::Publish, Rate::Deliver, Rate::Ack, Rate::Redeliver}) {
        for (const QPointF& p : chart.series(rate)->points()) {
            QVERIFY(p.x() >= chart.timeAxis()->min() - 1e-9 && p.x() <= chart.timeAxis()->max() + 1e-9);
            QVERIFY(p.y() >= chart.rateAxis()->min() && p.y() <= chart.rateAxis()->max());
        }
    }
}

void TestMqRatesChart::axesAreTitled() {
    MqRatesChart chart;
    chart.setSnapshot(ratesSnapshot(10, 100));
    QCOMPARE(chart.timeAxis()->titleText(), QStringLiteral("simulated time (s)"));
    QCOMPARE(chart.rateAxis()->titleText(), QStringLiteral("messages/s"));
    QCOMPARE(chart.series(Rate::Publish)->name(), QStringLiteral("publish"));
    QCOMPARE(chart.series(Rate::Deliver)->name(), QStringLiteral("deliver"));
    QCOMPARE(chart.series(Rate::Ack)->name(), QStringLiteral("ack"));
    QCOMPARE(chart.series(Rate::Redeliver)->name(), QStringLiteral("redeliver"));
    // The redeliver line has the colour of the redelivered boxes in the queue view.
    QCOMPARE(chart.series(Rate::Redeliver)->pen().color(), mqRedeliveredColor());
    QVERIFY(chart.series(Rate::Publish)->pen().color() != chart.series(Rate::Ack)->pen().color());
}

void TestMqRatesChart::unchangedSnapshotDoesNotRebuild() {
    MqRatesChart chart;
    auto s = ratesSnapshot(40, 100);
    chart.setSnapshot(s);
    QCOMPARE(chart.rebuildCount(), 1);
    QLineSeries* publish = chart.series(Rate::Publish);
    const QList<QPointF> before = publish->points();
    for (int frame = 1; frame <= 60; ++frame) {
        auto next = std::make_shared<ClusterSnapshot>(*s);
        next->now += millis(frame);
        next->events += static_cast<std::uint64_t>(frame);
        next->mq.effectsApplied += static_cast<std::uint64_t>(frame);
        chart.setSnapshot(next);
    }
    QCOMPARE(chart.rebuildCount(), 1);
    QCOMPARE(chart.series(Rate::Publish), publish);
    QCOMPARE(publish->points(), before);
    chart.setSnapshot(nullptr);
    QCOMPARE(chart.rebuildCount(), 1);
}

void TestMqRatesChart::changedBucketsRebuild() {
    MqRatesChart chart;
    auto s = ratesSnapshot(40, 100);
    chart.setSnapshot(s);
    auto more = std::make_shared<ClusterSnapshot>(*s);
    more->mq.rates.push_back(bucket(millis(4000), 7, 1, 0, 2));
    chart.setSnapshot(more);
    QCOMPARE(chart.rebuildCount(), 2);
    QCOMPARE(chart.series(Rate::Publish)->count(), 41);
    QCOMPARE(chart.series(Rate::Publish)->at(40).y(), 70.0);
    auto changed = std::make_shared<ClusterSnapshot>(*more);
    changed->mq.rates.back().acked = 5;
    chart.setSnapshot(changed);
    QCOMPARE(chart.rebuildCount(), 3);
    QCOMPARE(chart.series(Rate::Ack)->at(40).y(), 50.0);
    auto wider = std::make_shared<ClusterSnapshot>(*changed);
    wider->mq.rateWidth = millis(200);
    chart.setSnapshot(wider);
    QCOMPARE(chart.rebuildCount(), 4);
    QCOMPARE(chart.series(Rate::Ack)->at(40).y(), 25.0);
    chart.setSnapshot(wider);
    QCOMPARE(chart.rebuildCount(), 4);
}

void TestMqRatesChart::inactiveLabIsEmpty() {
    MqRatesChart chart;
    auto s = ratesSnapshot(20, 100);
    chart.setSnapshot(s);
    auto off = std::make_shared<ClusterSnapshot>(*s);
    off->mq.active = false;
    chart.setSnapshot(off);
    QCOMPARE(chart.rebuildCount(), 2);
    for (const Rate rate : {Rate::Publish, Rate::Deliver, Rate::Ack, Rate::Redeliver})
        QCOMPARE(chart.series(rate)->count(), 0);
}

void TestMqRatesChart::screenshot() {
    MqRatesChart chart;
    chart.resize(900, 360);
    chart.setSnapshot(ratesSnapshot(60, 100));
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    const QImage image = chart.grab().toImage();
    fixtures::saveArtifact(image, QStringLiteral("tst_mq_rates_chart"));
    // The redeliver line shows in its orange.
    int orange = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            orange += fixtures::colorDistance(image.pixelColor(x, y), mqRedeliveredColor()) <= 12 ? 1 : 0;
    }
    QVERIFY2(orange > 30, qPrintable(QString::number(orange)));
}

QTEST_MAIN(TestMqRatesChart)
#include "tst_mq_rates_chart.moc"
