#pragma once
// The colour vocabulary shared by every view, so that node n3 is the same colour on the ring, in the
// load chart and in the inspector. Chosen for a projector on a light background: saturated enough to
// survive a washed-out beamer, and drawn mostly from the Okabe-Ito and Paul Tol palettes so that the
// common forms of colour blindness still tell neighbours apart.
#include <QColor>

#include <string>

namespace distlab {

// Number of base colours before the palette cycles with a lightness shift.
constexpr int kNodeColorCount = 12;

// Colour of a node by its stable colour index. Indices beyond the base palette reuse it, alternately
// darker and lighter, so that 1,000 nodes still get colours that differ from their neighbours.
QColor nodeColor(int colorIndex);

// A crashed node, and the keys and ticks it owns: grey, because nothing there answers.
QColor crashedColor();

// The colour of a fault drawn on top of the cluster (partition cuts, one-way cuts).
QColor faultColor();

// A pale background tint for partition group `group` (0, 1, ...), meant to be filled as is.
QColor partitionTint(int group);

// A stable colour for a message type: the same type string always maps to the same colour, in every
// run and process (so no std::hash, whose value is implementation defined).
QColor messageTypeColor(const std::string& type);

}  // namespace distlab
