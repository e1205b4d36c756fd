#pragma once
// The client operations a node process records (Context::recordOp), one JSON object per line, appended to a
// file as they happen with one write each, so a SIGKILL loses none the process had recorded:
//
//   {"time": 81234567890, "process": "cn-c1", "op_id": 7, "phase": "invoke", "f": "incr", "value": {...}}
//
// `time` is the machine's monotonic clock in microseconds, the same clock for every process on the machine,
// so the files of several clients merge into one real-time history.
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/node/node.h"

namespace distlab::net {

std::string opLogLine(const ClientOp& op);  // no newline
Result<ClientOp> parseOpLogLine(std::string_view line);
// Every line of the files, merged in time order (ties keep file order). Errors name the file and line.
Result<std::vector<ClientOp>> readOpLogs(const std::vector<std::string>& paths);

// An append-only file of such lines.
class OpLog {
public:
    OpLog() = default;
    ~OpLog();
    OpLog(const OpLog&) = delete;
    OpLog& operator=(const OpLog&) = delete;
    Status open(const std::string& path);
    bool isOpen() const { return m_fd >= 0; }
    // False when the write failed (the disk is full, say).
    bool append(const ClientOp& op);

private:
    int m_fd = -1;
};

}  // namespace distlab::net
