#include "core/base/text.h"

namespace distlab {

std::string fillTemplate(std::string_view templ, const std::vector<std::string>& args) {
    std::string out;
    out.reserve(templ.size() + 16 * args.size());
    for (std::size_t i = 0; i < templ.size(); ++i) {
        if (templ[i] == '%' && i + 1 < templ.size() && templ[i + 1] >= '1' && templ[i + 1] <= '9') {
            const std::size_t index = std::size_t(templ[i + 1] - '1');
            if (index < args.size()) {
                out += args[index];
                ++i;
                continue;
            }
        }
        out += templ[i];
    }
    return out;
}

std::string Text::str() const { return templ ? fillTemplate(templ, args) : std::string(); }

std::string joinLines(const std::vector<Text>& lines) {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) out += '\n';
        out += lines[i].str();
    }
    return out;
}

}  // namespace distlab
