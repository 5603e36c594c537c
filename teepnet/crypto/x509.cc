#include "teepnet/crypto/x509.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <openssl/err.h>

#include <ctime>

#include "teepnet/crypto/cert_handle.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/key_handle.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

using internal::OsslError;
using internal::X509CrlPtr;
using internal::X509Ptr;

namespace {

// Deepest chain walked (leaf + intermediates + root); vendor chains have 3 or 4 levels.
constexpr size_t kMaxChainDepth = 8;

std::string NameString(const X509_NAME* name) {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return {};
  Bytes text = internal::BioContents(bio.get());
  return std::string(AsChars(text));
}

int64_t TimeOf(const ASN1_TIME* t) {
  struct tm tm = {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

Result<Certificate> Wrap(X509Ptr x509) {
  auto handle = std::make_shared<CertHandle>();
  unsigned char* out = nullptr;
  int len = i2d_X509(x509.get(), &out);
  if (len <= 0) return OsslError(Errc::kBadEncoding, "certificate does not re-encode");
  handle->der.assign(out, out + len);
  OPENSSL_free(out);
  if (X509_get_signature_nid(x509.get()) == NID_SM2_with_SM3) {
    // GM/T 0015-2012 §7.3 (SM2 certificates) signs with the default distinguishing ID
    // "1234567812345678"; OpenSSL 3.0 would otherwise verify with an empty ID.
    ASN1_OCTET_STRING* id = ASN1_OCTET_STRING_new();
    if (id == nullptr ||
        ASN1_OCTET_STRING_set(id, reinterpret_cast<const unsigned char*>("1234567812345678"), 16) !=
            1) {
      ASN1_OCTET_STRING_free(id);
      return OsslError(Errc::kInternal, "SM2 distinguishing ID allocation failed");
    }
    X509_set0_distinguishing_id(x509.get(), id);
  }
  // Caches extension flags (basicConstraints, critical extensions) once, before the handle is
  // shared between threads.
  X509_check_purpose(x509.get(), -1, 0);
  handle->x509 = std::move(x509);
  return Certificate(std::move(handle));
}

X509* X(const Certificate& c) {
  return c.handle().x509.get();
}

bool SameName(const X509_NAME* a, const X509_NAME* b) {
  return X509_NAME_cmp(a, b) == 0;
}

// Signature of `cert` by `issuer`'s key (RSA-PSS parameters and SM2 handled by OpenSSL from
// the AlgorithmIdentifier).
bool SignedBy(X509* cert, X509* issuer) {
  EVP_PKEY* key = X509_get0_pubkey(issuer);
  bool ok = key != nullptr && X509_verify(cert, key) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

Status CheckValidity(const Certificate& cert, int64_t at) {
  //= https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3
  //# (a)(2) The certificate validity period includes the current time.
  if (at < cert.not_before() || at > cert.not_after()) {
    return Error(Errc::kCertificateExpired,
                 "certificate " + cert.subject() + " is not valid at the evaluation time");
  }
  return OkStatus();
}

// `intermediates_below`: CA certificates between `issuer` and the leaf.
Status CheckIssuerIsCa(const Certificate& issuer, size_t intermediates_below) {
  //= https://www.rfc-editor.org/rfc/rfc5280#section-6.1.4
  //# (k) If certificate i is a version 3 certificate, verify that the basicConstraints
  //# extension is present and that cA is set to TRUE.
  if (!issuer.is_ca()) {
    return Error(Errc::kCertificateInvalid, "issuer " + issuer.subject() + " is not a CA");
  }
  // RFC 5280 §4.2.1.9: pathLenConstraint is the maximum number of non-self-issued
  // intermediate certificates that may follow this certificate in a path.
  long pathlen = X509_get_pathlen(X(issuer));
  if (pathlen >= 0 && static_cast<long>(intermediates_below) > pathlen) {
    return Error(Errc::kCertificateInvalid, "path length constraint of " + issuer.subject());
  }
  if ((X509_get_extension_flags(X(issuer)) & EXFLAG_KUSAGE) != 0 &&
      (X509_get_key_usage(X(issuer)) & KU_KEY_CERT_SIGN) == 0) {
    return Error(Errc::kCertificateInvalid, "issuer key usage lacks keyCertSign");
  }
  return OkStatus();
}

Status CheckCriticalExtensions(const Certificate& cert) {
  //= https://www.rfc-editor.org/rfc/rfc5280#section-4.2
  //# A certificate-using system MUST reject the certificate if it encounters a critical
  //# extension it does not recognize
  if ((X509_get_extension_flags(X(cert)) & EXFLAG_CRITICAL) != 0) {
    return Error(Errc::kCertificateInvalid, "unrecognised critical extension in " + cert.subject());
  }
  return OkStatus();
}

// Revocation of `cert` (issued by `issuer`) against the caller's CRLs.
Status CheckRevocation(const Certificate& cert, const Certificate& issuer,
                       const ChainOptions& options) {
  bool covered = false;
  for (const Crl& crl : options.crls) {
    X509_CRL* c = crl.handle().crl.get();
    if (!SameName(X509_CRL_get_issuer(c), X509_get_subject_name(X(issuer)))) continue;
    // A CRL naming this issuer must be signed by it; a forged one is an attack, not noise.
    EVP_PKEY* key = X509_get0_pubkey(X(issuer));
    if (key == nullptr || X509_CRL_verify(c, key) != 1) {
      return OsslError(Errc::kCertificateInvalid,
                       "CRL of " + issuer.subject() + " is not signed by that issuer");
    }
    covered = true;
    if (crl.IsRevoked(cert)) {
      return Error(Errc::kCertificateRevoked, "certificate " + cert.subject() + " is revoked");
    }
  }
  if (options.require_crls && !covered) {
    return Error(Errc::kChainUntrusted, "no CRL given for issuer " + issuer.subject());
  }
  return OkStatus();
}

// Checks the trust anchor itself: exact member of `roots`, self-signed, in validity, a CA.
Status CheckRoot(const Certificate& root, const ChainOptions& options) {
  if (!SignedBy(X(root), X(root))) {
    return Error(Errc::kCertificateInvalid, "root " + root.subject() + " self-signature fails");
  }
  TEEPNET_RETURN_IF_ERROR(CheckValidity(root, options.at_unix_time));
  return OkStatus();
}

const Certificate* FindRootByDer(const Certificate& cert, const std::vector<Certificate>& roots) {
  for (const Certificate& r : roots) {
    if (Equal(r.der(), cert.der())) return &r;
  }
  return nullptr;
}

}  // namespace

// ---- Certificate -----------------------------------------------------------------------

Result<Certificate> Certificate::FromDer(ByteView der) {
  if (!internal::FitsInt(der.size())) return Error(Errc::kBadEncoding, "certificate too large");
  const unsigned char* p = der.data();
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x509) return OsslError(Errc::kBadEncoding, "certificate DER does not parse");
  if (p != der.data() + der.size()) {
    return Error(Errc::kBadEncoding, "bytes after the certificate");
  }
  return Wrap(std::move(x509));
}

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  TEEPNET_ASSIGN_OR_RETURN(std::vector<Certificate> all, ParsePemBundle(pem));
  if (all.size() != 1) return Error(Errc::kBadEncoding, "expected exactly one PEM certificate");
  return std::move(all.front());
}

Result<std::vector<Certificate>> Certificate::ParsePemBundle(std::string_view pem) {
  auto bio = internal::ReadBio(AsBytes(pem));
  if (!bio) return Error(Errc::kBadEncoding, "PEM too large");
  std::vector<Certificate> out;
  while (true) {
    X509Ptr x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!x509) break;
    TEEPNET_ASSIGN_OR_RETURN(Certificate cert, Wrap(std::move(x509)));
    out.push_back(std::move(cert));
  }
  // The loop ends at end of input (PEM_R_NO_START_LINE) or at a broken block.
  unsigned long err = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
  ERR_clear_error();
  if (!clean_end) return Error(Errc::kBadEncoding, "a PEM certificate block does not parse");
  if (out.empty()) return Error(Errc::kBadEncoding, "no PEM certificate found");
  return out;
}

const Bytes& Certificate::der() const {
  return handle_->der;
}
std::string Certificate::subject() const {
  return NameString(X509_get_subject_name(X(*this)));
}
std::string Certificate::issuer() const {
  return NameString(X509_get_issuer_name(X(*this)));
}

Bytes Certificate::serial() const {
  internal::BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(X(*this)), nullptr));
  if (!bn) return {};
  Bytes out(static_cast<size_t>(BN_num_bytes(bn.get())));
  BN_bn2bin(bn.get(), out.data());
  return out;
}

int64_t Certificate::not_before() const {
  return TimeOf(X509_get0_notBefore(X(*this)));
}
int64_t Certificate::not_after() const {
  return TimeOf(X509_get0_notAfter(X(*this)));
}

Result<PublicKey> Certificate::public_key() const {
  EVP_PKEY* key = X509_get0_pubkey(X(*this));
  if (key == nullptr) return OsslError(Errc::kBadKey, "certificate key does not decode");
  TEEPNET_ASSIGN_OR_RETURN(KeyType type, internal::KeyTypeOf(key));
  EVP_PKEY_up_ref(key);
  return PublicKey(type, internal::MakeHandle(internal::EvpPkeyPtr(key)));
}

std::optional<Bytes> Certificate::Extension(std::string_view oid) const {
  std::string text(oid);
  std::unique_ptr<ASN1_OBJECT, internal::Deleter<ASN1_OBJECT_free>> obj(
      OBJ_txt2obj(text.c_str(), 1));
  if (!obj) {
    ERR_clear_error();
    return std::nullopt;
  }
  int index = X509_get_ext_by_OBJ(X(*this), obj.get(), -1);
  if (index < 0) return std::nullopt;
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(X(*this), index));
  if (data == nullptr) return std::nullopt;
  const uint8_t* bytes = ASN1_STRING_get0_data(data);
  return Bytes(bytes, bytes + ASN1_STRING_length(data));
}

bool Certificate::is_ca() const {
  return (X509_get_extension_flags(X(*this)) & EXFLAG_CA) != 0;
}

// ---- Crl -------------------------------------------------------------------------------

Result<Crl> Crl::FromDer(ByteView der) {
  if (!internal::FitsInt(der.size())) return Error(Errc::kBadEncoding, "CRL too large");
  const unsigned char* p = der.data();
  X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (!crl) return OsslError(Errc::kBadEncoding, "CRL DER does not parse");
  if (p != der.data() + der.size()) return Error(Errc::kBadEncoding, "bytes after the CRL");
  auto handle = std::make_shared<Handle>();
  handle->crl = std::move(crl);
  return Crl(std::move(handle));
}

Result<Crl> Crl::FromPem(std::string_view pem) {
  auto bio = internal::ReadBio(AsBytes(pem));
  if (!bio) return Error(Errc::kBadEncoding, "PEM too large");
  X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (!crl) return OsslError(Errc::kBadEncoding, "CRL PEM does not parse");
  auto handle = std::make_shared<Handle>();
  handle->crl = std::move(crl);
  return Crl(std::move(handle));
}

std::string Crl::issuer() const {
  return NameString(X509_CRL_get_issuer(handle_->crl.get()));
}
int64_t Crl::this_update() const {
  return TimeOf(X509_CRL_get0_lastUpdate(handle_->crl.get()));
}
int64_t Crl::next_update() const {
  return TimeOf(X509_CRL_get0_nextUpdate(handle_->crl.get()));
}

bool Crl::IsRevoked(const Certificate& cert) const {
  X509_CRL* crl = handle_->crl.get();
  // RFC 5280 §5.3.3 (indirect CRLs) is not supported: an entry applies only to
  // certificates whose issuer is the CRL issuer.
  if (!SameName(X509_CRL_get_issuer(crl), X509_get_issuer_name(X(cert)))) return false;
  X509_REVOKED* entry = nullptr;
  // The lookup needs a mutable serial object; a copy keeps the certificate untouched.
  std::unique_ptr<ASN1_INTEGER, internal::Deleter<ASN1_INTEGER_free>> serial(
      ASN1_INTEGER_dup(X509_get0_serialNumber(X(cert))));
  if (!serial) return false;
  return X509_CRL_get0_by_serial(crl, &entry, serial.get()) == 1;
}

// ---- Chain -----------------------------------------------------------------------------

Status VerifyChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                   const std::vector<Certificate>& roots, const ChainOptions& options) {
  if (roots.empty()) return Error(Errc::kChainUntrusted, "no trust anchors given");
  std::vector<const Certificate*> path = {&leaf};
  const Certificate* anchor = FindRootByDer(leaf, roots);
  while (anchor == nullptr) {
    if (path.size() >= kMaxChainDepth) {
      return Error(Errc::kChainUntrusted, "no trust anchor within the chain depth limit");
    }
    const Certificate& current = *path.back();
    const X509_NAME* wanted = X509_get_issuer_name(X(current));
    const Certificate* next = nullptr;
    bool name_matched = false;
    // Roots first, so a chain that carries a copy of its root ends at the given anchor.
    for (const std::vector<Certificate>* pool : {&roots, &intermediates}) {
      for (const Certificate& candidate : *pool) {
        if (!SameName(X509_get_subject_name(X(candidate)), wanted)) continue;
        name_matched = true;
        if (SignedBy(X(current), X(candidate))) {
          next = &candidate;
          break;
        }
      }
      if (next != nullptr) break;
    }
    if (next == nullptr) {
      return Error(name_matched ? Errc::kCertificateInvalid : Errc::kChainUntrusted,
                   name_matched ? "signature of " + current.subject() + " does not verify"
                                : "no issuer found for " + current.subject());
    }
    for (const Certificate* seen : path) {
      if (seen == next) return Error(Errc::kChainUntrusted, "certificate loop in the chain");
    }
    path.push_back(next);
    anchor = FindRootByDer(*next, roots);
  }

  // Every certificate: validity at the evaluation time and no unknown critical extension.
  // Every issuer: a CA, with a path length that allows the certificates below it. Every
  // non-root: not revoked by its issuer's CRL.
  for (size_t i = 0; i < path.size(); ++i) {
    const Certificate& cert = *path[i];
    TEEPNET_RETURN_IF_ERROR(CheckValidity(cert, options.at_unix_time));
    TEEPNET_RETURN_IF_ERROR(CheckCriticalExtensions(cert));
    if (i + 1 < path.size()) {
      const Certificate& issuer = *path[i + 1];
      TEEPNET_RETURN_IF_ERROR(CheckIssuerIsCa(issuer, i));
      TEEPNET_RETURN_IF_ERROR(CheckRevocation(cert, issuer, options));
    }
  }
  return CheckRoot(*anchor, options);
}

}  // namespace teepnet::crypto
