// The membership service's node of the Dynamo-style demo store: it keeps the console's results.
#include "core/protocols/kv/control_node.h"

namespace distlab::kv {

void ControlNode::onStart(Context& ctx) {
    (void)ctx;
}

void ControlNode::onMessage(Context& ctx, const Envelope& message) {
    if (message.body.type != ClientResultMsg::kType) return;  // replies and gossip need no answer
    Result<ClientResultMsg> report = bodyAs<ClientResultMsg>(message.body);
    if (!report) return;
    if (m_results.size() >= kClientResultsMax)
        m_results.erase(m_results.begin(), m_results.begin() + (m_results.size() - kClientResultsMax + 1));
    ++m_resultsTotal;
    m_results.push_back(ClientResult{message.src, ctx.now(), std::move(report->op), std::move(report->key),
                                     std::move(report->value), std::move(report->version), report->ok,
                                     std::move(report->error)});
}

void ControlNode::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    (void)ctx;
    (void)id;
    (void)tag;
}

void ControlNode::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "role"), QT_TRANSLATE_NOOP("Details", "membership service"));
}

Json ControlNode::observe(SimTime now) const {
    (void)now;
    Json results = Json::array();
    for (const ClientResult& r : m_results)
        results.push_back(Json{{"client", r.client},
                               {"time", r.time},
                               {"op", r.op},
                               {"key", r.key},
                               {"value", r.value ? Json(*r.value) : Json()},
                               {"version", r.version ? Json(*r.version) : Json()},
                               {"ok", r.ok},
                               {"error", r.error}});
    return Json{{"results_total", m_resultsTotal}, {"results", std::move(results)}};
}

}  // namespace distlab::kv
