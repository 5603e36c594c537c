// Every genuine DCAP quote in shared/vectors/attestation/{sgx,tdx} appraised with the
// collateral its README pairs it with, at a time inside every document's validity window
// (all public collateral has expired, so the time is a parameter). Then the negative sweeps of
// issue 4: any single flipped bit of a signed region, another chip's PCK chain, collateral for
// the wrong platform, each of which must be contraindicated and never crash.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "teepnet/attest/dcap_appraise.h"
#include "teepnet/attest/dcap_json_span.h"
#include "teepnet/attest/dcap_quote.h"
#include "teepnet/attest/dcap_quote_writer.h"
#include "teepnet/attest/errc.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;
using teepnet::testing::ReadVectorFile;

constexpr int64_t k2025July1 = 1751328000;   // 2025-07-01T00:00:00Z
constexpr int64_t k2025Nov1 = 1761955200;    // 2025-11-01T00:00:00Z
constexpr int64_t k2026March1 = 1772323200;  // 2026-03-01T00:00:00Z

std::string Text(const std::string& path) {
  Bytes b = ReadVectorFile(path);
  return std::string(b.begin(), b.end());
}

DcapEndorsements Collateral(const std::string& path) {
  auto e = DcapEndorsements::FromCollateralJson(ReadVectorFile(path));
  if (!e.ok()) ADD_FAILURE() << e.error().ToString();
  return *e;
}

// A PCS-shaped response body rebuilt around a dcap-qvl signed string (the signed bytes are
// the string itself, so wrapping it changes nothing that is signed).
Bytes PcsBody(const std::string& member, const std::string& value, const std::string& sig) {
  return ToBytes("{\"" + member + "\":" + value + ",\"signature\":\"" + sig + "\"}");
}

struct Pairing {
  std::string name;
  std::string quote;
  std::function<DcapEndorsements()> endorsements;
  int64_t at;
  bool require_crls;
  // False when the platform's PCK SVNs meet no level of the paired TCB Info: dcap-qvl's
  // "outdated" TDX quote has SGX component 8 (SEAMLDR ACM) = 3 while every level of its
  // collateral requires 5, so the only correct outcome is "TCB not supported".
  bool tcb_level_exists;
};

std::vector<Pairing> Pairings() {
  const std::string sgx = "attestation/sgx/", tdx = "attestation/tdx/";
  auto dcapqvl_tdx = [=] { return Collateral(tdx + "dcapqvl-tdx_quote_collateral.json"); };
  auto outdated = [=] { return Collateral(tdx + "dcapqvl-tdx_quote_outdated_collateral.json"); };
  return {
      {"DcapQvlSgxV3", sgx + "dcapqvl-sgx_quote.bin",
       [=] { return Collateral(sgx + "dcapqvl-sgx_quote_collateral.json"); }, k2025July1, true,
       true},
      {"DcapQvlTdxV4", tdx + "dcapqvl-tdx_quote.bin", dcapqvl_tdx, k2025July1, true, true},
      {"DcapQvlTdxV5Outdated", tdx + "dcapqvl-tdx_quote_outdated.bin", outdated, k2026March1, true,
       false},
      // go-tdx-guest's v5 sample with its v5 TCB Info, and the TD_QE identity, CRLs and
      // signing chain current at the same time (from the dcap-qvl 2026 bundle).
      {"GoTdxGuestV5", tdx + "gotdxguest-quote_v5_sample.dat",
       [=] {
         auto o = outdated().parts();
         nlohmann::json c =
             nlohmann::json::parse(Text(tdx + "dcapqvl-tdx_quote_outdated_collateral.json"));
         std::string chain = c["tcb_info_issuer_chain"];
         auto e = DcapEndorsements::FromPcsResponses(
             ReadVectorFile(tdx + "gotdxguest-sample_tcbinfo_response_v5.json"),
             PcsBody("enclaveIdentity", c["qe_identity"], c["qe_identity_signature"]), chain, {});
         DcapEndorsements::Parts p = e->parts();
         p.crls = o.crls;
         return DcapEndorsements::FromParts(p);
       },
       k2026March1, true, true},
      // trustee quote_6 with trustee's PCS bodies; no PCK Platform CA CRL in the vectors is
      // current in Nov 2025, so this pairing runs with require_crls = false (root CRL only).
      {"TrusteeQuote6", tdx + "trustee-tdx_quote_6.dat",
       [=] {
         nlohmann::json c = nlohmann::json::parse(Text(tdx + "dcapqvl-tdx_quote_collateral.json"));
         std::string chain = c["tcb_info_issuer_chain"];
         auto e = DcapEndorsements::FromPcsResponses(
             ReadVectorFile(tdx + "trustee-tcbInfo.json"),
             ReadVectorFile(tdx + "trustee-enclaveIdentity.json"), chain,
             {teepnet::testing::HexOrDie(c["root_ca_crl"])});
         return *e;
       },
       k2025Nov1, false, true},
  };
}

class DcapGenuineTest : public ::testing::TestWithParam<Pairing> {};

Result<Appraisal> Appraise(ByteView quote, const DcapEndorsements& e, int64_t at, bool require_crls,
                           DcapVerificationCache* cache = nullptr) {
  auto q = ParseDcapQuote(quote);
  if (!q.ok()) return q.error();
  if (q->td) {
    TdxPolicy p;
    p.common.require_crls = require_crls;
    return AppraiseTdx(quote, e, p, at, cache);
  }
  SgxPolicy p;
  p.common.require_crls = require_crls;
  return AppraiseSgx(quote, e, p, at, cache);
}

std::string Notes(const Appraisal& a) {
  std::string s;
  for (const auto& n : a.notes) s += "\n  " + n;
  return s;
}

TEST_P(DcapGenuineTest, AppraisesWithItsCollateralAtAValidTime) {
  const Pairing& v = GetParam();
  Bytes quote = ReadVectorFile(v.quote);
  auto a = Appraise(quote, v.endorsements(), v.at, v.require_crls);
  TEEPNET_ASSERT_OK(a);
  // Every signature, chain and binding check passed, and the TCB matched a level.
  EXPECT_EQ(a->trust.instance_identity, ar4si::kAffirming) << Notes(*a);
  EXPECT_EQ(TierOf(a->trust.configuration), Tier::kAffirming) << Notes(*a);
  EXPECT_FALSE(a->claims["qe_tcb_status"].empty()) << Notes(*a);
  if (v.tcb_level_exists) {
    EXPECT_NE(TierOf(a->trust.hardware), Tier::kContraindicated) << Notes(*a);
    EXPECT_NE(a->Overall(), Tier::kContraindicated) << Notes(*a);
    EXPECT_FALSE(a->claims["tcb_status"].empty()) << Notes(*a);
  } else {
    EXPECT_EQ(a->trust.hardware, ar4si::kHardwareContraindicated) << Notes(*a);
    EXPECT_TRUE(a->claims["tcb_status"].empty());
  }
  EXPECT_EQ(a->claims["debug"], "false");
  std::cout << v.name << ": tcb_status=" << a->claims["tcb_status"]
            << " platform=" << a->claims["platform_tcb_status"]
            << " qe=" << a->claims["qe_tcb_status"]
            << " module=" << a->claims["tdx_module_tcb_status"]
            << " advisories=" << a->claims["advisory_ids"]
            << " trailing=" << a->claims["trailing_bytes"] << Notes(*a) << "\n";
}

TEST_P(DcapGenuineTest, EveryFlippedBitOfTheSignedRegionIsContraindicated) {
  const Pairing& v = GetParam();
  Bytes quote = ReadVectorFile(v.quote);
  DcapEndorsements e = v.endorsements();
  auto parsed = ParseDcapQuote(quote);
  TEEPNET_ASSERT_OK(parsed);
  size_t signed_size = parsed->signed_region.size();
  DcapVerificationCache cache;
  // Header + body (quote signature), and the QE report (QE report signature).
  size_t qe_at = signed_size + 4 + 128;
  for (size_t bit = 0; bit < (signed_size + 384) * 8; ++bit) {
    size_t byte = bit / 8 < signed_size ? bit / 8 : qe_at + (bit / 8 - signed_size);
    Bytes m = quote;
    m[byte] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto a = Appraise(m, e, v.at, v.require_crls, &cache);
    if (!a.ok()) continue;  // a header flip may make the quote unparseable: also a rejection
    ASSERT_EQ(a->Overall(), Tier::kContraindicated) << "byte " << byte << " bit " << bit % 8;
  }
}

TEST_P(DcapGenuineTest, CollateralAtAnExpiredTimeIsContraindicated) {
  const Pairing& v = GetParam();
  auto a =
      Appraise(ReadVectorFile(v.quote), v.endorsements(), v.at + 400LL * 86400, v.require_crls);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST_P(DcapGenuineTest, EveryTruncationFailsWithoutCrashing) {
  Bytes quote = ReadVectorFile(GetParam().quote);
  auto full = ParseDcapQuote(quote);
  TEEPNET_ASSERT_OK(full);
  size_t end = quote.size() - full->trailing.size();
  for (size_t n = 0; n < end; ++n) {
    auto r = ParseDcapQuote(ByteView(quote).first(n));
    ASSERT_FALSE(r.ok()) << "prefix " << n;
    EXPECT_TRUE(r.error().has_offset());
  }
}

INSTANTIATE_TEST_SUITE_P(Genuine, DcapGenuineTest, ::testing::ValuesIn(Pairings()),
                         [](const auto& p) { return p.param.name; });

// trustee quote_4 pairs with go-tdx-guest's June 2023 TCB Info / QE Identity / CRLs, but the
// only Intel SGX TCB Signing certificate in the vectors (from the dcap-qvl bundles) is valid
// from 2025-05-06, so no instant exists at which all of its endorsements were valid. At the
// collateral's own time the quote's signatures, PCK chain (with both 2023 CRLs) and QE binding
// verify, and the collateral is contraindicated because its signing chain is not yet valid.
TEST(DcapPairingTest, TrusteeQuote4VerifiesButHasNoCollateralChainValidIn2023) {
  const std::string tdx = "attestation/tdx/";
  nlohmann::json c = nlohmann::json::parse(Text(tdx + "dcapqvl-tdx_quote_collateral.json"));
  std::string chain = c["tcb_info_issuer_chain"];
  auto e = DcapEndorsements::FromPcsResponses(
      ReadVectorFile(tdx + "gotdxguest-sample_tcbInfo_response.json"),
      ReadVectorFile(tdx + "gotdxguest-sample_qeIdentity_response.json"), chain,
      {ReadVectorFile(tdx + "gotdxguest-rootcrl.der"),
       ReadVectorFile(tdx + "gotdxguest-pckcrl.der")});
  TEEPNET_ASSERT_OK(e);
  constexpr int64_t k2023June20 = 1687219200;
  auto a =
      AppraiseTdx(ReadVectorFile(tdx + "trustee-tdx_quote_4.dat"), *e, TdxPolicy{}, k2023June20);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kAffirming) << Notes(*a);
  EXPECT_EQ(a->trust.hardware, ar4si::kCryptoValidationFailed) << Notes(*a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

// Quote A's body and signatures with quote B's PCK chain: the QE report signature must fail.
TEST(DcapPairingTest, ReportWithAnotherChipsCertificateIsContraindicated) {
  Bytes a_bytes = ReadVectorFile("attestation/tdx/dcapqvl-tdx_quote.bin");
  Bytes b_bytes = ReadVectorFile("attestation/tdx/trustee-tdx_quote_6.dat");
  auto a = ParseDcapQuote(a_bytes);
  auto b = ParseDcapQuote(b_bytes);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  DcapSignatureParts s{a->quote_signature, a->attestation_key,
                       a->qe_report.raw,   a->qe_report_signature,
                       a->qe_auth_data,    5,
                       b->cert_data};
  Bytes swapped = AssembleDcapQuote(4, a->signed_region, s);
  auto e = Collateral("attestation/tdx/dcapqvl-tdx_quote_collateral.json");
  auto r = AppraiseTdx(swapped, e, TdxPolicy{}, k2025July1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->trust.instance_identity, ar4si::kCryptoValidationFailed) << Notes(*r);
  EXPECT_EQ(r->Overall(), Tier::kContraindicated);
  // Re-assembling with its own chain gives back the genuine quote (the writer is faithful).
  DcapSignatureParts own = s;
  own.cert_data = a->cert_data;
  Bytes same = AssembleDcapQuote(4, a->signed_region, own);
  EXPECT_TRUE(Equal(same, ByteView(a_bytes).first(same.size())));
}

TEST(DcapPairingTest, CollateralForAnotherFmspcIsContraindicated) {
  // The dcap-qvl TDX quote (FMSPC B0C06F000000) with trustee's collateral (00A06D080000).
  Bytes quote = ReadVectorFile("attestation/tdx/dcapqvl-tdx_quote.bin");
  auto e = Collateral("attestation/tdx/dcapqvl-tdx_quote_outdated_collateral.json");
  auto r = AppraiseTdx(quote, e, TdxPolicy{}, k2026March1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->Overall(), Tier::kContraindicated) << Notes(*r);
}

TEST(DcapPairingTest, SgxCollateralForATdxQuoteIsContraindicated) {
  Bytes quote = ReadVectorFile("attestation/tdx/dcapqvl-tdx_quote.bin");
  auto e = Collateral("attestation/sgx/dcapqvl-sgx_quote_collateral.json");
  auto r = AppraiseTdx(quote, e, TdxPolicy{}, k2025July1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->Overall(), Tier::kContraindicated);
}

TEST(DcapPairingTest, WrongRootPinIsContraindicated) {
  Bytes quote = ReadVectorFile("attestation/sgx/dcapqvl-sgx_quote.bin");
  auto e = Collateral("attestation/sgx/dcapqvl-sgx_quote_collateral.json");
  std::array<uint8_t, 32> other{};
  auto r = AppraiseSgx(quote, e.WithRootPin(other), SgxPolicy{}, k2025July1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->trust.instance_identity, ar4si::kCryptoValidationFailed);
}

TEST(DcapPairingTest, TdxQuoteGivenToTheSgxAppraiserFails) {
  Bytes quote = ReadVectorFile("attestation/tdx/dcapqvl-tdx_quote.bin");
  auto e = Collateral("attestation/tdx/dcapqvl-tdx_quote_collateral.json");
  EXPECT_TRUE(
      FailsWith(AppraiseSgx(quote, e, SgxPolicy{}, k2025July1), Errc::kDcapUnsupportedTeeType));
}

// The trailing-bytes rule: genuine zero padding (trustee quote_6, dcap-qvl tdx_quote carry 70
// zero bytes) is accepted; non-zero bytes are contraindicated by default and a warning under
// "warn"; "reject" refuses even zero padding.
TEST(DcapTrailingBytesTest, GenuineZeroPaddingIsAccepted) {
  Bytes quote = ReadVectorFile("attestation/tdx/dcapqvl-tdx_quote.bin");
  auto e = Collateral("attestation/tdx/dcapqvl-tdx_quote_collateral.json");
  auto r = AppraiseTdx(quote, e, TdxPolicy{}, k2025July1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->claims["trailing_bytes"], "70 zero");
  EXPECT_EQ(TierOf(r->trust.configuration), Tier::kAffirming);
}

TEST(DcapTrailingBytesTest, NonZeroTrailingBytesFollowThePolicyRule) {
  Bytes quote = ReadVectorFile("attestation/tdx/dcapqvl-tdx_quote.bin");
  quote.back() = 'x';
  auto e = Collateral("attestation/tdx/dcapqvl-tdx_quote_collateral.json");
  TdxPolicy p;
  auto strict = AppraiseTdx(quote, e, p, k2025July1);
  TEEPNET_ASSERT_OK(strict);
  EXPECT_EQ(TierOf(strict->trust.configuration), Tier::kContraindicated);
  p.common.trailing_bytes = TrailingBytesRule::kWarn;
  auto warn = AppraiseTdx(quote, e, p, k2025July1);
  TEEPNET_ASSERT_OK(warn);
  EXPECT_EQ(TierOf(warn->trust.configuration), Tier::kWarning);
  EXPECT_EQ(warn->Overall(), Tier::kWarning);
}

TEST(DcapTrailingBytesTest, RejectRuleRefusesEvenZeroPadding) {
  Bytes quote = ReadVectorFile("attestation/tdx/trustee-tdx_quote_6.dat");
  auto e = Collateral("attestation/tdx/dcapqvl-tdx_quote_collateral.json");
  TdxPolicy p;
  p.common.trailing_bytes = TrailingBytesRule::kReject;
  auto r = AppraiseTdx(quote, e, p, k2025July1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(TierOf(r->trust.configuration), Tier::kContraindicated);
}

TEST(DcapPolicyVectorTest, MatchingAndMismatchingMrtd) {
  Bytes quote = ReadVectorFile("attestation/tdx/dcapqvl-tdx_quote.bin");
  auto e = Collateral("attestation/tdx/dcapqvl-tdx_quote_collateral.json");
  auto good = TdxPolicy::FromJson(
      R"({"mrtd":["91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7"]})");
  TEEPNET_ASSERT_OK(good);
  auto r = AppraiseTdx(quote, e, *good, k2025July1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->trust.executables, ar4si::kAffirming);
  TdxPolicy bad = *good;
  bad.mrtd[0][0] ^= 1;
  r = AppraiseTdx(quote, e, bad, k2025July1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(TierOf(r->trust.executables), Tier::kContraindicated);
}

TEST(DcapPolicyVectorTest, OnlyUpToDateAcceptedMakesAnOutOfDateTcbContraindicated) {
  // trustee quote_6 appraises OutOfDate against trustee's Oct 2025 TCB Info.
  Bytes quote = ReadVectorFile("attestation/tdx/trustee-tdx_quote_6.dat");
  auto pairing = Pairings()[4];
  auto p = TdxPolicy::FromJson(R"({"accepted_tcb_statuses":["UpToDate"],"require_crls":false})");
  TEEPNET_ASSERT_OK(p);
  auto r = AppraiseTdx(quote, pairing.endorsements(), *p, k2025Nov1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->claims["tcb_status"], "OutOfDate");
  EXPECT_EQ(TierOf(r->trust.hardware), Tier::kContraindicated);
}

TEST(DcapPolicyVectorTest, MissingPckCrlUnderRequireCrlsIsContraindicated) {
  Bytes quote = ReadVectorFile("attestation/tdx/trustee-tdx_quote_6.dat");
  auto r = AppraiseTdx(quote, Pairings()[4].endorsements(), TdxPolicy{}, k2025Nov1);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(r->trust.instance_identity, ar4si::kCryptoValidationFailed);
}

}  // namespace
}  // namespace teepnet::attest
