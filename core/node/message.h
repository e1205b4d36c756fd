#pragma once
// Messages between nodes. Protocol code works with typed structs; on the wire and in traces a message
// takes Maelstrom's JSON envelope: {"src","dest","body":{"type","msg_id","in_reply_to",...}}.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/base/result.h"

namespace distlab {

using Json = nlohmann::json;  // objects keep sorted keys, so dumps are deterministic
using NodeId = std::string;

struct Body {
    std::string type;
    std::int64_t msgId = 0;  // assigned by the sender's context; 0 until then
    std::optional<std::int64_t> inReplyTo;
    Json fields = Json::object();  // every other body field
};

struct Envelope {
    NodeId src;
    NodeId dest;
    Body body;
};

// Maelstrom's error codes (https://github.com/jepsen-io/maelstrom/blob/main/doc/protocol.md).
enum class ErrorCode : int {
    Timeout = 0,
    NodeNotFound = 1,
    NotSupported = 10,
    TemporarilyUnavailable = 11,
    MalformedRequest = 12,
    Crash = 13,
    Abort = 14,
    KeyDoesNotExist = 20,
    KeyAlreadyExists = 21,
    PreconditionFailed = 22,
    TxnConflict = 30,
};
std::string_view errorCodeName(ErrorCode code);
// True for the codes Maelstrom calls definite: the operation certainly did not happen.
bool errorIsDefinite(ErrorCode code);

constexpr std::size_t kFrameBytesMax = 1 << 20;  // largest encoded envelope we accept

Json bodyToJson(const Body& body);
Result<Body> bodyFromJson(const Json& json);
Json envelopeToJson(const Envelope& envelope);
Result<Envelope> envelopeFromJson(const Json& json);
std::string encodeEnvelope(const Envelope& envelope);
// encodeEnvelope(envelope).size(), worked out without building the text (the trace counts every message's
// bytes, and building them was a third of a simulation's time).
std::size_t encodedEnvelopeBytes(const Envelope& envelope);
// Parses untrusted text; never throws.
Result<Envelope> decodeEnvelope(std::string_view text);

// Typed messages: a struct with `static constexpr std::string_view kType` and nlohmann to_json/from_json
// for its fields (NLOHMANN_DEFINE_TYPE_INTRUSIVE). The reserved names type/msg_id/in_reply_to are not fields.
template <class T>
Body makeBody(const T& message) {
    Body body;
    body.type = std::string(T::kType);
    body.fields = message;
    return body;
}

template <class T>
Result<T> bodyAs(const Body& body) {
    if (body.type != T::kType)
        return makeError("body.type: expected \"" + std::string(T::kType) + "\", got \"" + body.type + "\"");
    try {
        return body.fields.get<T>();
    } catch (const Json::exception& e) {
        return makeError("body of \"" + body.type + "\": " + e.what());
    }
}

struct ErrorMsg {
    static constexpr std::string_view kType = "error";
    int code = 0;
    std::string text;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(ErrorMsg, code, text)
};

inline ErrorMsg makeErrorMsg(ErrorCode code, std::string text) {
    return ErrorMsg{static_cast<int>(code), std::move(text)};
}

}  // namespace distlab
