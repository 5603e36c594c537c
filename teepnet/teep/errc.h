// Reasons for teep/ failures. Each reason names one rule of draft-ietf-teep-protocol (the
// message CDDL, the prose MUSTs, or the validation steps of its §"Validating a TEEP Message")
// so a test can assert exactly which rule refused a message, and so AgentErrorCodeFor()
// (agent_error.h) can pick the err-code an Agent must answer with.
//
// Well-formedness failures of the CBOR itself (truncation, non-preferred heads, indefinite
// lengths, trailing bytes) keep their cbor::Errc reason; COSE structure failures keep their
// cose::Errc reason. teep::Errc starts where the bytes are valid CBOR/COSE but not TEEP.
#ifndef TEEPNET_TEEP_ERRC_H_
#define TEEPNET_TEEP_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::teep {

enum class Errc : uint16_t {
  // The message frame: [type, options, * positional] (teep-message-framework).
  kBadFrame = 1,           // not an array, or options not a map
  kBadArity,               // wrong number of array members for the message type
  kMessageTypeOutOfRange,  // type not a uint in 0..23
  kUnknownMessageType,     // a type in 0..23 that the wire profile does not assign
  kUnexpectedMessageType,  // a valid message of another type than the caller asked for
  kTooManyOptions,         // more option entries than limits.h allows
  // Options and fields.
  kOptionLabelNotUint,               // an options-map key that is not a uint (teep-option)
  kDuplicateLabel,                   // a label twice in one map (RFC 8949 §5.6)
  kFieldNotAllowed,                  // a TEEP label that the message type does not define
  kWrongFieldType,                   // a known field whose value has the wrong CBOR type
  kEmptyList,                        // a `[+ ...]` list with no entries
  kValueOutOfRange,                  // version / ext-info beyond uint .size 4, bad bit value
  kBadTokenLength,                   // token not bstr .size (8..64)
  kBadChallengeLength,               // challenge not bstr .size (8..512)
  kBadMsgLength,                     // msg / err-msg not text .size (1..128)
  kBadErrLang,                       // err-lang not text .size (1..35) of language-tag characters
  kBadErrCode,                       // err-code 0 ("MUST NOT be used") or not a uint
  kBadCipherSuite,                   // a cipher suite that is not [+ [cose-type, cose-alg]]
  kBadSuitCoseProfile,               // a suit-cose-profile that is not four integers
  kBadComponentId,                   // a SUIT_Component_Identifier that is not [+ bstr]
  kBadEmbeddedCbor,                  // a `bstr .cbor` field whose contents are not one CBOR item
  kMissingField,                     // a field the rules make mandatory is absent
  kChallengeWithoutAttestation,      // QueryRequest challenge with the attestation bit clear
  kFreshnessWithoutAttestation,      // QueryRequest freshness mechanisms, attestation bit clear
  kHaveBinaryWithoutSequenceNumber,  // requested-tc-info have-binary true, no sequence number
  // A response checked against the request it answers (TAM side).
  kTokenMismatch,         // token not echoed byte for byte
  kMissingRequestedItem,  // a data item the request asked for is absent
  // The COSE wrapper (validation steps 2-4).
  kNotCose,                 // neither a COSE_Sign1 nor a COSE_Sign
  kUnknownHeader,           // a COSE header parameter that is not understood
  kUnsupportedCipherSuite,  // signed with an algorithm no accepted suite names
  kNoTrustedKey,            // no configured peer key fits the signer
  kSignatureInvalid,        // no signature verified with the peer keys
  // Negotiation (Agent side).
  kNoCommonCipherSuite,         // ERR_UNSUPPORTED_CIPHER_SUITES
  kNoCommonVersion,             // ERR_UNSUPPORTED_MSG_VERSION
  kNoCommonFreshnessMechanism,  // ERR_UNSUPPORTED_FRESHNESS_MECHANISMS
};

}  // namespace teepnet::teep

namespace teepnet {
template <>
struct ErrcTraits<teep::Errc> {
  static constexpr Domain kDomain = Domain::kTeep;
  static Code CodeOf(teep::Errc e) {
    switch (e) {
      case teep::Errc::kTooManyOptions: return Code::kResourceExhausted;
      case teep::Errc::kSignatureInvalid:
      case teep::Errc::kNoTrustedKey: return Code::kUnauthenticated;
      case teep::Errc::kUnsupportedCipherSuite:
      case teep::Errc::kNoCommonCipherSuite:
      case teep::Errc::kNoCommonVersion:
      case teep::Errc::kNoCommonFreshnessMechanism: return Code::kUnimplemented;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(teep::Errc e) {
    switch (e) {
      case teep::Errc::kBadFrame: return "bad-frame";
      case teep::Errc::kBadArity: return "bad-arity";
      case teep::Errc::kMessageTypeOutOfRange: return "message-type-out-of-range";
      case teep::Errc::kUnknownMessageType: return "unknown-message-type";
      case teep::Errc::kUnexpectedMessageType: return "unexpected-message-type";
      case teep::Errc::kTooManyOptions: return "too-many-options";
      case teep::Errc::kOptionLabelNotUint: return "option-label-not-uint";
      case teep::Errc::kDuplicateLabel: return "duplicate-label";
      case teep::Errc::kFieldNotAllowed: return "field-not-allowed";
      case teep::Errc::kWrongFieldType: return "wrong-field-type";
      case teep::Errc::kEmptyList: return "empty-list";
      case teep::Errc::kValueOutOfRange: return "value-out-of-range";
      case teep::Errc::kBadTokenLength: return "bad-token-length";
      case teep::Errc::kBadChallengeLength: return "bad-challenge-length";
      case teep::Errc::kBadMsgLength: return "bad-msg-length";
      case teep::Errc::kBadErrLang: return "bad-err-lang";
      case teep::Errc::kBadErrCode: return "bad-err-code";
      case teep::Errc::kBadCipherSuite: return "bad-cipher-suite";
      case teep::Errc::kBadSuitCoseProfile: return "bad-suit-cose-profile";
      case teep::Errc::kBadComponentId: return "bad-component-id";
      case teep::Errc::kBadEmbeddedCbor: return "bad-embedded-cbor";
      case teep::Errc::kMissingField: return "missing-field";
      case teep::Errc::kChallengeWithoutAttestation: return "challenge-without-attestation";
      case teep::Errc::kFreshnessWithoutAttestation: return "freshness-without-attestation";
      case teep::Errc::kHaveBinaryWithoutSequenceNumber:
        return "have-binary-without-sequence-number";
      case teep::Errc::kTokenMismatch: return "token-mismatch";
      case teep::Errc::kMissingRequestedItem: return "missing-requested-item";
      case teep::Errc::kNotCose: return "not-cose";
      case teep::Errc::kUnknownHeader: return "unknown-header";
      case teep::Errc::kUnsupportedCipherSuite: return "unsupported-cipher-suite";
      case teep::Errc::kNoTrustedKey: return "no-trusted-key";
      case teep::Errc::kSignatureInvalid: return "signature-invalid";
      case teep::Errc::kNoCommonCipherSuite: return "no-common-cipher-suite";
      case teep::Errc::kNoCommonVersion: return "no-common-version";
      case teep::Errc::kNoCommonFreshnessMechanism: return "no-common-freshness-mechanism";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_TEEP_ERRC_H_
