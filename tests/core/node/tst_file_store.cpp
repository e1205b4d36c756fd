// FileStore, the journal a node process keeps its durable state in: what it acknowledges survives SIGKILL at
// any moment (a child process is killed 200 times while it writes and compacts), a flipped bit anywhere in the
// journal is reported and nothing of it used, a torn tail is dropped, and bad directories get clear errors.
#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "core/node/file_store.h"

using namespace distlab;

namespace {

std::map<std::string, std::string> contents(const DurableStore& store) {
    std::map<std::string, std::string> out;
    for (const StoreRecord& record : store.scan("")) out[record.key] = record.value;
    return out;
}

// The writer's workload, the same for every run: op i puts or erases one of 40 keys, with values of
// varying length so that the journal keeps outgrowing its live data and compacts.
struct Op {
    bool erase = false;
    std::string key;
    std::string value;
};

Op workload(std::int64_t i) {
    Op op;
    op.key = "k" + std::to_string((i * 7) % 40);
    op.erase = i % 9 == 4;
    if (!op.erase) op.value = "v" + std::to_string(i) + std::string(static_cast<std::size_t>((i * 37) % 300), 'x');
    return op;
}

std::map<std::string, std::string> expectedAfter(std::int64_t count) {
    std::map<std::string, std::string> state;
    for (std::int64_t i = 0; i < count; ++i) {
        const Op op = workload(i);
        if (op.erase) state.erase(op.key);
        else state[op.key] = op.value;
    }
    return state;
}

constexpr FileStore::Options kSmallJournal{4096, true};

// The child: applies ops from `first` on, and reports each one the store acknowledged on `ackFd`.
[[noreturn]] void runWriter(const std::string& dir, std::int64_t first, int ackFd) {
    auto store = FileStore::open(dir, kSmallJournal);
    if (!store) _exit(3);
    for (std::int64_t i = first;; ++i) {
        const Op op = workload(i);
        const StoreStatus status = op.erase ? store.value()->erase(op.key) : store.value()->put(op.key, op.value);
        if (status != StoreStatus::Ok && status != StoreStatus::NotFound) _exit(4);
        if (::write(ackFd, &i, sizeof i) != sizeof i) _exit(5);
    }
}

std::string journalPath(const QTemporaryDir& dir) { return dir.path().toStdString() + "/journal"; }

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

class TestFileStore : public QObject {
    Q_OBJECT

private slots:
    void recordsSurviveReopening() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString() + "/node-1";  // created on first open
        {
            auto store = FileStore::open(path);
            QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
            QCOMPARE(store.value()->put("a/1", "one"), StoreStatus::Ok);
            QCOMPARE(store.value()->put("a/2", "two"), StoreStatus::Ok);
            QCOMPARE(store.value()->put("b/1", std::string("bin\0ary", 7)), StoreStatus::Ok);
            QCOMPARE(store.value()->put("a/1", "uno"), StoreStatus::Ok);
            QCOMPARE(store.value()->erase("a/2"), StoreStatus::Ok);
            QCOMPARE(store.value()->erase("a/2"), StoreStatus::NotFound);
            std::int64_t id = 0;
            QCOMPARE(store.value()->increment("ids", id), StoreStatus::Ok);
            QCOMPARE(store.value()->increment("ids", id), StoreStatus::Ok);
            QCOMPARE(id, std::int64_t(2));
        }
        auto store = FileStore::open(path);
        QVERIFY(store.ok());
        QCOMPARE(store.value()->tornBytes(), std::size_t(0));
        std::string value;
        QCOMPARE(store.value()->get("a/1", value), StoreStatus::Ok);
        QCOMPARE(value, std::string("uno"));
        QCOMPARE(store.value()->get("a/2", value), StoreStatus::NotFound);
        QCOMPARE(store.value()->get("b/1", value), StoreStatus::Ok);
        QCOMPARE(value, std::string("bin\0ary", 7));
        const std::vector<StoreRecord> scanned = store.value()->scan("a/");
        QCOMPARE(scanned.size(), std::size_t(1));
        QCOMPARE(scanned[0].key, std::string("a/1"));
        std::int64_t id = 0;
        QCOMPARE(store.value()->increment("ids", id), StoreStatus::Ok);
        QCOMPARE(id, std::int64_t(3));  // ids stay unique across a restart
        QCOMPARE(store.value()->size(), std::size_t(3));
    }

    // The acceptance test: 200 SIGKILLs at random moments of a writer that fsyncs and compacts. After each,
    // the reopened store holds exactly ops 0..m-1 of the workload, where m is the number acknowledged or one
    // more (the write in flight may have reached the disk before its acknowledgement left).
    void killedWriterLeavesAPrefixOfItsAcknowledgedWrites() {
        const std::uint64_t seed = qEnvironmentVariableIsSet("DISTLAB_SEED")
                                       ? qEnvironmentVariable("DISTLAB_SEED").toULongLong()
                                       : 20261207u;
        const int kills = qEnvironmentVariableIsSet("DISTLAB_KILLS") ? qEnvironmentVariableIntValue("DISTLAB_KILLS") : 200;
        std::mt19937_64 random(seed);
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString();
        std::int64_t applied = 0;  // ops the store held after the last kill
        int killedMidCompaction = 0, extraWrite = 0;
        std::size_t journalMax = 0;
        for (int kill = 0; kill < kills; ++kill) {
            const std::string where = "seed " + std::to_string(seed) + ", kill " + std::to_string(kill);
            int pipeFds[2];
            QVERIFY(::pipe(pipeFds) == 0);
            const pid_t child = ::fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                ::close(pipeFds[0]);
                runWriter(path, applied, pipeFds[1]);
            }
            ::close(pipeFds[1]);
            // Let it get through a random number of acknowledged writes, then kill it a little later.
            const std::int64_t want = 1 + static_cast<std::int64_t>(random() % 12);
            std::int64_t acked = applied;  // ops acknowledged so far, across every run
            for (std::int64_t got = 0; got < want; ++got) {
                std::int64_t index = -1;
                if (::read(pipeFds[0], &index, sizeof index) != sizeof index) break;
                QVERIFY2(index == acked, where.c_str());
                acked = index + 1;
            }
            ::usleep(static_cast<useconds_t>(random() % 1500));
            ::kill(child, SIGKILL);
            int status = 0;
            ::waitpid(child, &status, 0);
            QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                     (where + ": the writer stopped by itself, status " + std::to_string(status)).c_str());
            std::int64_t index = -1;  // acknowledgements still in the pipe were given before the kill
            while (::read(pipeFds[0], &index, sizeof index) == sizeof index) acked = index + 1;
            ::close(pipeFds[0]);
            killedMidCompaction += std::filesystem::exists(path + "/journal.compact") ? 1 : 0;

            auto store = FileStore::open(path, kSmallJournal);
            QVERIFY2(store.ok(), (where + ": " + (store.ok() ? "" : store.error().message)).c_str());
            const auto held = contents(*store.value());
            journalMax = std::max(journalMax, store.value()->journalBytes());
            if (held == expectedAfter(acked)) {
                applied = acked;
            } else {
                QVERIFY2(held == expectedAfter(acked + 1),
                         (where + ": the store holds neither the " + std::to_string(acked) +
                          " acknowledged writes nor one more")
                             .c_str());
                applied = acked + 1;
                ++extraWrite;
            }
        }
        qInfo("seed %llu: %d kills, %lld writes survived; %d kills left the unacknowledged write in flight on "
              "disk, %d came during a compaction; the journal never passed %zu bytes",
              static_cast<unsigned long long>(seed), kills, static_cast<long long>(applied), extraWrite,
              killedMidCompaction, journalMax);
        QVERIFY(applied >= kills);  // every run acknowledged at least one write
        QVERIFY(journalMax < 4 * 4096 + 40 * 400);  // it compacted: 40 keys of at most ~330 bytes live
    }

    // CRC-32 catches every single-bit error, and the header has its own: a flip anywhere, in any record,
    // makes the store refuse to open and say where, rather than use the record or guess past it.
    void everyFlippedBitIsDetectedAndNothingUsed() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString();
        {
            auto store = FileStore::open(path);
            QVERIFY(store.ok());
            QCOMPARE(store.value()->put("tpc/participant/t1", R"({"state":"READY"})"), StoreStatus::Ok);
            QCOMPARE(store.value()->put("k", "v"), StoreStatus::Ok);
            QCOMPARE(store.value()->erase("k"), StoreStatus::Ok);
        }
        const std::string original = readFile(journalPath(dir));
        QVERIFY(original.size() > 48);
        std::size_t detected = 0;
        for (std::size_t byte = 0; byte < original.size(); ++byte) {
            for (int bit : {0, 5}) {
                std::string damaged = original;
                damaged[byte] = static_cast<char>(damaged[byte] ^ (1 << bit));
                writeFile(journalPath(dir), damaged);
                auto store = FileStore::open(path);
                const std::string where = "byte " + std::to_string(byte) + " bit " + std::to_string(bit);
                QVERIFY2(!store.ok(), (where + ": the damaged journal was opened").c_str());
                QVERIFY2(store.error().message.find("is damaged: the record at byte") != std::string::npos,
                         (where + ": " + store.error().message).c_str());
                QVERIFY(!store.error().hint.empty());
                QCOMPARE(readFile(journalPath(dir)), damaged);  // reported, never repaired over
                ++detected;
            }
        }
        QCOMPARE(detected, original.size() * 2);
    }

    // A write cut short by a crash was never acknowledged: every cut of the last record opens as the records
    // before it, says how many bytes it dropped, and takes the next write cleanly.
    void tornTailIsDropped() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString();
        std::size_t before = 0;
        {
            auto store = FileStore::open(path);
            QVERIFY(store.ok());
            QCOMPARE(store.value()->put("a", "1"), StoreStatus::Ok);
            QCOMPARE(store.value()->put("b", "2"), StoreStatus::Ok);
            before = store.value()->journalBytes();
            QCOMPARE(store.value()->put("c", "the last record"), StoreStatus::Ok);
        }
        const std::string whole = readFile(journalPath(dir));
        for (std::size_t cut = before + 1; cut < whole.size(); ++cut) {
            writeFile(journalPath(dir), whole.substr(0, cut));
            {
                auto store = FileStore::open(path);
                QVERIFY2(store.ok(), store.ok() ? "" : store.error().message.c_str());
                QCOMPARE(store.value()->tornBytes(), cut - before);
                QCOMPARE(contents(*store.value()), (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
                QCOMPARE(store.value()->put("d", "4"), StoreStatus::Ok);
            }
            auto reopened = FileStore::open(path);
            QVERIFY(reopened.ok());
            QCOMPARE(reopened.value()->tornBytes(), std::size_t(0));
            QCOMPARE(contents(*reopened.value()).size(), std::size_t(3));
        }
    }

    void compactionKeepsTheLiveRecordsOnly() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString();
        {
            auto store = FileStore::open(path, FileStore::Options{1024, true});
            QVERIFY(store.ok());
            for (int i = 0; i < 500; ++i) QCOMPARE(store.value()->put("counter", std::to_string(i)), StoreStatus::Ok);
            QCOMPARE(store.value()->put("other", "kept"), StoreStatus::Ok);
            QVERIFY(store.value()->journalBytes() <= 1024 + 64);  // 500 writes of ~30 bytes, compacted
            QCOMPARE(store.value()->compact(), StoreStatus::Ok);
            QVERIFY(!std::filesystem::exists(path + "/journal.compact"));
        }
        // A copy left by a compaction that died before its rename is ignored and removed.
        writeFile(path + "/journal.compact", "half a compaction");
        auto store = FileStore::open(path);
        QVERIFY(store.ok());
        QVERIFY(!std::filesystem::exists(path + "/journal.compact"));
        QCOMPARE(contents(*store.value()),
                 (std::map<std::string, std::string>{{"counter", "499"}, {"other", "kept"}}));
    }

    void badDirectoriesAreRefusedClearly() {
        QCOMPARE(FileStore::open("").error().message, std::string("a store needs a directory"));
        QTemporaryDir dir;
        const std::string file = dir.path().toStdString() + "/plain-file";
        writeFile(file, "x");
        auto onFile = FileStore::open(file);
        QVERIFY(!onFile.ok());
        QVERIFY2(onFile.error().message.find("cannot use '" + file + "' as a store directory") != std::string::npos,
                 onFile.error().message.c_str());
        auto under = FileStore::open(file + "/sub");
        QVERIFY(!under.ok());
        // One process per store: a second open while the first holds it is refused.
        auto first = FileStore::open(dir.path().toStdString() + "/node");
        QVERIFY(first.ok());
        auto second = FileStore::open(dir.path().toStdString() + "/node");
        QVERIFY(!second.ok());
        QVERIFY2(second.error().message.find("is in use by another process") != std::string::npos,
                 second.error().message.c_str());
        QVERIFY(!second.error().hint.empty());
    }

    // A write the disk refuses (here: past the file size limit) returns IoError and changes nothing: the
    // journal stays a sequence of whole records, and the next write that fits succeeds.
    void refusedWriteChangesNothing() {
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString();
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            ::signal(SIGXFSZ, SIG_IGN);
            rlimit limit{8192, 8192};
            ::setrlimit(RLIMIT_FSIZE, &limit);
            auto store = FileStore::open(path, FileStore::Options{1u << 20, true});
            if (!store) _exit(2);
            if (store.value()->put("small", "fits") != StoreStatus::Ok) _exit(3);
            if (store.value()->put("big", std::string(16384, 'b')) != StoreStatus::IoError) _exit(4);
            std::string value;
            if (store.value()->get("big", value) != StoreStatus::NotFound) _exit(5);
            if (store.value()->put("after", "also fits") != StoreStatus::Ok) _exit(6);
            _exit(0);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
        auto store = FileStore::open(path);
        QVERIFY(store.ok());
        QCOMPARE(store.value()->tornBytes(), std::size_t(0));
        QCOMPARE(contents(*store.value()),
                 (std::map<std::string, std::string>{{"after", "also fits"}, {"small", "fits"}}));
    }
};

QTEST_APPLESS_MAIN(TestFileStore)
#include "tst_file_store.moc"
