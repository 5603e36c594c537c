#include "teepnet/teep/types.h"

namespace teepnet::teep {

bool DataItemsRequested::Has(DataItem item) const {
  switch (item) {
    case DataItem::kAttestation: return attestation;
    case DataItem::kTrustedComponents: return trusted_components;
    case DataItem::kExtensions: return extensions;
    case DataItem::kSuitReports: return suit_reports;
  }
  return false;
}

void DataItemsRequested::Set(DataItem item, bool value) {
  switch (item) {
    case DataItem::kAttestation: attestation = value; break;
    case DataItem::kTrustedComponents: trusted_components = value; break;
    case DataItem::kExtensions: extensions = value; break;
    case DataItem::kSuitReports: suit_reports = value; break;
  }
}

uint64_t DataItemsRequested::ToWire(const WireProfile& profile) const {
  uint64_t bits = unassigned_bits;
  for (size_t i = 0; i < kDataItemCount; ++i) {
    const auto item = static_cast<DataItem>(i);
    if (Has(item)) bits |= profile.Bit(item);
  }
  return bits;
}

DataItemsRequested DataItemsRequested::FromWire(const WireProfile& profile, uint64_t bits) {
  DataItemsRequested out;
  for (size_t i = 0; i < kDataItemCount; ++i) {
    const auto item = static_cast<DataItem>(i);
    if ((bits & profile.Bit(item)) != 0) {
      out.Set(item, true);
      bits &= ~profile.Bit(item);
    }
  }
  out.unassigned_bits = bits;
  return out;
}

ErrCode ErrCode::FromWire(const WireProfile& profile, uint64_t wire) {
  if (auto known = profile.ErrorCodeOf(wire)) return ErrCode(*known);
  return Unassigned(wire);
}

}  // namespace teepnet::teep
