#include "teepnet/crypto/test_certs.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>

#include "teepnet/crypto/cert_handle.h"
#include "teepnet/crypto/key_handle.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto::testing {

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "test_certs: %s failed\n", what);
  std::abort();
}

void Check(int ok, const char* what) {
  if (ok != 1) Die(what);
}

void SetCn(X509_NAME* name, const std::string& cn) {
  Check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("teepnet tests"), -1, -1,
                                   0),
        "name O");
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0),
        "name CN");
}

void AddExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) Die("extension");
  Check(X509_add_ext(cert, ext, -1), "add extension");
  X509_EXTENSION_free(ext);
}

// Signs with `key`: SM2 needs the default distinguishing ID set on the context, RSA-PSS needs
// its padding parameters.
void SignWith(const PrivateKey& key, HashAlgorithm hash, bool rsa_pss, X509* cert, X509_CRL* crl) {
  internal::EvpMdCtxPtr md_ctx(EVP_MD_CTX_new());
  EVP_PKEY* pkey = key.handle().get();
  const EVP_MD* md = key.type() == KeyType::kEd25519 ? nullptr : internal::EvpMd(hash);
  if (key.type() == KeyType::kSm2) md = EVP_sm3();
  EVP_PKEY_CTX* pctx = nullptr;
  if (key.type() == KeyType::kSm2) {
    // OpenSSL 3.0 computes the SM2 Z value from the ID on the pkey context, which must exist
    // before DigestSignInit binds it.
    pctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
    Check(EVP_PKEY_CTX_set1_id(pctx, "1234567812345678", 16), "sm2 id");
    EVP_MD_CTX_set_pkey_ctx(md_ctx.get(), pctx);
  }
  Check(EVP_DigestSignInit(md_ctx.get(), &pctx, md, nullptr, pkey), "DigestSignInit");
  if (rsa_pss) {
    Check(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), "pss padding");
    Check(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), "pss salt");
  }
  int len =
      cert != nullptr ? X509_sign_ctx(cert, md_ctx.get()) : X509_CRL_sign_ctx(crl, md_ctx.get());
  if (len <= 0) Die("sign");
  if (key.type() == KeyType::kSm2) {
    EVP_MD_CTX_set_pkey_ctx(md_ctx.get(), nullptr);
    EVP_PKEY_CTX_free(pctx);
  }
}

}  // namespace

Certificate MakeCert(const CertSpec& spec, const PublicKey& subject_key,
                     const PrivateKey& issuer_key) {
  internal::X509Ptr cert(X509_new());
  Check(X509_set_version(cert.get(), 2), "version");
  Check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), spec.serial), "serial");
  SetCn(X509_get_subject_name(cert.get()), spec.subject_cn);
  SetCn(X509_get_issuer_name(cert.get()), spec.issuer_cn);
  if (ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(spec.not_before)) ==
          nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(spec.not_after)) ==
          nullptr) {
    Die("validity");
  }
  Check(X509_set_pubkey(cert.get(), subject_key.handle().get()), "pubkey");
  std::string bc = spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
  if (spec.is_ca && spec.path_len >= 0) bc += ",pathlen:" + std::to_string(spec.path_len);
  AddExt(cert.get(), cert.get(), NID_basic_constraints, bc);
  AddExt(cert.get(), cert.get(), NID_key_usage,
         spec.is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  if (!spec.subject_alt_names.empty()) {
    AddExt(cert.get(), cert.get(), NID_subject_alt_name, spec.subject_alt_names);
  }
  if (spec.unknown_critical) {
    // A private-arc OID that no verifier knows, marked critical, holding a DER NULL.
    ASN1_OBJECT* oid = OBJ_txt2obj("1.3.6.1.4.1.55555.1", 1);
    ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
    const unsigned char kNull[] = {0x05, 0x00};
    Check(ASN1_OCTET_STRING_set(value, kNull, sizeof(kNull)), "octets");
    X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, oid, 1, value);
    if (ext == nullptr) Die("unknown extension");
    Check(X509_add_ext(cert.get(), ext, -1), "add unknown extension");
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(value);
    ASN1_OBJECT_free(oid);
  }
  SignWith(issuer_key, spec.hash, spec.rsa_pss, cert.get(), nullptr);
  unsigned char* der = nullptr;
  int len = i2d_X509(cert.get(), &der);
  if (len <= 0) Die("encode");
  auto parsed = Certificate::FromDer(ByteView(der, static_cast<size_t>(len)));
  OPENSSL_free(der);
  if (!parsed.ok()) Die("reparse");
  return *parsed;
}

std::string CertToPem(const Certificate& cert) {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) Die("pem bio");
  Check(PEM_write_bio_X509(bio.get(), cert.handle().x509.get()), "pem write");
  Bytes pem = internal::BioContents(bio.get());
  return std::string(pem.begin(), pem.end());
}

Crl MakeCrl(const Certificate& issuer, const PrivateKey& issuer_key,
            const std::vector<uint64_t>& revoked_serials, int64_t this_update, HashAlgorithm hash) {
  internal::X509CrlPtr crl(X509_CRL_new());
  Check(X509_CRL_set_version(crl.get(), 1), "crl version");
  Check(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.handle().x509.get())),
        "crl issuer");
  internal::Deleter<ASN1_TIME_free> free_time;
  ASN1_TIME* t = ASN1_TIME_set(nullptr, static_cast<time_t>(this_update));
  Check(X509_CRL_set1_lastUpdate(crl.get(), t), "lastUpdate");
  free_time(t);
  t = ASN1_TIME_set(nullptr, static_cast<time_t>(this_update + 30 * 86400));
  Check(X509_CRL_set1_nextUpdate(crl.get(), t), "nextUpdate");
  free_time(t);
  for (uint64_t serial : revoked_serials) {
    X509_REVOKED* entry = X509_REVOKED_new();
    ASN1_INTEGER* s = ASN1_INTEGER_new();
    ASN1_INTEGER_set_uint64(s, serial);
    Check(X509_REVOKED_set_serialNumber(entry, s), "revoked serial");
    ASN1_INTEGER_free(s);
    t = ASN1_TIME_set(nullptr, static_cast<time_t>(this_update));
    Check(X509_REVOKED_set_revocationDate(entry, t), "revocation date");
    free_time(t);
    Check(X509_CRL_add0_revoked(crl.get(), entry), "add revoked");
  }
  Check(X509_CRL_sort(crl.get()), "sort");
  SignWith(issuer_key, hash, false, nullptr, crl.get());
  unsigned char* der = nullptr;
  int len = i2d_X509_CRL(crl.get(), &der);
  if (len <= 0) Die("crl encode");
  auto parsed = Crl::FromDer(ByteView(der, static_cast<size_t>(len)));
  OPENSSL_free(der);
  if (!parsed.ok()) Die("crl reparse");
  return *parsed;
}

}  // namespace teepnet::crypto::testing
