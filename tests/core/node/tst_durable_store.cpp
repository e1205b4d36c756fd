// The store a node's durable state lives in, as the simulator provides it: MemoryStore's statuses (a damaged
// record is reported, never returned or overwritten), Disk turning failures into StoreFailure, and the world
// stopping a node whose handler hit one, with the reason in the trace.
#include <QTest>

#include "core/sim/world.h"

using namespace distlab;

namespace {

// Reads its record on start and on every timer, and writes its count back: a node whose disk matters.
class Counter : public Node {
public:
    void onStart(Context& ctx) override {
        count = std::stoi(ctx.store().get("count").value_or("0")) + 1;
        ctx.store().put("count", std::to_string(count));
        ctx.setTimer(millis(10), "tick");
    }
    void onMessage(Context&, const Envelope&) override {}
    void onTimer(Context& ctx, TimerId, const std::string&) override {
        const std::int64_t id = ctx.store().increment("ids");
        ctx.traceState("id " + std::to_string(id));
        ctx.setTimer(millis(10), "tick");
    }
    int count = 0;
};

std::vector<std::string> statesOf(const World& world, const std::string& node) {
    std::vector<std::string> out;
    const Trace& trace = world.trace();
    for (const TraceEvent& event : trace.events())
        if (event.kind == TraceKind::State && event.node == trace.find(node)) out.push_back(trace.name(event.text));
    return out;
}

}  // namespace

class TestDurableStore : public QObject {
    Q_OBJECT

private slots:
    void memoryStoreKeepsKeyOrderAndStatuses() {
        MemoryStore store;
        QCOMPARE(store.put("b/2", "two"), StoreStatus::Ok);
        QCOMPARE(store.put("a", "x"), StoreStatus::Ok);
        QCOMPARE(store.put("b/1", "one"), StoreStatus::Ok);
        QCOMPARE(store.put("c", "y"), StoreStatus::Ok);
        const std::vector<StoreRecord> scanned = store.scan("b/");
        QCOMPARE(scanned.size(), std::size_t(2));
        QCOMPARE(scanned[0].key, std::string("b/1"));
        QCOMPARE(scanned[1].value, std::string("two"));
        QCOMPARE(store.scan("").size(), std::size_t(4));
        QCOMPARE(store.scan("d").size(), std::size_t(0));
        std::string value;
        QCOMPARE(store.get("zz", value), StoreStatus::NotFound);
        QCOMPARE(store.erase("zz"), StoreStatus::NotFound);
        QCOMPARE(store.erase("a"), StoreStatus::Ok);
        QCOMPARE(store.size(), std::size_t(3));
        std::int64_t id = 0;
        QCOMPARE(store.increment("ids", id), StoreStatus::Ok);
        QCOMPARE(store.increment("ids", id), StoreStatus::Ok);
        QCOMPARE(id, std::int64_t(2));
        QCOMPARE(store.put("junk", "not a number"), StoreStatus::Ok);
        QCOMPARE(store.increment("junk", id), StoreStatus::Ok);  // intact but not a counter: starts again
        QCOMPARE(id, std::int64_t(1));
    }

    void damagedRecordIsReportedAndNeverOverwritten() {
        MemoryStore store;
        QCOMPARE(store.put("p/t1", "READY"), StoreStatus::Ok);
        QCOMPARE(store.put("ids", "7"), StoreStatus::Ok);
        QVERIFY(store.damage("p/t1"));
        QVERIFY(store.damage("ids"));
        QVERIFY(!store.damage("missing"));
        std::string value = "untouched";
        QCOMPARE(store.get("p/t1", value), StoreStatus::Corrupt);
        QCOMPARE(value, std::string("untouched"));
        QCOMPARE(store.put("p/t1", "INIT"), StoreStatus::Corrupt);
        std::int64_t id = 0;
        QCOMPARE(store.increment("ids", id), StoreStatus::Corrupt);  // counting again would reuse ids
        QCOMPARE(id, std::int64_t(0));
        const std::vector<StoreRecord> scanned = store.scan("p/");
        QCOMPARE(scanned.size(), std::size_t(1));
        QCOMPARE(scanned[0].status, StoreStatus::Corrupt);
        QVERIFY(scanned[0].value.empty());
        // A copy (a checkpoint) keeps the damage; erasing the record is the one repair.
        MemoryStore copy = store;
        QCOMPARE(copy.get("p/t1", value), StoreStatus::Corrupt);
        QCOMPARE(store.erase("p/t1"), StoreStatus::Ok);
        QCOMPARE(store.put("p/t1", "INIT"), StoreStatus::Ok);
    }

    void diskThrowsWhatTheStoreCannotDo() {
        MemoryStore memory;
        Disk disk(memory);
        QVERIFY(!disk.get("k").has_value());
        disk.put("k", "v");
        QCOMPARE(disk.get("k").value(), std::string("v"));
        QCOMPARE(disk.increment("n"), std::int64_t(1));
        QVERIFY(disk.erase("k"));
        QVERIFY(!disk.erase("k"));
        disk.put("log/a", "1");
        disk.put("log/b", "2");
        QVERIFY(memory.damage("log/b"));
        try {
            (void)disk.scan("log/");
            QFAIL("a scan over a damaged record returned");
        } catch (const StoreFailure& failure) {
            QCOMPARE(failure.status(), StoreStatus::Corrupt);
            QCOMPARE(failure.key(), std::string("log/b"));
            QCOMPARE(std::string(failure.what()), std::string("record 'log/b' on disk fails its checksum"));
        }
        QVERIFY_THROWS_EXCEPTION(StoreFailure, disk.put("log/b", "3"));
        QVERIFY_THROWS_EXCEPTION(StoreFailure, (void)disk.get("log/b"));
        QCOMPARE(DiskReader(memory).get("log/a").value(), std::string("1"));
    }

    // A handler that meets a damaged record stops its node: the trace says why, then shows the crash; the
    // rest of the world goes on; a restart on the same disk stops again, and one after the repair runs.
    void nodeStopsOnADamagedRecord() {
        World world(3);
        QVERIFY(world.addNode("n1", [] { return std::make_unique<Counter>(); }).ok());
        QVERIFY(world.addNode("n2", [] { return std::make_unique<Counter>(); }).ok());
        world.runUntil(millis(25), 1000);
        QCOMPARE(statesOf(world, "n1"), (std::vector<std::string>{"id 1", "id 2"}));
        const NodeIndex n1 = *world.indexOf("n1");
        QVERIFY(world.store(n1).damage("ids"));
        world.runUntil(millis(45), 1000);
        QCOMPARE(world.status(n1), NodeStatus::Crashed);
        QCOMPARE(statesOf(world, "n1"),
                 (std::vector<std::string>{"id 1", "id 2", "halted: record 'ids' on disk fails its checksum"}));
        QCOMPARE(statesOf(world, "n2").size(), std::size_t(4));  // n2 kept ticking
        std::string value;
        QCOMPARE(world.store(n1).get("ids", value), StoreStatus::Corrupt);

        QVERIFY(world.store(n1).damage("count"));
        QVERIFY(world.restart("n1").ok());  // onStart reads the damaged count: stops at once
        QCOMPARE(world.status(n1), NodeStatus::Crashed);
        QCOMPARE(statesOf(world, "n1").back(), std::string("halted: record 'count' on disk fails its checksum"));

        QCOMPARE(world.store(n1).erase("count"), StoreStatus::Ok);
        QCOMPARE(world.store(n1).erase("ids"), StoreStatus::Ok);
        QVERIFY(world.restart("n1").ok());
        QCOMPARE(world.status(n1), NodeStatus::Up);
        world.runUntil(millis(60), 1000);
        QCOMPARE(statesOf(world, "n1").back(), std::string("id 1"));
    }
};

QTEST_APPLESS_MAIN(TestDurableStore)
#include "tst_durable_store.moc"
