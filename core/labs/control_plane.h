#pragma once
// What a lab commands and reads of the cluster it runs on: membership and faults, the links between nodes,
// messages sent on the control node's behalf, and what the nodes report. Labs name nodes by id only. The
// simulator implements it over its World (core/session/sim_control_plane.h); a cluster of real processes
// can implement the same calls over the network, so a lab never knows which one it drives.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/sim_time.h"
#include "core/history/trace.h"
#include "core/node/message.h"
#include "core/node/node.h"
#include "core/node/node_status.h"

namespace distlab {

class ControlPlane {
public:
    virtual ~ControlPlane() = default;

    virtual SimTime now() const = 0;
    // Everything that happened so far: messages, state changes, faults and client operations.
    virtual const Trace& trace() const = 0;

    // --- membership and faults (take effect now, and are traced) ---
    virtual Status addNode(const NodeId& id, NodeFactory factory) = 0;
    // What the node's next restart builds its process with.
    virtual Status setFactory(const NodeId& id, NodeFactory factory) = 0;
    virtual Status crash(const NodeId& id) = 0;
    virtual Status restart(const NodeId& id) = 0;
    virtual Status pause(const NodeId& id, SimTime duration) = 0;
    virtual Status remove(const NodeId& id) = 0;
    virtual Status partition(const std::vector<std::vector<NodeId>>& groups) = 0;
    virtual void heal() = 0;
    // The link from `from` to `to` takes exactly `latency`; `lossless` also takes away the run's loss,
    // duplication and reordering on it, otherwise they stay. linkDefaults puts the link back.
    virtual Status setLink(const NodeId& from, const NodeId& to, SimTime latency, bool lossless) = 0;
    virtual Status linkDefaults(const NodeId& from, const NodeId& to) = 0;
    // Sends a message on behalf of an Up node (the control node, usually). Returns the msg_id.
    virtual Result<std::int64_t> sendFrom(const NodeId& from, const NodeId& dest, Body body) = 0;

    // --- inspection ---
    // Every node added so far, in the order it was added, removed ones included.
    virtual std::vector<NodeId> nodeIds() const = 0;
    virtual bool has(const NodeId& id) const = 0;
    // Removed for an id that was never added.
    virtual NodeStatus status(const NodeId& id) const = 0;
    // The node's report (Node::observe); null while it is down or unknown.
    virtual Json observe(const NodeId& id) const = 0;
    // The node's disk, for checks that compare what the replicas hold; null for an unknown id.
    virtual const DurableStore* store(const NodeId& id) const = 0;
};

}  // namespace distlab
