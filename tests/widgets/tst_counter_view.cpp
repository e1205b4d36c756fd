// The Counter tab over real runs: a healthy run shows every key's committed value equal to what its
// acknowledged increments require, "exact" on each card, a green badge, and the chart ending at the same
// figures; a run with deduplication broken shows the red badge with the failing check, and clicking it
// asks for that check's evidence at the moment it was proven. Cards and replica boxes stay inside the view
// without overlapping at classroom sizes. The "Break it" toggles give console commands and follow the run.
#include <QImage>
#include <QLineSeries>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <memory>

#include "core/labs/counter/counter_fuzz.h"
#include "core/protocols/counter/counter_switches.h"
#include "core/session/session.h"
#include "tests/support/builtin_scenario.h"
#include "widgets/counter_view.h"

using namespace distlab;

namespace {

std::shared_ptr<ClusterSnapshot> snapshotOf(Session& session) {
    session.runUntil(session.scenario().runFor, ~std::uint64_t(0));
    auto snap = std::make_shared<ClusterSnapshot>(session.snapshot());
    snap->checks = session.checks();
    snap->checksEvaluated = true;
    return snap;
}

// Pixels of `image` inside `rect` whose colour is within 40 of `color` per channel.
int countColor(const QImage& image, const QRect& rect, QColor color) {
    int n = 0;
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            n += std::abs(c.red() - color.red()) < 40 && std::abs(c.green() - color.green()) < 40 &&
                 std::abs(c.blue() - color.blue()) < 40;
        }
    return n;
}

QImage paint(CounterBoard& board, QSize size) {
    board.resize(size);
    QImage image(size, QImage::Format_ARGB32);
    QPainter painter(&image);
    board.paintTo(painter, QRect(QPoint(), size));
    painter.end();
    return image;
}

}  // namespace

class TestCounterView : public QObject {
    Q_OBJECT

private slots:
    void healthyRunIsExact() {
        Session session(support::builtin("counter", 1));
        const auto snap = snapshotOf(session);
        QVERIFY(snap->counter.active);
        CounterPanel panel;
        panel.resize(1000, 700);
        panel.setSnapshot(snap);
        QImage image = paint(*panel.board(), QSize(1000, 400));
        image.save(QStringLiteral(DISTLAB_ARTIFACTS_DIR "/counter_view_healthy.png"));
        const QStringList texts = panel.board()->drawnTexts();
        QVERIFY2(texts.filter(QStringLiteral("Linearizable so far")).size() == 1, qPrintable(texts.join(" | ")));
        const CounterBoardLayout layout = CounterBoard::layoutFor(*snap, QRect(0, 0, 1000, 400));
        QVERIFY(countColor(image, layout.badge, QColor(0x0B, 0x7A, 0x3B)) > layout.badge.width() * layout.badge.height() / 2);
        for (const CounterKeyView& key : snap->counter.keys) {
            QVERIFY(key.exact());
            QVERIFY(key.acked > 0);
            QVERIFY2(texts.contains(QString::number(key.committed)), qPrintable(texts.join(" | ")));
            QVERIFY(texts.filter(QStringLiteral("required: %1").arg(key.acked)).size() >= 1);
        }
        QCOMPARE(texts.count(QStringLiteral("exact")), int(snap->counter.keys.size()));
        // The chart charts the first key and ends at its figures.
        const CounterKeyView& first = snap->counter.keys.front();
        QVERIFY(panel.committedSeries()->count() > 10);
        QCOMPARE(panel.committedSeries()->points().back().y(), double(first.committed));
        QCOMPARE(panel.ackedSeries()->points().back().y(), double(first.acked));
        QCOMPARE(panel.possibleSeries()->points().back().y(), double(first.acked + first.unknown));
        // Clicking the second card charts the second key.
        const QPoint second = layout.cards.at(1).title.center();
        QTest::mouseClick(panel.board(), Qt::LeftButton, {}, second);
        QCOMPARE(panel.board()->selectedKey(), 1);
        QCOMPARE(panel.committedSeries()->points().back().y(), double(snap->counter.keys[1].committed));
    }

    // Snapshots arrive up to 60 times a second: the chart is redrawn when its key's samples change or time
    // has moved on by more than a pixel's worth, not for every snapshot.
    void chartRedrawsOnlyWhenItsPictureChanges() {
        Session session(support::builtin("counter", 1));
        session.runUntil(millis(10000), ~std::uint64_t(0));
        auto first = std::make_shared<ClusterSnapshot>(session.snapshot());
        CounterPanel panel;
        panel.resize(1000, 700);
        panel.setSnapshot(first);
        QSignalSpy redrawn(panel.committedSeries(), &QXYSeries::pointsReplaced);
        auto same = std::make_shared<ClusterSnapshot>(*first);
        same->now += millis(10);  // 0.1% of the axis: under a pixel
        panel.setSnapshot(same);
        QCOMPARE(redrawn.count(), 0);
        auto later = std::make_shared<ClusterSnapshot>(*first);
        later->now += millis(200);  // 2%: the lines reach further right
        panel.setSnapshot(later);
        QCOMPARE(redrawn.count(), 1);
        QCOMPARE(panel.committedSeries()->points().back().x(), double(later->now) / kMicrosPerSecond);
        session.runUntil(millis(20000), ~std::uint64_t(0));  // new samples
        panel.setSnapshot(std::make_shared<ClusterSnapshot>(session.snapshot()));
        QCOMPARE(redrawn.count(), 2);
        QCOMPARE(panel.committedSeries()->points().back().y(), double(session.snapshot().counter.keys.front().committed));
    }

    void brokenRunIsRed() {
        FuzzOptions broken;
        broken.breaks = {"dedup"};
        Session session(fuzzScenario(support::builtin("counter"), 1, broken).value());
        const auto snap = snapshotOf(session);
        CounterBoard board;
        board.setSnapshot(snap);
        const QImage image = paint(board, QSize(1000, 400));
        image.save(QStringLiteral(DISTLAB_ARTIFACTS_DIR "/counter_view_broken.png"));
        const CounterBoardLayout layout = CounterBoard::layoutFor(*snap, QRect(0, 0, 1000, 400));
        QVERIFY(countColor(image, layout.badge, QColor(0xC5, 0x22, 0x1F)) > layout.badge.width() * layout.badge.height() / 2);
        const QStringList texts = board.drawnTexts();
        QVERIFY2(texts.filter(QStringLiteral("✗")).size() == 1, qPrintable(texts.join(" | ")));
        QVERIFY(texts.filter(QStringLiteral("Broken on purpose: dedup")).size() == 1);
        QVERIFY(texts.contains(QStringLiteral("counted twice")));
        const CounterVerdict verdict = counterVerdict(*snap);
        QCOMPARE(int(verdict.state), int(CounterVerdict::State::Violated));
        QSignalSpy spy(&board, &CounterBoard::verdictActivated);
        QTest::mouseClick(&board, Qt::LeftButton, {}, layout.badge.center());
        QCOMPARE(spy.count(), 1);
        const CheckResult check = spy.at(0).at(0).value<CheckResult>();
        QVERIFY(!check.ok);
        QCOMPARE(check.name, verdict.failing->name);
        QVERIFY(check.at > 0 && check.at <= snap->now);
    }

    // One toggle per switch; a click gives `break NAME on|off`, and a snapshot sets the toggles from the run
    // without giving a command of its own.
    void breakItTogglesGiveCommandsAndFollowTheRun() {
        CounterPanel panel;
        panel.resize(1000, 700);
        panel.show();
        Session healthySession(support::builtin("counter", 1));
        panel.setSnapshot(snapshotOf(healthySession));
        QVERIFY(panel.switchBar()->isVisible());
        QSignalSpy commands(&panel, &CounterPanel::commandRequested);
        // Exactly the counter's switches, in their order.
        QCOMPARE(panel.switchNames(), std::vector<std::string>(counter::kSwitchNames.begin(), counter::kSwitchNames.end()));
        for (std::string_view name : counter::kSwitchNames) {
            QToolButton* button = panel.switchButton(name);
            QVERIFY2(button, name.data());
            QVERIFY(!button->isChecked());
            QVERIFY(!button->text().isEmpty());
            QVERIFY(button->toolTip().contains(QStringLiteral("break %1 on|off").arg(name.data())));
        }
        QVERIFY(!panel.switchButton("nonsense"));
        QTest::mouseClick(panel.switchButton("3pc"), Qt::LeftButton);
        QCOMPARE(commands.count(), 1);
        QCOMPARE(commands.at(0).at(0).toString(), QStringLiteral("break 3pc on"));
        QTest::mouseClick(panel.switchButton("3pc"), Qt::LeftButton);
        QCOMPARE(commands.at(1).at(0).toString(), QStringLiteral("break 3pc off"));

        FuzzOptions broken;
        broken.breaks = {"dedup"};
        Session brokenSession(fuzzScenario(support::builtin("counter"), 1, broken).value());
        panel.setSnapshot(snapshotOf(brokenSession));
        QVERIFY(panel.switchButton("dedup")->isChecked());
        QVERIFY(!panel.switchButton("fencing")->isChecked());
        QCOMPARE(commands.count(), 2);  // following the run is not a command
        panel.setSnapshot(std::make_shared<ClusterSnapshot>());
        QVERIFY(!panel.switchBar()->isVisible());  // no counter: no switches
    }

    void layoutFitsWithoutOverlap_data() {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1024x700 tab") << QSize(660, 330);
        QTest::newRow("1440x900 tab") << QSize(1000, 420);
        QTest::newRow("small") << QSize(420, 240);
    }
    void layoutFitsWithoutOverlap() {
        QFETCH(QSize, size);
        Session session(support::builtin("counter", 1));
        const auto snap = snapshotOf(session);
        const QRect rect(QPoint(), size);
        const CounterBoardLayout layout = CounterBoard::layoutFor(*snap, rect);
        QCOMPARE(layout.cards.size(), snap->counter.keys.size());
        QVERIFY(rect.contains(layout.badge));
        for (std::size_t i = 0; i < layout.cards.size(); ++i) {
            const CounterCardLayout& card = layout.cards[i];
            QVERIFY(!card.card.intersects(layout.badge));
            for (std::size_t j = i + 1; j < layout.cards.size(); ++j) QVERIFY(!card.card.intersects(layout.cards[j].card));
            QVERIFY(!card.value.intersects(card.required));
            for (std::size_t r = 0; r < card.replicas.size(); ++r) {
                QVERIFY(card.card.contains(card.replicas[r]));
                QVERIFY(!card.replicas[r].intersects(card.required));
                for (std::size_t s = r + 1; s < card.replicas.size(); ++s) QVERIFY(!card.replicas[r].intersects(card.replicas[s]));
            }
        }
    }
};

QTEST_MAIN(TestCounterView)
#include "tst_counter_view.moc"
