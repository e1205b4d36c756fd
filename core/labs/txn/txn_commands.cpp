#include "core/labs/txn/txn_commands.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace distlab {
namespace {

// A comma list of distinct node ids: "p1,p2,p3". `what` names the list in messages.
std::vector<std::string> parseIdList(const ArgumentReader& args, std::string_view list, const Text& what) {
    std::vector<std::string> ids;
    for (std::size_t start = 0;;) {
        const std::size_t comma = list.find(',', start);
        const std::string_view item = list.substr(start, comma == std::string_view::npos ? comma : comma - start);
        if (item.empty())
            args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "%1 has an empty id (a stray comma?)"), what));
        std::string id = args.nodeId(item);
        if (std::find(ids.begin(), ids.end(), id) != ids.end())
            args.invalid(
                makeText(QT_TRANSLATE_NOOP("Core", "%1 names '%2' twice"), what, excerptForMessage(id)));
        ids.push_back(std::move(id));
        if (ids.size() > kTxnParticipantsMax)
            args.invalid(
                makeText(QT_TRANSLATE_NOOP("Core", "%1 has more than %2 ids"), what, kTxnParticipantsMax));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return ids;
}

// txn 2pc|3pc PARTICIPANTS [--vote-no P[,P...]]
void parseTxn(const ArgumentReader& args, Command& command) {
    command.nodes = parseIdList(
        args, args.need(0, QT_TRANSLATE_NOOP("Core", "participants (a comma list like tx-p1,tx-p2,tx-p3)")),
        makeText(QT_TRANSLATE_NOOP("Core", "the participant list")));
    if (args.size() == 1) return;
    if (args.at(1) != "--vote-no") args.unknownOption(args.at(1), {"--vote-no"});
    if (args.size() < 3)
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "--vote-no needs the participants that vote no")));
    std::vector<std::string> voteNo = parseIdList(args, args.at(2), makeText("--vote-no"));
    for (const std::string& id : voteNo)
        if (std::find(command.nodes.begin(), command.nodes.end(), id) == command.nodes.end())
            args.invalid(
                makeText(QT_TRANSLATE_NOOP("Core", "'%1' votes no but is not one of the participants"),
                         excerptForMessage(id)));
    command.groups = {std::move(voteNo)};
    args.noMoreThan(3);
}

// saga run NAME --steps N [--fail-at K] [--timeout-at K], options in any order.
void parseSagaRun(const ArgumentReader& args, Command& command) {
    const std::string_view name = args.need(0, QT_TRANSLATE_NOOP("Core", "saga name"));
    if (!isPlainName(name, kSagaNameBytesMax))
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "'%1' is not a valid saga name"), excerptForMessage(name)),
            makeText(QT_TRANSLATE_NOOP(
                         "Core", "Saga names are 1 to %1 characters: letters, digits, '_', '-' and '.'."),
                     kSagaNameBytesMax));
    command.key = name;
    bool steps = false;
    args.valueOptions(1, {"--steps", "--fail-at", "--timeout-at"}, [&](std::string_view option, std::string_view value) {
        if (option == "--steps") {
            command.count = args.integer(value, 1, kSagaStepsMax, QT_TRANSLATE_NOOP("Core", "a number of steps"));
            steps = true;
        } else if (option == "--fail-at") {
            command.failAt = args.integer(value, 1, kSagaStepsMax, QT_TRANSLATE_NOOP("Core", "a step number"));
        } else {
            command.timeoutAt = args.integer(value, 1, kSagaStepsMax, QT_TRANSLATE_NOOP("Core", "a step number"));
        }
    });
    if (!steps)
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "--steps N is missing: how many steps the saga has")));
    if (command.failAt > command.count)
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "--fail-at %1 is past the last step (%2)"),
                              command.failAt, command.count));
    if (command.timeoutAt > command.count)
        args.invalid(makeText(QT_TRANSLATE_NOOP("Core", "--timeout-at %1 is past the last step (%2)"),
                              command.timeoutAt, command.count));
    if (command.failAt != 0 && command.failAt == command.timeoutAt)
        args.invalid(
            makeText(QT_TRANSLATE_NOOP("Core", "step %1 cannot both fail and time out"), command.failAt));
}

void formatTxn(const Command& command, CommandWriter& out) {
    out.argument(joinedWords(command.nodes, ","));
    if (!command.groups.empty()) out.argument("--vote-no " + joinedWords(command.groups.front(), ","));
}

void formatSagaRun(const Command& command, CommandWriter& out) {
    out.argument(command.key);
    out.argument("--steps " + std::to_string(command.count));
    if (command.failAt > 0) out.argument("--fail-at " + std::to_string(command.failAt));
    if (command.timeoutAt > 0) out.argument("--timeout-at " + std::to_string(command.timeoutAt));
}

}  // namespace

namespace txn_commands {

constinit const CommandSpec kTxn2pc{
    .name = "txn 2pc",
    .syntax = "txn 2pc PARTICIPANTS [--vote-no P[,P...]]",
    .summary = QT_TRANSLATE_NOOP(
            "Core",
            "start transaction t1, t2, ... at tx-co over tx-p1,tx-p2,...; the --vote-no ones vote no"),
    .parse = parseTxn,
    .format = formatTxn,
    .lab = "txn",
};

constinit const CommandSpec kTxn3pc{
    .name = "txn 3pc",
    .syntax = "txn 3pc PARTICIPANTS [--vote-no P[,P...]]",
    .summary = QT_TRANSLATE_NOOP(
            "Core", "start a three-phase commit at tx-co3 over tx-q1,tx-q2,...; the --vote-no ones vote no"),
    .parse = parseTxn,
    .format = formatTxn,
    .lab = "txn",
};

constinit const CommandSpec kSagaRun{
    .name = "saga run",
    .syntax = "saga run NAME --steps N [--fail-at K] [--timeout-at K]",
    .summary = QT_TRANSLATE_NOOP(
            "Core", "tx-orch runs N steps over tx-s1, tx-s2, ...; step K is refused or never answered"),
    .parse = parseSagaRun,
    .format = formatSagaRun,
    .lab = "txn",
};

}  // namespace txn_commands

std::span<const CommandSpec* const> txnCommands() {
    static constexpr std::array<const CommandSpec*, 3> kSpecs = {&txn_commands::kTxn2pc, &txn_commands::kTxn3pc,
                                                                 &txn_commands::kSagaRun};
    return kSpecs;
}

}  // namespace distlab
