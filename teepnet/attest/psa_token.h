// The PSA attestation token (RFC 9783 §5): a COSE_Sign1 (tag 18 or untagged) whose payload is
// the PSA claims map, signed with the Initial Attestation Key (IAK).
//
// WARNING: a parsed PsaToken borrows the evidence bytes; the evidence must outlive it.
#ifndef TEEPNET_ATTEST_PSA_TOKEN_H_
#define TEEPNET_ATTEST_PSA_TOKEN_H_

#include "teepnet/attest/psa_claims.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cose/sign1.h"

namespace teepnet::attest {

struct PsaToken {
  cose::Sign1Message sign1;
  PsaClaims claims;
};

// Parses the token and its claims (no signature check). kPsaBadToken when it is not a
// COSE_Sign1 with an attached payload; kTrailingBytes when anything follows the token (the
// same rule as the CCA collection: no padding, no unsigned extras); claim errors as
// DecodePsaClaims.
Result<PsaToken> ParsePsaToken(ByteView evidence);

// Decodes one COSE_Sign1 token found at `token` inside `evidence`, mapping COSE failures to
// kPsaBadToken with the offset in `evidence`. The payload must be attached.
Result<cose::Sign1Message> DecodeTokenSign1(ByteView evidence, ByteView token, const char* what);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_PSA_TOKEN_H_
