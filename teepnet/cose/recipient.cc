#include "teepnet/cose/recipient.h"

#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/message.h"
#include "teepnet/crypto/cipher.h"
#include "teepnet/crypto/ecdh.h"
#include "teepnet/crypto/hash.h"

namespace teepnet::cose {

Result<std::vector<Recipient>> ReadRecipients(cbor::Reader& r, const HeaderPolicy& policy,
                                              size_t depth) {
  size_t at = r.offset();
  if (depth >= kMaxRecipientDepth) {
    return Error(Errc::kMalformed, "recipients nested too deeply", at);
  }
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  if (type != cbor::ItemType::kArray) {
    return Error(Errc::kMalformed, "recipients is not an array", at);
  }
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&n));
  //= https://www.rfc-editor.org/rfc/rfc9052#section-5.1
  //# recipients : [+COSE_recipient]
  if (n == 0 || n == cbor::kIndefiniteLength) {
    return Error(Errc::kMalformed, "recipients must be a non-empty definite array", at);
  }
  std::vector<Recipient> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    size_t item_at = r.offset();
    TEEPNET_ASSIGN_OR_RETURN(type, r.PeekType());
    size_t members = 0;
    if (type == cbor::ItemType::kArray) TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&members));
    //# COSE_recipient = [ Headers, ciphertext : bstr / nil, ? recipients : [+COSE_recipient] ]
    if (type != cbor::ItemType::kArray || (members != 3 && members != 4)) {
      return Error(Errc::kMalformed, "COSE_recipient must be an array of 3 or 4", item_at);
    }
    Recipient rec;
    TEEPNET_ASSIGN_OR_RETURN(rec.headers, ReadHeaders(r, policy));
    TEEPNET_ASSIGN_OR_RETURN(rec.ciphertext, ReadBytesOrNil(r, "recipient ciphertext"));
    if (members == 4) {
      TEEPNET_ASSIGN_OR_RETURN(rec.recipients, ReadRecipients(r, policy, depth + 1));
    }
    // Recipient layers may carry alg unprotected: RFC 9053 §6.1/§6.2 require an empty
    // protected bucket for direct and AES-KW.
    TEEPNET_ASSIGN_OR_RETURN(rec.alg, rec.headers.Alg(false));
    out.push_back(std::move(rec));
  }
  return out;
}

namespace {

Error WrongKey(const AlgorithmInfo& info, const char* need) {
  return Error(Errc::kWrongKeyType, std::string(info.name) + " needs " + need);
}

Result<std::optional<ByteView>> Salt(const Headers& h) {
  return h.GetBytes(kLabelSalt);
}

Result<SecretBytes> HkdfFor(const AlgorithmInfo& info, const Headers& h, ByteView ikm,
                            Algorithm key_alg, size_t key_size, const KdfExtras& extras) {
  TEEPNET_ASSIGN_OR_RETURN(auto salt, Salt(h));
  TEEPNET_ASSIGN_OR_RETURN(Bytes context, KdfContext(key_alg, key_size, h, extras));
  //= https://www.rfc-editor.org/rfc/rfc9053#section-5.1
  //# HKDF ... with salt (empty if not supplied), IKM the shared secret, info the serialized
  //# COSE_KDF_Context, and L the key length of the target algorithm.
  auto okm = crypto::Hkdf(info.hash, salt.value_or(ByteView()), ikm, context, key_size);
  if (!okm.ok()) return Error(Errc::kCrypto, "HKDF failed: " + okm.error().message());
  return okm;
}

// The other party's public key for ECDH: the ephemeral key (-1) for ECDH-ES, the static key
// (-2) or the caller's key for ECDH-SS.
Result<crypto::PublicKey> PeerKey(const Recipient& rec, const RecipientKey& key) {
  int64_t label = rec.alg->static_sender ? kLabelStaticKey : kLabelEphemeralKey;
  auto raw = rec.headers.Raw(label);
  if (!raw) {
    if (rec.alg->static_sender && key.sender_public_key) return *key.sender_public_key;
    return Error(Errc::kMissingKeyParameter,
                 rec.alg->static_sender ? "no static sender key" : "no ephemeral key (-1)");
  }
  TEEPNET_ASSIGN_OR_RETURN(CoseKey peer, CoseKey::DecodePublic(*raw));
  return peer.ToPublicKey();
}

Result<SecretBytes> EcdhSecret(const Recipient& rec, const RecipientKey& key) {
  if (!key.private_key) return WrongKey(*rec.alg, "a private key");
  TEEPNET_ASSIGN_OR_RETURN(crypto::PublicKey peer, PeerKey(rec, key));
  if (peer.type() != key.private_key->type()) {
    return Error(Errc::kWrongKeyType, "ECDH peer key is on another curve");
  }
  auto z = crypto::Ecdh(*key.private_key, peer);
  if (!z.ok()) return Error(Errc::kWrongKeyType, "ECDH failed: " + z.error().message());
  return z;
}

Result<SecretBytes> Unwrap(ByteView kek, const Recipient& rec, size_t key_size) {
  if (!rec.ciphertext) return Error(Errc::kMalformed, "key-wrap recipient without ciphertext");
  auto cek = crypto::AesKeyUnwrap(kek, *rec.ciphertext);
  if (!cek.ok()) return Error(Errc::kDecryptFailed, "key unwrap failed");
  if (cek->size() != key_size) return Error(Errc::kDecryptFailed, "unwrapped key has wrong size");
  return cek;
}

}  // namespace

Result<SecretBytes> RecoverKey(const Recipient& rec, const RecipientKey& key, Algorithm next_alg,
                               size_t key_size, size_t depth) {
  const AlgorithmInfo& info = *rec.alg;
  if (!info.implemented) {
    return Error(Errc::kUnsupportedAlgorithm, std::string(info.name) + " is not implemented");
  }
  switch (info.kind) {
    case AlgorithmKind::kDirect: {
      if (!key.secret) return WrongKey(info, "a shared secret");
      //= https://www.rfc-editor.org/rfc/rfc9053#section-6.1.2
      //# the CEK is the shared secret; the recipient ciphertext MUST be a zero-length bstr.
      if (rec.ciphertext && !rec.ciphertext->empty()) {
        return Error(Errc::kMalformed, "direct recipient carries a ciphertext");
      }
      if (key.secret->size() != key_size) {
        return Error(Errc::kWrongKeyType, "direct key does not have the content key size");
      }
      return key.secret->Clone();
    }
    case AlgorithmKind::kDirectHkdf:
      if (!key.secret) return WrongKey(info, "a shared secret");
      return HkdfFor(info, rec.headers, key.secret->view(), next_alg, key_size, key.kdf);
    case AlgorithmKind::kKeyWrap: {
      if (!rec.recipients.empty()) {
        // RFC 9052 Appendix B: the KEK itself comes from the nested recipient layer.
        if (depth + 1 >= kMaxRecipientDepth) {
          return Error(Errc::kMalformed, "recipients nested too deeply");
        }
        std::optional<Error> last;
        for (const Recipient& inner : rec.recipients) {
          auto kek = RecoverKey(inner, key, info.id, info.key_size, depth + 1);
          if (!kek.ok()) {
            last = std::move(kek).TakeError();
            continue;
          }
          auto cek = Unwrap(kek->view(), rec, key_size);
          if (cek.ok()) return cek;
          last = std::move(cek).TakeError();
        }
        return last ? *last : Error(Errc::kNoMatchingRecipient, "no nested recipient matches");
      }
      if (!key.secret) return WrongKey(info, "a shared secret");
      if (key.secret->size() != info.key_size) {
        return Error(Errc::kWrongKeyType, "KEK does not have the algorithm's size");
      }
      return Unwrap(key.secret->view(), rec, key_size);
    }
    case AlgorithmKind::kEcdhDirect: {
      TEEPNET_ASSIGN_OR_RETURN(SecretBytes z, EcdhSecret(rec, key));
      return HkdfFor(info, rec.headers, z.view(), next_alg, key_size, key.kdf);
    }
    case AlgorithmKind::kEcdhKeyWrap: {
      TEEPNET_ASSIGN_OR_RETURN(SecretBytes z, EcdhSecret(rec, key));
      //= https://www.rfc-editor.org/rfc/rfc9053#section-6.4
      //# ... the KDF context AlgorithmID is the key wrap algorithm.
      TEEPNET_ASSIGN_OR_RETURN(
          SecretBytes kek,
          HkdfFor(info, rec.headers, z.view(), KeyWrapOf(info.id), info.key_size, key.kdf));
      return Unwrap(kek.view(), rec, key_size);
    }
    case AlgorithmKind::kHpkeKeyEncryption: {
      TEEPNET_ASSIGN_OR_RETURN(SecretBytes cek, OpenHpkeRecipient(rec, key, next_alg));
      if (cek.size() != key_size) return Error(Errc::kDecryptFailed, "CEK has the wrong size");
      return cek;
    }
    default:
      return Error(Errc::kAlgMismatch,
                   std::string(info.name) + " is not a key distribution algorithm");
  }
}

bool IsDirectMethod(Algorithm alg) {
  const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(alg));
  return info != nullptr &&
         (info->kind == AlgorithmKind::kDirect || info->kind == AlgorithmKind::kDirectHkdf ||
          info->kind == AlgorithmKind::kEcdhDirect);
}

namespace {

Result<const AlgorithmInfo*> SpecAlg(const RecipientSpec& spec) {
  const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(spec.alg));
  if (info == nullptr || !info->implemented) {
    return Error(Errc::kUnsupportedAlgorithm, "recipient algorithm not supported");
  }
  return info;
}

// A fresh key pair on `type` whose private scalar comes from `random` (so replayed vector
// streams reproduce the examples' ephemeral keys). Retries a few times if a draw is out of
// range for the curve.
Result<crypto::PrivateKey> EphemeralKey(crypto::KeyType type, Random& random) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    SecretBytes d(crypto::CoordinateSize(type));
    TEEPNET_RETURN_IF_ERROR(random.Fill(d.mutable_view()));
    auto key = crypto::PrivateKey::FromRaw(type, d.view());
    if (key.ok()) return key;
  }
  return Error(Errc::kCrypto, "could not draw an ephemeral key");
}

// Prepares the ECDH layer: ephemeral or static sender key into the headers, returns Z.
Result<SecretBytes> EcdhForSender(const RecipientSpec& spec, const AlgorithmInfo& info,
                                  Random& random, HeaderMap& unprotected) {
  if (!spec.recipient_key) return WrongKey(info, "the recipient's public key");
  crypto::KeyType type = spec.recipient_key->type();
  std::optional<crypto::PrivateKey> mine;
  if (info.static_sender) {
    if (!spec.sender_key) return WrongKey(info, "the sender's static key");
    mine = *spec.sender_key;
    if (spec.send_sender_key) {
      unprotected.SetRaw(kLabelStaticKey, CoseKey::FromPublicKey(mine->public_key()).Encode(false));
    }
  } else {
    TEEPNET_ASSIGN_OR_RETURN(mine, EphemeralKey(type, random));
    unprotected.SetRaw(kLabelEphemeralKey,
                       CoseKey::FromPublicKey(mine->public_key()).Encode(false));
  }
  auto z = crypto::Ecdh(*mine, *spec.recipient_key);
  if (!z.ok()) return Error(Errc::kWrongKeyType, "ECDH failed: " + z.error().message());
  return z;
}

Status WriteRecipient(cbor::Writer& out, ByteView protected_bytes, const HeaderMap& unprotected,
                      ByteView ciphertext) {
  out.WriteArrayHeader(3);
  TEEPNET_RETURN_IF_ERROR(WriteHeaders(out, protected_bytes, unprotected));
  out.WriteBytes(ciphertext);
  return OkStatus();
}

// Direct and AES-KW recipients carry alg unprotected (their protected bucket must be empty,
// RFC 9053 §6.1.2 / §6.2.1); the others protect it.
void PlaceAlg(const AlgorithmInfo& info, HeaderMap& prot, HeaderMap& unprot) {
  bool unprotected_alg =
      info.kind == AlgorithmKind::kDirect || info.kind == AlgorithmKind::kKeyWrap;
  HeaderMap& target = unprotected_alg ? unprot : prot;
  if (!prot.Has(kLabelAlg) && !unprot.Has(kLabelAlg)) target.SetAlg(info.id);
}

}  // namespace

Result<SecretBytes> CreateDirectRecipient(const RecipientSpec& spec, Algorithm next_alg,
                                          size_t key_size, Random& random, cbor::Writer& out) {
  TEEPNET_ASSIGN_OR_RETURN(const AlgorithmInfo* info, SpecAlg(spec));
  HeaderMap prot = spec.protected_headers;
  HeaderMap unprot = spec.unprotected_headers;
  PlaceAlg(*info, prot, unprot);
  SecretBytes cek;
  switch (info->kind) {
    case AlgorithmKind::kDirect:
      if (!spec.secret || spec.secret->size() != key_size) {
        return Error(Errc::kWrongKeyType, "direct key does not have the content key size");
      }
      cek = spec.secret->Clone();
      break;
    case AlgorithmKind::kDirectHkdf:
    case AlgorithmKind::kEcdhDirect: {
      SecretBytes ikm;
      if (info->kind == AlgorithmKind::kDirectHkdf) {
        if (!spec.secret) return WrongKey(*info, "a shared secret");
        ikm = spec.secret->Clone();
      } else {
        TEEPNET_ASSIGN_OR_RETURN(ikm, EcdhForSender(spec, *info, random, unprot));
      }
      Headers h;
      TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, prot.EncodeProtected());
      h.protected_bytes = protected_bytes;
      h.protected_map = prot;
      h.unprotected = unprot;
      TEEPNET_ASSIGN_OR_RETURN(cek, HkdfFor(*info, h, ikm.view(), next_alg, key_size, spec.kdf));
      TEEPNET_RETURN_IF_ERROR(WriteRecipient(out, protected_bytes, unprot, {}));
      return cek;
    }
    default: return Error(Errc::kAlgMismatch, std::string(info->name) + " is not a direct method");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, prot.EncodeProtected());
  TEEPNET_RETURN_IF_ERROR(WriteRecipient(out, protected_bytes, unprot, {}));
  return cek;
}

Status CreateWrappingRecipient(const RecipientSpec& spec, Algorithm next_alg, ByteView cek,
                               Random& random, cbor::Writer& out) {
  TEEPNET_ASSIGN_OR_RETURN(const AlgorithmInfo* info, SpecAlg(spec));
  HeaderMap prot = spec.protected_headers;
  HeaderMap unprot = spec.unprotected_headers;
  PlaceAlg(*info, prot, unprot);
  Bytes ciphertext;
  switch (info->kind) {
    case AlgorithmKind::kKeyWrap: {
      if (!spec.secret || spec.secret->size() != info->key_size) {
        return Error(Errc::kWrongKeyType, "KEK does not have the algorithm's size");
      }
      auto wrapped = crypto::AesKeyWrap(spec.secret->view(), cek);
      if (!wrapped.ok()) return Error(Errc::kCrypto, "key wrap failed");
      ciphertext = std::move(wrapped).value();
      break;
    }
    case AlgorithmKind::kEcdhKeyWrap: {
      TEEPNET_ASSIGN_OR_RETURN(SecretBytes z, EcdhForSender(spec, *info, random, unprot));
      Headers h;
      TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, prot.EncodeProtected());
      h.protected_bytes = protected_bytes;
      h.protected_map = prot;
      h.unprotected = unprot;
      TEEPNET_ASSIGN_OR_RETURN(SecretBytes kek, HkdfFor(*info, h, z.view(), KeyWrapOf(info->id),
                                                        info->key_size, spec.kdf));
      auto wrapped = crypto::AesKeyWrap(kek.view(), cek);
      if (!wrapped.ok()) return Error(Errc::kCrypto, "key wrap failed");
      return WriteRecipient(out, protected_bytes, unprot, *wrapped);
    }
    case AlgorithmKind::kHpkeKeyEncryption: {
      TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, prot.EncodeProtected());
      TEEPNET_ASSIGN_OR_RETURN(
          Bytes ct, SealHpkeRecipient(spec, protected_bytes, next_alg, cek, random, unprot));
      return WriteRecipient(out, protected_bytes, unprot, ct);
    }
    default:
      return Error(Errc::kAlgMismatch, std::string(info->name) + " does not transport a key");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, prot.EncodeProtected());
  return WriteRecipient(out, protected_bytes, unprot, ciphertext);
}

}  // namespace teepnet::cose
