#include "teepnet/attest/psa_token.h"

#include <string>
#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_claim_reader.h"
#include "teepnet/cbor/reader.h"

namespace teepnet::attest {

Result<cose::Sign1Message> DecodeTokenSign1(ByteView evidence, ByteView token, const char* what) {
  const size_t base = OffsetWithin(evidence, token);
  auto msg = cose::Sign1Message::Decode(token);
  if (!msg.ok()) {
    size_t off = base;
    if (base != kNoOffset && msg.error().has_offset()) off = base + msg.error().offset();
    return Error(Errc::kPsaBadToken, std::string(what) + ": " + msg.error().ToString(), off);
  }
  //= https://www.rfc-editor.org/rfc/rfc9783#section-5
  //# The PSA attestation token ... is a COSE_Sign1 ... [with an attached payload]
  if (!msg->payload()) {
    return Error(Errc::kPsaBadToken, std::string(what) + ": detached payload", base);
  }
  return *std::move(msg);
}

Result<PsaToken> ParsePsaToken(ByteView evidence) {
  // The trailing-bytes rule: a token is exactly one CBOR item. CBOR is self-delimiting and
  // neither RFC 9783 nor the RMM spec defines padding, so bytes after the item are refused
  // (kTrailingBytes) rather than ignored: nothing unsigned may ride along with evidence.
  // COSE_Sign1 decoding refuses trailing bytes itself, so the extra pass that names them is
  // only needed once decoding failed (a token that decodes has none).
  auto decoded = DecodeTokenSign1(evidence, evidence, "PSA token");
  if (!decoded.ok()) {
    cbor::Reader r(evidence);
    if (r.SkipItem().ok() && !r.ExpectEnd().ok()) {
      return Error(Errc::kTrailingBytes, "bytes after the PSA token", r.offset());
    }
    return decoded.error();
  }
  cose::Sign1Message msg = *std::move(decoded);
  TEEPNET_ASSIGN_OR_RETURN(
      PsaClaims claims,
      DecodePsaClaims(*msg.payload(), PsaClaimsKind::kPsa, OffsetWithin(evidence, *msg.payload())));
  return PsaToken{std::move(msg), std::move(claims)};
}

}  // namespace teepnet::attest
