#pragma once
// A replica of the distributed counter: a two-phase commit participant (txn::TwoPhaseCommitParticipant,
// unchanged in its protocol) whose local work is the key's new state. It holds a KeyState per key on its
// disk and checks fencing tokens as the lock lab's fenced storage does (Kleppmann 2016):
//
//   counter_fetch {key, fence}: fence < highest(key) -> error 22, nothing read; otherwise highest = fence
//       and the answer is the key's state, with in_doubt when a transaction on the key is READY here
//   vote on tpc_prepare (canCommit): no when the work is malformed, when another transaction on the same key
//       is READY here (its outcome would be overwritten), or when the work's fence < highest(key);
//       otherwise highest = fence and the vote is yes
//   COMMIT logged (onConcluded): the key's state becomes the work's state
//
// With the "fencing" switch on, every token is accepted. The key's highest token and state are written
// before the answer or the vote leaves, so a restart keeps them. Every heartbeatMs it sends
// counter_heartbeat to each worker: their failure detector.
//
// observe(): {"role": "replica", "keys": {KEY: {"value", "version"}}, "in_doubt": [KEY...]}.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/protocols/counter/counter_messages.h"
#include "core/protocols/counter/counter_switches.h"
#include "core/protocols/txn/two_phase_commit_participant.h"

namespace distlab::counter {

struct ReplicaConfig {
    std::vector<NodeId> workers;
    std::int64_t heartbeatMs = 150;
    txn::TwoPhaseCommitConfig tpc;
    Switches initial;  // the switches until a counter_switch changes them
};

class CounterReplica : public txn::TwoPhaseCommitParticipant {
public:
    explicit CounterReplica(ReplicaConfig config);

    std::unique_ptr<Node> clone() const override { return std::make_unique<CounterReplica>(*this); }
    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    Json observe(SimTime now) const override;

    const std::map<std::string, KeyState>& states() const { return m_states; }

protected:
    bool canCommit(Context& ctx, const std::string& txn, const txn::TpcParticipantTxn& entry) override;
    void onConcluded(Context& ctx, const std::string& txn, const txn::TpcParticipantTxn& entry) override;

private:
    void onFetch(Context& ctx, const Envelope& message);
    bool inDoubt(const std::string& key, const std::string& except = {}) const;
    // Fencing: whether fence may act on key now; when it may, it becomes the key's highest token.
    bool admit(Context& ctx, const std::string& key, std::int64_t fence);
    void heartbeat(Context& ctx);

    ReplicaConfig m_config;
    Switches m_switches;
    std::map<std::string, KeyState> m_states;
    std::map<std::string, std::int64_t> m_highest;
    std::map<std::string, std::set<std::string>> m_ready;  // the transactions READY here, by key
    TimerId m_heartbeatTimer = 0;
};

}  // namespace distlab::counter
