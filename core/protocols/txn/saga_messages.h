#pragma once
// Messages of the orchestrated saga (Garcia-Molina & Salem, "Sagas", SIGMOD 1987; orchestration as in
// Richardson, "Microservices Patterns", ch. 4): the lab starts a saga at the orchestrator, the orchestrator
// asks each service in turn to run its step Ti, and, when a step fails or times out, asks the services to
// run the compensations backwards. Any client may read a service's local state (no isolation).
//
//   lab          -> orchestrator  saga_run {saga, steps: [{service, action, amount}], fail_at, timeout_at}
//   orchestrator -> lab           saga_run_ok {saga, status}
//   orchestrator -> service       saga_step {saga, index, action, amount, fail, hang}
//   service      -> orchestrator  saga_step_ok {saga, index} | saga_step_failed {saga, index, reason}
//   orchestrator -> service       saga_compensate {saga, index}
//   service      -> orchestrator  saga_compensate_ok {saga, index}
//   anyone       -> service       saga_read {}  ->  saga_read_ok {balance, applied: [{saga, index, action,
//                                                                                   amount}]}
// Indices count from 1 (T1 is the first step). fail_at / timeout_at are the lab's fault switches (0: none):
// the orchestrator passes them on as the step's `fail` (the service refuses the step: it did not and never
// will apply it) and `hang` (the service applies the step but never answers, so the orchestrator's
// deadline passes while the step has in fact run).
//
// Field names are the wire names (Maelstrom style, snake_case), hence the snake_case members here. A bad
// request gets error 12 (malformed-request), naming the field.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"
#include "core/base/result.h"

namespace distlab::txn {

// Limits, checked on every request.
constexpr std::size_t kSagaIdBytesMax = 64;
constexpr std::size_t kSagaNameBytesMax = 64;  // a service id or an action name
constexpr std::size_t kSagaStepsMax = 32;
constexpr std::int64_t kSagaAmountMax = 1'000'000;  // |amount| of one step

struct SagaStepSpec {
    std::string service;      // the node that runs Ti and Ci
    std::string action;       // what Ti does, for people ("reserve-seat"); Ci is its undo
    std::int64_t amount = 1;  // what Ti adds to the service's balance and Ci takes away again
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaStepSpec, service, action, amount)
};

// lab -> orchestrator: start a saga (a resend of the same saga is harmless: it is answered, not rerun).
struct SagaRun {
    static constexpr std::string_view kType = "saga_run";
    std::string saga;
    std::vector<SagaStepSpec> steps;
    std::int64_t fail_at = 0;     // 1-based step whose service refuses it; 0: none
    std::int64_t timeout_at = 0;  // 1-based step whose service never answers; 0: none
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaRun, saga, steps, fail_at, timeout_at)
};

struct SagaRunOk {
    static constexpr std::string_view kType = "saga_run_ok";
    std::string saga;
    std::string status;  // "running" | "compensating" | "done" | "compensated"
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaRunOk, saga, status)
};

// orchestrator -> service: run Ti (idempotent by (saga, index)).
struct SagaStep {
    static constexpr std::string_view kType = "saga_step";
    std::string saga;
    std::int64_t index = 0;
    std::string action;
    std::int64_t amount = 1;
    bool fail = false;  // lab fault: refuse the step
    bool hang = false;  // lab fault: apply the step, never answer
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaStep, saga, index, action, amount, fail, hang)
};

struct SagaStepOk {
    static constexpr std::string_view kType = "saga_step_ok";
    std::string saga;
    std::int64_t index = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaStepOk, saga, index)
};

// The service did not apply Ti and never will (its refusal, or a compensation that came first, is on its
// disk), so the orchestrator compensates from C(index-1).
struct SagaStepFailed {
    static constexpr std::string_view kType = "saga_step_failed";
    std::string saga;
    std::int64_t index = 0;
    std::string reason;  // "refused" | "compensated" (Ci arrived first and left a tombstone)
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaStepFailed, saga, index, reason)
};

// orchestrator -> service: run Ci: undo Ti if it ran, else leave a tombstone so that a late Ti never
// applies. Idempotent; always answered with saga_compensate_ok.
struct SagaCompensate {
    static constexpr std::string_view kType = "saga_compensate";
    std::string saga;
    std::int64_t index = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaCompensate, saga, index)
};

struct SagaCompensateOk {
    static constexpr std::string_view kType = "saga_compensate_ok";
    std::string saga;
    std::int64_t index = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaCompensateOk, saga, index)
};

// anyone -> service: its state right now, intermediate or not (sagas give no isolation).
struct SagaRead {
    static constexpr std::string_view kType = "saga_read";
    friend void to_json(Json& json, const SagaRead&) { json = Json::object(); }
    friend void from_json(const Json&, SagaRead&) {}
};

struct SagaAppliedStep {
    std::string saga;
    std::int64_t index = 0;
    std::string action;
    std::int64_t amount = 0;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaAppliedStep, saga, index, action, amount)
};

struct SagaReadOk {
    static constexpr std::string_view kType = "saga_read_ok";
    std::int64_t balance = 0;
    std::vector<SagaAppliedStep> applied;  // steps applied and not compensated, by (saga, index)
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(SagaReadOk, balance, applied)
};

// Strict readers: the body's fields with their exact JSON types, or an error naming the field
// ("steps[2].service: expected a non-empty string of at most 64 bytes"). Extra fields are ignored.
Result<SagaRun> parseSagaRun(const Body& body);
Result<SagaStep> parseSagaStep(const Body& body);
Result<SagaCompensate> parseSagaCompensate(const Body& body);
// Replies: the orchestrator ignores a reply it cannot read (it never answers a reply with an error).
Result<SagaStepOk> parseSagaStepOk(const Body& body);
Result<SagaStepFailed> parseSagaStepFailed(const Body& body);
Result<SagaCompensateOk> parseSagaCompensateOk(const Body& body);

// "T3" / "C2": how an action is named in the history (txn_record.h).
std::string sagaActionName(bool compensation, std::int64_t index);

// One sample of every message type, in a fixed order, for round-trip tests.
std::vector<Body> sagaSampleMessages();
std::vector<std::string_view> sagaMessageTypes();

}  // namespace distlab::txn
