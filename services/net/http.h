// HTTP/1.1 for teepnet's services: a small asynchronous server (a few threads, each running
// its own io_context with the connections it was given; thousands of idle keep-alive
// connections cost a socket and a buffer each) and a blocking keep-alive client. Both sit on
// Boost.Beast, whose parser is bounded here by explicit header and body limits; nothing of Beast or
// Asio leaks through this header.
//
// Handlers get a fully read request and return a response; they run on the server's threads
// and must not block for long: while one blocks, the other connections of its thread wait.
//
// Both sides optionally speak TLS (HTTPS, RFC 9110 §4.2.2) through crypto::TlsSession: the
// server when given a certificate and key, the client for "https://" URLs, where it always
// verifies the server against a caller-given CA or pinned certificate and the URL's host.
#ifndef TEEPNET_SERVICES_NET_HTTP_H_
#define TEEPNET_SERVICES_NET_HTTP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::net {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as sent ("/tam", "/api/v1/requests?x=1")
  HeaderList headers;  // names lower-cased
  Bytes body;
  std::string peer;  // "127.0.0.1:53412"

  // The first header with this (case-insensitive) name, or "" when absent.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The path part of target (before '?').
  std::string_view Path() const;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;  // Content-Type goes here too; Content-Length is set for you
  Bytes body;

  std::string_view Header(std::string_view name) const;
  static HttpResponse Status(int status) {
    HttpResponse r;
    r.status = status;
    return r;
  }
  static HttpResponse WithBody(int status, std::string content_type, Bytes body);
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;
// A response given later (a long poll). Call it at most once, from any thread, and only
// before the server stops; a responder dropped without a call closes the connection.
using HttpResponder = std::function<void(HttpResponse)>;
// Asked first for every request: returns false to leave the request to the HttpHandler, true
// when it keeps `respond` and will answer through it (without blocking the server's threads).
using HttpDeferredHandler = std::function<bool(const HttpRequest&, const HttpResponder& respond)>;

struct HttpServerOptions {
  std::string listen = "127.0.0.1:0";  // host:port; port 0 picks a free port
  int threads = 2;  // each serves its share of the connections (the fewest go to the next)
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 4 * 1024 * 1024;
  int idle_timeout_seconds = 60;  // a keep-alive connection idle this long is closed
  int read_timeout_seconds = 30;  // a request must arrive completely within this
  // HTTPS: PEM certificate chain (leaf first) and PEM private key. Both or neither; with
  // neither the server speaks plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
};

class HttpServer {
 public:
  // Binds, listens and starts serving on background threads.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   HttpHandler handler);
  // The same, with requests a deferred handler may take first (long polls). Whoever holds
  // responders must give them up (answer or drop them) before Stop().
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   HttpHandler handler,
                                                   HttpDeferredHandler deferred);
  virtual ~HttpServer() = default;
  virtual uint16_t port() const = 0;
  virtual std::string host() const = 0;
  // Stops accepting, closes connections and joins the threads. Idempotent.
  virtual void Stop() = 0;
};

struct HttpClientOptions {
  int connect_timeout_ms = 3000;
  int request_timeout_ms = 30000;
  size_t max_body_bytes = 16 * 1024 * 1024;
  // For https:// URLs (required there): PEM trust anchors for the server certificate, either
  // the CA that issued it or the server's own certificate (a pin). The certificate must also
  // name the URL's host (DNS name or IP address).
  std::string tls_ca_file;
};

// A blocking client for one origin ("http://127.0.0.1:8080", "https://tam.example"), reusing its
// connection across requests and reconnecting transparently when the server closed it. Not
// thread-safe: use one per thread.
class HttpClient {
 public:
  static Result<std::unique_ptr<HttpClient>> Create(std::string_view base_url,
                                                    HttpClientOptions options = {});
  virtual ~HttpClient() = default;
  // Sends a request; a network failure is Code::kUnavailable, a malformed answer
  // Code::kDataLoss, a server that fails TLS verification Code::kUnauthenticated (with the
  // crypto::Errc reason). Any HTTP status is a successful exchange.
  virtual Result<HttpResponse> Send(std::string_view method, std::string_view target,
                                    const HeaderList& headers, ByteView body) = 0;
  Result<HttpResponse> Get(std::string_view target) { return Send("GET", target, {}, {}); }
  Result<HttpResponse> Post(std::string_view target, std::string_view content_type, ByteView body);
};

// Splits "http://host:port/base" (or "https://...") into host, port and path prefix.
struct ParsedUrl {
  std::string host;
  uint16_t port = 80;  // 443 by default for https
  std::string path;    // "" or "/base"
  bool tls = false;    // https://
  // "http://host:port" or "https://host:port".
  std::string Origin() const;
};
Result<ParsedUrl> ParseHttpUrl(std::string_view url);

}  // namespace teepnet::net

#endif  // TEEPNET_SERVICES_NET_HTTP_H_
