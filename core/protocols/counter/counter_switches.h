#pragma once
// The counter's "break it" switches. Each one takes away one safety measure, so that a class sees the
// checker catch the bug it lets in (console `break SWITCH on|off`):
//   fencing    replicas accept any fencing token: a worker paused past its lease writes over newer state
//   dedup      workers do not look up the request id: a retried or redelivered increment counts twice
//   r1         one replica per key: when it fails, the key moves to a node that holds nothing
//   ack-early  workers answer the client and ack the message before the commit: a crash loses the increment
//   skip-lock  workers take no lock: two of them read the same state and one increment overwrites the other
//   3pc        workers commit with three-phase commit instead of two-phase: under a partition each side's
//              termination protocol decides on its own, so one side commits an increment the other aborts,
//              and a later worker that reads only the aborted side builds on a state without it
// Every node of the counter keeps the switches on its disk, so a restarted node keeps them.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/node/node.h"

namespace distlab::counter {

enum class Switch { Fencing, Dedup, SingleReplica, AckEarly, SkipLock, ThreePhase };
inline constexpr std::array<Switch, 6> kSwitches = {Switch::Fencing,  Switch::Dedup,    Switch::SingleReplica,
                                                     Switch::AckEarly, Switch::SkipLock, Switch::ThreePhase};
// The switches' names, as the console, scenario files and --break spell them.
inline constexpr std::array<std::string_view, kSwitches.size()> kSwitchNames = {"fencing",   "dedup",     "r1",
                                                                                 "ack-early", "skip-lock", "3pc"};
// "fencing, dedup, r1, ack-early, skip-lock, 3pc": for error messages.
inline constexpr std::string_view kSwitchList = "fencing, dedup, r1, ack-early, skip-lock, 3pc";
std::string_view switchName(Switch which);  // kSwitchNames[which]
std::optional<Switch> parseSwitch(std::string_view name);

// Which switches are on (broken).
struct Switches {
    std::array<bool, kSwitches.size()> on{};
    bool operator[](Switch which) const { return on[std::size_t(which)]; }
    void set(Switch which, bool value) { on[std::size_t(which)] = value; }
    bool any() const;
    bool operator==(const Switches&) const = default;
};
Json switchesToJson(const Switches& switches);  // {"fencing": false, ...}
Switches switchesFromJson(const Json& json);    // unknown or missing names read as off

// The node's switches from its disk (`initial` when none were written), and writing them back.
Switches loadSwitches(Context& ctx, const Switches& initial);
void saveSwitches(Context& ctx, const Switches& switches);
// A counter_switch message: sets the switch in `switches` and on the disk. Malformed: an error reply, nothing set.
void applySwitchMessage(Context& ctx, const Envelope& message, Switches& switches);

}  // namespace distlab::counter
