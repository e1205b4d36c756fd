#pragma once
// Messages of the Redis-style lease lock: acquire is `SET resource token NX PX ttl`, release and extend
// are the compare-and-delete / compare-and-expire scripts from the Redis docs ("Distributed locks with
// Redis"), and each grant carries a fencing token (Kleppmann, "How to do distributed locking", 2016),
// which the storage the lock protects checks (FencedStorage).
//
// Field names are the wire names (Maelstrom style, snake_case), hence the snake_case members here.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"

namespace distlab::lock {

// Limits, checked by the server on every request (a bad request gets error 12).
constexpr std::size_t kResourceBytesMax = 128;
constexpr std::size_t kTokenBytesMax = 128;
constexpr std::int64_t kTtlMsMax = 24 * 60 * 60 * 1000;  // one day
// Clock faults: enough to show any lesson, small enough that scaled times cannot overflow.
constexpr std::int64_t kDriftPpmMax = 500'000;
constexpr std::int64_t kJumpMsMax = 24 * 60 * 60 * 1000;

// client -> lock server: SET resource token NX PX ttl_ms.
// Answer: lock_acquire_ok, or error 22 while another lease on the resource runs.
struct LockAcquire {
    static constexpr std::string_view kType = "lock_acquire";
    std::string resource;
    std::string token;  // unique per acquisition, chosen by the client
    std::int64_t ttl_ms = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(LockAcquire, resource, token, ttl_ms)
};

struct LockAcquireOk {
    static constexpr std::string_view kType = "lock_acquire_ok";
    std::string resource;
    std::int64_t fencing_token = 0;  // strictly increasing over the server's grants
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(LockAcquireOk, resource, fencing_token)
};

// client -> lock server: if GET(resource) == token then DEL(resource).
struct LockRelease {
    static constexpr std::string_view kType = "lock_release";
    std::string resource;
    std::string token;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(LockRelease, resource, token)
};

struct LockReleaseOk {
    static constexpr std::string_view kType = "lock_release_ok";
    std::string resource;
    bool released = false;  // false: the lock was not held under this token (a no-op)
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(LockReleaseOk, resource, released)
};

// client -> lock server: if GET(resource) == token then PEXPIRE(resource, ttl_ms).
struct LockExtend {
    static constexpr std::string_view kType = "lock_extend";
    std::string resource;
    std::string token;
    std::int64_t ttl_ms = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(LockExtend, resource, token, ttl_ms)
};

struct LockExtendOk {
    static constexpr std::string_view kType = "lock_extend_ok";
    std::string resource;
    bool extended = false;  // false: the lease was not this token's (or had already expired)
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(LockExtendOk, resource, extended)
};

// lab (fault injector) -> lock server: the server's clock runs at (1 + drift_ppm / 1e6) times the
// simulated rate from now on, after stepping by jump_ms once (negative: backwards).
struct ClockSet {
    static constexpr std::string_view kType = "clock_set";
    std::int64_t drift_ppm = 0;
    std::int64_t jump_ms = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClockSet, drift_ppm, jump_ms)
};

struct ClockSetOk {
    static constexpr std::string_view kType = "clock_set_ok";
    std::int64_t clock_us = 0;  // the server's clock right after the change
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClockSetOk, clock_us)
};

// --- the storage the lock protects (FencedStorage) ---

// client -> storage: write value under key, as the holder of the lock granted with fencing_token.
// Answer: storage_write_ok, or error 22 when fencing is on and a higher token has already been accepted.
struct StorageWrite {
    static constexpr std::string_view kType = "storage_write";
    std::string key;
    std::string value;
    std::int64_t fencing_token = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(StorageWrite, key, value, fencing_token)
};

struct StorageWriteOk {
    static constexpr std::string_view kType = "storage_write_ok";
    std::string key;
    std::int64_t fencing_token = 0;
    // The storage numbers every access it accepts (reads and writes, 1, 2, ...; durable): the order in
    // which it served them, which is what mutual exclusion is judged on.
    std::int64_t seq = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(StorageWriteOk, key, fencing_token, seq)
};

// client -> storage: read key, as the holder of the lock granted with fencing_token.
// The read that opens a read-modify-write under the lock carries the grant's fencing token, and with
// fencing on the storage checks it like a write's (a Chubby-style sequencer check on every access): a read
// under a token lower than the highest seen is refused, and an accepted one raises the highest.
// Answer: storage_read_ok (exists = false and an empty value for a key never written), or error 22.
struct StorageRead {
    static constexpr std::string_view kType = "storage_read";
    std::string key;
    std::int64_t fencing_token = 0;  // 0: no token (a plain read, or a lock without tokens)
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(StorageRead, key, fencing_token)
};

struct StorageReadOk {
    static constexpr std::string_view kType = "storage_read_ok";
    std::string key;
    std::string value;
    std::int64_t fencing_token = 0;  // the token of the write that stored the value
    bool exists = true;
    std::int64_t seq = 0;  // the storage's access sequence number of this read (see StorageWriteOk)
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(StorageReadOk, key, value, fencing_token, exists, seq)
};

// lab -> storage: switch the fencing check on or off ("break it").
struct FencingSet {
    static constexpr std::string_view kType = "fencing_set";
    bool enabled = true;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(FencingSet, enabled)
};

struct FencingSetOk {
    static constexpr std::string_view kType = "fencing_set_ok";
    bool enabled = true;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(FencingSetOk, enabled)
};

// --- the lab's control plane ---

// ctl -> lock client (LeaseLockClient, RedlockClient, zk::ZkLockClient): take the lock on resource, read
// the storage, work inside the critical section, write to the storage and release. Not answered: the
// client's history (recordOp) says how it went.
struct ClientLock {
    static constexpr std::string_view kType = "client_lock";
    std::string resource;
    std::int64_t ttl_ms = 0;    // the lease to ask for; 0: the client's default (ignored by the zk lock)
    std::int64_t hold_ms = -1;  // work inside the critical section; -1: the client's default
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClientLock, resource, ttl_ms, hold_ms)
};

// ctl -> lock client: give the lock on resource back now, without writing (the console's lock release).
// A client that is not holding or acquiring resource ignores it.
struct ClientUnlock {
    static constexpr std::string_view kType = "client_unlock";
    std::string resource;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ClientUnlock, resource)
};

constexpr std::size_t kStorageKeyBytesMax = 128;
constexpr std::size_t kStorageValueBytesMax = 1024;

// One sample of every message type above, for tests and the message inspector.
std::vector<Body> leaseSampleMessages();
std::vector<std::string_view> leaseMessageTypes();

// Why a request's fields are out of range, or empty when they are fine.
std::string validateResource(std::string_view resource);
std::string validateToken(std::string_view token);
std::string validateTtlMs(std::int64_t ttlMs);
std::string validateClockSet(const ClockSet& clockSet);
std::string validateStorageWrite(const StorageWrite& write);
std::string validateStorageRead(const StorageRead& read);

}  // namespace distlab::lock
