#include "services/common/data_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "services/common/errc.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"

namespace teepnet::common {

namespace {

constexpr size_t kMaxSecretFileBytes = 64 * 1024;

Status CheckPrivateMode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Error(Errc::kBadConfig, path + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    return Error(Errc::kBadConfig, path + " is accessible by group or others; chmod 600 it");
  }
  return OkStatus();
}

}  // namespace

bool PathExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Status EnsureDirectory(const std::string& path, unsigned mode) {
  if (path.empty()) return Error(Errc::kBadConfig, "empty directory path");
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string prefix = path.substr(0, pos);
    if (::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
      return Error(Errc::kBadConfig, prefix + ": " + std::strerror(errno));
    }
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error(Errc::kBadConfig, path + " is not a directory");
  }
  return OkStatus();
}

Result<crypto::PrivateKey> LoadOrCreateKey(const std::string& path, crypto::KeyType type) {
  if (!PathExists(path)) {
    TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::Generate(type));
    std::string pem = key.ToPem();
    Status written = WriteFileAtomic(path, AsBytes(pem), 0600);
    // The PEM held the private key: wipe our copy before anything else.
    std::memset(pem.data(), 0, pem.size());
    TEEPNET_RETURN_IF_ERROR(written);
    return key;
  }
  TEEPNET_RETURN_IF_ERROR(CheckPrivateMode(path));
  TEEPNET_ASSIGN_OR_RETURN(Bytes pem, ReadFile(path, kMaxSecretFileBytes));
  auto key = crypto::PrivateKey::FromPem(AsChars(pem));
  std::memset(pem.data(), 0, pem.size());
  if (!key.ok()) return Error(Errc::kBadConfig, path + ": " + key.error().ToString());
  return std::move(key).value();
}

Result<std::string> ReadToken(const std::string& path) {
  TEEPNET_RETURN_IF_ERROR(CheckPrivateMode(path));
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path, kMaxSecretFileBytes));
  std::string token(AsChars(raw));
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) return Error(Errc::kBadConfig, path + " is empty");
  return token;
}

Result<std::string> LoadOrCreateToken(const std::string& path) {
  if (PathExists(path)) return ReadToken(path);
  TEEPNET_ASSIGN_OR_RETURN(Bytes random, crypto::RandomBytes(32));
  std::string token = ToHex(random);
  TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(path, AsBytes(token + "\n"), 0600));
  return token;
}

}  // namespace teepnet::common
