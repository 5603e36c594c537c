// TESTONLY: builds X.509 certificates and CRLs with OpenSSL so tests can cover chains that
// no public sample has (expired, not yet valid, non-CA issuer, revoked, SM2, ...).
#ifndef TEEPNET_CRYPTO_TEST_CERTS_H_
#define TEEPNET_CRYPTO_TEST_CERTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::crypto::testing {

struct CertSpec {
  std::string subject_cn;
  std::string issuer_cn;  // equal to subject_cn for a self-signed certificate
  int64_t not_before = 0;
  int64_t not_after = 0;
  uint64_t serial = 1;
  bool is_ca = false;
  int path_len = -1;              // -1: no pathLenConstraint
  bool rsa_pss = false;           // sign with RSASSA-PSS (RSA issuer keys only)
  bool unknown_critical = false;  // add a critical extension nobody understands
  HashAlgorithm hash = HashAlgorithm::kSha256;
  std::string subject_alt_names = {};  // OpenSSL form, "DNS:localhost,IP:127.0.0.1"; "" for none
};

// Issues a certificate for `subject_key` signed by `issuer_key`; aborts the test on failure.
Certificate MakeCert(const CertSpec& spec, const PublicKey& subject_key,
                     const PrivateKey& issuer_key);

// The certificate as one PEM block ("-----BEGIN CERTIFICATE-----").
std::string CertToPem(const Certificate& cert);

// A CRL from `issuer` listing `revoked_serials`, thisUpdate = `this_update`.
Crl MakeCrl(const Certificate& issuer, const PrivateKey& issuer_key,
            const std::vector<uint64_t>& revoked_serials, int64_t this_update,
            HashAlgorithm hash = HashAlgorithm::kSha256);

}  // namespace teepnet::crypto::testing

#endif  // TEEPNET_CRYPTO_TEST_CERTS_H_
