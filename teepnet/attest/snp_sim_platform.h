// A simulated SEV-SNP machine. There is no SEV hardware here, so this platform plays both the
// AMD key hierarchy and the AMD secure processor: at Create() it makes an ARK and an ASK
// (RSA-2048 — AMD uses RSA-4096, whose key generation is too slow for per-installation
// setup; the chain is otherwise the genuine RSASSA-PSS/SHA-384 shape) and a VCEK (EC P-384)
// carrying the real AMD extensions for its chip id and TCB. GetEvidence() emits version 3
// ATTESTATION_REPORTs signed with the VCEK in the genuine little-endian R/S layout, so
// AppraiseSnp() accepts them with endorsements() and the simulated ARK as trust anchor.
//
// The state (keys, certificates, chip id, launch parameters) persists through Serialize() and
// Load(). Serialize() returns the private keys: store it as a secret (0600 file, sealed blob).
#ifndef TEEPNET_ATTEST_SNP_SIM_PLATFORM_H_
#define TEEPNET_ATTEST_SNP_SIM_PLATFORM_H_

#include <cstdint>
#include <memory>
#include <string>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/snp_appraiser.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/attest/snp_tcb.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

struct SimSevSnpOptions {
  SnpProduct product = SnpProduct::kGenoa;
  SnpTcb tcb{0, 7, 0, 14, 72};      // the TCB the VCEK is derived for and reports carry
  Bytes measurement;                // 48 bytes; empty: random (a fresh "launch")
  Bytes host_data;                  // 32 bytes; empty: zeros
  uint64_t guest_policy = 0x30000;  // SMT allowed, bit 17 set, debug off
  uint32_t vmpl = 0;
  uint32_t guest_svn = 1;
  int64_t not_before = 0;                         // certificate validity start (Unix seconds)
  int64_t validity_seconds = 25ll * 365 * 86400;  // ARK/ASK/VCEK lifetime
};

class SimSevSnpPlatform final : public Platform {
 public:
  static Result<std::unique_ptr<SimSevSnpPlatform>> Create(const SimSevSnpOptions& options);
  // Fails with kBadState for anything Serialize() did not produce, or whose keys and
  // certificates do not belong together.
  static Result<std::unique_ptr<SimSevSnpPlatform>> Load(ByteView state);
  SecretBytes Serialize() const;

  Architecture architecture() const override { return Architecture::kSevSnp; }
  EvidenceFormat format() const override { return EvidenceFormat::kSevSnpReport; }
  Result<Bytes> GetEvidence(ByteView report_data) override;
  std::string measurement_hex() const override;

  // The report GetEvidence() would sign, before signing (tests derive defect reports from it).
  Result<SnpReport> UnsignedReport(ByteView report_data) const;
  // Signs any report with this platform's VCEK (R/S written little-endian into the report).
  Result<Bytes> SignReport(SnpReport report) const;

  // The VCEK, ASK and (as the trust anchor) ARK, ready for AppraiseSnp.
  SnpEndorsements endorsements() const;
  const crypto::Certificate& ark() const { return ark_cert_; }
  const crypto::Certificate& ask() const { return ask_cert_; }
  const crypto::Certificate& vcek() const { return vcek_cert_; }
  const Bytes& chip_id() const { return chip_id_; }

  SimSevSnpPlatform(SimSevSnpOptions options, Bytes chip_id, crypto::PrivateKey ark_key,
                    crypto::PrivateKey ask_key, crypto::PrivateKey vcek_key,
                    crypto::Certificate ark, crypto::Certificate ask, crypto::Certificate vcek);

 private:
  SimSevSnpOptions options_;
  Bytes chip_id_;
  crypto::PrivateKey ark_key_, ask_key_, vcek_key_;
  crypto::Certificate ark_cert_, ask_cert_, vcek_cert_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SNP_SIM_PLATFORM_H_
