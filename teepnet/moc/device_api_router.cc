#include "teepnet/moc/device_api_router.h"

#include <string>
#include <vector>

#include "teepnet/base/hex.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/moc/errc.h"
#include "teepnet/moc/limits.h"

namespace teepnet::moc {

namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "/device/v1/devices/";

Error MethodNotAllowed(std::string_view method, std::string_view path) {
  return Error(Errc::kMethodNotAllowed,
               std::string(method) + " is not allowed on " + std::string(path));
}

// Ids are the M/OC's own ("req-" + hex) and RFC 9679 thumbprints in hex; anything else in a
// path or body is refused before it reaches the store or a log line.
Status CheckId(std::string_view id, std::string_view what) {
  if (id.empty() || id.size() > kMaxDeviceIdBytes) {
    return Error(Errc::kInvalidArgument, std::string(what) + " must be 1 to " +
                                             std::to_string(kMaxDeviceIdBytes) + " characters");
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) {
      return Error(Errc::kInvalidArgument,
                   std::string(what) + " may hold only letters, digits, '-', '_' and '.'");
    }
  }
  return OkStatus();
}

struct ReceiptPost {
  std::string request_id;
  Bytes receipt;
};

Result<ReceiptPost> ParseReceiptPost(ByteView body) {
  TEEPNET_ASSIGN_OR_RETURN(json object, ParseJsonObject(body, kMaxReceiptBodyBytes));
  TEEPNET_RETURN_IF_ERROR(OnlyFields(object, {"request_id", "receipt"}));
  ReceiptPost post;
  TEEPNET_ASSIGN_OR_RETURN(post.request_id, StringField(object, "request_id"));
  TEEPNET_RETURN_IF_ERROR(CheckId(post.request_id, "\"request_id\""));
  TEEPNET_ASSIGN_OR_RETURN(std::string receipt, StringField(object, "receipt"));
  Result<Bytes> decoded = eat::Base64UrlDecode(receipt);
  if (!decoded.ok() || decoded->empty()) {
    return Error(Errc::kInvalidArgument, "\"receipt\" must be a non-empty base64url string");
  }
  post.receipt = std::move(decoded).value();
  return post;
}

}  // namespace

json InboxItemJson(const InboxItem& item) {
  json out = {{"request_id", item.request_id},
              {"target", std::string(ChannelTargetName(item.target))},
              {"instance", item.instance},
              {"purpose", item.purpose},
              {"instance_type", std::string(InstanceTypeName(item.instance_type))},
              {"digest", ToHex(item.digest)},
              {"sealed", eat::Base64UrlEncode(item.sealed)}};
  if (!item.ua_component.empty()) out["ua_component"] = item.ua_component;
  return out;
}

size_t DeviceApiRouter::MaxBodyBytes() {
  return kMaxReceiptBodyBytes;
}

bool DeviceApiRouter::Serves(std::string_view path) {
  return path.substr(0, 11) == "/device/v1/";
}

ApiResponse DeviceApiRouter::Handle(const ApiRequest& request) {
  const std::string_view target = request.target;
  const std::string_view path = target.substr(0, target.find('?'));
  // devices/{device_id}/{inbox|receipts}
  const auto no_route = [&] {
    return ErrorResponse(Error(Errc::kRouteNotFound, "no such path: " + std::string(path)));
  };
  if (path.substr(0, kPrefix.size()) != kPrefix) return no_route();
  const std::string_view rest = path.substr(kPrefix.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return no_route();
  const std::string_view device_id = rest.substr(0, slash);
  const std::string_view leaf = rest.substr(slash + 1);
  if (leaf != "inbox" && leaf != "receipts") return no_route();
  if (request.body.size() > MaxBodyBytes()) {
    return ErrorResponse(Error(Errc::kBodyTooLarge,
                               "the body exceeds " + std::to_string(MaxBodyBytes()) + " bytes"));
  }
  if (Status id = CheckId(device_id, "the device id"); !id.ok()) return ErrorResponse(id.error());

  if (leaf == "inbox") {
    if (request.method != "GET") return ErrorResponse(MethodNotAllowed(request.method, path));
    Result<std::vector<InboxItem>> items = service_.Inbox(device_id);
    if (!items.ok()) return ErrorResponse(items.error());
    json out = json::array();
    for (const InboxItem& item : *items) out.push_back(InboxItemJson(item));
    return JsonResponse(200, json{{"items", std::move(out)}});
  }
  if (request.method != "POST") return ErrorResponse(MethodNotAllowed(request.method, path));
  Result<ReceiptPost> post = ParseReceiptPost(request.body);
  if (!post.ok()) return ErrorResponse(post.error());
  Result<Request> done = service_.AcceptReceipt(device_id, post->request_id, post->receipt);
  if (!done.ok()) return ErrorResponse(done.error());
  return JsonResponse(
      200, json{{"request_id", done->id}, {"state", std::string(RequestStateName(done->state))}});
}

}  // namespace teepnet::moc
