#pragma once
// Load statistics of the ring, drawn with Qt Charts: keys per node (one bar per server in its ring
// colour) and, after each membership change, the share of keys that moved on the ring compared with
// what modulo hashing would have moved.
#include <QWidget>

#include <memory>
#include <string>
#include <vector>

#include "core/session/snapshot.h"

class QChart;
class QChartView;
class QLabel;

namespace distlab {

class LoadChart : public QWidget {
    Q_OBJECT

public:
    // Above this many servers one bar per node still shows, but in a single series (node colours are
    // only used up to here, and category labels are hidden beyond it).
    static constexpr int kColouredBarsMax = 32;
    // Only the most recent membership changes are shown.
    static constexpr int kMovementsShownMax = 10;

    // A count axis from 0: a whole-number tick step (1, 2 or 5 times a power of ten, at most 6 intervals) and
    // the top, a multiple of the step with room above the tallest bar. Small counts no longer get
    // fractional ticks whose labels round to "0, 0, 1, 1".
    struct CountAxis {
        double top = 1;
        double step = 1;
    };
    static CountAxis countAxis(std::size_t maxCount);

    explicit LoadChart(QWidget* parent = nullptr);
    ~LoadChart() override;

    // Called up to 60 times a second: the series are only rebuilt when the server list, their key
    // counts or the movement records differ from the previous snapshot.
    void setSnapshot(std::shared_ptr<const distlab::ClusterSnapshot> snapshot);

    QChart* keysChart() const { return m_keysChart; }
    QChart* movementChart() const { return m_movementChart; }
    // The reference line under the movement chart ("ideal 1/(N+1)").
    QString idealText() const;
    // How many times each chart was rebuilt; lets tests check that unchanged snapshots cost nothing.
    int keysRebuildCount() const { return m_keysRebuilds; }
    int movementRebuildCount() const { return m_movementRebuilds; }

private:
    // What the keys chart shows of one server; a change in any field rebuilds it.
    struct ServerBar {
        std::string id;
        int colorIndex = 0;
        NodeStatus status = NodeStatus::Up;
        std::size_t keysOwned = 0;
        bool operator==(const ServerBar&) const = default;
    };
    struct Movement {
        SimTime at = 0;
        std::string change;
        std::size_t keys = 0;
        std::size_t movedRing = 0;
        std::size_t movedModulo = 0;
        bool operator==(const Movement&) const = default;
    };

    void rebuildKeys();
    void rebuildMovement(int memberCount);

    QChartView* m_keysView = nullptr;
    QChartView* m_movementView = nullptr;
    QChart* m_keysChart = nullptr;
    QChart* m_movementChart = nullptr;
    QLabel* m_idealLabel = nullptr;
    std::vector<ServerBar> m_bars;
    std::vector<Movement> m_movements;
    int m_memberCount = -1;
    bool m_hasSnapshot = false;
    int m_keysRebuilds = 0;
    int m_movementRebuilds = 0;
};

}  // namespace distlab
