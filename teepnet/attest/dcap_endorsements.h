// The collateral a DCAP appraisal needs besides the quote (which carries its own PCK chain):
// TCB Info and QE Identity with their signatures, the TCB Signing chain, and the CRLs (Intel
// SGX Root CA CRL, PCK Platform/Processor CA CRL). Immutable once built; digest() names the
// whole set so verified results can be cached (dcap_cache.h).
#ifndef TEEPNET_ATTEST_DCAP_ENDORSEMENTS_H_
#define TEEPNET_ATTEST_DCAP_ENDORSEMENTS_H_

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

// SHA-256 of the DER Intel SGX Root CA certificate (evidence-formats.md §2.3 step 4).
inline constexpr std::array<uint8_t, 32> kIntelSgxRootCaSha256 = {
    0x44, 0xa0, 0x19, 0x6b, 0x2b, 0x99, 0xf8, 0x89, 0xb8, 0xe1, 0x49, 0xe9, 0x5b, 0x80, 0x7a, 0x35,
    0x0e, 0x74, 0x24, 0x96, 0x43, 0x99, 0xe8, 0x85, 0xa7, 0xcb, 0xb8, 0xcc, 0xfa, 0xb6, 0x74, 0xd3};

class DcapEndorsements {
 public:
  struct Parts {
    Bytes tcb_info;               // exact signed bytes of the "tcbInfo" value
    Bytes tcb_info_signature;     // raw r||s, 64 bytes
    Bytes qe_identity;            // exact signed bytes of the "enclaveIdentity" value
    Bytes qe_identity_signature;  // raw r||s, 64 bytes
    std::vector<crypto::Certificate> tcb_signing_chain;  // TCB Signing first; root optional
    std::vector<crypto::Crl> crls;                       // any of root CA CRL, PCK CA CRL
    // The trust anchor: the root certificate whose DER has this SHA-256 (genuine Intel by
    // default; simulated platforms pin their own root). The root itself may come from any
    // chain (TCB signing chain or the quote's PCK chain) or from `root`.
    std::array<uint8_t, 32> root_sha256 = kIntelSgxRootCaSha256;
    std::vector<crypto::Certificate> extra_roots;
  };

  static DcapEndorsements FromParts(Parts parts);

  // Two raw Intel PCS response bodies ({"tcbInfo":{...},"signature":"hex"} and
  // {"enclaveIdentity":{...},"signature":"hex"}), the TCB-Info-Issuer-Chain header (PEM) and
  // CRLs (DER). The signed values are located in the received bytes, never re-serialised.
  static Result<DcapEndorsements> FromPcsResponses(ByteView tcb_info_response,
                                                   ByteView qe_identity_response,
                                                   std::string_view issuer_chain_pem,
                                                   const std::vector<Bytes>& crls_der);

  // A collateral bundle in the dcap-qvl / PCCS "QuoteCollateralV3" JSON form: string fields
  // tcb_info, tcb_info_signature (hex), tcb_info_issuer_chain (PEM), qe_identity,
  // qe_identity_signature, qe_identity_issuer_chain, pck_crl and root_ca_crl (hex DER or PEM).
  // The tcb_info / qe_identity strings are the signed bytes.
  static Result<DcapEndorsements> FromCollateralJson(ByteView json);

  const Parts& parts() const { return parts_; }
  // SHA-256 over every part (length-prefixed), computed once at construction.
  const Bytes& digest() const { return digest_; }

  // A copy with a different trust anchor pin (same collateral).
  DcapEndorsements WithRootPin(const std::array<uint8_t, 32>& root_sha256) const;

 private:
  explicit DcapEndorsements(Parts parts);
  Parts parts_;
  Bytes digest_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_ENDORSEMENTS_H_
