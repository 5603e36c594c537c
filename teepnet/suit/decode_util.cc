#include "teepnet/suit/decode_util.h"

#include <algorithm>
#include <string>

#include "teepnet/suit/errc.h"

namespace teepnet::suit {

cbor::DecodeOptions SuitDecodeOptions() {
  return cbor::DecodeOptions::Strict();
}

Status Wrap(Status status, std::string_view field) {
  if (status.ok()) return status;
  const Error& e = status.error();
  return Error(Errc::kMalformed, std::string(field) + ": " + e.ToString(), e.offset());
}

Result<cbor::ItemType> PeekType(const cbor::Reader& r, std::string_view field) {
  auto t = r.PeekType();
  if (!t.ok()) return Wrap(Status(t.error()), field).error();
  return *t;
}

Status KeySet::Add(int64_t key, size_t offset, std::string_view map_name) {
  if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) {
    return Error(Errc::kDuplicateKey,
                 std::string(map_name) + " has key " + std::to_string(key) + " twice", offset);
  }
  keys_.push_back(key);
  return OkStatus();
}

Status ReadWrappedBstr(cbor::Reader& r, std::string_view field, ByteView* contents, ByteView* raw) {
  const size_t base = r.offset();
  ByteView whole;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadRawItem(&whole), field));
  cbor::Reader inner(whole, SuitDecodeOptions());
  Status s = inner.ReadBytes(contents);
  if (!s.ok()) return Wrap(Status(s.error().WithOffsetBase(base)), field);
  if (raw != nullptr) *raw = whole;
  return OkStatus();
}

}  // namespace teepnet::suit
