// Invariant checkers for the ZooKeeper-style lock: grants in sequence order (the recipe's fairness), and
// one wakeup per release (the point of watching only the predecessor, Hunt et al. 2010, section 2.4).
#include "core/check/zk_lock_checks.h"

#include "core/check/check_support.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace distlab {

namespace {

using check::addNode;
using check::attachEvents;
using check::countText;
using check::examplesText;
using check::intField;
using check::kExamplesMax;
using check::noteTruncation;
constexpr std::size_t kWokenNamesMax = 8;

// The processes that recorded holder ops as a coordination server: those whose holder invokes name the
// lock node. A lease lock server records holder ops too (without lock_node), and a resource may be
// locked through both at once: its holders are another lock's, not the ZooKeeper queue's.
std::set<std::string> coordinationServers(const std::vector<ClientOp>& ops) {
    std::set<std::string> servers;
    for (const ClientOp& op : ops) {
        if (op.f == "holder" && op.phase == OpPhase::Invoke && !stringField(op.value, "lock_node").empty())
            servers.insert(op.process);
    }
    return servers;
}

const std::string& nameOrEmpty(const Trace& trace, std::uint32_t id) {
    static const std::string empty;
    return id == kNoName ? empty : trace.name(id);
}

// The server's lowest node of one lock directory, as its holder ops tell it.
struct ServerHolder {
    std::string server;  // the process that recorded it
    std::string client;
    std::string lockNode;
    std::int64_t token = 0;
    SimTime since = 0;
    std::uint64_t event = kNoTraceEvent;
};

struct Grant {
    std::string client;
    std::string lockNode;
    std::int64_t token = 0;
    SimTime at = 0;
    std::uint64_t event = kNoTraceEvent;
};

std::string grantText(const Grant& grant) {
    return grant.client + " was granted the lock with token " + std::to_string(grant.token) + " (node " +
           grant.lockNode + ") at " + formatMillis(grant.at);
}

// One release and the watch events it caused.
struct Release {
    std::string resource;
    std::string client;
    std::string reason;
    std::int64_t token = 0;
    SimTime at = 0;
    std::uint64_t event = kNoTraceEvent;
    std::vector<std::string> woken;  // in delivery order
    std::vector<std::uint64_t> wakeEvents;
};

struct WakeupScan {
    std::vector<Release> releases;
    std::uint64_t wakeups = 0;
};

// "/locks/r" for a watch on the directory or on one of its nodes; empty otherwise.
bool underLockDir(const std::string& path, const std::string& resource) {
    const std::string dir = "/locks/" + resource;
    return path == dir ||
           (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/');
}

// Whether the node that received the watch event at `deliver` acted on it: its first message sent in
// the same step (before it handles anything else) asks for the lock directory's children again.
bool actedOn(const Trace& trace, std::uint64_t deliver) {
    const auto& events = trace.events();
    const std::uint32_t node = events[deliver].node;
    for (std::uint64_t i = deliver + 1; i < events.size(); ++i) {
        const TraceEvent& event = events[i];
        if (event.node != node) continue;
        if (event.kind == TraceKind::Send)
            return event.ref < trace.messageCount() &&
                   trace.message(event.ref).envelope.body.type == "get_children";
        if (event.kind != TraceKind::State && event.kind != TraceKind::TimerSet &&
            event.kind != TraceKind::TimerCancel && event.kind != TraceKind::Client)
            return false;  // it went on to something else without asking
    }
    return false;
}

WakeupScan scanWakeups(const Trace& trace) {
    WakeupScan scan;
    const std::vector<ClientOp>& ops = trace.clientOps();
    const std::set<std::string> servers = coordinationServers(ops);
    std::map<std::uint32_t, std::size_t> openRelease;       // server node -> the release whose change runs
    std::map<std::uint64_t, std::size_t> releaseOfMessage;  // watch_event seq -> release
    const auto& events = trace.events();
    for (std::uint64_t i = 0; i < events.size(); ++i) {
        const TraceEvent& event = events[i];
        switch (event.kind) {
            case TraceKind::Client: {
                if (event.ref >= ops.size()) break;
                const ClientOp& op = ops[event.ref];
                if (op.f != "holder" || op.phase != OpPhase::Ok || !servers.count(op.process)) break;
                Release release;
                release.resource = stringField(op.value, "resource");
                release.client = stringField(op.value, "client");
                release.reason = stringField(op.value, "reason");
                release.token = intField(op.value, "fencing_token").value_or(op.opId);
                release.at = op.time;
                release.event = i;
                scan.releases.push_back(std::move(release));
                openRelease[event.node] = scan.releases.size() - 1;
                break;
            }
            case TraceKind::State:
            case TraceKind::Crash:
                openRelease.erase(event.node);  // the server's next change (or its end) begins
                break;
            case TraceKind::Send: {
                auto open = openRelease.find(event.node);
                if (open == openRelease.end() || event.ref >= trace.messageCount()) break;
                const Body& body = trace.message(event.ref).envelope.body;
                if (body.type != "watch_event") break;
                if (underLockDir(stringField(body.fields, "path"), scan.releases[open->second].resource))
                    releaseOfMessage[event.ref] = open->second;
                break;
            }
            case TraceKind::Deliver: {
                if (event.ref >= trace.messageCount()) break;
                if (trace.message(event.ref).envelope.body.type != "watch_event") break;
                if (!actedOn(trace, i)) break;  // a watch left behind by a client that stopped waiting
                ++scan.wakeups;
                auto owner = releaseOfMessage.find(event.ref);
                if (owner == releaseOfMessage.end()) break;
                Release& release = scan.releases[owner->second];
                release.woken.push_back(nameOrEmpty(trace, event.node));
                release.wakeEvents.push_back(i);
                break;
            }
            default:
                break;
        }
    }
    return scan;
}

std::string wokenText(std::vector<std::string> woken) {
    std::sort(woken.begin(), woken.end());
    std::string text;
    for (std::size_t i = 0; i < woken.size() && i < kWokenNamesMax; ++i) {
        if (i > 0) text += i + 1 == woken.size() ? " and " : ", ";
        text += woken[i];
    }
    if (woken.size() > kWokenNamesMax)
        text += " and " + std::to_string(woken.size() - kWokenNamesMax) + " more";
    return text;
}

}  // namespace

CheckResult checkFifoGrants(const Trace& trace) {
    CheckResult result;
    result.name = "fifo-grants";
    const std::vector<ClientOp>& ops = trace.clientOps();

    // Only a coordination server's holder ops describe the ZooKeeper queue (see coordinationServers).
    const std::set<std::string> servers = coordinationServers(ops);
    std::set<std::string> serverJudged;  // resources whose coordination server recorded holder ops
    for (const ClientOp& op : ops) {
        if (op.f == "holder" && servers.count(op.process))
            serverJudged.insert(stringField(op.value, "resource"));
    }

    std::map<std::string, ServerHolder> lowest;  // resource -> the server's lowest node now
    std::map<std::string, Grant> lastLive;       // resource -> the previous judged grant
    std::set<std::string> resources;
    std::size_t grants = 0, live = 0, stale = 0, violations = 0;
    std::vector<std::string> examples;
    std::set<std::uint64_t> events;
    auto violation = [&](std::string text, std::initializer_list<std::uint64_t> where) {
        ++violations;
        if (examples.size() < kExamplesMax) examples.push_back(std::move(text));
        for (std::uint64_t e : where)
            if (e != kNoTraceEvent) events.insert(e);
    };

    const auto& traceEvents = trace.events();
    for (std::uint64_t i = 0; i < traceEvents.size(); ++i) {
        const TraceEvent& event = traceEvents[i];
        if (event.kind == TraceKind::Crash) {
            // A crashed server forgets its znodes: nobody holds its locks any more.
            const std::string& node = nameOrEmpty(trace, event.node);
            if (!servers.count(node)) continue;
            for (auto it = lowest.begin(); it != lowest.end();)
                it = it->second.server == node ? lowest.erase(it) : std::next(it);
            continue;
        }
        if (event.kind != TraceKind::Client || event.ref >= ops.size()) continue;
        const ClientOp& op = ops[event.ref];
        const std::string resource = stringField(op.value, "resource");
        if (op.f == "holder") {
            if (!servers.count(op.process)) continue;  // another lock's holder (a lease server's)
            const std::int64_t token = intField(op.value, "fencing_token").value_or(op.opId);
            if (op.phase == OpPhase::Invoke) {
                lowest[resource] = ServerHolder{op.process,
                                                stringField(op.value, "client"),
                                                stringField(op.value, "lock_node"),
                                                token,
                                                op.time,
                                                i};
            } else if (auto it = lowest.find(resource); it != lowest.end() && it->second.token == token) {
                lowest.erase(it);
            }
            continue;
        }
        if (op.f != "lock" || op.phase != OpPhase::Ok) continue;
        const std::string lockNode = stringField(op.value, "lock_node");
        const std::optional<std::int64_t> token = intField(op.value, "fencing_token");
        if (lockNode.empty() || !token) continue;  // not a ZooKeeper-lock grant
        ++grants;
        resources.insert(resource);
        const Grant grant{op.process, lockNode, *token, op.time, i};

        if (serverJudged.count(resource)) {
            auto holder = lowest.find(resource);
            if (holder != lowest.end() && holder->second.token < grant.token) {
                const ServerHolder& first = holder->second;
                violation(grantText(grant) + " on " + resource + ", but node " + first.lockNode + " of " +
                              (first.client.empty() ? std::string("another session") : first.client) +
                              ", created earlier (token " + std::to_string(first.token) +
                              "), was still alive and first in line at the server (since " +
                              formatMillis(first.since) + "): the grant skipped it.",
                          {i, first.event});
                continue;
            }
            if (holder == lowest.end() || holder->second.token != grant.token) {
                ++stale;  // its node was already gone: the client learnt of the grant too late
                continue;
            }
        }
        ++live;
        auto previous = lastLive.find(resource);
        if (previous != lastLive.end() && previous->second.token >= grant.token) {
            violation(grantText(grant) + " on " + resource + ", after " + grantText(previous->second) +
                          ": grants must carry strictly increasing fencing tokens, the creation order of "
                          "their nodes.",
                      {i, previous->second.event});
        }
        lastLive[resource] = grant;
    }
    attachEvents(result, events);

    if (grants == 0) {
        result.explanation =
            "No ZooKeeper-lock grants (lock ok ops naming a lock node) in the history, so there is nothing "
            "to check: the check passes vacuously.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "No ZooKeeper-lock grants in the history, so there is nothing "
                                                          "to check: the check passes vacuously."));
    } else if (violations == 0) {
        result.explanation = "The " + countText(grants, "ZooKeeper-lock grant") + " on " +
                             countText(resources.size(), "resource") +
                             " followed the queue: every grant made while its node was first in line carried "
                             "a higher fencing token than the one before, and none passed over an older "
                             "node that was still waiting.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "The ZooKeeper-lock grants (%1 in all) followed the queue: "
                                                          "every grant made while its node was first in line carried a "
                                                          "higher fencing token than the one before, and none passed "
                                                          "over an older node that was still waiting."),
                               grants);
        if (stale > 0) result.text = Text{};  // the note on late grants is in the English paragraph only
        if (stale > 0)
            result.explanation += " " + countText(stale, "grant was", "grants were") +
                                  " learnt by clients after their node was already gone (their session had "
                                  "ended, e.g. during a pause); no lock service can prevent that, and the "
                                  "storage's fencing check is what stops such a client's writes.";
    } else {
        result.ok = false;
        result.explanation = countText(violations, "grant broke", "grants broke") +
                             " the first-come, first-served order of the ZooKeeper lock (" +
                             countText(live, "judged grant") + " of " + std::to_string(grants) + ")." +
                             examplesText(examples, violations) +
                             " In the recipe a client holds the lock only when its sequential node is the "
                             "lowest, so grants follow the order in which the nodes were created.";
    }
    noteTruncation(result, trace);
    return result;
}

ZkWakeupStats zkWakeupStats(const Trace& trace) {
    const WakeupScan scan = scanWakeups(trace);
    ZkWakeupStats stats;
    stats.releases = scan.releases.size();
    stats.wakeups = scan.wakeups;
    for (const Release& release : scan.releases)
        stats.maxPerRelease = std::max<std::uint64_t>(stats.maxPerRelease, release.woken.size());
    return stats;
}

CheckResult checkWakeupsPerRelease(const Trace& trace) {
    CheckResult result;
    result.name = "wakeups-per-release";
    const WakeupScan scan = scanWakeups(trace);

    std::uint64_t attributed = 0;
    const Release* worst = nullptr;
    std::size_t herds = 0;
    std::set<std::uint64_t> events;
    for (const Release& release : scan.releases) {
        attributed += release.woken.size();
        if (!worst || release.woken.size() > worst->woken.size()) worst = &release;
        if (release.woken.size() > 1) {
            ++herds;
            events.insert(release.event);
            for (std::uint64_t e : release.wakeEvents) events.insert(e);
        }
    }
    attachEvents(result, events);

    if (scan.releases.empty()) {
        result.explanation =
            "No lock holder was released in this run (the coordination server recorded no "
            "holder changes), so no wakeups can be attributed: the check passes vacuously (" +
            countText(scan.wakeups, "wakeup") + " in all).";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "No lock holder was released in this run, so no wakeups can "
                                                          "be attributed: the check passes vacuously."));
        noteTruncation(result, trace);
        return result;
    }
    const std::string summary =
        countText(scan.releases.size(), "release") + " woke " + countText(attributed, "waiter") +
        " (at most " + std::to_string(worst->woken.size()) + " per release); " +
        countText(scan.wakeups, "wakeup") + " in all, the rest on nodes joining or leaving the queue.";
    const std::string worstText =
        "at " + formatMillis(worst->at) + " " +
        (worst->client.empty() ? std::string("a session") : worst->client) + "'s hold on " + worst->resource +
        " (token " + std::to_string(worst->token) + ") ended (" +
        (worst->reason.empty() ? std::string("released") : worst->reason) + ")" +
        (worst->woken.empty() ? std::string(" and woke nobody") : " and woke " + wokenText(worst->woken));
    if (herds == 0) {
        result.explanation = summary +
                             " No release woke more than one waiter: each woke only the next in "
                             "line, as the predecessor watch intends. The busiest: " +
                             worstText + ".";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "No release woke more than one waiter (releases: %1): each woke "
                                                          "only the next in line, as the predecessor watch intends."),
                               scan.releases.size());
    } else {
        result.ok = false;
        // The evidence: the holder whose release woke the herd, then the waiters it woke, at that moment.
        addNode(result, worst->client);
        std::vector<std::string> woken = worst->woken;
        std::sort(woken.begin(), woken.end());
        std::string wokenList;
        for (const std::string& node : woken) {
            addNode(result, node);
            wokenList += (wokenList.empty() ? "" : ", ") + node;
        }
        result.at = worst->at;
        result.text = makeText(
            QT_TRANSLATE_NOOP("Core", "%1 of %2 releases woke several waiters for a lock only one of them can take "
                                      "(the herd effect); one woke as many as %3. The worst: at %4 %5's hold on %6 "
                                      "(token %7) ended and woke %8. Each woken waiter lists the children again and "
                                      "all but one go back to sleep; watching only the next-lower node wakes exactly "
                                      "the next in line."),
            herds, scan.releases.size(), worst->woken.size(), formatMillis(worst->at),
            worst->client, worst->resource, worst->token, wokenList);
        if (worst->client.empty()) result.text = Text{};  // a session without a client: the paragraph says so
        result.explanation = summary + " " + countText(herds, "release woke", "releases woke") +
                             " several waiters for a lock only one of them can take (the herd effect). The "
                             "worst: " +
                             worstText +
                             ". Each woken waiter lists the children again and all "
                             "but one go back to sleep; watching only the next-lower node wakes exactly the "
                             "next in line.";
    }
    noteTruncation(result, trace);
    return result;
}

}  // namespace distlab
