#include "core/protocols/txn/txn_timers.h"

#include <algorithm>

namespace distlab::txn {

void TxnTimers::armMs(Context& ctx, const std::string& txn, std::int64_t delayMs, std::string_view tag) {
    arm(ctx, txn, millis(std::max<std::int64_t>(delayMs, 1)), tag);
}

void TxnTimers::arm(Context& ctx, const std::string& txn, SimTime delay, std::string_view tag) {
    cancel(ctx, txn);
    const TimerId id = ctx.setTimer(delay, tag);
    m_timerOf[txn] = id;
    m_txnOf[id] = txn;
}

void TxnTimers::cancel(Context& ctx, const std::string& txn) {
    auto it = m_timerOf.find(txn);
    if (it == m_timerOf.end()) return;
    ctx.cancelTimer(it->second);
    m_txnOf.erase(it->second);
    m_timerOf.erase(it);
}

std::optional<std::string> TxnTimers::fired(TimerId id) {
    auto it = m_txnOf.find(id);
    if (it == m_txnOf.end()) return std::nullopt;
    std::string txn = std::move(it->second);
    m_txnOf.erase(it);
    m_timerOf.erase(txn);
    return txn;
}

}  // namespace distlab::txn
