// The seed's Appendix B workloads end to end (issue 7) through real processes: a teepnet-moc with
// attestation required and simulated devices (DemoCluster), each workload's static TA installed
// by the TAM as use case 3, every party sealing its private input to the attested TA instance and
// opening its own output from the TA's verified receipt. Each run must pass the scenario's
// independent check; no party's private input (each carries a unique marker) may appear in any
// file of the M/OC, the devices (Broker, Agent, logs) or the container state; and a device whose
// evidence is contraindicated receives nothing at all.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "services/cli/demo_cluster.h"
#include "services/cli/workloads/demo_workloads.h"
#include "services/cli/workloads/runner.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/runtime/container_backend.h"
#include "tests/e2e/harness.h"

namespace teepnet::cli::workloads {
namespace {

using e2e::ReadText;

std::string NewMarker() {
  Bytes random(16);
  EXPECT_TRUE(crypto::SystemRandom::Get().Fill(random).ok());
  return "workload-marker-" + ToHex(random);
}

// The first file under `root` that contains `needle`, or "".
std::string FindUnder(const std::string& root, const std::string& needle) {
  std::error_code ec;
  if (root.empty()) return "";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           root, std::filesystem::directory_options::skip_permission_denied, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    if (ReadText(entry.path().string()).find(needle) != std::string::npos) {
      return entry.path().string();
    }
  }
  return "";
}

RunInput InputFor(DemoCluster& cluster, const Scenario& scenario, const std::string& instance,
                  const std::string& hardware, const std::string& marker) {
  RunInput in;
  in.moc_url = cluster.url();
  in.token = cluster.tenant_token();
  in.signer = &cluster.signer();
  in.instance = instance;
  in.hardware = hardware;
  in.ta_path = std::string(TEEPNET_BIN) + "/" + std::string(scenario.ta_binary());
  in.component = "e2e-" + std::string(scenario.name()) + "-" + instance + ".ta";
  in.marker = marker;
  in.seed = 7;
  in.timeout_ms = 240000;
  return in;
}

class WorkloadsEndToEndTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (HasFailure() && cluster_) {
      std::fprintf(stderr, "---- cluster dir %s kept in the log above ----\n",
                   cluster_->dir().c_str());
      for (const char* arch : {"sgx", "sev-snp"}) {
        std::fprintf(stderr, "---- device %s ----\n%s\n", arch,
                     ReadText(cluster_->dir() + "/device-" + arch + ".log").c_str());
      }
    }
  }
  std::unique_ptr<DemoCluster> cluster_;
};

TEST_F(WorkloadsEndToEndTest, EveryWorkloadComputesTheRightOutputsAndKeepsItsInputsInTheTee) {
  ASSERT_FALSE(WorkloadNames().empty()) << "no workload scenario is built";
  const bool containers = runtime::ProbeContainers().usable();
  DemoCluster::Offers offers = {{"sgx", {"process"}}};
  if (containers) offers["sev-snp"] = {"container"};
  auto cluster = DemoCluster::Start(TEEPNET_BIN, offers);
  ASSERT_TRUE(cluster.ok()) << cluster.error().ToString();
  cluster_ = std::move(cluster).value();
  std::vector<std::pair<std::string, std::string>> placements = {{"process", "sgx"}};
  if (containers) {
    placements.push_back({"container", "sev-snp"});
  } else {
    std::fprintf(stderr, "containers cannot run here: %s\n",
                 runtime::ProbeContainers().ToString().c_str());
  }
  for (const std::string& name : WorkloadNames()) {
    for (const auto& [instance, hardware] : placements) {
      SCOPED_TRACE(name + " in a confidential " + instance + " on " + hardware);
      std::unique_ptr<Scenario> scenario = MakeScenario(name);
      ASSERT_NE(scenario, nullptr);
      const std::string marker = NewMarker();
      RunInput in = InputFor(*cluster_, *scenario, instance, hardware, marker);
      RunResult r = RunWorkload(*scenario, in);
      ASSERT_TRUE(r.ok) << r.error;
      ASSERT_TRUE(r.headline.has_value());
      EXPECT_GT(r.headline->value, 0) << r.headline->name;
      EXPECT_EQ(r.flow.ear_status, "affirming");
      EXPECT_EQ(FindUnder(cluster_->dir(), marker), "");
      EXPECT_EQ(FindUnder(cluster_->containers_dir(), marker), "");
    }
  }
}

TEST_F(WorkloadsEndToEndTest, NoPartySendsAnythingToADeviceWhoseEvidenceIsContraindicated) {
  ASSERT_FALSE(WorkloadNames().empty()) << "no workload scenario is built";
  auto cluster = DemoCluster::Start(TEEPNET_BIN, {{"sgx", {"process"}}}, {"sgx"});
  ASSERT_TRUE(cluster.ok()) << cluster.error().ToString();
  cluster_ = std::move(cluster).value();
  std::unique_ptr<Scenario> scenario = MakeScenario(WorkloadNames().back());
  const std::string marker = NewMarker();
  RunInput in = InputFor(*cluster_, *scenario, "process", "sgx", marker);
  in.timeout_ms = 120000;
  RunResult r = RunWorkload(*scenario, in);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.flow.sent) << "sealed bytes went to a contraindicated device";
  // The device's evidence is contraindicated, so the M/OC never recorded a capacity for it
  // (USE-CASES "Device capacity"): the request is refused at placement, nothing is created,
  // and the parties never see an EAR to seal to.
  EXPECT_NE(r.error.find("no_suitable_device"), std::string::npos) << r.error;
  EXPECT_EQ(r.flow.ear_status, "");
  EXPECT_FALSE(r.headline.has_value());
  EXPECT_EQ(FindUnder(cluster_->dir(), marker), "");
}

}  // namespace
}  // namespace teepnet::cli::workloads
