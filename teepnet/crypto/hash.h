// Hashes, HMAC and HKDF (RFC 5869), split into Extract and Expand because HPKE's labeled
// functions and COSE's KDF context need them separately.
#ifndef TEEPNET_CRYPTO_HASH_H_
#define TEEPNET_CRYPTO_HASH_H_

#include <memory>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"

namespace teepnet::crypto {

enum class HashAlgorithm : uint8_t { kSha256, kSha384, kSha512, kSm3 };

std::string_view HashName(HashAlgorithm hash);
size_t DigestSize(HashAlgorithm hash);  // 32, 48, 64, 32

Bytes Digest(HashAlgorithm hash, ByteView data);
inline Bytes Sha256(ByteView data) { return Digest(HashAlgorithm::kSha256, data); }

// Incremental hashing for large or scattered inputs.
class Hasher {
 public:
  explicit Hasher(HashAlgorithm hash);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  void Update(ByteView data);
  Bytes Finish();  // the hasher cannot be used afterwards

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Result<Bytes> Hmac(HashAlgorithm hash, ByteView key, ByteView data);
// Verifies a (possibly truncated, e.g. HMAC 256/64) tag in constant time.
Status HmacVerify(HashAlgorithm hash, ByteView key, ByteView data, ByteView tag);

Result<SecretBytes> HkdfExtract(HashAlgorithm hash, ByteView salt, ByteView ikm);
// Fails with kBadLength when length > 255 * DigestSize(hash).
Result<SecretBytes> HkdfExpand(HashAlgorithm hash, ByteView prk, ByteView info, size_t length);
Result<SecretBytes> Hkdf(HashAlgorithm hash, ByteView salt, ByteView ikm, ByteView info,
                         size_t length);

// Constant-time equality (CRYPTO_memcmp); different lengths compare unequal.
bool ConstantTimeEqual(ByteView a, ByteView b);

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_HASH_H_
