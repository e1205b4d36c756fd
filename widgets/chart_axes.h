#pragma once
// Qt Charts axes as the views share them.
class QValueAxis;

namespace distlab {

// A simulated-time axis in seconds from `from` to `to`: ticks on round numbers (applyNiceNumbers), and labels
// with as many decimals as the ticks need so that no two read the same ("0.50, 1.00", "5.0, 7.5", "20, 40").
void setTimeAxisRange(QValueAxis& axis, double from, double to);

}  // namespace distlab
