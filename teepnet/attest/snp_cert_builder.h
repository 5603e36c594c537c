// Issues the X.509 certificates of a simulated AMD key hierarchy (ARK → ASK → VCEK) in the
// shape AMD's KDS serves them: RSASSA-PSS/SHA-384 signatures (salt 48, MGF1-SHA-384), a
// basicConstraints CA flag on the ARK and ASK, and on the VCEK the AMD extensions of VCEK spec
// 57230 §3 (productName IA5String, SPLs as DER INTEGERs, hwID as the raw chip id). The DER is
// written here because crypto/ has no production certificate builder; signing goes through
// crypto::Sign, so no OpenSSL header is needed.
#ifndef TEEPNET_ATTEST_SNP_CERT_BUILDER_H_
#define TEEPNET_ATTEST_SNP_CERT_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

struct SnpCertExtension {
  std::string oid;  // dotted
  Bytes value;      // the extnValue contents (DER of the inner value, or raw bytes for hwID)
};

struct SnpCertSpec {
  std::string subject_cn;  // "SEV-Milan" style names, under O=teepnet simulated AMD
  std::string issuer_cn;
  Bytes serial;            // big-endian magnitude, 1..20 bytes
  int64_t not_before = 0;  // Unix seconds
  int64_t not_after = 0;
  bool is_ca = false;
  std::vector<SnpCertExtension> extensions;
};

// Signs with `issuer_key` (RSA) using RSASSA-PSS/SHA-384 and returns the parsed certificate.
Result<crypto::Certificate> IssueSnpCertificate(const SnpCertSpec& spec,
                                                const crypto::PublicKey& subject_key,
                                                const crypto::PrivateKey& issuer_key);

// DER helpers for extension values: INTEGER 0..255, IA5String.
Bytes DerSmallInteger(uint8_t value);
Bytes DerIa5String(std::string_view text);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SNP_CERT_BUILDER_H_
