// Test-only: turns the JWK-like keys and algorithm names of the cose-wg/Examples JSON files
// (../shared/vectors/cose, layout in examples.cddl) into crypto/ keys and cose::Algorithm.
#ifndef TEEPNET_TESTS_VECTORS_COSE_VECTOR_KEYS_H_
#define TEEPNET_TESTS_VECTORS_COSE_VECTOR_KEYS_H_

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cose::testing {

// "P-256" -> kP256 ...; "X25519"/"Ed25519" for OKP. nullopt for curves crypto/ lacks (X448).
std::optional<crypto::KeyType> CurveFromName(const std::string& crv);

// kty EC (x, y, d in base64url) or OKP (x/d in base64url, or x_hex/d_hex).
Result<crypto::PublicKey> JsonPublicKey(const nlohmann::json& key);
Result<crypto::PrivateKey> JsonPrivateKey(const nlohmann::json& key);
// kty oct: k in base64url.
SecretBytes JsonSymmetricKey(const nlohmann::json& key);
// The key's "kid" as bytes (the examples cast the string to a bstr).
Bytes JsonKid(const nlohmann::json& key);

// The example files' algorithm names ("ES256", "ECDH-ES-A128KW", "HS256/64", ...).
// nullopt for a name this project has no registry entry for.
std::optional<Algorithm> AlgorithmFromExampleName(const std::string& name);

}  // namespace teepnet::cose::testing

#endif  // TEEPNET_TESTS_VECTORS_COSE_VECTOR_KEYS_H_
