#pragma once
// A client of the Redis-style lease lock (Redis docs, "Distributed locks with Redis": SET NX PX with a
// token unique per acquisition) that protects a write to a storage with the grant's fencing token
// (Kleppmann, "How to do distributed locking", 2016, the figure with the GC pause).
//
//   IDLE --client_lock--> ACQUIRING --lock_acquire_ok--> HOLDING (believes it holds; works holdMs)
//   ACQUIRING --error / timeout--> WAITING --random retryMinMs..retryMaxMs--> ACQUIRING
//   HOLDING --hold timer--> WRITING (storage_write with the fencing token)
//   WRITING --storage_write_ok / error / timeout--> RELEASING --lock_release_ok / timeout--> IDLE
//
// The work comes before the write, as in Kleppmann's figure: a client paused (World::pause) during
// its work past the end of its lease resumes still believing it holds the lock, because nothing in its
// own timeline told it otherwise, and writes with its old fencing token. Only the storage can stop it.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/lock/lease/lease_messages.h"

namespace distlab::lock {

struct LeaseLockClientConfig {
    NodeId lockServer = "lock";
    NodeId storage = "disk";
    std::string resource = "R";  // the default; a client_lock names its own
    std::int64_t ttlMs = 1000;
    std::int64_t holdMs = 300;  // how long the client works inside the critical section
    std::int64_t retryMinMs = 50;
    std::int64_t retryMaxMs = 150;
    std::int64_t requestTimeoutMs = 500;  // per request to the lock server or the storage
    std::int64_t attemptsMax = 100;       // acquires per client_lock before the lock op fails
};

enum class LeaseClientState { Idle, Acquiring, Waiting, Holding, Writing, Releasing };
std::string_view leaseClientStateName(LeaseClientState state);

class LeaseLockClient : public Node {
public:
    explicit LeaseLockClient(LeaseLockClientConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "state", "resource", "token", "fencing token", "locks taken", "refused acquires".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    const LeaseLockClientConfig& config() const { return m_config; }
    LeaseClientState state() const { return m_state; }
    // True from the grant until the release is sent, whatever the lock server thinks meanwhile.
    bool believesItHolds() const {
        return m_state == LeaseClientState::Holding || m_state == LeaseClientState::Writing;
    }
    const std::string& token() const { return m_token; }
    std::int64_t fencingToken() const { return m_fencingToken; }
    std::uint64_t locksTaken() const { return m_locksTaken; }
    std::uint64_t refusedAcquires() const { return m_refusedAcquires; }

private:
    void onClientLock(Context& ctx, const Envelope& message);
    void onReply(Context& ctx, const Envelope& message);
    void sendAcquire(Context& ctx);
    void acquireFailed(Context& ctx, const std::string& why);
    void startWrite(Context& ctx);
    void startRelease(Context& ctx);
    void finish(Context& ctx);
    std::int64_t nextCounter(Context& ctx, const std::string& key);
    void arm(Context& ctx, std::int64_t delayMs, std::string_view tag);
    void disarm(Context& ctx);
    void enter(Context& ctx, LeaseClientState state);

    LeaseLockClientConfig m_config;
    LeaseClientState m_state = LeaseClientState::Idle;
    std::string m_resource;
    std::string m_token;  // of the current acquisition
    std::int64_t m_fencingToken = 0;
    std::int64_t m_lockOpId = 0;
    std::int64_t m_writeOpId = 0;
    std::int64_t m_unlockOpId = 0;
    std::int64_t m_pendingMsgId = 0;  // the request whose answer we wait for; 0: none
    TimerId m_timer = 0;              // the one timer running (timeout, retry or hold); 0: none
    std::int64_t m_attempts = 0;
    std::uint64_t m_locksTaken = 0;
    std::uint64_t m_refusedAcquires = 0;
};

}  // namespace distlab::lock
