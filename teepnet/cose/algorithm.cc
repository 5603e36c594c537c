#include "teepnet/cose/algorithm.h"

#include <array>

namespace teepnet::cose {

namespace {

using crypto::AeadAlgorithm;
using crypto::HashAlgorithm;
using crypto::KeyType;
using crypto::SignatureAlgorithm;
using K = AlgorithmKind;

constexpr AlgorithmInfo Sig(Algorithm id, std::string_view name, SignatureAlgorithm sig,
                            std::optional<KeyType> key = std::nullopt, bool implemented = true) {
  AlgorithmInfo i{id, name, K::kSignature, implemented};
  i.signature = sig;
  i.required_key_type = key;
  return i;
}
constexpr AlgorithmInfo Mac(Algorithm id, std::string_view name, HashAlgorithm hash, size_t key,
                            size_t tag, bool implemented = true) {
  AlgorithmInfo i{id, name, K::kMac, implemented};
  i.hash = hash;
  i.key_size = key;
  i.tag_size = tag;
  return i;
}
constexpr AlgorithmInfo Aead(Algorithm id, std::string_view name, AeadAlgorithm aead, size_t key,
                             bool implemented = true) {
  AlgorithmInfo i{id, name, K::kAead, implemented};
  i.aead = aead;
  i.key_size = key;
  return i;
}
constexpr AlgorithmInfo Plain(Algorithm id, std::string_view name, K kind, size_t key = 0,
                              bool implemented = true) {
  AlgorithmInfo i{id, name, kind, implemented};
  i.key_size = key;
  return i;
}
constexpr AlgorithmInfo Kdf(Algorithm id, std::string_view name, K kind, HashAlgorithm hash,
                            size_t kek, bool static_sender) {
  AlgorithmInfo i{id, name, kind, true};
  i.hash = hash;
  i.key_size = kek;
  i.static_sender = static_sender;
  return i;
}
constexpr AlgorithmInfo Hpke(Algorithm id, std::string_view name, K kind, uint16_t kem,
                             uint16_t kdf, uint16_t aead, bool implemented = true) {
  AlgorithmInfo i{id, name, kind, implemented};
  i.hpke_kem = kem;
  i.hpke_kdf = kdf;
  i.hpke_aead = aead;
  return i;
}

// OpenSSL 3.0 and crypto/ have no X448 key type, so HPKE-5/6 are recognised but refused.
constexpr std::array kAlgorithms = {
    Sig(Algorithm::kES256, "ES256", SignatureAlgorithm::kEcdsaSha256),
    Sig(Algorithm::kES384, "ES384", SignatureAlgorithm::kEcdsaSha384),
    Sig(Algorithm::kES512, "ES512", SignatureAlgorithm::kEcdsaSha512),
    Sig(Algorithm::kEdDSA, "EdDSA", SignatureAlgorithm::kEd25519),
    Sig(Algorithm::kESP256, "ESP256", SignatureAlgorithm::kEcdsaSha256, KeyType::kP256),
    Sig(Algorithm::kESP384, "ESP384", SignatureAlgorithm::kEcdsaSha384, KeyType::kP384),
    Sig(Algorithm::kESP512, "ESP512", SignatureAlgorithm::kEcdsaSha512, KeyType::kP521),
    Sig(Algorithm::kEd25519, "Ed25519", SignatureAlgorithm::kEd25519, KeyType::kEd25519),
    Sig(Algorithm::kEd448, "Ed448", SignatureAlgorithm::kEd25519, std::nullopt, false),
    Sig(Algorithm::kPS256, "PS256", SignatureAlgorithm::kRsaPssSha256, std::nullopt, false),
    Sig(Algorithm::kPS384, "PS384", SignatureAlgorithm::kRsaPssSha384, std::nullopt, false),
    Sig(Algorithm::kPS512, "PS512", SignatureAlgorithm::kRsaPssSha512, std::nullopt, false),
    Mac(Algorithm::kHmac256_64, "HMAC 256/64", HashAlgorithm::kSha256, 32, 8),
    Mac(Algorithm::kHmac256_256, "HMAC 256/256", HashAlgorithm::kSha256, 32, 32),
    Mac(Algorithm::kHmac384_384, "HMAC 384/384", HashAlgorithm::kSha384, 48, 48),
    Mac(Algorithm::kHmac512_512, "HMAC 512/512", HashAlgorithm::kSha512, 64, 64),
    Mac(Algorithm::kAesMac128_64, "AES-MAC 128/64", HashAlgorithm::kSha256, 16, 8, false),
    Mac(Algorithm::kAesMac256_64, "AES-MAC 256/64", HashAlgorithm::kSha256, 32, 8, false),
    Mac(Algorithm::kAesMac128_128, "AES-MAC 128/128", HashAlgorithm::kSha256, 16, 16, false),
    Mac(Algorithm::kAesMac256_128, "AES-MAC 256/128", HashAlgorithm::kSha256, 32, 16, false),
    Aead(Algorithm::kA128GCM, "A128GCM", AeadAlgorithm::kAes128Gcm, 16),
    Aead(Algorithm::kA192GCM, "A192GCM", AeadAlgorithm::kAes192Gcm, 24),
    Aead(Algorithm::kA256GCM, "A256GCM", AeadAlgorithm::kAes256Gcm, 32),
    Aead(Algorithm::kChaCha20Poly1305, "ChaCha20/Poly1305", AeadAlgorithm::kChaCha20Poly1305, 32),
    Aead(Algorithm::kAesCcm16_64_128, "AES-CCM-16-64-128", AeadAlgorithm::kAes128Gcm, 16, false),
    Aead(Algorithm::kAesCcm16_64_256, "AES-CCM-16-64-256", AeadAlgorithm::kAes128Gcm, 32, false),
    Aead(Algorithm::kAesCcm64_64_128, "AES-CCM-64-64-128", AeadAlgorithm::kAes128Gcm, 16, false),
    Aead(Algorithm::kAesCcm64_64_256, "AES-CCM-64-64-256", AeadAlgorithm::kAes128Gcm, 32, false),
    Aead(Algorithm::kAesCcm16_128_128, "AES-CCM-16-128-128", AeadAlgorithm::kAes128Gcm, 16, false),
    Aead(Algorithm::kAesCcm16_128_256, "AES-CCM-16-128-256", AeadAlgorithm::kAes128Gcm, 32, false),
    Aead(Algorithm::kAesCcm64_128_128, "AES-CCM-64-128-128", AeadAlgorithm::kAes128Gcm, 16, false),
    Aead(Algorithm::kAesCcm64_128_256, "AES-CCM-64-128-256", AeadAlgorithm::kAes128Gcm, 32, false),
    Plain(Algorithm::kA128CTR, "A128CTR", K::kCtr, 16),
    Plain(Algorithm::kA192CTR, "A192CTR", K::kCtr, 24),
    Plain(Algorithm::kA256CTR, "A256CTR", K::kCtr, 32),
    Plain(Algorithm::kDirect, "direct", K::kDirect),
    Kdf(Algorithm::kDirectHkdfSha256, "direct+HKDF-SHA-256", K::kDirectHkdf, HashAlgorithm::kSha256,
        0, false),
    Kdf(Algorithm::kDirectHkdfSha512, "direct+HKDF-SHA-512", K::kDirectHkdf, HashAlgorithm::kSha512,
        0, false),
    Plain(Algorithm::kA128KW, "A128KW", K::kKeyWrap, 16),
    Plain(Algorithm::kA192KW, "A192KW", K::kKeyWrap, 24),
    Plain(Algorithm::kA256KW, "A256KW", K::kKeyWrap, 32),
    Kdf(Algorithm::kEcdhEsHkdf256, "ECDH-ES + HKDF-256", K::kEcdhDirect, HashAlgorithm::kSha256, 0,
        false),
    Kdf(Algorithm::kEcdhEsHkdf512, "ECDH-ES + HKDF-512", K::kEcdhDirect, HashAlgorithm::kSha512, 0,
        false),
    Kdf(Algorithm::kEcdhSsHkdf256, "ECDH-SS + HKDF-256", K::kEcdhDirect, HashAlgorithm::kSha256, 0,
        true),
    Kdf(Algorithm::kEcdhSsHkdf512, "ECDH-SS + HKDF-512", K::kEcdhDirect, HashAlgorithm::kSha512, 0,
        true),
    Kdf(Algorithm::kEcdhEsA128KW, "ECDH-ES + A128KW", K::kEcdhKeyWrap, HashAlgorithm::kSha256, 16,
        false),
    Kdf(Algorithm::kEcdhEsA192KW, "ECDH-ES + A192KW", K::kEcdhKeyWrap, HashAlgorithm::kSha256, 24,
        false),
    Kdf(Algorithm::kEcdhEsA256KW, "ECDH-ES + A256KW", K::kEcdhKeyWrap, HashAlgorithm::kSha256, 32,
        false),
    Kdf(Algorithm::kEcdhSsA128KW, "ECDH-SS + A128KW", K::kEcdhKeyWrap, HashAlgorithm::kSha256, 16,
        true),
    Kdf(Algorithm::kEcdhSsA192KW, "ECDH-SS + A192KW", K::kEcdhKeyWrap, HashAlgorithm::kSha256, 24,
        true),
    Kdf(Algorithm::kEcdhSsA256KW, "ECDH-SS + A256KW", K::kEcdhKeyWrap, HashAlgorithm::kSha256, 32,
        true),
    Plain(Algorithm::kRsaOaepSha1, "RSAES-OAEP w/ SHA-1", K::kKeyWrap, 0, false),
    Plain(Algorithm::kRsaOaepSha256, "RSAES-OAEP w/ SHA-256", K::kKeyWrap, 0, false),
    Plain(Algorithm::kRsaOaepSha512, "RSAES-OAEP w/ SHA-512", K::kKeyWrap, 0, false),
    Hpke(Algorithm::kHpke0, "HPKE-0", K::kHpkeIntegrated, 0x10, 1, 1),
    Hpke(Algorithm::kHpke1, "HPKE-1", K::kHpkeIntegrated, 0x11, 2, 2),
    Hpke(Algorithm::kHpke2, "HPKE-2", K::kHpkeIntegrated, 0x12, 3, 2),
    Hpke(Algorithm::kHpke3, "HPKE-3", K::kHpkeIntegrated, 0x20, 1, 1),
    Hpke(Algorithm::kHpke4, "HPKE-4", K::kHpkeIntegrated, 0x20, 1, 3),
    Hpke(Algorithm::kHpke5, "HPKE-5", K::kHpkeIntegrated, 0x21, 3, 2, false),
    Hpke(Algorithm::kHpke6, "HPKE-6", K::kHpkeIntegrated, 0x21, 3, 3, false),
    Hpke(Algorithm::kHpke7, "HPKE-7", K::kHpkeIntegrated, 0x10, 1, 2),
    Hpke(Algorithm::kHpke0KE, "HPKE-0-KE", K::kHpkeKeyEncryption, 0x10, 1, 1),
    Hpke(Algorithm::kHpke1KE, "HPKE-1-KE", K::kHpkeKeyEncryption, 0x11, 2, 2),
    Hpke(Algorithm::kHpke2KE, "HPKE-2-KE", K::kHpkeKeyEncryption, 0x12, 3, 2),
    Hpke(Algorithm::kHpke3KE, "HPKE-3-KE", K::kHpkeKeyEncryption, 0x20, 1, 1),
    Hpke(Algorithm::kHpke4KE, "HPKE-4-KE", K::kHpkeKeyEncryption, 0x20, 1, 3),
    Hpke(Algorithm::kHpke5KE, "HPKE-5-KE", K::kHpkeKeyEncryption, 0x21, 3, 2, false),
    Hpke(Algorithm::kHpke6KE, "HPKE-6-KE", K::kHpkeKeyEncryption, 0x21, 3, 3, false),
    Hpke(Algorithm::kHpke7KE, "HPKE-7-KE", K::kHpkeKeyEncryption, 0x10, 1, 2),
};

}  // namespace

const AlgorithmInfo* FindAlgorithm(int64_t value) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (static_cast<int64_t>(info.id) == value) return &info;
  }
  return nullptr;
}

const AlgorithmInfo* FindAlgorithmByName(std::string_view name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

Algorithm KeyWrapOf(Algorithm ecdh_wrap) {
  switch (ecdh_wrap) {
    case Algorithm::kEcdhEsA128KW:
    case Algorithm::kEcdhSsA128KW: return Algorithm::kA128KW;
    case Algorithm::kEcdhEsA192KW:
    case Algorithm::kEcdhSsA192KW: return Algorithm::kA192KW;
    case Algorithm::kEcdhEsA256KW:
    case Algorithm::kEcdhSsA256KW: return Algorithm::kA256KW;
    default: return ecdh_wrap;
  }
}

bool SignatureKeyFits(const AlgorithmInfo& info, crypto::KeyType type) {
  if (info.kind != AlgorithmKind::kSignature) return false;
  if (info.required_key_type.has_value()) return *info.required_key_type == type;
  // RFC 9053 §2.1: ES256/384/512 name the hash only; any ECDSA curve may carry them.
  if (info.signature == SignatureAlgorithm::kEd25519) return type == KeyType::kEd25519;
  return type == KeyType::kP256 || type == KeyType::kP384 || type == KeyType::kP521;
}

}  // namespace teepnet::cose
