#include "teepnet/suit/parameters.h"

#include <vector>

#include "teepnet/cbor/reader.h"
#include "teepnet/suit/decode_util.h"
#include "teepnet/suit/errc.h"

namespace teepnet::suit {
namespace {

Error WrongType(int64_t key, std::string_view expected) {
  return Error(Errc::kUnsupportedParameter,
               "parameter " + std::to_string(key) + " must be " + std::string(expected));
}

// The CDDL type of each parameter we interpret (manifest-37 §8.4.8,
// firmware-encryption-24 §5). Others are stored unchecked and never read.
Status CheckType(int64_t key, ByteView value) {
  cbor::Reader r(value, SuitDecodeOptions());
  auto type = r.PeekType();
  if (!type.ok()) return WrongType(key, "well-formed");
  switch (static_cast<Parameter>(key)) {
    case Parameter::kVendorId:
    case Parameter::kClassId:
    case Parameter::kDeviceId:
    case Parameter::kContent:
    case Parameter::kInvokeArgs:
    case Parameter::kFetchArguments:
      if (*type != cbor::ItemType::kBytes) return WrongType(key, "a bstr");
      return OkStatus();
    case Parameter::kImageDigest:
    case Parameter::kEncryptionInfo: {
      if (*type != cbor::ItemType::kBytes) return WrongType(key, "a bstr-wrapped structure");
      if (static_cast<Parameter>(key) == Parameter::kImageDigest) {
        ByteView inner;
        if (!r.ReadBytes(&inner).ok() || !DecodeDigest(inner).ok()) {
          return WrongType(key, "a bstr-wrapped SUIT_Digest");
        }
      }
      return OkStatus();
    }
    case Parameter::kComponentSlot:
    case Parameter::kImageSize:
    case Parameter::kSourceComponent:
      if (*type != cbor::ItemType::kUnsigned) return WrongType(key, "a uint");
      return OkStatus();
    case Parameter::kStrictOrder:
    case Parameter::kSoftFailure:
      if (*type != cbor::ItemType::kTrue && *type != cbor::ItemType::kFalse) {
        return WrongType(key, "a bool");
      }
      return OkStatus();
    case Parameter::kUri:
      if (*type != cbor::ItemType::kText) return WrongType(key, "a tstr");
      return OkStatus();
  }
  return OkStatus();
}

}  // namespace

Result<ByteView> Parameters::Raw(Parameter p) const {
  auto it = values_.find(static_cast<int64_t>(p));
  if (it == values_.end()) {
    return Error(Errc::kMissingParameter,
                 "parameter " + std::to_string(static_cast<int64_t>(p)) + " is not set");
  }
  return ByteView(it->second);
}

Result<ByteView> Parameters::GetBytes(Parameter p) const {
  TEEPNET_ASSIGN_OR_RETURN(ByteView raw, Raw(p));
  cbor::Reader r(raw, SuitDecodeOptions());
  ByteView out;
  if (!r.ReadBytes(&out).ok()) return WrongType(static_cast<int64_t>(p), "a bstr");
  return out;
}

Result<uint64_t> Parameters::GetUint(Parameter p) const {
  TEEPNET_ASSIGN_OR_RETURN(ByteView raw, Raw(p));
  cbor::Reader r(raw, SuitDecodeOptions());
  uint64_t out = 0;
  if (!r.ReadUint(&out).ok()) return WrongType(static_cast<int64_t>(p), "a uint");
  return out;
}

Result<std::string> Parameters::GetText(Parameter p) const {
  TEEPNET_ASSIGN_OR_RETURN(ByteView raw, Raw(p));
  cbor::Reader r(raw, SuitDecodeOptions());
  std::string_view out;
  if (!r.ReadText(&out).ok()) return WrongType(static_cast<int64_t>(p), "a tstr");
  return std::string(out);
}

Result<Digest> Parameters::GetDigest(Parameter p) const {
  TEEPNET_ASSIGN_OR_RETURN(ByteView wrapped, GetBytes(p));
  auto d = DecodeDigest(wrapped);
  if (!d.ok()) return WrongType(static_cast<int64_t>(p), "a bstr-wrapped SUIT_Digest");
  return *d;
}

Result<bool> Parameters::GetBool(Parameter p, bool absent_value) const {
  if (!Has(p)) return absent_value;
  TEEPNET_ASSIGN_OR_RETURN(ByteView raw, Raw(p));
  cbor::Reader r(raw, SuitDecodeOptions());
  bool out = false;
  if (!r.ReadBool(&out).ok()) return WrongType(static_cast<int64_t>(p), "a bool");
  return out;
}

Status Parameters::Apply(ByteView encoded_map, bool override) {
  cbor::Reader r(encoded_map, SuitDecodeOptions());
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadMapHeader(&n), "SUIT_Parameters"));
  std::vector<std::pair<int64_t, ByteView>> entries;
  KeySet keys;
  for (size_t i = 0; i < n; ++i) {
    int64_t key = 0;
    const size_t at = r.offset();
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadInt(&key), "SUIT_Parameters key"));
    TEEPNET_RETURN_IF_ERROR(keys.Add(key, at, "SUIT_Parameters"));
    ByteView value;
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadRawItem(&value), "SUIT_Parameters value"));
    TEEPNET_RETURN_IF_ERROR(CheckType(key, value));
    entries.emplace_back(key, value);
  }
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ExpectEnd(), "SUIT_Parameters"));
  for (const auto& [key, value] : entries) {
    if (!override && values_.count(key) != 0) continue;
    values_[key] = ToBytes(value);
  }
  return OkStatus();
}

}  // namespace teepnet::suit
