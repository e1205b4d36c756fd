// A saga participant (Garcia-Molina & Salem 1987): steps and compensations as idempotent local
// transactions on a durable balance, with tombstones so that a step arriving after its compensation never
// applies. The record state machine is drawn in the header.
#include "core/protocols/txn/saga_service.h"

#include <optional>

#include "core/protocols/txn/saga_orchestrator.h"
#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

namespace {

std::string recordKey(const std::string& saga, std::int64_t index) {
    return std::string(kSagaRecordPrefix) + saga + "/" + std::to_string(index);
}

std::optional<SagaRecordState> recordStateFromName(std::string_view name) { return kSagaRecordMachine.parse(name); }

}  // namespace

std::string_view sagaRecordStateName(SagaRecordState state) { return kSagaRecordMachine.name(state); }

SagaService::SagaService(SagaServiceConfig config) : m_config(config) {}

void SagaService::onStart(Context& ctx) {
    if (std::optional<std::string> text = ctx.store().get(std::string(kSagaBalanceKey))) {
        Json json = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
        if (json.is_number_integer()) m_balance = json.get<std::int64_t>();
    }
    for (const auto& [key, stored] : ctx.store().scan(kSagaRecordPrefix)) {
        Json json = Json::parse(stored, nullptr, /*allow_exceptions=*/false);
        if (!json.is_object()) continue;
        try {
            SagaRecord record;
            const auto state = recordStateFromName(json.at("state").get<std::string>());
            if (!state) continue;
            record.state = *state;
            record.action = json.at("action").get<std::string>();
            record.amount = json.at("amount").get<std::int64_t>();
            m_records[{json.at("saga").get<std::string>(), json.at("index").get<std::int64_t>()}] = record;
        } catch (const Json::exception&) {
            continue;  // an unreadable record is skipped; the balance on disk is what counts
        }
    }
}

void SagaService::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == SagaStep::kType) return onStep(ctx, message);
    if (type == SagaCompensate::kType) return onCompensate(ctx, message);
    if (type == SagaRead::kType) return onRead(ctx, message);
    ctx.replyNotSupported(message, "a saga service");
}

void SagaService::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    std::size_t counts[4] = {0, 0, 0, 0};
    for (const auto& [key, record] : m_records) ++counts[static_cast<int>(record.state)];
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "balance"), std::to_string(m_balance));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "applied steps"), std::to_string(counts[0]));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "refused"), std::to_string(counts[1]));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "compensated"), std::to_string(counts[2]));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "tombstones"), std::to_string(counts[3]));
    for (const auto& [key, record] : m_records) {
        if (record.state != SagaRecordState::Applied) continue;
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "step"),
                         key.first + " " + sagaActionName(false, key.second) + " " + record.action + " " +
                             std::to_string(record.amount));
    }
}

const SagaRecord* SagaService::record(const std::string& saga, std::int64_t index) const {
    auto it = m_records.find({saga, index});
    return it == m_records.end() ? nullptr : &it->second;
}

void SagaService::onStep(Context& ctx, const Envelope& message) {
    Result<SagaStep> step = parseSagaStep(message.body);
    if (!step) return ctx.replyError(message, ErrorCode::MalformedRequest, step.error().message);
    const std::string action = sagaActionName(false, step->index);
    auto it = m_records.find({step->saga, step->index});
    if (it == m_records.end()) {
        if (m_records.size() >= m_config.recordsMax)
            return ctx.replyError(
                message, ErrorCode::TemporarilyUnavailable,
                ctx.self() + " already keeps " + std::to_string(m_config.recordsMax) + " saga records");
        SagaRecord record{step->fail ? SagaRecordState::Refused : SagaRecordState::Applied, step->action,
                          step->amount};
        it = m_records.emplace(std::pair{step->saga, step->index}, record).first;
        if (record.state == SagaRecordState::Applied) {
            m_balance += step->amount;
            saveBalance(ctx);
        }
        save(ctx, step->saga, step->index);
        // A refused step turns its saga to compensation, so the trace shows it under COMPENSATING.
        const SagaPhase shown = record.state == SagaRecordState::Applied ? SagaPhase::Running : SagaPhase::Compensating;
        ctx.traceState(sagaStateText(step->saga, sagaTraceWord(shown)) + " " + action +
                       (record.state == SagaRecordState::Applied ? " applied, balance " + std::to_string(m_balance)
                                                                 : std::string(" refused")));
    }
    // A hung step never answers, whatever is resent (the lab's timeout).
    if (step->hang && it->second.state == SagaRecordState::Applied) return;
    switch (it->second.state) {
        case SagaRecordState::Applied:
            ctx.reply(message, makeBody(SagaStepOk{step->saga, step->index}));
            return;
        case SagaRecordState::Refused:
            ctx.reply(message, makeBody(SagaStepFailed{step->saga, step->index, "refused"}));
            return;
        case SagaRecordState::Compensated:
        case SagaRecordState::Tombstone:
            ctx.reply(message, makeBody(SagaStepFailed{step->saga, step->index, "compensated"}));
            return;
    }
}

void SagaService::onCompensate(Context& ctx, const Envelope& message) {
    Result<SagaCompensate> compensate = parseSagaCompensate(message.body);
    if (!compensate) return ctx.replyError(message, ErrorCode::MalformedRequest, compensate.error().message);
    const std::string action = sagaActionName(true, compensate->index);
    auto it = m_records.find({compensate->saga, compensate->index});
    if (it == m_records.end()) {
        // Ti has not arrived (and may never, or may arrive late): remember that it must not apply.
        // A tombstone is kept even past recordsMax: refusing it could let a late Ti apply.
        m_records.emplace(std::pair{compensate->saga, compensate->index},
                          SagaRecord{SagaRecordState::Tombstone, "", 0});
        save(ctx, compensate->saga, compensate->index);
        ctx.traceState(sagaStateText(compensate->saga, sagaTraceWord(SagaPhase::Compensating)) + " " + action +
                       " tombstone");
    } else if (it->second.state == SagaRecordState::Applied) {
        transition(ctx, compensate->saga, compensate->index, SagaRecordState::Compensated);
        m_balance -= it->second.amount;
        saveBalance(ctx);
        save(ctx, compensate->saga, compensate->index);
        ctx.traceState(sagaStateText(compensate->saga, sagaTraceWord(SagaPhase::Compensating)) + " " + action +
                       " undone, balance " + std::to_string(m_balance));
    }
    ctx.reply(message, makeBody(SagaCompensateOk{compensate->saga, compensate->index}));
}

void SagaService::onRead(Context& ctx, const Envelope& message) {
    SagaReadOk read;
    read.balance = m_balance;
    for (const auto& [key, record] : m_records) {
        if (record.state == SagaRecordState::Applied)
            read.applied.push_back({key.first, key.second, record.action, record.amount});
    }
    ctx.reply(message, makeBody(read));
}

void SagaService::transition(Context& ctx, const std::string& saga, std::int64_t index, SagaRecordState to) {
    SagaRecord& record = m_records.at({saga, index});
    kSagaRecordMachine.check(record.state, to, ctx.self(), ctx.now(), saga + " " + sagaActionName(false, index));
    record.state = to;
}

void SagaService::save(Context& ctx, const std::string& saga, std::int64_t index) {
    const SagaRecord& record = m_records.at({saga, index});
    ctx.store().put(recordKey(saga, index), Json{{"saga", saga},
                                                 {"index", index},
                                                 {"state", sagaRecordStateName(record.state)},
                                                 {"action", record.action},
                                                 {"amount", record.amount}}
                                                .dump());
}

void SagaService::saveBalance(Context& ctx) {
    ctx.store().put(std::string(kSagaBalanceKey), Json(m_balance).dump());
}

}  // namespace distlab::txn
