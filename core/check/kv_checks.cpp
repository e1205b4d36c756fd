// Invariant checkers for the Dynamo-style demo store: replica agreement over each key's preference
// list on the consistent-hash ring, and Jepsen-style "no acknowledged write lost" and "acknowledged
// operations respect real-time order" over the history.
#include "core/check/kv_checks.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/node/json_fields.h"
#include "core/protocols/kv/kv_messages.h"
#include "core/protocols/kv/kv_server.h"

namespace distlab {

namespace {

constexpr std::size_t kExamplesMax = 3;  // problems spelled out in an explanation
constexpr std::size_t kEventsMax = 64;   // trace events attached to a verdict
constexpr std::uint64_t kNoEvent = kNoTraceEvent;

struct Replica {
    std::string id;
    const DurableStore* store = nullptr;
};

// The first `replicas` nodes clockwise from the key that the checker can ask: not declared down, and Up
// or Paused in the world. The protocol does not skip a paused node (a stop-the-world pause looks like a
// slow node, not a dead one), so neither does the checker.
std::vector<Replica> usablePreferenceList(const std::vector<KvNodeState>& nodes, const ring::HashRing& ring,
                                          const std::vector<std::string>& downNodes, int replicas,
                                          const std::string& key) {
    std::vector<const DurableStore*> usable(ring.nodeCount(), nullptr);
    for (std::size_t i = 0; i < ring.nodeCount(); ++i) {
        const std::string& id = ring.nodeIds()[i];
        if (std::find(downNodes.begin(), downNodes.end(), id) != downNodes.end()) continue;
        auto node = std::find_if(nodes.begin(), nodes.end(), [&id](const KvNodeState& n) { return n.id == id; });
        if (node != nodes.end() && node->usable) usable[i] = node->store;
    }
    std::vector<Replica> out;
    if (ring.nodeCount() == 0 || replicas < 1) return out;
    const std::uint64_t h = ring::keyHash(ring.config().hash, key);
    auto isUsable = [&](int i) { return usable[static_cast<std::size_t>(i)] != nullptr; };
    for (int i : ring.preferenceList(h, static_cast<std::size_t>(replicas), isUsable))
        out.push_back({ring.nodeIds()[static_cast<std::size_t>(i)], usable[static_cast<std::size_t>(i)]});
    return out;
}


std::string entryText(const std::optional<kv::Entry>& entry) {
    if (!entry) return "nothing";
    return kv::versionText(entry->version) + " (\"" + entry->value + "\")";
}

std::optional<kv::Version> versionField(const Json& value) {
    if (!value.is_object()) return std::nullopt;
    auto it = value.find("version");
    if (it == value.end() || !it->is_object()) return std::nullopt;
    try {
        return it->get<kv::Version>();
    } catch (const Json::exception&) {
        return std::nullopt;
    }
}

void addEvent(std::vector<std::uint64_t>& events, std::uint64_t event) {
    if (event != kNoEvent && events.size() < kEventsMax) events.push_back(event);
}

// "1917 ms", or "1917.250 ms" when the time is not a whole millisecond.
std::string msText(SimTime t) {
    std::string text = std::to_string(t / kMicrosPerMilli);
    if (const SimTime rest = t % kMicrosPerMilli; rest != 0) {
        std::string fraction = std::to_string(rest < 0 ? -rest : rest);
        text += "." + std::string(3 - fraction.size(), '0') + fraction;
    }
    return text + " ms";
}

// One operation of the history that completed ok: its invoke and its completion.
struct CompletedOp {
    std::size_t invoke = 0;  // index in clientOps()
    std::size_t done = 0;
    SimTime invokedAt = 0;
    SimTime doneAt = 0;
    kv::Version version;  // empty for a get that found no value
};

}  // namespace

CheckResult checkReplicasAgree(const Trace& trace, const std::vector<KvNodeState>& nodes, const ring::HashRing& ring,
                               const std::vector<std::string>& downNodes, int replicas) {
    CheckResult result;
    result.name = "replicas-agree";

    std::set<std::string> keys;
    for (const KvNodeState& node : nodes)
        for (const kv::Entry& entry : kv::readEntries(DiskReader(*node.store))) keys.insert(entry.key);

    std::vector<std::string> examples;
    std::map<std::string, std::set<std::string>> disagreeingValues;  // key -> values some replica holds
    std::size_t disagreeing = 0;
    for (const std::string& key : keys) {
        std::vector<Replica> list = usablePreferenceList(nodes, ring, downNodes, replicas, key);
        std::vector<std::optional<kv::Entry>> held;
        for (const Replica& replica : list) held.push_back(kv::readEntry(DiskReader(*replica.store), key));
        auto versionOf = [](const std::optional<kv::Entry>& e) { return e ? e->version : kv::Version{}; };
        const bool agree = std::all_of(held.begin(), held.end(), [&](const std::optional<kv::Entry>& e) {
            return versionOf(e) == versionOf(held.front());
        });
        if (agree) continue;
        ++disagreeing;
        if (examples.size() < kExamplesMax) {
            std::string text = key + ": ";
            for (std::size_t r = 0; r < list.size(); ++r) {
                if (r > 0) text += ", ";
                text += list[r].id + " has " + entryText(held[r]);
                if (held[r]) disagreeingValues[key].insert(held[r]->value);
            }
            examples.push_back(std::move(text));
        }
    }

    if (disagreeing == 0) {
        result.explanation = "All " + std::to_string(keys.size()) +
                             " keys have identical versions on their " + std::to_string(replicas) +
                             " replicas.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "All %1 keys have identical versions on their %2 replicas."),
                               keys.size(), replicas);
        return result;
    }
    result.ok = false;
    result.text = makeText(QT_TRANSLATE_NOOP("Core", "%1 of %2 keys have replicas that disagree: which value a reader "
                                                     "sees depends on which replica answers, and if the owner "
                                                     "fails an acknowledged write can disappear."),
                           disagreeing, keys.size());
    std::string text = std::to_string(disagreeing) + " of " + std::to_string(keys.size()) +
                       " keys have replicas that disagree. ";
    for (std::size_t i = 0; i < examples.size(); ++i) text += (i > 0 ? "; " : "") + examples[i];
    if (disagreeing > examples.size())
        text += "; and " + std::to_string(disagreeing - examples.size()) + " more";
    text +=
        ". Which value a reader sees now depends on which replica answers, and if the owner fails the "
        "next replica serves the older value: an acknowledged write can silently disappear. After the "
        "network is quiet, handoff and anti-entropy should have copied the newest version everywhere.";
    result.explanation = std::move(text);

    // Point at the client operations that wrote the competing values.
    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();
    for (std::size_t i = 0; i < trace.clientOps().size(); ++i) {
        const ClientOp& op = trace.clientOps()[i];
        if (op.f != "put") continue;
        auto it = disagreeingValues.find(stringField(op.value, "key"));
        if (it != disagreeingValues.end() && it->second.count(stringField(op.value, "value")))
            addEvent(result.events, opEvents[i]);
    }
    return result;
}

CheckResult checkNoLostWrites(const Trace& trace, const std::vector<KvNodeState>& nodes, const ring::HashRing& ring,
                              const std::vector<std::string>& downNodes, int replicas) {
    CheckResult result;
    result.name = "no-lost-acknowledged-write";

    const std::vector<ClientOp>& ops = trace.clientOps();
    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();
    std::map<std::pair<std::string, std::int64_t>, std::size_t> invokes;  // (process, op id) -> op

    std::size_t acknowledged = 0;
    std::size_t lost = 0;
    std::vector<std::string> examples;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const ClientOp& op = ops[i];
        if (op.f != "put") continue;
        if (op.phase == OpPhase::Invoke) {
            invokes[{op.process, op.opId}] = i;
            continue;
        }
        if (op.phase != OpPhase::Ok) continue;
        const std::string key = stringField(op.value, "key");
        const std::optional<kv::Version> acked = versionField(op.value);
        if (key.empty() || !acked) continue;  // not a kv put_ok; nothing to hold the store to
        ++acknowledged;

        std::vector<Replica> list = usablePreferenceList(nodes, ring, downNodes, replicas, key);
        std::optional<kv::Entry> held;
        if (!list.empty()) held = kv::readEntry(DiskReader(*list.front().store), key);
        if (held && held->version >= *acked) continue;

        ++lost;
        if (examples.size() < kExamplesMax) {
            std::string text = "put " + key + "=\"" + stringField(op.value, "value") + "\" by " + op.process +
                               " was acknowledged at " + kv::formatSeconds(op.time) + " with version " +
                               kv::versionText(*acked) + ", but ";
            text += list.empty() ? "no replica of " + key + " is up"
                                 : "its owner " + list.front().id + " holds " + entryText(held);
            examples.push_back(std::move(text));
        }
        if (auto invoke = invokes.find({op.process, op.opId}); invoke != invokes.end())
            addEvent(result.events, opEvents[invoke->second]);
        addEvent(result.events, opEvents[i]);
    }

    if (lost == 0) {
        result.explanation = "All " + std::to_string(acknowledged) +
                             " acknowledged writes are held by their key's owner, at the acknowledged "
                             "version or a newer one.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "All %1 acknowledged writes are held by their key's owner, "
                                                         "at the acknowledged version or a newer one."),
                               acknowledged);
        return result;
    }
    result.ok = false;
    result.text = makeText(QT_TRANSLATE_NOOP("Core", "%1 of %2 acknowledged writes are lost: the client was told the "
                                                     "write succeeded, yet the owner now returns an older value "
                                                     "or none."),
                           lost, acknowledged);
    std::string text =
        std::to_string(lost) + " of " + std::to_string(acknowledged) + " acknowledged writes are lost. ";
    for (std::size_t i = 0; i < examples.size(); ++i) text += (i > 0 ? "; " : "") + examples[i];
    if (lost > examples.size()) text += "; and " + std::to_string(lost - examples.size()) + " more";
    text +=
        ". The client was told the write succeeded, yet a read from the owner now returns an older value "
        "or none: the write reached too few replicas before the ones holding it failed or were skipped.";
    result.explanation = std::move(text);
    return result;
}

CheckResult checkAcknowledgedOrder(const Trace& trace) {
    CheckResult result;
    result.name = "acknowledged-order";

    const std::vector<ClientOp>& ops = trace.clientOps();
    const std::vector<std::uint64_t> opEvents = trace.clientOpEventIndices();

    // Pair completions with their invocations, and keep the operations that completed ok, per key.
    std::map<std::pair<std::string, std::int64_t>, std::size_t> invokes;  // (process, op id) -> op
    std::map<std::string, std::vector<CompletedOp>> puts;                 // key -> acknowledged puts
    std::map<std::string, std::vector<CompletedOp>> gets;                 // key -> successful gets
    std::size_t putCount = 0;
    std::size_t getCount = 0;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const ClientOp& op = ops[i];
        if (op.f != "put" && op.f != "get") continue;
        if (op.phase == OpPhase::Invoke) {
            invokes[{op.process, op.opId}] = i;
            continue;
        }
        if (op.phase != OpPhase::Ok) continue;
        auto invoke = invokes.find({op.process, op.opId});
        const std::string key = stringField(op.value, "key");
        if (invoke == invokes.end() || key.empty()) continue;
        CompletedOp done{invoke->second, i, ops[invoke->second].time, op.time, {}};
        if (op.f == "put") {
            std::optional<kv::Version> version = versionField(op.value);
            if (!version || version->empty()) continue;  // not a kv put_ok; nothing to order
            done.version = *version;
            puts[key].push_back(done);
            ++putCount;
        } else {
            done.version = versionField(op.value).value_or(kv::Version{});
            gets[key].push_back(done);
            ++getCount;
        }
        invokes.erase(invoke);
    }

    std::size_t violations = 0;
    std::vector<std::string> examples;
    std::set<std::uint64_t> events;
    auto describeOp = [&](const CompletedOp& op, std::string_view f) {
        return std::string(f) + " by " + ops[op.done].process + " (invoked at " + msText(op.invokedAt) + ")";
    };
    for (auto& [key, acked] : puts) {
        // Acknowledged puts by completion time, with the newest version acknowledged so far: any operation
        // invoked after the i-th acknowledgement must see at least best[i].
        std::stable_sort(acked.begin(), acked.end(),
                         [](const CompletedOp& a, const CompletedOp& b) { return a.doneAt < b.doneAt; });
        std::vector<std::size_t> best(acked.size());
        for (std::size_t i = 0; i < acked.size(); ++i)
            best[i] = i > 0 && acked[best[i - 1]].version > acked[i].version ? best[i - 1] : i;

        auto check = [&](const CompletedOp& later, bool isPut) {
            // The acknowledgements strictly before the invocation.
            auto end = std::lower_bound(acked.begin(), acked.end(), later.invokedAt,
                                        [](const CompletedOp& a, SimTime t) { return a.doneAt < t; });
            if (end == acked.begin()) return;
            const CompletedOp& earlier = acked[best[static_cast<std::size_t>(end - acked.begin()) - 1]];
            const bool fine = isPut ? later.version > earlier.version : later.version >= earlier.version;
            if (fine) return;
            ++violations;
            if (examples.size() < kExamplesMax) {
                std::string text = key + ": put by " + ops[earlier.done].process + " was acknowledged at " +
                                   msText(earlier.doneAt) + " with version " +
                                   kv::versionText(earlier.version) + ", but the later " +
                                   describeOp(later, isPut ? "put" : "get");
                if (isPut) {
                    text += " was acknowledged with version " + kv::versionText(later.version) + ", which " +
                            (later.version == earlier.version ? "is the same" : "is older");
                } else if (later.version.empty()) {
                    text += " returned no value";
                } else {
                    text += " returned the older version " + kv::versionText(later.version);
                }
                examples.push_back(std::move(text));
            }
            for (std::size_t op : {earlier.invoke, earlier.done, later.invoke, later.done}) {
                if (opEvents[op] != kNoEvent) events.insert(opEvents[op]);
            }
        };
        for (const CompletedOp& put : acked) check(put, true);
        if (auto read = gets.find(key); read != gets.end()) {
            for (const CompletedOp& get : read->second) check(get, false);
        }
    }
    for (std::uint64_t event : events) addEvent(result.events, event);

    if (violations == 0) {
        result.explanation = "All " + std::to_string(putCount) + " acknowledged writes and " +
                             std::to_string(getCount) +
                             " successful reads respect real-time order: every write or read that began "
                             "after a write was acknowledged saw that write or a newer one.";
        result.text = makeText(QT_TRANSLATE_NOOP("Core", "All %1 acknowledged writes and %2 successful reads "
                                                         "respect real-time order."),
                               putCount, getCount);
        return result;
    }
    result.ok = false;
    result.text = makeText(QT_TRANSLATE_NOOP("Core", "Operations that saw an older state than a write acknowledged "
                                                     "before they began: %1. The store went back in time."),
                           violations);
    std::string text = std::to_string(violations) +
                       (violations == 1 ? " operation sees" : " operations see") +
                       " an older state than a write acknowledged before it began. ";
    for (std::size_t i = 0; i < examples.size(); ++i) text += (i > 0 ? "; " : "") + examples[i];
    if (violations > examples.size())
        text += "; and " + std::to_string(violations - examples.size()) + " more";
    text +=
        ". Once a client is told a write succeeded, every operation that starts afterwards must see it "
        "(or something newer): a later write must get a higher version, so last-writer-wins keeps it, and "
        "a later read must not return an older value. Here the store went back in time, typically because "
        "a new owner served before it had pulled the newest version.";
    result.explanation = std::move(text);
    return result;
}

}  // namespace distlab
