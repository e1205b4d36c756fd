#include "app/localize.h"

#include <QCoreApplication>

namespace distlab {

QString localize(const Text& text) {
    if (text.empty()) return {};
    const QString translated = QCoreApplication::translate(kTextContext, text.templ);
    return QString::fromStdString(fillTemplate(translated.toStdString(), text.args));
}

QString localizedMessage(const Error& error) {
    return error.text.empty() ? QString::fromStdString(error.message) : localize(error.text);
}

QString localizedHint(const Error& error) {
    return error.hintText.empty() ? QString::fromStdString(error.hint) : localize(error.hintText);
}

}  // namespace distlab
