#include "teepnet/hpke/key_schedule.h"

#include <string>

#include "teepnet/base/byte_writer.h"
#include "teepnet/hpke/errc.h"
#include "teepnet/hpke/labeled_kdf.h"

namespace teepnet::hpke {

Status VerifyPskInputs(Mode mode, const PskInputs& psk) {
  const bool got_psk = !psk.psk.empty();
  const bool got_psk_id = !psk.psk_id.empty();
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-5.1
  //# if got_psk != got_psk_id:
  //#   raise Exception("Inconsistent PSK inputs")
  if (got_psk != got_psk_id) {
    return Error(Errc::kBadPsk, "psk and psk_id must be given together");
  }
  //# if got_psk and (mode in [mode_base, mode_auth]):
  //#   raise Exception("PSK input provided when not needed")
  if (got_psk && !UsesPsk(mode)) {
    return Error(Errc::kBadPsk, "a PSK was given for a mode that does not use one");
  }
  //# if (not got_psk) and (mode in [mode_psk, mode_auth_psk]):
  //#   raise Exception("Missing required PSK input")
  if (!got_psk && UsesPsk(mode)) {
    return Error(Errc::kBadPsk, "the mode requires a PSK and psk_id");
  }
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-5.1.2
  //# The PSK MUST have at least 32 bytes of entropy and SHOULD be of length Nh
  //# bytes or longer.
  if (got_psk && psk.psk.size() < kMinPskSize) {
    return Error(Errc::kBadPsk, "PSK of " + std::to_string(psk.psk.size()) +
                                    " bytes cannot carry 32 bytes of entropy");
  }
  return OkStatus();
}

Result<KeyScheduleOutput> KeySchedule(const Suite& suite, Mode mode, ByteView shared_secret,
                                      ByteView info, const PskInputs& psk) {
  TEEPNET_ASSIGN_OR_RETURN(Mode checked_mode, ModeFromWire(static_cast<uint8_t>(mode)));
  TEEPNET_RETURN_IF_ERROR(VerifyPskInputs(checked_mode, psk));
  TEEPNET_ASSIGN_OR_RETURN(LabeledKdf kdf, LabeledKdf::ForSuite(suite));
  TEEPNET_ASSIGN_OR_RETURN(AeadInfo aead, LookupAead(suite.aead));

  TEEPNET_ASSIGN_OR_RETURN(SecretBytes psk_id_hash, kdf.Extract({}, "psk_id_hash", psk.psk_id));
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes info_hash, kdf.Extract({}, "info_hash", info));
  ByteWriter context(1 + psk_id_hash.size() + info_hash.size());
  context.WriteU8(static_cast<uint8_t>(checked_mode));
  context.WriteBytes(psk_id_hash.view());
  context.WriteBytes(info_hash.view());

  KeyScheduleOutput out;
  out.key_schedule_context = std::move(context).Take();
  TEEPNET_ASSIGN_OR_RETURN(out.secret, kdf.Extract(shared_secret, "secret", psk.psk));
  // §7.3: the export-only AEAD has Nk = Nn = 0, so no key or nonce exists to derive.
  if (aead.algorithm.has_value()) {
    TEEPNET_ASSIGN_OR_RETURN(
        out.key, kdf.Expand(out.secret.view(), "key", out.key_schedule_context, aead.n_k));
    TEEPNET_ASSIGN_OR_RETURN(SecretBytes nonce, kdf.Expand(out.secret.view(), "base_nonce",
                                                           out.key_schedule_context, aead.n_n));
    out.base_nonce = ToBytes(nonce.view());
  }
  TEEPNET_ASSIGN_OR_RETURN(
      out.exporter_secret,
      kdf.Expand(out.secret.view(), "exp", out.key_schedule_context, kdf.hash_size()));
  return out;
}

}  // namespace teepnet::hpke
