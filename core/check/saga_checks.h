#pragma once
// Invariant checkers for orchestrated sagas (Garcia-Molina & Salem, "Sagas", 1987), over the actions the
// orchestrator recorded (see core/protocols/txn/txn_record.h and saga_orchestrator.h):
//   f "saga"     {saga, action: "T3"|"C2", result: "ok"|"failed", reason: "refused"|"timeout"}
//   f "saga-end" {saga, outcome: "done"|"compensated", steps: n (optional)}
// Like the other history checkers they need only the history, so they hold at any moment of a run.
#include <map>
#include <string>

#include "core/check/check_result.h"
#include "core/history/trace.h"

namespace distlab {

// "saga-log-shape": for every saga, its recorded actions (in history order) and its end form one of
//   done:         T1 ok, T2 ok, ..., Tn ok, end "done"              (n = the end's `steps` when given)
//   compensated:  T1 ok, ..., T(j-1) ok, Tj failed, Cs ok, C(s-1) ok, ..., C1 ok, end "compensated"
//                 with s = j - 1 when Tj failed with reason "refused" (the service did not apply it and
//                 never will, so there is nothing to undo at Tj) and s = j otherwise (a timeout: Tj may
//                 have run, so Cj undoes it or leaves a tombstone); s = 0 means no compensation at all,
// or a prefix of one of them while the saga still runs: no gap, no duplicate, no compensation out of
// order or failed, no second end and no action after the end. The explanation names the saga, its
// sequence and its first bad action; events are the trace indices of that saga's records up to and
// including the bad one.
CheckResult checkSagaLogShape(const Trace& trace);

// Each saga's recorded outcome ("done" or "compensated"; the first end when there are several), and ""
// for a saga with actions but no end yet. Ordered by saga id.
std::map<std::string, std::string> sagaOutcomes(const Trace& trace);

}  // namespace distlab
