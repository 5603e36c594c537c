#include "services/cli/moc_client.h"

#include <thread>

namespace teepnet::cli {

nlohmann::json MocReply::Json() const {
  return nlohmann::json::parse(AsChars(body), nullptr, /*allow_exceptions=*/false);
}

std::string MocReply::ErrorText() const {
  const nlohmann::json j = Json();
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    const nlohmann::json& e = j["error"];
    return e.value("code", std::string("error")) + ": " + e.value("message", std::string());
  }
  return "HTTP " + std::to_string(status) + ": " + std::string(AsChars(body)).substr(0, 200);
}

Result<MocClient> MocClient::Create(const std::string& url, const std::string& ca_file,
                                    std::string token) {
  net::HttpClientOptions options;
  options.tls_ca_file = ca_file;
  TEEPNET_ASSIGN_OR_RETURN(std::unique_ptr<net::HttpClient> http,
                           net::HttpClient::Create(url, options));
  return MocClient(std::move(http), std::move(token));
}

Result<MocReply> MocClient::Call(std::string_view method, const std::string& target,
                                 std::string_view content_type, ByteView body, Retry retry,
                                 Deadline deadline, int retry_ms, net::HeaderList headers) {
  headers.emplace_back("Authorization", "Bearer " + token_);
  if (!content_type.empty()) headers.emplace_back("Content-Type", std::string(content_type));
  for (;;) {
    auto reply = http_->Send(method, target, headers, body);
    // A refused connection (kUnavailable) or one cut mid-answer (kDataLoss) is what an M/OC
    // that is restarting looks like; 503 is its "nothing committed, retry".
    const bool transient = reply.ok() ? reply->status == 503 && retry != Retry::kTransportOnly
                                      : (reply.error().code() == Code::kUnavailable ||
                                         reply.error().code() == Code::kDataLoss);
    if (!transient || retry == Retry::kNo ||
        std::chrono::steady_clock::now() + std::chrono::milliseconds(retry_ms) > deadline) {
      if (!reply.ok()) return reply.error();
      return MocReply{reply->status, std::string(reply->Header("content-type")),
                      std::move(reply->body)};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(retry_ms));
  }
}

}  // namespace teepnet::cli
