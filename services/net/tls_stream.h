// Internal to services/net: TLS over a Beast TCP stream, driven by crypto::TlsSession (the
// I/O-free engine in crypto/, so no OpenSSL header is needed here). TlsStream is an
// AsyncReadStream and AsyncWriteStream, so Beast's HTTP reads and writes run on it unchanged,
// and the TCP stream's deadline (expires_after) bounds every socket operation underneath.
//
// Each operation runs the engine until it has what it needs: it sends whatever ciphertext the
// engine produced (handshake flights, records, alerts), then reads more from the socket only
// when the engine asks for input. One read and one write may not be outstanding at the same
// time (HTTP/1.1 here never needs that: a request is read, then its response is written).
#ifndef TEEPNET_SERVICES_NET_TLS_STREAM_H_
#define TEEPNET_SERVICES_NET_TLS_STREAM_H_

#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/error.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/tls_engine.h"

namespace teepnet::net {

// Completion code of a TLS stream operation the engine refused; TlsStream::error() says why.
const boost::system::error_category& TlsCategory();
inline boost::system::error_code TlsFailed() {
  return {1, TlsCategory()};
}
inline bool IsTlsFailure(const boost::system::error_code& ec) {
  return ec.category() == TlsCategory();
}

// TLS configurations from PEM files: a server's certificate chain and private key, a client's
// trust anchors (a CA certificate or the server's own certificate).
Result<std::shared_ptr<const crypto::TlsContext>> LoadServerTls(const std::string& cert_file,
                                                                const std::string& key_file);
Result<std::shared_ptr<const crypto::TlsContext>> LoadClientTls(const std::string& ca_file);

class TlsStream {
 public:
  using executor_type = boost::beast::tcp_stream::executor_type;

  TlsStream(boost::beast::tcp_stream&& next, std::unique_ptr<crypto::TlsSession> session)
      : next_(std::move(next)), session_(std::move(session)), in_(kReadChunk) {}
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  executor_type get_executor() noexcept { return next_.get_executor(); }
  boost::beast::tcp_stream& next_layer() { return next_; }
  // Why the last operation completed with TlsFailed().
  Error error() const { return error_ ? *error_ : Error(crypto::Errc::kTlsProtocol, "TLS"); }

  // Handlers take (error_code, size_t) for all four operations.
  template <class Handler>
  auto async_handshake(Handler&& handler) {
    return Run(HandshakeStep{}, std::forward<Handler>(handler));
  }
  // Queues close_notify and sends it.
  template <class Handler>
  auto async_shutdown(Handler&& handler) {
    return Run(ShutdownStep{}, std::forward<Handler>(handler));
  }
  template <class MutableBuffers, class Handler>
  auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    ReadStep step;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::mutable_buffer b(*it);
      if (b.size() > 0) {
        step.out = std::span<uint8_t>(static_cast<uint8_t*>(b.data()), b.size());
        break;
      }
    }
    return Run(step, std::forward<Handler>(handler));
  }
  template <class ConstBuffers, class Handler>
  auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    // Gathers up to kWriteChunk bytes into one engine write (the header and body buffers of
    // an HTTP message become one flight of records).
    WriteStep step;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers) && step.plain.size() < kWriteChunk; ++it) {
      boost::asio::const_buffer b(*it);
      size_t take = std::min(b.size(), kWriteChunk - step.plain.size());
      const uint8_t* p = static_cast<const uint8_t*>(b.data());
      step.plain.insert(step.plain.end(), p, p + take);
    }
    return Run(std::move(step), std::forward<Handler>(handler));
  }

 private:
  static constexpr size_t kReadChunk = 17 * 1024;  // a full TLS record and its header
  static constexpr size_t kWriteChunk = 64 * 1024;

  struct StepResult {
    bool done = false;
    boost::system::error_code ec;
    size_t n = 0;
  };
  StepResult Failed(const Error& e) {
    error_ = e;
    return {true, TlsFailed(), 0};
  }

  struct HandshakeStep {
    StepResult operator()(TlsStream& s) {
      auto r = s.session_->Handshake();
      if (!r.ok()) return s.Failed(r.error());
      return {*r, {}, 0};
    }
  };
  struct ShutdownStep {
    StepResult operator()(TlsStream& s) {
      s.session_->Close();
      return {true, {}, 0};
    }
  };
  struct ReadStep {
    std::span<uint8_t> out;
    StepResult operator()(TlsStream& s) {
      if (out.empty()) return {true, {}, 0};
      auto r = s.session_->Read(out);
      if (!r.ok()) return s.Failed(r.error());
      if (*r > 0) return {true, {}, *r};
      if (s.session_->peer_closed()) return {true, boost::asio::error::eof, 0};
      return {};
    }
  };
  struct WriteStep {
    Bytes plain;
    StepResult operator()(TlsStream& s) {
      if (Status st = s.session_->Write(plain); !st.ok()) return s.Failed(st.error());
      return {true, {}, plain.size()};
    }
  };

  // The one composed operation: step the engine, send its output, read input while it asks.
  template <class Step>
  struct PumpOp {
    PumpOp(TlsStream& stream, Step first_step) : s(stream), step(std::move(first_step)) {}
    TlsStream& s;
    Step step;
    enum class State { kStart, kWriting, kReading, kPosted } state = State::kStart;
    StepResult result;
    bool did_io = false;

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec = {}, size_t n = 0) {
      switch (state) {
        case State::kPosted: self.complete(result.ec, result.n); return;
        case State::kWriting:
          if (ec) {
            // A failure already decided stays the reported one (its alert just got lost).
            self.complete(result.done && result.ec ? result.ec : ec, 0);
            return;
          }
          break;
        case State::kReading:
          if (ec) {
            self.complete(ec, 0);
            return;
          }
          if (Status st = s.session_->Feed(ByteView(s.in_.data(), n)); !st.ok()) {
            result = s.Failed(st.error());
          }
          break;
        case State::kStart: break;
      }
      if (!result.done) result = step(s);
      if (s.session_->has_output()) {
        s.out_ = s.session_->TakeOutput();
        state = State::kWriting;
        did_io = true;
        boost::asio::async_write(s.next_, boost::asio::buffer(s.out_), std::move(self));
        return;
      }
      if (result.done) {
        if (did_io) {
          self.complete(result.ec, result.n);
        } else {
          // Never complete inside the initiating call (Asio's rule for async operations).
          state = State::kPosted;
          boost::asio::post(s.next_.get_executor(), std::move(self));
        }
        return;
      }
      state = State::kReading;
      did_io = true;
      s.next_.async_read_some(boost::asio::buffer(s.in_), std::move(self));
    }
  };

  template <class Step, class Handler>
  auto Run(Step step, Handler&& handler) {
    return boost::asio::async_compose<Handler, void(boost::system::error_code, size_t)>(
        PumpOp<Step>(*this, std::move(step)), handler, next_);
  }

  boost::beast::tcp_stream next_;
  std::unique_ptr<crypto::TlsSession> session_;
  Bytes in_;   // ciphertext just read from the socket
  Bytes out_;  // ciphertext being written to it
  std::optional<Error> error_;
};

}  // namespace teepnet::net

#endif  // TEEPNET_SERVICES_NET_TLS_STREAM_H_
