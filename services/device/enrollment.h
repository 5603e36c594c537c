// Device enrollment. Before a TAM accepts a device's TEEP messages it must know the Agent's
// public key (TamCore::EnrollDevice). teepnet-device enrolls itself on first start: it asks
// its Agent for the public COSE_Key and POSTs it to the M/OC's admin API
// (POST /admin/v1/devices, `Authorization: Bearer <enrollment token>`). The enrollment token
// is a shared secret the M/OC creates on first start (DIR/enroll-token) and the operator
// hands to devices out of band; it can enroll devices and nothing else. The result is kept in
// the device's data directory (device.json), so later starts skip the step.
#ifndef TEEPNET_SERVICES_DEVICE_ENROLLMENT_H_
#define TEEPNET_SERVICES_DEVICE_ENROLLMENT_H_

#include <optional>
#include <string>

#include "services/net/http.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::device {

struct EnrollmentRecord {
  std::string device_id;  // hex RFC 9679 thumbprint, as the M/OC names the device
  std::string tam_uri;
  std::string platform;
};

// The admin API origin for a TAM URI: "http://h:p/tam" -> "http://h:p" (https stays https).
Result<std::string> AdminOriginFor(const std::string& tam_uri);

// POSTs the Agent key; returns the device id the M/OC assigned. kUnavailable when the M/OC
// cannot be reached (retry later), common::Errc::kRemoteRefused when it answers non-2xx.
// `http` carries the CA file for an https:// TAM URI.
Result<std::string> Enroll(const std::string& tam_uri, const std::string& token,
                           ByteView agent_cose_key, const std::string& platform,
                           const net::HttpClientOptions& http = {});

// device.json in the data directory (nullopt when absent).
Result<std::optional<EnrollmentRecord>> LoadEnrollment(const std::string& path);
Status SaveEnrollment(const std::string& path, const EnrollmentRecord& record);

}  // namespace teepnet::device

#endif  // TEEPNET_SERVICES_DEVICE_ENROLLMENT_H_
