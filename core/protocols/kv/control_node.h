#pragma once
// The control plane's node ("ctl"): the membership service of the Dynamo-style demo store. The Session
// owns the authoritative consistent-hash ring and speaks through this node with World::sendFrom; the
// node itself only absorbs what comes back. The one thing it keeps is the outcome of console operations
// (client_result from the clients), so that the console can print "c1: get k7 -> v42 (3@n2)".
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/kv/kv_messages.h"

namespace distlab::kv {

constexpr std::size_t kClientResultsMax = 1000;  // console results kept, newest last

// A finished console operation, as reported by its client.
struct ClientResult {
    NodeId client;     // "c1"
    SimTime time = 0;  // when ctl received the report: the operation had completed
    std::string op;    // "put" | "get"
    std::string key;
    std::optional<std::string> value;    // written (put) or read (get); none if the key does not exist
    std::optional<std::string> version;  // "3@n2"; none if there is no version
    bool ok = false;
    std::string error;  // empty if ok
};

class ControlNode : public CopyableNode<ControlNode> {
public:
    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "role".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    // Report: {"results_total", "results": [{"client", "time", "op", "key", "value", "version", "ok",
    // "error"}]}, oldest first; "value" and "version" are null when absent.
    Json observe(SimTime now) const override;

    // The last kClientResultsMax console results, oldest first.
    const std::vector<ClientResult>& results() const { return m_results; }
    // How many results arrived in all; results()[i] is result number resultsTotal() - results().size() + i.
    std::uint64_t resultsTotal() const { return m_resultsTotal; }

private:
    std::vector<ClientResult> m_results;
    std::uint64_t m_resultsTotal = 0;
};

}  // namespace distlab::kv
