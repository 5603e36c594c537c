// The HPKE key schedule (RFC 9180 §5.1): from a KEM shared secret, the mode, info and an
// optional PSK to the AEAD key, base nonce and exporter secret of an encryption context.
#ifndef TEEPNET_HPKE_KEY_SCHEDULE_H_
#define TEEPNET_HPKE_KEY_SCHEDULE_H_

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/hpke/suite.h"

namespace teepnet::hpke {

// The PSK inputs of modes psk and auth_psk; both empty (the RFC's default_psk and
// default_psk_id) in modes base and auth. The psk itself is secret: callers keep it in
// SecretBytes and pass a view.
struct PskInputs {
  ByteView psk;
  ByteView psk_id;
};

// §5.1.2 asks for a PSK with at least 32 bytes of entropy; a shorter PSK cannot have it, so
// it is refused.
inline constexpr size_t kMinPskSize = 32;

// §5.1 VerifyPSKInputs, plus the minimum PSK size. Fails with kBadPsk.
Status VerifyPskInputs(Mode mode, const PskInputs& psk);

struct KeyScheduleOutput {
  Bytes key_schedule_context;  // mode || psk_id_hash || info_hash
  SecretBytes secret;
  SecretBytes key;              // Nk bytes; empty for the export-only AEAD
  Bytes base_nonce;             // Nn bytes; empty for the export-only AEAD
  SecretBytes exporter_secret;  // Nh bytes
};

// Validates the suite and the PSK inputs, then derives every value of §5.1. Exposed as a
// separate step so the vector suite can check each intermediate value.
Result<KeyScheduleOutput> KeySchedule(const Suite& suite, Mode mode, ByteView shared_secret,
                                      ByteView info, const PskInputs& psk);

}  // namespace teepnet::hpke

#endif  // TEEPNET_HPKE_KEY_SCHEDULE_H_
