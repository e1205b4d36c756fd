#pragma once
// State that survives a crash: what a node has written to its disk. One interface, two media: MemoryStore
// for the simulator (copied by value into checkpoints) and FileStore (core/node/file_store.h), a
// checksummed journal, for a node that runs as a real process.
//
// Every operation returns a status. A record that fails its checksum is Corrupt: its bytes are never
// returned, and put / increment refuse to overwrite it, so a damaged promise (a 2PC participant's READY
// record) cannot quietly turn into something else. Protocol code reads and writes through Disk, which turns
// any status other than Ok / NotFound into a StoreFailure: the host stops the node with that message.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace distlab {

enum class StoreStatus : std::uint8_t {
    Ok,
    NotFound,  // no record under the key
    Corrupt,   // the record failed its checksum; it is kept for a person to look at, never used
    IoError,   // the medium refused a read or a write; nothing changed
};
std::string_view storeStatusName(StoreStatus status);

struct StoreRecord {
    std::string key;
    StoreStatus status = StoreStatus::Ok;  // Ok or Corrupt
    std::string value;                     // empty unless Ok
};

class DurableStore {
public:
    virtual ~DurableStore() = default;
    [[nodiscard]] virtual StoreStatus get(const std::string& key, std::string& value) const = 0;
    // Durable when it returns Ok. Corrupt when the key's record is damaged (it is left as it is).
    [[nodiscard]] virtual StoreStatus put(const std::string& key, std::string_view value) = 0;
    // NotFound when there was nothing to erase. A damaged record may be erased: that overwrites nothing.
    [[nodiscard]] virtual StoreStatus erase(const std::string& key) = 0;
    // The records whose key starts with prefix, in key order, damaged ones included (status Corrupt).
    virtual std::vector<StoreRecord> scan(std::string_view prefix) const = 0;
    virtual std::size_t size() const = 0;

    // Adds one to the integer stored under key (0 when absent, or when the record holds no integer) and
    // sets value to it: ids that stay unique across restarts (op ids, lock tokens). A damaged counter is
    // Corrupt and left alone: counting again from 0 would hand out ids twice.
    [[nodiscard]] StoreStatus increment(const std::string& key, std::int64_t& value);
};

// The simulator's disk: an ordered map, so iteration is deterministic and a copy is a checkpoint.
class MemoryStore final : public DurableStore {
public:
    StoreStatus get(const std::string& key, std::string& value) const override;
    StoreStatus put(const std::string& key, std::string_view value) override;
    StoreStatus erase(const std::string& key) override;
    std::vector<StoreRecord> scan(std::string_view prefix) const override;
    std::size_t size() const override { return m_records.size(); }
    void clear() { m_records.clear(); }
    // Flips a bit of the record under key, as a failing sector would: from now on it fails its checksum.
    // False when there is no such record.
    bool damage(const std::string& key);

private:
    struct Record {
        std::string value;
        bool intact = true;
    };
    std::map<std::string, Record, std::less<>> m_records;
};

// What Disk throws when the store answers Corrupt or IoError: the node cannot keep its promises, so the
// host stops it with what() ("record 'tpc/p/t1' on disk fails its checksum").
class StoreFailure : public std::runtime_error {
public:
    StoreFailure(StoreStatus status, const std::string& key);
    StoreStatus status() const { return m_status; }
    const std::string& key() const { return m_key; }

private:
    StoreStatus m_status;
    std::string m_key;
};

// A node's view of its store, as Context::store() hands it out: absent records are values, failures are
// exceptions (see StoreFailure), so protocol code reads like code over a map and cannot ignore a failure.
// DiskReader is the read half, for code that reads a store it must not change (checkers).
class DiskReader {
public:
    explicit DiskReader(const DurableStore& store) : m_reader(&store) {}
    std::optional<std::string> get(const std::string& key) const;
    // (key, value) in key order; throws on the first damaged record.
    std::vector<std::pair<std::string, std::string>> scan(std::string_view prefix) const;

private:
    const DurableStore* m_reader;
};

class Disk : public DiskReader {
public:
    explicit Disk(DurableStore& store) : DiskReader(store), m_store(&store) {}
    void put(const std::string& key, std::string_view value);
    bool erase(const std::string& key);  // false when there was nothing to erase
    std::int64_t increment(const std::string& key);

private:
    DurableStore* m_store;
};

}  // namespace distlab
