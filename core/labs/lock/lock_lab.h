#pragma once
// The lock lab inside a Session: the lock servers, the storage they protect and the lock clients, the
// console commands that drive them, what the lock view draws, and the lock checkers.
//
// Nodes, added to the cluster as the lab needs them:
//   lock              the Redis-style lease lock server (mode lease)
//   s1 .. sN          Redlock's independent lease lock servers (mode redlock)
//   zk                the ZooKeeper-style coordination server (mode zk)
//   disk              the storage every lock protects, checking fencing tokens unless fencing is off
//   c1, c2, ...       lock clients, one mode each, created at the start or by the first `lock acquire`
// The lab's control messages come from the Session's control node (ctl).
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/check/check_result.h"
#include "core/labs/lab.h"
#include "core/check/lock_checks.h"
#include "core/node/message.h"
#include "core/base/result.h"
#include "core/console/command.h"
#include "core/labs/lock/lock_snapshot.h"
#include "core/labs/lock/lock_section.h"
#include "core/scenario/scenario.h"

namespace distlab {

extern const char* const kLeaseServerId;  // "lock"
extern const char* const kZkServerId;     // "zk"
extern const char* const kStorageId;      // "disk"

class LockLab : public Lab {
public:
    LockLab(LabHost& host, LockSpec spec);
    static LabEntry registryEntry();
    std::string_view name() const override { return "lock"; }
    std::unique_ptr<Lab> clone() const override { return std::make_unique<LockLab>(*this); }

    // Adds the servers of the default mode, the storage and clients c1..cN. Errors are returned per node.
    std::vector<StartError> start() override;

    const LockSpec& spec() const { return m_spec; }
    bool ownsNode(const std::string& id) const override;  // a server, the storage or a lock client of the lab
    bool isClient(const std::string& id) const override { return m_clients.count(id) != 0; }
    NodeRole roleOf(const std::string& id) const override { return isClient(id) ? NodeRole::Client : NodeRole::Service; }
    bool isServer(const std::string& id) const;  // lock, s1..sN, zk
    // Lock clients by id, with their mode ("lease" | "redlock" | "zk").
    const std::map<std::string, std::string>& clients() const { return m_clients; }

    // The console's lock commands. Errors are values; nothing is half-applied.
    Result<Text> execute(const Command& command) override;
    // The Session reports crashes of the lab's nodes: a crashed client stops believing, and a lock server
    // that keeps its locks in memory only forgets them.
    void noteCrash(const std::string& id, SimTime at);
    std::optional<Text> onCrash(const std::string& id) override;

    LockSnapshot view(const std::vector<std::string>& snapshotNodeIds) const;
    std::vector<CheckResult> checks() const override;
    Json summaryJson() const;
    void summarize(Json& summary) const override { summary["lock"] = summaryJson(); }
    void fillSnapshot(ClusterSnapshot& snap) const override;

private:
    Result<Text> acquire(const Command& command);
    Result<Text> release(const Command& command);
    Result<Text> clockChange(const Command& command);
    Result<Text> slowClient(const Command& command);
    Status ensureServers(const std::string& mode);
    Status ensureStorage();
    Status addClient(const std::string& id, const std::string& mode);
    // The factory of a ZooKeeper lock client: with the watch mode the lab is set to now.
    NodeFactory zkClientFactory() const;
    std::vector<std::string> redlockServerIds() const;
    bool isUp(const std::string& id) const;
    // The node's report (Node::observe), null when it has none: what the views are drawn from.
    Json observed(const std::string& id) const;
    bool usesZk() const;

    ControlPlane& m_cluster;
    LockSpec m_spec;
    std::string m_control;
    bool m_fencing = true;
    std::string m_watch = "predecessor";
    std::map<std::string, std::string> m_clients;  // id -> mode
    std::set<std::string> m_modesStarted;          // modes whose servers exist
    std::map<std::string, std::string> m_resourceModes;  // resource -> the mode that first locked it
    std::map<std::string, std::int64_t> m_driftPpm;      // lock server -> the drift this lab last set
    std::map<std::string, std::vector<SimTime>> m_crashes;  // lab node -> crash times, oldest first

    // view() runs for every frame the GUI draws, possibly next to a key-value workload that has recorded
    // millions of ops: the lab keeps a running picture of its own ops (absorbNewOps), and recomputes what
    // the checkers find only when a write completes or the holder of a lock changes.
    struct Pending {
        std::string resource;
        SimTime since = 0;
    };
    struct Accumulated {
        std::map<std::string, LockResourceView> resources;  // lanes without node index and status
        std::map<std::string, Pending> pending;             // client -> its open lock request
        std::map<std::string, std::string> holding;         // client -> resource it believes it holds
        // (resource, client) -> server -> the intervals in which that server had the client as holder
        std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<LockInterval>>> holds;
        std::vector<StorageAccess> storageLog;
        std::uint64_t labOps = 0;
        std::uint64_t writesDone = 0;
        std::uint64_t holderOps = 0;
    };
    void absorbNewOps() const;
    mutable Accumulated m_acc;
    mutable std::size_t m_opsAbsorbed = 0;
    mutable std::uint64_t m_cachedAtWrites = std::uint64_t(-1);
    mutable std::uint64_t m_cachedAtHolderOps = std::uint64_t(-1);
    mutable std::vector<ExclusionViolation> m_cachedViolations;
    mutable std::uint64_t m_cachedWakeups = 0;
};

}  // namespace distlab
