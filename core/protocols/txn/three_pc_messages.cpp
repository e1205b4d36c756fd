// Messages of three-phase commit (Skeen 1981; termination after Skeen & Stonebraker 1983): samples for
// tests and the range checks every message goes through.
#include "core/protocols/txn/three_pc_messages.h"

#include <optional>
#include <set>

#include "core/protocols/txn/three_phase_commit.h"

namespace distlab::txn {

std::vector<Body> threePcSampleMessages() {
    return {
        makeBody(Tpc3Begin{"t1", {"p1", "p2", "p3"}, {"p3"}, Json{{"key", "a"}}}),
        makeBody(Tpc3CanCommit{"t1", {"p1", "p2", "p3"}, false, Json{{"key", "a"}}}),
        makeBody(Tpc3Vote{"t1", "yes"}),
        makeBody(Tpc3PreCommit{"t1"}),
        makeBody(Tpc3Ack{"t1"}),
        makeBody(Tpc3DoCommit{"t1"}),
        makeBody(Tpc3Abort{"t1"}),
        makeBody(Tpc3HaveCommitted{"t1"}),
        makeBody(Tpc3StateRequest{"t1"}),
        makeBody(Tpc3StateReply{"t1", std::string(tpc3StateName(Tpc3State::PreCommit)), false}),
    };
}

std::vector<std::string_view> threePcMessageTypes() {
    return {Tpc3Begin::kType,  Tpc3CanCommit::kType, Tpc3Vote::kType,          Tpc3PreCommit::kType,
            Tpc3Ack::kType,    Tpc3DoCommit::kType,  Tpc3Abort::kType,         Tpc3HaveCommitted::kType,
            Tpc3StateRequest::kType, Tpc3StateReply::kType};
}

void to_json(Json& json, const Tpc3Begin& begin) { openingToJson(json, begin); }
void from_json(const Json& json, Tpc3Begin& begin) { openingFromJson(json, begin); }
void to_json(Json& json, const Tpc3CanCommit& canCommit) { openingToJson(json, canCommit); }
void from_json(const Json& json, Tpc3CanCommit& canCommit) { openingFromJson(json, canCommit); }

std::string validateTxnId(std::string_view txn) {
    if (txn.empty()) return "txn: expected a non-empty transaction id";
    if (txn.size() > kTxnIdBytesMax) return "txn: longer than " + std::to_string(kTxnIdBytesMax) + " bytes";
    if (txn.find(' ') != std::string_view::npos) return "txn: expected an id without spaces";
    return {};
}

namespace {

std::string validateParticipants(const std::vector<std::string>& participants) {
    if (participants.empty()) return "participants: expected at least one participant";
    if (participants.size() > kParticipantsMax)
        return "participants: more than " + std::to_string(kParticipantsMax);
    std::set<std::string> seen;
    for (const std::string& id : participants) {
        if (id.empty() || id.size() > kNodeIdBytesMax)
            return "participants: expected node ids of 1.." + std::to_string(kNodeIdBytesMax) + " bytes";
        if (!seen.insert(id).second) return "participants: " + id + " is listed twice";
    }
    return {};
}

}  // namespace

std::string validateTpc3Begin(const Tpc3Begin& begin, std::string_view coordinator) {
    if (std::string problem = validateTxnId(begin.txn); !problem.empty()) return problem;
    if (std::string problem = validateTpcWork(begin.work); !problem.empty()) return problem;
    if (std::string problem = validateParticipants(begin.participants); !problem.empty()) return problem;
    const std::set<std::string> listed(begin.participants.begin(), begin.participants.end());
    if (listed.count(std::string(coordinator)))
        return "participants: the coordinator " + std::string(coordinator) + " cannot be its own participant";
    for (const std::string& id : begin.vote_no) {
        if (!listed.count(id)) return "vote_no: " + id + " is not a participant";
    }
    return {};
}

std::string validateTpc3CanCommit(const Tpc3CanCommit& canCommit) {
    if (std::string problem = validateTxnId(canCommit.txn); !problem.empty()) return problem;
    if (std::string problem = validateTpcWork(canCommit.work); !problem.empty()) return problem;
    return validateParticipants(canCommit.participants);
}

std::string validateTpc3Vote(const Tpc3Vote& vote) {
    if (std::string problem = validateTxnId(vote.txn); !problem.empty()) return problem;
    if (vote.vote != "yes" && vote.vote != "no") return "vote: expected \"yes\" or \"no\", got \"" + vote.vote + "\"";
    return {};
}

std::string validateTpc3StateReply(const Tpc3StateReply& reply) {
    if (std::string problem = validateTxnId(reply.txn); !problem.empty()) return problem;
    // Any state but END: a node that has ended a transaction answers with its decision.
    const std::optional<Tpc3State> state = tpc3StateFromName(reply.state);
    if (!state || *state == Tpc3State::End) return "state: unknown state \"" + reply.state + "\"";
    return {};
}

}  // namespace distlab::txn
