#include "widgets/queue_lab_panel.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "widgets/mq_rates_chart.h"
#include "widgets/queue_view.h"

namespace distlab {

QueueLabPanel::QueueLabPanel(QWidget* parent) : QWidget(parent) {
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    m_queueView = new QueueView(m_splitter);
    m_queueView->setObjectName(QStringLiteral("QueueView"));
    m_ratesChart = new MqRatesChart(m_splitter);
    m_ratesChart->setObjectName(QStringLiteral("MqRatesChart"));
    m_splitter->addWidget(m_queueView);
    m_splitter->addWidget(m_ratesChart);
    // The picture is what the class looks at; the chart gets a third.
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);
    connect(m_queueView, &QueueView::nodeSelected, this, &QueueLabPanel::nodeSelected);
}

QueueLabPanel::~QueueLabPanel() = default;

void QueueLabPanel::setSnapshot(std::shared_ptr<const ClusterSnapshot> snapshot) {
    m_queueView->setSnapshot(snapshot);
    m_ratesChart->setSnapshot(std::move(snapshot));
}

void QueueLabPanel::setSelectedNode(const QString& id) {
    m_queueView->setSelectedNode(id);
}

}  // namespace distlab
