#include "widgets/ring_geometry.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace distlab::geometry {

namespace {

// Below this many servers the markers are spread apart so that their labels do not collide; above it
// labels are sparse anyway and markers stay exactly at their home points.
constexpr int kSpreadServersMax = 200;
constexpr int kSpreadIterationsMax = 200;
constexpr int kTickBinsMin = 64;
constexpr int kTickBinsMax = 16384;

// Average spacing between server markers, in text heights, at which each label detail still fits.
constexpr double kFullLabelSpacingFonts = 3.5;
constexpr double kIdLabelSpacingFonts = 1.5;

using U128 = unsigned __int128;

double normalised(double angle) {
    angle = std::fmod(angle, kTwoPi);
    if (angle < 0) angle += kTwoPi;
    return angle;
}

}  // namespace

double hashTurns(std::uint64_t hash) {
    // ldexp is exact; only the conversion to double rounds, and a result rounded up to 1.0 (hashes
    // within 2^10 of the top) wraps back to 12 o'clock where it belongs.
    const double turns = std::ldexp(static_cast<double>(hash), -64);
    return turns >= 1.0 ? 0.0 : turns;
}

double hashAngle(std::uint64_t hash) {
    return hashTurns(hash) * kTwoPi;
}

QPointF pointAtAngle(QPointF centre, double radius, double angle) {
    return {centre.x() + radius * std::sin(angle), centre.y() - radius * std::cos(angle)};
}

QPointF pointForHash(QPointF centre, double radius, std::uint64_t hash) {
    return pointAtAngle(centre, radius, hashAngle(hash));
}

double angleOfPoint(QPointF centre, QPointF point) {
    const QPointF d = point - centre;
    return normalised(std::atan2(d.x(), -d.y()));
}

RingLayout ringLayout(const QRectF& rect) {
    RingLayout layout;
    layout.centre = rect.center();
    // Wide rectangles are limited by their height; narrow ones keep room at the sides for labels and
    // in the corners for the header.
    layout.radius = std::max(20.0, std::min(rect.width() * 0.31, rect.height() * 0.35));
    const double r = layout.radius;
    layout.tickInner = r + std::max(2.0, r * 0.01);
    layout.tickOuter = layout.tickInner + std::max(6.0, r * 0.05);
    layout.keyOuter = r - std::max(3.0, r * 0.012);
    layout.keyInner = layout.keyOuter - std::max(8.0, r * 0.085);
    layout.markerSizeMax = std::clamp(r * 0.044, 5.0, 18.0);
    layout.markerRadius = layout.tickOuter + std::max(5.0, r * 0.022) + layout.markerSizeMax;
    layout.innerRadius = r * 0.5;
    layout.fontPx = std::clamp(r * 0.05, 12.0, 22.0);
    return layout;
}

double keyRadius(const RingLayout& layout, std::uint64_t hash) {
    // The low 16 bits are independent of the angle (which uses the high bits).
    const double jitter = static_cast<double>(hash & 0xFFFFu) / 65536.0;
    return layout.keyOuter - jitter * (layout.keyOuter - layout.keyInner);
}

double serverSpacing(const RingLayout& layout, int serverCount) {
    if (serverCount <= 0) return kTwoPi * layout.markerRadius;
    return kTwoPi * layout.markerRadius / serverCount;
}

LabelDetail labelDetail(const RingLayout& layout, int serverCount) {
    const double spacing = serverSpacing(layout, serverCount);
    if (spacing >= kFullLabelSpacingFonts * layout.fontPx) return LabelDetail::Full;
    if (spacing >= kIdLabelSpacingFonts * layout.fontPx) return LabelDetail::IdOnly;
    return LabelDetail::Sparse;
}

std::vector<double> spreadAngles(const std::vector<double>& angles, double minGap) {
    const std::size_t n = angles.size();
    if (n < 2) return angles;
    const double gap = std::min(minGap, 0.98 * kTwoPi / static_cast<double>(n));
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return normalised(angles[a]) < normalised(angles[b]);
    });
    std::vector<double> pos(n);
    for (std::size_t i = 0; i < n; ++i) pos[i] = normalised(angles[order[i]]);
    // Relaxation: push every pair of neighbours that is too close apart by half the deficit each.
    // Neighbours keep their order, so the loop only has to look at consecutive pairs.
    for (int iteration = 0; iteration < kSpreadIterationsMax; ++iteration) {
        bool moved = false;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t j = (i + 1) % n;
            const double next = j == 0 ? pos[j] + kTwoPi : pos[j];
            const double deficit = gap - (next - pos[i]);
            if (deficit > 1e-9) {
                pos[i] -= deficit / 2;
                pos[j] += deficit / 2;
                moved = true;
            }
        }
        if (!moved) break;
    }
    std::vector<double> result(n);
    for (std::size_t i = 0; i < n; ++i) result[order[i]] = normalised(pos[i]);
    return result;
}

std::vector<NodeMarker> nodeMarkers(const RingLayout& layout, const ClusterSnapshot& snapshot) {
    std::vector<NodeMarker> markers(snapshot.nodes.size());
    std::vector<std::size_t> servers;
    std::vector<std::size_t> others;
    for (std::size_t i = 0; i < snapshot.nodes.size(); ++i) {
        const NodeView& node = snapshot.nodes[i];
        if (node.status == NodeStatus::Removed) continue;
        (node.role == NodeRole::Server ? servers : others).push_back(i);
    }

    const int serverCount = static_cast<int>(servers.size());
    const double spacing = serverSpacing(layout, serverCount);
    const double serverSize = std::clamp(spacing * 0.3, 2.0, layout.markerSizeMax);
    std::vector<double> angles;
    angles.reserve(servers.size());
    for (const std::size_t i : servers) angles.push_back(hashAngle(snapshot.nodes[i].homePoint));
    const LabelDetail detail = labelDetail(layout, serverCount);
    if (serverCount <= kSpreadServersMax && detail != LabelDetail::Sparse) {
        const double labelPx = layout.fontPx * (detail == LabelDetail::Full ? 2.4 : 1.4);
        angles = spreadAngles(angles, labelPx / layout.markerRadius);
    }
    for (std::size_t k = 0; k < servers.size(); ++k) {
        NodeMarker& marker = markers[servers[k]];
        marker.visible = true;
        marker.server = true;
        marker.angle = angles[k];
        marker.centre = pointAtAngle(layout.centre, layout.markerRadius, angles[k]);
        marker.size = serverSize;
    }

    const double otherSpacing =
        others.empty() ? 0 : kTwoPi * layout.innerRadius / static_cast<double>(others.size());
    const double otherSize = std::clamp(otherSpacing * 0.25, 2.0, layout.markerSizeMax * 0.75);
    for (std::size_t k = 0; k < others.size(); ++k) {
        NodeMarker& marker = markers[others[k]];
        marker.visible = true;
        marker.server = false;
        // Half a step off 12 o'clock, so that a single client sits at the bottom, away from the header.
        marker.angle =
            normalised(kTwoPi * (static_cast<double>(k) + 0.5) / static_cast<double>(others.size()));
        marker.centre = pointAtAngle(layout.centre, layout.innerRadius, marker.angle);
        marker.size = otherSize;
    }
    return markers;
}

int hitTestNode(const std::vector<NodeMarker>& markers, QPointF point, double slopPx) {
    int best = -1;
    double bestDistance = std::numeric_limits<double>::max();
    for (std::size_t i = 0; i < markers.size(); ++i) {
        const NodeMarker& marker = markers[i];
        if (!marker.visible) continue;
        const double distance = std::hypot(point.x() - marker.centre.x(), point.y() - marker.centre.y());
        // Squares are hit-tested as their circumscribed circle: generous, like the slop.
        const double reach = (marker.server ? marker.size : marker.size * 1.42) + slopPx;
        if (distance <= reach && distance < bestDistance) {
            best = static_cast<int>(i);
            bestDistance = distance;
        }
    }
    return best;
}

MessagePath messagePath(QPointF from, QPointF to, double bend) {
    const QPointF chord = to - from;
    const QPointF middle = (from + to) / 2.0;
    // (dy, -dx) points to the left of the direction of travel on a y-down screen.
    return {from, middle + bend * QPointF(chord.y(), -chord.x()), to};
}

QPointF pointOnPath(const MessagePath& path, double t) {
    t = std::clamp(t, 0.0, 1.0);
    const double u = 1.0 - t;
    return u * u * path.from + 2.0 * u * t * path.control + t * t * path.to;
}

double flightFraction(SimTime sentAt, SimTime deliverAt, SimTime now) {
    if (deliverAt <= sentAt) return 1.0;
    const double fraction = static_cast<double>(now - sentAt) / static_cast<double>(deliverAt - sentAt);
    return std::clamp(fraction, 0.0, 1.0);
}

QPointF messagePosition(const MessagePath& path, SimTime sentAt, SimTime deliverAt, SimTime now) {
    return pointOnPath(path, flightFraction(sentAt, deliverAt, now));
}

int tickBinCount(const RingLayout& layout) {
    // sqrt(2) bins per pixel: an aliased one-pixel line at 45 degrees is only 1/sqrt(2) pixel thick, so
    // with one bin per pixel the band would show white moire gaps on the diagonals.
    const int bins = static_cast<int>(std::ceil(kTwoPi * layout.tickOuter * std::sqrt(2.0)));
    return std::clamp(bins, kTickBinsMin, kTickBinsMax);
}

int binOfHash(std::uint64_t hash, int binCount) {
    return static_cast<int>((static_cast<U128>(hash) * static_cast<U128>(binCount)) >> 64);
}

std::uint64_t binStart(int bin, int binCount) {
    // Smallest hash h with h * binCount >= bin * 2^64.
    const U128 numerator = (static_cast<U128>(bin) << 64) + static_cast<U128>(binCount) - 1;
    return static_cast<std::uint64_t>(numerator / static_cast<U128>(binCount));
}

std::vector<int> tickBinOwners(const ClusterSnapshot& snapshot, int binCount) {
    std::vector<int> owners(static_cast<std::size_t>(std::max(binCount, 0)), -1);
    std::vector<std::uint64_t> first(owners.size(), 0);
    for (std::size_t i = 0; i < snapshot.nodes.size(); ++i) {
        const NodeView& node = snapshot.nodes[i];
        if (node.role != NodeRole::Server || !node.onRing || node.status == NodeStatus::Removed) continue;
        for (const std::uint64_t point : node.vnodePoints) {
            const auto bin = static_cast<std::size_t>(binOfHash(point, binCount));
            if (owners[bin] < 0 || point < first[bin]) {
                owners[bin] = static_cast<int>(i);
                first[bin] = point;
            }
        }
    }
    return owners;
}

PartitionLayout partitionLayout(const std::vector<NodeMarker>& markers, const PartitionView& partitions) {
    PartitionLayout layout;
    if (partitions.groups.size() < 2) return layout;
    struct Member {
        double angle;
        int group;
    };
    std::vector<Member> members;
    for (std::size_t g = 0; g < partitions.groups.size(); ++g) {
        for (const int node : partitions.groups[g]) {
            if (node < 0 || static_cast<std::size_t>(node) >= markers.size()) continue;
            if (!markers[static_cast<std::size_t>(node)].visible) continue;
            members.push_back({markers[static_cast<std::size_t>(node)].angle, static_cast<int>(g)});
        }
    }
    std::stable_sort(members.begin(), members.end(),
                     [](const Member& a, const Member& b) { return a.angle < b.angle; });
    const std::size_t n = members.size();
    std::vector<std::size_t> cutAfter;  // a cut between members[i] and members[i + 1]
    for (std::size_t i = 0; i < n; ++i) {
        if (members[i].group != members[(i + 1) % n].group) cutAfter.push_back(i);
    }
    if (cutAfter.empty()) return layout;
    for (const std::size_t i : cutAfter) {
        const double next = (i + 1 == n) ? members[0].angle + kTwoPi : members[i + 1].angle;
        layout.cutAngles.push_back(normalised((members[i].angle + next) / 2.0));
    }
    // Keep the sectors paired with their groups while sorting the cuts.
    std::vector<std::size_t> order(cutAfter.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return layout.cutAngles[a] < layout.cutAngles[b]; });
    std::vector<double> sortedCuts;
    std::vector<int> groupAfterCut;
    for (const std::size_t k : order) {
        sortedCuts.push_back(layout.cutAngles[k]);
        groupAfterCut.push_back(members[(cutAfter[k] + 1) % n].group);
    }
    layout.cutAngles = sortedCuts;
    for (std::size_t k = 0; k < sortedCuts.size(); ++k) {
        PartitionSector sector;
        sector.startAngle = sortedCuts[k];
        sector.endAngle = k + 1 < sortedCuts.size() ? sortedCuts[k + 1] : sortedCuts[0] + kTwoPi;
        sector.group = groupAfterCut[k];
        layout.sectors.push_back(sector);
    }
    return layout;
}

QString formatSimTime(SimTime micros) {
    const double ms = static_cast<double>(micros) / static_cast<double>(kMicrosPerMilli);
    if (micros < kMicrosPerSecond) {
        return QCoreApplication::translate("distlab::geometry", "%1 ms").arg(ms, 0, 'f', 1);
    }
    return QCoreApplication::translate("distlab::geometry", "%1 s").arg(ms / 1000.0, 0, 'f', 3);
}

}  // namespace distlab::geometry
