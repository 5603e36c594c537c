#include "teepnet/eat/ear_token.h"

#include <string>

#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/signature.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/eat/errc.h"

namespace teepnet::eat {
namespace {

struct JwsAlg {
  const char* name;
  crypto::KeyType key;
  crypto::SignatureAlgorithm sig;
  cose::Algorithm cose;
};

constexpr JwsAlg kAlgs[] = {
    {"ES256", crypto::KeyType::kP256, crypto::SignatureAlgorithm::kEcdsaSha256,
     cose::Algorithm::kES256},
    {"ES384", crypto::KeyType::kP384, crypto::SignatureAlgorithm::kEcdsaSha384,
     cose::Algorithm::kES384},
    {"ES512", crypto::KeyType::kP521, crypto::SignatureAlgorithm::kEcdsaSha512,
     cose::Algorithm::kES512},
};

const JwsAlg* AlgForKey(crypto::KeyType type) {
  for (const JwsAlg& a : kAlgs) {
    if (a.key == type) return &a;
  }
  return nullptr;
}

}  // namespace

Result<std::string> IssueEarJwt(const Ear& ear, const crypto::PrivateKey& key) {
  const JwsAlg* alg = AlgForKey(key.type());
  if (alg == nullptr) return Error(Errc::kUnsupportedAlg, "EAR signing key is not P-256/384/521");
  const nlohmann::json header = {{"alg", alg->name}, {"typ", "JWT"}};
  //= https://www.rfc-editor.org/rfc/rfc7515#section-7.1
  //# BASE64URL(UTF8(JWS Protected Header)) || '.' || BASE64URL(JWS Payload) || '.' ||
  //# BASE64URL(JWS Signature)
  std::string input = Base64UrlEncode(AsBytes(header.dump())) + "." +
                      Base64UrlEncode(AsBytes(EarToJson(ear).dump()));
  TEEPNET_ASSIGN_OR_RETURN(Bytes sig, crypto::Sign(key, alg->sig, AsBytes(input)));
  return input + "." + Base64UrlEncode(sig);
}

Result<Bytes> IssueEarCwt(const Ear& ear, const crypto::PrivateKey& key) {
  const JwsAlg* alg = AlgForKey(key.type());
  if (alg == nullptr) return Error(Errc::kUnsupportedAlg, "EAR signing key is not P-256/384/521");
  cose::Sign1Options options;
  options.alg = alg->cose;
  return cose::CreateSign1(key, cbor::Encode(EarToCbor(ear)), options);
}

Result<Ear> VerifyEarJwt(std::string_view jwt, const crypto::PublicKey& key) {
  const size_t dot1 = jwt.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : jwt.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || jwt.find('.', dot2 + 1) != std::string_view::npos) {
    return Error(Errc::kBadJws, "not a compact JWS (three dot-separated parts)");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes header_bytes, Base64UrlDecode(jwt.substr(0, dot1)));
  nlohmann::json header = nlohmann::json::parse(AsChars(header_bytes), nullptr, false);
  if (header.is_discarded() || !header.is_object() || !header.contains("alg") ||
      !header["alg"].is_string()) {
    return Error(Errc::kBadJws, "JWS header is not a JSON object with alg");
  }
  //= https://www.rfc-editor.org/rfc/rfc7515#section-4.1.11
  //# If any of the listed extension Header Parameters are not understood ... the JWS is invalid
  if (header.contains("crit")) return Error(Errc::kBadJws, "critical JWS header parameters");
  const JwsAlg* alg = AlgForKey(key.type());
  if (alg == nullptr || header["alg"].get<std::string>() != alg->name) {
    return Error(Errc::kUnsupportedAlg, "JWS alg does not match the verification key");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes sig, Base64UrlDecode(jwt.substr(dot2 + 1)));
  if (!crypto::Verify(key, alg->sig, AsBytes(jwt.substr(0, dot2)), sig).ok()) {
    return Error(Errc::kSignatureInvalid, "EAR JWT signature does not verify");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes payload, Base64UrlDecode(jwt.substr(dot1 + 1, dot2 - dot1 - 1)));
  nlohmann::json claims = nlohmann::json::parse(AsChars(payload), nullptr, false);
  if (claims.is_discarded()) return Error(Errc::kBadJson, "EAR JWT payload is not JSON");
  return EarFromJson(claims);
}

Result<Ear> VerifyEarCwt(ByteView cwt, const crypto::PublicKey& key) {
  auto msg = cose::Sign1Message::Decode(cwt);
  if (!msg.ok())
    return Error(Errc::kBadClaim, "EAR CWT: " + msg.error().message(), msg.error().offset());
  const JwsAlg* alg = AlgForKey(key.type());
  if (alg == nullptr || msg->algorithm().id != alg->cose) {
    return Error(Errc::kUnsupportedAlg, "CWT alg does not match the verification key");
  }
  auto payload = msg->Verify(key);
  if (!payload.ok()) return Error(Errc::kSignatureInvalid, "EAR CWT signature does not verify");
  auto claims = cbor::Decode(*payload);
  if (!claims.ok()) return Error(Errc::kBadClaim, "EAR CWT claims: " + claims.error().message());
  return EarFromCbor(*claims);
}

Status CheckEar(const Ear& ear, const RelyingPartyPolicy& policy) {
  if (std::find(policy.profiles.begin(), policy.profiles.end(), ear.profile) ==
      policy.profiles.end()) {
    return Error(Errc::kWrongProfile, "EAR profile " + ear.profile + " not accepted");
  }
  if (ear.iat < policy.now - policy.max_age_seconds ||
      ear.iat > policy.now + policy.max_skew_seconds) {
    return Error(Errc::kStale, "EAR iat outside the freshness window");
  }
  if (ear.exp && *ear.exp < policy.now) return Error(Errc::kStale, "EAR has expired");
  if (policy.nonce && (!ear.nonce || !crypto::ConstantTimeEqual(*ear.nonce, *policy.nonce))) {
    return Error(Errc::kNonceMismatch, "EAR eat_nonce is not the one sent");
  }
  for (const auto& [name, a] : ear.submods) {
    if (a.status == attest::Tier::kNone || a.status > policy.worst_accepted) {
      return Error(Errc::kNotAffirming, "submodule " + name + " is " + StatusName(a.status));
    }
  }
  return Status();
}

Result<Ear> AcceptEarJwt(std::string_view jwt, const crypto::PublicKey& key,
                         const RelyingPartyPolicy& policy) {
  TEEPNET_ASSIGN_OR_RETURN(Ear ear, VerifyEarJwt(jwt, key));
  TEEPNET_RETURN_IF_ERROR(CheckEar(ear, policy));
  return ear;
}

Result<Ear> AcceptEarCwt(ByteView cwt, const crypto::PublicKey& key,
                         const RelyingPartyPolicy& policy) {
  TEEPNET_ASSIGN_OR_RETURN(Ear ear, VerifyEarCwt(cwt, key));
  TEEPNET_RETURN_IF_ERROR(CheckEar(ear, policy));
  return ear;
}

}  // namespace teepnet::eat
