#include "teepnet/crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>

#include <cstdio>
#include <cstdlib>

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

Result<Bytes> Hmac(HashAlgorithm hash, ByteView key, ByteView data) {
  Bytes out(DigestSize(hash));
  unsigned int len = 0;
  // HMAC() accepts an empty key (RFC 2104 pads it with zeros); pass a valid pointer for it.
  static const uint8_t kEmpty[1] = {0};
  if (!internal::FitsInt(key.size())) return Error(Errc::kBadLength, "HMAC key too long");
  const uint8_t* key_ptr = key.empty() ? kEmpty : key.data();
  if (HMAC(EvpMd(hash), key_ptr, static_cast<int>(key.size()), data.data(), data.size(), out.data(),
           &len) == nullptr ||
      len != out.size()) {
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

namespace {

Result<SecretBytes> RunHkdf(int mode, HashAlgorithm hash, ByteView salt, ByteView key,
                            ByteView info, size_t length) {
  internal::EvpKdfPtr kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) return OsslError(Errc::kInternal, "HKDF is not available");
  internal::EvpKdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return OsslError(Errc::kInternal, "EVP_KDF_CTX_new failed");
  // OpenSSL reads the octet strings without writing; the casts only satisfy its API.
  static uint8_t empty[1] = {0};
  auto octets = [](const char* name, ByteView b) {
    return OSSL_PARAM_construct_octet_string(
        name, b.empty() ? empty : const_cast<uint8_t*>(b.data()), b.size());
  };
  std::string md_name(HashName(hash));
  OSSL_PARAM params[6];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, md_name.data(), 0);
  params[n++] = octets(OSSL_KDF_PARAM_KEY, key);
  if (mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY) {
    // RFC 5869 §2.2: an absent salt is HashLen zero bytes, which HMAC treats exactly like
    // an empty key, so an empty salt is passed through unchanged.
    params[n++] = octets(OSSL_KDF_PARAM_SALT, salt);
  } else {
    params[n++] = octets(OSSL_KDF_PARAM_INFO, info);
  }
  params[n] = OSSL_PARAM_construct_end();
  SecretBytes out(length);
  if (EVP_KDF_derive(ctx.get(), out.mutable_view().data(), out.size(), params) != 1) {
    return OsslError(Errc::kInternal, "HKDF derive failed");
  }
  return out;
}

}  // namespace

Result<SecretBytes> HkdfExtract(HashAlgorithm hash, ByteView salt, ByteView ikm) {
  return RunHkdf(EVP_KDF_HKDF_MODE_EXTRACT_ONLY, hash, salt, ikm, {}, DigestSize(hash));
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
  return RunHkdf(EVP_KDF_HKDF_MODE_EXPAND_ONLY, hash, {}, prk, info, length);
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
