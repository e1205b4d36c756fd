#include "core/net/op_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace distlab::net {

std::string opLogLine(const ClientOp& op) {
    return Json{{"time", op.time}, {"process", op.process}, {"op_id", op.opId},
                {"phase", std::string(opPhaseName(op.phase))}, {"f", op.f}, {"value", op.value}}
        .dump();
}

Result<ClientOp> parseOpLogLine(std::string_view line) {
    const Json json = Json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return makeError("not a JSON object");
    ClientOp op;
    const auto integer = [&](const char* key, std::int64_t& out) {
        auto it = json.find(key);
        if (it == json.end() || !it->is_number_integer()) return false;
        out = it->get<std::int64_t>();
        return true;
    };
    const auto text = [&](const char* key, std::string& out) {
        auto it = json.find(key);
        if (it == json.end() || !it->is_string()) return false;
        out = it->get<std::string>();
        return true;
    };
    std::string phase;
    if (!integer("time", op.time) || !integer("op_id", op.opId) || !text("process", op.process) || !text("f", op.f) ||
        !text("phase", phase))
        return makeError("needs time, op_id (integers), process, f and phase (strings)");
    bool known = false;
    for (OpPhase p : {OpPhase::Invoke, OpPhase::Ok, OpPhase::Fail, OpPhase::Unknown})
        if (opPhaseName(p) == phase) {
            op.phase = p;
            known = true;
        }
    if (!known) return makeError("phase must be invoke, ok, fail or unknown");
    op.value = json.value("value", Json());
    return op;
}

Result<std::vector<ClientOp>> readOpLogs(const std::vector<std::string>& paths) {
    std::vector<ClientOp> ops;
    for (const std::string& path : paths) {
        std::ifstream in(path, std::ios::binary);
        if (!in) return makeError("cannot read '" + path + "'");
        std::string line;
        for (std::size_t number = 1; std::getline(in, line); ++number) {
            if (line.empty()) continue;
            auto op = parseOpLogLine(line);
            // A SIGKILL in the middle of a write can leave a last line cut short: it was never recorded.
            if (!op && in.peek() == std::char_traits<char>::eof()) break;
            if (!op) return makeError(path + ": line " + std::to_string(number) + ": " + op.error().message);
            ops.push_back(std::move(op).value());
        }
    }
    std::stable_sort(ops.begin(), ops.end(), [](const ClientOp& a, const ClientOp& b) { return a.time < b.time; });
    return ops;
}

OpLog::~OpLog() {
    if (m_fd >= 0) ::close(m_fd);
}

Status OpLog::open(const std::string& path) {
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (m_fd < 0) return makeError("cannot open the history file '" + path + "': " + std::strerror(errno));
    return Ok{};
}

bool OpLog::append(const ClientOp& op) {
    const std::string line = opLogLine(op) + "\n";
    return ::write(m_fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

}  // namespace distlab::net
