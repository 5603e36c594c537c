#include "teepnet/crypto/ossl.h"

#include <openssl/err.h>

namespace teepnet::crypto::internal {

Error OsslError(Errc reason, std::string message) {
  ERR_clear_error();
  return Error(reason, std::move(message));
}

namespace {

// Falls back to the legacy object when the fetch fails (a provider without the digest), so a
// caller sees the same failure it would have seen before caching.
const EVP_MD* FetchMd(const char* name, const EVP_MD* legacy) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) {
    ERR_clear_error();
    return legacy;
  }
  return md;
}

}  // namespace

const EVP_MD* EvpMd(HashAlgorithm hash) {
  // Function-local statics: initialised once, thread-safely (C++11 [stmt.dcl]), and
  // deliberately never freed, since OpenSSL may already be torn down when static
  // destructors run.
  switch (hash) {
    case HashAlgorithm::kSha256: {
      static const EVP_MD* const md = FetchMd("SHA2-256", EVP_sha256());
      return md;
    }
    case HashAlgorithm::kSha384: {
      static const EVP_MD* const md = FetchMd("SHA2-384", EVP_sha384());
      return md;
    }
    case HashAlgorithm::kSha512: {
      static const EVP_MD* const md = FetchMd("SHA2-512", EVP_sha512());
      return md;
    }
    case HashAlgorithm::kSm3: {
      static const EVP_MD* const md = FetchMd("SM3", EVP_sm3());
      return md;
    }
  }
  return nullptr;
}

EVP_CIPHER* FetchCipher(const char* name) {
  EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
  if (cipher == nullptr) ERR_clear_error();
  return cipher;
}

BioPtr ReadBio(ByteView data) {
  if (!FitsInt(data.size())) return nullptr;
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

Bytes BioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || data == nullptr) return {};
  return Bytes(reinterpret_cast<const uint8_t*>(data),
               reinterpret_cast<const uint8_t*>(data) + len);
}

}  // namespace teepnet::crypto::internal
