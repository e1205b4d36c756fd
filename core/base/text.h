#pragma once
// Text a person reads, kept as an English template with %1..%9 placeholders plus its arguments, so that
// the GUI can show it in the user's language. Templates are written inside QT_TRANSLATE_NOOP("Core", ...)
// so that lupdate collects them; core defines that macro as a no-op of its own and stays free of Qt.
#include <string>
#include <type_traits>
#include <vector>

#ifndef QT_TRANSLATE_NOOP
#define QT_TRANSLATE_NOOP(scope, text) text
#endif

namespace distlab {

constexpr const char* kTextContext = "Core";  // the translation context of every template

// An argument may itself be a Text (a noun phrase, a usage line, the message a "did you mean" wraps): it is
// translated with the whole. Its English stays in `args`, so str() and readers of `args` need no translation.
struct Text {
    const char* templ = nullptr;  // English, with %1..%9; a string literal
    std::vector<std::string> args;
    std::vector<Text> parts;  // parts[i], when given and not empty, is args[i] as a translatable text

    bool empty() const { return templ == nullptr; }
    std::string str() const;  // the English text with the arguments filled in
};

// The English of several texts, one per line (a console answer of many lines, such as `help`).
std::string joinLines(const std::vector<Text>& lines);

// Replaces %1..%9 in `templ` with args[0..8]; other % signs are kept.
std::string fillTemplate(std::string_view templ, const std::vector<std::string>& args);
// At most bytesMax bytes of text, cut before a UTF-8 sequence rather than inside one (an error message that
// quotes untrusted text must stay valid UTF-8, or encoding it as JSON fails).
std::string utf8Prefix(std::string_view text, std::size_t bytesMax);

namespace detail {
inline std::string textArg(const std::string& s) { return s; }
inline std::string textArg(std::string_view s) { return std::string(s); }
inline std::string textArg(const char* s) { return s; }
inline std::string textArg(const Text& text) { return text.str(); }
template <class T, class = std::enable_if_t<std::is_arithmetic_v<T>>>
std::string textArg(T value) {
    return std::to_string(value);
}
inline Text textPart(const Text& text) { return text; }
template <class T>
Text textPart(const T&) {
    return {};
}
}  // namespace detail

template <class... Args>
Text makeText(const char* templ, const Args&... args) {
    Text text{templ, {detail::textArg(args)...}, {}};
    if constexpr ((std::is_same_v<Args, Text> || ...)) text.parts = {detail::textPart(args)...};
    return text;
}

}  // namespace distlab
