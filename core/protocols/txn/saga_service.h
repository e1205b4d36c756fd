#pragma once
// A saga participant (Garcia-Molina & Salem, "Sagas", 1987): a service with a durable local balance that
// each step Ti changes at once, in a local transaction of its own, and that its compensation Ci changes
// back. Nothing is locked in between, so any client's saga_read sees the intermediate states (sagas give
// up isolation).
//
// Each (saga, index) has one durable record, so that Ti and Ci are idempotent and a late or resent message
// never applies twice:
//
//   (none)  --Ti-->           APPLIED      balance += amount, answer saga_step_ok
//   (none)  --Ti fail-->      REFUSED      answer saga_step_failed{refused}
//   (none)  --Ti hang-->      APPLIED      balance += amount, no answer (the lab's timeout)
//   (none)  --Ci-->           TOMBSTONE    nothing to undo; a Ti arriving later must not apply
//   APPLIED --Ti-->           APPLIED      answer saga_step_ok again (a resend)
//   APPLIED --Ci-->           COMPENSATED  balance -= amount
//   REFUSED --Ti-->           REFUSED      answer saga_step_failed{refused} again
//   REFUSED|COMPENSATED|TOMBSTONE --Ci-->  unchanged
//   COMPENSATED|TOMBSTONE --Ti-->          unchanged, answer saga_step_failed{compensated}
//   any     --Ci-->           ...          answer saga_compensate_ok
//
// The balance and the records are on the node's disk ("saga/balance", "saga/rec/<saga>/<index>"), so a
// crash and restart forget nothing.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/node/state_machine.h"
#include "core/protocols/txn/saga_messages.h"

namespace distlab::txn {

struct SagaServiceConfig {
    std::size_t recordsMax = 100'000;  // (saga, index) records kept; beyond it a new step gets error 11
};

enum class SagaRecordState { Applied, Refused, Compensated, Tombstone };

// The words of the records on disk, and the one move drawn above: a record is created APPLIED, REFUSED or
// TOMBSTONE, and only an applied step is ever undone. The rest of the diagram leaves a record as it is.
inline constexpr auto kSagaRecordMachine = makeStateMachine<SagaRecordState>(
    "saga service",
    {{SagaRecordState::Applied, "applied"},
     {SagaRecordState::Refused, "refused"},
     {SagaRecordState::Compensated, "compensated"},
     {SagaRecordState::Tombstone, "tombstone"}},
    {{SagaRecordState::Applied, SagaRecordState::Compensated}});
static_assert(kSagaRecordMachine.wellFormed());

std::string_view sagaRecordStateName(SagaRecordState state);

struct SagaRecord {
    SagaRecordState state = SagaRecordState::Applied;
    std::string action;
    std::int64_t amount = 0;
};

constexpr std::string_view kSagaRecordPrefix = "saga/rec/";
constexpr std::string_view kSagaBalanceKey = "saga/balance";

class SagaService : public CopyableNode<SagaService> {
public:
    explicit SagaService(SagaServiceConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context&, TimerId, const std::string&) override {}
    // Labels: "balance", "applied steps", "compensated", "refused", "tombstones", and one "step" row per
    // applied step.
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    std::int64_t balance() const { return m_balance; }
    const std::map<std::pair<std::string, std::int64_t>, SagaRecord>& records() const { return m_records; }
    // The record of (saga, index), or nullptr when there is none.
    const SagaRecord* record(const std::string& saga, std::int64_t index) const;

private:
    void onStep(Context& ctx, const Envelope& message);
    void onCompensate(Context& ctx, const Envelope& message);
    void onRead(Context& ctx, const Envelope& message);
    // The one place a record's state changes: the move must be one of kSagaRecordMachine's.
    void transition(Context& ctx, const std::string& saga, std::int64_t index, SagaRecordState to);
    void save(Context& ctx, const std::string& saga, std::int64_t index);
    void saveBalance(Context& ctx);

    SagaServiceConfig m_config;
    std::int64_t m_balance = 0;
    std::map<std::pair<std::string, std::int64_t>, SagaRecord> m_records;
};

}  // namespace distlab::txn
