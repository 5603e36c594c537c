#include "teepnet/channel/recipient.h"

#include <utility>
#include <vector>

#include "teepnet/base/hex.h"
#include "teepnet/channel/errc.h"
#include "teepnet/cose/cose_key.h"

namespace teepnet::channel {
namespace {

struct Candidate {
  crypto::PublicKey key;
  Bytes kid;
};

// A key an HPKE sender can encapsulate to: X25519, or a P-256 key that declares key agreement
// (COSE key_ops deriveKey 7 / deriveBits 8, RFC 9052 §7.1) so that a P-256 *signing* key (an
// ESP256 Agent) is never mistaken for an encryption key.
bool IsKeyAgreementKey(const cose::CoseKey& key, crypto::KeyType type) {
  if (type == crypto::KeyType::kX25519) return true;
  if (type != crypto::KeyType::kP256) return false;
  for (int64_t op : key.key_ops()) {
    if (op == 7 || op == 8) return true;
  }
  return false;
}

}  // namespace

Result<AttestedRecipient> SelectRecipient(const eat::Ear& ear, const Expectations& expect) {
  bool device_seen = false;
  for (const auto& [name, appraisal] : ear.submods) {
    bool names_device = false;
    std::vector<Candidate> candidates;
    for (const Bytes& encoded : appraisal.attested_keys) {
      auto key = cose::CoseKey::DecodePublic(encoded);
      if (!key.ok()) continue;  // a key form we cannot use is not a recipient
      auto type = key->KeyType();
      auto thumbprint = key->Thumbprint();
      if (!type.ok() || !thumbprint.ok()) continue;
      if (Equal(*thumbprint, expect.device_id)) {
        names_device = true;
        continue;
      }
      if (!IsKeyAgreementKey(*key, *type)) continue;
      auto pub = key->ToPublicKey();
      if (!pub.ok()) continue;
      candidates.push_back(Candidate{std::move(*pub), std::move(*thumbprint)});
    }
    if (!names_device) continue;
    device_seen = true;

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
    return AttestedRecipient{chosen->key, chosen->kid, name, appraisal.status};
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
