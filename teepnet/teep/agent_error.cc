#include "teepnet/teep/agent_error.h"

#include "teepnet/cose/errc.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/teep/errc.h"

namespace teepnet::teep {

ErrorCode AgentErrorCodeFor(const Error& error) {
  if (error.Is(Errc::kUnsupportedCipherSuite) || error.Is(Errc::kNoCommonCipherSuite) ||
      error.Is(cose::Errc::kUnsupportedAlgorithm)) {
    return ErrorCode::kUnsupportedCipherSuites;
  }
  if (error.Is(Errc::kNoCommonVersion)) return ErrorCode::kUnsupportedMsgVersion;
  if (error.Is(Errc::kNoCommonFreshnessMechanism)) {
    return ErrorCode::kUnsupportedFreshnessMechanisms;
  }
  // ERR_BAD_CERTIFICATE: "Processing of a certificate failed" - including a signer we hold no
  // trusted key or certificate for.
  if (error.Is(Errc::kNoTrustedKey) || error.Is(crypto::Errc::kCertificateInvalid) ||
      error.Is(crypto::Errc::kChainUntrusted) || error.Is(crypto::Errc::kCertificateRevoked)) {
    return ErrorCode::kBadCertificate;
  }
  if (error.Is(crypto::Errc::kCertificateExpired)) return ErrorCode::kCertificateExpired;
  // ERR_TEMPORARY_ERROR: "the TEEP Agent ... ran out of memory" and similar local trouble.
  if (error.code() == Code::kUnavailable || error.code() == Code::kInternal) {
    return ErrorCode::kTemporaryError;
  }
  return ErrorCode::kPermanentError;
}

}  // namespace teepnet::teep
