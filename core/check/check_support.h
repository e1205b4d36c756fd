#pragma once
// Small helpers every checker shares: reading fields of recorded op values, and writing a verdict's
// paragraph (counts, examples, the truncation note) and its trace events.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/check/check_result.h"
#include "core/node/json_fields.h"
#include "core/node/message.h"
#include "core/history/trace.h"

namespace distlab::check {

constexpr std::size_t kExamplesMax = 3;  // problems spelled out in an explanation
constexpr std::size_t kEventsMax = 64;   // trace events attached to a verdict

// An integer field of an op's value; nullopt when absent or of another type (stringField, for strings, is in
// core/node/json_fields.h).
std::optional<std::int64_t> intField(const Json& value, const char* key);

// "1 accepted write", "3 accepted writes"; an irregular plural can be given.
std::string countText(std::uint64_t count, const std::string& noun, const std::string& plural = {});
// " Example one. Example two. And 4 more." (each example already ends with its full stop)
std::string examplesText(const std::vector<std::string>& examples, std::size_t count);
// Appends the note that a truncated trace lets the verdict judge only the start of the run.
void noteTruncation(CheckResult& result, const Trace& trace);
// Attaches up to kEventsMax of the events, in trace order.
void attachEvents(CheckResult& result, const std::set<std::uint64_t>& events);
// Fills in the evidence a checker left out from its events: the moment of the first one, and the nodes
// of the events in trace order (each once). A checker that knows better sets them itself.
void deriveEvidence(CheckResult& result, const Trace& trace);
// Adds `node` to the verdict's nodes unless it is empty or there already.
void addNode(CheckResult& result, const std::string& node);

}  // namespace distlab::check
