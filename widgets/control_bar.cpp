#include "widgets/control_bar.h"

#include <QAction>
#include <QFontDatabase>
#include <QIcon>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QSignalBlocker>
#include <QSlider>

#include <algorithm>
#include <climits>
#include <cmath>

#include "widgets/palette.h"
#include "widgets/ring_geometry.h"

namespace distlab {

namespace {

enum class Symbol { Play, Pause, Step, StepBack, AddNode, RemoveNode, Kill, Restart, PauseNode, Partition, Heal };

const QColor kIconInk(0x3C, 0x40, 0x43);

// Icons are drawn here rather than taken from an icon theme: classroom machines often have none, and
// a missing icon would leave an empty button on the projector.
void drawSymbol(QPainter& p, Symbol symbol, double s) {
    p.setRenderHint(QPainter::Antialiasing);
    const QPointF c(s / 2, s / 2);
    auto bars = [&](QColor color, double scale) {
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        const double w = s * 0.16 * scale;
        const double h = s * 0.56 * scale;
        p.drawRoundedRect(QRectF(c.x() - w * 1.5, c.y() - h / 2, w, h), w * 0.2, w * 0.2);
        p.drawRoundedRect(QRectF(c.x() + w * 0.5, c.y() - h / 2, w, h), w * 0.2, w * 0.2);
    };
    switch (symbol) {
        case Symbol::Play: {
            QPainterPath path;
            path.moveTo(s * 0.28, s * 0.2);
            path.lineTo(s * 0.80, s * 0.5);
            path.lineTo(s * 0.28, s * 0.8);
            path.closeSubpath();
            p.fillPath(path, QColor(0x18, 0x80, 0x38));
            break;
        }
        case Symbol::Pause:
            bars(kIconInk, 1.0);
            break;
        case Symbol::Step: {
            QPainterPath path;
            path.moveTo(s * 0.2, s * 0.22);
            path.lineTo(s * 0.62, s * 0.5);
            path.lineTo(s * 0.2, s * 0.78);
            path.closeSubpath();
            p.fillPath(path, kIconInk);
            p.fillRect(QRectF(s * 0.66, s * 0.22, s * 0.13, s * 0.56), kIconInk);
            break;
        }
        case Symbol::StepBack: {  // the Step symbol, mirrored
            QPainterPath path;
            path.moveTo(s * 0.8, s * 0.22);
            path.lineTo(s * 0.38, s * 0.5);
            path.lineTo(s * 0.8, s * 0.78);
            path.closeSubpath();
            p.fillPath(path, kIconInk);
            p.fillRect(QRectF(s * 0.21, s * 0.22, s * 0.13, s * 0.56), kIconInk);
            break;
        }
        case Symbol::AddNode:
            p.setPen(Qt::NoPen);
            p.setBrush(nodeColor(2));
            p.drawEllipse(c, s * 0.38, s * 0.38);
            p.setPen(QPen(Qt::white, s * 0.11, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(c.x() - s * 0.18, c.y()), QPointF(c.x() + s * 0.18, c.y()));
            p.drawLine(QPointF(c.x(), c.y() - s * 0.18), QPointF(c.x(), c.y() + s * 0.18));
            break;
        case Symbol::RemoveNode:  // the Add node symbol with a minus
            p.setPen(Qt::NoPen);
            p.setBrush(nodeColor(2));
            p.drawEllipse(c, s * 0.38, s * 0.38);
            p.setPen(QPen(Qt::white, s * 0.11, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(c.x() - s * 0.18, c.y()), QPointF(c.x() + s * 0.18, c.y()));
            break;
        case Symbol::Kill:
            p.setPen(Qt::NoPen);
            p.setBrush(crashedColor());
            p.drawEllipse(c, s * 0.38, s * 0.38);
            p.setPen(QPen(QColor(0x42, 0x42, 0x42), s * 0.1, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(c + QPointF(-s * 0.16, -s * 0.16), c + QPointF(s * 0.16, s * 0.16));
            p.drawLine(c + QPointF(-s * 0.16, s * 0.16), c + QPointF(s * 0.16, -s * 0.16));
            break;
        case Symbol::Restart: {
            const QRectF arc(s * 0.2, s * 0.2, s * 0.6, s * 0.6);
            p.setPen(QPen(nodeColor(0), s * 0.1, Qt::SolidLine, Qt::FlatCap));
            p.setBrush(Qt::NoBrush);
            p.drawArc(arc, 100 * 16, 290 * 16);
            QPainterPath head;  // arrow head at the start of the arc (12 o'clock, pointing left)
            head.moveTo(s * 0.58, s * 0.06);
            head.lineTo(s * 0.58, s * 0.34);
            head.lineTo(s * 0.38, s * 0.2);
            head.closeSubpath();
            p.fillPath(head, nodeColor(0));
            break;
        }
        case Symbol::PauseNode:
            p.setPen(Qt::NoPen);
            p.setBrush(nodeColor(0));
            p.drawEllipse(c, s * 0.38, s * 0.38);
            bars(Qt::white, 0.75);
            break;
        case Symbol::Partition:
            p.setPen(QPen(faultColor(), s * 0.13, Qt::DashLine, Qt::FlatCap));
            p.drawLine(QPointF(s * 0.5, s * 0.08), QPointF(s * 0.5, s * 0.92));
            p.setPen(Qt::NoPen);
            p.setBrush(nodeColor(0));
            p.drawEllipse(QPointF(s * 0.2, s * 0.5), s * 0.13, s * 0.13);
            p.setBrush(nodeColor(1));
            p.drawEllipse(QPointF(s * 0.8, s * 0.5), s * 0.13, s * 0.13);
            break;
        case Symbol::Heal:
            p.setPen(QPen(QColor(0x18, 0x80, 0x38), s * 0.1, Qt::SolidLine, Qt::RoundCap));
            p.drawLine(QPointF(s * 0.2, s * 0.5), QPointF(s * 0.8, s * 0.5));
            p.setPen(Qt::NoPen);
            p.setBrush(nodeColor(0));
            p.drawEllipse(QPointF(s * 0.2, s * 0.5), s * 0.14, s * 0.14);
            p.setBrush(nodeColor(1));
            p.drawEllipse(QPointF(s * 0.8, s * 0.5), s * 0.14, s * 0.14);
            break;
    }
}

QIcon symbolIcon(Symbol symbol) {
    QIcon icon;
    for (const int size : {16, 24, 32, 48, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        drawSymbol(painter, symbol, size);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

QIcon themedIcon(const QString& themeName, Symbol fallback) {
    return QIcon::fromTheme(themeName, symbolIcon(fallback));
}

double roundToTwoSignificantDigits(double value) {
    if (value <= 0) return value;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)) - 1.0);
    return std::round(value / magnitude) * magnitude;
}

}  // namespace

ControlBar::ControlBar(QWidget* parent) : QToolBar(parent) {
    setObjectName(QStringLiteral("controlBar"));
    setWindowTitle(tr("Controls"));
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setIconSize(QSize(22, 22));

    m_play = addAction(themedIcon(QStringLiteral("media-playback-start"), Symbol::Play), tr("Play"));
    m_play->setCheckable(true);
    m_play->setToolTip(tr("Play or pause the simulation (Space)"));
    connect(m_play, &QAction::triggered, this, [this](bool checked) {
        updatePlayAction();
        emit playToggled(checked);
    });

    m_stepBack = addAction(themedIcon(QStringLiteral("media-skip-backward"), Symbol::StepBack), tr("Back"));
    m_stepBack->setToolTip(tr("Go back one event (Left): the run is replayed from its start"));
    connect(m_stepBack, &QAction::triggered, this, &ControlBar::stepBackRequested);

    m_step = addAction(themedIcon(QStringLiteral("media-skip-forward"), Symbol::Step), tr("Step"));
    m_step->setToolTip(tr("Run until the next event (Right)"));
    connect(m_step, &QAction::triggered, this, &ControlBar::stepRequested);

    addSeparator();
    auto* speedCaption = new QLabel(tr("Speed"), this);
    speedCaption->setContentsMargins(6, 0, 4, 0);
    addWidget(speedCaption);
    m_speedSlider = new QSlider(Qt::Horizontal, this);
    m_speedSlider->setRange(0, 4 * kSliderStepsPerDecade);
    m_speedSlider->setPageStep(kSliderStepsPerDecade / 2);
    m_speedSlider->setSingleStep(5);
    m_speedSlider->setFixedWidth(150);
    m_speedSlider->setToolTip(tr("Simulation speed: simulated time per real second, from ×0.1 to ×1000"));
    addWidget(m_speedSlider);
    m_speedLabel = new QLabel(this);
    m_speedLabel->setContentsMargins(4, 0, 6, 0);
    m_speedLabel->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("×1000")) + 12);
    addWidget(m_speedLabel);
    connect(m_speedSlider, &QSlider::valueChanged, this, &ControlBar::onSliderMoved);

    addSeparator();
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_timeLabel = new QLabel(this);
    m_timeLabel->setFont(mono);
    m_timeLabel->setContentsMargins(6, 0, 6, 0);
    m_timeLabel->setToolTip(tr("Simulated time"));
    // Room for "t = 99999.999 s", so that the bar does not jump as time grows.
    m_timeLabel->setMinimumWidth(QFontMetrics(mono).horizontalAdvance(QStringLiteral("t = 99999.999 s")) +
                                 12);
    addWidget(m_timeLabel);
    m_timeSlider = new QSlider(Qt::Horizontal, this);
    m_timeSlider->setObjectName(QStringLiteral("timeSlider"));
    m_timeSlider->setRange(0, 0);
    m_timeSlider->setFixedWidth(170);
    // Never focused, so that Left and Right keep stepping through events.
    m_timeSlider->setFocusPolicy(Qt::NoFocus);
    m_timeSlider->setToolTip(tr("Time travel: drag to a moment of the run and let go; the run is replayed to it"));
    addWidget(m_timeSlider);
    connect(m_timeSlider, &QSlider::sliderMoved, this,
            [this](int ms) { showTimeText(qint64(ms) * 1000, true); });
    connect(m_timeSlider, &QSlider::sliderReleased, this, [this] {
        showTimeText(m_time, false);
        emit seekRequested(qint64(m_timeSlider->value()) * 1000);
    });
    connect(m_timeSlider, &QSlider::actionTriggered, this, [this](int action) {
        // A click beside the handle pages; sliderPosition() already holds where it goes.
        if (action == QAbstractSlider::SliderMove || action == QAbstractSlider::SliderNoAction) return;
        if (m_timeSlider->isSliderDown()) return;
        emit seekRequested(qint64(m_timeSlider->sliderPosition()) * 1000);
    });
    m_seedLabel = new QLabel(this);
    m_seedLabel->setFont(mono);
    m_seedLabel->setContentsMargins(6, 0, 6, 0);
    m_seedLabel->setToolTip(tr("Seed of this run: the same scenario and seed replay exactly"));
    m_seedLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    addWidget(m_seedLabel);

    addSeparator();
    m_addNode = addAction(symbolIcon(Symbol::AddNode), tr("Add node"));
    m_addNode->setToolTip(tr("Add a node to the ring: a server, or in a counter scenario a replica"));
    connect(m_addNode, &QAction::triggered, this, &ControlBar::addNodeRequested);
    m_kill = addAction(symbolIcon(Symbol::Kill), tr("Kill"));
    m_kill->setToolTip(tr("Crash the selected node: its volatile state and timers are lost"));
    connect(m_kill, &QAction::triggered, this, &ControlBar::killRequested);
    m_restart = addAction(symbolIcon(Symbol::Restart), tr("Restart"));
    m_restart->setToolTip(tr("Restart the selected node from its durable state"));
    connect(m_restart, &QAction::triggered, this, &ControlBar::restartRequested);
    m_removeNode = addAction(symbolIcon(Symbol::RemoveNode), tr("Remove"));
    m_removeNode->setToolTip(tr("Take the selected node out of its ring for good (a ring server or a counter replica)"));
    connect(m_removeNode, &QAction::triggered, this, &ControlBar::removeRequested);
    m_pauseNode = addAction(symbolIcon(Symbol::PauseNode), tr("Pause node"));
    m_pauseNode->setToolTip(
        tr("Stop the selected node for a while, as a long garbage-collection pause would"));
    connect(m_pauseNode, &QAction::triggered, this, &ControlBar::pauseNodeRequested);
    m_partition = addAction(symbolIcon(Symbol::Partition), tr("Partition"));
    m_partition->setToolTip(tr("Cut the network into two groups that cannot talk to each other"));
    connect(m_partition, &QAction::triggered, this, &ControlBar::partitionRequested);
    m_heal = addAction(symbolIcon(Symbol::Heal), tr("Heal"));
    m_heal->setToolTip(tr("Repair every partition and one-way cut"));
    connect(m_heal, &QAction::triggered, this, &ControlBar::healRequested);

    updatePlayAction();
    setSpeed(1.0);
    setTime(0);
    setSeed(0);
    setNodeActionsEnabled(false);
}

ControlBar::~ControlBar() = default;

double ControlBar::speedForSliderPosition(int position) {
    position = std::clamp(position, 0, 4 * kSliderStepsPerDecade);
    const double speed = std::pow(10.0, static_cast<double>(position) / kSliderStepsPerDecade - 1.0);
    return std::clamp(roundToTwoSignificantDigits(speed), kSpeedMin, kSpeedMax);
}

int ControlBar::sliderPositionForSpeed(double speed) {
    speed = std::clamp(speed, kSpeedMin, kSpeedMax);
    return static_cast<int>(std::lround((std::log10(speed) + 1.0) * kSliderStepsPerDecade));
}

QString ControlBar::speedText(double speed) {
    return tr("×%1").arg(QString::number(speed, 'g', 4));
}

bool ControlBar::isRunning() const {
    return m_play->isChecked();
}

void ControlBar::setRunning(bool running) {
    m_play->setChecked(running);  // setChecked does not emit triggered(), so no playToggled()
    updatePlayAction();
}

void ControlBar::setSpeed(double speed) {
    m_speed = std::clamp(speed, kSpeedMin, kSpeedMax);
    const QSignalBlocker blocker(m_speedSlider);
    m_speedSlider->setValue(sliderPositionForSpeed(m_speed));
    m_speedLabel->setText(speedText(m_speed));
}

void ControlBar::setTime(qint64 micros) {
    m_time = micros;
    if (m_timeSlider->isSliderDown()) return;  // the label previews where the handle is
    showTimeText(micros, false);
    const QSignalBlocker block(m_timeSlider);
    if (micros / 1000 > m_timeSlider->maximum()) m_timeSlider->setMaximum(int(std::min<qint64>(micros / 1000, INT_MAX)));
    m_timeSlider->setValue(int(std::min<qint64>(micros / 1000, INT_MAX)));
}

void ControlBar::showTimeText(qint64 micros, bool preview) {
    const QString time = geometry::formatSimTime(micros);
    const QString text = preview ? tr("→ %1").arg(time) : tr("t = %1").arg(time);
    if (m_timeLabel->text() != text) m_timeLabel->setText(text);
}

void ControlBar::setTimeRange(qint64 furthestMicros) {
    const QSignalBlocker block(m_timeSlider);
    const int maxMs = int(std::clamp<qint64>((furthestMicros + 999) / 1000, 0, INT_MAX));
    m_timeSlider->setMaximum(std::max(maxMs, int(std::min<qint64>(m_time / 1000, INT_MAX))));
    m_timeSlider->setPageStep(std::max(1, m_timeSlider->maximum() / 20));
}

void ControlBar::setSeed(quint64 seed) {
    if (m_networked) return;
    m_seedLabel->setText(tr("seed %1").arg(seed));
}

void ControlBar::setNodeActionsEnabled(bool enabled) {
    m_nodeActions = enabled;
    m_kill->setEnabled(enabled);
    m_restart->setEnabled(enabled);
    m_removeNode->setEnabled(enabled && !m_networked);
    m_pauseNode->setEnabled(enabled && !m_networked);
}

void ControlBar::setNetworked(bool networked) {
    if (m_networked == networked) return;
    m_networked = networked;
    for (QAction* action : {m_play, m_step, m_stepBack, m_addNode}) action->setEnabled(!networked);
    m_speedSlider->setEnabled(!networked);
    m_timeSlider->setEnabled(!networked);
    if (networked) m_seedLabel->setText(tr("real time"));
    setNodeActionsEnabled(m_nodeActions);
}

void ControlBar::updatePlayAction() {
    const bool running = m_play->isChecked();
    const QString text = running ? tr("Pause") : tr("Play");
    if (m_play->text() == text) return;  // setRunning() may be called with every snapshot
    m_play->setText(text);
    m_play->setIcon(running ? themedIcon(QStringLiteral("media-playback-pause"), Symbol::Pause)
                            : themedIcon(QStringLiteral("media-playback-start"), Symbol::Play));
}

void ControlBar::onSliderMoved(int position) {
    m_speed = speedForSliderPosition(position);
    m_speedLabel->setText(speedText(m_speed));
    emit speedChanged(m_speed);
}

}  // namespace distlab
