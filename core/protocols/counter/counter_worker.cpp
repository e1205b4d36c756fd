// The counter's worker: one job at a time from the queue, under the key's lease lock, committed on the key's
// replicas with two-phase commit. The stages are drawn in the header.
#include "core/protocols/counter/counter_worker.h"

#include <algorithm>
#include <limits>

#include "core/protocols/lock/lease/lease_messages.h"
#include "core/protocols/mq/mq_messages.h"

namespace distlab::counter {

namespace {

const std::string kTagRetry = "cn-retry";
const std::string kTagHeartbeat = "cn-mq-heartbeat";
constexpr std::string_view kTpcTagPrefix = "tpc-";
constexpr std::string_view kTpc3TagPrefix = "tpc3-";

std::string joined(const std::vector<NodeId>& ids) {
    std::string out;
    for (const NodeId& id : ids) out += (out.empty() ? "" : ", ") + id;
    return out;
}

}  // namespace

std::string_view workerStageName(WorkerStage stage) {
    switch (stage) {
        case WorkerStage::Idle: return "idle";
        case WorkerStage::Locking: return "locking";
        case WorkerStage::Fetching: return "fetching";
        case WorkerStage::Committing: return "committing";
    }
    return "";
}

CounterWorker::CounterWorker(WorkerConfig config)
    : m_config(std::move(config)), m_ring(m_config.ring), m_coordinator(m_config.tpc), m_coordinator3(m_config.tpc3) {
    m_ring.addNodes(m_config.replicas);
}

void CounterWorker::onStart(Context& ctx) {
    m_switches = loadSwitches(ctx, m_config.initial);
    if (const std::optional<std::string> stored = ctx.store().get(std::string(kMembersKey))) {
        const Json json = Json::parse(*stored, nullptr, false);
        try {
            CounterMembers members = json.get<CounterMembers>();
            if (validateMembers(members).empty()) useMembers(std::move(members));
        } catch (const Json::exception&) {
            // Not a view this worker wrote: keep the configured members until the lab sends one.
        }
    }
    // Every member counts as heard from now: a restarted worker suspects nobody until suspectMs has passed.
    for (const std::string& id : m_ring.nodeIds()) m_lastHeard[id] = ctx.now();
    m_coordinator.onStart(ctx);   // two-phase commit's recovery, from the coordinator's log
    m_coordinator3.onStart(ctx);  // and three-phase commit's
    consume(ctx);
    m_heartbeatTimer = ctx.setTimer(millis(m_config.heartbeatMs), kTagHeartbeat);
}

void CounterWorker::onMembers(Context& ctx, const Envelope& message) {
    Result<CounterMembers> members = bodyAs<CounterMembers>(message.body);
    if (!members) return ctx.replyError(message, ErrorCode::MalformedRequest, members.error().message);
    CounterMembers view = std::move(members).value();
    if (std::string problem = validateMembers(view); !problem.empty())
        return ctx.replyError(message, ErrorCode::MalformedRequest, problem);
    if (view.epoch <= m_membersEpoch) return;  // an older or repeated view
    ctx.store().put(std::string(kMembersKey), Json(view).dump());
    ctx.traceState("members " + joined(view.replicas) + " (epoch " + std::to_string(view.epoch) + ")");
    useMembers(std::move(view));
    // A new member counts as heard from now, as every member does when the worker starts.
    for (const std::string& id : m_ring.nodeIds()) m_lastHeard.try_emplace(id, ctx.now());
}

void CounterWorker::useMembers(CounterMembers members) {
    m_membersEpoch = members.epoch;
    m_ring = ring::HashRing(m_config.ring);
    m_ring.addNodes(members.replicas);
}

void CounterWorker::consume(Context& ctx) {
    ctx.send(m_config.broker, makeBody(mq::MqDeclare{m_config.queue, true}));
    ctx.send(m_config.broker, makeBody(mq::MqConsume{m_config.queue, 1}));
}

void CounterWorker::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == CounterHeartbeat::kType) {
        m_lastHeard[message.src] = ctx.now();
        return;
    }
    if (type == CounterSwitch::kType) {
        return applySwitchMessage(ctx, message, m_switches);
    }
    if (type == CounterMembers::kType) return onMembers(ctx, message);
    if (type == mq::MqDeliver::kType) return onDeliver(ctx, message);
    if (type == mq::MqChannelClosed::kType) {
        // The broker gave the delivery back to the queue: whoever gets it next does the job.
        if (m_delivery) {
            releaseLock(ctx);
            m_delivery.reset();
            m_stage = WorkerStage::Idle;
        }
        consume(ctx);
        return;
    }
    if (type == mq::MqConsumeOk::kType || type == mq::MqDeclareOk::kType || type == txn::TpcBeginOk::kType ||
        type == lock::LockReleaseOk::kType)
        return;
    if (type == lock::LockAcquireOk::kType) return onLockAnswer(ctx, message);
    if (type == CounterFetchOk::kType) return onFetchAnswer(ctx, message);
    if (type == ErrorMsg::kType && message.body.inReplyTo) {
        const std::int64_t to = *message.body.inReplyTo;
        if (m_fetchSent.contains(to)) return onFetchAnswer(ctx, message);
        if (to == m_lockRequest) return onLockAnswer(ctx, message);
        if (message.src == m_config.broker && !m_delivery) consume(ctx);  // the broker restarted: open again
        return;
    }
    if (type.rfind("tpc_", 0) == 0) {
        m_coordinator.onMessage(ctx, message);
        return afterCoordinator(ctx);
    }
    if (type.rfind("tpc3_", 0) == 0) {
        m_coordinator3.onMessage(ctx, message);
        return afterCoordinator(ctx);
    }
    ctx.replyNotSupported(message, "a counter worker");
}

void CounterWorker::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag.rfind(kTpcTagPrefix, 0) == 0) {
        m_coordinator.onTimer(ctx, id, tag);
        return afterCoordinator(ctx);
    }
    if (tag.rfind(kTpc3TagPrefix, 0) == 0) {
        m_coordinator3.onTimer(ctx, id, tag);
        return afterCoordinator(ctx);
    }
    if (tag == kTagHeartbeat && id == m_heartbeatTimer) {
        ctx.send(m_config.broker, makeBody(mq::MqHeartbeat{}));
        m_heartbeatTimer = ctx.setTimer(millis(m_config.heartbeatMs), kTagHeartbeat);
        return;
    }
    if (tag == kTagRetry && id == m_retryTimer) {
        m_retryTimer = 0;
        if (m_stage == WorkerStage::Locking) acquire(ctx);
        else if (m_stage == WorkerStage::Fetching) fetch(ctx);
    }
}

void CounterWorker::onDeliver(Context& ctx, const Envelope& message) {
    Result<mq::MqDeliver> deliver = bodyAs<mq::MqDeliver>(message.body);
    if (!deliver) return;
    if (m_delivery) {
        // Prefetch 1 makes this a second channel's delivery after a reopen: give it back.
        ctx.send(m_config.broker, makeBody(mq::MqNack{deliver->queue, deliver->delivery_tag, false, true}));
        return;
    }
    Result<Job> job = parseJob(deliver->body);
    if (!job) {
        // Nobody can do a malformed job: it goes to the dead-letter queue, not round and round.
        ctx.send(m_config.broker, makeBody(mq::MqReject{deliver->queue, deliver->delivery_tag, false}));
        ctx.traceState("rejected a malformed job: " + job.error().message);
        return;
    }
    m_delivery = Delivery{deliver->delivery_tag, std::move(job).value()};
    m_answered = false;
    const Job& j = m_delivery->job;
    ctx.traceState("job " + j.op + " " + j.key + (j.op == "incr" ? " " + std::to_string(j.delta) : "") + " (" + j.rid +
                   (deliver->redelivered ? ", redelivered)" : ")"));
    acquire(ctx);
}

void CounterWorker::acquire(Context& ctx) {
    m_stage = WorkerStage::Locking;
    releaseLock(ctx);
    if (m_switches[Switch::SkipLock]) {
        m_fence = 0;
        m_leaseUntil = std::numeric_limits<SimTime>::max();
        return fetch(ctx);
    }
    m_lockToken = nextId(ctx, "lock");
    m_lockRequest = ctx.send(m_config.lockServer,
                             makeBody(lock::LockAcquire{"counter-" + m_delivery->job.key, m_lockToken, m_config.leaseMs}));
    retryLater(ctx, 2 * m_config.retryMs);
}

void CounterWorker::onLockAnswer(Context& ctx, const Envelope& message) {
    if (m_stage != WorkerStage::Locking || message.body.inReplyTo != m_lockRequest) return;
    if (message.body.type == ErrorMsg::kType) {
        // Held by someone else (or the server is busy): try again a little later.
        m_lockToken.clear();
        retryLater(ctx, ctx.rng().uniform(m_config.retryMs, 3 * m_config.retryMs));
        return;
    }
    Result<lock::LockAcquireOk> granted = bodyAs<lock::LockAcquireOk>(message.body);
    if (!granted) return;
    m_fence = granted->fencing_token;
    m_leaseUntil = ctx.now() + millis(m_config.leaseMs);
    fetch(ctx);
}

void CounterWorker::releaseLock(Context& ctx) {
    if (!m_lockToken.empty() && m_delivery)
        ctx.send(m_config.lockServer, makeBody(lock::LockRelease{"counter-" + m_delivery->job.key, m_lockToken}));
    m_lockToken.clear();
    m_lockRequest = 0;
}

bool CounterWorker::leaseValid(Context& ctx) const {
    if (m_switches[Switch::SkipLock]) return true;
    return ctx.now() + millis(m_config.leaseMs) / 4 <= m_leaseUntil;
}

bool CounterWorker::suspected(SimTime now, const NodeId& replica) const {
    auto it = m_lastHeard.find(replica);
    return it != m_lastHeard.end() && now - it->second > millis(m_config.suspectMs);
}

std::size_t CounterWorker::replication() const {
    return m_switches[Switch::SingleReplica] ? 1 : std::size_t(std::max(1, m_config.replication));
}

std::vector<NodeId> CounterWorker::replicasOf(SimTime now, const std::string& key) const {
    const std::vector<int> indices = m_ring.preferenceList(ring::keyHash(m_ring.config().hash, key), replication(), [&](int i) {
        return !suspected(now, m_ring.nodeIds()[std::size_t(i)]);
    });
    std::vector<NodeId> ids;
    for (int i : indices) ids.push_back(m_ring.nodeIds()[std::size_t(i)]);
    return ids;
}

void CounterWorker::fetch(Context& ctx) {
    m_stage = WorkerStage::Fetching;
    if (!leaseValid(ctx)) return acquire(ctx);
    m_set = replicasOf(ctx.now(), m_delivery->job.key);
    m_fetchSent.clear();
    m_fetched.clear();
    if (m_set.size() < replication()) return retryLater(ctx, m_config.retryMs);  // unavailable until enough replicas are up
    for (const NodeId& replica : m_set)
        m_fetchSent[ctx.send(replica, makeBody(CounterFetch{m_delivery->job.key, m_fence}))] = replica;
    retryLater(ctx, m_config.fetchTimeoutMs);
}

void CounterWorker::onFetchAnswer(Context& ctx, const Envelope& message) {
    if (m_stage != WorkerStage::Fetching || !message.body.inReplyTo) return;
    auto sent = m_fetchSent.find(*message.body.inReplyTo);
    if (sent == m_fetchSent.end()) return;
    if (message.body.type == ErrorMsg::kType) {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
        // A replica has seen a higher fencing token: another worker holds the key's lock now.
        if (error && error->code == int(ErrorCode::PreconditionFailed)) return acquire(ctx);
        return;
    }
    Result<CounterFetchOk> answer = bodyAs<CounterFetchOk>(message.body);
    if (!answer || answer->key != m_delivery->job.key) return;
    m_fetched[sent->second] = std::move(answer).value();
    if (m_fetched.size() < m_set.size()) return;
    for (const auto& [replica, fetched] : m_fetched) {
        if (fetched.in_doubt) {
            // A transaction on the key is not decided at this replica yet: its state may be about to change.
            m_fetchSent.clear();
            return retryLater(ctx, m_config.retryMs);
        }
    }
    decide(ctx);
}

void CounterWorker::decide(Context& ctx) {
    if (!leaseValid(ctx)) return acquire(ctx);
    const Job& job = m_delivery->job;
    KeyState best;
    for (const auto& [replica, fetched] : m_fetched) {
        if (auto state = keyStateFromJson(fetched.state); state && fresher(*state, best)) best = std::move(*state);
    }
    std::vector<NodeId>& last = m_lastSet[job.key];
    if (!last.empty() && last.front() != m_set.front())
        ctx.traceState("owner " + job.key + ": " + m_set.front() + " (was " + last.front() + ")");
    last = m_set;
    if (job.op == "read") return finish(ctx, Json(best.value));
    // The commit hands the whole state to a replica that joined the key's set (a node add, or a failure):
    // traced once the commit is decided.
    m_handoffs.clear();
    for (const auto& [replica, fetched] : m_fetched) {
        const std::optional<KeyState> held = keyStateFromJson(fetched.state);
        if (best.version > 0 && (!held || held->version < best.version))
            m_handoffs.push_back("handoff " + job.key + " to " + replica + ": version " + std::to_string(best.version) +
                                 " (it holds " + (held ? std::to_string(held->version) : std::string("none")) + ")");
    }
    if (!m_switches[Switch::Dedup] &&
        std::find(best.applied.begin(), best.applied.end(), job.rid) != best.applied.end())
        return finish(ctx, Json());  // applied before this delivery: answer, and do not apply it again
    KeyState next = best;
    next.value += job.delta;
    next.version += 1;
    next.fence = m_fence;
    next.applied.push_back(job.rid);
    if (next.applied.size() > kAppliedMax) next.applied.erase(next.applied.begin());
    if (m_switches[Switch::AckEarly] && !m_answered) {
        answerClient(ctx, Json());
        ctx.send(m_config.broker, makeBody(mq::MqAck{m_config.queue, m_delivery->tag, false}));
    }
    m_txn = nextId(ctx, "t");
    m_stage = WorkerStage::Committing;
    if (m_retryTimer) ctx.cancelTimer(m_retryTimer), m_retryTimer = 0;
    Envelope begin;
    begin.src = ctx.self();
    begin.dest = ctx.self();
    const Json work = commitWorkToJson(CommitWork{job.key, next, m_fence});
    m_txnThreePhase = m_switches[Switch::ThreePhase];
    if (m_txnThreePhase) {
        begin.body = makeBody(txn::Tpc3Begin{m_txn, m_set, {}, work});
        m_coordinator3.onMessage(ctx, begin);
    } else {
        begin.body = makeBody(txn::TpcBegin{m_txn, m_set, {}, work});
        m_coordinator.onMessage(ctx, begin);
    }
    afterCoordinator(ctx);
}

void CounterWorker::afterCoordinator(Context& ctx) {
    if (m_stage != WorkerStage::Committing) return;
    bool known = false, committed = false, aborted = false;
    if (m_txnThreePhase) {
        const std::optional<txn::Tpc3State> state = m_coordinator3.stateOf(m_txn);
        known = state.has_value();
        committed = state == txn::Tpc3State::Commit || state == txn::Tpc3State::End;
        aborted = state == txn::Tpc3State::Abort;
    } else {
        const std::optional<txn::TpcCoordinatorState> state = m_coordinator.stateOf(m_txn);
        known = state.has_value();
        committed = state == txn::TpcCoordinatorState::Commit || state == txn::TpcCoordinatorState::End;
        aborted = state == txn::TpcCoordinatorState::Abort;
    }
    if (!known) {
        // The coordinator refused the begin (its table is full): try again later.
        m_stage = WorkerStage::Fetching;
        return retryLater(ctx, m_config.retryMs);
    }
    if (committed) {
        for (const std::string& handoff : m_handoffs) ctx.traceState(handoff);
        m_handoffs.clear();
        return finish(ctx, Json());
    }
    if (aborted) {
        m_stage = WorkerStage::Fetching;
        retryLater(ctx, ctx.rng().uniform(m_config.retryMs, 3 * m_config.retryMs));
    }
}

void CounterWorker::answerClient(Context& ctx, const Json& value) {
    const Job& job = m_delivery->job;
    ctx.send(job.client, makeBody(CounterDone{job.rid, job.key, job.op, value}));
    m_answered = true;
}

void CounterWorker::finish(Context& ctx, const Json& value) {
    const bool ackedEarly = m_answered && m_switches[Switch::AckEarly] && m_delivery->job.op == "incr";
    if (!m_answered) answerClient(ctx, value);
    releaseLock(ctx);
    if (!ackedEarly) ctx.send(m_config.broker, makeBody(mq::MqAck{m_config.queue, m_delivery->tag, false}));
    m_delivery.reset();
    m_stage = WorkerStage::Idle;
    m_fetchSent.clear();
    m_fetched.clear();
    m_handoffs.clear();
    if (m_retryTimer) ctx.cancelTimer(m_retryTimer), m_retryTimer = 0;
}

void CounterWorker::retryLater(Context& ctx, std::int64_t ms) {
    if (m_retryTimer) ctx.cancelTimer(m_retryTimer);
    m_retryTimer = ctx.setTimer(millis(std::max<std::int64_t>(1, ms)), kTagRetry);
}

std::string CounterWorker::nextId(Context& ctx, std::string_view what) {
    return ctx.self() + "-" + std::string(what) + std::to_string(ctx.store().increment(std::string(kSequenceKey)));
}

void CounterWorker::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "role"), QT_TRANSLATE_NOOP("Details", "counter worker"));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "stage"), std::string(workerStageName(m_stage)));
    if (m_delivery) {
        const Job& job = m_delivery->job;
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "job"), job.op + " " + job.key + " (" + job.rid + ")");
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "replicas"), joined(m_set));
    }
    if (m_fence > 0) out.emplace_back(QT_TRANSLATE_NOOP("Details", "fencing token"), std::to_string(m_fence));
}

Json CounterWorker::observe(SimTime now) const {
    Json suspects = Json::array();
    for (const std::string& id : m_ring.nodeIds())
        if (suspected(now, id)) suspects.push_back(id);
    Json job;
    if (m_delivery) job = Json{{"op", m_delivery->job.op}, {"key", m_delivery->job.key}, {"rid", m_delivery->job.rid}};
    return Json{{"role", "worker"},
                {"stage", workerStageName(m_stage)},
                {"job", job},
                {"suspected", suspects},
                {"fence", m_fence}};
}

}  // namespace distlab::counter
