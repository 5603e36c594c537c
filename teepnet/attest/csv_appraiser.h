// Appraisal of Hygon CSV attestation reports (genuine and SimCsvPlatform's).
//
// Steps (evidence-formats.md §5, hygon-csv vector README):
//  1. decode the 4116-byte report wrapper (the only step that returns an error);
//  2. the endorsement chain HRK (trust anchor, self-signed) → HSK → CEK → PEK, each SM2/SM3
//     signature checked with the signer certificate's user_id as distinguishing identifier;
//     the PEK travels in the report, the HSK and CEK come from Hygon's KDS by chip serial;
//  3. the report signature over the stored (masked) bytes 0..179 with the PEK, sig_usage PEK;
//  4. the policy (CsvPolicy) over the unmasked fields.
// When no HSK/CEK is supplied the PEK cannot be tied to Hygon hardware offline: the report
// signature is still checked and the hardware claim is a warning (or contraindicated under
// require_endorsed_pek). Hygon certificates carry no validity period, so `at_unix_time` is
// recorded but constrains nothing.
//
// Claims set: "version", "measurement", "report_data", "user_pubkey_digest", "vm_id",
// "vm_version", "mnonce", "policy", "debug", "chip_serial", "firmware", "endorsement".
#ifndef TEEPNET_ATTEST_CSV_APPRAISER_H_
#define TEEPNET_ATTEST_CSV_APPRAISER_H_

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/csv_cert.h"
#include "teepnet/attest/csv_policy.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::attest {

struct CsvEndorsements {
  Bytes hrk;  // 832-byte HRK: the trust anchor (Hygon KDS /hrk)
  Bytes hsk;  // 832-byte HSK, or empty
  Bytes cek;  // 2084-byte CEK of the reporting chip, or empty

  // From the KDS "hsk_cek" blob (HSK ‖ CEK, 2916 bytes) or an empty view.
  static Result<CsvEndorsements> FromHrkAndHskCek(ByteView hrk, ByteView hsk_cek);
};

Result<Appraisal> AppraiseCsv(ByteView evidence, const CsvEndorsements& endorsements,
                              const CsvPolicy& policy, int64_t at_unix_time);

// Caches the outcome of verifying HRK → HSK → CEK → PEK per distinct set of certificates,
// with the PEK's public key parsed once. Bounded: at most kMaxCachedChains sets; when full an
// arbitrary entry makes room (verified again if it comes back).
class CsvVerifier {
 public:
  static constexpr size_t kMaxCachedChains = 256;

  Result<Appraisal> Appraise(ByteView evidence, const CsvEndorsements& endorsements,
                             const CsvPolicy& policy, int64_t at_unix_time);
  size_t cached_chains() const;

 private:
  enum class ChainState : uint8_t { kVerified, kUnendorsed, kBroken };
  struct ChainResult {
    ChainState state;
    std::string note;
    std::optional<crypto::PublicKey> pek_key =
        std::nullopt;  // the report signer's key, parsed once
  };
  ChainResult CheckChain(const CsvEndorsements& e, const CsvCert& pek, bool use_cache);
  Result<Appraisal> AppraiseImpl(ByteView evidence, const CsvEndorsements& e,
                                 const CsvPolicy& policy, int64_t at, bool use_cache);
  friend Result<Appraisal> AppraiseCsv(ByteView, const CsvEndorsements&, const CsvPolicy&, int64_t);

  mutable std::mutex mu_;
  std::map<Bytes, ChainResult> cache_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_CSV_APPRAISER_H_
