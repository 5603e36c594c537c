// EC public keys as JSON Web Keys (RFC 7517, RFC 7518 §6.2): the form Trustee trust-anchor
// stores, Veraison EAR keys and EAR JWS "jwk" headers use.
#ifndef TEEPNET_EAT_JWK_H_
#define TEEPNET_EAT_JWK_H_

#include <nlohmann/json.hpp>

#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::eat {

// {"kty":"EC","crv":"P-256"|"P-384"|"P-521","x":..,"y":..}; a "d" member is ignored.
// kBadJwk when a member is missing, of the wrong type, or the point is not on the curve.
Result<crypto::PublicKey> PublicKeyFromJwk(const nlohmann::json& jwk);
nlohmann::json PublicKeyToJwk(const crypto::PublicKey& key);

}  // namespace teepnet::eat

#endif  // TEEPNET_EAT_JWK_H_
