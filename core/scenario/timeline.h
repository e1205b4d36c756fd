#pragma once
// The data behind the space-time diagram (widgets/timeline_view.h): one lane per node, the phase bands
// of each node's transactions and sagas, every message as an arrow from its send to its delivery or drop,
// crashes, restarts and pauses, partitions and cuts, and client operations as intervals. It is read from
// the trace only (Lamport's space-time diagrams, as Maelstrom and ShiViz draw them).
//
// Built incrementally: TimelineBuilder::update() reads only the trace events appended since its last
// call, so a view can call it every frame. Items are plain structs with interned strings, so a run of
// 1,000,000 events takes tens of megabytes. Every item carries both its simulated times and its trace
// event indices, so the view can space events by time or by order ("logical" spacing).
//
// The items of each kind are appended in trace order, so they are sorted by start time and by start
// index. Series (per lane, or all messages) group them in blocks of kTimelineBlockSize with the largest
// end of each block, so a query for a window skips whole blocks that end before it.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/sim/sim_time.h"

namespace distlab {

class Trace;
class World;

constexpr SimTime kTimelineOpen = std::numeric_limits<SimTime>::max();  // an end that has not come yet
constexpr std::uint32_t kTimelineOpenIndex = 0xffffffffu;
constexpr std::uint32_t kTimelineNoLane = 0xffffffffu;
constexpr std::size_t kTimelineBlockSize = 64;
// Concurrent transactions of one node are drawn in up to this many rows of its lane.
constexpr int kTimelineBandSlotsMax = 3;

// The phase of a transaction (txn_record.h) or saga at one node.
enum class TxnPhase : std::uint8_t {
    Init,
    Wait,
    Ready,
    PreCommit,
    Commit,
    Abort,
    End,
    SagaRunning,
    SagaCompensating,
    SagaDone,
    SagaAborted,
    Other,  // a state word the view has no colour for
};
// Header-only, like the structs below, so that views need no link to the builder.
inline TxnPhase txnPhaseFromText(std::string_view state, bool saga) {
    if (saga) {
        if (state == "RUNNING") return TxnPhase::SagaRunning;
        if (state == "COMPENSATING") return TxnPhase::SagaCompensating;
        if (state == "DONE") return TxnPhase::SagaDone;
        if (state == "ABORTED") return TxnPhase::SagaAborted;
        return TxnPhase::Other;
    }
    if (state == "INIT") return TxnPhase::Init;
    if (state == "WAIT") return TxnPhase::Wait;
    if (state == "READY") return TxnPhase::Ready;
    if (state == "PRECOMMIT") return TxnPhase::PreCommit;
    if (state == "COMMIT") return TxnPhase::Commit;
    if (state == "ABORT") return TxnPhase::Abort;
    if (state == "END") return TxnPhase::End;
    return TxnPhase::Other;
}

inline std::string_view txnPhaseName(TxnPhase phase) {
    switch (phase) {
        case TxnPhase::Init: return "INIT";
        case TxnPhase::Wait: return "WAIT";
        case TxnPhase::Ready: return "READY";
        case TxnPhase::PreCommit: return "PRECOMMIT";
        case TxnPhase::Commit: return "COMMIT";
        case TxnPhase::Abort: return "ABORT";
        case TxnPhase::End: return "END";
        case TxnPhase::SagaRunning: return "RUNNING";
        case TxnPhase::SagaCompensating: return "COMPENSATING";
        case TxnPhase::SagaDone: return "DONE";
        case TxnPhase::SagaAborted: return "ABORTED";
        case TxnPhase::Other: break;
    }
    return "?";
}

// A phase after which the node has nothing left to do for the transaction: its band may give way to
// another transaction's.
inline bool txnPhaseFinal(TxnPhase phase) {
    switch (phase) {
        case TxnPhase::Commit:
        case TxnPhase::Abort:
        case TxnPhase::End:
        case TxnPhase::SagaDone:
        case TxnPhase::SagaAborted: return true;
        default: return false;
    }
}


enum class MessageFate : std::uint8_t { InFlight, Delivered, Dropped };
enum class TimelineMarkerKind : std::uint8_t { Crash, Restart, Pause, Resume, Remove };
enum class ClientOutcome : std::uint8_t { Open, Ok, Fail, Unknown };

struct TimelineLane {
    std::string name;
    std::uint8_t bandSlots = 0;  // rows of bands used so far (0..kTimelineBandSlotsMax)
};

// One node's phase in one transaction, from a state change to the next (or to a crash).
struct TimelineBand {
    SimTime start = 0;
    SimTime end = kTimelineOpen;
    std::uint32_t startIndex = 0;
    std::uint32_t endIndex = kTimelineOpenIndex;
    std::uint32_t lane = 0;
    std::uint32_t txn = 0;  // TimelineData::text
    TxnPhase phase = TxnPhase::Other;
    std::uint8_t slot = 0;
    bool saga = false;
    bool open() const { return end == kTimelineOpen; }
};

// One delivery attempt of a message: a duplicated message has a second record with `duplicate` set.
struct TimelineMessage {
    std::uint64_t seq = 0;
    SimTime sent = 0;
    SimTime end = kTimelineOpen;  // delivered or dropped at
    std::uint32_t sendIndex = 0;
    std::uint32_t endIndex = kTimelineOpenIndex;
    std::uint32_t from = 0;
    std::uint32_t to = 0;
    std::uint32_t type = 0;  // TimelineData::text
    MessageFate fate = MessageFate::InFlight;
    bool duplicate = false;
    bool open() const { return end == kTimelineOpen; }
};

struct TimelineMarker {
    SimTime time = 0;
    SimTime end = 0;  // a pause's end (kTimelineOpen while it lasts); `time` for the others
    std::uint32_t index = 0;
    std::uint32_t endIndex = 0;
    std::uint32_t lane = 0;
    TimelineMarkerKind kind = TimelineMarkerKind::Crash;
};

// A partition (groups of lanes that cannot talk to each other) or a one-way cut (from -> to).
struct TimelinePartition {
    SimTime start = 0;
    SimTime end = kTimelineOpen;
    std::uint32_t startIndex = 0;
    std::uint32_t endIndex = kTimelineOpenIndex;
    bool oneWay = false;
    std::uint32_t from = kTimelineNoLane;  // for a cut
    std::uint32_t to = kTimelineNoLane;
    std::vector<std::vector<std::uint32_t>> groups;  // lanes, for a partition (they are rare)
};

struct TimelineClientOp {
    std::int64_t opId = 0;
    SimTime start = 0;
    SimTime end = kTimelineOpen;
    std::uint32_t startIndex = 0;
    std::uint32_t endIndex = kTimelineOpenIndex;
    std::uint32_t lane = 0;
    std::uint32_t f = 0;  // TimelineData::text
    ClientOutcome outcome = ClientOutcome::Open;
};

// The largest end in each block of a series, in time and in event order. Open items count as ending
// at the data's `now` / `eventCount`.
struct TimelineBlock {
    SimTime maxEnd = std::numeric_limits<SimTime>::min();
    std::uint32_t maxEndIndex = 0;
    std::uint32_t open = 0;
};

// Item ids (into bands, clientOps...) in start order, and their blocks.
struct TimelineSeries {
    std::vector<std::uint32_t> items;
    std::vector<TimelineBlock> blocks;
};

struct TimelineLaneIndex {
    TimelineSeries bandSlots[kTimelineBandSlotsMax];  // within a slot, bands do not overlap
    TimelineSeries clientOps;
};

struct TimelineData {
    std::vector<TimelineLane> lanes;
    std::vector<std::string> texts;  // interned: message types, txn ids, client functions
    std::vector<TimelineBand> bands;
    std::vector<TimelineMessage> messages;
    std::vector<TimelineBlock> messageBlocks;  // messages are their own series, in send order
    std::vector<TimelineMarker> markers;
    std::vector<TimelinePartition> partitions;
    std::vector<TimelineClientOp> clientOps;
    std::vector<TimelineLaneIndex> laneIndex;  // one per lane
    SimTime now = 0;                // the time of the last event read (or the world's time)
    std::uint32_t eventCount = 0;   // trace events read
    bool truncated = false;         // the trace stopped recording: the diagram shows the start of the run

    const std::string& text(std::uint32_t id) const { return texts.at(id); }
    SimTime endOf(SimTime end) const { return end == kTimelineOpen ? now : end; }
    std::uint32_t endIndexOf(std::uint32_t endIndex) const {
        return endIndex == kTimelineOpenIndex ? eventCount : endIndex;
    }
    std::size_t bandSlotCount(std::uint32_t lane) const {
        return std::max<std::size_t>(1, lanes.at(lane).bandSlots);
    }
};

// Reads a trace into a TimelineData, a few events at a time.
//
// data() is the live object that update() appends to: read it on the thread that calls update(), or
// take snapshot() (a copy) for another thread.
class TimelineBuilder {
public:
    TimelineBuilder();
    // Reads the trace events appended since the last call; costs only those events.
    void update(const Trace& trace);
    // As above, and moves `now` to the world's time (so open bands and messages reach it).
    void update(const World& world);
    std::shared_ptr<const TimelineData> data() const { return m_data; }
    std::shared_ptr<const TimelineData> snapshot() const { return std::make_shared<TimelineData>(*m_data); }
    std::size_t cursor() const { return m_cursor; }

    // Builds the whole timeline of a trace at once.
    static std::shared_ptr<const TimelineData> build(const Trace& trace);

private:
    struct OpenBand {
        std::uint32_t txn;
        std::uint32_t band;
    };
    struct LaneState {
        std::vector<OpenBand> open;  // at most kTimelineBandSlotsMax
        std::uint32_t pause = kTimelineOpenIndex;  // marker of the pause in progress
    };
    struct ParsedState {
        bool known = false;
        bool isTxn = false;
        bool saga = false;
        std::uint32_t txn = 0;
        TxnPhase phase = TxnPhase::Other;
    };

    void read(const Trace& trace, std::uint32_t index);
    std::uint32_t laneOf(const Trace& trace, std::uint32_t name);
    std::uint32_t intern(std::string_view text);
    const ParsedState& parsedState(const Trace& trace, std::uint32_t text);
    void onState(std::uint32_t lane, const ParsedState& state, SimTime time, std::uint32_t index);
    void openBand(std::uint32_t lane, std::uint32_t txn, TxnPhase phase, bool saga, int slot, SimTime time,
                  std::uint32_t index);
    void closeBand(std::uint32_t band, SimTime time, std::uint32_t index);
    void closeLaneBands(std::uint32_t lane, SimTime time, std::uint32_t index);
    void closePause(std::uint32_t lane, SimTime time, std::uint32_t index);
    void closePartitions(SimTime time, std::uint32_t index, bool cutsToo);
    std::uint32_t addMessage(TimelineMessage message);
    void resolveMessage(std::uint64_t seq, MessageFate fate, SimTime time, std::uint32_t index);

    std::shared_ptr<TimelineData> m_data;
    std::size_t m_cursor = 0;
    std::vector<std::uint32_t> m_laneOfName;  // by trace name id
    std::vector<LaneState> m_lanes;
    std::unordered_map<std::string, std::uint32_t> m_textIds;
    std::vector<ParsedState> m_parsed;           // by trace text id
    std::unordered_map<std::uint64_t, std::uint32_t> m_pending;     // seq -> message, original copy
    std::unordered_map<std::uint64_t, std::uint32_t> m_pendingDup;  // seq -> message, duplicate copy
    std::unordered_map<std::uint64_t, std::uint32_t> m_pendingOps;  // (lane << 40 ^ opId) -> client op
    std::vector<std::uint32_t> m_openPartitions;
};

// Series helpers, shared by the builder and the view.
inline void timelineSeriesAppend(TimelineSeries& series, std::uint32_t item) {
    if (series.items.size() % kTimelineBlockSize == 0) series.blocks.emplace_back();
    series.items.push_back(item);
    series.blocks.back().open++;
}

inline void timelineBlockClose(TimelineBlock& block, SimTime end, std::uint32_t endIndex) {
    if (block.open > 0) block.open--;
    block.maxEnd = std::max(block.maxEnd, end);
    block.maxEndIndex = std::max(block.maxEndIndex, endIndex);
}

}  // namespace distlab
