// The coordinator of three-phase commit (Skeen 1981; textbook form of Bernstein/Hadzilacos/Goodman ch. 7).
// The state machine is drawn in three_phase_commit.h, the log and recovery in the header of this role.
#include "core/protocols/txn/three_phase_commit_coordinator.h"

#include <algorithm>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

namespace {

const std::string kTagWait = "tpc3-wait";
const std::string kTagAck = "tpc3-ack";
const std::string kTagResend = "tpc3-resend";
constexpr std::string_view kRole = "coordinator";

std::string logKey(const std::string& txn) { return std::string(kTpc3CoordinatorLogPrefix) + txn; }

std::string countOf(const std::set<NodeId>& part, std::size_t whole) {
    return std::to_string(part.size()) + "/" + std::to_string(whole);
}

}  // namespace

ThreePcCoordinator::ThreePcCoordinator(ThreePhaseCommitConfig config) : m_config(config) {}

std::optional<Tpc3State> ThreePcCoordinator::stateOf(const std::string& txn) const {
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) return std::nullopt;
    return it->second.state;
}

void ThreePcCoordinator::onStart(Context& ctx) {
    std::vector<std::pair<std::string, Json>> logged;
    for (const auto& [key, stored] : ctx.store().scan(kTpc3CoordinatorLogPrefix))
        logged.emplace_back(key.substr(kTpc3CoordinatorLogPrefix.size()),
                            Json::parse(stored, nullptr, /*allow_exceptions=*/false));
    for (auto& [txn, json] : logged) {
        Tpc3CoordinatorTxn record;
        try {
            restore(record, tpc3StateFromName(json.at("state").get<std::string>()).value());
            record.ended = json.at("ended").get<bool>();
            record.participants = json.at("participants").get<std::vector<NodeId>>();
            record.voteNo = json.at("vote_no").get<std::set<NodeId>>();
            record.haveCommitted = json.at("have_committed").get<std::set<NodeId>>();
            if (json.contains("work")) record.work = json.at("work");
        } catch (const std::exception&) {
            continue;  // an unreadable record: this coordinator never got past writing it
        }
        m_txns[txn] = std::move(record);
        Tpc3CoordinatorTxn& restored = m_txns[txn];
        switch (restored.state) {
        case Tpc3State::Wait:
            // Nobody can be in PRECOMMIT: aborting is the safe recovery (and what a backup would do).
            enterState(ctx, txn, Tpc3State::Wait, "recovering");
            decide(ctx, txn, false);
            break;
        case Tpc3State::PreCommit:
            restored.recovering = true;
            enterState(ctx, txn, Tpc3State::PreCommit, "recovering");
            resend(ctx, txn);
            armResendTimer(ctx, txn);
            break;
        case Tpc3State::Commit:
            if (restored.ended) break;
            enterState(ctx, txn, Tpc3State::Commit, "recovering");
            resend(ctx, txn);
            armResendTimer(ctx, txn);
            break;
        default:
            break;
        }
    }
}

void ThreePcCoordinator::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == Tpc3Begin::kType) return onBegin(ctx, message);
    if (type == Tpc3Vote::kType) return onVote(ctx, message);
    if (type == Tpc3Ack::kType) return onAck(ctx, message);
    if (type == Tpc3HaveCommitted::kType) return onHaveCommitted(ctx, message);
    if (type == Tpc3StateRequest::kType) return onStateRequest(ctx, message);
    if (type == Tpc3StateReply::kType) return onStateReply(ctx, message);
    if (type == Tpc3DoCommit::kType) return onDecision(ctx, message, true);
    if (type == Tpc3Abort::kType) return onDecision(ctx, message, false);
    ctx.replyNotSupported(message, "a 3PC coordinator");
}

void ThreePcCoordinator::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (const std::optional<std::string> txn = m_resendTimers.fired(id)) {
        if (!m_txns.contains(*txn)) return;
        resend(ctx, *txn);
        armResendTimer(ctx, *txn);
        return;
    }
    const std::optional<std::string> fired = m_phaseTimers.fired(id);
    if (!fired) return;
    const std::string& txn = *fired;
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) return;
    Tpc3CoordinatorTxn& record = it->second;
    if (tag == kTagWait && record.state == Tpc3State::Wait) return decide(ctx, txn, false);
    // Textbook 3PC: the participants that did not ack are in READY or PRECOMMIT (or crashed); none can
    // have aborted while this coordinator is in PRECOMMIT and answering, so committing is safe.
    if (tag == kTagAck && record.state == Tpc3State::PreCommit && !record.recovering)
        return decide(ctx, txn, true);
}

void ThreePcCoordinator::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "role"), QT_TRANSLATE_NOOP("Details", "3PC coordinator"));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "transactions"), std::to_string(m_txns.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "committed"), std::to_string(m_committed));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "aborted"), std::to_string(m_aborted));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "malformed messages"), std::to_string(m_malformed));
    for (const auto& [txn, record] : m_txns) {
        std::string text = txn + ": " + std::string(tpc3StateName(record.ended ? Tpc3State::End : record.state));
        const std::size_t n = record.participants.size();
        if (record.state == Tpc3State::Wait) text += ", yes " + countOf(record.yes, n);
        if (record.state == Tpc3State::PreCommit) text += ", acks " + countOf(record.acked, n);
        if (record.state == Tpc3State::Commit && !record.ended)
            text += ", have committed " + countOf(record.haveCommitted, n);
        if (record.recovering) text += ", recovering";
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "transaction"), text);
    }
}

void ThreePcCoordinator::onBegin(Context& ctx, const Envelope& message) {
    Result<Tpc3Begin> begin = bodyAs<Tpc3Begin>(message.body);
    if (!begin) return malformed(ctx, message, begin.error().message);
    if (std::string problem = validateTpc3Begin(begin.value(), ctx.self()); !problem.empty())
        return malformed(ctx, message, problem);
    if (m_txns.count(begin->txn)) {
        ctx.reply(message, makeBody(makeErrorMsg(ErrorCode::KeyAlreadyExists,
                                                 "transaction " + begin->txn + " already exists")));
        return;
    }
    if (m_txns.size() >= m_config.txnsMax) {
        ctx.reply(message, makeBody(makeErrorMsg(ErrorCode::TemporarilyUnavailable,
                                                 ctx.self() + " already keeps " + std::to_string(m_config.txnsMax) +
                                                     " transactions")));
        return;
    }
    const std::string txn = begin->txn;
    Tpc3CoordinatorTxn& record = m_txns[txn];
    record.participants = begin->participants;
    record.voteNo = std::set<NodeId>(begin->vote_no.begin(), begin->vote_no.end());
    record.work = begin->work;
    enterState(ctx, txn, Tpc3State::Init);
    transition(ctx, txn, Tpc3State::Wait);
    save(ctx, txn);  // the begin record: a restart in WAIT aborts
    enterState(ctx, txn, Tpc3State::Wait);
    resend(ctx, txn);
    armPhaseTimer(ctx, txn, m_config.waitTimeout, kTagWait);
    armResendTimer(ctx, txn);
}

void ThreePcCoordinator::onVote(Context& ctx, const Envelope& message) {
    Result<Tpc3Vote> vote = bodyAs<Tpc3Vote>(message.body);
    if (!vote) return malformed(ctx, message, vote.error().message);
    if (std::string problem = validateTpc3Vote(vote.value()); !problem.empty())
        return malformed(ctx, message, problem);
    auto it = m_txns.find(vote->txn);
    if (it == m_txns.end() || it->second.state != Tpc3State::Wait) return;  // late or duplicate
    Tpc3CoordinatorTxn& record = it->second;
    if (std::find(record.participants.begin(), record.participants.end(), message.src) ==
        record.participants.end())
        return;
    if (vote->vote == "no") return decide(ctx, vote->txn, false);
    record.yes.insert(message.src);
    if (record.yes.size() == record.participants.size()) enterPreCommit(ctx, vote->txn);
}

void ThreePcCoordinator::onAck(Context& ctx, const Envelope& message) {
    Result<Tpc3Ack> ack = bodyAs<Tpc3Ack>(message.body);
    if (!ack) return malformed(ctx, message, ack.error().message);
    if (std::string problem = validateTxnId(ack->txn); !problem.empty()) return malformed(ctx, message, problem);
    auto it = m_txns.find(ack->txn);
    if (it == m_txns.end() || it->second.state != Tpc3State::PreCommit || it->second.recovering) return;
    Tpc3CoordinatorTxn& record = it->second;
    if (std::find(record.participants.begin(), record.participants.end(), message.src) ==
        record.participants.end())
        return;
    record.acked.insert(message.src);
    if (record.acked.size() == record.participants.size()) decide(ctx, ack->txn, true);
}

void ThreePcCoordinator::onHaveCommitted(Context& ctx, const Envelope& message) {
    Result<Tpc3HaveCommitted> done = bodyAs<Tpc3HaveCommitted>(message.body);
    if (!done) return malformed(ctx, message, done.error().message);
    if (std::string problem = validateTxnId(done->txn); !problem.empty())
        return malformed(ctx, message, problem);
    auto it = m_txns.find(done->txn);
    if (it == m_txns.end() || it->second.state != Tpc3State::Commit || it->second.ended) return;
    Tpc3CoordinatorTxn& record = it->second;
    if (std::find(record.participants.begin(), record.participants.end(), message.src) ==
        record.participants.end())
        return;
    record.haveCommitted.insert(message.src);
    save(ctx, done->txn);
    if (record.haveCommitted.size() == record.participants.size()) end(ctx, done->txn);
}

void ThreePcCoordinator::onStateRequest(Context& ctx, const Envelope& message) {
    Result<Tpc3StateRequest> request = bodyAs<Tpc3StateRequest>(message.body);
    if (!request) return malformed(ctx, message, request.error().message);
    if (std::string problem = validateTxnId(request->txn); !problem.empty())
        return malformed(ctx, message, problem);
    const std::string& txn = request->txn;
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) {
        // Never begun here (a participant learns of a txn only after its begin record is written): nothing
        // can commit, and nothing about it is worth remembering.
        ctx.reply(message, makeBody(Tpc3StateReply{txn, std::string(tpc3StateName(Tpc3State::Abort)), false}));
        return;
    }
    // A participant gave up waiting for this coordinator: it must not go on to PRECOMMIT behind the
    // backup's back, and nobody is in PRECOMMIT yet, so it aborts.
    if (it->second.state == Tpc3State::Wait) decide(ctx, txn, false);
    const Tpc3CoordinatorTxn& record = m_txns.at(txn);
    ctx.reply(message, makeBody(Tpc3StateReply{txn, std::string(tpc3StateName(record.state)), record.recovering}));
}

void ThreePcCoordinator::onStateReply(Context& ctx, const Envelope& message) {
    Result<Tpc3StateReply> reply = bodyAs<Tpc3StateReply>(message.body);
    if (!reply) return malformed(ctx, message, reply.error().message);
    if (std::string problem = validateTpc3StateReply(reply.value()); !problem.empty())
        return malformed(ctx, message, problem);
    auto it = m_txns.find(reply->txn);
    if (it == m_txns.end() || tpc3Decided(it->second.state)) return;
    // Only a recovering coordinator asks; it adopts the decision the participants reached without it.
    const std::optional<Tpc3State> state = tpc3StateFromName(reply->state);
    if (state == Tpc3State::Commit) return decide(ctx, reply->txn, true);
    if (state == Tpc3State::Abort) return decide(ctx, reply->txn, false);
}

void ThreePcCoordinator::onDecision(Context& ctx, const Envelope& message, bool commit) {
    std::string txn;
    if (commit) {
        Result<Tpc3DoCommit> doCommit = bodyAs<Tpc3DoCommit>(message.body);
        if (!doCommit) return malformed(ctx, message, doCommit.error().message);
        txn = doCommit->txn;
    } else {
        Result<Tpc3Abort> abort = bodyAs<Tpc3Abort>(message.body);
        if (!abort) return malformed(ctx, message, abort.error().message);
        txn = abort->txn;
    }
    if (std::string problem = validateTxnId(txn); !problem.empty()) return malformed(ctx, message, problem);
    // A backup coordinator decided while this one was down or cut off: adopt it if still undecided.
    auto it = m_txns.find(txn);
    if (it == m_txns.end() || tpc3Decided(it->second.state)) return;
    decide(ctx, txn, commit);
}

void ThreePcCoordinator::enterPreCommit(Context& ctx, const std::string& txn) {
    cancelTimers(ctx, txn);
    transition(ctx, txn, Tpc3State::PreCommit);
    save(ctx, txn);
    enterState(ctx, txn, Tpc3State::PreCommit);
    resend(ctx, txn);
    armPhaseTimer(ctx, txn, m_config.ackTimeout, kTagAck);
    armResendTimer(ctx, txn);
}

void ThreePcCoordinator::decide(Context& ctx, const std::string& txn, bool commit) {
    Tpc3CoordinatorTxn& record = m_txns.at(txn);
    if (tpc3Decided(record.state)) return;
    cancelTimers(ctx, txn);
    transition(ctx, txn, commit ? Tpc3State::Commit : Tpc3State::Abort);
    record.recovering = false;
    save(ctx, txn);
    recordDecision(ctx, txn, commit, kRole);
    ++(commit ? m_committed : m_aborted);
    enterState(ctx, txn, record.state);
    resend(ctx, txn);
    if (commit) {
        armResendTimer(ctx, txn);
    } else {
        // Abort needs no acknowledgement: a participant that missed it times out and asks (and a
        // participant that never voted holds nothing).
        end(ctx, txn);
    }
}

void ThreePcCoordinator::end(Context& ctx, const std::string& txn) {
    cancelTimers(ctx, txn);
    transition(ctx, txn, Tpc3State::End);
    save(ctx, txn);
    enterState(ctx, txn, Tpc3State::End);
}

void ThreePcCoordinator::resend(Context& ctx, const std::string& txn) {
    const Tpc3CoordinatorTxn& record = m_txns.at(txn);
    for (const NodeId& participant : record.participants) {
        switch (record.state) {
        case Tpc3State::Wait:
            if (!record.yes.count(participant))
                ctx.send(participant, makeBody(Tpc3CanCommit{txn, record.participants,
                                                             record.voteNo.count(participant) > 0, record.work}));
            break;
        case Tpc3State::PreCommit:
            if (record.recovering) {
                ctx.send(participant, makeBody(Tpc3StateRequest{txn}));
            } else if (!record.acked.count(participant)) {
                ctx.send(participant, makeBody(Tpc3PreCommit{txn}));
            }
            break;
        case Tpc3State::Commit:
            if (!record.haveCommitted.count(participant)) ctx.send(participant, makeBody(Tpc3DoCommit{txn}));
            break;
        case Tpc3State::Abort:
            ctx.send(participant, makeBody(Tpc3Abort{txn}));
            break;
        default:
            break;
        }
    }
}

void ThreePcCoordinator::armPhaseTimer(Context& ctx, const std::string& txn, SimTime delay, std::string_view tag) {
    m_phaseTimers.arm(ctx, txn, delay, tag);
}

void ThreePcCoordinator::armResendTimer(Context& ctx, const std::string& txn) {
    if (!m_resendTimers.armed(txn)) m_resendTimers.arm(ctx, txn, m_config.resendInterval, kTagResend);
}

void ThreePcCoordinator::cancelTimers(Context& ctx, const std::string& txn) {
    m_phaseTimers.cancel(ctx, txn);
    m_resendTimers.cancel(ctx, txn);
}

void ThreePcCoordinator::transition(Context& ctx, const std::string& txn, Tpc3State to) {
    Tpc3CoordinatorTxn& record = m_txns.at(txn);
    kTpc3CoordinatorMachine.check(record.ended ? Tpc3State::End : record.state, to, ctx.self(), ctx.now(),
                                  "txn " + txn);
    if (to == Tpc3State::End) {
        record.ended = true;
    } else {
        record.state = to;
    }
}

void ThreePcCoordinator::enterState(Context& ctx, const std::string& txn, Tpc3State state, std::string_view note) {
    std::string text = txnStateText(txn, tpc3StateName(state));
    if (!note.empty()) text += " " + std::string(note);
    ctx.traceState(text);
}

void ThreePcCoordinator::save(Context& ctx, const std::string& txn) {
    const Tpc3CoordinatorTxn& record = m_txns.at(txn);
    Json log{{"state", tpc3StateName(record.state)},
             {"ended", record.ended},
             {"participants", record.participants},
             {"vote_no", record.voteNo},
             {"have_committed", record.haveCommitted}};
    if (!record.work.is_null()) log["work"] = record.work;
    ctx.store().put(logKey(txn), log.dump());
}

void ThreePcCoordinator::malformed(Context& ctx, const Envelope& message, std::string text) {
    ++m_malformed;
    ctx.reply(message, makeBody(makeErrorMsg(ErrorCode::MalformedRequest, std::move(text))));
}

}  // namespace distlab::txn
