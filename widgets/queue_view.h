#pragma once
// The message-queue lab as a teacher projects it, AMQP's picture from left to right: the producer with
// what it published and what the broker has not confirmed yet, the broker with one card per queue (its
// ready messages in queue order, head nearest the consumers, the redelivered ones outlined in orange and
// the poison ones hatched red, and its dead-letter queue as a smaller card underneath), then one lane
// per consumer channel with its prefetch window, the deliveries not yet acknowledged in it, the message
// it is working on and what it acknowledged and applied. In brokerless mode there is no broker: the
// producer pushes straight into each subscriber's bounded buffer, and what a subscriber lost is red.
// A footer reports the effects applied at the ledger and any message the effect checker found applied
// twice. The view only draws snapshots; it holds no protocol logic.
//
// All geometry comes from one pure function, QueueView::layoutFor(), which the tests call without a
// window; painting fills in the rectangles it returns and elides text that does not fit, so that nothing
// overlaps whatever the size or the language.
#include <QColor>
#include <QFont>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <array>
#include <memory>
#include <utility>
#include <vector>

#include "core/session/snapshot.h"
#include "widgets/snapshot_view.h"

class QPainter;

namespace distlab {

// A row (or a grid) of message boxes: boxes[i] shows the i-th message of the row's source list.
struct MqBoxRowLayout {
    QRect area;                // where the boxes may go
    std::vector<QRect> boxes;  // the first boxes.size() messages
    int hidden = 0;            // messages that did not fit, counted from the source's total
    QRect more;                // where "+N more" goes; empty when nothing is hidden
};

struct MqProducerLayout {
    int producer = -1;  // index into snapshot.mq.producers
    QRect box;          // the whole box: a click here selects the producer
    QRect title;        // colour dot and id
    QRect badge;        // "crashed" / "paused"; empty while up
    std::vector<QRect> lines;  // published, confirmed, still to send (brokerless: pushed, note)
    QRect waitingTitle;        // "waiting for confirms"; empty in brokerless mode or when none wait
    MqBoxRowLayout unconfirmed;
};

struct MqQueueCardLayout {
    int queue = -1;  // index into snapshot.mq.queues
    bool deadLetter = false;
    QRect card;
    QRect title;  // the queue's name
    QRect badge;  // "durable" / "transient"
    // Main queues: ready, unacked, redelivered, dead-lettered; each tile a number above its label.
    // Dead-letter queues have none: their header says how many messages they hold.
    std::array<QRect, 4> tiles{};
    QRect countText;  // dead-letter queues: "N messages"
    QRect lostText;   // "lost in a broker restart: N"; empty when none were lost
    QRect readyTitle;
    QRect headMark;  // "head →" on the right of the title
    MqBoxRowLayout ready;  // right to left: boxes[0] is the head, at the right end
};

struct MqLaneLayout {
    int consumer = -1;  // index into snapshot.mq.consumers; -1 for a channel without a consumer entry
    int queue = -1;     // the queue and channel the lane's window shows; -1 when none
    int channel = -1;
    QString id;
    QRect row;    // the whole lane: a click here selects the consumer
    QRect title;  // colour dot and id
    QRect badge;  // "crashed" / "paused" / "removed"; empty while up
    QRect info;   // "prefetch 3 · idempotent", right-aligned
    QRect window;               // the frame around the slots (prefetch window or inbox buffer)
    std::vector<QRect> places;  // one per prefetch (or buffer) place shown; empty when unlimited
    int placesHidden = 0;       // places that did not fit
    MqBoxRowLayout boxes;       // unacked deliveries (brokerless: the inbox), in the slots when there are
    QRect processingLabel;      // "working on"; empty when the lane is too narrow for it
    QRect processingBox;        // where the message being processed goes ("idle" when there is none)
    QRect counts;               // acked / effects / skipped (brokerless: received / effects / lost)
};

struct MqArrowLayout {
    QPointF from;
    QPointF to;
    bool dashed = false;  // towards or from a crashed node
};

struct QueueViewLayout {
    double fontPx = 13;  // the body text size
    QRect hint;          // the hint when the lab is off or empty; empty otherwise
    bool brokerless = false;
    QSize boxSize;  // every message box has this size
    QRect producersTitle;
    QRect brokerFrame;  // the broker and its queues (amqp); a click here selects the broker
    QRect brokerTitle;
    QRect middleTitle;  // brokerless: "direct push, no broker"
    QRect consumersTitle;
    std::vector<MqProducerLayout> producers;
    int producersHidden = 0;
    QRect producersMore;
    std::vector<MqQueueCardLayout> queues;  // main cards each followed by their dead-letter card
    int queuesHidden = 0;
    QRect queuesMore;
    std::vector<MqLaneLayout> lanes;
    int lanesHidden = 0;
    QRect lanesMore;
    std::vector<MqArrowLayout> arrows;
    QRect footer;
    QRect effectsText;     // "Effects applied at the ledger: N"
    QRect verdictText;     // right of it: "no message applied twice" or the confirmed messages lost
    QRect duplicatesText;  // the effect checker's finding; empty when there is none
    int textsCut = 0;      // labels and counts that are too long for their place and will be elided
};

// The outline of a box whose message was redelivered, and of the redeliver series in the rates chart.
QColor mqRedeliveredColor();

class QueueView : public SnapshotView {
    Q_OBJECT

public:
    explicit QueueView(QWidget* parent = nullptr);
    ~QueueView() override;

    // Where everything goes for `snapshot` drawn into `rect` with body text based on `base`.
    // Pure: the paint code and the tests share it.
    static QueueViewLayout layoutFor(const ClusterSnapshot& snapshot, const QRect& rect,
                                     const QFont& base = QFont());

    void paintTo(QPainter& painter, const QRect& rect) override;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // A left click emits nodeSelected() (SnapshotView) with the producer, consumer or broker under the
    // mouse, or an empty string when the click landed elsewhere (which also clears the selection).

protected:
    QString nodeAt(const ClusterSnapshot& snapshot, QPointF p) const override;

private:
    void paintProducer(QPainter& painter, const QueueViewLayout& layout, const MqProducerLayout& p);
    void paintBroker(QPainter& painter, const QueueViewLayout& layout);
    void paintQueueCard(QPainter& painter, const QueueViewLayout& layout, const MqQueueCardLayout& card);
    void paintLane(QPainter& painter, const QueueViewLayout& layout, const MqLaneLayout& lane);
    void paintFooter(QPainter& painter, const QueueViewLayout& layout);
    void paintBox(QPainter& painter, const QRect& box, const MqMessageBox& message, double f,
                  QColor outline = QColor());
    void paintMore(QPainter& painter, const MqBoxRowLayout& row, double f, Qt::Alignment align);
    void paintBadge(QPainter& painter, const QRect& rect, NodeStatus status, double f);
    QColor colorOf(int node, NodeStatus status) const;
};

}  // namespace distlab
