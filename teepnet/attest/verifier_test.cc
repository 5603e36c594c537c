// The Verifier facade: format detection of every genuine sample and every simulated platform,
// appraisal through the facade with each platform's endorsements, the report-data binding and
// the policy identity.
#include "teepnet/attest/verifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "teepnet/attest/cca_sim_platform.h"
#include "teepnet/attest/csv_sim_platform.h"
#include "teepnet/attest/dcap_sim_platform.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/attest/snp_sim_platform.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::attest {
namespace {

using teepnet::testing::FailsWith;
using teepnet::testing::ReadVectorFile;

constexpr int64_t kNow = 1790000000;  // 2026-09

struct GenuineSample {
  const char* path;
  EvidenceFormat format;
};

const GenuineSample kGenuine[] = {
    {"attestation/sev-snp/trustee-test-report.bin", EvidenceFormat::kSevSnpReport},
    {"attestation/sev-snp/gosevguest-attestation.bin", EvidenceFormat::kSevSnpReport},
    {"attestation/sev-snp/virtee-report_milan.hex", EvidenceFormat::kSevSnpReport},
    {"attestation/sgx/dcapqvl-sgx_quote.bin", EvidenceFormat::kSgxQuoteV3},
    {"attestation/tdx/dcapqvl-tdx_quote.bin", EvidenceFormat::kTdxQuote},
    {"attestation/tdx/dcapqvl-tdx_quote_outdated.bin", EvidenceFormat::kTdxQuote},
    {"attestation/tdx/gotdxguest-quote_v5_sample.dat", EvidenceFormat::kTdxQuote},
    {"attestation/tdx/trustee-tdx_quote_4.dat", EvidenceFormat::kTdxQuote},
    {"attestation/tdx/trustee-tdx_quote_6.dat", EvidenceFormat::kTdxQuote},
    {"attestation/hygon-csv/trustee-csv_evidence.json", EvidenceFormat::kCsvReport},
    {"attestation/psa/veraison-e2e-psa-evidence.cbor", EvidenceFormat::kPsaToken},
    {"attestation/cca/ccatoken-tfrmm-cca_token.cbor", EvidenceFormat::kCcaToken},
    {"attestation/cca/trustee-cca-example-token.cbor", EvidenceFormat::kCcaToken},
    {"attestation/cca/veraison-e2e-cca-evidence.cbor", EvidenceFormat::kCcaToken},
};

Bytes Evidence(const std::string& path) {
  Bytes raw = ReadVectorFile(path);
  if (path.ends_with(".hex")) return *FromHex(AsChars(raw));
  return raw;
}

TEST(DetectFormat, RecognisesEveryGenuineSample) {
  for (const auto& s : kGenuine) {
    auto f = DetectFormat(Evidence(s.path));
    TEEPNET_ASSERT_OK(f) << s.path;
    EXPECT_EQ(*f, s.format) << s.path;
  }
}

TEST(DetectFormat, RefusesGarbageEndorsementsAndTruncatedHeaders) {
  const Bytes corim = ReadVectorFile("attestation/psa/veraison-e2e-psa-endorsements.corim.cbor");
  const Bytes snp = Evidence(kGenuine[0].path);
  const Bytes quote = Evidence("attestation/sgx/dcapqvl-sgx_quote.bin");
  for (const Bytes& b : {Bytes{}, Bytes(100, 0x41), corim, Bytes(snp.begin(), snp.end() - 1),
                         Bytes(quote.begin(), quote.begin() + 40), ToBytes("{\"a\":1}")}) {
    EXPECT_TRUE(FailsWith(DetectFormat(b), Errc::kUnknownEvidenceFormat));
  }
  EXPECT_EQ(DetectFormat(Bytes(100, 0x41)).error().code(), Code::kInvalidArgument);
}

TEST(DetectFormat, RefusesAnSnpReportOfAnUnknownVersion) {
  Bytes snp = Evidence(kGenuine[0].path);
  snp[0] = 4;
  EXPECT_TRUE(FailsWith(DetectFormat(snp), Errc::kUnknownEvidenceFormat));
}

TEST(EvidenceFormatFromName, RoundTripsEveryName) {
  for (auto f :
       {EvidenceFormat::kSevSnpReport, EvidenceFormat::kSgxQuoteV3, EvidenceFormat::kTdxQuote,
        EvidenceFormat::kCsvReport, EvidenceFormat::kPsaToken, EvidenceFormat::kCcaToken}) {
    EXPECT_EQ(EvidenceFormatFromName(EvidenceFormatName(f)), f);
  }
  EXPECT_EQ(EvidenceFormatFromName("sev"), std::nullopt);
}

// One simulated platform of each kind with the VerifierConfig its manufacturer provisions.
struct SimCase {
  std::string name;
  std::function<Result<std::pair<std::unique_ptr<Platform>, VerifierConfig>>()> make;
};

// The SGX/TDX platforms borrow their manufacturer; keep it alive for the whole test binary.
const SimIntelManufacturer& Intel() {
  static const auto* intel = new SimIntelManufacturer(*SimIntelManufacturer::Create(kNow - 86400));
  return *intel;
}

std::vector<SimCase> SimCases() {
  using Out = std::pair<std::unique_ptr<Platform>, VerifierConfig>;
  return {
      {"snp",
       []() -> Result<Out> {
         SimSevSnpOptions o;
         o.not_before = kNow - 86400;
         TEEPNET_ASSIGN_OR_RETURN(auto p, SimSevSnpPlatform::Create(o));
         VerifierConfig c;
         c.snp.emplace().Add(p->endorsements());
         return Out{std::move(p), std::move(c)};
       }},
      {"csv",
       []() -> Result<Out> {
         TEEPNET_ASSIGN_OR_RETURN(auto p, SimCsvPlatform::Create({}));
         VerifierConfig c;
         c.csv = p->endorsements();
         c.policies[EvidenceFormat::kCsvReport] = R"({"require_endorsed_pek": true})";
         return Out{std::move(p), std::move(c)};
       }},
      {"sgx",
       []() -> Result<Out> {
         SimSgxIdentity id;
         id.mrenclave.fill(0xe1);
         TEEPNET_ASSIGN_OR_RETURN(auto p, SimSgxPlatform::Create(Intel(), id));
         VerifierConfig c;
         TEEPNET_ASSIGN_OR_RETURN(c.sgx, Intel().Endorsements(false, kNow - 3600));
         return Out{std::make_unique<SimSgxPlatform>(std::move(p)), std::move(c)};
       }},
      {"tdx",
       []() -> Result<Out> {
         SimTdIdentity id;
         id.mrtd.fill(0x7d);
         TEEPNET_ASSIGN_OR_RETURN(auto p, SimTdxPlatform::Create(Intel(), id));
         VerifierConfig c;
         TEEPNET_ASSIGN_OR_RETURN(c.tdx, Intel().Endorsements(true, kNow - 3600));
         return Out{std::make_unique<SimTdxPlatform>(std::move(p)), std::move(c)};
       }},
      {"psa",
       []() -> Result<Out> {
         TEEPNET_ASSIGN_OR_RETURN(auto p, SimPsaPlatform::Create());
         VerifierConfig c;
         c.psa = p.Endorsements();
         return Out{std::make_unique<SimPsaPlatform>(std::move(p)), std::move(c)};
       }},
      {"cca",
       []() -> Result<Out> {
         TEEPNET_ASSIGN_OR_RETURN(auto p, SimCcaPlatform::Create());
         VerifierConfig c;
         c.cca = p.Endorsements();
         return Out{std::make_unique<SimCcaPlatform>(std::move(p)), std::move(c)};
       }},
  };
}

std::string Notes(const Appraisal& a) {
  std::string s;
  for (const auto& n : a.notes) s += "\n  " + n;
  return s;
}

class VerifierSimTest : public ::testing::TestWithParam<SimCase> {
 protected:
  void SetUp() override {
    auto made = GetParam().make();
    TEEPNET_ASSERT_OK(made);
    platform_ = std::move(made->first);
    config_ = std::move(made->second);
  }
  std::unique_ptr<Platform> platform_;
  VerifierConfig config_;
};

TEST_P(VerifierSimTest, DetectsTheFormatThePlatformDeclares) {
  auto evidence = platform_->GetEvidence(Bytes(64, 0x11));
  TEEPNET_ASSERT_OK(evidence);
  auto f = DetectFormat(*evidence);
  TEEPNET_ASSERT_OK(f);
  EXPECT_EQ(*f, platform_->format());
}

TEST_P(VerifierSimTest, EvidenceWithTheExpectedReportDataIsAffirming) {
  const Bytes nonce = {0xde, 0xad, 0xbe, 0xef, 1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12,
                       13,   14,   15,   16,   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28};
  auto evidence = platform_->GetEvidence(nonce);
  TEEPNET_ASSERT_OK(evidence);
  auto verifier = Verifier::Create(config_);
  TEEPNET_ASSERT_OK(verifier);
  auto v = verifier->Verify(*evidence, std::nullopt, ByteView(nonce), kNow);
  TEEPNET_ASSERT_OK(v);
  EXPECT_EQ(v->appraisal.Overall(), Tier::kAffirming) << Notes(v->appraisal);
  EXPECT_EQ(v->appraisal.format, platform_->format());
  EXPECT_EQ(v->appraisal.architecture, platform_->architecture());
  EXPECT_EQ(v->appraisal.claims["measurement"], platform_->measurement_hex());
  EXPECT_EQ(v->policy_hash.size(), 32u);
  EXPECT_EQ(v->appraisal.evidence_digest, crypto::Sha256(*evidence));
  // Same verdict when the caller names the format.
  auto named = verifier->Verify(*evidence, platform_->format(), ByteView(nonce), kNow);
  TEEPNET_ASSERT_OK(named);
  EXPECT_EQ(named->appraisal.Overall(), Tier::kAffirming);
}

TEST_P(VerifierSimTest, WrongReportDataIsContraindicated) {
  auto evidence = platform_->GetEvidence(Bytes(32, 0x22));
  TEEPNET_ASSERT_OK(evidence);
  Verifier verifier(config_);
  const Bytes other(32, 0x23);
  auto v = verifier.Verify(*evidence, std::nullopt, ByteView(other), kNow);
  TEEPNET_ASSERT_OK(v);
  EXPECT_EQ(v->appraisal.Overall(), Tier::kContraindicated);
  EXPECT_EQ(TierOf(v->appraisal.trust.instance_identity), Tier::kContraindicated);
  // Without an expectation the same evidence is affirming: the binding made the difference.
  auto unbound = verifier.Verify(*evidence, std::nullopt, std::nullopt, kNow);
  TEEPNET_ASSERT_OK(unbound);
  EXPECT_EQ(unbound->appraisal.Overall(), Tier::kAffirming) << Notes(unbound->appraisal);
}

TEST_P(VerifierSimTest, AFlippedBitOfTheSignedReportDataIsContraindicated) {
  const Bytes rd(64, 0x33);
  auto evidence = platform_->GetEvidence(rd);
  TEEPNET_ASSERT_OK(evidence);
  Verifier verifier(config_);
  // The report data sits inside every format's signed region. CSV stores it XOR-masked with
  // the anonce, at offset 64 of the data that follows the 20-byte wrapper header.
  Bytes bad = *evidence;
  auto at = std::search(bad.begin(), bad.end(), rd.begin(), rd.end());
  size_t offset = at != bad.end() ? static_cast<size_t>(at - bad.begin()) + 7 : 20 + 64 + 7;
  ASSERT_LT(offset, bad.size());
  bad[offset] ^= 0x10;
  auto v = verifier.Verify(bad, platform_->format(), std::nullopt, kNow);
  TEEPNET_ASSERT_OK(v);
  EXPECT_EQ(v->appraisal.Overall(), Tier::kContraindicated) << Notes(v->appraisal);
  EXPECT_EQ(TierOf(v->appraisal.trust.instance_identity), Tier::kContraindicated);
}

TEST_P(VerifierSimTest, AnotherFormatsEndorsementsAreAFailedPrecondition) {
  auto evidence = platform_->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  Verifier empty{VerifierConfig{}};
  auto v = empty.Verify(*evidence, std::nullopt, std::nullopt, kNow);
  EXPECT_TRUE(FailsWith(v, Errc::kNoEndorsements));
  EXPECT_EQ(v.error().code(), Code::kFailedPrecondition);
}

TEST_P(VerifierSimTest, ReportDataLongerThanTheFieldIsRefused) {
  auto evidence = platform_->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  Verifier verifier(config_);
  const Bytes long_rd(65, 1);
  EXPECT_TRUE(FailsWith(verifier.Verify(*evidence, std::nullopt, ByteView(long_rd), kNow),
                        Errc::kReportDataTooLong));
}

TEST_P(VerifierSimTest, ConcurrentVerificationsShareOneVerifier) {
  Verifier verifier(config_);
  std::vector<Bytes> evidence;
  for (uint8_t i = 0; i < 4; ++i) {
    auto e = platform_->GetEvidence(Bytes(32, i));
    TEEPNET_ASSERT_OK(e);
    evidence.push_back(*e);
  }
  std::vector<Tier> tiers(evidence.size() * 2, Tier::kNone);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < tiers.size(); ++t) {
    threads.emplace_back([&, t] {
      const Bytes& e = evidence[t % evidence.size()];
      // Odd threads expect another thread's report data: those must be contraindicated.
      const Bytes expected(32, static_cast<uint8_t>((t % evidence.size()) + (t % 2)));
      auto v = verifier.Verify(e, std::nullopt, ByteView(expected), kNow);
      if (v.ok()) tiers[t] = v->appraisal.Overall();
    });
  }
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < tiers.size(); ++t) {
    EXPECT_EQ(tiers[t], t % 2 == 0 ? Tier::kAffirming : Tier::kContraindicated) << t;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryPlatform, VerifierSimTest, ::testing::ValuesIn(SimCases()),
                         [](const auto& p) { return p.param.name; });

TEST(VerifierPolicy, HashChangesWhenThePolicyChangesButNotWithLayout) {
  auto base = IdentifyPolicy(EvidenceFormat::kSevSnpReport, R"({"allow_debug":false,"vmpl":0})");
  auto layout =
      IdentifyPolicy(EvidenceFormat::kSevSnpReport, "{ \"vmpl\": 0,\n  \"allow_debug\": false }");
  auto changed = IdentifyPolicy(EvidenceFormat::kSevSnpReport, R"({"allow_debug":true,"vmpl":0})");
  TEEPNET_ASSERT_OK(base);
  TEEPNET_ASSERT_OK(layout);
  TEEPNET_ASSERT_OK(changed);
  EXPECT_EQ(base->sha256, layout->sha256);
  EXPECT_NE(base->sha256, changed->sha256);
  EXPECT_EQ(base->canonical, R"({"allow_debug":false,"vmpl":0})");
  EXPECT_EQ(base->sha256, crypto::Sha256(AsBytes(base->canonical)));
  EXPECT_EQ(base->id, "teepnet/sev-snp/default");
}

TEST(VerifierPolicy, VerdictCarriesTheConfiguredPolicyIdAndHash) {
  SimSevSnpOptions o;
  o.not_before = kNow - 86400;
  auto p = SimSevSnpPlatform::Create(o);
  TEEPNET_ASSERT_OK(p);
  auto evidence = (*p)->GetEvidence({});
  TEEPNET_ASSERT_OK(evidence);
  VerifierConfig c;
  c.snp.emplace().Add((*p)->endorsements());
  Verifier defaults(c);
  c.policies[EvidenceFormat::kSevSnpReport] =
      R"({"policy-id":"acme/snp@1","measurements":[")" + (*p)->measurement_hex() + R"("]})";
  auto strict = Verifier::Create(c);
  TEEPNET_ASSERT_OK(strict);
  auto a = defaults.Verify(*evidence, std::nullopt, std::nullopt, kNow);
  auto b = strict->Verify(*evidence, std::nullopt, std::nullopt, kNow);
  TEEPNET_ASSERT_OK(a);
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(a->policy_id, "teepnet/sev-snp/default");
  EXPECT_EQ(a->policy_hash, crypto::Sha256(AsBytes("{}")));
  EXPECT_EQ(b->policy_id, "acme/snp@1");
  EXPECT_NE(a->policy_hash, b->policy_hash);
  EXPECT_EQ(b->policy_hash, strict->Policy(EvidenceFormat::kSevSnpReport)->sha256);
  EXPECT_EQ(b->PolicyRef(), "acme/snp@1@sha256:" + ToHex(b->policy_hash));
  EXPECT_EQ(b->appraisal.trust.executables, ar4si::kAffirming);
}

TEST(VerifierPolicy, AMisspeltPolicyMemberIsRefused) {
  VerifierConfig c;
  c.policies[EvidenceFormat::kTdxQuote] = R"({"alow_debug":true})";
  EXPECT_TRUE(FailsWith(Verifier::Create(c), Errc::kBadPolicy));
  c.policies[EvidenceFormat::kTdxQuote] = "[1]";
  EXPECT_TRUE(FailsWith(Verifier::Create(c), Errc::kBadPolicy));
  c.policies[EvidenceFormat::kTdxQuote] = R"({"policy-id": 7})";
  EXPECT_TRUE(FailsWith(Verifier::Create(c), Errc::kBadPolicy));
}

// Genuine SNP sample through the facade, configured from a directory as the CLI is.
class VerifierDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("teepnet-verifier-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "snp" / "vcek");
    std::filesystem::create_directories(dir_ / "policy");
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void Put(const std::string& rel, ByteView data) {
    TEEPNET_ASSERT_OK(WriteFileAtomic((dir_ / rel).string(), data));
  }
  std::filesystem::path dir_;
};

TEST_F(VerifierDirectoryTest, GenuineSnpReportAppraisesAffirmingFromADirectory) {
  Put("snp/chain.pem", ReadVectorFile("attestation/sev-snp/gosevguest-ask_ark_milan.pem"));
  Put("snp/vcek/trustee.der", ReadVectorFile("attestation/sev-snp/trustee-test-vcek.der"));
  Put("snp/vcek/virtee.der", ReadVectorFile("attestation/sev-snp/virtee-vcek_milan.der"));
  Put("policy/snp.json", AsBytes(R"({"policy-id":"teepnet/sev-snp/genuine","vmpl":0})"));
  auto c = VerifierConfig::FromDirectory(dir_.string());
  TEEPNET_ASSERT_OK(c);
  ASSERT_TRUE(c->snp.has_value());
  EXPECT_EQ(c->snp->roots.size(), 1u);
  EXPECT_EQ(c->snp->intermediates.size(), 1u);
  EXPECT_EQ(c->snp->leaves.size(), 2u);
  Verifier verifier(std::move(c).value());
  constexpr int64_t k2025 = 1748736000;
  // Each report finds its own chip's VCEK among the two.
  for (const char* report : {"attestation/sev-snp/trustee-test-report.bin",
                             "attestation/sev-snp/virtee-report_milan.hex"}) {
    auto v = verifier.Verify(Evidence(report), std::nullopt, std::nullopt, k2025);
    TEEPNET_ASSERT_OK(v);
    EXPECT_EQ(v->appraisal.Overall(), Tier::kAffirming) << report << Notes(v->appraisal);
    EXPECT_EQ(v->policy_id, "teepnet/sev-snp/genuine");
  }
}

TEST_F(VerifierDirectoryTest, UnreadableEndorsementsAndMisnamedPoliciesAreRefused) {
  Put("snp/chain.pem", AsBytes("not a certificate"));
  EXPECT_TRUE(FailsWith(VerifierConfig::FromDirectory(dir_.string()), Errc::kBadEndorsement));
  std::filesystem::remove_all(dir_ / "snp");
  Put("policy/sev.json", AsBytes("{}"));
  EXPECT_TRUE(FailsWith(VerifierConfig::FromDirectory(dir_.string()), Errc::kBadPolicy));
}

}  // namespace
}  // namespace teepnet::attest
