// What the two-phase commit coordinator and participant share (Gray 1978): their log layout and the
// vote / decide records of txn_record.h.
#include "core/protocols/txn/two_phase_commit.h"

#include <algorithm>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

std::vector<std::string> tpcLoggedTxns(const DurableStore& store, std::string_view prefix) {
    std::vector<std::string> txns;
    const auto& entries = store.entries();
    for (auto it = entries.lower_bound(std::string(prefix));
         it != entries.end() && std::string_view(it->first).starts_with(prefix); ++it) {
        txns.push_back(it->first.substr(prefix.size()));
    }
    return txns;
}

Json tpcReadRecord(const DurableStore& store, std::string_view prefix, const std::string& txn) {
    std::optional<std::string> text = store.get(std::string(prefix) + txn);
    if (!text) return Json();
    Json json = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) return Json();
    return json;
}

void tpcWriteRecord(DurableStore& store, std::string_view prefix, const std::string& txn,
                    const Json& record) {
    store.put(std::string(prefix) + txn, record.dump());
}

void recordTpcVote(Context& ctx, const std::string& txn, std::string_view vote) {
    const std::int64_t opId = ctx.store().increment(std::string(kTxnOpCounterKey));
    ctx.recordOp(OpPhase::Ok, opId, "vote", Json{{"txn", txn}, {"vote", vote}});
}

void recordTpcDecide(Context& ctx, const std::string& txn, std::string_view decision, std::string_view role) {
    const std::int64_t opId = ctx.store().increment(std::string(kTxnOpCounterKey));
    ctx.recordOp(OpPhase::Ok, opId, "decide", Json{{"txn", txn}, {"decision", decision}, {"role", role}});
}

}  // namespace distlab::txn
