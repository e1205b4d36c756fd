// The two-phase commit coordinator (Gray 1978; Bernstein, Hadzilacos & Goodman, ch. 7) with presumed
// abort. The state machine is drawn in the header; every decision is logged before it is sent.
#include "core/protocols/txn/two_phase_commit_coordinator.h"

#include <algorithm>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

namespace {

const std::string kTagWork = "tpc-work";
const std::string kTagVoteTimeout = "tpc-vote-timeout";
const std::string kTagResend = "tpc-resend";
constexpr std::string_view kRole = "coordinator";

// The logged state of a record (INIT is never logged); false when there is none.
bool parseLoggedState(const Json& record, TpcCoordinatorState& out) {
    if (!record.is_object() || !record.contains("state") || !record["state"].is_string()) return false;
    const std::optional<TpcCoordinatorState> state =
        kTpcCoordinatorMachine.parse(record["state"].get<std::string>());
    if (!state || *state == TpcCoordinatorState::Init) return false;
    out = *state;
    return true;
}

}  // namespace

std::string_view tpcCoordinatorStateName(TpcCoordinatorState state) {
    return kTpcCoordinatorMachine.name(state);
}

TwoPhaseCommitCoordinator::TwoPhaseCommitCoordinator(TwoPhaseCommitConfig config)
    : m_config(std::move(config)) {}

std::optional<TpcCoordinatorState> TwoPhaseCommitCoordinator::stateOf(const std::string& txn) const {
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) return std::nullopt;
    return it->second.state;
}

void TwoPhaseCommitCoordinator::onStart(Context& ctx) {
    for (const std::string& txn : tpcLoggedTxns(ctx.store(), kTpcCoordinatorLogPrefix)) {
        const Json record = tpcReadRecord(ctx.store(), kTpcCoordinatorLogPrefix, txn);
        TpcCoordinatorState state = TpcCoordinatorState::Init;
        bool readable = parseLoggedState(record, state);
        TpcCoordinatorTxn entry;
        try {
            entry.participants = record.at("participants").get<std::vector<NodeId>>();
        } catch (const Json::exception&) {
            readable = false;
        }
        if (!readable || !validateTpcTxnId(txn).empty() ||
            !validateTpcParticipants(entry.participants).empty()) {
            // An unreadable record decides nothing: without it the coordinator presumes abort.
            ctx.store().erase(std::string(kTpcCoordinatorLogPrefix) + txn);
            continue;
        }
        restore(entry, state);
        m_txns.emplace(txn, std::move(entry));
        switch (state) {
            case TpcCoordinatorState::Wait:
                // The votes died with the process: presumed abort.
                decide(ctx, txn, false);
                break;
            case TpcCoordinatorState::Commit:
            case TpcCoordinatorState::Abort: {
                // Decided but not ended: the decision is in the log (nothing new to record); send it again.
                ctx.traceState(txnStateText(txn, tpcCoordinatorStateName(state)));
                for (const NodeId& participant : m_txns.at(txn).participants)
                    sendDecision(ctx, txn, participant);
                m_timers.armMs(ctx, txn, m_config.resendMs, kTagResend);
                break;
            }
            case TpcCoordinatorState::Init:
            case TpcCoordinatorState::End:
                break;
        }
    }
}

void TwoPhaseCommitCoordinator::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == TpcBegin::kType) return onBegin(ctx, message);
    if (type == TpcVote::kType) return onVote(ctx, message);
    if (type == TpcAck::kType) return onAck(ctx, message);
    if (type == TpcDecisionRequest::kType) return onDecisionRequest(ctx, message);
    ctx.replyNotSupported(message, "a two-phase commit coordinator");
}

void TwoPhaseCommitCoordinator::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    const std::optional<std::string> fired = m_timers.fired(id);
    if (!fired) return;
    const std::string& txn = *fired;
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) return;
    TpcCoordinatorTxn& entry = it->second;
    if (tag == kTagWork && entry.state == TpcCoordinatorState::Init) {
        sendPrepare(ctx, txn);
    } else if (tag == kTagVoteTimeout && entry.state == TpcCoordinatorState::Wait) {
        // A missing vote counts as no: the coordinator may always abort while it has not decided.
        decide(ctx, txn, false);
    } else if (tag == kTagResend &&
               (entry.state == TpcCoordinatorState::Commit || entry.state == TpcCoordinatorState::Abort)) {
        for (const NodeId& participant : entry.participants) {
            if (!entry.acked.contains(participant)) sendDecision(ctx, txn, participant);
        }
        m_timers.armMs(ctx, txn, m_config.resendMs, kTagResend);
    }
}

void TwoPhaseCommitCoordinator::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "role"), QT_TRANSLATE_NOOP("Details", "2PC coordinator"));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "transactions"), std::to_string(m_txns.size()));
    for (const auto& [txn, entry] : m_txns) {
        std::string value = txn + ": " + std::string(tpcCoordinatorStateName(entry.state));
        const std::string total = std::to_string(entry.participants.size());
        if (entry.state == TpcCoordinatorState::Wait)
            value += ", yes votes " + std::to_string(entry.yesVotes.size()) + "/" + total;
        if (entry.state == TpcCoordinatorState::Commit || entry.state == TpcCoordinatorState::Abort)
            value += ", acks " + std::to_string(entry.acked.size()) + "/" + total;
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "txn"), value);
    }
}

void TwoPhaseCommitCoordinator::onBegin(Context& ctx, const Envelope& message) {
    Result<TpcBegin> begin = bodyAs<TpcBegin>(message.body);
    if (!begin) return ctx.replyError(message, ErrorCode::MalformedRequest, begin.error().message);
    if (std::string problem = validateTpcBegin(begin.value()); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    if (std::find(begin->participants.begin(), begin->participants.end(), ctx.self()) !=
        begin->participants.end())
        return ctx.replyError(
            message, ErrorCode::MalformedRequest,
            "participants: the coordinator " + ctx.self() + " cannot be its own participant");
    const std::string& txn = begin->txn;
    if (auto known = m_txns.find(txn); known != m_txns.end()) {
        return ctx.replyError(message, ErrorCode::KeyAlreadyExists,
                              "txn " + txn + " is already known here (" +
                                  std::string(tpcCoordinatorStateName(known->second.state)) +
                                  "); pick another id");
    }
    if (m_txns.size() >= m_config.txnsMax) {
        return ctx.replyError(
            message, ErrorCode::TemporarilyUnavailable,
            ctx.self() + " already keeps " + std::to_string(m_config.txnsMax) + " transactions");
    }
    TpcCoordinatorTxn entry;
    entry.participants = begin->participants;
    entry.voteNo = begin->vote_no;
    m_txns.emplace(txn, std::move(entry));  // a new transaction starts in INIT
    // Presumed abort: INIT is not logged. A crash now forgets the transaction, and every question about
    // it is answered "abort".
    ctx.traceState(txnStateText(txn, tpcCoordinatorStateName(TpcCoordinatorState::Init)));
    ctx.reply(message, makeBody(TpcBeginOk{txn}));
    const TpcBegin forward{txn, begin->participants, begin->vote_no, begin->work};
    for (const NodeId& participant : begin->participants) ctx.send(participant, makeBody(forward));
    m_timers.armMs(ctx, txn, m_config.workMs, kTagWork);
}

void TwoPhaseCommitCoordinator::sendPrepare(Context& ctx, const std::string& txn) {
    TpcCoordinatorTxn& entry = m_txns.at(txn);
    transition(ctx, txn, TpcCoordinatorState::Wait);
    // The begin record, with the participant list, is forced before the first vote request: from now on
    // a participant may be READY, and a recovering coordinator must know whom to tell the outcome.
    writeLog(ctx, txn);
    ctx.traceState(txnStateText(txn, tpcCoordinatorStateName(TpcCoordinatorState::Wait)));
    const TpcPrepare prepare{txn, entry.participants};
    for (const NodeId& participant : entry.participants) ctx.send(participant, makeBody(prepare));
    m_timers.armMs(ctx, txn, m_config.voteTimeoutMs, kTagVoteTimeout);
}

void TwoPhaseCommitCoordinator::onVote(Context& ctx, const Envelope& message) {
    Result<TpcVote> vote = bodyAs<TpcVote>(message.body);
    if (!vote) return ctx.replyError(message, ErrorCode::MalformedRequest, vote.error().message);
    if (std::string problem = validateTpcVote(vote.value()); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    const std::string& txn = vote->txn;
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) {
        // No record: presumed abort. The voter may be READY, and must not wait for us.
        if (vote->vote == kTpcVoteYes)
            ctx.send(message.src, makeBody(TpcDecision{txn, std::string(kTpcDecisionAbort)}));
        return;
    }
    TpcCoordinatorTxn& entry = it->second;
    if (!isParticipant(txn, message.src)) return;  // a vote from a stranger counts for nothing
    switch (entry.state) {
        case TpcCoordinatorState::Init:
            break;  // a vote before the vote request (a forged or confused message) counts for nothing
        case TpcCoordinatorState::Wait:
            if (vote->vote == kTpcVoteNo) return decide(ctx, txn, false);
            entry.yesVotes.insert(message.src);
            if (entry.yesVotes.size() == entry.participants.size()) decide(ctx, txn, true);
            break;
        case TpcCoordinatorState::Commit:
        case TpcCoordinatorState::Abort:
        case TpcCoordinatorState::End:
            // A late or repeated vote changes nothing: the decision is on its way, and the resend timer
            // repeats it until the voter acks.
            break;
    }
}

void TwoPhaseCommitCoordinator::onAck(Context& ctx, const Envelope& message) {
    Result<TpcAck> ack = bodyAs<TpcAck>(message.body);
    if (!ack) return ctx.replyError(message, ErrorCode::MalformedRequest, ack.error().message);
    if (std::string problem = validateTpcTxnId(ack->txn); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    auto it = m_txns.find(ack->txn);
    if (it == m_txns.end() || !isParticipant(ack->txn, message.src)) return;
    TpcCoordinatorTxn& entry = it->second;
    if (entry.state != TpcCoordinatorState::Commit && entry.state != TpcCoordinatorState::Abort) return;
    entry.acked.insert(message.src);
    if (entry.acked.size() == entry.participants.size()) finish(ctx, ack->txn);
}

void TwoPhaseCommitCoordinator::onDecisionRequest(Context& ctx, const Envelope& message) {
    Result<TpcDecisionRequest> request = bodyAs<TpcDecisionRequest>(message.body);
    if (!request) return ctx.replyError(message, ErrorCode::MalformedRequest, request.error().message);
    if (std::string problem = validateTpcTxnId(request->txn); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    const std::string& txn = request->txn;
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) {
        // Presumed abort: a coordinator that has no record of a transaction never decided commit for it.
        ctx.reply(message, makeBody(TpcDecision{txn, std::string(kTpcDecisionAbort)}));
        return;
    }
    const TpcCoordinatorTxn& entry = it->second;
    if (entry.state == TpcCoordinatorState::Init || entry.state == TpcCoordinatorState::Wait) return;
    const bool committed = entry.state == TpcCoordinatorState::Commit ||
                           (entry.state == TpcCoordinatorState::End &&
                            tpcReadRecord(ctx.store(), kTpcCoordinatorLogPrefix, txn).value("decision", "") ==
                                kTpcDecisionCommit);
    ctx.reply(message,
              makeBody(TpcDecision{txn, std::string(committed ? kTpcDecisionCommit : kTpcDecisionAbort)}));
}

void TwoPhaseCommitCoordinator::decide(Context& ctx, const std::string& txn, bool commit) {
    TpcCoordinatorTxn& entry = m_txns.at(txn);
    m_timers.cancel(ctx, txn);
    transition(ctx, txn, commit ? TpcCoordinatorState::Commit : TpcCoordinatorState::Abort);
    writeLog(ctx, txn);  // forced before any participant hears of it
    ctx.traceState(txnStateText(txn, tpcCoordinatorStateName(entry.state)));
    recordTpcDecide(ctx, txn, commit ? kTpcDecisionCommit : kTpcDecisionAbort, kRole);
    for (const NodeId& participant : entry.participants) sendDecision(ctx, txn, participant);
    m_timers.armMs(ctx, txn, m_config.resendMs, kTagResend);
}

void TwoPhaseCommitCoordinator::sendDecision(Context& ctx, const std::string& txn, const NodeId& to) {
    const bool commit = m_txns.at(txn).state == TpcCoordinatorState::Commit;
    ctx.send(to, makeBody(TpcDecision{txn, std::string(commit ? kTpcDecisionCommit : kTpcDecisionAbort)}));
}

void TwoPhaseCommitCoordinator::finish(Context& ctx, const std::string& txn) {
    TpcCoordinatorTxn& entry = m_txns.at(txn);
    m_timers.cancel(ctx, txn);
    const bool committed = entry.state == TpcCoordinatorState::Commit;
    transition(ctx, txn, TpcCoordinatorState::End);
    // The end record keeps the outcome, so a late question is still answered truthfully.
    tpcWriteRecord(ctx.store(), kTpcCoordinatorLogPrefix, txn,
                   Json{{"state", tpcCoordinatorStateName(TpcCoordinatorState::End)},
                        {"participants", entry.participants},
                        {"decision", committed ? kTpcDecisionCommit : kTpcDecisionAbort}});
    ctx.traceState(txnStateText(txn, tpcCoordinatorStateName(TpcCoordinatorState::End)));
}

void TwoPhaseCommitCoordinator::transition(Context& ctx, const std::string& txn, TpcCoordinatorState to) {
    TpcCoordinatorTxn& entry = m_txns.at(txn);
    kTpcCoordinatorMachine.check(entry.state, to, ctx.self(), ctx.now(), "txn " + txn);
    entry.state = to;
}

void TwoPhaseCommitCoordinator::writeLog(Context& ctx, const std::string& txn) {
    const TpcCoordinatorTxn& entry = m_txns.at(txn);
    tpcWriteRecord(
        ctx.store(), kTpcCoordinatorLogPrefix, txn,
        Json{{"state", tpcCoordinatorStateName(entry.state)}, {"participants", entry.participants}});
}

bool TwoPhaseCommitCoordinator::isParticipant(const std::string& txn, const NodeId& id) const {
    const std::vector<NodeId>& participants = m_txns.at(txn).participants;
    return std::find(participants.begin(), participants.end(), id) != participants.end();
}

}  // namespace distlab::txn
