#pragma once
// Messages of canonical two-phase commit (Gray 1978; Bernstein, Hadzilacos & Goodman 1987, ch. 7;
// Tanenbaum & van Steen, "Distributed Systems", section 8.5), with the cooperative termination protocol
// in which a blocked participant asks its peers.
//
//   lab -> coordinator          tpc_begin            start a transaction over these participants
//   coordinator -> lab          tpc_begin_ok         (or error 12 malformed, 21 txn already known, 11 full)
//   coordinator -> participant  tpc_begin            the transaction's work starts: participant INIT
//   coordinator -> participant  tpc_prepare          VOTE_REQUEST
//   participant -> coordinator  tpc_vote             VOTE_COMMIT / VOTE_ABORT
//   coordinator -> participant  tpc_decision         GLOBAL_COMMIT / GLOBAL_ABORT
//   participant -> coordinator  tpc_ack
//   participant -> coordinator  tpc_decision_request (answered with tpc_decision, once decided)
//   participant -> peer         tpc_decision_request (answered with tpc_state_reply)
//
// Field names are the wire names (Maelstrom style, snake_case), hence the snake_case members here. Every
// type is prefixed "tpc_" so that it never clashes with another protocol's messages.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"

namespace distlab::txn {

// Limits, checked on every message (a bad one gets error 12).
constexpr std::size_t kTpcTxnBytesMax = 64;
constexpr std::size_t kTpcNodeIdBytesMax = 64;
constexpr std::size_t kTpcParticipantsMax = 16;

// Votes, decisions and the states a peer reports, as they are spelled on the wire.
inline constexpr std::string_view kTpcVoteYes = "yes";
inline constexpr std::string_view kTpcVoteNo = "no";
inline constexpr std::string_view kTpcDecisionCommit = "commit";
inline constexpr std::string_view kTpcDecisionAbort = "abort";
inline constexpr std::string_view kTpcPeerStateUnknown = "unknown";

// lab -> coordinator, and coordinator -> each participant (where it starts the transaction's work).
// vote_no is the lab's fault injection: the participants listed there vote no, as if their local work
// had failed. work is what the participants are to do, for a participant that does something (the
// counter's replicas: the key's new state); it is left out of the message when null, and at most
// kTpcWorkBytesMax bytes of JSON.
constexpr std::size_t kTpcWorkBytesMax = 64 * 1024;
struct TpcBegin {
    static constexpr std::string_view kType = "tpc_begin";
    std::string txn;
    std::vector<std::string> participants;
    std::vector<std::string> vote_no;
    Json work = nullptr;  // null: none
};
void to_json(Json& json, const TpcBegin& begin);
void from_json(const Json& json, TpcBegin& begin);

// The fields a transaction opens with, {txn, participants, vote_no, work}, as tpc_begin and three-phase
// commit's tpc3_begin and tpc3_can_commit carry them: work is left out when null.
template <class Opening>
void openingToJson(Json& json, const Opening& opening) {
    json = Json{{"txn", opening.txn}, {"participants", opening.participants}, {"vote_no", opening.vote_no}};
    if (!opening.work.is_null()) json["work"] = opening.work;
}
template <class Opening>
void openingFromJson(const Json& json, Opening& opening) {
    json.at("txn").get_to(opening.txn);
    json.at("participants").get_to(opening.participants);
    json.at("vote_no").get_to(opening.vote_no);
    opening.work = json.contains("work") ? json.at("work") : Json();
}
// Empty when the work is null or at most kTpcWorkBytesMax bytes of JSON, else what is wrong.
std::string validateTpcWork(const Json& work);

struct TpcBeginOk {
    static constexpr std::string_view kType = "tpc_begin_ok";
    std::string txn;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(TpcBeginOk, txn)
};

// coordinator -> participant: vote on txn. The participants are listed so that cooperative termination
// knows whom to ask.
struct TpcPrepare {
    static constexpr std::string_view kType = "tpc_prepare";
    std::string txn;
    std::vector<std::string> participants;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(TpcPrepare, txn, participants)
};

struct TpcVote {
    static constexpr std::string_view kType = "tpc_vote";
    std::string txn;
    std::string vote;  // "yes" | "no"
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(TpcVote, txn, vote)
};

struct TpcDecision {
    static constexpr std::string_view kType = "tpc_decision";
    std::string txn;
    std::string decision;  // "commit" | "abort"
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(TpcDecision, txn, decision)
};

struct TpcAck {
    static constexpr std::string_view kType = "tpc_ack";
    std::string txn;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(TpcAck, txn)
};

// A participant that does not know the outcome asks the coordinator (after a restart, or when its
// decision timeout fires) and its peers (cooperative termination).
struct TpcDecisionRequest {
    static constexpr std::string_view kType = "tpc_decision_request";
    std::string txn;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(TpcDecisionRequest, txn)
};

// A peer's answer to tpc_decision_request: "INIT" (it had not voted, and has now aborted on its own),
// "READY" (it voted yes and does not know either), "COMMIT", "ABORT", or "unknown" (it could not
// record the transaction, so it promises nothing).
struct TpcStateReply {
    static constexpr std::string_view kType = "tpc_state_reply";
    std::string txn;
    std::string state;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(TpcStateReply, txn, state)
};

// One sample of every message type above, for tests and the message inspector.
std::vector<Body> tpcSampleMessages();
std::vector<std::string_view> tpcMessageTypes();

// Why a message's fields are out of range, or empty when they are fine. Checks that need the receiving
// node (a coordinator is never its own participant; a participant must be on the list) are the node's.
std::string validateTpcTxnId(std::string_view txn);
std::string validateTpcParticipants(const std::vector<std::string>& participants);
std::string validateTpcBegin(const TpcBegin& begin);
std::string validateTpcVote(const TpcVote& vote);
std::string validateTpcDecision(const TpcDecision& decision);
std::string validateTpcPeerState(const TpcStateReply& reply);

}  // namespace distlab::txn
