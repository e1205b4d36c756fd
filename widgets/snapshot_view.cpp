#include "widgets/snapshot_view.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace distlab {

QFont cards::fontWithPixelSize(const QFont& base, double px, bool bold) {
    QFont font = base;
    font.setPixelSize(std::max(8, static_cast<int>(std::lround(px))));
    font.setBold(bold);
    return font;
}

SnapshotView::SnapshotView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);  // every pixel is painted
}

SnapshotView::~SnapshotView() = default;

void SnapshotView::setSnapshot(std::shared_ptr<const ClusterSnapshot> snapshot) {
    m_snapshot = std::move(snapshot);
    update();
}

void SnapshotView::setSelectedNode(const QString& id) {
    if (id == m_selectedId) return;
    m_selectedId = id;
    update();
}

QStringList SnapshotView::drawnTexts() const {
    QStringList texts;
    texts.reserve(static_cast<qsizetype>(m_drawn.size()));
    for (const auto& item : m_drawn) texts << item.first;
    return texts;
}

void SnapshotView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    paintTo(painter, rect());
}

void SnapshotView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QString id = m_snapshot ? nodeAt(*m_snapshot, event->position()) : QString();
    setSelectedNode(id);
    emit nodeSelected(id);
}

const ClusterSnapshot& SnapshotView::beginPaint(QPainter& painter, const QRect& rect) {
    static const ClusterSnapshot kEmpty;
    m_drawn.clear();
    painter.save();
    painter.fillRect(rect, cards::kBackground);
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    return m_snapshot ? *m_snapshot : kEmpty;
}

void SnapshotView::paintHint(QPainter& painter, const QRect& rect, double fontPx, const QString& hint) {
    painter.setFont(cards::fontWithPixelSize(font(), fontPx * 1.1));
    painter.setPen(cards::kMutedInkColor);
    drawText(painter, rect, Qt::AlignCenter | Qt::TextWordWrap, hint);
}

void SnapshotView::drawText(QPainter& painter, const QRectF& rect, int flags, const QString& text) {
    if (text.isEmpty() || rect.width() <= 1) return;
    // Recorded with the extent the text really covers, so that tests can check what overlaps what.
    QRectF extent;
    if (flags & Qt::TextWordWrap) {
        painter.drawText(rect, flags, text, &extent);
        m_drawn.emplace_back(text, extent);
        return;
    }
    const QString shown = QFontMetricsF(painter.font()).elidedText(text, Qt::ElideRight, rect.width());
    if (shown.isEmpty()) return;
    painter.drawText(rect, flags | Qt::TextSingleLine, shown, &extent);
    m_drawn.emplace_back(shown, extent);
}

}  // namespace distlab
