// The M/OC's small admin REST API. Every request carries `Authorization: Bearer <token>`:
// the admin token (DIR/admin-token) may do everything, the enrollment token (DIR/enroll-token)
// may only enroll devices. Tokens are compared in constant time.
//
//   POST /admin/v1/devices                 {"agent_key": "<hex COSE_Key>", "label": "sim-sgx"}
//        -> 200 {"device_id": "<hex>"}                          (admin or enrollment token)
//   POST /admin/v1/devices/<id>/install    body: a signed SUIT envelope (any content type)
//        -> 200 {"device_id", "manifest_id", "manifest_id_hex", "sequence_number"}
//   POST /admin/v1/devices/<id>/remove     {"component": "<manifest id, text or hex form>"}
//        -> 200 {"device_id", "manifest_id", "manifest_id_hex"}
//   GET  /admin/v1/status[?device=<id>]    -> 200 [device, ...] (status_json.h)
//   GET  /admin/v1/devices/<id>/ear        -> 200 {"device_id", "ear": "<JWT>", "ear_status",
//                                                  "affirming", "reason", "appraised_at"}
//        (admin token; 404 until the device has been appraised)
//
// Errors: 401 missing/wrong token, 403 enrollment token on an admin call, 400 malformed
// input (bad JSON, not a SUIT envelope), 404 unknown device/component/path, 405 wrong
// method, 500 store failure; the body is {"error": "...", "reason": "<module>/<reason>"}.
#ifndef TEEPNET_SERVICES_MOC_ADMIN_API_H_
#define TEEPNET_SERVICES_MOC_ADMIN_API_H_

#include <mutex>
#include <string>

#include "services/common/json_log.h"
#include "services/net/http.h"
#include "teepnet/tam/tam_core.h"

namespace teepnet::moc {

struct AdminTokens {
  std::string admin;
  std::string enroll;
};

class AdminApi {
 public:
  // All references must outlive the API object.
  AdminApi(tam::TamCore& tam, tam::TamStore& store, AdminTokens tokens, const common::JsonLog& log)
      : tam_(tam), store_(store), tokens_(std::move(tokens)), log_(log) {}

  net::HttpResponse Handle(const net::HttpRequest& request);

 private:
  enum class Role { kNone, kEnroll, kAdmin };
  Role Authenticate(const net::HttpRequest& request) const;

  net::HttpResponse Enroll(const net::HttpRequest& request);
  net::HttpResponse Install(const Bytes& device_id, const net::HttpRequest& request);
  net::HttpResponse Remove(const Bytes& device_id, const net::HttpRequest& request);
  net::HttpResponse DeviceStatus(const net::HttpRequest& request);
  net::HttpResponse DeviceEar(const Bytes& device_id);

  tam::TamCore& tam_;
  tam::TamStore& store_;
  AdminTokens tokens_;
  const common::JsonLog& log_;
  // Install and remove read, modify and write the desired state; one at a time.
  std::mutex mu_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_ADMIN_API_H_
