#pragma once
// The secret a cluster's processes share: every connection proves it (handshake.h) before any message
// passes. A key file holds the key as text; surrounding whitespace is not part of it. `distlab-node
// --generate-key FILE` writes a new random one, readable by its owner only.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace distlab::net {

constexpr std::size_t kClusterKeyBytesMin = 16;
constexpr std::size_t kClusterKeyBytesMax = 4096;
constexpr std::size_t kNonceBytes = 32;

class ClusterKey {
public:
    static Result<ClusterKey> fromText(std::string_view text);
    static Result<ClusterKey> fromFile(const std::string& path);
    // A new random key, as the text a key file holds (64 hex digits).
    static std::string generateText();

    // HMAC-SHA256 of `message` under the key, as 64 lowercase hex digits.
    std::string sign(std::string_view message) const;

private:
    explicit ClusterKey(std::string secret) : m_secret(std::move(secret)) {}
    std::string m_secret;
};

// Bytes from the operating system's generator (OpenSSL RAND_bytes), as lowercase hex.
std::string randomHex(std::size_t bytes);
// Compares in time that does not depend on where the texts differ.
bool equalInConstantTime(std::string_view a, std::string_view b);

}  // namespace distlab::net
