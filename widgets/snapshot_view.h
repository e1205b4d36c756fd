#pragma once
// What the lab's card views (LockView, QueueView) share: they keep the latest snapshot and the selected
// node, draw every text through drawText(), which elides it to fit and records what was drawn where (the
// tests read it back), and emit nodeSelected() on a click. The views hold no protocol logic.
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <utility>
#include <vector>

#include "core/scenario/snapshot.h"

class QPainter;

namespace distlab {

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

public slots:
    // Highlights the node with this id (empty: none). Does not emit nodeSelected().
    void setSelectedNode(const QString& id);

signals:
    void nodeSelected(const QString& id);

protected:
    // Draws `text` elided to fit `rect` (or word-wrapped, with Qt::TextWordWrap) and records it.
    void drawText(QPainter& painter, const QRectF& rect, int flags, const QString& text);
    // Called at the start of every paint.
    void forgetDrawnTexts() { m_drawn.clear(); }

    std::shared_ptr<const ClusterSnapshot> m_snapshot;
    QString m_selectedId;

private:
    std::vector<std::pair<QString, QRectF>> m_drawn;
};

}  // namespace distlab
