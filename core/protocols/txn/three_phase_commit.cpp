// Three-phase commit (Skeen 1981; termination after Skeen & Stonebraker 1983): what the coordinator and
// the participant share. The roles live in three_phase_commit_coordinator.cpp and _participant.cpp.
#include "core/protocols/txn/three_phase_commit.h"

#include <array>
#include <utility>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

std::string_view tpc3StateName(Tpc3State state) { return kTpc3StateWords.name(state); }

std::optional<Tpc3State> tpc3StateFromName(std::string_view name) { return kTpc3StateWords.parse(name); }

void recordVote(Context& ctx, const std::string& txn, bool yes) {
    const std::int64_t opId = ctx.store().increment(std::string(kTxnOpCounterKey));
    ctx.recordOp(OpPhase::Ok, opId, "vote", Json{{"txn", txn}, {"vote", yes ? "yes" : "no"}});
}

void recordDecision(Context& ctx, const std::string& txn, bool commit, std::string_view role) {
    const std::int64_t opId = ctx.store().increment(std::string(kTxnOpCounterKey));
    ctx.recordOp(OpPhase::Ok, opId, "decide",
                 Json{{"txn", txn}, {"decision", commit ? "commit" : "abort"}, {"role", role}});
}

}  // namespace distlab::txn
