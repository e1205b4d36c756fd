#pragma once
// The control plane's node ("ctl"): the membership service of the Dynamo-style demo store. The Session
// owns the authoritative consistent-hash ring and speaks through this node with World::sendFrom; the
// node itself only absorbs what comes back (replies, errors, gossip), so it has no protocol logic.
#include <string>
#include <utility>
#include <vector>

#include "core/node/node.h"

namespace distlab::kv {

class ControlNode : public Node {
public:
    void onStart(Context& ctx) override { (void)ctx; }
    void onMessage(Context& ctx, const Envelope& message) override {
        (void)ctx;
        (void)message;
    }
    void onTimer(Context& ctx, TimerId id, const std::string& tag) override {
        (void)ctx;
        (void)id;
        (void)tag;
    }
    void describe(std::vector<std::pair<std::string, std::string>>& out) const override {
        out.emplace_back("role", "membership service");
    }
};

}  // namespace distlab::kv
