#pragma once
// The test node the protocol suites put in their worlds: it never acts on its own (the test speaks on its
// behalf with World::sendFrom) and keeps every message it is told, so a test can read the answers back.
// Asked to, it also records hand-made history ops ("scribe" messages), so a checker test can build a
// history on a real trace.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/node/message.h"
#include "core/node/node.h"
#include "core/sim/world.h"

namespace support {

class Probe : public distlab::Node {
public:
    struct Options {
        // A message of type "scribe" {phase, op_id, f, value} records that op in the probe's own history
        // instead of being kept.
        bool scribe = false;
    };

    Probe() = default;
    explicit Probe(Options options) : m_options(options) {}

    void onStart(distlab::Context&) override {}
    void onMessage(distlab::Context& ctx, const distlab::Envelope& message) override {
        if (m_options.scribe && message.body.type == "scribe") {
            recordScribed(ctx, message.body.fields);
            return;
        }
        received.push_back(message);
    }
    void onTimer(distlab::Context&, distlab::TimerId, const std::string&) override {}

    // The first kept message in reply to msgId, or a body of type "no-answer".
    distlab::Body answerTo(std::int64_t msgId) const {
        for (const distlab::Envelope& message : received)
            if (message.body.inReplyTo == msgId) return message.body;
        return distlab::Body{"no-answer", 0, {}, {}};
    }

    // The kept messages that read as a T, in the order they came.
    template <class T>
    std::vector<T> all() const {
        std::vector<T> out;
        for (const distlab::Envelope& message : received)
            if (distlab::Result<T> typed = distlab::bodyAs<T>(message.body); typed.ok()) out.push_back(typed.value());
        return out;
    }

    std::vector<distlab::Envelope> received;

private:
    static void recordScribed(distlab::Context& ctx, const distlab::Json& fields) {
        using distlab::OpPhase;
        const std::string phase = fields.value("phase", std::string("invoke"));
        const OpPhase p = phase == "ok"        ? OpPhase::Ok
                          : phase == "fail"    ? OpPhase::Fail
                          : phase == "unknown" ? OpPhase::Unknown
                                               : OpPhase::Invoke;
        ctx.recordOp(p, fields.value("op_id", std::int64_t(0)), fields.value("f", std::string()),
                     fields.value("value", distlab::Json::object()));
    }

    Options m_options;
};

// Adds a probe named id; false when the world refuses the name.
inline bool addProbe(distlab::World& world, const distlab::NodeId& id, Probe::Options options = {}) {
    return world.addNode(id, [options] { return std::make_unique<Probe>(options); }).ok();
}

// The probe named id, or null when there is no such node, it is down, or it is not a probe.
inline Probe* findProbe(distlab::World& world, const distlab::NodeId& id) {
    const std::optional<distlab::NodeIndex> index = world.indexOf(id);
    return index ? dynamic_cast<Probe*>(world.node(*index)) : nullptr;
}
inline const Probe* findProbe(const distlab::World& world, const distlab::NodeId& id) {
    const std::optional<distlab::NodeIndex> index = world.indexOf(id);
    return index ? dynamic_cast<const Probe*>(world.node(*index)) : nullptr;
}

}  // namespace support
