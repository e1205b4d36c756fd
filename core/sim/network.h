#pragma once
// The simulated network's configuration: per-link latency ranges, loss, duplication, reordering and
// partitions (two-sided and one-way). The World asks it what happens to each message.
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "core/base/sim_time.h"

namespace distlab {

struct LinkConfig {
    SimTime latencyMin = millis(2);
    SimTime latencyMax = millis(8);
    double dropRate = 0.0;       // probability a message is lost
    double duplicateRate = 0.0;  // probability a message is delivered twice
    double reorderRate = 0.0;    // probability a message may overtake earlier ones on its link;
                                 // otherwise each link delivers in FIFO order, as TCP would
};

using NodeIndex = std::uint32_t;
using Link = std::pair<NodeIndex, NodeIndex>;  // (from, to)

class Network {
public:
    const LinkConfig& defaults() const { return m_defaults; }
    void setDefaults(const LinkConfig& config) { m_defaults = config; }
    void setLink(NodeIndex from, NodeIndex to, const LinkConfig& config) { m_links[{from, to}] = config; }
    void clearLink(NodeIndex from, NodeIndex to) { m_links.erase({from, to}); }
    const LinkConfig& link(NodeIndex from, NodeIndex to) const;

    // Cuts every link between different groups, both ways. Nodes in no group are untouched.
    void partition(const std::vector<std::vector<NodeIndex>>& groups);
    // Cuts one direction only.
    void cut(NodeIndex from, NodeIndex to) { m_blocked.insert({from, to}); }
    void heal();
    bool blocked(NodeIndex from, NodeIndex to) const { return m_blocked.count({from, to}) > 0; }
    const std::set<Link>& blockedLinks() const { return m_blocked; }
    const std::vector<std::vector<NodeIndex>>& groups() const { return m_groups; }
    bool whole() const { return m_blocked.empty(); }

    // Last scheduled delivery per link, to keep FIFO order on links that do not reorder.
    SimTime& lastDelivery(NodeIndex from, NodeIndex to) { return m_lastDelivery[{from, to}]; }

private:
    LinkConfig m_defaults;
    std::map<Link, LinkConfig> m_links;
    std::set<Link> m_blocked;
    std::vector<std::vector<NodeIndex>> m_groups;
    std::map<Link, SimTime> m_lastDelivery;
};

}  // namespace distlab
