#pragma once
// The queue lab's dock: the queue picture on top and the rates chart below, in a splitter the user can
// drag. It only forwards snapshots and the selection.
#include <QWidget>

#include <memory>

#include "core/session/snapshot.h"

class QSplitter;

namespace distlab {

class MqRatesChart;
class QueueView;

class QueueLabPanel : public QWidget {
    Q_OBJECT

public:
    explicit QueueLabPanel(QWidget* parent = nullptr);
    ~QueueLabPanel() override;

    // Forwards the snapshot to both views.
    void setSnapshot(std::shared_ptr<const distlab::ClusterSnapshot> snapshot);

    QueueView* queueView() const { return m_queueView; }      // object name "QueueView"
    MqRatesChart* ratesChart() const { return m_ratesChart; }  // object name "MqRatesChart"
    QSplitter* splitter() const { return m_splitter; }

public slots:
    // Highlights the producer, consumer or broker with this id in the queue picture.
    void setSelectedNode(const QString& id);

signals:
    // A click in the queue picture (see QueueView::nodeSelected).
    void nodeSelected(const QString& id);

private:
    QSplitter* m_splitter = nullptr;
    QueueView* m_queueView = nullptr;
    MqRatesChart* m_ratesChart = nullptr;
};

}  // namespace distlab
