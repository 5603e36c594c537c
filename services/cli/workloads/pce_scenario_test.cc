// The PCE scenario end to end in one process: each party seals its input to an instance key
// (workload::SealInput), the TA's computation runs behind workload::ProcessSealedPd exactly as
// pce_ta runs it, each party opens its own output from the signed receipt, and the scenario's
// Check accepts it — and refuses outputs that were tampered with.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "services/cli/workloads/scenario.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/workload/envelope.h"
#include "teepnet/workload/party.h"
#include "teepnet/workload/ta_main.h"
#include "teepnet/workloads/pce/codec.h"
#include "teepnet/workloads/pce/errc.h"
#include "teepnet/workloads/pce/pce.h"

namespace teepnet::cli::workloads {
namespace {

namespace pce = teepnet::workloads::pce;
using ::teepnet::testing::FailsWith;

constexpr int64_t kNow = 1'800'000'000;
constexpr std::string_view kMarker = "LEAK-MARKER-pce-5f0c1a";

bool Contains(ByteView haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

uint64_t MonotonicNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

// The computation of examples/workloads/pce_ta.cc.
workload::Compute PceCompute() {
  return [](workload::Inputs& in) -> Result<workload::Outputs> {
    const SecretBytes* topology = in.Get(pce::kProviderRole);
    const SecretBytes* batch = in.Get(pce::kUserRole);
    if (topology == nullptr || batch == nullptr) {
      return Error(pce::Errc::kMalformed, "missing input");
    }
    TEEPNET_ASSIGN_OR_RETURN(pce::EncodedAnswer answer,
                             pce::Run(topology->view(), batch->view(), MonotonicNanos));
    return workload::Outputs{{std::string(pce::kUserRole), std::move(answer.user)},
                             {std::string(pce::kProviderRole), std::move(answer.provider)}};
  };
}

class PceScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hpke_ = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    proof_ = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
    context_ = runtime::DeliveryContext{"req-pce", Bytes(32, 0xd2), "tc-pce", "pd",
                                        crypto::Sha256(AsBytes("pce_ta image"))};
  }

  channel::Binding PdBinding() const {
    return channel::Binding{context_.request_id, context_.device_id, context_.instance, "pd"};
  }

  // Runs the scenario's inputs through the sealed path; returns each role's opened output.
  std::map<std::string, SecretBytes> RunSealed(const ScenarioInputs& inputs) {
    std::map<std::string, SecretBytes> outputs;
    std::map<std::string, crypto::PrivateKey> reply_keys;
    workload::Envelope envelope{std::string(pce::kWorkloadName), {}, std::nullopt};
    for (const PartyInput& party : inputs.parties) {
      auto reply = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
      const crypto::PublicKey reply_public = reply.public_key();
      auto part = workload::SealInput(pce::kWorkloadName, party.role, party.input.view(),
                                      hpke_->public_key(), PdBinding(), &reply_public, kNow,
                                      crypto::SystemRandom::Get());
      EXPECT_TRUE(part.ok());
      if (!part.ok()) return outputs;
      // Only ciphertext leaves the party.
      EXPECT_FALSE(Contains(part->sealed, kMarker));
      envelope.parts.push_back(*std::move(part));
      reply_keys.emplace(party.role, std::move(reply));
    }
    const Bytes sealed = *channel::Seal(hpke_->public_key(), *workload::EncodeEnvelope(envelope),
                                        PdBinding(), kNow, crypto::SystemRandom::Get());
    auto receipt_bytes = workload::ProcessSealedPd(
        pce::kWorkloadName, sealed, hpke_->RawPrivate().view(), proof_->RawPrivate().view(),
        context_, PceCompute(), kNow, crypto::SystemRandom::Get());
    EXPECT_TRUE(receipt_bytes.ok()) << receipt_bytes.error().ToString();
    if (!receipt_bytes.ok()) return outputs;
    EXPECT_FALSE(Contains(*receipt_bytes, kMarker));
    auto receipt = channel::VerifyReceipt(*receipt_bytes, proof_->public_key());
    EXPECT_TRUE(receipt.ok() && receipt->result.has_value());
    if (!receipt.ok() || !receipt->result) return outputs;
    for (const auto& [role, key] : reply_keys) {
      auto out =
          workload::OpenOutput(*receipt->result, pce::kWorkloadName, role, key, PdBinding(), kNow);
      EXPECT_TRUE(out.ok()) << role << ": " << out.error().ToString();
      if (out.ok()) outputs.emplace(role, *std::move(out));
    }
    return outputs;
  }

  std::optional<crypto::PrivateKey> hpke_, proof_;
  runtime::DeliveryContext context_;
};

TEST_F(PceScenarioTest, TheTaComputationThroughTheSealedPathPassesTheCheck) {
  auto scenario = MakePceScenario();
  EXPECT_EQ(scenario->name(), "pce");
  EXPECT_EQ(scenario->ta_binary(), "pce_ta");
  auto inputs = scenario->MakeInputs(17, kMarker);
  ASSERT_TRUE(inputs.ok()) << inputs.error().ToString();
  ASSERT_EQ(inputs->parties.size(), 2u);
  for (const PartyInput& party : inputs->parties) {
    EXPECT_TRUE(Contains(party.input.view(), kMarker)) << party.role;
    EXPECT_TRUE(party.wants_output);
  }
  std::map<std::string, SecretBytes> outputs = RunSealed(*inputs);
  ASSERT_EQ(outputs.size(), 2u);
  for (const auto& [role, output] : outputs) EXPECT_FALSE(Contains(output.view(), kMarker));

  auto headline = scenario->Check(outputs);
  ASSERT_TRUE(headline.ok()) << headline.error().ToString();
  EXPECT_EQ(headline->name, "paths_per_second");
  EXPECT_GT(headline->value, 0);
  EXPECT_EQ(headline->detail["nodes"], 300);
  EXPECT_EQ(headline->detail["requests"], 500);
  EXPECT_GT(headline->detail["served"].get<int>(), 250);
}

TEST_F(PceScenarioTest, TheProviderLearnsNothingOfTheUsersEndpoints) {
  auto scenario = MakePceScenario();
  auto inputs = scenario->MakeInputs(18, kMarker);
  ASSERT_TRUE(inputs.ok());
  std::map<std::string, SecretBytes> outputs = RunSealed(*inputs);
  ASSERT_EQ(outputs.count("provider"), 1u);
  auto batch = pce::DecodeBatch(inputs->parties[1].input.view());
  ASSERT_TRUE(batch.ok());
  // The provider's output is counts and per-link reservations: no text at all, so none of the
  // user's endpoints, exclusions or its label.
  auto provider = pce::DecodeProviderOutput(outputs.at("provider").view());
  ASSERT_TRUE(provider.ok());
  for (const pce::PathRequest& r : batch->requests) {
    EXPECT_FALSE(Contains(outputs.at("provider").view(), r.src));
    EXPECT_FALSE(Contains(outputs.at("provider").view(), r.dst));
  }
  EXPECT_EQ(provider->requests, batch->requests.size());
}

TEST_F(PceScenarioTest, CheckRefusesAPathThatIsNotTheOptimum) {
  auto scenario = MakePceScenario();
  auto inputs = scenario->MakeInputs(19, kMarker);
  ASSERT_TRUE(inputs.ok());
  std::map<std::string, SecretBytes> outputs = RunSealed(*inputs);
  ASSERT_EQ(outputs.size(), 2u);
  auto user = pce::DecodeUserOutput(outputs.at("user").view());
  ASSERT_TRUE(user.ok());
  // Claim a lower cost for the first path found: a better answer than the TA's is a wrong one.
  auto found = std::find_if(user->results.begin(), user->results.end(),
                            [](const auto& r) { return r.outcome == pce::Outcome::kFound; });
  ASSERT_NE(found, user->results.end());
  found->cost -= 1;
  outputs["user"] = SecretBytes(*pce::EncodeUserOutput(*user));
  EXPECT_TRUE(FailsWith(scenario->Check(outputs), pce::Errc::kWrongAnswer));
}

TEST_F(PceScenarioTest, CheckRefusesAMissingOrGarbledOutput) {
  auto scenario = MakePceScenario();
  auto inputs = scenario->MakeInputs(20, kMarker);
  ASSERT_TRUE(inputs.ok());
  std::map<std::string, SecretBytes> outputs = RunSealed(*inputs);
  ASSERT_EQ(outputs.size(), 2u);
  std::map<std::string, SecretBytes> without_provider;
  without_provider.emplace("user", outputs.at("user").Clone());
  EXPECT_TRUE(FailsWith(scenario->Check(without_provider), pce::Errc::kWrongAnswer));
  outputs["provider"] = SecretBytes(AsBytes("not cbor"));
  EXPECT_FALSE(scenario->Check(outputs).ok());
}

}  // namespace
}  // namespace teepnet::cli::workloads
