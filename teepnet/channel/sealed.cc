#include "teepnet/channel/sealed.h"

#include <utility>

#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/channel/errc.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/encrypt0.h"
#include "teepnet/cose/hpke_cose.h"

namespace teepnet::channel {
namespace {

constexpr char kBindingContext[] = "teepnet/channel/v1";
constexpr int64_t kLabelAlg = 1;
constexpr int64_t kLabelKid = 4;
constexpr uint64_t kKeyMessageId = 1;
constexpr uint64_t kKeySentAt = 2;
constexpr uint64_t kKeyContent = 3;

// HPKE-3 for X25519 recipients, HPKE-0 for P-256 ones (draft-ietf-cose-hpke §"Ciphersuite
// registration"): the two suites every recipient of ours can hold.
Result<cose::Algorithm> AlgorithmFor(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::kX25519: return cose::Algorithm::kHpke3;
    case crypto::KeyType::kP256: return cose::Algorithm::kHpke0;
    default:
      return Error(Errc::kNoAttestedKey, std::string(crypto::KeyTypeName(type)) +
                                             " keys cannot receive sealed messages (X25519 or "
                                             "P-256 only)");
  }
}

Bytes EncodePlaintext(ByteView message_id, int64_t sent_at, ByteView content) {
  cbor::Writer w;
  w.WriteMapHeader(3);
  w.WriteUint(kKeyMessageId);
  w.WriteBytes(message_id);
  w.WriteUint(kKeySentAt);
  w.WriteUint(static_cast<uint64_t>(sent_at));
  w.WriteUint(kKeyContent);
  w.WriteBytes(content);
  return std::move(w).Take();
}

Error Malformed(std::string what) {
  return Error(Errc::kMalformed, std::move(what));
}

// Exactly { 1: bstr .size 16, 2: uint, 3: bstr } in that order: the only deterministic form.
Result<Opened> DecodePlaintext(ByteView plaintext) {
  cbor::Reader r(plaintext, cbor::DecodeOptions::Deterministic());
  size_t n = 0;
  if (!r.ReadMapHeader(&n).ok() || n != 3) return Malformed("plaintext is not a 3-entry map");
  Opened out;
  uint64_t key = 0;
  ByteView id;
  if (!r.ReadUint(&key).ok() || key != kKeyMessageId || !r.ReadBytes(&id).ok() ||
      id.size() != kMessageIdSize) {
    return Malformed("plaintext key 1 must be a 16-byte message id");
  }
  uint64_t sent_at = 0;
  if (!r.ReadUint(&key).ok() || key != kKeySentAt || !r.ReadUint(&sent_at).ok() ||
      sent_at > static_cast<uint64_t>(INT64_MAX)) {
    return Malformed("plaintext key 2 must be sent_at in unix seconds");
  }
  ByteView content;
  if (!r.ReadUint(&key).ok() || key != kKeyContent || !r.ReadBytes(&content).ok()) {
    return Malformed("plaintext key 3 must be the content bstr");
  }
  if (!r.ExpectEnd().ok()) return Malformed("bytes after the plaintext map");
  out.message_id = ToBytes(id);
  out.sent_at = static_cast<int64_t>(sent_at);
  out.content = SecretBytes(content);
  return out;
}

}  // namespace

Bytes EncodeBinding(const Binding& binding) {
  cbor::Writer w;
  w.WriteArrayHeader(5);
  w.WriteText(kBindingContext);
  w.WriteText(binding.request_id);
  w.WriteBytes(binding.device_id);
  w.WriteText(binding.instance);
  w.WriteText(binding.purpose);
  return std::move(w).Take();
}

Result<Bytes> RecipientKid(const crypto::PublicKey& recipient) {
  return cose::CoseKey::FromPublicKey(recipient).Thumbprint();
}

Result<Bytes> Seal(const crypto::PublicKey& recipient, ByteView content, const Binding& binding,
                   int64_t now_unix, Random& random) {
  if (content.size() > kMaxContentBytes) {
    return Error(Errc::kTooLarge, "content exceeds " + std::to_string(kMaxContentBytes) + " bytes");
  }
  if (now_unix < 0) return Malformed("sent_at before 1970");
  TEEPNET_ASSIGN_OR_RETURN(cose::Algorithm alg, AlgorithmFor(recipient.type()));
  TEEPNET_ASSIGN_OR_RETURN(Bytes kid, RecipientKid(recipient));
  Bytes message_id(kMessageIdSize);
  TEEPNET_RETURN_IF_ERROR(random.Fill(message_id));
  SecretBytes plaintext(EncodePlaintext(message_id, now_unix, content));
  const Bytes aad = EncodeBinding(binding);

  cose::Encrypt0HpkeOptions options;
  options.alg = alg;
  // The kid is protected so a relay cannot re-address the message without breaking the tag.
  options.protected_headers.SetInt(kLabelAlg, static_cast<int64_t>(alg));
  options.protected_headers.SetBytes(kLabelKid, kid);
  options.external_aad = aad;
  options.tagged = true;
  return cose::CreateEncrypt0Hpke(recipient, plaintext.view(), options, random);
}

Result<Opened> Open(ByteView sealed, const crypto::PrivateKey& key, const Binding& binding,
                    const OpenPolicy& policy, ReplayGuard& guard) {
  if (sealed.size() > kMaxSealedBytes) {
    return Error(Errc::kTooLarge,
                 "sealed message exceeds " + std::to_string(kMaxSealedBytes) + " bytes");
  }
  TEEPNET_ASSIGN_OR_RETURN(cose::Algorithm expected_alg, AlgorithmFor(key.type()));
  auto message = cose::Encrypt0Message::Decode(sealed, cose::Tagging::kRequired);
  if (!message.ok()) return Malformed("not a COSE_Encrypt0: " + message.error().ToString());

  // RFC 9052 §3.1: alg belongs in the protected bucket; we accept only the suite our key has.
  auto alg = message->headers().protected_map.GetAlg();
  if (!alg.ok() || !alg->has_value() || **alg != static_cast<int64_t>(expected_alg)) {
    return Malformed("protected alg must be " + std::to_string(static_cast<int64_t>(expected_alg)) +
                     " for this key");
  }
  auto kid = message->headers().protected_map.GetBytes(kLabelKid);
  if (!kid.ok() || !kid->has_value()) return Malformed("protected kid is missing");
  TEEPNET_ASSIGN_OR_RETURN(Bytes ours, RecipientKid(key.public_key()));
  if (!Equal(**kid, ours)) {
    return Error(Errc::kWrongRecipient, "sealed to another key");
  }

  const Bytes aad = EncodeBinding(binding);
  auto plaintext = cose::DecryptEncrypt0Hpke(*message, key, aad);
  if (!plaintext.ok()) {
    return Error(Errc::kOpenFailed,
                 "authentication failed (tampered, or sealed for another request, device, "
                 "instance or purpose)");
  }
  TEEPNET_ASSIGN_OR_RETURN(Opened opened, DecodePlaintext(plaintext->view()));

  if (opened.sent_at < policy.now_unix - policy.max_age_seconds ||
      opened.sent_at > policy.now_unix + policy.max_skew_seconds) {
    return Error(Errc::kStale, "sent_at " + std::to_string(opened.sent_at) +
                                   " is outside the acceptance window at " +
                                   std::to_string(policy.now_unix));
  }
  TEEPNET_RETURN_IF_ERROR(guard.Remember(
      opened.message_id, opened.sent_at + policy.max_age_seconds + 1, policy.now_unix));
  return opened;
}

}  // namespace teepnet::channel
