// The state machines of the transaction roles, as their tables write them down: each accepts the moves of
// its protocol (Gray's 2PC, Skeen's 3PC with its termination protocol, Garcia-Molina & Salem's sagas) and
// refuses the ones the protocol forbids, loudly, naming the role, the node and both states.
#include <QTest>

#include "core/protocols/txn/saga_orchestrator.h"
#include "core/protocols/txn/saga_service.h"
#include "core/protocols/txn/three_phase_commit.h"
#include "core/protocols/txn/two_phase_commit_coordinator.h"
#include "core/protocols/txn/two_phase_commit_participant.h"
#include "tests/support/transition_checks.h"

using namespace distlab;
using namespace distlab::txn;
using namespace transitions;

class TstTransitions : public QObject {
    Q_OBJECT

private slots:
    void illegalMoveIsALogicError() {
        // A role's bug, not an expected failure: it is a std::logic_error, which nothing in the core
        // catches, so the run stops with the message.
        try {
            kTpcParticipantMachine.check(TpcParticipantState::Commit, TpcParticipantState::Abort, "tx-p1",
                                         millis(70), "txn t1");
            QFAIL("COMMIT -> ABORT was accepted");
        } catch (const std::logic_error& error) {
            QCOMPARE(std::string(error.what()),
                     std::string("illegal state change in 2PC participant tx-p1 (txn t1) at t=70000us: "
                                 "COMMIT -> ABORT"));
        }
    }

    void tpcParticipant() {
        using S = TpcParticipantState;
        const auto& m = kTpcParticipantMachine;
        checkWords(m);
        checkPath(m, {S::Init, S::Ready, S::Commit});  // voted yes, told commit
        checkPath(m, {S::Init, S::Ready, S::Abort});   // voted yes, told abort (or a peer knew)
        checkPath(m, {S::Init, S::Abort});             // voted no, timed out, or a peer asked first
        // A decision is final; a yes vote is a promise: once READY, never back to INIT.
        checkRejected(m, S::Commit, S::Abort);
        checkRejected(m, S::Abort, S::Commit);
        checkRejected(m, S::Ready, S::Init);
        checkRejected(m, S::Init, S::Commit);  // commit needs its yes vote first
        checkFinal(m, S::Commit);
        checkFinal(m, S::Abort);
    }

    void tpcCoordinator() {
        using S = TpcCoordinatorState;
        const auto& m = kTpcCoordinatorMachine;
        checkWords(m);
        checkPath(m, {S::Init, S::Wait, S::Commit, S::End});
        checkPath(m, {S::Init, S::Wait, S::Abort, S::End});
        checkRejected(m, S::Init, S::Commit);  // nobody has voted
        checkRejected(m, S::Commit, S::Abort);
        checkRejected(m, S::Abort, S::Commit);
        checkRejected(m, S::Wait, S::End);  // END follows a decision
        checkRejected(m, S::End, S::Wait);
        checkFinal(m, S::End);
    }

    void threePcCoordinator() {
        using S = Tpc3State;
        const auto& m = kTpc3CoordinatorMachine;
        checkWords(m);
        checkPath(m, {S::Init, S::Wait, S::PreCommit, S::Commit, S::End});
        checkPath(m, {S::Init, S::Wait, S::Abort, S::End});
        checkPath(m, {S::Init, S::Wait, S::PreCommit, S::Abort, S::End});  // adopts a backup's abort
        // Skeen's point: no commit without PRECOMMIT in between, so no state is next to both outcomes.
        checkRejected(m, S::Wait, S::Commit);
        checkRejected(m, S::Commit, S::Abort);
        checkRejected(m, S::Abort, S::PreCommit);
        checkRejected(m, S::Init, S::Ready);  // a participant's state
        checkFinal(m, S::End);
    }

    void threePcParticipant() {
        using S = Tpc3State;
        const auto& m = kTpc3ParticipantMachine;
        checkWords(m);
        checkPath(m, {S::Init, S::Ready, S::PreCommit, S::Commit});
        checkPath(m, {S::Init, S::Ready, S::Abort});
        checkPath(m, {S::Init, S::Abort});
        checkPath(m, {S::Ready, S::Commit});     // adopts the decision a backup took
        checkPath(m, {S::PreCommit, S::Abort});  // the same, the other way
        checkRejected(m, S::Init, S::PreCommit);  // PRECOMMIT only after a yes vote
        checkRejected(m, S::Init, S::Commit);
        checkRejected(m, S::PreCommit, S::Ready);
        checkRejected(m, S::Commit, S::Abort);
        checkRejected(m, S::Ready, S::End);  // END is the coordinator's
        checkFinal(m, S::Commit);
        checkFinal(m, S::Abort);
    }

    void sagaOrchestrator() {
        using S = SagaPhase;
        const auto& m = kSagaMachine;
        checkWords(m);
        checkPath(m, {S::Running, S::Running, S::Running, S::Done});                     // T1 T2 T3
        checkPath(m, {S::Running, S::Running, S::Compensating, S::Compensating, S::Compensated});
        checkPath(m, {S::Running, S::Compensated});  // T1 refused: nothing to undo
        // Compensation goes backwards only, and never gives up; an ended saga stays ended.
        checkRejected(m, S::Compensated, S::Done);
        checkRejected(m, S::Compensating, S::Running);
        checkRejected(m, S::Compensating, S::Done);
        checkRejected(m, S::Done, S::Compensating);
        checkFinal(m, S::Done);
        checkFinal(m, S::Compensated);
        // The trace speaks txn_record.h's words for the same phases.
        QCOMPARE(sagaTraceWord(S::Running), std::string_view("RUNNING"));
        QCOMPARE(sagaTraceWord(S::Compensated), std::string_view("ABORTED"));
        QCOMPARE(sagaPhaseName(S::Compensated), std::string_view("compensated"));
    }

    void sagaService() {
        using S = SagaRecordState;
        const auto& m = kSagaRecordMachine;
        checkWords(m);
        checkPath(m, {S::Applied, S::Compensated});
        // A compensated step never applies again, and a tombstone keeps a late step out for good.
        checkRejected(m, S::Compensated, S::Applied);
        checkRejected(m, S::Tombstone, S::Applied);
        checkRejected(m, S::Refused, S::Applied);
        checkRejected(m, S::Refused, S::Compensated);  // nothing was applied to undo
        checkFinal(m, S::Compensated);
        checkFinal(m, S::Tombstone);
    }
};

QTEST_GUILESS_MAIN(TstTransitions)
#include "tst_transitions.moc"
