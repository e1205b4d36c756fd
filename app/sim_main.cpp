// distlab-sim: the headless laboratory. It runs on core/ alone, so everything the GUI shows can be run,
// checked and measured from a terminal or a test. It links no Qt: --svg asks the desktop app beside it
// (distlab --export-timeline) to draw the same run, offscreen, with the Timeline tab's own drawing code.
//
// Exit codes: 0 success, 1 a check failed, 2 bad input.
#include <boost/program_options.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "core/check/history_generator.h"
#include "core/check/linearizability.h"
#include "core/protocols/ring/ring_bench.h"
#include "core/labs/counter/counter_fuzz.h"
#include "core/session/seek_bench.h"
#include "core/protocols/ring/hash_ring.h"
#include "core/session/session.h"
#include "core/sim/kernel_bench.h"

namespace po = boost::program_options;
using namespace distlab;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitCheckFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitUnknown = 3;  // check: the search ran out of time
constexpr int kSvgWidthDefault = 1600;  // as app/timeline_export.h's limits, which distlab checks again
constexpr int kSvgWidthMin = 400;
constexpr int kSvgWidthMax = 16000;

// Runs the desktop app next to this executable with `args` (headless: offscreen unless the caller chose a
// platform) and waits for it. It prints its own errors; `error` says what failed.
bool drawWithTheApp(const std::vector<std::string>& args, std::string& error) {
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::filesystem::path app = self.parent_path() / "distlab";
    if (ec || !std::filesystem::exists(app)) {
        error = "the drawing is made by the desktop app, and " + app.string() + " was not found";
        return false;
    }
    std::vector<std::string> argv = {app.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> argp;
    for (std::string& arg : argv) argp.push_back(arg.data());
    argp.push_back(nullptr);
    setenv("QT_QPA_PLATFORM", "offscreen", /*overwrite=*/0);  // the child inherits it; a caller's choice stays
    // Its "wrote ..." would break --json's output: only its errors (stderr) come through.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argp[0], &actions, nullptr, argp.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        error = "cannot start " + app.string() + ": " + std::strerror(rc);
        return false;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            error = std::string("waiting for the app failed: ") + std::strerror(errno);
            return false;
        }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    error = WIFEXITED(status) ? "the app could not draw the run (exit code " + std::to_string(WEXITSTATUS(status)) + ")"
                              : "the app stopped on signal " + std::to_string(WTERMSIG(status));
    return false;
}

const char* const kUsage =
    "usage: distlab-sim <command> [options]\n"
    "\n"
    "commands:\n"
    "  list                              the built-in scenarios, one per line\n"
    "  run [NAME|FILE.json] [options]    run a scenario (default: demo) and print a summary\n"
    "      --seed N        override the scenario's seed\n"
    "      --run-ms T      simulated milliseconds to run before the checks\n"
    "      --trace OUT     write the trace as JSON lines\n"
    "      --history OUT   write the client operations as a history for 'check' (JSON lines)\n"
    "      --json          print the summary as one JSON object\n"
    "      --svg OUT.svg   draw the run's space-time diagram (the whole run, fitted)\n"
    "      --svg-width W   the diagram's width in pixels (default 1600)\n"
    "  check HISTORY.jsonl --model M [--json] [--timeout S]\n"
    "                                    is the client history linearizable? M: counter, register,\n"
    "                                    cas-register or kv; exit 0 yes, 1 no, 2 malformed, 3 unknown (out\n"
    "                                    of time; default 60 s)\n"
    "  fuzz [NAME|FILE.json] --seeds N [--from S] [--faults F,...] [--break SWITCH]...\n"
    "       [--run-ms T] [--out FILE] [--json]\n"
    "                                    the counter (default) under random faults, one run per seed, on\n"
    "                                    every core; F: kill, restart, partition, drop, duplicate, pause\n"
    "                                    (the default), members (replicas removed and added); the first\n"
    "                                    failing seed's scenario is written to\n"
    "                                    FILE (default NAME-fuzz-SEED.json); exit 1 when a check failed\n"
    "  bench ring [--nodes N] [--vnodes V] [--json]\n"
    "  bench kernel [--events N] [--json]\n"
    "  bench seek [NAME] [--events N] [--seeks S] [--seed N] [--json]\n"
    "                                    time travel: random seeks in a run of N events\n"
    "  bench check [--model M] [--ops N] [--clients C] [--keys K] [--unknown P] [--delta-max D] [--json]\n"
    "                                    the linearizability checker on a generated history\n"
    "  help                              this text\n";

int badInput(const std::string& message, const std::string& hint = {}) {
    std::cerr << "distlab-sim: " << message << "\n";
    if (!hint.empty()) std::cerr << "  hint: " << hint << "\n";
    return kExitBadInput;
}

// Parses the options of one subcommand; unknown options and stray words are errors.
bool parseOptions(const std::vector<std::string>& args, const po::options_description& options,
                  const po::positional_options_description& positional, po::variables_map& vm, std::string& error) {
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
        po::notify(vm);
        return true;
    } catch (const po::error& e) {
        error = e.what();
        return false;
    }
}

int commandList() {
    for (const auto& scenario : builtinScenarios()) std::cout << scenario.name << "\t" << scenario.description << "\n";
    return kExitOk;
}

int commandRun(const std::vector<std::string>& args) {
    po::options_description options;
    options.add_options()("scenario", po::value<std::string>()->default_value("demo"))(
        "seed", po::value<std::uint64_t>())("run-ms", po::value<std::int64_t>())("trace", po::value<std::string>())(
        "json", po::bool_switch())("svg", po::value<std::string>())("svg-width", po::value<int>())(
        "history", po::value<std::string>());
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::variables_map vm;
    std::string error;
    if (!parseOptions(args, options, positional, vm, error)) return badInput("run: " + error, "see 'distlab-sim help'");

    auto scenario = loadScenario(vm["scenario"].as<std::string>());
    if (!scenario) return badInput(scenario.error().message, scenario.error().hint);
    if (vm.count("seed")) scenario->seed = vm["seed"].as<std::uint64_t>();
    SimTime runFor = scenario->runFor;
    if (vm.count("run-ms")) {
        const auto ms = vm["run-ms"].as<std::int64_t>();
        if (ms < 1 || ms > kRunMsMax)
            return badInput("--run-ms " + std::to_string(ms) + ": expected 1.." + std::to_string(kRunMsMax));
        runFor = millis(ms);
    }
    std::ofstream traceFile;
    if (vm.count("trace")) {
        traceFile.open(vm["trace"].as<std::string>(), std::ios::binary);
        if (!traceFile) return badInput("cannot write the trace to '" + vm["trace"].as<std::string>() + "'");
    }

    std::ofstream historyFile;
    if (vm.count("history")) {
        historyFile.open(vm["history"].as<std::string>(), std::ios::binary);
        if (!historyFile) return badInput("cannot write the history to '" + vm["history"].as<std::string>() + "'");
    }

    std::string svgPath;
    int svgWidth = kSvgWidthDefault;
    if (vm.count("svg")) svgPath = vm["svg"].as<std::string>();
    if (vm.count("svg-width")) {
        if (svgPath.empty()) return badInput("--svg-width needs --svg OUT.svg");
        svgWidth = vm["svg-width"].as<int>();
        if (svgWidth < kSvgWidthMin || svgWidth > kSvgWidthMax)
            return badInput("--svg-width " + std::to_string(svgWidth) + ": expected " + std::to_string(kSvgWidthMin) +
                            ".." + std::to_string(kSvgWidthMax));
    }
    if (!svgPath.empty() && (svgPath.size() < 4 || svgPath.compare(svgPath.size() - 4, 4, ".svg") != 0))
        return badInput("--svg " + svgPath + ": the file name must end in .svg");

    Session session(std::move(scenario).value());
    const bool json = vm["json"].as<bool>();
    if (!json) std::cout << "scenario " << session.scenario().name << ", seed " << session.seed() << "\n";
    const std::vector<CheckResult> checks = session.runToEndAndCheck(runFor);
    if (traceFile.is_open()) {
        session.world().trace().writeJsonLines(traceFile);
        if (!traceFile.flush()) return badInput("writing the trace failed");
    }
    if (historyFile.is_open()) {
        // The operations the history format knows (the protocols' own records, such as 2PC votes, stay out).
        const auto clientOperation = [](const ClientOp& op) {
            for (const char* f : {"incr", "read", "write", "cas", "get", "put", "append"})
                if (op.f == f) return true;
            return false;
        };
        for (const lin::HistoryEvent& event : lin::historyOfTrace(session.world().trace(), clientOperation))
            historyFile << lin::toJsonLine(event) << "\n";
        if (!historyFile.flush()) return badInput("writing the history failed");
    }
    if (!svgPath.empty()) {
        // The same scenario, seed and length give the same run (and trace) in the app.
        std::string error;
        if (!drawWithTheApp({"--lang", "en", "--scenario", vm["scenario"].as<std::string>(), "--seed",
                             std::to_string(session.seed()), "--run-ms", std::to_string(runFor / kMicrosPerMilli),
                             "--export-timeline", svgPath, "--export-width", std::to_string(svgWidth)},
                            error))
            return badInput("--svg: " + error);
    }
    bool allOk = true;
    for (const auto& check : checks) allOk &= check.ok;

    if (json) {
        std::cout << session.summaryJson(checks).dump() << "\n";
    } else {
        const Json summary = session.summaryJson(checks);
        const auto& m = summary["messages"];
        std::cout << "simulated " << summary["sim_ms"].get<double>() << " ms, " << summary["events"] << " events\n"
                  << "messages: " << m["sent"] << " sent, " << m["delivered"] << " delivered, " << m["dropped"]
                  << " dropped, " << m["duplicated"] << " duplicated\n";
        for (const auto& entry : session.scheduleLog()) std::cout << "  " << entry.line() << "\n";
        for (const auto& check : checks)
            std::cout << (check.ok ? "PASS " : "FAIL ") << check.name << ": " << check.explanation << "\n";
    }
    return allOk ? kExitOk : kExitCheckFailed;
}

int commandBench(const std::vector<std::string>& args) {
    if (args.empty()) return badInput("bench: say what to measure: ring, kernel or seek");
    const std::string what = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    po::positional_options_description none;
    po::variables_map vm;
    std::string error;
    if (what == "ring") {
        po::options_description options;
        options.add_options()("nodes", po::value<int>()->default_value(1000))(
            "vnodes", po::value<int>()->default_value(160))("json", po::bool_switch());
        if (!parseOptions(rest, options, none, vm, error)) return badInput("bench ring: " + error);
        const int nodes = vm["nodes"].as<int>();
        const int vnodes = vm["vnodes"].as<int>();
        if (nodes < 1 || nodes > int(ring::kNodesMax)) return badInput("--nodes: expected 1.." + std::to_string(ring::kNodesMax));
        if (vnodes < 1 || vnodes > ring::kVnodesMax) return badInput("--vnodes: expected 1.." + std::to_string(ring::kVnodesMax));
        const auto r = ring::benchRing(nodes, vnodes);
        if (vm["json"].as<bool>()) {
            std::cout << Json{{"nodes", r.nodes}, {"vnodes", r.vnodes}, {"lookups", r.lookups}, {"ring_ns", r.ringNs},
                              {"jump_ns", r.jumpNs}, {"ratio", r.ratio()}}
                             .dump()
                      << "\n";
        } else {
            std::printf("ring %d nodes x %d vnodes: %.2f ns/lookup; jump hash: %.2f ns/lookup; ratio %.3f\n", r.nodes,
                        r.vnodes, r.ringNs, r.jumpNs, r.ratio());
        }
        return kExitOk;
    }
    if (what == "kernel") {
        po::options_description options;
        options.add_options()("events", po::value<std::uint64_t>()->default_value(1'000'000))("json", po::bool_switch());
        if (!parseOptions(rest, options, none, vm, error)) return badInput("bench kernel: " + error);
        const auto events = vm["events"].as<std::uint64_t>();
        if (events < 1000 || events > 50'000'000) return badInput("--events: expected 1000..50000000");
        const auto r = benchKernel(events);
        if (vm["json"].as<bool>()) {
            std::cout << Json{{"events", r.events}, {"kernel_eps", r.kernelEps}, {"baseline_eps", r.baselineEps},
                              {"ratio", r.ratio()}}
                             .dump()
                      << "\n";
        } else {
            std::printf("kernel: %.0f events/s; bare priority_queue: %.0f events/s; ratio %.3f\n", r.kernelEps,
                        r.baselineEps, r.ratio());
        }
        return kExitOk;
    }
    if (what == "seek") {
        po::options_description options;
        options.add_options()("scenario", po::value<std::string>()->default_value("demo"))(
            "events", po::value<std::uint64_t>()->default_value(1'000'000))(
            "seeks", po::value<std::uint64_t>()->default_value(20))("seed", po::value<std::uint64_t>()->default_value(1))(
            "json", po::bool_switch());
        po::positional_options_description scenario;
        scenario.add("scenario", 1);
        if (!parseOptions(rest, options, scenario, vm, error)) return badInput("bench seek: " + error);
        const auto events = vm["events"].as<std::uint64_t>();
        const auto seeks = vm["seeks"].as<std::uint64_t>();
        if (events < 1000 || events > 5'000'000) return badInput("--events: expected 1000..5000000");
        if (seeks < 1 || seeks > 10'000) return badInput("--seeks: expected 1..10000");
        const auto r = benchSeek(vm["scenario"].as<std::string>(), events, seeks, vm["seed"].as<std::uint64_t>());
        if (!r) return badInput("bench seek: " + r.error().message, r.error().hint);
        if (vm["json"].as<bool>()) {
            std::cout << Json{{"scenario", r->scenario}, {"seed", r->seed}, {"events", r->events}, {"seeks", r->seeks},
                              {"run_ms", r->runMs}, {"seek_mean_ms", r->seekMeanMs}, {"seek_max_ms", r->seekMaxMs},
                              {"checkpoints", r->checkpoints}, {"checkpoint_interval", r->interval}, {"ratio", r->ratio()}}
                             .dump()
                      << "\n";
        } else {
            std::printf("seek in %s (seed %llu), %llu events: run from the start %.0f ms; %llu random seeks: mean %.1f ms, "
                        "max %.1f ms; ratio %.4f; %llu checkpoints every %llu events\n",
                        r->scenario.c_str(), static_cast<unsigned long long>(r->seed),
                        static_cast<unsigned long long>(r->events), r->runMs, static_cast<unsigned long long>(r->seeks),
                        r->seekMeanMs, r->seekMaxMs, r->ratio(), static_cast<unsigned long long>(r->checkpoints),
                        static_cast<unsigned long long>(r->interval));
        }
        return kExitOk;
    }
    if (what == "check") {
        po::options_description options;
        options.add_options()("model", po::value<std::string>()->default_value("counter"))(
            "ops", po::value<std::size_t>()->default_value(10'000))("clients", po::value<int>()->default_value(10))(
            "keys", po::value<int>()->default_value(1))("delta-max", po::value<int>()->default_value(1))("unknown", po::value<double>()->default_value(0.05))(
            "seed", po::value<std::uint64_t>()->default_value(1))("json", po::bool_switch());
        if (!parseOptions(rest, options, none, vm, error)) return badInput("bench check: " + error);
        const auto model = lin::parseModel(vm["model"].as<std::string>());
        if (!model) return badInput("--model: expected counter, register, cas-register or kv");
        lin::GeneratorOptions gen;
        gen.model = *model;
        gen.operations = vm["ops"].as<std::size_t>();
        gen.clients = vm["clients"].as<int>();
        gen.keys = vm["keys"].as<int>();
        gen.unknownRate = vm["unknown"].as<double>();
        gen.seed = vm["seed"].as<std::uint64_t>();
        gen.deltaMax = vm["delta-max"].as<int>();
        if (gen.deltaMax < 1 || gen.deltaMax > 1000) return badInput("--delta-max: expected 1..1000");
        if (gen.operations < 1 || gen.operations > 1'000'000) return badInput("--ops: expected 1..1000000");
        if (gen.clients < 1 || gen.clients > 1000) return badInput("--clients: expected 1..1000");
        if (gen.keys < 1 || gen.keys > 10'000) return badInput("--keys: expected 1..10000");
        if (!(gen.unknownRate >= 0 && gen.unknownRate <= 0.5)) return badInput("--unknown: expected 0..0.5");
        // The baseline, in the same process: reading the same history back from its JSON lines.
        const auto history = lin::generateHistory(gen);
        std::string text;
        for (const auto& event : history) text += lin::toJsonLine(event) + "\n";
        const auto t0 = std::chrono::steady_clock::now();
        auto parsed = lin::parseHistory(text, "generated");
        auto ops = parsed ? lin::opsOf(parsed.value(), "generated") : Result<std::vector<lin::Operation>>(parsed.error());
        const auto t1 = std::chrono::steady_clock::now();
        if (!ops) return badInput("bench check: " + ops.error().message);
        auto result = lin::checkLinearizability(ops.value(), *model);
        const auto t2 = std::chrono::steady_clock::now();
        if (!result) return badInput("bench check: " + result.error().message);
        const double parseMs = std::chrono::duration<double, std::milli>(t1 - t0).count();
        const double checkMs = std::chrono::duration<double, std::milli>(t2 - t1).count();
        const double ratio = parseMs > 0 ? checkMs / parseMs : 0;
        if (vm["json"].as<bool>()) {
            std::cout << Json{{"model", std::string(lin::modelName(*model))}, {"operations", result->operations},
                              {"unknown", result->unknown}, {"clients", gen.clients}, {"keys", gen.keys},
                              {"verdict", std::string(lin::verdictName(result->verdict))}, {"steps", result->steps},
                              {"parse_ms", parseMs}, {"check_ms", checkMs}, {"ratio", ratio}}
                             .dump()
                      << "\n";
        } else {
            std::printf("check %s, %zu operations (%zu unknown), %d clients, %d keys: %s in %.1f ms (%llu steps); "
                        "reading the history %.1f ms; ratio %.2f\n",
                        std::string(lin::modelName(*model)).c_str(), result->operations, result->unknown, gen.clients,
                        gen.keys, std::string(lin::verdictName(result->verdict)).c_str(), checkMs,
                        static_cast<unsigned long long>(result->steps), parseMs, ratio);
        }
        return result->verdict == lin::Verdict::Linearizable ? kExitOk : kExitCheckFailed;
    }
    return badInput("bench: unknown benchmark '" + what + "'", "use 'bench ring', 'bench kernel', 'bench seek' or 'bench check'");
}

// One fuzz seed: its scenario run to the end and checked.
struct FuzzRun {
    std::uint64_t seed = 0;
    bool violated = false;
    std::vector<CheckResult> failed;  // the checks that failed
    std::uint64_t ops = 0;            // client operations invoked
    double simMs = 0;
};

FuzzRun runFuzzScenario(const Scenario& scenario) {
    FuzzRun run;
    run.seed = scenario.seed;
    Session session(scenario);
    for (const CheckResult& check : session.runToEndAndCheck(scenario.runFor))
        if (!check.ok) run.failed.push_back(check);
    run.violated = !run.failed.empty();
    for (const ClientOp& op : session.world().trace().clientOps())
        if (op.phase == OpPhase::Invoke && (op.f == "incr" || op.f == "read")) ++run.ops;
    run.simMs = toMillis(session.world().now());
    return run;
}

int commandFuzz(const std::vector<std::string>& args) {
    po::options_description options;
    options.add_options()("scenario", po::value<std::string>()->default_value("counter"))(
        "seeds", po::value<std::uint64_t>())("from", po::value<std::uint64_t>()->default_value(1))(
        "faults", po::value<std::string>())("break", po::value<std::vector<std::string>>())(
        "run-ms", po::value<std::int64_t>()->default_value(10'000))("out", po::value<std::string>())(
        "json", po::bool_switch());
    po::positional_options_description positional;
    positional.add("scenario", 1);
    po::variables_map vm;
    std::string error;
    if (!parseOptions(args, options, positional, vm, error)) return badInput("fuzz: " + error, "see 'distlab-sim help'");
    if (!vm.count("seeds")) return badInput("fuzz: --seeds N is missing", "distlab-sim fuzz counter --seeds 200");
    const std::uint64_t seeds = vm["seeds"].as<std::uint64_t>();
    const std::uint64_t from = vm["from"].as<std::uint64_t>();
    if (seeds < 1 || seeds > 10'000'000) return badInput("fuzz: --seeds: expected 1..10000000");
    if (from > kSeedMax || seeds - 1 > kSeedMax - from) return badInput("fuzz: --from: the seeds must stay in 0.." + std::to_string(kSeedMax));
    FuzzOptions fuzz;
    if (vm.count("faults")) {
        auto faults = parseFuzzFaults(vm["faults"].as<std::string>());
        if (!faults) return badInput(faults.error().message, faults.error().hint);
        fuzz.faults = faults.value();
    }
    if (vm.count("break")) fuzz.breaks = vm["break"].as<std::vector<std::string>>();
    const std::int64_t runMs = vm["run-ms"].as<std::int64_t>();
    if (runMs < 1000 || runMs > kRunMsMax) return badInput("fuzz: --run-ms: expected 1000.." + std::to_string(kRunMsMax));
    fuzz.runFor = millis(runMs);
    auto base = loadScenario(vm["scenario"].as<std::string>());
    if (!base) return badInput(base.error().message, base.error().hint);
    if (auto first = fuzzScenario(base.value(), from, fuzz); !first) return badInput(first.error().message, first.error().hint);

    // Seeds are handed out in order to one thread per core; each run is a world of its own.
    const auto started = std::chrono::steady_clock::now();
    std::vector<FuzzRun> runs(seeds);
    std::atomic<std::uint64_t> next{0};
    std::atomic<std::uint64_t> firstFailure{seeds};
    const unsigned threads = std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), unsigned(std::min<std::uint64_t>(seeds, 64))));
    auto work = [&] {
        for (std::uint64_t i = next++; i < seeds; i = next++) {
            auto scenario = fuzzScenario(base.value(), from + i, fuzz);
            runs[i] = runFuzzScenario(scenario.value());
            if (runs[i].violated) {
                std::uint64_t seen = firstFailure.load();
                while (i < seen && !firstFailure.compare_exchange_weak(seen, i)) {}
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
    for (std::thread& t : pool) t.join();
    const double wallMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

    const std::uint64_t ran = seeds;
    std::uint64_t ops = 0;
    std::uint64_t violations = 0;
    double simMs = 0;
    for (std::uint64_t i = 0; i < ran; ++i) {
        ops += runs[i].ops;
        simMs += runs[i].simMs;
        violations += runs[i].violated ? 1 : 0;
    }
    Json summary{{"scenario", base->name}, {"seeds", ran}, {"violations", violations},
                 {"first_failing_seed", nullptr}, {"ops", ops}, {"sim_ms", simMs}, {"wall_ms", wallMs},
                 {"threads", threads}};
    Json breaks = Json::array();
    for (const std::string& b : fuzz.breaks) breaks.push_back(b);
    summary["break"] = breaks;
    summary["seeds_per_minute"] = wallMs > 0 ? double(ran) * 60'000.0 / wallMs : 0.0;
    // Simulated time per second of one core's wall time (each thread runs one seed at a time).
    summary["sim_per_wall"] = wallMs > 0 ? simMs / (wallMs * threads) : 0.0;
    std::string written;
    if (firstFailure.load() < seeds) {
        const FuzzRun& failed = runs[firstFailure.load()];
        summary["first_failing_seed"] = failed.seed;
        Json checks = Json::array();
        for (const CheckResult& c : failed.failed) checks.push_back(Json{{"name", c.name}, {"explanation", c.explanation}});
        summary["failed_checks"] = checks;
        written = vm.count("out") ? vm["out"].as<std::string>() : base->name + "-fuzz-" + std::to_string(failed.seed) + ".json";
        Scenario scenario = fuzzScenario(base.value(), failed.seed, fuzz).value();
        // The app opens the file paused where the first failing check was proven.
        const CheckResult* first = nullptr;
        for (const CheckResult& c : failed.failed)
            if (c.at >= 0 && (!first || c.at < first->at)) first = &c;
        // A check of the final state (the replicas' values at quiescence) has no moment: the run's end.
        scenario.openAt = first ? std::min(scenario.runFor, millis((first->at + kMicrosPerMilli - 1) / kMicrosPerMilli))
                                : scenario.runFor;
        summary["open_at_ms"] = scenario.openAt / kMicrosPerMilli;
        char at[32];
        std::snprintf(at, sizeof at, "%.2f", double(scenario.openAt) / kMicrosPerSecond);
        const std::string name = first ? first->name : failed.failed.empty() ? std::string() : failed.failed.front().name;
        scenario.description += first ? " It opens at " + std::string(at) + " s, where the check '" + name + "' fails."
                                      : " It opens at its end, " + std::string(at) + " s, where the check '" + name +
                                            "' judges the final state.";
        std::ofstream file(written, std::ios::binary);
        file << scenarioToJson(scenario).dump(2) << "\n";
        if (!file.flush()) return badInput("fuzz: cannot write the failing scenario to '" + written + "'");
        summary["scenario_file"] = written;
    }
    if (vm["json"].as<bool>()) {
        std::cout << summary.dump() << "\n";
    } else {
        std::cout << "fuzz " << base->name << ": " << ran << " seeds from " << from << ", " << violations
                  << " with a violation, " << ops << " operations, "
                  << simMs / 1000 << " simulated s in " << wallMs / 1000 << " s on " << threads << " threads\n";
        if (written.empty()) {
            std::cout << "no violation\n";
        } else {
            std::cout << "seed " << summary["first_failing_seed"] << " fails:\n";
            for (const CheckResult& c : runs[firstFailure.load()].failed)
                std::cout << "  FAIL " << c.name << ": " << c.explanation << "\n";
            std::cout << "reproduce: distlab-sim run " << written << "   (or distlab --scenario " << written << ")\n";
        }
    }
    return written.empty() ? kExitOk : kExitCheckFailed;
}

int commandCheck(const std::vector<std::string>& args) {
    po::options_description options;
    options.add_options()("history", po::value<std::string>())("model", po::value<std::string>())(
        "json", po::bool_switch())("timeout", po::value<double>()->default_value(60.0));
    po::positional_options_description positional;
    positional.add("history", 1);
    po::variables_map vm;
    std::string error;
    if (!parseOptions(args, options, positional, vm, error)) return badInput("check: " + error, "see 'distlab-sim help'");
    if (!vm.count("history")) return badInput("check: name the history file", "distlab-sim check HISTORY.jsonl --model counter");
    if (!vm.count("model")) return badInput("check: --model is missing", "one of counter, register, cas-register, kv");
    const auto model = lin::parseModel(vm["model"].as<std::string>());
    if (!model)
        return badInput("check: --model " + vm["model"].as<std::string>() + ": unknown",
                        "one of counter, register, cas-register, kv");
    const double timeout = vm["timeout"].as<double>();
    if (!(timeout > 0 && timeout <= 86'400)) return badInput("check: --timeout: expected 0 to 86400 seconds");
    const std::string path = vm["history"].as<std::string>();
    auto history = lin::loadHistoryFile(path);
    if (!history) return badInput(history.error().message, history.error().hint);
    auto ops = lin::opsOf(history.value(), path);
    if (!ops) return badInput(ops.error().message, ops.error().hint);
    lin::CheckOptions check;
    check.stepsMax = 200'000'000;
    check.deadline = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(timeout));
    auto result = lin::checkLinearizability(ops.value(), *model, check);
    if (!result) return badInput(path + ": " + result.error().message);
    if (vm["json"].as<bool>()) {
        std::cout << lin::resultToJson(result.value(), *model).dump() << "\n";
    } else {
        std::cout << path << ": " << lin::verdictName(result->verdict) << " (" << result->operations << " operations, "
                  << result->unknown << " unknown, " << result->keys << " keys, model " << lin::modelName(*model) << ", "
                  << result->steps << " search steps)\n";
        if (result->verdict == lin::Verdict::NotLinearizable) std::cout << "  " << result->explanation << "\n";
        if (result->verdict == lin::Verdict::Unknown)
            std::cout << "  the search of key '" << result->unknownKey << "' ran out of time; raise --timeout\n";
    }
    switch (result->verdict) {
        case lin::Verdict::Linearizable: return kExitOk;
        case lin::Verdict::NotLinearizable: return kExitCheckFailed;
        case lin::Verdict::Unknown: return kExitUnknown;
    }
    return kExitUnknown;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return kExitBadInput;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "help" || command == "--help" || command == "-h") {
        std::cout << kUsage;
        return kExitOk;
    }
    if (command == "list") return args.empty() ? commandList() : badInput("list takes no arguments");
    if (command == "run") return commandRun(args);
    if (command == "bench") return commandBench(args);
    if (command == "check") return commandCheck(args);
    if (command == "fuzz") return commandFuzz(args);
    return badInput("unknown command '" + command + "'", "commands: list, run, check, fuzz, bench, help");
}
