// The Relying Party's half of the secure channel (DESIGN §5; issue 5 item 6): before sealing
// anything, the Network User verifies the EAR — signature with the M/OC Verifier's key, profile,
// status, freshness and nonce (eat::AcceptEarJwt) — then checks that it names the device it
// asked for and picks the attested key to seal to. Only a key that an accepted EAR lists among
// its attested keys (65102) or TA instances (65103), in the submodule that attests the device,
// is ever returned, with the key that will sign the recipient's delivery receipts.
#ifndef TEEPNET_CHANNEL_RECIPIENT_H_
#define TEEPNET_CHANNEL_RECIPIENT_H_

#include <optional>
#include <string>
#include <string_view>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/eat/ear.h"
#include "teepnet/eat/ear_token.h"

namespace teepnet::channel {

struct Expectations {
  // RFC 9679 thumbprint of the Agent's TEEP key: the device the M/OC placed the request on. An
  // attested signing key with this thumbprint must be in the same submodule as the recipient.
  Bytes device_id;
  // The thumbprint of the recipient key when the user knows which one it wants (the TA
  // instance's key, cases 2 and 3). Without it the submodule must name exactly one key-agreement
  // key besides the device key (the Agent's HPKE key, cases 1 and 4).
  std::optional<Bytes> recipient_kid;
  // The TA instance to seal to (cases 2 and 3; evidence/instance_keyring.h names instances):
  // the EAR submodule that names the device must list this instance (65103), and its HPKE key
  // is the recipient. Mutually exclusive with recipient_kid (kInvalidArgument when both).
  std::optional<std::string> instance = std::nullopt;
};

struct AttestedRecipient {
  crypto::PublicKey key;  // X25519 or P-256: what Seal() takes
  Bytes kid;              // its RFC 9679 thumbprint
  std::string submod;     // the EAR submodule that attested it
  attest::Tier status = attest::Tier::kNone;
  // The key that signs the recipient's delivery receipts (receipt.h): the instance's proof key,
  // or the Agent's attested TEEP signing key when the Agent is the recipient.
  std::optional<crypto::PublicKey> receipt_key = std::nullopt;
  // The instance's measurement (SHA-256 of the TA executable); empty for the Agent.
  Bytes measurement = {};
};

// Picks the recipient from an already accepted EAR.
Result<AttestedRecipient> SelectRecipient(const eat::Ear& ear, const Expectations& expect);

// AcceptEarJwt (kNotAttested when it refuses, with its reason) then SelectRecipient.
Result<AttestedRecipient> AcceptRecipient(std::string_view ear_jwt,
                                          const crypto::PublicKey& verifier_key,
                                          const eat::RelyingPartyPolicy& policy,
                                          const Expectations& expect);

}  // namespace teepnet::channel

#endif  // TEEPNET_CHANNEL_RECIPIENT_H_
