// The Network User's whole flow for one use case (docs/USE-CASES.md, DESIGN §2), as a library
// so that `teepnet request`, `teepnet demo` and the tests run the same code:
//
//   1. pin (or fetch, GET /api/v1/verifier-key) the M/OC Verifier's EAR key;
//   2. cases 2, 3: upload the UA/TA packages and compute the TA instance name locally
//      (evidence::InstanceNameOfEnvelope; the M/OC's is never trusted);
//   3. create the request and follow its steps;
//   4. once the EAR is issued: verify it as Relying Party (channel::AcceptRecipient with the
//      pinned key, the placed device, the instance for cases 2, 3). A refused EAR ends the flow
//      and nothing is sent;
//   5. seal the content (cases 1, 4: the bundle to the Agent; cases 2, 3: the PD to the TA
//      instance) bound to (request, device, instance, purpose) and post it;
//   6. follow the request to done, then check the receipt: signed by the key the EAR names,
//      over the request, the instance, SHA-256 of the PD sent and the expected measurement
//      (the EAR's for cases 2, 3; SHA-256 of the TA sealed for cases 1, 4).
//
// ok is true only when the receipt proves the PD reached the attested TA.
#ifndef TEEPNET_SERVICES_CLI_REQUEST_FLOW_H_
#define TEEPNET_SERVICES_CLI_REQUEST_FLOW_H_

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cli {

// What the EAR check established, for a PD built only after it (PdBuilder).
struct PdContext {
  const crypto::PublicKey& instance_key;  // the attested key the PD is sealed to
  channel::Binding binding;               // request, device, instance, purpose of the PD
};
// Builds the PD once the EAR is accepted: the parties of a workload seal their inputs to the
// attested instance key here (workload/party.h), so nothing is sealed to an unverified key.
using PdBuilder = std::function<Result<SecretBytes>(const PdContext&)>;

struct FlowInput {
  std::string moc_url;
  std::string ca_file;  // for an https:// M/OC
  std::string token;    // the tenant's bearer token
  int use_case = 0;     // 1..4
  std::string instance = "process";
  std::string hardware;     // "" lets the M/OC choose among what Figure 2 allows
  std::optional<Bytes> ua;  // case 1: the UA executable; cases 2, 3: the UA package (SUIT)
  std::optional<Bytes> ta;  // cases 1, 4: the static TA executable; cases 2, 3: the TA package
  SecretBytes pd;
  PdBuilder make_pd;  // cases 2, 3: when set, builds the PD after the EAR check (pd is unused)
  std::optional<crypto::PublicKey> verifier_key;  // pinned; fetched from the M/OC when absent
  int64_t timeout_ms = 300000;                    // the whole flow
  int poll_interval_ms = 200;
};

// One step as the user saw it: a request state the M/OC reported ("placed", "deploying_ta",
// ...) or a step of the user's own ("verifier-key", "verify-ear", "seal", "post-channel",
// "verify-receipt").
struct FlowStep {
  std::string name;
  std::string detail;
  int64_t at_ms = 0;  // since the flow began
  int64_t ms = 0;     // since the previous step
};

struct FlowResult {
  bool ok = false;
  std::string request_id;
  std::string device_id;
  std::string device_architecture;
  std::string instance_name;  // cases 2, 3
  std::string state;          // the request's last known state
  std::string ear_status;     // "affirming", "warning", "contraindicated"; "" without an EAR
  std::string error;          // why ok is false
  bool sent = false;          // sealed bytes were posted
  std::string verifier_key_sha256;
  bool verifier_key_pinned = false;
  Bytes pd_digest;
  Bytes measurement;
  std::optional<Bytes> receipt_result;  // a workload TA's sealed outputs, from the verified receipt
  std::vector<FlowStep> steps;
  int64_t ms = 0;
};

class FlowObserver {
 public:
  virtual ~FlowObserver() = default;
  virtual void OnStep(const FlowStep& step) = 0;
};

FlowResult RunRequestFlow(const FlowInput& input, FlowObserver* observer = nullptr);

// {"request_id", "case", "instance", "hardware", "device_id", "ok", "state", "ear_status",
//  "sent", "error", "verifier_key_sha256", "pd_sha256", "measurement", "steps", "ms"}.
nlohmann::json FlowResultJson(const FlowInput& input, const FlowResult& result);

// The SHA-256 fingerprint (lowercase hex) of a public key's SubjectPublicKeyInfo DER.
std::string KeyFingerprint(const crypto::PublicKey& key);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_REQUEST_FLOW_H_
