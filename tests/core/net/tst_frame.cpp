// The wire's frame codec (core/net/frame.h): frames come back whole however the stream is cut, a length of
// 0 or above the limit breaks the stream, and the decoder never holds more than a frame and a header.
#include <QtTest>

#include <random>

#include "core/net/frame.h"

using namespace distlab;
using namespace distlab::net;

class TestFrame : public QObject {
    Q_OBJECT

private slots:
    void headerIsBigEndianLength() {
        const std::string frame = encodeFrame(std::string(258, 'x'));
        QCOMPARE(frame.size(), std::size_t(262));
        QCOMPARE(std::uint8_t(frame[0]), std::uint8_t(0));
        QCOMPARE(std::uint8_t(frame[1]), std::uint8_t(0));
        QCOMPARE(std::uint8_t(frame[2]), std::uint8_t(1));
        QCOMPARE(std::uint8_t(frame[3]), std::uint8_t(2));
    }

    void framesSurviveAnyCut() {
        std::mt19937 rng(20261208);
        std::vector<std::string> payloads;
        std::string stream;
        for (int i = 0; i < 200; ++i) {
            std::string payload(1 + rng() % 3000, 'a');
            for (char& c : payload) c = static_cast<char>(rng());
            payloads.push_back(payload);
            stream += encodeFrame(payload);
        }
        for (int cut : {1, 3, 4, 7, 1000, 1 << 16}) {
            FrameDecoder decoder;
            std::vector<std::string> got;
            for (std::size_t at = 0; at < stream.size(); at += cut) {
                decoder.feed(std::string_view(stream).substr(at, cut));
                while (auto frame = decoder.next()) got.push_back(*frame);
                QVERIFY(decoder.buffered() <= kFrameHeaderBytes + 3000 + cut);
            }
            QVERIFY(decoder.broken().empty());
            QCOMPARE(got.size(), payloads.size());
            QVERIFY(got == payloads);
            QCOMPARE(decoder.buffered(), std::size_t(0));
        }
    }

    void envelopeRoundTrip() {
        Envelope envelope{"n1", "n2", Body{"put", 7, 3, Json{{"key", "k"}, {"value", "\xe4\xbd\xa0"}}}};
        FrameDecoder decoder;
        decoder.feed(encodeFrame(envelope));
        auto payload = decoder.next();
        QVERIFY(payload.has_value());
        auto decoded = decodeEnvelope(*payload);
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->src, std::string("n1"));
        QCOMPARE(decoded->body.msgId, std::int64_t(7));
        QCOMPARE(decoded->body.inReplyTo.value_or(0), std::int64_t(3));
        QCOMPARE(decoded->body.fields["value"].get<std::string>(), std::string("\xe4\xbd\xa0"));
    }

    void limitIsInclusive() {
        FrameDecoder decoder;
        decoder.feed(encodeFrame(std::string(kFrameBytesMax, 'z')));
        auto frame = decoder.next();
        QVERIFY(frame.has_value());
        QCOMPARE(frame->size(), kFrameBytesMax);
    }

    void oversizedLengthBreaksTheStream() {
        FrameDecoder decoder;
        const char header[] = {'\x80', '\x00', '\x00', '\x00'};  // 2 GiB
        decoder.feed(std::string_view(header, 4));
        QVERIFY(!decoder.next().has_value());
        QVERIFY(decoder.broken().find("2147483648 bytes") != std::string::npos);
        QCOMPARE(decoder.buffered(), std::size_t(0));
        // Nothing after a broken header is read as a frame.
        decoder.feed(encodeFrame(std::string("{}")));
        QVERIFY(!decoder.next().has_value());
        QCOMPARE(decoder.buffered(), std::size_t(0));

        FrameDecoder justAbove;
        const std::uint32_t n = kFrameBytesMax + 1;
        const char above[] = {char(n >> 24), char(n >> 16), char(n >> 8), char(n)};
        justAbove.feed(std::string_view(above, 4));
        QVERIFY(!justAbove.next().has_value());
        QVERIFY(!justAbove.broken().empty());
    }

    void zeroLengthBreaksTheStream() {
        FrameDecoder decoder;
        decoder.feed(std::string_view("\0\0\0\0", 4));
        QVERIFY(!decoder.next().has_value());
        QCOMPARE(decoder.broken(), std::string("a frame announced 0 bytes"));
    }

    void truncatedFrameWaits() {
        FrameDecoder decoder;
        const std::string frame = encodeFrame(std::string("{\"src\":\"a\"}"));
        decoder.feed(std::string_view(frame).substr(0, frame.size() - 1));
        QVERIFY(!decoder.next().has_value());
        QVERIFY(decoder.broken().empty());
        QCOMPARE(decoder.buffered(), frame.size() - 1);
        decoder.feed(std::string_view(frame).substr(frame.size() - 1));
        QVERIFY(decoder.next().has_value());
    }
};

QTEST_APPLESS_MAIN(TestFrame)
#include "tst_frame.moc"
