// The counter's client: publishes one job at a time and retries it with the same request id.
#include "core/protocols/counter/counter_client.h"

#include "core/protocols/mq/mq_messages.h"

namespace distlab::counter {

namespace {

const std::string kTagThink = "cn-think";
const std::string kTagRetry = "cn-op-retry";

Json opValue(const Job& job) {
    Json value{{"key", job.key}};
    if (job.op == "incr") value["value"] = job.delta;
    return value;
}

}  // namespace

CounterClient::CounterClient(ClientConfig config) : m_config(std::move(config)) {}

void CounterClient::onStart(Context& ctx) {
    if (const auto stored = ctx.store().get(std::string(kWorkloadKey))) m_workload = *stored != "off";
    ctx.send(m_config.broker, makeBody(mq::MqDeclare{m_config.queue, true}));
    think(ctx);
}

void CounterClient::think(Context& ctx) {
    if (m_timer) ctx.cancelTimer(m_timer);
    m_timer = ctx.setTimer(millis(ctx.rng().uniform(1, 2 * m_config.thinkMs + 1)), kTagThink);
}

void CounterClient::next(Context& ctx) {
    if (!m_workload || m_config.keys.empty()) return;
    Open open;
    // Operation ids are unique across restarts: a new process never reuses an open operation's id.
    open.opId = ctx.store().increment(std::string(kSequenceKey));
    open.job.key = m_config.keys[std::size_t(ctx.rng().uniform(0, std::int64_t(m_config.keys.size())))];
    open.job.client = ctx.self();
    open.job.rid = ctx.self() + "-" + std::to_string(open.opId);
    if (ctx.rng().uniform(0, 100) < m_config.readPercent) {
        open.job.op = "read";
    } else {
        open.job.op = "incr";
        open.job.delta = ctx.rng().uniform(1, m_config.deltaMax + 1);
    }
    m_open = std::move(open);
    ctx.recordOp(OpPhase::Invoke, m_open->opId, m_open->job.op, opValue(m_open->job));
    publish(ctx);
}

void CounterClient::publish(Context& ctx) {
    ++m_open->attempts;
    const std::string messageId = m_open->job.rid + "." + std::to_string(m_open->attempts);
    ctx.send(m_config.broker, makeBody(mq::MqPublish{m_config.queue, messageId, jobToBody(m_open->job), true}));
    if (m_timer) ctx.cancelTimer(m_timer);
    m_timer = ctx.setTimer(millis(m_config.retryMs), kTagRetry);
}

void CounterClient::end(Context& ctx, OpPhase phase, const Json& value) {
    ctx.recordOp(phase, m_open->opId, m_open->job.op, value);
    m_open.reset();
    ++m_done;
    think(ctx);
}

void CounterClient::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == CounterDone::kType) {
        Result<CounterDone> done = bodyAs<CounterDone>(message.body);
        if (!done || !m_open || done->rid != m_open->job.rid) return;  // a late answer to an earlier attempt
        Json value = opValue(m_open->job);
        if (m_open->job.op == "read") {
            if (!done->value.is_number_integer()) return;
            value["value"] = done->value;
        }
        return end(ctx, OpPhase::Ok, value);
    }
    if (type == CounterWorkload::kType) {
        Result<CounterWorkload> workload = bodyAs<CounterWorkload>(message.body);
        if (!workload) return ctx.replyError(message, ErrorCode::MalformedRequest, workload.error().message);
        m_workload = workload->on;
        ctx.store().put(std::string(kWorkloadKey), m_workload ? "on" : "off");
        if (m_workload && !m_open) think(ctx);
        return;
    }
    if (type == ErrorMsg::kType) {
        // The broker does not know the queue (it restarted without it): declare it; the retry publishes again.
        if (message.src == m_config.broker) ctx.send(m_config.broker, makeBody(mq::MqDeclare{m_config.queue, true}));
        return;
    }
    if (type == mq::MqConfirm::kType || type == mq::MqDeclareOk::kType) return;
    ctx.replyNotSupported(message, "a counter client");
}

void CounterClient::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (id != m_timer) return;
    m_timer = 0;
    if (tag == kTagThink && !m_open) return next(ctx);
    if (tag == kTagRetry && m_open) {
        if (m_open->attempts >= m_config.attemptsMax) return end(ctx, OpPhase::Unknown, opValue(m_open->job));
        publish(ctx);
    }
}

void CounterClient::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "role"), QT_TRANSLATE_NOOP("Details", "counter client"));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "operations done"), std::to_string(m_done));
    if (m_open)
        out.emplace_back(QT_TRANSLATE_NOOP("Details", "waiting for"),
                         m_open->job.op + " " + m_open->job.key + " (" + m_open->job.rid + ", attempt " +
                             std::to_string(m_open->attempts) + ")");
}

Json CounterClient::observe(SimTime now) const {
    (void)now;
    Json op;
    if (m_open) op = Json{{"f", m_open->job.op}, {"key", m_open->job.key}, {"rid", m_open->job.rid}};
    return Json{{"role", "client"}, {"op", op}, {"done", m_done}};
}

}  // namespace distlab::counter
