#pragma once
// The coordinator of canonical two-phase commit (Gray 1978; Bernstein, Hadzilacos & Goodman, ch. 7;
// Tanenbaum & van Steen, fig. 8-18), with presumed abort: a coordinator with no record of a transaction
// answers "abort", so nothing is logged before WAIT.
//
// One transaction, on the coordinator ("log" = a forced write to its durable store):
//
//   INIT --tpc_begin: send tpc_begin to the participants, work for workMs-->
//   INIT --work done: log WAIT(participants), send tpc_prepare--> WAIT
//   WAIT --every vote yes: log COMMIT, send tpc_decision commit--> COMMIT
//   WAIT --a vote no, or voteTimeoutMs without all votes: log ABORT, send abort--> ABORT
//   COMMIT|ABORT --resendMs: send the decision again to the participants that have not acked
//   COMMIT|ABORT --every participant acked: log END--> END
//
// Recovery (onStart reads the log): no record -> the transaction is forgotten (presumed abort);
// WAIT -> log ABORT and send it (the coordinator cannot know the missing votes); COMMIT|ABORT -> send the
// decision again; END -> nothing to do. A tpc_decision_request is answered with the decision once there
// is one (from the log), with "abort" when there is no record at all, and not at all in INIT or WAIT (the
// asker retries; the coordinator decides within voteTimeoutMs). A yes vote for a transaction it has no
// record of gets "abort" too; a late or repeated vote after the decision changes nothing (the resend
// timer repeats the decision until the participant acks).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/node/state_machine.h"
#include "core/protocols/txn/two_phase_commit.h"

namespace distlab::txn {

enum class TpcCoordinatorState { Init, Wait, Commit, Abort, End };

// The words of txn_record.h, and the moves drawn above (a tpc_begin starts a transaction in INIT;
// recovery restores the logged state).
inline constexpr auto kTpcCoordinatorMachine = makeStateMachine<TpcCoordinatorState>(
    "2PC coordinator",
    {{TpcCoordinatorState::Init, "INIT"},
     {TpcCoordinatorState::Wait, "WAIT"},
     {TpcCoordinatorState::Commit, "COMMIT"},
     {TpcCoordinatorState::Abort, "ABORT"},
     {TpcCoordinatorState::End, "END"}},
    {{TpcCoordinatorState::Init, TpcCoordinatorState::Wait},
     {TpcCoordinatorState::Wait, TpcCoordinatorState::Commit},
     {TpcCoordinatorState::Wait, TpcCoordinatorState::Abort},
     {TpcCoordinatorState::Commit, TpcCoordinatorState::End},
     {TpcCoordinatorState::Abort, TpcCoordinatorState::End}});
static_assert(kTpcCoordinatorMachine.wellFormed());

// "INIT", "WAIT", "COMMIT", "ABORT", "END".
std::string_view tpcCoordinatorStateName(TpcCoordinatorState state);

struct TpcCoordinatorTxn {
    TpcCoordinatorState state = TpcCoordinatorState::Init;
    std::vector<NodeId> participants;
    std::vector<NodeId> voteNo;  // passed on to the participants with tpc_begin
    std::set<NodeId> yesVotes;   // in WAIT
    std::set<NodeId> acked;      // in COMMIT / ABORT
};

class TwoPhaseCommitCoordinator : public CopyableNode<TwoPhaseCommitCoordinator> {
public:
    explicit TwoPhaseCommitCoordinator(TwoPhaseCommitConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "role", "transactions", and one "txn" row per transaction (state, votes or acks).
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    const TwoPhaseCommitConfig& config() const { return m_config; }
    const std::map<std::string, TpcCoordinatorTxn>& txns() const { return m_txns; }
    // The state of txn here, or nullopt when this process knows nothing of it.
    std::optional<TpcCoordinatorState> stateOf(const std::string& txn) const;

private:
    void onBegin(Context& ctx, const Envelope& message);
    void onVote(Context& ctx, const Envelope& message);
    void onAck(Context& ctx, const Envelope& message);
    void onDecisionRequest(Context& ctx, const Envelope& message);

    void sendPrepare(Context& ctx, const std::string& txn);
    // Logs the decision (a forced write), records it and sends it to every participant.
    void decide(Context& ctx, const std::string& txn, bool commit);
    void sendDecision(Context& ctx, const std::string& txn, const NodeId& to);
    void finish(Context& ctx, const std::string& txn);
    // The one place a transaction's state changes: the move must be one of kTpcCoordinatorMachine's.
    void transition(Context& ctx, const std::string& txn, TpcCoordinatorState to);
    // Recovery only: the state the log holds, taken as it is.
    static void restore(TpcCoordinatorTxn& entry, TpcCoordinatorState logged) { entry.state = logged; }
    void writeLog(Context& ctx, const std::string& txn);
    bool isParticipant(const std::string& txn, const NodeId& id) const;

    TwoPhaseCommitConfig m_config;
    std::map<std::string, TpcCoordinatorTxn> m_txns;
    TxnTimers m_timers;  // the work, vote, decision or resend timer of each transaction
};

}  // namespace distlab::txn
