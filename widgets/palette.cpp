#include "widgets/palette.h"

#include <array>
#include <cstdint>

namespace distlab {

namespace {

// Okabe-Ito and Paul Tol colours, ordered so that consecutive indices (the first nodes of a run) are
// far apart in hue. Pure red and grey are left out on purpose: red means a fault, grey means crashed.
// The set maximises the smallest "redmean" colour distance between any two entries (121 of 765).
constexpr std::array<QRgb, kNodeColorCount> kNodeColors = {
    0xFF0072B2,  // blue
    0xFFE69F00,  // orange
    0xFF009E73,  // bluish green
    0xFFCC79A7,  // reddish purple
    0xFF56B4E9,  // sky blue
    0xFFD55E00,  // vermillion
    0xFF332288,  // indigo
    0xFF999933,  // olive
    0xFF44AA99,  // teal
    0xFFAA4499,  // purple
    0xFF117733,  // dark green
    0xFF8C564B,  // brown
};

// Message colours are a separate set: a dot in flight has a dark outline, so it stays distinguishable
// from the key dots even when the hues coincide. Ten entries, because with FNV-1a modulo 10 the most
// common types (put, get, ack, replicate, pull) all land on different colours. No red (faults) and no
// grey (crashed).
constexpr std::array<QRgb, 10> kMessageColors = {
    0xFF1F77B4,  // blue
    0xFFFF7F0E,  // orange
    0xFF2CA02C,  // green
    0xFF9467BD,  // purple
    0xFF17BECF,  // cyan
    0xFFBCBD22,  // olive
    0xFFE377C2,  // pink
    0xFF8C564B,  // brown
    0xFF393B79,  // indigo
    0xFFE7BA52,  // gold
};

constexpr std::array<QRgb, 4> kPartitionTints = {
    0xFFE3EEFA,  // pale blue
    0xFFFDEBD3,  // pale orange
    0xFFE0F3E8,  // pale green
    0xFFF3E3F0,  // pale purple
};

}  // namespace

QColor nodeColor(int colorIndex) {
    if (colorIndex < 0) colorIndex = -colorIndex;
    const QColor base = QColor::fromRgb(kNodeColors[static_cast<std::size_t>(colorIndex % kNodeColorCount)]);
    const int cycle = colorIndex / kNodeColorCount;
    if (cycle == 0) return base;
    // Alternate darker / lighter, stepping further each second cycle, and stay within a lightness band
    // that still reads against white.
    const int step = (cycle + 1) / 2;
    const double shift = (cycle % 2 == 1 ? -0.11 : 0.10) * step;
    float h = 0, s = 0, l = 0, a = 0;
    base.getHslF(&h, &s, &l, &a);
    double lightness = l + shift;
    while (lightness < 0.18 || lightness > 0.78)
        lightness = lightness < 0.18 ? lightness + 0.55 : lightness - 0.55;
    return QColor::fromHslF(h, s, static_cast<float>(lightness));
}

QColor crashedColor() {
    return QColor(0x9E, 0x9E, 0x9E);
}

QColor faultColor() {
    return QColor(0xD7, 0x19, 0x1C);
}

QColor partitionTint(int group) {
    if (group < 0) group = -group;
    return QColor::fromRgb(kPartitionTints[static_cast<std::size_t>(group) % kPartitionTints.size()]);
}

QColor messageTypeColor(const std::string& type) {
    // FNV-1a: tiny, stable across compilers and processes.
    std::uint32_t hash = 2166136261u;
    for (const char c : type) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 16777619u;
    }
    return QColor::fromRgb(kMessageColors[hash % kMessageColors.size()]);
}

}  // namespace distlab
