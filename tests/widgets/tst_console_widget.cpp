// The lab console: history, Tab completion, limits and coloured output.
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTextBlock>
#include <QtTest>

#include "fixtures.h"
#include "widgets/console_widget.h"

using distlab::ConsoleWidget;

namespace {

void typeAndSubmit(ConsoleWidget& console, const QString& line) {
    console.commandLine()->setText(line);
    QTest::keyClick(console.commandLine(), Qt::Key_Return);
}

QTextCharFormat formatOfBlock(const QTextBlock& block) {
    return block.begin().fragment().charFormat();
}

const QStringList kWords = {
    QStringLiteral("help"),         QStringLiteral("node add"),       QStringLiteral("node kill"),
    QStringLiteral("node restart"), QStringLiteral("ring hash xxh3"), QStringLiteral("ring hash ketama"),
    QStringLiteral("ring vnodes"),  QStringLiteral("partition"),      QStringLiteral("pause"),
};

}  // namespace

class TestConsoleWidget : public QObject {
    Q_OBJECT

private slots:
    void submitEmitsTheTrimmedLine();
    void emptyLinesAreNotSubmitted();
    void historyWalksUpAndDownAndRestoresTheDraft();
    void historySkipsConsecutiveDuplicates();
    void historyKeepsTheNewest500();
    void tabCompletes_data();
    void tabCompletes();
    void tabListsTheCandidates();
    void lineLengthIsLimited();
    void errorIsRedAndHintGreyItalic();
    void outputKeepsAtMost5000Blocks();
    void multiLineOutputBecomesBlocks();
    void screenshot();
};

void TestConsoleWidget::submitEmitsTheTrimmedLine() {
    ConsoleWidget console;
    QSignalSpy spy(&console, &ConsoleWidget::commandSubmitted);
    typeAndSubmit(console, QStringLiteral("  node add n6  "));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("node add n6"));
    QVERIFY(console.commandLine()->text().isEmpty());
    QVERIFY(console.outputPane()->document()->isEmpty());  // echo is the runner's job
}

void TestConsoleWidget::emptyLinesAreNotSubmitted() {
    ConsoleWidget console;
    QSignalSpy spy(&console, &ConsoleWidget::commandSubmitted);
    typeAndSubmit(console, QStringLiteral("   "));
    QCOMPARE(spy.count(), 0);
    QVERIFY(console.history().isEmpty());
}

void TestConsoleWidget::historyWalksUpAndDownAndRestoresTheDraft() {
    ConsoleWidget console;
    QLineEdit* line = console.commandLine();
    for (const char* command : {"a", "b", "c"}) typeAndSubmit(console, QString::fromLatin1(command));
    line->setText(QStringLiteral("half typed"));
    const QStringList upwards = {QStringLiteral("c"), QStringLiteral("b"), QStringLiteral("a"),
                                 QStringLiteral("a")};
    for (const QString& expected : upwards) {
        QTest::keyClick(line, Qt::Key_Up);
        QCOMPARE(line->text(), expected);
    }
    const QStringList downwards = {QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("half typed"),
                                   QStringLiteral("half typed")};
    for (const QString& expected : downwards) {
        QTest::keyClick(line, Qt::Key_Down);
        QCOMPARE(line->text(), expected);
    }
}

void TestConsoleWidget::historySkipsConsecutiveDuplicates() {
    ConsoleWidget console;
    for (const char* command : {"a", "b", "b", "a", "a"})
        typeAndSubmit(console, QString::fromLatin1(command));
    QCOMPARE(console.history(), (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("a")}));
}

void TestConsoleWidget::historyKeepsTheNewest500() {
    ConsoleWidget console;
    for (int i = 0; i < 600; ++i) typeAndSubmit(console, QStringLiteral("cmd %1").arg(i));
    QCOMPARE(console.history().size(), ConsoleWidget::kHistoryEntriesMax);
    QCOMPARE(console.history().first(), QStringLiteral("cmd 100"));
    QCOMPARE(console.history().last(), QStringLiteral("cmd 599"));
}

void TestConsoleWidget::tabCompletes_data() {
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("completed");
    QTest::newRow("unique word") << QStringLiteral("he") << QStringLiteral("help ");
    QTest::newRow("unique multi-word") << QStringLiteral("node a") << QStringLiteral("node add ");
    QTest::newRow("case-insensitive") << QStringLiteral("NODE K") << QStringLiteral("node kill ");
    QTest::newRow("common prefix") << QStringLiteral("no") << QStringLiteral("node ");
    QTest::newRow("common prefix across words") << QStringLiteral("ring h") << QStringLiteral("ring hash ");
    QTest::newRow("deep unique") << QStringLiteral("ring hash k") << QStringLiteral("ring hash ketama ");
    QTest::newRow("ambiguous, nothing to add") << QStringLiteral("pa") << QStringLiteral("pa");
    QTest::newRow("leading spaces") << QStringLiteral("  he") << QStringLiteral("help ");
    QTest::newRow("no match") << QStringLiteral("zzz") << QStringLiteral("zzz");
    QTest::newRow("complete already, arguments follow")
        << QStringLiteral("node add n6") << QStringLiteral("node add n6");
}

void TestConsoleWidget::tabCompletes() {
    QFETCH(QString, typed);
    QFETCH(QString, completed);
    ConsoleWidget console;
    console.setCompletionWords(kWords);
    console.commandLine()->setText(typed);
    QTest::keyClick(console.commandLine(), Qt::Key_Tab);
    QCOMPARE(console.commandLine()->text(), completed);
}

void TestConsoleWidget::tabListsTheCandidates() {
    ConsoleWidget console;
    console.setCompletionWords(kWords);
    console.commandLine()->setText(QStringLiteral("node "));
    QTest::keyClick(console.commandLine(), Qt::Key_Tab);
    const QString listed = console.outputPane()->document()->lastBlock().text();
    for (const char* word : {"node add", "node kill", "node restart"})
        QVERIFY(listed.contains(QLatin1String(word)));
    QVERIFY(!listed.contains(QStringLiteral("help")));
    // A unique completion lists nothing.
    const int blocks = console.outputPane()->document()->blockCount();
    console.commandLine()->setText(QStringLiteral("hel"));
    QTest::keyClick(console.commandLine(), Qt::Key_Tab);
    QCOMPARE(console.outputPane()->document()->blockCount(), blocks);
}

void TestConsoleWidget::lineLengthIsLimited() {
    ConsoleWidget console;
    QCOMPARE(console.commandLine()->maxLength(), 4096);
    console.commandLine()->insert(QString(5000, QLatin1Char('x')));
    QCOMPARE(console.commandLine()->text().size(), 4096);
}

void TestConsoleWidget::errorIsRedAndHintGreyItalic() {
    ConsoleWidget console;
    console.appendCommand(QStringLiteral("node kill n9"));
    console.appendError(QStringLiteral("node-not-found: n9"),
                        QStringLiteral("Nodes are n1..n5; try: node kill n2"));
    QTextDocument* document = console.outputPane()->document();
    QCOMPARE(document->blockCount(), 3);
    const QTextBlock command = document->firstBlock();
    const QTextBlock error = command.next();
    const QTextBlock hint = error.next();
    QCOMPARE(command.text(), QStringLiteral("\u203A node kill n9"));
    QCOMPARE(error.text(), QStringLiteral("node-not-found: n9"));
    const QColor red = formatOfBlock(error).foreground().color();
    QVERIFY2(red.red() > 150 && red.green() < 80 && red.blue() < 80, qPrintable(red.name()));
    const QTextCharFormat hintFormat = formatOfBlock(hint);
    QVERIFY(hintFormat.fontItalic());
    QVERIFY(fixtures::isGrey(hintFormat.foreground().color()));
    // No hint, no hint block.
    console.appendError(QStringLiteral("bad"));
    QCOMPARE(document->blockCount(), 4);
}

void TestConsoleWidget::outputKeepsAtMost5000Blocks() {
    ConsoleWidget console;
    for (int i = 0; i < 6000; ++i) console.appendOutput(QStringLiteral("line %1").arg(i));
    QTextDocument* document = console.outputPane()->document();
    QVERIFY(document->blockCount() <= ConsoleWidget::kOutputBlocksMax);
    QCOMPARE(document->lastBlock().text(), QStringLiteral("line 5999"));
}

void TestConsoleWidget::multiLineOutputBecomesBlocks() {
    ConsoleWidget console;
    console.appendOutput(QStringLiteral("first\nsecond"));
    QCOMPARE(console.outputPane()->document()->blockCount(), 2);
    QCOMPARE(console.outputPane()->document()->lastBlock().text(), QStringLiteral("second"));
}

void TestConsoleWidget::screenshot() {
    ConsoleWidget console;
    console.resize(720, 300);
    console.setCompletionWords(kWords);
    console.appendOutput(QStringLiteral("Distlab lab console. Type help for the commands."));
    console.appendCommand(QStringLiteral("node add n6"));
    console.appendOutput(QStringLiteral("added n6: 160 vnodes, 183 of 1000 keys moved (18.3 %)"));
    console.appendCommand(QStringLiteral("node kill n9"));
    console.appendError(QStringLiteral("node-not-found: no node n9"), QStringLiteral("Nodes are n1..n6."));
    console.commandLine()->setText(QStringLiteral("ring h"));
    QTest::keyClick(console.commandLine(), Qt::Key_Tab);
    console.show();
    QVERIFY(QTest::qWaitForWindowExposed(&console));
    const QImage image = console.grab().toImage();
    fixtures::saveArtifact(image, QStringLiteral("tst_console_widget"));
    QVERIFY(!image.isNull());
}

QTEST_MAIN(TestConsoleWidget)
#include "tst_console_widget.moc"
