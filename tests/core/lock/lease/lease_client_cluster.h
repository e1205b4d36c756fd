#pragma once
// A small lock-lab cluster for tests: one lease lock server "lock", the fenced storage "disk", the
// lab's control node "ctl" and two lease clients c1, c2. Shared by the client and checker suites.
#include <QTest>

#include <string>
#include <vector>

#include "core/protocols/lock/lease/fenced_storage.h"
#include "core/protocols/lock/lease/lease_lock_client.h"
#include "core/protocols/lock/lease/lease_lock_server.h"
#include "core/sim/world.h"
#include "tests/support/probe.h"

namespace distlab::lock::testing {

constexpr std::uint64_t kEventsMax = 1'000'000;

// One lock server "lock", the storage "disk", the lab's control node "ctl" and lease clients c1, c2.
class ClientCluster {
public:
    ClientCluster(LeaseLockClientConfig clientConfig, bool fencing, std::uint64_t seed = 1) : world(seed) {
        FencedStorageConfig storageConfig;
        storageConfig.fencing = fencing;
        if (!world.addNode("lock", [] { return std::make_unique<LeaseLockServer>(); }).ok())
            QFAIL("cannot add the lock server");
        if (!world.addNode("disk", [storageConfig] { return std::make_unique<FencedStorage>(storageConfig); })
                 .ok())
            QFAIL("cannot add the storage");
        if (!support::addProbe(world, "ctl")) QFAIL("cannot add ctl");
        for (const char* id : {"c1", "c2"}) {
            if (!world.addNode(id, [clientConfig] { return std::make_unique<LeaseLockClient>(clientConfig); })
                     .ok())
                QFAIL("cannot add a client");
        }
        run(millis(1));
    }

    void run(SimTime duration) { world.runUntil(world.now() + duration, kEventsMax); }
    // client_lock on R; ttlMs 0 and holdMs -1 keep the client's defaults.
    bool lock(const std::string& client, std::int64_t ttlMs = 0, std::int64_t holdMs = -1) {
        return world.sendFrom("ctl", client, makeBody(ClientLock{"R", ttlMs, holdMs})).ok();
    }
    bool unlock(const std::string& client) {
        return world.sendFrom("ctl", client, makeBody(ClientUnlock{"R"})).ok();
    }
    // Makes every message on from -> to take exactly `latency` (to hold a request in flight).
    void slowLink(const std::string& from, const std::string& to, SimTime latency) {
        LinkConfig slow;
        slow.latencyMin = latency;
        slow.latencyMax = latency;
        world.network().setLink(*world.indexOf(from), *world.indexOf(to), slow);
    }
    // Runs in 1 ms steps until the client is in `state` (at most `limit`); false if it never got there.
    bool runUntilState(const std::string& id, LeaseClientState state, SimTime limit = millis(5000)) {
        const SimTime until = world.now() + limit;
        while (world.now() < until) {
            if (client(id)->state() == state) return true;
            run(millis(1));
        }
        return client(id)->state() == state;
    }
    LeaseLockClient* client(const std::string& id) {
        return dynamic_cast<LeaseLockClient*>(world.node(*world.indexOf(id)));
    }
    LeaseLockServer* server() { return dynamic_cast<LeaseLockServer*>(world.node(*world.indexOf("lock"))); }
    FencedStorage* storage() { return dynamic_cast<FencedStorage*>(world.node(*world.indexOf("disk"))); }

    // The client's completed operations named f, in order.
    std::vector<ClientOp> ops(const std::string& process, const std::string& f, OpPhase phase) const {
        std::vector<ClientOp> out;
        for (const ClientOp& op : world.trace().clientOps()) {
            if (op.process == process && op.f == f && op.phase == phase) out.push_back(op);
        }
        return out;
    }

    World world;
};

}  // namespace distlab::lock::testing
