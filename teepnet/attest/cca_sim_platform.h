// A simulated Arm CCA machine emitting genuine-format CCA attestation tokens: a tag-399
// collection of a platform token signed by the CPAK (P-384, ES384) and a realm token signed by
// the RAK (P-384, ES384), bound by platform challenge = SHA-256(claim 44237) with
// 44240 = "sha-256", as TF-RMM does. The RAK is carried as a COSE_Key (realm profile
// tag:arm.com,2023:realm#1.0.0) or, for the original profile, as a raw SEC1 point.
//
// Each installation creates its CPAK, implementation-id, RAK and realm initial measurement;
// Serialize() returns them (private keys included: store 0600), Load() restores them.
#ifndef TEEPNET_ATTEST_CCA_SIM_PLATFORM_H_
#define TEEPNET_ATTEST_CCA_SIM_PLATFORM_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/cca_token.h"
#include "teepnet/attest/psa_endorsements.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::attest {

class SimCcaPlatform final : public Platform {
 public:
  static Result<SimCcaPlatform> Create(RealmKeyEncoding encoding = RealmKeyEncoding::kCoseKey);
  static Result<SimCcaPlatform> Load(ByteView state);
  SecretBytes Serialize() const;

  Architecture architecture() const override { return Architecture::kCca; }
  EvidenceFormat format() const override { return EvidenceFormat::kCcaToken; }
  // The realm challenge is `report_data` zero-padded to 64 bytes (RSI_ATTEST_TOKEN_INIT takes
  // a 64-byte challenge). kBadState for more than 64 bytes.
  Result<Bytes> GetEvidence(ByteView report_data) override;
  // A realm with `launch_measurement` as its initial measurement, on this platform's CPAK.
  Result<Bytes> GetGuestEvidence(ByteView report_data, ByteView launch_measurement) override;
  // The realm initial measurement, hex.
  std::string measurement_hex() const override;

  CcaEndorsements Endorsements() const;
  const crypto::PublicKey& cpak_public() const { return *cpak_public_; }
  const Bytes& instance_id() const { return instance_id_; }
  void set_lifecycle(int64_t lifecycle) { lifecycle_ = lifecycle; }

 private:
  SimCcaPlatform() = default;
  void Derive();
  // Always set once Create/Load return (optional only because keys have no empty state).
  std::optional<crypto::PrivateKey> cpak_;
  std::optional<crypto::PublicKey> cpak_public_;
  std::optional<crypto::PrivateKey> rak_;
  Bytes implementation_id_;
  Bytes instance_id_;
  int64_t lifecycle_ = 0x3000;
  std::vector<PsaSwComponent> sw_;
  Bytes rim_;
  Bytes personalization_;
  RealmKeyEncoding encoding_ = RealmKeyEncoding::kCoseKey;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_CCA_SIM_PLATFORM_H_
