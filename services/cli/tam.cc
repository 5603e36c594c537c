#include "services/cli/tam.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <string>

#include "services/cli/commands.h"
#include "services/common/data_dir.h"
#include "services/common/flags.h"
#include "services/net/http.h"
#include "teepnet/base/file.h"

namespace teepnet::cli {

namespace {

using nlohmann::json;

struct Common {
  std::string moc;
  std::string token;
  std::string token_file;
  std::string ca;  // trust anchors for an https:// M/OC
};

void AddCommonFlags(common::FlagSet& flags, Common& c) {
  flags.String("moc", &c.moc, "URL", "the M/OC, e.g. http://127.0.0.1:8080 or https://moc:8443",
               true);
  flags.String("ca", &c.ca, "FILE",
               "for an https:// M/OC: PEM CA certificate(s) that issued its certificate, or its "
               "own certificate (pinned)");
  flags.String("token", &c.token, "TOKEN",
               "admin token (default: $TEEPNET_ADMIN_TOKEN, or --token-file)");
  flags.String("token-file", &c.token_file, "FILE",
               "file holding the admin token (DIR/admin-token)");
}

// Parses flags; prints help or the usage error. Returns an exit status when the command
// should stop here.
std::optional<int> ParseOrExit(common::FlagSet& flags, std::span<char* const> args,
                               std::vector<std::string>* positional, size_t want_positional) {
  auto parsed = flags.Parse(args);
  if (parsed.ok() && flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return kExitOk;
  }
  if (!parsed.ok() || parsed->size() != want_positional) {
    std::fprintf(stderr, "teepnet tam: %s\n\n%s",
                 parsed.ok() ? "wrong number of arguments" : parsed.error().message().c_str(),
                 flags.Help().c_str());
    return kExitUsageOrBadInput;
  }
  *positional = std::move(parsed).value();
  return std::nullopt;
}

Result<std::string> AdminToken(const Common& c) {
  if (!c.token.empty()) return c.token;
  if (!c.token_file.empty()) return common::ReadToken(c.token_file);
  if (const char* env = std::getenv("TEEPNET_ADMIN_TOKEN"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  return Error(Code::kInvalidArgument,
               "no admin token: give --token, --token-file or set "
               "TEEPNET_ADMIN_TOKEN");
}

// Sends one admin request; prints the reply (or the refusal) and returns the exit status.
// `on_ok` prints a successful reply.
int Exchange(const Common& c, std::string_view method, const std::string& target,
             std::string_view content_type, ByteView body,
             const std::function<void(const json&)>& on_ok) {
  auto token = AdminToken(c);
  if (!token.ok()) {
    std::fprintf(stderr, "teepnet tam: %s\n", token.error().message().c_str());
    return kExitUsageOrBadInput;
  }
  net::HttpClientOptions http;
  http.tls_ca_file = c.ca;
  auto client = net::HttpClient::Create(c.moc, http);
  if (!client.ok()) {
    std::fprintf(stderr, "teepnet tam: %s\n", client.error().message().c_str());
    return kExitUsageOrBadInput;
  }
  net::HeaderList headers = {{"Authorization", "Bearer " + *token}, {"Accept", "application/json"}};
  if (!content_type.empty()) headers.emplace_back("Content-Type", std::string(content_type));
  auto reply = (*client)->Send(method, target, headers, body);
  if (!reply.ok()) {
    std::fprintf(stderr, "teepnet tam: %s\n", reply.error().ToString().c_str());
    return kExitFailure;
  }
  json parsed = json::parse(AsChars(reply->body), nullptr, /*allow_exceptions=*/false);
  if (reply->status != 200) {
    std::string why = parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()
                          ? parsed["error"].get<std::string>()
                          : std::string(AsChars(reply->body));
    std::fprintf(stderr, "teepnet tam: the M/OC refused (HTTP %d): %s\n", reply->status,
                 why.c_str());
    return kExitFailure;
  }
  if (parsed.is_discarded()) {
    std::fprintf(stderr, "teepnet tam: the M/OC answered something that is not JSON\n");
    return kExitFailure;
  }
  on_ok(parsed);
  return kExitOk;
}

void PrintJson(const json& j) {
  std::printf("%s\n", j.dump(2).c_str());
}

int Install(std::span<char* const> args) {
  Common c;
  std::string device;
  common::FlagSet flags("teepnet tam install --moc URL --device ID [--token-file F] ENVELOPE",
                        "Adds a signed SUIT envelope to the TAM's catalog and makes it desired on\n"
                        "the device; the device installs it at its next policy check. Installing\n"
                        "an envelope with a higher sequence number updates the component.");
  AddCommonFlags(flags, c);
  flags.String("device", &device, "ID", "device id (hex, as `teepnet tam status` shows)", true);
  std::vector<std::string> positional;
  if (auto exit = ParseOrExit(flags, args, &positional, 1)) return *exit;
  auto envelope = ReadFile(positional[0], 16u << 20);
  if (!envelope.ok()) {
    std::fprintf(stderr, "teepnet tam: %s\n", envelope.error().message().c_str());
    return kExitUsageOrBadInput;
  }
  return Exchange(c, "POST", "/admin/v1/devices/" + device + "/install",
                  "application/suit-envelope+cose", *envelope, PrintJson);
}

int Remove(std::span<char* const> args) {
  Common c;
  std::string device;
  common::FlagSet flags("teepnet tam remove --moc URL --device ID [--token-file F] COMPONENT",
                        "Marks a trusted component for removal; the device uninstalls it at its\n"
                        "next policy check. COMPONENT is the manifest id as `teepnet tam status`\n"
                        "prints it (manifest_id or manifest_id_hex).");
  AddCommonFlags(flags, c);
  flags.String("device", &device, "ID", "device id (hex)", true);
  std::vector<std::string> positional;
  if (auto exit = ParseOrExit(flags, args, &positional, 1)) return *exit;
  const std::string body = json{{"component", positional[0]}}.dump();
  return Exchange(c, "POST", "/admin/v1/devices/" + device + "/remove", "application/json",
                  AsBytes(body), PrintJson);
}

int Status(std::span<char* const> args) {
  Common c;
  std::string device;
  bool as_json = false;
  common::FlagSet flags("teepnet tam status --moc URL [--device ID] [--json]",
                        "Shows each device with what it reported in its last QueryResponse\n"
                        "(installed components), what is desired, and the last outcome.");
  AddCommonFlags(flags, c);
  flags.String("device", &device, "ID", "only this device (hex id)");
  flags.Bool("json", &as_json, "print a JSON array, one object per device");
  std::vector<std::string> positional;
  if (auto exit = ParseOrExit(flags, args, &positional, 0)) return *exit;
  std::string target = "/admin/v1/status";
  if (!device.empty()) target += "?device=" + device;
  return Exchange(c, "GET", target, "", {}, [&](const json& devices) {
    if (as_json) return PrintJson(devices);
    for (const json& d : devices) {
      std::printf("%s  %-12s  last: %s\n", d.value("device_id", "").c_str(),
                  d.value("label", "").c_str(), d.value("last_result", "").c_str());
      // Attestation: the EAR's status and, when not affirming, why (appraisal.reason).
      if (d.contains("ear_status") && d["ear_status"].is_string()) {
        std::string why;
        if (d.contains("appraisal") && d["appraisal"].is_object() &&
            !d["appraisal"].value("affirming", true)) {
          why = "  " + d["appraisal"].value("reason", std::string());
        }
        std::printf("    ear        %s%s\n", d["ear_status"].get<std::string>().c_str(),
                    why.c_str());
      }
      for (const json& tc : d.value("installed", json::array())) {
        std::printf("    installed  %s  seq %s\n", tc.value("manifest_id", "").c_str(),
                    tc.contains("sequence_number") ? tc["sequence_number"].dump().c_str() : "-");
      }
    }
  });
}

}  // namespace

int RunTam(std::span<char* const> args) {
  if (!args.empty()) {
    const std::string sub = args[0];
    std::span<char* const> rest = args.subspan(1);
    if (sub == "install") return Install(rest);
    if (sub == "remove") return Remove(rest);
    if (sub == "status") return Status(rest);
  }
  std::fprintf(stderr,
               "usage: teepnet tam <install|remove|status> [flags]   (each takes --help)\n");
  return kExitUsageOrBadInput;
}

}  // namespace teepnet::cli
