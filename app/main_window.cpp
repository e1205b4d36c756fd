#include "app/main_window.h"

#include <algorithm>

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QAction>
#include <QComboBox>
#include <QKeyEvent>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

#include "core/scenario/command.h"
#include "widgets/console_widget.h"
#include "widgets/control_bar.h"
#include "widgets/inspector.h"
#include "widgets/load_chart.h"
#include "widgets/lock_view.h"
#include "widgets/ring_view.h"

namespace distlab {

MainWindow::MainWindow(SimBridge* bridge, const QString& language, QWidget* parent)
    : QMainWindow(parent), m_bridge(bridge) {
    setWindowTitle(tr("Distlab — distributed systems laboratory"));
    setObjectName(QStringLiteral("MainWindow"));
    m_ring = new RingView(this);
    m_ring->setObjectName(QStringLiteral("RingView"));
    m_locks = new LockView(this);
    m_locks->setObjectName(QStringLiteral("LockView"));
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("CentralTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_ring, tr("Ring"));
    m_tabs->addTab(m_locks, tr("Locks"));
    setCentralWidget(m_tabs);
    m_controls = new ControlBar(this);
    m_controls->setObjectName(QStringLiteral("ControlBar"));
    addToolBar(Qt::TopToolBarArea, m_controls);
    buildDocks();
    buildActions(language);
    m_statusLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_statusLabel);
    statusBar()->showMessage(tr("Space: play or pause · Right / Left: one event forwards / back · Tab in the console completes commands"));
    m_controls->setNodeActionsEnabled(false);
    connectBridge();

    // Space and Right are window-wide shortcuts, but a focused button, slider or list needs them itself.
    qApp->installEventFilter(this);

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First start: most of the screen, as a projector shows it best.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
        resize(std::min(1600, available.width() * 9 / 10), std::min(1000, available.height() * 9 / 10));
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

MainWindow::~MainWindow() { qApp->removeEventFilter(this); }

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::ShortcutOverride) {
        auto* key = static_cast<QKeyEvent*>(event);
        const bool spaceOrRight =
            (key->key() == Qt::Key_Space || key->key() == Qt::Key_Right || key->key() == Qt::Key_Left) &&
            key->modifiers() == Qt::NoModifier;
        const bool usesThoseKeys = qobject_cast<QAbstractButton*>(watched) || qobject_cast<QAbstractSlider*>(watched) ||
                                   qobject_cast<QAbstractSpinBox*>(watched) || qobject_cast<QComboBox*>(watched) ||
                                   qobject_cast<QAbstractItemView*>(watched);
        if (spaceOrRight && usesThoseKeys) event->accept();  // the widget gets the key, not the shortcut
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::buildDocks() {
    m_inspector = new Inspector(this);
    auto* inspectorDock = new QDockWidget(tr("Inspector"), this);
    inspectorDock->setObjectName(QStringLiteral("InspectorDock"));
    // Scrolls rather than squeezing the charts below it when a node has many details.
    auto* inspectorScroll = new QScrollArea(this);
    inspectorScroll->setWidget(m_inspector);
    inspectorScroll->setWidgetResizable(true);
    inspectorScroll->setFrameShape(QFrame::NoFrame);
    inspectorDock->setWidget(inspectorScroll);
    addDockWidget(Qt::RightDockWidgetArea, inspectorDock);

    m_chart = new LoadChart(this);
    auto* chartDock = new QDockWidget(tr("Load and key movement"), this);
    chartDock->setObjectName(QStringLiteral("ChartDock"));
    chartDock->setWidget(m_chart);
    addDockWidget(Qt::RightDockWidgetArea, chartDock);
    m_chartDock = chartDock;

    m_console = new ConsoleWidget(this);
    QStringList words;
    for (const auto& word : completionWords()) words << QString::fromStdString(word);
    m_console->setCompletionWords(words);
    auto* consoleDock = new QDockWidget(tr("Lab console"), this);
    consoleDock->setObjectName(QStringLiteral("ConsoleDock"));
    consoleDock->setWidget(m_console);
    addDockWidget(Qt::BottomDockWidgetArea, consoleDock);
    resizeDocks({inspectorDock, chartDock}, {300, 560}, Qt::Vertical);
    resizeDocks({inspectorDock}, {440}, Qt::Horizontal);
    resizeDocks({consoleDock}, {150}, Qt::Vertical);
}

void MainWindow::buildActions(const QString& language) {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open scenario…"), this, &MainWindow::openScenario);
    open->setShortcut(QKeySequence::Open);
    QMenu* builtins = file->addMenu(tr("&Built-in scenarios"));
    for (const auto& scenario : builtinScenarios()) {
        const QString name = QString::fromStdString(scenario.name);
        QAction* action = builtins->addAction(name, this, [this, name] { emit scenarioRequested(name); });
        action->setToolTip(QString::fromStdString(scenario.description));
    }
    builtins->setToolTipsVisible(true);
    file->addSeparator();
    file->addAction(tr("&Export trace…"), this, &MainWindow::exportTrace)->setShortcut(QKeySequence(tr("Ctrl+E")));
    file->addAction(tr("Save &screenshot…"), this, &MainWindow::saveScreenshot)->setShortcut(QKeySequence(tr("Ctrl+Shift+S")));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* sim = menuBar()->addMenu(tr("&Simulation"));
    QAction* play = sim->addAction(tr("Play / pause"), this, [this] { emit playRequested(!m_controls->isRunning()); });
    play->setShortcut(QKeySequence(Qt::Key_Space));
    QAction* step = sim->addAction(tr("Step one event"), this, [this] { emit stepRequested(); });
    step->setShortcut(QKeySequence(Qt::Key_Right));
    QAction* back = sim->addAction(tr("Step back one event"), this, [this] { emit stepBackRequested(); });
    back->setShortcut(QKeySequence(Qt::Key_Left));
    sim->addSeparator();
    sim->addAction(tr("Add node"), this, [this] { emit commandRequested(QStringLiteral("node add")); })
        ->setShortcut(QKeySequence(tr("Ctrl+N")));
    sim->addAction(tr("Heal network"), this, [this] { emit commandRequested(QStringLiteral("heal")); })
        ->setShortcut(QKeySequence(tr("Ctrl+H")));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Ring"), this, [this] { m_tabs->setCurrentWidget(m_ring); })->setShortcut(QKeySequence(tr("Ctrl+1")));
    view->addAction(tr("Loc&ks"), this, [this] { m_tabs->setCurrentWidget(m_locks); })->setShortcut(QKeySequence(tr("Ctrl+2")));
    view->addSeparator();
    QMenu* languageMenu = view->addMenu(tr("&Language"));
    auto* group = new QActionGroup(this);
    const QList<QPair<QString, QString>> languages{{QStringLiteral("en"), QStringLiteral("English")},
                                                   {QStringLiteral("zh_CN"), QStringLiteral("中文 (简体)")}};
    for (const auto& [code, label] : languages) {
        QAction* action = languageMenu->addAction(label);
        action->setCheckable(true);
        action->setChecked(code == language);
        group->addAction(action);
        connect(action, &QAction::triggered, this, [this, code = code] { emit languageRequested(code); });
    }
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Console &commands"), this, [this] { emit commandRequested(QStringLiteral("help")); })
        ->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&About Distlab"), this, &MainWindow::showAbout);

    // Focus the console with Ctrl+L, as in a terminal.
    auto* focusConsole = new QAction(this);
    focusConsole->setShortcut(QKeySequence(tr("Ctrl+L")));
    connect(focusConsole, &QAction::triggered, m_console, [this] { m_console->setFocus(); });
    addAction(focusConsole);
}

void MainWindow::connectBridge() {
    connect(m_controls, &ControlBar::playToggled, this, &MainWindow::playRequested);
    connect(m_controls, &ControlBar::stepRequested, this, &MainWindow::stepRequested);
    connect(m_controls, &ControlBar::stepBackRequested, this, &MainWindow::stepBackRequested);
    connect(m_controls, &ControlBar::speedChanged, this, &MainWindow::speedRequested);
    connect(m_controls, &ControlBar::addNodeRequested, this, [this] { emit commandRequested(QStringLiteral("node add")); });
    connect(m_controls, &ControlBar::killRequested, this, [this] { runOnSelected(QStringLiteral("node kill")); });
    connect(m_controls, &ControlBar::restartRequested, this, [this] { runOnSelected(QStringLiteral("node restart")); });
    connect(m_controls, &ControlBar::pauseNodeRequested, this,
            [this] { runOnSelected(QStringLiteral("node pause"), QStringLiteral(" 2000")); });
    connect(m_controls, &ControlBar::partitionRequested, this, &MainWindow::partitionInTwo);
    connect(m_controls, &ControlBar::healRequested, this, [this] { emit commandRequested(QStringLiteral("heal")); });
    connect(m_console, &ConsoleWidget::commandSubmitted, this, &MainWindow::commandRequested);
    connect(m_ring, &RingView::nodeSelected, this, &MainWindow::setSelectedNode);
    connect(m_locks, &LockView::nodeSelected, this, &MainWindow::setSelectedNode);

    SimBridge* bridge = m_bridge.data();
    if (!bridge) return;
    connect(this, &MainWindow::commandRequested, bridge, &SimBridge::executeCommand);
    connect(this, &MainWindow::playRequested, bridge, &SimBridge::setPlaying);
    connect(this, &MainWindow::speedRequested, bridge, &SimBridge::setSpeed);
    connect(this, &MainWindow::stepRequested, bridge, &SimBridge::step);
    connect(this, &MainWindow::stepBackRequested, bridge, &SimBridge::stepBack);
    connect(this, &MainWindow::scenarioRequested, bridge, &SimBridge::loadScenario);
    connect(bridge, &SimBridge::snapshotReady, this, &MainWindow::showSnapshot);
    connect(bridge, &SimBridge::commandEcho, m_console, &ConsoleWidget::appendCommand);
    connect(bridge, &SimBridge::commandOutput, m_console, &ConsoleWidget::appendOutput);
    connect(bridge, &SimBridge::commandError, m_console, &ConsoleWidget::appendError);
    connect(bridge, &SimBridge::playingChanged, m_controls, &ControlBar::setRunning);
    connect(bridge, &SimBridge::speedChangedTo, m_controls, &ControlBar::setSpeed);
    connect(bridge, &SimBridge::speedChangedTo, this,
            [](double speed) { QSettings().setValue(QStringLiteral("session/speed"), speed); });
    connect(bridge, &SimBridge::scenarioLoaded, this, &MainWindow::onScenarioLoaded);
}

void MainWindow::showSnapshot(SnapshotPtr snapshot) {
    m_snapshot = snapshot;
    m_ring->setSnapshot(snapshot);
    m_locks->setSnapshot(snapshot);
    if (snapshot->locks.active != m_locksActive) {
        // A lock lab appeared (or a scenario without one was loaded): show what the class came to see.
        m_locksActive = snapshot->locks.active;
        m_tabs->setCurrentWidget(m_locksActive ? static_cast<QWidget*>(m_locks) : static_cast<QWidget*>(m_ring));
        // A lock lab without ring servers has no load to chart: give its room to the inspector.
        const bool ringServers = std::any_of(snapshot->nodes.begin(), snapshot->nodes.end(),
                                             [](const NodeView& node) { return node.role == NodeRole::Server; });
        m_chartDock->setVisible(!m_locksActive || ringServers);
    }
    m_inspector->setSnapshot(snapshot);
    m_chart->setSnapshot(snapshot);
    m_controls->setTime(snapshot->now);
    m_controls->setSeed(snapshot->seed);
    std::size_t inFlight = snapshot->inFlight.size();
    m_statusLabel->setText(tr("%1 · seed %2 · %3 events · %4 messages in flight")
                               .arg(QString::fromStdString(snapshot->scenarioName))
                               .arg(snapshot->seed)
                               .arg(snapshot->events)
                               .arg(inFlight));
}

void MainWindow::setSelectedNode(const QString& id) {
    m_selected = id;
    m_ring->setSelectedNode(id);
    m_locks->setSelectedNode(id);
    m_inspector->setSelectedNode(id);
    m_controls->setNodeActionsEnabled(!id.isEmpty());
}

void MainWindow::runOnSelected(const QString& verb, const QString& suffix) {
    if (m_selected.isEmpty()) {
        m_console->appendError(tr("No node is selected."), tr("Click a node on the ring or a client in the lock view first."));
        return;
    }
    emit commandRequested(verb + QLatin1Char(' ') + m_selected + suffix);
}

void MainWindow::partitionInTwo() {
    // Split the ring's members into two halves in ring order: the simplest cut a class can reason about.
    if (!m_snapshot) return;
    QStringList servers;
    for (const auto& node : m_snapshot->nodes)
        if (node.role == NodeRole::Server && node.status != NodeStatus::Removed) servers << QString::fromStdString(node.id);
    if (servers.size() < 2) {
        m_console->appendError(tr("A partition needs at least two nodes."), QString());
        return;
    }
    const int half = int((servers.size() + 1) / 2);
    emit commandRequested(QStringLiteral("partition %1 | %2")
                              .arg(servers.mid(0, half).join(QLatin1Char(',')), servers.mid(half).join(QLatin1Char(','))));
}

void MainWindow::onScenarioLoaded(const QString& name, quint64 seed) {
    QSettings().setValue(QStringLiteral("session/scenario"), name);
    m_console->appendOutput(tr("Loaded scenario “%1” with seed %2.").arg(name).arg(seed));
}

void MainWindow::openScenario() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), QString(), tr("Scenario files (*.json)"));
    if (!path.isEmpty()) emit scenarioRequested(path);
}

void MainWindow::exportTrace() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export trace"), QStringLiteral("trace.jsonl"),
                                                      tr("JSON lines (*.jsonl)"));
    if (!path.isEmpty()) emit commandRequested(QStringLiteral("trace ") + path);
}

void MainWindow::saveScreenshot() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save screenshot"), QStringLiteral("distlab.png"),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    if (!grab().save(path)) QMessageBox::warning(this, tr("Save screenshot"), tr("Could not write %1.").arg(path));
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About Distlab"),
                       tr("<b>Distlab</b> %1<br>A laboratory for distributed systems. Everything on screen is drawn "
                          "from protocol code running in a deterministic simulator: the same scenario and seed always "
                          "give the same run.")
                           .arg(QStringLiteral(DISTLAB_VERSION)));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

}  // namespace distlab
