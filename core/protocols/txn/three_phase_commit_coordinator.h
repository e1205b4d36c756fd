#pragma once
// The coordinator of three-phase commit (Skeen 1981), as in Bernstein/Hadzilacos/Goodman ch. 7: CanCommit,
// PreCommit once all voted yes, DoCommit once all acked (or the ack timeout ran out). The state machine
// and the termination protocol are drawn in three_phase_commit.h.
//
// Log ("tpc3/coordinator/<txn>"): {state: WAIT|PRECOMMIT|COMMIT|ABORT, ended, participants, vote_no,
// have_committed, work (when there is some)}, written before the messages of each phase are sent. Recovery after a restart:
//   WAIT      -> ABORT (no participant can be in PRECOMMIT yet, so aborting is safe)
//   PRECOMMIT -> stays undecided ("recovering"): the participants may have terminated either way while
//                the coordinator was down, so it asks them until it hears their decision
//   COMMIT    -> DoCommit again to whoever has not said have_committed
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/txn/three_phase_commit.h"
#include "core/protocols/txn/txn_timers.h"

namespace distlab::txn {

struct Tpc3CoordinatorTxn {
    Tpc3State state = Tpc3State::Init;
    std::vector<NodeId> participants;
    std::set<NodeId> voteNo;  // the lab's script
    Json work;                // tpc3_begin's work (null: none), sent with CanCommit and logged
    std::set<NodeId> yes;
    std::set<NodeId> acked;
    std::set<NodeId> haveCommitted;
    bool recovering = false;  // restarted in PRECOMMIT: undecided until the participants say
    bool ended = false;       // END: every participant knows the decision (state keeps COMMIT / ABORT)
};

class ThreePcCoordinator : public CopyableNode<ThreePcCoordinator> {
public:
    explicit ThreePcCoordinator(ThreePhaseCommitConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "role", "transactions", "committed", "aborted", "malformed messages", then one
    // "transaction" row per transaction.
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    const ThreePhaseCommitConfig& config() const { return m_config; }
    const std::map<std::string, Tpc3CoordinatorTxn>& transactions() const { return m_txns; }
    // The coordinator's state of txn (COMMIT or ABORT also after END), or nullopt when it does not know it.
    std::optional<Tpc3State> stateOf(const std::string& txn) const;

private:
    void onBegin(Context& ctx, const Envelope& message);
    void onVote(Context& ctx, const Envelope& message);
    void onAck(Context& ctx, const Envelope& message);
    void onHaveCommitted(Context& ctx, const Envelope& message);
    void onStateRequest(Context& ctx, const Envelope& message);
    void onStateReply(Context& ctx, const Envelope& message);
    void onDecision(Context& ctx, const Envelope& message, bool commit);

    void enterPreCommit(Context& ctx, const std::string& txn);
    // Logs the decision, records it, tells every participant; abort ends the transaction at once.
    void decide(Context& ctx, const std::string& txn, bool commit);
    void end(Context& ctx, const std::string& txn);
    void resend(Context& ctx, const std::string& txn);
    void armPhaseTimer(Context& ctx, const std::string& txn, SimTime delay, std::string_view tag);
    void armResendTimer(Context& ctx, const std::string& txn);
    void cancelTimers(Context& ctx, const std::string& txn);
    // The one place a transaction's state changes: the move must be one of kTpc3CoordinatorMachine's.
    // END is kept as `ended`, so that the record (and stateOf) still say COMMIT or ABORT.
    void transition(Context& ctx, const std::string& txn, Tpc3State to);
    // Recovery only: the state the log holds, taken as it is.
    static void restore(Tpc3CoordinatorTxn& record, Tpc3State logged) { record.state = logged; }
    void enterState(Context& ctx, const std::string& txn, Tpc3State state, std::string_view note = {});
    void save(Context& ctx, const std::string& txn);
    void malformed(Context& ctx, const Envelope& message, std::string text);

    ThreePhaseCommitConfig m_config;
    std::map<std::string, Tpc3CoordinatorTxn> m_txns;
    TxnTimers m_phaseTimers;   // per transaction: the WAIT or PRECOMMIT timeout
    TxnTimers m_resendTimers;  // per transaction: when to send the current phase's message again
    std::uint64_t m_committed = 0;
    std::uint64_t m_aborted = 0;
    std::uint64_t m_malformed = 0;
};

}  // namespace distlab::txn
