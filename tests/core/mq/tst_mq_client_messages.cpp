// The queue lab's control, ledger and push messages: every sample survives the wire and its strict reader
// unchanged; every field of every reader, when missing (if required), of the wrong JSON type or out of its
// bounds, gives an error that starts with the field's name; optional fields take their documented
// defaults.
#include <QTest>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/protocols/mq/mq_client_messages.h"
#include "tests/support/wire_checks.h"

using namespace distlab;
using namespace distlab::mq;

namespace {

template <class T>
Result<Json> asJson(const Result<T>& parsed) {
    if (!parsed) return parsed.error();
    return Json(parsed.value());
}

// The strict reader of the body's type, its result as JSON.
Result<Json> parseAny(const Body& body) {
    const std::string& t = body.type;
    if (t == MqProduce::kType) return asJson(parseMqProduce(body));
    if (t == MqProduceOk::kType) return asJson(parseMqProduceOk(body));
    if (t == MqMode::kType) return asJson(parseMqMode(body));
    if (t == MqModeOk::kType) return asJson(parseMqModeOk(body));
    if (t == MqSubscribe::kType) return asJson(parseMqSubscribe(body));
    if (t == MqSubscribeOk::kType) return asJson(parseMqSubscribeOk(body));
    if (t == MqSettle::kType) return asJson(parseMqSettle(body));
    if (t == MqSettleOk::kType) return asJson(parseMqSettleOk(body));
    if (t == MqApply::kType) return asJson(parseMqApply(body));
    if (t == MqApplyOk::kType) return asJson(parseMqApplyOk(body));
    if (t == MqPush::kType) return asJson(parseMqPush(body));
    return makeError("no reader for " + t);
}

// The fields a reader cannot do without.
const std::map<std::string, std::set<std::string>>& requiredFields() {
    static const std::map<std::string, std::set<std::string>> required = {
        {"mq_produce", {"queue", "count"}},
        {"mq_produce_ok", {"queue", "first", "last"}},
        {"mq_mode", {"mode"}},
        {"mq_mode_ok", {"mode"}},
        {"mq_subscribe", {"queue"}},
        {"mq_subscribe_ok", {"queue"}},
        {"mq_settle", {"action"}},
        {"mq_settle_ok", {"message_id", "action"}},
        {"mq_apply", {"message_id"}},
        {"mq_apply_ok", {"message_id", "applied"}},
        {"mq_push", {"queue", "message_id", "body"}},
    };
    return required;
}

Body sampleOf(std::string_view type) {
    for (const Body& body : mqClientSampleMessages()) {
        if (body.type == type) return body;
    }
    return Body{"missing-sample", 0, {}, {}};
}

Body withField(std::string_view type, const std::string& field, Json value) {
    Body body = sampleOf(type);
    body.fields[field] = std::move(value);
    return body;
}

}  // namespace

Q_DECLARE_METATYPE(distlab::Body)

class TestMqClientMessages : public QObject {
    Q_OBJECT

private slots:
    void samplesCoverEveryTypeOnce() {
        QCOMPARE(mqClientMessageTypes().size(), std::size_t(11));
        wire::checkSamplesCoverTypes(mqClientSampleMessages(), mqClientMessageTypes(), "mq_");
        QCOMPARE(requiredFields().size(), mqClientMessageTypes().size());
    }

    void samplesRoundTrip_data() {
        QTest::addColumn<int>("index");
        const std::vector<Body> samples = mqClientSampleMessages();
        for (std::size_t i = 0; i < samples.size(); ++i) QTest::newRow(samples[i].type.c_str()) << int(i);
    }
    void samplesRoundTrip() {
        QFETCH(int, index);
        const Body sample = mqClientSampleMessages().at(std::size_t(index));
        wire::checkEnvelopeRoundTrip(sample);
        // The strict reader accepts the sample and gives back exactly its fields.
        const Result<Envelope> decoded = decodeEnvelope(encodeEnvelope(Envelope{"ctl", "prod", sample}));
        QVERIFY(decoded.ok());
        const Result<Json> parsed = parseAny(decoded->body);
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QVERIFY2(parsed.value() == sample.fields, parsed->dump().c_str());
    }

    void wireNamesAreSnakeCase() {
        QVERIFY(
            makeBody(MqProduce{"q", 2, true, false, 10}).fields ==
            (Json{
                {"queue", "q"}, {"count", 2}, {"persistent", true}, {"poison", false}, {"interval_ms", 10}}));
        QVERIFY(makeBody(MqSubscribe{"q", 2, true, 5, 0.5, true}).fields == (Json{{"queue", "q"},
                                                                                  {"prefetch", 2},
                                                                                  {"idempotent", true},
                                                                                  {"process_ms", 5},
                                                                                  {"fail_rate", 0.5},
                                                                                  {"manual", true}}));
        QVERIFY(makeBody(MqMode{"brokerless", "push", {{"q", {"w1"}}}}).fields ==
                (Json{{"mode", "brokerless"}, {"pattern", "push"}, {"subscribers", {{"q", {"w1"}}}}}));
        QCOMPARE(mqMessageId(17), std::string("m17"));
    }

    // Every required field, taken away, is named as missing; every optional one may be left out.
    void missingFields_data() {
        QTest::addColumn<Body>("body");
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("required");
        for (const Body& sample : mqClientSampleMessages()) {
            for (const auto& [field, value] : sample.fields.items()) {
                Body body = sample;
                body.fields.erase(field);
                const bool required = requiredFields().at(sample.type).contains(field);
                QTest::newRow((sample.type + " without " + field).c_str())
                    << body << QString::fromStdString(field) << required;
            }
        }
    }
    void missingFields() {
        QFETCH(Body, body);
        QFETCH(QString, field);
        QFETCH(bool, required);
        const Result<Json> parsed = parseAny(body);
        QCOMPARE(!parsed.ok(), required);
        if (required) QCOMPARE(parsed.error().message, field.toStdString() + ": missing");
    }

    // Every field, given a value of the wrong JSON type, is named.
    void wrongTypes_data() {
        QTest::addColumn<Body>("body");
        QTest::addColumn<QString>("field");
        for (const Body& sample : mqClientSampleMessages()) {
            for (const auto& [field, value] : sample.fields.items()) {
                // An array is no field's type; a string is wrong for every non-string field, an object
                // for every string one.
                const std::vector<Json> wrong = {Json::array({1}),
                                                 value.is_string() ? Json::object() : Json("1")};
                for (const Json& bad : wrong) {
                    Body body = sample;
                    body.fields[field] = bad;
                    QTest::newRow((sample.type + "." + field + " = " + bad.dump()).c_str())
                        << body << QString::fromStdString(field);
                }
            }
        }
    }
    void wrongTypes() {
        QFETCH(Body, body);
        QFETCH(QString, field);
        const Result<Json> parsed = parseAny(body);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.starts_with(field.toStdString() + ": "),
                 parsed.error().message.c_str());
    }

    // Values of the right type outside their bounds.
    void outOfBounds_data() {
        QTest::addColumn<Body>("body");
        QTest::addColumn<QString>("where");  // how the error starts
        auto row = [](const char* name, Body body, const char* where) {
            QTest::newRow(name) << body << QString(where);
        };
        const std::string longId(65, 'i');
        row("produce queue with a slash", withField("mq_produce", "queue", "a/b"), "queue: ");
        row("produce queue of 65 bytes", withField("mq_produce", "queue", std::string(65, 'q')), "queue: ");
        row("produce queue empty", withField("mq_produce", "queue", ""), "queue: ");
        row("produce count 0", withField("mq_produce", "count", 0), "count: ");
        row("produce count 10001", withField("mq_produce", "count", 10001), "count: ");
        row("produce count 1.5", withField("mq_produce", "count", 1.5), "count: ");
        row("produce count 2^64-1", withField("mq_produce", "count", ~std::uint64_t(0)), "count: ");
        row("produce interval -1", withField("mq_produce", "interval_ms", -1), "interval_ms: ");
        row("produce interval 60001", withField("mq_produce", "interval_ms", 60001), "interval_ms: ");
        row("produce persistent as 1", withField("mq_produce", "persistent", 1), "persistent: ");
        row("produce poison as null", withField("mq_produce", "poison", nullptr), "poison: ");
        row("produce_ok first 0", withField("mq_produce_ok", "first", 0), "first: ");
        row("produce_ok last before first", withField("mq_produce_ok", "last", 0), "last: ");
        row("produce_ok last below first", withField("mq_produce_ok", "first", 9), "last: ");
        row("mode kafka", withField("mq_mode", "mode", "kafka"), "mode: ");
        row("mode pattern fanout", withField("mq_mode", "pattern", "fanout"), "pattern: ");
        row("mode subscribers as a list", withField("mq_mode", "subscribers", Json::array({"w1"})),
            "subscribers: ");
        row("mode subscribers queue with a slash", withField("mq_mode", "subscribers", {{"a/b", {"w1"}}}),
            "subscribers.a/b: ");
        row("mode subscribers as a string", withField("mq_mode", "subscribers", {{"q", "w1"}}),
            "subscribers.q: ");
        row("mode subscriber as a number", withField("mq_mode", "subscribers", {{"q", {"w1", 7}}}),
            "subscribers.q[1]: ");
        row("mode subscriber empty", withField("mq_mode", "subscribers", {{"q", {""}}}),
            "subscribers.q[0]: ");
        row("mode subscriber of 65 bytes",
            withField("mq_mode", "subscribers", {{"q", {std::string(65, 'w')}}}), "subscribers.q[0]: ");
        row("mode subscriber listed twice", withField("mq_mode", "subscribers", {{"q", {"w1", "w2", "w1"}}}),
            "subscribers.q[2]: ");
        {
            Json many = Json::object();
            for (std::size_t i = 0; i <= kMqSubscribedQueuesMax; ++i) many["q" + std::to_string(i)] = {"w1"};
            row("mode with 65 queues", withField("mq_mode", "subscribers", many), "subscribers: ");
            Json crowd = Json::array();
            for (std::size_t i = 0; i <= kMqSubscribersPerQueueMax; ++i)
                crowd.push_back("w" + std::to_string(i));
            row("mode with 65 subscribers", withField("mq_mode", "subscribers", {{"q", crowd}}),
                "subscribers.q: ");
        }
        row("mode_ok mode zmq", withField("mq_mode_ok", "mode", "zmq"), "mode: ");
        row("subscribe queue empty", withField("mq_subscribe", "queue", ""), "queue: ");
        row("subscribe prefetch -1", withField("mq_subscribe", "prefetch", -1), "prefetch: ");
        row("subscribe prefetch 65536", withField("mq_subscribe", "prefetch", 65536), "prefetch: ");
        row("subscribe process_ms -1", withField("mq_subscribe", "process_ms", -1), "process_ms: ");
        row("subscribe process_ms 60001", withField("mq_subscribe", "process_ms", 60001), "process_ms: ");
        row("subscribe fail_rate -0.1", withField("mq_subscribe", "fail_rate", -0.1), "fail_rate: ");
        row("subscribe fail_rate 1.5", withField("mq_subscribe", "fail_rate", 1.5), "fail_rate: ");
        row("subscribe fail_rate 2", withField("mq_subscribe", "fail_rate", 2), "fail_rate: ");
        row("subscribe idempotent as yes", withField("mq_subscribe", "idempotent", "yes"), "idempotent: ");
        row("subscribe manual as 1", withField("mq_subscribe", "manual", 1), "manual: ");
        row("subscribe_ok queue with a space", withField("mq_subscribe_ok", "queue", "a b"), "queue: ");
        row("settle action drop", withField("mq_settle", "action", "drop"), "action: ");
        row("settle tag -1", withField("mq_settle", "delivery_tag", -1), "delivery_tag: ");
        row("settle tag 2^53+1", withField("mq_settle", "delivery_tag", (std::int64_t(1) << 53) + 1),
            "delivery_tag: ");
        row("settle requeue as no", withField("mq_settle", "requeue", "no"), "requeue: ");
        row("settle_ok message_id empty", withField("mq_settle_ok", "message_id", ""), "message_id: ");
        row("settle_ok action ACK", withField("mq_settle_ok", "action", "ACK"), "action: ");
        row("apply message_id empty", withField("mq_apply", "message_id", ""), "message_id: ");
        row("apply message_id of 65 bytes", withField("mq_apply", "message_id", longId), "message_id: ");
        row("apply dedupe as 1", withField("mq_apply", "dedupe", 1), "dedupe: ");
        row("apply scope of 161 bytes", withField("mq_apply", "scope", std::string(161, 's')), "scope: ");
        row("apply scope as a number", withField("mq_apply", "scope", 7), "scope: ");
        row("apply_ok message_id of 65 bytes", withField("mq_apply_ok", "message_id", longId),
            "message_id: ");
        row("apply_ok applied as null", withField("mq_apply_ok", "applied", nullptr), "applied: ");
        row("push queue empty", withField("mq_push", "queue", ""), "queue: ");
        row("push message_id empty", withField("mq_push", "message_id", ""), "message_id: ");
        row("push body as a number", withField("mq_push", "body", 5), "body: ");
        row("push body of 1 MiB + 1", withField("mq_push", "body", std::string(kFrameBytesMax + 1, 'b')),
            "body: ");
    }
    void outOfBounds() {
        QFETCH(Body, body);
        QFETCH(QString, where);
        const Result<Json> parsed = parseAny(body);
        QVERIFY2(!parsed.ok(), parsed.ok() ? parsed->dump().c_str() : "");
        QVERIFY2(parsed.error().message.starts_with(where.toStdString()), parsed.error().message.c_str());
    }

    // The bounds themselves are accepted.
    void boundsAreInclusive() {
        QVERIFY(parseMqProduce(withField("mq_produce", "count", kMqProduceCountMax)).ok());
        QVERIFY(parseMqProduce(withField("mq_produce", "interval_ms", kMqIntervalMsMax)).ok());
        QVERIFY(parseMqSubscribe(withField("mq_subscribe", "prefetch", kMqPrefetchMax)).ok());
        QVERIFY(parseMqSubscribe(withField("mq_subscribe", "prefetch", 0)).ok());
        QVERIFY(parseMqSubscribe(withField("mq_subscribe", "fail_rate", 1)).ok());
        QVERIFY(parseMqSubscribe(withField("mq_subscribe", "fail_rate", 0)).ok());
        QVERIFY(parseMqSettle(withField("mq_settle", "delivery_tag", kMqDeliveryTagMax)).ok());
        QVERIFY(parseMqMode(withField("mq_mode", "subscribers", Json::object())).ok());
        QVERIFY(parseMqMode(withField("mq_mode", "subscribers", {{"q", Json::array()}})).ok());
    }

    void optionalFieldsTakeTheirDefaults() {
        const Result<MqProduce> produce =
            parseMqProduce(Body{"mq_produce", 0, {}, {{"queue", "q"}, {"count", 3}}});
        QVERIFY(produce.ok());
        QCOMPARE(produce->persistent, false);
        QCOMPARE(produce->poison, false);
        QCOMPARE(produce->interval_ms, std::int64_t(0));
        const Result<MqMode> mode = parseMqMode(Body{"mq_mode", 0, {}, {{"mode", "brokerless"}}});
        QVERIFY(mode.ok());
        QCOMPARE(mode->pattern, std::string("push"));
        QVERIFY(mode->subscribers.empty());
        const Result<MqSubscribe> subscribe = parseMqSubscribe(Body{"mq_subscribe", 0, {}, {{"queue", "q"}}});
        QVERIFY(subscribe.ok());
        QCOMPARE(subscribe->prefetch, std::int64_t(1));
        QCOMPARE(subscribe->idempotent, false);
        QCOMPARE(subscribe->process_ms, std::int64_t(100));
        QCOMPARE(subscribe->fail_rate, 0.0);
        QCOMPARE(subscribe->manual, false);
        const Result<MqSettle> settle = parseMqSettle(Body{"mq_settle", 0, {}, {{"action", "nack"}}});
        QVERIFY(settle.ok());
        QCOMPARE(settle->delivery_tag, std::int64_t(0));
        QCOMPARE(settle->requeue, true);
        const Result<MqApply> apply = parseMqApply(Body{"mq_apply", 0, {}, {{"message_id", "m1"}}});
        QVERIFY(apply.ok());
        QCOMPARE(apply->dedupe, false);
        QCOMPARE(apply->scope, std::string());
        // Extra fields are ignored.
        QVERIFY(parseMqApply(Body{"mq_apply", 0, {}, {{"message_id", "m1"}, {"color", "red"}}}).ok());
    }

    void bodyOfAnotherShapeIsRejected_data() {
        QTest::addColumn<Body>("body");
        QTest::addColumn<QString>("where");
        for (const Body& sample : mqClientSampleMessages()) {
            Body notObject = sample;
            notObject.fields = Json::array({1, 2});
            QTest::newRow((sample.type + " with an array body").c_str()) << notObject << QString("body: ");
        }
    }
    void bodyOfAnotherShapeIsRejected() {
        QFETCH(Body, body);
        QFETCH(QString, where);
        const Result<Json> parsed = parseAny(body);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.starts_with(where.toStdString()), parsed.error().message.c_str());
    }

    void readersCheckTheType() {
        const std::vector<std::function<std::string(const Body&)>> readers = {
            [](const Body& b) { return parseMqProduce(b).ok() ? "" : parseMqProduce(b).error().message; },
            [](const Body& b) { return parseMqMode(b).ok() ? "" : parseMqMode(b).error().message; },
            [](const Body& b) { return parseMqSubscribe(b).ok() ? "" : parseMqSubscribe(b).error().message; },
            [](const Body& b) { return parseMqSettle(b).ok() ? "" : parseMqSettle(b).error().message; },
            [](const Body& b) { return parseMqApply(b).ok() ? "" : parseMqApply(b).error().message; },
            [](const Body& b) { return parseMqApplyOk(b).ok() ? "" : parseMqApplyOk(b).error().message; },
            [](const Body& b) { return parseMqPush(b).ok() ? "" : parseMqPush(b).error().message; },
        };
        const Body other = makeBody(MqHeartbeat{});
        for (const auto& read : readers) {
            const std::string problem = read(other);
            QVERIFY2(problem.starts_with("body.type: expected \"mq_"), problem.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestMqClientMessages)
#include "tst_mq_client_messages.moc"
