#pragma once
// The lab console: an output pane above a command line. It only edits and shows text; parsing and
// running commands belong to core (the console command language) through the GUI bridge.
#include <QStringList>
#include <QTextCharFormat>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace distlab {

class ConsoleWidget : public QWidget {
    Q_OBJECT

public:
    static constexpr int kOutputBlocksMax = 5000;  // older output scrolls away
    static constexpr int kHistoryEntriesMax = 500;
    static constexpr int kLineLengthMax = 4096;  // characters in one command line

    explicit ConsoleWidget(QWidget* parent = nullptr);
    ~ConsoleWidget() override;

    QPlainTextEdit* outputPane() const { return m_output; }
    QLineEdit* commandLine() const { return m_input; }
    QStringList history() const { return m_history; }
    QStringList completionWords() const { return m_words; }

public slots:
    // Echoes a command as it was run. The widget does not echo submitted lines itself: whoever runs a
    // command echoes it, so that typed commands and commands from a lesson script look the same.
    void appendCommand(const QString& line);
    void appendOutput(const QString& text);
    // An error in red, and below it, when given, a hint in grey italics saying what to do.
    void appendError(const QString& text, const QString& hint = QString());
    // Words Tab completes the line against; they may contain spaces ("node add", "ring hash xxh3").
    void setCompletionWords(const QStringList& words);
    void clearOutput();

signals:
    // A non-empty line the user submitted with Enter, without surrounding whitespace.
    void commandSubmitted(const QString& line);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void submit();
    void historyUp();
    void historyDown();
    void complete();
    void appendBlock(const QString& text, const QTextCharFormat& format);

    QPlainTextEdit* m_output = nullptr;
    QLabel* m_prompt = nullptr;
    QLineEdit* m_input = nullptr;
    QStringList m_history;
    int m_historyIndex = 0;  // == m_history.size() while editing a new line
    QString m_draft;         // the line being edited before the user walked into the history
    QStringList m_words;
    QTextCharFormat m_commandFormat;
    QTextCharFormat m_outputFormat;
    QTextCharFormat m_errorFormat;
    QTextCharFormat m_hintFormat;
};

}  // namespace distlab
