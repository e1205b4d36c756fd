// distlab: the desktop laboratory. Opens the built-in demo (or a scenario file), or renders one
// screenshot or one timeline drawing offscreen and exits.
#include <QApplication>
#include <QCommandLineParser>
#include <QFontDatabase>
#include <QElapsedTimer>
#include <QImage>
#include <QPointer>
#include <QSettings>
#include <QTabWidget>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <cstdlib>

#include "app/language.h"
#include "app/main_window.h"
#include "widgets/counter_view.h"
#include "app/sim_bridge.h"
#include "app/timeline_export.h"
#include "widgets/console_widget.h"
#include "widgets/lock_view.h"
#include "widgets/queue_lab_panel.h"
#include "widgets/ring_view.h"

using namespace distlab;

namespace {

constexpr int kExitBadInput = 2;
constexpr double kGuiSpeedDefault = 0.25;

bool haveDisplay() {
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
           qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

// A picture to render and exit (--screenshot, --export-timeline): no display needed.
bool wantsPicture(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        for (const char* option : {"--screenshot", "--export-timeline"}) {
            const auto length = qstrlen(option);
            if (qstrcmp(argv[i], option) == 0 || (qstrncmp(argv[i], option, length) == 0 && argv[i][length] == '='))
                return true;
        }
    return false;
}

int fail(const QString& message) {
    std::fprintf(stderr, "distlab: %s\n", qPrintable(message));
    return kExitBadInput;
}

// Keeps the worker thread, the bridge and the window together, and rebuilds the window when the
// language changes so every widget is created again with the new translation.
class Controller : public QObject {
public:
    Controller(SimBridge* bridge, QString language) : m_bridge(bridge), m_language(std::move(language)) {}
    void openWindow() {
        QPointer<MainWindow> old = m_window;
        m_window = new MainWindow(m_bridge, m_language, &m_net);
        m_window->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_window, &MainWindow::languageRequested, this, [this](const QString& language) {
            m_language = language;
            installLanguage(language);
            QSettings().setValue(QStringLiteral("ui/language"), language);
            // Rebuild after the menu's signal has returned.
            QTimer::singleShot(0, this, [this] { openWindow(); });
        });
        if (old) {
            m_window->restoreGeometry(old->saveGeometry());
            m_window->restoreState(old->saveState());
            old->setAttribute(Qt::WA_DeleteOnClose, false);
            old->hide();
            old->deleteLater();
        }
        m_window->show();
        // Ask for a fresh snapshot so the new window draws at once.
        if (m_net.active()) {
            m_net.refresh();
        } else {
            QMetaObject::invokeMethod(m_bridge, [b = m_bridge] { emit b->snapshotReady(b->currentSnapshot()); },
                                      Qt::QueuedConnection);
        }
    }

    void launchCluster() {
        if (m_window) m_window->launchLocalCluster();
    }

private:
    SimBridge* m_bridge;
    NetBridge m_net;  // networked mode outlives a window rebuilt for another language
    QString m_language;
    QPointer<MainWindow> m_window;
};

}  // namespace

int main(int argc, char** argv) {
    const bool picture = wantsPicture(argc, argv);
    if (!haveDisplay()) {
        if (picture) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        } else {
            std::fprintf(stderr,
                         "distlab: no display found (DISPLAY and WAYLAND_DISPLAY are not set).\n"
                         "  Run it in a virtual display:   xvfb-run -a build/bin/distlab\n"
                         "  or render one picture:          build/bin/distlab --screenshot out.png --run-ms 5000\n");
            return kExitBadInput;
        }
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Distlab"));
    QApplication::setApplicationName(QStringLiteral("Distlab"));
    QApplication::setApplicationVersion(QStringLiteral(DISTLAB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A laboratory for distributed systems."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption scenarioOpt(QStringLiteral("scenario"), QStringLiteral("Built-in scenario name or scenario file."),
                                   QStringLiteral("name|file"));
    QCommandLineOption langOpt(QStringLiteral("lang"), QStringLiteral("Interface language: en or zh_CN."),
                               QStringLiteral("language"));
    QCommandLineOption shotOpt(QStringLiteral("screenshot"), QStringLiteral("Render the window to a PNG and exit."),
                               QStringLiteral("out.png"));
    QCommandLineOption runOpt(QStringLiteral("run-ms"), QStringLiteral("Simulated milliseconds to run first."),
                              QStringLiteral("ms"));
    QCommandLineOption sizeOpt(QStringLiteral("size"), QStringLiteral("Window size for screenshots, e.g. 1600x1000."),
                               QStringLiteral("WxH"));
    QCommandLineOption selectOpt(QStringLiteral("select"), QStringLiteral("Select a node, as if clicked (shown in the inspector)."),
                                 QStringLiteral("id"));
    QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Override the scenario's seed."), QStringLiteral("n"));
    QCommandLineOption viewOpt(
        QStringLiteral("view"),
        QStringLiteral("The view in the centre of a screenshot: ring, locks, timeline, queues or counter "
                       "(default: the lab's own view, else ring)."),
        QStringLiteral("ring|locks|timeline|queues|counter"));
    QCommandLineOption exportOpt(
        QStringLiteral("export-timeline"),
        QStringLiteral("Run the scenario to its end (or --run-ms) with its checks, draw its space-time diagram to an "
                       "SVG or PNG, and exit."),
        QStringLiteral("out.svg|out.png"));
    QCommandLineOption exportWidthOpt(QStringLiteral("export-width"),
                                      QStringLiteral("The drawing's width in pixels (default 1600)."),
                                      QStringLiteral("px"));
    QCommandLineOption clusterOpt(
        QStringLiteral("cluster"),
        QStringLiteral("Launch the scenario as local distlab-node processes (Cluster > Launch local cluster). With "
                       "--screenshot, --run-ms is real time to wait (default 3000) before the --command lines."));
    QCommandLineOption commandOpt(QStringLiteral("command"),
                                  QStringLiteral("With --cluster and --screenshot: a console command to give once the "
                                                 "cluster runs; repeatable, each followed by a second of real time."),
                                  QStringLiteral("line"));
    parser.addOptions({scenarioOpt, langOpt, shotOpt, runOpt, sizeOpt, seedOpt, selectOpt, viewOpt, exportOpt,
                       exportWidthOpt, clusterOpt, commandOpt});
    parser.process(app);
    const bool screenshot = parser.isSet(shotOpt);
    const bool exporting = parser.isSet(exportOpt);
    if (screenshot && exporting) return fail(QStringLiteral("--screenshot and --export-timeline: choose one"));
    if (parser.isSet(exportWidthOpt) && !exporting) return fail(QStringLiteral("--export-width needs --export-timeline"));
    const bool cluster = parser.isSet(clusterOpt);
    if (parser.isSet(commandOpt) && !(cluster && screenshot))
        return fail(QStringLiteral("--command needs --cluster and --screenshot (in the window, type it in the console)"));
    if (cluster && exporting) return fail(QStringLiteral("--cluster and --export-timeline: choose one"));
    if (!parser.positionalArguments().isEmpty())
        return fail(QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first()));

    QSettings settings;
    QString language = settings.value(QStringLiteral("ui/language"), systemLanguage()).toString();
    if (parser.isSet(langOpt)) {
        const QString requested = parser.value(langOpt);
        if (requested != QLatin1String("en") && requested != QLatin1String("zh_CN"))
            return fail(QStringLiteral("--lang %1: expected en or zh_CN").arg(requested));
        language = requested;
    }
    language = normalizedLanguage(language);
    if (!installLanguage(language)) std::fprintf(stderr, "distlab: no %s translation found\n", qPrintable(language));

    const QString scenarioName = parser.isSet(scenarioOpt)
                                     ? parser.value(scenarioOpt)
                                     : (picture ? QStringLiteral("demo")
                                                   : settings.value(QStringLiteral("session/scenario"), QStringLiteral("counter")).toString());
    auto scenario = loadScenario(scenarioName.toStdString());
    if (!scenario && !parser.isSet(scenarioOpt)) scenario = loadScenario("counter");  // a stale setting must not lock us out
    if (!scenario)
        return fail(QString::fromStdString(scenario.error().message + (scenario.error().hint.empty() ? "" : "\n  hint: " + scenario.error().hint)));
    if (parser.isSet(seedOpt)) {
        bool ok = false;
        const qulonglong seed = parser.value(seedOpt).toULongLong(&ok);
        if (!ok) return fail(QStringLiteral("--seed %1: expected a non-negative integer").arg(parser.value(seedOpt)));
        scenario->seed = seed;
    }
    SimTime runFor = 0;
    if (parser.isSet(runOpt)) {
        bool ok = false;
        const qlonglong ms = parser.value(runOpt).toLongLong(&ok);
        if (!ok || ms < 0 || ms > kRunMsMax)
            return fail(QStringLiteral("--run-ms %1: expected 0..%2").arg(parser.value(runOpt)).arg(kRunMsMax));
        runFor = millis(ms);
    }
    // A fuzz-written failing run opens where its violation was proven (and, in the window, paused there).
    const bool openAtViolation = !parser.isSet(runOpt) && scenario->openAt >= 0;
    if (openAtViolation) runFor = scenario->openAt;
    QSize size(1600, 1000);
    if (parser.isSet(sizeOpt)) {
        const QStringList parts = parser.value(sizeOpt).split(QLatin1Char('x'));
        bool okW = false, okH = false;
        if (parts.size() == 2) size = QSize(parts[0].toInt(&okW), parts[1].toInt(&okH));
        if (!okW || !okH || size.width() < 640 || size.height() < 400 || size.width() > 7680 || size.height() > 4320)
            return fail(QStringLiteral("--size %1: expected WxH between 640x400 and 7680x4320").arg(parser.value(sizeOpt)));
    }

    const QString view = parser.value(viewOpt);
    if (parser.isSet(viewOpt) && view != QLatin1String("ring") && view != QLatin1String("locks") &&
        view != QLatin1String("timeline") && view != QLatin1String("queues") && view != QLatin1String("counter"))
        return fail(QStringLiteral("--view %1: expected ring, locks, timeline, queues or counter").arg(view));

    if (exporting) {
        if (QFontDatabase::families().isEmpty()) return fail(QStringLiteral("no fonts found; run scripts/setup"));
        TimelineExportOptions options;
        if (parser.isSet(exportWidthOpt)) {
            bool ok = false;
            options.width = parser.value(exportWidthOpt).toInt(&ok);
            if (!ok || options.width < kTimelineExportWidthMin || options.width > kTimelineExportWidthMax)
                return fail(QStringLiteral("--export-width %1: expected %2..%3")
                                .arg(parser.value(exportWidthOpt))
                                .arg(kTimelineExportWidthMin)
                                .arg(kTimelineExportWidthMax));
        }
        const QString out = parser.value(exportOpt);
        const SimTime length = parser.isSet(runOpt) ? runFor : scenario->runFor;
        if (length <= 0) return fail(QStringLiteral("--run-ms 0: a drawing needs a run of at least 1 ms"));
        QString error;
        if (!exportRunTimeline(std::move(scenario).value(), length, out, options, &error)) return fail(error);
        std::printf("wrote %s\n", qPrintable(out));
        return 0;
    }

    if (screenshot) {
        if (QFontDatabase::families().isEmpty()) return fail(QStringLiteral("no fonts found; run scripts/setup"));
        SimBridge bridge(std::move(scenario).value());
        NetBridge net;
        if (!cluster) bridge.runFor(runFor);
        MainWindow window(&bridge, language, &net);
        window.resize(size);
        window.show();
        bridge.refresh();  // draws the snapshot and lists what the schedule did in the console
        if (cluster) {
            const auto waitReal = [](qint64 ms) {
                QElapsedTimer waited;
                waited.start();
                while (waited.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
            };
            if (!window.launchLocalCluster()) return fail(QStringLiteral("the cluster did not launch (see the console)"));
            waitReal(parser.isSet(runOpt) ? runFor / 1000 : 3000);
            for (const QString& line : parser.values(commandOpt)) {
                emit window.commandRequested(line);
                waitReal(1000);
            }
            net.refresh();
            // The charts were rebuilt many times while the cluster ran; without an event loop of its own this
            // path must delete their old axes itself, or they are drawn over the new ones.
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        }
        if (parser.isSet(selectOpt)) emit window.ringView()->nodeSelected(parser.value(selectOpt));
        if (parser.isSet(viewOpt)) {
            QWidget* page = view == QLatin1String("ring")     ? static_cast<QWidget*>(window.ringView())
                            : view == QLatin1String("locks")  ? static_cast<QWidget*>(window.lockView())
                            : view == QLatin1String("queues") ? static_cast<QWidget*>(window.queuePanel())
                            : view == QLatin1String("counter") ? static_cast<QWidget*>(window.counterPanel())
                                                              : window.timelinePage();
            window.centralTabs()->setCurrentWidget(page);
        }
        QCoreApplication::processEvents();
        const QImage image = window.grab().toImage();
        const QString out = parser.value(shotOpt);
        if (!image.save(out)) return fail(QStringLiteral("cannot write %1").arg(out));
        std::printf("wrote %s (%dx%d)\n", qPrintable(out), image.width(), image.height());
        return 0;
    }

    // The simulation lives on its own thread; the UI only draws snapshots.
    auto* bridge = new SimBridge(std::move(scenario).value());
    if (runFor > 0) bridge->runFor(runFor);
    QThread worker;
    worker.setObjectName(QStringLiteral("simulation"));
    bridge->moveToThread(&worker);
    QObject::connect(&worker, &QThread::finished, bridge, &QObject::deleteLater);
    worker.start();
    Controller controller(bridge, language);
    controller.openWindow();
    if (cluster) QTimer::singleShot(0, &controller, [&controller] { controller.launchCluster(); });
    // Console lines the bridge wrote before the window existed are published with the first frame.
    QMetaObject::invokeMethod(bridge, &SimBridge::start, Qt::QueuedConnection);
    // A slow start, so that a class can follow single messages; the speed control goes up to x1000.
    const double speed = settings.value(QStringLiteral("session/speed"), kGuiSpeedDefault).toDouble();
    QMetaObject::invokeMethod(bridge, [bridge, speed, openAtViolation] {
        bridge->setSpeed(speed);
        bridge->setPlaying(!openAtViolation);
    }, Qt::QueuedConnection);
    const int rc = app.exec();
    worker.quit();
    worker.wait();
    return rc;
}
