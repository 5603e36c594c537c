// Building a confidential container's OCI image from a directory (issue 6: "`teepnet package`
// can build one from a directory with umoci"), and recognising such an image when it arrives as
// the payload of a TA package. The image is reproducible where umoci allows it: every file's
// mtime, the image config's "created" and the history entries are the Unix epoch, modes are
// normalised (0755 for directories and executables, 0644 for the rest), and every file belongs
// to the TA's uid/gid, so the same directory gives the same manifest digest, which is what the
// container backend measures (spec/instance-runtimes.md §2).
#ifndef TEEPNET_RUNTIME_OCI_BUILD_H_
#define TEEPNET_RUNTIME_OCI_BUILD_H_

#include <cstdint>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::runtime {

// A directory with more entries than this is refused (a TA image is a handful of files).
inline constexpr size_t kMaxOciBuildEntries = 10'000;
// The timestamp every file, the config and the history carry.
inline constexpr char kOciBuildCreated[] = "1970-01-01T00:00:00Z";
// An oci-archive handed over as a package payload is scanned for its oci-layout member over at
// most this many tar headers.
inline constexpr size_t kMaxOciArchiveScanMembers = 4096;

struct OciBuildSpec {
  std::string source_dir;  // copied to the image root: directories, regular files, symlinks
  std::string entrypoint;  // absolute path inside the image of an executable regular file
  std::string ref = "ta";  // the org.opencontainers.image.ref.name of the manifest
  uint32_t uid = 1000;     // owner of every copied file, and the user the image runs as
  uint32_t gid = 1000;
};

// Builds an image layout in `layout_dir` (created; must not exist yet) holding one layer with
// the source tree. `work_dir` (created, then removed) holds the intermediate bundle. kBadSpec
// for a source tree that cannot become an image (device nodes, sockets, a missing or
// non-executable entrypoint, "..", too many entries); kSetupFailed when umoci is missing.
Status BuildOciImageFromDir(const OciBuildSpec& spec, const std::string& layout_dir,
                            const std::string& work_dir);

// True when `bytes` is a POSIX tar archive one of whose first kMaxOciArchiveScanMembers members
// is the oci-layout file of an image layout at the archive's root ("oci-layout" or
// "./oci-layout"): what PackOciArchive writes and `teepnet package image` packages.
bool IsOciArchive(ByteView bytes);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_OCI_BUILD_H_
