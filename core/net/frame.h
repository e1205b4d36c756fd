#pragma once
// The wire between Distlab processes: a stream of frames, each a 4-byte big-endian length and then that many
// bytes of one JSON envelope (core/node/message.h), at most kFrameBytesMax of them.
//
//   | u32 length N, big-endian | N bytes: {"src":..,"dest":..,"body":{"type":..,...}} |
//
// FrameDecoder takes the bytes as they arrive, in pieces of any size, and gives back whole frames. An
// announced length of 0 or above the limit breaks the stream: nothing after it can be trusted to start a
// frame, so the connection reports it and closes. The decoder never holds more than one frame and a header.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/node/message.h"

namespace distlab::net {

constexpr std::size_t kFrameHeaderBytes = 4;

// The header and the payload of one frame. The payload must not be empty nor above kFrameBytesMax.
std::string encodeFrame(std::string_view payload);
std::string encodeFrame(const Envelope& envelope);

class FrameDecoder {
public:
    explicit FrameDecoder(std::size_t frameBytesMax = kFrameBytesMax) : m_frameBytesMax(frameBytesMax) {}

    // Takes the next bytes of the stream. Once the stream is broken, bytes are ignored.
    void feed(std::string_view bytes);
    // The next whole frame's payload, or nothing until more bytes come (or once broken).
    std::optional<std::string> next();
    // Why the stream is broken (an announced length of 0 or above the limit), or empty.
    const std::string& broken() const { return m_broken; }
    // Bytes held: a partial header or frame.
    std::size_t buffered() const { return m_buffer.size() - m_start; }

private:
    std::size_t m_frameBytesMax;
    std::string m_buffer;
    std::size_t m_start = 0;  // where the unread bytes begin in m_buffer
    std::string m_broken;
};

}  // namespace distlab::net
