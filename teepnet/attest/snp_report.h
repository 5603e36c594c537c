// The AMD SEV-SNP ATTESTATION_REPORT (SEV Secure Nested Paging Firmware ABI Specification,
// AMD pub. 56860, MSG_REPORT_REQ chapter, "ATTESTATION_REPORT Structure"): 1184 bytes,
// little-endian, versions 2, 3 and 5. Decoding only splits the bytes into fields; every
// semantic check (reserved bytes, signature, policy) belongs to the appraiser, so a report
// with one flipped bit still decodes and is then appraised as contraindicated.
#ifndef TEEPNET_ATTEST_SNP_REPORT_H_
#define TEEPNET_ATTEST_SNP_REPORT_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

inline constexpr size_t kSnpReportSize = 0x4A0;     // 1184
inline constexpr size_t kSnpSignedSize = 0x2A0;     // bytes 0x000..0x29F are signed
inline constexpr size_t kSnpSigComponentSize = 72;  // R and S, little-endian, zero-padded
inline constexpr uint32_t kSnpSigAlgoEcdsaP384Sha384 = 1;

// GUEST_POLICY bits (ABI spec, "Guest Policy Structure").
namespace snp_policy_bits {
inline constexpr uint64_t kSmt = 1ull << 16;
inline constexpr uint64_t kReservedOne = 1ull << 17;  // must be 1
inline constexpr uint64_t kMigrateMa = 1ull << 18;
inline constexpr uint64_t kDebug = 1ull << 19;
inline constexpr uint64_t kSingleSocket = 1ull << 20;
}  // namespace snp_policy_bits

// SIGNING_KEY values in bits 2..4 of the signer-info word at 0x48.
enum class SnpSigningKey : uint8_t { kVcek = 0, kVlek = 1, kNone = 7 };

struct SnpReport {
  uint32_t version = 0;
  uint32_t guest_svn = 0;
  uint64_t policy = 0;
  std::array<uint8_t, 16> family_id{};
  std::array<uint8_t, 16> image_id{};
  uint32_t vmpl = 0;
  uint32_t signature_algo = 0;
  uint64_t current_tcb = 0;
  uint64_t platform_info = 0;
  uint32_t signer_info = 0;  // AUTHOR_KEY_EN, MASK_CHIP_KEY, SIGNING_KEY
  std::array<uint8_t, 64> report_data{};
  std::array<uint8_t, 48> measurement{};
  std::array<uint8_t, 32> host_data{};
  std::array<uint8_t, 48> id_key_digest{};
  std::array<uint8_t, 48> author_key_digest{};
  std::array<uint8_t, 32> report_id{};
  std::array<uint8_t, 32> report_id_ma{};
  uint64_t reported_tcb = 0;
  uint8_t cpuid_fam_id = 0;  // v3+
  uint8_t cpuid_mod_id = 0;
  uint8_t cpuid_step = 0;
  std::array<uint8_t, 64> chip_id{};
  uint64_t committed_tcb = 0;
  uint8_t current_build = 0, current_minor = 0, current_major = 0;
  uint8_t committed_build = 0, committed_minor = 0, committed_major = 0;
  uint64_t launch_tcb = 0;
  uint64_t launch_mit_vector = 0;  // v5+
  uint64_t current_mit_vector = 0;
  // Little-endian R and S exactly as stored (72 bytes each).
  std::array<uint8_t, kSnpSigComponentSize> sig_r{};
  std::array<uint8_t, kSnpSigComponentSize> sig_s{};

  // The reserved ranges of every version (0x04C, 0x18B..0x19F, 0x1EB, 0x1EF, 0x208..0x29F)
  // must be zero; the decoder records the first offset that is not (version-dependent fields
  // such as CPUID in v2 or the mitigation vectors before v5 are checked by the appraiser).
  bool reserved_all_zero = true;
  size_t nonzero_reserved_offset = 0;
  // True when the 368 bytes after S in the signature field are all zero.
  bool signature_padding_zero = true;

  SnpSigningKey signing_key() const { return static_cast<SnpSigningKey>((signer_info >> 2) & 7); }
  bool mask_chip_key() const { return (signer_info & 2) != 0; }
  bool author_key_en() const { return (signer_info & 1) != 0; }
};

// Decodes exactly one report. Trailing-bytes rule: an SNP report has a fixed size and no
// variable tail, so the input must be exactly 1184 bytes; anything longer or shorter fails with
// kSnpBadReportSize (offset = where the input or the report ends, whichever is first). The
// signature covers the first kSnpSignedSize bytes of `input`.
Result<SnpReport> DecodeSnpReport(ByteView input);

// Encodes a report (simulated platforms and tests); the signature fields are copied as-is.
Bytes EncodeSnpReport(const SnpReport& report);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SNP_REPORT_H_
