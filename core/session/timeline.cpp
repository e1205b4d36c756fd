#include "core/session/timeline.h"

#include <cassert>

#include "core/protocols/txn/txn_record.h"
#include "core/history/trace.h"
#include "core/sim/world.h"

namespace distlab {

namespace {

constexpr std::uint32_t kNoLaneYet = kTimelineNoLane;

std::uint32_t indexOf(std::size_t index) {
    // Event indices are kept in 32 bits; a trace is capped far below 4 billion events.
    assert(index < kTimelineOpenIndex);
    return static_cast<std::uint32_t>(index);
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

}  // namespace

TimelineBuilder::TimelineBuilder() : m_data(std::make_shared<TimelineData>()) {}

std::shared_ptr<const TimelineData> TimelineBuilder::build(const Trace& trace) {
    TimelineBuilder builder;
    builder.update(trace);
    return builder.m_data;
}

void TimelineBuilder::update(const World& world) {
    update(world.trace());
    m_data->now = std::max(m_data->now, world.now());
}

void TimelineBuilder::update(const Trace& trace) {
    const auto& events = trace.events();
    const std::size_t size = events.size();
    for (; m_cursor < size; ++m_cursor) read(trace, indexOf(m_cursor));
    TimelineData& data = *m_data;
    data.eventCount = indexOf(m_cursor);
    if (size > 0) data.now = std::max(data.now, events[size - 1].time);
    data.truncated = data.truncated || trace.truncated();
}

std::uint32_t TimelineBuilder::intern(std::string_view text) {
    auto it = m_textIds.find(std::string(text));
    if (it != m_textIds.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(m_data->texts.size());
    m_data->texts.emplace_back(text);
    m_textIds.emplace(std::string(text), id);
    return id;
}

std::uint32_t TimelineBuilder::laneOf(const Trace& trace, std::uint32_t name) {
    if (name == kNoName) return kNoLaneYet;
    if (name >= m_laneOfName.size()) m_laneOfName.resize(name + 1, kNoLaneYet);
    std::uint32_t& lane = m_laneOfName[name];
    if (lane == kNoLaneYet) {
        lane = static_cast<std::uint32_t>(m_data->lanes.size());
        m_data->lanes.push_back(TimelineLane{trace.name(name), 0});
        m_data->laneIndex.emplace_back();
        m_lanes.emplace_back();
    }
    return lane;
}

const TimelineBuilder::ParsedState& TimelineBuilder::parsedState(const Trace& trace, std::uint32_t text) {
    if (text >= m_parsed.size()) m_parsed.resize(text + 1);
    ParsedState& state = m_parsed[text];
    if (!state.known) {
        state.known = true;
        if (auto parsed = txn::parseTxnState(trace.name(text))) {
            state.isTxn = true;
            state.saga = parsed->saga;
            state.txn = intern(parsed->id);
            state.phase = txnPhaseFromText(parsed->state, parsed->saga);
        }
    }
    return state;
}

void TimelineBuilder::read(const Trace& trace, std::uint32_t index) {
    const TraceEvent& e = trace.events()[index];
    TimelineData& data = *m_data;
    auto marker = [&](std::uint32_t lane, TimelineMarkerKind kind) {
        data.markers.push_back(TimelineMarker{e.time, e.time, index, index, lane, kind});
    };
    switch (e.kind) {
        case TraceKind::NodeAdd: laneOf(trace, e.node); break;
        case TraceKind::NodeRemove:
        case TraceKind::Crash: {
            const std::uint32_t lane = laneOf(trace, e.node);
            // A crash takes the volatile state with it: whatever phase the node showed ends here.
            closeLaneBands(lane, e.time, index);
            closePause(lane, e.time, index);
            marker(lane, e.kind == TraceKind::Crash ? TimelineMarkerKind::Crash : TimelineMarkerKind::Remove);
            break;
        }
        case TraceKind::Restart: marker(laneOf(trace, e.node), TimelineMarkerKind::Restart); break;
        case TraceKind::Pause: {
            const std::uint32_t lane = laneOf(trace, e.node);
            const SimTime until = e.time + static_cast<SimTime>(e.ref);
            LaneState& state = m_lanes[lane];
            if (state.pause != kTimelineOpenIndex) {
                // A pause during a pause extends it.
                TimelineMarker& pause = data.markers[state.pause];
                pause.end = std::max(pause.end, until);
                break;
            }
            state.pause = static_cast<std::uint32_t>(data.markers.size());
            data.markers.push_back(
                TimelineMarker{e.time, until, index, kTimelineOpenIndex, lane, TimelineMarkerKind::Pause});
            break;
        }
        case TraceKind::Resume: {
            const std::uint32_t lane = laneOf(trace, e.node);
            closePause(lane, e.time, index);
            marker(lane, TimelineMarkerKind::Resume);
            break;
        }
        case TraceKind::Send: {
            TimelineMessage message;
            message.seq = e.ref;
            message.sent = e.time;
            message.sendIndex = index;
            message.from = laneOf(trace, e.node);
            // A message to a name that is no node stays on its sender's lane (and is dropped at once).
            const std::uint32_t to =
                e.peer < m_laneOfName.size() ? m_laneOfName[e.peer] : kNoLaneYet;
            message.to = to == kNoLaneYet ? message.from : to;
            message.type = e.ref < trace.messageCount() ? intern(trace.message(e.ref).envelope.body.type)
                                                        : intern("?");
            m_pending[e.ref] = addMessage(message);
            break;
        }
        case TraceKind::Duplicate: {
            auto original = m_pending.find(e.ref);
            if (original == m_pending.end()) break;
            TimelineMessage copy = data.messages[original->second];
            copy.sendIndex = index;  // the copy appears when the network duplicates it
            copy.duplicate = true;
            m_pendingDup[e.ref] = addMessage(copy);
            break;
        }
        case TraceKind::Deliver: resolveMessage(e.ref, MessageFate::Delivered, e.time, index); break;
        case TraceKind::Drop: resolveMessage(e.ref, MessageFate::Dropped, e.time, index); break;
        case TraceKind::Partition: {
            closePartitions(e.time, index, true);  // a new partition replaces every earlier fault
            TimelinePartition span;
            span.start = e.time;
            span.startIndex = index;
            std::string_view text = e.text == kNoName ? std::string_view() : trace.name(e.text);
            while (!text.empty()) {
                const auto bar = text.find('|');
                std::string_view group = trim(text.substr(0, bar));
                text = bar == std::string_view::npos ? std::string_view() : text.substr(bar + 1);
                auto& lanes = span.groups.emplace_back();
                while (!group.empty()) {
                    const auto comma = group.find(',');
                    const std::string_view name = trim(group.substr(0, comma));
                    group = comma == std::string_view::npos ? std::string_view() : group.substr(comma + 1);
                    const std::uint32_t id = trace.find(name);
                    if (id != kNoName) lanes.push_back(laneOf(trace, id));
                }
            }
            m_openPartitions.push_back(static_cast<std::uint32_t>(data.partitions.size()));
            data.partitions.push_back(std::move(span));
            break;
        }
        case TraceKind::Cut: {
            TimelinePartition span;
            span.start = e.time;
            span.startIndex = index;
            span.oneWay = true;
            span.from = laneOf(trace, e.node);
            span.to = laneOf(trace, e.peer);
            m_openPartitions.push_back(static_cast<std::uint32_t>(data.partitions.size()));
            data.partitions.push_back(std::move(span));
            break;
        }
        case TraceKind::Heal: closePartitions(e.time, index, true); break;
        case TraceKind::State: {
            if (e.text == kNoName || e.node == kNoName) break;
            const ParsedState& state = parsedState(trace, e.text);
            if (state.isTxn) onState(laneOf(trace, e.node), state, e.time, index);
            break;
        }
        case TraceKind::Client: {
            if (e.ref >= trace.clientOps().size()) break;
            const ClientOp& op = trace.clientOps()[e.ref];
            const std::uint32_t lane = laneOf(trace, e.node);
            const std::uint64_t key = (std::uint64_t(lane) << 40) ^ static_cast<std::uint64_t>(op.opId);
            TimelineClientOp item;
            item.opId = op.opId;
            item.start = e.time;
            item.startIndex = index;
            item.lane = lane;
            item.f = intern(op.f);
            if (op.phase == OpPhase::Invoke) {
                m_pendingOps[key] = timelineAddClientOp(data, item);
                break;
            }
            const ClientOutcome outcome = op.phase == OpPhase::Ok     ? ClientOutcome::Ok
                                          : op.phase == OpPhase::Fail ? ClientOutcome::Fail
                                                                      : ClientOutcome::Unknown;
            if (auto pending = m_pendingOps.find(key); pending != m_pendingOps.end()) {
                timelineCompleteClientOp(data, pending->second, outcome, e.time, index);
                m_pendingOps.erase(pending);
            } else {
                // A completion without an invocation (a vote or decision recorded as done): an instant.
                item.end = e.time;
                item.endIndex = index;
                item.outcome = outcome;
                timelineAddClientOp(data, item);
            }
            break;
        }
        default: break;
    }
}

std::uint32_t TimelineBuilder::addMessage(TimelineMessage message) { return timelineAddMessage(*m_data, message); }

void TimelineBuilder::resolveMessage(std::uint64_t seq, MessageFate fate, SimTime time, std::uint32_t index) {
    // Copies of one message are told apart by order only: the first to arrive is taken as the original.
    std::uint32_t id;
    if (auto it = m_pending.find(seq); it != m_pending.end()) {
        id = it->second;
        m_pending.erase(it);
    } else if (auto dup = m_pendingDup.find(seq); dup != m_pendingDup.end()) {
        id = dup->second;
        m_pendingDup.erase(dup);
    } else {
        return;
    }
    timelineResolveMessage(*m_data, id, fate, time, index);
}

void TimelineBuilder::onState(std::uint32_t lane, const ParsedState& state, SimTime time, std::uint32_t index) {
    TimelineData& data = *m_data;
    LaneState& laneState = m_lanes[lane];
    auto& open = laneState.open;
    for (std::size_t i = 0; i < open.size(); ++i) {
        if (open[i].txn != state.txn) continue;
        const TimelineBand& band = data.bands[open[i].band];
        if (band.phase == state.phase && band.saga == state.saga) return;  // said again: same band
        const int slot = band.slot;
        closeBand(open[i].band, time, index);
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        openBand(lane, state.txn, state.phase, state.saga, slot, time, index);
        return;
    }
    // A new transaction at this node: the row of a finished one, else a free row, else the oldest row.
    int occupant[kTimelineBandSlotsMax];
    std::fill(std::begin(occupant), std::end(occupant), -1);
    for (std::size_t i = 0; i < open.size(); ++i) occupant[data.bands[open[i].band].slot] = static_cast<int>(i);
    int slot = -1;
    for (int s = 0; s < kTimelineBandSlotsMax && slot < 0; ++s)
        if (occupant[s] >= 0 && txnPhaseFinal(data.bands[open[std::size_t(occupant[s])].band].phase)) slot = s;
    for (int s = 0; s < kTimelineBandSlotsMax && slot < 0; ++s)
        if (occupant[s] < 0) slot = s;
    if (slot < 0) {
        slot = 0;
        for (int s = 1; s < kTimelineBandSlotsMax; ++s)
            if (data.bands[open[std::size_t(occupant[s])].band].start <
                data.bands[open[std::size_t(occupant[slot])].band].start)
                slot = s;
    }
    if (occupant[slot] >= 0) {
        closeBand(open[std::size_t(occupant[slot])].band, time, index);
        open.erase(open.begin() + occupant[slot]);
    }
    openBand(lane, state.txn, state.phase, state.saga, slot, time, index);
}

void TimelineBuilder::openBand(std::uint32_t lane, std::uint32_t txn, TxnPhase phase, bool saga, int slot,
                               SimTime time, std::uint32_t index) {
    TimelineData& data = *m_data;
    TimelineBand band;
    band.start = time;
    band.startIndex = index;
    band.lane = lane;
    band.txn = txn;
    band.phase = phase;
    band.slot = static_cast<std::uint8_t>(slot);
    band.saga = saga;
    const std::uint32_t id = timelineAddBand(data, band);
    m_lanes[lane].open.push_back(OpenBand{txn, id});
}

void TimelineBuilder::closeBand(std::uint32_t id, SimTime time, std::uint32_t index) {
    timelineCloseBand(*m_data, id, time, index);
}

void TimelineBuilder::closeLaneBands(std::uint32_t lane, SimTime time, std::uint32_t index) {
    for (const OpenBand& open : m_lanes[lane].open) closeBand(open.band, time, index);
    m_lanes[lane].open.clear();
}

void TimelineBuilder::closePause(std::uint32_t lane, SimTime time, std::uint32_t index) {
    LaneState& state = m_lanes[lane];
    if (state.pause == kTimelineOpenIndex) return;
    TimelineMarker& pause = m_data->markers[state.pause];
    pause.end = time;
    pause.endIndex = index;
    state.pause = kTimelineOpenIndex;
}

void TimelineBuilder::closePartitions(SimTime time, std::uint32_t index, bool cutsToo) {
    std::vector<std::uint32_t> still;
    for (std::uint32_t id : m_openPartitions) {
        TimelinePartition& span = m_data->partitions[id];
        if (span.oneWay && !cutsToo) {
            still.push_back(id);
            continue;
        }
        span.end = time;
        span.endIndex = index;
    }
    m_openPartitions = std::move(still);
}

}  // namespace distlab
