// Paint benchmark of the space-time view: synthetic runs of 100,000 and 1,000,000 trace events (16 nodes
// exchanging messages in two-phase commits, with client operations, a crash and a partition) into a
// 1920x1080 image, fitted to the whole run and zoomed into a window. Budget: 8 ms per frame.
//
//   build/bin/bench_timeline_view              (all cases)
//   build/bin/bench_timeline_view fit1M
#include <QImage>
#include <QPainter>
#include <QtTest>

#include <memory>
#include <string>

#include "core/session/timeline.h"
#include "widgets/timeline_view.h"

using namespace distlab;

namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// Appends items the way TimelineBuilder does: in trace order, each with its event index.
class Synthetic {
public:
    explicit Synthetic(std::uint32_t lanes) {
        for (std::uint32_t i = 0; i < lanes; ++i) {
            m_d.lanes.push_back({"n" + std::to_string(i + 1), 0});
            m_d.laneIndex.emplace_back();
        }
        m_d.texts = {"t", "prepare", "vote", "commit", "ack", "put"};
    }
    std::uint32_t next() { return m_index++; }
    void band(std::uint32_t lane, TxnPhase phase, SimTime s, std::uint32_t si, SimTime e, std::uint32_t ei) {
        TimelineBand b;
        b.start = s;
        b.end = e;
        b.startIndex = si;
        b.endIndex = ei;
        b.lane = lane;
        b.phase = phase;
        timelineAddBand(m_d, b);
    }
    void message(std::uint32_t from, std::uint32_t to, std::uint32_t type, SimTime s, std::uint32_t si, SimTime e,
                 std::uint32_t ei, MessageFate fate) {
        TimelineMessage m;
        m.seq = m_d.messages.size();
        m.sent = s;
        m.end = e;
        m.sendIndex = si;
        m.endIndex = ei;
        m.from = from;
        m.to = to;
        m.type = type;
        m.fate = fate;
        timelineAddMessage(m_d, m);
    }
    void op(std::uint32_t lane, SimTime s, std::uint32_t si, SimTime e, std::uint32_t ei) {
        TimelineClientOp c;
        c.opId = std::int64_t(m_d.clientOps.size());
        c.start = s;
        c.end = e;
        c.startIndex = si;
        c.endIndex = ei;
        c.lane = lane;
        c.f = 5;
        c.outcome = ClientOutcome::Ok;
        timelineAddClientOp(m_d, c);
    }
    TimelineData& data() { return m_d; }
    std::uint32_t index() const { return m_index; }

private:
    TimelineData m_d;
    std::uint32_t m_index = 0;
};

// Two-phase commits, one after another, each between a coordinator and three participants: 4 states,
// 12 messages (24 events) and a client operation per transaction, every 2 ms of simulated time.
std::shared_ptr<const TimelineData> makeRun(std::size_t events, std::uint64_t seed) {
    const std::uint32_t lanes = 16;
    Synthetic s(lanes);
    std::uint64_t rng = seed;
    SimTime t = 0;
    std::vector<SimTime> bandFrom(lanes, 0);
    std::vector<std::uint32_t> bandFromIndex(lanes, 0);
    std::vector<TxnPhase> phase(lanes, TxnPhase::End);
    auto setPhase = [&](std::uint32_t lane, TxnPhase p, SimTime at, std::uint32_t index) {
        if (at > bandFrom[lane]) s.band(lane, phase[lane], bandFrom[lane], bandFromIndex[lane], at, index);
        phase[lane] = p;
        bandFrom[lane] = at;
        bandFromIndex[lane] = index;
    };
    while (s.index() + 40 < events) {
        const std::uint32_t co = std::uint32_t(splitmix64(rng) % lanes);
        std::uint32_t parts[3];
        for (int i = 0; i < 3; ++i) parts[i] = (co + 1 + std::uint32_t(splitmix64(rng) % (lanes - 1))) % lanes;
        const SimTime start = t;
        const std::uint32_t opStart = s.next();
        setPhase(co, TxnPhase::Wait, t, s.next());
        for (const char type : {1, 2, 3, 4}) {  // prepare, vote, commit, ack
            for (std::uint32_t p : parts) {
                const bool toParticipant = type % 2 == 1;
                const SimTime sent = t + SimTime(splitmix64(rng) % 200);
                const SimTime arrives = sent + 300 + SimTime(splitmix64(rng) % 900);
                const std::uint32_t si = s.next();
                const std::uint32_t ei = s.next();
                const bool lost = splitmix64(rng) % 100 == 0;
                s.message(toParticipant ? co : p, toParticipant ? p : co, std::uint32_t(type), sent, si, arrives, ei,
                          lost ? MessageFate::Dropped : MessageFate::Delivered);
                if (type == 1) setPhase(p, TxnPhase::Ready, arrives, s.next());
                if (type == 3) setPhase(p, TxnPhase::Commit, arrives, s.next());
            }
            t += 400;
            if (type == 2) setPhase(co, TxnPhase::Commit, t, s.next());
        }
        setPhase(co, TxnPhase::End, t, s.next());
        s.op(co, start, opStart, t, s.next());
        t += 400;
    }
    TimelineData& d = s.data();
    d.markers.push_back({t / 3, t / 3, s.index() / 3, s.index() / 3, 2, TimelineMarkerKind::Crash});
    d.markers.push_back({t / 2, t / 2, s.index() / 2, s.index() / 2, 2, TimelineMarkerKind::Restart});
    TimelinePartition split;
    split.start = t / 4;
    split.end = t / 4 + t / 20;
    split.startIndex = s.index() / 4;
    split.endIndex = s.index() / 4 + s.index() / 20;
    split.groups = {{0, 1, 2, 3, 4, 5, 6, 7}, {8, 9, 10, 11, 12, 13, 14, 15}};
    d.partitions.push_back(split);
    d.now = t;
    d.eventCount = s.index();
    return std::make_shared<TimelineData>(std::move(d));
}

}  // namespace

class BenchTimelineView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void fit100k();
    void fit1M();
    void fit1MLogical();
    // A 40 ms window in the middle of the 1,000,000-event run: individual arrows.
    void zoomed1M();
    // A 2 s window: too many arrows, density ticks, but only the visible blocks are read.
    void zoomedDense1M();

private:
    void paint(const std::shared_ptr<const TimelineData>& data, bool logical, double from, double to);
    std::shared_ptr<const TimelineData> m_100k;
    std::shared_ptr<const TimelineData> m_1M;
    QImage m_frame{1920, 1080, QImage::Format_ARGB32_Premultiplied};
};

void BenchTimelineView::initTestCase() {
    m_100k = makeRun(100'000, 1);
    m_1M = makeRun(1'000'000, 2);
    qInfo("100k run: %zu messages, %zu bands; 1M run: %zu messages, %zu bands, %.1f s simulated",
          m_100k->messages.size(), m_100k->bands.size(), m_1M->messages.size(), m_1M->bands.size(),
          toMillis(m_1M->now) / 1000);
}

void BenchTimelineView::paint(const std::shared_ptr<const TimelineData>& data, bool logical, double from,
                              double to) {
    TimelineView view;
    view.setData(data);
    view.setLogicalSpacing(logical);
    {
        QPainter warmup(&m_frame);
        view.paintTo(warmup, m_frame.rect());
    }
    if (to > from) {
        view.setVisibleRange(from, to);
        QPainter again(&m_frame);
        view.paintTo(again, m_frame.rect());
        view.setVisibleRange(from, to);  // now with the plot's real width
    }
    QBENCHMARK {
        QPainter painter(&m_frame);
        view.paintTo(painter, m_frame.rect());
    }
}

void BenchTimelineView::fit100k() { paint(m_100k, false, 0, 0); }
void BenchTimelineView::fit1M() { paint(m_1M, false, 0, 0); }
void BenchTimelineView::fit1MLogical() { paint(m_1M, true, 0, 0); }
void BenchTimelineView::zoomed1M() {
    const double mid = double(m_1M->now) / 2;
    paint(m_1M, false, mid, mid + double(millis(40)));
}
void BenchTimelineView::zoomedDense1M() {
    const double mid = double(m_1M->now) / 2;
    paint(m_1M, false, mid, mid + double(millis(2000)));
}

QTEST_MAIN(BenchTimelineView)
#include "bench_timeline_view.moc"
