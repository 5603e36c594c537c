// Named limits of the M/OC user API. Every body is bounded before it is read.
#ifndef TEEPNET_MOC_LIMITS_H_
#define TEEPNET_MOC_LIMITS_H_

#include <cstddef>

#include "teepnet/channel/receipt.h"

namespace teepnet::moc {

// A SUIT envelope with its integrated payloads (a TA binary, a container layer). A static TA
// that carries its own crypto is ~5 MB; the Agent's frames and TEEP over HTTP allow 16 MiB.
inline constexpr size_t kMaxEnvelopeBytes = 12 * 1024 * 1024;
// The user's sealed bytes (HPKE-sealed PD or bundle — a bundle holds a TA), relayed opaque.
inline constexpr size_t kMaxSealedBytes = 12 * 1024 * 1024;
// A JSON body (tenant creation, request creation).
inline constexpr size_t kMaxJsonBodyBytes = 16 * 1024;
// Names given by users (tenant, package).
inline constexpr size_t kMaxNameBytes = 128;
// The longest bearer token worth hashing; anything longer is refused unread.
inline constexpr size_t kMaxTokenBytes = 256;

// The device channel API (USE-CASES "Device channel API"). An inbox answer carries at most this
// many sealed blobs (each up to kMaxSealedBytes, base64url); the rest follow once these are
// receipted. A device rarely has more than one request waiting.
inline constexpr size_t kMaxInboxItems = 4;
// ... and, beyond its first blob, no more sealed bytes in all than this, so an answer stays
// within what a Broker reads (16 MiB of base64url; the Broker's limit is 24 MiB).
inline constexpr size_t kMaxInboxSealedBytes = 12 * 1024 * 1024;
// POST .../receipts: {"request_id", "receipt"} with a receipt of at most
// channel::kMaxReceiptBytes (a workload's sealed outputs included) in base64url, plus the JSON.
inline constexpr size_t kMaxReceiptBodyBytes = (channel::kMaxReceiptBytes + 2) / 3 * 4 + 4096;
// An Idempotency-Key header (openapi.yaml): printable ASCII, room for a UUID or 32 random bytes
// in base64url, with a prefix.
inline constexpr size_t kMaxIdempotencyKeyBytes = 128;
// A device id or request id in a device API path or body (ids are 64 hex digits or shorter).
inline constexpr size_t kMaxDeviceIdBytes = 128;

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_LIMITS_H_
