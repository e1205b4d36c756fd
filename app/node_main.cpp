// distlab-node: one node of a cluster as a real process. It runs the process a scenario's lab would start
// for its id (the same protocol class the simulator runs) over TCP, with its durable state in a directory.
// It links core/ only.
//
//   distlab-node --id cn-n1 --scenario counter --listen 127.0.0.1:7001 --data-dir DIR
//                --peer cn-n2=127.0.0.1:7002 --peer cn-broker=127.0.0.1:7000 [--cluster-key-file FILE]
//   distlab-node --config node.json        (the same settings as JSON; flags given as well win)
//   distlab-node --generate-key FILE       (a new cluster key, readable by its owner only)
//
// Exit codes: 0 stopped by SIGTERM or SIGINT, 1 could not start (listen, data directory), 2 bad input,
// 3 halted (its disk failed), 4 crashed on an observer's admin_crash.
#include <utility>  // before Asio (Boost 1.74 under C++20)

#include <boost/asio.hpp>
#include <boost/program_options.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <tuple>
#include <vector>

#include "core/net/node_host.h"
#include "core/session/node_roles.h"
#include "core/session/session.h"

namespace po = boost::program_options;
using namespace distlab;

namespace {

constexpr int kExitStartFailed = 1;
constexpr int kExitBadInput = 2;
constexpr std::int64_t kTimeoutMsMax = 24LL * 3600 * 1000;

int badInput(const std::string& message, const std::string& hint = {}) {
    std::cerr << "distlab-node: " << message << "\n";
    if (!hint.empty()) std::cerr << "  " << hint << "\n";
    return kExitBadInput;
}

// Writes `text` to `path` whole or not at all: a launcher polling the file never reads half of it.
bool writeAtomically(const std::string& path, const std::string& text, mode_t mode, std::string& error) {
    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) {
            error = "cannot write '" + temp + "'";
            return false;
        }
        out << text;
        out.flush();
        if (!out) {
            error = "cannot write '" + temp + "'";
            return false;
        }
    }
    ::chmod(temp.c_str(), mode);
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        error = "cannot rename '" + temp + "' to '" + path + "': " + ec.message();
        return false;
    }
    return true;
}

struct Settings {
    std::string id, scenario = "counter", listen = "127.0.0.1:0", dataDir, keyFile, portFile, historyPath,
        logLevel = "info";
    std::vector<std::string> peers;  // ID=HOST:PORT
    std::string join, advertise;     // HOST:PORT
    std::int64_t handshakeTimeoutMs = 5000, idleTimeoutMs = 30000, pingMs = 10000;
};

// Reads the --config file's settings into `settings`; flags given on the command line are applied after.
Status readConfig(const std::string& path, Settings& settings) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError("cannot read the config file '" + path + "'");
    Json json = Json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return makeError("config file '" + path + "': not a JSON object");
    const auto text = [&](const char* key, std::string& out) -> Status {
        if (!json.contains(key)) return Ok{};
        if (!json[key].is_string()) return makeError("config file '" + path + "': \"" + key + "\" must be a string");
        out = json[key].get<std::string>();
        return Ok{};
    };
    for (auto [key, field] : {std::pair{"id", &settings.id}, {"scenario", &settings.scenario}, {"listen", &settings.listen},
                              {"data_dir", &settings.dataDir}, {"cluster_key_file", &settings.keyFile},
                              {"port_file", &settings.portFile}, {"history", &settings.historyPath},
                              {"log_level", &settings.logLevel}, {"join", &settings.join}, {"advertise", &settings.advertise}})
        if (Status read = text(key, *field); !read) return read;
    if (json.contains("peers")) {
        if (!json["peers"].is_object())
            return makeError("config file '" + path + "': \"peers\" must be an object of id: \"HOST:PORT\"");
        for (const auto& [id, address] : json["peers"].items()) {
            if (!address.is_string()) return makeError("config file '" + path + "': peers." + id + " must be \"HOST:PORT\"");
            settings.peers.push_back(id + "=" + address.get<std::string>());
        }
    }
    for (auto [key, field] : {std::pair{"handshake_timeout_ms", &settings.handshakeTimeoutMs},
                              {"idle_timeout_ms", &settings.idleTimeoutMs}, {"ping_ms", &settings.pingMs}}) {
        if (!json.contains(key)) continue;
        if (!json[key].is_number_integer()) return makeError("config file '" + path + "': \"" + key + "\" must be an integer");
        *field = json[key].get<std::int64_t>();
    }
    static const char* const kKnown[] = {"id", "scenario", "listen", "data_dir", "cluster_key_file", "port_file",
                                         "history", "log_level", "peers", "handshake_timeout_ms", "idle_timeout_ms", "ping_ms",
                                         "join", "advertise"};
    for (const auto& [key, value] : json.items())
        if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown))
            return makeError("config file '" + path + "': unknown setting \"" + key + "\"");
    return Ok{};
}

}  // namespace

int main(int argc, char** argv) {
    po::options_description options("distlab-node options");
    Settings flags;
    options.add_options()
        ("help,h", "this help")
        ("id", po::value<std::string>(), "this node's id (one of the scenario's nodes, e.g. cn-n1)")
        ("scenario", po::value<std::string>(), "the built-in scenario or file whose node this is (default counter)")
        ("listen", po::value<std::string>(), "HOST:PORT to listen on (default 127.0.0.1:0, a free port)")
        ("peer", po::value<std::vector<std::string>>(), "ID=HOST:PORT of another node (repeat for each)")
        ("join", po::value<std::string>(), "HOST:PORT of a member of a running cluster to join through (learns the others)")
        ("advertise", po::value<std::string>(), "HOST:PORT the others reach this node at (default: the listen address)")
        ("data-dir", po::value<std::string>(), "directory of the node's durable state (default: in memory)")
        ("cluster-key-file", po::value<std::string>(), "file holding the cluster's key (needed off loopback)")
        ("config", po::value<std::string>(), "JSON file with the same settings (id, listen, peers {id: addr}, ...)")
        ("port-file", po::value<std::string>(), "write the port listened on to this file once listening")
        ("history", po::value<std::string>(), "append the client operations this node records to this file")
        ("log-level", po::value<std::string>(), "error, warn, info (default) or debug")
        ("handshake-timeout-ms", po::value<std::int64_t>(), "close a connection not authenticated by then (5000)")
        ("idle-timeout-ms", po::value<std::int64_t>(), "close a connection silent for this long (30000)")
        ("ping-ms", po::value<std::int64_t>(), "send a keep-alive after this long without writing (10000)")
        ("generate-key", po::value<std::string>(), "write a new random cluster key to this file and exit");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        return badInput(e.what(), "see 'distlab-node --help'");
    }
    if (vm.count("help")) {
        std::cout << "distlab-node: one node of a Distlab cluster as a real process\n\n" << options << "\n";
        return 0;
    }
    if (vm.count("generate-key")) {
        const std::string path = vm["generate-key"].as<std::string>();
        if (std::filesystem::exists(path)) return badInput("'" + path + "' exists; a key is never overwritten");
        std::string error;
        if (!writeAtomically(path, net::ClusterKey::generateText() + "\n", 0600, error)) return badInput(error);
        std::cout << "wrote a new cluster key to " << path << " (mode 0600); give it to every node of the cluster\n";
        return 0;
    }

    Settings settings;
    if (vm.count("config"))
        if (Status read = readConfig(vm["config"].as<std::string>(), settings); !read) return badInput(read.error().message);
    const auto take = [&](const char* name, auto& field) {
        if (vm.count(name)) field = vm[name].as<std::remove_reference_t<decltype(field)>>();
    };
    take("id", settings.id);
    take("scenario", settings.scenario);
    take("listen", settings.listen);
    take("data-dir", settings.dataDir);
    take("cluster-key-file", settings.keyFile);
    take("port-file", settings.portFile);
    take("history", settings.historyPath);
    take("log-level", settings.logLevel);
    take("handshake-timeout-ms", settings.handshakeTimeoutMs);
    take("idle-timeout-ms", settings.idleTimeoutMs);
    take("ping-ms", settings.pingMs);
    take("join", settings.join);
    take("advertise", settings.advertise);
    if (vm.count("peer"))
        for (const std::string& peer : vm["peer"].as<std::vector<std::string>>()) settings.peers.push_back(peer);

    net::NodeHostConfig config;
    config.id = settings.id;
    if (config.id.empty()) return badInput("--id is required", "e.g. --id cn-n1; see 'distlab-node --help'");
    if (!net::validWireId(config.id)) return badInput("--id '" + config.id + "': use 1 to 64 of A-Z a-z 0-9 . _ -");
    auto listen = net::parseEndpoint(settings.listen);
    if (!listen) return badInput("--listen: " + listen.error().message, listen.error().hint);
    config.listen = listen.value();
    for (const std::string& peer : settings.peers) {
        const auto equals = peer.find('=');
        if (equals == std::string::npos) return badInput("--peer '" + peer + "': expected ID=HOST:PORT");
        const std::string id = peer.substr(0, equals);
        if (!net::validWireId(id)) return badInput("--peer '" + peer + "': the id must be 1 to 64 of A-Z a-z 0-9 . _ -");
        auto address = net::parseEndpoint(peer.substr(equals + 1));
        if (!address) return badInput("--peer " + id + ": " + address.error().message, address.error().hint);
        config.peers[id] = address.value();
    }
    for (auto [flag, text, field] : {std::tuple{"--join", &settings.join, &config.join},
                                     {"--advertise", &settings.advertise, &config.advertise}}) {
        if (text->empty()) continue;
        auto address = net::parseEndpoint(*text);
        if (!address) return badInput(std::string(flag) + ": " + address.error().message, address.error().hint);
        *field = address.value();
    }
    if (!settings.keyFile.empty()) {
        auto key = net::ClusterKey::fromFile(settings.keyFile);
        if (!key) return badInput(key.error().message, key.error().hint);
        config.key = std::move(key).value();
    }
    auto level = net::logLevelNamed(settings.logLevel);
    if (!level) return badInput("--log-level '" + settings.logLevel + "': expected error, warn, info or debug");
    config.logLevel = *level;
    for (auto [name, value] : {std::pair{"--handshake-timeout-ms", settings.handshakeTimeoutMs},
                               {"--idle-timeout-ms", settings.idleTimeoutMs}, {"--ping-ms", settings.pingMs}})
        if (value < 1 || value > kTimeoutMsMax)
            return badInput(std::string(name) + " " + std::to_string(value) + ": expected 1.." + std::to_string(kTimeoutMsMax));
    if (settings.pingMs >= settings.idleTimeoutMs)
        return badInput("--ping-ms " + std::to_string(settings.pingMs) + " must be below --idle-timeout-ms " +
                            std::to_string(settings.idleTimeoutMs),
                        "otherwise a quiet link is closed before its keep-alive is sent");
    config.limits.handshakeTimeout = std::chrono::milliseconds(settings.handshakeTimeoutMs);
    config.limits.idleTimeout = std::chrono::milliseconds(settings.idleTimeoutMs);
    config.limits.pingInterval = std::chrono::milliseconds(settings.pingMs);
    config.dataDir = settings.dataDir;
    config.historyPath = settings.historyPath;

    auto scenario = loadScenario(settings.scenario);
    if (!scenario) return badInput(scenario.error().message, scenario.error().hint);
    auto factory = scenarioNodeFactory(scenario.value(), config.id);
    // A node that joins may be one the scenario does not start: what `node add ID` would add.
    if (!factory && config.join) factory = addedNodeFactory(scenario.value(), config.id);
    if (!factory) return badInput(factory.error().message, factory.error().hint);

    boost::asio::io_context io;
    net::NodeHost host(io, std::move(config), std::move(factory).value());
    // Before the port file says the node is up, so that a SIGTERM right after it stops the node cleanly.
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int) {
        if (!ec) host.leaveAndStop();
    });
    if (Status started = host.start(); !started) {
        std::cerr << "distlab-node: " << started.error().message << "\n";
        if (!started.error().hint.empty()) std::cerr << "  " << started.error().hint << "\n";
        return kExitStartFailed;
    }
    if (!settings.portFile.empty()) {
        std::string error;
        if (!writeAtomically(settings.portFile, std::to_string(host.port()) + "\n", 0644, error)) {
            std::cerr << "distlab-node: " << error << "\n";
            return kExitStartFailed;
        }
    }
    io.run();
    return host.exitCode();
}
