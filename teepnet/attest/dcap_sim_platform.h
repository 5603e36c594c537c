// Simulated Intel platforms that emit genuine-format DCAP quotes: SGX quote v3 and TDX quote v4.
//
// SimIntelManufacturer is the per-installation stand-in for Intel: a root CA, a PCK Platform CA,
// a TCB Signing certificate, one simulated chip's PCK leaf (with a real-layout SGX extension:
// FMSPC, 16 component SVNs, PCESVN, CPUSVN, PCE-ID), and the QE's signer identity. It generates
// TCB Info and QE Identity JSON in the PCS v4 format, signed by the TCB Signing key, plus the
// root and PCK CA CRLs, so the one appraiser (dcap_appraise.h) accepts these quotes exactly as
// it accepts Intel's, against the simulated root pinned by configuration (root_sha256()).
//
// Serialize() returns secret material (private keys, PKCS#8 PEM inside JSON): store it 0600.
#ifndef TEEPNET_ATTEST_DCAP_SIM_PLATFORM_H_
#define TEEPNET_ATTEST_DCAP_SIM_PLATFORM_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/dcap_endorsements.h"
#include "teepnet/attest/dcap_pck_extension.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

class SimIntelManufacturer {
 public:
  // Fresh keys and certificates valid from `now` for 20 years.
  static Result<SimIntelManufacturer> Create(int64_t now);
  // kBadState when `state` is not a Serialize() output.
  static Result<SimIntelManufacturer> Load(ByteView state);
  SecretBytes Serialize() const;

  const crypto::Certificate& root() const { return *root_cert_; }
  std::array<uint8_t, 32> root_sha256() const;
  const PckExtension& pck_extension() const { return pck_ext_; }
  int64_t created() const { return created_; }

  // TCB Info (SGX or TDX, v3) and QE Identity (QE or TD_QE) issued at `issue_time`, valid 30
  // days, as PCS response bodies, with the TCB signing chain, both CRLs and this root's pin.
  Result<DcapEndorsements> Endorsements(bool tdx, int64_t issue_time) const;

  // The pieces a simulated QE needs (platforms call these).
  const crypto::PrivateKey& pck_key() const { return *pck_key_; }
  std::string pck_chain_pem() const;
  const std::array<uint8_t, 32>& qe_mrsigner() const { return qe_mrsigner_; }

 private:
  SimIntelManufacturer() = default;
  int64_t created_ = 0;
  // Always set after Create/Load (optional only because the types have no empty state).
  std::optional<crypto::PrivateKey> root_key_, ca_key_, tcb_key_, pck_key_;
  std::optional<crypto::Certificate> root_cert_, ca_cert_, tcb_cert_, pck_cert_;
  PckExtension pck_ext_;
  std::array<uint8_t, 32> qe_mrsigner_{};
};

// What the simulated TEE reports about itself.
struct SimSgxIdentity {
  std::array<uint8_t, 32> mrenclave{};
  std::array<uint8_t, 32> mrsigner{};
  uint16_t isvprodid = 0;
  uint16_t isvsvn = 0;
  bool debug = false;
};

struct SimTdIdentity {
  std::array<uint8_t, 48> mrtd{};
  std::array<std::array<uint8_t, 48>, 4> rtmr{};
  std::array<uint8_t, 48> mrconfigid{};
  bool debug = false;
};

class SimSgxPlatform final : public Platform {
 public:
  // A fresh attestation key for the simulated QE; the manufacturer must outlive the platform.
  static Result<SimSgxPlatform> Create(const SimIntelManufacturer& intel, SimSgxIdentity id);
  Architecture architecture() const override { return Architecture::kSgx; }
  EvidenceFormat format() const override { return EvidenceFormat::kSgxQuoteV3; }
  Result<Bytes> GetEvidence(ByteView report_data) override;
  std::string measurement_hex() const override;

 private:
  SimSgxPlatform(const SimIntelManufacturer& intel, SimSgxIdentity id, crypto::PrivateKey key)
      : intel_(&intel), id_(id), attestation_key_(std::move(key)) {}
  const SimIntelManufacturer* intel_;
  SimSgxIdentity id_;
  crypto::PrivateKey attestation_key_;
};

class SimTdxPlatform final : public Platform {
 public:
  static Result<SimTdxPlatform> Create(const SimIntelManufacturer& intel, SimTdIdentity id);
  Architecture architecture() const override { return Architecture::kTdx; }
  EvidenceFormat format() const override { return EvidenceFormat::kTdxQuote; }
  Result<Bytes> GetEvidence(ByteView report_data) override;
  // A TD with `launch_measurement` as its MRTD (build-time measurement), quoted by the same QE.
  Result<Bytes> GetGuestEvidence(ByteView report_data, ByteView launch_measurement) override;
  std::string measurement_hex() const override;

 private:
  SimTdxPlatform(const SimIntelManufacturer& intel, SimTdIdentity id, crypto::PrivateKey key)
      : intel_(&intel), id_(id), attestation_key_(std::move(key)) {}
  const SimIntelManufacturer* intel_;
  SimTdIdentity id_;
  crypto::PrivateKey attestation_key_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_DCAP_SIM_PLATFORM_H_
