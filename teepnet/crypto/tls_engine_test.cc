#include "teepnet/crypto/tls_engine.h"

#include <gtest/gtest.h>

#include "teepnet/crypto/tls_test_pki.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::crypto {
namespace {

using teepnet::testing::FailsWith;
using testing::MakeTlsTestPki;
using testing::TlsTestPki;

struct Pair {
  std::unique_ptr<TlsSession> client;
  std::unique_ptr<TlsSession> server;
};

Pair MakePair(const TlsTestPki& server_pki, const std::vector<Certificate>& anchors,
              std::string_view name) {
  auto server_ctx = TlsContext::ForServer({server_pki.server}, server_pki.server_key);
  auto client_ctx = TlsContext::ForClient(anchors);
  EXPECT_TRUE(server_ctx.ok() && client_ctx.ok());
  auto server = TlsSession::Server(*server_ctx);
  auto client = TlsSession::Client(*client_ctx, name);
  EXPECT_TRUE(server.ok() && client.ok());
  return Pair{std::move(*client), std::move(*server)};
}

// Runs both sides until the handshake finishes or one side fails; returns the first failure
// of the client, else of the server.
Status Handshake(Pair& p) {
  for (int round = 0; round < 10; ++round) {
    auto c = p.client->Handshake();
    TEEPNET_RETURN_IF_ERROR(p.server->Feed(p.client->TakeOutput()));
    if (!c.ok()) return c.error();
    auto s = p.server->Handshake();
    TEEPNET_RETURN_IF_ERROR(p.client->Feed(p.server->TakeOutput()));
    if (!s.ok()) return s.error();
    if (*c && *s && !p.client->has_output() && !p.server->has_output()) return OkStatus();
  }
  return Error(Errc::kInternal, "handshake did not finish");
}

std::string ReadAll(TlsSession& session) {
  std::string text;
  uint8_t buf[64];
  for (;;) {
    auto n = session.Read(buf);
    if (!n.ok() || *n == 0) return text;
    text.append(reinterpret_cast<const char*>(buf), *n);
  }
}

class TlsEngineTest : public ::testing::Test {
 protected:
  TlsTestPki pki_ = MakeTlsTestPki("IP:127.0.0.1,DNS:tam.example");
};

TEST_F(TlsEngineTest, CompletesAHandshakeInMemoryAndCarriesDataBothWays) {
  Pair p = MakePair(pki_, {pki_.ca}, "tam.example");
  TEEPNET_ASSERT_OK(Handshake(p));
  EXPECT_TRUE(p.client->handshake_done());
  EXPECT_EQ(p.client->protocol(), "TLSv1.3");
  EXPECT_FALSE(p.client->cipher().empty());

  TEEPNET_ASSERT_OK(p.client->Write(AsBytes("POST /tam")));
  Bytes record = p.client->TakeOutput();
  EXPECT_EQ(std::string(AsChars(record)).find("POST"), std::string::npos);  // not in clear
  TEEPNET_ASSERT_OK(p.server->Feed(record));
  EXPECT_EQ(ReadAll(*p.server), "POST /tam");

  TEEPNET_ASSERT_OK(p.server->Write(AsBytes("HTTP/1.1 204")));
  TEEPNET_ASSERT_OK(p.client->Feed(p.server->TakeOutput()));
  EXPECT_EQ(ReadAll(*p.client), "HTTP/1.1 204");
}

TEST_F(TlsEngineTest, DeliversRecordsFedOneByteAtATime) {
  Pair p = MakePair(pki_, {pki_.ca}, "127.0.0.1");
  TEEPNET_ASSERT_OK(Handshake(p));
  TEEPNET_ASSERT_OK(p.server->Write(AsBytes("split across many reads")));
  Bytes record = p.server->TakeOutput();
  std::string got;
  for (uint8_t b : record) {
    TEEPNET_ASSERT_OK(p.client->Feed(ByteView(&b, 1)));
    got += ReadAll(*p.client);
  }
  EXPECT_EQ(got, "split across many reads");
}

TEST_F(TlsEngineTest, RefusesAServerWhoseCertificateChainsToAnotherCa) {
  TlsTestPki other = MakeTlsTestPki("IP:127.0.0.1,DNS:tam.example", "some other CA");
  Pair p = MakePair(pki_, {other.ca}, "tam.example");
  Status s = Handshake(p);
  EXPECT_TRUE(FailsWith(s, Errc::kChainUntrusted));
  EXPECT_EQ(s.error().code(), Code::kUnauthenticated);
  EXPECT_FALSE(p.client->handshake_done());
  // The client's alert tells the server why; the server fails too.
  auto server = p.server->Handshake();
  EXPECT_TRUE(FailsWith(server, Errc::kTlsProtocol));
  EXPECT_FALSE(p.client->Write(AsBytes("x")).ok());
}

TEST_F(TlsEngineTest, RefusesAServerCertificateForAnotherHostName) {
  Pair p = MakePair(pki_, {pki_.ca}, "evil.example");
  EXPECT_TRUE(FailsWith(Handshake(p), Errc::kPeerNameMismatch));
}

TEST_F(TlsEngineTest, RefusesAServerCertificateForAnotherIpAddress) {
  Pair p = MakePair(pki_, {pki_.ca}, "127.0.0.2");
  EXPECT_TRUE(FailsWith(Handshake(p), Errc::kPeerNameMismatch));
}

TEST_F(TlsEngineTest, AcceptsThePinnedServerCertificateAsTheOnlyAnchor) {
  Pair p = MakePair(pki_, {pki_.server}, "tam.example");
  TEEPNET_EXPECT_OK(Handshake(p));
}

TEST_F(TlsEngineTest, RefusesATamperedApplicationDataRecord) {
  Pair p = MakePair(pki_, {pki_.ca}, "tam.example");
  TEEPNET_ASSERT_OK(Handshake(p));
  TEEPNET_ASSERT_OK(p.client->Write(AsBytes("install hello.ta")));
  Bytes record = p.client->TakeOutput();
  ASSERT_GT(record.size(), 10u);
  record[record.size() - 3] ^= 0x01;  // inside the AEAD tag
  TEEPNET_ASSERT_OK(p.server->Feed(record));
  uint8_t buf[64];
  EXPECT_TRUE(FailsWith(p.server->Read(buf), Errc::kAuthenticationFailed));
  // RFC 8446 §5.2: the receiver "MUST terminate the connection with a bad_record_mac alert".
  EXPECT_TRUE(p.server->has_output());
  EXPECT_FALSE(p.server->Read(buf).ok());
}

TEST_F(TlsEngineTest, RefusesGarbageInsteadOfAServerHello) {
  Pair p = MakePair(pki_, {pki_.ca}, "tam.example");
  ASSERT_TRUE(p.client->Handshake().ok());
  (void)p.client->TakeOutput();
  TEEPNET_ASSERT_OK(p.client->Feed(AsBytes("HTTP/1.1 400 Bad Request\r\n\r\n")));
  EXPECT_TRUE(FailsWith(p.client->Handshake(), Errc::kTlsProtocol));
}

TEST_F(TlsEngineTest, ReportsCloseNotifyAsPeerClosedAndRefusesLaterWrites) {
  Pair p = MakePair(pki_, {pki_.ca}, "tam.example");
  TEEPNET_ASSERT_OK(Handshake(p));
  TEEPNET_ASSERT_OK(p.server->Write(AsBytes("last words")));
  p.server->Close();
  EXPECT_FALSE(p.server->Write(AsBytes("more")).ok());
  TEEPNET_ASSERT_OK(p.client->Feed(p.server->TakeOutput()));
  EXPECT_EQ(ReadAll(*p.client), "last words");
  EXPECT_TRUE(p.client->peer_closed());
  uint8_t buf[8];
  auto n = p.client->Read(buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0u);
}

TEST_F(TlsEngineTest, RefusesAServerKeyThatDoesNotMatchTheCertificate) {
  TlsTestPki other = MakeTlsTestPki();
  EXPECT_TRUE(FailsWith(TlsContext::ForServer({pki_.server}, other.server_key), Errc::kBadKey));
}

TEST_F(TlsEngineTest, RefusesAClientWithoutTrustAnchorsOrServerName) {
  EXPECT_TRUE(FailsWith(TlsContext::ForClient({}), Errc::kChainUntrusted));
  auto ctx = TlsContext::ForClient({pki_.ca});
  ASSERT_TRUE(ctx.ok());
  EXPECT_TRUE(FailsWith(TlsSession::Client(*ctx, ""), Errc::kPeerNameMismatch));
}

}  // namespace
}  // namespace teepnet::crypto
