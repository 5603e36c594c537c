// Self-authenticating QueryRequest tokens (tam/query_token.h) against the SQL stores: the TAM
// core over SqlTamStore on SQLite and on PostgreSQL, as teepnet-moc replicas run it.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "teepnet/base/clock.h"
#include "teepnet/base/hex.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/random.h"
#include "teepnet/store/connection_pool.h"
#include "teepnet/store/sql_tam_store.h"
#include "teepnet/store/store_backend_fixture.h"
#include "teepnet/tam/errc.h"
#include "teepnet/tam/tam_core.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/secure_message.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::store {
namespace {

using ::teepnet::testing::FailsWith;
using testing::BackendName;
using testing::BackendTest;
using testing::kBackends;

class SqlQueryTokenTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto opened = SqlTamStore::Open(url());
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    store_ = std::move(opened).value();
    tam_ = Core(*store_);
    ASSERT_NE(tam_, nullptr);
    auto id = tam_->EnrollDevice(
        cose::CoseKey::FromPublicKey(agent_key_.public_key()).Encode(false), "d");
    TEEPNET_ASSERT_OK(id);
    device_ = *id;
  }
  void TearDown() override {
    tam_.reset();
    store_.reset();
    BackendTest::TearDown();
  }

  // A TamCore with this test's TAM key: every core made here is a replica of the others.
  std::unique_ptr<tam::TamCore> Core(tam::TamStore& store) {
    tam::TamConfig config;
    config.signing_keys = {
        teep::SigningKey{tam_key_, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt}};
    auto tam = tam::TamCore::Create(config, store, clock_, crypto::SystemRandom::Get());
    EXPECT_TRUE(tam.ok());
    return tam.ok() ? std::move(tam).value() : nullptr;
  }

  Bytes TokenOf(const tam::TamResult& r) {
    EXPECT_EQ(r.outcome, tam::Outcome::kQueryRequestSent);
    auto verified = teep::VerifyMessage(r.response.value_or(Bytes()), teep::RfcProfile(),
                                        {teep::PeerKey{tam_key_.public_key(), std::nullopt}});
    EXPECT_TRUE(verified.ok());
    if (!verified.ok()) return {};
    return std::get<teep::QueryRequest>(verified->message).token.value_or(Bytes());
  }

  Bytes Response(const Bytes& token) {
    teep::QueryResponse r;
    r.token = token;
    return *teep::SignMessage(
        r, teep::RfcProfile(),
        teep::SigningKey{agent_key_, teep::CipherSuite::Sign1(teep::kAlgESP256), device_});
  }

  // Every row of the TAM's tables, read on a connection of its own, so a test can tell that a
  // call wrote nothing at all.
  std::string Rows() {
    auto pool = OpenPool(url());
    EXPECT_TRUE(pool.ok());
    if (!pool.ok()) return {};
    auto c = (*pool)->Acquire();
    EXPECT_TRUE(c.ok());
    if (!c.ok()) return {};
    std::string out;
    for (const char* table : {"devices", "packages", "desired_state", "device_status"}) {
      auto s = (**c).Prepare(std::string("SELECT COUNT(*) FROM ") + table);
      EXPECT_TRUE(s.ok());
      if (!s.ok()) return {};
      auto row = (*s)->Step();
      EXPECT_TRUE(row.ok() && *row);
      if (!row.ok() || !*row) return {};
      out += std::string(table) + "=" + std::to_string((*s)->ColumnInt(0)) + ";";
    }
    auto s = (**c).Prepare("SELECT token, consumed, expires_at FROM tokens ORDER BY token");
    EXPECT_TRUE(s.ok());
    if (!s.ok()) return {};
    for (;;) {
      auto row = (*s)->Step();
      EXPECT_TRUE(row.ok());
      if (!row.ok() || !*row) break;
      out += "token:" + ToHex((*s)->ColumnBlob(0)) + "," + std::to_string((*s)->ColumnInt(1)) +
             "," + std::to_string((*s)->ColumnInt(2)) + ";";
    }
    return out;
  }

  crypto::PrivateKey tam_key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  crypto::PrivateKey agent_key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  FakeClock clock_{1'700'000'000};
  std::unique_ptr<SqlTamStore> store_;
  std::unique_ptr<tam::TamCore> tam_;
  tam::DeviceId device_;
};

TEST_P(SqlQueryTokenTest, ConnectLeavesTheStoreUntouched) {
  const std::string before = Rows();
  ASSERT_FALSE(before.empty());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(tam_->ProcessConnect().outcome, tam::Outcome::kQueryRequestSent);
  }
  EXPECT_EQ(Rows(), before);
}

TEST_P(SqlQueryTokenTest, ResponseRecordsTheTokenAsUsedAndItsReplayIsDropped) {
  const Bytes token = TokenOf(tam_->ProcessConnect());
  const Bytes response = Response(token);
  EXPECT_EQ(tam_->ProcessMessage(response).outcome, tam::Outcome::kUpToDate);
  auto used = store_->FindToken(token);
  TEEPNET_ASSERT_OK(used);
  ASSERT_TRUE(used->has_value());
  EXPECT_TRUE((*used)->consumed);
  EXPECT_EQ((*used)->device_id, device_);
  const std::string before = Rows();
  for (int i = 0; i < 2; ++i) {
    tam::TamResult again = tam_->ProcessMessage(response);
    EXPECT_EQ(again.outcome, tam::Outcome::kDropped);
    EXPECT_FALSE(again.response.has_value());
    ASSERT_TRUE(again.drop_reason.has_value());
    EXPECT_TRUE(FailsWith(Result<int>(*again.drop_reason), tam::Errc::kTokenReplayed));
  }
  EXPECT_EQ(Rows(), before);
  // Purged with the other tokens once it expired.
  auto purged =
      store_->PurgeTokens(clock_.NowUnixSeconds() + tam::TamConfig().token_lifetime_seconds);
  TEEPNET_ASSERT_OK(purged);
  EXPECT_EQ(*purged, 1u);
}

TEST_P(SqlQueryTokenTest, ForgedAndExpiredTokensAreDroppedWithNoStateChange) {
  const Bytes token = TokenOf(tam_->ProcessConnect());
  Bytes forged = token;
  forged[20] ^= 0x01;
  const std::string before = Rows();
  EXPECT_TRUE(FailsWith(Result<int>(*tam_->ProcessMessage(Response(forged)).drop_reason),
                        tam::Errc::kUnknownToken));
  clock_.Advance(tam::TamConfig().token_lifetime_seconds);
  EXPECT_TRUE(FailsWith(Result<int>(*tam_->ProcessMessage(Response(token)).drop_reason),
                        tam::Errc::kTokenExpired));
  EXPECT_EQ(Rows(), before);
}

TEST_P(SqlQueryTokenTest, ReplicasRacingOnOneQueryTokenHaveExactlyOneWinner) {
  // Two replicas (each SqlTamStore opened on the URL has its own connections), two threads
  // each, all answering one QueryRequest that a third issued.
  constexpr int kReplicas = 2;
  constexpr int kThreadsPerReplica = 2;
  std::vector<std::unique_ptr<SqlTamStore>> stores;
  std::vector<std::unique_ptr<tam::TamCore>> cores;
  for (int i = 0; i < kReplicas; ++i) {
    auto other = SqlTamStore::Open(url());
    TEEPNET_ASSERT_OK(other);
    stores.push_back(std::move(other).value());
    cores.push_back(Core(*stores.back()));
    ASSERT_NE(cores.back(), nullptr);
  }
  for (int round = 0; round < 4; ++round) {
    const Bytes response = Response(TokenOf(tam_->ProcessConnect()));
    std::atomic<int> wins{0};
    std::atomic<int> replayed{0};
    std::latch start(kReplicas * kThreadsPerReplica);
    std::vector<std::thread> threads;
    for (int i = 0; i < kReplicas * kThreadsPerReplica; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        tam::TamResult r = cores[static_cast<size_t>(i % kReplicas)]->ProcessMessage(response);
        if (r.outcome == tam::Outcome::kUpToDate) {
          ++wins;
        } else if (r.outcome == tam::Outcome::kDropped && r.drop_reason &&
                   r.drop_reason->Is(tam::Errc::kTokenReplayed)) {
          ++replayed;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(wins.load(), 1) << "round " << round;
    EXPECT_EQ(replayed.load(), kReplicas * kThreadsPerReplica - 1) << "round " << round;
  }
}

TEST_P(SqlQueryTokenTest, RecordingAUsedTokenTwiceRefusesTheWholeSecondTransaction) {
  tam::TokenRecord used;
  used.token = Bytes(43, 0x11);
  used.purpose = tam::TokenPurpose::kQueryRequest;
  used.issued_at = 100;
  used.expires_at = 200;
  used.consumed = true;
  tam::TamTransaction first;
  first.device = device_;
  first.record_used_token = used;
  TEEPNET_ASSERT_OK(store_->Commit(first));
  tam::TamTransaction second = first;
  second.status = tam::DeviceStatus();
  second.status->last_contact = 7;
  EXPECT_TRUE(FailsWith(store_->Commit(second), tam::Errc::kTokenReplayed));
  auto status = store_->GetStatus(device_);
  TEEPNET_ASSERT_OK(status);
  EXPECT_FALSE(status->has_value()) << "the refused step's status must not land";
  auto found = store_->FindToken(used.token);
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_TRUE((*found)->consumed);
  EXPECT_EQ((*found)->device_id, device_);
  EXPECT_EQ((*found)->expires_at, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlQueryTokenTest, ::testing::ValuesIn(kBackends), BackendName);

}  // namespace
}  // namespace teepnet::store
