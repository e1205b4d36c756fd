#include "core/node/durable_store.h"

#include <charconv>

namespace distlab {

std::string_view storeStatusName(StoreStatus status) {
    switch (status) {
        case StoreStatus::Ok: return "ok";
        case StoreStatus::NotFound: return "not found";
        case StoreStatus::Corrupt: return "corrupt";
        case StoreStatus::IoError: return "i/o error";
    }
    return "unknown";
}

StoreStatus DurableStore::increment(const std::string& key, std::int64_t& value) {
    std::string text;
    const StoreStatus read = get(key, text);
    if (read != StoreStatus::Ok && read != StoreStatus::NotFound) return read;
    std::int64_t current = 0;
    if (read == StoreStatus::Ok) {
        const char* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(text.data(), end, current);
        if (ec != std::errc() || ptr != end) current = 0;  // not an integer: the counter starts again
    }
    const std::int64_t next = current + 1;
    const StoreStatus written = put(key, std::to_string(next));
    if (written == StoreStatus::Ok) value = next;
    return written;
}

StoreStatus MemoryStore::get(const std::string& key, std::string& value) const {
    auto it = m_records.find(key);
    if (it == m_records.end()) return StoreStatus::NotFound;
    if (!it->second.intact) return StoreStatus::Corrupt;
    value = it->second.value;
    return StoreStatus::Ok;
}

StoreStatus MemoryStore::put(const std::string& key, std::string_view value) {
    auto it = m_records.find(key);
    if (it == m_records.end()) {
        m_records.emplace(key, Record{std::string(value), true});
        return StoreStatus::Ok;
    }
    if (!it->second.intact) return StoreStatus::Corrupt;
    it->second.value.assign(value);
    return StoreStatus::Ok;
}

StoreStatus MemoryStore::erase(const std::string& key) {
    return m_records.erase(key) > 0 ? StoreStatus::Ok : StoreStatus::NotFound;
}

std::vector<StoreRecord> MemoryStore::scan(std::string_view prefix) const {
    std::vector<StoreRecord> out;
    for (auto it = m_records.lower_bound(prefix); it != m_records.end() && it->first.starts_with(prefix); ++it) {
        if (it->second.intact) out.push_back({it->first, StoreStatus::Ok, it->second.value});
        else out.push_back({it->first, StoreStatus::Corrupt, {}});
    }
    return out;
}

bool MemoryStore::damage(const std::string& key) {
    auto it = m_records.find(key);
    if (it == m_records.end()) return false;
    it->second.intact = false;
    return true;
}

namespace {
std::string failureMessage(StoreStatus status, const std::string& key) {
    if (status == StoreStatus::Corrupt) return "record '" + key + "' on disk fails its checksum";
    return "the disk failed on record '" + key + "' (" + std::string(storeStatusName(status)) + ")";
}
}  // namespace

StoreFailure::StoreFailure(StoreStatus status, const std::string& key)
    : std::runtime_error(failureMessage(status, key)), m_status(status), m_key(key) {}

std::optional<std::string> DiskReader::get(const std::string& key) const {
    std::string value;
    const StoreStatus status = m_reader->get(key, value);
    if (status == StoreStatus::NotFound) return std::nullopt;
    if (status != StoreStatus::Ok) throw StoreFailure(status, key);
    return value;
}

void Disk::put(const std::string& key, std::string_view value) {
    const StoreStatus status = m_store->put(key, value);
    if (status != StoreStatus::Ok) throw StoreFailure(status, key);
}

bool Disk::erase(const std::string& key) {
    const StoreStatus status = m_store->erase(key);
    if (status == StoreStatus::NotFound) return false;
    if (status != StoreStatus::Ok) throw StoreFailure(status, key);
    return true;
}

std::int64_t Disk::increment(const std::string& key) {
    std::int64_t value = 0;
    const StoreStatus status = m_store->increment(key, value);
    if (status != StoreStatus::Ok) throw StoreFailure(status, key);
    return value;
}

std::vector<std::pair<std::string, std::string>> DiskReader::scan(std::string_view prefix) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (StoreRecord& record : m_reader->scan(prefix)) {
        if (record.status != StoreStatus::Ok) throw StoreFailure(record.status, record.key);
        out.emplace_back(std::move(record.key), std::move(record.value));
    }
    return out;
}

}  // namespace distlab
