#pragma once
// Reading a string field of a JSON object (a message body, an op's value, a stored record) without throwing:
// a value that is not an object, a missing key and a field of another type all read as absent. Protocols,
// checkers and labs read untrusted or hand-made JSON this way.
#include <optional>
#include <string>

#include "core/node/message.h"

namespace distlab {

// The string field `key` of value; nullopt when value is not an object or the field is absent or not a string.
inline std::optional<std::string> findString(const Json& value, const char* key) {
    if (!value.is_object()) return std::nullopt;
    auto it = value.find(key);
    if (it == value.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

// The same, read as empty when absent.
inline std::string stringField(const Json& value, const char* key) { return findString(value, key).value_or(""); }

}  // namespace distlab
