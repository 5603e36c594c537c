// Subcommands of the `teepnet` program. Each lives in its own .cc file and is listed in the
// dispatch table in main.cc; it returns the process exit status.
#ifndef TEEPNET_SERVICES_CLI_COMMANDS_H_
#define TEEPNET_SERVICES_CLI_COMMANDS_H_

#include <span>

namespace teepnet::cli {

// Exit statuses shared by all subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsageOrBadInput = 2;

// `teepnet inspect [FILE|-] [--hex HEX] [--edn] [--profile rfc|legacy]`; args exclude the
// program and command names.
int RunInspect(std::span<char* const> args);

// `teepnet demo`: the demonstration `make demo` runs.
int RunDemo(std::span<char* const> args);

// `teepnet request ...` and `teepnet request status ID` (request.cc): the Network User.
int RunRequest(std::span<char* const> args);

// `teepnet package --key PEM --name NAME EXE -o OUT` (package.cc): a signed TA/UA package.
int RunPackage(std::span<char* const> args);

// `teepnet package image --from DIR --entrypoint PATH -o OUT.tar ...` (package_image.cc): an
// OCI image for a confidential container, optionally wrapped in the signed envelope.
int RunPackageImage(std::span<char* const> args);

// `teepnet attest verify|verify-ear ...` (attest_verify.cc, attest_verify_ear.cc).
int RunAttest(std::span<char* const> args);

// `teepnet workload NAME ...` (workloads/workload_cmd.cc): an Appendix B workload alone.
int RunWorkloadCommand(std::span<char* const> args);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_COMMANDS_H_
