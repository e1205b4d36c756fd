// The transaction lab: builds the coordinators, participants, orchestrator and services on first use, turns
// the console's txn and saga commands into control messages, and reads the history back for the summary.
#include "core/labs/txn/txn_lab.h"

#include <algorithm>
#include <array>
#include <map>

#include "core/check/saga_checks.h"
#include "core/check/txn_checks.h"
#include "core/labs/txn/txn_commands.h"
#include "core/node/json_fields.h"
#include "core/protocols/txn/saga_messages.h"
#include "core/protocols/txn/saga_orchestrator.h"
#include "core/protocols/txn/saga_service.h"
#include "core/protocols/txn/three_pc_messages.h"
#include "core/protocols/txn/three_phase_commit_coordinator.h"
#include "core/protocols/txn/three_phase_commit_participant.h"
#include "core/protocols/txn/tpc_messages.h"
#include "core/protocols/txn/two_phase_commit_coordinator.h"
#include "core/protocols/txn/two_phase_commit_participant.h"

namespace distlab {

constexpr const char* kTxnIdPrefix = "tx-";
const char* const kTpcCoordinatorId = "tx-co";
const char* const kTpc3CoordinatorId = "tx-co3";
const char* const kSagaOrchestratorId = "tx-orch";

static_assert(kTxnParticipantsMax <= txn::kTpcParticipantsMax && kTxnParticipantsMax <= txn::kParticipantsMax,
              "every participant list the console accepts must fit the protocols' messages");
static_assert(std::size_t(kSagaStepsMax) <= txn::kSagaStepsMax && kSagaNameBytesMax <= txn::kSagaIdBytesMax,
              "every saga the console accepts must fit the orchestrator's limits");

namespace {

// What the steps of a lab saga do, for people reading the trace; step i does kSagaActions[(i-1) % size].
constexpr std::array<const char*, 6> kSagaActions = {"reserve-seat", "charge-card", "book-hotel",
                                                     "rent-car",     "send-ticket", "notify"};
constexpr std::int64_t kSagaStepAmount = 10;

std::string joinedIds(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
    return out;
}

// A noun inside a translated answer, so it is translated with it ("t1: 三阶段提交 ...").
Text protocolName(const std::string& protocol) {
    if (protocol == "2pc") return makeText(QT_TRANSLATE_NOOP("Core", "two-phase commit"));
    if (protocol == "3pc") return makeText(QT_TRANSLATE_NOOP("Core", "three-phase commit"));
    return makeText(QT_TRANSLATE_NOOP("Core", "saga"));
}

}  // namespace

TxnLab::TxnLab(LabHost& host, TxnSpec spec)
    : Lab(host), m_cluster(host.cluster()), m_spec(std::move(spec)), m_control(host.controlId()) {}

LabEntry TxnLab::registryEntry() {
    return LabEntry{
        "txn",
        kTxnIdPrefix,
        [](const Json& value, const SectionReader& reader, const std::string& path) {
            return txnSectionToJson(readTxnSection(value, reader, path));
        },
        nullptr,  // it starts with a scenario that has its section
        txnCommands(),
        {},
        [](LabHost& host, const Scenario* scenario) -> std::unique_ptr<Lab> {
            return std::make_unique<TxnLab>(host, scenario ? labSection(*scenario, "txn", readTxnSection) : TxnSpec{});
        },
    };
}

std::vector<std::string> TxnLab::memberIds(const std::string& protocol) const {
    const std::string prefix = protocol == "2pc" ? "p" : protocol == "3pc" ? "q" : "s";
    std::vector<std::string> ids;
    for (int i = 1; i <= m_spec.participants; ++i) ids.push_back(kTxnIdPrefix + (prefix + std::to_string(i)));
    return ids;
}

std::string TxnLab::driverOf(const std::string& protocol) {
    return protocol == "2pc"   ? kTpcCoordinatorId
           : protocol == "3pc" ? kTpc3CoordinatorId
                               : kSagaOrchestratorId;
}

bool TxnLab::ownsNode(const std::string& id) const {
    for (const std::string& protocol : m_started) {
        if (id == driverOf(protocol)) return true;
        const auto members = memberIds(protocol);
        if (std::find(members.begin(), members.end(), id) != members.end()) return true;
    }
    return false;
}

bool TxnLab::isDriver(const std::string& id) const {
    return id == kTpcCoordinatorId || id == kTpc3CoordinatorId || id == kSagaOrchestratorId;
}

bool TxnLab::isUp(const std::string& id) const {
    const NodeStatus status = m_cluster.status(id);
    return status != NodeStatus::Crashed && status != NodeStatus::Removed;
}

Status TxnLab::requireUp(const std::string& id) const {
    if (isUp(id)) return Ok{};
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is down, so nothing would start"), id),
                     makeText(QT_TRANSLATE_NOOP("Core", "restart it with 'node restart %1'"), id));
}

Status TxnLab::ensureNodes(const std::string& protocol) {
    if (m_started.count(protocol)) return Ok{};
    const std::string driver = driverOf(protocol);
    std::vector<std::string> ids = memberIds(protocol);
    ids.insert(ids.begin(), driver);
    // All or nothing: a clash leaves the world as it was.
    for (const auto& id : ids) {
        if (m_cluster.has(id))
            return makeError(
                makeText(QT_TRANSLATE_NOOP("Core", "cannot start the %1 nodes: node '%2' already exists"),
                         protocolName(protocol), id),
                makeText(QT_TRANSLATE_NOOP(
                    "Core",
                    "the transaction lab needs the ids tx-co, tx-p1.., tx-co3, tx-q1.., tx-orch and tx-s1.. for itself")));
    }
    for (const auto& id : ids) {
        Status added = makeError("no node");
        if (protocol == "2pc") {
            txn::TwoPhaseCommitConfig config;
            config.voteTimeoutMs = m_spec.voteTimeout / kMicrosPerMilli;
            config.decisionTimeoutMs = m_spec.decisionTimeout / kMicrosPerMilli;
            if (id == driver)
                added = m_cluster.addNode(
                    id, [config] { return std::make_unique<txn::TwoPhaseCommitCoordinator>(config); });
            else
                added = m_cluster.addNode(
                    id, [config] { return std::make_unique<txn::TwoPhaseCommitParticipant>(config); });
        } else if (protocol == "3pc") {
            const txn::ThreePhaseCommitConfig config;
            if (id == driver)
                added = m_cluster.addNode(
                    id, [config] { return std::make_unique<txn::ThreePcCoordinator>(config); });
            else
                added = m_cluster.addNode(
                    id, [config] { return std::make_unique<txn::ThreePcParticipant>(config); });
        } else {
            txn::SagaOrchestratorConfig config;
            config.stepTimeoutMs = m_spec.stepTimeout / kMicrosPerMilli;
            if (id == driver)
                added =
                    m_cluster.addNode(id, [config] { return std::make_unique<txn::SagaOrchestrator>(config); });
            else
                added = m_cluster.addNode(id, [] { return std::make_unique<txn::SagaService>(); });
        }
        if (!added) return added.error();
    }
    m_started.insert(protocol);
    return Ok{};
}

Result<Text> TxnLab::execute(const Command& command) {
    if (command.is(txn_commands::kTxn2pc)) return startCommit(command, false);
    if (command.is(txn_commands::kTxn3pc)) return startCommit(command, true);
    if (command.is(txn_commands::kSagaRun)) return runSaga(command);
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "command not supported here: %1"), command.text));
}

Result<Text> TxnLab::startCommit(const Command& command, bool threePhase) {
    const std::string protocol = threePhase ? "3pc" : "2pc";
    const std::string coordinator = threePhase ? kTpc3CoordinatorId : kTpcCoordinatorId;
    const std::vector<std::string> members = memberIds(protocol);
    // Everything is checked before the first node is added or message sent.
    for (const std::string& id : command.nodes) {
        if (std::find(members.begin(), members.end(), id) != members.end()) continue;
        const std::string other = std::string(kTxnIdPrefix) + (threePhase ? "p" : "q");
        if (id.rfind(other, 0) == 0 && id.size() > other.size())
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a %2 participant"), id,
                                      protocolName(protocol)),
                             threePhase
                                 ? makeText(QT_TRANSLATE_NOOP("Core",
                                                              "three-phase commit runs over tx-q1 to tx-q%1; "
                                                              "tx-p1.. are the two-phase commit participants"),
                                            m_spec.participants)
                                 : makeText(QT_TRANSLATE_NOOP("Core",
                                                              "two-phase commit runs over tx-p1 to tx-p%1; "
                                                              "tx-q1.. are the three-phase commit participants"),
                                            m_spec.participants));
        return makeError(
            makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a %2 participant"), id, protocolName(protocol)),
            makeText(QT_TRANSLATE_NOOP("Core",
                                       "this lab's participants are %1 (\"participants\" in the scenario's "
                                       "txn section sets how many)"),
                     joinedIds(members)));
    }
    if (command.nodes.empty())
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "a transaction needs at least one participant")));
    if (m_started.count(protocol))
        if (auto up = requireUp(coordinator); !up) return up.error();
    if (auto ok = ensureNodes(protocol); !ok) return ok.error();

    Transaction t;
    t.id = "t" + std::to_string(m_txns.size() + 1);
    t.protocol = protocol;
    t.coordinator = coordinator;
    t.participants = command.nodes;
    if (!command.groups.empty()) t.voteNo = command.groups.front();
    t.startedAt = m_cluster.now();
    Body body = threePhase ? makeBody(txn::Tpc3Begin{t.id, t.participants, t.voteNo})
                           : makeBody(txn::TpcBegin{t.id, t.participants, t.voteNo, {}});
    if (auto sent = m_cluster.sendFrom(m_control, coordinator, std::move(body)); !sent) return sent.error();
    m_txns.push_back(t);
    if (t.voteNo.empty())
        return makeText(QT_TRANSLATE_NOOP("Core", "%1: %2 started at %3 over %4"), t.id,
                        protocolName(protocol), coordinator, joinedIds(t.participants));
    return makeText(QT_TRANSLATE_NOOP("Core", "%1: %2 started at %3 over %4; %5 will vote no"), t.id,
                    protocolName(protocol), coordinator, joinedIds(t.participants), joinedIds(t.voteNo));
}

Result<Text> TxnLab::runSaga(const Command& command) {
    for (const Saga& saga : m_sagas)
        if (saga.name == command.key)
            return makeError(
                makeText(QT_TRANSLATE_NOOP("Core", "saga '%1' has already run in this lab"), command.key),
                makeText(QT_TRANSLATE_NOOP("Core", "give the new saga another name")));
    if (m_started.count("saga"))
        if (auto up = requireUp(kSagaOrchestratorId); !up) return up.error();
    if (auto ok = ensureNodes("saga"); !ok) return ok.error();

    const std::vector<std::string> services = memberIds("saga");
    txn::SagaRun run;
    run.saga = command.key;
    run.fail_at = command.failAt;
    run.timeout_at = command.timeoutAt;
    for (std::int64_t i = 1; i <= command.count; ++i) {
        txn::SagaStepSpec step;
        step.service = services[std::size_t(i - 1) % services.size()];
        step.action = kSagaActions[std::size_t(i - 1) % kSagaActions.size()];
        step.amount = kSagaStepAmount;
        run.steps.push_back(std::move(step));
    }
    if (auto sent = m_cluster.sendFrom(m_control, kSagaOrchestratorId, makeBody(run)); !sent)
        return sent.error();
    m_sagas.push_back(Saga{command.key, command.count, command.failAt, command.timeoutAt, m_cluster.now()});
    if (command.failAt > 0)
        return makeText(
            QT_TRANSLATE_NOOP("Core", "saga %1: %2 steps over %3 started at %4; step %5 will be refused"),
            command.key, command.count, joinedIds(services), kSagaOrchestratorId, command.failAt);
    if (command.timeoutAt > 0)
        return makeText(
            QT_TRANSLATE_NOOP("Core",
                              "saga %1: %2 steps over %3 started at %4; step %5 will never be answered"),
            command.key, command.count, joinedIds(services), kSagaOrchestratorId, command.timeoutAt);
    return makeText(QT_TRANSLATE_NOOP("Core", "saga %1: %2 steps over %3 started at %4"), command.key,
                    command.count, joinedIds(services), kSagaOrchestratorId);
}

std::vector<CheckResult> TxnLab::checks() const {
    std::vector<CheckResult> results;
    if (!m_txns.empty()) {
        results.push_back(checkAtomicity(m_cluster.trace()));
        results.push_back(checkValidity(m_cluster.trace()));
        results.push_back(checkIrrevocability(m_cluster.trace()));
    }
    if (!m_sagas.empty()) results.push_back(checkSagaLogShape(m_cluster.trace()));
    return results;
}

Json TxnLab::summaryJson() const {
    // Each node's first decision per transaction (irrevocability checks that there is no second).
    std::map<std::string, std::map<std::string, std::string>> decisions;  // txn -> node -> decision
    for (const ClientOp& op : m_cluster.trace().clientOps()) {
        if (op.f != "decide" || op.phase != OpPhase::Ok) continue;
        const std::string id = stringField(op.value, "txn");
        const std::string decision = stringField(op.value, "decision");
        if (id.empty() || decision.empty()) continue;
        decisions[id].emplace(op.process, decision);
    }
    const auto ready = readyTimes(m_cluster.trace(), m_cluster.now());

    Json transactions = Json::array();
    for (const Transaction& t : m_txns) {
        Json decided = Json::object();
        std::set<std::string> outcomes;
        if (auto found = decisions.find(t.id); found != decisions.end()) {
            for (const auto& [node, decision] : found->second) {
                decided[node] = decision;
                outcomes.insert(decision);
            }
        }
        Json blocked = Json::object();
        for (const std::string& p : t.participants) {
            auto it = ready.find({p, t.id});
            blocked[p] = it == ready.end() ? std::int64_t(0) : it->second / kMicrosPerMilli;
        }
        const std::string outcome = outcomes.empty()      ? "undecided"
                                    : outcomes.size() > 1 ? "split"
                                                          : *outcomes.begin();
        transactions.push_back(Json{{"txn", t.id},
                                    {"protocol", t.protocol},
                                    {"coordinator", t.coordinator},
                                    {"participants", t.participants},
                                    {"vote_no", t.voteNo},
                                    {"started_ms", toMillis(t.startedAt)},
                                    {"decisions", decided},
                                    {"outcome", outcome},
                                    {"blocked_ms", blocked}});
    }
    const auto outcomes = sagaOutcomes(m_cluster.trace());
    Json sagas = Json::array();
    for (const Saga& saga : m_sagas) {
        auto it = outcomes.find(saga.name);
        const std::string outcome = it == outcomes.end() || it->second.empty() ? "running" : it->second;
        sagas.push_back(Json{{"saga", saga.name},
                             {"steps", saga.steps},
                             {"fail_at", saga.failAt},
                             {"timeout_at", saga.timeoutAt},
                             {"started_ms", toMillis(saga.startedAt)},
                             {"outcome", outcome}});
    }
    return Json{{"participants", m_spec.participants}, {"transactions", transactions}, {"sagas", sagas}};
}

}  // namespace distlab
