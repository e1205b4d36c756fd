#pragma once
// How the transaction protocols (two-phase commit, three-phase commit, sagas) leave their story in the
// trace, so that the checkers (core/check/txn_checks.h, saga_checks.h) and the space-time view read every
// protocol the same way.
//
// 1. Every state change of a coordinator, participant or orchestrator is a trace state
//        "txn <id> <STATE>"      STATE: INIT WAIT READY PRECOMMIT COMMIT ABORT END
//        "saga <id> <STATE>"     STATE: RUNNING COMPENSATING DONE ABORTED
//    (txnStateText / sagaStateText build them; parseTxnState reads them back). The space-time view colours
//    each node's lane by the latest of these, per transaction.
// 2. Votes and decisions are recorded as ops of the node that made them (ctx.recordOp, phase Ok):
//        f "vote"    {txn, vote: "yes"|"no"}                       a participant's vote, when it sends it
//        f "decide"  {txn, decision: "commit"|"abort", role}       role: "coordinator"|"participant"; once
//                                                                  per node and transaction, when the
//                                                                  decision becomes final at that node (its
//                                                                  log holds it); a recovery that finds the
//                                                                  decision in the log records nothing new
//    op ids come from ctx.store().increment(kTxnOpCounterKey), so they stay unique across restarts.
// 3. A saga orchestrator records each executed action, in order, when it completes:
//        f "saga"    {saga, action: "T3"|"C2", result: "ok"|"failed"}
//    and f "saga-end" {saga, outcome: "done"|"compensated"} once.
#include <optional>
#include <string>
#include <string_view>

#include "core/node/state_machine.h"

namespace distlab::txn {

inline constexpr std::string_view kTxnOpCounterKey = "txn/op-counter";

inline std::string txnStateText(std::string_view txn, std::string_view state) {
    return "txn " + std::string(txn) + " " + std::string(state);
}

inline std::string sagaStateText(std::string_view saga, std::string_view state) {
    return "saga " + std::string(saga) + " " + std::string(state);
}

struct ParsedTxnState {
    bool saga = false;  // "saga ..." rather than "txn ..."
    std::string id;
    std::string state;
};

// Reads back a state written by txnStateText / sagaStateText; nullopt for any other trace state. A state
// may carry words after STATE ("txn t1 READY waiting for n1"): only the first word after the id counts.
std::optional<ParsedTxnState> parseTxnState(std::string_view text);

}  // namespace distlab::txn
