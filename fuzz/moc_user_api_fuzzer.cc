// deps: teepnet_moc_core teepnet_suit_test_builder
// Fuzzes the M/OC user API router (teepnet/moc/user_api_router.h) with whole calls: the first
// line of the input is "METHOD TARGET", the rest is the body, sent with a valid tenant token to
// a fresh M/OC that has one device and one request waiting for the user channel. Properties:
// no crash; every answer is a documented status; a JSON answer parses; an error answer
// carries a code from the API's error table.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "teepnet/moc/api_errors.h"
#include "teepnet/moc/in_memory_moc_store.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/moc/token.h"
#include "teepnet/moc/user_api_router.h"

using namespace teepnet;
using namespace teepnet::moc;

namespace {

bool KnownCode(const std::string& code) {
  if (code == "internal" || code == "unavailable") return true;
  for (const ApiErrorEntry& entry : ApiErrorTable()) {
    if (entry.code == code) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string line = input.substr(0, newline);
  const size_t space = line.find(' ');
  ApiRequest call;
  call.method = line.substr(0, space);
  call.target = space == std::string::npos ? "" : line.substr(space + 1);
  if (newline != std::string::npos)
    call.body = ToBytes(std::string_view(input).substr(newline + 1));

  InMemoryMocStore store;
  FakeClock clock(1'800'000'000);
  testing::CountingRandom random;
  testing::RecordingSink sink;
  MocService service(store, clock, random, sink, HashToken("admin"));
  if (!service
           .ReportCapacity(testing::Device("sgx-1", Architecture::kSgx,
                                           {InstanceType::kProcess, InstanceType::kContainer}))
           .ok()) {
    std::abort();
  }
  Result<NewTenant> tenant = service.CreateTenant(Principal{true, ""}, "fuzz");
  if (!tenant.ok()) std::abort();
  const Principal who{false, tenant->tenant.id};
  RequestSpec spec;
  spec.instance = InstanceType::kProcess;
  Result<Request> request = service.CreateRequest(who, spec);
  if (!request.ok()) std::abort();
  if (!service.HandleEvent(request->id, Event::Affirmed("sgx-1", Bytes{1, 2, 3}, "x")).ok()) {
    std::abort();
  }
  call.authorization = "Bearer " + tenant->token;

  UserApiRouter router(service);
  const ApiResponse response = router.Handle(call);
  static const int kStatuses[] = {200, 201, 202, 400, 401, 403, 404, 405, 409, 413, 422, 500, 503};
  bool documented = false;
  for (int status : kStatuses) documented |= status == response.status;
  if (!documented) std::abort();
  if (response.content_type == "application/json") {
    const nlohmann::json body =
        nlohmann::json::parse(response.body.begin(), response.body.end(), nullptr, false);
    if (body.is_discarded()) std::abort();
    if (response.status >= 400) {
      if (!body.is_object() || !body.contains("error")) std::abort();
      const nlohmann::json& error = body["error"];
      if (!error.is_object() || !error.contains("code") || !error["code"].is_string()) std::abort();
      if (!KnownCode(error["code"].get<std::string>())) std::abort();
    }
  } else if (response.status >= 400) {
    std::abort();
  }
  return 0;
}
