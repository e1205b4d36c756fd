#include "core/labs/composed_lab.h"

namespace distlab {

ComposedLab::ComposedLab(const ComposedLab& other) : Lab(other) {
    for (const auto& part : other.m_parts) m_parts.push_back(part->clone());
}

Lab& ComposedLab::addPart(std::unique_ptr<Lab> part) {
    m_parts.push_back(std::move(part));
    return *m_parts.back();
}

Lab* ComposedLab::part(std::string_view name) {
    for (const auto& part : m_parts)
        if (part->name() == name) return part.get();
    return nullptr;
}

const Lab* ComposedLab::part(std::string_view name) const {
    for (const auto& part : m_parts)
        if (part->name() == name) return part.get();
    return nullptr;
}

const Lab* ComposedLab::partOwning(const std::string& id) const {
    for (const auto& part : m_parts)
        if (part->ownsNode(id)) return part.get();
    return nullptr;
}

std::vector<Lab::StartError> ComposedLab::start() {
    std::vector<StartError> errors;
    for (const auto& part : m_parts) {
        auto failed = part->start();
        errors.insert(errors.end(), std::make_move_iterator(failed.begin()), std::make_move_iterator(failed.end()));
    }
    return errors;
}

Result<Text> ComposedLab::execute(const Command& command) {
    if (command.spec)
        if (Lab* target = part(command.spec->lab)) return target->execute(command);
    return makeError(makeText(QT_TRANSLATE_NOOP("Core", "the %1 lab does not take '%2'"), std::string(name()),
                              command.spec ? std::string(command.spec->name) : command.text));
}

bool ComposedLab::isClient(const std::string& id) const {
    const Lab* owner = partOwning(id);
    return owner && owner->isClient(id);
}

NodeRole ComposedLab::roleOf(const std::string& id) const {
    const Lab* owner = partOwning(id);
    return owner ? owner->roleOf(id) : Lab::roleOf(id);
}

std::optional<Text> ComposedLab::onCrash(const std::string& id) {
    std::optional<Text> said;
    for (const auto& part : m_parts)
        if (auto text = part->onCrash(id); text && !said) said = std::move(text);
    return said;
}

std::optional<Text> ComposedLab::onRestart(const std::string& id) {
    std::optional<Text> said;
    for (const auto& part : m_parts)
        if (auto text = part->onRestart(id); text && !said) said = std::move(text);
    return said;
}

void ComposedLab::quiesce() {
    for (const auto& part : m_parts) part->quiesce();
}

std::vector<CheckResult> ComposedLab::checks() const {
    std::vector<CheckResult> out;
    for (const auto& part : m_parts)
        for (CheckResult& result : part->checks()) {
            if (result.lab.empty()) result.lab = std::string(part->name());
            out.push_back(std::move(result));
        }
    return out;
}

void ComposedLab::summarize(Json& summary) const {
    for (const auto& part : m_parts) part->summarize(summary);
}

void ComposedLab::fillSnapshot(ClusterSnapshot& snap) const {
    for (const auto& part : m_parts) part->fillSnapshot(snap);
}

Text ComposedLab::statusHeader() const {
    Text head;
    for (const auto& part : m_parts)
        if (Text words = part->statusHeader(); !words.empty()) head = head.empty() ? words : makeText("%1%2", head, words);
    return head;
}

Text ComposedLab::statusNote(const std::string& id) const {
    const Lab* owner = partOwning(id);
    return owner ? owner->statusNote(id) : Text{};
}

}  // namespace distlab
