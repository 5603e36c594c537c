// The TAM's HTTP endpoint (draft-ietf-teep-otrp-over-http-15 §"TEEP/HTTP Server Behavior"):
// turns POSTs to the TAM URI into TamCore calls and TamCore results into HTTP responses.
//
//   POST, empty body                -> ProcessConnect   -> 200 + QueryRequest
//   POST, application/teep+cbor     -> ProcessMessage   -> 200 + message, or 204
//   TamCore could not produce a result (store, CSPRNG)  -> 500
//   a message TamCore drops (bad signature, unknown device, replayed token, not TEEP)
//                                                        -> 204: the TAM "silently drops"
//                                                           (teep-protocol §"Validating")
//   non-empty body, Content-Type not application/teep+cbor -> 415
//   Accept missing or excluding application/teep+cbor      -> 406
//   any method but POST                                    -> 405
#ifndef TEEPNET_SERVICES_MOC_TAM_ENDPOINT_H_
#define TEEPNET_SERVICES_MOC_TAM_ENDPOINT_H_

#include <atomic>
#include <functional>
#include <string_view>

#include "services/common/json_log.h"
#include "services/net/http.h"
#include "teepnet/tam/tam_core.h"

namespace teepnet::moc {

// True when the Accept header admits application/teep+cbor (exactly, application/*, or */*,
// with a non-zero q).
bool AcceptsTeep(std::string_view accept);
// True when a Content-Type names application/teep+cbor (parameters and case ignored).
bool IsTeepContentType(std::string_view content_type);

class TamEndpoint {
 public:
  // `tam` and `log` must outlive the endpoint. Safe to call from several server threads
  // (TamCore keeps its state in the thread-safe store).
  TamEndpoint(tam::TamCore& tam, const common::JsonLog& log) : tam_(tam), log_(log) {}

  net::HttpResponse Handle(const net::HttpRequest& request);

  // Called after a message whose processing committed something the M/OC's request loop
  // acts on: a QueryResponse (its appraisal stored), a Success or an Error (the installed
  // list). Set before serving.
  void OnCommitted(std::function<void()> hook) { committed_ = std::move(hook); }
  // Called with the device's id after a QueryResponse committed (its appraisal stored),
  // before OnCommitted's hook: the M/OC records the capacity the device's appraisal backs
  // (capacity_sync.h). Set before serving.
  void OnDeviceCommitted(std::function<void(ByteView device_id)> hook) {
    device_committed_ = std::move(hook);
  }

  struct Counters {
    std::atomic<uint64_t> requests{0};
    std::atomic<uint64_t> dropped{0};
    std::atomic<uint64_t> failed{0};
  };
  const Counters& counters() const { return counters_; }

 private:
  tam::TamCore& tam_;
  const common::JsonLog& log_;
  Counters counters_;
  std::function<void()> committed_;
  std::function<void(ByteView)> device_committed_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_SERVICES_MOC_TAM_ENDPOINT_H_
