#include "teepnet/attest/cca_token.h"

#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_claim_reader.h"
#include "teepnet/attest/psa_token.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/cose_key.h"

namespace teepnet::attest {

std::optional<crypto::HashAlgorithm> HashFromName(std::string_view name) {
  if (name == "sha-256") return crypto::HashAlgorithm::kSha256;
  if (name == "sha-384") return crypto::HashAlgorithm::kSha384;
  if (name == "sha-512") return crypto::HashAlgorithm::kSha512;
  return std::nullopt;
}

Result<CcaRealmClaims> DecodeCcaRealmClaims(ByteView payload, size_t offset) {
  auto decoded = cbor::Decode(payload);
  if (!decoded.ok()) {
    return Error(Errc::kPsaBadToken, "realm claims: " + decoded.error().message(),
                 decoded.error().has_offset() ? offset + decoded.error().offset() : offset);
  }
  if (!decoded->is_map()) return Error(Errc::kPsaBadToken, "realm claims are not a map", offset);
  PsaClaimReader r(*decoded, offset);
  CcaRealmClaims c;
  TEEPNET_ASSIGN_OR_RETURN(auto profile, r.OptionalText(psa_claim::kProfile, "realm-profile"));
  c.profile = profile.value_or("");
  // RMM spec A7.2.3.2: the realm challenge is the 64-byte challenge the caller passed to
  // RSI_ATTEST_TOKEN_INIT, and the personalization value is 64 bytes.
  TEEPNET_ASSIGN_OR_RETURN(c.challenge,
                           r.RequiredBytes(psa_claim::kNonce, "realm-challenge", {64}));
  TEEPNET_ASSIGN_OR_RETURN(
      c.personalization_value,
      r.RequiredBytes(cca_claim::kRealmPersonalization, "realm-personalization-value", {64}));
  TEEPNET_ASSIGN_OR_RETURN(c.hash_alg,
                           r.RequiredText(cca_claim::kRealmHashAlg, "realm-hash-algo-id"));
  TEEPNET_ASSIGN_OR_RETURN(c.initial_measurement,
                           r.RequiredBytes(cca_claim::kRealmInitialMeasurement,
                                           "realm-initial-measurement", {32, 48, 64}));
  const cbor::Value* rems = r.Find(cca_claim::kRealmExtensibleMeasurements);
  if (rems == nullptr) return r.MissingClaim("realm-extensible-measurements");
  if (!rems->is_array() || rems->array().size() != 4) {
    return r.BadClaim("realm-extensible-measurements", "not an array of 4");
  }
  for (size_t i = 0; i < 4; ++i) {
    const cbor::Value& rem = rems->array()[i];
    if (!rem.is_bytes() ||
        (rem.bytes().size() != 32 && rem.bytes().size() != 48 && rem.bytes().size() != 64)) {
      return r.BadClaim("realm-extensible-measurements", "entry is not a 32/48/64-byte string");
    }
    c.extensible_measurements[i] = rem.bytes();
  }
  TEEPNET_ASSIGN_OR_RETURN(c.public_key_claim,
                           r.RequiredBytes(cca_claim::kRealmPublicKey, "realm-public-key"));
  // The original profile carries a 97-byte SEC1 P-384 point; anything that starts like a CBOR
  // map is the COSE_Key form of tag:arm.com,2023:realm#1.0.0.
  c.key_encoding = (!c.public_key_claim.empty() && (c.public_key_claim[0] & 0xe0) == 0xa0)
                       ? RealmKeyEncoding::kCoseKey
                       : RealmKeyEncoding::kSec1Point;
  TEEPNET_ASSIGN_OR_RETURN(c.public_key_hash_alg, r.RequiredText(cca_claim::kRealmPublicKeyHashAlg,
                                                                 "realm-public-key-hash-algo-id"));
  return c;
}

Bytes EncodeCcaRealmClaims(const CcaRealmClaims& c) {
  std::vector<cbor::Value::MapEntry> m;
  auto add = [&m](int64_t key, cbor::Value v) {
    m.emplace_back(cbor::Value::Int(key), std::move(v));
  };
  if (!c.profile.empty()) add(psa_claim::kProfile, cbor::Value::Text(c.profile));
  add(psa_claim::kNonce, cbor::Value::Bytes(c.challenge));
  add(cca_claim::kRealmPersonalization, cbor::Value::Bytes(c.personalization_value));
  add(cca_claim::kRealmInitialMeasurement, cbor::Value::Bytes(c.initial_measurement));
  std::vector<cbor::Value> rems;
  for (const Bytes& rem : c.extensible_measurements) rems.push_back(cbor::Value::Bytes(rem));
  add(cca_claim::kRealmExtensibleMeasurements, cbor::Value::Array(std::move(rems)));
  add(cca_claim::kRealmHashAlg, cbor::Value::Text(c.hash_alg));
  add(cca_claim::kRealmPublicKey, cbor::Value::Bytes(c.public_key_claim));
  add(cca_claim::kRealmPublicKeyHashAlg, cbor::Value::Text(c.public_key_hash_alg));
  return cbor::Encode(cbor::Value::Map(std::move(m)));
}

Result<crypto::PublicKey> RealmPublicKey(const CcaRealmClaims& claims) {
  if (claims.key_encoding == RealmKeyEncoding::kCoseKey) {
    auto key = cose::CoseKey::DecodePublic(claims.public_key_claim);
    if (!key.ok()) return Error(Errc::kCcaBadRealmKey, "RAK COSE_Key: " + key.error().message());
    auto pub = key->ToPublicKey();
    if (!pub.ok()) return Error(Errc::kCcaBadRealmKey, "RAK COSE_Key: " + pub.error().message());
    return *std::move(pub);
  }
  // The RMM spec fixes the RAK to ECC P-384 (A7.2.3.2 "realm public key").
  auto pub = crypto::PublicKey::FromRaw(crypto::KeyType::kP384, claims.public_key_claim);
  if (!pub.ok()) return Error(Errc::kCcaBadRealmKey, "RAK point: " + pub.error().message());
  return *std::move(pub);
}

namespace {

Result<ByteView> ReadCollection(ByteView evidence, ByteView* realm) {
  cbor::Reader r(evidence);
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item tag, r.Next());
  if (tag.type != cbor::ItemType::kTag ||
      (tag.argument != cca_claim::kCollectionTag && tag.argument != cca_claim::kCmwCollectionTag)) {
    return Error(Errc::kCcaBadCollection, "not a CCA token collection (tag 399 or 907)", 0);
  }
  TEEPNET_ASSIGN_OR_RETURN(cbor::Item map, r.Next());
  if (map.type != cbor::ItemType::kMap || map.indefinite || map.argument != 2) {
    return Error(Errc::kCcaBadCollection, "collection is not a map of two tokens", map.offset);
  }
  std::optional<ByteView> platform;
  std::optional<ByteView> realm_token;
  for (int i = 0; i < 2; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::Item key, r.Next());
    TEEPNET_ASSIGN_OR_RETURN(cbor::Item value, r.Next());
    if (value.type != cbor::ItemType::kBytes || value.indefinite) {
      return Error(Errc::kCcaBadCollection, "token is not a definite byte string", value.offset);
    }
    if (key.type == cbor::ItemType::kUnsigned && key.argument == cca_claim::kPlatformToken &&
        !platform) {
      platform = value.bytes;
    } else if (key.type == cbor::ItemType::kUnsigned && key.argument == cca_claim::kRealmToken &&
               !realm_token) {
      realm_token = value.bytes;
    } else {
      return Error(Errc::kCcaBadCollection, "unexpected or repeated collection key", key.offset);
    }
  }
  if (Status end = r.ExpectEnd(); !end.ok()) {
    return Error(Errc::kTrailingBytes, "bytes after the CCA token collection", r.offset());
  }
  *realm = *realm_token;
  return *platform;
}

}  // namespace

Result<CcaToken> ParseCcaToken(ByteView evidence) {
  ByteView realm_bytes;
  auto platform_bytes = ReadCollection(evidence, &realm_bytes);
  if (!platform_bytes.ok()) {
    if (platform_bytes.error().domain() == Domain::kAttest) return platform_bytes.error();
    return Error(Errc::kCcaBadCollection, platform_bytes.error().message(),
                 platform_bytes.error().offset());
  }
  TEEPNET_ASSIGN_OR_RETURN(cose::Sign1Message platform,
                           DecodeTokenSign1(evidence, *platform_bytes, "platform token"));
  TEEPNET_ASSIGN_OR_RETURN(cose::Sign1Message realm,
                           DecodeTokenSign1(evidence, realm_bytes, "realm token"));
  TEEPNET_ASSIGN_OR_RETURN(PsaClaims platform_claims,
                           DecodePsaClaims(*platform.payload(), PsaClaimsKind::kCcaPlatform,
                                           OffsetWithin(evidence, *platform.payload())));
  TEEPNET_ASSIGN_OR_RETURN(
      CcaRealmClaims realm_claims,
      DecodeCcaRealmClaims(*realm.payload(), OffsetWithin(evidence, *realm.payload())));
  return CcaToken{*platform_bytes,
                  realm_bytes,
                  std::move(platform),
                  std::move(realm),
                  std::move(platform_claims),
                  std::move(realm_claims)};
}

Bytes EncodeCcaCollection(ByteView platform_token, ByteView realm_token) {
  cbor::Writer w;
  w.WriteTag(cca_claim::kCollectionTag);
  w.WriteMapHeader(2);
  w.WriteUint(cca_claim::kPlatformToken);
  w.WriteBytes(platform_token);
  w.WriteUint(cca_claim::kRealmToken);
  w.WriteBytes(realm_token);
  return std::move(w).Take();
}

}  // namespace teepnet::attest
