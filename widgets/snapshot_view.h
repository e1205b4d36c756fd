#pragma once
// What the lab's card views (LockView, QueueView) share: they keep the latest snapshot and the selected
// node, draw every text through drawText(), which elides it to fit and records what was drawn where (the
// tests read it back), and emit nodeSelected() on a click. The views hold no protocol logic.
#include <QColor>
#include <QFont>
#include <QPointF>
#include <QRect>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <utility>
#include <vector>

#include "core/session/snapshot.h"

class QPainter;

namespace distlab {

// The card views' common ink: a white page, pale cards, dark and muted text, thin borders.
namespace cards {
inline const QColor kBackground(0xFF, 0xFF, 0xFF);
inline const QColor kCardColor(0xF8, 0xF9, 0xFA);
inline const QColor kInkColor(0x20, 0x21, 0x24);
inline const QColor kMutedInkColor(0x5F, 0x63, 0x68);
inline const QColor kPanelBorder(0xDA, 0xDC, 0xE0);
inline const QColor kTrackColor(0xEC, 0xEE, 0xF1);
inline const QColor kSelectionColor(0xE3, 0xEC, 0xFA);
inline const QColor kAcceptedColor(0x0B, 0x7A, 0x3B);
// `base` at px pixels (at least 8), bold or not.
QFont fontWithPixelSize(const QFont& base, double px, bool bold = false);
}  // namespace cards

class SnapshotView : public QWidget {
    Q_OBJECT

public:
    explicit SnapshotView(QWidget* parent = nullptr);
    ~SnapshotView() override;

    // Stores the snapshot and schedules a repaint; nothing else, as it is called up to 60 times a second.
    void setSnapshot(std::shared_ptr<const distlab::ClusterSnapshot> snapshot);
    std::shared_ptr<const distlab::ClusterSnapshot> snapshot() const { return m_snapshot; }

    QString selectedNode() const { return m_selectedId; }

    // The strings drawn by the last paint, in drawing order (elided as shown), and the area each covers.
    QStringList drawnTexts() const;
    const std::vector<std::pair<QString, QRectF>>& drawnTextItems() const { return m_drawn; }

    // Paints the whole picture into `rect` of `painter`'s device. Used by paintEvent(), screenshots and
    // the tests.
    virtual void paintTo(QPainter& painter, const QRect& rect) = 0;

public slots:
    // Highlights the node with this id (empty: none). Does not emit nodeSelected().
    void setSelectedNode(const QString& id);

signals:
    void nodeSelected(const QString& id);

protected:
    void paintEvent(QPaintEvent* event) override;
    // A left click selects the node nodeAt() names (empty: none) and emits nodeSelected().
    void mousePressEvent(QMouseEvent* event) override;
    // The node whose part of the picture drawn into rect() lies under `p`; empty when none does.
    virtual QString nodeAt(const ClusterSnapshot& snapshot, QPointF p) const = 0;

    // Draws `text` elided to fit `rect` (or word-wrapped, with Qt::TextWordWrap) and records it.
    void drawText(QPainter& painter, const QRectF& rect, int flags, const QString& text);
    // Starts a paint into `rect`: forgets the texts drawn last time, saves the painter, fills the page and
    // turns antialiasing on. The snapshot to draw (an empty one before the first). The caller restores.
    const ClusterSnapshot& beginPaint(QPainter& painter, const QRect& rect);
    // The centred, word-wrapped hint a view shows instead of a lab that is not running.
    void paintHint(QPainter& painter, const QRect& rect, double fontPx, const QString& hint);

    std::shared_ptr<const ClusterSnapshot> m_snapshot;
    QString m_selectedId;

private:
    std::vector<std::pair<QString, QRectF>> m_drawn;
};

}  // namespace distlab
