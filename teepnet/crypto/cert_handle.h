// Internal to crypto/: the OpenSSL objects behind Certificate and Crl.
#ifndef TEEPNET_CRYPTO_CERT_HANDLE_H_
#define TEEPNET_CRYPTO_CERT_HANDLE_H_

#include "teepnet/base/bytes.h"
#include "teepnet/crypto/ossl.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::crypto {

struct CertHandle {
  internal::X509Ptr x509;
  Bytes der;  // exactly the bytes parsed
};

struct Crl::Handle {
  internal::X509CrlPtr crl;
};

}  // namespace teepnet::crypto

#endif  // TEEPNET_CRYPTO_CERT_HANDLE_H_
