// STATUS: ready
// The Verifier facade: one entry point that recognises any evidence format teepnet parses,
// appraises it with that architecture's appraiser against the endorsements and policy this
// Verifier was configured with, and names the policy it applied (id + SHA-256) so the result
// can be carried in an EAR (verifier_ear.h).
//
// Policy identity. Each format's policy is a JSON document (the per-architecture *_policy.h
// forms). Its canonical bytes are the document re-serialised by nlohmann::json: object members
// sorted by key, no insignificant whitespace, UTF-8, integers in shortest decimal form. Two
// documents that differ only in member order or whitespace therefore hash the same, and any
// change of a value changes the hash. An absent policy is the document "{}" (the appraiser's
// defaults). An optional top-level "policy-id" string names the policy; otherwise the id is
// "teepnet/<arch>/default" (arch: sev-snp, sgx, tdx, csv, psa, cca). The per-request
// expected report data is not part of the policy and not of its hash.
//
// Directory layout read by VerifierConfig::FromDirectory (every part optional; a format whose
// directory is absent has no endorsements and Verify() refuses it with kNoEndorsements):
//   snp/chain.pem          AMD cert_chain / ask_ark PEM bundle: ASK (or ASVK) and ARK; every
//                          self-signed certificate in it is a trust anchor
//   snp/ark.pem            (alternative) ARK alone; snp/ask.pem the ASK / ASVK
//   snp/vcek/*.der|*.pem   VCEK / VLEK leaves; the one whose hwID matches CHIP_ID is used
//   snp/crl/*.der|*.pem    optional ARK / ASK CRLs
//   sgx/collateral.json    dcap-qvl / PCCS QuoteCollateralV3 JSON (dcap_endorsements.h)
//   sgx/root.der|root.pem  optional: pin this root instead of the Intel SGX Root CA
//   tdx/collateral.json, tdx/root.der|root.pem   the same for TDX
//   csv/hrk.cert           Hygon root key (trust anchor); csv/hsk.cert + csv/cek.cert optional
//   psa/*.cbor             CoRIMs (unsigned); psa/trust-anchors.json and
//   psa/reference-values.json the rust-ccatoken JSON stores (psa_endorsements.h)
//   cca/...                the same layout as psa/
//   policy/<format>.json   format = snp | sgx | tdx | csv | psa | cca
#ifndef TEEPNET_ATTEST_VERIFIER_H_
#define TEEPNET_ATTEST_VERIFIER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/attest/csv_appraiser.h"
#include "teepnet/attest/dcap_endorsements.h"
#include "teepnet/attest/psa_endorsements.h"
#include "teepnet/attest/snp_appraiser.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

// Recognises the evidence wire format from its bytes: SNP report (exactly 1184 bytes, VERSION
// 2, 3 or 5), DCAP quote header (version 3 with tee_type SGX, version 4/5 with tee_type TDX or
// SGX, attestation key type 2), CSV report wrapper (exactly 4116 bytes with a V1 or
// ATTESTATION_EXT magic, or Trustee's CSV evidence JSON), CCA token (CBOR tag 399 or 907), PSA
// token (COSE_Sign1, tagged 18 or not, whose payload decodes as PSA claims). Fails with
// kUnknownEvidenceFormat (code kInvalidArgument) when none matches.
Result<EvidenceFormat> DetectFormat(ByteView evidence);

// "snp" / "sgx" / "tdx" / "csv" / "psa" / "cca" (EvidenceFormatName) back to the format.
std::optional<EvidenceFormat> EvidenceFormatFromName(std::string_view name);

// The SEV-SNP trust material: any number of VCEK/VLEK leaves (one per chip and TCB), the
// ASK/ASVK intermediates and the ARK trust anchors.
struct SnpTrust {
  std::vector<crypto::Certificate> leaves;
  std::vector<crypto::Certificate> intermediates;
  std::vector<crypto::Certificate> roots;
  std::vector<crypto::Crl> crls;
  // Merges one chip's endorsements (e.g. SimSevSnpPlatform::endorsements()).
  void Add(const SnpEndorsements& e);
};

struct VerifierConfig {
  std::optional<SnpTrust> snp;
  std::optional<DcapEndorsements> sgx;
  std::optional<DcapEndorsements> tdx;
  std::optional<CsvEndorsements> csv;
  std::optional<PsaEndorsements> psa;
  std::optional<CcaEndorsements> cca;
  // Appraisal policies as JSON text, by format; a format without an entry uses "{}".
  std::map<EvidenceFormat, std::string> policies;

  // Reads the layout documented above. kBadEndorsement / kBadPolicy naming the file that does
  // not parse; a missing directory fails with the base file error.
  static Result<VerifierConfig> FromDirectory(const std::string& path);
};

struct Verdict {
  Appraisal appraisal;    // from the per-architecture appraiser
  std::string policy_id;  // the policy's "policy-id" or "teepnet/<arch>/default"
  Bytes policy_hash;      // SHA-256 of the policy's canonical bytes (32 bytes)
  // "<policy_id>@sha256:<hex>", the string EARs carry in ear.appraisal-policy-id.
  std::string PolicyRef() const;
};

// The id and hash a policy document gets (kBadPolicy when it is not a JSON object).
struct PolicyIdentity {
  std::string id;
  Bytes sha256;
  std::string canonical;  // the canonical bytes that were hashed
};
Result<PolicyIdentity> IdentifyPolicy(EvidenceFormat format, std::string_view json);

class Verifier {
 public:
  // Policies that do not parse make Verify() fail for that format with kBadPolicy; call
  // Create() to learn about them up front.
  explicit Verifier(VerifierConfig config);
  static Result<Verifier> Create(VerifierConfig config);
  ~Verifier();
  Verifier(Verifier&&) noexcept;
  Verifier& operator=(Verifier&&) noexcept;

  // Appraises evidence of any supported format at `at_unix` (public collateral expires, so
  // the evaluation time is a parameter). `format` nullopt: DetectFormat(). When
  // `expected_report_data` is set, the evidence's report data (SNP/CSV/DCAP REPORT_DATA, PSA
  // nonce, CCA realm challenge) must equal it zero-padded to the format's width, otherwise the
  // verdict's instance_identity is contraindicated (a freshness or key-binding failure is a
  // verdict). Errors only for unusable input: unknown format, evidence that does not parse,
  // expected report data longer than 64 bytes (kReportDataTooLong), no endorsements for the
  // format (kNoEndorsements), a bad policy. The verdict's evidence_digest is SHA-256 of
  // `evidence` as passed. Verified chains are cached between calls; thread-safe.
  Result<Verdict> Verify(ByteView evidence, std::optional<EvidenceFormat> format,
                         std::optional<ByteView> expected_report_data, int64_t at_unix) const;

  // The identity of the policy this Verifier applies to `format`.
  Result<PolicyIdentity> Policy(EvidenceFormat format) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_VERIFIER_H_
