// Maelstrom envelopes: every message type round-trips, and malformed frames are errors, never crashes.
#include <QTest>

#include "core/node/message.h"
#include "core/base/rng.h"

using namespace distlab;

namespace {
struct Echo {
    static constexpr std::string_view kType = "echo";
    std::string echo;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(Echo, echo)
};
}  // namespace

class TestMessage : public QObject {
    Q_OBJECT
private slots:
    void envelopeRoundTrip() {
        Envelope e{"n1", "n2", makeBody(Echo{"hello"})};
        e.body.msgId = 7;
        e.body.inReplyTo = 3;
        const std::string text = encodeEnvelope(e);
        QCOMPARE(QString::fromStdString(text),
                 QStringLiteral(R"({"body":{"echo":"hello","in_reply_to":3,"msg_id":7,"type":"echo"},"dest":"n2","src":"n1"})"));
        auto back = decodeEnvelope(text);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QCOMPARE(back->src, std::string("n1"));
        QCOMPARE(back->dest, std::string("n2"));
        QCOMPARE(back->body.msgId, 7);
        QCOMPARE(*back->body.inReplyTo, 3);
        auto echo = bodyAs<Echo>(back->body);
        QVERIFY(echo.ok());
        QCOMPARE(echo->echo, std::string("hello"));
    }
    void errorMessageRoundTrip() {
        Envelope e{"n1", "c1", makeBody(makeErrorMsg(ErrorCode::TemporarilyUnavailable, "not the owner"))};
        auto back = decodeEnvelope(encodeEnvelope(e));
        QVERIFY(back.ok());
        auto err = bodyAs<ErrorMsg>(back->body);
        QVERIFY(err.ok());
        QCOMPARE(err->code, 11);
        QCOMPARE(err->text, std::string("not the owner"));
        QCOMPARE(errorCodeName(ErrorCode::TxnConflict), std::string_view("txn-conflict"));
        QVERIFY(!errorIsDefinite(ErrorCode::Timeout));
        QVERIFY(errorIsDefinite(ErrorCode::KeyDoesNotExist));
    }
    void malformedFrames_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << "{\"src\":" << "not valid JSON";
        QTest::newRow("array") << "[1,2]" << "expected an object";
        QTest::newRow("no src") << R"({"dest":"n1","body":{"type":"x"}})" << "message.src";
        QTest::newRow("empty dest") << R"({"src":"a","dest":"","body":{"type":"x"}})" << "message.dest";
        QTest::newRow("no body") << R"({"src":"a","dest":"b"})" << "message.body: missing";
        QTest::newRow("no type") << R"({"src":"a","dest":"b","body":{}})" << "body.type";
        QTest::newRow("bad msg_id") << R"({"src":"a","dest":"b","body":{"type":"x","msg_id":"7"}})" << "body.msg_id";
        QTest::newRow("unknown key") << R"({"src":"a","dest":"b","body":{"type":"x"},"extra":1})" << "message.extra";
    }
    void malformedFrames() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        auto result = decodeEnvelope(text.toStdString());
        QVERIFY(!result.ok());
        QVERIFY2(QString::fromStdString(result.error().message).contains(expected),
                 result.error().message.c_str());
    }
    void wrongTypedBodyIsAnError() {
        Body b = makeBody(Echo{"x"});
        b.fields["echo"] = 5;
        QVERIFY(!bodyAs<Echo>(b).ok());
        b.type = "other";
        QVERIFY(!bodyAs<Echo>(b).ok());
    }
    void oversizedFrameIsRejected() {
        std::string big(kFrameBytesMax + 1, ' ');
        auto r = decodeEnvelope(big);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("exceeds") != std::string::npos);
    }
    void randomBytesNeverCrash() {
        // A small fixed-seed fuzz pass; the seed is printed if anything goes wrong.
        const std::uint64_t seed = 2024;
        Rng rng(seed);
        const std::string valid = R"({"src":"n1","dest":"n2","body":{"type":"echo","msg_id":1,"echo":"x"}})";
        for (int i = 0; i < 20000; ++i) {
            std::string text = valid;
            const int edits = int(rng.uniform(1, 6));
            for (int k = 0; k < edits; ++k) {
                const auto pos = std::size_t(rng.uniform(0, std::int64_t(text.size())));
                text[pos] = char(rng.uniform(0, 256));
            }
            auto r = decodeEnvelope(text);
            if (r.ok()) QVERIFY2(!r->body.type.empty(), qPrintable(QStringLiteral("seed %1 case %2").arg(seed).arg(i)));
        }
    }
};

QTEST_APPLESS_MAIN(TestMessage)
#include "tst_message.moc"
