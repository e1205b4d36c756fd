#pragma once
// The space-time diagram of a run (Lamport's diagram, as Maelstrom and ShiViz draw it): time runs to
// the right, one lane per node. Each lane shows its node's transaction phases as coloured bands, its
// pauses hatched, its crashes as red crosses and restarts as green marks, its client operations as thin
// bars; arrows go from each send to its delivery, a dropped message ends in a cross and a duplicate is
// dashed; partitions and cuts shade the lanes they split. Time can be spaced by simulated time or by
// event order ("logical" spacing), which spreads out bursts that happen within one microsecond.
//
// Level of detail: a run of a million events fits on screen. Every kind of item is indexed per lane in
// start order with blocks that know their latest end (core/session/timeline.h), so a frame only reads the
// blocks that reach into the window. What is smaller than a pixel is aggregated per pixel column from the
// data's summaries rather than read item by item: a band row whose bands are mostly narrower than a couple
// of pixels shows in each column the phase that covers most of it, and when more messages are in view than
// can be told apart, each lane shows per column how many messages it sent (above its bands) and received
// (below them) instead of arrows. Client bars narrower than a pixel merge into one column.
//
// Geometry is pure: TimelineScale maps time to x and back (and zooms and pans), layoutFor() places the
// lanes, ruler and legend; paintTo() only fills in what they return.
#include <QColor>
#include <QFont>
#include <QImage>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "core/session/timeline.h"

class QPainter;

namespace distlab {

// The mapping between a position on the time axis (microseconds of simulated time, or a trace event
// index with logical spacing) and an x coordinate.
struct TimelineScale {
    double left = 0;        // x of the plot's left edge
    double width = 1;       // the plot's width in pixels
    double origin = 0;      // the time at `left`
    double unitsPerPx = 1;  // time per pixel (> 0)

    double xForTime(double time) const { return left + (time - origin) / unitsPerPx; }
    double timeForX(double x) const { return origin + (x - left) * unitsPerPx; }
    double visibleStart() const { return origin; }
    double visibleEnd() const { return origin + width * unitsPerPx; }
    // Zooms by `factor` (> 1: in) keeping the time under x where it is, as a wheel step does.
    void zoomAt(double x, double factor);
    // Moves the picture right by dx pixels (a drag to the right shows earlier times).
    void panBy(double dx);
    // Shows [start, end] across the plot, with a small margin on both sides.
    void fit(double start, double end);
    // Tick times, at 1, 2 or 5 times a power of ten, at least minSpacingPx apart, within the plot.
    std::vector<double> ticks(double minSpacingPx) const;
};

struct TimelineLaneLayout {
    QString name;
    QRectF row;    // the whole lane, label included
    QRectF label;  // the node's name, left of the plot
    double centerY = 0;  // where arrows start and end
    QRectF bandStrip;    // the phase bands (divided into rows when transactions overlap)
    QRectF clientBar;    // the thin bar of client operations
};

struct TimelineLayout {
    double fontPx = 14;
    QRectF ruler;   // tick labels above the plot
    QRectF plot;    // the lanes' drawing area, right of the labels
    QRectF legend;  // colour key, below the lanes
    std::vector<TimelineLaneLayout> lanes;

    // The rectangle of band row `slot` of `rowCount` on lane `lane`, from x0 to x1.
    QRectF bandRect(std::size_t lane, std::size_t slot, std::size_t rowCount, double x0, double x1) const;
};

// What is under a point.
struct TimelineHit {
    enum class Kind { None, Lane, Band, Message, Marker, ClientOp, Partition };
    Kind kind = Kind::None;
    std::uint32_t id = 0;  // lane, band, message, marker, client op or partition index
    bool operator==(const TimelineHit&) const = default;
};

QColor txnPhaseColor(TxnPhase phase);

class TimelineView : public QWidget {
    Q_OBJECT

public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    // Stores the data and schedules a repaint; cheap, as it may be called every frame. Until the user
    // zooms or pans, the view keeps the whole run in sight. A selected node stays selected (by name);
    // a selected message or event is forgotten when the data is of another run (it has fewer events).
    void setData(std::shared_ptr<const TimelineData> data);
    // Where the run stands (its time and the trace's length). After a step back it lies before the end of
    // the data, whose rest is the future already run: drawn veiled, right of a line marking the present.
    void setPresent(SimTime time, std::uint64_t traceEvents);
    SimTime presentTime() const { return m_presentTime; }
    bool showsFuture() const;
    std::shared_ptr<const TimelineData> data() const { return m_data; }

    // A moment to point at (a check's evidence): a dashed line across the lanes at simulated time `time`
    // (trace event `eventIndex` with event-order spacing) with `label` at its top. A zoomed-in view scrolls
    // to centre it; a view that follows the whole run shows it where it is. A negative time clears it.
    void setMarkedMoment(SimTime time, std::uint64_t eventIndex, const QString& label);
    SimTime markedTime() const { return m_markTime; }
    // Where the last paintTo() drew the mark (x), or NaN when it drew none.
    double markedX() const { return m_markX; }

    // Event-order spacing (true) or simulated-time spacing (false, the default).
    void setLogicalSpacing(bool logical);
    bool logicalSpacing() const { return m_logical; }

    // Shows the whole run and follows it as it grows (Home key).
    void fitAll();
    bool followsRun() const { return m_autoFit; }
    const TimelineScale& scale() const { return m_scale; }
    // Sets the scale's window (origin and time per pixel); stops following the run.
    void setVisibleRange(double start, double end);
    // Zooms by `factor` around x, as one wheel step does with factor 1.5.
    void zoomAt(double x, double factor);

    // Pure: where everything goes for `data` drawn into `rect` with text based on `base`.
    static TimelineLayout layoutFor(const TimelineData& data, const QRectF& rect, const QFont& base = QFont());
    const TimelineLayout& layout() const { return m_layout; }

    // Paints into `rect` of `painter`'s device; used by paintEvent(), screenshots and tests. Updates
    // layout() and scale() for that rect.
    void paintTo(QPainter& painter, const QRect& rect);

    // What lies under `point` (in the coordinates of the last paintTo()), and its tooltip text.
    TimelineHit hitTest(QPointF point) const;
    QString toolTipFor(const TimelineHit& hit) const;
    // The start and end of an item on the current axis (time or event index).
    std::pair<double, double> spanOf(const TimelineHit& hit) const;
    TimelineHit selection() const { return m_selected; }
    // The simulated time at which the selected message was sent, or the selected band, marker, client
    // operation or partition began; -1 when nothing of the kind is selected.
    SimTime selectedEventTime() const;

    // Where the message `id` (an index into data()->messages) is drawn: its start and end points.
    std::pair<QPointF, QPointF> arrowOf(std::uint32_t id) const;
    // Whether the last paintTo() drew messages as individual arrows (false: per-column counts).
    bool drewArrows() const { return m_drewArrows; }
    std::size_t drawnArrowCount() const { return m_drawnArrows; }
    // How many band rows the last paintTo() drew as per-column dominant phases.
    std::size_t summarizedBandRows() const { return m_summarizedRows; }
    // The pixel columns of the plot, as the last paintTo() laid them out.
    TimelineColumns plotColumns() const;

    QStringList drawnTexts() const;
    const std::vector<std::pair<QString, QRectF>>& drawnTextItems() const { return m_drawn; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    void setSelectedNode(const QString& id);      // does not emit
    void setSelectedMessage(quint64 seq);         // does not emit

signals:
    // Emitted on a left click that is not a drag: a message's sequence number, a node's id (click on its
    // name or an empty part of its lane; empty: nothing), or the trace event index of a band's start,
    // a marker or a client operation's invocation.
    void messageSelected(quint64 seq);
    void nodeSelected(const QString& id);
    void eventSelected(quint64 index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Window {
        double lo = 0;
        double hi = 0;
    };
    double startOf(const TimelineBand& b) const { return m_logical ? b.startIndex : double(b.start); }
    double endOf(const TimelineBand& b) const;
    double startOf(const TimelineMessage& m) const { return m_logical ? m.sendIndex : double(m.sent); }
    double endOf(const TimelineMessage& m) const;
    double startOf(const TimelineClientOp& c) const { return m_logical ? c.startIndex : double(c.start); }
    double endOf(const TimelineClientOp& c) const;
    double blockEnd(const TimelineBlock& block) const;
    double runEnd() const;
    void applyFit();
    void click(QPointF point);

    void paintBackground(QPainter& painter);
    void paintFaults(QPainter& painter);
    void paintBands(QPainter& painter);
    void paintBandSummary(QPainter& painter, std::uint32_t lane, std::size_t slot, std::size_t rowCount);
    // Fills the pixel columns of `strip` from its left edge: column c in colors[c] (unpremultiplied; no
    // alpha: nothing), heights[c] pixels tall from its top edge or, with fromBottom, its bottom edge
    // (no heights: the strip's height).
    void paintColumns(QPainter& painter, const QRectF& strip, const QRgb* colors, const int* heights, bool fromBottom);
    void paintClientOps(QPainter& painter);
    std::size_t messagesInView() const;
    void paintDensity(QPainter& painter);
    void paintArrows(QPainter& painter);
    void paintMarkers(QPainter& painter);
    void paintPresent(QPainter& painter);
    void paintMark(QPainter& painter);
    SimTime m_markTime = -1;
    std::uint64_t m_markEvent = 0;
    QString m_markLabel;
    double m_markX = std::numeric_limits<double>::quiet_NaN();
    SimTime m_presentTime = std::numeric_limits<SimTime>::max();
    std::uint64_t m_presentEvents = std::numeric_limits<std::uint64_t>::max();
    void paintRuler(QPainter& painter);
    void paintLegend(QPainter& painter);
    void drawText(QPainter& painter, const QRectF& rect, int flags, const QString& text);
    QString timeText(double time) const;
    QString laneName(std::uint32_t lane) const;

    std::shared_ptr<const TimelineData> m_data;
    bool m_logical = false;
    bool m_autoFit = true;
    TimelineScale m_scale;
    TimelineLayout m_layout;
    TimelineHit m_selected;
    struct LegendEntries {
        std::uint32_t phases = 0;  // bit per TxnPhase
        bool crash = false, restart = false, pause = false, partition = false;
        bool dropped = false, duplicate = false, clientOps = false;
    };
    LegendEntries m_legend;  // what the data has, so the legend names nothing else
    QString m_selectedNode;  // kept across setData(), for a node selected before its lane exists
    bool m_drewArrows = true;
    std::size_t m_drawnArrows = 0;
    QPointF m_pressPos;
    QPointF m_lastDragPos;
    bool m_pressed = false;
    bool m_dragging = false;
    std::vector<std::pair<QString, QRectF>> m_drawn;
    std::size_t m_summarizedRows = 0;
    // Scratch memory of the per-column summaries, kept from frame to frame.
    std::vector<int> m_density;  // per lane, side and pixel column: message counts
    std::vector<std::uint8_t> m_phases;
    std::vector<double> m_phaseCover;
    std::vector<QRgb> m_columnColors;
    std::vector<QRgb> m_premultiplied;
    std::vector<int> m_heights;
    std::vector<std::uint8_t> m_outcomes;
    std::vector<std::size_t> m_ranks[2];
    QImage m_columnImage;
};

}  // namespace distlab
