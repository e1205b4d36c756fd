#include "widgets/inspector.h"

#include <QCoreApplication>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "widgets/palette.h"
#include "widgets/ring_geometry.h"

namespace distlab {

namespace {

// Detail labels and fixed values come from core in English, marked there with
// QT_TRANSLATE_NOOP("Details", ...), and are translated at display time; other values (numbers, keys)
// have no translation and show as they are.

void setTextIfChanged(QLabel* label, const QString& text) {
    if (label->text() != text) label->setText(text);
}

QLabel* makeValueLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::PlainText);
    return label;
}

}  // namespace

Inspector::Inspector(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    m_hint = new QLabel(tr("Click a node to inspect it."), this);
    m_hint->setObjectName(QStringLiteral("hint"));
    m_hint->setWordWrap(true);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setStyleSheet(QStringLiteral("color: #5F6368;"));
    outer->addWidget(m_hint);

    m_page = new QWidget(this);
    auto* pageLayout = new QVBoxLayout(m_page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(m_page);
    m_title->setObjectName(QStringLiteral("title"));
    m_title->setTextFormat(Qt::RichText);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    pageLayout->addWidget(m_title);

    // One form for the fixed fields and the protocol details, so that both share a label column.
    m_form = new QFormLayout;
    m_form->setLabelAlignment(Qt::AlignLeft);
    m_form->setHorizontalSpacing(16);
    const std::pair<QString, QString> rows[] = {
        {QStringLiteral("role"), tr("Role")},
        {QStringLiteral("status"), tr("Status")},
        {QStringLiteral("keysOwned"), tr("Keys owned")},
        {QStringLiteral("keysStored"), tr("Keys stored")},
        {QStringLiteral("vnodes"), tr("Virtual nodes")},
        {QStringLiteral("loadShare"), tr("Load share")},
        {QStringLiteral("pending"), tr("Pending messages")},
    };
    for (const auto& [field, caption] : rows) {
        QLabel* value = makeValueLabel(m_page);
        value->setObjectName(field);
        m_form->addRow(caption, value);
        m_fields.emplace_back(field, value);
    }
    m_detailsHeading = new QLabel(tr("Protocol state"), m_page);
    QFont headingFont = m_detailsHeading->font();
    headingFont.setBold(true);
    m_detailsHeading->setFont(headingFont);
    m_detailsHeading->setContentsMargins(0, 8, 0, 0);
    m_form->addRow(m_detailsHeading);
    m_fixedRows = m_form->rowCount();
    pageLayout->addLayout(m_form);
    pageLayout->addStretch(1);
    outer->addWidget(m_page);
    outer->addStretch(1);
    refresh();
}

Inspector::~Inspector() = default;

void Inspector::setSnapshot(std::shared_ptr<const ClusterSnapshot> snapshot) {
    m_snapshot = std::move(snapshot);
    refresh();
}

void Inspector::setSelectedNode(const QString& id) {
    m_selectedId = id;
    refresh();
}

bool Inspector::isShowingHint() const {
    return !m_hint->isHidden();
}

QString Inspector::fieldText(const QString& field) const {
    if (field == QStringLiteral("id")) return m_title->property("nodeId").toString();
    for (const auto& [name, label] : m_fields) {
        if (name == field) return label->text();
    }
    for (std::size_t i = 0; i < m_detailLabels.size(); ++i) {
        if (QString::fromStdString(m_detailLabels[i]) == field) return m_detailValues[i]->text();
    }
    return {};
}

void Inspector::refresh() {
    const NodeView* node = nullptr;
    if (m_snapshot && !m_selectedId.isEmpty()) {
        const std::string id = m_selectedId.toStdString();
        for (const NodeView& candidate : m_snapshot->nodes) {
            if (candidate.id == id) {
                node = &candidate;
                break;
            }
        }
    }
    if (!node) {
        m_hint->setText(m_selectedId.isEmpty() ? tr("Click a node to inspect it.")
                                               : tr("Node %1 is not in the cluster.").arg(m_selectedId));
        m_hint->show();
        m_page->hide();
        return;
    }
    m_hint->hide();
    m_page->show();

    const QString id = QString::fromStdString(node->id);
    const QColor color = node->status == NodeStatus::Crashed ? crashedColor() : nodeColor(node->colorIndex);
    const QString title =
        QStringLiteral("<span style=\"color:%1\">&#9679;</span> %2").arg(color.name(), id.toHtmlEscaped());
    if (m_title->text() != title) {
        m_title->setText(title);
        m_title->setProperty("nodeId", id);
    }

    QString role;
    switch (node->role) {
        case NodeRole::Server:
            role = tr("Server");
            break;
        case NodeRole::Client:
            role = tr("Client");
            break;
        case NodeRole::Control:
            role = tr("Control");
            break;
        case NodeRole::Service:
            role = tr("Lab service");
            break;
    }
    QString status;
    switch (node->status) {
        case NodeStatus::Up:
            status = node->role == NodeRole::Server && !node->onRing ? tr("Up, not on the ring") : tr("Up");
            break;
        case NodeStatus::Crashed:
            status = tr("Crashed");
            break;
        case NodeStatus::Paused:
            status = tr("Paused until %1").arg(geometry::formatSimTime(node->pausedUntil));
            break;
        case NodeStatus::Removed:
            status = tr("Removed");
            break;
    }
    const QString values[] = {
        role,
        status,
        QString::number(node->keysOwned),
        QString::number(node->keysStored),
        QString::number(node->vnodePoints.size()),
        tr("%1 %").arg(node->loadShare * 100.0, 0, 'f', 1),
        QString::number(node->pendingMessages),
    };
    for (std::size_t i = 0; i < m_fields.size(); ++i) setTextIfChanged(m_fields[i].second, values[i]);
    // Keys, virtual nodes and load belong to the ring: a lock server or a client has none to show.
    const bool ringFields = node->role == NodeRole::Server;
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        const QString& field = m_fields[i].first;
        if (field == QLatin1String("keysOwned") || field == QLatin1String("keysStored") ||
            field == QLatin1String("vnodes") || field == QLatin1String("loadShare"))
            m_form->setRowVisible(int(i), ringFields || node->keysStored > 0);
    }
    setDetails(node->details);
}

void Inspector::setDetails(const std::vector<std::pair<std::string, std::string>>& details) {
    std::vector<std::string> labels;
    labels.reserve(details.size());
    for (const auto& detail : details) labels.push_back(detail.first);
    if (labels != m_detailLabels) {
        // The set of rows changed (another node, or another protocol): rebuild them.
        while (m_form->rowCount() > m_fixedRows) m_form->removeRow(m_form->rowCount() - 1);
        m_detailValues.clear();
        for (const std::string& label : labels) {
            QLabel* value = makeValueLabel(m_page);
            m_form->addRow(QCoreApplication::translate("Details", label.c_str()), value);
            m_detailValues.push_back(value);
        }
        m_detailLabels = std::move(labels);
        m_detailsHeading->setVisible(!m_detailLabels.empty());
    }
    for (std::size_t i = 0; i < details.size(); ++i) {
        setTextIfChanged(m_detailValues[i], QCoreApplication::translate("Details", details[i].second.c_str()));
    }
}

}  // namespace distlab
