// X.509 certificates and chain validation at a caller-chosen time (attestation collateral
// from vendors is validated as of the evidence's time, and all public samples have expired).
#ifndef TEEPNET_CRYPTO_X509_H_
#define TEEPNET_CRYPTO_X509_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::crypto {

struct CertHandle;

class Certificate {
 public:
  static Result<Certificate> FromDer(ByteView der);
  static Result<Certificate> FromPem(std::string_view pem);
  // Every certificate in a PEM bundle, in order.
  static Result<std::vector<Certificate>> ParsePemBundle(std::string_view pem);

  const Bytes& der() const;
  std::string subject() const;  // RFC 2253 form
  std::string issuer() const;
  Bytes serial() const;          // big-endian magnitude
  int64_t not_before() const;    // Unix seconds
  int64_t not_after() const;
  Result<PublicKey> public_key() const;
  // The DER contents (inside the OCTET STRING) of the extension with dotted `oid`, if present
  // (AMD VCEK TCB extensions, Intel SGX PCK extensions).
  std::optional<Bytes> Extension(std::string_view oid) const;
  bool is_ca() const;

  const CertHandle& handle() const { return *handle_; }
  explicit Certificate(std::shared_ptr<const CertHandle> handle) : handle_(std::move(handle)) {}

 private:
  std::shared_ptr<const CertHandle> handle_;
};

// A certificate revocation list (DER or PEM).
class Crl {
 public:
  static Result<Crl> FromDer(ByteView der);
  static Result<Crl> FromPem(std::string_view pem);
  std::string issuer() const;
  int64_t this_update() const;
  int64_t next_update() const;  // 0 when absent
  bool IsRevoked(const Certificate& cert) const;

  struct Handle;
  const Handle& handle() const { return *handle_; }
  explicit Crl(std::shared_ptr<const Handle> handle) : handle_(std::move(handle)) {}

 private:
  std::shared_ptr<const Handle> handle_;
};

struct ChainOptions {
  int64_t at_unix_time = 0;        // evaluation time; validity periods are checked against it
  std::vector<Crl> crls;           // checked for every certificate they are issued for
  bool require_crls = false;       // fail when a certificate's issuer has no CRL in `crls`
};

// Validates leaf → intermediates → one of `roots` (signatures with ECDSA, RSA-PSS,
// RSA PKCS#1 or SM2/SM3; validity at the evaluation time; basicConstraints CA on issuers;
// revocation). Roots are trust anchors: they are matched by exact DER equality and their
// self-signatures are checked too.
Status VerifyChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                   const std::vector<Certificate>& roots, const ChainOptions& options);

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_X509_H_
