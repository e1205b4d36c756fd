#include "widgets/chart_axes.h"

#include <QValueAxis>

namespace distlab {

void setTimeAxisRange(QValueAxis& axis, double from, double to) {
    axis.setRange(from, to);
    axis.applyNiceNumbers();
    const double span = axis.max() - axis.min();
    axis.setLabelFormat(span < 2 ? QStringLiteral("%.2f") : span < 20 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
}

}  // namespace distlab
