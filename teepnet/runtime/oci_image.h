// OCI image layouts (image-spec v1.0/v1.1 "image-layout.md") as the confidential container
// backend receives them: a layout directory or an oci-archive (a tar of one). The measurement
// of a container starts from the image manifest digest, which pins the image config and every
// layer digest (spec/instance-runtimes.md §2).
#ifndef TEEPNET_RUNTIME_OCI_IMAGE_H_
#define TEEPNET_RUNTIME_OCI_IMAGE_H_

#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::runtime {

// index.json and a manifest are small JSON documents; larger ones are refused unread.
inline constexpr size_t kMaxOciIndexBytes = 1u << 20;
inline constexpr size_t kMaxOciManifestBytes = 1u << 20;
inline constexpr size_t kMaxOciManifests = 64;
// Tools that unpack or run images get this long before they are killed.
inline constexpr int kOciToolTimeoutMs = 60'000;

struct OciImage {
  std::string layout_dir;
  std::string ref;        // the org.opencontainers.image.ref.name the manifest carries
  Bytes manifest_digest;  // 32 bytes, sha256 of the manifest blob as stored
};

// Reads LAYOUT/oci-layout and LAYOUT/index.json and picks the image manifest named `ref`
// (empty: the index must hold exactly one manifest). The manifest blob is read back and its
// SHA-256 must equal the digest the index gives. kBadSpec for anything else.
Result<OciImage> ResolveOciImage(const std::string& layout_dir, const std::string& ref);

// Unpacks an oci-archive into `dir` (which must exist and be empty) with GNU tar, which
// refuses absolute member names and ".." (it strips and skips them) and is told not to restore
// owners or devices.
Status ExtractOciArchive(const std::string& archive, const std::string& dir);

// Builds an image layout in `layout_dir` (created) with one layer holding `executable` as /ta
// (mode 0755) and /ta as its entrypoint, run as uid/gid 1000, tagged `ref`. Uses umoci;
// `work_dir` (created, then removed) holds the intermediate bundle.
Status BuildOciImage(const std::string& layout_dir, const std::string& ref, ByteView executable,
                     const std::string& work_dir);

// True when `image` is a 64-bit ELF executable that names no program interpreter (no
// PT_INTERP program header): what a one-layer image holding nothing but that file can run.
bool IsStaticElf(ByteView image);

// Packs an image layout into an oci-archive at `archive`, reproducibly (names sorted, owners
// 0, mtimes 0, modes normalised).
Status PackOciArchive(const std::string& layout_dir, const std::string& archive);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_OCI_IMAGE_H_
