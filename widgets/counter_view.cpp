#include "widgets/counter_view.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "widgets/chart_axes.h"
#include "widgets/checks_panel.h"
#include "widgets/palette.h"

namespace distlab {

namespace {

const QColor kViolationColor(0xC5, 0x22, 0x1F);
const QColor kCommittedColor(0x00, 0x72, 0xB2);
const QColor kAckedColor(0x00, 0x9E, 0x73);
const QColor kPossibleColor(0xE6, 0x9F, 0x00);

double seconds(SimTime t) { return double(t) / kMicrosPerSecond; }

// The counter's break-it switches (console `break NAME on|off`, core/protocols/counter/counter_switches.h,
// which the views do not include): each button's text, and what it takes away as a class would read it.
// The widget test holds this list to the switches the counter has.
struct BreakSwitch {
    const char* name;
    const char* text;
    const char* tip;
};
constexpr BreakSwitch kBreakSwitches[] = {
    {"fencing", QT_TRANSLATE_NOOP("distlab::CounterPanel", "No fencing"),
     QT_TRANSLATE_NOOP("distlab::CounterPanel", "Replicas accept any fencing token: a worker paused past its lease "
                                                "writes over newer state. Exposed by pausing a worker.")},
    {"dedup", QT_TRANSLATE_NOOP("distlab::CounterPanel", "No dedup"),
     QT_TRANSLATE_NOOP("distlab::CounterPanel", "Workers do not look up the request id: a retried or redelivered "
                                                "increment counts twice. Exposed by killing a worker or dropping "
                                                "messages.")},
    {"r1", QT_TRANSLATE_NOOP("distlab::CounterPanel", "R = 1"),
     QT_TRANSLATE_NOOP("distlab::CounterPanel", "One replica per key: when it fails, the key moves to a node that "
                                                "holds nothing. Exposed by killing a replica.")},
    {"ack-early", QT_TRANSLATE_NOOP("distlab::CounterPanel", "Ack early"),
     QT_TRANSLATE_NOOP("distlab::CounterPanel", "Workers acknowledge before the commit: a crash loses an "
                                                "acknowledged increment. Exposed by killing a worker.")},
    {"skip-lock", QT_TRANSLATE_NOOP("distlab::CounterPanel", "Skip lock"),
     QT_TRANSLATE_NOOP("distlab::CounterPanel", "Workers take no lock: two of them read the same state and one "
                                                "increment overwrites the other. Exposed by any busy run.")},
    {"3pc", QT_TRANSLATE_NOOP("distlab::CounterPanel", "3PC"),
     QT_TRANSLATE_NOOP("distlab::CounterPanel", "Three-phase commit instead of two-phase: under a partition each "
                                                "side decides on its own, and an acknowledged increment can be "
                                                "lost. Exposed by a partition between replicas.")},
};

}  // namespace

CounterVerdict counterVerdict(const ClusterSnapshot& snapshot) {
    CounterVerdict verdict;
    if (!snapshot.checksEvaluated) return verdict;
    bool any = false;
    for (const CheckResult& check : snapshot.checks) {
        if (check.lab != "counter") continue;
        any = true;
        if (!check.ok && !verdict.failing) verdict.failing = check;
    }
    if (verdict.failing)
        verdict.state = CounterVerdict::State::Violated;
    else if (any)
        verdict.state = CounterVerdict::State::Linearizable;
    return verdict;
}

CounterBoard::CounterBoard(QWidget* parent) : SnapshotView(parent) {}

CounterBoardLayout CounterBoard::layoutFor(const ClusterSnapshot& snapshot, const QRect& rect, const QFont& base) {
    CounterBoardLayout out;
    out.fontPx = std::clamp(rect.height() / 22.0, 11.0, 16.0);
    const int px = int(std::lround(out.fontPx));
    const QRect area = rect.adjusted(px, px / 2, -px, -px / 2);
    if (!snapshot.counter.active) {
        out.hint = area;
        return out;
    }
    const QFontMetricsF metrics(cards::fontWithPixelSize(base, out.fontPx));
    const int line = int(std::ceil(metrics.height()));
    out.badge = QRect(area.left(), area.top(), area.width(), line * 4);
    int y = out.badge.bottom() + px / 2;
    if (!snapshot.counter.broken.empty()) {
        out.broken = QRect(area.left(), y, area.width(), line + 4);
        y = out.broken.bottom() + px / 2;
    }
    const std::size_t keys = snapshot.counter.keys.size();
    if (keys == 0) return out;
    const int gap = px;
    const int cardWidth = (area.width() - gap * int(keys - 1)) / int(keys);
    const int cardHeight = std::max(line * 6, area.bottom() - y);
    for (std::size_t i = 0; i < keys; ++i) {
        CounterCardLayout card;
        card.key = int(i);
        card.card = QRect(area.left() + int(i) * (cardWidth + gap), y, cardWidth, cardHeight);
        const QRect inner = card.card.adjusted(px / 2, px / 2, -px / 2, -px / 2);
        card.title = QRect(inner.left(), inner.top(), inner.width(), line);
        card.value = QRect(inner.left(), card.title.bottom() + 2, inner.width() / 3, line * 2);
        card.verdict = QRect(inner.left() + inner.width() / 3, card.value.top(), inner.width() - inner.width() / 3, line * 2);
        card.required = QRect(inner.left(), card.value.bottom() + 2, inner.width(), line);
        // The replica boxes: as many columns as fit at about seven characters each.
        const std::size_t n = snapshot.counter.keys[i].replicas.size();
        const int boxWidth = std::max(int(metrics.horizontalAdvance(QStringLiteral("cn-n5 9999"))) + px, 60);
        const int columns = std::max(1, std::min(int(n), (inner.width() + 4) / (boxWidth + 4)));
        const int w = (inner.width() - 4 * (columns - 1)) / columns;
        int top = card.required.bottom() + px / 2;
        for (std::size_t r = 0; r < n; ++r) {
            const int col = int(r) % columns, row = int(r) / columns;
            const QRect box(inner.left() + col * (w + 4), top + row * (line * 2 + 4), w, line * 2);
            if (box.bottom() > inner.bottom()) break;
            card.replicas.push_back(box);
        }
        out.cards.push_back(std::move(card));
    }
    return out;
}

void CounterBoard::setSelectedKey(int key) {
    if (key == m_key) return;
    m_key = key;
    update();
}

void CounterBoard::paintTo(QPainter& painter, const QRect& rect) {
    const ClusterSnapshot& snap = beginPaint(painter, rect);
    const CounterBoardLayout layout = layoutFor(snap, rect, font());
    const double px = layout.fontPx;
    if (!layout.hint.isEmpty()) {
        paintHint(painter, layout.hint, px, tr("Load the “counter” scenario (File › Built-in scenarios) to see the distributed counter."));
        painter.restore();
        return;
    }
    // The verdict.
    const CounterVerdict verdict = counterVerdict(snap);
    QColor fill = cards::kTrackColor, ink = cards::kInkColor;
    QString text = tr("Checking the history…");
    if (verdict.state == CounterVerdict::State::Linearizable) {
        fill = cards::kAcceptedColor;
        ink = Qt::white;
        text = tr("✓ Linearizable so far: every acknowledged increment is counted exactly once");
    } else if (verdict.state == CounterVerdict::State::Violated) {
        fill = kViolationColor;
        ink = Qt::white;
        text = tr("✗ %1 (click to see the operations that prove it): %2")
                   .arg(ChecksPanel::titleFor(verdict.failing->name), ChecksPanel::explanationFor(*verdict.failing));
    }
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawRoundedRect(layout.badge, 6, 6);
    painter.setPen(ink);
    // A long explanation is cut at the badge's edge; the Checks panel has all of it.
    painter.save();
    painter.setClipRect(layout.badge);
    painter.setFont(cards::fontWithPixelSize(font(), verdict.failing ? px : px * 1.1, true));
    drawText(painter, layout.badge.adjusted(int(px), 2, -int(px), -2), Qt::AlignVCenter | Qt::AlignLeft | Qt::TextWordWrap, text);
    painter.restore();
    if (!layout.broken.isEmpty()) {
        QStringList names;
        for (const std::string& name : snap.counter.broken) names << QString::fromStdString(name);
        painter.setFont(cards::fontWithPixelSize(font(), px, true));
        painter.setPen(kViolationColor);
        drawText(painter, layout.broken, Qt::AlignVCenter | Qt::AlignLeft,
                 tr("Broken on purpose: %1").arg(names.join(QStringLiteral(", "))));
    }
    for (const CounterCardLayout& card : layout.cards) {
        const CounterKeyView& key = snap.counter.keys[std::size_t(card.key)];
        painter.setPen(QPen(card.key == m_key ? kCommittedColor : cards::kPanelBorder, card.key == m_key ? 2 : 1));
        painter.setBrush(cards::kCardColor);
        painter.drawRoundedRect(card.card, 6, 6);
        painter.setPen(cards::kMutedInkColor);
        painter.setFont(cards::fontWithPixelSize(font(), px, true));
        drawText(painter, card.title, Qt::AlignVCenter | Qt::AlignLeft,
                 tr("Key %1 · version %2").arg(QString::fromStdString(key.key)).arg(key.version));
        painter.setPen(cards::kInkColor);
        painter.setFont(cards::fontWithPixelSize(font(), px * 2.0, true));
        drawText(painter, card.value, Qt::AlignVCenter | Qt::AlignLeft, QString::number(key.committed));
        painter.setFont(cards::fontWithPixelSize(font(), px, true));
        const bool exact = key.exact();
        painter.setPen(exact ? cards::kAcceptedColor : kViolationColor);
        drawText(painter, card.verdict, Qt::AlignVCenter | Qt::AlignRight,
                 exact ? tr("exact")
                       : key.committed < key.acked ? tr("lost increments") : tr("counted twice"));
        painter.setFont(cards::fontWithPixelSize(font(), px));
        painter.setPen(cards::kMutedInkColor);
        const QString required =
            key.unknown == 0 ? tr("required: %1 (%2 acknowledged)").arg(key.acked).arg(key.ackedOps)
                             : tr("required: %1 – %2 (%3 acknowledged, %4 unknown)")
                                   .arg(key.acked)
                                   .arg(key.acked + key.unknown)
                                   .arg(key.ackedOps)
                                   .arg(key.unknownOps);
        drawText(painter, card.required, Qt::AlignVCenter | Qt::AlignLeft, required);
        for (std::size_t r = 0; r < card.replicas.size(); ++r) {
            const CounterReplicaValue& replica = key.replicas[r];
            const bool down = replica.status == NodeStatus::Crashed || replica.status == NodeStatus::Removed;
            const bool current = replica.holds && replica.version == key.version;
            const QRect box = card.replicas[r];
            const bool selected = QString::fromStdString(replica.replica) == m_selectedId;
            painter.setPen(QPen(selected ? cards::kInkColor : cards::kPanelBorder, selected ? 2 : 1));
            painter.setBrush(down ? cards::kTrackColor : current ? QColor(0xE6, 0xF4, 0xEA) : QColor(0xFD, 0xF3, 0xE1));
            painter.drawRoundedRect(box, 4, 4);
            painter.setPen(down ? cards::kMutedInkColor : cards::kInkColor);
            const QRect top(box.left() + 4, box.top(), box.width() - 8, box.height() / 2);
            const QRect bottom(box.left() + 4, box.top() + box.height() / 2, box.width() - 8, box.height() / 2);
            drawText(painter, top, Qt::AlignVCenter | Qt::AlignLeft,
                     down ? tr("%1 (down)").arg(QString::fromStdString(replica.replica)) : QString::fromStdString(replica.replica));
            drawText(painter, bottom, Qt::AlignVCenter | Qt::AlignLeft,
                     replica.holds ? tr("%1 (v%2)").arg(replica.value).arg(replica.version) : tr("not held"));
        }
    }
    painter.restore();
}

QString CounterBoard::nodeAt(const ClusterSnapshot& snapshot, QPointF p) const {
    const CounterBoardLayout layout = layoutFor(snapshot, rect(), font());
    for (const CounterCardLayout& card : layout.cards)
        for (std::size_t r = 0; r < card.replicas.size(); ++r)
            if (card.replicas[r].contains(p.toPoint()))
                return QString::fromStdString(snapshot.counter.keys[std::size_t(card.key)].replicas[r].replica);
    return {};
}

void CounterBoard::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && m_snapshot) {
        const CounterBoardLayout layout = layoutFor(*m_snapshot, rect(), font());
        const QPoint p = event->position().toPoint();
        if (layout.badge.contains(p)) {
            const CounterVerdict verdict = counterVerdict(*m_snapshot);
            if (verdict.failing) emit verdictActivated(*verdict.failing);
            return;
        }
        for (const CounterCardLayout& card : layout.cards)
            if (card.card.contains(p)) {
                setSelectedKey(card.key);
                emit keySelected(card.key);
            }
    }
    SnapshotView::mousePressEvent(event);
}

CounterPanel::CounterPanel(QWidget* parent) : QWidget(parent) {
    m_switchBar = new QWidget(this);
    m_switchBar->setObjectName(QStringLiteral("BreakItBar"));
    // A switch that is on reads from the back of a classroom: the violation colour, white text.
    m_switchBar->setStyleSheet(QStringLiteral("QToolButton:checked { background-color: %1; color: white; "
                                              "border: 1px solid %2; border-radius: 3px; padding: 2px 6px; }")
                                   .arg(kViolationColor.name(), kViolationColor.darker(140).name()));
    auto* bar = new QHBoxLayout(m_switchBar);
    bar->setContentsMargins(6, 4, 6, 0);
    bar->setSpacing(4);
    m_switchLabel = new QLabel(m_switchBar);
    bar->addWidget(m_switchLabel);
    for (const BreakSwitch& entry : kBreakSwitches) {
        auto* button = new QToolButton(m_switchBar);
        const QString name = QString::fromLatin1(entry.name);
        button->setObjectName(QStringLiteral("break-") + name);
        button->setCheckable(true);
        button->setAutoRaise(false);
        bar->addWidget(button);
        m_switchButtons.push_back(button);
        connect(button, &QToolButton::toggled, this, [this, name](bool on) {
            emit commandRequested(QStringLiteral("break %1 %2").arg(name, on ? QStringLiteral("on") : QStringLiteral("off")));
        });
    }
    bar->addStretch(1);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    m_board = new CounterBoard(splitter);
    m_board->setObjectName(QStringLiteral("CounterBoard"));
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_timeAxis = new QValueAxis;
    m_timeAxis->setLabelFormat(QStringLiteral("%.0f"));
    m_valueAxis = new QValueAxis;
    m_valueAxis->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    auto add = [&](QColor color, Qt::PenStyle style) {
        auto* s = new QLineSeries;
        s->setPen(QPen(color, 2.5, style));
        m_chart->addSeries(s);
        s->attachAxis(m_timeAxis);
        s->attachAxis(m_valueAxis);
        return s;
    };
    m_possible = add(kPossibleColor, Qt::DashLine);
    m_acked = add(kAckedColor, Qt::SolidLine);
    m_committed = add(kCommittedColor, Qt::SolidLine);
    m_view = new QChartView(m_chart, splitter);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(200);
    splitter->addWidget(m_board);
    splitter->addWidget(m_view);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_switchBar);
    layout->addWidget(splitter);
    retranslate();
    syncSwitches();
    connect(m_board, &CounterBoard::nodeSelected, this, &CounterPanel::nodeSelected);
    connect(m_board, &CounterBoard::verdictActivated, this, &CounterPanel::verdictActivated);
    connect(m_board, &CounterBoard::keySelected, this, [this] { rebuildChart(); });
}

CounterPanel::~CounterPanel() = default;

void CounterPanel::setSnapshot(std::shared_ptr<const ClusterSnapshot> snapshot) {
    m_board->setSnapshot(snapshot);
    m_snapshot = std::move(snapshot);
    syncSwitches();
    rebuildChart();
}

QToolButton* CounterPanel::switchButton(std::string_view name) const {
    for (std::size_t i = 0; i < std::size(kBreakSwitches); ++i)
        if (name == kBreakSwitches[i].name) return m_switchButtons[i];
    return nullptr;
}

std::vector<std::string> CounterPanel::switchNames() const {
    std::vector<std::string> names;
    for (const BreakSwitch& entry : kBreakSwitches) names.emplace_back(entry.name);
    return names;
}

void CounterPanel::syncSwitches() {
    const bool active = m_snapshot && m_snapshot->counter.active;
    m_switchBar->setVisible(active);
    for (std::size_t i = 0; i < std::size(kBreakSwitches); ++i) {
        QToolButton* button = m_switchButtons[i];
        const std::string_view name = kBreakSwitches[i].name;
        const bool on = active && std::find(m_snapshot->counter.broken.begin(), m_snapshot->counter.broken.end(), name) !=
                                      m_snapshot->counter.broken.end();
        if (button->isChecked() == on) continue;
        const QSignalBlocker quiet(button);  // following the run, not a new command
        button->setChecked(on);
    }
}

void CounterPanel::retranslate() {
    // The chart's words too: a language switch in front of the class changes the legend at once.
    m_timeAxis->setTitleText(tr("simulated time (s)"));
    m_possible->setName(tr("acknowledged + unknown"));
    m_acked->setName(tr("acknowledged increments"));
    m_committed->setName(tr("committed value"));
    rebuildChart(true);  // its title
    m_switchLabel->setText(tr("Break it:"));
    m_switchLabel->setToolTip(tr("Each switch takes one safety measure away; the checker shows what goes wrong. "
                                 "Console: break SWITCH on|off"));
    for (std::size_t i = 0; i < std::size(kBreakSwitches); ++i) {
        const BreakSwitch& entry = kBreakSwitches[i];
        m_switchButtons[i]->setText(tr(entry.text));
        m_switchButtons[i]->setToolTip(tr(entry.tip) + QStringLiteral("\n") +
                                       tr("Console: break %1 on|off").arg(QString::fromLatin1(entry.name)));
    }
}

void CounterPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void CounterPanel::setSelectedNode(const QString& id) { m_board->setSelectedNode(id); }

void CounterPanel::rebuildChart(bool force) {
    QList<QPointF> committed, acked, possible;
    double top = 1, end = 1;
    const CounterKeyView* key = nullptr;
    if (m_snapshot && m_snapshot->counter.active && !m_snapshot->counter.keys.empty())
        key = &m_snapshot->counter.keys[std::size_t(std::clamp<int>(m_board->selectedKey(), 0, int(m_snapshot->counter.keys.size()) - 1))];
    Drawn now;
    now.valid = true;
    if (key) {
        now.key = key->key;
        now.samples = key->samples.size();
        if (!key->samples.empty()) now.last = key->samples.back();
        now.end = std::max(seconds(m_snapshot->now), 1.0);
    }
    const auto same = [](const CounterSample& a, const CounterSample& b) {
        return a.at == b.at && a.acked == b.acked && a.possible == b.possible && a.committed == b.committed;
    };
    if (!force && m_drawn.valid && m_drawn.key == now.key && m_drawn.samples == now.samples && same(m_drawn.last, now.last) &&
        std::abs(now.end - m_drawn.end) < m_drawn.end / 400)
        return;
    m_drawn = now;
    if (key) {
        // Steps: a value holds until the next sample.
        auto step = [](QList<QPointF>& line, double x, double y) {
            if (!line.isEmpty()) line.append(QPointF(x, line.back().y()));
            line.append(QPointF(x, y));
        };
        for (const CounterSample& s : key->samples) {
            step(committed, seconds(s.at), double(s.committed));
            step(acked, seconds(s.at), double(s.acked));
            step(possible, seconds(s.at), double(s.possible));
            top = std::max({top, double(s.committed), double(s.possible)});
        }
        end = now.end;
        for (QList<QPointF>* line : {&committed, &acked, &possible})
            if (!line->isEmpty()) line->append(QPointF(end, line->back().y()));
        m_chart->setTitle(tr("Key %1 over time").arg(QString::fromStdString(key->key)));
    } else {
        m_chart->setTitle(QString());
    }
    m_committed->replace(committed);
    m_acked->replace(acked);
    m_possible->replace(possible);
    setTimeAxisRange(*m_timeAxis, 0, end);
    m_valueAxis->setRange(0, top * 1.05);
    m_valueAxis->applyNiceNumbers();
}

}  // namespace distlab
