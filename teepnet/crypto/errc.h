// Reasons for crypto/ failures. Verification failures are deliberately coarse at the API
// (kSignatureInvalid, kAuthenticationFailed) so no oracle leaks which check failed.
#ifndef TEEPNET_CRYPTO_ERRC_H_
#define TEEPNET_CRYPTO_ERRC_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/error.h"

namespace teepnet::crypto {

enum class Errc : uint16_t {
  kBadKey = 1,            // key bytes malformed, point not on curve, wrong size for the curve
  kKeyTypeMismatch,       // key type does not fit the algorithm (Ed25519 key for ES256 ...)
  kUnsupportedAlgorithm,  // algorithm or curve not supported
  kBadLength,             // nonce/IV/tag/key/signature of the wrong length
  kSignatureInvalid,      // a signature did not verify
  kAuthenticationFailed,  // an AEAD tag, MAC or key-unwrap integrity check failed
  kBadEncoding,           // PEM/DER/JWK that does not parse
  kCertificateInvalid,    // a certificate in a chain does not verify or is malformed
  kCertificateExpired,    // outside notBefore/notAfter at the evaluation time
  kChainUntrusted,        // no path to a given trust anchor
  kRandomFailure,         // the CSPRNG failed
  kInternal,              // OpenSSL failed where it should not
  kCertificateRevoked,    // a certificate in a chain is listed on its issuer's CRL
  kTlsProtocol,           // a TLS peer broke the protocol, sent a fatal alert or closed mid-way
  kPeerNameMismatch,      // a TLS server's certificate does not name the host we dialled
};

}  // namespace teepnet::crypto

namespace teepnet {
template <>
struct ErrcTraits<crypto::Errc> {
  static constexpr Domain kDomain = Domain::kCrypto;
  static Code CodeOf(crypto::Errc e) {
    switch (e) {
      case crypto::Errc::kSignatureInvalid:
      case crypto::Errc::kAuthenticationFailed:
      case crypto::Errc::kCertificateInvalid:
      case crypto::Errc::kCertificateExpired:
      case crypto::Errc::kChainUntrusted:
      case crypto::Errc::kCertificateRevoked:
      case crypto::Errc::kPeerNameMismatch: return Code::kUnauthenticated;
      case crypto::Errc::kTlsProtocol: return Code::kUnavailable;
      case crypto::Errc::kUnsupportedAlgorithm: return Code::kUnimplemented;
      case crypto::Errc::kRandomFailure:
      case crypto::Errc::kInternal: return Code::kInternal;
      default: return Code::kInvalidArgument;
    }
  }
  static std::string_view NameOf(crypto::Errc e) {
    switch (e) {
      case crypto::Errc::kBadKey: return "bad-key";
      case crypto::Errc::kKeyTypeMismatch: return "key-type-mismatch";
      case crypto::Errc::kUnsupportedAlgorithm: return "unsupported-algorithm";
      case crypto::Errc::kBadLength: return "bad-length";
      case crypto::Errc::kSignatureInvalid: return "signature-invalid";
      case crypto::Errc::kAuthenticationFailed: return "authentication-failed";
      case crypto::Errc::kBadEncoding: return "bad-encoding";
      case crypto::Errc::kCertificateInvalid: return "certificate-invalid";
      case crypto::Errc::kCertificateExpired: return "certificate-expired";
      case crypto::Errc::kChainUntrusted: return "chain-untrusted";
      case crypto::Errc::kRandomFailure: return "random-failure";
      case crypto::Errc::kInternal: return "internal";
      case crypto::Errc::kCertificateRevoked: return "certificate-revoked";
      case crypto::Errc::kTlsProtocol: return "tls-protocol";
      case crypto::Errc::kPeerNameMismatch: return "peer-name-mismatch";
    }
    return "unknown";
  }
};
}  // namespace teepnet

#endif  // TEEPNET_CRYPTO_ERRC_H_
