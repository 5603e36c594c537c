// HttpClient on Boost.Beast: blocking for the caller, one kept-alive connection, deadlines on
// connect and on each exchange. Beast's deadlines apply only to asynchronous operations, so each
// step is started asynchronously and the private io_context is run until it completes. A request that fails on a reused connection (the server may have closed it
// while idle) is retried once on a fresh one; a failure on a fresh connection is reported.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <optional>

#include "services/net/http.h"

namespace teepnet::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

class BeastClient final : public HttpClient {
 public:
  BeastClient(ParsedUrl url, HttpClientOptions options) : url_(std::move(url)), options_(options) {}

  Result<HttpResponse> Send(std::string_view method, std::string_view target,
                            const HeaderList& headers, ByteView body) override {
    bool reused = stream_.has_value();
    auto result = SendOnce(method, target, headers, body);
    if (!result.ok() && reused && result.error().code() == Code::kUnavailable) {
      stream_.reset();
      result = SendOnce(method, target, headers, body);
    }
    if (!result.ok()) stream_.reset();
    return result;
  }

 private:
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
    stream_.emplace(io_);
    stream_->expires_after(std::chrono::milliseconds(options_.connect_timeout_ms));
    stream_->async_connect(endpoints, [&ec](beast::error_code e, const tcp::endpoint&) { ec = e; });
    RunUntilDone();
    if (ec) {
      stream_.reset();
      return Error(Code::kUnavailable, "connect " + url_.host + ":" + std::to_string(url_.port) +
                                           ": " + ec.message());
    }
    stream_->socket().set_option(tcp::no_delay(true), ec);
    return OkStatus();
  }

  Result<HttpResponse> SendOnce(std::string_view method, std::string_view target,
                                const HeaderList& headers, ByteView body) {
    if (!stream_) TEEPNET_RETURN_IF_ERROR(Connect());
    bhttp::request<bhttp::vector_body<uint8_t>> req;
    req.method_string(beast::string_view(method.data(), method.size()));
    std::string full_target = url_.path + std::string(target);
    req.target(full_target);
    req.version(11);
    req.set(bhttp::field::host, url_.host + ":" + std::to_string(url_.port));
    req.set(bhttp::field::user_agent, "teepnet");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body().assign(body.begin(), body.end());
    req.keep_alive(true);
    req.prepare_payload();

    beast::error_code ec;
    stream_->expires_after(std::chrono::milliseconds(options_.request_timeout_ms));
    bhttp::async_write(*stream_, req, [&ec](beast::error_code e, size_t) { ec = e; });
    RunUntilDone();
    if (ec == beast::error::timeout) return Error(Code::kDeadlineExceeded, "request timed out");
    if (ec) return Error(Code::kUnavailable, "send: " + ec.message());

    bhttp::response_parser<bhttp::vector_body<uint8_t>> parser;
    parser.body_limit(options_.max_body_bytes);
    bhttp::async_read(*stream_, buffer_, parser, [&ec](beast::error_code e, size_t) { ec = e; });
    RunUntilDone();
    if (ec == bhttp::error::end_of_stream || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      return Error(Code::kUnavailable, "connection closed: " + ec.message());
    }
    if (ec == beast::error::timeout) return Error(Code::kDeadlineExceeded, "response timed out");
    if (ec) return Error(Code::kDataLoss, "malformed HTTP response: " + ec.message());

    auto res = parser.release();
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(res.body());
    if (!res.keep_alive()) stream_.reset();
    return out;
  }

  ParsedUrl url_;
  HttpClientOptions options_;
  asio::io_context io_;
  std::optional<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::Create(std::string_view base_url,
                                                      HttpClientOptions options) {
  TEEPNET_ASSIGN_OR_RETURN(ParsedUrl url, ParseHttpUrl(base_url));
  return std::unique_ptr<HttpClient>(std::make_unique<BeastClient>(std::move(url), options));
}

}  // namespace teepnet::net
