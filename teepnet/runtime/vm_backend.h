// The confidential VM backend (DESIGN §3, spec/instance-runtimes.md §3): each TA instance is a
// qemu microvm that boots the host's Debian kernel (direct boot, no firmware; by default the
// bzImage's uncompressed ELF through its PVH entry, see VmOptions::boot_uncompressed) with an
// initramfs this backend builds for it (runtime/vm_image.h: our static guest agent as /init,
// static busybox, the TA as /ta and its argv/environment as /config).
//
//   qemu-system-x86_64 -M microvm,x-option-roms=off,rtc=on -cpu max -smp 1 -m 256 -nodefaults
//     -no-user-config -nographic -no-reboot -accel tcg -kernel K -initrd I -append C
//     serial 0 (0x3f8) = the console -> the instance log
//     serial 1 (0x2f8) = the host link (runtime/vm_link.h), a socketpair handed to qemu as fd 3
//     QMP on <instance dir>/qmp.sock (stop: "quit", then SIGKILL)
//
// TCG unless options.try_kvm and a bounded probe boot under KVM reached the guest agent: on the
// dev machine /dev/kvm is PVM-only and a stock kernel hangs under it (§0), so "/dev/kvm exists"
// is never taken to mean "KVM works". `-cpu max` is required under TCG (microvm with the
// default CPU model hung).
//
// Start() returns once the guest agent has greeted the host over the link (start-to-ready), so
// the caller's answer deadline does not include the boot. The instance's channel (spec's
// channel_fd) is served by a relay thread that carries the TA channel over the link unchanged:
// the Agent and the TA exchange exactly the ta_wire frames they would with a process. When the
// Agent closes its end the guest closes the TA's; when the TA exits the guest reports its exit
// status and powers off, and qemu exits.
//
// Measurement = the launch digest of vm_image.h over kernel, initramfs (which contains the TA),
// command line and VM configuration. The guest asks for evidence of its own key over the link
// (kEvidenceRequest, vm_guest_key.h); the relay answers with options.guest_evidence, the
// device platform playing the guest's secure processor, with this launch digest as the
// guest's measurement.
//
// What this does not give: under TCG (or KVM without SEV-SNP/TDX) the guest's memory is plain
// host memory that root can read; the initramfs is a host file under state_dir until the
// instance ends. The isolation report says so.
#ifndef TEEPNET_RUNTIME_VM_BACKEND_H_
#define TEEPNET_RUNTIME_VM_BACKEND_H_

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/crypto/random.h"
#include "teepnet/runtime/instance.h"
#include "teepnet/runtime/probe.h"
#include "teepnet/runtime/vm_image.h"

namespace teepnet::runtime {

// The guest agent's file name, looked for next to the running program by default.
inline constexpr const char* kGuestAgentName = "teepnet-guest-agent";
// A kernel image, the guest agent or busybox larger than this is refused.
inline constexpr size_t kMaxVmInputBytes = 128u << 20;
// The uncompressed kernel (the Debian 6.1 vmlinux is 66 MB).
inline constexpr size_t kMaxVmKernelBytes = 512u << 20;
// A guest asks once at boot (vm_guest_key.h); a few more are answered, then none.
inline constexpr int kMaxEvidenceRequests = 4;
inline constexpr size_t kGuestReportDataSize = 64;

// The platform's evidence for a guest: `report_data` as the guest chose it, the instance's
// launch measurement as the guest's measurement (attest::Platform::GetGuestEvidence). Called
// on the instance's relay thread.
using GuestEvidenceFn =
    std::function<Result<Bytes>(ByteView report_data, ByteView launch_measurement)>;

struct VmOptions {
  // Per-instance directories (initramfs, QMP socket, qemu pid) and the kernel copy live here.
  std::string state_dir;
  std::string qemu = "qemu-system-x86_64";
  // The bzImage to boot; empty: the newest /boot/vmlinuz-* (linux-image-amd64).
  std::string kernel_path;
  // The static guest agent; empty: teepnet-guest-agent next to /proc/self/exe.
  std::string guest_agent_path;
  // Static busybox; empty: /bin/busybox (busybox-static).
  std::string busybox_path;
  VmConfig config;
  // Boot the kernel's uncompressed ELF, extracted from the bzImage once at Create (xz, gzip or
  // zstd on the host) and entered through its PVH note, instead of the bzImage: under TCG the
  // guest-side xz decompression of the Debian kernel takes most of the boot (on a loaded dev
  // machine ~20 s of ~25 s; with the ELF the guest agent was up in 4-8 s). Falls back to the
  // bzImage, with the reason in the probe, when extraction is impossible.
  bool boot_uncompressed = true;
  // Appended to the kernel command line (measured like the rest).
  std::string extra_cmdline;
  // Under TCG, qemu's -icount setting ("" for none). Without it the guest's TSC and PIT run on
  // host time while the guest itself runs as fast as the host lets it: on a loaded host the
  // kernel fails to calibrate the TSC ("Unable to calibrate against PIT") and hangs. With
  // instruction counting both clocks follow the guest's own progress; "shift=auto" keeps that
  // virtual time close to real time (the guest's clock checks sealed messages' freshness).
  std::string tcg_icount = "shift=auto";
  // KVM only when asked for and a probe boot under it reaches the guest agent in time.
  bool try_kvm = false;
  int kvm_probe_timeout_ms = 20'000;
  // From qemu's launch to the guest agent's hello; then the boot counts as failed.
  int boot_timeout_ms = 60'000;
  // Answers the guests' evidence requests. Unset: every request is answered with "no
  // platform", the guest announces its key without evidence, and an Agent that requires
  // evidence releases nothing into it.
  GuestEvidenceFn guest_evidence;
};

// What the machine offers VMs. KVM is only ever "yes" after a probe boot (VmBackend::Create
// with try_kvm); ProbeVms itself never boots anything.
struct VmProbe {
  Capability qemu;
  Capability kernel;
  Capability busybox;
  Capability guest_agent;
  Capability kvm;
  bool usable() const {
    return qemu.available && kernel.available && busybox.available && guest_agent.available;
  }
  // One line per item: "qemu: yes (QEMU emulator version 7.2.x)" / "kernel: no (...)".
  std::string ToString() const;
};
VmProbe ProbeVms(const VmOptions& options = {});

class VmBackend final : public InstanceBackend {
 public:
  // kSetupFailed naming what is missing when the probe says VMs cannot run here.
  static Result<std::unique_ptr<VmBackend>> Create(VmOptions options);

  std::string_view kind() const override { return "vm"; }
  // spec.executable (or executable_path) is the TA; image_path is not supported. spec.limits
  // are not applied to qemu (the VM's memory and vCPU count bound the guest).
  Result<std::unique_ptr<Instance>> Start(const InstanceSpec& spec) override;
  // Kills qemu processes recorded in instance directories this backend does not run (checking
  // that the pid still is that qemu) and removes those directories.
  Status CleanupStale() override;

  const VmProbe& probe() const { return probe_; }
  bool kvm() const { return kvm_; }
  // SHA-256 of the kernel image qemu boots (the extracted ELF, or the bzImage).
  const Bytes& kernel_sha256() const { return kernel_sha256_; }
  // "vmlinux (PVH) from /boot/vmlinuz-..." or "bzImage /boot/vmlinuz-... (why not the ELF)".
  const std::string& kernel_description() const { return kernel_description_; }
  // The kernel command line every instance boots with.
  std::string Cmdline() const;
  // The launch measurement an instance of `ta` with `config` gets (what a verifier expects).
  Bytes ExpectedMeasurement(ByteView ta, const GuestConfig& config) const;

 private:
  VmBackend(VmOptions options, VmProbe probe, std::string qemu_path, Bytes guest_agent,
            Bytes busybox, Bytes kernel_sha256, std::string kernel_copy);
  // Boots the instance; `boot_timeout_ms` bounds the time to the guest agent's hello.
  Result<std::unique_ptr<Instance>> Boot(const InstanceSpec& spec, bool kvm, int boot_timeout_ms);

  VmOptions options_;
  VmProbe probe_;
  std::string qemu_path_;
  Bytes guest_agent_;
  Bytes busybox_;
  Bytes kernel_sha256_;
  std::string kernel_copy_;  // what qemu boots: the measured bytes, copied into state_dir
  std::string kernel_description_;
  bool kvm_ = false;
  crypto::SystemRandom random_;
  struct Live {
    std::mutex mu;
    std::set<std::string> dirs;  // instance directory names ("v-<name>-<hex>")
  };
  std::shared_ptr<Live> live_ = std::make_shared<Live>();
};

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_VM_BACKEND_H_
