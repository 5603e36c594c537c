#include "teepnet/moc/placement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "teepnet/moc/errc.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using teepnet::testing::FailsWith;
using testing::Device;
using ::testing::HasSubstr;

// Seed Figure 2, cell by cell: rows are architectures, columns process / container / VM.
struct Cell {
  Architecture arch;
  bool process, container, vm;
};
constexpr Cell kFigure2[] = {
    {Architecture::kTrustZone, true, true, false}, {Architecture::kSgx, true, true, false},
    {Architecture::kSevSnp, false, true, true},    {Architecture::kCca, false, true, true},
    {Architecture::kTdx, false, true, true},       {Architecture::kCsv, false, true, true},
};

bool Expected(const Cell& cell, InstanceType type) {
  switch (type) {
    case InstanceType::kProcess: return cell.process;
    case InstanceType::kContainer: return cell.container;
    case InstanceType::kVm: return cell.vm;
  }
  return false;
}

TEST(Figure2, AllowsExactlyTheSeedsCells) {
  for (const Cell& cell : kFigure2) {
    for (InstanceType type : kAllInstanceTypes) {
      SCOPED_TRACE(std::string(ArchitectureName(cell.arch)) + "/" +
                   std::string(InstanceTypeName(type)));
      EXPECT_EQ(Figure2Allows(cell.arch, type), Expected(cell, type));
    }
  }
}

TEST(Placement, HonoursEveryCellOfFigure2WhenHardwareIsRequested) {
  // One device per architecture, offering everything Figure 2 lets it offer.
  std::vector<DeviceCapacity> devices;
  for (const Cell& cell : kFigure2) {
    std::vector<InstanceType> types;
    for (InstanceType type : kAllInstanceTypes) {
      if (Expected(cell, type)) types.push_back(type);
    }
    devices.push_back(Device("dev-" + std::string(ArchitectureName(cell.arch)), cell.arch, types));
  }
  for (const Cell& cell : kFigure2) {
    for (InstanceType type : kAllInstanceTypes) {
      SCOPED_TRACE(std::string(ArchitectureName(cell.arch)) + "/" +
                   std::string(InstanceTypeName(type)));
      Result<Placement> placed = Place(devices, {type, cell.arch});
      if (Expected(cell, type)) {
        TEEPNET_ASSERT_OK(placed);
        EXPECT_EQ(placed->device_id, "dev-" + std::string(ArchitectureName(cell.arch)));
        EXPECT_EQ(placed->architecture, cell.arch);
      } else {
        EXPECT_TRUE(FailsWith(placed, Errc::kInstanceNotOnHardware));
      }
    }
  }
}

TEST(Placement, RefusesAVmOnSgxNamingTheFigure2Entry) {
  const std::vector<DeviceCapacity> devices = {
      Device("sgx-1", Architecture::kSgx, {InstanceType::kProcess})};
  Result<Placement> placed = Place(devices, {InstanceType::kVm, Architecture::kSgx});
  ASSERT_TRUE(FailsWith(placed, Errc::kInstanceNotOnHardware));
  EXPECT_THAT(placed.error().message(),
              HasSubstr("seed Figure 2 allows a confidential VM only on SEV-SNP, CCA, TDX, CSV"));
  EXPECT_THAT(placed.error().message(), HasSubstr("cannot run on SGX"));
}

TEST(Placement, WithoutHardwareChoosesAnArchitectureFigure2Allows) {
  const std::vector<DeviceCapacity> devices = {
      Device("a-sgx", Architecture::kSgx, {InstanceType::kProcess, InstanceType::kContainer}),
      Device("b-tdx", Architecture::kTdx, {InstanceType::kContainer, InstanceType::kVm})};
  Result<Placement> vm = Place(devices, {InstanceType::kVm, std::nullopt});
  TEEPNET_ASSERT_OK(vm);
  EXPECT_EQ(vm->device_id, "b-tdx");
  Result<Placement> process = Place(devices, {InstanceType::kProcess, std::nullopt});
  TEEPNET_ASSERT_OK(process);
  EXPECT_EQ(process->device_id, "a-sgx");
}

TEST(Placement, IgnoresDevicesWhoseArchitectureWasNotAttested) {
  DeviceCapacity unproven = Device("tdx-1", Architecture::kTdx, {InstanceType::kVm});
  unproven.architecture_attested = false;
  Result<Placement> placed = Place(std::vector{unproven}, {InstanceType::kVm, std::nullopt});
  ASSERT_TRUE(FailsWith(placed, Errc::kNoSuitableDevice));
  EXPECT_THAT(placed.error().message(), HasSubstr("SEV-SNP, CCA, TDX, CSV"));
}

TEST(Placement, RefusesWhenTheDeviceDoesNotOfferTheInstanceType) {
  // TDX could host a VM, but this device only offers containers.
  const std::vector<DeviceCapacity> devices = {
      Device("tdx-1", Architecture::kTdx, {InstanceType::kContainer})};
  EXPECT_TRUE(
      FailsWith(Place(devices, {InstanceType::kVm, Architecture::kTdx}), Errc::kNoSuitableDevice));
}

TEST(Placement, RefusesWhenEverySuitableDeviceIsFull) {
  DeviceCapacity full = Device("cca-1", Architecture::kCca, {InstanceType::kVm}, 2);
  full.slots_used = 2;
  Result<Placement> placed = Place(std::vector{full}, {InstanceType::kVm, Architecture::kCca});
  ASSERT_TRUE(FailsWith(placed, Errc::kNoCapacity));
  EXPECT_THAT(placed.error().message(), HasSubstr("all 1 device(s)"));
}

TEST(Placement, PrefersTheLeastLoadedDeviceAndBreaksTiesById) {
  DeviceCapacity busy = Device("a", Architecture::kCsv, {InstanceType::kVm}, 4);
  busy.slots_used = 3;
  DeviceCapacity idle_b = Device("b", Architecture::kSevSnp, {InstanceType::kVm}, 4);
  DeviceCapacity idle_c = Device("c", Architecture::kCca, {InstanceType::kVm}, 4);
  Result<Placement> placed =
      Place(std::vector{busy, idle_c, idle_b}, {InstanceType::kVm, std::nullopt});
  TEEPNET_ASSERT_OK(placed);
  EXPECT_EQ(placed->device_id, "b");
}

TEST(CapacityReport, RefusesAnInstanceTypeTheArchitectureCannotHost) {
  Status bad = ValidateCapacityReport(
      Device("tz-1", Architecture::kTrustZone, {InstanceType::kProcess, InstanceType::kVm}));
  ASSERT_TRUE(FailsWith(bad, Errc::kInvalidCapacityReport));
  EXPECT_THAT(bad.error().message(), HasSubstr("confidential VM on TrustZone"));
  TEEPNET_EXPECT_OK(ValidateCapacityReport(Device(
      "tz-1", Architecture::kTrustZone, {InstanceType::kProcess, InstanceType::kContainer})));
  EXPECT_TRUE(FailsWith(ValidateCapacityReport(Device("x", Architecture::kTdx, {})),
                        Errc::kInvalidCapacityReport));
}

}  // namespace
}  // namespace teepnet::moc
