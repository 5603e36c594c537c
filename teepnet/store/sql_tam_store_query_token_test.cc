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
#include "teepnet/store/sql_migrations.h"
#include "teepnet/store/sql_tam_store.h"
#include "teepnet/store/store_backend_fixture.h"
#include "teepnet/store/tam_state_json.h"
#include "teepnet/tam/errc.h"
#include "teepnet/tam/query_token.h"
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
    for (const char* query :
         {"SELECT token, consumed, expires_at FROM tokens ORDER BY token",
          "SELECT token, 1, expires_at FROM used_query_tokens ORDER BY token"}) {
      auto s = (**c).Prepare(query);
      EXPECT_TRUE(s.ok());
      if (!s.ok()) return {};
      for (;;) {
        auto row = (*s)->Step();
        EXPECT_TRUE(row.ok());
        if (!row.ok() || !*row) break;
        out += "token:" + ToHex((*s)->ColumnBlob(0)) + "," + std::to_string((*s)->ColumnInt(1)) +
               "," + std::to_string((*s)->ColumnInt(2)) + ";";
      }
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

TEST_P(SqlQueryTokenTest, UsedTokenRowHoldsOnlyScalarColumnsAndStaysUntilItExpires) {
  const Bytes token = TokenOf(tam_->ProcessConnect());
  EXPECT_EQ(tam_->ProcessMessage(Response(token)).outcome, tam::Outcome::kUpToDate);
  const int64_t expires = clock_.NowUnixSeconds() + tam::TamConfig().token_lifetime_seconds;
  {
    auto pool = OpenPool(url());
    TEEPNET_ASSERT_OK(pool);
    auto c = (*pool)->Acquire();
    TEEPNET_ASSERT_OK(c);
    auto s = (**c).Prepare("SELECT token, device_id, issued_at, expires_at FROM used_query_tokens");
    TEEPNET_ASSERT_OK(s);
    auto row = (*s)->Step();
    TEEPNET_ASSERT_OK(row);
    ASSERT_TRUE(*row);
    EXPECT_EQ((*s)->ColumnBlob(0), token);
    EXPECT_EQ((*s)->ColumnBlob(1), device_);
    EXPECT_EQ((*s)->ColumnInt(2), clock_.NowUnixSeconds());
    EXPECT_EQ((*s)->ColumnInt(3), expires);
    row = (*s)->Step();
    TEEPNET_ASSERT_OK(row);
    EXPECT_FALSE(*row) << "one row per used token";
    // Nothing of it went to the table of issued tokens.
    auto issued = (**c).Prepare("SELECT COUNT(*) FROM tokens");
    TEEPNET_ASSERT_OK(issued);
    TEEPNET_ASSERT_OK((*issued)->Step());
    EXPECT_EQ((*issued)->ColumnInt(0), 0);
  }
  // A purge before the expiry keeps it, so the replay is still refused.
  auto early = store_->PurgeTokens(expires - 1);
  TEEPNET_ASSERT_OK(early);
  EXPECT_EQ(*early, 0u);
  auto found = store_->FindToken(token);
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_TRUE((*found)->consumed);
  EXPECT_EQ((*found)->purpose, tam::TokenPurpose::kQueryRequest);
  EXPECT_EQ((*found)->expires_at, expires);
  auto purged = store_->PurgeTokens(expires);
  TEEPNET_ASSERT_OK(purged);
  EXPECT_EQ(*purged, 1u);
  auto gone = store_->FindToken(token);
  TEEPNET_ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_P(SqlQueryTokenTest, DeviceRemovedAndEnrolledAgainCannotReplayAUsedToken) {
  const Bytes response = Response(TokenOf(tam_->ProcessConnect()));
  EXPECT_EQ(tam_->ProcessMessage(response).outcome, tam::Outcome::kUpToDate);
  TEEPNET_ASSERT_OK(store_->RemoveDevice(device_));
  auto again =
      tam_->EnrollDevice(cose::CoseKey::FromPublicKey(agent_key_.public_key()).Encode(false), "d");
  TEEPNET_ASSERT_OK(again);
  ASSERT_EQ(*again, device_);
  tam::TamResult replay = tam_->ProcessMessage(response);
  EXPECT_EQ(replay.outcome, tam::Outcome::kDropped);
  ASSERT_TRUE(replay.drop_reason.has_value());
  EXPECT_TRUE(FailsWith(Result<int>(*replay.drop_reason), tam::Errc::kTokenReplayed));
}

TEST_P(SqlQueryTokenTest, TokenFromAReplicaWithItsClockFarAheadIsDroppedWithNoStateChange) {
  FakeClock ahead(clock_.NowUnixSeconds() + tam::kMaxTokenClockSkew + 1);
  tam::TamConfig config;
  config.signing_keys = {
      teep::SigningKey{tam_key_, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt}};
  auto fast = tam::TamCore::Create(config, *store_, ahead, crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(fast);
  const Bytes response = Response(TokenOf((*fast)->ProcessConnect()));
  const std::string before = Rows();
  tam::TamResult r = tam_->ProcessMessage(response);
  EXPECT_EQ(r.outcome, tam::Outcome::kDropped);
  EXPECT_FALSE(r.response.has_value());
  ASSERT_TRUE(r.drop_reason.has_value());
  EXPECT_TRUE(FailsWith(Result<int>(*r.drop_reason), tam::Errc::kTokenNotYetValid));
  EXPECT_EQ(Rows(), before);
  // Within the allowance the same response is good (and used once).
  clock_.Advance(1);
  EXPECT_EQ(tam_->ProcessMessage(response).outcome, tam::Outcome::kUpToDate);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlQueryTokenTest, ::testing::ValuesIn(kBackends), BackendName);

// Schema version 3 moved the used QueryRequest tokens out of `tokens`.
class SqlUsedTokenMigrationTest : public BackendTest {};

TEST_P(SqlUsedTokenMigrationTest, UsedTokensOfVersion2StayUsedAndIssuedOnesStayIssued) {
  auto pool = OpenPool(url());
  TEEPNET_ASSERT_OK(pool);
  const Bytes device(32, 0xD1);
  const Bytes used(43, 0x01);    // a QueryRequest token a response used (version 2 row)
  const Bytes issued(16, 0x07);  // an Update token the store issued
  {
    auto c = (*pool)->Acquire();
    TEEPNET_ASSERT_OK(c);
    // Schema version 2 as released: migrations are append-only, so its text never changes.
    TEEPNET_ASSERT_OK(Migrate(**c, SqlTamStore::Schema().first(2)));
    auto d = (*c)->Prepare("INSERT INTO devices (device_id, agent_key, label) VALUES (?1, ?2, ?3)");
    TEEPNET_ASSERT_OK(d);
    TEEPNET_ASSERT_OK((*d)->BindBlob(1, device));
    TEEPNET_ASSERT_OK((*d)->BindBlob(2, Bytes{0xa1}));
    TEEPNET_ASSERT_OK((*d)->BindText(3, "v2"));
    TEEPNET_ASSERT_OK((*d)->Run());
    // The rows as version 2 wrote them (details as tam_state_json.h encoded them).
    auto t = (*c)->Prepare(
        "INSERT INTO tokens (token, purpose, device_id, issued_at, expires_at, consumed, details) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    TEEPNET_ASSERT_OK(t);
    tam::TokenRecord used_record;
    used_record.data_items.trusted_components = true;
    TEEPNET_ASSERT_OK((*t)->BindBlob(1, used));
    TEEPNET_ASSERT_OK((*t)->BindInt(2, 0));
    TEEPNET_ASSERT_OK((*t)->BindBlob(3, device));
    TEEPNET_ASSERT_OK((*t)->BindInt(4, 1000));
    TEEPNET_ASSERT_OK((*t)->BindInt(5, 4600));
    TEEPNET_ASSERT_OK((*t)->BindInt(6, 1));
    TEEPNET_ASSERT_OK((*t)->BindText(7, EncodeTokenDetails(used_record)));
    TEEPNET_ASSERT_OK((*t)->Run());
    auto u = (*c)->Prepare(
        "INSERT INTO tokens (token, purpose, device_id, issued_at, expires_at, consumed, details) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    TEEPNET_ASSERT_OK(u);
    tam::TokenRecord issued_record;
    issued_record.token = issued;
    issued_record.purpose = tam::TokenPurpose::kUpdate;
    issued_record.device_id = device;
    issued_record.issued_at = 1000;
    issued_record.expires_at = 4600;
    TEEPNET_ASSERT_OK((*u)->BindBlob(1, issued));
    TEEPNET_ASSERT_OK((*u)->BindInt(2, 1));
    TEEPNET_ASSERT_OK((*u)->BindBlob(3, device));
    TEEPNET_ASSERT_OK((*u)->BindInt(4, 1000));
    TEEPNET_ASSERT_OK((*u)->BindInt(5, 4600));
    TEEPNET_ASSERT_OK((*u)->BindInt(6, 0));
    TEEPNET_ASSERT_OK((*u)->BindText(7, EncodeTokenDetails(issued_record)));
    TEEPNET_ASSERT_OK((*u)->Run());
  }

  auto store = SqlTamStore::Open(url());
  TEEPNET_ASSERT_OK(store);
  auto found = (*store)->FindToken(used);
  TEEPNET_ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_TRUE((*found)->consumed);
  EXPECT_EQ((*found)->device_id, device);
  EXPECT_EQ((*found)->issued_at, 1000);
  EXPECT_EQ((*found)->expires_at, 4600);
  // Used before the upgrade, still refused after it.
  tam::TamTransaction replay;
  replay.device = device;
  replay.record_used_token = **found;
  EXPECT_TRUE(FailsWith((*store)->Commit(replay), tam::Errc::kTokenReplayed));
  auto update = (*store)->FindToken(issued);
  TEEPNET_ASSERT_OK(update);
  ASSERT_TRUE(update->has_value());
  EXPECT_EQ((*update)->purpose, tam::TokenPurpose::kUpdate);
  EXPECT_FALSE((*update)->consumed);
  tam::TamTransaction consume;
  consume.device = device;
  consume.consume_token = issued;
  TEEPNET_EXPECT_OK((*store)->Commit(consume));
  {
    auto c = (*pool)->Acquire();
    TEEPNET_ASSERT_OK(c);
    auto version = SchemaVersion(**c);
    TEEPNET_ASSERT_OK(version);
    EXPECT_EQ(*version, SqlTamStore::CurrentSchemaVersion());
    auto left = (**c).Prepare("SELECT COUNT(*) FROM tokens WHERE length(token) = 43");
    TEEPNET_ASSERT_OK(left);
    TEEPNET_ASSERT_OK((*left)->Step());
    EXPECT_EQ((*left)->ColumnInt(0), 0);
  }
  // Both purge at their expiry.
  auto purged = (*store)->PurgeTokens(4600);
  TEEPNET_ASSERT_OK(purged);
  EXPECT_EQ(*purged, 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlUsedTokenMigrationTest, ::testing::ValuesIn(kBackends),
                         BackendName);

}  // namespace
}  // namespace teepnet::store
