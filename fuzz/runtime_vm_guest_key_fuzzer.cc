// deps: teepnet_vm_guest_key teepnet_crypto teepnet_base
// Target functions: runtime::DecodeGuestKey (what the Agent reads from a VM guest before it
// appraises the guest's evidence) and runtime::OpenPdInGuest (what the guest agent reads from
// the host), both on untrusted bytes (runtime/vm_guest_key.h).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/crypto/keys.h"
#include "teepnet/runtime/vm_guest_key.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teepnet;  // NOLINT: fuzz harness brevity
  const ByteView input(data, size);
  auto key = runtime::DecodeGuestKey(input);
  if (key.ok()) {
    if (key->public_key.size() != 32) std::abort();
    if (key->evidence.size() > runtime::kMaxGuestEvidenceBytes) std::abort();
    // What decodes re-encodes to the same bytes.
    if (runtime::EncodeGuestKey(*key) != Bytes(input.begin(), input.end())) std::abort();
  }
  // A fixed guest key: no input opens, but every malformed one must fail cleanly.
  static const crypto::PrivateKey guest = [] {
    const uint8_t d[32] = {7};
    return *crypto::PrivateKey::FromRaw(crypto::KeyType::kX25519, ByteView(d, sizeof d));
  }();
  (void)runtime::OpenPdInGuest(guest, input);
  return 0;
}
