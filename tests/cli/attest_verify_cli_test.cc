// `teepnet attest verify` and `verify-ear` end to end: every genuine sample with the
// endorsements its README pairs it with, at a time inside their validity, gives the expected
// ear.status and exit status; one flipped bit gives 1; unusable input gives 2; an EAR written
// by verify is accepted by verify-ear with the same nonce and refused with another.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/vectors.h"

namespace {

using teepnet::testing::VectorPath;

struct CliRun {
  int status = -1;
  std::string output;  // stdout and stderr together
};

CliRun Teepnet(const std::string& args, bool with_stderr = true) {
  CliRun run;
  const std::string command =
      std::string(TEEPNET_CLI) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) run.output.append(buf, n);
  const int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

std::string V(const std::string& rel) {
  return VectorPath("attestation/" + rel);
}

struct Genuine {
  const char* name;
  std::string evidence;
  std::string flags;  // endorsements, time, policy
  const char* status;
  size_t flip_offset;     // a byte inside the signed region (or the signature)
  bool from_end = false;  // flip_offset counts back from the end (COSE signatures)
};

std::vector<Genuine> Samples() {
  const std::string snp_chain = " --cert " + V("sev-snp/gosevguest-ask_ark_milan.pem");
  return {
      {"SnpTrustee", V("sev-snp/trustee-test-report.bin"),
       "--cert " + V("sev-snp/trustee-test-vcek.der") + snp_chain + " --at 2025-06-01T00:00:00Z",
       "affirming", 0x90},
      {"SnpVirteeHex", V("sev-snp/virtee-report_milan.hex"),
       "--cert " + V("sev-snp/virtee-vcek_milan.der") + snp_chain + " --at 2025-06-01T00:00:00Z",
       "affirming", 0x90},
      {"SgxDcapQvl", V("sgx/dcapqvl-sgx_quote.bin"),
       "--collateral " + V("sgx/dcapqvl-sgx_quote_collateral.json") + " --at 2025-07-01T00:00:00Z",
       "warning", 48 + 64},
      {"TdxDcapQvl", V("tdx/dcapqvl-tdx_quote.bin"),
       "--collateral " + V("tdx/dcapqvl-tdx_quote_collateral.json") + " --at 2025-07-01T00:00:00Z",
       "affirming", 48 + 136},
      {"CsvTrustee", V("hygon-csv/trustee-csv_evidence.json"),
       "--cert " + V("hygon-csv/hygon-hrk.cert") + " --at 2025-07-01T00:00:00Z", "warning", 0},
      {"PsaVeraison", V("psa/veraison-e2e-psa-evidence.cbor"),
       "--endorsements " + V("psa/veraison-e2e-psa-endorsements.corim.cbor") +
           " --at 2025-01-01T00:00:00Z",
       "affirming", 5, true},
      {"CcaTrustee", V("cca/trustee-cca-example-token.cbor"),
       "--endorsements " + V("cca/trustee-tastore.json") + " --reference-values " +
           V("cca/trustee-rvstore.json") + " --at 2025-01-01T00:00:00Z",
       "affirming", 40},
      {"CcaVeraison", V("cca/veraison-e2e-cca-evidence.cbor"),
       "--endorsements " + V("cca/veraison-e2e-cca-endorsements.corim.cbor") + " --endorsements " +
           V("cca/veraison-e2e-cca-realm-endorsements.corim.cbor") + " --at 2025-01-01T00:00:00Z",
       "affirming", 40},
  };
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "teepnet-attest-cli-XXXXXX");
    char* made = mkdtemp(tmpl.data());
    if (made != nullptr) path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

class AttestVerifyCliTest : public ::testing::TestWithParam<Genuine> {};

TEST_P(AttestVerifyCliTest, GenuineSampleGivesItsStatusAndExitStatus) {
  const Genuine& g = GetParam();
  CliRun r = Teepnet("attest verify --json --evidence " + g.evidence + " " + g.flags, false);
  const int expected_exit = std::string(g.status) == "contraindicated" ? 1 : 0;
  ASSERT_EQ(r.status, expected_exit) << r.output;
  nlohmann::json j = nlohmann::json::parse(r.output, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.output;
  EXPECT_EQ(j["status"], g.status) << r.output;
  EXPECT_EQ(j["policy"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_FALSE(j["claims"].empty());
  // The text form says the same.
  CliRun text = Teepnet("attest verify --evidence " + g.evidence + " " + g.flags);
  EXPECT_EQ(text.status, expected_exit);
  EXPECT_EQ(text.output.rfind(std::string("ear.status: ") + g.status, 0), 0u) << text.output;
}

TEST_P(AttestVerifyCliTest, OneFlippedBitIsContraindicated) {
  const Genuine& g = GetParam();
  auto raw = teepnet::ReadFile(g.evidence);
  ASSERT_TRUE(raw.ok());
  teepnet::Bytes bytes = *raw;
  if (g.evidence.ends_with(".hex")) bytes = *teepnet::FromHex(teepnet::AsChars(bytes));
  TempDir dir;
  std::string flipped = dir.File("flipped.bin");
  if (g.evidence.ends_with(".json")) {
    // Trustee's CSV JSON: flip a bit of the report's first data byte, which is signed.
    std::string text(teepnet::AsChars(bytes));
    auto j = nlohmann::json::parse(text);
    int first = j["attestation_report"]["data"][0].get<int>();
    j["attestation_report"]["data"][0] = first ^ 0x01;
    ASSERT_TRUE(teepnet::WriteFileAtomic(flipped, teepnet::AsBytes(j.dump())).ok());
  } else {
    ASSERT_LT(g.flip_offset, bytes.size());
    bytes[g.from_end ? bytes.size() - g.flip_offset : g.flip_offset] ^= 0x04;
    ASSERT_TRUE(teepnet::WriteFileAtomic(flipped, bytes).ok());
  }
  CliRun r = Teepnet("attest verify --json --evidence " + flipped + " " + g.flags, false);
  ASSERT_EQ(r.status, 1) << r.output;
  nlohmann::json j = nlohmann::json::parse(r.output, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.output;
  EXPECT_EQ(j["status"], "contraindicated");
  EXPECT_FALSE(j["notes"].empty());
}

INSTANTIATE_TEST_SUITE_P(EverySample, AttestVerifyCliTest, ::testing::ValuesIn(Samples()),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(AttestVerifyCli, TfRmmTokenWithOnlyItsKeyIsAWarningUnderALenientPolicy) {
  TempDir dir;
  const std::string policy = dir.File("cca.json");
  ASSERT_TRUE(teepnet::WriteFileAtomic(
                  policy, teepnet::AsBytes(R"({"policy-id":"lab/cca","platform":)"
                                           R"({"require-reference-values":false},)"
                                           R"("require-realm-reference-values":false})"))
                  .ok());
  const std::string base = "attest verify --evidence " + V("cca/ccatoken-tfrmm-cca_token.cbor") +
                           " --cert " + V("cca/ccatoken-tfrmm-cca_platform.pub.pem") +
                           " --at 2025-01-01T00:00:00Z";
  CliRun strict = Teepnet(base);
  EXPECT_EQ(strict.status, 1) << strict.output;
  CliRun lenient = Teepnet(base + " --policy " + policy);
  EXPECT_EQ(lenient.status, 0) << lenient.output;
  EXPECT_EQ(lenient.output.rfind("ear.status: warning", 0), 0u) << lenient.output;
  EXPECT_NE(lenient.output.find("lab/cca@sha256:"), std::string::npos);
}

TEST(AttestVerifyCli, GenuineSamplesThePolicyRefusesAreContraindicatedWithAReason) {
  // go-sev-guest's report comes from a debug guest: refused by default, accepted by a policy
  // that allows debug, and the two policies have different hashes.
  const std::string snp = "attest verify --json --evidence " +
                          V("sev-snp/gosevguest-attestation.bin") + " --cert " +
                          V("sev-snp/gosevguest-vcek.der") + " --cert " +
                          V("sev-snp/gosevguest-ask_ark_milan.pem") + " --at 2025-06-01T00:00:00Z";
  CliRun strict = Teepnet(snp, false);
  ASSERT_EQ(strict.status, 1) << strict.output;
  nlohmann::json s = nlohmann::json::parse(strict.output, nullptr, false);
  ASSERT_TRUE(s.is_object());
  EXPECT_EQ(s["claims"]["debug"], "true");
  EXPECT_NE(s["notes"].dump().find("DEBUG"), std::string::npos) << s["notes"].dump();
  TempDir dir;
  const std::string policy = dir.File("snp.json");
  ASSERT_TRUE(teepnet::WriteFileAtomic(policy, teepnet::AsBytes(R"({"allow_debug": true})")).ok());
  CliRun lenient = Teepnet(snp + " --policy " + policy, false);
  ASSERT_EQ(lenient.status, 0) << lenient.output;
  nlohmann::json l = nlohmann::json::parse(lenient.output, nullptr, false);
  ASSERT_TRUE(l.is_object());
  EXPECT_EQ(l["status"], "affirming");
  EXPECT_NE(l["policy"]["sha256"], s["policy"]["sha256"]);

  // dcap-qvl's outdated TDX quote meets no TCB level of its collateral.
  CliRun tdx = Teepnet("attest verify --evidence " + V("tdx/dcapqvl-tdx_quote_outdated.bin") +
                       " --collateral " + V("tdx/dcapqvl-tdx_quote_outdated_collateral.json") +
                       " --at 2026-03-01T00:00:00Z");
  EXPECT_EQ(tdx.status, 1) << tdx.output;
  EXPECT_NE(tdx.output.find("no TCB level"), std::string::npos) << tdx.output;
  // The same TDX quote appraised after its collateral expired.
  CliRun expired =
      Teepnet("attest verify --evidence " + V("tdx/dcapqvl-tdx_quote.bin") + " --collateral " +
              V("tdx/dcapqvl-tdx_quote_collateral.json") + " --at 2030-01-01T00:00:00Z");
  EXPECT_EQ(expired.status, 1) << expired.output;
}

TEST(AttestVerifyCli, GarbageAndMissingInputExitTwoWithAReason) {
  TempDir dir;
  const std::string garbage = dir.File("garbage.bin");
  ASSERT_TRUE(teepnet::WriteFileAtomic(garbage, teepnet::Bytes(300, 0x5a)).ok());
  CliRun r = Teepnet("attest verify --evidence " + garbage);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("unknown-evidence-format"), std::string::npos) << r.output;
  r = Teepnet("attest verify --evidence " + dir.File("absent.bin"));
  EXPECT_EQ(r.status, 2);
  r = Teepnet("attest verify --evidence " + garbage + " --format snp --cert " +
              V("sev-snp/gosevguest-ask_ark_milan.pem"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("snp-bad-report-size"), std::string::npos) << r.output;
  // Evidence whose format is known but for which nothing was provisioned.
  r = Teepnet("attest verify --evidence " + V("sev-snp/trustee-test-report.bin"));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("no-endorsements"), std::string::npos) << r.output;
  r = Teepnet("attest verify --evidence " + V("sev-snp/trustee-test-report.bin") +
              " --format sev --at 2025-06-01T00:00:00Z");
  EXPECT_EQ(r.status, 2);
  r = Teepnet("attest verify --evidence " + V("sev-snp/trustee-test-report.bin") + " --at 2025");
  EXPECT_EQ(r.status, 2);
  r = Teepnet("attest verify");
  EXPECT_EQ(r.status, 2);
  r = Teepnet("attest frobnicate");
  EXPECT_EQ(r.status, 2);
}

TEST(AttestVerifyCli, HelpDocumentsEveryFlag) {
  CliRun r = Teepnet("attest verify --help");
  EXPECT_EQ(r.status, 0);
  for (const char* flag :
       {"--evidence", "--format", "--cert", "--collateral", "--endorsements", "--reference-values",
        "--policy", "--at", "--nonce", "--ear-out", "--ear-key", "--json"}) {
    EXPECT_NE(r.output.find(flag), std::string::npos) << flag;
  }
  r = Teepnet("attest verify-ear --help");
  EXPECT_EQ(r.status, 0);
  for (const char* flag :
       {"--ear", "--key", "--nonce", "--max-age", "--at", "--accept", "--json"}) {
    EXPECT_NE(r.output.find(flag), std::string::npos) << flag;
  }
}

TEST(AttestVerifyCli, WrongNonceIsContraindicated) {
  CliRun r = Teepnet("attest verify --evidence " + V("psa/veraison-e2e-psa-evidence.cbor") +
                     " --endorsements " + V("psa/veraison-e2e-psa-endorsements.corim.cbor") +
                     " --at 2025-01-01T00:00:00Z --nonce " + std::string(64, '1'));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_EQ(r.output.rfind("ear.status: contraindicated", 0), 0u) << r.output;
}

TEST(AttestVerifyCli, EarFromVerifyIsAcceptedByVerifyEarWithTheSameNonceOnly) {
  TempDir dir;
  const std::string ear = dir.File("result.jwt");
  const std::string nonce = "414a7c174141b3d0e9a1d28af31520f0d42299feac4007ded89d68ae6cd92f19";
  CliRun v = Teepnet("attest verify --json --evidence " + V("psa/veraison-e2e-psa-evidence.cbor") +
                         " --endorsements " + V("psa/veraison-e2e-psa-endorsements.corim.cbor") +
                         " --at 2025-01-01T00:00:00Z --nonce " + nonce + " --ear-out " + ear,
                     false);
  ASSERT_EQ(v.status, 0) << v.output;
  nlohmann::json j = nlohmann::json::parse(v.output, nullptr, false);
  ASSERT_TRUE(j.is_object()) << v.output;
  const std::string pub = j["ear"]["public_key_file"].get<std::string>();
  const std::string jwk = dir.File("key.jwk");
  ASSERT_TRUE(teepnet::WriteFileAtomic(jwk, teepnet::AsBytes(j["ear"]["public_jwk"].dump())).ok());

  CliRun ok = Teepnet(
      "attest verify-ear --json --ear " + ear + " --key " + pub + " --nonce " + nonce, false);
  ASSERT_EQ(ok.status, 0) << ok.output;
  nlohmann::json claims = nlohmann::json::parse(ok.output, nullptr, false);
  ASSERT_TRUE(claims.is_object()) << ok.output;
  const std::string dumped = claims.dump();
  EXPECT_NE(dumped.find("teepnet/psa/default@sha256:" + j["policy"]["sha256"].get<std::string>()),
            std::string::npos)
      << dumped;
  CliRun by_jwk = Teepnet("attest verify-ear --ear " + ear + " --key " + jwk);
  EXPECT_EQ(by_jwk.status, 0) << by_jwk.output;
  EXPECT_NE(by_jwk.output.find("affirming"), std::string::npos);

  CliRun wrong_nonce = Teepnet("attest verify-ear --ear " + ear + " --key " + pub + " --nonce " +
                               std::string(64, '0'));
  EXPECT_EQ(wrong_nonce.status, 1) << wrong_nonce.output;
  EXPECT_NE(wrong_nonce.output.find("nonce"), std::string::npos);
  CliRun stale =
      Teepnet("attest verify-ear --ear " + ear + " --key " + pub + " --at 2020-01-01T00:00:00Z");
  EXPECT_EQ(stale.status, 1) << stale.output;

  // Another key: the signature does not verify.
  const std::string other = dir.File("other.jwt");
  CliRun v2 = Teepnet("attest verify --evidence " + V("psa/veraison-e2e-psa-evidence.cbor") +
                      " --endorsements " + V("psa/veraison-e2e-psa-endorsements.corim.cbor") +
                      " --at 2025-01-01T00:00:00Z --ear-out " + other);
  ASSERT_EQ(v2.status, 0) << v2.output;
  CliRun bad_sig = Teepnet("attest verify-ear --ear " + other + " --key " + pub);
  EXPECT_EQ(bad_sig.status, 1) << bad_sig.output;
  CliRun garbage = Teepnet("attest verify-ear --ear " + pub + " --key " + pub);
  EXPECT_EQ(garbage.status, 2) << garbage.output;
}

}  // namespace
