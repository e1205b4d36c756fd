// A participant of three-phase commit (Skeen 1981) and its termination protocol (Skeen & Stonebraker
// 1983: an elected backup coordinator collects the states and applies the commit rule). The state machine
// is drawn in three_phase_commit.h, the log and recovery in the header of this role.
#include "core/protocols/txn/three_phase_commit_participant.h"

#include <algorithm>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

namespace {

const std::string kTagInit = "tpc3-init";
const std::string kTagReady = "tpc3-ready";
const std::string kTagPreCommit = "tpc3-precommit";
const std::string kTagCollectResend = "tpc3-collect-resend";
const std::string kTagCollect = "tpc3-collect";
const std::string kTagPush = "tpc3-push";
const std::string kTagRetry = "tpc3-retry";
constexpr std::string_view kRole = "participant";

std::string logKey(const std::string& txn) { return std::string(kTpc3ParticipantLogPrefix) + txn; }

std::string_view terminationName(Tpc3Termination termination) {
    switch (termination) {
    case Tpc3Termination::Idle: return "";
    case Tpc3Termination::Collecting: return "collecting states";
    case Tpc3Termination::Pushing: return "backup, collecting acks";
    case Tpc3Termination::Waiting: return "waiting for the backup";
    }
    return "";
}

bool contains(const std::vector<NodeId>& ids, const NodeId& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

ThreePcParticipant::ThreePcParticipant(ThreePhaseCommitConfig config) : m_config(config) {}

std::optional<Tpc3State> ThreePcParticipant::stateOf(const std::string& txn) const {
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) return std::nullopt;
    return it->second.state;
}

void ThreePcParticipant::onStart(Context& ctx) {
    std::vector<std::pair<std::string, Json>> logged;
    for (const auto& [key, stored] : ctx.store().scan(kTpc3ParticipantLogPrefix))
        logged.emplace_back(key.substr(kTpc3ParticipantLogPrefix.size()),
                            Json::parse(stored, nullptr, /*allow_exceptions=*/false));
    for (auto& [txn, json] : logged) {
        Tpc3ParticipantTxn record;
        try {
            restore(record, tpc3StateFromName(json.at("state").get<std::string>()).value());
            record.coordinator = json.at("coordinator").get<std::string>();
            record.participants = json.at("participants").get<std::vector<NodeId>>();
            if (json.contains("work")) record.work = json.at("work");
        } catch (const std::exception&) {
            continue;  // unreadable: the node crashed before this record meant anything
        }
        m_txns[txn] = std::move(record);
        switch (m_txns[txn].state) {
        case Tpc3State::Init:
            enterState(ctx, txn, Tpc3State::Init, "recovering");
            arm(ctx, txn, m_config.initTimeout, kTagInit);
            break;
        case Tpc3State::Ready:
        case Tpc3State::PreCommit:
            m_txns[txn].recovering = true;
            enterState(ctx, txn, m_txns[txn].state, "recovering");
            startRound(ctx, txn);
            break;
        default:
            break;
        }
    }
}

void ThreePcParticipant::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == Tpc3CanCommit::kType) return onCanCommit(ctx, message);
    if (type == Tpc3PreCommit::kType) return onPreCommit(ctx, message);
    if (type == Tpc3DoCommit::kType) return onDoCommit(ctx, message);
    if (type == Tpc3Abort::kType) return onAbort(ctx, message);
    if (type == Tpc3StateRequest::kType) return onStateRequest(ctx, message);
    if (type == Tpc3StateReply::kType) return onStateReply(ctx, message);
    if (type == Tpc3Ack::kType) return onAck(ctx, message);
    if (type == Tpc3HaveCommitted::kType) return;  // to a backup's DoCommit: nothing to keep
    ctx.replyNotSupported(message, "a 3PC participant");
}

void ThreePcParticipant::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    const std::optional<std::string> fired = m_timers.fired(id);
    if (!fired) return;
    const std::string txn = *fired;
    auto it = m_txns.find(txn);
    if (it == m_txns.end()) return;
    Tpc3ParticipantTxn& record = it->second;
    if (tpc3Decided(record.state)) return;
    if (tag == kTagInit) return decide(ctx, txn, false);  // never asked to vote: abort unilaterally
    if (tag == kTagReady || tag == kTagPreCommit || tag == kTagRetry) return startRound(ctx, txn);
    if (tag == kTagCollectResend) {
        askSilent(ctx, txn);
        return arm(ctx, txn, m_config.collectTimeout - m_config.collectTimeout / 2, kTagCollect);
    }
    if (tag == kTagCollect) return evaluateRound(ctx, txn);
    // A peer did not ack the backup's PreCommit: it crashed, or is cut off. Committing now could leave a
    // later backup, which does not hear from this one, with only READY states: ask again instead.
    if (tag == kTagPush) return startRound(ctx, txn);
}

void ThreePcParticipant::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "role"), QT_TRANSLATE_NOOP("Details", "3PC participant"));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "transactions"), std::to_string(m_txns.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "committed"), std::to_string(m_committed));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "aborted"), std::to_string(m_aborted));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "backup decisions"), std::to_string(m_backupDecisions));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "malformed messages"), std::to_string(m_malformed));
    for (const auto& [txn, record] : m_txns) {
        std::string text = txn + ": " + std::string(tpc3StateName(record.state));
        if (!record.coordinator.empty()) text += ", coordinator " + record.coordinator;
        if (record.recovering) text += ", recovering";
        if (record.termination != Tpc3Termination::Idle)
            text += ", " + std::string(terminationName(record.termination)) + " (round " +
                    std::to_string(record.rounds) + ")";
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "transaction"), text);
    }
}

// --- the coordinator's phases ---

void ThreePcParticipant::onCanCommit(Context& ctx, const Envelope& message) {
    Result<Tpc3CanCommit> request = bodyAs<Tpc3CanCommit>(message.body);
    if (!request) return malformed(ctx, message, request.error().message);
    if (std::string problem = validateTpc3CanCommit(request.value()); !problem.empty())
        return malformed(ctx, message, problem);
    if (!contains(request->participants, ctx.self()))
        return malformed(ctx, message, "participants: " + ctx.self() + " is not listed");
    const std::string& txn = request->txn;
    const bool known = m_txns.count(txn) > 0;
    Tpc3ParticipantTxn* record = recordFor(txn);
    if (!record) {
        ctx.reply(message, makeBody(makeErrorMsg(ErrorCode::TemporarilyUnavailable,
                                                 ctx.self() + " already keeps " +
                                                     std::to_string(m_config.txnsMax) + " transactions")));
        return;
    }
    if (known && record->state != Tpc3State::Init) {
        // A duplicate (the coordinator resends to whoever it has not heard from): the same vote again.
        const bool yes = record->state != Tpc3State::Abort;
        ctx.reply(message, makeBody(Tpc3Vote{txn, yes ? "yes" : "no"}));
        return;
    }
    record->coordinator = message.src;
    record->participants = request->participants;
    if (!known) record->work = request->work;
    if (!known) enterState(ctx, txn, Tpc3State::Init);
    // In INIT after a peer's state request this node promised not to vote yes (the peer may have
    // aborted on its word); otherwise the lab's script and the local work say whether it can commit.
    const bool yes = !request->vote_no && !known && canCommit(ctx, txn, *record);
    if (!yes) {
        recordVote(ctx, txn, false);
        decide(ctx, txn, false);  // a no vote is a unilateral abort
        ctx.reply(message, makeBody(Tpc3Vote{txn, "no"}));
        return;
    }
    enterReadyOrPreCommit(ctx, txn, Tpc3State::Ready);
    recordVote(ctx, txn, true);
    ctx.reply(message, makeBody(Tpc3Vote{txn, "yes"}));
}

void ThreePcParticipant::onPreCommit(Context& ctx, const Envelope& message) {
    Result<Tpc3PreCommit> preCommit = bodyAs<Tpc3PreCommit>(message.body);
    if (!preCommit) return malformed(ctx, message, preCommit.error().message);
    if (std::string problem = validateTxnId(preCommit->txn); !problem.empty())
        return malformed(ctx, message, problem);
    auto it = m_txns.find(preCommit->txn);
    if (it == m_txns.end()) return;  // never voted yes here: cannot be in PRECOMMIT
    const Tpc3State state = it->second.state;
    if (state == Tpc3State::Init || state == Tpc3State::Abort) return;
    if (state == Tpc3State::Ready) enterReadyOrPreCommit(ctx, preCommit->txn, Tpc3State::PreCommit);
    ctx.reply(message, makeBody(Tpc3Ack{preCommit->txn}));
}

void ThreePcParticipant::onDoCommit(Context& ctx, const Envelope& message) {
    Result<Tpc3DoCommit> doCommit = bodyAs<Tpc3DoCommit>(message.body);
    if (!doCommit) return malformed(ctx, message, doCommit.error().message);
    if (std::string problem = validateTxnId(doCommit->txn); !problem.empty())
        return malformed(ctx, message, problem);
    auto it = m_txns.find(doCommit->txn);
    if (it == m_txns.end()) return;
    const Tpc3State state = it->second.state;
    if (state == Tpc3State::Init || state == Tpc3State::Abort) return;  // irrevocable, even if wrong
    if (state != Tpc3State::Commit) decide(ctx, doCommit->txn, true);
    ctx.reply(message, makeBody(Tpc3HaveCommitted{doCommit->txn}));
}

void ThreePcParticipant::onAbort(Context& ctx, const Envelope& message) {
    Result<Tpc3Abort> abort = bodyAs<Tpc3Abort>(message.body);
    if (!abort) return malformed(ctx, message, abort.error().message);
    if (std::string problem = validateTxnId(abort->txn); !problem.empty()) return malformed(ctx, message, problem);
    // Also for a transaction not heard of yet (the Abort overtook the CanCommit): the late CanCommit then
    // gets a no.
    if (!m_txns.count(abort->txn)) {
        if (!recordFor(abort->txn)) return;
        m_txns.at(abort->txn).coordinator = message.src;
    }
    decide(ctx, abort->txn, false);
}

// --- the termination protocol ---

void ThreePcParticipant::onStateRequest(Context& ctx, const Envelope& message) {
    Result<Tpc3StateRequest> request = bodyAs<Tpc3StateRequest>(message.body);
    if (!request) return malformed(ctx, message, request.error().message);
    if (std::string problem = validateTxnId(request->txn); !problem.empty())
        return malformed(ctx, message, problem);
    const std::string& txn = request->txn;
    if (!m_txns.count(txn)) {
        // A peer is terminating a transaction whose CanCommit this node never got. It answers INIT, and
        // the backup may abort on that word, so it must never vote yes: the promise is logged.
        Tpc3ParticipantTxn* record = recordFor(txn);
        if (!record) return;
        save(ctx, txn);
        enterState(ctx, txn, Tpc3State::Init);
        arm(ctx, txn, m_config.initTimeout, kTagInit);
    }
    const Tpc3ParticipantTxn& record = m_txns.at(txn);
    ctx.reply(message, makeBody(Tpc3StateReply{txn, std::string(tpc3StateName(record.state)), record.recovering}));
}

void ThreePcParticipant::onStateReply(Context& ctx, const Envelope& message) {
    Result<Tpc3StateReply> reply = bodyAs<Tpc3StateReply>(message.body);
    if (!reply) return malformed(ctx, message, reply.error().message);
    if (std::string problem = validateTpc3StateReply(reply.value()); !problem.empty())
        return malformed(ctx, message, problem);
    auto it = m_txns.find(reply->txn);
    if (it == m_txns.end() || tpc3Decided(it->second.state)) return;
    Tpc3ParticipantTxn& record = it->second;
    if (message.src != record.coordinator && !contains(record.participants, message.src)) return;
    // Somebody already decided: there is nothing left to elect a backup for.
    const std::optional<Tpc3State> state = tpc3StateFromName(reply->state);
    if (state == Tpc3State::Commit) return decide(ctx, reply->txn, true);
    if (state == Tpc3State::Abort) return decide(ctx, reply->txn, false);
    if (record.termination == Tpc3Termination::Collecting) record.replies[message.src] = reply.value();
}

void ThreePcParticipant::onAck(Context& ctx, const Envelope& message) {
    Result<Tpc3Ack> ack = bodyAs<Tpc3Ack>(message.body);
    if (!ack) return malformed(ctx, message, ack.error().message);
    if (std::string problem = validateTxnId(ack->txn); !problem.empty()) return malformed(ctx, message, problem);
    auto it = m_txns.find(ack->txn);
    if (it == m_txns.end() || it->second.termination != Tpc3Termination::Pushing) return;
    Tpc3ParticipantTxn& record = it->second;
    if (!record.pushTo.count(message.src)) return;
    record.pushAcked.insert(message.src);
    if (record.pushAcked.size() == record.pushTo.size()) decideAsBackup(ctx, ack->txn, true);
}

void ThreePcParticipant::startRound(Context& ctx, const std::string& txn) {
    Tpc3ParticipantTxn& record = m_txns.at(txn);
    disarm(ctx, txn);
    record.termination = Tpc3Termination::Collecting;
    record.replies.clear();
    record.pushTo.clear();
    record.pushAcked.clear();
    ++record.rounds;
    askSilent(ctx, txn);
    arm(ctx, txn, m_config.collectTimeout / 2, kTagCollectResend);
}

void ThreePcParticipant::askSilent(Context& ctx, const std::string& txn) {
    const Tpc3ParticipantTxn& record = m_txns.at(txn);
    if (!record.coordinator.empty() && !record.replies.count(record.coordinator))
        ctx.send(record.coordinator, makeBody(Tpc3StateRequest{txn}));
    for (const NodeId& peer : record.participants) {
        if (peer != ctx.self() && !record.replies.count(peer)) ctx.send(peer, makeBody(Tpc3StateRequest{txn}));
    }
}

void ThreePcParticipant::evaluateRound(Context& ctx, const std::string& txn) {
    Tpc3ParticipantTxn& record = m_txns.at(txn);
    // Everybody answered undecided: nobody can have decided, so every state counts, stale or not.
    bool complete = record.replies.count(record.coordinator) > 0;
    for (const NodeId& peer : record.participants) {
        if (peer != ctx.self() && !record.replies.count(peer)) complete = false;
    }
    const auto counts = [&](bool recovering) { return complete || !recovering; };
    bool anyPreCommit = counts(record.recovering) && record.state == Tpc3State::PreCommit;
    NodeId backup = counts(record.recovering) ? ctx.self() : NodeId();
    for (const auto& [from, reply] : record.replies) {
        if (!counts(reply.recovering)) continue;
        if (tpc3StateFromName(reply.state) == Tpc3State::PreCommit) anyPreCommit = true;
        if (contains(record.participants, from) && (backup.empty() || from < backup)) backup = from;
    }
    if (backup != ctx.self()) {
        // Another participant is the backup (or nobody can be yet): ask again after a while.
        record.termination = Tpc3Termination::Waiting;
        return arm(ctx, txn, m_config.readyTimeout, kTagRetry);
    }
    ++m_backupDecisions;
    if (!anyPreCommit) return decideAsBackup(ctx, txn, false);
    // Skeen's rule: somebody may have committed already, or may commit on this backup's word; first
    // bring every operational peer to PRECOMMIT, then commit.
    if (record.state == Tpc3State::Ready) enterReadyOrPreCommit(ctx, txn, Tpc3State::PreCommit);
    record.termination = Tpc3Termination::Pushing;
    for (const auto& [from, reply] : record.replies) {
        if (counts(reply.recovering) && tpc3StateFromName(reply.state) == Tpc3State::Ready &&
            contains(record.participants, from))
            record.pushTo.insert(from);
    }
    if (record.pushTo.empty()) return decideAsBackup(ctx, txn, true);
    for (const NodeId& peer : record.pushTo) ctx.send(peer, makeBody(Tpc3PreCommit{txn}));
    arm(ctx, txn, m_config.collectTimeout, kTagPush);
}

void ThreePcParticipant::decideAsBackup(Context& ctx, const std::string& txn, bool commit) {
    decide(ctx, txn, commit);
    const Tpc3ParticipantTxn& record = m_txns.at(txn);
    auto tell = [&](const NodeId& node) {
        if (commit) {
            ctx.send(node, makeBody(Tpc3DoCommit{txn}));
        } else {
            ctx.send(node, makeBody(Tpc3Abort{txn}));
        }
    };
    if (!record.coordinator.empty()) tell(record.coordinator);
    for (const NodeId& peer : record.participants) {
        if (peer != ctx.self()) tell(peer);
    }
}

// --- state, log and timers ---

void ThreePcParticipant::enterReadyOrPreCommit(Context& ctx, const std::string& txn, Tpc3State state) {
    Tpc3ParticipantTxn& record = m_txns.at(txn);
    disarm(ctx, txn);
    transition(ctx, txn, state);
    record.termination = Tpc3Termination::Idle;
    save(ctx, txn);
    enterState(ctx, txn, state, record.recovering ? "recovering" : "");
    arm(ctx, txn, state == Tpc3State::Ready ? m_config.readyTimeout : m_config.precommitTimeout,
        state == Tpc3State::Ready ? kTagReady : kTagPreCommit);
}

void ThreePcParticipant::decide(Context& ctx, const std::string& txn, bool commit) {
    Tpc3ParticipantTxn& record = m_txns.at(txn);
    if (tpc3Decided(record.state)) return;
    disarm(ctx, txn);
    transition(ctx, txn, commit ? Tpc3State::Commit : Tpc3State::Abort);
    record.recovering = false;
    record.termination = Tpc3Termination::Idle;
    record.replies.clear();
    save(ctx, txn);
    recordDecision(ctx, txn, commit, kRole);
    ++(commit ? m_committed : m_aborted);
    enterState(ctx, txn, record.state);
    onConcluded(ctx, txn, record);
}

void ThreePcParticipant::arm(Context& ctx, const std::string& txn, SimTime delay, std::string_view tag) {
    m_timers.arm(ctx, txn, delay, tag);
}

void ThreePcParticipant::transition(Context& ctx, const std::string& txn, Tpc3State to) {
    Tpc3ParticipantTxn& record = m_txns.at(txn);
    kTpc3ParticipantMachine.check(record.state, to, ctx.self(), ctx.now(), "txn " + txn);
    record.state = to;
}

void ThreePcParticipant::enterState(Context& ctx, const std::string& txn, Tpc3State state, std::string_view note) {
    std::string text = txnStateText(txn, tpc3StateName(state));
    if (!note.empty()) text += " " + std::string(note);
    ctx.traceState(text);
}

void ThreePcParticipant::save(Context& ctx, const std::string& txn) {
    const Tpc3ParticipantTxn& record = m_txns.at(txn);
    Json log{{"state", tpc3StateName(record.state)},
             {"coordinator", record.coordinator},
             {"participants", record.participants}};
    if (!record.work.is_null()) log["work"] = record.work;
    ctx.store().put(logKey(txn), log.dump());
}

Tpc3ParticipantTxn* ThreePcParticipant::recordFor(const std::string& txn) {
    auto it = m_txns.find(txn);
    if (it != m_txns.end()) return &it->second;
    if (m_txns.size() >= m_config.txnsMax) return nullptr;
    return &m_txns[txn];
}

void ThreePcParticipant::malformed(Context& ctx, const Envelope& message, std::string text) {
    ++m_malformed;
    ctx.reply(message, makeBody(makeErrorMsg(ErrorCode::MalformedRequest, std::move(text))));
}

}  // namespace distlab::txn
