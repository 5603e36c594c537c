#include "teepnet/runtime/oci_image.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/tool.h"

namespace teepnet::runtime {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr char kManifestMediaType[] = "application/vnd.oci.image.manifest.v1+json";
constexpr char kRefAnnotation[] = "org.opencontainers.image.ref.name";

Result<Bytes> ReadBounded(const fs::path& path, size_t limit) {
  auto bytes = ReadFile(path.string(), limit);
  if (!bytes.ok()) return Error(Errc::kBadSpec, path.string() + ": " + bytes.error().message());
  return std::move(bytes).value();
}

Result<json> ReadJson(const fs::path& path, size_t limit) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes bytes, ReadBounded(path, limit));
  json doc = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error(Errc::kBadSpec, path.string() + " is not a JSON object");
  }
  return doc;
}

// "sha256:<64 lowercase hex>" -> the 32 bytes.
Result<Bytes> ParseSha256Digest(const json& value) {
  if (!value.is_string()) return Error(Errc::kBadSpec, "a descriptor digest is not a string");
  const std::string& text = value.get_ref<const std::string&>();
  constexpr std::string_view kPrefix = "sha256:";
  if (text.size() != kPrefix.size() + 64 || text.compare(0, kPrefix.size(), kPrefix) != 0) {
    return Error(Errc::kBadSpec, "digest " + text + " is not sha256:<64 hex digits>");
  }
  auto bytes = FromHex(std::string_view(text).substr(kPrefix.size()));
  if (!bytes.ok() || ToHex(*bytes) != text.substr(kPrefix.size())) {
    return Error(Errc::kBadSpec, "digest " + text + " is not lowercase hex");
  }
  return std::move(bytes).value();
}

}  // namespace

Result<OciImage> ResolveOciImage(const std::string& layout_dir, const std::string& ref) {
  const fs::path dir(layout_dir);
  TEEPNET_ASSIGN_OR_RETURN(json layout, ReadJson(dir / "oci-layout", 4096));
  if (!layout.contains("imageLayoutVersion") || !layout["imageLayoutVersion"].is_string()) {
    return Error(Errc::kBadSpec, layout_dir + " has no imageLayoutVersion: not an OCI layout");
  }
  TEEPNET_ASSIGN_OR_RETURN(json index, ReadJson(dir / "index.json", kMaxOciIndexBytes));
  if (!index.contains("manifests") || !index["manifests"].is_array()) {
    return Error(Errc::kBadSpec, "index.json has no manifests array");
  }
  const json& manifests = index["manifests"];
  if (manifests.size() > kMaxOciManifests) {
    return Error(Errc::kBadSpec,
                 "index.json lists more than " + std::to_string(kMaxOciManifests) + " manifests");
  }
  const json* chosen = nullptr;
  size_t candidates = 0;
  for (const json& m : manifests) {
    if (!m.is_object() || !m.contains("mediaType") || m["mediaType"] != kManifestMediaType) {
      continue;
    }
    std::string name;
    if (m.contains("annotations") && m["annotations"].is_object() &&
        m["annotations"].contains(kRefAnnotation) && m["annotations"][kRefAnnotation].is_string()) {
      name = m["annotations"][kRefAnnotation].get<std::string>();
    }
    if (!ref.empty() && name != ref) continue;
    ++candidates;
    chosen = &m;
  }
  if (candidates == 0) {
    return Error(Errc::kBadSpec, "no image manifest" +
                                     (ref.empty() ? std::string() : " named " + ref) + " in " +
                                     layout_dir);
  }
  if (candidates > 1) {
    return Error(Errc::kBadSpec, "several image manifests match; name one with a reference");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes digest, ParseSha256Digest((*chosen)["digest"]));
  TEEPNET_ASSIGN_OR_RETURN(
      Bytes manifest, ReadBounded(dir / "blobs" / "sha256" / ToHex(digest), kMaxOciManifestBytes));
  // The layout is untrusted input: a blob is only what its digest says once it hashes to it.
  if (crypto::Sha256(manifest) != digest) {
    return Error(Errc::kBadSpec, "the manifest blob does not hash to its digest");
  }
  OciImage image;
  image.layout_dir = layout_dir;
  image.ref = ref;
  if (image.ref.empty() && chosen->contains("annotations") &&
      (*chosen)["annotations"].contains(kRefAnnotation)) {
    image.ref = (*chosen)["annotations"][kRefAnnotation].get<std::string>();
  }
  image.manifest_digest = std::move(digest);
  return image;
}

Status ExtractOciArchive(const std::string& archive, const std::string& dir) {
  const auto tar = FindTool("tar");
  if (!tar) return Error(Errc::kSetupFailed, "tar is not installed");
  TEEPNET_RETURN_IF_ERROR(
      RunToolChecked({*tar, "--extract", "--file", archive, "--directory", dir, "--no-same-owner",
                      "--no-same-permissions", "--no-overwrite-dir", "--delay-directory-restore"},
                     kOciToolTimeoutMs));
  return OkStatus();
}

Status BuildOciImage(const std::string& layout_dir, const std::string& ref, ByteView executable,
                     const std::string& work_dir) {
  const auto umoci = FindTool("umoci");
  if (!umoci) return Error(Errc::kSetupFailed, "umoci is not installed (scripts/deps.sh)");
  const std::string image = layout_dir + ":" + ref;
  const std::string bundle = work_dir + "/bundle";
  std::error_code ec;
  fs::create_directories(work_dir, ec);
  if (ec) return Error(Errc::kSystem, "create " + work_dir + ": " + ec.message());
  auto cleanup = [&] { fs::remove_all(work_dir, ec); };
  Status status = [&]() -> Status {
    TEEPNET_RETURN_IF_ERROR(
        RunToolChecked({*umoci, "init", "--layout", layout_dir}, kOciToolTimeoutMs));
    TEEPNET_RETURN_IF_ERROR(RunToolChecked({*umoci, "new", "--image", image}, kOciToolTimeoutMs));
    TEEPNET_RETURN_IF_ERROR(
        RunToolChecked({*umoci, "unpack", "--image", image, bundle}, kOciToolTimeoutMs));
    const std::string target = bundle + "/rootfs/ta";
    {
      std::ofstream out(target, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(executable.data()),
                static_cast<std::streamsize>(executable.size()));
      if (!out) return Error(Errc::kSystem, "cannot write " + target);
    }
    fs::permissions(target,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    ec);
    if (ec) return Error(Errc::kSystem, "chmod " + target + ": " + ec.message());
    TEEPNET_RETURN_IF_ERROR(
        RunToolChecked({*umoci, "repack", "--image", image, bundle}, kOciToolTimeoutMs));
    TEEPNET_RETURN_IF_ERROR(
        RunToolChecked({*umoci, "config", "--image", image, "--config.entrypoint", "/ta",
                        "--config.user", "1000:1000"},
                       kOciToolTimeoutMs));
    return RunToolChecked({*umoci, "gc", "--layout", layout_dir}, kOciToolTimeoutMs);
  }();
  cleanup();
  return status;
}

bool IsStaticElf(ByteView image) {
  // ELF64 little-endian header fields (System V gABI): e_phoff at 32, e_phentsize at 54,
  // e_phnum at 56; a program header's p_type is its first 4 bytes, PT_INTERP = 3.
  auto u16 = [&](size_t at) { return static_cast<size_t>(image[at] | image[at + 1] << 8); };
  auto u64 = [&](size_t at) {
    size_t v = 0;
    for (size_t i = 0; i < 8; ++i) v |= static_cast<size_t>(image[at + i]) << (8 * i);
    return v;
  };
  if (image.size() < 64 || image[0] != 0x7f || image[1] != 'E' || image[4] != 2) return false;
  const size_t phoff = u64(32), phentsize = u16(54), phnum = u16(56);
  for (size_t i = 0; i < phnum; ++i) {
    const size_t at = phoff + i * phentsize;
    if (at < phoff || at + 4 > image.size()) return false;
    if (image[at] == 3 && image[at + 1] == 0 && image[at + 2] == 0 && image[at + 3] == 0) {
      return false;
    }
  }
  return true;
}

Status PackOciArchive(const std::string& layout_dir, const std::string& archive) {
  const auto tar = FindTool("tar");
  if (!tar) return Error(Errc::kSetupFailed, "tar is not installed");
  // Fixed owners, order, times and modes: the same layout packs to the same bytes (the archive
  // is what a TA package's digest covers).
  return RunToolChecked({*tar, "--create", "--file", archive, "--directory", layout_dir,
                         "--owner=0", "--group=0", "--numeric-owner", "--sort=name", "--mtime=@0",
                         "--mode=u+rwX,go+rX,go-w", "--format=gnu", "."},
                        kOciToolTimeoutMs);
}

}  // namespace teepnet::runtime
