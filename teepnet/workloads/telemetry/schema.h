// Schema helpers the telemetry decoders share: each reads one item with the cbor::Reader and
// turns any failure into Errc::kMalformed (or kTooLarge for a named limit) naming the field,
// with the offset where it went wrong. Internal to the telemetry library.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_SCHEMA_H_
#define TEEPNET_WORKLOADS_TELEMETRY_SCHEMA_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"

namespace teepnet::workloads::telemetry::schema {

Error Malformed(std::string_view what, size_t offset);

// A map of exactly `pairs` entries, then each key in turn with ExpectKey: together they accept
// keys 1..pairs once each in ascending order, which is what deterministic CBOR requires of
// small uint keys.
Status ExpectMap(cbor::Reader& r, size_t pairs, std::string_view what);
Status ExpectKey(cbor::Reader& r, uint64_t key, std::string_view what);
// An array; its length in [min, max] (kTooLarge above max, kMalformed below min).
Status ReadArray(cbor::Reader& r, size_t min, size_t max, std::string_view what, size_t* n);
Status ReadUint(cbor::Reader& r, uint64_t max, std::string_view what, uint64_t* out);
// A float (major type 7, preferred width) that is finite.
Status ReadFiniteFloat(cbor::Reader& r, std::string_view what, double* out);
Status ReadText(cbor::Reader& r, size_t max_bytes, std::string_view what, std::string* out);
// A byte string of exactly `size` bytes.
Status ReadBytesOfSize(cbor::Reader& r, size_t size, std::string_view what, ByteView* out);
// A byte string of at most `max_bytes`.
Status ReadBytes(cbor::Reader& r, size_t max_bytes, std::string_view what, ByteView* out);
// No bytes after the top-level item.
Status ExpectEnd(cbor::Reader& r, std::string_view what);

}  // namespace teepnet::workloads::telemetry::schema

#endif  // TEEPNET_WORKLOADS_TELEMETRY_SCHEMA_H_
