#include "widgets/localize.h"

#include <QCoreApplication>
#include <QStringList>

namespace distlab {

QString localize(const Text& text) {
    if (text.empty()) return {};
    const QString translated = QCoreApplication::translate(kTextContext, text.templ);
    std::vector<std::string> args = text.args;
    for (std::size_t i = 0; i < args.size() && i < text.parts.size(); ++i)
        if (!text.parts[i].empty()) args[i] = localize(text.parts[i]).toStdString();
    return QString::fromStdString(fillTemplate(translated.toStdString(), args));
}

QString localizedMessage(const Error& error) {
    return error.text.empty() ? QString::fromStdString(error.message) : localize(error.text);
}

QString localizedHint(const Error& error) {
    return error.hintText.empty() ? QString::fromStdString(error.hint) : localize(error.hintText);
}

QString localizeLines(const std::vector<Text>& lines) {
    QStringList out;
    out.reserve(static_cast<qsizetype>(lines.size()));
    for (const Text& line : lines) out << localize(line);
    return out.join(QLatin1Char('\n'));
}

}  // namespace distlab
