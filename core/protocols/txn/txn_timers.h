#pragma once
// One running timer per transaction, as the two-phase commit roles and the three-phase commit participant
// keep them: arming a transaction's timer replaces the one it had, and a timer that fires after it was
// replaced or cancelled names none.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/node/node.h"

namespace distlab::txn {

class TxnTimers {
public:
    void arm(Context& ctx, const std::string& txn, SimTime delay, std::string_view tag);
    // As arm, for a delay given in milliseconds (at least 1).
    void armMs(Context& ctx, const std::string& txn, std::int64_t delayMs, std::string_view tag);
    void cancel(Context& ctx, const std::string& txn);
    bool armed(const std::string& txn) const { return m_timerOf.contains(txn); }
    // The transaction whose live timer just fired (which is then forgotten); nullopt for any other timer.
    std::optional<std::string> fired(TimerId id);

private:
    std::map<std::string, TimerId> m_timerOf;
    std::map<TimerId, std::string> m_txnOf;
};

}  // namespace distlab::txn
