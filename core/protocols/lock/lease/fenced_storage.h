#pragma once
// The storage a lock protects, checking fencing tokens (Kleppmann, "How to do distributed locking",
// 2016): a write carries the fencing token of the lock grant its writer holds, and the storage rejects
// it when it has already accepted a higher one, so a client that lost its lease (a GC pause, a slow
// network) cannot overwrite the work of the next holder.
//
//   storage_write{key, value, t}:  fencing on  and t <  highest -> error 22, nothing stored
//                                  fencing on  and t >= highest -> stored, highest = t
//                                  fencing off                  -> stored, highest = max(highest, t)
//
// The highest token is one per storage node (the storage is protected by one lock, as in Kleppmann's
// figure); equal tokens are accepted, so a holder may write several times under one grant. Values, the
// highest token and the fencing switch are on the node's disk and survive a restart.
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

class FencedStorage : public Node {
public:
    explicit FencedStorage(FencedStorageConfig config = {});

    void onStart(Context& ctx) override;
    void onMessage(Context& ctx, const Envelope& message) override;
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override;
    // Labels: "fencing", "highest fencing token", "writes accepted", "writes rejected", "keys".
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override;

    bool fencing() const { return m_fencing; }
    std::int64_t highestToken() const { return m_highestToken; }
    const std::map<std::string, StoredValue>& values() const { return m_values; }
    std::uint64_t writesAccepted() const { return m_writesAccepted; }
    std::uint64_t writesRejected() const { return m_writesRejected; }

private:
    void onWrite(Context& ctx, const Envelope& message);
    void onRead(Context& ctx, const Envelope& message);
    void onFencingSet(Context& ctx, const Envelope& message);
    static void replyError(Context& ctx, const Envelope& request, ErrorCode code, std::string text);

    FencedStorageConfig m_config;
    bool m_fencing = true;
    std::int64_t m_highestToken = 0;
    std::map<std::string, StoredValue> m_values;
    std::uint64_t m_writesAccepted = 0;  // since this process started
    std::uint64_t m_writesRejected = 0;
};

}  // namespace distlab::lock
