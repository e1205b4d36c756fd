#pragma once
// A lab made of other labs, as the distributed counter is made of the ring, a lock, two-phase commit and the
// queue. It owns its parts (each made by its registry entry, so it keeps its node-id prefix, its commands and
// its checks), copies them with itself into every checkpoint, and hands every call of the Lab interface to
// them: a node belongs to the part that made it, a command of a part's lab goes to that part, a crash or a
// restart reaches every part, and the checks, the summary, the snapshot and the status are the parts'
// together. A composed lab overrides what it adds of its own and calls these for the rest.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/labs/lab.h"

namespace distlab {

class ComposedLab : public Lab {
public:
    std::vector<StartError> start() override;
    // A command of one of the parts' labs (its spec's `lab`) goes to that part; any other is refused.
    Result<Text> execute(const Command& command) override;

    bool ownsNode(const std::string& id) const override { return partOwning(id) != nullptr; }
    bool isClient(const std::string& id) const override;
    NodeRole roleOf(const std::string& id) const override;
    // Every part hears of it; the first part that has something to say answers.
    std::optional<Text> onCrash(const std::string& id) override;
    std::optional<Text> onRestart(const std::string& id) override;
    void quiesce() override;

    // The parts' checks in the parts' order, each labelled with its part's lab unless it says otherwise.
    std::vector<CheckResult> checks() const override;
    void summarize(Json& summary) const override;
    void fillSnapshot(ClusterSnapshot& snap) const override;
    Text statusHeader() const override;
    Text statusNote(const std::string& id) const override;

    // The part of that registry name, or nullptr.
    const Lab* part(std::string_view name) const;
    Lab* part(std::string_view name);
    const std::vector<std::unique_ptr<Lab>>& parts() const { return m_parts; }

protected:
    explicit ComposedLab(LabHost& host) : Lab(host) {}
    // A copy holds copies of the parts (for checkpoints).
    ComposedLab(const ComposedLab& other);
    ComposedLab& operator=(const ComposedLab&) = delete;

    // Adds a part; its calls follow those of the parts added before it.
    Lab& addPart(std::unique_ptr<Lab> part);
    const Lab* partOwning(const std::string& id) const;

private:
    std::vector<std::unique_ptr<Lab>> m_parts;
};

}  // namespace distlab
