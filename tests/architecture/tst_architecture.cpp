// The architecture as DESIGN.md draws it, checked on the source files: protocols depend on the node API
// alone; checkers read the history and labs command a ControlPlane, so neither includes the kernel; views
// are built from nodes' reports, never by casting a node to its protocol class; the session names no lab.
// Each rule is also run on a made-up file that breaks it, so that a rule that cannot fail fails here.
#include <QtTest>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct SourceFile {
    std::string path;  // relative to the source tree, with '/'
    std::string text;
};

std::vector<SourceFile> sourcesUnder(const std::string& dir) {
    std::vector<SourceFile> out;
    const fs::path root(DISTLAB_SOURCE_DIR);
    if (!fs::exists(root / dir)) return out;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
        if (!entry.is_regular_file()) continue;
        const std::string ext = entry.path().extension().string();
        if (ext != ".h" && ext != ".cpp") continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        out.push_back(SourceFile{fs::relative(entry.path(), root).generic_string(), text.str()});
    }
    std::sort(out.begin(), out.end(), [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    return out;
}

// "file:line: the line" for every line of the files that matches the pattern.
std::vector<std::string> matches(const std::vector<SourceFile>& files, const std::regex& pattern) {
    std::vector<std::string> out;
    for (const SourceFile& file : files) {
        std::istringstream lines(file.text);
        std::string line;
        for (int n = 1; std::getline(lines, line); ++n)
            if (std::regex_search(line, pattern)) out.push_back(file.path + ":" + std::to_string(n) + ": " + line);
    }
    return out;
}

// The classes in core/protocols that are nodes (derive from Node or CopyableNode<...>).
std::set<std::string> protocolNodeClasses(const std::vector<SourceFile>& protocols) {
    std::set<std::string> out;
    const std::regex declaration(R"(class\s+(\w+)\s*(?:final\s*)?:\s*public\s+(?:CopyableNode<\w+>|Node\b))");
    for (const SourceFile& file : protocols)
        for (std::sregex_iterator it(file.text.begin(), file.text.end(), declaration), end; it != end; ++it)
            out.insert((*it)[1].str());
    return out;
}

std::regex castToAny(const std::set<std::string>& classes) {
    std::string names;
    for (const std::string& name : classes) names += (names.empty() ? "" : "|") + name;
    return std::regex(R"(dynamic_cast\s*<\s*(const\s+)?([\w:]*::)?()" + names + R"()\s*[*&])");
}

const std::regex kIncludesKernel(R"(#include\s+"core/sim/)");
// The lab classes and members by name, as the issue's own grep finds them: anywhere in a word, so neither
// LockLabView nor m_lockLab passes.
const std::regex kNamesALab(R"(LockLab|TxnLab|MqLab|lockLab|txnLab|mqLab)");
// A lab's commands by identity: its spec constants (mq_commands::kPublish), its list (mqCommands()), its name
// compared or looked up as text (== "publish"), and the old central enum of every command.
std::regex namesALabCommand(const std::vector<std::string>& labs, const std::vector<std::string>& words) {
    std::string names;
    for (const std::string& lab : labs) names += (names.empty() ? "" : "|") + lab;
    std::string quoted;
    for (const std::string& word : words) quoted += (quoted.empty() ? "" : "|") + word;
    return std::regex("\\b(" + names + ")(_commands::|Commands\\s*\\()|\\bCommandKind\\b|(==|named\\()\\s*\\x22(" + quoted +
                      ")\\x22");
}
// The labs (one folder each under core/labs) and the names of their commands, read from their specs.
std::vector<std::string> labFolders() {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(fs::path(DISTLAB_SOURCE_DIR) / "core/labs"))
        if (entry.is_directory()) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}
std::vector<std::string> labCommandNames(const std::vector<SourceFile>& labs) {
    std::vector<std::string> out;
    const std::regex name("\\.name\\s*=\\s*\\x22([a-z0-9 ]+)\\x22");  // \x22: a double quote
    for (const SourceFile& file : labs)
        for (std::sregex_iterator it(file.text.begin(), file.text.end(), name), end; it != end; ++it)
            out.push_back((*it)[1].str());
    return out;
}
// A lab's scenario section by identity: its spec type (LockSpec), its reader's header (lock_section.h), the
// scenario's member for it (scenario.lock.ttl), or its key as text ("lock").
std::regex namesALabSection(const std::vector<std::string>& labs) {
    std::string lower;
    std::string capitalised;
    for (const std::string& lab : labs) {
        lower += (lower.empty() ? "" : "|") + lab;
        capitalised += (capitalised.empty() ? "" : "|") + std::string(1, char(std::toupper(lab[0]))) + lab.substr(1);
    }
    return std::regex("\\b(" + capitalised + ")Spec\\b|\\b(" + lower + ")_section\\b|\\.(" + lower + ")\\.\\w|\\x22(" +
                      lower + ")\\x22");
}
// Protocol code may include the node API, the base, and protocol headers.
const std::regex kProtocolIncludeOutsideNodeApi(R"(#include\s+"core/(?!node/|base/|protocols/))");

QString joined(const std::vector<std::string>& lines) {
    QString out;
    for (const std::string& line : lines) out += QString::fromStdString(line) + '\n';
    return out;
}

}  // namespace

class TestArchitecture : public QObject {
    Q_OBJECT

private slots:
    void theSourcesAreThere() {
        // Every rule below is vacuous if the walk finds nothing.
        QVERIFY(sourcesUnder("core/protocols").size() > 20);
        QVERIFY(sourcesUnder("core/labs").size() >= 8);
        QVERIFY(sourcesUnder("core/check").size() >= 8);
        QVERIFY(sourcesUnder("core/session").size() >= 4);
        QVERIFY(protocolNodeClasses(sourcesUnder("core/protocols")).size() >= 15);
    }

    void noCastToAProtocolNode() {
        const std::set<std::string> nodes = protocolNodeClasses(sourcesUnder("core/protocols"));
        QVERIFY(nodes.count("Broker") && nodes.count("LeaseLockServer") && nodes.count("ControlNode"));
        std::vector<SourceFile> files = sourcesUnder("core");
        for (const char* dir : {"app", "widgets"})
            for (SourceFile& f : sourcesUnder(dir)) files.push_back(std::move(f));
        const std::vector<std::string> found = matches(files, castToAny(nodes));
        QVERIFY2(found.empty(), qPrintable("views must read Node::observe, not cast:\n" + joined(found)));

        // The rule catches what it is meant to.
        const std::vector<SourceFile> bad{{"core/labs/x.cpp", "auto* b = dynamic_cast<const mq::Broker*>(node);\n"},
                                          {"core/labs/y.cpp", "auto& s = dynamic_cast<LeaseLockServer&>(n);\n"},
                                          {"core/labs/z.cpp", "auto* w = dynamic_cast<QWidget*>(o);\n"}};
        QCOMPARE(matches(bad, castToAny(nodes)).size(), std::size_t(2));
    }

    void checkersLabsAndProtocolsDoNotIncludeTheKernel() {
        for (const char* dir : {"core/check", "core/labs", "core/protocols", "core/node", "core/history"}) {
            const std::vector<std::string> found = matches(sourcesUnder(dir), kIncludesKernel);
            QVERIFY2(found.empty(), qPrintable(QString("%1 must not include core/sim:\n").arg(dir) + joined(found)));
        }
        const std::vector<SourceFile> bad{{"core/check/x.cpp", "#include \"core/sim/world.h\"\n"}};
        QCOMPARE(matches(bad, kIncludesKernel).size(), std::size_t(1));
    }

    void protocolsDependOnTheNodeApiAlone() {
        const std::vector<std::string> found = matches(sourcesUnder("core/protocols"), kProtocolIncludeOutsideNodeApi);
        QVERIFY2(found.empty(), qPrintable("protocols include only core/node, core/base, core/protocols:\n" + joined(found)));
        const std::vector<SourceFile> bad{{"core/protocols/x.cpp", "#include \"core/check/txn_checks.h\"\n"},
                                          {"core/protocols/y.cpp", "#include \"core/node/node.h\"\n"}};
        QCOMPARE(matches(bad, kProtocolIncludeOutsideNodeApi).size(), std::size_t(1));
    }

    void theSessionNamesNoLab() {
        const std::vector<std::string> found = matches(sourcesUnder("core/session"), kNamesALab);
        QVERIFY2(found.empty(), qPrintable("the session loops over its labs:\n" + joined(found)));
        const std::vector<SourceFile> bad{{"core/session/x.cpp", "if (m_lockLab) m_lockLab->start();\n"},
                                          {"core/session/snapshot.h", "    MqLabView mq;\n"}};
        QCOMPARE(matches(bad, kNamesALab).size(), std::size_t(2));
    }

    void theConsoleSessionAndScenarioNameNoLabCommand() {
        // A lab's command is the lab's business: adding one edits no file here.
        const std::vector<std::string> labs = labFolders();
        const std::vector<std::string> names = labCommandNames(sourcesUnder("core/labs"));
        QVERIFY(labs.size() >= 4);
        QVERIFY(std::find(names.begin(), names.end(), "lock acquire") != names.end());
        QVERIFY(std::find(names.begin(), names.end(), "publish") != names.end());
        const std::regex rule = namesALabCommand(labs, names);
        for (const char* dir : {"core/console", "core/session", "core/scenario"}) {
            const std::vector<std::string> found = matches(sourcesUnder(dir), rule);
            QVERIFY2(found.empty(), qPrintable(QString("%1 names a lab's command:\n").arg(dir) + joined(found)));
        }
        const std::vector<SourceFile> bad{
            {"core/session/x.cpp", "if (command.is(mq_commands::kPublish)) return publish(command);\n"},
            {"core/console/y.cpp", "        case CommandKind::LockAcquire:\n"},
            {"core/scenario/z.cpp", "if (spec->name == \"lock acquire\") return true;\n"},
            {"core/session/w.cpp", "for (const CommandSpec* spec : txnCommands()) table.push_back(spec);\n"},
            {"core/session/ok.cpp", "if (command.is(commands::kHeal)) m_world->heal();\n"}};
        QCOMPARE(matches(bad, rule).size(), std::size_t(4));
    }

    void theSessionAndScenarioNameNoLabSection() {
        // A lab reads and writes its own scenario section: adding a lab edits no file here.
        const std::vector<std::string> labs = labFolders();
        const std::regex rule = namesALabSection(labs);
        for (const char* dir : {"core/session", "core/scenario"}) {
            const std::vector<std::string> found = matches(sourcesUnder(dir), rule);
            QVERIFY2(found.empty(), qPrintable(QString("%1 names a lab's section:\n").arg(dir) + joined(found)));
        }
        const std::vector<SourceFile> bad{
            {"core/scenario/x.cpp", "    if (root.contains(\"mq\")) scenario.mq = mq(root.at(\"mq\"), \"mq\");\n"},
            {"core/scenario/y.h", "    LockSpec lock;\n"},
            {"core/session/z.cpp", "    if (m_loaded.txn.enabled) startLab(\"txn\");\n"},
            {"core/scenario/w.cpp", "#include \"core/labs/lock/lock_section.h\"\n"},
            {"core/scenario/ok.cpp", "    for (const auto& [lab, section] : scenario.sections) json[lab] = section;\n"},
            {"core/scenario/ok.h", "    RingSpec ring;  // the clock is locked\n"}};
        QCOMPARE(matches(bad, rule).size(), std::size_t(4));
    }
};

QTEST_APPLESS_MAIN(TestArchitecture)
#include "tst_architecture.moc"
