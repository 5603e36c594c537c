// The teepnet_instances extension (65103) of an EAR submodule, in CBOR and JSON.
#include <gtest/gtest.h>

#include "teepnet/cbor/reader.h"
#include "teepnet/eat/ear.h"
#include "teepnet/eat/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::eat {
namespace {

using ::teepnet::testing::FailsWith;

Ear WithInstances() {
  Ear e;
  e.iat = 1700000000;
  e.verifier_developer = "https://teepnet.invalid";
  e.verifier_build = "teepnet 0.1";
  EarAppraisal a;
  a.status = attest::Tier::kAffirming;
  a.attested_keys = {Bytes{0x30, 0x01}};
  a.instances.push_back(EarInstance{"tc-81426869", Bytes(32, 0x11), Bytes{0x30, 0x2a, 0x01},
                                    Bytes{0x30, 0x2a, 0x02}});
  a.instances.push_back(EarInstance{"tc-81426870", Bytes(32, 0x22), Bytes{0x30, 0x2a, 0x03},
                                    Bytes{0x30, 0x2a, 0x04}});
  e.submods["SGX"] = a;
  return e;
}

// The instance list of the "SGX" submodule inside a CBOR claims map.
cbor::Value& InstancesOf(cbor::Value& claims) {
  for (auto& [k, subs] : claims.mutable_map()) {
    if (k != cbor::Value::Int(ear_label::kSubmods)) continue;
    for (auto& [label, value] : subs.mutable_map()[0].second.mutable_map()) {
      if (label == cbor::Value::Int(ear_label::kInstances)) return value;
    }
  }
  ADD_FAILURE() << "no teepnet_instances";
  static cbor::Value none;
  return none;
}

TEST(EarInstancesTest, CborRoundTripsTheInstances) {
  auto back = EarFromCbor(EarToCbor(WithInstances()));
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(back->submods.at("SGX").instances, WithInstances().submods.at("SGX").instances);
}

TEST(EarInstancesTest, JsonRoundTripsTheInstances) {
  nlohmann::json j = EarToJson(WithInstances());
  ASSERT_TRUE(j["submods"]["SGX"].contains("teepnet_instances"));
  EXPECT_EQ(j["submods"]["SGX"]["teepnet_instances"][0]["name"], "tc-81426869");
  auto back = EarFromJson(j);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(back->submods.at("SGX").instances, WithInstances().submods.at("SGX").instances);
}

TEST(EarInstancesTest, CborEntriesUseTextKeysInDeterministicOrder) {
  cbor::Value claims = EarToCbor(WithInstances());
  Bytes encoded = cbor::Encode(InstancesOf(claims));
  // The whole array decodes under the deterministic rules, so the text keys are in order.
  TEEPNET_EXPECT_OK(cbor::Decode(encoded, cbor::DecodeOptions::Deterministic()));
  const cbor::Value& first = InstancesOf(claims).array()[0];
  ASSERT_NE(first.Find(std::string_view("measurement")), nullptr);
  EXPECT_EQ(first.Find(std::string_view("measurement"))->bytes(), Bytes(32, 0x11));
}

TEST(EarInstancesTest, NoInstancesMeansNoExtension) {
  Ear e = WithInstances();
  e.submods["SGX"].instances.clear();
  EXPECT_FALSE(EarToJson(e)["submods"]["SGX"].contains("teepnet_instances"));
  cbor::Value claims = EarToCbor(e);
  const cbor::Value* subs = claims.Find(ear_label::kSubmods);
  ASSERT_NE(subs, nullptr);
  EXPECT_EQ(subs->map()[0].second.Find(ear_label::kInstances), nullptr);
}

TEST(EarInstancesTest, RefusesAJsonNameThatIsNotText) {
  nlohmann::json j = EarToJson(WithInstances());
  j["submods"]["SGX"]["teepnet_instances"][0]["name"] = 7;
  EXPECT_TRUE(FailsWith(EarFromJson(j), Errc::kBadClaim));
}

TEST(EarInstancesTest, RefusesAJsonKeyThatIsNotBase64Url) {
  nlohmann::json j = EarToJson(WithInstances());
  j["submods"]["SGX"]["teepnet_instances"][1]["proof_key"] = "not base64url!";
  EXPECT_TRUE(FailsWith(EarFromJson(j), Errc::kBadClaim));
}

TEST(EarInstancesTest, RefusesAJsonEntryWithAnExtraMember) {
  nlohmann::json j = EarToJson(WithInstances());
  j["submods"]["SGX"]["teepnet_instances"][0]["extra"] = "x";
  EXPECT_TRUE(FailsWith(EarFromJson(j), Errc::kBadClaim));
}

TEST(EarInstancesTest, RefusesAnEmptyOrNonArrayList) {
  nlohmann::json j = EarToJson(WithInstances());
  j["submods"]["SGX"]["teepnet_instances"] = nlohmann::json::array();
  EXPECT_TRUE(FailsWith(EarFromJson(j), Errc::kBadClaim));
  j["submods"]["SGX"]["teepnet_instances"] = "tc-81426869";
  EXPECT_TRUE(FailsWith(EarFromJson(j), Errc::kBadClaim));
}

TEST(EarInstancesTest, RefusesACborKeyThatIsText) {
  cbor::Value claims = EarToCbor(WithInstances());
  for (auto& [k, v] : InstancesOf(claims).mutable_array()[0].mutable_map()) {
    if (k == cbor::Value::Text("hpke_key")) v = cbor::Value::Text("MCoDIQA");
  }
  EXPECT_TRUE(FailsWith(EarFromCbor(claims), Errc::kBadClaim));
}

TEST(EarInstancesTest, RefusesACborMeasurementThatIsNotSha256Sized) {
  cbor::Value claims = EarToCbor(WithInstances());
  for (auto& [k, v] : InstancesOf(claims).mutable_array()[1].mutable_map()) {
    if (k == cbor::Value::Text("measurement")) v = cbor::Value::Bytes(Bytes(20, 0x22));
  }
  EXPECT_TRUE(FailsWith(EarFromCbor(claims), Errc::kBadClaim));
}

TEST(EarInstancesTest, RefusesTheSameInstanceNamedTwice) {
  Ear e = WithInstances();
  e.submods["SGX"].instances[1].name = e.submods["SGX"].instances[0].name;
  EXPECT_TRUE(FailsWith(EarFromCbor(EarToCbor(e)), Errc::kBadClaim));
  EXPECT_TRUE(FailsWith(EarFromJson(EarToJson(e)), Errc::kBadClaim));
}

// The teepnet_capacity extension (65104): the attested Agent's capacity claim.
Ear WithCapacity() {
  Ear e = WithInstances();
  e.submods["SGX"].capacity = EarCapacity{{"process", "container"}, 16};
  return e;
}

TEST(EarCapacityTest, RoundTripsTheCapacityInCborAndJson) {
  auto cbor_back = EarFromCbor(EarToCbor(WithCapacity()));
  TEEPNET_ASSERT_OK(cbor_back);
  EXPECT_EQ(cbor_back->submods.at("SGX").capacity, WithCapacity().submods.at("SGX").capacity);
  nlohmann::json j = EarToJson(WithCapacity());
  EXPECT_EQ(j["submods"]["SGX"]["teepnet_capacity"],
            (nlohmann::json{{"slots", 16}, {"instance_types", {"process", "container"}}}));
  auto json_back = EarFromJson(j);
  TEEPNET_ASSERT_OK(json_back);
  EXPECT_EQ(json_back->submods.at("SGX").capacity, WithCapacity().submods.at("SGX").capacity);
  // Absent stays absent.
  auto none = EarFromJson(EarToJson(WithInstances()));
  TEEPNET_ASSERT_OK(none);
  EXPECT_FALSE(none->submods.at("SGX").capacity.has_value());
}

TEST(EarCapacityTest, RefusesACapacityOfTheWrongShape) {
  for (const nlohmann::json& bad : {
           nlohmann::json{{"slots", 1}},
           nlohmann::json{{"slots", -1}, {"instance_types", {"vm"}}},
           nlohmann::json{{"slots", 1}, {"instance_types", nlohmann::json::array()}},
           nlohmann::json{{"slots", 1}, {"instance_types", {1}}},
           nlohmann::json{{"slots", 1}, {"instance_types", {"vm"}}, {"x", 0}},
       }) {
    SCOPED_TRACE(bad.dump());
    nlohmann::json j = EarToJson(WithCapacity());
    j["submods"]["SGX"]["teepnet_capacity"] = bad;
    EXPECT_TRUE(FailsWith(EarFromJson(j), Errc::kBadClaim));
  }
}

}  // namespace
}  // namespace teepnet::eat
