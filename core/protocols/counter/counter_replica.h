#pragma once
// A replica of the distributed counter: a two-phase commit participant (txn::TwoPhaseCommitParticipant,
// unchanged in its protocol) whose local work is the key's new state, and, for workers that run the "3pc"
// switch, a three-phase commit participant (txn::ThreePcParticipant, unchanged too) with the same work.
// It holds a KeyState per key on its disk and checks fencing tokens as the lock lab's fenced storage does
// (Kleppmann 2016):
//
//   counter_fetch {key, fence}: fence < highest(key) -> error 22, nothing read; otherwise highest = fence
//       and the answer is the key's state, with in_doubt when a transaction on the key is READY here
//   vote on tpc_prepare or tpc3_can_commit (canCommit): no when the work is malformed, when another
//       transaction on the same key is READY here (its outcome would be overwritten), or when the work's
//       fence < highest(key);
//       otherwise highest = fence and the vote is yes
//   COMMIT logged (onConcluded): the key's state becomes the work's state (3PC: also when a backup
//       coordinator decided it; a transaction in READY or PRECOMMIT keeps the key in doubt)
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
#include "core/protocols/txn/three_phase_commit_participant.h"
#include "core/protocols/txn/two_phase_commit_participant.h"

namespace distlab::counter {

struct ReplicaConfig {
    std::vector<NodeId> workers;
    std::int64_t heartbeatMs = 150;
    txn::TwoPhaseCommitConfig tpc;
    txn::ThreePhaseCommitConfig tpc3;
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
    // The three-phase commit side: its work hooks are the replica's. `owner` is set on every call into
    // it (tpc3()), so that a copy of the replica (time travel) never reaches back into the original.
    class ThreePcSide : public txn::ThreePcParticipant {
    public:
        using txn::ThreePcParticipant::ThreePcParticipant;
        CounterReplica* owner = nullptr;

    protected:
        bool canCommit(Context& ctx, const std::string& txn, const txn::Tpc3ParticipantTxn& record) override {
            return owner->vote(ctx, txn, record.work);
        }
        void onConcluded(Context& ctx, const std::string& txn, const txn::Tpc3ParticipantTxn& record) override {
            owner->conclude(ctx, txn, record.work, record.state == txn::Tpc3State::Commit);
        }
    };
    ThreePcSide& tpc3() {
        m_tpc3.owner = this;
        return m_tpc3;
    }

    // Both protocols' hooks: the vote on work, and carrying out a logged outcome.
    bool vote(Context& ctx, const std::string& txn, const Json& work);
    void conclude(Context& ctx, const std::string& txn, const Json& work, bool commit);
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
    ThreePcSide m_tpc3;
};

}  // namespace distlab::counter
