#pragma once
// Checks every protocol's message tests share. QCOMPARE / QVERIFY inside them record the failure and
// return from the helper; the calling test then fails too.
#include <QTest>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/node/message.h"

namespace wire {

// A protocol's sample messages name each of its declared types once, in the declared order, and every
// type starts with the protocol's prefix ("" when its types have several).
inline void checkSamplesCoverTypes(const std::vector<distlab::Body>& samples,
                                   const std::vector<std::string_view>& types, std::string_view prefix) {
    QCOMPARE(samples.size(), types.size());
    QCOMPARE(std::set<std::string_view>(types.begin(), types.end()).size(), types.size());
    for (std::size_t i = 0; i < samples.size(); ++i) {
        QCOMPARE(samples[i].type, std::string(types[i]));
        QVERIFY2(samples[i].type.starts_with(prefix), samples[i].type.c_str());
    }
}

// An envelope carrying the sample survives encoding and decoding: type, ids and fields, and the body's
// fields never hold the envelope's own msg_id.
inline void checkEnvelopeRoundTrip(const distlab::Body& sample) {
    distlab::Envelope envelope{"a", "b", sample};
    envelope.body.msgId = 42;
    envelope.body.inReplyTo = 7;
    const distlab::Result<distlab::Envelope> decoded = distlab::decodeEnvelope(distlab::encodeEnvelope(envelope));
    QVERIFY(decoded.ok());
    QCOMPARE(decoded->body.type, envelope.body.type);
    QCOMPARE(decoded->body.msgId, std::int64_t(42));
    QCOMPARE(decoded->body.inReplyTo, std::optional<std::int64_t>(7));
    QVERIFY(decoded->body.fields == envelope.body.fields);
    QVERIFY(!decoded->body.fields.contains("msg_id"));
    // The trace's byte count without encoding agrees with the encoding.
    QCOMPARE(distlab::encodedEnvelopeBytes(envelope), distlab::encodeEnvelope(envelope).size());
}

}  // namespace wire
