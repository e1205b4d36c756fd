#pragma once
// Three-phase commit (Skeen 1981, "Nonblocking commit protocols"), with a backup-coordinator termination
// protocol after Skeen & Stonebraker 1983, in the textbook form of Bernstein/Hadzilacos/Goodman ch. 7 and
// Tanenbaum & van Steen 8.5. What the two roles share: the states, the timeouts, the durable log format
// and the trace / op conventions of core/protocols/txn/txn_record.h.
//
// Coordinator (ThreePcCoordinator):
//
//   INIT --tpc3_begin / CanCommit to all--> WAIT
//   WAIT --all yes / PreCommit to all--> PRECOMMIT --all acks, or ack timeout / DoCommit--> COMMIT --all
//        have_committed--> END
//   WAIT --a no, wait timeout, or a peer's state request / Abort to all--> ABORT --> END
//
// Participant (ThreePcParticipant):
//
//   (none) --CanCommit, local work ok / vote yes--> READY --PreCommit / ack--> PRECOMMIT --DoCommit--> COMMIT
//   (none) --CanCommit, local work fails / vote no--> ABORT
//   (none) --a peer's state request before any CanCommit--> INIT (promises never to vote yes)
//   INIT --init timeout--> ABORT
//   READY, PRECOMMIT --timeout--> termination protocol (below); --Abort--> ABORT
//
// Termination protocol. A participant that times out in READY or PRECOMMIT, or restarts undecided, asks
// the coordinator and every peer for their state (tpc3_state_request, sent twice to whoever is silent).
// A coordinator asked while still in WAIT aborts first: once a participant has given up on it, it must
// never go on to PRECOMMIT. Then, from the replies:
//   - anybody decided (COMMIT or ABORT): adopt that decision;
//   - otherwise the lowest-id participant among the operational ones heard (itself included) is the
//     backup coordinator; the others wait and ask again later. The backup applies Skeen's rule: if any
//     operational node is in PRECOMMIT (the coordinator included), it moves to PRECOMMIT itself, sends
//     PreCommit to the peers still in READY, and commits once they all acked (so that a later backup
//     finds PRECOMMIT again if this one crashes right after committing); if all are READY or INIT, it
//     aborts. Either way it sends the decision to everybody.
// "Operational" excludes nodes that restarted undecided (reply flag `recovering`): their state is as old
// as their crash and they may have missed a backup's decision, so (as in BHG 7.5) they only ask, unless
// the coordinator and every participant answered undecided, in which case nobody can have decided yet.
//
// Safe under crash failures with timeouts longer than message delays: no state of one node is adjacent to
// COMMIT while another is adjacent to ABORT. Not safe under partitions: each side of a cut that separates
// a PRECOMMIT node from the READY ones elects its own backup, and they decide differently (the lesson the
// atomicity checker catches).
#include <optional>
#include <string>
#include <string_view>

#include "core/node/node.h"
#include "core/node/state_machine.h"
#include "core/protocols/txn/three_pc_messages.h"

namespace distlab::txn {

enum class Tpc3State { Init, Wait, Ready, PreCommit, Commit, Abort, End };

// The words of txn_record.h, shared by both roles.
inline constexpr StateWords<Tpc3State, 7> kTpc3StateWords{{{
    {Tpc3State::Init, "INIT"},
    {Tpc3State::Wait, "WAIT"},
    {Tpc3State::Ready, "READY"},
    {Tpc3State::PreCommit, "PRECOMMIT"},
    {Tpc3State::Commit, "COMMIT"},
    {Tpc3State::Abort, "ABORT"},
    {Tpc3State::End, "END"},
}}};

// The coordinator's moves drawn above; a tpc3_begin starts a transaction in INIT, recovery restores the
// logged state. PRECOMMIT -> ABORT is the termination protocol's: a backup that found nobody in PRECOMMIT
// aborted while this coordinator was down or cut off, and the coordinator adopts that decision.
inline constexpr auto kTpc3CoordinatorMachine = makeStateMachine(
    "3PC coordinator", kTpc3StateWords,
    {{Tpc3State::Init, Tpc3State::Wait},
     {Tpc3State::Wait, Tpc3State::PreCommit},
     {Tpc3State::Wait, Tpc3State::Abort},
     {Tpc3State::PreCommit, Tpc3State::Commit},
     {Tpc3State::PreCommit, Tpc3State::Abort},
     {Tpc3State::Commit, Tpc3State::End},
     {Tpc3State::Abort, Tpc3State::End}});
static_assert(kTpc3CoordinatorMachine.wellFormed());

// The participant's moves drawn above; a transaction starts in INIT when the node first hears of it,
// recovery restores the logged state. READY -> COMMIT and PRECOMMIT -> ABORT are the termination
// protocol's: an undecided participant adopts the decision somebody (a backup) has already taken.
inline constexpr auto kTpc3ParticipantMachine = makeStateMachine(
    "3PC participant", kTpc3StateWords,
    {{Tpc3State::Init, Tpc3State::Ready},
     {Tpc3State::Init, Tpc3State::Abort},
     {Tpc3State::Ready, Tpc3State::PreCommit},
     {Tpc3State::Ready, Tpc3State::Commit},
     {Tpc3State::Ready, Tpc3State::Abort},
     {Tpc3State::PreCommit, Tpc3State::Commit},
     {Tpc3State::PreCommit, Tpc3State::Abort}});
static_assert(kTpc3ParticipantMachine.wellFormed());

// "INIT" ... "END".
std::string_view tpc3StateName(Tpc3State state);
std::optional<Tpc3State> tpc3StateFromName(std::string_view name);
inline bool tpc3Decided(Tpc3State state) {
    return state == Tpc3State::Commit || state == Tpc3State::Abort || state == Tpc3State::End;
}

struct ThreePhaseCommitConfig {
    // Coordinator.
    SimTime waitTimeout = millis(300);     // WAIT: votes missing -> abort
    SimTime ackTimeout = millis(300);      // PRECOMMIT: acks missing -> commit anyway (textbook)
    SimTime resendInterval = millis(100);  // CanCommit / PreCommit / DoCommit to whoever is silent
    // Participant. Longer than the coordinator's, so that a live coordinator decides first.
    SimTime initTimeout = millis(300);       // INIT: no CanCommit -> abort
    SimTime readyTimeout = millis(500);      // READY: no PreCommit or Abort -> termination protocol
    SimTime precommitTimeout = millis(500);  // PRECOMMIT: no DoCommit -> termination protocol
    SimTime collectTimeout = millis(100);    // termination: waiting for state replies, or for acks
    std::size_t txnsMax = 10'000;            // transactions a node keeps at once; beyond, error 11
};

// The node's disk: one JSON record per transaction under these prefixes.
constexpr std::string_view kTpc3CoordinatorLogPrefix = "tpc3/coordinator/";
constexpr std::string_view kTpc3ParticipantLogPrefix = "tpc3/participant/";

// Trace and history (txn_record.h): "txn <id> <STATE>", f "vote" and f "decide" ops with op ids from the
// durable counter.
void recordVote(Context& ctx, const std::string& txn, bool yes);
void recordDecision(Context& ctx, const std::string& txn, bool commit, std::string_view role);

}  // namespace distlab::txn
