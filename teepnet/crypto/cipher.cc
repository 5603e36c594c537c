#include "teepnet/crypto/cipher.h"

#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

using internal::EvpCipherCtxPtr;
using internal::FitsInt;
using internal::OsslError;

std::string_view AeadName(AeadAlgorithm alg) {
  switch (alg) {
    case AeadAlgorithm::kAes128Gcm: return "AES-128-GCM";
    case AeadAlgorithm::kAes192Gcm: return "AES-192-GCM";
    case AeadAlgorithm::kAes256Gcm: return "AES-256-GCM";
    case AeadAlgorithm::kChaCha20Poly1305: return "ChaCha20-Poly1305";
  }
  return "unknown";
}

size_t AeadKeySize(AeadAlgorithm alg) {
  switch (alg) {
    case AeadAlgorithm::kAes128Gcm: return 16;
    case AeadAlgorithm::kAes192Gcm: return 24;
    case AeadAlgorithm::kAes256Gcm: return 32;
    case AeadAlgorithm::kChaCha20Poly1305: return 32;
  }
  return 0;
}

size_t AeadNonceSize(AeadAlgorithm) {
  return 12;
}

namespace {

// Fetched once per process (see internal::EvpMd for why); a legacy EVP_aes_128_gcm() object
// would be resolved to its provider implementation again on every EVP_CipherInit_ex. Null
// only if the build lacks the cipher, which InitAead reports as an internal error.
const EVP_CIPHER* AeadCipher(AeadAlgorithm alg) {
  switch (alg) {
    case AeadAlgorithm::kAes128Gcm: {
      static const EVP_CIPHER* const c = internal::FetchCipher("AES-128-GCM");
      return c;
    }
    case AeadAlgorithm::kAes192Gcm: {
      static const EVP_CIPHER* const c = internal::FetchCipher("AES-192-GCM");
      return c;
    }
    case AeadAlgorithm::kAes256Gcm: {
      static const EVP_CIPHER* const c = internal::FetchCipher("AES-256-GCM");
      return c;
    }
    case AeadAlgorithm::kChaCha20Poly1305: {
      static const EVP_CIPHER* const c = internal::FetchCipher("ChaCha20-Poly1305");
      return c;
    }
  }
  return nullptr;
}

// The IV length every AEAD here starts with (GCM's and ChaCha20-Poly1305's default).
constexpr size_t kDefaultAeadIv = 12;

// Largest GCM IV accepted. NIST SP 800-38D §5.2.1.1 allows 1..2^64-1 bits; 64 bytes is far
// beyond any IV in use and keeps hostile lengths out of OpenSSL.
constexpr size_t kMaxGcmIv = 64;

Status CheckAeadInputs(AeadAlgorithm alg, ByteView key, ByteView nonce, ByteView aad,
                       size_t text_size) {
  if (key.size() != AeadKeySize(alg)) return Error(Errc::kBadLength, "AEAD key size");
  bool gcm = alg != AeadAlgorithm::kChaCha20Poly1305;
  // RFC 8439 §2.8: the ChaCha20-Poly1305 nonce is 96 bits.
  if (gcm ? (nonce.empty() || nonce.size() > kMaxGcmIv) : nonce.size() != 12) {
    return Error(Errc::kBadLength, "AEAD nonce size");
  }
  if (!FitsInt(aad.size()) || !FitsInt(text_size + kAeadTagSize)) {
    return Error(Errc::kBadLength, "AEAD input too large");
  }
  return OkStatus();
}

Status InitAead(EVP_CIPHER_CTX* ctx, AeadAlgorithm alg, ByteView key, ByteView nonce,
                bool encrypt) {
  const EVP_CIPHER* cipher = AeadCipher(alg);
  if (cipher == nullptr) return OsslError(Errc::kInternal, "AEAD cipher unavailable");
  const int enc = encrypt ? 1 : 0;
  // The usual 12-byte nonce is the default IV length, so cipher, key and IV go in one init;
  // any other GCM IV length has to be set between choosing the cipher and loading the IV.
  bool ok = nonce.size() == kDefaultAeadIv
                ? EVP_CipherInit_ex(ctx, cipher, nullptr, key.data(), nonce.data(), enc) == 1
                : EVP_CipherInit_ex(ctx, cipher, nullptr, nullptr, nullptr, enc) == 1 &&
                      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN,
                                          static_cast<int>(nonce.size()), nullptr) == 1 &&
                      EVP_CipherInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data(), -1) == 1;
  if (!ok) return OsslError(Errc::kInternal, "AEAD init failed");
  return OkStatus();
}

Status AddAad(EVP_CIPHER_CTX* ctx, ByteView aad) {
  if (aad.empty()) return OkStatus();
  int len = 0;
  if (EVP_CipherUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) {
    return OsslError(Errc::kInternal, "AEAD AAD failed");
  }
  return OkStatus();
}

}  // namespace

Result<Bytes> AeadSeal(AeadAlgorithm alg, ByteView key, ByteView nonce, ByteView aad,
                       ByteView plaintext) {
  TEEPNET_RETURN_IF_ERROR(CheckAeadInputs(alg, key, nonce, aad, plaintext.size()));
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return OsslError(Errc::kInternal, "EVP_CIPHER_CTX_new failed");
  TEEPNET_RETURN_IF_ERROR(InitAead(ctx.get(), alg, key, nonce, true));
  TEEPNET_RETURN_IF_ERROR(AddAad(ctx.get(), aad));
  Bytes out(plaintext.size() + kAeadTagSize);
  int len = 0, final_len = 0;
  if (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(),
                                              static_cast<int>(plaintext.size())) != 1) {
    return OsslError(Errc::kInternal, "AEAD encrypt failed");
  }
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1 ||
      static_cast<size_t>(len + final_len) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kAeadTagSize),
                          out.data() + plaintext.size()) != 1) {
    return OsslError(Errc::kInternal, "AEAD finalisation failed");
  }
  return out;
}

Result<SecretBytes> AeadOpen(AeadAlgorithm alg, ByteView key, ByteView nonce, ByteView aad,
                             ByteView ciphertext_and_tag) {
  if (ciphertext_and_tag.size() < kAeadTagSize) {
    return Error(Errc::kAuthenticationFailed, "ciphertext shorter than the tag");
  }
  size_t ct_size = ciphertext_and_tag.size() - kAeadTagSize;
  ByteView ciphertext = ciphertext_and_tag.first(ct_size);
  ByteView tag = ciphertext_and_tag.subspan(ct_size);
  TEEPNET_RETURN_IF_ERROR(CheckAeadInputs(alg, key, nonce, aad, ct_size));
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return OsslError(Errc::kInternal, "EVP_CIPHER_CTX_new failed");
  TEEPNET_RETURN_IF_ERROR(InitAead(ctx.get(), alg, key, nonce, false));
  TEEPNET_RETURN_IF_ERROR(AddAad(ctx.get(), aad));
  SecretBytes out(ct_size);
  int len = 0, final_len = 0;
  if (!ciphertext.empty() && EVP_DecryptUpdate(ctx.get(), out.mutable_view().data(), &len,
                                               ciphertext.data(), static_cast<int>(ct_size)) != 1) {
    return OsslError(Errc::kInternal, "AEAD decrypt failed");
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kAeadTagSize),
                          const_cast<uint8_t*>(tag.data())) != 1) {
    return OsslError(Errc::kInternal, "AEAD set tag failed");
  }
  // OpenSSL compares the tag in constant time inside DecryptFinal. On mismatch `out` (the
  // unauthenticated plaintext) is wiped by SecretBytes' destructor and never returned.
  if (EVP_DecryptFinal_ex(ctx.get(), out.mutable_view().data() + len, &final_len) != 1) {
    return OsslError(Errc::kAuthenticationFailed, "AEAD tag mismatch");
  }
  return out;
}

namespace {

const EVP_CIPHER* WrapCipher(size_t kek_size) {
  switch (kek_size) {
    case 16: return EVP_aes_128_wrap();
    case 24: return EVP_aes_192_wrap();
    case 32: return EVP_aes_256_wrap();
    default: return nullptr;
  }
}

Result<EvpCipherCtxPtr> WrapContext(ByteView kek, bool encrypt) {
  const EVP_CIPHER* cipher = WrapCipher(kek.size());
  if (cipher == nullptr) return Error(Errc::kBadLength, "AES key wrap KEK must be 16/24/32");
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return OsslError(Errc::kInternal, "EVP_CIPHER_CTX_new failed");
  // OpenSSL refuses wrap modes through EVP unless the caller opts in.
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  // A null IV selects RFC 3394 §2.2.3.1's default IV A6A6A6A6A6A6A6A6.
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, kek.data(), nullptr, encrypt ? 1 : 0) != 1) {
    return OsslError(Errc::kInternal, "AES key wrap init failed");
  }
  return ctx;
}

}  // namespace

Result<Bytes> AesKeyWrap(ByteView kek, ByteView key) {
  // RFC 3394 §2: the key data is n >= 2 64-bit blocks.
  if (key.size() < 16 || key.size() % 8 != 0 || !FitsInt(key.size() + 8)) {
    return Error(Errc::kBadLength, "AES key wrap input must be a multiple of 8, >= 16 bytes");
  }
  TEEPNET_ASSIGN_OR_RETURN(EvpCipherCtxPtr ctx, WrapContext(kek, true));
  Bytes out(key.size() + 8);
  int len = 0;
  if (EVP_EncryptUpdate(ctx.get(), out.data(), &len, key.data(), static_cast<int>(key.size())) !=
          1 ||
      static_cast<size_t>(len) != out.size()) {
    return OsslError(Errc::kInternal, "AES key wrap failed");
  }
  return out;
}

Result<SecretBytes> AesKeyUnwrap(ByteView kek, ByteView wrapped) {
  if (wrapped.size() < 24 || wrapped.size() % 8 != 0 || !FitsInt(wrapped.size())) {
    return Error(Errc::kBadLength, "AES wrapped key must be a multiple of 8, >= 24 bytes");
  }
  TEEPNET_ASSIGN_OR_RETURN(EvpCipherCtxPtr ctx, WrapContext(kek, false));
  SecretBytes out(wrapped.size());
  int len = 0;
  //= https://www.rfc-editor.org/rfc/rfc3394#section-2.2.3
  //# If the unwrapping produces an IV other than the default, the key data MUST NOT be used.
  if (EVP_DecryptUpdate(ctx.get(), out.mutable_view().data(), &len, wrapped.data(),
                        static_cast<int>(wrapped.size())) != 1 ||
      static_cast<size_t>(len) != wrapped.size() - 8) {
    return OsslError(Errc::kAuthenticationFailed, "AES key unwrap integrity check failed");
  }
  out.Truncate(static_cast<size_t>(len));
  return out;
}

Result<Bytes> AesCtr(ByteView key, ByteView iv, ByteView data) {
  const EVP_CIPHER* cipher = key.size() == 16   ? EVP_aes_128_ctr()
                             : key.size() == 24 ? EVP_aes_192_ctr()
                             : key.size() == 32 ? EVP_aes_256_ctr()
                                                : nullptr;
  if (cipher == nullptr) return Error(Errc::kBadLength, "AES-CTR key must be 16/24/32 bytes");
  if (iv.size() != 16) return Error(Errc::kBadLength, "AES-CTR counter block must be 16 bytes");
  if (!FitsInt(data.size())) return Error(Errc::kBadLength, "AES-CTR input too large");
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  Bytes out(data.size());
  int len = 0, final_len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.data()) != 1 ||
      (!data.empty() && EVP_EncryptUpdate(ctx.get(), out.data(), &len, data.data(),
                                          static_cast<int>(data.size())) != 1) ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &final_len) != 1) {
    return OsslError(Errc::kInternal, "AES-CTR failed");
  }
  return out;
}

}  // namespace teepnet::crypto
