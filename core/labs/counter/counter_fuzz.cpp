#include "core/labs/counter/counter_fuzz.h"

#include <algorithm>
#include <array>
#include <map>

#include "core/base/rng.h"
#include "core/labs/counter/counter_lab.h"
#include "core/labs/counter/counter_section.h"
#include "core/labs/lab.h"

namespace distlab {

namespace {

constexpr std::array<FuzzFault, 7> kFaults = {FuzzFault::Kill,      FuzzFault::Restart,   FuzzFault::Partition,
                                              FuzzFault::Drop,      FuzzFault::Duplicate, FuzzFault::Pause,
                                              FuzzFault::Members};
constexpr std::size_t kDownMax = 2;
constexpr std::uint64_t kFaultStream = 0xF0220;

std::string joined(const std::vector<std::string>& ids) {
    std::string out;
    for (const std::string& id : ids) out += (out.empty() ? "" : ",") + id;
    return out;
}

}  // namespace

std::string_view fuzzFaultName(FuzzFault fault) {
    switch (fault) {
        case FuzzFault::Kill: return "kill";
        case FuzzFault::Restart: return "restart";
        case FuzzFault::Partition: return "partition";
        case FuzzFault::Drop: return "drop";
        case FuzzFault::Duplicate: return "duplicate";
        case FuzzFault::Pause: return "pause";
        case FuzzFault::Members: return "members";
    }
    return "";
}

std::set<FuzzFault> allFuzzFaults() {
    std::set<FuzzFault> faults(kFaults.begin(), kFaults.end());
    faults.erase(FuzzFault::Members);  // asked for by name
    return faults;
}

Result<std::set<FuzzFault>> parseFuzzFaults(std::string_view list) {
    std::set<FuzzFault> faults;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string_view word = list.substr(start, comma - start);
        auto it = std::find_if(kFaults.begin(), kFaults.end(), [&](FuzzFault f) { return fuzzFaultName(f) == word; });
        if (it == kFaults.end())
            return makeError("--faults: '" + std::string(word) + "' is not a fault",
                             "the faults are kill, restart, partition, drop, duplicate, pause, members");
        faults.insert(*it);
        start = comma + 1;
    }
    return faults;
}

Result<Scenario> fuzzScenario(const Scenario& base, std::uint64_t seed, const FuzzOptions& options) {
    if (!base.sections.contains("counter"))
        return makeError("fuzz: scenario '" + base.name + "' has no counter section",
                         "fuzz runs the counter: try 'distlab-sim fuzz counter'");
    Json json = scenarioToJson(base);
    const CounterSpec spec = labSection(base, "counter", readCounterSection);
    json["name"] = base.name + "-fuzz-" + std::to_string(seed);
    json["description"] = base.name + " under random faults drawn from seed " + std::to_string(seed) + ".";
    json["seed"] = seed;
    json["run_ms"] = wholeMillis(options.runFor);
    Json& section = json["counter"];
    for (const std::string& name : options.breaks) {
        if (!counter::parseSwitch(name))
            return makeError("--break: '" + name + "' is not a switch", "the switches are " + std::string(counter::kSwitchList));
        section["break"].push_back(name);
    }
    const auto has = [&](FuzzFault f) { return options.faults.contains(f); };
    if (has(FuzzFault::Drop)) json["network"]["drop"] = 0.02;
    if (has(FuzzFault::Duplicate)) json["network"]["duplicate"] = 0.02;

    std::vector<std::string> victims = {"cn-broker", "cn-lock"};
    const std::vector<std::string> workers = CounterLab::workerIds(spec);
    for (const auto& ids : {CounterLab::replicaIds(spec), workers, CounterLab::clientIds(spec)})
        victims.insert(victims.end(), ids.begin(), ids.end());

    struct Entry {
        std::int64_t atMs;
        std::string what;
    };
    std::vector<Entry> schedule;
    for (const Json& old : json.value("schedule", Json::array()))
        if (old.is_object()) schedule.push_back({old.value("at_ms", std::int64_t(0)), old.value("do", std::string())});
    Rng rng = Rng(seed).fork(kFaultStream);
    std::vector<FuzzFault> timed;
    for (FuzzFault f : {FuzzFault::Kill, FuzzFault::Partition, FuzzFault::Pause, FuzzFault::Members})
        if (has(f)) timed.push_back(f);
    std::vector<std::string> members = CounterLab::replicaIds(spec);
    int nextReplica = spec.replicas + 1;
    std::int64_t removedAt = 0;
    std::map<std::string, std::int64_t> downUntil;  // killed node -> when it restarts (INT64_MAX: never)
    std::int64_t healAt = -1;
    const std::int64_t endMs = wholeMillis(options.runFor);
    for (std::int64_t t = 500; !timed.empty(); t += rng.uniform(300, 1500)) {
        if (t >= endMs - 500) break;
        for (auto it = downUntil.begin(); it != downUntil.end();) it = it->second <= t ? downUntil.erase(it) : std::next(it);
        const FuzzFault fault = timed[std::size_t(rng.uniform(0, std::int64_t(timed.size())))];
        if (fault == FuzzFault::Kill) {
            if (downUntil.size() >= kDownMax) continue;
            const std::string& victim = victims[std::size_t(rng.uniform(0, std::int64_t(victims.size())))];
            if (downUntil.contains(victim)) continue;
            schedule.push_back({t, "node kill " + victim});
            std::int64_t back = INT64_MAX;
            if (has(FuzzFault::Restart)) {
                back = std::min(t + rng.uniform(500, 3000), endMs - 100);
                schedule.push_back({back, "node restart " + victim});
            }
            downUntil[victim] = back;
        } else if (fault == FuzzFault::Partition) {
            if (t < healAt) continue;
            std::vector<std::string> left, right;
            for (const std::string& id : victims) (rng.chance(0.5) ? left : right).push_back(id);
            if (left.empty() || right.empty()) continue;
            schedule.push_back({t, "partition " + joined(left) + " | " + joined(right)});
            healAt = std::min(t + rng.uniform(500, 3000), endMs - 100);
            schedule.push_back({healAt, "heal"});
        } else if (fault == FuzzFault::Members) {
            // Alternately shrink and grow the ring, so that both rules of the lab are met; an add comes two
            // seconds or more after a removal, when the keys have most likely had the two commits it needs.
            if (std::int64_t(members.size()) >= spec.replicas) {
                removedAt = t;
                const std::size_t i = std::size_t(rng.uniform(0, std::int64_t(members.size())));
                schedule.push_back({t, "node remove " + members[i]});
                members.erase(members.begin() + std::ptrdiff_t(i));
            } else {
                if (t < removedAt + 2000) continue;
                const std::string id = "cn-n" + std::to_string(nextReplica++);
                schedule.push_back({t, "node add " + id});
                members.push_back(id);
                victims.push_back(id);
            }
        } else {
            const std::string& worker = workers[std::size_t(rng.uniform(0, std::int64_t(workers.size())))];
            if (downUntil.contains(worker)) continue;
            schedule.push_back({t, "node pause " + worker + " " + std::to_string(wholeMillis(spec.lease) * 3 / 2)});
        }
    }
    std::stable_sort(schedule.begin(), schedule.end(), [](const Entry& a, const Entry& b) { return a.atMs < b.atMs; });
    Json out = Json::array();
    for (const Entry& e : schedule) out.push_back(Json{{"at_ms", e.atMs}, {"do", e.what}});
    json["schedule"] = out;
    return parseScenario(json.dump(), json["name"].get<std::string>() + ".json");
}

}  // namespace distlab
