#pragma once
// Shows the core's texts in the user's language: core keeps English templates with %1..%9 (see
// core/base/text.h); their translations live in the "Core" context of the .ts file.
#include <QString>
#include <vector>

#include "core/base/result.h"
#include "core/base/text.h"

namespace distlab {

// Texts given as arguments of another (Text::parts) are translated too.
QString localize(const Text& text);
// One text per line (the console's `help` and `status`), joined with newlines.
QString localizeLines(const std::vector<Text>& lines);
// The error's translatable text when it has one, else its English message.
QString localizedMessage(const Error& error);
QString localizedHint(const Error& error);

}  // namespace distlab
