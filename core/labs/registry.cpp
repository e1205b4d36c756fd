#include "core/labs/registry.h"

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
    };
    return kLabs;
}

const LabEntry* labTaking(CommandKind kind) {
    for (const LabEntry& entry : labRegistry())
        if (entry.takes(kind)) return &entry;
    return nullptr;
}

}  // namespace distlab
