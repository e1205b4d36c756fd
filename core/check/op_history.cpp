#include "core/check/op_history.h"

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace distlab::lin {

namespace {

constexpr std::size_t kFieldBytesMax = 256;  // f and key

std::string excerpt(std::string_view text, std::size_t bytesMax = 60) {
    std::string out;
    for (char c : text.substr(0, bytesMax)) out += (static_cast<unsigned char>(c) < 0x20 ? '?' : c);
    if (text.size() > bytesMax) out += "...";
    return out;
}

}  // namespace

std::string_view eventTypeName(EventType type) {
    switch (type) {
        case EventType::Invoke: return "invoke";
        case EventType::Ok: return "ok";
        case EventType::Fail: return "fail";
        case EventType::Info: return "info";
    }
    return "invoke";
}

Result<std::vector<HistoryEvent>> parseHistory(std::string_view text, std::string_view source) {
    std::vector<HistoryEvent> events;
    std::size_t lineNumber = 0;
    std::size_t start = 0;
    const std::string where(source.empty() ? std::string_view("history") : source);
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++lineNumber;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        const auto fail = [&](const std::string& what) {
            return makeError(where + ": line " + std::to_string(lineNumber) + ": " + what,
                             "Each line is one JSON object: {\"process\": 0, \"type\": \"invoke\", \"f\": \"incr\", "
                             "\"key\": \"k1\", \"value\": 1}.");
        };
        if (line.size() > kHistoryLineBytesMax)
            return fail("the line is " + std::to_string(line.size()) + " bytes; the limit is " +
                        std::to_string(kHistoryLineBytesMax));
        if (events.size() >= kHistoryEventsMax)
            return fail("more than " + std::to_string(kHistoryEventsMax) + " events");
        const Json json = Json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (json.is_discarded()) return fail("not JSON: " + excerpt(line));
        if (!json.is_object()) return fail("expected a JSON object, got " + excerpt(json.dump()));
        HistoryEvent event;
        event.line = lineNumber;
        const auto process = json.find("process");
        if (process == json.end() || !process->is_number_integer())
            return fail("\"process\" must be an integer");
        event.process = process->get<std::int64_t>();
        if (process->is_number_unsigned() && process->get<std::uint64_t>() > std::uint64_t(INT64_MAX))
            return fail("\"process\" is too large");
        const auto type = json.find("type");
        if (type == json.end() || !type->is_string())
            return fail("\"type\" must be one of invoke, ok, fail, info");
        const std::string& typeName = type->get_ref<const std::string&>();
        if (typeName == "invoke") event.type = EventType::Invoke;
        else if (typeName == "ok") event.type = EventType::Ok;
        else if (typeName == "fail") event.type = EventType::Fail;
        else if (typeName == "info") event.type = EventType::Info;
        else return fail("\"type\" must be one of invoke, ok, fail, info, got \"" + excerpt(typeName) + "\"");
        const auto f = json.find("f");
        if (f == json.end() || !f->is_string() || f->get_ref<const std::string&>().empty() ||
            f->get_ref<const std::string&>().size() > kFieldBytesMax)
            return fail("\"f\" must name the operation (incr, read, write, cas, get, put, append)");
        event.f = f->get<std::string>();
        if (const auto key = json.find("key"); key != json.end() && !key->is_null()) {
            if (key->is_string() && key->get_ref<const std::string&>().size() <= kFieldBytesMax)
                event.key = key->get<std::string>();
            else if (key->is_number_integer())
                event.key = key->dump();
            else
                return fail("\"key\" must be a string or an integer");
        }
        if (const auto value = json.find("value"); value != json.end()) event.value = *value;
        if (const auto time = json.find("time"); time != json.end() && !time->is_null()) {
            if (!time->is_number_integer() || (time->is_number_unsigned() && time->get<std::uint64_t>() > std::uint64_t(INT64_MAX)))
                return fail("\"time\" must be an integer of nanoseconds");
            event.time = time->get<std::int64_t>();
        }
        events.push_back(std::move(event));
    }
    return events;
}

Result<std::vector<HistoryEvent>> loadHistoryFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(path + ": cannot open the file (" + std::strerror(errno) + ")");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return makeError(path + ": cannot read the file");
    return parseHistory(text.str(), path);
}

std::string toJsonLine(const HistoryEvent& event) {
    Json json{{"process", event.process}, {"type", std::string(eventTypeName(event.type))}, {"f", event.f}};
    if (event.key) json["key"] = *event.key;
    json["value"] = event.value;
    if (event.time) json["time"] = *event.time;
    return json.dump();
}

std::vector<HistoryEvent> historyOfTrace(const Trace& trace, const std::function<bool(const ClientOp&)>& keep,
                                         std::vector<std::string>* processNames) {
    std::vector<HistoryEvent> out;
    struct Process {
        std::int64_t id;
        bool open;
    };
    std::map<std::string, std::vector<Process>> processes;  // per client node: its processes, newest last
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> processOf;  // an open op's process
    std::int64_t next = 0;
    for (const ClientOp& op : trace.clientOps()) {
        if (keep && !keep(op)) continue;
        HistoryEvent event;
        event.f = op.f;
        event.value = op.value;
        event.time = op.time * 1000;  // microseconds to nanoseconds
        if (op.value.is_object())
            if (const auto key = op.value.find("key"); key != op.value.end() && key->is_string()) {
                // {"key": K, "value": V, ...}: an operation on key K whose value is V (null when absent).
                event.key = key->get<std::string>();
                event.value = op.value.value("value", Json());
            }
        const auto opKey = std::make_pair(op.process, op.opId);
        auto& mine = processes[op.process];
        if (op.phase == OpPhase::Invoke) {
            if (processOf.count(opKey)) continue;  // invoked twice: keep the first
            auto free = std::find_if(mine.begin(), mine.end(), [](const Process& p) { return !p.open; });
            if (free == mine.end()) {
                if (processNames) processNames->push_back(op.process);
                mine.push_back(Process{next++, false});
                free = std::prev(mine.end());
            }
            free->open = true;
            processOf[opKey] = free->id;
            event.process = free->id;
            event.type = EventType::Invoke;
            out.push_back(std::move(event));
            continue;
        }
        const auto it = processOf.find(opKey);
        if (it == processOf.end()) continue;  // a completion of an op whose invoke is not in the trace
        event.process = it->second;
        event.type = op.phase == OpPhase::Ok ? EventType::Ok : op.phase == OpPhase::Fail ? EventType::Fail : EventType::Info;
        auto process = std::find_if(mine.begin(), mine.end(), [&](const Process& p) { return p.id == it->second; });
        if (op.phase == OpPhase::Unknown)
            mine.erase(process);  // retired
        else
            process->open = false;
        processOf.erase(it);
        out.push_back(std::move(event));
    }
    return out;
}

Result<std::vector<Operation>> opsOf(const std::vector<HistoryEvent>& history, std::string_view source) {
    const std::string where(source.empty() ? std::string_view("history") : source);
    std::vector<Operation> ops;
    std::map<std::int64_t, std::size_t> open;  // process -> index in ops
    std::map<std::int64_t, std::size_t> retired;  // process -> the line of its info
    for (std::size_t i = 0; i < history.size(); ++i) {
        const HistoryEvent& e = history[i];
        const auto fail = [&](const std::string& what) {
            return makeError(where + ": line " + std::to_string(e.line ? e.line : i + 1) + ": " + what);
        };
        if (e.type == EventType::Invoke) {
            if (open.count(e.process))
                return fail("process " + std::to_string(e.process) + " invokes while its operation of line " +
                            std::to_string(ops[open[e.process]].line) + " is still open");
            if (auto r = retired.find(e.process); r != retired.end())
                return fail("process " + std::to_string(e.process) + " invokes after its info on line " +
                            std::to_string(r->second) + "; a process with an unknown operation is retired");
            Operation op;
            op.id = ops.size();
            op.process = e.process;
            op.f = e.f;
            op.key = e.key.value_or("");
            op.input = e.value;
            op.call = i;
            op.ret = history.size();
            op.line = e.line ? e.line : i + 1;
            op.callTime = e.time;
            open[e.process] = ops.size();
            ops.push_back(std::move(op));
            continue;
        }
        const auto it = open.find(e.process);
        if (it == open.end())
            return fail("process " + std::to_string(e.process) + " completes an operation it never invoked");
        Operation& op = ops[it->second];
        if (op.f != e.f) return fail("the completion's f \"" + excerpt(e.f) + "\" differs from its invoke's \"" + op.f + "\"");
        if (op.key != e.key.value_or("")) return fail("the completion's key differs from its invoke's");
        open.erase(it);
        switch (e.type) {
            case EventType::Ok:
                op.outcome = Outcome::Ok;
                op.ret = i;
                op.output = e.value;
                break;
            case EventType::Fail:
                op.outcome = Outcome::Fail;
                op.ret = i;
                break;
            case EventType::Info:
                op.outcome = Outcome::Unknown;  // ret stays at the end: it may take effect until then
                retired[e.process] = e.line ? e.line : i + 1;
                break;
            case EventType::Invoke:
                break;
        }
    }
    return ops;
}

}  // namespace distlab::lin
