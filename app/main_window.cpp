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
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QPushButton>
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
#include <QThread>
#include <QToolBar>
#include <QVBoxLayout>

#include "app/timeline_export.h"
#include "core/console/command.h"
#include "core/labs/registry.h"
#include "widgets/checks_panel.h"
#include "widgets/console_widget.h"
#include "widgets/control_bar.h"
#include "widgets/counter_view.h"
#include "widgets/inspector.h"
#include "widgets/localize.h"
#include "widgets/load_chart.h"
#include "widgets/lock_view.h"
#include "widgets/queue_lab_panel.h"
#include "widgets/ring_view.h"
#include "widgets/timeline_view.h"

namespace distlab {

MainWindow::MainWindow(SimBridge* bridge, const QString& language, NetBridge* net, QWidget* parent)
    : QMainWindow(parent), m_bridge(bridge), m_net(net ? net : new NetBridge(this)) {
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
    m_timelinePage = buildTimelinePage();
    m_tabs->addTab(m_timelinePage, tr("Timeline"));
    m_queues = new QueueLabPanel(this);
    m_queues->setObjectName(QStringLiteral("QueueLabPanel"));
    m_tabs->addTab(m_queues, tr("Queues"));
    m_counter = new CounterPanel(this);
    m_counter->setObjectName(QStringLiteral("CounterPanel"));
    m_tabs->addTab(m_counter, tr("Counter"));
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
    connectNet();
    emit timelineWanted(m_tabs->currentWidget() == m_timelinePage);  // a rebuilt window starts on another tab

    // Space and Right are window-wide shortcuts, but a focused button, slider or list needs them itself.
    qApp->installEventFilter(this);

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First start: most of the screen, as a projector shows it best.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
        resize(std::min(1600, available.width() * 9 / 10), std::min(1000, available.height() * 9 / 10));
    }
    m_fitDocksOnShow = !restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (!m_fitDocksOnShow) return;
    m_fitDocksOnShow = false;
    // The inspector and the checks take a third of the width: on a 1024-pixel screen the views keep two
    // thirds, on a wide one the docks stop at 440 pixels.
    resizeDocks({m_inspectorDock}, {std::clamp(width() / 3, 300, 440)}, Qt::Horizontal);
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

QWidget* MainWindow::buildTimelinePage() {
    auto* page = new QWidget(this);
    page->setObjectName(QStringLiteral("TimelinePage"));
    m_timeline = new TimelineView(page);
    m_timeline->setObjectName(QStringLiteral("TimelineView"));
    auto* strip = new QToolBar(page);
    strip->setObjectName(QStringLiteral("TimelineStrip"));
    strip->setToolButtonStyle(Qt::ToolButtonTextOnly);
    QAction* fit = strip->addAction(tr("Fit whole run"), m_timeline, &TimelineView::fitAll);
    fit->setToolTip(tr("Show the whole run and follow it as it grows (Home)"));
    QAction* logical = strip->addAction(tr("Event order"));
    logical->setObjectName(QStringLiteral("LogicalSpacing"));
    logical->setCheckable(true);
    logical->setToolTip(tr("Space the diagram by event order instead of simulated time, to spread out bursts"));
    connect(logical, &QAction::toggled, m_timeline, &TimelineView::setLogicalSpacing);
    m_jumpToEvent = strip->addAction(tr("Jump to selected event"), this, &MainWindow::jumpToSelectedEvent);
    m_jumpToEvent->setObjectName(QStringLiteral("JumpToEvent"));
    m_jumpToEvent->setToolTip(tr("Move the run to the moment the selected message was sent or the selected event happened"));
    m_jumpToEvent->setEnabled(false);
    strip->addSeparator();
    strip->addAction(tr("Export…"), this, &MainWindow::exportTimeline)
        ->setToolTip(tr("Save the diagram as an SVG drawing or a PNG image"));
    auto* hint = new QLabel(tr("Wheel: zoom · drag: pan · click a lane to select its node"), strip);
    hint->setContentsMargins(12, 0, 6, 0);
    hint->setEnabled(false);  // greyed: a hint, not a control
    strip->addWidget(hint);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(strip);
    layout->addWidget(m_timeline, 1);
    return page;
}

void MainWindow::buildDocks() {
    m_inspector = new Inspector(this);
    auto* inspectorDock = new QDockWidget(tr("Inspector"), this);
    inspectorDock->setObjectName(QStringLiteral("InspectorDock"));
    m_inspectorDock = inspectorDock;
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
    // Scrolls on a short screen (1024x700) rather than squeezing its two charts until their labels go, and
    // rather than making the window taller than the screen.
    auto* chartScroll = new QScrollArea(this);
    chartScroll->setWidget(m_chart);
    chartScroll->setWidgetResizable(true);
    chartScroll->setFrameShape(QFrame::NoFrame);
    chartScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    chartScroll->setMinimumHeight(160);
    chartDock->setWidget(chartScroll);
    addDockWidget(Qt::RightDockWidgetArea, chartDock);
    m_chartDock = chartDock;

    m_console = new ConsoleWidget(this);
    QStringList words;
    for (const auto& word : completionWords(commandTable())) words << QString::fromStdString(word);
    m_console->setCompletionWords(words);
    auto* consoleDock = new QDockWidget(tr("Lab console"), this);
    consoleDock->setObjectName(QStringLiteral("ConsoleDock"));
    consoleDock->setWidget(m_console);
    addDockWidget(Qt::BottomDockWidgetArea, consoleDock);

    // Under the inspector, sharing the chart's place (a tab beside it): a lab without a ring has no chart,
    // and the verdicts get its room; with a ring the chart stays in front.
    m_checks = new ChecksPanel(this);
    m_checks->setObjectName(QStringLiteral("ChecksPanel"));
    m_checksDock = new QDockWidget(tr("Checks"), this);
    m_checksDock->setObjectName(QStringLiteral("ChecksDock"));
    m_checksDock->setWidget(m_checks);
    tabifyDockWidget(chartDock, m_checksDock);
    chartDock->raise();
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
    file->addAction(tr("Export &timeline…"), this, &MainWindow::exportTimeline)
        ->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
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
    QAction* addNode = sim->addAction(tr("Add node"), this, [this] { emit commandRequested(QStringLiteral("node add")); });
    addNode->setShortcut(QKeySequence(tr("Ctrl+N")));
    m_simulatorActions = {play, step, back, addNode};
    sim->addAction(tr("Heal network"), this, [this] { emit commandRequested(QStringLiteral("heal")); })
        ->setShortcut(QKeySequence(tr("Ctrl+H")));

    QMenu* cluster = menuBar()->addMenu(tr("C&luster"));
    m_launchCluster = cluster->addAction(tr("&Launch local cluster"), this, [this] { launchLocalCluster(); });
    m_launchCluster->setShortcut(QKeySequence(tr("Ctrl+Shift+L")));
    m_launchCluster->setStatusTip(tr("Run every node of this scenario as a distlab-node process on this machine"));
    m_stopCluster = cluster->addAction(tr("&Stop cluster"), this, &MainWindow::stopCluster);
    m_stopCluster->setShortcut(QKeySequence(tr("Ctrl+Shift+T")));
    m_stopCluster->setStatusTip(tr("End the processes and go back to the simulator"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Ring"), this, [this] { m_tabs->setCurrentWidget(m_ring); })->setShortcut(QKeySequence(tr("Ctrl+1")));
    view->addAction(tr("Loc&ks"), this, [this] { m_tabs->setCurrentWidget(m_locks); })->setShortcut(QKeySequence(tr("Ctrl+2")));
    view->addAction(tr("&Timeline"), this, [this] { m_tabs->setCurrentWidget(m_timelinePage); })
        ->setShortcut(QKeySequence(tr("Ctrl+3")));
    view->addAction(tr("&Queues"), this, [this] { m_tabs->setCurrentWidget(m_queues); })
        ->setShortcut(QKeySequence(tr("Ctrl+4")));
    view->addAction(tr("&Counter"), this, [this] { m_tabs->setCurrentWidget(m_counter); })
        ->setShortcut(QKeySequence(tr("Ctrl+5")));
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
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        QAction* toggle = dock->toggleViewAction();
        if (dock == m_checksDock) {
            toggle->setText(tr("&Checks"));
            toggle->setShortcut(QKeySequence(tr("Ctrl+K")));
            // Showing the panel from the keyboard puts the keyboard in its list.
            connect(toggle, &QAction::triggered, this, [this](bool shown) {
                if (!shown) return;
                m_checksDock->raise();  // in front of the chart it shares a place with
                m_checks->setFocus();
            });
        }
        view->addAction(toggle);
    }

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
    connect(m_controls, &ControlBar::removeRequested, this, [this] { runOnSelected(QStringLiteral("node remove")); });
    connect(m_controls, &ControlBar::pauseNodeRequested, this,
            [this] { runOnSelected(QStringLiteral("node pause"), QStringLiteral(" 2000")); });
    connect(m_controls, &ControlBar::partitionRequested, this, &MainWindow::partitionInTwo);
    connect(m_controls, &ControlBar::healRequested, this, [this] { emit commandRequested(QStringLiteral("heal")); });
    connect(m_console, &ConsoleWidget::commandSubmitted, this, &MainWindow::commandRequested);
    connect(m_ring, &RingView::nodeSelected, this, &MainWindow::setSelectedNode);
    connect(m_locks, &LockView::nodeSelected, this, &MainWindow::setSelectedNode);
    connect(m_queues, &QueueLabPanel::nodeSelected, this, &MainWindow::setSelectedNode);
    connect(m_timeline, &TimelineView::nodeSelected, this, &MainWindow::setSelectedNode);
    connect(m_checks, &ChecksPanel::evidenceRequested, this, &MainWindow::showEvidence);
    connect(m_counter, &CounterPanel::nodeSelected, this, &MainWindow::setSelectedNode);
    connect(m_counter, &CounterPanel::commandRequested, this, &MainWindow::commandRequested);
    connect(m_counter, &CounterPanel::verdictActivated, this, [this](const CheckResult& check) {
        // The run goes to the moment the violation was proven, and the timeline shows its operations.
        showEvidence(check);
        if (check.at >= 0) emit seekRequested(check.at);
        m_tabs->setCurrentWidget(m_timelinePage);
    });
    connect(m_timeline, &TimelineView::messageSelected, this, &MainWindow::showTimelineSelection);
    connect(m_timeline, &TimelineView::eventSelected, this, &MainWindow::showTimelineSelection);
    connect(m_controls, &ControlBar::seekRequested, this, [this](qint64 micros) {
        emit commandRequested(QStringLiteral("seek %1").arg(micros / 1000));
    });
    connect(m_tabs, &QTabWidget::currentChanged, this,
            [this] { emit timelineWanted(m_tabs->currentWidget() == m_timelinePage); });

    SimBridge* bridge = m_bridge.data();
    if (!bridge) return;
    connect(this, &MainWindow::commandRequested, this, [this, bridge](const QString& line) {
        if (networked()) {
            m_net->executeCommand(line);
        } else {
            QMetaObject::invokeMethod(bridge, [bridge, line] { bridge->executeCommand(line); });
        }
    });
    connect(this, &MainWindow::playRequested, bridge, &SimBridge::setPlaying);
    connect(this, &MainWindow::speedRequested, bridge, &SimBridge::setSpeed);
    connect(this, &MainWindow::stepRequested, bridge, &SimBridge::step);
    connect(this, &MainWindow::stepBackRequested, bridge, &SimBridge::stepBack);
    // Another scenario is the simulator's: the processes of this one end first.
    connect(this, &MainWindow::scenarioRequested, this, [this] { stopCluster(); });
    connect(this, &MainWindow::scenarioRequested, bridge, &SimBridge::loadScenario);
    connect(this, &MainWindow::seekRequested, bridge, &SimBridge::seekToTime);
    connect(this, &MainWindow::timelineWanted, bridge, &SimBridge::setTimelineWanted);
    // While real processes are shown, the simulator's pictures wait.
    connect(bridge, &SimBridge::timelineReady, this, [this](TimelinePtr timeline) {
        if (!networked()) m_timeline->setData(timeline);
    });
    connect(bridge, &SimBridge::furthestTimeChanged, m_controls, &ControlBar::setTimeRange);
    connect(bridge, &SimBridge::snapshotReady, this, [this](SnapshotPtr snapshot) {
        if (!networked()) showSnapshot(snapshot);
    });
    connect(bridge, &SimBridge::commandEcho, m_console, &ConsoleWidget::appendCommand);
    connect(bridge, &SimBridge::commandOutput, m_console, &ConsoleWidget::appendOutput);
    connect(bridge, &SimBridge::commandError, m_console, &ConsoleWidget::appendError);
    connect(bridge, &SimBridge::playingChanged, m_controls, &ControlBar::setRunning);
    connect(bridge, &SimBridge::speedChangedTo, m_controls, &ControlBar::setSpeed);
    connect(bridge, &SimBridge::speedChangedTo, this,
            [](double speed) { QSettings().setValue(QStringLiteral("session/speed"), speed); });
    connect(bridge, &SimBridge::scenarioLoaded, this, &MainWindow::onScenarioLoaded);
}

void MainWindow::connectNet() {
    NetBridge* net = m_net.data();
    connect(net, &NetBridge::snapshotReady, this, &MainWindow::showSnapshot);
    connect(this, &MainWindow::timelineWanted, net, &NetBridge::setTimelineWanted);
    connect(net, &NetBridge::timelineReady, m_timeline, &TimelineView::setData);
    connect(net, &NetBridge::commandEcho, m_console, &ConsoleWidget::appendCommand);
    connect(net, &NetBridge::commandOutput, m_console, &ConsoleWidget::appendOutput);
    connect(net, &NetBridge::commandError, m_console, &ConsoleWidget::appendError);
    connect(net, &NetBridge::launched, this, [this](const QString& scenario, int processes) {
        m_console->appendOutput(tr("Launched “%1” as %2 distlab-node processes on 127.0.0.1 (data and logs in %3). "
                                   "Kill and restart act on the real processes; Cluster > Stop cluster goes back to the simulator.")
                                    .arg(scenario)
                                    .arg(processes)
                                    .arg(QDir::toNativeSeparators(m_net->clusterDirectory())));
        emit playRequested(false);
        updateClusterActions();
    });
    connect(net, &NetBridge::stopped, this, [this] {
        updateClusterActions();
        if (SimBridge* bridge = m_bridge.data()) QMetaObject::invokeMethod(bridge, &SimBridge::refresh, Qt::QueuedConnection);
    });
    updateClusterActions();
}

void MainWindow::updateClusterActions() {
    const bool on = networked();
    if (m_launchCluster) m_launchCluster->setEnabled(!on);
    if (m_stopCluster) m_stopCluster->setEnabled(on);
    for (QAction* action : m_simulatorActions) action->setEnabled(!on);
    m_controls->setNetworked(on);
    if (!on) m_controls->setSeed(m_snapshot ? m_snapshot->seed : 0);
    setWindowTitle(on ? tr("Distlab — real processes on this machine") : tr("Distlab — distributed systems laboratory"));
}

bool MainWindow::launchLocalCluster() {
    SimBridge* bridge = m_bridge.data();
    if (!bridge || !m_net) return false;
    // The scenario the window shows, read on the simulation's thread.
    Scenario scenario;
    const auto read = [&] { scenario = bridge->session().scenario(); };
    if (bridge->thread() == QThread::currentThread()) {
        read();
    } else {
        QMetaObject::invokeMethod(bridge, read, Qt::BlockingQueuedConnection);
    }
    m_console->appendCommand(tr("launch local cluster"));
    if (Status launched = m_net->launchLocal(scenario); !launched) {
        m_console->appendError(localizedMessage(launched.error()), localizedHint(launched.error()));
        return false;
    }
    setSelectedNode(QString());
    return true;
}

void MainWindow::stopCluster() {
    if (!networked()) return;
    m_net->stop();
    m_console->appendOutput(tr("Stopped the cluster's processes; the simulator is back."));
}

void MainWindow::showSnapshot(SnapshotPtr snapshot) {
    m_snapshot = snapshot;
    m_ring->setSnapshot(snapshot);
    m_locks->setSnapshot(snapshot);
    m_queues->setSnapshot(snapshot);
    m_counter->setSnapshot(snapshot);
    m_timeline->setPresent(snapshot->now, snapshot->traceEvents);
    if (snapshot->locks.active != m_locksActive || snapshot->txnActive != m_txnActive ||
        snapshot->mq.active != m_mqActive || snapshot->counter.active != m_counterActive) {
        // A lab appeared (or a scenario without one was loaded): show what the class came to see, the lock
        // view for locks, the space-time diagram for transactions, the queues for the queue lab.
        m_locksActive = snapshot->locks.active;
        m_txnActive = snapshot->txnActive;
        m_mqActive = snapshot->mq.active;
        m_counterActive = snapshot->counter.active;
        QWidget* page = m_counterActive ? static_cast<QWidget*>(m_counter)
                        : m_locksActive ? static_cast<QWidget*>(m_locks)
                        : m_mqActive  ? static_cast<QWidget*>(m_queues)
                        : m_txnActive ? m_timelinePage
                                      : static_cast<QWidget*>(m_ring);
        m_tabs->setCurrentWidget(page);
    }
    // Without ring servers there is no load to chart: give its room to the inspector.
    const bool ringServers = std::any_of(snapshot->nodes.begin(), snapshot->nodes.end(),
                                         [](const NodeView& node) { return node.role == NodeRole::Server; });
    if (ringServers != m_ringServers) {
        m_ringServers = ringServers;
        m_chartDock->setVisible(ringServers);
    }
    m_inspector->setSnapshot(snapshot);
    m_checks->setSnapshot(snapshot);
    m_chart->setSnapshot(snapshot);
    m_controls->setTime(snapshot->now);
    m_controls->setSeed(snapshot->seed);
    std::size_t inFlight = snapshot->inFlight.size();
    if (snapshot->networked) {
        m_statusLabel->setText(tr("%1 · %2 processes on this machine · %3 events")
                                   .arg(QString::fromStdString(snapshot->scenarioName))
                                   .arg(snapshot->nodes.size())
                                   .arg(snapshot->events));
        return;
    }
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
    m_queues->setSelectedNode(id);
    m_counter->setSelectedNode(id);
    if (m_timeline->selection().kind == TimelineHit::Kind::None || m_timeline->selection().kind == TimelineHit::Kind::Lane)
        m_timeline->setSelectedNode(id);  // a message or event picked on the timeline stays picked
    m_inspector->setSelectedNode(id);
    m_controls->setNodeActionsEnabled(!id.isEmpty());
}

void MainWindow::showEvidence(const CheckResult& check) {
    if (!check.nodes.empty()) setSelectedNode(QString::fromStdString(check.nodes.front()));
    const QString title = ChecksPanel::titleFor(check.name);
    if (check.at >= 0) {
        const std::uint64_t event = check.events.empty() ? 0 : check.events.front();
        m_timeline->setMarkedMoment(check.at, event, tr("%1 · %2 ms").arg(title).arg(toMillis(check.at), 0, 'f', 1));
    } else {
        m_timeline->setMarkedMoment(-1, 0, QString());
    }
    QString message = tr("%1 %2").arg(title, ChecksPanel::verdictText(check.ok));
    if (!check.nodes.empty()) {
        QStringList nodes;
        for (const std::string& node : check.nodes) nodes << QString::fromStdString(node);
        message += tr(" · nodes: %1").arg(nodes.join(QStringLiteral(", ")));
    }
    if (check.at >= 0) message += tr(" · at %1 ms, marked on the timeline").arg(toMillis(check.at), 0, 'f', 1);
    statusBar()->showMessage(message, 10000);
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

void MainWindow::showTimelineSelection() {
    // The inspector shows nodes only, so a message or event is summed up in the status bar.
    const QString text = m_timeline->toolTipFor(m_timeline->selection());
    m_jumpToEvent->setEnabled(m_timeline->selectedEventTime() >= 0);
    if (!text.isEmpty()) statusBar()->showMessage(QString(text).replace(QLatin1Char('\n'), QStringLiteral(" · ")));
}

void MainWindow::jumpToSelectedEvent() {
    const SimTime at = m_timeline->selectedEventTime();
    if (at < 0) {
        statusBar()->showMessage(tr("Click a message or an event on the timeline first."), 5000);
        return;
    }
    emit seekRequested(at);
}

bool MainWindow::exportTimelineTo(const QString& path, bool visibleWindowOnly, QString* error) {
    const auto data = m_timeline->data();
    if (!data) {
        if (error) *error = tr("The timeline has not been drawn yet.");
        return false;
    }
    TimelineExportOptions options;
    options.logical = m_timeline->logicalSpacing();
    if (visibleWindowOnly) {
        const TimelineScale& scale = m_timeline->scale();
        options.range = std::make_pair(scale.visibleStart(), scale.visibleEnd());
    }
    return distlab::exportTimeline(*data, path, options, error);
}

void MainWindow::exportTimeline() {
    // The tab asks the bridge for the latest timeline while the dialog is open.
    m_tabs->setCurrentWidget(m_timelinePage);
    QString selectedFilter;
    const QString svgFilter = tr("SVG drawings (*.svg)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export timeline"), QStringLiteral("timeline.svg"),
                                                svgFilter + QStringLiteral(";;") + tr("PNG images (*.png)"), &selectedFilter);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += selectedFilter == svgFilter ? QStringLiteral(".svg") : QStringLiteral(".png");
    bool visibleOnly = false;
    if (!m_timeline->followsRun()) {
        // Zoomed in: the class may want the detail on screen, or the whole story.
        QMessageBox ask(QMessageBox::Question, tr("Export timeline"), tr("Export the whole run or only the part in view?"),
                        QMessageBox::NoButton, this);
        QAbstractButton* whole = ask.addButton(tr("Whole run"), QMessageBox::AcceptRole);
        QAbstractButton* visible = ask.addButton(tr("Visible window"), QMessageBox::AcceptRole);
        ask.addButton(QMessageBox::Cancel);
        ask.setDefaultButton(static_cast<QPushButton*>(whole));
        ask.exec();
        if (ask.clickedButton() != whole && ask.clickedButton() != visible) return;
        visibleOnly = ask.clickedButton() == visible;
    }
    QString error;
    if (!exportTimelineTo(path, visibleOnly, &error)) {
        QMessageBox::warning(this, tr("Export timeline"), error);
        return;
    }
    statusBar()->showMessage(tr("Wrote %1.").arg(QDir::toNativeSeparators(path)), 5000);
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
