#include "teepnet/runtime/vm_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <string>

#include "teepnet/crypto/hash.h"

namespace teepnet::runtime {
namespace {

struct CpioEntry {
  uint32_t mode = 0;
  uint32_t nlink = 0;
  uint32_t mtime = 0;
  uint32_t rdev_major = 0;
  uint32_t rdev_minor = 0;
  std::string data;
};

// An independent reader of the newc format (buffer-format.rst), for checking the writer.
std::map<std::string, CpioEntry> ReadCpio(const Bytes& archive, bool* saw_trailer) {
  std::map<std::string, CpioEntry> out;
  *saw_trailer = false;
  size_t pos = 0;
  auto field = [&](size_t index) {
    return static_cast<uint32_t>(
        std::stoul(std::string(archive.begin() + static_cast<long>(pos + 6 + index * 8),
                               archive.begin() + static_cast<long>(pos + 14 + index * 8)),
                   nullptr, 16));
  };
  auto align = [](size_t n) { return (n + 3) & ~size_t{3}; };
  while (pos + 110 <= archive.size()) {
    EXPECT_EQ(std::string(archive.begin() + static_cast<long>(pos),
                          archive.begin() + static_cast<long>(pos + 6)),
              "070701");
    CpioEntry e;
    e.mode = field(1);
    EXPECT_EQ(field(2), 0u);  // uid
    EXPECT_EQ(field(3), 0u);  // gid
    e.nlink = field(4);
    e.mtime = field(5);
    const uint32_t size = field(6);
    e.rdev_major = field(9);
    e.rdev_minor = field(10);
    const uint32_t namesize = field(11);
    const std::string name(archive.begin() + static_cast<long>(pos + 110),
                           archive.begin() + static_cast<long>(pos + 110 + namesize - 1));
    EXPECT_EQ(archive[pos + 110 + namesize - 1], 0);
    pos = align(pos + 110 + namesize);
    e.data.assign(archive.begin() + static_cast<long>(pos),
                  archive.begin() + static_cast<long>(pos + size));
    pos = align(pos + size);
    if (name == "TRAILER!!!") {
      *saw_trailer = true;
      EXPECT_EQ(pos, archive.size());
      break;
    }
    out[name] = e;
  }
  return out;
}

TEST(CpioWriter, WritesNewcEntriesTheKernelUnpacks) {
  CpioWriter cpio;
  cpio.AddDirectory("bin", 0755);
  cpio.AddFile("bin/tool", 0750, AsBytes("12345"));
  cpio.AddSymlink("bin/sh", "tool");
  cpio.AddCharDevice("console", 0600, 5, 1);
  const Bytes archive = std::move(cpio).Finish();
  EXPECT_EQ(archive.size() % 4, 0u);
  bool trailer = false;
  const auto entries = ReadCpio(archive, &trailer);
  EXPECT_TRUE(trailer);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries.at("bin").mode, 040755u);
  EXPECT_EQ(entries.at("bin").nlink, 2u);
  EXPECT_EQ(entries.at("bin/tool").mode, 0100750u);
  EXPECT_EQ(entries.at("bin/tool").data, "12345");
  EXPECT_EQ(entries.at("bin/tool").mtime, 0u);
  EXPECT_EQ(entries.at("bin/sh").mode, 0120777u);
  EXPECT_EQ(entries.at("bin/sh").data, "tool");
  EXPECT_EQ(entries.at("console").mode, 020600u);
  EXPECT_EQ(entries.at("console").rdev_major, 5u);
  EXPECT_EQ(entries.at("console").rdev_minor, 1u);
}

TEST(GuestInitramfs, HoldsTheAgentAsInitTheTaAndItsConfig) {
  const GuestConfig config{{"-v"}, {"A=1"}};
  const Bytes archive =
      BuildGuestInitramfs(AsBytes("agent"), AsBytes("busybox"), AsBytes("the ta"), config);
  bool trailer = false;
  const auto entries = ReadCpio(archive, &trailer);
  EXPECT_TRUE(trailer);
  EXPECT_EQ(entries.at("init").data, "agent");
  EXPECT_EQ(entries.at("init").mode, 0100755u);
  EXPECT_EQ(entries.at("ta").data, "the ta");
  EXPECT_EQ(entries.at("bin/busybox").data, "busybox");
  EXPECT_EQ(entries.at("dev/console").rdev_major, 5u);
  const Bytes encoded = EncodeGuestConfig(config);
  EXPECT_EQ(entries.at("config").data, std::string(encoded.begin(), encoded.end()));
  // Reproducible: the same inputs give the same bytes (and so the same measurement).
  EXPECT_EQ(archive,
            BuildGuestInitramfs(AsBytes("agent"), AsBytes("busybox"), AsBytes("the ta"), config));
}

// A bzImage header of boot protocol 2.15 with one setup sector and `payload` 16 bytes into the
// protected-mode code (which starts at (1 + 1) * 512).
Bytes FakeBzImage(ByteView payload, uint32_t announced_length) {
  Bytes image(1024 + 16, 0);
  image[0x1f1] = 1;
  const uint8_t hdrs[] = {'H', 'd', 'r', 'S', 0x0f, 0x02};
  std::copy(std::begin(hdrs), std::end(hdrs), image.begin() + 0x202);
  image[0x248] = 16;
  for (int i = 0; i < 4; ++i) image[0x24c + i] = static_cast<uint8_t>(announced_length >> (8 * i));
  Append(image, payload);
  return image;
}

TEST(BzImage, FindsTheCompressedPayloadAndNamesItsFormat) {
  const Bytes xz{0xFD, '7', 'z', 'X', 'Z', 0x00, 1, 2, 3, 4};
  const Bytes image = FakeBzImage(xz, static_cast<uint32_t>(xz.size()));
  auto payload = FindBzImagePayload(image);
  ASSERT_TRUE(payload.ok()) << payload.error().ToString();
  EXPECT_EQ(payload->format, "xz");
  EXPECT_TRUE(Equal(payload->bytes, xz));
  const Bytes gzip{0x1F, 0x8B, 8, 0};
  auto gz = FindBzImagePayload(FakeBzImage(gzip, 4));
  ASSERT_TRUE(gz.ok());
  EXPECT_EQ(gz->format, "gzip");
}

TEST(BzImage, RefusesOtherFilesAndPayloadsPastTheEnd) {
  const Bytes xz{0xFD, '7', 'z', 'X', 'Z', 0x00};
  EXPECT_FALSE(FindBzImagePayload(FakeBzImage(xz, 7)).ok());
  EXPECT_FALSE(FindBzImagePayload(FakeBzImage(AsBytes("plain"), 5)).ok());
  Bytes not_hdrs = FakeBzImage(xz, 6);
  not_hdrs[0x202] = 'X';
  EXPECT_FALSE(FindBzImagePayload(not_hdrs).ok());
  EXPECT_FALSE(FindBzImagePayload(Bytes(100, 0)).ok());
}

// A minimal ELF64 with one PT_NOTE segment holding a "Xen" note of `type`.
Bytes FakeElf(uint32_t note_type) {
  Bytes elf(64 + 56, 0);
  const uint8_t ident[] = {0x7F, 'E', 'L', 'F', 2, 1, 1};
  std::copy(std::begin(ident), std::end(ident), elf.begin());
  auto le = [&](size_t at, uint64_t v, int width) {
    for (int i = 0; i < width; ++i) elf[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  le(0x20, 64, 8);  // e_phoff
  le(0x36, 56, 2);  // e_phentsize
  le(0x38, 1, 2);   // e_phnum
  le(64, 4, 4);     // p_type = PT_NOTE
  le(64 + 8, 120, 8);
  le(64 + 32, 20, 8);  // p_filesz
  const uint8_t note[] = {4,   0,   0,   0, 4, 0, 0, 0, static_cast<uint8_t>(note_type), 0, 0, 0,
                          'X', 'e', 'n', 0, 0, 0, 0, 1};
  Append(elf, note);
  return elf;
}

TEST(PvhEntry, IsFoundOnlyInTheXenPhys32EntryNote) {
  EXPECT_TRUE(HasPvhEntry(FakeElf(18)));
  EXPECT_FALSE(HasPvhEntry(FakeElf(17)));
  const Bytes full = FakeElf(18);
  ASSERT_GT(full.size(), 10u);
  const Bytes truncated(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(full.size() - 10));
  EXPECT_FALSE(HasPvhEntry(truncated));
  EXPECT_FALSE(HasPvhEntry(AsBytes("not an elf at all, not at all")));
}

TEST(VmLaunchDigest, ChangesWithEveryMeasuredInput) {
  const Bytes kernel = crypto::Sha256(AsBytes("kernel"));
  const Bytes initrd = crypto::Sha256(AsBytes("initrd"));
  const VmConfig config;
  const Bytes base = VmLaunchDigest(kernel, initrd, "console=ttyS0", config);
  EXPECT_EQ(base.size(), 32u);
  EXPECT_EQ(base, VmLaunchDigest(kernel, initrd, "console=ttyS0", config));
  EXPECT_NE(base,
            VmLaunchDigest(crypto::Sha256(AsBytes("kernel2")), initrd, "console=ttyS0", config));
  EXPECT_NE(base,
            VmLaunchDigest(kernel, crypto::Sha256(AsBytes("initrd2")), "console=ttyS0", config));
  EXPECT_NE(base, VmLaunchDigest(kernel, initrd, "console=ttyS0 debug", config));
  VmConfig more_memory = config;
  more_memory.memory_mib = 512;
  EXPECT_NE(base, VmLaunchDigest(kernel, initrd, "console=ttyS0", more_memory));
  VmConfig two_cpus = config;
  two_cpus.vcpus = 2;
  EXPECT_NE(base, VmLaunchDigest(kernel, initrd, "console=ttyS0", two_cpus));
}

}  // namespace
}  // namespace teepnet::runtime
