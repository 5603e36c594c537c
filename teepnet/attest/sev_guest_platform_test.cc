#include "teepnet/attest/sev_guest_platform.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "teepnet/attest/configfs_tsm_fake_kernel.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/sev_guest_certs.h"
#include "teepnet/attest/snp_appraiser.h"
#include "teepnet/attest/snp_report.h"
#include "teepnet/attest/snp_sim_platform.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1790000000;

// Stands in for the sev-guest driver and the AMD secure processor: checks each request the way
// the driver does and answers with reports signed by a SimSevSnpPlatform.
class FakeSevGuestDevice final : public SevGuestDevice {
 public:
  explicit FakeSevGuestDevice(SimSevSnpPlatform* sim) : sim_(sim) {}

  uint32_t firmware_status = 0;  // MSG_REPORT_RSP STATUS to answer with
  size_t cert_padding = 0;       // extra bytes after the certificates (forces a bigger buffer)
  int report_calls = 0, ext_report_calls = 0;
  uint32_t last_vmpl = 0;

  int Ioctl(unsigned long request, snp_guest_request_ioctl& arg) override {
    // The driver refuses a zero message version and requests it does not know.
    if (arg.msg_version == 0) return EINVAL;
    if (request != kSnpGetReport && request != kSnpGetExtReport) return ENOTTY;
    const snp_report_req* req;
    const snp_ext_report_req* ext = nullptr;
    if (request == kSnpGetExtReport) {
      ++ext_report_calls;
      ext = reinterpret_cast<const snp_ext_report_req*>(arg.req_data);
      req = &ext->data;
    } else {
      ++report_calls;
      req = reinterpret_cast<const snp_report_req*>(arg.req_data);
    }
    // snp_report_req: "rsvd: must be zero filled"; VMPL 0..3.
    if (std::any_of(std::begin(req->rsvd), std::end(req->rsvd), [](uint8_t b) { return b; }) ||
        req->vmpl > 3) {
      return EINVAL;
    }
    last_vmpl = req->vmpl;

    if (ext != nullptr && ext->certs_len != 0) {
      Bytes table = Table();
      const size_t needed = (table.size() + kSevPageSize - 1) / kSevPageSize * kSevPageSize;
      if (ext->certs_len % kSevPageSize != 0) return EINVAL;
      if (ext->certs_len < needed) {
        const_cast<snp_ext_report_req*>(ext)->certs_len = static_cast<uint32_t>(needed);
        arg.exitinfo2 = uint64_t{kSevVmmErrInvalidLen} << 32;
        return EIO;
      }
      std::memcpy(reinterpret_cast<uint8_t*>(ext->certs_address), table.data(), table.size());
    }

    auto unsigned_report = sim_->UnsignedReport(ByteView(req->user_data, 64));
    if (!unsigned_report.ok()) return EIO;
    unsigned_report->vmpl = req->vmpl;
    auto report = sim_->SignReport(*unsigned_report);
    if (!report.ok()) return EIO;
    ByteWriter rsp;
    rsp.WriteLeU32(firmware_status);
    rsp.WriteLeU32(static_cast<uint32_t>(report->size()));
    rsp.WriteZeros(kMsgReportRspHeaderSize - 8);
    rsp.WriteBytes(*report);
    auto* resp = reinterpret_cast<snp_report_resp*>(arg.resp_data);
    std::memcpy(resp->data, rsp.bytes().data(), rsp.size());
    return 0;
  }

  Bytes Table() const {
    Bytes padding(cert_padding, 0x30);
    std::vector<std::pair<SnpCertKind, ByteView>> entries = {
        {SnpCertKind::kVcek, sim_->vcek().der()},
        {SnpCertKind::kAsk, sim_->ask().der()},
        {SnpCertKind::kArk, sim_->ark().der()}};
    if (cert_padding) entries.push_back({SnpCertKind::kCrl, padding});
    return EncodeSnpCertTable(entries);
  }

 private:
  SimSevSnpPlatform* sim_;
};

class SevGuestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SimSevSnpOptions o;
    o.not_before = kNow - 86400;
    auto p = SimSevSnpPlatform::Create(o);
    ASSERT_TRUE(p.ok());
    sim_ = std::move(p).value().release();
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  void SetUp() override { device_ = std::make_shared<FakeSevGuestDevice>(sim_); }

  SevGuestOptions Options(uint32_t vmpl = 0, bool extended = true) const {
    SevGuestOptions o;
    o.device = device_;
    o.vmpl = vmpl;
    o.extended_report = extended;
    return o;
  }
  static SnpPolicy PolicyFor(ByteView report_data, uint32_t vmpl) {
    SnpPolicy policy;
    policy.measurements.push_back(*FromHex(sim_->measurement_hex()));
    policy.report_data = Bytes(64, 0);
    std::copy(report_data.begin(), report_data.end(), policy.report_data->begin());
    policy.vmpl = vmpl;
    policy.min_tcb = {0, 7, 0, 14, 72};
    return policy;
  }

  static SimSevSnpPlatform* sim_;
  std::shared_ptr<FakeSevGuestDevice> device_;
};

SimSevSnpPlatform* SevGuestTest::sim_ = nullptr;

TEST_F(SevGuestTest, ExtendedReportAppraisesAffirmingWithItsCertificateTable) {
  auto platform = SevGuestPlatform::Open(Options(/*vmpl=*/1));
  TEEPNET_ASSERT_OK(platform);
  EXPECT_EQ((*platform)->measurement_hex(), sim_->measurement_hex());
  const Bytes nonce(48, 0x6b);
  auto report = (*platform)->GetEvidence(nonce);
  TEEPNET_ASSERT_OK(report);
  EXPECT_EQ(report->size(), kSnpReportSize);
  EXPECT_EQ(device_->ext_report_calls, 1);
  EXPECT_EQ(device_->last_vmpl, 1u);

  auto endorsements = SnpEndorsementsFromCertTable((*platform)->last_cert_table(), {sim_->ark()});
  TEEPNET_ASSERT_OK(endorsements);
  auto a = AppraiseSnp(*report, *endorsements, PolicyFor(nonce, 1), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->claims.at("vmpl"), "1");
}

TEST_F(SevGuestTest, BareReportAppraisesWithoutCertificates) {
  auto platform = SevGuestPlatform::Open(Options(0, /*extended=*/false));
  TEEPNET_ASSERT_OK(platform);
  auto report = (*platform)->GetEvidence(Bytes{1, 2, 3});
  TEEPNET_ASSERT_OK(report);
  EXPECT_EQ(device_->ext_report_calls, 0);
  EXPECT_EQ(device_->report_calls, 2);  // Open's measurement probe + this one
  EXPECT_TRUE((*platform)->last_cert_table().empty());
  auto a = AppraiseSnp(*report, sim_->endorsements(), PolicyFor(Bytes{1, 2, 3}, 0), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
}

TEST_F(SevGuestTest, RepeatsTheRequestWithTheCertificateSizeTheHostNames) {
  device_->cert_padding = 3 * kSevPageSize;  // needs 4 pages; 2 are offered first
  auto platform = SevGuestPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  auto report = (*platform)->GetEvidence(Bytes{9});
  TEEPNET_ASSERT_OK(report);
  EXPECT_EQ(device_->ext_report_calls, 2);
  EXPECT_EQ((*platform)->last_cert_table().size(), 4 * kSevPageSize);
  TEEPNET_EXPECT_OK(SnpEndorsementsFromCertTable((*platform)->last_cert_table(), {sim_->ark()}));
}

TEST_F(SevGuestTest, RefusesACertificateTableOverTheDriverLimit) {
  device_->cert_padding = kSnpCertTableMax;
  auto platform = SevGuestPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  EXPECT_TRUE(FailsWith((*platform)->GetEvidence(Bytes{9}), Errc::kRealBlobTooLarge));
}

TEST_F(SevGuestTest, AFirmwareErrorStatusIsABadResponse) {
  device_->firmware_status = 0x16;  // INVALID_PARAMETERS
  EXPECT_TRUE(FailsWith(SevGuestPlatform::Open(Options()), Errc::kRealBadResponse));
}

TEST_F(SevGuestTest, RefusesVmplAboveThreeAndReportDataOver64Bytes) {
  EXPECT_TRUE(FailsWith(SevGuestPlatform::Open(Options(4)), Errc::kRealBadArgument));
  auto platform = SevGuestPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  EXPECT_TRUE(FailsWith((*platform)->GetEvidence(Bytes(65, 0)), Errc::kRealBadArgument));
}

TEST_F(SevGuestTest, AMissingDeviceIsNotPresent) {
  testing::TempDir dir;
  SevGuestOptions o;
  o.device_path = dir.path() + "/sev-guest";
  EXPECT_TRUE(FailsWith(SevGuestPlatform::Open(std::move(o)), Errc::kRealNotPresent));
}

TEST_F(SevGuestTest, TheTablesArkIsNeverTheTrustAnchor) {
  SimSevSnpOptions o;
  o.not_before = kNow - 86400;
  auto other = SimSevSnpPlatform::Create(o);
  TEEPNET_ASSERT_OK(other);
  auto platform = SevGuestPlatform::Open(Options());
  TEEPNET_ASSERT_OK(platform);
  auto report = (*platform)->GetEvidence(Bytes{});
  TEEPNET_ASSERT_OK(report);
  // The table carries the platform's own ARK, but the caller pinned another one.
  auto endorsements =
      SnpEndorsementsFromCertTable((*platform)->last_cert_table(), {(*other)->ark()});
  TEEPNET_ASSERT_OK(endorsements);
  ASSERT_EQ(endorsements->roots.size(), 1u);
  EXPECT_EQ(endorsements->roots[0].der(), (*other)->ark().der());
  auto a = AppraiseSnp(*report, *endorsements, PolicyFor({}, 0), kNow);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST(SnpCertTable, ParsesEntriesAndStopsAtTheTerminator) {
  const Bytes vcek = {1, 2, 3}, other = {4, 5};
  Bytes table = EncodeSnpCertTable({{SnpCertKind::kVcek, vcek}, {SnpCertKind::kUnknown, other}});
  auto entries = ParseSnpCertTable(table);
  TEEPNET_ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].kind, SnpCertKind::kVcek);
  EXPECT_EQ(Bytes((*entries)[0].data.begin(), (*entries)[0].data.end()), vcek);
  EXPECT_EQ((*entries)[1].kind, SnpCertKind::kUnknown);
  EXPECT_EQ(ToHex(GuidOf(SnpCertKind::kVcek)), "63da758de6644564adc5f4b93be8accd");
}

TEST(SnpCertTable, RefusesATableWithoutTerminator) {
  Bytes table = EncodeSnpCertTable({{SnpCertKind::kVcek, Bytes{1}}});
  table.resize(24);  // only the first entry header
  EXPECT_TRUE(FailsWith(ParseSnpCertTable(table), Errc::kSnpBadCertTable));
}

TEST(SnpCertTable, RefusesAnEntryOutsideTheBuffer) {
  Bytes table = EncodeSnpCertTable({{SnpCertKind::kVcek, Bytes(10, 1)}});
  table.resize(table.size() - 1);
  EXPECT_TRUE(FailsWith(ParseSnpCertTable(table), Errc::kSnpBadCertTable));
}

TEST(SnpCertTable, RefusesTheSameKindTwice) {
  Bytes table =
      EncodeSnpCertTable({{SnpCertKind::kVcek, Bytes{1}}, {SnpCertKind::kVcek, Bytes{2}}});
  EXPECT_TRUE(FailsWith(ParseSnpCertTable(table), Errc::kSnpBadCertTable));
}

TEST(SnpCertTable, EndorsementsNeedALeaf) {
  Bytes table = EncodeSnpCertTable({{SnpCertKind::kArk, Bytes{1}}});
  EXPECT_TRUE(FailsWith(SnpEndorsementsFromCertTable(table, {}), Errc::kSnpBadCertTable));
}

TEST(MsgReportRsp, RefusesAWrongReportSize) {
  ByteWriter w;
  w.WriteLeU32(0);
  w.WriteLeU32(100);
  w.WriteZeros(4000 - 8);
  EXPECT_TRUE(FailsWith(ReportFromMsgReportRsp(w.bytes()), Errc::kRealBadResponse));
}

}  // namespace
}  // namespace teepnet::attest
