#include "core/history/trace.h"

#include <cassert>
#include <iterator>
#include <stdexcept>

namespace distlab {

std::string_view traceKindName(TraceKind kind) {
    switch (kind) {
        case TraceKind::NodeAdd: return "node_add";
        case TraceKind::NodeRemove: return "node_remove";
        case TraceKind::Send: return "send";
        case TraceKind::Deliver: return "deliver";
        case TraceKind::Drop: return "drop";
        case TraceKind::Duplicate: return "duplicate";
        case TraceKind::TimerSet: return "timer_set";
        case TraceKind::TimerFire: return "timer_fire";
        case TraceKind::TimerCancel: return "timer_cancel";
        case TraceKind::Crash: return "crash";
        case TraceKind::Restart: return "restart";
        case TraceKind::Pause: return "pause";
        case TraceKind::Resume: return "resume";
        case TraceKind::Partition: return "partition";
        case TraceKind::Cut: return "cut";
        case TraceKind::Heal: return "heal";
        case TraceKind::State: return "state";
        case TraceKind::Client: return "client";
        case TraceKind::Note: return "note";
    }
    return "note";
}

std::uint32_t Trace::intern(std::string_view text) {
    // Slot by length and edge characters; a hit is confirmed by comparing the text itself.
    const std::size_t slot =
        text.empty() ? 0 : (text.size() * 31 + std::uint8_t(text.front()) * 7 + std::uint8_t(text.back())) % kInternCacheSize;
    const InternSlot& cached = m_internCache[slot];
    if (cached.name && cached.name->size() == text.size() &&
        std::char_traits<char>::compare(cached.name->data(), text.data(), text.size()) == 0)
        return cached.id;
    std::uint32_t id;
    if (auto it = m_nameIds.find(text); it != m_nameIds.end()) {
        id = it->second;
    } else {
        id = static_cast<std::uint32_t>(m_names.size());
        m_names.emplace_back(text);
        m_nameIds.emplace(m_names.back(), id);
    }
    m_internCache[slot] = InternSlot{&m_names[id], id};
    return id;
}

Trace::Mark Trace::mark() const {
    return Mark{m_events.size(), m_messages.size(), m_clientOps.size(), m_messageBytes, m_messagesFull, m_truncated};
}

bool Trace::reaches(const Mark& mark) const {
    if (mark.events <= m_events.size())
        return mark.messages <= m_messages.size() && mark.clientOps <= m_clientOps.size();
    return mark.events <= m_events.retained() && mark.messages >= m_messages.size() &&
           mark.messages - m_messages.size() <= m_futureMessages.size() && mark.clientOps >= m_clientOps.size() &&
           mark.clientOps - m_clientOps.size() <= m_futureOps.size();
}

namespace {

// Moves the tail of `present` from `size` on to the front of `future`, or the front of `future` to the end
// of `present` until it has `size` elements.
template <class Present, class Future>
void shift(Present& present, Future& future, std::size_t size) {
    if (size < present.size()) {
        const auto from = present.begin() + std::ptrdiff_t(size);
        future.insert(future.begin(), std::make_move_iterator(from), std::make_move_iterator(present.end()));
        present.erase(from, present.end());
    } else {
        const auto until = future.begin() + std::ptrdiff_t(size - present.size());
        present.insert(present.end(), std::make_move_iterator(future.begin()), std::make_move_iterator(until));
        future.erase(future.begin(), until);
    }
}

}  // namespace

void Trace::moveTo(const Mark& mark) {
    if (!reaches(mark)) throw std::logic_error("Trace::moveTo: the mark is not in this trace's past or retained future");
    if (mark.events <= m_events.size())
        m_events.truncate(mark.events);
    else
        m_events.extend(mark.events);
    shift(m_messages, m_futureMessages, mark.messages);
    shift(m_clientOps, m_futureOps, mark.clientOps);
    m_messageBytes = mark.messageBytes;
    m_messagesFull = mark.messagesFull;
    m_truncated = mark.truncated;
}

void Trace::dropFuture() {
    if (m_events.retained() == m_events.size() && m_futureMessages.empty() && m_futureOps.empty()) return;
    ++m_futuresDropped;
    m_events.dropRetained();
    m_futureMessages.clear();
    m_futureOps.clear();
}

const std::string& Trace::name(std::uint32_t id) const {
    static const std::string kEmpty;
    return id < m_names.size() ? m_names[id] : kEmpty;
}

std::uint32_t Trace::find(std::string_view text) const {
    auto it = m_nameIds.find(text);
    return it == m_nameIds.end() ? kNoName : it->second;
}

const TraceEvent& Trace::append(SimTime time, TraceKind kind, std::uint32_t node, std::uint32_t peer,
                                std::uint32_t text, std::uint64_t ref) {
    if (m_truncated) return m_events.back();  // the closing note
    if (m_events.size() + 1 >= m_eventsMax || m_messagesFull) {
        // The last slot says why the record ends here.
        m_truncated = true;
        kind = TraceKind::Note;
        node = peer = kNoName;
        ref = 0;
        text = intern("trace limit reached: later events are not recorded");
    }
    return m_events.emplace_back(TraceEvent{time, kind, node, peer, text, ref});
}

std::uint64_t Trace::addMessage(Envelope envelope, SimTime sentAt) {
    // Message bodies can be large (a handoff's entries); the trace also ends when they add up.
    m_messageBytes += encodedEnvelopeBytes(envelope);
    if (m_messageBytes > m_messageBytesMax) m_messagesFull = true;
    const std::uint64_t seq = m_messages.size();
    m_messages.push_back(MessageRecord{seq, std::move(envelope), sentAt});
    if (!m_futureMessages.empty()) m_futureMessages.pop_front();  // rewritten: the same run, replayed
    return seq;
}

std::vector<std::uint64_t> Trace::clientOpEventIndices() const {
    std::vector<std::uint64_t> out(m_clientOps.size(), kNoTraceEvent);
    std::uint64_t index = 0;  // an event's index is its position in the trace
    for (const TraceEvent& event : m_events) {
        if (event.kind == TraceKind::Client && event.ref < out.size()) out[event.ref] = index;
        ++index;
    }
    return out;
}

std::size_t Trace::addClientOp(ClientOp op) {
    m_clientOps.push_back(std::move(op));
    if (!m_futureOps.empty()) m_futureOps.pop_front();  // rewritten: the same run, replayed
    return m_clientOps.size() - 1;
}

Json Trace::eventToJson(const TraceEvent& event, std::uint64_t index) const {
    Json out = Json::object();
    out["i"] = index;
    out["t_us"] = event.time;
    out["kind"] = traceKindName(event.kind);
    if (event.node != kNoName) out["node"] = name(event.node);
    if (event.peer != kNoName) out["peer"] = name(event.peer);
    switch (event.kind) {
        case TraceKind::Send:
        case TraceKind::Deliver:
        case TraceKind::Drop:
        case TraceKind::Duplicate:
            out["seq"] = event.ref;
            if (event.kind == TraceKind::Send) out["msg"] = envelopeToJson(message(event.ref).envelope);
            if (event.text != kNoName) out["reason"] = name(event.text);
            break;
        case TraceKind::TimerSet:
        case TraceKind::TimerFire:
        case TraceKind::TimerCancel:
            out["timer"] = event.ref;
            if (event.text != kNoName) out["tag"] = name(event.text);
            break;
        case TraceKind::Pause: out["duration_us"] = event.ref; break;
        case TraceKind::Client: {
            const ClientOp& op = m_clientOps.at(event.ref);
            out["op"] = Json{{"id", op.opId}, {"phase", opPhaseName(op.phase)}, {"f", op.f}, {"value", op.value}};
            break;
        }
        default:
            if (event.text != kNoName) out["text"] = name(event.text);
            break;
    }
    return out;
}

void Trace::writeJsonLines(std::ostream& out) const {
    out << Json{{"seed", m_seed}, {"kind", "run"}}.dump() << '\n';
    std::uint64_t index = 0;
    for (const TraceEvent& event : m_events) out << eventToJson(event, index++).dump() << '\n';
}

}  // namespace distlab
