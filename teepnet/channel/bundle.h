// The bundle a Network User seals to the Agent itself (cases 1 and 4, USE-CASES "Agent op 5"):
// the TA executable to run in a confidential process, the PD to hand it, and in case 1 the UA
// that the REE deployer starts beside it.
//
//   bundle = { 1: ta bstr (a static executable), 2: pd bstr, ? 3: ua bstr }
//
// Deterministic CBOR (RFC 8949 §4.2.1): keys in ascending order, preferred heads, no duplicate
// keys and no indefinite lengths. The bundle is the plaintext of a sealed message, so it has
// already passed HPKE authentication when it is decoded, but it still comes from a party the
// Agent does not trust: the decoder is strict and bounded.
#ifndef TEEPNET_CHANNEL_BUNDLE_H_
#define TEEPNET_CHANNEL_BUNDLE_H_

#include <cstddef>
#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/channel/sealed.h"

namespace teepnet::channel {

// A whole bundle fits in one sealed message (kMaxContentBytes); each part is bounded by it too.
inline constexpr size_t kMaxBundleBytes = kMaxContentBytes;
// A TA or UA executable must not be empty: an empty image cannot be started.
inline constexpr size_t kMinExecutableBytes = 1;

struct Bundle {
  Bytes ta;                 // the TA executable (measured when started)
  SecretBytes pd;           // the Personalization Data: the user's secret, wiped on destruction
  std::optional<Bytes> ua;  // case 1: the Untrusted Application for the REE
};

// {1: ta, 2: pd, ? 3: ua} in deterministic CBOR.
Bytes EncodeBundle(ByteView ta, ByteView pd, std::optional<ByteView> ua = std::nullopt);

// Strict: exactly that map in that key order, definite lengths, preferred encodings, no trailing
// bytes; kTooLarge above kMaxBundleBytes, kMalformed (with the offset) for anything else,
// including an empty TA or UA executable.
Result<Bundle> DecodeBundle(ByteView bytes);

}  // namespace teepnet::channel

#endif  // TEEPNET_CHANNEL_BUNDLE_H_
