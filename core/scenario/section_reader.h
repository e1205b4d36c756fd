#pragma once
// Reading one part of a scenario file with messages that name the file and the JSON path: the scenario's own
// keys use it, and so does every lab for its section (a lab's <lab>_section.cpp). A reader method either
// returns a valid value or throws SectionFailure, which parseScenario turns into its error; nothing else
// should catch it.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "core/base/result.h"
#include "core/base/sim_time.h"
#include "core/node/message.h"

namespace distlab {

struct SectionFailure {
    Error error;
};

// "path.key" and "path[index]", as the messages write a place in the file.
std::string childPath(const std::string& path, std::string_view key);
std::string indexPath(const std::string& path, std::size_t index);
// A JSON value for "got ...", without dumping whole arrays or objects into the message.
std::string describeJsonValue(const Json& value);
std::string joinedNames(std::span<const std::string_view> names);
// A time as the files write it: whole milliseconds.
constexpr std::int64_t wholeMillis(SimTime t) { return t / kMicrosPerMilli; }

class SectionReader {
public:
    // `source` names the file in every message ("demo.json").
    explicit SectionReader(std::string source) : m_source(std::move(source)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& message, std::string hint = {}) const;
    // Refuses a key not in `allowed`, with "did you mean" for a near miss.
    void checkKeys(const Json& object, const std::string& path, std::span<const std::string_view> allowed) const;
    void checkKeys(const Json& object, const std::string& path,
                   std::initializer_list<std::string_view> allowed) const {
        checkKeys(object, path, std::span<const std::string_view>(allowed.begin(), allowed.size()));
    }
    const Json& object(const Json& value, const std::string& path, std::string_view expected) const;
    std::int64_t integer(const Json& value, const std::string& path, std::int64_t lo, std::int64_t hi,
                         const std::string& expected = {}) const;
    double probability(const Json& value, const std::string& path) const;
    std::pair<SimTime, SimTime> millisRange(const Json& value, const std::string& path, std::int64_t lo,
                                            std::int64_t hi) const;
    // One line of text (no control characters) of at most bytesMax bytes.
    std::string text(const Json& value, const std::string& path, std::size_t bytesMax, bool mayBeEmpty) const;

    // The members of an object section: object.at(key), read as one of `allowed`, true/false, an integer in
    // lo..hi, or a whole number of milliseconds in lo..hi.
    std::string choice(const Json& object, const std::string& path, std::string_view key,
                       std::initializer_list<std::string_view> allowed) const;
    bool flag(const Json& object, const std::string& path, std::string_view key) const;
    std::int64_t number(const Json& object, const std::string& path, std::string_view key, std::int64_t lo,
                        std::int64_t hi) const;
    SimTime milliseconds(const Json& object, const std::string& path, std::string_view key, std::int64_t lo,
                         std::int64_t hi) const {
        return millis(number(object, path, key, lo, hi));
    }

private:
    std::string m_source;
};

}  // namespace distlab
