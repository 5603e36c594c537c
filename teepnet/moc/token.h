// Bearer tokens of the user API. A tenant token is "<tenant id>.<64 hex digits>" (256 random
// bits); the M/OC stores only its SHA-256 and compares hashes in constant time, so neither a
// leaked store nor a timing side channel yields a usable token. The tenant id in front lets the
// M/OC find the one hash to compare without a lookup keyed by a secret.
#ifndef TEEPNET_MOC_TOKEN_H_
#define TEEPNET_MOC_TOKEN_H_

#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"

namespace teepnet::moc {

// "<prefix>-" + 16 hex digits: ids for tenants, packages and requests.
Result<std::string> NewId(std::string_view prefix, Random& random);
// "<tenant_id>." + 64 hex digits.
Result<std::string> NewTenantToken(std::string_view tenant_id, Random& random);
Bytes HashToken(std::string_view token);
// SHA-256(token) == hash, compared with crypto::ConstantTimeEqual.
bool TokenMatches(std::string_view token, ByteView hash);
// The tenant id in front of a tenant token, or "" when the token has no such shape.
std::string_view TenantIdOfToken(std::string_view token);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_TOKEN_H_
