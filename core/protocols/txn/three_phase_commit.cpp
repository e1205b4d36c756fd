// Three-phase commit (Skeen 1981; termination after Skeen & Stonebraker 1983): what the coordinator and
// the participant share. The roles live in three_phase_commit_coordinator.cpp and _participant.cpp.
#include "core/protocols/txn/three_phase_commit.h"

#include <array>
#include <utility>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

namespace {

constexpr std::array<std::pair<Tpc3State, std::string_view>, 7> kStateNames = {{
    {Tpc3State::Init, "INIT"},
    {Tpc3State::Wait, "WAIT"},
    {Tpc3State::Ready, "READY"},
    {Tpc3State::PreCommit, "PRECOMMIT"},
    {Tpc3State::Commit, "COMMIT"},
    {Tpc3State::Abort, "ABORT"},
    {Tpc3State::End, "END"},
}};

}  // namespace

std::string_view tpc3StateName(Tpc3State state) {
    for (const auto& [value, name] : kStateNames) {
        if (value == state) return name;
    }
    return "?";
}

std::optional<Tpc3State> tpc3StateFromName(std::string_view name) {
    for (const auto& [value, text] : kStateNames) {
        if (text == name) return value;
    }
    return std::nullopt;
}

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
