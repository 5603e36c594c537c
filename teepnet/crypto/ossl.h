// Internal to crypto/: owning pointers for OpenSSL objects and the error helper. Never
// included from outside teepnet/crypto (it pulls in OpenSSL headers).
#ifndef TEEPNET_CRYPTO_OSSL_H_
#define TEEPNET_CRYPTO_OSSL_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/error.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::crypto::internal {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using EvpKdfPtr = std::unique_ptr<EVP_KDF, Deleter<EVP_KDF_free>>;
using EvpKdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX_free>>;
using EvpMacPtr = std::unique_ptr<EVP_MAC, Deleter<EVP_MAC_free>>;
using EvpMacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Deleter<BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using X509CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL_free>>;
using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, Deleter<PKCS8_PRIV_KEY_INFO_free>>;

// Builds an Error and drops whatever OpenSSL left on its thread-local error queue, so a stale
// entry can never be mistaken for the cause of a later failure.
Error OsslError(Errc reason, std::string message);

// The EVP digest for `hash`, explicitly fetched from the default library context once per
// process and kept for its lifetime. OpenSSL 3 resolves a legacy EVP_sha256()-style object to
// a provider implementation on every use (a locked name lookup per init); a fetched one skips
// that. Never null unless the digest is missing from the build.
const EVP_MD* EvpMd(HashAlgorithm hash);

// The same for ciphers by OpenSSL name ("AES-128-GCM"); null when unavailable. Callers keep
// the result in their own function-local static so the name lookup happens once.
EVP_CIPHER* FetchCipher(const char* name);

// OpenSSL's one-shot APIs take int lengths.
inline bool FitsInt(size_t n) {
  return n <= static_cast<size_t>(INT_MAX);
}

// A memory BIO reading `data` (no copy; `data` must outlive the BIO).
BioPtr ReadBio(ByteView data);
// Everything written to a memory BIO.
Bytes BioContents(BIO* bio);

}  // namespace teepnet::crypto::internal

#endif  // TEEPNET_CRYPTO_OSSL_H_
