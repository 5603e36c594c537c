// `teepnet package --key PEM --name NAME [--sequence N] EXE -o OUT`: wraps an executable into
// a signed SUIT envelope with the executable as an integrated payload (package_builder.h), the
// form `teepnet request` uploads for use cases 2 and 3. The key is the Trusted Component
// signer the devices trust (teepnet-device --tc-signer takes its public half).
#include <cstdio>
#include <string>
#include <vector>

#include "services/cli/commands.h"
#include "services/cli/package_builder.h"
#include "services/common/flags.h"
#include "teepnet/base/file.h"
#include "teepnet/evidence/instance_keyring.h"

namespace teepnet::cli {

int RunPackage(std::span<char* const> args) {
  // `teepnet package image ...` builds an OCI image for a container instead (package_image.cc).
  if (!args.empty() && std::string(args[0]) == "image") return RunPackageImage(args.subspan(1));
  std::string key_path;
  std::string name;
  std::string out;
  int64_t sequence = 1;
  common::FlagSet flags("teepnet package --key PEM --name NAME [--sequence N] EXE -o OUT",
                        "Builds a signed SUIT envelope that installs EXE as the trusted component\n"
                        "[\"TEEP-Device\", \"SecureFS\", NAME] and prints its TA instance name.\n"
                        "A higher --sequence updates an installed component.\n"
                        "`teepnet package image --help`: an OCI image for a container.");
  flags.String("key", &key_path, "PEM", "the signer's private key (P-256 or Ed25519)", true);
  flags.String("name", &name, "NAME", "the component's last path segment, e.g. hello.ta", true);
  flags.Int("sequence", &sequence, "N", "the manifest sequence number", 0, INT64_C(1) << 53);
  flags.String("out", &out, "OUT", "where to write the envelope (also -o OUT)", true);
  flags.ShortName('o', "out");
  auto positional = flags.Parse(args);
  if (positional.ok() && flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return kExitOk;
  }
  auto usage = [&](const std::string& why) {
    std::fprintf(stderr, "teepnet package: %s\n\n%s", why.c_str(), flags.Help().c_str());
    return kExitUsageOrBadInput;
  };
  if (!positional.ok()) return usage(positional.error().message());
  if (positional->size() != 1) return usage("give exactly one executable");
  auto pem = ReadFile(key_path);
  if (!pem.ok()) return usage("--key: " + pem.error().message());
  auto key = crypto::PrivateKey::FromPem(AsChars(*pem));
  if (!key.ok()) return usage("--key: " + key.error().message());
  auto exe = ReadFile(positional->front(), size_t{64} << 20);
  if (!exe.ok()) return usage(exe.error().message());
  PackageSpec spec;
  spec.component = PackageComponent(name);
  spec.sequence_number = static_cast<uint64_t>(sequence);
  spec.payload = *std::move(exe);
  auto envelope = BuildPackage(spec, *key);
  if (!envelope.ok()) return usage(envelope.error().message());
  if (Status s = WriteFileAtomic(out, *envelope); !s.ok()) {
    std::fprintf(stderr, "teepnet package: %s\n", s.error().ToString().c_str());
    return kExitFailure;
  }
  std::printf("%s  %zu bytes  instance %s\n", out.c_str(), envelope->size(),
              evidence::InstanceNameOf(spec.component).c_str());
  return kExitOk;
}

}  // namespace teepnet::cli
