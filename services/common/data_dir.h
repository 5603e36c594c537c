// Data directories and the secret files in them. Keys and tokens are created on first start
// with mode 0600 inside a 0700 directory, and refused later if someone loosened the mode
// (a private key readable by other users is no longer private).
#ifndef TEEPNET_SERVICES_COMMON_DATA_DIR_H_
#define TEEPNET_SERVICES_COMMON_DATA_DIR_H_

#include <string>

#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::common {

// mkdir -p `path`; a directory created here gets `mode`. An existing directory is kept as is.
Status EnsureDirectory(const std::string& path, unsigned mode = 0700);
// True when `path` exists (any type).
bool PathExists(const std::string& path);

// Reads the PKCS#8 PEM key at `path`, or generates a key of `type` and writes it there
// (0600, atomically) when the file does not exist. kBadConfig when the file is readable by
// group or others, or does not hold a private key.
Result<crypto::PrivateKey> LoadOrCreateKey(const std::string& path, crypto::KeyType type);

// Reads the token at `path` (one line), or creates a fresh one (32 random bytes as hex,
// 0600). kBadConfig when the file is readable by group or others, or empty.
Result<std::string> LoadOrCreateToken(const std::string& path);
// Reads a token file written by LoadOrCreateToken (same mode check), without creating it.
Result<std::string> ReadToken(const std::string& path);

}  // namespace teepnet::common

#endif  // TEEPNET_SERVICES_COMMON_DATA_DIR_H_
