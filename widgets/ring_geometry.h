#pragma once
// Pure geometry of the ring view: where a hash sits on the circle, where node markers, ticks, keys and
// messages go for a given rectangle, and the level-of-detail binning. No widget and no painter here,
// so the tests can check every coordinate the view draws without opening a window (as PulseView keeps
// its ruler maths apart from its widgets).
//
// Angles are in radians, 0 at 12 o'clock, growing clockwise, in [0, 2*pi). Screen y grows downwards.
#include <QPointF>
#include <QRectF>
#include <QString>

#include <cstdint>
#include <vector>

#include "core/session/snapshot.h"

namespace distlab::geometry {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 2.0 * kPi;

// Fraction of a full turn for a 64-bit ring position: h / 2^64, in [0, 1).
double hashTurns(std::uint64_t hash);
// Angle of a ring position: hashTurns(hash) of a full turn, clockwise from 12 o'clock.
double hashAngle(std::uint64_t hash);
// The point at `angle` on the circle of `radius` around `centre`.
QPointF pointAtAngle(QPointF centre, double radius, double angle);
// The point of a ring position on the circle of `radius` around `centre`.
QPointF pointForHash(QPointF centre, double radius, std::uint64_t hash);
// Angle of `point` seen from `centre`, with the same convention as hashAngle().
double angleOfPoint(QPointF centre, QPointF point);

// Radii of every band of the picture, derived from the widget rectangle.
struct RingLayout {
    QPointF centre;
    double radius = 0;     // the ring circle itself
    double tickInner = 0;  // virtual-node ticks: just outside the ring
    double tickOuter = 0;
    double keyOuter = 0;  // sample keys: a band just inside the ring
    double keyInner = 0;
    double markerRadius = 0;   // circle on which server markers sit, outside the ticks
    double markerSizeMax = 0;  // largest server marker radius (few nodes)
    double innerRadius = 0;    // circle on which clients and control nodes sit
    double fontPx = 0;         // base text size in pixels, grows with the ring for the back row
};

// Layout for a rectangle: the ring is centred and leaves room for labels outside the markers, and for
// the header in the top-left corner.
RingLayout ringLayout(const QRectF& rect);

// Radius of a key dot: inside the ring, jittered by the hash's low bits so that dense arcs show as
// dense bands instead of one overdrawn line.
double keyRadius(const RingLayout& layout, std::uint64_t hash);

// How much text fits next to the server markers.
enum class LabelDetail {
    Full,    // id and number of keys owned
    IdOnly,  // id only
    Sparse,  // no labels except for nodes that need attention (selected, crashed, paused)
};

// Where one node of the snapshot is drawn.
struct NodeMarker {
    bool visible = false;  // removed nodes are not drawn
    bool server = true;    // servers sit outside the ring, clients and control nodes on the inner circle
    double angle = 0;      // of the marker centre (servers: home point, possibly spread apart)
    QPointF centre;
    double size = 0;  // radius of a server disc, half side of a client square
};

// Average spacing in pixels between server markers, and the label detail it allows.
double serverSpacing(const RingLayout& layout, int serverCount);
LabelDetail labelDetail(const RingLayout& layout, int serverCount);

// One marker per snapshot node, same indices as ClusterSnapshot::nodes. Servers sit at their home point;
// when few enough to be labelled, markers closer than a label height are pushed apart along the circle
// so that labels do not collide. Clients and control nodes are spread evenly on the inner circle in
// snapshot order.
std::vector<NodeMarker> nodeMarkers(const RingLayout& layout, const ClusterSnapshot& snapshot);

// Spread angles (same order as given) so that neighbours on the circle are at least `minGap` apart,
// moving each as little as practical. If they cannot all fit, the gap shrinks to 2*pi / n.
std::vector<double> spreadAngles(const std::vector<double>& angles, double minGap);

// Index of the node whose marker contains `point` (with `slopPx` of tolerance for fingers and
// projectors), the nearest one if several do; -1 on empty space.
int hitTestNode(const std::vector<NodeMarker>& markers, QPointF point, double slopPx = 4.0);

// A message path: a quadratic Bezier from sender to receiver, bent to the left of the direction of
// travel so that a request and its reply use two separate lanes.
struct MessagePath {
    QPointF from;
    QPointF control;
    QPointF to;
};

constexpr double kMessageBend = 0.14;  // sideways offset of the control point, as a fraction of the chord

MessagePath messagePath(QPointF from, QPointF to, double bend = kMessageBend);
// Point at parameter t in [0, 1]; t = 0.5 is the middle of the path (the curve is symmetric).
QPointF pointOnPath(const MessagePath& path, double t);
// (now - sentAt) / (deliverAt - sentAt), clamped to [0, 1]; 1 for a zero or negative flight time.
double flightFraction(SimTime sentAt, SimTime deliverAt, SimTime now);
// Where a message in flight is at `now`, moving at the pace of simulated time.
QPointF messagePosition(const MessagePath& path, SimTime sentAt, SimTime deliverAt, SimTime now);

// Level of detail for the virtual-node ticks. The circle is cut into angle bins of about one pixel of
// circumference (sqrt(2) bins per pixel, so that diagonal ticks close up); each bin draws at most one tick,
// in the colour of the node owning the bin start, so 1,000 nodes x 160 vnodes cost a few thousand lines
// instead of 160,000.
int tickBinCount(const RingLayout& layout);
// Bin of a ring position: floor(hash * binCount / 2^64).
int binOfHash(std::uint64_t hash, int binCount);
// First ring position of bin `bin`.
std::uint64_t binStart(int bin, int binCount);
// For each bin, the node (index into snapshot.nodes) owning the bin start if one of the ring members'
// virtual nodes falls in the bin -- that is, the node of the first vnode point in the bin -- or -1.
// Ring members are servers with onRing set that are not removed.
std::vector<int> tickBinOwners(const ClusterSnapshot& snapshot, int binCount);

// Partition drawn as radial cuts from the centre: walking round the circle through the markers of the
// nodes in a group, a cut goes half way between neighbours of different groups. Two groups sitting on
// two arcs give two cuts, a line through the centre; interleaved groups give more sectors.
struct PartitionSector {
    double startAngle = 0;  // clockwise from startAngle to endAngle (endAngle may exceed 2*pi)
    double endAngle = 0;
    int group = -1;  // index into PartitionView::groups
};

struct PartitionLayout {
    std::vector<double> cutAngles;         // in increasing order
    std::vector<PartitionSector> sectors;  // one per pair of consecutive cuts
};

PartitionLayout partitionLayout(const std::vector<NodeMarker>& markers, const PartitionView& partitions);

// Simulated time for display: "12.3 ms" below one second, "1.234 s" above.
QString formatSimTime(SimTime micros);

}  // namespace distlab::geometry
