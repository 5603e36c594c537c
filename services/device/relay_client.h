// The Broker's side of the M/OC's device channel API (USE-CASES "Device channel API"): reads the
// device's inbox of sealed bytes and posts the receipts the Agent or TA signed. RelayEndpoint is
// the seam the relay loop (inbox_relay.h) is tested through; HttpRelayEndpoint speaks HTTP to
// the M/OC on the TAM's origin.
#ifndef TEEPNET_SERVICES_DEVICE_RELAY_CLIENT_H_
#define TEEPNET_SERVICES_DEVICE_RELAY_CLIENT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "services/net/http.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::device {

// The M/OC lists at most 4 items of at most 4 MiB sealed bytes each, in base64url (4/3) inside
// JSON; anything longer is not an inbox.
inline constexpr size_t kMaxInboxBodyBytes = 24u << 20;
// Ids, instance names and purposes are short; longer ones are refused.
inline constexpr size_t kMaxInboxFieldBytes = 1024;

struct InboxEntry {
  std::string request_id;
  bool to_ta = false;    // "target": "ta" (cases 2, 3), else "agent" (cases 1, 4)
  std::string instance;  // "" for the Agent
  std::string purpose;   // "bundle", "pd", "ta+pd"
  // "instance_type": "process", "container" or "vm" (what the request asked the TA to run
  // in); an M/OC that sends no such member predates it and means "process".
  std::string instance_type = "process";
  // "ua_component" (cases 2, 3 with a UA package): the UA's component name "tc-<hex>", which
  // the Broker asks the Agent for (op 7) once the PD is delivered; "" when absent.
  std::string ua_component;
  Bytes digest;  // SHA-256 of `sealed` as the M/OC computed it
  Bytes sealed;

  friend bool operator==(const InboxEntry&, const InboxEntry&) = default;
};

// Decodes GET .../inbox's body strictly: {"items": [...]} with every member present and of its
// type, a known target, a known instance_type when present, a "tc-" ua_component when present
// (target ta only), a 32-byte hex digest and base64url sealed bytes. common::Errc::kBadResponse
// otherwise, naming the item.
Result<std::vector<InboxEntry>> ParseInbox(ByteView body);

class RelayEndpoint {
 public:
  virtual ~RelayEndpoint() = default;
  // Network failures are Code::kUnavailable; a refusal or a malformed answer is not.
  virtual Result<std::vector<InboxEntry>> FetchInbox() = 0;
  // OK when the M/OC took the receipt. common::Errc::kRemoteRefused with the M/OC's error for
  // a 4xx (it will not take this receipt, whatever is retried); Code::kUnavailable for a
  // network failure or a 5xx (worth posting again).
  virtual Status PostReceipt(std::string_view request_id, ByteView receipt) = 0;
};

class HttpRelayEndpoint final : public RelayEndpoint {
 public:
  // `moc_origin` is "http(s)://host:port" (the TAM's origin), `device_id` the enrolled id.
  static Result<std::unique_ptr<HttpRelayEndpoint>> Create(std::string_view moc_origin,
                                                           std::string device_id,
                                                           net::HttpClientOptions http = {});

  Result<std::vector<InboxEntry>> FetchInbox() override;
  Status PostReceipt(std::string_view request_id, ByteView receipt) override;

 private:
  HttpRelayEndpoint(std::unique_ptr<net::HttpClient> client, std::string device_id)
      : client_(std::move(client)), device_id_(std::move(device_id)) {}
  std::string DevicePath(std::string_view leaf) const;

  std::unique_ptr<net::HttpClient> client_;
  std::string device_id_;
};

}  // namespace teepnet::device

#endif  // TEEPNET_SERVICES_DEVICE_RELAY_CLIENT_H_
