#pragma once
// Canonical two-phase commit (Gray 1978), in the textbook form of Bernstein, Hadzilacos & Goodman
// ("Concurrency Control and Recovery in Database Systems", ch. 7) and Tanenbaum & van Steen (section
// 8.5): durable logs, timeouts, presumed abort, cooperative termination and recovery. The coordinator
// and the participant are separate nodes (two_phase_commit_coordinator.h, two_phase_commit_participant.h);
// this header holds what they share: the timeouts and the log layout.
//
// Both leave their story in the trace as core/protocols/txn/txn_record.h prescribes: a trace state
// "txn <id> <STATE>" on every state change, f "vote" and f "decide" ops.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/txn/tpc_messages.h"
#include "core/protocols/txn/txn_timers.h"

namespace distlab::txn {

struct TwoPhaseCommitConfig {
    // Coordinator INIT: the transaction's work before the coordinator asks to commit. Long enough that a
    // crash "before the vote request" is easy to show.
    std::int64_t workMs = 50;
    // Coordinator WAIT: votes missing after this long count as no (the coordinator aborts).
    std::int64_t voteTimeoutMs = 300;
    // Coordinator COMMIT/ABORT: the decision is sent again to the participants that have not acked.
    std::int64_t resendMs = 200;
    // Participant INIT: no vote request within this long -> the participant aborts on its own.
    std::int64_t initTimeoutMs = 600;
    // Participant READY: no decision within this long -> cooperative termination, repeated at this period
    // for as long as the participant stays blocked.
    std::int64_t decisionTimeoutMs = 500;
    // Transactions a node keeps (in memory and in its log); beyond it a begin gets error 11.
    std::size_t txnsMax = 10'000;
    // Participant: transactions it votes no on, whatever the begin says (the lab's other way to make a
    // participant's local work fail).
    std::set<std::string> voteNo;
};

// The durable logs, one record per transaction (JSON):
//   "tpc/coordinator/<txn>"  {state: WAIT|COMMIT|ABORT|END, participants}
//   "tpc/participant/<txn>"  {state: INIT|READY|COMMIT|ABORT, coordinator, participants, vote_no, voted,
//                             lock}
// A write is forced: it is on the disk before the node sends anything that depends on it.
inline constexpr std::string_view kTpcCoordinatorLogPrefix = "tpc/coordinator/";
inline constexpr std::string_view kTpcParticipantLogPrefix = "tpc/participant/";

// The transaction ids that have a record under prefix, in key order.
std::vector<std::string> tpcLoggedTxns(const DiskReader& store, std::string_view prefix);
// The record of txn under prefix, or a null Json when it is missing or unreadable.
Json tpcReadRecord(const DiskReader& store, std::string_view prefix, const std::string& txn);
void tpcWriteRecord(Disk store, std::string_view prefix, const std::string& txn, const Json& record);

// Records a vote or decide op as txn_record.h prescribes (phase Ok, op id from kTxnOpCounterKey).
void recordTpcVote(Context& ctx, const std::string& txn, std::string_view vote);
void recordTpcDecide(Context& ctx, const std::string& txn, std::string_view decision, std::string_view role);

}  // namespace distlab::txn
