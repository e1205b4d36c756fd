#pragma once
// The queue lab's effect store: the database the consumers write to. Each mq_apply adds one to the
// message's effect count, unless the consumer asks for deduplication and the message id is already in the
// processed-id table -- the idempotent-consumer (or inbox) pattern, where the effect and the id are written
// in one transaction, so a redelivery to any consumer finds the id (Richardson, "Microservices Patterns",
// the idempotent consumer). Effects are on the ledger's disk and survive its restarts.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/mq/mq_client_messages.h"

namespace distlab::mq {

// Distinct message ids the ledger keeps; an apply of a new id beyond it is refused (error 11).
constexpr std::size_t kMqLedgerIdsMax = 1'000'000;
constexpr std::string_view kMqLedgerStorePrefix = "mq-ledger/effect/";

class Ledger : public CopyableNode<Ledger> {
public:
    Ledger() = default;

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "effects applied", "messages", "applied twice".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    // Message id -> times its effect was applied; an id listed here is in the processed-id table.
    // Times applied, by effect key: "<scope>|<message id>", or the message id alone without a scope.
    const std::map<std::string, std::int64_t>& effects() const { return m_effects; }
    // The sum of effects(); 0 for an id never applied.
    std::int64_t appliedTotal() const { return m_appliedTotal; }
    // Times the message's effect was applied, over all its scopes.
    std::int64_t effectCount(const std::string& messageId) const;
    static std::string effectKey(const std::string& scope, const std::string& messageId);
    // Ids applied more than once.
    std::vector<std::string> appliedTwice() const;

    static std::string storeKey(const std::string& messageId);

private:
    void onApply(Context& ctx, const Envelope& message);

    std::map<std::string, std::int64_t> m_effects;
    std::int64_t m_appliedTotal = 0;
};

}  // namespace distlab::mq
