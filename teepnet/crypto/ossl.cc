#include "teepnet/crypto/ossl.h"

#include <openssl/err.h>

namespace teepnet::crypto::internal {

Error OsslError(Errc reason, std::string message) {
  ERR_clear_error();
  return Error(reason, std::move(message));
}

const EVP_MD* EvpMd(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::kSha256: return EVP_sha256();
    case HashAlgorithm::kSha384: return EVP_sha384();
    case HashAlgorithm::kSha512: return EVP_sha512();
    case HashAlgorithm::kSm3: return EVP_sm3();
  }
  return nullptr;
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
