// The state machines of the lock clients, as their tables write them down: the lease client and Redlock
// (acquire, read, hold, write, release), and the ZooKeeper recipe's client (session, create, list, wait
// on the predecessor, hold, release). Each accepts its protocol's moves and refuses, loudly, the ones that
// would skip the grant or the release.
#include <QTest>

#include "core/protocols/lock/lease/lease_lock_client.h"
#include "core/protocols/lock/lease/redlock_client.h"
#include "core/protocols/lock/zk/zk_lock_client.h"
#include "tests/support/transition_checks.h"

using namespace distlab;
using namespace transitions;

class TstLockTransitions : public QObject {
    Q_OBJECT

private slots:
    void leaseClient() {
        using S = lock::LeaseClientState;
        const auto& m = lock::kLeaseClientMachine;
        checkWords(m);
        checkPath(m, {S::Idle, S::Acquiring, S::Reading, S::Holding, S::Writing, S::Releasing, S::Idle});
        checkPath(m, {S::Idle, S::Acquiring, S::Waiting, S::Acquiring, S::Idle});  // refused, gave up
        checkPath(m, {S::Acquiring, S::Reading, S::Releasing});  // fenced off: no work, no write
        checkPath(m, {S::Holding, S::Releasing});                 // client_unlock
        checkPath(m, {S::Waiting, S::Idle});                      // client_unlock
        checkRejected(m, S::Idle, S::Holding);       // no hold without a grant
        checkRejected(m, S::Acquiring, S::Writing);  // no write without the read under the grant
        checkRejected(m, S::Holding, S::Idle);       // a holder always releases
        checkRejected(m, S::Releasing, S::Holding);
        checkRejected(m, S::Writing, S::Holding);
    }

    void redlockClient() {
        using S = lock::RedlockState;
        const auto& m = lock::kRedlockMachine;
        checkWords(m);
        checkPath(m, {S::Idle, S::Acquiring, S::Reading, S::Holding, S::Writing, S::Idle});
        checkPath(m, {S::Idle, S::Acquiring, S::Waiting, S::Acquiring, S::Holding, S::Idle});  // no storage
        checkPath(m, {S::Acquiring, S::Idle});  // no majority after attemptsMax rounds
        checkPath(m, {S::Reading, S::Idle});    // read failed, or the validity ran out
        checkRejected(m, S::Idle, S::Holding);
        checkRejected(m, S::Waiting, S::Holding);  // a round must be won first
        checkRejected(m, S::Idle, S::Writing);
        checkRejected(m, S::Writing, S::Holding);
        checkRejected(m, S::Reading, S::Writing);
    }

    void zkLockClient() {
        using S = zk::ZkLockClient::State;
        const auto& m = zk::kZkLockClientMachine;
        checkWords(m);
        checkPath(m, {S::Connecting, S::Idle, S::Creating, S::Listing, S::Holding, S::Reading, S::Holding,
                      S::Writing, S::Releasing, S::Idle});
        checkPath(m, {S::Listing, S::Waiting, S::Listing, S::Holding, S::Releasing});  // a waiter's turn
        checkPath(m, {S::Creating, S::Releasing, S::Idle});  // unlocked while the create was in flight
        // Any state may find its session gone.
        for (S state : {S::Connecting, S::Idle, S::Creating, S::Listing, S::Waiting, S::Holding, S::Reading,
                        S::Writing, S::Releasing})
            checkPath(m, {state, S::Connecting});
        checkRejected(m, S::Waiting, S::Holding);  // a wakeup lists the children again before holding
        checkRejected(m, S::Idle, S::Listing);     // no listing without a lock node
        checkRejected(m, S::Connecting, S::Creating);  // a create needs a session
        checkRejected(m, S::Holding, S::Idle);     // the node is deleted first
        checkRejected(m, S::Releasing, S::Holding);
    }
};

QTEST_GUILESS_MAIN(TstLockTransitions)
#include "tst_lock_transitions.moc"
