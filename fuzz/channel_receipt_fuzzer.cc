// deps: teepnet_channel teepnet_crypto teepnet_base
// Target functions: channel::VerifyReceipt, channel::ReceiptKeyId and
// channel::DecodeReceiptPayload (receipt.h) — what the M/OC and the CLI run on receipts a
// device posts.
//
// The verifying key is fixed (Ed25519, private seed 0x22 * 32), so the committed seed signed
// with it reaches the payload decoder behind a valid signature. Properties: no crash; an
// accepted payload has 32-byte digests, fields within their limits, and re-encodes to exactly
// the bytes it was decoded from (the encoding is deterministic).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/channel/receipt.h"
#include "teepnet/crypto/keys.h"

namespace {

using namespace teepnet;  // NOLINT: fuzz harness brevity

const crypto::PublicKey& Key() {
  static const crypto::PublicKey* key = [] {
    auto k = crypto::PrivateKey::FromRaw(crypto::KeyType::kEd25519, Bytes(32, 0x22));
    if (!k.ok()) std::abort();
    return new crypto::PublicKey(k->public_key());
  }();
  return *key;
}

void CheckAccepted(const channel::Receipt& r) {
  if (r.pd_digest.size() != channel::kReceiptDigestBytes ||
      r.measurement.size() != channel::kReceiptDigestBytes ||
      r.request_id.size() > channel::kMaxReceiptRequestIdBytes ||
      r.instance.size() > channel::kMaxReceiptInstanceBytes) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  if (auto payload = channel::DecodeReceiptPayload(input); payload.ok()) {
    CheckAccepted(*payload);
    auto again = channel::EncodeReceiptPayload(*payload);
    if (!again.ok() || !Equal(*again, input)) std::abort();
  }
  (void)channel::ReceiptKeyId(input);
  if (auto receipt = channel::VerifyReceipt(input, Key()); receipt.ok()) CheckAccepted(*receipt);
  return 0;
}
