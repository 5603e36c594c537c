// TESTONLY: a throwaway PKI for TLS tests: a CA and a server certificate it issued, valid
// from an hour ago for a day, naming the given subjectAltNames.
#ifndef TEEPNET_CRYPTO_TLS_TEST_PKI_H_
#define TEEPNET_CRYPTO_TLS_TEST_PKI_H_

#include <string>

#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::crypto::testing {

struct TlsTestPki {
  Certificate ca;
  PrivateKey ca_key;
  Certificate server;
  PrivateKey server_key;
};

// `server_names` in OpenSSL form ("IP:127.0.0.1,DNS:localhost"); `ca_name` is the CA's CN.
// Aborts the test on failure.
TlsTestPki MakeTlsTestPki(const std::string& server_names = "IP:127.0.0.1,DNS:localhost",
                          const std::string& ca_name = "teepnet test CA");

// Writes dir/ca.pem, dir/server.pem and dir/server.key (mode 0600).
Status WriteTlsTestPki(const TlsTestPki& pki, const std::string& dir);

}  // namespace teepnet::crypto::testing

#endif  // TEEPNET_CRYPTO_TLS_TEST_PKI_H_
