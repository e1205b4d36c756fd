// The ring view draws what the snapshot says: every node's colour and label, grey crashed nodes,
// messages where their flight time puts them, red partition cuts, and selection by click.
#include <QPaintEngine>
#include <QPainter>
#include <QSignalSpy>
#include <QtTest>

#include "fixtures.h"
#include "widgets/palette.h"
#include "widgets/ring_geometry.h"
#include "widgets/ring_view.h"

using namespace distlab;
using fixtures::colorDistance;

namespace {

const QSize kFrame(1200, 800);

// A paint device that records the text the view draws and ignores everything else: labels can then
// be counted exactly, independent of fonts and antialiasing.
class TextRecorder : public QPaintDevice {
public:
    TextRecorder() : m_engine(this) {}
    QPaintEngine* paintEngine() const override { return &m_engine; }
    QStringList texts;

protected:
    int metric(PaintDeviceMetric metric) const override {
        switch (metric) {
            case PdmWidth:
                return kFrame.width();
            case PdmHeight:
                return kFrame.height();
            case PdmWidthMM:
                return kFrame.width() * 254 / 960;
            case PdmHeightMM:
                return kFrame.height() * 254 / 960;
            case PdmNumColors:
                return 1 << 24;
            case PdmDepth:
                return 32;
            case PdmDpiX:
            case PdmDpiY:
            case PdmPhysicalDpiX:
            case PdmPhysicalDpiY:
                return 96;
            case PdmDevicePixelRatio:
                return 1;
            case PdmDevicePixelRatioScaled:
                return static_cast<int>(devicePixelRatioFScale());
        }
        return 0;
    }

private:
    class Engine : public QPaintEngine {
    public:
        explicit Engine(TextRecorder* device) : QPaintEngine(AllFeatures), m_device(device) {}
        bool begin(QPaintDevice*) override { return true; }
        bool end() override { return true; }
        void updateState(const QPaintEngineState&) override {}
        void drawPixmap(const QRectF&, const QPixmap&, const QRectF&) override {}
        void drawImage(const QRectF&, const QImage&, const QRectF&, Qt::ImageConversionFlags) override {}
        void drawPolygon(const QPointF*, int, PolygonDrawMode) override {}
        void drawPath(const QPainterPath&) override {}
        void drawLines(const QLineF*, int) override {}
        void drawRects(const QRectF*, int) override {}
        void drawEllipse(const QRectF&) override {}
        void drawPoints(const QPointF*, int) override {}
        void drawTextItem(const QPointF&, const QTextItem& item) override { m_device->texts << item.text(); }
        Type type() const override { return User; }

    private:
        TextRecorder* m_device;
    };
    mutable Engine m_engine;
};

QImage render(RingView& view, QSize size = kFrame) {
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::black);
    QPainter painter(&image);
    view.paintTo(painter, image.rect());
    return image;
}

QStringList recordTexts(RingView& view) {
    TextRecorder recorder;
    QPainter painter(&recorder);
    view.paintTo(painter, QRect(QPoint(0, 0), kFrame));
    painter.end();
    return recorder.texts;
}

std::vector<geometry::NodeMarker> markersFor(const ClusterSnapshot& s, QSize size = kFrame) {
    return geometry::nodeMarkers(geometry::ringLayout(QRectF(QPointF(0, 0), size)), s);
}

QColor pixel(const QImage& image, QPointF p) {
    return image.pixelColor(p.toPoint());
}

// Pixels of `color` (within a tolerance) in the whole image.
int countColor(const QImage& image, QColor color, int tolerance = 6) {
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        const auto* row = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            if (colorDistance(QColor::fromRgb(row[x]), color) <= tolerance) ++count;
        }
    }
    return count;
}

std::shared_ptr<ClusterSnapshot> cluster(int servers = 5, int clients = 0) {
    fixtures::ClusterSpec spec;
    spec.servers = servers;
    spec.clients = clients;
    return std::make_shared<ClusterSnapshot>(fixtures::makeCluster(spec));
}

}  // namespace

class TestRingView : public QObject {
    Q_OBJECT

private slots:
    void fiveNodesShowTheirColoursAndLabels();
    void keysAreDrawnInTheirOwnersColour();
    void crashedNodeIsGreyWithACross();
    void pausedAndNonMemberNodesSayWhy();
    void clientsSitOnTheInnerCircle();
    void messageAtHalfFlightIsDrawnAtTheMiddle_data();
    void messageAtHalfFlightIsDrawnAtTheMiddle();
    void messageLabelsOnlyWhenFew();
    void partitionDrawsRedCuts();
    void oneWayCutDrawsARedBar();
    void headerShowsTimeSeedAndHash();
    void clickSelectsAndEmptyClickClears();
    void selectedNodeIsRinged();
    void labelsFollowTheLevelOfDetail_data();
    void labelsFollowTheLevelOfDetail();
    void denseRingStaysReadable();
    void classroomScene();
    void sameRingUnderANewSnapshotLooksTheSame();
    void emptyViewShowsAHint();
};

void TestRingView::fiveNodesShowTheirColoursAndLabels() {
    RingView view;
    auto s = cluster(5);
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_five_nodes"));
    const auto markers = markersFor(*s);
    for (std::size_t i = 0; i < 5; ++i) {
        const QColor expected = nodeColor(s->nodes[i].colorIndex);
        QVERIFY2(
            colorDistance(pixel(image, markers[i].centre), expected) <= 6,
            qPrintable(
                QStringLiteral("marker of %1 is %2").arg(i).arg(pixel(image, markers[i].centre).name())));
        QVERIFY(countColor(image, expected) > 200);
    }
    const QStringList texts = recordTexts(view);
    for (const auto& node : s->nodes) {
        QCOMPARE(texts.count(QString::fromStdString(node.id)), 1);
        QVERIFY(texts.contains(QStringLiteral("%1 keys").arg(node.keysOwned)));
    }
}

void TestRingView::keysAreDrawnInTheirOwnersColour() {
    RingView view;
    auto s = cluster(5);
    view.setSnapshot(s);
    const QImage image = render(view);
    const auto layout = geometry::ringLayout(QRectF(QPointF(0, 0), kFrame));
    // Every key dot's centre carries its owner's colour.
    int matching = 0;
    for (const KeyView& key : s->keys) {
        const QPointF p =
            geometry::pointForHash(layout.centre, geometry::keyRadius(layout, key.hash), key.hash);
        const QColor owner = nodeColor(s->nodes[static_cast<std::size_t>(key.owner)].colorIndex);
        matching += colorDistance(pixel(image, p), owner) <= 60 ? 1 : 0;
    }
    // Dots overlap a little; nearly all must show the owner.
    QVERIFY2(matching >= static_cast<int>(s->keys.size() * 9 / 10), qPrintable(QString::number(matching)));
}

void TestRingView::crashedNodeIsGreyWithACross() {
    RingView view;
    auto s = cluster(5);
    s->nodes[2].status = NodeStatus::Crashed;
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_crashed"));
    const auto markers = markersFor(*s);
    const auto& m = markers[2];
    // The centre carries the cross (dark grey); straight below it, off the diagonals, the disc is grey.
    QVERIFY(fixtures::isGrey(pixel(image, m.centre)));
    QVERIFY(pixel(image, m.centre).lightness() < crashedColor().lightness());
    QVERIFY(colorDistance(pixel(image, m.centre + QPointF(0, m.size * 0.6)), crashedColor()) <= 6);
    // Its ticks turned grey too: none of its colour is left.
    QVERIFY(countColor(image, nodeColor(2)) == 0);
    QVERIFY(recordTexts(view).contains(QStringLiteral("crashed")));
}

void TestRingView::pausedAndNonMemberNodesSayWhy() {
    RingView view;
    auto s = cluster(5);
    s->nodes[1].status = NodeStatus::Paused;
    s->nodes[1].pausedUntil = s->now + millis(25);
    s->nodes[3].onRing = false;
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_paused"));
    const QStringList texts = recordTexts(view);
    QVERIFY2(texts.contains(QStringLiteral("paused, 25.0 ms left")),
             qPrintable(texts.join(QLatin1Char('|'))));
    QVERIFY(texts.contains(QStringLiteral("not on the ring")));
    const auto markers = markersFor(*s);
    // Pause symbol: white bars just left and right of the centre, node colour in between.
    const auto& m = markers[1];
    QCOMPARE(pixel(image, m.centre + QPointF(-m.size * 0.2, 0)), QColor(Qt::white));
    QVERIFY(colorDistance(pixel(image, m.centre + QPointF(0, -m.size * 0.75)), nodeColor(1)) <= 6);
    // A node that left the ring is faded: lighter than its colour.
    QVERIFY(pixel(image, markers[3].centre).lightness() > nodeColor(3).lightness() + 40);
}

void TestRingView::clientsSitOnTheInnerCircle() {
    RingView view;
    auto s = cluster(4, 2);
    view.setSnapshot(s);
    const QImage image = render(view);
    const auto markers = markersFor(*s);
    const auto layout = geometry::ringLayout(QRectF(QPointF(0, 0), kFrame));
    for (std::size_t i = 4; i < 6; ++i) {
        QVERIFY(std::abs(QLineF(layout.centre, markers[i].centre).length() - layout.innerRadius) < 1e-6);
        QVERIFY(colorDistance(pixel(image, markers[i].centre), nodeColor(s->nodes[i].colorIndex)) <= 6);
    }
    const QStringList texts = recordTexts(view);
    QVERIFY(texts.contains(QStringLiteral("c1")) && texts.contains(QStringLiteral("c2")));
}

void TestRingView::messageAtHalfFlightIsDrawnAtTheMiddle_data() {
    QTest::addColumn<int>("src");
    QTest::addColumn<int>("dest");
    QTest::addColumn<QString>("type");
    QTest::newRow("n1 -> n3 put") << 0 << 2 << QStringLiteral("put");
    QTest::newRow("n4 -> n2 replicate") << 3 << 1 << QStringLiteral("replicate");
    QTest::newRow("n3 -> c1 ack") << 2 << 5 << QStringLiteral("ack");
}

void TestRingView::messageAtHalfFlightIsDrawnAtTheMiddle() {
    QFETCH(int, src);
    QFETCH(int, dest);
    QFETCH(QString, type);
    RingView view;
    auto s = cluster(5, 1);
    MessageView message;
    message.src = src;
    message.dest = dest;
    message.type = type.toStdString();
    message.sentAt = s->now - millis(4);
    message.deliverAt = s->now + millis(4);
    s->inFlight.push_back(message);
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_message_%1").arg(type));
    const auto markers = markersFor(*s);
    const auto path = geometry::messagePath(markers[static_cast<std::size_t>(src)].centre,
                                            markers[static_cast<std::size_t>(dest)].centre);
    const QColor color = messageTypeColor(message.type);
    QVERIFY2(colorDistance(pixel(image, geometry::pointOnPath(path, 0.5)), color) <= 6,
             qPrintable(pixel(image, geometry::pointOnPath(path, 0.5)).name()));
    // Not yet near the receiver, and gone from the sender's side of the path.
    QVERIFY(colorDistance(pixel(image, geometry::pointOnPath(path, 0.85)), color) > 30);
    QVERIFY(colorDistance(pixel(image, geometry::pointOnPath(path, 0.2)), color) > 30);

    // Three quarters of the way later on, the dot has moved on.
    auto later = std::make_shared<ClusterSnapshot>(*s);
    later->now = s->now + millis(2);
    view.setSnapshot(later);
    const QImage next = render(view);
    QVERIFY(colorDistance(pixel(next, geometry::pointOnPath(path, 0.75)), color) <= 6);
}

void TestRingView::messageLabelsOnlyWhenFew() {
    RingView view;
    auto s = cluster(5);
    for (int i = 0; i < 3; ++i) {
        MessageView m;
        m.src = i;
        m.dest = i + 1;
        m.type = "pull";
        m.sentAt = s->now - millis(1);
        m.deliverAt = s->now + millis(3);
        s->inFlight.push_back(m);
    }
    view.setSnapshot(s);
    QCOMPARE(recordTexts(view).count(QStringLiteral("pull")), 3 + 1);  // three dots and the legend
    auto busy = std::make_shared<ClusterSnapshot>(*s);
    busy->inFlight.resize(60, s->inFlight.front());
    view.setSnapshot(busy);
    const QStringList texts = recordTexts(view);
    QCOMPARE(texts.count(QStringLiteral("pull")), 1);  // only the legend, which counts them
    QVERIFY(texts.contains(QStringLiteral("60")));
}

void TestRingView::partitionDrawsRedCuts() {
    RingView view;
    auto s = cluster(6, 1);
    view.setSnapshot(s);
    const QImage whole = render(view);
    QCOMPARE(countColor(whole, faultColor(), 40), 0);

    auto split = std::make_shared<ClusterSnapshot>(*s);
    split->partitions.groups = {{0, 1, 2}, {3, 4, 5, 6}};
    view.setSnapshot(split);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_partition"));
    const auto markers = markersFor(*split);
    const auto layout = geometry::ringLayout(QRectF(QPointF(0, 0), kFrame));
    const auto partition = geometry::partitionLayout(markers, split->partitions);
    QCOMPARE(partition.cutAngles.size(), std::size_t(2));
    for (const double angle : partition.cutAngles) {
        // Dashes leave gaps: sample along the cut and expect red on a good share of it.
        int red = 0;
        const int samples = 100;
        for (int k = 0; k < samples; ++k) {
            const double r = layout.markerRadius * (0.05 + 0.9 * k / samples);
            red +=
                fixtures::isFaultRed(pixel(image, geometry::pointAtAngle(layout.centre, r, angle))) ? 1 : 0;
        }
        QVERIFY2(red >= samples * 4 / 10, qPrintable(QStringLiteral("%1 red samples").arg(red)));
    }
    QCOMPARE(recordTexts(view).count(QStringLiteral("partition")), 2);
    // The groups' sides are tinted differently.
    // Sample half way between the inner circle and the keys, where nothing else is drawn.
    const double tintRadius = (layout.innerRadius + layout.keyInner) / 2 + 8;
    const QPointF sideA = geometry::pointAtAngle(
        layout.centre, tintRadius, (partition.sectors[0].startAngle + partition.sectors[0].endAngle) / 2);
    const QPointF sideB = geometry::pointAtAngle(
        layout.centre, tintRadius, (partition.sectors[1].startAngle + partition.sectors[1].endAngle) / 2);
    QCOMPARE(pixel(image, sideA), partitionTint(partition.sectors[0].group));
    QCOMPARE(pixel(image, sideB), partitionTint(partition.sectors[1].group));
}

void TestRingView::oneWayCutDrawsARedBar() {
    RingView view;
    auto s = cluster(5);
    s->partitions.oneWayCuts = {{0, 2}};
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_one_way"));
    const auto markers = markersFor(*s);
    const QPointF bar = markers[0].centre + (markers[2].centre - markers[0].centre) * 0.6;
    QVERIFY(fixtures::isFaultRed(pixel(image, bar)));
    QVERIFY(fixtures::isFaultRed(
        pixel(image, markers[0].centre + (markers[2].centre - markers[0].centre) * 0.3)));
}

void TestRingView::headerShowsTimeSeedAndHash() {
    RingView view;
    auto s = cluster(5);
    s->now = 12345;
    s->seed = 987;
    view.setSnapshot(s);
    const QStringList texts = recordTexts(view);
    QVERIFY(texts.contains(QStringLiteral("t = 12.3 ms")));
    QVERIFY(texts.contains(QStringLiteral("4321 events · seed 987")));
    QVERIFY(texts.contains(QStringLiteral("5 servers · 400 keys")));
    QVERIFY(texts.contains(QStringLiteral("hash xxh3 · 16 vnodes per node")));
}

void TestRingView::clickSelectsAndEmptyClickClears() {
    RingView view;
    view.resize(kFrame);
    auto s = cluster(5);
    view.setSnapshot(s);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &RingView::nodeSelected);
    const auto markers = markersFor(*s, view.size());
    QTest::mouseClick(&view, Qt::LeftButton, {}, markers[3].centre.toPoint());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toString(), QStringLiteral("n4"));
    QCOMPARE(view.selectedNode(), QStringLiteral("n4"));
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(view.width() - 5, view.height() - 5));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toString(), QString());
    QVERIFY(view.selectedNode().isEmpty());
}

void TestRingView::selectedNodeIsRinged() {
    RingView view;
    auto s = cluster(5);
    view.setSnapshot(s);
    QSignalSpy spy(&view, &RingView::nodeSelected);
    view.setSelectedNode(QStringLiteral("n2"));
    QCOMPARE(spy.count(), 0);  // setting the selection is not a click
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_selected"));
    const auto markers = markersFor(*s);
    const auto& m = markers[1];
    const double ring = std::max(m.size + std::max(3.0, m.size * 0.4), 7.0);
    // Look for the dark ring on the inner side of the marker (towards the centre, away from labels).
    const auto layout = geometry::ringLayout(QRectF(QPointF(0, 0), kFrame));
    const QPointF inward = geometry::pointAtAngle(m.centre, -ring, m.angle);
    QVERIFY2(pixel(image, inward).lightness() < 90, qPrintable(pixel(image, inward).name()));
    const QPointF other = geometry::pointAtAngle(markers[3].centre, -ring, markers[3].angle);
    QVERIFY(pixel(image, other).lightness() > 150);
    Q_UNUSED(layout);
}

void TestRingView::labelsFollowTheLevelOfDetail_data() {
    QTest::addColumn<int>("servers");
    QTest::addColumn<int>("vnodes");
    QTest::addColumn<int>("keys");
    QTest::addColumn<bool>("ids");
    QTest::addColumn<bool>("keyCounts");
    QTest::newRow("10 servers: ids and key counts") << 10 << 160 << 10000 << true << true;
    QTest::newRow("60 servers: ids only") << 60 << 64 << 20000 << true << false;
    QTest::newRow("300 servers: no labels") << 300 << 32 << 50000 << false << false;
}

void TestRingView::labelsFollowTheLevelOfDetail() {
    QFETCH(int, servers);
    QFETCH(int, vnodes);
    QFETCH(int, keys);
    QFETCH(bool, ids);
    QFETCH(bool, keyCounts);
    fixtures::ClusterSpec spec;
    spec.servers = servers;
    spec.vnodes = vnodes;
    spec.keys = keys;
    auto s = std::make_shared<ClusterSnapshot>(fixtures::makeCluster(spec));
    RingView view;
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_lod_%1").arg(servers));
    const QStringList texts = recordTexts(view);
    int idCount = 0;
    int keyCountLines = 0;
    for (const auto& node : s->nodes) {
        idCount += texts.contains(QString::fromStdString(node.id)) ? 1 : 0;
        keyCountLines += texts.contains(QStringLiteral("%1 keys").arg(node.keysOwned)) ? 1 : 0;
    }
    QCOMPARE(idCount, ids ? servers : 0);
    QCOMPARE(keyCountLines > 0, keyCounts);
    // Every server still shows its colour somewhere (ticks, keys, marker), up to the base palette.
    for (int i = 0; i < std::min(servers, 12); ++i) QVERIFY(countColor(image, nodeColor(i)) > 20);
}

void TestRingView::denseRingStaysReadable() {
    fixtures::ClusterSpec spec;
    spec.servers = 1000;
    spec.vnodes = 160;
    spec.keys = 100000;
    auto s = std::make_shared<ClusterSnapshot>(fixtures::makeCluster(spec));
    s->nodes[10].status = NodeStatus::Crashed;
    RingView view;
    view.setSnapshot(s);
    const QImage image = render(view, QSize(1920, 1080));
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_dense"));
    // Labels only where they fit: the crashed node's, not a thousand overlapping ones.
    const QStringList texts = recordTexts(view);
    QVERIFY(texts.contains(QStringLiteral("n11")));
    QVERIFY(!texts.contains(QStringLiteral("n500")));
    QVERIFY(texts.size() < 60);
    // The tick band is solid colour: one tick per pixel bin, all the way round.
    const auto layout = geometry::ringLayout(QRectF(0, 0, 1920, 1080));
    int white = 0;
    for (int k = 0; k < 720; ++k) {
        const QPointF p = geometry::pointAtAngle(layout.centre, (layout.tickInner + layout.tickOuter) / 2,
                                                 geometry::kTwoPi * k / 720);
        white += pixel(image, p) == QColor(Qt::white) ? 1 : 0;
    }
    QVERIFY2(white < 20, qPrintable(QString::number(white)));
}

void TestRingView::classroomScene() {
    // What a lesson looks like mid-way: six servers, two clients, requests in flight, one server
    // crashed, one paused, one selected, and the cluster split in two.
    fixtures::ClusterSpec spec;
    spec.servers = 6;
    spec.clients = 2;
    spec.vnodes = 32;
    spec.keys = 1500;
    spec.seed = 11;
    auto s = std::make_shared<ClusterSnapshot>(fixtures::makeCluster(spec));
    s->scenarioName = "Consistent hashing: add and kill";
    s->nodes[3].status = NodeStatus::Crashed;
    s->nodes[4].status = NodeStatus::Paused;
    s->nodes[4].pausedUntil = s->now + millis(40);
    s->partitions.groups = {{0, 1, 2, 6}, {3, 4, 5, 7}};
    const char* types[] = {"put", "replicate", "ack", "pull", "get"};
    const int routes[][2] = {{6, 0}, {0, 1}, {0, 2}, {1, 0}, {2, 6}, {7, 5}, {5, 4}, {6, 1}, {1, 2}};
    int k = 0;
    for (const auto& route : routes) {
        MessageView m;
        m.id = static_cast<std::uint64_t>(k);
        m.src = route[0];
        m.dest = route[1];
        m.type = types[k % 5];
        m.sentAt = s->now - millis(1 + k % 4);
        m.deliverAt = m.sentAt + millis(5);
        s->inFlight.push_back(m);
        ++k;
    }
    RingView view;
    view.setSnapshot(s);
    view.setSelectedNode(QStringLiteral("n2"));
    const QSize size(1600, 900);
    const QImage image = render(view, size);
    fixtures::saveArtifact(image, QStringLiteral("tst_ring_view_classroom"));
    const QStringList texts = recordTexts(view);
    for (const auto& node : s->nodes) QVERIFY(texts.contains(QString::fromStdString(node.id)));
    QVERIFY(texts.contains(QStringLiteral("paused, 40.0 ms left")));
    QVERIFY(texts.contains(QStringLiteral("crashed")));
}

void TestRingView::sameRingUnderANewSnapshotLooksTheSame() {
    RingView view;
    auto s = cluster(5);
    view.setSnapshot(s);
    const QImage first = render(view);
    view.setSnapshot(std::make_shared<ClusterSnapshot>(*s));
    QCOMPARE(render(view), first);
    // A changed ring is redrawn, not served from the cached back layer.
    auto moved = std::make_shared<ClusterSnapshot>(*s);
    for (auto& key : moved->keys) key.owner = 0;
    view.setSnapshot(moved);
    QVERIFY(render(view) != first);
}

void TestRingView::emptyViewShowsAHint() {
    RingView view;
    const QStringList texts = recordTexts(view);
    QCOMPARE(texts.size(), 1);
    QVERIFY(texts.first().contains(QStringLiteral("No cluster yet")));
}

QTEST_MAIN(TestRingView)
#include "tst_ring_view.moc"
