// The counter's replica: a two-phase commit participant that stores the key's state and checks fencing
// tokens. The rules are in the header.
#include "core/protocols/counter/counter_replica.h"

#include <algorithm>

namespace distlab::counter {

namespace {

const std::string kTagHeartbeat = "cn-heartbeat";
constexpr std::string_view kTpc3TagPrefix = "tpc3-";
constexpr std::string_view kTpc3TypePrefix = "tpc3_";

}  // namespace

CounterReplica::CounterReplica(ReplicaConfig config)
    : txn::TwoPhaseCommitParticipant(config.tpc), m_config(std::move(config)), m_tpc3(m_config.tpc3) {}

void CounterReplica::onStart(Context& ctx) {
    m_switches = loadSwitches(ctx, m_config.initial);
    for (const auto& [key, value] : ctx.store().scan(kStatePrefix)) {
        if (auto state = keyStateFromJson(Json::parse(value, nullptr, false)))
            m_states[key.substr(kStatePrefix.size())] = std::move(*state);
    }
    for (const auto& [key, value] : ctx.store().scan(kFencePrefix)) {
        const Json fence = Json::parse(value, nullptr, false);
        if (fence.is_number_integer()) m_highest[key.substr(kFencePrefix.size())] = fence.get<std::int64_t>();
    }
    // The participants' recovery comes after the states are back: a 2PC transaction found in INIT
    // concludes now.
    txn::TwoPhaseCommitParticipant::onStart(ctx);
    for (const auto& [txn, entry] : txns()) {
        if (entry.state != txn::TpcParticipantState::Ready) continue;
        if (const std::optional<CommitWork> work = commitWorkFromJson(entry.work)) m_ready[work->key].insert(txn);
    }
    tpc3().onStart(ctx);
    for (const auto& [txn, record] : m_tpc3.transactions()) {
        if (record.state != txn::Tpc3State::Ready && record.state != txn::Tpc3State::PreCommit) continue;
        if (const std::optional<CommitWork> work = commitWorkFromJson(record.work)) m_ready[work->key].insert(txn);
    }
    heartbeat(ctx);
}

void CounterReplica::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == CounterFetch::kType) return onFetch(ctx, message);
    if (type == CounterSwitch::kType) {
        return applySwitchMessage(ctx, message, m_switches);
    }
    if (type.rfind(kTpc3TypePrefix, 0) == 0) return tpc3().onMessage(ctx, message);
    txn::TwoPhaseCommitParticipant::onMessage(ctx, message);
}

void CounterReplica::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag == kTagHeartbeat) {
        if (id == m_heartbeatTimer) heartbeat(ctx);
        return;
    }
    if (tag.rfind(kTpc3TagPrefix, 0) == 0) return tpc3().onTimer(ctx, id, tag);
    txn::TwoPhaseCommitParticipant::onTimer(ctx, id, tag);
}

void CounterReplica::heartbeat(Context& ctx) {
    for (const NodeId& worker : m_config.workers) ctx.send(worker, makeBody(CounterHeartbeat{}));
    m_heartbeatTimer = ctx.setTimer(millis(m_config.heartbeatMs), kTagHeartbeat);
}

bool CounterReplica::inDoubt(const std::string& key, const std::string& except) const {
    auto it = m_ready.find(key);
    if (it == m_ready.end()) return false;
    for (const std::string& txn : it->second)
        if (txn != except) return true;
    return false;
}

bool CounterReplica::admit(Context& ctx, const std::string& key, std::int64_t fence) {
    std::int64_t& highest = m_highest[key];
    if (!m_switches[Switch::Fencing] && fence < highest) return false;
    if (fence > highest) {
        highest = fence;
        ctx.store().put(std::string(kFencePrefix) + key, std::to_string(fence));
    }
    return true;
}

void CounterReplica::onFetch(Context& ctx, const Envelope& message) {
    Result<CounterFetch> fetch = bodyAs<CounterFetch>(message.body);
    if (!fetch) return ctx.replyError(message, ErrorCode::MalformedRequest, fetch.error().message);
    if (std::string problem = validateKey(fetch->key); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    if (!admit(ctx, fetch->key, fetch->fence))
        return ctx.replyError(message, ErrorCode::PreconditionFailed,
                              "fencing token " + std::to_string(fetch->fence) + " is older than " +
                                  std::to_string(m_highest[fetch->key]) + " for key " + fetch->key);
    CounterFetchOk answer{fetch->key, Json(), inDoubt(fetch->key)};
    if (auto it = m_states.find(fetch->key); it != m_states.end()) answer.state = keyStateToJson(it->second);
    ctx.reply(message, makeBody(answer));
}

bool CounterReplica::canCommit(Context& ctx, const std::string& txn, const txn::TpcParticipantTxn& entry) {
    return vote(ctx, txn, entry.work);
}

void CounterReplica::onConcluded(Context& ctx, const std::string& txn, const txn::TpcParticipantTxn& entry) {
    conclude(ctx, txn, entry.work, entry.state == txn::TpcParticipantState::Commit);
}

bool CounterReplica::vote(Context& ctx, const std::string& txn, const Json& json) {
    const std::optional<CommitWork> work = commitWorkFromJson(json);
    if (!work) return false;
    if (inDoubt(work->key, txn)) return false;
    if (!admit(ctx, work->key, work->fence)) return false;
    m_ready[work->key].insert(txn);  // the yes vote makes it READY
    return true;
}

void CounterReplica::conclude(Context& ctx, const std::string& txn, const Json& json, bool commit) {
    const std::optional<CommitWork> work = commitWorkFromJson(json);
    if (!work) return;
    if (auto it = m_ready.find(work->key); it != m_ready.end() && it->second.erase(txn) && it->second.empty())
        m_ready.erase(it);
    if (!commit) return;
    m_states[work->key] = work->state;
    ctx.store().put(std::string(kStatePrefix) + work->key, keyStateToJson(work->state).dump());
    ctx.traceState(work->key + " = " + std::to_string(work->state.value) + " (version " +
                   std::to_string(work->state.version) + ")");
}

void CounterReplica::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    for (const auto& [key, state] : m_states)
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "key"),
                         key + " = " + std::to_string(state.value) + " (version " + std::to_string(state.version) +
                             ", fence " + std::to_string(state.fence) + ")");
    txn::TwoPhaseCommitParticipant::describe(out);
    if (m_tpc3.transactions().empty()) return;
    std::vector<std::pair<std::string, std::string>> threePhase;
    m_tpc3.describe(threePhase);
    for (auto& row : threePhase)
        if (row.first != "role") out.push_back(std::move(row));
}

Json CounterReplica::observe(SimTime now) const {
    (void)now;
    Json keys = Json::object();
    Json doubtful = Json::array();
    for (const auto& [key, state] : m_states) {
        keys[key] = Json{{"value", state.value}, {"version", state.version}};
        if (inDoubt(key)) doubtful.push_back(key);
    }
    return Json{{"role", "replica"}, {"keys", keys}, {"in_doubt", doubtful}};
}

}  // namespace distlab::counter
