// A client of the Redis-style lease lock (Redis docs, "Distributed locks with Redis") that runs a
// read-modify-write on a fenced storage under the grant's fencing token (Kleppmann 2016). The state
// machine is in the header.
#include "core/protocols/lock/lease/lease_lock_client.h"

#include <algorithm>
#include <optional>

namespace distlab::lock {

namespace {

const std::string kTokenCounterKey = "lease-client/token-counter";
const std::string kOpCounterKey = "lease-client/op-counter";
const std::string kTagTimeout = "lease-client-timeout";
const std::string kTagRetry = "lease-client-retry";
const std::string kTagHold = "lease-client-hold";
const std::string kReleasedByUser = "released by the user";

}  // namespace

std::string_view leaseClientStateName(LeaseClientState state) {
    return kLeaseClientMachine.name(state);
}

std::string appendStorageEntry(const std::string& read, std::string_view entry) {
    std::string value = read.empty() ? std::string(entry) : read + " " + std::string(entry);
    if (value.size() <= kStorageValueBytesMax) return value;
    // Keep the newest entries: cut at the first space that leaves the value inside the limit.
    const std::size_t excess = value.size() - kStorageValueBytesMax;
    const std::size_t space = value.find(' ', excess == 0 ? 0 : excess - 1);
    if (space == std::string::npos || space + 1 >= value.size()) return value.substr(excess);
    return value.substr(space + 1);
}

LeaseLockClient::LeaseLockClient(LeaseLockClientConfig config)
    : m_config(std::move(config)), m_ttlMs(m_config.ttlMs), m_holdMs(m_config.holdMs) {}

void LeaseLockClient::onStart(Context&) {}

void LeaseLockClient::onMessage(Context& ctx, const Envelope& message) {
    if (message.body.type == ClientLock::kType) return onClientLock(ctx, message);
    if (message.body.type == ClientUnlock::kType) return onClientUnlock(ctx, message);
    if (message.body.inReplyTo && *message.body.inReplyTo == m_pendingMsgId && m_pendingMsgId != 0)
        return onReply(ctx, message);
    // Anything else is a late answer to a request we gave up on: the timeline has moved on.
}

void LeaseLockClient::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (id != m_timer) return;
    m_timer = 0;
    if (tag == kTagRetry && m_state == LeaseClientState::Waiting) return sendAcquire(ctx);
    if (tag == kTagHold && m_state == LeaseClientState::Holding) return startWrite(ctx);
    if (tag != kTagTimeout) return;
    m_pendingMsgId = 0;
    const Json timeout{{"fencing_token", m_fencingToken}, {"error", "timeout"}};
    switch (m_state) {
        case LeaseClientState::Acquiring:
            return acquireFailed(ctx, "no answer from " + m_config.lockServer);
        case LeaseClientState::Reading:
            // Without the value there is nothing to modify: give the lock back without writing.
            ctx.recordOp(OpPhase::Unknown, m_readOpId, "read", timeout);
            return startRelease(ctx);
        case LeaseClientState::Writing:
            ctx.recordOp(OpPhase::Unknown, m_writeOpId, "write", timeout);
            return startRelease(ctx);
        case LeaseClientState::Releasing:
            ctx.recordOp(OpPhase::Unknown, m_unlockOpId, "unlock", Json{{"error", "timeout"}});
            return finish(ctx);
        default:
            return;
    }
}

void LeaseLockClient::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "state"), std::string(leaseClientStateName(m_state)));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "resource"), m_resource.empty() ? "-" : m_resource);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "token"), m_token.empty() ? "-" : m_token);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "fencing token"), std::to_string(m_fencingToken));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "locks taken"), std::to_string(m_locksTaken));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "locks lost"), std::to_string(m_locksLost));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "refused acquires"), std::to_string(m_refusedAcquires));
}

void LeaseLockClient::onClientLock(Context& ctx, const Envelope& message) {
    Result<ClientLock> lock = bodyAs<ClientLock>(message.body);
    std::string resource = lock && !lock->resource.empty() ? lock->resource : m_config.resource;
    if (!validateResource(resource).empty()) resource = m_config.resource;
    if (m_state != LeaseClientState::Idle) {
        ctx.traceState("busy with " + m_resource + ", ignoring client_lock " + resource);
        return;
    }
    m_resource = std::move(resource);
    // The overrides hold for this acquisition only; out-of-range ones fall back to the defaults.
    m_ttlMs = lock && lock->ttl_ms > 0 && validateTtlMs(lock->ttl_ms).empty() ? lock->ttl_ms : m_config.ttlMs;
    m_holdMs = lock && lock->hold_ms >= 0 && lock->hold_ms <= kTtlMsMax ? lock->hold_ms : m_config.holdMs;
    m_attempts = 0;
    m_fencingToken = 0;
    m_readValue.clear();
    m_unlockRequested = false;
    m_lockOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, m_lockOpId, "lock", Json{{"resource", m_resource}});
    sendAcquire(ctx);
}

void LeaseLockClient::onClientUnlock(Context& ctx, const Envelope& message) {
    Result<ClientUnlock> unlock = bodyAs<ClientUnlock>(message.body);
    if (unlock && !unlock->resource.empty() && unlock->resource != m_resource) return;
    switch (m_state) {
        case LeaseClientState::Acquiring:
            // The acquire may still be granted: a release behind it on the same link frees it again
            // (a no-op if it was refused). Nobody waits for its answer.
            ctx.send(m_config.lockServer, makeBody(LockRelease{m_resource, m_token}));
            [[fallthrough]];
        case LeaseClientState::Waiting:
            m_pendingMsgId = 0;
            disarm(ctx);
            ctx.recordOp(OpPhase::Fail, m_lockOpId, "lock",
                         Json{{"resource", m_resource}, {"error", kReleasedByUser}});
            enter(ctx, LeaseClientState::Idle);
            ctx.traceState("stopped asking for " + m_resource + " (" + kReleasedByUser + ")");
            return;
        case LeaseClientState::Reading:
            // The read may or may not have been served; either way nothing will be written under it.
            ctx.recordOp(OpPhase::Unknown, m_readOpId, "read",
                         Json{{"fencing_token", m_fencingToken}, {"error", kReleasedByUser}});
            [[fallthrough]];
        case LeaseClientState::Holding:
            m_pendingMsgId = 0;
            disarm(ctx);
            ctx.traceState("gives " + m_resource + " back without writing (" + kReleasedByUser + ")");
            return startRelease(ctx);
        case LeaseClientState::Writing:
            // The write is on its way and cannot be called back; the release follows its answer.
            m_unlockRequested = true;
            ctx.traceState("releases " + m_resource + " right after the write's answer");
            return;
        case LeaseClientState::Idle:
        case LeaseClientState::Releasing:
            return;
    }
}

void LeaseLockClient::onReply(Context& ctx, const Envelope& message) {
    m_pendingMsgId = 0;
    disarm(ctx);
    switch (m_state) {
        case LeaseClientState::Acquiring:
            return onAcquireAnswer(ctx, message);
        case LeaseClientState::Reading:
            return onReadAnswer(ctx, message);
        case LeaseClientState::Writing:
            return onWriteAnswer(ctx, message);
        case LeaseClientState::Releasing:
            return onReleaseAnswer(ctx, message);
        default:
            return;
    }
}

void LeaseLockClient::onAcquireAnswer(Context& ctx, const Envelope& message) {
    Result<LockAcquireOk> ok = bodyAs<LockAcquireOk>(message.body);
    if (!ok) {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
        return acquireFailed(ctx, error ? error->text : message.body.type);
    }
    m_fencingToken = ok->fencing_token;
    ++m_locksTaken;
    ctx.recordOp(OpPhase::Ok, m_lockOpId, "lock",
                 Json{{"resource", m_resource}, {"fencing_token", m_fencingToken}});
    ctx.traceState("believes it holds " + m_resource + " (fencing token " + std::to_string(m_fencingToken) +
                   ")");
    startRead(ctx);
}

void LeaseLockClient::onReadAnswer(Context& ctx, const Envelope& message) {
    if (Result<StorageReadOk> ok = bodyAs<StorageReadOk>(message.body)) {
        m_readValue = ok->value;
        ctx.recordOp(OpPhase::Ok, m_readOpId, "read",
                     Json{{"fencing_token", m_fencingToken}, {"seq", ok->seq}, {"exists", ok->exists}});
        enter(ctx, LeaseClientState::Holding);
        return arm(ctx, m_holdMs, kTagHold);
    }
    Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
    const std::string why = error ? error->text : message.body.type;
    const bool definite = error && errorIsDefinite(ErrorCode(error->code));
    ctx.recordOp(definite ? OpPhase::Fail : OpPhase::Unknown, m_readOpId, "read",
                 Json{{"fencing_token", m_fencingToken}, {"error", why}});
    if (error && error->code == int(ErrorCode::PreconditionFailed)) {
        // The storage has seen a higher fencing token: the lease ran out and someone else holds the lock.
        ++m_locksLost;
        ctx.traceState("lost " + m_resource + " (fencing token " + std::to_string(m_fencingToken) +
                       " refused by " + message.src + "): skips its work and its write");
    }
    startRelease(ctx);
}

void LeaseLockClient::onWriteAnswer(Context& ctx, const Envelope& message) {
    if (Result<StorageWriteOk> ok = bodyAs<StorageWriteOk>(message.body)) {
        ctx.recordOp(OpPhase::Ok, m_writeOpId, "write",
                     Json{{"fencing_token", m_fencingToken}, {"seq", ok->seq}});
    } else {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
        const bool definite = error && errorIsDefinite(ErrorCode(error->code));
        ctx.recordOp(
            definite ? OpPhase::Fail : OpPhase::Unknown, m_writeOpId, "write",
            Json{{"fencing_token", m_fencingToken}, {"error", error ? error->text : message.body.type}});
    }
    startRelease(ctx);
}

void LeaseLockClient::onReleaseAnswer(Context& ctx, const Envelope& message) {
    if (Result<LockReleaseOk> ok = bodyAs<LockReleaseOk>(message.body)) {
        ctx.recordOp(OpPhase::Ok, m_unlockOpId, "unlock", Json{{"released", ok->released}});
    } else {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
        ctx.recordOp(OpPhase::Fail, m_unlockOpId, "unlock",
                     Json{{"error", error ? error->text : message.body.type}});
    }
    finish(ctx);
}

void LeaseLockClient::sendAcquire(Context& ctx) {
    ++m_attempts;
    // Unique per acquisition, even across restarts: the counter is on the client's disk.
    m_token = ctx.self() + "-" + std::to_string(ctx.store().increment(kTokenCounterKey));
    enter(ctx, LeaseClientState::Acquiring);
    m_pendingMsgId = ctx.send(m_config.lockServer, makeBody(LockAcquire{m_resource, m_token, m_ttlMs}));
    arm(ctx, m_config.requestTimeoutMs, kTagTimeout);
}

void LeaseLockClient::acquireFailed(Context& ctx, const std::string& why) {
    ++m_refusedAcquires;
    if (m_attempts >= m_config.attemptsMax) {
        ctx.recordOp(OpPhase::Fail, m_lockOpId, "lock",
                     Json{{"resource", m_resource}, {"attempts", m_attempts}, {"error", why}});
        enter(ctx, LeaseClientState::Idle);
        return;
    }
    enter(ctx, LeaseClientState::Waiting);
    const std::int64_t lo = std::max<std::int64_t>(0, m_config.retryMinMs);
    const std::int64_t hi = std::max(lo, m_config.retryMaxMs);
    arm(ctx, ctx.rng().uniform(lo, hi + 1), kTagRetry);
}

void LeaseLockClient::startRead(Context& ctx) {
    enter(ctx, LeaseClientState::Reading);
    m_readOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, m_readOpId, "read",
                 Json{{"key", m_resource}, {"fencing_token", m_fencingToken}});
    m_pendingMsgId = ctx.send(m_config.storage, makeBody(StorageRead{m_resource, m_fencingToken}));
    arm(ctx, m_config.requestTimeoutMs, kTagTimeout);
}

void LeaseLockClient::startWrite(Context& ctx) {
    enter(ctx, LeaseClientState::Writing);
    m_writeOpId = ctx.store().increment(kOpCounterKey);
    const std::string value = appendStorageEntry(m_readValue, m_token);
    ctx.recordOp(OpPhase::Invoke, m_writeOpId, "write",
                 Json{{"key", m_resource}, {"value", value}, {"fencing_token", m_fencingToken}});
    m_pendingMsgId = ctx.send(m_config.storage, makeBody(StorageWrite{m_resource, value, m_fencingToken}));
    arm(ctx, m_config.requestTimeoutMs, kTagTimeout);
}

void LeaseLockClient::startRelease(Context& ctx) {
    enter(ctx, LeaseClientState::Releasing);
    m_unlockRequested = false;
    m_unlockOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, m_unlockOpId, "unlock", Json{{"resource", m_resource}, {"token", m_token}});
    m_pendingMsgId = ctx.send(m_config.lockServer, makeBody(LockRelease{m_resource, m_token}));
    arm(ctx, m_config.requestTimeoutMs, kTagTimeout);
}

void LeaseLockClient::finish(Context& ctx) {
    enter(ctx, LeaseClientState::Idle);
    ctx.traceState("done with " + m_resource);
}

void LeaseLockClient::arm(Context& ctx, std::int64_t delayMs, std::string_view tag) {
    disarm(ctx);
    m_timer = ctx.setTimer(millis(std::max<std::int64_t>(0, delayMs)), tag);
}

void LeaseLockClient::disarm(Context& ctx) {
    if (m_timer != 0) ctx.cancelTimer(m_timer);
    m_timer = 0;
}

void LeaseLockClient::enter(Context& ctx, LeaseClientState state) {
    kLeaseClientMachine.check(m_state, state, ctx.self(), ctx.now(), m_resource);
    m_state = state;
}

}  // namespace distlab::lock
