// A simulated Arm TrustZone device emitting genuine-format PSA attestation tokens (RFC 9783).
// Each installation creates its own Initial Attestation Key (P-256, ES256) and
// implementation-id; the instance-id is 0x01 || SHA-256(IAK public point), as RFC 9783 §4.2.2
// suggests. The manufacturer side is the IAK itself: Endorsements() hands out what a Verifier
// must be provisioned with (the IAK as trust anchor and reference values for the firmware).
//
// Serialize() returns the state including the IAK private key (CBOR, see the .cc); store it
// in a 0600 file. Load() refuses anything else with kBadState.
#ifndef TEEPNET_ATTEST_PSA_SIM_PLATFORM_H_
#define TEEPNET_ATTEST_PSA_SIM_PLATFORM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/psa_claims.h"
#include "teepnet/attest/psa_endorsements.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::attest {

class SimPsaPlatform final : public Platform {
 public:
  static Result<SimPsaPlatform> Create();
  static Result<SimPsaPlatform> Load(ByteView state);
  SecretBytes Serialize() const;

  Architecture architecture() const override { return Architecture::kTrustZone; }
  EvidenceFormat format() const override { return EvidenceFormat::kPsaToken; }
  // The nonce claim is `report_data` zero-padded to the next size RFC 9783 §4.1.1 allows
  // (32, 48 or 64 bytes). kBadState for more than 64 bytes.
  Result<Bytes> GetEvidence(ByteView report_data) override;
  std::string measurement_hex() const override;

  PsaEndorsements Endorsements() const;
  const crypto::PublicKey& iak_public() const { return iak_public_; }
  const Bytes& instance_id() const { return instance_id_; }
  const Bytes& implementation_id() const { return implementation_id_; }
  // Tests and demos: move the device to another lifecycle state (e.g. 0x4000 debug).
  void set_lifecycle(int64_t lifecycle) { lifecycle_ = lifecycle; }

 private:
  SimPsaPlatform(crypto::PrivateKey iak, Bytes implementation_id, int64_t lifecycle,
                 std::vector<PsaSwComponent> sw);
  crypto::PrivateKey iak_;
  crypto::PublicKey iak_public_;
  Bytes implementation_id_;
  Bytes instance_id_;
  int64_t lifecycle_;
  std::vector<PsaSwComponent> sw_;
};

// Shared by the PSA and CCA simulators: the default firmware components of a simulated
// device (deterministic measurements derived from `label`).
std::vector<PsaSwComponent> SimFirmware(const std::string& label);
// Zero-pads `data` to the smallest of `sizes` that holds it; nullopt if none does.
std::optional<Bytes> PadTo(ByteView data, std::initializer_list<size_t> sizes);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_PSA_SIM_PLATFORM_H_
