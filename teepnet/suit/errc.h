// Reasons for suit/ failures (draft-ietf-suit-manifest-37, draft-ietf-suit-trust-domains-11,
// draft-ietf-suit-firmware-encryption-24). Each reason names one precise way an envelope is
// malformed, unauthentic, over a named limit (limits.h), or why processing stopped. The SUIT
// report reason (report.h) is derived from these.
#ifndef TEEPNET_SUIT_ERRC_H_
#define TEEPNET_SUIT_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::suit {

enum class Errc : uint16_t {
  // Structure (CDDL shape) of the envelope and manifest.
  kMalformed = 1,            // not the CDDL shape (wrong type, missing required member ...)
  kWrongTag,                 // a CBOR tag other than 107 on the envelope
  kDuplicateKey,             // the same key twice in an envelope, manifest or common map
  kUnknownMember,            // an unrecognised integer key where the CDDL allows none
  kUnsupportedVersion,       // suit-manifest-version other than 1
  kMissingSeveredMember,     // a member is severed (a digest) but not present in the envelope
  kUnexpectedSeveredMember,  // a severed member in the envelope that the manifest does not name
  // Authentication.
  kNoAuthentication,           // no COSE authentication block at all
  kUnsupportedAuthentication,  // a block that is not COSE_Sign1 / COSE_Mac0
  kUnsupportedDigest,          // a SUIT_Digest algorithm we do not implement
  kSignatureInvalid,           // no authentication block verifies with a trusted key
  kDigestMismatch,             // the manifest bytes do not hash to the authenticated digest
  kSeveredDigestMismatch,      // a severed member does not hash to the digest in the manifest
  // Named limits (limits.h).
  kEnvelopeTooLarge,   // envelope bytes over Limits::max_envelope_size
  kTooManyComponents,  // components over Limits::max_components
  kSequenceTooLong,    // commands in one sequence over Limits::max_commands
  kNestingTooDeep,     // try-each / run-sequence / process-dependency nesting too deep
  kTooManyAuthBlocks,  // authentication blocks over Limits::max_auth_blocks
  // Processing.
  kUnsupportedCommand,        // a command id this processor does not implement
  kUnsupportedParameter,      // a parameter with a value of the wrong type
  kComponentIndexOutOfRange,  // set-component-index names no component or dependency
  kMissingParameter,          // a command needs a parameter that is not set
  kConditionFailed,           // a condition did not hold
  kAborted,                   // condition-abort
  kRollback,                  // sequence number lower than the installed one
  kFetchFailed,               // the Fetcher could not resolve a URI / no integrated payload
  kComponentMissing,          // a component to read has no content
  kDecryptionFailed,          // encryption-info could not be opened with any key
  kNotADependency,            // a dependency command on a component that is not a dependency
  kDependencyMismatch,        // a dependency's manifest-component-id differs from its prefix
  kNotInstalled,              // uninstall of a manifest the store does not hold
  kOperationFailed,           // the store or invoker refused an operation
};

}  // namespace teepnet::suit

namespace teepnet {
template <>
struct ErrcTraits<suit::Errc> {
  static constexpr Domain kDomain = Domain::kSuit;
  static Code CodeOf(suit::Errc e) {
    switch (e) {
      case suit::Errc::kSignatureInvalid:
      case suit::Errc::kDigestMismatch:
      case suit::Errc::kSeveredDigestMismatch:
      case suit::Errc::kNoAuthentication:
      case suit::Errc::kDecryptionFailed: return Code::kUnauthenticated;
      case suit::Errc::kUnsupportedAuthentication:
      case suit::Errc::kUnsupportedDigest:
      case suit::Errc::kUnsupportedCommand:
      case suit::Errc::kUnsupportedVersion: return Code::kUnimplemented;
      case suit::Errc::kEnvelopeTooLarge:
      case suit::Errc::kTooManyComponents:
      case suit::Errc::kSequenceTooLong:
      case suit::Errc::kNestingTooDeep:
      case suit::Errc::kTooManyAuthBlocks: return Code::kResourceExhausted;
      case suit::Errc::kConditionFailed:
      case suit::Errc::kAborted:
      case suit::Errc::kRollback: return Code::kFailedPrecondition;
      case suit::Errc::kFetchFailed: return Code::kUnavailable;
      case suit::Errc::kNotInstalled:
      case suit::Errc::kComponentMissing: return Code::kNotFound;
      case suit::Errc::kOperationFailed: return Code::kAborted;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(suit::Errc e) {
    switch (e) {
      case suit::Errc::kMalformed: return "malformed";
      case suit::Errc::kWrongTag: return "wrong-tag";
      case suit::Errc::kDuplicateKey: return "duplicate-key";
      case suit::Errc::kUnknownMember: return "unknown-member";
      case suit::Errc::kUnsupportedVersion: return "unsupported-version";
      case suit::Errc::kMissingSeveredMember: return "missing-severed-member";
      case suit::Errc::kUnexpectedSeveredMember: return "unexpected-severed-member";
      case suit::Errc::kNoAuthentication: return "no-authentication";
      case suit::Errc::kUnsupportedAuthentication: return "unsupported-authentication";
      case suit::Errc::kUnsupportedDigest: return "unsupported-digest";
      case suit::Errc::kSignatureInvalid: return "signature-invalid";
      case suit::Errc::kDigestMismatch: return "digest-mismatch";
      case suit::Errc::kSeveredDigestMismatch: return "severed-digest-mismatch";
      case suit::Errc::kEnvelopeTooLarge: return "envelope-too-large";
      case suit::Errc::kTooManyComponents: return "too-many-components";
      case suit::Errc::kSequenceTooLong: return "sequence-too-long";
      case suit::Errc::kNestingTooDeep: return "nesting-too-deep";
      case suit::Errc::kTooManyAuthBlocks: return "too-many-auth-blocks";
      case suit::Errc::kUnsupportedCommand: return "unsupported-command";
      case suit::Errc::kUnsupportedParameter: return "unsupported-parameter";
      case suit::Errc::kComponentIndexOutOfRange: return "component-index-out-of-range";
      case suit::Errc::kMissingParameter: return "missing-parameter";
      case suit::Errc::kConditionFailed: return "condition-failed";
      case suit::Errc::kAborted: return "aborted";
      case suit::Errc::kRollback: return "rollback";
      case suit::Errc::kFetchFailed: return "fetch-failed";
      case suit::Errc::kComponentMissing: return "component-missing";
      case suit::Errc::kDecryptionFailed: return "decryption-failed";
      case suit::Errc::kNotADependency: return "not-a-dependency";
      case suit::Errc::kDependencyMismatch: return "dependency-mismatch";
      case suit::Errc::kNotInstalled: return "not-installed";
      case suit::Errc::kOperationFailed: return "operation-failed";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_SUIT_ERRC_H_
