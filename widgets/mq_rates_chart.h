#pragma once
// The queue lab's rates over simulated time, drawn with Qt Charts: how many messages per second the
// producers published, the broker delivered for the first time and redelivered, and the consumers
// acknowledged. A redelivery storm or a stalled consumer shows up as the lines part.
#include <QWidget>

#include <memory>
#include <vector>

#include "core/session/snapshot.h"

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace distlab {

class MqRatesChart : public QWidget {
    Q_OBJECT

public:
    enum class Rate { Publish, Deliver, Ack, Redeliver };
    static constexpr int kRateCount = 4;

    explicit MqRatesChart(QWidget* parent = nullptr);
    ~MqRatesChart() override;

    // Called up to 60 times a second: the series are only rebuilt when the buckets or their width differ
    // from the previous snapshot's.
    void setSnapshot(std::shared_ptr<const distlab::ClusterSnapshot> snapshot);

    QChart* chart() const { return m_chart; }
    // The series of one rate: x is a bucket's start in seconds of simulated time, y its messages per
    // second.
    QLineSeries* series(Rate rate) const;
    QValueAxis* timeAxis() const { return m_timeAxis; }
    QValueAxis* rateAxis() const { return m_rateAxis; }
    // How many times the series were rebuilt; lets tests check that unchanged snapshots cost nothing.
    int rebuildCount() const { return m_rebuilds; }

private:
    struct Bucket {
        SimTime start = 0;
        std::uint32_t published = 0;
        std::uint32_t delivered = 0;
        std::uint32_t redelivered = 0;
        std::uint32_t acked = 0;
        bool operator==(const Bucket&) const = default;
    };

    void rebuild();

    QChartView* m_view = nullptr;
    QChart* m_chart = nullptr;
    QLineSeries* m_series[kRateCount] = {};
    QValueAxis* m_timeAxis = nullptr;
    QValueAxis* m_rateAxis = nullptr;
    std::vector<Bucket> m_buckets;
    SimTime m_width = 0;
    bool m_active = false;
    bool m_hasSnapshot = false;
    int m_rebuilds = 0;
};

}  // namespace distlab
