#include "core/node/node.h"

namespace distlab {

std::optional<std::string> DurableStore::get(const std::string& key) const {
    auto it = m_entries.find(key);
    if (it == m_entries.end()) return std::nullopt;
    return it->second;
}

void DurableStore::put(const std::string& key, std::string value) { m_entries[key] = std::move(value); }

bool DurableStore::erase(const std::string& key) { return m_entries.erase(key) > 0; }

std::int64_t DurableStore::increment(const std::string& key) {
    std::int64_t value = 0;
    if (auto it = m_entries.find(key); it != m_entries.end()) {
        const Json json = Json::parse(it->second, nullptr, /*allow_exceptions=*/false);
        if (json.is_number_integer()) value = json.get<std::int64_t>();
    }
    ++value;
    m_entries[key] = Json(value).dump();
    return value;
}

std::string_view opPhaseName(OpPhase phase) {
    switch (phase) {
        case OpPhase::Invoke: return "invoke";
        case OpPhase::Ok: return "ok";
        case OpPhase::Fail: return "fail";
        case OpPhase::Unknown: return "unknown";
    }
    return "unknown";
}

}  // namespace distlab
