// A node's view of the consistent-hash ring (Karger et al.) and its Dynamo-style preference lists.
#include "core/protocols/kv/kv_ring_view.h"

#include <algorithm>

namespace distlab::kv {

namespace {
const std::string kRingStoreKey = "meta/ring";
}

Result<RingView> RingView::fromUpdate(const RingUpdate& update) {
    if (std::string problem = validateRingUpdate(update); !problem.empty()) return makeError(problem);
    RingView view;
    view.m_update = update;
    view.m_ring = ring::HashRing(ring::RingConfig{update.vnodes, *ring::parseHashKind(update.hash)});
    for (const std::string& id : update.members) {
        if (!view.m_ring.addNode(id))
            return makeError("ring_update.members: the ring refused \"" + id + "\"");
    }
    view.m_down.assign(view.m_ring.nodeCount(), 0);
    for (const std::string& id : update.down)
        view.m_down[static_cast<std::size_t>(view.m_ring.indexOf(id))] = 1;
    return view;
}

bool RingView::isDown(std::string_view id) const {
    int index = m_ring.indexOf(id);
    return index >= 0 && m_down[static_cast<std::size_t>(index)] != 0;
}

std::vector<std::string> RingView::usableMembers() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < m_ring.nodeCount(); ++i) {
        if (!m_down[i]) out.push_back(m_ring.nodeIds()[i]);
    }
    return out;
}

std::vector<std::string> RingView::preferenceList(std::string_view key) const {
    return preferenceList(key, std::string_view{});
}

std::vector<std::string> RingView::preferenceList(std::string_view key, std::string_view alsoUsable) const {
    std::vector<std::string> out;
    if (m_ring.nodeCount() == 0) return out;
    const int also = alsoUsable.empty() ? -1 : m_ring.indexOf(alsoUsable);
    const std::uint64_t h = ring::keyHash(m_ring.config().hash, key);
    auto usableIndex = [&](int index) { return index == also || !m_down[static_cast<std::size_t>(index)]; };
    for (int index : m_ring.preferenceList(h, static_cast<std::size_t>(m_update.replicas), usableIndex))
        out.push_back(m_ring.nodeIds()[static_cast<std::size_t>(index)]);
    return out;
}

std::optional<std::string> RingView::owner(std::string_view key) const {
    std::vector<std::string> list = preferenceList(key);
    if (list.empty()) return std::nullopt;
    return list.front();
}

void RingView::save(Disk store) const {
    store.put(kRingStoreKey, Json(m_update).dump());
}

RingView RingView::load(const DiskReader& store) {
    std::optional<std::string> text = store.get(kRingStoreKey);
    if (!text) return {};
    Json json = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return {};
    RingUpdate update;
    try {
        update = json.get<RingUpdate>();
    } catch (const Json::exception&) {
        return {};
    }
    Result<RingView> view = RingView::fromUpdate(update);
    return view.ok() ? std::move(view).value() : RingView{};
}

bool adoptRingUpdate(Context& ctx, const Body& body, RingView& view) {
    Result<RingUpdate> update = bodyAs<RingUpdate>(body);
    if (!update) {
        ctx.traceState("ring_update ignored: " + update.error().message);
        return false;
    }
    if (update->epoch <= view.epoch()) return false;
    Result<RingView> adopted = RingView::fromUpdate(update.value());
    if (!adopted) {
        ctx.traceState("ring_update ignored: " + adopted.error().message);
        return false;
    }
    view = std::move(adopted).value();
    view.save(ctx.store());
    ctx.traceState(ringViewText(view));
    return true;
}

std::string ringViewText(const RingView& view) {
    if (!view.known()) return "no ring yet";
    std::string text =
        "epoch " + std::to_string(view.epoch()) + ": " + std::to_string(view.ring().nodeCount()) + " members";
    if (!view.update().down.empty()) text += ", " + std::to_string(view.update().down.size()) + " down";
    return text;
}

RingUpdate makeRingUpdate(std::int64_t epoch, const ring::HashRing& ring, int replicas,
                          const std::vector<std::string>& down) {
    RingUpdate update;
    update.epoch = epoch;
    update.vnodes = ring.config().vnodes;
    update.hash = std::string(ring::hashKindName(ring.config().hash));
    update.replicas = replicas;
    update.members = ring.nodeIds();
    for (const std::string& id : down) {
        if (ring.contains(id) && std::find(update.down.begin(), update.down.end(), id) == update.down.end())
            update.down.push_back(id);
    }
    return update;
}

}  // namespace distlab::kv
