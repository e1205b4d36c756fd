#pragma once
// Invariant checkers for the distributed-lock lab (issue 3), Jepsen-style over the recorded history: a
// lock is only worth its name if no two holders run their read-modify-writes on the protected storage
// interleaved (a lost update), and a storage that checks fencing tokens (Kleppmann, "How to do
// distributed locking", 2016) only ever accepts writes in the order of the grants.
//
// Both read the history of trace.clientOps() as the lock clients record it:
//   lock   ok     {resource, fencing_token, ...}        the client believes it holds the lock from here
//   read   invoke {key, fencing_token}, ok {fencing_token, seq, exists}
//   write  invoke {key, value, fencing_token}, ok {fencing_token, seq}, fail / unknown {fencing_token, ...}
// seq is the storage's own sequence number of the access (FencedStorage numbers every access it accepts),
// so it orders the accesses as the storage served them, whatever the clients' timelines looked like.
// An invoke and its completion are paired by (process, op id). Only writes that completed ok count as
// accepted: a failed write changed nothing, and an unknown one cannot be held against anyone. Other ops
// (unlock, the lock server's "holder" intervals) are ignored. They need only the history, so they hold
// at any moment of a run, not only after quiescence.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/check/check_result.h"
#include "core/history/trace.h"

namespace distlab {

// One violation of mutual exclusion, for views that draw it (the lock view's conflicts) as well as the
// checker's verdict. `first` is the client whose write the storage accepted last: its critical section
// contains second's write (in the storage's order, or in time for histories without seq), so it
// overwrote second's update with a value computed from stale data.
struct ExclusionViolation {
    std::string key;  // the storage key both wrote; empty when the history does not say
    std::string first;
    std::string second;
    std::optional<std::int64_t> firstToken;  // the fencing tokens the writes carried
    std::optional<std::int64_t> secondToken;
    SimTime firstStart = 0;  // the lock ok the write was made under (its invoke, without a grant)
    SimTime secondStart = 0;
    SimTime firstReadAt = 0;  // the read ok that opened the read-modify-write (the write's invoke, without)
    SimTime secondReadAt = 0;
    SimTime firstWriteAt = 0;  // the write's ok
    SimTime secondWriteAt = 0;
    // The storage's sequence numbers of the reads and writes; absent in histories without them.
    std::optional<std::int64_t> firstReadSeq;
    std::optional<std::int64_t> secondReadSeq;
    std::optional<std::int64_t> firstWriteSeq;
    std::optional<std::int64_t> secondWriteSeq;
    std::string explanation;            // one paragraph, as in checkMutualExclusion's verdict
    std::vector<std::uint64_t> events;  // trace indices: lock ok, read ok, write invoke, write ok of both
};

// Every violation of mutual exclusion in the history (see checkMutualExclusion for the rules), those
// judged in the storage's order first, each group in the order of the sections' starts.
std::vector<ExclusionViolation> findExclusionViolations(const Trace& trace);

// "mutual-exclusion": the critical section of an accepted write runs, in the storage's order, from the
// seq of its client's read under the same grant (the latest read ok after the client's latest lock ok and
// before the write's invoke, of the same key) to the seq of the write; without such a read it is
// [write seq, write seq]. A violation is two accepted writes of the same key by different clients whose
// critical sections intersect: the storage served one client's access in between the other's read and
// write under the lock, so one of the two updates was lost. A client that resumes from a pause and writes
// before the next holder's first access reaches the storage has done no harm, and is not blamed.
// Histories whose write oks carry no seq (older recordings) fall back to time: from the latest lock ok
// before the write's invoke (or the invoke, without a grant) to the write's ok, overlapping in time.
// events holds the trace indices of the lock ok, read ok, write invoke and write ok of both clients of
// each violation.
CheckResult checkMutualExclusion(const Trace& trace);

// "monotonic-fencing": the accepted writes, in the order the storage accepted them (by seq when every
// accepted write has one, else by write ok time, then history order), carry non-decreasing fencing
// tokens. events holds the trace indices of the invoke and ok events of the earlier, higher-token write
// and the later, lower-token one of each violation. The explanation blames by the order of the grants:
// when the lower token was granted first, a stale holder overwrote the newer holder's data; when it was
// granted after the higher one (both writes under a lock ok), the lock service's counter went back (a
// restart without persistence, say) and fencing tokens no longer order the holders.
CheckResult checkMonotonicFencing(const Trace& trace);

}  // namespace distlab
