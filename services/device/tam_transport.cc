#include "services/device/tam_transport.h"

namespace teepnet::device {

Result<net::HttpResponse> TamTransport::Post(const broker::HttpPost& post) {
  TEEPNET_ASSIGN_OR_RETURN(net::ParsedUrl url, net::ParseHttpUrl(post.uri));
  const std::string origin = url.Origin();  // "https://h:p" and "http://h:p" stay apart
  auto& client = clients_[origin];
  if (!client) {
    TEEPNET_ASSIGN_OR_RETURN(client, net::HttpClient::Create(origin, options_));
  }
  net::HeaderList headers = {{"Accept", std::string(post.accept())}};
  if (!post.content_type().empty()) {
    headers.emplace_back("Content-Type", std::string(post.content_type()));
  }
  return client->Send("POST", url.path.empty() ? "/" : url.path, headers, post.body);
}

}  // namespace teepnet::device
