#include "services/device/tam_transport.h"

namespace teepnet::device {

Result<net::HttpResponse> TamTransport::Post(const broker::HttpPost& post) {
  // A Broker posts every message of a session (and usually every session) to the same TAM
  // URI: its parsed form and client are kept for the next POST.
  if (last_client_ == nullptr || post.uri != last_uri_) {
    last_client_ = nullptr;
    TEEPNET_ASSIGN_OR_RETURN(net::ParsedUrl url, net::ParseHttpUrl(post.uri));
    const std::string origin = url.Origin();  // "https://h:p" and "http://h:p" stay apart
    auto& client = clients_[origin];
    if (!client) {
      TEEPNET_ASSIGN_OR_RETURN(client, net::HttpClient::Create(origin, options_));
    }
    last_uri_ = post.uri;
    last_target_ = url.path.empty() ? "/" : url.path;
    last_client_ = client.get();
  }
  net::HeaderList headers;
  headers.reserve(2);
  headers.emplace_back("Accept", post.accept());
  if (!post.content_type().empty()) headers.emplace_back("Content-Type", post.content_type());
  return last_client_->Send("POST", last_target_, headers, post.body);
}

}  // namespace teepnet::device
