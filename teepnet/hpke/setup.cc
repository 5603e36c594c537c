#include "teepnet/hpke/setup.h"

#include "teepnet/hpke/errc.h"

namespace teepnet::hpke {

namespace {

// Auth modes need the sender's key; the others must not be given one, so that a caller who
// meant to authenticate cannot silently fall back to an unauthenticated mode.
Status CheckSenderKey(Mode mode, bool have_key) {
  if (UsesAuth(mode) && !have_key) {
    return Error(Errc::kBadSenderKey, "auth modes need the sender's key");
  }
  if (!UsesAuth(mode) && have_key) {
    return Error(Errc::kBadSenderKey, "a sender key was given for a mode without sender auth");
  }
  return OkStatus();
}

// Checks that do not depend on key material, run before any DH work.
Status CheckCommon(const Suite& suite, Mode mode, const PskInputs& psk, bool have_sender_key) {
  TEEPNET_RETURN_IF_ERROR(ValidateSuite(suite));
  TEEPNET_RETURN_IF_ERROR(ModeFromWire(static_cast<uint8_t>(mode)));
  TEEPNET_RETURN_IF_ERROR(VerifyPskInputs(mode, psk));
  return CheckSenderKey(mode, have_sender_key);
}

}  // namespace

Result<SenderSetup> SetupSender(const Suite& suite, const crypto::PublicKey& recipient,
                                const SenderParams& params, Random& random) {
  TEEPNET_RETURN_IF_ERROR(
      CheckCommon(suite, params.mode, params.psk, params.sender_key.has_value()));
  TEEPNET_ASSIGN_OR_RETURN(Dhkem kem, Dhkem::Create(suite.kem));
  TEEPNET_ASSIGN_OR_RETURN(KeyPair ephemeral, kem.GenerateKeyPair(random));
  return SetupSenderWithEphemeral(suite, recipient, params, ephemeral);
}

Result<SenderSetup> SetupSenderWithEphemeral(const Suite& suite, const crypto::PublicKey& recipient,
                                             const SenderParams& params, const KeyPair& ephemeral) {
  TEEPNET_RETURN_IF_ERROR(
      CheckCommon(suite, params.mode, params.psk, params.sender_key.has_value()));
  TEEPNET_ASSIGN_OR_RETURN(Dhkem kem, Dhkem::Create(suite.kem));
  TEEPNET_ASSIGN_OR_RETURN(Encapsulation encapsulation,
                           UsesAuth(params.mode)
                               ? kem.AuthEncap(recipient, *params.sender_key, ephemeral)
                               : kem.Encap(recipient, ephemeral));
  TEEPNET_ASSIGN_OR_RETURN(
      KeyScheduleOutput schedule,
      KeySchedule(suite, params.mode, encapsulation.shared_secret.view(), params.info, params.psk));
  TEEPNET_ASSIGN_OR_RETURN(SenderContext context,
                           SenderContext::Create(suite, std::move(schedule)));
  return SenderSetup{std::move(encapsulation.enc), std::move(context)};
}

Result<RecipientContext> SetupRecipient(const Suite& suite, ByteView enc,
                                        const crypto::PrivateKey& recipient,
                                        const RecipientParams& params) {
  TEEPNET_RETURN_IF_ERROR(
      CheckCommon(suite, params.mode, params.psk, params.sender_public_key.has_value()));
  TEEPNET_ASSIGN_OR_RETURN(Dhkem kem, Dhkem::Create(suite.kem));
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes shared_secret,
                           UsesAuth(params.mode)
                               ? kem.AuthDecap(enc, recipient, *params.sender_public_key)
                               : kem.Decap(enc, recipient));
  TEEPNET_ASSIGN_OR_RETURN(
      KeyScheduleOutput schedule,
      KeySchedule(suite, params.mode, shared_secret.view(), params.info, params.psk));
  return RecipientContext::Create(suite, std::move(schedule));
}

}  // namespace teepnet::hpke
