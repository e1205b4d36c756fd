#include "widgets/checks_panel.h"

#include <QCoreApplication>
#include <QFont>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLabel>
#include <QResizeEvent>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

#include "core/base/text.h"
#include "widgets/localize.h"
#include "widgets/palette.h"

namespace distlab {

namespace {

constexpr int kCheckRole = Qt::UserRole + 1;  // index into m_checks; -1 on a lab's heading
const QColor kHoldsColor(0x0B, 0x7A, 0x3B);
const QColor kHoldsTint(0xE6, 0xF4, 0xEA);
const QColor kFailsTint(0xFC, 0xE8, 0xE6);

bool sameText(const Text& a, const Text& b) {
    if ((a.templ == nullptr) != (b.templ == nullptr)) return false;
    if (a.templ && std::string_view(a.templ) != std::string_view(b.templ)) return false;
    return a.args == b.args;
}

bool sameVerdicts(const std::vector<CheckResult>& a, const std::vector<CheckResult>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const CheckResult& x = a[i];
        const CheckResult& y = b[i];
        if (x.name != y.name || x.lab != y.lab || x.ok != y.ok || x.explanation != y.explanation ||
            !sameText(x.text, y.text) || x.nodes != y.nodes || x.at != y.at)
            return false;
    }
    return true;
}

// Rows as tall as their word-wrapped title and explanation at the columns' current widths (the view's own
// size hints measure text on one line).
class WrappingDelegate : public QStyledItemDelegate {
public:
    WrappingDelegate(QTreeWidget* view) : QStyledItemDelegate(view), m_view(view) {}
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        QSize hint = QStyledItemDelegate::sizeHint(option, index);
        if (index.column() == 0) return hint;
        const int padding = 8;  // the style's text margins, both sides
        const int width = std::max(20, m_view->header()->sectionSize(index.column()) - padding);
        QFont font = option.font;
        const QVariant fontData = index.data(Qt::FontRole);
        if (fontData.isValid()) font = fontData.value<QFont>();
        const QRect bounds = QFontMetrics(font).boundingRect(QRect(0, 0, width, 1 << 20), Qt::TextWordWrap,
                                                             index.data(Qt::DisplayRole).toString());
        hint.setHeight(std::max(hint.height(), bounds.height() + 6));
        return hint;
    }

private:
    QTreeWidget* m_view;
};

constexpr int kTitleColumnPx = 120;

}  // namespace

ChecksPanel::ChecksPanel(QWidget* parent) : QWidget(parent) {
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("ChecksSummary"));
    m_summary->setWordWrap(true);
    m_summary->setContentsMargins(6, 4, 6, 2);
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("ChecksList"));
    m_list->setColumnCount(3);
    m_list->setHeaderLabels({tr("Verdict"), tr("Check"), tr("Explanation")});
    m_list->setRootIsDecorated(false);
    m_list->setItemsExpandable(false);
    m_list->setWordWrap(true);
    m_list->setUniformRowHeights(false);
    m_list->setTextElideMode(Qt::ElideNone);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setAllColumnsShowFocus(true);
    m_list->setFocusPolicy(Qt::StrongFocus);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->header()->setStretchLastSection(true);
    m_list->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_list->header()->resizeSection(1, kTitleColumnPx);
    m_list->setItemDelegate(new WrappingDelegate(m_list));
    m_list->setMinimumHeight(80);
    m_list->setToolTip(
        tr("Enter or a click shows a verdict's evidence: its node is selected and the timeline marks "
           "the moment"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_summary);
    layout->addWidget(m_list, 1);
    setFocusProxy(m_list);

    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { activate(item); });
    connect(m_list, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) { activate(item); });
    connect(m_list->header(), &QHeaderView::sectionResized, this, [this] { relayoutRows(); });
    rebuild();
}

ChecksPanel::~ChecksPanel() = default;

QString ChecksPanel::titleFor(const std::string& name) {
    // The checkers' stable names, as the course calls the properties.
    static const std::map<std::string, const char*> kTitles{
        {"replicas-agree", QT_TR_NOOP("Replicas agree")},
        {"no-lost-acknowledged-write", QT_TR_NOOP("No acknowledged write lost")},
        {"acknowledged-order", QT_TR_NOOP("Acknowledged order")},
        {"mutual-exclusion", QT_TR_NOOP("Mutual exclusion")},
        {"monotonic-fencing", QT_TR_NOOP("Monotonic fencing tokens")},
        {"fifo-grants", QT_TR_NOOP("First-come, first-served grants")},
        {"wakeups-per-release", QT_TR_NOOP("One wakeup per release")},
        {"atomicity", QT_TR_NOOP("Atomicity")},
        {"validity", QT_TR_NOOP("Validity")},
        {"irrevocability", QT_TR_NOOP("Irrevocability")},
        {"saga-log-shape", QT_TR_NOOP("Saga log shape")},
        {"total-queue", QT_TR_NOOP("Every message accounted for")},
        {"effect-once", QT_TR_NOOP("Effect exactly once")},
        {"trace-complete", QT_TR_NOOP("Complete history")},
        {"counter-linearizable", QT_TR_NOOP("Linearizable counter")},
        {"counter-exact", QT_TR_NOOP("Counter exact")},
        {"applied-once", QT_TR_NOOP("Each increment applied once")},
    };
    auto it = kTitles.find(name);
    return it == kTitles.end() ? QString::fromStdString(name) : tr(it->second);
}

QString ChecksPanel::labTitle(const std::string& lab) {
    if (lab == "kv") return tr("Ring and key-value store");
    if (lab == "lock") return tr("Locks");
    if (lab == "txn") return tr("Transactions");
    if (lab == "mq") return tr("Queues");
    if (lab == "counter") return tr("Distributed counter");
    if (lab.empty()) return tr("Session");
    return QString::fromStdString(lab);
}

QString ChecksPanel::explanationFor(const CheckResult& check) {
    if (check.text.empty()) return QString::fromStdString(check.explanation);
    return localize(check.text);  // with its translatable parts ("lost", a protocol's name) translated too
}

QString ChecksPanel::verdictText(bool ok) {
    // A mark as well as a word and a colour: none of the three alone carries the verdict.
    return ok ? tr("✓ holds") : tr("✗ fails");
}

QColor ChecksPanel::verdictColor(bool ok) {
    return ok ? kHoldsColor : faultColor();
}

void ChecksPanel::setSnapshot(std::shared_ptr<const ClusterSnapshot> snapshot) {
    if (!snapshot) return;
    const bool timeChanged = snapshot->checksAt != m_checkedAt || snapshot->checksEvents != m_checkedEvents ||
                             snapshot->checksEvaluated != m_evaluated;
    const bool verdictsChanged = !sameVerdicts(snapshot->checks, m_checks);
    m_evaluated = snapshot->checksEvaluated;
    m_checkedAt = snapshot->checksAt;
    m_checkedEvents = snapshot->checksEvents;
    if (verdictsChanged) {
        m_checks = snapshot->checks;
        rebuild();
    } else if (timeChanged) {
        m_summary->setText(summaryText());
    }
}

QString ChecksPanel::summaryText() const {
    if (!m_evaluated) return tr("Not checked yet.");
    if (m_checks.empty()) return tr("No checks yet: a lab's checks start once it has something to check.");
    std::size_t failing = 0;
    for (const CheckResult& check : m_checks) failing += !check.ok;
    const QString when = tr("on the history up to %1 ms").arg(toMillis(m_checkedAt), 0, 'f', 1);
    if (failing == 0) return tr("All %1 checks hold %2.").arg(m_checks.size()).arg(when);
    return tr("%1 of %2 checks fail %3.").arg(failing).arg(m_checks.size()).arg(when);
}

QTreeWidgetItem* ChecksPanel::itemFor(const std::string& lab, const std::string& name) const {
    for (int g = 0; g < m_list->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_list->topLevelItem(g);
        for (int c = 0; c < group->childCount(); ++c) {
            QTreeWidgetItem* item = group->child(c);
            const int index = item->data(0, kCheckRole).toInt();
            if (index >= 0 && std::size_t(index) < m_checks.size() &&
                m_checks[std::size_t(index)].lab == lab && m_checks[std::size_t(index)].name == name)
                return item;
        }
    }
    return nullptr;
}

void ChecksPanel::rebuild() {
    // Keep the current verdict current across a rebuild.
    std::string currentLab, currentName;
    if (QTreeWidgetItem* current = m_list->currentItem()) {
        currentLab = current->data(1, kCheckRole).toString().toStdString();
        currentName = current->data(2, kCheckRole).toString().toStdString();
    }
    const bool hadFocus = m_list->hasFocus();
    m_list->clear();
    QTreeWidgetItem* group = nullptr;
    std::string groupLab;
    QTreeWidgetItem* restore = nullptr;
    QTreeWidgetItem* firstFailing = nullptr;
    for (std::size_t i = 0; i < m_checks.size(); ++i) {
        const CheckResult& check = m_checks[i];
        if (!group || check.lab != groupLab) {
            group = new QTreeWidgetItem(m_list);
            groupLab = check.lab;
            group->setText(0, labTitle(check.lab));
            QFont bold = m_list->font();
            bold.setBold(true);
            group->setFont(0, bold);
            group->setData(0, kCheckRole, -1);
            group->setFlags(Qt::ItemIsEnabled);  // a heading: the keyboard skips it
            group->setFirstColumnSpanned(true);
        }
        auto* item = new QTreeWidgetItem(group);
        item->setData(0, kCheckRole, int(i));
        item->setData(1, kCheckRole, QString::fromStdString(check.lab));
        item->setData(2, kCheckRole, QString::fromStdString(check.name));
        item->setText(0, verdictText(check.ok));
        item->setForeground(0, verdictColor(check.ok));
        QFont bold = m_list->font();
        bold.setBold(true);
        item->setFont(0, bold);
        item->setBackground(0, check.ok ? kHoldsTint : kFailsTint);
        item->setText(1, titleFor(check.name));
        item->setToolTip(1, QString::fromStdString(check.name));
        const QString explanation = explanationFor(check);
        item->setText(2, explanation);
        item->setTextAlignment(0, Qt::AlignLeft | Qt::AlignTop);
        item->setTextAlignment(1, Qt::AlignLeft | Qt::AlignTop);
        item->setTextAlignment(2, Qt::AlignLeft | Qt::AlignTop);
        // For a screen reader: the whole verdict in one sentence.
        item->setData(0, Qt::AccessibleTextRole,
                      tr("%1: %2. %3").arg(titleFor(check.name), verdictText(check.ok), explanation));
        if (check.lab == currentLab && check.name == currentName) restore = item;
        if (!check.ok && !firstFailing) firstFailing = item;
    }
    m_list->expandAll();
    // Without a verdict to keep, the first failing one is current: Enter shows its evidence.
    if (restore)
        m_list->setCurrentItem(restore, 0, QItemSelectionModel::NoUpdate);
    else if (firstFailing)
        m_list->setCurrentItem(firstFailing, 0, QItemSelectionModel::NoUpdate);
    else if (m_list->topLevelItemCount() > 0 && m_list->topLevelItem(0)->childCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0)->child(0), 0, QItemSelectionModel::NoUpdate);
    if (hadFocus) m_list->setFocus();
    m_summary->setText(summaryText());
    std::size_t failing = 0;
    for (const CheckResult& check : m_checks) failing += !check.ok;
    // A verdict that starts to fail comes into view, however long the list and however small the dock.
    if (failing > m_failing) m_revealFailing = true;
    if (failing == 0) m_revealFailing = false;
    m_failing = failing;
    QPalette palette = m_summary->palette();
    palette.setColor(
        QPalette::WindowText,
        failing > 0 ? faultColor() : (m_checks.empty() ? palette.color(QPalette::Text) : kHoldsColor));
    m_summary->setPalette(palette);
    relayoutRows();
}

void ChecksPanel::activate(QTreeWidgetItem* item) {
    if (!item) return;
    const int index = item->data(0, kCheckRole).toInt();
    if (index < 0 || std::size_t(index) >= m_checks.size()) return;
    emit evidenceRequested(m_checks[std::size_t(index)]);
}

void ChecksPanel::relayoutRows() {
    // Row heights follow the explanation column's width only when the view lays its items out again.
    m_list->doItemsLayout();
    if (!m_revealFailing || m_list->viewport()->height() < m_list->fontMetrics().height()) return;
    const auto failing = std::find_if(m_checks.begin(), m_checks.end(), [](const CheckResult& c) { return !c.ok; });
    if (failing == m_checks.end()) return;
    if (QTreeWidgetItem* item = itemFor(failing->lab, failing->name))
        m_list->scrollToItem(item, QAbstractItemView::EnsureVisible);
    m_revealFailing = false;
}

void ChecksPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    relayoutRows();
}

}  // namespace distlab
