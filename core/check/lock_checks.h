#pragma once
// Invariant checkers for the distributed-lock lab (issue 3), Jepsen-style over the recorded history: a
// lock is only worth its name if no two holders change the protected storage at the same time, and a
// storage that checks fencing tokens (Kleppmann, "How to do distributed locking", 2016) only ever
// accepts writes in the order of the grants.
//
// Both read the history of world.trace().clientOps() as the lock clients record it:
//   lock   ok   {resource, token, fencing_token}   the client believes it holds the lock from here
//   write  invoke {key, value, fencing_token}, ok / fail / unknown {fencing_token, ...}
// An invoke and its completion are paired by (process, op id). Only writes that completed ok count as
// accepted: a failed write changed nothing, and an unknown one cannot be held against anyone.
// They need only the history, so they hold at any moment of a run, not only after quiescence.
#include "core/check/check_result.h"
#include "core/sim/world.h"

namespace distlab {

// "mutual-exclusion": a client's critical section for a write runs from its latest lock ok before the
// write's invoke (or the invoke itself, if it wrote without a grant) to the write's ok. A violation is
// two accepted writes by different clients whose critical sections overlap in time. events holds the
// trace indices of the lock ok, write invoke and write ok events of both clients of each violation.
CheckResult checkMutualExclusion(const World& world);

// "monotonic-fencing": the accepted writes, in the order the storage accepted them (write ok time, then
// history order), carry non-decreasing fencing tokens. events holds the trace indices of the invoke and
// ok events of the earlier, higher-token write and the later, lower-token one of each violation.
CheckResult checkMonotonicFencing(const World& world);

}  // namespace distlab
