// `teepnet`: one program, many subcommands. Each subcommand is a function in its own file
// (inspect.cc, ...) listed in kCommands below.
#include <cstdio>
#include <cstring>
#include <new>
#include <span>

#include "services/cli/commands.h"
#include "services/cli/tam.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(std::span<char* const> args);
};

constexpr Command kCommands[] = {
    {"inspect", "print a CBOR/COSE item annotated, or as EDN", teepnet::cli::RunInspect},
    {"demo", "run the demonstration (what `make demo` runs)", teepnet::cli::RunDemo},
    {"tam", "install, remove, status: the M/OC admin API", teepnet::cli::RunTam},
    {"attest", "verify evidence, verify an EAR", teepnet::cli::RunAttest},
    {"request", "run a use case as a Network User; request status ID", teepnet::cli::RunRequest},
    {"package", "build a signed SUIT package around an executable", teepnet::cli::RunPackage},
    {"workload", "run an Appendix B workload (onprem-verifier, telemetry-ml, pce)",
     teepnet::cli::RunWorkloadCommand},
};

int Usage() {
  std::fprintf(stderr, "usage: teepnet <command> [args]\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(stderr, "  %-10s %s\n", c.name, c.summary);
  return teepnet::cli::kExitUsageOrBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage();
  const std::span<char* const> args(argv + 2, static_cast<size_t>(argc - 2));
  for (const Command& c : kCommands) {
    if (std::strcmp(argv[1], c.name) == 0) {
      try {
        return c.run(args);
      } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "teepnet %s: out of memory\n", c.name);
        return teepnet::cli::kExitFailure;
      }
    }
  }
  std::fprintf(stderr, "teepnet: unknown command '%s'\n", argv[1]);
  return Usage();
}
