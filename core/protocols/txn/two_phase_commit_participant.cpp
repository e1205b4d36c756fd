// A two-phase commit participant (Gray 1978; Bernstein, Hadzilacos & Goodman, ch. 7) with the cooperative
// termination protocol. The state machine is drawn in the header; every vote and decision is logged
// before the participant tells anyone about it.
#include "core/protocols/txn/two_phase_commit_participant.h"

#include <algorithm>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

namespace {

const std::string kTagInitTimeout = "tpc-init-timeout";
const std::string kTagDecisionTimeout = "tpc-decision-timeout";
constexpr std::string_view kRole = "participant";

// Reads a state word of txn_record.h; false for any other word.
bool parseState(std::string_view word, TpcParticipantState& out) {
    const std::optional<TpcParticipantState> state = kTpcParticipantMachine.parse(word);
    if (state) out = *state;
    return state.has_value();
}

bool listed(const std::vector<NodeId>& ids, const NodeId& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

std::string_view tpcParticipantStateName(TpcParticipantState state) {
    return kTpcParticipantMachine.name(state);
}

TwoPhaseCommitParticipant::TwoPhaseCommitParticipant(TwoPhaseCommitConfig config)
    : m_config(std::move(config)) {}

std::optional<TpcParticipantState> TwoPhaseCommitParticipant::stateOf(const std::string& txn) const {
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) return std::nullopt;
    return it->second.state;
}

std::vector<std::string> TwoPhaseCommitParticipant::locksHeld() const {
    std::vector<std::string> out;
    for (const auto& [txn, entry] : m_txns) {
        if (entry.lockHeld) out.push_back(txn);
    }
    return out;
}

void TwoPhaseCommitParticipant::onStart(Context& ctx) {
    for (const std::string& txn : tpcLoggedTxns(ctx.store(), kTpcParticipantLogPrefix)) {
        const Json record = tpcReadRecord(ctx.store(), kTpcParticipantLogPrefix, txn);
        TpcParticipantTxn entry;
        TpcParticipantState state = TpcParticipantState::Init;
        bool readable = false;
        try {
            readable = parseState(record.at("state").get<std::string>(), state);
            entry.coordinator = record.at("coordinator").get<std::string>();
            entry.participants = record.at("participants").get<std::vector<NodeId>>();
            entry.voteNo = record.at("vote_no").get<bool>();
            entry.voted = record.at("voted").get<bool>();
            if (record.contains("work")) entry.work = record.at("work");
        } catch (const Json::exception&) {
            readable = false;
        }
        // Only this node writes its log, so an unreadable record means a damaged disk; the record is
        // left for a person to look at rather than guessed about.
        if (!readable || !validateTpcTxnId(txn).empty()) continue;
        restore(entry, state);
        m_txns.emplace(txn, std::move(entry));
        switch (state) {
            case TpcParticipantState::Init:
                // The work in progress died with the process and no vote was sent: abort on our own.
                conclude(ctx, txn, false);
                break;
            case TpcParticipantState::Ready:
                // The yes vote is a promise the log keeps: blocked again, holding the lock, until someone
                // knows the outcome.
                m_txns.at(txn).lockHeld = true;
                ctx.traceState(txnStateText(txn, tpcParticipantStateName(TpcParticipantState::Ready)));
                askAround(ctx, txn);
                break;
            case TpcParticipantState::Commit:
            case TpcParticipantState::Abort:
                break;
        }
    }
}

void TwoPhaseCommitParticipant::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == TpcBegin::kType) return onBegin(ctx, message);
    if (type == TpcPrepare::kType) return onPrepare(ctx, message);
    if (type == TpcDecision::kType) return onDecision(ctx, message);
    if (type == TpcDecisionRequest::kType) return onDecisionRequest(ctx, message);
    if (type == TpcStateReply::kType) return onStateReply(ctx, message);
    ctx.replyNotSupported(message, "a two-phase commit participant");
}

void TwoPhaseCommitParticipant::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    const std::optional<std::string> fired = m_timers.fired(id);
    if (!fired) return;
    const std::string& txn = *fired;
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) return;
    if (tag == kTagInitTimeout && it->second.state == TpcParticipantState::Init) {
        // No vote request came: this participant has promised nothing, so it may abort on its own.
        conclude(ctx, txn, false);
    } else if (tag == kTagDecisionTimeout && it->second.state == TpcParticipantState::Ready) {
        askAround(ctx, txn);
    }
}

void TwoPhaseCommitParticipant::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "role"), QT_TRANSLATE_NOOP("Details", "2PC participant"));
    std::string locks;
    for (const std::string& txn : locksHeld()) locks += (locks.empty() ? "" : ", ") + txn;
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "locks held"),
                     locks.empty() ? std::string(QT_TRANSLATE_NOOP("Details", "none")) : locks);
    std::size_t blocked = 0;
    for (const auto& [txn, entry] : m_txns) {
        if (entry.state == TpcParticipantState::Ready && entry.terminationRounds > 0) ++blocked;
    }
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "blocked"), std::to_string(blocked));
    for (const auto& [txn, entry] : m_txns) {
        std::string value = txn + ": " + std::string(tpcParticipantStateName(entry.state));
        if (entry.lockHeld) value += ", lock held";
        if (entry.terminationRounds > 0 && entry.state == TpcParticipantState::Ready)
            value += ", asked peers " + std::to_string(entry.terminationRounds) + "x";
        if (!entry.coordinator.empty()) value += ", coordinator " + entry.coordinator;
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "txn"), value);
    }
}

void TwoPhaseCommitParticipant::onBegin(Context& ctx, const Envelope& message) {
    Result<TpcBegin> begin = bodyAs<TpcBegin>(message.body);
    if (!begin) return ctx.replyError(message, ErrorCode::MalformedRequest, begin.error().message);
    if (std::string problem = validateTpcBegin(begin.value()); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    if (!listed(begin->participants, ctx.self()))
        return ctx.replyError(message, ErrorCode::MalformedRequest,
                              "participants: " + ctx.self() + " is not among them");
    const std::string& txn = begin->txn;
    if (m_txns.contains(txn)) return;  // a repeated begin: the work is already running, or done
    if (!enterInit(ctx, txn, message.src))
        return ctx.replyError(
            message, ErrorCode::TemporarilyUnavailable,
            ctx.self() + " already keeps " + std::to_string(m_config.txnsMax) + " transactions");
    TpcParticipantTxn& entry = m_txns.at(txn);
    entry.participants = begin->participants;
    entry.voteNo = listed(begin->vote_no, ctx.self());
    entry.work = begin->work;
    writeLog(ctx, txn);
}

void TwoPhaseCommitParticipant::onPrepare(Context& ctx, const Envelope& message) {
    Result<TpcPrepare> prepare = bodyAs<TpcPrepare>(message.body);
    if (!prepare) return ctx.replyError(message, ErrorCode::MalformedRequest, prepare.error().message);
    std::string problem = validateTpcTxnId(prepare->txn);
    if (problem.empty()) problem = validateTpcParticipants(prepare->participants);
    if (problem.empty() && !listed(prepare->participants, ctx.self()))
        problem = "participants: " + ctx.self() + " is not among them";
    if (!problem.empty()) return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    const std::string& txn = prepare->txn;
    if (!m_txns.contains(txn) && !enterInit(ctx, txn, message.src))
        return ctx.replyError(
            message, ErrorCode::TemporarilyUnavailable,
            ctx.self() + " already keeps " + std::to_string(m_config.txnsMax) + " transactions");
    TpcParticipantTxn& entry = m_txns.at(txn);
    switch (entry.state) {
        case TpcParticipantState::Init:
            entry.coordinator = message.src;
            entry.participants = prepare->participants;
            m_timers.cancel(ctx, txn);
            if (mustVoteNo(txn) || !canCommit(ctx, txn, entry)) {
                voteNo(ctx, txn);
            } else {
                voteYes(ctx, txn);
            }
            break;
        case TpcParticipantState::Ready:
        case TpcParticipantState::Commit:
            sendVote(ctx, txn, message.src);  // a repeated vote request: the same answer, recorded once
            break;
        case TpcParticipantState::Abort:
            if (!entry.voted) {
                // It aborted on its own before the vote request came: its vote is no, and now it is cast.
                if (entry.coordinator.empty()) entry.coordinator = message.src;
                entry.voted = true;
                writeLog(ctx, txn);
                recordTpcVote(ctx, txn, kTpcVoteNo);
            }
            ctx.send(message.src, makeBody(TpcVote{txn, std::string(kTpcVoteNo)}));
            break;
    }
}

void TwoPhaseCommitParticipant::onDecision(Context& ctx, const Envelope& message) {
    Result<TpcDecision> decision = bodyAs<TpcDecision>(message.body);
    if (!decision) return ctx.replyError(message, ErrorCode::MalformedRequest, decision.error().message);
    if (std::string problem = validateTpcDecision(decision.value()); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    const std::string& txn = decision->txn;
    const bool commit = decision->decision == kTpcDecisionCommit;
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) {
        // Never heard of it: it cannot have voted yes, so only an abort can be meant for it. Logging the
        // abort makes a vote request that is still on its way get a no.
        if (commit) return;
        if (!enterInit(ctx, txn, message.src)) return;
        conclude(ctx, txn, false);
        ctx.send(message.src, makeBody(TpcAck{txn}));
        return;
    }
    TpcParticipantTxn& entry = it->second;
    switch (entry.state) {
        case TpcParticipantState::Init:
            // Only an abort can reach a participant that has not voted (the coordinator gave up on it).
            if (commit) return;
            conclude(ctx, txn, false);
            break;
        case TpcParticipantState::Ready:
            conclude(ctx, txn, commit);
            break;
        case TpcParticipantState::Commit:
        case TpcParticipantState::Abort:
            // A repeated decision (our ack was lost): ack again. A contrary one is never acknowledged.
            if ((entry.state == TpcParticipantState::Commit) != commit) return;
            break;
    }
    ctx.send(message.src, makeBody(TpcAck{txn}));
}

void TwoPhaseCommitParticipant::onDecisionRequest(Context& ctx, const Envelope& message) {
    Result<TpcDecisionRequest> request = bodyAs<TpcDecisionRequest>(message.body);
    if (!request) return ctx.replyError(message, ErrorCode::MalformedRequest, request.error().message);
    if (std::string problem = validateTpcTxnId(request->txn); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    const std::string& txn = request->txn;
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) {
        // A peer is READY in a transaction this participant never heard of: it has not voted, so it
        // aborts now (and will vote no if the request still comes), and says it was in INIT.
        if (!enterInit(ctx, txn, std::string())) {
            ctx.reply(message, makeBody(TpcStateReply{txn, std::string(kTpcPeerStateUnknown)}));
            return;
        }
        it = m_txns.find(txn);
    }
    const TpcParticipantState state = it->second.state;
    if (state == TpcParticipantState::Init) {
        // The textbook rule: a participant still in INIT answers by aborting, so that the asker may
        // abort too; after this answer it must never vote yes.
        conclude(ctx, txn, false);
    }
    ctx.reply(message, makeBody(TpcStateReply{txn, std::string(tpcParticipantStateName(state))}));
}

void TwoPhaseCommitParticipant::onStateReply(Context& ctx, const Envelope& message) {
    Result<TpcStateReply> reply = bodyAs<TpcStateReply>(message.body);
    if (!reply) return ctx.replyError(message, ErrorCode::MalformedRequest, reply.error().message);
    if (std::string problem = validateTpcPeerState(reply.value()); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    auto it = m_txns.find(reply->txn);
    if (it == m_txns.end() || it->second.state != TpcParticipantState::Ready) return;
    if (!listed(it->second.participants, message.src)) return;  // only a peer's word counts
    TpcParticipantState peer = TpcParticipantState::Ready;
    if (!parseState(reply->state, peer)) return;  // "unknown"
    if (peer == TpcParticipantState::Commit) {
        conclude(ctx, reply->txn, true);
    } else if (peer == TpcParticipantState::Abort || peer == TpcParticipantState::Init) {
        // A peer in INIT had not voted, so the coordinator cannot have decided commit; it has aborted.
        conclude(ctx, reply->txn, false);
    }
    // READY or unknown: nobody we reached knows. Stay blocked, holding the lock, and ask again later.
}

bool TwoPhaseCommitParticipant::enterInit(Context& ctx, const std::string& txn, const NodeId& coordinator) {
    if (m_txns.size() >= m_config.txnsMax) return false;
    TpcParticipantTxn entry;
    entry.coordinator = coordinator;
    m_txns.emplace(txn, std::move(entry));
    writeLog(ctx, txn);
    ctx.traceState(txnStateText(txn, tpcParticipantStateName(TpcParticipantState::Init)));
    m_timers.armMs(ctx, txn, m_config.initTimeoutMs, kTagInitTimeout);
    return true;
}

void TwoPhaseCommitParticipant::voteYes(Context& ctx, const std::string& txn) {
    TpcParticipantTxn& entry = m_txns.at(txn);
    transition(ctx, txn, TpcParticipantState::Ready);
    entry.voted = true;
    entry.lockHeld = true;
    writeLog(ctx, txn);  // the promise is on disk before the coordinator can count it
    ctx.traceState(txnStateText(txn, tpcParticipantStateName(TpcParticipantState::Ready)));
    recordTpcVote(ctx, txn, kTpcVoteYes);
    sendVote(ctx, txn, entry.coordinator);
    m_timers.armMs(ctx, txn, m_config.decisionTimeoutMs, kTagDecisionTimeout);
}

void TwoPhaseCommitParticipant::voteNo(Context& ctx, const std::string& txn) {
    TpcParticipantTxn& entry = m_txns.at(txn);
    entry.voted = true;
    recordTpcVote(ctx, txn, kTpcVoteNo);
    // A no vote is a decision: the transaction cannot commit, and this participant may forget it.
    conclude(ctx, txn, false);
    sendVote(ctx, txn, entry.coordinator);
}

void TwoPhaseCommitParticipant::conclude(Context& ctx, const std::string& txn, bool commit) {
    TpcParticipantTxn& entry = m_txns.at(txn);
    m_timers.cancel(ctx, txn);
    transition(ctx, txn, commit ? TpcParticipantState::Commit : TpcParticipantState::Abort);
    entry.lockHeld = false;
    writeLog(ctx, txn);
    ctx.traceState(txnStateText(txn, tpcParticipantStateName(entry.state)));
    recordTpcDecide(ctx, txn, commit ? kTpcDecisionCommit : kTpcDecisionAbort, kRole);
    onConcluded(ctx, txn, entry);
}

void TwoPhaseCommitParticipant::askAround(Context& ctx, const std::string& txn) {
    TpcParticipantTxn& entry = m_txns.at(txn);
    ++entry.terminationRounds;
    const TpcDecisionRequest request{txn};
    if (!entry.coordinator.empty()) ctx.send(entry.coordinator, makeBody(request));
    for (const NodeId& peer : entry.participants) {
        if (peer != ctx.self() && peer != entry.coordinator) ctx.send(peer, makeBody(request));
    }
    m_timers.armMs(ctx, txn, m_config.decisionTimeoutMs, kTagDecisionTimeout);
}

void TwoPhaseCommitParticipant::sendVote(Context& ctx, const std::string& txn, const NodeId& to) {
    const TpcParticipantTxn& entry = m_txns.at(txn);
    const bool yes = entry.state == TpcParticipantState::Ready || entry.state == TpcParticipantState::Commit;
    ctx.send(to, makeBody(TpcVote{txn, std::string(yes ? kTpcVoteYes : kTpcVoteNo)}));
}

void TwoPhaseCommitParticipant::transition(Context& ctx, const std::string& txn, TpcParticipantState to) {
    TpcParticipantTxn& entry = m_txns.at(txn);
    kTpcParticipantMachine.check(entry.state, to, ctx.self(), ctx.now(), "txn " + txn);
    entry.state = to;
}

void TwoPhaseCommitParticipant::writeLog(Context& ctx, const std::string& txn) {
    const TpcParticipantTxn& entry = m_txns.at(txn);
    Json record{{"state", tpcParticipantStateName(entry.state)},
                {"coordinator", entry.coordinator},
                {"participants", entry.participants},
                {"vote_no", entry.voteNo},
                {"voted", entry.voted},
                {"lock", entry.lockHeld}};
    if (!entry.work.is_null()) record["work"] = entry.work;
    tpcWriteRecord(ctx.store(), kTpcParticipantLogPrefix, txn, record);
}

bool TwoPhaseCommitParticipant::mustVoteNo(const std::string& txn) const {
    return m_txns.at(txn).voteNo || m_config.voteNo.contains(txn);
}

}  // namespace distlab::txn
