#include "widgets/console_widget.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

namespace distlab {

namespace {

const QColor kCommandColor(0x1A, 0x47, 0x8A);
const QColor kErrorColor(0xC5, 0x22, 0x1F);
const QColor kHintColor(0x70, 0x75, 0x7A);

QString commonPrefix(const QStringList& words) {
    if (words.isEmpty()) return {};
    QString prefix = words.first();
    for (const QString& word : words) {
        int i = 0;
        while (i < prefix.size() && i < word.size() && prefix[i].toCaseFolded() == word[i].toCaseFolded())
            ++i;
        prefix.truncate(i);
    }
    return prefix;
}

}  // namespace

ConsoleWidget::ConsoleWidget(QWidget* parent) : QWidget(parent) {
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_output = new QPlainTextEdit(this);
    m_output->setObjectName(QStringLiteral("consoleOutput"));
    m_output->setReadOnly(true);
    m_output->setFont(mono);
    m_output->setMaximumBlockCount(kOutputBlocksMax);
    m_output->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_output->setFocusPolicy(Qt::ClickFocus);

    m_prompt = new QLabel(QStringLiteral("\u203A"), this);  // the prompt sign is not text to translate
    QFont promptFont = mono;
    promptFont.setBold(true);
    promptFont.setPointSizeF(mono.pointSizeF() * 1.3);
    m_prompt->setFont(promptFont);
    m_prompt->setStyleSheet(QStringLiteral("color: #1A478A;"));
    m_input = new QLineEdit(this);
    m_input->setObjectName(QStringLiteral("consoleInput"));
    m_input->setFont(mono);
    m_input->setMaxLength(kLineLengthMax);
    m_input->setPlaceholderText(tr("Type a command, Tab completes, Up/Down recalls history"));
    m_input->installEventFilter(this);
    connect(m_input, &QLineEdit::returnPressed, this, &ConsoleWidget::submit);

    auto* line = new QHBoxLayout;
    line->setContentsMargins(4, 0, 4, 0);
    line->addWidget(m_prompt);
    line->addWidget(m_input, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_output, 1);
    layout->addLayout(line);
    setFocusProxy(m_input);

    m_commandFormat.setForeground(kCommandColor);
    m_commandFormat.setFontWeight(QFont::Bold);
    m_outputFormat.setForeground(palette().color(QPalette::Text));
    m_errorFormat.setForeground(kErrorColor);
    m_hintFormat.setForeground(kHintColor);
    m_hintFormat.setFontItalic(true);
}

ConsoleWidget::~ConsoleWidget() = default;

void ConsoleWidget::appendCommand(const QString& line) {
    appendBlock(QStringLiteral("\u203A ") + line, m_commandFormat);
}

void ConsoleWidget::appendOutput(const QString& text) {
    appendBlock(text, m_outputFormat);
}

void ConsoleWidget::appendError(const QString& text, const QString& hint) {
    appendBlock(text, m_errorFormat);
    if (!hint.isEmpty()) appendBlock(hint, m_hintFormat);
}

void ConsoleWidget::setCompletionWords(const QStringList& words) {
    m_words = words;
    m_words.removeDuplicates();
    m_words.sort(Qt::CaseInsensitive);
}

void ConsoleWidget::clearOutput() {
    m_output->clear();
}

void ConsoleWidget::appendBlock(const QString& text, const QTextCharFormat& format) {
    QScrollBar* bar = m_output->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 2;
    QTextCursor cursor(m_output->document());
    cursor.movePosition(QTextCursor::End);
    const bool empty = m_output->document()->isEmpty();
    if (!empty) cursor.insertBlock();
    // insertText turns newlines into new blocks, each with this format; the text is never HTML.
    QString plain = text;
    plain.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    cursor.insertText(plain, format);
    // Follow the output unless the user scrolled up to read something.
    if (atBottom) bar->setValue(bar->maximum());
}

bool ConsoleWidget::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        const bool plain = !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
        if (key->key() == Qt::Key_Up && plain) {
            historyUp();
            return true;
        }
        if (key->key() == Qt::Key_Down && plain) {
            historyDown();
            return true;
        }
        if (key->key() == Qt::Key_Tab && plain && !m_input->text().trimmed().isEmpty()) {
            // With something typed, Tab completes here instead of moving on; on an empty line it moves
            // the focus as everywhere else, so the keyboard is never trapped in the console.
            complete();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ConsoleWidget::submit() {
    const QString line = m_input->text().trimmed();
    m_input->clear();
    m_draft.clear();
    if (line.isEmpty()) {
        m_historyIndex = static_cast<int>(m_history.size());
        return;
    }
    if (m_history.isEmpty() || m_history.last() != line) {
        m_history.append(line);
        while (m_history.size() > kHistoryEntriesMax) m_history.removeFirst();
    }
    m_historyIndex = static_cast<int>(m_history.size());
    emit commandSubmitted(line);
}

void ConsoleWidget::historyUp() {
    if (m_historyIndex <= 0) return;
    if (m_historyIndex == m_history.size()) m_draft = m_input->text();
    --m_historyIndex;
    m_input->setText(m_history.at(m_historyIndex));
}

void ConsoleWidget::historyDown() {
    if (m_historyIndex >= m_history.size()) return;
    ++m_historyIndex;
    m_input->setText(m_historyIndex == m_history.size() ? m_draft : m_history.at(m_historyIndex));
}

void ConsoleWidget::complete() {
    QString line = m_input->text();
    qsizetype lead = 0;
    while (lead < line.size() && line[lead].isSpace()) ++lead;
    line = line.mid(lead);
    QStringList matches;
    for (const QString& word : m_words) {
        if (word.startsWith(line, Qt::CaseInsensitive)) matches << word;
    }
    if (matches.isEmpty()) return;
    if (matches.size() == 1) {
        m_input->setText(matches.first() + QLatin1Char(' '));
        return;
    }
    const QString prefix = commonPrefix(matches);
    if (prefix.size() > line.size()) m_input->setText(prefix);
    appendBlock(matches.join(QStringLiteral("   ")), m_hintFormat);
}

}  // namespace distlab
