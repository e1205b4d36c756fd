#pragma once
// The queue lab's producer. In amqp mode it publishes to the broker with publisher confirms and republishes
// what stays unconfirmed (RabbitMQ's "Consumer Acknowledgements and Publisher Confirms": at-least-once
// publishing, so the broker may hold a message twice); in brokerless mode it pushes straight to the
// consumers as ZeroMQ's PUSH (round robin) or PUB (everyone) socket would: nothing confirms anything.
//
// One message, amqp:
//
//   mq_produce --> TO PUBLISH --(now, or every interval_ms)--> UNCONFIRMED (mq_publish sent)
//   UNCONFIRMED --mq_confirm--> done (op ok)
//   UNCONFIRMED --no confirm within confirmTimeoutMs--> mq_publish again (same id), at most republishMax
//                times, then given up (op unknown)
//   UNCONFIRMED --error reply--> done (op fail, or unknown when an earlier copy may have landed)
//
// Message numbers continue over every produce and survive a restart (the last one handed out is on the
// producer's disk); pending and unconfirmed messages are volatile and die with the process. The mode and
// the subscriber table are settings, kept on disk like the consumer's subscription.
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/mq/mq_client_messages.h"

namespace distlab::mq {

enum class DeliveryMode { Amqp, Brokerless };
std::string_view deliveryModeName(DeliveryMode mode);
enum class PushPattern { Push, PubSub };
std::string_view pushPatternName(PushPattern pattern);

// Messages accepted but not yet settled (to publish + unconfirmed); a produce beyond it is refused.
constexpr std::size_t kMqProducerBacklogMax = 100'000;

struct ProducerConfig {
    NodeId broker = "broker";
    std::int64_t confirmTimeoutMs = 500;
    std::int64_t republishMax = 20;
};

// A message of a produce still waiting for its turn.
struct ProducerMessage {
    std::string queue;
    std::int64_t number = 0;  // its id is mqMessageId(number)
    bool persistent = false;
    bool poison = false;
    std::int64_t intervalMs = 0;  // wait after the previous message of the backlog
};

// A message published to the broker and not yet confirmed.
struct UnconfirmedMessage {
    std::string queue;
    std::string messageId;
    std::string body;
    bool persistent = false;
    std::int64_t opId = 0;
    std::int64_t republishes = 0;
    SimTime deadline = 0;                     // when the next republish is due
    std::vector<std::int64_t> publishMsgIds;  // of every mq_publish sent for it (republishMax + 1 at most)
};

class Producer : public CopyableNode<Producer> {
public:
    explicit Producer(ProducerConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "mode", "published", "confirmed", "unconfirmed", "to publish".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    // Report: {"published", "confirmed", "to_publish": count, "unconfirmed": [message ids]}.
    Json observe(SimTime now) const override;

    const ProducerConfig& config() const { return m_config; }
    DeliveryMode mode() const { return m_mode; }
    PushPattern pattern() const { return m_pattern; }
    const std::map<std::string, std::vector<NodeId>>& subscribers() const { return m_subscribers; }
    // Messages sent for the first time (publishes or pushes), and first confirms received.
    std::uint64_t published() const { return m_published; }
    std::uint64_t confirmed() const { return m_confirmed; }
    // Ids waiting for their confirm, in send order.
    std::vector<std::string> unconfirmed() const;
    const std::deque<ProducerMessage>& toPublish() const { return m_toPublish; }
    // The number the next produced message gets (from the disk after a restart).
    std::int64_t nextNumber() const { return m_lastNumber + 1; }

private:
    void onProduce(Context& ctx, const Envelope& message);
    void onMode(Context& ctx, const Envelope& message);
    void onConfirm(Context& ctx, const Envelope& message);
    void onPublishError(Context& ctx, const Envelope& message);
    // Sends due messages from the backlog: all that follow with interval 0, then waits for the next one.
    void pump(Context& ctx);
    void sendFirst(Context& ctx, const ProducerMessage& message);
    void publish(Context& ctx, std::int64_t number);
    void push(Context& ctx, const ProducerMessage& message, const std::string& body, std::int64_t opId);
    void checkConfirms(Context& ctx);
    void armConfirmCheck(Context& ctx);
    // Drops an unconfirmed message and everything indexing it.
    void forget(std::int64_t number);
    void saveSettings(Context& ctx) const;
    void loadSettings(Context& ctx);

    ProducerConfig m_config;
    DeliveryMode m_mode = DeliveryMode::Amqp;
    PushPattern m_pattern = PushPattern::Push;
    std::map<std::string, std::vector<NodeId>> m_subscribers;
    std::map<std::string, std::size_t> m_nextSubscriber;  // round-robin cursor per queue (push)
    std::int64_t m_lastNumber = 0;                        // mirrors the disk
    std::deque<ProducerMessage> m_toPublish;
    std::map<std::int64_t, UnconfirmedMessage> m_unconfirmed;  // by number: send order
    std::map<std::string, std::int64_t> m_unconfirmedById;     // message id -> number
    std::map<std::int64_t, std::int64_t> m_publishes;          // mq_publish msg_id -> number
    std::set<std::pair<SimTime, std::int64_t>> m_deadlines;    // (confirm deadline, number)
    TimerId m_sendTimer = 0;     // the next backlog message is due; 0: not armed
    TimerId m_confirmTimer = 0;  // the earliest confirm deadline; 0: not armed
    SimTime m_confirmTimerAt = 0;
    std::uint64_t m_published = 0;
    std::uint64_t m_confirmed = 0;
};

}  // namespace distlab::mq
