// The Hygon CSV attestation report as the guest's CSV_GET_REPORT ioctl returns it: a wrapper
// {magic[16], flags u32, data[4096]} (4116 bytes). An all-zero magic is report V1, the version
// this parser reads (evidence-formats.md §5); "ATTESTATION_EXT" magics select V2/V3, whose
// longer signed bodies are not yet supported (kCsvUnsupportedVersion).
//
// V1 data layout: user_pubkey_digest[32] @0, vm_id[16] @32, vm_version[16] @48,
// report_data[64] @64, mnonce[16] @128, measure[32] @144, policy u32 @176, sig_usage u32 @180,
// sig_algo u32 @184, anonce u32 @188, r[72] @192, s[72] @264, reserved to 336, PEK cert[2084]
// @336, chip serial[64] @2420, reserved[32] @2484, mac[32] @2516, zero padding to 4096.
// Bytes 0..187 are stored XORed with the little-endian anonce repeated; the signature covers
// the stored (masked) bytes 0..179.
//
// Trailing-bytes rule: the wrapper must be exactly 4116 bytes (kTrailingBytes / kTruncated
// otherwise); the unused tail of the 4096-byte data buffer is recorded and must be zero.
#ifndef TEEPNET_ATTEST_CSV_REPORT_H_
#define TEEPNET_ATTEST_CSV_REPORT_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "teepnet/attest/csv_cert.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

inline constexpr size_t kCsvWrapperSize = 16 + 4 + 4096;
inline constexpr size_t kCsvDataSize = 4096;
inline constexpr size_t kCsvSignedSize = 180;
inline constexpr size_t kCsvMaskedSize = 188;
inline constexpr size_t kCsvPekOffset = 336;
inline constexpr size_t kCsvSerialOffset = 2420;
inline constexpr size_t kCsvMacOffset = 2516;
inline constexpr size_t kCsvUsedSize = 2548;

// GUEST policy bit 0 (NODBG, as in the SEV legacy guest policy): debugging is disabled.
inline constexpr uint32_t kCsvPolicyNoDebug = 1u << 0;

struct CsvReport {
  uint32_t version = 1;
  uint32_t flags = 0;
  uint32_t anonce = 0;
  // Unmasked field values.
  std::array<uint8_t, 32> user_pubkey_digest{};
  std::array<uint8_t, 16> vm_id{};
  std::array<uint8_t, 16> vm_version{};
  std::array<uint8_t, 64> report_data{};
  std::array<uint8_t, 16> mnonce{};
  std::array<uint8_t, 32> measure{};
  uint32_t policy = 0;
  uint32_t sig_usage = 0;
  uint32_t sig_algo = 0;
  CsvSignature signature;   // usage/algo copied from sig_usage/sig_algo
  Bytes signed_body;        // the 180 stored (masked) bytes the signature covers
  CsvCert pek;              // decoded without its key (CsvParseKey(pek.key_fields) when needed)
  std::string chip_serial;  // NUL-trimmed
  std::array<uint8_t, 32> mac{};
  bool reserved_zero = true;  // 332..335, 2484..2515 and the tail after the MAC
};

Result<CsvReport> DecodeCsvReport(ByteView wrapper);

// The inverse, for simulated platforms: masks with `anonce` and writes `signature_rs`
// (big-endian r||s, 64 bytes; may be empty while building the bytes to sign).
Bytes EncodeCsvReport(const CsvReport& report, ByteView pek_cert, ByteView signature_rs);

// Builds the wrapper from the JSON evidence Trustee's CSV attester sends
// ({"attestation_report": {"magic": [...16], "flags": n, "data": [...4096]}, ...}).
Result<Bytes> CsvWrapperFromTrusteeJson(std::string_view json);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_CSV_REPORT_H_
