#include "widgets/timeline_view.h"

#include <QHelpEvent>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>

#include "widgets/palette.h"

namespace distlab {

namespace {

constexpr double kWheelStep = 1.5;        // zoom per wheel notch, as PulseView
constexpr double kDragThresholdPx = 4;    // a press that moves less is a click
constexpr std::size_t kArrowsMax = 3000;  // more messages in view than this: per-column counts
// A band row with more bands in view than a band per this many pixels shows per-column dominant phases.
constexpr double kBandSummaryPx = 2;
// The same for a lane's client operations, which are drawn at least 2 px wide with a pixel between them.
constexpr double kClientOpSummaryPx = 3;
constexpr double kHitSlopPx = 5;
constexpr double kUnitsPerPxMin = 1e-3;   // a nanosecond (or a thousandth of an event) per pixel
constexpr double kLaneHeightMax = 120;
constexpr double kDropStubPx = 14;        // a message dropped where it was sent still shows a stub

const QColor kBackground(0xff, 0xff, 0xff);
const QColor kLaneTint(0xf4, 0xf6, 0xf8);
const QColor kLaneLine(0x90, 0x98, 0xa0);
const QColor kText(0x20, 0x24, 0x28);
const QColor kSubtleText(0x55, 0x5b, 0x62);
const QColor kDensity(0x2c, 0x3e, 0x66);
const QColor kRestart(0x1b, 0x8a, 0x3c);
const QColor kSelection(0x1f, 0x5f, 0xd0);
const QColor kFutureVeil(0xff, 0xff, 0xff, 0x9c);  // over the future already run, after a step back

QColor outcomeColor(ClientOutcome outcome) {
    switch (outcome) {
        case ClientOutcome::Ok: return QColor(0x2e, 0x7d, 0x32);
        case ClientOutcome::Fail: return QColor(0xc6, 0x28, 0x28);
        case ClientOutcome::Unknown: return QColor(0x8e, 0x44, 0xad);
        case ClientOutcome::Open: break;
    }
    return QColor(0x60, 0x7d, 0x8b);
}

// One row of a column image: column c is color[c] where it is at least `level` pixels tall, else clear.
// The pointers do not overlap and the blocks have a fixed length, so the compiler vectorises it at -O2.
void fillColumnRow(QRgb* __restrict row, const int* __restrict heights, const QRgb* __restrict color, std::size_t n,
                   int level) {
    std::size_t c = 0;
    for (; c + 8 <= n; c += 8)
        for (std::size_t k = c; k < c + 8; ++k) row[k] = color[k] & (0u - QRgb(heights[k] >= level));
    for (; c < n; ++c) row[c] = heights[c] >= level ? color[c] : 0;
}

double clampX(double x, const QRectF& plot) { return std::clamp(x, plot.left() - 2, plot.right() + 2); }

// Distance from p to the segment ab.
double segmentDistance(QPointF p, QPointF a, QPointF b) {
    const QPointF ab = b - a;
    const double len2 = QPointF::dotProduct(ab, ab);
    double t = len2 > 0 ? QPointF::dotProduct(p - a, ab) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const QPointF d = p - (a + t * ab);
    return std::hypot(d.x(), d.y());
}

// Visits the items of a series whose span may reach into [lo, hi], skipping blocks that end before lo;
// stops at the first item that starts after hi. `visit` returns false to stop early.
template <class StartOf, class BlockEnd, class Visit>
void visitSeries(const std::vector<std::uint32_t>* items, std::size_t count,
                 const std::vector<TimelineBlock>& blocks, double lo, double hi, StartOf startOf,
                 BlockEnd blockEnd, Visit visit) {
    for (std::size_t b = 0; b < blocks.size(); ++b) {
        const std::size_t first = b * kTimelineBlockSize;
        const std::size_t last = std::min(count, first + kTimelineBlockSize);
        if (first >= last) break;
        const std::uint32_t firstItem = items ? (*items)[first] : static_cast<std::uint32_t>(first);
        if (startOf(firstItem) > hi) return;
        if (blockEnd(blocks[b]) < lo) continue;
        for (std::size_t i = first; i < last; ++i) {
            const std::uint32_t item = items ? (*items)[i] : static_cast<std::uint32_t>(i);
            if (startOf(item) > hi) return;
            if (!visit(item)) return;
        }
    }
}

}  // namespace

// --- TimelineScale -------------------------------------------------------------------------------------

void TimelineScale::zoomAt(double x, double factor) {
    if (!(factor > 0)) return;
    const double anchor = timeForX(x);
    unitsPerPx = std::max(kUnitsPerPxMin, unitsPerPx / factor);
    origin = anchor - (x - left) * unitsPerPx;
}

void TimelineScale::panBy(double dx) { origin -= dx * unitsPerPx; }

void TimelineScale::fit(double start, double end) {
    if (!(end > start)) end = start + 1;
    const double margin = (end - start) * 0.02;
    unitsPerPx = std::max(kUnitsPerPxMin, (end - start + 2 * margin) / std::max(1.0, width));
    origin = start - margin;
}

std::vector<double> TimelineScale::ticks(double minSpacingPx) const {
    std::vector<double> out;
    const double minStep = std::max(1e-9, unitsPerPx * minSpacingPx);
    const double power = std::pow(10.0, std::floor(std::log10(minStep)));
    double step = power;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * power;
        if (step >= minStep) break;
    }
    const double first = std::ceil(visibleStart() / step) * step;
    for (double t = first; t <= visibleEnd() && out.size() < 1000; t += step) out.push_back(t);
    return out;
}

// --- layout -------------------------------------------------------------------------------------------

QRectF TimelineLayout::bandRect(std::size_t lane, std::size_t slot, std::size_t rowCount, double x0, double x1) const {
    const QRectF& strip = lanes.at(lane).bandStrip;
    const double h = strip.height() / double(std::max<std::size_t>(1, rowCount));
    return QRectF(x0, strip.top() + h * double(slot), x1 - x0, h);
}

QColor txnPhaseColor(TxnPhase phase) {
    switch (phase) {
        case TxnPhase::Init: return QColor(0xa8, 0xa8, 0xa8);
        case TxnPhase::Wait: return QColor(0xf5, 0xc2, 0x42);
        case TxnPhase::Ready: return QColor(0xe6, 0x9a, 0x00);
        case TxnPhase::PreCommit: return QColor(0x8c, 0xc8, 0xef);
        case TxnPhase::Commit: return QColor(0x2e, 0xa0, 0x4f);
        case TxnPhase::Abort: return QColor(0xd7, 0x30, 0x27);
        case TxnPhase::End: return QColor(0xe3, 0xe0, 0xd6);
        case TxnPhase::SagaRunning: return QColor(0x56, 0x9a, 0xd8);
        case TxnPhase::SagaCompensating: return QColor(0xe0, 0x70, 0x2a);
        case TxnPhase::SagaDone: return QColor(0x7b, 0xc4, 0x7f);
        case TxnPhase::SagaAborted: return QColor(0xb0, 0x3a, 0x48);
        case TxnPhase::Other: break;
    }
    return QColor(0xc8, 0xb8, 0xe0);
}

TimelineLayout TimelineView::layoutFor(const TimelineData& data, const QRectF& rect, const QFont& base) {
    TimelineLayout layout;
    // Large enough to read from the back of a classroom, smaller only when the window is small.
    layout.fontPx = std::clamp(rect.height() / 38.0, 11.0, 17.0);
    QFont font = base;
    font.setPixelSize(int(layout.fontPx));
    const QFontMetricsF metrics(font);
    double labelWidth = std::max({metrics.horizontalAdvance(QStringLiteral("n000")),
                                  metrics.horizontalAdvance(tr("event order")), metrics.horizontalAdvance(tr("time"))});
    for (const TimelineLane& lane : data.lanes)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(QString::fromStdString(lane.name)));
    labelWidth = std::min(labelWidth + layout.fontPx * 1.2, rect.width() * 0.25);
    const double rulerH = layout.fontPx * 2.0;
    const double legendH = layout.fontPx * 2.2;
    layout.ruler = QRectF(rect.left() + labelWidth, rect.top(), rect.width() - labelWidth - 8, rulerH);
    layout.legend = QRectF(rect.left() + 4, rect.bottom() - legendH, rect.width() - 8, legendH);
    const double top = layout.ruler.bottom();
    const double available = std::max(1.0, layout.legend.top() - 4 - top);
    const double laneH =
        data.lanes.empty() ? kLaneHeightMax : std::min(kLaneHeightMax, available / double(data.lanes.size()));
    layout.plot = QRectF(layout.ruler.left(), top, layout.ruler.width(), laneH * double(data.lanes.size()));
    for (std::size_t i = 0; i < data.lanes.size(); ++i) {
        TimelineLaneLayout lane;
        lane.name = QString::fromStdString(data.lanes[i].name);
        lane.row = QRectF(rect.left(), top + laneH * double(i), layout.plot.right() - rect.left(), laneH);
        lane.label = QRectF(rect.left() + 6, lane.row.top(), labelWidth - 12, laneH);
        lane.centerY = lane.row.center().y();
        const double strip = laneH * 0.42;
        lane.bandStrip = QRectF(layout.plot.left(), lane.centerY - strip / 2, layout.plot.width(), strip);
        const double barH = std::max(2.0, std::min(6.0, laneH * 0.07));
        lane.clientBar = QRectF(layout.plot.left(), lane.bandStrip.bottom() + laneH * 0.06, layout.plot.width(), barH);
        layout.lanes.push_back(lane);
    }
    return layout;
}

// --- the widget ---------------------------------------------------------------------------------------

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

TimelineView::~TimelineView() = default;

QSize TimelineView::sizeHint() const { return {900, 360}; }
QSize TimelineView::minimumSizeHint() const { return {300, 140}; }

void TimelineView::setData(std::shared_ptr<const TimelineData> data) {
    const bool otherRun = !m_data || !data || data->eventCount < m_data->eventCount;
    m_data = std::move(data);
    m_legend = {};
    if (m_data) {
        // The legend names only what this run has: the data keeps that for bands and messages, and
        // markers are few.
        m_legend.phases = m_data->phasesSeen;
        for (const TimelineMarker& marker : m_data->markers) {
            m_legend.crash |= marker.kind == TimelineMarkerKind::Crash;
            m_legend.restart |= marker.kind == TimelineMarkerKind::Restart;
            m_legend.pause |= marker.kind == TimelineMarkerKind::Pause;
        }
        m_legend.dropped = m_data->anyDropped;
        m_legend.duplicate = m_data->anyDuplicate;
        m_legend.partition = !m_data->partitions.empty();
        m_legend.clientOps = !m_data->clientOps.empty();
    }
    if (otherRun || m_selected.kind == TimelineHit::Kind::Lane || m_selected.kind == TimelineHit::Kind::None) {
        // Item ids of another run mean other items; a lane is found again by its node's name.
        m_selected = {};
        if (m_data && !m_selectedNode.isEmpty()) {
            for (std::size_t i = 0; i < m_data->lanes.size(); ++i)
                if (QString::fromStdString(m_data->lanes[i].name) == m_selectedNode) {
                    m_selected = {TimelineHit::Kind::Lane, std::uint32_t(i)};
                    break;
                }
        }
    }
    update();
}

SimTime TimelineView::selectedEventTime() const {
    if (!m_data) return -1;
    const std::uint32_t id = m_selected.id;
    switch (m_selected.kind) {
        case TimelineHit::Kind::Message: return id < m_data->messages.size() ? m_data->messages[id].sent : -1;
        case TimelineHit::Kind::Band: return id < m_data->bands.size() ? m_data->bands[id].start : -1;
        case TimelineHit::Kind::Marker: return id < m_data->markers.size() ? m_data->markers[id].time : -1;
        case TimelineHit::Kind::ClientOp: return id < m_data->clientOps.size() ? m_data->clientOps[id].start : -1;
        case TimelineHit::Kind::Partition: return id < m_data->partitions.size() ? m_data->partitions[id].start : -1;
        case TimelineHit::Kind::Lane:
        case TimelineHit::Kind::None: break;
    }
    return -1;
}

double TimelineView::endOf(const TimelineBand& b) const {
    return m_logical ? double(m_data->endIndexOf(b.endIndex)) : double(m_data->endOf(b.end));
}
double TimelineView::endOf(const TimelineMessage& m) const {
    return m_logical ? double(m_data->endIndexOf(m.endIndex)) : double(m_data->endOf(m.end));
}
double TimelineView::endOf(const TimelineClientOp& c) const {
    return m_logical ? double(m_data->endIndexOf(c.endIndex)) : double(m_data->endOf(c.end));
}
double TimelineView::blockEnd(const TimelineBlock& block) const {
    if (block.open > 0) return runEnd();
    return m_logical ? double(block.maxEndIndex) : double(block.maxEnd);
}
double TimelineView::runEnd() const {
    if (!m_data) return 1;
    return m_logical ? double(m_data->eventCount) : double(m_data->now);
}

void TimelineView::applyFit() { m_scale.fit(0, std::max(1.0, runEnd())); }

void TimelineView::fitAll() {
    m_autoFit = true;
    applyFit();
    update();
}

void TimelineView::setVisibleRange(double start, double end) {
    m_autoFit = false;
    m_scale.origin = start;
    m_scale.unitsPerPx = std::max(kUnitsPerPxMin, (end - start) / std::max(1.0, m_scale.width));
    update();
}

void TimelineView::zoomAt(double x, double factor) {
    m_autoFit = false;
    m_scale.zoomAt(x, factor);
    update();
}

void TimelineView::setLogicalSpacing(bool logical) {
    if (logical == m_logical) return;
    // Keep the same stretch of the run in view: map the window's edges through the messages' sends,
    // which are sorted both by time and by event index.
    if (!m_autoFit && m_data && !m_data->messages.empty()) {
        const auto& ms = m_data->messages;
        auto convert = [&](double v) {
            auto it = logical ? std::lower_bound(ms.begin(), ms.end(), v,
                                                 [](const TimelineMessage& m, double t) { return double(m.sent) < t; })
                              : std::lower_bound(ms.begin(), ms.end(), v, [](const TimelineMessage& m, double i) {
                                    return double(m.sendIndex) < i;
                                });
            if (it == ms.end()) return logical ? double(m_data->eventCount) : double(m_data->now);
            return logical ? double(it->sendIndex) : double(it->sent);
        };
        const double lo = convert(m_scale.visibleStart());
        const double hi = std::max(lo + 1, convert(m_scale.visibleEnd()));
        m_logical = logical;
        m_scale.origin = lo;
        m_scale.unitsPerPx = std::max(kUnitsPerPxMin, (hi - lo) / std::max(1.0, m_scale.width));
    } else {
        m_logical = logical;
        if (m_autoFit) applyFit();
    }
    update();
}

void TimelineView::setSelectedNode(const QString& id) {
    m_selected = {};
    m_selectedNode = id;
    if (m_data) {
        for (std::size_t i = 0; i < m_data->lanes.size(); ++i)
            if (QString::fromStdString(m_data->lanes[i].name) == id) m_selected = {TimelineHit::Kind::Lane, std::uint32_t(i)};
    }
    update();
}

void TimelineView::setSelectedMessage(quint64 seq) {
    m_selected = {};
    if (m_data) {
        for (std::size_t i = 0; i < m_data->messages.size(); ++i)
            if (m_data->messages[i].seq == seq) {
                m_selected = {TimelineHit::Kind::Message, std::uint32_t(i)};
                break;
            }
    }
    update();
}

QString TimelineView::laneName(std::uint32_t lane) const {
    if (!m_data || lane >= m_data->lanes.size()) return QStringLiteral("?");
    return QString::fromStdString(m_data->lanes[lane].name);
}

QString TimelineView::timeText(double time) const {
    if (m_logical) return tr("event #%1").arg(qint64(std::llround(time)));
    return tr("%1 ms").arg(time / 1000.0, 0, 'f', 1);
}

// --- painting -----------------------------------------------------------------------------------------

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    paintTo(painter, rect());
}

void TimelineView::setPresent(SimTime time, std::uint64_t traceEvents) {
    if (time == m_presentTime && traceEvents == m_presentEvents) return;
    const bool before = showsFuture();
    m_presentTime = time;
    m_presentEvents = traceEvents;
    if (before || showsFuture()) update();
}

bool TimelineView::showsFuture() const {
    return m_data && (m_presentEvents < m_data->eventCount || m_presentTime < m_data->now);
}

void TimelineView::paintPresent(QPainter& painter) {
    // After a step back the diagram still shows the future already run, veiled, right of a line at the
    // present: playing on replays exactly that.
    if (!showsFuture()) return;
    const double x = m_scale.xForTime(m_logical ? double(m_presentEvents) : double(m_presentTime));
    const QRectF plot = m_layout.plot;
    if (x > plot.right()) return;
    const double left = std::max(x, plot.left());
    painter.fillRect(QRectF(left, plot.top(), plot.right() - left + 1, plot.height()), kFutureVeil);
    if (x < plot.left()) return;
    painter.setPen(QPen(kSelection, 2));
    painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    const QString label = tr("now");
    const QFontMetricsF metrics(painter.font());
    const QRectF box(x + 3, plot.top() + 2, metrics.horizontalAdvance(label) + 8, metrics.height() + 2);
    painter.fillRect(box, kSelection);
    painter.setPen(kBackground);
    drawText(painter, box, Qt::AlignCenter, label);
}

void TimelineView::setMarkedMoment(SimTime time, std::uint64_t eventIndex, const QString& label) {
    m_markTime = time;
    m_markEvent = eventIndex;
    m_markLabel = label;
    if (time >= 0 && !m_autoFit) {
        const double at = m_logical ? double(eventIndex) : double(time);
        const double span = m_scale.visibleEnd() - m_scale.visibleStart();
        if (at < m_scale.visibleStart() || at > m_scale.visibleEnd()) setVisibleRange(at - span / 2, at + span / 2);
    }
    update();
}

void TimelineView::paintMark(QPainter& painter) {
    m_markX = std::numeric_limits<double>::quiet_NaN();
    if (m_markTime < 0) return;
    const double x = m_scale.xForTime(m_logical ? double(m_markEvent) : double(m_markTime));
    const QRectF plot = m_layout.plot;
    if (x < plot.left() || x > plot.right()) return;
    m_markX = x;
    const QColor ink = faultColor();
    painter.setPen(QPen(ink, 2, Qt::DashLine));
    painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    if (m_markLabel.isEmpty()) return;
    const QFontMetricsF metrics(painter.font());
    const double width = metrics.horizontalAdvance(m_markLabel) + 8;
    // Right of the line, or left of it near the plot's right edge.
    const double left = x + 3 + width <= plot.right() ? x + 3 : x - 3 - width;
    const QRectF box(left, plot.bottom() - metrics.height() - 4, width, metrics.height() + 2);
    painter.fillRect(box, ink);
    painter.setPen(kBackground);
    drawText(painter, box, Qt::AlignCenter, m_markLabel);
}

void TimelineView::paintTo(QPainter& painter, const QRect& rect) {
    m_drawn.clear();
    m_drawnArrows = 0;
    m_summarizedRows = 0;
    static const TimelineData kEmpty;
    const TimelineData& data = m_data ? *m_data : kEmpty;
    m_layout = layoutFor(data, rect, font());
    m_scale.left = m_layout.plot.left();
    m_scale.width = std::max(1.0, m_layout.plot.width());
    if (m_autoFit) applyFit();

    painter.save();
    painter.fillRect(rect, kBackground);
    QFont f = font();
    f.setPixelSize(int(m_layout.fontPx));
    painter.setFont(f);
    paintBackground(painter);
    if (m_data) {
        painter.save();
        painter.setClipRect(m_layout.plot.adjusted(0, 0, 1, 1));
        paintFaults(painter);
        // Counts go under the bands and client bars, which they do not overlap; arrows go over them.
        m_drewArrows = messagesInView() <= kArrowsMax;
        if (!m_drewArrows) paintDensity(painter);
        paintBands(painter);
        paintClientOps(painter);
        if (m_drewArrows) paintArrows(painter);
        paintMarkers(painter);
        paintPresent(painter);
        paintMark(painter);
        painter.restore();
    }
    paintRuler(painter);
    paintLegend(painter);
    if (data.lanes.empty()) {
        painter.setPen(kSubtleText);
        drawText(painter, m_layout.plot.isEmpty() ? QRectF(rect) : m_layout.plot, Qt::AlignCenter,
                 tr("No events yet: run the simulation to draw its space-time diagram."));
    } else if (data.truncated) {
        painter.setPen(faultColor());
        drawText(painter, QRectF(m_layout.ruler.right() - 420, m_layout.ruler.top(), 420, m_layout.ruler.height() / 2),
                 Qt::AlignRight | Qt::AlignTop, tr("the trace stopped recording: only the start of the run"));
    }
    painter.restore();
}

void TimelineView::drawText(QPainter& painter, const QRectF& rect, int flags, const QString& text) {
    const QString shown = painter.fontMetrics().elidedText(text, Qt::ElideRight, int(rect.width()));
    if (shown.isEmpty()) return;
    QRectF used;
    painter.drawText(rect, flags, shown, &used);
    m_drawn.emplace_back(shown, used);
}

QStringList TimelineView::drawnTexts() const {
    QStringList out;
    for (const auto& item : m_drawn) out << item.first;
    return out;
}

void TimelineView::paintBackground(QPainter& painter) {
    const QFont base = painter.font();
    for (std::size_t i = 0; i < m_layout.lanes.size(); ++i) {
        const TimelineLaneLayout& lane = m_layout.lanes[i];
        const bool selected = m_selected.kind == TimelineHit::Kind::Lane && m_selected.id == i;
        if (i % 2 == 0) painter.fillRect(lane.row, kLaneTint);
        if (selected) painter.fillRect(lane.row, QColor(kSelection.red(), kSelection.green(), kSelection.blue(), 28));
        painter.setPen(QPen(kLaneLine, 1));
        painter.drawLine(QPointF(m_layout.plot.left(), lane.centerY), QPointF(m_layout.plot.right(), lane.centerY));
        if (lane.row.height() >= 9) {
            QFont f = base;
            f.setBold(true);
            f.setPixelSize(int(std::min(m_layout.fontPx, lane.row.height() * 0.8)));
            painter.setFont(f);
            painter.setPen(selected ? kSelection : kText);
            drawText(painter, lane.label, Qt::AlignVCenter | Qt::AlignLeft, lane.name);
        }
    }
    painter.setFont(base);
    painter.setPen(QPen(kLaneLine, 1));
    painter.drawLine(m_layout.plot.topLeft(), m_layout.plot.bottomLeft());
}

void TimelineView::paintFaults(QPainter& painter) {
    const TimelineData& data = *m_data;
    const QRectF& plot = m_layout.plot;
    const double lo = m_scale.visibleStart();
    const double hi = m_scale.visibleEnd();
    // Partitions: each group's lanes tinted in its own colour over the span; a cut hatches its sender.
    for (const TimelinePartition& span : data.partitions) {
        const double s = m_logical ? span.startIndex : double(span.start);
        const double e = m_logical ? double(data.endIndexOf(span.endIndex)) : double(data.endOf(span.end));
        if (e < lo || s > hi) continue;
        const double x0 = clampX(m_scale.xForTime(s), plot);
        const double x1 = std::max(x0 + 2, clampX(m_scale.xForTime(e), plot));
        if (span.oneWay) {
            if (span.from >= m_layout.lanes.size()) continue;
            const QRectF row = m_layout.lanes[span.from].row;
            QColor c = faultColor();
            c.setAlpha(60);
            painter.fillRect(QRectF(x0, row.top(), x1 - x0, row.height()), QBrush(c, Qt::FDiagPattern));
            continue;
        }
        for (std::size_t g = 0; g < span.groups.size(); ++g) {
            for (std::uint32_t lane : span.groups[g]) {
                if (lane >= m_layout.lanes.size()) continue;
                const QRectF row = m_layout.lanes[lane].row;
                painter.fillRect(QRectF(x0, row.top(), x1 - x0, row.height()), partitionTint(int(g)));
            }
        }
        QPen edge(faultColor(), 2, Qt::DashLine);
        painter.setPen(edge);
        painter.drawLine(QPointF(x0, plot.top()), QPointF(x0, plot.bottom()));
        if (span.end != kTimelineOpen) painter.drawLine(QPointF(x1, plot.top()), QPointF(x1, plot.bottom()));
    }
    // Pauses: the lane hatched grey from the pause to the resume.
    for (const TimelineMarker& m : data.markers) {
        if (m.kind != TimelineMarkerKind::Pause || m.lane >= m_layout.lanes.size()) continue;
        const double s = m_logical ? m.index : double(m.time);
        const double e = m_logical ? double(data.endIndexOf(m.endIndex))
                                   : double(m.endIndex == kTimelineOpenIndex ? std::min(m.end, data.now) : m.end);
        if (e < lo || s > hi) continue;
        const double x0 = clampX(m_scale.xForTime(s), plot);
        const double x1 = std::max(x0 + 2, clampX(m_scale.xForTime(e), plot));
        const QRectF row = m_layout.lanes[m.lane].row.adjusted(0, 2, 0, -2);
        const QRectF span(x0, row.top(), x1 - x0, row.height());
        painter.fillRect(span, QColor(0x80, 0x80, 0x80, 40));
        painter.fillRect(span, QBrush(QColor(0x60, 0x60, 0x60, 150), Qt::BDiagPattern));
    }
}

void TimelineView::paintBands(QPainter& painter) {
    const TimelineData& data = *m_data;
    const QRectF& plot = m_layout.plot;
    const double lo = m_scale.visibleStart();
    const double hi = m_scale.visibleEnd();
    painter.setPen(Qt::NoPen);
    for (std::uint32_t lane = 0; lane < data.lanes.size(); ++lane) {
        const std::size_t rowCount = data.bandSlotCount(lane);
        for (std::size_t slot = 0; slot < rowCount; ++slot) {
            const TimelineSeries& series = data.laneIndex[lane].bandSlots[slot];
            const auto& items = series.items;
            std::size_t pos = items.size();
            for (std::size_t b = 0; b < series.blocks.size(); ++b)
                if (blockEnd(series.blocks[b]) >= lo) {
                    pos = b * kTimelineBlockSize;
                    break;
                }
            // Many bands in view: each column shows the phase that covers most of it, from the row's
            // running totals.
            const auto past = std::upper_bound(items.begin() + std::ptrdiff_t(pos), items.end(), hi,
                                               [&](double t, std::uint32_t id) { return t < startOf(data.bands[id]); });
            if (double(past - items.begin() - std::ptrdiff_t(pos)) * kBandSummaryPx > plot.width()) {
                paintBandSummary(painter, lane, slot, rowCount);
                continue;
            }
            // Bands of one row do not overlap and are sorted: a band narrower than a pixel stands for its
            // whole pixel column, and the next one drawn is the band at the start of the next column (found by
            // binary search), so a frame costs at most a few bands per column however long the run.
            double paintedTo = -1e300;
            while (pos < items.size()) {
                const TimelineBand& band = data.bands[items[pos]];
                const double st = startOf(band);
                if (st > hi) break;
                const double e = endOf(band);
                double x0 = clampX(m_scale.xForTime(st), plot);
                double x1 = clampX(m_scale.xForTime(e), plot);
                if (e >= lo && x1 > paintedTo) {
                    if (x1 - x0 < 1) {
                        x0 = std::floor(x0);
                        x1 = x0 + 1;
                    }
                    x0 = std::max(x0, paintedTo);
                    if (x1 > x0) painter.fillRect(m_layout.bandRect(lane, slot, rowCount, x0, x1), txnPhaseColor(band.phase));
                    paintedTo = std::max(paintedTo, x1);
                }
                // Skip to the band that covers the start of the first column not painted yet.
                const double next = m_scale.timeForX(std::max(paintedTo, x0 + 1));
                auto it = std::upper_bound(items.begin() + std::ptrdiff_t(pos) + 1, items.end(), next,
                                           [&](double t, std::uint32_t id) { return t < startOf(data.bands[id]); });
                pos = std::max(pos + 1, std::size_t(it - items.begin()) - 1);
            }
        }
        // The selected band gets an outline.
        if (m_selected.kind == TimelineHit::Kind::Band && m_selected.id < data.bands.size() &&
            data.bands[m_selected.id].lane == lane) {
            const TimelineBand& band = data.bands[m_selected.id];
            const double x0 = clampX(m_scale.xForTime(startOf(band)), plot);
            const double x1 = clampX(m_scale.xForTime(endOf(band)), plot);
            painter.setPen(QPen(kSelection, 2));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(m_layout.bandRect(lane, band.slot, rowCount, x0, std::max(x0 + 2, x1)));
            painter.setPen(Qt::NoPen);
        }
    }
}

TimelineColumns TimelineView::plotColumns() const {
    TimelineColumns columns;
    columns.origin = m_scale.timeForX(m_layout.plot.left());
    columns.unitsPerColumn = m_scale.unitsPerPx;
    columns.count = std::size_t(std::max(0.0, std::ceil(m_layout.plot.width())));
    columns.logical = m_logical;
    return columns;
}

void TimelineView::paintColumns(QPainter& painter, const QRectF& strip, const QRgb* colors, const int* heights,
                                bool fromBottom) {
    const auto n = std::size_t(std::max(0.0, std::ceil(strip.width())));
    const int stripPx = std::max(1, int(std::lround(strip.height())));
    m_heights.resize(n);
    for (std::size_t c = 0; c < n; ++c) m_heights[c] = qAlpha(colors[c]) == 0 ? 0 : heights ? std::min(heights[c], stripPx) : stripPx;
    auto heightOf = [&](std::size_t c) { return m_heights[c]; };
    // A raster device (the widget, a PNG) gets one small image: tens of thousands of one-pixel rectangles
    // would cost more than the rest of the frame. Others (SVG, print) get runs of columns as rectangles.
    const bool raster = painter.paintEngine() && painter.paintEngine()->type() == QPaintEngine::Raster;
    if (raster) {
        // One image, grown as needed, so that a frame allocates (and the system maps) no memory.
        if (m_columnImage.width() < int(n) || m_columnImage.height() < stripPx)
            m_columnImage = QImage(std::max(m_columnImage.width(), int(n)), std::max(m_columnImage.height(), stripPx),
                                   QImage::Format_ARGB32_Premultiplied);
        const qsizetype stride = m_columnImage.bytesPerLine() / qsizetype(sizeof(QRgb));
        auto* bits = reinterpret_cast<QRgb*>(m_columnImage.bits());
        m_premultiplied.resize(n);
        for (std::size_t c = 0; c < n; ++c) m_premultiplied[c] = qPremultiply(colors[c]);
        const int* h = m_heights.data();
        const QRgb* color = m_premultiplied.data();
        for (int y = 0; y < stripPx; ++y) {
            const int level = fromBottom ? stripPx - y : y + 1;  // how tall a column must be to reach row y
            QRgb* row = bits + qsizetype(y) * stride;
            if (!heights && y > 0) {
                std::copy(bits, bits + n, row);
                continue;
            }
            fillColumnRow(row, h, color, n, level);
        }
        painter.drawImage(strip.topLeft(), m_columnImage, QRectF(0, 0, double(n), stripPx));
        return;
    }
    const bool antialiased = painter.testRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::Antialiasing, false);  // columns meet edge to edge
    for (std::size_t c = 0; c < n;) {
        std::size_t end = c + 1;
        while (end < n && colors[end] == colors[c] && heightOf(end) == heightOf(c)) ++end;
        if (heightOf(c) > 0) {
            const double h = heightOf(c);
            painter.fillRect(QRectF(strip.left() + double(c), fromBottom ? strip.bottom() - h : strip.top(),
                                    double(end - c), h),
                             QColor::fromRgba(colors[c]));
        }
        c = end;
    }
    painter.setRenderHint(QPainter::Antialiasing, antialiased);
}

void TimelineView::paintBandSummary(QPainter& painter, std::uint32_t lane, std::size_t slot, std::size_t rowCount) {
    const TimelineColumns columns = plotColumns();
    timelineDominantPhases(*m_data, lane, slot, columns, m_phases, m_phaseCover);
    static const std::array<QRgb, kTxnPhaseCount> kPhaseRgb = [] {
        std::array<QRgb, kTxnPhaseCount> rgb{};
        for (int phase = 0; phase < kTxnPhaseCount; ++phase) rgb[std::size_t(phase)] = txnPhaseColor(TxnPhase(phase)).rgba();
        return rgb;
    }();
    m_columnColors.resize(columns.count);
    for (std::size_t c = 0; c < columns.count; ++c)
        m_columnColors[c] = m_phases[c] == kTimelineNoPhase ? 0 : kPhaseRgb[m_phases[c]];
    const QRectF strip = m_layout.bandRect(lane, slot, rowCount, m_layout.plot.left(), m_layout.plot.left() + double(columns.count));
    paintColumns(painter, strip, m_columnColors.data(), nullptr, false);
    m_summarizedRows++;
}

void TimelineView::paintClientOps(QPainter& painter) {
    const TimelineData& data = *m_data;
    const QRectF& plot = m_layout.plot;
    const double lo = m_scale.visibleStart();
    const double hi = m_scale.visibleEnd();
    painter.setPen(Qt::NoPen);
    for (std::uint32_t lane = 0; lane < data.lanes.size(); ++lane) {
        const TimelineSeries& series = data.laneIndex[lane].clientOps;
        if (series.items.empty()) continue;
        const QRectF bar = m_layout.lanes[lane].clientBar;
        // Many operations in view: each column shows the most telling outcome of those under way in it.
        const auto first = std::lower_bound(series.items.begin(), series.items.end(), lo,
                                            [&](std::uint32_t id, double t) { return startOf(data.clientOps[id]) < t; });
        const auto past = std::upper_bound(first, series.items.end(), hi,
                                           [&](double t, std::uint32_t id) { return t < startOf(data.clientOps[id]); });
        if (double(past - first) * kClientOpSummaryPx > plot.width()) {
            const TimelineColumns columns = plotColumns();
            timelineClientOpColumns(data, lane, columns, m_outcomes, m_ranks);
            m_columnColors.resize(columns.count);
            static const std::array<QRgb, 4> kOutcomeRgb = {
                outcomeColor(ClientOutcome(0)).rgba(), outcomeColor(ClientOutcome(1)).rgba(),
                outcomeColor(ClientOutcome(2)).rgba(), outcomeColor(ClientOutcome(3)).rgba()};
            for (std::size_t c = 0; c < columns.count; ++c)
                m_columnColors[c] = m_outcomes[c] == kTimelineNoOutcome ? 0 : kOutcomeRgb[m_outcomes[c]];
            paintColumns(painter, QRectF(plot.left(), bar.top(), double(columns.count), bar.height()),
                         m_columnColors.data(), nullptr, false);
            continue;
        }
        double paintedTo = -1e300;
        visitSeries(
            &series.items, series.items.size(), series.blocks, lo, hi,
            [&](std::uint32_t id) { return startOf(data.clientOps[id]); },
            [&](const TimelineBlock& b) { return blockEnd(b); },
            [&](std::uint32_t id) {
                const TimelineClientOp& op = data.clientOps[id];
                const double e = endOf(op);
                if (e < lo) return true;
                double x0 = clampX(m_scale.xForTime(startOf(op)), plot);
                double x1 = clampX(m_scale.xForTime(e), plot);
                if (x1 <= paintedTo) return true;
                if (x1 - x0 < 2) {
                    x1 = x0 + 2;  // an instant still shows
                }
                painter.fillRect(QRectF(std::max(x0, paintedTo), bar.top(), x1 - std::max(x0, paintedTo), bar.height()),
                                 outcomeColor(op.outcome));
                paintedTo = x1 + 1;  // a pixel of gap between neighbours
                return true;
            });
    }
}

std::pair<QPointF, QPointF> TimelineView::arrowOf(std::uint32_t id) const {
    const TimelineMessage& m = m_data->messages.at(id);
    const double y0 = m_layout.lanes.at(m.from).centerY;
    const double y1 = m_layout.lanes.at(m.to).centerY;
    const QPointF a(m_scale.xForTime(startOf(m)), y0);
    QPointF b(m_scale.xForTime(endOf(m)), y1);
    if (m.fate == MessageFate::Dropped && (b.x() - a.x() < kDropStubPx || m.from == m.to)) {
        // Dropped where it was sent (a partition, a lost packet): a short stub towards its destination.
        const double dy = m.from == m.to ? -m_layout.lanes.at(m.from).row.height() * 0.3 : (y1 - y0) * 0.35;
        b = QPointF(a.x() + kDropStubPx, y0 + dy);
    } else if (m.fate == MessageFate::InFlight) {
        // Still on the wire: it has covered the share of the way that its time in flight allows.
        b = QPointF(std::max(a.x() + 4, b.x()), y0 + (y1 - y0) * 0.5);
    }
    return {a, b};
}

std::size_t TimelineView::messagesInView() const {
    // Sends are in order: two binary searches.
    const auto& ms = m_data->messages;
    const double lo = m_scale.visibleStart();
    const double hi = m_scale.visibleEnd();
    auto lower = std::lower_bound(ms.begin(), ms.end(), lo, [&](const TimelineMessage& m, double t) { return startOf(m) < t; });
    auto upper = std::upper_bound(lower, ms.end(), hi, [&](double t, const TimelineMessage& m) { return t < startOf(m); });
    return std::size_t(upper - lower);
}

void TimelineView::paintDensity(QPainter& painter) {
    // Per lane and pixel column, how many messages the lane sent (drawn up from the top of its band strip)
    // and received (down from the bottom), counted from the lane's sorted sends and receipts.
    const TimelineData& data = *m_data;
    const TimelineColumns columns = plotColumns();
    const std::size_t n = columns.count;
    const std::size_t lanes = std::min(data.lanes.size(), m_layout.lanes.size());
    if (n == 0 || lanes == 0) return;
    m_density.assign(lanes * n * 2, 0);
    for (std::uint32_t lane = 0; lane < lanes; ++lane) {
        timelineCountColumns(data.laneIndex[lane].sends, columns, &m_density[std::size_t(lane) * 2 * n]);
        timelineCountColumns(data.laneIndex[lane].receipts, columns, &m_density[(std::size_t(lane) * 2 + 1) * n]);
    }
    int maxCount = 1;
    for (int v : m_density) maxCount = std::max(maxCount, v);
    const double logMax = std::log1p(double(maxCount));
    static const std::array<double, 1024> kLogTable = [] {
        std::array<double, 1024> table{};
        for (std::size_t i = 0; i < table.size(); ++i) table[i] = std::log1p(double(i));
        return table;
    }();
    // Per lane and side, a column per pixel as tall as the log of its count, in whole pixels.
    const QColor color(kDensity.red(), kDensity.green(), kDensity.blue(), 150);
    m_columnColors.assign(n, color.rgba());
    const double left = m_layout.plot.left();
    for (std::size_t lane = 0; lane < lanes; ++lane) {
        const TimelineLaneLayout& l = m_layout.lanes[lane];
        const double reach = std::max(2.0, std::floor(l.row.height() * 0.45 - l.bandStrip.height() / 2));
        for (int side = 0; side < 2; ++side) {
            int* counts = &m_density[(lane * 2 + std::size_t(side)) * n];
            bool any = false;
            for (std::size_t c = 0; c < n; ++c) {
                // From here on counts[c] is the column's height in pixels.
                if (const int count = counts[c]; count > 0) {
                    const double logN = count < int(kLogTable.size()) ? kLogTable[std::size_t(count)] : std::log1p(double(count));
                    counts[c] = std::clamp(int(std::lround(reach * logN / logMax)), 2, int(reach));
                    any = true;
                }
            }
            if (!any) continue;
            // Sends grow up from the top of the band strip, receipts down from its bottom.
            const QRectF strip = side == 0 ? QRectF(left, l.bandStrip.top() - reach, double(n), reach)
                                           : QRectF(left, l.bandStrip.bottom(), double(n), reach);
            paintColumns(painter, strip, m_columnColors.data(), counts, side == 0);
        }
    }
}

void TimelineView::paintArrows(QPainter& painter) {
    const TimelineData& data = *m_data;
    const auto& ms = data.messages;
    if (ms.empty()) return;
    const double lo = m_scale.visibleStart();
    const double hi = m_scale.visibleEnd();
    auto startOfId = [&](std::uint32_t id) { return startOf(ms[id]); };
    auto blockEndOf = [&](const TimelineBlock& b) { return blockEnd(b); };
    painter.setRenderHint(QPainter::Antialiasing, true);
    const double head = std::clamp(m_layout.fontPx * 0.6, 6.0, 11.0);
    visitSeries(nullptr, ms.size(), data.messageBlocks, lo, hi, startOfId, blockEndOf, [&](std::uint32_t id) {
        const TimelineMessage& m = ms[id];
        if (endOf(m) < lo) return true;
        const auto [a, b] = arrowOf(id);
        const bool selected = m_selected.kind == TimelineHit::Kind::Message && m_selected.id == id;
        QColor c = messageTypeColor(data.text(m.type)).darker(125);
        if (m.fate == MessageFate::Dropped) c = c.lighter(115);
        QPen pen(selected ? kSelection : c, selected ? 3.0 : 1.6);
        if (m.duplicate) pen.setStyle(Qt::DashLine);
        if (m.fate == MessageFate::InFlight) pen.setStyle(Qt::DotLine);
        painter.setPen(pen);
        painter.drawLine(a, b);
        m_drawnArrows++;
        pen.setStyle(Qt::SolidLine);
        painter.setPen(pen);
        if (m.fate == MessageFate::Delivered) {
            const double angle = std::atan2(b.y() - a.y(), b.x() - a.x());
            const QPointF p1 = b - QPointF(std::cos(angle - 0.4) * head, std::sin(angle - 0.4) * head);
            const QPointF p2 = b - QPointF(std::cos(angle + 0.4) * head, std::sin(angle + 0.4) * head);
            painter.setBrush(pen.color());
            painter.drawPolygon(QPolygonF({b, p1, p2}));
            painter.setBrush(Qt::NoBrush);
            if (m.duplicate) {
                // A duplicate's second copy: a ring at its arrival.
                painter.drawEllipse(b, head * 0.55, head * 0.55);
            }
        } else if (m.fate == MessageFate::Dropped) {
            const double s = head * 0.6;
            painter.setPen(QPen(faultColor(), 2.2));
            painter.drawLine(b + QPointF(-s, -s), b + QPointF(s, s));
            painter.drawLine(b + QPointF(-s, s), b + QPointF(s, -s));
        }
        return true;
    });
    painter.setRenderHint(QPainter::Antialiasing, false);
}

void TimelineView::paintMarkers(QPainter& painter) {
    const TimelineData& data = *m_data;
    const double lo = m_scale.visibleStart();
    const double hi = m_scale.visibleEnd();
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (std::size_t i = 0; i < data.markers.size(); ++i) {
        const TimelineMarker& m = data.markers[i];
        const double t = m_logical ? m.index : double(m.time);
        if (t < lo || t > hi || m.lane >= m_layout.lanes.size()) continue;
        const TimelineLaneLayout& lane = m_layout.lanes[m.lane];
        const double x = m_scale.xForTime(t);
        const double s = std::clamp(lane.row.height() * 0.22, 4.0, 13.0);
        const QPointF c(x, lane.centerY);
        const bool selected = m_selected.kind == TimelineHit::Kind::Marker && m_selected.id == i;
        switch (m.kind) {
            case TimelineMarkerKind::Crash:
            case TimelineMarkerKind::Remove:
                painter.setPen(QPen(QColor(Qt::white), 6.5, Qt::SolidLine, Qt::RoundCap));
                painter.drawLine(c + QPointF(-s, -s), c + QPointF(s, s));
                painter.drawLine(c + QPointF(-s, s), c + QPointF(s, -s));
                painter.setPen(QPen(faultColor(), 3.5, Qt::SolidLine, Qt::RoundCap));
                painter.drawLine(c + QPointF(-s, -s), c + QPointF(s, s));
                painter.drawLine(c + QPointF(-s, s), c + QPointF(s, -s));
                break;
            case TimelineMarkerKind::Restart: {
                painter.setPen(QPen(Qt::white, 1.5));
                painter.setBrush(kRestart);
                painter.drawPolygon(QPolygonF({c + QPointF(-s * 0.7, -s), c + QPointF(s, 0), c + QPointF(-s * 0.7, s)}));
                painter.setBrush(Qt::NoBrush);
                break;
            }
            case TimelineMarkerKind::Pause:
                painter.setPen(QPen(QColor(0x40, 0x40, 0x40), 3));
                painter.drawLine(c + QPointF(-s * 0.35, -s), c + QPointF(-s * 0.35, s));
                painter.drawLine(c + QPointF(s * 0.35, -s), c + QPointF(s * 0.35, s));
                break;
            case TimelineMarkerKind::Resume:
                painter.setPen(QPen(QColor(0x40, 0x40, 0x40), 2));
                painter.drawLine(c + QPointF(0, -s), c + QPointF(0, s));
                break;
        }
        if (selected) {
            painter.setPen(QPen(kSelection, 2));
            painter.drawEllipse(c, s * 1.5, s * 1.5);
        }
    }
    painter.setRenderHint(QPainter::Antialiasing, false);
}

void TimelineView::paintRuler(QPainter& painter) {
    const QRectF& ruler = m_layout.ruler;
    painter.setPen(kSubtleText);
    drawText(painter, QRectF(4, ruler.top(), ruler.left() - 8, ruler.height()), Qt::AlignVCenter | Qt::AlignLeft,
             m_logical ? tr("event order") : tr("time"));
    QFontMetricsF metrics(painter.font());
    const double labelW = metrics.horizontalAdvance(timeText(m_scale.visibleEnd())) + 16;
    const std::vector<double> ticks = m_scale.ticks(std::max(80.0, labelW));
    // As many decimals as the tick step needs: "100 ms", "0.5 ms".
    const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1000.0;
    const int decimals = std::clamp(int(std::ceil(-std::log10(step / 1000.0) - 1e-9)), 0, 3);
    for (double t : ticks) {
        const double x = m_scale.xForTime(t);
        if (x < ruler.left() - 0.5 || x > ruler.right()) continue;
        painter.setPen(QPen(QColor(0xd8, 0xdc, 0xe0), 1));
        painter.drawLine(QPointF(x, ruler.bottom()), QPointF(x, m_layout.plot.bottom()));
        painter.setPen(QPen(kSubtleText, 1));
        painter.drawLine(QPointF(x, ruler.bottom() - 5), QPointF(x, ruler.bottom()));
        const QString label = m_logical ? QString::number(qint64(std::llround(t)))
                                        : tr("%1 ms").arg(t / 1000.0, 0, 'f', decimals);
        // The last label may not run past the view's edge: it moves left and ends there.
        const double edge = ruler.right() + 6;
        if (x + labelW / 2 > edge)
            drawText(painter, QRectF(edge - labelW, ruler.top(), labelW, ruler.height() - 5),
                     Qt::AlignVCenter | Qt::AlignRight, label);
        else
            drawText(painter, QRectF(x - labelW / 2, ruler.top(), labelW, ruler.height() - 5), Qt::AlignCenter, label);
    }
    painter.setPen(QPen(kLaneLine, 1));
    painter.drawLine(QPointF(ruler.left(), ruler.bottom()), QPointF(ruler.right(), ruler.bottom()));
}

void TimelineView::paintLegend(QPainter& painter) {
    const QRectF& legend = m_layout.legend;
    QFont f = painter.font();
    f.setPixelSize(int(std::max(10.0, m_layout.fontPx * 0.85)));
    painter.setFont(f);
    const QFontMetricsF metrics(f);
    const double sw = metrics.height() * 0.9;
    double x = legend.left() + 4;
    const double y = legend.center().y();
    struct Entry {
        TxnPhase phase;
        QString label;
    };
    const Entry entries[] = {
        {TxnPhase::Init, tr("INIT")},
        {TxnPhase::Wait, tr("WAIT")},
        {TxnPhase::Ready, tr("READY")},
        {TxnPhase::PreCommit, tr("PRECOMMIT")},
        {TxnPhase::Commit, tr("COMMIT")},
        {TxnPhase::Abort, tr("ABORT")},
        {TxnPhase::End, tr("END")},
        {TxnPhase::SagaRunning, tr("saga RUNNING")},
        {TxnPhase::SagaCompensating, tr("COMPENSATING")},
        {TxnPhase::SagaDone, tr("DONE")},
        {TxnPhase::SagaAborted, tr("ABORTED")},
    };
    for (const Entry& e : entries) {
        if (!(m_legend.phases & (1u << unsigned(e.phase)))) continue;  // only what this run shows
        const double w = metrics.horizontalAdvance(e.label);
        if (x + sw + 6 + w > legend.right()) break;
        painter.fillRect(QRectF(x, y - sw / 2, sw, sw), txnPhaseColor(e.phase));
        painter.setPen(kText);
        drawText(painter, QRectF(x + sw + 4, legend.top(), w + 2, legend.height()), Qt::AlignVCenter | Qt::AlignLeft, e.label);
        x += sw + 4 + w + sw * 0.8;
    }
    // Symbols, as far as they fit.
    painter.setRenderHint(QPainter::Antialiasing, true);
    auto symbol = [&](const QString& label, auto draw, bool present = true) {
        if (!present) return;
        const double w = metrics.horizontalAdvance(label);
        if (x + sw + 6 + w > legend.right()) return;
        draw(QRectF(x, y - sw / 2, sw, sw));
        painter.setPen(kText);
        drawText(painter, QRectF(x + sw + 4, legend.top(), w + 2, legend.height()), Qt::AlignVCenter | Qt::AlignLeft, label);
        x += sw + 4 + w + sw * 0.8;
    };
    symbol(tr("crash"), [&](QRectF r) {
        painter.setPen(QPen(faultColor(), 3, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(r.topLeft(), r.bottomRight());
        painter.drawLine(r.bottomLeft(), r.topRight());
    }, m_legend.crash);
    symbol(tr("restart"), [&](QRectF r) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(kRestart);
        painter.drawPolygon(QPolygonF({r.topLeft(), QPointF(r.right(), r.center().y()), r.bottomLeft()}));
        painter.setBrush(Qt::NoBrush);
    }, m_legend.restart);
    symbol(tr("paused"), [&](QRectF r) {
        painter.fillRect(r, QBrush(QColor(0x60, 0x60, 0x60, 150), Qt::BDiagPattern));
    }, m_legend.pause);
    symbol(tr("partition"), [&](QRectF r) { painter.fillRect(r, partitionTint(0)); painter.fillRect(r.adjusted(r.width() / 2, 0, 0, 0), partitionTint(1)); },
           m_legend.partition);
    symbol(tr("dropped"), [&](QRectF r) {
        painter.setPen(QPen(faultColor(), 2));
        painter.drawLine(r.center() + QPointF(-4, -4), r.center() + QPointF(4, 4));
        painter.drawLine(r.center() + QPointF(-4, 4), r.center() + QPointF(4, -4));
    }, m_legend.dropped);
    symbol(tr("duplicate"), [&](QRectF r) {
        painter.setPen(QPen(kText, 1.6, Qt::DashLine));
        painter.drawLine(r.left(), r.center().y(), r.right(), r.center().y());
    }, m_legend.duplicate);
    symbol(tr("client op"), [&](QRectF r) { painter.fillRect(QRectF(r.left(), r.center().y() - 2, r.width(), 4), QColor(0x2e, 0x7d, 0x32)); },
           m_legend.clientOps);
    painter.setRenderHint(QPainter::Antialiasing, false);
}

// --- hit testing and tooltips ----------------------------------------------------------------------------

TimelineHit TimelineView::hitTest(QPointF p) const {
    if (!m_data) return {};
    const TimelineData& data = *m_data;
    std::uint32_t lane = kTimelineNoLane;
    for (std::size_t i = 0; i < m_layout.lanes.size(); ++i)
        if (m_layout.lanes[i].row.contains(p)) lane = std::uint32_t(i);
    if (lane == kTimelineNoLane) return {};
    if (p.x() < m_layout.plot.left()) return {TimelineHit::Kind::Lane, lane};
    const double slop = kHitSlopPx * m_scale.unitsPerPx;
    const double t = m_scale.timeForX(p.x());
    // Markers first: they are small and drawn on top.
    for (std::size_t i = 0; i < data.markers.size(); ++i) {
        const TimelineMarker& m = data.markers[i];
        if (m.lane != lane || m.kind == TimelineMarkerKind::Resume) continue;
        const double x = m_scale.xForTime(m_logical ? m.index : double(m.time));
        if (std::abs(x - p.x()) <= kHitSlopPx * 2 && std::abs(p.y() - m_layout.lanes[lane].centerY) <= kHitSlopPx * 3)
            return {TimelineHit::Kind::Marker, std::uint32_t(i)};
    }
    // Messages, when they are drawn one by one: the nearest arrow within a few pixels.
    if (m_drewArrows) {
        double best = kHitSlopPx;
        std::uint32_t bestId = kTimelineNoLane;
        const double lo = m_scale.timeForX(p.x() - kHitSlopPx - kDropStubPx);
        const double hi = m_scale.timeForX(p.x() + kHitSlopPx);
        visitSeries(
            nullptr, data.messages.size(), data.messageBlocks, lo, hi,
            [&](std::uint32_t id) { return startOf(data.messages[id]); }, [&](const TimelineBlock& b) { return blockEnd(b); },
            [&](std::uint32_t id) {
                if (endOf(data.messages[id]) + slop < lo) return true;
                const auto [a, b] = arrowOf(id);
                const double d = segmentDistance(p, a, b);
                if (d <= best) {
                    best = d;
                    bestId = id;
                }
                return true;
            });
        if (bestId != kTimelineNoLane) return {TimelineHit::Kind::Message, bestId};
    }
    const TimelineLaneLayout& l = m_layout.lanes[lane];
    // Client operations: the thin bar, with some slack as it is thin.
    if (p.y() >= l.clientBar.top() - 3 && p.y() <= l.clientBar.bottom() + 3) {
        const TimelineSeries& series = data.laneIndex[lane].clientOps;
        std::uint32_t found = kTimelineNoLane;
        visitSeries(
            &series.items, series.items.size(), series.blocks, t - slop, t + slop,
            [&](std::uint32_t id) { return startOf(data.clientOps[id]); }, [&](const TimelineBlock& b) { return blockEnd(b); },
            [&](std::uint32_t id) {
                if (endOf(data.clientOps[id]) + slop >= t) found = id;
                return true;
            });
        if (found != kTimelineNoLane) return {TimelineHit::Kind::ClientOp, found};
    }
    if (l.bandStrip.contains(p)) {
        const std::size_t rowCount = data.bandSlotCount(lane);
        const auto slot = std::min(rowCount - 1, std::size_t((p.y() - l.bandStrip.top()) / l.bandStrip.height() * double(rowCount)));
        const TimelineSeries& series = data.laneIndex[lane].bandSlots[slot];
        std::uint32_t found = kTimelineNoLane;
        visitSeries(
            &series.items, series.items.size(), series.blocks, t, t,
            [&](std::uint32_t id) { return startOf(data.bands[id]); }, [&](const TimelineBlock& b) { return blockEnd(b); },
            [&](std::uint32_t id) {
                if (endOf(data.bands[id]) >= t) found = id;
                return true;
            });
        if (found != kTimelineNoLane) return {TimelineHit::Kind::Band, found};
    }
    for (std::size_t i = 0; i < data.partitions.size(); ++i) {
        const TimelinePartition& span = data.partitions[i];
        const double s = m_logical ? span.startIndex : double(span.start);
        const double e = m_logical ? double(data.endIndexOf(span.endIndex)) : double(data.endOf(span.end));
        if (t < s || t > e) continue;
        bool touches = span.oneWay ? span.from == lane : false;
        for (const auto& group : span.groups) touches = touches || std::find(group.begin(), group.end(), lane) != group.end();
        if (touches) return {TimelineHit::Kind::Partition, std::uint32_t(i)};
    }
    return {TimelineHit::Kind::Lane, lane};
}

std::pair<double, double> TimelineView::spanOf(const TimelineHit& hit) const {
    if (!m_data) return {0, 0};
    const TimelineData& data = *m_data;
    switch (hit.kind) {
        case TimelineHit::Kind::Band: return {startOf(data.bands.at(hit.id)), endOf(data.bands.at(hit.id))};
        case TimelineHit::Kind::Message: return {startOf(data.messages.at(hit.id)), endOf(data.messages.at(hit.id))};
        case TimelineHit::Kind::ClientOp: return {startOf(data.clientOps.at(hit.id)), endOf(data.clientOps.at(hit.id))};
        case TimelineHit::Kind::Marker: {
            const TimelineMarker& m = data.markers.at(hit.id);
            if (m_logical) return {double(m.index), double(data.endIndexOf(m.endIndex))};
            return {double(m.time), double(m.end == kTimelineOpen ? data.now : m.end)};
        }
        default: return {0, 0};
    }
}

QString TimelineView::toolTipFor(const TimelineHit& hit) const {
    if (!m_data) return {};
    const TimelineData& data = *m_data;
    auto at = [&](SimTime t, std::uint32_t index) {
        return tr("%1 (event #%2)").arg(tr("%1 ms").arg(toMillis(t), 0, 'f', 1)).arg(index);
    };
    auto duration = [&](SimTime d) { return tr("%1 ms").arg(toMillis(d), 0, 'f', 1); };
    switch (hit.kind) {
        case TimelineHit::Kind::None: return {};
        case TimelineHit::Kind::Lane: return tr("node %1").arg(laneName(hit.id));
        case TimelineHit::Kind::Message: {
            const TimelineMessage& m = data.messages.at(hit.id);
            QStringList lines;
            lines << tr("%1: %2 \u2192 %3").arg(QString::fromStdString(data.text(m.type)), laneName(m.from), laneName(m.to));
            lines << tr("message #%1").arg(m.seq) + (m.duplicate ? tr(", a duplicate copy") : QString());
            lines << tr("sent at %1").arg(at(m.sent, m.sendIndex));
            if (m.fate == MessageFate::Delivered)
                lines << tr("delivered at %1, after %2").arg(at(m.end, m.endIndex), duration(m.end - m.sent));
            else if (m.fate == MessageFate::Dropped)
                lines << tr("dropped at %1").arg(at(m.end, m.endIndex));
            else
                lines << tr("still in flight");
            return lines.join(QLatin1Char('\n'));
        }
        case TimelineHit::Kind::Band: {
            const TimelineBand& b = data.bands.at(hit.id);
            QStringList lines;
            lines << (b.saga ? tr("saga %1 on %2: %3") : tr("transaction %1 on %2: %3"))
                         .arg(QString::fromStdString(data.text(b.txn)), laneName(b.lane),
                              QString::fromLatin1(txnPhaseName(b.phase).data(), qsizetype(txnPhaseName(b.phase).size())));
            lines << tr("from %1").arg(at(b.start, b.startIndex));
            if (b.open())
                lines << tr("still so at %1, for %2").arg(tr("%1 ms").arg(toMillis(data.now), 0, 'f', 1), duration(data.now - b.start));
            else
                lines << tr("until %1, for %2").arg(at(b.end, b.endIndex), duration(b.end - b.start));
            return lines.join(QLatin1Char('\n'));
        }
        case TimelineHit::Kind::Marker: {
            const TimelineMarker& m = data.markers.at(hit.id);
            switch (m.kind) {
                case TimelineMarkerKind::Crash: return tr("%1 crashed at %2").arg(laneName(m.lane), at(m.time, m.index));
                case TimelineMarkerKind::Remove: return tr("%1 removed at %2").arg(laneName(m.lane), at(m.time, m.index));
                case TimelineMarkerKind::Restart: return tr("%1 restarted at %2").arg(laneName(m.lane), at(m.time, m.index));
                case TimelineMarkerKind::Resume: return tr("%1 resumed at %2").arg(laneName(m.lane), at(m.time, m.index));
                case TimelineMarkerKind::Pause:
                    return tr("%1 paused from %2 for %3").arg(laneName(m.lane), at(m.time, m.index), duration(m.end - m.time));
            }
            return {};
        }
        case TimelineHit::Kind::ClientOp: {
            const TimelineClientOp& c = data.clientOps.at(hit.id);
            const QString outcome = c.outcome == ClientOutcome::Ok     ? tr("ok")
                                    : c.outcome == ClientOutcome::Fail ? tr("failed")
                                    : c.outcome == ClientOutcome::Unknown ? tr("unknown outcome")
                                                                          : tr("no answer yet");
            QStringList lines;
            lines << tr("%1: %2 #%3, %4").arg(laneName(c.lane), QString::fromStdString(data.text(c.f))).arg(c.opId).arg(outcome);
            lines << tr("invoked at %1").arg(at(c.start, c.startIndex));
            if (c.end != kTimelineOpen) lines << tr("completed at %1").arg(at(c.end, c.endIndex));
            return lines.join(QLatin1Char('\n'));
        }
        case TimelineHit::Kind::Partition: {
            const TimelinePartition& p = data.partitions.at(hit.id);
            QString what;
            if (p.oneWay) {
                what = tr("one-way cut: %1 cannot reach %2").arg(laneName(p.from), laneName(p.to));
            } else {
                QStringList groups;
                for (const auto& group : p.groups) {
                    QStringList names;
                    for (std::uint32_t lane : group) names << laneName(lane);
                    groups << names.join(QStringLiteral(", "));
                }
                what = tr("partition: %1").arg(groups.join(QStringLiteral(" | ")));
            }
            const QString until = p.end == kTimelineOpen ? tr("not healed yet") : tr("healed at %1").arg(at(p.end, p.endIndex));
            return what + QLatin1Char('\n') + tr("from %1").arg(at(p.start, p.startIndex)) + QLatin1Char('\n') + until;
        }
    }
    return {};
}

// --- interaction ----------------------------------------------------------------------------------------

void TimelineView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    zoomAt(event->position().x(), std::pow(kWheelStep, steps));
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    m_pressed = true;
    m_dragging = false;
    m_pressPos = m_lastDragPos = event->position();
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_pressed) return;
    const QPointF pos = event->position();
    if (!m_dragging && (pos - m_pressPos).manhattanLength() < kDragThresholdPx) return;
    m_dragging = true;
    m_autoFit = false;
    m_scale.panBy(pos.x() - m_lastDragPos.x());
    m_lastDragPos = pos;
    setCursor(Qt::ClosedHandCursor);
    update();
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || !m_pressed) return;
    m_pressed = false;
    unsetCursor();
    if (!m_dragging) click(event->position());
    m_dragging = false;
}

void TimelineView::click(QPointF point) {
    const TimelineHit hit = hitTest(point);
    m_selected = hit;
    if (hit.kind == TimelineHit::Kind::Lane) m_selectedNode = laneName(hit.id);
    if (hit.kind == TimelineHit::Kind::None) m_selectedNode.clear();
    update();
    switch (hit.kind) {
        case TimelineHit::Kind::Message: emit messageSelected(m_data->messages[hit.id].seq); break;
        case TimelineHit::Kind::Lane: emit nodeSelected(laneName(hit.id)); break;
        case TimelineHit::Kind::Band: emit eventSelected(m_data->bands[hit.id].startIndex); break;
        case TimelineHit::Kind::Marker: emit eventSelected(m_data->markers[hit.id].index); break;
        case TimelineHit::Kind::ClientOp: emit eventSelected(m_data->clientOps[hit.id].startIndex); break;
        case TimelineHit::Kind::Partition: emit eventSelected(m_data->partitions[hit.id].startIndex); break;
        case TimelineHit::Kind::None: emit nodeSelected(QString()); break;
    }
}

void TimelineView::keyPressEvent(QKeyEvent* event) {
    const double center = m_layout.plot.center().x();
    switch (event->key()) {
        case Qt::Key_Home: fitAll(); break;
        case Qt::Key_Plus:
        case Qt::Key_Equal: zoomAt(center, kWheelStep); break;
        case Qt::Key_Minus: zoomAt(center, 1 / kWheelStep); break;
        case Qt::Key_Left: m_autoFit = false; m_scale.panBy(m_layout.plot.width() / 8); update(); break;
        case Qt::Key_Right: m_autoFit = false; m_scale.panBy(-m_layout.plot.width() / 8); update(); break;
        default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

bool TimelineView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipFor(hitTest(help->pos()));
        if (text.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

}  // namespace distlab
