// Messages of the Redis-style lease lock (Redis SET NX PX and the release script from the Redis docs;
// Kleppmann's fencing tokens): samples for tests and the range checks every request goes through.
#include "core/protocols/lock/lease/lease_messages.h"

namespace distlab::lock {

std::vector<Body> leaseSampleMessages() {
    return {
        makeBody(LockAcquire{"R", "c1-1", 10'000}),
        makeBody(LockAcquireOk{"R", 3}),
        makeBody(LockRelease{"R", "c1-1"}),
        makeBody(LockReleaseOk{"R", true}),
        makeBody(LockExtend{"R", "c1-1", 5'000}),
        makeBody(LockExtendOk{"R", false}),
        makeBody(ClockSet{200, -1500}),
        makeBody(ClockSetOk{12'345'678}),
        makeBody(StorageWrite{"x", "42", 3}),
        makeBody(StorageWriteOk{"x", 3, 7}),
        makeBody(StorageRead{"x", 3}),
        makeBody(StorageReadOk{"x", "42", 3, true, 6}),
        makeBody(FencingSet{false}),
        makeBody(FencingSetOk{false}),
        makeBody(ClientLock{"R", 1000, 300}),
        makeBody(ClientUnlock{"R"}),
    };
}

std::vector<std::string_view> leaseMessageTypes() {
    return {LockAcquire::kType,  LockAcquireOk::kType,  LockRelease::kType, LockReleaseOk::kType,
            LockExtend::kType,   LockExtendOk::kType,   ClockSet::kType,    ClockSetOk::kType,
            StorageWrite::kType, StorageWriteOk::kType, StorageRead::kType, StorageReadOk::kType,
            FencingSet::kType,   FencingSetOk::kType,   ClientLock::kType,  ClientUnlock::kType};
}

std::string validateResource(std::string_view resource) {
    if (resource.empty()) return "resource: expected a non-empty name";
    if (resource.size() > kResourceBytesMax)
        return "resource: longer than " + std::to_string(kResourceBytesMax) + " bytes";
    return {};
}

std::string validateToken(std::string_view token) {
    if (token.empty()) return "token: expected a non-empty token, unique per acquisition";
    if (token.size() > kTokenBytesMax)
        return "token: longer than " + std::to_string(kTokenBytesMax) + " bytes";
    return {};
}

std::string validateTtlMs(std::int64_t ttlMs) {
    if (ttlMs <= 0 || ttlMs > kTtlMsMax)
        return "ttl_ms: expected 1.." + std::to_string(kTtlMsMax) + ", got " + std::to_string(ttlMs);
    return {};
}

std::string validateClockSet(const ClockSet& clockSet) {
    if (clockSet.drift_ppm < -kDriftPpmMax || clockSet.drift_ppm > kDriftPpmMax)
        return "drift_ppm: expected -" + std::to_string(kDriftPpmMax) + ".." + std::to_string(kDriftPpmMax);
    if (clockSet.jump_ms < -kJumpMsMax || clockSet.jump_ms > kJumpMsMax)
        return "jump_ms: expected -" + std::to_string(kJumpMsMax) + ".." + std::to_string(kJumpMsMax);
    return {};
}

namespace {

std::string validateStorageKey(std::string_view key) {
    if (key.empty()) return "key: expected a non-empty key";
    if (key.size() > kStorageKeyBytesMax)
        return "key: longer than " + std::to_string(kStorageKeyBytesMax) + " bytes";
    return {};
}

}  // namespace

std::string validateStorageRead(const StorageRead& read) {
    if (std::string problem = validateStorageKey(read.key); !problem.empty()) return problem;
    if (read.fencing_token < 0) return "fencing_token: expected 0 or more";
    return {};
}

std::string validateStorageWrite(const StorageWrite& write) {
    if (std::string problem = validateStorageKey(write.key); !problem.empty()) return problem;
    if (write.value.size() > kStorageValueBytesMax)
        return "value: longer than " + std::to_string(kStorageValueBytesMax) + " bytes";
    if (write.fencing_token < 0) return "fencing_token: expected 0 or more";
    return {};
}

}  // namespace distlab::lock
