// Internal to crypto/: what PublicKey/PrivateKey share. One immutable EVP_PKEY; OpenSSL allows
// concurrent sign/verify/derive operations on a fully constructed key from many threads.
#ifndef TEEPNET_CRYPTO_KEY_HANDLE_H_
#define TEEPNET_CRYPTO_KEY_HANDLE_H_

#include <memory>

#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

struct KeyHandle {
  internal::EvpPkeyPtr pkey;
  EVP_PKEY* get() const { return pkey.get(); }
};

namespace internal {
// Classifies an OpenSSL key; fails with kUnsupportedAlgorithm for curves and types we lack.
Result<KeyType> KeyTypeOf(EVP_PKEY* pkey);
// Takes ownership of `pkey`, which must be of `type`.
std::shared_ptr<const KeyHandle> MakeHandle(EvpPkeyPtr pkey);
}  // namespace internal

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_KEY_HANDLE_H_
