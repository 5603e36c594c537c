// The onprem-verifier scenario against its TA's computation run in-process through the
// workload kit (workload::ProcessSealedPd): the parties seal their inputs to an instance key,
// the computation the TA runs opens and appraises them, each party opens its own output from
// the signed receipt, and the scenario's independent check accepts it. A wrong output is
// refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "services/cli/workloads/scenario.h"
#include "teepnet/base/clock.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/workload/envelope.h"
#include "teepnet/workload/party.h"
#include "teepnet/workload/ta_main.h"
#include "teepnet/workloads/onprem_verifier/appraise.h"
#include "teepnet/workloads/onprem_verifier/errc.h"
#include "teepnet/workloads/onprem_verifier/messages.h"

namespace teepnet::cli::workloads {
namespace {

namespace ov = teepnet::workloads::onprem_verifier;

constexpr char kMarker[] = "TEEPNET-SECRET-0123456789abcdef";

bool Contains(ByteView haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

// What onprem_verifier_ta's main hands RunWorkloadTa (examples/workloads/onprem_verifier_ta.cc).
workload::Compute TaComputation() {
  return [](workload::Inputs& in) -> Result<workload::Outputs> {
    const SecretBytes* vendor = in.Get(ov::kVendorRole);
    const SecretBytes* isp = in.Get(ov::kIspRole);
    if (vendor == nullptr || isp == nullptr) {
      return Error(ov::Errc::kMissingInput, "onprem-verifier: an input is missing");
    }
    TEEPNET_ASSIGN_OR_RETURN(ov::EncodedOutputs out, ov::Compute(vendor->view(), isp->view(),
                                                                 SystemClock().NowUnixSeconds()));
    return workload::Outputs{{std::string(ov::kIspRole), std::move(out.isp)},
                             {std::string(ov::kVendorRole), std::move(out.vendor)}};
  };
}

class OnpremVerifierScenarioTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scenario_ = MakeOnpremVerifierScenario().release();
    auto inputs = scenario_->MakeInputs(42, kMarker);
    ASSERT_TRUE(inputs.ok()) << inputs.error().ToString();
    inputs_ = new ScenarioInputs(*std::move(inputs));
    outputs_ = new std::map<std::string, SecretBytes>(RunInProcess(*inputs_));
  }
  static void TearDownTestSuite() {
    delete scenario_;
    delete inputs_;
    delete outputs_;
  }

  // The whole case-3 path of the kit, minus the processes: every party seals its input to the
  // instance, the poster seals the envelope, the TA computation answers with a signed receipt.
  static std::map<std::string, SecretBytes> RunInProcess(const ScenarioInputs& inputs) {
    std::map<std::string, SecretBytes> opened;
    const int64_t now = SystemClock().NowUnixSeconds();
    Random& random = crypto::SystemRandom::Get();
    auto hpke = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
    auto proof = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
    const runtime::DeliveryContext context{"req-ov-1", Bytes(32, 0xd1), "tc-ov", "pd",
                                           crypto::Sha256(AsBytes("onprem_verifier_ta"))};
    const channel::Binding pd_binding{context.request_id, context.device_id, context.instance,
                                      "pd"};
    std::map<std::string, crypto::PrivateKey> reply_keys;
    workload::Envelope envelope{std::string(ov::kWorkloadName), {}, inputs.bulk};
    for (const PartyInput& party : inputs.parties) {
      auto reply = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
      const crypto::PublicKey reply_public = reply.public_key();
      auto part = workload::SealInput(ov::kWorkloadName, party.role, party.input.view(),
                                      hpke.public_key(), pd_binding,
                                      party.wants_output ? &reply_public : nullptr, now, random);
      EXPECT_TRUE(part.ok());
      if (!part.ok()) return opened;
      envelope.parts.push_back(*std::move(part));
      reply_keys.emplace(party.role, std::move(reply));
    }
    auto sealed_pd = channel::Seal(hpke.public_key(), *workload::EncodeEnvelope(envelope),
                                   pd_binding, now, random);
    EXPECT_TRUE(sealed_pd.ok());
    auto receipt_bytes =
        workload::ProcessSealedPd(ov::kWorkloadName, *sealed_pd, hpke.RawPrivate().view(),
                                  proof.RawPrivate().view(), context, TaComputation(), now, random);
    EXPECT_TRUE(receipt_bytes.ok()) << receipt_bytes.error().ToString();
    if (!receipt_bytes.ok()) return opened;
    auto receipt = channel::VerifyReceipt(*receipt_bytes, proof.public_key());
    EXPECT_TRUE(receipt.ok() && receipt->result.has_value());
    if (!receipt.ok() || !receipt->result) return opened;
    for (const auto& [role, key] : reply_keys) {
      auto out =
          workload::OpenOutput(*receipt->result, ov::kWorkloadName, role, key, pd_binding, now);
      EXPECT_TRUE(out.ok()) << role;
      if (out.ok()) opened.emplace(role, *std::move(out));
    }
    return opened;
  }

  static Scenario* scenario_;
  static ScenarioInputs* inputs_;
  static std::map<std::string, SecretBytes>* outputs_;
};

Scenario* OnpremVerifierScenarioTest::scenario_ = nullptr;
ScenarioInputs* OnpremVerifierScenarioTest::inputs_ = nullptr;
std::map<std::string, SecretBytes>* OnpremVerifierScenarioTest::outputs_ = nullptr;

TEST_F(OnpremVerifierScenarioTest, EmbedsTheMarkerInEveryPartysInput) {
  ASSERT_EQ(inputs_->parties.size(), 2u);
  for (const PartyInput& p : inputs_->parties) {
    EXPECT_TRUE(Contains(p.input.view(), kMarker)) << p.role;
    EXPECT_TRUE(p.wants_output) << p.role;
  }
  EXPECT_FALSE(inputs_->bulk.has_value());
}

TEST_F(OnpremVerifierScenarioTest, PassesItsCheckWhenRunThroughTheTaComputation) {
  ASSERT_EQ(outputs_->size(), 2u);
  auto headline = scenario_->Check(*outputs_);
  ASSERT_TRUE(headline.ok()) << headline.error().ToString();
  EXPECT_EQ(headline->name, "evidence_per_second");
  EXPECT_GT(headline->value, 0);
  RecordProperty("evidence_per_second", std::to_string(headline->value));
  EXPECT_EQ(headline->detail["routers"], 128);
  EXPECT_EQ(headline->detail["contraindicated"], 32);
  EXPECT_EQ(headline->detail["defects"].size(), 3u);
}

TEST_F(OnpremVerifierScenarioTest, KeepsEveryPrivateInputOutOfTheOutputs) {
  for (const auto& [role, out] : *outputs_) EXPECT_FALSE(Contains(out.view(), kMarker)) << role;
  // The vendor learns a count and nothing else about the ISP's fleet.
  auto count = ov::DecodeVendorOutput(outputs_->at("vendor").view());
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->appraised, 128u);
}

TEST_F(OnpremVerifierScenarioTest, RefusesAVerdictFlippedToAffirming) {
  auto isp = ov::DecodeIspOutput(outputs_->at("isp").view());
  ASSERT_TRUE(isp.ok());
  auto bad = std::find_if(isp->results.begin(), isp->results.end(), [](const ov::RouterResult& r) {
    return r.status == ov::RouterStatus::kContraindicated;
  });
  ASSERT_NE(bad, isp->results.end());
  bad->status = ov::RouterStatus::kAffirming;
  bad->trust = {2, 2, 2, 0, 2, 0, 0, 0};
  bad->notes.clear();
  std::map<std::string, SecretBytes> forged;
  forged.emplace("isp", SecretBytes(*ov::EncodeIspOutput(*isp)));
  forged.emplace("vendor", outputs_->at("vendor").Clone());
  EXPECT_TRUE(teepnet::testing::FailsWith(scenario_->Check(forged), ov::Errc::kInconsistent));
}

TEST_F(OnpremVerifierScenarioTest, RefusesVerdictsForOtherEvidenceOrAMissingRouter) {
  auto isp = ov::DecodeIspOutput(outputs_->at("isp").view());
  ASSERT_TRUE(isp.ok());
  ov::IspOutput swapped = *isp;
  swapped.results[0].evidence_digest = crypto::Sha256(AsBytes("other evidence"));
  ov::IspOutput shorter = *isp;
  shorter.results.pop_back();
  ov::IspOutput other_policy = *isp;
  other_policy.policy_refs["snp"] = "acme/edge-os-4.2/snp@sha256:00";
  for (const ov::IspOutput* wrong : {&swapped, &shorter, &other_policy}) {
    std::map<std::string, SecretBytes> forged;
    forged.emplace("isp", SecretBytes(*ov::EncodeIspOutput(*wrong)));
    forged.emplace("vendor", outputs_->at("vendor").Clone());
    EXPECT_TRUE(teepnet::testing::FailsWith(scenario_->Check(forged), ov::Errc::kInconsistent));
  }
  std::map<std::string, SecretBytes> only_vendor;
  only_vendor.emplace("vendor", outputs_->at("vendor").Clone());
  EXPECT_FALSE(scenario_->Check(only_vendor).ok());
}

}  // namespace
}  // namespace teepnet::cli::workloads
