#pragma once
// Snapshots and helpers shared by the widget tests. Snapshots are built by hand (no core library):
// the views only depend on the snapshot struct, and the tests must say exactly what they feed in.
#include <QColor>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QRect>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/session/snapshot.h"

namespace fixtures {

inline std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// A ring position at `turns` of a full turn (0.25 = 3 o'clock).
inline std::uint64_t hashAtTurns(double turns) {
    return static_cast<std::uint64_t>(turns * 18446744073709551616.0);
}

struct ClusterSpec {
    int servers = 5;
    int clients = 0;
    int vnodes = 16;
    int keys = 400;
    std::uint64_t seed = 1;
};

// Servers n1..nN with home points evenly spread (n1 at 12 o'clock, clockwise), random virtual nodes,
// keys owned by the first virtual node clockwise, and clients c1..cM.
inline distlab::ClusterSnapshot makeCluster(const ClusterSpec& spec) {
    distlab::ClusterSnapshot s;
    s.seed = spec.seed;
    s.now = distlab::millis(100);
    s.events = 4321;
    s.hashName = "xxh3";
    s.vnodesPerNode = spec.vnodes;
    s.scenarioName = "test ring";
    std::uint64_t rng = spec.seed;
    std::vector<std::pair<std::uint64_t, int>> points;
    for (int i = 0; i < spec.servers; ++i) {
        distlab::NodeView node;
        node.id = "n" + std::to_string(i + 1);
        node.colorIndex = i;
        node.onRing = true;
        node.homePoint = hashAtTurns(static_cast<double>(i) / spec.servers);
        for (int v = 0; v < spec.vnodes; ++v) {
            node.vnodePoints.push_back(splitmix64(rng));
            points.emplace_back(node.vnodePoints.back(), i);
        }
        s.nodes.push_back(std::move(node));
    }
    std::sort(points.begin(), points.end());
    for (int k = 0; k < spec.keys && !points.empty(); ++k) {
        distlab::KeyView key;
        key.hash = splitmix64(rng);
        auto it = std::lower_bound(points.begin(), points.end(), std::make_pair(key.hash, -1));
        key.owner = (it == points.end() ? points.front() : *it).second;
        ++s.nodes[static_cast<std::size_t>(key.owner)].keysOwned;
        s.keys.push_back(key);
    }
    for (auto& node : s.nodes) {
        node.keysStored = node.keysOwned;
        node.loadShare = s.keys.empty() ? 0.0 : static_cast<double>(node.keysOwned) / s.keys.size();
    }
    for (int c = 0; c < spec.clients; ++c) {
        distlab::NodeView client;
        client.id = "c" + std::to_string(c + 1);
        client.role = distlab::NodeRole::Client;
        client.colorIndex = spec.servers + c;
        s.nodes.push_back(std::move(client));
    }
    return s;
}

inline int colorDistance(QColor a, QColor b) {
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
}

// "Redmean" approximation of perceived colour difference (0..765).
inline double perceptualDistance(QColor a, QColor b) {
    const double rm = (a.red() + b.red()) / 2.0;
    const double dr = a.red() - b.red();
    const double dg = a.green() - b.green();
    const double db = a.blue() - b.blue();
    return std::sqrt((2 + rm / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rm) / 256) * db * db);
}

inline bool isGrey(QColor c, int tolerance = 12) {
    return std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()}) <= tolerance;
}

inline bool isFaultRed(QColor c) {
    return c.red() > 170 && c.green() < 80 && c.blue() < 80;
}

// Paints a card view (anything with paintTo) into an image of `size` filled with `background` first, so
// that a pixel the view forgot to paint shows.
template <class View>
QImage renderView(View& view, QSize size, QColor background = Qt::black) {
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(background);
    QPainter painter(&image);
    view.paintTo(painter, image.rect());
    return image;
}

// The pixels of `area` (clipped to the image) the predicate holds for.
template <class Predicate>
int countPixels(const QImage& image, const QRect& area, Predicate matches) {
    int count = 0;
    const QRect clipped = area.intersected(image.rect());
    for (int y = clipped.top(); y <= clipped.bottom(); ++y) {
        for (int x = clipped.left(); x <= clipped.right(); ++x)
            count += matches(image.pixelColor(x, y)) ? 1 : 0;
    }
    return count;
}

inline int countRed(const QImage& image, const QRect& area) {
    return countPixels(image, area, isFaultRed);
}

inline int countNear(const QImage& image, const QRect& area, QColor color, int tolerance = 12) {
    return countPixels(image, area, [&](QColor c) { return colorDistance(c, color) <= tolerance; });
}

// The texts a card view (SnapshotView) drew whose centre lies inside `area`, in drawing order.
template <class View>
QStringList textsIn(const View& view, const QRect& area) {
    QStringList texts;
    for (const auto& [text, extent] : view.drawnTextItems()) {
        if (QRectF(area).contains(extent.center())) texts << text;
    }
    return texts;
}

// Saves a rendered picture under build/test-artifacts/<name>.png and returns the path.
inline QString saveArtifact(const QImage& image, const QString& name) {
    QDir().mkpath(QStringLiteral(DISTLAB_ARTIFACTS_DIR));
    const QString path =
        QStringLiteral(DISTLAB_ARTIFACTS_DIR) + QLatin1Char('/') + name + QStringLiteral(".png");
    image.save(path);
    return path;
}

}  // namespace fixtures
