// Intel DCAP ECDSA quotes: v3 (SGX), v4 (SGX or TDX 1.0) and v5 (SGX, TD 1.0, TD 1.5), parsed
// field by field into typed structs. Layouts: Intel "SGX ECDSA Quote Library API" (appendix
// "Quote Format", v3) and "TDX DCAP Quoting Library API" (v4/v5); see
// shared/docs/spec/evidence-formats.md §2.
//
// Parsing checks structure only (sizes, versions, key and TEE types, certification-data
// types). It verifies nothing: the appraiser (dcap_appraise.h) does every signature and chain.
// Views in DcapQuote borrow the input buffer; it must outlive the DcapQuote.
#ifndef TEEPNET_ATTEST_DCAP_QUOTE_H_
#define TEEPNET_ATTEST_DCAP_QUOTE_H_

#include <array>
#include <cstdint>
#include <optional>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

// Wire constants (Quote Format tables).
inline constexpr uint16_t kDcapAttestationKeyEcdsaP256 = 2;
inline constexpr uint32_t kDcapTeeTypeSgx = 0x00000000;
inline constexpr uint32_t kDcapTeeTypeTdx = 0x00000081;
inline constexpr size_t kDcapHeaderSize = 48;
inline constexpr size_t kSgxReportBodySize = 384;
inline constexpr size_t kTd10ReportBodySize = 584;
inline constexpr size_t kTd15ReportBodySize = 648;
// Certification data types (QE Library API, "Certification Data Type").
inline constexpr uint16_t kDcapCertDataPckChainPem = 5;
inline constexpr uint16_t kDcapCertDataQeReport = 6;
// Intel's QE vendor id, 939a7233-f79c-4ca9-940a-0db3957f0607.
inline constexpr std::array<uint8_t, 16> kIntelQeVendorId = {
    0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};

// SGX REPORT body (384 bytes): the enclave's identity as the CPU reports it.
struct SgxReportBody {
  ByteView raw;  // all 384 bytes (the QE report signature covers exactly these)
  std::array<uint8_t, 16> cpusvn{};
  uint32_t miscselect = 0;
  std::array<uint8_t, 16> attributes{};  // byte 0 bit 1 = DEBUG
  std::array<uint8_t, 32> mrenclave{};
  std::array<uint8_t, 32> mrsigner{};
  uint16_t isvprodid = 0;
  uint16_t isvsvn = 0;
  std::array<uint8_t, 64> report_data{};
};

// TD report body: TD 1.0 (584 bytes) or TD 1.5 (648 bytes, two more fields).
struct TdReportBody {
  std::array<uint8_t, 16> tee_tcb_svn{};
  std::array<uint8_t, 48> mrseam{};
  std::array<uint8_t, 48> mrsignerseam{};
  std::array<uint8_t, 8> seam_attributes{};
  std::array<uint8_t, 8> td_attributes{};  // byte 0 bit 0 = DEBUG
  std::array<uint8_t, 8> xfam{};
  std::array<uint8_t, 48> mrtd{};
  std::array<uint8_t, 48> mrconfigid{};
  std::array<uint8_t, 48> mrowner{};
  std::array<uint8_t, 48> mrownerconfig{};
  std::array<std::array<uint8_t, 48>, 4> rtmr{};
  std::array<uint8_t, 64> report_data{};
  bool td15 = false;  // the two fields below are present
  std::array<uint8_t, 16> tee_tcb_svn2{};
  std::array<uint8_t, 48> mrservicetd{};
};

struct DcapQuote {
  // Header (48 bytes).
  uint16_t version = 0;
  uint16_t att_key_type = 0;
  uint32_t tee_type = 0;
  uint16_t qe_svn = 0;   // v3 only
  uint16_t pce_svn = 0;  // v3 only
  std::array<uint8_t, 16> qe_vendor_id{};
  std::array<uint8_t, 20> user_data{};
  // Body: exactly one of the two is set.
  std::optional<SgxReportBody> sgx;
  std::optional<TdReportBody> td;
  // The bytes the quote signature covers: header (+ v5 type/size) + body.
  ByteView signed_region;
  // Signature data.
  ByteView quote_signature;  // 64 bytes r||s
  ByteView attestation_key;  // 64 bytes X||Y
  SgxReportBody qe_report;
  ByteView qe_report_signature;  // 64 bytes r||s
  ByteView qe_auth_data;
  uint16_t cert_data_type = 0;  // innermost type: 5 for a PEM PCK chain
  ByteView cert_data;           // innermost certification data (the PEM chain for type 5)
  // Bytes after the declared signature data; genuine quote buffers carry zero padding.
  ByteView trailing;
  bool trailing_all_zero = true;
};

// Parses a v3/v4/v5 quote. Fails with attest::Errc: kTruncated (with the offset where input
// ended), kDcapUnsupportedVersion, kDcapUnsupportedKeyType, kDcapUnsupportedTeeType,
// kDcapBadBodySize, kDcapBadCertificationData. Bytes after the signature data are not an error
// here: they are returned in `trailing` and the appraiser applies the trailing-bytes rule.
Result<DcapQuote> ParseDcapQuote(ByteView quote);

// Parses one 384-byte SGX report body from `reader` (also used for the QE report).
bool ReadSgxReportBody(ByteReader& reader, SgxReportBody* out);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_QUOTE_H_
