#include "core/base/sim_time.h"

#include <array>
#include <charconv>

namespace distlab {

std::string formatMillis(SimTime t) {
    std::array<char, 64> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), toMillis(t),
                                         std::chars_format::fixed, 1);
    if (ec != std::errc{}) return std::to_string(t / kMicrosPerMilli) + " ms";
    return std::string(buffer.data(), end) + " ms";
}

}  // namespace distlab
