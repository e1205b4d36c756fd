#pragma once
// The transaction lab's console commands: txn 2pc|3pc and saga run. The TxnLab executes them; `crash NODE
// --after PATTERN`, which its lessons use, is the console's own (the Session arms it).
#include <cstddef>
#include <cstdint>

#include "core/console/command.h"

namespace distlab {

// The transaction lab's limits; the protocols check the same bounds (txn::kTpcParticipantsMax,
// txn::kSagaStepsMax, txn::kSagaIdBytesMax).
constexpr std::size_t kTxnParticipantsMax = 16;
constexpr std::int64_t kSagaStepsMax = 32;
constexpr std::size_t kSagaNameBytesMax = 64;

namespace txn_commands {
// txn 2pc|3pc PARTICIPANTS [--vote-no P[,P...]]: nodes = the participants, in the order given; groups =
// {the --vote-no participants}, or none.
extern const CommandSpec kTxn2pc;
extern const CommandSpec kTxn3pc;
// saga run NAME --steps N [--fail-at K] [--timeout-at K]: key = the saga's name, count = the number of steps,
// failAt = the step whose service refuses it, timeoutAt = the one that never answers (0: none).
extern const CommandSpec kSagaRun;
}  // namespace txn_commands

// The lab's commands, in the order help lists them.
std::span<const CommandSpec* const> txnCommands();

}  // namespace distlab
