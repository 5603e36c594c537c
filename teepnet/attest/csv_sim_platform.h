// A simulated Hygon CSV machine: at Create() it makes its own SM2 hierarchy in Hygon's binary
// certificate formats — HRK (self-signed) → HSK → CEK (per chip) → PEK — and GetEvidence()
// emits V1 report wrappers signed by the PEK, with the fields XOR-masked by a fresh anonce,
// exactly as genuine reports are. AppraiseCsv() accepts them with endorsements() and the
// simulated HRK as trust anchor.
//
// Not simulated: the report MAC (an HMAC the guest checks with a key the verifier never sees)
// is random bytes, and the PEK's second (owner/OCA) signature slot is left empty.
// State persists through Serialize()/Load(); Serialize() holds private keys.
#ifndef TEEPNET_ATTEST_CSV_SIM_PLATFORM_H_
#define TEEPNET_ATTEST_CSV_SIM_PLATFORM_H_

#include <memory>
#include <string>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/csv_appraiser.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::attest {

struct SimCsvOptions {
  Bytes measurement;             // 32 bytes; empty: random
  uint32_t guest_policy = 0x45;  // NODBG | ES | bit 6, as the genuine sample
};

class SimCsvPlatform final : public Platform {
 public:
  static Result<std::unique_ptr<SimCsvPlatform>> Create(const SimCsvOptions& options);
  // Fails with kBadState for anything Serialize() did not produce or that is inconsistent.
  static Result<std::unique_ptr<SimCsvPlatform>> Load(ByteView state);
  SecretBytes Serialize() const;

  Architecture architecture() const override { return Architecture::kCsv; }
  EvidenceFormat format() const override { return EvidenceFormat::kCsvReport; }
  Result<Bytes> GetEvidence(ByteView report_data) override;
  // A guest of this host with `launch_measurement` as its measure, signed by the same PEK.
  Result<Bytes> GetGuestEvidence(ByteView report_data, ByteView launch_measurement) override;
  std::string measurement_hex() const override;

  CsvEndorsements endorsements() const;
  const std::string& chip_serial() const { return serial_; }

  struct Keys {
    crypto::PrivateKey hrk, hsk, cek, pek;
  };
  SimCsvPlatform(SimCsvOptions options, std::string serial, Keys keys, Bytes hrk_cert,
                 Bytes hsk_cert, Bytes cek_cert, Bytes pek_cert);

 private:
  SimCsvOptions options_;
  std::string serial_;
  Keys keys_;
  Bytes hrk_cert_, hsk_cert_, cek_cert_, pek_cert_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_CSV_SIM_PLATFORM_H_
