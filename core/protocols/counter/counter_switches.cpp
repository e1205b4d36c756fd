#include "core/protocols/counter/counter_switches.h"

#include "core/protocols/counter/counter_messages.h"

namespace distlab::counter {

std::string_view switchName(Switch which) { return kSwitchNames.at(std::size_t(which)); }

std::optional<Switch> parseSwitch(std::string_view name) {
    for (Switch which : kSwitches)
        if (switchName(which) == name) return which;
    return std::nullopt;
}

bool Switches::any() const {
    for (bool value : on)
        if (value) return true;
    return false;
}

Json switchesToJson(const Switches& switches) {
    Json json = Json::object();
    for (Switch which : kSwitches) json[std::string(switchName(which))] = switches[which];
    return json;
}

Switches switchesFromJson(const Json& json) {
    Switches switches;
    if (!json.is_object()) return switches;
    for (Switch which : kSwitches) {
        auto it = json.find(std::string(switchName(which)));
        if (it != json.end() && it->is_boolean()) switches.set(which, it->get<bool>());
    }
    return switches;
}

Switches loadSwitches(Context& ctx, const Switches& initial) {
    const std::optional<std::string> stored = ctx.store().get(std::string(kSwitchesKey));
    if (!stored) return initial;
    return switchesFromJson(Json::parse(*stored, nullptr, false));
}

void saveSwitches(Context& ctx, const Switches& switches) {
    ctx.store().put(std::string(kSwitchesKey), switchesToJson(switches).dump());
}

void applySwitchMessage(Context& ctx, const Envelope& message, Switches& switches) {
    Result<CounterSwitch> change = bodyAs<CounterSwitch>(message.body);
    if (!change) return ctx.replyError(message, ErrorCode::MalformedRequest, change.error().message);
    const std::optional<Switch> which = parseSwitch(change->name);
    if (!which) return ctx.replyError(message, ErrorCode::MalformedRequest, "name: not a switch");
    switches.set(*which, change->on);
    saveSwitches(ctx, switches);
}

}  // namespace distlab::counter
