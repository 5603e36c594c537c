// Context setup (RFC 9180 §5.1.1-§5.1.4) for all four modes.
//
// The mode is explicit, and the inputs it needs are checked against it: PSK modes need psk and
// psk_id (kBadPsk otherwise), auth modes need the sender's key (kBadSenderKey otherwise), and
// inputs a mode does not use are refused rather than ignored.
#ifndef TEEPNET_HPKE_SETUP_H_
#define TEEPNET_HPKE_SETUP_H_

#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/hpke/context.h"
#include "teepnet/hpke/dhkem.h"
#include "teepnet/hpke/key_schedule.h"
#include "teepnet/hpke/suite.h"

namespace teepnet::hpke {

// What the sender brings besides the recipient's public key. Views borrow; they need only
// outlive the Setup call.
struct SenderParams {
  Mode mode = Mode::kBase;
  ByteView info;
  PskInputs psk;                                 // psk and auth_psk only
  std::optional<crypto::PrivateKey> sender_key;  // skS, auth and auth_psk only
};

// What the recipient brings besides enc and its private key.
struct RecipientParams {
  Mode mode = Mode::kBase;
  ByteView info;
  PskInputs psk;                                       // psk and auth_psk only
  std::optional<crypto::PublicKey> sender_public_key;  // pkS, auth and auth_psk only
};

struct SenderSetup {
  Bytes enc;  // the encapsulated key, Nenc bytes, to send alongside the ciphertexts
  SenderContext context;
};

// Setup<MODE>S with a fresh ephemeral key drawn from `random` (Dhkem::GenerateKeyPair).
Result<SenderSetup> SetupSender(const Suite& suite, const crypto::PublicKey& recipient,
                                const SenderParams& params, Random& random);
// The same with a caller-chosen ephemeral key pair. The ephemeral key must never be reused:
// this overload exists for deterministic tests (DeriveKeyPair(ikmE)) and for callers that
// generate the key themselves.
Result<SenderSetup> SetupSenderWithEphemeral(const Suite& suite, const crypto::PublicKey& recipient,
                                             const SenderParams& params, const KeyPair& ephemeral);
// Setup<MODE>R. Fails with kBadEncapsulatedKey for an enc that does not decapsulate.
Result<RecipientContext> SetupRecipient(const Suite& suite, ByteView enc,
                                        const crypto::PrivateKey& recipient,
                                        const RecipientParams& params);

}  // namespace teepnet::hpke

#endif  // TEEPNET_HPKE_SETUP_H_
