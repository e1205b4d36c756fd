#include "core/labs/registry.h"

#include <algorithm>

#include "core/labs/counter/counter_lab.h"
#include "core/labs/kv/kv_lab.h"
#include "core/labs/lock/lock_lab.h"
#include "core/labs/mq/mq_lab.h"
#include "core/labs/txn/txn_lab.h"

namespace distlab {

const std::vector<LabEntry>& labRegistry() {
    static const std::vector<LabEntry> kLabs = {
        KvLab::registryEntry(),
        LockLab::registryEntry(),
        TxnLab::registryEntry(),
        MqLab::registryEntry(),
        CounterLab::registryEntry(),
    };
    return kLabs;
}

std::vector<const LabEntry*> labsTaking(const Command& command) {
    const CommandSpec& spec = *command.spec;
    std::vector<const LabEntry*> prefixed, others;
    for (const LabEntry& entry : labRegistry()) {
        if (!spec.lab.empty() && spec.lab == entry.name) return {&entry};
        const auto& taken = entry.consoleCommandsTaken;
        if (!spec.lab.empty() || std::find(taken.begin(), taken.end(), &spec) == taken.end()) continue;
        const bool named = !command.nodes.empty() && !entry.idPrefix.empty() &&
                           command.nodes.front().rfind(entry.idPrefix, 0) == 0;
        (named ? prefixed : others).push_back(&entry);
    }
    if (!prefixed.empty()) return prefixed;
    if (!command.nodes.empty()) {
        // A node of no lab that takes the command: the lab whose ids have no prefix (the ring's n7).
        for (const LabEntry* entry : others)
            if (entry->idPrefix.empty()) return {entry};
        return {};
    }
    return others;
}

const CommandTable& commandTable() {
    static const CommandTable kTable = [] {
        const auto console = consoleCommands();
        std::vector<const CommandSpec*> specs(console.begin(), console.end());
        std::vector<std::string> prefixes, addable;
        for (const LabEntry& entry : labRegistry()) {
            specs.insert(specs.end(), entry.commands.begin(), entry.commands.end());
            if (entry.idPrefix.empty()) continue;
            prefixes.emplace_back(entry.idPrefix);
            const auto& taken = entry.consoleCommandsTaken;
            if (std::find(taken.begin(), taken.end(), &commands::kNodeAdd) != taken.end())
                addable.emplace_back(entry.idPrefix);
        }
        return CommandTable(std::move(specs), std::move(prefixes), std::move(addable));
    }();
    return kTable;
}

}  // namespace distlab
