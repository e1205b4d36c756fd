#pragma once
// The transaction lab inside a Session: two-phase commit, three-phase commit and orchestrated sagas, the
// console commands that start them, and their checkers and summary.
//
// Nodes, added to the cluster with the first command of each protocol (N = the txn section's participants):
//   co, p1 .. pN      the two-phase commit coordinator and its participants
//   co3, q1 .. qN     the three-phase commit coordinator and its participants. 2PC and 3PC participants are
//                     different node classes, so they are different nodes: q follows p, and a class can run
//                     the same transaction shape over both side by side.
//   orch, s1 .. sN    the saga orchestrator and the services the steps are spread over
// Transactions get the ids t1, t2, ... in the order they are started, whatever their protocol, so the
// checkers never mix two of them up. The lab's control messages come from the Session's control node (ctl).
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/check/check_result.h"
#include "core/labs/lab.h"
#include "core/node/message.h"
#include "core/base/result.h"
#include "core/console/command.h"
#include "core/labs/txn/txn_section.h"
#include "core/scenario/scenario.h"

namespace distlab {

extern const char* const kTpcCoordinatorId;    // "co"
extern const char* const kTpc3CoordinatorId;   // "co3"
extern const char* const kSagaOrchestratorId;  // "orch"

class TxnLab : public Lab {
public:
    // A transaction the lab started.
    struct Transaction {
        std::string id;           // t1, t2, ...
        std::string protocol;     // "2pc" | "3pc"
        std::string coordinator;  // co | co3
        std::vector<std::string> participants;
        std::vector<std::string> voteNo;
        SimTime startedAt = 0;
    };
    // A saga the lab started.
    struct Saga {
        std::string name;
        std::int64_t steps = 0;
        std::int64_t failAt = 0;
        std::int64_t timeoutAt = 0;
        SimTime startedAt = 0;
    };

    TxnLab(LabHost& host, TxnSpec spec);
    static LabEntry registryEntry();
    std::string_view name() const override { return "txn"; }
    std::unique_ptr<Lab> clone() const override { return std::make_unique<TxnLab>(*this); }
    // Coordinators, participants, the orchestrator and its services all serve the transaction.
    NodeRole roleOf(const std::string&) const override { return NodeRole::Service; }

    const TxnSpec& spec() const { return m_spec; }
    bool ownsNode(const std::string& id) const override;
    // co, co3 and orch: the nodes that drive a protocol (the others take part in it).
    bool isDriver(const std::string& id) const;
    const std::vector<Transaction>& transactions() const { return m_txns; }
    const std::vector<Saga>& sagas() const { return m_sagas; }

    // The console's txn and saga commands. Errors are values; nothing is half-applied.
    Result<Text> execute(const Command& command) override;

    // atomicity, validity and irrevocability once a 2PC or 3PC transaction ran; saga-log-shape once a saga
    // did.
    std::vector<CheckResult> checks() const override;
    // {participants, transactions: [{txn, protocol, coordinator, participants, vote_no, started_ms,
    // decisions: {node: decision}, outcome: commit|abort|split|undecided, blocked_ms: {participant: ms in
    // READY}}],
    //  sagas: [{saga, steps, fail_at, timeout_at, started_ms, outcome: done|compensated|running}]}
    Json summaryJson() const;
    void summarize(Json& summary) const override { summary["txn"] = summaryJson(); }
    // The transaction lab's story is on the timeline.
    void fillSnapshot(ClusterSnapshot& snap) const override { snap.txnActive = true; }

private:
    Result<Text> startCommit(const Command& command, bool threePhase);
    Result<Text> runSaga(const Command& command);
    Status ensureNodes(const std::string& protocol);
    static std::string driverOf(const std::string& protocol);               // co, co3 or orch
    std::vector<std::string> memberIds(const std::string& protocol) const;  // p1..pN, q1..qN or s1..sN
    bool isUp(const std::string& id) const;
    Status requireUp(const std::string& id) const;

    ControlPlane& m_cluster;
    TxnSpec m_spec;
    std::string m_control;
    std::set<std::string> m_started;  // protocols whose nodes exist: "2pc", "3pc", "saga"
    std::vector<Transaction> m_txns;
    std::vector<Saga> m_sagas;
};

}  // namespace distlab
