#include "core/labs/txn/txn_section.h"

#include "core/labs/txn/txn_commands.h"

namespace distlab {

TxnSpec readTxnSection(const Json& value, const SectionReader& reader, const std::string& path) {
    reader.object(value, path, "an object with participants, vote_timeout_ms, decision_timeout_ms, step_timeout_ms");
    reader.checkKeys(value, path, {"participants", "vote_timeout_ms", "decision_timeout_ms", "step_timeout_ms"});
    TxnSpec spec;
    if (value.contains("participants"))
        spec.participants = int(reader.number(value, path, "participants", 1, std::int64_t(kTxnParticipantsMax)));
    if (value.contains("vote_timeout_ms"))
        spec.voteTimeout = reader.milliseconds(value, path, "vote_timeout_ms", 10, kTxnTimeoutMsMax);
    if (value.contains("decision_timeout_ms"))
        spec.decisionTimeout = reader.milliseconds(value, path, "decision_timeout_ms", 10, kTxnTimeoutMsMax);
    if (value.contains("step_timeout_ms"))
        spec.stepTimeout = reader.milliseconds(value, path, "step_timeout_ms", 10, kTxnTimeoutMsMax);
    return spec;
}

Json txnSectionToJson(const TxnSpec& spec) {
    return Json{{"participants", spec.participants},
                {"vote_timeout_ms", wholeMillis(spec.voteTimeout)},
                {"decision_timeout_ms", wholeMillis(spec.decisionTimeout)},
                {"step_timeout_ms", wholeMillis(spec.stepTimeout)}};
}

}  // namespace distlab
