#pragma once
// A Redlock client over N independent lease lock servers, following the algorithm in the Redis docs
// ("Distributed locks with Redis", section "The Redlock Algorithm"), whose unsafe cases Kleppmann
// describes ("How to do distributed locking", 2016): a clock jump on a server ends a lease early.
//
//   IDLE --client_lock--> ACQUIRING(server 0): start = now, a fresh token
//   ACQUIRING(i) --lock_acquire_ok / error / per-server timeout--> ACQUIRING(i + 1)
//   after the last server: validity = ttl - (now - start) - drift,  drift = 0.01 x ttl + 2 ms
//     grants >= N/2 + 1 and validity > 0 --> READING (believes it holds until start + ... + validity)
//     otherwise --lock_release to ALL N--> WAITING --random retryMinMs..retryMaxMs--> ACQUIRING(0)
//   READING --storage_read_ok--> HOLDING --min(holdMs, validity left - 1 ms)--> WRITING
//   READING --storage_read_ok after the validity ran out--> lock_release to all N --> IDLE (lost: no write)
//   HOLDING --the validity ran out before the write was sent--> lock_release to all N --> IDLE (lost)
//   READING --error / timeout--> lock_release to all N --> IDLE (nothing written)
//   WRITING --storage_write_ok / error / timeout--> lock_release to all N --> IDLE
//
//   client_unlock: ACQUIRING, WAITING --> lock_release to all N --> IDLE (the lock op fails)
//                  READING, HOLDING   --> lock_release to all N at once, without writing --> IDLE
//                  WRITING            --> the release follows the write's answer (as always)
//
// With config.storage empty there is no storage: HOLDING follows the grant directly, as a plain lock.
// The read-modify-write is the lease client's (appendStorageEntry), but under fencing token 0: Redlock
// has no fencing token to give -- its servers are independent, so no counter increases over all grants
// -- which is Kleppmann's main objection ("How to do distributed locking", 2016: "the algorithm does not
// produce any number that is guaranteed to increase every time a client acquires a lock"). A fenced
// storage therefore cannot tell a stale Redlock holder from the current one.
//
// The servers are asked one after the other, as the docs' step 2 describes; a grant that arrives after
// its server's timeout is not counted, but the release to every server still frees it.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/node/state_machine.h"
#include "core/protocols/lock/lease/lease_messages.h"

namespace distlab::lock {

struct RedlockClientConfig {
    std::vector<NodeId> servers = {"s1", "s2", "s3", "s4", "s5"};
    NodeId storage = "disk";      // read-modify-written under the lock; empty: no storage
    std::string resource = "R";   // the default; a client_lock names its own
    std::int64_t ttlMs = 10'000;  // a client_lock's ttl_ms > 0 overrides it for that acquisition
    std::int64_t holdMs = 1000;   // work, cut short by the validity; a client_lock's hold_ms >= 0 overrides
    std::int64_t storageTimeoutMs = 500;  // per request to the storage
    std::int64_t perServerTimeoutMs = 50;
    std::int64_t retryMinMs = 50;
    std::int64_t retryMaxMs = 150;
    std::int64_t attemptsMax = 3;  // rounds over the servers per client_lock before the lock op fails
};

enum class RedlockState { Idle, Acquiring, Waiting, Reading, Holding, Writing };

// The words describe() shows, and the moves drawn above. ACQUIRING -> HOLDING is the plain lock without a
// storage; ACQUIRING -> IDLE a lock op that failed after attemptsMax rounds, a client_unlock, or (without
// a storage) a validity already over when the work would start.
inline constexpr auto kRedlockMachine = makeStateMachine<RedlockState>(
    "Redlock client",
    {{RedlockState::Idle, "idle"},
     {RedlockState::Acquiring, "acquiring"},
     {RedlockState::Waiting, "waiting"},
     {RedlockState::Reading, "reading"},
     {RedlockState::Holding, "holding"},
     {RedlockState::Writing, "writing"}},
    {{RedlockState::Idle, RedlockState::Acquiring},
     {RedlockState::Acquiring, RedlockState::Reading},
     {RedlockState::Acquiring, RedlockState::Holding},
     {RedlockState::Acquiring, RedlockState::Waiting},
     {RedlockState::Acquiring, RedlockState::Idle},
     {RedlockState::Waiting, RedlockState::Acquiring},
     {RedlockState::Waiting, RedlockState::Idle},
     {RedlockState::Reading, RedlockState::Holding},
     {RedlockState::Reading, RedlockState::Idle},
     {RedlockState::Holding, RedlockState::Writing},
     {RedlockState::Holding, RedlockState::Idle},
     {RedlockState::Writing, RedlockState::Idle}});
static_assert(kRedlockMachine.wellFormed());

std::string_view redlockStateName(RedlockState state);

// The docs' clock drift allowance: 1% of the TTL plus 2 ms for the servers' timer granularity.
SimTime redlockDrift(std::int64_t ttlMs);
// validity = ttl - elapsed - drift; the lock counts only when this is positive.
SimTime redlockValidity(std::int64_t ttlMs, SimTime elapsed);
inline std::size_t redlockQuorum(std::size_t servers) {
    return servers / 2 + 1;
}

class RedlockClient : public CopyableNode<RedlockClient> {
public:
    explicit RedlockClient(RedlockClientConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "state", "resource", "token", "grants", "validity", "locks taken", "failed attempts",
    // "locks lost".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    // Report: {"holds": whether it believes it holds the lock now, "lease_end": the end of its validity}.
    Json observe(SimTime now) const override;

    const RedlockClientConfig& config() const { return m_config; }
    RedlockState state() const { return m_state; }
    // What the client believes at `now` (its own clock is simulated time): holding and inside validity.
    bool believesItHolds(SimTime now) const {
        return (m_state == RedlockState::Reading || m_state == RedlockState::Holding ||
                m_state == RedlockState::Writing) &&
               now < m_leaseEnd;
    }
    SimTime leaseEnd() const { return m_leaseEnd; }
    SimTime lastValidity() const { return m_lastValidity; }
    // The lease and the work of the current (or last) acquisition, after client_lock's overrides.
    std::int64_t ttlMs() const { return m_ttlMs; }
    std::int64_t holdMs() const { return m_holdMs; }
    const std::set<NodeId>& grantedBy() const { return m_granted; }
    std::uint64_t locksTaken() const { return m_locksTaken; }
    std::uint64_t failedAttempts() const { return m_failedAttempts; }
    // Acquisitions whose validity ran out before the client could work or send its write: it skipped
    // the write and released (its unlock op says lost: true, reason "validity ran out").
    std::uint64_t locksLost() const { return m_locksLost; }
    // Releases sent per server, over the client's life: a failed round must reach all N.
    const std::map<NodeId, std::uint64_t>& releasesSent() const { return m_releasesSent; }

private:
    void onClientLock(Context& ctx, const Envelope& message);
    void onClientUnlock(Context& ctx, const Envelope& message);
    void onStorageAnswer(Context& ctx, const Envelope& message);
    void startRound(Context& ctx);
    void askServer(Context& ctx);
    void nextServer(Context& ctx);
    void decide(Context& ctx);
    void startRead(Context& ctx);
    void startWork(Context& ctx);
    void startWrite(Context& ctx);
    // The unlock op: lock_release to every server, fire and forget, then IDLE. lostReason: why the lock
    // was lost before the write (the unlock op records it), empty for an ordinary release.
    void unlockAll(Context& ctx, const std::string& lostReason = {});
    // The validity ran out `when` ("before its write could be sent"): count it, skip the write, release.
    void loseLock(Context& ctx, const std::string& when);
    void releaseAll(Context& ctx);
    void arm(Context& ctx, SimTime delay, std::string_view tag);
    void disarm(Context& ctx);
    // The one place the state changes: the move must be one of kRedlockMachine's.
    void enter(Context& ctx, RedlockState state);

    RedlockClientConfig m_config;
    RedlockState m_state = RedlockState::Idle;
    std::string m_resource;
    std::int64_t m_ttlMs = 0;
    std::int64_t m_holdMs = 0;
    std::string m_token;
    std::string m_readValue;
    std::size_t m_serverIndex = 0;
    SimTime m_roundStart = 0;
    std::set<NodeId> m_granted;
    SimTime m_leaseEnd = 0;
    SimTime m_lastValidity = 0;
    std::int64_t m_lockOpId = 0;
    std::int64_t m_readOpId = 0;
    std::int64_t m_writeOpId = 0;
    std::int64_t m_pendingMsgId = 0;
    TimerId m_timer = 0;
    std::int64_t m_attempts = 0;
    std::uint64_t m_locksTaken = 0;
    std::uint64_t m_failedAttempts = 0;
    std::uint64_t m_locksLost = 0;
    std::map<NodeId, std::uint64_t> m_releasesSent;
};

}  // namespace distlab::lock
