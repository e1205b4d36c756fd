#include "widgets/queue_view.h"

#include <QFontInfo>
#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

#include "widgets/palette.h"

namespace distlab {

namespace {

// Limits and proportions, in multiples of the body text size f unless named otherwise.
constexpr double kMinBodyPx = 13.34;  // 10 pt at 96 dpi: the smallest text a class can read
constexpr double kMaxScale = 2.4;     // body text grows with the view up to 2.4x the widget font
constexpr double kMinBoxTextPx = 9.5;  // message ids inside their boxes
constexpr double kBoxGap = 0.3;        // between message boxes
constexpr double kGutter = 2.6;        // between the columns, where the arrows run
constexpr double kBrokerlessGutter = 7.5;
constexpr double kProducersShare = 0.2;  // of the width the columns share
constexpr double kBrokerShare = 0.4;
constexpr double kBrokerlessProducersShare = 0.3;
constexpr double kLaneGap = 0.5;
constexpr int kUnconfirmedRowsMax = 6;  // rows of "waiting for confirms" boxes

const QColor kBrokerColor(0xF1, 0xF3, 0xF4);
const QColor kDeadLetterCardColor(0xFD, 0xF3, 0xF2);
const QColor kDeadLetterBorder(0xE6, 0xB0, 0xAA);
const QColor kPausedColor(0xB0, 0x6A, 0x00);
const QColor kMessageFill(0xE8, 0xF0, 0xFE);
const QColor kMessageBorder(0x5F, 0x63, 0x68);
const QColor kPoisonFill(0xFD, 0xE0, 0xDC);
const QColor kArrowColor(0x80, 0x86, 0x8B);

using namespace cards;

struct Fonts {
    QFont body, bold, small, smallBold, title, name, number, box, badge;
    explicit Fonts(const QFont& base, double f)
        : body(fontWithPixelSize(base, f)),
          bold(fontWithPixelSize(base, f, true)),
          small(fontWithPixelSize(base, std::max(kMinBodyPx * 0.9, f * 0.86))),
          smallBold(fontWithPixelSize(base, std::max(kMinBodyPx * 0.9, f * 0.86), true)),
          title(fontWithPixelSize(base, f * 0.95, true)),
          name(fontWithPixelSize(base, f * 1.1, true)),
          number(fontWithPixelSize(base, f * 1.3, true)),
          box(fontWithPixelSize(base, std::max(kMinBoxTextPx, f * 0.74), true)),
          badge(fontWithPixelSize(base, std::max(kMinBoxTextPx, f * 0.74), true)) {}
};

QRect rectOf(double x, double y, double w, double h) {
    return QRect(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)),
                 std::max(0, static_cast<int>(std::lround(w))),
                 std::max(0, static_cast<int>(std::lround(h))));
}

double textWidth(const QFont& font, const QString& text) {
    return QFontMetricsF(font).horizontalAdvance(text);
}

// `text` broken into at most `maxLines` lines of `width` pixels; the last one elided when the text is
// longer than that.
QStringList wrapLines(const QFont& font, const QString& text, double width, int maxLines) {
    QStringList lines;
    if (maxLines <= 0 || width <= 0) return lines;
    QTextLayout textLayout(text, font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    textLayout.setTextOption(option);
    textLayout.beginLayout();
    while (true) {
        QTextLine line = textLayout.createLine();
        if (!line.isValid()) break;
        line.setLineWidth(width);
        if (lines.size() + 1 == maxLines) {
            lines << QFontMetricsF(font).elidedText(text.mid(line.textStart()).trimmed(), Qt::ElideRight, width);
            break;
        }
        lines << text.mid(line.textStart(), line.textLength()).trimmed();
    }
    textLayout.endLayout();
    return lines;
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

bool isDown(NodeStatus status) {
    return status == NodeStatus::Crashed || status == NodeStatus::Removed;
}

QString statusName(NodeStatus status) {
    switch (status) {
        case NodeStatus::Crashed:
            return QueueView::tr("crashed");
        case NodeStatus::Paused:
            return QueueView::tr("paused");
        case NodeStatus::Removed:
            return QueueView::tr("removed");
        case NodeStatus::Up:
            break;
    }
    return {};
}

QString moreText(int hidden) {
    return QueueView::tr("+%1 more").arg(hidden);
}

QString tileLabel(std::size_t i) {
    switch (i) {
        case 0:
            return QueueView::tr("ready");
        case 1:
            return QueueView::tr("unacked");
        case 2:
            return QueueView::tr("redelivered");
        default:
            return QueueView::tr("dead-lettered");
    }
}

std::size_t tileValue(const MqQueueView& q, std::size_t i) {
    switch (i) {
        case 0:
            return q.readyTotal;
        case 1:
            return q.unackedTotal;
        case 2:
            return q.redeliveredTotal;
        default:
            return q.deadLettered;
    }
}

QString durabilityText(const MqQueueView& q) {
    return q.durable ? QueueView::tr("durable") : QueueView::tr("transient");
}

QString windowInfo(const QueueSnapshot& mq, const MqConsumerView* c, std::int64_t prefetch) {
    QString info;
    if (mq.mode == "brokerless") {
        info = prefetch > 0 ? QueueView::tr("buffer %1 (HWM)").arg(prefetch) : QueueView::tr("buffer unbounded");
    } else {
        info = prefetch > 0 ? QueueView::tr("prefetch %1").arg(prefetch) : QueueView::tr("prefetch unlimited");
    }
    if (c && c->idempotent) info += QStringLiteral(" · ") + QueueView::tr("idempotent");
    return info;
}

QStringList producerLines(const QueueSnapshot& mq, const MqProducerView& p) {
    QStringList lines;
    if (mq.mode == "brokerless") {
        lines << QueueView::tr("pushed: %1").arg(p.published);
        if (p.toPublish > 0) lines << QueueView::tr("still to send: %1").arg(p.toPublish);
        lines << QueueView::tr("no confirms: at most once");
    } else {
        lines << QueueView::tr("published: %1").arg(p.published);
        lines << QueueView::tr("confirmed: %1").arg(p.confirmed);
        if (p.toPublish > 0) lines << QueueView::tr("still to send: %1").arg(p.toPublish);
    }
    return lines;
}

std::size_t unconfirmedTotal(const MqProducerView& p) {
    const std::size_t pending = p.published > p.confirmed ? static_cast<std::size_t>(p.published - p.confirmed) : 0;
    return std::max(p.unconfirmed.size(), pending);
}

QString duplicateText(const MqDuplicateEffect& d) {
    QStringList who;
    for (const std::string& c : d.consumers) who << qs(c);
    const QString list = who.join(QStringLiteral(", "));
    if (d.consumers.size() == 2) return QueueView::tr("%1 applied twice: %2").arg(qs(d.messageId), list);
    return QueueView::tr("%1 applied %2 times: %3").arg(qs(d.messageId)).arg(d.consumers.size()).arg(list);
}

QString duplicatesLine(const QueueSnapshot& mq) {
    QStringList parts;
    for (const MqDuplicateEffect& d : mq.duplicates) parts << duplicateText(d);
    return QueueView::tr("Effects applied more than once: %1").arg(parts.join(QStringLiteral("; ")));
}

QString effectsLine(const QueueSnapshot& mq) {
    return QueueView::tr("Effects applied at the ledger: %1").arg(mq.effectsApplied);
}

QString verdictLine(const QueueSnapshot& mq) {
    if (mq.lost > 0) {
        return mq.mode == "brokerless" ? QueueView::tr("messages lost: %1").arg(mq.lost)
                                       : QueueView::tr("confirmed but never delivered: %1").arg(mq.lost);
    }
    if (mq.duplicates.empty() && mq.effectsApplied > 0) return QueueView::tr("no message applied twice");
    return {};
}

// The counts under a lane, one after the other.
struct CountSegment {
    QString text;
    QColor ink;
    bool bold = false;
};

std::vector<CountSegment> countSegments(bool brokerless, const MqConsumerView* c, const MqChannelView* ch) {
    std::vector<CountSegment> segments;
    if (c) {
        if (brokerless) {
            segments.push_back({QueueView::tr("received %1").arg(c->received), kInkColor, false});
            segments.push_back({QueueView::tr("effects %1").arg(c->effects), kInkColor, false});
            segments.push_back(
                {QueueView::tr("lost %1").arg(c->lost), c->lost > 0 ? faultColor() : kMutedInkColor, c->lost > 0});
        } else {
            segments.push_back({QueueView::tr("acked %1").arg(c->acked), kInkColor, false});
            segments.push_back({QueueView::tr("effects %1").arg(c->effects), kInkColor, false});
            if (c->idempotent || c->skipped > 0)
                segments.push_back({QueueView::tr("skipped %1").arg(c->skipped), kInkColor, false});
            if (c->nacked > 0) segments.push_back({QueueView::tr("nacked %1").arg(c->nacked), kInkColor, false});
        }
    } else if (ch) {
        segments.push_back({QueueView::tr("unacked %1").arg(ch->unackedTotal), kInkColor, false});
    }
    return segments;
}

// Places up to `count` boxes of a source list holding `total` messages in `area`, row by row (right to
// left when `rightToLeft`), keeping room for "+N more" after the last one when not all fit.
void placeBoxes(MqBoxRowLayout& row, const QRect& area, std::size_t count, std::size_t total, QSize box,
                double gap, double moreW, int maxRows, bool rightToLeft) {
    row.area = area;
    total = std::max(total, count);
    if (area.width() < box.width() || area.height() < box.height() || maxRows < 1) {
        row.hidden = static_cast<int>(total);
        if (total > 0 && area.width() > 0 && area.height() > 0) row.more = area;
        return;
    }
    const double cellW = box.width() + gap;
    const double cellH = box.height() + gap;
    const int cols = std::max(1, static_cast<int>(std::floor((area.width() + gap) / cellW)));
    const int rows = std::clamp(static_cast<int>(std::floor((area.height() + gap) / cellH)), 1, maxRows);
    const int capacity = cols * rows;
    const int moreCells = std::clamp(static_cast<int>(std::ceil((moreW + gap) / cellW)), 1, cols);
    int shown = static_cast<int>(std::min<std::size_t>(count, static_cast<std::size_t>(capacity)));
    if (total > static_cast<std::size_t>(shown))
        shown = std::min(static_cast<int>(count), std::max(0, capacity - moreCells));
    auto cell = [&](int index) {
        const int r = index / cols;
        const int c = index % cols;
        const double x = rightToLeft ? area.right() + 1 - (c + 1) * box.width() - c * gap
                                     : area.left() + c * cellW;
        return rectOf(x, area.top() + r * cellH, box.width(), box.height());
    };
    for (int i = 0; i < shown; ++i) row.boxes.push_back(cell(i));
    row.hidden = static_cast<int>(total) - shown;
    if (row.hidden > 0) {
        int first = shown;
        if (first % cols + moreCells > cols) first += cols - first % cols;  // start a new row
        const QRect a = cell(first);
        const QRect b = cell(std::min(first + moreCells - 1, (first / cols) * cols + cols - 1));
        row.more = a.united(b);
    }
}

struct QueueGroup {
    int main = -1;        // a queue that is not a dead-letter queue, or -1
    int deadLetter = -1;  // its dead-letter queue, or a dead-letter queue of its own
};

std::vector<QueueGroup> groupQueues(const QueueSnapshot& mq) {
    std::vector<QueueGroup> groups;
    for (std::size_t i = 0; i < mq.queues.size(); ++i) {
        const MqQueueView& q = mq.queues[i];
        if (q.deadLetter && !groups.empty() && groups.back().main >= 0 && groups.back().deadLetter < 0 &&
            q.name == mq.queues[static_cast<std::size_t>(groups.back().main)].name + ".dlq") {
            groups.back().deadLetter = static_cast<int>(i);
        } else if (q.deadLetter) {
            groups.push_back({-1, static_cast<int>(i)});
        } else {
            groups.push_back({static_cast<int>(i), -1});
        }
    }
    return groups;
}

const MqConsumerView* consumerAt(const QueueSnapshot& mq, int index) {
    return index >= 0 && static_cast<std::size_t>(index) < mq.consumers.size()
               ? &mq.consumers[static_cast<std::size_t>(index)]
               : nullptr;
}

const MqChannelView* channelOf(const QueueSnapshot& mq, const MqLaneLayout& lane) {
    if (lane.queue < 0 || lane.channel < 0 || static_cast<std::size_t>(lane.queue) >= mq.queues.size())
        return nullptr;
    const MqQueueView& q = mq.queues[static_cast<std::size_t>(lane.queue)];
    return static_cast<std::size_t>(lane.channel) < q.channels.size()
               ? &q.channels[static_cast<std::size_t>(lane.channel)]
               : nullptr;
}

// The lanes to draw: one per consumer (with its channel, when it has one), then one per channel whose
// consumer has no entry of its own.
struct LaneSource {
    int consumer = -1;
    int queue = -1;
    int channel = -1;
};

std::vector<LaneSource> laneSources(const QueueSnapshot& mq) {
    std::vector<LaneSource> sources;
    std::vector<std::vector<bool>> used(mq.queues.size());
    for (std::size_t q = 0; q < mq.queues.size(); ++q) used[q].assign(mq.queues[q].channels.size(), false);
    for (std::size_t c = 0; c < mq.consumers.size(); ++c) {
        LaneSource s;
        s.consumer = static_cast<int>(c);
        const MqConsumerView& consumer = mq.consumers[c];
        for (std::size_t q = 0; q < mq.queues.size() && s.channel < 0; ++q) {
            if (!consumer.queue.empty() && mq.queues[q].name != consumer.queue) continue;
            for (std::size_t k = 0; k < mq.queues[q].channels.size(); ++k) {
                if (!used[q][k] && mq.queues[q].channels[k].consumer == consumer.id) {
                    s.queue = static_cast<int>(q);
                    s.channel = static_cast<int>(k);
                    used[q][k] = true;
                    break;
                }
            }
        }
        if (s.queue < 0) {
            for (std::size_t q = 0; q < mq.queues.size(); ++q) {
                if (mq.queues[q].name == consumer.queue) s.queue = static_cast<int>(q);
            }
        }
        sources.push_back(s);
    }
    for (std::size_t q = 0; q < mq.queues.size(); ++q) {
        for (std::size_t k = 0; k < mq.queues[q].channels.size(); ++k) {
            if (!used[q][k]) sources.push_back({-1, static_cast<int>(q), static_cast<int>(k)});
        }
    }
    return sources;
}

// The widest message id anywhere in the picture, so that every box has the same size.
double widestMessageId(const QueueSnapshot& mq, const QFont& font) {
    double w = 0;
    auto measure = [&](const std::vector<MqMessageBox>& boxes) {
        for (const MqMessageBox& b : boxes) w = std::max(w, textWidth(font, qs(b.messageId)));
    };
    for (const MqProducerView& p : mq.producers) measure(p.unconfirmed);
    for (const MqQueueView& q : mq.queues) {
        measure(q.ready);
        for (const MqChannelView& c : q.channels) measure(c.unacked);
    }
    for (const MqConsumerView& c : mq.consumers) {
        measure(c.inbox);
        w = std::max(w, textWidth(font, qs(c.processing)));
    }
    return w;
}

double rBadgeWidth(double f) {
    return 0.62 * f;
}

void layoutProducers(QueueViewLayout& layout, const QueueSnapshot& mq, const Fonts& fonts, double f,
                     const QRect& column) {
    const bool brokerless = layout.brokerless;
    layout.producersTitle = rectOf(column.left(), column.top(), column.width(), 1.5 * f);
    double y = column.top() + 1.6 * f;
    const double bottom = column.bottom() + 1;
    const double pad = 0.5 * f;
    const double lineH = 1.3 * f;
    const QSize box = layout.boxSize;
    const double gap = kBoxGap * f;
    for (std::size_t i = 0; i < mq.producers.size(); ++i) {
        const MqProducerView& p = mq.producers[i];
        const int lines = static_cast<int>(producerLines(mq, p).size());
        const double fixed = 2 * pad + 1.6 * f + lines * lineH;
        const std::size_t waiting = brokerless ? 0 : unconfirmedTotal(p);
        const bool last = i + 1 == mq.producers.size();
        const double reserve = last ? 0 : 1.4 * f;  // room for "+N more" below
        if (y + fixed > bottom - reserve) {
            layout.producersHidden = static_cast<int>(mq.producers.size() - i);
            layout.producersMore = rectOf(column.left(), y, column.width(), 1.3 * f);
            break;
        }
        double h = fixed;
        int rows = 0;
        const double inner = column.width() - 2 * pad;
        if (waiting > 0) {
            const int cols = std::max(1, static_cast<int>(std::floor((inner + gap) / (box.width() + gap))));
            const int need = static_cast<int>((std::min(waiting, kMqBoxesMax + 1) + static_cast<std::size_t>(cols) - 1) /
                                              static_cast<std::size_t>(cols));
            const double room = bottom - reserve - y - fixed - 1.3 * f;
            rows = std::clamp(static_cast<int>(std::floor((room + gap) / (box.height() + gap))), 0,
                              std::min(need, mq.producers.size() > 1 ? 2 : kUnconfirmedRowsMax));
            if (rows > 0) h += 1.3 * f + rows * (box.height() + gap);
        }
        MqProducerLayout pl;
        pl.producer = static_cast<int>(i);
        pl.box = rectOf(column.left(), y, column.width(), h);
        const double left = column.left() + pad + 0.2 * f;
        const double width = column.width() - 2 * pad - 0.2 * f;
        double ty = y + pad;
        const QString status = statusName(p.status);
        double titleW = width;
        if (!status.isEmpty()) {
            const double bw = std::min(textWidth(fonts.badge, status.toUpper()) + 0.9 * f, width * 0.5);
            pl.badge = rectOf(left + width - bw, ty + 0.2 * f, bw, 1.2 * f);
            titleW -= bw + 0.3 * f;
        }
        pl.title = rectOf(left, ty, titleW, 1.6 * f);
        ty += 1.6 * f;
        const QStringList texts = producerLines(mq, p);
        for (int k = 0; k < lines; ++k) {
            pl.lines.push_back(rectOf(left, ty, width, lineH));
            const bool note = brokerless && k + 1 == lines;
            if (textWidth(note ? fonts.small : fonts.body, texts[k]) > width) ++layout.textsCut;
            ty += lineH;
        }
        if (rows > 0) {
            pl.waitingTitle = rectOf(left, ty, width, 1.3 * f);
            ty += 1.3 * f;
            const double moreW = textWidth(fonts.small, moreText(static_cast<int>(waiting)));
            placeBoxes(pl.unconfirmed, rectOf(column.left() + pad, ty, inner, rows * (box.height() + gap)),
                       p.unconfirmed.size(), waiting, box, gap, moreW, rows, false);
        }
        layout.producers.push_back(pl);
        y += h + 0.6 * f;
    }
}

MqQueueCardLayout layoutMainCard(const QueueSnapshot& mq, int index, const Fonts& fonts, double f, double x,
                                 double y, double w, const QSize& box, bool measureOnly, double* height,
                                 int* textsCut) {
    const MqQueueView& q = mq.queues[static_cast<std::size_t>(index)];
    const double pad = 0.55 * f;
    const double inner = w - 2 * pad;
    double tileMin = 0;
    for (std::size_t t = 0; t < 4; ++t) {
        tileMin = std::max({tileMin, textWidth(fonts.small, tileLabel(t)) + 0.8 * f,
                            textWidth(fonts.number, QString::number(tileValue(q, t))) + 0.8 * f});
    }
    const double tileGap = 0.35 * f;
    const int cols = inner >= 4 * tileMin + 3 * tileGap ? 4 : 2;
    const int tileRows = 4 / cols;
    const double tileH = 2.75 * f;
    const bool lost = q.lostInRestart > 0;
    const double h = 2 * pad + 1.7 * f + 0.3 * f + tileRows * tileH + (tileRows - 1) * tileGap +
                     (lost ? 1.35 * f : 0) + 0.3 * f + 1.3 * f + box.height() + 0.2 * f;
    *height = h;
    MqQueueCardLayout card;
    card.queue = index;
    if (measureOnly) return card;
    card.card = rectOf(x, y, w, h);
    const double left = x + pad;
    double cy = y + pad;
    const double bw = std::min(textWidth(fonts.badge, durabilityText(q)) + 1.0 * f, inner * 0.45);
    card.badge = rectOf(left + inner - bw, cy + 0.25 * f, bw, 1.2 * f);
    card.title = rectOf(left, cy, inner - bw - 0.4 * f, 1.7 * f);
    cy += 1.7 * f + 0.3 * f;
    const double tileW = (inner - (cols - 1) * tileGap) / cols;
    const QString head = QueueView::tr("head →");
    const double headW = std::min(textWidth(fonts.small, head) + 0.2 * f, inner * 0.4);
    for (std::size_t t = 0; t < 4; ++t) {
        if (textWidth(fonts.small, tileLabel(t)) > tileW - 0.6 * f) ++*textsCut;
    }
    if (textWidth(fonts.smallBold, QueueView::tr("Ready, in queue order")) > inner - headW - 0.4 * f) ++*textsCut;
    for (int t = 0; t < 4; ++t) {
        const int r = t / cols;
        const int c = t % cols;
        card.tiles[static_cast<std::size_t>(t)] =
            rectOf(left + c * (tileW + tileGap), cy + r * (tileH + tileGap), tileW, tileH);
    }
    cy += tileRows * tileH + (tileRows - 1) * tileGap;
    if (lost) {
        card.lostText = rectOf(left, cy + 0.1 * f, inner, 1.25 * f);
        cy += 1.35 * f;
    }
    cy += 0.3 * f;
    card.headMark = rectOf(left + inner - headW, cy, headW, 1.3 * f);
    card.readyTitle = rectOf(left, cy, inner - headW - 0.4 * f, 1.3 * f);
    cy += 1.3 * f;
    const double moreW = textWidth(fonts.small, moreText(static_cast<int>(q.readyTotal)));
    placeBoxes(card.ready, rectOf(left, cy, inner, box.height()), q.ready.size(), q.readyTotal, box,
               kBoxGap * f, moreW, 1, true);
    return card;
}

MqQueueCardLayout layoutDeadLetterCard(const QueueSnapshot& mq, int index, const Fonts& fonts, double f, double x,
                                       double y, double w, const QSize& box, bool withBoxes) {
    const MqQueueView& q = mq.queues[static_cast<std::size_t>(index)];
    const double pad = 0.45 * f;
    const double inner = w - 2 * pad;
    const bool boxes = withBoxes && q.readyTotal > 0;
    const double h = 2 * pad + 1.5 * f + (boxes ? box.height() + 0.2 * f : 0);
    MqQueueCardLayout card;
    card.queue = index;
    card.deadLetter = true;
    card.card = rectOf(x, y, w, h);
    const QString count = QueueView::tr("messages: %1").arg(q.readyTotal);
    const double cw = std::min(textWidth(fonts.smallBold, count) + 0.4 * f, inner * 0.45);
    card.countText = rectOf(x + pad + inner - cw, y + pad, cw, 1.5 * f);
    card.title = rectOf(x + pad, y + pad, inner - cw - 0.4 * f, 1.5 * f);
    if (boxes) {
        const double moreW = textWidth(fonts.small, moreText(static_cast<int>(q.readyTotal)));
        placeBoxes(card.ready, rectOf(x + pad, y + pad + 1.5 * f, inner, box.height()), q.ready.size(),
                   q.readyTotal, box, kBoxGap * f, moreW, 1, true);
    }
    return card;
}

double deadLetterHeight(const QueueSnapshot& mq, int index, double f, const QSize& box, bool withBoxes) {
    const bool boxes = withBoxes && mq.queues[static_cast<std::size_t>(index)].readyTotal > 0;
    return 0.9 * f + 1.5 * f + (boxes ? box.height() + 0.2 * f : 0);
}

void layoutBroker(QueueViewLayout& layout, const QueueSnapshot& mq, const Fonts& fonts, double f,
                  const QRect& column) {
    const double pad = 0.6 * f;
    const double x = column.left() + pad;
    const double w = column.width() - 2 * pad;
    const double bottom = column.bottom() + 1 - pad;
    const double indent = 1.6 * f;
    const double cardGap = 0.7 * f;
    layout.brokerTitle = rectOf(x, column.top() + 0.3 * f, w, 1.6 * f);
    double y = column.top() + 2.1 * f;
    const std::vector<QueueGroup> groups = groupQueues(mq);
    int hidden = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const QueueGroup& group = groups[g];
        const bool last = g + 1 == groups.size();
        const double reserve = last ? 0 : 1.5 * f;
        if (hidden > 0) {
            hidden += (group.main >= 0 ? 1 : 0) + (group.deadLetter >= 0 ? 1 : 0);
            continue;
        }
        double mainH = 0;
        if (group.main >= 0) layoutMainCard(mq, group.main, fonts, f, x, y, w, layout.boxSize, true, &mainH, &layout.textsCut);
        const double dlqX = group.main >= 0 ? x + indent : x;
        const double dlqW = group.main >= 0 ? w - indent : w;
        const double dlqTop = y + mainH + (group.main >= 0 ? 0.9 * f : 0);
        double dlqH = 0;
        bool dlqBoxes = true;
        if (group.deadLetter >= 0) {
            dlqH = deadLetterHeight(mq, group.deadLetter, f, layout.boxSize, true);
            if (dlqTop + dlqH > bottom - reserve) {
                dlqBoxes = false;
                dlqH = deadLetterHeight(mq, group.deadLetter, f, layout.boxSize, false);
            }
        }
        const bool mainFits = group.main < 0 || y + mainH <= bottom - reserve;
        const bool dlqFits = group.deadLetter < 0 || dlqTop + dlqH <= bottom - reserve;
        if (!mainFits || (group.main < 0 && !dlqFits)) {
            hidden += (group.main >= 0 ? 1 : 0) + (group.deadLetter >= 0 ? 1 : 0);
            continue;
        }
        if (group.main >= 0) {
            layout.queues.push_back(
                layoutMainCard(mq, group.main, fonts, f, x, y, w, layout.boxSize, false, &mainH, &layout.textsCut));
            y += mainH;
        }
        if (group.deadLetter >= 0) {
            if (dlqFits) {
                layout.queues.push_back(layoutDeadLetterCard(mq, group.deadLetter, fonts, f, dlqX, dlqTop,
                                                             dlqW, layout.boxSize, dlqBoxes));
                y = dlqTop + dlqH;
            } else {
                ++hidden;
            }
        }
        y += cardGap;
    }
    layout.queuesHidden = hidden;
    if (hidden > 0) {
        layout.queuesMore = rectOf(x, y, w, 1.3 * f);
        y += 1.3 * f + cardGap;
    }
    const double frameBottom = std::min<double>(column.bottom() + 1, y - cardGap + pad);
    layout.brokerFrame = rectOf(column.left(), column.top(), column.width(),
                                std::max(frameBottom, column.top() + 2.1 * f + pad) - column.top());
}

void layoutLanes(QueueViewLayout& layout, const QueueSnapshot& mq, const Fonts& fonts, double f, const QRect& column) {
    layout.consumersTitle = rectOf(column.left(), column.top(), column.width(), 1.5 * f);
    double y = column.top() + 1.6 * f;
    const double bottom = column.bottom() + 1;
    const QSize box = layout.boxSize;
    const double gap = kBoxGap * f;
    const double pad = 0.45 * f;
    const double windowH = box.height() + 0.5 * f;
    const double laneH = 2 * pad + 1.5 * f + 0.15 * f + windowH + 0.15 * f + 1.35 * f;
    const std::vector<LaneSource> sources = laneSources(mq);
    const int n = static_cast<int>(sources.size());
    int fit = static_cast<int>(std::floor((bottom - y + kLaneGap * f) / (laneH + kLaneGap * f) + 1e-6));
    if (fit < n) {
        fit = static_cast<int>(
            std::floor((bottom - y - 1.4 * f + kLaneGap * f) / (laneH + kLaneGap * f) + 1e-6));
    }
    fit = std::clamp(fit, 0, n);
    for (int i = 0; i < fit; ++i) {
        const LaneSource& src = sources[static_cast<std::size_t>(i)];
        MqLaneLayout lane;
        lane.consumer = src.consumer;
        lane.queue = src.queue;
        lane.channel = src.channel;
        const MqConsumerView* c = consumerAt(mq, src.consumer);
        const MqChannelView* ch = channelOf(mq, lane);
        lane.id = c ? qs(c->id) : ch ? qs(ch->consumer) : QString();
        const NodeStatus status = c ? c->status : ch ? ch->status : NodeStatus::Up;
        lane.row = rectOf(column.left(), y, column.width(), laneH);
        const double left = column.left() + 0.9 * f;
        const double right = column.right() + 1 - 0.6 * f;
        const double width = right - left;
        double ly = y + pad;

        // Title row: dot and id, status badge, window info on the right.
        const QString info =
            windowInfo(mq, c, ch && !layout.brokerless ? ch->prefetch : c ? c->prefetch : 0);
        double idW = std::min(textWidth(fonts.bold, lane.id) + 1.3 * f, width * 0.45);
        double x = left;
        lane.title = rectOf(x, ly, idW, 1.5 * f);
        x += idW + 0.3 * f;
        const QString st = statusName(status);
        if (!st.isEmpty()) {
            const double bw = std::min(textWidth(fonts.badge, st.toUpper()) + 0.9 * f, width * 0.3);
            lane.badge = rectOf(x, ly + 0.15 * f, bw, 1.2 * f);
            x += bw + 0.6 * f;
        }
        if (right - x >= 2.5 * f) lane.info = rectOf(x, ly, right - x, 1.5 * f);
        if (textWidth(fonts.small, info) > right - x) ++layout.textsCut;
        ly += 1.5 * f + 0.15 * f;

        // Window row: the slots on the left, the message being processed on the right.
        // The "working on" label only when it leaves the window room for its places (up to four)
        // and a "+N more".
        const QString working = QueueView::tr("working on");
        const double labelW = textWidth(fonts.small, working) + 0.3 * f;
        const std::int64_t wanted = std::clamp<std::int64_t>(
            layout.brokerless ? (c ? c->prefetch : 0) : (ch ? ch->prefetch : c ? c->prefetch : 0), 1, 4);
        const double windowMin = static_cast<double>(wanted) * (box.width() + gap) + 4.5 * f;
        const bool label = width - (labelW + 0.4 * f + box.width()) - 0.8 * f >= windowMin;
        const double procW = label ? labelW + 0.4 * f + box.width() : box.width();
        lane.processingBox = rectOf(right - box.width(), ly + 0.25 * f, box.width(), box.height());
        if (label) lane.processingLabel = rectOf(right - procW, ly, labelW, windowH);
        const double windowRight = right - procW - 0.8 * f;
        const QRect slotArea =
            rectOf(left + 0.25 * f, ly + 0.25 * f, std::max(0.0, windowRight - left - 0.5 * f), box.height());
        std::int64_t places = 0;
        std::size_t count = 0;
        std::size_t total = 0;
        if (layout.brokerless) {
            places = c ? c->prefetch : 0;
            count = c ? c->inbox.size() : 0;
            total = count;
        } else {
            places = ch ? ch->prefetch : c ? c->prefetch : 0;
            count = ch ? ch->unacked.size() : 0;
            total = ch ? std::max(ch->unackedTotal, count) : 0;
        }
        const double cellW = box.width() + gap;
        const double moreW = textWidth(fonts.small, moreText(static_cast<int>(std::max<std::size_t>(total, 9))));
        double windowEnd = windowRight;
        if (places > 0 && slotArea.width() >= box.width()) {
            const int cols = static_cast<int>(std::floor((slotArea.width() + gap) / cellW));
            int shown = static_cast<int>(std::min<std::int64_t>(places, cols));
            if (places > cols) {
                const int moreCells = std::clamp(static_cast<int>(std::ceil((moreW + gap) / cellW)), 1, cols);
                shown = std::max(0, cols - moreCells);
            }
            lane.placesHidden = static_cast<int>(places - shown);
            for (int k = 0; k < shown; ++k) {
                lane.places.push_back(rectOf(slotArea.left() + k * cellW, slotArea.top(), box.width(), box.height()));
            }
            lane.boxes.area = slotArea;
            const std::size_t boxes = std::min(count, static_cast<std::size_t>(shown));
            lane.boxes.boxes.assign(lane.places.begin(), lane.places.begin() + static_cast<std::ptrdiff_t>(boxes));
            lane.boxes.hidden = static_cast<int>(total - boxes);
            if (lane.placesHidden > 0 || lane.boxes.hidden > 0) {
                const double mx = slotArea.left() + shown * cellW;
                lane.boxes.more = rectOf(mx, slotArea.top(), slotArea.right() + 1 - mx, box.height());
            } else {
                windowEnd = slotArea.left() + shown * cellW - gap + 0.25 * f;
            }
        } else {
            placeBoxes(lane.boxes, slotArea, count, total, box, gap, moreW, 1, false);
        }
        lane.window = rectOf(left, ly, std::max(0.0, windowEnd - left), windowH);
        ly += windowH + 0.15 * f;
        lane.counts = rectOf(left, ly, width, 1.35 * f);
        double countsW = 0;
        for (const CountSegment& seg : countSegments(layout.brokerless, c, ch))
            countsW += textWidth(seg.bold ? fonts.smallBold : fonts.small, seg.text) + 1.1 * f;
        if (countsW - 1.1 * f > width) ++layout.textsCut;
        layout.lanes.push_back(lane);
        y += laneH + kLaneGap * f;
    }
    layout.lanesHidden = n - fit;
    if (layout.lanesHidden > 0) layout.lanesMore = rectOf(column.left(), y, column.width(), 1.3 * f);
}

void layoutArrows(QueueViewLayout& layout, const QueueSnapshot& mq) {
    const bool brokerDown = isDown(mq.brokerStatus);
    auto laneDown = [&](const MqLaneLayout& lane) {
        const MqConsumerView* c = consumerAt(mq, lane.consumer);
        return c && isDown(c->status);
    };
    for (const MqProducerLayout& p : layout.producers) {
        const bool pDown = isDown(mq.producers[static_cast<std::size_t>(p.producer)].status);
        const QPointF from(p.box.right() + 1, p.box.top() + std::min(p.box.height() / 2.0, 2.4 * layout.fontPx));
        if (layout.brokerless) {
            for (const MqLaneLayout& lane : layout.lanes) {
                layout.arrows.push_back(
                    {from, QPointF(lane.row.left(), lane.window.center().y()), pDown || laneDown(lane)});
            }
            continue;
        }
        for (const MqQueueCardLayout& card : layout.queues) {
            if (card.deadLetter) continue;
            layout.arrows.push_back(
                {from, QPointF(card.card.left(), card.ready.area.center().y()), pDown || brokerDown});
        }
    }
    if (layout.brokerless) return;
    for (const MqLaneLayout& lane : layout.lanes) {
        for (const MqQueueCardLayout& card : layout.queues) {
            if (card.queue != lane.queue || card.card.isEmpty()) continue;
            const QRect& area = card.deadLetter ? card.card : card.ready.area;
            layout.arrows.push_back({QPointF(card.card.right() + 1, area.center().y()),
                                     QPointF(lane.row.left(), lane.window.center().y()),
                                     brokerDown || laneDown(lane)});
        }
    }
}

}  // namespace

QColor mqRedeliveredColor() {
    return QColor(0xFF, 0x8C, 0x00);
}

QueueView::QueueView(QWidget* parent) : SnapshotView(parent) {}

QueueView::~QueueView() = default;

QSize QueueView::sizeHint() const {
    return {1000, 560};
}

QSize QueueView::minimumSizeHint() const {
    return {480, 220};
}

namespace {

// What a layout leaves out; a larger text size is only taken when it leaves out no more.
struct LayoutScore {
    int blocksHidden = 0;  // producers, queues and lanes that did not fit
    int boxesHidden = 0;   // message boxes and prefetch places behind a "+N more"
    int partsDropped = 0;  // dead-letter boxes, "working on" labels and lane infos left out
    int textsCut = 0;      // texts that will be elided

    bool noWorseThan(const LayoutScore& other) const {
        return blocksHidden <= other.blocksHidden && boxesHidden <= other.boxesHidden &&
               partsDropped <= other.partsDropped && textsCut <= other.textsCut;
    }
};

LayoutScore scoreOf(const QueueViewLayout& layout) {
    LayoutScore score;
    score.blocksHidden = layout.producersHidden + layout.queuesHidden + layout.lanesHidden;
    score.textsCut = layout.textsCut;
    for (const MqProducerLayout& p : layout.producers) score.boxesHidden += p.unconfirmed.hidden;
    for (const MqQueueCardLayout& card : layout.queues) {
        score.boxesHidden += card.ready.hidden;
        if (card.deadLetter && card.ready.area.isEmpty()) ++score.partsDropped;
    }
    for (const MqLaneLayout& lane : layout.lanes) {
        score.boxesHidden += lane.boxes.hidden + lane.placesHidden;
        if (lane.processingLabel.isEmpty()) ++score.partsDropped;
        if (lane.info.isEmpty()) ++score.partsDropped;
    }
    return score;
}

QueueViewLayout layoutAtSize(const ClusterSnapshot& snapshot, const QRect& rect, const QFont& base, double f) {
    QueueViewLayout layout;
    const QueueSnapshot& mq = snapshot.mq;
    layout.fontPx = f;
    layout.brokerless = mq.mode == "brokerless";
    const Fonts fonts(base, f);
    const double boxW = std::clamp(widestMessageId(mq, fonts.box) + 0.45 * f + rBadgeWidth(f), 2.2 * f, 4.4 * f);
    layout.boxSize = QSize(static_cast<int>(std::lround(boxW)), static_cast<int>(std::lround(1.5 * f)));

    const double margin = 0.6 * f;
    const QRectF inner = QRectF(rect).adjusted(margin, margin, -margin, -margin);

    // Footer: the ledger's effects and, when there are any, the duplicates in red.
    const double lineH = 1.5 * f;
    const int footerLines = mq.duplicates.empty() ? 1 : 2;
    const double footerH = footerLines * lineH + 0.4 * f;
    layout.footer = rectOf(inner.left(), inner.bottom() - footerH, inner.width(), footerH);
    {
        const double y = layout.footer.top() + 0.4 * f;
        const QString verdict = verdictLine(mq);
        const double effectsW = std::min(textWidth(fonts.bold, effectsLine(mq)) + 0.6 * f,
                                         verdict.isEmpty() ? inner.width() : inner.width() * 0.55);
        layout.effectsText = rectOf(inner.left(), y, effectsW, lineH);
        if (!verdict.isEmpty()) {
            layout.verdictText =
                rectOf(inner.left() + effectsW + f, y, inner.width() - effectsW - f, lineH);
        }
        if (!mq.duplicates.empty()) layout.duplicatesText = rectOf(inner.left(), y + lineH, inner.width(), lineH);
    }
    const double bodyBottom = layout.footer.top() - 0.4 * f;
    const double bodyTop = inner.top();
    const double gutter = (layout.brokerless ? kBrokerlessGutter : kGutter) * f;
    const double avail = inner.width() - 2 * gutter;
    const double prodW = avail * (layout.brokerless ? kBrokerlessProducersShare : kProducersShare);
    const double midW = layout.brokerless ? 0 : avail * kBrokerShare;
    const QRect prodColumn = rectOf(inner.left(), bodyTop, prodW, bodyBottom - bodyTop);
    const double midLeft = inner.left() + prodW + gutter;
    const double consLeft = layout.brokerless ? inner.left() + prodW + gutter : midLeft + midW + gutter;
    const QRect consColumn = rectOf(consLeft, bodyTop, inner.right() - consLeft, bodyBottom - bodyTop);
    layoutProducers(layout, mq, fonts, f, prodColumn);
    if (layout.brokerless) {
        layout.middleTitle = rectOf(prodColumn.right() + 1 + 0.5 * f, bodyTop, gutter - f, 2.7 * f);
    } else {
        layoutBroker(layout, mq, fonts, f, rectOf(midLeft, bodyTop, midW, bodyBottom - bodyTop));
    }
    layoutLanes(layout, mq, fonts, f, consColumn);
    layoutArrows(layout, mq);

    // The footer follows the picture rather than the bottom edge, so that a short picture does not
    // leave its verdict stranded under a blank band.
    int contentBottom = layout.middleTitle.isEmpty() ? 0 : layout.middleTitle.bottom();
    for (const MqProducerLayout& p : layout.producers) contentBottom = std::max(contentBottom, p.box.bottom());
    for (const MqLaneLayout& lane : layout.lanes) contentBottom = std::max(contentBottom, lane.row.bottom());
    for (const QRect& r : {layout.producersMore, layout.lanesMore, layout.brokerFrame}) {
        if (!r.isEmpty()) contentBottom = std::max(contentBottom, r.bottom());
    }
    const int lift = layout.footer.top() - static_cast<int>(std::lround(contentBottom + 1.2 * f));
    if (lift > 0) {
        for (QRect* r : {&layout.footer, &layout.effectsText, &layout.verdictText, &layout.duplicatesText}) {
            if (!r->isEmpty()) r->translate(0, -lift);
        }
    }
    return layout;
}


}  // namespace

QueueViewLayout QueueView::layoutFor(const ClusterSnapshot& snapshot, const QRect& rect, const QFont& base) {
    QueueViewLayout layout;
    const double basePx = std::max<double>(kMinBodyPx, QFontInfo(base).pixelSize());
    const QueueSnapshot& mq = snapshot.mq;
    const bool empty = mq.producers.empty() && mq.queues.empty() && mq.consumers.empty();
    if (!mq.active || empty) {
        layout.fontPx =
            std::clamp(std::min(rect.width() / 50.0, rect.height() / 30.0), basePx, basePx * kMaxScale);
        const double width = std::min(rect.width() - 4 * layout.fontPx, 34 * layout.fontPx);
        const double height = rect.height() - 4 * layout.fontPx;
        layout.hint = rectOf(rect.center().x() - width / 2, rect.center().y() - height / 2, width, height);
        return layout;
    }
    // The largest text that shows as much as the smallest does: a view with little in it fills a
    // projector, a crowded one keeps as many messages as it can.
    const double fMin =
        std::clamp(std::min(rect.width() / 72.0, rect.height() / 42.0), basePx, basePx * kMaxScale);
    const double fMax =
        std::clamp(std::min(rect.width() / 54.0, rect.height() / 30.0), basePx, basePx * kMaxScale);
    QueueViewLayout smallest = layoutAtSize(snapshot, rect, base, fMin);
    const LayoutScore best = scoreOf(smallest);
    for (double f = fMax; f > fMin * 1.02; f /= 1.07) {
        QueueViewLayout candidate = layoutAtSize(snapshot, rect, base, f);
        if (scoreOf(candidate).noWorseThan(best)) return candidate;
    }
    return smallest;
}

QString QueueView::nodeAt(const ClusterSnapshot& snapshot, QPointF p) const {
    const QueueSnapshot& mq = snapshot.mq;
    const QueueViewLayout layout = layoutFor(snapshot, rect(), font());
    if (!layout.hint.isEmpty()) return {};
    for (const MqLaneLayout& lane : layout.lanes) {
        if (QRectF(lane.row).contains(p)) return lane.id;
    }
    for (const MqProducerLayout& pl : layout.producers) {
        if (QRectF(pl.box).contains(p)) return qs(mq.producers[static_cast<std::size_t>(pl.producer)].id);
    }
    if (!layout.brokerless && QRectF(layout.brokerFrame).contains(p)) return qs(mq.broker);
    return {};
}

QColor QueueView::colorOf(int node, NodeStatus status) const {
    if (isDown(status)) return crashedColor();
    if (!m_snapshot || node < 0 || static_cast<std::size_t>(node) >= m_snapshot->nodes.size()) {
        return kMutedInkColor;
    }
    return nodeColor(m_snapshot->nodes[static_cast<std::size_t>(node)].colorIndex);
}

namespace {

void drawArrow(QPainter& painter, const MqArrowLayout& arrow, double f) {
    const QLineF line(arrow.from, arrow.to);
    if (line.length() < 1) return;
    const double head = 0.55 * f;
    const QPointF u = (arrow.from - arrow.to) / line.length();
    const QPointF n(-u.y(), u.x());
    const QColor color = arrow.dashed ? crashedColor() : kArrowColor;
    painter.setPen(QPen(color, std::max(1.5, 0.11 * f), arrow.dashed ? Qt::DashLine : Qt::SolidLine,
                        Qt::RoundCap));
    painter.setBrush(Qt::NoBrush);
    painter.drawLine(arrow.from, arrow.to + u * head * 0.8);
    QPolygonF tip;
    tip << arrow.to << arrow.to + u * head + n * head * 0.45 << arrow.to + u * head - n * head * 0.45;
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawPolygon(tip);
}

// A card with a coloured stripe on the left, greyed and dashed when its node is down.
void drawNodeCard(QPainter& painter, const QRect& rect, QColor color, bool down, bool selected, double f) {
    const QRectF r = QRectF(rect).adjusted(0.75, 0.75, -0.75, -0.75);
    if (selected) {
        painter.setPen(QPen(kInkColor, 2.5));
        painter.setBrush(kSelectionColor);
    } else if (down) {
        painter.setPen(QPen(crashedColor(), 1.5, Qt::DashLine));
        painter.setBrush(kTrackColor);
    } else {
        painter.setPen(QPen(kPanelBorder, 1.0));
        painter.setBrush(kCardColor);
    }
    painter.drawRoundedRect(r, 0.35 * f, 0.35 * f);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawRoundedRect(QRectF(r.left() + 1.5, r.top() + 1.5, 0.3 * f, r.height() - 3), 0.15 * f,
                            0.15 * f);
}

}  // namespace

void QueueView::paintBadge(QPainter& painter, const QRect& rect, NodeStatus status, double f) {
    if (rect.isEmpty() || status == NodeStatus::Up) return;
    const Fonts fonts(font(), f);
    const QRectF r(rect);
    painter.setPen(Qt::NoPen);
    painter.setBrush(status == NodeStatus::Paused ? kPausedColor : QColor(0x5F, 0x63, 0x68));
    painter.drawRoundedRect(r, r.height() / 2, r.height() / 2);
    painter.setFont(fonts.badge);
    painter.setPen(Qt::white);
    drawText(painter, r.adjusted(0.35 * f, 0, -0.35 * f, 0), Qt::AlignCenter, statusName(status).toUpper());
}

void QueueView::paintBox(QPainter& painter, const QRect& rect, const MqMessageBox& message, double f,
                         QColor outline) {
    const Fonts fonts(font(), f);
    const QRectF box = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5);
    const double radius = 0.18 * f;
    painter.setPen(Qt::NoPen);
    painter.setBrush(message.poison ? kPoisonFill : kMessageFill);
    painter.drawRoundedRect(box, radius, radius);
    if (message.poison) {
        // Hatched in red: its processing always fails, so it will end in the dead-letter queue.
        QBrush hatch(faultColor(), Qt::BDiagPattern);
        painter.setBrush(hatch);
        painter.drawRoundedRect(box, radius, radius);
    }
    const double thick = std::max(2.5, 0.2 * f);
    QPen border(kMessageBorder, 1.0);
    if (message.redelivered) {
        border = QPen(mqRedeliveredColor(), thick);
    } else if (message.poison) {
        border = QPen(faultColor(), std::max(1.5, 0.12 * f));
    }
    painter.setBrush(Qt::NoBrush);
    painter.setPen(border);
    const double inset = border.widthF() / 2 - 0.5;
    painter.drawRoundedRect(box.adjusted(inset, inset, -inset, -inset), radius, radius);
    if (outline.isValid()) {
        painter.setPen(QPen(outline, std::max(2.0, 0.15 * f)));
        painter.drawRoundedRect(QRectF(rect).adjusted(-2, -2, 2, 2), radius + 2, radius + 2);
    }
    QRectF textRect = box.adjusted(0.2 * f, 0, -0.2 * f, 0);
    if (message.redelivered) {
        // A small orange tab with an "R" in the top right corner.
        const double rw = rBadgeWidth(f);
        const QRectF tab(box.right() - rw, box.top(), rw, box.height() * 0.62);
        painter.setPen(Qt::NoPen);
        painter.setBrush(mqRedeliveredColor());
        painter.drawRoundedRect(tab, radius, radius);
        painter.setFont(fonts.badge);
        painter.setPen(Qt::white);
        drawText(painter, tab, Qt::AlignCenter, tr("R", "a redelivered message"));
        textRect.setRight(tab.left() - 0.05 * f);
    }
    const QString id = qs(message.messageId);
    painter.setFont(fonts.box);
    if (textWidth(fonts.box, id) <= textRect.width() + 0.5) {
        painter.setPen(kInkColor);
        drawText(painter, textRect, Qt::AlignCenter, id);
    }
}

void QueueView::paintMore(QPainter& painter, const MqBoxRowLayout& row, double f, Qt::Alignment align) {
    if (row.hidden <= 0 || row.more.isEmpty()) return;
    const Fonts fonts(font(), f);
    painter.setFont(fonts.small);
    painter.setPen(kMutedInkColor);
    drawText(painter, QRectF(row.more), align | Qt::AlignVCenter, moreText(row.hidden));
}

void QueueView::paintTo(QPainter& painter, const QRect& rect) {
    if (rect.isEmpty()) return;
    const ClusterSnapshot& s = beginPaint(painter, rect);
    const QueueViewLayout layout = layoutFor(s, rect, font());
    if (!layout.hint.isEmpty()) {
        const QString hint =
            s.mq.active
                ? tr("The queue lab has started, but no producer, queue or consumer exists yet. Type "
                     "'queue declare orders', then 'consume orders w1' and 'publish orders --count 10'.")
                : tr("No queue scenario is loaded. Open one of the mq- scenarios (File > Built-in "
                     "scenarios) to watch a broker deliver, redeliver and dead-letter messages, or type "
                     "'queue declare orders' in the console.");
        paintHint(painter, layout.hint, layout.fontPx, hint);
        painter.restore();
        return;
    }
    const double f = layout.fontPx;
    const Fonts fonts(font(), f);
    const QueueSnapshot& mq = s.mq;

    // Column headings.
    painter.setFont(fonts.title);
    painter.setPen(kMutedInkColor);
    drawText(painter, QRectF(layout.producersTitle), Qt::AlignLeft | Qt::AlignVCenter,
             mq.producers.size() == 1 ? tr("Producer") : tr("Producers"));
    drawText(painter, QRectF(layout.consumersTitle), Qt::AlignLeft | Qt::AlignVCenter,
             layout.brokerless ? tr("Subscribers") : tr("Consumers"));
    if (!layout.middleTitle.isEmpty()) {
        painter.setFont(fonts.smallBold);
        const QRectF area(layout.middleTitle);
        const QStringList lines = wrapLines(fonts.smallBold, tr("direct push, no broker"), area.width(), 2);
        const double lineH = area.height() / 2;
        for (qsizetype k = 0; k < lines.size(); ++k) {
            drawText(painter, QRectF(area.left(), area.top() + static_cast<double>(k) * lineH, area.width(), lineH),
                     Qt::AlignHCenter | Qt::AlignVCenter, lines[k]);
        }
    }

    if (!layout.brokerless) paintBroker(painter, layout);
    for (const MqArrowLayout& arrow : layout.arrows) drawArrow(painter, arrow, f);
    for (const MqProducerLayout& p : layout.producers) paintProducer(painter, layout, p);
    for (const MqLaneLayout& lane : layout.lanes) paintLane(painter, layout, lane);
    painter.setFont(fonts.small);
    painter.setPen(kMutedInkColor);
    if (layout.producersHidden > 0)
        drawText(painter, QRectF(layout.producersMore), Qt::AlignLeft | Qt::AlignVCenter,
                 tr("+%1 more producers").arg(layout.producersHidden));
    if (layout.lanesHidden > 0)
        drawText(painter, QRectF(layout.lanesMore), Qt::AlignLeft | Qt::AlignVCenter,
                 layout.brokerless ? tr("+%1 more subscribers").arg(layout.lanesHidden)
                                   : tr("+%1 more consumers").arg(layout.lanesHidden));
    paintFooter(painter, layout);
    painter.restore();
}

void QueueView::paintProducer(QPainter& painter, const QueueViewLayout& layout, const MqProducerLayout& pl) {
    const double f = layout.fontPx;
    const Fonts fonts(font(), f);
    const QueueSnapshot& mq = m_snapshot->mq;
    const MqProducerView& p = mq.producers[static_cast<std::size_t>(pl.producer)];
    const QString id = qs(p.id);
    const bool down = isDown(p.status);
    const QColor color = colorOf(p.node, p.status);
    drawNodeCard(painter, pl.box, color, down, !m_selectedId.isEmpty() && m_selectedId == id, f);
    painter.setFont(fonts.name);
    painter.setPen(down ? crashedColor() : kInkColor);
    drawText(painter, QRectF(pl.title), Qt::AlignLeft | Qt::AlignVCenter, id);
    paintBadge(painter, pl.badge, p.status, f);
    const QStringList lines = producerLines(mq, p);
    for (std::size_t k = 0; k < pl.lines.size() && static_cast<qsizetype>(k) < lines.size(); ++k) {
        const bool note = layout.brokerless && static_cast<qsizetype>(k) + 1 == lines.size();
        painter.setFont(note ? fonts.small : fonts.body);
        painter.setPen(note ? kMutedInkColor : kInkColor);
        drawText(painter, QRectF(pl.lines[k]), Qt::AlignLeft | Qt::AlignVCenter, lines[static_cast<qsizetype>(k)]);
    }
    if (!pl.waitingTitle.isEmpty()) {
        painter.setFont(fonts.smallBold);
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(pl.waitingTitle), Qt::AlignLeft | Qt::AlignVCenter, tr("waiting for a confirm"));
    }
    for (std::size_t k = 0; k < pl.unconfirmed.boxes.size() && k < p.unconfirmed.size(); ++k)
        paintBox(painter, pl.unconfirmed.boxes[k], p.unconfirmed[k], f);
    paintMore(painter, pl.unconfirmed, f, Qt::AlignLeft);
}

void QueueView::paintBroker(QPainter& painter, const QueueViewLayout& layout) {
    const double f = layout.fontPx;
    const Fonts fonts(font(), f);
    const QueueSnapshot& mq = m_snapshot->mq;
    const bool down = isDown(mq.brokerStatus);
    const QString id = qs(mq.broker);
    const bool selected = !m_selectedId.isEmpty() && m_selectedId == id;
    const QRectF frame = QRectF(layout.brokerFrame).adjusted(0.75, 0.75, -0.75, -0.75);
    if (selected) {
        painter.setPen(QPen(kInkColor, 2.5));
        painter.setBrush(kSelectionColor);
    } else if (down) {
        painter.setPen(QPen(crashedColor(), 1.5, Qt::DashLine));
        painter.setBrush(kTrackColor);
    } else {
        painter.setPen(QPen(kPanelBorder, 1.0));
        painter.setBrush(kBrokerColor);
    }
    painter.drawRoundedRect(frame, 0.5 * f, 0.5 * f);

    // Title: a dot in the broker's colour, "Broker <id>", and its status badge.
    const QRectF title(layout.brokerTitle);
    const double radius = 0.35 * f;
    painter.setPen(Qt::NoPen);
    painter.setBrush(colorOf(mq.brokerNode, mq.brokerStatus));
    painter.drawEllipse(QPointF(title.left() + radius, title.center().y()), radius, radius);
    double right = title.right();
    const QString status = statusName(mq.brokerStatus);
    if (!status.isEmpty()) {
        const double bw = std::min(textWidth(fonts.badge, status.toUpper()) + 0.9 * f, title.width() * 0.4);
        const QRect badge = rectOf(title.right() - bw, title.center().y() - 0.6 * f, bw, 1.2 * f);
        paintBadge(painter, badge, mq.brokerStatus, f);
        right = badge.left() - 0.4 * f;
    }
    painter.setFont(fonts.name);
    painter.setPen(down ? crashedColor() : kInkColor);
    // "Broker broker" says nothing twice: the id only when it is not the word itself.
    const QString name =
        id.isEmpty() || id.compare(QStringLiteral("broker"), Qt::CaseInsensitive) == 0 ? tr("Broker")
                                                                                       : tr("Broker %1").arg(id);
    drawText(painter, QRectF(title.left() + 2 * radius + 0.4 * f, title.top(),
                             right - title.left() - 2 * radius - 0.4 * f, title.height()),
             Qt::AlignLeft | Qt::AlignVCenter, name);

    // Dead-letter arrows: from each queue card down into its dead-letter card.
    for (std::size_t i = 1; i < layout.queues.size(); ++i) {
        const MqQueueCardLayout& card = layout.queues[i];
        const MqQueueCardLayout& above = layout.queues[i - 1];
        if (!card.deadLetter || above.deadLetter) continue;
        const double x = above.card.left() + 0.8 * f;
        const QPointF from(x, above.card.bottom() + 1);
        const QPointF to(card.card.left(), card.card.top() + card.card.height() / 2.0);
        painter.setPen(QPen(kDeadLetterBorder.darker(130), std::max(1.5, 0.11 * f)));
        painter.setBrush(Qt::NoBrush);
        QPolygonF path;
        path << from << QPointF(x, to.y()) << to - QPointF(0.45 * f, 0);
        painter.drawPolyline(path);
        QPolygonF tip;
        tip << to << to + QPointF(-0.5 * f, -0.25 * f) << to + QPointF(-0.5 * f, 0.25 * f);
        painter.setPen(Qt::NoPen);
        painter.setBrush(kDeadLetterBorder.darker(130));
        painter.drawPolygon(tip);
    }
    for (const MqQueueCardLayout& card : layout.queues) paintQueueCard(painter, layout, card);
    if (layout.queuesHidden > 0) {
        painter.setFont(fonts.small);
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(layout.queuesMore), Qt::AlignLeft | Qt::AlignVCenter,
                 tr("+%1 more queues").arg(layout.queuesHidden));
    }
}

void QueueView::paintQueueCard(QPainter& painter, const QueueViewLayout& layout, const MqQueueCardLayout& card) {
    const double f = layout.fontPx;
    const Fonts fonts(font(), f);
    const MqQueueView& q = m_snapshot->mq.queues[static_cast<std::size_t>(card.queue)];
    const QRectF box = QRectF(card.card).adjusted(0.75, 0.75, -0.75, -0.75);
    painter.setPen(QPen(card.deadLetter ? kDeadLetterBorder : kPanelBorder, card.deadLetter ? 1.5 : 1.0));
    painter.setBrush(card.deadLetter ? kDeadLetterCardColor : QColor(Qt::white));
    painter.drawRoundedRect(box, 0.35 * f, 0.35 * f);
    painter.setFont(card.deadLetter ? fonts.bold : fonts.name);
    painter.setPen(kInkColor);
    drawText(painter, QRectF(card.title), Qt::AlignLeft | Qt::AlignVCenter, qs(q.name));
    if (card.deadLetter) {
        painter.setFont(fonts.smallBold);
        painter.setPen(q.readyTotal > 0 ? faultColor() : kMutedInkColor);
        drawText(painter, QRectF(card.countText), Qt::AlignRight | Qt::AlignVCenter,
                 tr("messages: %1").arg(q.readyTotal));
    } else {
        // Durable queues survive a broker restart; transient ones lose what they hold.
        const QRectF badge(card.badge);
        painter.setPen(q.durable ? QPen(Qt::NoPen) : QPen(kMutedInkColor, 1.2));
        painter.setBrush(q.durable ? kAcceptedColor : QColor(Qt::white));
        painter.drawRoundedRect(badge.adjusted(0.5, 0.5, -0.5, -0.5), badge.height() / 2, badge.height() / 2);
        painter.setFont(fonts.badge);
        painter.setPen(q.durable ? QColor(Qt::white) : kMutedInkColor);
        drawText(painter, badge.adjusted(0.4 * f, 0, -0.4 * f, 0), Qt::AlignCenter, durabilityText(q));
        for (std::size_t t = 0; t < 4; ++t) {
            const QRectF tile(card.tiles[t]);
            painter.setPen(Qt::NoPen);
            painter.setBrush(kTrackColor);
            painter.drawRoundedRect(tile, 0.3 * f, 0.3 * f);
            const std::size_t value = tileValue(q, t);
            QColor ink = kInkColor;
            if (t == 2 && value > 0) ink = mqRedeliveredColor().darker(125);
            if (t == 3 && value > 0) ink = faultColor();
            painter.setFont(fonts.number);
            painter.setPen(ink);
            const QRectF inner = tile.adjusted(0.3 * f, 0.15 * f, -0.3 * f, -0.2 * f);
            drawText(painter, QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.58),
                     Qt::AlignHCenter | Qt::AlignBottom, QString::number(value));
            painter.setFont(fonts.small);
            painter.setPen(kMutedInkColor);
            drawText(painter,
                     QRectF(inner.left(), inner.top() + inner.height() * 0.58, inner.width(),
                            inner.height() * 0.42),
                     Qt::AlignHCenter | Qt::AlignVCenter, tileLabel(t));
        }
        if (!card.lostText.isEmpty()) {
            painter.setFont(fonts.smallBold);
            painter.setPen(faultColor());
            drawText(painter, QRectF(card.lostText), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("lost in a broker restart: %1").arg(q.lostInRestart));
        }
        painter.setFont(fonts.smallBold);
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(card.readyTitle), Qt::AlignLeft | Qt::AlignVCenter,
                 tr("Ready, in queue order"));
        painter.setFont(fonts.small);
        drawText(painter, QRectF(card.headMark), Qt::AlignRight | Qt::AlignVCenter, tr("head →"));
    }
    for (std::size_t k = 0; k < card.ready.boxes.size() && k < q.ready.size(); ++k)
        paintBox(painter, card.ready.boxes[k], q.ready[k], f);
    paintMore(painter, card.ready, f, Qt::AlignRight);
    if (!card.deadLetter && q.readyTotal == 0 && !card.ready.area.isEmpty()) {
        painter.setFont(fonts.small);
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(card.ready.area), Qt::AlignRight | Qt::AlignVCenter, tr("empty"));
    }
}

void QueueView::paintLane(QPainter& painter, const QueueViewLayout& layout, const MqLaneLayout& lane) {
    const double f = layout.fontPx;
    const Fonts fonts(font(), f);
    const QueueSnapshot& mq = m_snapshot->mq;
    const MqConsumerView* c = consumerAt(mq, lane.consumer);
    const MqChannelView* ch = channelOf(mq, lane);
    const NodeStatus status = c ? c->status : ch ? ch->status : NodeStatus::Up;
    const int node = c ? c->node : ch ? ch->node : -1;
    const bool down = isDown(status);
    const QColor color = colorOf(node, status);
    drawNodeCard(painter, lane.row, color, down, !m_selectedId.isEmpty() && m_selectedId == lane.id, f);

    // Title row.
    painter.setFont(fonts.bold);
    painter.setPen(down ? crashedColor() : kInkColor);
    drawText(painter, QRectF(lane.title), Qt::AlignLeft | Qt::AlignVCenter, lane.id);
    paintBadge(painter, lane.badge, status, f);
    if (!lane.info.isEmpty()) {
        painter.setFont(fonts.small);
        painter.setPen(kMutedInkColor);
        const std::int64_t prefetch = ch && !layout.brokerless ? ch->prefetch : c ? c->prefetch : 0;
        drawText(painter, QRectF(lane.info), Qt::AlignRight | Qt::AlignVCenter, windowInfo(mq, c, prefetch));
    }

    // The window: a frame around its slots, dashed when it has no limit.
    const bool bounded = !lane.places.empty() || lane.placesHidden > 0;
    painter.setPen(QPen(down ? crashedColor() : kMutedInkColor, 1.2, bounded ? Qt::SolidLine : Qt::DashLine));
    painter.setBrush(Qt::white);
    painter.drawRoundedRect(QRectF(lane.window).adjusted(0.5, 0.5, -0.5, -0.5), 0.3 * f, 0.3 * f);
    painter.setPen(QPen(kPanelBorder, 1.0, Qt::DashLine));
    painter.setBrush(Qt::NoBrush);
    for (const QRect& slot : lane.places) painter.drawRoundedRect(QRectF(slot).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2);
    const std::vector<MqMessageBox>* messages = layout.brokerless ? (c ? &c->inbox : nullptr)
                                                                  : (ch ? &ch->unacked : nullptr);
    const std::string processing = c ? c->processing : std::string();
    if (messages) {
        for (std::size_t k = 0; k < lane.boxes.boxes.size() && k < messages->size(); ++k) {
            const MqMessageBox& m = (*messages)[k];
            paintBox(painter, lane.boxes.boxes[k], m, f,
                     !processing.empty() && m.messageId == processing ? color : QColor());
        }
    }
    if (lane.boxes.hidden > 0) {
        paintMore(painter, lane.boxes, f, Qt::AlignLeft);
    } else if (lane.placesHidden > 0 && !lane.boxes.more.isEmpty()) {
        painter.setFont(fonts.small);
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(lane.boxes.more), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("…"));
    }

    // The message being processed, outlined in the consumer's colour.
    if (!lane.processingLabel.isEmpty()) {
        painter.setFont(fonts.small);
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(lane.processingLabel), Qt::AlignRight | Qt::AlignVCenter,
                 processing.empty() ? QString() : tr("working on"));
    }
    if (!processing.empty()) {
        MqMessageBox m;
        m.messageId = processing;
        if (messages) {
            for (const MqMessageBox& b : *messages) {
                if (b.messageId == processing) m = b;
            }
        }
        paintBox(painter, lane.processingBox, m, f, color);
    } else if (!down) {  // a crashed consumer is not idle: its badge says what it is
        painter.setFont(fonts.small);
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(lane.processingBox), Qt::AlignRight | Qt::AlignVCenter, tr("idle"));
    }

    // Counts, one after the other; what does not fit is elided.
    const std::vector<CountSegment> segments = countSegments(layout.brokerless, c, ch);
    const QRectF counts(lane.counts);
    double x = counts.left();
    for (const CountSegment& seg : segments) {
        const QFont& font = seg.bold ? fonts.smallBold : fonts.small;
        const double w = textWidth(font, seg.text);
        const double room = counts.right() - x;
        if (room < 1.5 * f) break;
        painter.setFont(font);
        painter.setPen(seg.ink);
        drawText(painter, QRectF(x, counts.top(), std::min(w + 1, room), counts.height()),
                 Qt::AlignLeft | Qt::AlignVCenter, seg.text);
        x += w + 1.1 * f;
    }
}

void QueueView::paintFooter(QPainter& painter, const QueueViewLayout& layout) {
    const double f = layout.fontPx;
    const Fonts fonts(font(), f);
    const QueueSnapshot& mq = m_snapshot->mq;
    const QRectF footer(layout.footer);
    painter.setPen(QPen(kPanelBorder, 1.0));
    painter.drawLine(QPointF(footer.left(), footer.top() + 0.5), QPointF(footer.right(), footer.top() + 0.5));
    painter.setFont(fonts.bold);
    painter.setPen(kInkColor);
    drawText(painter, QRectF(layout.effectsText), Qt::AlignLeft | Qt::AlignVCenter, effectsLine(mq));
    if (!layout.verdictText.isEmpty()) {
        painter.setFont(fonts.bold);
        painter.setPen(mq.lost > 0 ? faultColor() : kAcceptedColor);
        drawText(painter, QRectF(layout.verdictText), Qt::AlignLeft | Qt::AlignVCenter, verdictLine(mq));
    }
    if (!layout.duplicatesText.isEmpty()) {
        painter.setFont(fonts.bold);
        painter.setPen(faultColor());
        drawText(painter, QRectF(layout.duplicatesText), Qt::AlignLeft | Qt::AlignVCenter, duplicatesLine(mq));
    }
}

}  // namespace distlab
