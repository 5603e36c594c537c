#include "teepnet/store/moc_request_json.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

#include "teepnet/base/hex.h"
#include "teepnet/store/errc.h"

namespace teepnet::store {

namespace {

using nlohmann::json;

// The highest value of each enumeration (model.h); a stored number above it is damage.
constexpr int64_t kMaxArchitecture = static_cast<int64_t>(moc::Architecture::kCsv);
constexpr int64_t kMaxInstanceType = static_cast<int64_t>(moc::InstanceType::kVm);
constexpr int64_t kMaxRequestState = static_cast<int64_t>(moc::RequestState::kFailed);
constexpr int64_t kMaxActionKind = static_cast<int64_t>(moc::ActionKind::kFailRequest);
constexpr int64_t kMaxChannelTarget = static_cast<int64_t>(moc::ChannelTarget::kTa);

json OptionalText(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

json OptionalArch(const std::optional<moc::Architecture>& value) {
  return value ? json(static_cast<int>(*value)) : json(nullptr);
}

json ActionJson(const moc::Action& a) {
  return {
      {"seq", a.seq},           {"kind", static_cast<int>(a.kind)},     {"device_id", a.device_id},
      {"packages", a.packages}, {"target", static_cast<int>(a.target)}, {"digest", ToHex(a.digest)},
      {"reason", a.reason}};
}

// --- decoding: each reader checks the member's presence and type before reading ---

Error Bad(std::string_view what) {
  return Error(Errc::kBadColumn, "stored request: " + std::string(what) + " has the wrong shape");
}

Result<const json*> Member(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return Bad(key);
  return &*it;
}

Result<std::string> Text(const json& j, const char* key) {
  TEEPNET_ASSIGN_OR_RETURN(const json* m, Member(j, key));
  if (!m->is_string()) return Bad(key);
  return m->get<std::string>();
}

Result<std::optional<std::string>> OptText(const json& j, const char* key) {
  TEEPNET_ASSIGN_OR_RETURN(const json* m, Member(j, key));
  if (m->is_null()) return std::optional<std::string>();
  if (!m->is_string()) return Bad(key);
  return std::optional<std::string>(m->get<std::string>());
}

Result<int64_t> Int(const json& j, const char* key) {
  TEEPNET_ASSIGN_OR_RETURN(const json* m, Member(j, key));
  if (!m->is_number_integer()) return Bad(key);
  return m->get<int64_t>();
}

Result<uint64_t> Uint(const json& j, const char* key) {
  TEEPNET_ASSIGN_OR_RETURN(const json* m, Member(j, key));
  if (!m->is_number_unsigned()) return Bad(key);
  return m->get<uint64_t>();
}

Result<int64_t> Enum(const json& j, const char* key, int64_t max) {
  TEEPNET_ASSIGN_OR_RETURN(int64_t v, Int(j, key));
  if (v < 0 || v > max) return Bad(key);
  return v;
}

Result<bool> Bool(const json& j, const char* key) {
  TEEPNET_ASSIGN_OR_RETURN(const json* m, Member(j, key));
  if (!m->is_boolean()) return Bad(key);
  return m->get<bool>();
}

Result<Bytes> Hex(const json& j, const char* key) {
  TEEPNET_ASSIGN_OR_RETURN(std::string text, Text(j, key));
  auto bytes = FromHex(text);
  if (!bytes.ok()) return Bad(key);
  return std::move(bytes).value();
}

// Members added after the first release: a row written before them reads as empty.
Result<std::string> TextOr(const json& j, const char* key, std::string fallback) {
  if (!j.contains(key)) return fallback;
  return Text(j, key);
}

Result<Bytes> HexOr(const json& j, const char* key) {
  if (!j.contains(key)) return Bytes();
  return Hex(j, key);
}

Result<std::optional<moc::Architecture>> OptArch(const json& j, const char* key) {
  TEEPNET_ASSIGN_OR_RETURN(const json* m, Member(j, key));
  if (m->is_null()) return std::optional<moc::Architecture>();
  TEEPNET_ASSIGN_OR_RETURN(int64_t v, Enum(j, key, kMaxArchitecture));
  return std::optional<moc::Architecture>(static_cast<moc::Architecture>(v));
}

Result<moc::Step> DecodeStep(const json& j) {
  if (!j.is_object()) return Bad("steps[]");
  moc::Step step;
  TEEPNET_ASSIGN_OR_RETURN(int64_t state, Enum(j, "state", kMaxRequestState));
  step.state = static_cast<moc::RequestState>(state);
  TEEPNET_ASSIGN_OR_RETURN(step.at, Int(j, "at"));
  TEEPNET_ASSIGN_OR_RETURN(step.detail, Text(j, "detail"));
  return step;
}

Result<moc::Action> DecodeAction(const json& j) {
  if (!j.is_object()) return Bad("outbox[]");
  moc::Action a;
  TEEPNET_ASSIGN_OR_RETURN(a.seq, Uint(j, "seq"));
  TEEPNET_ASSIGN_OR_RETURN(int64_t kind, Enum(j, "kind", kMaxActionKind));
  a.kind = static_cast<moc::ActionKind>(kind);
  TEEPNET_ASSIGN_OR_RETURN(a.device_id, Text(j, "device_id"));
  TEEPNET_ASSIGN_OR_RETURN(const json* packages, Member(j, "packages"));
  if (!packages->is_array()) return Bad("packages");
  for (const json& p : *packages) {
    if (!p.is_string()) return Bad("packages[]");
    a.packages.push_back(p.get<std::string>());
  }
  TEEPNET_ASSIGN_OR_RETURN(int64_t target, Enum(j, "target", kMaxChannelTarget));
  a.target = static_cast<moc::ChannelTarget>(target);
  TEEPNET_ASSIGN_OR_RETURN(a.digest, Hex(j, "digest"));
  TEEPNET_ASSIGN_OR_RETURN(a.reason, Text(j, "reason"));
  return a;
}

}  // namespace

std::string EncodeMocRequest(const moc::Request& r) {
  json steps = json::array();
  for (const moc::Step& s : r.steps) {
    steps.push_back({{"state", static_cast<int>(s.state)}, {"at", s.at}, {"detail", s.detail}});
  }
  json outbox = json::array();
  for (const moc::Action& a : r.outbox) outbox.push_back(ActionJson(a));
  json j = {{"id", r.id},
            {"tenant_id", r.tenant_id},
            {"use_case", r.use_case},
            {"instance", static_cast<int>(r.instance)},
            {"hardware", OptionalArch(r.hardware)},
            {"ua_package", OptionalText(r.ua_package)},
            {"ta_package", OptionalText(r.ta_package)},
            {"device_id", r.device_id},
            {"device_architecture", OptionalArch(r.device_architecture)},
            {"state", static_cast<int>(r.state)},
            {"steps", std::move(steps)},
            {"ua_deploy_issued", r.ua_deploy_issued},
            {"ta_deploy_issued", r.ta_deploy_issued},
            {"ua_installed", r.ua_installed},
            {"ta_installed", r.ta_installed},
            {"attestation_requested", r.attestation_requested},
            {"ear", ToHex(r.ear)},
            {"ear_media_type", r.ear_media_type},
            {"sealed_digest", ToHex(r.sealed_digest)},
            {"channel_instance", r.channel_instance},
            {"receipt", ToHex(r.receipt)},
            {"error", r.error},
            {"outbox", std::move(outbox)},
            {"next_action_seq", r.next_action_seq},
            {"version", r.version},
            {"created_at", r.created_at},
            {"updated_at", r.updated_at}};
  return j.dump();
}

Result<moc::Request> DecodeMocRequest(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Bad("document");
  moc::Request r;
  TEEPNET_ASSIGN_OR_RETURN(r.id, Text(j, "id"));
  TEEPNET_ASSIGN_OR_RETURN(r.tenant_id, Text(j, "tenant_id"));
  TEEPNET_ASSIGN_OR_RETURN(int64_t use_case, Int(j, "use_case"));
  if (use_case < 1 || use_case > 4) return Bad("use_case");
  r.use_case = static_cast<int>(use_case);
  TEEPNET_ASSIGN_OR_RETURN(int64_t instance, Enum(j, "instance", kMaxInstanceType));
  r.instance = static_cast<moc::InstanceType>(instance);
  TEEPNET_ASSIGN_OR_RETURN(r.hardware, OptArch(j, "hardware"));
  TEEPNET_ASSIGN_OR_RETURN(r.ua_package, OptText(j, "ua_package"));
  TEEPNET_ASSIGN_OR_RETURN(r.ta_package, OptText(j, "ta_package"));
  TEEPNET_ASSIGN_OR_RETURN(r.device_id, Text(j, "device_id"));
  TEEPNET_ASSIGN_OR_RETURN(r.device_architecture, OptArch(j, "device_architecture"));
  TEEPNET_ASSIGN_OR_RETURN(int64_t state, Enum(j, "state", kMaxRequestState));
  r.state = static_cast<moc::RequestState>(state);
  TEEPNET_ASSIGN_OR_RETURN(const json* steps, Member(j, "steps"));
  if (!steps->is_array()) return Bad("steps");
  for (const json& s : *steps) {
    TEEPNET_ASSIGN_OR_RETURN(moc::Step step, DecodeStep(s));
    r.steps.push_back(std::move(step));
  }
  TEEPNET_ASSIGN_OR_RETURN(r.ua_deploy_issued, Bool(j, "ua_deploy_issued"));
  TEEPNET_ASSIGN_OR_RETURN(r.ta_deploy_issued, Bool(j, "ta_deploy_issued"));
  TEEPNET_ASSIGN_OR_RETURN(r.ua_installed, Bool(j, "ua_installed"));
  TEEPNET_ASSIGN_OR_RETURN(r.ta_installed, Bool(j, "ta_installed"));
  TEEPNET_ASSIGN_OR_RETURN(r.attestation_requested, Bool(j, "attestation_requested"));
  TEEPNET_ASSIGN_OR_RETURN(r.ear, Hex(j, "ear"));
  TEEPNET_ASSIGN_OR_RETURN(r.ear_media_type, Text(j, "ear_media_type"));
  TEEPNET_ASSIGN_OR_RETURN(r.sealed_digest, Hex(j, "sealed_digest"));
  TEEPNET_ASSIGN_OR_RETURN(r.channel_instance, TextOr(j, "channel_instance", ""));
  TEEPNET_ASSIGN_OR_RETURN(r.receipt, HexOr(j, "receipt"));
  TEEPNET_ASSIGN_OR_RETURN(r.error, Text(j, "error"));
  TEEPNET_ASSIGN_OR_RETURN(const json* outbox, Member(j, "outbox"));
  if (!outbox->is_array()) return Bad("outbox");
  for (const json& a : *outbox) {
    TEEPNET_ASSIGN_OR_RETURN(moc::Action action, DecodeAction(a));
    r.outbox.push_back(std::move(action));
  }
  TEEPNET_ASSIGN_OR_RETURN(r.next_action_seq, Uint(j, "next_action_seq"));
  TEEPNET_ASSIGN_OR_RETURN(r.version, Uint(j, "version"));
  TEEPNET_ASSIGN_OR_RETURN(r.created_at, Int(j, "created_at"));
  TEEPNET_ASSIGN_OR_RETURN(r.updated_at, Int(j, "updated_at"));
  return r;
}

}  // namespace teepnet::store
