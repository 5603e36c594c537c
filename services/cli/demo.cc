// `teepnet demo [--json]`: what `make demo` runs. Today it demonstrates the foundation
// (demo_foundation.cc); the use-case matrix joins it as the M/OC lands.
#include <cstdio>
#include <cstring>

#include "services/cli/commands.h"

namespace teepnet::cli {

int RunFoundationDemo();

int RunDemo(std::span<char* const> args) {
  for (char* arg : args) {
    if (std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0) {
      std::printf(
          "usage: teepnet demo\n"
          "  Generates keys, signs a package description with COSE_Sign1 (ESP256), seals\n"
          "  personalization data with COSE-HPKE, verifies and opens both, checks that\n"
          "  tampering and wrong keys are refused, and prints each artefact annotated.\n");
      return kExitOk;
    }
    std::fprintf(stderr, "teepnet demo: unknown argument '%s'\n", arg);
    return kExitUsageOrBadInput;
  }
  return RunFoundationDemo();
}

}  // namespace teepnet::cli
