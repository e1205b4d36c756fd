#pragma once
// The Counter tab: the verdict badge on top ("linearizable so far", or the first failing check of the
// counter with its explanation), then one card per key with the freshest committed value, the range the
// clients' increments require (acknowledged ones must all be in it, unknown ones may be) and the value each
// replica holds on its disk; below, a Qt Charts line of the selected key over simulated time. Clicking the
// badge asks for the failing check's evidence (the window moves the time slider and marks the timeline);
// clicking a card charts its key. Above them, the "Break it" bar: one toggle per switch of the counter
// (counter_switches.h), which gives the console command `break NAME on|off`, so that time travel and the
// command log keep it; the toggles follow the snapshot. The view holds no protocol logic: it draws
// snapshots.
//
// All geometry comes from CounterBoard::layoutFor(), a pure function the tests call without a window.
#include <QRect>
#include <QWidget>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/session/snapshot.h"
#include "widgets/snapshot_view.h"

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QToolButton;
class QValueAxis;

namespace distlab {

struct CounterCardLayout {
    int key = -1;  // index into snapshot.counter.keys
    QRect card;
    QRect title;     // the key's name
    QRect value;     // the committed value, large
    QRect required;  // "required 40 – 43"
    QRect verdict;   // "exact" or "lost / doubled"
    std::vector<QRect> replicas;  // one box per replica, in order
};

struct CounterBoardLayout {
    double fontPx = 13;
    QRect hint;    // "no counter scenario"; empty when the lab is active
    QRect badge;   // the verdict
    QRect broken;  // the switches that are on; empty when none
    std::vector<CounterCardLayout> cards;
};

// The verdict the badge shows: the first failing check of the counter lab, if any.
struct CounterVerdict {
    enum class State { Pending, Linearizable, Violated } state = State::Pending;
    std::optional<CheckResult> failing;
};
CounterVerdict counterVerdict(const ClusterSnapshot& snapshot);

class CounterBoard : public SnapshotView {
    Q_OBJECT

public:
    explicit CounterBoard(QWidget* parent = nullptr);
    static CounterBoardLayout layoutFor(const ClusterSnapshot& snapshot, const QRect& rect, const QFont& base = QFont());
    void paintTo(QPainter& painter, const QRect& rect) override;
    QSize sizeHint() const override { return {640, 300}; }
    QSize minimumSizeHint() const override { return {320, 180}; }
    int selectedKey() const { return m_key; }
    void setSelectedKey(int key);

signals:
    void verdictActivated(const distlab::CheckResult& check);
    void keySelected(int key);

protected:
    QString nodeAt(const ClusterSnapshot& snapshot, QPointF p) const override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    int m_key = 0;
};

class CounterPanel : public QWidget {
    Q_OBJECT

public:
    explicit CounterPanel(QWidget* parent = nullptr);
    ~CounterPanel() override;
    void setSnapshot(std::shared_ptr<const distlab::ClusterSnapshot> snapshot);
    CounterBoard* board() const { return m_board; }
    QChart* chart() const { return m_chart; }
    // The chart's lines: the committed value, the acknowledged sum, and that sum plus the unknown increments.
    QLineSeries* committedSeries() const { return m_committed; }
    QLineSeries* ackedSeries() const { return m_acked; }
    QLineSeries* possibleSeries() const { return m_possible; }
    // The "Break it" toggle of a switch ("dedup", "3pc", ...), or nullptr.
    QToolButton* switchButton(std::string_view name) const;
    std::vector<std::string> switchNames() const;  // the break-it buttons' switches, in their order
    QWidget* switchBar() const { return m_switchBar; }

public slots:
    void setSelectedNode(const QString& id);

signals:
    void nodeSelected(const QString& id);
    void verdictActivated(const distlab::CheckResult& check);
    // A console command: "break dedup on".
    void commandRequested(const QString& command);

protected:
    void changeEvent(QEvent* event) override;

private:
    // Redraws the chart when the chosen key's samples changed or time moved on by about a pixel; a snapshot
    // arrives up to 60 times a second and most change neither.
    void rebuildChart(bool force = false);
    void syncSwitches();
    void retranslate();

    CounterBoard* m_board = nullptr;
    QWidget* m_switchBar = nullptr;
    QLabel* m_switchLabel = nullptr;
    std::vector<QToolButton*> m_switchButtons;  // in switchNames() order
    QChartView* m_view = nullptr;
    QChart* m_chart = nullptr;
    QLineSeries* m_committed = nullptr;
    QLineSeries* m_acked = nullptr;
    QLineSeries* m_possible = nullptr;
    QValueAxis* m_timeAxis = nullptr;
    QValueAxis* m_valueAxis = nullptr;
    std::shared_ptr<const ClusterSnapshot> m_snapshot;
    struct Drawn {  // what the chart shows now
        bool valid = false;
        std::string key;
        std::size_t samples = 0;
        CounterSample last;
        double end = 0;
    } m_drawn;
};

}  // namespace distlab
