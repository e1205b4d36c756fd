// Every user-visible string has a finished Chinese translation, and the machine has fonts that can draw
// both languages (a missing font draws boxes silently, so we look for one that covers Chinese).
#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSet>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

class TestTranslations : public QObject {
    Q_OBJECT
private slots:
    void everyMessageIsTranslated() {
        QFile file(QStringLiteral(DISTLAB_TS_FILE));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QXmlStreamReader xml(&file);
        int messages = 0;
        QStringList unfinished;
        QStringList placeholderMismatch;
        QString context, source;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) continue;
            if (xml.name() == QLatin1String("name")) context = xml.readElementText();
            if (xml.name() == QLatin1String("source")) source = xml.readElementText();
            if (xml.name() == QLatin1String("translation")) {
                ++messages;
                const bool isUnfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
                const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                if (isUnfinished || text.trimmed().isEmpty()) unfinished << context + QStringLiteral(": ") + source;
                static const QRegularExpression placeholder(QStringLiteral("%L?\\d"));
                QStringList a, b;
                for (auto it = placeholder.globalMatch(source); it.hasNext();) a << it.next().captured();
                for (auto it = placeholder.globalMatch(text); it.hasNext();) b << it.next().captured();
                a.sort();
                b.sort();
                if (a != b) placeholderMismatch << source;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY2(messages > 50, "the translation file looks empty");
        QVERIFY2(unfinished.isEmpty(), qPrintable(QStringLiteral("unfinished zh_CN entries:\n") + unfinished.join('\n')));
        QVERIFY2(placeholderMismatch.isEmpty(), qPrintable(placeholderMismatch.join('\n')));
    }

    void everyCoreTemplateIsInTheTranslationFile() {
        // Core marks its user-facing texts with QT_TRANSLATE_NOOP("Core" or "Details", ...); a text added
        // without running scripts/update-translations would silently stay English.
        QFile file(QStringLiteral(DISTLAB_TS_FILE));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QSet<QString> known;
        QString context;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement()) continue;
            if (xml.name() == QLatin1String("name")) context = xml.readElementText();
            if (xml.name() == QLatin1String("source")) known << context + QLatin1Char('|') + xml.readElementText();
        }
        static const QRegularExpression marked(QStringLiteral("QT_TRANSLATE_NOOP\\(\"(\\w+)\",\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\)"));
        int found = 0;
        QStringList missing;
        QDirIterator it(QStringLiteral(DISTLAB_CORE_DIR), {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile source(it.next());
            QVERIFY(source.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(source.readAll());
            for (auto match = marked.globalMatch(text); match.hasNext();) {
                const QRegularExpressionMatch m = match.next();
                if (m.captured(1) == QLatin1String("scope")) continue;  // the macro's own definition
                QString templ = m.captured(2);
                templ.replace(QStringLiteral("\\\""), QStringLiteral("\""));
                ++found;
                if (!known.contains(m.captured(1) + QLatin1Char('|') + templ)) missing << m.captured(1) + QStringLiteral(": ") + templ;
            }
        }
        QVERIFY2(found > 20, qPrintable(QStringLiteral("only %1 core templates found").arg(found)));
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("run scripts/update-translations; missing:\n") + missing.join('\n')));
    }

    void fontsCoverLatinAndChinese() {
        QVERIFY2(!QFontDatabase::families().isEmpty(), "no fonts found: run scripts/setup");
        const QStringList chinese = QFontDatabase::families(QFontDatabase::SimplifiedChinese);
        QVERIFY2(!chinese.isEmpty(), "no font covers Simplified Chinese: install fonts-wqy-microhei");
        // Draw a Chinese word and check that real glyphs came out (a box would be a thin outline with a
        // different, fixed advance for every character).
        QFont font(chinese.first(), 24);
        QFontMetrics metrics(font);
        const QString word = QStringLiteral("一致性哈希环");
        for (const QChar c : word) QVERIFY2(metrics.inFont(c), qPrintable(QStringLiteral("no glyph for %1").arg(c)));
        QImage image(320, 60, QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setFont(font);
        painter.setPen(Qt::black);
        painter.drawText(image.rect(), Qt::AlignCenter, word);
        painter.end();
        int dark = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) dark += qGray(image.pixel(x, y)) < 128;
        QVERIFY2(dark > 400, qPrintable(QStringLiteral("only %1 dark pixels").arg(dark)));
        image.save(QStringLiteral(DISTLAB_ARTIFACTS_DIR "/tst_translations_font.png"));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
