#include "core/net/frame.h"

#include <cassert>

namespace distlab::net {

std::string encodeFrame(std::string_view payload) {
    assert(!payload.empty() && payload.size() <= kFrameBytesMax);
    const auto n = static_cast<std::uint32_t>(payload.size());
    std::string frame;
    frame.reserve(kFrameHeaderBytes + payload.size());
    frame.push_back(static_cast<char>((n >> 24) & 0xff));
    frame.push_back(static_cast<char>((n >> 16) & 0xff));
    frame.push_back(static_cast<char>((n >> 8) & 0xff));
    frame.push_back(static_cast<char>(n & 0xff));
    frame.append(payload);
    return frame;
}

std::string encodeFrame(const Envelope& envelope) { return encodeFrame(encodeEnvelope(envelope)); }

void FrameDecoder::feed(std::string_view bytes) {
    if (!m_broken.empty() || bytes.empty()) return;
    if (m_start > 0 && m_start == m_buffer.size()) {
        m_buffer.clear();
        m_start = 0;
    }
    m_buffer.append(bytes);
}

std::optional<std::string> FrameDecoder::next() {
    if (!m_broken.empty() || buffered() < kFrameHeaderBytes) return std::nullopt;
    const auto* p = reinterpret_cast<const unsigned char*>(m_buffer.data() + m_start);
    const std::uint64_t n = (std::uint64_t(p[0]) << 24) | (std::uint64_t(p[1]) << 16) | (std::uint64_t(p[2]) << 8) | p[3];
    if (n == 0 || n > m_frameBytesMax) {
        m_broken = n == 0 ? std::string("a frame announced 0 bytes")
                          : "a frame announced " + std::to_string(n) + " bytes, above the limit of " +
                                std::to_string(m_frameBytesMax);
        m_buffer.clear();
        m_buffer.shrink_to_fit();
        m_start = 0;
        return std::nullopt;
    }
    if (buffered() < kFrameHeaderBytes + n) return std::nullopt;
    std::string payload = m_buffer.substr(m_start + kFrameHeaderBytes, n);
    m_start += kFrameHeaderBytes + n;
    // Keep the buffer from growing with the stream: drop what was read once it is most of the buffer.
    if (m_start == m_buffer.size()) {
        m_buffer.clear();
        m_start = 0;
    } else if (m_start > m_buffer.size() / 2) {
        m_buffer.erase(0, m_start);
        m_start = 0;
    }
    return payload;
}

}  // namespace distlab::net
