// A long-lived HMAC key kept ready for many MACs. Hmac() (hash.h) keys a fresh OpenSSL context
// on every call: the key is hashed into the inner and outer pads each time, about 17 k
// instructions for a short input, more than the MAC itself. An HmacKey does that once: it
// holds one context keyed with the key (the pads' hash states already computed) as a
// template. A computation takes an idle context that an earlier one finished (restarted with
// the pads it holds) or else a copy of the template (EVP_MAC_CTX_dup, which only reads it),
// and leaves its context idle for the next one (at most a few are kept).
//
// Secrets: the key bytes live only inside OpenSSL contexts (no second copy here), which
// OpenSSL wipes when a context is freed (the HMAC provider clears its key copy and the
// digest contexts holding the pads); the template and the idle contexts are freed with the
// HmacKey.
#ifndef TEEPNET_CRYPTO_HMAC_KEY_H_
#define TEEPNET_CRYPTO_HMAC_KEY_H_

#include <initializer_list>
#include <memory>
#include <span>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::crypto {

class HmacKey {
 public:
  // kBadLength for a key longer than OpenSSL accepts; kInternal when HMAC is unavailable.
  // An empty key is a valid HMAC key (RFC 2104 pads it with zeros), as in Hmac().
  static Result<HmacKey> Create(HashAlgorithm hash, ByteView key);

  ~HmacKey();
  HmacKey(HmacKey&&) noexcept;
  HmacKey& operator=(HmacKey&&) noexcept;

  HashAlgorithm hash() const { return hash_; }

  // HMAC(key, data): DigestSize(hash()) bytes, the same as Hmac(hash(), key, data).
  Result<Bytes> Compute(ByteView data) const;
  // HMAC over the concatenation of `parts`, without building it.
  Result<Bytes> Compute(std::initializer_list<ByteView> parts) const;
  Result<Bytes> Compute(std::span<const ByteView> parts) const;

  // All of the above are safe to call from many threads at once on one HmacKey.

 private:
  struct Template;
  HmacKey(HashAlgorithm hash, std::unique_ptr<Template> tmpl);

  HashAlgorithm hash_;
  std::unique_ptr<Template> template_;
};

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_HMAC_KEY_H_
