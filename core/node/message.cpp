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

namespace {

// The bytes Json::dump() writes for a string: quotes, and its escapes (\" \\ \b \f \n \r \t, \u00XX for
// the other control characters); other bytes, UTF-8 included, are written as they are.
std::size_t dumpedStringBytes(std::string_view text) {
    std::size_t bytes = 2;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
            bytes += 2;
        else if (u < 0x20)
            bytes += 6;
        else
            bytes += 1;
    }
    return bytes;
}

template <class Int>
std::size_t digits(Int value) {
    std::size_t n = 1;
    while (value >= 10) {
        value /= 10;
        ++n;
    }
    return n;
}

std::size_t dumpedBytes(const Json& json) {
    switch (json.type()) {
        case Json::value_t::null: return 4;
        case Json::value_t::boolean: return json.get<bool>() ? 4 : 5;
        case Json::value_t::string: return dumpedStringBytes(json.get_ref<const std::string&>());
        case Json::value_t::number_unsigned: return digits(json.get<std::uint64_t>());
        case Json::value_t::number_integer: {
            const std::int64_t v = json.get<std::int64_t>();
            // The magnitude as unsigned, so that INT64_MIN has its 19 digits too.
            return v < 0 ? 1 + digits(std::uint64_t(0) - std::uint64_t(v)) : digits(std::uint64_t(v));
        }
        case Json::value_t::array: {
            std::size_t bytes = 2 + (json.empty() ? 0 : json.size() - 1);  // brackets and commas
            for (const Json& item : json) bytes += dumpedBytes(item);
            return bytes;
        }
        case Json::value_t::object: {
            std::size_t bytes = 2 + (json.empty() ? 0 : json.size() - 1);  // braces and commas
            for (auto it = json.begin(); it != json.end(); ++it)
                bytes += dumpedStringBytes(it.key()) + 1 + dumpedBytes(it.value());  // "key":value
            return bytes;
        }
        default: return json.dump().size();  // floats and binary: rare in messages; the dump itself
    }
}

}  // namespace

std::size_t encodedEnvelopeBytes(const Envelope& envelope) {
    // {"body":{...},"dest":"...","src":"..."}: braces, two commas, the keys with their quotes and colons.
    std::size_t body = 2;  // the body's braces
    std::size_t members = 0;
    if (envelope.body.fields.is_object())
        for (auto it = envelope.body.fields.begin(); it != envelope.body.fields.end(); ++it) {
            if (it.key() == "type" || it.key() == "msg_id" || it.key() == "in_reply_to") continue;  // bodyToJson's own
            body += dumpedStringBytes(it.key()) + 1 + dumpedBytes(it.value());
            ++members;
        }
    body += dumpedStringBytes("type") + 1 + dumpedStringBytes(envelope.body.type);
    body += dumpedStringBytes("msg_id") + 1 + dumpedBytes(Json(envelope.body.msgId));
    members += 2;
    if (envelope.body.inReplyTo) {
        body += dumpedStringBytes("in_reply_to") + 1 + dumpedBytes(Json(*envelope.body.inReplyTo));
        ++members;
    }
    body += members - 1;  // commas
    return 2 + 2 + dumpedStringBytes("body") + 1 + body + dumpedStringBytes("dest") + 1 + dumpedStringBytes(envelope.dest) +
           dumpedStringBytes("src") + 1 + dumpedStringBytes(envelope.src);
}

Result<Envelope> decodeEnvelope(std::string_view text) {
    if (text.size() > kFrameBytesMax)
        return makeError("message: " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                         std::to_string(kFrameBytesMax));
    Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return makeError("message: not valid JSON");
    return envelopeFromJson(json);
}

}  // namespace distlab
