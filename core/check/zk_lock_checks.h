#pragma once
// Invariant checkers for the ZooKeeper-style lock (the ZooKeeper recipes' "Locks", Hunt et al., USENIX
// ATC 2010), Jepsen-style over trace: the lock hands the resource out in the order of the
// sequential nodes (first come, first served), and with the predecessor watch a release wakes one
// waiter, not the herd.
//
// They read two histories from trace.clientOps():
//   the clients' grants:  lock ok {resource, fencing_token, lock_node}   (zk::ZkLockClient)
//   the server's truth:   holder invoke {resource, client, fencing_token, lock_node} when a node becomes
//                         the lowest child of /locks/RESOURCE, holder ok {..., reason} when it stops
//                         being it (zk::CoordinationServer; op id = the node's czxid)
// and, for wakeups, the watch_event messages in the trace (their Send and Deliver events). A crash of
// the server ends every holder it had (it forgets its znodes). Both need only the trace so far, so
// they hold at any moment of a run. One coordination server per resource is assumed. A coordination
// server is a process whose holder invokes carry lock_node: holder ops of other processes (a lease lock
// server's, which name no lock node, perhaps on the same resource) and grants without lock_node (the
// lease and Redlock clients') are not the ZooKeeper lock's, and both checkers ignore them.
#include <cstdint>

#include "core/check/check_result.h"
#include "core/history/trace.h"

namespace distlab {

// "fifo-grants". A grant is judged against the server's holder history at the moment the client
// learnt it (the trace event of its lock ok):
//   - live: the grant's node is the server's lowest node then. Live grants of a resource, in trace
//     order, must carry strictly increasing fencing tokens (czxids: creation order).
//   - skip: the server's lowest node then has a smaller czxid than the grant's node. That node was
//     created earlier and is still alive, so it was alive when the client listed the children too:
//     the client took the lock past an older waiter (or past the holder). Always a violation.
//   - stale: the grant's node is already gone (the lowest is younger, or there is none): the client
//     learnt of its grant after its session had ended, e.g. after a pause. No lock service can stop
//     that; the fencing check of the storage does. Counted and reported, not held against the lock.
// A resource whose server recorded no holder ops is judged by token order alone, over all its grants.
// Passes vacuously, saying so, when there are no ZooKeeper-lock grants. events: the grant, and the
// server's holder event (or the previous grant) it is judged against, per violation.
CheckResult checkFifoGrants(const Trace& trace);

// Wakeups per release: a wakeup is the delivery of a watch_event message (a Deliver trace event; a lost
// message wakes nobody) to a client that acts on it: in the same step it asks for the lock directory's
// children again. A watch left behind by a client that stopped waiting (it gave up, or its session expired
// and it queued again under a new node) is still delivered, but wakes no waiter, so it is not counted:
// ZooKeeper keeps such watches until they fire. A release is a holder ok of the server (the holder
// released its node or its session expired). The wakeups of a release are the deliveries of the watch
// events the server sent in the same change: after its holder ok event and before its next state event
// (every znode change starts with one), for paths under the same lock directory. Watch events from nodes
// joining or leaving the queue belong to no release.
struct ZkWakeupStats {
    std::uint64_t releases = 0;
    std::uint64_t wakeups = 0;        // every wakeup, whether it followed a release or not
    std::uint64_t maxPerRelease = 0;  // the most wakeups one release caused
};
ZkWakeupStats zkWakeupStats(const Trace& trace);

// "wakeups-per-release": ok when no release woke more than one waiter. The explanation gives the
// releases, the wakeups, the maximum per release and the worst release (who released what, when, and
// whom it woke). events: the holder ok and the wakeup deliveries of the releases that woke several.
CheckResult checkWakeupsPerRelease(const Trace& trace);

}  // namespace distlab
