#include "teepnet/crypto/signature.h"

#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <mutex>
#include <utility>

#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/key_handle.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

using internal::EvpMdCtxPtr;
using internal::OsslError;

std::string_view SignatureAlgorithmName(SignatureAlgorithm alg) {
  switch (alg) {
    case SignatureAlgorithm::kEcdsaSha256: return "ECDSA-SHA256";
    case SignatureAlgorithm::kEcdsaSha384: return "ECDSA-SHA384";
    case SignatureAlgorithm::kEcdsaSha512: return "ECDSA-SHA512";
    case SignatureAlgorithm::kEd25519: return "Ed25519";
    case SignatureAlgorithm::kRsaPssSha256: return "RSA-PSS-SHA256";
    case SignatureAlgorithm::kRsaPssSha384: return "RSA-PSS-SHA384";
    case SignatureAlgorithm::kRsaPssSha512: return "RSA-PSS-SHA512";
    case SignatureAlgorithm::kRsaPkcs1Sha256: return "RSA-PKCS1-SHA256";
    case SignatureAlgorithm::kSm2Sm3: return "SM2-SM3";
  }
  return "unknown";
}

namespace {

// GM/T 0009-2012 §10: the default distinguishing identifier.
constexpr std::string_view kSm2DefaultId = "1234567812345678";

bool IsEcdsa(SignatureAlgorithm alg) {
  return alg == SignatureAlgorithm::kEcdsaSha256 || alg == SignatureAlgorithm::kEcdsaSha384 ||
         alg == SignatureAlgorithm::kEcdsaSha512;
}
bool IsRsaPss(SignatureAlgorithm alg) {
  return alg == SignatureAlgorithm::kRsaPssSha256 || alg == SignatureAlgorithm::kRsaPssSha384 ||
         alg == SignatureAlgorithm::kRsaPssSha512;
}

// Fetched digests (internal::EvpMd), so no per-call legacy-to-provider lookup.
const EVP_MD* MdFor(SignatureAlgorithm alg) {
  switch (alg) {
    case SignatureAlgorithm::kEcdsaSha256:
    case SignatureAlgorithm::kRsaPssSha256:
    case SignatureAlgorithm::kRsaPkcs1Sha256: return internal::EvpMd(HashAlgorithm::kSha256);
    case SignatureAlgorithm::kEcdsaSha384:
    case SignatureAlgorithm::kRsaPssSha384: return internal::EvpMd(HashAlgorithm::kSha384);
    case SignatureAlgorithm::kEcdsaSha512:
    case SignatureAlgorithm::kRsaPssSha512: return internal::EvpMd(HashAlgorithm::kSha512);
    case SignatureAlgorithm::kSm2Sm3: return internal::EvpMd(HashAlgorithm::kSm3);
    case SignatureAlgorithm::kEd25519: return nullptr;  // PureEdDSA hashes internally
  }
  return nullptr;
}

bool KeyFits(KeyType key, SignatureAlgorithm alg) {
  if (IsEcdsa(alg)) {
    return key == KeyType::kP256 || key == KeyType::kP384 || key == KeyType::kP521;
  }
  if (alg == SignatureAlgorithm::kEd25519) return key == KeyType::kEd25519;
  if (alg == SignatureAlgorithm::kSm2Sm3) return key == KeyType::kSm2;
  return key == KeyType::kRsa;
}

// The longest DER ECDSA-Sig-Value (P-521): SEQUENCE header (3) + 2 x INTEGER (2 + 1 + 66).
constexpr size_t kMaxEcdsaDer = 3 + 2 * (2 + 1 + 66);

// Appends the DER INTEGER (X.690 §8.3) for the unsigned big-endian `v`: minimal length
// (leading zeros dropped, one kept for zero), and a 0x00 in front when the top bit is set so
// the value stays positive. This is what i2d_ECDSA_SIG produces from the same r and s.
size_t PutDerInteger(ByteView v, uint8_t* out) {
  size_t skip = 0;
  while (skip + 1 < v.size() && v[skip] == 0) ++skip;
  ByteView digits = v.subspan(skip);
  bool pad = digits[0] & 0x80;
  size_t len = digits.size() + (pad ? 1 : 0);
  size_t n = 0;
  out[n++] = 0x02;
  out[n++] = static_cast<uint8_t>(len);  // <= 67, always the short form
  if (pad) out[n++] = 0x00;
  std::copy(digits.begin(), digits.end(), out + n);
  return n + digits.size();
}

// r||s (already checked: non-empty, even, at most 2 x 66 bytes) to an ECDSA-Sig-Value in
// `out`, without the BIGNUM and ECDSA_SIG allocations of i2d_ECDSA_SIG; returns the length.
size_t EncodeEcdsaDer(ByteView raw, uint8_t (&out)[kMaxEcdsaDer]) {
  size_t half = raw.size() / 2;
  uint8_t body[kMaxEcdsaDer];
  size_t body_len = PutDerInteger(raw.first(half), body);
  body_len += PutDerInteger(raw.subspan(half), body + body_len);
  size_t n = 0;
  out[n++] = 0x30;
  if (body_len >= 0x80) out[n++] = 0x81;  // X.690 §8.1.3.5: long form, one length octet
  out[n++] = static_cast<uint8_t>(body_len);
  std::copy(body, body + body_len, out + n);
  return n + body_len;
}

// Sets up `ctx` for signing or verifying with `pkey` under `alg`; `sm2_id` only for SM2.
Status InitContext(EVP_MD_CTX* ctx, EVP_PKEY* pkey, SignatureAlgorithm alg, ByteView sm2_id,
                   bool sign) {
  EVP_PKEY_CTX* pctx = nullptr;
  int ok = sign ? EVP_DigestSignInit(ctx, &pctx, MdFor(alg), nullptr, pkey)
                : EVP_DigestVerifyInit(ctx, &pctx, MdFor(alg), nullptr, pkey);
  if (ok != 1) return OsslError(Errc::kInternal, "signature init failed");
  if (IsRsaPss(alg)) {
    // RFC 8230 §2 / RFC 4055: MGF1 with the message hash, salt length = hash length.
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, MdFor(alg)) != 1) {
      return OsslError(Errc::kInternal, "RSA-PSS parameters rejected");
    }
  } else if (alg == SignatureAlgorithm::kRsaPkcs1Sha256) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
      return OsslError(Errc::kInternal, "RSA PKCS#1 padding rejected");
    }
  } else if (alg == SignatureAlgorithm::kSm2Sm3) {
    // The identifier enters the Z value hashed before the message (GM/T 0003.2 §5.5); it
    // must be set before the first update.
    if (EVP_PKEY_CTX_set1_id(pctx, sm2_id.data(), sm2_id.size()) != 1) {
      return OsslError(Errc::kInternal, "SM2 distinguishing ID rejected");
    }
  }
  return OkStatus();
}

// ECDSA verification hashes the message itself and verifies the digest with a key context
// kept per thread for the last few keys: EVP_DigestVerifyInit fetches the signature and digest
// implementations and builds a fresh key context on every call, which costs several µs
// (appraisers verify token after token under the same endorsed key; an Agent alternates
// between its TAM's key and its TC signer's, a TAM between a few devices' keys). The result is
// the same check: EVP_DigestVerify is this digest followed by this EVP_PKEY_verify. Each
// context holds a reference to its key, so no other key can take that address while it is
// cached.
struct EcdsaVerifyCache {
  // A handful: enough for the keys one exchange alternates between, small enough that the
  // linear search and the keys kept alive stay negligible.
  static constexpr size_t kEntries = 4;
  struct Entry {
    internal::EvpPkeyCtxPtr ctx;
    SignatureAlgorithm alg = SignatureAlgorithm::kEcdsaSha256;
  };
  Entry entries[kEntries];
  size_t next = 0;  // the entry a miss replaces (round robin)
};

EVP_PKEY_CTX* EcdsaVerifyContext(EVP_PKEY* pkey, SignatureAlgorithm alg) {
  thread_local EcdsaVerifyCache cache;
  for (auto& entry : cache.entries) {
    if (entry.ctx && EVP_PKEY_CTX_get0_pkey(entry.ctx.get()) == pkey && entry.alg == alg) {
      return entry.ctx.get();
    }
  }
  auto& slot = cache.entries[cache.next];
  cache.next = (cache.next + 1) % EcdsaVerifyCache::kEntries;
  slot.ctx.reset();
  internal::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), MdFor(alg)) != 1) {
    return nullptr;
  }
  slot.ctx = std::move(ctx);
  slot.alg = alg;
  return slot.ctx.get();
}

Status VerifyEcdsaDigest(EVP_PKEY* pkey, SignatureAlgorithm alg, ByteView message,
                         ByteView der_signature) {
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(message.data(), message.size(), digest, &digest_len, MdFor(alg), nullptr) != 1) {
    return OsslError(Errc::kInternal, "message digest failed");
  }
  EVP_PKEY_CTX* ctx = EcdsaVerifyContext(pkey, alg);
  if (ctx == nullptr) return OsslError(Errc::kInternal, "signature init failed");
  if (EVP_PKEY_verify(ctx, der_signature.data(), der_signature.size(), digest, digest_len) != 1) {
    return OsslError(Errc::kSignatureInvalid, "signature does not verify");
  }
  return OkStatus();
}

// At most this many idle signing contexts are kept per key: one per thread signing with it
// at the same instant is enough, and more would only hold memory after a burst.
constexpr size_t kMaxIdleSignContexts = 8;

// Hashes `message` and signs the digest with a signing context taken from the key's idle
// contexts (or a new one), returned there afterwards. EVP_DigestSign is exactly this digest
// followed by this EVP_PKEY_sign; RFC 9053 §2.1 ECDSA is over the hash of the ToBeSigned.
Result<Bytes> SignEcdsaDigest(const PrivateKey& private_key, SignatureAlgorithm alg,
                              ByteView message) {
  const KeyHandle& key = private_key.handle();
  const EVP_MD* md = MdFor(alg);
  uint8_t digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(message.data(), message.size(), digest, &digest_len, md, nullptr) != 1) {
    return OsslError(Errc::kInternal, "message digest failed");
  }
  internal::EvpPkeyCtxPtr ctx;
  {
    std::lock_guard<std::mutex> lock(key.sign_contexts_mu);
    auto& idle = key.sign_contexts;
    for (size_t i = idle.size(); i-- > 0;) {
      if (idle[i].md != md) continue;
      ctx = std::move(idle[i].ctx);
      idle.erase(idle.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  if (!ctx) {
    ctx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) {
      return OsslError(Errc::kInternal, "signature init failed");
    }
  }
  uint8_t der[kMaxEcdsaDer];
  size_t der_len = sizeof(der);
  if (EVP_PKEY_sign(ctx.get(), der, &der_len, digest, digest_len) != 1) {
    // A context whose operation failed is not offered again.
    return OsslError(Errc::kInternal, "signing failed");
  }
  {
    std::lock_guard<std::mutex> lock(key.sign_contexts_mu);
    if (key.sign_contexts.size() < kMaxIdleSignContexts) {
      key.sign_contexts.push_back({md, std::move(ctx)});
    }
  }
  return EcdsaDerToRaw(ByteView(der, der_len), CoordinateSize(private_key.type()));
}

Result<Bytes> SignWithId(const PrivateKey& key, SignatureAlgorithm alg, ByteView message,
                         ByteView sm2_id) {
  if (!KeyFits(key.type(), alg)) {
    return Error(Errc::kKeyTypeMismatch, std::string(KeyTypeName(key.type())) +
                                             " key cannot sign " +
                                             std::string(SignatureAlgorithmName(alg)));
  }
  if (IsEcdsa(alg)) return SignEcdsaDigest(key, alg, message);
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return OsslError(Errc::kInternal, "EVP_MD_CTX_new failed");
  TEEPNET_RETURN_IF_ERROR(InitContext(ctx.get(), key.handle().get(), alg, sm2_id, true));
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, message.data(), message.size()) != 1) {
    return OsslError(Errc::kInternal, "signature length query failed");
  }
  Bytes sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()) != 1) {
    return OsslError(Errc::kInternal, "signing failed");
  }
  sig.resize(len);
  if (IsEcdsa(alg) || alg == SignatureAlgorithm::kSm2Sm3) {
    return EcdsaDerToRaw(sig, CoordinateSize(key.type()));
  }
  return sig;
}

Status VerifyWithId(const PublicKey& key, SignatureAlgorithm alg, ByteView message,
                    ByteView signature, ByteView sm2_id) {
  if (!KeyFits(key.type(), alg)) {
    return Error(Errc::kKeyTypeMismatch, std::string(KeyTypeName(key.type())) +
                                             " key cannot verify " +
                                             std::string(SignatureAlgorithmName(alg)));
  }
  uint8_t der[kMaxEcdsaDer];
  ByteView sig = signature;
  if (IsEcdsa(alg) || alg == SignatureAlgorithm::kSm2Sm3) {
    //= https://www.rfc-editor.org/rfc/rfc9053#section-2.1
    //# The signature is ... the concatenation of r and s, each padded to the size of the
    //# curve's order; a signature of any other length is refused.
    if (signature.size() != 2 * CoordinateSize(key.type())) {
      return Error(Errc::kSignatureInvalid, "ECDSA signature has the wrong length");
    }
    if (signature.empty() || signature.size() > 2 * 66) {
      return Error(Errc::kSignatureInvalid, "ECDSA signature malformed");
    }
    sig = ByteView(der, EncodeEcdsaDer(signature, der));
    if (IsEcdsa(alg)) return VerifyEcdsaDigest(key.handle().get(), alg, message, sig);
  } else if (alg == SignatureAlgorithm::kEd25519 && signature.size() != 64) {
    return Error(Errc::kSignatureInvalid, "Ed25519 signature must be 64 bytes");
  }
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return OsslError(Errc::kInternal, "EVP_MD_CTX_new failed");
  TEEPNET_RETURN_IF_ERROR(InitContext(ctx.get(), key.handle().get(), alg, sm2_id, false));
  if (EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), message.data(), message.size()) != 1) {
    return OsslError(Errc::kSignatureInvalid, "signature does not verify");
  }
  return OkStatus();
}

}  // namespace

Result<Bytes> Sign(const PrivateKey& key, SignatureAlgorithm alg, ByteView message) {
  return SignWithId(key, alg, message, AsBytes(kSm2DefaultId));
}

Status Verify(const PublicKey& key, SignatureAlgorithm alg, ByteView message, ByteView signature) {
  return VerifyWithId(key, alg, message, signature, AsBytes(kSm2DefaultId));
}

Status VerifySm2(const PublicKey& key, ByteView user_id, ByteView message, ByteView signature) {
  return VerifyWithId(key, SignatureAlgorithm::kSm2Sm3, message, signature, user_id);
}

Result<Bytes> SignSm2(const PrivateKey& key, ByteView user_id, ByteView message) {
  return SignWithId(key, SignatureAlgorithm::kSm2Sm3, message, user_id);
}

Result<Bytes> EcdsaRawToDer(ByteView raw) {
  if (raw.empty() || raw.size() % 2 != 0 || raw.size() > 2 * 66) {
    return Error(Errc::kBadLength, "raw ECDSA signature must be r||s of equal halves");
  }
  uint8_t der[kMaxEcdsaDer];
  size_t len = EncodeEcdsaDer(raw, der);
  return Bytes(der, der + len);
}

Result<Bytes> EcdsaDerToRaw(ByteView der, size_t coordinate_size) {
  if (coordinate_size == 0 || coordinate_size > 66 || !internal::FitsInt(der.size())) {
    return Error(Errc::kBadLength, "bad ECDSA coordinate size");
  }
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) return OsslError(Errc::kBadEncoding, "ECDSA-Sig-Value does not parse");
  std::unique_ptr<ECDSA_SIG, internal::Deleter<ECDSA_SIG_free>> owned(sig);
  if (p != der.data() + der.size()) {
    return Error(Errc::kBadEncoding, "bytes after the ECDSA-Sig-Value");
  }
  const BIGNUM* r = ECDSA_SIG_get0_r(sig);
  const BIGNUM* s = ECDSA_SIG_get0_s(sig);
  Bytes raw(2 * coordinate_size);
  int c = static_cast<int>(coordinate_size);
  if (BN_is_negative(r) || BN_is_negative(s) || BN_bn2binpad(r, raw.data(), c) != c ||
      BN_bn2binpad(s, raw.data() + coordinate_size, c) != c) {
    return OsslError(Errc::kBadEncoding, "ECDSA r or s too large for the curve");
  }
  return raw;
}

}  // namespace teepnet::crypto
