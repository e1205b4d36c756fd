#pragma once
// The storage a lock protects, checking fencing tokens (Kleppmann, "How to do distributed locking",
// 2016) on every access, as a Chubby sequencer is checked (Burrows, "The Chubby lock service", 2006): a
// read or write carries the fencing token of the lock grant its client holds, and the storage refuses it
// when it has already accepted a higher one, so a client that lost its lease (a GC pause, a slow
// network) can neither overwrite the work of the next holder nor start a read-modify-write on data that
// the next holder is changing.
//
//   storage_read{key, t} / storage_write{key, value, t}:
//     fencing on  and t <  highest -> error 22, nothing read or stored, no sequence number taken
//     fencing on  and t >= highest -> accepted: seq = ++counter, highest = t
//     fencing off                  -> accepted: seq = ++counter, highest = max(highest, t)
//
// Token 0 means "no token" and is judged like any other number: with fencing on it is refused once a
// higher token has been seen. Every accepted access gets the next sequence number (1, 2, ...), returned
// in storage_read_ok / storage_write_ok: the order in which the storage served its clients, which is what
// mutual exclusion is judged on (checkMutualExclusion). A read of a key never written is accepted too and
// answers exists = false with an empty value and fencing token 0.
//
// The highest token is one per storage node (the storage is protected by one lock, as in Kleppmann's
// figure); equal tokens are accepted, so a holder may access the storage several times under one grant.
// Values, the highest token, the sequence counter and the fencing switch are on the node's disk and
// survive a restart.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"
#include "core/protocols/lock/lease/lease_messages.h"

namespace distlab::lock {

struct FencedStorageConfig {
    bool fencing = true;           // the initial setting; fencing_set changes it at run time
    std::size_t keysMax = 10'000;  // distinct keys stored; a write of a new key beyond it gets error 11
};

struct StoredValue {
    std::string value;
    std::int64_t fencingToken = 0;  // the token of the write that stored it
};

class FencedStorage : public CopyableNode<FencedStorage> {
public:
    explicit FencedStorage(FencedStorageConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "fencing", "highest fencing token", "last sequence number", "reads accepted",
    // "reads rejected", "writes accepted", "writes rejected", "keys".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;
    // Report: {"fencing", "highest_token", "writes_accepted", "writes_rejected"}.
    Json observe(SimTime now) const override;

    bool fencing() const { return m_fencing; }
    std::int64_t highestToken() const { return m_highestToken; }
    // The sequence number of the last accepted access; 0 before the first.
    std::int64_t lastSeq() const { return m_seq; }
    const std::map<std::string, StoredValue>& values() const { return m_values; }
    std::uint64_t readsAccepted() const { return m_readsAccepted; }
    std::uint64_t readsRejected() const { return m_readsRejected; }
    std::uint64_t writesAccepted() const { return m_writesAccepted; }
    std::uint64_t writesRejected() const { return m_writesRejected; }

private:
    void onWrite(Context& ctx, const Envelope& message);
    void onRead(Context& ctx, const Envelope& message);
    void onFencingSet(Context& ctx, const Envelope& message);
    // The sequencer check shared by reads and writes: empty when the token may pass, else why not.
    std::string staleTokenProblem(Context& ctx, std::int64_t fencingToken) const;
    // Takes the next sequence number for an accepted access under fencingToken, durably.
    std::int64_t accept(Context& ctx, std::int64_t fencingToken);

    FencedStorageConfig m_config;
    bool m_fencing = true;
    std::int64_t m_highestToken = 0;
    std::int64_t m_seq = 0;  // the last sequence number given out
    std::map<std::string, StoredValue> m_values;
    // Since this process started.
    std::uint64_t m_readsAccepted = 0;
    std::uint64_t m_readsRejected = 0;
    std::uint64_t m_writesAccepted = 0;
    std::uint64_t m_writesRejected = 0;
};

}  // namespace distlab::lock
