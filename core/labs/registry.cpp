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

const LabEntry* labTaking(const CommandSpec& spec) {
    for (const LabEntry& entry : labRegistry()) {
        if (!spec.lab.empty() && spec.lab == entry.name) return &entry;
        const auto& taken = entry.consoleCommandsTaken;
        if (spec.lab.empty() && std::find(taken.begin(), taken.end(), &spec) != taken.end()) return &entry;
    }
    return nullptr;
}

const CommandTable& commandTable() {
    static const CommandTable kTable = [] {
        const auto console = consoleCommands();
        std::vector<const CommandSpec*> specs(console.begin(), console.end());
        std::vector<std::string> prefixes;
        for (const LabEntry& entry : labRegistry()) {
            specs.insert(specs.end(), entry.commands.begin(), entry.commands.end());
            if (!entry.idPrefix.empty()) prefixes.emplace_back(entry.idPrefix);
        }
        return CommandTable(std::move(specs), std::move(prefixes));
    }();
    return kTable;
}

}  // namespace distlab
