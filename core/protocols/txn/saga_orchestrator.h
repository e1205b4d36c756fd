#pragma once
// The saga orchestrator (Garcia-Molina & Salem, "Sagas", SIGMOD 1987; orchestration as in Richardson,
// "Microservices Patterns", ch. 4): it runs the steps T1..Tn one after another, each on its service, and
// when a step fails or times out it runs the compensations backwards, retrying each until it succeeds.
//
// One saga, as the orchestrator's durable log sees it (n steps):
//
//   RUNNING(T1) --Tk ok, k < n--> RUNNING(Tk+1)
//   RUNNING(Tn) --Tn ok--> DONE                                     "saga <id> DONE"
//   RUNNING(Tj) --Tj refused (saga_step_failed)--> COMPENSATING(C(j-1))   Tj never ran: nothing to undo
//   RUNNING(Tj) --no answer within stepTimeoutMs--> COMPENSATING(Cj)      Tj may have run: undo it too
//   COMPENSATING(Ck) --Ck ok, k > 1--> COMPENSATING(Ck-1)
//   COMPENSATING(C1) --C1 ok--> ABORTED (outcome "compensated")
//   (a compensation that would start at C0 ends the saga at once: T1 was refused)
//
// So the executed sequence is always T1..Tn (done), or T1..T(j-1), Tj failed, then Cs..C1 with s = j - 1
// when the service refused Tj and s = j when Tj timed out (compensated). Compensations are never given up:
// each is resent with exponential backoff (compensateRetryMinMs doubling up to compensateRetryMaxMs) until
// its service answers; a step is resent every stepResendMs until its deadline.
//
// The log ("saga/log/<id>") is written before each step or compensation is sent, so a restarted
// orchestrator resumes every unfinished saga from it by resending the action in flight (the services are
// idempotent by (saga, index)). A resumed step gets a fresh deadline. Replies that do not match the action
// in flight (late, duplicated, or for an action already recorded) are ignored.
//
// History (core/protocols/txn/txn_record.h), recorded in the same handler that moves the log on:
//   f "saga"     {saga, action: "T3"|"C2", result: "ok"|"failed", reason: "refused"|"timeout" (failed)}
//   f "saga-end" {saga, outcome: "done"|"compensated", steps: n}
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/node/state_machine.h"
#include "core/protocols/txn/saga_messages.h"

namespace distlab::txn {

struct SagaOrchestratorConfig {
    std::int64_t stepTimeoutMs = 500;          // a step unanswered this long has failed (and may have run)
    std::int64_t stepResendMs = 120;           // a step is resent this often until its deadline
    std::int64_t compensateRetryMinMs = 50;    // first retry of an unanswered compensation
    std::int64_t compensateRetryMaxMs = 1600;  // the backoff doubles up to this
    std::size_t sagasMax = 10'000;             // sagas in the log; beyond it saga_run gets error 11
};

enum class SagaPhase { Running, Compensating, Done, Compensated };

// The words of the log and of saga_run_ok's status, and the moves drawn above: RUNNING -> RUNNING is the
// next step, COMPENSATING -> COMPENSATING the next compensation. A saga starts RUNNING at T1; recovery
// takes the logged phase as it is.
inline constexpr auto kSagaMachine = makeStateMachine<SagaPhase>(
    "saga orchestrator",
    {{SagaPhase::Running, "running"},
     {SagaPhase::Compensating, "compensating"},
     {SagaPhase::Done, "done"},
     {SagaPhase::Compensated, "compensated"}},
    {{SagaPhase::Running, SagaPhase::Running},
     {SagaPhase::Running, SagaPhase::Done},
     {SagaPhase::Running, SagaPhase::Compensating},
     {SagaPhase::Running, SagaPhase::Compensated},
     {SagaPhase::Compensating, SagaPhase::Compensating},
     {SagaPhase::Compensating, SagaPhase::Compensated}});
static_assert(kSagaMachine.wellFormed());

// The trace's words for the same phases (txn_record.h), which the services speak too: a compensated saga
// shows as ABORTED.
inline constexpr StateWords<SagaPhase, 4> kSagaTraceWords{{{
    {SagaPhase::Running, "RUNNING"},
    {SagaPhase::Compensating, "COMPENSATING"},
    {SagaPhase::Done, "DONE"},
    {SagaPhase::Compensated, "ABORTED"},
}}};

std::string_view sagaPhaseName(SagaPhase phase);  // "running", ... as in saga_run_ok's status
std::string_view sagaTraceWord(SagaPhase phase);  // "RUNNING", ... as in the trace

// One saga's durable log entry.
struct SagaLog {
    std::string saga;
    std::vector<SagaStepSpec> steps;
    std::int64_t failAt = 0;
    std::int64_t timeoutAt = 0;
    SagaPhase phase = SagaPhase::Running;
    std::int64_t index = 1;       // the action in flight: Tindex while running, Cindex while compensating
    std::int64_t failedStep = 0;  // the step that failed, 0 while none has
    std::string failedReason;     // "refused" | "timeout"
};

constexpr std::string_view kSagaLogPrefix = "saga/log/";

class SagaOrchestrator : public CopyableNode<SagaOrchestrator> {
public:
    explicit SagaOrchestrator(SagaOrchestratorConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "running", "compensating", "done", "compensated", and one "saga" row per saga.
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    const SagaOrchestratorConfig& config() const { return m_config; }
    const std::map<std::string, SagaLog>& sagas() const { return m_sagas; }
    std::uint64_t resends() const { return m_resends; }

private:
    // What the volatile timers of one saga are for.
    enum class TimerKind { Resend, Deadline, Retry };
    struct SagaTimers {
        TimerId resend = 0;
        TimerId deadline = 0;
        TimerId retry = 0;
        std::int64_t backoffMs = 0;
    };

    void onRun(Context& ctx, const Envelope& message);
    void onStepOk(Context& ctx, const Envelope& message);
    void onStepFailed(Context& ctx, const Envelope& message);
    void onCompensateOk(Context& ctx, const Envelope& message);

    // Transitions: each writes the log first, then records, traces and sends.
    void beginStep(Context& ctx, SagaLog& log, std::int64_t index);
    void stepSucceeded(Context& ctx, SagaLog& log);
    void stepFailed(Context& ctx, SagaLog& log, const std::string& reason);
    void beginCompensation(Context& ctx, SagaLog& log, std::int64_t index);
    void compensationSucceeded(Context& ctx, SagaLog& log);
    void finish(Context& ctx, SagaLog& log, SagaPhase phase);
    // The one place a saga's phase changes: the move must be one of kSagaMachine's.
    void transition(Context& ctx, SagaLog& log, SagaPhase to);

    void sendStep(Context& ctx, const SagaLog& log);
    void sendCompensate(Context& ctx, const SagaLog& log);
    void armTimer(Context& ctx, const std::string& saga, TimerKind kind, std::int64_t delayMs);
    void cancelTimers(Context& ctx, const std::string& saga);
    void recordAction(Context& ctx, const SagaLog& log, bool compensation, std::int64_t index,
                      std::string_view result, std::string_view reason = {});
    void traceSaga(Context& ctx, const SagaLog& log, std::string_view note = {});
    void save(Context& ctx, const SagaLog& log);
    SagaLog* find(const std::string& saga);

    SagaOrchestratorConfig m_config;
    std::map<std::string, SagaLog> m_sagas;
    std::map<std::string, SagaTimers> m_timers;                          // volatile, per saga
    std::map<TimerId, std::pair<std::string, TimerKind>> m_timerOwners;  // timer -> (saga, kind)
    std::uint64_t m_resends = 0;
};

}  // namespace distlab::txn
