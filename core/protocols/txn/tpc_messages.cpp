// Messages of canonical two-phase commit (Gray 1978; Bernstein, Hadzilacos & Goodman, ch. 7): samples
// for tests and the range checks every message goes through before a node acts on it.
#include "core/protocols/txn/tpc_messages.h"

#include <set>

#include "core/protocols/txn/two_phase_commit_participant.h"

namespace distlab::txn {

std::vector<Body> tpcSampleMessages() {
    return {
        makeBody(TpcBegin{"t1", {"p1", "p2", "p3"}, {"p2"}, {}}),
        makeBody(TpcBeginOk{"t1"}),
        makeBody(TpcPrepare{"t1", {"p1", "p2", "p3"}}),
        makeBody(TpcVote{"t1", std::string(kTpcVoteYes)}),
        makeBody(TpcDecision{"t1", std::string(kTpcDecisionCommit)}),
        makeBody(TpcAck{"t1"}),
        makeBody(TpcDecisionRequest{"t1"}),
        makeBody(TpcStateReply{"t1", std::string(tpcParticipantStateName(TpcParticipantState::Ready))}),
    };
}

std::vector<std::string_view> tpcMessageTypes() {
    return {TpcBegin::kType,    TpcBeginOk::kType, TpcPrepare::kType,         TpcVote::kType,
            TpcDecision::kType, TpcAck::kType,     TpcDecisionRequest::kType, TpcStateReply::kType};
}

namespace {

// Transaction ids appear in trace states ("txn <id> READY"), store keys and the console, so they are
// one word of plain characters.
bool plainIdChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':';
}

std::string validateNodeId(std::string_view id, std::string_view what) {
    if (id.empty()) return std::string(what) + ": expected a non-empty node id";
    if (id.size() > kTpcNodeIdBytesMax)
        return std::string(what) + ": node id longer than " + std::to_string(kTpcNodeIdBytesMax) + " bytes";
    return {};
}

}  // namespace

std::string validateTpcTxnId(std::string_view txn) {
    if (txn.empty()) return "txn: expected a non-empty transaction id";
    if (txn.size() > kTpcTxnBytesMax) return "txn: longer than " + std::to_string(kTpcTxnBytesMax) + " bytes";
    for (char c : txn) {
        if (!plainIdChar(c)) return "txn: only letters, digits and _ - . : are allowed";
    }
    return {};
}

std::string validateTpcParticipants(const std::vector<std::string>& participants) {
    if (participants.empty()) return "participants: expected at least one participant";
    if (participants.size() > kTpcParticipantsMax)
        return "participants: more than " + std::to_string(kTpcParticipantsMax);
    std::set<std::string_view> seen;
    for (const std::string& id : participants) {
        if (std::string problem = validateNodeId(id, "participants"); !problem.empty()) return problem;
        if (!seen.insert(id).second) return "participants: " + id + " is listed twice";
    }
    return {};
}

void to_json(Json& json, const TpcBegin& begin) { openingToJson(json, begin); }
void from_json(const Json& json, TpcBegin& begin) { openingFromJson(json, begin); }

std::string validateTpcWork(const Json& work) {
    if (!work.is_null() && work.dump().size() > kTpcWorkBytesMax)
        return "work: more than " + std::to_string(kTpcWorkBytesMax) + " bytes of JSON";
    return {};
}

std::string validateTpcBegin(const TpcBegin& begin) {
    if (std::string problem = validateTpcTxnId(begin.txn); !problem.empty()) return problem;
    if (std::string problem = validateTpcParticipants(begin.participants); !problem.empty()) return problem;
    if (begin.vote_no.size() > begin.participants.size()) return "vote_no: longer than the participant list";
    const std::set<std::string> participants(begin.participants.begin(), begin.participants.end());
    for (const std::string& id : begin.vote_no) {
        if (!participants.contains(id))
            return "vote_no: " + utf8Prefix(id, kTpcNodeIdBytesMax) + " is not a participant";
    }
    return validateTpcWork(begin.work);
}

std::string validateTpcVote(const TpcVote& vote) {
    if (std::string problem = validateTpcTxnId(vote.txn); !problem.empty()) return problem;
    if (vote.vote != kTpcVoteYes && vote.vote != kTpcVoteNo) return "vote: expected \"yes\" or \"no\"";
    return {};
}

std::string validateTpcDecision(const TpcDecision& decision) {
    if (std::string problem = validateTpcTxnId(decision.txn); !problem.empty()) return problem;
    if (decision.decision != kTpcDecisionCommit && decision.decision != kTpcDecisionAbort)
        return "decision: expected \"commit\" or \"abort\"";
    return {};
}

std::string validateTpcPeerState(const TpcStateReply& reply) {
    if (std::string problem = validateTpcTxnId(reply.txn); !problem.empty()) return problem;
    if (kTpcParticipantMachine.parse(reply.state)) return {};
    if (reply.state == kTpcPeerStateUnknown) return {};
    return "state: expected INIT, READY, COMMIT, ABORT or unknown";
}

}  // namespace distlab::txn
