// The lock lab: builds the lock servers, the storage and the clients, turns the console's lock commands
// into control messages, and reads the trace back into what the lock view draws.
#include "core/labs/lock/lock_lab.h"

#include <algorithm>
#include <sstream>

#include "core/check/lock_checks.h"
#include "core/check/zk_lock_checks.h"
#include "core/labs/lock/lock_commands.h"
#include "core/node/json_fields.h"
#include "core/protocols/lock/lease/fenced_storage.h"
#include "core/protocols/lock/lease/lease_lock_client.h"
#include "core/protocols/lock/lease/lease_lock_server.h"
#include "core/protocols/lock/lease/lease_messages.h"
#include "core/protocols/lock/lease/redlock_client.h"
#include "core/protocols/lock/zk/coordination_server.h"
#include "core/protocols/lock/zk/zk_lock_client.h"
#include "core/protocols/lock/zk/zk_messages.h"

namespace distlab {

constexpr const char* kLockIdPrefix = "lk-";
const char* const kLeaseServerId = "lk-lease";
const char* const kZkServerId = "lk-zk";
const char* const kStorageId = "lk-disk";

namespace {

// lk-c1, lk-c2, ...: the ids a `lock acquire` may create a client under.
bool isLockClientId(std::string_view id) {
    constexpr std::string_view kClientPrefix = "lk-c";
    if (id.size() <= kClientPrefix.size() || !id.starts_with(kClientPrefix)) return false;
    return std::all_of(id.begin() + kClientPrefix.size(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A lease server's report of one resource (see LeaseLockServer::observe), or null.
Json leaseOf(const Json& server, const std::string& resource) {
    if (!server.is_object()) return nullptr;
    auto leases = server.find("leases");
    if (leases == server.end() || !leases->is_object()) return nullptr;
    auto lease = leases->find(resource);
    return lease == leases->end() ? Json() : *lease;
}

std::int64_t intField(const Json& value, const char* key) {
    if (!value.is_object()) return 0;
    auto it = value.find(key);
    return it != value.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

// Ends an interval at the first crash of its node after it began, if that comes before its end.
void cutAtCrash(LockInterval& interval, const std::vector<SimTime>& crashes) {
    auto crash = std::lower_bound(crashes.begin(), crashes.end(), interval.start);
    if (crash == crashes.end()) return;
    if (interval.end == kOpenInterval || *crash < interval.end) interval.end = *crash;
}

// The lane of `client` on resource `r`, added at the end when it has none yet.
LockLane& laneOf(LockResourceView& r, const std::string& client) {
    for (LockLane& lane : r.lanes)
        if (lane.client == client) return lane;
    LockLane lane;
    lane.client = client;
    r.lanes.push_back(std::move(lane));
    return r.lanes.back();
}

template <class T>
void keepNewest(std::vector<T>& items, std::size_t max) {
    if (items.size() > max) items.erase(items.begin(), items.begin() + std::ptrdiff_t(items.size() - max));
}

// Intervals in which at least `quorum` of the given per-server intervals overlap (Redlock's "really holds").
std::vector<LockInterval> majorityIntervals(const std::vector<LockInterval>& perServer, std::size_t quorum,
                                            SimTime now) {
    std::vector<std::pair<SimTime, int>> edges;
    for (const LockInterval& interval : perServer) {
        edges.emplace_back(interval.start, +1);
        edges.emplace_back(interval.end == kOpenInterval ? now + 1 : interval.end, -1);
    }
    std::sort(edges.begin(), edges.end());  // at equal times an end (-1) comes before a start (+1)
    std::vector<LockInterval> out;
    std::size_t count = 0;
    for (const auto& [time, delta] : edges) {
        const std::size_t before = count;
        count = std::size_t(std::int64_t(count) + delta);
        if (before < quorum && count >= quorum) out.push_back(LockInterval{time, kOpenInterval, 0});
        if (before >= quorum && count < quorum && !out.empty()) out.back().end = time > now ? kOpenInterval : time;
    }
    return out;
}

}  // namespace

LockLab::LockLab(LabHost& host, LockSpec spec)
    : Lab(host), m_cluster(host.cluster()), m_spec(std::move(spec)), m_control(host.controlId()), m_fencing(m_spec.fencing),
      m_watch(m_spec.watch) {}

LabEntry LockLab::registryEntry() {
    return LabEntry{
        "lock",
        kLockIdPrefix,
        [](const Json& value, const SectionReader& reader, const std::string& path) {
            return lockSectionToJson(readLockSection(value, reader, path));
        },
        nullptr,  // it starts with a scenario that has its section
        lockCommands(),
        {},
        [](LabHost& host, const Scenario* scenario) -> std::unique_ptr<Lab> {
            if (scenario) return std::make_unique<LockLab>(host, labSection(*scenario, "lock", readLockSection));
            // Started by a first command: no clients yet, `lock acquire` names them.
            LockSpec spec;
            spec.clients = 0;
            return std::make_unique<LockLab>(host, spec);
        },
    };
}

std::vector<Lab::StartError> LockLab::start() {
    std::vector<StartError> errors;
    auto note = [&errors](const Status& ok) {
        if (!ok) errors.push_back(StartError{"lock lab", ok.error()});
    };
    note(ensureStorage());
    note(ensureServers(m_spec.mode));
    for (int i = 1; i <= m_spec.clients; ++i) note(addClient(kLockIdPrefix + ("c" + std::to_string(i)), m_spec.mode));
    return errors;
}

std::optional<Text> LockLab::onCrash(const std::string& id) {
    noteCrash(id, m_cluster.now());
    return std::nullopt;
}

void LockLab::fillSnapshot(ClusterSnapshot& snap) const {
    std::vector<std::string> ids;
    for (const auto& node : snap.nodes) ids.push_back(node.id);
    snap.locks = view(ids);
}

std::vector<std::string> LockLab::redlockServerIds() const {
    std::vector<std::string> ids;
    for (int i = 1; i <= m_spec.servers; ++i) ids.push_back(kLockIdPrefix + ("s" + std::to_string(i)));
    return ids;
}

bool LockLab::isServer(const std::string& id) const {
    if (id == kLeaseServerId && m_modesStarted.count("lease")) return true;
    if (id == kZkServerId && m_modesStarted.count("zk")) return true;
    if (!m_modesStarted.count("redlock")) return false;
    const auto ids = redlockServerIds();
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool LockLab::ownsNode(const std::string& id) const {
    return id == kStorageId || isServer(id) || isClient(id);
}

bool LockLab::isUp(const std::string& id) const {
    const NodeStatus status = m_cluster.status(id);
    return status != NodeStatus::Crashed && status != NodeStatus::Removed;
}

Json LockLab::observed(const std::string& id) const { return m_cluster.observe(id); }

bool LockLab::usesZk() const { return m_modesStarted.count("zk") != 0; }

Status LockLab::ensureStorage() {
    if (m_cluster.has(kStorageId)) return Ok{};
    lock::FencedStorageConfig config;
    config.fencing = m_fencing;
    auto added = m_cluster.addNode(kStorageId, [config] { return std::make_unique<lock::FencedStorage>(config); });
    if (!added) return added.error();
    return Ok{};
}

Status LockLab::ensureServers(const std::string& mode) {
    if (m_modesStarted.count(mode)) return Ok{};
    lock::LeaseLockConfig leaseConfig;
    leaseConfig.persistence = m_spec.persistence;
    std::vector<std::string> ids;
    if (mode == "lease") ids = {kLeaseServerId};
    if (mode == "redlock") ids = redlockServerIds();
    if (mode == "zk") ids = {kZkServerId};
    for (const auto& id : ids) {
        if (m_cluster.has(id))
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot start the %1 lock: node '%2' already exists"), mode, id),
                             makeText(QT_TRANSLATE_NOOP("Core", "the lock lab needs the ids lk-lease, lk-s1..lk-s9, lk-zk and lk-disk for itself")));
    }
    for (const auto& id : ids) {
        Status added = mode == "zk"
                                      ? m_cluster.addNode(id, [] { return std::make_unique<zk::CoordinationServer>(); })
                                      : m_cluster.addNode(id, [leaseConfig] {
                                            return std::make_unique<lock::LeaseLockServer>(leaseConfig);
                                        });
        if (!added) return added.error();
    }
    m_modesStarted.insert(mode);
    return Ok{};
}

Status LockLab::addClient(const std::string& id, const std::string& mode) {
    if (auto ok = ensureServers(mode); !ok) return ok;
    if (auto ok = ensureStorage(); !ok) return ok;
    const std::int64_t ttlMs = m_spec.ttl / kMicrosPerMilli;
    const std::int64_t holdMs = m_spec.hold / kMicrosPerMilli;
    Status added = makeError("unknown lock mode " + mode);
    if (mode == "lease") {
        lock::LeaseLockClientConfig config;
        config.lockServer = kLeaseServerId;
        config.storage = kStorageId;
        config.ttlMs = ttlMs;
        config.holdMs = holdMs;
        added = m_cluster.addNode(id, [config] { return std::make_unique<lock::LeaseLockClient>(config); });
    } else if (mode == "redlock") {
        lock::RedlockClientConfig config;
        config.servers = redlockServerIds();
        config.storage = kStorageId;
        config.ttlMs = ttlMs;
        config.holdMs = holdMs;
        added = m_cluster.addNode(id, [config] { return std::make_unique<lock::RedlockClient>(config); });
    } else if (mode == "zk") {
        added = m_cluster.addNode(id, zkClientFactory());
    }
    if (!added) return added.error();
    m_clients[id] = mode;
    return Ok{};
}

NodeFactory LockLab::zkClientFactory() const {
    zk::ZkLockClientConfig config;
    config.server = kZkServerId;
    config.storage = kStorageId;
    config.holdMs = m_spec.hold / kMicrosPerMilli;
    config.sessionTimeoutMs = m_spec.sessionTimeout / kMicrosPerMilli;
    config.mode = m_watch == "parent" ? zk::WatchMode::Parent : zk::WatchMode::Predecessor;
    return [config] { return std::make_unique<zk::ZkLockClient>(config); };
}

void LockLab::noteCrash(const std::string& id, SimTime at) {
    if (ownsNode(id)) m_crashes[id].push_back(at);
}

Result<Text> LockLab::execute(const Command& command) {
    if (command.is(lock_commands::kLockAcquire)) return acquire(command);
    if (command.is(lock_commands::kLockRelease)) return release(command);
    if (command.is(lock_commands::kClockJump) || command.is(lock_commands::kClockDrift)) return clockChange(command);
    if (command.is(lock_commands::kClientSlow)) return slowClient(command);
    if (command.is(lock_commands::kFencing)) {
        if (auto ok = ensureStorage(); !ok) return ok.error();
        const bool on = command.key == "on";
        if (!isUp(kStorageId))
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "the storage '%1' is down"), kStorageId),
                             makeText(QT_TRANSLATE_NOOP("Core", "restart it with 'node restart %1'"), kStorageId));
        if (auto sent = m_cluster.sendFrom(m_control, kStorageId, makeBody(lock::FencingSet{on})); !sent)
            return sent.error();
        m_fencing = on;
        return on ? makeText(QT_TRANSLATE_NOOP("Core", "fencing on: the storage refuses reads and writes with a fencing token older than the highest it has seen"))
                  : makeText(QT_TRANSLATE_NOOP("Core", "fencing off: the storage accepts every write, whatever its token"));
    }
    if (command.is(lock_commands::kZkWatch)) {
        m_watch = command.key;
        for (const auto& [id, mode] : m_clients) {
            if (mode != "zk") continue;
            (void)m_cluster.setFactory(id, zkClientFactory());  // a client restarted later follows it too
            if (isUp(id)) (void)m_cluster.sendFrom(m_control, id, makeBody(zk::WatchModeSet{m_watch}));
        }
        return m_watch == "parent"
                   ? makeText(QT_TRANSLATE_NOOP("Core", "ZooKeeper lock waiters now watch the parent: every change wakes all of them (the herd effect)"))
                   : makeText(QT_TRANSLATE_NOOP("Core", "ZooKeeper lock waiters now watch only the next-lower node: a release wakes one waiter"));
    }
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "command not supported here: %1"), command.text));
}

Result<Text> LockLab::acquire(const Command& command) {
    const std::string& client = command.nodes.front();
    auto known = m_clients.find(client);
    // A client keeps its mode; a new one takes the requested mode, or the lab's.
    const std::string mode =
        !command.value.empty() ? command.value : (known != m_clients.end() ? known->second : m_spec.mode);
    if (known != m_clients.end() && known->second != mode)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is a %2 client and cannot use the %3 lock"), client, known->second, mode),
                         makeText(QT_TRANSLATE_NOOP("Core", "a new client id (such as lk-c9) starts a %1 client"), mode));
    if (mode == "zk" && command.duration > 0)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "--ttl does not apply to the ZooKeeper lock")),
                         makeText(QT_TRANSLATE_NOOP("Core", "its lock lasts as long as the client's session; leave --ttl out")));
    if (auto owner = m_resourceModes.find(command.key); owner != m_resourceModes.end() && owner->second != mode)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is locked with the %2 lock in this run"), command.key, owner->second),
                         makeText(QT_TRANSLATE_NOOP("Core", "one resource, one kind of lock: their fencing tokens do not compare; use another resource name")));
    if (known == m_clients.end()) {
        if (m_cluster.has(client))
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a lock client"), client),
                             makeText(QT_TRANSLATE_NOOP("Core", "lock clients are lk-c1, lk-c2, ...; a new id such as lk-c9 creates one")));
        if (!isLockClientId(client))
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' cannot be a lock client"), client),
                             makeText(QT_TRANSLATE_NOOP("Core", "lock clients are lk-c1, lk-c2, ...; a new id such as lk-c9 creates one")));
        if (m_clients.size() >= std::size_t(kLockClientsMax))
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "the lab already has %1 lock clients"), kLockClientsMax),
                             makeText(QT_TRANSLATE_NOOP("Core", "use one of the existing clients")));
        if (auto added = addClient(client, mode); !added) return added.error();
        known = m_clients.find(client);
    }
    if (!isUp(client))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is down"), client),
                         makeText(QT_TRANSLATE_NOOP("Core", "restart it with 'node restart %1'"), client));
    lock::ClientLock request{command.key, command.duration / kMicrosPerMilli, command.count};
    if (auto sent = m_cluster.sendFrom(m_control, client, makeBody(request)); !sent) return sent.error();
    m_resourceModes.emplace(command.key, mode);
    const std::int64_t ttl = command.duration > 0 ? command.duration / kMicrosPerMilli : m_spec.ttl / kMicrosPerMilli;
    if (mode == "zk") return makeText(QT_TRANSLATE_NOOP("Core", "%1 asks for the ZooKeeper lock on %2"), client, command.key);
    if (mode == "redlock")
        return makeText(QT_TRANSLATE_NOOP("Core", "%1 asks %2 Redlock servers for %3 (TTL %4 ms)"), client, m_spec.servers,
                        command.key, ttl);
    return makeText(QT_TRANSLATE_NOOP("Core", "%1 asks for the lease lock on %2 (TTL %3 ms)"), client, command.key, ttl);
}

Result<Text> LockLab::release(const Command& command) {
    const std::string& client = command.nodes.front();
    if (!isClient(client))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a lock client"), client),
                         makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
    if (!isUp(client))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is down"), client),
                         makeText(QT_TRANSLATE_NOOP("Core", "restart it with 'node restart %1'"), client));
    if (auto sent = m_cluster.sendFrom(m_control, client, makeBody(lock::ClientUnlock{command.key})); !sent)
        return sent.error();
    return makeText(QT_TRANSLATE_NOOP("Core", "%1 gives the lock on %2 back"), client, command.key);
}

Result<Text> LockLab::clockChange(const Command& command) {
    const std::string& id = command.nodes.front();
    if (!m_cluster.has(id) || !isServer(id) || id == kZkServerId)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a lease lock server"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "clock faults apply to the lease lock servers: lk-lease, lk-s1, lk-s2, ...")));
    const Json server = observed(id);
    if (!server.is_object() || !isUp(id))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is down"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "restart it with 'node restart %1'"), id));
    // A clock_set carries the drift as well as the jump; the drift is the one this lab last asked for, not
    // the server's current one, which misses a drift change still on its way.
    lock::ClockSet set;
    auto drift = m_driftPpm.find(id);
    set.drift_ppm = drift != m_driftPpm.end() ? drift->second : server.value("drift_ppm", std::int64_t(0));
    if (command.is(lock_commands::kClockJump))
        set.jump_ms = command.count;
    else
        set.drift_ppm = command.count;
    if (auto sent = m_cluster.sendFrom(m_control, id, makeBody(set)); !sent) return sent.error();
    m_driftPpm[id] = set.drift_ppm;
    if (command.is(lock_commands::kClockJump))
        return makeText(QT_TRANSLATE_NOOP("Core", "%1's clock jumps %2 ms: its leases end that much sooner (or later)"), id,
                        (command.count > 0 ? "+" : "") + std::to_string(command.count));
    return makeText(QT_TRANSLATE_NOOP("Core", "%1's clock now drifts %2 ppm"), id, command.count);
}

Result<Text> LockLab::slowClient(const Command& command) {
    const std::string& id = command.nodes.front();
    if (!m_cluster.has(id)) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "unknown node '%1'"), id), makeText(QT_TRANSLATE_NOOP("Core", "type 'status' to list the nodes")));
    for (const NodeId& other : m_cluster.nodeIds()) {
        if (other == id) continue;
        if (command.duration == 0) {
            (void)m_cluster.linkDefaults(id, other);
            (void)m_cluster.linkDefaults(other, id);
            continue;
        }
        (void)m_cluster.setLink(id, other, command.duration, /*lossless=*/false);
        (void)m_cluster.setLink(other, id, command.duration, /*lossless=*/false);
    }
    if (command.duration == 0) return makeText(QT_TRANSLATE_NOOP("Core", "%1's network is back to normal"), id);
    return makeText(QT_TRANSLATE_NOOP("Core", "every message to and from %1 now takes %2"), id, formatMillis(command.duration));
}

// Reads the ops recorded since the last call into the lab's running picture of the history, so that a
// frame costs what happened since the previous frame, not the whole run.
void LockLab::absorbNewOps() const {
    auto& resources = m_acc.resources;
    auto& pending = m_acc.pending;
    auto& holding = m_acc.holding;
    auto& holdsByResource = m_acc.holds;

    const auto resourceView = [&](const std::string& name, const std::string& mode) -> LockResourceView& {
        LockResourceView& r = resources[name];
        if (r.resource.empty()) {
            r.resource = name;
            r.mode = mode;
        }
        return r;
    };
    const auto endBelief = [&](const std::string& client, SimTime at) {
        auto held = holding.find(client);
        if (held == holding.end()) return;
        LockResourceView& r = resources[held->second];
        LockLane& lane = laneOf(r, client);
        if (!lane.believes.empty() && lane.believes.back().end == kOpenInterval) lane.believes.back().end = at;
        for (auto it = r.history.rbegin(); it != r.history.rend(); ++it) {
            if (it->client != client) continue;
            if (it->end == kOpenInterval) it->end = at;
            break;
        }
        holding.erase(held);
    };

    const std::vector<ClientOp>& ops = m_cluster.trace().clientOps();
    for (; m_opsAbsorbed < ops.size(); ++m_opsAbsorbed) {
        const ClientOp& op = ops[m_opsAbsorbed];
        if (!isClient(op.process) && !isServer(op.process)) continue;
        ++m_acc.labOps;
        auto client = m_clients.find(op.process);
        if (client != m_clients.end()) {
            const std::string& mode = client->second;
            if ((op.f == "read" || op.f == "write") && (op.phase == OpPhase::Ok || op.phase == OpPhase::Fail)) {
                StorageAccess access;
                access.at = op.time;
                access.client = op.process;
                access.write = op.f == "write";
                access.token = intField(op.value, "fencing_token");
                access.accepted = op.phase == OpPhase::Ok;
                access.seq = intField(op.value, "seq");
                m_acc.storageLog.push_back(std::move(access));
                if (m_acc.storageLog.size() > 4 * kStorageLogMax) keepNewest(m_acc.storageLog, kStorageLogMax);
            }
            if (op.f == "lock") {
                if (op.phase == OpPhase::Invoke) {
                    endBelief(op.process, op.time);
                    const std::string resource = stringField(op.value, "resource");
                    if (resource.empty()) continue;
                    laneOf(resourceView(resource, mode), op.process);
                    pending[op.process] = Pending{resource, op.time};
                } else if (op.phase == OpPhase::Ok) {
                    auto request = pending.find(op.process);
                    std::string resource = stringField(op.value, "resource");
                    if (resource.empty() && request != pending.end()) resource = request->second.resource;
                    if (request != pending.end()) pending.erase(request);
                    if (resource.empty()) continue;
                    LockResourceView& r = resourceView(resource, mode);
                    const std::int64_t token = intField(op.value, "fencing_token");
                    laneOf(r, op.process).believes.push_back(LockInterval{op.time, kOpenInterval, token});
                    LockGrant grant;
                    grant.client = op.process;
                    grant.token = token;
                    grant.at = op.time;
                    r.history.push_back(grant);
                    if (r.history.size() > 8 * kLockHistoryMax) keepNewest(r.history, 2 * kLockHistoryMax);
                    LockLane& lane = laneOf(r, op.process);
                    if (lane.believes.size() > 8 * kLockLaneIntervalsMax) keepNewest(lane.believes, 2 * kLockLaneIntervalsMax);
                    holding[op.process] = resource;
                } else {
                    pending.erase(op.process);
                }
            } else if (op.f == "write" && op.phase != OpPhase::Invoke) {
                ++m_acc.writesDone;
                auto held = holding.find(op.process);
                if (held == holding.end()) continue;
                LockResourceView& r = resources[held->second];
                for (auto it = r.history.rbegin(); it != r.history.rend(); ++it) {
                    if (it->client != op.process) continue;
                    it->write = op.phase == OpPhase::Ok     ? LockGrant::Write::Accepted
                                : op.phase == OpPhase::Fail ? LockGrant::Write::Rejected
                                                            : LockGrant::Write::Unknown;
                    break;
                }
            } else if (op.f == "unlock" && op.phase == OpPhase::Invoke) {
                endBelief(op.process, op.time);
            }
            continue;
        }
        if (op.f != "holder" || !isServer(op.process)) continue;
        const std::string resource = stringField(op.value, "resource");
        const std::string holder = stringField(op.value, "client");
        if (resource.empty() || holder.empty()) continue;
        auto& intervals = holdsByResource[{resource, holder}][op.process];
        ++m_acc.holderOps;
        if (op.phase == OpPhase::Invoke) {
            intervals.push_back(LockInterval{op.time, kOpenInterval, intField(op.value, "fencing_token")});
            if (intervals.size() > 8 * kLockLaneIntervalsMax) keepNewest(intervals, 2 * kLockLaneIntervalsMax);
        } else {
            for (auto it = intervals.rbegin(); it != intervals.rend(); ++it) {
                if (it->end != kOpenInterval) continue;
                it->end = op.time;
                break;
            }
        }
    }

}

LockSnapshot LockLab::view(const std::vector<std::string>& snapshotNodeIds) const {
    LockSnapshot view;
    view.active = true;
    view.mode = m_spec.mode;
    view.fencing = m_fencing;
    view.watch = m_watch;
    const SimTime now = m_cluster.now();
    const auto nodeIndex = [&](const std::string& id) {
        auto it = std::find(snapshotNodeIds.begin(), snapshotNodeIds.end(), id);
        return it == snapshotNodeIds.end() ? -1 : int(it - snapshotNodeIds.begin());
    };
    static const std::vector<SimTime> kNoCrashes;
    const auto crashesOf = [&](const std::string& id) -> const std::vector<SimTime>& {
        auto it = m_crashes.find(id);
        return it == m_crashes.end() ? kNoCrashes : it->second;
    };

    if (const Json storage = observed(kStorageId); storage.is_object()) {
        view.fencing = storage.value("fencing", true);
        view.storageHighestToken = storage.value("highest_token", std::int64_t(0));
        view.writesAccepted = storage.value("writes_accepted", std::uint64_t(0));
        view.writesRejected = storage.value("writes_rejected", std::uint64_t(0));
    }

    absorbNewOps();
    // A copy of the running picture (bounded: it keeps the newest grants and intervals), finished below.
    std::map<std::string, LockResourceView> resources = m_acc.resources;
    auto holdsByResource = m_acc.holds;
    const auto& pending = m_acc.pending;
    view.storageLog = m_acc.storageLog;

    // Crashes end beliefs (a crashed client remembers nothing) and in-memory leases.
    for (auto& [name, r] : resources) {
        for (LockLane& lane : r.lanes)
            for (LockInterval& interval : lane.believes) cutAtCrash(interval, crashesOf(lane.client));
        for (LockGrant& grant : r.history) {
            LockInterval asInterval{grant.at, grant.end, grant.token};
            cutAtCrash(asInterval, crashesOf(grant.client));
            grant.end = asInterval.end;
        }
    }
    for (auto& [key, byServer] : holdsByResource) {
        const auto& [resource, holder] = key;
        auto found = resources.find(resource);
        if (found == resources.end()) continue;
        LockResourceView& r = found->second;
        LockLane& lane = laneOf(r, holder);
        std::vector<LockInterval> all;
        for (auto& [server, intervals] : byServer) {
            // Only a lease server without persistence, and the coordination server, forget on a crash.
            const bool volatileState = server == kZkServerId || !m_spec.persistence;
            for (LockInterval interval : intervals) {
                if (volatileState) cutAtCrash(interval, crashesOf(server));
                all.push_back(interval);
            }
        }
        if (r.mode == "redlock") {
            lane.really = majorityIntervals(all, lock::redlockQuorum(std::size_t(m_spec.servers)), now);
        } else {
            std::sort(all.begin(), all.end(), [](const LockInterval& a, const LockInterval& b) { return a.start < b.start; });
            lane.really = std::move(all);
        }
        for (const LockInterval& interval : lane.really) {
            if (interval.end != kOpenInterval) continue;
            r.holder = holder;
            r.fencingToken = interval.token;
        }
    }

    // What the servers hold now: the lease countdown and, for the ZooKeeper lock, the queue of nodes.
    for (auto& [name, r] : resources) {
        if (r.mode == "lease" || r.mode == "redlock") {
            const std::vector<std::string> ids =
                r.mode == "lease" ? std::vector<std::string>{kLeaseServerId} : redlockServerIds();
            for (const std::string& id : ids) {
                LockServerView server;
                server.id = id;
                if (!m_cluster.has(id)) continue;
                server.status = m_cluster.status(id);
                if (const Json node = m_cluster.observe(id); node.is_object()) {
                    server.clockOffsetMs = node.value("clock_offset", SimTime(0)) / kMicrosPerMilli;
                    server.driftPpm = node.value("drift_ppm", std::int64_t(0));
                    const Json lease = leaseOf(node, name);
                    if (lease.is_object() && !lease.value("expired", true)) {
                        server.holder = stringField(lease, "holder");
                        server.leaseEndsAt = now + lease.value("ends_in", SimTime(0));
                    }
                }
                r.servers.push_back(std::move(server));
            }
        }
        if (r.mode == "lease" && !r.holder.empty()) {
            if (const Json lease = leaseOf(observed(kLeaseServerId), name); lease.is_object())
                r.leaseEndsAt = now + lease.value("ends_in", SimTime(0));
        }
        if (r.mode == "redlock" && !r.holder.empty()) {
            if (const Json client = observed(r.holder); client.is_object() && client.value("holds", false))
                r.leaseEndsAt = client.value("lease_end", SimTime(0));
        }
        if (r.mode == "zk") {
            const Json server = observed(kZkServerId);
            if (server.is_object()) {
                const std::string dir = "/locks/" + name;
                const Json& znodes = server.contains("znodes") ? server["znodes"] : Json::object();
                std::vector<Json> clients;  // the ZooKeeper clients' reports, read once for every waiter
                for (const auto& [id, mode] : m_clients)
                    if (mode == "zk") clients.push_back(Json{{"id", id}, {"report", observed(id)}});
                std::vector<std::string> watching;
                const Json directory = znodes.is_object() && znodes.contains(dir) ? znodes[dir] : Json();
                const Json children = directory.is_object() ? directory.value("children", Json::array()) : Json::array();
                for (const Json& child : children) {
                    if (!child.is_string()) continue;
                    LockWaiter waiter;
                    waiter.lockNode = dir + "/" + child.get<std::string>();
                    if (znodes.is_object() && znodes.contains(waiter.lockNode))
                        waiter.token = znodes[waiter.lockNode].value("czxid", std::int64_t(0));
                    std::string watched;
                    for (const Json& entry : clients) {
                        const Json& client = entry["report"];
                        // The path alone can name an older node of the same name (the server restarted).
                        if (!client.is_object() || stringField(client, "lock_node") != waiter.lockNode ||
                            client.value("token", std::int64_t(0)) != waiter.token)
                            continue;
                        waiter.client = entry["id"].get<std::string>();
                        watched = stringField(client, "watching");
                    }
                    if (waiter.client.empty()) {
                        // A node whose client crashed: it stays until the session expires. Its owner is the
                        // last client that was granted or asked with this node; the server alone knows.
                        for (auto it = r.history.rbegin(); it != r.history.rend() && waiter.client.empty(); ++it)
                            if (it->token == waiter.token) waiter.client = it->client;
                    }
                    waiter.watchesParent = watched == dir;
                    watching.push_back(watched);
                    r.queue.push_back(std::move(waiter));
                }
                for (std::size_t i = 0; i < r.queue.size(); ++i) {
                    if (watching[i].empty() || r.queue[i].watchesParent) continue;
                    for (std::size_t j = 0; j < r.queue.size(); ++j)
                        if (r.queue[j].lockNode == watching[i]) r.queue[i].watches = int(j);
                }
            }
        } else {
            std::vector<std::pair<SimTime, std::string>> waiting;
            for (const auto& [client, request] : pending) {
                if (request.resource != name || client == r.holder || !isUp(client)) continue;
                // A client that crashed since it asked forgot the request, even if it is back up.
                const auto& crashes = crashesOf(client);
                if (std::lower_bound(crashes.begin(), crashes.end(), request.since) != crashes.end()) continue;
                waiting.emplace_back(request.since, client);
            }
            std::sort(waiting.begin(), waiting.end());
            for (const auto& [since, client] : waiting) r.queue.push_back(LockWaiter{client, {}, 0, -1, false});
        }
    }

    // The mutual-exclusion checker's findings, as conflicts on the resource the storage key names.
    // Violations change only when a write completes, and wakeups come with the holder changes they follow.
    if (m_cachedAtWrites != m_acc.writesDone) {
        m_cachedAtWrites = m_acc.writesDone;
        m_cachedViolations = findExclusionViolations(m_cluster.trace());
    }
    if (usesZk() && m_cachedAtHolderOps != m_acc.holderOps) {
        m_cachedAtHolderOps = m_acc.holderOps;
        m_cachedWakeups = zkWakeupStats(m_cluster.trace()).wakeups;
    }
    for (const ExclusionViolation& violation : m_cachedViolations) {
        auto found = resources.find(violation.key);
        if (found == resources.end()) continue;
        LockConflict conflict;
        conflict.first = violation.first;
        conflict.second = violation.second;
        conflict.firstToken = violation.firstToken.value_or(0);
        conflict.secondToken = violation.secondToken.value_or(0);
        conflict.from = std::max(violation.firstStart, violation.secondStart);
        conflict.to = std::min(violation.firstWriteAt, violation.secondWriteAt);
        if (conflict.to < conflict.from) std::swap(conflict.from, conflict.to);
        // Why the storage let both through: no tokens at all (Redlock), equal tokens (a lock service that
        // forgot its counter), or ordered tokens it did not compare (fencing off).
        if (conflict.firstToken == 0 && conflict.secondToken == 0) {
            conflict.explanation = makeText(
                QT_TRANSLATE_NOOP("Core", "%1 and %2 both changed %3 while each believed it held the lock. %1 read it at %4 "
                                          "and its write was accepted at %5, but in between %2 wrote it at %6: one of "
                                          "the two updates was lost. Neither write carried a fencing token, so the "
                                          "storage could not tell the holders apart."),
                violation.first, violation.second, violation.key, formatMillis(violation.firstReadAt),
                formatMillis(violation.firstWriteAt), formatMillis(violation.secondWriteAt));
        } else {
            const char* templ =
                conflict.firstToken == conflict.secondToken
                    ? QT_TRANSLATE_NOOP("Core", "%1 and %2 both changed %3 while each believed it held the lock. %1 "
                                                "(fencing token %4) read it at %5 and its write was accepted at %6, but "
                                                "in between %2 (fencing token %7) wrote it at %8: one of the two updates "
                                                "was lost. Equal tokens cannot tell the two holders apart.")
                    : QT_TRANSLATE_NOOP("Core", "%1 and %2 both changed %3 while each believed it held the lock. %1 "
                                                "(fencing token %4) read it at %5 and its write was accepted at %6, but "
                                                "in between %2 (fencing token %7) wrote it at %8: one of the two updates "
                                                "was lost. The storage did not compare the tokens: fencing was off.");
            conflict.explanation =
                makeText(templ, violation.first, violation.second, violation.key, conflict.firstToken,
                         formatMillis(violation.firstReadAt), formatMillis(violation.firstWriteAt), conflict.secondToken,
                         formatMillis(violation.secondWriteAt));
        }
        found->second.conflicts.push_back(std::move(conflict));
    }

    for (auto& [name, r] : resources) {
        keepNewest(r.history, kLockHistoryMax);
        for (LockLane& lane : r.lanes) {
            lane.node = nodeIndex(lane.client);
            if (m_cluster.has(lane.client)) lane.status = m_cluster.status(lane.client);
            keepNewest(lane.believes, kLockLaneIntervalsMax);
            keepNewest(lane.really, kLockLaneIntervalsMax);
        }
        view.resources.push_back(std::move(r));
    }
    keepNewest(view.storageLog, kStorageLogMax);
    view.wakeups = m_cachedWakeups;
    return view;
}

std::vector<CheckResult> LockLab::checks() const {
    std::vector<CheckResult> results;
    results.push_back(checkMutualExclusion(m_cluster.trace()));
    results.push_back(checkMonotonicFencing(m_cluster.trace()));
    if (usesZk()) {
        results.push_back(checkFifoGrants(m_cluster.trace()));
        results.push_back(checkWakeupsPerRelease(m_cluster.trace()));
    }
    return results;
}

Json LockLab::summaryJson() const {
    std::uint64_t grants = 0;
    std::uint64_t refused = 0;
    for (const ClientOp& op : m_cluster.trace().clientOps()) {
        if (!isClient(op.process) || op.f != "lock") continue;
        grants += op.phase == OpPhase::Ok;
        refused += op.phase == OpPhase::Fail;
    }
    Json clients = Json::object();
    for (const auto& [id, mode] : m_clients) clients[id] = mode;
    Json out{{"mode", m_spec.mode},
             {"fencing", m_fencing},
             {"persistence", m_spec.persistence},
             {"watch", m_watch},
             {"clients", clients},
             {"grants", grants},
             {"failed_acquisitions", refused}};
    if (const Json storage = observed(kStorageId); storage.is_object()) {
        out["storage"] = Json{{"highest_fencing_token", storage.value("highest_token", std::int64_t(0))},
                              {"writes_accepted", storage.value("writes_accepted", std::uint64_t(0))},
                              {"writes_rejected", storage.value("writes_rejected", std::uint64_t(0))}};
    }
    if (usesZk()) {
        const ZkWakeupStats stats = zkWakeupStats(m_cluster.trace());
        out["wakeups"] = stats.wakeups;
        out["releases"] = stats.releases;
        out["wakeups_per_release_max"] = stats.maxPerRelease;
    }
    return out;
}

}  // namespace distlab
