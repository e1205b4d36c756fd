#pragma once
// The transaction lab's section of a scenario file (issue 4): two-phase commit, three-phase commit and sagas.
//
//   "txn": {"participants": 3, "vote_timeout_ms": 300, "decision_timeout_ms": 500, "step_timeout_ms": 500}
//
// Every key is optional. The lab adds its nodes on the first command of each protocol (txn_lab.h names them).
#include <cstdint>
#include <string>

#include "core/base/sim_time.h"
#include "core/node/message.h"
#include "core/scenario/section_reader.h"

namespace distlab {

constexpr std::int64_t kTxnTimeoutMsMax = 600'000;

struct TxnSpec {
    int participants = 3;                   // tx-p1..N (2PC), tx-q1..N (3PC), saga services tx-s1..N
    SimTime voteTimeout = millis(300);      // 2PC coordinator: missing votes count as no
    SimTime decisionTimeout = millis(500);  // 2PC participant in READY: ask around this often
    SimTime stepTimeout = millis(500);      // saga orchestrator: an unanswered step has failed

    bool operator==(const TxnSpec&) const = default;
};

TxnSpec readTxnSection(const Json& value, const SectionReader& reader, const std::string& path);
// Every field, in the file's units; readTxnSection gives back the same spec.
Json txnSectionToJson(const TxnSpec& spec);

}  // namespace distlab
