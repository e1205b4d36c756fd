#include "core/scenario/scenario.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <fstream>
#include <initializer_list>
#include <set>
#include <tuple>
#include <utility>

// The registry gives the labs' sections and the command table a schedule is parsed with; the ring lab's
// command header gives the limits the ring section shares with its commands.
#include "core/labs/kv/kv_commands.h"
#include "core/labs/registry.h"
#include "core/scenario/section_reader.h"

namespace distlab {
namespace {

// Parses the text into a Json value. Beyond nlohmann's own checks it refuses duplicate keys (which
// would otherwise silently keep the last value) and absurd nesting.
Json parseJsonText(std::string_view text, const std::string& source) {
    struct Frame {
        bool array = false;
        std::size_t nextIndex = 0;  // arrays: index of the next element
        std::string key;            // objects: the key being read
        std::set<std::string> keys;
    };
    std::vector<Frame> frames;
    const auto pathOf = [&frames] {
        std::string path;
        for (const Frame& frame : frames) {
            if (frame.array)
                path = indexPath(path, frame.nextIndex == 0 ? 0 : frame.nextIndex - 1);
            else
                path = childPath(path, frame.key);
        }
        return path;
    };
    const auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
        if (depth > kScenarioDepthMax)
            throw SectionFailure{makeError(source + ": " + pathOf() + ": nested deeper than " +
                                            std::to_string(kScenarioDepthMax) + " levels")};
        switch (event) {
            case Json::parse_event_t::object_start:
            case Json::parse_event_t::array_start:
                if (!frames.empty() && frames.back().array) ++frames.back().nextIndex;
                frames.push_back(Frame{event == Json::parse_event_t::array_start, 0, {}, {}});
                break;
            case Json::parse_event_t::key:
                if (!frames.empty()) {
                    Frame& frame = frames.back();
                    frame.key = parsed.is_string() ? parsed.get<std::string>() : std::string();
                    if (!frame.keys.insert(frame.key).second)
                        throw SectionFailure{makeError(source + ": " + pathOf() + ": duplicate key",
                                                        "Each key may appear only once in an object.")};
                }
                break;
            case Json::parse_event_t::value:
                if (!frames.empty() && frames.back().array) ++frames.back().nextIndex;
                break;
            case Json::parse_event_t::object_end:
            case Json::parse_event_t::array_end:
                if (!frames.empty()) frames.pop_back();
                break;
        }
        return true;
    };
    try {
        return Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true,
                           /*ignore_comments=*/true);
    } catch (const Json::parse_error& e) {
        // nlohmann reports the 1-based byte of the offending character; turn it into line and column
        // (columns count characters, not bytes, so that an editor's cursor agrees).
        const std::size_t index = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
        std::size_t line = 1;
        std::size_t lineStart = 0;
        for (std::size_t i = 0; i < index; ++i) {
            if (text[i] == '\n') {
                ++line;
                lineStart = i + 1;
            }
        }
        std::size_t column = 1;
        for (std::size_t i = lineStart; i < index; ++i)
            if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
        // Keep nlohmann's explanation but drop its own "[json.exception...] at line x, column y: " prefix.
        std::string_view detail = e.what();
        if (const auto at = detail.find("column "); at != std::string_view::npos) {
            if (const auto colon = detail.find(": ", at); colon != std::string_view::npos)
                detail.remove_prefix(colon + 2);
        } else if (const auto bracket = detail.find("] "); bracket != std::string_view::npos) {
            detail.remove_prefix(bracket + 2);
        }
        throw SectionFailure{makeError(source + ": line " + std::to_string(line) + ", column " +
                                            std::to_string(column) + ": invalid JSON (" +
                                            excerptForMessage(detail, 200) + ")",
                                        "Check the brackets, commas and quotes near that position.")};
    }
}

class ScenarioReader : private SectionReader {
public:
    explicit ScenarioReader(const std::string& source) : SectionReader(source) {}

    Scenario read(const Json& root) const {
        if (!root.is_object()) fail("", "expected a JSON object at the top level, got " + describeJsonValue(root));
        // The scenario's own keys, with each lab's section (named after the lab) before the schedule.
        std::vector<std::string_view> keys = {"name", "description", "seed", "nodes", "ring", "workload", "network"};
        for (const LabEntry& entry : labRegistry())
            if (entry.readSection) keys.push_back(entry.name);
        keys.insert(keys.end(), {"schedule", "run_ms", "open_at_ms"});
        checkKeys(root, "", keys);
        Scenario scenario;
        for (const LabEntry& entry : labRegistry()) {
            const std::string key(entry.name);
            if (entry.readSection && root.contains(key))
                scenario.sections.emplace(key, entry.readSection(root.at(key), *this, key));
        }
        const bool labsOnly = !scenario.sections.empty();
        if (labsOnly) {
            scenario.nodes.clear();
            scenario.workload.clients = 0;
        }
        if (!root.contains("name")) fail("name", "missing; every scenario needs a name");
        scenario.name = text(root.at("name"), "name", kScenarioNameBytesMax, false);
        if (root.contains("description"))
            scenario.description =
                text(root.at("description"), "description", kScenarioDescriptionBytesMax, true);
        if (root.contains("seed"))
            scenario.seed = static_cast<std::uint64_t>(integer(root.at("seed"), "seed", 0, kSeedMax));
        if (root.contains("nodes")) scenario.nodes = nodes(root.at("nodes"), "nodes", labsOnly);
        if (root.contains("ring")) scenario.ring = ring(root.at("ring"), "ring");
        if (root.contains("workload")) scenario.workload = workload(root.at("workload"), "workload");
        if (root.contains("network")) scenario.network = network(root.at("network"), "network");
        if (root.contains("schedule")) scenario.schedule = schedule(root.at("schedule"), "schedule");
        if (root.contains("run_ms"))
            scenario.runFor = millis(integer(root.at("run_ms"), "run_ms", 1, kRunMsMax));
        if (root.contains("open_at_ms"))
            scenario.openAt = millis(integer(root.at("open_at_ms"), "open_at_ms", 0, kRunMsMax));
        return scenario;
    }

private:
    std::vector<std::string> nodes(const Json& value, const std::string& path, bool mayBeEmpty = false) const {
        std::vector<std::string> ids;
        if (value.is_object()) {
            checkKeys(value, path, {"count"});
            if (!value.contains("count")) fail(childPath(path, "count"), "missing");
            const std::int64_t count =
                integer(value.at("count"), childPath(path, "count"), 1, kScenarioNodesMax);
            for (std::int64_t i = 1; i <= count; ++i) ids.push_back("n" + std::to_string(i));
            return ids;
        }
        const std::string what =
            "an array of 1 to " + std::to_string(kScenarioNodesMax) + " node ids or {\"count\": N}";
        if (!value.is_array() || (value.empty() && !mayBeEmpty) ||
            value.size() > static_cast<std::size_t>(kScenarioNodesMax))
            fail(path, "expected " + what + ", got " +
                           (value.is_array() ? std::to_string(value.size()) + " ids" : describeJsonValue(value)));
        for (std::size_t i = 0; i < value.size(); ++i) {
            const Json& item = value[i];
            const std::string itemPath = indexPath(path, i);
            if (!item.is_string() || !isValidNodeId(item.get_ref<const std::string&>()))
                fail(itemPath, "expected a node id, got " + describeJsonValue(item),
                     "Node ids are 1 to 32 characters: letters, digits, '_' and '-'.");
            const auto& id = item.get_ref<const std::string&>();
            if (isReservedNodeId(id, commandTable())) {
                std::string prefixes;
                for (const std::string& prefix : commandTable().reservedIdPrefixes())
                    prefixes += (prefixes.empty() ? "" : ", ") + prefix;
                fail(itemPath, "\"" + id + "\" is reserved for " + reservedNodeIdOwner(id, commandTable()),
                     "Server ids look like n1, n2, ...; clients are c1, c2, ..., the membership service is ctl, "
                     "and the labs' own nodes begin " + prefixes + ".");
            }
            const auto previous = std::find(ids.begin(), ids.end(), id);
            if (previous != ids.end())
                fail(itemPath, "\"" + id + "\" appears twice (also " +
                                   indexPath(path, static_cast<std::size_t>(previous - ids.begin())) + ")");
            ids.push_back(id);
        }
        return ids;
    }

    RingSpec ring(const Json& value, const std::string& path) const {
        object(value, path, "an object with vnodes, hash, replicas, sample_keys");
        checkKeys(value, path, {"vnodes", "hash", "replicas", "sample_keys"});
        RingSpec spec;
        if (value.contains("vnodes"))
            spec.vnodes =
                static_cast<int>(integer(value.at("vnodes"), childPath(path, "vnodes"), 1, kRingVnodesMax));
        if (value.contains("hash")) {
            const Json& hash = value.at("hash");
            if (!hash.is_string() || (hash != "xxh3" && hash != "ketama"))
                fail(childPath(path, "hash"), "expected \"xxh3\" or \"ketama\", got " + describeJsonValue(hash));
            spec.hash = hash.get<std::string>();
        }
        if (value.contains("replicas"))
            spec.replicas = static_cast<int>(
                integer(value.at("replicas"), childPath(path, "replicas"), 1, kRingReplicasMax));
        if (value.contains("sample_keys"))
            spec.sampleKeys = static_cast<int>(
                integer(value.at("sample_keys"), childPath(path, "sample_keys"), 1, kRingSampleKeysMax));
        return spec;
    }

    WorkloadSpec workload(const Json& value, const std::string& path) const {
        object(value, path, "an object with clients, keys, interval_ms, write_ratio");
        checkKeys(value, path, {"clients", "keys", "interval_ms", "write_ratio"});
        WorkloadSpec spec;
        if (value.contains("clients"))
            spec.clients = static_cast<int>(
                integer(value.at("clients"), childPath(path, "clients"), 0, kWorkloadClientsMax));
        if (value.contains("keys"))
            spec.keys =
                static_cast<int>(integer(value.at("keys"), childPath(path, "keys"), 1, kWorkloadKeysMax));
        // A zero interval would let a client issue endless operations at one instant of simulated time.
        if (value.contains("interval_ms"))
            std::tie(spec.intervalMin, spec.intervalMax) = millisRange(
                value.at("interval_ms"), childPath(path, "interval_ms"), 1, kWorkloadIntervalMsMax);
        if (value.contains("write_ratio"))
            spec.writeRatio = probability(value.at("write_ratio"), childPath(path, "write_ratio"));
        return spec;
    }

    NetworkSpec network(const Json& value, const std::string& path) const {
        object(value, path, "an object with latency_ms, drop, duplicate, reorder");
        checkKeys(value, path, {"latency_ms", "drop", "duplicate", "reorder"});
        NetworkSpec spec;
        if (value.contains("latency_ms"))
            std::tie(spec.latencyMin, spec.latencyMax) =
                millisRange(value.at("latency_ms"), childPath(path, "latency_ms"), 0, kNetLatencyMsMax);
        if (value.contains("drop")) spec.drop = probability(value.at("drop"), childPath(path, "drop"));
        if (value.contains("duplicate"))
            spec.duplicate = probability(value.at("duplicate"), childPath(path, "duplicate"));
        if (value.contains("reorder"))
            spec.reorder = probability(value.at("reorder"), childPath(path, "reorder"));
        return spec;
    }

    std::vector<ScheduledCommand> schedule(const Json& value, const std::string& path) const {
        if (!value.is_array())
            fail(path, "expected an array of {\"at_ms\": T, \"do\": \"command\"}, got " + describeJsonValue(value));
        if (value.size() > kScheduleEntriesMax)
            fail(path, "has " + std::to_string(value.size()) + " entries; the limit is " +
                           std::to_string(kScheduleEntriesMax));
        std::vector<ScheduledCommand> entries;
        entries.reserve(value.size());
        for (std::size_t i = 0; i < value.size(); ++i) {
            const std::string entryPath = indexPath(path, i);
            const Json& entry = object(value[i], entryPath, "{\"at_ms\": T, \"do\": \"command\"}");
            checkKeys(entry, entryPath, {"at_ms", "do"});
            const std::string atPath = childPath(entryPath, "at_ms");
            const std::string doPath = childPath(entryPath, "do");
            if (!entry.contains("at_ms")) fail(atPath, "missing");
            if (!entry.contains("do")) fail(doPath, "missing");
            ScheduledCommand scheduled;
            scheduled.at =
                millis(integer(entry.at("at_ms"), atPath, 0, kRunMsMax,
                               "a non-negative integer of milliseconds up to " + std::to_string(kRunMsMax)));
            const Json& line = entry.at("do");
            if (!line.is_string())
                fail(doPath, "expected a console command as a string, got " + describeJsonValue(line));
            Result<Command> command = parseCommand(line.get_ref<const std::string&>(), commandTable());
            if (!command) fail(doPath, command.error().message, command.error().hint);
            if (!command->spec->schedulable)
                fail(doPath, "'" + std::string(command->spec->name) + "' cannot be scheduled",
                     "A schedule changes nodes, the network and the ring, or issues put/get; viewer controls "
                     "(speed, pause, step, ...) are not part of a scenario.");
            scheduled.command = std::move(command).value();
            entries.push_back(std::move(scheduled));
        }
        std::stable_sort(entries.begin(), entries.end(),
                         [](const ScheduledCommand& a, const ScheduledCommand& b) { return a.at < b.at; });
        return entries;
    }

};

}  // namespace

Result<Scenario> parseScenario(std::string_view jsonText, std::string_view sourceName) {
    const std::string source =
        sourceName.empty() ? std::string("scenario") : excerptForMessage(sourceName, 200);
    try {
        if (jsonText.size() > kScenarioFileBytesMax)
            return makeError(source + ": the file is " + std::to_string(jsonText.size()) +
                                 " bytes; the limit is " + std::to_string(kScenarioFileBytesMax) +
                                 " bytes (4 MiB)",
                             "Split the scenario or shorten its schedule.");
        const Json root = parseJsonText(jsonText, source);
        return ScenarioReader(source).read(root);
    } catch (const SectionFailure& failure) {
        return failure.error;
    } catch (const std::exception& e) {
        return makeError(source + ": could not read the scenario: " + excerptForMessage(e.what(), 200));
    } catch (...) {
        return makeError(source + ": could not read the scenario");
    }
}

Result<Scenario> loadScenarioFile(const std::string& path) {
    try {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return makeError(
                excerptForMessage(path, 200) + ": cannot open the file (" + std::strerror(errno) + ")",
                "Check the path and the file's permissions.");
        // Read one byte past the limit so that parseScenario can say the file is too large.
        std::string text(kScenarioFileBytesMax + 1, '\0');
        in.read(text.data(), static_cast<std::streamsize>(text.size()));
        if (in.bad())
            return makeError(excerptForMessage(path, 200) + ": cannot read the file",
                             "Check that it is a regular file.");
        text.resize(static_cast<std::size_t>(in.gcount()));
        return parseScenario(text, path);
    } catch (const std::exception& e) {
        return makeError(excerptForMessage(path, 200) + ": cannot read the file: " + e.what());
    }
}

Json scenarioToJson(const Scenario& scenario) {
    const auto ms = wholeMillis;
    Json schedule = Json::array();
    for (const ScheduledCommand& entry : scenario.schedule) {
        const std::string line =
            entry.command.text.empty() ? formatCommand(entry.command) : entry.command.text;
        schedule.push_back(Json{{"at_ms", ms(entry.at)}, {"do", line}});
    }
    Json json{
        {"name", scenario.name},
        {"description", scenario.description},
        {"seed", scenario.seed},
        {"nodes", scenario.nodes},
        {"ring",
         {{"vnodes", scenario.ring.vnodes},
          {"hash", scenario.ring.hash},
          {"replicas", scenario.ring.replicas},
          {"sample_keys", scenario.ring.sampleKeys}}},
        {"workload",
         {{"clients", scenario.workload.clients},
          {"keys", scenario.workload.keys},
          {"interval_ms", {ms(scenario.workload.intervalMin), ms(scenario.workload.intervalMax)}},
          {"write_ratio", scenario.workload.writeRatio}}},
        {"network",
         {{"latency_ms", {ms(scenario.network.latencyMin), ms(scenario.network.latencyMax)}},
          {"drop", scenario.network.drop},
          {"duplicate", scenario.network.duplicate},
          {"reorder", scenario.network.reorder}}},
        {"schedule", schedule},
        {"run_ms", ms(scenario.runFor)},
    };
    if (scenario.openAt >= 0) json["open_at_ms"] = ms(scenario.openAt);
    for (const auto& [lab, section] : scenario.sections) json[lab] = section;
    return json;
}

}  // namespace distlab
