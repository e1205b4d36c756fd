#pragma once
// A client of the Redis-style lease lock (Redis docs, "Distributed locks with Redis": SET NX PX with a
// token unique per acquisition) that runs a read-modify-write on a fenced storage under the grant's
// fencing token (Kleppmann, "How to do distributed locking", 2016, the figure with the GC pause).
//
//   IDLE --client_lock--> ACQUIRING --lock_acquire_ok--> READING (storage_read{resource, fencing token})
//   ACQUIRING --error / timeout--> WAITING --random retryMinMs..retryMaxMs--> ACQUIRING
//   READING --storage_read_ok--> HOLDING (believes it holds; works holdMs)
//   READING --error 22 (a higher token was seen: the lock is lost) / other error / timeout--> RELEASING
//   HOLDING --hold timer--> WRITING (storage_write{resource, read value + " <token>", fencing token})
//   WRITING --storage_write_ok / error / timeout--> RELEASING --lock_release_ok / error / timeout--> IDLE
//
//   client_unlock: ACQUIRING, WAITING --> IDLE (the lock op fails, "released by the user")
//                  READING, HOLDING   --> RELEASING at once, without writing
//                  WRITING            --> RELEASING right after the write's answer (as always)
//
// The value written is what the read returned with " <token>" appended (the acquisition's token, e.g.
// "c1-3"), so the stored value is the log of every acquisition whose write took effect, and a lost update
// is an entry missing from it. It is bounded by kStorageValueBytesMax: the oldest entries go first.
//
// The work comes between the read and the write, as in Kleppmann's figure: a client paused
// (World::pause) during its work past the end of its lease resumes still believing it holds the lock,
// because nothing in its own timeline told it otherwise, and writes with its old fencing token. Only the
// storage can stop it, and only if it checks fencing tokens.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/node/state_machine.h"
#include "core/protocols/lock/lease/lease_messages.h"

namespace distlab::lock {

struct LeaseLockClientConfig {
    NodeId lockServer = "lock";
    NodeId storage = "disk";
    std::string resource = "R";  // the default; a client_lock names its own
    std::int64_t ttlMs = 1000;   // a client_lock's ttl_ms > 0 overrides it for that acquisition
    std::int64_t holdMs = 300;   // work inside the critical section; a client_lock's hold_ms >= 0 overrides
    std::int64_t retryMinMs = 50;
    std::int64_t retryMaxMs = 150;
    std::int64_t requestTimeoutMs = 500;  // per request to the lock server or the storage
    std::int64_t attemptsMax = 100;       // acquires per client_lock before the lock op fails
};

enum class LeaseClientState { Idle, Acquiring, Waiting, Reading, Holding, Writing, Releasing };

// The words describe() shows, and the moves drawn above. ACQUIRING -> IDLE is a lock op that failed after
// attemptsMax acquires, or a client_unlock.
inline constexpr auto kLeaseClientMachine = makeStateMachine<LeaseClientState>(
    "lease lock client",
    {{LeaseClientState::Idle, "idle"},
     {LeaseClientState::Acquiring, "acquiring"},
     {LeaseClientState::Waiting, "waiting"},
     {LeaseClientState::Reading, "reading"},
     {LeaseClientState::Holding, "holding"},
     {LeaseClientState::Writing, "writing"},
     {LeaseClientState::Releasing, "releasing"}},
    {{LeaseClientState::Idle, LeaseClientState::Acquiring},
     {LeaseClientState::Acquiring, LeaseClientState::Reading},
     {LeaseClientState::Acquiring, LeaseClientState::Waiting},
     {LeaseClientState::Acquiring, LeaseClientState::Idle},
     {LeaseClientState::Waiting, LeaseClientState::Acquiring},
     {LeaseClientState::Waiting, LeaseClientState::Idle},
     {LeaseClientState::Reading, LeaseClientState::Holding},
     {LeaseClientState::Reading, LeaseClientState::Releasing},
     {LeaseClientState::Holding, LeaseClientState::Writing},
     {LeaseClientState::Holding, LeaseClientState::Releasing},
     {LeaseClientState::Writing, LeaseClientState::Releasing},
     {LeaseClientState::Releasing, LeaseClientState::Idle}});
static_assert(kLeaseClientMachine.wellFormed());

std::string_view leaseClientStateName(LeaseClientState state);

// The read-modify-write of the lock clients: `read` with `entry` appended after a space (no space when
// `read` is empty), keeping the tail -- whole entries -- when it would exceed kStorageValueBytesMax.
std::string appendStorageEntry(const std::string& read, std::string_view entry);

class LeaseLockClient : public CopyableNode<LeaseLockClient> {
public:
    explicit LeaseLockClient(LeaseLockClientConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "state", "resource", "token", "fencing token", "locks taken", "locks lost",
    // "refused acquires".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    const LeaseLockClientConfig& config() const { return m_config; }
    LeaseClientState state() const { return m_state; }
    // True from the grant until the release is sent, whatever the lock server thinks meanwhile.
    bool believesItHolds() const {
        return m_state == LeaseClientState::Reading || m_state == LeaseClientState::Holding ||
               m_state == LeaseClientState::Writing;
    }
    const std::string& token() const { return m_token; }
    std::int64_t fencingToken() const { return m_fencingToken; }
    // The lease and the work of the current (or last) acquisition, after client_lock's overrides.
    std::int64_t ttlMs() const { return m_ttlMs; }
    std::int64_t holdMs() const { return m_holdMs; }
    std::uint64_t locksTaken() const { return m_locksTaken; }
    // Grants whose read the storage refused: a higher fencing token had been seen, the lease was gone.
    std::uint64_t locksLost() const { return m_locksLost; }
    std::uint64_t refusedAcquires() const { return m_refusedAcquires; }

private:
    void onClientLock(Context& ctx, const Envelope& message);
    void onClientUnlock(Context& ctx, const Envelope& message);
    void onReply(Context& ctx, const Envelope& message);
    void onAcquireAnswer(Context& ctx, const Envelope& message);
    void onReadAnswer(Context& ctx, const Envelope& message);
    void onWriteAnswer(Context& ctx, const Envelope& message);
    void onReleaseAnswer(Context& ctx, const Envelope& message);
    void sendAcquire(Context& ctx);
    void acquireFailed(Context& ctx, const std::string& why);
    void startRead(Context& ctx);
    void startWrite(Context& ctx);
    void startRelease(Context& ctx);
    void finish(Context& ctx);
    void arm(Context& ctx, std::int64_t delayMs, std::string_view tag);
    void disarm(Context& ctx);
    // The one place the state changes: the move must be one of kLeaseClientMachine's.
    void enter(Context& ctx, LeaseClientState state);

    LeaseLockClientConfig m_config;
    LeaseClientState m_state = LeaseClientState::Idle;
    std::string m_resource;
    std::int64_t m_ttlMs = 0;
    std::int64_t m_holdMs = 0;
    std::string m_token;  // of the current acquisition
    std::int64_t m_fencingToken = 0;
    std::string m_readValue;         // what the read under the current grant returned
    bool m_unlockRequested = false;  // client_unlock arrived while writing
    std::int64_t m_lockOpId = 0;
    std::int64_t m_readOpId = 0;
    std::int64_t m_writeOpId = 0;
    std::int64_t m_unlockOpId = 0;
    std::int64_t m_pendingMsgId = 0;  // the request whose answer we wait for; 0: none
    TimerId m_timer = 0;              // the one timer running (timeout, retry or hold); 0: none
    std::int64_t m_attempts = 0;
    std::uint64_t m_locksTaken = 0;
    std::uint64_t m_locksLost = 0;
    std::uint64_t m_refusedAcquires = 0;
};

}  // namespace distlab::lock
