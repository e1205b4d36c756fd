#include "core/check/check_support.h"

#include <algorithm>

namespace distlab::check {

std::optional<std::int64_t> intField(const Json& value, const char* key) {
    if (!value.is_object()) return std::nullopt;
    auto it = value.find(key);
    if (it == value.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

std::string countText(std::uint64_t count, const std::string& noun, const std::string& plural) {
    return std::to_string(count) + " " + (count == 1 ? noun : (plural.empty() ? noun + "s" : plural));
}

std::string examplesText(const std::vector<std::string>& examples, std::size_t count) {
    std::string text;
    for (const std::string& example : examples) text += " " + example;
    if (count > examples.size()) text += " And " + std::to_string(count - examples.size()) + " more.";
    return text;
}

void noteTruncation(CheckResult& result, const Trace& trace) {
    if (!trace.truncated()) return;
    result.explanation += " The trace was truncated, so this judges only the start of the run.";
    result.text = Text{};  // the short text would leave the warning out: the English paragraph says it
}

void attachEvents(CheckResult& result, const std::set<std::uint64_t>& events) {
    for (std::uint64_t event : events) {
        if (result.events.size() >= kEventsMax) break;
        result.events.push_back(event);
    }
}

void addNode(CheckResult& result, const std::string& node) {
    if (node.empty() || std::find(result.nodes.begin(), result.nodes.end(), node) != result.nodes.end()) return;
    result.nodes.push_back(node);
}

void deriveEvidence(CheckResult& result, const Trace& trace) {
    const auto& events = trace.events();
    const bool fillNodes = result.nodes.empty();
    for (std::uint64_t index : result.events) {
        if (index >= events.size()) continue;  // a seek back: the event is in the future again
        const TraceEvent& event = events[index];
        if (result.at < 0) result.at = event.time;
        if (!fillNodes) break;
        if (event.node != kNoName) addNode(result, trace.name(event.node));
    }
}

}  // namespace distlab::check
