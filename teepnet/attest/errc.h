// Reasons for attest/ failures. A Result error from an appraiser means the evidence or an
// endorsement could not be parsed at all; everything that parses is appraised and its failures
// are reported as contraindicated claims in the Appraisal, not as errors.
//
// The enum is shared by every architecture family. Each family owns a block of 100 values so
// families can append reasons without colliding:
//   1..99     common            100..199  SEV-SNP      200..299  Hygon CSV
//   300..399  DCAP (SGX/TDX)    400..499  CCA / PSA    500..599  verifier / policy
//   600..699  real attester backends (configfs-tsm, /dev/sev-guest, /dev/tdx_guest)
#ifndef TEEPNET_ATTEST_ERRC_H_
#define TEEPNET_ATTEST_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::attest {

enum class Errc : uint16_t {
  // --- common (1..99) ---
  kTruncated = 1,   // the input ends before a fixed-size structure does
  kTrailingBytes,   // bytes after the structure where the format's rule forbids them
  kBadPolicy,       // a policy document (JSON) is malformed or names an unknown field value
  kBadEndorsement,  // an endorsement (certificate, collateral) does not parse
  kBadState,        // a serialized simulated-platform state does not parse

  // --- SEV-SNP (100..199) ---
  kSnpBadReportSize = 100,  // not exactly one 1184-byte ATTESTATION_REPORT

  // --- Hygon CSV (200..299) ---
  kCsvBadCertificate = 200,  // a Hygon CA/CSV certificate of the wrong size or curve
  kCsvUnsupportedVersion,    // a report wrapper version this parser does not know
  kCsvBadEvidenceJson,       // the trustee evidence JSON lacks or mistypes a field

  // --- DCAP (300..399) ---
  kDcapUnsupportedVersion = 300,  // quote version not 3, 4 or 5, or a v5 body type not 1..3
  kDcapUnsupportedKeyType,        // att_key_type other than 2 (ECDSA-256-with-P-256)
  kDcapUnsupportedTeeType,        // tee_type other than 0 (SGX) or 0x81 (TDX)
  kDcapBadBodySize,               // a v5 body size that does not match its body type
  kDcapBadCertificationData,      // certification data of an unexpected type or size
  kDcapBadPckExtension,           // the PCK certificate's SGX extension does not parse
  kDcapBadCollateralJson,         // TCB Info / QE Identity JSON malformed or missing a field

  // --- CCA / PSA (400..499) ---
  kPsaBadToken = 400,  // not a COSE_Sign1 or its payload is not a claims map
  kPsaBadClaim,        // a PSA/CCA claim has the wrong type or size (RFC 9783 §4)
  kPsaMissingClaim,    // a mandatory PSA/CCA claim is absent
  kCcaBadCollection,   // the CCA token collection (tag 399 / 907) is malformed
  kCcaBadRealmKey,     // the realm public key (44237) is neither a COSE_Key nor a SEC1 point
  kPsaBadCorim,        // a CoRIM / CoMID endorsement does not parse

  // --- verifier / policy (500..599) ---
  kUnknownEvidenceFormat = 500,  // the bytes match none of the supported evidence formats
  kNoEndorsements,               // the Verifier holds no trust anchors for this format
  kReportDataTooLong,            // expected report data longer than the 64-byte field
  kNoGuests,                     // this platform launches no confidential VMs (GetGuestEvidence)

  // --- real attester backends (600..699) ---
  kRealNotPresent = 600,  // the device or configfs directory does not exist / cannot be opened
  kRealIo,                // a read, write, mkdir or ioctl on a present backend failed
  kRealBadArgument,       // report data over 64 bytes, privlevel out of range, unknown backend
  kRealBlobTooLarge,      // outblob / auxblob / certificate table over its named limit
  kRealBadResponse,       // the firmware response is malformed or reports a failure status
  kTsmMissingProvider,    // a configfs-tsm report entry without a readable `provider`
  kTsmUnknownProvider,    // a provider this backend has no evidence format for, or changed
  kTsmConcurrentWriter,   // `generation` moved under us on every attempt (another writer)
  kSnpBadCertTable,       // a GHCB certificate table that does not parse
};

}  // namespace teepnet::attest

namespace teepnet {
template <>
struct ErrcTraits<attest::Errc> {
  static constexpr Domain kDomain = Domain::kAttest;
  static Code CodeOf(attest::Errc e) {
    switch (e) {
      case attest::Errc::kBadState: return Code::kDataLoss;
      case attest::Errc::kCsvUnsupportedVersion: return Code::kUnimplemented;
      case attest::Errc::kDcapUnsupportedVersion:
      case attest::Errc::kDcapUnsupportedKeyType:
      case attest::Errc::kDcapUnsupportedTeeType: return Code::kUnimplemented;
      case attest::Errc::kRealNotPresent: return Code::kFailedPrecondition;
      case attest::Errc::kRealIo: return Code::kUnavailable;
      case attest::Errc::kRealBlobTooLarge: return Code::kResourceExhausted;
      case attest::Errc::kRealBadResponse: return Code::kDataLoss;
      case attest::Errc::kTsmMissingProvider:
      case attest::Errc::kTsmUnknownProvider: return Code::kFailedPrecondition;
      case attest::Errc::kTsmConcurrentWriter: return Code::kAborted;
      case attest::Errc::kNoEndorsements: return Code::kFailedPrecondition;
      case attest::Errc::kNoGuests: return Code::kUnimplemented;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(attest::Errc e) {
    switch (e) {
      case attest::Errc::kTruncated: return "truncated";
      case attest::Errc::kTrailingBytes: return "trailing-bytes";
      case attest::Errc::kBadPolicy: return "bad-policy";
      case attest::Errc::kBadEndorsement: return "bad-endorsement";
      case attest::Errc::kBadState: return "bad-state";
      case attest::Errc::kSnpBadReportSize: return "snp-bad-report-size";
      case attest::Errc::kCsvBadCertificate: return "csv-bad-certificate";
      case attest::Errc::kCsvUnsupportedVersion: return "csv-unsupported-version";
      case attest::Errc::kCsvBadEvidenceJson: return "csv-bad-evidence-json";
      case attest::Errc::kDcapUnsupportedVersion: return "dcap-unsupported-version";
      case attest::Errc::kDcapUnsupportedKeyType: return "dcap-unsupported-key-type";
      case attest::Errc::kDcapUnsupportedTeeType: return "dcap-unsupported-tee-type";
      case attest::Errc::kDcapBadBodySize: return "dcap-bad-body-size";
      case attest::Errc::kDcapBadCertificationData: return "dcap-bad-certification-data";
      case attest::Errc::kDcapBadPckExtension: return "dcap-bad-pck-extension";
      case attest::Errc::kDcapBadCollateralJson: return "dcap-bad-collateral-json";
      case attest::Errc::kPsaBadToken: return "psa-bad-token";
      case attest::Errc::kPsaBadClaim: return "psa-bad-claim";
      case attest::Errc::kPsaMissingClaim: return "psa-missing-claim";
      case attest::Errc::kCcaBadCollection: return "cca-bad-collection";
      case attest::Errc::kCcaBadRealmKey: return "cca-bad-realm-key";
      case attest::Errc::kPsaBadCorim: return "psa-bad-corim";
      case attest::Errc::kUnknownEvidenceFormat: return "unknown-evidence-format";
      case attest::Errc::kNoEndorsements: return "no-endorsements";
      case attest::Errc::kReportDataTooLong: return "report-data-too-long";
      case attest::Errc::kNoGuests: return "no-guests";
      case attest::Errc::kRealNotPresent: return "real-not-present";
      case attest::Errc::kRealIo: return "real-io";
      case attest::Errc::kRealBadArgument: return "real-bad-argument";
      case attest::Errc::kRealBlobTooLarge: return "real-blob-too-large";
      case attest::Errc::kRealBadResponse: return "real-bad-response";
      case attest::Errc::kTsmMissingProvider: return "tsm-missing-provider";
      case attest::Errc::kTsmUnknownProvider: return "tsm-unknown-provider";
      case attest::Errc::kTsmConcurrentWriter: return "tsm-concurrent-writer";
      case attest::Errc::kSnpBadCertTable: return "snp-bad-cert-table";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_ATTEST_ERRC_H_
