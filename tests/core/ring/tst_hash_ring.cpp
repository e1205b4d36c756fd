// HashRing: lookups checked against a brute-force walk of the points, wrap-around, preference lists,
// weights, libketama compatibility (MD5 computed here with OpenSSL, independently of the library), limits
// and rebuilds.
#include <QTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <xxhash.h>

#include "core/protocols/ring/hash_ring.h"

using namespace distlab::ring;

Q_DECLARE_METATYPE(distlab::ring::HashKind)

namespace {

constexpr std::size_t kSampleKeys = 100'000;
constexpr std::uint64_t kTop = std::numeric_limits<std::uint64_t>::max();

std::vector<std::string> nodeNames(int count, const char* prefix = "node-") {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) ids.push_back(prefix + std::to_string(i));
    return ids;
}

HashRing makeRing(int nodes, int vnodes = 160, HashKind hash = HashKind::Xxh3) {
    HashRing ring(RingConfig{vnodes, hash});
    for (const std::string& id : nodeNames(nodes)) ring.addNode(id);
    return ring;
}

QString hex(std::uint64_t h) {
    return QStringLiteral("0x%1").arg(h, 16, 16, QLatin1Char('0'));
}

// The brute-force ring: every node's points from pointsOf(), sorted by (position, id), the tie-break the
// ring promises so that owners do not depend on join order.
struct RefPoint {
    std::uint64_t position;
    std::string id;
    bool operator<(const RefPoint& o) const {
        return position != o.position ? position < o.position : id < o.id;
    }
};

std::vector<RefPoint> referencePoints(const HashRing& ring) {
    std::vector<RefPoint> points;
    for (const std::string& id : ring.nodeIds()) {
        for (const std::uint64_t p : ring.pointsOf(id)) points.push_back({p, id});
    }
    std::sort(points.begin(), points.end());
    return points;
}

std::size_t referenceFirstPoint(const std::vector<RefPoint>& points, std::uint64_t h) {
    std::size_t i = 0;
    while (i < points.size() && points[i].position < h) ++i;  // linear on purpose: nothing clever
    return i == points.size() ? 0 : i;
}

// Binary search is only a shortcut for the linear walk above, used where the sweep is long.
std::size_t referenceFirstPointFast(const std::vector<RefPoint>& points, std::uint64_t h) {
    const auto it =
        std::partition_point(points.begin(), points.end(), [h](const RefPoint& p) { return p.position < h; });
    return it == points.end() ? 0 : static_cast<std::size_t>(it - points.begin());
}

std::array<unsigned char, 16> opensslMd5(const std::string& data) {
    std::array<unsigned char, 16> digest{};
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_md5(), nullptr);
    return digest;
}

QString toHex(const std::array<unsigned char, 16>& digest) {
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(digest.data()), 16).toHex());
}

std::uint32_t littleEndianWord(const std::array<unsigned char, 16>& d, int word) {
    const int o = 4 * word;
    return std::uint32_t(d[o]) | std::uint32_t(d[o + 1]) << 8 | std::uint32_t(d[o + 2]) << 16 |
           std::uint32_t(d[o + 3]) << 24;
}

}  // namespace

class TestHashRing : public QObject {
    Q_OBJECT

private slots:
    void hashKindNames_data();
    void hashKindNames();
    void hashKindRejectsUnknownNames_data();
    void hashKindRejectsUnknownNames();
    void xxh3KeyHashIsXxh3OfTheKey();
    void sampleKeysAreKeyDashIndex();

    void ketamaDigestKnownAnswer();
    void ketamaServerPointsMatchLibketama();
    void ketamaPointsPerServer_data();
    void ketamaPointsPerServer();

    void emptyRingHasNoOwner();
    void wrapAround_data();
    void wrapAround();
    void lookupMatchesBruteForceWalk_data();
    void lookupMatchesBruteForceWalk();
    void ownersDoNotDependOnJoinOrder();

    void preferenceList_data();
    void preferenceList();
    void preferenceListSkipsUnusableNodes();

    void weightTwoGetsAboutTwiceTheKeys();
    void addNodeRejects_data();
    void addNodeRejects();
    void nodeLimit();
    void removeNodeKeepsOrderOfTheRest();
    void setVnodesRebuilds();
    void setVnodesClamps();
    void setHashRebuilds();
};

void TestHashRing::hashKindNames_data() {
    QTest::addColumn<HashKind>("kind");
    QTest::addColumn<QString>("name");
    QTest::newRow("xxh3") << HashKind::Xxh3 << "xxh3";
    QTest::newRow("ketama") << HashKind::Ketama << "ketama";
}

void TestHashRing::hashKindNames() {
    QFETCH(HashKind, kind);
    QFETCH(QString, name);
    QCOMPARE(QString::fromStdString(std::string(hashKindName(kind))), name);
    const std::string text = name.toStdString();
    QVERIFY(parseHashKind(text) == kind);
    QVERIFY(parseHashKind(name.toUpper().toStdString()) == kind);  // console users type XXH3 too
}

void TestHashRing::hashKindRejectsUnknownNames_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << "";
    QTest::newRow("md5") << "md5";
    QTest::newRow("prefix") << "xxh";
    QTest::newRow("trailing space") << "ketama ";
}

void TestHashRing::hashKindRejectsUnknownNames() {
    QFETCH(QString, name);
    QVERIFY(!parseHashKind(name.toStdString()).has_value());
}

void TestHashRing::xxh3KeyHashIsXxh3OfTheKey() {
    for (const std::string key : {"", "a", "key-7", "user:42"}) {
        QCOMPARE(keyHash(HashKind::Xxh3, key), XXH3_64bits(key.data(), key.size()));
    }
}

void TestHashRing::sampleKeysAreKeyDashIndex() {
    for (const HashKind kind : {HashKind::Xxh3, HashKind::Ketama}) {
        const auto hashes = sampleKeyHashes(kind, 1000);
        QCOMPARE(hashes.size(), std::size_t{1000});
        for (const std::size_t i : {0, 1, 10, 999}) {
            QCOMPARE(hashes[i], keyHash(kind, "key-" + std::to_string(i)));
        }
        QCOMPARE(sampleKeyHashes(kind, 1000), hashes);  // deterministic
    }
}

void TestHashRing::ketamaDigestKnownAnswer() {
    // Verified outside the lab: printf %s 127.0.0.1:11211-0 | md5sum
    const std::string label = "127.0.0.1:11211-0";
    const auto digest = opensslMd5(label);
    QCOMPARE(toHex(digest), QStringLiteral("e2fa569a4ecf5e58ab09bf98d948c859"));
    // libketama: four points per digest, each four bytes read little-endian.
    const std::array<std::uint32_t, 4> expected = {0x9a56fae2u, 0x585ecf4eu, 0x98bf09abu, 0x59c848d9u};
    for (int w = 0; w < 4; ++w) QCOMPARE(littleEndianWord(digest, w), expected[w]);
    // ketama_hashi(key) is the first of those words; the lab puts it on the top half of the 64-bit ring.
    QCOMPARE(keyHash(HashKind::Ketama, label), std::uint64_t{0x9a56fae2u} << 32);

    HashRing ring(RingConfig{160, HashKind::Ketama});
    QVERIFY(ring.addNode("127.0.0.1:11211"));
    const auto points = ring.pointsOf("127.0.0.1:11211");
    for (const std::uint32_t p : expected) {
        QVERIFY2(std::binary_search(points.begin(), points.end(), std::uint64_t{p} << 32),
                 qPrintable(QStringLiteral("point %1 of digest 0 missing").arg(p, 8, 16, QLatin1Char('0'))));
    }
}

void TestHashRing::ketamaServerPointsMatchLibketama() {
    // The whole continuum entry of one server: digests of "host-0".."host-39", four points each.
    const std::string server = "10.0.1.7:11211";
    std::vector<std::uint64_t> expected;
    for (int d = 0; d < 40; ++d) {
        const auto digest = opensslMd5(server + "-" + std::to_string(d));
        for (int w = 0; w < 4; ++w) expected.push_back(std::uint64_t{littleEndianWord(digest, w)} << 32);
    }
    std::sort(expected.begin(), expected.end());
    HashRing ring(RingConfig{160, HashKind::Ketama});
    QVERIFY(ring.addNode(server));
    QCOMPARE(ring.pointsOf(server), expected);
    for (const std::string key : {"foo", "bar", "key-12345"}) {
        const auto digest = opensslMd5(key);
        QCOMPARE(keyHash(HashKind::Ketama, key), std::uint64_t{littleEndianWord(digest, 0)} << 32);
    }
}

void TestHashRing::ketamaPointsPerServer_data() {
    QTest::addColumn<double>("weight");
    QTest::addColumn<int>("points");
    QTest::newRow("weight 1: 40 digests x 4") << 1.0 << 160;
    QTest::newRow("weight 2") << 2.0 << 320;
    QTest::newRow("weight 0.5") << 0.5 << 80;
}

void TestHashRing::ketamaPointsPerServer() {
    QFETCH(double, weight);
    QFETCH(int, points);
    HashRing ring(RingConfig{160, HashKind::Ketama});
    QVERIFY(ring.addNode("a", weight));
    QVERIFY(ring.addNode("b"));
    QCOMPARE(ring.pointsOf("a").size(), std::size_t(points));
    QCOMPARE(ring.pointCount(), std::size_t(points + 160));
}

void TestHashRing::emptyRingHasNoOwner() {
    HashRing ring;
    QCOMPARE(ring.nodeCount(), std::size_t{0});
    QCOMPARE(ring.pointCount(), std::size_t{0});
    for (const std::uint64_t h : {std::uint64_t{0}, std::uint64_t{12345}, kTop}) {
        QCOMPARE(ring.ownerIndex(h), -1);
        QVERIFY(ring.owner(h) == nullptr);
        QVERIFY(ring.preferenceList(h, 3).empty());
    }
    // Emptied again after use.
    QVERIFY(ring.addNode("a"));
    QVERIFY(ring.removeNode("a"));
    QCOMPARE(ring.ownerIndex(42), -1);
    QCOMPARE(ring.pointCount(), std::size_t{0});
    QVERIFY(!ring.removeNode("a"));
}

void TestHashRing::wrapAround_data() {
    QTest::addColumn<HashKind>("hash");
    QTest::addColumn<int>("vnodes");
    QTest::newRow("xxh3, 1 vnode") << HashKind::Xxh3 << 1;
    QTest::newRow("xxh3, 160 vnodes") << HashKind::Xxh3 << 160;
    QTest::newRow("ketama") << HashKind::Ketama << 160;
}

void TestHashRing::wrapAround() {
    QFETCH(HashKind, hash);
    QFETCH(int, vnodes);
    const HashRing ring = makeRing(5, vnodes, hash);
    const auto points = referencePoints(ring);
    QVERIFY(!points.empty());
    const std::string& first = points.front().id;
    const RefPoint& last = points.back();
    QVERIFY2(last.position < kTop, qPrintable(hex(last.position)));

    // Above the highest point the walk wraps to the first point.
    QCOMPARE(*ring.owner(last.position + 1), first);
    QCOMPARE(*ring.owner(kTop), first);
    QCOMPARE(*ring.owner(0), first);
    // A hash exactly on a point belongs to that point; one past it to the next point.
    QCOMPARE(*ring.owner(last.position), last.id);
    QCOMPARE(*ring.owner(points.front().position), first);
    QCOMPARE(*ring.owner(points.front().position + 1), points[1].id);
}

void TestHashRing::lookupMatchesBruteForceWalk_data() {
    QTest::addColumn<int>("nodes");
    QTest::addColumn<int>("vnodes");
    QTest::addColumn<HashKind>("hash");
    QTest::newRow("1 node, 1 vnode") << 1 << 1 << HashKind::Xxh3;
    QTest::newRow("3 nodes, 1 vnode") << 3 << 1 << HashKind::Xxh3;
    QTest::newRow("7 nodes, 3 vnodes") << 7 << 3 << HashKind::Xxh3;
    QTest::newRow("100 nodes, 160 vnodes") << 100 << 160 << HashKind::Xxh3;
    QTest::newRow("1000 nodes, 16 vnodes") << 1000 << 16 << HashKind::Xxh3;
    QTest::newRow("ketama, 50 nodes") << 50 << 160 << HashKind::Ketama;
    QTest::newRow("ketama, 9 nodes, 7 vnodes") << 9 << 7 << HashKind::Ketama;
}

void TestHashRing::lookupMatchesBruteForceWalk() {
    QFETCH(int, nodes);
    QFETCH(int, vnodes);
    QFETCH(HashKind, hash);
    HashRing ring(RingConfig{vnodes, hash});
    ring.addNodes(nodeNames(nodes));
    const auto points = referencePoints(ring);
    QCOMPARE(ring.pointCount(), points.size());
    QCOMPARE(ring.pointCount(), std::size_t(nodes) * std::size_t(vnodes));

    // Sample keys, plus every point and its neighbours, where an off-by-one in the index would show.
    std::vector<std::uint64_t> hashes = sampleKeyHashes(hash, kSampleKeys);
    for (const RefPoint& p : points) {
        hashes.push_back(p.position);
        hashes.push_back(p.position - 1);
        hashes.push_back(p.position + 1);
    }
    hashes.push_back(0);
    hashes.push_back(kTop);
    std::size_t mismatches = 0;
    QString firstMismatch;
    for (const std::uint64_t h : hashes) {
        const std::string& expected = points[referenceFirstPointFast(points, h)].id;
        const std::string* actual = ring.owner(h);
        if (actual == nullptr || *actual != expected) {
            if (mismatches++ == 0) {
                firstMismatch = QStringLiteral("hash %1: ring says %2, walk says %3")
                                    .arg(hex(h), actual ? QString::fromStdString(*actual) : "null",
                                         QString::fromStdString(expected));
            }
        }
    }
    QVERIFY2(mismatches == 0, qPrintable(QStringLiteral("%1 of %2 lookups differ; first: %3")
                                             .arg(mismatches)
                                             .arg(hashes.size())
                                             .arg(firstMismatch)));
    // The linear walk agrees with the binary search it is replaced by above (spot check).
    for (std::size_t i = 0; i < 200; ++i) {
        QCOMPARE(referenceFirstPoint(points, hashes[i]), referenceFirstPointFast(points, hashes[i]));
    }
    // positions()/pointOwners() describe the same ring.
    QCOMPARE(ring.positions().size(), points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        QCOMPARE(ring.positions()[i], points[i].position);
        QCOMPARE(ring.nodeIds()[std::size_t(ring.pointOwners()[i])], points[i].id);
    }
}

void TestHashRing::ownersDoNotDependOnJoinOrder() {
    // Ketama's 32-bit points collide now and then; ties go to the smaller id whatever the join order.
    for (const HashKind hash : {HashKind::Xxh3, HashKind::Ketama}) {
        auto ids = nodeNames(200);
        HashRing forward(RingConfig{160, hash});
        for (const auto& id : ids) forward.addNode(id);
        std::reverse(ids.begin(), ids.end());
        HashRing backward(RingConfig{160, hash});
        for (const auto& id : ids) backward.addNode(id);
        HashRing bulk(RingConfig{160, hash});
        QCOMPARE(bulk.addNodes(ids), ids.size());

        std::size_t differ = 0;
        for (const std::uint64_t h : sampleKeyHashes(hash, kSampleKeys)) {
            if (*forward.owner(h) != *backward.owner(h) || *forward.owner(h) != *bulk.owner(h)) ++differ;
        }
        QVERIFY2(differ == 0,
                 qPrintable(QStringLiteral("%1: %2 keys differ").arg(hashKindName(hash).data()).arg(differ)));
    }
}

void TestHashRing::preferenceList_data() {
    QTest::addColumn<int>("nodes");
    QTest::addColumn<int>("r");
    QTest::addColumn<int>("expectedSize");
    QTest::newRow("5 nodes, r=3") << 5 << 3 << 3;
    QTest::newRow("5 nodes, r=5") << 5 << 5 << 5;
    QTest::newRow("5 nodes, r=8: fewer") << 5 << 8 << 5;
    QTest::newRow("1 node, r=3: fewer") << 1 << 3 << 1;
    QTest::newRow("3 nodes, r=0") << 3 << 0 << 0;
    QTest::newRow("100 nodes, r=3") << 100 << 3 << 3;
}

void TestHashRing::preferenceList() {
    QFETCH(int, nodes);
    QFETCH(int, r);
    QFETCH(int, expectedSize);
    const HashRing ring = makeRing(nodes, 160);
    const auto points = referencePoints(ring);
    for (const std::uint64_t h : sampleKeyHashes(HashKind::Xxh3, 2000)) {
        const auto list = ring.preferenceList(h, std::size_t(r));
        QCOMPARE(int(list.size()), expectedSize);
        if (!list.empty()) QCOMPARE(list.front(), ring.ownerIndex(h));
        QCOMPARE(std::set<int>(list.begin(), list.end()).size(), list.size());
        // The next distinct ids walking clockwise over the brute-force points.
        std::vector<std::string> walk;
        for (std::size_t i = referenceFirstPointFast(points, h), step = 0;
             step < points.size() && int(walk.size()) < r; ++step, i = (i + 1) % points.size()) {
            if (std::find(walk.begin(), walk.end(), points[i].id) == walk.end()) walk.push_back(points[i].id);
        }
        for (std::size_t k = 0; k < list.size(); ++k) QCOMPARE(ring.nodeIds()[std::size_t(list[k])], walk[k]);
    }
}

void TestHashRing::preferenceListSkipsUnusableNodes() {
    const HashRing ring = makeRing(6, 160);
    for (const std::uint64_t h : sampleKeyHashes(HashKind::Xxh3, 500)) {
        const auto all = ring.preferenceList(h, 6);
        QCOMPARE(all.size(), std::size_t{6});
        // Crash the owner and the third replica: the list is the full order without them.
        const std::set<int> crashed = {all[0], all[2]};
        const auto usable = [&crashed](int node) { return crashed.count(node) == 0; };
        const auto list = ring.preferenceList(h, 3, usable);
        QCOMPARE(list, (std::vector<int>{all[1], all[3], all[4]}));
        // Only two usable nodes left: fewer than r.
        const auto two =
            ring.preferenceList(h, 3, [&all](int node) { return node == all[5] || node == all[1]; });
        QCOMPARE(two, (std::vector<int>{all[1], all[5]}));
        QVERIFY(ring.preferenceList(h, 3, [](int) { return false; }).empty());
    }
}

void TestHashRing::weightTwoGetsAboutTwiceTheKeys() {
    HashRing ring;
    ring.addNodes(nodeNames(10));
    QVERIFY(ring.addNode("heavy", 2.0));
    QCOMPARE(ring.weight("heavy"), 2.0);
    QCOMPARE(ring.weight("node-0"), 1.0);
    QCOMPARE(ring.weight("absent"), 0.0);
    QCOMPARE(ring.pointsOf("heavy").size(), std::size_t{320});

    std::vector<std::size_t> keys(ring.nodeCount(), 0);
    for (const std::uint64_t h : sampleKeyHashes(HashKind::Xxh3, kSampleKeys))
        ++keys[std::size_t(ring.ownerIndex(h))];
    const double heavy = double(keys[std::size_t(ring.indexOf("heavy"))]);
    double others = 0;
    for (int i = 0; i < 10; ++i) others += double(keys[std::size_t(i)]);
    const double ratio = heavy / (others / 10.0);
    QVERIFY2(
        ratio > 1.6 && ratio < 2.4,
        qPrintable(QStringLiteral("heavy node has %1 keys, others %2 on average: ratio %3, expected about 2")
                       .arg(heavy)
                       .arg(others / 10.0)
                       .arg(ratio)));
}

void TestHashRing::addNodeRejects_data() {
    QTest::addColumn<QString>("id");
    QTest::addColumn<double>("weight");
    QTest::newRow("duplicate") << "node-1" << 1.0;
    QTest::newRow("empty id") << "" << 1.0;
    QTest::newRow("id too long") << QString(int(kNodeIdBytesMax) + 1, QLatin1Char('x')) << 1.0;
    QTest::newRow("zero weight") << "z" << 0.0;
    QTest::newRow("negative weight") << "z" << -1.0;
    QTest::newRow("NaN weight") << "z" << std::nan("");
    QTest::newRow("infinite weight") << "z" << std::numeric_limits<double>::infinity();
    QTest::newRow("weight above max") << "z" << kWeightMax * 2;
}

void TestHashRing::addNodeRejects() {
    QFETCH(QString, id);
    QFETCH(double, weight);
    HashRing ring = makeRing(3, 16);
    const auto before = std::vector<std::uint64_t>(ring.positions().begin(), ring.positions().end());
    QVERIFY(!ring.addNode(id.toStdString(), weight));
    QCOMPARE(ring.nodeCount(), std::size_t{3});
    QCOMPARE(std::vector<std::uint64_t>(ring.positions().begin(), ring.positions().end()), before);
    QCOMPARE(ring.addNodes({id.toStdString()}, weight), std::size_t{0});
    QCOMPARE(ring.nodeCount(), std::size_t{3});
}

void TestHashRing::nodeLimit() {
    HashRing ring(RingConfig{1, HashKind::Xxh3});
    QCOMPARE(ring.addNodes(nodeNames(int(kNodesMax) + 5)), kNodesMax);
    QCOMPARE(ring.nodeCount(), kNodesMax);
    QVERIFY(!ring.addNode("one-too-many"));
    QVERIFY(ring.removeNode("node-0"));
    QVERIFY(ring.addNode("one-too-many"));

    // The point budget: a node whose points would not fit is refused.
    HashRing dense(RingConfig{kVnodesMax, HashKind::Xxh3});
    const std::size_t fit = kPointsMax / std::size_t(kVnodesMax);
    QCOMPARE(dense.addNodes(nodeNames(int(fit) + 3)), fit);
    QCOMPARE(dense.pointCount(), kPointsMax);
    QVERIFY(!dense.addNode("extra"));
}

void TestHashRing::removeNodeKeepsOrderOfTheRest() {
    HashRing ring = makeRing(5, 40);
    const auto hashes = sampleKeyHashes(HashKind::Xxh3, 20'000);
    QVERIFY(ring.removeNode("node-1"));
    QVERIFY(!ring.removeNode("node-1"));
    QVERIFY(!ring.contains("node-1"));
    QCOMPARE(ring.nodeIds(), (std::vector<std::string>{"node-0", "node-2", "node-3", "node-4"}));
    QCOMPARE(ring.indexOf("node-4"), 3);
    QCOMPARE(ring.pointCount(), std::size_t{160});
    // Indices shifted but the ring is the one a fresh build of the remaining nodes gives.
    HashRing fresh(RingConfig{40, HashKind::Xxh3});
    fresh.addNodes({"node-0", "node-2", "node-3", "node-4"});
    for (const std::uint64_t h : hashes) QCOMPARE(ring.ownerIndex(h), fresh.ownerIndex(h));
}

void TestHashRing::setVnodesRebuilds() {
    HashRing ring = makeRing(20, 160);
    QVERIFY(ring.addNode("heavy", 2.0));
    ring.setVnodes(40);
    QCOMPARE(ring.config().vnodes, 40);
    QCOMPARE(ring.pointCount(), std::size_t{20 * 40 + 80});
    HashRing fresh = makeRing(20, 40);
    QVERIFY(fresh.addNode("heavy", 2.0));
    QCOMPARE(ring.pointsOf("node-7"), fresh.pointsOf("node-7"));
    for (const std::uint64_t h : sampleKeyHashes(HashKind::Xxh3, 20'000))
        QCOMPARE(ring.ownerIndex(h), fresh.ownerIndex(h));
}

void TestHashRing::setVnodesClamps() {
    HashRing ring = makeRing(3, 160);
    ring.setVnodes(0);
    QCOMPARE(ring.config().vnodes, 1);
    QCOMPARE(ring.pointCount(), std::size_t{3});
    ring.setVnodes(1'000'000);
    QCOMPARE(ring.config().vnodes, kVnodesMax);
    QCOMPARE(ring.pointCount(), std::size_t(3 * kVnodesMax));
    QCOMPARE(HashRing(RingConfig{-5, HashKind::Xxh3}).config().vnodes, 1);

    // More vnodes than the point budget allows: the largest value that fits is used.
    HashRing big(RingConfig{16, HashKind::Xxh3});
    big.addNodes(nodeNames(3000));
    big.setVnodes(kVnodesMax);
    const int expected = int(kPointsMax / 3000);
    QCOMPARE(big.config().vnodes, expected);
    QCOMPARE(big.pointCount(), std::size_t(3000) * std::size_t(expected));
}

void TestHashRing::setHashRebuilds() {
    HashRing ring = makeRing(30, 160, HashKind::Xxh3);
    ring.setHash(HashKind::Ketama);
    QCOMPARE(ring.config().hash, HashKind::Ketama);
    const HashRing fresh = makeRing(30, 160, HashKind::Ketama);
    QCOMPARE(ring.pointsOf("node-3"), fresh.pointsOf("node-3"));
    QCOMPARE(ring.pointCount(), fresh.pointCount());
    for (const std::uint64_t h : sampleKeyHashes(HashKind::Ketama, 20'000))
        QCOMPARE(ring.ownerIndex(h), fresh.ownerIndex(h));
    ring.setHash(HashKind::Xxh3);
    QCOMPARE(ring.pointsOf("node-3"), makeRing(30, 160, HashKind::Xxh3).pointsOf("node-3"));
}

QTEST_APPLESS_MAIN(TestHashRing)
#include "tst_hash_ring.moc"
