#include "teepnet/crypto/tls_test_pki.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "teepnet/base/file.h"
#include "teepnet/crypto/test_certs.h"

namespace teepnet::crypto::testing {

namespace {
PrivateKey NewKey() {
  auto key = PrivateKey::Generate(KeyType::kP256);
  if (!key.ok()) {
    std::fprintf(stderr, "tls_test_pki: key generation failed\n");
    std::abort();
  }
  return *key;
}
}  // namespace

TlsTestPki MakeTlsTestPki(const std::string& server_names, const std::string& ca_name) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  PrivateKey ca_key = NewKey();
  PrivateKey server_key = NewKey();
  CertSpec ca_spec;
  ca_spec.subject_cn = ca_name;
  ca_spec.issuer_cn = ca_name;
  ca_spec.not_before = now - 3600;
  ca_spec.not_after = now + 86400;
  ca_spec.is_ca = true;
  Certificate ca = MakeCert(ca_spec, ca_key.public_key(), ca_key);
  CertSpec server_spec;
  server_spec.subject_cn = "teepnet test server";
  server_spec.issuer_cn = ca_name;
  server_spec.not_before = now - 3600;
  server_spec.not_after = now + 86400;
  server_spec.serial = 2;
  server_spec.subject_alt_names = server_names;
  Certificate server = MakeCert(server_spec, server_key.public_key(), ca_key);
  return TlsTestPki{ca, ca_key, server, server_key};
}

Status WriteTlsTestPki(const TlsTestPki& pki, const std::string& dir) {
  TEEPNET_RETURN_IF_ERROR(WriteFileAtomic(dir + "/ca.pem", AsBytes(CertToPem(pki.ca)), 0644));
  TEEPNET_RETURN_IF_ERROR(
      WriteFileAtomic(dir + "/server.pem", AsBytes(CertToPem(pki.server)), 0644));
  return WriteFileAtomic(dir + "/server.key", AsBytes(pki.server_key.ToPem()), 0600);
}

}  // namespace teepnet::crypto::testing
