#include "teepnet/crypto/bench_baseline.h"

#include <openssl/core_names.h>

#include <optional>
#include <string>
#include <utility>

#include "teepnet/crypto/key_handle.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto::baseline {

namespace {

const EVP_MD* BaselineMd(KeyType type, HashAlgorithm hash) {
  if (type == KeyType::kEd25519) return nullptr;
  if (type == KeyType::kSm2) return EVP_sm3();
  return internal::EvpMd(hash);
}

internal::EvpPkeyPtr Ref(EVP_PKEY* pkey) {
  EVP_PKEY_up_ref(pkey);
  return internal::EvpPkeyPtr(pkey);
}

}  // namespace

struct BareVerifier::Impl {
  internal::EvpPkeyPtr pkey;
  const EVP_MD* md;
  internal::EvpMdCtxPtr ctx{EVP_MD_CTX_new()};
  // NIST-curve ECDSA: a verify context built once (the fastest way OpenSSL offers to check
  // many signatures under one key: digest, then EVP_PKEY_verify), so the bound is the best bare
  // cost, not one that pays a context set-up per call.
  internal::EvpPkeyCtxPtr verify_ctx = nullptr;
  // SM2 only: the identifier set on each verify (OpenSSL has no way to keep the Z value).
  std::optional<Bytes> sm2_id = std::nullopt;
};

BareVerifier::BareVerifier(const PublicKey& key, HashAlgorithm hash)
    : impl_(new Impl{Ref(key.handle().get()), BaselineMd(key.type(), hash)}) {
  const KeyType type = key.type();
  if (type == KeyType::kP256 || type == KeyType::kP384 || type == KeyType::kP521) {
    internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
    if (ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
        EVP_PKEY_CTX_set_signature_md(ctx.get(), impl_->md) == 1) {
      impl_->verify_ctx = std::move(ctx);
    }
  }
}
BareVerifier::BareVerifier(const PublicKey& key, ByteView sm2_id)
    : impl_(new Impl{Ref(key.handle().get()), EVP_sm3()}) {
  impl_->sm2_id = ToBytes(sm2_id);
}
BareVerifier::~BareVerifier() = default;

bool BareVerifier::VerifyDer(ByteView msg, ByteView der_sig) {
  if (impl_->verify_ctx) {
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    return EVP_Digest(msg.data(), msg.size(), digest, &digest_len, impl_->md, nullptr) == 1 &&
           EVP_PKEY_verify(impl_->verify_ctx.get(), der_sig.data(), der_sig.size(), digest,
                           digest_len) == 1;
  }
  EVP_MD_CTX* ctx = impl_->ctx.get();
  EVP_MD_CTX_reset(ctx);
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestVerifyInit(ctx, &pctx, impl_->md, nullptr, impl_->pkey.get()) != 1) return false;
  if (impl_->sm2_id &&
      EVP_PKEY_CTX_set1_id(pctx, impl_->sm2_id->data(), impl_->sm2_id->size()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx, der_sig.data(), der_sig.size(), msg.data(), msg.size()) == 1;
}

bool BareVerifier::VerifyEd25519(ByteView msg, ByteView sig) {
  EVP_MD_CTX* ctx = impl_->ctx.get();
  EVP_MD_CTX_reset(ctx);
  return EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, impl_->pkey.get()) == 1 &&
         EVP_DigestVerify(ctx, sig.data(), sig.size(), msg.data(), msg.size()) == 1;
}

struct BareSigner::Impl {
  internal::EvpPkeyPtr pkey;
  const EVP_MD* md;
  internal::EvpMdCtxPtr ctx{EVP_MD_CTX_new()};
};

BareSigner::BareSigner(const PrivateKey& key, HashAlgorithm hash)
    : impl_(new Impl{Ref(key.handle().get()), BaselineMd(key.type(), hash)}) {}
BareSigner::~BareSigner() = default;

bool BareSigner::Sign(ByteView msg, Bytes& out) {
  EVP_MD_CTX* ctx = impl_->ctx.get();
  EVP_MD_CTX_reset(ctx);
  size_t len = 0;
  if (EVP_DigestSignInit(ctx, nullptr, impl_->md, nullptr, impl_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx, nullptr, &len, msg.data(), msg.size()) != 1) {
    return false;
  }
  out.resize(len);
  if (EVP_DigestSign(ctx, out.data(), &len, msg.data(), msg.size()) != 1) return false;
  out.resize(len);
  return true;
}

struct BareAead::Impl {
  const EVP_CIPHER* cipher;
  internal::EvpCipherCtxPtr ctx{EVP_CIPHER_CTX_new()};
};

namespace {
const EVP_CIPHER* AeadCipherFor(AeadAlgorithm alg) {
  switch (alg) {
    case AeadAlgorithm::kAes128Gcm: return EVP_aes_128_gcm();
    case AeadAlgorithm::kAes192Gcm: return EVP_aes_192_gcm();
    case AeadAlgorithm::kAes256Gcm: return EVP_aes_256_gcm();
    case AeadAlgorithm::kChaCha20Poly1305: return EVP_chacha20_poly1305();
  }
  return nullptr;
}
}  // namespace

BareAead::BareAead(AeadAlgorithm alg) : impl_(new Impl{AeadCipherFor(alg)}) {}
BareAead::~BareAead() = default;

bool BareAead::Seal(ByteView key, ByteView nonce, ByteView aad, ByteView pt, Bytes& out) {
  EVP_CIPHER_CTX* ctx = impl_->ctx.get();
  out.resize(pt.size() + kAeadTagSize);
  int len = 0, tmp = 0;
  return EVP_EncryptInit_ex(ctx, impl_->cipher, nullptr, nullptr, nullptr) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()),
                             nullptr) == 1 &&
         EVP_EncryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data()) == 1 &&
         EVP_EncryptUpdate(ctx, nullptr, &tmp, aad.data(), static_cast<int>(aad.size())) == 1 &&
         EVP_EncryptUpdate(ctx, out.data(), &len, pt.data(), static_cast<int>(pt.size())) == 1 &&
         EVP_EncryptFinal_ex(ctx, out.data() + len, &tmp) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kAeadTagSize),
                             out.data() + pt.size()) == 1;
}

bool BareAead::Open(ByteView key, ByteView nonce, ByteView aad, ByteView ct_and_tag, Bytes& out) {
  if (ct_and_tag.size() < kAeadTagSize) return false;
  size_t n = ct_and_tag.size() - kAeadTagSize;
  EVP_CIPHER_CTX* ctx = impl_->ctx.get();
  out.resize(n);
  int len = 0, tmp = 0;
  return EVP_DecryptInit_ex(ctx, impl_->cipher, nullptr, nullptr, nullptr) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()),
                             nullptr) == 1 &&
         EVP_DecryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data()) == 1 &&
         EVP_DecryptUpdate(ctx, nullptr, &tmp, aad.data(), static_cast<int>(aad.size())) == 1 &&
         EVP_DecryptUpdate(ctx, out.data(), &len, ct_and_tag.data(), static_cast<int>(n)) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kAeadTagSize),
                             const_cast<uint8_t*>(ct_and_tag.data() + n)) == 1 &&
         EVP_DecryptFinal_ex(ctx, out.data() + len, &tmp) == 1;
}

bool BareAesGcmSeal(ByteView key, ByteView nonce, ByteView aad, ByteView pt, Bytes& out) {
  thread_local BareAead aes128(AeadAlgorithm::kAes128Gcm);
  thread_local BareAead aes192(AeadAlgorithm::kAes192Gcm);
  thread_local BareAead aes256(AeadAlgorithm::kAes256Gcm);
  switch (key.size()) {
    case 16: return aes128.Seal(key, nonce, aad, pt, out);
    case 24: return aes192.Seal(key, nonce, aad, pt, out);
    case 32: return aes256.Seal(key, nonce, aad, pt, out);
    default: return false;
  }
}

bool BareDigest(HashAlgorithm hash, ByteView data, Bytes& out) {
  out.resize(DigestSize(hash));
  unsigned int len = 0;
  return EVP_Digest(data.data(), data.size(), out.data(), &len, internal::EvpMd(hash), nullptr) ==
         1;
}

bool BareHkdf(HashAlgorithm hash, ByteView salt, ByteView ikm, ByteView info, Bytes& out) {
  // Fetched once: the floor should not pay OpenSSL 3's provider lookup per derivation.
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  internal::EvpKdfCtxPtr ctx(kdf == nullptr ? nullptr : EVP_KDF_CTX_new(kdf));
  if (!ctx) return false;
  static uint8_t empty[1] = {0};
  auto octets = [](const char* name, ByteView b) {
    return OSSL_PARAM_construct_octet_string(
        name, b.empty() ? empty : const_cast<uint8_t*>(b.data()), b.size());
  };
  std::string md_name(HashName(hash));
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, md_name.data(), 0),
                         octets(OSSL_KDF_PARAM_KEY, ikm), octets(OSSL_KDF_PARAM_SALT, salt),
                         octets(OSSL_KDF_PARAM_INFO, info), OSSL_PARAM_construct_end()};
  return EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) == 1;
}

bool BareDerive(const PrivateKey& mine, const PublicKey& theirs, Bytes& out) {
  internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, mine.handle().get(), nullptr));
  size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), theirs.handle().get(), 0) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
    return false;
  }
  out.resize(len);
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1) return false;
  out.resize(len);
  return true;
}

}  // namespace teepnet::crypto::baseline
