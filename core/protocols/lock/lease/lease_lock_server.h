#pragma once
// A Redis-style lease lock server: acquire is `SET resource token NX PX ttl`, release and extend are the
// compare-and-delete / compare-and-expire scripts from the Redis docs ("Distributed locks with Redis"),
// and every grant carries a strictly increasing fencing token (Kleppmann, "How to do distributed
// locking", 2016).
//
// One resource, on the server:
//
//   FREE --lock_acquire{token, ttl}--> HELD(token, until = clock + ttl, fencing = ++counter)
//   HELD --lock_acquire (any token, even the holder's: NX)--> HELD, error 22 precondition-failed
//   HELD --lock_extend{holder's token, ttl}--> HELD(until = clock + ttl)   (extended = true)
//   HELD --lock_extend{other token}--> HELD                                 (extended = false)
//   HELD --lock_release{holder's token}--> FREE                             (released = true)
//   HELD --lock_release{other token}--> HELD                                (released = false, a no-op)
//   HELD --clock >= until--> FREE
//
// Every lease is recorded as an operation of the server process, so that checkers and the lock view see
// who really held the lock, next to who believed it did:
//   holder invoke {resource, client, fencing_token}              when the lease is granted
//   holder ok     {resource, client, reason: released|expired}   when the owner releases it, or when the
//                                                                server's expiry timer (or a request or a
//                                                                clock step) finds it run out
// The op id is the grant's fencing token. A crash without persistence ends a lease silently (the new
// process knows nothing of it; whoever reads the history closes such intervals at the crash); with
// persistence the restarted process closes the interval itself when the lease ends.
//
// "clock" is the server's own clock, which a fault can make drift or jump (clock_set): the lease
// expires when the server thinks it has, whatever the clients think. With persistence on, the lock
// table and the fencing counter are written to the node's disk and survive a restart; with it off a
// restart forgets every lease, the documented unsafe case in which a second client gets a lock the
// first still believes it holds.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/lock/lease/lease_messages.h"

namespace distlab::lock {

struct LeaseLockConfig {
    bool persistence = true;            // the lock table and the fencing counter survive a restart
    std::size_t resourcesMax = 10'000;  // held locks at once; beyond it an acquire gets error 11
};

// One held lock. Times are on the server's clock.
struct Lease {
    std::string token;
    NodeId holder;  // the node that acquired it (for traces and the inspector)
    SimTime expiresAt = 0;
    std::int64_t fencingToken = 0;
};

// The server's clock: simulated time scaled by (1 + driftPpm / 1e6) since the last change, plus the
// steps (jumps) applied so far. Continuous across drift changes.
struct LeaseClock {
    SimTime anchorReal = 0;   // simulated time of the last change
    SimTime anchorLocal = 0;  // the server's clock at that moment
    std::int64_t driftPpm = 0;

    SimTime at(SimTime now) const;
    // Simulated time from `now` until the clock shows `local` (at least 0, rounded up).
    SimTime delayUntil(SimTime now, SimTime local) const;
    // Applies a clock_set at `now`: a step of jump, then the new rate.
    void set(SimTime now, std::int64_t newDriftPpm, SimTime jump);
};

// The node's disk: "lease/lock/<resource>" -> lease, "lease/fencing-counter", "lease/clock". The clock
// belongs to the machine, so it is kept even with persistence off.
constexpr std::string_view kLeaseStorePrefix = "lease/lock/";

class LeaseLockServer : public CopyableNode<LeaseLockServer> {
public:
    explicit LeaseLockServer(LeaseLockConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "persistence", "clock offset", "clock drift (ppm)", "fencing counter", "grants",
    // "refused acquires", and one "lock" row per held resource.
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    // Report: {"clock_offset": server clock - now (us), "drift_ppm", "leases": {resource: {"holder",
    // "ends_in": time until the server's clock reaches the expiry (us, 0 when passed), "expired": bool}}}.
    Json observe(SimTime now) const override;

    const LeaseLockConfig& config() const { return m_config; }
    // Leases as this process knows them; one whose time has passed stays here until the server notices
    // (its expiry timer or the next request on that resource).
    const std::map<std::string, Lease>& leases() const { return m_leases; }
    const LeaseClock& clock() const { return m_clock; }
    std::int64_t fencingCounter() const { return m_fencingCounter; }
    std::uint64_t grants() const { return m_grants; }
    std::uint64_t refusedAcquires() const { return m_refusedAcquires; }

private:
    void onAcquire(Context& ctx, const Envelope& message);
    void onRelease(Context& ctx, const Envelope& message);
    void onExtend(Context& ctx, const Envelope& message);
    void onClockSet(Context& ctx, const Envelope& message);

    SimTime clockNow(Context& ctx) const { return m_clock.at(ctx.now()); }
    // Frees the resource if its lease has run out on the server's clock; true if it is free now.
    bool expireIfDue(Context& ctx, const std::string& resource);
    void grant(Context& ctx, const std::string& resource, Lease lease);
    // Ends the lease for `reason` ("released" or "expired") and records the end of its holder interval.
    void freeResource(Context& ctx, const std::string& resource, std::string_view reason);
    void armExpiry(Context& ctx, const std::string& resource);
    void traceHeld(Context& ctx, const std::string& resource, const Lease& lease);
    void saveLease(Context& ctx, const std::string& resource);
    void saveClock(Context& ctx);

    LeaseLockConfig m_config;
    LeaseClock m_clock;
    std::map<std::string, Lease> m_leases;
    std::map<std::string, TimerId> m_expiryTimers;  // resource -> its expiry timer
    std::map<TimerId, std::string> m_timerResources;
    std::int64_t m_fencingCounter = 0;  // the last fencing token granted
    std::uint64_t m_grants = 0;
    std::uint64_t m_refusedAcquires = 0;
};

// "3.215 s": a time with millisecond precision, locale-independent.
std::string formatLeaseSeconds(SimTime t);

}  // namespace distlab::lock
