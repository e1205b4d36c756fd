// What the two-phase commit coordinator and participant share (Gray 1978): their log layout and the
// vote / decide records of txn_record.h.
#include "core/protocols/txn/two_phase_commit.h"

#include <algorithm>

#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

std::vector<std::string> tpcLoggedTxns(const DiskReader& store, std::string_view prefix) {
    std::vector<std::string> txns;
    for (const auto& [key, stored] : store.scan(prefix)) txns.push_back(key.substr(prefix.size()));
    return txns;
}

Json tpcReadRecord(const DiskReader& store, std::string_view prefix, const std::string& txn) {
    std::optional<std::string> text = store.get(std::string(prefix) + txn);
    if (!text) return Json();
    Json json = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) return Json();
    return json;
}

void tpcWriteRecord(Disk store, std::string_view prefix, const std::string& txn,
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
