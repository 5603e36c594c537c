#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "services/net/http.h"

namespace teepnet::net {

namespace {
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Find(const HeaderList& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (EqualsIgnoreCase(n, name)) return v;
  }
  return {};
}
}  // namespace

std::string_view HttpRequest::Header(std::string_view name) const {
  return Find(headers, name);
}

bool HttpRequest::HasHeader(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

std::string_view HttpRequest::Path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view HttpResponse::Header(std::string_view name) const {
  return Find(headers, name);
}

HttpResponse HttpResponse::WithBody(int status, std::string content_type, Bytes body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

Result<HttpResponse> HttpClient::Post(std::string_view target, std::string_view content_type,
                                      ByteView body) {
  HeaderList headers;
  if (!content_type.empty()) headers.emplace_back("Content-Type", std::string(content_type));
  return Send("POST", target, headers, body);
}

std::string ParsedUrl::Origin() const {
  return (tls ? "https://" : "http://") + host + ":" + std::to_string(port);
}

Result<ParsedUrl> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  constexpr std::string_view kHttps = "https://";
  ParsedUrl out;
  std::string_view rest;
  if (url.substr(0, kHttp.size()) == kHttp) {
    rest = url.substr(kHttp.size());
  } else if (url.substr(0, kHttps.size()) == kHttps) {
    rest = url.substr(kHttps.size());
    out.tls = true;
    out.port = 443;
  } else {
    return Error(Code::kInvalidArgument,
                 "only http:// and https:// URLs are supported: " + std::string(url));
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  out.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    std::string port(authority.substr(colon + 1));
    char* end = nullptr;
    unsigned long p = std::strtoul(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || p == 0 || p > 65535) {
      return Error(Code::kInvalidArgument, "bad port in URL: " + std::string(url));
    }
    out.port = static_cast<uint16_t>(p);
    authority = authority.substr(0, colon);
  }
  if (authority.empty())
    return Error(Code::kInvalidArgument, "no host in URL: " + std::string(url));
  out.host = std::string(authority);
  return out;
}

}  // namespace teepnet::net
