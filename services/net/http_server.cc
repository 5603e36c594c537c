// HttpServer on Boost.Beast: one acceptor, one session object per connection, and a fixed set
// of workers, each an io_context run by its own thread. A connection belongs to one worker for
// its whole life, so its reads, handler call and writes all run on that thread: no strand, no
// hand-off between threads per request, and the plain-HTTP stream carries the io_context's own
// executor instead of the type-erased one. The cost: a handler that blocks (the TAM endpoint
// waits for its step to be durable) holds up the other connections of its worker, which is why
// each new connection goes to the worker with the fewest. Limits: header and body sizes
// (Beast's parser enforces them before buffering more), a read deadline per request and an
// idle deadline between requests. With a certificate the same sessions run over TlsStream; the
// TLS handshake counts against the first request's read deadline.
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
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
using WorkerExecutor = asio::io_context::executor_type;
// Plain HTTP: the worker's executor as is (beast::tcp_stream would wrap it in any_io_executor).
using PlainStream = beast::basic_stream<tcp, WorkerExecutor>;
using WorkerSocket = asio::basic_stream_socket<tcp, WorkerExecutor>;

// The request is consumed: its body moves into the result instead of being copied.
HttpRequest ToRequest(BeastRequest& in, const std::string& peer) {
  HttpRequest out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  out.body = std::move(in.body());
  out.peer = peer;
  return out;
}

PlainStream& Tcp(PlainStream& stream) {
  return stream;
}
beast::tcp_stream& Tcp(TlsStream& stream) {
  return stream.next_layer();
}

// One io_context and the thread that runs it; `connections` picks the least busy for the next.
// Declared before `io`: sessions still queued in the loop count down when it is destroyed.
struct Worker {
  std::atomic<int> connections{0};
  asio::io_context io{1};  // concurrency hint: run by one thread (other threads may post)
  asio::executor_work_guard<WorkerExecutor> work = asio::make_work_guard(io);
  std::thread thread;
};

// Stream is PlainStream (HTTP) or TlsStream (HTTPS). Every member runs on the worker's thread,
// except the responder's call, which posts there.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  template <class... StreamArgs>
  Session(const HttpServerOptions& options, const HttpHandler& handler,
          const HttpDeferredHandler& deferred, Worker& worker, StreamArgs&&... args)
      : stream_(std::forward<StreamArgs>(args)...),
        options_(options),
        handler_(handler),
        deferred_(deferred),
        worker_(worker) {
    ++worker_.connections;
    beast::error_code ec;
    auto ep = Tcp(stream_).socket().remote_endpoint(ec);
    if (!ec) peer_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  ~Session() { --worker_.connections; }

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
    const bool keep_alive = request.keep_alive();
    const unsigned version = request.version();
    HttpResponse response;
    try {
      HttpRequest in = ToRequest(request, peer_);
      if (deferred_ && deferred_(in, Responder(keep_alive, version))) return;
      response = handler_(in);
    } catch (const std::exception&) {
      // Handlers return errors as values; this only guards against allocation failure.
      response = HttpResponse::Status(500);
    }
    Respond(std::move(response), keep_alive, version);
  }

  // Answers on the session's worker, whichever thread calls it; a second call is ignored.
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

  // One response at a time per connection (the next request is read only after it is
  // written), so it lives in the session rather than in its own shared allocation.
  void Respond(HttpResponse response, bool keep_alive, unsigned version) {
    BeastResponse& out = response_.emplace();
    out.version(version);
    out.result(static_cast<unsigned>(response.status));
    out.set(bhttp::field::server, "teepnet");
    for (auto& [name, value] : response.headers) out.set(name, value);
    out.body() = std::move(response.body);
    out.keep_alive(keep_alive);
    out.prepare_payload();
    Tcp(stream_).expires_after(std::chrono::seconds(options_.read_timeout_seconds));
    bhttp::async_write(stream_, out,
                       [self = this->shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                         self->response_.reset();
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
  std::optional<BeastResponse> response_;  // being written
  const HttpServerOptions& options_;
  const HttpHandler& handler_;
  const HttpDeferredHandler& deferred_;
  Worker& worker_;
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
        acceptor_(accept_io_) {}

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
    const int threads = options_.threads < 1 ? 1 : options_.threads;
    for (int i = 0; i < threads; ++i) workers_.push_back(std::make_unique<Worker>());
    for (auto& w : workers_) w->thread = std::thread([&io = w->io] { io.run(); });
    // Accepting has its own thread, so a worker busy in a handler never delays a new
    // connection.
    Accept();
    accept_thread_ = std::thread([this] { accept_io_.run(); });
    return OkStatus();
  }

  uint16_t port() const override { return port_; }
  std::string host() const override { return host_; }

  void Stop() override {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    // Close the listening socket on its own thread (the acceptor is not thread-safe), then
    // stop every loop; once the threads are joined nothing else touches them.
    asio::post(accept_io_, [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      accept_io_.stop();
    });
    if (accept_thread_.joinable()) accept_thread_.join();
    for (auto& w : workers_) w->io.stop();
    for (auto& w : workers_) {
      if (w->thread.joinable()) w->thread.join();
    }
    beast::error_code ignored;
    if (acceptor_.is_open()) acceptor_.close(ignored);
  }

 private:
  Worker& LeastBusyWorker() {
    Worker* best = workers_.front().get();
    for (auto& w : workers_) {
      if (w->connections.load(std::memory_order_relaxed) <
          best->connections.load(std::memory_order_relaxed)) {
        best = w.get();
      }
    }
    return *best;
  }

  void Accept() {
    Worker& worker = LeastBusyWorker();
    acceptor_.async_accept(
        worker.io.get_executor(), [this, &worker](beast::error_code ec, WorkerSocket socket) {
          if (ec == asio::error::operation_aborted) return;
          if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            if (!tls_) {
              std::make_shared<Session<PlainStream>>(options_, handler_, deferred_, worker,
                                                     std::move(socket))
                  ->Run();
            } else if (auto session = crypto::TlsSession::Server(tls_); session.ok()) {
              tcp::socket plain(std::move(socket));
              std::make_shared<Session<TlsStream>>(options_, handler_, deferred_, worker,
                                                   beast::tcp_stream(std::move(plain)),
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
  // Destroyed before the handlers above: sessions still queued in a loop refer to them.
  std::vector<std::unique_ptr<Worker>> workers_;
  asio::io_context accept_io_{1};
  tcp::acceptor acceptor_;
  std::thread accept_thread_;
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
