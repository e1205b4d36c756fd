#pragma once
// The distributed-lock lab as a teacher projects it: one card per resource with the holder, its fencing
// token and lease countdown, the wait queue (for the ZooKeeper-style lock, the sequential nodes and the
// watch arrows between them), the history of grants with the storage's verdict on each write, and per
// client two lanes over time: when it believed it held the lock, and when the lock service really had
// it as the holder. A conflict found by the mutual-exclusion checker turns the card red and marks the
// overlap on the lanes. For the lease locks, each lock server shows whom it has as the holder by its
// own clock; and the storage lists its recent accesses with the stale writes it refused. The view only
// draws snapshots; it holds no protocol logic.
//
// All geometry comes from one pure function, LockView::layoutFor(), which the tests call without a
// window; painting only fills in the rectangles it returns, eliding text that does not fit, so that
// nothing overlaps whatever the size or the language.
#include <QColor>
#include <QFont>
#include <QRect>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <utility>
#include <vector>

#include "core/session/snapshot.h"
#include "widgets/snapshot_view.h"

class QPainter;

namespace distlab {

// One client's lane on the time axis.
struct LockLaneLayout {
    QString client;
    QRect row;          // the whole lane, label included: a click here selects the client
    QRect label;        // client id and status
    QRect believesBar;  // the band of "believes it holds" intervals, across the plot
    QRect reallyBar;    // the band of "really holds" intervals
};

// A watch arrow in the ZooKeeper-style queue: from a waiter's box to the box it watches, or to the
// parent node's box when `to` is -1 (the naive "watch the parent" variant, which wakes the herd).
struct LockWatchArrow {
    int from = -1;
    int to = -1;
    QPointF start;
    QPointF end;
    bool curved = false;  // drawn as an arc below the boxes when the watched node is not the neighbour
};

struct LockCardLayout {
    int resource = -1;  // index into snapshot.locks.resources
    QRect card;
    QRect header;  // resource name, mode, fencing
    QRect badge;   // the red CONFLICT badge; empty when there is no conflict
    QRect holderText;
    QRect tokenText;
    QRect leaseText;    // empty when no lease is counting down
    QRect leaseBar;     // the full extent of the shrinking bar
    QRect explanation;  // the first conflict's explanation; empty when none or when it does not fit
    QRect queueArea;    // title and boxes
    QRect queueTitle;
    std::vector<QRect> queueBoxes;  // the first queueBoxes.size() entries of the queue
    int queueHidden = 0;            // entries that did not fit ("+N more")
    QRect queueMore;                // where "+N more" goes
    QRect parentBox;                // "/locks/R", when some waiter watches the parent
    std::vector<LockWatchArrow> arrows;
    QRect historyArea;  // title, column headings and rows; empty when it does not fit
    QRect historyHeading;
    std::vector<QRect> historyRows;  // rows for history[firstHistoryRow ...], oldest first
    std::size_t firstHistoryRow = 0;
    // The lease lock's server or Redlock's N servers, each a box with the client it has as the holder,
    // its lease countdown and, when its clock is off, a clock badge. In the left column under the queue
    // when the boxes fit there, else a row across the card above the queue and the history.
    QRect serversArea;  // title and boxes; empty when there are no servers or they did not fit
    QRect serversTitle;
    std::vector<QRect> serverBoxes;  // one per entry of servers, in order
    bool serversBesideHistory = false;
    // The storage's recent accesses, newest at the bottom (first card only: the storage is shared).
    // Dropped first when space is short.
    QRect storageArea;  // title and rows; empty when there are none or they do not fit
    QRect storageTitle;
    std::vector<QRect> storageRows;  // rows for storageLog[firstStorageRow ...], oldest first
    std::size_t firstStorageRow = 0;
    QRect lanesTitle;
    QRect plot;  // the time axis spans plot.left() .. plot.right()
    QRect axis;  // tick labels under the lanes
    std::vector<LockLaneLayout> lanes;
    QRect conflictMarker;  // the first conflict's overlap across the lanes; empty when none
    SimTime t0 = 0;        // the time window of the lanes
    SimTime t1 = 1;

    // The x coordinate of simulated time `t` on the lanes (clamped to the plot).
    double xForTime(SimTime t) const;
};

struct LockViewLayout {
    double fontPx = 13;  // the body text size; headings and lane labels derive from it
    QRect hint;          // the "no lock scenario" hint; empty when the lab is active
    std::vector<LockCardLayout> cards;
};

// The pale fill of a "believes it holds" bar drawn for a client of colour `client`.
QColor lockBelievesColor(QColor client);

class LockView : public SnapshotView {
    Q_OBJECT

public:
    explicit LockView(QWidget* parent = nullptr);
    ~LockView() override;

    // Where everything goes for `snapshot` drawn into `rect` with body text based on `base`.
    // Pure: the paint code and the tests share it.
    static LockViewLayout layoutFor(const ClusterSnapshot& snapshot, const QRect& rect,
                                    const QFont& base = QFont());

    void paintTo(QPainter& painter, const QRect& rect) override;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // A left click emits nodeSelected() (SnapshotView) with the client whose lane, queue box or storage
    // row is under the mouse (for a lock server's box, the client it has as the holder), or an empty
    // string when the click landed elsewhere or on a free server (which also clears the selection).

protected:
    QString nodeAt(const ClusterSnapshot& snapshot, QPointF p) const override;

private:
    void paintCard(QPainter& painter, const LockCardLayout& card, double fontPx);
    void paintHeader(QPainter& painter, const LockCardLayout& card, const LockResourceView& r, double fontPx);
    void paintStatus(QPainter& painter, const LockCardLayout& card, const LockResourceView& r, double fontPx);
    void paintQueue(QPainter& painter, const LockCardLayout& card, const LockResourceView& r, double fontPx);
    void paintHistory(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                      double fontPx);
    void paintLanes(QPainter& painter, const LockCardLayout& card, const LockResourceView& r, double fontPx);
    void paintServers(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                      double fontPx);
    void paintStorage(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                      double fontPx);
    QColor clientColor(int node) const;
};

}  // namespace distlab
