#include "teepnet/runtime/vm_backend.h"

#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/instance_internal.h"
#include "teepnet/runtime/launcher.h"
#include "teepnet/runtime/log_tail.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/process_instance.h"
#include "teepnet/runtime/qmp.h"
#include "teepnet/runtime/ta_wire.h"
#include "teepnet/runtime/tool.h"
#include "teepnet/runtime/vm_link.h"

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;

// The guest's console and the link (vm_link.h): the second ISA serial port is added as a device
// because microvm wires only the first -serial to hardware.
constexpr const char* kLinkIoBase = "0x2f8";
constexpr const char* kLinkIrq = "3";
// What the relay queues towards either side before it stops reading the other.
constexpr size_t kMaxRelayQueue = kMaxFramePayload + (1u << 20);
constexpr size_t kRelayReadChunk = 64 * 1024;
constexpr int kQmpTimeoutMs = 2'000;
// After qemu exited, how long GetStatus/Wait wait for the relay to have read the guest's last
// frames (its TA exit report) from the link.
constexpr int kLinkDrainMs = 2'000;
constexpr size_t kLogTailBytes = 2048;
constexpr size_t kLogTailLines = 3;

Status MakeDir(const std::string& path, fs::perms perms) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Error(Errc::kSystem, "create " + path + ": " + ec.message());
  fs::permissions(path, perms, ec);
  if (ec) return Error(Errc::kSystem, "chmod " + path + ": " + ec.message());
  return OkStatus();
}

// The last lines of the instance log (console and qemu's own messages), for boot failures.
std::string LogTail(const std::string& path) {
  const std::string tail = ReadLogTail(path, kLogTailBytes);
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < tail.size()) {
    size_t end = tail.find('\n', start);
    if (end == std::string::npos) end = tail.size();
    std::string line = tail.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  std::string out;
  for (size_t i = lines.size() > kLogTailLines ? lines.size() - kLogTailLines : 0; i < lines.size();
       ++i) {
    out += (out.empty() ? "" : " | ") + lines[i];
  }
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out.empty() ? "" : " (log: " + out + ")";
}

std::optional<std::string> NewestKernel() {
  std::optional<std::string> best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/boot", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("vmlinuz-", 0) != 0 || !entry.is_regular_file(ec)) continue;
    if (!best || ::strverscmp(name.c_str(), fs::path(*best).filename().c_str()) > 0) {
      best = entry.path().string();
    }
  }
  return best;
}

std::string DefaultGuestAgent() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return kGuestAgentName;
  return (self.parent_path() / kGuestAgentName).string();
}

std::string KernelPath(const VmOptions& o) {
  if (!o.kernel_path.empty()) return o.kernel_path;
  return NewestKernel().value_or("");
}

Capability StaticProgram(const std::string& path, const char* what, const char* fix) {
  if (path.empty() || ::access(path.c_str(), R_OK) != 0) {
    return {false, std::string(what) + " not found" + (path.empty() ? "" : " at " + path) + " (" +
                       fix + ")"};
  }
  auto bytes = ReadFile(path, kMaxVmInputBytes);
  if (!bytes.ok()) return {false, bytes.error().message()};
  if (!IsStaticElf(*bytes)) {
    return {false, path + " is not a static ELF executable (the initramfs has no libraries)"};
  }
  return {true, path};
}

// The uncompressed kernel of `bzimage`, written to `dir`/vmlinux (0400) by the host's
// decompressor; kSetupFailed naming why not.
Result<std::string> ExtractVmlinux(ByteView bzimage, const std::string& dir) {
  TEEPNET_ASSIGN_OR_RETURN(KernelPayload payload, FindBzImagePayload(bzimage));
  struct Tool {
    const char* format;
    const char* program;
    const char* suffix;
    std::vector<std::string> flags;
  };
  // The build appends the uncompressed size after the compressed stream, so the decompressor
  // must stop at the end of the first stream (xz --single-stream; gzip warns and exits 2).
  const Tool tools[] = {{"xz", "xz", ".xz", {"-d", "-f", "-q", "--single-stream"}},
                        {"gzip", "gzip", ".gz", {"-d", "-f", "-q"}},
                        {"zstd", "zstd", ".zst", {"-d", "-f", "-q", "--rm"}}};
  for (const Tool& tool : tools) {
    if (payload.format != tool.format) continue;
    auto program = FindTool(tool.program);
    if (!program) {
      return Error(Errc::kSetupFailed, std::string(tool.program) + " is not installed");
    }
    const std::string out = dir + "/vmlinux";
    const std::string compressed = out + tool.suffix;
    std::error_code ec;
    fs::remove(out, ec);
    TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(compressed, payload.bytes, 0600));
    std::vector<std::string> argv{*program};
    argv.insert(argv.end(), tool.flags.begin(), tool.flags.end());
    argv.push_back(compressed);
    auto ran = RunTool(argv, 120'000);
    fs::remove(compressed, ec);
    if (!ran.ok()) return std::move(ran).TakeError();
    if (ran->exit_code != 0 && !(payload.format == "gzip" && ran->exit_code == 2)) {
      return Error(Errc::kSetupFailed, std::string(tool.program) + " -d failed: " + ran->output);
    }
    fs::permissions(out, fs::perms::owner_read, ec);
    return out;
  }
  return Error(Errc::kSetupFailed, "no decompressor for " + payload.format);
}

// Shared between a VM instance and its relay thread.
struct RelayState {
  std::mutex mu;
  std::condition_variable cv;
  bool link_closed = false;
  std::optional<TaExitReport> ta_exit;
};

// Answers a guest's kEvidenceRequest with the platform's evidence for it (vm_guest_key.h), or
// with the reason there is none.
Bytes AnswerEvidenceRequest(const GuestEvidenceFn& evidence, ByteView report_data,
                            ByteView launch_measurement) {
  EvidenceReply reply;
  if (report_data.size() != kGuestReportDataSize) {
    reply.reason = "the report data must be " + std::to_string(kGuestReportDataSize) + " bytes";
  } else if (!evidence) {
    reply.reason = "this host has no platform to attest its confidential VMs";
  } else if (auto got = evidence(report_data, launch_measurement); !got.ok()) {
    reply.reason = got.error().ToString();
  } else if (got->size() + 1 > kMaxLinkPayload) {
    reply.reason = "the platform's evidence does not fit one link frame";
  } else {
    reply.ok = true;
    reply.evidence = *std::move(got);
  }
  return EncodeLinkFrame(LinkKind::kEvidence, EncodeEvidenceReply(reply));
}

// Carries the TA channel between the Agent's socket and the link until qemu closes the link
// (or `stop` is signalled). `decoder` holds what arrived with the guest's hello. The guest's
// evidence requests are answered here, on the host's side of the link, at most
// kMaxEvidenceRequests times per instance.
void RunRelay(int link, int agent, int stop, LinkDecoder decoder, std::shared_ptr<RelayState> state,
              GuestEvidenceFn evidence, Bytes launch_measurement) {
  Bytes to_guest, to_agent;
  int evidence_requests = 0;
  bool link_open = true;
  bool agent_open = agent >= 0;
  if (!agent_open) Append(to_guest, EncodeLinkFrame(LinkKind::kClose));
  auto close_link = [&] {
    if (!link_open) return;
    link_open = false;
    std::lock_guard<std::mutex> lock(state->mu);
    state->link_closed = true;
    state->cv.notify_all();
  };
  auto drain = [&] {
    for (;;) {
      auto frame = decoder.Next();
      if (!frame.ok()) {
        // A guest that breaks the framing gets nothing more through; qemu keeps running until
        // the instance is stopped.
        close_link();
        return;
      }
      if (!frame->has_value()) return;
      LinkFrame& f = **frame;
      if (f.kind == LinkKind::kData) {
        Append(to_agent, f.payload);
      } else if (f.kind == LinkKind::kTaExit) {
        auto report = DecodeTaExit(f.payload);
        if (report.ok()) {
          std::lock_guard<std::mutex> lock(state->mu);
          state->ta_exit = *report;
        }
      } else if (f.kind == LinkKind::kEvidenceRequest &&
                 ++evidence_requests <= kMaxEvidenceRequests) {
        Append(to_guest, AnswerEvidenceRequest(evidence, f.payload, launch_measurement));
      }
      // Repeated kHello frames (sent before the guest saw our kAck) are ignored.
    }
  };
  auto flush = [](int fd, Bytes& queue) {
    while (!queue.empty()) {
      const ssize_t n = ::send(fd, queue.data(), queue.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        queue.erase(queue.begin(), queue.begin() + n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    return true;
  };
  drain();
  std::vector<uint8_t> buffer(kRelayReadChunk);
  while (link_open || (agent_open && !to_agent.empty())) {
    short link_events = 0;
    if (link_open && to_agent.size() < kMaxRelayQueue) link_events |= POLLIN;
    if (link_open && !to_guest.empty()) link_events |= POLLOUT;
    short agent_events = 0;
    if (agent_open && link_open && to_guest.size() < kMaxRelayQueue) agent_events |= POLLIN;
    if (agent_open && !to_agent.empty()) agent_events |= POLLOUT;
    pollfd fds[3] = {{link_events ? link : -1, link_events, 0},
                     {agent_events ? agent : -1, agent_events, 0},
                     {stop, POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[2].revents) break;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::recv(link, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n > 0) {
        decoder.Feed(ByteView(buffer.data(), static_cast<size_t>(n)));
        drain();
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        close_link();
      }
    }
    if ((fds[1].revents & (POLLIN | POLLHUP | POLLERR)) && (agent_events & POLLIN)) {
      const ssize_t n = ::recv(agent, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n > 0) {
        AppendDataFrames(to_guest, ByteView(buffer.data(), static_cast<size_t>(n)));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        // The Agent closed its end: the guest closes the TA's.
        agent_open = false;
        Append(to_guest, EncodeLinkFrame(LinkKind::kClose));
      }
    }
    if (link_open && !flush(link, to_guest)) close_link();
    if (agent_open && !flush(agent, to_agent)) {
      to_agent.clear();
      agent_open = false;
    }
  }
  close_link();
  if (agent >= 0) ::close(agent);  // the Agent reads EOF: the VM is gone
  ::close(link);
}

class VmInstance final : public Instance {
 public:
  // Takes ownership of `link`, `agent` and `stop` (an eventfd that ends the relay).
  VmInstance(std::unique_ptr<ProcessInstance> qemu, std::string qmp_path, int link, int agent,
             int stop, LinkDecoder decoder, GuestEvidenceFn evidence)
      : qemu_(std::move(qemu)), qmp_path_(std::move(qmp_path)), stop_(stop) {
    relay_ = std::thread(RunRelay, link, agent, stop_, std::move(decoder), state_,
                         std::move(evidence), qemu_->measurement());
  }
  ~VmInstance() override {
    StopRelay();
    qemu_.reset();  // kills and reaps qemu if still running, then removes the instance directory
  }
  VmInstance(const VmInstance&) = delete;
  VmInstance& operator=(const VmInstance&) = delete;

  std::string_view name() const override { return qemu_->name(); }
  pid_t pid() const override { return qemu_->pid(); }
  const Bytes& measurement() const override { return qemu_->measurement(); }
  const IsolationReport& isolation() const override { return qemu_->isolation(); }

  InstanceStatus GetStatus() override {
    InstanceStatus status = qemu_->GetStatus();
    if (!status.running) status.exit = ExitOf(status.exit);
    return status;
  }
  Result<ExitInfo> Wait(int timeout_ms) override {
    auto exited = qemu_->Wait(timeout_ms);
    if (!exited.ok()) return exited;
    return ExitOf(*exited);
  }
  // QMP "quit" (qemu exits at once, ~1 ms), up to grace_ms, then SIGTERM and SIGKILL.
  ExitInfo Stop(int grace_ms) override {
    if (qemu_->GetStatus().running) {
      QmpClient qmp;
      if (qmp.Connect(qmp_path_, kQmpTimeoutMs).ok()) (void)qmp.Execute("quit", kQmpTimeoutMs);
      if (!qemu_->Wait(grace_ms).ok()) (void)qemu_->Stop(0);
    }
    return ExitOf(qemu_->Stop(0));
  }

 private:
  // How the instance ended: the TA's exit as the guest reported it, else qemu's.
  ExitInfo ExitOf(ExitInfo qemu_exit) {
    std::unique_lock<std::mutex> lock(state_->mu);
    state_->cv.wait_for(lock, std::chrono::milliseconds(kLinkDrainMs),
                        [&] { return state_->link_closed; });
    if (!state_->ta_exit) return qemu_exit;
    ExitInfo exit;
    exit.signaled = state_->ta_exit->signaled;
    (exit.signaled ? exit.signal : exit.code) = static_cast<int>(state_->ta_exit->value);
    return exit;
  }
  void StopRelay() {
    if (relay_.joinable()) {
      const uint64_t one = 1;
      (void)!::write(stop_, &one, sizeof one);
      relay_.join();
    }
    if (stop_ >= 0) ::close(stop_);
    stop_ = -1;
  }

  std::unique_ptr<ProcessInstance> qemu_;
  std::string qmp_path_;
  int stop_;
  std::shared_ptr<RelayState> state_ = std::make_shared<RelayState>();
  std::thread relay_;
};

}  // namespace

std::string VmProbe::ToString() const {
  auto line = [](const char* what, const Capability& c) { return c.Line(what); };
  return line("qemu", qemu) + "\n" + line("kernel", kernel) + "\n" + line("busybox", busybox) +
         "\n" + line("guest agent", guest_agent) + "\n" + line("kvm", kvm);
}

VmProbe ProbeVms(const VmOptions& options) {
  VmProbe probe;
  if (auto path = FindTool(options.qemu)) {
    auto version = RunTool({*path, "--version"}, 10'000);
    if (version.ok() && version->exit_code == 0) {
      probe.qemu = Capability{true, version->output.substr(0, version->output.find('\n'))};
    } else {
      probe.qemu = Capability{false, options.qemu + " --version failed"};
    }
  } else {
    probe.qemu = Capability{
        false, options.qemu + " is not installed (scripts/deps.sh installs qemu-system-x86)"};
  }
  const std::string kernel = KernelPath(options);
  if (kernel.empty()) {
    probe.kernel =
        Capability{false, "no /boot/vmlinuz-* (scripts/deps.sh installs linux-image-amd64)"};
  } else if (::access(kernel.c_str(), R_OK) != 0) {
    probe.kernel = Capability{false, kernel + " is not readable"};
  } else {
    probe.kernel = Capability{true, kernel};
  }
  probe.busybox =
      StaticProgram(options.busybox_path.empty() ? "/bin/busybox" : options.busybox_path,
                    "static busybox", "scripts/deps.sh installs busybox-static");
  probe.guest_agent = StaticProgram(
      options.guest_agent_path.empty() ? DefaultGuestAgent() : options.guest_agent_path,
      "the guest agent", "build the teepnet-guest-agent target; it must link statically");
  if (!options.try_kvm) {
    probe.kvm = Capability{false,
                           "not tried: KVM is used only when configured and a bounded "
                           "probe boot succeeds (TCG otherwise)"};
  } else if (::access("/dev/kvm", R_OK | W_OK) != 0) {
    probe.kvm = Capability{false, "/dev/kvm is not usable"};
  } else {
    probe.kvm = Capability{false, "not probed yet"};
  }
  return probe;
}

VmBackend::VmBackend(VmOptions options, VmProbe probe, std::string qemu_path, Bytes guest_agent,
                     Bytes busybox, Bytes kernel_sha256, std::string kernel_copy)
    : options_(std::move(options)),
      probe_(std::move(probe)),
      qemu_path_(std::move(qemu_path)),
      guest_agent_(std::move(guest_agent)),
      busybox_(std::move(busybox)),
      kernel_sha256_(std::move(kernel_sha256)),
      kernel_copy_(std::move(kernel_copy)) {}

Result<std::unique_ptr<VmBackend>> VmBackend::Create(VmOptions options) {
  if (options.state_dir.empty() || options.state_dir[0] != '/') {
    return Error(Errc::kBadSpec, "the VM state directory must be an absolute path");
  }
  VmProbe probe = ProbeVms(options);
  if (!probe.usable()) {
    return Error(Errc::kSetupFailed, "confidential VMs cannot run here: " + probe.ToString());
  }
  TEEPNET_RETURN_IF_ERROR(MakeDir(options.state_dir, fs::perms::owner_all));
  // qemu boots a copy in the state directory, so what runs is exactly what was measured.
  const std::string kernel_path = probe.kernel.reason;
  auto kernel = ReadFile(kernel_path, kMaxVmInputBytes);
  if (!kernel.ok()) return std::move(kernel).TakeError();
  std::string kernel_copy;
  Bytes kernel_sha256;
  std::string kernel_description;
  if (options.boot_uncompressed) {
    auto vmlinux = ExtractVmlinux(*kernel, options.state_dir);
    Result<Bytes> elf =
        vmlinux.ok() ? ReadFile(*vmlinux, kMaxVmKernelBytes) : Result<Bytes>(vmlinux.error());
    if (elf.ok() && HasPvhEntry(*elf)) {
      kernel_copy = *vmlinux;
      kernel_sha256 = crypto::Sha256(*elf);
      kernel_description = "vmlinux (PVH) from " + kernel_path;
    } else {
      kernel_description =
          "bzImage " + kernel_path + " (" +
          (elf.ok() ? std::string("its ELF has no PVH entry note") : elf.error().message()) + ")";
    }
  } else {
    kernel_description = "bzImage " + kernel_path + " (as configured)";
  }
  if (kernel_copy.empty()) {
    kernel_copy = options.state_dir + "/vmlinuz";
    TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(kernel_copy, *kernel, 0400));
    kernel_sha256 = crypto::Sha256(*kernel);
  }
  auto agent = ReadFile(probe.guest_agent.reason, kMaxVmInputBytes);
  if (!agent.ok()) return std::move(agent).TakeError();
  auto busybox = ReadFile(probe.busybox.reason, kMaxVmInputBytes);
  if (!busybox.ok()) return std::move(busybox).TakeError();
  std::string qemu_path = *FindTool(options.qemu);
  const bool try_kvm = options.try_kvm && probe.kvm.reason == "not probed yet";
  std::unique_ptr<VmBackend> backend(
      new VmBackend(std::move(options), std::move(probe), std::move(qemu_path), *std::move(agent),
                    *std::move(busybox), std::move(kernel_sha256), kernel_copy));
  backend->kernel_description_ = std::move(kernel_description);
  if (try_kvm) {
    // The bounded probe boot: busybox stands in for a TA; reaching the guest agent's hello
    // under KVM is what counts.
    InstanceSpec spec;
    spec.name = "kvm-probe";
    spec.executable = backend->busybox_;
    spec.log_path = backend->options_.state_dir + "/kvm-probe.log";
    const int64_t started = MonotonicMs();
    auto booted = backend->Boot(spec, true, backend->options_.kvm_probe_timeout_ms);
    if (booted.ok()) {
      backend->kvm_ = true;
      backend->probe_.kvm = Capability{true, "probe boot reached the guest agent in " +
                                                 std::to_string(MonotonicMs() - started) + " ms"};
      (*booted)->Stop(0);
    } else {
      backend->probe_.kvm =
          Capability{false, "probe boot under KVM failed: " + booted.error().message()};
    }
  }
  return backend;
}

std::string VmBackend::Cmdline() const {
  // secretmem.enable=1: Linux 6.1 keeps memfd_secret off by default, and the TA API keeps
  // its secrets there (runtime/secret_memory.h).
  std::string cmdline = "console=ttyS0 quiet panic=-1 secretmem.enable=1";
  if (!options_.extra_cmdline.empty()) cmdline += " " + options_.extra_cmdline;
  return cmdline;
}

Bytes VmBackend::ExpectedMeasurement(ByteView ta, const GuestConfig& config) const {
  const Bytes initrd = BuildGuestInitramfs(guest_agent_, busybox_, ta, config);
  return VmLaunchDigest(kernel_sha256_, crypto::Sha256(initrd), Cmdline(), options_.config);
}

Result<std::unique_ptr<Instance>> VmBackend::Start(const InstanceSpec& spec) {
  TEEPNET_RETURN_IF_ERROR(ValidateSpec(spec));
  if (!spec.image_path.empty()) {
    return Error(Errc::kBadSpec, "a VM instance takes the TA executable, not an OCI image");
  }
  return Boot(spec, kvm_, options_.boot_timeout_ms);
}

Result<std::unique_ptr<Instance>> VmBackend::Boot(const InstanceSpec& spec, bool kvm,
                                                  int boot_timeout_ms) {
  Bytes ta = spec.executable;
  if (ta.empty()) {
    auto read = ReadFile(spec.executable_path, kMaxVmInputBytes);
    if (!read.ok()) return Error(Errc::kBadSpec, read.error().message());
    ta = *std::move(read);
  }
  const GuestConfig config{spec.args, spec.env};
  if (!DecodeGuestConfig(EncodeGuestConfig(config)).ok()) {
    return Error(Errc::kBadSpec, "instance " + spec.name +
                                     ": args or env beyond the guest config limits (or a NUL)");
  }
  uint8_t suffix[4];
  TEEPNET_RETURN_IF_ERROR(random_.Fill(suffix));
  const std::string dir_name = "v-" + spec.name + "-" + ToHex(suffix);
  const std::string dir = options_.state_dir + "/" + dir_name;
  const std::string qmp_path = dir + "/qmp.sock";
  if (qmp_path.size() >= sizeof(sockaddr_un::sun_path)) {
    return Error(Errc::kBadSpec, "VM state directory too long for a unix socket: " + qmp_path);
  }
  // Listed as live before anything exists on disk, so a concurrent CleanupStale leaves it be.
  {
    std::lock_guard<std::mutex> lock(live_->mu);
    live_->dirs.insert(dir_name);
  }
  std::function<void()> release = [dir, dir_name, live = live_] {
    std::error_code ec;
    fs::remove_all(dir, ec);
    std::lock_guard<std::mutex> lock(live->mu);
    live->dirs.erase(dir_name);
  };
  auto fail = [&](Error error) -> Result<std::unique_ptr<Instance>> {
    release();
    return error;
  };
  if (Status s = MakeDir(dir, fs::perms::owner_all); !s.ok()) return fail(s.error());

  const Bytes initrd = BuildGuestInitramfs(guest_agent_, busybox_, ta, config);
  const std::string initrd_path = dir + "/initrd.cpio";
  if (Status s = WriteFileAtomic(initrd_path, initrd, 0600); !s.ok()) return fail(s.error());
  const std::string cmdline = Cmdline();
  Bytes measurement =
      VmLaunchDigest(kernel_sha256_, crypto::Sha256(initrd), cmdline, options_.config);

  int link[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, link) != 0) {
    return fail(Error(Errc::kSystem, std::string("socketpair: ") + std::strerror(errno)));
  }
  auto log = OpenLog(spec.log_path);
  if (!log.ok()) {
    ::close(link[0]);
    ::close(link[1]);
    return fail(log.error());
  }
  const VmConfig& c = options_.config;
  LaunchPlan plan;
  plan.exec_path = qemu_path_;
  plan.argv = {qemu_path_,
               "-name",
               "teepnet-" + dir_name,
               "-M",
               c.machine,
               "-cpu",
               c.cpu,
               "-smp",
               std::to_string(c.vcpus),
               "-m",
               std::to_string(c.memory_mib),
               "-nodefaults",
               "-no-user-config",
               "-nographic",
               "-no-reboot",
               "-accel",
               kvm ? "kvm" : "tcg",
               "-kernel",
               kernel_copy_,
               "-initrd",
               initrd_path,
               "-append",
               cmdline,
               "-chardev",
               "stdio,id=console,signal=off",
               "-serial",
               "chardev:console",
               "-chardev",
               "socket,id=link,fd=" + std::to_string(kChannelFd),
               "-device",
               std::string("isa-serial,chardev=link,iobase=") + kLinkIoBase + ",irq=" + kLinkIrq,
               "-qmp",
               "unix:" + qmp_path + ",server=on,wait=off"};
  if (!kvm && !options_.tcg_icount.empty()) {
    plan.argv.insert(plan.argv.end(), {"-icount", options_.tcg_icount});
  }
  plan.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  plan.channel_fd = link[1];
  plan.log_fd = *log;
  plan.die_with_parent = true;
  auto launched = Launch(plan);
  ::close(*log);
  ::close(link[1]);
  if (!launched.ok()) {
    ::close(link[0]);
    return fail(launched.error());
  }
  (void)WriteFileAtomic(dir + "/qemu.pid", AsBytes(std::to_string(launched->pid)), 0600);

  IsolationReport report;
  report.applied = {
      "separate guest kernel",  "measured direct boot (kernel, initramfs, command line, VM config)",
      kvm ? "KVM" : "qemu TCG", "channel over a dedicated serial link",
      "no guest network",       "non-root TA with no_new_privs in the guest"};
  report.not_applied = {{"memory encryption",
                         "no SEV-SNP or TDX hardware here: root on the host can read the "
                         "guest's memory"}};
  if (!kvm) report.not_applied.push_back({"KVM", probe_.kvm.reason});
  report.not_applied.push_back(
      {"rlimits", "not applied to qemu; the VM's memory and vCPU count bound the guest"});
  auto qemu = std::make_unique<ProcessInstance>(spec.name, launched->pid, launched->pidfd,
                                                std::move(measurement), std::move(report),
                                                std::move(release));

  // Start-to-ready: wait for the guest agent's hello, then acknowledge it.
  const int64_t deadline = MonotonicMs() + boot_timeout_ms;
  LinkDecoder decoder;
  bool ready = false;
  std::vector<uint8_t> buffer(kRelayReadChunk);
  while (!ready) {
    if (!qemu->GetStatus().running) {
      const ExitInfo exit = qemu->Stop(0);
      ::close(link[0]);
      return Error(Errc::kSetupFailed, "qemu ended (" + exit.ToString() +
                                           ") before the guest agent came up" +
                                           LogTail(spec.log_path));
    }
    const int64_t left = deadline - MonotonicMs();
    if (left <= 0) {
      qemu.reset();
      ::close(link[0]);
      return Error(Errc::kTimeout, "the guest agent did not come up within " +
                                       std::to_string(boot_timeout_ms) + " ms" +
                                       LogTail(spec.log_path));
    }
    pollfd p{link[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 100))) <= 0) continue;
    const ssize_t n = ::recv(link[0], buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n <= 0) continue;  // EOF shows as qemu's exit on the next round
    decoder.Feed(ByteView(buffer.data(), static_cast<size_t>(n)));
    for (;;) {
      auto frame = decoder.Next();
      if (!frame.ok()) {
        qemu.reset();
        ::close(link[0]);
        return Error(Errc::kBadFrame, "the guest agent's hello: " + frame.error().message());
      }
      if (!frame->has_value()) break;
      if ((*frame)->kind == LinkKind::kHello) {
        ready = true;
        break;
      }
    }
  }
  const uint8_t version = kLinkVersion;
  const Bytes ack = EncodeLinkFrame(LinkKind::kAck, ByteView(&version, 1));
  if (::send(link[0], ack.data(), ack.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(ack.size())) {
    qemu.reset();
    ::close(link[0]);
    return Error(Errc::kSystem, "could not acknowledge the guest agent");
  }
  const int stop = ::eventfd(0, EFD_CLOEXEC);
  if (stop < 0) {
    qemu.reset();
    ::close(link[0]);
    return Error(Errc::kSystem, std::string("eventfd: ") + std::strerror(errno));
  }
  int agent = -1;
  if (spec.channel_fd >= 0) {
    agent = ::fcntl(spec.channel_fd, F_DUPFD_CLOEXEC, 0);
    if (agent < 0) {
      qemu.reset();
      ::close(link[0]);
      ::close(stop);
      return Error(Errc::kSystem, std::string("dup channel: ") + std::strerror(errno));
    }
  }
  return std::unique_ptr<Instance>(new VmInstance(std::move(qemu), qmp_path, link[0], agent, stop,
                                                  std::move(decoder), options_.guest_evidence));
}

Status VmBackend::CleanupStale() {
  std::set<std::string> live;
  {
    std::lock_guard<std::mutex> lock(live_->mu);
    live = live_->dirs;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(options_.state_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("v-", 0) != 0 || live.contains(name)) continue;
    // A qemu that outlived its launcher (it should not: it dies with it) is killed, but only if
    // the recorded pid still is that qemu: its command line names this directory.
    auto pid_text = ReadFile(entry.path().string() + "/qemu.pid", 32);
    if (pid_text.ok()) {
      const std::string text(pid_text->begin(), pid_text->end());
      const long pid = std::strtol(text.c_str(), nullptr, 10);
      if (pid > 1) {
        auto cmdline = ReadFile("/proc/" + std::to_string(pid) + "/cmdline", 64 * 1024);
        if (cmdline.ok()) {
          std::string args(cmdline->begin(), cmdline->end());
          if (args.find("teepnet-" + name) != std::string::npos) {
            ::kill(static_cast<pid_t>(pid), SIGKILL);
          }
        }
      }
    }
    fs::remove_all(entry.path(), ec);
  }
  return OkStatus();
}

}  // namespace teepnet::runtime
