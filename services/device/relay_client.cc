#include "services/device/relay_client.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "services/common/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/eat/base64url.h"

namespace teepnet::device {

namespace {

using nlohmann::json;

constexpr size_t kDigestBytes = 32;
// How much of an error answer a message quotes.
constexpr size_t kQuotedBodyBytes = 256;

std::string Quoted(const Bytes& body) {
  const std::string_view text = AsChars(body);
  return std::string(text.substr(0, kQuotedBodyBytes));
}

Error Bad(std::string what) {
  return Error(common::Errc::kBadResponse, "the M/OC's inbox: " + std::move(what));
}

Result<std::string> Text(const json& item, const char* key, size_t index) {
  auto it = item.find(key);
  if (it == item.end() || !it->is_string()) {
    return Bad("item " + std::to_string(index) + " has no text \"" + key + "\"");
  }
  std::string value = it->get<std::string>();
  if (std::string_view(key) != "sealed" && value.size() > kMaxInboxFieldBytes) {
    return Bad("item " + std::to_string(index) + "'s \"" + key + "\" is too long");
  }
  return value;
}

Result<InboxEntry> ParseItem(const json& item, size_t index) {
  if (!item.is_object()) return Bad("item " + std::to_string(index) + " is not an object");
  InboxEntry entry;
  TEEPNET_ASSIGN_OR_RETURN(entry.request_id, Text(item, "request_id", index));
  TEEPNET_ASSIGN_OR_RETURN(std::string target, Text(item, "target", index));
  if (target != "agent" && target != "ta") {
    return Bad("item " + std::to_string(index) + " has an unknown target");
  }
  entry.to_ta = target == "ta";
  TEEPNET_ASSIGN_OR_RETURN(entry.instance, Text(item, "instance", index));
  TEEPNET_ASSIGN_OR_RETURN(entry.purpose, Text(item, "purpose", index));
  if (item.contains("instance_type")) {
    TEEPNET_ASSIGN_OR_RETURN(entry.instance_type, Text(item, "instance_type", index));
    if (entry.instance_type != "process" && entry.instance_type != "container" &&
        entry.instance_type != "vm") {
      return Bad("item " + std::to_string(index) + " has an unknown instance_type");
    }
  }
  if (item.contains("ua_component")) {
    TEEPNET_ASSIGN_OR_RETURN(entry.ua_component, Text(item, "ua_component", index));
    // Only a TA delivery brings a UA from the component store (case 1's travels in its bundle).
    if (!entry.to_ta || entry.ua_component.rfind("tc-", 0) != 0) {
      return Bad("item " + std::to_string(index) + " has a ua_component that is no TA's UA");
    }
  }
  TEEPNET_ASSIGN_OR_RETURN(std::string digest, Text(item, "digest", index));
  Result<Bytes> digest_bytes = FromHex(digest);
  if (!digest_bytes.ok() || digest_bytes->size() != kDigestBytes) {
    return Bad("item " + std::to_string(index) + "'s digest is not a hex SHA-256");
  }
  entry.digest = std::move(digest_bytes).value();
  TEEPNET_ASSIGN_OR_RETURN(std::string sealed, Text(item, "sealed", index));
  Result<Bytes> sealed_bytes = eat::Base64UrlDecode(sealed);
  if (!sealed_bytes.ok() || sealed_bytes->empty()) {
    return Bad("item " + std::to_string(index) + "'s sealed bytes are not base64url");
  }
  entry.sealed = std::move(sealed_bytes).value();
  return entry;
}

}  // namespace

Result<std::vector<InboxEntry>> ParseInbox(ByteView body) {
  if (body.size() > kMaxInboxBodyBytes) return Bad("longer than its limit");
  const json parsed = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return Bad("not a JSON object");
  auto items = parsed.find("items");
  if (items == parsed.end() || !items->is_array()) return Bad("no \"items\" array");
  std::vector<InboxEntry> out;
  for (size_t i = 0; i < items->size(); ++i) {
    TEEPNET_ASSIGN_OR_RETURN(InboxEntry entry, ParseItem((*items)[i], i));
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::unique_ptr<HttpRelayEndpoint>> HttpRelayEndpoint::Create(std::string_view moc_origin,
                                                                     std::string device_id,
                                                                     net::HttpClientOptions http) {
  http.max_body_bytes = std::max(http.max_body_bytes, kMaxInboxBodyBytes);
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<net::HttpClient> client,
                           net::HttpClient::Create(moc_origin, http));
  return std::unique_ptr<HttpRelayEndpoint>(
      new HttpRelayEndpoint(std::move(client), std::move(device_id)));
}

std::string HttpRelayEndpoint::DevicePath(std::string_view leaf) const {
  return "/device/v1/devices/" + device_id_ + "/" + std::string(leaf);
}

Result<std::vector<InboxEntry>> HttpRelayEndpoint::FetchInbox() {
  TEEPNET_ASSIGN_OR_RETURN(net::HttpResponse response, client_->Get(DevicePath("inbox")));
  if (response.status != 200) {
    const std::string why =
        "inbox refused with HTTP " + std::to_string(response.status) + ": " + Quoted(response.body);
    if (response.status >= 500) return Error(Code::kUnavailable, why);
    return Error(common::Errc::kRemoteRefused, why);
  }
  return ParseInbox(response.body);
}

Status HttpRelayEndpoint::PostReceipt(std::string_view request_id, ByteView receipt) {
  const json body = {{"request_id", std::string(request_id)},
                     {"receipt", eat::Base64UrlEncode(receipt)}};
  TEEPNET_ASSIGN_OR_RETURN(
      net::HttpResponse response,
      client_->Post(DevicePath("receipts"), "application/json", AsBytes(body.dump())));
  if (response.status == 200) return OkStatus();
  const std::string why = "receipt for " + std::string(request_id) + " refused with HTTP " +
                          std::to_string(response.status) + ": " + Quoted(response.body);
  if (response.status >= 500) return Error(Code::kUnavailable, why);
  return Error(common::Errc::kRemoteRefused, why);
}

}  // namespace teepnet::device
