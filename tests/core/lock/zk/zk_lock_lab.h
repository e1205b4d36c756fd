#pragma once
// A small ZooKeeper-lock lab shared by the zk test suites: a coordination server "zk", a fenced storage
// "disk" (optional), clients c1..cN running the lock recipe, and "ctl", a probe that speaks the lab's
// control messages (client_lock, client_unlock, zk_watch_set) and can also record hand-made history
// ops for checker tests ("scribe" messages).
#include <QTest>

#include <memory>
#include <string>
#include <vector>

#include "core/protocols/lock/lease/fenced_storage.h"
#include "core/protocols/lock/lease/lease_messages.h"
#include "core/protocols/lock/zk/coordination_server.h"
#include "core/protocols/lock/zk/zk_lock_client.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"

// QCOMPARE cannot print (or even pick an overload for) Json: compare dumps instead.
#define ZK_COMPARE_JSON(actual, expected)                                                             \
    do {                                                                                              \
        const ::distlab::Json zkActual_ = (actual);                                                   \
        const ::distlab::Json zkExpected_ = (expected);                                               \
        QVERIFY2(zkActual_ == zkExpected_, (zkActual_.dump() + " != " + zkExpected_.dump()).c_str()); \
    } while (false)

namespace zktest {

using namespace distlab;
using namespace distlab::zk;

constexpr std::uint64_t kEventsMax = 5'000'000;

inline Body scribe(const std::string& phase, std::int64_t opId, const std::string& f, Json value) {
    Body body;
    body.type = "scribe";
    body.fields = Json{{"phase", phase}, {"op_id", opId}, {"f", f}, {"value", std::move(value)}};
    return body;
}

struct ZkLabOptions {
    int clients = 4;
    WatchMode mode = WatchMode::Predecessor;
    bool storage = false;  // add "disk" and let the clients read-modify-write it under the lock
    std::int64_t sessionTimeoutMs = 300;
    std::int64_t holdMs = 0;  // without storage, 0 holds until client_unlock
    std::int64_t waitRecheckMs = 1000;
    std::uint64_t seed = 1;
    WorldLimits limits = {};
};

class ZkLockLab {
public:
    explicit ZkLockLab(const ZkLabOptions& options) : world(options.seed, options.limits) {
        QVERIFY(world.addNode("zk", [] { return std::make_unique<CoordinationServer>(); }).ok());
        if (options.storage)
            QVERIFY(world.addNode("disk", [] { return std::make_unique<lock::FencedStorage>(); }).ok());
        QVERIFY(support::addProbe(world, "ctl", {.scribe = true}));
        for (int i = 1; i <= options.clients; ++i) {
            const std::string id = "c" + std::to_string(i);
            ZkLockClientConfig config;
            config.mode = options.mode;
            config.storage = options.storage ? "disk" : "";
            config.sessionTimeoutMs = options.sessionTimeoutMs;
            config.holdMs = options.holdMs;
            config.waitRecheckMs = options.waitRecheckMs;
            QVERIFY(world.addNode(id, [config] { return std::make_unique<ZkLockClient>(config); }).ok());
            ids.push_back(id);
        }
        run(millis(50));  // sessions open
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    bool up(const std::string& id) const { return world.node(*world.indexOf(id)) != nullptr; }
    ZkLockClient& client(const std::string& id) {
        return *static_cast<ZkLockClient*>(world.node(*world.indexOf(id)));
    }
    CoordinationServer& server() {
        return *static_cast<CoordinationServer*>(world.node(*world.indexOf("zk")));
    }
    lock::FencedStorage& storage() {
        return *static_cast<lock::FencedStorage*>(world.node(*world.indexOf("disk")));
    }
    void send(const std::string& id, Body body) { QVERIFY(world.sendFrom("ctl", id, std::move(body)).ok()); }
    void lock(const std::string& id, const std::string& resource = "r", std::int64_t holdMs = -1) {
        send(id, makeBody(lock::ClientLock{resource, 0, holdMs}));
        run(millis(50));
    }
    void unlock(const std::string& id, const std::string& resource = "r") {
        send(id, makeBody(lock::ClientUnlock{resource}));
        run(millis(100));
    }
    std::vector<std::string> holders() {
        std::vector<std::string> out;
        for (const std::string& id : ids)
            if (up(id) && client(id).holding()) out.push_back(id);
        return out;
    }
    std::uint64_t totalWakeups() {
        std::uint64_t total = 0;
        for (const std::string& id : ids)
            if (up(id)) total += client(id).wakeups();
        return total;
    }
    // The history ops of one process and function, in order.
    std::vector<ClientOp> ops(const std::string& process, const std::string& f) const {
        std::vector<ClientOp> out;
        for (const ClientOp& op : world.trace().clientOps())
            if (op.process == process && op.f == f) out.push_back(op);
        return out;
    }

    World world;
    std::vector<std::string> ids;
};

}  // namespace zktest
