#include "core/labs/counter/counter_section.h"

#include "core/protocols/counter/counter_messages.h"

namespace distlab {

CounterSpec readCounterSection(const Json& value, const SectionReader& reader, const std::string& path) {
    reader.object(value, path,
                  "an object with replicas, workers, clients, keys, replication, lease_ms, read_percent, think_ms, break");
    reader.checkKeys(value, path,
                     {"replicas", "workers", "clients", "keys", "replication", "lease_ms", "read_percent", "think_ms",
                      "break"});
    CounterSpec spec;
    if (value.contains("replicas")) spec.replicas = int(reader.number(value, path, "replicas", 1, kCounterReplicasMax));
    if (value.contains("workers")) spec.workers = int(reader.number(value, path, "workers", 1, kCounterWorkersMax));
    if (value.contains("clients")) spec.clients = int(reader.number(value, path, "clients", 1, kCounterClientsMax));
    if (value.contains("replication"))
        spec.replication = int(reader.number(value, path, "replication", 1, kCounterReplicasMax));
    if (spec.replication > spec.replicas)
        reader.fail(path + ".replication",
                    "replication " + std::to_string(spec.replication) + " is more than the " +
                        std::to_string(spec.replicas) + " replicas",
                    "lower replication or add replicas");
    // Workers write to the first R unsuspected members clockwise from the key; two such sets share a replica
    // (so the freshest state is always found) only while the ring has at most 2R - 1 members.
    if (spec.replicas > 2 * spec.replication - 1)
        reader.fail(path + ".replicas",
                    std::to_string(spec.replicas) + " replicas with replication " + std::to_string(spec.replication) +
                        ": two replica sets of a key could miss each other and lose increments",
                    "use at most 2 x replication - 1 replicas (" + std::to_string(2 * spec.replication - 1) +
                        " here), or raise replication; the break switch r1 shows what happens otherwise");
    if (value.contains("lease_ms")) spec.lease = reader.milliseconds(value, path, "lease_ms", 50, 60'000);
    if (value.contains("read_percent")) spec.readPercent = int(reader.number(value, path, "read_percent", 0, 100));
    if (value.contains("think_ms")) spec.think = reader.milliseconds(value, path, "think_ms", 1, 60'000);
    if (value.contains("keys")) {
        const Json& keys = value.at("keys");
        const std::string where = path + ".keys";
        if (!keys.is_array() || keys.empty() || keys.size() > kCounterKeysMax)
            reader.fail(where, "expected a list of 1 to " + std::to_string(kCounterKeysMax) + " keys");
        spec.keys.clear();
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const std::string at = where + "[" + std::to_string(i) + "]";
            std::string key = reader.text(keys[i], at, counter::kKeyBytesMax, false);
            if (std::string problem = counter::validateKey(key); !problem.empty()) reader.fail(at, problem);
            for (const std::string& earlier : spec.keys)
                if (earlier == key) reader.fail(at, "key '" + key + "' is listed twice");
            spec.keys.push_back(std::move(key));
        }
    }
    if (value.contains("break")) {
        const Json& broken = value.at("break");
        const std::string where = path + ".break";
        if (!broken.is_array()) reader.fail(where, "expected a list of switches: " + std::string(counter::kSwitchList));
        for (std::size_t i = 0; i < broken.size(); ++i) {
            const std::string at = where + "[" + std::to_string(i) + "]";
            const std::string name = reader.text(broken[i], at, 32, false);
            const std::optional<counter::Switch> which = counter::parseSwitch(name);
            if (!which) reader.fail(at, "'" + name + "' is not a switch", "the switches are " + std::string(counter::kSwitchList));
            spec.broken.set(*which, true);
        }
    }
    return spec;
}

Json counterSectionToJson(const CounterSpec& spec) {
    Json broken = Json::array();
    for (counter::Switch which : counter::kSwitches)
        if (spec.broken[which]) broken.push_back(std::string(counter::switchName(which)));
    return Json{{"replicas", spec.replicas},       {"workers", spec.workers},
                {"clients", spec.clients},         {"keys", spec.keys},
                {"replication", spec.replication}, {"lease_ms", wholeMillis(spec.lease)},
                {"read_percent", spec.readPercent}, {"think_ms", wholeMillis(spec.think)},
                {"break", broken}};
}

}  // namespace distlab
