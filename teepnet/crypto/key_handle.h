// Internal to crypto/: what PublicKey/PrivateKey share. One immutable EVP_PKEY; OpenSSL allows
// concurrent sign/verify/derive operations on a fully constructed key from many threads.
#ifndef TEEPNET_CRYPTO_KEY_HANDLE_H_
#define TEEPNET_CRYPTO_KEY_HANDLE_H_

#include <memory>
#include <mutex>
#include <vector>

#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

struct KeyHandle {
  internal::EvpPkeyPtr pkey;
  // True when the public key is known to be a valid point of its group: it passed the
  // SP 800-56A §5.6.2.3.4 partial validation at import, or it was computed from the private
  // scalar. Ecdh then does not validate it again; keys from other sources (certificates,
  // PKCS#8) are still validated when used as a DH peer.
  bool public_validated = false;
  EVP_PKEY* get() const { return pkey.get(); }

  // ECDSA signing contexts for this key that no call is using, each initialised for one
  // digest (its EVP_MD). Building a context (EVP_DigestSignInit fetches the signature and
  // digest implementations and a fresh key context) costs about a fifth of a P-256 sign;
  // a reused context gives the same signature operation. They live and die with the key,
  // so no context keeps a private key alive after its last owner let it go. Declared after
  // `pkey`, so they are freed (and drop their references to it) first.
  struct SignContext {
    const EVP_MD* md = nullptr;
    internal::EvpPkeyCtxPtr ctx;
  };
  mutable std::mutex sign_contexts_mu;
  mutable std::vector<SignContext> sign_contexts;  // guarded by sign_contexts_mu
};

namespace internal {
// Classifies an OpenSSL key; fails with kUnsupportedAlgorithm for curves and types we lack.
Result<KeyType> KeyTypeOf(EVP_PKEY* pkey);
// Takes ownership of `pkey`, which must be of `type`. `public_validated`: see KeyHandle.
std::shared_ptr<const KeyHandle> MakeHandle(EvpPkeyPtr pkey, bool public_validated = false);
}  // namespace internal

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_KEY_HANDLE_H_
