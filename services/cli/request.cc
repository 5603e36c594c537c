// `teepnet request ...` and `teepnet request status ID`: the Network User's commands
// (docs/USE-CASES.md). The flow itself is request_flow.h; this file parses flags, reads the
// files, prints the steps as they happen and sets the exit status: 0 only when the TA's
// receipt proves the PD arrived, 1 when the M/OC refused, the EAR was not acceptable (nothing
// was sent) or the proof did not check, 2 for usage or input errors.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "services/cli/commands.h"
#include "services/cli/moc_client.h"
#include "services/cli/request_flow.h"
#include "services/common/data_dir.h"
#include "services/common/flags.h"
#include "teepnet/base/file.h"
#include "teepnet/moc/failure_record.h"

namespace teepnet::cli {

namespace {

using nlohmann::json;

// An executable or a package; channel::kMaxContentBytes bounds what can be sealed anyway.
constexpr size_t kMaxInputFileBytes = size_t{64} << 20;

struct Connection {
  std::string moc;
  std::string ca;
  std::string token;
  std::string token_file;
};

void AddConnectionFlags(common::FlagSet& flags, Connection& c) {
  flags.String("moc", &c.moc, "URL", "the M/OC, e.g. http://127.0.0.1:8080", true);
  flags.String("ca", &c.ca, "FILE", "for an https:// M/OC: PEM CA certificate(s) or its own (pin)");
  flags.String("token", &c.token, "TOKEN",
               "tenant token (default: $TEEPNET_TOKEN or --token-file)");
  flags.String("token-file", &c.token_file, "FILE", "file holding the tenant token");
}

Result<std::string> TenantToken(const Connection& c) {
  if (!c.token.empty()) return c.token;
  if (!c.token_file.empty()) return common::ReadToken(c.token_file);
  if (const char* env = std::getenv("TEEPNET_TOKEN"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  return Error(Code::kInvalidArgument,
               "no tenant token: give --token, --token-file or set "
               "TEEPNET_TOKEN");
}

int UsageError(const common::FlagSet& flags, const std::string& why) {
  std::fprintf(stderr, "teepnet request: %s\n\n%s", why.c_str(), flags.Help().c_str());
  return kExitUsageOrBadInput;
}

class PrintSteps final : public FlowObserver {
 public:
  void OnStep(const FlowStep& step) override {
    std::fprintf(stderr, "  [%8.3f s] %-22s %s\n", static_cast<double>(step.at_ms) / 1000.0,
                 step.name.c_str(), step.detail.c_str());
  }
};

// openapi.yaml GET /requests/{id}/failure: fetches the M/OC's signed failure record, checks
// it with the verifier key (pinned, or fetched and named by its fingerprint) and saves it, so
// the user can show a third party why nothing was delivered. 0 when saved, 1 otherwise.
int SaveFailureRecord(MocClient& client, const std::string& id, const std::string& key_path,
                      const std::string& out) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::optional<crypto::PublicKey> key;
  bool pinned = !key_path.empty();
  if (pinned) {
    auto pem = ReadFile(key_path);
    auto parsed = pem.ok() ? crypto::PublicKey::FromPem(AsChars(*pem))
                           : Result<crypto::PublicKey>(pem.error());
    if (!parsed.ok()) {
      std::fprintf(stderr, "teepnet request: --verifier-key: %s\n",
                   parsed.error().message().c_str());
      return kExitUsageOrBadInput;
    }
    key = *std::move(parsed);
  } else {
    auto reply =
        client.Call("GET", "/api/v1/verifier-key", "", {}, Retry::kUntilDeadline, deadline);
    auto parsed = reply.ok() && reply->status == 200
                      ? crypto::PublicKey::FromPem(AsChars(reply->body))
                      : Result<crypto::PublicKey>(Error(Code::kUnavailable, "no verifier key"));
    if (!parsed.ok()) {
      std::fprintf(stderr, "teepnet request: cannot get the M/OC's verifier key: %s\n",
                   reply.ok() ? reply->ErrorText().c_str() : reply.error().ToString().c_str());
      return kExitFailure;
    }
    key = *std::move(parsed);
  }
  auto reply = client.Call("GET", "/api/v1/requests/" + id + "/failure", "", {},
                           Retry::kUntilDeadline, deadline);
  if (!reply.ok()) {
    std::fprintf(stderr, "teepnet request: %s\n", reply.error().ToString().c_str());
    return kExitFailure;
  }
  if (reply->status != 200) {
    std::fprintf(stderr, "teepnet request: no failure record: %s\n", reply->ErrorText().c_str());
    return kExitFailure;
  }
  auto record = moc::VerifyFailureRecord(AsChars(reply->body), *key);
  if (!record.ok()) {
    std::fprintf(stderr, "teepnet request: the failure record does not verify: %s\n",
                 record.error().ToString().c_str());
    return kExitFailure;
  }
  if (record->request_id != id) {
    std::fprintf(stderr, "teepnet request: the failure record is for request %s, not %s\n",
                 record->request_id.c_str(), id.c_str());
    return kExitFailure;
  }
  if (Status s = WriteFileAtomic(out, reply->body, 0644); !s.ok()) {
    std::fprintf(stderr, "teepnet request: %s\n", s.error().ToString().c_str());
    return kExitFailure;
  }
  std::fprintf(stderr,
               "failure record saved to %s: failed at step %s: %s (signed by verifier key "
               "sha256:%s, %s)\n",
               out.c_str(), std::string(moc::RequestStateName(record->failed_step)).c_str(),
               record->reason.c_str(), KeyFingerprint(*key).c_str(),
               pinned ? "pinned" : "fetched; compare it with the operator's and pin it");
  return kExitOk;
}

int Status(std::span<char* const> args) {
  Connection c;
  bool as_json = false;
  std::string failure_out;
  std::string verifier_key_path;
  common::FlagSet flags(
      "teepnet request status --moc URL [--token T] [--json] [--failure-out FILE "
      "[--verifier-key PEM]] ID",
      "Shows a request's state, its steps and why it failed; with --failure-out, saves the\n"
      "M/OC's signed record of the failure after checking its signature.");
  AddConnectionFlags(flags, c);
  flags.Bool("json", &as_json, "print the request as the M/OC returns it (JSON)");
  flags.String("failure-out", &failure_out, "FILE",
               "save the request's signed failure record here (a JWT; the request must have "
               "failed)");
  flags.String("verifier-key", &verifier_key_path, "PEM",
               "the M/OC's verifier key the record must verify with (default: fetched from the "
               "M/OC)");
  auto positional = flags.Parse(args);
  if (positional.ok() && flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return kExitOk;
  }
  if (!positional.ok()) return UsageError(flags, positional.error().message());
  if (positional->size() != 1) return UsageError(flags, "give exactly one request id");
  auto token = TenantToken(c);
  if (!token.ok()) return UsageError(flags, token.error().message());
  auto client = MocClient::Create(c.moc, c.ca, *token);
  if (!client.ok()) return UsageError(flags, client.error().message());
  const std::string& id = positional->front();
  if (id.find_first_of("/?#% ") != std::string::npos) return UsageError(flags, "bad request id");
  auto reply = client->Call("GET", "/api/v1/requests/" + id, "", {}, Retry::kNo,
                            std::chrono::steady_clock::now());
  if (!reply.ok()) {
    std::fprintf(stderr, "teepnet request: %s\n", reply.error().ToString().c_str());
    return kExitFailure;
  }
  if (reply->status != 200) {
    std::fprintf(stderr, "teepnet request: %s\n", reply->ErrorText().c_str());
    return kExitFailure;
  }
  const json r = reply->Json();
  if (!r.is_object()) {
    std::fprintf(stderr, "teepnet request: the M/OC answered something that is not JSON\n");
    return kExitFailure;
  }
  if (as_json) {
    std::printf("%s\n", r.dump(2).c_str());
    return failure_out.empty() ? kExitOk
                               : SaveFailureRecord(*client, id, verifier_key_path, failure_out);
  }
  auto text = [&](const char* key) {
    return r.contains(key) && r[key].is_string() ? r[key].get<std::string>() : std::string("-");
  };
  std::printf("%s  case %s  %s on %s  device %s\n", text("id").c_str(),
              r.contains("use_case") ? r["use_case"].dump().c_str() : "?", text("instance").c_str(),
              text("device_architecture").c_str(), text("device_id").c_str());
  std::printf("state: %s%s%s\n", text("state").c_str(),
              r.contains("error") && r["error"].is_string() ? "  error: " : "",
              r.contains("error") && r["error"].is_string() ? text("error").c_str() : "");
  if (r.contains("steps") && r["steps"].is_array()) {
    for (const json& s : r["steps"]) {
      if (!s.is_object()) continue;
      std::printf("  %s  %-22s %s\n", s.value("at", std::string()).c_str(),
                  s.value("state", std::string()).c_str(),
                  s.value("detail", std::string()).c_str());
    }
  }
  std::printf("receipt: %s\n", r.contains("receipt") && r["receipt"].is_string() ? "present" : "-");
  if (!failure_out.empty()) return SaveFailureRecord(*client, id, verifier_key_path, failure_out);
  return kExitOk;
}

Result<Bytes> ReadInput(const std::string& path) {
  if (path == "-") return ReadStdin(kMaxInputFileBytes);
  return ReadFile(path, kMaxInputFileBytes);
}

int Request(std::span<char* const> args) {
  Connection c;
  int64_t use_case = 0;
  int64_t timeout_s = 300;
  std::string instance;
  std::string hardware;
  std::string ua_path;
  std::string ta_path;
  std::string pd_path;
  std::string verifier_key_path;
  bool as_json = false;
  common::FlagSet flags(
      "teepnet request --moc URL --token T --case N --instance process|container|vm "
      "[--hardware ARCH] [--ua FILE] [--ta FILE] [--pd FILE] [--verifier-key PEM] [--json]\n"
      "       teepnet request status --moc URL --token T ID",
      "Runs a use case as a Network User: creates the request, follows its steps, verifies\n"
      "the EAR with the M/OC's verifier key, seals the data to the attested key and checks the\n"
      "TA's signed receipt for the PD. What each case takes:\n"
      "  1  --ua UA-EXECUTABLE --ta TA-EXECUTABLE --pd FILE   (sealed to the Agent)\n"
      "  2  --ua UA-PACKAGE --ta TA-PACKAGE --pd FILE         (PD sealed to the TA)\n"
      "  3  --ta TA-PACKAGE [--ua UA-PACKAGE] --pd FILE       (PD sealed to the TA)\n"
      "  4  --ta TA-EXECUTABLE --pd FILE                      (sealed to the Agent)\n"
      "Packages are signed SUIT envelopes (`teepnet package`). Exit status: 0 when the\n"
      "receipt proves the PD reached the attested TA, 1 otherwise, 2 for usage errors.");
  AddConnectionFlags(flags, c);
  flags.Int("case", &use_case, "N", "the use case, 1-4", 1, 4);
  flags.String("instance", &instance, "TYPE", "process, container or vm", true);
  flags.String("hardware", &hardware, "ARCH",
               "trustzone, sgx, sev-snp, cca, tdx or csv (default: any Figure 2 allows)");
  flags.String("ua", &ua_path, "FILE", "the UA (executable in case 1, package in cases 2, 3)");
  flags.String("ta", &ta_path, "FILE", "the TA (executable in cases 1, 4, package in 2, 3)");
  flags.String("pd", &pd_path, "FILE", "the Personalization Data ('-' reads stdin)");
  flags.String("verifier-key", &verifier_key_path, "PEM",
               "pin the M/OC's EAR-signing key (default: fetch it and print its fingerprint)");
  flags.Int("timeout-s", &timeout_s, "S", "give up after this long", 1, 86400);
  flags.Bool("json", &as_json, "print one JSON result object on stdout");
  auto positional = flags.Parse(args);
  if (positional.ok() && flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return kExitOk;
  }
  if (!positional.ok()) return UsageError(flags, positional.error().message());
  if (!positional->empty()) return UsageError(flags, "unexpected argument " + positional->front());
  if (use_case == 0) return UsageError(flags, "--case is required");
  if (instance != "process" && instance != "container" && instance != "vm") {
    return UsageError(flags, "--instance must be process, container or vm");
  }
  if (ta_path.empty() || pd_path.empty()) return UsageError(flags, "--ta and --pd are required");
  auto token = TenantToken(c);
  if (!token.ok()) return UsageError(flags, token.error().message());

  FlowInput in;
  in.moc_url = c.moc;
  in.ca_file = c.ca;
  in.token = *token;
  in.use_case = static_cast<int>(use_case);
  in.instance = instance;
  in.hardware = hardware;
  in.timeout_ms = timeout_s * 1000;
  auto ta = ReadInput(ta_path);
  if (!ta.ok()) return UsageError(flags, "--ta: " + ta.error().message());
  in.ta = *std::move(ta);
  if (!ua_path.empty()) {
    auto ua = ReadInput(ua_path);
    if (!ua.ok()) return UsageError(flags, "--ua: " + ua.error().message());
    in.ua = *std::move(ua);
  }
  {
    auto pd = ReadInput(pd_path);
    if (!pd.ok()) return UsageError(flags, "--pd: " + pd.error().message());
    in.pd = SecretBytes(*pd);
    std::fill(pd->begin(), pd->end(), uint8_t{0});
  }
  if (!verifier_key_path.empty()) {
    auto pem = ReadFile(verifier_key_path);
    auto key = pem.ok() ? crypto::PublicKey::FromPem(AsChars(*pem))
                        : Result<crypto::PublicKey>(pem.error());
    if (!key.ok()) return UsageError(flags, "--verifier-key: " + key.error().message());
    in.verifier_key = *std::move(key);
  }

  PrintSteps printer;
  FlowResult result = RunRequestFlow(in, &printer);
  if (as_json) {
    std::printf("%s\n", FlowResultJson(in, result).dump().c_str());
  } else if (result.ok) {
    std::printf("request %s done: the TA proved receipt of the PD (sha256 %s)\n",
                result.request_id.c_str(),
                FlowResultJson(in, result).value("pd_sha256", std::string()).c_str());
  }
  if (!result.ok) {
    std::fprintf(stderr, "teepnet request: %s%s\n", result.error.c_str(),
                 result.request_id.empty() ? "" : (" (request " + result.request_id + ")").c_str());
  }
  return result.ok ? kExitOk : kExitFailure;
}

}  // namespace

int RunRequest(std::span<char* const> args) {
  if (!args.empty() && std::string(args[0]) == "status") return Status(args.subspan(1));
  return Request(args);
}

}  // namespace teepnet::cli
