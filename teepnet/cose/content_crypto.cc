#include "teepnet/cose/content_crypto.h"

#include "teepnet/cose/errc.h"
#include "teepnet/crypto/cipher.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::cose {

Status CheckMacAlgorithm(const AlgorithmInfo& info, size_t key_size) {
  if (info.kind != AlgorithmKind::kMac) {
    return Error(Errc::kAlgMismatch, std::string(info.name) + " is not a MAC algorithm");
  }
  if (!info.implemented) {
    return Error(Errc::kUnsupportedAlgorithm, std::string(info.name) + " is not implemented");
  }
  // RFC 9053 §3.1: the key "MUST be at least" the hash output size; we take exactly the
  // registered size for keys we derive and at least it for keys we are given.
  if (key_size < info.key_size) {
    return Error(Errc::kWrongKeyType, std::string(info.name) + " key too short");
  }
  return OkStatus();
}

Result<Bytes> ComputeMacTag(const AlgorithmInfo& info, ByteView key, ByteView mac_structure) {
  TEEPNET_RETURN_IF_ERROR(CheckMacAlgorithm(info, key.size()));
  auto tag = crypto::Hmac(info.hash, key, mac_structure);
  if (!tag.ok()) return Error(Errc::kCrypto, "HMAC failed");
  //= https://www.rfc-editor.org/rfc/rfc9053#section-3.1
  //# HMAC 256/64 ... the tag is truncated to the left-most 64 bits.
  tag->resize(info.tag_size);
  return tag;
}

Status VerifyMacTag(const AlgorithmInfo& info, ByteView key, ByteView mac_structure, ByteView tag) {
  TEEPNET_RETURN_IF_ERROR(CheckMacAlgorithm(info, key.size()));
  if (tag.size() != info.tag_size) return Error(Errc::kTagInvalid, "MAC tag has the wrong length");
  if (!crypto::HmacVerify(info.hash, key, mac_structure, tag).ok()) {
    return Error(Errc::kTagInvalid, "MAC tag does not match");
  }
  return OkStatus();
}

bool IsContentEncryption(const AlgorithmInfo& info) {
  return info.kind == AlgorithmKind::kAead || info.kind == AlgorithmKind::kCtr;
}

Status CheckContentAlgorithm(const AlgorithmInfo& info, size_t key_size) {
  if (!IsContentEncryption(info)) {
    return Error(Errc::kAlgMismatch, std::string(info.name) + " is not a content cipher");
  }
  if (!info.implemented) {
    return Error(Errc::kUnsupportedAlgorithm, std::string(info.name) + " is not implemented");
  }
  if (key_size != info.key_size) {
    return Error(Errc::kWrongKeyType, std::string(info.name) + " key has the wrong size");
  }
  return OkStatus();
}

Result<Bytes> ResolveIv(const Headers& headers, ByteView context_iv) {
  TEEPNET_ASSIGN_OR_RETURN(auto iv, headers.GetBytes(kLabelIv));
  TEEPNET_ASSIGN_OR_RETURN(auto partial, headers.GetBytes(kLabelPartialIv));
  //= https://www.rfc-editor.org/rfc/rfc9052#section-3.1
  //# The Initialization Vector and Partial Initialization Vector parameters MUST NOT both be
  //# present in the same security layer.
  if (iv && partial) return Error(Errc::kBadIv, "both IV and Partial IV present");
  if (iv) {
    if (iv->empty()) return Error(Errc::kBadIv, "empty IV");
    return ToBytes(*iv);
  }
  if (!partial) return Error(Errc::kMissingIv, "no IV or Partial IV");
  if (context_iv.empty()) return Error(Errc::kMissingIv, "Partial IV without a context IV");
  //# 1. Left-pad the Partial IV with zeros to the length of the context IV.
  //# 2. XOR the padded Partial IV with the context IV.
  if (partial->size() > context_iv.size()) {
    return Error(Errc::kBadIv, "Partial IV longer than the context IV");
  }
  Bytes out = ToBytes(context_iv);
  size_t offset = out.size() - partial->size();
  for (size_t i = 0; i < partial->size(); ++i) out[offset + i] ^= (*partial)[i];
  return out;
}

Result<SecretBytes> DecryptContent(const AlgorithmInfo& info, ByteView key, ByteView iv,
                                   ByteView aad, ByteView ciphertext) {
  TEEPNET_RETURN_IF_ERROR(CheckContentAlgorithm(info, key.size()));
  if (info.kind == AlgorithmKind::kCtr) {
    auto plain = crypto::AesCtr(key, iv, ciphertext);
    if (!plain.ok()) return Error(Errc::kDecryptFailed, "AES-CTR failed");
    SecretBytes out(*plain);
    SecureWipe(plain->data(), plain->size());
    return out;
  }
  if (info.aead == crypto::AeadAlgorithm::kChaCha20Poly1305 && iv.size() != 12) {
    return Error(Errc::kBadIv, "ChaCha20/Poly1305 needs a 12-byte nonce");
  }
  auto plain = crypto::AeadOpen(info.aead, key, iv, aad, ciphertext);
  if (!plain.ok()) return Error(Errc::kDecryptFailed, "content does not decrypt");
  return plain;
}

Result<Bytes> EncryptContent(const AlgorithmInfo& info, ByteView key, ByteView iv, ByteView aad,
                             ByteView plaintext) {
  TEEPNET_RETURN_IF_ERROR(CheckContentAlgorithm(info, key.size()));
  auto out = info.kind == AlgorithmKind::kCtr
                 ? crypto::AesCtr(key, iv, plaintext)
                 : crypto::AeadSeal(info.aead, key, iv, aad, plaintext);
  if (!out.ok()) return Error(Errc::kCrypto, "content encryption failed: " + out.error().message());
  return out;
}

size_t ContentIvSize(const AlgorithmInfo& info) {
  return info.kind == AlgorithmKind::kCtr ? 16 : 12;
}

}  // namespace teepnet::cose
