#include "widgets/mq_rates_chart.h"

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QPen>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

#include "widgets/chart_axes.h"
#include "widgets/queue_view.h"

namespace distlab {

namespace {

const QColor kPublishColor(0x00, 0x72, 0xB2);  // blue
const QColor kDeliverColor(0x00, 0x9E, 0x73);  // bluish green
const QColor kAckColor(0x33, 0x22, 0x88);      // indigo
constexpr double kLineWidthPx = 2.5;

double toSeconds(SimTime t) {
    return static_cast<double>(t) / kMicrosPerSecond;
}

// A "nice" upper bound for the rate axis: 1, 2 or 5 times a power of ten, at least 1.
double niceCeiling(double value) {
    if (value <= 1.0) return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= m * magnitude) return m * magnitude;
    }
    return 10.0 * magnitude;
}

}  // namespace

MqRatesChart::MqRatesChart(QWidget* parent) : QWidget(parent) {
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);  // redrawn from snapshots; animation would lag them
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    QFont title = font();
    title.setPointSizeF(font().pointSizeF() * 1.15);
    title.setBold(true);
    m_chart->setTitleFont(title);
    m_chart->setTitle(tr("Message rates"));
    m_chart->legend()->setVisible(true);
    m_chart->legend()->setAlignment(Qt::AlignBottom);

    m_timeAxis = new QValueAxis;
    m_timeAxis->setTitleText(tr("simulated time (s)"));
    m_timeAxis->setLabelFormat(QStringLiteral("%.1f"));
    m_timeAxis->setRange(0, 1);
    m_rateAxis = new QValueAxis;
    m_rateAxis->setTitleText(tr("messages/s"));
    m_rateAxis->setLabelFormat(QStringLiteral("%g"));
    m_rateAxis->setRange(0, 1);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_rateAxis, Qt::AlignLeft);

    const QString names[kRateCount] = {tr("publish"), tr("deliver"), tr("ack"), tr("redeliver")};
    const QColor colors[kRateCount] = {kPublishColor, kDeliverColor, kAckColor, mqRedeliveredColor()};
    for (int i = 0; i < kRateCount; ++i) {
        auto* s = new QLineSeries;
        s->setName(names[i]);
        s->setPen(QPen(colors[i], kLineWidthPx));
        m_chart->addSeries(s);
        s->attachAxis(m_timeAxis);
        s->attachAxis(m_rateAxis);
        m_series[i] = s;
    }

    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(230);  // below this the axis labels collapse to "…"
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

MqRatesChart::~MqRatesChart() = default;

QLineSeries* MqRatesChart::series(Rate rate) const {
    return m_series[static_cast<int>(rate)];
}

void MqRatesChart::setSnapshot(std::shared_ptr<const ClusterSnapshot> snapshot) {
    if (!snapshot) return;
    const QueueSnapshot& mq = snapshot->mq;
    std::vector<Bucket> buckets;
    if (mq.active) {
        buckets.reserve(mq.rates.size());
        for (const MqRateBucket& b : mq.rates) buckets.push_back({b.start, b.published, b.delivered, b.redelivered, b.acked});
    }
    if (m_hasSnapshot && mq.active == m_active && mq.rateWidth == m_width && buckets == m_buckets) return;
    m_hasSnapshot = true;
    m_active = mq.active;
    m_width = mq.rateWidth;
    m_buckets = std::move(buckets);
    rebuild();
}

void MqRatesChart::rebuild() {
    ++m_rebuilds;
    const double widthS = m_width > 0 ? toSeconds(m_width) : 1.0;
    QList<QPointF> points[kRateCount];
    double peak = 0;
    for (const Bucket& b : m_buckets) {
        const double x = toSeconds(b.start);
        const double values[kRateCount] = {b.published / widthS, b.delivered / widthS, b.acked / widthS,
                                           b.redelivered / widthS};
        for (int i = 0; i < kRateCount; ++i) {
            points[i].append(QPointF(x, values[i]));
            peak = std::max(peak, values[i]);
        }
    }
    // replace() swaps the points in one go: one repaint, no per-point signals.
    for (int i = 0; i < kRateCount; ++i) m_series[i]->replace(points[i]);
    if (m_buckets.empty()) {
        m_timeAxis->setRange(0, 1);
    } else {
        const double t0 = toSeconds(m_buckets.front().start);
        const double t1 = std::max(toSeconds(m_buckets.back().start), t0 + widthS);
        setTimeAxisRange(*m_timeAxis, t0, t1);  // ticks on round seconds, not on bucket edges
    }
    m_rateAxis->setRange(0, niceCeiling(peak * 1.1));
    m_chart->setTitle(m_active ? tr("Message rates (%1 ms buckets)")
                                     .arg(static_cast<double>(m_width) / kMicrosPerMilli)
                               : tr("Message rates"));
}

}  // namespace distlab
