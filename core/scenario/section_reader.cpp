#include "core/scenario/section_reader.h"

#include <algorithm>

#include "core/console/command.h"

namespace distlab {

std::string childPath(const std::string& path, std::string_view key) {
    const std::string shown = excerptForMessage(key);
    return path.empty() ? shown : path + "." + shown;
}

std::string indexPath(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::string describeJsonValue(const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::boolean:
            return value.get<bool>() ? "true" : "false";
        case Json::value_t::string:
            return "\"" + excerptForMessage(value.get_ref<const std::string&>()) + "\"";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            return value.dump();
        case Json::value_t::array:
            return "an array";
        case Json::value_t::object:
            return "an object";
        default:
            return "an unsupported value";
    }
}

std::string joinedNames(std::span<const std::string_view> names) {
    std::string out;
    for (std::string_view name : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

namespace {

bool hasControlCharacter(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

}  // namespace

void SectionReader::fail(const std::string& path, const std::string& message, std::string hint) const {
    std::string where = m_source + ": ";
    if (!path.empty()) where += path + ": ";
    throw SectionFailure{makeError(where + message, std::move(hint))};
}

void SectionReader::checkKeys(const Json& object, const std::string& path,
                              std::span<const std::string_view> allowed) const {
    for (const auto& [key, value] : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::string hint;
        std::size_t best = 3;
        for (std::string_view candidate : allowed) {
            const std::size_t distance = key.size() > 40 ? best : editDistance(key, candidate);
            if (distance < best) {
                best = distance;
                hint = "did you mean '" + std::string(candidate) + "'?";
            }
        }
        fail(childPath(path, key), "unknown key (expected " + joinedNames(allowed) + ")", hint);
    }
}

const Json& SectionReader::object(const Json& value, const std::string& path, std::string_view expected) const {
    if (!value.is_object()) fail(path, "expected " + std::string(expected) + ", got " + describeJsonValue(value));
    return value;
}

std::int64_t SectionReader::integer(const Json& value, const std::string& path, std::int64_t lo, std::int64_t hi,
                                    const std::string& expected) const {
    const std::string what =
        expected.empty() ? "an integer from " + std::to_string(lo) + " to " + std::to_string(hi) : expected;
    if (!value.is_number_integer()) fail(path, "expected " + what + ", got " + describeJsonValue(value));
    if (value.is_number_unsigned()) {
        const auto u = value.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(hi) || static_cast<std::int64_t>(u) < lo)
            fail(path, "expected " + what + ", got " + describeJsonValue(value));
        return static_cast<std::int64_t>(u);
    }
    const auto i = value.get<std::int64_t>();
    if (i < lo || i > hi) fail(path, "expected " + what + ", got " + describeJsonValue(value));
    return i;
}

double SectionReader::probability(const Json& value, const std::string& path) const {
    const std::string what = "a probability from 0 to 1";
    if (!value.is_number()) fail(path, "expected " + what + ", got " + describeJsonValue(value));
    const double p = value.get<double>();
    if (!(p >= 0.0 && p <= 1.0)) fail(path, "expected " + what + ", got " + describeJsonValue(value));
    return p;
}

std::pair<SimTime, SimTime> SectionReader::millisRange(const Json& value, const std::string& path, std::int64_t lo,
                                                       std::int64_t hi) const {
    const std::string what = "[MIN, MAX] in milliseconds, " + std::to_string(lo) + " to " + std::to_string(hi);
    if (!value.is_array() || value.size() != 2) fail(path, "expected " + what + ", got " + describeJsonValue(value));
    const std::int64_t min = integer(value[0], indexPath(path, 0), lo, hi);
    const std::int64_t max = integer(value[1], indexPath(path, 1), lo, hi);
    if (min > max)
        fail(path, "the minimum (" + std::to_string(min) + ") is above the maximum (" + std::to_string(max) + ")");
    return {millis(min), millis(max)};
}

std::string SectionReader::text(const Json& value, const std::string& path, std::size_t bytesMax,
                                bool mayBeEmpty) const {
    const std::string what = std::string(mayBeEmpty ? "one line of text" : "a non-empty line of text") +
                             " of at most " + std::to_string(bytesMax) + " bytes";
    if (!value.is_string()) fail(path, "expected " + what + ", got " + describeJsonValue(value));
    const auto& s = value.get_ref<const std::string&>();
    if ((s.empty() && !mayBeEmpty) || s.size() > bytesMax || hasControlCharacter(s))
        fail(path, "expected " + what + ", got " + describeJsonValue(value));
    return s;
}

std::string SectionReader::choice(const Json& object, const std::string& path, std::string_view key,
                                  std::initializer_list<std::string_view> allowed) const {
    const Json& item = object.at(std::string(key));
    if (!item.is_string() ||
        std::find(allowed.begin(), allowed.end(), item.get_ref<const std::string&>()) == allowed.end())
        fail(childPath(path, key),
             "expected one of " + joinedNames(std::span<const std::string_view>(allowed.begin(), allowed.size())) +
                 ", got " + describeJsonValue(item));
    return item.get<std::string>();
}

bool SectionReader::flag(const Json& object, const std::string& path, std::string_view key) const {
    const Json& item = object.at(std::string(key));
    if (!item.is_boolean()) fail(childPath(path, key), "expected true or false, got " + describeJsonValue(item));
    return item.get<bool>();
}

std::int64_t SectionReader::number(const Json& object, const std::string& path, std::string_view key,
                                   std::int64_t lo, std::int64_t hi) const {
    return integer(object.at(std::string(key)), childPath(path, key), lo, hi);
}

}  // namespace distlab
