#include "teepnet/workloads/onprem_verifier/messages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "teepnet/cbor/writer.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/onprem_verifier/errc.h"

namespace teepnet::workloads::onprem_verifier {
namespace {

using teepnet::testing::FailsWith;

VendorInput SampleVendor() {
  VendorInput v;
  v.label = "acme";
  v.psa_anchors.push_back(PsaAnchor{Bytes(32, 1), Bytes(33, 2), Bytes(91, 3)});
  v.psa_references.push_back(PsaReference{Bytes(32, 1), "BL", "1.0.0", Bytes(32, 4), Bytes(32, 5)});
  v.snp_roots.push_back(Bytes(700, 6));
  v.snp_intermediates.push_back(Bytes(700, 7));
  v.snp_leaves.push_back(Bytes(900, 8));
  v.policies.emplace("psa", "{}");
  v.policies.emplace("snp", "{\"vmpl\":0}");
  v.policies.emplace("cca", "{}");
  return v;
}

IspInput SampleIsp() {
  IspInput in;
  in.label = "isp";
  in.routers.push_back(RouterEvidence{"arm-edge-001", Bytes(32, 9), Bytes(500, 10)});
  in.routers.push_back(RouterEvidence{"x86-core.2", Bytes(64, 11), Bytes(1184, 12)});
  return in;
}

IspOutput SampleOutput() {
  IspOutput out;
  RouterResult ok;
  ok.name = "arm-edge-001";
  ok.status = RouterStatus::kAffirming;
  ok.format = "psa";
  ok.trust = {2, 2, 2, 0, 2, 0, 0, 0};
  ok.evidence_digest = Bytes(32, 1);
  RouterResult bad;
  bad.name = "x86-core-002";
  bad.status = RouterStatus::kContraindicated;
  bad.format = "snp";
  bad.trust = {96, 2, -97, 0, 2, 0, 0, 0};
  bad.notes = {"MEASUREMENT is not a reference value"};
  bad.evidence_digest = Bytes(32, 2);
  out.results = {ok, bad};
  out.policy_refs = {{"psa", "p@sha256:00"}, {"snp", "s@sha256:11"}};
  out.appraisal_nanos = 123456789;
  return out;
}

// An isp-input whose routers list is written by hand, to build what the encoder refuses.
Bytes IspInputWith(const std::vector<RouterEvidence>& routers, size_t declared) {
  cbor::Writer w;
  w.WriteMapHeader(2);
  w.WriteUint(1);
  w.WriteText("isp");
  w.WriteUint(2);
  w.WriteArrayHeader(declared);
  for (const RouterEvidence& r : routers) {
    w.WriteArrayHeader(3);
    w.WriteText(r.name);
    w.WriteBytes(r.nonce);
    w.WriteBytes(r.evidence);
  }
  return std::move(w).Take();
}

TEST(OnpremVerifierMessages, VendorInputRoundTrips) {
  auto bytes = EncodeVendorInput(SampleVendor());
  TEEPNET_ASSERT_OK(bytes);
  auto back = DecodeVendorInput(*bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, SampleVendor());
}

TEST(OnpremVerifierMessages, IspInputRoundTrips) {
  auto bytes = EncodeIspInput(SampleIsp());
  TEEPNET_ASSERT_OK(bytes);
  auto back = DecodeIspInput(*bytes);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, SampleIsp());
}

TEST(OnpremVerifierMessages, OutputsRoundTrip) {
  auto isp = EncodeIspOutput(SampleOutput());
  TEEPNET_ASSERT_OK(isp);
  auto back = DecodeIspOutput(*isp);
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, SampleOutput());
  auto vendor = EncodeVendorOutput(VendorOutput{17});
  TEEPNET_ASSERT_OK(vendor);
  auto count = DecodeVendorOutput(*vendor);
  TEEPNET_ASSERT_OK(count);
  EXPECT_EQ(count->appraised, 17u);
}

TEST(OnpremVerifierMessages, RefusesTrailingBytesAfterEachMessage) {
  Bytes vendor = *EncodeVendorInput(SampleVendor());
  Bytes isp = *EncodeIspInput(SampleIsp());
  Bytes out = *EncodeIspOutput(SampleOutput());
  Bytes count = *EncodeVendorOutput(VendorOutput{1});
  for (Bytes* b : {&vendor, &isp, &out, &count}) b->push_back(0x00);
  EXPECT_TRUE(FailsWith(DecodeVendorInput(vendor), Errc::kMalformed));
  EXPECT_TRUE(FailsWith(DecodeIspInput(isp), Errc::kMalformed));
  EXPECT_TRUE(FailsWith(DecodeIspOutput(out), Errc::kMalformed));
  EXPECT_TRUE(FailsWith(DecodeVendorOutput(count), Errc::kMalformed));
}

TEST(OnpremVerifierMessages, RefusesEveryTruncation) {
  Bytes isp = *EncodeIspInput(SampleIsp());
  for (size_t n = 0; n < isp.size(); ++n) {
    EXPECT_TRUE(FailsWith(DecodeIspInput(ByteView(isp).first(n)), Errc::kMalformed)) << n;
  }
}

TEST(OnpremVerifierMessages, RefusesMapKeysOutOfOrder) {
  cbor::Writer w;
  w.WriteMapHeader(2);
  w.WriteUint(2);
  w.WriteArrayHeader(0);
  w.WriteUint(1);
  w.WriteText("isp");
  auto r = DecodeIspInput(w.bytes());
  EXPECT_TRUE(FailsWith(r, Errc::kMalformed));
  EXPECT_EQ(r.error().offset(), 1u);
}

TEST(OnpremVerifierMessages, RefusesANonPreferredKeyEncoding) {
  Bytes isp = *EncodeIspInput(SampleIsp());
  // 0xa2 0x01 ... -> 0xa2 0x18 0x01 ...: the key 1 in a two-byte head.
  isp.insert(isp.begin() + 1, 0x18);
  EXPECT_TRUE(FailsWith(DecodeIspInput(isp), Errc::kMalformed));
}

TEST(OnpremVerifierMessages, RefusesIndefiniteLengthRouterLists) {
  cbor::Writer w;
  w.WriteMapHeader(2);
  w.WriteUint(1);
  w.WriteText("isp");
  w.WriteUint(2);
  w.WriteIndefiniteHeader(cbor::MajorType::kArray);
  w.WriteArrayHeader(3);
  w.WriteText("r1");
  w.WriteBytes(Bytes(32, 1));
  w.WriteBytes(Bytes(10, 1));
  w.WriteBreak();
  EXPECT_TRUE(FailsWith(DecodeIspInput(w.bytes()), Errc::kMalformed));
}

TEST(OnpremVerifierMessages, RefusesAnEmptyBatch) {
  EXPECT_TRUE(FailsWith(DecodeIspInput(IspInputWith({}, 0)), Errc::kMalformed));
  IspInput empty;
  EXPECT_TRUE(FailsWith(EncodeIspInput(empty), Errc::kMalformed));
}

TEST(OnpremVerifierMessages, RefusesMoreRoutersThanTheLimit) {
  std::vector<RouterEvidence> routers;
  for (size_t i = 0; i <= kMaxRouters; ++i) {
    routers.push_back({"r" + std::to_string(i), Bytes(8, 1), Bytes(1, 2)});
  }
  auto r = DecodeIspInput(IspInputWith(routers, routers.size()));
  EXPECT_TRUE(FailsWith(r, Errc::kTooLarge));
}

TEST(OnpremVerifierMessages, RefusesTwoRoutersWithOneName) {
  RouterEvidence r{"twin", Bytes(32, 1), Bytes(10, 2)};
  EXPECT_TRUE(FailsWith(DecodeIspInput(IspInputWith({r, r}, 2)), Errc::kDuplicateName));
  IspInput in;
  in.routers = {r, r};
  EXPECT_TRUE(FailsWith(EncodeIspInput(in), Errc::kDuplicateName));
}

TEST(OnpremVerifierMessages, RefusesRouterNamesOutsideTheAlphabet) {
  for (const char* name : {"", "has space", "slash/name", "caf\xc3\xa9"}) {
    RouterEvidence r{name, Bytes(32, 1), Bytes(10, 2)};
    EXPECT_TRUE(FailsWith(DecodeIspInput(IspInputWith({r}, 1)), Errc::kMalformed)) << name;
  }
}

TEST(OnpremVerifierMessages, RefusesNoncesShorterThanEightOrLongerThanSixtyFourBytes) {
  EXPECT_TRUE(FailsWith(DecodeIspInput(IspInputWith({{"r", Bytes(7, 1), Bytes(10, 2)}}, 1)),
                        Errc::kMalformed));
  EXPECT_TRUE(FailsWith(DecodeIspInput(IspInputWith({{"r", Bytes(65, 1), Bytes(10, 2)}}, 1)),
                        Errc::kTooLarge));
}

TEST(OnpremVerifierMessages, RefusesEvidenceBeyondItsLimit) {
  auto r = DecodeIspInput(IspInputWith({{"r", Bytes(32, 1), Bytes(kMaxEvidenceBytes + 1, 2)}}, 1));
  EXPECT_TRUE(FailsWith(r, Errc::kTooLarge));
}

TEST(OnpremVerifierMessages, RefusesAStatusThatIsNotTheTierOfItsTrustVector) {
  IspOutput out = SampleOutput();
  Bytes good = *EncodeIspOutput(out);
  out.results[1].status = RouterStatus::kAffirming;
  EXPECT_TRUE(FailsWith(EncodeIspOutput(out), Errc::kInconsistent));
  // The same lie written by hand: the contraindicated result's status byte (3) set to 1.
  Bytes name = ToBytes(std::string_view("x86-core-002"));
  auto at = std::search(good.begin(), good.end(), name.begin(), name.end());
  ASSERT_NE(at, good.end());
  auto status = at + static_cast<std::ptrdiff_t>(name.size());
  ASSERT_EQ(*status, 0x03);
  *status = 0x01;
  EXPECT_TRUE(FailsWith(DecodeIspOutput(good), Errc::kInconsistent));
}

TEST(OnpremVerifierMessages, RefusesPolicyKeysOutOfDeterministicOrder) {
  Bytes vendor = *EncodeVendorInput(SampleVendor());
  // Deterministic order puts "cca" < "psa" < "snp"; swap the first two keys in place.
  Bytes cca = {0x63, 'c', 'c', 'a'};
  auto at = std::search(vendor.begin(), vendor.end(), cca.begin(), cca.end());
  ASSERT_NE(at, vendor.end());
  std::copy_n("psa", 3, at + 1);
  EXPECT_TRUE(FailsWith(DecodeVendorInput(vendor), Errc::kMalformed));
}

TEST(OnpremVerifierMessages, EncodesPolicyKeysShortestFirst) {
  VendorInput v = SampleVendor();
  v.policies.clear();
  v.policies.emplace("snp", "{}");
  v.policies.emplace("psa", "{}");
  v.policies.emplace("cc", "{}");  // not a format name, but a shorter key sorts first
  auto bytes = EncodeVendorInput(v);
  TEEPNET_ASSERT_OK(bytes);
  TEEPNET_EXPECT_OK(DecodeVendorInput(*bytes));
}

TEST(OnpremVerifierMessages, RefusesTrustClaimsOutsideTheInt8Range) {
  cbor::Writer w;
  w.WriteMapHeader(3);
  w.WriteUint(1);
  w.WriteArrayHeader(1);
  w.WriteArrayHeader(6);
  w.WriteText("r");
  w.WriteUint(3);
  w.WriteText("psa");
  w.WriteArrayHeader(8);
  w.WriteInt(200);
  for (int i = 0; i < 7; ++i) w.WriteInt(0);
  w.WriteArrayHeader(0);
  w.WriteBytes(Bytes(32, 0));
  w.WriteUint(2);
  w.WriteMapHeader(0);
  w.WriteUint(3);
  w.WriteUint(0);
  EXPECT_TRUE(FailsWith(DecodeIspOutput(w.bytes()), Errc::kMalformed));
}

TEST(OnpremVerifierMessages, RefusesMoreNotesThanTheLimit) {
  IspOutput out = SampleOutput();
  out.results[1].notes.assign(kMaxNotes + 1, "n");
  EXPECT_TRUE(FailsWith(EncodeIspOutput(out), Errc::kTooLarge));
}

TEST(OnpremVerifierMessages, RefusesACountBeyondTheBatchLimit) {
  cbor::Writer w;
  w.WriteMapHeader(1);
  w.WriteUint(1);
  w.WriteUint(kMaxRouters + 1);
  EXPECT_TRUE(FailsWith(DecodeVendorOutput(w.bytes()), Errc::kMalformed));
}

TEST(OnpremVerifierMessages, MapsEveryTierToItsStatus) {
  EXPECT_EQ(StatusOfTier(attest::Tier::kNone), RouterStatus::kNone);
  EXPECT_EQ(StatusOfTier(attest::Tier::kAffirming), RouterStatus::kAffirming);
  EXPECT_EQ(StatusOfTier(attest::Tier::kWarning), RouterStatus::kWarning);
  EXPECT_EQ(StatusOfTier(attest::Tier::kContraindicated), RouterStatus::kContraindicated);
  EXPECT_EQ(RouterStatusName(RouterStatus::kContraindicated), "contraindicated");
  TrustClaims c = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(ClaimsOf(TrustVectorOf(c)), c);
}

// The fuzzer's seeds (fuzz/corpus/onprem_verifier_fuzzer, first byte = message selector) are
// valid messages, so fuzzing starts from inputs that reach every decoder's far end.
TEST(OnpremVerifierMessages, CommittedFuzzSeedsDecode) {
  const char* root = std::getenv("TEEPNET_SOURCE_DIR");
  ASSERT_NE(root, nullptr);
  auto seed = [&](const char* name) {
    std::ifstream in(std::string(root) + "/fuzz/corpus/onprem_verifier_fuzzer/" + name,
                     std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_FALSE(b.empty()) << name;
    if (!b.empty()) b.erase(b.begin());
    return b;
  };
  TEEPNET_EXPECT_OK(DecodeVendorInput(seed("vendor_input.bin")));
  TEEPNET_EXPECT_OK(DecodeIspInput(seed("isp_input.bin")));
  TEEPNET_EXPECT_OK(DecodeIspOutput(seed("isp_output.bin")));
  TEEPNET_EXPECT_OK(DecodeVendorOutput(seed("vendor_output.bin")));
  EXPECT_TRUE(FailsWith(DecodeIspInput(seed("isp_input_trailing.bin")), Errc::kMalformed));
}

}  // namespace
}  // namespace teepnet::workloads::onprem_verifier
