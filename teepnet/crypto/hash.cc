#include "teepnet/crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

using internal::EvpMd;
using internal::OsslError;

namespace {

// A digest over in-memory bytes fails only when OpenSSL itself is broken (no provider, out
// of memory); there is no input that makes it fail, so this is not an error value.
[[noreturn]] void DieDigestFailed(const char* what) {
  std::fprintf(stderr, "teepnet::crypto: %s failed inside OpenSSL\n", what);
  std::abort();
}

}  // namespace

std::string_view HashName(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::kSha256: return "SHA-256";
    case HashAlgorithm::kSha384: return "SHA-384";
    case HashAlgorithm::kSha512: return "SHA-512";
    case HashAlgorithm::kSm3: return "SM3";
  }
  return "unknown";
}

size_t DigestSize(HashAlgorithm hash) {
  switch (hash) {
    case HashAlgorithm::kSha256: return 32;
    case HashAlgorithm::kSha384: return 48;
    case HashAlgorithm::kSha512: return 64;
    case HashAlgorithm::kSm3: return 32;
  }
  return 0;
}

Bytes Digest(HashAlgorithm hash, ByteView data) {
  Bytes out(DigestSize(hash));
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EvpMd(hash), nullptr) != 1 ||
      len != out.size()) {
    DieDigestFailed("EVP_Digest");
  }
  return out;
}

struct Hasher::State {
  HashAlgorithm hash;
  internal::EvpMdCtxPtr ctx;
};

Hasher::Hasher(HashAlgorithm hash)
    : state_(new State{hash, internal::EvpMdCtxPtr(EVP_MD_CTX_new())}) {
  if (!state_->ctx || EVP_DigestInit_ex(state_->ctx.get(), EvpMd(hash), nullptr) != 1) {
    DieDigestFailed("EVP_DigestInit_ex");
  }
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::Update(ByteView data) {
  if (data.empty()) return;
  if (EVP_DigestUpdate(state_->ctx.get(), data.data(), data.size()) != 1) {
    DieDigestFailed("EVP_DigestUpdate");
  }
}

Bytes Hasher::Finish() {
  Bytes out(DigestSize(state_->hash));
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(state_->ctx.get(), out.data(), &len) != 1 || len != out.size()) {
    DieDigestFailed("EVP_DigestFinal_ex");
  }
  state_.reset();
  return out;
}

namespace {

// The HMAC algorithm and, per hash, a context with the digest already set, both created once
// per process. Setting OSSL_MAC_PARAM_DIGEST by name makes the provider look the digest up
// again on every call, and EVP_MAC_fetch / EVP_KDF_fetch are locked provider lookups too;
// copying a prepared context (EVP_MAC_CTX_dup) costs neither. The templates are keyed with
// the empty key, a public value, so that their digest contexts are initialised and copyable;
// every operation re-keys its copy, and the copy (holding the real key's pads) is freed and
// cleansed by EVP_MAC_CTX_free before the call returns.
EVP_MAC_CTX* NewHmacTemplate(HashAlgorithm hash) {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  const EVP_MD* md = internal::EvpMd(hash);
  if (mac == nullptr || md == nullptr) return nullptr;
  internal::EvpMacCtxPtr ctx(EVP_MAC_CTX_new(mac));
  static const uint8_t kEmpty[1] = {0};
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(
                             OSSL_MAC_PARAM_DIGEST, const_cast<char*>(EVP_MD_get0_name(md)), 0),
                         OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx.get(), kEmpty, 0, params) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return ctx.release();
}

const EVP_MAC_CTX* HmacTemplate(HashAlgorithm hash) {
  // Never freed, like the fetched digests (see internal::EvpMd).
  switch (hash) {
    case HashAlgorithm::kSha256: {
      static const EVP_MAC_CTX* const t = NewHmacTemplate(hash);
      return t;
    }
    case HashAlgorithm::kSha384: {
      static const EVP_MAC_CTX* const t = NewHmacTemplate(hash);
      return t;
    }
    case HashAlgorithm::kSha512: {
      static const EVP_MAC_CTX* const t = NewHmacTemplate(hash);
      return t;
    }
    case HashAlgorithm::kSm3: {
      static const EVP_MAC_CTX* const t = NewHmacTemplate(hash);
      return t;
    }
  }
  return nullptr;
}

// A fresh HMAC context for `hash` keyed with `key`. HMAC accepts an empty key (RFC 2104 pads
// it with zeros); EVP_MAC_init reads a null key as "keep the old key", so an empty one is
// passed as a valid pointer with length 0.
Result<internal::EvpMacCtxPtr> KeyedHmac(HashAlgorithm hash, ByteView key) {
  const EVP_MAC_CTX* tmpl = HmacTemplate(hash);
  if (tmpl == nullptr) return OsslError(Errc::kInternal, "HMAC is not available");
  // EVP_MAC_CTX_dup only reads its source, so the shared template is safe across threads.
  internal::EvpMacCtxPtr ctx(EVP_MAC_CTX_dup(const_cast<EVP_MAC_CTX*>(tmpl)));
  static const uint8_t kEmpty[1] = {0};
  if (!ctx ||
      EVP_MAC_init(ctx.get(), key.empty() ? kEmpty : key.data(), key.size(), nullptr) != 1) {
    return OsslError(Errc::kInternal, "HMAC init failed");
  }
  return ctx;
}

// Writes the MAC (DigestSize(hash) bytes) to `out`.
bool FinishHmac(EVP_MAC_CTX* ctx, std::span<uint8_t> out) {
  size_t len = 0;
  return EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1 && len == out.size();
}

}  // namespace

Result<Bytes> Hmac(HashAlgorithm hash, ByteView key, ByteView data) {
  if (!internal::FitsInt(key.size())) return Error(Errc::kBadLength, "HMAC key too long");
  TEEPNET_ASSIGN_OR_RETURN(internal::EvpMacCtxPtr ctx, KeyedHmac(hash, key));
  Bytes out(DigestSize(hash));
  if (EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 || !FinishHmac(ctx.get(), out)) {
    return OsslError(Errc::kInternal, "HMAC failed");
  }
  return out;
}

Status HmacVerify(HashAlgorithm hash, ByteView key, ByteView data, ByteView tag) {
  // A truncated tag shorter than half the hash is refused (RFC 2104 §5: "not less than half
  // the length of the hash output"); COSE's HMAC 256/64 keeps 8 of 32 bytes, which RFC 9053
  // §3.1 registers explicitly, so the floor here is 8 bytes rather than half.
  if (tag.size() < 8 || tag.size() > DigestSize(hash)) {
    return Error(Errc::kAuthenticationFailed, "MAC tag has an unusable length");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes full, Hmac(hash, key, data));
  if (!ConstantTimeEqual(ByteView(full).first(tag.size()), tag)) {
    return Error(Errc::kAuthenticationFailed, "MAC tag mismatch");
  }
  return OkStatus();
}

// HKDF is written out over HMAC (RFC 5869 §2.2-2.3 define it as exactly this HMAC chain)
// rather than run through EVP_KDF "HKDF": the KDF fetches its digest by name and builds a
// fresh HMAC context on every derive, which cost more than the hashing for HPKE's short
// inputs. The RFC 5869 test vectors in hash_test.cc pin the result.
Result<SecretBytes> HkdfExtract(HashAlgorithm hash, ByteView salt, ByteView ikm) {
  //= https://www.rfc-editor.org/rfc/rfc5869#section-2.2
  //# PRK = HMAC-Hash(salt, IKM)
  // An absent salt is HashLen zero bytes, which HMAC treats exactly like an empty key, so an
  // empty salt is passed through unchanged.
  TEEPNET_ASSIGN_OR_RETURN(internal::EvpMacCtxPtr ctx, KeyedHmac(hash, salt));
  SecretBytes prk(DigestSize(hash));
  if (EVP_MAC_update(ctx.get(), ikm.data(), ikm.size()) != 1 ||
      !FinishHmac(ctx.get(), prk.mutable_view())) {
    return OsslError(Errc::kInternal, "HKDF extract failed");
  }
  return prk;
}

Result<SecretBytes> HkdfExpand(HashAlgorithm hash, ByteView prk, ByteView info, size_t length) {
  // RFC 5869 §2.3: "L  length of output keying material in octets (<= 255*HashLen)".
  if (length == 0 || length > 255 * DigestSize(hash)) {
    return Error(Errc::kBadLength, "HKDF output length must be 1..255*HashLen");
  }
  // RFC 5869 §2.3: PRK is "a pseudorandom key of at least HashLen octets".
  if (prk.size() < DigestSize(hash)) {
    return Error(Errc::kBadLength, "HKDF PRK shorter than HashLen");
  }
  TEEPNET_ASSIGN_OR_RETURN(internal::EvpMacCtxPtr ctx, KeyedHmac(hash, prk));
  //= https://www.rfc-editor.org/rfc/rfc5869#section-2.3
  //# T(0) = empty string (zero length)
  //# T(1) = HMAC-Hash(PRK, T(0) | info | 0x01)
  //# T(2) = HMAC-Hash(PRK, T(1) | info | 0x02)
  const size_t hash_len = DigestSize(hash);
  SecretBytes okm(length);
  std::span<uint8_t> dst = okm.mutable_view();
  uint8_t t[EVP_MAX_MD_SIZE];  // T(i); wiped below, as it is output keying material
  bool ok = true;
  size_t done = 0;
  for (uint8_t i = 1; ok && done < length; ++i) {
    // From T(2) on, a null key restarts the context with the PRK pads it already holds
    // instead of keying it again.
    ok = (i == 1 || EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) == 1) &&
         (i == 1 || EVP_MAC_update(ctx.get(), t, hash_len) == 1) &&
         EVP_MAC_update(ctx.get(), info.data(), info.size()) == 1 &&
         EVP_MAC_update(ctx.get(), &i, 1) == 1 &&
         FinishHmac(ctx.get(), std::span<uint8_t>(t, hash_len));
    if (!ok) break;
    size_t n = std::min(hash_len, length - done);
    std::copy_n(t, n, dst.begin() + static_cast<ptrdiff_t>(done));
    done += n;
  }
  SecureWipe(t, sizeof(t));
  if (!ok) return OsslError(Errc::kInternal, "HKDF expand failed");
  return okm;
}

Result<SecretBytes> Hkdf(HashAlgorithm hash, ByteView salt, ByteView ikm, ByteView info,
                         size_t length) {
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes prk, HkdfExtract(hash, salt, ikm));
  return HkdfExpand(hash, prk.view(), info, length);
}

bool ConstantTimeEqual(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace teepnet::crypto
