#include "teepnet/runtime/container_probe.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

#include "teepnet/base/file.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/tool.h"

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Where the probe container's ids 0..65535 land on the host (any unused range will do; the
// container owns no files).
constexpr uint32_t kProbeIdBase = 300000;
// Error lines quoted from a runtime are cut here.
constexpr size_t kMaxReasonChars = 300;

Capability No(std::string reason) {
  return Capability{false, std::move(reason)};
}

struct ProbeProgram {
  std::string host_path;
  std::vector<std::string> args;  // argv inside the container, its path in the root first
};

// A static program that exits 0 without needing anything else in its root: busybox-static's
// busybox ("true"), else glibc's ldconfig, which Debian builds static-pie ("--version").
std::optional<ProbeProgram> FindStaticProgram() {
  const std::pair<const char*, const char*> candidates[] = {{"busybox", "true"},
                                                            {"ldconfig", "--version"}};
  for (const auto& [name, arg] : candidates) {
    auto path = FindTool(name);
    if (!path) continue;
    auto bytes = ReadFile(*path, size_t{16} << 20);
    // Under its own name: busybox picks the applet from argv[0] first.
    if (bytes.ok() && IsStaticElf(*bytes)) {
      return ProbeProgram{*path, {std::string("/") + name, arg}};
    }
  }
  return std::nullopt;
}

json ProbeConfig(const std::vector<std::string>& args) {
  const json id_map =
      json::array({{{"containerID", 0}, {"hostID", kProbeIdBase}, {"size", 65536}}});
  json namespaces = json::array();
  for (const char* type : {"pid", "network", "ipc", "uts", "mount", "user", "cgroup"}) {
    namespaces.push_back({{"type", type}});
  }
  return {
      {"ociVersion", "1.0.2"},
      {"process",
       {{"terminal", false},
        {"user", {{"uid", 0}, {"gid", 0}}},
        {"args", args},
        {"env", {"PATH=/"}},
        {"cwd", "/"},
        {"noNewPrivileges", true}}},
      {"root", {{"path", "rootfs"}, {"readonly", true}}},
      {"hostname", "probe"},
      {"mounts",
       {{{"destination", "/proc"}, {"type", "proc"}, {"source", "proc"}},
        {{"destination", "/dev"},
         {"type", "tmpfs"},
         {"source", "tmpfs"},
         {"options", {"nosuid", "noexec", "mode=755", "size=64k"}}}}},
      {"linux", {{"uidMappings", id_map}, {"gidMappings", id_map}, {"namespaces", namespaces}}}};
}

// The runtime's last non-empty output line: where runc and crun put the reason they stopped.
std::string LastLine(const std::string& output) {
  size_t end = output.find_last_not_of(" \n\r\t");
  if (end == std::string::npos) return "no output";
  size_t start = output.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  std::string line = output.substr(start, end + 1 - start);
  if (line.size() > kMaxReasonChars) line = line.substr(0, kMaxReasonChars) + "...";
  return line;
}

}  // namespace

Capability ProbeRuntime(const std::string& runtime) {
  const auto path = FindTool(runtime);
  if (!path) return No(runtime + " is not installed (scripts/deps.sh installs it)");
  auto version = RunTool({*path, "--version"}, kRuntimeProbeTimeoutMs);
  if (!version.ok() || version->exit_code != 0) return No(runtime + " --version failed");
  const std::string first = version->output.substr(0, version->output.find('\n'));
  const auto program = FindStaticProgram();
  if (!program) {
    return No(
        "no static program to run a probe container with (scripts/deps.sh installs "
        "busybox-static)");
  }
  char tmpl[] = "/tmp/teepnet-runtime-probe.XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return No("mkdtemp for the probe bundle failed");
  const std::string dir = tmpl;
  const std::string bundle = dir + "/bundle";
  // Unique per probe, not just per process: runc names the container's cgroup after it, and two
  // threads may probe at once.
  const std::string id =
      "teepnet-probe-" + std::to_string(::getpid()) + "-" + dir.substr(dir.rfind('.') + 1);
  Capability result = [&]() -> Capability {
    // The runtime's init walks to the root as the mapped root, "other" to these directories.
    const fs::perms search = fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec;
    const fs::perms open = search | fs::perms::group_read | fs::perms::others_read;
    std::error_code ec;
    fs::permissions(dir, search, ec);
    for (const std::string& d :
         {bundle, bundle + "/rootfs", bundle + "/rootfs/proc", bundle + "/rootfs/dev"}) {
      if (!ec) fs::create_directory(d, ec);
      if (!ec) fs::permissions(d, open, ec);
    }
    const std::string inside = bundle + "/rootfs" + program->args[0];
    if (!ec) fs::copy_file(program->host_path, inside, ec);
    if (!ec) fs::permissions(inside, open, ec);
    if (ec) return No("cannot build the probe bundle: " + ec.message());
    const std::string config = ProbeConfig(program->args).dump();
    if (!WriteFileAtomic(bundle + "/config.json", AsBytes(config), 0600).ok()) {
      return No("cannot write the probe bundle's config.json");
    }
    auto ran = RunTool({*path, "--root", dir + "/state", "run", "--bundle", bundle, id},
                       kRuntimeProbeTimeoutMs);
    if (!ran.ok()) return No(runtime + " probe container: " + ran.error().message());
    if (ran->exit_code != 0) {
      return No(runtime + " cannot run a container here: " + LastLine(ran->output));
    }
    return Capability{true, first};
  }();
  if (auto p = FindTool(runtime)) {
    (void)RunTool({*p, "--root", dir + "/state", "delete", "--force", id}, kRuntimeProbeTimeoutMs);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return result;
}

ContainerProbe ProbeContainers(const std::string& runtime) {
  ContainerProbe probe;
  if (runtime == kAutoRuntime) {
    // crun is the lighter runtime; runc is what works on hybrid cgroup hosts.
    const Capability crun = ProbeRuntime("crun");
    if (crun.available) {
      probe.runtime_name = "crun";
      probe.runtime = crun;
      probe.choice = "auto: crun (its probe container ran)";
    } else {
      probe.runtime_name = "runc";
      probe.runtime = ProbeRuntime("runc");
      probe.choice = "auto: runc (" + crun.Line("crun") + ")";
    }
  } else {
    probe.runtime_name = runtime;
    probe.runtime = ProbeRuntime(runtime);
  }
  if (auto path = FindTool("umoci")) {
    probe.umoci = Capability{true, *path};
  } else {
    probe.umoci = No("umoci is not installed (scripts/deps.sh installs it)");
  }
  const ProbeReport host = Probe();
  if (!host.user_namespace.available) {
    probe.user_namespace = host.user_namespace;
  } else if (!host.id_range_map.available) {
    probe.user_namespace = host.id_range_map;
  } else {
    probe.user_namespace = Capability{true, {}};
  }
  probe.cgroups = ProbeCgroupLayout();
  return probe;
}

std::string ContainerProbe::ToString() const {
  std::string out = runtime.Line(("container runtime " + runtime_name).c_str());
  if (!choice.empty()) out += "\nruntime choice: " + choice;
  out += "\n" + umoci.Line("umoci");
  out += "\n" + user_namespace.Line("user namespace with 65536 ids");
  out += "\ncgroup layout: " + cgroups.Describe();
  for (const char* controller : {"memory", "pids", "cpu"}) {
    out += "\n" + cgroups.Controller(controller)
                      .Line((std::string("cgroup ") + controller + " limit").c_str());
  }
  return out;
}

}  // namespace teepnet::runtime
