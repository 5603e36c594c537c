// deps: teepnet_moc_core teepnet_suit_test_builder
// Fuzzes the M/OC device channel API router (teepnet/moc/device_api_router.h) with whole calls:
// the first line of the input is "METHOD TARGET", the rest is the body. In both, "{dev}" stands
// for the id of the one device, "{req}" for the id of its request (case 3, its sealed PD
// waiting in the inbox) and "{receipt}" for a receipt its TA instance really signed, so seeds
// reach the receipt check and the commit. Properties: no crash; every answer is a documented
// status; a JSON answer parses; an error answer carries a code from the API's error table; a
// 200 to a receipt means the request is done with that receipt stored.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "teepnet/eat/base64url.h"
#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/moc/api_errors.h"
#include "teepnet/moc/delivery_test_support.h"
#include "teepnet/moc/device_api_router.h"
#include "teepnet/moc/in_memory_moc_store.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/moc/token.h"

using namespace teepnet;
using namespace teepnet::moc;

namespace {

constexpr int64_t kNow = 1'800'000'000;

bool KnownCode(const std::string& code) {
  if (code == "internal" || code == "unavailable") return true;
  for (const ApiErrorEntry& entry : ApiErrorTable()) {
    if (entry.code == code) return true;
  }
  return false;
}

void Must(bool ok) {
  if (!ok) std::abort();
}

void ReplaceAll(std::string& text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Keys, the TA package and the EAR are the same for every input (and slow to make).
struct Fixed {
  testing::TestDevice device;
  Bytes envelope = testing::TestEnvelope("ta");
  std::string instance = *evidence::InstanceNameOfEnvelope(envelope);
  Bytes ear = device.EarJwt(instance, kNow);
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixed fixed;
  InMemoryMocStore store;
  FakeClock clock(kNow);
  testing::CountingRandom random;
  testing::RecordingSink sink;
  MocService service(store, clock, random, sink, HashToken("admin"));
  Must(service
           .ReportCapacity(
               testing::Device(fixed.device.id(), Architecture::kSgx, {InstanceType::kProcess}))
           .ok());
  Result<NewTenant> tenant = service.CreateTenant(Principal{true, ""}, "fuzz");
  Must(tenant.ok());
  const Principal who{false, tenant->tenant.id};
  Result<Package> ta = service.UploadPackage(who, PackageKind::kTa, "ta", fixed.envelope);
  Must(ta.ok());
  RequestSpec spec;
  spec.use_case = 3;
  spec.instance = InstanceType::kProcess;
  spec.ta_package = ta->id;
  Result<Request> request = service.CreateRequest(who, spec);
  Must(request.ok());
  Must(service.HandleEvent(request->id, Event::Installed(fixed.device.id(), ta->id)).ok());
  Must(service
           .HandleEvent(request->id,
                        Event::Affirmed(fixed.device.id(), fixed.ear, testing::kEarJwtMediaType))
           .ok());
  Must(service.PostSealedData(who, request->id, Bytes{0xd0, 0x83, 0x01}).ok());
  const Bytes receipt = fixed.device.InstanceReceipt(request->id, fixed.instance);

  std::string input(reinterpret_cast<const char*>(data), size);
  ReplaceAll(input, "{dev}", fixed.device.id());
  ReplaceAll(input, "{req}", request->id);
  ReplaceAll(input, "{receipt}", eat::Base64UrlEncode(receipt));
  const size_t newline = input.find('\n');
  const std::string line = input.substr(0, newline);
  const size_t space = line.find(' ');
  ApiRequest call;
  call.method = line.substr(0, space);
  call.target = space == std::string::npos ? "" : line.substr(space + 1);
  if (newline != std::string::npos)
    call.body = ToBytes(std::string_view(input).substr(newline + 1));

  DeviceApiRouter router(service);
  const ApiResponse response = router.Handle(call);
  static const int kStatuses[] = {200, 400, 404, 405, 409, 413, 500, 503};
  bool documented = false;
  for (int status : kStatuses) documented |= status == response.status;
  Must(documented);
  Must(response.content_type == "application/json");
  const nlohmann::json body =
      nlohmann::json::parse(response.body.begin(), response.body.end(), nullptr, false);
  Must(!body.is_discarded() && body.is_object());
  if (response.status >= 400) {
    auto error = body.find("error");
    Must(error != body.end() && error->is_object());
    auto code = error->find("code");
    Must(code != error->end() && code->is_string() && KnownCode(code->get<std::string>()));
    return 0;
  }
  if (call.method == "POST") {
    // A receipt was taken: only one the TA instance signed for this request.
    Result<std::optional<Request>> stored = store.FindRequest(request->id);
    Must(stored.ok() && stored->has_value());
    Must((*stored)->state == RequestState::kDone && (*stored)->receipt == receipt);
  }
  return 0;
}
