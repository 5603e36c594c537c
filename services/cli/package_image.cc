// `teepnet package image --from DIR --entrypoint PATH -o OUT.tar [...]`: builds a confidential
// container image (an oci-archive) from a directory with umoci (runtime/oci_build.h), and
// optionally wraps it, as the payload, into the same signed SUIT envelope `teepnet package`
// builds around an executable (package_builder.h). The container backend recognises an
// oci-archive payload and runs it as the image it is (runtime/container_backend.h).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "services/cli/commands.h"
#include "services/cli/package_builder.h"
#include "services/common/flags.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/runtime/oci_build.h"
#include "teepnet/runtime/oci_image.h"

namespace teepnet::cli {
namespace {

// The archive becomes one SUIT payload and one Agent-side component: the same bound as an
// executable given to `teepnet package`.
constexpr size_t kMaxImageArchiveBytes = size_t{64} << 20;

// A private scratch directory, removed with everything in it.
class Scratch {
 public:
  Scratch() {
    char tmpl[] = "/tmp/teepnet-package-image.XXXXXX";
    if (::mkdtemp(tmpl) != nullptr) path_ = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

int RunPackageImage(std::span<char* const> args) {
  std::string from, entrypoint, ref = "ta", out, key_path, name, envelope_out;
  int64_t uid = 1000, gid = 1000, sequence = 1;
  common::FlagSet flags(
      "teepnet package image --from DIR --entrypoint PATH -o OUT.tar [--ref NAME] [--uid N] "
      "[--gid N] [--key PEM --name NAME [--sequence N] --envelope OUT.suit]",
      "Builds an OCI image (an oci-archive) for a confidential container from DIR: every file of\n"
      "DIR in one layer, owned by --uid/--gid, run as that user with PATH as its entrypoint.\n"
      "Timestamps are fixed, so the same DIR gives the same manifest digest. With --envelope,\n"
      "also writes the signed SUIT envelope that installs the archive as the trusted component\n"
      "[\"TEEP-Device\", \"SecureFS\", NAME] (as `teepnet package` does for an executable).");
  flags.String("from", &from, "DIR", "the directory that becomes the image's root", true);
  flags.String("entrypoint", &entrypoint, "PATH",
               "absolute path inside the image of the program to run (e.g. /bin/ta)", true);
  flags.String("ref", &ref, "NAME", "the image's reference name");
  flags.Int("uid", &uid, "N", "owner of the image's files and the user it runs as", 1, 65535);
  flags.Int("gid", &gid, "N", "group of the image's files and of the user", 1, 65535);
  flags.String("out", &out, "OUT.tar", "where to write the oci-archive (also -o OUT.tar)", true);
  flags.String("key", &key_path, "PEM",
               "with --envelope: the signer's private key (P-256 or Ed25519)");
  flags.String("name", &name, "NAME",
               "with --envelope: the component's last path segment, e.g. hello.ta");
  flags.Int("sequence", &sequence, "N", "with --envelope: the manifest sequence number", 0,
            INT64_C(1) << 53);
  flags.String("envelope", &envelope_out, "OUT.suit",
               "also write the signed SUIT envelope carrying the archive");
  flags.ShortName('o', "out");
  auto positional = flags.Parse(args);
  if (positional.ok() && flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return kExitOk;
  }
  auto usage = [&](const std::string& why) {
    std::fprintf(stderr, "teepnet package image: %s\n\n%s", why.c_str(), flags.Help().c_str());
    return kExitUsageOrBadInput;
  };
  auto failed = [](const std::string& why) {
    std::fprintf(stderr, "teepnet package image: %s\n", why.c_str());
    return kExitFailure;
  };
  if (!positional.ok()) return usage(positional.error().message());
  if (!positional->empty()) return usage("takes no positional arguments");
  const bool wrap = !envelope_out.empty();
  if (wrap != !key_path.empty() || wrap != !name.empty()) {
    return usage("--envelope, --key and --name go together");
  }
  std::optional<crypto::PrivateKey> key;
  if (wrap) {
    auto pem = ReadFile(key_path);
    if (!pem.ok()) return usage("--key: " + pem.error().message());
    auto parsed = crypto::PrivateKey::FromPem(AsChars(*pem));
    if (!parsed.ok()) return usage("--key: " + parsed.error().message());
    key = *std::move(parsed);
  }

  Scratch scratch;
  if (scratch.path().empty()) return failed("cannot create a scratch directory in /tmp");
  runtime::OciBuildSpec spec;
  spec.source_dir = from;
  spec.entrypoint = entrypoint;
  spec.ref = ref;
  spec.uid = static_cast<uint32_t>(uid);
  spec.gid = static_cast<uint32_t>(gid);
  const std::string layout = scratch.path() + "/layout";
  if (Status s = runtime::BuildOciImageFromDir(spec, layout, scratch.path() + "/work"); !s.ok()) {
    return failed(s.error().ToString());
  }
  auto image = runtime::ResolveOciImage(layout, ref);
  if (!image.ok()) return failed(image.error().ToString());
  const std::string archive_path = scratch.path() + "/image.tar";
  if (Status s = runtime::PackOciArchive(layout, archive_path); !s.ok()) {
    return failed(s.error().ToString());
  }
  auto archive = ReadFile(archive_path, kMaxImageArchiveBytes);
  if (!archive.ok()) return failed("the archive: " + archive.error().message());
  if (Status s = WriteFileAtomic(out, *archive); !s.ok()) return failed(s.error().ToString());
  std::printf("%s  %zu bytes  manifest sha256:%s\n", out.c_str(), archive->size(),
              ToHex(image->manifest_digest).c_str());
  if (!wrap) return kExitOk;

  PackageSpec package;
  package.component = PackageComponent(name);
  package.sequence_number = static_cast<uint64_t>(sequence);
  package.payload = *std::move(archive);
  auto envelope = BuildPackage(package, *key);
  if (!envelope.ok()) return failed(envelope.error().ToString());
  if (Status s = WriteFileAtomic(envelope_out, *envelope); !s.ok()) {
    return failed(s.error().ToString());
  }
  std::printf("%s  %zu bytes  instance %s\n", envelope_out.c_str(), envelope->size(),
              evidence::InstanceNameOf(package.component).c_str());
  return kExitOk;
}

}  // namespace teepnet::cli
