#pragma once
// The trace: the single record of a run that every view, chart and checker reads. Events are compact
// values; strings (node names, timer tags, states) are interned once and message envelopes are kept in
// the network's message table, so tracing a million events stays cheap.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/node/message.h"
#include "core/history/chunked_log.h"
#include "core/node/node.h"
#include "core/base/sim_time.h"

namespace distlab {

enum class TraceKind : std::uint8_t {
    NodeAdd,
    NodeRemove,
    Send,
    Deliver,
    Drop,
    Duplicate,
    TimerSet,
    TimerFire,
    TimerCancel,
    Crash,
    Restart,
    Pause,
    Resume,
    Partition,
    Cut,
    Heal,
    State,
    Client,
    Note,
};
std::string_view traceKindName(TraceKind kind);

constexpr std::uint32_t kNoName = 0xffffffffu;
constexpr std::uint64_t kNoTraceEvent = ~std::uint64_t(0);

// 32 bytes: a long run records millions of these. An event's index is its position in the trace.
struct TraceEvent {
    SimTime time = 0;
    TraceKind kind = TraceKind::Note;
    std::uint32_t node = kNoName;  // interned node name
    std::uint32_t peer = kNoName;  // interned peer name (the other end of a message or cut)
    std::uint32_t text = kNoName;  // interned tag / state / reason / note
    std::uint64_t ref = 0;         // message sequence number, timer id, client op index, or a duration
};
static_assert(sizeof(TraceEvent) == 32, "keep trace events compact");

struct MessageRecord {
    std::uint64_t seq = 0;  // network sequence number, unique per run
    Envelope envelope;
    SimTime sentAt = 0;
};

class Trace {
public:
    std::uint32_t intern(std::string_view text);
    const std::string& name(std::uint32_t id) const;
    // Returns the interned id if the text was ever interned.
    std::uint32_t find(std::string_view text) const;

    const TraceEvent& append(SimTime time, TraceKind kind, std::uint32_t node, std::uint32_t peer = kNoName,
                             std::uint32_t text = kNoName, std::uint64_t ref = 0);
    const ChunkedLog<TraceEvent>& events() const { return m_events; }
    std::size_t size() const { return m_events.size(); }

    // Records a sent message; its sequence number is its position (messages are recorded in send order
    // and only while the trace records, which ends for good at the limit).
    std::uint64_t addMessage(Envelope envelope, SimTime sentAt);

    // Recording stops, for the rest of the run, once eventsMax events are recorded; the last event
    // is a note saying so. Views and checkers must then say that they see only the start of the run.
    void setEventsMax(std::size_t eventsMax) { m_eventsMax = eventsMax; }
    void setMessageBytesMax(std::size_t bytes) { m_messageBytesMax = bytes; }
    bool recording() const { return !m_truncated; }
    bool truncated() const { return m_truncated; }
    const MessageRecord& message(std::uint64_t seq) const { return m_messages.at(seq); }
    std::size_t messageCount() const { return m_messages.size(); }

    std::size_t addClientOp(ClientOp op);
    const std::vector<ClientOp>& clientOps() const { return m_clientOps; }
    // The index of the Client event that recorded each op (kNoTraceEvent if it was not recorded).
    std::vector<std::uint64_t> clientOpEventIndices() const;

    // One JSON object per event: {"i","t_us","kind","node",...}. Byte-identical for identical runs.
    Json eventToJson(const TraceEvent& event, std::uint64_t index) const;
    void writeJsonLines(std::ostream& out) const;

    // Time travel. A mark says how far the trace had got; moveTo() goes back to an earlier mark or forward
    // to a later one. Going back keeps what followed as the retained future: replaying the same run
    // rewrites exactly it, and a later mark within it can be reached at once. When the run takes a
    // different course, dropFuture() forgets it. Interned names are never forgotten (ids stay valid).
    struct Mark {
        std::size_t events = 0;
        std::size_t messages = 0;
        std::size_t clientOps = 0;
        std::size_t messageBytes = 0;
        bool messagesFull = false;
        bool truncated = false;
    };
    Mark mark() const;
    bool reaches(const Mark& mark) const;  // an earlier mark, or a later one within the retained future
    void moveTo(const Mark& mark);         // requires reaches(mark)
    void dropFuture();
    std::size_t retainedEvents() const { return m_events.retained(); }
    // How many times dropFuture() forgot something: a reader that also kept the old future starts over.
    std::uint64_t futuresDropped() const { return m_futuresDropped; }

    void setSeed(std::uint64_t seed) { m_seed = seed; }
    std::uint64_t seed() const { return m_seed; }

private:
    std::uint64_t m_seed = 0;
    std::size_t m_eventsMax = std::size_t(-1);
    std::size_t m_messageBytesMax = std::size_t(-1);  // encoded size of the recorded messages
    std::size_t m_messageBytes = 0;
    bool m_messagesFull = false;  // the next event closes the trace
    bool m_truncated = false;
    ChunkedLog<TraceEvent> m_events;
    // A deque: a handler may hold a name (its timer tag) while its own actions intern new ones.
    std::deque<std::string> m_names;
    struct NameHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    // Only looked up, never iterated, so its order cannot leak into the run.
    std::unordered_map<std::string, std::uint32_t, NameHash, std::equal_to<>> m_nameIds;
    // Protocols reuse a handful of timer tags and states; a tiny cache skips hashing them every time.
    static constexpr std::size_t kInternCacheSize = 64;
    struct InternSlot {
        const std::string* name = nullptr;  // into m_names, whose elements never move
        std::uint32_t id = 0;
    };
    std::array<InternSlot, kInternCacheSize> m_internCache{};
    // A deque, so that the envelope a handler is reading stays put while the handler sends more.
    std::deque<MessageRecord> m_messages;
    std::vector<ClientOp> m_clientOps;
    // The retained future (see moveTo): what followed the current end when the trace was moved back.
    std::deque<MessageRecord> m_futureMessages;
    std::deque<ClientOp> m_futureOps;
    std::uint64_t m_futuresDropped = 0;
};

}  // namespace distlab
