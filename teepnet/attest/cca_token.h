// The Arm CCA attestation token: a collection (CBOR tag 399, or the CMW collection tag 907)
// holding the platform token (44234) and the realm token (44241), each a COSE_Sign1.
// Realm claims follow the RMM specification (DEN0137) A7.2.3.2; the platform claims reuse
// PsaClaims under the CCA profile.
//
// WARNING: a parsed CcaToken borrows the evidence bytes (the Sign1 messages view into them);
// the evidence must outlive it.
#ifndef TEEPNET_ATTEST_CCA_TOKEN_H_
#define TEEPNET_ATTEST_CCA_TOKEN_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "teepnet/attest/psa_claims.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::attest {

namespace cca_claim {
inline constexpr uint64_t kCollectionTag = 399;     // legacy CCA token collection
inline constexpr uint64_t kCmwCollectionTag = 907;  // CMW collection (newer specs)
inline constexpr int64_t kPlatformToken = 44234;
inline constexpr int64_t kRealmToken = 44241;
inline constexpr int64_t kRealmPersonalization = 44235;
inline constexpr int64_t kRealmHashAlg = 44236;
inline constexpr int64_t kRealmPublicKey = 44237;
inline constexpr int64_t kRealmInitialMeasurement = 44238;
inline constexpr int64_t kRealmExtensibleMeasurements = 44239;
inline constexpr int64_t kRealmPublicKeyHashAlg = 44240;
}  // namespace cca_claim

inline constexpr char kCcaRealmProfile[] = "tag:arm.com,2023:realm#1.0.0";

// How claim 44237 carries the RAK: the original profile uses a raw SEC1 point, the
// "tag:arm.com,2023:realm#1.0.0" profile a COSE_Key.
enum class RealmKeyEncoding : uint8_t { kSec1Point, kCoseKey };

struct CcaRealmClaims {
  std::string profile;          // absent in the original profile
  Bytes challenge;              // 64 bytes: the caller's report data
  Bytes personalization_value;  // 64 bytes
  std::string hash_alg;         // measurement hash algorithm ("sha-256" / "sha-512")
  Bytes initial_measurement;    // RIM, 32 or 64 bytes
  std::array<Bytes, 4> extensible_measurements;  // REM0..3
  Bytes public_key_claim;                        // claim 44237 exactly as received
  RealmKeyEncoding key_encoding = RealmKeyEncoding::kSec1Point;
  std::string public_key_hash_alg;  // 44240
};

// Decodes the realm claims map. kPsaBadClaim / kPsaMissingClaim as for PsaClaims.
Result<CcaRealmClaims> DecodeCcaRealmClaims(ByteView payload, size_t offset = 0);
Bytes EncodeCcaRealmClaims(const CcaRealmClaims& claims);

// The RAK from claim 44237, in either encoding. kCcaBadRealmKey when neither parses.
Result<crypto::PublicKey> RealmPublicKey(const CcaRealmClaims& claims);
// "sha-256" / "sha-384" / "sha-512" (named-information hash names, RFC 6920) to a hash.
std::optional<crypto::HashAlgorithm> HashFromName(std::string_view name);

struct CcaToken {
  ByteView platform_token;  // COSE_Sign1 bytes (views into the evidence)
  ByteView realm_token;
  cose::Sign1Message platform;
  cose::Sign1Message realm;
  PsaClaims platform_claims;
  CcaRealmClaims realm_claims;
};

// Parses the collection and both tokens (no signature checks). kCcaBadCollection when the
// outer structure is wrong, kPsaBadToken when a token is not a COSE_Sign1 with a payload.
Result<CcaToken> ParseCcaToken(ByteView evidence);

// Builds the tag-399 collection around two encoded COSE_Sign1 tokens.
Bytes EncodeCcaCollection(ByteView platform_token, ByteView realm_token);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_CCA_TOKEN_H_
