#include "widgets/lock_view.h"

#include <QCoreApplication>
#include <QFontInfo>
#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTextLayout>

#include <algorithm>
#include <array>
#include <cmath>

#include "widgets/palette.h"

namespace distlab {

namespace {

// Limits and proportions, in multiples of the body text size f unless named otherwise.
constexpr double kMinBodyPx = 13.34;  // 10 pt at 96 dpi: the smallest text a class can read
constexpr double kMaxScale = 2.4;     // body text grows with the view up to 2.4x the widget font
constexpr int kGridGapPx = 10;        // between cards
constexpr SimTime kLaneWindowMax = 20 * kMicrosPerSecond;  // longer runs show the most recent 20 s
constexpr SimTime kLaneWindowMin = kMicrosPerSecond;       // a young run still gets a 1 s axis
constexpr int kExplanationLinesMax = 4;
constexpr double kBarMin = 1.0;  // height of one lane bar
constexpr double kBarMax = 1.8;
constexpr double kBarGap = 0.22;    // between the two bars of a lane
constexpr double kLaneGap = 0.55;   // between lanes
constexpr double kRowHeight = 1.3;  // history rows
constexpr double kBoxGap = 2.4;     // between queue boxes: room for a watch arrow

const QColor kConflictCardColor(0xFD, 0xEC, 0xEA);
const QColor kGridColor(0xE3, 0xE5, 0xE8);
const QColor kUnknownColor(0xB0, 0x6A, 0x00);
const QColor kExplanationInk(0x7A, 0x10, 0x10);
const QColor kAttentionColor = kUnknownColor;      // a server clock that is off: amber, not the red of faults
constexpr double kServerBoxGap = 0.6;              // between server boxes
constexpr std::size_t kStorageRowsBeforeBars = 4;  // storage rows that come before taller lane bars

using namespace cards;

// The fonts of one card, derived from the body size f.
struct Fonts {
    QFont body, bold, small, smallBold, title, name, holder, badge;
    QFont label, labelBold;  // small, but never below 10 pt: the server boxes and the storage rows
    explicit Fonts(const QFont& base, double f)
        : body(fontWithPixelSize(base, f)),
          bold(fontWithPixelSize(base, f, true)),
          small(fontWithPixelSize(base, f * 0.86)),
          smallBold(fontWithPixelSize(base, f * 0.86, true)),
          title(fontWithPixelSize(base, f * 0.92, true)),
          name(fontWithPixelSize(base, f * 1.35, true)),
          holder(fontWithPixelSize(base, f * 1.3, true)),
          badge(fontWithPixelSize(base, f * 0.95, true)),
          label(fontWithPixelSize(base, std::max(kMinBodyPx, f * 0.86))),
          labelBold(fontWithPixelSize(base, std::max(kMinBodyPx, f * 0.86), true)) {}
};

QRect rectOf(double x, double y, double w, double h) {
    return QRect(static_cast<int>(std::lround(x)), static_cast<int>(std::lround(y)),
                 std::max(0, static_cast<int>(std::lround(w))),
                 std::max(0, static_cast<int>(std::lround(h))));
}

double textWidth(const QFont& font, const QString& text) {
    return QFontMetricsF(font).horizontalAdvance(text);
}

// A Text from core in the user's language: the template translated in the "Core" context, then %1..%9
// replaced by the arguments. Other % signs are kept, as core's fillTemplate() does.
QString localizeText(const Text& text) {
    if (text.empty()) return {};
    const QString templ = QCoreApplication::translate(kTextContext, text.templ);
    QString out;
    out.reserve(templ.size() + 16);
    for (qsizetype i = 0; i < templ.size(); ++i) {
        const QChar c = templ[i];
        if (c == QLatin1Char('%') && i + 1 < templ.size() && templ[i + 1] >= QLatin1Char('1') &&
            templ[i + 1] <= QLatin1Char('9')) {
            const std::size_t index = static_cast<std::size_t>(templ[i + 1].unicode() - '1');
            if (index < text.args.size()) {
                out += QString::fromStdString(text.args[index]);
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

// `text` broken into at most `maxLines` lines of `width` pixels; the last one elided when the text is
// longer than that.
QStringList wrapLines(const QFont& font, const QString& text, double width, int maxLines) {
    QStringList lines;
    if (maxLines <= 0 || width <= 0) return lines;
    QTextLayout layout(text, font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    layout.beginLayout();
    while (true) {
        QTextLine line = layout.createLine();
        if (!line.isValid()) break;
        line.setLineWidth(width);
        if (lines.size() + 1 == maxLines) {
            lines << QFontMetricsF(font).elidedText(text.mid(line.textStart()).trimmed(), Qt::ElideRight,
                                                    width);
            break;
        }
        lines << text.mid(line.textStart(), line.textLength()).trimmed();
    }
    layout.endLayout();
    return lines;
}

QString modeName(const std::string& mode) {
    if (mode == "redlock") return LockView::tr("Redlock");
    if (mode == "zk") return LockView::tr("ZooKeeper-style lock");
    return LockView::tr("lease lock");
}

QString seconds(SimTime t) {
    return LockView::tr("%1 s").arg(static_cast<double>(t) / kMicrosPerSecond, 0, 'f', 3);
}

QString shortNodeName(const std::string& path) {
    const auto slash = path.rfind('/');
    return QString::fromStdString(slash == std::string::npos ? path : path.substr(slash + 1));
}

QString queueBoxLine1(const LockResourceView& r, const LockWaiter& w) {
    if (r.mode == "zk" && !w.lockNode.empty()) return shortNodeName(w.lockNode);
    return QString::fromStdString(w.client);
}

QString queueBoxLine2(const LockResourceView& r, const LockWaiter& w) {
    if (r.mode != "zk" || w.lockNode.empty()) return {};
    if (w.token > 0) return LockView::tr("%1 · token %2").arg(QString::fromStdString(w.client)).arg(w.token);
    return QString::fromStdString(w.client);
}

QString holderLine(const LockResourceView& r) {
    return r.holder.empty() ? LockView::tr("Lock is free")
                            : LockView::tr("Holder: %1").arg(QString::fromStdString(r.holder));
}

QString tokenLine(const LockResourceView& r) {
    if (r.holder.empty()) return {};
    return r.fencingToken > 0 ? LockView::tr("fencing token %1").arg(r.fencingToken)
                              : LockView::tr("no fencing token");
}

bool hasLease(const ClusterSnapshot& s, const LockResourceView& r) {
    return !r.holder.empty() && r.leaseEndsAt > s.now;
}

QString leaseLine(const ClusterSnapshot& s, const LockResourceView& r, bool brief) {
    const double left = static_cast<double>(r.leaseEndsAt - s.now) / kMicrosPerSecond;
    return brief ? LockView::tr("%1 s left").arg(left, 0, 'f', 2)
                 : LockView::tr("lease ends in %1 s").arg(left, 0, 'f', 2);
}

QString explanationText(const LockResourceView& r) {
    if (!r.conflict()) return {};
    QString text = localizeText(r.conflicts.front().explanation);
    if (text.isEmpty()) {
        const LockConflict& c = r.conflicts.front();
        text =
            LockView::tr("%1 (token %2) and %3 (token %4) both wrote while each believed it held the lock.")
                .arg(QString::fromStdString(c.first))
                .arg(c.firstToken)
                .arg(QString::fromStdString(c.second))
                .arg(c.secondToken);
    }
    if (r.conflicts.size() > 1) {
        text += QLatin1Char(' ') +
                LockView::tr("(%n more conflicts)", nullptr, static_cast<int>(r.conflicts.size() - 1));
    }
    return text;
}

QString statusLine(NodeStatus status) {
    switch (status) {
        case NodeStatus::Crashed:
            return LockView::tr("crashed");
        case NodeStatus::Paused:
            return LockView::tr("paused");
        case NodeStatus::Removed:
            return LockView::tr("removed");
        case NodeStatus::Up:
            break;
    }
    return {};
}

// A "nice" tick step (1, 2 or 5 times a power of ten, in microseconds) for at most `ticksMax` ticks.
SimTime tickStep(SimTime span, int ticksMax) {
    ticksMax = std::max(1, ticksMax);
    SimTime step = 1;
    while (true) {
        for (const SimTime m : {SimTime(1), SimTime(2), SimTime(5)}) {
            if (span / (step * m) <= ticksMax) return step * m;
        }
        step *= 10;
    }
}

QString tickLabel(SimTime t, SimTime step) {
    const int decimals = step >= kMicrosPerSecond        ? 0
                         : step >= 100 * kMicrosPerMilli ? 1
                         : step >= 10 * kMicrosPerMilli  ? 2
                                                         : 3;
    return LockView::tr("%1 s").arg(static_cast<double>(t) / kMicrosPerSecond, 0, 'f', decimals);
}

QString signedNumber(double value, int decimals) {
    const QString number = QString::number(value, 'f', decimals);
    return value > 0 ? QLatin1Char('+') + number : number;
}

// The lock servers' title: Redlock names its quorum, since that is what a client must win.
QString serversTitle(const LockResourceView& r) {
    const int n = static_cast<int>(r.servers.size());
    if (r.mode == "redlock") return LockView::tr("Redlock servers · majority %1 of %2").arg(n / 2 + 1).arg(n);
    return n == 1 ? LockView::tr("Lock server") : LockView::tr("Lock servers");
}

// The lease lock's one server repeats the status line (its holder is the lock's holder) unless its
// clock is off, it is down, or it disagrees: only then is its box worth the room.
bool showServers(const LockResourceView& r) {
    if (r.servers.size() != 1 || r.mode == "redlock") return !r.servers.empty();
    const LockServerView& sv = r.servers.front();
    return sv.status != NodeStatus::Up || sv.clockOffsetMs != 0 || sv.driftPpm != 0 || sv.holder != r.holder;
}

// The client the server has as the holder, on the first line of its box next to the server's id.
QString serverHolderText(const LockServerView& sv) {
    return QString::fromStdString(sv.holder);
}

// The second line of a server box: its status when it is not up, else its lease countdown, else "free".
QString serverLeaseText(const ClusterSnapshot& s, const LockServerView& sv) {
    if (sv.status != NodeStatus::Up) return statusLine(sv.status);
    if (sv.holder.empty()) return LockView::tr("free");
    if (sv.leaseEndsAt <= s.now) return {};
    return LockView::tr("%1 s left")
        .arg(static_cast<double>(sv.leaseEndsAt - s.now) / kMicrosPerSecond, 0, 'f', 1);
}

// The badges of a server whose clock is off: its offset from simulated time, and its drift.
QStringList serverClockBadges(const LockServerView& sv) {
    QStringList badges;
    if (sv.clockOffsetMs != 0) {
        badges << (std::abs(sv.clockOffsetMs) >= 1000
                       ? LockView::tr("clock %1 s").arg(signedNumber(sv.clockOffsetMs / 1000.0, 1))
                       : LockView::tr("clock %1 ms").arg(signedNumber(double(sv.clockOffsetMs), 0)));
    }
    if (sv.driftPpm != 0) badges << LockView::tr("drift %1 ppm").arg(signedNumber(double(sv.driftPpm), 0));
    return badges;
}

// Lines in every server box of `r`: id and holder, lease or status, then as many as the most badges.
int serverBoxLines(const LockResourceView& r) {
    int badges = 0;
    for (const LockServerView& sv : r.servers) badges = std::max(badges, int(serverClockBadges(sv).size()));
    return 2 + badges;
}

double serverLineHeight(const Fonts& fonts, double f) {
    return QFontMetricsF(fonts.label).height() + 0.22 * f;
}

// One size for all the boxes of a resource, so that they line up as a row of equals.
QSizeF serverBoxSize(const ClusterSnapshot& s, const LockResourceView& r, const Fonts& fonts, double f) {
    double w = 4.5 * f;
    for (const LockServerView& sv : r.servers) {
        const double line1 = textWidth(fonts.labelBold, QString::fromStdString(sv.id)) + 0.8 * f +
                             (sv.holder.empty() ? 0 : 0.9 * f) +
                             textWidth(fonts.labelBold, serverHolderText(sv));
        double line = std::max(line1, textWidth(fonts.labelBold, serverLeaseText(s, sv)));
        for (const QString& badge : serverClockBadges(sv))
            line = std::max(line, textWidth(fonts.labelBold, badge) + 1.0 * f);
        w = std::max(w, line + 1.2 * f);
    }
    return {w, serverBoxLines(r) * serverLineHeight(fonts, f) + 0.6 * f};
}

// Boxes per row and rows for `n` boxes of width `boxW` in `width`.
std::pair<int, int> serverGrid(std::size_t n, double boxW, double width, double f) {
    const int perRow =
        std::max(1, static_cast<int>((width + kServerBoxGap * f) / (boxW + kServerBoxGap * f)));
    return {perRow, static_cast<int>((static_cast<int>(n) + perRow - 1) / perRow)};
}

double serversRowWidth(std::size_t n, QSizeF box, double f) {
    return static_cast<double>(n) * box.width() + static_cast<double>(n > 0 ? n - 1 : 0) * kServerBoxGap * f;
}

double serversHeight(const LockResourceView& r, QSizeF box, double width, double f) {
    if (r.servers.empty() || box.width() > width) return 0;
    const int rows = serverGrid(r.servers.size(), box.width(), width, f).second;
    return 1.3 * f + 0.25 * f + rows * box.height() + (rows - 1) * kServerBoxGap * f;
}

void layoutServers(LockCardLayout& card, const LockResourceView& r, QSizeF box, double f, QRect area) {
    card.serversArea = area;
    card.serversTitle = rectOf(area.left(), area.top(), area.width(), 1.3 * f);
    const int perRow = serverGrid(r.servers.size(), box.width(), area.width(), f).first;
    for (std::size_t i = 0; i < r.servers.size(); ++i) {
        const int col = static_cast<int>(i) % perRow;
        const int row = static_cast<int>(i) / perRow;
        card.serverBoxes.push_back(
            rectOf(area.left() + col * (box.width() + kServerBoxGap * f),
                   card.serversTitle.bottom() + 1 + 0.25 * f + row * (box.height() + kServerBoxGap * f),
                   box.width(), box.height()));
    }
}

// The storage's verdict on access `i` of the log; for a refused one, the highest token it had accepted
// before it in the log, when the log still holds that access.
QString storageVerdict(const std::vector<StorageAccess>& log, std::size_t i) {
    const StorageAccess& a = log[i];
    if (a.accepted) return LockView::tr("accepted");
    std::int64_t newer = 0;
    for (std::size_t j = 0; j < i; ++j) {
        if (log[j].accepted) newer = std::max(newer, log[j].token);
    }
    return newer > a.token ? LockView::tr("REFUSED (older than %1)").arg(newer) : LockView::tr("REFUSED");
}

QString storageSeq(const StorageAccess& a) {
    return a.accepted && a.seq > 0 ? LockView::tr("#%1").arg(a.seq) : QStringLiteral("—");
}

QString storageKind(const StorageAccess& a) {
    return a.write ? LockView::tr("write") : LockView::tr("read");
}

QString storageToken(const StorageAccess& a) {
    return a.token > 0 ? LockView::tr("token %1").arg(a.token) : LockView::tr("no token");
}

QString storageTitle(const ClusterSnapshot& s, const LockCardLayout& card) {
    QString title = LockView::tr("Storage (disk)");
    if (s.locks.resources.size() > 1) title += QStringLiteral(" · ") + LockView::tr("all resources");
    if (card.storageRows.size() < s.locks.storageLog.size()) {
        title += QStringLiteral(" · ") +
                 LockView::tr("last %n accesses", nullptr, static_cast<int>(card.storageRows.size()));
    }
    return title;
}

// The columns of a storage row: time, sequence number, client (dot and id), read or write, token, and
// the verdict, which takes the rest. Measured over the whole log so that the columns line up.
std::array<QRectF, 6> storageColumns(const ClusterSnapshot& s, const Fonts& fonts, double f,
                                     const QRectF& row) {
    const std::vector<StorageAccess>& log = s.locks.storageLog;
    std::array<double, 5> widths{};
    for (const StorageAccess& a : log) {
        widths[0] = std::max(widths[0], textWidth(fonts.label, seconds(a.at)));
        widths[1] = std::max(widths[1], textWidth(fonts.label, storageSeq(a)));
        widths[2] =
            std::max(widths[2], 0.9 * f + textWidth(fonts.labelBold, QString::fromStdString(a.client)));
        widths[3] = std::max(widths[3], textWidth(fonts.labelBold, storageKind(a)));
        widths[4] = std::max(widths[4], textWidth(fonts.labelBold, storageToken(a)));
    }
    std::array<QRectF, 6> columns;
    double x = row.left() + 0.3 * f;
    for (std::size_t c = 0; c < 6; ++c) {
        const double w = c < 5 ? widths[c] + 0.2 * f : row.right() - x;
        const double x0 = std::min(x, row.right());
        columns[c] = QRectF(x0, row.top(), std::max(0.0, std::min(w, row.right() - x0)), row.height());
        x += w + 1.1 * f;
    }
    return columns;
}

void layoutQueue(LockCardLayout& card, const LockResourceView& r, const Fonts& fonts, double f, QRect area) {
    card.queueArea = area;
    card.queueTitle = rectOf(area.left(), area.top(), area.width(), 1.3 * f);
    if (r.queue.empty()) return;
    const bool zk = r.mode == "zk";
    const double boxH = zk ? 2.0 * 1.25 * 0.92 * f + 0.7 * f : 1.25 * 0.92 * f + 0.7 * f;
    const bool parent =
        std::any_of(r.queue.begin(), r.queue.end(), [](const LockWaiter& w) { return w.watchesParent; });
    double y = card.queueTitle.bottom() + 1 + 0.25 * f;
    if (parent) y += 1.6 * f + 1.5 * f;  // the parent box and the arrows' run up to it
    const double moreW = textWidth(fonts.small, LockView::tr("+%1 more").arg(99)) + 0.8 * f;
    double x = area.left();
    for (std::size_t i = 0; i < r.queue.size(); ++i) {
        const LockWaiter& w = r.queue[i];
        const double width = std::max({textWidth(fonts.small, queueBoxLine1(r, w)),
                                       textWidth(fonts.smallBold, queueBoxLine2(r, w)), 2.5 * f}) +
                             1.2 * f;
        const bool last = i + 1 == r.queue.size();
        const double limit = area.right() + 1 - (last ? 0 : moreW);
        if (x + width > limit) break;
        card.queueBoxes.push_back(rectOf(x, y, width, boxH));
        x += width + kBoxGap * f;
    }
    card.queueHidden = static_cast<int>(r.queue.size() - card.queueBoxes.size());
    if (card.queueHidden > 0) {
        card.queueMore = rectOf(x - (card.queueBoxes.empty() ? 0 : (kBoxGap - 0.6) * f), y, moreW, boxH);
    }
    const int shown = static_cast<int>(card.queueBoxes.size());
    if (parent && shown > 0) {
        const QString name = LockView::tr("/locks/%1").arg(QString::fromStdString(r.resource));
        const double w = textWidth(fonts.smallBold, name) + 1.4 * f;
        const double spanLeft = card.queueBoxes.front().left();
        const double spanRight = card.queueBoxes.back().right();
        const double px = std::clamp((spanLeft + spanRight - w) / 2, double(area.left()), area.right() - w);
        card.parentBox = rectOf(px, card.queueTitle.bottom() + 1 + 0.25 * f, w, 1.6 * f);
    }
    for (int i = 0; i < shown; ++i) {
        const LockWaiter& w = r.queue[static_cast<std::size_t>(i)];
        const QRectF from(card.queueBoxes[static_cast<std::size_t>(i)]);
        if (w.watchesParent && !card.parentBox.isEmpty()) {
            const QRectF p(card.parentBox);
            const double ex = std::clamp(from.center().x(), p.left() + 0.4 * f, p.right() - 0.4 * f);
            card.arrows.push_back(
                {i, -1, QPointF(from.center().x(), from.top()), QPointF(ex, p.bottom()), false});
        } else if (w.watches >= 0 && w.watches < shown && w.watches != i) {
            const QRectF to(card.queueBoxes[static_cast<std::size_t>(w.watches)]);
            if (w.watches == i - 1) {
                card.arrows.push_back({i, w.watches, QPointF(from.left(), from.center().y()),
                                       QPointF(to.right(), to.center().y()), false});
            } else {
                card.arrows.push_back({i, w.watches, QPointF(from.center().x(), from.bottom()),
                                       QPointF(to.center().x(), to.bottom()), true});
            }
        }
    }
}

double queueHeight(const LockResourceView& r, double f) {
    double h = 1.3 * f;
    if (r.queue.empty()) return h;
    const bool zk = r.mode == "zk";
    h += 0.25 * f + (zk ? 2.0 * 1.25 * 0.92 * f + 0.7 * f : 1.25 * 0.92 * f + 0.7 * f);
    const bool parent =
        std::any_of(r.queue.begin(), r.queue.end(), [](const LockWaiter& w) { return w.watchesParent; });
    if (parent) h += 3.1 * f;
    bool farWatch = false;
    for (std::size_t i = 0; i < r.queue.size(); ++i) {
        const int w = r.queue[i].watches;
        farWatch |= !r.queue[i].watchesParent && w >= 0 && w != static_cast<int>(i) - 1;
    }
    if (farWatch) h += 1.4 * f;
    return h;
}

double queueWidth(const LockResourceView& r, const Fonts& fonts, double f) {
    double w = textWidth(fonts.title, LockView::tr("Waiting")) + f;
    double boxes = 0;
    for (const LockWaiter& waiter : r.queue) {
        boxes += std::max({textWidth(fonts.small, queueBoxLine1(r, waiter)),
                           textWidth(fonts.smallBold, queueBoxLine2(r, waiter)), 2.5 * f}) +
                 1.2 * f + kBoxGap * f;
    }
    return std::max(w, boxes);
}

LockCardLayout layoutCard(const ClusterSnapshot& s, int index, const QRect& cardRect, const QFont& base,
                          double f) {
    const LockResourceView& r = s.locks.resources[static_cast<std::size_t>(index)];
    const Fonts fonts(base, f);
    LockCardLayout card;
    card.resource = index;
    card.card = cardRect;
    const double pad = 0.7 * f;
    const double gap = 0.55 * f;
    const double left = cardRect.left() + pad;
    const double width = cardRect.width() - 2 * pad;
    const double top = cardRect.top() + pad;
    const double bottom = cardRect.bottom() + 1 - pad;
    double y = top;

    // Header: name, mode and fencing, with the conflict badge on the right.
    const double headerH = 1.9 * f;
    double headerW = width;
    if (r.conflict()) {
        const double bw = textWidth(fonts.badge, LockView::tr("CONFLICT")) + 1.4 * f;
        card.badge = rectOf(left + width - bw, y + (headerH - 1.5 * f) / 2, bw, 1.5 * f);
        headerW -= bw + gap;
    }
    card.header = rectOf(left, y, headerW, headerH);
    y += headerH + gap * 0.5;

    // Status: holder, token, lease countdown.
    const double statusH = 2.0 * f;
    {
        double x = left;
        const double holderW = std::min(textWidth(fonts.holder, holderLine(r)) + 1.6 * f, width * 0.45);
        card.holderText = rectOf(x, y, holderW, statusH);
        x += holderW + f;
        const QString token = tokenLine(r);
        if (!token.isEmpty()) {
            const double tokenW = std::min(textWidth(fonts.bold, token) + 0.5 * f, left + width - x);
            card.tokenText = rectOf(x, y, tokenW, statusH);
            x += tokenW + 1.5 * f;
        }
        if (hasLease(s, r) && x < left + width - 3 * f) {
            // The full sentence when it fits with a bar, else the short form.
            const double full =
                textWidth(fonts.body, LockView::tr("lease ends in %1 s").arg(QStringLiteral("00.00")));
            const double brief =
                textWidth(fonts.body, LockView::tr("%1 s left").arg(QStringLiteral("00.00")));
            const double room = left + width - x - 3.5 * f;
            const double leaseW = std::min((full <= room ? full : brief) + 0.5 * f, left + width - x);
            card.leaseText = rectOf(x, y, leaseW, statusH);
            x += leaseW + 0.5 * f;
            const double barW = std::min(left + width - x, 12 * f);
            if (barW >= 3 * f) card.leaseBar = rectOf(x, y + statusH / 2 - 0.3 * f, barW, 0.6 * f);
        }
    }
    y += statusH + gap;

    // What the rest needs, from the most to the least important: the lanes of two clients (a conflict
    // needs two; when some are waiting, the queue comes before the second), the conflict's explanation,
    // the other lanes, then the history, then taller bars.
    const std::size_t laneCount = r.lanes.size();
    const double laneMin = 2 * kBarMin * f + kBarGap * f + kLaneGap * f;
    const double lanesFixed = 1.5 * f + 1.6 * f;  // title and axis
    const double qH = queueHeight(r, f);
    const double historyMinH = 2.5 * f + kRowHeight * f;
    const double historyFullH =
        2.5 * f + kRowHeight * f * static_cast<double>(std::max<std::size_t>(1, r.history.size()));
    const bool historyFits = width >= 22 * f;
    // Side by side when the queue's boxes leave the history enough room, else the history goes below.
    const bool stacked = historyFits && queueWidth(r, fonts, f) > width * 0.58;
    // The lock servers join the queue's column when their boxes fit there in one row, else they get a
    // row across the card.
    const bool servers = showServers(r);
    const QSizeF serverBox = servers ? serverBoxSize(s, r, fonts, f) : QSizeF();
    const double serversW = serversRowWidth(r.servers.size(), serverBox, f);
    const bool serversBeside = servers && historyFits && !stacked && serversW <= width * 0.58;
    const double columnW =
        serversBeside ? std::clamp(std::max(queueWidth(r, fonts, f), serversW), width * 0.3, width * 0.58)
                      : std::clamp(queueWidth(r, fonts, f), width * 0.3, width * 0.58);
    // The storage is shared by all resources: its panel goes on the first card.
    const std::vector<StorageAccess>& storageLog = s.locks.storageLog;
    const bool storageHere = index == 0 && !storageLog.empty();
    const double storageTitleH = 1.3 * f;
    const double storageRowH = kRowHeight * f;
    double rest = bottom - y;

    std::size_t lanesShown = 0;
    if (laneCount > 0 && rest >= lanesFixed + laneMin) {
        lanesShown = 1;
        rest -= lanesFixed + laneMin;
    }
    double middleH = 0;
    auto addQueue = [&] {
        if (middleH == 0 && rest >= qH + gap) {
            middleH = qH;
            rest -= qH + gap;
        }
    };
    if (!r.queue.empty()) addQueue();
    if (lanesShown == 1 && laneCount > 1 && rest >= laneMin) {
        ++lanesShown;
        rest -= laneMin;
    }
    addQueue();
    const QString explanation = explanationText(r);
    double explanationH = 0;
    const double lineH = QFontMetricsF(fonts.body).lineSpacing();
    if (!explanation.isEmpty()) {
        const int lines = static_cast<int>(
            wrapLines(fonts.body, explanation, width - 1.2 * f, kExplanationLinesMax).size());
        const int explanationLines =
            std::min(lines, static_cast<int>(std::floor((rest - gap - 0.4 * f) / lineH)));
        if (explanationLines >= 1) {
            explanationH = explanationLines * lineH + 0.4 * f;
            rest -= explanationH + gap;
        }
    }
    while (lanesShown > 0 && lanesShown < laneCount && rest >= laneMin) {
        ++lanesShown;
        rest -= laneMin;
    }
    double serversH = 0;        // the row across the card
    double columnServersH = 0;  // under the queue, gap included
    if (servers) {
        if (serversBeside) {
            const double need = gap + serversHeight(r, serverBox, columnW, f);
            if (middleH > 0 && need > gap && rest >= need) {
                columnServersH = need;
                middleH += need;
                rest -= need;
            }
        } else {
            const double need = serversHeight(r, serverBox, width, f);
            if (need > 0 && rest >= need + gap) {
                serversH = need;
                rest -= need + gap;
            }
        }
    }
    const double queueOnlyH = middleH - columnServersH;
    double historyH = 0;  // when stacked; side by side, the history shares middleH
    if (historyFits && middleH > 0) {
        if (stacked) {
            if (rest >= historyMinH + gap) {
                historyH = std::min(historyFullH, rest - gap);
                rest -= historyH + gap;
            }
        } else if (rest >= std::max(0.0, historyMinH - middleH)) {
            rest -= std::max(0.0, historyMinH - middleH);
            middleH = std::max(middleH, historyMinH);
            const double extra = std::clamp(historyFullH - middleH, 0.0, rest);
            middleH += extra;
            rest -= extra;
        }
    }
    // The storage: a few rows before taller bars, then as many more as the space left holds.
    std::size_t storageRows = 0;
    if (storageHere) {
        const double fit = std::floor((rest - gap - storageTitleH) / storageRowH + 0.01);
        storageRows = static_cast<std::size_t>(
            std::clamp(fit, 0.0, double(std::min(storageLog.size(), kStorageRowsBeforeBars))));
        if (storageRows > 0) rest -= gap + storageTitleH + static_cast<double>(storageRows) * storageRowH;
    }
    double bar = kBarMin * f;
    if (lanesShown > 0) {
        const double grow = std::min(rest / static_cast<double>(lanesShown) / 2, (kBarMax - kBarMin) * f);
        bar += std::max(0.0, grow);
        rest -= 2 * std::max(0.0, grow) * static_cast<double>(lanesShown);
    }
    if (storageRows > 0 && storageRows < storageLog.size()) {
        const double more = std::floor(rest / storageRowH + 0.01);
        storageRows +=
            static_cast<std::size_t>(std::clamp(more, 0.0, double(storageLog.size() - storageRows)));
    }

    if (explanationH > 0) {
        card.explanation = rectOf(left, y, width, explanationH);
        y += explanationH + gap;
    }

    // Lanes: title with legend, then one lane per client, then the axis.
    if (lanesShown > 0) {
        card.t1 = std::max(s.now, kLaneWindowMin);
        card.t0 = card.t1 > kLaneWindowMax ? card.t1 - kLaneWindowMax : 0;
        card.lanesTitle = rectOf(left, y, width, 1.5 * f);
        y += 1.5 * f;
        double labelW = 3 * f;
        for (std::size_t i = 0; i < lanesShown; ++i) {
            const LockLane& lane = r.lanes[i];
            labelW = std::max({labelW, textWidth(fonts.bold, QString::fromStdString(lane.client)) + f,
                               textWidth(fonts.small, statusLine(lane.status)) + f});
        }
        labelW = std::min(labelW, width * 0.25);
        const double plotLeft = left + labelW + 0.4 * f;
        const double plotRight = left + width - 0.9 * f;  // room for the last tick label
        const double laneH = 2 * bar + kBarGap * f;
        const double plotTop = y;
        for (std::size_t i = 0; i < lanesShown; ++i) {
            LockLaneLayout lane;
            lane.client = QString::fromStdString(r.lanes[i].client);
            lane.row = rectOf(left, y - kLaneGap * f / 2, width, laneH + kLaneGap * f);
            lane.label = rectOf(left, y, labelW, laneH);
            lane.believesBar = rectOf(plotLeft, y, plotRight - plotLeft, bar);
            lane.reallyBar = rectOf(plotLeft, y + bar + kBarGap * f, plotRight - plotLeft, bar);
            card.lanes.push_back(lane);
            y += laneH + kLaneGap * f;
        }
        card.plot = rectOf(plotLeft, plotTop, plotRight - plotLeft, y - kLaneGap * f - plotTop);
        card.axis = rectOf(left, y - kLaneGap * f * 0.5, width, 1.6 * f);
        y += 1.6 * f + gap;
        if (r.conflict()) {
            const LockConflict& c = r.conflicts.front();
            const double x0 = card.xForTime(c.from);
            const double x1 = std::max(card.xForTime(c.to), x0 + 4);
            card.conflictMarker =
                rectOf(x0, card.plot.top() - 0.3 * f, x1 - x0, card.plot.height() + 0.3 * f);
        }
    }

    // The queue and the history, side by side or one above the other.
    auto placeHistory = [&](double x, double top, double w, double h) {
        const int rowsFit = static_cast<int>(std::floor((h - 2.5 * f) / (kRowHeight * f) + 0.01));
        const std::size_t rows = std::min(r.history.size(), static_cast<std::size_t>(std::max(0, rowsFit)));
        if (rowsFit < 1) return;
        card.historyArea = rectOf(x, top, w, h);
        card.historyHeading = rectOf(x, top + 1.3 * f, w, 1.2 * f);
        card.firstHistoryRow = r.history.size() - rows;
        for (std::size_t i = 0; i < rows; ++i) {
            card.historyRows.push_back(
                rectOf(x, top + 2.5 * f + static_cast<double>(i) * kRowHeight * f, w, kRowHeight * f));
        }
    };
    if (serversH > 0) {
        layoutServers(card, r, serverBox, f, rectOf(left, y, width, serversH));
        y += serversH + gap;
    }
    if (middleH > 0) {
        const double space = 1.5 * f;
        const bool sideBySide = historyFits && !stacked && middleH >= historyMinH;
        const double qW = sideBySide ? columnW : width;
        const double queueH = columnServersH > 0 ? queueOnlyH : middleH;
        if (!sideBySide) {
            layoutQueue(card, r, fonts, f, rectOf(left, y, width, queueH));
            if (historyH > 0) placeHistory(left, y + middleH + gap, width, historyH);
        } else {
            placeHistory(left + qW + space, y, width - qW - space, middleH);
            layoutQueue(card, r, fonts, f, rectOf(left, y, qW, queueH));
        }
        if (columnServersH > 0) {
            layoutServers(card, r, serverBox, f,
                          rectOf(left, y + queueOnlyH + gap, qW, columnServersH - gap));
            card.serversBesideHistory = sideBySide;
        }
        y += middleH + gap;
        if (historyH > 0) y += historyH + gap;
    }
    if (storageRows > 0) {
        const double h = storageTitleH + static_cast<double>(storageRows) * storageRowH;
        card.storageArea = rectOf(left, y, width, h);
        card.storageTitle = rectOf(left, y, width, storageTitleH);
        card.firstStorageRow = storageLog.size() - storageRows;
        for (std::size_t i = 0; i < storageRows; ++i) {
            card.storageRows.push_back(
                rectOf(left, y + storageTitleH + static_cast<double>(i) * storageRowH, width, storageRowH));
        }
    }
    return card;
}

}  // namespace

double LockCardLayout::xForTime(SimTime t) const {
    if (plot.isEmpty() || t1 <= t0) return plot.left();
    const double u = static_cast<double>(std::clamp(t, t0, t1) - t0) / static_cast<double>(t1 - t0);
    return plot.left() + u * plot.width();
}

QColor lockBelievesColor(QColor client) {
    // Half way to white: the same hue as the solid "really holds" bar, clearly lighter.
    return QColor((client.red() + 255) / 2, (client.green() + 255) / 2, (client.blue() + 255) / 2);
}

LockView::LockView(QWidget* parent) : SnapshotView(parent) {}

LockView::~LockView() = default;

QSize LockView::sizeHint() const {
    return {800, 500};
}

QSize LockView::minimumSizeHint() const {
    return {360, 240};
}

LockViewLayout LockView::layoutFor(const ClusterSnapshot& snapshot, const QRect& rect, const QFont& base) {
    LockViewLayout layout;
    const double basePx = std::max<double>(kMinBodyPx, QFontInfo(base).pixelSize());
    const LockSnapshot& locks = snapshot.locks;
    if (!locks.active || locks.resources.empty()) {
        layout.fontPx =
            std::clamp(std::min(rect.width() / 50.0, rect.height() / 30.0), basePx, basePx * kMaxScale);
        // A short measure reads better than one long line across a projector, and breaks less often
        // inside the console command at its end.
        const double width = std::min(rect.width() - 4 * layout.fontPx, 34 * layout.fontPx);
        const double height = rect.height() - 4 * layout.fontPx;
        layout.hint = rectOf(rect.center().x() - width / 2, rect.center().y() - height / 2, width, height);
        return layout;
    }
    const int n = static_cast<int>(locks.resources.size());
    int columns = 1;
    if (n == 2) columns = rect.width() >= rect.height() * 1.4 ? 2 : 1;
    if (n > 2) columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
    const int rows = (n + columns - 1) / columns;
    const double cellW = (rect.width() - kGridGapPx * (columns + 1)) / static_cast<double>(columns);
    const double cellH = (rect.height() - kGridGapPx * (rows + 1)) / static_cast<double>(rows);
    layout.fontPx = std::clamp(std::min(cellW / 50.0, cellH / 32.0), basePx, basePx * kMaxScale);
    for (int i = 0; i < n; ++i) {
        const int col = i % columns;
        const int row = i / columns;
        const QRect cell = rectOf(rect.left() + kGridGapPx + col * (cellW + kGridGapPx),
                                  rect.top() + kGridGapPx + row * (cellH + kGridGapPx), cellW, cellH);
        layout.cards.push_back(layoutCard(snapshot, i, cell, base, layout.fontPx));
    }
    return layout;
}

QString LockView::nodeAt(const ClusterSnapshot& snapshot, QPointF p) const {
    const LockViewLayout layout = layoutFor(snapshot, rect(), font());
    for (const LockCardLayout& card : layout.cards) {
        const LockResourceView& r = snapshot.locks.resources[static_cast<std::size_t>(card.resource)];
        for (std::size_t i = 0; i < card.queueBoxes.size(); ++i) {
            if (QRectF(card.queueBoxes[i]).contains(p)) return QString::fromStdString(r.queue[i].client);
        }
        for (const LockLaneLayout& lane : card.lanes) {
            if (QRectF(lane.row).contains(p)) return lane.client;
        }
        for (std::size_t i = 0; i < card.serverBoxes.size(); ++i) {
            if (QRectF(card.serverBoxes[i]).contains(p)) return QString::fromStdString(r.servers[i].holder);
        }
        const std::vector<StorageAccess>& log = snapshot.locks.storageLog;
        for (std::size_t i = 0; i < card.storageRows.size(); ++i) {
            const std::size_t index = card.firstStorageRow + i;
            if (index < log.size() && QRectF(card.storageRows[i]).contains(p))
                return QString::fromStdString(log[index].client);
        }
    }
    return {};
}

QColor LockView::clientColor(int node) const {
    if (!m_snapshot || node < 0 || static_cast<std::size_t>(node) >= m_snapshot->nodes.size()) {
        return kMutedInkColor;
    }
    return nodeColor(m_snapshot->nodes[static_cast<std::size_t>(node)].colorIndex);
}

namespace {

int nodeOf(const ClusterSnapshot& s, const LockResourceView& r, const std::string& client) {
    for (const LockLane& lane : r.lanes) {
        if (lane.client == client && lane.node >= 0) return lane.node;
    }
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
        if (s.nodes[i].id == client) return static_cast<int>(i);
    }
    return -1;
}

QColor textOn(QColor fill) {
    return fill.lightness() > 165 ? kInkColor : QColor(Qt::white);
}

void drawArrowHead(QPainter& painter, QPointF tip, QPointF from, double size, QColor color) {
    const QLineF line(tip, from);
    const double len = std::max(1e-6, line.length());
    const QPointF u((from.x() - tip.x()) / len, (from.y() - tip.y()) / len);
    const QPointF n(-u.y(), u.x());
    QPolygonF head;
    head << tip << tip + u * size + n * size * 0.5 << tip + u * size - n * size * 0.5;
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawPolygon(head);
}

}  // namespace

void LockView::paintTo(QPainter& painter, const QRect& rect) {
    if (rect.isEmpty()) return;
    const ClusterSnapshot& s = beginPaint(painter, rect);
    const LockViewLayout layout = layoutFor(s, rect, font());
    if (!layout.hint.isEmpty()) {
        const QString hint =
            s.locks.active
                ? tr("No lock has been requested yet. Type 'lock acquire c1 R' in the console.")
                : tr("No lock scenario is loaded. Open one of the lock- scenarios (File > Built-in "
                     "scenarios) or type 'lock acquire c9 R' in the console.");
        paintHint(painter, layout.hint, layout.fontPx, hint);
        painter.restore();
        return;
    }
    for (const LockCardLayout& card : layout.cards) paintCard(painter, card, layout.fontPx);
    painter.restore();
}

void LockView::paintCard(QPainter& painter, const LockCardLayout& card, double f) {
    const LockResourceView& r = m_snapshot->locks.resources[static_cast<std::size_t>(card.resource)];
    const bool conflict = r.conflict();
    painter.setPen(conflict ? QPen(faultColor(), 3.0) : QPen(kPanelBorder, 1.0));
    painter.setBrush(conflict ? kConflictCardColor : kCardColor);
    painter.drawRoundedRect(QRectF(card.card).adjusted(1.5, 1.5, -1.5, -1.5), 0.5 * f, 0.5 * f);
    paintHeader(painter, card, r, f);
    paintStatus(painter, card, r, f);
    if (!card.explanation.isEmpty()) {
        const QRectF box(card.explanation);
        painter.setPen(Qt::NoPen);
        painter.setBrush(faultColor());
        painter.drawRect(QRectF(box.left(), box.top(), 0.3 * f, box.height()));
        const QFont body = fontWithPixelSize(font(), f);
        const double lineH = QFontMetricsF(body).lineSpacing();
        const QRectF text = box.adjusted(0.8 * f, 0.2 * f, 0, 0);
        const int lineCount = static_cast<int>(std::lround((box.height() - 0.4 * f) / lineH));
        painter.setFont(body);
        painter.setPen(kExplanationInk);
        const QStringList lines = wrapLines(body, explanationText(r), box.width() - 1.2 * f, lineCount);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            drawText(painter,
                     QRectF(text.left(), text.top() + static_cast<double>(i) * lineH, text.width(), lineH),
                     Qt::AlignLeft | Qt::AlignVCenter, lines[i]);
        }
    }
    paintLanes(painter, card, r, f);
    paintServers(painter, card, r, f);
    paintQueue(painter, card, r, f);
    paintHistory(painter, card, r, f);
    paintStorage(painter, card, r, f);
}

void LockView::paintHeader(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                           double f) {
    const Fonts fonts(font(), f);
    const LockSnapshot& locks = m_snapshot->locks;
    const QRectF header(card.header);
    const QString name = QString::fromStdString(r.resource);
    painter.setFont(fonts.name);
    painter.setPen(kInkColor);
    const double nameW = std::min(textWidth(fonts.name, name) + 0.8 * f, header.width() * 0.4);
    drawText(painter, QRectF(header.left(), header.top(), nameW, header.height()),
             Qt::AlignLeft | Qt::AlignVCenter, name);
    const std::string& mode = r.mode.empty() ? locks.mode : r.mode;
    QString info = modeName(mode);
    // Redlock hands out no fencing tokens (Kleppmann 2016): the storage's check has nothing to compare.
    if (mode == "redlock")
        info += QStringLiteral(" · ") + tr("no fencing tokens: the storage cannot tell holders apart");
    else
        info += QStringLiteral(" · ") +
                (locks.fencing ? tr("fencing on, highest accepted token %1").arg(locks.storageHighestToken)
                               : tr("fencing off"));
    painter.setFont(fonts.body);
    painter.setPen(kMutedInkColor);
    drawText(painter, QRectF(header.left() + nameW, header.top(), header.width() - nameW, header.height()),
             Qt::AlignLeft | Qt::AlignVCenter, info);
    if (!card.badge.isEmpty()) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(faultColor());
        painter.drawRoundedRect(QRectF(card.badge), 0.3 * f, 0.3 * f);
        painter.setFont(fonts.badge);
        painter.setPen(Qt::white);
        drawText(painter, QRectF(card.badge), Qt::AlignCenter, tr("CONFLICT"));
    }
}

void LockView::paintStatus(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                           double f) {
    const Fonts fonts(font(), f);
    const QRectF holder(card.holderText);
    const int node = nodeOf(*m_snapshot, r, r.holder);
    double textLeft = holder.left();
    if (!r.holder.empty()) {
        const double radius = 0.42 * f;
        painter.setPen(Qt::NoPen);
        painter.setBrush(clientColor(node));
        painter.drawEllipse(QPointF(holder.left() + radius, holder.center().y()), radius, radius);
        textLeft += 2 * radius + 0.4 * f;
    }
    painter.setFont(fonts.holder);
    painter.setPen(r.holder.empty() ? kMutedInkColor : kInkColor);
    drawText(painter, QRectF(textLeft, holder.top(), holder.right() - textLeft, holder.height()),
             Qt::AlignLeft | Qt::AlignVCenter, holderLine(r));
    if (!card.tokenText.isEmpty()) {
        painter.setFont(fonts.bold);
        painter.setPen(kInkColor);
        drawText(painter, QRectF(card.tokenText), Qt::AlignLeft | Qt::AlignVCenter, tokenLine(r));
    }
    if (!card.leaseText.isEmpty()) {
        painter.setFont(fonts.body);
        painter.setPen(kMutedInkColor);
        const QString full = leaseLine(*m_snapshot, r, false);
        const bool brief = textWidth(fonts.body, full) > card.leaseText.width();
        drawText(painter, QRectF(card.leaseText), Qt::AlignLeft | Qt::AlignVCenter,
                 leaseLine(*m_snapshot, r, brief));
    }
    if (!card.leaseBar.isEmpty()) {
        // The bar shrinks from the grant (or the last renewal we know of) to the end of the lease.
        SimTime grantedAt = m_snapshot->now;
        for (auto it = r.history.rbegin(); it != r.history.rend(); ++it) {
            if (it->client == r.holder) {
                grantedAt = it->at;
                break;
            }
        }
        const double total =
            static_cast<double>(std::max<SimTime>(1, r.leaseEndsAt - std::min(grantedAt, m_snapshot->now)));
        const double share =
            std::clamp(static_cast<double>(r.leaseEndsAt - m_snapshot->now) / total, 0.0, 1.0);
        const QRectF bar(card.leaseBar);
        painter.setPen(Qt::NoPen);
        painter.setBrush(kTrackColor);
        painter.drawRoundedRect(bar, bar.height() / 2, bar.height() / 2);
        painter.setBrush(clientColor(node));
        painter.drawRoundedRect(
            QRectF(bar.left(), bar.top(), std::max(bar.height(), bar.width() * share), bar.height()),
            bar.height() / 2, bar.height() / 2);
    }
}

void LockView::paintQueue(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                          double f) {
    if (card.queueArea.isEmpty()) return;
    const Fonts fonts(font(), f);
    const bool zk = r.mode == "zk";
    painter.setFont(fonts.title);
    painter.setPen(kMutedInkColor);
    QString title;
    if (r.queue.empty()) {
        title = tr("Waiting: no one");
    } else if (zk) {
        const LockSnapshot& locks = m_snapshot->locks;
        title = locks.watch == "parent"
                    ? tr("Lock nodes, in order · every waiter watches the parent (%n wake-ups)", nullptr,
                         static_cast<int>(locks.wakeups))
                    : tr("Lock nodes, in order · each waiter watches its predecessor");
    } else {
        title = tr("Waiting, in order of arrival");
    }
    drawText(painter, QRectF(card.queueTitle), Qt::AlignLeft | Qt::AlignVCenter, title);

    // Arrows first, so that the boxes sit on top of their ends.
    const QColor arrowColor(0x3C, 0x40, 0x43);
    for (const LockWatchArrow& arrow : card.arrows) {
        painter.setPen(QPen(arrowColor, std::max(2.0, 0.16 * f), Qt::SolidLine, Qt::RoundCap));
        painter.setBrush(Qt::NoBrush);
        const double head = 0.55 * f;
        if (arrow.curved) {
            const double dip = 1.3 * f;
            QPainterPath path(arrow.start);
            const QPointF c1(arrow.start.x(), arrow.start.y() + dip);
            const QPointF c2(arrow.end.x(), arrow.end.y() + dip);
            path.cubicTo(c1, c2, arrow.end + QPointF(0, head * 0.8));
            painter.drawPath(path);
            drawArrowHead(painter, arrow.end, arrow.end + QPointF(0, head), head, arrowColor);
        } else {
            const QLineF line(arrow.start, arrow.end);
            const double len = std::max(1e-6, line.length());
            const QPointF back = arrow.end + (arrow.start - arrow.end) * (head * 0.8 / len);
            painter.drawLine(arrow.start, back);
            drawArrowHead(painter, arrow.end, arrow.start, head, arrowColor);
        }
    }
    if (!card.parentBox.isEmpty()) {
        painter.setPen(QPen(kMutedInkColor, 1.2, Qt::DashLine));
        painter.setBrush(Qt::white);
        painter.drawRoundedRect(QRectF(card.parentBox), 0.3 * f, 0.3 * f);
        painter.setFont(fonts.smallBold);
        painter.setPen(kInkColor);
        drawText(painter, QRectF(card.parentBox), Qt::AlignCenter,
                 tr("/locks/%1").arg(QString::fromStdString(r.resource)));
    }
    for (std::size_t i = 0; i < card.queueBoxes.size(); ++i) {
        const LockWaiter& w = r.queue[i];
        const QRectF box(card.queueBoxes[i]);
        const QColor color = clientColor(nodeOf(*m_snapshot, r, w.client));
        const bool selected = !m_selectedId.isEmpty() && m_selectedId == QString::fromStdString(w.client);
        const bool holds = !r.holder.empty() && w.client == r.holder;
        painter.setPen(QPen(selected ? kInkColor : color, selected ? 3.0 : holds ? 2.5 : 1.5));
        painter.setBrush(holds ? lockBelievesColor(color) : QColor(Qt::white));
        painter.drawRoundedRect(box, 0.3 * f, 0.3 * f);
        const QString line1 = queueBoxLine1(r, w);
        const QString line2 = queueBoxLine2(r, w);
        const QRectF inner = box.adjusted(0.5 * f, 0.3 * f, -0.5 * f, -0.3 * f);
        if (line2.isEmpty()) {
            painter.setFont(fonts.smallBold);
            painter.setPen(kInkColor);
            drawText(painter, inner, Qt::AlignCenter, line1);
        } else {
            const QRectF top(inner.left(), inner.top(), inner.width(), inner.height() / 2);
            const QRectF bottom(inner.left(), inner.center().y(), inner.width(), inner.height() / 2);
            painter.setFont(fonts.small);
            painter.setPen(kMutedInkColor);
            drawText(painter, top, Qt::AlignCenter, line1);
            painter.setFont(fonts.smallBold);
            painter.setPen(kInkColor);
            drawText(painter, bottom, Qt::AlignCenter, line2);
        }
    }
    if (card.queueHidden > 0) {
        painter.setFont(fonts.small);
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(card.queueMore), Qt::AlignCenter, tr("+%1 more").arg(card.queueHidden));
    }
}

void LockView::paintHistory(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                            double f) {
    if (card.historyArea.isEmpty()) return;
    const Fonts fonts(font(), f);
    const LockSnapshot& locks = m_snapshot->locks;
    const QRectF area(card.historyArea);
    painter.setFont(fonts.title);
    painter.setPen(kMutedInkColor);
    // When older grants do not fit, the title says how many of them are shown.
    const QString grants =
        card.firstHistoryRow > 0 ? tr("Last %1 grants").arg(card.historyRows.size()) : tr("Grants");
    drawText(painter, QRectF(area.left(), area.top(), area.width(), 1.3 * f),
             Qt::AlignLeft | Qt::AlignVCenter,
             tr("%1 · writes: %2 accepted, %3 rejected")
                 .arg(grants)
                 .arg(locks.writesAccepted)
                 .arg(locks.writesRejected));
    // Columns: client, token, granted, ended, write.
    static constexpr double kColumns[] = {0.0, 0.19, 0.34, 0.55, 0.76, 1.0};
    auto column = [&](const QRectF& row, int c) {
        const double x0 = row.left() + kColumns[c] * row.width();
        const double x1 = row.left() + kColumns[c + 1] * row.width();
        return QRectF(x0 + 0.15 * f, row.top(), x1 - x0 - 0.3 * f, row.height());
    };
    const QRectF heading(card.historyHeading);
    painter.setFont(fonts.small);
    const QString headings[] = {tr("client"), tr("token"), tr("granted"), tr("ended"), tr("write")};
    for (int c = 0; c < 5; ++c)
        drawText(painter, column(heading, c), Qt::AlignLeft | Qt::AlignVCenter, headings[c]);
    painter.setPen(QPen(kPanelBorder, 1.0));
    painter.drawLine(QPointF(heading.left(), heading.bottom()), QPointF(heading.right(), heading.bottom()));
    if (card.historyRows.empty()) {
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(heading.left(), heading.bottom() + 0.1 * f, heading.width(), kRowHeight * f),
                 Qt::AlignLeft | Qt::AlignVCenter, tr("No grants yet."));
        return;
    }
    for (std::size_t i = 0; i < card.historyRows.size(); ++i) {
        const LockGrant& g = r.history[card.firstHistoryRow + i];
        const QRectF row(card.historyRows[i]);
        const bool rejected = g.write == LockGrant::Write::Rejected;
        const bool selected = !m_selectedId.isEmpty() && m_selectedId == QString::fromStdString(g.client);
        if (selected) painter.fillRect(row, kSelectionColor);
        const QColor color = clientColor(nodeOf(*m_snapshot, r, g.client));
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        const double dot = 0.3 * f;
        const QRectF c0 = column(row, 0);
        painter.drawEllipse(QPointF(c0.left() + dot, row.center().y()), dot, dot);
        painter.setFont(fonts.smallBold);
        painter.setPen(kInkColor);
        drawText(painter, c0.adjusted(2 * dot + 0.3 * f, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                 QString::fromStdString(g.client));
        painter.setFont(fonts.small);
        drawText(painter, column(row, 1), Qt::AlignLeft | Qt::AlignVCenter,
                 g.token > 0 ? QString::number(g.token) : QStringLiteral("—"));
        drawText(painter, column(row, 2), Qt::AlignLeft | Qt::AlignVCenter, seconds(g.at));
        drawText(painter, column(row, 3), Qt::AlignLeft | Qt::AlignVCenter,
                 g.end == kOpenInterval ? tr("holding") : seconds(g.end));
        QString write;
        QColor writeColor = kMutedInkColor;
        switch (g.write) {
            case LockGrant::Write::None:
                write = tr("none");
                break;
            case LockGrant::Write::Accepted:
                write = tr("accepted");
                writeColor = kAcceptedColor;
                break;
            case LockGrant::Write::Rejected:
                write = tr("rejected");
                writeColor = faultColor();
                break;
            case LockGrant::Write::Unknown:
                write = tr("unknown");
                writeColor = kUnknownColor;
                break;
        }
        painter.setFont(rejected ? fonts.smallBold : fonts.small);
        painter.setPen(writeColor);
        drawText(painter, column(row, 4), Qt::AlignLeft | Qt::AlignVCenter, write);
        if (rejected) {
            // Struck through: this grant's write never reached the data.
            painter.setPen(QPen(faultColor(), std::max(1.5, 0.1 * f)));
            painter.drawLine(QPointF(row.left(), row.center().y()),
                             QPointF(column(row, 3).right(), row.center().y()));
        }
    }
}

void LockView::paintServers(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                            double f) {
    if (card.serversArea.isEmpty()) return;
    const Fonts fonts(font(), f);
    painter.setFont(fonts.title);
    painter.setPen(kMutedInkColor);
    drawText(painter, QRectF(card.serversTitle), Qt::AlignLeft | Qt::AlignVCenter, serversTitle(r));
    const int lines = serverBoxLines(r);
    for (std::size_t i = 0; i < card.serverBoxes.size() && i < r.servers.size(); ++i) {
        const LockServerView& sv = r.servers[i];
        const QRectF box(card.serverBoxes[i]);
        const bool down = sv.status == NodeStatus::Crashed || sv.status == NodeStatus::Removed;
        const QColor color = clientColor(nodeOf(*m_snapshot, r, sv.holder));
        const bool selected = !m_selectedId.isEmpty() && m_selectedId == QString::fromStdString(sv.holder);
        // Tinted in its holder's colour, so that a split between servers shows at a glance.
        if (down) {
            painter.setPen(QPen(crashedColor(), 1.5, Qt::DashLine));
            painter.setBrush(kTrackColor);
        } else if (sv.holder.empty()) {
            painter.setPen(QPen(kPanelBorder, 1.5));
            painter.setBrush(Qt::white);
        } else {
            painter.setPen(QPen(selected ? kInkColor : color, selected ? 3.0 : 2.0));
            painter.setBrush(lockBelievesColor(color));
        }
        painter.drawRoundedRect(box.adjusted(0.5, 0.5, -0.5, -0.5), 0.3 * f, 0.3 * f);
        const QRectF inner = box.adjusted(0.6 * f, 0.3 * f, -0.6 * f, -0.3 * f);
        const double lineH = inner.height() / lines;
        auto line = [&](int k) {
            return QRectF(inner.left(), inner.top() + k * lineH, inner.width(), lineH);
        };

        // Line 1: the server's id on the left, its holder on the right.
        const QRectF l1 = line(0);
        const QString holder = serverHolderText(sv);
        const double dot = sv.holder.empty() ? 0 : 0.3 * f;
        const double holderW = std::min(
            textWidth(fonts.labelBold, holder) + 2 * dot + (dot > 0 ? 0.3 * f : 0), l1.width() * 0.6);
        const QRectF holderRect(l1.right() - holderW, l1.top(), holderW, l1.height());
        painter.setFont(fonts.labelBold);
        painter.setPen(down ? crashedColor() : kInkColor);
        drawText(painter, QRectF(l1.left(), l1.top(), holderRect.left() - l1.left() - 0.3 * f, l1.height()),
                 Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(sv.id));
        if (dot > 0) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(down ? crashedColor() : color);
            painter.drawEllipse(QPointF(holderRect.left() + dot, l1.center().y()), dot, dot);
            painter.setPen(down ? crashedColor() : kInkColor);
            drawText(painter, holderRect.adjusted(2 * dot + 0.3 * f, 0, 0, 0),
                     Qt::AlignLeft | Qt::AlignVCenter, holder);
        }

        // Line 2: its status when it is down or paused, else how long the lease it holds has left.
        const QString lease = serverLeaseText(*m_snapshot, sv);
        painter.setFont(sv.status != NodeStatus::Up ? fonts.labelBold : fonts.label);
        painter.setPen(down ? crashedColor() : sv.status != NodeStatus::Up ? kInkColor : kMutedInkColor);
        drawText(painter, line(1), Qt::AlignLeft | Qt::AlignVCenter, lease);

        // Then a badge per clock fault: its offset from simulated time, and its drift.
        const QStringList badges = serverClockBadges(sv);
        for (qsizetype k = 0; k < badges.size(); ++k) {
            const QRectF l = line(2 + static_cast<int>(k));
            const double w = std::min(textWidth(fonts.labelBold, badges[k]) + 1.0 * f, l.width());
            const QRectF pill(l.left(), l.top() + 0.08 * lineH, w, l.height() * 0.84);
            painter.setPen(Qt::NoPen);
            painter.setBrush(down ? crashedColor() : kAttentionColor);
            painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
            painter.setFont(fonts.labelBold);
            painter.setPen(Qt::white);
            drawText(painter, pill.adjusted(0.4 * f, 0, -0.4 * f, 0), Qt::AlignCenter, badges[k]);
        }
    }
}

void LockView::paintStorage(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                            double f) {
    if (card.storageArea.isEmpty()) return;
    const Fonts fonts(font(), f);
    const std::vector<StorageAccess>& log = m_snapshot->locks.storageLog;
    painter.setFont(fonts.title);
    painter.setPen(kMutedInkColor);
    drawText(painter, QRectF(card.storageTitle), Qt::AlignLeft | Qt::AlignVCenter,
             storageTitle(*m_snapshot, card));
    const QRectF title(card.storageTitle);
    painter.setPen(QPen(kPanelBorder, 1.0));
    painter.drawLine(QPointF(title.left(), title.bottom()), QPointF(title.right(), title.bottom()));
    for (std::size_t i = 0; i < card.storageRows.size(); ++i) {
        const std::size_t index = card.firstStorageRow + i;
        if (index >= log.size()) break;
        const StorageAccess& a = log[index];
        const QRectF row(card.storageRows[i]);
        const bool selected = !m_selectedId.isEmpty() && m_selectedId == QString::fromStdString(a.client);
        if (selected) painter.fillRect(row, kSelectionColor);
        const std::array<QRectF, 6> c = storageColumns(*m_snapshot, fonts, f, row);
        // A refused access is red from the client on: that write never reached the data.
        const QColor ink = a.accepted ? kInkColor : faultColor();
        painter.setFont(fonts.label);
        painter.setPen(kMutedInkColor);
        drawText(painter, c[0], Qt::AlignLeft | Qt::AlignVCenter, seconds(a.at));
        drawText(painter, c[1], Qt::AlignLeft | Qt::AlignVCenter, storageSeq(a));
        const double dot = 0.3 * f;
        if (c[2].width() > 2 * dot) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(clientColor(nodeOf(*m_snapshot, r, a.client)));
            painter.drawEllipse(QPointF(c[2].left() + dot, row.center().y()), dot, dot);
        }
        painter.setFont(fonts.labelBold);
        painter.setPen(ink);
        drawText(painter, c[2].adjusted(2 * dot + 0.3 * f, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                 QString::fromStdString(a.client));
        painter.setFont(a.write ? fonts.labelBold : fonts.label);
        drawText(painter, c[3], Qt::AlignLeft | Qt::AlignVCenter, storageKind(a));
        painter.setFont(fonts.label);
        drawText(painter, c[4], Qt::AlignLeft | Qt::AlignVCenter, storageToken(a));
        painter.setFont(a.accepted ? fonts.label : fonts.labelBold);
        painter.setPen(a.accepted ? kAcceptedColor : faultColor());
        drawText(painter, c[5], Qt::AlignLeft | Qt::AlignVCenter, storageVerdict(log, index));
    }
}

void LockView::paintLanes(QPainter& painter, const LockCardLayout& card, const LockResourceView& r,
                          double f) {
    if (card.lanes.empty()) return;
    const Fonts fonts(font(), f);
    const SimTime now = m_snapshot->now;

    // Title and legend.
    const QRectF title(card.lanesTitle);
    const QString believes = tr("believes it holds");
    const QString really = tr("really holds");
    const double swatch = 1.6 * f;
    const double legendW =
        2 * (swatch + 0.4 * f) + textWidth(fonts.small, believes) + textWidth(fonts.small, really) + 1.7 * f;
    const double legendLeft = std::max(title.left(), title.right() - legendW);
    painter.setFont(fonts.title);
    painter.setPen(kMutedInkColor);
    // The heading, or only the count of clients shown, or nothing: never an elided half of it.
    const QString count = card.lanes.size() < r.lanes.size()
                              ? tr("(%1 of %2 clients)").arg(card.lanes.size()).arg(r.lanes.size())
                              : QString();
    const QString full =
        tr("Who holds the lock, over time") + (count.isEmpty() ? QString() : QStringLiteral(" ") + count);
    const QRectF headingRect(title.left(), title.top(), legendLeft - title.left() - f,
                             title.height() - 0.3 * f);
    for (const QString& heading : {full, count}) {
        if (!heading.isEmpty() && textWidth(fonts.title, heading) <= headingRect.width()) {
            drawText(painter, headingRect, Qt::AlignLeft | Qt::AlignVCenter, heading);
            break;
        }
    }
    {
        // Neutral: each client's lane has its own colour; the legend only tells pale from solid.
        const QColor sample = kMutedInkColor;
        double x = legendLeft;
        const double sy = title.center().y() - 0.15 * f - 0.35 * f;
        painter.setPen(QPen(sample, 1.0));
        painter.setBrush(lockBelievesColor(sample));
        painter.drawRect(QRectF(x, sy, swatch, 0.7 * f));
        x += swatch + 0.4 * f;
        painter.setFont(fonts.small);
        painter.setPen(kMutedInkColor);
        const double bw = textWidth(fonts.small, believes) + 0.2 * f;
        drawText(painter, QRectF(x, title.top(), std::min(bw, title.right() - x), title.height() - 0.3 * f),
                 Qt::AlignLeft | Qt::AlignVCenter, believes);
        x += bw + f;
        painter.setPen(Qt::NoPen);
        painter.setBrush(sample);
        painter.drawRect(QRectF(x, sy, swatch, 0.7 * f));
        x += swatch + 0.4 * f;
        painter.setPen(kMutedInkColor);
        drawText(painter, QRectF(x, title.top(), title.right() - x, title.height() - 0.3 * f),
                 Qt::AlignLeft | Qt::AlignVCenter, really);
    }

    // Axis ticks and grid lines.
    const QRectF plot(card.plot);
    const SimTime span = card.t1 - card.t0;
    const SimTime step = tickStep(span, std::max(1, static_cast<int>(plot.width() / (5.5 * f))));
    painter.setFont(fonts.small);
    for (SimTime t = (card.t0 + step - 1) / step * step; t <= card.t1; t += step) {
        const double x = card.xForTime(t);
        painter.setPen(QPen(kGridColor, 1.0));
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        painter.setPen(kMutedInkColor);
        const double w = 5 * f;
        const QRectF label(std::clamp(x - w / 2, double(card.axis.left()), card.axis.right() - w),
                           card.axis.top(), w, card.axis.height());
        drawText(painter, label, Qt::AlignCenter, tickLabel(t, step));
    }

    // Lanes.
    for (std::size_t i = 0; i < card.lanes.size(); ++i) {
        const LockLaneLayout& ll = card.lanes[i];
        const LockLane& lane = r.lanes[i];
        const QColor color = clientColor(lane.node);
        const bool selected = !m_selectedId.isEmpty() && m_selectedId == ll.client;
        if (selected) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(kSelectionColor);
            painter.drawRoundedRect(QRectF(ll.row), 0.3 * f, 0.3 * f);
        }
        const bool down = lane.status == NodeStatus::Crashed || lane.status == NodeStatus::Removed;
        const QString status = statusLine(lane.status);
        const QRectF label(ll.label);
        painter.setFont(fonts.bold);
        painter.setPen(down ? crashedColor() : color);
        if (status.isEmpty()) {
            drawText(painter, label, Qt::AlignLeft | Qt::AlignVCenter, ll.client);
        } else {
            drawText(painter, QRectF(label.left(), label.top(), label.width(), label.height() * 0.55),
                     Qt::AlignLeft | Qt::AlignBottom, ll.client);
            painter.setFont(fonts.small);
            painter.setPen(kMutedInkColor);
            drawText(painter,
                     QRectF(label.left(), label.top() + label.height() * 0.55, label.width(),
                            label.height() * 0.45),
                     Qt::AlignLeft | Qt::AlignTop, status);
        }
        painter.setPen(Qt::NoPen);
        painter.setBrush(kTrackColor);
        painter.drawRect(QRectF(ll.believesBar));
        painter.drawRect(QRectF(ll.reallyBar));
        auto drawBars = [&](const std::vector<LockInterval>& intervals, const QRectF& band, bool solid) {
            for (const LockInterval& iv : intervals) {
                const SimTime end = iv.end == kOpenInterval ? now : iv.end;
                if (end < card.t0 || iv.start > card.t1) continue;
                const double x0 = card.xForTime(iv.start);
                const double x1 = std::max(card.xForTime(end), x0 + 2);
                const QRectF bar(x0, band.top(), x1 - x0, band.height());
                painter.setPen(solid ? QPen(Qt::NoPen) : QPen(color, 1.0));
                painter.setBrush(solid ? color : lockBelievesColor(color));
                painter.drawRect(solid ? bar : bar.adjusted(0.5, 0.5, -0.5, -0.5));
                if (iv.token > 0) {
                    QString token = tr("token %1").arg(iv.token);
                    if (textWidth(fonts.smallBold, token) + 0.6 * f > bar.width())
                        token = QString::number(iv.token);
                    if (textWidth(fonts.smallBold, token) + 0.6 * f <= bar.width()) {
                        painter.setFont(fonts.smallBold);
                        painter.setPen(solid ? textOn(color) : kInkColor);
                        drawText(painter, bar.adjusted(0.3 * f, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                                 token);
                    }
                }
            }
        };
        drawBars(lane.believes, QRectF(ll.believesBar), false);
        drawBars(lane.really, QRectF(ll.reallyBar), true);
        if (down && !lane.believes.empty()) {
            // A cross where the client's belief ended: it crashed there.
            const LockInterval& last = lane.believes.back();
            const double x = card.xForTime(last.end == kOpenInterval ? now : last.end);
            const double c = QRectF(ll.believesBar).center().y();
            const double h = 0.4 * f;
            painter.setPen(QPen(kInkColor, std::max(1.5, 0.13 * f)));
            painter.drawLine(QPointF(x - h, c - h), QPointF(x + h, c + h));
            painter.drawLine(QPointF(x - h, c + h), QPointF(x + h, c - h));
        }
    }

    // Now.
    const double xNow = card.xForTime(now);
    painter.setPen(QPen(kMutedInkColor, 1.2, Qt::DashLine));
    painter.drawLine(QPointF(xNow, plot.top() - 0.2 * f), QPointF(xNow, plot.bottom() + 0.2 * f));

    // The conflict: a red band over the overlap, with solid edges and a solid top strip.
    if (!card.conflictMarker.isEmpty()) {
        const QRectF m(card.conflictMarker);
        QColor band = faultColor();
        band.setAlpha(55);
        painter.setPen(Qt::NoPen);
        painter.setBrush(band);
        painter.drawRect(m);
        painter.setBrush(faultColor());
        const double edge = std::max(2.0, 0.14 * f);
        painter.drawRect(QRectF(m.left(), m.top(), edge, m.height()));
        painter.drawRect(QRectF(m.right() + 1 - edge, m.top(), edge, m.height()));
        painter.drawRect(QRectF(m.left(), m.top(), m.width(), std::max(3.0, 0.25 * f)));
    }
}

}  // namespace distlab
