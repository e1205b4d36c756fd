#pragma once
// Language selection: the system locale by default, a command-line choice or the View > Language menu.
#include <QString>

class QTranslator;

namespace distlab {

// "en" or "zh_CN"; anything else falls back to English.
QString normalizedLanguage(const QString& requested);
QString systemLanguage();
// Installs the application's and Qt's own translations for `language`, replacing earlier ones.
// Returns false if the application's translation could not be loaded (English is always available).
bool installLanguage(const QString& language);

}  // namespace distlab
