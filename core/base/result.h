#pragma once
// Expected failures are values: a Result holds either a value or an Error a user can read.
#include <string>
#include <utility>
#include <variant>

#include "core/base/text.h"

namespace distlab {

struct Error {
    std::string message;  // what was wrong and where (English)
    std::string hint;     // what to do about it (may be empty)
    Text text;            // the same as translatable templates, when the producer provides them
    Text hintText;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}  // NOLINT: implicit on purpose
    Result(Error error) : m_state(std::move(error)) {}  // NOLINT

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    const Error& error() const { return std::get<1>(m_state); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> m_state;
};

struct Ok {};
using Status = Result<Ok>;

inline Error makeError(std::string message, std::string hint = {}) {
    return Error{std::move(message), std::move(hint), {}, {}};
}

inline Error makeError(Text text, Text hint = {}) {
    std::string message = text.str();
    std::string hintString = hint.str();
    return Error{std::move(message), std::move(hintString), std::move(text), std::move(hint)};
}

}  // namespace distlab
