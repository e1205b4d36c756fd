// The pure geometry behind the ring view: angles, layout bands, markers, message paths, hit testing,
// level-of-detail bins and partition cuts. No window is needed for any of it.
#include <QtTest>

#include <cmath>
#include <limits>

#include "fixtures.h"
#include "widgets/ring_geometry.h"

using namespace distlab;
using namespace distlab::geometry;

namespace {

bool near(QPointF a, QPointF b, double tolerance = 1e-6) {
    return std::abs(a.x() - b.x()) <= tolerance && std::abs(a.y() - b.y()) <= tolerance;
}

double angularGap(double a, double b) {
    const double d = std::fmod(std::abs(a - b), kTwoPi);
    return std::min(d, kTwoPi - d);
}

}  // namespace

class TestRingGeometry : public QObject {
    Q_OBJECT

private slots:
    void hashAngleIsClockwiseFromTwelve_data();
    void hashAngleIsClockwiseFromTwelve();
    void angleOfPointInvertsPointAtAngle();
    void layoutBandsAreOrderedAndFit_data();
    void layoutBandsAreOrderedAndFit();
    void keyRadiusStaysInTheKeyBand();
    void flightFraction_data();
    void flightFraction();
    void messagePathBendsLeftAndIsSymmetric();
    void messageAtHalfFlightIsAtTheMiddleOfItsPath();
    void hitTestFindsTheNearestMarker();
    void binsRoundTrip_data();
    void binsRoundTrip();
    void tickBinOwnersTakeTheFirstVnodeOfEachBin();
    void tickBinCountIsAboutOnePixelOfCircumference();  // sqrt(2) bins per pixel
    void markersSitOnTheirCircles();
    void markersOfCloseNodesAreSpreadApart();
    void spreadAnglesLeavesSpacedAnglesAlone();
    void spreadAnglesSeparatesAcrossTwelve();
    void labelDetailDropsWithDensity();
    void partitionOfTwoArcsIsOneLineThroughTheCentre();
    void interleavedPartitionGivesMoreSectors();
    void noPartitionWithOneGroup();
    void formatSimTime_data();
    void formatSimTime();
};

void TestRingGeometry::hashAngleIsClockwiseFromTwelve_data() {
    QTest::addColumn<quint64>("hash");
    QTest::addColumn<double>("angle");
    QTest::addColumn<QPointF>("point");  // on a circle of radius 50 around (100, 100)
    QTest::newRow("0 -> 12 o'clock") << quint64(0) << 0.0 << QPointF(100, 50);
    QTest::newRow("2^62 -> 3 o'clock") << (quint64(1) << 62) << kPi / 2 << QPointF(150, 100);
    QTest::newRow("2^63 -> 6 o'clock") << (quint64(1) << 63) << kPi << QPointF(100, 150);
    QTest::newRow("3*2^62 -> 9 o'clock") << (quint64(3) << 62) << 3 * kPi / 2 << QPointF(50, 100);
    QTest::newRow("max wraps to 12") << std::numeric_limits<quint64>::max() << 0.0 << QPointF(100, 50);
}

void TestRingGeometry::hashAngleIsClockwiseFromTwelve() {
    QFETCH(quint64, hash);
    QFETCH(double, angle);
    QFETCH(QPointF, point);
    QVERIFY2(std::abs(hashAngle(hash) - angle) < 1e-12, qPrintable(QString::number(hashAngle(hash))));
    QVERIFY(hashTurns(hash) >= 0.0 && hashTurns(hash) < 1.0);
    const QPointF p = pointForHash(QPointF(100, 100), 50, hash);
    QVERIFY2(near(p, point, 1e-9), qPrintable(QStringLiteral("%1,%2").arg(p.x()).arg(p.y())));
}

void TestRingGeometry::angleOfPointInvertsPointAtAngle() {
    const QPointF centre(300, 200);
    for (int i = 0; i < 64; ++i) {
        const double angle = kTwoPi * i / 64.0;
        QVERIFY(angularGap(angleOfPoint(centre, pointAtAngle(centre, 80, angle)), angle) < 1e-9);
    }
}

void TestRingGeometry::layoutBandsAreOrderedAndFit_data() {
    QTest::addColumn<QRectF>("rect");
    QTest::newRow("full HD") << QRectF(0, 0, 1920, 1080);
    QTest::newRow("square") << QRectF(0, 0, 800, 800);
    QTest::newRow("tall dock") << QRectF(10, 20, 500, 900);
    QTest::newRow("small") << QRectF(0, 0, 320, 240);
}

void TestRingGeometry::layoutBandsAreOrderedAndFit() {
    QFETCH(QRectF, rect);
    const RingLayout l = ringLayout(rect);
    QCOMPARE(l.centre, rect.center());
    QVERIFY(l.innerRadius < l.keyInner);
    QVERIFY(l.keyInner < l.keyOuter);
    QVERIFY(l.keyOuter < l.radius);
    QVERIFY(l.radius < l.tickInner);
    QVERIFY(l.tickInner < l.tickOuter);
    QVERIFY(l.tickOuter < l.markerRadius - l.markerSizeMax);
    // Markers stay inside the rectangle with room for a label line.
    const double reach = l.markerRadius + l.markerSizeMax + l.fontPx;
    QVERIFY2(reach <= std::min(rect.width(), rect.height()) / 2.0, qPrintable(QString::number(reach)));
    QVERIFY(l.fontPx >= 11.0);
}

void TestRingGeometry::keyRadiusStaysInTheKeyBand() {
    const RingLayout l = ringLayout(QRectF(0, 0, 1000, 800));
    QCOMPARE(keyRadius(l, 0), l.keyOuter);
    std::uint64_t rng = 5;
    for (int i = 0; i < 1000; ++i) {
        const double r = keyRadius(l, fixtures::splitmix64(rng));
        QVERIFY(r <= l.keyOuter && r > l.keyInner);
    }
}

void TestRingGeometry::flightFraction_data() {
    QTest::addColumn<qint64>("sentAt");
    QTest::addColumn<qint64>("deliverAt");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<double>("fraction");
    QTest::newRow("before sending") << qint64(1000) << qint64(3000) << qint64(500) << 0.0;
    QTest::newRow("just sent") << qint64(1000) << qint64(3000) << qint64(1000) << 0.0;
    QTest::newRow("quarter") << qint64(1000) << qint64(3000) << qint64(1500) << 0.25;
    QTest::newRow("half") << qint64(1000) << qint64(3000) << qint64(2000) << 0.5;
    QTest::newRow("delivered") << qint64(1000) << qint64(3000) << qint64(3000) << 1.0;
    QTest::newRow("late") << qint64(1000) << qint64(3000) << qint64(9000) << 1.0;
    QTest::newRow("zero flight time") << qint64(1000) << qint64(1000) << qint64(1000) << 1.0;
}

void TestRingGeometry::flightFraction() {
    QFETCH(qint64, sentAt);
    QFETCH(qint64, deliverAt);
    QFETCH(qint64, now);
    QFETCH(double, fraction);
    QCOMPARE(geometry::flightFraction(sentAt, deliverAt, now), fraction);
}

void TestRingGeometry::messagePathBendsLeftAndIsSymmetric() {
    const QPointF a(100, 300);
    const QPointF b(500, 300);
    const MessagePath there = messagePath(a, b);
    const MessagePath back = messagePath(b, a);
    QVERIFY(near(pointOnPath(there, 0), a));
    QVERIFY(near(pointOnPath(there, 1), b));
    // Travelling right on screen, left is up (smaller y); the reply takes the lane below.
    QVERIFY(pointOnPath(there, 0.5).y() < 300);
    QVERIFY(pointOnPath(back, 0.5).y() > 300);
    QVERIFY(near(pointOnPath(there, 0.5), QPointF(300, 300 - 0.5 * kMessageBend * 400)));
    // Symmetric: equal distances from both ends at t and 1 - t.
    const double d1 = QLineF(a, pointOnPath(there, 0.3)).length();
    const double d2 = QLineF(b, pointOnPath(there, 0.7)).length();
    QVERIFY(std::abs(d1 - d2) < 1e-9);
}

void TestRingGeometry::messageAtHalfFlightIsAtTheMiddleOfItsPath() {
    const MessagePath path = messagePath(QPointF(10, 10), QPointF(210, 110));
    QVERIFY(near(messagePosition(path, 1000, 3000, 2000), pointOnPath(path, 0.5)));
    QVERIFY(near(messagePosition(path, 1000, 3000, 0), path.from));
    QVERIFY(near(messagePosition(path, 1000, 3000, 5000), path.to));
}

void TestRingGeometry::hitTestFindsTheNearestMarker() {
    std::vector<NodeMarker> markers(3);
    markers[0] = {true, true, 0, QPointF(100, 100), 10};
    markers[1] = {true, true, 0, QPointF(115, 100), 10};
    markers[2] = {false, true, 0, QPointF(300, 300), 10};  // removed: never hit
    QCOMPARE(hitTestNode(markers, QPointF(100, 100)), 0);
    QCOMPARE(hitTestNode(markers, QPointF(110, 100)), 1);  // inside both, nearer to 1
    QCOMPARE(hitTestNode(markers, QPointF(100, 113)), 0);  // within the slop
    QCOMPARE(hitTestNode(markers, QPointF(100, 120)), -1);
    QCOMPARE(hitTestNode(markers, QPointF(300, 300)), -1);
}

void TestRingGeometry::binsRoundTrip_data() {
    QTest::addColumn<int>("binCount");
    QTest::newRow("64") << 64;
    QTest::newRow("2543") << 2543;
    QTest::newRow("16384") << 16384;
}

void TestRingGeometry::binsRoundTrip() {
    QFETCH(int, binCount);
    QCOMPARE(binOfHash(0, binCount), 0);
    QCOMPARE(binOfHash(std::numeric_limits<std::uint64_t>::max(), binCount), binCount - 1);
    for (int bin = 1; bin < binCount; bin += std::max(1, binCount / 97)) {
        QCOMPARE(binOfHash(binStart(bin, binCount), binCount), bin);
        QCOMPARE(binOfHash(binStart(bin, binCount) - 1, binCount), bin - 1);
    }
}

void TestRingGeometry::tickBinOwnersTakeTheFirstVnodeOfEachBin() {
    ClusterSnapshot s;
    s.nodes.resize(4);
    for (auto& node : s.nodes) node.onRing = true;
    const int bins = 8;
    s.nodes[0].vnodePoints = {binStart(1, bins) + 10, binStart(5, bins)};
    s.nodes[1].vnodePoints = {binStart(1, bins) + 5, binStart(6, bins) + 1};  // earlier in bin 1
    s.nodes[2].onRing = false;                                                // not a member
    s.nodes[2].vnodePoints = {binStart(3, bins)};
    s.nodes[3].status = NodeStatus::Removed;
    s.nodes[3].vnodePoints = {binStart(4, bins)};
    const std::vector<int> owners = tickBinOwners(s, bins);
    const std::vector<int> expected = {-1, 1, -1, -1, -1, 0, 1, -1};
    QCOMPARE(owners, expected);
}

void TestRingGeometry::tickBinCountIsAboutOnePixelOfCircumference() {
    const RingLayout l = ringLayout(QRectF(0, 0, 1920, 1080));
    const int bins = tickBinCount(l);
    QVERIFY(std::abs(bins - kTwoPi * l.tickOuter * std::sqrt(2.0)) <= 1.0);
}

void TestRingGeometry::markersSitOnTheirCircles() {
    fixtures::ClusterSpec spec;
    spec.servers = 6;
    spec.clients = 2;
    ClusterSnapshot s = fixtures::makeCluster(spec);
    s.nodes[5].status = NodeStatus::Removed;
    const RingLayout l = ringLayout(QRectF(0, 0, 1200, 800));
    const std::vector<NodeMarker> markers = nodeMarkers(l, s);
    QCOMPARE(markers.size(), s.nodes.size());
    for (std::size_t i = 0; i < 5; ++i) {
        QVERIFY(markers[i].visible && markers[i].server);
        QVERIFY(std::abs(QLineF(l.centre, markers[i].centre).length() - l.markerRadius) < 1e-9);
        // Evenly spread home points need no spreading.
        QVERIFY(angularGap(markers[i].angle, hashAngle(s.nodes[i].homePoint)) < 1e-9);
        QCOMPARE(markers[i].size, l.markerSizeMax);
    }
    QVERIFY(!markers[5].visible);
    for (std::size_t i = 6; i < 8; ++i) {
        QVERIFY(markers[i].visible && !markers[i].server);
        QVERIFY(std::abs(QLineF(l.centre, markers[i].centre).length() - l.innerRadius) < 1e-9);
    }
    QVERIFY(angularGap(markers[6].angle, markers[7].angle) > 3.0);  // two clients face each other
}

void TestRingGeometry::markersOfCloseNodesAreSpreadApart() {
    ClusterSnapshot s = fixtures::makeCluster({});
    s.nodes[1].homePoint = s.nodes[0].homePoint + 1000;  // nearly on top of n1
    const RingLayout l = ringLayout(QRectF(0, 0, 1200, 800));
    const std::vector<NodeMarker> markers = nodeMarkers(l, s);
    const double gap = angularGap(markers[0].angle, markers[1].angle) * l.markerRadius;
    QVERIFY2(gap >= l.fontPx * 2.0, qPrintable(QString::number(gap)));
    QVERIFY(hitTestNode(markers, markers[0].centre) == 0);
    QVERIFY(hitTestNode(markers, markers[1].centre) == 1);
}

void TestRingGeometry::spreadAnglesLeavesSpacedAnglesAlone() {
    const std::vector<double> angles = {0.1, 1.0, 2.0, 4.0};
    QCOMPARE(spreadAngles(angles, 0.2), angles);
}

void TestRingGeometry::spreadAnglesSeparatesAcrossTwelve() {
    const std::vector<double> angles = {0.01, kTwoPi - 0.01, 3.0};
    const std::vector<double> spread = spreadAngles(angles, 0.3);
    QVERIFY(angularGap(spread[0], spread[1]) >= 0.3 - 1e-6);
    QVERIFY(spread[0] < kPi);  // still just after 12 o'clock
    QVERIFY(spread[1] > kPi);  // still just before it
    QVERIFY(std::abs(spread[2] - 3.0) < 1e-12);
}

void TestRingGeometry::labelDetailDropsWithDensity() {
    const RingLayout l = ringLayout(QRectF(0, 0, 1920, 1080));
    QCOMPARE(labelDetail(l, 5), LabelDetail::Full);
    QCOMPARE(labelDetail(l, 80), LabelDetail::IdOnly);
    QCOMPARE(labelDetail(l, 1000), LabelDetail::Sparse);
}

void TestRingGeometry::partitionOfTwoArcsIsOneLineThroughTheCentre() {
    // Four nodes at 12, 3, 6 and 9 o'clock; {12, 3} against {6, 9}.
    std::vector<NodeMarker> markers(4);
    for (int i = 0; i < 4; ++i)
        markers[static_cast<std::size_t>(i)] = {true, true, i * kPi / 2, QPointF(), 5};
    PartitionView p;
    p.groups = {{0, 1}, {2, 3}};
    const PartitionLayout layout = partitionLayout(markers, p);
    QCOMPARE(layout.cutAngles.size(), std::size_t(2));
    QVERIFY(std::abs(layout.cutAngles[0] - 3 * kPi / 4) < 1e-12);  // between 3 and 6 o'clock
    QVERIFY(std::abs(layout.cutAngles[1] - 7 * kPi / 4) < 1e-12);  // between 9 and 12 o'clock
    QCOMPARE(layout.sectors.size(), std::size_t(2));
    QCOMPARE(layout.sectors[0].group, 1);  // from 4:30 clockwise: 6 and 9 o'clock
    QCOMPARE(layout.sectors[1].group, 0);
    QVERIFY(std::abs(layout.sectors[1].endAngle - (layout.cutAngles[0] + kTwoPi)) < 1e-12);
}

void TestRingGeometry::interleavedPartitionGivesMoreSectors() {
    std::vector<NodeMarker> markers(4);
    for (int i = 0; i < 4; ++i)
        markers[static_cast<std::size_t>(i)] = {true, true, i * kPi / 2, QPointF(), 5};
    PartitionView p;
    p.groups = {{0, 2}, {1, 3}};
    const PartitionLayout layout = partitionLayout(markers, p);
    QCOMPARE(layout.cutAngles.size(), std::size_t(4));
    QCOMPARE(layout.sectors.size(), std::size_t(4));
    for (std::size_t k = 0; k + 1 < layout.sectors.size(); ++k) {
        QVERIFY(layout.sectors[k].group != layout.sectors[k + 1].group);
    }
}

void TestRingGeometry::noPartitionWithOneGroup() {
    std::vector<NodeMarker> markers(3);
    for (int i = 0; i < 3; ++i) markers[static_cast<std::size_t>(i)] = {true, true, i * 2.0, QPointF(), 5};
    PartitionView p;
    p.groups = {{0, 1, 2}};
    QVERIFY(partitionLayout(markers, p).cutAngles.empty());
    p.groups = {{0, 1, 2}, {}};  // a second, empty group cuts nothing either
    QVERIFY(partitionLayout(markers, p).cutAngles.empty());
}

void TestRingGeometry::formatSimTime_data() {
    QTest::addColumn<qint64>("micros");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << qint64(0) << QStringLiteral("0.0 ms");
    QTest::newRow("ms") << qint64(12345) << QStringLiteral("12.3 ms");
    QTest::newRow("just below 1 s") << qint64(999900) << QStringLiteral("999.9 ms");
    QTest::newRow("seconds") << qint64(1234567) << QStringLiteral("1.235 s");
}

void TestRingGeometry::formatSimTime() {
    QFETCH(qint64, micros);
    QFETCH(QString, text);
    QCOMPARE(geometry::formatSimTime(micros), text);
}

QTEST_APPLESS_MAIN(TestRingGeometry)
#include "tst_ring_geometry.moc"
