#include "services/net/tls_stream.h"

#include <algorithm>

#include "teepnet/base/file.h"
#include "teepnet/base/secret_bytes.h"

namespace teepnet::net {

namespace {

// boost::system::error_category has a protected non-virtual destructor by design (categories
// are never deleted through a base pointer); -Wnon-virtual-dtor does not know that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class TlsErrorCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "teepnet.tls"; }
  std::string message(int) const override { return "TLS failure"; }
};
#pragma GCC diagnostic pop

constexpr size_t kMaxPemFileBytes = 1024 * 1024;

Result<std::vector<crypto::Certificate>> LoadCertificates(const std::string& path,
                                                          std::string_view what) {
  auto pem = ReadFile(path, kMaxPemFileBytes);
  if (!pem.ok()) return pem.error().WithContext(std::string(what) + " " + path);
  auto certs = crypto::Certificate::ParsePemBundle(AsChars(*pem));
  if (!certs.ok()) return certs.error().WithContext(std::string(what) + " " + path);
  if (certs->empty()) {
    return Error(crypto::Errc::kBadEncoding,
                 std::string(what) + " " + path + " has no certificate");
  }
  return certs;
}

}  // namespace

const boost::system::error_category& TlsCategory() {
  static const TlsErrorCategory category;
  return category;
}

Result<std::shared_ptr<const crypto::TlsContext>> LoadServerTls(const std::string& cert_file,
                                                                const std::string& key_file) {
  if (cert_file.empty() || key_file.empty()) {
    return Error(Code::kInvalidArgument, "HTTPS needs both a certificate and a key file");
  }
  TEEPNET_ASSIGN_OR_RETURN(auto chain, LoadCertificates(cert_file, "TLS certificate"));
  auto read = ReadFile(key_file, kMaxPemFileBytes);
  if (!read.ok()) return read.error().WithContext("TLS key " + key_file);
  SecretBytes pem(*read);
  std::fill(read->begin(), read->end(), uint8_t{0});
  auto key = crypto::PrivateKey::FromPem(AsChars(pem.view()));
  if (!key.ok()) return key.error().WithContext("TLS key " + key_file);
  return crypto::TlsContext::ForServer(chain, *key);
}

Result<std::shared_ptr<const crypto::TlsContext>> LoadClientTls(const std::string& ca_file) {
  if (ca_file.empty()) {
    return Error(Code::kInvalidArgument,
                 "https:// needs a CA or pinned server certificate file to verify the server");
  }
  TEEPNET_ASSIGN_OR_RETURN(auto anchors, LoadCertificates(ca_file, "TLS CA file"));
  return crypto::TlsContext::ForClient(anchors);
}

}  // namespace teepnet::net
