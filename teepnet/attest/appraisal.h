// The common vocabulary of attestation in teepnet: what a per-architecture appraiser returns
// and what a simulated or real platform offers. Each architecture lives in its own files
// (snp_*, csv_*, dcap_* / sgx_* / tdx_*, cca_*, psa_*) and fills these types; the Verifier, EAR
// issuance and the TEEP integration consume only what is declared here.
//
// Trustworthiness claims follow the AR4SI trust vector (draft-ietf-rats-ar4si, used by EAR):
// each claim is a small signed integer whose tier is none (-1..1), affirming (2..31, -32..-2),
// warning (32..95, -96..-33) or contraindicated (96..127, -128..-97).
#ifndef TEEPNET_ATTEST_APPRAISAL_H_
#define TEEPNET_ATTEST_APPRAISAL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

enum class Architecture : uint8_t { kTrustZone, kSgx, kSevSnp, kCca, kTdx, kCsv };
std::string_view ArchitectureName(Architecture arch);  // "trustzone", "sgx", "sev-snp", ...

// The evidence wire formats teepnet parses.
enum class EvidenceFormat : uint8_t {
  kPsaToken,      // RFC 9783 PSA attestation token (COSE_Sign1)            -> TrustZone
  kSgxQuoteV3,    // Intel DCAP ECDSA quote v3                              -> SGX
  kSevSnpReport,  // AMD SEV-SNP ATTESTATION_REPORT (versions 2, 3, 5)      -> SEV-SNP
  kCcaToken,      // Arm CCA attestation token (platform + realm, tag 399)   -> CCA
  kTdxQuote,      // Intel DCAP quote v4 / v5 (TD 1.0 and TD 1.5 bodies)     -> TDX
  kCsvReport,     // Hygon CSV attestation report                           -> CSV
};
std::string_view EvidenceFormatName(
    EvidenceFormat format);  // "psa", "sgx", "snp", "cca", "tdx", "csv"

// AR4SI trustworthiness claim values (draft-ietf-rats-ar4si §2.3).
enum class Tier : uint8_t { kNone, kAffirming, kWarning, kContraindicated };
Tier TierOf(int8_t claim_value);

// Claim names of the AR4SI trust vector, in EAR's JSON spelling.
struct TrustVector {
  int8_t instance_identity = 0;
  int8_t configuration = 0;
  int8_t executables = 0;
  int8_t file_system = 0;
  int8_t hardware = 0;
  int8_t runtime_opaque = 0;
  int8_t storage_opaque = 0;
  int8_t sourced_data = 0;
  // The worst tier across all claims (kNone when no claim is set).
  Tier Overall() const;
};

// Well-known AR4SI values used by the appraisers.
namespace ar4si {
inline constexpr int8_t kNoClaim = 0;
inline constexpr int8_t kAffirming = 2;                 // generic "trustworthy"
inline constexpr int8_t kWarning = 32;                  // generic warning
inline constexpr int8_t kContraindicated = 96;          // generic contraindication
inline constexpr int8_t kCryptoValidationFailed = 99;   // signatures/chains did not verify
inline constexpr int8_t kUnrecognizedInstance = 97;     // instance-identity: unknown identity
inline constexpr int8_t kUnsafeConfig = 99;             // configuration: e.g. debug enabled
inline constexpr int8_t kUnrecognizedExecutables = 33;  // executables: not in reference values
inline constexpr int8_t kContraindicatedExecutables = 96;
inline constexpr int8_t kHardwareGenuine = 2;
inline constexpr int8_t kHardwareUnsafe = 32;           // genuine but out of date (TCB warning)
inline constexpr int8_t kHardwareContraindicated = 96;  // revoked / out of date beyond policy
}  // namespace ar4si

// What an appraiser learned from one piece of evidence. Identity fields are kept by name so the
// CLI can print them and EAR can carry them ("measurement", "report_data", "tcb", "debug", ...);
// byte fields are lowercase hex.
struct Appraisal {
  Architecture architecture;
  EvidenceFormat format;
  TrustVector trust;
  // Why each non-affirming claim is what it is, in plain words, for the operator.
  std::vector<std::string> notes;
  // Parsed identity and state: "measurement", "report_data", "chip_id", "tcb", "debug",
  // "policy", "mrenclave", "mrsigner", "mrtd", "rtmr0".., "realm_initial_measurement",
  // "platform_instance_id", "tcb_status", ... (format-specific; documented per appraiser).
  std::map<std::string, std::string> claims;
  // The freshness/key-binding field exactly as in the evidence (REPORT_DATA, challenge/nonce).
  Bytes report_data;
  // SHA-256 of the evidence as received (EAR carries it).
  Bytes evidence_digest;

  Tier Overall() const { return trust.Overall(); }
};

// A platform that can produce evidence binding 64 bytes of caller data (a hash of the nonce and
// the keys to attest). Simulated platforms emit the architecture's genuine wire format, signed by
// a simulated manufacturer chain; real backends (configfs-tsm, /dev/sev-guest, /dev/tdx_guest)
// sit behind the same interface.
class Platform {
 public:
  virtual ~Platform() = default;
  virtual Architecture architecture() const = 0;
  virtual EvidenceFormat format() const = 0;
  // Evidence whose report-data field (or challenge claim) is exactly `report_data` (<= 64
  // bytes; shorter values are zero-padded where the format has a fixed 64-byte field).
  virtual Result<Bytes> GetEvidence(ByteView report_data) = 0;
  // The launch/instance measurement the evidence will carry, hex (for reference values).
  virtual std::string measurement_hex() const = 0;
  // Evidence for a confidential VM launched on this platform (the whole guest is its own TEE,
  // spec/instance-runtimes.md §3): the same format and signer as GetEvidence, with
  // `launch_measurement` as the guest's measurement (SEV-SNP MEASUREMENT, TDX MRTD, CCA realm
  // initial measurement, CSV measure; zero-padded to the field's width, at most that wide)
  // and `report_data` chosen by the guest. kNoGuests where the architecture runs no
  // confidential VMs (TrustZone, SGX) or the platform is not simulated.
  virtual Result<Bytes> GetGuestEvidence(ByteView report_data, ByteView launch_measurement);
};

// `measurement` zero-padded to `width` bytes; kBadState when it is longer.
Result<Bytes> PadMeasurement(ByteView measurement, size_t width);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_APPRAISAL_H_
