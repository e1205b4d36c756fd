#pragma once
// A participant of three-phase commit (Skeen 1981) with the backup-coordinator termination protocol of
// Skeen & Stonebraker 1983; both are drawn in three_phase_commit.h.
//
// Log ("tpc3/participant/<txn>"): {state: INIT|READY|PRECOMMIT|COMMIT|ABORT, coordinator, participants,
// work (when there is some)}, written before the vote, the ack or the decision leaves the node. Recovery after a restart:
//   INIT             -> INIT again, with a fresh init timeout (the promise not to vote yes is kept)
//   READY, PRECOMMIT -> "recovering": asks the coordinator and its peers at once, and adopts what they
//                       decided; its own state does not count for a backup until everybody answers
//   COMMIT, ABORT    -> nothing to do (the decision was recorded before the crash)
//
// A participant that does real work (the counter's replica) derives from this class, as from the 2PC
// participant: canCommit judges CanCommit's work before a yes vote, onConcluded carries out the outcome
// once COMMIT or ABORT is logged.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/txn/three_phase_commit.h"
#include "core/protocols/txn/txn_timers.h"

namespace distlab::txn {

// Where a participant is in the termination protocol of one transaction.
enum class Tpc3Termination {
    Idle,        // waiting for the coordinator (a READY / PRECOMMIT / INIT timeout is armed)
    Collecting,  // asked everybody for their state, collecting replies
    Pushing,     // the backup coordinator: sent PreCommit to the peers in READY, collecting their acks
    Waiting,     // another participant is the backup: ask again later
};

struct Tpc3ParticipantTxn {
    Tpc3State state = Tpc3State::Init;
    NodeId coordinator;  // empty while only a peer's state request has told of the transaction
    std::vector<NodeId> participants;
    bool recovering = false;  // restarted undecided: its state may be older than a backup's decision
    Tpc3Termination termination = Tpc3Termination::Idle;
    std::map<NodeId, Tpc3StateReply> replies;  // this round's answers, by sender
    std::set<NodeId> pushTo;                   // backup: the peers sent PreCommit
    std::set<NodeId> pushAcked;
    std::uint64_t rounds = 0;  // termination rounds run so far
    Json work;                 // CanCommit's work (null: none), logged with the record
};

class ThreePcParticipant : public CopyableNode<ThreePcParticipant> {
public:
    explicit ThreePcParticipant(ThreePhaseCommitConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "role", "transactions", "committed", "aborted", "backup decisions", "malformed messages",
    // then one "transaction" row per transaction.
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    const ThreePhaseCommitConfig& config() const { return m_config; }
    const std::map<std::string, Tpc3ParticipantTxn>& transactions() const { return m_txns; }
    std::optional<Tpc3State> stateOf(const std::string& txn) const;
    // Decisions this node took as the backup coordinator.
    std::uint64_t backupDecisions() const { return m_backupDecisions; }

protected:
    // The local work of a subclass that does some. canCommit is asked once, at the first CanCommit in INIT
    // that the node may vote yes on: false makes the vote no. onConcluded is called once per transaction,
    // when COMMIT or ABORT has been logged (by the coordinator's word, a backup's, or a timeout). The base
    // does no work.
    virtual bool canCommit(Context& ctx, const std::string& txn, const Tpc3ParticipantTxn& record) {
        (void)ctx, (void)txn, (void)record;
        return true;
    }
    virtual void onConcluded(Context& ctx, const std::string& txn, const Tpc3ParticipantTxn& record) {
        (void)ctx, (void)txn, (void)record;
    }

private:
    void onCanCommit(Context& ctx, const Envelope& message);
    void onPreCommit(Context& ctx, const Envelope& message);
    void onDoCommit(Context& ctx, const Envelope& message);
    void onAbort(Context& ctx, const Envelope& message);
    void onStateRequest(Context& ctx, const Envelope& message);
    void onStateReply(Context& ctx, const Envelope& message);
    void onAck(Context& ctx, const Envelope& message);

    // Termination protocol.
    void startRound(Context& ctx, const std::string& txn);
    void askSilent(Context& ctx, const std::string& txn);
    void evaluateRound(Context& ctx, const std::string& txn);
    void decideAsBackup(Context& ctx, const std::string& txn, bool commit);

    void enterReadyOrPreCommit(Context& ctx, const std::string& txn, Tpc3State state);
    void decide(Context& ctx, const std::string& txn, bool commit);
    void arm(Context& ctx, const std::string& txn, SimTime delay, std::string_view tag);
    void disarm(Context& ctx, const std::string& txn) { m_timers.cancel(ctx, txn); }
    // The one place a transaction's state changes: the move must be one of kTpc3ParticipantMachine's.
    void transition(Context& ctx, const std::string& txn, Tpc3State to);
    // Recovery only: the state the log holds, taken as it is.
    static void restore(Tpc3ParticipantTxn& record, Tpc3State logged) { record.state = logged; }
    void enterState(Context& ctx, const std::string& txn, Tpc3State state, std::string_view note = {});
    void save(Context& ctx, const std::string& txn);
    // The record of txn, created (state INIT) when the node has not heard of it; nullptr when the node
    // already keeps txnsMax transactions.
    Tpc3ParticipantTxn* recordFor(const std::string& txn);
    void malformed(Context& ctx, const Envelope& message, std::string text);

    ThreePhaseCommitConfig m_config;
    std::map<std::string, Tpc3ParticipantTxn> m_txns;
    TxnTimers m_timers;  // the one timer of each transaction's current phase
    std::uint64_t m_committed = 0;
    std::uint64_t m_aborted = 0;
    std::uint64_t m_backupDecisions = 0;
    std::uint64_t m_malformed = 0;
};

}  // namespace distlab::txn
