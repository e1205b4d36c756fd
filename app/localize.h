#pragma once
// Shows the core's texts in the user's language: core keeps English templates with %1..%9 (see
// core/base/text.h); their translations live in the "Core" context of the .ts file.
#include <QString>

#include "core/base/result.h"
#include "core/base/text.h"

namespace distlab {

QString localize(const Text& text);
// The error's translatable text when it has one, else its English message.
QString localizedMessage(const Error& error);
QString localizedHint(const Error& error);

}  // namespace distlab
