// The persisted state of the simulated PSA / CCA platforms: a CBOR map with small integer
// keys. Shared by psa_sim_platform.cc and cca_sim_platform.cc so both read and write it alike.
//   1: format text ("teepnet-sim-psa/1", "teepnet-sim-cca/1")
//   2: attestation key (IAK / CPAK), PKCS#8 DER
//   3: implementation-id          4: lifecycle
//   5: sw components [[type, measurement, version, signer-id], ...]
//   6: RAK PKCS#8 DER (CCA)       7: realm initial measurement (CCA)
//   8: realm personalization value (CCA)   9: RAK encoding, 0 SEC1 point / 1 COSE_Key (CCA)
#ifndef TEEPNET_ATTEST_SIM_STATE_H_
#define TEEPNET_ATTEST_SIM_STATE_H_

#include <optional>
#include <string>
#include <vector>

#include "teepnet/attest/psa_claims.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::attest {

struct SimState {
  std::string format;
  std::optional<crypto::PrivateKey> attestation_key;
  Bytes implementation_id;
  int64_t lifecycle = 0x3000;
  std::vector<PsaSwComponent> sw;
  std::optional<crypto::PrivateKey> rak;
  Bytes rim;
  Bytes personalization;
  int64_t rak_encoding = 1;
};

SecretBytes EncodeSimState(const SimState& state);
// kBadState when the bytes are not a state of `format`.
Result<SimState> DecodeSimState(ByteView bytes, const std::string& format);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SIM_STATE_H_
