#include "core/protocols/txn/txn_record.h"

namespace distlab::txn {

std::optional<ParsedTxnState> parseTxnState(std::string_view text) {
    ParsedTxnState parsed;
    if (text.starts_with("txn ")) {
        text.remove_prefix(4);
    } else if (text.starts_with("saga ")) {
        parsed.saga = true;
        text.remove_prefix(5);
    } else {
        return std::nullopt;
    }
    const auto space = text.find(' ');
    if (space == std::string_view::npos || space == 0) return std::nullopt;
    parsed.id = std::string(text.substr(0, space));
    text.remove_prefix(space + 1);
    const auto end = text.find(' ');
    parsed.state = std::string(text.substr(0, end));
    if (parsed.state.empty()) return std::nullopt;
    return parsed;
}


}  // namespace distlab::txn
