// Named limits of the M/OC user API. Every body is bounded before it is read.
#ifndef TEEPNET_MOC_LIMITS_H_
#define TEEPNET_MOC_LIMITS_H_

#include <cstddef>

namespace teepnet::moc {

// A SUIT envelope with its integrated payloads (a TA binary, a container layer).
inline constexpr size_t kMaxEnvelopeBytes = 4 * 1024 * 1024;
// The user's sealed bytes (HPKE-sealed PD or bundle), relayed opaque.
inline constexpr size_t kMaxSealedBytes = 4 * 1024 * 1024;
// A JSON body (tenant creation, request creation).
inline constexpr size_t kMaxJsonBodyBytes = 16 * 1024;
// Names given by users (tenant, package).
inline constexpr size_t kMaxNameBytes = 128;
// The longest bearer token worth hashing; anything longer is refused unread.
inline constexpr size_t kMaxTokenBytes = 256;

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_LIMITS_H_
