#include "core/node/file_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/crc.hpp>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace distlab {

namespace {

constexpr std::uint32_t kMagic = 0x314a4c44u;  // "DLJ1" read little-endian
constexpr std::size_t kHeaderBytes = 16;
constexpr std::uint8_t kOpPut = 1;
constexpr std::uint8_t kOpErase = 2;
constexpr std::uint32_t kPayloadMax = 256u << 20;  // a bigger length is damage, not a record

std::uint32_t crc32(const char* data, std::size_t size) {
    boost::crc_32_type crc;
    crc.process_bytes(data, size);
    return crc.checksum();
}

void putU32(std::string& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((value >> shift) & 0xffu));
}

std::uint32_t getU32(const char* in) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(in[i]);
    return value;
}

std::string encodeRecord(std::uint8_t op, std::string_view key, std::string_view value) {
    std::string payload;
    payload.reserve(5 + key.size() + value.size());
    payload.push_back(static_cast<char>(op));
    putU32(payload, static_cast<std::uint32_t>(key.size()));
    payload.append(key);
    payload.append(value);
    std::string record;
    record.reserve(kHeaderBytes + payload.size());
    putU32(record, kMagic);
    putU32(record, static_cast<std::uint32_t>(payload.size()));
    putU32(record, crc32(payload.data(), payload.size()));
    putU32(record, crc32(record.data(), 12));
    record += payload;
    return record;
}

std::size_t recordBytes(std::string_view key, std::string_view value) {
    return kHeaderBytes + 5 + key.size() + value.size();
}

std::string errnoText() { return std::strerror(errno); }

bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return true;
}

bool readAll(int fd, std::string& out) {
    char buffer[1 << 16];
    for (;;) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        if (got == 0) return true;
        out.append(buffer, static_cast<std::size_t>(got));
    }
}

bool syncDirectory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

Result<std::unique_ptr<FileStore>> FileStore::open(const std::string& dir, Options options) {
    if (dir.empty()) return makeError(makeText(QT_TRANSLATE_NOOP("Core", "a store needs a directory")));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir, ec))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot use '%1' as a store directory: %2"), dir,
                                  ec ? ec.message() : std::string("not a directory")));
    std::unique_ptr<FileStore> store(new FileStore());
    store->m_dir = dir;
    store->m_options = options;
    const std::string lockPath = dir + "/lock";
    store->m_lock = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (store->m_lock < 0)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot open '%1': %2"), lockPath, errnoText()));
    if (::flock(store->m_lock, LOCK_EX | LOCK_NB) != 0)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "the store in '%1' is in use by another process"), dir),
                         makeText(QT_TRANSLATE_NOOP("Core", "stop the other node, or give this one its own data directory")));
    // A compaction that did not finish left its half-written copy; the journal beside it is whole.
    std::filesystem::remove(dir + "/journal.compact", ec);

    const std::string path = dir + "/journal";
    store->m_journal = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (store->m_journal < 0)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot open '%1': %2"), path, errnoText()));
    std::string bytes;
    if (!readAll(store->m_journal, bytes))
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot read '%1': %2"), path, errnoText()));

    std::size_t offset = 0;
    while (offset < bytes.size()) {
        const std::size_t left = bytes.size() - offset;
        if (left < kHeaderBytes) break;  // a torn header
        const char* header = bytes.data() + offset;
        const std::uint32_t length = getU32(header + 4);
        if (getU32(header) != kMagic || getU32(header + 12) != crc32(header, 12) || length > kPayloadMax || length < 5)
            return makeError(
                makeText(QT_TRANSLATE_NOOP("Core", "'%1' is damaged: the record at byte %2 fails its checksum"), path, offset),
                makeText(QT_TRANSLATE_NOOP("Core", "nothing was read from it; move the file aside to start with an empty store")));
        if (left - kHeaderBytes < length) break;  // a torn payload
        const char* payload = header + kHeaderBytes;
        const std::uint32_t keyLength = getU32(payload + 1);
        if (getU32(header + 8) != crc32(payload, length) || keyLength > length - 5 ||
            (payload[0] != kOpPut && payload[0] != kOpErase))
            return makeError(
                makeText(QT_TRANSLATE_NOOP("Core", "'%1' is damaged: the record at byte %2 fails its checksum"), path, offset),
                makeText(QT_TRANSLATE_NOOP("Core", "nothing was read from it; move the file aside to start with an empty store")));
        std::string key(payload + 5, keyLength);
        if (payload[0] == kOpPut) {
            std::string value(payload + 5 + keyLength, length - 5 - keyLength);
            store->m_records.insert_or_assign(std::move(key), std::move(value));
        } else {
            store->m_records.erase(key);
        }
        offset += kHeaderBytes + length;
    }
    if (offset < bytes.size()) {
        // The last write never finished, so it was never acknowledged: drop it for the next one.
        store->m_tornBytes = bytes.size() - offset;
        if (::ftruncate(store->m_journal, static_cast<off_t>(offset)) != 0 || ::fsync(store->m_journal) != 0)
            return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot repair '%1': %2"), path, errnoText()));
    }
    if (::lseek(store->m_journal, static_cast<off_t>(offset), SEEK_SET) < 0)
        return makeError(makeText(QT_TRANSLATE_NOOP("Core", "cannot read '%1': %2"), path, errnoText()));
    store->m_journalBytes = offset;
    store->m_liveBytes = store->liveBytes();
    return store;
}

FileStore::~FileStore() {
    if (m_journal >= 0) ::close(m_journal);
    if (m_lock >= 0) ::close(m_lock);  // releases the flock
}

std::size_t FileStore::liveBytes() const {
    std::size_t total = 0;
    for (const auto& [key, value] : m_records) total += recordBytes(key, value);
    return total;
}

StoreStatus FileStore::append(const std::string& record) {
    if (m_broken || m_journal < 0) return StoreStatus::IoError;
    if (!writeAll(m_journal, record.data(), record.size()) || (m_options.sync && ::fdatasync(m_journal) != 0)) {
        // Take back whatever part reached the file, so the journal stays a sequence of whole records.
        if (::ftruncate(m_journal, static_cast<off_t>(m_journalBytes)) != 0 ||
            ::lseek(m_journal, static_cast<off_t>(m_journalBytes), SEEK_SET) < 0)
            m_broken = true;
        return StoreStatus::IoError;
    }
    m_journalBytes += record.size();
    return StoreStatus::Ok;
}

StoreStatus FileStore::get(const std::string& key, std::string& value) const {
    auto it = m_records.find(key);
    if (it == m_records.end()) return StoreStatus::NotFound;
    value = it->second;
    return StoreStatus::Ok;
}

StoreStatus FileStore::put(const std::string& key, std::string_view value) {
    if (const StoreStatus status = append(encodeRecord(kOpPut, key, value)); status != StoreStatus::Ok) return status;
    auto it = m_records.find(key);
    if (it != m_records.end()) {
        m_liveBytes -= recordBytes(key, it->second);
        it->second.assign(value);
    } else {
        m_records.emplace(key, std::string(value));
    }
    m_liveBytes += recordBytes(key, value);
    if (m_journalBytes > m_options.compactMinBytes && m_journalBytes > 2 * m_liveBytes) (void)compact();
    return StoreStatus::Ok;
}

StoreStatus FileStore::erase(const std::string& key) {
    auto it = m_records.find(key);
    if (it == m_records.end()) return StoreStatus::NotFound;
    if (const StoreStatus status = append(encodeRecord(kOpErase, key, {})); status != StoreStatus::Ok) return status;
    m_liveBytes -= recordBytes(key, it->second);
    m_records.erase(it);
    if (m_journalBytes > m_options.compactMinBytes && m_journalBytes > 2 * m_liveBytes) (void)compact();
    return StoreStatus::Ok;
}

std::vector<StoreRecord> FileStore::scan(std::string_view prefix) const {
    std::vector<StoreRecord> out;
    for (auto it = m_records.lower_bound(prefix); it != m_records.end() && it->first.starts_with(prefix); ++it)
        out.push_back({it->first, StoreStatus::Ok, it->second});
    return out;
}

StoreStatus FileStore::compact() {
    if (m_broken) return StoreStatus::IoError;
    std::string bytes;
    bytes.reserve(m_liveBytes);
    for (const auto& [key, value] : m_records) bytes += encodeRecord(kOpPut, key, value);
    const std::string path = m_dir + "/journal";
    const std::string temporary = m_dir + "/journal.compact";
    const int fd = ::open(temporary.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return StoreStatus::IoError;
    if (!writeAll(fd, bytes.data(), bytes.size()) || ::fsync(fd) != 0) {
        ::close(fd);
        ::unlink(temporary.c_str());
        return StoreStatus::IoError;
    }
    // The rename is the moment the new journal replaces the old one; before it a crash keeps the old one.
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        ::close(fd);
        ::unlink(temporary.c_str());
        return StoreStatus::IoError;
    }
    syncDirectory(m_dir);  // makes the rename itself durable; the data is safe either way
    if (::lseek(fd, 0, SEEK_END) < 0) m_broken = true;
    ::close(m_journal);
    m_journal = fd;
    m_journalBytes = bytes.size();
    return StoreStatus::Ok;
}

}  // namespace distlab
