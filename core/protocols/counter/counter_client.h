#pragma once
// A client of the distributed counter: one operation at a time (a Jepsen process), recorded as a history.
// Each operation is a job published to the counter's queue (mq_publish, persistent); a worker answers with
// counter_done. No answer within retryMs: the same job is published again, with the same request id, so the
// workers' deduplication makes the retry harmless. After attemptsMax publications the operation ends
// unknown (it may or may not have happened). Ops: f "incr", value {"key", "value": delta}; f "read", value
// {"key"} and on ok {"key", "value": what was read}.
//
// The workload (on unless counter_workload {on: false} said otherwise, kept on disk) picks every operation
// from the node's random stream: a key of config.keys, a read with probability readPercent, otherwise an
// increment by 1..deltaMax; then it thinks for 0..2 x thinkMs.
//
// observe(): {"role": "client", "op": {f, key, rid} | null, "done": N}.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/counter/counter_messages.h"

namespace distlab::counter {

struct ClientConfig {
    NodeId broker = "cn-broker";
    std::string queue = "counter";
    std::vector<std::string> keys = {"a", "b"};
    int readPercent = 30;
    std::int64_t deltaMax = 3;
    std::int64_t thinkMs = 150;
    std::int64_t retryMs = 1500;
    int attemptsMax = 4;
};

class CounterClient : public CopyableNode<CounterClient> {
public:
    explicit CounterClient(ClientConfig config);

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    Json observe(SimTime now) const override;

private:
    struct Open {
        std::int64_t opId = 0;
        Job job;
        int attempts = 0;
    };
    void next(Context& ctx);
    void publish(Context& ctx);
    void end(Context& ctx, OpPhase phase, const Json& value);
    void think(Context& ctx);

    ClientConfig m_config;
    bool m_workload = true;
    std::optional<Open> m_open;
    std::int64_t m_done = 0;
    TimerId m_timer = 0;
};

}  // namespace distlab::counter
