#include "teepnet/workload/ta_main.h"

#include <gtest/gtest.h>

#include <string>

#include "teepnet/cbor/writer.h"
#include "teepnet/channel/errc.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/workload/envelope.h"
#include "teepnet/workload/party.h"

namespace teepnet::workload {
namespace {

constexpr int64_t kNow = 1'800'000'000;

// One attested instance, two parties ("a" sums, "b" only contributes) and the poster.
class WorkloadTaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hpke_ = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    proof_ = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
    reply_a_ = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    context_ = runtime::DeliveryContext{"req-7", Bytes(32, 0xd1), "tc-41", "pd",
                                        crypto::Sha256(AsBytes("ta image"))};
  }

  channel::Binding PdBinding() const {
    return channel::Binding{context_.request_id, context_.device_id, context_.instance, "pd"};
  }

  Part Seal(std::string role, std::string input, const crypto::PublicKey* reply,
            std::string workload = "sum") {
    return *SealInput(workload, role, AsBytes(input), hpke_->public_key(), PdBinding(), reply, kNow,
                      crypto::SystemRandom::Get());
  }

  Bytes SealPd(const Envelope& envelope) {
    return *channel::Seal(hpke_->public_key(), *EncodeEnvelope(envelope), PdBinding(), kNow,
                          crypto::SystemRandom::Get());
  }

  Result<Bytes> Process(ByteView sealed_pd) {
    return ProcessSealedPd("sum", sealed_pd, hpke_->RawPrivate().view(),
                           proof_->RawPrivate().view(), context_, SumOfInputs(), kNow,
                           crypto::SystemRandom::Get());
  }

  // The computation: the concatenated inputs of every role, to role "a" only.
  static Compute SumOfInputs() {
    return [](Inputs& in) -> Result<Outputs> {
      std::string all;
      for (const auto& [role, input] : in.by_role) {
        all += role + "=" + std::string(input.view().begin(), input.view().end()) + ";";
      }
      return Outputs{{"a", ToBytes(AsBytes(all))}};
    };
  }

  std::optional<crypto::PrivateKey> hpke_, proof_, reply_a_;
  runtime::DeliveryContext context_;
};

TEST_F(WorkloadTaTest, EachPartyGetsOnlyItsOutputInsideTheSignedReceipt) {
  Envelope e{"sum", {}, std::nullopt};
  const crypto::PublicKey reply_a = reply_a_->public_key();
  e.parts.push_back(Seal("a", "1", &reply_a));
  e.parts.push_back(Seal("b", "2", nullptr));
  const Bytes sealed = SealPd(e);
  auto receipt_bytes = Process(sealed);
  ASSERT_TRUE(receipt_bytes.ok()) << receipt_bytes.error().ToString();
  auto receipt = channel::VerifyReceipt(*receipt_bytes, proof_->public_key());
  ASSERT_TRUE(receipt.ok()) << receipt.error().ToString();
  EXPECT_EQ(receipt->pd_digest, crypto::Sha256(*EncodeEnvelope(e)));
  EXPECT_EQ(receipt->measurement, context_.measurement);
  ASSERT_TRUE(receipt->result.has_value());
  auto out = OpenOutput(*receipt->result, "sum", "a", *reply_a_, PdBinding(), kNow);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(std::string(out->view().begin(), out->view().end()), "a=1;b=2;");
  // "b" asked for nothing and gets nothing.
  EXPECT_FALSE(OpenOutput(*receipt->result, "sum", "b", *reply_a_, PdBinding(), kNow).ok());
}

TEST_F(WorkloadTaTest, RefusesAPartSealedForAnotherRole) {
  // The poster relabels b's input as a's: it was sealed under b's purpose and must not open.
  const crypto::PublicKey reply_a = reply_a_->public_key();
  Part relabelled = Seal("b", "2", &reply_a);
  relabelled.role = "a";
  Envelope e{"sum", {relabelled}, std::nullopt};
  auto r = Process(SealPd(e));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().Is(channel::Errc::kOpenFailed)) << r.error().ToString();
}

TEST_F(WorkloadTaTest, RefusesAPdForAnotherWorkload) {
  const crypto::PublicKey reply_a = reply_a_->public_key();
  Envelope e{"other", {Seal("a", "1", &reply_a, "other")}, std::nullopt};
  auto r = Process(SealPd(e));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().Is(channel::Errc::kMalformed));
}

TEST_F(WorkloadTaTest, RefusesAnOutputForARoleWithoutReplyKey) {
  Envelope e{"sum", {Seal("a", "1", nullptr)}, std::nullopt};
  auto r = Process(SealPd(e));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().Is(channel::Errc::kMalformed));
}

TEST_F(WorkloadTaTest, RefusesAPdSealedToAnotherInstance) {
  auto other = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  const crypto::PublicKey reply_a = reply_a_->public_key();
  Envelope e{"sum", {Seal("a", "1", &reply_a)}, std::nullopt};
  const Bytes sealed = *channel::Seal(other.public_key(), *EncodeEnvelope(e), PdBinding(), kNow,
                                      crypto::SystemRandom::Get());
  auto r = Process(sealed);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().Is(channel::Errc::kWrongRecipient)) << r.error().ToString();
}

}  // namespace
}  // namespace teepnet::workload
