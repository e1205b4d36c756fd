// A Jepsen-style workload client for the Dynamo-style demo store: one operation at a time, routed to
// the key's owner on the consistent-hash ring, every step recorded in the history.
#include "core/protocols/kv/kv_client.h"

#include <algorithm>

#include "core/protocols/kv/kv_server.h"

namespace distlab::kv {

namespace {

const std::string kTagTick = "tick";
const std::string kTagRequestTimeout = "request-timeout";
// Operation ids and put values stay unique across restarts, so the history never pairs a new
// invocation with an old completion.
const std::string kOpStoreKey = "meta/next-op";
const std::string kValueStoreKey = "meta/next-value";

std::string_view opName(bool put) {
    return put ? "put" : "get";
}

}  // namespace

KvClient::KvClient(KvClientConfig config) : m_config(config) {
    m_config.keys = std::clamp(m_config.keys, 1, kClientKeysMax);
    m_config.intervalMin = std::max<SimTime>(m_config.intervalMin, 1);
    m_config.intervalMax = std::max(m_config.intervalMax, m_config.intervalMin);
    m_config.writeRatio = std::clamp(m_config.writeRatio, 0.0, 1.0);
    m_config.requestTimeout = std::max<SimTime>(m_config.requestTimeout, 1);
}

void KvClient::onStart(Context& ctx) {
    m_ring = RingView::load(ctx.store());
    scheduleTick(ctx);
}

void KvClient::onMessage(Context& ctx, const Envelope& message) {
    const std::string& type = message.body.type;
    if (type == RingUpdate::kType) return onRingUpdate(ctx, message);
    if (type == PutOk::kType || type == GetOk::kType || type == ErrorMsg::kType) return onReply(ctx, message);
    if (type == ClientPut::kType) {
        Result<ClientPut> put = bodyAs<ClientPut>(message.body);
        if (!put) {
            return (void)ctx.reply(message,
                                   makeBody(makeErrorMsg(ErrorCode::MalformedRequest, put.error().message)));
        }
        return enqueue(ctx, message, Request{OpKind::Put, put->key, put->value, message.src});
    }
    if (type == ClientGet::kType) {
        Result<ClientGet> get = bodyAs<ClientGet>(message.body);
        if (!get) {
            return (void)ctx.reply(message,
                                   makeBody(makeErrorMsg(ErrorCode::MalformedRequest, get.error().message)));
        }
        return enqueue(ctx, message, Request{OpKind::Get, get->key, {}, message.src});
    }
    if (type == Workload::kType) {
        if (Result<Workload> workload = bodyAs<Workload>(message.body)) {
            if (workload->enabled != m_config.enabled)
                ctx.traceState(workload->enabled ? "workload running" : "workload stopped");
            m_config.enabled = workload->enabled;
        }
        return;
    }
    ctx.replyNotSupported(message, "a kv client");
}

void KvClient::onTimer(Context& ctx, TimerId id, const std::string& tag) {
    if (tag == kTagTick) return onTick(ctx);
    if (tag == kTagRequestTimeout) return onRequestTimeout(ctx, id);
}

void KvClient::describe(std::vector<std::pair<std::string, std::string>>& out) const {
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "ring epoch"), m_ring.known() ? std::to_string(m_ring.epoch()) : QT_TRANSLATE_NOOP("Details", "none"));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "workload"), m_config.enabled ? QT_TRANSLATE_NOOP("Details", "running") : QT_TRANSLATE_NOOP("Details", "stopped"));
    std::string outstanding = QT_TRANSLATE_NOOP("Details", "none");
    if (m_outstanding) {
        outstanding = std::string(opName(m_outstanding->request.kind == OpKind::Put)) + " " +
                      m_outstanding->request.key + " -> " + m_outstanding->server;
    }
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "outstanding"), outstanding);
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "queued"), std::to_string(m_queue.size()));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "ok"), std::to_string(m_ok));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "failed"), std::to_string(m_failed));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "unknown"), std::to_string(m_unknown));
    out.emplace_back(QT_TRANSLATE_NOOP("Details", "last op"), m_lastOp.empty() ? QT_TRANSLATE_NOOP("Details", "none") : m_lastOp);
}

void KvClient::onRingUpdate(Context& ctx, const Envelope& message) {
    adoptRingUpdate(ctx, message.body, m_ring);
}

void KvClient::enqueue(Context& ctx, const Envelope& message, Request request) {
    std::string problem = validateKey(request.key);
    if (problem.empty()) problem = validateValue(request.value);
    if (problem.empty() && m_queue.size() >= kClientQueueMax)
        problem = std::to_string(kClientQueueMax) + " operations are already queued; try again later";
    if (!problem.empty()) {
        const ErrorCode code = m_queue.size() >= kClientQueueMax ? ErrorCode::TemporarilyUnavailable
                                                                 : ErrorCode::MalformedRequest;
        ctx.reply(message, makeBody(makeErrorMsg(code, problem)));
        return;
    }
    if (!m_outstanding && m_queue.empty()) return begin(ctx, std::move(request));
    m_queue.push_back(std::move(request));
}

void KvClient::scheduleTick(Context& ctx) {
    ctx.setTimer(ctx.rng().uniform(m_config.intervalMin, m_config.intervalMax + 1), kTagTick);
}

void KvClient::onTick(Context& ctx) {
    scheduleTick(ctx);
    if (m_outstanding) return;
    if (!m_queue.empty()) {
        Request request = std::move(m_queue.front());
        m_queue.pop_front();
        return begin(ctx, std::move(request));
    }
    // Without a ring there is nowhere to send a request; generated operations wait for one.
    if (m_config.enabled && m_ring.known()) begin(ctx, generate(ctx));
}

KvClient::Request KvClient::generate(Context& ctx) {
    Request request;
    request.key = "k" + std::to_string(ctx.rng().uniform(0, m_config.keys));
    if (ctx.rng().chance(m_config.writeRatio)) {
        request.kind = OpKind::Put;
        request.value = "v" + ctx.self() + "-" + std::to_string(nextSequence(ctx, kValueStoreKey));
    }
    return request;
}

std::int64_t KvClient::nextSequence(Context& ctx, const std::string& storeKey) {
    std::int64_t next = 1;
    if (std::optional<std::string> text = ctx.store().get(storeKey)) {
        Json json = Json::parse(*text, nullptr, false);
        if (json.is_number_integer()) next = json.get<std::int64_t>();
    }
    ctx.store().put(storeKey, std::to_string(next + 1));
    return next;
}

void KvClient::begin(Context& ctx, Request request) {
    const bool put = request.kind == OpKind::Put;
    Outstanding op;
    op.opId = nextSequence(ctx, kOpStoreKey);
    op.request = std::move(request);
    Json args = {{"key", op.request.key}};
    if (put) args["value"] = op.request.value;
    ctx.recordOp(OpPhase::Invoke, op.opId, opName(put), args);

    std::optional<std::string> owner = m_ring.owner(op.request.key);
    if (!owner) {
        m_outstanding = std::move(op);
        Json result = args;
        result["error"] = static_cast<int>(ErrorCode::TemporarilyUnavailable);
        result["text"] = m_ring.known() ? "no usable replica for " + m_outstanding->request.key
                                        : std::string("no ring yet");
        return complete(ctx, OpPhase::Fail, std::move(result));
    }
    op.server = *owner;
    op.msgId = put ? ctx.send(op.server, makeBody(Put{op.request.key, op.request.value}))
                   : ctx.send(op.server, makeBody(Get{op.request.key}));
    op.timer = ctx.setTimer(m_config.requestTimeout, kTagRequestTimeout);
    m_outstanding = std::move(op);
}

void KvClient::complete(Context& ctx, OpPhase phase, Json value) {
    const Outstanding& op = *m_outstanding;
    const bool put = op.request.kind == OpKind::Put;
    ctx.recordOp(phase, op.opId, opName(put), value);
    if (!op.request.reportTo.empty()) report(ctx, phase, value);
    switch (phase) {
        case OpPhase::Ok:
            ++m_ok;
            break;
        case OpPhase::Fail:
            ++m_failed;
            break;
        case OpPhase::Unknown:
            ++m_unknown;
            break;
        case OpPhase::Invoke:
            break;
    }
    m_lastOp = std::string(opName(put)) + " " + op.request.key + (put ? "=" + op.request.value : "") + " " +
               std::string(opPhaseName(phase)) + " @ " + formatSeconds(ctx.now());
    if (op.timer != 0) ctx.cancelTimer(op.timer);
    m_outstanding.reset();
    // Console operations run as soon as the previous one is done, not at the next tick.
    if (!m_queue.empty()) {
        Request request = std::move(m_queue.front());
        m_queue.pop_front();
        begin(ctx, std::move(request));
    }
}

void KvClient::report(Context& ctx, OpPhase phase, const Json& value) {
    const Request& request = m_outstanding->request;
    ClientResultMsg result;
    result.op = std::string(opName(request.kind == OpKind::Put));
    result.key = request.key;
    result.ok = phase == OpPhase::Ok;
    if (request.kind == OpKind::Put) {
        result.value = request.value;
    } else if (auto read = value.find("value"); result.ok && read != value.end() && read->is_string()) {
        result.value = read->get<std::string>();
    }
    if (auto version = value.find("version"); result.ok && version != value.end() && version->is_object()) {
        try {
            result.version = versionText(version->get<Version>());
        } catch (const Json::exception&) {
            result.version.reset();
        }
    }
    if (!result.ok) {
        auto text = value.find("text");
        result.error = text != value.end() && text->is_string() ? text->get<std::string>() : "failed";
        if (phase == OpPhase::Unknown)
            result.error += " (outcome unknown: the put may or may not have happened)";
    }
    ctx.send(request.reportTo, makeBody(result));
}

void KvClient::onReply(Context& ctx, const Envelope& message) {
    if (!m_outstanding || message.src != m_outstanding->server ||
        message.body.inReplyTo != m_outstanding->msgId)
        return;  // a late or duplicated reply to an operation already completed
    const bool put = m_outstanding->request.kind == OpKind::Put;
    Json result = {{"key", m_outstanding->request.key}};
    if (put) result["value"] = m_outstanding->request.value;

    if (message.body.type == ErrorMsg::kType) {
        Result<ErrorMsg> error = bodyAs<ErrorMsg>(message.body);
        const auto code = static_cast<ErrorCode>(error ? error->code : static_cast<int>(ErrorCode::Crash));
        result["error"] = static_cast<int>(code);
        result["text"] = error ? error->text : error.error().message;
        if (!put && code == ErrorCode::KeyDoesNotExist) {
            result["value"] = nullptr;
            result["version"] = nullptr;
            result.erase("error");
            result.erase("text");
            return complete(ctx, OpPhase::Ok, std::move(result));
        }
        // A get changes nothing, so an indefinite get is simply a failed one.
        const OpPhase phase = errorIsDefinite(code) || !put ? OpPhase::Fail : OpPhase::Unknown;
        return complete(ctx, phase, std::move(result));
    }
    if (put) {
        Result<PutOk> ok = bodyAs<PutOk>(message.body);
        if (!ok) {
            result["error"] = static_cast<int>(ErrorCode::MalformedRequest);
            result["text"] = ok.error().message;
            return complete(ctx, OpPhase::Unknown, std::move(result));
        }
        result["version"] = ok->version;
        return complete(ctx, OpPhase::Ok, std::move(result));
    }
    Result<GetOk> ok = bodyAs<GetOk>(message.body);
    if (!ok) {
        result["error"] = static_cast<int>(ErrorCode::MalformedRequest);
        result["text"] = ok.error().message;
        return complete(ctx, OpPhase::Fail, std::move(result));
    }
    result["value"] = ok->value;
    result["version"] = ok->version;
    complete(ctx, OpPhase::Ok, std::move(result));
}

void KvClient::onRequestTimeout(Context& ctx, TimerId id) {
    if (!m_outstanding || m_outstanding->timer != id) return;
    m_outstanding->timer = 0;  // it has fired; nothing to cancel
    const bool put = m_outstanding->request.kind == OpKind::Put;
    Json result = {{"key", m_outstanding->request.key},
                   {"error", static_cast<int>(ErrorCode::Timeout)},
                   {"text", "no reply from " + m_outstanding->server + " within " +
                                std::to_string(m_config.requestTimeout / kMicrosPerMilli) + " ms"}};
    if (put) result["value"] = m_outstanding->request.value;
    complete(ctx, put ? OpPhase::Unknown : OpPhase::Fail, std::move(result));
}

}  // namespace distlab::kv
