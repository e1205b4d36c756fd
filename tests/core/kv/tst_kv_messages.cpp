// The demo store's messages: every type survives the wire (encode, decode, typed read) unchanged, and
// malformed bodies come back as readable errors instead of exceptions.
#include <QTest>

#include <set>

#include "core/protocols/kv/kv_messages.h"
#include "core/protocols/kv/kv_ring_view.h"
#include "core/protocols/kv/kv_server.h"
#include "tests/support/wire_checks.h"

using namespace distlab;
using namespace distlab::kv;

namespace {

template <class T>
bool roundTrips(const Body& body) {
    Envelope envelope{"n1", "n2", body};
    envelope.body.msgId = 42;
    envelope.body.inReplyTo = 7;
    Result<Envelope> decoded = decodeEnvelope(encodeEnvelope(envelope));
    if (!decoded) return false;
    if (decoded->body.type != T::kType || decoded->body.msgId != 42 || decoded->body.inReplyTo != 7)
        return false;
    Result<T> original = bodyAs<T>(body);
    Result<T> typed = bodyAs<T>(decoded->body);
    return original && typed && Json(original.value()) == Json(typed.value()) &&
           decoded->body.fields == body.fields;
}

bool roundTripsAny(const Body& body) {
    const std::string& t = body.type;
    if (t == RingUpdate::kType) return roundTrips<RingUpdate>(body);
    if (t == Put::kType) return roundTrips<Put>(body);
    if (t == PutOk::kType) return roundTrips<PutOk>(body);
    if (t == Get::kType) return roundTrips<Get>(body);
    if (t == GetOk::kType) return roundTrips<GetOk>(body);
    if (t == Replicate::kType) return roundTrips<Replicate>(body);
    if (t == ReplicateOk::kType) return roundTrips<ReplicateOk>(body);
    if (t == Pull::kType) return roundTrips<Pull>(body);
    if (t == PullDigest::kType) return roundTrips<PullDigest>(body);
    if (t == Fetch::kType) return roundTrips<Fetch>(body);
    if (t == PullOk::kType) return roundTrips<PullOk>(body);
    if (t == ClientPut::kType) return roundTrips<ClientPut>(body);
    if (t == ClientGet::kType) return roundTrips<ClientGet>(body);
    if (t == Workload::kType) return roundTrips<Workload>(body);
    if (t == ClientResultMsg::kType) return roundTrips<ClientResultMsg>(body);
    return false;
}

}  // namespace

class TestKvMessages : public QObject {
    Q_OBJECT

private slots:
    void samplesCoverEveryTypeOnce() {
        QCOMPARE(kvMessageTypes().size(), std::size_t{15});
        wire::checkSamplesCoverTypes(kvSampleMessages(), kvMessageTypes(), "");
    }

    void everySampleRoundTrips_data() {
        QTest::addColumn<int>("index");
        std::vector<Body> samples = kvSampleMessages();
        for (std::size_t i = 0; i < samples.size(); ++i)
            QTest::newRow(samples[i].type.c_str()) << static_cast<int>(i);
    }
    void everySampleRoundTrips() {
        QFETCH(int, index);
        const Body body = kvSampleMessages().at(static_cast<std::size_t>(index));
        QVERIFY2(roundTripsAny(body), encodeEnvelope(Envelope{"n1", "n2", body}).c_str());
    }

    void fieldsUseTheDocumentedNames() {
        Json json = bodyToJson(makeBody(Replicate{"k3", "v", Version{7, "n2"}}));
        QCOMPARE(json.dump(), std::string(R"({"key":"k3","msg_id":0,"type":"replicate","value":"v",)"
                                          R"("version":{"counter":7,"writer":"n2"}})"));
    }

    void versionsOrderByCounterThenWriter() {
        QVERIFY((Version{2, "n1"} < Version{3, "n0"}));
        QVERIFY((Version{3, "n1"} < Version{3, "n2"}));
        QVERIFY(Version{}.empty());
        QCOMPARE(versionText(Version{3, "n2"}), std::string("3@n2"));
        QCOMPARE(versionText(Version{}), std::string("none"));
    }

    void malformedBodiesAreErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expectedInError");
        QTest::newRow("put without value")
            << R"({"src":"c1","dest":"n1","body":{"type":"put","msg_id":1,"key":"k1"}})"
            << "value";
        QTest::newRow("put with numeric key")
            << R"({"src":"c1","dest":"n1","body":{"type":"put","msg_id":1,"key":3,"value":"v"}})"
            << "put";
        QTest::newRow("version as a string")
            << R"({"src":"n1","dest":"n2","body":{"type":"replicate","key":"k","value":"v","version":"3@n1"}})"
            << "replicate";
        QTest::newRow("ring members not a list")
            << R"({"src":"ctl","dest":"n1","body":{"type":"ring_update","epoch":1,"vnodes":8,"hash":"xxh3",)"
               R"("replicas":3,"members":"n1","down":[]}})"
            << "ring_update";
        QTest::newRow("pull_ok entry without version")
            << R"({"src":"n1","dest":"n2","body":{"type":"pull_ok","more":false,"entries":[{"key":"k","value":"v"}]}})"
            << "version";
        QTest::newRow("workload flag as text")
            << R"({"src":"ctl","dest":"c1","body":{"type":"workload","enabled":"yes"}})"
            << "workload";
        QTest::newRow("replicate_ok without held")
            << R"({"src":"n2","dest":"n1","body":{"type":"replicate_ok","key":"k","version":{"counter":3,"writer":"n1"}}})"
            << "held";
        QTest::newRow("pull with an epoch instead of a ring")
            << R"({"src":"n2","dest":"n1","body":{"type":"pull","epoch":4,"summary":[]}})"
            << "ring";
        QTest::newRow("client_result version as a number")
            << R"({"src":"c1","dest":"ctl","body":{"type":"client_result","op":"get","key":"k","value":null,)"
               R"("version":3,"ok":true,"error":""}})"
            << "client_result";
    }
    void malformedBodiesAreErrors() {
        QFETCH(QString, text);
        QFETCH(QString, expectedInError);
        Result<Envelope> envelope = decodeEnvelope(text.toStdString());
        QVERIFY(envelope.ok());
        const std::string& type = envelope->body.type;
        std::string error;
        if (type == Put::kType) error = bodyAs<Put>(envelope->body).error().message;
        if (type == Replicate::kType) error = bodyAs<Replicate>(envelope->body).error().message;
        if (type == RingUpdate::kType) error = bodyAs<RingUpdate>(envelope->body).error().message;
        if (type == PullOk::kType) error = bodyAs<PullOk>(envelope->body).error().message;
        if (type == Workload::kType) error = bodyAs<Workload>(envelope->body).error().message;
        if (type == ReplicateOk::kType) error = bodyAs<ReplicateOk>(envelope->body).error().message;
        if (type == Pull::kType) error = bodyAs<Pull>(envelope->body).error().message;
        if (type == ClientResultMsg::kType) error = bodyAs<ClientResultMsg>(envelope->body).error().message;
        QVERIFY2(error.find(expectedInError.toStdString()) != std::string::npos, error.c_str());
    }

    void aBodyOfAnotherTypeIsRejected() {
        Result<Put> put = bodyAs<Put>(makeBody(Get{"k1"}));
        QVERIFY(!put.ok());
        QVERIFY(put.error().message.find("\"put\"") != std::string::npos);
    }

    void invalidRingUpdatesAreExplained_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("which");
        QTest::newRow("epoch") << "epoch" << 0;
        QTest::newRow("vnodes") << "vnodes" << 1;
        QTest::newRow("hash") << "hash" << 2;
        QTest::newRow("replicas") << "replicas" << 3;
        QTest::newRow("duplicate member") << "members[2]" << 4;
        QTest::newRow("down not a member") << "down[0]" << 5;
    }
    void invalidRingUpdatesAreExplained() {
        QFETCH(QString, field);
        QFETCH(int, which);
        RingUpdate update{1, 16, "xxh3", 3, {"n1", "n2", "n3"}, {}};
        QVERIFY(validateRingUpdate(update).empty());
        switch (which) {
            case 0:
                update.epoch = 0;
                break;
            case 1:
                update.vnodes = 0;
                break;
            case 2:
                update.hash = "md5";
                break;
            case 3:
                update.replicas = 0;
                break;
            case 4:
                update.members[2] = "n1";
                break;
            case 5:
                update.down = {"n9"};
                break;
        }
        std::string problem = validateRingUpdate(update);
        QVERIFY2(problem.find("ring_update." + field.toStdString()) != std::string::npos, problem.c_str());
        QVERIFY(!RingView::fromUpdate(update).ok());
    }

    void keysAndValuesHaveLimits() {
        QVERIFY(validateKey("k1").empty());
        QVERIFY(!validateKey("").empty());
        QVERIFY(!validateKey(std::string(kKeyBytesMax + 1, 'k')).empty());
        QVERIFY(validateValue("").empty());
        QVERIFY(!validateValue(std::string(kValueBytesMax + 1, 'v')).empty());
    }

    void aFullPullOkStaysBelowTheFrameLimit() {
        PullOk pullOk;
        for (std::size_t i = 0; i < kPullEntriesMax; ++i) {
            pullOk.entries.push_back(Entry{std::string(kKeyBytesMax, 'k'), std::string(kValueBytesMax, 'v'),
                                           Version{std::int64_t{1} << 60, std::string(64, 'n')}});
        }
        QVERIFY(encodeEnvelope(Envelope{"n1", "n2", makeBody(pullOk)}).size() < kFrameBytesMax);
    }

    void fullDigestFetchAndPullStayBelowTheFrameLimit() {
        PullDigest digest;
        Fetch fetch;
        for (std::size_t i = 0; i < kPullEntriesMax; ++i) {
            digest.entries.push_back(DigestEntry{std::string(kKeyBytesMax, 'k'),
                                                 Version{std::int64_t{1} << 60, std::string(64, 'n')}});
            fetch.keys.push_back(std::string(kKeyBytesMax, 'k'));
        }
        QVERIFY(encodeEnvelope(Envelope{"n1", "n2", makeBody(digest)}).size() < kFrameBytesMax);
        QVERIFY(encodeEnvelope(Envelope{"n1", "n2", makeBody(fetch)}).size() < kFrameBytesMax);
        RingUpdate ring{1, 160, "xxh3", 3, {}, {}};
        for (std::size_t i = 0; i < kRingMembersMax; ++i)
            ring.members.push_back(std::string(64, 'n') + std::to_string(i));
        Pull pull{ring, std::vector<std::uint64_t>(kDigestBucketsMax, ~std::uint64_t{0})};
        QVERIFY(encodeEnvelope(Envelope{"n1", "n2", makeBody(pull)}).size() < kFrameBytesMax);
    }

    void digestSummariesHaveBoundedBuckets() {
        QCOMPARE(digestBucketCount(0), std::size_t{1});
        QCOMPARE(digestBucketCount(kDigestKeysPerBucket), std::size_t{1});
        QCOMPARE(digestBucketCount(2 * kDigestKeysPerBucket), std::size_t{2});
        QCOMPARE(digestBucketCount(100), std::size_t{16});  // 12 rounded up to a power of two
        QCOMPARE(digestBucketCount(1'000'000), kDigestBucketsMax);
        for (const char* key : {"k0", "k1", "some-long-key"}) QVERIFY(digestBucket(key, 16) < 16);
        QCOMPARE(digestBucket("k1", 1), std::size_t{0});
        // The hash covers key and version, so a replica with another version of the key disagrees.
        QVERIFY(entryDigestHash("k1", Version{3, "n1"}) != entryDigestHash("k1", Version{3, "n2"}));
        QVERIFY(entryDigestHash("k1", Version{3, "n1"}) != entryDigestHash("k1", Version{4, "n1"}));
        QVERIFY(entryDigestHash("k1", Version{3, "n1"}) != entryDigestHash("k2", Version{3, "n1"}));
        QCOMPARE(entryDigestHash("k1", Version{3, "n1"}), entryDigestHash("k1", Version{3, "n1"}));
    }

    void clientResultsUseNullForNoValue() {
        Json json = bodyToJson(makeBody(ClientResultMsg{"get", "k9", std::nullopt, std::nullopt, true, ""}));
        QCOMPARE(json.dump(), std::string(R"({"error":"","key":"k9","msg_id":0,"ok":true,"op":"get",)"
                                          R"("type":"client_result","value":null,"version":null})"));
        Result<ClientResultMsg> back = bodyAs<ClientResultMsg>(bodyFromJson(json).value());
        QVERIFY(back.ok());
        QVERIFY(!back->value.has_value());
        QVERIFY(!back->version.has_value());
    }

    void storedEntriesSurviveEncoding() {
        MemoryStore memory;
        Disk store(memory);
        writeEntry(store, Entry{"k1", "hello", Version{4, "n3"}});
        store.put("meta/ring", "{}");
        store.put("kv/broken", "not json");
        std::optional<Entry> entry = readEntry(store, "k1");
        QVERIFY(entry.has_value());
        QCOMPARE(entry->value, std::string("hello"));
        QCOMPARE(entry->version, (Version{4, "n3"}));
        QVERIFY(!readEntry(store, "broken").has_value());
        QCOMPARE(readEntries(store).size(), std::size_t{1});
    }

    void ringViewPreferenceListsSkipDownMembers() {
        RingUpdate update{3, 32, "xxh3", 3, {"n1", "n2", "n3", "n4", "n5"}, {}};
        RingView all = RingView::fromUpdate(update).value();
        std::vector<std::string> list = all.preferenceList("k7");
        QCOMPARE(list.size(), std::size_t{3});
        update.down = {list.front()};
        RingView withDown = RingView::fromUpdate(update).value();
        std::vector<std::string> shifted = withDown.preferenceList("k7");
        QCOMPARE(shifted.size(), std::size_t{3});
        QCOMPARE(shifted[0], list[1]);
        QCOMPARE(shifted[1], list[2]);
        // The member coming back still sees the list it will be responsible for.
        QCOMPARE(withDown.preferenceList("k7", list.front()), list);
        QCOMPARE(ringViewText(withDown), std::string("epoch 3: 5 members, 1 down"));

        MemoryStore memory;
        Disk store(memory);
        withDown.save(store);
        RingView loaded = RingView::load(store);
        QCOMPARE(loaded.epoch(), std::int64_t{3});
        QCOMPARE(loaded.preferenceList("k7"), shifted);
    }

    void makeRingUpdateDescribesARing() {
        ring::HashRing ring(ring::RingConfig{40, ring::HashKind::Ketama});
        ring.addNode("n1");
        ring.addNode("n2");
        RingUpdate update = makeRingUpdate(9, ring, 2, {"n2", "n2", "n7"});
        QCOMPARE(update.epoch, std::int64_t{9});
        QCOMPARE(update.vnodes, 40);
        QCOMPARE(update.hash, std::string("ketama"));
        QCOMPARE(update.members, (std::vector<std::string>{"n1", "n2"}));
        QCOMPARE(update.down, std::vector<std::string>{"n2"});
    }

    void secondsAreFormattedWithMilliseconds() {
        QCOMPARE(formatSeconds(millis(3215)), std::string("3.215 s"));
        QCOMPARE(formatSeconds(millis(40)), std::string("0.040 s"));
        QCOMPARE(formatSeconds(0), std::string("0.000 s"));
    }
};

QTEST_GUILESS_MAIN(TestKvMessages)
#include "tst_kv_messages.moc"
