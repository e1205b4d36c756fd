// A Redlock client (Redis docs, "Distributed locks with Redis"; the unsafe cases in Kleppmann 2016):
// majority of N lease lock servers, validity = ttl - elapsed - drift, then a read-modify-write on the
// storage under fencing token 0, for Redlock has none. The state machine is in the header.
#include "core/protocols/lock/lease/redlock_client.h"

#include <algorithm>
#include <optional>

#include "core/protocols/lock/lease/lease_lock_client.h"
#include "core/protocols/lock/lease/lease_lock_server.h"

namespace distlab::lock {

namespace {

const std::string kTokenCounterKey = "redlock/token-counter";
const std::string kOpCounterKey = "redlock/op-counter";
const std::string kTagServerTimeout = "redlock-server-timeout";
const std::string kTagRetry = "redlock-retry";
const std::string kTagHold = "redlock-hold";
const std::string kTagStorageTimeout = "redlock-storage-timeout";
const std::string kReleasedByUser = "released by the user";
// Redlock has no fencing token (see the header): its storage accesses carry "no token".
constexpr std::int64_t kNoFencingToken = 0;
// The work ends this long before the validity does, so the write leaves while the lock still counts.
constexpr std::int64_t kWriteLeadMs = 1;

}  // namespace

std::string_view redlockStateName(RedlockState state) {
    return kRedlockMachine.name(state);
}

SimTime redlockDrift(std::int64_t ttlMs) {
    return millis(ttlMs) / 100 + millis(2);
}

SimTime redlockValidity(std::int64_t ttlMs, SimTime elapsed) {
    return millis(ttlMs) - elapsed - redlockDrift(ttlMs);
}

RedlockClient::RedlockClient(RedlockClientConfig config)
    : m_config(std::move(config)), m_ttlMs(m_config.ttlMs), m_holdMs(m_config.holdMs) {}

void RedlockClient::onStart(Context&) {}

void RedlockClient::onMessage(Context& ctx, const Envelope& message) {
    if (message.body.type == ClientLock::kType) return onClientLock(ctx, message);
    if (message.body.type == ClientUnlock::kType) return onClientUnlock(ctx, message);
    if (m_pendingMsgId == 0 || !message.body.inReplyTo || *message.body.inReplyTo != m_pendingMsgId)
        return;  // a late answer (its server already timed out) or a release's answer
    if (m_state == RedlockState::Reading || m_state == RedlockState::Writing)
        return onStorageAnswer(ctx, message);
    if (m_state != RedlockState::Acquiring) return;
    if (bodyAs<LockAcquireOk>(message.body)) m_granted.insert(message.src);
    nextServer(ctx);
}

void RedlockClient::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (id != m_timer) return;
    m_timer = 0;
    if (tag == kTagServerTimeout && m_state == RedlockState::Acquiring) return nextServer(ctx);
    if (tag == kTagRetry && m_state == RedlockState::Waiting) return startRound(ctx);
    if (tag == kTagHold && m_state == RedlockState::Holding) {
        if (m_config.storage.empty()) return unlockAll(ctx);
        return startWrite(ctx);
    }
    if (tag == kTagStorageTimeout && (m_state == RedlockState::Reading || m_state == RedlockState::Writing)) {
        m_pendingMsgId = 0;
        const bool reading = m_state == RedlockState::Reading;
        ctx.recordOp(OpPhase::Unknown, reading ? m_readOpId : m_writeOpId, reading ? "read" : "write",
                     Json{{"fencing_token", kNoFencingToken}, {"error", "timeout"}});
        unlockAll(ctx);
    }
}

void RedlockClient::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "state"), std::string(redlockStateName(m_state)));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "resource"), m_resource.empty() ? "-" : m_resource);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "token"), m_token.empty() ? "-" : m_token);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "grants"),
                     std::to_string(m_granted.size()) + "/" + std::to_string(m_config.servers.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "validity"), formatLeaseSeconds(m_lastValidity));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "locks taken"), std::to_string(m_locksTaken));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "failed attempts"), std::to_string(m_failedAttempts));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "locks lost"), std::to_string(m_locksLost));
}

Json RedlockClient::observe(SimTime now) const {
    return Json{{"holds", believesItHolds(now)}, {"lease_end", m_leaseEnd}};
}

void RedlockClient::onClientLock(Context& ctx, const Envelope& message) {
    Result<ClientLock> lock = bodyAs<ClientLock>(message.body);
    std::string resource = lock && !lock->resource.empty() ? lock->resource : m_config.resource;
    if (!validateResource(resource).empty()) resource = m_config.resource;
    if (m_state != RedlockState::Idle || m_config.servers.empty()) {
        ctx.traceState("busy with " + m_resource + ", ignoring client_lock " + resource);
        return;
    }
    m_resource = std::move(resource);
    // The overrides hold for this acquisition only; out-of-range ones fall back to the defaults.
    m_ttlMs = lock && lock->ttl_ms > 0 && validateTtlMs(lock->ttl_ms).empty() ? lock->ttl_ms : m_config.ttlMs;
    m_holdMs = lock && lock->hold_ms >= 0 && lock->hold_ms <= kTtlMsMax ? lock->hold_ms : m_config.holdMs;
    m_attempts = 0;
    m_readValue.clear();
    m_lockOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, m_lockOpId, "lock",
                 Json{{"resource", m_resource}, {"servers", m_config.servers.size()}});
    startRound(ctx);
}

void RedlockClient::onClientUnlock(Context& ctx, const Envelope& message) {
    Result<ClientUnlock> unlock = bodyAs<ClientUnlock>(message.body);
    if (unlock && !unlock->resource.empty() && unlock->resource != m_resource) return;
    switch (m_state) {
        case RedlockState::Acquiring:
        case RedlockState::Waiting:
            // Some servers may have granted already (or will: a release follows each acquire on its link).
            m_pendingMsgId = 0;
            disarm(ctx);
            releaseAll(ctx);
            ctx.recordOp(OpPhase::Fail, m_lockOpId, "lock",
                         Json{{"resource", m_resource}, {"error", kReleasedByUser}});
            enter(ctx, RedlockState::Idle);
            ctx.traceState("stopped asking for " + m_resource + " (" + kReleasedByUser + ")");
            return;
        case RedlockState::Reading:
            ctx.recordOp(OpPhase::Unknown, m_readOpId, "read",
                         Json{{"fencing_token", kNoFencingToken}, {"error", kReleasedByUser}});
            [[fallthrough]];
        case RedlockState::Holding:
            m_pendingMsgId = 0;
            disarm(ctx);
            ctx.traceState("gives " + m_resource + " back without writing (" + kReleasedByUser + ")");
            return unlockAll(ctx);
        case RedlockState::Writing:
            ctx.traceState("releases " + m_resource + " right after the write's answer");
            return;
        case RedlockState::Idle:
            return;
    }
}

void RedlockClient::onStorageAnswer(Context& ctx, const Envelope& message) {
    m_pendingMsgId = 0;
    disarm(ctx);
    const bool reading = m_state == RedlockState::Reading;
    if (reading) {
        if (Result<StorageReadOk> ok = bodyAs<StorageReadOk>(message.body)) {
            m_readValue = ok->value;
            ctx.recordOp(OpPhase::Ok, m_readOpId, "read",
                         Json{{"fencing_token", kNoFencingToken}, {"seq", ok->seq}, {"exists", ok->exists}});
            return startWork(ctx);
        }
    } else if (Result<StorageWriteOk> ok = bodyAs<StorageWriteOk>(message.body)) {
        ctx.recordOp(OpPhase::Ok, m_writeOpId, "write",
                     Json{{"fencing_token", kNoFencingToken}, {"seq", ok->seq}});
        return unlockAll(ctx);
    }
    Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
    const bool definite = error && errorIsDefinite(ErrorCode(error->code));
    ctx.recordOp(
        definite ? OpPhase::Fail : OpPhase::Unknown, reading ? m_readOpId : m_writeOpId,
        reading ? "read" : "write",
        Json{{"fencing_token", kNoFencingToken}, {"error", error ? error->text : message.body.type}});
    // A refused or failed read leaves nothing to modify: give the lock back without writing.
    unlockAll(ctx);
}

void RedlockClient::startRound(Context& ctx) {
    ++m_attempts;
    // Step 1: the current time, against which the whole round is measured.
    m_roundStart = ctx.now();
    m_token = ctx.self() + "-" + std::to_string(ctx.store().increment(kTokenCounterKey));
    m_granted.clear();
    m_serverIndex = 0;
    enter(ctx, RedlockState::Acquiring);
    askServer(ctx);
}

void RedlockClient::askServer(Context& ctx) {
    // Step 2: the same key and token on every server, each with a timeout small next to the TTL, so a
    // server that is down does not eat the lease.
    const NodeId& server = m_config.servers.at(m_serverIndex);
    m_pendingMsgId = ctx.send(server, makeBody(LockAcquire{m_resource, m_token, m_ttlMs}));
    arm(ctx, millis(m_config.perServerTimeoutMs), kTagServerTimeout);
}

void RedlockClient::nextServer(Context& ctx) {
    disarm(ctx);
    m_pendingMsgId = 0;
    if (++m_serverIndex < m_config.servers.size()) return askServer(ctx);
    decide(ctx);
}

void RedlockClient::decide(Context& ctx) {
    // Step 3: a majority, and time left after the elapsed time and the drift allowance.
    const SimTime elapsed = ctx.now() - m_roundStart;
    m_lastValidity = redlockValidity(m_ttlMs, elapsed);
    const std::size_t quorum = redlockQuorum(m_config.servers.size());
    const Json round{{"resource", m_resource},          {"token", m_token},
                     {"grants", m_granted.size()},      {"quorum", quorum},
                     {"elapsed_ms", toMillis(elapsed)}, {"validity_ms", toMillis(m_lastValidity)}};
    if (m_granted.size() >= quorum && m_lastValidity > 0) {
        // Step 4: the validity is the lease the client works under.
        ++m_locksTaken;
        m_leaseEnd = ctx.now() + m_lastValidity;
        Json ok = round;
        ok["fencing_token"] = kNoFencingToken;
        ctx.recordOp(OpPhase::Ok, m_lockOpId, "lock", std::move(ok));
        ctx.traceState("believes it holds " + m_resource + " for " + formatLeaseSeconds(m_lastValidity) +
                       " (" + std::to_string(m_granted.size()) + " grants)");
        if (m_config.storage.empty()) return startWork(ctx);
        return startRead(ctx);
    }
    // Step 5: failed, so unlock every server, even those that seemed not to answer: a grant may have
    // arrived after its timeout.
    ++m_failedAttempts;
    releaseAll(ctx);
    ctx.traceState("no lock on " + m_resource + ": " + std::to_string(m_granted.size()) +
                   " grants, validity " + formatLeaseSeconds(m_lastValidity));
    if (m_attempts >= m_config.attemptsMax) {
        ctx.recordOp(OpPhase::Fail, m_lockOpId, "lock", round);
        enter(ctx, RedlockState::Idle);
        return;
    }
    enter(ctx, RedlockState::Waiting);
    const std::int64_t lo = std::max<std::int64_t>(0, m_config.retryMinMs);
    const std::int64_t hi = std::max(lo, m_config.retryMaxMs);
    arm(ctx, millis(ctx.rng().uniform(lo, hi + 1)), kTagRetry);
}

void RedlockClient::startRead(Context& ctx) {
    enter(ctx, RedlockState::Reading);
    m_readOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, m_readOpId, "read",
                 Json{{"key", m_resource}, {"fencing_token", kNoFencingToken}});
    m_pendingMsgId = ctx.send(m_config.storage, makeBody(StorageRead{m_resource, kNoFencingToken}));
    arm(ctx, millis(m_config.storageTimeoutMs), kTagStorageTimeout);
}

void RedlockClient::startWork(Context& ctx) {
    // A read that came back after the validity ran out (a slow storage, a pause) leaves no lock to work
    // under: another client may hold it by now.
    if (ctx.now() >= m_leaseEnd) return loseLock(ctx, "before its work could start");
    // The work must end inside the validity, which the read has already eaten into, with the write sent
    // before the validity runs out.
    enter(ctx, RedlockState::Holding);
    arm(ctx, std::min(millis(m_holdMs), m_leaseEnd - ctx.now() - millis(kWriteLeadMs)), kTagHold);
}

void RedlockClient::startWrite(Context& ctx) {
    // The validity is all a Redlock client has to go on (no fencing token protects its write): once it
    // has run out, writing would overwrite whatever the next holder did.
    if (ctx.now() >= m_leaseEnd) return loseLock(ctx, "before its write could be sent");
    enter(ctx, RedlockState::Writing);
    m_writeOpId = ctx.store().increment(kOpCounterKey);
    const std::string value = appendStorageEntry(m_readValue, m_token);
    ctx.recordOp(OpPhase::Invoke, m_writeOpId, "write",
                 Json{{"key", m_resource}, {"value", value}, {"fencing_token", kNoFencingToken}});
    m_pendingMsgId = ctx.send(m_config.storage, makeBody(StorageWrite{m_resource, value, kNoFencingToken}));
    arm(ctx, millis(m_config.storageTimeoutMs), kTagStorageTimeout);
}

void RedlockClient::loseLock(Context& ctx, const std::string& when) {
    ++m_locksLost;
    ctx.traceState("lost " + m_resource + ": its validity ran out at " + formatMillis(m_leaseEnd) + " " +
                   when + " (" + formatMillis(ctx.now()) + "); skips its write");
    unlockAll(ctx, "validity ran out");
}

void RedlockClient::unlockAll(Context& ctx, const std::string& lostReason) {
    disarm(ctx);
    m_pendingMsgId = 0;
    const std::int64_t unlockOpId = ctx.store().increment(kOpCounterKey);
    ctx.recordOp(OpPhase::Invoke, unlockOpId, "unlock", Json{{"resource", m_resource}, {"token", m_token}});
    releaseAll(ctx);
    // Fire and forget, as the docs' release: a server that does not answer lets the lease expire.
    Json result{{"servers", m_config.servers.size()}};
    if (!lostReason.empty()) {
        result["lost"] = true;
        result["reason"] = lostReason;
    }
    ctx.recordOp(OpPhase::Ok, unlockOpId, "unlock", std::move(result));
    enter(ctx, RedlockState::Idle);
    ctx.traceState("released " + m_resource + " on all " + std::to_string(m_config.servers.size()));
}

void RedlockClient::releaseAll(Context& ctx) {
    for (const NodeId& server : m_config.servers) {
        ctx.send(server, makeBody(LockRelease{m_resource, m_token}));
        ++m_releasesSent[server];
    }
}

void RedlockClient::arm(Context& ctx, SimTime delay, std::string_view tag) {
    disarm(ctx);
    m_timer = ctx.setTimer(std::max<SimTime>(0, delay), tag);
}

void RedlockClient::disarm(Context& ctx) {
    if (m_timer != 0) ctx.cancelTimer(m_timer);
    m_timer = 0;
}

void RedlockClient::enter(Context& ctx, RedlockState state) {
    kRedlockMachine.check(m_state, state, ctx.self(), ctx.now(), m_resource);
    m_state = state;
}

}  // namespace distlab::lock
