// The shared colours: distinct for neighbouring nodes, never grey or fault-red for a live node, and
// stable message-type colours.
#include <QtTest>

#include "fixtures.h"
#include "widgets/palette.h"

using namespace distlab;

class TestPalette : public QObject {
    Q_OBJECT

private slots:
    void firstTwelveNodeColoursAreDistinct();
    void cycledColoursDifferFromTheBase();
    void liveColoursAreNeverGreyOrFaultRed();
    void messageColoursAreStableAndDistinctForCommonTypes();
};

void TestPalette::firstTwelveNodeColoursAreDistinct() {
    QVERIFY(kNodeColorCount >= 12);
    for (int a = 0; a < kNodeColorCount; ++a) {
        for (int b = a + 1; b < kNodeColorCount; ++b) {
            QVERIFY2(fixtures::perceptualDistance(nodeColor(a), nodeColor(b)) > 100,
                     qPrintable(QStringLiteral("%1 vs %2").arg(nodeColor(a).name(), nodeColor(b).name())));
        }
    }
}

void TestPalette::cycledColoursDifferFromTheBase() {
    for (int i = 0; i < kNodeColorCount; ++i) {
        QVERIFY(nodeColor(i + kNodeColorCount) != nodeColor(i));
        QVERIFY(nodeColor(i + 2 * kNodeColorCount) != nodeColor(i));
        QVERIFY(nodeColor(i + 2 * kNodeColorCount) != nodeColor(i + kNodeColorCount));
        // Same hue family: a cycled colour is a shade of its base.
        QVERIFY(std::abs(nodeColor(i + kNodeColorCount).hslHue() - nodeColor(i).hslHue()) <= 2);
    }
}

void TestPalette::liveColoursAreNeverGreyOrFaultRed() {
    QVERIFY(fixtures::isGrey(crashedColor()));
    QVERIFY(fixtures::isFaultRed(faultColor()));
    for (int i = 0; i < 1000; ++i) {
        const QColor c = nodeColor(i);
        QVERIFY2(!fixtures::isGrey(c, 25), qPrintable(QString::number(i)));
        QVERIFY2(!fixtures::isFaultRed(c), qPrintable(QString::number(i)));
        QVERIFY2(c.lightness() < 235, qPrintable(QString::number(i)));  // still visible on white
    }
}

void TestPalette::messageColoursAreStableAndDistinctForCommonTypes() {
    QCOMPARE(messageTypeColor("put"), messageTypeColor(std::string("put")));
    const char* common[] = {"put", "get", "ack", "replicate", "pull"};
    for (const char* a : common) {
        QVERIFY(!fixtures::isGrey(messageTypeColor(a)) && !fixtures::isFaultRed(messageTypeColor(a)));
        for (const char* b : common) {
            if (a != b)
                QVERIFY2(messageTypeColor(a) != messageTypeColor(b),
                         qPrintable(QStringLiteral("%1 %2").arg(a, b)));
        }
    }
}

QTEST_APPLESS_MAIN(TestPalette)
#include "tst_palette.moc"
