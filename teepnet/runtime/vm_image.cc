#include "teepnet/runtime/vm_image.h"

#include <algorithm>
#include <cstdio>
#include <initializer_list>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/errc.h"

namespace teepnet::runtime {
namespace {

constexpr uint32_t kTypeDirectory = 0040000;
constexpr uint32_t kTypeFile = 0100000;
constexpr uint32_t kTypeSymlink = 0120000;
constexpr uint32_t kTypeCharDevice = 0020000;

void Pad4(Bytes& out) {
  while (out.size() % 4 != 0) out.push_back(0);
}

void Field(ByteWriter& w, std::string_view name, ByteView value) {
  w.WriteU8(static_cast<uint8_t>(name.size()));
  w.WriteBytes(AsBytes(name));
  w.WriteBeU32(static_cast<uint32_t>(value.size()));
  w.WriteBytes(value);
}

}  // namespace

void CpioWriter::Entry(std::string_view name, uint32_t mode, uint32_t nlink, uint32_t rdev_major,
                       uint32_t rdev_minor, ByteView data) {
  const uint32_t ino = name == "TRAILER!!!" ? 0 : next_ino_++;
  const uint32_t fields[13] = {ino,
                               mode,
                               0,  // uid
                               0,  // gid
                               nlink,
                               0,  // mtime: fixed, so the archive is reproducible
                               static_cast<uint32_t>(data.size()),
                               0,  // devmajor
                               0,  // devminor
                               rdev_major,
                               rdev_minor,
                               static_cast<uint32_t>(name.size() + 1),
                               0};  // check (only for the "070702" format)
  Append(out_, AsBytes("070701"));
  char hex[9];
  for (uint32_t f : fields) {
    std::snprintf(hex, sizeof hex, "%08X", f);
    Append(out_, AsBytes(std::string_view(hex, 8)));
  }
  Append(out_, AsBytes(name));
  out_.push_back(0);
  Pad4(out_);
  Append(out_, data);
  Pad4(out_);
}

void CpioWriter::AddDirectory(std::string_view path, uint32_t mode) {
  Entry(path, kTypeDirectory | (mode & 07777), 2, 0, 0, {});
}

void CpioWriter::AddFile(std::string_view path, uint32_t mode, ByteView data) {
  Entry(path, kTypeFile | (mode & 07777), 1, 0, 0, data);
}

void CpioWriter::AddSymlink(std::string_view path, std::string_view target) {
  Entry(path, kTypeSymlink | 0777, 1, 0, 0, AsBytes(target));
}

void CpioWriter::AddCharDevice(std::string_view path, uint32_t mode, uint32_t major,
                               uint32_t minor) {
  Entry(path, kTypeCharDevice | (mode & 07777), 1, major, minor, {});
}

Bytes CpioWriter::Finish() && {
  Entry("TRAILER!!!", 0, 1, 0, 0, {});
  return std::move(out_);
}

Bytes BuildGuestInitramfs(ByteView guest_agent, ByteView busybox, ByteView ta,
                          const GuestConfig& config) {
  CpioWriter cpio;
  cpio.AddDirectory("bin", 0755);
  cpio.AddDirectory("dev", 0755);
  cpio.AddCharDevice("dev/console", 0600, 5, 1);
  cpio.AddDirectory("proc", 0555);
  cpio.AddDirectory("sys", 0555);
  cpio.AddDirectory("tmp", 01777);
  cpio.AddFile("init", 0755, guest_agent);
  cpio.AddFile("bin/busybox", 0755, busybox);
  cpio.AddSymlink("bin/sh", "busybox");
  cpio.AddFile("ta", 0755, ta);
  cpio.AddFile("config", 0444, EncodeGuestConfig(config));
  return std::move(cpio).Finish();
}

Result<KernelPayload> FindBzImagePayload(ByteView bzimage) {
  ByteReader r(bzimage);
  uint8_t setup_sects = 0;
  uint32_t magic = 0;
  uint16_t version = 0;
  uint32_t payload_offset = 0, payload_length = 0;
  ByteView skipped;
  if (!r.ReadBytes(0x1f1, &skipped) || !r.ReadU8(&setup_sects) ||
      !r.ReadBytes(0x202 - 0x1f2, &skipped) || !r.ReadLeU32(&magic) || !r.ReadLeU16(&version) ||
      !r.ReadBytes(0x248 - 0x208, &skipped) || !r.ReadLeU32(&payload_offset) ||
      !r.ReadLeU32(&payload_length)) {
    return Error(Errc::kBadSpec, "kernel: too short for a bzImage header");
  }
  // "HdrS", little-endian.
  if (magic != 0x53726448u || version < 0x0208) {
    return Error(Errc::kBadSpec, "kernel: not a bzImage of boot protocol 2.08 or later");
  }
  const uint64_t start =
      (static_cast<uint64_t>(setup_sects == 0 ? 4 : setup_sects) + 1) * 512 + payload_offset;
  if (start > bzimage.size() || payload_length > bzimage.size() - start) {
    return Error(Errc::kBadSpec, "kernel: the payload runs past the end of the bzImage");
  }
  const ByteView payload = bzimage.subspan(start, payload_length);
  auto starts_with = [&](std::initializer_list<uint8_t> m) {
    return payload.size() >= m.size() && std::equal(m.begin(), m.end(), payload.begin());
  };
  if (starts_with({0xFD, '7', 'z', 'X', 'Z', 0x00})) return KernelPayload{"xz", payload};
  if (starts_with({0x1F, 0x8B})) return KernelPayload{"gzip", payload};
  if (starts_with({0x28, 0xB5, 0x2F, 0xFD})) return KernelPayload{"zstd", payload};
  return Error(Errc::kBadSpec, "kernel: the bzImage payload is neither xz, gzip nor zstd");
}

bool HasPvhEntry(ByteView elf) {
  constexpr uint32_t kPtNote = 4;
  constexpr uint32_t kXenElfnotePhys32Entry = 18;
  ByteReader header(elf);
  uint32_t magic = 0;
  uint8_t elf_class = 0, data = 0;
  ByteView skipped;
  uint64_t phoff = 0;
  uint16_t phentsize = 0, phnum = 0;
  // ELF64 little-endian: e_phoff at 0x20, e_phentsize and e_phnum at 0x36 and 0x38.
  if (!header.ReadBeU32(&magic) || magic != 0x7F454C46u || !header.ReadU8(&elf_class) ||
      elf_class != 2 || !header.ReadU8(&data) || data != 1 ||
      !header.ReadBytes(0x20 - 6, &skipped) || !header.ReadLeU64(&phoff) ||
      !header.ReadBytes(0x36 - 0x28, &skipped) || !header.ReadLeU16(&phentsize) ||
      !header.ReadLeU16(&phnum) || phentsize < 56) {
    return false;
  }
  for (uint16_t i = 0; i < phnum; ++i) {
    const uint64_t at = phoff + static_cast<uint64_t>(i) * phentsize;
    if (at > elf.size() || elf.size() - at < 56) return false;
    ByteReader ph(elf.subspan(at, 56));
    uint32_t type = 0, flags = 0;
    uint64_t offset = 0, vaddr = 0, paddr = 0, filesz = 0;
    if (!ph.ReadLeU32(&type) || !ph.ReadLeU32(&flags) || !ph.ReadLeU64(&offset) ||
        !ph.ReadLeU64(&vaddr) || !ph.ReadLeU64(&paddr) || !ph.ReadLeU64(&filesz)) {
      return false;
    }
    if (type != kPtNote || offset > elf.size() || filesz > elf.size() - offset) continue;
    ByteReader notes(elf.subspan(offset, filesz));
    for (;;) {
      uint32_t namesz = 0, descsz = 0, note_type = 0;
      ByteView name, desc;
      if (!notes.ReadLeU32(&namesz) || !notes.ReadLeU32(&descsz) || !notes.ReadLeU32(&note_type) ||
          !notes.ReadBytes((static_cast<size_t>(namesz) + 3) & ~size_t{3}, &name) ||
          !notes.ReadBytes((static_cast<size_t>(descsz) + 3) & ~size_t{3}, &desc)) {
        break;
      }
      if (namesz == 4 && Equal(name.first(4), AsBytes(std::string_view("Xen\0", 4))) &&
          note_type == kXenElfnotePhys32Entry) {
        return true;
      }
    }
  }
  return false;
}

std::string VmConfig::Canonical() const {
  return "machine=" + machine + ";cpu=" + cpu + ";vcpus=" + std::to_string(vcpus) +
         ";memory_mib=" + std::to_string(memory_mib) + ";serial=0x3f8:console,0x2f8:link";
}

Bytes VmLaunchDigest(ByteView kernel_sha256, ByteView initrd_sha256, std::string_view cmdline,
                     const VmConfig& config) {
  ByteWriter w;
  w.WriteBytes(AsBytes("teepnet/vm-launch/v1"));
  Field(w, "kernel", kernel_sha256);
  Field(w, "initrd", initrd_sha256);
  Field(w, "cmdline", AsBytes(cmdline));
  Field(w, "config", AsBytes(config.Canonical()));
  return crypto::Sha256(w.bytes());
}

}  // namespace teepnet::runtime
