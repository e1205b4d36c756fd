#pragma once
// The checks panel: every verdict of every running lab's checkers on the history so far, grouped by lab,
// each with its title, "holds" or "fails" (in colour and in words, with a mark, so that colour is never
// the only sign) and its explanation, word-wrapped. The list takes the keyboard: arrows move, Enter (or a
// click) asks the window to show the verdict's evidence, its first node and the moment that proves it.
#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

#include "core/session/snapshot.h"

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace distlab {

class ChecksPanel : public QWidget {
    Q_OBJECT

public:
    explicit ChecksPanel(QWidget* parent = nullptr);
    ~ChecksPanel() override;

    // Shows the snapshot's verdicts; the list is rebuilt only when they change, so that the current item
    // and the scroll position survive the frames in between.
    void setSnapshot(std::shared_ptr<const distlab::ClusterSnapshot> snapshot);

    // The check's title in the user's language ("atomicity" -> "Atomicity", "原子性"); an unknown name
    // is shown as it is.
    static QString titleFor(const std::string& name);
    // The lab's name as a heading ("txn" -> "Transactions"; empty: the session's own checks).
    static QString labTitle(const std::string& lab);
    // The verdict's explanation in the user's language: its short text translated when it has one, else
    // the English paragraph.
    static QString explanationFor(const CheckResult& check);
    // "holds" / "fails", translated.
    static QString verdictText(bool ok);
    static QColor verdictColor(bool ok);

    QTreeWidget* list() const { return m_list; }
    // The verdicts shown, in list order.
    const std::vector<CheckResult>& checks() const { return m_checks; }
    // The list item of the verdict `name` of `lab` (nullptr if none).
    QTreeWidgetItem* itemFor(const std::string& lab, const std::string& name) const;
    QString summaryText() const;

signals:
    // A verdict was activated (Enter, a click): show its evidence.
    void evidenceRequested(const distlab::CheckResult& check);

private:
    void rebuild();
    void activate(QTreeWidgetItem* item);
    void relayoutRows();  // word-wrapped rows take their height from the explanation column's width

    QLabel* m_summary = nullptr;
    QTreeWidget* m_list = nullptr;
    std::vector<CheckResult> m_checks;
    bool m_evaluated = false;
    SimTime m_checkedAt = 0;
    std::uint64_t m_checkedEvents = 0;
    std::size_t m_failing = 0;     // failing verdicts at the last rebuild
    bool m_revealFailing = false;  // a verdict started to fail: scroll it into view once the list has a size

protected:
    void resizeEvent(QResizeEvent* event) override;
};

}  // namespace distlab
