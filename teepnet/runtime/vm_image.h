// What a confidential VM boots (runtime/vm_backend.h): the initramfs this project builds for each
// instance, and the launch measurement over everything qemu is given.
//
// Initramfs: a cpio archive in the "newc" format the kernel unpacks (Documentation/driver-api/
// early-userspace/buffer-format.rst: "070701", thirteen 8-digit hex fields, the NUL-terminated
// name and the data, each padded to 4 bytes, ended by "TRAILER!!!"). Every entry has owner 0,
// mtime 0 and a sequential inode number, so the same inputs always give the same bytes and hence
// the same measurement.
//
// Launch measurement (a simulated analogue of the SEV-SNP launch digest, MEASUREMENT in the
// attestation report, or TDX MRTD: one digest fixed before the guest runs that covers its initial
// code, data and configuration):
//
//   SHA-256( "teepnet/vm-launch/v1"
//            || field("kernel",  SHA-256(the kernel image qemu loads: ELF or bzImage))
//            || field("initrd",  SHA-256(initramfs))
//            || field("cmdline", kernel command line)
//            || field("config",  VmConfig::Canonical()) )
//   field(name, value) = u8 len(name) || name || u32be len(value) || value
//
// The accelerator (TCG or KVM) is not part of it: it changes how fast the guest runs, not what
// it is. The TA is inside the initramfs, so the measurement covers it, the guest agent, busybox
// and the TA's argv and environment (/config).
#ifndef TEEPNET_RUNTIME_VM_IMAGE_H_
#define TEEPNET_RUNTIME_VM_IMAGE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/runtime/vm_link.h"

namespace teepnet::runtime {

class CpioWriter {
 public:
  // Paths are relative to the archive root ("bin/sh", no leading '/'); parents come first.
  void AddDirectory(std::string_view path, uint32_t mode);
  void AddFile(std::string_view path, uint32_t mode, ByteView data);
  void AddSymlink(std::string_view path, std::string_view target);
  void AddCharDevice(std::string_view path, uint32_t mode, uint32_t major, uint32_t minor);
  // Appends the trailer and returns the archive.
  Bytes Finish() &&;

 private:
  void Entry(std::string_view name, uint32_t mode, uint32_t nlink, uint32_t rdev_major,
             uint32_t rdev_minor, ByteView data);
  Bytes out_;
  uint32_t next_ino_ = 1;
};

// The guest's initramfs: /init = the guest agent, /bin/busybox (+ /bin/sh), /ta, /config, the
// mount points and /dev/console.
Bytes BuildGuestInitramfs(ByteView guest_agent, ByteView busybox, ByteView ta,
                          const GuestConfig& config);

// The compressed kernel inside an x86 bzImage (Documentation/arch/x86/boot.rst, protocol 2.08+:
// setup_sects at 0x1f1 (0 means 4), "HdrS" at 0x202, the version at 0x206, payload_offset and
// payload_length at 0x248 and 0x24c, counted from the protected-mode code at
// (setup_sects + 1) * 512). `format` is "xz", "gzip" or "zstd" by the payload's magic.
struct KernelPayload {
  std::string format;
  ByteView bytes;  // into the bzImage
};
// kBadSpec when `bzimage` is not a bzImage of protocol 2.08+ or the payload's format is unknown.
Result<KernelPayload> FindBzImagePayload(ByteView bzimage);

// True when `elf` is an x86-64 ELF whose PT_NOTE segments carry the Xen note
// XEN_ELFNOTE_PHYS32_ENTRY (18), the PVH entry point through which qemu boots an uncompressed
// kernel directly (Linux with CONFIG_PVH).
bool HasPvhEntry(ByteView elf);

// The VM's virtual hardware, as measured.
struct VmConfig {
  std::string machine = "microvm,x-option-roms=off,rtc=on";
  std::string cpu = "max";
  uint32_t vcpus = 1;
  uint32_t memory_mib = 256;
  // "machine=...;cpu=...;vcpus=1;memory_mib=256;serial=0x3f8:console,0x2f8:link"
  std::string Canonical() const;
};

Bytes VmLaunchDigest(ByteView kernel_sha256, ByteView initrd_sha256, std::string_view cmdline,
                     const VmConfig& config);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_VM_IMAGE_H_
