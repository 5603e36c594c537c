#include "teepnet/crypto/tls_engine.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "teepnet/crypto/cert_handle.h"
#include "teepnet/crypto/key_handle.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

using internal::FitsInt;
using internal::OsslError;

namespace {

using SslCtxPtr = std::unique_ptr<SSL_CTX, internal::Deleter<SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, internal::Deleter<SSL_free>>;

// RFC 9325 §4.2: ECDHE key exchange with AEAD ciphers only for TLS 1.2.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
// Every TLS 1.3 suite is an AEAD; the CCM ones are left out as they are for constrained peers.
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

Result<SslCtxPtr> NewContext(const SSL_METHOD* method) {
  SslCtxPtr ctx(SSL_CTX_new(method));
  if (!ctx) return OsslError(Errc::kInternal, "SSL_CTX_new");
  if (SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx.get(), kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx.get(), kTls13Suites) != 1) {
    return OsslError(Errc::kInternal, "TLS protocol policy");
  }
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                                     SSL_OP_NO_TICKET | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  // TLS 1.3 servers would otherwise send NewSessionTicket messages nobody uses.
  SSL_CTX_set_num_tickets(ctx.get(), 0);
  return ctx;
}

}  // namespace

struct TlsContext::Impl {
  SslCtxPtr ctx;
  bool server = false;
};

TlsContext::TlsContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsContext::~TlsContext() = default;

Result<std::shared_ptr<const TlsContext>> TlsContext::ForServer(
    const std::vector<Certificate>& chain, const PrivateKey& key) {
  if (chain.empty()) return Error(Errc::kBadEncoding, "TLS server needs a certificate");
  TEEPNET_ASSIGN_OR_RETURN(SslCtxPtr ctx, NewContext(TLS_server_method()));
  if (SSL_CTX_use_certificate(ctx.get(), chain.front().handle().x509.get()) != 1) {
    return OsslError(Errc::kCertificateInvalid, "TLS server certificate");
  }
  for (size_t i = 1; i < chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx.get(), chain[i].handle().x509.get()) != 1) {
      return OsslError(Errc::kCertificateInvalid, "TLS server chain certificate");
    }
  }
  if (SSL_CTX_use_PrivateKey(ctx.get(), key.handle().get()) != 1 ||
      SSL_CTX_check_private_key(ctx.get()) != 1) {
    return OsslError(Errc::kBadKey, "TLS server key does not match its certificate");
  }
  auto impl = std::make_unique<Impl>();
  impl->ctx = std::move(ctx);
  impl->server = true;
  return std::shared_ptr<const TlsContext>(std::make_shared<TlsContext>(std::move(impl)));
}

Result<std::shared_ptr<const TlsContext>> TlsContext::ForClient(
    const std::vector<Certificate>& anchors) {
  if (anchors.empty()) return Error(Errc::kChainUntrusted, "TLS client needs a trust anchor");
  TEEPNET_ASSIGN_OR_RETURN(SslCtxPtr ctx, NewContext(TLS_client_method()));
  X509_STORE* store = SSL_CTX_get_cert_store(ctx.get());
  for (const Certificate& anchor : anchors) {
    if (X509_STORE_add_cert(store, anchor.handle().x509.get()) != 1) {
      return OsslError(Errc::kCertificateInvalid, "TLS trust anchor");
    }
  }
  // Any certificate in the store may end the path, so a pinned server certificate (not
  // self-signed by a CA) works as an anchor too.
  X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(ctx.get()), X509_V_FLAG_PARTIAL_CHAIN);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  auto impl = std::make_unique<Impl>();
  impl->ctx = std::move(ctx);
  impl->server = false;
  return std::shared_ptr<const TlsContext>(std::make_shared<TlsContext>(std::move(impl)));
}

struct TlsSession::Impl {
  std::shared_ptr<const TlsContext> context;  // keeps the SSL_CTX alive
  SslPtr ssl;
  BIO* in = nullptr;   // owned by ssl
  BIO* out = nullptr;  // owned by ssl
  bool client = false;
  bool done = false;
  bool failed = false;
  bool peer_closed = false;
  bool closed = false;
};

TlsSession::TlsSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsSession::~TlsSession() = default;

namespace {

Result<std::unique_ptr<TlsSession::Impl>> NewSession(std::shared_ptr<const TlsContext> context) {
  if (!context) return Error(Errc::kInternal, "no TLS context");
  auto impl = std::make_unique<TlsSession::Impl>();
  impl->ssl.reset(SSL_new(context->impl().ctx.get()));
  impl->context = std::move(context);
  if (!impl->ssl) return OsslError(Errc::kInternal, "SSL_new");
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  if (in == nullptr || out == nullptr) {
    BIO_free(in);
    BIO_free(out);
    return OsslError(Errc::kInternal, "BIO_new");
  }
  // An empty memory BIO means "no data yet", not end of file.
  BIO_set_mem_eof_return(in, -1);
  BIO_set_mem_eof_return(out, -1);
  SSL_set_bio(impl->ssl.get(), in, out);
  impl->in = in;
  impl->out = out;
  return impl;
}

}  // namespace

Result<std::unique_ptr<TlsSession>> TlsSession::Server(std::shared_ptr<const TlsContext> context) {
  if (context && !context->impl().server) {
    return Error(Errc::kInternal, "client TLS context used for a server session");
  }
  TEEPNET_ASSIGN_OR_RETURN(auto impl, NewSession(std::move(context)));
  SSL_set_accept_state(impl->ssl.get());
  return std::make_unique<TlsSession>(std::move(impl));
}

Result<std::unique_ptr<TlsSession>> TlsSession::Client(std::shared_ptr<const TlsContext> context,
                                                       std::string_view server_name) {
  if (context && context->impl().server) {
    return Error(Errc::kInternal, "server TLS context used for a client session");
  }
  if (server_name.empty()) return Error(Errc::kPeerNameMismatch, "TLS client needs a server name");
  TEEPNET_ASSIGN_OR_RETURN(auto impl, NewSession(std::move(context)));
  impl->client = true;
  SSL* ssl = impl->ssl.get();
  const std::string name(server_name);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  // RFC 9525 §6.3: an IP address is matched against iPAddress subjectAltNames only; a DNS
  // name against dNSName entries, with no partial-label wildcards (§6.3 "*" only alone).
  if (X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) != 1) {
    ERR_clear_error();
    X509_VERIFY_PARAM_set_hostflags(
        param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
    if (X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size()) != 1 ||
        SSL_set_tlsext_host_name(ssl, name.c_str()) != 1) {
      return OsslError(Errc::kPeerNameMismatch, "bad TLS server name " + name);
    }
  }
  SSL_set_connect_state(ssl);
  return std::make_unique<TlsSession>(std::move(impl));
}

Error TlsSession::Fail(std::string_view what) {
  impl_->failed = true;
  std::string message = "TLS " + std::string(what);
  if (impl_->client) {
    long verify = SSL_get_verify_result(impl_->ssl.get());
    if (verify != X509_V_OK) {
      message += ": " + std::string(X509_verify_cert_error_string(verify));
      switch (verify) {
        case X509_V_ERR_HOSTNAME_MISMATCH:
        case X509_V_ERR_IP_ADDRESS_MISMATCH: return OsslError(Errc::kPeerNameMismatch, message);
        case X509_V_ERR_CERT_HAS_EXPIRED:
        case X509_V_ERR_CERT_NOT_YET_VALID: return OsslError(Errc::kCertificateExpired, message);
        default: return OsslError(Errc::kChainUntrusted, message);
      }
    }
  }
  unsigned long e = ERR_peek_last_error();
  if (e != 0) {
    char text[256] = {};
    ERR_error_string_n(e, text, sizeof(text));
    message += std::string(": ") + text;
  }
  if (ERR_GET_LIB(e) == ERR_LIB_SSL &&
      ERR_GET_REASON(e) == SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC) {
    return OsslError(Errc::kAuthenticationFailed, message);
  }
  return OsslError(Errc::kTlsProtocol, message);
}

Status TlsSession::Feed(ByteView ciphertext) {
  if (ciphertext.empty()) return OkStatus();
  if (!FitsInt(ciphertext.size())) return Error(Errc::kBadLength, "TLS input too large");
  int n = BIO_write(impl_->in, ciphertext.data(), static_cast<int>(ciphertext.size()));
  if (n != static_cast<int>(ciphertext.size())) return OsslError(Errc::kInternal, "BIO_write");
  return OkStatus();
}

Result<bool> TlsSession::Handshake() {
  if (impl_->failed) return Error(Errc::kTlsProtocol, "TLS session failed earlier");
  if (impl_->done) return true;
  ERR_clear_error();
  int r = SSL_do_handshake(impl_->ssl.get());
  if (r == 1) {
    impl_->done = true;
    return true;
  }
  int err = SSL_get_error(impl_->ssl.get(), r);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return false;
  return Fail("handshake");
}

bool TlsSession::handshake_done() const {
  return impl_->done;
}

Result<size_t> TlsSession::Read(std::span<uint8_t> out) {
  if (impl_->failed) return Error(Errc::kTlsProtocol, "TLS session failed earlier");
  if (!impl_->done) return Error(Errc::kTlsProtocol, "TLS read before the handshake");
  if (out.empty() || impl_->peer_closed) return size_t{0};
  ERR_clear_error();
  size_t n = 0;
  int r = SSL_read_ex(impl_->ssl.get(), out.data(), out.size(), &n);
  if (r == 1) return n;
  switch (SSL_get_error(impl_->ssl.get(), r)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE: return size_t{0};
    case SSL_ERROR_ZERO_RETURN: impl_->peer_closed = true; return size_t{0};
    default: return Fail("read");
  }
}

bool TlsSession::peer_closed() const {
  return impl_->peer_closed;
}

Status TlsSession::Write(ByteView plaintext) {
  if (impl_->failed) return Error(Errc::kTlsProtocol, "TLS session failed earlier");
  if (!impl_->done) return Error(Errc::kTlsProtocol, "TLS write before the handshake");
  if (impl_->closed) return Error(Errc::kTlsProtocol, "TLS write after close_notify");
  size_t offset = 0;
  while (offset < plaintext.size()) {
    ERR_clear_error();
    size_t n = 0;
    // The output is a growing memory BIO, so a write never waits for the peer.
    if (SSL_write_ex(impl_->ssl.get(), plaintext.data() + offset, plaintext.size() - offset, &n) !=
        1) {
      return Fail("write");
    }
    offset += n;
  }
  return OkStatus();
}

void TlsSession::Close() {
  if (impl_->closed) return;
  impl_->closed = true;
  // Nothing to say on a failed or unfinished connection; the caller just drops it.
  if (impl_->failed || !impl_->done) return;
  ERR_clear_error();
  SSL_shutdown(impl_->ssl.get());
  ERR_clear_error();
}

bool TlsSession::has_output() const {
  return BIO_ctrl_pending(impl_->out) > 0;
}

Bytes TlsSession::TakeOutput() {
  Bytes out(BIO_ctrl_pending(impl_->out));
  if (out.empty()) return out;
  size_t n = 0;
  if (BIO_read_ex(impl_->out, out.data(), out.size(), &n) != 1) n = 0;
  out.resize(n);
  return out;
}

std::string TlsSession::protocol() const {
  return impl_->done ? SSL_get_version(impl_->ssl.get()) : "";
}

std::string TlsSession::cipher() const {
  return impl_->done ? SSL_get_cipher_name(impl_->ssl.get()) : "";
}

}  // namespace teepnet::crypto
