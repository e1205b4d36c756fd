#pragma once
// A participant of canonical two-phase commit (Gray 1978; Bernstein, Hadzilacos & Goodman, ch. 7;
// Tanenbaum & van Steen, fig. 8-19 and 8-20), with the cooperative termination protocol: a participant
// that voted yes and hears nothing asks the coordinator and its peers.
//
// One transaction, on a participant ("log" = a forced write to its durable store):
//
//   (none) --tpc_begin: log INIT--> INIT                     the transaction's work runs here
//   INIT --tpc_prepare, vote yes: log READY, take the lock, send yes--> READY
//   INIT --tpc_prepare, vote no: log ABORT, send no--> ABORT
//   INIT --initTimeoutMs without tpc_prepare: log ABORT--> ABORT      (it has not voted: it may abort)
//   INIT --a peer asks (tpc_decision_request): log ABORT, answer "INIT"--> ABORT
//   READY --tpc_decision: log it, release the lock, ack--> COMMIT | ABORT
//   READY --decisionTimeoutMs: ask the coordinator and every peer, again every decisionTimeoutMs
//   READY --a peer answers COMMIT / ABORT: follow it; answers INIT: abort (that peer never voted, so the
//          coordinator cannot have decided commit); answers READY / unknown: stay blocked, holding the lock
//
// A tpc_prepare for a transaction it never heard of counts as an INIT that starts now (its tpc_begin was
// lost); a tpc_decision_request for one means it has not voted, so it aborts and answers "INIT".
// Recovery (onStart reads the log): INIT -> abort; READY -> stay READY with the lock taken again and
// start the termination protocol at once; COMMIT / ABORT -> done.
//
// The vote is yes unless the tpc_begin named this participant in vote_no, or config.voteNo holds the
// transaction (the lab's fault injection: the local work failed), or canCommit says the local work cannot
// be promised. A participant that does real work (the counter's replica) derives from this class: canCommit
// judges the begin's work at the vote request, and onConcluded carries out the outcome once it is logged.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/node/state_machine.h"
#include "core/protocols/txn/two_phase_commit.h"

namespace distlab::txn {

enum class TpcParticipantState { Init, Ready, Commit, Abort };

// The words of txn_record.h, and the moves drawn above (a new transaction starts in INIT; recovery
// restores the logged state).
inline constexpr auto kTpcParticipantMachine = makeStateMachine<TpcParticipantState>(
    "2PC participant",
    {{TpcParticipantState::Init, "INIT"},
     {TpcParticipantState::Ready, "READY"},
     {TpcParticipantState::Commit, "COMMIT"},
     {TpcParticipantState::Abort, "ABORT"}},
    {{TpcParticipantState::Init, TpcParticipantState::Ready},
     {TpcParticipantState::Init, TpcParticipantState::Abort},
     {TpcParticipantState::Ready, TpcParticipantState::Commit},
     {TpcParticipantState::Ready, TpcParticipantState::Abort}});
static_assert(kTpcParticipantMachine.wellFormed());

// "INIT", "READY", "COMMIT", "ABORT".
std::string_view tpcParticipantStateName(TpcParticipantState state);

struct TpcParticipantTxn {
    TpcParticipantState state = TpcParticipantState::Init;
    NodeId coordinator;                   // who sent tpc_begin / tpc_prepare (empty until one did)
    std::vector<NodeId> participants;     // from tpc_prepare: the peers cooperative termination asks
    bool voteNo = false;                  // told to vote no (tpc_begin's vote_no)
    bool voted = false;                   // its vote has been recorded (f "vote") and sent
    bool lockHeld = false;                // holds the transaction's resource lock (READY only)
    std::uint64_t terminationRounds = 0;  // times this process has asked around while READY
    Json work;                            // tpc_begin's work (null: none), logged with the record
};

class TwoPhaseCommitParticipant : public CopyableNode<TwoPhaseCommitParticipant> {
public:
    explicit TwoPhaseCommitParticipant(TwoPhaseCommitConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "role", "locks held", "blocked", and one "txn" row per transaction.
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    const TwoPhaseCommitConfig& config() const { return m_config; }
    const std::map<std::string, TpcParticipantTxn>& txns() const { return m_txns; }
    std::optional<TpcParticipantState> stateOf(const std::string& txn) const;
    // The transactions whose resource lock this participant holds (it is READY in each).
    std::vector<std::string> locksHeld() const;

protected:
    // The local work of a subclass that does some. canCommit is asked once, at the vote request in INIT:
    // false makes the vote no. onConcluded is called once per transaction, when COMMIT or ABORT has been
    // logged (at recovery too, for a transaction found in INIT). The base does no work.
    virtual bool canCommit(Context& ctx, const std::string& txn, const TpcParticipantTxn& entry) {
        (void)ctx, (void)txn, (void)entry;
        return true;
    }
    virtual void onConcluded(Context& ctx, const std::string& txn, const TpcParticipantTxn& entry) {
        (void)ctx, (void)txn, (void)entry;
    }

private:
    void onBegin(Context& ctx, const Envelope& message);
    void onPrepare(Context& ctx, const Envelope& message);
    void onDecision(Context& ctx, const Envelope& message);
    void onDecisionRequest(Context& ctx, const Envelope& message);
    void onStateReply(Context& ctx, const Envelope& message);

    // Creates the INIT record for a transaction first heard of now; false when the table is full.
    bool enterInit(Context& ctx, const std::string& txn, const NodeId& coordinator);
    void voteYes(Context& ctx, const std::string& txn);
    void voteNo(Context& ctx, const std::string& txn);
    // The decision became final here: log it, release the lock, record it once.
    void conclude(Context& ctx, const std::string& txn, bool commit);
    void askAround(Context& ctx, const std::string& txn);
    void sendVote(Context& ctx, const std::string& txn, const NodeId& to);
    // The one place a transaction's state changes: the move must be one of kTpcParticipantMachine's.
    void transition(Context& ctx, const std::string& txn, TpcParticipantState to);
    // Recovery only: the state the log holds, taken as it is.
    static void restore(TpcParticipantTxn& entry, TpcParticipantState logged) { entry.state = logged; }
    void writeLog(Context& ctx, const std::string& txn);
    bool mustVoteNo(const std::string& txn) const;

    TwoPhaseCommitConfig m_config;
    std::map<std::string, TpcParticipantTxn> m_txns;
    TxnTimers m_timers;  // the work, vote, decision or resend timer of each transaction
};

}  // namespace distlab::txn
