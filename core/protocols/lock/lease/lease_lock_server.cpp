// A Redis-style lease lock server: `SET resource token NX PX ttl` to acquire, the compare-and-delete
// release script and a compare-and-expire extend from the Redis docs, leases timed on the server's own
// (possibly drifting) clock, and Kleppmann's fencing tokens. The state machine is drawn in the header.
#include "core/protocols/lock/lease/lease_lock_server.h"

#include <algorithm>
#include <cassert>
#include <optional>

namespace distlab::lock {

namespace {

const std::string kCounterStoreKey = "lease/fencing-counter";
const std::string kClockStoreKey = "lease/clock";
const std::string kTagExpiry = "lease-expiry";
constexpr std::int64_t kPpm = 1'000'000;

std::string storeKeyFor(const std::string& resource) {
    return std::string(kLeaseStorePrefix) + resource;
}

std::optional<Json> parseStored(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    Json json = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return std::nullopt;
    return json;
}

}  // namespace

std::string formatLeaseSeconds(SimTime t) {
    const bool negative = t < 0;
    const std::int64_t ms = (negative ? -t : t) / kMicrosPerMilli;
    std::string fraction = std::to_string(ms % 1000);
    fraction.insert(0, 3 - fraction.size(), '0');
    return (negative ? "-" : "") + std::to_string(ms / 1000) + "." + fraction + " s";
}

// --- the server's clock ---

SimTime LeaseClock::at(SimTime now) const {
    const SimTime elapsed = now - anchorReal;
    return anchorLocal + elapsed + elapsed * driftPpm / kPpm;
}

SimTime LeaseClock::delayUntil(SimTime now, SimTime local) const {
    const SimTime ahead = local - at(now);
    if (ahead <= 0) return 0;
    // The clock advances (kPpm + driftPpm) / kPpm microseconds per simulated microsecond; round up so
    // the timer never fires before the clock gets there (the handler re-checks anyway).
    const std::int64_t rate = kPpm + driftPpm;
    assert(rate > 0 && "drift is limited to +/-50%");
    return (ahead * kPpm + rate - 1) / rate;
}

void LeaseClock::set(SimTime now, std::int64_t newDriftPpm, SimTime jump) {
    anchorLocal = at(now) + jump;
    anchorReal = now;
    driftPpm = newDriftPpm;
}

// --- the server ---

LeaseLockServer::LeaseLockServer(LeaseLockConfig config) : m_config(config) {}

void LeaseLockServer::onStart(Context& ctx) {
    // The clock is the machine's, not the process's: a restart does not undo a drift or a jump.
    if (std::optional<Json> clock = parseStored(ctx.store().get(kClockStoreKey));
        clock && clock->is_object()) {
        m_clock.anchorReal = clock->value("anchor_real", SimTime(0));
        m_clock.anchorLocal = clock->value("anchor_local", SimTime(0));
        m_clock.driftPpm =
            std::clamp(clock->value("drift_ppm", std::int64_t(0)), -kDriftPpmMax, kDriftPpmMax);
    }
    std::vector<std::string> storedResources;
    for (const auto& [key, stored] : ctx.store().scan(kLeaseStorePrefix))
        storedResources.push_back(key.substr(kLeaseStorePrefix.size()));
    if (!m_config.persistence) {
        // Nothing of the lock table survives: Redis without AOF restarting empty. Clear anything a
        // persistent incarnation may have left, so the disk and memory agree.
        for (const std::string& resource : storedResources) ctx.store().erase(storeKeyFor(resource));
        ctx.store().erase(kCounterStoreKey);
        return;
    }
    if (std::optional<Json> counter = parseStored(ctx.store().get(kCounterStoreKey));
        counter && counter->is_number_integer()) {
        m_fencingCounter = counter->get<std::int64_t>();
    }
    for (const std::string& resource : storedResources) {
        std::optional<Json> json = parseStored(ctx.store().get(storeKeyFor(resource)));
        Lease lease;
        try {
            if (!json) json = Json();  // at() on null throws, so this lands in the catch below
            lease.token = json->at("token").get<std::string>();
            lease.holder = json->at("holder").get<std::string>();
            lease.expiresAt = json->at("expires_at").get<SimTime>();
            lease.fencingToken = json->at("fencing_token").get<std::int64_t>();
        } catch (const Json::exception&) {
            ctx.store().erase(storeKeyFor(resource));  // an unreadable entry holds nothing
            continue;
        }
        // A lease granted before the counter was written must not be out-numbered by the next grant.
        m_fencingCounter = std::max(m_fencingCounter, lease.fencingToken);
        m_leases.emplace(resource, std::move(lease));
    }
    for (const auto& [resource, lease] : std::map<std::string, Lease>(m_leases)) {
        if (!expireIfDue(ctx, resource)) {
            traceHeld(ctx, resource, lease);
            armExpiry(ctx, resource);
        }
    }
}

void LeaseLockServer::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == LockAcquire::kType) return onAcquire(ctx, message);
    if (type == LockRelease::kType) return onRelease(ctx, message);
    if (type == LockExtend::kType) return onExtend(ctx, message);
    if (type == ClockSet::kType) return onClockSet(ctx, message);
    ctx.replyNotSupported(message, "a lease lock server");
}

void LeaseLockServer::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag != kTagExpiry) return;
    auto timer = m_timerResources.find(id);
    if (timer == m_timerResources.end()) return;
    const std::string resource = timer->second;
    m_timerResources.erase(timer);
    m_expiryTimers.erase(resource);
    // The clock may have been stepped back since the timer was set: then the lease still runs.
    if (!expireIfDue(ctx, resource)) armExpiry(ctx, resource);
}

void LeaseLockServer::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "persistence"), m_config.persistence
                                                                      ? QT_TRANSLATE_NOOP("Details", "on")
                                                                      : QT_TRANSLATE_NOOP("Details", "off"));
    // The offset from simulated time after the last clock change (the drift since then comes on top).
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "clock offset"),
                     formatLeaseSeconds(m_clock.anchorLocal - m_clock.anchorReal));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "clock drift (ppm)"), std::to_string(m_clock.driftPpm));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "fencing counter"), std::to_string(m_fencingCounter));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "grants"), std::to_string(m_grants));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "refused acquires"), std::to_string(m_refusedAcquires));
    if (m_leases.empty())
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "lock"), QT_TRANSLATE_NOOP("Details", "none"));
    for (const auto& [resource, lease] : m_leases) {
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "lock"),
                         resource + ": " + lease.holder + " (" + lease.token + "), fencing " +
                             std::to_string(lease.fencingToken) + ", until " +
                             formatLeaseSeconds(lease.expiresAt));
    }
}

Json LeaseLockServer::observe(SimTime now) const {
    const SimTime local = m_clock.at(now);
    Json leases = Json::object();
    for (const auto& [resource, lease] : m_leases)
        leases[resource] = Json{{"holder", lease.holder},
                                {"ends_in", m_clock.delayUntil(now, lease.expiresAt)},
                                {"expired", lease.expiresAt <= local}};
    return Json{{"clock_offset", local - now}, {"drift_ppm", m_clock.driftPpm}, {"leases", std::move(leases)}};
}

void LeaseLockServer::onAcquire(Context& ctx, const Envelope& message) {
    Result<LockAcquire> acquire = bodyAs<LockAcquire>(message.body);
    if (!acquire) return ctx.replyError(message, ErrorCode::MalformedRequest, acquire.error().message);
    std::string problem = validateResource(acquire->resource);
    if (problem.empty()) problem = validateToken(acquire->token);
    if (problem.empty()) problem = validateTtlMs(acquire->ttl_ms);
    if (!problem.empty()) return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    // NX: only a free resource (never set, released, or expired on this server's clock) is granted, even
    // to the token that holds it now.
    if (!expireIfDue(ctx, acquire->resource)) {
        ++m_refusedAcquires;
        const Lease& held = m_leases.at(acquire->resource);
        return ctx.replyError(message, ErrorCode::PreconditionFailed,
                              acquire->resource + " is held by " + held.holder + " (fencing token " +
                                  std::to_string(held.fencingToken) + ") until " +
                                  formatLeaseSeconds(held.expiresAt) + " on " + ctx.self() + "'s clock");
    }
    if (m_leases.size() >= m_config.resourcesMax) {
        return ctx.replyError(message, ErrorCode::TemporarilyUnavailable,
                              ctx.self() + " already holds " + std::to_string(m_config.resourcesMax) +
                                  " locks; release some first");
    }
    Lease lease{acquire->token, message.src, clockNow(ctx) + millis(acquire->ttl_ms), ++m_fencingCounter};
    const std::int64_t fencingToken = lease.fencingToken;
    grant(ctx, acquire->resource, std::move(lease));
    ctx.reply(message, makeBody(LockAcquireOk{acquire->resource, fencingToken}));
}

void LeaseLockServer::onRelease(Context& ctx, const Envelope& message) {
    Result<LockRelease> release = bodyAs<LockRelease>(message.body);
    if (!release) return ctx.replyError(message, ErrorCode::MalformedRequest, release.error().message);
    std::string problem = validateResource(release->resource);
    if (problem.empty()) problem = validateToken(release->token);
    if (!problem.empty()) return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    // The release script: if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]).
    bool released = false;
    if (!expireIfDue(ctx, release->resource) && m_leases.at(release->resource).token == release->token) {
        freeResource(ctx, release->resource, "released");
        released = true;
    }
    ctx.reply(message, makeBody(LockReleaseOk{release->resource, released}));
}

void LeaseLockServer::onExtend(Context& ctx, const Envelope& message) {
    Result<LockExtend> extend = bodyAs<LockExtend>(message.body);
    if (!extend) return ctx.replyError(message, ErrorCode::MalformedRequest, extend.error().message);
    std::string problem = validateResource(extend->resource);
    if (problem.empty()) problem = validateToken(extend->token);
    if (problem.empty()) problem = validateTtlMs(extend->ttl_ms);
    if (!problem.empty()) return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    // The same script with pexpire instead of del: a lease that has already run out is not revived.
    bool extended = false;
    if (!expireIfDue(ctx, extend->resource)) {
        Lease& lease = m_leases.at(extend->resource);
        if (lease.token == extend->token) {
            lease.expiresAt = clockNow(ctx) + millis(extend->ttl_ms);
            saveLease(ctx, extend->resource);
            armExpiry(ctx, extend->resource);
            traceHeld(ctx, extend->resource, lease);
            extended = true;
        }
    }
    ctx.reply(message, makeBody(LockExtendOk{extend->resource, extended}));
}

void LeaseLockServer::onClockSet(Context& ctx, const Envelope& message) {
    Result<ClockSet> clockSet = bodyAs<ClockSet>(message.body);
    if (!clockSet) return ctx.replyError(message, ErrorCode::MalformedRequest, clockSet.error().message);
    if (std::string problem = validateClockSet(clockSet.value()); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    m_clock.set(ctx.now(), clockSet->drift_ppm, millis(clockSet->jump_ms));
    saveClock(ctx);
    // A jump forward can end leases at once; any change moves the moment the others end.
    std::vector<std::string> resources;
    for (const auto& [resource, lease] : m_leases) resources.push_back(resource);
    for (const std::string& resource : resources) {
        if (!expireIfDue(ctx, resource)) armExpiry(ctx, resource);
    }
    ctx.reply(message, makeBody(ClockSetOk{clockNow(ctx)}));
}

bool LeaseLockServer::expireIfDue(Context& ctx, const std::string& resource) {
    auto it = m_leases.find(resource);
    if (it == m_leases.end()) return true;
    if (clockNow(ctx) < it->second.expiresAt) return false;
    freeResource(ctx, resource, "expired");
    return true;
}

void LeaseLockServer::grant(Context& ctx, const std::string& resource, Lease lease) {
    assert(lease.fencingToken == m_fencingCounter && "each grant takes the next fencing token");
    auto [it, inserted] = m_leases.insert_or_assign(resource, std::move(lease));
    (void)inserted;
    ++m_grants;
    if (m_config.persistence) ctx.store().put(kCounterStoreKey, Json(m_fencingCounter).dump());
    saveLease(ctx, resource);
    armExpiry(ctx, resource);
    traceHeld(ctx, resource, it->second);
    // Who really holds the lease, as the lock service sees it: the interval opens here and closes in
    // freeResource (op id = the fencing token, unique per grant while the counter survives).
    const Lease& held = it->second;
    ctx.recordOp(OpPhase::Invoke, held.fencingToken, "holder",
                 Json{{"resource", resource}, {"client", held.holder}, {"fencing_token", held.fencingToken}});
}

void LeaseLockServer::freeResource(Context& ctx, const std::string& resource, std::string_view reason) {
    if (auto lease = m_leases.find(resource); lease != m_leases.end()) {
        ctx.recordOp(OpPhase::Ok, lease->second.fencingToken, "holder",
                     Json{{"resource", resource}, {"client", lease->second.holder}, {"reason", reason}});
    }
    if (auto timer = m_expiryTimers.find(resource); timer != m_expiryTimers.end()) {
        ctx.cancelTimer(timer->second);
        m_timerResources.erase(timer->second);
        m_expiryTimers.erase(timer);
    }
    m_leases.erase(resource);
    if (m_config.persistence) ctx.store().erase(storeKeyFor(resource));
    ctx.traceState(resource + " free");
}

void LeaseLockServer::armExpiry(Context& ctx, const std::string& resource) {
    if (auto timer = m_expiryTimers.find(resource); timer != m_expiryTimers.end()) {
        ctx.cancelTimer(timer->second);
        m_timerResources.erase(timer->second);
        m_expiryTimers.erase(timer);
    }
    const Lease& lease = m_leases.at(resource);
    const TimerId id = ctx.setTimer(m_clock.delayUntil(ctx.now(), lease.expiresAt), kTagExpiry);
    m_expiryTimers[resource] = id;
    m_timerResources[id] = resource;
}

void LeaseLockServer::traceHeld(Context& ctx, const std::string& resource, const Lease& lease) {
    ctx.traceState(lease.holder + " holds " + resource + " until " + formatLeaseSeconds(lease.expiresAt));
}

void LeaseLockServer::saveLease(Context& ctx, const std::string& resource) {
    if (!m_config.persistence) return;
    const Lease& lease = m_leases.at(resource);
    ctx.store().put(storeKeyFor(resource), Json{{"token", lease.token},
                                                {"holder", lease.holder},
                                                {"expires_at", lease.expiresAt},
                                                {"fencing_token", lease.fencingToken}}
                                               .dump());
}

void LeaseLockServer::saveClock(Context& ctx) {
    ctx.store().put(kClockStoreKey, Json{{"anchor_real", m_clock.anchorReal},
                                         {"anchor_local", m_clock.anchorLocal},
                                         {"drift_ppm", m_clock.driftPpm}}
                                        .dump());
}

}  // namespace distlab::lock
