// The stored form of an M/OC request (moc/model.h) for SqlMocStore: one JSON document per
// request, holding its step history and action outbox, which no query selects on. Enumerations
// are their numeric values, bytes lower-case hex. Decoding checks every member's type and
// range, so a damaged row reads as store::Errc::kBadColumn instead of a wrong request.
#ifndef TEEPNET_STORE_MOC_REQUEST_JSON_H_
#define TEEPNET_STORE_MOC_REQUEST_JSON_H_

#include <string>
#include <string_view>

#include "teepnet/base/result.h"
#include "teepnet/moc/model.h"

namespace teepnet::store {

std::string EncodeMocRequest(const moc::Request& request);
Result<moc::Request> DecodeMocRequest(std::string_view text);

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_MOC_REQUEST_JSON_H_
