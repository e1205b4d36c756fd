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
//
// For a view of the whole run, where many items share a pixel, each lane also keeps summaries that are
// counted instead of read item by item: the messages it sent and received in order (how many fall in a
// pixel column is the difference of two binary searches), and per band row and phase the running total of
// the bands' lengths (how long the row was in that phase within a column is the difference of two totals).
// The timelineAdd...() functions below keep all of it in step; the builder and hand-made data use them.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/base/sim_time.h"
#include "core/node/state_machine.h"

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
constexpr int kTxnPhaseCount = int(TxnPhase::Other) + 1;
// The state words of txn_record.h, as the view reads them back (saga phases are read only after "saga").
inline constexpr StateWords<TxnPhase, kTxnPhaseCount - 1> kTxnPhaseWords{{{
    {TxnPhase::Init, "INIT"},
    {TxnPhase::Wait, "WAIT"},
    {TxnPhase::Ready, "READY"},
    {TxnPhase::PreCommit, "PRECOMMIT"},
    {TxnPhase::Commit, "COMMIT"},
    {TxnPhase::Abort, "ABORT"},
    {TxnPhase::End, "END"},
    {TxnPhase::SagaRunning, "RUNNING"},
    {TxnPhase::SagaCompensating, "COMPENSATING"},
    {TxnPhase::SagaDone, "DONE"},
    {TxnPhase::SagaAborted, "ABORTED"},
}}};

inline bool txnPhaseIsSaga(TxnPhase phase) {
    return phase == TxnPhase::SagaRunning || phase == TxnPhase::SagaCompensating || phase == TxnPhase::SagaDone ||
           phase == TxnPhase::SagaAborted;
}

// Header-only, like the structs below, so that views need no link to the builder.
inline TxnPhase txnPhaseFromText(std::string_view state, bool saga) {
    const std::optional<TxnPhase> phase = kTxnPhaseWords.parse(state);
    if (!phase || txnPhaseIsSaga(*phase) != saga) return TxnPhase::Other;
    return *phase;
}

inline std::string_view txnPhaseName(TxnPhase phase) { return kTxnPhaseWords.name(phase); }

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

// When a lane sent (or received) its messages, in order, both in time and in trace events: how many fall
// within a window is the difference of two binary searches. The keys are kept here rather than read
// through message ids, as a search over them would otherwise miss the cache at every step.
struct TimelineMoments {
    std::vector<SimTime> times;
    std::vector<std::uint32_t> indices;
    std::size_t size() const { return times.size(); }
    // Inserts in order: at the end when events come in order, as from the builder.
    void insert(SimTime time, std::uint32_t index) {
        std::size_t pos = times.size();
        while (pos > 0 && (times[pos - 1] > time || (times[pos - 1] == time && indices[pos - 1] > index))) --pos;
        times.insert(times.begin() + std::ptrdiff_t(pos), time);
        indices.insert(indices.begin() + std::ptrdiff_t(pos), index);
    }
};

// The bands of one phase in one row of a lane: their starts and the running totals of their lengths. The
// bands of a row do not overlap and only its last one can be open, so every band but the last of a list is
// closed, and its length is the difference of the next total and its own.
struct TimelinePhaseTotals {
    TxnPhase phase = TxnPhase::Other;
    std::vector<SimTime> starts;              // in order
    std::vector<std::uint32_t> startIndices;  // the same in trace events
    std::vector<SimTime> timeBefore;          // [i]: the summed lengths of the bands before band i
    std::vector<std::uint32_t> eventsBefore;  // the same in trace events (disjoint, so < 2^32)
    std::uint32_t last = 0;                   // the last band's id, for its end
    std::size_t size() const { return starts.size(); }
};

struct TimelineLaneIndex {
    TimelineSeries bandSlots[kTimelineBandSlotsMax];  // within a slot, bands do not overlap
    std::vector<TimelinePhaseTotals> bandPhases[kTimelineBandSlotsMax];  // per slot, one per phase seen
    TimelineSeries clientOps;
    TimelineMoments sends;     // of every message this lane sent
    TimelineMoments receipts;  // of every message delivered to this lane
    // Completed client operations by outcome (Ok, Fail, Unknown: ClientOutcome - 1), when they began and
    // when they ended, each sorted: how many were under way within a window is a difference of two binary
    // searches. Operations still open are listed apart; there are few.
    TimelineMoments opStarts[3];
    TimelineMoments opEnds[3];
    std::vector<std::uint32_t> openOps;
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
    // What the run has, so a legend names only that without reading every item.
    std::uint32_t phasesSeen = 0;   // a bit per TxnPhase of some band
    bool anyDropped = false;
    bool anyDuplicate = false;

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
    // Reads the trace events appended since the last call; costs only those events. After the trace moved
    // back (time travel, see Trace::moveTo) what was read stays: it is the future the run repeats, and
    // reading goes on once the trace gets past it. A trace whose future was dropped needs a new builder.
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

// Appends a band (open, or already closed) to its lane's row band.slot. Within a row only the last band
// may be open: the one before must have been closed.
inline std::uint32_t timelineAddBand(TimelineData& data, const TimelineBand& band) {
    assert(band.lane < data.laneIndex.size() && band.slot < kTimelineBandSlotsMax);
    assert(band.open() || (band.end >= band.start && band.endIndex >= band.startIndex));
    TimelineLaneIndex& index = data.laneIndex[band.lane];
    TimelineSeries& series = index.bandSlots[band.slot];
    assert(series.items.empty() || !data.bands[series.items.back()].open());
    const auto id = static_cast<std::uint32_t>(data.bands.size());
    data.bands.push_back(band);
    timelineSeriesAppend(series, id);
    if (!band.open()) timelineBlockClose(series.blocks.back(), band.end, band.endIndex);

    auto& phases = index.bandPhases[band.slot];
    auto totals = std::find_if(phases.begin(), phases.end(),
                               [&](const TimelinePhaseTotals& t) { return t.phase == band.phase; });
    if (totals == phases.end()) {
        totals = phases.emplace(phases.end());
        totals->phase = band.phase;
    }
    SimTime time = 0;
    std::uint32_t events = 0;
    if (totals->size() > 0) {
        const TimelineBand& last = data.bands[totals->last];
        time = totals->timeBefore.back() + (last.end - last.start);
        events = totals->eventsBefore.back() + (last.endIndex - last.startIndex);
    }
    totals->starts.push_back(band.start);
    totals->startIndices.push_back(band.startIndex);
    totals->timeBefore.push_back(time);
    totals->eventsBefore.push_back(events);
    totals->last = id;

    std::uint8_t& rows = data.lanes[band.lane].bandSlots;
    rows = std::max<std::uint8_t>(rows, static_cast<std::uint8_t>(band.slot + 1));
    data.phasesSeen |= 1u << unsigned(band.phase);
    return id;
}

// Ends the open band `id`, the last of its row.
inline void timelineCloseBand(TimelineData& data, std::uint32_t id, SimTime end, std::uint32_t endIndex) {
    TimelineBand& band = data.bands[id];
    assert(band.open() && end >= band.start && endIndex >= band.startIndex);
    band.end = end;
    band.endIndex = endIndex;
    TimelineSeries& series = data.laneIndex[band.lane].bandSlots[band.slot];
    assert(!series.items.empty() && series.items.back() == id);
    timelineBlockClose(series.blocks.back(), end, endIndex);
}

namespace detail {

inline void timelineMessageEnded(TimelineData& data, std::uint32_t id) {
    const TimelineMessage& message = data.messages[id];
    timelineBlockClose(data.messageBlocks[id / kTimelineBlockSize], message.end, message.endIndex);
    data.anyDropped |= message.fate == MessageFate::Dropped;
    if (message.fate == MessageFate::Delivered) {
        assert(message.to < data.laneIndex.size());
        data.laneIndex[message.to].receipts.insert(message.end, message.endIndex);
    }
}

}  // namespace detail

// Appends a client operation in start order (open, or already completed).
inline std::uint32_t timelineAddClientOp(TimelineData& data, const TimelineClientOp& op) {
    assert(op.lane < data.laneIndex.size());
    assert((op.outcome == ClientOutcome::Open) == (op.end == kTimelineOpen));
    TimelineLaneIndex& index = data.laneIndex[op.lane];
    const auto id = static_cast<std::uint32_t>(data.clientOps.size());
    data.clientOps.push_back(op);
    timelineSeriesAppend(index.clientOps, id);
    if (op.outcome == ClientOutcome::Open) {
        index.openOps.push_back(id);
        return id;
    }
    assert(op.end >= op.start && op.endIndex >= op.startIndex);
    timelineBlockClose(index.clientOps.blocks.back(), op.end, op.endIndex);
    const int k = int(op.outcome) - 1;
    index.opStarts[k].insert(op.start, op.startIndex);
    index.opEnds[k].insert(op.end, op.endIndex);
    return id;
}

// Completes the open client operation `id`.
inline void timelineCompleteClientOp(TimelineData& data, std::uint32_t id, ClientOutcome outcome, SimTime end,
                                     std::uint32_t endIndex) {
    TimelineClientOp& op = data.clientOps[id];
    assert(op.outcome == ClientOutcome::Open && outcome != ClientOutcome::Open && end >= op.start);
    op.end = end;
    op.endIndex = endIndex;
    op.outcome = outcome;
    TimelineLaneIndex& index = data.laneIndex[op.lane];
    TimelineSeries& series = index.clientOps;
    const auto pos = std::lower_bound(series.items.begin(), series.items.end(), op.startIndex,
                                      [&](std::uint32_t a, std::uint32_t start) {
                                          return data.clientOps[a].startIndex < start;
                                      }) -
                     series.items.begin();
    timelineBlockClose(series.blocks[std::size_t(pos) / kTimelineBlockSize], end, endIndex);
    auto open = std::find(index.openOps.begin(), index.openOps.end(), id);
    assert(open != index.openOps.end());
    index.openOps.erase(open);
    const int k = int(outcome) - 1;
    index.opStarts[k].insert(op.start, op.startIndex);
    index.opEnds[k].insert(end, endIndex);
}

// Appends a message in send order (in flight, or already delivered or dropped).
inline std::uint32_t timelineAddMessage(TimelineData& data, const TimelineMessage& message) {
    assert(message.from < data.laneIndex.size());
    assert(message.open() == (message.fate == MessageFate::InFlight));
    const auto id = static_cast<std::uint32_t>(data.messages.size());
    if (id % kTimelineBlockSize == 0) data.messageBlocks.emplace_back();
    data.messageBlocks.back().open++;
    data.messages.push_back(message);
    data.anyDuplicate |= message.duplicate;
    data.laneIndex[message.from].sends.insert(message.sent, message.sendIndex);
    if (!message.open()) detail::timelineMessageEnded(data, id);
    return id;
}

// Ends the message `id`, in flight until now, as delivered or dropped.
inline void timelineResolveMessage(TimelineData& data, std::uint32_t id, MessageFate fate, SimTime end,
                                   std::uint32_t endIndex) {
    TimelineMessage& message = data.messages[id];
    assert(message.open() && fate != MessageFate::InFlight);
    message.end = end;
    message.endIndex = endIndex;
    message.fate = fate;
    detail::timelineMessageEnded(data, id);
}

// --- pixel-column summaries ---------------------------------------------------------------------------
//
// Where more items share a pixel column than can be told apart, a view draws per column what the items
// there add up to. These read the summaries above, not the items: the cost grows with the columns and
// the log of the items per column, not with the run.

// The columns of a window: column c covers [boundary(c), boundary(c + 1)) on the axis, which is simulated
// time, or the trace event index with logical spacing.
struct TimelineColumns {
    double origin = 0;
    double unitsPerColumn = 1;  // > 0
    std::size_t count = 0;
    bool logical = false;
    double boundary(std::size_t c) const { return origin + double(c) * unitsPerColumn; }
};

constexpr std::uint8_t kTimelineNoPhase = 0xff;

namespace detail {

// The first position in [from, size) where below() is false, for a below() that is true and then false:
// a few steps one by one (neighbouring columns are usually a few items apart), then steps of 2, 4, 8...
// and a binary search, so a walk with growing bounds costs the log of each step, not of the whole list.
template <class Below>
[[gnu::always_inline]] inline std::size_t timelineGallop(std::size_t from, std::size_t size, Below below) {
    const std::size_t near = std::min(size, from + 32);
    while (from < near && below(from)) ++from;
    if (from < near || from == size) return from;
    std::size_t lo = from - 1;  // below(lo)
    std::size_t step = 1;
    std::size_t hi = from;
    while (hi < size && below(hi)) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    hi = std::min(hi, size);  // below(hi) is false, or hi is the end
    while (hi - lo > 1) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (below(mid)) lo = mid;
        else hi = mid;
    }
    return hi;
}

template <class Key>
void timelineCountColumns(const std::vector<Key>& keys, const TimelineColumns& columns, int* out) {
    static_assert(sizeof(Key) <= 8);
    const std::size_t size = keys.size();
    const Key* k = keys.data();
    double bound = columns.boundary(0);
    auto below = [&](std::size_t i) { return double(k[i]) < bound; };
    std::size_t before = timelineGallop(0, size, below);
    for (std::size_t c = 0; c < columns.count && before < size; ++c) {
        bound = columns.boundary(c + 1);
        const std::size_t after = timelineGallop(before, size, below);
        out[c] += static_cast<int>(after - before);
        before = after;
    }
}

}  // namespace detail

// Adds to out[c] how many moments (a lane's sends or receipts) fall within column c.
inline void timelineCountColumns(const TimelineMoments& moments, const TimelineColumns& columns, int* out) {
    if (columns.logical) detail::timelineCountColumns(moments.indices, columns, out);
    else detail::timelineCountColumns(moments.times, columns, out);
}

namespace detail {

// For each column, how much of it the bands of one phase cover, from their starts and running totals;
// where that beats covered[c], the phase takes the column.
template <class Start, class Total>
void timelinePhaseCover(const std::vector<Start>& starts, const std::vector<Total>& totals, double lastEnd,
                        std::uint8_t phase, const TimelineColumns& columns, std::uint8_t* out, double* covered) {
    const std::size_t size = starts.size();
    const Start* start = starts.data();
    const Total* before = totals.data();
    double bound = columns.boundary(0);
    auto below = [&](std::size_t i) { return double(start[i]) < bound; };
    // covers(): how much of the axis before `bound` the bands cover: all before the last band that starts
    // before it, and as much of that one as the bound reaches into.
    std::size_t next = 0;  // the first band that starts at or after the bound
    auto covers = [&] {
        next = timelineGallop(next, size, below);
        if (next == 0) return 0.0;
        const std::size_t at = next - 1;
        const double length = next < size ? double(before[next] - before[at]) : lastEnd - double(start[at]);
        return double(before[at]) + std::min(bound - double(start[at]), length);
    };
    double coveredBefore = covers();
    for (std::size_t c = 0; c < columns.count; ++c) {
        bound = columns.boundary(c + 1);
        const double coveredAfter = covers();
        const double share = coveredAfter - coveredBefore;
        if (share > 0 && (share > covered[c] || (share == covered[c] && phase < out[c]))) {
            covered[c] = share;
            out[c] = phase;
        }
        coveredBefore = coveredAfter;
        if (bound >= lastEnd) break;  // nothing of this phase further right
    }
}

}  // namespace detail

namespace detail {

// ranks[c] = how many keys lie before boundary(c), for c in 0..count.
template <class Key>
void timelineRanks(const std::vector<Key>& keys, const TimelineColumns& columns, std::vector<std::size_t>& ranks) {
    ranks.resize(columns.count + 1);
    const Key* k = keys.data();
    double bound = 0;
    auto below = [&](std::size_t i) { return double(k[i]) < bound; };
    std::size_t rank = 0;
    for (std::size_t c = 0; c <= columns.count; ++c) {
        bound = columns.boundary(c);
        rank = timelineGallop(rank, keys.size(), below);
        ranks[c] = rank;
    }
}

inline void timelineRanks(const TimelineMoments& moments, const TimelineColumns& columns,
                          std::vector<std::size_t>& ranks) {
    if (columns.logical) timelineRanks(moments.indices, columns, ranks);
    else timelineRanks(moments.times, columns, ranks);
}

}  // namespace detail

constexpr std::uint8_t kTimelineNoOutcome = 0xff;

// Per column, the outcome of the client operations of `lane` under way within it, the most telling one
// where there are several (a failure, then an unknown outcome, then one still open, then ok), so that no
// failure hides in a crowd; kTimelineNoOutcome where none is. An operation is under way within a column
// when it began before the column's end and did not end before its start; open ones last until `now`.
// `scratch` keeps its memory from call to call.
inline void timelineClientOpColumns(const TimelineData& data, std::uint32_t lane, const TimelineColumns& columns,
                                    std::vector<std::uint8_t>& out, std::vector<std::size_t> (&scratch)[2]) {
    out.assign(columns.count, kTimelineNoOutcome);
    static constexpr int kRank[] = {2, 1, 4, 3};  // by ClientOutcome: Open, Ok, Fail, Unknown
    auto mark = [&](std::size_t c, ClientOutcome outcome) {
        if (out[c] == kTimelineNoOutcome || kRank[int(outcome)] > kRank[out[c]]) out[c] = std::uint8_t(outcome);
    };
    const TimelineLaneIndex& index = data.laneIndex.at(lane);
    auto& [begun, ended] = scratch;
    for (int k = 0; k < 3; ++k) {
        if (index.opStarts[k].size() == 0) continue;
        detail::timelineRanks(index.opStarts[k], columns, begun);
        detail::timelineRanks(index.opEnds[k], columns, ended);
        for (std::size_t c = 0; c < columns.count; ++c)
            if (begun[c + 1] > ended[c]) mark(c, ClientOutcome(k + 1));
    }
    const double now = columns.logical ? double(data.eventCount) : double(data.now);
    const double last = std::min(double(columns.count) - 1, std::floor((now - columns.origin) / columns.unitsPerColumn));
    for (std::uint32_t id : index.openOps) {
        const TimelineClientOp& op = data.clientOps[id];
        const double start = columns.logical ? double(op.startIndex) : double(op.start);
        const double first = std::max(0.0, std::floor((start - columns.origin) / columns.unitsPerColumn));
        for (double c = first; c <= last; ++c) mark(std::size_t(c), ClientOutcome::Open);
    }
}

// Per column, the phase whose bands cover most of it in band row `slot` of `lane` (ties go to the lower
// TxnPhase), or kTimelineNoPhase where no band covers any of it. Open bands reach `now` (eventCount).
// `scratch` keeps its memory from call to call.
inline void timelineDominantPhases(const TimelineData& data, std::uint32_t lane, std::size_t slot,
                                   const TimelineColumns& columns, std::vector<std::uint8_t>& out,
                                   std::vector<double>& scratch) {
    out.assign(columns.count, kTimelineNoPhase);
    scratch.assign(columns.count, 0.0);
    for (const TimelinePhaseTotals& totals : data.laneIndex.at(lane).bandPhases[slot]) {
        if (totals.size() == 0) continue;
        const auto phase = static_cast<std::uint8_t>(totals.phase);
        const TimelineBand& last = data.bands[totals.last];
        if (columns.logical)
            detail::timelinePhaseCover(totals.startIndices, totals.eventsBefore, double(data.endIndexOf(last.endIndex)),
                                       phase, columns, out.data(), scratch.data());
        else
            detail::timelinePhaseCover(totals.starts, totals.timeBefore, double(data.endOf(last.end)), phase, columns,
                                       out.data(), scratch.data());
    }
}

}  // namespace distlab
