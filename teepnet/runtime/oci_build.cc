#include "teepnet/runtime/oci_build.h"

#include <filesystem>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teepnet/base/byte_reader.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/oci_image.h"
#include "teepnet/runtime/tool.h"

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;

constexpr fs::perms kDirMode = fs::perms::owner_all | fs::perms::group_read |
                               fs::perms::group_exec | fs::perms::others_read |
                               fs::perms::others_exec;
constexpr fs::perms kExecMode = kDirMode;
constexpr fs::perms kFileMode =
    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
constexpr fs::perms kAnyExec =
    fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec;

Error Bad(const std::string& what) {
  return Error(Errc::kBadSpec, what);
}

// The entrypoint as the image will hold it: absolute, no "." or ".." segments.
Status CheckEntrypoint(const std::string& entrypoint) {
  if (entrypoint.size() < 2 || entrypoint[0] != '/') {
    return Bad("the entrypoint must be an absolute path inside the image, e.g. /bin/ta");
  }
  for (const auto& part : fs::path(entrypoint).relative_path()) {
    if (part == "." || part == ".." || part.empty()) {
      return Bad("the entrypoint " + entrypoint + " has a . or .. segment");
    }
  }
  return OkStatus();
}

// Copies the tree under `from` into `to` (which exists) with normalised modes, owner uid:gid and
// mtime 0 on every entry, symlinks recreated as they are (they resolve inside the container's
// root, never on the host).
Status CopyTree(const fs::path& from, const fs::path& to, uint32_t uid, uint32_t gid) {
  std::error_code ec;
  size_t entries = 0;
  fs::recursive_directory_iterator it(from, fs::directory_options::none, ec);
  if (ec) return Bad("cannot read " + from.string() + ": " + ec.message());
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return Bad("cannot read " + from.string() + ": " + ec.message());
    if (++entries > kMaxOciBuildEntries) {
      return Bad(from.string() + " holds more than " + std::to_string(kMaxOciBuildEntries) +
                 " entries");
    }
    const fs::path rel = it->path().lexically_relative(from);
    const fs::path target = to / rel;
    const fs::file_status st = it->symlink_status(ec);
    if (ec) return Bad("cannot stat " + it->path().string() + ": " + ec.message());
    if (fs::is_symlink(st)) {
      const fs::path link = fs::read_symlink(it->path(), ec);
      if (!ec) fs::create_symlink(link, target, ec);
    } else if (fs::is_directory(st)) {
      fs::create_directory(target, ec);
      if (!ec) fs::permissions(target, kDirMode, ec);
    } else if (fs::is_regular_file(st)) {
      fs::copy_file(it->path(), target, ec);
      const bool exec = (st.permissions() & kAnyExec) != fs::perms::none;
      if (!ec) fs::permissions(target, exec ? kExecMode : kFileMode, ec);
    } else {
      return Bad(it->path().string() +
                 " is neither a directory, a regular file nor a symlink: not packed");
    }
    if (ec) return Error(Errc::kSystem, "copy " + it->path().string() + ": " + ec.message());
    if (::lchown(target.c_str(), uid, gid) != 0) {
      return Error(Errc::kSystem, "chown " + target.string() + " failed");
    }
  }
  // Timestamps last: creating an entry changes its directory's mtime.
  const timespec epoch[2] = {{0, 0}, {0, 0}};
  for (fs::recursive_directory_iterator walk(to, ec), end; !ec && walk != end; walk.increment(ec)) {
    if (::utimensat(AT_FDCWD, walk->path().c_str(), epoch, AT_SYMLINK_NOFOLLOW) != 0) {
      return Error(Errc::kSystem, "set the mtime of " + walk->path().string() + " failed");
    }
  }
  if (ec) return Error(Errc::kSystem, "walk " + to.string() + ": " + ec.message());
  if (::utimensat(AT_FDCWD, to.c_str(), epoch, AT_SYMLINK_NOFOLLOW) != 0) {
    return Error(Errc::kSystem, "set the mtime of " + to.string() + " failed");
  }
  return OkStatus();
}

// A NUL-terminated (or full-width) text field of a tar header.
std::string_view Field(ByteView header, size_t at, size_t width) {
  std::string_view s(reinterpret_cast<const char*>(header.data()) + at, width);
  return s.substr(0, s.find('\0'));
}

}  // namespace

Status BuildOciImageFromDir(const OciBuildSpec& spec, const std::string& layout_dir,
                            const std::string& work_dir) {
  TEEPNET_RETURN_IF_ERROR(CheckEntrypoint(spec.entrypoint));
  if (spec.ref.empty()) return Bad("the image reference is empty");
  std::error_code ec;
  if (!fs::is_directory(spec.source_dir, ec)) {
    return Bad(spec.source_dir + " is not a directory");
  }
  const fs::path entry = fs::path(spec.source_dir) / fs::path(spec.entrypoint).relative_path();
  const fs::file_status entry_status = fs::symlink_status(entry, ec);
  if (ec || !fs::is_regular_file(entry_status) ||
      (entry_status.permissions() & kAnyExec) == fs::perms::none) {
    return Bad("the entrypoint " + spec.entrypoint + " is not an executable regular file in " +
               spec.source_dir);
  }
  if (fs::exists(layout_dir, ec)) return Bad(layout_dir + " exists already");
  const auto umoci = FindTool("umoci");
  if (!umoci) return Error(Errc::kSetupFailed, "umoci is not installed (scripts/deps.sh)");
  fs::create_directories(work_dir, ec);
  if (ec) return Error(Errc::kSystem, "create " + work_dir + ": " + ec.message());
  const std::string image = layout_dir + ":" + spec.ref;
  const std::string bundle = work_dir + "/bundle";
  const std::string user = std::to_string(spec.uid) + ":" + std::to_string(spec.gid);
  Status status = [&]() -> Status {
    TEEPNET_RETURN_IF_ERROR(
        RunToolChecked({*umoci, "init", "--layout", layout_dir}, kOciToolTimeoutMs));
    TEEPNET_RETURN_IF_ERROR(RunToolChecked({*umoci, "new", "--image", image}, kOciToolTimeoutMs));
    TEEPNET_RETURN_IF_ERROR(
        RunToolChecked({*umoci, "unpack", "--image", image, bundle}, kOciToolTimeoutMs));
    TEEPNET_RETURN_IF_ERROR(CopyTree(spec.source_dir, bundle + "/rootfs", spec.uid, spec.gid));
    // Fixed history timestamps: umoci would otherwise stamp the build time into the config.
    TEEPNET_RETURN_IF_ERROR(
        RunToolChecked({*umoci, "repack", "--history.created", kOciBuildCreated,
                        "--history.created_by", "teepnet package image", "--image", image, bundle},
                       kOciToolTimeoutMs));
    TEEPNET_RETURN_IF_ERROR(RunToolChecked(
        {*umoci, "config", "--image", image, "--created", kOciBuildCreated, "--history.created",
         kOciBuildCreated, "--history.created_by", "teepnet package image", "--config.entrypoint",
         spec.entrypoint, "--config.user", user, "--config.workingdir", "/"},
        kOciToolTimeoutMs));
    return RunToolChecked({*umoci, "gc", "--layout", layout_dir}, kOciToolTimeoutMs);
  }();
  fs::remove_all(work_dir, ec);
  if (!status.ok()) fs::remove_all(layout_dir, ec);
  return status;
}

bool IsOciArchive(ByteView bytes) {
  // POSIX.1-1988 ustar header (and GNU's variant): name[100] at 0, size[12] octal at 124,
  // magic "ustar" at 257, prefix[155] at 345; member data padded to 512-byte blocks.
  constexpr size_t kBlock = 512;
  ByteReader reader(bytes);
  for (size_t member = 0; member < kMaxOciArchiveScanMembers; ++member) {
    ByteView header;
    if (!reader.ReadBytes(kBlock, &header)) return false;
    if (Field(header, 257, 5) != "ustar") return false;  // also the all-zero end block
    std::string name(Field(header, 0, 100));
    const std::string_view magic_tail = Field(header, 262, 1);
    if (magic_tail.empty()) {  // POSIX ustar ("ustar\0"): the prefix field is in use
      const std::string_view prefix = Field(header, 345, 155);
      if (!prefix.empty()) name = std::string(prefix) + "/" + name;
    }
    if (name == "oci-layout" || name == "./oci-layout") return true;
    uint64_t size = 0;
    for (char c : Field(header, 124, 12)) {
      if (c == ' ') continue;
      if (c < '0' || c > '7' || size > (UINT64_MAX >> 3)) return false;
      size = size * 8 + static_cast<uint64_t>(c - '0');
    }
    const uint64_t padded = (size + kBlock - 1) / kBlock * kBlock;
    if (padded > reader.remaining() || !reader.Skip(static_cast<size_t>(padded))) return false;
  }
  return false;
}

}  // namespace teepnet::runtime
