#include "teepnet/channel/recipient.h"

#include <optional>
#include <utility>
#include <vector>

#include "teepnet/base/hex.h"
#include "teepnet/channel/errc.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/cose/cose_key.h"

namespace teepnet::channel {
namespace {

struct Candidate {
  crypto::PublicKey key;
  Bytes kid;
};

// An attested key as the EAR lists it: SubjectPublicKeyInfo DER (what the TAM's appraiser
// writes, eat/ear.h 65102) or an encoded COSE_Key. `agreement` says whether an HPKE sender may
// encapsulate to it.
struct AttestedKey {
  crypto::PublicKey key;
  Bytes thumbprint;
  bool agreement = false;
};

// A key an HPKE sender can encapsulate to: X25519, or a P-256 key that declares key agreement
// (COSE key_ops deriveKey 7 / deriveBits 8, RFC 9052 §7.1) so that a P-256 *signing* key (an
// ESP256 Agent) is never mistaken for an encryption key. An SPKI carries no key_ops, so only
// X25519 qualifies in that form.
bool IsKeyAgreementKey(const cose::CoseKey& key, crypto::KeyType type) {
  if (type == crypto::KeyType::kX25519) return true;
  if (type != crypto::KeyType::kP256) return false;
  for (int64_t op : key.key_ops()) {
    if (op == 7 || op == 8) return true;
  }
  return false;
}

std::optional<AttestedKey> DecodeAttestedKey(ByteView encoded) {
  if (auto key = cose::CoseKey::DecodePublic(encoded); key.ok()) {
    auto type = key->KeyType();
    auto thumbprint = key->Thumbprint();
    auto pub = key->ToPublicKey();
    if (!type.ok() || !thumbprint.ok() || !pub.ok()) return std::nullopt;
    return AttestedKey{*std::move(pub), *std::move(thumbprint), IsKeyAgreementKey(*key, *type)};
  }
  auto pub = crypto::PublicKey::FromSpkiDer(encoded);
  if (!pub.ok()) return std::nullopt;  // a key form we cannot use is not a recipient
  auto thumbprint = cose::CoseKey::FromPublicKey(*pub).Thumbprint();
  if (!thumbprint.ok()) return std::nullopt;
  const bool agreement = pub->type() == crypto::KeyType::kX25519;
  return AttestedKey{*std::move(pub), *std::move(thumbprint), agreement};
}

// The recipient for a TA instance (cases 2, 3): its HPKE key, with its proof key for receipts.
Result<AttestedRecipient> SelectInstance(const std::string& submod, const eat::EarAppraisal& a,
                                         const std::string& instance) {
  const eat::EarInstance* found = nullptr;
  for (const eat::EarInstance& i : a.instances) {
    if (i.name == instance) found = &i;
  }
  if (found == nullptr) {
    return Error(Errc::kInstanceMismatch,
                 "submodule " + submod + " attests no TA instance " + instance);
  }
  auto hpke = crypto::PublicKey::FromSpkiDer(found->hpke_key);
  if (!hpke.ok() || hpke->type() != crypto::KeyType::kX25519) {
    return Error(Errc::kNoAttestedKey, "instance " + instance + " has no X25519 HPKE key");
  }
  auto proof = crypto::PublicKey::FromSpkiDer(found->proof_key);
  if (!proof.ok() || proof->type() != crypto::KeyType::kEd25519) {
    return Error(Errc::kNoAttestedKey, "instance " + instance + " has no Ed25519 proof key");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes kid, RecipientKid(*hpke));
  AttestedRecipient out{*std::move(hpke), std::move(kid),    submod,
                        a.status,         *std::move(proof), found->measurement};
  return out;
}

}  // namespace

Result<AttestedRecipient> SelectRecipient(const eat::Ear& ear, const Expectations& expect) {
  if (expect.instance && expect.recipient_kid) {
    return Error(Code::kInvalidArgument, "name either the recipient key or the TA instance");
  }
  bool device_seen = false;
  for (const auto& [name, appraisal] : ear.submods) {
    std::optional<crypto::PublicKey> device_key;
    std::vector<Candidate> candidates;
    for (const Bytes& encoded : appraisal.attested_keys) {
      std::optional<AttestedKey> key = DecodeAttestedKey(encoded);
      if (!key) continue;
      if (Equal(key->thumbprint, expect.device_id)) {
        device_key = key->key;
        continue;
      }
      if (!key->agreement) continue;
      candidates.push_back(Candidate{std::move(key->key), std::move(key->thumbprint)});
    }
    if (!device_key) continue;
    device_seen = true;

    // USE-CASES "TA instances": the instance must be listed by the submodule that attests the
    // device, so its keys are bound into the same platform evidence.
    if (expect.instance) return SelectInstance(name, appraisal, *expect.instance);

    const Candidate* chosen = nullptr;
    if (expect.recipient_kid) {
      for (const Candidate& c : candidates) {
        if (Equal(c.kid, *expect.recipient_kid)) chosen = &c;
      }
      if (chosen == nullptr) {
        return Error(Errc::kInstanceMismatch, "the EAR for device " + ToHex(expect.device_id) +
                                                  " does not attest key " +
                                                  ToHex(*expect.recipient_kid));
      }
    } else {
      if (candidates.empty()) {
        return Error(Errc::kNoAttestedKey, "submodule " + name +
                                               " attests no X25519/P-256 "
                                               "key-agreement key to seal to");
      }
      if (candidates.size() > 1) {
        return Error(Errc::kInstanceMismatch, "submodule " + name + " attests " +
                                                  std::to_string(candidates.size()) +
                                                  " key-agreement keys; name the recipient key");
      }
      chosen = &candidates.front();
    }
    // The Agent opens what is sealed to its own keys and signs the receipt with its attested
    // TEEP key (USE-CASES "Receipts").
    AttestedRecipient out{chosen->key, chosen->kid, name, appraisal.status, device_key, {}};
    return out;
  }
  if (!device_seen) {
    return Error(Errc::kDeviceMismatch,
                 "the EAR attests no key of device " + ToHex(expect.device_id));
  }
  return Error(Errc::kNoAttestedKey, "no attested recipient key");
}

Result<AttestedRecipient> AcceptRecipient(std::string_view ear_jwt,
                                          const crypto::PublicKey& verifier_key,
                                          const eat::RelyingPartyPolicy& policy,
                                          const Expectations& expect) {
  auto ear = eat::AcceptEarJwt(ear_jwt, verifier_key, policy);
  if (!ear.ok()) {
    return Error(Errc::kNotAttested, "EAR refused: " + ear.error().ToString());
  }
  return SelectRecipient(*ear, expect);
}

}  // namespace teepnet::channel
