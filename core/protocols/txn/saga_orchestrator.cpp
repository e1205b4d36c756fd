// The saga orchestrator (Garcia-Molina & Salem 1987; Richardson, "Microservices Patterns", ch. 4): steps
// forward, compensations backwards, a durable log written before every action is sent, and recovery from
// that log after a crash. The state machine is drawn in the header.
#include "core/protocols/txn/saga_orchestrator.h"

#include <algorithm>
#include <cassert>
#include <optional>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

namespace {

const std::string kTagResend = "saga-resend";
const std::string kTagDeadline = "saga-deadline";
const std::string kTagRetry = "saga-retry";

std::string logKey(const std::string& saga) {
    return std::string(kSagaLogPrefix) + saga;
}

bool sameRun(const SagaLog& log, const SagaRun& run) {
    if (log.failAt != run.fail_at || log.timeoutAt != run.timeout_at || log.steps.size() != run.steps.size())
        return false;
    for (std::size_t i = 0; i < log.steps.size(); ++i) {
        if (Json(log.steps[i]) != Json(run.steps[i])) return false;
    }
    return true;
}

std::optional<SagaLog> logFromJson(const Json& json) {
    if (!json.is_object()) return std::nullopt;
    try {
        SagaLog log;
        log.saga = json.at("saga").get<std::string>();
        log.steps = json.at("steps").get<std::vector<SagaStepSpec>>();
        log.failAt = json.at("fail_at").get<std::int64_t>();
        log.timeoutAt = json.at("timeout_at").get<std::int64_t>();
        const auto phase = kSagaMachine.parse(json.at("phase").get<std::string>());
        if (!phase) return std::nullopt;
        log.phase = *phase;  // recovery: the logged phase, taken as it is
        log.index = json.at("index").get<std::int64_t>();
        log.failedStep = json.at("failed_step").get<std::int64_t>();
        log.failedReason = json.at("failed_reason").get<std::string>();
        const auto count = static_cast<std::int64_t>(log.steps.size());
        if (log.steps.empty() || log.index < 0 || log.index > count) return std::nullopt;
        return log;
    } catch (const Json::exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::string_view sagaPhaseName(SagaPhase phase) { return kSagaMachine.name(phase); }

std::string_view sagaTraceWord(SagaPhase phase) { return kSagaTraceWords.name(phase); }

SagaOrchestrator::SagaOrchestrator(SagaOrchestratorConfig config) : m_config(config) {}

void SagaOrchestrator::onStart(Context& ctx) {
    for (const auto& [key, stored] : ctx.store().scan(kSagaLogPrefix)) {
        std::optional<SagaLog> log = logFromJson(Json::parse(stored, nullptr, /*allow_exceptions=*/false));
        if (log) m_sagas.emplace(log->saga, std::move(*log));
    }
    // Resume every unfinished saga where its log says it was: resend the action in flight.
    for (auto& [saga, log] : m_sagas) {
        if (log.phase == SagaPhase::Running) {
            traceSaga(ctx, log, "resumed from the log");
            armTimer(ctx, saga, TimerKind::Deadline, m_config.stepTimeoutMs);
            sendStep(ctx, log);
        } else if (log.phase == SagaPhase::Compensating) {
            traceSaga(ctx, log, "resumed from the log");
            m_timers[saga].backoffMs = m_config.compensateRetryMinMs;
            sendCompensate(ctx, log);
        }
    }
}

void SagaOrchestrator::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == SagaRun::kType) return onRun(ctx, message);
    if (type == SagaStepOk::kType) return onStepOk(ctx, message);
    if (type == SagaStepFailed::kType) return onStepFailed(ctx, message);
    if (type == SagaCompensateOk::kType) return onCompensateOk(ctx, message);
    // Never answer a reply or an error with an error: two nodes could bounce errors forever. An error from
    // a service (full, say) is left to the step's deadline or the compensation's retry.
    ctx.replyNotSupported(message, "a saga orchestrator");
}

void SagaOrchestrator::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    (void)tag;
    auto owner = m_timerOwners.find(id);
    if (owner == m_timerOwners.end()) return;
    const auto [saga, kind] = owner->second;
    m_timerOwners.erase(owner);
    SagaLog* log = find(saga);
    if (!log) return;
    SagaTimers& timers = m_timers[saga];
    switch (kind) {
        case TimerKind::Resend:
            timers.resend = 0;
            if (log->phase != SagaPhase::Running) return;
            ++m_resends;
            sendStep(ctx, *log);
            return;
        case TimerKind::Deadline:
            timers.deadline = 0;
            if (log->phase != SagaPhase::Running) return;
            stepFailed(ctx, *log, "timeout");
            return;
        case TimerKind::Retry:
            timers.retry = 0;
            if (log->phase != SagaPhase::Compensating) return;
            ++m_resends;
            timers.backoffMs = std::min(timers.backoffMs * 2, m_config.compensateRetryMaxMs);
            sendCompensate(ctx, *log);
            return;
    }
}

void SagaOrchestrator::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    std::size_t counts[4] = {0, 0, 0, 0};
    for (const auto& [saga, log] : m_sagas) ++counts[static_cast<int>(log.phase)];
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "running"), std::to_string(counts[0]));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "compensating"), std::to_string(counts[1]));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "done"), std::to_string(counts[2]));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "compensated"), std::to_string(counts[3]));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "resends"), std::to_string(m_resends));
    if (m_sagas.empty())
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "saga"), QT_TRANSLATE_NOOP("Details", "none"));
    for (const auto& [saga, log] : m_sagas) {
        std::string text = saga + ": " + std::string(sagaTraceWord(log.phase));
        if (log.phase == SagaPhase::Running || log.phase == SagaPhase::Compensating) {
            const bool compensation = log.phase == SagaPhase::Compensating;
            text += " " + sagaActionName(compensation, log.index) + " at " +
                    log.steps[static_cast<std::size_t>(log.index - 1)].service;
        }
        text += " (" + std::to_string(log.steps.size()) + " steps";
        if (log.failedStep != 0)
            text += ", T" + std::to_string(log.failedStep) + " failed: " + log.failedReason;
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "saga"), text + ")");
    }
}

// --- requests and replies ---

void SagaOrchestrator::onRun(Context& ctx, const Envelope& message) {
    Result<SagaRun> run = parseSagaRun(message.body);
    if (!run) return ctx.replyError(message, ErrorCode::MalformedRequest, run.error().message);
    if (const SagaLog* existing = find(run->saga)) {
        // A resend of the same saga is answered with where it stands; it never runs twice.
        if (!sameRun(*existing, run.value()))
            return ctx.replyError(message, ErrorCode::KeyAlreadyExists,
                                  "saga " + run->saga + " already exists with other steps; choose a new id");
        ctx.reply(message, makeBody(SagaRunOk{run->saga, std::string(sagaPhaseName(existing->phase))}));
        return;
    }
    if (m_sagas.size() >= m_config.sagasMax)
        return ctx.replyError(message, ErrorCode::TemporarilyUnavailable,
                              ctx.self() + " already logs " + std::to_string(m_config.sagasMax) + " sagas");
    SagaLog log;
    log.saga = run->saga;
    log.steps = run->steps;
    log.failAt = run->fail_at;
    log.timeoutAt = run->timeout_at;
    SagaLog& stored = m_sagas.emplace(log.saga, std::move(log)).first->second;
    ctx.reply(message, makeBody(SagaRunOk{stored.saga, std::string(sagaPhaseName(SagaPhase::Running))}));
    beginStep(ctx, stored, 1);
}

void SagaOrchestrator::onStepOk(Context& ctx, const Envelope& message) {
    Result<SagaStepOk> ok = parseSagaStepOk(message.body);
    if (!ok) return;
    SagaLog* log = find(ok->saga);
    if (!log || log->phase != SagaPhase::Running || log->index != ok->index) return;  // stale or duplicate
    stepSucceeded(ctx, *log);
}

void SagaOrchestrator::onStepFailed(Context& ctx, const Envelope& message) {
    Result<SagaStepFailed> failed = parseSagaStepFailed(message.body);
    if (!failed) return;
    SagaLog* log = find(failed->saga);
    if (!log || log->phase != SagaPhase::Running || log->index != failed->index) return;
    // Whatever the service's reason, it did not apply the step and never will: nothing to undo at Tj.
    stepFailed(ctx, *log, "refused");
}

void SagaOrchestrator::onCompensateOk(Context& ctx, const Envelope& message) {
    Result<SagaCompensateOk> ok = parseSagaCompensateOk(message.body);
    if (!ok) return;
    SagaLog* log = find(ok->saga);
    if (!log || log->phase != SagaPhase::Compensating || log->index != ok->index) return;
    compensationSucceeded(ctx, *log);
}

// --- transitions ---

void SagaOrchestrator::beginStep(Context& ctx, SagaLog& log, std::int64_t index) {
    transition(ctx, log, SagaPhase::Running);
    log.index = index;
    save(ctx, log);  // the log first: a crash from here on resends Tindex
    traceSaga(ctx, log);
    cancelTimers(ctx, log.saga);
    armTimer(ctx, log.saga, TimerKind::Deadline, m_config.stepTimeoutMs);
    sendStep(ctx, log);
}

void SagaOrchestrator::stepSucceeded(Context& ctx, SagaLog& log) {
    const std::int64_t done = log.index;
    cancelTimers(ctx, log.saga);
    if (done == static_cast<std::int64_t>(log.steps.size())) {
        transition(ctx, log, SagaPhase::Done);
        save(ctx, log);
        recordAction(ctx, log, false, done, "ok");
        return finish(ctx, log, SagaPhase::Done);
    }
    log.index = done + 1;
    save(ctx, log);
    recordAction(ctx, log, false, done, "ok");
    beginStep(ctx, log, done + 1);
}

void SagaOrchestrator::stepFailed(Context& ctx, SagaLog& log, const std::string& reason) {
    const std::int64_t failed = log.index;
    cancelTimers(ctx, log.saga);
    log.failedStep = failed;
    log.failedReason = reason;
    // A refused step never ran; a step that timed out may have, and its compensation undoes it (or leaves
    // a tombstone so that it never applies).
    const std::int64_t first = reason == "refused" ? failed - 1 : failed;
    if (first == 0) {
        transition(ctx, log, SagaPhase::Compensated);
        save(ctx, log);
        recordAction(ctx, log, false, failed, "failed", reason);
        return finish(ctx, log, SagaPhase::Compensated);
    }
    transition(ctx, log, SagaPhase::Compensating);
    log.index = first;
    save(ctx, log);
    recordAction(ctx, log, false, failed, "failed", reason);
    beginCompensation(ctx, log, first);
}

void SagaOrchestrator::beginCompensation(Context& ctx, SagaLog& log, std::int64_t index) {
    transition(ctx, log, SagaPhase::Compensating);
    log.index = index;
    save(ctx, log);  // the log first: a crash from here on resends Cindex
    traceSaga(ctx, log);
    cancelTimers(ctx, log.saga);
    m_timers[log.saga].backoffMs = m_config.compensateRetryMinMs;
    sendCompensate(ctx, log);
}

void SagaOrchestrator::compensationSucceeded(Context& ctx, SagaLog& log) {
    const std::int64_t done = log.index;
    cancelTimers(ctx, log.saga);
    if (done == 1) {
        transition(ctx, log, SagaPhase::Compensated);
        save(ctx, log);
        recordAction(ctx, log, true, done, "ok");
        return finish(ctx, log, SagaPhase::Compensated);
    }
    log.index = done - 1;
    save(ctx, log);
    recordAction(ctx, log, true, done, "ok");
    beginCompensation(ctx, log, done - 1);
}

void SagaOrchestrator::finish(Context& ctx, SagaLog& log, SagaPhase phase) {
    assert(log.phase == phase && "the log holds the end before it is recorded");
    cancelTimers(ctx, log.saga);
    m_timers.erase(log.saga);
    ctx.recordOp(OpPhase::Ok, ctx.store().increment(std::string(kTxnOpCounterKey)), "saga-end",
                 Json{{"saga", log.saga},
                      {"outcome", sagaPhaseName(phase)},
                      {"steps", log.steps.size()}});
    traceSaga(ctx, log);
}

void SagaOrchestrator::transition(Context& ctx, SagaLog& log, SagaPhase to) {
    kSagaMachine.check(log.phase, to, ctx.self(), ctx.now(), "saga " + log.saga);
    log.phase = to;
}

// --- sending, timers, records ---

void SagaOrchestrator::sendStep(Context& ctx, const SagaLog& log) {
    const SagaStepSpec& spec = log.steps.at(static_cast<std::size_t>(log.index - 1));
    ctx.send(spec.service, makeBody(SagaStep{log.saga, log.index, spec.action, spec.amount,
                                             log.failAt == log.index, log.timeoutAt == log.index}));
    armTimer(ctx, log.saga, TimerKind::Resend, m_config.stepResendMs);
}

void SagaOrchestrator::sendCompensate(Context& ctx, const SagaLog& log) {
    const SagaStepSpec& spec = log.steps.at(static_cast<std::size_t>(log.index - 1));
    ctx.send(spec.service, makeBody(SagaCompensate{log.saga, log.index}));
    armTimer(ctx, log.saga, TimerKind::Retry, m_timers[log.saga].backoffMs);
}

void SagaOrchestrator::armTimer(Context& ctx, const std::string& saga, TimerKind kind, std::int64_t delayMs) {
    SagaTimers& timers = m_timers[saga];
    TimerId& slot = kind == TimerKind::Resend     ? timers.resend
                    : kind == TimerKind::Deadline ? timers.deadline
                                                  : timers.retry;
    if (slot != 0) {
        ctx.cancelTimer(slot);
        m_timerOwners.erase(slot);
    }
    const std::string& tag = kind == TimerKind::Resend     ? kTagResend
                             : kind == TimerKind::Deadline ? kTagDeadline
                                                           : kTagRetry;
    slot = ctx.setTimer(millis(delayMs), tag);
    m_timerOwners[slot] = {saga, kind};
}

void SagaOrchestrator::cancelTimers(Context& ctx, const std::string& saga) {
    auto it = m_timers.find(saga);
    if (it == m_timers.end()) return;
    for (TimerId* slot : {&it->second.resend, &it->second.deadline, &it->second.retry}) {
        if (*slot == 0) continue;
        ctx.cancelTimer(*slot);
        m_timerOwners.erase(*slot);
        *slot = 0;
    }
}

void SagaOrchestrator::recordAction(Context& ctx, const SagaLog& log, bool compensation, std::int64_t index,
                                    std::string_view result, std::string_view reason) {
    Json value{{"saga", log.saga}, {"action", sagaActionName(compensation, index)}, {"result", result}};
    if (!reason.empty()) value["reason"] = reason;
    ctx.recordOp(OpPhase::Ok, ctx.store().increment(std::string(kTxnOpCounterKey)), "saga", std::move(value));
}

void SagaOrchestrator::traceSaga(Context& ctx, const SagaLog& log, std::string_view note) {
    std::string text = sagaStateText(log.saga, sagaTraceWord(log.phase));
    if (log.phase == SagaPhase::Running || log.phase == SagaPhase::Compensating) {
        text += " " + sagaActionName(log.phase == SagaPhase::Compensating, log.index) + " at " +
                log.steps.at(static_cast<std::size_t>(log.index - 1)).service;
    }
    if (!note.empty()) text += ", " + std::string(note);
    ctx.traceState(text);
}

void SagaOrchestrator::save(Context& ctx, const SagaLog& log) {
    ctx.store().put(logKey(log.saga), Json{{"saga", log.saga},
                                           {"steps", log.steps},
                                           {"fail_at", log.failAt},
                                           {"timeout_at", log.timeoutAt},
                                           {"phase", sagaPhaseName(log.phase)},
                                           {"index", log.index},
                                           {"failed_step", log.failedStep},
                                           {"failed_reason", log.failedReason}}
                                          .dump());
}

SagaLog* SagaOrchestrator::find(const std::string& saga) {
    auto it = m_sagas.find(saga);
    return it == m_sagas.end() ? nullptr : &it->second;
}

}  // namespace distlab::txn
