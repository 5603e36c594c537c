#include "services/moc/device_wait_api.h"

#include <charconv>
#include <string>
#include <utility>

#include "teepnet/moc/api_response.h"
#include "teepnet/moc/errc.h"
#include "teepnet/moc/limits.h"

namespace teepnet::moc {

namespace {

constexpr std::string_view kPrefix = "/device/v1/devices/";
constexpr std::string_view kLeaf = "/wait";

net::HttpResponse ToHttp(ApiResponse out) {
  net::HttpResponse r =
      net::HttpResponse::WithBody(out.status, std::move(out.content_type), std::move(out.body));
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

net::HttpResponse Refused(Errc code, std::string message) {
  return ToHttp(ErrorResponse(Error(code, std::move(message))));
}

// The same id alphabet as the rest of the device API (device_api_router.cc).
bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxDeviceIdBytes) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// "timeout_ms=N" among the query parameters; the default when absent.
std::optional<int64_t> TimeoutMs(std::string_view query) {
  int64_t value = kDefaultDeviceWaitMs;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.substr(0, 11) != "timeout_ms=") return std::nullopt;  // nothing else is defined
    std::string_view digits = param.substr(11);
    if (digits.empty() || digits.size() > 6) return std::nullopt;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    if (value < 0 || value > kMaxDeviceWaitMs) return std::nullopt;
  }
  return value;
}

}  // namespace

bool DeviceWaitApi::Serves(std::string_view path) {
  if (path.substr(0, kPrefix.size()) != kPrefix || path.size() <= kPrefix.size() + kLeaf.size()) {
    return false;
  }
  if (path.substr(path.size() - kLeaf.size()) != kLeaf) return false;
  const std::string_view id =
      path.substr(kPrefix.size(), path.size() - kPrefix.size() - kLeaf.size());
  return id.find('/') == std::string_view::npos;
}

bool DeviceWaitApi::Take(const net::HttpRequest& request, const net::HttpResponder& respond) {
  const std::string_view path = request.Path();
  if (!Serves(path)) return false;
  const std::string_view id =
      path.substr(kPrefix.size(), path.size() - kPrefix.size() - kLeaf.size());
  if (request.method != "GET") {
    respond(Refused(Errc::kMethodNotAllowed, request.method + " is not allowed on the wait"));
    return true;
  }
  if (!ValidId(id)) {
    respond(Refused(Errc::kInvalidArgument, "the device id must be 1 to " +
                                                std::to_string(kMaxDeviceIdBytes) +
                                                " letters, digits, '-', '_' or '.'"));
    return true;
  }
  const size_t q = request.target.find('?');
  const std::optional<int64_t> timeout = TimeoutMs(
      q == std::string::npos ? std::string_view() : std::string_view(request.target).substr(q + 1));
  if (!timeout) {
    respond(Refused(Errc::kInvalidArgument,
                    "the only parameter is timeout_ms, 0 to " + std::to_string(kMaxDeviceWaitMs)));
    return true;
  }
  wakeups_.Wait(id, *timeout, [respond](WaitAnswer answer) {
    switch (answer) {
      case WaitAnswer::kWork: respond(ToHttp(JsonResponse(200, {{"work", true}}))); return;
      case WaitAnswer::kTimeout: respond(net::HttpResponse::Status(204)); return;
      case WaitAnswer::kRefused: {
        net::HttpResponse r = net::HttpResponse::WithBody(
            503, "application/json",
            ToBytes(std::string(
                R"({"error":{"code":"too_many_waits","message":"poll on your interval"}})")));
        r.headers.emplace_back("Retry-After", "5");
        respond(std::move(r));
        return;
      }
    }
  });
  return true;
}

}  // namespace teepnet::moc
