// The lab console in the window's language: with the Chinese interface a mistyped command, a bad number,
// `help` and `status` answer in Chinese, while the command words stay English; with the English interface
// the same lines answer in English.
#include <QApplication>
#include <QDir>
#include <QFontMetrics>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>

#include "app/language.h"
#include "app/main_window.h"
#include "app/sim_bridge.h"
#include "core/console/command.h"
#include "core/labs/registry.h"
#include "tests/support/builtin_scenario.h"
#include "widgets/console_widget.h"

using namespace distlab;

namespace {

bool hasHan(const QString& text) {
    for (const QChar c : text)
        if (c.script() == QChar::Script_Han) return true;
    return false;
}

// What the console printed for one typed line: everything below the line's echo.
QString answerTo(ConsoleWidget* console, const QString& line) {
    const QString before = console->outputPane()->toPlainText();
    console->commandLine()->setFocus();
    console->commandLine()->setText(line);
    QTest::keyClick(console->commandLine(), Qt::Key_Return);
    QString added = console->outputPane()->toPlainText().mid(before.size());
    if (added.startsWith(QLatin1Char('\n'))) added.remove(0, 1);
    const QString echo = QStringLiteral("\u203A ") + line + QLatin1Char('\n');
    return added.startsWith(echo) ? added.mid(echo.size())
                                  : QStringLiteral("(no echo of '%1') ").arg(line) + added;
}

// The syntax a help line begins with: up to the gap before its summary (all of it on a syntax-only line).
QString syntaxPart(const QString& englishLine) {
    const qsizetype gap = englishLine.indexOf(QStringLiteral("  "));
    return gap < 0 ? englishLine : englishLine.left(gap);
}

void saveArtifact(QWidget* widget, const QString& name) {
    QDir().mkpath(QStringLiteral(DISTLAB_ARTIFACTS_DIR));
    QVERIFY(widget->grab().save(QStringLiteral(DISTLAB_ARTIFACTS_DIR "/") + name));
}

}  // namespace

class TestConsoleLanguage : public QObject {
    Q_OBJECT
private slots:
    void init() {
        m_bridge = std::make_unique<SimBridge>(support::builtin("demo"));
        m_bridge->runFor(millis(1000));
    }
    void cleanup() {
        m_window.reset();
        m_bridge.reset();
        installLanguage(QStringLiteral("en"));
    }

    void chineseInterfaceAnswersInChinese() {
        QVERIFY(installLanguage(QStringLiteral("zh_CN")));
        openWindow(QStringLiteral("zh_CN"));
        ConsoleWidget* console = m_window->console();

        // A misspelt command: the error and the hint are Chinese, the suggestion is the English keyword.
        const QString typo = answerTo(console, QStringLiteral("nod kill n1"));
        QVERIFY2(hasHan(typo), qPrintable(typo));
        QVERIFY2(typo.contains(QStringLiteral("“nod”")), qPrintable(typo));
        QVERIFY2(typo.contains(QStringLiteral("“node”")), qPrintable(typo));
        QVERIFY2(!typo.contains(QStringLiteral("unknown command")) &&
                     !typo.contains(QStringLiteral("did you mean")),
                 qPrintable(typo));

        // A bad number: the message, the noun it wanted and the usage hint are Chinese; the syntax is not.
        const QString seek = answerTo(console, QStringLiteral("seek abc"));
        QVERIFY2(hasHan(seek), qPrintable(seek));
        QVERIFY2(seek.contains(QStringLiteral("“abc”不是毫秒数")), qPrintable(seek));
        QVERIFY2(seek.contains(QStringLiteral("seek MS")), qPrintable(seek));
        QVERIFY2(!seek.contains(QStringLiteral("is not")) && !seek.contains(QStringLiteral("usage")),
                 qPrintable(seek));

        saveArtifact(console, QStringLiteral("tst_console_language_errors_zh_CN.png"));

        // help: as many lines as in English, each with its syntax as typed and its description in Chinese.
        const QStringList help = answerTo(console, QStringLiteral("help")).split(QLatin1Char('\n'));
        const QStringList english = QString::fromStdString(helpText(commandTable())).split(QLatin1Char('\n'));
        QCOMPARE(help.size(), english.size());
        int described = 0;
        for (qsizetype i = 0; i < help.size(); ++i) {
            const QString syntax = syntaxPart(english[i]);
            QVERIFY2(help[i].startsWith(syntax), qPrintable(help[i] + QStringLiteral(" / ") + english[i]));
            if (syntax == english[i]) continue;  // a long syntax, its description on the next line
            QVERIFY2(hasHan(help[i].mid(syntax.size())), qPrintable(help[i]));
            ++described;
        }
        QVERIFY2(described >= 40, qPrintable(QString::number(described)));

        // status: the labels and the nodes' states are Chinese, the ids are not.
        const QString status = answerTo(console, QStringLiteral("status"));
        QVERIFY2(status.startsWith(QStringLiteral("种子 ")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("  n1  运行中")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("（环上）")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("消息：")), qPrintable(status));
        for (const QString& word : {QStringLiteral("seed"), QStringLiteral("events"), QStringLiteral(" up"),
                                    QStringLiteral("messages"), QStringLiteral("(ring)")})
            QVERIFY2(!status.contains(word), qPrintable(word + QStringLiteral(" in\n") + status));

        // A lab's answer translates the protocol it names with the rest.
        const QString started = answerTo(console, QStringLiteral("txn 3pc tx-q1,tx-q2,tx-q3"));
        QVERIFY2(started.contains(QStringLiteral("三阶段提交")) && !started.contains(QStringLiteral("three-phase")),
                 qPrintable(started));

        // The console's font (or its fallback) has a glyph for every Chinese character it shows: no boxes.
        const QFontMetrics metrics(console->outputPane()->font());
        const QString shown = console->outputPane()->toPlainText();
        for (const QChar c : shown)
            if (c.script() == QChar::Script_Han) QVERIFY2(metrics.inFont(c), qPrintable(QString(c)));
        saveArtifact(console, QStringLiteral("tst_console_language_zh_CN.png"));
        saveArtifact(m_window.get(), QStringLiteral("tst_console_language_window_zh_CN.png"));
    }

    void englishInterfaceAnswersInEnglish() {
        QVERIFY(installLanguage(QStringLiteral("en")));
        openWindow(QStringLiteral("en"));
        ConsoleWidget* console = m_window->console();

        const QString typo = answerTo(console, QStringLiteral("nod kill n1"));
        QVERIFY2(typo.contains(QStringLiteral("unknown command 'nod'")), qPrintable(typo));
        QVERIFY2(typo.contains(QStringLiteral("did you mean 'node'? Type 'help' for the list.")),
                 qPrintable(typo));
        const QString seek = answerTo(console, QStringLiteral("seek abc"));
        QVERIFY2(seek.contains(QStringLiteral("seek abc: 'abc' is not a number of milliseconds")),
                 qPrintable(seek));
        QVERIFY2(seek.contains(QStringLiteral("usage: seek MS")), qPrintable(seek));
        const QString help = answerTo(console, QStringLiteral("help"));
        QCOMPARE(help, QString::fromStdString(helpText(commandTable())));
        const QString status = answerTo(console, QStringLiteral("status"));
        QVERIFY2(status.startsWith(QStringLiteral("seed ")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("  n1  up  (ring)")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("messages: ")), qPrintable(status));
        for (const QString& answer : {typo, seek, help, status})
            QVERIFY2(!hasHan(answer), qPrintable(answer));
        saveArtifact(console, QStringLiteral("tst_console_language_en.png"));
    }

private:
    void openWindow(const QString& language) {
        m_window = std::make_unique<MainWindow>(m_bridge.get(), language);
        m_window->resize(1024, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_bridge->refresh();
        m_window->console()->clearOutput();
    }

    std::unique_ptr<SimBridge> m_bridge;
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestConsoleLanguage)
#include "tst_console_language.moc"
