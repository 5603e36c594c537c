// `teepnet inspect` on attestation evidence and EARs: every genuine sample's fields are named
// and decoded; an EAR written by `attest verify` is listed as JWT; a CWT EAR through the same
// listing code; ordinary CBOR still gets the generic listing.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "services/cli/evidence_inspect.h"
#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/attest/verifier.h"
#include "teepnet/attest/verifier_ear.h"
#include "teepnet/testing/vectors.h"

namespace {

using teepnet::testing::VectorPath;

struct CliRun {
  int status = -1;
  std::string output;
};

CliRun Teepnet(const std::string& args) {
  CliRun run;
  const std::string command = std::string(TEEPNET_CLI) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) run.output.append(buf, n);
  const int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

struct Expect {
  const char* file;
  std::vector<std::string> needles;
};

TEST(InspectEvidenceCli, EveryGenuineSampleIsDecodedWithFieldNames) {
  const Expect cases[] = {
      {"sev-snp/trustee-test-report.bin",
       {"SEV-SNP ATTESTATION_REPORT", "MEASUREMENT",
        "a1f3930413247bb38cfc171579ea3c12d5fe4901f0c792f63fd75d98f1ef827c23500644e0e692e6be917f9050"
        "d3d38c",
        "CHIP_ID", "SIGNING_KEY                VCEK"}},
      {"sev-snp/virtee-report_milan.hex", {"REPORTED_TCB", "SIGNATURE (ECDSA P-384"}},
      {"sgx/dcapqvl-sgx_quote.bin",
       {"DCAP quote header", "SGX report body", "MRENCLAVE", "QE report", "PCK chain"}},
      {"tdx/dcapqvl-tdx_quote.bin", {"TD report body (TD 1.0", "MRTD", "RTMR3", "tee_type"}},
      {"tdx/gotdxguest-quote_v5_sample.dat", {"TD 1.5", "MRSERVICETD"}},
      {"hygon-csv/trustee-csv_evidence.json", {"Hygon CSV", "MEASURE", "CHIP_SERIAL"}},
      {"psa/veraison-e2e-psa-evidence.cbor",
       {"PSA attestation token", "implementation-id (2396)", "sw-component[0] measurement (2)",
        "CBOR:"}},
      {"cca/veraison-e2e-cca-evidence.cbor",
       {"CCA platform token", "CCA realm token", "initial-measurement (44238)", "REM3 (44239)"}},
  };
  for (const auto& c : cases) {
    CliRun r = Teepnet("inspect " + VectorPath(std::string("attestation/") + c.file));
    ASSERT_EQ(r.status, 0) << c.file << "\n" << r.output;
    for (const auto& n : c.needles) {
      EXPECT_NE(r.output.find(n), std::string::npos) << c.file << ": missing " << n;
    }
  }
}

TEST(InspectEvidenceCli, AnEarWrittenByVerifyIsListedAsJwt) {
  std::string dir = (std::filesystem::temp_directory_path() / "teepnet-inspect-ear-XXXXXX");
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  const std::string ear = dir + "/r.jwt";
  CliRun v = Teepnet(
      "attest verify --evidence " + VectorPath("attestation/psa/veraison-e2e-psa-evidence.cbor") +
      " --endorsements " + VectorPath("attestation/psa/veraison-e2e-psa-endorsements.corim.cbor") +
      " --at 2025-01-01T00:00:00Z --ear-out " + ear);
  ASSERT_EQ(v.status, 0) << v.output;
  CliRun r = Teepnet("inspect " + ear);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("EAR (draft-ietf-rats-ear) as JWT"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"alg\":\"ES256\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("teepnet/psa/default@sha256:"), std::string::npos) << r.output;
}

TEST(InspectEvidence, ACwtEarIsListedWithItsClaims) {
  auto platform = teepnet::attest::SimPsaPlatform::Create();
  ASSERT_TRUE(platform.ok());
  auto evidence = platform->GetEvidence({});
  ASSERT_TRUE(evidence.ok());
  teepnet::attest::VerifierConfig c;
  c.psa = platform->Endorsements();
  teepnet::attest::Verifier verifier(std::move(c));
  auto verdict = verifier.Verify(*evidence, std::nullopt, std::nullopt, 1790000000);
  ASSERT_TRUE(verdict.ok());
  auto key = teepnet::crypto::PrivateKey::Generate(teepnet::crypto::KeyType::kP256);
  ASSERT_TRUE(key.ok());
  teepnet::attest::EarIssueOptions o;
  o.iat = 1790000000;
  auto cwt = teepnet::attest::IssueVerdictEarCwt(*verdict, o, *key);
  ASSERT_TRUE(cwt.ok());
  auto listing = teepnet::cli::InspectEvidence(*cwt);
  ASSERT_TRUE(listing.has_value());
  EXPECT_TRUE(listing->is_cbor);
  EXPECT_NE(listing->text.find("as CWT"), std::string::npos) << listing->text;
  EXPECT_NE(listing->text.find("trustzone"), std::string::npos) << listing->text;
  // The evidence itself is a PSA token, not an EAR.
  auto token = teepnet::cli::InspectEvidence(*evidence);
  ASSERT_TRUE(token.has_value());
  EXPECT_NE(token->text.find("PSA attestation token"), std::string::npos);
}

TEST(InspectEvidenceCli, OrdinaryCborIsStillListedGenerically) {
  CliRun r = Teepnet("inspect --hex 83010203");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.output.rfind("0000  ", 0), 0u) << r.output;
  EXPECT_FALSE(teepnet::cli::InspectEvidence(teepnet::Bytes{0x83, 0x01, 0x02, 0x03}).has_value());
}

}  // namespace
