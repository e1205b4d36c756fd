// The queue lab: builds the broker, the producer, the ledger and the consumers on first use, turns the
// console's queue commands into control messages, and reads the nodes and the history back for the queue
// view, the checkers and the summary.
#include "core/labs/mq/mq_lab.h"

#include <algorithm>

#include "core/labs/mq/mq_commands.h"
#include "core/labs/registry.h"
#include "core/node/json_fields.h"
#include "core/protocols/mq/broker.h"
#include "core/protocols/mq/consumer.h"
#include "core/protocols/mq/ledger.h"
#include "core/protocols/mq/mq_client_messages.h"
#include "core/protocols/mq/mq_messages.h"
#include "core/protocols/mq/producer.h"

namespace distlab {

constexpr const char* kMqIdPrefix = "mq-";
const char* const kMqBrokerId = "mq-broker";
const char* const kMqProducerId = "mq-prod";
const char* const kMqLedgerId = "mq-ledger";

static_assert(kMqQueueNameBytesMax == mq::kMqNameBytesMax, "the console accepts exactly the broker's names");
static_assert(kMqPrefetchCountMax == mq::kMqPrefetchMax, "the console accepts exactly the broker's prefetch");

namespace {

bool boolField(const Json& value, const char* key) {
    if (!value.is_object()) return false;
    auto it = value.find(key);
    return it != value.end() && it->is_boolean() && it->get<bool>();
}

std::int64_t toMs(SimTime t) {
    return t / kMicrosPerMilli;
}

MqMessageBox boxOf(const std::string& id, bool redelivered, std::int64_t deliveries, std::int64_t tag,
                   bool poison) {
    MqMessageBox box;
    box.messageId = id;
    box.redelivered = redelivered;
    box.deliveries = deliveries;
    box.deliveryTag = tag;
    box.poison = poison;
    return box;
}

bool isPoisonBody(const std::string& body) {
    return body == mq::kMqPoisonBody;
}

// A message of the broker's report (see mq::Broker::observe) as the view draws it.
MqMessageBox boxOfReport(const Json& message) {
    return boxOf(stringField(message, "id"), message.value("redelivered", false),
                 message.value("deliveries", std::int64_t(0)), message.value("tag", std::int64_t(0)),
                 isPoisonBody(stringField(message, "body")));
}

const Json& arrayField(const Json& value, const char* key) {
    static const Json kEmpty = Json::array();
    if (!value.is_object()) return kEmpty;
    auto it = value.find(key);
    return it != value.end() && it->is_array() ? *it : kEmpty;
}

// The broker's report, with its queues and channels found by name.
struct BrokerReport {
    bool up = false;  // it reported: it holds what follows in memory
    std::map<std::string, Json> queues;
    std::map<std::pair<std::string, std::string>, Json> channels;  // (consumer, queue)

    explicit BrokerReport(const Json& report) {
        if (!report.is_object()) return;
        up = true;
        if (auto q = report.find("queues"); q != report.end() && q->is_object())
            for (const auto& [name, queue] : q->items()) queues.emplace(name, queue);
        for (const Json& channel : arrayField(report, "channels"))
            channels.emplace(std::pair{stringField(channel, "consumer"), stringField(channel, "queue")}, channel);
    }
    const Json* queue(const std::string& name) const {
        auto it = queues.find(name);
        return it == queues.end() ? nullptr : &it->second;
    }
    const Json* channel(const std::string& consumer, const std::string& queue) const {
        auto it = channels.find({consumer, queue});
        return it == channels.end() ? nullptr : &it->second;
    }
    std::size_t unacked(const std::string& queue) const {
        std::size_t count = 0;
        for (const auto& [key, channel] : channels)
            if (key.second == queue) count += arrayField(channel, "unacked").size();
        return count;
    }
};

}  // namespace

MqLab::MqLab(LabHost& host, MqSpec spec)
    : Lab(host), m_cluster(host.cluster()),
      m_spec(std::move(spec)),
      m_control(host.controlId()),
      m_mode(m_spec.mode),
      m_pattern(m_spec.pattern) {}

LabEntry MqLab::registryEntry() {
    return LabEntry{
        "mq",
        kMqIdPrefix,
        [](const Json& value, const SectionReader& reader, const std::string& path) {
            return mqSectionToJson(readMqSection(value, reader, path));
        },
        nullptr,  // it starts with a scenario that has its section
        mqCommands(),
        {},
        [](LabHost& host, const Scenario* scenario) -> std::unique_ptr<Lab> {
            return std::make_unique<MqLab>(host, scenario ? labSection(*scenario, "mq", readMqSection) : MqSpec{});
        },
    };
}

NodeRole MqLab::roleOf(const std::string& id) const {
    return id == kMqBrokerId || id == kMqLedgerId ? NodeRole::Service : NodeRole::Client;
}

void MqLab::fillSnapshot(ClusterSnapshot& snap) const {
    std::vector<std::string> ids;
    for (const auto& node : snap.nodes) ids.push_back(node.id);
    snap.mq = view(ids);
}

bool MqLab::ownsNode(const std::string& id) const {
    if (!m_started) return false;
    return id == kMqBrokerId || id == kMqProducerId || id == kMqLedgerId || m_consumers.contains(id);
}

bool MqLab::isUp(const std::string& id) const {
    const NodeStatus status = m_cluster.status(id);
    return status != NodeStatus::Crashed && status != NodeStatus::Removed;
}

Status MqLab::requireUp(const std::string& id) const {
    if (isUp(id)) return Ok{};
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 is down, so nothing would happen"), id),
                     makeText(QT_TRANSLATE_NOOP("Core", "restart it with 'node restart %1'"), id));
}

Status MqLab::send(const std::string& to, Body body) {
    if (auto sent = m_cluster.sendFrom(m_control, to, std::move(body)); !sent) return sent.error();
    return Ok{};
}

void MqLab::controlLinkTo(const std::string& id) {
    (void)m_cluster.setLink(m_control, id, millis(1), /*lossless=*/true);
}

Status MqLab::ensureNodes() {
    if (m_started) return Ok{};
    for (const char* id : {kMqBrokerId, kMqProducerId, kMqLedgerId}) {
        if (m_cluster.has(id))
            return makeError(
                makeText(QT_TRANSLATE_NOOP("Core", "cannot start the queue lab: node '%1' already exists"),
                         id),
                makeText(QT_TRANSLATE_NOOP(
                    "Core", "the queue lab needs the ids mq-broker, mq-prod and mq-ledger for itself")));
    }
    mq::BrokerConfig broker;
    broker.deliveryLimit = m_spec.deliveryLimit;
    broker.heartbeatMs = toMs(m_spec.heartbeat);
    broker.ackTimeoutMs = toMs(m_spec.ackTimeout);
    mq::ProducerConfig producer;
    producer.broker = kMqBrokerId;
    producer.confirmTimeoutMs = toMs(m_spec.confirmTimeout);
    for (auto added :
         {m_cluster.addNode(kMqBrokerId, [broker] { return std::make_unique<mq::Broker>(broker); }),
          m_cluster.addNode(kMqProducerId, [producer] { return std::make_unique<mq::Producer>(producer); }),
          m_cluster.addNode(kMqLedgerId, [] { return std::make_unique<mq::Ledger>(); })}) {
        if (!added) return added.error();
    }
    for (const char* id : {kMqBrokerId, kMqProducerId, kMqLedgerId}) controlLinkTo(id);
    m_started = true;
    if (m_mode != "amqp") return send(kMqProducerId, producerModeBody());
    return Ok{};
}

Body MqLab::producerModeBody() const {
    mq::MqMode mode;
    mode.mode = m_mode;
    mode.pattern = m_pattern;
    for (const auto& [id, consumer] : m_consumers) mode.subscribers[consumer.queue].push_back(id);
    return makeBody(mode);
}

Result<Text> MqLab::execute(const Command& command) {
    if (command.is(mq_commands::kQueueDeclare)) return declare(command);
    if (command.is(mq_commands::kQueueBind)) return bind(command);
    if (command.is(mq_commands::kPublish)) return publish(command);
    if (command.is(mq_commands::kConsume)) return consume(command);
    if (command.is(mq_commands::kAck) || command.is(mq_commands::kNack)) return settle(command);
    if (command.is(mq_commands::kMqMode)) return setMode(command);
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "command not supported here: %1"), command.text));
}

Result<Text> MqLab::declare(const Command& command) {
    if (std::string why = mq::validateMqName(command.key); !why.empty()) return makeError(why);
    if (command.key.ends_with(mq::kMqDeadLetterSuffix))
        return makeError(
            makeText(QT_TRANSLATE_NOOP("Core", "'%1' ends in .dlq, which names dead-letter queues"),
                     command.key),
            makeText(QT_TRANSLATE_NOOP(
                "Core", "the broker makes <queue>.dlq itself when a message of <queue> is dead-lettered")));
    const bool durable = command.flags & kFlagDurable;
    if (auto known = m_queues.find(command.key); known != m_queues.end() && known->second != durable)
        return makeError(
            known->second
                ? makeText(QT_TRANSLATE_NOOP("Core", "queue '%1' is already declared durable"), command.key)
                : makeText(QT_TRANSLATE_NOOP("Core", "queue '%1' is already declared transient"),
                           command.key),
            makeText(
                QT_TRANSLATE_NOOP("Core", "a queue keeps the durability it was declared with, as in AMQP")));
    if (m_bindings.contains(command.key))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is an exchange"), command.key),
                         makeText(QT_TRANSLATE_NOOP("Core", "queues and exchanges need different names")));
    if (auto ok = ensureNodes(); !ok) return ok.error();
    if (auto up = requireUp(kMqBrokerId); !up) return up.error();
    if (auto sent = send(kMqBrokerId, makeBody(mq::MqDeclare{command.key, durable})); !sent)
        return sent.error();
    m_queues[command.key] = durable;
    return durable ? makeText(QT_TRANSLATE_NOOP("Core",
                                                "declared durable queue %1: it and its persistent messages "
                                                "survive a broker restart"),
                              command.key)
                   : makeText(QT_TRANSLATE_NOOP(
                                  "Core",
                                  "declared transient queue %1: a broker restart loses it and its messages"),
                              command.key);
}

Result<Text> MqLab::bind(const Command& command) {
    const std::string& exchange = command.key;
    const std::string& queue = command.value;
    if (!m_queues.contains(queue))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "no queue named '%1'"), queue),
                         makeText(QT_TRANSLATE_NOOP("Core", "declare it first: queue declare %1"), queue));
    if (m_queues.contains(exchange))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "'%1' is a queue"), exchange),
                         makeText(QT_TRANSLATE_NOOP("Core", "queues and exchanges need different names")));
    if (auto up = requireUp(kMqBrokerId); !up) return up.error();
    if (auto sent = send(kMqBrokerId, makeBody(mq::MqBind{exchange, queue})); !sent) return sent.error();
    m_bindings[exchange].insert(queue);
    return makeText(
        QT_TRANSLATE_NOOP(
            "Core", "bound %2 to the fanout exchange %1: every message published to %1 is copied into %2"),
        exchange, queue);
}

Result<Text> MqLab::publish(const Command& command) {
    const std::string& target = command.key;
    if (m_mode == "amqp" && !m_queues.contains(target) && !m_bindings.contains(target))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "no queue or exchange named '%1'"), target),
                         makeText(QT_TRANSLATE_NOOP("Core", "declare it first: queue declare %1"), target));
    if (auto ok = ensureNodes(); !ok) return ok.error();
    if (auto up = requireUp(kMqProducerId); !up) return up.error();
    mq::MqProduce produce;
    produce.queue = target;
    produce.count = command.count;
    produce.persistent = command.flags & kFlagPersistent;
    produce.poison = command.flags & kFlagPoison;
    produce.interval_ms = command.duration >= 0 ? toMs(command.duration) : toMs(m_spec.publishInterval);
    if (auto sent = send(kMqProducerId, makeBody(produce)); !sent) return sent.error();
    if (m_mode != "amqp")
        return makeText(QT_TRANSLATE_NOOP("Core",
                                          "%1 will push %2 messages to the subscribers of %3, one every %4 "
                                          "ms, without acknowledgements"),
                        kMqProducerId, command.count, target, produce.interval_ms);
    return produce.persistent
               ? makeText(QT_TRANSLATE_NOOP("Core",
                                            "%1 will publish %2 persistent messages to %3, one every %4 ms"),
                          kMqProducerId, command.count, target, produce.interval_ms)
               : makeText(QT_TRANSLATE_NOOP("Core",
                                            "%1 will publish %2 transient messages to %3, one every %4 ms"),
                          kMqProducerId, command.count, target, produce.interval_ms);
}

Result<Text> MqLab::consume(const Command& command) {
    const std::string& id = command.nodes.front();
    const std::string& queue = command.key;
    if (m_mode == "amqp" && !m_queues.contains(queue))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "no queue named '%1'"), queue),
                         makeText(QT_TRANSLATE_NOOP("Core", "declare it first: queue declare %1"), queue));
    const bool existing = m_consumers.contains(id);
    if (!existing && m_cluster.has(id))
        return makeError(
            makeText(QT_TRANSLATE_NOOP("Core", "node '%1' already exists and is not a consumer"), id),
            makeText(QT_TRANSLATE_NOOP("Core", "name the consumer differently, e.g. w1")));
    if (!existing && isReservedNodeId(id, commandTable()))
        return makeError(
            makeText(QT_TRANSLATE_NOOP("Core", "'%1' is reserved for the lab's own processes"), id),
            makeText(QT_TRANSLATE_NOOP("Core", "name the consumer differently, e.g. w1")));
    if (existing)
        if (auto up = requireUp(id); !up) return up.error();
    if (auto ok = ensureNodes(); !ok) return ok.error();
    if (!existing) {
        mq::ConsumerConfig config;
        config.broker = kMqBrokerId;
        config.ledger = kMqLedgerId;
        config.heartbeatMs = toMs(m_spec.heartbeat);
        config.inboxMax = std::size_t(m_spec.inbox);
        if (auto added = m_cluster.addNode(id, [config] { return std::make_unique<mq::Consumer>(config); });
            !added)
            return added.error();
        controlLinkTo(id);
    }
    ConsumerSpec spec;
    spec.queue = queue;
    spec.prefetch = command.count >= 0 ? command.count : m_spec.prefetch;
    spec.idempotent = command.flags & kFlagIdempotent;
    spec.manual = command.flags & kFlagManual;
    mq::MqSubscribe subscribe;
    subscribe.queue = queue;
    subscribe.prefetch = spec.prefetch;
    subscribe.idempotent = spec.idempotent;
    subscribe.manual = spec.manual;
    subscribe.process_ms = command.duration >= 0 ? toMs(command.duration) : toMs(m_spec.processTime);
    subscribe.fail_rate = command.real;
    if (m_mode != "amqp")
        if (auto sent = send(id, makeBody(mq::MqMode{m_mode, m_pattern, {}})); !sent) return sent.error();
    if (auto sent = send(id, makeBody(subscribe)); !sent) return sent.error();
    m_consumers[id] = spec;
    if (isUp(kMqProducerId)) (void)send(kMqProducerId, producerModeBody());  // its brokerless routing
    // No limit reads the same in every language.
    const std::string prefetch = spec.prefetch == 0 ? std::string("\u221e") : std::to_string(spec.prefetch);
    if (spec.manual)
        return makeText(
            QT_TRANSLATE_NOOP(
                "Core", "%1 consumes %2 (prefetch %3) and holds each delivery until 'ack %1' or 'nack %1'"),
            id, queue, prefetch);
    return spec.idempotent
               ? makeText(QT_TRANSLATE_NOOP("Core",
                                            "%1 consumes %2 (prefetch %3, %4 ms per message), idempotent: "
                                            "the ledger applies each message id once"),
                          id, queue, prefetch, subscribe.process_ms)
               : makeText(QT_TRANSLATE_NOOP("Core",
                                            "%1 consumes %2 (prefetch %3, %4 ms per message), not "
                                            "idempotent: a redelivery applies its effect again"),
                          id, queue, prefetch, subscribe.process_ms);
}

Result<Text> MqLab::settle(const Command& command) {
    const std::string& id = command.nodes.front();
    auto consumer = m_consumers.find(id);
    if (consumer == m_consumers.end())
        return makeError(
            makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a consumer"), id),
            makeText(QT_TRANSLATE_NOOP("Core", "start one with 'consume QUEUE %1 --manual'"), id));
    if (!consumer->second.manual)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "%1 acknowledges on its own"), id),
                         makeText(QT_TRANSLATE_NOOP("Core", "make it manual with 'consume %1 %2 --manual'"),
                                  consumer->second.queue, id));
    if (auto up = requireUp(id); !up) return up.error();
    mq::MqSettle request;
    request.action = command.is(mq_commands::kAck) ? "ack" : "nack";
    request.delivery_tag = command.count;
    request.requeue = !(command.flags & kFlagNoRequeue);
    if (auto sent = send(id, makeBody(request)); !sent) return sent.error();
    const bool oldest = command.count == 0;
    if (command.is(mq_commands::kAck))
        return oldest
                   ? makeText(
                         QT_TRANSLATE_NOOP("Core", "%1 will process its oldest delivery and acknowledge it"),
                         id)
                   : makeText(QT_TRANSLATE_NOOP("Core", "%1 will process delivery tag %2 and acknowledge it"),
                              id, command.count);
    if (request.requeue)
        return oldest
                   ? makeText(QT_TRANSLATE_NOOP(
                                  "Core", "%1 will nack its oldest delivery: back to its queue, redelivered"),
                              id)
                   : makeText(QT_TRANSLATE_NOOP(
                                  "Core", "%1 will nack delivery tag %2: back to its queue, redelivered"),
                              id, command.count);
    return oldest
               ? makeText(QT_TRANSLATE_NOOP(
                              "Core",
                              "%1 will nack its oldest delivery without requeue: to the dead-letter queue"),
                          id)
               : makeText(
                     QT_TRANSLATE_NOOP(
                         "Core", "%1 will nack delivery tag %2 without requeue: to the dead-letter queue"),
                     id, command.count);
}

Result<Text> MqLab::setMode(const Command& command) {
    m_mode = command.key;
    if (!command.value.empty()) m_pattern = command.value;
    if (m_started) {
        if (isUp(kMqProducerId)) (void)send(kMqProducerId, producerModeBody());
        for (const auto& [id, consumer] : m_consumers)
            if (isUp(id)) (void)send(id, makeBody(mq::MqMode{m_mode, m_pattern, {}}));
    }
    if (m_mode == "amqp")
        return makeText(QT_TRANSLATE_NOOP(
            "Core", "mode amqp: messages go through the broker, which redelivers what is not acknowledged"));
    return m_pattern == "pubsub"
               ? makeText(QT_TRANSLATE_NOOP(
                     "Core",
                     "mode brokerless pub-sub: prod sends every message to every subscriber, at most once"))
               : makeText(QT_TRANSLATE_NOOP("Core",
                                            "mode brokerless push: prod sends each message to one subscriber "
                                            "in turn, at most once"));
}

// --- what the history says ---

void MqLab::absorb() const {
    const auto& ops = m_cluster.trace().clientOps();
    const auto& events = m_cluster.trace().events();
    if (m_opsAbsorbed > ops.size() || m_eventsScanned > events.size()) {
        m_acc = Accumulated{};  // the run went back without this lab: read it again
        m_opsAbsorbed = 0;
        m_eventsScanned = 0;
    }
    const SimTime width = QueueSnapshot{}.rateWidth;
    for (; m_opsAbsorbed < ops.size(); ++m_opsAbsorbed) {
        const ClientOp& op = ops[m_opsAbsorbed];
        if (op.phase != OpPhase::Ok) continue;
        const bool publish = op.f == "publish", deliver = op.f == "deliver", ack = op.f == "ack";
        if (op.f == "effect") {
            ConsumerTally& tally = m_acc.consumers[stringField(op.value, "consumer")];
            ++(boolField(op.value, "applied") ? tally.effects : tally.skipped);
        } else if (deliver || ack || op.f == "nack" || op.f == "drop") {
            ConsumerTally& tally = m_acc.consumers[op.process];
            ++(deliver ? tally.received : ack ? tally.acked : op.f == "nack" ? tally.nacked : tally.dropped);
        }
        if (!publish && !deliver && !ack) continue;
        // The newest kMqRateBucketsMax buckets; ops come in time order, so older ones never come back.
        const SimTime start = op.time / width * width;
        if (m_acc.rates.empty() || m_acc.rates.back().start < start) {
            SimTime next = m_acc.rates.empty() ? 0 : m_acc.rates.back().start + width;
            next = std::max(next, start - SimTime(kMqRateBucketsMax - 1) * width);
            for (; next <= start; next += width) m_acc.rates.push_back(MqRateBucket{next, 0, 0, 0, 0});
            if (m_acc.rates.size() > kMqRateBucketsMax)
                m_acc.rates.erase(
                    m_acc.rates.begin(),
                    m_acc.rates.begin() + std::ptrdiff_t(m_acc.rates.size() - kMqRateBucketsMax));
        }
        if (start < m_acc.rates.front().start) continue;
        MqRateBucket& bucket = m_acc.rates[std::size_t((start - m_acc.rates.front().start) / width)];
        if (publish)
            ++bucket.published;
        else if (ack)
            ++bucket.acked;
        else if (boolField(op.value, "redelivered"))
            ++bucket.redelivered;
        else
            ++bucket.delivered;
    }
    const std::uint32_t broker = m_cluster.trace().find(kMqBrokerId);
    for (; m_eventsScanned < events.size(); ++m_eventsScanned) {
        const TraceEvent& event = events[m_eventsScanned];
        if (event.kind == TraceKind::Crash && event.node == broker) m_acc.brokerCrashes.push_back(event.time);
    }
}

std::set<std::string> MqLab::brokerHeldIds() const {
    std::set<std::string> held;
    const DurableStore* disk = m_cluster.store(kMqBrokerId);
    if (!m_started || !disk) return held;
    if (const BrokerReport broker(m_cluster.observe(kMqBrokerId)); broker.up) {
        for (const auto& [name, q] : broker.queues)
            for (const Json& message : arrayField(q, "ready")) held.insert(stringField(message, "id"));
        for (const auto& [key, channel] : broker.channels)
            for (const Json& message : arrayField(channel, "unacked")) held.insert(stringField(message, "id"));
        return held;
    }
    // Down: what its disk holds comes back with it.
    for (const StoreRecord& record : disk->scan(mq::kMqMessageStorePrefix)) {
        const Json stored = Json::parse(record.value, nullptr, /*allow_exceptions=*/false);
        if (stored.is_object()) held.insert(stringField(stored, "message_id"));
    }
    return held;
}

MqCheckOptions MqLab::checkOptions() const {
    absorb();
    MqCheckOptions options;
    options.durableQueues = m_queues;
    // A message published to a fanout exchange is as durable as the queues it was copied into.
    for (const auto& [exchange, queues] : m_bindings) {
        bool durable = !queues.empty();
        for (const std::string& queue : queues)
            durable = durable && m_queues.count(queue) && m_queues.at(queue);
        options.durableQueues[exchange] = durable;
    }
    options.brokerCrashes = m_acc.brokerCrashes;
    options.stillQueued = brokerHeldIds();
    return options;
}

const MqHistorySummary& MqLab::viewSummary() const {
    const MqCheckOptions options = checkOptions();
    const std::pair<std::size_t, std::size_t> at{m_cluster.trace().clientOps().size(),
                                                 options.brokerCrashes.size()};
    // For the picture, a long history is read again only after it grew by a 64th: the frame rate must not
    // fall as a run goes on.
    const bool due = at.second != m_historyAt.second || at.first < m_historyAt.first ||
                     at.first >= m_historyAt.first + std::max<std::size_t>(1, m_historyAt.first / 64);
    if (at != m_historyAt && due) {
        m_history = summarizeMqHistory(m_cluster.trace(), options);
        m_historyAt = at;
        m_queueOf.clear();
        if (!m_history.lostExcused.empty())
            for (const ClientOp& op : m_cluster.trace().clientOps())
                if (op.f == "publish" && op.phase == OpPhase::Invoke)
                    m_queueOf.emplace(stringField(op.value, "message_id"), stringField(op.value, "queue"));
    }
    return m_history;
}

std::vector<CheckResult> MqLab::checks() const {
    bool published = false;
    for (const ClientOp& op : m_cluster.trace().clientOps()) {
        if (op.f == "publish") {
            published = true;
            break;
        }
    }
    if (!published) return {};
    const MqCheckOptions options = checkOptions();
    return {checkTotalQueue(m_cluster.trace(), options), checkEffectOnce(m_cluster.trace())};
}

// --- the picture ---

QueueSnapshot MqLab::view(const std::vector<std::string>& snapshotNodeIds) const {
    QueueSnapshot view;
    view.active = true;
    view.mode = m_mode;
    if (!m_started) return view;
    auto nodeIndex = [&](const std::string& id) {
        auto it = std::find(snapshotNodeIds.begin(), snapshotNodeIds.end(), id);
        return it == snapshotNodeIds.end() ? -1 : int(it - snapshotNodeIds.begin());
    };
    auto statusOf = [&](const std::string& id) {
        return m_cluster.status(id);
    };
    auto observed = [&](const std::string& id) { return m_cluster.observe(id); };

    view.broker = kMqBrokerId;
    view.brokerNode = nodeIndex(kMqBrokerId);
    view.brokerStatus = statusOf(kMqBrokerId);

    // The producer.
    MqProducerView producer;
    producer.id = kMqProducerId;
    producer.node = nodeIndex(kMqProducerId);
    producer.status = statusOf(kMqProducerId);
    if (const Json p = observed(kMqProducerId); p.is_object()) {
        producer.published = p.value("published", std::uint64_t(0));
        producer.confirmed = p.value("confirmed", std::uint64_t(0));
        producer.toPublish = p.value("to_publish", std::size_t(0));
        for (const Json& id : arrayField(p, "unconfirmed")) {
            if (producer.unconfirmed.size() >= kMqBoxesMax) break;
            producer.unconfirmed.push_back(boxOf(id.is_string() ? id.get<std::string>() : "", false, 0, 0, false));
        }
    }
    view.producers.push_back(std::move(producer));

    // The queues, as the broker holds them (a crashed broker shows the queues it will recover: none in
    // memory, so the cards show what the lab declared, empty).
    const BrokerReport broker(view.brokerStatus == NodeStatus::Crashed ? Json() : observed(kMqBrokerId));
    std::set<std::string> names;
    for (const auto& [name, durable] : m_queues) names.insert(name);
    for (const auto& [name, q] : broker.queues) names.insert(name);
    auto queueView = [&](const std::string& name) {
        MqQueueView out;
        out.name = name;
        out.deadLetter = name.ends_with(mq::kMqDeadLetterSuffix);
        auto declared = m_queues.find(name);
        out.durable = declared != m_queues.end() && declared->second;
        const Json* q = broker.queue(name);
        if (!q) return out;
        out.durable = q->value("durable", false);
        const Json& ready = arrayField(*q, "ready");
        out.readyTotal = ready.size();
        for (const Json& message : ready) {
            out.redeliveredTotal += message.value("redelivered", false);
            if (out.ready.size() < kMqBoxesMax) out.ready.push_back(boxOfReport(message));
        }
        for (const Json& consumerId : arrayField(*q, "consumers")) {
            if (!consumerId.is_string()) continue;
            const std::string consumer = consumerId.get<std::string>();
            const Json* channel = broker.channel(consumer, name);
            if (!channel) continue;
            MqChannelView lane;
            lane.consumer = consumer;
            lane.node = nodeIndex(consumer);
            lane.status = statusOf(consumer);
            lane.prefetch = channel->value("prefetch", std::int64_t(0));
            const Json& unacked = arrayField(*channel, "unacked");
            lane.unackedTotal = unacked.size();
            for (const Json& message : unacked) {
                out.redeliveredTotal += message.value("redelivered", false);
                if (lane.unacked.size() < kMqBoxesMax) lane.unacked.push_back(boxOfReport(message));
            }
            out.unackedTotal += lane.unackedTotal;
            out.channels.push_back(std::move(lane));
        }
        return out;
    };
    const MqHistorySummary& history = viewSummary();
    for (const std::string& name : names) {
        if (name.ends_with(mq::kMqDeadLetterSuffix)) continue;  // drawn with the queue it belongs to
        MqQueueView main = queueView(name);
        const std::string dlq = mq::mqDeadLetterQueue(name);
        MqQueueView dead = queueView(dlq);
        main.deadLettered = dead.readyTotal;
        view.queues.push_back(std::move(main));
        if (names.contains(dlq)) view.queues.push_back(std::move(dead));
    }
    // Transient messages a broker restart lost, per queue (the checker names them; the history says where
    // each was published).
    for (const std::string& id : history.lostExcused) {
        auto queue = m_queueOf.find(id);
        for (MqQueueView& q : view.queues)
            if (queue != m_queueOf.end() && q.name == queue->second) ++q.lostInRestart;
    }

    // The consumers.
    for (const auto& [id, spec] : m_consumers) {
        MqConsumerView consumer;
        consumer.id = id;
        consumer.node = nodeIndex(id);
        consumer.status = statusOf(id);
        consumer.queue = spec.queue;
        // Brokerless, the view draws a subscriber's buffer (ZeroMQ's high-water mark) where the prefetch
        // window would be.
        consumer.prefetch = m_mode == "amqp" ? spec.prefetch : std::int64_t(m_spec.inbox);
        consumer.idempotent = spec.idempotent;
        if (const Json c = consumer.status != NodeStatus::Crashed ? observed(id) : Json(); c.is_object()) {
            consumer.processing = stringField(c, "processing");
            for (const Json& held : arrayField(c, "inbox")) {
                if (consumer.inbox.size() >= kMqBoxesMax) break;
                consumer.inbox.push_back(boxOf(stringField(held, "id"), held.value("redelivered", false), 0,
                                               held.value("tag", std::int64_t(0)), held.value("poison", false)));
            }
        }
        if (auto tally = m_acc.consumers.find(id); tally != m_acc.consumers.end()) {
            consumer.received = tally->second.received;
            consumer.acked = tally->second.acked;
            consumer.nacked = tally->second.nacked;
            consumer.effects = tally->second.effects;
            consumer.skipped = tally->second.skipped;
            consumer.lost = tally->second.dropped;
        }
        view.consumers.push_back(std::move(consumer));
    }

    view.effectsApplied = history.effects;
    for (const auto& [id, applications] : history.appliedTwice) {
        if (view.duplicates.size() >= kMqBoxesMax) break;
        MqDuplicateEffect duplicate;
        duplicate.messageId = id;
        for (const auto& [consumer, at] : applications) {
            duplicate.consumers.push_back(consumer);
            duplicate.at.push_back(at);
        }
        view.duplicates.push_back(std::move(duplicate));
    }
    // Not counting what the broker still holds (or, while it is down, what its disk will give back).
    view.lost = history.lost.size();
    view.rates = m_acc.rates;
    // Quiet time up to now is part of the story too (no deliveries while the broker is down).
    if (!view.rates.empty()) {
        while (view.rates.back().start + 2 * view.rateWidth <= m_cluster.now())
            view.rates.push_back(MqRateBucket{view.rates.back().start + view.rateWidth, 0, 0, 0, 0});
        if (view.rates.size() > kMqRateBucketsMax)
            view.rates.erase(view.rates.begin(),
                             view.rates.begin() + std::ptrdiff_t(view.rates.size() - kMqRateBucketsMax));
    }
    return view;
}

Json MqLab::summaryJson() const {
    const MqHistorySummary history = summarizeMqHistory(m_cluster.trace(), checkOptions());
    const BrokerReport broker(m_cluster.status(kMqBrokerId) != NodeStatus::Crashed ? m_cluster.observe(kMqBrokerId)
                                                                                   : Json());
    Json queues = Json::array();
    for (const auto& [name, durable] : m_queues) {
        Json deadLettered = Json::array();
        // While the broker is down nobody can say what it holds: null, not 0.
        Json ready = nullptr, unacked = nullptr;
        if (broker.up) {
            const Json* q = broker.queue(name);
            ready = q ? arrayField(*q, "ready").size() : std::size_t(0);
            unacked = broker.unacked(name);
            if (const Json* dlq = broker.queue(mq::mqDeadLetterQueue(name)))
                for (const Json& message : arrayField(*dlq, "ready")) deadLettered.push_back(stringField(message, "id"));
        } else {
            deadLettered = nullptr;
        }
        queues.push_back(Json{{"queue", name},
                              {"durable", durable},
                              {"ready", ready},
                              {"unacked", unacked},
                              {"dead_lettered", deadLettered}});
    }
    Json consumers = Json::array();
    for (const auto& [id, spec] : m_consumers) {
        const ConsumerTally tally = m_acc.consumers.count(id) ? m_acc.consumers.at(id) : ConsumerTally{};
        consumers.push_back(Json{{"consumer", id},
                                 {"queue", spec.queue},
                                 {"idempotent", spec.idempotent},
                                 {"prefetch", spec.prefetch},
                                 {"received", tally.received},
                                 {"acked", tally.acked},
                                 {"nacked", tally.nacked},
                                 {"effects", tally.effects},
                                 {"skipped", tally.skipped},
                                 {"dropped", tally.dropped}});
    }
    Json twice = Json::array();
    for (const auto& [id, applications] : history.appliedTwice) {
        Json by = Json::array();
        for (const auto& [consumer, at] : applications)
            by.push_back(Json{{"consumer", consumer}, {"at_ms", toMillis(at)}});
        twice.push_back(Json{{"message_id", id}, {"applications", by}});
    }
    return Json{{"mode", m_mode},
                {"pattern", m_pattern},
                {"published", history.published},
                {"confirmed", history.confirmed},
                {"delivered", history.delivered},
                {"redelivered", history.redelivered},
                {"acked", history.acked},
                {"nacked", history.nacked},
                {"dropped", history.dropped},
                {"effects", history.effects},
                {"duplicate_deliveries", history.duplicateDeliveries},
                {"lost", history.lost},
                {"lost_in_restart", history.lostExcused},
                {"applied_twice", twice},
                {"queues", queues},
                {"consumers", consumers}};
}

}  // namespace distlab
