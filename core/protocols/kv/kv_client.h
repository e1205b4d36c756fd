#pragma once
// A workload generator for the Dynamo-style demo store, recording a Jepsen-style history: each
// operation is invoked, routed to the key's owner on the consistent-hash ring (Karger et al.), and
// completes ok, fail (certainly did not happen) or unknown (a put that may or may not have happened).
// Console operations (client_put / client_get from ctl) are reported back to ctl as client_result.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/kv/kv_messages.h"
#include "core/protocols/kv/kv_ring_view.h"

namespace distlab::kv {

constexpr int kClientKeysMax = 100'000;
constexpr std::size_t kClientQueueMax = 100;  // console operations waiting for their turn

struct KvClientConfig {
    int keys = 20;                      // key names "k0" .. "k{keys-1}", clamped to [1, kClientKeysMax]
    SimTime intervalMin = millis(50);   // pause before the next generated operation: uniform in
    SimTime intervalMax = millis(200);  // [intervalMin, intervalMax]
    double writeRatio = 0.5;            // share of generated operations that are puts
    SimTime requestTimeout = millis(500);
    bool enabled = true;  // the random generator; console operations run either way
};

class KvClient : public CopyableNode<KvClient> {
public:
    explicit KvClient(KvClientConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "ring epoch", "workload", "outstanding", "queued", "ok", "failed", "unknown", "last op".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    const KvClientConfig& config() const { return m_config; }
    const RingView& ringView() const { return m_ring; }
    bool workloadEnabled() const { return m_config.enabled; }
    bool busy() const { return m_outstanding.has_value(); }
    std::size_t queued() const { return m_queue.size(); }
    std::uint64_t okCount() const { return m_ok; }
    std::uint64_t failCount() const { return m_failed; }
    std::uint64_t unknownCount() const { return m_unknown; }

private:
    enum class OpKind { Put, Get };
    struct Request {
        OpKind kind = OpKind::Get;
        std::string key;
        std::string value;  // puts only
        NodeId reportTo;    // who asked (ctl) for a console operation; empty for generated ones
    };
    struct Outstanding {
        std::int64_t opId = 0;
        Request request;
        NodeId server;
        std::int64_t msgId = 0;
        TimerId timer = 0;
    };

    void onTick(Context& ctx);
    void onRequestTimeout(Context& ctx, TimerId id);
    void onReply(Context& ctx, const Envelope& message);
    void onRingUpdate(Context& ctx, const Envelope& message);
    void enqueue(Context& ctx, const Envelope& message, Request request);

    void scheduleTick(Context& ctx);
    Request generate(Context& ctx);
    void begin(Context& ctx, Request request);
    void complete(Context& ctx, OpPhase phase, Json value);
    void report(Context& ctx, OpPhase phase, const Json& value);
    std::int64_t nextSequence(Context& ctx, const std::string& storeKey);

    KvClientConfig m_config;
    RingView m_ring;
    std::optional<Outstanding> m_outstanding;
    std::deque<Request> m_queue;
    std::uint64_t m_ok = 0;
    std::uint64_t m_failed = 0;
    std::uint64_t m_unknown = 0;
    std::string m_lastOp;
};

}  // namespace distlab::kv
