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

std::string utf8Prefix(std::string_view text, std::size_t bytesMax) {
    if (text.size() <= bytesMax) return std::string(text);
    std::size_t end = bytesMax;
    // Back off continuation bytes (10xxxxxx) to the lead byte, and drop the lead byte too.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
    return std::string(text.substr(0, end));
}

}  // namespace distlab
