#pragma once
// The strict reader behind every queue-lab message (mq_messages.cpp, mq_client_messages.cpp): it reads
// the fields of one JSON body with their exact types and bounds and remembers the first problem, named by
// its field ("delivery_tag: expected an integer"), so a malformed request is answered with error 12 and a
// sentence a student can act on. Internal to the two message files.
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"
#include "core/base/result.h"
#include "core/protocols/mq/mq_messages.h"

namespace distlab::mq::detail {

class FieldReader {
public:
    explicit FieldReader(const Json& object) : m_object(object) {
        if (!m_object.is_object()) fail("body", "expected an object");
    }

    // A queue or exchange name (validateMqName).
    std::string name(const char* field) {
        const Json* value = find(field);
        if (!value) return {};
        if (!value->is_string()) {
            fail(field, "expected a string");
            return {};
        }
        const std::string& text = value->get_ref<const std::string&>();
        if (std::string problem = validateMqName(text); !problem.empty()) {
            fail(field, problem);
            return {};
        }
        return text;
    }

    // Any string of at most bytesMax bytes (non-empty when nonEmpty).
    std::string text(const char* field, std::size_t bytesMax, bool nonEmpty) {
        const Json* value = find(field);
        if (!value) return {};
        if (!value->is_string()) {
            fail(field, "expected a string");
            return {};
        }
        const std::string& text = value->get_ref<const std::string&>();
        if ((nonEmpty && text.empty()) || text.size() > bytesMax) {
            fail(field, std::string(nonEmpty ? "expected a non-empty string" : "expected a string") +
                            " of at most " + std::to_string(bytesMax) + " bytes, got " +
                            std::to_string(text.size()));
            return {};
        }
        return text;
    }

    // One of a few words; `fallback` when the field is absent and optional.
    std::string word(const char* field, const std::vector<std::string_view>& words,
                     std::optional<std::string_view> fallback = std::nullopt) {
        const Json* value = find(field, fallback.has_value());
        if (!value) return std::string(fallback.value_or(""));
        std::string expected;
        for (std::string_view w : words)
            expected += (expected.empty() ? "\"" : " or \"") + std::string(w) + "\"";
        if (!value->is_string()) {
            fail(field, "expected " + expected);
            return {};
        }
        const std::string& text = value->get_ref<const std::string&>();
        for (std::string_view w : words) {
            if (text == w) return text;
        }
        fail(field, "expected " + expected + ", got \"" + utf8Prefix(text, 32) + "\"");
        return {};
    }

    // An integer in [lo, hi]; `fallback` when the field is absent and optional.
    std::int64_t integer(const char* field, std::int64_t lo, std::int64_t hi,
                         std::optional<std::int64_t> fallback = std::nullopt) {
        const Json* value = find(field, fallback.has_value());
        if (!value) return fallback.value_or(0);
        if (!value->is_number_integer()) {
            fail(field, "expected an integer");
            return 0;
        }
        // An unsigned JSON number may not fit an int64: compare it before converting.
        const bool tooBig = value->is_number_unsigned() && value->get<std::uint64_t>() > std::uint64_t(hi);
        const std::int64_t number = tooBig ? hi : value->get<std::int64_t>();
        if (tooBig || number < lo || number > hi) {
            fail(field, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
            return 0;
        }
        return number;
    }

    // A number from 0 to 1 (an integer 0 or 1 too); `fallback` when absent.
    double probability(const char* field, double fallback) {
        const Json* value = find(field, /*optional=*/true);
        if (!value) return fallback;
        if (!value->is_number()) {
            fail(field, "expected a number from 0 to 1");
            return fallback;
        }
        const double number = value->get<double>();
        if (!std::isfinite(number) || number < 0.0 || number > 1.0) {
            fail(field, "expected a number from 0 to 1");
            return fallback;
        }
        return number;
    }

    // true or false; `fallback` when the field is absent and optional.
    bool flag(const char* field, std::optional<bool> fallback) {
        const Json* value = find(field, fallback.has_value());
        if (!value) return fallback.value_or(false);
        if (!value->is_boolean()) {
            fail(field, "expected true or false");
            return false;
        }
        return value->get<bool>();
    }

    // {"<queue>": ["<consumer>", ...], ...}, optional (empty when absent), at most queuesMax queues of at
    // most perQueueMax ids. Queues must be valid names, consumer ids strings of 1 to idBytesMax bytes; a
    // consumer listed twice for one queue is a mistake, not a weight.
    std::map<std::string, std::vector<std::string>> subscribers(const char* field, std::size_t queuesMax,
                                                                std::size_t perQueueMax,
                                                                std::size_t idBytesMax) {
        std::map<std::string, std::vector<std::string>> out;
        const Json* value = find(field, /*optional=*/true);
        if (!value) return out;
        if (!value->is_object()) {
            fail(field, "expected an object of queue -> array of consumer ids");
            return out;
        }
        if (value->size() > queuesMax) {
            fail(field, "at most " + std::to_string(queuesMax) + " queues");
            return out;
        }
        for (const auto& [queue, ids] : value->items()) {
            const std::string where = std::string(field) + "." + queue;
            if (std::string problem = validateMqName(queue); !problem.empty()) {
                fail(where, problem);
                return {};
            }
            if (!ids.is_array()) {
                fail(where, "expected an array of consumer ids");
                return {};
            }
            if (ids.size() > perQueueMax) {
                fail(where, "at most " + std::to_string(perQueueMax) + " consumers");
                return {};
            }
            std::vector<std::string>& list = out[queue];
            std::set<std::string> seen;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                const std::string at = where + "[" + std::to_string(i) + "]";
                const Json& id = ids[i];
                if (!id.is_string() || id.get_ref<const std::string&>().empty() ||
                    id.get_ref<const std::string&>().size() > idBytesMax) {
                    fail(at, "expected a consumer id of 1 to " + std::to_string(idBytesMax) + " bytes");
                    return {};
                }
                if (!seen.insert(id.get<std::string>()).second) {
                    fail(at, "\"" + id.get<std::string>() + "\" is listed twice");
                    return {};
                }
                list.push_back(id.get<std::string>());
            }
        }
        return out;
    }

    const std::optional<std::string>& problem() const { return m_problem; }

private:
    void fail(const std::string& where, const std::string& what) {
        if (!m_problem) m_problem = where + ": " + what;
    }
    const Json* find(const char* field, bool optional = false) {
        if (m_problem || !m_object.is_object()) return nullptr;
        auto it = m_object.find(field);
        if (it == m_object.end()) {
            if (!optional) fail(field, "missing");
            return nullptr;
        }
        return &*it;
    }

    const Json& m_object;
    std::optional<std::string> m_problem;
};

// The body is of this type (the broker dispatches on it; a reader called on another type is a bug or
// a forged body).
inline Status expectType(const Body& body, std::string_view type) {
    if (body.type != type)
        return makeError("body.type: expected \"" + std::string(type) + "\", got \"" + body.type + "\"");
    return Ok{};
}

// The message, or the first problem the reader met.
template <class T>
Result<T> finish(const FieldReader& reader, T message) {
    if (reader.problem()) return makeError(*reader.problem());
    return message;
}

}  // namespace distlab::mq::detail
