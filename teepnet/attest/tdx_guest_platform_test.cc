#include "teepnet/attest/tdx_guest_platform.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

#include "teepnet/attest/configfs_tsm_fake_kernel.h"
#include "teepnet/attest/dcap_appraise.h"
#include "teepnet/attest/dcap_sim_platform.h"
#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::attest::testing::FakeTsmKernel;
using teepnet::attest::testing::TempDir;
using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1790000000;
// REPORTMACSTRUCT: REPORTTYPE 4, reserved 12, CPUSVN 16, two 48-byte hashes, then REPORTDATA.
constexpr size_t kTdReportDataOffset = 4 + 12 + 16 + 48 + 48;

// Stands in for the tdx_guest driver: a TDREPORT with the caller's REPORTDATA and an MRTD.
class FakeTdxGuestDevice final : public TdxGuestDevice {
 public:
  explicit FakeTdxGuestDevice(std::array<uint8_t, 48> mrtd) : mrtd_(mrtd) {}
  int calls = 0;
  int GetReport0(TdxReportReq& req) override {
    ++calls;
    std::memset(req.tdreport, 0, sizeof(req.tdreport));
    std::memcpy(req.tdreport + kTdReportDataOffset, req.reportdata, sizeof(req.reportdata));
    std::memcpy(req.tdreport + kTdReportMrtdOffset, mrtd_.data(), mrtd_.size());
    return 0;
  }

 private:
  std::array<uint8_t, 48> mrtd_;
};

class TdxGuestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto m = SimIntelManufacturer::Create(kNow - 86400);
    ASSERT_TRUE(m.ok());
    intel_ = new SimIntelManufacturer(*std::move(m));
  }
  static void TearDownTestSuite() {
    delete intel_;
    intel_ = nullptr;
  }
  void SetUp() override {
    id_.mrtd.fill(0x7d);
    auto td = SimTdxPlatform::Create(*intel_, id_);
    ASSERT_TRUE(td.ok());
    td_.emplace(*std::move(td));
    std::filesystem::create_directories(dir_.path() + "/tsm/report");
    kernel_ = std::make_shared<FakeTsmKernel>(&*td_, "tdx_guest");
    device_ = std::make_shared<FakeTdxGuestDevice>(id_.mrtd);
  }
  TdxGuestOptions Options() const {
    TdxGuestOptions o;
    o.device = device_;
    o.measurements_dir = dir_.path() + "/measurements";
    o.quote.root = dir_.path() + "/tsm/report";
    o.quote.fs = kernel_;
    return o;
  }

  static SimIntelManufacturer* intel_;
  SimTdIdentity id_;
  std::optional<SimTdxPlatform> td_;
  TempDir dir_;
  std::shared_ptr<FakeTsmKernel> kernel_;
  std::shared_ptr<FakeTdxGuestDevice> device_;
};

SimIntelManufacturer* TdxGuestTest::intel_ = nullptr;

TEST_F(TdxGuestTest, QuoteComesFromConfigfsTsmAndAppraisesAffirming) {
  auto platform = TdxGuestPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  // No measurements directory: MRTD is read from a TDREPORT.
  EXPECT_EQ(device_->calls, 1);
  EXPECT_EQ((*platform)->measurement_hex(), td_->measurement_hex());

  auto quote = (*platform)->GetEvidence(Bytes(64, 0x3c));
  TEEPNET_ASSERT_OK(quote);
  auto e = intel_->Endorsements(true, kNow - 3600);
  TEEPNET_ASSERT_OK(e);
  TdxPolicy policy;
  policy.mrtd.push_back(id_.mrtd);
  std::array<uint8_t, 64> expected{};
  expected.fill(0x3c);
  policy.common.report_data = expected;
  auto a = AppraiseTdx(*quote, *e, policy, kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(dir_.CountEntries("tsm/report"), 0u);
}

TEST_F(TdxGuestTest, TdReportCarriesTheReportData) {
  auto platform = TdxGuestPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  auto report = (*platform)->GetTdReport(Bytes{1, 2, 3});
  TEEPNET_ASSERT_OK(report);
  ASSERT_EQ(report->size(), kTdReportSize);
  Bytes expected(64, 0);
  expected[0] = 1, expected[1] = 2, expected[2] = 3;
  EXPECT_EQ(
      Bytes(report->begin() + kTdReportDataOffset, report->begin() + kTdReportDataOffset + 64),
      expected);
}

TEST_F(TdxGuestTest, MeasurementComesFromSysfsWhenPresent) {
  std::array<uint8_t, 48> sysfs{};
  sysfs.fill(0xa5);
  dir_.WriteFile("measurements/mrtd:sha384", sysfs);
  auto platform = TdxGuestPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  EXPECT_EQ(device_->calls, 0);
  EXPECT_EQ((*platform)->measurement_hex(), ToHex(sysfs));

  const std::string hex = ToHex(sysfs) + "\n";
  dir_.WriteFile("measurements/rtmr0:sha384",
                 ByteView(reinterpret_cast<const uint8_t*>(hex.data()), hex.size()));
  auto rtmr0 = (*platform)->ReadMeasurementRegister("rtmr0:sha384");
  TEEPNET_ASSERT_OK(rtmr0);
  EXPECT_EQ(ToHex(*rtmr0), ToHex(sysfs));
  dir_.WriteFile("measurements/rtmr1:sha384", Bytes(47, 0));
  EXPECT_TRUE(
      FailsWith((*platform)->ReadMeasurementRegister("rtmr1:sha384"), Errc::kRealBadResponse));
}

TEST_F(TdxGuestTest, RefusesAConfigfsProviderOtherThanTdxGuest) {
  kernel_ = std::make_shared<FakeTsmKernel>(&*td_, "sev_guest");
  EXPECT_TRUE(FailsWith(TdxGuestPlatform::Open(Options()), Errc::kTsmUnknownProvider));
}

TEST_F(TdxGuestTest, NeedsConfigfsTsmForQuotes) {
  TdxGuestOptions o = Options();
  o.quote.root = dir_.path() + "/no-configfs";
  EXPECT_TRUE(FailsWith(TdxGuestPlatform::Open(std::move(o)), Errc::kRealNotPresent));
}

TEST_F(TdxGuestTest, AMissingDeviceIsNotPresent) {
  TdxGuestOptions o = Options();
  o.device = nullptr;
  o.device_path = dir_.path() + "/tdx_guest";
  EXPECT_TRUE(FailsWith(TdxGuestPlatform::Open(std::move(o)), Errc::kRealNotPresent));
}

}  // namespace
}  // namespace teepnet::attest
