// How SqlTamStore keeps a device's status and desired state: one BLOB column each, a fixed
// positional layout in deterministic CBOR (RFC 8949 §4.2.1), written with cbor::Writer and
// read back through cbor::Reader with the limits below.
//
// The JSON form (tam_state_json.h) cost ~0.16 M instructions per TEEP exchange for the status
// alone (docs/PERFORMANCE.md, Round 4: encode 61 k, decode 73 k, twice per exchange); this
// layout has no member names and no hex, so encoding is a few appends and decoding a walk
// over heads. Schema version 2 of the TAM store converted existing JSON rows (sql_tam_store.cc).
//
//   DeviceStatus = [
//     1,                                              ; layout version
//     installed: [* [id: [* bstr], digest: bstr, seq: uint / null]],
//     requested: [* [id: [* bstr], seq: uint / null, have_binary: bool / null,
//                    extensions: [* [label: uint, value: bstr]]]],
//     unneeded: [* [* bstr]],
//     suite: [* [cose_type: int, alg: int]] / null,
//     last_contact: int, last_result: uint,
//     last_error_code: uint / null, last_error_message: tstr / null,
//     appraisal: [affirming: bool, appraised_at: int, reason: tstr, ar: bstr] / null,
//   ]
//   DesiredState = [1, install: [* [id: [* bstr], seq: uint]], remove: [* [* bstr]]]
//
// The decoders treat the column as untrusted (a damaged or hand-edited database): a type or
// shape mismatch is store::Errc::kBadColumn, a malformed or non-deterministic encoding or a
// limit the cbor::Errc the reader reports (kTruncated, kTrailingBytes, kTooManyItems, ...).
#ifndef TEEPNET_STORE_TAM_STATE_CBOR_H_
#define TEEPNET_STORE_TAM_STATE_CBOR_H_

#include <cstddef>
#include <cstdint>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/tam/tam_store.h"

namespace teepnet::store {

// Bounds on one stored column (a device's state is a few KiB: DESIGN §9). The encoders refuse
// (store::Errc::kBadColumn) what the decoders would refuse, so nothing the store writes is
// unreadable.
//
// The whole column, and so every string in it (a TEEP message is at most 4 MiB on the wire).
inline constexpr size_t kMaxStoredStateBytes = size_t{16} << 20;
// Entries of any one list (installed, requested, extensions, unneeded, suite, install, remove,
// segments of one component id): cbor::Errc::kTooManyItems.
inline constexpr uint64_t kMaxStoredStateListItems = uint64_t{1} << 16;
// Arrays open at once: the layouts above nest five deep (status / requested / entry /
// extensions / extension). cbor::Errc::kNestingTooDeep.
inline constexpr size_t kMaxStoredStateDepth = 5;

Result<Bytes> EncodeDeviceStatusCbor(const tam::DeviceStatus& status);
Result<tam::DeviceStatus> DecodeDeviceStatusCbor(ByteView column);

Result<Bytes> EncodeDesiredStateCbor(const tam::DesiredState& desired);
Result<tam::DesiredState> DecodeDesiredStateCbor(ByteView column);

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_TAM_STATE_CBOR_H_
