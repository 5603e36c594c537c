// An I/O-free TLS engine: one side of a TLS 1.3 (or TLS 1.2 with ECDHE and AEAD suites only)
// connection over in-memory buffers. The caller moves bytes: ciphertext received from the
// socket goes in through Feed(), ciphertext to send comes out of TakeOutput(), and plaintext
// passes through Read()/Write(). Nothing here touches a socket, so services/ can run TLS over
// any transport without including OpenSSL (only crypto/ does).
//
// Policy, fixed on purpose (RFC 9325, "Recommendations for Secure Use of TLS and DTLS"):
//   - TLS 1.2 and 1.3 only (§3.1.1: "Implementations MUST NOT negotiate ... TLS version 1.1");
//   - TLS 1.2 suites: ECDHE with AES-GCM or ChaCha20-Poly1305 only (§4.2);
//   - no renegotiation, no compression (§3.3: "Implementations ... MUST NOT use TLS-level
//     compression"), no session tickets (nothing here resumes sessions);
//   - a client always verifies the server: chain to a caller-given trust anchor and the server
//     name it dialled (DNS name or IP address, RFC 9525). There is no "accept any certificate".
#ifndef TEEPNET_CRYPTO_TLS_ENGINE_H_
#define TEEPNET_CRYPTO_TLS_ENGINE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::crypto {

// Shared, immutable configuration for many sessions (an OpenSSL SSL_CTX). Thread-safe.
class TlsContext {
 public:
  // A server presenting `chain` (leaf first, then intermediates) with the leaf's `key`.
  static Result<std::shared_ptr<const TlsContext>> ForServer(const std::vector<Certificate>& chain,
                                                             const PrivateKey& key);
  // A client trusting `anchors`: CA certificates, or the server's own certificate, which then
  // acts as a pin (any anchor may end the path, not only self-signed roots).
  static Result<std::shared_ptr<const TlsContext>> ForClient(
      const std::vector<Certificate>& anchors);

  struct Impl;
  explicit TlsContext(std::unique_ptr<Impl> impl);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

// One connection. Not thread-safe; a failed session stays failed.
class TlsSession {
 public:
  static Result<std::unique_ptr<TlsSession>> Server(std::shared_ptr<const TlsContext> context);
  // `server_name` is what the certificate must name: a DNS name (also sent as SNI) or an IPv4
  // or IPv6 literal (RFC 6066 §3: literal addresses are not sent as SNI).
  static Result<std::unique_ptr<TlsSession>> Client(std::shared_ptr<const TlsContext> context,
                                                    std::string_view server_name);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Ciphertext received from the peer, in order.
  Status Feed(ByteView ciphertext);
  // Advances the handshake with what was fed; true once it is complete. Errors: kChainUntrusted
  // or kCertificateExpired (client: server certificate), kPeerNameMismatch (client: name),
  // kAuthenticationFailed (a record failed its AEAD check), kTlsProtocol (anything else,
  // including a fatal alert from the peer).
  Result<bool> Handshake();
  bool handshake_done() const;
  // Decrypts up to out.size() bytes of application data. 0 means "feed more ciphertext", or,
  // when peer_closed(), that the peer sent close_notify. A tampered record is
  // kAuthenticationFailed.
  Result<size_t> Read(std::span<uint8_t> out);
  bool peer_closed() const;
  // Encrypts all of `plaintext` (after the handshake) into the output.
  Status Write(ByteView plaintext);
  // Queues close_notify (RFC 8446 §6.1); later Write() calls fail.
  void Close();

  // Ciphertext to send to the peer (handshake messages, records, alerts), drained.
  bool has_output() const;
  Bytes TakeOutput();

  // The negotiated protocol ("TLSv1.3") and cipher suite, once the handshake is done.
  std::string protocol() const;
  std::string cipher() const;

  struct Impl;
  explicit TlsSession(std::unique_ptr<Impl> impl);

 private:
  Error Fail(std::string_view what);
  std::unique_ptr<Impl> impl_;
};

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_TLS_ENGINE_H_
