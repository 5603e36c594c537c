#include "teepnet/moc/attested_capacity.h"

#include <gtest/gtest.h>

#include "teepnet/moc/errc.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/moc/placement.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using teepnet::testing::FailsWith;

AppraisedDevice Affirmed(Architecture arch, std::vector<InstanceType> types, uint32_t slots) {
  AppraisedDevice a;
  a.affirming = true;
  a.architecture = arch;
  a.has_capacity_claim = true;
  a.claimed_types = std::move(types);
  a.claimed_slots = slots;
  a.reason = "affirming";
  return a;
}

AppraisedDevice Contraindicated() {
  AppraisedDevice a;
  a.affirming = false;
  a.architecture = Architecture::kSgx;
  a.reason = "contraindicated: debug enabled";
  return a;
}

TEST(AttestedCapacity, RecordsTheClaimUnderTheAppraisedArchitecture) {
  const CapacityChange change = CapacityAfterAppraisal(
      "dev", std::nullopt, Affirmed(Architecture::kSgx, {InstanceType::kProcess}, 8));
  ASSERT_TRUE(change.write.has_value());
  EXPECT_EQ(change.write->device_id, "dev");
  EXPECT_EQ(change.write->architecture, Architecture::kSgx);
  EXPECT_TRUE(change.write->architecture_attested);
  EXPECT_EQ(change.write->source, CapacitySource::kEvidence);
  EXPECT_EQ(change.write->instance_types, std::vector<InstanceType>{InstanceType::kProcess});
  EXPECT_EQ(change.write->slots_total, 8u);
  // The same appraisal again changes nothing.
  EXPECT_FALSE(CapacityAfterAppraisal("dev", change.write,
                                      Affirmed(Architecture::kSgx, {InstanceType::kProcess}, 8))
                   .write.has_value());
}

TEST(AttestedCapacity, TakesTheArchitectureFromEvidenceOverTheOperatorsWord) {
  // The operator registered SEV-SNP containers; the evidence proves SGX.
  DeviceCapacity registered =
      testing::Device("dev", Architecture::kSevSnp, {InstanceType::kContainer}, 4);
  AppraisedDevice no_claim = Affirmed(Architecture::kSgx, {}, 0);
  no_claim.has_capacity_claim = false;
  const CapacityChange change = CapacityAfterAppraisal("dev", registered, no_claim);
  ASSERT_TRUE(change.write.has_value());
  EXPECT_EQ(change.write->architecture, Architecture::kSgx);
  EXPECT_TRUE(change.write->architecture_attested);
  EXPECT_EQ(change.write->source, CapacitySource::kOperator);
  EXPECT_EQ(change.write->slots_total, 4u);
  // Placement then follows the evidence: no SEV-SNP container, an SGX one.
  const std::vector<DeviceCapacity> devices = {*change.write};
  EXPECT_TRUE(FailsWith(Place(devices, {InstanceType::kContainer, Architecture::kSevSnp}),
                        Errc::kNoSuitableDevice));
  auto placed = Place(devices, {InstanceType::kContainer, Architecture::kSgx});
  TEEPNET_ASSERT_OK(placed);
  EXPECT_EQ(placed->architecture, Architecture::kSgx);
}

TEST(AttestedCapacity, WithdrawsADeviceWhoseEvidenceIsContraindicatedSoItGetsNoRequest) {
  const DeviceCapacity attested =
      *CapacityAfterAppraisal("dev", std::nullopt,
                              Affirmed(Architecture::kSgx, {InstanceType::kProcess}, 8))
           .write;
  const CapacityChange change = CapacityAfterAppraisal("dev", attested, Contraindicated());
  ASSERT_TRUE(change.write.has_value());
  EXPECT_FALSE(change.write->architecture_attested);
  EXPECT_EQ(change.write->slots_total, 8u);  // kept: the device comes back when it attests
  EXPECT_NE(change.note.find("debug enabled"), std::string::npos);
  const std::vector<DeviceCapacity> devices = {*change.write};
  EXPECT_TRUE(FailsWith(Place(devices, {InstanceType::kProcess, Architecture::kSgx}),
                        Errc::kNoSuitableDevice));
  EXPECT_TRUE(
      FailsWith(Place(devices, {InstanceType::kProcess, std::nullopt}), Errc::kNoSuitableDevice));
  // Withdrawn twice is withdrawn once; never seen, nothing to withdraw.
  EXPECT_FALSE(CapacityAfterAppraisal("dev", change.write, Contraindicated()).write.has_value());
  EXPECT_FALSE(CapacityAfterAppraisal("dev", std::nullopt, Contraindicated()).write.has_value());
  // The next affirming appraisal restores it.
  const CapacityChange back = CapacityAfterAppraisal(
      "dev", change.write, Affirmed(Architecture::kSgx, {InstanceType::kProcess}, 8));
  ASSERT_TRUE(back.write.has_value());
  EXPECT_TRUE(back.write->architecture_attested);
}

TEST(AttestedCapacity, WithdrawsAClaimFigure2RefusesOrThatDisappeared) {
  const DeviceCapacity attested =
      *CapacityAfterAppraisal("dev", std::nullopt,
                              Affirmed(Architecture::kTdx, {InstanceType::kVm}, 2))
           .write;
  // A TDX device claiming confidential processes: seed Figure 2 forbids it.
  const CapacityChange refused = CapacityAfterAppraisal(
      "dev", attested, Affirmed(Architecture::kTdx, {InstanceType::kProcess}, 2));
  ASSERT_TRUE(refused.write.has_value());
  EXPECT_FALSE(refused.write->architecture_attested);
  // A claim that could not be read names no instance type.
  EXPECT_FALSE(CapacityAfterAppraisal("dev", attested, Affirmed(Architecture::kTdx, {}, 2))
                   .write->architecture_attested);
  AppraisedDevice no_claim = Affirmed(Architecture::kTdx, {}, 0);
  no_claim.has_capacity_claim = false;
  EXPECT_FALSE(CapacityAfterAppraisal("dev", attested, no_claim).write->architecture_attested);
  // An appraisal naming no architecture is no better than a refused one.
  AppraisedDevice nameless = Affirmed(Architecture::kTdx, {InstanceType::kVm}, 2);
  nameless.architecture.reset();
  EXPECT_FALSE(CapacityAfterAppraisal("dev", attested, nameless).write->architecture_attested);
}

TEST(AttestedCapacity, LetsTheOperatorOnlyLowerAnEvidenceBackedCapacity) {
  const DeviceCapacity attested =
      *CapacityAfterAppraisal(
           "dev", std::nullopt,
           Affirmed(Architecture::kSgx, {InstanceType::kProcess, InstanceType::kContainer}, 8))
           .write;
  auto lowered = OverrideFor(
      attested, testing::Device("dev", Architecture::kSgx, {InstanceType::kProcess}, 3));
  TEEPNET_ASSERT_OK(lowered);
  EXPECT_EQ(lowered->slot_limit, std::optional<uint32_t>(3u));
  EXPECT_EQ(lowered->withheld_types, std::vector<InstanceType>{InstanceType::kContainer});
  // The device's own statement lowers nothing.
  auto same =
      OverrideFor(attested, testing::Device("dev", Architecture::kSgx, attested.instance_types, 8));
  TEEPNET_ASSERT_OK(same);
  EXPECT_FALSE(same->slot_limit.has_value());
  EXPECT_TRUE(same->withheld_types.empty());

  EXPECT_TRUE(FailsWith(OverrideFor(attested, testing::Device("dev", Architecture::kTdx,
                                                              {InstanceType::kContainer}, 1)),
                        Errc::kArchitectureMismatch));
  EXPECT_TRUE(FailsWith(
      OverrideFor(attested, testing::Device("dev", Architecture::kSgx, {InstanceType::kVm}, 1)),
      Errc::kCapacityExceedsAttested));
  EXPECT_TRUE(FailsWith(OverrideFor(attested, testing::Device("dev", Architecture::kSgx,
                                                              {InstanceType::kProcess}, 9)),
                        Errc::kCapacityExceedsAttested));
  DeviceCapacity withdrawn = attested;
  withdrawn.architecture_attested = false;
  EXPECT_TRUE(FailsWith(OverrideFor(withdrawn, testing::Device("dev", Architecture::kSgx,
                                                               {InstanceType::kProcess}, 1)),
                        Errc::kDeviceNotAttested));
  EXPECT_TRUE(FailsWith(
      OverrideFor(testing::Device("dev", Architecture::kSgx, {InstanceType::kProcess}, 8),
                  testing::Device("dev", Architecture::kSgx, {InstanceType::kProcess}, 1)),
      Errc::kCapacityNotAttested));
}

TEST(AttestedCapacity, PlacementUsesTheCapacityLoweredByTheOverride) {
  DeviceCapacity d = testing::Device("dev", Architecture::kSgx,
                                     {InstanceType::kProcess, InstanceType::kContainer}, 8);
  d.source = CapacitySource::kEvidence;
  d.slot_limit = 1;
  d.withheld_types = {InstanceType::kContainer};
  EXPECT_EQ(d.slots_offered(), 1u);
  EXPECT_EQ(d.OfferedTypes(), std::vector<InstanceType>{InstanceType::kProcess});
  std::vector<DeviceCapacity> devices = {d};
  EXPECT_TRUE(FailsWith(Place(devices, {InstanceType::kContainer, Architecture::kSgx}),
                        Errc::kNoSuitableDevice));
  TEEPNET_ASSERT_OK(Place(devices, {InstanceType::kProcess, Architecture::kSgx}));
  devices[0].slots_used = 1;
  EXPECT_TRUE(
      FailsWith(Place(devices, {InstanceType::kProcess, Architecture::kSgx}), Errc::kNoCapacity));
  // An operator-registered capacity has no override to apply.
  devices[0].source = CapacitySource::kOperator;
  TEEPNET_ASSERT_OK(Place(devices, {InstanceType::kContainer, Architecture::kSgx}));
}

}  // namespace
}  // namespace teepnet::moc
