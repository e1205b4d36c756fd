// Three-phase commit (Skeen 1981; termination after Skeen & Stonebraker 1983): what the coordinator and
// the participant share. The roles live in three_phase_commit_coordinator.cpp and _participant.cpp.
#include "core/protocols/txn/three_phase_commit.h"

#include <array>
#include <utility>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

namespace {

constexpr StateWords<Tpc3State, 7> kStateWords{{{
    {Tpc3State::Init, "INIT"},
    {Tpc3State::Wait, "WAIT"},
    {Tpc3State::Ready, "READY"},
    {Tpc3State::PreCommit, "PRECOMMIT"},
    {Tpc3State::Commit, "COMMIT"},
    {Tpc3State::Abort, "ABORT"},
    {Tpc3State::End, "END"},
}}};

}  // namespace

std::string_view tpc3StateName(Tpc3State state) { return kStateWords.name(state); }

std::optional<Tpc3State> tpc3StateFromName(std::string_view name) { return kStateWords.parse(name); }

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
