#pragma once
// The consistent-hashing ring as a teacher projects it: the ring, each server's virtual-node ticks,
// sample keys coloured by owner, node markers with labels, clients on an inner circle, messages in
// flight, and partitions drawn as cuts. The view only draws snapshots; it holds no protocol logic.
//
// Painting is layered (PulseView viewport style): the back layer (background, partition tints, ring,
// ticks, keys) is cached in an image and only redrawn when the nodes, keys or partition groups change;
// the mid layer (partition and one-way cuts) and the fore layer (nodes, labels, messages, header) are
// drawn every frame, so frames in which only messages move stay cheap.
#include <QImage>
#include <QStaticText>
#include <QWidget>

#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/session/snapshot.h"
#include "widgets/ring_geometry.h"

class QPainter;

namespace distlab {

class RingView : public QWidget {
    Q_OBJECT

public:
    explicit RingView(QWidget* parent = nullptr);
    ~RingView() override;

    // Stores the snapshot and schedules a repaint; nothing else, as it is called up to 60 times a second.
    void setSnapshot(std::shared_ptr<const distlab::ClusterSnapshot> snapshot);
    std::shared_ptr<const distlab::ClusterSnapshot> snapshot() const { return m_snapshot; }

    QString selectedNode() const { return m_selectedId; }

    // Paints the whole picture into `rect` of `painter`'s device. Used by paintEvent(), screenshots,
    // the tests and the benchmark.
    void paintTo(QPainter& painter, const QRect& rect);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    // Highlights the node with this id (empty: none). Does not emit nodeSelected().
    void setSelectedNode(const QString& id);

signals:
    // Emitted on every left click: the id of the node under the mouse, or an empty string when the
    // click landed on empty space (which also clears the selection).
    void nodeSelected(const QString& id);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    // Everything the back layer depends on, so it can be reused while only time and messages change.
    struct BackLayer {
        QImage image;
        QRect rect;
        qreal devicePixelRatio = 0;
        std::shared_ptr<const ClusterSnapshot> source;  // the snapshot it was drawn from
        std::vector<geometry::NodeMarker> markers;      // same dependencies, so cached with it
        std::vector<QColor> colors;                     // marker colour per node (grey when crashed)
        geometry::PartitionLayout partition;
    };

    // A small antialiased disc, rendered once and then blitted: drawing hundreds of messages or
    // thousands of key dots as images is several times cheaper than stroking as many ellipses.
    const QImage& disc(QColor color, double radius, bool outline, qreal devicePixelRatio);
    void drawDisc(QPainter& painter, QPointF centre, QColor color, double radius, bool outline);

    // Laid-out text, cached: shaping a string costs more than drawing it, and labels rarely change.
    struct CachedText {
        QStaticText text;
        double width = 0;
        double height = 0;
    };
    const CachedText& cachedText(const QString& text, const QFont& font);
    struct LabelLine {
        QString text;
        QFont font;
        QColor color;
    };
    // Lines of text in a box `gap` pixels from `origin` in the radial direction `angle` (no point of
    // the box closer than that), aligned towards the origin: left-aligned on the right of the ring,
    // right-aligned on the left, centred at the top and bottom.
    void drawRadialLabel(QPainter& painter, QPointF origin, double gap, double angle,
                         const std::vector<LabelLine>& lines, bool halo);

    void ensureBackLayer(const geometry::RingLayout& layout, const QRect& rect, qreal devicePixelRatio);
    void paintBackLayer(const geometry::RingLayout& layout, const QRect& rect);
    void paintTicks(QPainter& painter, const geometry::RingLayout& layout);
    void paintKeyDiscs(QPainter& painter, const geometry::RingLayout& layout);
    void writeTickPixels(const geometry::RingLayout& layout, const QRect& rect);
    void writeKeyPixels(const geometry::RingLayout& layout, const QRect& rect);
    void paintCuts(QPainter& painter, const geometry::RingLayout& layout);
    void paintNodes(QPainter& painter, const geometry::RingLayout& layout);
    void paintMessages(QPainter& painter, const geometry::RingLayout& layout);
    void paintHeader(QPainter& painter, const geometry::RingLayout& layout, const QRect& rect);
    void paintMessageLegend(QPainter& painter, const geometry::RingLayout& layout, const QRect& rect);
    void paintEmpty(QPainter& painter, const geometry::RingLayout& layout, const QRect& rect);

    std::shared_ptr<const ClusterSnapshot> m_snapshot;
    QString m_selectedId;
    BackLayer m_back;
    std::map<std::tuple<QRgb, int, bool, int>, QImage> m_discs;  // (colour, radius, outline, dpr) in 1/8 px
    std::unordered_map<QString, CachedText> m_texts;             // keyed by font size, weight and text
};

}  // namespace distlab
