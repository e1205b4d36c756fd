#pragma once
// The inspector shows the selected node as the protocol sees it: role, status, keys, virtual nodes,
// load share, messages waiting for it, and the protocol's own details (ring epoch, pending writes...).
#include <QWidget>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/session/snapshot.h"

class QFormLayout;
class QLabel;

namespace distlab {

class Inspector : public QWidget {
    Q_OBJECT

public:
    explicit Inspector(QWidget* parent = nullptr);
    ~Inspector() override;

    // Called up to 60 times a second; labels are only touched when their text changes.
    void setSnapshot(std::shared_ptr<const distlab::ClusterSnapshot> snapshot);
    QString selectedNode() const { return m_selectedId; }

    // Visible text of a row by its field ("id", "role", "status", "keysOwned", "keysStored", "vnodes",
    // "loadShare", "pending"), or of a detail row by its untranslated core label. Empty if absent.
    QString fieldText(const QString& field) const;
    // Whether the "click a node" hint is showing instead of a node.
    bool isShowingHint() const;

public slots:
    void setSelectedNode(const QString& id);

private:
    void refresh();
    void setDetails(const std::vector<std::pair<std::string, std::string>>& details);

    std::shared_ptr<const ClusterSnapshot> m_snapshot;
    QString m_selectedId;
    QLabel* m_hint = nullptr;
    QWidget* m_page = nullptr;
    QLabel* m_title = nullptr;
    QFormLayout* m_form = nullptr;
    QLabel* m_detailsHeading = nullptr;
    int m_fixedRows = 0;                                // rows before the protocol details
    std::vector<std::pair<QString, QLabel*>> m_fields;  // field name -> value label
    std::vector<std::string> m_detailLabels;            // untranslated, in display order
    std::vector<QLabel*> m_detailValues;
};

}  // namespace distlab
