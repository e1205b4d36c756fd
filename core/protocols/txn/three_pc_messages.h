#pragma once
// Messages of three-phase commit (Skeen 1981, "Nonblocking commit protocols"; the termination protocol
// after Skeen & Stonebraker 1983), in the textbook naming of Tanenbaum & van Steen: CanCommit, PreCommit,
// DoCommit. Wire types carry the prefix "tpc3_"; field names are the wire names (snake_case).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"
#include "core/protocols/txn/tpc_messages.h"

namespace distlab::txn {

// Limits, checked on every message (a bad one gets error 12).
constexpr std::size_t kTxnIdBytesMax = 64;
constexpr std::size_t kParticipantsMax = 32;
constexpr std::size_t kNodeIdBytesMax = 64;

// lab -> coordinator: run transaction txn over participants. vote_no lists the participants whose local
// work fails (a constraint violation, a lock conflict), so that they vote no. work is what the participants
// are to do, for a participant that does something (the counter's replicas: the key's new state), as in
// tpc_begin: left out of the message when null, at most kTpcWorkBytesMax bytes of JSON. Not answered on
// success: the trace and the f "vote" / f "decide" ops tell how it went. A txn id already known gets error 21.
struct Tpc3Begin {
    static constexpr std::string_view kType = "tpc3_begin";
    std::string txn;
    std::vector<std::string> participants;
    std::vector<std::string> vote_no;
    Json work = nullptr;  // null: none
};
void to_json(Json& json, const Tpc3Begin& begin);
void from_json(const Json& json, Tpc3Begin& begin);

// coordinator -> participant (phase 1). participants: every participant of txn, which a participant
// needs for the termination protocol. vote_no: the lab's script from tpc3_begin for this participant.
// work: tpc3_begin's (left out when null).
struct Tpc3CanCommit {
    static constexpr std::string_view kType = "tpc3_can_commit";
    std::string txn;
    std::vector<std::string> participants;
    bool vote_no = false;
    Json work = nullptr;
};
void to_json(Json& json, const Tpc3CanCommit& canCommit);
void from_json(const Json& json, Tpc3CanCommit& canCommit);

// participant -> coordinator: "yes" or "no".
struct Tpc3Vote {
    static constexpr std::string_view kType = "tpc3_vote";
    std::string txn;
    std::string vote;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Tpc3Vote, txn, vote)
};

// coordinator (or a backup coordinator) -> participant (phase 2): everybody voted yes.
struct Tpc3PreCommit {
    static constexpr std::string_view kType = "tpc3_pre_commit";
    std::string txn;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Tpc3PreCommit, txn)
};

// participant -> whoever sent the PreCommit: now in PRECOMMIT.
struct Tpc3Ack {
    static constexpr std::string_view kType = "tpc3_ack";
    std::string txn;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Tpc3Ack, txn)
};

// coordinator (or a backup) -> participant (phase 3): commit.
struct Tpc3DoCommit {
    static constexpr std::string_view kType = "tpc3_do_commit";
    std::string txn;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Tpc3DoCommit, txn)
};

// coordinator (or a backup) -> participant: abort.
struct Tpc3Abort {
    static constexpr std::string_view kType = "tpc3_abort";
    std::string txn;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Tpc3Abort, txn)
};

// participant -> whoever sent the DoCommit: committed (the coordinator stops resending DoCommit).
struct Tpc3HaveCommitted {
    static constexpr std::string_view kType = "tpc3_have_committed";
    std::string txn;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Tpc3HaveCommitted, txn)
};

// Termination protocol: a participant that timed out (or recovered undecided) asks the coordinator and
// its peers for their state of txn.
struct Tpc3StateRequest {
    static constexpr std::string_view kType = "tpc3_state_request";
    std::string txn;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Tpc3StateRequest, txn)
};

// The answer. state: INIT WAIT READY PRECOMMIT COMMIT ABORT. recovering: the node restarted while
// undecided on txn, so its state is as old as its crash (it may have missed a backup's decision) and does
// not count in the termination rule until everybody can be heard.
struct Tpc3StateReply {
    static constexpr std::string_view kType = "tpc3_state_reply";
    std::string txn;
    std::string state;
    bool recovering = false;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Tpc3StateReply, txn, state, recovering)
};

// One sample of every message type above, for tests and the message inspector.
std::vector<Body> threePcSampleMessages();
std::vector<std::string_view> threePcMessageTypes();

// Why a message's fields are out of range, or empty when they are fine.
std::string validateTxnId(std::string_view txn);
std::string validateTpc3Begin(const Tpc3Begin& begin, std::string_view coordinator);
std::string validateTpc3CanCommit(const Tpc3CanCommit& canCommit);
std::string validateTpc3Vote(const Tpc3Vote& vote);
std::string validateTpc3StateReply(const Tpc3StateReply& reply);

}  // namespace distlab::txn
