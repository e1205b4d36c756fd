#include "widgets/load_chart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QStackedBarSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

#include "widgets/palette.h"

namespace distlab {

namespace {

const QColor kRingBarColor(0x00, 0x72, 0xB2);
const QColor kModuloBarColor(0xE6, 0x9F, 0x00);
const QColor kLabelColor(0x20, 0x21, 0x24);

void clearChart(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

QChart* makeChart(const QFont& base) {
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);  // redrawn from snapshots; animation would lag them
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    QFont title = base;
    title.setPointSizeF(base.pointSizeF() * 1.15);
    title.setBold(true);
    chart->setTitleFont(title);
    return chart;
}

QChartView* makeView(QChart* chart, QWidget* parent) {
    auto* view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(210);  // below this the axis labels collapse to "…"
    return view;
}

}  // namespace

LoadChart::CountAxis LoadChart::countAxis(std::size_t maxCount) {
    const double want = std::max(1.0, static_cast<double>(maxCount) * 1.12);  // room for the bar's label
    double step = 1;
    for (double power = 1;; power *= 10) {
        for (double m : {1.0, 2.0, 5.0}) {
            step = m * power;
            if (want / step <= 6) return CountAxis{std::ceil(want / step) * step, step};
        }
    }
}

LoadChart::LoadChart(QWidget* parent) : QWidget(parent) {
    m_keysChart = makeChart(font());
    m_movementChart = makeChart(font());
    m_keysView = makeView(m_keysChart, this);
    m_movementView = makeView(m_movementChart, this);
    m_idealLabel = new QLabel(this);
    m_idealLabel->setWordWrap(true);
    m_idealLabel->setObjectName(QStringLiteral("idealLabel"));
    m_idealLabel->setContentsMargins(8, 0, 8, 4);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_keysView, 1);
    layout->addWidget(m_movementView, 1);
    layout->addWidget(m_idealLabel);
    m_keysChart->setTitle(tr("Keys per node"));
    m_movementChart->setTitle(tr("Keys moved by each membership change"));
    m_idealLabel->setText(tr("No membership change yet."));
}

LoadChart::~LoadChart() = default;

QString LoadChart::idealText() const {
    return m_idealLabel->text();
}

void LoadChart::setSnapshot(std::shared_ptr<const ClusterSnapshot> snapshot) {
    if (!snapshot) return;
    std::vector<ServerBar> bars;
    int members = 0;
    for (const NodeView& node : snapshot->nodes) {
        if (node.role != NodeRole::Server || node.status == NodeStatus::Removed) continue;
        members += node.onRing ? 1 : 0;
        if (!node.onRing && node.keysOwned == 0) continue;
        bars.push_back({node.id, node.colorIndex, node.status, node.keysOwned});
    }
    std::vector<Movement> movements;
    const std::size_t first = snapshot->movements.size() > static_cast<std::size_t>(kMovementsShownMax)
                                  ? snapshot->movements.size() - static_cast<std::size_t>(kMovementsShownMax)
                                  : 0;
    for (std::size_t i = first; i < snapshot->movements.size(); ++i) {
        const MovementRecord& r = snapshot->movements[i];
        movements.push_back({r.at, r.change, r.keys, r.movedRing, r.movedModulo});
    }
    if (!m_hasSnapshot || bars != m_bars) {
        m_bars = std::move(bars);
        rebuildKeys();
    }
    if (!m_hasSnapshot || movements != m_movements || members != m_memberCount) {
        m_movements = std::move(movements);
        m_memberCount = members;
        rebuildMovement(members);
    }
    m_hasSnapshot = true;
}

void LoadChart::rebuildKeys() {
    ++m_keysRebuilds;
    clearChart(m_keysChart);
    const int n = static_cast<int>(m_bars.size());
    std::size_t ringKeys = 0;
    std::size_t maxKeys = 0;
    for (const ServerBar& bar : m_bars) {
        maxKeys = std::max(maxKeys, bar.keysOwned);
        ringKeys += bar.keysOwned;
    }
    const double even = n > 0 ? static_cast<double>(ringKeys) / n : 0.0;
    m_keysChart->setTitle(n > 0 ? tr("Keys per node (even share: %1)").arg(even, 0, 'f', 1)
                                : tr("Keys per node"));

    QStringList categories;
    for (const ServerBar& bar : m_bars) categories << QString::fromStdString(bar.id);
    QAbstractBarSeries* series = nullptr;
    if (n <= kColouredBarsMax) {
        // One set per node, with its value only in its own category: a stacked series then draws one
        // bar per category, each in its node's colour.
        auto* stacked = new QStackedBarSeries;
        for (int i = 0; i < n; ++i) {
            const ServerBar& bar = m_bars[static_cast<std::size_t>(i)];
            auto* set = new QBarSet(QString::fromStdString(bar.id));
            for (int k = 0; k < n; ++k) set->append(k == i ? static_cast<double>(bar.keysOwned) : 0.0);
            const QColor color =
                bar.status == NodeStatus::Crashed ? crashedColor() : nodeColor(bar.colorIndex);
            set->setColor(color);
            set->setBorderColor(color.darker(120));
            set->setLabelColor(kLabelColor);
            stacked->append(set);
        }
        series = stacked;
    } else {
        // Too many nodes for a set each: one set, crashed nodes marked through bar selection.
        auto* plain = new QBarSeries;
        auto* set = new QBarSet(tr("keys"));
        QList<int> crashed;
        for (int i = 0; i < n; ++i) {
            set->append(static_cast<double>(m_bars[static_cast<std::size_t>(i)].keysOwned));
            if (m_bars[static_cast<std::size_t>(i)].status == NodeStatus::Crashed) crashed << i;
        }
        set->setColor(nodeColor(0));
        set->setBorderColor(nodeColor(0));
        set->setSelectedColor(crashedColor());
        set->selectBars(crashed);
        plain->append(set);
        plain->setBarWidth(1.0);
        series = plain;
    }
    series->setLabelsVisible(n <= 16);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsFormat(QStringLiteral("@value"));
    m_keysChart->addSeries(series);
    m_keysChart->legend()->setVisible(false);

    auto* axisX = new QBarCategoryAxis;
    axisX->append(categories);
    axisX->setLabelsVisible(n <= kColouredBarsMax);
    if (n > kColouredBarsMax) axisX->setTitleText(tr("%1 nodes").arg(n));
    auto* axisY = new QValueAxis;
    const CountAxis count = countAxis(std::size_t(maxKeys));
    axisY->setRange(0, count.top);
    axisY->setTickType(QValueAxis::TicksDynamic);
    axisY->setTickAnchor(0);
    axisY->setTickInterval(count.step);
    axisY->setLabelFormat(QStringLiteral("%d"));
    axisY->setTitleText(tr("keys"));
    m_keysChart->addAxis(axisX, Qt::AlignBottom);
    m_keysChart->addAxis(axisY, Qt::AlignLeft);
    series->attachAxis(axisX);
    series->attachAxis(axisY);
}

void LoadChart::rebuildMovement(int memberCount) {
    ++m_movementRebuilds;
    clearChart(m_movementChart);
    // Category names must be unique; the same change can happen twice ("kill n2", later again).
    QStringList categories;
    std::map<QString, int> seen;
    auto* ring = new QBarSet(tr("moved by the ring"));
    auto* modulo = new QBarSet(tr("moved by modulo hashing"));
    for (QBarSet* set : {ring, modulo}) {
        const QColor color = set == ring ? kRingBarColor : kModuloBarColor;
        set->setColor(color);
        set->setBorderColor(color.darker(120));
        set->setLabelColor(kLabelColor);  // the theme's default is white, unreadable above a bar
    }
    for (const Movement& m : m_movements) {
        QString name = QString::fromStdString(m.change);
        const int count = ++seen[name];
        if (count > 1) name = tr("%1 (%2)").arg(name).arg(count);
        categories << name;
        const double keys = m.keys > 0 ? static_cast<double>(m.keys) : 1.0;
        ring->append(100.0 * static_cast<double>(m.movedRing) / keys);
        modulo->append(100.0 * static_cast<double>(m.movedModulo) / keys);
    }
    auto* series = new QBarSeries;
    series->append(ring);
    series->append(modulo);
    series->setLabelsVisible(!m_movements.empty() && m_movements.size() <= 6);
    series->setLabelsFormat(QStringLiteral("@value %"));
    series->setLabelsPrecision(3);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    m_movementChart->addSeries(series);
    m_movementChart->legend()->setVisible(true);
    m_movementChart->legend()->setAlignment(Qt::AlignBottom);

    auto* axisX = new QBarCategoryAxis;
    if (categories.isEmpty()) categories << tr("no change yet");
    axisX->append(categories);
    auto* axisY = new QValueAxis;
    axisY->setRange(0, 100);
    axisY->setTickCount(6);
    axisY->setLabelFormat(QStringLiteral("%d %"));
    axisY->setTitleText(tr("% of keys"));
    m_movementChart->addAxis(axisX, Qt::AlignBottom);
    m_movementChart->addAxis(axisY, Qt::AlignLeft);
    series->attachAxis(axisX);
    series->attachAxis(axisY);

    if (memberCount > 0) {
        const double n = memberCount;
        m_idealLabel->setText(
            tr("Ideal when a node joins N = %1 servers: 1/(N+1) = %2 % of the keys move.")
                .arg(memberCount)
                .arg(100.0 / (n + 1.0), 0, 'f', 1) +
            QLatin1Char('\n') +
            tr("Modulo hashing moves about N/(N+1) = %1 %.").arg(100.0 * n / (n + 1.0), 0, 'f', 1));
    } else {
        m_idealLabel->setText(tr("No node is on the ring yet."));
    }
}

}  // namespace distlab
