#include "widgets/ring_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <map>

#include "widgets/palette.h"

namespace distlab {

using geometry::kTwoPi;
using geometry::LabelDetail;
using geometry::NodeMarker;
using geometry::RingLayout;

namespace {

// Level-of-detail limits. Above these counts a cheaper drawing is used; the picture stays truthful
// (every key and every tick bin is still drawn) but individual shapes lose their antialiasing.
constexpr std::size_t kKeyDiscsMax = 3000;       // keys drawn as antialiased discs
constexpr std::size_t kKeyBlocksMax = 30000;     // keys drawn as 2x2 pixel blocks, 1 pixel above
constexpr std::size_t kThinTicksMin = 400;       // from this many vnodes on, 1 px ticks written as pixels
constexpr std::size_t kMessagesDrawnMax = 5000;  // messages beyond this are not drawn in a frame
constexpr std::size_t kMessageTrailsMax = 300;   // above this many messages, no trails or outlines
constexpr std::size_t kMessageLabelsMax = 40;    // type names next to the dots below this count
constexpr std::size_t kSparseLabelsMax = 40;     // labels for nodes needing attention in dense rings
constexpr std::size_t kLegendTypesMax = 8;       // message types listed in the legend
constexpr double kDenseMarkerPx = 3.5;           // below this marker radius, markers are plain squares
constexpr int kKeyAngleSubdivisions = 2;         // key angle table: 2 entries per pixel of circumference
constexpr std::size_t kDiscCacheMax = 512;       // rendered discs kept (colours x sizes)
constexpr std::size_t kTextCacheMax = 2048;      // laid-out strings kept

const QColor kBackground(0xFF, 0xFF, 0xFF);
const QColor kRingColor(0x80, 0x86, 0x8B);
const QColor kInkColor(0x20, 0x21, 0x24);
const QColor kMutedInkColor(0x5F, 0x63, 0x68);
const QColor kPanelBorder(0xDA, 0xDC, 0xE0);

QColor markerColor(const NodeView& node) {
    return node.status == NodeStatus::Crashed ? crashedColor() : nodeColor(node.colorIndex);
}

bool sameBackContent(const ClusterSnapshot& a, const ClusterSnapshot& b) {
    if (a.nodes.size() != b.nodes.size() || a.keys.size() != b.keys.size()) return false;
    for (std::size_t i = 0; i < a.nodes.size(); ++i) {
        const NodeView& x = a.nodes[i];
        const NodeView& y = b.nodes[i];
        if (x.role != y.role || x.status != y.status || x.onRing != y.onRing ||
            x.colorIndex != y.colorIndex || x.homePoint != y.homePoint || x.vnodePoints != y.vnodePoints) {
            return false;
        }
    }
    for (std::size_t i = 0; i < a.keys.size(); ++i) {
        if (a.keys[i].hash != b.keys[i].hash || a.keys[i].owner != b.keys[i].owner) return false;
    }
    return a.partitions.groups == b.partitions.groups;
}

QFont fontWithPixelSize(const QFont& base, double px, bool bold = false) {
    QFont font = base;
    font.setPixelSize(std::max(8, static_cast<int>(std::lround(px))));
    font.setBold(bold);
    return font;
}

// Qt measures arcs from 3 o'clock counter-clockwise in 1/16 degree; ours go clockwise from 12.
int qtArcAngle(double angle) {
    return static_cast<int>(std::lround((90.0 - angle * 180.0 / geometry::kPi) * 16.0));
}

}  // namespace

RingView::RingView(QWidget* parent) : QWidget(parent) {
    // Every pixel is painted, so Qt need not clear the background first.
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
}

RingView::~RingView() = default;

void RingView::setSnapshot(std::shared_ptr<const ClusterSnapshot> snapshot) {
    m_snapshot = std::move(snapshot);
    update();
}

void RingView::setSelectedNode(const QString& id) {
    if (id == m_selectedId) return;
    m_selectedId = id;
    update();
}

QSize RingView::sizeHint() const {
    return {900, 700};
}
QSize RingView::minimumSizeHint() const {
    return {320, 240};
}

void RingView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    paintTo(painter, rect());
}

void RingView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    QString id;
    if (m_snapshot) {
        const auto markers = geometry::nodeMarkers(geometry::ringLayout(QRectF(rect())), *m_snapshot);
        const int hit = geometry::hitTestNode(markers, event->position());
        if (hit >= 0) id = QString::fromStdString(m_snapshot->nodes[static_cast<std::size_t>(hit)].id);
    }
    setSelectedNode(id);
    emit nodeSelected(id);
}

void RingView::mouseMoveEvent(QMouseEvent* event) {
    // Use the markers of the last frame: hovering must not cost a layout per mouse move.
    const bool overNode =
        m_back.rect == rect() && geometry::hitTestNode(m_back.markers, event->position()) >= 0;
    setCursor(overNode ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(event);
}

void RingView::paintTo(QPainter& painter, const QRect& rect) {
    if (rect.isEmpty()) return;
    painter.save();
    const RingLayout layout = geometry::ringLayout(QRectF(rect));
    if (!m_snapshot) {
        paintEmpty(painter, layout, rect);
        painter.restore();
        return;
    }
    const qreal dpr = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
    // Back: background, partition tints, ring, ticks, keys -- cached, redrawn only when they change.
    ensureBackLayer(layout, rect, dpr);
    painter.drawImage(rect.topLeft(), m_back.image);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    // Mid: faults cut across the ring, under the nodes they separate.
    paintCuts(painter, layout);
    // Fore: nodes, labels, messages and the panels.
    paintNodes(painter, layout);
    paintMessages(painter, layout);
    paintHeader(painter, layout, rect);
    paintMessageLegend(painter, layout, rect);
    painter.restore();
}

void RingView::ensureBackLayer(const RingLayout& layout, const QRect& rect, qreal devicePixelRatio) {
    const bool sameFrame =
        m_back.rect == rect && m_back.devicePixelRatio == devicePixelRatio && m_back.source;
    if (sameFrame && m_back.source == m_snapshot) return;
    if (sameFrame && sameBackContent(*m_back.source, *m_snapshot)) {
        // Same picture under a new snapshot; remember it so the next comparison is a pointer check.
        m_back.source = m_snapshot;
        return;
    }
    m_back.source = m_snapshot;
    m_back.rect = rect;
    m_back.devicePixelRatio = devicePixelRatio;
    m_back.markers = geometry::nodeMarkers(layout, *m_snapshot);
    m_back.colors.clear();
    for (const NodeView& node : m_snapshot->nodes) m_back.colors.push_back(markerColor(node));
    m_back.partition = geometry::partitionLayout(m_back.markers, m_snapshot->partitions);
    const QSize pixels(static_cast<int>(std::ceil(rect.width() * devicePixelRatio)),
                       static_cast<int>(std::ceil(rect.height() * devicePixelRatio)));
    if (m_back.image.size() != pixels) {
        // Opaque format: blitting it into the frame is a plain copy, no blending.
        m_back.image = QImage(pixels, QImage::Format_RGB32);
    }
    m_back.image.setDevicePixelRatio(devicePixelRatio);
    paintBackLayer(layout, rect);
}

void RingView::paintBackLayer(const RingLayout& layout, const QRect& rect) {
    std::size_t vnodes = 0;
    for (const NodeView& node : m_snapshot->nodes) vnodes += node.onRing ? node.vnodePoints.size() : 0;
    // Few ticks read better two pixels wide; many merge into a band of one-pixel ticks.
    const bool denseTicks = vnodes >= kThinTicksMin;
    {
        QPainter painter(&m_back.image);
        painter.translate(-rect.topLeft());
        painter.fillRect(rect, kBackground);
        painter.setRenderHint(QPainter::Antialiasing, true);

        // Partition tints first, so that everything else is drawn over them.
        const double tintRadius = layout.markerRadius + layout.markerSizeMax + layout.fontPx * 3.2;
        const QRectF tintRect(layout.centre.x() - tintRadius, layout.centre.y() - tintRadius, 2 * tintRadius,
                              2 * tintRadius);
        painter.setPen(Qt::NoPen);
        for (const geometry::PartitionSector& sector : m_back.partition.sectors) {
            painter.setBrush(partitionTint(sector.group));
            const int start = qtArcAngle(sector.startAngle);
            const int span = qtArcAngle(sector.endAngle) - start;
            painter.drawPie(tintRect, start, span);
        }

        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(kRingColor, std::max(1.5, layout.radius * 0.006)));
        painter.drawEllipse(layout.centre, layout.radius, layout.radius);
        // A faint inner guide for clients, only when there are some.
        const bool hasOthers = std::any_of(m_back.markers.begin(), m_back.markers.end(),
                                           [](const NodeMarker& m) { return m.visible && !m.server; });
        if (hasOthers) {
            painter.setPen(QPen(QColor(0xE0, 0xE2, 0xE6), 1.0, Qt::DotLine));
            painter.drawEllipse(layout.centre, layout.innerRadius, layout.innerRadius);
        }

        painter.setRenderHint(QPainter::Antialiasing, false);
        if (!denseTicks) paintTicks(painter, layout);
        if (m_snapshot->keys.size() <= kKeyDiscsMax) {
            painter.setRenderHint(QPainter::Antialiasing, true);
            paintKeyDiscs(painter, layout);
        }
    }
    if (denseTicks) writeTickPixels(layout, rect);
    if (m_snapshot->keys.size() > kKeyDiscsMax) writeKeyPixels(layout, rect);
}

void RingView::paintTicks(QPainter& painter, const RingLayout& layout) {
    const int binCount = geometry::tickBinCount(layout);
    const std::vector<int> owners = geometry::tickBinOwners(*m_snapshot, binCount);
    // One batch of lines per node: a node's ticks share its colour.
    std::vector<QList<QLineF>> linesByNode(m_snapshot->nodes.size());
    // Walk the bins by rotating (sin, cos) one bin at a time: thousands of sincos calls were a
    // noticeable part of a cold frame.
    const double step = kTwoPi / binCount;
    const double stepSin = std::sin(step);
    const double stepCos = std::cos(step);
    double sinA = std::sin(step / 2);
    double cosA = std::cos(step / 2);
    const QPointF c = layout.centre;
    for (int bin = 0; bin < binCount; ++bin) {
        const int owner = owners[static_cast<std::size_t>(bin)];
        if (owner >= 0) {
            linesByNode[static_cast<std::size_t>(owner)].append(
                QLineF(c.x() + layout.tickInner * sinA, c.y() - layout.tickInner * cosA,
                       c.x() + layout.tickOuter * sinA, c.y() - layout.tickOuter * cosA));
        }
        const double nextSin = sinA * stepCos + cosA * stepSin;
        cosA = cosA * stepCos - sinA * stepSin;
        sinA = nextSin;
    }
    for (std::size_t i = 0; i < linesByNode.size(); ++i) {
        if (linesByNode[i].isEmpty()) continue;
        painter.setPen(QPen(m_back.colors[i], 2.0, Qt::SolidLine, Qt::FlatCap));
        painter.drawLines(linesByNode[i]);
    }
}

void RingView::writeTickPixels(const RingLayout& layout, const QRect& rect) {
    // A dense ring fills every bin: thousands of one-pixel radial lines, written straight into the
    // back layer (the raster engine's line drawing was the largest part of a cold frame).
    const int binCount = geometry::tickBinCount(layout);
    const std::vector<int> owners = geometry::tickBinOwners(*m_snapshot, binCount);
    const double dpr = m_back.devicePixelRatio;
    QImage& image = m_back.image;
    auto* bits = reinterpret_cast<QRgb*>(image.bits());
    const qsizetype stride = image.bytesPerLine() / static_cast<qsizetype>(sizeof(QRgb));
    const double cx = (layout.centre.x() - rect.left()) * dpr;
    const double cy = (layout.centre.y() - rect.top()) * dpr;
    const double inner = layout.tickInner * dpr;
    const int length = static_cast<int>(std::lround((layout.tickOuter - layout.tickInner) * dpr));
    const double step = kTwoPi / binCount;
    const double stepSin = std::sin(step);
    const double stepCos = std::cos(step);
    double sinA = std::sin(step / 2);
    double cosA = std::cos(step / 2);
    for (int bin = 0; bin < binCount; ++bin) {
        const int owner = owners[static_cast<std::size_t>(bin)];
        if (owner >= 0) {
            const QRgb color = m_back.colors[static_cast<std::size_t>(owner)].rgb();
            for (int k = 0; k <= length; ++k) {
                const double r = inner + k;
                const int x = static_cast<int>(cx + r * sinA);
                const int y = static_cast<int>(cy - r * cosA);
                if (x >= 0 && y >= 0 && x < image.width() && y < image.height()) bits[y * stride + x] = color;
            }
        }
        const double nextSin = sinA * stepCos + cosA * stepSin;
        cosA = cosA * stepCos - sinA * stepSin;
        sinA = nextSin;
    }
}

void RingView::paintKeyDiscs(QPainter& painter, const RingLayout& layout) {
    const double radius = std::clamp(layout.fontPx * 0.17, 2.0, 3.4);
    for (const KeyView& key : m_snapshot->keys) {
        const bool valid = key.owner >= 0 && static_cast<std::size_t>(key.owner) < m_back.colors.size();
        drawDisc(painter,
                 geometry::pointForHash(layout.centre, geometry::keyRadius(layout, key.hash), key.hash),
                 valid ? m_back.colors[static_cast<std::size_t>(key.owner)] : crashedColor(), radius, false);
    }
}

const QImage& RingView::disc(QColor color, double radius, bool outline, qreal devicePixelRatio) {
    const auto key = std::make_tuple(color.rgba(), static_cast<int>(std::lround(radius * 8)), outline,
                                     static_cast<int>(std::lround(devicePixelRatio * 8)));
    auto it = m_discs.find(key);
    if (it != m_discs.end()) return it->second;
    if (m_discs.size() >= kDiscCacheMax) m_discs.clear();
    const int side = static_cast<int>(std::ceil((2 * radius + 2) * devicePixelRatio));
    QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    image.setDevicePixelRatio(devicePixelRatio);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(outline ? QPen(QColor(0x20, 0x21, 0x24, 200), 1.0) : QPen(Qt::NoPen));
        painter.setBrush(color);
        const double c = side / devicePixelRatio / 2.0;
        painter.drawEllipse(QPointF(c, c), outline ? radius - 0.5 : radius, outline ? radius - 0.5 : radius);
    }
    return m_discs.emplace(key, std::move(image)).first->second;
}

void RingView::drawDisc(QPainter& painter, QPointF centre, QColor color, double radius, bool outline) {
    const qreal dpr = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
    const QImage& image = disc(color, radius, outline, dpr);
    const double half = image.width() / dpr / 2.0;
    // Whole pixels: an unscaled blit at an integer position is a plain copy with alpha.
    painter.drawImage(
        QPointF(std::round((centre.x() - half) * dpr) / dpr, std::round((centre.y() - half) * dpr) / dpr),
        image);
}

const RingView::CachedText& RingView::cachedText(const QString& text, const QFont& font) {
    QString key = QString::number(font.pixelSize());
    key += font.bold() ? u'b' : u'r';
    key += text;
    auto it = m_texts.find(key);
    if (it != m_texts.end()) return it->second;
    if (m_texts.size() >= kTextCacheMax) m_texts.clear();
    CachedText entry;
    entry.text = QStaticText(text);
    entry.text.setTextFormat(Qt::PlainText);
    entry.text.setPerformanceHint(QStaticText::AggressiveCaching);
    entry.text.prepare(QTransform(), font);
    entry.width = entry.text.size().width();
    entry.height = QFontMetricsF(font).height();
    return m_texts.emplace(std::move(key), std::move(entry)).first->second;
}

void RingView::drawRadialLabel(QPainter& painter, QPointF origin, double gap, double angle,
                               const std::vector<LabelLine>& lines, bool halo) {
    if (lines.empty()) return;
    std::vector<const CachedText*> texts;
    texts.reserve(lines.size());
    double width = 0;
    double height = 0;
    for (const LabelLine& line : lines) {
        texts.push_back(&cachedText(line.text, line.font));
        width = std::max(width, texts.back()->width);
        height += texts.back()->height;
    }
    const double ux = std::sin(angle);
    const double uy = -std::cos(angle);
    const QPointF anchor = origin + QPointF(ux, uy) * gap;
    const QPointF boxCentre = anchor + QPointF(ux * width / 2.0, uy * height / 2.0);
    QRectF box(boxCentre.x() - width / 2.0, boxCentre.y() - height / 2.0, width, height);
    // On the diagonals a corner of the box reaches back towards the origin; push the box outwards
    // until its nearest point keeps the gap.
    for (int i = 0; i < 4; ++i) {
        const QPointF nearest(std::clamp(origin.x(), box.left(), box.right()),
                              std::clamp(origin.y(), box.top(), box.bottom()));
        const double distance = QLineF(origin, nearest).length();
        if (distance >= gap - 0.5) break;
        box.translate(QPointF(ux, uy) * (gap - distance));
    }
    if (halo) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(255, 255, 255, 215));
        painter.drawRoundedRect(box.adjusted(-3, -1, 3, 1), 3, 3);
    }
    double y = box.top();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const double lineWidth = texts[i]->width;
        double x = box.center().x() - lineWidth / 2.0;
        if (ux > 0.35) x = box.left();
        if (ux < -0.35) x = box.right() - lineWidth;
        painter.setFont(lines[i].font);
        painter.setPen(lines[i].color);
        painter.drawStaticText(QPointF(x, y), texts[i]->text);
        y += texts[i]->height;
    }
}

void RingView::writeKeyPixels(const RingLayout& layout, const QRect& rect) {
    // Tens of thousands of keys: write pixels straight into the back layer. A table of sines per
    // fraction of a pixel of circumference replaces 100,000 calls to sin and cos.
    const double dpr = m_back.devicePixelRatio;
    const int angleCount =
        std::max(256, static_cast<int>(std::ceil(kTwoPi * layout.keyOuter * dpr)) * kKeyAngleSubdivisions);
    std::vector<float> sines(static_cast<std::size_t>(angleCount));
    std::vector<float> cosines(static_cast<std::size_t>(angleCount));
    const double step = kTwoPi / angleCount;
    const double stepSin = std::sin(step);
    const double stepCos = std::cos(step);
    double sinA = std::sin(step / 2);
    double cosA = std::cos(step / 2);
    for (std::size_t i = 0; i < sines.size(); ++i) {
        sines[i] = static_cast<float>(sinA);
        cosines[i] = static_cast<float>(cosA);
        const double nextSin = sinA * stepCos + cosA * stepSin;
        cosA = cosA * stepCos - sinA * stepSin;
        sinA = nextSin;
    }
    std::vector<QRgb> colors(m_back.colors.size());
    for (std::size_t i = 0; i < colors.size(); ++i) colors[i] = m_back.colors[i].rgb();
    const QRgb orphan = crashedColor().rgb();

    QImage& image = m_back.image;
    const int width = image.width();
    const int height = image.height();
    const int block = m_snapshot->keys.size() <= kKeyBlocksMax ? std::max(2, static_cast<int>(dpr * 2)) : 1;
    const double cx = (layout.centre.x() - rect.left()) * dpr;
    const double cy = (layout.centre.y() - rect.top()) * dpr;
    auto* bits = reinterpret_cast<QRgb*>(image.bits());
    const qsizetype stride = image.bytesPerLine() / static_cast<qsizetype>(sizeof(QRgb));
    for (const KeyView& key : m_snapshot->keys) {
        const auto a = static_cast<std::size_t>(geometry::binOfHash(key.hash, angleCount));
        const double r = geometry::keyRadius(layout, key.hash) * dpr;
        const int x = static_cast<int>(cx + r * sines[a]);
        const int y = static_cast<int>(cy - r * cosines[a]);
        if (x < 0 || y < 0 || x + block > width || y + block > height) continue;
        const bool valid = key.owner >= 0 && static_cast<std::size_t>(key.owner) < colors.size();
        const QRgb color = valid ? colors[static_cast<std::size_t>(key.owner)] : orphan;
        for (int dy = 0; dy < block; ++dy) {
            QRgb* row = bits + (y + dy) * stride + x;
            for (int dx = 0; dx < block; ++dx) row[dx] = color;
        }
    }
}

void RingView::paintCuts(QPainter& painter, const RingLayout& layout) {
    const auto& markers = m_back.markers;
    const QColor red = faultColor();
    const QFont labelFont = fontWithPixelSize(font(), layout.fontPx * 0.9, true);
    if (!m_back.partition.cutAngles.empty()) {
        QPen pen(red, std::max(3.0, layout.radius * 0.011), Qt::DashLine, Qt::FlatCap);
        const double reach = layout.markerRadius + layout.markerSizeMax * 0.6;
        for (const double angle : m_back.partition.cutAngles) {
            painter.setPen(pen);
            painter.drawLine(layout.centre, geometry::pointAtAngle(layout.centre, reach, angle));
            drawRadialLabel(painter, geometry::pointAtAngle(layout.centre, reach, angle), 4, angle,
                            {{tr("partition"), labelFont, red}}, true);
        }
        // A red hub makes the cuts read as one line even when they meet at an angle.
        painter.setPen(Qt::NoPen);
        painter.setBrush(red);
        painter.drawEllipse(layout.centre, pen.widthF() * 0.9, pen.widthF() * 0.9);
    }
    for (const auto& [from, to] : m_snapshot->partitions.oneWayCuts) {
        if (from < 0 || to < 0 || static_cast<std::size_t>(from) >= markers.size() ||
            static_cast<std::size_t>(to) >= markers.size()) {
            continue;
        }
        const NodeMarker& a = markers[static_cast<std::size_t>(from)];
        const NodeMarker& b = markers[static_cast<std::size_t>(to)];
        if (!a.visible || !b.visible) continue;
        const QLineF chord(a.centre, b.centre);
        if (chord.length() < 1.0) continue;
        // "from -> | to": the arrow stops at a bar, 60 % of the way, where messages are dropped.
        const QPointF unit = (b.centre - a.centre) / chord.length();
        const QPointF normal(-unit.y(), unit.x());
        const QPointF start = a.centre + unit * (a.size + 4);
        const QPointF barCentre = a.centre + unit * (chord.length() * 0.6);
        const double width = std::max(3.0, layout.radius * 0.011);
        const double head = width * 3.5;
        const double barHalf = layout.fontPx * 0.9;
        painter.setPen(QPen(red, width, Qt::SolidLine, Qt::FlatCap));
        painter.drawLine(start, barCentre - unit * head);
        painter.setPen(QPen(red, width * 1.4, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(barCentre - normal * barHalf, barCentre + normal * barHalf);
        QPainterPath arrow;
        const QPointF tip = barCentre - unit * (width * 1.2);
        arrow.moveTo(tip);
        arrow.lineTo(tip - unit * head + normal * head * 0.55);
        arrow.lineTo(tip - unit * head - normal * head * 0.55);
        arrow.closeSubpath();
        painter.setPen(Qt::NoPen);
        painter.setBrush(red);
        painter.drawPath(arrow);
        // A faint continuation shows where the message would have gone.
        painter.setPen(QPen(QColor(red.red(), red.green(), red.blue(), 70), width * 0.6, Qt::DotLine));
        painter.drawLine(barCentre + unit * (width * 1.5), b.centre - unit * (b.size + 4));
        // Label beside the bar, on the side the bar's normal points away from the centre.
        const QPointF side = QPointF::dotProduct(normal, barCentre - layout.centre) >= 0 ? normal : -normal;
        drawRadialLabel(painter, barCentre, barHalf + 4, geometry::angleOfPoint(barCentre, barCentre + side),
                        {{tr("one-way cut"), labelFont, red}}, true);
    }
}

void RingView::paintNodes(QPainter& painter, const RingLayout& layout) {
    const auto& nodes = m_snapshot->nodes;
    const auto& markers = m_back.markers;
    int serverCount = 0;
    for (const NodeMarker& m : markers) serverCount += m.visible && m.server ? 1 : 0;
    const LabelDetail detail = geometry::labelDetail(layout, serverCount);
    const QFont idFont = fontWithPixelSize(font(), layout.fontPx, true);
    const QFont smallFont = fontWithPixelSize(font(), layout.fontPx * 0.8);
    const QFont clientFont = fontWithPixelSize(font(), layout.fontPx * 0.85, true);
    std::size_t sparseLabels = 0;

    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const NodeMarker& marker = markers[i];
        if (!marker.visible) continue;
        const NodeView& node = nodes[i];
        const QString id = QString::fromStdString(node.id);
        const bool selected = !m_selectedId.isEmpty() && id == m_selectedId;
        const bool crashed = node.status == NodeStatus::Crashed;
        const bool paused = node.status == NodeStatus::Paused;
        const bool member = !marker.server || node.onRing;
        QColor fill = m_back.colors[i];
        const double s = marker.size;

        if (marker.server && s >= kDenseMarkerPx) {
            // A faint stem ties the marker to its home point on the ring.
            QColor stem = m_back.colors[i];
            stem.setAlpha(member ? 110 : 50);
            painter.setPen(QPen(stem, 1.5));
            painter.drawLine(geometry::pointAtAngle(layout.centre, layout.radius, marker.angle),
                             geometry::pointAtAngle(marker.centre, -s, marker.angle));
        }
        if (marker.server && s < kDenseMarkerPx && !selected) {
            // Dense ring: plain squares, no antialiasing, no outline.
            if (!member) fill.setAlpha(90);
            painter.fillRect(QRectF(marker.centre.x() - s, marker.centre.y() - s, 2 * s, 2 * s), fill);
        } else {
            QPen outline(Qt::white, std::max(1.0, s * 0.14));
            if (!member && !crashed) {
                fill.setAlpha(80);
                outline = QPen(m_back.colors[i], std::max(1.0, s * 0.12), Qt::DashLine);
            }
            painter.setPen(outline);
            painter.setBrush(fill);
            if (marker.server) {
                painter.drawEllipse(marker.centre, s, s);
            } else {
                painter.drawRect(QRectF(marker.centre.x() - s, marker.centre.y() - s, 2 * s, 2 * s));
            }
            if (crashed) {
                const double c = s * 0.5;
                painter.setPen(
                    QPen(QColor(0x42, 0x42, 0x42), std::max(1.5, s * 0.2), Qt::SolidLine, Qt::RoundCap));
                painter.drawLine(marker.centre + QPointF(-c, -c), marker.centre + QPointF(c, c));
                painter.drawLine(marker.centre + QPointF(-c, c), marker.centre + QPointF(c, -c));
            } else if (paused) {
                const double barW = std::max(1.0, s * 0.22);
                const double barH = s * 0.95;
                painter.setPen(Qt::NoPen);
                painter.setBrush(Qt::white);
                painter.drawRect(
                    QRectF(marker.centre.x() - barW * 1.4, marker.centre.y() - barH / 2, barW, barH));
                painter.drawRect(
                    QRectF(marker.centre.x() + barW * 0.4, marker.centre.y() - barH / 2, barW, barH));
            }
        }
        const double ringRadius = std::max(s + std::max(3.0, s * 0.4), 7.0);
        if (selected) {
            painter.setPen(QPen(kInkColor, 2.5));
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(marker.centre, ringRadius, ringRadius);
        }

        // Labels, as far as the level of detail allows.
        const bool attention = selected || crashed || paused;
        bool labelled = !marker.server || detail != LabelDetail::Sparse;
        if (!labelled && attention && sparseLabels < kSparseLabelsMax) {
            labelled = true;
            ++sparseLabels;
        }
        if (!labelled) continue;
        std::vector<LabelLine> lines;
        lines.push_back(
            {id, marker.server ? idFont : clientFont, member || crashed ? kInkColor : kMutedInkColor});
        if (marker.server && detail == LabelDetail::Full && member && !crashed) {
            const QString keys = node.keysOwned == 1 ? tr("1 key") : tr("%1 keys").arg(node.keysOwned);
            lines.push_back({keys, smallFont, kMutedInkColor});
        }
        if (crashed) lines.push_back({node.unreachable ? tr("unreachable") : tr("crashed"), smallFont, kMutedInkColor});
        if (paused) {
            const SimTime left = std::max<SimTime>(0, node.pausedUntil - m_snapshot->now);
            lines.push_back(
                {tr("paused, %1 left").arg(geometry::formatSimTime(left)), smallFont, kMutedInkColor});
        }
        if (marker.server && !node.onRing && !crashed && detail != LabelDetail::Sparse) {
            lines.push_back({tr("not on the ring"), smallFont, kMutedInkColor});
        }
        const double extent = selected ? ringRadius + 1.0 : (marker.server ? s : s * 1.42);
        const double gap = extent + std::max(4.0, layout.fontPx * 0.3);
        // Servers label outwards, away from the ring; clients label towards the ring, away from the
        // message lanes that cross the centre.
        drawRadialLabel(painter, marker.centre, gap, marker.angle, lines, !marker.server);
    }
}

void RingView::paintMessages(QPainter& painter, const RingLayout& layout) {
    const auto& messages = m_snapshot->inFlight;
    const auto& markers = m_back.markers;
    const std::size_t count = std::min(messages.size(), kMessagesDrawnMax);
    const bool detailed = count <= kMessageTrailsMax;
    const bool labelled = count < kMessageLabelsMax;
    const double radius = detailed ? std::clamp(layout.fontPx * 0.42, 4.5, 8.5) : 2.5;
    const QFont labelFont = fontWithPixelSize(font(), layout.fontPx * 0.8);

    for (std::size_t k = 0; k < count; ++k) {
        const MessageView& message = messages[k];
        if (message.src < 0 || message.dest < 0 || static_cast<std::size_t>(message.src) >= markers.size() ||
            static_cast<std::size_t>(message.dest) >= markers.size()) {
            continue;
        }
        const NodeMarker& from = markers[static_cast<std::size_t>(message.src)];
        const NodeMarker& to = markers[static_cast<std::size_t>(message.dest)];
        if (!from.visible || !to.visible) continue;
        const geometry::MessagePath path = geometry::messagePath(from.centre, to.centre);
        const double t = geometry::flightFraction(message.sentAt, message.deliverAt, m_snapshot->now);
        const QPointF position = geometry::pointOnPath(path, t);
        QColor color = messageTypeColor(message.type);

        if (detailed && t > 0) {
            // A short comet trail of fading dots, about 40 pixels or an eighth of the path.
            const double chord = QLineF(from.centre, to.centre).length();
            const double trail = std::min(t, std::min(0.12, chord > 0 ? 40.0 / chord : 0.12));
            for (int i = 3; i >= 1; --i) {
                QColor faded = color;
                faded.setAlpha(200 - 50 * i);
                drawDisc(painter, geometry::pointOnPath(path, t - trail * i / 3.0), faded,
                         radius * (1.0 - 0.16 * i), false);
            }
        }
        drawDisc(painter, position, color, radius, detailed);

        if (labelled) {
            const CachedText& text = cachedText(QString::fromStdString(message.type), labelFont);
            const QPointF at = position + QPointF(radius + 3, -radius - text.height + 2);
            painter.setPen(Qt::NoPen);
            painter.setBrush(QColor(255, 255, 255, 190));
            painter.drawRoundedRect(QRectF(at.x() - 2, at.y(), text.width + 4, text.height), 2, 2);
            painter.setFont(labelFont);
            painter.setPen(color.darker(150));
            painter.drawStaticText(at, text.text);
        }
    }
}

void RingView::paintHeader(QPainter& painter, const RingLayout& layout, const QRect& rect) {
    const ClusterSnapshot& s = *m_snapshot;
    const QFont timeFont = fontWithPixelSize(font(), layout.fontPx * 1.3, true);
    const QFont textFont = fontWithPixelSize(font(), layout.fontPx * 0.85);
    int servers = 0;
    for (const NodeView& node : s.nodes)
        servers += node.role == NodeRole::Server && node.status != NodeStatus::Removed;
    // Lines that change every frame are drawn directly; the others come from the text cache.
    const QString time = tr("t = %1").arg(geometry::formatSimTime(s.now));
    const QString events = s.networked ? tr("%1 events · real processes").arg(s.events)
                                       : tr("%1 events · seed %2").arg(s.events).arg(s.seed);
    const CachedText* scenario =
        s.scenarioName.empty() ? nullptr : &cachedText(QString::fromStdString(s.scenarioName), textFont);
    std::vector<const CachedText*> lines;
    lines.push_back(&cachedText(tr("hash %1 · %2 vnodes per node")
                                    .arg(s.hashName.empty() ? tr("none") : QString::fromStdString(s.hashName))
                                    .arg(s.vnodesPerNode),
                                textFont));
    lines.push_back(&cachedText(tr("%1 servers · %2 keys").arg(servers).arg(s.keys.size()), textFont));

    const QFontMetricsF timeMetrics(timeFont);
    const QFontMetricsF textMetrics(textFont);
    // Wide enough for a long time stamp, so that the panel does not twitch as time advances.
    double width = std::max(timeMetrics.horizontalAdvance(time),
                            timeMetrics.horizontalAdvance(QStringLiteral("t = 000.000 s")));
    width = std::max(width, textMetrics.horizontalAdvance(events));
    for (const CachedText* line : lines) width = std::max(width, line->width);
    if (scenario) width = std::max(width, scenario->width);
    const double pad = layout.fontPx * 0.6;
    const double height =
        timeMetrics.height() + static_cast<double>(lines.size() + (scenario ? 2 : 1)) * textMetrics.height();
    const QRectF panel(rect.left() + pad, rect.top() + pad, width + 2 * pad, height + 1.4 * pad);

    painter.setPen(QPen(kPanelBorder, 1.0));
    painter.setBrush(QColor(0xF8, 0xF9, 0xFA, 235));
    painter.drawRoundedRect(panel, 6, 6);
    double y = panel.top() + pad * 0.7;
    painter.setFont(timeFont);
    painter.setPen(kInkColor);
    painter.drawText(QPointF(panel.left() + pad, y + timeMetrics.ascent()), time);
    y += timeMetrics.height();
    painter.setFont(textFont);
    if (scenario) {
        painter.drawStaticText(QPointF(panel.left() + pad, y), scenario->text);
        y += scenario->height;
    }
    painter.setPen(kMutedInkColor);
    painter.drawText(QPointF(panel.left() + pad, y + textMetrics.ascent()), events);
    y += textMetrics.height();
    for (const CachedText* line : lines) {
        painter.drawStaticText(QPointF(panel.left() + pad, y), line->text);
        y += line->height;
    }
}

void RingView::paintMessageLegend(QPainter& painter, const RingLayout& layout, const QRect& rect) {
    if (m_snapshot->inFlight.empty()) return;
    // Types present in this frame, alphabetically, so the legend does not shuffle between frames.
    std::map<std::string, std::size_t> types;
    for (const MessageView& message : m_snapshot->inFlight) {
        auto it = types.find(message.type);
        if (it != types.end()) {
            ++it->second;
        } else if (types.size() < kLegendTypesMax) {
            types.emplace(message.type, 1);
        }
    }
    const QFont font = fontWithPixelSize(this->font(), layout.fontPx * 0.85);
    const QFont titleFont = fontWithPixelSize(this->font(), layout.fontPx * 0.85, true);
    const double pad = layout.fontPx * 0.6;
    const CachedText& title = cachedText(tr("messages in flight"), titleFont);
    const double lineHeight = title.height;
    const double dot = lineHeight * 0.28;
    // Two columns: type names (cached) and counts, which change every frame but are short numbers.
    std::vector<const CachedText*> names;
    std::vector<const CachedText*> counts;
    double nameWidth = 0;
    double countWidth = 0;
    for (const auto& [type, count] : types) {
        names.push_back(&cachedText(QString::fromStdString(type), font));
        counts.push_back(&cachedText(QString::number(count), font));
        nameWidth = std::max(nameWidth, names.back()->width);
        countWidth = std::max(countWidth, counts.back()->width);
    }
    const double nameLeft = dot * 2 + pad * 0.6;
    const double width = std::max(title.width, nameLeft + nameWidth + pad + countWidth);
    const double height = lineHeight * static_cast<double>(names.size() + 1);
    const QRectF panel(rect.left() + pad, rect.bottom() - pad - height - 1.4 * pad, width + 2 * pad,
                       height + 1.4 * pad);
    painter.setPen(QPen(kPanelBorder, 1.0));
    painter.setBrush(QColor(0xF8, 0xF9, 0xFA, 235));
    painter.drawRoundedRect(panel, 6, 6);
    double y = panel.top() + pad * 0.7;
    painter.setFont(titleFont);
    painter.setPen(kInkColor);
    painter.drawStaticText(QPointF(panel.left() + pad, y), title.text);
    y += lineHeight;
    painter.setFont(font);
    const double left = panel.left() + pad;
    std::size_t k = 0;
    for (const auto& entry : types) {
        drawDisc(painter, QPointF(left + dot, y + lineHeight / 2), messageTypeColor(entry.first), dot, true);
        painter.setPen(kMutedInkColor);
        painter.drawStaticText(QPointF(left + nameLeft, y), names[k]->text);
        painter.drawStaticText(QPointF(panel.right() - pad - counts[k]->width, y), counts[k]->text);
        ++k;
        y += lineHeight;
    }
}

void RingView::paintEmpty(QPainter& painter, const RingLayout& layout, const QRect& rect) {
    painter.fillRect(rect, kBackground);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(QColor(0xDA, 0xDC, 0xE0), 2.0, Qt::DashLine));
    painter.setBrush(Qt::NoBrush);
    painter.drawEllipse(layout.centre, layout.radius, layout.radius);
    painter.setFont(fontWithPixelSize(font(), layout.fontPx));
    painter.setPen(kMutedInkColor);
    painter.drawText(rect, Qt::AlignCenter, tr("No cluster yet: start a scenario or type a command."));
}

}  // namespace distlab
