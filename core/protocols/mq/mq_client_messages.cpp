// Messages of the queue lab's producers, consumers and ledger: strict readers that name the offending
// field, so a malformed control command is answered with error 12 and a sentence a student can act on.
#include "core/protocols/mq/mq_client_messages.h"

#include <cmath>
#include <optional>
#include <set>

namespace distlab::mq {

namespace {

// Reads the fields of one JSON object, remembering the first problem. The broker's messages have a reader
// of the same shape (mq_messages.cpp); this one adds words from a fixed set, probabilities and the
// subscriber table.
class FieldReader {
public:
    explicit FieldReader(const Json& object) : m_object(object) {
        if (!m_object.is_object()) fail("body", "expected an object");
    }

    // A queue or exchange name (validateMqName).
    std::string name(const char* field) {
        const Json* value = find(field);
        if (!value) return {};
        if (!value->is_string()) {
            fail(field, "expected a string");
            return {};
        }
        const std::string& text = value->get_ref<const std::string&>();
        if (std::string problem = validateMqName(text); !problem.empty()) {
            fail(field, problem);
            return {};
        }
        return text;
    }

    // Any string of at most bytesMax bytes (non-empty when nonEmpty).
    std::string text(const char* field, std::size_t bytesMax, bool nonEmpty) {
        const Json* value = find(field);
        if (!value) return {};
        if (!value->is_string()) {
            fail(field, "expected a string");
            return {};
        }
        const std::string& text = value->get_ref<const std::string&>();
        if ((nonEmpty && text.empty()) || text.size() > bytesMax) {
            fail(field, std::string(nonEmpty ? "expected a non-empty string" : "expected a string") +
                            " of at most " + std::to_string(bytesMax) + " bytes, got " +
                            std::to_string(text.size()));
            return {};
        }
        return text;
    }

    // One of a few words; `fallback` when the field is absent and optional.
    std::string word(const char* field, const std::vector<std::string_view>& words,
                     std::optional<std::string_view> fallback = std::nullopt) {
        const Json* value = find(field, fallback.has_value());
        if (!value) return std::string(fallback.value_or(""));
        std::string expected;
        for (std::string_view w : words)
            expected += (expected.empty() ? "\"" : " or \"") + std::string(w) + "\"";
        if (!value->is_string()) {
            fail(field, "expected " + expected);
            return {};
        }
        const std::string& text = value->get_ref<const std::string&>();
        for (std::string_view w : words) {
            if (text == w) return text;
        }
        fail(field, "expected " + expected + ", got \"" + text.substr(0, 32) + "\"");
        return {};
    }

    // An integer in [lo, hi]; `fallback` when the field is absent and optional.
    std::int64_t integer(const char* field, std::int64_t lo, std::int64_t hi,
                         std::optional<std::int64_t> fallback = std::nullopt) {
        const Json* value = find(field, fallback.has_value());
        if (!value) return fallback.value_or(0);
        if (!value->is_number_integer()) {
            fail(field, "expected an integer");
            return 0;
        }
        // An unsigned JSON number may not fit an int64: compare it before converting.
        const bool tooBig = value->is_number_unsigned() && value->get<std::uint64_t>() > std::uint64_t(hi);
        const std::int64_t number = tooBig ? hi : value->get<std::int64_t>();
        if (tooBig || number < lo || number > hi) {
            fail(field, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
            return 0;
        }
        return number;
    }

    // A number from 0 to 1 (an integer 0 or 1 too); `fallback` when absent.
    double probability(const char* field, double fallback) {
        const Json* value = find(field, /*optional=*/true);
        if (!value) return fallback;
        if (!value->is_number()) {
            fail(field, "expected a number from 0 to 1");
            return fallback;
        }
        const double number = value->get<double>();
        if (!std::isfinite(number) || number < 0.0 || number > 1.0) {
            fail(field, "expected a number from 0 to 1");
            return fallback;
        }
        return number;
    }

    // true or false; `fallback` when the field is absent and optional.
    bool flag(const char* field, std::optional<bool> fallback) {
        const Json* value = find(field, fallback.has_value());
        if (!value) return fallback.value_or(false);
        if (!value->is_boolean()) {
            fail(field, "expected true or false");
            return false;
        }
        return value->get<bool>();
    }

    // {"<queue>": ["<consumer>", ...], ...}, optional (empty when absent). Queues must be valid names,
    // consumer ids non-empty strings; a consumer listed twice for one queue is a mistake, not a weight.
    std::map<std::string, std::vector<std::string>> subscribers(const char* field) {
        std::map<std::string, std::vector<std::string>> out;
        const Json* value = find(field, /*optional=*/true);
        if (!value) return out;
        if (!value->is_object()) {
            fail(field, "expected an object of queue -> array of consumer ids");
            return out;
        }
        if (value->size() > kMqSubscribedQueuesMax) {
            fail(field, "at most " + std::to_string(kMqSubscribedQueuesMax) + " queues");
            return out;
        }
        for (const auto& [queue, ids] : value->items()) {
            const std::string where = std::string(field) + "." + queue;
            if (std::string problem = validateMqName(queue); !problem.empty()) {
                fail(where, problem);
                return {};
            }
            if (!ids.is_array()) {
                fail(where, "expected an array of consumer ids");
                return {};
            }
            if (ids.size() > kMqSubscribersPerQueueMax) {
                fail(where, "at most " + std::to_string(kMqSubscribersPerQueueMax) + " consumers");
                return {};
            }
            std::vector<std::string>& list = out[queue];
            std::set<std::string> seen;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                const std::string at = where + "[" + std::to_string(i) + "]";
                const Json& id = ids[i];
                if (!id.is_string() || id.get_ref<const std::string&>().empty() ||
                    id.get_ref<const std::string&>().size() > kMqConsumerIdBytesMax) {
                    fail(at, "expected a consumer id of 1 to " + std::to_string(kMqConsumerIdBytesMax) +
                                 " bytes");
                    return {};
                }
                if (!seen.insert(id.get<std::string>()).second) {
                    fail(at, "\"" + id.get<std::string>() + "\" is listed twice");
                    return {};
                }
                list.push_back(id.get<std::string>());
            }
        }
        return out;
    }

    const std::optional<std::string>& problem() const { return m_problem; }

private:
    void fail(const std::string& where, const std::string& what) {
        if (!m_problem) m_problem = where + ": " + what;
    }
    const Json* find(const char* field, bool optional = false) {
        if (m_problem || !m_object.is_object()) return nullptr;
        auto it = m_object.find(field);
        if (it == m_object.end()) {
            if (!optional) fail(field, "missing");
            return nullptr;
        }
        return &*it;
    }

    const Json& m_object;
    std::optional<std::string> m_problem;
};

Status expectType(const Body& body, std::string_view type) {
    if (body.type != type)
        return makeError("body.type: expected \"" + std::string(type) + "\", got \"" + body.type + "\"");
    return Ok{};
}

template <class T>
Result<T> finish(const FieldReader& reader, T message) {
    if (reader.problem()) return makeError(*reader.problem());
    return message;
}

const std::vector<std::string_view> kModes = {kMqModeAmqp, kMqModeBrokerless};
const std::vector<std::string_view> kPatterns = {kMqPatternPush, kMqPatternPubSub};
const std::vector<std::string_view> kActions = {kMqSettleAck, kMqSettleNack, kMqSettleReject};

}  // namespace

std::string mqMessageId(std::int64_t number) {
    return "m" + std::to_string(number);
}

Result<MqProduce> parseMqProduce(const Body& body) {
    if (Status type = expectType(body, MqProduce::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqProduce produce;
    produce.queue = reader.name("queue");
    produce.count = reader.integer("count", 1, kMqProduceCountMax);
    produce.persistent = reader.flag("persistent", false);
    produce.poison = reader.flag("poison", false);
    produce.interval_ms = reader.integer("interval_ms", 0, kMqIntervalMsMax, 0);
    return finish(reader, std::move(produce));
}

Result<MqProduceOk> parseMqProduceOk(const Body& body) {
    if (Status type = expectType(body, MqProduceOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqProduceOk ok;
    ok.queue = reader.name("queue");
    ok.first = reader.integer("first", 1, kMqDeliveryTagMax);
    ok.last = reader.integer("last", 1, kMqDeliveryTagMax);
    if (!reader.problem() && ok.last < ok.first) return makeError("last: expected at least first");
    return finish(reader, std::move(ok));
}

Result<MqMode> parseMqMode(const Body& body) {
    if (Status type = expectType(body, MqMode::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqMode mode;
    mode.mode = reader.word("mode", kModes);
    mode.pattern = reader.word("pattern", kPatterns, kMqPatternPush);
    mode.subscribers = reader.subscribers("subscribers");
    return finish(reader, std::move(mode));
}

Result<MqModeOk> parseMqModeOk(const Body& body) {
    if (Status type = expectType(body, MqModeOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqModeOk ok;
    ok.mode = reader.word("mode", kModes);
    return finish(reader, std::move(ok));
}

Result<MqSubscribe> parseMqSubscribe(const Body& body) {
    if (Status type = expectType(body, MqSubscribe::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqSubscribe subscribe;
    subscribe.queue = reader.name("queue");
    subscribe.prefetch = reader.integer("prefetch", 0, kMqPrefetchMax, 1);
    subscribe.idempotent = reader.flag("idempotent", false);
    subscribe.process_ms = reader.integer("process_ms", 0, kMqProcessMsMax, 100);
    subscribe.fail_rate = reader.probability("fail_rate", 0.0);
    subscribe.manual = reader.flag("manual", false);
    return finish(reader, std::move(subscribe));
}

Result<MqSubscribeOk> parseMqSubscribeOk(const Body& body) {
    if (Status type = expectType(body, MqSubscribeOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqSubscribeOk ok;
    ok.queue = reader.name("queue");
    return finish(reader, std::move(ok));
}

Result<MqSettle> parseMqSettle(const Body& body) {
    if (Status type = expectType(body, MqSettle::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqSettle settle;
    settle.action = reader.word("action", kActions);
    settle.delivery_tag = reader.integer("delivery_tag", 0, kMqDeliveryTagMax, 0);
    settle.requeue = reader.flag("requeue", true);
    return finish(reader, std::move(settle));
}

Result<MqSettleOk> parseMqSettleOk(const Body& body) {
    if (Status type = expectType(body, MqSettleOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqSettleOk ok;
    ok.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    ok.action = reader.word("action", kActions);
    return finish(reader, std::move(ok));
}

Result<MqApply> parseMqApply(const Body& body) {
    if (Status type = expectType(body, MqApply::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqApply apply;
    apply.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    apply.dedupe = reader.flag("dedupe", false);
    return finish(reader, std::move(apply));
}

Result<MqApplyOk> parseMqApplyOk(const Body& body) {
    if (Status type = expectType(body, MqApplyOk::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqApplyOk ok;
    ok.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    // Required: a reply that does not say whether the effect happened is no answer.
    ok.applied = reader.flag("applied", std::nullopt);
    return finish(reader, std::move(ok));
}

Result<MqPush> parseMqPush(const Body& body) {
    if (Status type = expectType(body, MqPush::kType); !type) return type.error();
    FieldReader reader(body.fields);
    MqPush push;
    push.queue = reader.name("queue");
    push.message_id = reader.text("message_id", kMqMessageIdBytesMax, /*nonEmpty=*/true);
    push.body = reader.text("body", kFrameBytesMax, /*nonEmpty=*/false);
    return finish(reader, std::move(push));
}

std::vector<Body> mqClientSampleMessages() {
    return {
        makeBody(MqProduce{"orders", 5, true, false, 20}),
        makeBody(MqProduceOk{"orders", 1, 5}),
        makeBody(MqMode{"brokerless", "pubsub", {{"orders", {"w1", "w2"}}}}),
        makeBody(MqModeOk{"brokerless"}),
        makeBody(MqSubscribe{"orders", 2, true, 50, 0.25, false}),
        makeBody(MqSubscribeOk{"orders"}),
        makeBody(MqSettle{"nack", 3, false}),
        makeBody(MqSettleOk{"m3", "nack"}),
        makeBody(MqApply{"m3", true}),
        makeBody(MqApplyOk{"m3", true}),
        makeBody(MqPush{"orders", "m4", "m4"}),
    };
}

std::vector<std::string_view> mqClientMessageTypes() {
    return {MqProduce::kType,   MqProduceOk::kType,   MqMode::kType,   MqModeOk::kType,
            MqSubscribe::kType, MqSubscribeOk::kType, MqSettle::kType, MqSettleOk::kType,
            MqApply::kType,     MqApplyOk::kType,     MqPush::kType};
}

}  // namespace distlab::mq
