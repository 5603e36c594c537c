#include "teepnet/eat/jwk.h"

#include <string>

#include "teepnet/eat/base64url.h"
#include "teepnet/eat/errc.h"

namespace teepnet::eat {

Result<crypto::PublicKey> PublicKeyFromJwk(const nlohmann::json& jwk) {
  auto text = [&jwk](const char* name) -> const std::string* {
    if (!jwk.is_object()) return nullptr;
    auto it = jwk.find(name);
    if (it == jwk.end() || !it->is_string()) return nullptr;
    return it->get_ptr<const std::string*>();
  };
  const std::string* kty = text("kty");
  const std::string* crv = text("crv");
  const std::string* x = text("x");
  const std::string* y = text("y");
  if (kty == nullptr || *kty != "EC" || crv == nullptr || x == nullptr || y == nullptr) {
    return Error(Errc::kBadJwk, "not an EC JWK with crv, x and y");
  }
  crypto::KeyType type;
  if (*crv == "P-256") {
    type = crypto::KeyType::kP256;
  } else if (*crv == "P-384") {
    type = crypto::KeyType::kP384;
  } else if (*crv == "P-521") {
    type = crypto::KeyType::kP521;
  } else {
    return Error(Errc::kBadJwk, "unsupported crv " + *crv);
  }
  auto xb = Base64UrlDecode(*x);
  auto yb = Base64UrlDecode(*y);
  if (!xb.ok() || !yb.ok()) return Error(Errc::kBadJwk, "x or y is not base64url");
  auto key = crypto::PublicKey::FromCoordinates(type, *xb, *yb);
  if (!key.ok()) return Error(Errc::kBadJwk, "JWK point: " + key.error().message());
  return *std::move(key);
}

nlohmann::json PublicKeyToJwk(const crypto::PublicKey& key) {
  const char* crv = key.type() == crypto::KeyType::kP384   ? "P-384"
                    : key.type() == crypto::KeyType::kP521 ? "P-521"
                                                           : "P-256";
  return nlohmann::json{{"kty", "EC"},
                        {"crv", crv},
                        {"x", Base64UrlEncode(key.X())},
                        {"y", Base64UrlEncode(key.Y())}};
}

}  // namespace teepnet::eat
