#include "teepnet/crypto/ecdh.h"

#include <openssl/crypto.h>

#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/key_handle.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

using internal::OsslError;

Result<SecretBytes> Ecdh(const PrivateKey& mine, const PublicKey& theirs) {
  KeyType type = mine.type();
  bool dh_capable = type == KeyType::kX25519 || type == KeyType::kP256 || type == KeyType::kP384 ||
                    type == KeyType::kP521;
  if (!dh_capable || theirs.type() != type) {
    return Error(Errc::kKeyTypeMismatch, "ECDH needs two keys of the same DH-capable type");
  }
  internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine.handle().get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) {
    return OsslError(Errc::kInternal, "ECDH derive init failed");
  }
  // RFC 9180 §7.1.4 / SP 800-56A §5.6.2.3.4: the peer needs partial public-key validation.
  // A key imported through PublicKey (or computed from a private scalar) already had it, so
  // OpenSSL's own check in EVP_PKEY_derive_set_peer (a full EVP_PKEY_public_check, about as
  // costly as the derive itself) is skipped for it; any other key is still checked here.
  int validate_peer = theirs.handle().public_validated ? 0 : 1;
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), theirs.handle().get(), validate_peer) != 1) {
    return OsslError(Errc::kBadKey, "peer key rejected");
  }
  size_t len = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
    return OsslError(Errc::kInternal, "ECDH derive length failed");
  }
  SecretBytes shared(len);
  if (EVP_PKEY_derive(ctx.get(), shared.mutable_view().data(), &len) != 1) {
    // OpenSSL refuses an all-zero X25519 output itself (a small-order peer point).
    return OsslError(type == KeyType::kX25519 ? Errc::kBadKey : Errc::kInternal,
                     "ECDH derive failed");
  }
  shared.Truncate(len);
  if (type == KeyType::kX25519) {
    //= https://www.rfc-editor.org/rfc/rfc7748#section-6.1
    //# Both MAY check, without leaking extra information about the value of K, whether K
    //# is the all-zero value and abort if so
    // RFC 9180 §7.1.4 makes that check a MUST for DHKEM(X25519); checked here as well so it
    // never depends on the OpenSSL version.
    uint8_t acc = 0;
    for (uint8_t b : shared.view()) acc |= b;
    if (acc == 0) return Error(Errc::kBadKey, "X25519 shared secret is all zero");
  }
  return shared;
}

}  // namespace teepnet::crypto
