// The linearizability checker (core/check/linearizability.h) on hand-written histories for every model,
// valid and not; unknown operations that did and did not take effect; per-key partitioning; malformed input
// with its line; the budget; small, 1-minimal explanations; and generated histories, linearizable by
// construction, with and without a corrupted read. Seeds: DISTLAB_SEED (default 20261207).
#include <QTest>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "core/base/rng.h"
#include "core/check/history_generator.h"
#include "core/check/linearizability.h"
#include "core/check/op_history.h"

using namespace distlab;
using namespace distlab::lin;

namespace {

std::uint64_t baseSeed() {
    const char* env = std::getenv("DISTLAB_SEED");
    return env ? std::strtoull(env, nullptr, 10) : 20261207ull;
}

// A history written one event a line: "P invoke|ok|fail|info F [KEY=K] [VALUE]", VALUE as JSON.
std::string jsonl(std::initializer_list<const char*> lines) {
    std::string out;
    for (const char* line : lines) {
        std::string rest = line;
        const auto word = [&rest]() {
            const auto space = rest.find(' ');
            std::string w = rest.substr(0, space);
            rest = space == std::string::npos ? std::string() : rest.substr(space + 1);
            return w;
        };
        Json event{{"process", std::stoll(word())}, {"type", word()}, {"f", word()}};
        if (rest.rfind("key=", 0) == 0) event["key"] = word().substr(4);
        event["value"] = rest.empty() ? Json() : Json::parse(rest);
        out += event.dump() + "\n";
    }
    return out;
}

Result<LinearizabilityResult> check(const std::string& text, Model model, CheckOptions options = {}) {
    auto history = parseHistory(text, "test.jsonl");
    if (!history) return history.error();
    auto ops = opsOf(history.value(), "test.jsonl");
    if (!ops) return ops.error();
    return checkLinearizability(ops.value(), model, options);
}

Verdict verdictOf(const std::string& text, Model model) {
    auto result = check(text, model);
    if (!result) qFatal("%s", result.error().message.c_str());
    return result->verdict;
}

std::vector<Operation> opsOfGenerated(const GeneratorOptions& options) {
    auto ops = opsOf(generateHistory(options), "generated");
    if (!ops) qFatal("%s", ops.error().message.c_str());
    return std::move(ops).value();
}

// The definition, by brute force: some order of the completed operations and any of the unknown ones, each
// after every operation that completed before it was invoked, in which the model gives every read its value.
struct Brute {
    const std::vector<Operation>& ops;
    Model model;
    std::vector<char> used;

    bool apply(const Json& state, const Operation& op, Json& next) const {
        next = state;
        if (op.f == "incr") {
            next = state.get<std::int64_t>() + op.input.get<std::int64_t>();
            return true;
        }
        if (op.f == "read" || op.f == "get") return op.output == state;
        if (op.f == "write" || op.f == "put") {
            next = op.input;
            return true;
        }
        if (op.f == "append") {
            next = (state.is_null() ? std::string() : state.get<std::string>()) + op.input.get<std::string>();
            return true;
        }
        if (op.f == "cas") {
            if (state != op.input[0]) return false;
            next = op.input[1];
            return true;
        }
        return false;
    }
    bool search(const Json& state) {
        bool allDone = true;
        for (std::size_t i = 0; i < ops.size(); ++i)
            if (!used[i] && ops[i].outcome == Outcome::Ok) allDone = false;
        if (allDone) return true;
        for (std::size_t i = 0; i < ops.size(); ++i) {
            if (used[i] || ops[i].outcome == Outcome::Fail) continue;
            if (ops[i].outcome == Outcome::Unknown && (ops[i].f == "read" || ops[i].f == "get")) continue;
            bool allowed = true;
            for (std::size_t j = 0; j < ops.size(); ++j)
                if (!used[j] && j != i && ops[j].outcome == Outcome::Ok && ops[j].ret < ops[i].call) allowed = false;
            if (!allowed) continue;
            Json next;
            if (!apply(state, ops[i], next)) continue;
            used[i] = 1;
            const bool found = search(next);
            used[i] = 0;
            if (found) return true;
        }
        return false;
    }
    bool linearizable() {
        used.assign(ops.size(), 0);
        return search(model == Model::Counter ? Json(0) : Json());
    }
};

// A small random history, linearizable or not: a few processes, small values, some fails and infos.
std::vector<HistoryEvent> smallRandomHistory(Rng& rng, Model model) {
    std::vector<HistoryEvent> events;
    const int processes = int(rng.uniform(1, 4));
    std::vector<std::optional<HistoryEvent>> open(static_cast<std::size_t>(processes));
    std::vector<std::int64_t> id(static_cast<std::size_t>(processes));
    for (int p = 0; p < processes; ++p) id[std::size_t(p)] = p;
    std::int64_t nextId = processes;
    const int invocations = int(rng.uniform(1, 7));
    int invoked = 0;
    while (invoked < invocations || std::any_of(open.begin(), open.end(), [](const auto& o) { return o.has_value(); })) {
        const std::size_t p = std::size_t(rng.uniform(0, processes));
        if (!open[p]) {
            if (invoked >= invocations) continue;
            ++invoked;
            HistoryEvent e;
            e.process = id[p];
            const bool write = rng.chance(0.5);
            switch (model) {
                case Model::Counter:
                    e.f = write ? "incr" : "read";
                    if (write) e.value = rng.uniform(0, 3);
                    break;
                case Model::Register:
                    e.f = write ? "write" : "read";
                    if (write) e.value = rng.uniform(0, 3);
                    break;
                case Model::CasRegister:
                    e.f = write ? (rng.chance(0.5) ? "cas" : "write") : "read";
                    if (e.f == "write") e.value = rng.uniform(0, 3);
                    if (e.f == "cas") e.value = Json::array({rng.uniform(0, 3), rng.uniform(0, 3)});
                    break;
                case Model::Kv:
                    e.f = write ? (rng.chance(0.5) ? "append" : "put") : "get";
                    if (write) e.value = std::string(1, char('a' + rng.uniform(0, 2)));
                    break;
            }
            events.push_back(e);
            open[p] = e;
            continue;
        }
        HistoryEvent done = *open[p];
        const auto roll = rng.uniform(0, 10);
        done.type = roll < 7 ? EventType::Ok : roll < 8 ? EventType::Fail : EventType::Info;
        if (done.type == EventType::Ok && (done.f == "read" || done.f == "get")) {
            if (model == Model::Counter)
                done.value = rng.uniform(0, 5);
            else if (model == Model::Kv)
                done.value = rng.chance(0.2) ? Json() : Json(std::string(std::size_t(rng.uniform(1, 3)), char('a' + rng.uniform(0, 2))));
            else
                done.value = rng.chance(0.2) ? Json() : Json(rng.uniform(0, 3));
        }
        if (rng.chance(0.1)) {  // no completion at all
            open[p].reset();
            id[p] = nextId++;
            continue;
        }
        events.push_back(done);
        if (done.type == EventType::Info) id[p] = nextId++;
        open[p].reset();
    }
    return events;
}

}  // namespace

class TestLinearizability : public QObject {
    Q_OBJECT

private slots:
    void countersWithOverlappingIncrements() {
        // Two increments overlap the read: it may see none, one or both.
        for (const char* seen : {"0", "1", "2"}) {
            const std::string read = std::string("3 ok read ") + seen;
            const std::string text = jsonl({"1 invoke incr 1", "2 invoke incr 1", "3 invoke read", read.c_str(),
                                            "1 ok incr 1", "2 ok incr 1"});
            QCOMPARE(verdictOf(text, Model::Counter), Verdict::Linearizable);
        }
        // Three would need an increment nobody made.
        const std::string three = jsonl({"1 invoke incr 1", "2 invoke incr 1", "3 invoke read", "3 ok read 3",
                                         "1 ok incr 1", "2 ok incr 1"});
        QCOMPARE(verdictOf(three, Model::Counter), Verdict::NotLinearizable);
        // Reads that go backwards while nothing decrements: no order explains both.
        const std::string backwards = jsonl({"1 invoke incr 1", "1 ok incr 1", "2 invoke incr 1", "3 invoke read",
                                             "3 ok read 2", "3 invoke read", "3 ok read 1", "2 ok incr 1"});
        QCOMPARE(verdictOf(backwards, Model::Counter), Verdict::NotLinearizable);
    }

    void aLostIncrementIsExplained() {
        const std::string text = jsonl({"1 invoke incr 1", "1 ok incr 1", "2 invoke incr 2", "2 ok incr 2",
                                        "3 invoke read", "3 ok read 1"});
        auto result = check(text, Model::Counter);
        QVERIFY(result.ok());
        QCOMPARE(result->verdict, Verdict::NotLinearizable);
        QVERIFY2(result->explanation.find("lost") != std::string::npos, result->explanation.c_str());
        QVERIFY2(result->explanation.find("returned 1") != std::string::npos, result->explanation.c_str());
        QVERIFY2(result->explanation.find("add up to 3") != std::string::npos, result->explanation.c_str());
        // Reading 1 with no increment before it fails already: the failing set is that read alone.
        QVERIFY(result->minimal);
        QCOMPARE(result->failing.size(), std::size_t(1));
        QCOMPARE(result->failing.back().f, std::string("read"));
        QVERIFY(result->text.templ != nullptr);

        // Applied twice: a read above every increment there was.
        const std::string doubled = jsonl({"1 invoke incr 1", "1 ok incr 1", "3 invoke read", "3 ok read 2"});
        auto twice = check(doubled, Model::Counter);
        QCOMPARE(twice->verdict, Verdict::NotLinearizable);
        QVERIFY2(twice->explanation.find("applied twice") != std::string::npos, twice->explanation.c_str());
    }

    void unknownOperationsMayOrMayNotHaveHappened() {
        // An increment that ended unknown and took effect; one that never completed and did not.
        const std::string took = jsonl({"1 invoke incr 5", "1 info incr 5", "2 invoke read", "2 ok read 5"});
        QCOMPARE(verdictOf(took, Model::Counter), Verdict::Linearizable);
        const std::string didNot = jsonl({"1 invoke incr 5", "2 invoke read", "2 ok read 0"});
        QCOMPARE(verdictOf(didNot, Model::Counter), Verdict::Linearizable);
        // ...but not before it was invoked.
        const std::string early = jsonl({"2 invoke read", "2 ok read 5", "1 invoke incr 5", "1 info incr 5"});
        QCOMPARE(verdictOf(early, Model::Counter), Verdict::NotLinearizable);
        // An unknown increment takes effect once or never, not twice.
        const std::string twice = jsonl({"1 invoke incr 5", "1 info incr 5", "2 invoke read", "2 ok read 10"});
        QCOMPARE(verdictOf(twice, Model::Counter), Verdict::NotLinearizable);
        // Failed operations did not happen.
        const std::string failed = jsonl({"1 invoke incr 5", "1 fail incr 5", "2 invoke read", "2 ok read 5"});
        QCOMPARE(verdictOf(failed, Model::Counter), Verdict::NotLinearizable);
        // An unknown read says nothing.
        const std::string read = jsonl({"1 invoke incr 1", "1 ok incr 1", "2 invoke read", "2 info read"});
        QCOMPARE(verdictOf(read, Model::Counter), Verdict::Linearizable);
        // Huge unknown increments: the explanation's sums would overflow, so it gives the general one.
        const std::string huge = jsonl({"1 invoke incr 9223372036854775807", "1 info incr 9223372036854775807",
                                        "2 invoke incr 9223372036854775807", "2 info incr 9223372036854775807",
                                        "3 invoke read", "3 ok read -5"});
        auto overflow = check(huge, Model::Counter);
        QCOMPARE(overflow->verdict, Verdict::NotLinearizable);
        QVERIFY2(overflow->explanation.find("No order of these") == 0, overflow->explanation.c_str());
        auto counted = check(took, Model::Counter);
        QCOMPARE(counted->unknown, std::size_t(1));
        QCOMPARE(counted->operations, std::size_t(2));
    }

    void registers() {
        QCOMPARE(verdictOf(jsonl({"1 invoke read", "1 ok read null"}), Model::Register), Verdict::Linearizable);
        const std::string stale =
            jsonl({"1 invoke write 1", "1 ok write 1", "1 invoke write 2", "1 ok write 2", "2 invoke read", "2 ok read 1"});
        QCOMPARE(verdictOf(stale, Model::Register), Verdict::NotLinearizable);
        const std::string concurrent =
            jsonl({"1 invoke write 1", "1 ok write 1", "1 invoke write 2", "2 invoke read", "2 ok read 1", "1 ok write 2"});
        QCOMPARE(verdictOf(concurrent, Model::Register), Verdict::Linearizable);
        // Values are JSON: "1" is not 1.
        QCOMPARE(verdictOf(jsonl({"1 invoke write 1", "1 ok write 1", "2 invoke read", "2 ok read \"1\""}),
                           Model::Register),
                 Verdict::NotLinearizable);
        // Numbers compare as numbers.
        QCOMPARE(verdictOf(jsonl({"1 invoke write 1.0", "1 ok write 1.0", "2 invoke read", "2 ok read 1"}),
                           Model::Register),
                 Verdict::Linearizable);
        // The plain register knows no cas.
        auto cas = check(jsonl({"1 invoke cas [1,2]", "1 ok cas [1,2]"}), Model::Register);
        QVERIFY(!cas.ok());
        QVERIFY2(cas.error().message.find("line 1") != std::string::npos, cas.error().message.c_str());
    }

    void casRegisters() {
        const char* write = "1 invoke write 1";
        // An acknowledged cas took effect; a failed one did not; an unknown one may have failed its comparison.
        QCOMPARE(verdictOf(jsonl({write, "1 ok write 1", "2 invoke cas [1,2]", "2 ok cas [1,2]", "3 invoke read",
                                  "3 ok read 2"}),
                           Model::CasRegister),
                 Verdict::Linearizable);
        QCOMPARE(verdictOf(jsonl({write, "1 ok write 1", "2 invoke cas [1,2]", "2 ok cas [1,2]", "3 invoke read",
                                  "3 ok read 1"}),
                           Model::CasRegister),
                 Verdict::NotLinearizable);
        QCOMPARE(verdictOf(jsonl({write, "1 ok write 1", "2 invoke cas [1,2]", "2 fail cas [1,2]", "3 invoke read",
                                  "3 ok read 1"}),
                           Model::CasRegister),
                 Verdict::Linearizable);
        for (const char* seen : {"3 ok read 1", "3 ok read 2"})
            QCOMPARE(verdictOf(jsonl({write, "1 ok write 1", "2 invoke cas [1,2]", "2 info cas [1,2]", "3 invoke read",
                                      seen}),
                               Model::CasRegister),
                     Verdict::Linearizable);
        // A cas whose comparison cannot hold cannot have succeeded.
        QCOMPARE(verdictOf(jsonl({write, "1 ok write 1", "2 invoke cas [7,2]", "2 ok cas [7,2]"}), Model::CasRegister),
                 Verdict::NotLinearizable);
        auto bad = check(jsonl({"1 invoke cas 3", "1 ok cas 3"}), Model::CasRegister);
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.find("[from, to]") != std::string::npos, bad.error().message.c_str());
    }

    void keyValueStoresArePartitionedByKey() {
        const std::string ok = jsonl({"1 invoke put key=a \"x\"", "1 ok put key=a \"x\"", "2 invoke append key=a \"y\"",
                                      "2 ok append key=a \"y\"", "3 invoke get key=a", "3 ok get key=a \"xy\"",
                                      "3 invoke get key=b", "3 ok get key=b null"});
        auto result = check(ok, Model::Kv);
        QCOMPARE(result->verdict, Verdict::Linearizable);
        QCOMPARE(result->keys, std::size_t(2));
        // Appends in the wrong order on b, while a is fine: the verdict names b.
        const std::string wrong = jsonl({"1 invoke append key=b \"x\"", "1 ok append key=b \"x\"",
                                         "2 invoke append key=b \"y\"", "2 ok append key=b \"y\"",
                                         "1 invoke put key=a \"z\"", "1 ok put key=a \"z\"", "3 invoke get key=b",
                                         "3 ok get key=b \"yx\""});
        auto violation = check(wrong, Model::Kv);
        QCOMPARE(violation->verdict, Verdict::NotLinearizable);
        QCOMPARE(violation->key, std::string("b"));
        for (const Operation& op : violation->failing) QCOMPARE(op.key, std::string("b"));
        QVERIFY2(violation->explanation.find("key b") != std::string::npos, violation->explanation.c_str());
        // Keys are independent: the same values on two keys do not mix.
        QCOMPARE(verdictOf(jsonl({"1 invoke put key=a \"x\"", "1 ok put key=a \"x\"", "2 invoke get key=b",
                                  "2 ok get key=b \"x\""}),
                           Model::Kv),
                 Verdict::NotLinearizable);
    }

    void malformedHistoriesNameTheLine() {
        struct Case {
            const char* text;
            const char* message;
        };
        const Case cases[] = {
            {"{\"process\": 1, \"type\": \"invoke\", \"f\": \"incr\", \"value\": 1}\n{oops", "line 2: not JSON"},
            {"[1, 2]", "line 1: expected a JSON object"},
            {"{\"type\": \"invoke\", \"f\": \"incr\"}", "line 1: \"process\" must be an integer"},
            {"{\"process\": \"1\", \"type\": \"invoke\", \"f\": \"incr\"}", "line 1: \"process\" must be an integer"},
            {"\n\n{\"process\": 1, \"type\": \"start\", \"f\": \"incr\"}", "line 3: \"type\" must be one of"},
            {"{\"process\": 1, \"type\": \"invoke\", \"f\": \"\"}", "line 1: \"f\" must name the operation"},
            {"{\"process\": 1, \"type\": \"invoke\", \"f\": \"incr\", \"key\": [1]}", "line 1: \"key\" must be"},
            {"{\"process\": 1, \"type\": \"invoke\", \"f\": \"incr\", \"time\": 1.5}", "line 1: \"time\" must be"},
        };
        for (const Case& c : cases) {
            auto parsed = parseHistory(c.text, "h.jsonl");
            QVERIFY2(!parsed.ok(), c.text);
            QVERIFY2(parsed.error().message.find(std::string("h.jsonl: ") + c.message) == 0,
                     parsed.error().message.c_str());
        }
        // Blank lines and CRLF are fine; the line numbers still count them.
        auto crlf = parseHistory("\r\n{\"process\": 1, \"type\": \"invoke\", \"f\": \"incr\", \"value\": 1}\r\n", "h");
        QVERIFY(crlf.ok());
        QCOMPARE(crlf->size(), std::size_t(1));
        QCOMPARE(crlf->front().line, std::size_t(2));

        const Case pairing[] = {
            {"{\"process\": 1, \"type\": \"ok\", \"f\": \"incr\", \"value\": 1}", "line 1: process 1 completes"},
            {"{\"process\": 1, \"type\": \"invoke\", \"f\": \"incr\", \"value\": 1}\n"
             "{\"process\": 1, \"type\": \"invoke\", \"f\": \"read\"}",
             "line 2: process 1 invokes while its operation of line 1"},
            {"{\"process\": 1, \"type\": \"invoke\", \"f\": \"incr\", \"value\": 1}\n"
             "{\"process\": 1, \"type\": \"info\", \"f\": \"incr\", \"value\": 1}\n"
             "{\"process\": 1, \"type\": \"invoke\", \"f\": \"read\"}",
             "line 3: process 1 invokes after its info on line 2"},
            {"{\"process\": 1, \"type\": \"invoke\", \"f\": \"incr\", \"value\": 1}\n"
             "{\"process\": 1, \"type\": \"ok\", \"f\": \"read\", \"value\": 1}",
             "line 2: the completion's f"},
        };
        for (const Case& c : pairing) {
            auto parsed = parseHistory(c.text, "h.jsonl");
            QVERIFY(parsed.ok());
            auto ops = opsOf(parsed.value(), "h.jsonl");
            QVERIFY2(!ops.ok(), c.text);
            QVERIFY2(ops.error().message.find(std::string("h.jsonl: ") + c.message) == 0, ops.error().message.c_str());
        }
        // Values of the wrong shape for the model.
        auto delta = check(jsonl({"1 invoke incr \"one\"", "1 ok incr \"one\""}), Model::Counter);
        QVERIFY(!delta.ok());
        QVERIFY2(delta.error().message.find("line 1: incr needs an integer delta") == 0, delta.error().message.c_str());
        auto f = check(jsonl({"1 invoke write 1", "1 ok write 1"}), Model::Counter);
        QVERIFY(!f.ok());
        QVERIFY2(f.error().message.find("not \"write\"") != std::string::npos, f.error().message.c_str());
    }

    void parserSurvivesGarbage() {
        // Random bytes and mutated valid lines: an error naming a line, or events; never a crash.
        const std::uint64_t seed = baseSeed();
        Rng rng(seed);
        const std::string valid = jsonl({"1 invoke incr key=k 1", "1 ok incr key=k 1", "2 invoke read key=k",
                                         "2 ok read key=k 1"});
        int rejected = 0;
        for (int i = 0; i < 3000; ++i) {
            std::string text = valid;
            const int edits = int(rng.uniform(1, 8));
            for (int e = 0; e < edits; ++e) {
                const std::size_t at = std::size_t(rng.uniform(0, std::int64_t(text.size())));
                switch (rng.uniform(0, 3)) {
                    case 0: text[at] = char(rng.uniform(0, 256)); break;
                    case 1: text.erase(at, 1); break;
                    default: text.insert(at, 1, "{}[]\",:0\n"[rng.uniform(0, 9)]); break;
                }
            }
            auto parsed = parseHistory(text, "fuzz");
            if (!parsed) {
                ++rejected;
                QVERIFY2(parsed.error().message.rfind("fuzz: line ", 0) == 0,
                         qPrintable(QString("seed %1, case %2: %3").arg(seed).arg(i).arg(parsed.error().message.c_str())));
                continue;
            }
            auto ops = opsOf(parsed.value(), "fuzz");
            if (ops) (void)checkLinearizability(ops.value(), Model::Counter);
        }
        QVERIFY(rejected > 1000);
    }

    void agreesWithBruteForceOnSmallHistories() {
        // Every verdict on thousands of small random histories, against the definition itself.
        const std::uint64_t seed = baseSeed();
        for (Model model : {Model::Counter, Model::Register, Model::CasRegister, Model::Kv}) {
            Rng rng(seed + std::uint64_t(model));
            int violations = 0;
            for (int i = 0; i < 4000; ++i) {
                const auto history = smallRandomHistory(rng, model);
                auto ops = opsOf(history, "small");
                QVERIFY(ops.ok());
                auto result = checkLinearizability(ops.value(), model);
                QVERIFY(result.ok());
                const bool expected = Brute{ops.value(), model, {}}.linearizable();
                violations += !expected;
                if ((result->verdict == Verdict::Linearizable) != expected) {
                    std::string text;
                    for (const auto& e : history) text += toJsonLine(e) + "\n";
                    QFAIL(qPrintable(QString("%1, seed %2, history %3: the checker says %4, the definition %5\n%6")
                                         .arg(QString::fromUtf8(modelName(model).data(), int(modelName(model).size())))
                                         .arg(seed)
                                         .arg(i)
                                         .arg(QString::fromUtf8(verdictName(result->verdict).data()))
                                         .arg(expected ? "linearizable" : "not")
                                         .arg(QString::fromStdString(text))));
                }
            }
            QVERIFY2(violations > 400 && violations < 3600, qPrintable(QString::number(violations)));
        }
    }

    void generatedHistoriesAreLinearizable() {
        const std::uint64_t seed = baseSeed();
        for (Model model : {Model::Counter, Model::Register, Model::CasRegister, Model::Kv}) {
            for (std::uint64_t s = seed; s < seed + 40; ++s) {
                GeneratorOptions options;
                options.model = model;
                options.operations = 200;
                options.clients = int(1 + s % 6);
                options.keys = int(1 + s % 3);
                options.unknownRate = 0.1;
                options.deltaMax = int(1 + s % 3);
                options.seed = s;
                auto result = checkLinearizability(opsOfGenerated(options), model);
                QVERIFY(result.ok());
                QVERIFY2(result->verdict == Verdict::Linearizable,
                         qPrintable(QString("%1, seed %2: %3 %4")
                                        .arg(QString::fromUtf8(modelName(model).data(), int(modelName(model).size())))
                                        .arg(s)
                                        .arg(QString::fromUtf8(verdictName(result->verdict).data()))
                                        .arg(QString::fromStdString(result->explanation))));
            }
        }
    }

    void aCorruptedReadIsFoundAndTheExplanationIsMinimal() {
        const std::uint64_t seed = baseSeed();
        int checked = 0;
        for (std::uint64_t s = seed; s < seed + 20; ++s) {
            GeneratorOptions options;
            options.model = s % 2 ? Model::Counter : Model::Register;
            options.operations = 120;
            options.clients = 4;
            options.unknownRate = 0.05;
            options.seed = s;
            std::vector<HistoryEvent> history = generateHistory(options);
            // Corrupt the last ok read: a value no order gives.
            for (auto it = history.rbegin(); it != history.rend(); ++it)
                if (it->type == EventType::Ok && it->f == "read") {
                    it->value = options.model == Model::Counter ? Json(1'000'000) : Json("never written");
                    break;
                }
            auto ops = opsOf(history, "corrupt");
            QVERIFY(ops.ok());
            auto result = checkLinearizability(ops.value(), options.model);
            QVERIFY(result.ok());
            QVERIFY2(result->verdict == Verdict::NotLinearizable, qPrintable(QString("seed %1").arg(s)));
            QVERIFY(!result->failing.empty());
            QVERIFY(!result->explanation.empty());
            if (!result->minimal) continue;
            ++checked;
            // 1-minimal: the failing set fails on its own, and without any one of its operations it does not.
            CheckOptions quiet;
            quiet.explain = false;
            auto alone = checkLinearizability(result->failing, options.model, quiet);
            QCOMPARE(alone->verdict, Verdict::NotLinearizable);
            for (std::size_t drop = 0; drop < result->failing.size(); ++drop) {
                std::vector<Operation> rest;
                for (std::size_t i = 0; i < result->failing.size(); ++i)
                    if (i != drop) rest.push_back(result->failing[i]);
                auto without = checkLinearizability(rest, options.model, quiet);
                QVERIFY2(without->verdict == Verdict::Linearizable,
                         qPrintable(QString("seed %1: still fails without operation %2").arg(s).arg(drop)));
            }
        }
        QVERIFY(checked >= 10);
    }

    void theBudgetAnswersUnknown() {
        // Fifty clients appending to one key: the search space is far beyond a tiny budget.
        GeneratorOptions options;
        options.model = Model::Kv;
        options.operations = 400;
        options.clients = 50;
        options.seed = baseSeed();
        CheckOptions tiny;
        tiny.stepsMax = 1000;
        auto result = checkLinearizability(opsOfGenerated(options), Model::Kv, tiny);
        QVERIFY(result.ok());
        QCOMPARE(result->verdict, Verdict::Unknown);
        QCOMPARE(result->unknownKey, std::string());
        QVERIFY(result->steps <= 1000);
        // A deadline in the past stops it as well.
        CheckOptions late;
        late.deadline = std::chrono::steady_clock::now();
        options.operations = 4000;
        auto timed = checkLinearizability(opsOfGenerated(options), Model::Kv, late);
        QCOMPARE(timed->verdict, Verdict::Unknown);
    }

    void historiesRoundTrip() {
        GeneratorOptions options;
        options.model = Model::CasRegister;
        options.keys = 3;
        options.seed = baseSeed();
        const auto history = generateHistory(options);
        std::string text;
        for (const auto& event : history) text += toJsonLine(event) + "\n";
        auto parsed = parseHistory(text, "again");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->size(), history.size());
        for (std::size_t i = 0; i < history.size(); ++i) {
            HistoryEvent expected = history[i];
            expected.line = i + 1;
            QVERIFY(parsed.value()[i] == expected);
        }
    }

    void aTracesClientOperationsBecomeAHistory() {
        Trace trace;
        const auto op = [&trace](SimTime t, const char* node, std::int64_t id, OpPhase phase, const char* f, Json value) {
            trace.addClientOp(ClientOp{t, node, id, phase, f, std::move(value)});
        };
        op(10, "c1", 1, OpPhase::Invoke, "put", Json{{"key", "k1"}, {"value", "x"}});
        op(11, "c1", 2, OpPhase::Invoke, "get", Json{{"key", "k2"}});  // a second op open at once: its own process
        op(12, "c1", 1, OpPhase::Ok, "put", Json{{"key", "k1"}, {"value", "x"}});
        op(13, "c1", 2, OpPhase::Unknown, "get", Json{{"key", "k2"}});  // retires that process
        op(14, "c1", 3, OpPhase::Invoke, "get", Json{{"key", "k1"}});
        op(15, "c2", 9, OpPhase::Ok, "get", Json());  // no invoke recorded: left out
        op(16, "c1", 3, OpPhase::Fail, "get", Json{{"key", "k1"}});
        op(17, "c1", 4, OpPhase::Invoke, "get", 7);  // any other value stays as it is
        const std::vector<HistoryEvent> history = historyOfTrace(trace);
        QCOMPARE(history.size(), std::size_t(7));
        QCOMPARE(history[0].process, std::int64_t(0));
        QCOMPARE(history[1].process, std::int64_t(1));
        QCOMPARE(history[4].process, std::int64_t(0));  // process 0 is free again; 1 is retired
        QCOMPARE(history[3].type, EventType::Info);
        QCOMPARE(history[5].type, EventType::Fail);
        QCOMPARE(history[6].process, std::int64_t(0));
        QCOMPARE(history[0].key.value_or(""), std::string("k1"));
        QVERIFY(history[0].value == Json("x"));  // {"key", "value"}: the key's value
        QVERIFY(history[1].value.is_null());
        QVERIFY(!history[6].key);
        QVERIFY(history[6].value == Json(7));
        QCOMPARE(history[2].time.value_or(0), std::int64_t(12'000));
        // Well formed: it pairs into operations, and reads back from its JSON lines.
        auto ops = opsOf(history, "trace");
        QVERIFY2(ops.ok(), ops.ok() ? "" : ops.error().message.c_str());
        QCOMPARE(ops->size(), std::size_t(4));
        QCOMPARE(ops.value()[3].outcome, Outcome::Unknown);  // never completed
        std::string text;
        for (const auto& event : history) text += toJsonLine(event) + "\n";
        auto parsed = parseHistory(text, "trace.jsonl");
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->size(), history.size());
    }

    void jsonResult() {
        auto result = check(jsonl({"1 invoke incr 1", "1 ok incr 1", "3 invoke read", "3 ok read 2"}), Model::Counter);
        const Json json = resultToJson(result.value(), Model::Counter);
        QCOMPARE(json.at("verdict").get<std::string>(), std::string("not linearizable"));
        QCOMPARE(json.at("linearizable").get<bool>(), false);
        QCOMPARE(json.at("model").get<std::string>(), std::string("counter"));
        QVERIFY(json.at("failing").is_array() && !json.at("failing").empty());
        QCOMPARE(json.at("failing").back().at("line").get<int>(), 3);  // the read's invocation
    }
};

QTEST_APPLESS_MAIN(TestLinearizability)
#include "tst_linearizability.moc"
