// Reasons for cose/ failures. Verification failures (signature, MAC tag, AEAD tag) stay
// coarse on purpose: the caller learns "refused", not which byte was wrong.
#ifndef TEEPNET_COSE_ERRC_H_
#define TEEPNET_COSE_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::cose {

enum class Errc : uint16_t {
  kMalformed = 1,          // not the CDDL shape of the message (wrong type, wrong arity)
  kWrongTag,               // a CBOR tag other than the one for the expected message type
  kTrailingBytes,          // bytes after the message
  kDuplicateLabel,         // a header label twice in one map, or in both buckets
  kCritNotProtected,       // crit (label 2) in the unprotected bucket
  kCritMalformed,          // crit empty or not an array of labels
  kUnknownCriticalHeader,  // crit lists a label this implementation does not understand
  kAlgNotProtected,        // alg unprotected where the strict profile requires protection
  kMissingAlg,             // no alg header at all
  kAlgMismatch,            // alg does not fit the key or the message layer
  kBadHeaderValue,         // a header value of the wrong type (kid not bstr, alg not int ...)
  kProtectedNotMinimal,    // empty protected map encoded as h'A0' instead of h''
  kUnsupportedAlgorithm,   // a registered algorithm we do not implement
  kWrongKeyType,           // key type/curve does not fit the algorithm
  kPrivateKeyPresent,      // a public key was expected but the COSE_Key holds d
  kMissingKeyParameter,    // a required COSE_Key member is absent
  kSignatureInvalid,       // signature verification failed
  kTagInvalid,             // MAC tag does not match
  kDecryptFailed,          // AEAD open or key unwrap failed
  kMissingIv,              // no IV / Partial IV where the algorithm needs one
  kBadIv,                  // IV and Partial IV both present, or wrong length
  kMissingPayload,         // detached payload not supplied, or supplied for an attached one
  kNoMatchingRecipient,    // no recipient could be processed with the given key
  kNoSuchSigner,           // a signer index out of range
  kCrypto,                 // an underlying crypto operation failed unexpectedly
};

}  // namespace teepnet::cose

namespace teepnet {
template <>
struct ErrcTraits<cose::Errc> {
  static constexpr Domain kDomain = Domain::kCose;
  static Code CodeOf(cose::Errc e) {
    switch (e) {
      case cose::Errc::kSignatureInvalid:
      case cose::Errc::kTagInvalid:
      case cose::Errc::kDecryptFailed: return Code::kUnauthenticated;
      case cose::Errc::kUnsupportedAlgorithm: return Code::kUnimplemented;
      case cose::Errc::kNoMatchingRecipient:
      case cose::Errc::kNoSuchSigner: return Code::kNotFound;
      case cose::Errc::kCrypto: return Code::kInternal;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(cose::Errc e) {
    switch (e) {
      case cose::Errc::kMalformed: return "malformed";
      case cose::Errc::kWrongTag: return "wrong-tag";
      case cose::Errc::kTrailingBytes: return "trailing-bytes";
      case cose::Errc::kDuplicateLabel: return "duplicate-label";
      case cose::Errc::kCritNotProtected: return "crit-not-protected";
      case cose::Errc::kCritMalformed: return "crit-malformed";
      case cose::Errc::kUnknownCriticalHeader: return "unknown-critical-header";
      case cose::Errc::kAlgNotProtected: return "alg-not-protected";
      case cose::Errc::kMissingAlg: return "missing-alg";
      case cose::Errc::kAlgMismatch: return "alg-mismatch";
      case cose::Errc::kBadHeaderValue: return "bad-header-value";
      case cose::Errc::kProtectedNotMinimal: return "protected-not-minimal";
      case cose::Errc::kUnsupportedAlgorithm: return "unsupported-algorithm";
      case cose::Errc::kWrongKeyType: return "wrong-key-type";
      case cose::Errc::kPrivateKeyPresent: return "private-key-present";
      case cose::Errc::kMissingKeyParameter: return "missing-key-parameter";
      case cose::Errc::kSignatureInvalid: return "signature-invalid";
      case cose::Errc::kTagInvalid: return "tag-invalid";
      case cose::Errc::kDecryptFailed: return "decrypt-failed";
      case cose::Errc::kMissingIv: return "missing-iv";
      case cose::Errc::kBadIv: return "bad-iv";
      case cose::Errc::kMissingPayload: return "missing-payload";
      case cose::Errc::kNoMatchingRecipient: return "no-matching-recipient";
      case cose::Errc::kNoSuchSigner: return "no-such-signer";
      case cose::Errc::kCrypto: return "crypto";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_COSE_ERRC_H_
