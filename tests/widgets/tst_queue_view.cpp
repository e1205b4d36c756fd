// The queue view draws what the queue lab's snapshot says: the producer with its unconfirmed messages,
// one card per queue with its counts and its ready messages in queue order (head nearest the consumers,
// redelivered ones outlined in orange with an "R", poison ones hatched red), the dead-letter queue under
// its queue, one lane per consumer with its prefetch window, the brokerless picture with the subscribers'
// losses in red, the duplicate effects in red, a hint outside the lab, and selection by click. Texts
// never overlap, at classroom sizes and in Chinese.
#include <QLineSeries>
#include <QPainter>
#include <QSignalSpy>
#include <QTranslator>
#include <QtTest>

#include <map>
#include <string>

#include "fixtures.h"
#include "widgets/mq_rates_chart.h"
#include "widgets/palette.h"
#include "widgets/queue_lab_panel.h"
#include "widgets/queue_view.h"

using namespace distlab;
using fixtures::colorDistance;
using fixtures::countNear;
using fixtures::countRed;
using fixtures::textsIn;

namespace {

const QSize kLarge(1600, 1000);
const QSize kSmall(900, 600);

QString sizeName(QSize size) {
    return QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
}

const QRectF* extentOf(const QueueView& view, const QString& text) {
    for (const auto& item : view.drawnTextItems()) {
        if (item.first == text) return &item.second;
    }
    return nullptr;
}

MqMessageBox msg(const std::string& id, bool redelivered = false, bool poison = false, std::int64_t tag = 0) {
    MqMessageBox m;
    m.messageId = id;
    m.redelivered = redelivered;
    m.poison = poison;
    m.deliveries = redelivered ? 2 : 1;
    m.deliveryTag = tag;
    return m;
}

ClusterSnapshot queueCluster(const std::vector<std::string>& ids) {
    ClusterSnapshot s;
    s.scenarioName = "Queue: redelivery";
    s.seed = 11;
    s.now = millis(4200);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        NodeView node;
        node.id = ids[i];
        node.role = i == 0 ? NodeRole::Service : NodeRole::Client;
        node.colorIndex = static_cast<int>(i == 0 ? 4 : i - 1);
        s.nodes.push_back(node);
    }
    s.mq.active = true;
    return s;
}

MqConsumerView consumer(const std::string& id, int node, std::int64_t prefetch, const std::string& processing,
                        std::uint64_t acked, std::uint64_t effects) {
    MqConsumerView c;
    c.id = id;
    c.node = node;
    c.queue = "orders";
    c.prefetch = prefetch;
    c.processing = processing;
    c.received = acked + 2;
    c.acked = acked;
    c.effects = effects;
    return c;
}

std::vector<MqRateBucket> someRates() {
    std::vector<MqRateBucket> rates;
    for (int i = 0; i < 40; ++i) {
        MqRateBucket b;
        b.start = millis(100) * i;
        b.published = static_cast<std::uint32_t>(i < 20 ? 3 : 0);
        b.delivered = static_cast<std::uint32_t>(i >= 2 && i < 24 ? 2 : 0);
        b.redelivered = static_cast<std::uint32_t>(i >= 25 && i < 28 ? 1 : 0);
        b.acked = static_cast<std::uint32_t>(i >= 3 && i < 30 ? 2 : 0);
        rates.push_back(b);
    }
    return rates;
}

// The AMQP story: p1 published 20 and 17 were confirmed. "orders" holds 7 ready messages (m9 redelivered,
// m11 poison), w1 and w2 hold 3 deliveries unacknowledged (m6 redelivered), w3 has crashed; 4 messages
// were dead-lettered into "orders.dlq". The effect checker found m2 applied by w1 and w3.
std::shared_ptr<ClusterSnapshot> amqpStory() {
    auto s = std::make_shared<ClusterSnapshot>(queueCluster({"broker", "p1", "w1", "w2", "w3"}));
    QueueSnapshot& mq = s->mq;
    mq.mode = "amqp";
    mq.broker = "broker";
    mq.brokerNode = 0;
    MqProducerView p;
    p.id = "p1";
    p.node = 1;
    p.published = 20;
    p.confirmed = 17;
    p.unconfirmed = {msg("m18"), msg("m19"), msg("m20")};
    mq.producers.push_back(p);

    MqQueueView q;
    q.name = "orders";
    q.durable = true;
    q.ready = {msg("m9", true), msg("m10"), msg("m11", false, true), msg("m12"), msg("m13"), msg("m14"), msg("m15")};
    q.readyTotal = 7;
    q.unackedTotal = 3;
    q.redeliveredTotal = 2;
    q.deadLettered = 4;
    MqChannelView w1;
    w1.consumer = "w1";
    w1.node = 2;
    w1.prefetch = 2;
    w1.unacked = {msg("m5", false, false, 5), msg("m6", true, false, 6)};
    w1.unackedTotal = 2;
    MqChannelView w2;
    w2.consumer = "w2";
    w2.node = 3;
    w2.prefetch = 3;
    w2.unacked = {msg("m7", false, false, 7)};
    w2.unackedTotal = 1;
    MqChannelView w3;
    w3.consumer = "w3";
    w3.node = 4;
    w3.status = NodeStatus::Crashed;
    w3.prefetch = 1;
    q.channels = {w1, w2, w3};
    mq.queues.push_back(q);

    MqQueueView dlq;
    dlq.name = "orders.dlq";
    dlq.durable = true;
    dlq.deadLetter = true;
    dlq.ready = {msg("m1", false, true), msg("m2", false, true), msg("m3", false, true), msg("m4", false, true)};
    dlq.readyTotal = 4;
    mq.queues.push_back(dlq);

    MqConsumerView c1 = consumer("w1", 2, 2, "m5", 4, 4);
    c1.idempotent = true;
    c1.skipped = 1;
    MqConsumerView c2 = consumer("w2", 3, 3, "m7", 3, 3);
    MqConsumerView c3 = consumer("w3", 4, 1, "", 1, 1);
    c3.status = NodeStatus::Crashed;
    mq.consumers = {c1, c2, c3};
    mq.effectsApplied = 8;
    MqDuplicateEffect d;
    d.messageId = "m2";
    d.consumers = {"w1", "w3"};
    d.at = {millis(900), millis(2100)};
    mq.duplicates.push_back(d);
    mq.rates = someRates();
    return s;
}

// Brokerless push: p1 pushed 30; s1's buffer (HWM 4) holds 3 and it lost 4; s2 has crashed and lost 12.
std::shared_ptr<ClusterSnapshot> brokerlessStory() {
    auto s = std::make_shared<ClusterSnapshot>(queueCluster({"pub", "p1", "s1", "s2"}));
    QueueSnapshot& mq = s->mq;
    mq.mode = "brokerless";
    MqProducerView p;
    p.id = "p1";
    p.node = 1;
    p.published = 30;
    p.confirmed = 30;
    mq.producers.push_back(p);
    MqConsumerView s1 = consumer("s1", 2, 4, "m26", 0, 23);
    s1.inbox = {msg("m27"), msg("m28"), msg("m29")};
    s1.received = 26;
    s1.lost = 4;
    MqConsumerView s2 = consumer("s2", 3, 4, "", 0, 18);
    s2.status = NodeStatus::Crashed;
    s2.received = 18;
    s2.lost = 12;
    mq.consumers = {s1, s2};
    mq.effectsApplied = 41;
    mq.lost = 16;
    return s;
}

// More than fits anywhere: 300 ready messages (64 in the snapshot), 100 unconfirmed, three queues with
// their dead-letter queues, and eight consumers with a prefetch of 12 each, all in use.
std::shared_ptr<ClusterSnapshot> crowdedStory() {
    std::vector<std::string> ids = {"broker", "p1"};
    for (int i = 1; i <= 8; ++i) ids.push_back("worker-" + std::to_string(i));
    auto s = std::make_shared<ClusterSnapshot>(queueCluster(ids));
    QueueSnapshot& mq = s->mq;
    mq.mode = "amqp";
    mq.broker = "broker";
    mq.brokerNode = 0;
    MqProducerView p;
    p.id = "p1";
    p.node = 1;
    p.published = 1200;
    p.confirmed = 1100;
    for (int i = 0; i < 64; ++i) p.unconfirmed.push_back(msg("m" + std::to_string(1101 + i)));
    p.toPublish = 800;
    mq.producers.push_back(p);
    int next = 300;
    for (const char* name : {"orders", "payments", "emails"}) {
        MqQueueView q;
        q.name = name;
        q.durable = std::string(name) != "emails";
        for (int i = 0; i < 64; ++i) q.ready.push_back(msg("m" + std::to_string(next + i), i % 7 == 0, i % 11 == 5));
        next += 100;
        q.readyTotal = 300;
        q.redeliveredTotal = 40;
        q.deadLettered = 12;
        q.lostInRestart = q.durable ? 0 : 9;
        mq.queues.push_back(q);
        MqQueueView dlq;
        dlq.name = std::string(name) + ".dlq";
        dlq.deadLetter = true;
        dlq.durable = true;
        for (int i = 0; i < 12; ++i) dlq.ready.push_back(msg("m" + std::to_string(next + i), false, true));
        dlq.readyTotal = 12;
        mq.queues.push_back(dlq);
    }
    for (int w = 0; w < 8; ++w) {
        const std::string id = "worker-" + std::to_string(w + 1);
        MqChannelView ch;
        ch.consumer = id;
        ch.node = 2 + w;
        ch.prefetch = 12;
        for (int k = 0; k < 12; ++k) ch.unacked.push_back(msg("m" + std::to_string(2000 + 12 * w + k), k == 3));
        ch.unackedTotal = 12;
        MqQueueView& q = mq.queues[static_cast<std::size_t>(2 * (w % 3))];
        q.channels.push_back(ch);
        q.unackedTotal += 12;
        MqConsumerView c = consumer(id, 2 + w, 12, "m" + std::to_string(2000 + 12 * w), 100 + w, 100 + w);
        c.queue = q.name;
        c.nacked = 3;
        c.idempotent = w % 2 == 0;
        c.skipped = 2;
        if (w == 5) c.status = NodeStatus::Paused;
        mq.consumers.push_back(c);
    }
    mq.effectsApplied = 903;
    for (int i = 0; i < 5; ++i) {
        MqDuplicateEffect d;
        d.messageId = "m" + std::to_string(40 + i);
        d.consumers = {"worker-1", "worker-2", "worker-4"};
        if (i % 2) d.consumers.pop_back();
        mq.duplicates.push_back(d);
    }
    return s;
}

std::shared_ptr<ClusterSnapshot> storyNamed(const QString& name) {
    if (name == QLatin1String("brokerless")) return brokerlessStory();
    if (name == QLatin1String("crowded")) return crowdedStory();
    return amqpStory();
}

const MqQueueCardLayout* cardOf(const QueueViewLayout& layout, const ClusterSnapshot& s, const std::string& name) {
    for (const MqQueueCardLayout& card : layout.queues) {
        if (s.mq.queues[static_cast<std::size_t>(card.queue)].name == name) return &card;
    }
    return nullptr;
}

const MqLaneLayout* laneOf(const QueueViewLayout& layout, const QString& id) {
    for (const MqLaneLayout& lane : layout.lanes) {
        if (lane.id == id) return &lane;
    }
    return nullptr;
}

// Text areas that overlap each other or leave the picture.
QStringList textOverlaps(const QueueView& view, QSize size) {
    QStringList problems;
    const auto& items = view.drawnTextItems();
    const QRectF frame(QPointF(0, 0), QSizeF(size));
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!frame.contains(items[i].second)) problems << QStringLiteral("outside: %1").arg(items[i].first);
        for (std::size_t j = i + 1; j < items.size(); ++j) {
            const QRectF common = items[i].second.intersected(items[j].second);
            if (common.width() > 1 && common.height() > 1)
                problems << QStringLiteral("'%1' overlaps '%2'").arg(items[i].first, items[j].first);
        }
    }
    return problems;
}

QString rectText(const QRect& r) {
    return QStringLiteral("(%1,%2 %3x%4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

// Geometry that overlaps or leaves its parent.
QStringList layoutProblems(const QueueViewLayout& layout, QSize size) {
    QStringList problems;
    const QRect frame(QPoint(0, 0), size);
    std::vector<std::pair<QString, QRect>> blocks;  // must not intersect each other
    for (const MqProducerLayout& p : layout.producers) blocks.emplace_back(QStringLiteral("producer"), p.box);
    if (!layout.brokerFrame.isEmpty()) blocks.emplace_back(QStringLiteral("broker"), layout.brokerFrame);
    for (const MqLaneLayout& lane : layout.lanes) blocks.emplace_back(QStringLiteral("lane ") + lane.id, lane.row);
    if (!layout.footer.isEmpty()) blocks.emplace_back(QStringLiteral("footer"), layout.footer);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (!frame.contains(blocks[i].second)) problems << blocks[i].first + QStringLiteral(" leaves the view");
        for (std::size_t j = i + 1; j < blocks.size(); ++j) {
            if (blocks[i].second.intersects(blocks[j].second))
                problems << blocks[i].first + QStringLiteral(" overlaps ") + blocks[j].first;
        }
    }
    auto checkRow = [&](const QString& what, const MqBoxRowLayout& row, const QRect& parent) {
        for (std::size_t i = 0; i < row.boxes.size(); ++i) {
            if (!parent.contains(row.boxes[i]))
                problems << what + QStringLiteral(" box %1 %2 leaves %3").arg(i).arg(rectText(row.boxes[i]), rectText(parent));
            for (std::size_t j = i + 1; j < row.boxes.size(); ++j) {
                if (row.boxes[i].intersects(row.boxes[j])) problems << what + QStringLiteral(" boxes overlap");
            }
            if (!row.more.isEmpty() && row.more.intersects(row.boxes[i]))
                problems << what + QStringLiteral(" '+N more' covers a box");
        }
        if (!row.more.isEmpty() && !parent.contains(row.more)) problems << what + QStringLiteral(" '+N more' leaves");
    };
    for (std::size_t i = 0; i < layout.queues.size(); ++i) {
        const MqQueueCardLayout& card = layout.queues[i];
        if (!layout.brokerFrame.contains(card.card)) problems << QStringLiteral("a queue card leaves the broker");
        for (std::size_t j = i + 1; j < layout.queues.size(); ++j) {
            if (card.card.intersects(layout.queues[j].card)) problems << QStringLiteral("queue cards overlap");
        }
        checkRow(QStringLiteral("queue"), card.ready, card.card);
        for (const QRect& tile : card.tiles) {
            if (!card.deadLetter && !card.card.contains(tile)) problems << QStringLiteral("a tile leaves its card");
        }
    }
    for (const MqLaneLayout& lane : layout.lanes) {
        checkRow(QStringLiteral("lane ") + lane.id, lane.boxes, lane.window);
        if (!lane.row.contains(lane.window)) problems << QStringLiteral("window leaves lane ") + lane.id;
        if (!lane.row.contains(lane.processingBox)) problems << QStringLiteral("processing leaves lane ") + lane.id;
        if (lane.window.intersects(lane.processingBox)) problems << QStringLiteral("window covers processing");
        for (const QRect& slot : lane.places) {
            if (!lane.window.contains(slot)) problems << QStringLiteral("slot leaves window of ") + lane.id;
        }
    }
    for (const MqProducerLayout& p : layout.producers) checkRow(QStringLiteral("producer"), p.unconfirmed, p.box);
    return problems;
}

// A zh_CN stand-in for the translation file, deliberately long.
class ChineseTranslator : public QTranslator {
public:
    bool isEmpty() const override { return false; }
    QString translate(const char*, const char* source, const char*, int) const override {
        static const std::map<std::string, QString> table = {
            {"Producer", QStringLiteral("生产者（发布消息的客户端）")},
            {"Producers", QStringLiteral("生产者（发布消息的客户端）")},
            {"Consumers", QStringLiteral("消费者（每个消费者一个通道）")},
            {"Subscribers", QStringLiteral("订阅者（没有代理，直接推送）")},
            {"direct push, no broker", QStringLiteral("直接推送，没有消息代理，最多一次")},
            {"Broker %1", QStringLiteral("消息代理 %1（所有队列都在这里）")},
            {"Broker", QStringLiteral("消息代理（所有队列都在这里）")},
            {"ready", QStringLiteral("就绪等待投递")},
            {"unacked", QStringLiteral("已投递未确认")},
            {"redelivered", QStringLiteral("重新投递过的消息")},
            {"dead-lettered", QStringLiteral("进入死信队列的消息")},
            {"durable", QStringLiteral("持久化队列")},
            {"transient", QStringLiteral("非持久化队列")},
            {"published: %1", QStringLiteral("已发布的消息：%1")},
            {"confirmed: %1", QStringLiteral("代理已确认的消息：%1")},
            {"pushed: %1", QStringLiteral("已推送的消息：%1")},
            {"still to send: %1", QStringLiteral("还没有发送的消息：%1")},
            {"no confirms: at most once", QStringLiteral("没有发布确认：消息最多送达一次")},
            {"waiting for a confirm", QStringLiteral("正在等待代理的发布确认")},
            {"Ready, in queue order", QStringLiteral("就绪消息，按队列顺序排列")},
            {"head →", QStringLiteral("队头 →")},
            {"prefetch %1", QStringLiteral("预取窗口 %1 条")},
            {"prefetch unlimited", QStringLiteral("预取窗口不限")},
            {"buffer %1 (HWM)", QStringLiteral("接收缓冲区 %1 条（高水位）")},
            {"idempotent", QStringLiteral("幂等消费者")},
            {"working on", QStringLiteral("正在处理的消息")},
            {"idle", QStringLiteral("空闲")},
            {"acked %1", QStringLiteral("已确认 %1 条")},
            {"effects %1", QStringLiteral("已生效 %1 次")},
            {"skipped %1", QStringLiteral("跳过重复 %1 条")},
            {"nacked %1", QStringLiteral("处理失败 %1 次")},
            {"received %1", QStringLiteral("已收到 %1 条")},
            {"lost %1", QStringLiteral("丢失 %1 条")},
            {"crashed", QStringLiteral("已崩溃")},
            {"paused", QStringLiteral("已暂停")},
            {"messages: %1", QStringLiteral("死信消息：%1 条")},
            {"lost in a broker restart: %1", QStringLiteral("代理重启时丢失的消息：%1 条")},
            {"+%1 more", QStringLiteral("还有 %1 条")},
            {"+%1 more consumers", QStringLiteral("还有 %1 个消费者")},
            {"+%1 more queues", QStringLiteral("还有 %1 个队列")},
            {"Effects applied at the ledger: %1", QStringLiteral("账本上已生效的操作：%1 次")},
            {"no message applied twice", QStringLiteral("没有任何消息被重复生效")},
            {"messages lost: %1", QStringLiteral("丢失的消息：%1 条")},
            {"confirmed but never delivered: %1", QStringLiteral("已确认但从未投递的消息：%1 条")},
            {"%1 applied twice: %2", QStringLiteral("%1 被生效了两次：%2")},
            {"%1 applied %2 times: %3", QStringLiteral("%1 被生效了 %2 次：%3")},
            {"Effects applied more than once: %1", QStringLiteral("被重复生效的消息：%1")},
            {"No queue scenario is loaded. Open one of the queue scenarios (File > Built-in scenarios) to "
             "watch a broker deliver, redeliver and dead-letter messages.",
             QStringLiteral("没有加载消息队列场景。请打开一个消息队列场景（文件 > 内置场景），观察代理如何投递、"
                            "重新投递消息以及把消息送入死信队列。")},
        };
        const auto it = table.find(source);
        return it == table.end() ? QString() : it->second;
    }
};

}  // namespace

class TestQueueView : public QObject {
    Q_OBJECT

private slots:
    void countsAreDrawnOnTheQueueCard();
    void readyMessagesInQueueOrderHeadNearTheConsumers();
    void boxesUpToWhatFits_data();
    void boxesUpToWhatFits();
    void redeliveredAndPoisonBoxesAreMarked();
    void consumerLanesShowTheirPrefetchWindow();
    void crashedConsumerIsMarked();
    void duplicateEffectsAreRed();
    void brokerlessPushesIntoInboxes();
    void inactiveLabShowsAHint();
    void clickSelectsProducerConsumerOrBroker();
    void nothingOverlaps_data();
    void nothingOverlaps();
    void panelForwardsSnapshotAndSelection();
};

void TestQueueView::countsAreDrawnOnTheQueueCard() {
    QueueView view;
    auto s = amqpStory();
    view.setSnapshot(s);
    for (const QSize size : {kLarge, kSmall}) {
        const QImage image = fixtures::renderView(view, size);
        fixtures::saveArtifact(image, QStringLiteral("queue_view_amqp_%1").arg(sizeName(size)));
        const QueueViewLayout layout = QueueView::layoutFor(*s, image.rect(), view.font());
        const MqQueueCardLayout* card = cardOf(layout, *s, "orders");
        QVERIFY(card);
        const QString expected[4][2] = {{QStringLiteral("7"), QStringLiteral("ready")},
                                        {QStringLiteral("3"), QStringLiteral("unacked")},
                                        {QStringLiteral("2"), QStringLiteral("redelivered")},
                                        {QStringLiteral("4"), QStringLiteral("dead-lettered")}};
        for (std::size_t t = 0; t < 4; ++t) {
            const QStringList texts = textsIn(view, card->tiles[t]);
            QVERIFY2(texts.contains(expected[t][0]) && texts.contains(expected[t][1]), qPrintable(texts.join('|')));
        }
        QVERIFY(textsIn(view, card->title).contains(QStringLiteral("orders")));
        QVERIFY(textsIn(view, card->badge).contains(QStringLiteral("durable")));
        // The dead-lettered count is red; none of the others is.
        QVERIFY(countRed(image, card->tiles[3]) > 10);
        QCOMPARE(countRed(image, card->tiles[0]), 0);
        // The producer's counts.
        QCOMPARE(layout.producers.size(), std::size_t(1));
        const QStringList producer = textsIn(view, layout.producers.front().box);
        QVERIFY2(producer.contains(QStringLiteral("p1")) && producer.contains(QStringLiteral("published: 20")) &&
                     producer.contains(QStringLiteral("confirmed: 17")),
                 qPrintable(producer.join('|')));
        QCOMPARE(layout.producers.front().unconfirmed.boxes.size(), std::size_t(3));
        QCOMPARE(layout.producers.front().unconfirmed.hidden, 0);
        QVERIFY(view.drawnTexts().contains(QStringLiteral("Effects applied at the ledger: 8")));
        QVERIFY(view.drawnTexts().contains(QStringLiteral("Broker")));
    }
}

void TestQueueView::readyMessagesInQueueOrderHeadNearTheConsumers() {
    QueueView view;
    auto s = amqpStory();
    view.setSnapshot(s);
    const QImage image = fixtures::renderView(view, kLarge);
    const QueueViewLayout layout = QueueView::layoutFor(*s, image.rect(), view.font());
    const MqQueueCardLayout* card = cardOf(layout, *s, "orders");
    const MqQueueCardLayout* dlq = cardOf(layout, *s, "orders.dlq");
    QVERIFY(card && dlq);
    QCOMPARE(card->ready.boxes.size(), std::size_t(7));
    QCOMPARE(card->ready.hidden, 0);
    // Head first, at the right end, nearest the consumers' lanes; the tail towards the producer.
    for (std::size_t i = 1; i < 7; ++i) QVERIFY(card->ready.boxes[i].right() < card->ready.boxes[i - 1].left());
    QVERIFY(card->ready.boxes[0].right() > card->card.center().x());
    QVERIFY(card->ready.boxes[0].right() < layout.lanes.front().row.left());
    QVERIFY(layout.producers.front().box.right() < card->ready.boxes[6].left());
    for (std::size_t i = 0; i < 7; ++i) {
        QVERIFY(textsIn(view, card->ready.boxes[i]).contains(QString::fromStdString(s->mq.queues[0].ready[i].messageId)));
    }
    // The dead-letter queue is a smaller card under its queue.
    QVERIFY(dlq->deadLetter);
    QVERIFY(dlq->card.top() > card->card.bottom());
    QVERIFY(dlq->card.width() < card->card.width());
    QVERIFY(dlq->card.height() < card->card.height());
    QCOMPARE(dlq->ready.boxes.size(), std::size_t(4));
    QVERIFY(textsIn(view, dlq->card).contains(QStringLiteral("orders.dlq")));
    QVERIFY(textsIn(view, dlq->card).contains(QStringLiteral("messages: 4")));
    // Arrows: the producer publishes into the queue, the queue delivers into each lane.
    QCOMPARE(layout.arrows.size(), std::size_t(1 + 3));
}

void TestQueueView::boxesUpToWhatFits_data() {
    QTest::addColumn<QSize>("size");
    QTest::newRow("1600x1000") << kLarge;
    QTest::newRow("900x600") << kSmall;
    QTest::newRow("700x420") << QSize(700, 420);
}

void TestQueueView::boxesUpToWhatFits() {
    QFETCH(QSize, size);
    QueueView view;
    auto s = crowdedStory();
    view.setSnapshot(s);
    const QImage image = fixtures::renderView(view, size);
    fixtures::saveArtifact(image, QStringLiteral("queue_view_crowded_%1").arg(sizeName(size)));
    const QueueViewLayout layout = QueueView::layoutFor(*s, image.rect(), view.font());
    const QStringList texts = view.drawnTexts();
    QVERIFY(!layout.queues.empty());
    for (const MqQueueCardLayout& card : layout.queues) {
        const MqQueueView& q = s->mq.queues[static_cast<std::size_t>(card.queue)];
        if (card.ready.boxes.empty() && card.deadLetter) continue;  // a header-only dead-letter card
        QVERIFY(!card.ready.boxes.empty());
        QVERIFY(card.ready.boxes.size() < q.ready.size());
        QCOMPARE(card.ready.boxes.size() + static_cast<std::size_t>(card.ready.hidden), q.readyTotal);
        QVERIFY2(texts.contains(QStringLiteral("+%1 more").arg(card.ready.hidden)), qPrintable(texts.join('|')));
        // The "+N more" is at the tail's end, on the left.
        QVERIFY(card.ready.more.right() < card.ready.boxes.back().left());
    }
    QVERIFY(layout.queues.size() + static_cast<std::size_t>(layout.queuesHidden) == s->mq.queues.size());
    const MqProducerLayout& p = layout.producers.front();
    QVERIFY(!p.unconfirmed.boxes.empty());
    QCOMPARE(p.unconfirmed.boxes.size() + static_cast<std::size_t>(p.unconfirmed.hidden), std::size_t(100));
    QVERIFY(texts.contains(QStringLiteral("+%1 more").arg(p.unconfirmed.hidden)));
    QVERIFY(!layout.lanes.empty());
    QCOMPARE(layout.lanes.size() + static_cast<std::size_t>(layout.lanesHidden), std::size_t(8));
    if (layout.lanesHidden > 0) QVERIFY(texts.contains(QStringLiteral("+%1 more consumers").arg(layout.lanesHidden)));
    for (const MqLaneLayout& lane : layout.lanes) {
        QCOMPARE(static_cast<std::int64_t>(lane.places.size()) + lane.placesHidden, std::int64_t(12));
        QCOMPARE(lane.boxes.boxes.size(), lane.places.size());  // every slot shown is in use
        QCOMPARE(lane.boxes.boxes.size() + static_cast<std::size_t>(lane.boxes.hidden), std::size_t(12));
    }
    const QStringList problems = layoutProblems(layout, size) + textOverlaps(view, size);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
}

void TestQueueView::redeliveredAndPoisonBoxesAreMarked() {
    QueueView view;
    auto s = amqpStory();
    view.setSnapshot(s);
    const QImage image = fixtures::renderView(view, kLarge);
    const QueueViewLayout layout = QueueView::layoutFor(*s, image.rect(), view.font());
    const MqQueueCardLayout* card = cardOf(layout, *s, "orders");
    QVERIFY(card);
    const QRect redelivered = card->ready.boxes[0];  // m9
    const QRect plain = card->ready.boxes[1];        // m10
    const QRect poison = card->ready.boxes[2];       // m11
    const QColor orange = mqRedeliveredColor();
    const int perimeter = 2 * (redelivered.width() + redelivered.height());
    const int outline = countNear(image, redelivered, orange);
    QVERIFY2(outline > perimeter, qPrintable(QString::number(outline)));
    // Along its left edge (away from the "R" tab) the outline is orange.
    QVERIFY(colorDistance(image.pixelColor(redelivered.left() + 1, redelivered.center().y()), orange) <= 30);
    QVERIFY(textsIn(view, redelivered).contains(QStringLiteral("R")));
    QCOMPARE(countNear(image, plain, orange), 0);
    QVERIFY(!textsIn(view, plain).contains(QStringLiteral("R")));
    QCOMPARE(countRed(image, plain), 0);
    QVERIFY2(countRed(image, poison) > poison.width(), qPrintable(QString::number(countRed(image, poison))));
    // In a consumer's window too: w1's m6 was redelivered.
    const MqLaneLayout* w1 = laneOf(layout, QStringLiteral("w1"));
    QVERIFY(w1 && w1->boxes.boxes.size() == 2);
    QVERIFY(countNear(image, w1->boxes.boxes[1], orange) > perimeter);
    QCOMPARE(countNear(image, w1->boxes.boxes[0], orange), 0);
}

void TestQueueView::consumerLanesShowTheirPrefetchWindow() {
    QueueView view;
    auto s = amqpStory();
    view.setSnapshot(s);
    for (const QSize size : {kLarge, kSmall}) {
        const QImage image = fixtures::renderView(view, size);
        const QueueViewLayout layout = QueueView::layoutFor(*s, image.rect(), view.font());
        QCOMPARE(layout.lanes.size(), std::size_t(3));
        const MqLaneLayout* w1 = laneOf(layout, QStringLiteral("w1"));
        const MqLaneLayout* w2 = laneOf(layout, QStringLiteral("w2"));
        QVERIFY(w1 && w2);
        QCOMPARE(w1->places.size(), std::size_t(2));
        QCOMPARE(w1->boxes.boxes.size(), std::size_t(2));
        QCOMPARE(w2->places.size(), std::size_t(3));
        QCOMPARE(w2->boxes.boxes.size(), std::size_t(1));
        QCOMPARE(w2->boxes.boxes[0], w2->places[0]);
        const QStringList t1 = textsIn(view, w1->row);
        QVERIFY2(t1.contains(QStringLiteral("w1")) && t1.contains(QStringLiteral("prefetch 2 · idempotent")) &&
                     t1.contains(QStringLiteral("acked 4")) && t1.contains(QStringLiteral("effects 4")) &&
                     t1.contains(QStringLiteral("skipped 1")),
                 qPrintable(t1.join('|')));
        QVERIFY(textsIn(view, w1->processingBox).contains(QStringLiteral("m5")));
        // The message being worked on is outlined in the consumer's colour.
        QVERIFY(countNear(image, w1->processingBox.adjusted(-3, -3, 3, 3), nodeColor(1), 20) > 10);
        const QStringList t2 = textsIn(view, w2->row);
        QVERIFY(t2.contains(QStringLiteral("prefetch 3")));
        QVERIFY(!t2.contains(QStringLiteral("skipped 0")));  // not idempotent: nothing to skip
        // Unlimited prefetch: no slots, just the boxes.
        auto unlimited = std::make_shared<ClusterSnapshot>(*s);
        unlimited->mq.queues[0].channels[1].prefetch = 0;
        const QueueViewLayout u = QueueView::layoutFor(*unlimited, image.rect(), view.font());
        QVERIFY(laneOf(u, QStringLiteral("w2"))->places.empty());
        QCOMPARE(laneOf(u, QStringLiteral("w2"))->boxes.boxes.size(), std::size_t(1));
    }
}

void TestQueueView::crashedConsumerIsMarked() {
    QueueView view;
    auto s = amqpStory();
    view.setSnapshot(s);
    const QImage image = fixtures::renderView(view, kSmall);
    const QueueViewLayout layout = QueueView::layoutFor(*s, image.rect(), view.font());
    const MqLaneLayout* w3 = laneOf(layout, QStringLiteral("w3"));
    const MqLaneLayout* w2 = laneOf(layout, QStringLiteral("w2"));
    QVERIFY(w3 && w2 && !w3->badge.isEmpty() && w2->badge.isEmpty());
    QVERIFY(textsIn(view, w3->badge).contains(QStringLiteral("CRASHED")));
    // Greyed: its background is the grey track colour, not the card colour of the lanes that are up.
    const QPoint inside(w3->row.right() - 4, w3->row.bottom() - 4);
    QVERIFY(colorDistance(image.pixelColor(inside), QColor(0xEC, 0xEE, 0xF1)) <= 6);
    QVERIFY(colorDistance(image.pixelColor(QPoint(w2->row.right() - 4, w2->row.bottom() - 4)),
                          QColor(0xF8, 0xF9, 0xFA)) <= 6);
    // Its delivery arrow is grey.
    int dashed = 0;
    for (const MqArrowLayout& a : layout.arrows) dashed += a.dashed ? 1 : 0;
    QCOMPARE(dashed, 1);
}

void TestQueueView::duplicateEffectsAreRed() {
    QueueView view;
    auto s = amqpStory();
    view.setSnapshot(s);
    const QImage image = fixtures::renderView(view, kSmall);
    const QueueViewLayout layout = QueueView::layoutFor(*s, image.rect(), view.font());
    QVERIFY(!layout.duplicatesText.isEmpty());
    const QStringList footer = textsIn(view, layout.duplicatesText);
    QVERIFY2(footer.contains(QStringLiteral("Effects applied more than once: m2 applied twice: w1, w3")),
             qPrintable(footer.join('|')));
    QVERIFY(countRed(image, layout.duplicatesText) > 50);
    // Without duplicates the footer has one line and says so in green.
    auto clean = std::make_shared<ClusterSnapshot>(*s);
    clean->mq.duplicates.clear();
    view.setSnapshot(clean);
    const QImage cleanImage = fixtures::renderView(view, kSmall);
    const QueueViewLayout cleanLayout = QueueView::layoutFor(*clean, cleanImage.rect(), view.font());
    QVERIFY(cleanLayout.duplicatesText.isEmpty());
    QVERIFY(view.drawnTexts().contains(QStringLiteral("no message applied twice")));
    QVERIFY(countNear(cleanImage, cleanLayout.verdictText, QColor(0x0B, 0x7A, 0x3B), 40) > 20);
    QCOMPARE(countRed(cleanImage, cleanLayout.footer), 0);
}

void TestQueueView::brokerlessPushesIntoInboxes() {
    QueueView view;
    auto s = brokerlessStory();
    view.setSnapshot(s);
    for (const QSize size : {kLarge, kSmall}) {
        const QImage image = fixtures::renderView(view, size);
        fixtures::saveArtifact(image, QStringLiteral("queue_view_brokerless_%1").arg(sizeName(size)));
        const QueueViewLayout layout = QueueView::layoutFor(*s, image.rect(), view.font());
        QVERIFY(layout.brokerless);
        QVERIFY(layout.queues.empty());
        QVERIFY(layout.brokerFrame.isEmpty());
        QVERIFY(!view.drawnTexts().join(' ').contains(QStringLiteral("Broker")));
        QVERIFY(view.drawnTexts().contains(QStringLiteral("Subscribers")));
        QCOMPARE(layout.lanes.size(), std::size_t(2));
        const MqLaneLayout* s1 = laneOf(layout, QStringLiteral("s1"));
        QVERIFY(s1);
        QCOMPARE(s1->places.size(), std::size_t(4));  // the buffer's high-water mark
        QCOMPARE(s1->boxes.boxes.size(), std::size_t(3));
        const QStringList t1 = textsIn(view, s1->row);
        QVERIFY2(t1.contains(QStringLiteral("buffer 4 (HWM)")) && t1.contains(QStringLiteral("received 26")) &&
                     t1.contains(QStringLiteral("lost 4")),
                 qPrintable(t1.join('|')));
        // The losses are red, each in its own lane.
        for (const QString& lost : {QStringLiteral("lost 4"), QStringLiteral("lost 12")}) {
            const QRectF* extent = extentOf(view, lost);
            QVERIFY2(extent, qPrintable(lost));
            QVERIFY(countRed(image, extent->toAlignedRect()) > 5);
        }
        // The producer pushes straight into each subscriber: one arrow per lane, none through a queue.
        QCOMPARE(layout.arrows.size(), std::size_t(2));
        for (std::size_t i = 0; i < 2; ++i) {
            QVERIFY(std::abs(layout.arrows[i].from.x() - (layout.producers.front().box.right() + 1)) <= 1);
            QVERIFY(std::abs(layout.arrows[i].to.x() - layout.lanes[i].row.left()) <= 1);
        }
        const QStringList producer = textsIn(view, layout.producers.front().box);
        QVERIFY2(producer.contains(QStringLiteral("pushed: 30")), qPrintable(producer.join('|')));
        QVERIFY(layout.producers.front().unconfirmed.boxes.empty());
        QVERIFY(view.drawnTexts().contains(QStringLiteral("messages lost: 16")));
        const QStringList problems = layoutProblems(layout, size) + textOverlaps(view, size);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    }
}

void TestQueueView::inactiveLabShowsAHint() {
    QueueView view;
    fixtures::renderView(view, kSmall);  // no snapshot at all
    QCOMPARE(view.drawnTexts().size(), 1);
    QVERIFY(view.drawnTexts().first().startsWith(QStringLiteral("No queue scenario is loaded.")));
    auto s = amqpStory();
    s->mq.active = false;
    view.setSnapshot(s);
    const QImage image = fixtures::renderView(view, kSmall);
    fixtures::saveArtifact(image, QStringLiteral("queue_view_inactive"));
    QCOMPARE(view.drawnTexts().size(), 1);
    const QueueViewLayout layout = QueueView::layoutFor(*s, image.rect(), view.font());
    QVERIFY(!layout.hint.isEmpty());
    QVERIFY(layout.lanes.empty() && layout.queues.empty() && layout.producers.empty());
    QVERIFY(layout.hint.center().x() - image.rect().center().x() <= 1);
    QCOMPARE(countRed(image, image.rect()), 0);
    // Active, but nothing has started yet.
    auto empty = std::make_shared<ClusterSnapshot>(queueCluster({"broker"}));
    view.setSnapshot(empty);
    fixtures::renderView(view, kSmall);
    QCOMPARE(view.drawnTexts().size(), 1);
    QVERIFY(view.drawnTexts().first().contains(QStringLiteral("no producer, queue or consumer")));
}

void TestQueueView::clickSelectsProducerConsumerOrBroker() {
    QueueView view;
    view.resize(kSmall);
    auto s = amqpStory();
    view.setSnapshot(s);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy spy(&view, &QueueView::nodeSelected);
    const QueueViewLayout layout = QueueView::layoutFor(*s, view.rect(), view.font());
    const MqLaneLayout* w2 = laneOf(layout, QStringLiteral("w2"));
    QVERIFY(w2);
    QTest::mouseClick(&view, Qt::LeftButton, {}, w2->counts.center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toString(), QStringLiteral("w2"));
    QCOMPARE(view.selectedNode(), QStringLiteral("w2"));
    // The selected lane is tinted.
    const QImage image = fixtures::renderView(view, kSmall);
    QVERIFY(colorDistance(image.pixelColor(QPoint(w2->row.right() - 4, w2->row.bottom() - 4)),
                          QColor(0xE3, 0xEC, 0xFA)) <= 6);
    QTest::mouseClick(&view, Qt::LeftButton, {}, layout.producers.front().box.center());
    QCOMPARE(spy.takeFirst().at(0).toString(), QStringLiteral("p1"));
    QTest::mouseClick(&view, Qt::LeftButton, {}, cardOf(layout, *s, "orders")->tiles[0].center());
    QCOMPARE(spy.takeFirst().at(0).toString(), QStringLiteral("broker"));
    QCOMPARE(view.selectedNode(), QStringLiteral("broker"));
    // A click on the footer selects nothing.
    QTest::mouseClick(&view, Qt::LeftButton, {}, layout.footer.center());
    QCOMPARE(spy.takeFirst().at(0).toString(), QString());
    QVERIFY(view.selectedNode().isEmpty());
    // Setting the selection from outside is not a click.
    view.setSelectedNode(QStringLiteral("w1"));
    QCOMPARE(spy.count(), 0);
}

void TestQueueView::nothingOverlaps_data() {
    QTest::addColumn<QString>("story");
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("chinese");
    for (const char* name : {"amqp", "brokerless", "crowded"}) {
        for (const QSize size : {kLarge, kSmall}) {
            for (const bool chinese : {false, true}) {
                QTest::addRow("%s %dx%d%s", name, size.width(), size.height(), chinese ? " zh_CN" : "")
                    << QString::fromLatin1(name) << size << chinese;
            }
        }
    }
    QTest::newRow("hint zh_CN") << QStringLiteral("inactive") << kSmall << true;
}

void TestQueueView::nothingOverlaps() {
    QFETCH(QString, story);
    QFETCH(QSize, size);
    QFETCH(bool, chinese);
    ChineseTranslator translator;
    if (chinese) QCoreApplication::installTranslator(&translator);
    auto s = storyNamed(story);
    if (story == QLatin1String("inactive")) s->mq.active = false;
    QueueView view;
    view.setSnapshot(s);
    const QImage image = fixtures::renderView(view, size);
    fixtures::saveArtifact(image, QStringLiteral("queue_view_%1_%2%3")
                                      .arg(story, sizeName(size), chinese ? QStringLiteral("_zh") : QString()));
    const QueueViewLayout layout = QueueView::layoutFor(*s, QRect(QPoint(0, 0), size), view.font());
    if (chinese) QCoreApplication::removeTranslator(&translator);
    const QStringList problems = textOverlaps(view, size) + layoutProblems(layout, size);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    if (chinese && story == QLatin1String("amqp")) {
        QVERIFY(view.drawnTexts().join(' ').contains(QStringLiteral("消费者")));
        QVERIFY(view.drawnTexts().join(' ').contains(QStringLiteral("m2 被生效了两次：w1, w3")));
    }
    if (story != QLatin1String("inactive")) {
        QVERIFY(!layout.lanes.empty());
        QVERIFY(!layout.producers.empty());
        for (const MqLaneLayout& lane : layout.lanes) QVERIFY(textsIn(view, lane.title).contains(lane.id));
    }
}

void TestQueueView::panelForwardsSnapshotAndSelection() {
    QueueLabPanel panel;
    panel.resize(kSmall);
    auto* view = panel.findChild<QueueView*>(QStringLiteral("QueueView"));
    auto* chart = panel.findChild<MqRatesChart*>(QStringLiteral("MqRatesChart"));
    QVERIFY(view && chart);
    QCOMPARE(view, panel.queueView());
    QCOMPARE(chart, panel.ratesChart());
    // The picture on top, the chart below.
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(view->geometry().bottom() < chart->mapTo(&panel, QPoint(0, 0)).y());
    auto s = amqpStory();
    panel.setSnapshot(s);
    QCOMPARE(view->snapshot(), std::shared_ptr<const ClusterSnapshot>(s));
    QCOMPARE(chart->rebuildCount(), 1);
    QCOMPARE(chart->series(MqRatesChart::Rate::Publish)->count(), 40);
    panel.setSelectedNode(QStringLiteral("w1"));
    QCOMPARE(view->selectedNode(), QStringLiteral("w1"));
    QSignalSpy spy(&panel, &QueueLabPanel::nodeSelected);
    const QueueViewLayout layout = QueueView::layoutFor(*s, view->rect(), view->font());
    QTest::mouseClick(view, Qt::LeftButton, {}, laneOf(layout, QStringLiteral("w3"))->counts.center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.takeFirst().at(0).toString(), QStringLiteral("w3"));
    fixtures::saveArtifact(panel.grab().toImage(), QStringLiteral("queue_lab_panel"));
}

QTEST_MAIN(TestQueueView)
#include "tst_queue_view.moc"
