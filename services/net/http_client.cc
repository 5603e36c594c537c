// HttpClient on Boost.Beast: blocking for the caller, one kept-alive connection, deadlines on
// connect and on each exchange. Beast's deadlines apply only to asynchronous operations, so each
// step is started asynchronously and the private io_context is run until it completes. A
// request that fails on a reused connection (the server may have closed it while idle) is
// retried once on a fresh one; a failure on a fresh connection is reported. For https:// the
// connection runs over TlsStream, verified against HttpClientOptions::tls_ca_file.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

#include "services/net/http.h"
#include "services/net/tls_stream.h"

namespace teepnet::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

beast::tcp_stream& Tcp(beast::tcp_stream& stream) {
  return stream;
}
beast::tcp_stream& Tcp(TlsStream& stream) {
  return stream.next_layer();
}

class BeastClient final : public HttpClient {
  using Request = bhttp::request<bhttp::span_body<const uint8_t>>;

 public:
  BeastClient(ParsedUrl url, HttpClientOptions options,
              std::shared_ptr<const crypto::TlsContext> tls)
      : url_(std::move(url)),
        options_(options),
        tls_(std::move(tls)),
        host_header_(url_.host + ":" + std::to_string(url_.port)) {}

  Result<HttpResponse> Send(std::string_view method, std::string_view target,
                            const HeaderList& headers, ByteView body) override {
    bool reused = connected();
    auto result = SendOnce(method, target, headers, body);
    if (!result.ok() && reused && result.error().code() == Code::kUnavailable) {
      Disconnect();
      result = SendOnce(method, target, headers, body);
    }
    if (!result.ok()) Disconnect();
    return result;
  }

 private:
  bool connected() const { return plain_.has_value() || secure_.has_value(); }
  void Disconnect() {
    plain_.reset();
    secure_.reset();
  }

  // Runs the private io_context until the operation started just before completes.
  void RunUntilDone() {
    io_.restart();
    io_.run();
  }

  Status Connect() {
    beast::error_code ec;
    tcp::resolver resolver(io_);
    auto endpoints = resolver.resolve(url_.host, std::to_string(url_.port), ec);
    if (ec) return Error(Code::kUnavailable, "resolve " + url_.host + ": " + ec.message());
    buffer_.consume(buffer_.size());
    beast::tcp_stream stream(io_);
    stream.expires_after(std::chrono::milliseconds(options_.connect_timeout_ms));
    stream.async_connect(endpoints, [&ec](beast::error_code e, const tcp::endpoint&) { ec = e; });
    RunUntilDone();
    if (ec) {
      return Error(Code::kUnavailable,
                   "connect " + url_.host + ":" + std::to_string(url_.port) + ": " + ec.message());
    }
    stream.socket().set_option(tcp::no_delay(true), ec);
    if (!tls_) {
      plain_.emplace(std::move(stream));
      return OkStatus();
    }
    // The handshake shares the connect deadline. The server must prove it is the URL's host.
    TEEPNET_ASSIGN_OR_RETURN(auto session, crypto::TlsSession::Client(tls_, url_.host));
    secure_.emplace(std::move(stream), std::move(session));
    secure_->async_handshake([&ec](beast::error_code e, size_t) { ec = e; });
    RunUntilDone();
    if (ec) {
      Error error = IsTlsFailure(ec) ? secure_->error()
                                     : Error(Code::kUnavailable, "TLS handshake: " + ec.message());
      secure_.reset();
      return error.WithContext("https://" + url_.host + ":" + std::to_string(url_.port));
    }
    return OkStatus();
  }

  Result<HttpResponse> SendOnce(std::string_view method, std::string_view target,
                                const HeaderList& headers, ByteView body) {
    if (!connected()) TEEPNET_RETURN_IF_ERROR(Connect());
    // The body is sent from the caller's bytes (span_body), not from a copy.
    Request req;
    req.method_string(beast::string_view(method.data(), method.size()));
    if (url_.path.empty()) {
      req.target(beast::string_view(target.data(), target.size()));
    } else {
      req.target(url_.path + std::string(target));
    }
    req.version(11);
    req.set(bhttp::field::host, host_header_);
    req.set(bhttp::field::user_agent, "teepnet");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = Request::body_type::value_type(body.data(), body.size());
    req.keep_alive(true);
    req.prepare_payload();
    if (secure_) return Exchange(*secure_, req);
    return Exchange(*plain_, req);
  }

  template <class Stream>
  Result<HttpResponse> Exchange(Stream& stream, Request& req) {
    beast::error_code ec;
    Tcp(stream).expires_after(std::chrono::milliseconds(options_.request_timeout_ms));
    bhttp::async_write(stream, req, [&ec](beast::error_code e, size_t) { ec = e; });
    RunUntilDone();
    if (ec == beast::error::timeout) return Error(Code::kDeadlineExceeded, "request timed out");
    if (IsTlsFailure(ec)) return secure_->error();
    if (ec) return Error(Code::kUnavailable, "send: " + ec.message());

    bhttp::response_parser<bhttp::vector_body<uint8_t>> parser;
    parser.body_limit(options_.max_body_bytes);
    bhttp::async_read(stream, buffer_, parser, [&ec](beast::error_code e, size_t) { ec = e; });
    RunUntilDone();
    if (ec == bhttp::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      return Error(Code::kUnavailable, "connection closed: " + ec.message());
    }
    if (ec == beast::error::timeout) return Error(Code::kDeadlineExceeded, "response timed out");
    if (IsTlsFailure(ec)) return secure_->error();
    if (ec) return Error(Code::kDataLoss, "malformed HTTP response: " + ec.message());

    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(res.body());
    if (!res.keep_alive()) Disconnect();
    return out;
  }

  ParsedUrl url_;
  HttpClientOptions options_;
  std::shared_ptr<const crypto::TlsContext> tls_;  // null: plain HTTP
  const std::string host_header_;                  // "host:port", the same on every request
  asio::io_context io_{1};                         // run only by the caller's thread
  std::optional<beast::tcp_stream> plain_;
  std::optional<TlsStream> secure_;
  beast::flat_buffer buffer_;
};

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::Create(std::string_view base_url,
                                                       HttpClientOptions options) {
  TEEPNET_ASSIGN_OR_RETURN(ParsedUrl url, ParseHttpUrl(base_url));
  std::shared_ptr<const crypto::TlsContext> tls;
  if (url.tls) {
    TEEPNET_ASSIGN_OR_RETURN(tls, LoadClientTls(options.tls_ca_file));
  }
  return std::unique_ptr<HttpClient>(
      std::make_unique<BeastClient>(std::move(url), options, std::move(tls)));
}

}  // namespace teepnet::net
