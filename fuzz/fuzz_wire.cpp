// libFuzzer target for what a node parses from untrusted bytes: the frame decoder (core/net/frame.h), the
// envelope parser (core/node/message.h) and both sides of the handshake (core/net/handshake.h), with and
// without a cluster key. The first input byte cuts the stream into pieces of varying size, as TCP may.
// Built and run by scripts/fuzz-wire with clang, AddressSanitizer and UndefinedBehaviorSanitizer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/net/frame.h"
#include "core/net/handshake.h"

using namespace distlab;
using namespace distlab::net;

namespace {

const ClusterKey& fuzzKey() {
    static const ClusterKey key = ClusterKey::fromText("a fixed key for the fuzzer only").value();
    return key;
}

const std::string kNonce(64, 'a');

// What a connection does with each frame: parse it, feed it to the handshake, and once through, check the
// envelope as the node host does.
void consume(const std::string& payload, ServerHandshake& keyed, ServerHandshake& open, ClientHandshake& client) {
    auto envelope = decodeEnvelope(payload);
    if (!envelope) {
        (void)encodeFrame(wireError("n1", "*", "malformed frame: " + utf8Prefix(envelope.error().message, 200)));
        return;
    }
    // What parses must encode again, and decode to the same text (the trace and the wire rely on it).
    const std::string again = encodeEnvelope(envelope.value());
    if (again.size() != encodedEnvelopeBytes(envelope.value())) __builtin_trap();
    auto twice = decodeEnvelope(again);
    if (!twice || encodeEnvelope(twice.value()) != again) __builtin_trap();
    // Every answer and every refusal is encoded as the connection would send it (a reason that quotes the
    // input must stay valid UTF-8).
    const auto answer = [&](const HandshakeStep& step) {
        for (const Envelope& out : step.send) (void)encodeFrame(out);
        if (step.failure) (void)encodeFrame(wireError("n1", envelope.value().src, utf8Prefix(*step.failure, 500)));
    };
    for (ServerHandshake* server : {&keyed, &open}) answer(server->onFrame(envelope.value()));
    answer(client.onFrame(envelope.value()));
    (void)encodeFrame(wireError("n1", envelope.value().src, "src must be '" + envelope.value().src + "'"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t piece = 1 + data[0] % 64;
    std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
    // A small limit as well, so that the fuzzer reaches the oversize path with short inputs.
    FrameDecoder decoder(data[0] & 0x80 ? 256 : kFrameBytesMax);
    ServerHandshake keyed("n1", &fuzzKey(), kNonce);
    ServerHandshake open("n1", nullptr, kNonce);
    ClientHandshake client("n2", PeerRole::Node, "", &fuzzKey(), kNonce);
    for (std::size_t at = 0; at < stream.size(); at += piece) {
        decoder.feed(stream.substr(at, piece));
        while (auto payload = decoder.next()) consume(*payload, keyed, open, client);
        if (!decoder.broken().empty()) break;
    }
    // The whole input as one payload too: the envelope parser sees every input, framed or not.
    ServerHandshake keyed2("n1", &fuzzKey(), kNonce), open2("n1", nullptr, kNonce);
    ClientHandshake client2("n2", PeerRole::Node, "", nullptr, kNonce);
    consume(std::string(stream), keyed2, open2, client2);
    return 0;
}
