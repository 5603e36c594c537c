// `teepnet demo [--json] [--foundation]`: what `make demo` runs. By default the use-case
// matrix (demo_matrix.cc): an M/OC and simulated devices on this machine, every use case on
// every supported Figure 2 combination. --foundation runs the library walk-through instead
// (demo_foundation.cc).
#include <cstdio>
#include <cstring>

#include "services/cli/commands.h"

namespace teepnet::cli {

int RunFoundationDemo();
int RunMatrixDemo(bool as_json);

int RunDemo(std::span<char* const> args) {
  bool as_json = false;
  bool foundation = false;
  for (char* arg : args) {
    if (std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0) {
      std::printf(
          "usage: teepnet demo [--json] [--foundation]\n"
          "  Starts a teepnet-moc on a temporary SQLite store and one simulated device per\n"
          "  architecture on 127.0.0.1, then runs use cases 1-4 on every (instance type,\n"
          "  architecture) of seed Figure 2 that teepnet supports as a Network User would\n"
          "  (`teepnet request`): verify the EAR, seal, deliver, check the TA's receipt. It\n"
          "  prints the matrix with per-step times; the combinations not supported yet are\n"
          "  listed as such. --json prints one object per combination instead.\n"
          "  --foundation: sign, seal and inspect with the COSE layers only.\n");
      return kExitOk;
    }
    if (std::strcmp(arg, "--json") == 0) {
      as_json = true;
    } else if (std::strcmp(arg, "--foundation") == 0) {
      foundation = true;
    } else {
      std::fprintf(stderr, "teepnet demo: unknown argument '%s'\n", arg);
      return kExitUsageOrBadInput;
    }
  }
  if (foundation) return RunFoundationDemo();
  return RunMatrixDemo(as_json);
}

}  // namespace teepnet::cli
