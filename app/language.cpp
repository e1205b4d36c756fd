#include "app/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace distlab {

QString normalizedLanguage(const QString& requested) {
    if (requested.startsWith(QLatin1String("zh"), Qt::CaseInsensitive)) return QStringLiteral("zh_CN");
    return QStringLiteral("en");
}

QString systemLanguage() { return normalizedLanguage(QLocale::system().name()); }

bool installLanguage(const QString& language) {
    static QTranslator* app = nullptr;
    static QTranslator* qt = nullptr;
    for (QTranslator** t : {&app, &qt}) {
        if (*t) {
            QCoreApplication::removeTranslator(*t);
            delete *t;
            *t = nullptr;
        }
    }
    if (language == QLatin1String("en")) {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        return true;
    }
    QLocale::setDefault(QLocale(language));
    app = new QTranslator;
    const bool ok = app->load(QStringLiteral(":/i18n/distlab_") + language + QStringLiteral(".qm"));
    if (ok) QCoreApplication::installTranslator(app);
    qt = new QTranslator;
    // Qt's own strings (standard dialogs) when the system has them; optional.
    if (qt->load(QStringLiteral("qtbase_") + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    return ok;
}

}  // namespace distlab
