// Hygon's own certificate formats for CSV (China Secure Virtualization), which follow the
// AMD SEV legacy layouts with SM2 keys (no public English spec; layouts as in
// shared/docs/spec/evidence-formats.md §5 and the hygon-csv vector README, confirmed by
// verifying the real HRK, HSK and CEK):
//  - CA certificate (HRK, HSK), 832 bytes: signed body 0..575, r[72] LE @576, s[72] LE @648.
//  - CSV certificate (CEK, PEK, OCA), 2084 bytes: signed body 0..1043, then two signature
//    slots {usage, algo, r[72] LE, s[72] LE, reserved[368]} at 1044 and 1564.
// Coordinates and signature halves are 72-byte little-endian fields of which SM2 uses the low
// 32 bytes; the rest must be zero. Signatures are SM2 with SM3, and the SM2 distinguishing
// identifier (GM/T 0003.2 Z value) is the signer certificate's user_id.
#ifndef TEEPNET_ATTEST_CSV_CERT_H_
#define TEEPNET_ATTEST_CSV_CERT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::attest {

inline constexpr size_t kCsvCaCertSize = 832;
inline constexpr size_t kCsvCaCertSignedSize = 576;
inline constexpr size_t kCsvCertSize = 2084;
inline constexpr size_t kCsvCertSignedSize = 1044;
inline constexpr size_t kCsvFieldSize = 72;  // one LE coordinate or signature half
inline constexpr uint32_t kCsvCurveSm2 = 3;
inline constexpr uint32_t kCsvAlgoSm2 = 4;

// Key usages (the AMD SEV legacy values, kept by Hygon).
enum class CsvUsage : uint32_t {
  kHrk = 0x0000,
  kHsk = 0x0013,
  kOca = 0x1001,
  kPek = 0x1002,
  kPdh = 0x1003,
  kCek = 0x1004,
  kInvalid = 0x1000,  // an empty signature slot
};

// A 72-byte LE SM2 field pair as stored, plus whether the unused high bytes are zero.
struct CsvSignature {
  uint32_t usage = 0;
  uint32_t algo = 0;
  Bytes raw;  // big-endian r||s, 32 + 32 bytes
  bool padding_zero = true;
};

struct CsvCaCert {
  uint32_t version = 0;
  std::array<uint8_t, 16> key_id{};
  std::array<uint8_t, 16> signing_key_id{};
  uint32_t usage = 0;
  uint32_t curve = 0;
  std::optional<crypto::PublicKey> key;  // absent when the point is not on SM2 or padded
  std::string user_id;
  Bytes signed_body;  // bytes 0..575
  CsvSignature signature;
};

struct CsvCert {
  uint32_t version = 0;
  uint8_t fw_major = 0, fw_minor = 0;
  uint32_t usage = 0;
  uint32_t algo = 0;
  uint32_t curve = 0;
  // Absent when not requested from DecodeCsvCert or when the point is not a valid SM2 key.
  std::optional<crypto::PublicKey> key;
  Bytes key_fields;  // x[72] || y[72] as stored, for CsvParseKey
  std::string user_id;
  std::array<uint8_t, 16> sid{};  // for a CEK, the key_id of the HSK that signed it
  Bytes raw;                      // all 2084 bytes
  Bytes signed_body;              // bytes 0..1043
  std::array<CsvSignature, 2> signatures;
  // The slot signed by a key of `usage`, if any.
  const CsvSignature* SlotFor(CsvUsage usage) const;
};

// Exact sizes only (kCsvBadCertificate otherwise, offset = where the input stopped or the
// first byte beyond the certificate).
Result<CsvCaCert> DecodeCsvCaCert(ByteView input);
// `parse_key` = false leaves `key` empty: importing and validating an SM2 point costs about a
// scalar multiplication, so the appraiser parses a report's PEK key once per distinct PEK.
Result<CsvCert> DecodeCsvCert(ByteView input, bool parse_key = true);
// The SM2 key of a {x[72], y[72]} little-endian field pair (high 40 bytes of each zero).
std::optional<crypto::PublicKey> CsvParseKey(ByteView key_fields);

// Verifies `sig` over `message` with `signer` (SM2/SM3, Z from `signer_uid`).
Status VerifyCsvSignature(const crypto::PublicKey& signer, std::string_view signer_uid,
                          ByteView message, const CsvSignature& sig);

// Encoding helpers for simulated platforms: a key as the {curve/usage, x, y} layout fields and
// a raw r||s signature into the 144-byte LE r,s pair.
Bytes CsvEncodeCoordinates(const crypto::PublicKey& key);  // x[72] || y[72]
Bytes CsvEncodeSignature(ByteView raw_rs);                 // r[72] || s[72]
// The user_id field: uid_size u16 then 254 bytes, zero-padded.
Bytes CsvEncodeUserId(std::string_view uid);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_CSV_CERT_H_
