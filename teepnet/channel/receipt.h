// Delivery receipts (USE-CASES "Receipts"): the party that opened a user's sealed bytes — the TA
// instance (cases 2, 3) or the Agent (cases 1, 4) — signs what it received, with a key that an
// EAR attests, so the M/OC and the Network User can check the delivery without trusting the
// device's Broker or the relay.
//
//   receipt = COSE_Sign1 (RFC 9052 §4.2), tagged, protected {1: alg}, unprotected {4: kid}
//   kid     = RFC 9679 thumbprint of the signing key
//   payload = ["teepnet/receipt/v1", request_id tstr, instance tstr,
//              pd_digest bstr .size 32, measurement bstr .size 32, ? result bstr]
//                                                                     deterministic CBOR
//
// `result` is what a workload TA returns to the parties (workload/envelope.h: outputs sealed to
// each party's reply key). It sits inside the signed payload so an output cannot be swapped for
// another TA's or another request's; a plain delivery has none (a five-element array).
//
// The context string in the payload keeps a receipt from being taken for any other message the
// same key signs (an Agent's TEEP key also signs TEEP messages and EATs). EdDSA for an Ed25519
// proof key, ESP256 for a P-256 Agent key (RFC 9864: the fully specified ECDSA algorithm).
#ifndef TEEPNET_CHANNEL_RECEIPT_H_
#define TEEPNET_CHANNEL_RECEIPT_H_

#include <cstddef>
#include <optional>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::channel {

inline constexpr char kReceiptContext[] = "teepnet/receipt/v1";
// A workload's sealed outputs, all parties together.
inline constexpr size_t kMaxReceiptResultBytes = size_t{768} << 10;
// A whole receipt: five short fields, the result and one signature fit below this.
inline constexpr size_t kMaxReceiptBytes = kMaxReceiptResultBytes + 4096;
// The M/OC's request ids and instance names are well below these.
inline constexpr size_t kMaxReceiptRequestIdBytes = 256;
inline constexpr size_t kMaxReceiptInstanceBytes = 1024;
// pd_digest and measurement are SHA-256 digests.
inline constexpr size_t kReceiptDigestBytes = 32;

struct Receipt {
  std::string request_id;
  std::string instance;  // the Binding.instance: "" when the Agent was the recipient (cases 1, 4)
  Bytes pd_digest;       // SHA-256 of the PD plaintext the TA received
  Bytes measurement;     // SHA-256 of the TA executable that received it
  std::optional<Bytes> result;  // a workload TA's sealed outputs; at most kMaxReceiptResultBytes

  friend bool operator==(const Receipt&, const Receipt&) = default;
};

// Deterministic CBOR of the payload array. kMalformed when a field breaks its limit (a digest
// that is not 32 bytes, an over-long id), so nothing unverifiable is ever signed.
Result<Bytes> EncodeReceiptPayload(const Receipt& receipt);
// Strict: exactly the array above, deterministic, the context string, the limits, no trailing
// bytes (kMalformed; kWrongContext for another context string).
Result<Receipt> DecodeReceiptPayload(ByteView payload);

// COSE_Sign1 over EncodeReceiptPayload; Ed25519 keys sign with EdDSA, P-256 keys with ESP256
// (kMalformed for any other key type).
Result<Bytes> SignReceipt(const Receipt& receipt, const crypto::PrivateKey& key);
// The kid of a receipt, unverified: only to pick the key to verify with.
Result<Bytes> ReceiptKeyId(ByteView cose_sign1);
// Verifies the signature with `key` (kBadReceipt), requires the kid to be `key`'s
// thumbprint and the algorithm to be the one the key implies, then decodes the payload
// strictly. kTooLarge above kMaxReceiptBytes.
Result<Receipt> VerifyReceipt(ByteView cose_sign1, const crypto::PublicKey& key);

}  // namespace teepnet::channel

#endif  // TEEPNET_CHANNEL_RECEIPT_H_
