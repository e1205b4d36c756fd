#pragma once
// One teaching subject of a Session (the ring and key-value store, locks, transactions, the queue) behind one
// interface. The Session builds its labs from the registry (core/labs/registry.h), hands every console
// command to the lab that takes it, lets each one react to crashes and restarts, and asks each for its
// checks, its part of the JSON summary and of the GUI's snapshot; it names none of them. A lab is copied
// whole into every checkpoint, so it keeps its state in plain members and refers to the run only through
// its LabHost, which outlives every copy. A lab may be made of other labs: core/labs/composed_lab.h.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/check/check_result.h"
#include "core/node/message.h"
#include "core/base/result.h"
#include "core/base/text.h"
#include "core/console/command.h"
#include "core/labs/control_plane.h"
#include "core/scenario/scenario.h"
#include "core/scenario/section_reader.h"
#include "core/session/snapshot.h"

namespace distlab {

class Lab;

// What a lab may use of the Session that runs it.
class LabHost {
public:
    virtual ~LabHost() = default;
    // The cluster the lab commands and reads (the simulator's World, through Session, or real processes).
    virtual ControlPlane& cluster() = 0;
    // The control node every lab's orders come from ("ctl").
    virtual const std::string& controlId() const = 0;
    // The lab that created a node, or nullptr (the control node, or a node nobody claims).
    virtual const Lab* ownerOf(const std::string& id) const = 0;
    virtual std::size_t labCount() const = 0;
};

class Lab {
public:
    explicit Lab(LabHost& host) : m_host(&host) {}
    virtual ~Lab() = default;

    // The registry's name: "kv", "lock", "txn", "mq".
    virtual std::string_view name() const = 0;
    // A copy for a checkpoint; it refers to the same host.
    virtual std::unique_ptr<Lab> clone() const = 0;

    // Adds the nodes the scenario asks for at time 0. Errors are returned per node, with what was being done
    // ("node add n1"), and the lab goes on.
    struct StartError {
        std::string what;
        Error error;
    };
    virtual std::vector<StartError> start() { return {}; }
    // The console's commands of this lab (its registry entry lists them). Errors are values; nothing is
    // half-applied.
    virtual Result<Text> execute(const Command& command) = 0;

    virtual bool ownsNode(const std::string& id) const = 0;
    // A node that takes the client's part: `client pause` applies to it.
    virtual bool isClient(const std::string& id) const { (void)id; return false; }
    // The role a view gives the lab's node (Client unless the lab says otherwise).
    virtual NodeRole roleOf(const std::string& id) const { (void)id; return NodeRole::Client; }

    // A node of the run crashed, restarted or was paused by a command: the lab follows (a ring drops the node,
    // a lock client stops believing). What the lab has to say about it, if anything, is the command's answer.
    virtual std::optional<Text> onCrash(const std::string& id) { (void)id; return std::nullopt; }
    virtual std::optional<Text> onRestart(const std::string& id) { (void)id; return std::nullopt; }
    // The run stops its workload for the checks: the lab stops what it drives.
    virtual void quiesce() {}

    // The lab's checks over the history, once it has something to check.
    virtual std::vector<CheckResult> checks() const = 0;
    // Adds the lab's part to distlab-sim's JSON summary.
    virtual void summarize(Json& summary) const = 0;
    // Adds the lab's part to the snapshot the views draw (snap.nodes is filled in already).
    virtual void fillSnapshot(ClusterSnapshot& snap) const = 0;
    // `status`: words after the first line's figures, and a note after a node's line (empty: none).
    virtual Text statusHeader() const { return {}; }
    virtual Text statusNote(const std::string& id) const { (void)id; return {}; }

protected:
    Lab(const Lab&) = default;
    Lab& operator=(const Lab&) = default;
    LabHost& host() const { return *m_host; }

private:
    LabHost* m_host;
};

// A lab as the registry (core/labs/registry.h) lists it.
struct LabEntry {
    std::string_view name;
    // What the lab's node ids begin with, so that labs run side by side in one scenario without clashes:
    // "lk-" for the lock lab (lk-c1, lk-s1, lk-lease, lk-zk, lk-disk), "tx-" for transactions (tx-co, tx-p1,
    // tx-q1, tx-s1, tx-orch), "mq-" for the queue (mq-broker, mq-prod, mq-ledger). The ring keeps its short
    // n1.. and c1.. (empty prefix). Nodes a command names (a consumer in `consume`) keep the given name.
    std::string_view idPrefix;
    // The lab's section of a scenario file, under the key `name` (nullptr: the lab has none). It reads the
    // section found at `path` (errors through the reader, which names the file and the path) and returns its
    // canonical form, every field written, which Scenario::sections keeps and scenarioToJson writes back.
    Json (*readSection)(const Json& value, const SectionReader& reader, const std::string& path);
    // Whether a scenario starts the lab at time 0 (nullptr: when it has the lab's section); other labs start
    // with the first command they take.
    bool (*inScenario)(const Scenario& scenario);
    // The lab's own console commands (each spec's `lab` is this entry's name), in the order help lists them.
    std::span<const CommandSpec* const> commands;
    // The console's own commands the lab executes for the session (the ring lab: `node add`, `node remove`).
    std::span<const CommandSpec* const> consoleCommandsTaken = {};
    // The lab of a scenario, or (scenario == nullptr) the one a first command starts, with the defaults.
    std::unique_ptr<Lab> (*create)(LabHost& host, const Scenario* scenario);
};

// The spec a lab reads back from its section of a scenario, which holds what the lab's readSection returned
// (a Scenario built by hand must do the same: a section readSection refuses throws SectionFailure here).
template <typename Spec>
Spec labSection(const Scenario& scenario, std::string_view lab,
                Spec (*read)(const Json& value, const SectionReader& reader, const std::string& path)) {
    const std::string key(lab);
    return read(scenario.sections.at(key), SectionReader(scenario.name), key);
}

}  // namespace distlab
