// How SqlTamStore keeps the structured parts of the TAM's state (desired state, device
// status, token details) in one column each: a JSON text with byte strings in lower-case hex.
// JSON keeps the column readable with the sqlite3 shell and maps to PostgreSQL's jsonb later.
// The decoders treat the column as untrusted (a damaged or hand-edited database): every
// member is type-checked and a mismatch is store::Errc::kBadColumn, never an exception.
#ifndef TEEPNET_STORE_TAM_STATE_JSON_H_
#define TEEPNET_STORE_TAM_STATE_JSON_H_

#include <string>
#include <string_view>

#include "teepnet/base/result.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::store {

std::string EncodeDesiredState(const tam::DesiredState& desired);
Result<tam::DesiredState> DecodeDesiredState(std::string_view text);

std::string EncodeDeviceStatus(const tam::DeviceStatus& status);
Result<tam::DeviceStatus> DecodeDeviceStatus(std::string_view text);

// The token record's details (data items, challenge, what an Update carried). The scalar
// members (token, purpose, device, times, consumed) have their own columns.
std::string EncodeTokenDetails(const tam::TokenRecord& token);
Status DecodeTokenDetails(std::string_view text, tam::TokenRecord* token);

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_TAM_STATE_JSON_H_
