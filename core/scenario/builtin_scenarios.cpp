#include <algorithm>
#include <fstream>

#include "core/session/session.h"

namespace distlab {

const std::vector<std::pair<std::string_view, std::string_view>>& embeddedScenarioFiles();

const std::vector<BuiltinScenario>& builtinScenarios() {
    static const std::vector<BuiltinScenario> list = [] {
        std::vector<BuiltinScenario> out;
        for (const auto& [name, json] : embeddedScenarioFiles()) {
            auto parsed = parseScenario(json, std::string(name) + ".json");
            // A broken built-in is a build defect; list it with its error rather than hide it.
            out.push_back(BuiltinScenario{std::string(name),
                                          parsed ? parsed->description : "invalid: " + parsed.error().message,
                                          std::string(json)});
        }
        // The demo first: it is what the app opens on.
        std::stable_partition(out.begin(), out.end(), [](const BuiltinScenario& s) { return s.name == "demo"; });
        return out;
    }();
    return list;
}

Result<Scenario> loadScenario(std::string_view nameOrPath) {
    for (const auto& builtin : builtinScenarios())
        if (builtin.name == nameOrPath) return parseScenario(builtin.json, builtin.name + ".json");
    const std::string path(nameOrPath);
    if (!std::ifstream(path)) {
        std::string names;
        for (const auto& builtin : builtinScenarios()) names += (names.empty() ? "" : ", ") + builtin.name;
        return makeError("no built-in scenario or file named '" + path + "'", "built-in scenarios: " + names);
    }
    return loadScenarioFile(path);
}

}  // namespace distlab
