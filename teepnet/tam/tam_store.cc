#include "teepnet/tam/tam_store.h"

#include "teepnet/base/hex.h"

namespace teepnet::tam {

std::string DeviceIdHex(ByteView device_id) {
  return ToHex(device_id);
}

std::string_view LastResultName(LastResult result) {
  switch (result) {
    case LastResult::kNone: return "none";
    case LastResult::kUpToDate: return "up-to-date";
    case LastResult::kUpdateSent: return "update-sent";
    case LastResult::kSuccess: return "success";
    case LastResult::kError: return "error";
    case LastResult::kAttestationFailed: return "attestation-failed";
    case LastResult::kBadResponse: return "bad-response";
  }
  return "unknown";
}

}  // namespace teepnet::tam
