// The lock view draws what the lock lab's snapshot says: the holder and its token, the lease countdown,
// each client's "believes it holds" and "really holds" bars where their times put them, a red band over
// a conflict (and none without one), the ZooKeeper queue's watch arrows, each lock server's holder and
// clock, the storage's recent accesses with the refused ones in red, a hint outside the lock lab, and
// selection by click. Texts never overlap, at classroom sizes and in Chinese.
#include <QPainter>
#include <QSignalSpy>
#include <QTranslator>
#include <QtTest>

#include <map>
#include <string>

#include "fixtures.h"
#include "widgets/lock_view.h"
#include "widgets/palette.h"

using namespace distlab;
using fixtures::colorDistance;
using fixtures::countRed;
using fixtures::textsIn;

namespace {

const QSize kFrame(800, 500);
const QSize kLargeFrame(1600, 1000);

QImage render(LockView& view, QSize size = kFrame) {
    return fixtures::renderView(view, size);
}

QColor pixel(const QImage& image, QPointF p) {
    return image.pixelColor(p.toPoint());
}

const LockLaneLayout* laneOf(const LockCardLayout& card, const QString& client) {
    for (const LockLaneLayout& lane : card.lanes) {
        if (lane.client == client) return &lane;
    }
    return nullptr;
}

ClusterSnapshot lockCluster() {
    ClusterSnapshot s;
    s.scenarioName = "Locks: a paused client";
    s.seed = 7;
    const char* ids[] = {"lock1", "c1", "c2", "c3"};
    const NodeRole roles[] = {NodeRole::Server, NodeRole::Client, NodeRole::Client, NodeRole::Client};
    const int colors[] = {4, 0, 2, 3};
    for (int i = 0; i < 4; ++i) {
        NodeView node;
        node.id = ids[i];
        node.role = roles[i];
        node.colorIndex = colors[i];
        s.nodes.push_back(node);
    }
    s.locks.active = true;
    return s;
}

LockLane lane(const std::string& client, int node, std::vector<LockInterval> believes,
              std::vector<LockInterval> really) {
    LockLane l;
    l.client = client;
    l.node = node;
    l.believes = std::move(believes);
    l.really = std::move(really);
    return l;
}

// c1 is granted token 1 at 100 ms and paused; the server lets its lease expire at 1100 ms and grants
// token 2 to c2 at 1150 ms, which writes at 1500 ms. c1 resumes, still believing it holds the lock, and
// writes at 2600 ms: without fencing the storage accepts it. Now is 2700 ms; c2's lease runs 0.42 s more.
std::shared_ptr<ClusterSnapshot> pausedClientStory(bool withConflict = true) {
    auto s = std::make_shared<ClusterSnapshot>(lockCluster());
    s->now = millis(2700);
    s->locks.mode = "lease";
    s->locks.fencing = false;
    s->locks.storageHighestToken = 2;
    s->locks.writesAccepted = 2;
    LockResourceView r;
    r.resource = "R";
    r.mode = "lease";
    r.holder = "c2";
    r.fencingToken = 2;
    r.leaseEndsAt = millis(3120);
    r.history = {{"c1", 1, millis(100), millis(2650), LockGrant::Write::Accepted},
                 {"c2", 2, millis(1150), kOpenInterval, LockGrant::Write::Accepted}};
    r.lanes = {lane("c1", 1, {{millis(100), millis(2650), 1}}, {{millis(100), millis(1100), 1}}),
               lane("c2", 2, {{millis(1150), kOpenInterval, 2}}, {{millis(1150), kOpenInterval, 2}})};
    if (withConflict) {
        LockConflict c;
        c.first = "c1";
        c.second = "c2";
        c.firstToken = 1;
        c.secondToken = 2;
        c.from = millis(1150);
        c.to = millis(1500);
        c.explanation =
            makeText(QT_TRANSLATE_NOOP("Core",
                                       "%1 was paused while holding token %2; its lease expired and "
                                       "%3 got token %4. When %1 woke up it still believed it held "
                                       "the lock and wrote, and without fencing the storage accepted "
                                       "both writes."),
                     "c1", 1, "c2", 2);
        r.conflicts.push_back(c);
    }
    s->locks.resources.push_back(r);
    return s;
}

// A ZooKeeper-style lock: c1 holds /locks/R/lock-0000000001, c2 and c3 wait on the next two nodes.
std::shared_ptr<ClusterSnapshot> zkQueue(bool watchParent) {
    auto s = std::make_shared<ClusterSnapshot>(lockCluster());
    s->now = millis(900);
    s->locks.mode = "zk";
    s->locks.fencing = true;
    s->locks.watch = watchParent ? "parent" : "predecessor";
    s->locks.storageHighestToken = 11;
    s->locks.wakeups = watchParent ? 4 : 0;
    LockResourceView r;
    r.resource = "R";
    r.mode = "zk";
    r.holder = "c1";
    r.fencingToken = 11;
    for (int i = 0; i < 3; ++i) {
        LockWaiter w;
        w.client = "c" + std::to_string(i + 1);
        w.lockNode = "/locks/R/lock-000000000" + std::to_string(i + 1);
        w.token = 11 + i;
        w.watches = watchParent || i == 0 ? -1 : i - 1;
        w.watchesParent = watchParent && i > 0;
        r.queue.push_back(w);
    }
    r.history = {{"c1", 11, millis(200), kOpenInterval, LockGrant::Write::Accepted}};
    r.lanes = {lane("c1", 1, {{millis(200), kOpenInterval, 11}}, {{millis(200), kOpenInterval, 11}}),
               lane("c2", 2, {}, {}), lane("c3", 3, {}, {})};
    s->locks.resources.push_back(r);
    return s;
}

LockServerView server(const std::string& id, const std::string& holder, SimTime leaseEndsAt,
                      std::int64_t clockOffsetMs = 0) {
    LockServerView v;
    v.id = id;
    v.holder = holder;
    v.leaseEndsAt = leaseEndsAt;
    v.clockOffsetMs = clockOffsetMs;
    return v;
}

// Redlock's clock jump: c1 won s1..s3 at 231 ms (TTL 2 s), then the clocks of s2 and s3 jumped 5 s
// ahead, so their leases for c1 ran out at once and c2 won s2..s5 at 551 ms. Now is 1200 ms: s1 still
// holds c1's lease, s2..s5 hold c2's, and both clients believe they hold the lock. With `crashed`, s4
// has crashed instead of granting.
std::shared_ptr<ClusterSnapshot> redlockClockJump(bool crashed = false) {
    auto s = std::make_shared<ClusterSnapshot>(lockCluster());
    s->now = millis(1200);
    s->locks.mode = "redlock";
    s->locks.fencing = false;
    LockResourceView r;
    r.resource = "R";
    r.mode = "redlock";
    r.holder = "c2";
    r.leaseEndsAt = millis(2480);
    r.history = {{"c1", 0, millis(231), kOpenInterval, LockGrant::Write::None},
                 {"c2", 0, millis(551), kOpenInterval, LockGrant::Write::None}};
    r.lanes = {lane("c1", 1, {{millis(231), kOpenInterval, 0}}, {{millis(130), millis(450), 0}}),
               lane("c2", 2, {{millis(560), kOpenInterval, 0}}, {{millis(551), kOpenInterval, 0}})};
    r.servers = {server("s1", "c1", millis(2231)), server("s2", "c2", millis(2551), 5000),
                 server("s3", "c2", millis(2551), 5000), server("s4", "c2", millis(2551)),
                 server("s5", "c2", millis(2551))};
    if (crashed) {
        r.servers[3].status = NodeStatus::Crashed;
        r.servers[3].holder.clear();
    }
    s->locks.resources.push_back(r);
    return s;
}

StorageAccess access(SimTime at, const std::string& client, bool write, std::int64_t token, bool accepted,
                     std::int64_t seq) {
    StorageAccess a;
    a.at = at;
    a.client = client;
    a.write = write;
    a.token = token;
    a.accepted = accepted;
    a.seq = seq;
    return a;
}

// The paused client with fencing on, from the storage's side: c1 read with token 1, c2 read and wrote
// with token 2, and c1's late write with token 1 was refused. The lease server has c2 as the holder.
std::shared_ptr<ClusterSnapshot> storageStory() {
    auto s = pausedClientStory(false);
    s->locks.fencing = true;
    s->locks.writesAccepted = 1;
    s->locks.writesRejected = 1;
    s->locks.storageLog = {
        access(millis(300), "c1", false, 1, true, 1), access(millis(1300), "c2", false, 2, true, 2),
        access(millis(1549), "c2", true, 2, true, 3), access(millis(2650), "c1", true, 1, false, 0)};
    LockResourceView& r = s->locks.resources.front();
    r.history.front().write = LockGrant::Write::Rejected;
    r.servers = {server("lock", "c2", millis(3120))};
    return s;
}

// Pixels of `area` within a few steps of `color`.
int countNear(const QImage& image, const QRect& area, QColor color) {
    int near = 0;
    const QRect clipped = area.intersected(image.rect());
    for (int y = clipped.top(); y <= clipped.bottom(); ++y) {
        for (int x = clipped.left(); x <= clipped.right(); ++x)
            near += colorDistance(image.pixelColor(x, y), color) <= 12 ? 1 : 0;
    }
    return near;
}

// Pixels along the segment from a to b (ends excluded) that are dark, as an arrow's shaft is.
int darkAlong(const QImage& image, QPointF a, QPointF b) {
    int dark = 0;
    for (int k = 2; k <= 8; ++k) {
        const QPoint p = (a + (b - a) * (k / 10.0)).toPoint();
        int darkest = 255;  // within a pixel of the path: the shaft is antialiased
        for (int dy = -1; dy <= 1; ++dy) {
            for (int dx = -1; dx <= 1; ++dx)
                darkest = std::min(darkest, image.pixelColor(p + QPoint(dx, dy)).lightness());
        }
        dark += darkest < 120 ? 1 : 0;
    }
    return dark;
}

// Text areas that overlap each other or leave the picture.
QStringList overlaps(const LockView& view, QSize size) {
    QStringList problems;
    const auto& items = view.drawnTextItems();
    const QRectF frame(QPointF(0, 0), QSizeF(size));
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!frame.contains(items[i].second)) problems << QStringLiteral("outside: %1").arg(items[i].first);
        for (std::size_t j = i + 1; j < items.size(); ++j) {
            const QRectF common = items[i].second.intersected(items[j].second);
            if (common.width() > 1 && common.height() > 1) {
                problems << QStringLiteral("'%1' overlaps '%2'").arg(items[i].first, items[j].first);
            }
        }
    }
    return problems;
}

// A zh_CN stand-in for the translation file, for the strings whose length changes the most.
class ChineseTranslator : public QTranslator {
public:
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* source, const char*, int n) const override {
        static const std::map<std::string, QString> table = {
            {"Holder: %1", QStringLiteral("持有者：%1")},
            {"Lock is free", QStringLiteral("锁空闲")},
            {"fencing token %1", QStringLiteral("防护令牌 %1")},
            {"lease ends in %1 s", QStringLiteral("租约 %1 秒后到期")},
            {"lease lock", QStringLiteral("租约锁")},
            {"ZooKeeper-style lock", QStringLiteral("ZooKeeper 式锁")},
            {"fencing off", QStringLiteral("未启用防护令牌")},
            {"fencing on, highest accepted token %1",
             QStringLiteral("已启用防护令牌，存储接受的最大令牌为 %1")},
            {"each waiter watches its predecessor", QStringLiteral("每个等待者只监视它的前一个节点")},
            {"CONFLICT", QStringLiteral("冲突")},
            {"believes it holds", QStringLiteral("自认为持有")},
            {"really holds", QStringLiteral("实际持有")},
            {"Who holds the lock, over time", QStringLiteral("锁的持有者随时间的变化")},
            {"Grants", QStringLiteral("授予记录")},
            {"%1 · writes: %2 accepted, %3 rejected", QStringLiteral("%1 · 写入：接受 %2 次，拒绝 %3 次")},
            {"client", QStringLiteral("客户端")},
            {"token", QStringLiteral("令牌")},
            {"granted", QStringLiteral("授予时间")},
            {"ended", QStringLiteral("结束时间")},
            {"write", QStringLiteral("写入")},
            {"accepted", QStringLiteral("已接受")},
            {"holding", QStringLiteral("持有中")},
            {"token %1", QStringLiteral("令牌 %1")},
            {"Waiting: no one", QStringLiteral("等待队列：空")},
            {"Lock nodes, in order (the first holds the lock)",
             QStringLiteral("锁节点（按顺序，第一个持有锁）")},
            {"%1 · token %2", QStringLiteral("%1 · 令牌 %2")},
            {"%1 s", QStringLiteral("%1 秒")},
            {"%1 s left", QStringLiteral("剩余 %1 秒")},
            {"Redlock servers · majority %1 of %2",
             QStringLiteral("Redlock 服务器 · 多数派：%2 台中的 %1 台")},
            {"Lock server", QStringLiteral("锁服务器")},
            {"free", QStringLiteral("空闲")},
            {"crashed", QStringLiteral("已崩溃")},
            {"clock %1 s", QStringLiteral("时钟 %1 秒")},
            {"clock %1 ms", QStringLiteral("时钟 %1 毫秒")},
            {"drift %1 ppm", QStringLiteral("漂移 %1 ppm")},
            {"Storage (disk)", QStringLiteral("存储（磁盘）")},
            {"all resources", QStringLiteral("所有资源")},
            {"last %n accesses", QStringLiteral("最近 %n 次访问")},
            {"read", QStringLiteral("读取")},
            {"no token", QStringLiteral("无令牌")},
            {"REFUSED", QStringLiteral("已拒绝")},
            {"REFUSED (older than %1)", QStringLiteral("已拒绝（旧于令牌 %1）")},
            {"No lock scenario is loaded. Open one of the lock- scenarios (File > Built-in scenarios) or "
             "type 'lock acquire c9 R' in the console.",
             QStringLiteral(
                 "尚未加载锁场景。请打开一个 lock- 场景（文件 > 内置场景），或在控制台输入 'lock acquire c9 R'。")},
            {"%1 was paused while holding token %2; its lease expired and %3 got token %4. When %1 woke up "
             "it "
             "still believed it held the lock and wrote, and without fencing the storage accepted both "
             "writes.",
             QStringLiteral("%1 持有令牌 %2 时被暂停；它的租约过期后，%3 拿到了令牌 %4。%1 "
                            "醒来后仍以为自己持有锁并写入，"
                            "由于没有防护令牌，存储接受了两次写入。")},
        };
        Q_UNUSED(context);
        Q_UNUSED(n);
        const auto it = table.find(source);
        return it == table.end() ? QString() : it->second;
    }
};

}  // namespace

class TestLockView : public QObject {
    Q_OBJECT

private slots:
    void pausedClientConflictIsDrawn();
    void withoutConflictNothingIsRed();
    void fencingRejectsTheStaleWrite();
    void zkWaitersWatchTheirPredecessor();
    void zkWaitersWatchingTheParentPointAtIt();
    void redlockServersShowTheClockJump();
    void crashedRedlockServerIsGrey();
    void storageListsAccessesNewestLast();
    void inactiveLabShowsAHint();
    void clickOnALaneSelectsTheClient();
    void textsNeverOverlap_data();
    void textsNeverOverlap();
};

void TestLockView::pausedClientConflictIsDrawn() {
    LockView view;
    auto s = pausedClientStory();
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("lock_view_conflict"));
    const LockViewLayout layout = LockView::layoutFor(*s, QRect(QPoint(0, 0), kFrame), view.font());
    QCOMPARE(layout.cards.size(), std::size_t(1));
    const LockCardLayout& card = layout.cards.front();
    QVERIFY(layout.fontPx >= 13.3);  // at least 10 pt: readable from the back of a classroom

    // The holder, its token and the lease countdown, each where the layout put it.
    QVERIFY2(textsIn(view, card.holderText).join(' ').contains(QStringLiteral("c2")),
             qPrintable(textsIn(view, card.holderText).join('|')));
    QVERIFY(textsIn(view, card.tokenText).contains(QStringLiteral("fencing token 2")));
    QVERIFY(textsIn(view, card.leaseText).contains(QStringLiteral("lease ends in 0.42 s")));
    const QStringList texts = view.drawnTexts();
    QVERIFY(texts.contains(QStringLiteral("fencing off")) ||
            texts.join(' ').contains(QStringLiteral("fencing off")));
    QVERIFY(texts.contains(QStringLiteral("CONFLICT")));
    QVERIFY(textsIn(view, card.explanation)
                .join(' ')
                .contains(QStringLiteral("c1 was paused while holding token 1")));
    QVERIFY(texts.contains(QStringLiteral("token 1")));  // on c1's bars
    QVERIFY(texts.contains(QStringLiteral("token 2")));
    // The history: both writes accepted.
    QCOMPARE(card.historyRows.size(), std::size_t(2));
    QCOMPARE(textsIn(view, card.historyRows[1]).count(QStringLiteral("accepted")), 1);

    // The conflict band is red over the overlap, 1150..1500 ms.
    QVERIFY(!card.conflictMarker.isEmpty());
    QVERIFY(std::abs(card.conflictMarker.left() - card.xForTime(millis(1150))) <= 1);
    QVERIFY(std::abs(card.conflictMarker.right() - card.xForTime(millis(1500))) <= 2);
    const int red = countRed(image, card.conflictMarker);
    QVERIFY2(red > card.conflictMarker.height() * 4, qPrintable(QString::number(red)));
    QVERIFY(countRed(image, card.badge) > card.badge.width() * card.badge.height() / 3);

    // Lanes for c1 and c2, with each bar where its times put it.
    const LockLaneLayout* c1 = laneOf(card, QStringLiteral("c1"));
    const LockLaneLayout* c2 = laneOf(card, QStringLiteral("c2"));
    QVERIFY(c1 && c2);
    const QColor blue = nodeColor(0);
    const QColor green = nodeColor(2);
    auto at = [&](const QRect& bar, SimTime t) {
        return pixel(image, QPointF(card.xForTime(t), bar.center().y()));
    };
    // c1 believed it held the lock from 100 ms to 2650 ms ...
    QVERIFY(colorDistance(at(c1->believesBar, millis(2000)), lockBelievesColor(blue)) <= 8);
    QVERIFY(colorDistance(at(c1->believesBar, millis(2640)), lockBelievesColor(blue)) <= 8);
    QVERIFY(colorDistance(at(c1->believesBar, millis(2690)), lockBelievesColor(blue)) > 40);
    // ... but the server had it as the holder only until its lease expired at 1100 ms.
    QVERIFY(colorDistance(at(c1->reallyBar, millis(600)), blue) <= 8);
    QVERIFY(colorDistance(at(c1->reallyBar, millis(1090)), blue) <= 8);
    QVERIFY(colorDistance(at(c1->reallyBar, millis(2000)), blue) > 100);
    // c2 from 1150 ms on, in both.
    QVERIFY(colorDistance(at(c2->reallyBar, millis(2000)), green) <= 8);
    QVERIFY(colorDistance(at(c2->believesBar, millis(2000)), lockBelievesColor(green)) <= 8);
    QVERIFY(colorDistance(at(c2->reallyBar, millis(800)), green) > 100);
    QVERIFY(colorDistance(at(c2->believesBar, millis(800)), lockBelievesColor(green)) > 40);

    // The same story on a projector-sized view.
    const QImage large = render(view, kLargeFrame);
    fixtures::saveArtifact(large, QStringLiteral("lock_view_conflict_large"));
    QVERIFY(LockView::layoutFor(*s, QRect(QPoint(0, 0), kLargeFrame), view.font()).fontPx >
            layout.fontPx * 1.5);
}

void TestLockView::withoutConflictNothingIsRed() {
    LockView view;
    auto withConflict = pausedClientStory(true);
    auto plain = pausedClientStory(false);
    const QRect frame(QPoint(0, 0), kFrame);
    const LockCardLayout conflictCard = LockView::layoutFor(*withConflict, frame, view.font()).cards.front();
    const LockCardLayout plainCard = LockView::layoutFor(*plain, frame, view.font()).cards.front();
    QVERIFY(plainCard.conflictMarker.isEmpty());
    QVERIFY(plainCard.badge.isEmpty());
    view.setSnapshot(plain);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("lock_view_no_conflict"));
    // The overlap's time span on this layout's lanes: no red, and none anywhere else either.
    const QRect area(conflictCard.conflictMarker.left(), plainCard.plot.top(),
                     conflictCard.conflictMarker.width(), plainCard.plot.height());
    QCOMPARE(countRed(image, area), 0);
    QCOMPARE(countRed(image, image.rect()), 0);
    QVERIFY(!view.drawnTexts().contains(QStringLiteral("CONFLICT")));
}

void TestLockView::fencingRejectsTheStaleWrite() {
    // The same pause with fencing on: the storage has seen token 2, so c1's late write with token 1 is
    // rejected and there is no conflict.
    auto s = pausedClientStory(false);
    s->locks.fencing = true;
    s->locks.writesAccepted = 1;
    s->locks.writesRejected = 1;
    s->locks.resources.front().history.front().write = LockGrant::Write::Rejected;
    LockView view;
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("lock_view_fenced"));
    const LockCardLayout card = LockView::layoutFor(*s, image.rect(), view.font()).cards.front();
    QVERIFY(card.badge.isEmpty());
    QVERIFY(view.drawnTexts().join(' ').contains(QStringLiteral("fencing on, highest accepted token 2")));
    QVERIFY(view.drawnTexts().join(' ').contains(QStringLiteral("writes: 1 accepted, 1 rejected")));
    QCOMPARE(card.historyRows.size(), std::size_t(2));
    QVERIFY(textsIn(view, card.historyRows[0]).contains(QStringLiteral("rejected")));
    QVERIFY(textsIn(view, card.historyRows[1]).contains(QStringLiteral("accepted")));
    // The rejected grant is struck through in red; the accepted one is not.
    QVERIFY(countRed(image, card.historyRows[0]) > card.historyRows[0].width() / 2);
    QCOMPARE(countRed(image, card.historyRows[1]), 0);
}

void TestLockView::zkWaitersWatchTheirPredecessor() {
    LockView view;
    auto s = zkQueue(false);
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("lock_view_zk"));
    const LockCardLayout card = LockView::layoutFor(*s, image.rect(), view.font()).cards.front();
    QCOMPARE(card.queueBoxes.size(), std::size_t(3));
    QCOMPARE(card.queueHidden, 0);
    QVERIFY(card.parentBox.isEmpty());
    QCOMPARE(card.arrows.size(), std::size_t(2));
    for (int i = 0; i < 2; ++i) {
        const LockWatchArrow& arrow = card.arrows[static_cast<std::size_t>(i)];
        QCOMPARE(arrow.from, i + 1);
        QCOMPARE(arrow.to, i);
        // From the waiter's left edge to its predecessor's right edge, drawn in dark ink.
        QCOMPARE(arrow.start.x(), double(card.queueBoxes[static_cast<std::size_t>(i + 1)].left()));
        QVERIFY(std::abs(arrow.end.x() - card.queueBoxes[static_cast<std::size_t>(i)].right()) <= 1);
        QVERIFY2(darkAlong(image, arrow.start, arrow.end) >= 6, qPrintable(QString::number(i)));
    }
    const QStringList texts = view.drawnTexts();
    QVERIFY(texts.contains(QStringLiteral("lock-0000000001")));
    QVERIFY(texts.contains(QStringLiteral("lock-0000000003")));
    QVERIFY(texts.contains(QStringLiteral("c3 · token 13")));
    QVERIFY(textsIn(view, card.holderText).join(' ').contains(QStringLiteral("c1")));
    QVERIFY(textsIn(view, card.tokenText).contains(QStringLiteral("fencing token 11")));
    QVERIFY(card.leaseText.isEmpty());  // the ZooKeeper lock has sessions, not a lease
}

void TestLockView::zkWaitersWatchingTheParentPointAtIt() {
    LockView view;
    auto s = zkQueue(true);
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("lock_view_zk_parent"));
    const LockCardLayout card = LockView::layoutFor(*s, image.rect(), view.font()).cards.front();
    QVERIFY(!card.parentBox.isEmpty());
    QCOMPARE(card.arrows.size(), std::size_t(2));
    for (const LockWatchArrow& arrow : card.arrows) {
        QCOMPARE(arrow.to, -1);
        QCOMPARE(arrow.start.y(), double(card.queueBoxes[static_cast<std::size_t>(arrow.from)].top()));
        QVERIFY(std::abs(arrow.end.y() - (card.parentBox.bottom() + 1)) <= 1);
        QVERIFY(arrow.end.x() >= card.parentBox.left() && arrow.end.x() <= card.parentBox.right());
        QVERIFY(darkAlong(image, arrow.start, arrow.end) >= 6);
    }
    // Every box sits below the parent, not on it.
    for (const QRect& box : card.queueBoxes) QVERIFY(!box.intersects(card.parentBox));
    QVERIFY(textsIn(view, card.parentBox).contains(QStringLiteral("/locks/R")));
    QVERIFY(view.drawnTexts().join(' ').contains(QStringLiteral("4 wake-ups")));
}

void TestLockView::redlockServersShowTheClockJump() {
    LockView view;
    auto s = redlockClockJump();
    view.setSnapshot(s);
    for (const QSize size : {kFrame, kLargeFrame}) {
        const QImage image = render(view, size);
        fixtures::saveArtifact(
            image, QStringLiteral("lock_view_redlock_%1x%2").arg(size.width()).arg(size.height()));
        const LockCardLayout card = LockView::layoutFor(*s, image.rect(), view.font()).cards.front();
        QCOMPARE(card.serverBoxes.size(), std::size_t(5));
        QVERIFY(
            textsIn(view, card.serversTitle).contains(QStringLiteral("Redlock servers · majority 3 of 5")));
        // Five boxes in one row across the card, between the lanes and the history, overlapping nothing.
        for (std::size_t i = 0; i < 5; ++i) {
            const QRect& box = card.serverBoxes[i];
            QVERIFY(card.card.contains(box));
            QCOMPARE(box.top(), card.serverBoxes.front().top());
            if (i > 0) QVERIFY(box.left() > card.serverBoxes[i - 1].right());
            QVERIFY(box.top() > card.axis.top());
            QVERIFY(!box.intersects(card.historyArea));
            QVERIFY(!box.intersects(card.queueArea));
        }
        // s1 still holds c1's lease by its own clock; s2, whose clock jumped 5 s ahead, holds c2's.
        const QStringList s1 = textsIn(view, card.serverBoxes[0]);
        const QStringList s2 = textsIn(view, card.serverBoxes[1]);
        QVERIFY2(s1.contains(QStringLiteral("s1")) && s1.contains(QStringLiteral("c1")),
                 qPrintable(s1.join('|')));
        QVERIFY(s1.contains(QStringLiteral("1.0 s left")));
        QVERIFY2(s2.contains(QStringLiteral("s2")) && s2.contains(QStringLiteral("c2")),
                 qPrintable(s2.join('|')));
        QVERIFY2(s2.join(' ').contains(QStringLiteral("+5.0 s")), qPrintable(s2.join('|')));
        QVERIFY(!s1.join(' ').contains(QStringLiteral("clock")));
        QVERIFY(!textsIn(view, card.serverBoxes[3]).join(' ').contains(QStringLiteral("clock")));
        // The clock badges are amber, on s2 and s3 only; each box is tinted in its holder's colour.
        const QColor amber(0xB0, 0x6A, 0x00);
        QVERIFY(countNear(image, card.serverBoxes[1], amber) > card.serverBoxes[1].width());
        QVERIFY(countNear(image, card.serverBoxes[2], amber) > card.serverBoxes[2].width());
        QCOMPARE(countNear(image, card.serverBoxes[0], amber), 0);
        QCOMPARE(countNear(image, card.serverBoxes[4], amber), 0);
        const QPoint inside = card.serverBoxes[0].topLeft() + QPoint(4, card.serverBoxes[0].height() / 2);
        QVERIFY(colorDistance(pixel(image, inside), lockBelievesColor(nodeColor(0))) <= 8);
        const QPoint inside4 = card.serverBoxes[3].topLeft() + QPoint(4, card.serverBoxes[3].height() / 2);
        QVERIFY(colorDistance(pixel(image, inside4), lockBelievesColor(nodeColor(2))) <= 8);
        QCOMPARE(countRed(image, image.rect()), 0);  // a split, but no conflict has been found
        QVERIFY(card.storageArea.isEmpty());         // nothing has touched the storage yet
    }
}

void TestLockView::crashedRedlockServerIsGrey() {
    LockView view;
    auto s = redlockClockJump(true);
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("lock_view_redlock_crashed"));
    const LockCardLayout card = LockView::layoutFor(*s, image.rect(), view.font()).cards.front();
    QCOMPARE(card.serverBoxes.size(), std::size_t(5));
    const QStringList s4 = textsIn(view, card.serverBoxes[3]);
    QVERIFY2(s4.contains(QStringLiteral("s4")) && s4.contains(QStringLiteral("crashed")),
             qPrintable(s4.join('|')));
    QVERIFY(!s4.contains(QStringLiteral("c2")));
    QVERIFY(!s4.contains(QStringLiteral("free")));  // down, not free: no client can get the lock from it
    QVERIFY(!textsIn(view, card.serverBoxes[4]).contains(QStringLiteral("crashed")));
    // Grey inside, not a client's tint.
    const QPoint inside = card.serverBoxes[3].topLeft() + QPoint(4, card.serverBoxes[3].height() / 2);
    QVERIFY(colorDistance(pixel(image, inside), QColor(0xEC, 0xEE, 0xF1)) <= 6);
}

void TestLockView::storageListsAccessesNewestLast() {
    LockView view;
    auto s = storageStory();
    view.setSnapshot(s);
    for (const QSize size : {kFrame, kLargeFrame}) {
        const QImage image = render(view, size);
        fixtures::saveArtifact(
            image, QStringLiteral("lock_view_storage_%1x%2").arg(size.width()).arg(size.height()));
        const LockCardLayout card = LockView::layoutFor(*s, image.rect(), view.font()).cards.front();
        QVERIFY(textsIn(view, card.storageTitle).contains(QStringLiteral("Storage (disk)")));
        QCOMPARE(card.storageRows.size(), std::size_t(4));
        QCOMPARE(card.firstStorageRow, std::size_t(0));
        // Below the queue, the server and the history, newest at the bottom, inside the card.
        QVERIFY(card.card.contains(card.storageArea));
        QVERIFY(!card.storageArea.intersects(card.historyArea));
        QVERIFY(!card.storageArea.intersects(card.serversArea));
        QVERIFY(card.storageArea.top() > card.plot.bottom());
        for (std::size_t i = 1; i < 4; ++i)
            QVERIFY(card.storageRows[i].top() > card.storageRows[i - 1].top());
        const QStringList first = textsIn(view, card.storageRows[0]);
        QVERIFY2(first.contains(QStringLiteral("#1")) && first.contains(QStringLiteral("c1")) &&
                     first.contains(QStringLiteral("read")) && first.contains(QStringLiteral("token 1")),
                 qPrintable(first.join('|')));
        QVERIFY(textsIn(view, card.storageRows[1]).contains(QStringLiteral("#2")));
        const QStringList write = textsIn(view, card.storageRows[2]);
        QVERIFY2(write.contains(QStringLiteral("#3")) && write.contains(QStringLiteral("c2")) &&
                     write.contains(QStringLiteral("write")) && write.contains(QStringLiteral("token 2")) &&
                     write.contains(QStringLiteral("accepted")),
                 qPrintable(write.join('|')));
        const QStringList refused = textsIn(view, card.storageRows[3]);
        QVERIFY2(refused.contains(QStringLiteral("c1")) && refused.contains(QStringLiteral("write")) &&
                     refused.contains(QStringLiteral("token 1")) &&
                     refused.contains(QStringLiteral("REFUSED (older than 2)")),
                 qPrintable(refused.join('|')));
        QVERIFY(!refused.join(' ').contains(QLatin1Char('#')));  // it got no sequence number
        // Red in the refused row only.
        for (std::size_t i = 0; i < 3; ++i) QCOMPARE(countRed(image, card.storageRows[i]), 0);
        QVERIFY(countRed(image, card.storageRows[3]) > card.storageRows[3].height() * 4);
        // The lease server agrees with the status line and its clock is right: no box to repeat it.
        QVERIFY(card.serverBoxes.empty());
        QVERIFY(card.serversArea.isEmpty());
    }
    // Once its clock is off, its box appears in the left column, beside the grants, and the storage
    // still fits below.
    s->locks.resources.front().servers.front().clockOffsetMs = 2000;
    for (const QSize size : {kFrame, kLargeFrame}) {
        const QImage image = render(view, size);
        fixtures::saveArtifact(
            image, QStringLiteral("lock_view_storage_server_%1x%2").arg(size.width()).arg(size.height()));
        const LockCardLayout card = LockView::layoutFor(*s, image.rect(), view.font()).cards.front();
        QCOMPARE(card.serverBoxes.size(), std::size_t(1));
        QVERIFY(card.serversBesideHistory);
        QVERIFY(card.serverBoxes.front().right() < card.historyArea.left());
        QVERIFY(card.serverBoxes.front().bottom() < card.storageArea.top());
        QVERIFY(textsIn(view, card.serversTitle).contains(QStringLiteral("Lock server")));
        const QStringList box = textsIn(view, card.serverBoxes.front());
        QVERIFY2(box.contains(QStringLiteral("lock")) && box.contains(QStringLiteral("c2")) &&
                     box.contains(QStringLiteral("clock +2.0 s")),
                 qPrintable(box.join('|')));
        QCOMPARE(card.storageRows.size(), std::size_t(4));
    }
    // On a small card the storage goes first: the lanes, the server and the grants stay.
    const QRect small(0, 0, 560, 330);
    const LockCardLayout card = LockView::layoutFor(*s, small, view.font()).cards.front();
    QVERIFY(card.storageArea.isEmpty() || card.storageRows.size() < 4);
    QCOMPARE(card.lanes.size(), std::size_t(2));
}

void TestLockView::inactiveLabShowsAHint() {
    LockView view;
    render(view);  // no snapshot at all
    QCOMPARE(view.drawnTexts().size(), 1);
    QVERIFY(view.drawnTexts().first().startsWith(QStringLiteral("No lock scenario is loaded.")));

    auto s = pausedClientStory();
    s->locks.active = false;
    view.setSnapshot(s);
    const QImage image = render(view);
    fixtures::saveArtifact(image, QStringLiteral("lock_view_inactive"));
    QCOMPARE(view.drawnTexts().size(), 1);
    QVERIFY(view.drawnTexts().first().contains(QStringLiteral("lock acquire c9 R")));
    QVERIFY(LockView::layoutFor(*s, image.rect(), view.font()).cards.empty());
    QCOMPARE(countRed(image, image.rect()), 0);  // the lab is off: its old conflict is not shown
}

void TestLockView::clickOnALaneSelectsTheClient() {
    LockView view;
    view.resize(kFrame);
    auto s = pausedClientStory();
    view.setSnapshot(s);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &LockView::nodeSelected);
    const LockCardLayout card = LockView::layoutFor(*s, view.rect(), view.font()).cards.front();
    const LockLaneLayout* c2 = laneOf(card, QStringLiteral("c2"));
    QVERIFY(c2);
    QTest::mouseClick(&view, Qt::LeftButton, {},
                      QPoint(static_cast<int>(card.xForTime(millis(2000))), c2->reallyBar.center().y()));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toString(), QStringLiteral("c2"));
    QCOMPARE(view.selectedNode(), QStringLiteral("c2"));
    // The selected lane is tinted behind its label.
    const QImage image = render(view);
    QVERIFY(colorDistance(pixel(image, QPointF(c2->label.right() - 2, c2->row.top() + 2)),
                          QColor(0xE3, 0xEC, 0xFA)) <= 6);
    // A click on the header selects nothing.
    QTest::mouseClick(&view, Qt::LeftButton, {}, card.header.center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toString(), QString());
    QVERIFY(view.selectedNode().isEmpty());
    // Setting the selection from outside is not a click.
    view.setSelectedNode(QStringLiteral("c1"));
    QCOMPARE(spy.count(), 0);
}

void TestLockView::textsNeverOverlap_data() {
    QTest::addColumn<QString>("story");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("chinese");
    QTest::newRow("conflict 800x500") << "conflict" << kFrame << false;
    QTest::newRow("conflict 1600x1000") << "conflict" << kLargeFrame << false;
    QTest::newRow("conflict 800x500 zh_CN") << "conflict" << kFrame << true;
    QTest::newRow("conflict 1600x1000 zh_CN") << "conflict" << kLargeFrame << true;
    QTest::newRow("zk 800x500 zh_CN") << "zk" << kFrame << true;
    QTest::newRow("zk parent 800x500") << "zk-parent" << kFrame << false;
    QTest::newRow("four resources 800x500") << "four" << kFrame << false;
    QTest::newRow("four resources 1600x1000 zh_CN") << "four" << kLargeFrame << true;
    QTest::newRow("hint zh_CN") << "inactive" << kFrame << true;
    QTest::newRow("redlock 800x500") << "redlock" << kFrame << false;
    QTest::newRow("redlock 1600x1000") << "redlock" << kLargeFrame << false;
    QTest::newRow("redlock 800x500 zh_CN") << "redlock" << kFrame << true;
    QTest::newRow("redlock 1600x1000 zh_CN") << "redlock" << kLargeFrame << true;
    QTest::newRow("redlock crashed 800x500 zh_CN") << "redlock-crashed" << kFrame << true;
    QTest::newRow("storage 800x500") << "storage" << kFrame << false;
    QTest::newRow("storage 1600x1000") << "storage" << kLargeFrame << false;
    QTest::newRow("storage 800x500 zh_CN") << "storage" << kFrame << true;
    QTest::newRow("storage 1600x1000 zh_CN") << "storage" << kLargeFrame << true;
    QTest::newRow("storage, server clock off 800x500 zh_CN") << "storage-server" << kFrame << true;
    QTest::newRow("storage, server clock off 1600x1000") << "storage-server" << kLargeFrame << false;
    QTest::newRow("storage and redlock, four resources 800x500") << "four-storage" << kFrame << false;
    QTest::newRow("storage and redlock, four resources 1600x1000 zh_CN")
        << "four-storage" << kLargeFrame << true;
}

void TestLockView::textsNeverOverlap() {
    QFETCH(QString, story);
    QFETCH(QSize, size);
    QFETCH(bool, chinese);
    ChineseTranslator translator;
    if (chinese) QCoreApplication::installTranslator(&translator);
    std::shared_ptr<ClusterSnapshot> s;
    if (story == QLatin1String("zk")) {
        s = zkQueue(false);
    } else if (story == QLatin1String("zk-parent")) {
        s = zkQueue(true);
    } else if (story == QLatin1String("redlock") || story == QLatin1String("redlock-crashed")) {
        s = redlockClockJump(story == QLatin1String("redlock-crashed"));
    } else if (story == QLatin1String("storage") || story == QLatin1String("four-storage")) {
        s = storageStory();
    } else if (story == QLatin1String("storage-server")) {
        s = storageStory();
        s->locks.resources.front().servers.front().clockOffsetMs = -800;
        s->locks.resources.front().servers.front().driftPpm = 200;
    } else {
        s = pausedClientStory();
    }
    if (story == QLatin1String("four-storage")) {
        s->locks.resources.push_back(redlockClockJump()->locks.resources.front());
        s->locks.resources.back().resource = "S";
        s->locks.resources.push_back(zkQueue(false)->locks.resources.front());
        s->locks.resources.back().resource = "T";
        s->locks.resources.push_back(redlockClockJump(true)->locks.resources.front());
        s->locks.resources.back().resource = "U";
    }
    if (story == QLatin1String("four")) {
        const auto zk = zkQueue(false);
        const auto herd = zkQueue(true);
        s->locks.resources.push_back(zk->locks.resources.front());
        s->locks.resources.back().resource = "S";
        s->locks.resources.push_back(herd->locks.resources.front());
        s->locks.resources.back().resource = "T";
        s->locks.resources.push_back(pausedClientStory(false)->locks.resources.front());
        s->locks.resources.back().resource = "U";
    }
    if (story == QLatin1String("inactive")) s->locks.active = false;
    LockView view;
    view.setSnapshot(s);
    const QImage image = render(view, size);
    fixtures::saveArtifact(image, QStringLiteral("lock_view_%1_%2x%3%4")
                                      .arg(story)
                                      .arg(size.width())
                                      .arg(size.height())
                                      .arg(chinese ? QStringLiteral("_zh") : QString()));
    if (chinese) QCoreApplication::removeTranslator(&translator);
    const QStringList problems = overlaps(view, size);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    QVERIFY(view.drawnTexts().size() >= 1);
    if (chinese && story == QLatin1String("conflict")) {
        QVERIFY(view.drawnTexts().contains(QStringLiteral("冲突")));
        QVERIFY(view.drawnTexts().join(' ').contains(QStringLiteral("持有者：c2")));
    }
    if (chinese && story == QLatin1String("storage")) {
        QVERIFY(view.drawnTexts().contains(QStringLiteral("存储（磁盘）")));
        QVERIFY(view.drawnTexts().contains(QStringLiteral("已拒绝（旧于令牌 2）")));
    }
    if (chinese && story == QLatin1String("redlock")) {
        QVERIFY(view.drawnTexts().contains(QStringLiteral("时钟 +5.0 秒")));
    }
    // Every card keeps its holder and lanes, whatever the size.
    const LockViewLayout layout = LockView::layoutFor(*s, QRect(QPoint(0, 0), size), view.font());
    for (const LockCardLayout& card : layout.cards) {
        QVERIFY(!card.holderText.isEmpty());
        QVERIFY(!card.lanes.empty());
        QVERIFY(QRect(QPoint(0, 0), size).contains(card.card));
    }
}

QTEST_MAIN(TestLockView)
#include "tst_lock_view.moc"
