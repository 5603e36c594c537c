#include "teepnet/teep/agent_error.h"

#include <gtest/gtest.h>

#include "teepnet/cbor/errc.h"
#include "teepnet/cose/errc.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/teep/errc.h"

namespace teepnet::teep {
namespace {

TEST(AgentErrorCodeTest, NegotiationFailuresMapToTheirCodes) {
  EXPECT_EQ(AgentErrorCodeFor(Error(Errc::kNoCommonCipherSuite, "")),
            ErrorCode::kUnsupportedCipherSuites);
  EXPECT_EQ(AgentErrorCodeFor(Error(Errc::kNoCommonVersion, "")),
            ErrorCode::kUnsupportedMsgVersion);
  EXPECT_EQ(AgentErrorCodeFor(Error(Errc::kNoCommonFreshnessMechanism, "")),
            ErrorCode::kUnsupportedFreshnessMechanisms);
  EXPECT_EQ(AgentErrorCodeFor(Error(cose::Errc::kUnsupportedAlgorithm, "")),
            ErrorCode::kUnsupportedCipherSuites);
}

TEST(AgentErrorCodeTest, CertificateFailuresMapToCertificateCodes) {
  EXPECT_EQ(AgentErrorCodeFor(Error(crypto::Errc::kChainUntrusted, "")),
            ErrorCode::kBadCertificate);
  EXPECT_EQ(AgentErrorCodeFor(Error(crypto::Errc::kCertificateExpired, "")),
            ErrorCode::kCertificateExpired);
}

TEST(AgentErrorCodeTest, MalformedInputIsPermanent) {
  EXPECT_EQ(AgentErrorCodeFor(Error(cbor::Errc::kTruncated, "")), ErrorCode::kPermanentError);
  EXPECT_EQ(AgentErrorCodeFor(Error(Errc::kBadTokenLength, "")), ErrorCode::kPermanentError);
  EXPECT_EQ(AgentErrorCodeFor(Error(cose::Errc::kUnknownCriticalHeader, "")),
            ErrorCode::kPermanentError);
}

TEST(AgentErrorCodeTest, TransientLocalFailureIsTemporary) {
  EXPECT_EQ(AgentErrorCodeFor(Error(crypto::Errc::kInternal, "")), ErrorCode::kTemporaryError);
  EXPECT_EQ(AgentErrorCodeFor(Error(Code::kUnavailable, "store busy")), ErrorCode::kTemporaryError);
}

}  // namespace
}  // namespace teepnet::teep
