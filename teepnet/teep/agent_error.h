// Which err-code a TEEP Agent answers with when a received message fails (draft
// §"Validating a TEEP Message": an Agent that fails to validate a message "MUST respond
// with an Error message"; a TAM silently drops it instead).
#ifndef TEEPNET_TEEP_AGENT_ERROR_H_
#define TEEPNET_TEEP_AGENT_ERROR_H_

#include "teepnet/base/error.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep {

// Maps a failure from VerifyMessage, DecodeMessage or the negotiation helpers:
//   unsupported / no common cipher suite      -> ERR_UNSUPPORTED_CIPHER_SUITES
//   no common TEEP version                    -> ERR_UNSUPPORTED_MSG_VERSION
//   no common freshness mechanism             -> ERR_UNSUPPORTED_FRESHNESS_MECHANISMS
//   no trusted key / bad or untrusted cert    -> ERR_BAD_CERTIFICATE
//   expired certificate                       -> ERR_CERTIFICATE_EXPIRED
//   a transient local failure (kUnavailable, kInternal) -> ERR_TEMPORARY_ERROR
//   anything else (malformed, bad signature, rule violations) -> ERR_PERMANENT_ERROR
ErrorCode AgentErrorCodeFor(const Error& error);

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_AGENT_ERROR_H_
