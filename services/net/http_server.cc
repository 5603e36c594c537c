// HttpServer on Boost.Beast: one acceptor, one session object per connection, a fixed pool of
// threads running the io_context. Limits: header and body sizes (Beast's parser enforces them
// before buffering more), a read deadline per request and an idle deadline between requests.
// With a certificate the same sessions run over TlsStream; the TLS handshake counts against
// the first request's read deadline.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "services/net/http.h"
#include "services/net/tls_stream.h"

namespace teepnet::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

using BeastRequest = bhttp::request<bhttp::vector_body<uint8_t>>;
using BeastResponse = bhttp::response<bhttp::vector_body<uint8_t>>;

HttpRequest ToRequest(const BeastRequest& in, const std::string& peer) {
  HttpRequest out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = in.body();
  out.peer = peer;
  return out;
}

beast::tcp_stream& Tcp(beast::tcp_stream& stream) {
  return stream;
}
beast::tcp_stream& Tcp(TlsStream& stream) {
  return stream.next_layer();
}

// Stream is beast::tcp_stream (HTTP) or TlsStream (HTTPS).
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  template <class... StreamArgs>
  Session(const HttpServerOptions& options, const HttpHandler& handler,
          const HttpDeferredHandler& deferred, StreamArgs&&... args)
      : stream_(std::forward<StreamArgs>(args)...),
        options_(options),
        handler_(handler),
        deferred_(deferred) {
    beast::error_code ec;
    auto ep = Tcp(stream_).socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void Run() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Handshake();
      } else {
        self->Read();
      }
    });
  }

 private:
  void Handshake() {
    Tcp(stream_).expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    stream_.async_handshake([self = this->shared_from_this()](beast::error_code ec, size_t) {
      // A client that does not complete the handshake (or fails to verify us and says so
      // with an alert) gets nothing more.
      if (ec) {
        self->CloseSocket();
        return;
      }
      self->Read();
    });
  }

  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(options_.max_header_bytes));
    parser_->body_limit(options_.max_body_bytes);
    // The first request on a connection and every later one must arrive within the deadline;
    // between requests the idle deadline applies (it is the longer of the two in practice).
    Tcp(stream_).expires_after(std::chrono::seconds(first_ ? options_.read_timeout_seconds
                                                           : options_.idle_timeout_seconds));
    first_ = false;
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        IsTlsFailure(ec)) {
      Close();
      return;
    }
    if (ec) {
      // Malformed or oversized request: answer once, then close the connection.
      int status = (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) ? 413 : 400;
      Respond(HttpResponse::WithBody(status, "text/plain", ToBytes(ec.message() + "\n")),
              /*keep_alive=*/false, /*version=*/11);
      return;
    }
    BeastRequest request = parser_->release();
    HttpResponse response;
    try {
      HttpRequest in = ToRequest(request, peer_);
      if (deferred_ && deferred_(in, Responder(request.keep_alive(), request.version()))) return;
      response = handler_(in);
    } catch (const std::exception&) {
      // Handlers return errors as values; this only guards against allocation failure.
      response = HttpResponse::Status(500);
    }
    Respond(std::move(response), request.keep_alive(), request.version());
  }

  // Answers on the session's strand, whichever thread calls it; a second call is ignored.
  HttpResponder Responder(bool keep_alive, unsigned version) {
    auto once = std::make_shared<std::atomic<bool>>(false);
    return [self = this->shared_from_this(), once, keep_alive, version](HttpResponse response) {
      if (once->exchange(true)) return;
      asio::post(self->stream_.get_executor(),
                 [self, keep_alive, version, r = std::move(response)]() mutable {
                   self->Respond(std::move(r), keep_alive, version);
                 });
    };
  }

  void Respond(HttpResponse response, bool keep_alive, unsigned version) {
    auto out = std::make_shared<BeastResponse>();
    out->version(version);
    out->result(static_cast<unsigned>(response.status));
    out->set(bhttp::field::server, "teepnet");
    for (auto& [name, value] : response.headers) out->set(name, value);
    out->body() = std::move(response.body);
    out->keep_alive(keep_alive);
    out->prepare_payload();
    Tcp(stream_).expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    bhttp::async_write(
        stream_, *out,
        [self = this->shared_from_this(), out, keep_alive](beast::error_code ec, size_t) {
          if (ec || !keep_alive) {
            self->Close();
            return;
          }
          self->Read();
        });
  }

  void Close() {
    if constexpr (kTls) {
      // RFC 8446 §6.1: close_notify before closing the write side.
      Tcp(stream_).expires_after(std::chrono::seconds(options_.read_timeout_seconds));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code, size_t) { self->CloseSocket(); });
    } else {
      CloseSocket();
    }
  }

  void CloseSocket() {
    beast::error_code ignored;
    Tcp(stream_).socket().shutdown(tcp::socket::shutdown_send, ignored);
    Tcp(stream_).socket().close(ignored);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::vector_body<uint8_t>>> parser_;
  const HttpServerOptions& options_;
  const HttpHandler& handler_;
  const HttpDeferredHandler& deferred_;
  std::string peer_;
  bool first_ = true;
};

class BeastServer final : public HttpServer {
 public:
  BeastServer(const HttpServerOptions& options, HttpHandler handler, HttpDeferredHandler deferred,
              std::shared_ptr<const crypto::TlsContext> tls)
      : options_(options),
        handler_(std::move(handler)),
        deferred_(std::move(deferred)),
        tls_(std::move(tls)),
        acceptor_(io_) {}

  ~BeastServer() override { Stop(); }

  Status Listen(const std::string& host, uint16_t port) {
    beast::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) return Error(Code::kInvalidArgument, "listen address " + host + ": " + ec.message());
    tcp::endpoint endpoint(address, port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error(Code::kUnavailable,
                   "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    }
    host_ = host;
    port_ = acceptor_.local_endpoint().port();
    Accept();
    int threads = options_.threads < 1 ? 1 : options_.threads;
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { io_.run(); });
    return OkStatus();
  }

  uint16_t port() const override { return port_; }
  std::string host() const override { return host_; }

  void Stop() override {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    // Close the listening socket on the io threads (the acceptor is not thread-safe), then
    // stop the loop; once the threads are joined nothing else touches it.
    asio::post(acceptor_.get_executor(), [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      io_.stop();
    });
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    beast::error_code ignored;
    if (acceptor_.is_open()) acceptor_.close(ignored);
  }

 private:
  void Accept() {
    acceptor_.async_accept(
        asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted) return;
          if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            if (!tls_) {
              std::make_shared<Session<beast::tcp_stream>>(options_, handler_, deferred_,
                                                           std::move(socket))
                  ->Run();
            } else if (auto session = crypto::TlsSession::Server(tls_); session.ok()) {
              std::make_shared<Session<TlsStream>>(options_, handler_, deferred_,
                                                   beast::tcp_stream(std::move(socket)),
                                                   std::move(*session))
                  ->Run();
            }
          }
          Accept();
        });
  }

  HttpServerOptions options_;
  HttpHandler handler_;
  HttpDeferredHandler deferred_;                   // may be empty
  std::shared_ptr<const crypto::TlsContext> tls_;  // null: plain HTTP
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::string host_;
  uint16_t port_ = 0;
  std::mutex stop_mu_;
  bool stopped_ = false;
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpHandler handler) {
  return Start(options, std::move(handler), HttpDeferredHandler());
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpHandler handler,
                                                      HttpDeferredHandler deferred) {
  auto colon = options.listen.rfind(':');
  if (colon == std::string::npos) {
    return Error(Code::kInvalidArgument, "listen address must be host:port: " + options.listen);
  }
  std::string host = options.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  std::string port_text = options.listen.substr(colon + 1);
  char* end = nullptr;
  unsigned long port = std::strtoul(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port > 65535) {
    return Error(Code::kInvalidArgument, "bad port in listen address: " + options.listen);
  }
  std::shared_ptr<const crypto::TlsContext> tls;
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    TEEPNET_ASSIGN_OR_RETURN(tls, LoadServerTls(options.tls_cert_file, options.tls_key_file));
  }
  auto server = std::make_unique<BeastServer>(options, std::move(handler), std::move(deferred),
                                              std::move(tls));
  TEEPNET_RETURN_IF_ERROR(server->Listen(host, static_cast<uint16_t>(port)));
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace teepnet::net
