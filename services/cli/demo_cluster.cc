#include "services/cli/demo_cluster.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "services/cli/moc_client.h"
#include "services/common/data_dir.h"
#include "teepnet/base/file.h"

namespace teepnet::cli {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Platform {
  const char* architecture;
  const char* platform;
};
// One simulated device per architecture of seed Figure 2.
constexpr Platform kPlatforms[] = {{"trustzone", "sim-trustzone"},
                                   {"sgx", "sim-sgx"},
                                   {"sev-snp", "sim-snp"},
                                   {"cca", "sim-cca"},
                                   {"tdx", "sim-tdx"},
                                   {"csv", "sim-csv"}};
constexpr int kStartMs = 30000;
constexpr int kEnrollMs = 120000;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string ReadText(const std::string& path) {
  auto bytes = ReadFile(path);
  return bytes.ok() ? std::string(AsChars(*bytes)) : std::string();
}

Status Died(const std::string& what, const std::string& log) {
  return Error(Code::kUnavailable, what + " stopped; its log: " + log);
}

}  // namespace

Status DemoCluster::MakeContainersDir() {
  if (!containers_dir_.empty()) return OkStatus();
  std::string templ =
      (std::filesystem::temp_directory_path() / "teepnet-demo-containers-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    return Error(Code::kUnavailable, "cannot create a temporary directory for containers");
  }
  containers_dir_ = templ;
  // Searchable, not listable: the containers' mapped ids must reach their bundles below.
  std::error_code ec;
  std::filesystem::permissions(
      containers_dir_, std::filesystem::perms::owner_all | std::filesystem::perms::others_exec, ec);
  if (ec) return Error(Code::kUnavailable, "chmod " + containers_dir_ + ": " + ec.message());
  return OkStatus();
}

std::string ProgramDir() {
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return ".";
  return std::filesystem::path(std::string(exe, static_cast<size_t>(n))).parent_path().string();
}

Result<std::unique_ptr<DemoCluster>> DemoCluster::Start(const std::string& bin_dir,
                                                        const Offers& offers,
                                                        const std::vector<std::string>& debug,
                                                        uint32_t slots) {
  std::unique_ptr<DemoCluster> c(new DemoCluster());
  c->bin_dir_ = bin_dir;
  std::string templ = (std::filesystem::temp_directory_path() / "teepnet-demo-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    return Error(Code::kUnavailable, "cannot create a temporary directory");
  }
  c->dir_ = templ;
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey signer,
                           crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  c->signer_.emplace(std::move(signer));
  TEEPNET_RETURN_IF_ERROR(
      WriteFileAtomic(c->dir_ + "/signer.pub.pem", AsBytes(c->signer_->public_key().ToPem())));
  std::error_code ec;
  std::filesystem::create_directories(c->dir_ + "/sim-vendors/public", ec);
  if (ec) return Error(Code::kUnavailable, "cannot create sim-vendors: " + ec.message());
  TEEPNET_RETURN_IF_ERROR(c->StartMoc());
  TEEPNET_RETURN_IF_ERROR(c->StartDevices(offers, debug, slots));
  TEEPNET_RETURN_IF_ERROR(c->CreateTenant());
  TEEPNET_RETURN_IF_ERROR(c->WaitForAttestedCapacity(debug));
  return c;
}

DemoCluster::~DemoCluster() {
  for (DemoDevice& d : devices_) {
    if (d.process) d.process->Stop(3000);
  }
  if (moc_) moc_->Stop(5000);
  // TEEPNET_DEMO_KEEP=1 keeps the logs and stores for a look after a failed run.
  if (const char* keep = std::getenv("TEEPNET_DEMO_KEEP"); keep != nullptr && keep[0] == '1') {
    std::fprintf(stderr, "teepnet demo: kept %s\n", dir_.c_str());
    return;
  }
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  if (!containers_dir_.empty()) std::filesystem::remove_all(containers_dir_, ec);
}

Status DemoCluster::StartMoc() {
  common::SpawnOptions o;
  // A temporary SQLite store; attestation required, against the simulated manufacturers'
  // endorsements the devices publish as they start.
  o.argv = {bin_dir_ + "/teepnet-moc",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data",
            dir_ + "/moc",
            "--store",
            "sqlite:" + dir_ + "/moc.db",
            "--endorsements",
            dir_ + "/sim-vendors/public"};
  o.stdout_path = dir_ + "/moc.log";
  o.stderr_path = dir_ + "/moc.log";
  TEEPNET_ASSIGN_OR_RETURN(common::Subprocess moc, common::Subprocess::Spawn(o));
  moc_.emplace(std::move(moc));
  const auto deadline = Clock::now() + std::chrono::milliseconds(kStartMs);
  while (Trim(ReadText(dir_ + "/moc/moc.addr")).empty()) {
    if (moc_->Poll().has_value()) return Died("teepnet-moc", ReadText(dir_ + "/moc.log"));
    if (Clock::now() > deadline) return Error(Code::kDeadlineExceeded, "teepnet-moc did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  url_ = "http://" + Trim(ReadText(dir_ + "/moc/moc.addr"));
  TEEPNET_ASSIGN_OR_RETURN(admin_token_, common::ReadToken(dir_ + "/moc/admin-token"));
  return OkStatus();
}

Status DemoCluster::StartDevices(const Offers& offers, const std::vector<std::string>& debug,
                                 uint32_t slots) {
  for (const Platform& p : kPlatforms) {
    DemoDevice d;
    d.architecture = p.architecture;
    d.platform = p.platform;
    if (auto it = offers.find(d.architecture); it != offers.end()) d.instance_types = it->second;
    d.serving = !d.instance_types.empty();
    const std::string data = dir_ + "/device-" + d.architecture;
    common::SpawnOptions o;
    o.argv = {bin_dir_ + "/teepnet-device",
              "run",
              "--tam",
              url_ + "/tam",
              "--data",
              data,
              "--platform",
              d.platform,
              "--sim-vendors",
              dir_ + "/sim-vendors",
              "--enroll-token-file",
              dir_ + "/moc/enroll-token",
              "--tam-key",
              dir_ + "/moc/tam-key.pub.pem",
              "--tc-signer",
              dir_ + "/signer.pub.pem",
              "--backoff-initial-ms",
              "100",
              "--backoff-max-ms",
              "400"};
    if (std::find(d.instance_types.begin(), d.instance_types.end(), "container") !=
        d.instance_types.end()) {
      TEEPNET_RETURN_IF_ERROR(MakeContainersDir());
      o.argv.insert(o.argv.end(),
                    {"--container-state-dir", containers_dir_ + "/" + d.architecture});
    }
    if (std::find(d.instance_types.begin(), d.instance_types.end(), "vm") !=
        d.instance_types.end()) {
      // Each VM instance gets its initramfs, sockets and console log here (removed with the
      // demo directory).
      o.argv.insert(o.argv.end(), {"--vm-state-dir", data + "-vms"});
    }
    if (std::find(debug.begin(), debug.end(), d.architecture) != debug.end()) {
      o.argv.push_back("--sim-debug");
    }
    if (d.serving) {
      // The Agent claims what it offers in its evidence; the M/OC takes the device's capacity
      // from the appraised claim (USE-CASES "Device capacity").
      std::string types;
      for (const std::string& t : d.instance_types) types += (types.empty() ? "" : ",") + t;
      o.argv.insert(o.argv.end(), {"--instance-types", types, "--slots", std::to_string(slots)});
      // Polls the TAM and its relay inbox; this is how fast a request moves.
      o.argv.insert(o.argv.end(), {"--poll-interval-ms", "300"});
    } else {
      // Enrolls and gets attested once, then exits: the architectures teepnet cannot place
      // anything on yet still show their attestation.
      o.argv.insert(o.argv.end(), {"--once", "--deadline-ms", std::to_string(kEnrollMs)});
    }
    o.stdout_path = dir_ + "/device-" + d.architecture + ".log";
    o.stderr_path = o.stdout_path;
    TEEPNET_ASSIGN_OR_RETURN(common::Subprocess process, common::Subprocess::Spawn(o));
    d.process.emplace(std::move(process));
    devices_.push_back(std::move(d));
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(kEnrollMs);
  for (DemoDevice& d : devices_) {
    const std::string record = dir_ + "/device-" + d.architecture + "/device.json";
    for (;;) {
      json j = json::parse(ReadText(record), nullptr, false);
      if (j.is_object() && j.contains("device_id") && j["device_id"].is_string()) {
        d.id = j["device_id"].get<std::string>();
      }
      // A serving device is ready once enrolled; a one-shot one once its round is done.
      const std::optional<int> exited = d.process->Poll();
      if (d.serving && exited.has_value()) {
        return Died("the " + d.architecture + " device",
                    ReadText(dir_ + "/device-" + d.architecture + ".log"));
      }
      if (!d.serving && exited.has_value()) {
        if (*exited != 0 || d.id.empty()) {
          return Died("the " + d.architecture + " device",
                      ReadText(dir_ + "/device-" + d.architecture + ".log"));
        }
        break;
      }
      if (d.serving && !d.id.empty()) break;
      if (Clock::now() > deadline) {
        return Error(Code::kDeadlineExceeded, "the " + d.architecture + " device did not enroll");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return OkStatus();
}

Status DemoCluster::CreateTenant() {
  TEEPNET_ASSIGN_OR_RETURN(MocClient admin, MocClient::Create(url_, "", admin_token_));
  const auto deadline = Clock::now() + std::chrono::milliseconds(kStartMs);
  const std::string tenant = json{{"name", "demo-user"}}.dump();
  TEEPNET_ASSIGN_OR_RETURN(
      MocReply created, admin.Call("POST", "/api/v1/tenants", "application/json", AsBytes(tenant),
                                   Retry::kNo, deadline));
  json body = created.Json();
  if (created.status != 201 || !body.is_object() || !body.contains("token")) {
    return Error(Code::kUnavailable, "creating the demo tenant: " + created.ErrorText());
  }
  tenant_token_ = body.value("token", std::string());
  return OkStatus();
}

Status DemoCluster::WaitForAttestedCapacity(const std::vector<std::string>& debug) {
  TEEPNET_ASSIGN_OR_RETURN(MocClient admin, MocClient::Create(url_, "", admin_token_));
  const auto deadline = Clock::now() + std::chrono::milliseconds(kEnrollMs);
  for (DemoDevice& d : devices_) {
    if (!d.serving || std::find(debug.begin(), debug.end(), d.architecture) != debug.end()) {
      continue;
    }
    // The device's first appraisal records its architecture and the capacity its Agent
    // claimed (the instance types the demo chose within seed Figure 2).
    for (;;) {
      TEEPNET_ASSIGN_OR_RETURN(MocReply list, admin.Call("GET", "/api/v1/devices", "", {},
                                                         Retry::kUntilDeadline, deadline));
      bool ready = false;
      const json devices = list.Json();
      for (const json& entry : devices.is_array() ? devices : json::array()) {
        if (!entry.is_object() || entry.value("id", std::string()) != d.id) continue;
        ready = entry.value("architecture_attested", false) &&
                entry.value("architecture", std::string()) == d.architecture &&
                entry.contains("instance_types") &&
                entry["instance_types"] == json(d.instance_types);
      }
      if (ready) break;
      if (d.process->Poll().has_value()) {
        return Died("the " + d.architecture + " device",
                    ReadText(dir_ + "/device-" + d.architecture + ".log"));
      }
      if (Clock::now() > deadline) {
        return Error(Code::kDeadlineExceeded,
                     "the M/OC did not record the attested capacity of the " + d.architecture +
                         " device: " + devices.dump());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return OkStatus();
}

std::map<std::string, std::string> DemoCluster::EarStatuses() const {
  std::map<std::string, std::string> out;
  auto admin = MocClient::Create(url_, "", admin_token_);
  if (!admin.ok()) return out;
  auto reply = admin->Call("GET", "/admin/v1/status", "", {}, Retry::kNo, Clock::now());
  if (!reply.ok() || reply->status != 200) return out;
  const json devices = reply->Json();
  if (!devices.is_array()) return out;
  for (const json& d : devices) {
    if (!d.is_object()) continue;
    std::string status = d.contains("ear_status") && d["ear_status"].is_string()
                             ? d["ear_status"].get<std::string>()
                             : "none";
    out[d.value("device_id", std::string())] = status;
  }
  return out;
}

}  // namespace teepnet::cli
