#pragma once
// Helpers for suites that run distlab-node as a real process: start it on a free loopback port, talk to it
// over a blocking socket with the wire's own codec and handshake, and stop it.
#include <QTest>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/net/frame.h"
#include "core/net/handshake.h"

namespace nodeproc {

using namespace distlab;

// A distlab-node child process. The destructor kills it if it still runs.
class NodeProcess {
public:
    NodeProcess(const std::string& dir, std::vector<std::string> args) : m_dir(dir) {
        const std::string portFile = dir + "/port";
        std::filesystem::remove(portFile);
        m_log = dir + "/node.log";
        std::vector<std::string> argv = {DISTLAB_NODE_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.push_back("--port-file");
        argv.push_back(portFile);
        m_pid = fork();
        if (m_pid == 0) {
            const int log = ::open(m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (log >= 0) ::dup2(log, 2);
            std::vector<char*> raw;
            for (std::string& arg : argv) raw.push_back(arg.data());
            raw.push_back(nullptr);
            ::execv(raw[0], raw.data());
            ::_exit(127);
        }
        // Wait for the port, or for the process to end (a refused configuration).
        for (int i = 0; i < 1000; ++i) {
            std::ifstream in(portFile);
            if (in >> m_port) return;
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                m_pid = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    ~NodeProcess() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    bool running() const { return m_pid > 0 && m_port > 0; }
    // The exit code once it ended (128 + signal when killed); nullopt while it runs.
    std::optional<int> exitCode() const { return m_exit; }
    std::string log() const {
        std::ifstream in(m_log);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    int stop(int signal = SIGTERM) {
        if (m_pid <= 0) return m_exit.value_or(-1);
        ::kill(m_pid, signal);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        m_exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return *m_exit;
    }
    // Resident memory in KiB (VmRSS), or -1.
    long residentKib() const {
        std::ifstream in("/proc/" + std::to_string(m_pid) + "/status");
        std::string line;
        while (std::getline(in, line))
            if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
        return -1;
    }

private:
    std::string m_dir, m_log;
    pid_t m_pid = -1;
    int m_port = 0;
    std::optional<int> m_exit;
};

// A blocking TCP client with a receive timeout.
class RawClient {
public:
    explicit RawClient(int port, int timeoutMs = 5000) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{timeoutMs / 1000, (timeoutMs % 1000) * 1000};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~RawClient() {
        if (m_fd >= 0) ::close(m_fd);
    }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;
    RawClient(RawClient&& other) noexcept : m_fd(other.m_fd), m_connected(other.m_connected) { other.m_fd = -1; }

    bool connected() const { return m_connected; }
    int fd() const { return m_fd; }
    bool sendBytes(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    bool send(const Envelope& envelope) { return sendBytes(net::encodeFrame(envelope)); }
    void shutdownWrite() { ::shutdown(m_fd, SHUT_WR); }
    // The next envelope; nullopt when the connection closed or the timeout passed (closed() tells which).
    std::optional<Envelope> receive() {
        while (true) {
            if (auto payload = m_decoder.next()) {
                auto envelope = decodeEnvelope(*payload);
                if (!envelope) return std::nullopt;
                return std::move(envelope).value();
            }
            char buffer[65536];
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                m_closed = true;
                return std::nullopt;
            }
            if (n < 0) return std::nullopt;
            m_decoder.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
        }
    }
    bool closed() const { return m_closed; }
    // Runs the client side of the handshake. Empty on success, else why it failed.
    std::string handshake(const NodeId& self, const net::ClusterKey* key, net::PeerRole role = net::PeerRole::Client) {
        net::ClientHandshake client(self, role, "", key, net::randomHex(net::kNonceBytes));
        if (!send(client.hello())) return "cannot send";
        while (!client.done()) {
            auto frame = receive();
            if (!frame) return "no answer";
            net::HandshakeStep step = client.onFrame(*frame);
            if (step.failure) return *step.failure;
            for (const Envelope& out : step.send) send(out);
        }
        return {};
    }

private:
    int m_fd = -1;
    bool m_connected = false;
    bool m_closed = false;
    net::FrameDecoder m_decoder;
};

}  // namespace nodeproc
