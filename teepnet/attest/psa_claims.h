// The claims of a PSA attestation token (RFC 9783 §4) and of the Arm CCA platform token, which
// reuses the PSA claim keys 2394..2402 under the CCA profile. Decoded from, and encoded to, the
// COSE_Sign1 payload (a CBOR map). Unknown claims are ignored (RFC 9711 §4: a recipient ignores
// claims it does not understand); the legacy PSA_IOT_PROFILE_1 key space (-75000..) is not read.
#ifndef TEEPNET_ATTEST_PSA_CLAIMS_H_
#define TEEPNET_ATTEST_PSA_CLAIMS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

// Claim keys (RFC 9783 §4; Arm CCA Security Model / RMM spec A7.2.3).
namespace psa_claim {
inline constexpr int64_t kNonce = 10;        // eat_nonce / CCA challenge
inline constexpr int64_t kInstanceId = 256;  // ueid: 0x01 || 32 bytes
inline constexpr int64_t kProfile = 265;     // eat_profile
inline constexpr int64_t kClientId = 2394;   // PSA only
inline constexpr int64_t kLifecycle = 2395;
inline constexpr int64_t kImplementationId = 2396;
inline constexpr int64_t kBootSeed = 2397;
inline constexpr int64_t kCertificationReference = 2398;
inline constexpr int64_t kSoftwareComponents = 2399;
inline constexpr int64_t kVerificationService = 2400;
inline constexpr int64_t kPlatformConfig = 2401;  // CCA only
inline constexpr int64_t kHashAlgId = 2402;       // CCA only
}  // namespace psa_claim

inline constexpr char kPsaProfile2[] = "http://arm.com/psa/2.0.0";
inline constexpr char kCcaPlatformProfile[] = "http://arm.com/CCA-SSD/1.0.0";

// RFC 9783 §4.2.1 security lifecycle: the state is the high byte (0xSS00), the low byte is
// implementation-defined.
enum class PsaLifecycle : uint8_t {
  kUnknown = 0x10,
  kAssemblyAndTest = 0x20,
  kPsaRotProvisioning = 0x20 + 1,  // not a wire value; see LifecycleOf
  kSecured = 0x30,
  kNonPsaRotDebug = 0x40,
  kRecoverablePsaRotDebug = 0x50,
  kDecommissioned = 0x60,
  kInvalid = 0xff,
};
// Maps a lifecycle claim value to its state. 0x2000..0x20ff is "assembly and test" and
// 0x2100.. is reported as provisioning (RFC 9783 §4.2.1 table).
PsaLifecycle LifecycleOf(int64_t value);
// "secured", "non-psa-rot-debug", ...
const char* LifecycleName(PsaLifecycle state);
bool IsDebugLifecycle(PsaLifecycle state);

struct PsaSwComponent {
  std::string type;         // 1 measurement-type, e.g. "BL" (optional)
  Bytes measurement;        // 2 measurement-value (32, 48 or 64 bytes; mandatory)
  std::string version;      // 4 version (optional)
  Bytes signer_id;          // 5 signer-id (optional)
  std::string description;  // 6 measurement-desc: the hash algorithm name (optional)
};

struct PsaClaims {
  std::string profile;
  Bytes nonce;        // PSA nonce or CCA platform challenge
  Bytes instance_id;  // 33 bytes, first byte 0x01 (RAND UEID)
  std::optional<int64_t> client_id;
  int64_t lifecycle = 0;
  Bytes implementation_id;  // 32 bytes
  Bytes boot_seed;          // optional in PSA 2.0
  std::string certification_reference;
  std::vector<PsaSwComponent> sw_components;
  std::string verification_service;
  Bytes platform_config;    // CCA
  std::string hash_alg_id;  // CCA ("sha-256", ...)
};

enum class PsaClaimsKind : uint8_t { kPsa, kCcaPlatform };

// Decodes and checks the claims map in `payload` (a token's COSE payload). `offset` is where
// the payload starts in the evidence, for error offsets. Fails with kPsaBadToken (not a map),
// kPsaBadClaim (wrong type or size) or kPsaMissingClaim (a claim mandatory for `kind` absent).
//
// Genuine-shaped maps (known integer keys, each once, values of the claim's type, definite
// lengths) are read straight from the bytes; everything else goes through the general
// cbor::Value decoder, which is the reference: both give the same claims and errors.
Result<PsaClaims> DecodePsaClaims(ByteView payload, PsaClaimsKind kind, size_t offset = 0);
// The general decoder alone (tests and fuzzers compare DecodePsaClaims against it).
Result<PsaClaims> DecodePsaClaimsGeneral(ByteView payload, PsaClaimsKind kind, size_t offset = 0);
// The claims map, keys in the order the genuine tokens use (simulated platforms emit it).
Bytes EncodePsaClaims(const PsaClaims& claims, PsaClaimsKind kind);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_PSA_CLAIMS_H_
