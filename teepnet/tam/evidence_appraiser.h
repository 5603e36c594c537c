// The attestation hook of the TAM (draft §"QueryResponse Message" processing: "the TAM
// classifies the attestation payload ... sends Evidence to a Verifier ... validates the
// Attestation Result"). Attestation proper arrives in a later issue; the TAM core calls this
// interface with the QueryResponse's attestation-payload and stores what it returns.
#ifndef TEEPNET_TAM_EVIDENCE_APPRAISER_H_
#define TEEPNET_TAM_EVIDENCE_APPRAISER_H_

#include <optional>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::tam {

// Everything an appraisal may bind to. Views borrow the message being processed; they are
// valid only during the call.
struct AttestationInput {
  ByteView payload;                        // attestation-payload
  std::optional<std::string_view> format;  // attestation-payload-format; absent = AR in the
                                           // TEEP EAT profile (draft §"Attestation Payload")
  std::optional<ByteView> challenge;       // the QueryRequest challenge (eat_nonce), if any
  ByteView token;                          // the QueryRequest token (Passport-model nonce)
  ByteView device_id;                      // RFC 9679 thumbprint of the Agent key
  // The key that verified the TEEP message: an AR's `cnf` must name it (digest §4.3 step 2).
  const crypto::PublicKey* agent_key = nullptr;
};

struct Appraisal {
  bool affirming = false;
  std::string reason;        // the verifier's status or why the evidence was refused
  Bytes attestation_result;  // an AR (EAR) the TAM may keep or hand back; may be empty
};

class EvidenceAppraiser {
 public:
  virtual ~EvidenceAppraiser() = default;
  // A refused payload is an Appraisal with affirming = false, not an error. An error means the
  // appraisal could not run (Verifier unreachable): the core then treats the device as not
  // attested for this exchange.
  virtual Result<Appraisal> Appraise(const AttestationInput& input) = 0;
};

}  // namespace teepnet::tam

#endif  // TEEPNET_TAM_EVIDENCE_APPRAISER_H_
