#include "tests/vectors/cose/vector_keys.h"

#include <map>

#include "teepnet/crypto/errc.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::cose::testing {

using teepnet::testing::Base64OrDie;
using teepnet::testing::HexOrDie;

std::optional<crypto::KeyType> CurveFromName(const std::string& crv) {
  if (crv == "P-256") return crypto::KeyType::kP256;
  if (crv == "P-384") return crypto::KeyType::kP384;
  if (crv == "P-521") return crypto::KeyType::kP521;
  if (crv == "X25519") return crypto::KeyType::kX25519;
  if (crv == "Ed25519") return crypto::KeyType::kEd25519;
  return std::nullopt;
}

namespace {

Result<crypto::KeyType> KeyTypeOf(const nlohmann::json& key) {
  auto type = CurveFromName(key.value("crv", ""));
  if (!type) {
    return Error(crypto::Errc::kUnsupportedAlgorithm, "curve " + key.value("crv", "?"));
  }
  return *type;
}

// A key member in base64url, or hex under "<name>_hex" (the OKP and CWT examples).
Bytes Field(const nlohmann::json& key, const std::string& name) {
  if (key.contains(name + "_hex")) return HexOrDie(key[name + "_hex"].get<std::string>());
  return Base64OrDie(key[name].get<std::string>());
}

}  // namespace

Result<crypto::PublicKey> JsonPublicKey(const nlohmann::json& key) {
  TEEPNET_ASSIGN_OR_RETURN(crypto::KeyType type, KeyTypeOf(key));
  if (crypto::IsOkp(type)) return crypto::PublicKey::FromRaw(type, Field(key, "x"));
  return crypto::PublicKey::FromCoordinates(type, Field(key, "x"), Field(key, "y"));
}

Result<crypto::PrivateKey> JsonPrivateKey(const nlohmann::json& key) {
  TEEPNET_ASSIGN_OR_RETURN(crypto::KeyType type, KeyTypeOf(key));
  if (crypto::IsOkp(type)) return crypto::PrivateKey::FromRaw(type, Field(key, "d"));
  return crypto::PrivateKey::FromRaw(type, Field(key, "d"));
}

SecretBytes JsonSymmetricKey(const nlohmann::json& key) {
  return SecretBytes(Field(key, "k"));
}

Bytes JsonKid(const nlohmann::json& key) {
  if (key.contains("kid_hex")) return HexOrDie(key["kid_hex"].get<std::string>());
  return ToBytes(std::string_view(key.value("kid", "")));
}

std::optional<Algorithm> AlgorithmFromExampleName(const std::string& name) {
  static const std::map<std::string, Algorithm> kNames = {
      {"ES256", Algorithm::kES256},
      {"ES384", Algorithm::kES384},
      {"ES512", Algorithm::kES512},
      {"EdDSA", Algorithm::kEdDSA},
      {"PS256", Algorithm::kPS256},
      {"HS256/64", Algorithm::kHmac256_64},
      {"HS256", Algorithm::kHmac256_256},
      {"HS384", Algorithm::kHmac384_384},
      {"HS512", Algorithm::kHmac512_512},
      {"AES-MAC-128/64", Algorithm::kAesMac128_64},
      {"AES-MAC-256/64", Algorithm::kAesMac256_64},
      {"A128GCM", Algorithm::kA128GCM},
      {"A192GCM", Algorithm::kA192GCM},
      {"A256GCM", Algorithm::kA256GCM},
      {"ChaCha-Poly1305", Algorithm::kChaCha20Poly1305},
      {"AES-CCM-16-128/64", Algorithm::kAesCcm16_64_128},
      {"AES-CCM-16-256/64", Algorithm::kAesCcm16_64_256},
      {"direct", Algorithm::kDirect},
      {"HKDF-HMAC-SHA-256", Algorithm::kDirectHkdfSha256},
      {"HKDF-HMAC-SHA-512", Algorithm::kDirectHkdfSha512},
      {"A128KW", Algorithm::kA128KW},
      {"A192KW", Algorithm::kA192KW},
      {"A256KW", Algorithm::kA256KW},
      {"ECDH-ES", Algorithm::kEcdhEsHkdf256},
      {"ECDH-ES-512", Algorithm::kEcdhEsHkdf512},
      {"ECDH-SS", Algorithm::kEcdhSsHkdf256},
      {"ECDH-SS-256", Algorithm::kEcdhSsHkdf256},
      {"ECDH-SS-512", Algorithm::kEcdhSsHkdf512},
      {"ECDH-ES-A128KW", Algorithm::kEcdhEsA128KW},
      {"ECDH-ES+A128KW", Algorithm::kEcdhEsA128KW},
      {"ECDH-ES-A192KW", Algorithm::kEcdhEsA192KW},
      {"ECDH-ES-A256KW", Algorithm::kEcdhEsA256KW},
      {"ECDH-SS-A128KW", Algorithm::kEcdhSsA128KW},
      {"ECDH-SS+A128KW", Algorithm::kEcdhSsA128KW},
      {"ECDH-SS-A192KW", Algorithm::kEcdhSsA192KW},
      {"ECDH-SS-A256KW", Algorithm::kEcdhSsA256KW},
  };
  auto it = kNames.find(name);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

}  // namespace teepnet::cose::testing
