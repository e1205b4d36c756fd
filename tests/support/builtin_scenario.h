#pragma once
// The built-in scenario a test starts from, with the seed it names (the scenario's own when it names
// none). A name that does not load stops the test binary at once, saying why.
#include <QtGlobal>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "core/session/session.h"

namespace support {

inline distlab::Scenario builtin(const std::string& name, std::optional<std::uint64_t> seed = std::nullopt) {
    auto scenario = distlab::loadScenario(name);
    if (!scenario) qFatal("built-in scenario %s: %s", name.c_str(), scenario.error().message.c_str());
    if (seed) scenario->seed = *seed;
    return std::move(scenario).value();
}

}  // namespace support
