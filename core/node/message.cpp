#include "core/node/message.h"

namespace distlab {

std::string_view errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::Timeout: return "timeout";
        case ErrorCode::NodeNotFound: return "node-not-found";
        case ErrorCode::NotSupported: return "not-supported";
        case ErrorCode::TemporarilyUnavailable: return "temporarily-unavailable";
        case ErrorCode::MalformedRequest: return "malformed-request";
        case ErrorCode::Crash: return "crash";
        case ErrorCode::Abort: return "abort";
        case ErrorCode::KeyDoesNotExist: return "key-does-not-exist";
        case ErrorCode::KeyAlreadyExists: return "key-already-exists";
        case ErrorCode::PreconditionFailed: return "precondition-failed";
        case ErrorCode::TxnConflict: return "txn-conflict";
    }
    return "unknown";
}

bool errorIsDefinite(ErrorCode code) {
    switch (code) {
        case ErrorCode::Timeout:
        case ErrorCode::Crash: return false;
        default: return true;
    }
}

Json bodyToJson(const Body& body) {
    Json out = body.fields.is_object() ? body.fields : Json::object();
    out["type"] = body.type;
    out["msg_id"] = body.msgId;
    if (body.inReplyTo) out["in_reply_to"] = *body.inReplyTo;
    return out;
}

Result<Body> bodyFromJson(const Json& json) {
    if (!json.is_object()) return makeError("body: expected an object");
    Body body;
    auto type = json.find("type");
    if (type == json.end() || !type->is_string()) return makeError("body.type: expected a string");
    body.type = type->get<std::string>();
    if (body.type.empty()) return makeError("body.type: expected a non-empty string");
    if (auto id = json.find("msg_id"); id != json.end()) {
        if (!id->is_number_integer()) return makeError("body.msg_id: expected an integer");
        body.msgId = id->get<std::int64_t>();
    }
    if (auto reply = json.find("in_reply_to"); reply != json.end()) {
        if (!reply->is_number_integer()) return makeError("body.in_reply_to: expected an integer");
        body.inReplyTo = reply->get<std::int64_t>();
    }
    body.fields = json;
    body.fields.erase("type");
    body.fields.erase("msg_id");
    body.fields.erase("in_reply_to");
    return body;
}

Json envelopeToJson(const Envelope& envelope) {
    return Json{{"src", envelope.src}, {"dest", envelope.dest}, {"body", bodyToJson(envelope.body)}};
}

Result<Envelope> envelopeFromJson(const Json& json) {
    if (!json.is_object()) return makeError("message: expected an object");
    for (const auto& [key, value] : json.items()) {
        if (key != "src" && key != "dest" && key != "body")
            return makeError("message." + key + ": unknown key (expected src, dest, body)");
    }
    Envelope envelope;
    for (const char* name : {"src", "dest"}) {
        auto it = json.find(name);
        if (it == json.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
            return makeError(std::string("message.") + name + ": expected a non-empty string");
    }
    envelope.src = json["src"].get<std::string>();
    envelope.dest = json["dest"].get<std::string>();
    auto body = json.find("body");
    if (body == json.end()) return makeError("message.body: missing");
    auto parsed = bodyFromJson(*body);
    if (!parsed) return makeError("message." + parsed.error().message);
    envelope.body = std::move(parsed).value();
    return envelope;
}

std::string encodeEnvelope(const Envelope& envelope) { return envelopeToJson(envelope).dump(); }

Result<Envelope> decodeEnvelope(std::string_view text) {
    if (text.size() > kFrameBytesMax)
        return makeError("message: " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                         std::to_string(kFrameBytesMax));
    Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return makeError("message: not valid JSON");
    return envelopeFromJson(json);
}

}  // namespace distlab
