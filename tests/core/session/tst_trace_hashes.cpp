// The trace of every built-in scenario, seeds 1 and 2, run to its end and checked as `distlab-sim run`
// does, must hash to the value recorded in trace_hashes.txt. A refactor that claims to keep behaviour keeps
// these hashes; a change that moves them on purpose records the new ones in a commit of its own.
//
// To record them again: DISTLAB_RECORD_TRACE_HASHES=1 tst_trace_hashes (writes the file in the source tree).
#include <QTest>

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/session/session.h"

using namespace distlab;

namespace {

const char* const kHashFile = DISTLAB_TRACE_HASH_FILE;
constexpr std::uint64_t kSeeds[] = {1, 2};

std::string sha256Hex(const std::string& bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        qFatal("EVP_Digest failed");
    std::string hex;
    char pair[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(pair, sizeof pair, "%02x", digest[i]);
        hex += pair;
    }
    return hex;
}

std::string traceHash(const std::string& name, std::uint64_t seed) {
    auto scenario = loadScenario(name);
    if (!scenario) qFatal("built-in scenario %s: %s", name.c_str(), scenario.error().message.c_str());
    scenario->seed = seed;
    const SimTime runFor = scenario->runFor;
    Session session(std::move(scenario).value());
    session.runToEndAndCheck(runFor);
    std::ostringstream out;
    session.world().trace().writeJsonLines(out);
    return sha256Hex(out.str());
}

std::string rowName(const std::string& scenario, std::uint64_t seed) {
    return scenario + " seed " + std::to_string(seed);
}

// "NAME seed N  HEX" per line.
std::map<std::string, std::string> readRecorded() {
    std::map<std::string, std::string> recorded;
    std::ifstream in(kHashFile);
    std::string line;
    while (std::getline(in, line)) {
        const auto gap = line.rfind("  ");
        if (line.empty() || line[0] == '#' || gap == std::string::npos) continue;
        recorded[line.substr(0, gap)] = line.substr(gap + 2);
    }
    return recorded;
}

}  // namespace

class TestTraceHashes : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!std::getenv("DISTLAB_RECORD_TRACE_HASHES")) return;
        std::ofstream out(kHashFile, std::ios::binary | std::ios::trunc);
        out << "# SHA-256 of the JSON-lines trace of each built-in scenario run to its end (tst_trace_hashes)\n";
        for (const auto& builtin : builtinScenarios())
            for (std::uint64_t seed : kSeeds) out << rowName(builtin.name, seed) << "  " << traceHash(builtin.name, seed) << "\n";
        QVERIFY2(out.good(), kHashFile);
    }

    void everyBuiltinScenarioKeepsItsTrace_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<quint64>("seed");
        for (const auto& builtin : builtinScenarios())
            for (std::uint64_t seed : kSeeds)
                QTest::newRow(rowName(builtin.name, seed).c_str()) << QString::fromStdString(builtin.name) << quint64(seed);
    }
    void everyBuiltinScenarioKeepsItsTrace() {
        QFETCH(QString, scenario);
        QFETCH(quint64, seed);
        static const std::map<std::string, std::string> recorded = readRecorded();
        const std::string row = rowName(scenario.toStdString(), seed);
        const auto it = recorded.find(row);
        QVERIFY2(it != recorded.end(), qPrintable(QStringLiteral("%1: no recorded hash in %2").arg(QString::fromStdString(row), kHashFile)));
        const std::string actual = traceHash(scenario.toStdString(), seed);
        QVERIFY2(actual == it->second,
                 qPrintable(QStringLiteral("%1: the trace hashes to %2, recorded %3 (rerun: distlab-sim run %4 --seed %5 --trace t.jsonl)")
                                .arg(QString::fromStdString(row), QString::fromStdString(actual),
                                     QString::fromStdString(it->second), scenario)
                                .arg(seed)));
    }
};

QTEST_APPLESS_MAIN(TestTraceHashes)
#include "tst_trace_hashes.moc"
