#pragma once
// A DurableStore on a real disk, for a node that runs as its own process: a checksummed append-only journal
// in a directory, replayed into memory when the store opens.
//
//   DIR/journal    records, each a 16-byte header then a payload:
//                    u32 magic "DLJ1" | u32 payload length | u32 CRC-32 of the payload | u32 CRC-32 of the
//                    first 12 header bytes   (little-endian)
//                  payload: u8 op (1 put, 2 erase) | u32 key length | key | value
//   DIR/lock       held with flock() while the store is open: one process per store
//
// put and erase return Ok only once their record is on the disk (write, then fdatasync). A crash can leave
// an incomplete last record (a torn tail): it was never acknowledged, so opening drops it and says how many
// bytes went. A complete record that fails a checksum is damage, not a crash: the store refuses to open and
// names the byte offset, rather than use the record or anything after it. Compaction rewrites the live
// records to journal.compact, syncs it and renames it over the journal, so a crash at any moment leaves
// either the old journal or the new one.
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "core/base/result.h"
#include "core/node/durable_store.h"

namespace distlab {

class FileStore final : public DurableStore {
public:
    struct Options {
        std::size_t compactMinBytes = 64 * 1024;  // compact once the journal is past this and twice the live data
        bool sync = true;                         // fdatasync every write (off only for benchmarks)
    };

    // Opens the store in dir, creating the directory and an empty journal when missing.
    static Result<std::unique_ptr<FileStore>> open(const std::string& dir, Options options);
    static Result<std::unique_ptr<FileStore>> open(const std::string& dir) { return open(dir, Options{}); }
    ~FileStore() override;
    FileStore(const FileStore&) = delete;
    FileStore& operator=(const FileStore&) = delete;

    StoreStatus get(const std::string& key, std::string& value) const override;
    StoreStatus put(const std::string& key, std::string_view value) override;
    StoreStatus erase(const std::string& key) override;
    std::vector<StoreRecord> scan(std::string_view prefix) const override;
    std::size_t size() const override { return m_records.size(); }

    // Rewrites the journal to hold only the live records. IoError leaves the old journal in use.
    StoreStatus compact();
    std::size_t journalBytes() const { return m_journalBytes; }
    std::size_t tornBytes() const { return m_tornBytes; }  // dropped from the tail when the store opened
    const std::string& directory() const { return m_dir; }

private:
    FileStore() = default;
    StoreStatus append(const std::string& record);
    std::size_t liveBytes() const;

    std::string m_dir;
    Options m_options;
    int m_journal = -1;
    int m_lock = -1;
    bool m_broken = false;  // a failed write could not be undone: no more writes
    std::size_t m_journalBytes = 0;
    std::size_t m_liveBytes = 0;  // bytes the live records take in a compacted journal
    std::size_t m_tornBytes = 0;
    std::map<std::string, std::string, std::less<>> m_records;
};

}  // namespace distlab
