// Paint benchmark of the ring view: 1,000 nodes x 160 virtual nodes and 100,000 keys into a
// 1920x1080 image, the size of a projected full-HD window. Budget: 8 ms per frame.
//
//   build/bin/bench_ring_view              (all cases)
//   build/bin/bench_ring_view -iterations 200 movingMessages
#include <QImage>
#include <QPainter>
#include <QtTest>

#include <algorithm>
#include <memory>

#include "core/session/snapshot.h"
#include "widgets/ring_view.h"

using distlab::ClusterSnapshot;

namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// A consistent-hashing cluster with correct owners (first vnode clockwise from the key).
ClusterSnapshot makeCluster(int servers, int vnodes, int keys, int messages, std::uint64_t seed) {
    ClusterSnapshot s;
    s.seed = seed;
    s.hashName = "xxh3";
    s.vnodesPerNode = vnodes;
    s.now = distlab::millis(120);
    s.events = 123456;
    std::uint64_t rng = seed;
    std::vector<std::pair<std::uint64_t, int>> points;
    for (int i = 0; i < servers; ++i) {
        distlab::NodeView node;
        node.id = "n" + std::to_string(i + 1);
        node.colorIndex = i;
        node.onRing = true;
        for (int v = 0; v < vnodes; ++v) {
            node.vnodePoints.push_back(splitmix64(rng));
            points.emplace_back(node.vnodePoints.back(), i);
        }
        node.homePoint = splitmix64(rng);
        s.nodes.push_back(std::move(node));
    }
    std::sort(points.begin(), points.end());
    for (int k = 0; k < keys; ++k) {
        distlab::KeyView key;
        key.hash = splitmix64(rng);
        auto it = std::lower_bound(points.begin(), points.end(), std::make_pair(key.hash, -1));
        key.owner = (it == points.end() ? points.front() : *it).second;
        ++s.nodes[static_cast<std::size_t>(key.owner)].keysOwned;
        s.keys.push_back(key);
    }
    for (int m = 0; m < messages; ++m) {
        distlab::MessageView message;
        message.id = static_cast<std::uint64_t>(m);
        message.src = static_cast<int>(splitmix64(rng) % static_cast<std::uint64_t>(servers));
        message.dest = static_cast<int>(splitmix64(rng) % static_cast<std::uint64_t>(servers));
        message.type = m % 3 == 0 ? "put" : (m % 3 == 1 ? "replicate" : "ack");
        message.sentAt = s.now - distlab::millis(static_cast<std::int64_t>(splitmix64(rng) % 5));
        message.deliverAt = message.sentAt + distlab::millis(5);
        s.inFlight.push_back(message);
    }
    return s;
}

}  // namespace

class BenchRingView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    // The usual frame: a new snapshot arrives with the same ring, only time and messages moved.
    void movingMessages();
    // Repaint of the very same snapshot (e.g. a resize-free expose).
    void sameSnapshot();
    // Worst case: the ring changed in every frame, so the back layer is redrawn each time.
    void ringChangesEveryFrame();
    // A classroom-sized ring (8 servers, 2 clients, 2,000 keys, a partition), ring changing each frame.
    void classroomCold();

private:
    std::shared_ptr<ClusterSnapshot> m_big;
    std::shared_ptr<ClusterSnapshot> m_bigLater;
    std::shared_ptr<ClusterSnapshot> m_bigOther;
    QImage m_frame{1920, 1080, QImage::Format_ARGB32_Premultiplied};
};

void BenchRingView::initTestCase() {
    m_big = std::make_shared<ClusterSnapshot>(makeCluster(1000, 160, 100000, 200, 42));
    m_bigLater = std::make_shared<ClusterSnapshot>(*m_big);
    m_bigLater->now += distlab::millis(1);
    m_bigOther = std::make_shared<ClusterSnapshot>(makeCluster(1000, 160, 100000, 200, 43));
}

void BenchRingView::movingMessages() {
    distlab::RingView view;
    bool later = false;
    view.setSnapshot(m_big);
    {
        QPainter warmup(&m_frame);
        view.paintTo(warmup, m_frame.rect());
    }
    QBENCHMARK {
        later = !later;
        view.setSnapshot(later ? m_bigLater : m_big);
        QPainter painter(&m_frame);
        view.paintTo(painter, m_frame.rect());
    }
}

void BenchRingView::sameSnapshot() {
    distlab::RingView view;
    view.setSnapshot(m_big);
    QBENCHMARK {
        QPainter painter(&m_frame);
        view.paintTo(painter, m_frame.rect());
    }
}

void BenchRingView::ringChangesEveryFrame() {
    distlab::RingView view;
    bool other = false;
    QBENCHMARK {
        other = !other;
        view.setSnapshot(other ? m_bigOther : m_big);
        QPainter painter(&m_frame);
        view.paintTo(painter, m_frame.rect());
    }
}

void BenchRingView::classroomCold() {
    auto a = std::make_shared<ClusterSnapshot>(makeCluster(8, 64, 2000, 24, 7));
    auto b = std::make_shared<ClusterSnapshot>(makeCluster(8, 64, 2000, 24, 8));
    for (auto* s : {a.get(), b.get()}) {
        s->partitions.groups = {{0, 1, 2}, {3, 4, 5, 6, 7}};
    }
    distlab::RingView view;
    bool other = false;
    QBENCHMARK {
        other = !other;
        view.setSnapshot(other ? b : a);
        QPainter painter(&m_frame);
        view.paintTo(painter, m_frame.rect());
    }
}

QTEST_MAIN(BenchRingView)
#include "bench_ring_view.moc"
