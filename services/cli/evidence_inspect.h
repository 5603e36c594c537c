// `teepnet inspect` for attestation evidence and attestation results: every field of an SEV-SNP
// report, a DCAP quote (header, body, signature data), a Hygon CSV report, the claims of PSA and
// CCA tokens with their names, and EARs as JWT or CWT. Decoding only: nothing here checks a
// signature (use `teepnet attest verify` / `verify-ear` for that).
#ifndef TEEPNET_SERVICES_CLI_EVIDENCE_INSPECT_H_
#define TEEPNET_SERVICES_CLI_EVIDENCE_INSPECT_H_

#include <optional>
#include <string>

#include "teepnet/base/bytes.h"

namespace teepnet::cli {

struct EvidenceListing {
  std::string text;
  // True when the input is CBOR (PSA/CCA token, EAR CWT): the annotated CBOR listing is useful
  // after the decoded fields.
  bool is_cbor = false;
};

// The decoded listing when `input` is evidence of a format teepnet parses or an EAR; nullopt
// otherwise (the caller falls back to the generic CBOR listing).
std::optional<EvidenceListing> InspectEvidence(ByteView input);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_EVIDENCE_INSPECT_H_
