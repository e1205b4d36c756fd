// The inspector shows the selected node's fields and protocol details, and a hint when none is.
#include <QLabel>
#include <QtTest>

#include "fixtures.h"
#include "widgets/inspector.h"

using namespace distlab;

namespace {

std::shared_ptr<ClusterSnapshot> cluster() {
    fixtures::ClusterSpec spec;
    spec.servers = 5;
    spec.clients = 1;
    spec.keys = 1000;
    auto s = std::make_shared<ClusterSnapshot>(fixtures::makeCluster(spec));
    s->nodes[1].details = {{"ring epoch", "7"}, {"pending writes", "2"}, {"last write", "k42=3"}};
    s->nodes[1].pendingMessages = 3;
    return s;
}

}  // namespace

class TestInspector : public QObject {
    Q_OBJECT

private slots:
    void showsAHintWithoutSelection();
    void showsTheSelectedNode();
    void status_data();
    void status();
    void detailRowsAreReusedWhileTheLabelsStay();
    void unknownNodeSaysSo();
    void screenshot();
};

void TestInspector::showsAHintWithoutSelection() {
    Inspector inspector;
    inspector.setSnapshot(cluster());
    QVERIFY(inspector.isShowingHint());
    auto* hint = inspector.findChild<QLabel*>(QStringLiteral("hint"));
    QVERIFY(hint);
    QCOMPARE(hint->text(), QStringLiteral("Click a node to inspect it."));
}

void TestInspector::showsTheSelectedNode() {
    Inspector inspector;
    auto s = cluster();
    inspector.setSnapshot(s);
    inspector.setSelectedNode(QStringLiteral("n2"));
    QVERIFY(!inspector.isShowingHint());
    const NodeView& n2 = s->nodes[1];
    QCOMPARE(inspector.fieldText(QStringLiteral("id")), QStringLiteral("n2"));
    QCOMPARE(inspector.fieldText(QStringLiteral("role")), QStringLiteral("Server"));
    QCOMPARE(inspector.fieldText(QStringLiteral("status")), QStringLiteral("Up"));
    QCOMPARE(inspector.fieldText(QStringLiteral("keysOwned")), QString::number(n2.keysOwned));
    QCOMPARE(inspector.fieldText(QStringLiteral("keysStored")), QString::number(n2.keysStored));
    QCOMPARE(inspector.fieldText(QStringLiteral("vnodes")), QStringLiteral("16"));
    QCOMPARE(inspector.fieldText(QStringLiteral("loadShare")),
             QStringLiteral("%1 %").arg(n2.loadShare * 100, 0, 'f', 1));
    QCOMPARE(inspector.fieldText(QStringLiteral("pending")), QStringLiteral("3"));
    QCOMPARE(inspector.fieldText(QStringLiteral("ring epoch")), QStringLiteral("7"));
    QCOMPARE(inspector.fieldText(QStringLiteral("last write")), QStringLiteral("k42=3"));
    inspector.setSelectedNode(QStringLiteral("c1"));
    QCOMPARE(inspector.fieldText(QStringLiteral("role")), QStringLiteral("Client"));
    QVERIFY(inspector.fieldText(QStringLiteral("ring epoch")).isEmpty());
    // A client has no keys, virtual nodes or load of its own: those rows are hidden, and come back for a server.
    const auto rowShown = [&](const char* field) {
        auto* label = inspector.findChild<QLabel*>(QString::fromLatin1(field));
        return label && !label->isHidden();
    };
    QVERIFY(!rowShown("keysOwned") && !rowShown("vnodes") && !rowShown("loadShare"));
    QVERIFY(rowShown("pending") && rowShown("status"));
    inspector.setSelectedNode(QStringLiteral("n2"));
    QVERIFY(rowShown("keysOwned") && rowShown("vnodes") && rowShown("loadShare"));
}

void TestInspector::status_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("onRing");
    QTest::addColumn<QString>("text");
    QTest::newRow("up") << int(NodeStatus::Up) << true << QStringLiteral("Up");
    QTest::newRow("up, left the ring")
        << int(NodeStatus::Up) << false << QStringLiteral("Up, not on the ring");
    QTest::newRow("crashed") << int(NodeStatus::Crashed) << true << QStringLiteral("Crashed");
    QTest::newRow("paused") << int(NodeStatus::Paused) << true << QStringLiteral("Paused until 150.0 ms");
    QTest::newRow("removed") << int(NodeStatus::Removed) << false << QStringLiteral("Removed");
}

void TestInspector::status() {
    QFETCH(int, status);
    QFETCH(bool, onRing);
    QFETCH(QString, text);
    auto s = cluster();
    s->nodes[2].status = static_cast<NodeStatus>(status);
    s->nodes[2].onRing = onRing;
    s->nodes[2].pausedUntil = millis(150);
    Inspector inspector;
    inspector.setSelectedNode(QStringLiteral("n3"));
    inspector.setSnapshot(s);
    QCOMPARE(inspector.fieldText(QStringLiteral("status")), text);
}

void TestInspector::detailRowsAreReusedWhileTheLabelsStay() {
    Inspector inspector;
    auto s = cluster();
    inspector.setSnapshot(s);
    inspector.setSelectedNode(QStringLiteral("n2"));
    const int labels = static_cast<int>(inspector.findChildren<QLabel*>().size());
    auto next = std::make_shared<ClusterSnapshot>(*s);
    next->nodes[1].details[1].second = "5";
    inspector.setSnapshot(next);
    QCOMPARE(static_cast<int>(inspector.findChildren<QLabel*>().size()), labels);
    QCOMPARE(inspector.fieldText(QStringLiteral("pending writes")), QStringLiteral("5"));
}

void TestInspector::unknownNodeSaysSo() {
    Inspector inspector;
    inspector.setSnapshot(cluster());
    inspector.setSelectedNode(QStringLiteral("n9"));
    QVERIFY(inspector.isShowingHint());
    QCOMPARE(inspector.findChild<QLabel*>(QStringLiteral("hint"))->text(),
             QStringLiteral("Node n9 is not in the cluster."));
}

void TestInspector::screenshot() {
    Inspector inspector;
    inspector.resize(340, 420);
    inspector.setSnapshot(cluster());
    inspector.setSelectedNode(QStringLiteral("n2"));
    inspector.show();
    QVERIFY(QTest::qWaitForWindowExposed(&inspector));
    fixtures::saveArtifact(inspector.grab().toImage(), QStringLiteral("tst_inspector"));
}

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
