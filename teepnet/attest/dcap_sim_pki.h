// The X.509 pieces of a simulated Intel SGX PKI, written as DER here (crypto/ has no production
// certificate builder) and signed through crypto::Sign with ECDSA P-256/SHA-256, the algorithm
// of every certificate and CRL in Intel's "SGX PCK Certificate and CRL Profile". Names are
// O=<organization>, CN=<common name>; CA certificates carry critical basicConstraints CA:TRUE
// and keyUsage keyCertSign|cRLSign, leaves CA:FALSE and digitalSignature.
#ifndef TEEPNET_ATTEST_DCAP_SIM_PKI_H_
#define TEEPNET_ATTEST_DCAP_SIM_PKI_H_

#include <cstdint>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

struct SimCertSpec {
  std::string organization = "teepnet simulated Intel";
  std::string subject_cn;
  std::string issuer_cn;
  uint64_t serial = 1;
  int64_t not_before = 0;
  int64_t not_after = 0;
  bool is_ca = false;
  // Non-critical extensions: dotted OID and the extnValue contents (DER).
  std::vector<std::pair<std::string, Bytes>> extensions;
};

Result<crypto::Certificate> IssueSimCertificate(const SimCertSpec& spec,
                                                const crypto::PublicKey& subject_key,
                                                const crypto::PrivateKey& issuer_key);

// An empty (nothing revoked) or listing CRL from the CA named `issuer_cn`.
Result<crypto::Crl> IssueSimCrl(const std::string& organization, const std::string& issuer_cn,
                                const std::vector<uint64_t>& revoked_serials, int64_t this_update,
                                int64_t next_update, const crypto::PrivateKey& issuer_key);

// "-----BEGIN CERTIFICATE-----" PEM of a DER certificate (64-column base64).
std::string CertificatePem(ByteView der);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_SIM_PKI_H_
