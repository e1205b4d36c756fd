#include "core/sim/network.h"

namespace distlab {

const LinkConfig& Network::link(NodeIndex from, NodeIndex to) const {
    auto it = m_links.find({from, to});
    return it == m_links.end() ? m_defaults : it->second;
}

void Network::partition(const std::vector<std::vector<NodeIndex>>& groups) {
    for (std::size_t a = 0; a < groups.size(); ++a) {
        for (std::size_t b = 0; b < groups.size(); ++b) {
            if (a == b) continue;
            for (NodeIndex from : groups[a])
                for (NodeIndex to : groups[b]) m_blocked.insert({from, to});
        }
    }
    m_groups = groups;
}

void Network::heal() {
    m_blocked.clear();
    m_groups.clear();
}

}  // namespace distlab
