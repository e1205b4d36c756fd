#include "core/net/cluster_key.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace distlab::net {

namespace {

std::string hex(const unsigned char* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = kDigits[data[i] >> 4];
        out[2 * i + 1] = kDigits[data[i] & 0xf];
    }
    return out;
}

std::string_view trimmed(std::string_view text) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
}

}  // namespace

Result<ClusterKey> ClusterKey::fromText(std::string_view text) {
    const std::string_view secret = trimmed(text);
    if (secret.size() < kClusterKeyBytesMin)
        return makeError("the cluster key has " + std::to_string(secret.size()) + " characters; it needs at least " +
                             std::to_string(kClusterKeyBytesMin),
                         "make one with: distlab-node --generate-key FILE");
    if (secret.size() > kClusterKeyBytesMax)
        return makeError("the cluster key is longer than " + std::to_string(kClusterKeyBytesMax) + " characters");
    return ClusterKey(std::string(secret));
}

Result<ClusterKey> ClusterKey::fromFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError("cannot read the cluster key file '" + path + "'", "check the path and its permissions");
    std::string text(kClusterKeyBytesMax * 2 + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    auto key = fromText(text);
    if (!key) return makeError("cluster key file '" + path + "': " + key.error().message, key.error().hint);
    return key;
}

std::string ClusterKey::generateText() { return randomHex(32); }

std::string ClusterKey::sign(std::string_view message) const {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const unsigned char* result =
        HMAC(EVP_sha256(), m_secret.data(), static_cast<int>(m_secret.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
    if (!result) throw std::runtime_error("HMAC-SHA256 failed");
    return hex(mac, length);
}

std::string randomHex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
        throw std::runtime_error("the system's random generator failed");
    return hex(reinterpret_cast<const unsigned char*>(raw.data()), bytes);
}

bool equalInConstantTime(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace distlab::net
