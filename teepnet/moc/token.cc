#include "teepnet/moc/token.h"

#include <array>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::moc {

Result<std::string> NewId(std::string_view prefix, Random& random) {
  std::array<uint8_t, 8> bytes{};
  TEEPNET_RETURN_IF_ERROR(random.Fill(bytes));
  return std::string(prefix) + "-" + ToHex(bytes);
}

Result<std::string> NewTenantToken(std::string_view tenant_id, Random& random) {
  std::array<uint8_t, 32> secret{};
  TEEPNET_RETURN_IF_ERROR(random.Fill(secret));
  return std::string(tenant_id) + "." + ToHex(secret);
}

Bytes HashToken(std::string_view token) {
  return crypto::Sha256(AsBytes(token));
}

bool TokenMatches(std::string_view token, ByteView hash) {
  return crypto::ConstantTimeEqual(HashToken(token), hash);
}

std::string_view TenantIdOfToken(std::string_view token) {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return token.substr(0, dot);
}

}  // namespace teepnet::moc
