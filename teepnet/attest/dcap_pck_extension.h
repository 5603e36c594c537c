// The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1): the platform's
// TCB as Intel certified it, which the appraiser matches against the TCB Info levels.
// Layout: Intel "SGX PCK Certificate and CRL Profile", section "Intel SGX Extensions":
//   SGXExtensions ::= SEQUENCE OF SEQUENCE { extnId OBJECT IDENTIFIER, value ANY }
//   .1 PPID OCTET STRING(16)   .2 TCB SEQUENCE OF { OID .2.1-.2.16 INTEGER, .2.17 PCESVN
//   INTEGER, .2.18 CPUSVN OCTET STRING(16) }   .3 PCE-ID OCTET STRING(2)   .4 FMSPC OCTET
//   STRING(6)   .5 SGX Type ENUMERATED   (.6 PlatformInstanceID, .7 Configuration: optional)
#ifndef TEEPNET_ATTEST_DCAP_PCK_EXTENSION_H_
#define TEEPNET_ATTEST_DCAP_PCK_EXTENSION_H_

#include <array>
#include <cstdint>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::attest {

inline constexpr std::string_view kSgxExtensionOid = "1.2.840.113741.1.13.1";

struct PckExtension {
  std::array<uint8_t, 16> ppid{};
  std::array<uint8_t, 16> comp_svn{};  // SGX TCB component SVNs 1..16
  uint16_t pcesvn = 0;
  std::array<uint8_t, 16> cpusvn{};
  std::array<uint8_t, 2> pce_id{};
  std::array<uint8_t, 6> fmspc{};
  uint8_t sgx_type = 0;  // 0 Standard, 1 Scalable, 2 Scalable with integrity
};

// Parses the extension's DER contents (the bytes inside the extnValue OCTET STRING).
// Fails with attest::Errc::kDcapBadPckExtension (offset into `der`) on any malformed TLV,
// wrong-sized field, or a missing TCB, PCE-ID or FMSPC entry. Unknown entries are skipped.
Result<PckExtension> ParsePckExtension(ByteView der);

// The DER encoding of `ext` (simulated PCK certificates carry it).
Bytes EncodePckExtension(const PckExtension& ext);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_PCK_EXTENSION_H_
