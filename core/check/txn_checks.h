#pragma once
// Invariant checkers for the transaction lab (two-phase and three-phase commit), over the votes and
// decisions the nodes recorded (see core/protocols/txn/txn_record.h for the conventions):
//   f "vote"   {txn, vote: "yes"|"no"}                                   by each participant
//   f "decide" {txn, decision: "commit"|"abort", role: "coordinator"|"participant"}
// and over the trace states "txn <id> <STATE>" for the time each participant spent blocked in READY.
// Like the lock checkers they need only the history, so they hold at any moment of a run.
#include <map>
#include <string>
#include <utility>

#include "core/check/check_result.h"
#include "core/history/trace.h"

namespace distlab {

// "atomicity": no two nodes decided differently on the same transaction (Gray 1978; for 3PC under a
// partition this is what fails). events: the two conflicting decide records of each violation.
CheckResult checkAtomicity(const Trace& trace);

// "validity": a transaction committed anywhere only if every participant that voted voted yes, and no
// participant's vote is missing from a committed transaction's record. events: the commit and the no vote.
CheckResult checkValidity(const Trace& trace);

// "irrevocability": no node records two different decisions for one transaction (a decision, once in the
// log, survives crashes and recoveries). events: the node's two decide records.
CheckResult checkIrrevocability(const Trace& trace);

// Blocked time: for each (node, transaction), how long the node spent in READY (voted yes, decision not yet
// known; holding its locks), summed over its READY spans; a span still open ends at now. A crash
// ends a span; a recovery that re-enters READY starts a new one.
std::map<std::pair<std::string, std::string>, SimTime> readyTimes(const Trace& trace, SimTime now);

}  // namespace distlab
