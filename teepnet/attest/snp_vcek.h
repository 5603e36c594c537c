// The AMD-specific extensions of a VCEK or VLEK certificate (AMD "Versioned Chip Endorsement
// Key (VCEK) Certificate and KDS Interface Specification", pub. 57230, §3): the TCB the key was
// derived for, the chip it belongs to and the product line.
#ifndef TEEPNET_ATTEST_SNP_VCEK_H_
#define TEEPNET_ATTEST_SNP_VCEK_H_

#include <optional>
#include <string>
#include <string_view>

#include "teepnet/attest/snp_tcb.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

namespace snp_oid {
inline constexpr std::string_view kProductName = "1.3.6.1.4.1.3704.1.2";
inline constexpr std::string_view kBlSpl = "1.3.6.1.4.1.3704.1.3.1";
inline constexpr std::string_view kTeeSpl = "1.3.6.1.4.1.3704.1.3.2";
inline constexpr std::string_view kSnpSpl = "1.3.6.1.4.1.3704.1.3.3";
inline constexpr std::string_view kUcodeSpl = "1.3.6.1.4.1.3704.1.3.8";
inline constexpr std::string_view kFmcSpl = "1.3.6.1.4.1.3704.1.3.9";  // Turin
inline constexpr std::string_view kHwId = "1.3.6.1.4.1.3704.1.4";
inline constexpr std::string_view kCspId = "1.3.6.1.4.1.3704.1.5";  // VLEK
}  // namespace snp_oid

struct SnpVcekInfo {
  // The SPL extensions; absent components read as nullopt (an absent SPL cannot match).
  std::optional<uint8_t> bl, tee, snp, ucode, fmc;
  std::optional<Bytes> hw_id;  // 64 bytes (Milan/Genoa) or 8 bytes (Turin)
  std::string product_name;    // IA5String, e.g. "Milan-B0"; empty when absent
  std::optional<std::string> csp_id;

  // True when every SPL present in the certificate equals `tcb` and bl/tee/snp/ucode (and
  // fmc on Turin) are all present (VCEK spec §3: the SPLs are those the key was derived for).
  bool MatchesTcb(const SnpTcb& tcb, SnpProduct product) const;
};

// Reads the extensions. Fails with kBadEndorsement when one is present but malformed (an SPL
// that is not a DER INTEGER 0..255, a productName that is not an IA5String).
Result<SnpVcekInfo> ReadSnpVcekInfo(const crypto::Certificate& cert);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SNP_VCEK_H_
