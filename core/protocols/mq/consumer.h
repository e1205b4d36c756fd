#pragma once
// The queue lab's consumer (worker). In amqp mode it consumes from the broker with a prefetch and manual
// acknowledgements, as RabbitMQ's "Consumer Acknowledgements and Publisher Confirms" guide describes:
// process, apply the effect, then ack; nack with requeue when processing fails. In brokerless mode it is a
// ZeroMQ PULL / SUB socket: pushed messages wait in a bounded inbox (the high-water mark) and the excess
// is dropped. Effects are applied at the ledger; an idempotent consumer asks it to deduplicate by message
// id (the idempotent-consumer / inbox pattern), which is what makes redeliveries harmless.
//
// The channel (the AMQP connection, for this lab):
//
//   CLOSED --subscribe / start with a stored subscription / mode amqp--> OPENING (mq_cancel + mq_consume)
//   OPENING --retryMs without mq_consume_ok--> OPENING (cancel + consume again)
//   OPENING --mq_consume_ok--> OPEN (delivery tags start over: a new channel)
//   OPEN --mq_channel_closed, or an error answering a heartbeat / ack / nack (the broker restarted)-->
//          every held delivery forgotten, OPENING
//   any --mode brokerless--> CLOSED (mq_cancel)
//
// One message: FIFO --(its turn; manual: after mq_settle ack)--> PROCESSING (process_ms)
//   --fails (poison, or fail_rate)--> nacked (requeue)
//   --succeeds--> APPLYING (mq_apply, resent every retryMs) --mq_apply_ok--> acked --> the next one
//
// A crash loses the FIFO and the message in hand; the subscription and the mode are on disk, so a restarted
// consumer consumes again, cancelling first: the broker cannot tell a restarted consumer from one that
// consumes twice, and the cancel gives back whatever the previous incarnation held.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/mq/mq_client_messages.h"
#include "core/protocols/mq/producer.h"

namespace distlab::mq {

struct ConsumerConfig {
    NodeId broker = "broker";
    NodeId ledger = "ledger";
    std::int64_t heartbeatMs = 1000;
    std::int64_t retryMs = 300;
    std::size_t inboxMax = 8;  // brokerless: pushes beyond this many waiting are dropped
};

// A message the consumer holds. deliveryTag 0: pushed (brokerless), there is nothing to ack.
struct ConsumerDelivery {
    std::string messageId;
    std::int64_t deliveryTag = 0;
    bool redelivered = false;
    bool poison = false;
    std::string queue;
    bool approved = false;  // manual: acked by mq_settle, waits for its turn to be applied
};

enum class ChannelState { Closed, Opening, Open };
std::string_view channelStateName(ChannelState state);

class Consumer : public CopyableNode<Consumer> {
public:
    explicit Consumer(ConsumerConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "mode", "queue", "prefetch", "idempotent", "processing", "inbox", "received", "acked",
    // "nacked", "effects", "skipped", "dropped".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    // Report: {"processing": message id or "", "inbox": [{"id", "tag", "redelivered", "poison"}]}.
    Json observe(SimTime now) const override;

    const ConsumerConfig& config() const { return m_config; }
    DeliveryMode mode() const { return m_mode; }
    bool subscribed() const { return m_subscribed; }
    // The subscription (defaults while not subscribed).
    const MqSubscribe& subscription() const { return m_subscription; }
    const std::string& queue() const { return m_subscription.queue; }
    std::int64_t prefetch() const { return m_subscription.prefetch; }
    bool idempotent() const { return m_subscription.idempotent; }
    bool manual() const { return m_subscription.manual; }
    ChannelState channel() const { return m_channel; }
    // The message being processed or applied; empty when none.
    std::string processing() const { return m_current ? m_current->messageId : std::string(); }
    // Held deliveries waiting for their turn (manual: for mq_settle), oldest first.
    const std::vector<ConsumerDelivery>& inbox() const { return m_inbox; }
    std::uint64_t received() const { return m_received; }
    std::uint64_t acked() const { return m_acked; }
    std::uint64_t nacked() const { return m_nacked; }
    std::uint64_t effects() const { return m_effects; }  // applies answered applied = true
    std::uint64_t skipped() const { return m_skipped; }  // applied = false: the ledger had the id
    std::uint64_t dropped() const { return m_dropped; }  // brokerless: the inbox was full

private:
    enum class Stage { Idle, Processing, Applying };

    void onSubscribe(Context& ctx, const Envelope& message);
    void onMode(Context& ctx, const Envelope& message);
    void onSettle(Context& ctx, const Envelope& message);
    void onDeliver(Context& ctx, const Envelope& message);
    void onPush(Context& ctx, const Envelope& message);
    void armConsumeRetry(Context& ctx);
    void onCancelOk(Context& ctx, const Envelope& message);
    void onConsumeOk(Context& ctx, const Envelope& message);
    void onChannelClosed(Context& ctx, const Envelope& message);
    void onApplyOk(Context& ctx, const Envelope& message);
    void onBrokerError(Context& ctx, const Envelope& message);

    void openChannel(Context& ctx);
    void closeChannel(Context& ctx);
    // The broker requeued (or recovered) what this channel held: acking any of it later would be wrong.
    void channelLost(Context& ctx, const std::string& why);
    void forgetHeld(Context& ctx);
    void armHeartbeat(Context& ctx);
    void startNext(Context& ctx);
    void processed(Context& ctx);
    void sendApply(Context& ctx);
    void failed(Context& ctx, const ConsumerDelivery& delivery, bool requeue, bool reject);
    void finishCurrent(Context& ctx);
    void recordOk(Context& ctx, std::string_view f, Json value);
    void save(Context& ctx) const;
    void load(Context& ctx);

    ConsumerConfig m_config;
    DeliveryMode m_mode = DeliveryMode::Amqp;
    bool m_pubsub = false;  // brokerless pub-sub: every subscriber has its own copy of each message
    bool m_subscribed = false;
    MqSubscribe m_subscription;
    ChannelState m_channel = ChannelState::Closed;
    std::int64_t m_consumeMsgId = 0;  // of the consume that opens (or opened) the current channel
    std::int64_t m_cancelMsgId = 0;   // of the cancel whose answer lets the consume go out (0: none)
    std::int64_t m_lastTag = 0;       // the highest delivery tag seen on this queue since the process started
    std::vector<ConsumerDelivery> m_inbox;
    std::optional<ConsumerDelivery> m_current;
    Stage m_stage = Stage::Idle;
    std::int64_t m_applyFirstMsgId = 0;  // answers to earlier applies are not for this one
    TimerId m_workTimer = 0;             // processing done, or the apply's resend; 0: none
    TimerId m_retryTimer = 0;            // the consume's resend; 0: none
    std::int64_t m_retryWaitMs = 300;    // the wait before it; doubles while nothing answers
    TimerId m_heartbeatTimer = 0;        // 0: none
    std::uint64_t m_received = 0;
    std::uint64_t m_acked = 0;
    std::uint64_t m_nacked = 0;
    std::uint64_t m_effects = 0;
    std::uint64_t m_skipped = 0;
    std::uint64_t m_dropped = 0;
};

}  // namespace distlab::mq
